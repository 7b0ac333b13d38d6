//! The popup's state as plain data: the entries, the search and its matches, who is signed in,
//! the rows laid out from them ("Recent", then "Roles" in groups), and the active option. The
//! page (`web/popup/`) keeps one, draws what it holds and forwards the events to it; what it
//! adds is only what a browser has (the cached first screen, the console tab).

use std::collections::HashMap;

use crate::popup::account_display::alias_of;
use crate::popup::base_account::{signed_in_targets, BaseAccount, SignedIn};
use crate::popup::history::History;
use crate::popup::keys::ListKeys;
use crate::popup::rows::{grouped_rows, Row, RowPlaces, UNGROUPED};
use crate::popup::search::{Query, SearchIndex};
use crate::roles::entry::RoleEntry;
use crate::settings::Settings;

/// An option's place: among the "Recent" options, or among the "Roles" options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Recent(usize),
    Role(usize),
}

pub struct PopupModel {
    /// Every entry.
    pub entries: Vec<RoleEntry>,
    /// Options in "Roles" (`aria-setsize`) and the list's height in pixels.
    pub total_options: usize,
    pub height: u32,
    pub bases: Vec<BaseAccount>,
    /// Built when first needed (the page builds it after the first paint, or the first
    /// keystroke does), so that the first paint does not wait for it.
    pub index: Option<SearchIndex>,
    pub settings: Settings,
    pub history: History,
    /// The group of each entry (its `group`, else its base account): an index into
    /// `group_labels`, or `UNGROUPED`.
    pub group_of: Vec<u32>,
    pub group_labels: Vec<String>,
    pub query: Query,
    /// The search result for `query`, best first (all entries for an empty query).
    pub matches: Vec<usize>,
    /// For each entry, whether it is a target of the signed-in base account; empty when the
    /// popup does not know who is signed in.
    pub signed_in_targets: Vec<bool>,
    pub signed_in: Option<SignedIn>,
    pub show_all: bool,
    pub rows: Vec<Row>,
    /// Each row's offset, and the rows of the options and of the headers.
    pub places: RowPlaces,
    /// Entry indices of the "Recent" options, in order (empty while searching).
    pub recent: Vec<usize>,
    /// Position of the active option among the "Recent" options, then the "Roles" options.
    pub active: Option<usize>,
}

impl PopupModel {
    /// The model for `entries`, laid out with no search and nobody signed in (the history is
    /// the caller's to set, then [`PopupModel::layout`]).
    pub fn new(entries: Vec<RoleEntry>, bases: Vec<BaseAccount>, settings: Settings) -> Self {
        let mut group_labels: Vec<String> = Vec::new();
        let mut known: HashMap<String, u32> = HashMap::new();
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
        let mut model = PopupModel {
            entries,
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
            show_all: false,
            rows: Vec::new(),
            places: RowPlaces::of(&[]),
            recent: Vec::new(),
            active: None,
        };
        model.layout();
        model
    }

