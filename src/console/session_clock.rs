//! How long the role session of a console tab has left, at most.
//!
//! AWS: "If you switch roles in the console, the session lasts at most one hour", and role
//! chaining caps a session at one hour too. The console may end it sooner (signing out, an
//! administrator revoking sessions), and the extension knows only the switches it made itself
//! (`crate::popup::history`), so this is an upper bound counted from that switch, never a promise.
//!
//! Pure: every function takes `now_ms` (milliseconds since the Unix epoch) as an argument, so
//! tests run on a fixed clock.

use crate::console::identity::SwitchedRole;
use crate::popup::history::History;
use crate::roles::entry::RoleEntry;

/// The longest a role session switched to in the console lasts.
pub const CONSOLE_SESSION_MS: f64 = 60.0 * 60_000.0;
/// Below this much time left, the popup marks the session as ending soon.
pub const LOW_MS: f64 = 10.0 * 60_000.0;

/// What is left of a console role session switched to at a known time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionTime {
    /// At most `minutes` whole minutes left (rounded down: never more than there is);
    /// `low` under [`LOW_MS`].
    Left { minutes: u32, low: bool },
    /// An hour or more since the switch: the session has ended, unless the console was switched
    /// again by other means.
    Over,
}

/// What is left at `now_ms` of a session switched to at `switched_at_ms`; `None` when the
/// switch time is unknown (0, as items migrated from old histories have). A switch time in the
/// future (another device's clock) counts as now.
pub fn time_left(switched_at_ms: f64, now_ms: f64) -> Option<SessionTime> {
    if switched_at_ms.is_nan() || switched_at_ms <= 0.0 || !now_ms.is_finite() {
        return None;
    }
    let elapsed = (now_ms - switched_at_ms).max(0.0);
    let left = CONSOLE_SESSION_MS - elapsed;
    if left <= 0.0 {
        return Some(SessionTime::Over);
    }
    Some(SessionTime::Left {
        minutes: (left / 60_000.0).floor() as u32,
        low: left < LOW_MS,
    })
}

/// What "Recent" shows for a switch at `switched_at_ms`: the time left for switches of the last
/// hour, nothing for older ones.
pub fn recent_time_left(switched_at_ms: f64, now_ms: f64) -> Option<(u32, bool)> {
    match time_left(switched_at_ms, now_ms)? {
        SessionTime::Left { minutes, low } => Some((minutes, low)),
        SessionTime::Over => None,
    }
}

/// When the extension last switched to the role a console tab shows (`role`, in `partition`),
/// from `history`: an item for that role name (its last path part, as the console shows it) in
/// that account, named by ID or by an alias that `entries` give the ID. `None` when the
/// extension did not switch to it.
pub fn last_switch_to(
    history: &History,
    partition: &str,
    role: &SwitchedRole,
    entries: &[RoleEntry],
) -> Option<f64> {
    let same_account = |account: &str| {
        role.account_id.as_deref() == Some(account)
            || role.account.eq_ignore_ascii_case(account)
            || entries.iter().any(|e| {
                e.account == account
                    && e.account_alias
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&role.account))
            })
    };
    history
        .items
        .iter()
        .filter(|i| i.partition.is_empty() || i.partition == partition)
        .filter(|i| i.role_name.rsplit('/').next() == Some(role.role.as_str()))
        .filter(|i| !i.account.is_empty() && same_account(&i.account))
        .map(|i| i.last_used_ms)
        .filter(|t| *t > 0.0)
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::popup::history::HistoryItem;

    const MIN: f64 = 60_000.0;
    const NOW: f64 = 1_800_000_000_000.0;

    #[test]
    fn time_left_counts_down_from_the_switch_and_never_rounds_up() {
        assert_eq!(
            time_left(NOW, NOW),
            Some(SessionTime::Left {
                minutes: 60,
                low: false
            })
        );
        // 47 minutes and a second ago: 12 whole minutes are left, not 13.
        assert_eq!(
            time_left(NOW - 47.0 * MIN - 1000.0, NOW),
            Some(SessionTime::Left {
                minutes: 12,
                low: false
            })
        );
        assert_eq!(
            time_left(NOW - 50.0 * MIN, NOW),
            Some(SessionTime::Left {
                minutes: 10,
                low: false
            })
        );
        assert_eq!(
            time_left(NOW - 50.0 * MIN - 1.0, NOW),
            Some(SessionTime::Left {
                minutes: 9,
                low: true
            })
        );
        assert_eq!(
            time_left(NOW - 59.9 * MIN, NOW),
            Some(SessionTime::Left {
                minutes: 0,
                low: true
            })
        );
        assert_eq!(time_left(NOW - 60.0 * MIN, NOW), Some(SessionTime::Over));
        assert_eq!(time_left(NOW - 600.0 * MIN, NOW), Some(SessionTime::Over));
        // A clock ahead of ours: counted as just now.
        assert_eq!(
            time_left(NOW + 5.0 * MIN, NOW),
            Some(SessionTime::Left {
                minutes: 60,
                low: false
            })
        );
        assert_eq!(time_left(0.0, NOW), None);
        assert_eq!(time_left(f64::NAN, NOW), None);
    }

    #[test]
    fn recent_shows_the_last_hour_only() {
        assert_eq!(recent_time_left(NOW - 5.0 * MIN, NOW), Some((55, false)));
        assert_eq!(recent_time_left(NOW - 55.5 * MIN, NOW), Some((4, true)));
        assert_eq!(recent_time_left(NOW - 61.0 * MIN, NOW), None);
        assert_eq!(recent_time_left(0.0, NOW), None);
    }

    fn item(account: &str, role: &str, at: f64) -> HistoryItem {
        HistoryItem {
            profile: "p".into(),
            partition: "aws".into(),
            account: account.into(),
            role_name: role.into(),
            last_used_ms: at,
            count: 1,
            pinned: false,
        }
    }

    #[test]
    fn the_switch_is_found_by_account_id_alias_and_role_leaf() {
        let history = History {
            items: vec![
                item("222222222222", "ops/Dev", NOW - 5.0 * MIN),
                item("222222222222", "Admin", NOW - 1.0 * MIN),
                item("333333333333", "Dev", NOW - 2.0 * MIN),
            ],
        };
        let role = |account: &str, id: Option<&str>| SwitchedRole {
            account: account.into(),
            account_id: id.map(str::to_string),
            role: "Dev".into(),
        };
        let none: &[RoleEntry] = &[];
        assert_eq!(
            last_switch_to(
                &history,
                "aws",
                &role("222222222222", Some("222222222222")),
                none
            ),
            Some(NOW - 5.0 * MIN)
        );
        assert_eq!(
            last_switch_to(
                &history,
                "aws-cn",
                &role("222222222222", Some("222222222222")),
                none
            ),
            None
        );
        // An alias with the ID from the session's ARN.
        assert_eq!(
            last_switch_to(&history, "aws", &role("prod", Some("333333333333")), none),
            Some(NOW - 2.0 * MIN)
        );
        // An alias alone: the config's `aws_account_alias` names the ID.
        let entries = crate::parse_config(
            "[profile x]\nrole_arn = arn:aws:iam::222222222222:role/Dev\naws_account_alias = prod\n",
        )
        .roles;
        assert_eq!(
            last_switch_to(&history, "aws", &role("prod", None), &entries),
            Some(NOW - 5.0 * MIN)
        );
        assert_eq!(
            last_switch_to(&history, "aws", &role("prod", None), none),
            None
        );
    }
}
