//! The options page: get a config in (file picker, drag-and-drop, paste, switch-role links),
//! edit it with line numbers and live `line:column` diagnostics, preview the role entries,
//! save, undo, export, and the settings.
//!
//! A save is atomic from the user's point of view (see `storage.rs`): the stored text is read
//! back before the page says "Saved"; a failed save says why and leaves the previous config
//! in force.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ClipboardEvent, Document, DragEvent, Element, HtmlAnchorElement, HtmlButtonElement,
    HtmlElement, HtmlInputElement, HtmlMeterElement, HtmlSelectElement, HtmlTextAreaElement,
};

use super::dom::on;
use super::{browser, dom, storage, sync_store, sync_watch};
use crate::diagnostic::Severity;
use crate::roles::switch_link::{links_to_profiles, looks_like_links};
use crate::settings::{StorageArea, Theme};
use crate::store::config_versions::content_check;

/// Diagnostics listed at once; the rest are counted.
const DIAGNOSTICS_SHOWN: usize = 200;
/// Entries listed under "cannot be switched to"; the rest are counted.
const NOT_SWITCHABLE_SHOWN: usize = 100;
/// Pixel height of one editor line (`options.css`: 13px/18px).
const LINE_HEIGHT: i32 = 18;
/// A save that takes longer than this says it is working.
const SAVING_SHOWN_AFTER_MS: i32 = 200;
/// How long a save waits for the organisation's first answer when no earlier answer was kept
/// (Chromium's policy service answers ~1.9 s after the browser starts: no user waits for it).
const LOCK_WAIT_MS: i32 = 300;

