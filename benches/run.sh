#!/usr/bin/env bash
# The benchmarks of issue 7, run by `./build.sh bench` after a build (never by CI):
#   1. import: our WASM parseConfig vs aesr-config's ConfigParser.parseIni (benches/import.mjs)
#   2. native parse MB/s: criterion (benches/parse.rs)
#   3. popup in headless Chromium: first role, keystroke, memory (benches/popup.mjs)
#   4. sizes; then BENCHMARKS.md is rewritten and missed budgets exit 1 (benches/report.mjs)
#   benches/run.sh [SIZES]    SIZES: comma-separated role counts (default 2000,10000,50000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
sizes="${1:-2000,10000,50000}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

[ -f target/pkg/aws_role_switcher.js ] && [ -f dist/chrome/manifest.json ] \
  || { echo "bench: run ./build.sh first (target/pkg and dist/chrome are missing)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench: node is required (apt-get install -y nodejs npm)" >&2; exit 1; }
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "bench: Chromium not found at $chromium (apt-get install -y chromium)" >&2; exit 1; }

# The pinned npm packages: ours (aesr-config, playwright-core), and the e2e helpers' playwright-core.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    echo "bench: npm ci in ${dir#"$root"/}" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci "$here"
npm_ci "$root/tests/e2e"

out=target/bench
mkdir -p "$out"
rm -f "$out"/*.json
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  node benches/gen-config.mjs "$n" >"$out/config-$n.ini"
done

printf '\n==> bench 1/4: import, WASM parseConfig vs aesr-config\n'
node benches/import.mjs "$sizes" >"$out/import.json"

printf '\n==> bench 2/4: native parse (criterion)\n'
# Only the sizes asked for; criterion's filter is a regex over "parse_config/N".
rm -rf target/criterion/parse_config
filter="parse_config/(${sizes//,/|})\$"
# Tried twice: `cargo bench` also builds the lib for the CLI into the same target/release/deps
# (cargo's "output filename collision" warning), which can fail a link once.
criterion() { cargo bench --bench parse -- --noplot "$filter" >"$out/criterion.log" 2>&1; }
if criterion || criterion; then
  grep -E '^parse_config|time:|thrpt:' "$out/criterion.log" || true
else
  echo "bench: cargo bench failed (the native figures will be missing); its last lines:" >&2
  tail -n 20 "$out/criterion.log" >&2
fi
node -e '
  const fs = require("fs");
  const rows = process.argv[1].split(",").map(Number).flatMap((roles) => {
    const dir = `target/criterion/parse_config/${roles}/new`;
    if (!fs.existsSync(`${dir}/estimates.json`)) return [];
    const est = JSON.parse(fs.readFileSync(`${dir}/estimates.json`, "utf8")).median;
    const meta = JSON.parse(fs.readFileSync(`${dir}/benchmark.json`, "utf8"));
    return [{ roles, bytes: meta.throughput.Bytes, medianMs: est.point_estimate / 1e6,
      lowMs: est.confidence_interval.lower_bound / 1e6, highMs: est.confidence_interval.upper_bound / 1e6 }];
  });
  fs.writeFileSync("target/bench/native.json", JSON.stringify(rows, null, 2) + "\n");
' "$sizes"

printf '\n==> bench 3/4: popup in headless Chromium\n'
node benches/popup.mjs "$sizes" >"$out/popup.json"

printf '\n==> bench 4/4: sizes, budgets, BENCHMARKS.md\n'
node benches/report.mjs
