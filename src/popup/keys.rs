//! What each key does in the popup, as plain data: the search box keeps the focus and the
//! options ("Recent" first, then "Roles") are walked with ↑ ↓ Home End PageUp PageDown, the
//! active one opened with Enter (the WAI-ARIA combobox + listbox pattern). The page turns a
//! `keydown` into a [`Key`], asks [`ListKeys::key`] and does the [`Action`] it gets back.

/// A key the popup answers; the page decides which modifiers make one (Ctrl/⌘+C with no text
/// selected is [`Key::Copy`], Alt+P is [`Key::Pin`], Shift+Home is not [`Key::Home`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Down,
    Up,
    PageDown,
    PageUp,
    Home,
    End,
    Enter,
    Escape,
    Copy,
    Delete,
    Pin,
}

/// What the page does for a key. Everything but [`Action::Pass`] keeps the browser's own
/// handling of the key from happening (`preventDefault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The option at this position (among all options, "Recent" first) becomes the active one.
    Move(usize),
    /// Open (switch to) the active option's role.
    Open,
    /// Nothing is listed at all: Enter is the empty state's button, which opens the options.
    OpenOptions,
    /// Copy the active option's link.
    Copy,
    /// Take the active "Recent" option out of the history.
    Remove,
    /// Pin or unpin the active "Recent" option.
    Pin,
    /// Empty the search box (the list then shows everything again).
    ClearQuery,
    /// Close the popup.
    Close,
    /// The key is taken, and nothing more happens.
    Swallow,
    /// Not ours: the browser handles the key (typing, moving the caret, …).
    Pass,
}

/// The lists as the keys see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListKeys {
    /// Options in "Recent" (they come first).
    pub recent: usize,
    /// Options in "Recent" and "Roles" together.
    pub options: usize,
    /// Position of the active option, if one is.
    pub active: Option<usize>,
    /// Options PageUp / PageDown move by: as many as the list's viewport shows (at least 1).
    pub page: usize,
    /// The search box is empty.
    pub query_empty: bool,
    /// There is nothing to list at all (no config yet): the empty state is shown.
    pub nothing_listed: bool,
}

