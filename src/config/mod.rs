//! Config files → profiles, sso-sessions and services, merged the way the AWS SDKs merge them,
//! then → role entries (see [`crate::role`]).
//!
//! Two readings of the same text live side by side:
//! - the SDK reading ([`ConfigFile::spec_profiles`]), exactly what the shared-config
//!   specification yields, used by `aws-role-switcher profiles --json`;
//! - the extension reading, which also takes bare `[NAME]` sections of a config file as
//!   profiles (the dialect of AWS Extend Switch Roles and aws-role-switch), with a note.

pub mod decode;
pub mod ini;

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::role::{self, RoleEntry};
use ini::{is_identifier, parse_ini, FileKind, Property, Section};

/// A named group of properties after merging every section of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// Line of the first header that named it.
    pub line: u32,
    pub file: FileKind,
    /// Read from a bare `[NAME]` header in a config file (extension dialect).
    pub dialect: bool,
    /// One entry per key, in first-seen order, holding the last value (last wins).
    pub properties: Vec<Property>,
}

impl Profile {
    fn new(name: &str, line: u32, file: FileKind, dialect: bool) -> Self {
        Profile {
            name: name.to_string(),
            line,
            file,
            dialect,
            properties: Vec::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(|p| p.value.as_str())
    }

    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.key == key)
    }

    /// Sets `property`, last one wins; returns the value it replaced.
    fn set(&mut self, property: Property) -> Option<Property> {
        match self.properties.iter_mut().find(|p| p.key == property.key) {
            Some(existing) => Some(std::mem::replace(existing, property)),
            None => {
                self.properties.push(property);
                None
            }
        }
    }
}

/// An ordered name → profile map (file order is display order).
#[derive(Debug, Clone, Default)]
pub struct ProfileMap {
    pub list: Vec<Profile>,
    index: HashMap<String, usize>,
}

impl ProfileMap {
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.index.get(name).map(|&i| &self.list[i])
    }

    fn entry(&mut self, name: &str, line: u32, file: FileKind, dialect: bool) -> &mut Profile {
        let index = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.list.push(Profile::new(name, line, file, dialect));
                self.index.insert(name.to_string(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        &mut self.list[index]
    }

    /// Where `name` sits in [`ProfileMap::list`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Everything read from a config file (and optionally a credentials file).
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// SDK profiles, then dialect-only profiles appended after them.
    pub profiles: ProfileMap,
    pub sso_sessions: ProfileMap,
    pub services: ProfileMap,
    pub diagnostics: Vec<Diagnostic>,
}

impl ConfigFile {
    /// The profiles the SDK specification yields (no dialect sections).
    pub fn spec_profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.list.iter().filter(|p| !p.dialect)
    }

    /// Whether the SDK specification rejects the whole file (the first such error).
    pub fn spec_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| SPEC_FATAL_CODES.contains(&d.code))
    }
}

/// Codes of the problems for which the SDK specification fails a whole file.
pub const SPEC_FATAL_CODES: &[&str] = &[
    "section-unclosed",
    "outside-profile",
    "continuation-without-property",
    "missing-equals",
    "empty-property-name",
    "sub-property-missing-equals",
    "sub-property-empty-name",
];

/// What a header names.
enum Header<'a> {
    Profile {
        name: &'a str,
        prefixed_default: bool,
    },
    Dialect(&'a str),
    SsoSession(&'a str),
    Services(&'a str),
}

fn strip_keyword<'a>(header: &'a str, keyword: &str) -> Option<&'a str> {
    let rest = header.strip_prefix(keyword)?;
    if rest.starts_with([' ', '\t']) {
        Some(rest.trim_matches([' ', '\t']))
    } else {
        None
    }
}

fn classify(header: &str, file: FileKind) -> Header<'_> {
    match file {
        FileKind::Credentials => Header::Profile {
            name: header,
            prefixed_default: false,
        },
        FileKind::Config => {
            if header == "default" {
                Header::Profile {
                    name: header,
                    prefixed_default: false,
                }
            } else if let Some(name) = strip_keyword(header, "profile") {
                Header::Profile {
                    name,
                    prefixed_default: name == "default",
                }
            } else if let Some(name) = strip_keyword(header, "sso-session") {
                Header::SsoSession(name)
            } else if let Some(name) = strip_keyword(header, "services") {
                Header::Services(name)
            } else {
                Header::Dialect(header)
            }
        }
    }
}

