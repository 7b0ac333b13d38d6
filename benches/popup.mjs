// Popup benchmark: dist/chrome loaded in headless Chromium (tests/e2e/lib/browser.mjs), the
// generated config written straight into chrome.storage.local, then per size:
//   - first role: from the popup's navigation start (performance.timeOrigin, so 0 ms) to the
//     first frame painted after an `[role=option]` appeared inside the listbox `#roles`; and,
//     to split it, when `WebAssembly.instantiate(Streaming)` resolved (WASM fetched and compiled);
//   - keystroke: from a key's `keydown` event timestamp to the frame painted after the popup
//     handled the `input` event (it redraws the rows in view, and their highlights, in that
//     handler; the overscan beyond them follows when the browser is idle);
//   - memory: JS heap used after a forced GC (CDP Runtime.getHeapUsage) plus the WASM linear
//     memory (`memory.buffer.byteLength` of the module's exports).
// "Frame painted" is measured as requestAnimationFrame, then a MessageChannel message: the
// message runs right after the frame that rAF preceded has been produced (style, layout,
// paint), which is the usual in-page approximation of "next paint".
//
// The config is stored as the options page's Save stores it (the text and a new revision in
// one set()); one unmeasured open, left open 1.5 s, precedes the measured ones, so these are
// the opens after the first since the config was saved (see BENCHMARKS.md for the first).
//
// The harness's floor, measured in the same browser and the same way: two pages added to a
// copy of dist/chrome (target/bench/chrome-floor), with the popup's stylesheet, search box and
// listbox, whose script appends one option and, on `input`, changes its text:
//   - "page only": no WASM; what any extension page costs to show one option and repaint;
//   - "page + WASM": the same once our module is fetched, compiled and instantiated (as the
//     popup loads it: static import of the glue, the `.wasm` preloaded), with no popup code run.
//
// Prints one JSON object on stdout.   node benches/popup.mjs [SIZES]

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromiumWithExtension } from '../tests/e2e/lib/browser.mjs';
import { generateConfig } from './gen-config.mjs';
import { stats } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizes = (process.argv[2] || '2000,10000,50000').split(',').map(Number);
const OPENS = { 2000: 7, 10000: 5, 50000: 5 };
// Typed one key at a time: each keystroke narrows (or keeps) the list.
const QUERY = 'pay';
// A key of chrome.storage.local named in src/web/ (`CONFIG_KEY`, `REVISION_KEY`), or `fallback`.
function storageKey(name, fallback) {
  for (const file of ['src/web/storage.rs', 'src/web/browser.rs']) {
    let src = '';
    try { src = readFileSync(join(root, file), 'utf8'); } catch { continue; }
    const key = new RegExp(`${name}:\\s*&str\\s*=\\s*"([^"]+)"`).exec(src)?.[1];
    if (key) return key;
  }
  return fallback;
}
// The config's key; and the key its Save writes a new revision under in the same set() (the
// popup's first-screen cache is for one revision), or null before there was one.
const configKey = () => storageKey('CONFIG_KEY', 'config');
const revisionKey = () => storageKey('REVISION_KEY', null);

// Runs in the popup before any of its own scripts (CDP addScriptToEvaluateOnNewDocument,
// which extension-page CSP does not block).
function probe() {
  const nextPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(0);
    });
  });
  const bench = { firstRole: null, firstRoleInDom: null, started: null, keystrokes: [] };
  // When the WASM module is compiled and instantiated (wasm-bindgen's init goes through one of
  // these): the rest of "first role" is the popup's start, storage, parse and render.
  for (const fn of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[fn];
    if (typeof original !== 'function') continue;
    WebAssembly[fn] = function (...args) {
      return original.apply(this, args).then((result) => {
        if (bench.started === null) bench.started = performance.now();
        return result;
      });
    };
  }
  // Promises the harness awaits in one `evaluate` each, instead of polling the page while it
  // starts (polling every 20 ms ran tasks in the page it measures: first role 125–152 ms polled
  // against 111–135 ms not, in the same browser).
  let painted;
  bench.firstRolePainted = new Promise((resolve) => { painted = resolve; });
  bench.mark = (name) => new Promise((resolve) => {
    const seen = () => performance.getEntriesByName(name)[0]?.startTime;
    if (seen() !== undefined) return resolve(seen());
    const po = new PerformanceObserver(() => {
      if (seen() !== undefined) { po.disconnect(); resolve(seen()); }
    });
    po.observe({ type: 'mark' });
  });
  window.__bench = bench;
  const hasOption = () => !!document.querySelector('#roles [role=option]');
  const watchFirst = new MutationObserver(() => {
    if (bench.firstRole === null && hasOption()) {
      bench.firstRole = -1; // seen; paint pending
      bench.firstRoleInDom = performance.now();
      watchFirst.disconnect();
      nextPaint().then((t) => { bench.firstRole = t; painted(); });
    }
  });
  watchFirst.observe(document, { childList: true, subtree: true });

  // The popup filters and redraws the rows in view synchronously in its `input` listener on
  // #search, so the frame after that listener ran shows the keystroke. (It waited for a change
  // in #roles before; a keystroke that only narrows which letters are highlighted changes no
  // DOM node now, and was timed until the idle top-up of the overscan, ~500 ms later.)
  let start = null;
  let keystrokeTimed = () => {};
  bench.armKeystroke = () => {
    bench.keystrokeTimed = new Promise((resolve) => { keystrokeTimed = resolve; });
  };
  document.addEventListener('keydown', (e) => { start = e.timeStamp; }, true);
  // Bubbling phase on window: runs after the popup's own `input` listener on #search.
  window.addEventListener('input', () => {
    if (start === null) return;
    const from = start;
    start = null;
    nextPaint().then((t) => {
      bench.keystrokes.push(t - from);
      keystrokeTimed();
    });
  });
}

