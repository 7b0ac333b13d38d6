//! The toolbar popup: a search combobox over the "Recent" and "Roles" listboxes (the WAI-ARIA
//! combobox pattern, with `aria-activedescendant`).
//!
//! Built for 50,000 roles: the "Roles" listbox is virtualised. Rows have a fixed height, a
//! spacer gives the list its full scroll height, and only the rows in the viewport (plus a
//! margin, plus the active one) exist in the DOM. Option ids are the entry's index
//! (`role-opt-N`), so they stay stable while filtering and scrolling.
//!
//! Enter or a click opens the role; roles the console cannot switch to are shown disabled with
//! their reason. Ranking, history, rows, base accounts and what each key does are the core's
//! (`crate::popup`); this folder draws them (`draw.rs`, `option.rs`) and forwards the events
//! (`events.rs`).

mod draw;
mod events;
mod option;

use draw::*;
use events::*;
pub use option::role_option;
use option::*;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, KeyboardEvent, MouseEvent};

use super::console_banner::{self, AccountNames};
use super::switch::ConsoleTab;
use super::{browser, dom, highlight, popup_empty, storage};
use crate::popup::account_display::hide_account_ids;
use crate::popup::base_account::{base_accounts, BaseAccount, SignedIn};
use crate::popup::history::{entry_color, History, HistoryItem, HISTORY_KEY, LEGACY_HISTORY_KEY};
use crate::popup::keys::{Action, Key};
use crate::popup::model::{PopupModel, Target};
use crate::popup::rows::{
    grouped_rows, sticky_header, Row, HEADER_HEIGHT, OPTION_HEIGHT, UNGROUPED,
};
use crate::popup::search::{highlight_ranges_utf16, Query, SearchIndex};
use crate::roles::entry::RoleEntry;
use crate::settings::Settings;

/// Rows kept beyond each edge of the viewport, so that fast scrolling shows no gap.
const OVERSCAN_PX: u32 = 8 * OPTION_HEIGHT;
/// The margin drawn with a keystroke (none): the list is painted with the rows in view, and the
/// rest of the overscan is added when the browser is next idle (`render_in_view_first`).
const KEYSTROKE_MARGIN_PX: u32 = 0;
/// Used before layout (and in tests, where the list has no height).
const FALLBACK_VIEWPORT_PX: u32 = 440;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn clipboard_write_text(text: &str) -> Result<Promise, JsValue>;
}

/// The popup's state: the core's [`PopupModel`] (entries, search, rows, active option), which it
/// derefs to, and what only the page has.
struct PopupState {
    model: PopupModel,
    /// The cached first screen, shown until the config is read and parsed (`None` after);
    /// the model's entries are empty meanwhile.
    first: Option<FirstScreen>,
    /// An action (`open`, `copy`, …) asked for on the cached first screen, done once the
    /// entries are there.
    pending: Option<(&'static str, usize)>,
    /// The console tab the popup is opened over, when it answered.
    console: Option<Rc<ConsoleTab>>,
    /// Why no role can be switched to from this tab (its root user), shown on every row.
    tab_blocks_switching: Option<String>,
    /// Drawn before anything was read because there is nothing to list (the empty state, see
    /// `popup_empty.rs`): the lists read next take its place, as they do the cached first
    /// screen's.
    provisional: bool,
    /// Names what this state's rows show (its entries, or its cached first screen): a row
    /// drawn for another state's content is never reused ([`DrawnRows`]).
    content_id: u64,
}

impl std::ops::Deref for PopupState {
    type Target = PopupModel;
    fn deref(&self) -> &PopupModel {
        &self.model
    }
}

impl std::ops::DerefMut for PopupState {
    fn deref_mut(&mut self) -> &mut PopupModel {
        &mut self.model
    }
}

/// How far down the cached first screen reaches: the 600-pixel popup's list viewport plus
/// the overscan below it, with room to spare.
const FIRST_SCREEN_PX: u32 = 1_400;

/// What an option row shows of an entry (and what "Recent" matches it by).
struct Shown<'a> {
    profile: &'a str,
    partition: &'a str,
    account: &'a str,
    account_alias: Option<&'a str>,
    role_name: &'a str,
    region: Option<&'a str>,
    /// Six hex digits: the entry's colour, else its account's.
    color: std::borrow::Cow<'a, str>,
    switchable: bool,
    reason: Option<&'a str>,
    reason_code: Option<&'a str>,
    /// Reached through another role: its session is capped at 1 hour.
    chained: bool,
    /// `role_session_name` and `source_identity`: what CloudTrail records for the profile's
    /// sessions (shown in the row's tooltip).
    session_name: Option<&'a str>,
    source_identity: Option<&'a str>,
}

