//! The search's matches painted over the rows' text with the CSS Custom Highlight API.
//!
//! A matched stretch is a DOM `Range` over a row's text node, added to the `Highlight`
//! registered as `CSS.highlights["ars-match"]` and styled by `::highlight(ars-match)` in
//! `popup.css`. No element is added: a row whose entry stays in view across keystrokes keeps
//! its text nodes, so the browser repaints it without laying its text out again (with `<mark>`
//! elements, every keystroke rebuilt every row's text, ~4 ms of layout at 50,000 roles).
//!
//! Chrome 105+ and Firefox 140+ have the API (the manifests ask for 116 and 140); without it
//! the rows are drawn unhighlighted.

use wasm_bindgen::prelude::*;
use web_sys::Node;

/// The highlight's name in `CSS.highlights` and in `popup.css`'s `::highlight()`.
pub const MATCH_HIGHLIGHT: &str = "ars-match";

#[wasm_bindgen]
extern "C" {
    /// A DOM `Range`, bound with only what a highlight needs: web-sys's `Range` also binds
    /// `createContextualFragment`, which parses HTML (`tests/manifest_policy.rs` keeps it out).
    pub type Range;
    /// `document.createRange()`: the page's document, which the rows are in.
    #[wasm_bindgen(js_namespace = document, js_name = createRange)]
    fn create_range() -> Range;
    #[wasm_bindgen(method, catch, js_name = setStart)]
    fn set_start(this: &Range, node: &Node, offset: u32) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = setEnd)]
    fn set_end(this: &Range, node: &Node, offset: u32) -> Result<(), JsValue>;

    type Highlight;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<Highlight, JsValue>;
    #[wasm_bindgen(method)]
    fn add(this: &Highlight, range: &Range);
    #[wasm_bindgen(method, js_name = delete)]
    fn delete(this: &Highlight, range: &Range);
    #[wasm_bindgen(method)]
    fn clear(this: &Highlight);

    type HighlightRegistry;
    #[wasm_bindgen(method)]
    fn set(this: &HighlightRegistry, name: &str, highlight: &Highlight);
}

thread_local! {
    /// The page's match highlight, registered on first use; `None` without the API.
    static MATCHES: Option<Highlight> = register();
}

fn register() -> Option<Highlight> {
    let css = js_sys::Reflect::get(&js_sys::global(), &"CSS".into()).ok()?;
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).ok()?;
    if registry.is_undefined() || registry.is_null() {
        return None;
    }
    let highlight = Highlight::new().ok()?;
    registry
        .unchecked_into::<HighlightRegistry>()
        .set(MATCH_HIGHLIGHT, &highlight);
    Some(highlight)
}

/// Highlights `ranges` (UTF-16 offsets, as `search::highlight_ranges_utf16` gives them) of
/// `text`, and returns them so that they can be taken away with the row they are in.
pub fn add(text: &Node, ranges: &[std::ops::Range<u32>]) -> Vec<Range> {
    MATCHES.with(|matches| {
        let Some(matches) = matches else {
            return Vec::new();
        };
        ranges
            .iter()
            .filter_map(|r| {
                let range = create_range();
                range.set_start(text, r.start).ok()?;
                range.set_end(text, r.end).ok()?;
                matches.add(&range);
                Some(range)
            })
            .collect()
    })
}

/// Stops highlighting `ranges`.
pub fn remove(ranges: &[Range]) {
    MATCHES.with(|matches| {
        if let Some(matches) = matches {
            for range in ranges {
                matches.delete(range);
            }
        }
    });
}

/// Stops highlighting anything.
pub fn clear() {
    MATCHES.with(|matches| {
        if let Some(matches) = matches {
            matches.clear();
        }
    });
}
