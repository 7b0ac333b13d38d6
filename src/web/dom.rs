//! Small DOM helpers. Text goes in through `set_text_content` only: see the invariant in
//! `web/mod.rs`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
}

/// A `performance.mark(name)`: the popup's start-up phases, for `benches/popup-breakdown.mjs`.
pub fn mark(name: &str) {
    performance_mark(name);
}

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("extension pages have a document")
}

/// The element with `id`, as type `T`.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, JsValue> {
    document()
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("the page has no #{}", id)))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("#{} is not the expected kind of element", id)))
}

/// A new `<tag class="class">text</tag>`.
pub fn element(
    document: &Document,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<HtmlElement, JsValue> {
    let element: HtmlElement = document.create_element(tag)?.dyn_into()?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    Ok(element)
}

pub fn clear(element: &Element) {
    element.set_text_content(None);
}

/// Replaces the text of `[data-i18n=KEY]` elements and `[data-i18n-label=KEY]` aria-labels and
/// placeholders with the browser's language; the HTML carries English as the fallback.
pub fn localize(
    document: &Document,
    message: impl Fn(&str, &str) -> String,
) -> Result<(), JsValue> {
    let nodes = document.query_selector_all("[data-i18n]")?;
    for i in 0..nodes.length() {
        if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            let key = el.get_attribute("data-i18n").unwrap_or_default();
            let fallback = el.text_content().unwrap_or_default();
            let text = message(&key, &fallback);
            // The page's own (English) text stays untouched: no text node replaced, no relayout.
            if text != fallback {
                el.set_text_content(Some(&text));
            }
        }
    }
    let nodes = document.query_selector_all("[data-i18n-label]")?;
    for i in 0..nodes.length() {
        if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            let key = el.get_attribute("data-i18n-label").unwrap_or_default();
            let fallback = el.get_attribute("aria-label").unwrap_or_default();
            let text = message(&key, &fallback);
            if text != fallback {
                el.set_attribute("aria-label", &text)?;
                if el.has_attribute("placeholder") {
                    el.set_attribute("placeholder", &text)?;
                }
            }
        }
    }
    Ok(())
}

/// Shows a start-up failure on the page itself rather than leaving it blank.
pub fn report_startup_error(err: &JsValue) {
    let text = err.as_string().unwrap_or_else(|| format!("{:?}", err));
    web_sys::console::error_1(&JsValue::from_str(&text));
    let document = document();
    if let Some(body) = document.body() {
        if let Ok(p) = element(
            &document,
            "p",
            "fatal",
            &format!("AWS Role Switcher failed to start: {}", text),
        ) {
            let _ = p.set_attribute("role", "alert");
            let _ = body.append_child(&p);
        }
    }
}

/// Appends a new `<tag class="class">text</tag>` to `parent` and returns it.
pub fn append(
    document: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<HtmlElement, JsValue> {
    let child = element(document, tag, class, text)?;
    parent.append_child(&child)?;
    Ok(child)
}

/// Listens for `event` on `target` for the page's lifetime (the closure is never dropped).
pub fn on<E: JsCast + wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(E) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(E)>::new(handler);
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}
