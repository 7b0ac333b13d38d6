//! The popup's lines about the console tab it is opened over, above the lists: who is signed in
//! (the "Signed in" line itself is drawn by `popup.rs`, with its "Show all" toggle), the root
//! user's line, the role the tab is switched to with the time its session has left, and the
//! "Switch back to …" button (or where the console's own "Switch back" is). Also the "time
//! left" of a "Recent" row, and the button that opens a role's link in a new tab from a root tab.
//!
//! What to say is decided in the core (`console_identity`, `session_clock`, `account_display`);
//! this module only writes it, as text, into `popup.html`'s elements.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::browser;
use super::switch::{self, ConsoleTab};
use crate::console::session_clock::{time_left, SessionTime};
use crate::popup::account_display::account_label;
use crate::roles::entry::RoleEntry;

/// Writes a sentence to the popup's status line (hiding account IDs as the settings ask).
pub type Status = Rc<dyn Fn(&str)>;

/// How accounts read in these lines: IDs hidden or not, and the alias the config gives an ID.
pub struct AccountNames<'a> {
    pub hide_ids: bool,
    pub alias_of: &'a dyn Fn(&str) -> Option<String>,
}

impl AccountNames<'_> {
    pub fn label(&self, account: &str) -> String {
        let placeholder = browser::message("accountIdHidden", "(account ID hidden)");
        account_label(
            account,
            self.hide_ids,
            (self.alias_of)(account).as_deref(),
            &placeholder,
        )
    }
}

/// Draws the console tab's lines. `switched_at`: when the extension switched to the role the
/// tab shows (from "Recent"), if it did.
pub fn draw(
    document: &Document,
    tab: &ConsoleTab,
    names: &AccountNames,
    switched_at: Option<f64>,
    now: f64,
) -> Result<(), JsValue> {
    let who = &tab.identity;
    show(document, "console-root", who.root.then(|| {
        browser::message(
            "rootCannotSwitch",
            "The root user cannot switch roles. Sign in as an IAM user or through a role to switch.",
        )
    }))?;
    let switched = who.switched.as_ref();
    show(
        document,
        "switched-text",
        switched.map(|role| {
            browser::message_with(
                "switchedTo",
                "Switched to {role} in {account}",
                &[
                    ("role", &role.role),
                    ("account", &names.label(&role.account)),
                ],
            )
        }),
    )?;
    if let Some(line) = document.get_element_by_id("console-switched") {
        toggle(&line, switched.is_some())?;
    }
    let left = switched_at.and_then(|at| time_left(at, now).map(|t| (t, at)));
    match (left, document.get_element_by_id("session-left")) {
        (Some((time, at)), Some(span)) => {
            let (text, low) = session_text(time);
            write_time_left(&span, &text, low, at)?;
        }
        (None, Some(span)) => span.set_attribute("hidden", "")?,
        _ => {}
    }
    // Switch back: the button when the extension can send the console's own request, else
    // where the console's own control is. Never for an unswitched tab.
    let offer = switched.is_some() && tab.switch_back.is_ok();
    show(
        document,
        "switch-back",
        offer.then(|| {
            browser::message_with(
                "switchBackTo",
                "Switch back to {login} in {account}",
                &[
                    (
                        "login",
                        if who.login.is_empty() {
                            "?"
                        } else {
                            &who.login
                        },
                    ),
                    ("account", &names.label(&who.account)),
                ],
            )
        }),
    )?;
    show(document, "switch-back-hint", (switched.is_some() && !offer).then(|| {
        browser::message(
            "switchBackUseMenu",
            "Switch back from the console itself: its account menu (top right) has \"Switch back\".",
        )
    }))?;
    if let Some(section) = document.get_element_by_id("console-tab") {
        toggle(&section, who.root || switched.is_some())?;
    }
    Ok(())
}

/// "47 min left", and whether it is under ten minutes; "over an hour" once the hour is over.
fn session_text(time: SessionTime) -> (String, bool) {
    match time {
        SessionTime::Left { minutes, low } => (
            browser::message_with(
                "sessionMinutesLeft",
                "{minutes} min left",
                &[("minutes", &minutes.to_string())],
            ),
            low,
        ),
        SessionTime::Over => (
            browser::message("sessionOver", "over an hour since the switch"),
            true,
        ),
    }
}

