"""End to end in a real Firefox: the built dist/firefox as a temporary add-on in Debian's
firefox-esr (geckodriver + Selenium) against the fake AWS on loopback: import, search, Enter
switches from a plain tab and in place from a console tab.

The harness (FakeAws, ConnectProxy, firefox_prefs, the shared Firefox) lives in harness.py and
is re-exported here under its old names, so `from test_firefox import ...` keeps working.
The other journeys are in the test_*_firefox.py files beside this one.
Run with tests/e2e-firefox/run.sh (it installs what is missing).
"""

import json
import os
import re
import sys
import unittest
import urllib.parse

from harness import *  # noqa: F401,F403 (re-exported: other test files import them from here)
from harness import (ARTIFACTS, CONFIG, EXPECTED, SIGNIN_HOST, By, FirefoxCase, Keys,
                     is_fake_aws_host)


class FirefoxEndToEnd(FirefoxCase):
    """The first Firefox journeys, on the suite's shared Firefox (harness.FirefoxCase)."""

    # ------------------------------------------------------------ helpers

    def chrome(self, script, *args):
        """Runs `script` in Firefox's chrome (browser UI) context."""
        return self.ff.chrome(script, *args)

    def open_extension_page(self, page):
        """Opens moz-extension://UUID/<page> in a new tab and switches WebDriver to it."""
        return self.ff.open_extension_page(page, self.wait_for)

    def tab_urls(self):
        return self.ff.tab_urls()

    def screenshot(self, name):
        self.ff.screenshot(name)

    def import_and_save(self):
        self.open_extension_page("options.html")
        # The page wires its listeners once it has read storage and shown the preview.
        self.wait_for("the options page to start", lambda: self.driver.find_element(By.ID, "preview").text)
        config_file = os.path.join(self.tmp, "aws-config.ini")
        with open(config_file, "w") as f:
            f.write(CONFIG)
        self.driver.find_element(By.ID, "import").send_keys(config_file)
        area = self.driver.find_element(By.ID, "config")
        self.wait_for("the Configuration textarea to show the imported file",
                      lambda: area.get_property("value").strip() == CONFIG.strip())
        self.driver.find_element(By.ID, "save").click()
        result = self.driver.find_element(By.ID, "save-result")
        self.wait_for("the options page to say Saved", lambda: "Saved" in result.text)
        return result.text

    def switch_from_popup(self, query, profile):
        self.open_extension_page("popup.html")
        search = self.driver.find_element(By.ID, "search")
        self.wait_for("the search box to have the focus",
                      lambda: self.driver.switch_to.active_element == search)
        self.wait_for("the Roles list to show 3 roles",
                      lambda: len(self.driver.find_elements(By.CSS_SELECTOR, "#roles [role=option]")) == 3)
        self.screenshot("firefox-popup.png")
        search.send_keys(query)
        self.wait_for(f"typing {query!r} to leave exactly the option {profile!r}", lambda: [
            e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#roles [role=option] .profile")
        ] == [profile])
        # The matched letters are painted (CSS Custom Highlight API, Firefox 140+) over the
        # option's own text.
        painted = self.driver.execute_script(
            "return [...(CSS.highlights?.get('ars-match') ?? [])].map((r) => r.toString());")
        self.assertIn(query, painted, f"{query!r} is not highlighted in the option")
        since = len(self.aws.snapshot())
        search.send_keys(Keys.ENTER)
        expected = EXPECTED[profile]
        # The new tab is sent to the switch-role URL, and the fake sign-in host receives it ...
        hit = self.wait_for(f"the fake AWS to receive GET {expected}", lambda: [
            r for r in self.aws.snapshot()[since:] if r == ("GET", expected)])
        # ... then the extension presses "Switch Role" on that form: one click, as in Chromium.
        sign_in = re.match(r"(https://[^/]+)/", expected).group(1)
        self.wait_for(f"the extension's POST {sign_in}/switchrole", lambda: [
            r for r in self.aws.snapshot()[since:] if r == ("POST", sign_in + "/switchrole")])
        self.wait_for("the switched tab to land on the console",
                      lambda: any(".amazonaws.cn/console" in u or "console.aws.amazon.com/console" in u
                                  for u in self.tab_urls()))
        return hit

    # ------------------------------------------------------------ the test

    def test_import_search_enter_switches(self):
        with open(os.path.join(EXTENSION_DIR, "manifest.json")) as f:
            manifest = json.load(f)
        self.assertIn("gecko", manifest.get("browser_specific_settings", {}))
        self.assertNotIn("service_worker", manifest.get("background", {}),
                         "Firefox MV3 runs background.scripts, not a service worker")

        since = len(self.aws.snapshot())
        self.assertRegex(self.import_and_save(), r"(?i)Saved\. 3 roles")

        self.switch_from_popup("cn-ops", "cn-ops")
        self.switch_from_popup("prod-admin", "prod-admin")

        # Every request that reached the fake went to a sign-in (or console) host of the three
        # partitions; nothing else was even attempted through the proxy but Firefox's own
        # services, which the proxy refused (and which the prefs above mostly switch off).
        seen = self.aws.snapshot()[since:]
        self.assertTrue(seen, "the fake AWS received nothing")
        for method, url in seen:
            host = re.match(r"https://([^/:]+)", url).group(1)
            self.assertTrue(is_fake_aws_host(host), f"{method} {url} went to a non-AWS host")
        first = re.match(r"https://([^/:]+)", seen[0][1]).group(1)
        self.assertRegex(first, SIGNIN_HOST, "the extension's first request must be to a sign-in host")
        for line in self.proxy.refused:
            host = line.split()[1] if len(line.split()) > 1 else line
            self.assertNotRegex(host, r"amazon|aws", f"an AWS request was refused: {line}")
        if self.proxy.refused:
            counts = {line: self.proxy.refused.count(line) for line in sorted(set(self.proxy.refused))}
            print(f"\nproxy refused (Firefox's own background traffic): {counts}", file=sys.stderr)

    def test_options_page_names_the_shortcut_and_where_to_change_it(self):
        """Firefox assigns the manifest's suggested key: the options page names it, then where
        each browser lets the user change it (an extension cannot rebind it itself)."""
        with open(os.path.join(EXTENSION_DIR, "manifest.json")) as f:
            suggested = json.load(f)["commands"]["_execute_action"]["suggested_key"]["default"]
        self.open_extension_page("options.html")
        commands = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; chrome.commands.getAll().then(done);")
        bound = next(c["shortcut"] for c in commands if c["name"] == "_execute_action")
        self.assertEqual(bound, suggested, "Firefox binds the suggested key")
        hint = self.driver.find_element(By.ID, "shortcut-hint")
        self.wait_for("the shortcut line", lambda: hint.text.startswith(f"The role list opens with {bound}."))
        self.assertIn("about:addons", hint.text)
        self.assertIn("Manage Extension Shortcuts", hint.text)

    def test_console_tab_switches_in_place(self):
        """The popup (in its own window, as the toolbar popup sits over a tab) reads the console
        tab's session in the page's main world and POSTs the switch form from that tab."""
        self.import_and_save()
        console_url = "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        since = len(self.aws.snapshot())
        # The console in a new active tab, then the popup in a window of its own over it.
        console_tab, popup = self.ff.popup_over(console_url, self.wait_for)
        self.driver.switch_to.window(popup)
        self.wait_for("the popup to say who is signed in on the console tab",
                      lambda: self.driver.find_element(By.ID, "signed-in").is_displayed())
        search = self.driver.find_element(By.ID, "search")
        search.send_keys("prod-admin")
        self.wait_for("typing to leave only prod-admin", lambda: [
            e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "#roles [role=option] .profile")
        ] == ["prod-admin"])
        search.send_keys(Keys.ENTER)
        post = self.wait_for("the console tab's POST to https://signin.aws.amazon.com/switchrole", lambda: [
            b for m, u, b in self.aws.bodies_snapshot()[since:]
            if m == "POST" and u == "https://signin.aws.amazon.com/switchrole"])[0]
        fields = dict(urllib.parse.parse_qsl(post or ""))
        self.assertEqual(fields.get("action"), "switchFromBasis", post)
        self.assertEqual(fields.get("account"), "123456789012", post)
        self.assertEqual(fields.get("roleName"), "Admin", post)
        self.assertTrue(fields.get("csrf"), f"the console page's csrf token is sent: {post}")
        # In place: no prefilled switch-role page was opened for it.
        self.assertFalse([u for m, u in self.aws.snapshot()[since:]
                          if m == "GET" and "/switchrole?" in u], "switched in the console tab, not by the link")
        # The popup closed itself; WebDriver goes back to the console tab, which lands on the
        # redirect the form asked for.
        self.wait_for("the popup to close", lambda: popup not in self.driver.window_handles)
        self.driver.switch_to.window(console_tab)
        self.wait_for("the console tab to load the redirect", lambda: [
            r for r in self.aws.snapshot()[since:] if r == ("GET", console_url)][1:])
        self.wait_for("the console tab to show it", lambda: self.driver.current_url == console_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
