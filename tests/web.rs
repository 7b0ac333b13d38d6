//! wasm-bindgen-test, in headless Chromium: the DOM the popup and options pages build.
//! Run by `./build.sh test` (`cargo test --target wasm32-unknown-unknown --test web`).
#![cfg(target_arch = "wasm32")]

use aws_role_switcher::parse_config;
use aws_role_switcher::web::popup::role_option;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Puts a page's markup (test-owned) in `<div id=ID>`, replacing the last one: beside, not
/// instead of, the test runner's own output elements.
fn page_under_test(id: &str, markup: &str) {
    if let Some(old) = document().get_element_by_id(id) {
        old.remove();
    }
    let host = document().create_element("div").unwrap();
    host.set_id(id);
    host.set_inner_html(markup);
    document().body().unwrap().append_child(&host).unwrap();
}

#[wasm_bindgen_test]
fn role_rows_are_options_showing_profile_and_account() {
    let parsed = parse_config(
        "[profile prod]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nregion = eu-west-1\n",
    );
    let row = role_option(&document(), &parsed.roles[0], 0, "role-0").unwrap();
    assert_eq!(row.get_attribute("role").as_deref(), Some("option"));
    assert_eq!(row.id(), "role-0");
    let text = row.text_content().unwrap();
    assert!(text.contains("prod"), "{text}");
    assert!(text.contains("123456789012"), "{text}");
    assert!(text.contains("eu-west-1"), "{text}");
    assert!(row.get_attribute("aria-disabled").is_none());
}

#[wasm_bindgen_test]
fn hostile_profile_names_are_text_never_html() {
    let name = "<img src=x onerror=alert(1)>";
    let config = format!("[profile {name}]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n");
    let parsed = parse_config(&config);
    // The SDK identifier rule rejects this name; the dialect-free route must still never render HTML.
    let config2 = "[profile x]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ngroup = <script>alert(1)</script>\n";
    let mut roles = parsed.roles;
    roles.extend(parse_config(config2).roles);
    let mut entry = roles.pop().unwrap();
    entry.profile = name.into();
    let row = role_option(&document(), &entry, 0, "role-0").unwrap();
    let host = document().create_element("div").unwrap();
    host.append_child(&row).unwrap();
    assert_eq!(host.query_selector_all("img, script").unwrap().length(), 0);
    assert!(row.text_content().unwrap().contains(name));
}

#[wasm_bindgen_test]
fn roles_the_console_cannot_switch_to_are_disabled_with_the_reason() {
    let parsed = parse_config(
        "[profile ext]\nrole_arn = arn:aws:iam::123456789012:role/Partner\nexternal_id = abc\n",
    );
    let row = role_option(&document(), &parsed.roles[0], 0, "role-0").unwrap();
    assert_eq!(row.get_attribute("aria-disabled").as_deref(), Some("true"));
    let reason = row.query_selector(".reason").unwrap().unwrap();
    assert!(reason.text_content().unwrap().contains("ExternalId"));
    let _: web_sys::HtmlElement = row.dyn_into().unwrap();
}

/// What CloudTrail records for the profile's sessions is in the row's tooltip; a row of a
/// profile that sets neither has none.
#[wasm_bindgen_test]
fn a_row_s_tooltip_names_the_session_name_and_source_identity() {
    let parsed = parse_config(
        "[profile audited]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n\
         role_session_name = alice\nsource_identity = alice@example.com\n\
         [profile named]\nrole_arn = arn:aws:iam::123456789012:role/Ops\nrole_session_name = bob\n\
         [profile plain]\nrole_arn = arn:aws:iam::123456789012:role/Dev\n",
    );
    let title = |i: usize| {
        role_option(&document(), &parsed.roles[i], i, "role-0")
            .unwrap()
            .get_attribute("title")
    };
    assert_eq!(
        title(0).as_deref(),
        Some(
            "Session name in CloudTrail (CLI and SDKs): alice\n\
             Source identity in CloudTrail (CLI and SDKs): alice@example.com"
        )
    );
    assert_eq!(
        title(1).as_deref(),
        Some("Session name in CloudTrail (CLI and SDKs): bob")
    );
    assert_eq!(title(2), None);
}

// ---------------------------------------------------------------- the popup, mounted

