// Hostile names in the popup (Chromium): the configs of tests/hostile/ that carry markup and
// script are saved and rendered; no script may run (a global set by any injected script,
// window.__pwned, stays unset), no dialog may open, and the markup shows as text.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startFakeAws } from '../fake-aws/server.mjs';
import { launchChromiumWithExtension } from './lib/browser.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));

// The corpus is shared with the Firefox suite: tests/e2e/fixtures/hostile.json.
const CORPUS = JSON.parse(readFileSync(join(REPO, 'tests/e2e/fixtures/hostile.json'), 'utf8')).configs;
const CONFIGS = Object.fromEntries(CORPUS.map((c) => [c.name, readFileSync(join(REPO, c.file), 'utf8')]));
const SHOWN_AS_TEXT = Object.fromEntries(CORPUS.map((c) => [c.name, c.shownAsText]));

let aws;
let browser;

describe('Chromium: hostile names render as text', { timeout: 180_000 }, () => {
  before(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('run ./build.sh first');
    aws = await startFakeAws();
    browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
  });
  after(async () => {
    await browser?.close();
    await aws?.close();
  });

  for (const [name, text] of Object.entries(CONFIGS)) {
    test(`${name}: no script runs, no dialog opens`, { timeout: 60_000 }, async () => {
      const dialogs = [];
      const errors = [];
      const base = `chrome-extension://${browser.extensionId}/`;
      const watch = (page) => {
        page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
        page.on('pageerror', (e) => errors.push(e.message));
        return page;
      };
      const options = watch(await browser.context.newPage());
      await options.goto(base + 'options.html');
      await options.locator('#preview').filter({ hasText: /./ }).waitFor();
      await options.locator('#config').fill(text);
      await options.locator('#save').click();
      await options.locator('#save-result').filter({ hasText: /Saved/ }).waitFor();
      // The diagnostics quote the hostile names; they too must stay text.
      await options.waitForTimeout(300);
      assert.equal(await options.evaluate(() => window.__pwned), undefined, 'script ran in options');
      assert.equal(await options.locator('#diagnostics img, #diagnostics script, #diagnostics svg').count(), 0);

      const popup = watch(await browser.context.newPage());
      await popup.goto(base + 'popup.html');
      await popup.locator('#roles [role=option]').first().waitFor();
      await popup.waitForTimeout(500); // give any onerror a chance to fire
      const injected = await popup.locator('main img, main script, main svg, main iframe').count();
      assert.equal(injected, 0, 'markup from the config became elements in the popup');
      assert.equal(await popup.evaluate(() => window.__pwned), undefined, 'script ran in the popup');
      const shown = await popup.locator('#roles').textContent();
      if (SHOWN_AS_TEXT[name]) assert.ok(shown.includes(SHOWN_AS_TEXT[name]), 'markup is shown as text');
      assert.deepEqual(dialogs, [], 'a dialog opened');
      assert.deepEqual(errors, [], 'page errors');
      await options.close();
      await popup.close();
      // Nothing was requested from anywhere by rendering alone.
      assert.deepEqual(aws.requests.filter((r) => !r.url.endsWith('/favicon.ico')).map((r) => r.fullUrl), []);
    });
  }
});