impl<'a> Shown<'a> {
    fn of(entry: &'a RoleEntry) -> Shown<'a> {
        Shown {
            profile: &entry.profile,
            partition: &entry.partition,
            account: &entry.account,
            account_alias: entry.account_alias.as_deref(),
            role_name: &entry.role_name,
            region: entry.region.as_deref(),
            color: match &entry.color {
                Some(color) => color.into(),
                None => entry_color(entry).into(),
            },
            switchable: entry.switchable,
            reason: entry.reason.as_deref(),
            reason_code: entry.reason_code,
            chained: entry.chained,
            session_name: entry.role_session_name.as_deref(),
            source_identity: entry.source_identity.as_deref(),
        }
    }

    /// `[index, profile, partition, account, alias, role, region, color, switchable, reason,
    /// reason code, chained, session name, source identity]`.
    fn to_js(&self, index: usize) -> JsValue {
        let opt = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from_str);
        let row = js_sys::Array::new();
        for value in [
            JsValue::from_f64(index as f64),
            self.profile.into(),
            self.partition.into(),
            self.account.into(),
            opt(self.account_alias),
            self.role_name.into(),
            opt(self.region),
            JsValue::from_str(&self.color),
            self.switchable.into(),
            opt(self.reason),
            opt(self.reason_code),
            self.chained.into(),
            opt(self.session_name),
            opt(self.source_identity),
        ] {
            row.push(&value);
        }
        row.into()
    }
}

/// One entry as the first-screen cache keeps it ([`Shown::to_js`]).
struct CachedEntry {
    index: usize,
    /// profile, partition, account, alias, role, region, color, reason, reason code, session
    /// name, source identity
    text: [Option<String>; 11],
    switchable: bool,
    chained: bool,
}

impl CachedEntry {
    fn from_js(value: &JsValue) -> Option<CachedEntry> {
        let row = value.dyn_ref::<js_sys::Array>()?;
        let text = |i: u32| row.get(i).as_string();
        Some(CachedEntry {
            index: row.get(0).as_f64()? as usize,
            text: [
                Some(text(1)?),
                Some(text(2)?),
                Some(text(3)?),
                text(4),
                Some(text(5)?),
                text(6),
                Some(text(7)?),
                text(9),
                text(10),
                text(12),
                text(13),
            ],
            switchable: row.get(8).as_bool()?,
            chained: row.get(11).as_bool().unwrap_or(false),
        })
    }

    fn shown(&self) -> Shown<'_> {
        let t = |i: usize| self.text[i].as_deref();
        Shown {
            profile: t(0).unwrap_or_default(),
            partition: t(1).unwrap_or_default(),
            account: t(2).unwrap_or_default(),
            account_alias: t(3),
            role_name: t(4).unwrap_or_default(),
            region: t(5),
            color: t(6).unwrap_or_default().into(),
            switchable: self.switchable,
            reason: t(7),
            reason_code: t(8),
            chained: self.chained,
            session_name: t(9),
            source_identity: t(10),
        }
    }
}

/// The popup's first screen, cached in `chrome.storage.local` (`popup.first_screen`) by the
/// popup itself once it has the entries, for the config revision it read them from. The next
/// popup draws it before the config (up to megabytes) is read and parsed, then replaces it
/// with the real lists. It is used only when its revision is the stored config's (every
/// write of the config writes a new one, in the same `set`), the managed config is the same,
/// and every item of the history maps to an entry in it; the settings and the history itself
/// are read live, so the cache holds only what the config determines.
struct FirstScreen {
    /// The first rows of "Roles" without a query: entry indices, or `-1 - k` for the header
    /// of `labels[k]` (`None`: the ungrouped entries).
    rows: Vec<Row>,
    labels: Vec<String>,
    total: usize,
    height: u32,
    /// The entries those rows and "Recent" show, by index.
    entries: Vec<CachedEntry>,
    /// Each history item (profile, partition, account, role) → its entry, as
    /// [`History::entry_of`] found it.
    recent: Vec<([String; 4], Option<usize>)>,
}