thread_local! {
    /// [`content_check`] of the config in force as the editor last showed or saved it: the
    /// editor holds unsaved changes when its text differs.
    static STORED_CHECK: RefCell<String> = RefCell::new(content_check(""));
    /// The organisation's answer (`chrome.storage.managed`) once it came.
    static MANAGED_LOCKED: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
    /// The request of that answer, made as the page starts.
    static MANAGED_REQUEST: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// Counts saves: a "Saving…" timer shows only for the save it was started for.
    static SAVES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The editor now shows (or saved) `text`, the config in force.
fn editor_is_stored(text: &str) {
    STORED_CHECK.with(|c| *c.borrow_mut() = content_check(text));
}

fn editor_has_unsaved(textarea: &HtmlTextAreaElement) -> bool {
    STORED_CHECK.with(|c| *c.borrow() != content_check(&textarea.value()))
}

fn spawn(future: impl std::future::Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(future);
}

pub async fn start() -> Result<(), JsValue> {
    // Asked first: Chromium's policy service can take seconds to answer after a start.
    let managed_request = storage::request_managed();
    MANAGED_REQUEST.with(|r| *r.borrow_mut() = managed_request.clone());
    let document = dom::document();
    dom::localize(&document, browser::message)?;
    spawn(show_shortcut_hint());
    apply_theme(storage::load_settings().theme);
    let textarea: HtmlTextAreaElement = dom::by_id("config")?;

    // Listen first: a file chosen while storage is still being read must not be lost. Save
    // waits for the stored config, so an unloaded page can never overwrite it.
    let save: HtmlButtonElement = dom::by_id("save")?;
    save.set_disabled(true);
    wire_editor(&document, &textarea)?;
    wire_import(&document, &textarea)?;
    wire_actions(&document, &textarea)?;
    wire_settings(&document)?;
    super::admin::wire(&document)?;
    let import: HtmlInputElement = dom::by_id("import")?;
    if let Some(file) = import.files().and_then(|files| files.get(0)) {
        import_file(&document, &textarea, file);
    }

    let stored = storage::load_user_config(None).await?;
    editor_is_stored(stored.text.as_deref().unwrap_or_default());
    // Whatever the user imported, pasted or typed meanwhile wins over the stored text.
    if let Some(text) = stored.text.filter(|_| textarea.value().is_empty()) {
        textarea.set_value(&text);
    }
    save.set_disabled(false);
    refresh(&document, &textarea)?;
    if let Some(status) = stored.damage.as_ref().or(stored.sync_notice.as_ref()) {
        set_save_result(&document, status, stored.damage.is_some());
    }
    watch_config(&document, &textarea)?;
    render_versions(&document).await?;
    update_sync_usage(&document).await;
    // Last: the first read of managed storage can take seconds (Chromium loads its policies
    // after it starts). A save meanwhile decides from the copy of the last answer.
    let managed = match &managed_request {
        Some(request) => storage::managed_answer(request).await,
        None => storage::load_managed().await,
    };
    MANAGED_LOCKED.with(|m| m.set(Some(managed.locked)));
    show_managed(&document, &managed, &textarea)?;
    if let Err(err) = storage::keep_managed_copy(&managed).await {
        web_sys::console::warn_1(&err);
    }
    Ok(())
}

/// Whether the organisation locked the configuration: its answer if it came, else the copy
/// of the last one, else its answer if it comes within [`LOCK_WAIT_MS`]. `None`: not known
/// yet (a first start); the page applies the answer when it comes.
async fn organisation_locked() -> Option<bool> {
    if let Some(locked) = MANAGED_LOCKED.with(|m| m.get()) {
        return Some(locked);
    }
    if let Some(locked) = storage::last_known_lock().await {
        return Some(locked);
    }
    let request = MANAGED_REQUEST.with(|r| r.borrow().clone())?;
    storage::managed_within(&request, LOCK_WAIT_MS)
        .await
        .map(|managed| managed.locked)
}

/// Shows the config in force when it changes while the page is open (another browser's, taken
/// in through sync, or a save in another tab). Unsaved changes in the editor are never replaced.
fn watch_config(document: &Document, textarea: &HtmlTextAreaElement) -> Result<(), JsValue> {
    let document = document.clone();
    let textarea = textarea.clone();
    sync_watch::watch(move |change| {
        if textarea.value() == change.text {
            editor_is_stored(&change.text);
            return;
        }
        let unsaved = editor_has_unsaved(&textarea);
        editor_is_stored(&change.text);
        let from_elsewhere = change.origin == storage::ConfigOrigin::OtherBrowser;
        if unsaved {
            if from_elsewhere {
                set_save_result(
                    &document,
                    &browser::message(
                        "syncReplacedUnsaved",
                        "Another browser saved a newer configuration; it is in force. The editor still holds your unsaved changes: Save to use them instead.",
                    ),
                    false,
                );
            }
        } else {
            set_editor_text(&document, &textarea, &change.text);
            if from_elsewhere {
                set_save_result(&document, &storage::replaced_notice(None), false);
                mark_saved(&document);
            }
        }
        let document = document.clone();
        spawn(async move {
            let _ = render_versions(&document).await;
            update_sync_usage(&document).await;
        });
    })
}

// ------------------------------------------------------------------ editor

/// Live diagnostics, debounced so that a 5 MB config stays responsive while typing.
fn wire_editor(document: &Document, textarea: &HtmlTextAreaElement) -> Result<(), JsValue> {
    let pending: Rc<RefCell<Option<i32>>> = Rc::new(RefCell::new(None));
    let run = {
        let document = document.clone();
        let textarea = textarea.clone();
        let pending = pending.clone();
        Closure::<dyn FnMut()>::new(move || {
            pending.borrow_mut().take();
            if let Err(err) = refresh(&document, &textarea) {
                web_sys::console::error_1(&err);
            }
        })
    };
    let run = Rc::new(run);
    {
        let textarea_for_closure = textarea.clone();
        let document = document.clone();
        on(textarea, "input", move |_: web_sys::Event| {
            show_unsaved(&document);
            let window = web_sys::window().expect("a window");
            if let Some(id) = pending.borrow_mut().take() {
                window.clear_timeout_with_handle(id);
            }
            // Bigger configs take longer to parse: wait for a longer pause in typing.
            let delay = if textarea_for_closure.text_length() > 200_000 {
                600
            } else {
                150
            };
            if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                (*run).as_ref().unchecked_ref(),
                delay,
            ) {
                *pending.borrow_mut() = Some(id);
            }
        })?;
    }
    {
        let gutter: HtmlElement = dom::by_id("gutter")?;
        let textarea_for_closure = textarea.clone();
        on(textarea, "scroll", move |_: web_sys::Event| {
            gutter.set_scroll_top(textarea_for_closure.scroll_top());
        })?;
    }
    {
        // A diagnostic is a button carrying its line: clicking moves the cursor there.
        let list: Element = dom::by_id("diagnostics")?;
        let textarea = textarea.clone();
        on(&list, "click", move |event: web_sys::MouseEvent| {
            let line = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("[data-line]").ok().flatten())
                .and_then(|b| b.get_attribute("data-line"))
                .and_then(|l| l.parse::<u32>().ok());
            if let Some(line) = line {
                move_cursor_to_line(&textarea, line);
            }
        })?;
    }
    Ok(())
}

/// Selects line `line` (1-based) and scrolls it into view.
fn move_cursor_to_line(textarea: &HtmlTextAreaElement, line: u32) {
    let text = textarea.value();
    // Offsets in UTF-16 code units, as the DOM counts them.
    let (mut start, mut current, mut offset) = (0u32, 1u32, 0u32);
    let mut end = None;
    for c in text.chars() {
        if c == '\n' {
            if current == line {
                end = Some(offset);
                break;
            }
            current += 1;
            start = offset + 1;
        }
        offset += c.len_utf16() as u32;
    }
    let end = end.unwrap_or(offset);
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(start, end.max(start));
    textarea.set_scroll_top(((line as i32) - 4).max(0) * LINE_HEIGHT);
}

