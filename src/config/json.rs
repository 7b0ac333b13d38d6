//! [`parse_config`](crate::parse_config)'s result as one JSON text, written straight from the
//! entries as they are resolved (no `RoleEntry` copies, no serializer in between).
//!
//! This is what `parseConfig` in the WASM hands to JavaScript: one string and one
//! `JSON.parse`, instead of a boundary crossing per field. The fields and their names are those
//! of [`RoleEntry`](crate::roles::entry::RoleEntry) and [`Diagnostic`] as serde writes them, except
//! that a role's fields after `line` (`image`, `sso_start_url`, `account_alias`,
//! `source_root`, `source_chain_length`, `credential_source`, `mfa_serial`, `external_id`,
//! `role_session_name`, `source_identity`, `duration_seconds`, `sso_session`, `reason_code`) are left out when unset (null, or
//! a chain length of 0): `JSON.parse` pays for every property of 50,000 objects, and most
//! profiles set none of these. A test checks the two against each other on every config in
//! `tests/data/` and `tests/hostile/`.

use crate::diagnostic::Diagnostic;
use crate::roles::entry::{for_each_entry, EntryKind, EntryRef};

use super::{read_config_files, sort_diagnostics};

/// The role fields written only when set (not null, and a chain length above 0).
pub const OMITTED_WHEN_UNSET: [&str; 13] = [
    "image",
    "sso_start_url",
    "account_alias",
    "source_root",
    "source_chain_length",
    "credential_source",
    "mfa_serial",
    "external_id",
    "role_session_name",
    "source_identity",
    "duration_seconds",
    "sso_session",
    "reason_code",
];

/// `{"roles":[...],"diagnostics":[...]}` for `text`: the JSON of
/// [`parse_config`](crate::parse_config)`(text)`.
pub fn parse_config_json(text: &str) -> String {
    let mut config = read_config_files(text, None);
    let mut diagnostics = std::mem::take(&mut config.diagnostics);
    // A role is about 550 bytes of JSON (a long URL each): reserved at once rather than
    // grown (and copied) on the way.
    let mut out = String::with_capacity(config.profiles.len() * 640 + 256);
    let mut scratch = String::new();
    out.push_str("{\"roles\":[");
    let mut first = true;
    for_each_entry(&config, &mut diagnostics, &mut |entry| {
        if !first {
            out.push(',');
        }
        first = false;
        write_entry(&mut out, &entry, &mut scratch);
    });
    out.push_str("],\"diagnostics\":[");
    sort_diagnostics(&mut diagnostics);
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_diagnostic(&mut out, d);
    }
    out.push_str("]}");
    out
}

