// End-to-end: one-click switching (issue 4). The built extension (dist/chrome) in Debian's
// Chromium against the fake AWS; every assertion is on the exact request the fake received.
// Run with: bash tests/e2e/run.sh tests/e2e/switching.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil, within } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { PageLog } from './lib/page-log.mjs';
import { launchChromiumWithExtension, openExtensionPopupWindow, popupOver as openPopupOver } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const TEST_TIMEOUT = 60_000;
const WAIT = 15_000;

// The config and what it switches to are shared with the Firefox suite (tests/e2e/fixtures/).
const FIXTURES = join(HERE, 'fixtures');
const CONFIG = readFileSync(join(FIXTURES, 'switching.ini'), 'utf8');
const CASES = JSON.parse(readFileSync(join(FIXTURES, 'switching.json'), 'utf8'));
const LONG = CASES.longProfile;
const LONG_SHOWN = CASES.longShown;

/** Per partition: a role, its console tab, the exact prefilled link and form fields. */
const PARTITION_CASES = CASES.partitions;

// ---------------------------------------------------------------- helpers

let aws;
let browser;
let tmp;
const log = new PageLog({ getAws: () => aws });
const watch = (page, label) => log.watch(page, label);



const waitFor = (what, fn, options = {}) => waitUntil(what, fn, { timeout: WAIT, ...options, context: () => log.context() });

/** The first request after `since` that `match` accepts. */
function expectRequest(what, since, match) {
  return waitFor(what, () => aws.requests.slice(since).find(match));
}

const isSwitchPost = (host) => (r) => r.method === 'POST' && r.host === host && r.url === '/switchrole';

/** The form body as [name, value] pairs, in order. */
const formPairs = (body) => [...new URLSearchParams(body)];

/** Stores CONFIG as the extension's config (the options page's own import is tested elsewhere). */
async function importConfig() {
  const page = watch(await browser.context.newPage(), 'options');
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.evaluate((text) => chrome.storage.local.set({ config: text }), CONFIG);
  await page.close();
}

const popupOver = (url) => openPopupOver(browser, url, { watch, timeout: WAIT });

/** Clicks the popup's option for `profile` (the popup may close itself right away). */
async function choose(popup, profile, { disabled = false } = {}) {
  // As a user with many roles would: type to narrow the list, then click the one row.
  await popup.getByRole('combobox', { name: 'Search roles' }).fill(profile, { timeout: WAIT });
  const option = popup.getByRole('listbox', { name: 'Roles', exact: true }).getByRole('option').filter({ hasText: profile });
  await waitFor(`one option for "${profile}" in the Roles listbox`, async () => (await option.count()) === 1);
  try {
    // A user can click a disabled (aria-disabled) option; Playwright needs `force` for that.
    // The popup closes itself as the switch starts, which can leave a click waiting on a page
    // that is gone: bounded; what counts is the request that reaches the fake AWS.
    await within(10_000, `clicking "${profile}"`, option.click({ force: disabled, timeout: 10_000 }));
  } catch (e) {
    if (!(popup.isClosed() || /has been closed|Target closed|did not settle/i.test(e.message))) throw e;
  }
}

const popupStatus = async (popup) => (await popup.getByRole('status').allTextContents()).join(' ');

const e2e = (name, fn) => log.test(name, { timeout: TEST_TIMEOUT, artifacts: ARTIFACTS, prefix: 'switching' }, fn);

// ---------------------------------------------------------------- suite

