//! One option of the popup's lists: its `<li role="option">` built from a template, its texts
//! (set as text only), buttons, tooltip and search-match highlights.

use super::*;

/// A non-focusable button inside an option: the listbox pattern keeps focus in the combobox,
/// so each button has a keyboard shortcut instead (named in its title) and is hidden from
/// assistive technology, which reaches the same action through that shortcut.
pub(super) fn row_button(
    document: &Document,
    parent: &Element,
    action: &str,
    symbol: &str,
    title: &str,
) -> Result<(), JsValue> {
    let button = dom::append(
        document,
        parent,
        "button",
        &format!("row-action {}", action),
        symbol,
    )?;
    button.set_attribute("type", "button")?;
    button.set_attribute("tabindex", "-1")?;
    button.set_attribute("aria-hidden", "true")?;
    button.set_attribute("data-action", action)?;
    button.set_attribute("title", title)?;
    Ok(())
}

/// How an option's account reads: the ID (unless hidden by the settings), with the alias.
pub(super) fn account_text(entry: &Shown, hide_ids: bool) -> String {
    let is_id = entry.account.bytes().all(|b| b.is_ascii_digit());
    let account = if hide_ids && is_id { "" } else { entry.account };
    match entry.account_alias.filter(|a| *a != entry.account) {
        Some(alias) if account.is_empty() => alias.to_string(),
        Some(alias) => format!("{} {}", alias, account),
        None => account.to_string(),
    }
}

/// One `role="option"` row for `entry`, its text set as text only.
pub fn role_option(
    document: &Document,
    entry: &RoleEntry,
    index: usize,
    id: &str,
) -> Result<HtmlElement, JsValue> {
    build_option(document, &Shown::of(entry), index, id, false).map(|(li, _)| li)
}

/// An option's `<li>` for `entry`, and the text nodes its matches are highlighted in.
pub(super) fn build_option(
    document: &Document,
    entry: &Shown,
    index: usize,
    id: &str,
    hide_account_ids: bool,
) -> Result<(HtmlElement, OptionParts), JsValue> {
    let li: HtmlElement = option_template(document)?
        .clone_node_with_deep(true)?
        .unchecked_into();
    li.set_id(id);
    li.set_attribute("data-entry", &index.to_string())?;
    let swatch: HtmlElement = child(&li)?.unchecked_into();
    swatch
        .style()
        .set_property("background-color", &("#".to_string() + &entry.color))?;
    let first = next(&swatch)?;
    let profile = child(&first)?;
    let mut texts: [Option<web_sys::Node>; 4] = Default::default();
    texts[0] = set_text(&profile, entry.profile);
    let account = account_text(entry, hide_account_ids);
    let account_span = next(&profile)?;
    if account.is_empty() {
        account_span.remove();
    } else {
        texts[1] = set_text(&account_span, &account);
    }
    let second = next(&first)?;
    let role_name = child(&second)?;
    texts[2] = set_text(&role_name, entry.role_name);
    let region = next(&role_name)?;
    match entry.region {
        Some(text) => texts[3] = set_text(&region, text),
        None => region.remove(),
    }
    if entry.chained {
        // DOMAIN.md: role chaining caps the session at 1 hour.
        let badge = dom::append(
            document,
            &second,
            "span",
            "chained",
            &browser::message("chainedBadge", "1 h max"),
        )?;
        badge.set_attribute(
            "title",
            &browser::message(
                "chainedTitle",
                "Reached through another role: role chaining caps the session at 1 hour.",
            ),
        )?;
    }
    set_session_title(&li, entry)?;
    if !entry.switchable {
        next(&second)?.remove(); // the copy button
        li.set_attribute("aria-disabled", "true")?;
        // Translated where `_locales` can; the core's full sentence (English) on hover.
        let detail = entry.reason.unwrap_or("");
        let marker = dom::append(
            document,
            &second,
            "span",
            "reason",
            &browser::message_with(
                "notSwitchableReason",
                "⚠ not switchable: {reason}",
                &[("reason", &browser::reason(entry.reason_code, detail))],
            ),
        )?;
        marker.set_attribute("title", detail)?;
    }
    let (swatch, shape) = (Some(swatch), OptionShape::of(entry, &account));
    Ok((
        li,
        OptionParts {
            swatch,
            texts,
            shape,
        },
    ))
}

