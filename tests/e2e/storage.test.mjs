// End-to-end: getting a config in, saving it atomically, undo, sync chunking and managed
// (policy) config, in Debian's Chromium with dist/chrome loaded.
// Run with: bash tests/e2e/run.sh tests/e2e/storage.test.mjs

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { closePage, launchChromiumWithExtension } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');
const TEST_TIMEOUT = 90_000;
const WAIT = 15_000;
const SETTINGS_KEY = 'aws-role-switcher.settings';
const POLICY_FILE = '/etc/chromium/policies/managed/aws-role-switcher-e2e.json';

// Shared with the Firefox suite (tests/e2e/fixtures/storage.json).
const STORAGE = JSON.parse(readFileSync(join(HERE, 'fixtures/storage.json'), 'utf8'));
const CONFIG_A = STORAGE.configA;
const CONFIG_B = STORAGE.configB;

let aws;
let browser;
let tmp;

const waitFor = (what, fn, options = {}) => waitUntil(what, fn, { timeout: WAIT, ...options });

function e2e(name, fn) {
  test(name, { timeout: TEST_TIMEOUT }, async () => {
    const pages = [];
    try {
      await fn(pages);
    } catch (e) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
      for (const [i, p] of pages.entries()) {
        if (!p.isClosed()) await p.screenshot({ path: join(ARTIFACTS, `failure-storage-${slug}-${i}.png`) }).catch(() => {});
      }
      throw e;
    } finally {
      for (const p of pages) await closePage(p);
    }
  });
}

async function openOptions(pages, b = browser) {
  const page = await b.context.newPage();
  pages.push(page);
  page.on('pageerror', (e) => console.error(`[options] uncaught: ${e.message}`));
  await page.goto(`chrome-extension://${b.extensionId}/options.html`);
  await waitFor('the options page to start', () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines));
  return page;
}

const configTextarea = (page) => page.getByRole('textbox', { name: /Configuration/i });
const statusText = async (page) => (await page.getByRole('status').allTextContents()).join(' | ');
const storageGet = (page, area, keys) => page.evaluate(([a, k]) => chrome.storage[a].get(k), [area, keys]);

/** Resets storage and settings to a clean slate (local mode, nothing saved). */
async function reset(page, settings = {}) {
  await page.evaluate(async ([key, s]) => {
    await chrome.storage.local.clear();
    await chrome.storage.sync.clear();
    localStorage.setItem(key, JSON.stringify(s));
  }, [SETTINGS_KEY, settings]);
  await page.reload();
  await waitFor('the options page to start', () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines));
}

async function saveText(page, text) {
  if (text.length > 100_000) {
    await page.evaluate((t) => {
      const area = document.getElementById('config');
      area.value = t;
      area.dispatchEvent(new Event('input'));
    }, text);
  } else {
    await configTextarea(page).fill(text);
  }
  await page.getByRole('button', { name: /^\s*Save\b/i }).click();
  await waitFor('Save to finish', async () => /Saved|Not saved/.test(await statusText(page)), { show: () => statusText(page) });
  return statusText(page);
}

/** Random-looking but valid profiles: compress poorly, like real account IDs do. */
function bigConfig(bytes, seed = 1) {
  let x = seed;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x; };
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const account = String(rnd()).padStart(12, '0').slice(-12);
    const tag = rnd().toString(36) + rnd().toString(36);
    const p = `[profile p${i}-${tag}]\nrole_arn = arn:aws:iam::${account}:role/R${tag}\n`;
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

// The reader's rules, written independently of src/store/sync_chunks.rs.
function fnv1a64(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) { h ^= BigInt(b); h = (h * 0x100000001b3n) & 0xffffffffffffffffn; }
  return h.toString(16).padStart(16, '0');
}
function syncItems(text, generation, savedAt) {
  const gz = gzipSync(Buffer.from(text, 'utf8'));
  const b64 = gz.toString('base64');
  const prefix = `${generation}:`;
  const per = Math.floor((8192 - 'cfg.512'.length - prefix.length - 2) / 4) * 4;
  const chunks = {};
  let n = 0;
  for (let i = 0; i < b64.length; i += per) chunks[`cfg.${n++}`] = prefix + b64.slice(i, i + per);
  const manifest = JSON.stringify({ generation, chunks: n, bytes: gz.length, checksum: fnv1a64(gz), saved_at: savedAt });
  return { chunks, manifest };
}

