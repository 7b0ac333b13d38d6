//! The line grammar of AWS shared config and credentials files, as the AWS SDKs' shared-config
//! specification defines it (see `../shared/aws-sdk-spec/profile-parser-tests.json`).
//!
//! This layer turns text into raw [`Section`]s: headers, properties, continuations and
//! sub-properties, with line and column numbers. It does not decide what a section means; the
//! caller (`config::mod`) merges sections into profiles.
//!
//! Architecture Invariant: parsing never fails. Where the specification makes a whole file
//! fail, we record an error [`Diagnostic`] at that line and keep reading, so that one bad line
//! never hides the rest of a user's roles.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;

/// Which file a section was read from; the two name their sections differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Config,
    Credentials,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// A property as read, borrowing from the text where it can: a key is copied only when it
/// had upper-case letters, a value only when continuation lines extend it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property<'a> {
    /// Lower-cased, as the SDKs compare keys case-insensitively.
    pub key: Cow<'a, str>,
    pub value: Cow<'a, str>,
    pub line: u32,
    pub key_column: u32,
    pub value_column: u32,
    /// The file it was read from: a credentials value replacing a config one is the SDKs'
    /// merge rule, not a duplicate.
    pub file: FileKind,
    /// The inline comment cut off the value (`# note`), kept because extension keys such as
    /// `color = #ff0000` put meaning there that the SDK grammar reads as a comment.
    pub comment: Option<&'a str>,
    /// Where that comment starts (1-based, in characters).
    pub comment_column: u32,
    /// `key` interned, for lookups without string comparisons.
    pub known: Key,
}

/// The keys the role resolution reads, interned when a property is read, so that looking one
/// up in a profile compares one byte rather than strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Any other key (compared by name).
    Other,
    RoleArn,
    AwsAccountId,
    AwsAccountAlias,
    RoleName,
    TargetRoleName,
    SourceProfile,
    Region,
    TargetRegion,
    Color,
    Group,
    Image,
    SsoSession,
    SsoAccountId,
    SsoRoleName,
    SsoRegion,
    SsoStartUrl,
    ExternalId,
    DurationSeconds,
    CredentialSource,
    MfaSerial,
    RoleSessionName,
    SourceIdentity,
}

impl Key {
    /// How many there are ([`Key::Other`] included).
    pub const COUNT: usize = Key::SourceIdentity as usize + 1;

    /// The interned form of a lower-cased key.
    pub fn of(key: &str) -> Key {
        match key {
            "role_arn" => Key::RoleArn,
            "aws_account_id" => Key::AwsAccountId,
            "aws_account_alias" => Key::AwsAccountAlias,
            "role_name" => Key::RoleName,
            "target_role_name" => Key::TargetRoleName,
            "source_profile" => Key::SourceProfile,
            "region" => Key::Region,
            "target_region" => Key::TargetRegion,
            "color" => Key::Color,
            "group" => Key::Group,
            "image" => Key::Image,
            "sso_session" => Key::SsoSession,
            "sso_account_id" => Key::SsoAccountId,
            "sso_role_name" => Key::SsoRoleName,
            "sso_region" => Key::SsoRegion,
            "sso_start_url" => Key::SsoStartUrl,
            "external_id" => Key::ExternalId,
            "duration_seconds" => Key::DurationSeconds,
            "credential_source" => Key::CredentialSource,
            "mfa_serial" => Key::MfaSerial,
            "role_session_name" => Key::RoleSessionName,
            "source_identity" => Key::SourceIdentity,
            _ => Key::Other,
        }
    }
}

impl Property<'_> {
    /// Whether `self` and `other` have the same key.
    pub fn same_key(&self, other: &Property<'_>) -> bool {
        self.known == other.known && (self.known != Key::Other || self.key == other.key)
    }
}

/// One `[header]` and the properties under it, before merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// The text between the brackets, trimmed (`profile foo`, `default`, `sso-session x`).
    pub header: &'a str,
    pub line: u32,
    /// Set when the header had no closing `]` (recovered as if it had one).
    pub unclosed: bool,
    pub properties: Vec<Property<'a>>,
}

#[derive(Debug, Default)]
pub struct IniFile<'a> {
    pub sections: Vec<Section<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

const WHITESPACE: &[char] = &[' ', '\t'];

/// `text` without leading and trailing spaces and tabs (`trim_matches(WHITESPACE)`, byte-wise:
/// both are ASCII, so the cuts fall between characters).
pub(crate) fn trim_ws(text: &str) -> &str {
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let end = bytes[start..]
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |i| start + i + 1);
    &text[start..end]
}

