// End-to-end: what the popup knows about the console tab it is opened over (issues 16 and 18):
// who is signed in (each shape of ConsoleNavService.AccountInfo the fake serves), "Hide account
// IDs" on that line and in the status, "Switch back" on a switched tab, the root user, and the
// time left of a role session. The built extension (dist/chrome) in Debian's Chromium against the
// fake AWS (tests/fake-aws/server.mjs); every switch is asserted on the request the fake received.
// Run with: bash tests/e2e/run.sh tests/e2e/console-tab.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { PageLog } from './lib/page-log.mjs';
import { launchChromiumWithExtension, popupOver as openPopupOver } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const TEST_TIMEOUT = 60_000;
const WAIT = 15_000;
const CONSOLE = 'https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1';

const CONFIG = `[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
[profile stage-dev]
role_arn = arn:aws:iam::222222222222:role/Dev
[profile forbidden-role]
role_arn = arn:aws:iam::222222222222:role/Forbidden
[profile fed]
aws_account_alias = my-login
role_name = Developer
[profile fed-dev]
role_arn = arn:aws:iam::333333333333:role/FedDev
source_profile = fed
[profile zz-console-base]
aws_account_id = 111111111111
aws_account_alias = console-base
[profile zz-base-target]
role_arn = arn:aws:iam::555555555555:role/Deploy
source_profile = zz-console-base
`;

const ID_PATTERN = /\d{12}|\d{4}-\d{4}-\d{4}/;

let aws;
let browser;
const log = new PageLog({ getAws: () => aws });
const watch = (page, label) => log.watch(page, label);



const waitFor = (what, fn, options = {}) => waitUntil(what, fn, { timeout: WAIT, ...options, context: () => log.context() });
const expectRequest = (what, since, match) => waitFor(what, () => aws.requests.slice(since).find(match));
const isSwitchPost = (r) => r.method === 'POST' && r.host === 'signin.aws.amazon.com' && r.url === '/switchrole';
const sentSince = (since) => aws.requests.slice(since).filter((r) => !r.url.endsWith('/favicon.ico')).map((r) => `${r.method} ${r.fullUrl}`);

/** Runs `fn` in an extension page (the popup's origin: its localStorage and chrome.storage). */
async function inExtension(fn, arg) {
  const page = watch(await browser.context.newPage(), 'options');
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const result = await page.evaluate(fn, arg);
  await page.close();
  return result;
}

async function setUp({ settings = {}, history = [] } = {}) {
  await inExtension(({ config, settings, history }) => {
    localStorage.setItem('aws-role-switcher.settings', JSON.stringify(settings));
    localStorage.setItem('aws-role-switcher.recent', JSON.stringify({ items: history }));
    return chrome.storage.local.set({ config });
  }, { config: CONFIG, settings, history });
}

/** A history item for a switch `minutesAgo` minutes ago (the fake clock: the stored switch time). */
const switchedAgo = (profile, account, roleName, minutesAgo) => ({
  profile, partition: 'aws', account, role_name: roleName,
  last_used_ms: Date.now() - minutesAgo * 60_000, count: 1, pinned: false,
});

const popupOver = (url) => openPopupOver(browser, url, { watch, timeout: WAIT });

const roles = (popup) => popup.getByRole('listbox', { name: 'Roles', exact: true }).getByRole('option');
const text = async (locator) => ((await locator.isVisible()) ? (await locator.textContent()).replace(/\s+/g, ' ').trim() : '');
const status = async (popup) => (await popup.getByRole('status').allTextContents()).join(' ');

async function shot(popup, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await popup.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

const e2e = (name, fn) => log.test(name, { timeout: TEST_TIMEOUT, artifacts: ARTIFACTS, prefix: 'console-tab' }, fn);

async function launch(lang) {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`${EXTENSION_DIR}/manifest.json is missing: run ./build.sh first`);
  aws = await startFakeAws();
  browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port, lang });
}