/// Search as compiled for the browser (WASM SIMD scans 16 bytes at a time): the entries it
/// finds are exactly those where every word is part of some field, for names that put matches
/// at every position of a 16-byte block, and narrowing the previous result finds the same.
#[wasm_bindgen_test]
fn search_in_the_browser_finds_every_entry_a_plain_scan_finds() {
    use aws_role_switcher::popup::search::{Query, SearchIndex};
    let mut config = String::new();
    let mut seed: u32 = 99;
    let mut next = |n: u32| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 16) % n
    };
    let parts = [
        "p",
        "pa",
        "pay",
        "x",
        "-",
        "ops",
        "Prod",
        "aaaaaaaaaaaaaaaa",
        "0",
    ];
    for i in 0..400 {
        let mut name = String::new();
        for _ in 0..1 + next(6) {
            name.push_str(parts[next(parts.len() as u32) as usize]);
        }
        config.push_str(&format!(
            "[profile {name}-{i}]\nrole_arn = arn:aws:iam::{:012}:role/R{}\n",
            100_000_000_000u64 + u64::from(next(1000)),
            next(50)
        ));
    }
    let roles = parse_config(&config).roles;
    let index = SearchIndex::new(&roles);
    let fields = |e: &aws_role_switcher::RoleEntry| {
        [
            e.profile.to_lowercase(),
            e.account.to_lowercase(),
            e.role_name.to_lowercase(),
        ]
    };
    let mut previous = Query::new("");
    let mut previous_matches: Vec<usize> = (0..roles.len()).collect();
    for q in [
        "p",
        "pa",
        "pay",
        "pay 0",
        "a",
        "aaaaaaaaaaaaaaaaa",
        "ops-",
        "x-",
        "r4",
    ] {
        let query = Query::new(q);
        let mut found = index.search(&query);
        if query.narrows(&previous) {
            assert_eq!(
                index.refine(&previous_matches, &query),
                found,
                "{q}: refine"
            );
        }
        previous_matches = found.clone();
        previous = query.clone();
        found.sort_unstable();
        let expected: Vec<usize> = (0..roles.len())
            .filter(|&i| {
                let f = fields(&roles[i]);
                query
                    .words
                    .iter()
                    .all(|w| f.iter().any(|f| f.contains(w.as_str())))
            })
            .collect();
        assert_eq!(found, expected, "{q}");
    }
}

mod popup_page {
    use super::document;
    use aws_role_switcher::web::popup::show_roles;
    use gloo_storage::{LocalStorage, Storage};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

    /// The parts of `extension/popup.html` the popup draws into (test-owned markup).
    const SKELETON: &str = r#"<main style="height:600px;display:flex;flex-direction:column">
        <input id="search" role="combobox" aria-controls="recent roles">
        <p id="signed-in" hidden><span id="signed-in-text"></span>
          <label id="show-all-label" hidden><input id="show-all" type="checkbox"></label></p>
        <p id="popup-status" role="status"></p>
        <section id="recent-section" hidden><button id="recent-clear">x</button>
          <ul id="recent" role="listbox" aria-label="Recent"></ul></section>
        <ul id="roles" role="listbox" aria-label="Roles" style="height:440px;overflow-y:auto;position:relative"></ul>
        </main>"#;

    fn skeleton() {
        super::page_under_test("popup-under-test", SKELETON);
    }

    fn mount(config: &str) -> HtmlInputElement {
        skeleton();
        show_roles(&document(), config).unwrap();
        document()
            .get_element_by_id("search")
            .unwrap()
            .dyn_into()
            .unwrap()
    }