/// Lines longer than this (in bytes) get a `long-line` warning: real settings are short, so a
/// huge line usually means a pasted binary or a file that is not a config at all.
pub const LONG_LINE: usize = 64 * 1024;

/// A value as quoted inside a message: long values are cut so that one 10 MB line does not
/// make a 10 MB message.
pub fn shown(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        let mut out: String = value.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

fn is_comment_start(c: char) -> bool {
    c == '#' || c == ';'
}

/// Trims a line and cuts off a comment. In property values a comment must follow whitespace
/// (`a;b` is a value); in headers it may touch the bracket.
fn strip_comment(line: &str, comments_need_whitespace: bool) -> (&str, Option<&str>) {
    let line = trim_ws(line);
    // Byte-wise: `#`, `;`, space and tab are ASCII, and never part of a multi-byte character.
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(|&b| b == b'#' || b == b';') {
        let idx = from + offset;
        if !comments_need_whitespace || (idx > 0 && matches!(bytes[idx - 1], b' ' | b'\t')) {
            return (trim_ws(&line[..idx]), Some(&line[idx..]));
        }
        from = idx + 1;
    }
    (line, None)
}

fn column_of(line: &str, part: &str) -> u32 {
    // `part` is a subslice of `line`; columns count characters, not bytes.
    let offset = part.as_ptr() as usize - line.as_ptr() as usize;
    let before = &line.as_bytes()[..offset.min(line.len())];
    // ASCII (the usual case): one byte, one character.
    if before.is_ascii() {
        before.len() as u32 + 1
    } else {
        line[..before.len()].chars().count() as u32 + 1
    }
}

/// `text` lower-cased (ASCII only, as the SDKs do), borrowed when it already is.
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// One line, read in one pass: where it ends (at its `\n` or the end of the text), and, as
/// a property line, where its first `=` before any comment is and where a comment starts (a
/// `#` or `;` after a space or tab).
struct LineScan {
    end: usize,
    equals: Option<usize>,
    comment: Option<usize>,
    /// The first `#` or `;`, whatever precedes it (a header's comment).
    comment_char: Option<usize>,
}

fn scan_line(bytes: &[u8], start: usize) -> LineScan {
    let mut equals = None;
    let mut comment = None;
    let mut comment_char = None;
    let mut i = start;
    loop {
        i = next_special(bytes, i);
        match bytes.get(i) {
            None | Some(b'\n') => break,
            Some(b'=') if equals.is_none() && comment.is_none() => equals = Some(i),
            Some(b'#' | b';') => {
                comment_char = comment_char.or(Some(i));
                if comment.is_none() && i > start && matches!(bytes[i - 1], b' ' | b'\t') {
                    comment = Some(i)
                }
            }
            _ => {}
        }
        i += 1;
    }
    LineScan {
        end: i,
        equals,
        comment,
        comment_char,
    }
}

/// The first byte at or after `from` that is `\n`, `=`, `#` or `;` (or `bytes.len()`),
/// eight bytes at a time: a config is mostly plain names and values.
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Non-zero when a byte of `x` is zero; its lowest set bit marks the first such byte.
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let found = zero_byte(word ^ (ONES * b'\n' as u64))
            | zero_byte(word ^ (ONES * b'=' as u64))
            | zero_byte(word ^ (ONES * b'#' as u64))
            | zero_byte(word ^ (ONES * b';' as u64));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !matches!(bytes[i], b'\n' | b'=' | b'#' | b';') {
        i += 1;
    }
    i
}

/// Parser state: which section and property later lines continue.
struct State {
    /// Whether a header has been read (the properties go into the last section).
    in_section: bool,
    property: Option<usize>,
    in_sub_properties: bool,
}