/// Line numbers, diagnostics and the preview for the editor's text.
fn refresh(document: &Document, textarea: &HtmlTextAreaElement) -> Result<(), JsValue> {
    let text = textarea.value();
    render_gutter(&text)?;
    show_diagnostics(document, &text)
}

fn render_gutter(text: &str) -> Result<(), JsValue> {
    let gutter: HtmlElement = dom::by_id("gutter")?;
    let lines = text.matches('\n').count() + 1;
    let shown = gutter.get_attribute("data-lines").unwrap_or_default();
    if shown != lines.to_string() {
        let mut numbers = String::with_capacity(lines * 6);
        for n in 1..=lines {
            numbers.push_str(&n.to_string());
            numbers.push('\n');
        }
        gutter.set_text_content(Some(&numbers));
        gutter.set_attribute("data-lines", &lines.to_string())?;
        // The textarea may have scrolled before the numbers were there to scroll with it.
        let textarea: HtmlTextAreaElement = dom::by_id("config")?;
        gutter.set_scroll_top(textarea.scroll_top());
    }
    Ok(())
}

/// Lists the diagnostics of `text` as "line N:C: severity[code]: message", each a button
/// that moves the cursor to its line, and previews the entries Save would produce.
pub fn show_diagnostics(document: &Document, text: &str) -> Result<(), JsValue> {
    let parsed = crate::check_config(text, NOT_SWITCHABLE_SHOWN);
    let list: Element = dom::by_id("diagnostics")?;
    dom::clear(&list);
    let severity_names = [Severity::Error, Severity::Warning, Severity::Note].map(|severity| {
        let name = severity.as_str();
        browser::message(&format!("severity_{}", name), name)
    });
    for diagnostic in parsed.diagnostics.iter().take(DIAGNOSTICS_SHOWN) {
        let (class, severity) = match diagnostic.severity {
            Severity::Error => ("error", &severity_names[0]),
            Severity::Warning => ("warning", &severity_names[1]),
            Severity::Note => ("note", &severity_names[2]),
        };
        let meaning = browser::reason(Some(diagnostic.code), &diagnostic.message);
        let (line, column) = (diagnostic.line.to_string(), diagnostic.column.to_string());
        let values = [
            ("line", line.as_str()),
            ("column", column.as_str()),
            ("severity", severity.as_str()),
            ("code", diagnostic.code),
            ("message", &meaning),
        ];
        let mut text = if diagnostic.column > 0 {
            browser::message_with(
                "diagnosticAt",
                "line {line}:{column}: {severity}[{code}]: {message}",
                &values,
            )
        } else {
            browser::message_with(
                "diagnosticAtLine",
                "line {line}: {severity}[{code}]: {message}",
                &values,
            )
        };
        // In another language the meaning is translated; the core's exact English (which
        // quotes the offending text) and its fix follow, marked as English.
        let mut detail = (meaning != diagnostic.message).then(|| diagnostic.message.clone());
        if let Some(fix) = &diagnostic.fix {
            let fix = format!(" ({})", fix);
            match &mut detail {
                Some(detail) => detail.push_str(&fix),
                None => text.push_str(&fix),
            }
        }
        let li = dom::append(document, &list, "li", class, "")?;
        let button = dom::append(document, &li, "button", "", &text)?;
        if let Some(detail) = detail {
            let english = dom::append(document, &button, "span", "detail", &detail)?;
            english.set_attribute("lang", "en")?;
        }
        button.set_attribute("type", "button")?;
        button.set_attribute("data-line", &diagnostic.line.to_string())?;
    }
    if parsed.diagnostics.len() > DIAGNOSTICS_SHOWN {
        dom::append(
            document,
            &list,
            "li",
            "note",
            &format!(
                "… {}",
                browser::count_message(
                    "moreDiagnostics",
                    parsed.diagnostics.len() - DIAGNOSTICS_SHOWN,
                    "{count} more diagnostic",
                    "{count} more diagnostics"
                )
            ),
        )?;
    }

    if let Some(summary) = document.get_element_by_id("preview") {
        summary.set_text_content(Some(&format!(
            "{} · {}",
            format_roles(parsed.roles),
            browser::count_message(
                "countNotSwitchable",
                parsed.not_switchable_count,
                "{count} not switchable",
                "{count} not switchable"
            )
        )));
    }
    let details: HtmlElement = dom::by_id("not-switchable-details")?;
    details.set_hidden(parsed.not_switchable_count == 0);
    let list: Element = dom::by_id("not-switchable")?;
    dom::clear(&list);
    for entry in &parsed.not_switchable {
        dom::append(
            document,
            &list,
            "li",
            "",
            &format!(
                "{} ({}): {}",
                entry.profile,
                browser::message("lineNumber", "line {n}").replace("{n}", &entry.line.to_string()),
                browser::reason(entry.reason_code, &entry.reason)
            ),
        )?;
    }
    if parsed.not_switchable_count > NOT_SWITCHABLE_SHOWN {
        dom::append(
            document,
            &list,
            "li",
            "",
            &format!("… {}", parsed.not_switchable_count - NOT_SWITCHABLE_SHOWN),
        )?;
    }
    Ok(())
}