impl FirstScreen {
    /// The cache if it is whole and for `revision` and `managed`; else `None`.
    fn read(cache: &JsValue, revision: &str, managed: &str) -> Option<FirstScreen> {
        let get = |key: &str| js_sys::Reflect::get(cache, &key.into()).ok();
        if get("rev")?.as_string()? != revision || get("managed")?.as_string()? != managed {
            return None;
        }
        let array = |key: &str| get(key)?.dyn_into::<js_sys::Array>().ok();
        let mut labels = Vec::new();
        let mut rows = Vec::new();
        let label_values = array("labels")?;
        for code in array("rows")?.iter() {
            let code = code.as_f64()?;
            rows.push(if code >= 0.0 {
                Row::Option(code as usize)
            } else {
                let label = label_values.get((-1.0 - code) as u32);
                match label.as_string() {
                    Some(text) => {
                        labels.push(text);
                        Row::Header(labels.len() as u32 - 1)
                    }
                    None => Row::Header(UNGROUPED),
                }
            });
        }
        let entries = array("entries")?
            .iter()
            .map(|e| CachedEntry::from_js(&e))
            .collect::<Option<Vec<_>>>()?;
        let mut recent = Vec::new();
        for pair in array("recent")?.iter() {
            let pair = pair.dyn_into::<js_sys::Array>().ok()?;
            let text = |i: u32| pair.get(i).as_string();
            let index = pair.get(4).as_f64()?;
            recent.push((
                [text(0)?, text(1)?, text(2)?, text(3)?],
                (index >= 0.0).then_some(index as usize),
            ));
        }
        Some(FirstScreen {
            rows,
            labels,
            total: get("total")?.as_f64()? as usize,
            height: get("height")?.as_f64()? as u32,
            entries,
            recent,
        })
    }

    fn entry(&self, index: usize) -> Option<&CachedEntry> {
        let at = self.entries.partition_point(|e| e.index < index);
        self.entries.get(at).filter(|e| e.index == index)
    }

    /// The entry each history item maps to, if the cache knows every item.
    fn resolve(&self, item: &HistoryItem) -> Option<Option<usize>> {
        let key = [
            &item.profile,
            &item.partition,
            &item.account,
            &item.role_name,
        ];
        self.recent
            .iter()
            .find(|(k, _)| k.iter().zip(key).all(|(a, b)| a == b))
            .map(|(_, index)| *index)
    }

    fn knows_history(&self, history: &History) -> bool {
        history
            .items
            .iter()
            .all(|item| self.resolve(item).is_some())
    }

    /// "Recent" as [`PopupState::layout`] computes it, from the cached mapping.
    fn recent(&self, history: &History) -> Vec<usize> {
        let mut seen = Vec::new();
        for item in history.ordered() {
            if let Some(Some(i)) = self.resolve(item) {
                if !seen.contains(&i) {
                    seen.push(i);
                }
            }
        }
        seen
    }
}

type SharedState = Rc<RefCell<PopupState>>;