/// Writes a time left into `span`, with the title saying what it is counted from and that it is
/// an upper bound.
fn write_time_left(span: &Element, text: &str, low: bool, switched_at: f64) -> Result<(), JsValue> {
    span.set_text_content(Some(text));
    let at = js_sys::Date::new(&JsValue::from_f64(switched_at));
    let clock = at
        .to_locale_time_string(&browser::message("@@ui_locale", "en").replace('_', "-"))
        .as_string()
        .unwrap_or_default();
    span.set_attribute(
        "title",
        &browser::message_with(
            "sessionLeftTitle",
            "At most: a role switched to in the console lasts at most one hour, counted from your switch with this extension at {time}. The console may end it sooner.",
            &[("time", &clock)],
        ),
    )?;
    span.set_attribute("data-low", if low { "true" } else { "false" })?;
    span.remove_attribute("hidden")
}

/// A "Recent" row's time left, for switches of the last hour: appended to `detail`.
pub fn recent_time_left(
    document: &Document,
    detail: &Element,
    switched_at: f64,
    now: f64,
) -> Result<(), JsValue> {
    let Some((minutes, low)) = crate::console::session_clock::recent_time_left(switched_at, now)
    else {
        return Ok(());
    };
    let span = super::dom::append(document, detail, "span", "session-left", "")?;
    let (text, _) = session_text(SessionTime::Left { minutes, low });
    write_time_left(&span, &text, low, switched_at)
}

/// Wires the "Switch back" button: it sends the console's own "Switch back" from the tab and
/// closes the popup, or says in the status why not.
pub fn wire(document: &Document, status: Status) -> Result<(), JsValue> {
    let Some(button) = document.get_element_by_id("switch-back") else {
        return Ok(());
    };
    let on_click = Closure::<dyn FnMut()>::new(move || {
        let status = status.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match switch::switch_back_tab().await {
                Ok(()) => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.close();
                    }
                }
                Err(message) => status(&message),
            }
        });
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(())
}

/// A role chosen on a tab that cannot switch (its root user): the status says why, nothing is
/// sent, and a button offers to open the role's prefilled link in a new tab.
pub fn refuse(
    document: &Document,
    entry: RoleEntry,
    reason: &str,
    status: Status,
) -> Result<(), JsValue> {
    status(&format!(
        "{} {}: {}",
        browser::message("cannotSwitch", "Cannot switch to"),
        entry.profile,
        reason
    ));
    if entry.switchable {
        offer_new_tab(document, entry, status)?;
    }
    Ok(())
}

/// A button that opens `entry`'s prefilled link in a new tab (nothing is pressed there; the
/// user may sign in differently first).
fn offer_new_tab(document: &Document, entry: RoleEntry, status: Status) -> Result<(), JsValue> {
    let Some(old) = document.get_element_by_id("open-new-tab") else {
        return Ok(());
    };
    // A fresh button each time, so that only the last chosen role's listener is on it.
    let button: Element = old.clone_node_with_deep(false)?.unchecked_into();
    old.replace_with_with_node_1(&button)?;
    button.set_text_content(Some(&browser::message_with(
        "openInNewTab",
        "Open {profile}'s switch link in a new tab",
        &[("profile", &entry.profile)],
    )));
    button.remove_attribute("hidden")?;
    let on_click = Closure::<dyn FnMut()>::new(move || {
        let (entry, status) = (entry.clone(), status.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match switch::open_link_in_new_tab(&entry).await {
                Ok(()) => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.close();
                    }
                }
                Err(message) => status(&message),
            }
        });
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(())
}

/// Sets element `id`'s text and shows it, or hides it for `None`.
fn show(document: &Document, id: &str, text: Option<String>) -> Result<(), JsValue> {
    let Some(element) = document.get_element_by_id(id) else {
        return Ok(());
    };
    if let Some(text) = &text {
        element.set_text_content(Some(text));
    }
    toggle(&element, text.is_some())
}

fn toggle(element: &Element, visible: bool) -> Result<(), JsValue> {
    if visible {
        element.remove_attribute("hidden")
    } else {
        element.set_attribute("hidden", "")
    }
}
