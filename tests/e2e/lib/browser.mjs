// Launch Debian's Chromium with the extension under test, pointed at the fake AWS.
//
// Every AWS host name resolves to the fake server on 127.0.0.1:<port>; every
// other name fails to resolve (MAP * ~NOTFOUND), so nothing reaches the internet.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { FAKE_AWS_HOSTS } from '../../fake-aws/server.mjs';
import { within } from './wait.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const EXTENSION_NAME = 'AWS Role Switcher';

/** The --host-resolver-rules value: AWS hosts to the fake, everything else NOTFOUND. */
export function hostResolverRules(fakeAwsPort) {
  const rules = FAKE_AWS_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${fakeAwsPort}`);
  rules.push('MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.0.0.1');
  return rules.join(', ');
}

/**
 * Launch Chromium with one unpacked extension, its UI in `lang` (the --lang flag and, on Linux,
 * LANGUAGE decide chrome.i18n's language).
 * Returns { context, extensionId, userDataDir, close }.
 */
export async function launchChromiumWithExtension({ extensionDir, fakeAwsPort, userDataDir, extensionName = EXTENSION_NAME, lang = 'en-US' } = {}) {
  if (!extensionDir) throw new Error('launchChromiumWithExtension: extensionDir is required');
  const extDir = resolve(extensionDir);
  if (!existsSync(join(extDir, 'manifest.json'))) {
    throw new Error(`no manifest.json in ${extDir} (run ./build.sh first)`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  }
  if (!fakeAwsPort) throw new Error('launchChromiumWithExtension: fakeAwsPort is required');

  const ownDir = !userDataDir;
  const dataDir = userDataDir || mkdtempSync(join(tmpdir(), 'e2e-chromium-profile-'));

  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--no-first-run',
    '--no-default-browser-check',
    '--window-size=1280,800',
    `--lang=${lang}`,
    `--disable-extensions-except=${extDir}`,
    `--load-extension=${extDir}`,
    '--ignore-certificate-errors',
    `--host-resolver-rules=${hostResolverRules(fakeAwsPort)}`,
  ];

  // Chromium's own complaints (e.g. "Extension error: Failed to load extension ...")
  // go to its stderr; keep them so a failed extension-ID lookup can say why.
  const browserLog = [];
  const context = await chromium.launchPersistentContext(dataDir, {
    logger: {
      isEnabled: (name) => name === 'browser',
      log: (name, severity, message) => {
        const line = String(message);
        if (browserLog.length < 500) browserLog.push(line);
      },
    },
    executablePath: CHROMIUM_PATH,
    headless: false, // --headless=new is passed explicitly above
    args,
    // Playwright adds --disable-extensions by default; we need the extension.
    ignoreDefaultArgs: ['--disable-extensions'],
    ignoreHTTPSErrors: true,
    viewport: null,
    timeout: 60_000,
    env: { ...process.env, LANGUAGE: lang.replace('-', '_'), LANG: `${lang.replace('-', '_')}.UTF-8`, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try { await context.close(); } catch { /* already gone */ }
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const extensionId = await findExtensionId(context, extensionName);
    return { context, extensionId, userDataDir: dataDir, browserLog, close };
  } catch (e) {
    const errs = browserLog.filter((l) => /extension/i.test(l) && /error|fail|warn/i.test(l));
    if (errs.length) e.message += `\nChromium said:\n  ${errs.join('\n  ')}`;
    await close();
    throw e;
  }
}

/** Find the ID of the loaded extension whose name contains `name`, via chrome.management on chrome://extensions. */
/**
 * Closes `page`, waiting at most `timeoutMs`: Playwright's close() of a popup window that is
 * closing itself (it does after a switch) can stay pending for good, which hung a test until
 * its timeout in about one run in three.
 */
export async function closePage(page, timeoutMs = 3_000) {
  let timer;
  await Promise.race([
    page.close().catch(() => {}),
    new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
  ]);
  clearTimeout(timer);
}

export async function findExtensionId(context, name = EXTENSION_NAME, timeoutMs = 20_000) {
  const page = await context.newPage();
  const deadline = Date.now() + timeoutMs;
  let all = [];
  try {
    await page.goto('chrome://extensions/');
    while (Date.now() < deadline) {
      all = await page.evaluate(() => new Promise((res) => {
        // eslint-disable-next-line no-undef
        chrome.management.getAll((list) => res(list.map((e) => ({
          id: e.id, name: e.name, enabled: e.enabled, installType: e.installType, type: e.type,
        }))));
      }));
      const hit = all.find((e) => e.name.includes(name));
      if (hit) {
        if (!hit.enabled) throw new Error(`extension "${hit.name}" (${hit.id}) is loaded but disabled`);
        return hit.id;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await page.close().catch(() => {});
  }
  throw new Error(`no extension whose name contains "${name}" was loaded; chrome.management.getAll() gave ${JSON.stringify(all)}`);
}

/** The extension's background service worker, if it is running (waits briefly for it). */
export async function extensionServiceWorker(context, extensionId, timeoutMs = 5_000) {
  const prefix = `chrome-extension://${extensionId}/`;
  const find = () => context.serviceWorkers().find((w) => w.url().startsWith(prefix));
  let sw = find();
  if (!sw) {
    sw = await context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith(prefix),
      timeout: timeoutMs,
    }).catch(() => find() || null);
  }
  return sw || null;
}

