// Writes BENCHMARKS.md from the JSON that benches/run.sh collected in target/bench/, measures
// the sizes (the .wasm raw and gzipped, each dist zip), checks the budgets, and exits 1 when
// any budget is missed, printing each missed figure.
//
//   node benches/report.mjs

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target/bench');
const readJson = (name) => {
  const p = join(out, name);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
};
const importRes = readJson('import.json');
const popupRes = readJson('popup.json');
const nativeRes = readJson('native.json');

// Budgets from issue 7.
const KB = 1024;
const BUDGET = {
  speedup: { 10000: 10, 50000: 10 },
  firstRole: { 2000: 50, 50000: 100 },
  keystroke: { 50000: 16 },
  wasmGz: 80 * KB,
  zip: 90 * KB,
};

const wasmPath = join(root, 'dist/chrome/pkg/aws_role_switcher_bg.wasm');
const wasm = readFileSync(wasmPath);
function gzipped(path, bytes) {
  try {
    const out = execFileSync('gzip', ['-9', '-n', '-c', path], { maxBuffer: 64 << 20 });
    return { wasmGz: out.length, gzipTool: 'gzip -9' };
  } catch {
    return { wasmGz: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length, gzipTool: 'node zlib level 9' };
  }
}
const sizes = {
  wasmRaw: wasm.length,
  // GNU `gzip -9 -n` when present (node's bundled zlib packs this module ~3 KB larger).
  ...gzipped(wasmPath, wasm),
  zips: ['chrome', 'firefox'].map((b) => {
    const p = join(root, `dist/aws-role-switcher-${b}.zip`);
    return { browser: b, bytes: existsSync(p) ? statSync(p).size : null };
  }),
};

const failures = [];
const mark = (ok) => (ok ? 'pass' : '**FAIL**');
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const spread = (s) => `${fmt(s.p25)}–${fmt(s.p75)}`;
const kb = (b) => `${(b / KB).toFixed(1)} KB`;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };

const lines = [];
const p = (s = '') => lines.push(s);
p('# Benchmarks');
p();
p('Written by `./build.sh bench` (`benches/run.sh`); do not edit by hand. CI never runs it: these');
p('are not timed tests, and absolute times move with the machine\'s load. Compare the ratios taken in');
p('one run. Medians, with the spread as the interquartile range (p25–p75) of the runs.');
p();
p(`- **Date:** ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
p(`- **Commit:** ${sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD'])}${sh('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : ''}`);
p(`- **Machine:** ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (shared), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${process.platform} ${process.arch}`);
p(`- **Versions:** ${sh('rustc', ['--version'])}; node ${process.version}; aesr-config ${importRes?.aesrConfig ?? 'n/a'}; Chromium ${popupRes?.chromium ?? 'n/a'}; ${sh('wasm-opt', ['--version'])}`);
p('- **Input:** `benches/gen-config.mjs`: N role profiles (`[profile x]`, `role_arn` or `aws_account_id` + `role_name`, `color`, `region`, base accounts with `target_role_name` and targets with `source_profile`), plus one base account per 20 targets; the same bytes for every tool.');
p();

p('## 1. Import: text in, JS objects out (node, one process, alternating runs)');
p();
p('Ours: `parseConfig(text)` from `target/pkg` (WASM). Theirs: `ConfigParser.parseIni(text)` from `aesr-config`, the parser of AWS Extend Switch Roles.');
p();
if (importRes) {
  p('| roles | config | runs | ours ms (p25–p75) | aesr-config ms (p25–p75) | speed-up | budget | same role count |');
  p('|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of importRes.results) {
    const want = BUDGET.speedup[r.roles];
    const ok = want === undefined || r.speedup >= want;
    if (!ok) failures.push(`import @${r.roles}: ${r.speedup.toFixed(2)}x faster than aesr-config (budget >= ${want}x)`);
    if (!r.sameRoleCount) failures.push(`import @${r.roles}: role counts differ: ours ${r.oursRoles}, aesr-config ${r.aesrRoles}`);
    p(`| ${r.roles} | ${kb(r.bytes)} | ${r.runs} | ${fmt(r.ours.median)} (${spread(r.ours)}) | ${fmt(r.aesr.median)} (${spread(r.aesr)}) | ${r.speedup.toFixed(2)}× | ${want ? `≥ ${want}× ${mark(ok)}` : '–'} | ${r.sameRoleCount ? `yes (${r.oursRoles})` : `**no**: ${r.oursRoles} vs ${r.aesrRoles}`} |`);
  }
} else {
  p('_not measured_');
  failures.push('import: no results (target/bench/import.json missing)');
}
p();

p('## 2. Native parse (criterion, `benches/parse.rs`)');
p();
p('`parse_config(text)`: text to role entries and diagnostics, natively (`cargo bench --bench parse`, 10 samples, 3 s).');
p();
if (nativeRes?.length) {
  p('| roles | config | median ms (95% CI) | MB/s |');
  p('|---:|---:|---:|---:|');
  for (const r of nativeRes) {
    p(`| ${r.roles} | ${kb(r.bytes)} | ${fmt(r.medianMs, 2)} (${fmt(r.lowMs, 2)}–${fmt(r.highMs, 2)}) | ${fmt(r.bytes / 1e6 / (r.medianMs / 1e3))} |`);
  }
} else {
  p('_not measured_');
}
p();

p('## 3. Popup (headless Chromium, `dist/chrome` loaded, config in `chrome.storage.local`)');
p();
p('- **First role:** from the popup\'s navigation start to the first frame painted after an');
p('  `[role=option]` appeared in `#roles` (a MutationObserver, then requestAnimationFrame followed by a');
p('  MessageChannel message, which runs once that frame is produced). "In DOM" is when the option appeared;');
p('  "WASM ready" is when `WebAssembly.instantiateStreaming` (or `instantiate`) resolved: the module was');
p('  fetched, compiled and instantiated; the rest is the popup\'s start, reading storage, parse and render.');
p('  The popup is opened as a tab on `popup.html`. The config is stored as the options page\'s Save');
p('  stores it (the text and a new `config.revision` in one `set`); one unmeasured open, left open 1.5 s,');
p('  precedes the measured ones, so these are the opens after the first since the save: they draw the');
p('  first screen the first open cached (see "The popup\'s first screen" below for the first open).');
p('- **All listed / searchable:** the popup\'s own `performance.mark`s, from its time origin: every role');
p('  drawn from the config just read and parsed (`ars:rendered`; until then the cached first screen shows),');
p('  then its search index built (`ars:searchable`). Keys are typed only after that.');
p('- **Keystroke:** from the `keydown` event\'s timestamp to the frame painted after the popup\'s `input`');
p(`  handler ran (it redraws the rows in view and their highlights synchronously); the keys of \`${popupRes?.query ?? 'pay'}\`, one at a time, in every open.`);
p('- **Memory:** JS heap used after a forced GC (CDP `Runtime.getHeapUsage`) plus the WASM linear memory');
p('  (`memory.buffer.byteLength` of the module\'s exports); the largest of the opens.');
p();
if (popupRes) {
  p('| roles | opens | first role ms (p25–p75) | in DOM ms | WASM ready ms | budget | all listed ms | searchable ms | keystroke ms (p25–p75, max) | budget | JS heap | WASM memory | total |');
  p('|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|');
  for (const r of popupRes.results) {
    const fw = BUDGET.firstRole[r.roles];
    const fok = fw === undefined || r.firstRole.median < fw;
    if (!fok) failures.push(`popup @${r.roles}: first role painted after ${r.firstRole.median.toFixed(1)} ms (budget < ${fw} ms)`);
    const kw = BUDGET.keystroke[r.roles];
    const kok = kw === undefined || r.keystroke.median < kw;
    if (!kok) failures.push(`popup @${r.roles}: keystroke to painted list ${r.keystroke.median.toFixed(1)} ms (budget < ${kw} ms)`);
    p(`| ${r.roles} | ${r.opens} | ${fmt(r.firstRole.median)} (${spread(r.firstRole)}) | ${fmt(r.firstRoleInDom.median)} | ${fmt(r.started?.median)} | ${fw ? `< ${fw} ${mark(fok)}` : '–'} | ${fmt(r.listed?.median)} | ${fmt(r.searchable?.median)} | ${fmt(r.keystroke.median)} (${spread(r.keystroke)}, ${fmt(r.keystroke.max)}) | ${kw ? `< ${kw} ${mark(kok)}` : '–'} | ${mib(r.jsHeap)} | ${mib(r.wasmMemory)} | ${mib(r.jsHeap + r.wasmMemory)} |`);
  }
  const floor = popupRes.floor ?? {};
  if (floor.page || floor.wasm) {
    p();
    p('**The harness\'s floor** (same browser, same measurement; not budgets): two pages added to a copy of');
    p('`dist/chrome`, with the popup\'s stylesheet, search box and listbox, whose script appends one option and');
    p('changes its text on `input`. "Page only" loads no WASM; "page + WASM" first loads our module as the popup');
    p('does (glue imported statically, `.wasm` preloaded) and runs none of its code. What the popup adds to the');
    p('first row is its own start; what the harness needs for any page is the floor.');
    p();
    p('| page | opens | first option ms (p25–p75) | WASM ready ms | keystroke ms (p25–p75, max) |');
    p('|---|---:|---:|---:|---:|');
    for (const [name, f] of [['page only', floor.page], ['page + WASM', floor.wasm]]) {
      if (!f) continue;
      p(`| ${name} | ${f.opens} | ${fmt(f.firstRole.median)} (${spread(f.firstRole)}) | ${fmt(f.started?.median)} | ${fmt(f.keystroke.median)} (${spread(f.keystroke)}, ${fmt(f.keystroke.max)}) |`);
    }
  }
} else {
  p('_not measured_');
  failures.push('popup: no results (target/bench/popup.json missing)');
}
p();

p('## 4. Size');
p();
p('| artefact | bytes | budget |');
p('|---|---:|---|');
p(`| \`aws_role_switcher_bg.wasm\` raw | ${sizes.wasmRaw} (${kb(sizes.wasmRaw)}) | – |`);
const wok = sizes.wasmGz <= BUDGET.wasmGz;
if (!wok) failures.push(`wasm: ${sizes.wasmGz} bytes gzipped (${kb(sizes.wasmGz)}; budget <= ${kb(BUDGET.wasmGz)})`);
p(`| \`aws_role_switcher_bg.wasm\` ${sizes.gzipTool} | ${sizes.wasmGz} (${kb(sizes.wasmGz)}) | ≤ ${kb(BUDGET.wasmGz)} ${mark(wok)} |`);
for (const z of sizes.zips) {
  const ok = z.bytes !== null && z.bytes <= BUDGET.zip;
  if (!ok) failures.push(`zip ${z.browser}: ${z.bytes} bytes (${z.bytes === null ? 'missing' : kb(z.bytes)}; budget <= ${kb(BUDGET.zip)})`);
  p(`| \`dist/aws-role-switcher-${z.browser}.zip\` | ${z.bytes ?? 'missing'}${z.bytes ? ` (${kb(z.bytes)})` : ''} | ≤ ${kb(BUDGET.zip)} ${mark(ok)} |`);
}
p();

p('## Budgets');
p();
if (failures.length) {
  p(`${failures.length} budget(s) missed in this run:`);
  p();
  for (const f of failures) p(`- ${f}`);
} else {
  p('All budgets met in this run.');
}
p();
const notes = join(root, 'benches/NOTES.md');
if (existsSync(notes)) {
  p(readFileSync(notes, 'utf8').trimEnd());
  p();
}

writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
if (failures.length) {
  process.stderr.write(`\nbench: ${failures.length} budget(s) missed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