describe('Chromium: one-click switching', { timeout: 30 * TEST_TIMEOUT }, () => {
  before(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`${EXTENSION_DIR}/manifest.json is missing: run ./build.sh first`);
    tmp = mkdtempSync(join(tmpdir(), 'e2e-switching-'));
    aws = await startFakeAws();
    browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
    await importConfig();
  });

  after(async () => {
    await browser?.close();
    await aws?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    aws.configure({ console: {}, consoleCsrf: true, consoleStall: false, multiSessionDestination: undefined });
    log.reset();
  });

  for (const c of PARTITION_CASES) {
    e2e(`${c.partition}: from a console tab, POSTs the exact switch form to ${c.signin} and lands on the redirect`, async () => {
      const { tab, popup } = await popupOver(c.consoleUrl);
      const since = aws.requests.length;
      await choose(popup, c.profile);
      const post = await expectRequest(`POST https://${c.signin}/switchrole`, since, isSwitchPost(c.signin));
      const fields = formPairs(post.body);
      const csrf = fields.find(([k]) => k === 'csrf')?.[1];
      assert.ok(aws.csrfTokens.has(csrf), `csrf ${csrf} should be the console page's token`);
      assert.deepEqual(fields, [
        ['action', 'switchFromBasis'], ['src', 'nav'], ['mfaNeeded', '0'], ['csrf', csrf],
        ['account', c.account], ['roleName', c.roleName], ['displayName', c.displayName],
        // The link's colour (the nearest of AWS's five), not the raw `color`: the console shows
        // one colour whichever way the switch went (src/roles/color.rs, console_color).
        ['color', c.linkColor], ['redirect_uri', c.redirect],
      ]);
      assert.equal(post.status, 302);
      await expectRequest(`GET ${c.redirect.replace(/#.*/, '')} (the redirect)`, since,
        (r) => r.method === 'GET' && r.fullUrl === c.redirect.replace(/#.*/, ''));
      await waitFor(`the console tab to show ${c.redirect}`, () => tab.url() === c.redirect);
    });

    e2e(`${c.partition}: from a non-console tab, opens the prefilled link, then presses "Switch Role" on AWS's form`, async () => {
      const { popup } = await popupOver('https://example.test/');
      const since = aws.requests.length;
      await choose(popup, c.profile);
      await expectRequest(`GET ${c.link}`, since, (r) => r.method === 'GET' && r.fullUrl === c.link);
      const post = await expectRequest(`POST https://${c.signin}/switchrole (the extension's submit)`, since, isSwitchPost(c.signin));
      const fields = formPairs(post.body);
      const csrf = fields.find(([k]) => k === 'csrf')?.[1];
      const expected = [
        ['action', 'switchFromBasis'], ['src', 'nav'], ['mfaNeeded', '0'], ['csrf', csrf],
        ['accountId', c.account], ['roleName', c.roleName], ['displayName', c.displayName], ['color', c.linkColor],
      ];
      if (c.linkRedirect) expected.push(['redirect_uri', c.linkRedirect]);
      assert.deepEqual(fields, expected);
      assert.equal(post.status, 302);
    });
  }

  e2e('a console tab: the popup says who is signed in and lists that base account\'s targets first', async () => {
    const { popup } = await popupOver('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    const line = popup.locator('#signed-in');
    await waitFor('the "signed in" line to show the console\'s account 111111111111', async () =>
      (await line.isVisible()) && (await line.textContent()).includes('111111111111'));
    const first = popup.getByRole('listbox', { name: 'Roles', exact: true }).getByRole('option').first();
    await waitFor('the signed-in base account\'s target to be listed first', async () =>
      (await first.textContent()).includes('zz-base-target'));
  });

  e2e('a non-console tab: no "signed in" line, file order kept', async () => {
    const { popup } = await popupOver('https://example.test/');
    const first = popup.getByRole('listbox', { name: 'Roles', exact: true }).getByRole('option').first();
    await waitFor('the first option to be the first profile of the config', async () =>
      (await first.textContent()).includes('prod-admin'));
    assert.equal(await popup.locator('#signed-in').isVisible(), false);
  });

  e2e('multi-session console: POSTs JSON with X-CSRF-PROTECTION: 1 and opens the returned destination', async () => {
    const m = CASES.multiSession;
    const { destination } = m;
    aws.configure({ console: { prismModeEnabled: true, sessionDifferentiator: m.differentiator }, multiSessionDestination: () => destination });
    const { popup } = await popupOver(m.consoleUrl);
    const since = aws.requests.length;
    await choose(popup, m.profile);
    const post = await expectRequest(`POST ${m.post}`, since, (r) => r.method === 'POST' && r.fullUrl === m.post);
    assert.equal(post.headers['x-csrf-protection'], '1');
    assert.match(post.headers['content-type'], /^application\/json/);
    assert.equal(post.headers.origin, 'https://us-east-1.console.aws.amazon.com');
    assert.deepEqual(JSON.parse(post.body), m.body);
    assert.equal(post.status, 200);
    await expectRequest(`GET ${destination} in a new tab`, since, (r) => r.method === 'GET' && r.fullUrl === destination);
    await waitFor('a tab showing the destination', () => browser.context.pages().some((p) => p.url() === destination));
    assert.equal(aws.requests.slice(since).filter(isSwitchPost('signin.aws.amazon.com')).length, 0, 'no form POST in multi-session mode');
  });

  e2e('multi-session console: an empty destination says the identity may not switch to that role', async () => {
    aws.configure({ console: { prismModeEnabled: true } });
    const { popup } = await popupOver('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    const since = aws.requests.length;
    await choose(popup, 'forbidden-role');
    await expectRequest('POST …/sessions/abc123/v1/switchrole', since,
      (r) => r.method === 'POST' && r.url === '/sessions/abc123/v1/switchrole');
    await waitFor('the popup status to say the identity may not switch', async () => /may not switch to Forbidden/.test(await popupStatus(popup)));
    assert.match(await popupStatus(popup), /forbidden-role/);
  });

  e2e('a console page without a csrf token: falls back to the prefilled link and the extension\'s submit', async () => {
    aws.configure({ consoleCsrf: false });
    const { popup } = await popupOver('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    const since = aws.requests.length;
    await choose(popup, 'stage-dev');
    const link = 'https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=Dev&displayName=stage-dev&color=83d4e8';
    await expectRequest(`GET ${link}`, since, (r) => r.method === 'GET' && r.fullUrl === link);
    const post = await expectRequest('POST https://signin.aws.amazon.com/switchrole', since, isSwitchPost('signin.aws.amazon.com'));
    assert.equal(new URLSearchParams(post.body).get('accountId'), '222222222222');
    assert.equal(post.status, 302);
  });

  e2e('a console tab still loading: the popup does not hang, it opens the prefilled link and presses "Switch Role"', async () => {
    aws.configure({ consoleStall: true });
    const ctx = browser.context;
    const old = ctx.pages();
    const tab = watch(await within(10_000, 'a new tab', ctx.newPage()), 'tab');
    for (const p of old) await within(5_000, `closing ${p.url()}`, p.close()).catch(() => {});
    // The page never finishes loading, so navigation is only "committed".
    await tab.goto('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1', { waitUntil: 'commit', timeout: WAIT });
    await within(5_000, 'bringing the tab to the front', tab.bringToFront());
    const popup = watch(await openExtensionPopupWindow(ctx, browser.extensionId, 'popup.html'), 'popup');
    const since = aws.requests.length;
    await choose(popup, 'stage-dev');
    const link = 'https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=Dev&displayName=stage-dev&color=83d4e8';
    await expectRequest(`GET ${link} (the fallback, after the page did not answer)`, since, (r) => r.method === 'GET' && r.fullUrl === link);
    const post = await expectRequest('POST https://signin.aws.amazon.com/switchrole', since, isSwitchPost('signin.aws.amazon.com'));
    assert.equal(new URLSearchParams(post.body).get('accountId'), '222222222222');
    await tab.close().catch(() => {});
  });

  e2e('a 70-character profile name: displayName is cut to 64 keeping the account, and no 400', async () => {
    const { popup } = await popupOver('https://console.aws.amazon.com/console/home');
    const since = aws.requests.length;
    await choose(popup, LONG);
    const post = await expectRequest('POST https://signin.aws.amazon.com/switchrole', since, isSwitchPost('signin.aws.amazon.com'));
    const shown = new URLSearchParams(post.body).get('displayName');
    assert.equal(shown, LONG_SHOWN);
    assert.equal(shown.length, 64);
    assert.equal(post.status, 302);
  });

  e2e('an IAM Identity Center profile opens the access portal\'s console shortcut', async () => {
    const { popup } = await popupOver('https://example.test/');
    const since = aws.requests.length;
    const { profile, portal, shortcut } = CASES.identityCenter;
    await choose(popup, profile);
    await expectRequest(`GET ${portal}`, since, (r) => r.method === 'GET' && r.fullUrl === portal);
    await waitFor(`a tab on ${shortcut}`, () => browser.context.pages().some((p) => p.url() === shortcut));
    assert.equal(aws.requests.slice(since).filter((r) => r.method === 'POST').length, 0);
  });

  e2e('an ExternalId role: nothing is sent and the popup says why', async () => {
    const { popup } = await popupOver('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    const since = aws.requests.length;
    const option = popup.getByRole('listbox', { name: 'Roles', exact: true }).getByRole('option').filter({ hasText: 'partner-external' });
    await waitFor('the partner-external option to be shown disabled', async () => (await option.getAttribute('aria-disabled')) === 'true');
    await choose(popup, 'partner-external', { disabled: true });
    await waitFor('the popup status to give the ExternalId reason', async () => /ExternalId/.test(await popupStatus(popup)));
    await new Promise((r) => setTimeout(r, 1500));
    // The browser may still fetch the console tab's favicon; nothing else may reach AWS.
    assert.deepEqual(aws.requests.slice(since).filter((r) => !r.url.endsWith('/favicon.ico')).map((r) => `${r.method} ${r.fullUrl}`), []);
    assert.ok(!popup.isClosed(), 'the popup stays open to show the reason');
  });

  e2e('a prefilled switch-role page the extension did not open is never submitted', async () => {
    const ctx = browser.context;
    const since = aws.requests.length;
    const page = watch(await ctx.newPage(), 'tab');
    const link = PARTITION_CASES[0].link;
    await page.goto(link);
    await waitFor('the switch-role form to show', async () => (await page.getByRole('button', { name: 'Switch Role' }).count()) === 1);
    await new Promise((r) => setTimeout(r, 4000));
    assert.deepEqual(aws.requests.slice(since).filter((r) => r.method === 'POST').map((r) => r.fullUrl), []);
    assert.equal(page.url(), link, 'the page stays on the form');
  });
});
