//! The popup's "Recent" list: the last [`HISTORY_MAX`] switches, most recent first, each with
//! when it was last used and how often, one item per profile (two profiles naming the same
//! account and role are two items, each under its own name). Pinned favourites stay on top
//! and are never pushed out by newer switches.
//!
//! Items stored before 0.3 were one per role (partition, account, role name) under the name of
//! the last profile used: each is now that profile's item, and keeps working as it is.
//!
//! Pure data: the popup stores it as JSON with `gloo-storage` under [`HISTORY_KEY`]. Versions
//! before 0.2 kept a bare list of profile names under [`LEGACY_HISTORY_KEY`];
//! [`History::from_legacy`] turns it into items with unknown times.

use serde::{Deserialize, Serialize};

use crate::roles::color::color_for_account;
use crate::roles::entry::RoleEntry;

/// The `gloo-storage` key of the history.
pub const HISTORY_KEY: &str = "aws-role-switcher.recent";
/// Where earlier versions kept a `Vec<String>` of profile names, most recent first.
pub const LEGACY_HISTORY_KEY: &str = "aws-role-switcher.history";
/// How many items are kept (AWS's own console remembers 5).
pub const HISTORY_MAX: usize = 50;

/// One role the user switched to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub profile: String,
    /// Empty for items migrated from the legacy list, which knew only the profile.
    #[serde(default)]
    pub partition: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub role_name: String,
    /// Milliseconds since the Unix epoch of the last switch; 0 when unknown.
    #[serde(default)]
    pub last_used_ms: f64,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub pinned: bool,
}

fn one() -> u32 {
    1
}

impl HistoryItem {
    /// Whether this item is `entry`'s: the same profile, naming the same role (partition,
    /// account, role name). Two profiles naming one role have an item each.
    pub fn is_for(&self, entry: &RoleEntry) -> bool {
        self.is_for_role(
            &entry.profile,
            &entry.partition,
            &entry.account,
            &entry.role_name,
        )
    }

    /// [`is_for`](Self::is_for) given only the fields it compares.
    pub fn is_for_role(&self, profile: &str, partition: &str, account: &str, role: &str) -> bool {
        self.profile == profile
            && (self.account.is_empty() || self.names_role(partition, account, role))
    }

    /// Whether this item names the role (whatever its profile): how an item whose profile was
    /// renamed still finds its role.
    fn names_role(&self, partition: &str, account: &str, role: &str) -> bool {
        !self.account.is_empty()
            && self.partition == partition
            && self.account == account
            && self.role_name == role
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// Stored most recent first; pins are a flag, so unpinning restores an item's place.
    pub items: Vec<HistoryItem>,
}

impl History {
    pub fn from_json(text: &str) -> Result<History, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The legacy list of profile names, most recent first, as items with unknown times.
    pub fn from_legacy(profiles: Vec<String>) -> History {
        let mut history = History::default();
        for profile in profiles {
            if !history.items.iter().any(|i| i.profile == profile) {
                history.items.push(HistoryItem {
                    profile,
                    partition: String::new(),
                    account: String::new(),
                    role_name: String::new(),
                    last_used_ms: 0.0,
                    count: 1,
                    pinned: false,
                });
            }
        }
        history.truncate();
        history
    }

    /// Records a switch to `entry` at `now_ms`: its item moves to the front, counted once more.
    pub fn record(&mut self, entry: &RoleEntry, now_ms: f64) {
        let mut count = 0;
        let mut pinned = false;
        self.items.retain(|item| {
            // A legacy item (profile only) for this profile merges into the profile's item.
            let same = item.is_for(entry);
            if same {
                count += item.count;
                pinned |= item.pinned;
            }
            !same
        });
        self.items.insert(
            0,
            HistoryItem {
                profile: entry.profile.to_string(),
                partition: entry.partition.to_string(),
                account: entry.account.to_string(),
                role_name: entry.role_name.to_string(),
                last_used_ms: now_ms,
                count: count + 1,
                pinned,
            },
        );
        self.truncate();
    }

    /// Keeps every pin and the most recent others, [`HISTORY_MAX`] items in all.
    fn truncate(&mut self) {
        let pins = self.items.iter().filter(|i| i.pinned).count();
        let mut others_left = HISTORY_MAX.saturating_sub(pins);
        self.items.retain(|item| {
            if item.pinned {
                true
            } else if others_left > 0 {
                others_left -= 1;
                true
            } else {
                false
            }
        });
    }

