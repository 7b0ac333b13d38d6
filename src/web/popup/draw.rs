//! Drawing the popup's lists: the virtualised "Roles" listbox (only the rows in view, kept and
//! rewritten in place where they can be), its pinned group header, the active option and the
//! "Recent" list.

use super::*;

/// Draws both lists and the status line.
pub(super) fn render(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    render_within(document, state, OVERSCAN_PX)
}

/// Draws both lists after a keystroke with only the "Roles" rows in view, so that the filtered
/// list is painted sooner, and adds the rest of the overscan when the browser is next idle. (The
/// first screens draw the overscan at once: drawing fewer rows did not paint them measurably
/// sooner.)
pub(super) fn render_in_view_first(
    document: &Document,
    state: &SharedState,
) -> Result<(), JsValue> {
    render_within(document, &state.borrow(), KEYSTROKE_MARGIN_PX)?;
    let (document, state) = (document.clone(), state.clone());
    let top_up = Closure::once_into_js(move || {
        // Only for the popup's current state: a page (or a test) may have installed another.
        let current = POPUP.with(|p| p.borrow().as_ref().is_some_and(|c| Rc::ptr_eq(c, &state)));
        if let (true, Ok(state)) = (current, state.try_borrow()) {
            report(render_roles(&document, &state));
        }
    });
    let window = web_sys::window().ok_or("no window")?;
    window.request_idle_callback(top_up.unchecked_ref())?;
    Ok(())
}

/// Draws both lists ("Roles" anew, within `margin` pixels of its viewport) and the status line.
pub(super) fn render_within(
    document: &Document,
    state: &PopupState,
    margin: u32,
) -> Result<(), JsValue> {
    render_recent(document, state)?;
    draw_roles(document, state, margin)?;
    let entry_count = state
        .first
        .as_ref()
        .map_or(state.entries.len(), |f| f.total);
    // No roles at all: the empty state says what to do (or, on a page without it, the status).
    let status = if entry_count == 0 && !popup_empty::show(document, true)? {
        browser::message(
            "noRoles",
            "No roles yet: import your ~/.aws/config on the options page.",
        )
    } else if entry_count == 0 {
        String::new()
    } else if state.places.option_rows.is_empty() {
        browser::message("noMatch", "No role matches.")
    } else {
        String::new()
    };
    if entry_count > 0 {
        popup_empty::show(document, false)?;
    }
    set_status(document, &status);
    Ok(())
}

pub(super) fn role_option_id(index: usize) -> String {
    format!("role-opt-{}", index)
}

pub(super) fn recent_option_id(index: usize) -> String {
    format!("recent-opt-{}", index)
}

/// Draws the rows of "Roles" that are in view (± the overscan), plus the active one.
pub(super) fn render_roles(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    draw_roles(document, state, OVERSCAN_PX)
}

