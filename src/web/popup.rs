//! The toolbar popup: a search combobox over the "Recent" and "Roles" listboxes (the WAI-ARIA
//! combobox pattern, with `aria-activedescendant`).
//!
//! Built for 50,000 roles: the "Roles" listbox is virtualised. Rows have a fixed height, a
//! spacer gives the list its full scroll height, and only the rows in the viewport (plus a
//! margin, plus the active one) exist in the DOM. Option ids are the entry's index
//! (`role-opt-N`), so they stay stable while filtering and scrolling.
//!
//! Enter or a click opens the role; roles the console cannot switch to are shown disabled with
//! their reason. Ranking, history, settings and base accounts are core modules; this file only
//! draws them and reads the keyboard.

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
use crate::account_display::{alias_of, hide_account_ids};
use crate::base_account::{base_accounts, signed_in_targets, BaseAccount, SignedIn};
use crate::history::{entry_color, History, HistoryItem, HISTORY_KEY, LEGACY_HISTORY_KEY};
use crate::popup_rows::{
    grouped_rows, sticky_header, Row, RowPlaces, HEADER_HEIGHT, OPTION_HEIGHT, UNGROUPED,
};
use crate::role::RoleEntry;
use crate::search::{highlight_ranges_utf16, Query, SearchIndex};
use crate::settings::{Settings, SETTINGS_KEY};

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

