// End-to-end: the popup (dist/chrome) in Debian's Chromium, in English, 简体中文 and 繁體中文,
// in the light and dark themes: keyboard navigation and Enter, the "Recent" order and colours
// after two switches, hostile names as text, 200% zoom, and a screenshot of each
// theme × language in target/e2e-artifacts/popup-<theme>-<lang>.png (and of the options page's
// diagnostics in options-diagnostics-<lang>.png).
// Run with: bash tests/e2e/run.sh tests/e2e/popup.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { CHROMIUM_PATH, closePage, findExtensionId, hostResolverRules, openExtensionPopupWindow } from './lib/browser.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const WAIT = 30_000; // generous: a loaded CI machine; a wait returns as soon as its condition holds

// The config and what each language shows are shared with the Firefox suite (tests/e2e/fixtures/).
const CONFIG = readFileSync(join(REPO, 'tests/e2e/fixtures/popup.ini'), 'utf8');
const SHARED = JSON.parse(readFileSync(join(REPO, 'tests/e2e/fixtures/popup-languages.json'), 'utf8'));
const HOSTILE_GROUP = SHARED.hostileGroup;
const LANGS = Object.fromEntries(Object.entries(SHARED.languages).map(([lang, s]) => [lang,
  { ...s, diagnostic: new RegExp(s.diagnostic), damaged: new RegExp(s.damaged) }]));

/** The popup's stable colour for an account without `color` (src/roles/color.rs, color_for_account). */
function colorForAccount(account) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(account)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const hue = hash % 360;
  const s = 0.55;
  const l = 0.72;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]][Math.min(5, Math.floor(hue / 60))];
  const byte = (v) => Math.round((v + m) * 255);
  return `rgb(${byte(r)}, ${byte(g)}, ${byte(b)})`;
}

const waitFor = (what, fn, show) => waitUntil(what, fn, { timeout: WAIT, show });