/// Draws the rows of "Roles" within `margin` pixels of the viewport, plus the active one.
///
/// Rows already in the DOM are kept for the same row (the same entry, or the same group's
/// header) when their order allows it, whether the list scrolled, the highlight moved or a
/// keystroke laid the rows out again: a kept row is only moved, renumbered and highlighted
/// anew, and its text is not laid out again. Rows no longer wanted are removed; the others are
/// built and inserted in order.
pub(super) fn draw_roles(
    document: &Document,
    state: &PopupState,
    margin: u32,
) -> Result<(), JsValue> {
    let list: HtmlElement = dom::by_id("roles")?;
    let scroll = list.scroll_top().max(0) as u32;
    let viewport = match list.client_height() {
        h if h > 0 => h as u32,
        _ => FALLBACK_VIEWPORT_PX,
    };
    let from = scroll.saturating_sub(margin);
    let to = scroll + viewport + margin;
    // The first row that ends below `from`, and the first that starts below `to`.
    let first = state.places.tops[1..].partition_point(|&end| end <= from);
    let last = state.places.tops[..state.rows.len()].partition_point(|&top| top < to);
    let active_row = match state.active.and_then(|a| state.target(a)) {
        Some(Target::Role(p)) => Some(state.places.option_rows[p]),
        _ => None,
    };
    let mut wanted: Vec<usize> = (first..last).collect();
    if let Some(r) = active_row.filter(|r| !(first..last).contains(r)) {
        wanted.insert(wanted.partition_point(|&w| w < r), r);
    }
    let content = (state.content_id, state.settings.hide_account_ids);

    DRAWN.with(|drawn| {
        let mut drawn = drawn.borrow_mut();
        let drawn = match drawn
            .take()
            .filter(|d| d.content == content && d.list.is_same_node(Some(&list)))
        {
            Some(d) => drawn.insert(d),
            None => {
                highlight::clear();
                dom::clear(&list);
                let spacer = dom::append(document, &list, "li", "spacer", "")?;
                spacer.set_attribute("role", "none")?;
                spacer.set_attribute("aria-hidden", "true")?;
                drawn.insert(DrawnRows {
                    list: list.clone(),
                    spacer,
                    height: u32::MAX,
                    content,
                    query: state.query.clone(),
                    total: usize::MAX,
                    rows: Vec::new(),
                })
            }
        };
        if drawn.height != state.height {
            drawn.height = state.height;
            let height = format!("{}px", state.height);
            drawn.spacer.style().set_property("height", &height)?;
        }
        if drawn.query != state.query {
            highlight::clear();
            for row in &mut drawn.rows {
                row.matches.clear();
                row.highlighted = false;
            }
            drawn.query = state.query.clone();
        }
        let renumbered = drawn.total != state.total_options;
        drawn.total = state.total_options;

        // Each wanted row takes the drawn row for the same `Row` if that comes after the
        // last one taken: the kept rows stay in DOM order, so none is moved in the DOM.
        let mut old: Vec<Option<DrawnRow>> = drawn.rows.drain(..).map(Some).collect();
        let mut taken: Vec<Option<usize>> = Vec::with_capacity(wanted.len());
        let mut after = 0;
        for &r in &wanted {
            let found = old[after..]
                .iter()
                .position(|o| o.as_ref().is_some_and(|o| o.row == state.rows[r]))
                .map(|i| after + i);
            if let Some(i) = found {
                after = i + 1;
            }
            taken.push(found);
        }
        let total = state.total_options.to_string();
        let renumbered = renumbered.then_some(&total);
        let mut next_kept = taken.iter().flatten().copied().peekable();
        // Old rows before `cursor` are used or given up; an option not kept may rewrite an
        // unused old one from there up to the next kept row, which keeps DOM order too. A row
        // that is built goes before the first old row still there from `cursor` on.
        let mut cursor = 0;
        let mut rows = Vec::with_capacity(wanted.len());
        for (&r, found) in wanted.iter().zip(&taken) {
            let active = active_row == Some(r);
            if let Some(mut row) = found.and_then(|i| old[i].take()) {
                cursor = next_kept.next().map_or(cursor, |i| i + 1);
                update_row(state, &mut row, r, active, renumbered)?;
                rows.push(row);
                continue;
            }
            let limit = next_kept.peek().copied().unwrap_or(old.len());
            let mut rewritten = None;
            if let Row::Option(index) = state.rows[r] {
                for (i, slot) in old.iter_mut().enumerate().take(limit).skip(cursor) {
                    if let Some(row) = slot.as_mut() {
                        if rewrite_option(state, row, index)? {
                            rewritten = slot.take();
                            cursor = i + 1;
                            break;
                        }
                    }
                }
            }
            if let Some(mut row) = rewritten {
                update_row(state, &mut row, r, active, Some(&total))?;
                rows.push(row);
                continue;
            }
            let Some(row) = draw_row(document, state, r, active, &total)? else {
                continue;
            };
            // Before the first old row still in the DOM from `cursor` on: rows rewritten or
            // kept after this one are at or after that one.
            let before = (cursor..old.len()).find(|&i| old[i].is_some());
            match before.and_then(|i| old[i].as_ref()) {
                Some(before) => list.insert_before(&row.li, Some(&before.li))?,
                None => list.append_child(&row.li)?,
            };
            rows.push(row);
        }
        for row in old.into_iter().flatten() {
            row.li.remove();
            highlight::remove(&row.matches);
        }
        for row in rows.iter_mut().filter(|row| !row.highlighted) {
            row.highlighted = true;
            if let (Row::Option(index), false) = (row.row, state.query.is_empty()) {
                if let Some(shown) = state.shown(index) {
                    let hide = state.settings.hide_account_ids;
                    row.matches = highlight_option(&shown, hide, &state.query, &row.parts.texts);
                }
            }
        }
        drawn.rows = rows;
        Ok::<(), JsValue>(())
    })?;
    draw_sticky_header(document, state, &list, scroll)?;
    set_active_descendant(document, state)
}

