//! The extension's face: the popup and options pages, driven from Rust through `web-sys`.
//!
//! Architecture Invariant: this is the only module that touches `web-sys`, `js-sys`, browser
//! APIs or storage; it is compiled for wasm32 only. It holds no domain logic: parsing,
//! validation, URLs and search come from the core.
//!
//! Architecture Invariant: text from a config or a web page is only ever set with
//! `set_text_content` or attributes, never as HTML.

mod background;
mod browser;
mod dom;
pub mod options;
pub mod popup;
mod storage;
mod switch;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `parseConfig(text)`: `{ roles: [...], diagnostics: [...] }` as plain JS objects. The API
/// for benchmarks and any JavaScript consumer.
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config_js(text: &str) -> Result<JsValue, JsValue> {
    let parsed = crate::parse_config(text);
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    parsed
        .serialize(&serializer)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Entry point of `popup.html`: `extension/popup.js`'s promises of what it requested from
/// storage while the WASM loaded (see `popup::start`; anything else: the popup reads storage).
#[wasm_bindgen(js_name = startPopup)]
pub fn start_popup(cached: JsValue, config: JsValue, managed: JsValue) {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(err) = popup::start(cached, config, managed).await {
            dom::report_startup_error(&err);
        }
    });
}

/// Entry point of `options.html`.
#[wasm_bindgen(js_name = startOptions)]
pub fn start_options() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(err) = options::start().await {
            dom::report_startup_error(&err);
        }
    });
}