/**
 * Open an extension page (default popup.html) in a detached popup window with
 * chrome.windows.create({type:'popup'}), evaluated in the extension's service
 * worker if one is running, else in a short-lived extension tab (helperPage,
 * default options.html) that is closed again after re-activating the tab that
 * was active before. Returns the popup's Page.
 */
export async function openExtensionPopupWindow(context, extensionId, page = 'popup.html',
  { width = 420, height = 640, helperPage = 'options.html' } = {}) {
  const url = `chrome-extension://${extensionId}/${page}`;
  const before = new Set(context.pages());
  let helper = null;

  const create = async ({ pageName, w, h }) => {
    // Runs inside the extension (service worker or extension page).
    const win = await chrome.windows.create({
      type: 'popup', url: chrome.runtime.getURL(pageName), width: w, height: h, focused: true,
    });
    return win.id;
  };
  const arg = { pageName: page, w: width, h: height };

  let created = false;
  let swError = null;
  // Only a worker that is already running: extensions without a background
  // worker (or with an idle one) go straight to the helper tab.
  const sw = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
  if (sw) {
    try {
      // A worker that Chromium is stopping may never answer: bounded, then the helper tab.
      await within(5_000, 'chrome.windows.create in the service worker', sw.evaluate(create, arg));
      created = true;
    } catch (e) {
      swError = e;
    }
  }
  if (!created) {
    // Fallback: a helper extension tab in the current normal window.
    helper = await within(10_000, 'a helper tab', context.newPage());
    try {
      await helper.goto(`chrome-extension://${extensionId}/${helperPage}`, { timeout: 10_000 });
      await within(10_000, 'chrome.windows.create in a helper tab', helper.evaluate(async (a) => {
        const self = await chrome.tabs.getCurrent();
        const others = (await chrome.tabs.query({ windowId: self.windowId })).filter((t) => t.id !== self.id);
        others.sort((x, y) => (y.lastAccessed || 0) - (x.lastAccessed || 0));
        if (others[0]) await chrome.tabs.update(others[0].id, { active: true });
        await chrome.windows.create({
          type: 'popup', url: chrome.runtime.getURL(a.pageName), width: a.w, height: a.h, focused: true,
        });
      }, arg));
      created = true;
    } catch (e) {
      throw new Error(`could not open ${url} in a popup window: service worker: ${swError?.message ?? 'none running'}; helper tab: ${e.message}`);
    } finally {
      await helper.close().catch(() => {});
    }
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const popup = context.pages().find((p) => !before.has(p) && p !== helper && !p.isClosed()
      && p.url().startsWith(url));
    if (popup) {
      await popup.waitForLoadState('domcontentloaded', { timeout: 10_000 });
      // Headless windows keep the default size; lay the page out at popup size.
      await popup.setViewportSize({ width, height }).catch(() => {});
      return popup;
    }
    if (Date.now() > deadline) {
      throw new Error(`popup window for ${url} did not appear; open pages: ${context.pages().map((p) => p.url()).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A fresh normal-window tab on `url` as the active tab (every other page closed), then the
 * popup in a window of its own over it, as the toolbar popup sits over a tab. `watch(page,
 * label)` records each page's messages; `timeout` bounds the tab's navigation.
 */
export async function popupOver(browser, url, { watch = (page) => page, timeout = 15_000 } = {}) {
  const ctx = browser.context;
  const old = ctx.pages();
  const tab = watch(await within(10_000, 'a new tab', ctx.newPage()), 'tab');
  // A tab left mid-navigation by the previous test may never confirm its close; it is gone anyway.
  for (const p of old) await within(5_000, `closing ${p.url()}`, p.close()).catch(() => {});
  await tab.goto(url, { timeout });
  await within(5_000, 'bringing the tab to the front', tab.bringToFront());
  const popup = watch(await openExtensionPopupWindow(ctx, browser.extensionId, 'popup.html'), 'popup');
  return { tab, popup };
}
