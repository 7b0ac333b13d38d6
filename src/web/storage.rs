//! Where the config lives: `chrome.storage.local` (the copy in force), optionally mirrored
//! gzip-compressed and chunked into `chrome.storage.sync`, plus the administrator's config
//! from `chrome.storage.managed`.
//!
//! A save never loses a config: the new text must be stored and read back before it counts,
//! the replaced text becomes one of the last five versions, and in sync mode a config that
//! does not fit the sync quota is refused before anything is written.

use gloo_storage::{LocalStorage, Storage};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::browser;
use super::sync_store::{self, exclusive, Adopted};
use crate::settings::{Settings, StorageArea, SETTINGS_KEY};
use crate::store::config_versions::{content_check, ConfigVersions, VersionKind};
use crate::store::sync_chunks;

/// The key under which the config text lives in `chrome.storage.local`.
pub const CONFIG_KEY: &str = "config";
const VERSIONS_KEY: &str = "config.versions";
const SAVED_AT_KEY: &str = "config.saved_at";
/// [`content_check`] of the config in force, written with it.
const CHECK_KEY: &str = "config.check";
/// A copy of the config in force, written with it: read only when `config` is damaged.
const BACKUP_KEY: &str = "config.backup";
/// The sync generation the local copy was last written to or read from.
pub(super) const SYNC_GENERATION_KEY: &str = "config.sync_generation";
/// Where the config in force came from ([`ConfigOrigin`]), written with it.
pub const ORIGIN_KEY: &str = "config.origin";
/// A new random value with every write of the config (in the same `set`): what the popup's
/// first-screen cache is checked against.
pub const REVISION_KEY: &str = "config.revision";
/// The popup's first-screen cache (see `popup.rs`): written by the popup, for one revision.
pub const FIRST_SCREEN_KEY: &str = "popup.first_screen";
/// The last answer of `chrome.storage.managed` the popup saw (`{config, locked}`): Chrome's
/// policy service can take seconds to answer after the browser starts, and the popup lists the
/// organisation's roles from this copy meanwhile ([`managed_for_popup`]).
pub const LAST_MANAGED_KEY: &str = "managed.last_known";
/// What the popup reads first: the cache, the revision it must be for, and the managed copy.
pub const FIRST_SCREEN_KEYS: [&str; 3] = [REVISION_KEY, FIRST_SCREEN_KEY, LAST_MANAGED_KEY];
/// How long the popup waits for `chrome.storage.managed` when it has a copy to list from
/// (the answer takes a few milliseconds once the policy service is up).
const MANAGED_WAIT_MS: i32 = 50;
/// The group managed profiles are listed under.
pub const MANAGED_GROUP: &str = "Managed by your organisation";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Response)]
    type JsResponse;
    #[wasm_bindgen(constructor, js_class = "Response", catch)]
    fn new(body: &JsValue) -> Result<JsResponse, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "Response")]
    fn body(this: &JsResponse) -> JsStream;
    #[wasm_bindgen(method, js_class = "Response", js_name = arrayBuffer)]
    fn array_buffer(this: &JsResponse) -> Promise;

    #[wasm_bindgen(js_name = ReadableStream)]
    type JsStream;
    #[wasm_bindgen(method, js_class = "ReadableStream", js_name = pipeThrough, catch)]
    fn pipe_through(this: &JsStream, pair: &JsValue) -> Result<JsStream, JsValue>;

    #[wasm_bindgen(js_name = CompressionStream)]
    type JsCompressionStream;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<JsCompressionStream, JsValue>;

    #[wasm_bindgen(js_name = DecompressionStream)]
    type JsDecompressionStream;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<JsDecompressionStream, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextEncoder)]
    type JsTextEncoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> JsTextEncoder;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &JsTextEncoder, source: &JsValue, destination: &Uint8Array) -> JsValue;
}

