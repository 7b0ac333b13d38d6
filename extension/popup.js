// Bootstrap only: load the WASM and hand the page to Rust (src/web/popup.rs). The stored config
// is requested first, so that storage is read while the WASM loads (the keys are
// LOCAL_STATE_KEYS and MANAGED_KEYS in src/web/storage.rs).
const early = Promise.all([
  chrome.storage.local.get(['config', 'config.saved_at', 'config.sync_generation']),
  chrome.storage.managed.get(['config', 'locked']).catch(() => ({})),
]);
const { default: init, startPopup } = await import('./pkg/aws_role_switcher.js');
await init();
startPopup(early);
