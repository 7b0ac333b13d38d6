//! Data-driven tests in the rust-analyzer style: each `tests/data/NAME.ini` (with an optional
//! `NAME.credentials` beside it) is parsed, and the role entries and diagnostics are compared
//! with `NAME.roles.json` and `NAME.diagnostics.txt`. The same runs over every real-world
//! config in `../shared/real-configs/`, snapshotted into `tests/data/real-configs/`.
//!
//! When behaviour changes on purpose, regenerate with `UPDATE_EXPECT=1 cargo test --test
//! data_driven` and review the diff: the snapshots are the specification of what users see.

use std::path::{Path, PathBuf};

use aws_role_switcher::config::{decode, read_decoded_files};
use aws_role_switcher::roles::entry::resolve_entries_without_urls;
use aws_role_switcher::{parse_config_files_bytes, ParsedConfig, RoleEntry};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Diagnostics as a reviewer reads them: one line each, the fix indented below.
fn render_diagnostics(parsed: &ParsedConfig) -> String {
    let mut out = String::new();
    for d in &parsed.diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]",
            d.file,
            d.line,
            d.column,
            d.severity.as_str(),
            d.code
        ));
        if let Some(profile) = &d.profile {
            out.push_str(&format!(" ({})", profile));
        }
        out.push_str(&format!(": {}\n", d.message));
        if let Some(fix) = &d.fix {
            out.push_str(&format!("    fix: {}\n", fix));
        }
    }
    out
}

fn render_roles(parsed: &ParsedConfig) -> String {
    serde_json::to_string_pretty(&parsed.roles).expect("roles serialise") + "\n"
}

/// Compares `actual` with the snapshot at `path`, or rewrites it under `UPDATE_EXPECT=1`.
/// Returns a description of the mismatch, if any.
fn check_snapshot(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).expect("snapshot written");
        return None;
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
            Some(format!(
                "{} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\n(rerun with UPDATE_EXPECT=1 to accept)",
                path.display(),
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                actual.lines().nth(line).unwrap_or("<end>"),
            ))
        }
        Err(_) => Some(format!(
            "{} is missing: run `UPDATE_EXPECT=1 cargo test --test data_driven` to create it",
            path.display()
        )),
    }
}

/// The popup resolves entries without their links and builds the chosen one's later
/// (`RoleEntry::link`): the entries must be the same, and each link the one resolved with it.
fn check_links_built_later(
    stem: &str,
    config: &[u8],
    credentials: Option<&[u8]>,
    parsed: &ParsedConfig,
) -> Vec<String> {
    let config_text = decode::decode_config_bytes(config, "config");
    let credentials_text = credentials.map(|c| decode::decode_config_bytes(c, "credentials"));
    let read = read_decoded_files(&config_text, credentials_text.as_ref());
    let lazy = resolve_entries_without_urls(&read, &mut Vec::new());
    if lazy.len() != parsed.roles.len() {
        return vec![format!(
            "{stem}: {} entries without links, {} with",
            lazy.len(),
            parsed.roles.len()
        )];
    }
    let mut failures = Vec::new();
    for (with, without) in parsed.roles.iter().zip(&lazy) {
        if without.link() != with.url {
            failures.push(format!(
                "{stem}: `{}`: link built later {:?}, resolved {:?}",
                with.profile,
                without.link(),
                with.url
            ));
        }
        let same = RoleEntry {
            url: None,
            ..with.clone()
        };
        if *without != same {
            failures.push(format!(
                "{stem}: `{}` differs without its link",
                with.profile
            ));
        }
    }
    failures
}

/// Parses every `*.ini` in `input_dir` and checks its snapshots in `snapshot_dir`.
fn run_dir(input_dir: &Path, snapshot_dir: &Path) -> (usize, Vec<String>) {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(input_dir)
        .expect("input folder is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ini"))
        .collect();
    inputs.sort();
    let mut failures = Vec::new();
    for input in &inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let config = std::fs::read(input).expect("input readable");
        let credentials = std::fs::read(input.with_extension("credentials")).ok();
        let parsed = parse_config_files_bytes(&config, credentials.as_deref());
        let roles = snapshot_dir.join(format!("{stem}.roles.json"));
        let diagnostics = snapshot_dir.join(format!("{stem}.diagnostics.txt"));
        failures.extend(check_snapshot(&roles, &render_roles(&parsed)));
        failures.extend(check_links_built_later(
            &stem,
            &config,
            credentials.as_deref(),
            &parsed,
        ));
        failures.extend(check_snapshot(&diagnostics, &render_diagnostics(&parsed)));
    }
    (inputs.len(), failures)
}

#[test]
fn data_files() {
    let dir = crate_dir().join("tests/data");
    let (count, failures) = run_dir(&dir, &dir);
    assert!(count > 0, "no tests/data/*.ini found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn real_world_configs() {
    let input_dir = crate_dir().join("../shared/real-configs");
    if !input_dir.is_dir() {
        eprintln!(
            "SKIPPED: {} is absent (../shared is not beside this checkout); the real-world config snapshots did not run",
            input_dir.display()
        );
        return;
    }
    let snapshot_dir = crate_dir().join("tests/data/real-configs");
    std::fs::create_dir_all(&snapshot_dir).expect("snapshot folder");
    let (count, failures) = run_dir(&input_dir, &snapshot_dir);
    assert!(count > 0, "no ../shared/real-configs/*.ini found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
