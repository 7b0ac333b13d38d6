//! The options page's "For administrators" section: pick roles of the saved config (a search
//! box, checkboxes, "Select all shown"), then copy the identity policy allowing exactly those
//! roles (`crate::roles::admin_message::selection_policy`, the CLI's `policy` for those profiles) or a
//! message telling users how to switch to them (`crate::roles::admin_message::users_message`, with
//! this page's localised sentences). What was copied is also shown, as text, in a `<pre>`.
//! Roles that cannot be named by an ARN (an account given only by its alias) are listed with
//! the reason instead of being dropped.
//!
//! The roles are read from storage when the section is opened, and again when the saved
//! config changes while it is open (`chrome.storage.onChanged`); the selection is kept by
//! profile name.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::dom::on;
use super::{browser, dom, storage};
use crate::roles::admin_message::{
    account_alias_only, grantable, matching, search_texts, selection_policy, users_message,
    UsersMessageTexts,
};
use crate::roles::entry::RoleEntry;
use crate::roles::policy::{role_arn, select_roles};

/// Roles listed at once; a search narrows the rest.
const ROLES_SHOWN: usize = 500;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn clipboard_write_text(text: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener, catch)]
    fn storage_on_changed(listener: &Function) -> Result<(), JsValue>;
}

#[derive(Default)]
struct Admin {
    entries: Vec<RoleEntry>,
    /// Indices of the roles that can be granted ([`grantable`]).
    grantable: Vec<usize>,
    /// Their [`search_texts`].
    search_texts: Vec<String>,
    /// Those matching the search, in config order.
    matching: Vec<usize>,
    /// Profile names of the ticked roles.
    selected: Ticked,
}

/// Profile names, sorted, each once: a set small in code (the page's WASM is the popup's too).
#[derive(Default)]
struct Ticked(Vec<String>);

impl Ticked {
    fn contains(&self, profile: &str) -> bool {
        self.0.binary_search_by(|p| p.as_str().cmp(profile)).is_ok()
    }
    fn insert(&mut self, profile: String) {
        if let Err(at) = self.0.binary_search(&profile) {
            self.0.insert(at, profile);
        }
    }
    fn remove(&mut self, profile: &str) {
        if let Ok(at) = self.0.binary_search_by(|p| p.as_str().cmp(profile)) {
            self.0.remove(at);
        }
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

impl Admin {
    /// The selected entries, in config order.
    fn selected_entries(&self) -> Vec<&RoleEntry> {
        self.grantable
            .iter()
            .map(|&i| &self.entries[i])
            .filter(|e| self.selected.contains(e.profile.as_str()))
            .collect()
    }
}

type Shared = Rc<RefCell<Admin>>;

/// Wires the section (`#admin` in `options.html`); nothing is read until it is opened.
pub fn wire(document: &Document) -> Result<(), JsValue> {
    // A `<details>`: open when it has the `open` attribute.
    let details: Element = dom::by_id("admin")?;
    let state: Shared = Rc::default();
    {
        let (document, state) = (document.clone(), state.clone());
        on(&details.clone(), "toggle", move |_: web_sys::Event| {
            if details.has_attribute("open") {
                reload(&document, &state);
            }
        })?;
    }
    {
        let (document, state) = (document.clone(), state.clone());
        let listener =
            Closure::<dyn FnMut(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
                let open = dom::by_id::<Element>("admin").is_ok_and(|d| d.has_attribute("open"));
                let config_changed = area.as_string().as_deref() == Some("local")
                    && Reflect::has(&changes, &JsValue::from_str(storage::CONFIG_KEY))
                        .unwrap_or(false);
                if open && config_changed {
                    reload(&document, &state);
                }
            });
        // Outside an extension page (wasm tests) there is no chrome.storage: nothing to follow.
        let _ = storage_on_changed(listener.as_ref().unchecked_ref());
        listener.forget();
    }
    let search: HtmlInputElement = dom::by_id("admin-search")?;
    {
        let (document, state) = (document.clone(), state.clone());
        on(&search.clone(), "input", move |_: web_sys::Event| {
            {
                let mut admin = state.borrow_mut();
                admin.matching = matching(&admin.grantable, &admin.search_texts, &search.value());
            }
            report(render(&document, &state.borrow()));
        })?;
    }
    {
        let list: Element = dom::by_id("admin-roles")?;
        let state = state.clone();
        on(&list, "change", move |event: web_sys::Event| {
            let Some(checkbox) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let profile = checkbox.value();
            {
                let mut admin = state.borrow_mut();
                if checkbox.checked() {
                    admin.selected.insert(profile);
                } else {
                    admin.selected.remove(&profile);
                }
            }
            report(show_count(&state.borrow()));
        })?;
    }
    for (id, select) in [("admin-select-shown", true), ("admin-select-none", false)] {
        let button: HtmlElement = dom::by_id(id)?;
        let (document, state) = (document.clone(), state.clone());
        on(&button, "click", move |_: web_sys::MouseEvent| {
            {
                let mut guard = state.borrow_mut();
                let admin = &mut *guard;
                if select {
                    for &i in admin.matching.iter().take(ROLES_SHOWN) {
                        admin.selected.insert(admin.entries[i].profile.to_string());
                    }
                } else {
                    admin.selected.clear();
                }
            }
            report(render(&document, &state.borrow()));
        })?;
    }
    {
        let button: HtmlElement = dom::by_id("admin-copy-policy")?;
        let (document, state) = (document.clone(), state.clone());
        on(&button, "click", move |_: web_sys::MouseEvent| {
            report(copy_policy(&document, &state.borrow()));
        })?;
    }
    {
        let button: HtmlElement = dom::by_id("admin-copy-message")?;
        let (document, state) = (document.clone(), state.clone());
        on(&button, "click", move |_: web_sys::MouseEvent| {
            report(copy_message(&document, &state.borrow()));
        })?;
    }
    Ok(())
}

fn report(result: Result<(), JsValue>) {
    if let Err(err) = result {
        web_sys::console::error_1(&err);
    }
}

/// Reads the saved config again and lists its roles, keeping the ticks of the profiles that
/// are still there.
fn reload(document: &Document, state: &Shared) {
    let (document, state) = (document.clone(), state.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let text = match storage::load_user_config(None).await {
            Ok(stored) => stored.text.unwrap_or_default(),
            Err(err) => {
                set_result(&document, &storage::error_text(&err));
                return;
            }
        };
        let query = dom::by_id::<HtmlInputElement>("admin-search")
            .map(|s| s.value())
            .unwrap_or_default();
        {
            let mut admin = state.borrow_mut();
            admin.entries = crate::parse_config(&text).roles;
            admin.grantable = grantable(&admin.entries);
            admin.search_texts = search_texts(&admin.entries, &admin.grantable);
            admin.matching = matching(&admin.grantable, &admin.search_texts, &query);
            let Admin {
                entries,
                grantable,
                selected,
                ..
            } = &mut *admin;
            // The ticks of profiles still there: one look-up each (a config can hold 50,000).
            let mut kept: Vec<String> = grantable
                .iter()
                .map(|&i| entries[i].profile.as_str())
                .filter(|p| selected.contains(p))
                .map(str::to_string)
                .collect();
            kept.sort_unstable();
            kept.dedup();
            *selected = Ticked(kept);
        }
        report(render(&document, &state.borrow()));
    });
}