async function shutDown() {
  await browser?.close();
  await aws?.close();
}

function reset() {
  aws.configure({ identity: 'account-id', console: {}, consoleCsrf: true, accountInfo: undefined });
  log.reset();
}

describe('Chromium: the console tab under the popup', { timeout: 30 * TEST_TIMEOUT }, () => {
  before(() => launch('en-US'));
  after(shutDown);
  afterEach(reset);

  e2e('loginDisplayNameAccount with dashes and no accountId: "Signed in" and the base account\'s targets first', async () => {
    await setUp();
    aws.configure({ identity: 'display-name' });
    const { popup } = await popupOver(CONSOLE);
    const line = popup.locator('#signed-in');
    await waitFor('the "signed in" line to name base-user in 111111111111', async () =>
      /base-user.*111111111111/.test(await text(line)));
    await waitFor('the signed-in base account\'s target to be listed first', async () =>
      (await roles(popup).first().textContent()).includes('zz-base-target'));
  });

  e2e('an account alias (federated login) matches aws_account_alias and role_name', async () => {
    await setUp();
    aws.configure({ identity: 'alias' });
    const { popup } = await popupOver(CONSOLE);
    await waitFor('the "signed in" line to name Developer in my-login', async () =>
      /Developer.*my-login/.test(await text(popup.locator('#signed-in'))));
    await waitFor('fed-dev (the target of the base account "fed") to be listed first', async () =>
      (await roles(popup).first().textContent()).includes('fed-dev'));
  });

  e2e('accountId alone (the earlier fake) is still read', async () => {
    await setUp();
    aws.configure({ identity: 'account-id', accountInfo: { loginDisplayNameAccount: undefined } });
    const { popup } = await popupOver(CONSOLE);
    await waitFor('the "signed in" line to name 111111111111', async () =>
      /base-user.*111111111111/.test(await text(popup.locator('#signed-in'))));
  });

  e2e('"Hide account IDs": the signed-in line shows the alias, and a status quoting IDs hides them', async () => {
    await setUp({ settings: { hide_account_ids: true } });
    aws.configure({ identity: 'display-name', console: { prismModeEnabled: true } });
    const { popup } = await popupOver(CONSOLE);
    const line = popup.locator('#signed-in');
    await waitFor('the "signed in" line to name base-user in console-base', async () =>
      /base-user.*console-base/.test(await text(line)));
    assert.doesNotMatch(await text(line), ID_PATTERN);
    // Multi-session: AWS refuses Forbidden, and the status names both accounts.
    await popup.getByRole('combobox', { name: 'Search roles' }).fill('forbidden-role');
    await waitFor('one option for forbidden-role', async () => (await roles(popup).count()) === 1);
    await roles(popup).first().click();
    await waitFor('the status to say the identity may not switch', async () => /may not switch to Forbidden/.test(await status(popup)));
    assert.doesNotMatch(await status(popup), ID_PATTERN);
    assert.match(await status(popup), /console-base/);
  });

  e2e('a switched tab: "Switch back to base-user" is the first action, Enter still opens the first role', async () => {
    await setUp();
    aws.configure({ identity: 'switched' });
    const { popup } = await popupOver(CONSOLE);
    const back = popup.getByRole('button', { name: /Switch back to base-user/ });
    await waitFor('a "Switch back to base-user" button', () => back.isVisible());
    assert.match(await text(back), /base-user.*111111111111/);
    const backBox = await back.boundingBox();
    const listBox = await popup.getByRole('listbox', { name: 'Roles', exact: true }).boundingBox();
    assert.ok(backBox.y < listBox.y, 'the button comes before the lists');
    assert.match(await text(popup.locator('#console-switched')), /Dev.*222222222222/);
    // Enter on an empty query opens the active option (a role), never the switch back.
    const since = aws.requests.length;
    // The popup closes itself as the switch starts, which may end the key press early.
    await popup.getByRole('combobox', { name: 'Search roles' }).press('Enter')
      .catch((e) => { if (!popup.isClosed() && !/has been closed/.test(e.message)) throw e; });
    const post = await expectRequest('a POST to /switchrole', since, isSwitchPost);
    assert.equal(new URLSearchParams(post.body).get('action'), 'switchFromBasis');
  });

  e2e('a switched tab: "Switch back" POSTs the console\'s own switchToBasis form and the tab lands back', async () => {
    await setUp();
    aws.configure({ identity: 'switched' });
    const { tab, popup } = await popupOver(CONSOLE);
    const back = popup.getByRole('button', { name: /Switch back to base-user/ });
    await waitFor('a "Switch back to base-user" button', () => back.isVisible());
    const since = aws.requests.length;
    await back.click().catch((e) => { if (!popup.isClosed()) throw e; });
    const post = await expectRequest('POST https://signin.aws.amazon.com/switchrole', since, isSwitchPost);
    const fields = [...new URLSearchParams(post.body)];
    const csrf = fields.find(([k]) => k === 'csrf')?.[1];
    assert.ok(aws.csrfTokens.has(csrf), 'the console page\'s csrf token');
    assert.deepEqual(fields, [['action', 'switchToBasis'], ['src', 'nav'], ['csrf', csrf], ['redirect_uri', CONSOLE]]);
    assert.equal(post.status, 302);
    await expectRequest('the console page again (the redirect)', since, (r) => r.method === 'GET' && r.fullUrl === CONSOLE);
    await waitFor('the console tab to show the console page', () => tab.url() === CONSOLE);
    // Back to base-user: the popup over it offers no switch back.
    const { popup: again } = await popupOver(CONSOLE);
    await waitFor('the "signed in" line', async () => /base-user/.test(await text(again.locator('#signed-in'))));
    assert.equal(await again.getByRole('button', { name: /Switch back/ }).count(), 0);
  });

  e2e('a switched tab with no csrf token: the popup says where the console\'s own "Switch back" is, and sends nothing', async () => {
    await setUp();
    aws.configure({ identity: 'switched', consoleCsrf: false });
    const { popup } = await popupOver(CONSOLE);
    const hint = popup.locator('#switch-back-hint');
    await waitFor('the hint to name the console\'s account menu', async () => /account menu/.test(await text(hint)));
    assert.equal(await popup.getByRole('button', { name: /Switch back/ }).count(), 0);
    const since = aws.requests.length;
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(sentSince(since), []);
  });

  e2e('the root user: one line says so, every role is marked, nothing is sent, a new tab is offered', async () => {
    await setUp();
    aws.configure({ identity: 'root' });
    const { popup } = await popupOver(CONSOLE);
    const line = popup.locator('#console-root');
    await waitFor('the root line', async () => /root user cannot switch roles/.test(await text(line)));
    const options = roles(popup);
    await waitFor('every role marked not switchable from this tab', async () => {
      const n = await options.count();
      if (n === 0) return false;
      for (let i = 0; i < n; i++) {
        if ((await options.nth(i).getAttribute('aria-disabled')) !== 'true') return false;
        if (!/root user/.test(await options.nth(i).textContent())) return false;
      }
      return true;
    });
    const since = aws.requests.length;
    await popup.getByRole('combobox', { name: 'Search roles' }).fill('stage-dev');
    await waitFor('one option for stage-dev', async () => (await options.count()) === 1);
    await options.first().click({ force: true });
    await waitFor('the status to give the root reason', async () => /root user/.test(await status(popup)));
    await popup.getByRole('combobox', { name: 'Search roles' }).press('Enter');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(sentSince(since), [], 'nothing is sent from a root tab');
    assert.ok(!popup.isClosed());
    const open = popup.getByRole('button', { name: /stage-dev.*new tab/ });
    await waitFor('an "open in a new tab" button for stage-dev', () => open.isVisible());
    await open.click().catch((e) => { if (!popup.isClosed()) throw e; });
    const link = 'https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=Dev&displayName=stage-dev';
    await expectRequest(`GET ${link} in a new tab`, since, (r) => r.method === 'GET' && r.fullUrl === link);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(aws.requests.slice(since).filter((r) => r.method === 'POST').length, 0, 'the new tab\'s form is not pressed');
  });

  e2e('time left: a role the extension switched to 47 minutes ago has at most 12 whole minutes left, 55 minutes ago is marked', async () => {
    aws.configure({ identity: 'switched' });
    await setUp({
      history: [
        switchedAgo('stage-dev', '222222222222', 'Dev', 47),
        switchedAgo('prod-admin', '123456789012', 'Admin', 130),
      ],
    });
    let { popup } = await popupOver(CONSOLE);
    const left = popup.locator('#session-left');
    await waitFor('"12 min left" on the switched line', async () => /12 min left/.test(await text(left)));
    assert.match(await left.getAttribute('title'), /at most one hour/);
    assert.notEqual(await left.getAttribute('data-low'), 'true');
    const recent = popup.getByRole('listbox', { name: 'Recent' }).getByRole('option');
    await waitFor('Recent to show 12 min left for stage-dev only', async () =>
      /12 min left/.test(await recent.filter({ hasText: 'stage-dev' }).textContent())
      && !/min left/.test(await recent.filter({ hasText: 'prod-admin' }).textContent()));
    // Within the hour the time left says when; "N min ago" beside it only pushed the role's
    // name out of the row. An older switch still says how long ago it was.
    assert.doesNotMatch(await recent.filter({ hasText: 'stage-dev' }).textContent(), /ago/);
    assert.match(await recent.filter({ hasText: 'prod-admin' }).textContent(), /ago/);
    const clipped = await recent.filter({ hasText: 'stage-dev' }).locator('.detail > *').evaluateAll(
      (parts) => parts.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.textContent));
    assert.deepEqual(clipped, [], 'every part of the Recent row\'s detail line is shown whole');
    await shot(popup, 'console-tab-switched-en');

    await setUp({ history: [switchedAgo('stage-dev', '222222222222', 'Dev', 55)] });
    ({ popup } = await popupOver(CONSOLE));
    const low = popup.locator('#session-left');
    await waitFor('"4 min left", marked low', async () => /4 min left/.test(await text(low)) && (await low.getAttribute('data-low')) === 'true');
  });
});

