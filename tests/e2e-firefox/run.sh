#!/usr/bin/env bash
# Firefox checks: `web-ext lint` of dist/firefox, then the end-to-end tests (every
# tests/e2e-firefox/test_*.py, in one Python process sharing one Firefox; harness.py): the
# built dist/firefox as a temporary add-on in Debian's firefox-esr, driven by geckodriver
# through Selenium, against the fake AWS on loopback. Installs what is missing:
# firefox-esr (apt-get), geckodriver (cargo install), selenium (pip, pinned in
# requirements.txt), web-ext (npm ci, pinned in package-lock.json).
#   tests/e2e-firefox/run.sh                  lint + e2e
#   tests/e2e-firefox/run.sh lint             lint only
#   tests/e2e-firefox/run.sh e2e              e2e only
#   tests/e2e-firefox/run.sh e2e FILE...      only these test files (test_popup_firefox.py, ...)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
what="${1:-all}"
[ "$#" -gt 0 ] && shift
ext_dir="${E2E_EXTENSION_DIR:-$root/dist/firefox}"
[ -f "$ext_dir/manifest.json" ] || { echo "e2e-firefox: $ext_dir/manifest.json is missing: run ./build.sh first" >&2; exit 1; }
command -v node >/dev/null || { echo "e2e-firefox: node is required (apt-get install -y nodejs npm)" >&2; exit 1; }

if [ "$what" = all ] || [ "$what" = lint ]; then
  stamp="$here/node_modules/.package-lock.json"
  if [ ! -x "$here/node_modules/.bin/web-ext" ] || [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
    echo "e2e-firefox: npm ci in tests/e2e-firefox (web-ext)" >&2
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  echo "e2e-firefox: web-ext lint $ext_dir" >&2
  # Accepted warnings are listed, with why, in ARCHITECTURE.md ("Firefox"); anything else fails.
  report="$(cd "$here" && node_modules/.bin/web-ext lint --source-dir "$ext_dir" --output json --no-input 2>/dev/null || true)"
  REPORT="$report" python3 - <<'PY'
import json, os, sys
accepted = {
    # strict_min_version 140 predates data_collection_permissions on Android (142), which
    # ignores the key before that; desktop Firefox has it from 140.
    "KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION",
}
try:
    report = json.loads(os.environ["REPORT"])
except ValueError:
    sys.exit("e2e-firefox: web-ext lint gave no JSON report:\n" + os.environ["REPORT"][:2000])
summary = report["summary"]
print(f"web-ext lint: {summary['errors']} errors, {summary['warnings']} warnings, {summary['notices']} notices")
bad = []
for kind in ("errors", "warnings", "notices"):
    for m in report.get(kind, []):
        ok = kind != "errors" and m["code"] in accepted
        print(f"  {kind[:-1]} {m['code']}{' (accepted)' if ok else ''}: {m['message']} {m.get('file', '')}")
        if not ok:
            bad.append(m["code"])
if bad:
    sys.exit(f"e2e-firefox: web-ext lint: unexplained {', '.join(bad)}")
PY
fi

if [ "$what" = all ] || [ "$what" = e2e ]; then
  firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
  if [ ! -x "$firefox" ]; then
    [ "$(id -u)" = 0 ] || { echo "e2e-firefox: install Firefox: sudo apt-get install -y firefox-esr" >&2; exit 1; }
    echo "e2e-firefox: apt-get install firefox-esr" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v geckodriver >/dev/null; then
    echo "e2e-firefox: cargo install geckodriver (a few minutes, once)" >&2
    cargo install --locked geckodriver
  fi
  if ! python3 -c 'import selenium' 2>/dev/null; then
    echo "e2e-firefox: pip install -r tests/e2e-firefox/requirements.txt" >&2
    python3 -m pip install -q -r "$here/requirements.txt" \
      || python3 -m pip install -q --break-system-packages -r "$here/requirements.txt"
  fi
  mkdir -p "$root/target/e2e-artifacts"
  echo "e2e-firefox: $("$firefox" --version 2>/dev/null); $(geckodriver --version 2>/dev/null | sed -n 1p); extension: $ext_dir" >&2
  if [ "$#" -gt 0 ]; then
    modules=()
    for f in "$@"; do m="$(basename "$f")"; modules+=("${m%.py}"); done
  else
    modules=()
    for f in "$here"/test_*.py; do m="$(basename "$f")"; modules+=("${m%.py}"); done
  fi
  started=$SECONDS
  status=0
  (cd "$here" && E2E_EXTENSION_DIR="$ext_dir" FIREFOX_PATH="$firefox" python3 -m unittest -v "${modules[@]}") || status=$?
  echo "e2e-firefox: ${modules[*]}: $((SECONDS - started)) s" >&2
  exit "$status"
fi
