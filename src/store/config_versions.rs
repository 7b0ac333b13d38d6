//! The last [`KEEP`] configs that were replaced, newest first, so a save can be undone and a
//! config that lost a sync race can be restored.
//!
//! Undo restores the newest version that was not itself undone, and keeps the config it
//! replaces as an `Undone` version: nothing the user saved is lost until it ages out.

use serde::{Deserialize, Serialize};

pub const KEEP: usize = 5;

/// What a stored config must read back as: its UTF-8 length and a 64-bit hash of its bytes,
/// taken 8 bytes a step (a config of megabytes is checked on every popup open). Catches a
/// config the browser's storage truncated or garbled; not a defence against tampering.
pub fn content_check(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mix = |hash: u64, word: u64| {
        let h = (hash ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 29)
    };
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        hash = mix(hash, u64::from_le_bytes(word.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = mix(
        hash,
        u64::from_le_bytes(tail) ^ (words.remainder().len() as u64) << 56,
    );
    format!("{}:{:016x}", bytes.len(), hash)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// Replaced by a save on this device.
    Saved,
    /// Replaced by "Undo last save".
    Undone,
    /// Replaced by a newer config synced from another browser.
    SyncConflict,
    /// Replaced by the config sync held when sync was turned on in this browser (adopted).
    SyncAdopted,
}

impl VersionKind {
    /// The `messages.json` key and English text of how a version was replaced, as the
    /// options page lists it.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            VersionKind::Saved => ("versionSaved", "replaced by a save"),
            VersionKind::Undone => ("versionUndone", "undone"),
            VersionKind::SyncConflict => (
                "versionSync",
                "replaced by a newer synced config from another browser",
            ),
            VersionKind::SyncAdopted => (
                "versionSyncAdopted",
                "replaced by the synced config when sync was turned on",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigVersion {
    pub text: String,
    /// When this text was replaced (milliseconds since the epoch).
    pub replaced_at: f64,
    pub kind: VersionKind,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConfigVersions {
    /// Newest first, at most [`KEEP`].
    pub versions: Vec<ConfigVersion>,
}

impl ConfigVersions {
    /// Records `previous`, the config being replaced. An empty config, or one equal to the
    /// newest version, is not recorded twice.
    pub fn record(&mut self, previous: &str, kind: VersionKind, now: f64) {
        if previous.is_empty() || self.versions.first().is_some_and(|v| v.text == previous) {
            return;
        }
        self.versions.insert(
            0,
            ConfigVersion {
                text: previous.to_string(),
                replaced_at: now,
                kind,
            },
        );
        self.versions.truncate(KEEP);
    }

    /// Whether [`undo`](Self::undo) has something to restore.
    pub fn can_undo(&self) -> bool {
        self.versions.iter().any(|v| v.kind != VersionKind::Undone)
    }

    /// Takes the newest version that was not undone and returns its text as the config to
    /// restore; `current` is kept as an `Undone` version.
    pub fn undo(&mut self, current: &str, now: f64) -> Option<String> {
        let index = self
            .versions
            .iter()
            .position(|v| v.kind != VersionKind::Undone)?;
        let restored = self.versions.remove(index);
        if !current.is_empty() && current != restored.text {
            self.versions.insert(
                0,
                ConfigVersion {
                    text: current.to_string(),
                    replaced_at: now,
                    kind: VersionKind::Undone,
                },
            );
            self.versions.truncate(KEEP);
        }
        Some(restored.text)
    }

    /// Takes version `index` out to make it the config; `current` is recorded as `Saved`.
    pub fn restore(&mut self, index: usize, current: &str, now: f64) -> Option<String> {
        if index >= self.versions.len() {
            return None;
        }
        let restored = self.versions.remove(index);
        self.record(current, VersionKind::Saved, now);
        Some(restored.text)
    }

    /// Parses the stored JSON; anything unreadable is an empty history, never a failure.
    pub fn from_json(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("versions serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_five_newest_first() {
        let mut v = ConfigVersions::default();
        for i in 0..8 {
            v.record(&format!("config {}", i), VersionKind::Saved, i as f64);
        }
        let texts: Vec<_> = v.versions.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(
            texts,
            ["config 7", "config 6", "config 5", "config 4", "config 3"]
        );
    }

    #[test]
    fn empty_and_repeated_configs_are_not_recorded() {
        let mut v = ConfigVersions::default();
        v.record("", VersionKind::Saved, 1.0);
        v.record("a", VersionKind::Saved, 2.0);
        v.record("a", VersionKind::Saved, 3.0);
        assert_eq!(v.versions.len(), 1);
    }

    #[test]
    fn undo_walks_back_and_loses_nothing() {
        // Saved A, then B, then C: history [B, A], current C.
        let mut v = ConfigVersions::default();
        v.record("A", VersionKind::Saved, 1.0);
        v.record("B", VersionKind::Saved, 2.0);
        assert_eq!(v.undo("C", 3.0).as_deref(), Some("B"));
        assert_eq!(v.undo("B", 4.0).as_deref(), Some("A"));
        assert!(!v.can_undo());
        assert_eq!(v.undo("A", 5.0), None);
        let kept: Vec<_> = v
            .versions
            .iter()
            .map(|v| (v.text.as_str(), v.kind))
            .collect();
        assert_eq!(
            kept,
            [("B", VersionKind::Undone), ("C", VersionKind::Undone)]
        );
        // An undone config can still be restored explicitly.
        assert_eq!(v.restore(1, "A", 6.0).as_deref(), Some("C"));
        assert_eq!(v.versions[0].text, "A");
    }

    #[test]
    fn content_check_tells_truncated_and_garbled_text_apart() {
        let text = "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n";
        let check = content_check(text);
        assert_eq!(check, content_check(text));
        assert!(check.starts_with(&format!("{}:", text.len())));
        assert_ne!(check, content_check(&text[..text.len() - 1]));
        assert_ne!(check, content_check(&text.replace("Admin", "Admim")));
        // The same length, one byte changed anywhere: in a word or in the tail.
        for at in [0, 7, 8, text.len() - 1] {
            let mut bytes = text.as_bytes().to_vec();
            bytes[at] ^= 1;
            let changed = String::from_utf8(bytes).expect("ASCII");
            assert_ne!(check, content_check(&changed), "byte {at}");
        }
        assert_ne!(content_check(""), content_check("\0"));
    }

    #[test]
    fn json_round_trip_and_garbage() {
        let mut v = ConfigVersions::default();
        v.record("x", VersionKind::SyncConflict, 1.5);
        assert_eq!(ConfigVersions::from_json(&v.to_json()), v);
        assert_eq!(
            ConfigVersions::from_json("not json"),
            ConfigVersions::default()
        );
    }

    #[test]
    fn version_kinds_keep_their_stored_names_and_have_labels() {
        let mut v = ConfigVersions::default();
        v.record("a", VersionKind::SyncConflict, 1.0);
        v.record("b", VersionKind::SyncAdopted, 2.0);
        let json = v.to_json();
        assert!(json.contains(r#""kind":"sync_adopted""#), "{json}");
        assert!(json.contains(r#""kind":"sync_conflict""#), "{json}");
        assert_eq!(ConfigVersions::from_json(&json), v);
        assert_eq!(
            VersionKind::SyncConflict.label().1,
            "replaced by a newer synced config from another browser"
        );
        assert_eq!(VersionKind::SyncAdopted.label().0, "versionSyncAdopted");
    }
}