thread_local! {
    /// The open popup's state, for the hooks other modules call ([`show_signed_in`]).
    static POPUP: RefCell<Option<SharedState>> = const { RefCell::new(None) };
    /// The "Roles" rows in the DOM, so that scrolling, moving the highlight and typing add,
    /// move and remove rows instead of drawing them all again.
    static DRAWN: RefCell<Option<DrawnRows>> = const { RefCell::new(None) };
    static CONTENT_IDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A content ID no `PopupState` has used yet (unique across states, so that a new popup
/// state never takes another's `<li>`s for its own).
fn next_content_id() -> u64 {
    CONTENT_IDS.with(|g| {
        g.set(g.get() + 1);
        g.get()
    })
}

/// The `<li>`s of "Roles" as last drawn, in DOM order (which is row order).
struct DrawnRows {
    list: HtmlElement,
    /// Gives the list its full scroll height.
    spacer: HtmlElement,
    height: u32,
    /// What the rows' text was drawn from: the state's `content_id` and whether account IDs
    /// are hidden. Rows drawn from other content are never reused.
    content: (u64, bool),
    /// The query whose matches `rows` highlight.
    query: Query,
    /// `aria-setsize` of the options drawn.
    total: usize,
    rows: Vec<DrawnRow>,
}

/// One `<li>` of "Roles": the row it draws and what was last set on it, so that a row kept
/// for another layout or query is changed only where it differs.
struct DrawnRow {
    row: Row,
    li: HtmlElement,
    top: u32,
    /// `aria-posinset` (options only).
    position: usize,
    selected: bool,
    parts: OptionParts,
    /// The highlighted matches of `DrawnRows::query` in `parts`, once `highlighted`.
    matches: Vec<highlight::Range>,
    highlighted: bool,
}

/// The parts of an option a keystroke may change: its swatch, and the text nodes of profile,
/// account, role name and region (where the option has such text), in which its matches are
/// highlighted; and its shape (`None`: a header, or an option that cannot be switched).
#[derive(Default)]
struct OptionParts {
    swatch: Option<HtmlElement>,
    texts: [Option<web_sys::Node>; 4],
    shape: Option<OptionShape>,
}

/// The optional parts a switchable option has: a drawn option can be rewritten in place for
/// another entry of the same shape ([`rewrite_option`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OptionShape {
    account: bool,
    region: bool,
    chained: bool,
}

impl OptionShape {
    /// `None` also when a text it shows is empty (it has no text node to rewrite).
    fn of(entry: &Shown, account: &str) -> Option<OptionShape> {
        let texts = !entry.profile.is_empty() && !entry.role_name.is_empty();
        (entry.switchable && texts && entry.region != Some("")).then_some(OptionShape {
            account: !account.is_empty(),
            region: entry.region.is_some(),
            chained: entry.chained,
        })
    }
}

impl PopupState {
    fn new(entries: Vec<RoleEntry>, bases: Vec<BaseAccount>, settings: Settings) -> PopupState {
        PopupState {
            model: PopupModel::new(entries, bases, settings),
            first: None,
            pending: None,
            console: None,
            tab_blocks_switching: None,
            provisional: false,
            content_id: next_content_id(),
        }
    }

    /// The popup drawn from the cached first screen, before the entries are read.
    fn cached(first: FirstScreen, settings: Settings, history: History) -> PopupState {
        let mut state = PopupState::new(Vec::new(), Vec::new(), settings);
        state.rows = first.rows.clone();
        state.group_labels = first.labels.clone();
        state.place_rows();
        state.total_options = first.total;
        state.height = first.height;
        state.history = history;
        state.first = Some(first);
        state.layout();
        state.active = (state.option_count() > 0).then_some(0);
        state
    }

    /// Runs the search for `text` ([`PopupModel::set_query`]).
    fn set_query(&mut self, text: &str) {
        if self.first.is_some() {
            // On the cached first screen the query waits for the entries.
            return;
        }
        self.model.set_query(text);
    }

    fn set_signed_in(&mut self, who: SignedIn) {
        self.model.set_signed_in(who);
        self.layout();
        self.active = self.first_option();
    }

    /// Takes in the console tab: who is signed in, and whether its root user blocks switching
    /// (every row then says so; rows drawn before are drawn again).
    fn set_console(&mut self, tab: Rc<ConsoleTab>) {
        let blocks = tab
            .identity
            .root
            .then(|| browser::message("rootRowReason", "the root user cannot switch"));
        if blocks != self.tab_blocks_switching {
            self.tab_blocks_switching = blocks;
            self.content_id = next_content_id();
        }
        self.set_signed_in(tab.identity.signed_in());
        self.console = Some(tab);
    }

    /// Lays the rows out again ([`PopupModel::layout`]); on the cached first screen the
    /// cached rows stay and only "Recent" follows the (live) history.
    fn layout(&mut self) {
        match &self.first {
            Some(first) => self.model.recent = first.recent(&self.model.history),
            None => self.model.layout(),
        }
    }

    /// What row `index` shows, from the entries or the cached first screen.
    fn shown(&self, index: usize) -> Option<Shown<'_>> {
        let mut shown = match &self.first {
            Some(first) => first.entry(index).map(CachedEntry::shown),
            None => self.entries.get(index).map(Shown::of),
        }?;
        if let Some(reason) = &self.tab_blocks_switching {
            shown.switchable = false;
            shown.reason = Some(reason);
            shown.reason_code = None;
        }
        Some(shown)
    }

    /// The first screen (no query, nobody signed in) as the cache `popup.js` reads back:
    /// see [`FirstScreen`].
    fn first_screen_cache(&self, revision: &str, managed: &str) -> Result<JsValue, JsValue> {
        let all: Vec<usize> = (0..self.entries.len()).collect();
        let rows = grouped_rows(&all, &self.group_of, self.group_labels.len());
        let (mut height, mut options, mut cached) = (0u32, 0usize, Vec::new());
        for row in &rows {
            if height < FIRST_SCREEN_PX {
                cached.push(*row);
            }
            height += match row {
                Row::Header(_) => HEADER_HEIGHT,
                Row::Option(_) => {
                    options += 1;
                    OPTION_HEIGHT
                }
            };
        }
        let mut indices: Vec<usize> = Vec::new();
        let row_codes = js_sys::Array::new();
        let labels = js_sys::Array::new();
        for row in &cached {
            match *row {
                Row::Option(i) => {
                    indices.push(i);
                    row_codes.push(&JsValue::from_f64(i as f64));
                }
                Row::Header(g) => {
                    row_codes.push(&JsValue::from_f64(-1.0 - labels.length() as f64));
                    labels.push(&match g {
                        UNGROUPED => JsValue::NULL,
                        g => JsValue::from_str(&self.group_labels[g as usize]),
                    });
                }
            }
        }
        let recent = js_sys::Array::new();
        for item in &self.history.items {
            let index = History::entry_of(item, &self.entries).map(|(i, _)| i);
            if let Some(i) = index {
                indices.push(i);
            }
            let key = [
                &item.profile,
                &item.partition,
                &item.account,
                &item.role_name,
            ];
            let pair = js_sys::Array::new();
            for part in key {
                pair.push(&JsValue::from_str(part));
            }
            pair.push(&JsValue::from_f64(index.map_or(-1.0, |i| i as f64)));
            recent.push(&pair);
        }
        // In index order, once each, as `FirstScreen::entry` looks them up.
        let mut order = vec![false; self.entries.len()];
        for &i in &indices {
            order[i] = true;
        }
        let entries = js_sys::Array::new();
        for (i, entry) in self.entries.iter().enumerate().filter(|(i, _)| order[*i]) {
            entries.push(&Shown::of(entry).to_js(i));
        }
        let cache = js_sys::Object::new();
        let put = |key: &str, value: &JsValue| js_sys::Reflect::set(&cache, &key.into(), value);
        put("rev", &revision.into())?;
        put("managed", &managed.into())?;
        put("total", &JsValue::from_f64(options as f64))?;
        put("height", &JsValue::from_f64(height as f64))?;
        put("rows", &row_codes)?;
        put("labels", &labels)?;
        put("entries", &entries)?;
        put("recent", &recent)?;
        Ok(cache.into())
    }

    /// The entry a history item stands for ([`History::entry_of`]), from the entries or the
    /// cached first screen.
    fn entry_of_item(&self, item: &HistoryItem) -> Option<usize> {
        match &self.first {
            Some(first) => first.resolve(item).flatten(),
            None => History::entry_of(item, &self.entries).map(|(i, _)| i),
        }
    }

    fn group_label(&self, group: u32) -> String {
        match group {
            UNGROUPED => browser::message("ungrouped", "Other roles"),
            g => self.group_labels[g as usize].clone(),
        }
    }
}

