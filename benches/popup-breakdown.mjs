// Where the popup's first paint goes (by hand; not part of run.sh): per size, opens of
// popup.html as benches/popup.mjs does them (a tab, the config stored with its revision as
// Save stores it, each open left open 1 s so it finishes starting), in two modes:
//   warm: the first-screen cache of the previous open is there (the steady state);
//   cold: the cache is removed before each open (the first open after a save).
// Reports the medians, in ms from navigation start, of: domInteractive, WASM instantiated, the
// popup's own performance marks (`ars:*`, src/web/popup.rs and storage.rs), the first option in
// #roles and the frame painted after it (requestAnimationFrame, then a MessageChannel message).
//   node benches/popup-breakdown.mjs [SIZES] [OPENS]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromiumWithExtension } from '../tests/e2e/lib/browser.mjs';
import { generateConfig } from './gen-config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizes = (process.argv[2] || '2000,10000,50000').split(',').map(Number);
const opens = Number(process.argv[3] || 5);

function probe() {
  const b = {};
  window.__bd = b;
  for (const fn of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[fn];
    if (typeof original !== 'function') continue;
    WebAssembly[fn] = function (...args) {
      return original.apply(this, args).then((r) => { b.wasm ??= performance.now(); return r; });
    };
  }
  const mo = new MutationObserver(() => {
    if (b.inDom == null && document.querySelector('#roles [role=option]')) {
      b.inDom = performance.now();
      mo.disconnect();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { b.painted = performance.now(); };
        ch.port2.postMessage(0);
      });
    }
  });
  mo.observe(document, { childList: true, subtree: true });
}

const COLUMNS = ['interactive', 'wasm', 'ars:start', 'ars:cache-read', 'ars:first-screen', 'ars:local-read',
  'ars:parsed', 'ars:rendered', 'inDom', 'painted'];
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

const { context, extensionId, close } = await launchChromiumWithExtension({
  extensionDir: join(root, 'dist/chrome'), fakeAwsPort: 9,
});
try {
  const writer = await context.newPage();
  await writer.goto(`chrome-extension://${extensionId}/options.html`);
  console.log(`| roles | first screen | ${COLUMNS.join(' | ')} |`);
  console.log(`|---:|---|${COLUMNS.map(() => '---:').join('|')}|`);
  for (const size of sizes) {
    const text = generateConfig(size);
    await writer.evaluate(async (t) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set({ config: t, 'config.revision': `breakdown-${t.length}-${Date.now()}` });
    }, text);
    for (const mode of ['warm', 'cold']) {
      const rows = [];
      for (let i = 0; i <= opens; i += 1) {
        if (mode === 'cold') await writer.evaluate(() => chrome.storage.local.remove('popup.first_screen'));
        const page = await context.newPage();
        await page.addInitScript(probe);
        await page.goto(`chrome-extension://${extensionId}/popup.html`);
        // Look only once the start is over: polling would run scripts in the page it times.
        await new Promise((res) => setTimeout(res, 1000));
        await page.waitForFunction(() => window.__bd && window.__bd.painted, undefined, { timeout: 60000, polling: 200 });
        const r = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const out = { interactive: nav.domInteractive, ...window.__bd };
          for (const m of performance.getEntriesByType('mark')) out[m.name] = m.startTime;
          return out;
        });
        await page.close();
        if (i > 0 || mode === 'cold') rows.push(r);
      }
      const cells = COLUMNS.map((c) => { const m = median(rows.map((r) => r[c])); return m == null ? '–' : m.toFixed(0); });
      console.log(`| ${size} | ${mode === 'warm' ? 'cached' : 'none (first open)'} | ${cells.join(' | ')} |`);
    }
  }
  await writer.evaluate(() => chrome.storage.local.clear());
} finally {
  await close();
}
