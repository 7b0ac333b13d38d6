// Two Chromium profiles with the extension, and a relay standing in for Chrome Sync.
//
// Chromium with --disable-sync keeps `chrome.storage.sync` on the machine, one store per
// profile, so two profiles never share it. The relay copies it from one profile to the other
// (clear, then set, through an extension page), which is what Chrome Sync does eventually; and,
// since Chrome Sync delivers items one by one, it can deliver a chosen few items first
// (`deliver`: the manifest before its chunks, or the chunks before their manifest).
//
// Each profile lives in a directory of its own that outlives its browser, so a test can close a
// browser and launch it again on the same profile (`relaunch`).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closePage, launchChromiumWithExtension } from './browser.mjs';
import { within } from './wait.mjs';

/**
 * One browser profile: `{ name, context, extensionId, dir, open(page), storage(area, keys),
 * setSync(items, {clear}), relaunch(), close() }`. Pages it opens are closed with it.
 */
class Profile {
  constructor(name, { extensionDir, fakeAwsPort }) {
    this.name = name;
    this.extensionDir = extensionDir;
    this.fakeAwsPort = fakeAwsPort;
    this.dir = mkdtempSync(join(tmpdir(), `e2e-sync-${name}-`));
    this.browser = null;
    this.helper = null;
    this.pages = [];
  }

  async launch() {
    this.browser = await launchChromiumWithExtension({
      extensionDir: this.extensionDir, fakeAwsPort: this.fakeAwsPort, userDataDir: this.dir,
    });
    this.helper = null;
    this.pages = [];
    return this;
  }

  get context() { return this.browser.context; }
  get extensionId() { return this.browser.extensionId; }
  url(page) { return `chrome-extension://${this.extensionId}/${page}`; }

  /**
   * An extension-origin page that runs none of the extension's own code (its manifest shown as
   * text): where the relay reads and writes `chrome.storage`, as Chrome Sync writes it, from
   * outside the popup and options pages.
   */
  async storagePage() {
    if (this.helper && !this.helper.isClosed()) return this.helper;
    this.helper = await this.context.newPage();
    await this.helper.goto(this.url('manifest.json'));
    return this.helper;
  }

  /** Opens an extension page (`options.html`, `popup.html`) in a tab of this profile. */
  async open(page, onError = (e) => console.error(`[${this.name} ${page}] uncaught: ${e.message}`)) {
    const tab = await this.context.newPage();
    this.pages.push(tab);
    tab.on('pageerror', onError);
    await tab.goto(this.url(page));
    return tab;
  }

  /** `chrome.storage[area].get(keys)` in this profile. */
  async storage(area, keys = null) {
    const page = await this.storagePage();
    return within(10_000, `${this.name}: chrome.storage.${area}.get`,
      page.evaluate(([a, k]) => chrome.storage[a].get(k), [area, keys]));
  }

  /** Writes `items` into this profile's `chrome.storage.sync`, after clearing it if `clear`. */
  async setSync(items, { clear = false } = {}) {
    const page = await this.storagePage();
    await within(10_000, `${this.name}: chrome.storage.sync.set`, page.evaluate(async ([values, wipe]) => {
      if (wipe) await chrome.storage.sync.clear();
      if (Object.keys(values).length) await chrome.storage.sync.set(values);
    }, [items, clear]));
  }

  async closePages() {
    for (const p of this.pages.splice(0)) await closePage(p);
    if (this.helper) await closePage(this.helper);
    this.helper = null;
  }

  /** Closes the browser and starts it again on the same profile directory. */
  async relaunch() {
    await this.closePages();
    await this.browser.close();
    return this.launch();
  }

  async close() {
    await this.closePages().catch(() => {});
    await this.browser?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Launches profiles `a` and `b` (one after the other: two Chromiums starting at once on a
 * shared 2-core machine time out). Returns `{ a, b, relay, deliver, close }`.
 */
export async function launchTwoBrowsers({ extensionDir, fakeAwsPort }) {
  const a = await new Profile('A', { extensionDir, fakeAwsPort }).launch();
  let b;
  try {
    b = await new Profile('B', { extensionDir, fakeAwsPort }).launch();
  } catch (e) {
    await a.close();
    throw e;
  }

  /** What Chrome Sync does eventually: `to`'s sync storage becomes `from`'s (clear, then set). */
  const relay = async (from, to) => {
    const items = await from.storage('sync');
    await to.setSync(items, { clear: true });
    return items;
  };

  /**
   * Partial delivery: only the items of `from`'s sync storage whose keys `pick` accepts reach
   * `to` (nothing is cleared). Returns the keys delivered.
   */
  const deliver = async (from, to, pick) => {
    const items = await from.storage('sync');
    const chosen = Object.fromEntries(Object.entries(items).filter(([key]) => pick(key)));
    await to.setSync(chosen);
    return Object.keys(chosen);
  };

  const close = async () => {
    await a.close();
    await b.close();
  };
  return { a, b, relay, deliver, close };
}
