// Bootstrap only: load the WASM and hand the page to Rust (src/web/options.rs).
import init, { startOptions } from './pkg/aws_role_switcher.js';
await init();
startOptions();
