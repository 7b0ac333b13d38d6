//! [`parse_config`](super::parse_config)'s result as one JSON text, written straight from the
//! entries as they are resolved (no `RoleEntry` copies, no serializer in between).
//!
//! This is what `parseConfig` in the WASM hands to JavaScript: one string and one
//! `JSON.parse`, instead of a boundary crossing per field. The fields and their names are those
//! of [`RoleEntry`](crate::role::RoleEntry) and [`Diagnostic`] as serde writes them; a test
//! checks that the two agree on every config in `tests/data/`.

use crate::diagnostic::Diagnostic;
use crate::role::{for_each_entry, EntryRef};

use super::{read_config_files, sort_diagnostics};

/// `{"roles":[...],"diagnostics":[...]}` for `text`: the JSON of
/// [`parse_config`](super::parse_config)`(text)`.
pub fn parse_config_json(text: &str) -> String {
    let mut config = read_config_files(text, None);
    let mut diagnostics = std::mem::take(&mut config.diagnostics);
    // Roles come out at about 1.3 bytes of JSON per byte of config text (a long URL each).
    let mut out = String::with_capacity(text.len() + text.len() / 2 + 64);
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

fn write_entry(out: &mut String, e: &EntryRef<'_>, scratch: &mut String) {
    out.push_str("{\"profile\":");
    string(out, e.profile);
    out.push_str(",\"kind\":");
    out.push_str(match e.kind {
        crate::role::EntryKind::Role => "\"role\"",
        crate::role::EntryKind::Sso => "\"sso\"",
    });
    out.push_str(",\"account\":");
    string(out, e.account);
    out.push_str(",\"role_name\":");
    string(out, e.role_name);
    out.push_str(",\"partition\":\"");
    out.push_str(e.partition.id());
    out.push_str("\",\"region\":");
    opt_string(out, e.region);
    out.push_str(",\"color\":");
    opt_string(out, e.color.as_ref().map(|c| c.as_str()));
    out.push_str(",\"group\":");
    opt_string(out, e.group);
    out.push_str(",\"base_profile\":");
    opt_string(out, e.base_profile);
    out.push_str(",\"image\":");
    opt_string(out, e.image);
    out.push_str(",\"sso_start_url\":");
    opt_string(out, e.sso_start_url);
    out.push_str(",\"switchable\":");
    out.push_str(if e.switchable() { "true" } else { "false" });
    out.push_str(",\"reason\":");
    opt_string(out, e.reason.as_deref());
    out.push_str(",\"url\":");
    scratch.clear();
    if e.write_url(scratch) {
        string(out, scratch);
    } else {
        out.push_str("null");
    }
    out.push_str(",\"line\":");
    number(out, e.line);
    out.push_str(",\"account_alias\":");
    opt_string(out, e.account_alias);
    out.push_str(",\"source_root\":");
    opt_string(out, e.source_root);
    out.push_str(",\"source_chain_length\":");
    number(out, e.source_chain_length);
    out.push_str(",\"credential_source\":");
    opt_string(out, e.credential_source);
    out.push_str(",\"mfa_serial\":");
    opt_string(out, e.mfa_serial);
    out.push_str(",\"external_id\":");
    opt_string(out, e.external_id);
    out.push_str(",\"role_session_name\":");
    opt_string(out, e.role_session_name);
    out.push_str(",\"duration_seconds\":");
    match e.duration_seconds {
        Some(n) => number(out, n),
        None => out.push_str("null"),
    }
    out.push_str(",\"sso_session\":");
    opt_string(out, e.sso_session);
    out.push('}');
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
    for &d in &digits[at..] {
        out.push(d as char);
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
                let serde = serde_json::to_value(super::super::parse_config(&text))
                    .expect("serialises");
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
