//! The UI's three languages (`extension/_locales/{en,zh_CN,zh_TW}`) stay complete: the same
//! keys everywhere, the same `{placeholders}` in every translation and every key the web layer
//! asks for present, so that a 简体中文 or 繁體中文 reader never meets a stray English fallback.
//! (`tests/diagnostics.rs` checks that every diagnostic code has its `diag_<code>` meaning.)

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

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

/// The keys the web layer names literally: `message("key", …)` and `message_with("key", …)`,
/// and for `count_message("key", …)` its plural forms `key_one` and `key_other`.
fn keys_used_by_web_layer() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    // src/web/ and its folders (src/web/popup/).
    let mut paths = Vec::new();
    let mut dirs = vec![root().join("src/web")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("src/web") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    for path in paths {
        let text = fs::read_to_string(&path).expect("source");
        for (at, _) in text.match_indices("count_message(") {
            let rest = text[at + "count_message(".len()..].trim_start();
            if let Some(rest) = rest.strip_prefix('"') {
                let key = &rest[..rest.find('"').expect("closing quote")];
                keys.insert(format!("{key}_one"));
                keys.insert(format!("{key}_other"));
            }
        }
        for call in ["message(", "message_with("] {
            for (at, _) in text.match_indices(call) {
                if text[..at].ends_with("count_") {
                    continue; // `count_message(`, above
                }
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

/// A count's message in each plural form says the count: `{count} roles`, `{count} 个角色`.
#[test]
fn plural_forms_come_in_pairs_with_the_count() {
    for locale in LOCALES {
        let all = messages(locale);
        for (key, message) in &all {
            let Some(base) = key
                .strip_suffix("_one")
                .or_else(|| key.strip_suffix("_other"))
            else {
                continue;
            };
            for form in ["one", "other"] {
                assert!(
                    all.contains_key(&format!("{base}_{form}")),
                    "{locale}: `{key}` has no `{base}_{form}`"
                );
            }
            assert!(
                message.contains("{count}"),
                "{locale}: `{key}` = {message:?}"
            );
        }
    }
}