/// The list of matching roles (at most [`ROLES_SHOWN`]) with their ticks, and the count line.
fn render(document: &Document, admin: &Admin) -> Result<(), JsValue> {
    let list: Element = dom::by_id("admin-roles")?;
    dom::clear(&list);
    for &i in admin.matching.iter().take(ROLES_SHOWN) {
        let entry = &admin.entries[i];
        let li = dom::append(document, &list, "li", "", "")?;
        let label = dom::append(document, &li, "label", "", "")?;
        let checkbox: HtmlInputElement = document.create_element("input")?.dyn_into()?;
        checkbox.set_type("checkbox");
        checkbox.set_value(&entry.profile);
        checkbox.set_checked(admin.selected.contains(entry.profile.as_str()));
        label.append_child(&checkbox)?;
        dom::append(document, &label, "span", "profile", &entry.profile)?;
        let detail = match role_arn(entry) {
            Ok(arn) => arn,
            Err(_) => browser::message_with(
                "adminNoArn",
                "{account} · {role} (no ARN: the account is an alias)",
                &[("account", &entry.account), ("role", &entry.role_name)],
            ),
        };
        dom::append(document, &label, "span", "detail", &detail)?;
    }
    show_count(admin)
}

/// "2 roles selected", and why the list is empty or cut short.
fn show_count(admin: &Admin) -> Result<(), JsValue> {
    let count: Element = dom::by_id("admin-count")?;
    let mut text = browser::count_message(
        "adminSelected",
        admin.selected.len(),
        "{count} role selected.",
        "{count} roles selected.",
    );
    let more = if admin.grantable.is_empty() {
        browser::message(
            "adminNoRoles",
            "The saved configuration has no role the console can switch to.",
        )
    } else if admin.matching.is_empty() {
        browser::message("noMatch", "No role matches.")
    } else if admin.matching.len() > ROLES_SHOWN {
        browser::message_with(
            "adminShownOf",
            "Showing {shown} of {matching}: search to narrow the list.",
            &[
                ("shown", &ROLES_SHOWN.to_string()),
                ("matching", &admin.matching.len().to_string()),
            ],
        )
    } else {
        String::new()
    };
    if !more.is_empty() {
        text.push(' ');
        text.push_str(&more);
    }
    count.set_text_content(Some(&text));
    Ok(())
}