/// The stored history. A missing or corrupt store is an empty history (with a warning),
/// never a broken popup; the list of profile names earlier versions kept is migrated.
pub fn load_history() -> History {
    match LocalStorage::get::<History>(HISTORY_KEY) {
        Ok(history) => history,
        Err(StorageError::KeyNotFound(_)) => {
            match LocalStorage::get::<Vec<String>>(LEGACY_HISTORY_KEY) {
                Ok(profiles) => {
                    let history = History::from_legacy(profiles);
                    save_history(&history);
                    LocalStorage::delete(LEGACY_HISTORY_KEY);
                    history
                }
                Err(StorageError::KeyNotFound(_)) => History::default(),
                Err(err) => {
                    warn(&format!("ignoring unreadable role history: {}", err));
                    History::default()
                }
            }
        }
        Err(err) => {
            warn(&format!("ignoring unreadable role history: {}", err));
            History::default()
        }
    }
}

fn save_history(history: &History) {
    if let Err(err) = LocalStorage::set(HISTORY_KEY, history) {
        warn(&format!("could not save role history: {}", err));
    }
}

fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

/// Records a switch to `profile` in the history (called once the switch page is open).
fn remember_switch(profile: &str) {
    let state = POPUP.with(|p| p.borrow().clone());
    let entry = state.and_then(|s| {
        let s = s.borrow();
        s.entries.iter().find(|e| e.profile == profile).cloned()
    });
    match entry {
        Some(entry) => remember_entry(&entry),
        None => warn(&format!("not in the history: no role `{}`", profile)),
    }
}

