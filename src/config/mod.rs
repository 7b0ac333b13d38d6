//! Config files → profiles, sso-sessions and services, merged the way the AWS SDKs merge them,
//! read into the profiles the role entries ([`crate::roles::entry`]) are made from.
//!
//! Two readings of the same text live side by side:
//! - the SDK reading ([`ConfigFile::spec_profiles`]), exactly what the shared-config
//!   specification yields, used by `aws-role-switcher profiles --json`;
//! - the extension reading, which also takes bare `[NAME]` sections of a config file as
//!   profiles (the dialect of AWS Extend Switch Roles and aws-role-switch), with a note.

pub mod decode;
pub mod ini;
pub mod json;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::diagnostic::Diagnostic;
use ini::{is_identifier, parse_ini, FileKind, Key, Property};

/// A named group of properties after merging every section of that name. Names and values
/// borrow from the text they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile<'a> {
    pub name: &'a str,
    /// Line of the first header that named it.
    pub line: u32,
    pub file: FileKind,
    /// Read from a bare `[NAME]` header in a config file (extension dialect).
    pub dialect: bool,
    /// One entry per key, in first-seen order, holding the last value (last wins).
    pub properties: Vec<Property<'a>>,
    /// Line of the first `[…]` section of this name in the config and the credentials file
    /// (0: none yet), for the `duplicate-section` warning.
    first_section_line: [u32; 2],
}

impl<'a> Profile<'a> {
    fn new(name: &'a str, line: u32, file: FileKind, dialect: bool) -> Self {
        Profile {
            name,
            line,
            file,
            dialect,
            properties: Vec::new(),
            first_section_line: [0; 2],
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(|p| &*p.value)
    }

    pub fn property(&self, key: &str) -> Option<&Property<'a>> {
        match Key::of(key) {
            Key::Other => self.properties.iter().find(|p| p.key == key),
            known => self.prop(known),
        }
    }

    /// The property of an interned key (not [`Key::Other`]).
    pub fn prop(&self, key: Key) -> Option<&Property<'a>> {
        self.properties.iter().find(|p| p.known == key)
    }

    /// The value of an interned key (not [`Key::Other`]).
    pub fn value(&self, key: Key) -> Option<&str> {
        self.prop(key).map(|p| &*p.value)
    }

    /// Sets `property`, last one wins; returns the value it replaced.
    fn set(&mut self, property: Property<'a>) -> Option<Property<'a>> {
        match self.properties.iter_mut().find(|p| p.same_key(&property)) {
            Some(existing) => Some(std::mem::replace(existing, property)),
            None => {
                self.properties.push(property);
                None
            }
        }
    }
}

/// FxHash (the hasher of rustc): profile names are short and the config is the user's own, so
/// a fast hash beats SipHash's protection against crafted collisions here.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(byte as u64);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// An ordered name → profile map (file order is display order).
#[derive(Debug, Clone, Default)]
pub struct ProfileMap<'a> {
    pub list: Vec<Profile<'a>>,
    index: HashMap<&'a str, usize, FxBuildHasher>,
}

impl<'a> ProfileMap<'a> {
    pub fn get(&self, name: &str) -> Option<&Profile<'a>> {
        self.index.get(name).map(|&i| &self.list[i])
    }

    fn entry(
        &mut self,
        name: &'a str,
        line: u32,
        file: FileKind,
        dialect: bool,
    ) -> &mut Profile<'a> {
        let next = self.list.len();
        let index = *self.index.entry(name).or_insert(next);
        if index == next {
            self.list.push(Profile::new(name, line, file, dialect));
        }
        &mut self.list[index]
    }

    fn reserve(&mut self, additional: usize) {
        self.list.reserve(additional);
        self.index.reserve(additional);
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
pub struct ConfigFile<'a> {
    /// SDK profiles, then dialect-only profiles appended after them.
    pub profiles: ProfileMap<'a>,
    pub sso_sessions: ProfileMap<'a>,
    pub services: ProfileMap<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> ConfigFile<'a> {
    /// The profiles the SDK specification yields (no dialect sections).
    pub fn spec_profiles(&self) -> impl Iterator<Item = &Profile<'a>> {
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
    if matches!(rest.as_bytes().first(), Some(b' ' | b'\t')) {
        Some(ini::trim_ws(rest))
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

fn merge_properties<'a>(
    target: &mut Profile<'a>,
    properties: Vec<Property<'a>>,
    file: FileKind,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // The usual case: a profile's first section, valid names, no key twice. It becomes the
    // profile's property list as it is.
    if target.properties.is_empty()
        && properties
            .iter()
            .enumerate()
            .all(|(i, p)| is_identifier(&p.key) && !properties[..i].iter().any(|q| q.same_key(p)))
    {
        target.properties = properties;
        return;
    }
    for property in properties {
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
                .in_profile(target.name)
                .in_file(file.label()),
            );
            continue;
        }
        let (line, key_column) = (property.line, property.key_column);
        let Some(previous) = target.set(property) else {
            continue;
        };
        // A credentials value replacing a config value is how the SDKs merge the two files.
        if previous.file == file {
            // `set` kept the key of the first (equal) spelling; it is the same text.
            diagnostics.push(
                Diagnostic::warning(
                    "duplicate-key",
                    line,
                    format!(
                        "`{}` is set again; this value replaces the one on line {} (the AWS CLI rejects a duplicate key instead)",
                        previous.key, previous.line
                    ),
                )
                .at(key_column, previous.key.chars().count() as u32)
                .with_fix("remove one of the two lines")
                .in_profile(target.name)
                .in_file(file.label()),
            );
        }
    }
}