// `promise`, or an error after `ms`.
function within(ms, promise) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function measureOpen(context, extensionId, { typeQuery, settle = false, path = 'popup.html' }) {
  const page = await context.newPage();
  try {
    await page.addInitScript(probe);
    await page.goto(`chrome-extension://${extensionId}/${path}`);
    await within(60_000, page.evaluate(() => window.__bench.firstRolePainted));
    const { firstRole, firstRoleInDom, started } = await page.evaluate(() => window.__bench);
    // The popup's own marks: every role listed (config read, parsed and drawn), then its search
    // index built. Keys are typed after that, so a keystroke measures typing, not the start.
    let listed = null;
    let searchable = null;
    if (path === 'popup.html') {
      [listed, searchable] = await within(60_000, page.evaluate(() => Promise.all(
        ['ars:rendered', 'ars:searchable'].map((name) => window.__bench.mark(name)))));
    }
    // The warm-up open stays open a moment, as a user's popup would, so that it finishes its
    // start-up (which, once per config revision, caches the first screen).
    if (settle) await new Promise((resolve) => setTimeout(resolve, 1500));

    const keystrokes = [];
    if (typeQuery) {
      await page.focus('#search');
      for (const key of QUERY) {
        await page.evaluate(() => window.__bench.armKeystroke());
        await page.keyboard.press(key);
        // No call into the page while it handles and paints the key: it would run there, in
        // what is timed (a pending call made just before the key added ~5 ms to the floor's).
        await new Promise((resolve) => setTimeout(resolve, 150));
        await within(30_000, page.evaluate(() => window.__bench.keystrokeTimed));
      }
      keystrokes.push(...await page.evaluate(() => window.__bench.keystrokes));
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    const wasmBytes = await page.evaluate(async () => {
      const mod = await import(chrome.runtime.getURL('pkg/aws_role_switcher.js'));
      const exports = await mod.default(); // already initialised: returns the same exports
      return exports.memory.buffer.byteLength;
    });
    const shown = await page.locator('#roles [role=option]').count();
    return { firstRole, firstRoleInDom, started, listed, searchable, keystrokes, jsHeap: heap.usedSize, wasmMemory: wasmBytes, shown };
  } finally {
    await page.close().catch(() => {});
  }
}

// dist/chrome plus the two floor pages (see the top of this file).
function extensionWithFloorPages() {
  const dir = join(root, 'target/bench/chrome-floor');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'dist/chrome'), dir, { recursive: true });
  const html = (script, wasm) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title>
<link rel="stylesheet" href="popup.css">
${wasm ? '<link rel="modulepreload" href="pkg/aws_role_switcher.js">\n<link rel="preload" href="pkg/aws_role_switcher_bg.wasm" as="fetch" crossorigin>' : ''}
</head><body><main>
<input id="search" type="search" role="combobox" aria-label="Search" autocomplete="off">
<ul id="roles" role="listbox" aria-label="Roles"></ul>
</main><script type="module" src="${script}"></script></body></html>
`;
  const show = `const roles = document.getElementById('roles');
