"""The popup in Firefox, the journeys of tests/e2e/popup.test.mjs with the same config and the
same texts per language (tests/e2e/fixtures/popup.ini, popup-languages.json): the keyboard
(↑ ↓ Home End PageUp PageDown Enter Escape), search with highlights, groups, Recent with pins,
remove and clear, "Hide account IDs", dark mode, and English, 简体中文 and 繁體中文, with
screenshots in target/e2e-artifacts/firefox-*.png."""

import json
import os
import re
import unittest

from selenium.webdriver.common.action_chains import ActionChains

from harness import ARTIFACTS, HISTORY_KEY, SETTINGS_KEY, FirefoxCase, Keys, fixture

CONFIG = fixture("popup.ini")
SHARED = fixture("popup-languages.json")
HOSTILE_GROUP = SHARED["hostileGroup"]
# Enough roles that PageDown has pages to move by.
MANY = CONFIG + "".join(f"[profile bulk-{i:02}]\nrole_arn = arn:aws:iam::7000000000{i:02}:role/Bulk\n"
                        for i in range(40))
DARK_BG = "rgb(22, 25, 31)"
LIGHT_BG = "rgb(255, 255, 255)"


def color_for_account(account):
    """The popup's stable colour for an account without `color` (src/roles/color.rs,
    color_for_account): FNV-1a of the ID picks a hue, at saturation 55 %, lightness 72 %."""
    h = 0x811C9DC5
    for byte in account.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    hue = h % 360
    s, l = 0.55, 0.72
    c = (1 - abs(2 * l - 1)) * s
    x = c * (1 - abs((hue / 60) % 2 - 1))
    m = l - c / 2
    r, g, b = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x)][min(5, hue // 60)]
    return "rgb({}, {}, {})".format(*(round((v + m) * 255) for v in (r, g, b)))


class PopupCase(FirefoxCase):
    config = CONFIG

    def open_popup(self):
        """The popup in its own 400×600 window over a plain tab, with its roles listed."""
        _, popup = self.ff.popup_over("https://example.test/", self.wait_for)
        self.wait_for("the Roles listbox to have options", lambda: self.els("#roles [role=option]"))
        return popup

    def enter_and_wait_for_close(self, popup):
        self.press(Keys.ENTER)
        self.wait_for("the popup to close after the switch", lambda: popup not in self.driver.window_handles)

    def background(self):
        return self.js("return getComputedStyle(document.body).backgroundColor;")

    def set_color_scheme(self, scheme):
        """The system's colour preference as pages see it (prefers-color-scheme)."""
        self.ff.chrome("Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', arguments[0]);",
                       {"dark": 0, "light": 1}[scheme])

    def tearDown(self):
        super().tearDown()
        self.ff.chrome("Services.prefs.clearUserPref('layout.css.prefers-color-scheme.content-override');")


class FirefoxPopupKeyboard(PopupCase):
    config = MANY

    def test_arrows_home_end_page_keys_escape(self):
        popup = self.open_popup()
        first = self.active_option()
        self.assertEqual(first["selected"], "true", first)
        self.assertEqual(first["list"], "roles")
        self.press(Keys.ARROW_DOWN)
        second = self.active_option()
        self.assertNotEqual(second["id"], first["id"])
        self.assertEqual(second["selected"], "true")
        self.press(Keys.ARROW_UP)
        self.assertEqual(self.active_option()["id"], first["id"])
        self.press(Keys.END)
        last = self.active_option()
        self.assertNotEqual(last["id"], first["id"])
        self.assertEqual(last["id"], self.js("return [...document.querySelectorAll('#roles [role=option]')].at(-1).id"),
                         "End makes the last option active, and it is drawn")
        self.press(Keys.HOME)
        self.assertEqual(self.active_option()["id"], first["id"])

        # PageDown moves as many options as the list shows at once, as that many ↓ would.
        page = self.js("return Math.floor(document.getElementById('roles').clientHeight / 44);")
        self.assertGreater(page, 1, "the list shows several options")
        self.press(Keys.PAGE_DOWN)
        paged = self.active_option()
        self.press(Keys.HOME)
        self.press(*([Keys.ARROW_DOWN] * page))
        self.assertEqual(self.active_option()["id"], paged["id"], f"PageDown = {page} × ↓")
        self.press(Keys.PAGE_UP)
        self.assertEqual(self.active_option()["id"], first["id"], "PageUp goes back a page")

        # Escape clears the search first, then closes the popup.
        self.press("bulk-1")
        self.wait_for("the search to narrow the list", lambda: len(self.profiles()) == 10)
        self.press(Keys.ESCAPE)
        self.wait_for("Escape to clear the search", lambda: self.search().get_property("value") == "")
        self.assertIn(popup, self.driver.window_handles, "the first Escape only clears")
        self.wait_for("every role again", lambda: len(self.profiles()) > 10)
        self.press(Keys.ESCAPE)
        self.wait_for("the second Escape to close the popup", lambda: popup not in self.driver.window_handles)

    def test_enter_switches_to_the_active_option(self):
        popup = self.open_popup()
        self.press("bulk-3")
        self.wait_for("bulk-30 … bulk-39", lambda: len(self.profiles()) == 10)
        self.press(Keys.ARROW_DOWN)
        self.assertRegex(self.active_option()["text"], r"bulk-31")
        self.enter_and_wait_for_close(popup)
        link = "https://signin.aws.amazon.com/switchrole?account=700000000031&roleName=Bulk&displayName=bulk-31"
        self.expect_request(f"GET {link}", lambda r: r["method"] == "GET" and r["fullUrl"].startswith(link))


class FirefoxPopup(PopupCase):

    def test_search_highlights_and_groups(self):
        self.open_popup()
        # Groups: the base account "org" and the (hostile) group get headers; text stays text.
        headers = [e.get_property("textContent") for e in self.els("#roles .group-header")]
        self.assertIn("org", headers)
        self.assertIn(HOSTILE_GROUP, headers)
        self.assertEqual(self.els("main img, main script"), [])
        self.assertIsNone(self.js("return window.__pwned;"))

        self.press("cn-o")
        self.wait_for('"cn-o" to leave cn-ops first', lambda: (self.option_texts() or [""])[0].startswith("cn-ops"))
        # The matches are painted (CSS Custom Highlight API) over the rows' own text nodes.
        painted = self.js("""return [...(CSS.highlights.get('ars-match') ?? [])]
            .map((r) => `${r.toString()}@${r.startContainer.parentElement?.closest('[role=option]')?.id}`);""")
        first_id = self.el("#roles [role=option]").get_attribute("id")
        self.assertEqual(painted[0], f"cn-o@{first_id}")
        # Words match anywhere: "prod adm" finds prod-admin, both words painted.
        self.press(Keys.ESCAPE, "prod adm")
        self.wait_for("prod-admin alone", lambda: self.profiles() == ["prod-admin"])
        painted = self.js("return [...CSS.highlights.get('ars-match')].map((r) => r.toString().toLowerCase());")
        self.assertEqual(sorted(set(painted)), ["adm", "prod"])  # "adm" in the profile and in its role, Admin
        self.ff.screenshot("firefox-popup-search-en.png")

    def test_recent_pins_remove_and_clear(self):
        popup = self.open_popup()
        self.choose("cn-ops")
        self.wait_for("the popup to close", lambda: popup not in self.driver.window_handles)
        popup = self.open_popup()
        self.press("prod adm")
        self.wait_for("prod-admin to be active", lambda: "prod-admin" in (self.active_option().get("text") or ""))
        self.enter_and_wait_for_close(popup)
        self.open_popup()

        # Recent: most recent first, each in its role's colour (else its account's).
        self.wait_for('"Recent" to list two roles', lambda: len(self.option_texts("recent")) == 2)
        recent = self.option_texts("recent")
        self.assertRegex(recent[0], r"prod-admin")
        self.assertRegex(recent[1], r"cn-ops")
        swatches = self.js("return [...document.querySelectorAll('#recent [role=option] .swatch')]"
                           ".map((e) => getComputedStyle(e).backgroundColor);")
        self.assertEqual(swatches, ["rgb(255, 153, 0)", color_for_account("210987654321")])
        # With an empty query Enter would reopen the most recent role: it is the active option.
        self.assertEqual(self.active_option()["list"], "recent")

        # Alt+P pins the active one (cn-ops): it goes on top, marked, and stays there.
        self.press(Keys.ARROW_DOWN)
        self.assertRegex(self.active_option()["text"], r"cn-ops")
        ActionChains(self.driver).key_down(Keys.ALT).send_keys("p").key_up(Keys.ALT).perform()
        self.wait_for("cn-ops pinned on top", lambda: re.search(r"cn-ops", (self.option_texts("recent") or [""])[0]))
        pinned = self.els("#recent [role=option][data-pinned=true] .profile")
        self.assertEqual([e.text for e in pinned], ["cn-ops"])
        self.assertEqual(json.loads(self.js(f"return localStorage.getItem('{HISTORY_KEY}')"))["items"][1]["pinned"], True)
        self.driver.refresh()
        self.wait_for("Recent after a reload", lambda: len(self.option_texts("recent")) == 2)
        self.assertRegex(self.option_texts("recent")[0], r"cn-ops")
        self.ff.screenshot("firefox-popup-recent-pinned-en.png")
        # The pin button unpins, by a click as a user would ...
        self.el("#recent [role=option][data-pinned=true] [data-action=pin]").click()
        self.wait_for("prod-admin first again", lambda: re.search(r"prod-admin", (self.option_texts("recent") or [""])[0]))
        self.assertEqual(self.els("#recent [data-pinned=true]"), [])
        # ... and the keys still work: the search box has the focus again.
        self.wait_for("the search box to keep the focus after the click", lambda: self.js(
            "return document.activeElement?.id === 'search' || document.activeElement?.outerHTML.slice(0, 80);") is True)

        # Delete removes the active Recent entry.
        self.press(Keys.HOME)
        self.assertRegex(self.active_option()["text"], r"prod-admin")
        self.press(Keys.DELETE)
        self.wait_for("prod-admin removed from Recent", lambda: len(self.option_texts("recent")) == 1)
        self.assertRegex(self.option_texts("recent")[0], r"cn-ops")
        self.assertTrue(any("prod-admin" in t for t in self.option_texts("roles")), "still listed under Roles")

        # Clear all empties Recent and hides it.
        self.el("#recent-clear").click()
        self.wait_for("Recent hidden", lambda: self.js("return document.getElementById('recent-section').hidden"))
        self.assertEqual(json.loads(self.js(f"return localStorage.getItem('{HISTORY_KEY}')"))["items"], [])

    def test_hide_account_ids(self):
        self.open_popup()
        self.assertTrue(any("123456789012" in t for t in self.option_texts()), self.option_texts())
        self.open_options()
        box = self.el("#hide-account-ids")
        self.assertFalse(box.is_selected())
        box.click()
        self.wait_for("the setting stored", lambda: json.loads(
            self.js(f"return localStorage.getItem('{SETTINGS_KEY}') || '{{}}'")).get("hide_account_ids") is True)
        self.open_popup()
        texts = self.option_texts()
        self.assertTrue(any("prod-admin" in t for t in texts), texts)
        self.assertFalse([t for t in texts if re.search(r"\d{12}|\d{4}-\d{4}-\d{4}", t)],
                         "no 12-digit account ID is shown")
        self.ff.screenshot("firefox-popup-hidden-ids-en.png")

    def test_dark_mode_by_the_system_and_by_the_setting(self):
        self.open_popup()
        for scheme, bg in (("light", LIGHT_BG), ("dark", DARK_BG)):
            self.set_color_scheme(scheme)
            self.wait_for(f"the {scheme} background", lambda bg=bg: self.background() == bg)
            self.ff.screenshot(f"firefox-popup-{scheme}-en.png")
        # The settings' theme overrides the system's.
        self.js(f"localStorage.setItem('{SETTINGS_KEY}', JSON.stringify({{ theme: 'dark' }}));")
        self.set_color_scheme("light")
        self.driver.refresh()
        self.wait_for("the popup to draw again", lambda: self.els("#roles [role=option]"))
        self.assertEqual(self.js("return document.documentElement.dataset.theme"), "dark")
        self.assertEqual(self.background(), DARK_BG)


class FirefoxPopupLanguages(PopupCase):
    """English, 简体中文 and 繁體中文: the add-on follows Firefox's UI language."""

    config = None

    def tearDown(self):
        super().tearDown()
        self.ff.set_locale("en-US")

    def check_language(self, lang):
        strings = SHARED["languages"][lang]
        self.ff.set_locale(strings["flag"])
        # The options page: the config's diagnostics in the UI's language, the core's exact English after.
        self.open_options()
        self.js("const a = document.getElementById('config'); a.value = arguments[0];"
                "a.dispatchEvent(new Event('input'));", CONFIG)
        self.wait_for("the ExternalId note among the diagnostics", lambda: any(
            "[external-id]" in e.text for e in self.els("#diagnostics li")))
        diagnostics = [e.get_property("textContent") for e in self.els("#diagnostics li")]
        self.assertTrue(any(re.search(strings["diagnostic"], t) for t in diagnostics), diagnostics)
        self.el("#diagnostics").screenshot(f"{self.artifacts()}/firefox-options-diagnostics-{lang}.png")
        self.el("#save").click()
        self.wait_for("the save to be reported", lambda: self.el("#save-result").text.strip())

        self.open_popup()
        self.assertEqual(self.search().get_attribute("placeholder"), strings["search"])
        self.assertEqual(self.search().get_attribute("aria-label"), strings["search"])
        self.assertEqual(self.el("#roles-label").get_property("textContent").strip(), strings["roles"])
        reason = self.js("return [...document.querySelectorAll('#roles [role=option]')]"
                         ".find((o) => o.textContent.includes('partner')).querySelector('.reason');")
        self.assertEqual(reason.get_property("textContent").strip(), f"⚠ {strings['externalId']}")
        self.assertRegex(reason.get_attribute("title"), r"^roles that require an ExternalId cannot be switched to")
        for scheme, bg in (("light", LIGHT_BG), ("dark", DARK_BG)):
            self.set_color_scheme(scheme)
            self.wait_for(f"the {scheme} background", lambda bg=bg: self.background() == bg)
            self.ff.screenshot(f"firefox-popup-{scheme}-{lang}.png")
        self.set_color_scheme("light")

        # A config the browser's storage damaged: said in the UI's language, the copy's roles listed.
        self.ff.run_in_extension("""
            const { config } = await browser.storage.local.get('config');
            await browser.storage.local.set({ config: config.slice(0, 40) });
        """)
        self.driver.refresh()
        self.wait_for("the damage to be reported", lambda: re.search(
            strings["damaged"], self.el("#popup-status").get_property("textContent")))
        self.assertTrue(any("partner" in t for t in self.option_texts()), "the copy's roles are listed")

    def artifacts(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        return ARTIFACTS

    def test_en(self):
        self.check_language("en")

    def test_zh_CN(self):
        self.check_language("zh_CN")

    def test_zh_TW(self):
        self.check_language("zh_TW")


if __name__ == "__main__":
    unittest.main(verbosity=2)