/// Reads `text` (a config or credentials file) into raw sections and diagnostics.
pub fn parse_ini(text: &str, file: FileKind) -> IniFile<'_> {
    let mut out = IniFile::default();
    let mut state = State {
        in_section: false,
        property: None,
        in_sub_properties: false,
    };
    let label = file.label();
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            out.diagnostics.push(
                Diagnostic::warning(
                    "byte-order-mark",
                    1,
                    "the file starts with a byte-order mark; it is skipped here, but the AWS CLI reads it as part of the first line and rejects the file",
                )
                .with_fix("save the file as UTF-8 without a BOM")
                .in_file(label),
            );
            rest
        }
        None => text,
    };

    let bytes = text.as_bytes();
    // The properties of the last section, moved into it at an exact size when it ends: growing
    // each section's own list would reallocate (and copy) most of them once or twice.
    let mut properties: Vec<Property<'_>> = Vec::new();
    let mut start = 0;
    let mut line_no = 0;
    // As `text.split('\n')`: a text ending in a newline has an empty last line.
    while start <= bytes.len() {
        let scan = scan_line(bytes, start);
        let raw_line = &text[start..scan.end];
        let line_start = start;
        start = scan.end + 1;
        line_no += 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let diag = |d: Diagnostic| d.in_file(label);
        if line.len() > LONG_LINE {
            out.diagnostics.push(diag(
                Diagnostic::warning(
                    "long-line",
                    line_no,
                    format!(
                        "line is {} bytes long; no AWS setting needs more than a few thousand, so this is probably not a config line",
                        line.len()
                    ),
                )
                .with_fix("check that this file is really an AWS config"),
            ));
        }
        match line.as_bytes().first() {
            None | Some(b'#' | b';') => continue,
            Some(b' ' | b'\t') if trim_ws(line).is_empty() => continue,
            _ => {}
        }
        if line.starts_with('[') {
            // As `strip_comment(line, false)`: the line starts with `[`, not whitespace.
            let content = match scan.comment_char {
                Some(at) => trim_ws(&line[..at - line_start]),
                None => trim_ws(line),
            };
            let inner = &content[1..];
            let (inner, unclosed) = match inner.strip_suffix(']') {
                Some(inner) => (inner, false),
                None => {
                    out.diagnostics.push(diag(
                        Diagnostic::error(
                            "section-unclosed",
                            line_no,
                            "Profile definition must end with ']'",
                        )
                        .at(1, content.chars().count() as u32)
                        .with_fix(format!("write `{}]`", shown(content))),
                    ));
                    (inner, true)
                }
            };
            end_section(&mut out.sections, &mut properties);
            out.sections.push(Section {
                header: trim_ws(inner),
                line: line_no,
                unclosed,
                properties: Vec::new(),
            });
            state = State {
                in_section: true,
                property: None,
                in_sub_properties: false,
            };
        } else if line.starts_with(WHITESPACE) {
            if !state.in_section {
                out.diagnostics.push(diag(
                    Diagnostic::error(
                        "outside-profile",
                        line_no,
                        "Expected a profile definition before this indented line",
                    )
                    .with_fix("add a `[profile NAME]` header above it, or remove the indentation"),
                ));
                continue;
            }
            let Some(property_index) = state.property else {
                out.diagnostics.push(diag(
                    Diagnostic::error(
                        "continuation-without-property",
                        line_no,
                        "Expected a property definition, found continuation (an indented line with no property above it)",
                    )
                    .with_fix("remove the indentation to make it a property of its own"),
                ));
                continue;
            };
            let trimmed = trim_ws(line);
            if state.in_sub_properties {
                let (content, _) = strip_comment(trimmed, true);
                match content.split_once('=') {
                    None => out.diagnostics.push(diag(
                        Diagnostic::error(
                            "sub-property-missing-equals",
                            line_no,
                            "Expected an '=' sign defining a sub-property",
                        )
                        .at(column_of(line, trimmed), trimmed.chars().count() as u32)
                        .with_fix("write it as `name = value`"),
                    )),
                    Some((key, value)) => {
                        let key = trim_ws(key);
                        let value = trim_ws(value);
                        if key.is_empty() {
                            out.diagnostics.push(diag(
                                Diagnostic::error(
                                    "sub-property-empty-name",
                                    line_no,
                                    "Sub-property did not have a name",
                                )
                                .at(column_of(line, trimmed), 1),
                            ));
                        } else {
                            let target = properties[property_index].value.to_mut();
                            target.push('\n');
                            target.push_str(key);
                            target.push_str(" =");
                            if !value.is_empty() {
                                target.push(' ');
                                target.push_str(value);
                            }
                        }
                    }
                }
            } else {
                if trimmed.starts_with(is_comment_start) {
                    out.diagnostics.push(diag(
                        Diagnostic::warning(
                            "cli-indented-comment",
                            line_no,
                            format!(
                                "this indented line continues the value of `{}` (the SDKs append it); the AWS CLI reads it as a comment",
                                properties[property_index].key
                            ),
                        )
                        .at(column_of(line, trimmed), trimmed.chars().count() as u32)
                        .with_fix("remove the indentation to make it a comment for every tool"),
                    ));
                }
                let target = properties[property_index].value.to_mut();
                target.push('\n');
                target.push_str(trimmed);
            }
        } else {
            if !state.in_section {
                out.diagnostics.push(diag(
                    Diagnostic::error(
                        "outside-profile",
                        line_no,
                        "Expected a profile definition before this property",
                    )
                    .at(1, line.chars().count() as u32)
                    .with_fix("add a `[profile NAME]` header above it"),
                ));
                continue;
            }
            // As `strip_comment(line, true)` and `split_once('=')`, from the one scan of the
            // line: it starts with neither whitespace nor a comment character.
            let (content, comment) = match scan.comment {
                Some(at) => {
                    let at = at - line_start;
                    (trim_ws(&line[..at]), Some(trim_ws(&line[at..])))
                }
                None => (trim_ws(line), None),
            };
            let split = scan.equals.map(|at| {
                let at = at - line_start;
                (&content[..at], &content[at + 1..])
            });
            let Some((key_part, value_part)) = split else {
                let message = if content.contains(':') {
                    "Expected an '=' sign defining a property (the AWS CLI also accepts `:`, but the AWS SDKs do not)"
                } else {
                    "Expected an '=' sign defining a property"
                };
                out.diagnostics.push(diag(
                    Diagnostic::error("missing-equals", line_no, message)
                        .at(1, content.chars().count() as u32)
                        .with_fix("write it as `name = value`"),
                ));
                state.property = None;
                continue;
            };
            let key = trim_ws(key_part);
            if key.is_empty() {
                out.diagnostics.push(diag(
                    Diagnostic::error(
                        "empty-property-name",
                        line_no,
                        "Property did not have a name",
                    )
                    .at(1, 1),
                ));
                state.property = None;
                continue;
            }
            let value = trim_ws(value_part);
            let value_column = if value.is_empty() {
                column_of(line, value_part)
            } else {
                column_of(line, value)
            };
            if let Some(comment) = comment {
                if !value.is_empty() {
                    out.diagnostics.push(diag(
                        Diagnostic::warning(
                            "cli-inline-comment",
                            line_no,
                            format!(
                                "`{}` is read as `{}`; the AWS CLI keeps the comment and reads `{}`",
                                shown(key),
                                shown(value),
                                shown(format!("{} {}", value, comment).trim_end())
                            ),
                        )
                        .at(column_of(line, comment), comment.chars().count() as u32)
                        .with_fix("put the comment on a line of its own"),
                    ));
                }
            }
            let key_column = column_of(line, key);
            let key = ascii_lowercase(key);
            let known = Key::of(&key);
            properties.push(Property {
                key,
                value: Cow::Borrowed(value),
                line: line_no,
                key_column,
                value_column,
                file,
                comment,
                comment_column: comment.map_or(0, |c| column_of(line, c)),
                known,
            });
            state.property = Some(properties.len() - 1);
            state.in_sub_properties = value.is_empty();
        }
    }
    end_section(&mut out.sections, &mut properties);
    out
}

