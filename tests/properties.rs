//! Property tests: the parser survives anything, and every link it builds goes only to an AWS
//! sign-in host (or the profile's own https portal) and decodes back to its entry.
//! Native only: proptest is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use aws_role_switcher::encode::parse_query;
use aws_role_switcher::{parse_config, parse_config_bytes, EntryKind, RoleEntry};
use proptest::prelude::*;

const SIGN_IN_PREFIXES: [&str; 3] = [
    "https://signin.aws.amazon.com/switchrole?",
    "https://signin.amazonaws.cn/switchrole?",
    "https://signin.amazonaws-us-gov.com/switchrole?",
];

fn check_url(entry: &RoleEntry) -> Result<(), TestCaseError> {
    let Some(url) = entry.url.as_deref() else {
        prop_assert!(
            !entry.switchable,
            "a switchable entry without a URL: {entry:?}"
        );
        return Ok(());
    };
    prop_assert!(entry.switchable);
    let (account_key, role_key, query) = match entry.kind {
        EntryKind::Role => {
            let prefix = SIGN_IN_PREFIXES.iter().find(|p| url.starts_with(*p));
            prop_assert!(prefix.is_some(), "URL on a foreign host: {url}");
            ("account", "roleName", &url[prefix.unwrap().len()..])
        }
        EntryKind::Sso => {
            let start = entry
                .sso_start_url
                .as_deref()
                .unwrap()
                .trim_end_matches('/');
            prop_assert!(start.starts_with("https://"));
            let prefix = format!("{start}/#/console?");
            prop_assert!(url.starts_with(&prefix), "{url}");
            ("account_id", "role_name", &url[prefix.len()..])
        }
    };
    let pairs = parse_query(query);
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    prop_assert_eq!(get(account_key), Some(entry.account.to_string()));
    prop_assert_eq!(get(role_key), Some(entry.role_name.to_string()));
    Ok(())
}

/// Config-shaped text: headers, keys that matter, values from a hostile alphabet.
fn config_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("role_arn"),
        Just("aws_account_id"),
        Just("role_name"),
        Just("source_profile"),
        Just("region"),
        Just("color"),
        Just("external_id"),
        Just("duration_seconds"),
        Just("sso_start_url"),
        Just("sso_account_id"),
        Just("sso_role_name"),
        Just("sso_session"),
        Just("target_role_name"),
        Just("s3"),
    ];
    let value = prop_oneof![
        "arn:aws(-cn|-us-gov|-iso)?:iam::[0-9]{10,13}:role/[a-zA-Z0-9/+=,.@_ &#%?-]{0,80}",
        "[0-9]{12}",
        "[a-z0-9-]{1,20}",
        "https://[a-z]{1,10}\\.awsapps\\.com/start/?[#?&=a-z]{0,5}",
        "(eu-west-1|cn-north-1|us-gov-west-1|us-iso-east-1|x)",
        "p[0-3]",
        "\\PC{0,20}",
    ];
    let line = prop_oneof![
        "\\[(profile |sso-session |services )?p[0-3]\\]".prop_map(|s| s.to_string()),
        "\\[sso-session s\\]\nsso_start_url = https://s.awsapps.com/start".prop_map(|s| s),
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        "[ \t]+[a-z_]{0,5} ?=? ?\\PC{0,10}",
        "[#;]\\PC{0,20}",
        "\\PC{0,30}",
    ];
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let parsed = parse_config_bytes(&bytes);
        for d in &parsed.diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1 && d.length >= 1);
        }
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_config(&text);
    }

    #[test]
    fn every_link_goes_to_sign_in_and_decodes_to_its_entry(text in config_text()) {
        let parsed = parse_config(&text);
        for entry in &parsed.roles {
            check_url(entry)?;
        }
    }

    #[test]
    fn well_formed_roles_are_switchable(
        account in "[0-9]{12}",
        path in "(/[a-zA-Z0-9_]{1,8}){0,3}",
        name in "[a-zA-Z0-9+=,.@_-]{1,30}",
        partition in prop_oneof![Just("aws"), Just("aws-cn"), Just("aws-us-gov")],
    ) {
        let text = format!("[profile p]\nrole_arn = arn:{partition}:iam::{account}:role{path}/{name}\n");
        let parsed = parse_config(&text);
        let entry = &parsed.roles[0];
        let role = format!("{}/{name}", path).trim_start_matches('/').to_string();
        if role.len() <= 64 {
            prop_assert!(entry.switchable, "{:?}", entry.reason);
            check_url(entry)?;
        } else {
            prop_assert!(!entry.switchable);
        }
        prop_assert_eq!(&entry.account, &account);
        prop_assert_eq!(&entry.role_name, &role);
    }
}