/** Chromium with the extension, its UI in `lang` (the --lang flag and LANGUAGE decide chrome.i18n). */
async function launch(lang, aws) {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-popup-'));
  const context = await chromium.launchPersistentContext(dataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false, // --headless=new below
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--no-default-browser-check', '--window-size=1280,800',
      `--lang=${LANGS[lang].flag}`,
      `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`,
      '--ignore-certificate-errors', `--host-resolver-rules=${hostResolverRules(aws.port)}`,
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
    ignoreHTTPSErrors: true,
    viewport: null,
    timeout: 60_000,
    env: { ...process.env, LANGUAGE: LANGS[lang].env, LANG: `${LANGS[lang].env}.UTF-8`, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  const extensionId = await findExtensionId(context);
  const problems = [];
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { context, extensionId, problems, close };
}

/** Saves CONFIG through the options page (by element id: its labels are localised). */
async function saveConfig(b, lang) {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  await page.locator('#config').fill(CONFIG);
  const diagnostics = () => page.locator('#diagnostics li').allTextContents();
  await waitFor('the diagnostics to list the ExternalId note', async () => (await diagnostics()).some((t) => t.includes('[external-id]')),
    diagnostics);
  const listed = await diagnostics();
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.locator('#diagnostics').screenshot({ path: join(ARTIFACTS, `options-diagnostics-${lang}.png`) });
  await page.locator('#save').click();
  // Done when Save is enabled again: a save that takes a while says "Saving…" first.
  await waitFor('the options page to report the save', async () => (await page.locator('#save-result').textContent()).trim() !== ''
    && !(await page.locator('#save').isDisabled()),
    () => page.locator('#save-result').textContent());
  await page.close();
  return listed;
}

/** A normal tab on https://example.test/, then the popup in its own 400×600 window. */
async function openPopup(b) {
  const old = b.context.pages();
  const tab = await b.context.newPage();
  for (const p of old) await closePage(p);
  await tab.goto('https://example.test/');
  await tab.bringToFront();
  const popup = await openExtensionPopupWindow(b.context, b.extensionId, 'popup.html', { width: 400, height: 600 });
  popup.on('pageerror', (e) => b.problems.push(`uncaught: ${e.message}`));
  popup.on('dialog', (d) => { b.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  popup.on('console', (m) => { if (m.type() === 'error') b.problems.push(`console.error: ${m.text()}`); });
  await waitFor('the "Roles" listbox to have options', () => popup.locator('#roles [role=option]').count());
  return popup;
}

const optionTexts = async (popup, list) => (await popup.locator(`#${list} [role=option]`).allTextContents())
  .map((t) => t.replace(/\s+/g, ' ').trim());

async function activeOption(popup) {
  return popup.evaluate(() => {
    const id = document.getElementById('search').getAttribute('aria-activedescendant');
    const el = id && document.getElementById(id);
    return el ? { id, text: el.textContent, selected: el.getAttribute('aria-selected'), list: el.parentElement.id } : { id };
  });
}

/** Enter switches and the popup closes itself; wait for that. */
async function pressEnterAndWaitForClose(popup) {
  const closed = popup.waitForEvent('close', { timeout: WAIT });
  await popup.locator('#search').press('Enter').catch((e) => {
    if (!/closed/i.test(e.message)) throw e;
  });
  await closed;
}

async function screenshot(popup, theme, lang) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await popup.screenshot({ path: join(ARTIFACTS, `popup-${theme}-${lang}.png`) });
}

const aws = await startFakeAws();
after(async () => aws.close());

describe('Chromium: the popup', { timeout: 600_000 }, () => {
  for (const lang of Object.keys(LANGS)) {
    test(`${lang}: keyboard, Recent after two switches, both themes, hostile text`, { timeout: 180_000 }, async () => {
      if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('run ./build.sh first');
      const b = await launch(lang, aws);
      try {
        const diagnostics = await saveConfig(b, lang);
        let popup = await openPopup(b);
        const strings = LANGS[lang];

        // The options page's diagnostics in the UI's language, the core's exact English after.
        assert.ok(diagnostics.some((t) => strings.diagnostic.test(t)), JSON.stringify(diagnostics));

        // The UI speaks the browser's language.
        assert.equal(await popup.locator('#search').getAttribute('placeholder'), strings.search);
        assert.equal((await popup.locator('#roles-label').textContent()).trim(), strings.roles);
        assert.equal(await popup.getByRole('combobox', { name: strings.search }).count(), 1);
        // Why a role cannot be switched to, in the UI's language too (the core's English on hover).
        const reason = popup.locator('#roles [role=option]', { hasText: 'partner' }).locator('.reason');
        assert.equal((await reason.textContent()).trim(), `⚠ ${strings.externalId}`);
        assert.match(await reason.getAttribute('title'), /^roles that require an ExternalId cannot be switched to/);

        // Groups: the base account "org" and the (hostile) group get headers; text stays text.
        const headers = await popup.locator('#roles .group-header').allTextContents();
        assert.ok(headers.includes('org'), JSON.stringify(headers));
        assert.ok(headers.includes(HOSTILE_GROUP), JSON.stringify(headers));
        assert.equal(await popup.locator('main img, main script').count(), 0);
        assert.equal(await popup.evaluate(() => window.__pwned), undefined);

        // Keyboard: the combobox keeps focus; aria-activedescendant follows ↑ ↓ Home End.
        const box = popup.locator('#search');
        assert.ok(await box.evaluate((el) => el === document.activeElement), 'the search box has focus');
        const first = await activeOption(popup);
        assert.equal(first.selected, 'true');
        await box.press('ArrowDown');
        const second = await activeOption(popup);
        assert.notEqual(second.id, first.id);
        assert.equal(second.selected, 'true');
        await box.press('End');
        assert.match((await activeOption(popup)).text, /partner/);
        await box.press('Home');
        assert.equal((await activeOption(popup)).id, first.id);

        // Search: ranked, highlighted; Escape clears first.
        await box.pressSequentially('cn-o');
        await waitFor('"cn-o" to leave cn-ops first', async () => (await optionTexts(popup, 'roles'))[0]?.includes('cn-ops'),
          () => optionTexts(popup, 'roles'));
        // The matches are painted (CSS Custom Highlight API) over the rows' own text nodes.
        const painted = await popup.evaluate(() => [...(CSS.highlights.get('ars-match') ?? [])]
          .map((r) => `${r.toString()}@${r.startContainer.parentElement?.closest('[role=option]')?.id}`));
        const firstId = await popup.locator('#roles [role=option]').first().getAttribute('id');
        assert.equal(painted[0], `cn-o@${firstId}`);
        await box.press('Escape');
        assert.equal(await box.inputValue(), '');
        assert.ok(!popup.isClosed(), 'the first Escape only clears');

        // Two switches: cn-ops, then prod-admin (by keyboard).
        await box.pressSequentially('cn-ops');
        await waitFor('cn-ops to be active', async () => /cn-ops/.test((await activeOption(popup)).text ?? ''));
        await pressEnterAndWaitForClose(popup);
        popup = await openPopup(b);
        await popup.locator('#search').pressSequentially('prod adm');
        await waitFor('prod-admin to be active', async () => /prod-admin/.test((await activeOption(popup)).text ?? ''));
        await pressEnterAndWaitForClose(popup);
        popup = await openPopup(b);

        // Recent: most recent first, each in its role's colour (else its account's).
        await waitFor('"Recent" to list two roles', async () => (await optionTexts(popup, 'recent')).length === 2,
          () => optionTexts(popup, 'recent'));
        const recent = await optionTexts(popup, 'recent');
        assert.match(recent[0], /prod-admin/);
        assert.match(recent[1], /cn-ops/);
        assert.match(recent[0], /1/);
        const swatches = await popup.locator('#recent [role=option] .swatch')
          .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
        assert.deepEqual(swatches, ['rgb(255, 153, 0)', colorForAccount('210987654321')]);
        assert.equal(await popup.getByRole('listbox', { name: strings.recent }).count(), 1);
        // With an empty query Enter would reopen the most recent role: it is the active option.
        assert.equal((await activeOption(popup)).list, 'recent');

        // Both themes, by the system's preference, with a screenshot of each.
        for (const theme of ['light', 'dark']) {
          await popup.emulateMedia({ colorScheme: theme });
          const bg = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
          assert.equal(bg, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(22, 25, 31)', `${theme} background`);
          await screenshot(popup, theme, lang);
        }

        // A config the browser's storage damaged: the popup says so in the UI's language and
        // lists the roles of its intact copy.
        await popup.evaluate(async () => {
          const { config } = await chrome.storage.local.get('config');
          await chrome.storage.local.set({ config: config.slice(0, 40) });
        });
        await popup.reload();
        await waitFor('the damage to be reported', async () => strings.damaged.test(await popup.locator('#popup-status').textContent()),
          () => popup.locator('#popup-status').textContent());
        assert.ok((await optionTexts(popup, 'roles')).some((t) => t.includes('partner')), 'the copy\'s roles are listed');

        if (lang === 'en') {
          // The settings' theme overrides the system's.
          await popup.evaluate(() => localStorage.setItem('aws-role-switcher.settings', JSON.stringify({ theme: 'dark' })));
          await popup.emulateMedia({ colorScheme: 'light' });
          await popup.reload();
          await waitFor('the popup to draw again', () => popup.locator('#roles [role=option]').count());
          assert.equal(await popup.evaluate(() => document.documentElement.dataset.theme), 'dark');
          assert.equal(await popup.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(22, 25, 31)');
          await popup.evaluate(() => localStorage.removeItem('aws-role-switcher.settings'));

          // 200% zoom of a 400×600 popup is a 200×300 CSS-pixel viewport: nothing overflows.
          await popup.setViewportSize({ width: 200, height: 300 });
          const overflow = await popup.evaluate(() => ({
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            rows: [...document.querySelectorAll('[role=option]')].filter((o) => o.scrollWidth > o.clientWidth + 1).length,
          }));
          assert.deepEqual(overflow, { page: 0, rows: 0 });
          mkdirSync(ARTIFACTS, { recursive: true });
          await popup.screenshot({ path: join(ARTIFACTS, 'popup-zoom200-en.png') });
        }
        assert.deepEqual(b.problems, []);
      } finally {
        await b.close();
      }
    });
  }
});