/// A JS string as a Rust `String`, through `TextEncoder.encodeInto` straight into the WASM's
/// memory: for a config of megabytes several times faster than `JsValue::as_string`, whose
/// glue copies ASCII one character at a time in JavaScript.
pub(super) fn text_of(value: &JsValue) -> Option<String> {
    let text = value.dyn_ref::<js_sys::JsString>()?;
    let units = text.length() as usize;
    let encoder = JsTextEncoder::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut read = 0;
    while read < units {
        let rest: JsValue = if read == 0 {
            text.into()
        } else {
            text.slice(read as u32, units as u32).into()
        };
        // ASCII needs a byte a unit; after a non-ASCII unit, up to 3 bytes a unit.
        let room = if read == 0 { units } else { (units - read) * 3 };
        bytes.reserve(room);
        let start = bytes.len();
        // SAFETY: the view covers the reserved, not yet initialised tail of `bytes`; nothing
        // allocates (which could move or grow the memory) before it is used, and only the
        // `written` bytes the encoder reports are taken in.
        let view = unsafe { Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(start), room) };
        let result = encoder.encode_into(&rest, &view);
        let count = |key: &str| field(&result, key).as_f64().unwrap_or(0.0) as usize;
        let (units_read, written) = (count("read"), count("written"));
        if units_read == 0 {
            return value.as_string();
        }
        // SAFETY: the encoder initialised `written` bytes after `start`, all within `room`.
        unsafe { bytes.set_len(start + written.min(room)) };
        read += units_read;
    }
    // encodeInto writes well-formed UTF-8 (lone surrogates become U+FFFD, as `as_string`).
    String::from_utf8(bytes).ok().or_else(|| value.as_string())
}

/// The text of a JS error (`Error.message`) or value, for messages shown to the user.
pub fn error_text(err: &JsValue) -> String {
    if let Some(text) = err.as_string() {
        return text;
    }
    Reflect::get(err, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{:?}", err))
}

pub(super) fn now() -> f64 {
    js_sys::Date::now()
}

/// Calls `chrome.storage.<area>.<method>(arg)` and awaits its promise.
pub(super) async fn call(area: &str, method: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let chrome = Reflect::get(&js_sys::global(), &JsValue::from_str("chrome"))?;
    let storage = Reflect::get(&chrome, &JsValue::from_str("storage"))?;
    let area_object = Reflect::get(&storage, &JsValue::from_str(area))?;
    if area_object.is_undefined() {
        return Err(JsValue::from_str(&format!(
            "chrome.storage.{} is not available",
            area
        )));
    }
    let function: Function = Reflect::get(&area_object, &JsValue::from_str(method))?.dyn_into()?;
    let promise: Promise = function.call1(&area_object, arg)?.dyn_into()?;
    JsFuture::from(promise).await
}

pub(super) async fn get(area: &str, keys: &[&str]) -> Result<JsValue, JsValue> {
    let array = js_sys::Array::new();
    for key in keys {
        array.push(&JsValue::from_str(key));
    }
    call(area, "get", &array).await
}

pub(super) async fn set(area: &str, pairs: &[(&str, JsValue)]) -> Result<(), JsValue> {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(key), value)?;
    }
    call(area, "set", &object).await.map(|_| ())
}