/// Pins the header of the group at the top of the list over it ([`sticky_header`]): with only
/// the rows in view in the DOM, a long group's own header has long gone when its last
/// options show. Pages without `#roles-sticky` (the tests' skeleton) have none.
pub(super) fn draw_sticky_header(
    document: &Document,
    state: &PopupState,
    list: &HtmlElement,
    scroll: u32,
) -> Result<(), JsValue> {
    let Some(sticky) = document
        .get_element_by_id("roles-sticky")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return Ok(());
    };
    let Some(header) = sticky_header(&state.rows, &state.places, scroll) else {
        return sticky.set_attribute("hidden", "");
    };
    let label = state.group_label(header.group);
    if sticky.text_content().as_deref() != Some(label.as_str()) {
        sticky.set_text_content(Some(&label));
    }
    let style = sticky.style();
    // Over the list, not its scroll bar.
    let scroll_bar = (list.offset_width() - list.client_width()).max(0);
    style.set_property("right", &format!("{}px", scroll_bar))?;
    style.set_property("transform", &format!("translateY(-{}px)", header.pushed_up))?;
    sticky.remove_attribute("hidden")
}

/// Row `r` of "Roles" as a new `<li>` placed at its offset (`None`: an option whose entry is
/// not there). Its matches are highlighted by the caller.
pub(super) fn draw_row(
    document: &Document,
    state: &PopupState,
    r: usize,
    active: bool,
    total: &str,
) -> Result<Option<DrawnRow>, JsValue> {
    let top = state.places.tops[r];
    let (li, parts, position) = match state.rows[r] {
        Row::Header(group) => {
            let li = dom::element(document, "li", "group-header", &state.group_label(group))?;
            li.set_attribute("role", "presentation")?;
            (li, OptionParts::default(), 0)
        }
        Row::Option(index) => {
            let Some(shown) = state.shown(index) else {
                return Ok(None);
            };
            let hide = state.settings.hide_account_ids;
            let (li, parts) = build_option(document, &shown, index, &role_option_id(index), hide)?;
            // Only a window of the options exists: say where this one sits in the whole.
            let position = state.places.option_rows.partition_point(|&o| o < r) + 1;
            li.set_attribute("aria-setsize", total)?;
            li.set_attribute("aria-posinset", &position.to_string())?;
            if active {
                li.set_attribute("aria-selected", "true")?;
            }
            (li, parts, position)
        }
    };
    li.style().set_property("top", &format!("{}px", top))?;
    Ok(Some(DrawnRow {
        row: state.rows[r],
        li,
        top,
        position,
        selected: active,
        parts,
        matches: Vec::new(),
        highlighted: false,
    }))
}