/// "1 role", "22 roles", "22 个角色": a count of roles in the UI's language.
fn format_roles(count: usize) -> String {
    browser::count_message("countRoles", count, "{count} role", "{count} roles")
}

fn set_save_result(document: &Document, text: &str, failed: bool) {
    if let Some(el) = document.get_element_by_id("save-result") {
        el.set_text_content(Some(text));
        el.set_class_name(if failed { "failed" } else { "" });
        let _ = el.remove_attribute("data-state");
    }
}

/// The status says the editor holds the config in force ("Saved", "Restored"): the first
/// edit turns it into "Unsaved changes".
fn mark_saved(document: &Document) {
    if let Some(el) = document.get_element_by_id("save-result") {
        let _ = el.set_attribute("data-state", "saved");
    }
}

fn show_unsaved(document: &Document) {
    let Some(el) = document.get_element_by_id("save-result") else {
        return;
    };
    if el.get_attribute("data-state").as_deref() == Some("saved") {
        el.set_text_content(Some(&browser::message(
            "unsavedChanges",
            "Unsaved changes: press Save to keep them.",
        )));
        el.set_class_name("");
        let _ = el.set_attribute("data-state", "unsaved");
    }
}

/// Says "Saving…" if save number `save` is still running after [`SAVING_SHOWN_AFTER_MS`].
fn show_saving_if_slow(document: &Document, save: u32) {
    let document = document.clone();
    let show = Closure::once_into_js(move || {
        if SAVES.with(|s| s.get()) == save {
            set_save_result(&document, &browser::message("saving", "Saving…"), false);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            show.unchecked_ref(),
            SAVING_SHOWN_AFTER_MS,
        );
    }
}

// ------------------------------------------------------------------ getting a config in

fn set_editor_text(document: &Document, textarea: &HtmlTextAreaElement, text: &str) {
    textarea.set_value(text);
    if let Err(err) = refresh(document, textarea) {
        web_sys::console::error_1(&err);
    }
}

fn import_file(document: &Document, textarea: &HtmlTextAreaElement, file: web_sys::File) {
    let document = document.clone();
    let textarea = textarea.clone();
    spawn(async move {
        match JsFuture::from(file.text()).await {
            Ok(text) => {
                let text = text.as_string().unwrap_or_default();
                set_editor_text(&document, &textarea, &text);
                set_save_result(
                    &document,
                    &format!(
                        "{} {}",
                        browser::message("imported", "Imported"),
                        file.name()
                    ),
                    false,
                );
            }
            Err(err) => set_save_result(
                &document,
                &format!(
                    "{}: {}",
                    browser::message("importFailed", "Could not read the file"),
                    storage::error_text(&err)
                ),
                true,
            ),
        }
    });
}

fn wire_import(document: &Document, textarea: &HtmlTextAreaElement) -> Result<(), JsValue> {
    {
        let import: HtmlInputElement = dom::by_id("import")?;
        let document = document.clone();
        let textarea = textarea.clone();
        let input = import.clone();
        on(&import, "change", move |_: web_sys::Event| {
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                import_file(&document, &textarea, file);
            }
        })?;
    }
    let editor: HtmlElement = dom::by_id("editor")?;
    {
        let editor_for_closure = editor.clone();
        on(&editor, "dragover", move |event: DragEvent| {
            event.prevent_default();
            let _ = editor_for_closure.class_list().add_1("dragging");
        })?;
    }
    {
        let editor_for_closure = editor.clone();
        on(&editor, "dragleave", move |_: DragEvent| {
            let _ = editor_for_closure.class_list().remove_1("dragging");
        })?;
    }
    {
        let document = document.clone();
        let textarea = textarea.clone();
        let editor_for_closure = editor.clone();
        on(&editor, "drop", move |event: DragEvent| {
            let _ = editor_for_closure.class_list().remove_1("dragging");
            let Some(transfer) = event.data_transfer() else {
                return;
            };
            if let Some(file) = transfer.files().and_then(|files| files.get(0)) {
                event.prevent_default();
                import_file(&document, &textarea, file);
            }
        })?;
    }
    {
        // Switch-role links become profiles, appended after the config; any other text is
        // inserted at the cursor as the browser would (so that Ctrl+Z still undoes it).
        let document = document.clone();
        let textarea_for_closure = textarea.clone();
        on(textarea, "paste", move |event: ClipboardEvent| {
            let Some(pasted) = event
                .clipboard_data()
                .and_then(|data| data.get_data("text/plain").ok())
            else {
                return;
            };
            event.prevent_default();
            if looks_like_links(&pasted) {
                paste_links(&document, &textarea_for_closure, &pasted);
            } else {
                insert_text(&document, &textarea_for_closure, &pasted);
            }
        })?;
    }
    Ok(())
}