const option = document.createElement('li');
option.setAttribute('role', 'option');
option.textContent = 'floor';
roles.append(option);
document.getElementById('search').addEventListener('input', (e) => { option.textContent = e.target.value || 'floor'; });
`;
  writeFileSync(join(dir, 'bench-floor.html'), html('bench-floor.js', false));
  writeFileSync(join(dir, 'bench-floor.js'), show);
  writeFileSync(join(dir, 'bench-floor-wasm.html'), html('bench-floor-wasm.js', true));
  writeFileSync(join(dir, 'bench-floor-wasm.js'), `import init from './pkg/aws_role_switcher.js';\nawait init();\n${show}`);
  return dir;
}

const FLOOR_OPENS = 7;
async function measureFloor(context, extensionId, path) {
  await measureOpen(context, extensionId, { typeQuery: false, path });
  const first = [];
  const started = [];
  const keys = [];
  for (let i = 0; i < FLOOR_OPENS; i += 1) {
    const r = await measureOpen(context, extensionId, { typeQuery: i < 3, path });
    first.push(r.firstRole);
    if (r.started !== null) started.push(r.started);
    keys.push(...r.keystrokes);
  }
  const entry = { opens: FLOOR_OPENS, firstRole: stats(first), started: started.length ? stats(started) : null, keystroke: stats(keys) };
  process.stderr.write(`floor ${path}: first option ${entry.firstRole.median.toFixed(1)} ms, keystroke ${entry.keystroke.median.toFixed(1)} ms\n`);
  return entry;
}

const { context, extensionId, close } = await launchChromiumWithExtension({
  extensionDir: extensionWithFloorPages(),
  fakeAwsPort: 9, // nothing listens: the popup makes no requests while we measure
});
const results = [];
const floor = {};
let chromium = null;
try {
  chromium = context.browser()?.version() ?? null;
  const key = configKey();
  const revKey = revisionKey();
  const writer = await context.newPage();
  await writer.goto(`chrome-extension://${extensionId}/options.html`);
  if (!chromium) chromium = await writer.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? null);
  for (const size of sizes) {
    const text = generateConfig(size);
    // Stored as the options page's Save stores it: the text and, in the same set(), a new
    // revision.
    if (!writer.url().endsWith('/options.html')) await writer.goto(`chrome-extension://${extensionId}/options.html`);
    await writer.evaluate(async ([k, t, rk, rev]) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set(rk ? { [k]: t, [rk]: rev } : { [k]: t });
      const back = await chrome.storage.local.get(k);
      if (back[k] !== t) throw new Error('config did not read back');
    }, [key, text, revKey, `bench-${size}-${Date.now()}`]);
    // Away from the options page while the popup is measured: the options page follows the
    // stored config (storage.onChanged) and, holding megabytes of it, stalls every page of the
    // extension's renderer process for ~0.85 s whenever a page opens or closes (BENCHMARKS
    // NOTES); the popup alone is measured here.
    await writer.goto('about:blank');
    const opens = OPENS[size] ?? 5;
    const first = [];
    const inDom = [];
    const started = [];
    const listed = [];
    const searchable = [];
    const keys = [];
    let mem = null;
    // One unmeasured open first: Chromium's first compile of the WASM is not the steady state.
    await measureOpen(context, extensionId, { typeQuery: false, settle: true });
    for (let i = 0; i < opens; i += 1) {
      const r = await measureOpen(context, extensionId, { typeQuery: true });
      first.push(r.firstRole);
      inDom.push(r.firstRoleInDom);
      if (r.started !== null) started.push(r.started);
      listed.push(r.listed);
      searchable.push(r.searchable);
      keys.push(...r.keystrokes);
      if (!mem || r.jsHeap + r.wasmMemory > mem.jsHeap + mem.wasmMemory) mem = r;
    }
    const entry = {
      roles: size,
      opens,
      firstRole: stats(first),
      firstRoleInDom: stats(inDom),
      started: started.length ? stats(started) : null,
      listed: stats(listed),
      searchable: stats(searchable),
      keystroke: stats(keys),
      jsHeap: mem.jsHeap,
      wasmMemory: mem.wasmMemory,
      shownOptions: mem.shown,
    };
    results.push(entry);
    process.stderr.write(`popup ${size}: first role ${entry.firstRole.median.toFixed(1)} ms `
      + `(in DOM ${entry.firstRoleInDom.median.toFixed(1)}, wasm ready ${entry.started?.median.toFixed(1)}), `
      + `all listed ${entry.listed.median.toFixed(1)}, searchable ${entry.searchable.median.toFixed(1)} ms, keystroke `
      + `${entry.keystroke.median.toFixed(1)} ms (max ${entry.keystroke.max.toFixed(1)}), heap `
      + `${(mem.jsHeap / 1048576).toFixed(1)} MiB + wasm ${(mem.wasmMemory / 1048576).toFixed(1)} MiB\n`);
  }
  await writer.goto(`chrome-extension://${extensionId}/options.html`);
  await writer.evaluate(() => chrome.storage.local.clear());
  await writer.goto('about:blank');
  floor.page = await measureFloor(context, extensionId, 'bench-floor.html');
  floor.wasm = await measureFloor(context, extensionId, 'bench-floor-wasm.html');
  await writer.close();
} finally {
  await close();
}
process.stdout.write(JSON.stringify({ chromium, query: QUERY, results, floor }, null, 2) + '\n');
