//! The `aws-role-switcher` binary, run as a user runs it: arguments, exit codes and output.

// The binary exists only with the `cli` feature (see Cargo.toml).
#![cfg(feature = "cli")]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const CONFIG: &str = "\
[default]
aws_access_key_id = AKIAEXAMPLE

[profile prodaccess]
role_arn = arn:aws:iam::123456789012:role/ProductionAccessRole
source_profile = default
region = eu-west-1
color = orange

[profile instancecrossaccount]
role_arn = arn:aws:iam::222222222222:role/efgh
credential_source = Ec2InstanceMetadata

[profile china]
role_arn = arn:aws-cn:iam::333333333333:role/Ops
region = cn-north-1

[profile broken]
role_arn = arn:aws:iam::12345:role/Admin

[profile third-party]
role_arn = arn:aws:iam::444444444444:role/Vendor
external_id = abc

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile portal]
sso_session = corp
sso_account_id = 555555555555
sso_role_name = ReadOnly
";

/// Writes `text` to a fresh file under the target directory and returns its path.
fn write_temp(name: &str, text: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aws-role-switcher"))
        .args(args)
        .env_remove("AWS_CONFIG_FILE")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A copy of [`CONFIG`] per test: tests run in parallel, and one rewriting a file another is
/// reading would make them flaky.
fn config_path(test: &str) -> String {
    write_temp(&format!("{test}.config"), CONFIG.as_bytes())
        .to_string_lossy()
        .into_owned()
}

#[test]
fn roles_json_has_every_documented_field() {
    let out = run(&[
        "--config",
        &config_path("roles_json_has_every_documented_field"),
        "roles",
        "--json",
    ]);
    assert!(out.status.success());
    let roles: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let roles = roles.as_array().unwrap();
    for role in roles {
        for field in [
            "profile",
            "kind",
            "account",
            "role_name",
            "partition",
            "region",
            "color",
            "group",
            "base_profile",
            "switchable",
            "reason",
            "url",
        ] {
            assert!(role.get(field).is_some(), "{field} missing in {role}");
        }
    }
    let by_name = |name: &str| roles.iter().find(|r| r["profile"] == name).unwrap();
    let prod = by_name("prodaccess");
    assert_eq!(prod["kind"], "role");
    assert_eq!(prod["account"], "123456789012");
    assert_eq!(prod["base_profile"], "default");
    assert_eq!(prod["color"], "ffa500");
    assert_eq!(prod["switchable"], true);
    assert!(prod["url"]
        .as_str()
        .unwrap()
        .starts_with("https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=ProductionAccessRole"));
    assert_eq!(by_name("instancecrossaccount")["switchable"], true);
    assert_eq!(by_name("china")["partition"], "aws-cn");
    assert_eq!(by_name("broken")["switchable"], false);
    assert!(by_name("third-party")["reason"]
        .as_str()
        .unwrap()
        .contains("ExternalId"));
    assert_eq!(by_name("portal")["kind"], "sso");
}

#[test]
fn roles_text_lists_links_and_reasons() {
    let out = run(&[
        "--config",
        &config_path("roles_text_lists_links_and_reasons"),
        "roles",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("prodaccess\t123456789012\tProductionAccessRole\taws\thttps://"));
    assert!(text.contains("broken\t12345\tAdmin\taws\tnot switchable: "));
}

#[test]
fn check_renders_rustc_style_and_fails_on_errors() {
    let path = config_path("check_renders_rustc_style_and_fails_on_errors");
    let out = run(&["--config", &path, "check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let header = format!(
        "{path}:19:12: error[account-id]: `12345` is not a 12-digit AWS account ID (5 digits)"
    );
    assert!(text.contains(&header), "{text}");
    assert!(text.contains("19 | role_arn = arn:aws:iam::12345:role/Admin"));
    assert!(text.contains("^^^^"), "a caret under the problem");
}

#[test]
fn check_passes_a_clean_config() {
    let path = write_temp(
        "clean",
        b"[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n",
    );
    let out = run(&["--config", path.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn check_json_gives_structured_diagnostics() {
    let out = run(&[
        "--config",
        &config_path("check_json_gives_structured_diagnostics"),
        "check",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let account = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "account-id")
        .expect("the account-id error");
    assert_eq!(account["line"], 19);
    assert_eq!(account["column"], 12);
    assert_eq!(account["severity"], "error");
    assert_eq!(account["profile"], "broken");
    assert!(account["message"].as_str().unwrap().contains("12345"));
}

#[test]
fn url_prints_one_link_or_explains() {
    let path = config_path("url_prints_one_link_or_explains");
    let out = run(&["--config", &path, "url", "china"]);
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("https://signin.amazonaws.cn/switchrole?account=333333333333"));

    let out = run(&["--config", &path, "url", "third-party"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ExternalId"));

    let out = run(&["--config", &path, "url", "default"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("base account"));
}

#[test]
fn profiles_json_is_the_sdk_suite_shape() {
    let out = run(&[
        "--config",
        &config_path("profiles_json_is_the_sdk_suite_shape"),
        "profiles",
        "--json",
    ]);
    assert!(out.status.success());
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["profiles"]["prodaccess"]["source_profile"], "default",
        "{json}"
    );
    assert_eq!(
        json["sso_sessions"]["corp"]["sso_start_url"],
        "https://corp.awsapps.com/start"
    );
}

#[test]
fn profiles_strict_fails_where_the_sdks_fail() {
    let path = write_temp("spec-error", b"[profile ok]\na = b\nno equals here\n");
    let path = path.to_str().unwrap();
    let lenient = run(&["--config", path, "profiles", "--json"]);
    assert!(lenient.status.success());
    let strict = run(&["--config", path, "profiles", "--json", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("Expected an '=' sign"));
}

#[test]
fn credentials_are_merged_only_when_named() {
    let config = config_path("credentials_are_merged_only_when_named");
    let credentials = write_temp(
        "credentials",
        b"[prodaccess]\nregion = us-west-2\n[profile skipped]\na = b\n",
    );
    let out = run(&[
        "--config",
        &config,
        "--credentials",
        credentials.to_str().unwrap(),
        "profiles",
        "--json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["profiles"]["prodaccess"]["region"], "us-west-2");
    let out = run(&["--config", &config, "profiles", "--json"]);
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["profiles"]["prodaccess"]["region"], "eu-west-1");
}

#[test]
fn bookmarks_folder_by_base_account() {
    let out = run(&[
        "--config",
        &config_path("bookmarks_folder_by_base_account"),
        "bookmarks",
    ]);
    assert!(out.status.success());
    let html = stdout(&out);
    assert!(html.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>"));
    assert!(html.contains("<DT><H3>default</H3>"));
    assert!(html.contains(">prodaccess (ProductionAccessRole @ 123456789012)</A>"));
    assert!(html.contains("&amp;roleName="), "URLs are HTML-escaped");
    assert!(!html.contains("third-party"), "only switchable roles");
    assert!(html.contains("https://corp.awsapps.com/start/#/console?account_id=555555555555"));
}

#[test]
fn default_config_comes_from_the_environment_then_home() {
    let path = config_path("default_config_comes_from_the_environment_then_home");
    let out = Command::new(env!("CARGO_BIN_EXE_aws-role-switcher"))
        .args(["url", "china"])
        .env("AWS_CONFIG_FILE", &path)
        .output()
        .unwrap();
    assert!(out.status.success());

    let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-home");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/config"), CONFIG).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aws-role-switcher"))
        .args(["url", "china"])
        .env_remove("AWS_CONFIG_FILE")
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["--config", "/nonexistent/config", "roles"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["--bogus"]).status.code(), Some(2));
    assert_eq!(run(&["--help"]).status.code(), Some(0));
}

#[test]
fn binary_input_is_reported_not_fatal() {
    let path = write_temp("binary", b"\xff\xfe\x00[\x00p\x00");
    let out = run(&["--config", path.to_str().unwrap(), "check"]);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn version_and_help_follow_command_line_conventions() {
    for flag in ["--version", "-V"] {
        let out = run(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("aws-role-switcher {}\n", env!("CARGO_PKG_VERSION")),
            "{flag}"
        );
    }
    for flag in ["-h", "--help"] {
        let out = run(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}: {}", stderr(&out));
        // Asked-for help goes to stdout (so it can be paged), and says what the exit codes mean.
        let help = stdout(&out);
        assert!(
            help.starts_with("usage: aws-role-switcher"),
            "{flag}: {help}"
        );
        for text in ["-V, --version", "-h, --help", "exit status:", "policy"] {
            assert!(help.contains(text), "{flag}: `{text}` missing from\n{help}");
        }
    }
    // A command's own help too.
    let out = run(&["roles", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("usage: aws-role-switcher"));
}

#[test]
fn options_take_their_values_in_every_usual_spelling() {
    let path = config_path("options_take_their_values_in_every_usual_spelling");
    for args in [
        vec!["--config", path.as_str(), "url", "china"],
        vec!["url", "china", "--config", path.as_str()],
        vec!["url", "--config", path.as_str(), "china"],
    ] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let equals = format!("--config={path}");
    let out = run(&[&equals, "url", "china"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A missing value is a usage error that names the option.
    let out = run(&["roles", "--config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--config"), "{}", stderr(&out));
    // An option that takes no value refuses one.
    let out = run(&["--config", &path, "roles", "--json=yes"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A value read from a continuation line holds a newline; a tab can sit inside a value. The
/// text output is one line per role, five tab-separated fields: both are escaped (`\n`, `\t`),
/// and so is the backslash itself (`\\`), so the fields can be split and read back exactly.
#[test]
fn roles_text_escapes_tabs_newlines_and_backslashes() {
    let path = write_temp(
        "roles-escaping",
        b"[profile multi]\naws_account_id = 123456789012\nrole_name = Ops\n  Admin\n\
          [profile tabbed]\nrole_arn = arn:aws:iam::123456789012:role/a\\b\tc\n",
    );
    let out = run(&["--config", path.to_str().unwrap(), "roles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one line per role: {text:?}");
    for line in &lines {
        assert_eq!(line.split('\t').count(), 5, "five fields: {line:?}");
    }
    let multi: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(multi[0], "multi");
    assert_eq!(multi[2], "Ops\\nAdmin");
    let tabbed: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(tabbed[2], "a\\\\b\\tc");
}

#[test]
fn roles_json_shows_what_cloudtrail_records() {
    let path = write_temp(
        "roles-session",
        b"[profile audited]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n\
          role_session_name = alice\nsource_identity = alice@example.com\n\
          [profile plain]\nrole_arn = arn:aws:iam::123456789012:role/Dev\n",
    );
    let out = run(&["--config", path.to_str().unwrap(), "roles", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let roles: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(roles[0]["role_session_name"], "alice");
    assert_eq!(roles[0]["source_identity"], "alice@example.com");
    assert!(roles[1]["role_session_name"].is_null());
    assert!(roles[1]["source_identity"].is_null());
}

/// `tests/data/policy/NAME.ini`, run as `aws-role-switcher --config NAME.ini policy ARGS…`
/// from that folder (ARGS: `NAME.args`, one per line, when it exists), must print
/// `NAME.policy.json` and, on stderr, `NAME.stderr.txt` (its first line the exit status).
/// `UPDATE_EXPECT=1` rewrites the expectations.
#[test]
fn policy_data_driven() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/policy");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/data/policy exists")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".ini")?.to_string())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for name in &names {
        let args = std::fs::read_to_string(dir.join(format!("{name}.args"))).unwrap_or_default();
        let ini = format!("{name}.ini");
        let mut argv = vec!["--config", ini.as_str(), "policy"];
        argv.extend(args.lines().filter(|l| !l.is_empty()));
        let out = Command::new(env!("CARGO_BIN_EXE_aws-role-switcher"))
            .args(&argv)
            .current_dir(&dir)
            .env_remove("AWS_CONFIG_FILE")
            .output()
            .expect("the binary runs");
        let actual_stdout = stdout(&out);
        let actual_stderr = format!(
            "exit status: {}\n{}",
            out.status.code().unwrap_or(-1),
            stderr(&out)
        );
        for (file, actual) in [
            (format!("{name}.policy.json"), &actual_stdout),
            (format!("{name}.stderr.txt"), &actual_stderr),
        ] {
            let path = dir.join(&file);
            if update {
                std::fs::write(&path, actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if &expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{file}:\n--- expected\n{expected}\n--- actual\n{actual}"
                )),
                Err(_) => failures.push(format!("{file} is missing (UPDATE_EXPECT=1)")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn policy_output_is_valid_json_in_the_documented_shape() {
    let out = run(&[
        "--config",
        &config_path("policy_output_is_valid_json_in_the_documented_shape"),
        "policy",
        "prodaccess",
        "china",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let policy: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
    assert_eq!(policy["Statement"][0]["Action"], "sts:AssumeRole");
    assert_eq!(
        policy["Statement"][0]["Resource"],
        serde_json::json!([
            "arn:aws-cn:iam::333333333333:role/Ops",
            "arn:aws:iam::123456789012:role/ProductionAccessRole"
        ])
    );
    // Two partitions cannot share one policy: said on stderr, not in the JSON.
    assert!(stderr(&out).contains("aws-cn"), "{}", stderr(&out));

    let out = run(&[
        "--config",
        &config_path("policy_output_is_valid_json_in_the_documented_shape"),
        "policy",
        "nosuch",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`nosuch`"), "{}", stderr(&out));
    // Usage errors stay exit 2.
    let path = config_path("policy_output_is_valid_json_in_the_documented_shape2");
    let out = run(&["--config", &path, "policy", "--require-source-identity"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--trust"), "{}", stderr(&out));
}

#[test]
fn check_summary_counts_in_singular_and_plural() {
    let path = write_temp(
        "check-summary",
        b"[a]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n",
    );
    let out = run(&["--config", path.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    assert!(
        last.ends_with(": 0 errors, 0 warnings, 1 note; 1 role"),
        "{last}"
    );
}
