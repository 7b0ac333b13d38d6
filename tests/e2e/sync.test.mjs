// End to end: sync between two browsers. Two Chromium profiles with dist/chrome, and a relay in
// the test copying `chrome.storage.sync` between them as Chrome Sync does (lib/two-browsers.mjs).
// Run with: bash tests/e2e/run.sh tests/e2e/sync.test.mjs

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startFakeAws } from '../fake-aws/server.mjs';
import { launchTwoBrowsers } from './lib/two-browsers.mjs';
import { waitUntil } from './lib/wait.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const TEST_TIMEOUT = 120_000;
const SETTINGS_KEY = 'aws-role-switcher.settings';

/** `count` switchable profiles, `prefix`-named, in accounts of their own. */
function rolesConfig(count, prefix) {
  let text = '';
  for (let i = 1; i <= count; i++) {
    const account = String(100000000000 + i * 7919 + prefix.length).slice(0, 12);
    text += `[profile ${prefix}-${i}]\nrole_arn = arn:aws:iam::${account}:role/${prefix}Role\nregion = eu-west-1\n`;
  }
  return text;
}

const CONFIG_A = rolesConfig(22, 'alpha');
const CONFIG_B = rolesConfig(3, 'bravo');

let aws;
let two;

const waitFor = (what, fn, options = {}) => waitUntil(what, fn, { timeout: 20_000, ...options });

function e2e(name, fn) {
  test(name, { timeout: TEST_TIMEOUT }, async () => {
    try {
      await fn();
    } catch (e) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
      for (const p of [two.a, two.b]) {
        for (const [i, page] of p.pages.entries()) {
          if (!page.isClosed()) await page.screenshot({ path: join(ARTIFACTS, `failure-sync-${slug}-${p.name}${i}.png`) }).catch(() => {});
        }
      }
      throw e;
    } finally {
      await two.a.closePages();
      await two.b.closePages();
    }
  });
}

// ------------------------------------------------------------------ what a user does and sees

async function openOptions(profile) {
  const page = await profile.open('options.html');
  await waitFor(`${profile.name}: the options page to start`,
    () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines && !document.getElementById('save').disabled));
  return page;
}

const editor = (page) => page.getByRole('textbox', { name: /Configuration/i });
const saveResult = (page) => page.locator('#save-result').textContent();
const settingsResult = (page) => page.locator('#settings-result').textContent();

/** Types `text` into the editor as a paste does, presses Save, and returns the status. */
async function save(page, text) {
  await editor(page).fill(text);
  await page.getByRole('button', { name: /^\s*Save\b/i }).click();
  await waitFor('Save to finish', async () => /Saved|Not saved/.test(await saveResult(page)), { show: () => saveResult(page) });
  return saveResult(page);
}

/** Ticks "Synced across my browsers" and returns what the page then says. */
async function turnSyncOn(page) {
  await page.getByLabel('Synced across my browsers').check();
  return waitFor('the page to say what turning sync on did', async () => (await settingsResult(page)).trim(),
    { show: () => settingsResult(page) });
}

async function turnSyncOff(page) {
  await page.getByLabel('In this browser only').check();
  return waitFor('the page to say sync is off', async () => /this browser only/.test(await settingsResult(page)),
    { show: () => settingsResult(page) });
}

/** The profiles the popup lists in "Roles" (the list is virtualised: its size and first rows). */
async function listed(popup) {
  return popup.evaluate(() => {
    const options = [...document.querySelectorAll('#roles [role=option]')];
    return {
      count: options.length ? Number(options[0].getAttribute('aria-setsize')) : 0,
      profiles: options.map((o) => o.querySelector('.profile')?.textContent),
      status: document.getElementById('popup-status')?.textContent ?? '',
    };
  });
}

async function openPopup(profile) {
  const popup = await profile.open('popup.html');
  await waitFor(`${profile.name}: the popup to start`, () => popup.evaluate(() => performance.getEntriesByName('ars:rendered').length > 0));
  return popup;
}

/** Waits until `popup` lists `count` roles whose first is `first`. */
async function waitForListing(popup, who, count, first) {
  return waitFor(`${who} to list ${count} roles, the first ${first}`, async () => {
    const now = await listed(popup);
    return now.count === count && now.profiles[0] === first && now;
  }, { show: () => listed(popup) });
}

describe('Chromium: sync between two browsers', { timeout: 12 * TEST_TIMEOUT }, () => {
  before(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`${EXTENSION_DIR}/manifest.json is missing: run ./build.sh first`);
    aws = await startFakeAws();
    two = await launchTwoBrowsers({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
  });

  after(async () => {
    await two?.close();
    await aws?.close();
  });

  // Each scenario starts from two fresh browsers: nothing stored, sync off.
  beforeEach(async () => {
    for (const p of [two.a, two.b]) {
      const page = await p.storagePage();
      await page.evaluate(async (key) => {
        await chrome.storage.local.clear();
        await chrome.storage.sync.clear();
        localStorage.removeItem(key);
      }, SETTINGS_KEY);
    }
  });

  e2e('B, a fresh browser, turns sync on after A saved: A and B both list A\'s 22 roles', async () => {
    const { a, b, relay } = two;
    const optionsA = await openOptions(a);
    assert.match(await save(optionsA, CONFIG_A), /Saved\. 22 roles/i);
    assert.match(await turnSyncOn(optionsA), /synced across your browsers/i);
    await relay(a, b);

    const optionsB = await openOptions(b);
    assert.equal(await editor(optionsB).inputValue(), '', 'B starts with nothing');
    const said = await turnSyncOn(optionsB);
    await relay(b, a);

    const popupA = await openPopup(a);
    await waitForListing(popupA, 'A\'s popup', 22, 'alpha-1');
    const popupB = await openPopup(b);
    await waitForListing(popupB, 'B\'s popup', 22, 'alpha-1');
    assert.equal((await a.storage('local', 'config')).config, CONFIG_A);
    assert.equal((await b.storage('local', 'config')).config, CONFIG_A);
    // B's page said what happened, and shows the config now in force.
    assert.match(said, /uses the configuration synced from your other browsers \(22 roles\)/i, said);
    await waitFor('B\'s editor to show A\'s config', async () => (await editor(optionsB).inputValue()) === CONFIG_A);
  });
});