/// The row's tooltip: the session name and source identity CloudTrail records for the
/// profile's sessions, when the config sets them; no tooltip otherwise.
pub(super) fn set_session_title(li: &Element, entry: &Shown) -> Result<(), JsValue> {
    let mut lines = Vec::new();
    if let Some(name) = entry.session_name {
        lines.push(browser::message_with(
            "sessionNameDetail",
            "Session name in CloudTrail (CLI and SDKs): {name}",
            &[("name", name)],
        ));
    }
    if let Some(identity) = entry.source_identity {
        lines.push(browser::message_with(
            "sourceIdentityDetail",
            "Source identity in CloudTrail (CLI and SDKs): {identity}",
            &[("identity", identity)],
        ));
    }
    if lines.is_empty() {
        li.remove_attribute("title")
    } else {
        li.set_attribute("title", &lines.join("\n"))
    }
}

/// Sets `element`'s text (as text only) and returns its text node (`None` for no text).
pub(super) fn set_text(element: &Element, text: &str) -> Option<web_sys::Node> {
    element.set_text_content(Some(text));
    element.first_child()
}

/// Highlights the matches of `query` in an option's `texts`, the option showing `entry`.
pub(super) fn highlight_option(
    entry: &Shown,
    hide_account_ids: bool,
    query: &Query,
    texts: &[Option<web_sys::Node>; 4],
) -> Vec<highlight::Range> {
    if query.is_empty() {
        return Vec::new();
    }
    let account = account_text(entry, hide_account_ids);
    let fields = [
        Some(entry.profile),
        Some(account.as_str()),
        Some(entry.role_name),
        entry.region,
    ];
    let mut matches = Vec::new();
    for (text, node) in fields.iter().zip(texts) {
        if let (Some(text), Some(node)) = (text, node) {
            let ranges = highlight_ranges_utf16(text, query);
            if !ranges.is_empty() {
                matches.extend(highlight::add(node, &ranges));
            }
        }
    }
    matches
}

thread_local! {
    /// The elements every option has, built once and cloned for each row: one `cloneNode`
    /// instead of a dozen calls into the DOM per row.
    static OPTION_TEMPLATE: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
}

/// `<li role="option">` with a swatch, the line of profile and account, the detail line of
/// role name and region, and the copy button; the text is filled in per row.
pub(super) fn option_template(document: &Document) -> Result<HtmlElement, JsValue> {
    OPTION_TEMPLATE.with(|template| {
        let mut template = template.borrow_mut();
        if let Some(li) = template.as_ref() {
            return Ok(li.clone());
        }
        let li = dom::element(document, "li", "role", "")?;
        li.set_attribute("role", "option")?;
        li.set_attribute("aria-selected", "false")?;
        let swatch = dom::append(document, &li, "span", "swatch", "")?;
        swatch.set_attribute("aria-hidden", "true")?;
        let first = dom::append(document, &li, "span", "line", "")?;
        dom::append(document, &first, "span", "profile", "")?;
        dom::append(document, &first, "span", "account", "")?;
        let second = dom::append(document, &li, "span", "line detail", "")?;
        dom::append(document, &second, "span", "role-name", "")?;
        dom::append(document, &second, "span", "region", "")?;
        let copy_title = browser::message("copyLink", "Copy link (Ctrl+C)");
        row_button(document, &li, "copy", "❐", &copy_title)?;
        *template = Some(li.clone());
        Ok(li)
    })
}

/// The first element inside `element` (the option template's structure is fixed).
pub(super) fn child(element: &Element) -> Result<Element, JsValue> {
    element
        .first_element_child()
        .ok_or_else(|| JsValue::from_str("an option is missing a part"))
}

/// The element after `element`.
pub(super) fn next(element: &Element) -> Result<Element, JsValue> {
    element
        .next_element_sibling()
        .ok_or_else(|| JsValue::from_str("an option is missing a part"))
}
