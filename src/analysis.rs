//! The crate's front door: config text or bytes in, role entries and diagnostics out
//! ([`parse_config`] and its kin, [`check_config`] for the options page). It sits above both
//! the config reader ([`crate::config`]) and the role entries ([`crate::roles::entry`]), which need
//! nothing from here.

use serde::Serialize;

use crate::config::ini::FileKind;
use crate::config::{decode, read_config_files, read_decoded_files, sort_diagnostics, ConfigFile};
use crate::diagnostic::Diagnostic;
use crate::roles::entry::{self, RoleEntry};

/// The result of reading a config: role entries and every diagnostic, never an error.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParsedConfig {
    pub roles: Vec<RoleEntry>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses config text into role entries plus diagnostics. Never fails.
pub fn parse_config(text: &str) -> ParsedConfig {
    parse_config_files(text, None)
}

/// Like [`parse_config`], with a credentials file merged in.
pub fn parse_config_files(config_text: &str, credentials_text: Option<&str>) -> ParsedConfig {
    resolve(read_config_files(config_text, credentials_text))
}

/// Parses the raw bytes of a config file: a BOM, UTF-16, invalid UTF-8 or NUL bytes get a
/// diagnostic with their line, and everything readable is still read. Never fails.
pub fn parse_config_bytes(bytes: &[u8]) -> ParsedConfig {
    parse_config_files_bytes(bytes, None)
}

/// Like [`parse_config_bytes`], with a credentials file merged in.
pub fn parse_config_files_bytes(
    config_bytes: &[u8],
    credentials_bytes: Option<&[u8]>,
) -> ParsedConfig {
    let config_text = decode::decode_config_bytes(config_bytes, FileKind::Config.label());
    let credentials_text =
        credentials_bytes.map(|b| decode::decode_config_bytes(b, FileKind::Credentials.label()));
    resolve(read_decoded_files(&config_text, credentials_text.as_ref()))
}

/// An entry that cannot be switched to, as the options page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSwitchable {
    pub profile: String,
    pub line: u32,
    pub reason: String,
    pub reason_code: Option<&'static str>,
}

/// What the options page shows of a config while it is edited: how many entries Save would
/// produce, every diagnostic, and the entries that cannot be switched to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigCheck {
    pub roles: usize,
    /// In file order, as [`parse_config`] gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// The first of them (at most the `keep` asked for), in file order.
    pub not_switchable: Vec<NotSwitchable>,
    pub not_switchable_count: usize,
}

/// [`parse_config`]'s counts and diagnostics, keeping at most `keep` not-switchable entries,
/// without copying entries or writing their links: at 50,000 roles that is most of the work,
/// and the options page checks the config at every pause in typing.
pub fn check_config(text: &str, keep: usize) -> ConfigCheck {
    let mut config = read_config_files(text, None);
    let mut check = ConfigCheck {
        diagnostics: std::mem::take(&mut config.diagnostics),
        ..ConfigCheck::default()
    };
    let mut not_switchable = Vec::new();
    entry::for_each_entry(&config, &mut check.diagnostics, &mut |entry| {
        check.roles += 1;
        if let Some(reason) = entry.reason {
            check.not_switchable_count += 1;
            if not_switchable.len() < keep {
                not_switchable.push(NotSwitchable {
                    profile: entry.profile.to_string(),
                    line: entry.line,
                    reason,
                    reason_code: entry.reason_code,
                });
            }
        }
    });
    check.not_switchable = not_switchable;
    sort_diagnostics(&mut check.diagnostics);
    check
}

/// Turns a read config into role entries, with every diagnostic in file order.
pub fn resolve(mut config: ConfigFile<'_>) -> ParsedConfig {
    let mut diagnostics = std::mem::take(&mut config.diagnostics);
    let roles = entry::resolve_entries(&config, &mut diagnostics);
    sort_diagnostics(&mut diagnostics);
    ParsedConfig { roles, diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check_config` counts, lists and reports what `parse_config` does.
    #[test]
    fn check_config_agrees_with_parse_config_on_the_test_configs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut checked, mut with_unswitchable) = (0, 0);
        for dir in ["tests/data", "tests/data/real-configs", "tests/hostile"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let parsed = parse_config(&text);
                let unswitchable: Vec<_> = parsed
                    .roles
                    .iter()
                    .filter(|r| !r.switchable)
                    .map(|r| NotSwitchable {
                        profile: r.profile.to_string(),
                        line: r.line,
                        reason: r.reason.clone().expect("a reason"),
                        reason_code: r.reason_code,
                    })
                    .collect();
                for keep in [0, 1, usize::MAX] {
                    let check = check_config(&text, keep);
                    let shown = unswitchable.len().min(keep);
                    assert_eq!(check.roles, parsed.roles.len(), "{}", path.display());
                    assert_eq!(check.diagnostics, parsed.diagnostics, "{}", path.display());
                    assert_eq!(check.not_switchable_count, unswitchable.len());
                    assert_eq!(
                        check.not_switchable,
                        unswitchable[..shown],
                        "{}",
                        path.display()
                    );
                }
                checked += 1;
                with_unswitchable += usize::from(!unswitchable.is_empty());
            }
        }
        assert!(
            checked > 10 && with_unswitchable > 3,
            "{checked} configs, {with_unswitchable}"
        );
    }
}