/// Merges the sections of one file into `config`.
fn read_file<'a>(config: &mut ConfigFile<'a>, text: &'a str, file: FileKind) {
    let ini = parse_ini(text, file);
    config.diagnostics.extend(ini.diagnostics);
    let label = file.label();

    // `[profile default]` takes precedence over `[default]` in a config file: when both exist,
    // the SDKs ignore every `[default]` section.
    let has_prefixed_default = file == FileKind::Config
        && ini.sections.iter().any(|s| {
            // Only a header ending in `default` can be `[profile default]`.
            s.header.ends_with("default")
                && matches!(
                    classify(s.header, file),
                    Header::Profile {
                        prefixed_default: true,
                        ..
                    }
                )
        });

    // At most one profile per section: no growing (and rehashing) on the way.
    config.profiles.reserve(ini.sections.len());
    let mut dialect_sections = Vec::new();
    for section in ini.sections {
        let header = classify(section.header, file);
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
        let target = map.entry(name, section.line, file, false);
        // The first line of this name in this file: the SDKs merge a repeated section, but the
        // AWS CLI rejects the whole file, so a repeat gets a warning.
        let first_line = &mut target.first_section_line[file as usize];
        if *first_line != 0 {
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
            *first_line = section.line;
        }
        merge_properties(target, section.properties, file, &mut config.diagnostics);
    }

    // Bare `[NAME]` sections in a config file: ignored by the SDKs, but profiles in the
    // browser-extension dialect. Read after the SDK profiles so that those win a name clash.
    let mut dialect_profiles: Vec<(&str, u32)> = Vec::new();
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
        if exists_as_sdk_profile {
            config.diagnostics.push(
                Diagnostic::note(
                    "bare-section",
                    section.line,
                    format!("`[{}]` repeats `[profile {}]`; its keys are merged into it (the AWS CLI ignores this section)", name, name),
                )
                .with_fix(format!("write `[profile {}]` for the AWS CLI to read it too", name))
                .in_profile(name)
                .in_file(label),
            );
        } else {
            dialect_profiles.push((name, section.line));
        }
        let target = config
            .profiles
            .entry(name, section.line, file, !exists_as_sdk_profile);
        merge_properties(target, section.properties, file, &mut config.diagnostics);
    }
    if let Some(note) = dialect_note(&dialect_profiles) {
        config.diagnostics.push(note.in_file(label));
    }
}

/// How many section lines a dialect note lists before it only counts the rest.
const DIALECT_LINES_LISTED: usize = 100;

/// One note for all the bare `[NAME]` sections read as profiles: a config written for AWS
/// Extend Switch Roles has dozens, and one note per section would bury every other diagnostic.
fn dialect_note(sections: &[(&str, u32)]) -> Option<Diagnostic> {
    let &[(first_name, first_line), ..] = sections else {
        return None;
    };
    if let [_] = sections {
        return Some(
            Diagnostic::note(
                "bare-section",
                first_line,
                format!("`[{}]` is read as a profile (browser-extension dialect); the AWS CLI would ignore it", first_name),
            )
            .with_fix(format!("write `[profile {}]` for the AWS CLI to read it too", first_name))
            .in_profile(first_name),
        );
    }
    let mut lines = sections
        .iter()
        .take(DIALECT_LINES_LISTED)
        .map(|(_, line)| line.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if sections.len() > DIALECT_LINES_LISTED {
        lines.push_str(&format!(
            " and {} more",
            sections.len() - DIALECT_LINES_LISTED
        ));
    }
    Some(
        Diagnostic::note(
            "bare-section",
            first_line,
            format!(
                "{} sections use the browser-extension dialect `[NAME]`: they are read as profiles here, and the AWS CLI ignores them (lines {})",
                sections.len(),
                lines
            ),
        )
        .with_fix("write `[profile NAME]` for the AWS CLI to read them too"),
    )
}

/// Reads a config file and, optionally, a credentials file, merged as the SDKs merge them
/// (credentials values win).
pub fn read_config_files<'a>(
    config_text: &'a str,
    credentials_text: Option<&'a str>,
) -> ConfigFile<'a> {
    let mut config = ConfigFile::default();
    read_file(&mut config, config_text, FileKind::Config);
    if let Some(credentials) = credentials_text {
        read_file(&mut config, credentials, FileKind::Credentials);
    }
    config
}

/// Reads already-decoded files (see [`decode`]), keeping the decoding diagnostics first. For
/// callers (the CLI) that also need the decoded text, to show the offending lines.
pub fn read_decoded_files<'a>(
    config_text: &'a decode::DecodedText,
    credentials_text: Option<&'a decode::DecodedText>,
) -> ConfigFile<'a> {
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

impl ConfigFile<'_> {
    /// The SDK reading in the shape of the SDKs' shared test suite:
    /// `{"profiles": {NAME: {key: value}}, "sso_sessions": {...}}`.
    pub fn spec_json(&self) -> serde_json::Value {
        fn properties(profile: &Profile) -> serde_json::Value {
            serde_json::Value::Object(
                profile
                    .properties
                    .iter()
                    .map(|p| {
                        (
                            p.key.to_string(),
                            serde_json::Value::String(p.value.to_string()),
                        )
                    })
                    .collect(),
            )
        }
        let profiles: serde_json::Map<String, serde_json::Value> = self
            .spec_profiles()
            .map(|p| (p.name.to_string(), properties(p)))
            .collect();
        let sso_sessions: serde_json::Map<String, serde_json::Value> = self
            .sso_sessions
            .list
            .iter()
            .map(|p| (p.name.to_string(), properties(p)))
            .collect();
        serde_json::json!({ "profiles": profiles, "sso_sessions": sso_sessions })
    }
}

/// File order: the config's diagnostics, then the credentials file's, each by line and
/// column (stable: diagnostics at one place keep the order they were found in).
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.file != "config", d.line, d.column));
}
