//! One-click switching: what happens when the user picks a role in the popup.
//!
//! - The target tab (the active tab of the last-focused normal window) is a console page of the
//!   role's partition: read its session from the page's main world and switch in place, with the
//!   sign-in host's form POST, or in multi-session mode its JSON call, opening the returned
//!   destination in a new tab.
//! - Any other tab, or a console page that gives no csrf token: open the prefilled switch-role
//!   URL in a new tab and remember, for that tab only and once, which account and role it is
//!   for; the content script (`extension/content/switchrole.js`) then asks the background
//!   (`background.rs`) whether to press "Switch Role".
//! - IAM Identity Center entries open the access portal's console shortcut.
//!
//! The requests themselves are built by the core (`crate::console::session`, `crate::roles::switch_url`).

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::browser;
use crate::console::identity::ConsoleIdentity;
use crate::console::session::{
    console_partition, console_switch, form_offer_key, multi_session_destination, switch_back,
    ConsolePage, ConsoleSwitch, NoSwitchBack,
};
use crate::roles::entry::{EntryKind, RoleEntry};
use crate::roles::partition::Partition;

#[wasm_bindgen(module = "/extension/content/console-page.js")]
extern "C" {
    /// `readConsole`, `postForm` or `multiSessionSwitch`: functions run inside the console tab.
    #[wasm_bindgen(js_name = pageFunction)]
    fn page_function(name: &str) -> Function;
}

/// A page that takes longer than this to answer is treated as not answering.
const PAGE_TIMEOUT_MS: i32 = 4_000;
/// The multi-session call goes over the network.
const NETWORK_TIMEOUT_MS: i32 = 15_000;
/// How long the switch-role tab may take to show its form before the offer to press it lapses.
const FORM_OFFER_MS: f64 = 120_000.0;

/// Switches to `entry`. `Ok` once the switch is under way (the popup may close); `Err` with a
/// sentence for the popup's status otherwise. Nothing is sent for an entry that is not switchable.
pub async fn switch_to(entry: &RoleEntry) -> Result<(), String> {
    let Some(url) = entry.link() else {
        return Err(entry
            .reason
            .clone()
            .unwrap_or_else(|| "this entry cannot be switched to".into()));
    };
    let tab = browser::active_tab().await.ok().flatten();
    let window_id = tab.as_ref().and_then(|t| t.window_id);
    if entry.kind == EntryKind::Sso {
        return browser::create_tab(&url, window_id)
            .await
            .map(|_| ())
            .map_err(|e| text(&e));
    }
    if let Some(tab) = &tab {
        let on_console = tab.url.as_deref().and_then(console_partition);
        if on_console.is_some() && on_console == Partition::from_id(&entry.partition) {
            match switch_in_console(tab.id, entry).await {
                Ok(Some(())) => return Ok(()),
                Ok(None) => {} // the page could not switch in place: open the form instead
                Err(message) => return Err(message),
            }
        }
    }
    open_switch_form(&url, entry, window_id)
        .await
        .map_err(|e| text(&e))
}

/// What the popup knows about the console tab it is opened over.
pub struct ConsoleTab {
    pub identity: ConsoleIdentity,
    pub partition: Partition,
    /// Whether the extension can send the console's own "Switch back" from this tab.
    pub switch_back: Result<(), NoSwitchBack>,
}

/// Who is signed in on the target tab, when it is a console page that answers (see
/// `crate::console::identity`). `None` for any other tab, or a page that does not answer in time.
pub async fn console_tab() -> Option<ConsoleTab> {
    let tab = browser::active_tab().await.ok().flatten()?;
    let partition = tab.url.as_deref().and_then(console_partition)?;
    let page = read_console(tab.id).await.ok()?;
    Some(ConsoleTab {
        identity: ConsoleIdentity::read(&page)?,
        partition,
        switch_back: switch_back(&page).map(|_| ()),
    })
}

async fn read_console(tab_id: f64) -> Result<ConsolePage, JsValue> {
    let read = browser::execute_script(
        tab_id,
        &page_function("readConsole"),
        &Array::new(),
        true,
        PAGE_TIMEOUT_MS,
    )
    .await?;
    console_page(&read)
}

/// Sends the console's own "Switch back" from the target tab (read again now, for its current
/// csrf token). `Err` with a sentence for the popup's status when the tab cannot.
pub async fn switch_back_tab() -> Result<(), String> {
    let tab = browser::active_tab()
        .await
        .map_err(|e| text(&e))?
        .filter(|t| t.url.as_deref().and_then(console_partition).is_some())
        .ok_or_else(|| browser::message("switchBackNoTab", "The console tab is gone."))?;
    let page = read_console(tab.id).await.map_err(|e| text(&e))?;
    let ConsoleSwitch::Form { url, fields } = switch_back(&page).map_err(|_| {
        browser::message(
            "switchBackUseMenu",
            "Switch back from the console itself: its account menu (top right) has \"Switch back\".",
        )
    })?
    else {
        return Err(browser::message("switchBackNoTab", "The console tab is gone."));
    };
    post_form(tab.id, &url, &fields).await
}

/// Opens `entry`'s prefilled switch-role link in a new tab, and nothing more (the user presses
/// "Switch Role" there, e.g. after signing in as someone who may switch).
pub async fn open_link_in_new_tab(entry: &RoleEntry) -> Result<(), String> {
    let url = entry
        .link()
        .ok_or_else(|| entry.reason.clone().unwrap_or_default())?;
    let window_id = browser::active_tab()
        .await
        .ok()
        .flatten()
        .and_then(|t| t.window_id);
    browser::create_tab(&url, window_id)
        .await
        .map(|_| ())
        .map_err(|e| text(&e))
}