/// Inserts `text` at the selection through `execCommand("insertText")`, which keeps the
/// textarea's own undo history and fires `input`; falls back to `setRangeText`.
fn insert_text(document: &Document, textarea: &HtmlTextAreaElement, text: &str) {
    let _ = textarea.focus();
    let inserted = Reflect::get(document, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| {
            f.call3(
                document,
                &JsValue::from_str("insertText"),
                &JsValue::FALSE,
                &JsValue::from_str(text),
            )
            .ok()
        })
        .and_then(|r| r.as_bool())
        .unwrap_or(false);
    if !inserted {
        let _ = textarea.set_range_text(text);
        let end = textarea.selection_end().ok().flatten().unwrap_or(0)
            + text.encode_utf16().count() as u32;
        let _ = textarea.set_selection_range(end, end);
        set_editor_text_refresh(document, textarea);
    }
}

fn set_editor_text_refresh(document: &Document, textarea: &HtmlTextAreaElement) {
    if let Err(err) = refresh(document, textarea) {
        web_sys::console::error_1(&err);
    }
}

fn paste_links(document: &Document, textarea: &HtmlTextAreaElement, pasted: &str) {
    let mut text = textarea.value();
    let taken: Vec<String> = crate::parse_config(&text)
        .roles
        .into_iter()
        .map(|r| r.profile.into())
        .collect();
    let import = links_to_profiles(pasted, &taken);
    if import.profiles > 0 {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&import.text);
        set_editor_text(document, textarea, &text);
    }
    let mut message = browser::count_message(
        "linksConverted",
        import.profiles,
        "Converted {count} switch-role link into a profile",
        "Converted {count} switch-role links into profiles",
    );
    for (line, reason) in &import.rejected {
        message.push_str(&format!("; link {}: {}", line, reason));
    }
    set_save_result(document, &message, import.profiles == 0);
}

// ------------------------------------------------------------------ save, undo, export

