//! Fuzz target: pasted switch-role links → `[profile …]` text (`switch_link`). Whatever is
//! pasted, conversion must not panic, and the text it writes must read back as exactly one role
//! entry per accepted link: a crafted `displayName` or `roleName` must never inject a section
//! header or a key of its own.
//!
//! Run: `cargo +nightly fuzz run switch_link -- -max_total_time=180` (from the crate root).

#![no_main]

use aws_role_switcher::parse_config;
use aws_role_switcher::roles::switch_link::links_to_profiles;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let import = links_to_profiles(text, &[]);
    let parsed = parse_config(&import.text);
    assert_eq!(
        parsed.roles.len(),
        import.profiles,
        "{} links accepted but {} entries read back from:\n{}",
        import.profiles,
        parsed.roles.len(),
        import.text
    );
    for role in &parsed.roles {
        if let Some(url) = &role.url {
            assert!(
                url.starts_with("https://signin.aws.amazon.com/switchrole?")
                    || url.starts_with("https://signin.amazonaws.cn/switchrole?")
                    || url.starts_with("https://signin.amazonaws-us-gov.com/switchrole?"),
                "link to an unexpected host: {url}"
            );
        }
    }
});
