//! The SDKs' profile-chain suite (`../shared/aws-sdk-spec/assume-role-tests.json`, from
//! smithy-rs), where it applies to a console role switcher.
//!
//! The suite resolves which credentials a profile would load. We never load credentials; what
//! we share with it is the chain itself: which role a profile names, the `source_profile`
//! links behind it, loops, missing sources, and `source_profile` + `credential_source`
//! together. Cases about credential contents (partial keys, web identity tokens, SSO token
//! settings) do not apply and are counted as such.

use std::path::PathBuf;

use aws_role_switcher::{parse_config, ParsedConfig};
use serde_json::Value;

/// The suite's profiles as a config file.
fn config_text(profiles: &serde_json::Map<String, Value>) -> String {
    let mut text = String::new();
    for (name, properties) in profiles {
        text.push_str(&format!("[profile {name}]\n"));
        for (key, value) in properties.as_object().unwrap() {
            text.push_str(&format!("{key} = {}\n", value.as_str().unwrap()));
        }
    }
    text
}

fn has_code(parsed: &ParsedConfig, profile: &str, code: &str) -> bool {
    parsed
        .diagnostics
        .iter()
        .any(|d| d.code == code && d.profile.as_deref() == Some(profile))
}

#[test]
fn assume_role_chain_suite() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/aws-sdk-spec/assume-role-tests.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} is absent (../shared is not beside this checkout); the profile-chain suite did not run",
            path.display()
        );
        return;
    };
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let (mut checked, mut not_applicable, mut failures) = (0, Vec::new(), Vec::new());
    for case in &cases {
        let docs = case["docs"].as_str().unwrap_or("?");
        let profiles = case["input"]["profiles"].as_object().unwrap();
        let selected = case["input"]["selected_profile"].as_str().unwrap();
        let parsed = parse_config(&config_text(profiles));
        let output = &case["output"];
        let mut check = |ok: bool, what: &str| {
            checked += 1;
            if !ok {
                failures.push(format!("{docs}: {what}"));
            }
        };
        if let Some(error) = output["Error"].as_str() {
            if error.contains("infinite loop") {
                check(
                    has_code(&parsed, selected, "source-profile-cycle"),
                    "expected source-profile-cycle",
                );
            } else if error.contains("could not find source profile") {
                check(
                    has_code(&parsed, selected, "unknown-source-profile"),
                    "expected unknown-source-profile",
                );
            } else if error.contains("both source_profile and credential_source") {
                check(
                    has_code(&parsed, selected, "source-and-credential-source"),
                    "expected source-and-credential-source",
                );
            } else if error.contains("sso_account_id") {
                check(
                    has_code(&parsed, selected, "sso-incomplete"),
                    "expected sso-incomplete",
                );
            } else if error.contains("sso-session named") {
                check(
                    has_code(&parsed, selected, "unknown-sso-session"),
                    "expected unknown-sso-session",
                );
            } else {
                not_applicable.push(docs.to_string());
            }
            continue;
        }
        let links = output["ProfileChain"].as_array().unwrap();
        let assume_roles: Vec<&str> = links
            .iter()
            .filter_map(|l| l["AssumeRole"]["role_arn"].as_str())
            .collect();
        if let Some(account) = links[0]["Sso"]["sso_account_id"].as_str() {
            let entry = parsed.roles.iter().find(|r| r.profile == selected);
            check(
                entry.is_some_and(|e| {
                    e.account == account
                        && Some(e.role_name.as_str()) == links[0]["Sso"]["sso_role_name"].as_str()
                }),
                "IAM Identity Center entry",
            );
            continue;
        }
        let Some(last_role) = assume_roles.last() else {
            not_applicable.push(docs.to_string());
            continue;
        };
        let entry = parsed.roles.iter().find(|r| r.profile == selected);
        let Some(entry) = entry else {
            check(false, "no role entry for the selected profile");
            continue;
        };
        let arn = format!(
            "arn:{}:iam::{}:role/{}",
            entry.partition, entry.account, entry.role_name
        );
        check(&arn == last_role, &format!("role {arn} != {last_role}"));
        // Every role the SDK assumes on the way is a `source_profile` link we followed.
        check(
            assume_roles.len() as u32 <= entry.source_chain_length + 1,
            "chain shorter than the SDK's",
        );
        if let Some(source) = links[0]["NamedSource"].as_str() {
            check(
                entry.credential_source.as_deref() == Some(source),
                "credential_source not carried",
            );
        }
        if let Some(name) = case["input"]["profiles"][selected]["role_session_name"].as_str() {
            check(
                entry.role_session_name.as_deref() == Some(name),
                "role_session_name not carried",
            );
        }
        if let Some(id) = case["input"]["profiles"][selected]["external_id"].as_str() {
            check(
                entry.external_id.as_deref() == Some(id) && !entry.switchable,
                "external_id not carried or entry switchable",
            );
        }
    }
    eprintln!(
        "assume-role suite: {} cases, {checked} checks, {} not applicable to a console switcher: {:?}",
        cases.len(),
        not_applicable.len(),
        not_applicable
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