/// Records a switch to `entry` in the stored history.
pub fn remember_entry(entry: &RoleEntry) {
    let mut history = load_history();
    history.record(entry, js_sys::Date::now());
    save_history(&history);
}

/// Starts the popup. `cached`, `config` and `managed` are `extension/popup.js`'s promises of
/// the stored first-screen cache (with the config's revision), of the config and of the
/// managed config, requested while the WASM loaded (anything else: read here).
pub async fn start(cached: JsValue, config: JsValue, managed: JsValue) -> Result<(), JsValue> {
    dom::mark("ars:start");
    let document = dom::document();
    let settings = storage::load_settings();
    apply_settings(&document, &settings)?;
    dom::localize(&document, browser::message)?;
    let input: HtmlInputElement = dom::by_id("search")?;
    input.focus()?;
    let promise = |v: JsValue| v.dyn_into::<Promise>().ok();
    let prefetched = storage::Prefetched {
        local: promise(config),
    };
    // The cached first screen, when it is for the stored config (and the managed config
    // listed): drawn before the config (up to megabytes) is read and parsed.
    let stored = storage::load_first_screen_keys(promise(cached)).await;
    // Nothing to list (a new user): said at once rather than after Chrome's managed answer,
    // which no user config waits to be hidden by.
    if popup_empty::nothing_to_list(&stored, prefetched.local.as_ref()).await {
        let state = install_roles(&document, "")?;
        state.borrow_mut().provisional = true;
        dom::mark("ars:empty-state");
    }
    let managed_answer = promise(managed);
    let (managed, late_answer) = storage::managed_for_popup(managed_answer.as_ref(), &stored).await;
    let (revision, cache) = storage::first_screen_of(&stored);
    let managed_id = storage::managed_fingerprint(&managed);
    dom::mark("ars:cache-read");
    let history = load_history();
    let first = revision
        .as_deref()
        .and_then(|rev| FirstScreen::read(&cache, rev, &managed_id))
        .filter(|first| first.knows_history(&history));
    let cached_revision = first.as_ref().and(revision);
    if let Some(first) = first {
        let state = Rc::new(RefCell::new(PopupState::cached(first, settings, history)));
        POPUP.with(|p| *p.borrow_mut() = Some(state.clone()));
        render(&document, &state.borrow())?;
        wire_events(&document, &input, &state)?;
        dom::mark("ars:first-screen");
        // Let that frame be painted before the config is taken in and parsed.
        browser::after_paint().await;
    }
    let listed = storage::load_config_text(&prefetched, &managed).await?;
    dom::mark("ars:config-read");
    let state = install_roles(&document, &listed.text)?;
    if let Some(status) = listed.status() {
        set_status(&document, status);
    }
    if listed.tell_origin {
        tell_origin();
    }
    dom::mark("ars:rendered");
    // After the frame with the real lists: the search index (so that the first keystroke
    // does not build it) and, when the cache was not this revision's, a new cache.
    browser::after_paint().await;
    build_search_index(&state);
    dom::mark("ars:searchable");
    if listed.revision != cached_revision {
        cache_first_screen(&state, &listed).await;
    }
    // The console tab answers after the list is painted: it reorders, never delays, the list.
    if let Some(tab) = super::switch::console_tab().await {
        show_console_tab(&document, Rc::new(tab));
    }
    // Listed from the copy of the managed config: the answer, when it comes, is listed instead
    // if the organisation changed it meanwhile.
    let answered = match late_answer {
        Some(answer) => Some(storage::managed_answer(&answer).await),
        None => None,
    };
    if let Err(err) =
        storage::remember_managed(&stored, answered.as_ref().unwrap_or(&managed)).await
    {
        warn(&format!(
            "could not keep a copy of the managed config: {}",
            storage::error_text(&err)
        ));
    }
    let in_force = answered.clone().unwrap_or_else(|| managed.clone());
    if let Some(answered) = answered.filter(|a| *a != managed) {
        let listed = storage::load_config_text(&prefetched, &answered).await?;
        replace_state(&document, &state, new_popup_state(&listed.text))?;
        build_search_index(&state);
        cache_first_screen(&state, &listed).await;
    }
    watch_config(in_force)
}