describe('Chromium: import, storage and sync', { timeout: 20 * TEST_TIMEOUT }, () => {
  before(async () => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`${EXTENSION_DIR}/manifest.json is missing: run ./build.sh first`);
    tmp = mkdtempSync(join(tmpdir(), 'e2e-storage-'));
    aws = await startFakeAws();
    browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
  });

  after(async () => {
    await browser?.close();
    await aws?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  e2e('import by the file input, Save, reload: the config is intact', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    const file = join(tmp, 'config.ini');
    writeFileSync(file, CONFIG_B);
    await page.getByLabel(/Import/i).and(page.locator('input[type="file"]')).setInputFiles(file);
    await waitFor('the textarea to show the file', async () => (await configTextarea(page).inputValue()) === CONFIG_B);
    assert.match(await page.locator('#preview').textContent(), /^2 roles/i);
    await page.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('"Saved"', async () => /Saved/.test(await statusText(page)), { show: () => statusText(page) });
    await page.reload();
    await waitFor('the saved config after a reload', async () => (await configTextarea(page).inputValue()) === CONFIG_B,
      { show: () => configTextarea(page).inputValue() });
    assert.equal((await storageGet(page, 'local', ['config'])).config, CONFIG_B);
  });

  e2e('import by dropping a file on the editor', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    // What the browser hands the page when a file is dropped: a drop event carrying the file.
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'config', { type: 'text/plain' }));
      const editor = document.getElementById('editor');
      editor.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      editor.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, CONFIG_B);
    await waitFor('the dropped file in the textarea', async () => (await configTextarea(page).inputValue()) === CONFIG_B,
      { show: () => configTextarea(page).inputValue() });
    assert.match(await page.locator('#preview').textContent(), /^2 roles/i);
    assert.equal(await page.locator('#editor.dragging').count(), 0, 'the drop target is no longer highlighted');
    assert.match(await saveText(page, CONFIG_B), /Saved\. 2 roles/i);
  });

  e2e('import by pasting a config, and by pasting switch-role links', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    const paste = (text) => page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      const area = document.getElementById('config');
      area.focus();
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
    await paste(CONFIG_A);
    await waitFor('the pasted config in the textarea', async () => (await configTextarea(page).inputValue()) === CONFIG_A,
      { show: () => configTextarea(page).inputValue() });
    await waitFor('the preview to count 1 role', async () => /^1 role ·/.test(await page.locator('#preview').textContent()));

    const links = [
      'https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=ReadOnly&displayName=Audit%20team&color=00FF00',
      'https://signin.amazonaws.cn/switchrole?account=444455556666&roleName=ops%2FOperator',
      'https://evil.example/switchrole?account=777788889999&roleName=X',
    ].join('\n');
    await paste(links);
    const expected = `${CONFIG_A}\n[profile Audit-team]\nrole_arn = arn:aws:iam::111122223333:role/ReadOnly\ncolor = 00ff00\n`
      + '[profile 444455556666-ops-Operator]\nrole_arn = arn:aws-cn:iam::444455556666:role/ops/Operator\n';
    await waitFor('the links converted into profiles', async () => (await configTextarea(page).inputValue()) === expected,
      { show: () => configTextarea(page).inputValue() });
    const status = await statusText(page);
    assert.match(status, /Converted 2 switch-role links into profiles/);
    assert.match(status, /link 3: `evil\.example` is not an AWS sign-in host/);
    assert.match(await saveText(page, expected), /Saved\. 3 roles/i);
  });

  e2e('a diagnostic names line:column and clicking it moves the cursor to that line', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    await configTextarea(page).fill('[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nthis line is not valid\n');
    const diag = page.locator('#diagnostics button', { hasText: /^line 3:\d+: / });
    await waitFor('a diagnostic at line 3 with a column', async () => (await diag.count()) === 1, { show: () => statusText(page) });
    await diag.click();
    const cursor = await page.evaluate(() => {
      const t = document.getElementById('config');
      return t.value.slice(t.selectionStart, t.selectionEnd);
    });
    assert.equal(cursor, 'this line is not valid');
    assert.equal(await page.locator('#gutter').textContent(), '1\n2\n3\n4\n');
  });

  e2e('undo restores the previous save; versions are listed', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    assert.match(await saveText(page, CONFIG_A), /Saved/);
    await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
    assert.match(await saveText(page, CONFIG_B), /Saved/);
    await waitFor('one version listed', async () => (await page.locator('#versions button').count()) === 1);
    // Each version with the number of roles it lists.
    assert.match(await page.locator('#versions').textContent(), /· 1 role · replaced by a save/);
    await page.getByRole('button', { name: 'Undo last save' }).click();
    await waitFor('the textarea to show the previous config', async () => (await configTextarea(page).inputValue()) === CONFIG_A,
      { show: () => configTextarea(page).inputValue() });
    await waitFor('the undone save listed with its roles', async () => /· 2 roles · undone/i.test(await page.locator('#versions').textContent()),
      { show: () => page.locator('#versions').textContent() });
    assert.equal((await storageGet(page, 'local', ['config'])).config, CONFIG_A);
    await page.reload();
    await waitFor('the undone config after a reload', async () => (await configTextarea(page).inputValue()) === CONFIG_A);
  });

  e2e('sync: a 2 MB config does not fit, Save says why and changes nothing', async (pages) => {
    const page = await openOptions(pages);
    await reset(page, { storage: 'sync' });
    assert.match(await saveText(page, CONFIG_A), /Saved/);
    await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
    const big = bigConfig(2_000_000);
    const status = await saveText(page, big);
    assert.match(status, /Not saved; the previous config is unchanged: too big to sync: the compressed config needs \d+ bytes of sync storage, but only 101376 are available/);
    assert.equal((await storageGet(page, 'local', ['config'])).config, CONFIG_A);
    await page.reload();
    await waitFor('the previous config after a reload', async () => (await configTextarea(page).inputValue()) === CONFIG_A);
  });

  // The browser's own storage refusing or mangling one write, as a full disk, a quota or a
  // failing storage backend does: the page's chrome.storage.local.set misbehaves once.
  const failNextConfigWrite = (page, how) => page.evaluate(([mode, message]) => {
    const area = chrome.storage.local;
    const real = area.set.bind(area);
    area.set = (items) => {
      if (!('config' in items)) return real(items);
      area.set = real;
      if (mode === 'reject') return Promise.reject(new Error(message));
      return real({ ...items, config: items.config.slice(0, Math.floor(items.config.length / 2)) });
    };
  }, how);

  for (const failure of ['IO error: 000003.log: No space left on device', 'QUOTA_BYTES quota exceeded']) {
    e2e(`a storage write that throws ("${failure}"): Save says why and the previous config stays`, async (pages) => {
      const page = await openOptions(pages);
      await reset(page);
      assert.match(await saveText(page, CONFIG_A), /Saved/);
      await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
      await failNextConfigWrite(page, ['reject', failure]);
      const status = await saveText(page, CONFIG_B);
      assert.match(status, /Not saved; the previous config is unchanged/);
      assert.ok(status.includes(failure), `the status should give the browser's reason "${failure}": ${status}`);
      assert.equal((await storageGet(page, 'local', ['config'])).config, CONFIG_A);
      await page.reload();
      await waitFor('the previous config after a reload', async () => (await configTextarea(page).inputValue()) === CONFIG_A,
        { show: () => configTextarea(page).inputValue() });
    });
  }

  e2e('sync: a save whose local write fails is taken back from sync too, so other browsers keep the previous config', async (pages) => {
    const page = await openOptions(pages);
    await reset(page, { storage: 'sync' });
    assert.match(await saveText(page, CONFIG_A), /Saved.*Synced/);
    await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
    await failNextConfigWrite(page, ['reject', 'IO error: 000005.log: No space left on device']);
    assert.match(await saveText(page, CONFIG_B), /Not saved; the previous config is unchanged/);
    // Another browser: nothing local, only what sync delivers.
    await page.evaluate(() => chrome.storage.local.clear());
    await page.reload();
    await waitFor('the previous config from sync', async () => (await configTextarea(page).inputValue()) === CONFIG_A,
      { show: () => configTextarea(page).inputValue() });
  });

  e2e('a write that lands truncated is caught by the read-back: Save says so and the previous config stays', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    assert.match(await saveText(page, CONFIG_A), /Saved/);
    await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
    await failNextConfigWrite(page, ['truncate']);
    const status = await saveText(page, CONFIG_B);
    assert.match(status, /Not saved; the previous config is unchanged: the stored config did not read back identically/);
    const stored = await storageGet(page, 'local', ['config', 'config.versions']);
    assert.equal(stored.config, CONFIG_A);
    assert.equal(JSON.parse(stored['config.versions'] ?? '{"versions":[]}').versions?.length ?? 0, 0,
      'a save that did not count leaves no version behind');
    await page.reload();
    await waitFor('the previous config after a reload', async () => (await configTextarea(page).inputValue()) === CONFIG_A,
      { show: () => configTextarea(page).inputValue() });
  });

  // The browser's storage damaging the config after it was saved (truncated, or not text).
  const damage = (page, values) => page.evaluate((v) => chrome.storage.local.set(v), values);
  const popupRoles = async (pages) => {
    const popup = await browser.context.newPage();
    pages.push(popup);
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await waitFor('the popup to list roles', async () => (await popup.locator('#roles [role=option]').count()) > 0);
    return popup;
  };

  for (const [what, damaged] of [['truncated', CONFIG_B.slice(0, 40)], ['not text', { bogus: 1 }]]) {
    e2e(`a stored config damaged on read (${what}): the pages say so and its intact copy is in use`, async (pages) => {
      const page = await openOptions(pages);
      await reset(page);
      assert.match(await saveText(page, CONFIG_B), /Saved/);

      await damage(page, { config: damaged });
      const popup = await popupRoles(pages);
      await waitFor('the popup to list both roles of the saved config', async () =>
        (await popup.locator('#roles [role=option]').allTextContents()).filter((t) => /prod-admin|dev/.test(t)).length === 2);
      assert.match(await popup.locator('#popup-status').textContent(),
        /The saved configuration was damaged in the browser's storage \((\d+ bytes where \d+ were saved|not text)\); its copy was intact and is in use, stored again\./);
      assert.equal((await storageGet(page, 'local', ['config'])).config, CONFIG_B, 'the copy is written back');

      await damage(page, { config: damaged });
      await page.reload();
      await waitFor('the saved config in the textarea', async () => (await configTextarea(page).inputValue()) === CONFIG_B,
        { show: () => configTextarea(page).inputValue() });
      assert.match(await statusText(page), /damaged in the browser's storage.*its copy was intact/);
    });
  }

  e2e('a stored config and its copy both damaged: the options page says so and keeps the versions', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    assert.match(await saveText(page, CONFIG_A), /Saved/);
    await page.locator('#save-result').evaluate((el) => { el.textContent = ''; });
    assert.match(await saveText(page, CONFIG_B), /Saved/);
    const cut = CONFIG_B.slice(0, 40);
    await damage(page, { config: cut, 'config.backup': cut });
    await page.reload();
    await waitFor('the damage to be reported', async () => /damaged in the browser's storage \(40 bytes where \d+ were saved\) and so was its copy/.test(await statusText(page)),
      { show: () => statusText(page) });
    assert.equal(await configTextarea(page).inputValue(), cut, 'what could be read is shown, not hidden');
    await waitFor('the earlier save to be restorable', async () => (await page.locator('#versions button').count()) === 1);
  });

  e2e('local: a 50,000-profile (about 5 MB) config saves and reads back', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    const big = bigConfig(5_000_000, 7);
    await page.evaluate((t) => {
      const area = document.getElementById('config');
      area.value = t;
      area.dispatchEvent(new Event('input'));
    }, big);
    await page.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('"Saved" for the big config', async () => /Saved\. \d{5} roles/i.test(await statusText(page)),
      { timeout: 60_000, show: () => statusText(page) });
    const stored = await page.evaluate(async () => (await chrome.storage.local.get('config')).config.length);
    assert.equal(stored, big.length);
  });

  e2e('sync: chunks round-trip byte for byte, and a half-written set is never taken in', async (pages) => {
    const page = await openOptions(pages);
    await reset(page, { storage: 'sync' });
    const text = `# 生产 ünïcode\n${bigConfig(120_000, 3)}`;
    await page.evaluate((t) => { document.getElementById('config').value = t; }, text);
    await page.getByRole('button', { name: /^\s*Save\b/i }).click();
    await waitFor('"Saved" with sync', async () => /Saved.*Synced/.test(await statusText(page)), { show: () => statusText(page) });
    // The usage meter shows what the set takes of the 102,400 bytes sync allows.
    const used = await page.evaluate(() => chrome.storage.sync.getBytesInUse(null));
    assert.ok(used > 8192, `the set should take several items, took ${used} bytes`);
    await waitFor('the usage meter', async () => Number(await page.locator('#sync-usage').evaluate((m) => m.value)) === used);
    assert.equal(await page.locator('#sync-usage-text').textContent(), `${used} / 102400 bytes (${Math.floor(used * 100 / 102400)}%)`);

    const all = await page.evaluate(() => chrome.storage.sync.get(null));
    const manifest = JSON.parse(all['cfg.manifest']);
    assert.ok(manifest.chunks > 1, `expected several chunks, got ${manifest.chunks}`);
    for (const [key, value] of Object.entries(all)) {
      assert.ok(key.length + JSON.stringify(value).length <= 8192, `${key} is over the per-item quota`);
    }
    // Another device: nothing local, only what sync delivered.
    await page.evaluate(() => chrome.storage.local.clear());
    await page.reload();
    await waitFor('the synced config on a fresh device', async () => (await configTextarea(page).inputValue()) === text,
      { show: async () => (await configTextarea(page).inputValue()).slice(0, 80) });
    assert.equal((await storageGet(page, 'local', ['config'])).config, text);

    // A newer device writes generation G+1 but only its first chunk and manifest arrive.
    const newer = `${text}[profile from-the-other-device]\nrole_arn = arn:aws:iam::999988887777:role/Other\n`;
    const later = Date.now() + 60_000;
    const items = syncItems(newer, later, later);
    const keys = Object.keys(items.chunks);
    assert.ok(keys.length > 1);
    await page.evaluate(([first, manifest]) => chrome.storage.sync.set({ ...first, 'cfg.manifest': manifest }),
      [{ [keys[0]]: items.chunks[keys[0]] }, items.manifest]);
    await page.reload();
    await waitFor('the options page to start', () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines));
    assert.equal(await configTextarea(page).inputValue(), text, 'a half-written set must not replace the config');
    assert.equal((await storageGet(page, 'local', ['config'])).config, text);

    // The rest arrives: the newer config wins, the older is kept as a version.
    await page.evaluate((chunks) => chrome.storage.sync.set(chunks), items.chunks);
    await page.reload();
    await waitFor('the newer synced config', async () => (await configTextarea(page).inputValue()) === newer,
      { show: async () => (await configTextarea(page).inputValue()).slice(-80) });
    await waitFor('the replaced config kept as a version', async () => /newer synced config/.test(await page.locator('#versions').textContent()));
  });

  e2e('export downloads the saved config', async (pages) => {
    const page = await openOptions(pages);
    await reset(page);
    assert.match(await saveText(page, CONFIG_B), /Saved/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const path = join(tmp, 'exported');
    await download.saveAs(path);
    assert.equal(readFileSync(path, 'utf8'), CONFIG_B);
  });
});

