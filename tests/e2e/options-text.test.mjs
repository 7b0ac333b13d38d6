// End-to-end: what the options page says in each of its three languages: counts with the
// language's plural form (English "1 role", "2 roles"; Chinese with its measure word), the
// empty version list as a sentence (not a numbered list of one non-item), and how to change
// the popup's keyboard shortcut, with the binding the browser has now.
// Run with: bash tests/e2e/run.sh tests/e2e/options-text.test.mjs

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { closePage, launchChromiumWithExtension } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');

const ONE_ROLE = '[profile prod-admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n';
const TWO_ROLES = `${ONE_ROLE}[profile vendor]\nrole_arn = arn:aws:iam::210987654321:role/Vendor\nexternal_id = x\n`;


const LANGS = {
  'en-US': {
    noVersions: 'None yet.',
    preview1: /^1 role · 0 not switchable$/,
    saved1: /^Saved\. 1 role \(1 switchable\)/,
    preview2: /^2 roles · 1 not switchable$/,
    saved2: /^Saved\. 2 roles \(1 switchable\)/,
    version: /· 1 role · replaced by a save/,
    shortcut: /chrome:\/\/extensions\/shortcuts/,
    bound: (key) => `The role list opens with ${key}.`,
    unbound: 'No keyboard shortcut opens the role list yet.',
  },
  'zh-CN': {
    noVersions: '暂无。',
    preview1: /^1 个角色 · 0 个不可切换$/,
    saved1: /^已保存。1 个角色（1 个可切换）/,
    preview2: /^2 个角色 · 1 个不可切换$/,
    saved2: /^已保存。2 个角色（1 个可切换）/,
    version: /· 1 个角色 · /,
    shortcut: /chrome:\/\/extensions\/shortcuts/,
    bound: (key) => `按 ${key} 打开角色列表。`,
    unbound: '目前没有打开角色列表的快捷键。',
  },
  'zh-TW': {
    noVersions: '尚無。',
    preview1: /^1 個角色 · 0 個不可切換$/,
    saved1: /^已儲存。1 個角色（1 個可切換）/,
    preview2: /^2 個角色 · 1 個不可切換$/,
    saved2: /^已儲存。2 個角色（1 個可切換）/,
    version: /· 1 個角色 · /,
    shortcut: /chrome:\/\/extensions\/shortcuts/,
    bound: (key) => `按 ${key} 開啟角色清單。`,
    unbound: '目前沒有開啟角色清單的快速鍵。',
  },
};

const waitFor = (what, fn, show) => waitUntil(what, fn, { timeout: 15_000, show });

describe('options page text in every language', () => {
  let aws;
  before(async () => { aws = await startFakeAws(); });
  after(async () => { await aws?.close(); });

  for (const [lang, want] of Object.entries(LANGS)) {
    test(`${lang}: counts, empty versions, keyboard shortcut`, { timeout: 90_000 }, async () => {
      const browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port, lang });
      const page = await browser.context.newPage();
      try {
        page.on('pageerror', (e) => console.error(`[options ${lang}] uncaught: ${e.message}`));
        await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
        await waitFor('the options page to start', () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines));

        // Nothing saved yet: a sentence, and no list item in the (numbered) version list.
        const empty = page.locator('#versions-empty');
        await waitFor('the empty-versions sentence', () => empty.isVisible());
        assert.equal((await empty.textContent()).trim(), want.noVersions);
        assert.equal(await page.locator('#versions li').count(), 0);

        // How to change the shortcut, after the binding in force now: the browser's own answer
        // (Chromium assigns no suggested key to an extension loaded with --load-extension here).
        const commands = await page.evaluate(() => chrome.commands.getAll());
        const key = commands.find((c) => c.name === '_execute_action').shortcut;
        const hint = page.locator('#shortcut-hint');
        const first = key ? want.bound(key) : want.unbound;
        await waitFor(`the shortcut line to start with "${first}"`, async () => (await hint.textContent()).startsWith(first),
          () => hint.textContent());
        const hintText = await hint.textContent();
        assert.match(hintText, want.shortcut);
        assert.match(hintText, /edge:\/\/extensions\/shortcuts/);
        assert.match(hintText, /about:addons/);

        const preview = () => page.locator('#preview').textContent();
        const status = () => page.locator('#save-result').textContent();
        await page.locator('#config').fill(ONE_ROLE);
        await waitFor('the preview to count one role', async () => want.preview1.test(await preview()), preview);
        await page.locator('#save').click();
        await waitFor('Save to report one role', async () => want.saved1.test(await status()), status);

        await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
        await page.locator('#config').fill(TWO_ROLES);
        await waitFor('the preview to count two roles', async () => want.preview2.test(await preview()), preview);
        await page.locator('#save').click();
        await waitFor('Save to report two roles', async () => want.saved2.test(await status()), status);
        const versions = () => page.locator('#versions').textContent();
        await waitFor('the replaced config listed with its count', async () => want.version.test(await versions()), versions);
        assert.equal(await empty.isVisible(), false, 'the empty sentence goes once a version exists');
      } catch (e) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `failure-options-text-${lang}.png`), fullPage: true }).catch(() => {});
        throw e;
      } finally {
        await closePage(page);
        await browser.close();
      }
    });
  }
});