fn wire_actions(document: &Document, textarea: &HtmlTextAreaElement) -> Result<(), JsValue> {
    let save: HtmlButtonElement = dom::by_id("save")?;
    {
        let document = document.clone();
        let textarea = textarea.clone();
        let button = save.clone();
        on(&save, "click", move |_: web_sys::MouseEvent| {
            let document = document.clone();
            let text = textarea.value();
            let button = button.clone();
            button.set_disabled(true);
            let save = SAVES.with(|s| {
                s.set(s.get().wrapping_add(1));
                s.get()
            });
            show_saving_if_slow(&document, save);
            spawn(async move {
                let parsed = crate::check_config(&text, 0);
                let locked = organisation_locked().await;
                let saved = if locked == Some(true) {
                    Err(browser::message(
                        "saveLocked",
                        "your organisation has locked the configuration",
                    ))
                } else {
                    storage::save_config(&text).await
                };
                // The result replaces "Saving…" (and no later timer may bring it back).
                SAVES.with(|s| s.set(s.get().wrapping_add(1)));
                match saved {
                    Ok(report) => {
                        editor_is_stored(&text);
                        let switchable = parsed.roles - parsed.not_switchable_count;
                        let mut message = browser::message_with(
                            "savedSummary",
                            "Saved. {roles} ({switchable})",
                            &[
                                ("roles", &format_roles(parsed.roles)),
                                (
                                    "switchable",
                                    &browser::count_message(
                                        "countSwitchable",
                                        switchable,
                                        "{count} switchable",
                                        "{count} switchable",
                                    ),
                                ),
                            ],
                        );
                        if let Some(bytes) = report.synced_bytes {
                            message.push_str(&format!(
                                " {} {} / {} bytes.",
                                browser::message("syncedBytes", "Synced:"),
                                bytes,
                                crate::store::sync_chunks::QUOTA_BYTES
                            ));
                        }
                        if locked.is_none() {
                            message.push(' ');
                            message.push_str(&browser::message(
                                "lockUnknown",
                                "(Your organisation's policy has not answered yet: the browser is still starting. If it locks the configuration, only its profiles will be listed.)",
                            ));
                        }
                        set_save_result(&document, &message, false);
                        mark_saved(&document);
                    }
                    Err(reason) => set_save_result(
                        &document,
                        &format!(
                            "{}: {}",
                            browser::message(
                                "saveFailed",
                                "Not saved; the previous config is unchanged"
                            ),
                            reason
                        ),
                        true,
                    ),
                }
                button.set_disabled(false);
                let _ = render_versions(&document).await;
                update_sync_usage(&document).await;
            });
        })?;
    }
    {
        let undo: HtmlButtonElement = dom::by_id("undo")?;
        let document = document.clone();
        let textarea = textarea.clone();
        on(&undo, "click", move |_: web_sys::MouseEvent| {
            let document = document.clone();
            let textarea = textarea.clone();
            spawn(async move {
                match storage::undo().await {
                    Ok(Some(text)) => {
                        editor_is_stored(&text);
                        set_editor_text(&document, &textarea, &text);
                        set_save_result(
                            &document,
                            &browser::message("undone", "Restored the previous version."),
                            false,
                        );
                        mark_saved(&document);
                    }
                    Ok(None) => set_save_result(
                        &document,
                        &browser::message("nothingToUndo", "There is no earlier version."),
                        false,
                    ),
                    Err(reason) => set_save_result(
                        &document,
                        &format!(
                            "{}: {}",
                            browser::message("undoFailed", "Could not undo"),
                            reason
                        ),
                        true,
                    ),
                }
                let _ = render_versions(&document).await;
                update_sync_usage(&document).await;
            });
        })?;
    }
    {
        let export: HtmlButtonElement = dom::by_id("export")?;
        let document = document.clone();
        on(&export, "click", move |_: web_sys::MouseEvent| {
            let document = document.clone();
            spawn(async move {
                let text = storage::load_user_config(None)
                    .await
                    .ok()
                    .and_then(|stored| stored.text)
                    .unwrap_or_default();
                if let Err(err) = download(&document, "aws-config", &text) {
                    set_save_result(&document, &storage::error_text(&err), true);
                }
            });
        })?;
    }
    {
        let list: Element = dom::by_id("versions")?;
        let document = document.clone();
        let textarea = textarea.clone();
        on(&list, "click", move |event: web_sys::MouseEvent| {
            let index = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("[data-version]").ok().flatten())
                .and_then(|b| b.get_attribute("data-version"))
                .and_then(|i| i.parse::<usize>().ok());
            let Some(index) = index else { return };
            let document = document.clone();
            let textarea = textarea.clone();
            spawn(async move {
                match storage::restore(index).await {
                    Ok(Some(text)) => {
                        editor_is_stored(&text);
                        set_editor_text(&document, &textarea, &text);
                        set_save_result(
                            &document,
                            &browser::message("restored", "Restored."),
                            false,
                        );
                        mark_saved(&document);
                    }
                    Ok(None) => {}
                    Err(reason) => set_save_result(&document, &reason, true),
                }
                let _ = render_versions(&document).await;
            });
        })?;
    }
    Ok(())
}