    fn options(list: &str) -> Vec<Element> {
        let nodes = document()
            .query_selector_all(&format!("#{list} [role=option]"))
            .unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap().dyn_into().unwrap())
            .collect()
    }

    fn active(input: &HtmlInputElement) -> Element {
        let id = input
            .get_attribute("aria-activedescendant")
            .expect("an active descendant");
        document()
            .get_element_by_id(&id)
            .unwrap_or_else(|| panic!("aria-activedescendant={id} is not rendered"))
    }

    fn key(input: &HtmlInputElement, key: &str, ctrl: bool) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    }

    fn type_query(input: &HtmlInputElement, text: &str) {
        input.set_value(text);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    }

    fn many_roles(n: usize) -> String {
        let mut config = String::new();
        for i in 0..n {
            config.push_str(&format!(
                "[profile team{}-role{i}]\nrole_arn = arn:aws:iam::{:012}:role/Role{i}\n",
                i % 7,
                100_000_000_000u64 + i as u64
            ));
        }
        config
    }

    /// The popup's highlighted matches (`CSS.highlights`, in the order added), each as the
    /// text it covers and the class of the row's part it is in: `"prod@profile"`.
    fn highlighted() -> Vec<String> {
        let found = js_sys::eval(
            "[...(CSS.highlights.get('ars-match') ?? [])]\
             .map((r) => r.toString() + '@' + r.startContainer.parentElement?.className)",
        )
        .unwrap();
        js_sys::Array::from(&found)
            .iter()
            .map(|v| v.as_string().unwrap())
            .collect()
    }

    #[wasm_bindgen_test]
    fn typing_keeps_the_rows_still_in_view_and_paints_their_matches_over_plain_text() {
        clear_storage();
        let input = mount(
            "[profile payments-prod]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n\
             [profile platform]\nrole_arn = arn:aws:iam::210987654321:role/Payer\n\
             [profile team-payments]\nrole_arn = arn:aws:iam::333333333333:role/Ops\n\
             region = ap-east-1\n",
        );
        type_query(&input, "p");
        let before = options("roles");
        assert_eq!(before.len(), 3);
        type_query(&input, "pay");
        let after = options("roles");
        let ids: Vec<String> = after.iter().map(|o| o.id()).collect();
        assert_eq!(ids, ["role-opt-0", "role-opt-1", "role-opt-2"]);
        for option in &after {
            let kept = before.iter().find(|b| b.id() == option.id()).unwrap();
            assert!(
                kept.is_same_node(Some(option)),
                "{} was built again",
                option.id()
            );
        }
        // Every match, in every part of a row, and nothing else.
        assert_eq!(
            highlighted(),
            ["pay@profile", "Pay@role-name", "pay@profile"],
        );
        assert_eq!(
            after[2].text_content().unwrap(),
            "team-payments333333333333Opsap-east-1❐"
        );
        // Highlighting adds no element: each part is one text node.
        assert_eq!(
            document()
                .query_selector_all("#roles mark")
                .unwrap()
                .length(),
            0
        );
        let profile = after[2].query_selector(".profile").unwrap().unwrap();
        assert_eq!(profile.child_nodes().length(), 1);
        type_query(&input, "ops");
        assert_eq!(options("roles").len(), 1);
        assert_eq!(highlighted(), ["Ops@role-name"]);
        type_query(&input, "");
        assert_eq!(options("roles").len(), 3);
        assert!(highlighted().is_empty());
    }

    /// `#roles` as markup, and its highlighted matches in a stable order.
    fn drawn_roles() -> (String, Vec<String>) {
        let list = document().get_element_by_id("roles").unwrap();
        let mut matches = highlighted();
        matches.sort();
        (list.outer_html(), matches)
    }

    #[wasm_bindgen_test]
    fn rows_kept_or_rewritten_while_typing_are_the_rows_a_fresh_popup_draws() {
        clear_storage();
        // Rows of every shape: with and without a region, an alias instead of an ID, one that
        // cannot be switched, and group headers (a base account's targets).
        let mut config = String::from("[profile base]\nregion = us-east-1\n");
        for i in 0..40 {
            let name = ["payments", "platform", "ops", "data"][i % 4];
            let env = ["prod", "dev"][i % 2];
            config.push_str(&format!("[profile {name}-{env}-{i}]\n"));
            if i % 6 == 3 {
                config.push_str(&format!(
                    "role_arn = arn:aws:iam::pay-alias-{i}:role/Admin\n"
                ));
            } else {
                config.push_str(&format!(
                    "role_arn = arn:aws:iam::{:012}:role/Role{i}\n",
                    i + 1
                ));
            }
            if i % 3 != 0 {
                let region = ["eu-west-1", "us-east-2", "ap-south-1", "sa-east-1"][i % 4];
                config.push_str(&format!("region = {region}\n"));
            }
            if i % 7 == 5 {
                config.push_str("external_id = needs-it\n");
            }
            if i % 5 == 0 {
                config.push_str("source_profile = base\n");
            }
        }
        let queries = [
            "", "p", "pa", "pay", "pa", "p", "", "d", "da", "dev", "de", "ops", "o", "zz", "prod",
            "pr 1", "pr 12", "",
        ];
        let input = mount(&config);
        let mut typed = Vec::new();
        for query in queries {
            type_query(&input, query);
            typed.push(drawn_roles());
        }
        for (query, typed) in queries.iter().zip(typed) {
            let input = mount(&config);
            type_query(&input, query);
            assert_eq!(typed, drawn_roles(), "after typing {query:?}");
        }
    }

    fn clear_storage() {
        LocalStorage::delete("aws-role-switcher.recent");
        LocalStorage::delete("aws-role-switcher.history");
        LocalStorage::delete("aws-role-switcher.settings");
    }

    #[wasm_bindgen_test]
    fn the_combobox_points_at_a_selected_option_with_a_stable_id() {
        clear_storage();
        let input = mount(
            "[profile prod]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n\
             [profile dev]\nrole_arn = arn:aws:iam::210987654321:role/Dev\nregion = us-east-1\n",
        );
        let roles = options("roles");
        assert_eq!(roles.len(), 2);
        assert_eq!(roles[1].id(), "role-opt-1");
        assert_eq!(roles[1].get_attribute("aria-setsize").as_deref(), Some("2"));
        assert_eq!(active(&input).id(), "role-opt-0");
        assert_eq!(
            active(&input).get_attribute("aria-selected").as_deref(),
            Some("true")
        );
        key(&input, "ArrowDown", false);
        assert_eq!(active(&input).id(), "role-opt-1");
        type_query(&input, "dev");
        assert_eq!(options("roles").len(), 1);
        assert_eq!(
            active(&input).id(),
            "role-opt-1",
            "ids follow the entry, not the position"
        );
        assert_eq!(highlighted(), ["dev@profile", "Dev@role-name"]);
        key(&input, "Escape", false);
        assert_eq!(input.value(), "");
        assert_eq!(options("roles").len(), 2);
    }

    #[wasm_bindgen_test]
    fn thousands_of_roles_render_only_the_rows_in_view() {
        clear_storage();
        let input = mount(&many_roles(5_000));
        let rendered = options("roles").len();
        assert!(rendered > 5 && rendered < 60, "{rendered} rows rendered");
        let spacer: HtmlElement = document()
            .query_selector("#roles > .spacer")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        // No `group` and no base account: one flat list, 44 px a row.
        assert_eq!(
            spacer.style().get_property_value("height").unwrap(),
            "220000px"
        );
        // Moving the highlight adds and removes rows around those drawn: still one selected
        // option, no row twice, rows in list order.
        let drawn_well = |input: &HtmlInputElement| {
            let rows = options("roles");
            let selected: Vec<String> = rows
                .iter()
                .filter(|o| o.get_attribute("aria-selected").as_deref() == Some("true"))
                .map(|o| o.id())
                .collect();
            assert_eq!(
                selected,
                [active(input).id()],
                "exactly the active option is selected"
            );
            let positions: Vec<usize> = rows
                .iter()
                .map(|o| o.get_attribute("aria-posinset").unwrap().parse().unwrap())
                .collect();
            assert!(
                positions.windows(2).all(|w| w[0] < w[1]),
                "rows in order, none twice: {positions:?}"
            );
        };
        drawn_well(&input);
        key(&input, "End", false);
        assert_eq!(active(&input).id(), "role-opt-4999");
        drawn_well(&input);
        key(&input, "PageUp", false);
        drawn_well(&input);
        key(&input, "ArrowUp", false);
        drawn_well(&input);
        let id = active(&input).id();
        let n: usize = id.trim_start_matches("role-opt-").parse().unwrap();
        assert!((4_980..4_999).contains(&n), "{id}");
        for _ in 0..3 {
            key(&input, "ArrowDown", false);
            drawn_well(&input);
        }
        key(&input, "Home", false);
        assert_eq!(active(&input).id(), "role-opt-0");
        drawn_well(&input);
        type_query(&input, "team3 role4");
        let first = options("roles")[0].text_content().unwrap();
        assert!(first.starts_with("team3-role4"), "{first}");
        assert!(options("roles").len() < 60);
    }

    #[wasm_bindgen_test]
    fn groups_get_presentation_headers_and_hostile_text_stays_text() {
        clear_storage();
        let hostile = "<img src=x onerror=alert(1)>";
        let _input = mount(&format!(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ngroup = {hostile}\n\
             [profile b]\nrole_arn = arn:aws:iam::123456789013:role/Admin\ngroup = Ops\n\
             [profile c]\nrole_arn = arn:aws:iam::123456789014:role/Admin\n"
        ));
        let headers = document()
            .query_selector_all("#roles .group-header")
            .unwrap();
        assert_eq!(headers.length(), 3);
        let first: Element = headers.item(0).unwrap().dyn_into().unwrap();
        assert_eq!(first.get_attribute("role").as_deref(), Some("presentation"));
        assert_eq!(first.text_content().as_deref(), Some(hostile));
        assert_eq!(
            document()
                .query_selector_all("main img, main script")
                .unwrap()
                .length(),
            0
        );
        assert_eq!(options("roles").len(), 3);
    }

    #[wasm_bindgen_test]
    fn corrupt_history_is_empty_and_stored_history_lists_pins_first() {
        clear_storage();
        LocalStorage::raw()
            .set_item("aws-role-switcher.recent", "{not json")
            .unwrap();
        let config =
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ncolor = ff0000\n\
                      [profile b]\nrole_arn = arn:aws:iam::210987654321:role/Dev\n";
        mount(config);
        assert!(options("recent").is_empty());
        assert_eq!(options("roles").len(), 2);

        LocalStorage::raw()
            .set_item(
                "aws-role-switcher.recent",
                r#"{"items":[
                  {"profile":"b","partition":"aws","account":"210987654321","role_name":"Dev","last_used_ms":2,"count":3},
                  {"profile":"a","partition":"aws","account":"123456789012","role_name":"Admin","last_used_ms":1,"count":1,"pinned":true}]}"#,
            )
            .unwrap();
        let input = mount(config);
        let recent = options("recent");
        assert_eq!(recent.len(), 2);
        assert!(recent[0].text_content().unwrap().contains('a'));
        assert_eq!(
            recent[0].get_attribute("data-pinned").as_deref(),
            Some("true")
        );
        assert!(recent[1].text_content().unwrap().contains("3×"));
        let swatch: HtmlElement = recent[0]
            .query_selector(".swatch")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        assert_eq!(
            swatch
                .style()
                .get_property_value("background-color")
                .unwrap(),
            "rgb(255, 0, 0)"
        );
        assert_eq!(active(&input).id(), "recent-opt-0");
        // Delete removes the active recent entry.
        key(&input, "Delete", false);
        assert_eq!(options("recent").len(), 1);
        let stored = LocalStorage::raw()
            .get_item("aws-role-switcher.recent")
            .unwrap()
            .unwrap();
        assert!(!stored.contains("\"a\""), "{stored}");
        clear_storage();
    }

    fn lists_html() -> String {
        ["recent", "roles"]
            .iter()
            .map(|id| document().get_element_by_id(id).unwrap().outer_html())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[wasm_bindgen_test]
    fn the_cached_first_screen_draws_exactly_what_the_entries_draw() {
        clear_storage();
        let mut config = many_roles(300);
        // Its session name and source identity are in its row's tooltip, cached or not.
        config.push_str("[profile grouped]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ngroup = Ops\ncolor = ff0000\nrole_session_name = alice\nsource_identity = alice@example.com\n");
        config.push_str("[profile broken]\nrole_arn = arn:aws:iam::12345:role/X\ngroup = Ops\n");
        LocalStorage::raw()
            .set_item(
                "aws-role-switcher.recent",
                r#"{"items":[
                  {"profile":"grouped","partition":"aws","account":"123456789012","role_name":"Admin","last_used_ms":2,"count":3,"pinned":true},
                  {"profile":"team3-role3","partition":"aws","account":"100000000003","role_name":"Role3","last_used_ms":1,"count":1},
                  {"profile":"gone","partition":"aws","account":"999999999999","role_name":"Gone","last_used_ms":1,"count":1}]}"#,
            )
            .unwrap();
        for hide_ids in [false, true] {
            LocalStorage::raw()
                .set_item(
                    "aws-role-switcher.settings",
                    &format!(r#"{{"hide_account_ids":{hide_ids}}}"#),
                )
                .unwrap();
            mount(&config);
            let full = lists_html();
            assert!(options("recent").len() == 2, "{full}");
            skeleton();
            aws_role_switcher::web::popup::show_cached_first_screen(&document(), &config).unwrap();
            assert_eq!(lists_html(), full, "the cached first screen differs");
            // The entries arrive: the same lists, now searchable.
            show_roles(&document(), &config).unwrap();
            assert_eq!(lists_html(), full);
            let input: HtmlInputElement = document()
                .get_element_by_id("search")
                .unwrap()
                .dyn_into()
                .unwrap();
            type_query(&input, "grouped");
            assert_eq!(options("roles").len(), 1);
        }
        clear_storage();
    }

    #[wasm_bindgen_test]
    fn legacy_history_migrates_and_hidden_account_ids_are_not_shown() {
        clear_storage();
        LocalStorage::set("aws-role-switcher.history", vec!["b"]).unwrap();
        LocalStorage::raw()
            .set_item("aws-role-switcher.settings", r#"{"hide_account_ids":true}"#)
            .unwrap();
        mount("[profile b]\nrole_arn = arn:aws:iam::210987654321:role/Dev\n");
        assert_eq!(options("recent").len(), 1);
        assert!(LocalStorage::raw()
            .get_item("aws-role-switcher.history")
            .unwrap()
            .is_none());
        let text = document()
            .query_selector("main")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
        assert!(!text.contains("210987654321"), "{text}");
        clear_storage();
    }
}

