// Import benchmark: our WASM `parseConfig(text)` against aesr-config's `ConfigParser.parseIni(text)`
// (the parser of AWS Extend Switch Roles), in ONE node process, alternating runs on the same text.
// Both are "text in, JS objects out". Prints one JSON object on stdout.
//
//   node benches/import.mjs [SIZES]     SIZES: comma-separated role counts (default 2000,10000,50000)

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ConfigParser } from 'aesr-config';
import { generateConfig } from './gen-config.mjs';
import { stats } from './stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'target', 'pkg');
const ours = await import(pathToFileURL(join(pkg, 'aws_role_switcher.js')).href);
await ours.default({ module_or_path: readFileSync(join(pkg, 'aws_role_switcher_bg.wasm')) });

const sizes = (process.argv[2] || '2000,10000,50000').split(',').map(Number);
// Enough runs for a stable median, few enough that 50k finishes in seconds (aesr ~0.5 s a run).
const RUNS = { 2000: 31, 10000: 15, 50000: 7 };
const WARMUP = 3;

function aesrRoleCount(set) {
  return set.singles.length + set.complexes.reduce((n, c) => n + c.targets.length, 0);
}

function time(fn) {
  const t0 = performance.now();
  const result = fn();
  return [performance.now() - t0, result];
}

const results = [];
for (const size of sizes) {
  const text = generateConfig(size);
  const runOurs = () => ours.parseConfig(text);
  const runAesr = () => ConfigParser.parseIni(text);
  for (let i = 0; i < WARMUP; i += 1) { runOurs(); runAesr(); }
  const runs = RUNS[size] ?? 9;
  const oursMs = [];
  const aesrMs = [];
  let oursRoles = 0;
  let aesrRoles = 0;
  for (let i = 0; i < runs; i += 1) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    const order = i % 2 === 0 ? ['ours', 'aesr'] : ['aesr', 'ours'];
    for (const who of order) {
      if (who === 'ours') {
        const [ms, parsed] = time(runOurs);
        oursMs.push(ms);
        oursRoles = parsed.roles.length;
      } else {
        const [ms, parsed] = time(runAesr);
        aesrMs.push(ms);
        aesrRoles = aesrRoleCount(parsed);
      }
    }
  }
  const o = stats(oursMs);
  const a = stats(aesrMs);
  results.push({
    roles: size,
    bytes: Buffer.byteLength(text),
    runs,
    ours: o,
    aesr: a,
    speedup: a.median / o.median,
    oursRoles,
    aesrRoles,
    sameRoleCount: oursRoles === aesrRoles && oursRoles === size,
  });
  process.stderr.write(`import ${size}: ours ${o.median.toFixed(1)} ms, aesr-config ${a.median.toFixed(1)} ms, `
    + `${(a.median / o.median).toFixed(1)}x; roles ${oursRoles} vs ${aesrRoles}\n`);
}

const require = createRequire(import.meta.url);
process.stdout.write(JSON.stringify({
  node: process.version,
  aesrConfig: require('aesr-config/package.json').version,
  results,
}, null, 2) + '\n');