    /// Runs the search for `text`, refining the previous matches when the query narrows; the
    /// first option becomes the active one.
    pub fn set_query(&mut self, text: &str) {
        let query = Query::new(text);
        if query == self.query {
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
        self.active = self.first_option();
    }

    /// Takes in who is signed in: their base account's targets are listed first (and, with
    /// the setting, only they). The caller lays the rows out again.
    pub fn set_signed_in(&mut self, who: SignedIn) {
        self.signed_in_targets = signed_in_targets(&self.entries, &self.bases, &who);
        self.signed_in = Some(who);
    }

    /// The first option's position, if there is an option.
    pub fn first_option(&self) -> Option<usize> {
        (self.option_count() > 0).then_some(0)
    }

    /// The alias the config gives account `id`.
    pub fn alias_of(&self, id: &str) -> Option<String> {
        alias_of(id, &self.bases, &self.entries)
    }

    pub fn only_signed_in_base(&self) -> bool {
        self.settings.only_signed_in_base
            && !self.show_all
            && self.signed_in_targets.iter().any(|&t| t)
    }

    /// Rebuilds the rows from the matches: the signed-in base account's targets first, then
    /// groups in the order of their best match, each with a header; and "Recent" from the
    /// history while nothing is searched for.
    pub fn layout(&mut self) {
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
    pub fn place_rows(&mut self) {
        self.places.place(&self.rows);
        self.total_options = self.places.option_rows.len();
        self.height = self.places.height();
    }

    /// Takes in a changed history (an option removed from "Recent" or pinned): the lists are
    /// laid out again and the active option stays where it was, or on the last option if the
    /// lists got shorter.
    pub fn replace_history(&mut self, history: History) {
        let was = self.active;
        self.history = history;
        self.layout();
        let count = self.option_count();
        self.active = was
            .map(|a| a.min(count.saturating_sub(1)))
            .filter(|_| count > 0);
    }

    /// Lays the lists out again from the top: the first option (if any) is the active one, as
    /// after "Clear all" in Recent or "Show all" on a console tab.
    pub fn layout_from_top(&mut self) {
        self.layout();
        self.active = (self.option_count() > 0).then_some(0);
    }

    /// Options in "Recent" and "Roles" together.
    pub fn option_count(&self) -> usize {
        self.recent.len() + self.places.option_rows.len()
    }

    /// Which option is at `position`.
    pub fn target(&self, position: usize) -> Option<Target> {
        if position < self.recent.len() {
            Some(Target::Recent(position))
        } else {
            let p = position - self.recent.len();
            (p < self.places.option_rows.len()).then_some(Target::Role(p))
        }
    }

    /// The entry an option shows.
    pub fn entry_at(&self, target: Target) -> usize {
        match target {
            Target::Recent(p) => self.recent[p],
            Target::Role(p) => match self.rows[self.places.option_rows[p]] {
                Row::Option(i) => i,
                Row::Header(_) => unreachable!("option_rows index options"),
            },
        }
    }

    /// The entry the active option shows.
    pub fn active_entry(&self) -> Option<usize> {
        self.active
            .and_then(|a| self.target(a))
            .map(|t| self.entry_at(t))
    }

    /// The lists as the keys see them ([`ListKeys::key`]), with `page` options to a page.
    pub fn keys(&self, page: usize, query_empty: bool) -> ListKeys {
        ListKeys {
            recent: self.recent.len(),
            options: self.option_count(),
            active: self.active,
            page,
            query_empty,
            nothing_listed: self.entries.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_config;
    use crate::popup::keys::{Action, Key};

    const CONFIG: &str = "\
[profile prod-admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ngroup = Production\n\
[profile prod-read]\nrole_arn = arn:aws:iam::111111111111:role/ReadOnly\ngroup = Production\n\
[profile dev-admin]\nrole_arn = arn:aws:iam::222222222222:role/Admin\ngroup = Development\n\
[profile dev-read]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\ngroup = Development\n";

    fn model() -> PopupModel {
        PopupModel::new(parse_config(CONFIG).roles, Vec::new(), Settings::default())
    }

    /// The "Roles" rows as the popup lists them: `# group` headers and profile names.
    fn visible(model: &PopupModel) -> Vec<String> {
        model
            .rows
            .iter()
            .map(|row| match *row {
                Row::Option(i) => model.entries[i].profile.to_string(),
                Row::Header(UNGROUPED) => "# Other".to_string(),
                Row::Header(g) => format!("# {}", model.group_labels[g as usize]),
            })
            .collect()
    }

    /// Presses `keys` in order; the action of each, and the active option's profile after.
    fn press(model: &mut PopupModel, keys: &[Key]) -> (Vec<Action>, Option<String>) {
        let mut actions = Vec::new();
        for &key in keys {
            let mut list = model.keys(2, model.query.is_empty());
            actions.push(list.key(key));
            model.active = list.active;
        }
        let active = model
            .active_entry()
            .map(|i| model.entries[i].profile.to_string());
        (actions, active)
    }

    #[test]
    fn the_config_is_listed_in_its_groups_and_the_keys_walk_it() {
        let mut model = model();
        assert_eq!(
            visible(&model),
            [
                "# Production",
                "prod-admin",
                "prod-read",
                "# Development",
                "dev-admin",
                "dev-read"
            ]
        );
        let (actions, active) = press(&mut model, &[Key::Down, Key::PageDown, Key::Enter]);
        assert_eq!(actions, [Action::Move(0), Action::Move(2), Action::Open]);
        assert_eq!(active.as_deref(), Some("dev-admin"));
        let (_, active) = press(&mut model, &[Key::End]);
        assert_eq!(active.as_deref(), Some("dev-read"));
    }

    #[test]
    fn a_search_lists_its_matches_and_makes_the_first_active() {
        let mut model = model();
        model.set_query("read");
        assert_eq!(
            visible(&model),
            ["# Production", "prod-read", "# Development", "dev-read"]
        );
        let (actions, active) = press(&mut model, &[Key::Enter]);
        assert_eq!(actions, [Action::Open]);
        assert_eq!(active.as_deref(), Some("prod-read"));
        let (actions, _) = press(&mut model, &[Key::Escape]);
        assert_eq!(
            actions,
            [Action::ClearQuery],
            "Escape empties the search first"
        );
        model.set_query("nothing-like-this");
        assert!(visible(&model).is_empty());
        let (actions, active) = press(&mut model, &[Key::Down, Key::Enter]);
        assert_eq!(actions, [Action::Pass, Action::Swallow]);
        assert_eq!(active, None);
    }

    #[test]
    fn laying_out_from_the_top_makes_the_first_option_active() {
        let mut model = model();
        press(&mut model, &[Key::End]);
        model.layout_from_top();
        assert_eq!(
            model
                .active_entry()
                .map(|i| model.entries[i].profile.to_string())
                .as_deref(),
            Some("prod-admin")
        );
        model.set_query("nothing-like-this");
        model.layout_from_top();
        assert_eq!(model.active, None, "no option, none active");
    }

    #[test]
    fn removing_a_recent_option_lays_the_lists_out_again_and_keeps_the_active_place() {
        let mut model = model();
        let mut history = History::default();
        history.record(&model.entries[2], 1_000.0);
        history.record(&model.entries[0], 2_000.0);
        model.replace_history(history);
        let recent: Vec<&str> = model
            .recent
            .iter()
            .map(|&i| &*model.entries[i].profile)
            .collect();
        assert_eq!(recent, ["prod-admin", "dev-admin"], "most recent first");
        let (actions, active) = press(&mut model, &[Key::Down, Key::Down, Key::Delete]);
        assert_eq!(actions, [Action::Move(0), Action::Move(1), Action::Remove]);
        assert_eq!(active.as_deref(), Some("dev-admin"));
        let mut history = model.history.clone();
        let index = model.active_entry().unwrap();
        history.remove(index, &model.entries);
        model.replace_history(history);
        assert_eq!(model.recent.len(), 1);
        assert_eq!(model.option_count(), 5);
        assert_eq!(
            model.active,
            Some(1),
            "the same place: now the first of Roles"
        );
        let (actions, _) = press(&mut model, &[Key::Delete]);
        assert_eq!(actions, [Action::Pass], "a Roles option is not removed");
    }

    #[test]
    fn no_config_lists_nothing_and_enter_opens_the_options() {
        let mut model = PopupModel::new(Vec::new(), Vec::new(), Settings::default());
        assert!(visible(&model).is_empty());
        let (actions, _) = press(&mut model, &[Key::Enter]);
        assert_eq!(actions, [Action::OpenOptions]);
    }
}