/// Rewrites a drawn option in place to show entry `index`, if both have the same parts: no
/// element is made or attached, only the texts change. The caller then places the row.
pub(super) fn rewrite_option(
    state: &PopupState,
    row: &mut DrawnRow,
    index: usize,
) -> Result<bool, JsValue> {
    let (Some(shape), Some(shown)) = (row.parts.shape, state.shown(index)) else {
        return Ok(false);
    };
    let account = account_text(&shown, state.settings.hide_account_ids);
    if OptionShape::of(&shown, &account) != Some(shape) {
        return Ok(false);
    }
    row.li.set_id(&role_option_id(index));
    row.li.set_attribute("data-entry", &index.to_string())?;
    set_session_title(&row.li, &shown)?;
    if let Some(swatch) = &row.parts.swatch {
        let color = "#".to_string() + &shown.color;
        swatch.style().set_property("background-color", &color)?;
    }
    let texts = [
        Some(shown.profile),
        Some(account.as_str()),
        Some(shown.role_name),
        shown.region,
    ];
    for (node, text) in row.parts.texts.iter().zip(texts) {
        if let (Some(node), Some(text)) = (node, text) {
            node.set_node_value(Some(text));
        }
    }
    row.row = Row::Option(index);
    // Its place and number are set by the caller; force the number (`position` 0 is none).
    row.position = 0;
    highlight::remove(&row.matches);
    row.matches.clear();
    row.highlighted = false;
    Ok(true)
}

/// Brings a kept row up to row `r` of the current layout: its offset, its place among the
/// options (`total`: the new `aria-setsize`, when that changed) and whether it is active.
pub(super) fn update_row(
    state: &PopupState,
    row: &mut DrawnRow,
    r: usize,
    active: bool,
    total: Option<&String>,
) -> Result<(), JsValue> {
    if row.top != state.places.tops[r] {
        row.top = state.places.tops[r];
        row.li
            .style()
            .set_property("top", &format!("{}px", row.top))?;
    }
    if let Row::Option(_) = row.row {
        let position = state.places.option_rows.partition_point(|&o| o < r) + 1;
        if row.position != position {
            row.position = position;
            row.li
                .set_attribute("aria-posinset", &position.to_string())?;
        }
        if let Some(total) = total {
            row.li.set_attribute("aria-setsize", total)?;
        }
        if row.selected != active {
            row.selected = active;
            row.li
                .set_attribute("aria-selected", if active { "true" } else { "false" })?;
        }
    }
    Ok(())
}

pub(super) fn set_active_descendant(
    document: &Document,
    state: &PopupState,
) -> Result<(), JsValue> {
    let input: HtmlInputElement = dom::by_id("search")?;
    let id = match state.active.and_then(|a| state.target(a)) {
        Some(t @ Target::Recent(_)) => Some(recent_option_id(state.entry_at(t))),
        Some(t @ Target::Role(_)) => Some(role_option_id(state.entry_at(t))),
        None => None,
    };
    match id.filter(|id| document.get_element_by_id(id).is_some()) {
        Some(id) => input.set_attribute("aria-activedescendant", &id),
        None => input.remove_attribute("aria-activedescendant"),
    }
}

/// Moves the highlight: scrolls the active option into view, then redraws what is in view.
pub(super) fn show_active(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    match state.active.and_then(|a| state.target(a)) {
        Some(Target::Role(p)) => {
            let list: HtmlElement = dom::by_id("roles")?;
            let r = state.places.option_rows[p];
            // Keep a group's header in view above its first option.
            let top = if r > 0 && matches!(state.rows[r - 1], Row::Header(_)) {
                state.places.tops[r - 1]
            } else {
                state.places.tops[r]
            };
            let bottom = state.places.tops[r + 1];
            let scroll = list.scroll_top().max(0) as u32;
            let viewport = list.client_height().max(0) as u32;
            if top < scroll {
                list.set_scroll_top(top as i32);
            } else if viewport > 0 && bottom > scroll + viewport {
                list.set_scroll_top((bottom - viewport) as i32);
            }
            mark_recent_selected(document, state)?;
            render_roles(document, state)
        }
        Some(Target::Recent(_)) | None => {
            mark_recent_selected(document, state)?;
            render_roles(document, state)?;
            if let Some(Target::Recent(p)) = state.active.and_then(|a| state.target(a)) {
                let id = recent_option_id(state.recent[p]);
                if let (Some(list), Some(option)) = (
                    document.get_element_by_id("recent"),
                    document
                        .get_element_by_id(&id)
                        .and_then(|o| o.dyn_into::<HtmlElement>().ok()),
                ) {
                    let (top, bottom) = (
                        option.offset_top(),
                        option.offset_top() + option.offset_height(),
                    );
                    if top < list.scroll_top() {
                        list.set_scroll_top(top);
                    } else if bottom > list.scroll_top() + list.client_height() {
                        list.set_scroll_top(bottom - list.client_height());
                    }
                }
            }
            Ok(())
        }
    }
}

