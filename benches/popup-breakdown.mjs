// Where the popup's first paint goes: per size, a few opens of popup.html (as benches/popup.mjs
// does), reporting the navigation and resource timings of the page, its scripts and the .wasm,
// when WebAssembly.instantiate(Streaming) resolved, the popup's own performance marks
// (`ars:*`, set by src/web/popup.rs) and the first painted role. Not part of run.sh.
//   node benches/popup-breakdown.mjs [SIZES] [OPENS]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromiumWithExtension } from '../tests/e2e/lib/browser.mjs';
import { generateConfig } from './gen-config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizes = (process.argv[2] || '2000').split(',').map(Number);
const opens = Number(process.argv[3] || 5);

function probe() {
  const b = { marks: {}, probe: performance.now() };
  document.addEventListener('readystatechange', () => { b['rs:' + document.readyState] = performance.now(); });
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) (b.long ??= []).push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true }); } catch {}
  window.__bd = b;
  for (const fn of ['instantiateStreaming', 'instantiate', 'compileStreaming', 'compile']) {
    const original = WebAssembly[fn];
    if (typeof original !== 'function') continue;
    WebAssembly[fn] = function (...args) {
      b[fn + ':call'] ??= performance.now();
      return original.apply(this, args).then((r) => { b[fn + ':done'] ??= performance.now(); return r; });
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
  document.addEventListener('DOMContentLoaded', () => { b.dcl = performance.now(); });
}

const { context, extensionId, close } = await launchChromiumWithExtension({
  extensionDir: join(root, 'dist/chrome'), fakeAwsPort: 9,
});
try {
  const writer = await context.newPage();
  await writer.goto(`chrome-extension://${extensionId}/options.html`);
  for (const size of sizes) {
    const text = generateConfig(size);
    await writer.evaluate(async ([t]) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set({ config: t, 'config.revision': `bench-${t.length}` });
    }, [text]);
    const rows = [];
    for (let i = 0; i <= opens; i += 1) {
      if (process.env.COLD) await writer.evaluate(() => chrome.storage.local.remove('popup.first_screen'));
      const page = await context.newPage();
      await page.addInitScript(probe);
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      await page.waitForFunction(() => window.__bd && window.__bd.painted, undefined, { timeout: 60000, polling: 20 });
      const r = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), [Math.round(e.startTime), Math.round(e.responseEnd)]]));
        const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime * 10) / 10]));
        const b = window.__bd;
        const out = { resp: Math.round(nav.responseEnd), domInt: Math.round(nav.domInteractive), dcl: Math.round(b.dcl ?? -1) };
        for (const k of Object.keys(b)) if (typeof b[k] === 'number') out[k] = Math.round(b[k] * 10) / 10;
        out.long = b.long; out.fetchStart = Math.round(nav.fetchStart); out.domLoading = Math.round(nav.domContentLoadedEventStart);
        return { ...out, res, marks };
      });
      await new Promise((res) => setTimeout(res, 1000)); // let it finish starting (and cache)
      await page.close();
      if (i > 0) rows.push(r);
    }
    console.log(`== ${size} roles`);
    for (const r of rows) console.log(JSON.stringify(r));
  }
} finally {
  await close();
}
