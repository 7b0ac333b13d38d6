//! The hostile corpus in `tests/hostile/`: configs written to break us (markup and script in
//! names and values, role names smuggling `&account=`, `#`, `?`, `%`, spaces and control
//! characters, BOM + mixed line ends + NUL + invalid UTF-8, UTF-16, `source_profile` cycles,
//! duplicates). Each file holds `keep-1` and `keep-2`, two good profiles that must survive; every
//! hostile profile must get a clear diagnostic at its line; and no switch link may ever carry a
//! smuggled parameter or leave the partitions' sign-in hosts. `tests/hostile_input.rs` covers
//! binary files, the 10 MB line and 100,000 sections; the generated cases here add what it
//! does not (100,000 sections of markup, a 10 MB role name, a 10,000-link chain ending in a cycle).

use std::fs;
use std::path::PathBuf;

use aws_role_switcher::{parse_config, parse_config_bytes, ParsedConfig};

fn corpus(name: &str) -> ParsedConfig {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name);
    parse_config_bytes(&fs::read(&path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e)))
}

fn codes_at(parsed: &ParsedConfig, line: u32) -> Vec<&'static str> {
    parsed
        .diagnostics
        .iter()
        .filter(|d| d.line == line)
        .map(|d| d.code)
        .collect()
}

/// `code` is reported at `line`.
fn expect(parsed: &ParsedConfig, code: &str, line: u32) {
    assert!(
        codes_at(parsed, line).contains(&code),
        "expected {code} at line {line}; diagnostics: {:#?}",
        parsed
            .diagnostics
            .iter()
            .map(|d| d.one_line())
            .collect::<Vec<_>>()
    );
}

const SIGN_IN: [&str; 3] = [
    "signin.aws.amazon.com",
    "signin.amazonaws.cn",
    "signin.amazonaws-us-gov.com",
];

/// What must hold of any config, hostile or not.
fn invariants(parsed: &ParsedConfig) {
    for (name, account) in [("keep-1", "111111111111"), ("keep-2", "222222222222")] {
        let keep = parsed.roles.iter().find(|r| r.profile == name);
        assert!(
            keep.is_some_and(|r| r.switchable && r.account == account),
            "`{name}` was lost or damaged: {:?}",
            parsed
                .roles
                .iter()
                .map(|r| (&r.profile, r.switchable))
                .collect::<Vec<_>>()
        );
    }
    for role in &parsed.roles {
        assert!(
            role.switchable || role.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "`{}` is not switchable and does not say why",
            role.profile
        );
        if let Some(url) = role.url.as_deref().filter(|_| role.kind_is_role()) {
            check_link(url, &role.account);
        }
    }
}

/// Issue 8: the `image` key accepts only `https:` and `data:image/` URLs.
#[test]
fn images_are_only_https_or_data() {
    let parsed = corpus("html-in-names.ini");
    for role in &parsed.roles {
        if let Some(image) = &role.image {
            let lower = image.to_ascii_lowercase();
            assert!(
                lower.starts_with("https:") || lower.starts_with("data:image/"),
                "`{}` keeps image `{}`",
                role.profile,
                image
            );
        }
    }
}

trait KindIsRole {
    fn kind_is_role(&self) -> bool;
}
impl KindIsRole for aws_role_switcher::RoleEntry {
    /// `sso` entries go to the profile's own portal, checked by `tests/properties.rs`.
    fn kind_is_role(&self) -> bool {
        self.sso_start_url.is_none()
    }
}

/// A switch link: a sign-in host, printable ASCII, no fragment, and exactly one `account`,
/// the entry's own.
fn check_link(url: &str, account: &str) {
    let rest = url
        .strip_prefix("https://")
        .unwrap_or_else(|| panic!("not https: {url}"));
    let (host, path_query) = rest.split_once('/').expect("a path");
    assert!(
        SIGN_IN
            .iter()
            .any(|s| host == *s || host.ends_with(&format!(".{s}"))),
        "link to {host}: {url}"
    );
    assert!(
        url.bytes().all(|b| b.is_ascii_graphic()),
        "unencoded byte in {url:?}"
    );
    assert!(!url.contains('#'), "fragment in {url}");
    let query = path_query.split_once('?').map(|(_, q)| q).unwrap_or("");
    let accounts: Vec<_> = query
        .split('&')
        .filter_map(|kv| kv.strip_prefix("account="))
        .collect();
    assert_eq!(accounts, [account], "account parameters of {url}");
    assert!(!url.contains("999999999999"), "smuggled account in {url}");
}

#[test]
fn markup_and_script_in_names_and_values() {
    let parsed = corpus("html-in-names.ini");
    invariants(&parsed);
    for line in [5, 8, 12] {
        expect(&parsed, "invalid-section-name", line);
    }
    // Markup that is not in a name stays text (the popup sets it with set_text_content).
    let js = parsed.roles.iter().find(|r| r.profile == "javascript-url");
    assert!(js.is_some(), "javascript-url was lost");
}

#[test]
fn role_names_smuggling_parameters() {
    let parsed = corpus("smuggled-params.ini");
    invariants(&parsed);
    for line in [6, 9, 12, 15, 18, 22] {
        expect(&parsed, "role-name", line);
    }
    expect(&parsed, "invalid-section-name", 24);
    for profile in [
        "amp-account",
        "hash",
        "question",
        "percent",
        "space",
        "bare-role-name",
    ] {
        let role = parsed.roles.iter().find(|r| r.profile == profile);
        assert!(
            role.is_some_and(|r| !r.switchable),
            "`{profile}` must stay listed, not switchable"
        );
    }
}