mod options_page {
    use super::document;
    use aws_role_switcher::web::options::show_diagnostics;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::HtmlElement;

    /// The parts of `extension/options.html` the live check draws into (test-owned markup).
    const SKELETON: &str = r#"<span id="preview"></span>
        <ul id="diagnostics"></ul>
        <details id="not-switchable-details" hidden><ul id="not-switchable"></ul></details>"#;

    fn check(config: &str) {
        super::page_under_test("options-under-test", SKELETON);
        show_diagnostics(&document(), config).unwrap();
    }

    fn texts(selector: &str) -> Vec<String> {
        let nodes = document().query_selector_all(selector).unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    fn text(id: &str) -> String {
        document()
            .get_element_by_id(id)
            .unwrap()
            .text_content()
            .unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn the_live_check_counts_roles_and_lists_those_that_cannot_be_switched() {
        check(concat!(
            "[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n",
            "[profile <b>needs-id</b>]\nrole_arn = arn:aws:iam::123456789012:role/Ext\n",
            "[profile needs-id]\nrole_arn = arn:aws:iam::123456789012:role/Ext\nexternal_id = x\n",
            "oops\n",
        ));
        assert!(
            text("preview").starts_with("2 roles · 1 "),
            "{}",
            text("preview")
        );
        let details: HtmlElement = document()
            .get_element_by_id("not-switchable-details")
            .unwrap()
            .dyn_into()
            .unwrap();
        assert!(!details.hidden());
        let listed = texts("#not-switchable li");
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(listed[0].starts_with("needs-id ("), "{listed:?}");
        assert!(listed[0].contains('5'), "its line: {listed:?}");
        // The bad header and the line without `=`, each a button that carries its line.
        let lines: Vec<String> = {
            let nodes = document()
                .query_selector_all("#diagnostics button[data-line]")
                .unwrap();
            (0..nodes.length())
                .map(|i| {
                    let node: web_sys::Element = nodes.item(i).unwrap().dyn_into().unwrap();
                    node.get_attribute("data-line").unwrap()
                })
                .collect()
        };
        assert!(lines.contains(&"3".to_string()), "{lines:?}");
        assert!(lines.contains(&"8".to_string()), "{lines:?}");
        // The header's markup is quoted as text, never made into elements.
        assert_eq!(
            document()
                .query_selector_all("#options-under-test b")
                .unwrap()
                .length(),
            0
        );
    }

    #[wasm_bindgen_test]
    fn a_long_list_of_roles_that_cannot_be_switched_shows_the_first_hundred_and_the_rest_counted() {
        let config: String = (0..103)
            .map(|i| {
                format!(
                    "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/R\nexternal_id = e\n"
                )
            })
            .collect();
        check(&config);
        assert!(
            text("preview").starts_with("103 roles · 103 "),
            "{}",
            text("preview")
        );
        let listed = texts("#not-switchable li");
        assert_eq!(listed.len(), 101, "100 entries and a count of the rest");
        assert!(listed[0].starts_with("p0 ("), "{}", listed[0]);
        assert!(listed[99].starts_with("p99 ("), "{}", listed[99]);
        assert_eq!(listed[100], "… 3");
    }

    /// A count takes its plural form from `Intl.PluralRules` ("1 role", never "1 roles").
    #[wasm_bindgen_test]
    fn one_role_is_counted_in_the_singular() {
        check("[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n");
        assert_eq!(text("preview"), "1 role · 0 not switchable");
    }
}