impl ListKeys {
    /// What `key` does; a move also makes its option the active one here.
    pub fn key(&mut self, key: Key) -> Action {
        let count = self.options;
        let last = count.saturating_sub(1);
        let page = self.page.max(1);
        let moved = match key {
            Key::Down => Some(self.active.map_or(0, |a| (a + 1).min(last))),
            Key::Up => Some(self.active.map_or(0, |a| a.saturating_sub(1))),
            Key::PageDown => Some(self.active.map_or(0, |a| (a + page).min(last))),
            Key::PageUp => Some(self.active.map_or(0, |a| a.saturating_sub(page))),
            Key::Home => Some(0),
            Key::End => Some(last),
            _ => None,
        };
        if let Some(position) = moved {
            if count == 0 {
                return Action::Pass;
            }
            self.active = Some(position);
            return Action::Move(position);
        }
        // An active position past the options stands for no option.
        let active = self.active.filter(|&a| a < count);
        let on_recent = active.is_some_and(|a| a < self.recent);
        match key {
            Key::Enter if active.is_some() => Action::Open,
            Key::Enter if self.nothing_listed => Action::OpenOptions,
            Key::Enter => Action::Swallow,
            Key::Escape if !self.query_empty => Action::ClearQuery,
            Key::Escape => Action::Close,
            Key::Copy if active.is_some() => Action::Copy,
            Key::Delete if self.query_empty && on_recent => Action::Remove,
            Key::Pin if on_recent => Action::Pin,
            _ => Action::Pass,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_config;
    use crate::popup::rows::{grouped_rows, Row, UNGROUPED};

    /// The popup's "Roles" options for a config (no search, nobody signed in), as profile names
    /// in the order they are listed.
    fn listed(config: &str) -> Vec<String> {
        let entries = parse_config(config).roles;
        let all: Vec<usize> = (0..entries.len()).collect();
        let groups = vec![UNGROUPED; entries.len()];
        grouped_rows(&all, &groups, 0)
            .into_iter()
            .filter_map(|row| match row {
                Row::Option(i) => Some(entries[i].profile.to_string()),
                Row::Header(_) => None,
            })
            .collect()
    }

    fn keys(recent: usize, options: usize) -> ListKeys {
        ListKeys {
            recent,
            options,
            active: None,
            page: 3,
            query_empty: true,
            nothing_listed: options == 0,
        }
    }

    const CONFIG: &str = "\
[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\n\
[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\n\
[profile c]\nrole_arn = arn:aws:iam::222222222222:role/C\n\
[profile d]\nrole_arn = arn:aws:iam::222222222222:role/D\n\
[profile e]\nrole_arn = arn:aws:iam::333333333333:role/E\n";

    #[test]
    fn arrows_walk_the_listed_roles_and_enter_opens_the_active_one() {
        let shown = listed(CONFIG);
        assert_eq!(shown, ["a", "b", "c", "d", "e"]);
        let mut list = keys(0, shown.len());
        let mut actions = Vec::new();
        for key in [Key::Down, Key::Down, Key::Down, Key::Up, Key::Enter] {
            actions.push(list.key(key));
        }
        assert_eq!(
            actions,
            [
                Action::Move(0),
                Action::Move(1),
                Action::Move(2),
                Action::Move(1),
                Action::Open
            ]
        );
        assert_eq!(shown[list.active.unwrap()], "b");
    }

    #[test]
    fn moves_stop_at_the_ends_and_pages_move_by_the_viewport() {
        let mut list = keys(0, 5);
        assert_eq!(
            list.key(Key::Up),
            Action::Move(0),
            "↑ with none active: the first"
        );
        assert_eq!(
            list.key(Key::Up),
            Action::Move(0),
            "no wrapping above the first"
        );
        assert_eq!(list.key(Key::PageDown), Action::Move(3));
        assert_eq!(
            list.key(Key::PageDown),
            Action::Move(4),
            "a page stops at the last"
        );
        assert_eq!(
            list.key(Key::Down),
            Action::Move(4),
            "no wrapping below the last"
        );
        assert_eq!(list.key(Key::PageUp), Action::Move(1));
        assert_eq!(list.key(Key::End), Action::Move(4));
        assert_eq!(list.key(Key::Home), Action::Move(0));
    }

    #[test]
    fn with_nothing_listed_moves_pass_and_enter_opens_the_options() {
        let mut list = keys(0, 0);
        for key in [Key::Down, Key::Up, Key::Home, Key::End, Key::PageDown] {
            assert_eq!(list.key(key), Action::Pass, "{:?}", key);
        }
        assert_eq!(list.active, None);
        assert_eq!(list.key(Key::Enter), Action::OpenOptions);
        assert_eq!(list.key(Key::Copy), Action::Pass);
    }

    #[test]
    fn a_search_with_no_match_swallows_enter() {
        let mut list = ListKeys {
            query_empty: false,
            ..keys(0, 0)
        };
        list.nothing_listed = false;
        assert_eq!(list.key(Key::Enter), Action::Swallow);
    }

    #[test]
    fn escape_clears_the_search_first_then_closes() {
        let mut list = ListKeys {
            query_empty: false,
            ..keys(0, 5)
        };
        assert_eq!(list.key(Key::Escape), Action::ClearQuery);
        list.query_empty = true;
        assert_eq!(list.key(Key::Escape), Action::Close);
    }

    #[test]
    fn delete_and_pin_act_only_on_a_recent_option() {
        // Two "Recent" options above three "Roles" options.
        let mut list = keys(2, 5);
        assert_eq!(list.key(Key::Delete), Action::Pass, "nothing active");
        list.key(Key::Down);
        assert_eq!(list.key(Key::Delete), Action::Remove);
        assert_eq!(list.key(Key::Pin), Action::Pin);
        assert_eq!(list.key(Key::Copy), Action::Copy);
        list.key(Key::End);
        assert_eq!(list.key(Key::Delete), Action::Pass, "a Roles option");
        assert_eq!(list.key(Key::Pin), Action::Pass);
        assert_eq!(list.key(Key::Copy), Action::Copy);
        list.key(Key::Home);
        list.query_empty = false;
        assert_eq!(
            list.key(Key::Delete),
            Action::Pass,
            "Delete edits the search text"
        );
    }
}