struct PopupState {
    /// Every entry; empty while only the [`FirstScreen`] cache is shown.
    entries: Vec<RoleEntry>,
    /// The cached first screen, shown until the config is read and parsed (`None` after).
    first: Option<FirstScreen>,
    /// An action (`open`, `copy`, …) asked for on the cached first screen, done once the
    /// entries are there.
    pending: Option<(&'static str, usize)>,
    /// Options in "Roles" (`aria-setsize`) and the list's height in pixels.
    total_options: usize,
    height: u32,
    bases: Vec<BaseAccount>,
    /// Built after the real lists are painted (or by the first keystroke, if that comes
    /// sooner), so that the first paint does not wait for it.
    index: Option<SearchIndex>,
    settings: Settings,
    history: History,
    /// The group of each entry (its `group`, else its base account): an index into
    /// `group_labels`, or `UNGROUPED`.
    group_of: Vec<u32>,
    group_labels: Vec<String>,
    query: Query,
    /// The search result for `query`, best first (all entries for an empty query).
    matches: Vec<usize>,
    /// For each entry, whether it is a target of the signed-in base account; empty when the
    /// popup does not know who is signed in.
    signed_in_targets: Vec<bool>,
    signed_in: Option<SignedIn>,
    /// The console tab the popup is opened over, when it answered.
    console: Option<Rc<ConsoleTab>>,
    /// Why no role can be switched to from this tab (its root user), shown on every row.
    tab_blocks_switching: Option<String>,
    show_all: bool,
    rows: Vec<Row>,
    /// Each row's offset, and the rows of the options and of the headers.
    places: RowPlaces,
    /// Entry indices of the "Recent" options, in order (empty while searching).
    recent: Vec<usize>,
    /// Position of the active option among the "Recent" options, then the "Roles" options.
    active: Option<usize>,
    /// Drawn before anything was read because there is nothing to list (the empty state, see
    /// `popup_empty.rs`): the lists read next take its place, as they do the cached first
    /// screen's.
    provisional: bool,
    /// Names what this state's rows show (its entries, or its cached first screen): a row
    /// drawn for another state's content is never reused ([`DrawnRows`]).
    content_id: u64,
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

/// What the keyboard or a click is pointing at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Recent(usize),
    Role(usize),
}

impl PopupState {
    fn new(entries: Vec<RoleEntry>, bases: Vec<BaseAccount>, settings: Settings) -> PopupState {
        let mut group_labels: Vec<String> = Vec::new();
        let mut known: std::collections::HashMap<String, u32> = Default::default();
        let group_of = entries
            .iter()
            .map(|e| match e.group.as_deref().or(e.base_profile.as_deref()) {
                None => UNGROUPED,
                Some(name) => *known.entry(name.to_string()).or_insert_with(|| {
                    group_labels.push(name.to_string());
                    group_labels.len() as u32 - 1
                }),
            })
            .collect();
        let matches = (0..entries.len()).collect();
        let mut state = PopupState {
            entries,
            first: None,
            pending: None,
            total_options: 0,
            height: 0,
            bases,
            index: None,
            settings,
            history: History::default(),
            group_of,
            group_labels,
            query: Query::default(),
            matches,
            signed_in_targets: Vec::new(),
            signed_in: None,
            console: None,
            tab_blocks_switching: None,
            show_all: false,
            rows: Vec::new(),
            places: RowPlaces::of(&[]),
            recent: Vec::new(),
            active: None,
            provisional: false,
            content_id: next_content_id(),
        };
        state.layout();
        state
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

    /// Runs the search for `text`, refining the previous matches when the query narrows.
    fn set_query(&mut self, text: &str) {
        let query = Query::new(text);
        if query == self.query || self.first.is_some() {
            // On the cached first screen the query waits for the entries.
            return;
        }
        let index = self
            .index
            .get_or_insert_with(|| SearchIndex::new(&self.entries));
        self.matches = if query.narrows(&self.query) {
            index.refine(&self.matches, &query)
        } else {
            index.search(&query)
        };
        self.query = query;
        self.layout();
        self.active = if self.option_count() > 0 {
            Some(0)
        } else {
            None
        };
    }

    fn set_signed_in(&mut self, who: SignedIn) {
        self.signed_in_targets = signed_in_targets(&self.entries, &self.bases, &who);
        self.signed_in = Some(who);
        self.layout();
        self.active = (self.option_count() > 0).then_some(0);
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

    /// The alias the config gives account `id`.
    fn alias_of(&self, id: &str) -> Option<String> {
        alias_of(id, &self.bases, &self.entries)
    }

    fn only_signed_in_base(&self) -> bool {
        self.settings.only_signed_in_base
            && !self.show_all
            && self.signed_in_targets.iter().any(|&t| t)
    }

    /// Rebuilds the rows from the matches: the signed-in base account's targets first, then
    /// groups in the order of their best match, each with a header.
    fn layout(&mut self) {
        if let Some(first) = &self.first {
            // The cached rows stay; only "Recent" follows the (live) history.
            self.recent = first.recent(&self.history);
            return;
        }
        let mut shown: Vec<usize> = Vec::with_capacity(self.matches.len());
        if self.signed_in_targets.is_empty() {
            shown.extend_from_slice(&self.matches);
        } else {
            let flags = &self.signed_in_targets;
            shown.extend(self.matches.iter().filter(|&&i| flags[i]));
            if !self.only_signed_in_base() {
                shown.extend(self.matches.iter().filter(|&&i| !flags[i]));
            }
        }
        self.rows = grouped_rows(&shown, &self.group_of, self.group_labels.len());
        self.place_rows();
        self.recent = if self.query.is_empty() {
            self.history
                .ordered()
                .into_iter()
                .filter_map(|item| History::entry_of(item, &self.entries).map(|(i, _)| i))
                .fold(Vec::new(), |mut seen, i| {
                    if !seen.contains(&i) {
                        seen.push(i);
                    }
                    seen
                })
        } else {
            Vec::new()
        };
    }

    /// `places`, `total_options` and `height` from `rows`.
    fn place_rows(&mut self) {
        self.places.place(&self.rows);
        self.total_options = self.places.option_rows.len();
        self.height = self.places.height();
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

    fn option_count(&self) -> usize {
        self.recent.len() + self.places.option_rows.len()
    }

    fn target(&self, position: usize) -> Option<Target> {
        if position < self.recent.len() {
            Some(Target::Recent(position))
        } else {
            let p = position - self.recent.len();
            (p < self.places.option_rows.len()).then_some(Target::Role(p))
        }
    }

    fn entry_at(&self, target: Target) -> usize {
        match target {
            Target::Recent(p) => self.recent[p],
            Target::Role(p) => match self.rows[self.places.option_rows[p]] {
                Row::Option(i) => i,
                Row::Header(_) => unreachable!("option_rows index options"),
            },
        }
    }

    fn active_entry(&self) -> Option<usize> {
        self.active
            .and_then(|a| self.target(a))
            .map(|t| self.entry_at(t))
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

/// Reads the settings the options page saved; unreadable settings are the defaults.
pub fn load_settings() -> Settings {
    match LocalStorage::get::<Settings>(SETTINGS_KEY) {
        Ok(settings) => settings,
        Err(StorageError::KeyNotFound(_)) => Settings::default(),
        Err(err) => {
            warn(&format!("ignoring unreadable settings: {}", err));
            Settings::default()
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
    let settings = load_settings();
    apply_settings(&document, &settings)?;
    dom::localize(&document, browser::message)?;
    let input: HtmlInputElement = dom::by_id("search")?;
    input.focus()?;
    let promise = |v: JsValue| v.dyn_into::<Promise>().ok();
    let prefetched = browser::Prefetched {
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
    let listed = browser::load_config_text(&prefetched, &managed).await?;
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
        let listed = browser::load_config_text(&prefetched, &answered).await?;
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
            let prefetched = browser::Prefetched::default();
            let Ok(listed) = browser::load_config_text(&prefetched, &managed).await else {
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
    let s = &mut *s;
    s.index.get_or_insert_with(|| SearchIndex::new(&s.entries));
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
    let entries = crate::role::resolve_entries_without_urls(&config, &mut Vec::new());
    // Tens of megabytes at 50,000 roles: freed before the search index may be built below (a
    // query typed on the cached first screen), so the two never take memory at once.
    drop(config);
    dom::mark("ars:parsed");
    let mut popup = PopupState::new(entries, bases, load_settings());
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
    let mut full = PopupState::new(crate::config::resolve(config).roles, bases, load_settings());
    full.history = load_history();
    let cache = full.first_screen_cache("test", "")?;
    let first = FirstScreen::read(&cache, "test", "")
        .filter(|first| first.knows_history(&full.history))
        .ok_or_else(|| JsValue::from_str("the cache does not read back"))?;
    let state = Rc::new(RefCell::new(PopupState::cached(
        first,
        load_settings(),
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
        crate::session_clock::last_switch_to(&s.history, tab.partition.id(), role, &s.entries)
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

/// The status line's writer for other modules: `set_status`, with account IDs hidden as set.
fn status_writer(document: &Document) -> console_banner::Status {
    let document = document.clone();
    Rc::new(move |text: &str| set_status(&document, text))
}

fn wire_events(
    document: &Document,
    input: &HtmlInputElement,
    state: &SharedState,
) -> Result<(), JsValue> {
    {
        let state = state.clone();
        let document = document.clone();
        let input_for_closure = input.clone();
        let on_input = Closure::<dyn FnMut()>::new(move || {
            state.borrow_mut().set_query(&input_for_closure.value());
            if let Some(list) = document.get_element_by_id("roles") {
                list.set_scroll_top(0);
            }
            report(render_in_view_first(&document, &state));
        });
        input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
        on_input.forget();
    }
    {
        let state = state.clone();
        let document = document.clone();
        let input_for_closure = input.clone();
        let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            on_keydown(&document, &input_for_closure, &state, &event);
        });
        input.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())?;
        on_key.forget();
    }
    for list_id in ["roles", "recent"] {
        let list: Element = dom::by_id(list_id)?;
        let state = state.clone();
        let document = document.clone();
        let on_click = Closure::<dyn FnMut(MouseEvent)>::new(move |event: MouseEvent| {
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            let option = target
                .as_ref()
                .and_then(|t| t.closest("[role=option]").ok().flatten());
            let Some(index) = option
                .and_then(|o| o.get_attribute("data-entry"))
                .and_then(|i| i.parse::<usize>().ok())
            else {
                return;
            };
            let action = target
                .and_then(|t| t.closest("[data-action]").ok().flatten())
                .and_then(|a| a.get_attribute("data-action"));
            event.prevent_default();
            act(
                &document,
                &state,
                action.as_deref().unwrap_or("open"),
                index,
            );
        });
        list.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
        on_click.forget();
    }
    {
        let list: Element = dom::by_id("roles")?;
        let state = state.clone();
        let document = document.clone();
        let on_scroll = Closure::<dyn FnMut()>::new(move || {
            report(render_roles(&document, &state.borrow()));
        });
        list.add_event_listener_with_callback("scroll", on_scroll.as_ref().unchecked_ref())?;
        on_scroll.forget();
    }
    {
        let button: Element = dom::by_id("recent-clear")?;
        let state = state.clone();
        let document = document.clone();
        let input = input.clone();
        let on_clear = Closure::<dyn FnMut()>::new(move || {
            let mut history = load_history();
            history.clear();
            save_history(&history);
            {
                let mut s = state.borrow_mut();
                s.history = history;
                s.layout();
                s.active = (s.option_count() > 0).then_some(0);
            }
            let _ = input.focus();
            report(render(&document, &state.borrow()));
        });
        button.add_event_listener_with_callback("click", on_clear.as_ref().unchecked_ref())?;
        on_clear.forget();
    }
    {
        let toggle: HtmlInputElement = dom::by_id("show-all")?;
        let state = state.clone();
        let document = document.clone();
        let toggle_for_closure = toggle.clone();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            {
                let mut s = state.borrow_mut();
                s.show_all = toggle_for_closure.checked();
                s.layout();
                s.active = (s.option_count() > 0).then_some(0);
            }
            report(render(&document, &state.borrow()));
        });
        toggle.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
        on_change.forget();
    }
    console_banner::wire(document, status_writer(document))?;
    Ok(())
}

fn report(result: Result<(), JsValue>) {
    if let Err(err) = result {
        web_sys::console::error_1(&err);
    }
}

fn on_keydown(
    document: &Document,
    input: &HtmlInputElement,
    state: &SharedState,
    event: &KeyboardEvent,
) {
    let (count, active, page) = {
        let s = state.borrow();
        (s.option_count(), s.active, page_size(document))
    };
    let last = count.saturating_sub(1);
    let move_to = |position: usize| {
        state.borrow_mut().active = Some(position);
        report(show_active(document, &state.borrow()));
    };
    let key = event.key();
    let command = event.ctrl_key() || event.meta_key();
    match key.as_str() {
        "ArrowDown" if count > 0 => {
            event.prevent_default();
            move_to(active.map_or(0, |a| (a + 1).min(last)));
        }
        "ArrowUp" if count > 0 => {
            event.prevent_default();
            move_to(active.map_or(0, |a| a.saturating_sub(1)));
        }
        "PageDown" if count > 0 => {
            event.prevent_default();
            move_to(active.map_or(0, |a| (a + page).min(last)));
        }
        "PageUp" if count > 0 => {
            event.prevent_default();
            move_to(active.map_or(0, |a| a.saturating_sub(page)));
        }
        "Home" if count > 0 && !event.shift_key() => {
            event.prevent_default();
            move_to(0);
        }
        "End" if count > 0 && !event.shift_key() => {
            event.prevent_default();
            move_to(last);
        }
        "Enter" => {
            event.prevent_default();
            let (chosen, no_roles) = {
                let s = state.borrow();
                (s.active_entry(), s.first.is_none() && s.entries.is_empty())
            };
            if let Some(index) = chosen {
                act(document, state, "open", index);
            } else if no_roles {
                // The empty state's button, from the keyboard.
                popup_empty::open_options();
            }
        }
        "Escape" => {
            event.prevent_default();
            if !input.value().is_empty() {
                input.set_value("");
                let _ =
                    input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
            } else if let Some(window) = web_sys::window() {
                let _ = window.close();
            }
        }
        // Copy link: the option's button is not focusable (the listbox pattern keeps focus in
        // the combobox), so the active option's link is copied when no text is selected.
        "c" | "C" if command && !event.alt_key() && !has_selection(input) => {
            if let Some(index) = state.borrow().active_entry() {
                event.prevent_default();
                act(document, state, "copy", index);
            }
        }
        "Delete" if input.value().is_empty() => {
            let target = {
                let s = state.borrow();
                s.active
                    .and_then(|a| s.target(a))
                    .map(|t| (t, s.entry_at(t)))
            };
            if let Some((Target::Recent(_), index)) = target {
                event.prevent_default();
                act(document, state, "remove", index);
            }
        }
        // Alt+P pins or unpins the active "Recent" option (the pin button's shortcut).
        "p" | "P" | "π" if event.alt_key() && !command => {
            let target = {
                let s = state.borrow();
                s.active
                    .and_then(|a| s.target(a))
                    .map(|t| (t, s.entry_at(t)))
            };
            if let Some((Target::Recent(_), index)) = target {
                event.prevent_default();
                act(document, state, "pin", index);
            }
        }
        _ => {}
    }
}

fn has_selection(input: &HtmlInputElement) -> bool {
    matches!(
        (input.selection_start(), input.selection_end()),
        (Ok(Some(a)), Ok(Some(b))) if a != b
    )
}

/// Options per page for PageUp / PageDown: as many as fit in the list's viewport.
fn page_size(document: &Document) -> usize {
    let height = document
        .get_element_by_id("roles")
        .map(|l| l.client_height().max(0) as u32)
        .filter(|&h| h > 0)
        .unwrap_or(FALLBACK_VIEWPORT_PX);
    ((height / OPTION_HEIGHT) as usize).max(1)
}

/// Runs a row action (`open`, `copy`, `remove`, `pin`) on entry `index`.
fn act(document: &Document, state: &SharedState, action: &str, index: usize) {
    if state.borrow().first.is_some() {
        // The cached first screen: done once the entries are read.
        let action = match action {
            "copy" => "copy",
            "remove" => "remove",
            "pin" => "pin",
            _ => "open",
        };
        state.borrow_mut().pending = Some((action, index));
        return;
    }
    let Some(entry) = state.borrow().entries.get(index).cloned() else {
        return;
    };
    match action {
        "copy" => copy_link(document, &entry),
        "remove" | "pin" => {
            let mut history = load_history();
            {
                let entries = &state.borrow().entries;
                if action == "remove" {
                    history.remove(index, entries);
                } else {
                    history.toggle_pin(index, entries);
                }
            }
            save_history(&history);
            {
                let mut s = state.borrow_mut();
                let was = s.active;
                s.history = history;
                s.layout();
                let count = s.option_count();
                s.active = was
                    .map(|a| a.min(count.saturating_sub(1)))
                    .filter(|_| count > 0);
            }
            report(render(document, &state.borrow()));
            // A click on the row's button took the focus (and the redraw removed the button):
            // give it back to the search box, where the keys work.
            if let Ok(input) = dom::by_id::<HtmlInputElement>("search") {
                let _ = input.focus();
            }
        }
        _ => {
            // Nothing is sent from a root tab; its link may still be opened in a new tab.
            let blocked = state.borrow().tab_blocks_switching.clone();
            match blocked {
                Some(reason) => report(console_banner::refuse(
                    document,
                    entry,
                    &reason,
                    status_writer(document),
                )),
                None => open_entry(document, entry),
            }
        }
    }
}

fn copy_link(document: &Document, entry: &RoleEntry) {
    let Some(url) = entry.link() else {
        set_status(
            document,
            &format!(
                "{} {}: {}",
                browser::message("cannotSwitch", "Cannot switch to"),
                entry.profile,
                browser::reason(
                    entry.reason_code,
                    entry.reason.as_deref().unwrap_or_default()
                )
            ),
        );
        return;
    };
    let document = document.clone();
    let profile = entry.profile.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match clipboard_write_text(&url) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        };
        let text = if copied {
            browser::message_with(
                "linkCopied",
                "Link copied: {profile}",
                &[("profile", &profile)],
            )
        } else {
            browser::message("copyFailed", "Could not copy the link")
        };
        set_status(&document, &text);
    });
}

/// Writes the status line. With "Hide account IDs" on, every account ID a sentence quotes (a
/// profile name, AWS's answer) reads as its alias, else as a placeholder.
fn set_status(document: &Document, text: &str) {
    let placeholder = || browser::message("accountIdHidden", "(account ID hidden)");
    let state = POPUP.with(|p| p.borrow().clone());
    let shown = match state.as_ref().map(|s| s.try_borrow()) {
        Some(Ok(s)) => s
            .settings
            .hide_account_ids
            .then(|| hide_account_ids(text, |id| s.alias_of(id).unwrap_or_else(placeholder))),
        // No state to ask (being changed, or none yet): the stored setting, without aliases.
        _ => load_settings()
            .hide_account_ids
            .then(|| hide_account_ids(text, |_| placeholder())),
    };
    if let Some(status) = document.get_element_by_id("popup-status") {
        status.set_text_content(Some(shown.as_deref().unwrap_or(text)));
    }
}

fn open_entry(document: &Document, entry: RoleEntry) {
    if !entry.switchable {
        let reason = browser::reason(
            entry.reason_code,
            entry.reason.as_deref().unwrap_or_default(),
        );
        set_status(
            document,
            &format!(
                "{} {}: {}",
                browser::message("cannotSwitch", "Cannot switch to"),
                entry.profile,
                reason
            ),
        );
        return;
    }
    let document = document.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Console tab: switched in place; any other tab: the switch-role page, pressed for the
        // user. An error (e.g. multi-session "may not switch to that role") stays in the status.
        match super::switch::switch_to(&entry).await {
            Ok(()) => {
                remember_switch(&entry.profile);
                if let Some(window) = web_sys::window() {
                    let _ = window.close();
                }
            }
            Err(message) => set_status(
                &document,
                &format!(
                    "{} {}: {}",
                    browser::message("cannotSwitch", "Cannot switch to"),
                    entry.profile,
                    message
                ),
            ),
        }
    });
}

/// A non-focusable button inside an option: the listbox pattern keeps focus in the combobox,
/// so each button has a keyboard shortcut instead (named in its title) and is hidden from
/// assistive technology, which reaches the same action through that shortcut.
fn row_button(
    document: &Document,
    parent: &Element,
    action: &str,
    symbol: &str,
    title: &str,
) -> Result<(), JsValue> {
    let button = dom::append(
        document,
        parent,
        "button",
        &format!("row-action {}", action),
        symbol,
    )?;
    button.set_attribute("type", "button")?;
    button.set_attribute("tabindex", "-1")?;
    button.set_attribute("aria-hidden", "true")?;
    button.set_attribute("data-action", action)?;
    button.set_attribute("title", title)?;
    Ok(())
}

/// How an option's account reads: the ID (unless hidden by the settings), with the alias.
fn account_text(entry: &Shown, hide_ids: bool) -> String {
    let is_id = entry.account.bytes().all(|b| b.is_ascii_digit());
    let account = if hide_ids && is_id { "" } else { entry.account };
    match entry.account_alias.filter(|a| *a != entry.account) {
        Some(alias) if account.is_empty() => alias.to_string(),
        Some(alias) => format!("{} {}", alias, account),
        None => account.to_string(),
    }
}

/// One `role="option"` row for `entry`, its text set as text only.
pub fn role_option(
    document: &Document,
    entry: &RoleEntry,
    index: usize,
    id: &str,
) -> Result<HtmlElement, JsValue> {
    build_option(document, &Shown::of(entry), index, id, false).map(|(li, _)| li)
}

/// An option's `<li>` for `entry`, and the text nodes its matches are highlighted in.
fn build_option(
    document: &Document,
    entry: &Shown,
    index: usize,
    id: &str,
    hide_account_ids: bool,
) -> Result<(HtmlElement, OptionParts), JsValue> {
    let li: HtmlElement = option_template(document)?
        .clone_node_with_deep(true)?
        .unchecked_into();
    li.set_id(id);
    li.set_attribute("data-entry", &index.to_string())?;
    let swatch: HtmlElement = child(&li)?.unchecked_into();
    swatch
        .style()
        .set_property("background-color", &("#".to_string() + &entry.color))?;
    let first = next(&swatch)?;
    let profile = child(&first)?;
    let mut texts: [Option<web_sys::Node>; 4] = Default::default();
    texts[0] = set_text(&profile, entry.profile);
    let account = account_text(entry, hide_account_ids);
    let account_span = next(&profile)?;
    if account.is_empty() {
        account_span.remove();
    } else {
        texts[1] = set_text(&account_span, &account);
    }
    let second = next(&first)?;
    let role_name = child(&second)?;
    texts[2] = set_text(&role_name, entry.role_name);
    let region = next(&role_name)?;
    match entry.region {
        Some(text) => texts[3] = set_text(&region, text),
        None => region.remove(),
    }
    if entry.chained {
        // DOMAIN.md: role chaining caps the session at 1 hour.
        let badge = dom::append(
            document,
            &second,
            "span",
            "chained",
            &browser::message("chainedBadge", "1 h max"),
        )?;
        badge.set_attribute(
            "title",
            &browser::message(
                "chainedTitle",
                "Reached through another role: role chaining caps the session at 1 hour.",
            ),
        )?;
    }
    set_session_title(&li, entry)?;
    if !entry.switchable {
        next(&second)?.remove(); // the copy button
        li.set_attribute("aria-disabled", "true")?;
        // Translated where `_locales` can; the core's full sentence (English) on hover.
        let detail = entry.reason.unwrap_or("");
        let marker = dom::append(
            document,
            &second,
            "span",
            "reason",
            &browser::message_with(
                "notSwitchableReason",
                "⚠ not switchable: {reason}",
                &[("reason", &browser::reason(entry.reason_code, detail))],
            ),
        )?;
        marker.set_attribute("title", detail)?;
    }
    let (swatch, shape) = (Some(swatch), OptionShape::of(entry, &account));
    Ok((
        li,
        OptionParts {
            swatch,
            texts,
            shape,
        },
    ))
}

/// The row's tooltip: the session name and source identity CloudTrail records for the
/// profile's sessions, when the config sets them; no tooltip otherwise.
fn set_session_title(li: &Element, entry: &Shown) -> Result<(), JsValue> {
    let mut lines = Vec::new();
    if let Some(name) = entry.session_name {
        lines.push(browser::message_with(
            "sessionNameDetail",
            "Session name in CloudTrail (CLI and SDKs): {name}",
            &[("name", name)],
        ));
    }
    if let Some(identity) = entry.source_identity {
        lines.push(browser::message_with(
            "sourceIdentityDetail",
            "Source identity in CloudTrail (CLI and SDKs): {identity}",
            &[("identity", identity)],
        ));
    }
    if lines.is_empty() {
        li.remove_attribute("title")
    } else {
        li.set_attribute("title", &lines.join("\n"))
    }
}

/// Sets `element`'s text (as text only) and returns its text node (`None` for no text).
fn set_text(element: &Element, text: &str) -> Option<web_sys::Node> {
    element.set_text_content(Some(text));
    element.first_child()
}

/// Highlights the matches of `query` in an option's `texts`, the option showing `entry`.
fn highlight_option(
    entry: &Shown,
    hide_account_ids: bool,
    query: &Query,
    texts: &[Option<web_sys::Node>; 4],
) -> Vec<highlight::Range> {
    if query.is_empty() {
        return Vec::new();
    }
    let account = account_text(entry, hide_account_ids);
    let fields = [
        Some(entry.profile),
        Some(account.as_str()),
        Some(entry.role_name),
        entry.region,
    ];
    let mut matches = Vec::new();
    for (text, node) in fields.iter().zip(texts) {
        if let (Some(text), Some(node)) = (text, node) {
            let ranges = highlight_ranges_utf16(text, query);
            if !ranges.is_empty() {
                matches.extend(highlight::add(node, &ranges));
            }
        }
    }
    matches
}

thread_local! {
    /// The elements every option has, built once and cloned for each row: one `cloneNode`
    /// instead of a dozen calls into the DOM per row.
    static OPTION_TEMPLATE: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
}

/// `<li role="option">` with a swatch, the line of profile and account, the detail line of
/// role name and region, and the copy button; the text is filled in per row.
fn option_template(document: &Document) -> Result<HtmlElement, JsValue> {
    OPTION_TEMPLATE.with(|template| {
        let mut template = template.borrow_mut();
        if let Some(li) = template.as_ref() {
            return Ok(li.clone());
        }
        let li = dom::element(document, "li", "role", "")?;
        li.set_attribute("role", "option")?;
        li.set_attribute("aria-selected", "false")?;
        let swatch = dom::append(document, &li, "span", "swatch", "")?;
        swatch.set_attribute("aria-hidden", "true")?;
        let first = dom::append(document, &li, "span", "line", "")?;
        dom::append(document, &first, "span", "profile", "")?;
        dom::append(document, &first, "span", "account", "")?;
        let second = dom::append(document, &li, "span", "line detail", "")?;
        dom::append(document, &second, "span", "role-name", "")?;
        dom::append(document, &second, "span", "region", "")?;
        let copy_title = browser::message("copyLink", "Copy link (Ctrl+C)");
        row_button(document, &li, "copy", "❐", &copy_title)?;
        *template = Some(li.clone());
        Ok(li)
    })
}

/// The first element inside `element` (the option template's structure is fixed).
fn child(element: &Element) -> Result<Element, JsValue> {
    element
        .first_element_child()
        .ok_or_else(|| JsValue::from_str("an option is missing a part"))
}

/// The element after `element`.
fn next(element: &Element) -> Result<Element, JsValue> {
    element
        .next_element_sibling()
        .ok_or_else(|| JsValue::from_str("an option is missing a part"))
}

/// Draws both lists and the status line.
fn render(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    render_within(document, state, OVERSCAN_PX)
}

/// Draws both lists after a keystroke with only the "Roles" rows in view, so that the filtered
/// list is painted sooner, and adds the rest of the overscan when the browser is next idle. (The
/// first screens draw the overscan at once: drawing fewer rows did not paint them measurably
/// sooner.)
fn render_in_view_first(document: &Document, state: &SharedState) -> Result<(), JsValue> {
    render_within(document, &state.borrow(), KEYSTROKE_MARGIN_PX)?;
    let (document, state) = (document.clone(), state.clone());
    let top_up = Closure::once_into_js(move || {
        // Only for the popup's current state: a page (or a test) may have installed another.
        let current = POPUP.with(|p| p.borrow().as_ref().is_some_and(|c| Rc::ptr_eq(c, &state)));
        if let (true, Ok(state)) = (current, state.try_borrow()) {
            report(render_roles(&document, &state));
        }
    });
    let window = web_sys::window().ok_or("no window")?;
    window.request_idle_callback(top_up.unchecked_ref())?;
    Ok(())
}

/// Draws both lists ("Roles" anew, within `margin` pixels of its viewport) and the status line.
fn render_within(document: &Document, state: &PopupState, margin: u32) -> Result<(), JsValue> {
    render_recent(document, state)?;
    draw_roles(document, state, margin)?;
    let entry_count = state
        .first
        .as_ref()
        .map_or(state.entries.len(), |f| f.total);
    // No roles at all: the empty state says what to do (or, on a page without it, the status).
    let status = if entry_count == 0 && !popup_empty::show(document, true)? {
        browser::message(
            "noRoles",
            "No roles yet: import your ~/.aws/config on the options page.",
        )
    } else if entry_count == 0 {
        String::new()
    } else if state.places.option_rows.is_empty() {
        browser::message("noMatch", "No role matches.")
    } else {
        String::new()
    };
    if entry_count > 0 {
        popup_empty::show(document, false)?;
    }
    set_status(document, &status);
    Ok(())
}

fn role_option_id(index: usize) -> String {
    format!("role-opt-{}", index)
}

fn recent_option_id(index: usize) -> String {
    format!("recent-opt-{}", index)
}

/// Draws the rows of "Roles" that are in view (± the overscan), plus the active one.
fn render_roles(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    draw_roles(document, state, OVERSCAN_PX)
}

/// Draws the rows of "Roles" within `margin` pixels of the viewport, plus the active one.
///
/// Rows already in the DOM are kept for the same row (the same entry, or the same group's
/// header) when their order allows it, whether the list scrolled, the highlight moved or a
/// keystroke laid the rows out again: a kept row is only moved, renumbered and highlighted
/// anew, and its text is not laid out again. Rows no longer wanted are removed; the others are
/// built and inserted in order.
fn draw_roles(document: &Document, state: &PopupState, margin: u32) -> Result<(), JsValue> {
    let list: HtmlElement = dom::by_id("roles")?;
    let scroll = list.scroll_top().max(0) as u32;
    let viewport = match list.client_height() {
        h if h > 0 => h as u32,
        _ => FALLBACK_VIEWPORT_PX,
    };
    let from = scroll.saturating_sub(margin);
    let to = scroll + viewport + margin;
    // The first row that ends below `from`, and the first that starts below `to`.
    let first = state.places.tops[1..].partition_point(|&end| end <= from);
    let last = state.places.tops[..state.rows.len()].partition_point(|&top| top < to);
    let active_row = match state.active.and_then(|a| state.target(a)) {
        Some(Target::Role(p)) => Some(state.places.option_rows[p]),
        _ => None,
    };
    let mut wanted: Vec<usize> = (first..last).collect();
    if let Some(r) = active_row.filter(|r| !(first..last).contains(r)) {
        wanted.insert(wanted.partition_point(|&w| w < r), r);
    }
    let content = (state.content_id, state.settings.hide_account_ids);

    DRAWN.with(|drawn| {
        let mut drawn = drawn.borrow_mut();
        let drawn = match drawn
            .take()
            .filter(|d| d.content == content && d.list.is_same_node(Some(&list)))
        {
            Some(d) => drawn.insert(d),
            None => {
                highlight::clear();
                dom::clear(&list);
                let spacer = dom::append(document, &list, "li", "spacer", "")?;
                spacer.set_attribute("role", "none")?;
                spacer.set_attribute("aria-hidden", "true")?;
                drawn.insert(DrawnRows {
                    list: list.clone(),
                    spacer,
                    height: u32::MAX,
                    content,
                    query: state.query.clone(),
                    total: usize::MAX,
                    rows: Vec::new(),
                })
            }
        };
        if drawn.height != state.height {
            drawn.height = state.height;
            let height = format!("{}px", state.height);
            drawn.spacer.style().set_property("height", &height)?;
        }
        if drawn.query != state.query {
            highlight::clear();
            for row in &mut drawn.rows {
                row.matches.clear();
                row.highlighted = false;
            }
            drawn.query = state.query.clone();
        }
        let renumbered = drawn.total != state.total_options;
        drawn.total = state.total_options;

        // Each wanted row takes the drawn row for the same `Row` if that comes after the
        // last one taken: the kept rows stay in DOM order, so none is moved in the DOM.
        let mut old: Vec<Option<DrawnRow>> = drawn.rows.drain(..).map(Some).collect();
        let mut taken: Vec<Option<usize>> = Vec::with_capacity(wanted.len());
        let mut after = 0;
        for &r in &wanted {
            let found = old[after..]
                .iter()
                .position(|o| o.as_ref().is_some_and(|o| o.row == state.rows[r]))
                .map(|i| after + i);
            if let Some(i) = found {
                after = i + 1;
            }
            taken.push(found);
        }
        let total = state.total_options.to_string();
        let renumbered = renumbered.then_some(&total);
        let mut next_kept = taken.iter().flatten().copied().peekable();
        // Old rows before `cursor` are used or given up; an option not kept may rewrite an
        // unused old one from there up to the next kept row, which keeps DOM order too. A row
        // that is built goes before the first old row still there from `cursor` on.
        let mut cursor = 0;
        let mut rows = Vec::with_capacity(wanted.len());
        for (&r, found) in wanted.iter().zip(&taken) {
            let active = active_row == Some(r);
            if let Some(mut row) = found.and_then(|i| old[i].take()) {
                cursor = next_kept.next().map_or(cursor, |i| i + 1);
                update_row(state, &mut row, r, active, renumbered)?;
                rows.push(row);
                continue;
            }
            let limit = next_kept.peek().copied().unwrap_or(old.len());
            let mut rewritten = None;
            if let Row::Option(index) = state.rows[r] {
                for (i, slot) in old.iter_mut().enumerate().take(limit).skip(cursor) {
                    if let Some(row) = slot.as_mut() {
                        if rewrite_option(state, row, index)? {
                            rewritten = slot.take();
                            cursor = i + 1;
                            break;
                        }
                    }
                }
            }
            if let Some(mut row) = rewritten {
                update_row(state, &mut row, r, active, Some(&total))?;
                rows.push(row);
                continue;
            }
            let Some(row) = draw_row(document, state, r, active, &total)? else {
                continue;
            };
            // Before the first old row still in the DOM from `cursor` on: rows rewritten or
            // kept after this one are at or after that one.
            let before = (cursor..old.len()).find(|&i| old[i].is_some());
            match before.and_then(|i| old[i].as_ref()) {
                Some(before) => list.insert_before(&row.li, Some(&before.li))?,
                None => list.append_child(&row.li)?,
            };
            rows.push(row);
        }
        for row in old.into_iter().flatten() {
            row.li.remove();
            highlight::remove(&row.matches);
        }
        for row in rows.iter_mut().filter(|row| !row.highlighted) {
            row.highlighted = true;
            if let (Row::Option(index), false) = (row.row, state.query.is_empty()) {
                if let Some(shown) = state.shown(index) {
                    let hide = state.settings.hide_account_ids;
                    row.matches = highlight_option(&shown, hide, &state.query, &row.parts.texts);
                }
            }
        }
        drawn.rows = rows;
        Ok::<(), JsValue>(())
    })?;
    draw_sticky_header(document, state, &list, scroll)?;
    set_active_descendant(document, state)
}

/// Pins the header of the group at the top of the list over it ([`sticky_header`]): with only
/// the rows in view in the DOM, a long group's own header has long gone when its last
/// options show. Pages without `#roles-sticky` (the tests' skeleton) have none.
fn draw_sticky_header(
    document: &Document,
    state: &PopupState,
    list: &HtmlElement,
    scroll: u32,
) -> Result<(), JsValue> {
    let Some(sticky) = document
        .get_element_by_id("roles-sticky")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return Ok(());
    };
    let Some(header) = sticky_header(&state.rows, &state.places, scroll) else {
        return sticky.set_attribute("hidden", "");
    };
    let label = state.group_label(header.group);
    if sticky.text_content().as_deref() != Some(label.as_str()) {
        sticky.set_text_content(Some(&label));
    }
    let style = sticky.style();
    // Over the list, not its scroll bar.
    let scroll_bar = (list.offset_width() - list.client_width()).max(0);
    style.set_property("right", &format!("{}px", scroll_bar))?;
    style.set_property("transform", &format!("translateY(-{}px)", header.pushed_up))?;
    sticky.remove_attribute("hidden")
}

/// Row `r` of "Roles" as a new `<li>` placed at its offset (`None`: an option whose entry is
/// not there). Its matches are highlighted by the caller.
fn draw_row(
    document: &Document,
    state: &PopupState,
    r: usize,
    active: bool,
    total: &str,
) -> Result<Option<DrawnRow>, JsValue> {
    let top = state.places.tops[r];
    let (li, parts, position) = match state.rows[r] {
        Row::Header(group) => {
            let li = dom::element(document, "li", "group-header", &state.group_label(group))?;
            li.set_attribute("role", "presentation")?;
            (li, OptionParts::default(), 0)
        }
        Row::Option(index) => {
            let Some(shown) = state.shown(index) else {
                return Ok(None);
            };
            let hide = state.settings.hide_account_ids;
            let (li, parts) = build_option(document, &shown, index, &role_option_id(index), hide)?;
            // Only a window of the options exists: say where this one sits in the whole.
            let position = state.places.option_rows.partition_point(|&o| o < r) + 1;
            li.set_attribute("aria-setsize", total)?;
            li.set_attribute("aria-posinset", &position.to_string())?;
            if active {
                li.set_attribute("aria-selected", "true")?;
            }
            (li, parts, position)
        }
    };
    li.style().set_property("top", &format!("{}px", top))?;
    Ok(Some(DrawnRow {
        row: state.rows[r],
        li,
        top,
        position,
        selected: active,
        parts,
        matches: Vec::new(),
        highlighted: false,
    }))
}

/// Rewrites a drawn option in place to show entry `index`, if both have the same parts: no
/// element is made or attached, only the texts change. The caller then places the row.
fn rewrite_option(state: &PopupState, row: &mut DrawnRow, index: usize) -> Result<bool, JsValue> {
    let (Some(shape), Some(shown)) = (row.parts.shape, state.shown(index)) else {
        return Ok(false);
    };
    let account = account_text(&shown, state.settings.hide_account_ids);
    if OptionShape::of(&shown, &account) != Some(shape) {
        return Ok(false);
    }
    row.li.set_id(&role_option_id(index));
    row.li.set_attribute("data-entry", &index.to_string())?;
    set_session_title(&row.li, &shown)?;
    if let Some(swatch) = &row.parts.swatch {
        let color = "#".to_string() + &shown.color;
        swatch.style().set_property("background-color", &color)?;
    }
    let texts = [
        Some(shown.profile),
        Some(account.as_str()),
        Some(shown.role_name),
        shown.region,
    ];
    for (node, text) in row.parts.texts.iter().zip(texts) {
        if let (Some(node), Some(text)) = (node, text) {
            node.set_node_value(Some(text));
        }
    }
    row.row = Row::Option(index);
    // Its place and number are set by the caller; force the number (`position` 0 is none).
    row.position = 0;
    highlight::remove(&row.matches);
    row.matches.clear();
    row.highlighted = false;
    Ok(true)
}

/// Brings a kept row up to row `r` of the current layout: its offset, its place among the
/// options (`total`: the new `aria-setsize`, when that changed) and whether it is active.
fn update_row(
    state: &PopupState,
    row: &mut DrawnRow,
    r: usize,
    active: bool,
    total: Option<&String>,
) -> Result<(), JsValue> {
    if row.top != state.places.tops[r] {
        row.top = state.places.tops[r];
        row.li
            .style()
            .set_property("top", &format!("{}px", row.top))?;
    }
    if let Row::Option(_) = row.row {
        let position = state.places.option_rows.partition_point(|&o| o < r) + 1;
        if row.position != position {
            row.position = position;
            row.li
                .set_attribute("aria-posinset", &position.to_string())?;
        }
        if let Some(total) = total {
            row.li.set_attribute("aria-setsize", total)?;
        }
        if row.selected != active {
            row.selected = active;
            row.li
                .set_attribute("aria-selected", if active { "true" } else { "false" })?;
        }
    }
    Ok(())
}

fn set_active_descendant(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    let input: HtmlInputElement = dom::by_id("search")?;
    let id = match state.active.and_then(|a| state.target(a)) {
        Some(t @ Target::Recent(_)) => Some(recent_option_id(state.entry_at(t))),
        Some(t @ Target::Role(_)) => Some(role_option_id(state.entry_at(t))),
        None => None,
    };
    match id.filter(|id| document.get_element_by_id(id).is_some()) {
        Some(id) => input.set_attribute("aria-activedescendant", &id),
        None => input.remove_attribute("aria-activedescendant"),
    }
}

/// Moves the highlight: scrolls the active option into view, then redraws what is in view.
fn show_active(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    match state.active.and_then(|a| state.target(a)) {
        Some(Target::Role(p)) => {
            let list: HtmlElement = dom::by_id("roles")?;
            let r = state.places.option_rows[p];
            // Keep a group's header in view above its first option.
            let top = if r > 0 && matches!(state.rows[r - 1], Row::Header(_)) {
                state.places.tops[r - 1]
            } else {
                state.places.tops[r]
            };
            let bottom = state.places.tops[r + 1];
            let scroll = list.scroll_top().max(0) as u32;
            let viewport = list.client_height().max(0) as u32;
            if top < scroll {
                list.set_scroll_top(top as i32);
            } else if viewport > 0 && bottom > scroll + viewport {
                list.set_scroll_top((bottom - viewport) as i32);
            }
            mark_recent_selected(document, state)?;
            render_roles(document, state)
        }
        Some(Target::Recent(_)) | None => {
            mark_recent_selected(document, state)?;
            render_roles(document, state)?;
            if let Some(Target::Recent(p)) = state.active.and_then(|a| state.target(a)) {
                let id = recent_option_id(state.recent[p]);
                if let (Some(list), Some(option)) = (
                    document.get_element_by_id("recent"),
                    document
                        .get_element_by_id(&id)
                        .and_then(|o| o.dyn_into::<HtmlElement>().ok()),
                ) {
                    let (top, bottom) = (
                        option.offset_top(),
                        option.offset_top() + option.offset_height(),
                    );
                    if top < list.scroll_top() {
                        list.set_scroll_top(top);
                    } else if bottom > list.scroll_top() + list.client_height() {
                        list.set_scroll_top(bottom - list.client_height());
                    }
                }
            }
            Ok(())
        }
    }
}

fn mark_recent_selected(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    let active = match state.active.and_then(|a| state.target(a)) {
        Some(Target::Recent(p)) => Some(recent_option_id(state.recent[p])),
        _ => None,
    };
    let list: Element = dom::by_id("recent")?;
    let options = list.children();
    for i in 0..options.length() {
        if let Some(option) = options.item(i) {
            let selected = active.as_deref() == Some(option.id().as_str());
            option.set_attribute("aria-selected", if selected { "true" } else { "false" })?;
        }
    }
    let _ = document;
    Ok(())
}

/// "just now", "5 min ago", "3 h ago", "2 d ago" in the UI's language.
fn time_ago(now_ms: f64, then_ms: f64) -> Option<String> {
    if then_ms <= 0.0 {
        return None;
    }
    let minutes = ((now_ms - then_ms) / 60_000.0).max(0.0) as u64;
    Some(match minutes {
        0 => browser::message("timeJustNow", "just now"),
        1..=59 => {
            browser::message("timeMinutes", "{n} min ago").replace("{n}", &minutes.to_string())
        }
        60..=1439 => {
            browser::message("timeHours", "{n} h ago").replace("{n}", &(minutes / 60).to_string())
        }
        _ => {
            browser::message("timeDays", "{n} d ago").replace("{n}", &(minutes / 1440).to_string())
        }
    })
}

fn render_recent(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    let list: Element = dom::by_id("recent")?;
    dom::clear(&list);
    if let Some(section) = document.get_element_by_id("recent-section") {
        if state.recent.is_empty() {
            section.set_attribute("hidden", "")?;
        } else {
            section.remove_attribute("hidden")?;
        }
    }
    let now = js_sys::Date::now();
    let items = state.history.ordered();
    for &index in &state.recent {
        let Some(entry) = state.shown(index) else {
            continue;
        };
        let (li, _) = build_option(
            document,
            &entry,
            index,
            &recent_option_id(index),
            state.settings.hide_account_ids,
        )?;
        li.set_class_name("role recent");
        if let Some(item) = items.iter().find(|i| state.entry_of_item(i) == Some(index)) {
            let detail = li
                .query_selector(".detail")?
                .expect("options have a detail line");
            let mut usage =
                browser::message("switchCount", "{n}×").replace("{n}", &item.count.to_string());
            // Within the hour the time left says when, too: "52 min ago" beside "7 min left"
            // only crowded the role's name out of the row.
            let session_open =
                crate::session_clock::recent_time_left(item.last_used_ms, now).is_some();
            if let Some(when) = time_ago(now, item.last_used_ms).filter(|_| !session_open) {
                usage = format!("{} · {}", usage, when);
            }
            dom::append(document, &detail, "span", "usage", &usage)?;
            console_banner::recent_time_left(document, &detail, item.last_used_ms, now)?;
            if item.pinned {
                li.set_attribute("data-pinned", "true")?;
                let mark = dom::element(document, "span", "pin-mark", "★")?;
                mark.set_attribute("title", &browser::message("pinned", "Pinned"))?;
                if let Some(line) = li.query_selector(".line")? {
                    line.insert_before(&mark, line.first_child().as_ref())?;
                }
            }
            let pin_title = if item.pinned {
                browser::message("unpin", "Unpin (Alt+P)")
            } else {
                browser::message("pin", "Pin to the top (Alt+P)")
            };
            row_button(
                document,
                &li,
                "pin",
                if item.pinned { "★" } else { "☆" },
                &pin_title,
            )?;
            row_button(
                document,
                &li,
                "remove",
                "✕",
                &browser::message("removeRecent", "Remove from Recent (Delete)"),
            )?;
        }
        list.append_child(&li)?;
    }
    mark_recent_selected(document, state)
}
