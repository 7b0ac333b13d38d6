//! Fuzz target: any bytes through the whole config engine (decode, grammar, role entries,
//! switch URLs). It must never panic, every link must stay on an AWS sign-in host or the
//! profile's own https portal, and the JSON that `parseConfig` hands to JavaScript
//! (`config::json`, written by hand for speed) must say exactly what serde says of the entries.
//!
//! Run: `cargo +nightly fuzz run parse_config -- -max_total_time=600` (from the crate root).

#![no_main]

use aws_role_switcher::config::json::{parse_config_json, OMITTED_WHEN_UNSET as OPTIONAL};
use aws_role_switcher::{parse_config, parse_config_bytes, EntryKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = parse_config_bytes(data);
    for entry in &parsed.roles {
        let Some(url) = &entry.url else { continue };
        match entry.kind {
            EntryKind::Role => assert!(
                [
                    "https://signin.aws.amazon.com/switchrole?",
                    "https://signin.amazonaws.cn/switchrole?",
                    "https://signin.amazonaws-us-gov.com/switchrole?",
                ]
                .iter()
                .any(|p| url.starts_with(p)),
                "{url}"
            ),
            EntryKind::Sso => assert!(url.starts_with("https://"), "{url}"),
        }
    }
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.column >= 1);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        same_json(text);
    }
});

fn same_json(text: &str) {
    let ours: serde_json::Value =
        serde_json::from_str(&parse_config_json(text)).expect("parseConfig's JSON is valid");
    let mut serde = serde_json::to_value(parse_config(text)).expect("entries serialise");
    for role in serde["roles"].as_array_mut().expect("roles") {
        let role = role.as_object_mut().expect("object");
        role.retain(|name, value| {
            !(OPTIONAL.contains(&name.as_str())
                && (value.is_null() || name == "source_chain_length" && value == 0))
        });
    }
    assert_eq!(ours, serde, "parseConfig's JSON differs from the entries");
}