/// Lists the config again whenever it changes while the popup is open; one that came from
/// another browser (through sync) says so in one line.
fn watch_config(managed: storage::Managed) -> Result<(), JsValue> {
    super::sync_watch::watch(move |change| {
        let managed = managed.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let document = dom::document();
            let Some(state) = POPUP.with(|p| p.borrow().clone()) else {
                return;
            };
            let prefetched = storage::Prefetched::default();
            let Ok(listed) = storage::load_config_text(&prefetched, &managed).await else {
                return;
            };
            if replace_state(&document, &state, new_popup_state(&listed.text)).is_err() {
                return;
            }
            build_search_index(&state);
            if change.origin == storage::ConfigOrigin::OtherBrowser {
                set_status(&document, &storage::replaced_notice(None));
                tell_origin();
            }
            cache_first_screen(&state, &listed).await;
        });
    })
}

/// The popup has said that the config came from another browser: the next one need not.
fn tell_origin() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(err) = storage::mark_origin_told().await {
            warn(&format!(
                "could not note that the popup said where the config came from: {}",
                storage::error_text(&err)
            ));
        }
    });
}

/// Builds the search index of `state` now, so that the first keystroke does not.
fn build_search_index(state: &SharedState) {
    let mut s = state.borrow_mut();
    let model = &mut s.model;
    model
        .index
        .get_or_insert_with(|| SearchIndex::new(&model.entries));
}

/// Caches the first screen of `state`, which lists `listed`, for its revision and managed config.
async fn cache_first_screen(state: &SharedState, listed: &storage::ListedConfig) {
    let Some(revision) = &listed.revision else {
        return;
    };
    let cache = state.borrow().first_screen_cache(revision, &listed.managed);
    if let Err(err) = async { storage::save_first_screen(cache?).await }.await {
        warn(&format!(
            "could not cache the first screen: {}",
            storage::error_text(&err)
        ));
    }
}

/// Fills the popup's lists from `config_text` and wires the keyboard and mouse: everything
/// after loading the config, so that tests can drive a page skeleton without `chrome.*`.
/// When the cached first screen is showing, its state gives way to the real one (keeping the
/// active option and doing an action asked for meanwhile) and its listeners stay.
pub fn show_roles(document: &Document, config_text: &str) -> Result<(), JsValue> {
    install_roles(document, config_text).map(|_| ())
}

fn install_roles(document: &Document, config_text: &str) -> Result<SharedState, JsValue> {
    let input: HtmlInputElement = dom::by_id("search")?;
    let popup = new_popup_state(config_text);
    let showing = POPUP.with(|p| p.borrow().clone());
    let in_place = |s: &SharedState| s.borrow().first.is_some() || s.borrow().provisional;
    if let Some(state) = showing.filter(in_place) {
        replace_state(document, &state, popup)?;
        return Ok(state);
    }
    let state = Rc::new(RefCell::new(popup));
    POPUP.with(|p| *p.borrow_mut() = Some(state.clone()));
    render(document, &state.borrow())?;
    wire_events(document, &input, &state)?;
    if state.borrow().entries.is_empty() {
        popup_empty::wire(document)?;
    }
    Ok(state)
}

/// The popup's state for `config_text`, with the stored settings and history.
fn new_popup_state(config_text: &str) -> PopupState {
    let config = crate::config::read_config_files(config_text, None);
    let bases = base_accounts(&config);
    // The popup shows no diagnostics; links are built for the role chosen (`RoleEntry::link`).
    let entries = crate::roles::entry::resolve_entries_without_urls(&config, &mut Vec::new());
    // Tens of megabytes at 50,000 roles: freed before the search index may be built below (a
    // query typed on the cached first screen), so the two never take memory at once.
    drop(config);
    dom::mark("ars:parsed");
    let mut popup = PopupState::new(entries, bases, storage::load_settings());
    popup.history = load_history();
    popup.layout();
    popup.active = (popup.option_count() > 0).then_some(0);
    popup
}

