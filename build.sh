#!/usr/bin/env bash
# AWS Role Switcher: build and test, with every setup step included.
#   ./build.sh          install the toolchain pieces, build dist/chrome, dist/firefox (+ .zip) and the CLI
#   ./build.sh test     the above, then every test layer: native, wasm-bindgen-test in Chromium, end to end
#   ./build.sh bench    the above build, then the benchmarks (see BENCHMARKS.md); never part of CI
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
WASM_TARGET=wasm32-unknown-unknown
CRATE=aws_role_switcher

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nbuild.sh: error: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
apt_install() {
  # Debian packages the build or the tests need; a fresh machine has none of them.
  if [ "$(id -u)" != 0 ]; then
    fail "missing Debian packages: $*. Install them with: sudo apt-get install -y $*"
  fi
  if [ $APT_UPDATED = 0 ]; then
    apt-get update -qq || fail "apt-get update failed; check the network access to Debian's mirrors"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || fail "apt-get install $* failed"
}

ensure_rust() {
  command -v cargo >/dev/null || fail "cargo is not installed: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    step "Installing the $WASM_TARGET Rust target"
    rustup target add "$WASM_TARGET" || fail "rustup target add $WASM_TARGET failed"
  fi
}

wasm_bindgen_version() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want have
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || fail "could not find wasm-bindgen's version in Cargo.lock"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    step "Installing wasm-bindgen-cli $want (about 2.5 minutes, once)"
    cargo install wasm-bindgen-cli --version "=$want" \
      || fail "cargo install wasm-bindgen-cli --version =$want failed"
  fi
}

ensure_wasm_opt() {
  command -v wasm-opt >/dev/null || { step "Installing binaryen (wasm-opt)"; apt_install binaryen; }
}

build_wasm() {
  step "Building the WASM core (release)"
  cargo build --release --lib --target "$WASM_TARGET"
  step "Optimising with wasm-opt, then generating the JS bindings"
  # wasm-opt runs before wasm-bindgen: Debian's binaryen 108 rewrites the export of
  # wasm-bindgen's externref table to the wrong table, so the module would not load.
  # Its feature flags must be spelled out to match what rustc emits.
  mkdir -p target/opt
  wasm-opt -Oz --strip-debug --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    -o "target/opt/$CRATE.wasm" "target/$WASM_TARGET/release/$CRATE.wasm"
  rm -rf target/pkg
  wasm-bindgen --target web --no-typescript --remove-producers-section --out-dir target/pkg "target/opt/$CRATE.wasm"
}

