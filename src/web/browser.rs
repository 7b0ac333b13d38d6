//! The small adapter over the `chrome.*` extension APIs (Firefox provides the same namespace
//! under Manifest V3). Everything that differs between browsers belongs here.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = create, catch)]
    fn tabs_create(properties: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "windows"], js_name = getLastFocused, catch)]
    fn windows_get_last_focused(query: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    fn tabs_query(query: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getMessage, catch)]
    fn i18n_get_message(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = openOptionsPage, catch)]
    fn runtime_open_options_page() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "commands"], js_name = getAll, catch)]
    fn commands_get_all() -> Result<Promise, JsValue>;
}

/// Opens the extension's options page (in a tab: `options_ui.open_in_tab`).
pub async fn open_options_page() -> Result<(), JsValue> {
    JsFuture::from(runtime_open_options_page()?)
        .await
        .map(|_| ())
}

fn object(pairs: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value)?;
    }
    Ok(object)
}

/// A localised UI string from `_locales/`, or `fallback` outside an extension page.
pub fn message(key: &str, fallback: &str) -> String {
    match i18n_get_message(key).ok().and_then(|v| v.as_string()) {
        Some(text) if !text.is_empty() => text,
        _ => fallback.to_string(),
    }
}

/// [`message`] with each `{name}` in it replaced by its value, in one pass: a value (which
/// may quote config text) is never itself searched for placeholders.
pub fn message_with(key: &str, fallback: &str, values: &[(&str, &str)]) -> String {
    crate::template::fill(&message(key, fallback), values)
}

/// What a diagnostic code means, in the UI's language. `_locales` has a `diag_<code>` message
/// per code (`diag_external_id`, …); English's is `{detail}`, the core's own sentence, and so
/// is any code without one. Also why a popup row cannot be switched to.
pub fn reason(code: Option<&str>, detail: &str) -> String {
    match code {
        Some(code) => message_with(
            &format!("diag_{}", code.replace('-', "_")),
            "{detail}",
            &[("detail", detail)],
        ),
        None => detail.to_string(),
    }
}

/// "{count} roles" in the UI's language, in the plural form `count` takes there: `_locales`
/// has `<key>_one` and `<key>_other` (the CLDR categories English uses; Chinese has only
/// `other`, and both of its messages carry the measure word, `{count} 个角色`). The category
/// comes from `Intl.PluralRules` for the UI language; a category without a message of its
/// own uses `_other`. Outside an extension page, the English fallbacks.
pub fn count_message(key: &str, count: usize, fallback_one: &str, fallback_other: &str) -> String {
    let locale = message("@@ui_locale", "en").replace('_', "-");
    let rules =
        js_sys::Intl::PluralRules::new(&Array::of1(&JsValue::from_str(&locale)), &Object::new());
    let category = String::from(rules.select(count as f64));
    let fallback = if category == "one" {
        fallback_one
    } else {
        fallback_other
    };
    let template = match i18n_get_message(&format!("{}_{}", key, category))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|text| !text.is_empty())
    {
        Some(text) => text,
        None => message(&format!("{}_other", key), fallback),
    };
    crate::template::fill(&template, &[("count", &count.to_string())])
}

/// The keyboard shortcut that opens the popup (the `_execute_action` command), as the
/// browser shows it: `Some("")` when the user has none, `None` when the browser does not say.
pub async fn popup_shortcut() -> Option<String> {
    let commands = JsFuture::from(commands_get_all().ok()?).await.ok()?;
    Array::from(&commands).iter().find_map(|command| {
        let name = Reflect::get(&command, &JsValue::from_str("name"))
            .ok()?
            .as_string()?;
        (name == "_execute_action").then(|| {
            Reflect::get(&command, &JsValue::from_str("shortcut"))
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        })
    })
}

// ---- Switching (src/web/switch.rs, src/web/background.rs): tabs, scripting, session storage.

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "scripting"], js_name = executeScript, catch)]
    fn scripting_execute_script(injection: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = get, catch)]
    fn storage_session_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = set, catch)]
    fn storage_session_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = remove, catch)]
    fn storage_session_remove(keys: &JsValue) -> Result<Promise, JsValue>;
    // The global one: service workers have no `window`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}

/// The active tab of the last-focused normal window (never the detached popup window itself).
/// `url` is only known for hosts the extension has permission for, the console's among them.
pub struct ActiveTab {
    pub id: f64,
    pub window_id: Option<f64>,
    pub url: Option<String>,
}

pub async fn active_tab() -> Result<Option<ActiveTab>, JsValue> {
    let window_types = Array::of1(&JsValue::from_str("normal"));
    let query = object(&[
        ("windowTypes", window_types.into()),
        ("populate", JsValue::TRUE),
    ])?;
    let window = JsFuture::from(windows_get_last_focused(&query)?).await?;
    // Firefox ignores `windowTypes` here (since Firefox 62): the last-focused window can be
    // the popup's own detached window. The tab the user was on is then the active tab of a
    // normal window that was used last.
    if Reflect::get(&window, &"type".into())?
        .as_string()
        .as_deref()
        != Some("normal")
    {
        return last_used_active_tab().await;
    }
    let tabs: Array = Reflect::get(&window, &"tabs".into())?
        .dyn_into()
        .unwrap_or_default();
    for tab in tabs.iter() {
        if Reflect::get(&tab, &"active".into())?.as_bool() == Some(true) {
            return Ok(active_tab_of(&tab));
        }
    }
    Ok(None)
}

