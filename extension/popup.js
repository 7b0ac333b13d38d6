// Bootstrap only: load the WASM and hand the page to Rust (src/web/popup.rs). The glue is a
// static import and popup.html preloads the `.wasm`, so both are fetched while the page is
// parsed rather than one after the other once this script runs. Storage is requested before
// the WASM is instantiated, small answers first (they come back in order): the popup's cached
// first screen (with its copy of the managed config), the managed config. The config itself is
// requested here only when there is no cached first screen; otherwise the popup reads it once
// that screen is painted, because taking in a config of megabytes holds the page for a while.
// The keys are FIRST_SCREEN_KEYS, MANAGED_KEYS and LOCAL_STATE_KEYS in src/web/storage.rs
// (tests/manifest_policy.rs checks).
import init, { startPopup } from './pkg/aws_role_switcher.js';

const cached = chrome.storage.local.get(['config.revision', 'popup.first_screen', 'managed.last_known']);
const managed = chrome.storage.managed.get(['config', 'locked']).catch(() => ({}));
const config = cached.then((stored) => (stored['popup.first_screen'] ? null
  : chrome.storage.local.get(['config', 'config.saved_at', 'config.sync_generation', 'config.revision', 'config.check', 'config.origin'])));
await init();
startPopup(cached, config, managed);