fn write_entry(out: &mut String, e: &EntryRef<'_>, url: &mut String) {
    // Profile names are identifiers (`is_identifier`), so they never need escaping; neither
    // do the partition, kind, colour and base profile (another profile's name).
    out.push_str("{\"profile\":\"");
    out.push_str(e.profile);
    out.push_str(match e.kind {
        EntryKind::Role => "\",\"kind\":\"role\",\"account\":",
        EntryKind::Sso => "\",\"kind\":\"sso\",\"account\":",
    });
    string(out, e.account);
    out.push_str(",\"role_name\":");
    string(out, e.role_name);
    out.push_str(",\"partition\":\"");
    out.push_str(e.partition.id());
    out.push_str("\",\"region\":");
    opt_string(out, e.region);
    match &e.color {
        Some(color) => {
            out.push_str(",\"color\":\"");
            out.push_str(color);
            out.push_str("\",\"group\":");
        }
        None => out.push_str(",\"color\":null,\"group\":"),
    }
    opt_string(out, e.group);
    match e.base_profile {
        Some(base) => {
            out.push_str(",\"base_profile\":\"");
            out.push_str(base);
            out.push('"');
        }
        None => out.push_str(",\"base_profile\":null"),
    }
    match &e.reason {
        None => {
            out.push_str(",\"switchable\":true,\"reason\":null,\"url\":");
            match e.kind {
                // A console switch link is percent-encoded ASCII: written in place.
                EntryKind::Role => {
                    out.push('"');
                    if e.write_url(out) {
                        out.push('"');
                    } else {
                        out.pop();
                        out.push_str("null");
                    }
                }
                // A portal link holds the user's `sso_start_url` as written.
                EntryKind::Sso => {
                    url.clear();
                    if e.write_url(url) {
                        string(out, url);
                    } else {
                        out.push_str("null");
                    }
                }
            }
        }
        Some(reason) => {
            out.push_str(",\"switchable\":false,\"reason\":");
            string(out, reason);
            out.push_str(",\"url\":null");
        }
    }
    out.push_str(",\"line\":");
    number(out, e.line);
    // The rest only when set (most profiles have none of them): each object is built by
    // `JSON.parse`, and every property costs there.
    let optional = [
        ("image", e.image),
        ("sso_start_url", e.sso_start_url),
        ("account_alias", e.account_alias),
        ("source_root", e.source_root),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            key(out, name);
            string(out, value);
        }
    }
    if e.source_chain_length > 0 {
        key(out, "source_chain_length");
        number(out, e.source_chain_length);
    }
    let optional = [
        ("credential_source", e.credential_source),
        ("mfa_serial", e.mfa_serial),
        ("external_id", e.external_id),
        ("role_session_name", e.role_session_name),
        ("source_identity", e.source_identity),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            key(out, name);
            string(out, value);
        }
    }
    if let Some(seconds) = e.duration_seconds {
        key(out, "duration_seconds");
        number(out, seconds);
    }
    if let Some(session) = e.sso_session {
        key(out, "sso_session");
        string(out, session);
    }
    if let Some(code) = e.reason_code {
        key(out, "reason_code");
        string(out, code);
    }
    out.push('}');
}

/// `,"name":`
fn key(out: &mut String, name: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
}

fn write_diagnostic(out: &mut String, d: &Diagnostic) {
    out.push_str("{\"code\":");
    string(out, d.code);
    out.push_str(",\"severity\":\"");
    out.push_str(d.severity.as_str());
    out.push_str("\",\"line\":");
    number(out, d.line);
    out.push_str(",\"column\":");
    number(out, d.column);
    out.push_str(",\"length\":");
    number(out, d.length);
    out.push_str(",\"message\":");
    string(out, &d.message);
    out.push_str(",\"fix\":");
    opt_string(out, d.fix.as_deref());
    out.push_str(",\"profile\":");
    opt_string(out, d.profile.as_deref());
    out.push_str(",\"file\":");
    string(out, d.file);
    out.push('}');
}

fn number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(digit as char);
    }
}

fn opt_string(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.push_str("null"),
    }
}

/// A JSON string literal: `"`, `\` and control characters escaped, everything else as is
/// (JSON text may hold any other character, U+2028 and U+2029 included).
fn string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    if !text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(text);
        out.push('"');
        return;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        // Escaped bytes are ASCII, so the runs between them are whole characters.
        out.push_str(&text[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::OMITTED_WHEN_UNSET as OPTIONAL;
    use super::*;

    /// The JSON text equals serde's JSON of `parse_config` on every config we test with.
    #[test]
    fn agrees_with_serde_on_the_test_configs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["tests/data", "tests/data/real-configs", "tests/hostile"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                if !path.is_file() {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let ours: serde_json::Value =
                    serde_json::from_str(&parse_config_json(&text)).expect("valid JSON");
                let mut serde =
                    serde_json::to_value(crate::parse_config(&text)).expect("serialises");
                // The fields after `line` are left out when unset.
                for role in serde["roles"].as_array_mut().expect("roles") {
                    let role = role.as_object_mut().expect("object");
                    role.retain(|name, value| {
                        !(OPTIONAL.contains(&name.as_str())
                            && (value.is_null() || name == "source_chain_length" && value == 0))
                    });
                }
                assert_eq!(ours, serde, "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 10, "only {checked} configs found");
    }

    #[test]
    fn escapes_what_json_needs() {
        let mut out = String::new();
        string(&mut out, "a\"b\\c\nd\u{1}\u{7f}é\u{2028}");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001\u{7f}é\u{2028}\"");
        let mut out = String::new();
        for n in [0, 7, 10, 4294967295] {
            number(&mut out, n);
            out.push(' ');
        }
        assert_eq!(out, "0 7 10 4294967295 ");
    }
}
