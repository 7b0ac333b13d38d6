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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Lower-cased, as the SDKs compare keys case-insensitively.
    pub key: String,
    pub value: String,
    pub line: u32,
    pub key_column: u32,
    pub value_column: u32,
    /// The file it was read from: a credentials value replacing a config one is the SDKs'
    /// merge rule, not a duplicate.
    pub file: FileKind,
    /// The inline comment cut off the value (`# note`), kept because extension keys such as
    /// `color = #ff0000` put meaning there that the SDK grammar reads as a comment.
    pub comment: Option<String>,
    /// Where that comment starts (1-based, in characters).
    pub comment_column: u32,
}

/// One `[header]` and the properties under it, before merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The text between the brackets, trimmed (`profile foo`, `default`, `sso-session x`).
    pub header: String,
    pub line: u32,
    /// Set when the header had no closing `]` (recovered as if it had one).
    pub unclosed: bool,
    pub properties: Vec<Property>,
}

#[derive(Debug, Default)]
pub struct IniFile {
    pub sections: Vec<Section>,
    pub diagnostics: Vec<Diagnostic>,
}

const WHITESPACE: &[char] = &[' ', '\t'];

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
    let line = line.trim_matches(WHITESPACE);
    // Byte-wise: `#`, `;`, space and tab are ASCII, and never part of a multi-byte character.
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(|&b| b == b'#' || b == b';') {
        let idx = from + offset;
        if !comments_need_whitespace || (idx > 0 && matches!(bytes[idx - 1], b' ' | b'\t')) {
            return (line[..idx].trim_matches(WHITESPACE), Some(&line[idx..]));
        }
        from = idx + 1;
    }
    (line, None)
}

fn column_of(line: &str, part: &str) -> u32 {
    // `part` is a subslice of `line`; columns count characters, not bytes.
    let offset = part.as_ptr() as usize - line.as_ptr() as usize;
    line[..offset.min(line.len())].chars().count() as u32 + 1
}

/// Parser state: which section and property later lines continue.
struct State {
    section: Option<usize>,
    property: Option<usize>,
    in_sub_properties: bool,
}

/// Reads `text` (a config or credentials file) into raw sections and diagnostics.
pub fn parse_ini(text: &str, file: FileKind) -> IniFile {
    let mut out = IniFile::default();
    let mut state = State {
        section: None,
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

    for (index, raw_line) in text.split('\n').enumerate() {
        let line_no = index as u32 + 1;
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
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(is_comment_start) {
            continue;
        }
        if line.starts_with('[') {
            let (content, _) = strip_comment(line, false);
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
            out.sections.push(Section {
                header: inner.trim_matches(WHITESPACE).to_string(),
                line: line_no,
                unclosed,
                properties: Vec::new(),
            });
            state = State {
                section: Some(out.sections.len() - 1),
                property: None,
                in_sub_properties: false,
            };
        } else if line.starts_with(WHITESPACE) {
            let Some(section_index) = state.section else {
                out.diagnostics.push(diag(
                    Diagnostic::error(
                        "outside-profile",
                        line_no,
                        "Expected a profile definition before this indented line",
                    )
                    .with_fix("add a `[profile NAME]` header above it, or remove the indentation"),
                ));
                continue;
            };
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
            let section = &mut out.sections[section_index];
            let trimmed = line.trim_matches(WHITESPACE);
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
                        let key = key.trim_matches(WHITESPACE);
                        let value = value.trim_matches(WHITESPACE);
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
                            let target = &mut section.properties[property_index].value;
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
                                section.properties[property_index].key
                            ),
                        )
                        .at(column_of(line, trimmed), trimmed.chars().count() as u32)
                        .with_fix("remove the indentation to make it a comment for every tool"),
                    ));
                }
                let target = &mut section.properties[property_index].value;
                target.push('\n');
                target.push_str(trimmed);
            }
        } else {
            let Some(section_index) = state.section else {
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
            };
            let (content, comment) = strip_comment(line, true);
            let Some((key_part, value_part)) = content.split_once('=') else {
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
            let key = key_part.trim_matches(WHITESPACE);
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
            let value = value_part.trim_matches(WHITESPACE);
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
            let section = &mut out.sections[section_index];
            section.properties.push(Property {
                key: key.to_ascii_lowercase(),
                value: value.to_string(),
                line: line_no,
                key_column: column_of(line, key),
                value_column,
                file,
                comment: comment.map(str::to_string),
                comment_column: comment.map_or(0, |c| column_of(line, c)),
            });
            state.property = Some(section.properties.len() - 1);
            state.in_sub_properties = value.is_empty();
        }
    }
    out
}

/// The SDKs' identifier rule for profile and property names.
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.' | '%' | '@' | ':' | '+')
        })
}
