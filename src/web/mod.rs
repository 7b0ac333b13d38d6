//! The extension's face: the popup and options pages, driven from Rust through `web-sys`.
//!
//! Architecture Invariant: this is the only module that touches `web-sys`, `js-sys`, browser
//! APIs or storage; it is compiled for wasm32 only. It holds no domain logic: parsing,
//! validation, URLs and search come from the core.
//!
//! Architecture Invariant: text from a config or a web page is only ever set with
//! `set_text_content` or attributes, never as HTML.

mod admin;
mod background;
mod browser;
mod console_banner;
mod dom;
mod highlight;
pub mod options;
pub mod popup;
mod popup_empty;
mod storage;
mod switch;
mod sync_store;
mod sync_watch;

use wasm_bindgen::prelude::*;

/// `parseConfig(text)`: `{ roles: [...], diagnostics: [...] }` as plain JS objects. The API
/// for benchmarks and any JavaScript consumer.
///
/// The core writes the whole result as one JSON text (`config::json`, which lists the fields)
/// and V8 builds the objects with one `JSON.parse`: one boundary crossing instead of one per
/// field. The text comes in through `TextEncoder.encodeInto`, straight into WASM memory.
#[wasm_bindgen(js_name = parseConfig)]
pub fn parse_config_js(text: &js_sys::JsString) -> Result<JsValue, JsValue> {
    let text = utf8_of(text);
    js_sys::JSON::parse(&crate::config::json::parse_config_json(&text))
}

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &TextEncoder,
        source: &js_sys::JsString,
        destination: &mut [u8],
    ) -> EncodeIntoResult;
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

/// A JS string as UTF-8 (lone surrogates become U+FFFD, as wasm-bindgen's own `&str`
/// arguments do), encoded by the engine in one call rather than wasm-bindgen's
/// character-by-character copy.
fn utf8_of(text: &js_sys::JsString) -> String {
    let units = text.length() as usize;
    let encoder = TextEncoder::new();
    // One byte per UTF-16 unit fits ASCII; the rest is encoded into more room as needed.
    let mut bytes = vec![0u8; units];
    let mut read = 0;
    let mut written = 0;
    loop {
        let rest;
        let source = if read == 0 {
            text
        } else {
            rest = text.slice(read as u32, units as u32);
            &rest
        };
        let result = encoder.encode_into(source, &mut bytes[written..]);
        read += result.read() as usize;
        written += result.written() as usize;
        if read >= units {
            break;
        }
        // At most 3 bytes per remaining unit.
        bytes.resize(written + (units - read) * 3, 0);
    }
    bytes.truncate(written);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