fn set_result(document: &Document, text: &str) {
    if let Some(result) = document.get_element_by_id("admin-result") {
        result.set_text_content(Some(text));
    }
}

/// Shows `text` in the read-only `<pre>` (as text) and copies it; says whether it was copied.
fn show_and_copy(document: &Document, text: String, copied_message: String) -> Result<(), JsValue> {
    let output: HtmlElement = dom::by_id("admin-output")?;
    output.set_text_content(Some(&text));
    output.set_hidden(false);
    let document = document.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match clipboard_write_text(&text) {
            Ok(promise) => JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        };
        let said = if copied {
            copied_message
        } else {
            browser::message(
                "adminCopyFailed",
                "Could not copy: select the text below and copy it.",
            )
        };
        set_result(&document, &said);
    });
    Ok(())
}

/// Nothing ticked: says so and hides what an earlier copy showed.
fn nothing_selected(document: &Document) -> Result<(), JsValue> {
    set_result(
        document,
        &browser::message("adminSelectFirst", "Select at least one role first."),
    );
    dom::by_id::<HtmlElement>("admin-output")?.set_hidden(true);
    dom::by_id::<HtmlElement>("admin-left-out")?.set_hidden(true);
    Ok(())
}

fn copy_policy(document: &Document, admin: &Admin) -> Result<(), JsValue> {
    let selected = admin.selected_entries();
    if selected.is_empty() {
        return nothing_selected(document);
    }
    // The profiles chosen as the CLI's `policy PROFILE…` chooses them.
    let names: Vec<&str> = selected.iter().map(|e| e.profile.as_str()).collect();
    let (chosen, _) = select_roles(&admin.entries, &names);
    let policy = selection_policy(chosen);
    // The roles left out, each with why (the CLI's stderr lines, in the page's language).
    let left_out: HtmlElement = dom::by_id("admin-left-out")?;
    let list: Element = dom::by_id("admin-left-out-list")?;
    dom::clear(&list);
    for problem in &policy.left_out {
        let entry = selected
            .iter()
            .find(|e| e.profile.as_str() == problem.profile);
        let line = problem.line.to_string();
        let text = match entry.and_then(|e| account_alias_only(e)) {
            Some(alias) => browser::message_with(
                "adminLeftOutAlias",
                "{profile} (line {line}): its account is given only by the alias {alias}; a role ARN needs the 12-digit account ID.",
                &[("profile", &problem.profile), ("line", &line), ("alias", alias)],
            ),
            None => browser::message_with(
                "adminLeftOutOther",
                "{profile} (line {line}): {reason}",
                &[
                    ("profile", &problem.profile),
                    ("line", &line),
                    ("reason", &problem.message),
                ],
            ),
        };
        dom::append(document, &list, "li", "", &text)?;
    }
    left_out.set_hidden(policy.left_out.is_empty());
    let Some(json) = policy.json else {
        set_result(
            document,
            &browser::message(
                "adminNoPolicy",
                "No selected role can be named by an ARN: there is no policy to copy.",
            ),
        );
        dom::by_id::<HtmlElement>("admin-output")?.set_hidden(true);
        return Ok(());
    };
    let mut copied = browser::count_message(
        "adminPolicyCopied",
        selected.len() - policy.left_out.len(),
        "Policy copied: it allows switching to {count} role.",
        "Policy copied: it allows switching to {count} roles.",
    );
    if !policy.several_partitions.is_empty() {
        copied.push(' ');
        copied.push_str(&browser::message_with(
            "adminPartitions",
            "The roles are in several partitions ({partitions}), and IAM attaches a policy in one: attach one policy per partition.",
            &[("partitions", &policy.several_partitions.join(", "))],
        ));
    }
    show_and_copy(document, json, copied)
}

fn copy_message(document: &Document, admin: &Admin) -> Result<(), JsValue> {
    let selected = admin.selected_entries();
    if selected.is_empty() {
        return nothing_selected(document);
    }
    dom::by_id::<HtmlElement>("admin-left-out")?.set_hidden(true);
    let intro = browser::message(
        "adminMessageIntro",
        "You can now switch to these AWS roles. Open a role's link to get the console's Switch Role page filled in, or choose Switch Role in the console and type in the account and the role name shown.",
    );
    let link = browser::message("adminMessageLink", "Link: {link}");
    let account = browser::message("adminMessageAccount", "Account: {account}");
    let role = browser::message("adminMessageRole", "Role: {role}");
    let text = users_message(
        selected.iter().copied(),
        &UsersMessageTexts {
            intro: &intro,
            link: &link,
            account: &account,
            role: &role,
        },
    );
    let copied = browser::count_message(
        "adminMessageCopied",
        selected.len(),
        "Message for users copied: {count} role.",
        "Message for users copied: {count} roles.",
    );
    show_and_copy(document, text, copied)
}