pub(super) fn mark_recent_selected(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    let active = match state.active.and_then(|a| state.target(a)) {
        Some(Target::Recent(p)) => Some(recent_option_id(state.recent[p])),
        _ => None,
    };
    let list: Element = dom::by_id("recent")?;
    let options = list.children();
    for i in 0..options.length() {
        if let Some(option) = options.item(i) {
            let selected = active.as_deref() == Some(option.id().as_str());
            option.set_attribute("aria-selected", if selected { "true" } else { "false" })?;
        }
    }
    let _ = document;
    Ok(())
}

/// "just now", "5 min ago", "3 h ago", "2 d ago" in the UI's language.
pub(super) fn time_ago(now_ms: f64, then_ms: f64) -> Option<String> {
    if then_ms <= 0.0 {
        return None;
    }
    let minutes = ((now_ms - then_ms) / 60_000.0).max(0.0) as u64;
    Some(match minutes {
        0 => browser::message("timeJustNow", "just now"),
        1..=59 => {
            browser::message("timeMinutes", "{n} min ago").replace("{n}", &minutes.to_string())
        }
        60..=1439 => {
            browser::message("timeHours", "{n} h ago").replace("{n}", &(minutes / 60).to_string())
        }
        _ => {
            browser::message("timeDays", "{n} d ago").replace("{n}", &(minutes / 1440).to_string())
        }
    })
}

pub(super) fn render_recent(document: &Document, state: &PopupState) -> Result<(), JsValue> {
    let list: Element = dom::by_id("recent")?;
    dom::clear(&list);
    if let Some(section) = document.get_element_by_id("recent-section") {
        if state.recent.is_empty() {
            section.set_attribute("hidden", "")?;
        } else {
            section.remove_attribute("hidden")?;
        }
    }
    let now = js_sys::Date::now();
    let items = state.history.ordered();
    for &index in &state.recent {
        let Some(entry) = state.shown(index) else {
            continue;
        };
        let (li, _) = build_option(
            document,
            &entry,
            index,
            &recent_option_id(index),
            state.settings.hide_account_ids,
        )?;
        li.set_class_name("role recent");
        if let Some(item) = items.iter().find(|i| state.entry_of_item(i) == Some(index)) {
            let detail = li
                .query_selector(".detail")?
                .expect("options have a detail line");
            let mut usage =
                browser::message("switchCount", "{n}×").replace("{n}", &item.count.to_string());
            // Within the hour the time left says when, too: "52 min ago" beside "7 min left"
            // only crowded the role's name out of the row.
            let session_open =
                crate::console::session_clock::recent_time_left(item.last_used_ms, now).is_some();
            if let Some(when) = time_ago(now, item.last_used_ms).filter(|_| !session_open) {
                usage = format!("{} · {}", usage, when);
            }
            dom::append(document, &detail, "span", "usage", &usage)?;
            console_banner::recent_time_left(document, &detail, item.last_used_ms, now)?;
            if item.pinned {
                li.set_attribute("data-pinned", "true")?;
                let mark = dom::element(document, "span", "pin-mark", "★")?;
                mark.set_attribute("title", &browser::message("pinned", "Pinned"))?;
                if let Some(line) = li.query_selector(".line")? {
                    line.insert_before(&mark, line.first_child().as_ref())?;
                }
            }
            let pin_title = if item.pinned {
                browser::message("unpin", "Unpin (Alt+P)")
            } else {
                browser::message("pin", "Pin to the top (Alt+P)")
            };
            row_button(
                document,
                &li,
                "pin",
                if item.pinned { "★" } else { "☆" },
                &pin_title,
            )?;
            row_button(
                document,
                &li,
                "remove",
                "✕",
                &browser::message("removeRecent", "Remove from Recent (Delete)"),
            )?;
        }
        list.append_child(&li)?;
    }
    mark_recent_selected(document, state)
}
