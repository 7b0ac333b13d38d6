//! Fuzz target: any bytes through the whole config engine (decode, grammar, role entries,
//! switch URLs). It must never panic, and every link must stay on an AWS sign-in host or the
//! profile's own https portal.
//!
//! Run: `cargo +nightly fuzz run parse_config -- -max_total_time=120` (from the crate root).

#![no_main]

use aws_role_switcher::{parse_config_bytes, EntryKind};
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
});