    /// The items in display order: pins first, then the rest, each most recent first.
    pub fn ordered(&self) -> Vec<&HistoryItem> {
        let mut out: Vec<&HistoryItem> = self.items.iter().filter(|i| i.pinned).collect();
        out.extend(self.items.iter().filter(|i| !i.pinned));
        out
    }

    /// Removes the items shown for entry `index` of `entries` (its own, and one whose profile
    /// was renamed and that now stands for it, see [`History::entry_of`]), and no other
    /// profile's; returns whether there was one.
    pub fn remove(&mut self, index: usize, entries: &[RoleEntry]) -> bool {
        let before = self.items.len();
        self.items
            .retain(|item| Self::entry_of(item, entries).map(|(i, _)| i) != Some(index));
        self.items.len() != before
    }

    /// Pins or unpins the item shown for entry `index` of `entries` (the first, in display
    /// order); returns its new state (`None` without an item).
    pub fn toggle_pin(&mut self, index: usize, entries: &[RoleEntry]) -> Option<bool> {
        let shown = self
            .ordered()
            .into_iter()
            .find(|item| Self::entry_of(item, entries).map(|(i, _)| i) == Some(index))?
            .clone();
        let item = self.items.iter_mut().find(|i| **i == shown)?;
        item.pinned = !item.pinned;
        Some(item.pinned)
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The entry an item stands for: its profile if that still names the role; else, when no
    /// entry has its profile any more (the user renamed it), a profile naming the role; else
    /// none. An item never stands for another existing profile's entry.
    pub fn entry_of<'a>(
        item: &HistoryItem,
        entries: &'a [RoleEntry],
    ) -> Option<(usize, &'a RoleEntry)> {
        let mut renamed = None;
        for (i, e) in entries.iter().enumerate() {
            if e.profile == item.profile {
                return item.is_for(e).then_some((i, e));
            }
            if renamed.is_none() && item.names_role(&e.partition, &e.account, &e.role_name) {
                renamed = Some((i, e));
            }
        }
        renamed
    }
}

/// The colour of a role wherever it is shown: its `color`, else its account's stable colour,
/// so that one account always looks the same.
pub fn entry_color(entry: &RoleEntry) -> String {
    entry
        .color
        .as_deref()
        .map_or_else(|| color_for_account(&entry.account), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_config;

    fn entries() -> Vec<RoleEntry> {
        parse_config(
            "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/Admin\ncolor = ff0000\n\
             [profile b]\nrole_arn = arn:aws:iam::222222222222:role/Admin\n\
             [profile b-again]\nrole_arn = arn:aws:iam::222222222222:role/Admin\n\
             [profile c]\nrole_arn = arn:aws:iam::333333333333:role/ReadOnly\n",
        )
        .roles
    }

    fn profiles(history: &History) -> Vec<&str> {
        history
            .ordered()
            .iter()
            .map(|i| i.profile.as_str())
            .collect()
    }

    #[test]
    fn most_recent_first_one_item_per_profile_with_counts() {
        let e = entries();
        let mut h = History::default();
        h.record(&e[0], 1.0);
        h.record(&e[1], 2.0);
        h.record(&e[0], 3.0);
        h.record(&e[2], 4.0); // the same role as `b`, through another profile
        assert_eq!(profiles(&h), ["b-again", "a", "b"]);
        assert_eq!(h.items[0].count, 1);
        assert_eq!(h.items[1].count, 2);
        assert_eq!(h.items[1].last_used_ms, 3.0);
        assert_eq!(h.items[2].count, 1);
    }

    #[test]
    fn two_profiles_of_one_role_keep_their_own_items() {
        let e = entries();
        let mut h = History::default();
        h.record(&e[1], 1.0);
        h.record(&e[2], 2.0);
        // Each shows as its own entry, under its own name.
        let shown: Vec<&str> = h
            .ordered()
            .iter()
            .map(|item| History::entry_of(item, &e).unwrap().1.profile.as_str())
            .collect();
        assert_eq!(shown, ["b-again", "b"]);
        // Deleting one leaves the other's history alone.
        assert!(h.remove(2, &e));
        assert_eq!(profiles(&h), ["b"]);
        assert_eq!(h.toggle_pin(1, &e), Some(true));
        assert!(!h.remove(2, &e));
        assert_eq!(profiles(&h), ["b"]);
    }

    #[test]
    fn items_stored_one_per_role_keep_working() {
        // Before 0.3, `b` then `b-again` made one item, under the last name, counted twice.
        let stored = r#"{"items":[{"profile":"b-again","partition":"aws","account":"222222222222","role_name":"Admin","last_used_ms":2.0,"count":2,"pinned":true}]}"#;
        let e = entries();
        let mut h = History::from_json(stored).unwrap();
        assert_eq!(History::entry_of(&h.items[0], &e).unwrap().0, 2);
        // `b` gets an item of its own; the old one stays `b-again`'s, with its count and pin.
        h.record(&e[1], 3.0);
        assert_eq!(profiles(&h), ["b-again", "b"]);
        assert_eq!((h.items[1].count, h.items[1].pinned), (2, true));
        assert_eq!(History::entry_of(&h.items[0], &e).unwrap().0, 1);
        // A renamed profile's item still finds its role, and is removed with it.
        let renamed: Vec<RoleEntry> = e[2..].to_vec();
        assert_eq!(
            History::entry_of(&h.items[0], &renamed).unwrap().1.profile,
            "b-again"
        );
        assert!(h.remove(0, &renamed));
        assert!(h.items.is_empty());
    }

    #[test]
    fn keeps_the_last_fifty_and_every_pin() {
        let mut h = History::default();
        let base = entries().remove(3);
        let many: Vec<RoleEntry> = (0..60)
            .map(|i| RoleEntry {
                profile: format!("p{i}").into(),
                role_name: format!("R{i}").into(),
                ..base.clone()
            })
            .collect();
        h.record(&many[0], 0.0);
        h.toggle_pin(0, &many);
        for (i, e) in many.iter().enumerate().skip(1) {
            h.record(e, i as f64);
        }
        assert_eq!(h.items.len(), HISTORY_MAX);
        let order = profiles(&h);
        assert_eq!(order[0], "p0", "the pin stays, on top");
        assert_eq!(order[1], "p59");
        assert_eq!(*order.last().unwrap(), "p11");
    }

    #[test]
    fn pins_on_top_remove_one_clear_all() {
        let e = entries();
        let mut h = History::default();
        h.record(&e[0], 1.0);
        h.record(&e[1], 2.0);
        h.record(&e[3], 3.0);
        assert_eq!(h.toggle_pin(0, &e), Some(true));
        assert_eq!(profiles(&h), ["a", "c", "b"]);
        h.record(&e[3], 4.0);
        assert_eq!(profiles(&h), ["a", "c", "b"]);
        assert!(h.items.iter().find(|i| i.profile == "a").unwrap().pinned);
        assert_eq!(h.toggle_pin(0, &e), Some(false));
        assert_eq!(profiles(&h), ["c", "b", "a"]);
        assert!(h.remove(1, &e));
        assert!(!h.remove(1, &e));
        assert_eq!(profiles(&h), ["c", "a"]);
        h.clear();
        assert!(h.ordered().is_empty());
    }

    #[test]
    fn legacy_lists_migrate_and_merge_on_the_next_switch() {
        let e = entries();
        let mut h = History::from_legacy(vec!["c".into(), "a".into(), "c".into()]);
        assert_eq!(profiles(&h), ["c", "a"]);
        assert_eq!(History::entry_of(&h.items[1], &e).unwrap().1.profile, "a");
        h.record(&e[0], 5.0);
        assert_eq!(profiles(&h), ["a", "c"]);
        assert_eq!(h.items[0].count, 2);
        assert_eq!(h.items[0].account, "111111111111");
    }

    #[test]
    fn stored_json_round_trips_and_garbage_is_an_error() {
        let e = entries();
        let mut h = History::default();
        h.record(&e[0], 1.5);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(History::from_json(&json).unwrap(), h);
        assert!(History::from_json("[\"a\"]").is_err());
        assert!(History::from_json("{\"items\": 3}").is_err());
        let minimal = History::from_json(r#"{"items":[{"profile":"a"}]}"#).unwrap();
        assert_eq!(minimal.items[0].count, 1);
    }

    #[test]
    fn entries_map_back_even_after_a_rename_and_colours_are_stable() {
        let e = entries();
        let mut h = History::default();
        h.record(&e[1], 1.0);
        let renamed: Vec<RoleEntry> = e[2..].to_vec();
        assert_eq!(
            History::entry_of(&h.items[0], &renamed).unwrap().1.profile,
            "b-again"
        );
        assert_eq!(entry_color(&e[0]), "ff0000");
        assert_eq!(entry_color(&e[1]), color_for_account("222222222222"));
        assert_eq!(entry_color(&e[1]), entry_color(&e[2]));
    }
}
