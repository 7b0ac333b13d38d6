// End-to-end: the built extension (dist/chrome) in Debian's Chromium, against
// the fake AWS on loopback. Run with tests/e2e/run.sh (or, from the repo root,
// node --test --test-concurrency=1 tests/e2e/*.test.mjs).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { closePage, launchChromiumWithExtension, openExtensionPopupWindow } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const TEST_TIMEOUT = 60_000;
const WAIT = 15_000;

const CONFIG = `[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
region = eu-west-1
[profile cn-ops]
role_arn = arn:aws-cn:iam::210987654321:role/ops/Operator
[profile gov-audit]
aws_account_id = 345678901234
role_name = Auditor
role_arn = arn:aws-us-gov:iam::345678901234:role/Auditor
`;

const PROFILES = [
  { name: 'prod-admin', account: '123456789012' },
  { name: 'cn-ops', account: '210987654321' },
  { name: 'gov-audit', account: '345678901234' },
];

const EXPECTED = {
  'cn-ops': 'https://signin.amazonaws.cn/switchrole?account=210987654321&roleName=ops%2FOperator&displayName=cn-ops',
  'prod-admin': 'https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=Admin&displayName=prod-admin'
    + '&redirect_uri=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1',
  'gov-audit': 'https://signin.amazonaws-us-gov.com/switchrole?account=345678901234&roleName=Auditor&displayName=gov-audit',
};

// ---------------------------------------------------------------- helpers

let aws;
let browser;
let tmp;
let pageErrors = [];
let livePages = [];

