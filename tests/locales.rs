//! The UI's three languages (`extension/_locales/{en,zh_CN,zh_TW}`) stay complete: the same
//! keys everywhere, the same `{placeholders}` in every translation, every key the web layer
//! asks for present, and a meaning (`diag_<code>`) for every diagnostic code the core emits,
//! so that a 简体中文 or 繁體中文 reader never meets a stray English fallback or a raw key.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use aws_role_switcher::parse_config_bytes;

const LOCALES: [&str; 3] = ["en", "zh_CN", "zh_TW"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// key → message of one locale.
fn messages(locale: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("extension/_locales/{locale}/messages.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    json.as_object()
        .expect("messages.json is an object")
        .iter()
        .map(|(key, entry)| {
            let message = entry["message"]
                .as_str()
                .unwrap_or_else(|| panic!("{locale}: `{key}` has no message"));
            (key.clone(), message.to_string())
        })
        .collect()
}

/// The `{name}` placeholders of a message.
fn placeholders(message: &str) -> BTreeSet<&str> {
    message
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()))
        .collect()
}

#[test]
fn every_locale_has_every_key_with_the_same_placeholders() {
    let english = messages("en");
    for locale in &LOCALES[1..] {
        let translated = messages(locale);
        let missing: Vec<_> = english
            .keys()
            .filter(|k| !translated.contains_key(*k))
            .collect();
        let extra: Vec<_> = translated
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale} has keys English lacks: {extra:?}"
        );
        for (key, message) in &translated {
            assert!(!message.trim().is_empty(), "{locale}: `{key}` is empty");
            if key.starts_with("diag_") {
                // English shows the core's sentence; a translation says what it means.
                assert_eq!(english[key], "{detail}", "en: `{key}`");
                continue;
            }
            assert_eq!(
                placeholders(message),
                placeholders(&english[key]),
                "{locale}: `{key}` = {message:?} has other placeholders than English's {:?}",
                english[key]
            );
        }
    }
}

/// The keys the web layer names literally: `message("key", …)` and `message_with("key", …)`.
fn keys_used_by_web_layer() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for entry in fs::read_dir(root().join("src/web")).expect("src/web") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("source");
        for call in ["message(", "message_with("] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    let key = &rest[..rest.find('"').expect("closing quote")];
                    if !key.is_empty() && !key.starts_with("@@") && !key.contains(['{', ' ']) {
                        keys.insert(key.to_string());
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_the_pages_ask_for_exists() {
    let used = keys_used_by_web_layer();
    assert!(used.len() > 40, "the scan found only {used:?}");
    for required in ["severity_error", "severity_warning", "severity_note"] {
        assert!(
            messages("en").contains_key(required),
            "en lacks `{required}`"
        );
    }
    for locale in LOCALES {
        let present = messages(locale);
        let missing: Vec<_> = used.iter().filter(|k| !present.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "{locale} lacks {missing:?}, which src/web/ asks for"
        );
    }
}

fn config_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            config_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ini") {
            out.push(path);
        }
    }
}

/// Codes named in the core's source right where a diagnostic is made:
/// `Diagnostic::warning(` + `"code"`, and the `(code, …)` problems of `role.rs`.
fn codes_in_source() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["src", "src/config"] {
        for entry in fs::read_dir(root().join(dir)).expect("src") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = fs::read_to_string(&path).expect("source");
        for call in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            "Diagnostic::note(",
        ] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    codes.insert(rest[..rest.find('"').expect("quote")].to_string());
                }
            }
        }
    }
    codes
}

#[test]
fn every_diagnostic_code_has_a_meaning_in_every_language() {
    let mut codes = codes_in_source();
    assert!(codes.len() > 20, "the scan found only {codes:?}");
    let mut files = Vec::new();
    config_files(&root().join("tests"), &mut files);
    assert!(files.len() > 10, "no test configs found");
    for path in &files {
        let bytes = fs::read(path).expect("config");
        for diagnostic in parse_config_bytes(&bytes).diagnostics {
            codes.insert(diagnostic.code.to_string());
        }
    }
    for locale in LOCALES {
        let present = messages(locale);
        let missing: Vec<_> = codes
            .iter()
            .filter(|code| !present.contains_key(&format!("diag_{}", code.replace('-', "_"))))
            .collect();
        assert!(
            missing.is_empty(),
            "{locale} has no `diag_` meaning for {missing:?}"
        );
    }
}