// The same two tabs in each language, for the screenshots (looked at by hand) and the words.
const LANGUAGES = [
  { lang: 'zh-CN', slug: 'zh_CN', switchBack: /切换回/, root: /根用户/ },
  { lang: 'zh-TW', slug: 'zh_TW', switchBack: /切換回/, root: /根使用者/ },
  { lang: 'en-US', slug: 'en', switchBack: /Switch back/, root: /root user/ },
];

for (const l of LANGUAGES) {
  describe(`Chromium (${l.lang}): switched and root console tabs`, { timeout: 10 * TEST_TIMEOUT }, () => {
    before(() => launch(l.lang));
    after(shutDown);
    afterEach(reset);

    e2e(`${l.lang}: the switched tab's line, switch back and time left, and the root line`, async () => {
      aws.configure({ identity: 'switched' });
      await setUp({ history: [switchedAgo('stage-dev', '222222222222', 'Dev', 52)] });
      let { popup } = await popupOver(CONSOLE);
      await waitFor('the switch back button', async () => l.switchBack.test(await text(popup.locator('#switch-back'))));
      await waitFor('the time left', async () => /7/.test(await text(popup.locator('#session-left'))));
      await shot(popup, `console-tab-switched-${l.slug}`);
      aws.configure({ identity: 'root' });
      ({ popup } = await popupOver(CONSOLE));
      await waitFor('the root line', async () => l.root.test(await text(popup.locator('#console-root'))));
      await shot(popup, `console-tab-root-${l.slug}`);
    });
  });
}
