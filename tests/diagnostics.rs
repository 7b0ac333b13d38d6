//! One table row per diagnostic code: the smallest config that triggers it, and the severity,
//! line and column it must carry. A second test scans the sources so that a new code cannot
//! be added without a row here.

use aws_role_switcher::{parse_config_files_bytes, Severity};
use Severity::{Error, Note, Warning};

struct Case {
    code: &'static str,
    severity: Severity,
    config: &'static [u8],
    credentials: Option<&'static [u8]>,
    line: u32,
    column: u32,
}

const fn case(
    code: &'static str,
    severity: Severity,
    config: &'static [u8],
    line: u32,
    column: u32,
) -> Case {
    Case {
        code,
        severity,
        config,
        credentials: None,
        line,
        column,
    }
}

const CASES: &[Case] = &[
    // Bytes.
    case("invalid-utf8", Error, b"[profile a]\nx = \xff\n", 2, 5),
    case("utf16", Warning, b"\xff\xfe[\0p\0]\0", 1, 1),
    case("invalid-utf16", Error, b"\xfe\xff\xdc\x00", 1, 1),
    case("nul-byte", Error, b"[profile a]\nx = a\0b\n", 2, 6),
    case("byte-order-mark", Warning, b"\xef\xbb\xbf[profile a]\n", 1, 1),
    // Grammar (the SDK specification's fatal errors, recovered).
    case("section-unclosed", Error, b"[profile a\n", 1, 1),
    case("outside-profile", Error, b"x = 1\n", 1, 1),
    case("continuation-without-property", Error, b"[profile a]\n  x\n", 2, 1),
    case("missing-equals", Error, b"[profile a]\nx\n", 2, 1),
    case("empty-property-name", Error, b"[profile a]\n= 1\n", 2, 1),
    case("sub-property-missing-equals", Error, b"[profile a]\ns3 =\n  x\n", 3, 3),
    case("sub-property-empty-name", Error, b"[profile a]\ns3 =\n  = 1\n", 3, 3),
    case("long-line", Warning, b"", 2, 1), // built at run time, see `long_line`
    // Where the AWS CLI differs from the SDKs.
    case("cli-inline-comment", Warning, b"[profile a]\nx = 1 ; note\n", 2, 7),
    case("cli-indented-comment", Warning, b"[profile a]\nx = 1\n  # note\n", 3, 3),
    case("duplicate-key", Warning, b"[profile a]\nx = 1\nx = 2\n", 3, 1),
    case("duplicate-section", Warning, b"[profile a]\n[profile a]\n", 2, 1),
    case("invalid-section-name", Warning, b"[profile \"a b\"]\n", 1, 1),
    case("invalid-property-name", Warning, b"[profile a]\nx! = 1\n", 2, 1),
    case("default-shadowed", Warning, b"[default]\n[profile default]\n", 1, 1),
    case("bare-section", Note, b"[a]\n", 1, 1),
    Case {
        code: "credentials-profile-prefix",
        severity: Warning,
        config: b"",
        credentials: Some(b"[profile a]\n"),
        line: 1,
        column: 1,
    },
    // Profiles → role entries.
    case("no-role", Note, b"[profile a]\nregion = eu-west-1\n", 1, 1),
    case("base-account", Note, b"[profile b]\n[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\n", 1, 1),
    case("missing-role-name", Warning, b"[profile a]\naws_account_id = 123456789012\n", 1, 1),
    case("sso-incomplete", Warning, b"[profile a]\nsso_role_name = R\n", 1, 1),
    case("role-arn", Error, b"[profile a]\nrole_arn = arn:aws:iam:...\n", 2, 12),
    case("partition", Error, b"[profile a]\nrole_arn = arn:aws-moon:iam::123456789012:role/A\n", 2, 12),
    case("partition-no-console", Note, b"[profile a]\nrole_arn = arn:aws-iso-b:iam::123456789012:role/A\n", 2, 1),
    case("account-id", Error, b"[profile a]\naws_account_id = 12345\nrole_name = A\n", 2, 18),
    case("account-alias", Error, b"[profile a]\naws_account_id = My_Alias\nrole_name = A\n", 2, 18),
    case("role-name", Error, b"[profile a]\naws_account_id = 123456789012\nrole_name = A B\n", 3, 13),
    case("role-path", Error, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/p\xc3\xa4th/A\n", 2, 12),
    case("console-role-length", Warning, b"[profile a]\naws_account_id = 123456789012\nrole_name = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbb\n", 3, 13),
    case("source-profile-cycle", Error, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\n[profile b]\nsource_profile = a\n", 3, 18),
    case("unknown-source-profile", Error, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = zz\n", 3, 18),
    case("source-and-credential-source", Warning, b"[profile b]\n[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\ncredential_source = Environment\n", 4, 18),
    case("credential-source", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\ncredential_source = Laptop\n", 3, 21),
    case("region", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nregion = moon-1\n", 3, 10),
    case("region-partition", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nregion = cn-north-1\n", 3, 10),
    case("external-id", Note, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nexternal_id = x\n", 3, 15),
    case("duration-seconds", Error, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nduration_seconds = 43201\n", 3, 20),
    case("chained-duration", Warning, b"[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\n[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\nduration_seconds = 3601\n", 6, 20),
    case("mfa-serial", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nmfa_serial = arn:aws:iam::1:mfa/x\n", 3, 14),
    case("role-session-name", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nrole_session_name = a b\n", 3, 21),
    case("color", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\ncolor = chartreuse-ish\n", 3, 9),
    case("image-url", Warning, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nimage = javascript:alert(1)\n", 3, 9),
    case("color-comment", Note, b"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\ncolor = #abc\n", 3, 9),
    case("sso-start-url", Error, b"[profile a]\nsso_account_id = 123456789012\nsso_role_name = R\n", 1, 1),
    case("unknown-sso-session", Error, b"[profile a]\nsso_session = nope\nsso_account_id = 123456789012\nsso_role_name = R\n", 2, 15),
];

fn long_line_input() -> Vec<u8> {
    let mut input = b"[profile a]\nx = ".to_vec();
    input.extend(vec![b'a'; 70_000]);
    input.push(b'\n');
    input
}

#[test]
fn every_code_fires_where_the_table_says() {
    let mut failures = Vec::new();
    for case in CASES {
        let long;
        let config = if case.code == "long-line" {
            long = long_line_input();
            &long[..]
        } else {
            case.config
        };
        let parsed = parse_config_files_bytes(config, case.credentials);
        let found = parsed.diagnostics.iter().find(|d| d.code == case.code);
        match found {
            None => failures.push(format!(
                "{}: not reported; got {:?}",
                case.code,
                parsed
                    .diagnostics
                    .iter()
                    .map(|d| d.one_line())
                    .collect::<Vec<_>>()
            )),
            Some(d) => {
                if (d.severity, d.line, d.column) != (case.severity, case.line, case.column) {
                    failures.push(format!(
                        "{}: expected {:?} at {}:{}, got {:?} at {}:{}",
                        case.code,
                        case.severity,
                        case.line,
                        case.column,
                        d.severity,
                        d.line,
                        d.column
                    ));
                }
                if d.message.is_empty() || d.length == 0 {
                    failures.push(format!("{}: empty message or span", case.code));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `Diagnostic::error/warning/note("code"` in the sources, plus the codes that travel
/// through variables, must have a row in [`CASES`].
#[test]
fn every_code_in_the_sources_has_a_row() {
    let sources = [
        include_str!("../src/config/ini.rs"),
        include_str!("../src/config/mod.rs"),
        include_str!("../src/config/decode.rs"),
        include_str!("../src/roles/entry.rs"),
        include_str!("../src/roles/validation.rs"),
    ];
    let mut codes: Vec<String> = vec![
        // Chosen at run time (`Diagnostic::new(code, …)` or a returned tuple).
        "base-account".into(),
        "missing-role-name".into(),
        "no-role".into(),
        "sso-incomplete".into(),
        "account-id".into(),
        "account-alias".into(),
        "role-name".into(),
        "role-path".into(),
    ];
    for source in sources {
        for constructor in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            "Diagnostic::note(",
        ] {
            for (start, _) in source.match_indices(constructor) {
                let rest = source[start + constructor.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    let code = &literal[..literal.find('"').unwrap()];
                    codes.push(code.to_string());
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| !CASES.iter().any(|c| c.code == code.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes without a table row: {missing:?}");
    assert!(codes.len() >= 45, "found only {} codes", codes.len());
}

/// The pages show what a diagnostic means in the UI's language: each code has a
/// `diag_<code>` message in every locale (English's is the core's own sentence, `{detail}`).
#[test]
fn every_code_has_a_meaning_in_every_language() {
    for locale in ["en", "zh_CN", "zh_TW"] {
        let path = format!(
            "{}/extension/_locales/{locale}/messages.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let messages: serde_json::Value = serde_json::from_str(&text).expect("messages.json");
        let missing: Vec<&str> = CASES
            .iter()
            .map(|c| c.code)
            .filter(|code| {
                messages[format!("diag_{}", code.replace('-', "_"))]["message"]
                    .as_str()
                    .map_or(true, |m| m.trim().is_empty())
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{locale} has no `diag_` meaning for {missing:?}"
        );
    }
}

#[test]
fn codes_are_stable_kebab_case() {
    for case in CASES {
        assert!(
            case.code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}",
            case.code
        );
    }
}

/// AWS Extend Switch Roles' "base account with `role_name`": the role names the identity the
/// user signs in with, so the base is not itself a switch target (AESR never lists a profile
/// that a `source_profile` names). A note says so at the base's header.
#[test]
fn a_base_account_with_role_name_is_the_sign_in_identity_not_a_target() {
    let config = b"[Org-Base]\naws_account_id = 333300000000\nrole_name = Entry-Role\n\n\
        [Org-Target]\naws_account_id = 333300001111\nrole_name = Admin\nsource_profile = Org-Base\n\n\
        [profile chained-base]\nrole_arn = arn:aws:iam::123456789012:role/Hop\n\
        [profile after-hop]\nrole_arn = arn:aws:iam::123456789013:role/Far\nsource_profile = chained-base\n";
    let parsed = parse_config_files_bytes(config, None);
    let profiles: Vec<&str> = parsed.roles.iter().map(|r| r.profile.as_str()).collect();
    // A base named by `role_arn` is a role the SDKs assume on the way: still a target. (SDK
    // profiles are read before the dialect's bare sections.)
    assert_eq!(profiles, ["chained-base", "after-hop", "Org-Target"]);
    let note = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "base-account" && d.profile.as_deref() == Some("Org-Base"))
        .expect("a base-account note for Org-Base");
    assert_eq!((note.severity, note.line), (Note, 1));
    assert!(
        note.message.contains("`role_name = Entry-Role`") && note.message.contains("sign"),
        "{}",
        note.message
    );
}

/// A config in the browser-extension dialect gets one note for all its bare `[NAME]`
/// sections (AESR users import dozens), listing their lines, not one note per section.
#[test]
fn the_extension_dialect_gets_one_summary_note() {
    let mut config = String::new();
    for i in 0..42 {
        config.push_str(&format!(
            "[p{i}]\naws_account_id = 123456789012\nrole_name = R{i}\n"
        ));
    }
    let parsed = parse_config_files_bytes(config.as_bytes(), None);
    assert_eq!(parsed.roles.len(), 42);
    let notes: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "bare-section")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(notes[0].line, 1);
    assert!(
        notes[0]
            .message
            .starts_with("42 sections use the browser-extension dialect `[NAME]`"),
        "{}",
        notes[0].message
    );
    assert!(
        notes[0].message.contains("lines 1, 4, 7,"),
        "{}",
        notes[0].message
    );
    assert!(
        notes[0].message.contains("124"),
        "the last section's line: {}",
        notes[0].message
    );
}