/// Puts `popup` in place of the state showing (the cached first screen, or entries listed
/// before): the active option, the query, who is signed in and "Show all" stay, an action asked
/// for meanwhile is done, and the listeners, which hold `state`, stay.
fn replace_state(
    document: &Document,
    state: &SharedState,
    mut popup: PopupState,
) -> Result<(), JsValue> {
    let input: HtmlInputElement = dom::by_id("search")?;
    let (active, pending, signed_in, show_all) = {
        let old = state.borrow();
        (old.active, old.pending, old.signed_in.clone(), old.show_all)
    };
    let console = state.borrow().console.clone();
    popup.show_all = show_all;
    match console {
        Some(tab) => popup.set_console(tab),
        None => {
            if let Some(who) = signed_in {
                popup.set_signed_in(who);
            }
        }
    }
    popup.active = active
        .filter(|&a| a < popup.option_count())
        .or(popup.active);
    *state.borrow_mut() = popup;
    let query = input.value();
    if !query.trim().is_empty() {
        state.borrow_mut().set_query(&query);
    }
    render(document, &state.borrow())?;
    if let Some((action, index)) = pending {
        act(document, state, action, index);
    }
    Ok(())
}

/// For tests: draws the popup from the first-screen cache that `config_text`'s popup would
/// store (through the same JS objects as `chrome.storage`), without the entries, as `start`
/// does before the config is read. `show_roles` then completes it.
#[doc(hidden)]
pub fn show_cached_first_screen(document: &Document, config_text: &str) -> Result<(), JsValue> {
    let input: HtmlInputElement = dom::by_id("search")?;
    let config = crate::config::read_config_files(config_text, None);
    let bases = base_accounts(&config);
    let mut full = PopupState::new(
        crate::analysis::resolve(config).roles,
        bases,
        storage::load_settings(),
    );
    full.history = load_history();
    let cache = full.first_screen_cache("test", "")?;
    let first = FirstScreen::read(&cache, "test", "")
        .filter(|first| first.knows_history(&full.history))
        .ok_or_else(|| JsValue::from_str("the cache does not read back"))?;
    let state = Rc::new(RefCell::new(PopupState::cached(
        first,
        storage::load_settings(),
        load_history(),
    )));
    POPUP.with(|p| *p.borrow_mut() = Some(state.clone()));
    render(document, &state.borrow())?;
    wire_events(document, &input, &state)
}

/// The theme (`<html data-theme>`) and the page's language (for CJK fonts and screen readers).
fn apply_settings(document: &Document, settings: &Settings) -> Result<(), JsValue> {
    if let Some(root) = document.document_element() {
        match settings.theme.data_theme() {
            Some(theme) => root.set_attribute("data-theme", theme)?,
            None => root.remove_attribute("data-theme")?,
        }
        let locale = browser::message("@@ui_locale", "en");
        root.set_attribute("lang", &locale.replace('_', "-"))?;
    }
    Ok(())
}

/// Shows what the popup knows about the console tab under it: who is signed in (listing that
/// base account's targets first; only them, with a "Show all" toggle, when the setting asks for
/// it), and the lines of `console_banner` (root user, switched role, time left, switch back).
/// Called by `start` with what `switch::console_tab` read from the tab.
pub fn show_console_tab(document: &Document, tab: Rc<ConsoleTab>) {
    let Some(state) = POPUP.with(|p| p.borrow().clone()) else {
        return;
    };
    state.borrow_mut().set_console(tab.clone());
    let s = state.borrow();
    let alias_of = |id: &str| s.alias_of(id);
    let names = AccountNames {
        hide_ids: s.settings.hide_account_ids,
        alias_of: &alias_of,
    };
    if let Some(line) = document.get_element_by_id("signed-in") {
        let who = &tab.identity;
        let text = browser::message_with(
            "signedInAs",
            "Signed in: {role} in {account}",
            &[
                (
                    "role",
                    if who.login.is_empty() {
                        "?"
                    } else {
                        &who.login
                    },
                ),
                ("account", &names.label(&who.account)),
            ],
        );
        if let Some(label) = document.get_element_by_id("signed-in-text") {
            label.set_text_content(Some(&text));
        }
        let _ = line.remove_attribute("hidden");
        if let Some(toggle) = document.get_element_by_id("show-all-label") {
            let wanted = s.settings.only_signed_in_base && s.signed_in_targets.iter().any(|&t| t);
            let _ = if wanted {
                toggle.remove_attribute("hidden")
            } else {
                toggle.set_attribute("hidden", "")
            };
        }
    }
    let switched_at = tab.identity.switched.as_ref().and_then(|role| {
        crate::console::session_clock::last_switch_to(
            &s.history,
            tab.partition.id(),
            role,
            &s.entries,
        )
    });
    report(console_banner::draw(
        document,
        &tab,
        &names,
        switched_at,
        js_sys::Date::now(),
    ));
    if let Err(err) = render(document, &s) {
        web_sys::console::error_1(&err);
    }
}