/// Moves the properties read since the last header into that section, in a list of their size.
fn end_section<'a>(sections: &mut [Section<'a>], properties: &mut Vec<Property<'a>>) {
    if let Some(section) = sections.last_mut() {
        section.properties = Vec::with_capacity(properties.len());
        section.properties.append(properties);
    }
}

/// The SDKs' identifier rule for profile and property names.
pub fn is_identifier(name: &str) -> bool {
    // Byte-wise: every allowed character is ASCII, and no byte of a multi-byte character is.
    !name.is_empty() && name.bytes().all(|b| IDENTIFIER[b as usize])
}

/// The bytes of an identifier: ASCII letters, digits and `- _ / . % @ : +`.
const IDENTIFIER: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'/' | b'.' | b'%' | b'@' | b':' | b'+');
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The eight-bytes-at-a-time scan finds what a byte-by-byte one finds.
    #[test]
    fn line_scan_matches_a_plain_scan() {
        fn plain(bytes: &[u8], start: usize) -> (usize, Option<usize>, Option<usize>) {
            let (mut equals, mut comment) = (None, None);
            let mut i = start;
            while i < bytes.len() && bytes[i] != b'\n' {
                match bytes[i] {
                    b'=' if equals.is_none() && comment.is_none() => equals = Some(i),
                    b'#' | b';'
                        if comment.is_none()
                            && i > start
                            && matches!(bytes[i - 1], b' ' | b'\t') =>
                    {
                        comment = Some(i)
                    }
                    _ => {}
                }
                i += 1;
            }
            (i, equals, comment)
        }
        let alphabet: &[&str] = &[
            "a", "=", "#", ";", " ", "\t", "\n", "\r", "é", "生", "ab=c", "x ;y",
        ];
        let mut seed: u32 = 12345;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                text.push_str(alphabet[(seed >> 16) as usize % alphabet.len()]);
            }
            let bytes = text.as_bytes();
            let mut start = 0;
            while start <= bytes.len() {
                let scan = scan_line(bytes, start);
                assert_eq!(
                    (scan.end, scan.equals, scan.comment),
                    plain(bytes, start),
                    "{text:?} from {start}"
                );
                start = scan.end + 1;
            }
        }
    }
}