async fn post_form(tab_id: f64, url: &str, fields: &[(String, String)]) -> Result<(), String> {
    let pairs = Array::new();
    for (name, value) in fields {
        pairs.push(&Array::of2(&name.into(), &value.into()));
    }
    let args = Array::of2(&url.into(), &pairs);
    browser::execute_script(
        tab_id,
        &page_function("postForm"),
        &args,
        false,
        PAGE_TIMEOUT_MS,
    )
    .await
    .map(|_| ())
    .map_err(|e| {
        browser::message_with(
            "switchInTabFailed",
            "Could not switch in the console tab: {error}",
            &[("error", &text(&e))],
        )
    })
}

/// What `readConsole` (`extension/content/console-page.js`) returned: an object of strings (a
/// missing one is empty, as `ConsolePage`'s serde defaults have it).
fn console_page(value: &JsValue) -> Result<ConsolePage, JsValue> {
    if !value.is_object() {
        return Err(JsValue::from_str("the page answered no object"));
    }
    let field = |key: &str| {
        let v = Reflect::get(value, &JsValue::from_str(key))?;
        if v.is_undefined() {
            return Ok(String::new());
        }
        v.as_string()
            .ok_or_else(|| JsValue::from_str(&format!("the page's `{}` is not text", key)))
    };
    Ok(ConsolePage {
        url: field("url")?,
        session_data: field("sessionData")?,
        csrf: field("csrf")?,
        account_id: field("accountId")?,
        login_account: field("loginAccount")?,
        login_user: field("loginUser")?,
        role_account: field("roleAccount")?,
        role_user: field("roleUser")?,
    })
}

/// Switches console tab `tab_id` in place. `Ok(None)` when the page cannot (no answer, no csrf
/// token, another partition): the caller then opens the switch-role page.
async fn switch_in_console(tab_id: f64, entry: &RoleEntry) -> Result<Option<()>, String> {
    let page = match read_console(tab_id).await {
        Ok(page) => page,
        Err(err) => {
            note(&format!(
                "could not read the console page ({}); opening the switch-role page",
                text(&err)
            ));
            return Ok(None);
        }
    };
    // The root user cannot switch roles: nothing is sent (the popup says so before this).
    if ConsoleIdentity::read(&page).is_some_and(|who| who.root) {
        return Err(browser::message(
            "rootRowReason",
            "the root user cannot switch",
        ));
    }
    let request = match console_switch(&page, entry) {
        Ok(request) => request,
        Err(why) => {
            note(&format!(
                "cannot switch in the console tab ({:?}); opening the switch-role page",
                why
            ));
            return Ok(None);
        }
    };
    match request {
        ConsoleSwitch::Form { url, fields } => {
            post_form(tab_id, &url, &fields).await?;
            Ok(Some(()))
        }
        ConsoleSwitch::MultiSession { url, body } => {
            let args = Array::of2(&url.into(), &body.into());
            let answer = browser::execute_script(
                tab_id,
                &page_function("multiSessionSwitch"),
                &args,
                false,
                NETWORK_TIMEOUT_MS,
            )
            .await
            .map_err(|e| {
                browser::message_with(
                    "multiSessionFailed",
                    "The multi-session switch failed: {error}",
                    &[("error", &text(&e))],
                )
            })?;
            let status = Reflect::get(&answer, &"status".into())
                .ok()
                .and_then(|s| s.as_f64())
                .unwrap_or(0.0);
            let reply = Reflect::get(&answer, &"text".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            if status != 200.0 {
                return Err(browser::message_with(
                    "multiSessionHttp",
                    "The multi-session switch failed: AWS sign-in answered HTTP {status}",
                    &[("status", &(status as u32).to_string())],
                ));
            }
            let partition = console_partition(&page.url).unwrap_or(Partition::Aws);
            match multi_session_destination(&reply, partition) {
                Some(destination) => {
                    browser::create_tab(&destination, None)
                        .await
                        .map_err(|e| text(&e))?;
                    Ok(Some(()))
                }
                None => {
                    let (login, account) = ConsoleIdentity::read(&page)
                        .map(|who| (who.login, who.account))
                        .unwrap_or_default();
                    Err(browser::message_with(
                        "multiSessionDenied",
                        "AWS says this identity ({login} in {account}) may not switch to {role} in {target}.",
                        &[
                            ("login", &login),
                            ("account", &account),
                            ("role", &entry.role_name),
                            ("target", &entry.account),
                        ],
                    ))
                }
            }
        }
    }
}

/// Opens the prefilled switch-role page in a new tab, first offering (once, for two minutes)
/// to have its "Switch Role" pressed for exactly this account and role. The offer is stored
/// before the tab exists: an action popup closes as soon as the new tab is active.
async fn open_switch_form(
    url: &str,
    entry: &RoleEntry,
    window_id: Option<f64>,
) -> Result<(), JsValue> {
    let offer = Object::new();
    Reflect::set(
        &offer,
        &"expires".into(),
        &(js_sys::Date::now() + FORM_OFFER_MS).into(),
    )?;
    let key = form_offer_key(&entry.account, &entry.role_name);
    if let Err(err) = browser::session_set(&key, offer.into()).await {
        // Without the offer the page opens prefilled and the user presses "Switch Role".
        note(&format!(
            "could not remember the switch for its tab: {}",
            text(&err)
        ));
    }
    browser::create_tab(url, window_id).await.map(|_| ())
}

fn note(message: &str) {
    web_sys::console::info_1(&JsValue::from_str(message));
}

fn text(err: &JsValue) -> String {
    err.as_string()
        .or_else(|| {
            Reflect::get(err, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{:?}", err))
}
