//! What a browser does with its config when it meets what `chrome.storage.sync` holds: adopt
//! the synced config, push its own, keep both (the replaced one as a restorable version), wait
//! for a set still arriving, or refuse.
//!
//! Pure: `web/storage.rs` reads both sides, asks [`decide`], and performs the answer. A config
//! too big for sync is refused by [`crate::store::sync_chunks::split`] before anything is written.
//!
//! The rules, in the words of the README ("Storage, sync and undo"):
//! - Turning sync on with a config already in sync *adopts* it: the browser's own non-empty
//!   config, if different, becomes a restorable version ([`VersionKind::SyncAdopted`]).
//! - Nothing is ever pushed over a synced config that is not known to be older, and an empty
//!   config is never pushed at all: a fresh browser never wipes the others.
//! - Two browsers that saved different texts: the newest wins everywhere, and the other text is
//!   a restorable version on the browser where it was replaced ([`VersionKind::SyncConflict`]).
//! - A set still arriving (the manifest without all its chunks, or chunks without their
//!   manifest: Chrome Sync delivers items one by one) is never taken in nor written over by a
//!   read; a browser waits for it whole.

use crate::store::config_versions::VersionKind;

/// This browser's side: the config in force.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalSide<'a> {
    pub text: &'a str,
    /// When it was saved (or taken in), milliseconds since the epoch; 0 when never.
    pub saved_at: f64,
    /// The sync generation it was last written to or taken in from; `None` when it has not
    /// been in sync since sync was (last) turned on.
    pub sync_generation: Option<u64>,
}

/// What `chrome.storage.sync` holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SyncSide<'a> {
    /// No config item at all.
    Empty,
    /// Config items that are not a whole set: still arriving, or unreadable.
    Partial,
    /// A whole set, read back and checked.
    Whole {
        generation: u64,
        saved_at: f64,
        text: &'a str,
    },
}

/// Why the decision is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// The user chose *Synced across my browsers*.
    TurnOn,
    /// A page read the config in sync mode, or `storage.onChanged` said sync changed.
    Read,
    /// The user saved `LocalSide::text` (the new text) in sync mode.
    Save,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStep {
    /// Nothing to write.
    Keep,
    /// Nothing to write now, and the browser forgets its generation so that the set arriving
    /// is adopted whole (turning on while sync holds nothing yet, or half a set).
    AwaitSynced,
    /// The texts are equal: only note the synced generation.
    NoteGeneration,
    /// Take the synced config in. `keep_local_as`: the kind of version the replaced local text
    /// becomes (`None` when it is empty).
    Adopt { keep_local_as: Option<VersionKind> },
    /// Write the local config into sync (the new text, for a save).
    Push,
    /// Save the (empty) config here only: nothing is synced, so nothing to push.
    SaveLocallyOnly,
    /// An empty config would replace a synced one (or one arriving): refused.
    RefuseEmpty,
}

