//! Input no config should contain, and real users paste anyway: each gets a clear diagnostic,
//! never a panic, and every good line around it is still read.

use std::time::{Duration, Instant};

use aws_role_switcher::{parse_config_bytes, ParsedConfig, Severity};

const GOOD_BEFORE: &str = "[profile before]\nrole_arn = arn:aws:iam::111111111111:role/Before\n";
const GOOD_AFTER: &str = "[profile after]\nrole_arn = arn:aws:iam::222222222222:role/After\n";

/// `bad` between two good profiles.
fn sandwich(bad: &[u8]) -> Vec<u8> {
    let mut input = GOOD_BEFORE.as_bytes().to_vec();
    input.extend_from_slice(bad);
    input.extend_from_slice(GOOD_AFTER.as_bytes());
    input
}

fn assert_neighbours_survive(parsed: &ParsedConfig) {
    for name in ["before", "after"] {
        let entry = parsed.roles.iter().find(|r| r.profile == name);
        assert!(
            entry.is_some_and(|e| e.switchable),
            "`{name}` was lost: {:?}",
            parsed.roles.iter().map(|r| &r.profile).collect::<Vec<_>>()
        );
    }
}

fn has(parsed: &ParsedConfig, code: &str, line: u32) -> bool {
    parsed
        .diagnostics
        .iter()
        .any(|d| d.code == code && d.line == line)
}

#[test]
fn binary_bytes() {
    let mut garbage: Vec<u8> = (0u8..=255).collect();
    garbage.extend_from_slice(b"\n\x89PNG\r\n\x1a\n\0\0\0\rIHDR\n");
    let parsed = parse_config_bytes(&sandwich(&garbage));
    assert_neighbours_survive(&parsed);
    assert!(parsed.diagnostics.iter().any(|d| d.code == "nul-byte"));
    assert!(parsed.diagnostics.iter().any(|d| d.code == "invalid-utf8"));
    assert!(parsed
        .diagnostics
        .iter()
        .all(|d| d.message.len() < 400 && d.line >= 1 && d.column >= 1));
}

#[test]
fn utf8_byte_order_mark() {
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend(sandwich(b""));
    let parsed = parse_config_bytes(&input);
    assert_neighbours_survive(&parsed);
    assert!(has(&parsed, "byte-order-mark", 1));
    // The BOM must not end up in the first profile's header.
    assert_eq!(parsed.roles[0].profile, "before");
}

#[test]
fn utf16_files_are_decoded() {
    let text = String::from_utf8(sandwich(b"")).unwrap();
    for (bom, encode) in [
        (
            [0xff, 0xfe],
            (|u: u16| u.to_le_bytes()) as fn(u16) -> [u8; 2],
        ),
        ([0xfe, 0xff], |u: u16| u.to_be_bytes()),
    ] {
        let mut input = bom.to_vec();
        input.extend(text.encode_utf16().flat_map(encode));
        let parsed = parse_config_bytes(&input);
        assert_neighbours_survive(&parsed);
        assert!(has(&parsed, "utf16", 1));
    }
}

#[test]
fn crlf_line_endings() {
    let input = sandwich(
        b"[profile windows]\nrole_arn = arn:aws:iam::333333333333:role/Win\nregion = eu-west-1\n",
    )
    .iter()
    .flat_map(|&b| {
        if b == b'\n' {
            vec![b'\r', b'\n']
        } else {
            vec![b]
        }
    })
    .collect::<Vec<u8>>();
    let parsed = parse_config_bytes(&input);
    assert_neighbours_survive(&parsed);
    let windows = parsed
        .roles
        .iter()
        .find(|r| r.profile == "windows")
        .unwrap();
    assert_eq!(windows.role_name, "Win", "no stray \\r in values");
    assert_eq!(windows.region.as_deref(), Some("eu-west-1"));
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        parsed.diagnostics
    );
}

#[test]
fn a_ten_megabyte_line() {
    let mut bad = b"[profile huge]\nrole_arn = arn:aws:iam::444444444444:role/".to_vec();
    bad.extend(vec![b'A'; 10 * 1024 * 1024]);
    bad.push(b'\n');
    let started = Instant::now();
    let parsed = parse_config_bytes(&sandwich(&bad));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_neighbours_survive(&parsed);
    assert!(has(&parsed, "long-line", 4));
    let huge = parsed.roles.iter().find(|r| r.profile == "huge").unwrap();
    assert!(!huge.switchable, "a 10 MB role name is not a role name");
    // Messages quote values cut short, not 10 MB of them.
    assert!(parsed.diagnostics.iter().all(|d| d.message.len() < 1000));
}

#[test]
fn a_hundred_thousand_sections() {
    let mut input = String::with_capacity(8 * 1024 * 1024);
    for i in 0..100_000u64 {
        input.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::{:012}:role/R{i}\n",
            i
        ));
    }
    let started = Instant::now();
    let parsed = parse_config_bytes(&sandwich(input.as_bytes()));
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(parsed.roles.len(), 100_002);
    assert_neighbours_survive(&parsed);
    assert!(parsed.diagnostics.is_empty());
}

#[test]
fn a_hundred_thousand_empty_sections_each_say_why() {
    let input = "[x]\n".repeat(100_000);
    let parsed = parse_config_bytes(input.as_bytes());
    // One profile (merged), plus a duplicate-section warning per repeat is not required for
    // bare sections; what matters is no panic and no silent drop.
    assert!(parsed.roles.is_empty());
    assert!(parsed.diagnostics.iter().any(|d| d.code == "no-role"));
}

#[test]
fn lone_carriage_returns_and_odd_whitespace() {
    let parsed = parse_config_bytes(&sandwich(b"[profile mac]\rrole_arn = x\r\x0b\x0c\n"));
    assert_neighbours_survive(&parsed);
}

#[test]
fn deep_and_wide_source_chains() {
    let mut input = String::from("[profile p0]\naws_access_key_id = x\n");
    for i in 1..100_000 {
        input.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/R{i}\nsource_profile = p{}\n",
            i - 1
        ));
    }
    let started = Instant::now();
    let parsed = parse_config_bytes(input.as_bytes());
    assert_eq!(parsed.roles.len(), 99_999);
    assert_eq!(parsed.roles.last().unwrap().source_chain_length, 99_999);
    assert_eq!(
        parsed.roles.last().unwrap().source_root.as_deref(),
        Some("p0")
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
