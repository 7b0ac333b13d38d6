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

/** `count` profiles with random-looking accounts and role names: they compress as poorly as
 *  real ones, so a few hundred take several sync chunks. */
function noisyConfig(count, prefix, seed = 7) {
  let x = seed;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x; };
  let text = '';
  for (let i = 1; i <= count; i++) {
    const account = String(rnd()).padStart(12, '0').slice(-12);
    text += `[profile ${prefix}-${i}]\nrole_arn = arn:aws:iam::${account}:role/R${rnd().toString(36)}${rnd().toString(36)}\n`;
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
  /** A and B both on sync with A's config, as after the first scenario. */
  async function bothSyncedWithA() {
    const { a, b, relay } = two;
    const optionsA = await openOptions(a);
    assert.match(await save(optionsA, CONFIG_A), /Saved\. 22 roles/i);
    assert.match(await turnSyncOn(optionsA), /synced across your browsers/i);
    await relay(a, b);
    const optionsB = await openOptions(b);
    assert.match(await turnSyncOn(optionsB), /uses the configuration synced from your other browsers/i);
    return { optionsA, optionsB };
  }

  /** Marks `page` so that a test can tell it was not reloaded. */
  const markPage = (page) => page.evaluate(() => { window.notReloaded = true; });
  const stillSamePage = (page) => page.evaluate(() => window.notReloaded === true);

  e2e('an edit saved on B reaches A\'s open popup and open options page, without a reload', async () => {
    const { a, b, relay } = two;
    const { optionsB } = await bothSyncedWithA();
    const popupA = await openPopup(a);
    await waitForListing(popupA, 'A\'s popup', 22, 'alpha-1');
    const optionsA = await openOptions(a);
    assert.equal(await editor(optionsA).inputValue(), CONFIG_A);
    await markPage(popupA);
    await markPage(optionsA);

    assert.match(await save(optionsB, CONFIG_B), /Saved\. 3 roles.*Synced/i);
    await relay(b, a);

    const now = await waitForListing(popupA, 'A\'s open popup', 3, 'bravo-1');
    assert.match(now.status, /Updated: another browser saved a newer configuration\./);
    await waitFor('A\'s open options page to show B\'s config', async () => (await editor(optionsA).inputValue()) === CONFIG_B,
      { show: () => editor(optionsA).inputValue() });
    assert.match(await saveResult(optionsA), /another browser saved a newer configuration/);
    await waitFor('A\'s replaced config to be restorable, named as replaced by another browser',
      async () => /22 roles · replaced by a newer synced config from another browser/i.test(await optionsA.locator('#versions').textContent()),
      { show: () => optionsA.locator('#versions').textContent() });
    assert.ok(await stillSamePage(popupA), 'the popup was not reloaded');
    assert.ok(await stillSamePage(optionsA), 'the options page was not reloaded');
  });

  e2e('a popup opened after another page took in B\'s edit says once that another browser changed the config', async () => {
    const { a, b, relay } = two;
    const { optionsB } = await bothSyncedWithA();
    const optionsA = await openOptions(a);
    assert.equal(await editor(optionsA).inputValue(), CONFIG_A);

    assert.match(await save(optionsB, CONFIG_B), /Saved\. 3 roles.*Synced/i);
    await relay(b, a);
    // A's options page takes the config in while no popup is open.
    await waitFor('A\'s open options page to take in B\'s config', async () => (await editor(optionsA).inputValue()) === CONFIG_B,
      { show: () => editor(optionsA).inputValue() });

    const popupA = await openPopup(a);
    const first = await waitForListing(popupA, 'A\'s popup opened afterwards', 3, 'bravo-1');
    await waitFor('the popup to say another browser changed the config',
      async () => /another browser saved a newer configuration/.test((await listed(popupA)).status), { show: () => listed(popupA) });
    await popupA.close();

    // Said once: the next popup lists the same config without the line.
    const again = await openPopup(a);
    await waitForListing(again, 'A\'s next popup', 3, 'bravo-1');
    assert.doesNotMatch((await listed(again)).status, /another browser/, `first: ${JSON.stringify(first)}`);
  });

  e2e('a set delivered item by item is taken in only once whole: manifest first, then chunks first', async () => {
    const { a, b, deliver } = two;
    const { optionsB } = await bothSyncedWithA();
    const popupA = await openPopup(a);
    await waitForListing(popupA, 'A\'s popup', 22, 'alpha-1');
    const isManifest = (key) => key === 'cfg.manifest';

    // B saves a config of several chunks; its manifest reaches A before them.
    const big = noisyConfig(600, 'charlie');
    await editor(optionsB).evaluate((area, text) => { area.value = text; area.dispatchEvent(new Event('input')); }, big);
    await optionsB.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('B to save and sync', async () => /Saved.*Synced/.test(await saveResult(optionsB)), { show: () => saveResult(optionsB) });
    const chunks = Object.keys(await b.storage('sync')).filter((k) => !isManifest(k));
    assert.ok(chunks.length > 1, `a set of several chunks: ${chunks}`);
    await deliver(b, a, isManifest);
    await deliver(b, a, (key) => key === chunks[0]);
    // Nothing to wait for but time: A must not take in half a set meanwhile.
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual((await listed(popupA)).profiles.slice(0, 1), ['alpha-1'], 'half a set is not taken in');
    assert.equal((await a.storage('local', 'config')).config, CONFIG_A);
    await deliver(b, a, (key) => !isManifest(key));
    await waitForListing(popupA, 'A\'s popup, once the set is whole', 600, 'charlie-1');

    // The next save's chunks reach A before their manifest.
    assert.match(await save(optionsB, CONFIG_B), /Saved.*Synced/i);
    await deliver(b, a, (key) => !isManifest(key));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal((await listed(popupA)).count, 600, 'chunks without their manifest are not taken in');
    await deliver(b, a, isManifest);
    await waitForListing(popupA, 'A\'s popup, once the manifest came', 3, 'bravo-1');
  });

  e2e('B turns sync on while A\'s set is still arriving: B pushes nothing, then adopts the set once whole, keeping its own', async () => {
    const { a, b, deliver } = two;
    const optionsA = await openOptions(a);
    assert.match(await turnSyncOn(optionsA), /Sync is on/);
    assert.match(await save(optionsA, CONFIG_A), /Saved.*Synced/i);
    const optionsB = await openOptions(b);
    assert.match(await save(optionsB, CONFIG_B), /Saved\. 3 roles/i);
    // Only the chunks have reached B.
    await deliver(a, b, (key) => key !== 'cfg.manifest');
    assert.match(await turnSyncOn(optionsB), /Sync is on\. Your other browsers have synced no configuration yet \(or it is still arriving\)/);
    assert.equal((await b.storage('sync', 'cfg.manifest'))['cfg.manifest'], undefined, 'B wrote nothing over the set on its way');
    assert.equal(await editor(optionsB).inputValue(), CONFIG_B);
    await deliver(a, b, (key) => key === 'cfg.manifest');
    await waitFor('B\'s open options page to take in A\'s config', async () => (await editor(optionsB).inputValue()) === CONFIG_A,
      { show: () => editor(optionsB).inputValue() });
    await waitFor('B\'s own config kept as a version', async () =>
      /3 roles · replaced by the synced config when sync was turned on/i.test(await optionsB.locator('#versions').textContent()),
    { show: () => optionsB.locator('#versions').textContent() });
    await waitForListing(await openPopup(b), 'B\'s popup', 22, 'alpha-1');
  });

  e2e('both browsers saved before a relay: the newest wins on both, the other is restorable where it was replaced', async () => {
    const { a, b, relay } = two;
    const optionsA = await openOptions(a);
    assert.match(await turnSyncOn(optionsA), /Sync is on/);
    assert.match(await save(optionsA, CONFIG_A), /Saved.*Synced/i);
    const optionsB = await openOptions(b);
    assert.match(await turnSyncOn(optionsB), /Sync is on/);
    assert.match(await save(optionsB, CONFIG_B), /Saved.*Synced/i);

    // A's (older) set reaches B: B keeps its newer config and puts it back into sync.
    await relay(a, b);
    await waitFor('B to put its newer config back into sync', async () => {
      const local = await b.storage('local', ['config', 'config.sync_generation']);
      const manifest = JSON.parse((await b.storage('sync', 'cfg.manifest'))['cfg.manifest'] ?? '{}');
      return local.config === CONFIG_B && manifest.generation === local['config.sync_generation'];
    });
    assert.equal(await editor(optionsB).inputValue(), CONFIG_B);
    await relay(b, a);

    await waitFor('A to take in B\'s newer config', async () => (await editor(optionsA).inputValue()) === CONFIG_B,
      { show: () => editor(optionsA).inputValue() });
    await waitFor('A\'s own config kept as a version, named as replaced by another browser',
      async () => /22 roles · replaced by a newer synced config from another browser/i.test(await optionsA.locator('#versions').textContent()),
      { show: () => optionsA.locator('#versions').textContent() });
    await waitForListing(await openPopup(a), 'A\'s popup', 3, 'bravo-1');
    await waitForListing(await openPopup(b), 'B\'s popup', 3, 'bravo-1');

    // And A's config can be had back.
    await optionsA.locator('#versions li', { hasText: 'replaced by a newer synced config from another browser' }).getByRole('button', { name: 'Restore' }).click();
    await waitFor('A\'s own config restored', async () => (await editor(optionsA).inputValue()) === CONFIG_A);
  });

  e2e('too big for sync: refused with its size, the previous config stays in force on both', async () => {
    const { a, b, relay } = two;
    const { optionsA } = await bothSyncedWithA();
    const big = rolesConfig(20_000, 'delta').replace(/region = eu-west-1\n/g, (m, at) => `region = eu-west-1\ncolor = ${(at * 7919 % 16777216).toString(16).padStart(6, '0')}\n`);
    await editor(optionsA).evaluate((area, text) => { area.value = text; area.dispatchEvent(new Event('input')); }, big);
    await optionsA.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('Save to refuse', async () => /Not saved/.test(await saveResult(optionsA)), { show: () => saveResult(optionsA) });
    assert.match(await saveResult(optionsA), /too big to sync: the compressed config needs \d+ bytes of sync storage, but only 101376 are available \(the config is \d+ bytes/);
    assert.equal((await a.storage('local', 'config')).config, CONFIG_A);
    await relay(a, b);
    await waitForListing(await openPopup(a), 'A\'s popup', 22, 'alpha-1');
    await waitForListing(await openPopup(b), 'B\'s popup', 22, 'alpha-1');
    assert.equal((await b.storage('local', 'config')).config, CONFIG_A);
  });

  e2e('an empty config is never pushed over a synced one: Save of an empty editor is refused and says why', async () => {
    const { a, b, relay } = two;
    const { optionsA } = await bothSyncedWithA();
    const status = await save(optionsA, '');
    assert.match(status, /Not saved; the previous config is unchanged: an empty configuration would replace the one synced to your other browsers/);
    assert.equal((await a.storage('local', 'config')).config, CONFIG_A);
    await relay(a, b);
    await waitForListing(await openPopup(b), 'B\'s popup', 22, 'alpha-1');
  });

  e2e('sync turned off: each browser keeps the config it had, and edits stay where they were made', async () => {
    const { a, b, relay } = two;
    const { optionsA, optionsB } = await bothSyncedWithA();
    await turnSyncOff(optionsA);
    assert.equal(await editor(optionsA).inputValue(), CONFIG_A);
    await waitForListing(await openPopup(a), 'A\'s popup', 22, 'alpha-1');
    assert.match(await save(optionsA, CONFIG_B), /Saved\. 3 roles/i);
    assert.doesNotMatch(await saveResult(optionsA), /Synced/);
    await relay(a, b);
    await waitForListing(await openPopup(b), 'B\'s popup', 22, 'alpha-1');
    await turnSyncOff(optionsB);
    assert.equal(await editor(optionsB).inputValue(), CONFIG_A);
    assert.equal((await b.storage('local', 'config')).config, CONFIG_A);
    assert.equal((await a.storage('local', 'config')).config, CONFIG_B);
  });

  e2e('a browser restarted between the steps: B keeps what it adopted, and A takes in B\'s edit when it starts again', async () => {
    const { a, b, relay } = two;
    await bothSyncedWithA();
    await b.relaunch();
    await waitForListing(await openPopup(b), 'B\'s popup after a restart', 22, 'alpha-1');
    const optionsB = await openOptions(b);
    assert.equal(await editor(optionsB).inputValue(), CONFIG_A);
    assert.match(await save(optionsB, CONFIG_B), /Saved\. 3 roles.*Synced/i);
    await a.closePages();
    await relay(b, a);
    await a.relaunch();
    const popupA = await openPopup(a);
    const now = await waitForListing(popupA, 'A\'s popup after a restart', 3, 'bravo-1');
    assert.match(now.status, /Updated: another browser saved a newer configuration\./);
  });

  e2e('the first Save after a browser start says "Saved" well under a second', async () => {
    const { a } = two;
    // A browser that ran before (it kept the organisation's last answer), started again.
    const first = await openOptions(a);
    await waitFor('the organisation\'s answer to be kept', async () => 'managed.last_known' in await a.storage('local', 'managed.last_known'));
    await first.close();
    const timeFirstSave = async (what) => {
      const options = await openOptions(a);
      await editor(options).fill(CONFIG_A);
      const ms = await options.evaluate(() => new Promise((resolve) => {
        const status = document.getElementById('save-result');
        const started = performance.now();
        new MutationObserver(() => {
          if (/Saved/.test(status.textContent)) resolve(performance.now() - started);
        }).observe(status, { childList: true, characterData: true, subtree: true });
        document.getElementById('save').click();
      }));
      console.log(`first save after start (${what}): ${Math.round(ms)} ms`);
      return ms;
    };
    await a.relaunch();
    const again = await timeFirstSave('a browser that ran before');
    assert.ok(again < 600, `the first save took ${Math.round(again)} ms`);

    // A profile never started before: no earlier answer kept; the save waits at most 300 ms.
    await a.relaunch();
    await (await a.storagePage()).evaluate(() => chrome.storage.local.clear());
    await a.relaunch();
    const fresh = await timeFirstSave('no earlier answer kept');
    assert.ok(fresh < 900, `the first save took ${Math.round(fresh)} ms`);
  });

  e2e('Save says "Saving…" while it takes long, and "Unsaved changes" as soon as the text is edited', async () => {
    const { a } = two;
    const options = await openOptions(a);
    assert.match(await save(options, CONFIG_A), /Saved\. 22 roles/i);
    await editor(options).press('End');
    await editor(options).type('#');
    assert.match(await saveResult(options), /Unsaved changes/);
    // A slow storage write (as a big config on a slow disk): the page says it is working.
    await options.evaluate(() => {
      const area = chrome.storage.local;
      const real = area.set.bind(area);
      area.set = (items) => new Promise((resolve) => setTimeout(resolve, 700)).then(() => real(items));
    });
    await options.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('"Saving…"', async () => /Saving…/.test(await saveResult(options)), { show: () => saveResult(options) });
    await waitFor('"Saved"', async () => /Saved/.test(await saveResult(options)), { show: () => saveResult(options) });
  });
});