/// What a browser does with `local` and `sync` on `occasion`.
pub fn decide(occasion: Occasion, local: LocalSide<'_>, sync: SyncSide<'_>) -> SyncStep {
    let local_empty = local.text.trim().is_empty();
    match occasion {
        Occasion::Save => match sync {
            _ if !local_empty => SyncStep::Push,
            SyncSide::Partial => SyncStep::RefuseEmpty,
            SyncSide::Whole { text, .. } if !text.trim().is_empty() => SyncStep::RefuseEmpty,
            _ => SyncStep::SaveLocallyOnly,
        },
        Occasion::TurnOn => match sync {
            SyncSide::Empty if !local_empty => SyncStep::Push,
            SyncSide::Empty | SyncSide::Partial => SyncStep::AwaitSynced,
            // An empty synced config (written by versions before this rule) is no config.
            SyncSide::Whole { text, .. } if text.trim().is_empty() => {
                if local_empty {
                    SyncStep::AwaitSynced
                } else {
                    SyncStep::Push
                }
            }
            SyncSide::Whole { text, .. } if text == local.text => SyncStep::NoteGeneration,
            SyncSide::Whole { .. } => SyncStep::Adopt {
                keep_local_as: (!local_empty).then_some(VersionKind::SyncAdopted),
            },
        },
        Occasion::Read => match sync {
            SyncSide::Empty | SyncSide::Partial => SyncStep::Keep,
            SyncSide::Whole { generation, .. } if Some(generation) == local.sync_generation => {
                SyncStep::Keep
            }
            SyncSide::Whole { text, .. } if text.trim().is_empty() => {
                if local_empty {
                    SyncStep::Keep
                } else {
                    SyncStep::Push
                }
            }
            SyncSide::Whole { text, .. } if text == local.text => SyncStep::NoteGeneration,
            SyncSide::Whole { .. } if local_empty => SyncStep::Adopt {
                keep_local_as: None,
            },
            // Turned on while the set was still arriving: it is adopted, as at turning on.
            SyncSide::Whole { .. } if local.sync_generation.is_none() => SyncStep::Adopt {
                keep_local_as: Some(VersionKind::SyncAdopted),
            },
            SyncSide::Whole { saved_at, .. } if saved_at >= local.saved_at => SyncStep::Adopt {
                keep_local_as: Some(VersionKind::SyncConflict),
            },
            // This browser saved later: its config wins; the other browser keeps its own as a
            // version when this one reaches it.
            SyncSide::Whole { .. } => SyncStep::Push,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Occasion::*;
    use SyncStep::*;

    const MINE: &str = "[profile mine]\nrole_arn = arn:aws:iam::111111111111:role/Mine\n";
    const THEIRS: &str = "[profile theirs]\nrole_arn = arn:aws:iam::222222222222:role/Theirs\n";

    fn local(text: &str, saved_at: f64, generation: Option<u64>) -> LocalSide<'_> {
        LocalSide {
            text,
            saved_at,
            sync_generation: generation,
        }
    }

    fn whole(text: &str, saved_at: f64) -> SyncSide<'_> {
        SyncSide::Whole {
            generation: saved_at as u64,
            saved_at,
            text,
        }
    }

    const ADOPT_KEEPING_MINE: SyncStep = Adopt {
        keep_local_as: Some(VersionKind::SyncAdopted),
    };
    const ADOPT_NOTHING_TO_KEEP: SyncStep = Adopt {
        keep_local_as: None,
    };
    const ADOPT_NEWER: SyncStep = Adopt {
        keep_local_as: Some(VersionKind::SyncConflict),
    };

    /// Every case of turning sync on: local empty / non-empty × sync empty / partial / whole
    /// (empty text, equal text, another text older or newer than the local one).
    #[test]
    fn turning_sync_on_adopts_what_sync_holds_and_never_pushes_nothing() {
        let cases = [
            // The defect: a fresh browser (nothing saved) meets another's config.
            (
                local("", 0.0, None),
                whole(THEIRS, 10.0),
                ADOPT_NOTHING_TO_KEEP,
            ),
            (
                local("", 0.0, None),
                whole(THEIRS, 10.0),
                ADOPT_NOTHING_TO_KEEP,
            ),
            (
                local("  \n", 50.0, None),
                whole(THEIRS, 10.0),
                ADOPT_NOTHING_TO_KEEP,
            ),
            (local("", 0.0, None), SyncSide::Empty, AwaitSynced),
            (local("", 0.0, None), SyncSide::Partial, AwaitSynced),
            (local("", 0.0, None), whole("", 10.0), AwaitSynced),
            // A config of its own: adopted over whatever its age, kept as a version.
            (
                local(MINE, 5.0, None),
                whole(THEIRS, 10.0),
                ADOPT_KEEPING_MINE,
            ),
            (
                local(MINE, 50.0, None),
                whole(THEIRS, 10.0),
                ADOPT_KEEPING_MINE,
            ),
            (
                local(MINE, 50.0, Some(3)),
                whole(THEIRS, 10.0),
                ADOPT_KEEPING_MINE,
            ),
            (local(MINE, 5.0, None), whole(MINE, 10.0), NoteGeneration),
            (local(MINE, 5.0, None), SyncSide::Empty, Push),
            // Half a set: pushing would write over a config on its way; wait for it.
            (local(MINE, 5.0, None), SyncSide::Partial, AwaitSynced),
            (local(MINE, 5.0, None), whole("", 10.0), Push),
        ];
        for (i, (local, sync, expected)) in cases.into_iter().enumerate() {
            assert_eq!(decide(TurnOn, local, sync), expected, "case {i}");
        }
    }

    #[test]
    fn a_read_takes_in_newer_configs_pushes_newer_own_ones_and_waits_for_half_sets() {
        let cases = [
            // Nothing synced, or half a set: keep what is here, write nothing.
            (local("", 0.0, None), SyncSide::Empty, Keep),
            (local(MINE, 5.0, Some(5)), SyncSide::Empty, Keep),
            (local("", 0.0, None), SyncSide::Partial, Keep),
            (local(MINE, 5.0, Some(5)), SyncSide::Partial, Keep),
            (local(MINE, 50.0, Some(5)), SyncSide::Partial, Keep),
            // The generation this browser has: nothing new.
            (local(MINE, 10.0, Some(10)), whole(THEIRS, 10.0), Keep),
            // The same text from elsewhere: note its generation only.
            (local(MINE, 5.0, Some(5)), whole(MINE, 10.0), NoteGeneration),
            // Empty here: whatever its age, the synced config is taken in.
            (
                local("", 0.0, None),
                whole(THEIRS, 10.0),
                ADOPT_NOTHING_TO_KEEP,
            ),
            (
                local("", 99.0, Some(1)),
                whole(THEIRS, 10.0),
                ADOPT_NOTHING_TO_KEEP,
            ),
            // Turned on while the set was arriving: adopted as at turning on.
            (
                local(MINE, 50.0, None),
                whole(THEIRS, 10.0),
                ADOPT_KEEPING_MINE,
            ),
            // Newer synced config: it wins, mine is kept, named as replaced by another browser.
            (local(MINE, 5.0, Some(5)), whole(THEIRS, 10.0), ADOPT_NEWER),
            (local(MINE, 10.0, Some(5)), whole(THEIRS, 10.0), ADOPT_NEWER),
            // Mine is newer (saved while the other was not yet here): mine goes to sync.
            (local(MINE, 50.0, Some(5)), whole(THEIRS, 10.0), Push),
            // An empty synced config (older versions wrote one) never replaces a config.
            (local(MINE, 5.0, Some(5)), whole("", 10.0), Push),
            (local("", 0.0, None), whole("", 10.0), Keep),
        ];
        for (i, (local, sync, expected)) in cases.into_iter().enumerate() {
            assert_eq!(decide(Read, local, sync), expected, "case {i}");
        }
    }

    #[test]
    fn a_save_pushes_any_config_but_an_empty_one_over_a_synced_one() {
        let cases = [
            (local(MINE, 50.0, Some(5)), SyncSide::Empty, Push),
            (local(MINE, 50.0, Some(5)), SyncSide::Partial, Push),
            (local(MINE, 50.0, Some(5)), whole(THEIRS, 10.0), Push),
            (local(MINE, 50.0, Some(5)), whole(THEIRS, 99.0), Push),
            (local("", 50.0, Some(5)), whole(THEIRS, 10.0), RefuseEmpty),
            (local("", 50.0, None), SyncSide::Partial, RefuseEmpty),
            (local("\n", 50.0, None), SyncSide::Empty, SaveLocallyOnly),
            (local("", 50.0, None), whole("", 10.0), SaveLocallyOnly),
        ];
        for (i, (local, sync, expected)) in cases.into_iter().enumerate() {
            assert_eq!(decide(Save, local, sync), expected, "case {i}");
        }
    }

    /// Two browsers that both saved before syncing end with the same config, the newest, and
    /// the other text kept where it was replaced.
    #[test]
    fn two_browsers_converge_on_the_newest() {
        // A saved at 10, B at 20; A's set reaches B first.
        let b_meets_a = decide(Read, local(THEIRS, 20.0, Some(20)), whole(MINE, 10.0));
        assert_eq!(b_meets_a, Push, "B's newer config goes to sync");
        let a_meets_b = decide(Read, local(MINE, 10.0, Some(10)), whole(THEIRS, 20.0));
        assert_eq!(a_meets_b, ADOPT_NEWER, "A takes B's, keeping its own");
        // Then A has B's text and generation: nothing more happens on either side.
        assert_eq!(
            decide(Read, local(THEIRS, 20.0, Some(20)), whole(THEIRS, 20.0)),
            Keep
        );
    }
}