pub(super) fn field(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

// ------------------------------------------------------------------ settings

/// The user's settings; unreadable settings are the defaults (and say so in the console).
pub fn load_settings() -> Settings {
    match LocalStorage::get::<Settings>(SETTINGS_KEY) {
        Ok(settings) => settings,
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Settings::default(),
        Err(err) => {
            web_sys::console::warn_1(&format!("ignoring unreadable settings: {}", err).into());
            Settings::default()
        }
    }
}

pub fn save_settings(settings: &Settings) -> Result<(), JsValue> {
    LocalStorage::set(SETTINGS_KEY, settings).map_err(|e| JsValue::from_str(&e.to_string()))
}

// ------------------------------------------------------------------ compression

async fn through(bytes: &[u8], transform: &JsValue) -> Result<Vec<u8>, JsValue> {
    let input = JsResponse::new(&Uint8Array::from(bytes).into())?;
    let piped = input.body().pipe_through(transform)?;
    let output = JsResponse::new(&piped.into())?;
    let buffer = JsFuture::from(output.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// gzip through the browser's own `CompressionStream` (no compressor in the WASM).
pub async fn gzip(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    through(bytes, &JsCompressionStream::new("gzip")?.into()).await
}

pub async fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    through(bytes, &JsDecompressionStream::new("gzip")?.into()).await
}

// ------------------------------------------------------------------ local config

/// The config in force and its bookkeeping. The last versions (up to five whole configs) are
/// not part of it: they are read only where a save, undo or restore changes them, never by the
/// popup.
pub(super) struct LocalState {
    pub text: Option<String>,
    /// A stored `config` that is not text at all.
    not_text: bool,
    pub saved_at: f64,
    pub sync_generation: Option<u64>,
    revision: Option<String>,
    /// [`content_check`] of the text as it was written (none for configs saved before it).
    check: Option<String>,
    origin: ConfigOrigin,
}

/// Where the config in force came from: saved (or undone, restored) in this browser, or taken
/// in from another browser through sync. The pages say so when it changes under them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigOrigin {
    ThisBrowser,
    OtherBrowser,
    /// Taken in from another browser, and a popup has said so since ([`mark_origin_told`]):
    /// a popup opened after another page took the config in says so once, not on every open.
    OtherBrowserTold,
}

impl ConfigOrigin {
    fn stored(self) -> &'static str {
        match self {
            ConfigOrigin::ThisBrowser => "this-browser",
            ConfigOrigin::OtherBrowser => "other-browser",
            ConfigOrigin::OtherBrowserTold => "other-browser-told",
        }
    }

    pub fn of_stored(value: &JsValue) -> ConfigOrigin {
        match value.as_string().as_deref() {
            Some("other-browser") => ConfigOrigin::OtherBrowser,
            Some("other-browser-told") => ConfigOrigin::OtherBrowserTold,
            _ => ConfigOrigin::ThisBrowser,
        }
    }
}

/// The keys of [`LocalState`]; `extension/popup.js` requests the same ones before the WASM is
/// ready (tests/manifest_policy.rs keeps the two lists equal).
pub const LOCAL_STATE_KEYS: [&str; 6] = [
    CONFIG_KEY,
    SAVED_AT_KEY,
    SYNC_GENERATION_KEY,
    REVISION_KEY,
    CHECK_KEY,
    ORIGIN_KEY,
];

fn local_state(stored: &JsValue) -> LocalState {
    let config = field(stored, CONFIG_KEY);
    let text = text_of(&config);
    LocalState {
        not_text: text.is_none() && !config.is_undefined() && !config.is_null(),
        text,
        saved_at: field(stored, SAVED_AT_KEY).as_f64().unwrap_or(0.0),
        sync_generation: field(stored, SYNC_GENERATION_KEY)
            .as_f64()
            .map(|g| g as u64),
        revision: field(stored, REVISION_KEY).as_string(),
        check: field(stored, CHECK_KEY).as_string(),
        origin: ConfigOrigin::of_stored(&field(stored, ORIGIN_KEY)),
    }
}

