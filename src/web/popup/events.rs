//! The popup's events: the search box's input, clicks on the lists, scrolling and the keys
//! (each key's meaning is the core's, [`crate::popup::keys`]; here it is read and done), and the
//! row actions they lead to: open (switch), copy the link, remove or pin a "Recent" option.

use super::*;

/// The status line's writer for other modules: `set_status`, with account IDs hidden as set.
pub(super) fn status_writer(document: &Document) -> console_banner::Status {
    let document = document.clone();
    Rc::new(move |text: &str| set_status(&document, text))
}

pub(super) fn wire_events(
    document: &Document,
    input: &HtmlInputElement,
    state: &SharedState,
) -> Result<(), JsValue> {
    {
        let state = state.clone();
        let document = document.clone();
        let input_for_closure = input.clone();
        let on_input = Closure::<dyn FnMut()>::new(move || {
            state.borrow_mut().set_query(&input_for_closure.value());
            if let Some(list) = document.get_element_by_id("roles") {
                list.set_scroll_top(0);
            }
            report(render_in_view_first(&document, &state));
        });
        input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
        on_input.forget();
    }
    {
        let state = state.clone();
        let document = document.clone();
        let input_for_closure = input.clone();
        let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            on_keydown(&document, &input_for_closure, &state, &event);
        });
        input.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())?;
        on_key.forget();
    }
    for list_id in ["roles", "recent"] {
        let list: Element = dom::by_id(list_id)?;
        let state = state.clone();
        let document = document.clone();
        let on_click = Closure::<dyn FnMut(MouseEvent)>::new(move |event: MouseEvent| {
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            let option = target
                .as_ref()
                .and_then(|t| t.closest("[role=option]").ok().flatten());
            let Some(index) = option
                .and_then(|o| o.get_attribute("data-entry"))
                .and_then(|i| i.parse::<usize>().ok())
            else {
                return;
            };
            let action = target
                .and_then(|t| t.closest("[data-action]").ok().flatten())
                .and_then(|a| a.get_attribute("data-action"));
            event.prevent_default();
            act(
                &document,
                &state,
                action.as_deref().unwrap_or("open"),
                index,
            );
        });
        list.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
        on_click.forget();
    }
    {
        let list: Element = dom::by_id("roles")?;
        let state = state.clone();
        let document = document.clone();
        let on_scroll = Closure::<dyn FnMut()>::new(move || {
            report(render_roles(&document, &state.borrow()));
        });
        list.add_event_listener_with_callback("scroll", on_scroll.as_ref().unchecked_ref())?;
        on_scroll.forget();
    }
    {
        let button: Element = dom::by_id("recent-clear")?;
        let state = state.clone();
        let document = document.clone();
        let input = input.clone();
        let on_clear = Closure::<dyn FnMut()>::new(move || {
            let mut history = load_history();
            history.clear();
            save_history(&history);
            {
                let mut s = state.borrow_mut();
                s.history = history;
                s.layout_from_top();
            }
            let _ = input.focus();
            report(render(&document, &state.borrow()));
        });
        button.add_event_listener_with_callback("click", on_clear.as_ref().unchecked_ref())?;
        on_clear.forget();
    }
    {
        let toggle: HtmlInputElement = dom::by_id("show-all")?;
        let state = state.clone();
        let document = document.clone();
        let toggle_for_closure = toggle.clone();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            {
                let mut s = state.borrow_mut();
                s.show_all = toggle_for_closure.checked();
                s.layout_from_top();
            }
            report(render(&document, &state.borrow()));
        });
        toggle.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
        on_change.forget();
    }
    console_banner::wire(document, status_writer(document))?;
    Ok(())
}

pub(super) fn report(result: Result<(), JsValue>) {
    if let Err(err) = result {
        web_sys::console::error_1(&err);
    }
}

pub(super) fn on_keydown(
    document: &Document,
    input: &HtmlInputElement,
    state: &SharedState,
    event: &KeyboardEvent,
) {
    let command = event.ctrl_key() || event.meta_key();
    let key = match event.key().as_str() {
        "ArrowDown" => Key::Down,
        "ArrowUp" => Key::Up,
        "PageDown" => Key::PageDown,
        "PageUp" => Key::PageUp,
        "Home" if !event.shift_key() => Key::Home,
        "End" if !event.shift_key() => Key::End,
        "Enter" => Key::Enter,
        "Escape" => Key::Escape,
        // Copy link: the option's button is not focusable (the listbox pattern keeps focus in
        // the combobox), so the active option's link is copied when no text is selected.
        "c" | "C" if command && !event.alt_key() && !has_selection(input) => Key::Copy,
        "Delete" => Key::Delete,
        // Alt+P pins or unpins the active "Recent" option (the pin button's shortcut).
        "p" | "P" | "π" if event.alt_key() && !command => Key::Pin,
        _ => return,
    };
    let (mut keys, chosen) = {
        let s = state.borrow();
        let mut keys = s.keys(page_size(document), input.value().is_empty());
        // The cached first screen has no entries yet, and lists them.
        keys.nothing_listed = s.first.is_none() && s.entries.is_empty();
        (keys, s.active_entry())
    };
    let action = keys.key(key);
    if action != Action::Pass {
        event.prevent_default();
    }
    let chosen = || chosen.expect("the model acts only on an active option");
    match action {
        Action::Move(position) => {
            state.borrow_mut().active = Some(position);
            report(show_active(document, &state.borrow()));
        }
        Action::Open => act(document, state, "open", chosen()),
        // The empty state's button, from the keyboard.
        Action::OpenOptions => popup_empty::open_options(),
        Action::Copy => act(document, state, "copy", chosen()),
        Action::Remove => act(document, state, "remove", chosen()),
        Action::Pin => act(document, state, "pin", chosen()),
        Action::ClearQuery => {
            input.set_value("");
            let _ = input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
        }
        Action::Close => {
            if let Some(window) = web_sys::window() {
                let _ = window.close();
            }
        }
        Action::Swallow | Action::Pass => {}
    }
}