function watch(page, label) {
  livePages.push({ page, label });
  page.on('pageerror', (e) => pageErrors.push(`[${label}] uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (/favicon\.ico$/.test(m.location()?.url || '')) return;
    if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`[${label}] console.${m.type()}: ${m.text()}`);
  });
  return page;
}

function dumpRequests() {
  if (!aws) return '(fake AWS not running)';
  const lines = aws.requests
    .filter((r) => !r.url.endsWith('/favicon.ico'))
    .map((r) => `  ${r.method} ${r.fullUrl} -> ${r.status ?? '?'}${r.body ? `  body=${r.body}` : ''}`);
  return lines.length ? lines.join('\n') : '  (none)';
}

function context() {
  return [
    'recorded requests to fake AWS:',
    dumpRequests(),
    pageErrors.length ? 'extension page errors/warnings:\n  ' + pageErrors.join('\n  ') : 'extension page errors: (none)',
  ].join('\n');
}

/** Poll fn() until it returns a truthy value; on timeout fail with `what` and the observed value. */
const waitFor = (what, fn, options = {}) => waitUntil(what, fn, { timeout: WAIT, ...options, context });

/** Wait until the fake AWS has received a GET for exactly `fullUrl` (after index `since`). */
async function expectGet(fullUrl, since) {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const hit = aws.requests.slice(since).find((r) => r.method === 'GET' && r.fullUrl === fullUrl);
    if (hit) return hit;
    if (Date.now() > deadline) {
      const got = aws.requests.slice(since).filter((r) => !r.url.endsWith('/favicon.ico'))
        .map((r) => `${r.method} ${r.fullUrl}`);
      throw new assert.AssertionError({
        message: `expected the fake AWS to receive\n  GET ${fullUrl}\nbut since the action it received:\n  `
          + (got.length ? got.join('\n  ') : '(nothing)') + `\n${context()}`,
        expected: fullUrl,
        actual: got.join('\n'),
        operator: 'includes',
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function screenshot(page, file) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, file) });
}

async function openOptions() {
  const page = watch(await browser.context.newPage(), 'options');
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return page;
}

const importInput = (page) => page.getByLabel(/Import/i).and(page.locator('input[type="file"]'));
const configTextarea = (page) => page.getByRole('textbox', { name: /Configuration/i });
const saveButton = (page) => page.getByRole('button', { name: /^\s*Save\b/i });

async function statusText(page) {
  return (await page.getByRole('status').allTextContents()).join(' | ');
}

/** Import CONFIG-like text through the file input and save it; returns the options page. */
async function importAndSave(text, fileName = 'aws-config.ini') {
  const page = await openOptions();
  const file = join(tmp, fileName);
  writeFileSync(file, text);
  const input = importInput(page);
  await waitFor('a file input whose accessible name contains "Import"', async () => (await input.count()) === 1,
    { show: async () => `${await input.count()} matching elements` });
  await input.setInputFiles(file);
  const area = configTextarea(page);
  await waitFor('the "Configuration" textarea to show the imported text',
    async () => (await area.inputValue()).trimEnd() === text.trimEnd(),
    { show: () => area.inputValue() });
  await saveButton(page).click();
  return page;
}

let configSaved = false;
async function ensureConfigSaved() {
  if (configSaved) return;
  const page = await importAndSave(CONFIG);
  await waitFor('the role="status" region to say "Saved"', async () => /Saved/.test(await statusText(page)),
    { show: () => statusText(page) });
  await page.close();
  configSaved = true;
}

/** A normal window whose active tab is https://example.test/, then the popup in its own window. */
async function openPopupOverExample() {
  const ctx = browser.context;
  // A fresh tab: earlier tests may have left a tab mid-navigation to a switch URL.
  const old = ctx.pages();
  const tab = watch(await ctx.newPage(), 'tab');
  for (const p of old) await closePage(p);
  await tab.goto('https://example.test/');
  assert.equal(await tab.title(), 'Example', 'example.test tab should show the fake "Example" page');
  await tab.bringToFront();
  const popup = watch(await openExtensionPopupWindow(ctx, browser.extensionId, 'popup.html'), 'popup');
  return { tab, popup };
}

const searchBox = (popup) => popup.getByRole('combobox', { name: /Search roles/i });
const rolesList = (popup) => popup.getByRole('listbox', { name: 'Roles', exact: true });

async function optionTexts(popup) {
  return (await rolesList(popup).getByRole('option').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Press/click that may close the page (the popup closes itself after a switch): that is not an error. */
async function actClosing(page, action) {
  try {
    await action();
  } catch (e) {
    if (!(page.isClosed() || /has been closed|Target closed/i.test(e.message))) throw e;
  }
}

/** A test with the per-test timeout that, on failure, screenshots every open page into target/e2e-artifacts. */
function e2e(name, fn) {
  test(name, { timeout: TEST_TIMEOUT }, async () => {
    try {
      await fn();
    } catch (e) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50).replace(/-+$/, '');
      for (const [i, { page, label }] of livePages.entries()) {
        if (!page.isClosed()) await screenshot(page, `failure-${slug}-${i}-${label}.png`).catch(() => {});
      }
      throw e;
    }
  });
}

// ---------------------------------------------------------------- suite

describe('Chromium: AWS Role Switcher', { timeout: 10 * TEST_TIMEOUT }, () => {
  before(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
      throw new Error(`${EXTENSION_DIR}/manifest.json is missing: run ./build.sh first`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of readdirSync(ARTIFACTS)) {
      if (/^(failure-.*|popup-chromium)\.png$/.test(f)) rmSync(join(ARTIFACTS, f), { force: true });
    }
    tmp = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
    aws = await startFakeAws();
    browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
    browser.context.on('serviceworker', (w) => {
      if (w.url().startsWith(`chrome-extension://${browser.extensionId}/`)) {
        pageErrors.push(`[service worker started] ${w.url()}`);
      }
    });
  });

  after(async () => {
    await browser?.close();
    await aws?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const { page, label } of livePages) {
      if (label !== 'tab' && !page.isClosed()) await closePage(page);
    }
    livePages = [];
    pageErrors = [];
  });

  e2e('options: importing a config file fills "Configuration" and Save reports "Saved"', async () => {
    const page = await importAndSave(CONFIG);
    await waitFor('the role="status" region to contain "Saved"', async () => /Saved/.test(await statusText(page)),
      { show: () => statusText(page) });
    assert.match(await statusText(page), /Saved/);
    configSaved = true;
  });

  e2e('popup: search box focused, one option per role, Recent list, Enter on "cn-ops" opens the aws-cn switch page', async () => {
    await ensureConfigSaved();
    const { popup } = await openPopupOverExample();

    const box = searchBox(popup);
    await waitFor('the combobox named "Search roles" to be focused when the popup opens',
      () => box.evaluate((el) => el === document.activeElement),
      { show: () => popup.evaluate(() => {
        const a = document.activeElement;
        return a ? `${a.tagName} role=${a.getAttribute('role')} aria-label=${a.getAttribute('aria-label')}` : 'nothing';
      }) });

    await waitFor(`the listbox "Roles" to have ${PROFILES.length} options`,
      async () => (await optionTexts(popup)).length === PROFILES.length, { show: () => optionTexts(popup) });
    const texts = await optionTexts(popup);
    for (const p of PROFILES) {
      const dashed = p.account.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3');
      assert.ok(texts.some((t) => t.includes(p.name) && (t.includes(p.account) || t.includes(dashed))),
        `expected an option showing profile "${p.name}" and account ${p.account}; options were ${JSON.stringify(texts)}`);
    }
    const recent = popup.getByRole('listbox', { name: /^Recent/i, includeHidden: true });
    assert.equal(await recent.count(), 1, 'expected exactly one listbox named "Recent"');

    await screenshot(popup, 'popup-chromium.png');

    await box.pressSequentially('cn-ops');
    await waitFor('typing "cn-ops" to filter "Roles" to exactly one option, cn-ops', async () => {
      const t = await optionTexts(popup);
      return t.length === 1 && t[0].includes('cn-ops');
    }, { show: () => optionTexts(popup) });

    const since = aws.requests.length;
    await actClosing(popup, () => box.press('Enter'));
    await expectGet(EXPECTED['cn-ops'], since);
  });

  e2e('popup: Enter on "prod-admin" (region eu-west-1) opens the switch page with redirect_uri', async () => {
    await ensureConfigSaved();
    const { popup } = await openPopupOverExample();
    const box = searchBox(popup);
    await waitFor('the "Roles" listbox to be populated', async () => (await optionTexts(popup)).length > 0,
      { show: () => optionTexts(popup) });
    await box.pressSequentially('prod-admin');
    await waitFor('typing "prod-admin" to filter "Roles" to exactly one option', async () => {
      const t = await optionTexts(popup);
      return t.length === 1 && t[0].includes('prod-admin');
    }, { show: () => optionTexts(popup) });
    const since = aws.requests.length;
    await actClosing(popup, () => box.press('Enter'));
    await expectGet(EXPECTED['prod-admin'], since);
  });

  e2e('popup: clicking the "gov-audit" option opens the aws-us-gov switch page', async () => {
    await ensureConfigSaved();
    const { popup } = await openPopupOverExample();
    const option = rolesList(popup).getByRole('option').filter({ hasText: 'gov-audit' });
    await waitFor('one option for gov-audit in "Roles"', async () => (await option.count()) === 1,
      { show: () => optionTexts(popup) });
    const since = aws.requests.length;
    await actClosing(popup, () => option.click());
    await expectGet(EXPECTED['gov-audit'], since);
  });

  e2e('options: a config with a bad line shows "line N:" in the Diagnostics region', async () => {
    // Line 3 is neither a section header, a key = value pair nor a comment.
    const bad = '[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nthis line is not valid\n';
    const page = await importAndSave(bad, 'bad-config.ini');
    // Diagnostics may live in the role="status" live region (announced to screen
    // readers) or in a region/list whose accessible name contains "Diagnostics".
    const diagText = async () => {
      const parts = [
        ...(await page.getByRole('status').allTextContents()),
        ...(await page.getByRole('region', { name: /Diagnostics/i }).allTextContents()),
        ...(await page.getByRole('list', { name: /Diagnostics/i }).allTextContents()),
      ];
      return parts.join(' | ');
    };
    await waitFor('the diagnostics (role="status" region, or a region named "Diagnostics") to mention "line 3:"',
      async () => /line 3:/.test(await diagText()),
      { show: async () => (await diagText()) || '(no status region / Diagnostics region, or it is empty)' });
    // The good config must still be the saved one for anything that runs later.
    configSaved = false;
  });
});