// ------------------------------------------------------------------ managed storage

/** A copy of the extension with a fixed "key", so its ID is known before Chromium starts. */
function extensionWithFixedId() {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const id = [...createHash('sha256').update(der).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
  const dir = mkdtempSync(join(tmpdir(), 'e2e-managed-ext-'));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.key = der.toString('base64');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, id };
}

const canWritePolicies = process.platform === 'linux' && process.getuid?.() === 0;

describe('Chromium: managed (policy) config', { timeout: 4 * TEST_TIMEOUT, skip: canWritePolicies ? false : 'needs root to write /etc/chromium/policies' }, () => {
  let managedBrowser;
  let ext;
  let fakeAws;
  const MANAGED = STORAGE.managed;

  before(async () => {
    ext = extensionWithFixedId();
    mkdirSync(dirname(POLICY_FILE), { recursive: true });
    writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [ext.id]: { config: MANAGED, locked: false } } } }));
    fakeAws = await startFakeAws();
    managedBrowser = await launchChromiumWithExtension({ extensionDir: ext.dir, fakeAwsPort: fakeAws.port });
  });

  after(async () => {
    rmSync(POLICY_FILE, { force: true });
    await managedBrowser?.close();
    await fakeAws?.close();
    if (ext) rmSync(ext.dir, { recursive: true, force: true });
  });

  e2e('the administrator\'s config shows up read-only beside the user\'s own', async (pages) => {
    assert.equal(managedBrowser.extensionId, ext.id, 'the fixed key gives the expected extension ID');
    const page = await openOptions(pages, managedBrowser);
    await waitFor('the managed section', async () => page.getByRole('region', { name: /Managed by your organisation/ }).isVisible(),
      { show: () => page.evaluate(() => chrome.storage.managed.get(null)) });
    const managed = page.getByRole('textbox', { name: /Managed by your organisation/ });
    assert.equal(await managed.inputValue(), MANAGED);
    assert.equal(await managed.getAttribute('readonly'), '');
    assert.match(await page.locator('#managed-summary').textContent(), /^1 role from your organisation/);
    // The user's own config is still theirs to edit and save.
    assert.match(await saveText(page, CONFIG_A), /Saved/);
  });

  e2e('the popup\'s cached first screen is drawn again when the UI\'s language changes the managed group\'s heading', async (pages) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-managed-lang-'));
    // The first screen the popup caches for the stored config: its group headings (null: the
    // user's own, ungrouped, profiles).
    const cachedHeadings = async (b) => {
      const popup = await b.context.newPage();
      pages.push(popup);
      await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
      await waitFor('the popup to list and index every role', () => popup.evaluate(() => performance.getEntriesByName('ars:searchable').length > 0));
      let labels = [];
      await waitFor('the first-screen cache', async () => {
        labels = (await storageGet(popup, 'local', 'popup.first_screen'))['popup.first_screen']?.labels ?? [];
        return labels.length > 0;
      });
      return labels.filter((label) => label !== null);
    };
    let b = await launchChromiumWithExtension({ extensionDir: ext.dir, fakeAwsPort: fakeAws.port, userDataDir: dataDir });
    try {
      const options = await openOptions(pages, b);
      await waitFor('the managed section', async () => options.locator('#managed').isVisible());
      assert.match(await saveText(options, CONFIG_A), /Saved/);
      assert.deepEqual(await cachedHeadings(b), ['Managed by your organisation']);
      for (const p of pages.splice(0)) await closePage(p);
      await b.close();
      // The same profile (same config, same revision, same managed config) in Chinese.
      b = await launchChromiumWithExtension({ extensionDir: ext.dir, fakeAwsPort: fakeAws.port, userDataDir: dataDir, lang: 'zh-CN' });
      await waitFor('the cache in the new language', async () => {
        const labels = await cachedHeadings(b);
        return labels[0] === '由您的组织管理';
      });
    } finally {
      for (const p of pages.splice(0)) await closePage(p);
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  e2e('a popup opened while Chrome\'s policy service starts lists from its copy of the managed config, then from the answer', async (pages) => {
    // Chrome's policy service can take seconds to answer `chrome.storage.managed` after the
    // browser starts (~2 s here); the popup lists from the copy it kept and waits for nothing.
    const MANAGED_NOW = '[profile org-admin]\nrole_arn = arn:aws:iam::555566667777:role/OrgAdmin\n';
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-managed-copy-'));
    const openPopup = async (b) => {
      const popup = await b.context.newPage();
      pages.push(popup);
      await popup.goto(`chrome-extension://${b.extensionId}/popup.html`);
      return popup;
    };
    const listed = (popup) => popup.locator('#roles [role=option] .profile').allTextContents();
    let b = await launchChromiumWithExtension({ extensionDir: ext.dir, fakeAwsPort: fakeAws.port, userDataDir: dataDir });
    try {
      const options = await openOptions(pages, b);
      await waitFor('the managed section', async () => options.locator('#managed').isVisible());
      assert.match(await saveText(options, CONFIG_A), /Saved/);
      let popup = await openPopup(b);
      await waitFor('the popup to keep a copy of the managed config', async () =>
        (await storageGet(popup, 'local', 'managed.last_known'))['managed.last_known']?.config === MANAGED);
      for (const p of pages.splice(0)) await closePage(p);
      await b.close();

      // The organisation changes its config while the browser is closed.
      writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [ext.id]: { config: MANAGED_NOW, locked: false } } } }));
      b = await launchChromiumWithExtension({ extensionDir: ext.dir, fakeAwsPort: fakeAws.port, userDataDir: dataDir });
      popup = await openPopup(b);
      await waitFor('the popup to list the organisation\'s config as it is now', async () => {
        const profiles = await listed(popup);
        return profiles.includes('org-admin') && !profiles.includes('org-readonly');
      }, { show: () => listed(popup) });
      assert.equal((await storageGet(popup, 'local', 'managed.last_known'))['managed.last_known']?.config, MANAGED_NOW);
      const marks = await popup.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
      if (marks['ars:managed-answer'] - marks['ars:start'] < 500) {
        console.log('# the policy service answered at once: only the outcome was checked');
      } else {
        // A late answer: the roles were listed from the copy before it came, then from it.
        assert.ok(marks['ars:rendered'] < marks['ars:managed-answer'], JSON.stringify(marks));
      }
      // The user's own roles were there throughout.
      assert.ok((await listed(popup)).includes('prod-admin'), (await listed(popup)).join(', '));
    } finally {
      writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [ext.id]: { config: MANAGED, locked: false } } } }));
      for (const p of pages.splice(0)) await closePage(p);
      await b.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
