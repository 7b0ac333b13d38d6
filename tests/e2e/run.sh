#!/usr/bin/env bash
# End-to-end tests: the built extension (dist/chrome) in Debian's Chromium
# against the fake AWS (tests/fake-aws/server.mjs) on loopback.
#   tests/e2e/run.sh                # all tests/e2e/*.test.mjs
#   tests/e2e/run.sh FILE...        # only these test files
# Needs: node >= 20, /usr/bin/chromium (apt-get install chromium), openssl,
# and a build in dist/chrome (./build.sh). Artifacts: target/e2e-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

ext_dir="${E2E_EXTENSION_DIR:-$root/dist/chrome}"
if [ ! -f "$ext_dir/manifest.json" ]; then
  echo "e2e: $ext_dir/manifest.json is missing: run ./build.sh first" >&2
  exit 1
fi

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "e2e: Chromium not found at $chromium (apt-get install -y chromium)" >&2
  exit 1
fi
command -v openssl >/dev/null || { echo "e2e: openssl is required (apt-get install -y openssl)" >&2; exit 1; }
command -v node >/dev/null || { echo "e2e: node is required" >&2; exit 1; }

# Install the pinned playwright-core when node_modules is missing or older than the lockfile.
stamp="$here/node_modules/.package-lock.json"
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
  echo "e2e: npm ci in tests/e2e" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

mkdir -p "$root/target/e2e-artifacts"

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=("$here"/*.test.mjs)
  files=("${files[@]#"$root"/}")
fi

echo "e2e: $("$chromium" --version 2>/dev/null | tail -n 1); extension: $ext_dir" >&2
exec node --test --test-concurrency=1 "${files[@]}"
