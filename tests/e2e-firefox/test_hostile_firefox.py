"""Hostile names in Firefox, the corpus of tests/e2e/hostile.test.mjs
(tests/e2e/fixtures/hostile.json): each config is saved on the options page and listed in the
popup; no script runs (a global any injected script would set, window.__pwned, stays unset),
no dialog opens, markup shows as text, and no request leaves for any host, AWS or not."""

import os
import time
import unittest

from selenium.common.exceptions import NoAlertPresentException

from harness import REPO, FirefoxCase, fixture

CORPUS = fixture("hostile.json")["configs"]


class FirefoxHostile(FirefoxCase):

    def assert_no_dialog(self):
        try:
            text = self.driver.switch_to.alert.text
        except NoAlertPresentException:
            return
        self.fail(f"a dialog opened: {text!r}")

    def assert_inert(self, where, injected_css):
        self.assertIsNone(self.js("return window.__pwned;"), f"script ran in {where}")
        self.assertEqual(self.els(injected_css), [], f"markup from the config became elements in {where}")
        self.assert_no_dialog()

    def render(self, case):
        with open(os.path.join(REPO, case["file"]), encoding="utf-8") as f:
            text = f.read()
        self.open_options()
        self.js("const a = document.getElementById('config'); a.value = arguments[0];"
                "a.dispatchEvent(new Event('input'));", text)
        self.el("#save").click()
        self.wait_for('"Saved"', lambda: "Saved" in self.el("#save-result").text)
        # The diagnostics quote the hostile names; they too must stay text.
        self.wait_for("the diagnostics", lambda: self.els("#diagnostics li"))
        time.sleep(0.3)  # give any onerror a chance to fire
        self.assert_inert("the options page", "#diagnostics img, #diagnostics script, #diagnostics svg")

        self.open_popup_tab()
        self.wait_for("the popup to list roles", lambda: self.els("#roles [role=option]"))
        time.sleep(0.5)  # give any onerror a chance to fire
        self.assert_inert("the popup", "main img, main script, main svg, main iframe")
        if case.get("shownAsText"):
            self.assertIn(case["shownAsText"], self.el("#roles").get_property("textContent"), "markup is shown as text")
        # Rendering alone requested nothing: the fake AWS saw nothing, and the proxy (Firefox's
        # only way out) refused nothing but Firefox's own services.
        self.assertEqual([r["fullUrl"] for r in self.aws.since(self.since)], [])
        self.assert_no_request_outside_aws()


def _add_cases():
    for case in CORPUS:
        def test(self, case=case):
            self.render(case)
        test.__doc__ = f"{case['name']}: no script runs, no dialog opens, nothing is requested"
        name = "".join(c if c.isalnum() else "_" for c in case["name"])
        setattr(FirefoxHostile, f"test_{name}", test)


_add_cases()

if __name__ == "__main__":
    unittest.main(verbosity=2)