pub(super) fn has_selection(input: &HtmlInputElement) -> bool {
    matches!(
        (input.selection_start(), input.selection_end()),
        (Ok(Some(a)), Ok(Some(b))) if a != b
    )
}

/// Options per page for PageUp / PageDown: as many as fit in the list's viewport.
pub(super) fn page_size(document: &Document) -> usize {
    let height = document
        .get_element_by_id("roles")
        .map(|l| l.client_height().max(0) as u32)
        .filter(|&h| h > 0)
        .unwrap_or(FALLBACK_VIEWPORT_PX);
    ((height / OPTION_HEIGHT) as usize).max(1)
}

/// Runs a row action (`open`, `copy`, `remove`, `pin`) on entry `index`.
pub(super) fn act(document: &Document, state: &SharedState, action: &str, index: usize) {
    if state.borrow().first.is_some() {
        // The cached first screen: done once the entries are read.
        let action = match action {
            "copy" => "copy",
            "remove" => "remove",
            "pin" => "pin",
            _ => "open",
        };
        state.borrow_mut().pending = Some((action, index));
        return;
    }
    let Some(entry) = state.borrow().entries.get(index).cloned() else {
        return;
    };
    match action {
        "copy" => copy_link(document, &entry),
        "remove" | "pin" => {
            let mut history = load_history();
            {
                let entries = &state.borrow().entries;
                if action == "remove" {
                    history.remove(index, entries);
                } else {
                    history.toggle_pin(index, entries);
                }
            }
            save_history(&history);
            // Not the cached first screen (returned above): the model lays the rows out.
            state.borrow_mut().model.replace_history(history);
            report(render(document, &state.borrow()));
            // A click on the row's button took the focus (and the redraw removed the button):
            // give it back to the search box, where the keys work.
            if let Ok(input) = dom::by_id::<HtmlInputElement>("search") {
                let _ = input.focus();
            }
        }
        _ => {
            // Nothing is sent from a root tab; its link may still be opened in a new tab.
            let blocked = state.borrow().tab_blocks_switching.clone();
            match blocked {
                Some(reason) => report(console_banner::refuse(
                    document,
                    entry,
                    &reason,
                    status_writer(document),
                )),
                None => open_entry(document, entry),
            }
        }
    }
}

pub(super) fn copy_link(document: &Document, entry: &RoleEntry) {
    let Some(url) = entry.link() else {
        set_status(
            document,
            &format!(
                "{} {}: {}",
                browser::message("cannotSwitch", "Cannot switch to"),
                entry.profile,
                browser::reason(
                    entry.reason_code,
                    entry.reason.as_deref().unwrap_or_default()
                )
            ),
        );
        return;
    };
    let document = document.clone();
    let profile = entry.profile.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match clipboard_write_text(&url) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        };
        let text = if copied {
            browser::message_with(
                "linkCopied",
                "Link copied: {profile}",
                &[("profile", &profile)],
            )
        } else {
            browser::message("copyFailed", "Could not copy the link")
        };
        set_status(&document, &text);
    });
}

/// Writes the status line. With "Hide account IDs" on, every account ID a sentence quotes (a
/// profile name, AWS's answer) reads as its alias, else as a placeholder.
pub(super) fn set_status(document: &Document, text: &str) {
    let placeholder = || browser::message("accountIdHidden", "(account ID hidden)");
    let state = POPUP.with(|p| p.borrow().clone());
    let shown = match state.as_ref().map(|s| s.try_borrow()) {
        Some(Ok(s)) => s
            .settings
            .hide_account_ids
            .then(|| hide_account_ids(text, |id| s.alias_of(id).unwrap_or_else(placeholder))),
        // No state to ask (being changed, or none yet): the stored setting, without aliases.
        _ => storage::load_settings()
            .hide_account_ids
            .then(|| hide_account_ids(text, |_| placeholder())),
    };
    if let Some(status) = document.get_element_by_id("popup-status") {
        status.set_text_content(Some(shown.as_deref().unwrap_or(text)));
    }
}

pub(super) fn open_entry(document: &Document, entry: RoleEntry) {
    if !entry.switchable {
        let reason = browser::reason(
            entry.reason_code,
            entry.reason.as_deref().unwrap_or_default(),
        );
        set_status(
            document,
            &format!(
                "{} {}: {}",
                browser::message("cannotSwitch", "Cannot switch to"),
                entry.profile,
                reason
            ),
        );
        return;
    }
    let document = document.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Console tab: switched in place; any other tab: the switch-role page, pressed for the
        // user. An error (e.g. multi-session "may not switch to that role") stays in the status.
        match crate::web::switch::switch_to(&entry).await {
            Ok(()) => {
                remember_switch(&entry.profile);
                if let Some(window) = web_sys::window() {
                    let _ = window.close();
                }
            }
            Err(message) => set_status(
                &document,
                &format!(
                    "{} {}: {}",
                    browser::message("cannotSwitch", "Cannot switch to"),
                    entry.profile,
                    message
                ),
            ),
        }
    });
}