/// Downloads `text` as `name` through a Blob URL and an `<a download>`.
fn download(document: &Document, name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

thread_local! {
    /// Role counts of stored versions by [`content_check`]: a version never changes, and
    /// counting one means parsing it (~75 ms natively at 50,000 roles), so each is counted
    /// once per page rather than at every save, undo and restore. At most a few are kept.
    static VERSION_ROLES: RefCell<Vec<(String, usize)>> = const { RefCell::new(Vec::new()) };
}

/// How many roles `text` (a stored version) lists.
fn version_roles(text: &str) -> usize {
    let key = content_check(text);
    VERSION_ROLES.with(|counts| {
        let mut counts = counts.borrow_mut();
        if let Some(&(_, roles)) = counts.iter().find(|(k, _)| *k == key) {
            return roles;
        }
        let roles = crate::check_config(text, 0).roles;
        // Only the kept versions are listed; older counts are of versions gone.
        if counts.len() > crate::store::config_versions::KEEP {
            counts.remove(0);
        }
        counts.push((key, roles));
        roles
    })
}

async fn render_versions(document: &Document) -> Result<(), JsValue> {
    let versions = storage::load_versions().await;
    let list: Element = dom::by_id("versions")?;
    dom::clear(&list);
    let undo: HtmlButtonElement = dom::by_id("undo")?;
    undo.set_disabled(!versions.can_undo());
    // A sentence, not a numbered list of one non-item.
    let empty: HtmlElement = dom::by_id("versions-empty")?;
    empty.set_hidden(!versions.versions.is_empty());
    list.unchecked_ref::<HtmlElement>()
        .set_hidden(versions.versions.is_empty());
    for (index, version) in versions.versions.iter().enumerate() {
        let when = js_sys::Date::new(&JsValue::from_f64(version.replaced_at))
            .to_locale_string("default", &JsValue::UNDEFINED);
        let (key, english) = version.kind.label();
        let kind = browser::message(key, english);
        let roles = version_roles(&version.text);
        let li = dom::append(
            document,
            &list,
            "li",
            "",
            &format!(
                "{} · {} · {}",
                String::from(when),
                format_roles(roles),
                kind
            ),
        )?;
        let button = dom::append(
            document,
            &li,
            "button",
            "",
            &browser::message("restore", "Restore"),
        )?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-version", &index.to_string())?;
    }
    Ok(())
}

// ------------------------------------------------------------------ keyboard shortcut

/// Which key opens the popup now (the browser's binding, which the user may have changed), and
/// where each browser lets the user change it: extensions cannot set it themselves.
async fn show_shortcut_hint() {
    let how_to = browser::message(
        "shortcutHowTo",
        "To change the shortcut: in Chrome, open chrome://extensions/shortcuts; in Edge, edge://extensions/shortcuts; in Firefox, about:addons → the gear menu → Manage Extension Shortcuts.",
    );
    let current = match browser::popup_shortcut().await {
        Some(key) if !key.is_empty() => browser::message_with(
            "shortcutCurrent",
            "The role list opens with {key}.",
            &[("key", &key)],
        ),
        Some(_) => browser::message(
            "shortcutNone",
            "No keyboard shortcut opens the role list yet.",
        ),
        None => String::new(),
    };
    if let Some(hint) = dom::document().get_element_by_id("shortcut-hint") {
        let text = if current.is_empty() {
            how_to
        } else {
            format!("{} {}", current, how_to)
        };
        hint.set_text_content(Some(&text));
    }
}

// ------------------------------------------------------------------ managed

fn show_managed(
    document: &Document,
    managed: &storage::Managed,
    textarea: &HtmlTextAreaElement,
) -> Result<(), JsValue> {
    let Some(config) = &managed.config else {
        return Ok(());
    };
    let section: HtmlElement = dom::by_id("managed")?;
    section.set_hidden(false);
    let managed_text: HtmlTextAreaElement = dom::by_id("managed-config")?;
    managed_text.set_value(config);
    let roles = crate::check_config(config, 0).roles;
    let mut summary = format!(
        "{} {}",
        format_roles(roles),
        browser::message(
            "managedSummary",
            "from your organisation, listed in their own group, read-only."
        )
    );
    if managed.locked {
        summary.push(' ');
        summary.push_str(&browser::message(
            "managedLocked",
            "Your organisation has locked the configuration: you cannot add your own profiles.",
        ));
        textarea.set_read_only(true);
        let save: HtmlButtonElement = dom::by_id("save")?;
        save.set_disabled(true);
    }
    let p: Element = dom::by_id("managed-summary")?;
    p.set_text_content(Some(&summary));
    let _ = document;
    Ok(())
}

// ------------------------------------------------------------------ settings

fn apply_theme(theme: Theme) {
    if let Some(root) = dom::document().document_element() {
        let _ = match theme.data_theme() {
            Some(name) => root.set_attribute("data-theme", name),
            None => root.remove_attribute("data-theme"),
        };
    }
}

fn set_settings_result(document: &Document, text: &str) {
    if let Some(el) = document.get_element_by_id("settings-result") {
        el.set_text_content(Some(text));
    }
}

fn store_settings(document: &Document, settings: &crate::settings::Settings) -> bool {
    match storage::save_settings(settings) {
        Ok(()) => true,
        Err(err) => {
            set_settings_result(
                document,
                &format!(
                    "{}: {}",
                    browser::message("settingsFailed", "Settings not saved"),
                    storage::error_text(&err)
                ),
            );
            false
        }
    }
}

fn wire_settings(document: &Document) -> Result<(), JsValue> {
    let settings = storage::load_settings();
    let hide: HtmlInputElement = dom::by_id("hide-account-ids")?;
    let only_base: HtmlInputElement = dom::by_id("only-signed-in-base")?;
    let theme: HtmlSelectElement = dom::by_id("theme")?;
    let local: HtmlInputElement = dom::by_id("storage-local")?;
    let sync: HtmlInputElement = dom::by_id("storage-sync")?;
    hide.set_checked(settings.hide_account_ids);
    only_base.set_checked(settings.only_signed_in_base);
    theme.set_value(match settings.theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
    });
    local.set_checked(settings.storage == StorageArea::Local);
    sync.set_checked(settings.storage == StorageArea::Sync);

    for checkbox in [hide.clone(), only_base.clone()] {
        let document = document.clone();
        let hide = hide.clone();
        let only_base = only_base.clone();
        on(&checkbox, "change", move |_: web_sys::Event| {
            let mut settings = storage::load_settings();
            settings.hide_account_ids = hide.checked();
            settings.only_signed_in_base = only_base.checked();
            if store_settings(&document, &settings) {
                set_settings_result(
                    &document,
                    &browser::message("settingsSaved", "Settings saved."),
                );
            }
        })?;
    }
    {
        let document = document.clone();
        let select = theme.clone();
        on(&theme, "change", move |_: web_sys::Event| {
            let mut settings = storage::load_settings();
            settings.theme = match select.value().as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::Auto,
            };
            apply_theme(settings.theme);
            if store_settings(&document, &settings) {
                set_settings_result(
                    &document,
                    &browser::message("settingsSaved", "Settings saved."),
                );
            }
        })?;
    }
    {
        let document = document.clone();
        let local_for_closure = local.clone();
        on(&local, "change", move |_: web_sys::Event| {
            if !local_for_closure.checked() {
                return;
            }
            let mut settings = storage::load_settings();
            settings.storage = StorageArea::Local;
            if store_settings(&document, &settings) {
                set_settings_result(
                    &document,
                    &browser::message(
                        "storageLocalChosen",
                        "The configuration is kept in this browser only.",
                    ),
                );
            }
        })?;
    }
    {
        let document = document.clone();
        let sync_for_closure = sync.clone();
        on(&sync, "change", move |_: web_sys::Event| {
            if !sync_for_closure.checked() {
                return;
            }
            let document = document.clone();
            let local = local.clone();
            spawn(async move {
                // Sync only once this browser and sync agree on the config: sync's is adopted
                // when it holds one; else this one goes there, and if it does not fit, the
                // browser stays local and says why.
                let said = match sync_store::turn_on().await {
                    Ok(turned_on) => {
                        let mut settings = storage::load_settings();
                        settings.storage = StorageArea::Sync;
                        if store_settings(&document, &settings) {
                            Some(turned_on_message(&document, turned_on).await)
                        } else {
                            None
                        }
                    }
                    Err(reason) => {
                        local.set_checked(true);
                        Some(format!(
                            "{}: {}",
                            browser::message(
                                "syncFailed",
                                "Not synced; the configuration stays in this browser"
                            ),
                            reason
                        ))
                    }
                };
                if let Some(said) = said {
                    set_settings_result(&document, &said);
                }
                update_sync_usage(&document).await;
            });
        })?;
    }
    Ok(())
}

