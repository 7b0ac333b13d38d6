//! Diagnostics: what is wrong with a config, where, and how to fix it.
//!
//! Every problem the core finds becomes a [`Diagnostic`] with a stable `code` (for tests, docs and
//! people who grep), a severity, a 1-based `line:column`, and optionally a one-line fix. The
//! parser never fails; it collects these instead.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable, kebab-case identifier such as `account-id`.
    pub code: &'static str,
    pub severity: Severity,
    /// 1-based line in the file the diagnostic is about.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// How many characters the problem spans (at least 1), for carets and highlights.
    pub length: u32,
    pub message: String,
    /// A one-line suggestion, where one exists.
    pub fix: Option<String>,
    /// The profile (section name) the diagnostic belongs to, if any.
    pub profile: Option<String>,
    /// Which input the line refers to: `config` or `credentials`.
    pub file: &'static str,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            line,
            column: 1,
            length: 1,
            message: escape_control(message.into()),
            fix: None,
            profile: None,
            file: "config",
        }
    }

    pub fn error(code: &'static str, line: u32, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, line, message)
    }

    pub fn warning(code: &'static str, line: u32, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, line, message)
    }

    pub fn note(code: &'static str, line: u32, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, line, message)
    }

    pub fn at(mut self, column: u32, length: u32) -> Self {
        self.column = column.max(1);
        self.length = length.max(1);
        self
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(escape_control(fix.into()));
        self
    }

    pub fn in_profile(mut self, profile: &str) -> Self {
        self.profile = Some(profile.to_string());
        self
    }

    pub fn in_file(mut self, file: &'static str) -> Self {
        self.file = file;
        self
    }

    /// `line 3: error[account-id]: …`, the form the options page lists.
    pub fn one_line(&self) -> String {
        format!(
            "line {}: {}[{}]: {}",
            self.line,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Messages quote config text and are printed to terminals and pages: control characters
/// (ESC sequences, newlines, bidi overrides) come out escaped so they cannot rewrite either.
fn escape_control(text: String) -> String {
    let needs_escape =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(needs_escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}
