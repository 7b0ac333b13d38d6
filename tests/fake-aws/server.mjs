// Fake AWS sign-in, console and SSO portal, served over HTTPS on loopback.
//
// One server answers for every AWS host name the extension talks to; the
// browser under test is pointed at it with Chromium's --host-resolver-rules
// (see tests/e2e/lib/browser.mjs), and certificate errors are ignored there,
// so a throwaway self-signed certificate is enough.
//
//   import { startFakeAws } from './server.mjs';
//   const aws = await startFakeAws({ console: { prismModeEnabled: true } });
//   aws.port; aws.requests; await aws.close();
//
// Standalone, for debugging:  node tests/fake-aws/server.mjs [port]
// (prints the port, logs every request to stderr, stops on Ctrl-C).
//
// Nothing here talks to the internet.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Partitions: sign-in host and console host for each. */
export const PARTITIONS = {
  aws: { signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com' },
  'aws-cn': { signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn' },
  'aws-us-gov': { signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com' },
};

/** Every host name (or wildcard) the fake answers for; used for the resolver rules. */
export const FAKE_AWS_HOSTS = [
  'signin.aws.amazon.com',
  '*.signin.aws.amazon.com',
  'signin.amazonaws.cn',
  '*.signin.amazonaws.cn',
  'signin.amazonaws-us-gov.com',
  '*.signin.amazonaws-us-gov.com',
  'console.aws.amazon.com',
  '*.console.aws.amazon.com',
  'console.amazonaws.cn',
  '*.console.amazonaws.cn',
  'console.amazonaws-us-gov.com',
  '*.console.amazonaws-us-gov.com',
  'my-sso.awsapps.com',
  'example.test',
];

const SSO_HOST = 'my-sso.awsapps.com';
const EXAMPLE_HOST = 'example.test';
const MAX_DISPLAY_NAME = 64;

/**
 * Who the console tab is signed in as: `accountInfo` is what the page publishes as
 * `window.ConsoleNavService.AccountInfo`, `sessionARN` goes into its `awsc-session-data` meta.
 *
 * These encode guesses about the real console, each following public code that reads it:
 * - `loginDisplayNameAccount` / `loginDisplayNameUser` (the account as the menu shows it,
 *   `1111-2222-3333` or an alias, and the user or login role), plus
 *   `roleDisplayNameAccount` / `roleDisplayNameUser` while switched to a role: AWS Extend
 *   Switch Roles reads exactly these (tilfinltd/aws-extend-switch-roles,
 *   extension/js/war/attach_target.js and popup.js `CurrentContext`, which strips the dashes
 *   and, in multi-session mode, takes the role's fields as the signed-in identity); a copy of
 *   the console's own username-menu script found in public code builds the same four fields,
 *   the role ones only while a role is active ("Currently active as:").
 * - `accountId` is our own earlier assumption; it is kept in 'account-id' only.
 * - `sessionARN` in `awsc-session-data`: read by massongit/aws-management-console-colorize
 *   (entrypoints/content.ts). Its forms are those of the principal's ARN as STS's
 *   GetCallerIdentity gives them: `arn:aws:iam::ACCOUNT:user/NAME`,
 *   `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, and `arn:aws:iam::ACCOUNT:root` for the
 *   root user, whose menu offers no "Switch role" (the console's menu script allows switching
 *   only for identity types `iam` and `assumed-role`).
 */
export const IDENTITIES = {
  // What this fake served first: an `accountId` beside the display names.
  'account-id': {
    accountInfo: { accountId: '111111111111', loginDisplayNameAccount: '111111111111', loginDisplayNameUser: 'base-user' },
    sessionARN: 'arn:aws:iam::111111111111:user/base-user',
  },
  // The account as the console's menu shows it, and no `accountId`.
  'display-name': {
    accountInfo: { loginDisplayNameAccount: '1111-1111-1111', loginDisplayNameUser: 'base-user' },
    sessionARN: 'arn:aws:iam::111111111111:user/base-user',
  },
  // A federated login to an account the menu names by its alias.
  alias: {
    accountInfo: { loginDisplayNameAccount: 'my-login', loginDisplayNameUser: 'Developer/alice@example.com' },
    sessionARN: 'arn:aws:sts::111111111111:assumed-role/Developer/alice@example.com',
  },
  // base-user of 1111-1111-1111, switched to the role Dev in 2222-2222-2222.
  switched: {
    accountInfo: {
      loginDisplayNameAccount: '1111-1111-1111', loginDisplayNameUser: 'base-user',
      roleDisplayNameAccount: '2222-2222-2222', roleDisplayNameUser: 'Dev',
    },
    sessionARN: 'arn:aws:sts::222222222222:assumed-role/Dev/base-user',
    switchedFrom: 'display-name',
  },
  // The account's root user (the menu shows the account's name as the user).
  root: {
    accountInfo: { loginDisplayNameAccount: '1111-1111-1111', loginDisplayNameUser: 'Example Corp' },
    sessionARN: 'arn:aws:iam::111111111111:root',
  },
  // Multi-session mode, a session in a role (set console.prismModeEnabled too).
  'multi-session-role': {
    accountInfo: {
      loginDisplayNameAccount: '9999-9999-9999', loginDisplayNameUser: 'sso-user',
      roleDisplayNameAccount: '1111-1111-1111', roleDisplayNameUser: 'base-user',
    },
    sessionARN: 'arn:aws:sts::111111111111:assumed-role/base-user/sso-user',
  },
};

/** Classify a host name (no port): { kind: 'signin'|'console'|'sso'|'example'|null, partition }. */
export function classifyHost(hostname) {
  const h = String(hostname || '').toLowerCase();
  for (const [partition, p] of Object.entries(PARTITIONS)) {
    if (h === p.signin || h.endsWith('.' + p.signin)) return { kind: 'signin', partition };
    if (h === p.console || h.endsWith('.' + p.console)) return { kind: 'console', partition };
  }
  if (h === SSO_HOST) return { kind: 'sso', partition: 'aws' };
  if (h === EXAMPLE_HOST) return { kind: 'example', partition: null };
  return { kind: null, partition: null };
}

function stripPort(host) {
  const h = String(host || '').toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const i = h.lastIndexOf(':');
  return i >= 0 ? h.slice(0, i) : h;
}

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'fake-aws-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1,'
    + FAKE_AWS_HOSTS.map((h) => 'DNS:' + h).join(',');
  const base = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-keyout', keyFile, '-out', certFile];
  try {
    execFileSync('openssl', [...base, '-addext', san], { stdio: 'pipe' });
  } catch {
    // Older openssl without -addext: plain certificate (errors are ignored anyway).
    execFileSync('openssl', base, { stdio: 'pipe' });
  }
  const key = readFileSync(keyFile);
  const cert = readFileSync(certFile);
  rmSync(dir, { recursive: true, force: true });
  return { key, cert };
}

/**
 * Start the fake AWS.
 *
 * opts:
 *   port                 listen port (default 0 = random free port)
 *   console              overrides for the console's awsc-session-data meta
 *                        ({signInEndpoint, prismModeEnabled, sessionDifferentiator,
 *                        infrastructureRegion, ...}); signInEndpoint defaults to the
 *                        sign-in host of the console host's partition
 *   identity             who the console tab is signed in as, one of IDENTITIES' names
 *                        (default 'account-id'): sets ConsoleNavService.AccountInfo and the
 *                        session data's sessionARN; a 'switched' tab also gets the console's
 *                        "Switch back" form, and goes back to its base identity when that form
 *                        is POSTed (configure({ identity }) puts it back in that state)
 *   accountInfo          overrides for window.ConsoleNavService.AccountInfo (on top of identity's)
 *   userName             ConsoleNavService.BuilderInstance.userName
 *   forbiddenRoles       role names for which multi-session switch returns
 *                        {"destination": ""} (default ['Forbidden'])
 *   multiSessionDestination(body, ctx) -> string   custom destination
 *   consoleCsrf          false: the console page has no AWSC.Auth.getMbtc
 *   consoleStall         true: console pages send their head, then never finish loading
 *                        (a console tab still loading; its connection is held until close)
 *   log                  function(line) called for every request (standalone mode)
 *   onRecord             function(record) called once a request is answered (with its status)
 *
 * Returns { port, requests, csrfTokens, configure(patch), close() }.
 */
export async function startFakeAws(opts = {}) {
  const requests = [];
  const csrfTokens = new Set();
  const forbiddenRoles = new Set(opts.forbiddenRoles ?? ['Forbidden']);
  // Set when the console's "Switch back" form is POSTed: the 'switched' tab is then its base.
  let switchedBack = false;
  const identityNow = () => {
    const name = opts.identity ?? 'account-id';
    const identity = IDENTITIES[name];
    if (!identity) throw new Error(`fake-aws: no identity "${name}" (one of ${Object.keys(IDENTITIES).join(', ')})`);
    return switchedBack && identity.switchedFrom ? IDENTITIES[identity.switchedFrom] : identity;
  };
  const { key, cert } = makeCertificate();

  const issueToken = () => {
    const t = randomBytes(16).toString('hex');
    csrfTokens.add(t);
    return t;
  };

  const server = createServer({ key, cert }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hostHeader = String(req.headers.host || '').toLowerCase();
      const record = {
        method: req.method,
        host: hostHeader,
        url: req.url,
        fullUrl: 'https://' + hostHeader + req.url,
        headers: { ...req.headers },
        body,
        time: Date.now(),
      };
      requests.push(record);
      if (opts.log) opts.log(`${req.method} ${record.fullUrl}${body ? ' body=' + body : ''}`);
      let status;
      try {
        status = handle(req, res, record);
      } catch (e) {
        send(res, 500, 'text/plain', 'fake-aws internal error: ' + (e?.stack || e));
        status = 500;
      }
      record.status = status;
      opts.onRecord?.(record);
    });
  });

  function send(res, status, type, text, extra = {}) {
    res.writeHead(status, {
      'content-type': type + (type.startsWith('text/') || type.includes('json') ? '; charset=utf-8' : ''),
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(text);
    return status;
  }

  function corsHeaders(req) {
    const origin = req.headers.origin;
    if (!origin) return {};
    let originHost = '';
    try { originHost = new URL(origin).hostname; } catch { /* ignore */ }
    // AWS sign-in accepts credentialed cross-origin calls from its consoles only.
    if (classifyHost(originHost).kind !== 'console') return {};
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    };
  }

  function handle(req, res, record) {
    const hostname = stripPort(record.host);
    const { kind, partition } = classifyHost(hostname);
    const url = new URL(record.url, 'https://' + (hostname || 'invalid'));
    const path = url.pathname;

    if (kind === 'signin') return handleSignin(req, res, record, url, path, partition);
    if (kind === 'console') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
      if (path === '/favicon.ico') return notFound(res);
      if (opts.consoleStall) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        const page = consolePage(hostname, partition, url);
        res.write(page.slice(0, page.indexOf('<body>')));
        return 200;
      }
      return send(res, 200, 'text/html', consolePage(hostname, partition, url));
    }
    if (kind === 'sso') {
      if (req.method === 'GET' && (path === '/start' || path === '/start/')) {
        return send(res, 200, 'text/html', ssoPage());
      }
      return notFound(res);
    }
    if (kind === 'example') {
      if (req.method === 'GET' && path !== '/favicon.ico') return send(res, 200, 'text/html', examplePage());
      return notFound(res);
    }
    return notFound(res);
  }

  function notFound(res) {
    return send(res, 404, 'text/html', '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>');
  }

  function handleSignin(req, res, record, url, path, partition) {
    // Multi-session mode's switch: a credentialed JSON POST with `X-CSRF-PROTECTION: 1` to
    // /sessions/<sessionDifferentiator>/v1/switchrole, body { account, roleName, displayName,
    // color, redirectUri }, answered with { destination } (empty when the identity may not
    // switch): what AWS Extend Switch Roles sends (extension/js/war/prism_switch_dest.js, the
    // URL built in content.js `doSwitch`).
    const multi = path.match(/^\/sessions\/([^/]+)\/v1\/switchrole$/);
    if (multi) {
      if (req.method === 'OPTIONS') {
        return send(res, 204, 'text/plain', '', {
          ...corsHeaders(req),
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'content-type, x-csrf-protection',
          'access-control-max-age': '5',
        });
      }
      if (req.method !== 'POST') return notFound(res);
      const cors = corsHeaders(req);
      if (req.headers['x-csrf-protection'] !== '1') {
        return send(res, 403, 'application/json', JSON.stringify({ error: 'missing X-CSRF-PROTECTION' }), cors);
      }
      let data;
      try {
        data = JSON.parse(record.body || '{}');
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ error: 'bad json' }), cors);
      }
      const account = data.account ?? data.accountId;
      if (!account || !data.roleName) {
        return send(res, 400, 'application/json', JSON.stringify({ error: 'account and roleName required' }), cors);
      }
      if (data.displayName && String(data.displayName).length > MAX_DISPLAY_NAME) {
        return send(res, 400, 'application/json', JSON.stringify({ error: 'displayName too long' }), cors);
      }
      if (forbiddenRoles.has(data.roleName)) {
        return send(res, 200, 'application/json', JSON.stringify({ destination: '' }), cors);
      }
      const ctx = { partition, differentiator: decodeURIComponent(multi[1]) };
      const destination = opts.multiSessionDestination
        ? opts.multiSessionDestination(data, ctx)
        : defaultDestination(data.redirectUri, partition);
      return send(res, 200, 'application/json', JSON.stringify({ destination }), cors);
    }

    // The console's own switch is a form POST to /switchrole: action=switchFromBasis, src=nav,
    // mfaNeeded, csrf (AWSC.Auth.getMbtc()), account, roleName, displayName, color,
    // redirect_uri, the fields of AWS Extend Switch Roles' form (extension/js/content.js
    // `appendAESR`, csrf from war/attach_target.js); "Switch back" posts action=switchToBasis.
    // GET /switchrole is the prefilled page of AWS's documented switch-role link
    // (`?account=…&roleName=…&displayName=…`, IAM User Guide).
    if (path === '/switchrole') {
      if (req.method === 'GET') return send(res, 200, 'text/html', switchRolePage(url.searchParams));
      if (req.method === 'POST') {
        const form = new URLSearchParams(record.body);
        if (!csrfTokens.has(form.get('csrf') || '')) {
          return send(res, 403, 'text/html', '<!doctype html><title>Forbidden</title><h1>403 Forbidden: bad csrf token</h1>');
        }
        let location = form.get('redirect_uri');
        if (location && /^https?%3A/i.test(location)) location = decodeURIComponent(location);
        if (!location) location = `https://${PARTITIONS[partition].console}/console/home`;
        if (form.get('action') === 'switchToBasis') {
          // The console's "Switch back": back to the identity that signed in, no role fields.
          switchedBack = true;
          return send(res, 302, 'text/html', `<!doctype html><a href="${esc(location)}">Found</a>`, { location });
        }
        const account = form.get('account') || form.get('accountId');
        const roleName = form.get('roleName');
        if (!account || !roleName) {
          return send(res, 400, 'text/html', '<!doctype html><title>Bad Request</title><h1>400 account and roleName are required</h1>');
        }
        if ((form.get('displayName') || '').length > MAX_DISPLAY_NAME) {
          return send(res, 400, 'text/html', '<!doctype html><title>Bad Request</title><h1>400 displayName longer than 64 characters</h1>');
        }
        return send(res, 302, 'text/html', `<!doctype html><a href="${esc(location)}">Found</a>`, { location });
      }
      return notFound(res);
    }
    return notFound(res);
  }

  function defaultDestination(redirectUri, partition) {
    const consoleHost = PARTITIONS[partition].console;
    if (redirectUri) {
      try {
        const u = new URL(redirectUri);
        const c = classifyHost(u.hostname);
        if (u.protocol === 'https:' && c.kind === 'console' && c.partition === partition) return u.href;
      } catch { /* fall through */ }
    }
    return `https://${consoleHost}/console/home?region=${encodeURIComponent(opts.console?.infrastructureRegion || 'us-east-1')}`;
  }

  function switchRolePage(q) {
    const token = issueToken();
    const account = q.get('account') || q.get('accountId') || '';
    const v = (name, value) => `value="${esc(value)}"`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switch Role</title></head>
<body>
<main>
<h1>Switch Role</h1>
<form method="post" action="/switchrole">
  <input type="hidden" name="action" value="switchFromBasis">
  <input type="hidden" name="src" value="nav">
  <input type="hidden" name="mfaNeeded" value="0">
  <input type="hidden" name="csrf" ${v('csrf', token)}>
  <label>Account ID <input type="text" name="accountId" ${v('accountId', account)}></label>
  <label>IAM role name <input type="text" name="roleName" ${v('roleName', q.get('roleName') || '')}></label>
  <label>Display name <input type="text" name="displayName" ${v('displayName', q.get('displayName') || '')}></label>
  <label>Display color <input type="text" name="color" ${v('color', q.get('color') || '')}></label>
  ${q.get('redirect_uri') ? `<input type="hidden" name="redirect_uri" ${v('redirect_uri', q.get('redirect_uri'))}>` : ''}
  <button type="submit">Switch Role</button>
</form>
</main>
</body></html>`;
  }

  function consolePage(hostname, partition, url) {
    const token = issueToken();
    const regionFromHost = hostname.match(/^(?:[^.]+\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.console\./)?.[1];
    const identity = identityNow();
    // awsc-session-data: signInEndpoint, prismModeEnabled, sessionDifferentiator and
    // infrastructureRegion as AWS Extend Switch Roles reads them (extension/js/content.js
    // `getMetaData`); sessionARN: see IDENTITIES.
    const session = {
      signInEndpoint: PARTITIONS[partition].signin,
      prismModeEnabled: false,
      sessionDifferentiator: 'abc123',
      infrastructureRegion: url.searchParams.get('region') || regionFromHost || 'us-east-1',
      sessionARN: identity.sessionARN,
      ...(opts.console || {}),
    };
    const accountInfo = { ...identity.accountInfo, ...(opts.accountInfo || {}) };
    const userName = opts.userName ?? accountInfo.loginDisplayNameUser ?? 'base-user';
    // JSON inside a single-quoted attribute: escape the quote characters.
    const sessionAttr = JSON.stringify(session).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
    const scriptJson = (o) => JSON.stringify(o).replace(/</g, '\\u003c');
    const switched = accountInfo.roleDisplayNameUser !== undefined;
    // The console's "Switch back" (to the identity that signed in): a form POSTing
    // action=switchToBasis, src=nav, csrf and redirect_uri to the sign-in host's /switchrole, as
    // public code that drives it shows (a 2017 Chrome extension's `exit_role` bookmarklet; a
    // console switcher that reads the csrf of `#awsc-exit-role-form`); AWS Extend Switch Roles'
    // users ask for the same "switch back" / "Back to <identity>" link in its popup (issues #181,
    // #357 of tilfinltd/aws-extend-switch-roles).
    const exitForm = switched && !session.prismModeEnabled
      ? `<form id="awsc-exit-role-form" method="post" action="https://${esc(session.signInEndpoint)}/switchrole">
        <input type="hidden" name="action" value="switchToBasis">
        <input type="hidden" name="src" value="nav">
        <input type="hidden" name="csrf" value="${esc(token)}">
        <input type="hidden" name="redirect_uri" value="${esc(url.href)}">
        <input type="submit" data-testid="awsc-exit-role" value="Switch back">
      </form>`
      : '';
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="awsc-session-data" content='${sessionAttr}'>
<title>AWS Management Console</title>
<script>
window.AWSC = { Auth: ${opts.consoleCsrf === false ? '{}' : `{ getMbtc: () => ${scriptJson(token)} }`} };
window.ConsoleNavService = {
  AccountInfo: ${scriptJson(accountInfo)},
  BuilderInstance: { userName: ${scriptJson(userName)} }
};
</script>
</head>
<body>
<header id="awsc-nav-header">
  <nav id="menu--account" aria-label="Account">
    <span data-testid="awsc-nav-account-menu-button"><span>${esc(switched ? accountInfo.roleDisplayNameUser : userName)}</span></span>
    <ul>
      <li>Account ID: <span id="awsc-login-display-name-account">${esc(accountInfo.loginDisplayNameAccount)}</span></li>
      <li><span id="awsc-login-display-name-user">${esc(accountInfo.loginDisplayNameUser)}</span></li>
      ${switched ? `<li><span id="awsc-role-display-name-account">${esc(accountInfo.roleDisplayNameAccount ?? '')}</span></li>
      <li><span id="awsc-role-display-name-user">${esc(accountInfo.roleDisplayNameUser)}</span></li>
      <li>${exitForm}</li>` : ''}
    </ul>
  </nav>
</header>
<main><h1>Console Home</h1><p>Fake AWS console (${esc(hostname)})</p></main>
</body></html>`;
  }

  function ssoPage() {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AWS access portal</title></head>
<body><main><h1>AWS access portal</h1><p>Accounts</p></main></body></html>`;
  }

  function examplePage() {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example</title></head>
<body><main><h1>Example</h1><p>A plain, non-AWS page.</p></main></body></html>`;
  }

  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // TLS handshakes that fail (e.g. a client rejecting the cert) must not crash the server.
  server.on('tlsClientError', () => {});

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();

  let closed = false;
  return {
    port,
    requests,
    csrfTokens,
    /** Change options between tests (e.g. { console: { prismModeEnabled: true } }). */
    configure(patch) {
      if ('identity' in patch) switchedBack = false;
      Object.assign(opts, patch);
    },
    /** Issue a CSRF token the server will accept (for tests that POST directly). */
    issueCsrfToken: issueToken,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        for (const s of sockets) s.destroy();
      });
    },
  };
}

// Standalone: node tests/fake-aws/server.mjs [port] [--jsonl]
// With --jsonl (the Firefox suite, tests/e2e-firefox/harness.py, which is not in Node): every
// answered request is one JSON line on stdout after the port line, and each JSON line read on
// stdin is a configure() patch (`multiSessionDestination` given as a fixed string).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const jsonl = args.includes('--jsonl');
  const portArg = args.find((a) => /^\d+$/.test(a));
  const port = portArg ? Number(portArg) : 0;
  const opts = { port, log: (line) => process.stderr.write(line + '\n') };
  if (jsonl) {
    opts.onRecord = (r) => process.stdout.write(JSON.stringify({
      method: r.method, host: r.host, url: r.url, fullUrl: r.fullUrl, headers: r.headers,
      body: r.body, status: r.status, time: r.time,
    }) + '\n');
  }
  const aws = await startFakeAws(opts);
  process.stdout.write(`${aws.port}\n`);
  if (jsonl) {
    const { createInterface } = await import('node:readline');
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (!line.trim()) return;
      const patch = JSON.parse(line);
      if (typeof patch.multiSessionDestination === 'string') {
        const destination = patch.multiSessionDestination;
        patch.multiSessionDestination = () => destination;
      } else if (patch.multiSessionDestination === null) {
        patch.multiSessionDestination = undefined;
      }
      aws.configure(patch);
      process.stdout.write(JSON.stringify({ configured: Object.keys(patch) }) + '\n');
    });
  } else {
    process.stderr.write(`fake AWS listening on https://127.0.0.1:${aws.port}/ ; e.g.\n`
      + `  curl -k --resolve signin.aws.amazon.com:${aws.port}:127.0.0.1 `
      + `'https://signin.aws.amazon.com:${aws.port}/switchrole?account=123456789012&roleName=Admin'\n`);
  }
  const stop = async () => { await aws.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
