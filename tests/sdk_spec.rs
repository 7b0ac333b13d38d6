//! Conformance with the AWS SDKs' cross-language shared-config suite
//! (`../shared/aws-sdk-spec/profile-parser-tests.json`, 65 cases from smithy-rs).
//!
//! Each case feeds a config and/or credentials file to [`read_config_files`] and compares the
//! SDK reading (`spec_profiles()` and `sso_sessions`) with the expected profiles, or, where the
//! specification fails the whole file, checks that `spec_error()` names the same problem. The
//! suite is read from `../shared`, which a fresh clone lacks: then the test says so and passes.

use std::path::PathBuf;

use aws_role_switcher::config::{read_config_files, ConfigFile, Profile};
use serde_json::{json, Map, Value};

fn shared_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/aws-sdk-spec")
}

fn load_suite(name: &str) -> Option<Value> {
    let path = shared_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("suite is valid JSON")),
        Err(_) => {
            eprintln!(
                "SKIPPED: {} is absent (../shared is not beside this checkout); \
                 the AWS SDK conformance suite did not run",
                path.display()
            );
            None
        }
    }
}

fn properties_json(profile: &Profile) -> Value {
    let map: Map<String, Value> = profile
        .properties
        .iter()
        .map(|p| (p.key.to_string(), Value::String(p.value.to_string())))
        .collect();
    Value::Object(map)
}

/// The SDK reading of a config in the suite's output shape.
fn spec_output(config: &ConfigFile) -> Value {
    let profiles: Map<String, Value> = config
        .spec_profiles()
        .map(|p| (p.name.to_string(), properties_json(p)))
        .collect();
    let sso_sessions: Map<String, Value> = config
        .sso_sessions
        .list
        .iter()
        .map(|p| (p.name.to_string(), properties_json(p)))
        .collect();
    json!({ "profiles": profiles, "sso_sessions": sso_sessions })
}

#[test]
fn profile_parser_suite() {
    let Some(suite) = load_suite("profile-parser-tests.json") else {
        return;
    };
    let cases = suite["tests"].as_array().expect("a `tests` array");
    assert_eq!(cases.len(), 65, "the shared suite has 65 cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let config_text = case["input"]["configFile"].as_str().unwrap_or("");
        let credentials_text = case["input"]["credentialsFile"].as_str();
        let config = read_config_files(config_text, credentials_text);
        let output = &case["output"];
        if let Some(expected_error) = output.get("errorContaining").and_then(Value::as_str) {
            match config.spec_error() {
                Some(d) if d.message.contains(expected_error) => {}
                Some(d) => failures.push(format!(
                    "{name}: expected an error containing {expected_error:?}, got {:?}",
                    d.message
                )),
                None => failures.push(format!(
                    "{name}: expected an error containing {expected_error:?}, got none (read {})",
                    spec_output(&config)
                )),
            }
            continue;
        }
        if let Some(d) = config.spec_error() {
            failures.push(format!("{name}: unexpected error {}", d.one_line()));
            continue;
        }
        let actual = spec_output(&config);
        let expected = &output["config"];
        let expected_profiles = expected.get("profiles").cloned().unwrap_or(json!({}));
        let expected_sessions = expected.get("sso_sessions").cloned().unwrap_or(json!({}));
        if actual["profiles"] != expected_profiles || actual["sso_sessions"] != expected_sessions {
            failures.push(format!(
                "{name}:\n  input config: {config_text:?}\n  input credentials: {credentials_text:?}\n  expected: {}\n  actual:   {}",
                json!({"profiles": expected_profiles, "sso_sessions": expected_sessions}),
                actual
            ));
        }
    }
    let passed = cases.len() - failures.len();
    eprintln!(
        "AWS SDK profile-parser suite: {passed}/{} cases pass",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