/// Of the active tabs of every normal window, the one accessed last.
async fn last_used_active_tab() -> Result<Option<ActiveTab>, JsValue> {
    let query = object(&[
        ("active", JsValue::TRUE),
        ("windowType", JsValue::from_str("normal")),
    ])?;
    let tabs: Array = JsFuture::from(tabs_query(&query)?)
        .await?
        .dyn_into()
        .unwrap_or_default();
    let last_accessed = |tab: &JsValue| {
        Reflect::get(tab, &"lastAccessed".into())
            .ok()
            .and_then(|t| t.as_f64())
            .unwrap_or(0.0)
    };
    Ok(tabs
        .iter()
        .max_by(|a, b| last_accessed(a).total_cmp(&last_accessed(b)))
        .and_then(|tab| active_tab_of(&tab)))
}

fn active_tab_of(tab: &JsValue) -> Option<ActiveTab> {
    let id = Reflect::get(tab, &"id".into()).ok()?.as_f64()?;
    Some(ActiveTab {
        id,
        window_id: Reflect::get(tab, &"windowId".into()).ok()?.as_f64(),
        url: Reflect::get(tab, &"url".into()).ok()?.as_string(),
    })
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = requestAnimationFrame)]
    fn request_animation_frame(callback: &js_sys::Function) -> JsValue;
}

/// Resolves at the start of the frame after the next one, so that what the page shows now is
/// painted (and anything waiting on that paint has run) before long work starts: for work
/// that must not delay a paint. A page that produces no frames (a hidden or occluded window
/// runs no `requestAnimationFrame`) goes on after a timeout instead.
pub async fn after_paint() {
    let promise = Promise::new(&mut |resolve, _reject| {
        let on_frame = resolve.clone();
        let fire = Closure::once_into_js(move || {
            let resolve = Closure::once_into_js(move || on_frame.call0(&JsValue::NULL));
            request_animation_frame(resolve.unchecked_ref());
        });
        request_animation_frame(fire.unchecked_ref());
        let fallback = Closure::once_into_js(move || resolve.call0(&JsValue::NULL));
        set_timeout(fallback.unchecked_ref(), AFTER_PAINT_FALLBACK_MS);
    });
    let _ = JsFuture::from(promise).await;
}

/// Two frames take ~33 ms at 60 Hz; a page that has produced none by then is not painting.
const AFTER_PAINT_FALLBACK_MS: i32 = 100;

/// `promise`, or an error once `ms` milliseconds pass without it settling.
pub async fn with_timeout(promise: Promise, ms: i32, what: &str) -> Result<JsValue, JsValue> {
    let message = format!("{} did not answer within {} ms", what, ms);
    let timeout = Promise::new(&mut |_resolve, reject| {
        let message = JsValue::from_str(&message);
        let fire = Closure::once_into_js(move || reject.call1(&JsValue::NULL, &message));
        set_timeout(fire.unchecked_ref(), ms);
    });
    JsFuture::from(Promise::race(&Array::of2(&promise, &timeout))).await
}

/// Runs `func(...args)` in tab `tab_id` (top frame), in the page's own main world or the
/// extension's isolated one, and returns its (awaited) result.
pub async fn execute_script(
    tab_id: f64,
    func: &js_sys::Function,
    args: &Array,
    main_world: bool,
    timeout_ms: i32,
) -> Result<JsValue, JsValue> {
    let target = object(&[("tabId", JsValue::from_f64(tab_id))])?;
    let world = if main_world { "MAIN" } else { "ISOLATED" };
    let injection = object(&[
        ("target", target.into()),
        ("world", JsValue::from_str(world)),
        ("func", func.into()),
        ("args", args.into()),
    ])?;
    let results = with_timeout(
        scripting_execute_script(&injection.into())?,
        timeout_ms,
        "the page",
    )
    .await?;
    let first = Reflect::get(&results, &JsValue::from_f64(0.0))?;
    if first.is_undefined() {
        return Err(JsValue::from_str("the page ran no script"));
    }
    Reflect::get(&first, &"result".into())
}

/// Opens `url` in a new active tab of `window_id` (or the current window); returns the tab's ID.
/// Opens `url` in a new, active tab. An action popup closes as soon as this resolves: callers
/// do everything else first.
pub async fn create_tab(url: &str, window_id: Option<f64>) -> Result<f64, JsValue> {
    let mut properties = vec![("url", JsValue::from_str(url)), ("active", JsValue::TRUE)];
    if let Some(id) = window_id {
        properties.push(("windowId", JsValue::from_f64(id)));
    }
    let tab = JsFuture::from(tabs_create(&object(&properties)?.into())?).await?;
    Reflect::get(&tab, &"id".into())?
        .as_f64()
        .ok_or_else(|| JsValue::from_str("the new tab has no ID"))
}

/// Stores `value` under `key` in `chrome.storage.session` (memory only, cleared with the browser).
pub async fn session_set(key: &str, value: JsValue) -> Result<(), JsValue> {
    let items = object(&[(key, value)])?;
    JsFuture::from(storage_session_set(&items.into())?).await?;
    Ok(())
}

/// Reads and removes `key` from `chrome.storage.session`: a value that can be used once.
pub async fn session_take(key: &str) -> Result<JsValue, JsValue> {
    let stored = JsFuture::from(storage_session_get(&JsValue::from_str(key))?).await?;
    let value = Reflect::get(&stored, &JsValue::from_str(key))?;
    JsFuture::from(storage_session_remove(&JsValue::from_str(key))?).await?;
    Ok(value)
}