fn merge_properties(
    target: &mut Profile,
    section: &Section,
    file: FileKind,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for property in &section.properties {
        if !is_identifier(&property.key) {
            diagnostics.push(
                Diagnostic::warning(
                    "invalid-property-name",
                    property.line,
                    format!(
                        "`{}` is not a valid property name, so this line is ignored",
                        ini::shown(&property.key)
                    ),
                )
                .at(property.key_column, property.key.chars().count() as u32)
                .with_fix("property names use only letters, digits and - _ / . % @ : +")
                .in_profile(&target.name)
                .in_file(file.label()),
            );
            continue;
        }
        let Some(previous) = target.set(property.clone()) else {
            continue;
        };
        // A credentials value replacing a config value is how the SDKs merge the two files.
        if previous.file == file {
            diagnostics.push(
                Diagnostic::warning(
                    "duplicate-key",
                    property.line,
                    format!(
                        "`{}` is set again; this value replaces the one on line {} (the AWS CLI rejects a duplicate key instead)",
                        property.key, previous.line
                    ),
                )
                .at(property.key_column, property.key.chars().count() as u32)
                .with_fix("remove one of the two lines")
                .in_profile(&target.name)
                .in_file(file.label()),
            );
        }
    }
}

/// Merges the sections of one file into `config`.
fn read_file(config: &mut ConfigFile, text: &str, file: FileKind) {
    let ini = parse_ini(text, file);
    config.diagnostics.extend(ini.diagnostics);
    let label = file.label();

    // `[profile default]` takes precedence over `[default]` in a config file: when both exist,
    // the SDKs ignore every `[default]` section.
    let has_prefixed_default = file == FileKind::Config
        && ini.sections.iter().any(|s| {
            matches!(
                classify(&s.header, file),
                Header::Profile {
                    prefixed_default: true,
                    ..
                }
            )
        });

    let mut dialect_sections = Vec::new();
    // First line of each (kind, name) in this file: the SDKs merge a repeated section, but the
    // AWS CLI rejects the whole file, so a repeat gets a warning.
    let mut first_seen: HashMap<(&'static str, &str), u32> = HashMap::new();
    for section in &ini.sections {
        let header = classify(&section.header, file);
        let (map, name, kind) = match header {
            Header::Profile {
                name,
                prefixed_default,
            } => {
                if name == "default" && has_prefixed_default && !prefixed_default {
                    config.diagnostics.push(
                        Diagnostic::warning(
                            "default-shadowed",
                            section.line,
                            "`[default]` is ignored because `[profile default]` is also defined",
                        )
                        .with_fix("move these keys into `[profile default]`")
                        .in_profile("default")
                        .in_file(label),
                    );
                    continue;
                }
                if file == FileKind::Credentials && strip_keyword(name, "profile").is_some() {
                    config.diagnostics.push(
                        Diagnostic::warning(
                            "credentials-profile-prefix",
                            section.line,
                            format!("`[{}]` is ignored: credentials-file sections have no `profile ` prefix", name),
                        )
                        .with_fix(format!("write `[{}]`", strip_keyword(name, "profile").unwrap_or(name)))
                        .in_file(label),
                    );
                    continue;
                }
                (&mut config.profiles, name, "profile")
            }
            Header::SsoSession(name) => (&mut config.sso_sessions, name, "sso-session"),
            Header::Services(name) => (&mut config.services, name, "services"),
            Header::Dialect(name) => {
                dialect_sections.push((section, name));
                continue;
            }
        };
        if !is_identifier(name) {
            let quoted = name.len() >= 2 && name.starts_with('"') && name.ends_with('"');
            let message = if quoted {
                format!(
                    "`{}` is a quoted {} name: the AWS CLI accepts it, but the AWS SDKs ignore this section and its keys",
                    ini::shown(name),
                    kind
                )
            } else {
                format!(
                    "`{}` is not a valid {} name, so this section and its keys are ignored",
                    ini::shown(name),
                    kind
                )
            };
            config.diagnostics.push(
                Diagnostic::warning("invalid-section-name", section.line, message)
                    .with_fix(if quoted {
                        "remove the quotes (and any spaces) from the name".to_string()
                    } else {
                        "names use only letters, digits and - _ / . % @ : +".to_string()
                    })
                    .in_file(label),
            );
            continue;
        }
        if let Some(first_line) = first_seen.get(&(kind, name)) {
            config.diagnostics.push(
                Diagnostic::warning(
                    "duplicate-section",
                    section.line,
                    format!(
                        "`[{}]` appears again (first on line {}); the SDKs merge the two, but the AWS CLI rejects the file",
                        section.header, first_line
                    ),
                )
                .with_fix("move these keys into the first section")
                .in_profile(name)
                .in_file(label),
            );
        } else {
            first_seen.insert((kind, name), section.line);
        }
        let target = map.entry(name, section.line, file, false);
        merge_properties(target, section, file, &mut config.diagnostics);
    }

    // Bare `[NAME]` sections in a config file: ignored by the SDKs, but profiles in the
    // browser-extension dialect. Read after the SDK profiles so that those win a name clash.
    for (section, name) in dialect_sections {
        if !is_identifier(name) {
            let first_word = name.split([' ', '\t']).next().unwrap_or(name);
            let message = if name.contains([' ', '\t']) {
                format!(
                    "unknown section type `{}`: this section and its keys are ignored",
                    ini::shown(first_word)
                )
            } else {
                format!(
                    "`{}` is not a valid profile name, so this section and its keys are ignored",
                    ini::shown(name)
                )
            };
            config.diagnostics.push(
                Diagnostic::warning("invalid-section-name", section.line, message)
                    .with_fix(
                        "sections are `[profile NAME]`, `[sso-session NAME]` or `[services NAME]`",
                    )
                    .in_file(label),
            );
            continue;
        }
        let exists_as_sdk_profile = config.profiles.get(name).is_some_and(|p| !p.dialect);
        config.diagnostics.push(
            Diagnostic::note(
                "bare-section",
                section.line,
                if exists_as_sdk_profile {
                    format!("`[{}]` repeats `[profile {}]`; its keys are merged into it (the AWS CLI ignores this section)", name, name)
                } else {
                    format!("`[{}]` is read as a profile (browser-extension dialect); the AWS CLI would ignore it", name)
                },
            )
            .with_fix(format!("write `[profile {}]` for the AWS CLI to read it too", name))
            .in_profile(name)
            .in_file(label),
        );
        let target = config
            .profiles
            .entry(name, section.line, file, !exists_as_sdk_profile);
        merge_properties(target, section, file, &mut config.diagnostics);
    }
}

/// Reads a config file and, optionally, a credentials file, merged as the SDKs merge them
/// (credentials values win).
pub fn read_config_files(config_text: &str, credentials_text: Option<&str>) -> ConfigFile {
    let mut config = ConfigFile::default();
    read_file(&mut config, config_text, FileKind::Config);
    if let Some(credentials) = credentials_text {
        read_file(&mut config, credentials, FileKind::Credentials);
    }
    config
}

/// Like [`read_config_files`], from raw file bytes: decodes BOMs, UTF-16 and invalid UTF-8
/// (see [`decode`]) and reports what it found.
pub fn read_config_bytes(config_bytes: &[u8], credentials_bytes: Option<&[u8]>) -> ConfigFile {
    read_decoded_files(
        &decode::decode_config_bytes(config_bytes, FileKind::Config.label()),
        credentials_bytes
            .map(|b| decode::decode_config_bytes(b, FileKind::Credentials.label()))
            .as_ref(),
    )
}

/// Reads already-decoded files, keeping the decoding diagnostics first. For callers (the CLI)
/// that also need the decoded text, to show the offending lines.
pub fn read_decoded_files(
    config_text: &decode::DecodedText,
    credentials_text: Option<&decode::DecodedText>,
) -> ConfigFile {
    let mut config =
        read_config_files(&config_text.text, credentials_text.map(|c| c.text.as_str()));
    let mut diagnostics = config_text.diagnostics.clone();
    if let Some(credentials) = credentials_text {
        diagnostics.extend(credentials.diagnostics.iter().cloned());
    }
    diagnostics.append(&mut config.diagnostics);
    config.diagnostics = diagnostics;
    config
}

impl ConfigFile {
    /// The SDK reading in the shape of the SDKs' shared test suite:
    /// `{"profiles": {NAME: {key: value}}, "sso_sessions": {...}}`.
    pub fn spec_json(&self) -> serde_json::Value {
        fn properties(profile: &Profile) -> serde_json::Value {
            serde_json::Value::Object(
                profile
                    .properties
                    .iter()
                    .map(|p| (p.key.clone(), serde_json::Value::String(p.value.clone())))
                    .collect(),
            )
        }
        let profiles: serde_json::Map<String, serde_json::Value> = self
            .spec_profiles()
            .map(|p| (p.name.clone(), properties(p)))
            .collect();
        let sso_sessions: serde_json::Map<String, serde_json::Value> = self
            .sso_sessions
            .list
            .iter()
            .map(|p| (p.name.clone(), properties(p)))
            .collect();
        serde_json::json!({ "profiles": profiles, "sso_sessions": sso_sessions })
    }
}

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
    resolve(read_config_bytes(config_bytes, credentials_bytes))
}

/// Turns a read config into role entries, with every diagnostic in file order.
pub fn resolve(config: ConfigFile) -> ParsedConfig {
    let mut diagnostics = config.diagnostics.clone();
    let roles = role::resolve_entries(&config, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.file != "config", d.line, d.column));
    ParsedConfig { roles, diagnostics }
}