/// The config in force with its check and its copy, always written together in one `set`.
fn config_pairs(text: &str) -> [(&'static str, JsValue); 3] {
    let value = JsValue::from_str(text);
    [
        (CONFIG_KEY, value.clone()),
        (BACKUP_KEY, value),
        (CHECK_KEY, JsValue::from_str(&content_check(text))),
    ]
}

/// When the stored config does not read back as it was written (the browser's storage
/// damaged or truncated it, or it is not text), takes in its copy if that one is whole (and
/// writes it back), else keeps what could be read. Says what happened, for the page to show.
async fn check_local(local: &mut LocalState) -> Option<String> {
    let expected = local.check.clone()?;
    let read = local.text.as_deref().map(content_check);
    if !local.not_text && read.as_deref() == Some(expected.as_str()) {
        return None;
    }
    let what = match &local.text {
        Some(text) => browser::message_with(
            "damageBytes",
            "{read} bytes where {saved} were saved",
            &[
                ("read", &text.len().to_string()),
                ("saved", expected.split(':').next().unwrap_or("?")),
            ],
        ),
        None if local.not_text => browser::message("damageNotText", "not text"),
        None => browser::message("damageMissing", "missing"),
    };
    let backup = get("local", &[BACKUP_KEY])
        .await
        .ok()
        .and_then(|stored| text_of(&field(&stored, BACKUP_KEY)))
        .filter(|copy| content_check(copy) == expected);
    match backup {
        Some(copy) => {
            let repaired = set("local", &config_pairs(&copy)).await.is_ok();
            local.text = Some(copy);
            local.not_text = false;
            Some(if repaired {
                browser::message_with(
                    "damageRepaired",
                    "The saved configuration was damaged in the browser's storage ({what}); its copy was intact and is in use, stored again.",
                    &[("what", &what)],
                )
            } else {
                browser::message_with(
                    "damageRepairedNotStored",
                    "The saved configuration was damaged in the browser's storage ({what}); its copy was intact and is in use (it could not be stored again).",
                    &[("what", &what)],
                )
            })
        }
        None => Some(browser::message_with(
            "damageLost",
            "The saved configuration was damaged in the browser's storage ({what}) and so was its copy: showing what could be read. Restore a previous version on the options page.",
            &[("what", &what)],
        )),
    }
}

/// A fresh value for [`REVISION_KEY`].
fn new_revision() -> JsValue {
    let part = || ((js_sys::Math::random() * 4_294_967_296.0) as u32).to_string();
    JsValue::from_str(&(part() + "-" + &part() + "-" + &(now() as u64).to_string()))
}

pub(super) async fn load_local() -> Result<LocalState, JsValue> {
    Ok(local_state(&get("local", &LOCAL_STATE_KEYS).await?))
}

/// The last replaced configs; unreadable ones are none.
pub async fn load_versions() -> ConfigVersions {
    match get("local", &[VERSIONS_KEY]).await {
        Ok(stored) => field(&stored, VERSIONS_KEY)
            .as_string()
            .map(|j| ConfigVersions::from_json(&j))
            .unwrap_or_default(),
        Err(_) => ConfigVersions::default(),
    }
}

/// Writes `text` as the config in force (one `set`, so all or nothing), with `versions` when
/// they changed, then reads it back.
pub(super) async fn commit_local(
    text: &str,
    versions: Option<&ConfigVersions>,
    saved_at: f64,
    sync_generation: Option<u64>,
    origin: ConfigOrigin,
) -> Result<(), String> {
    let mut pairs = config_pairs(text).to_vec();
    pairs.push((REVISION_KEY, new_revision()));
    pairs.push((ORIGIN_KEY, JsValue::from_str(origin.stored())));
    pairs.push((SAVED_AT_KEY, JsValue::from_f64(saved_at)));
    if let Some(versions) = versions {
        pairs.push((VERSIONS_KEY, JsValue::from_str(&versions.to_json())));
    }
    if let Some(generation) = sync_generation {
        pairs.push((SYNC_GENERATION_KEY, JsValue::from_f64(generation as f64)));
    }
    set("local", &pairs).await.map_err(|e| error_text(&e))?;
    let stored = get("local", &[CONFIG_KEY])
        .await
        .map_err(|e| error_text(&e))?;
    match field(&stored, CONFIG_KEY).as_string() {
        Some(back) if back == text => Ok(()),
        _ => Err("the stored config did not read back identically".to_string()),
    }
}

/// The user's own config as read, with what the page should say about it.
pub struct UserConfig {
    pub text: Option<String>,
    /// The [`REVISION_KEY`] the text was stored with (`None` when unknown, e.g. just taken in
    /// from sync).
    pub revision: Option<String>,
    /// The stored config was damaged: what happened and what is shown instead.
    pub damage: Option<String>,
    /// A config from another browser was just taken in (sync): the line the pages show.
    pub sync_notice: Option<String>,
    /// The config in force came from another browser and no popup has said so yet.
    pub untold_other_browser: bool,
}

/// Notes that a popup has said the config in force came from another browser, so the next
/// popup does not say it again. Only the origin is written: the config and its revision stay.
pub async fn mark_origin_told() -> Result<(), JsValue> {
    set(
        "local",
        &[(ORIGIN_KEY, ConfigOrigin::OtherBrowserTold.stored().into())],
    )
    .await
}

/// The line a page shows when the config in force was just replaced by one from another
/// browser (`kept_as`: what the replaced one became, if anything).
pub fn replaced_notice(kept_as: Option<VersionKind>) -> String {
    let line = browser::message(
        "syncReplacedHere",
        "Updated: another browser saved a newer configuration.",
    );
    match kept_as {
        Some(_) => format!(
            "{} {}",
            line,
            browser::message(
                "syncReplacedKept",
                "The one it replaced is under Previous versions on the options page."
            )
        ),
        None => line,
    }
}

/// The user's own config, after taking in a newer one synced from another device.
/// `prefetched` is the [`LOCAL_STATE_KEYS`] already read (by the popup's bootstrap), if any.
pub async fn load_user_config(prefetched: Option<JsValue>) -> Result<UserConfig, JsValue> {
    let mut local = match prefetched {
        Some(stored) => local_state(&stored),
        None => load_local().await?,
    };
    let damage = check_local(&mut local).await;
    if let Some(damage) = &damage {
        web_sys::console::warn_1(&JsValue::from_str(damage));
    }
    if load_settings().storage == StorageArea::Sync {
        // Under the lock, from what is stored then: another page may have just reconciled
        // (the config, megabytes maybe, is read again only if its revision changed).
        let (reconciled, read) = exclusive(async move {
            let mut local = local;
            let stored = get("local", &[REVISION_KEY]).await;
            if stored.is_ok_and(|s| field(&s, REVISION_KEY).as_string() != local.revision) {
                if let Ok(fresh) = load_local().await {
                    local = fresh;
                }
            }
            (sync_store::reconcile(&local).await, local)
        })
        .await;
        local = read;
        match reconciled {
            Ok(Some(Adopted { text, kept_as })) => {
                return Ok(UserConfig {
                    text: Some(text),
                    revision: None,
                    damage,
                    sync_notice: Some(replaced_notice(kept_as)),
                    untold_other_browser: true,
                })
            }
            Ok(None) => {}
            Err(err) => web_sys::console::warn_1(&JsValue::from_str(&format!(
                "keeping the local config; sync is not readable: {}",
                err
            ))),
        }
    }
    Ok(UserConfig {
        text: local.text,
        revision: local.revision,
        damage,
        sync_notice: None,
        untold_other_browser: local.origin == ConfigOrigin::OtherBrowser,
    })
}

/// What the popup's bootstrap requested before the WASM was ready (`extension/popup.js`): a
/// promise of the [`LOCAL_STATE_KEYS`] of `chrome.storage.local`. `None`: the popup reads
/// storage itself.
#[derive(Default)]
pub struct Prefetched {
    pub local: Option<Promise>,
}

async fn settle(promise: Option<&Promise>) -> Option<JsValue> {
    let value = JsFuture::from(promise?.clone()).await.ok()?;
    value.is_object().then_some(value)
}

/// The config the popup lists, with what identifies it for the first-screen cache.
pub struct ListedConfig {
    pub text: String,
    /// The user's stored config was damaged: what happened ([`UserConfig::damage`]).
    pub damage: Option<String>,
    /// A config from another browser was taken in, by this popup or by another page since
    /// the last popup ([`UserConfig::sync_notice`]).
    pub sync_notice: Option<String>,
    /// Once the popup has shown `sync_notice`, it marks the origin told ([`mark_origin_told`]).
    pub tell_origin: bool,
    /// The user config's [`REVISION_KEY`], when known.
    pub revision: Option<String>,
    /// [`managed_fingerprint`] of the organisation's config merged in.
    pub managed: String,
}

impl ListedConfig {
    /// What the popup says about the config it lists: it was damaged, or just came from
    /// another browser.
    pub fn status(&self) -> Option<&str> {
        self.damage.as_deref().or(self.sync_notice.as_deref())
    }
}

/// The config the popup lists: the user's own plus the organisation's, `managed` (its profiles
/// in their own group, after the user's, so an administrator's definition wins), or only the
/// organisation's when it is locked.
pub async fn load_config_text(
    prefetched: &Prefetched,
    managed: &Managed,
) -> Result<ListedConfig, JsValue> {
    let UserConfig {
        text: user,
        revision,
        damage,
        sync_notice,
        untold_other_browser,
    } = load_user_config(settle(prefetched.local.as_ref()).await).await?;
    let sync_notice = sync_notice.or_else(|| untold_other_browser.then(|| replaced_notice(None)));
    super::dom::mark("ars:local-read");
    let fingerprint = managed_fingerprint(managed);
    let text = match &managed.config {
        Some(config) => {
            let mut text = if managed.locked {
                String::new()
            } else {
                user.unwrap_or_default()
            };
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            let group = browser::message("managedHeading", MANAGED_GROUP);
            text.push_str(&in_group(config, &group));
            text
        }
        None => user.unwrap_or_default(),
    };
    Ok(ListedConfig {
        text,
        damage,
        sync_notice,
        tell_origin: untold_other_browser,
        revision,
        managed: fingerprint,
    })
}

/// The popup's [`FIRST_SCREEN_KEYS`] as stored: `cached` is `extension/popup.js`'s request of
/// them (`None`: read here).
pub async fn load_first_screen_keys(cached: Option<Promise>) -> JsValue {
    let stored = match cached {
        Some(promise) => settle(Some(&promise)).await,
        None => get("local", &FIRST_SCREEN_KEYS).await.ok(),
    };
    stored.unwrap_or(JsValue::UNDEFINED)
}

/// The config revision in force and the first-screen cache, from the stored
/// [`FIRST_SCREEN_KEYS`] (either may be missing).
pub fn first_screen_of(stored: &JsValue) -> (Option<String>, JsValue) {
    (
        field(stored, REVISION_KEY).as_string(),
        field(stored, FIRST_SCREEN_KEY),
    )
}

/// The managed config for the popup to list now. `answer` is the bootstrap's request of
/// `chrome.storage.managed` (`None`: read here); `stored` the [`FIRST_SCREEN_KEYS`] as read.
/// With a copy of an earlier answer ([`LAST_MANAGED_KEY`]), the popup waits at most
/// `MANAGED_WAIT_MS` for the answer, then lists from the copy and gets the pending answer back
/// to list again if it differs (a lock added since the copy applies then). Without a copy it
/// waits: a first popup never lists a user config the organisation has locked away.
pub async fn managed_for_popup(
    answer: Option<&Promise>,
    stored: &JsValue,
) -> (Managed, Option<Promise>) {
    let Some(answer) = answer else {
        return (load_managed().await, None);
    };
    let Some(copy) = last_known_managed(stored) else {
        return (managed_answer(answer).await, None);
    };
    match browser::with_timeout(answer.clone(), MANAGED_WAIT_MS, "managed storage").await {
        Err(_) => (copy, Some(answer.clone())),
        Ok(value) => {
            super::dom::mark("ars:managed-answer");
            let managed = value.is_object().then(|| managed_from(&value));
            (managed.unwrap_or_default(), None)
        }
    }
}

/// The managed config `answer` (a request of `chrome.storage.managed`) gives; marks when it
/// came (`ars:managed-answer`).
pub async fn managed_answer(answer: &Promise) -> Managed {
    let answered = settle(Some(answer)).await;
    super::dom::mark("ars:managed-answer");
    match answered {
        Some(stored) => managed_from(&stored),
        None => Managed::default(),
    }
}

/// The copy of an earlier managed answer in the stored [`FIRST_SCREEN_KEYS`], if any.
fn last_known_managed(stored: &JsValue) -> Option<Managed> {
    let copy = field(stored, LAST_MANAGED_KEY);
    copy.is_object().then(|| managed_from(&copy))
}

/// Keeps `managed` as the copy the next popup lists from, unless the stored
/// [`FIRST_SCREEN_KEYS`] already hold it.
pub async fn remember_managed(stored: &JsValue, managed: &Managed) -> Result<(), JsValue> {
    if last_known_managed(stored).as_ref() == Some(managed) {
        return Ok(());
    }
    let copy = Object::new();
    let config = managed
        .config
        .as_deref()
        .map_or(JsValue::NULL, JsValue::from_str);
    Reflect::set(&copy, &"config".into(), &config)?;
    Reflect::set(&copy, &"locked".into(), &managed.locked.into())?;
    set("local", &[(LAST_MANAGED_KEY, copy.into())]).await
}

/// Whether the organisation locked the configuration, from the copy of its last answer
/// ([`LAST_MANAGED_KEY`]): `None` when no answer was ever kept (a first start).
pub async fn last_known_lock() -> Option<bool> {
    let stored = get("local", &[LAST_MANAGED_KEY]).await.ok()?;
    last_known_managed(&stored).map(|managed| managed.locked)
}

/// Keeps `managed` as the copy a later page decides from (the options page keeps it too: a
/// save right after the next browser start then need not wait for the answer).
pub async fn keep_managed_copy(managed: &Managed) -> Result<(), JsValue> {
    let stored = get("local", &[LAST_MANAGED_KEY]).await?;
    remember_managed(&stored, managed).await
}

/// Stores the popup's first-screen cache.
pub async fn save_first_screen(cache: JsValue) -> Result<(), JsValue> {
    set("local", &[(FIRST_SCREEN_KEY, cache)]).await
}

/// Identifies the managed config (and whether it is locked) as the popup lists it: the empty
/// string without one. Its group's heading is in the UI's language and the first-screen cache
/// draws it, so the heading is part of it: a new language makes a new first screen.
pub fn managed_fingerprint(managed: &Managed) -> String {
    match &managed.config {
        None => String::new(),
        Some(config) => {
            let lock = if managed.locked { "locked:" } else { "open:" };
            format!(
                "{lock}{}:{}",
                sync_chunks::checksum(config.as_bytes()),
                browser::message("managedHeading", MANAGED_GROUP)
            )
        }
    }
}

/// `config` with `group = GROUP` after every profile header.
fn in_group(config: &str, group: &str) -> String {
    let mut out = String::with_capacity(config.len() + 64);
    for line in config.lines() {
        out.push_str(line);
        out.push('\n');
        let header = line.trim();
        if header.starts_with('[')
            && !header.starts_with("[sso-session")
            && !header.starts_with("[services")
        {
            out.push_str("group = ");
            out.push_str(group);
            out.push('\n');
        }
    }
    out
}

/// What a successful save did.
pub struct SaveReport {
    /// Bytes used in `chrome.storage.sync`, when the config was synced.
    pub synced_bytes: Option<usize>,
}

/// Stores `text` as the config: in sync mode first into `chrome.storage.sync` (refused
/// before any write when it does not fit, or when it is empty and would replace a synced
/// config), then locally, read back. On any error the previous config stays in force and the
/// error says why. Whether the organisation locked the configuration is the caller's to
/// check (from the copy of the managed config it keeps: the answer can take seconds).
pub async fn save_config(text: &str) -> Result<SaveReport, String> {
    let text = text.to_string();
    exclusive(async move { save_config_locked(&text).await }).await
}

async fn save_config_locked(text: &str) -> Result<SaveReport, String> {
    let local = load_local().await.map_err(|e| error_text(&e))?;
    let previous = local.text.clone().unwrap_or_default();
    let saved_at = now();
    let mut sync_generation = local.sync_generation;
    let mut synced_bytes = None;
    if load_settings().storage == StorageArea::Sync
        && sync_store::save_goes_to_sync(text, &local).await?
    {
        let (generation, bytes) = sync_store::write_sync(text, saved_at).await?;
        sync_generation = Some(generation);
        synced_bytes = Some(bytes);
    }
    let previous_versions = load_versions().await;
    let mut versions = previous_versions.clone();
    if previous != text {
        versions.record(&previous, VersionKind::Saved, saved_at);
    }
    let committed = commit_local(
        text,
        Some(&versions),
        saved_at,
        sync_generation,
        ConfigOrigin::ThisBrowser,
    )
    .await;
    if let Err(err) = committed {
        // Anything of the new save that landed is put back as it was: the config, and the
        // versions, which must not list the config in force as replaced.
        let mut restore = vec![
            (
                VERSIONS_KEY,
                JsValue::from_str(&previous_versions.to_json()),
            ),
            (SAVED_AT_KEY, JsValue::from_f64(local.saved_at)),
            (REVISION_KEY, new_revision()),
        ];
        if local.text.is_some() {
            restore.extend(config_pairs(&previous));
        }
        let _ = set("local", &restore).await;
        if local.text.is_none() {
            let keys =
                js_sys::Array::of3(&CONFIG_KEY.into(), &BACKUP_KEY.into(), &CHECK_KEY.into());
            let _ = call("local", "remove", &keys).await;
        }
        if synced_bytes.is_some() {
            // Other browsers must not take in a save that did not count here.
            if let Err(why) = sync_store::take_back(&previous, local.saved_at).await {
                return Err(format!(
                    "{}; and the synced copy could not be put back ({}): your other browsers may take in the config that was not saved here",
                    err, why
                ));
            }
        }
        return Err(err);
    }
    Ok(SaveReport { synced_bytes })
}

/// "Undo last save": the previous version becomes the config (saved like any other).
pub async fn undo() -> Result<Option<String>, String> {
    exclusive(undo_locked()).await
}

async fn undo_locked() -> Result<Option<String>, String> {
    let local = load_local().await.map_err(|e| error_text(&e))?;
    let current = local.text.unwrap_or_default();
    let mut versions = load_versions().await;
    let Some(text) = versions.undo(&current, now()) else {
        return Ok(None);
    };
    store_restored(&text, versions, local.sync_generation).await?;
    Ok(Some(text))
}

/// Makes version `index` the config; the current one becomes a version.
pub async fn restore(index: usize) -> Result<Option<String>, String> {
    exclusive(restore_locked(index)).await
}

async fn restore_locked(index: usize) -> Result<Option<String>, String> {
    let local = load_local().await.map_err(|e| error_text(&e))?;
    let current = local.text.unwrap_or_default();
    let mut versions = load_versions().await;
    let Some(text) = versions.restore(index, &current, now()) else {
        return Ok(None);
    };
    store_restored(&text, versions, local.sync_generation).await?;
    Ok(Some(text))
}

async fn store_restored(
    text: &str,
    versions: ConfigVersions,
    mut sync_generation: Option<u64>,
) -> Result<(), String> {
    let saved_at = now();
    if load_settings().storage == StorageArea::Sync {
        sync_generation = Some(sync_store::write_sync(text, saved_at).await?.0);
    }
    commit_local(
        text,
        Some(&versions),
        saved_at,
        sync_generation,
        ConfigOrigin::ThisBrowser,
    )
    .await
}

// ------------------------------------------------------------------ managed

/// The administrator's config from `chrome.storage.managed` (see `managed_schema.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Managed {
    pub config: Option<String>,
    pub locked: bool,
}

