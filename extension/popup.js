// Bootstrap only: load the WASM and hand the page to Rust (src/web/popup.rs).
import init, { startPopup } from './pkg/aws_role_switcher.js';
await init();
startPopup();
