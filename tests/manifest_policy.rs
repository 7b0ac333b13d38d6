//! Least privilege, checked: the manifests (the source one merged with each
//! `platform/*/manifest.json`, as `build.sh` does) ask for exactly the permissions that the
//! README's Permissions table explains, hosts only on AWS sign-in and console domains, the CSP
//! is exactly the one documented, and no extension code turns text into code or HTML.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const CSP: &str = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e))
}

/// `build.sh`'s deep merge: objects merge key by key, anything else is replaced.
fn merge(into: &mut Value, extra: &Value) {
    match (into, extra) {
        (Value::Object(into), Value::Object(extra)) => {
            for (key, value) in extra {
                match into.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (into, extra) => *into = extra.clone(),
    }
}

/// The source manifest as built for each platform: `(platform, manifest)`.
fn built_manifests() -> Vec<(String, Value)> {
    let base = read_json(&root().join("manifest.json"));
    let mut out = vec![("source".to_string(), base.clone())];
    let mut platforms: Vec<_> = fs::read_dir(root().join("platform"))
        .expect("platform/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("manifest.json").exists())
        .collect();
    platforms.sort();
    assert!(
        platforms.len() >= 2,
        "expected platform/chromium and platform/firefox"
    );
    for dir in platforms {
        let mut manifest = base.clone();
        merge(&mut manifest, &read_json(&dir.join("manifest.json")));
        out.push((
            dir.file_name().unwrap().to_string_lossy().into_owned(),
            manifest,
        ));
    }
    out
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().expect("a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every permission and host pattern the manifest asks for, required or optional.
fn requested(manifest: &Value) -> Vec<String> {
    let mut all = Vec::new();
    for key in [
        "permissions",
        "optional_permissions",
        "host_permissions",
        "optional_host_permissions",
    ] {
        all.extend(strings(manifest.get(key)));
    }
    all.sort();
    all.dedup();
    all
}

/// The first column of the README's `## Permissions` table, without backticks.
fn readme_permissions() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("\n## Permissions")
        .nth(1)
        .expect("README.md has a `## Permissions` section");
    let section = section.split("\n## ").next().unwrap();
    let mut names = Vec::new();
    for line in section.lines().filter(|l| l.trim_start().starts_with('|')) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        let first = cells[0].trim();
        if first.is_empty() || first.starts_with("---") || first.eq_ignore_ascii_case("permission")
        {
            continue;
        }
        let why = cells.get(1).map(|c| c.trim()).unwrap_or("");
        assert!(
            why.len() >= 10,
            "README Permissions row `{}` must explain why",
            first
        );
        // A cell may list several names: `a`, `b`.
        for name in first.split('`').skip(1).step_by(2) {
            names.push(name.to_string());
        }
    }
    names.sort();
    names.dedup();
    names
}

/// AWS sign-in and console hosts of the three partitions (and their regional subdomains).
fn is_aws_host_pattern(pattern: &str) -> bool {
    let Some(rest) = pattern.strip_prefix("https://") else {
        return false;
    };
    // Host permissions end in `/*`; content scripts may name a path such as `/switchrole*`.
    let Some((host, _path)) = rest.split_once('/') else {
        return false;
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    [
        "signin.aws.amazon.com",
        "signin.amazonaws.cn",
        "signin.amazonaws-us-gov.com",
        "console.aws.amazon.com",
        "console.amazonaws.cn",
        "console.amazonaws-us-gov.com",
    ]
    .contains(&host)
}

#[test]
fn permissions_match_the_readme_table() {
    let documented = readme_permissions();
    assert!(
        !documented.is_empty(),
        "README's Permissions table lists nothing"
    );
    let mut union = Vec::new();
    for (platform, manifest) in built_manifests() {
        let asked = requested(&manifest);
        let undocumented: Vec<_> = asked.iter().filter(|p| !documented.contains(p)).collect();
        assert!(
            undocumented.is_empty(),
            "{}: manifest asks for {:?}, which README's Permissions table does not explain",
            platform,
            undocumented
        );
        union.extend(asked);
    }
    let stale: Vec<_> = documented.iter().filter(|d| !union.contains(d)).collect();
    assert!(
        stale.is_empty(),
        "README's Permissions table explains {:?}, which no manifest asks for",
        stale
    );
}

#[test]
fn hosts_are_only_aws_sign_in_and_console() {
    for (platform, manifest) in built_manifests() {
        for key in ["host_permissions", "optional_host_permissions"] {
            for pattern in strings(manifest.get(key)) {
                assert!(
                    is_aws_host_pattern(&pattern),
                    "{}: {} has `{}`, not an AWS sign-in or console host",
                    platform,
                    key,
                    pattern
                );
            }
        }
        for permission in strings(manifest.get("permissions")) {
            assert!(
                !permission.contains("://") && permission != "<all_urls>",
                "{}: a host pattern `{}` belongs in host_permissions",
                platform,
                permission
            );
        }
        for script in manifest
            .get("content_scripts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let matches = strings(script.get("matches"));
            assert!(
                !matches.is_empty(),
                "{}: content script without matches",
                platform
            );
            for pattern in matches {
                assert!(
                    is_aws_host_pattern(&pattern),
                    "{}: content script on `{}`, not an AWS sign-in or console host",
                    platform,
                    pattern
                );
            }
        }
        assert!(
            manifest.get("externally_connectable").is_none(),
            "{}: no web page may message the extension",
            platform
        );
        assert!(
            manifest.get("web_accessible_resources").is_none(),
            "{}: no extension resource is exposed to web pages",
            platform
        );
    }
}

#[test]
fn csp_is_exactly_the_documented_one() {
    for (platform, manifest) in built_manifests() {
        let csp = &manifest["content_security_policy"];
        assert_eq!(
            csp["extension_pages"].as_str(),
            Some(CSP),
            "{}: extension_pages CSP",
            platform
        );
        let keys: Vec<_> = csp.as_object().expect("an object").keys().collect();
        assert_eq!(
            keys,
            ["extension_pages"],
            "{}: no other CSP (sandbox pages) is declared",
            platform
        );
        assert_eq!(manifest["manifest_version"], 3, "{}", platform);
    }
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    assert!(
        text.contains(CSP),
        "ARCHITECTURE.md states the CSP `{}`",
        CSP
    );
}

#[test]
fn firefox_build_settings() {
    let firefox = read_json(&root().join("platform/firefox/manifest.json"));
    let gecko = &firefox["browser_specific_settings"]["gecko"];
    assert!(gecko["id"].as_str().is_some_and(|id| id.contains('@')));
    // 140: the CSS Custom Highlight API the popup paints matches with (src/web/highlight.rs).
    assert_eq!(gecko["strict_min_version"], "140.0");
    let build = fs::read_to_string(root().join("build.sh")).unwrap();
    assert!(
        build.contains(r#"background["scripts"] = [background.pop("service_worker")]"#),
        "build.sh turns a background service worker into background.scripts for Firefox"
    );
}

fn files_under(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {}", dir.display(), e)) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, extensions, out);
        } else if path
            .extension()
            .is_some_and(|e| extensions.contains(&e.to_str().unwrap()))
        {
            out.push(path);
        }
    }
}

/// Whether `needle` occurs in `line` as a token of its own: not preceded by an identifier
/// character, so `pageFunction(` is not `Function(`.
fn contains_token(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(at, _)| {
        !line[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

/// Lines outside `//` comments that contain one of `needles`.
fn offending(path: &Path, needles: &[&str]) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| needles.iter().any(|n| contains_token(line, n)))
        .map(|(i, line)| format!("{}:{}: {}", path.display(), i + 1, line.trim()))
        .collect()
}

#[test]
fn extension_js_never_turns_text_into_code_or_html() {
    let mut files = Vec::new();
    files_under(&root().join("extension"), &["js", "mjs"], &mut files);
    assert!(!files.is_empty());
    let needles = [
        "eval(",
        "new Function",
        "Function(",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "createContextualFragment",
        "DOMParser",
        "setTimeout(\"",
        "setTimeout('",
        "setInterval(\"",
        "setInterval('",
        "http://",
        "https://",
    ];
    let hits: Vec<_> = files.iter().flat_map(|f| offending(f, &needles)).collect();
    assert!(
        hits.is_empty(),
        "extension JS must not do this:\n{}",
        hits.join("\n")
    );
}

#[test]
fn extension_html_has_no_inline_or_remote_script() {
    let mut files = Vec::new();
    files_under(&root().join("extension"), &["html"], &mut files);
    assert!(!files.is_empty());
    for file in files {
        let html = fs::read_to_string(&file).unwrap().to_ascii_lowercase();
        for (i, chunk) in html.split("<script").enumerate().skip(1) {
            let tag = chunk.split('>').next().unwrap();
            assert!(
                tag.contains("src=\"") && !tag.contains("src=\"http") && !tag.contains("src=\"//"),
                "{}: <script> #{} must load a packaged file",
                file.display(),
                i
            );
            assert!(
                chunk[tag.len() + 1..].trim_start().starts_with("</script"),
                "{}: <script> #{} has inline code",
                file.display(),
                i
            );
        }
        for attr in [
            " onclick=",
            " onload=",
            " onerror=",
            " oninput=",
            "javascript:",
        ] {
            assert!(!html.contains(attr), "{}: `{}`", file.display(), attr);
        }
    }
}

#[test]
fn rust_web_code_never_sets_html() {
    let mut files = Vec::new();
    files_under(&root().join("src/web"), &["rs"], &mut files);
    assert!(!files.is_empty());
    let needles = [
        "set_inner_html",
        "inner_html",
        "set_outer_html",
        "outer_html",
        "insert_adjacent_html",
        "create_contextual_fragment",
        "DomParser",
        "js_sys::eval",
        "Function::new",
        ".write_with_str",
        "set_timeout_with_str",
        "set_interval_with_str",
    ];
    let hits: Vec<_> = files.iter().flat_map(|f| offending(f, &needles)).collect();
    assert!(
        hits.is_empty(),
        "src/web must not do this:\n{}",
        hits.join("\n")
    );
    let cargo = fs::read_to_string(root().join("Cargo.toml")).unwrap();
    for feature in ["\"DomParser\"", "\"Range\""] {
        assert!(
            !cargo.contains(feature),
            "web-sys feature {} would allow HTML parsing",
            feature
        );
    }
}

/// The string a `const NAME: &str = "…";` or the list a `const NAME: [&str; N] = [A, B];`
/// of `src/web/storage.rs` stands for (names resolved through the file's own constants).
fn storage_rs_keys(name: &str) -> Vec<String> {
    let source = fs::read_to_string(root().join("src/web/storage.rs")).unwrap();
    let definition = |name: &str| -> String {
        let start = source
            .find(&format!("const {name}:"))
            .unwrap_or_else(|| panic!("src/web/storage.rs defines no {name}"));
        let rest = &source[start..];
        let value = &rest[rest.find('=').unwrap() + 1..];
        value[..value.find(';').unwrap()].trim().to_string()
    };
    let value = definition(name);
    let resolve = |item: &str| -> String {
        let item = item.trim();
        let literal = if item.starts_with('"') {
            item.to_string()
        } else {
            definition(item)
        };
        literal.trim_matches('"').to_string()
    };
    match value.strip_prefix('[') {
        Some(list) => list
            .trim_end_matches(']')
            .split(',')
            .filter(|item| !item.trim().is_empty())
            .map(resolve)
            .collect(),
        None => vec![resolve(&value)],
    }
}

/// `extension/popup.js` requests storage before the WASM is there, by the same keys the
/// Rust side reads (a renamed key would otherwise silently cost the popup its head start).
#[test]
fn popup_bootstrap_requests_the_keys_the_popup_reads() {
    let js = fs::read_to_string(root().join("extension/popup.js")).unwrap();
    for (area, list) in [
        ("local", "FIRST_SCREEN_KEYS"),
        ("local", "LOCAL_STATE_KEYS"),
        ("managed", "MANAGED_KEYS"),
    ] {
        let keys = storage_rs_keys(list);
        let quoted: Vec<String> = keys.iter().map(|k| format!("'{k}'")).collect();
        let call = format!("chrome.storage.{area}.get([{}])", quoted.join(", "));
        assert!(
            js.contains(&call),
            "extension/popup.js should call {call} ({list})"
        );
    }
}