/// Missing managed storage (no policy, or Firefox without one) is no managed config.
pub async fn load_managed() -> Managed {
    match get("managed", &MANAGED_KEYS).await {
        Ok(stored) => managed_from(&stored),
        Err(_) => Managed::default(),
    }
}

/// Asks `chrome.storage.managed` now: the promise of its answer, to await now or later
/// (`None` without the API).
pub fn request_managed() -> Option<Promise> {
    let keys: js_sys::Array = MANAGED_KEYS.iter().map(|k| JsValue::from_str(k)).collect();
    let area = Reflect::get(&js_sys::global(), &"chrome".into())
        .and_then(|chrome| Reflect::get(&chrome, &"storage".into()))
        .and_then(|storage| Reflect::get(&storage, &"managed".into()))
        .ok()?;
    let get: Function = Reflect::get(&area, &"get".into()).ok()?.dyn_into().ok()?;
    get.call1(&area, &keys).ok()?.dyn_into().ok()
}

/// The managed config `request` ([`request_managed`]) gives, if it answers within `ms`.
pub async fn managed_within(request: &Promise, ms: i32) -> Option<Managed> {
    let answer = browser::with_timeout(request.clone(), ms, "managed storage").await;
    match answer {
        Ok(stored) if stored.is_object() => Some(managed_from(&stored)),
        Ok(_) => Some(Managed::default()),
        // A rejection that is not the timeout: no managed storage (Firefox without a policy).
        Err(err) if error_text(&err).contains("did not answer") => None,
        Err(_) => Some(Managed::default()),
    }
}

/// The keys of `chrome.storage.managed` (see `managed_schema.json`); `extension/popup.js`
/// requests the same ones.
pub const MANAGED_KEYS: [&str; 2] = ["config", "locked"];

fn managed_from(stored: &JsValue) -> Managed {
    Managed {
        config: field(stored, "config")
            .as_string()
            .filter(|c| !c.trim().is_empty()),
        locked: field(stored, "locked").as_bool().unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::in_group;

    #[test]
    fn managed_profiles_get_the_group() {
        assert_eq!(
            in_group("[profile a]\nx = 1\n[sso-session s]\n", "G"),
            "[profile a]\ngroup = G\nx = 1\n[sso-session s]\n"
        );
    }
}