/// What the page says, and shows, once sync is on.
async fn turned_on_message(document: &Document, turned_on: sync_store::TurnedOn) -> String {
    let synced = |bytes: usize| {
        format!(
            "{} {} / {} bytes.",
            browser::message(
                "storageSyncChosen",
                "The configuration is synced across your browsers:"
            ),
            bytes,
            crate::store::sync_chunks::QUOTA_BYTES
        )
    };
    match turned_on {
        sync_store::TurnedOn::Pushed { bytes } => synced(bytes),
        sync_store::TurnedOn::AlreadyThere => {
            synced(sync_store::sync_bytes_in_use().await.unwrap_or(0))
        }
        sync_store::TurnedOn::Awaiting => {
            // A set that became whole while sync was being turned on (before the setting said
            // so, when changes were not yet followed) is taken in now.
            if let Err(err) = sync_store::reconcile_now().await {
                web_sys::console::warn_1(&JsValue::from_str(&err));
            }
            browser::message(
                "syncAwaiting",
                "Sync is on. Your other browsers have synced no configuration yet (or it is still arriving): this browser will use theirs when it arrives.",
            )
        }
        sync_store::TurnedOn::Adopted(adopted) => {
            let roles = crate::check_config(&adopted.text, 0).roles;
            let mut said = browser::message_with(
                "syncAdopted",
                "Sync is on: this browser now uses the configuration synced from your other browsers ({roles}).",
                &[("roles", &format_roles(roles))],
            );
            if adopted.kept_as.is_some() {
                said.push(' ');
                said.push_str(&browser::message(
                    "syncAdoptedKept",
                    "Its own configuration is kept under Previous versions.",
                ));
            }
            if let Ok(textarea) = dom::by_id::<HtmlTextAreaElement>("config") {
                if !editor_has_unsaved(&textarea) {
                    set_editor_text(document, &textarea, &adopted.text);
                }
                editor_is_stored(&adopted.text);
            }
            set_save_result(document, &said, false);
            mark_saved(document);
            let _ = render_versions(document).await;
            said
        }
    }
}

async fn update_sync_usage(document: &Document) {
    let Ok(meter) = dom::by_id::<HtmlMeterElement>("sync-usage") else {
        return;
    };
    let text = match sync_store::sync_bytes_in_use().await {
        Ok(bytes) => {
            meter.set_value(bytes as f64);
            browser::message("syncUsageText", "{used} / {quota} bytes ({percent}%)")
                .replace("{used}", &bytes.to_string())
                .replace(
                    "{quota}",
                    &crate::store::sync_chunks::QUOTA_BYTES.to_string(),
                )
                .replace(
                    "{percent}",
                    &(bytes * 100 / crate::store::sync_chunks::QUOTA_BYTES).to_string(),
                )
        }
        Err(reason) => reason,
    };
    if let Some(el) = document.get_element_by_id("sync-usage-text") {
        el.set_text_content(Some(&text));
    }
}