assemble() {
  step "Assembling dist/chrome and dist/firefox"
  python3 - "$ROOT" <<'PY'
import json, os, shutil, sys, zipfile
root = sys.argv[1]
base = json.load(open(os.path.join(root, "manifest.json")))

def merge(into, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into

for browser, platform in (("chrome", "chromium"), ("firefox", "firefox")):
    out = os.path.join(root, "dist", browser)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(os.path.join(root, "extension"), out)
    shutil.copytree(os.path.join(root, "target", "pkg"), os.path.join(out, "pkg"))
    # wasm-bindgen ships the console-page functions as a snippet under pkg/snippets/ (the
    # copy the WASM imports); the source file itself is not loaded by anything.
    os.remove(os.path.join(out, "content", "console-page.js"))
    for stray in (".gitignore", "package.json"):
        p = os.path.join(out, "pkg", stray)
        if os.path.exists(p):
            os.remove(p)
    manifest = merge(json.loads(json.dumps(base)),
                     json.load(open(os.path.join(root, "platform", platform, "manifest.json"))))
    # Firefox's MV3 runs background scripts in an event page, not a service worker.
    background = manifest.get("background", {})
    if browser == "firefox" and "service_worker" in background:
        background["scripts"] = [background.pop("service_worker")]
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    # A reproducible zip: sorted entries, fixed timestamps.
    zip_path = os.path.join(root, "dist", f"aws-role-switcher-{browser}.zip")
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for folder, dirs, files in os.walk(out):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                info = zipfile.ZipInfo(os.path.relpath(path, out), date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, open(path, "rb").read(), compresslevel=9)
PY
}

build_cli() {
  step "Building the CLI"
  cargo build --release --bin aws-role-switcher
}

build() {
  # One build at a time in this checkout (parallel runs would clobber target/pkg and dist/).
  mkdir -p target
  exec 9>target/.build.lock
  flock 9
  ensure_rust
  ensure_wasm_bindgen
  ensure_wasm_opt
  build_wasm
  assemble
  build_cli
  local wasm_bytes
  wasm_bytes=$(wc -c < "dist/chrome/pkg/${CRATE}_bg.wasm")
  cat <<MSG

Built.
  Chrome / Edge:  load unpacked from $ROOT/dist/chrome   (chrome://extensions, Developer mode, "Load unpacked")
  Firefox:        load $ROOT/dist/firefox/manifest.json   (about:debugging, "Load Temporary Add-on")
  Zips:           $ROOT/dist/aws-role-switcher-chrome.zip, $ROOT/dist/aws-role-switcher-firefox.zip
  CLI:            $ROOT/target/release/aws-role-switcher
  WASM:           $wasm_bytes bytes
MSG
  flock -u 9
}

ensure_test_tools() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  python3 -c 'import pip' 2>/dev/null || missing+=(python3-pip)
  # A CJK font, so the zh_CN / zh_TW popup screenshots show characters rather than boxes.
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  if [ ${#missing[@]} -gt 0 ]; then
    step "Installing test tools: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

run_tests() {
  ensure_test_tools
  step "Layer 1: native tests (cargo test)"
  cargo test --all-targets

  step "Layer 2: wasm-bindgen-test in headless Chromium"
  CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target "$WASM_TARGET" --no-default-features --test web

  if [ "${E2E_SERIAL:-0}" = 1 ]; then
    step "Layer 3: end to end in Chromium against the fake AWS"
    bash tests/e2e/run.sh
    step "Layer 4: Firefox: web-ext lint, then end to end in firefox-esr against the fake AWS"
    bash tests/e2e-firefox/run.sh
  else
    run_browser_suites_in_parallel
  fi
  printf '\nAll test layers passed.\n'
}

# Layers 3 and 4 at once (E2E_SERIAL=1: one after the other): they share no port (each fake
# AWS and proxy takes a random one) and no browser profile, and together they take about as
# long as the longer one. Each writes its own log, printed whole once both are done; the build
# fails if either failed.
run_browser_suites_in_parallel() {
  step "Layers 3 and 4: end to end in Chromium and in Firefox (web-ext lint, firefox-esr), at once"
  local logs=target/e2e-logs chromium_status=0 firefox_status=0 started=$SECONDS
  mkdir -p "$logs"
  bash tests/e2e/run.sh >"$logs/chromium.log" 2>&1 &
  local chromium_pid=$!
  bash tests/e2e-firefox/run.sh >"$logs/firefox.log" 2>&1 &
  local firefox_pid=$!
  wait "$chromium_pid" || chromium_status=$?
  wait "$firefox_pid" || firefox_status=$?
  step "Layer 3: end to end in Chromium against the fake AWS ($logs/chromium.log)"
  cat "$logs/chromium.log"
  step "Layer 4: Firefox: web-ext lint, then end to end in firefox-esr against the fake AWS ($logs/firefox.log)"
  cat "$logs/firefox.log"
  printf '\nLayers 3 and 4: %s s; Chromium %s, Firefox %s\n' "$((SECONDS - started))" \
    "$([ "$chromium_status" = 0 ] && echo passed || echo "FAILED (exit $chromium_status)")" \
    "$([ "$firefox_status" = 0 ] && echo passed || echo "FAILED (exit $firefox_status)")"
  [ "$chromium_status" = 0 ] && [ "$firefox_status" = 0 ] || fail "end-to-end tests failed (logs above)"
}

case "${1:-build}" in
  build) build ;;
  test) build; run_tests ;;
  bench)
    build
    [ -x benches/run.sh ] || fail "benches/run.sh is missing"
    ensure_test_tools  # node, npm and Chromium, as for the tests
    bash benches/run.sh
    ;;
  -h|--help|help) sed -n '2,5p' "$0" ;;
  *) fail "unknown command '$1': use ./build.sh, ./build.sh test or ./build.sh bench" ;;
esac