#[test]
fn control_characters_in_role_names() {
    let parsed = corpus("control-chars.ini");
    invariants(&parsed);
    for line in [4, 6, 8, 10, 12] {
        expect(&parsed, "role-name", line);
    }
    expect(&parsed, "nul-byte", 10);
    expect(&parsed, "invalid-section-name", 14);
}

/// Diagnostics are printed to terminals and shown in pages: control characters from the
/// config must come out escaped, or `\x1b[…` rewrites the user's terminal.
#[test]
fn diagnostics_escape_control_characters() {
    let parsed = corpus("control-chars.ini");
    for d in &parsed.diagnostics {
        let text = d.one_line();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\t'),
            "raw control character in: {text:?}"
        );
    }
}

#[test]
fn bom_mixed_line_ends_nul_and_invalid_utf8() {
    let parsed = corpus("bom-crlf-nul-utf8.ini");
    invariants(&parsed);
    expect(&parsed, "byte-order-mark", 1);
    expect(&parsed, "nul-byte", 3);
    expect(&parsed, "invalid-section-name", 3);
    expect(&parsed, "invalid-utf8", 5);
    expect(&parsed, "invalid-utf8", 6);
    // A lone CR is not a line end (the SDKs' rule): the header swallows its next line.
    expect(&parsed, "section-unclosed", 7);
}

#[test]
fn utf16_with_hostile_names() {
    for file in ["utf16le-bom.ini", "utf16be-bom.ini"] {
        let parsed = corpus(file);
        invariants(&parsed);
        expect(&parsed, "utf16", 1);
        expect(&parsed, "invalid-section-name", 3);
    }
}

#[test]
fn source_profile_cycles() {
    let parsed = corpus("cycles.ini");
    invariants(&parsed);
    for line in [11, 15, 19, 23] {
        expect(&parsed, "source-profile-cycle", line);
    }
    expect(&parsed, "unknown-source-profile", 27);
    // Every member of the cycle is still listed.
    for p in ["self", "a", "b", "c", "into-cycle", "missing-source"] {
        assert!(parsed.roles.iter().any(|r| r.profile == p), "`{p}` lost");
    }
}

#[test]
fn duplicate_everything() {
    let parsed = corpus("duplicates.ini");
    invariants(&parsed);
    expect(&parsed, "duplicate-section", 7);
    expect(&parsed, "duplicate-section", 16);
    expect(&parsed, "duplicate-key", 12);
    expect(&parsed, "duplicate-key", 18);
    expect(&parsed, "bare-section", 20);
    let dup: Vec<_> = parsed.roles.iter().filter(|r| r.profile == "dup").collect();
    assert_eq!(dup.len(), 1, "one merged `dup`, not several");
}

/// 100,000 sections whose names are all markup, between the two good ones: one diagnostic
/// each, nothing else lost, in reasonable time.
#[test]
fn a_hundred_thousand_sections_of_markup() {
    let mut text =
        String::from("[profile keep-1]\nrole_arn = arn:aws:iam::111111111111:role/Keep1\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "[profile <img src=x onerror=alert({i})>]\nrole_arn = arn:aws:iam::123456789012:role/A&account=999999999999\n"
        ));
    }
    text.push_str("[profile keep-2]\nrole_arn = arn:aws:iam::222222222222:role/Keep2\n");
    let start = std::time::Instant::now();
    let parsed = parse_config(&text);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    invariants(&parsed);
    let flagged = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-section-name")
        .count();
    assert_eq!(flagged, 100_000);
}

/// A 10 MB role name of `&account=` repeats: rejected with a diagnostic, link never built.
#[test]
fn a_ten_megabyte_smuggling_role_name() {
    let name = "&account=999999999999".repeat(500_000);
    let text = format!(
        "[profile keep-1]\nrole_arn = arn:aws:iam::111111111111:role/Keep1\n[profile huge]\nrole_arn = arn:aws:iam::123456789012:role/{name}\n[profile keep-2]\nrole_arn = arn:aws:iam::222222222222:role/Keep2\n"
    );
    assert!(text.len() > 10_000_000);
    let parsed = parse_config(&text);
    invariants(&parsed);
    let huge = parsed
        .roles
        .iter()
        .find(|r| r.profile == "huge")
        .expect("huge listed");
    assert!(!huge.switchable && huge.url.is_none());
    assert!(
        !codes_at(&parsed, 4).is_empty(),
        "no diagnostic at the huge line"
    );
    assert!(
        parsed.diagnostics.iter().all(|d| d.message.len() < 10_000),
        "a diagnostic quotes the whole 10 MB line"
    );
}

/// A 10,000-link `source_profile` chain that ends in a cycle: every link flagged, linear time.
#[test]
fn a_long_chain_into_a_cycle() {
    let mut text =
        String::from("[profile keep-1]\nrole_arn = arn:aws:iam::111111111111:role/Keep1\n");
    let n = 10_000;
    for i in 0..n {
        let next = if i + 1 == n { 0 } else { i + 1 };
        text.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/R{i}\nsource_profile = p{next}\n"
        ));
    }
    text.push_str("[profile keep-2]\nrole_arn = arn:aws:iam::222222222222:role/Keep2\n");
    let start = std::time::Instant::now();
    let parsed = parse_config(&text);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    invariants(&parsed);
    let cycles = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "source-profile-cycle")
        .count();
    assert_eq!(cycles, n);
}
