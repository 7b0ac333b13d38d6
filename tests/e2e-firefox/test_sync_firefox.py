"""Sync between two browsers, in Firefox: two firefox-esr profiles, each with dist/firefox as a
temporary add-on, and a relay in the test copying `browser.storage.sync` from one to the other
(clear, then set), which is what Firefox Sync does eventually: two profiles never share sync
storage here (no Firefox Account, and Firefox Sync is off).

Profile A is the suite's shared Firefox (harness.py); B is a second Firefox started by this
class on the same fake AWS and proxy. The Chromium suite (tests/e2e/sync.test.mjs) has the same
scenarios and more.

Run with tests/e2e-firefox/run.sh e2e (or `... e2e tests/e2e-firefox/test_sync_firefox.py`).
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from selenium.webdriver.common.by import By  # noqa: E402

import harness  # noqa: E402


def roles_config(count, prefix):
    """`count` switchable profiles named `prefix`-1 … `prefix`-count."""
    return "".join(
        f"[profile {prefix}-{i}]\nrole_arn = arn:aws:iam::{100000000000 + i * 7919:012d}:role/{prefix}Role\n"
        "region = eu-west-1\n"
        for i in range(1, count + 1))


CONFIG_A = roles_config(22, "alpha")
CONFIG_B = roles_config(3, "bravo")


class FirefoxProfile:
    """One Firefox with the add-on (a harness.Firefox), as a user of one browser sees it."""

    def __init__(self, name, ff, wait):
        self.name = name
        self.ff = ff
        self._wait = wait
        # An extension page that runs none of the add-on's own code, for the relay.
        self.storage_tab = ff.open_extension_page("manifest.json", self.wait_for)

    @property
    def driver(self):
        return self.ff.driver

    def wait_for(self, what, fn):
        return self._wait(f"{self.name}: {what}", fn)

    def storage(self, area, method, arg=None):
        """`storage[area][method](arg)` in the storage tab; `replace` clears, then sets `arg`."""
        self.driver.switch_to.window(self.storage_tab)
        return self.ff.run_in_extension("""
            const [area, method, arg] = args;
            const api = browser.storage[area];
            if (method === 'replace') { await api.clear(); return api.set(arg); }
            return api[method](arg);
        """, area, method, arg)

    def open(self, page):
        return self.ff.open_extension_page(page, self.wait_for)

    def open_options(self):
        handle = self.open("options.html")
        self.wait_for("the options page to start", lambda: self.driver.execute_script(
            "return !!document.getElementById('gutter')?.dataset.lines"
            " && !document.getElementById('save').disabled"))
        return handle

    def text(self, handle, element_id):
        self.driver.switch_to.window(handle)
        element = self.driver.find_element(By.ID, element_id)
        return element.get_property("value") if element_id == "config" else element.text

    def save(self, handle, text):
        self.driver.switch_to.window(handle)
        self.driver.execute_script(
            "const area = document.getElementById('config'); area.value = arguments[0];"
            " area.dispatchEvent(new Event('input'));", text)
        self.driver.find_element(By.ID, "save").click()
        return self.wait_for("Save to finish", lambda: (lambda t: ("Saved" in t or "Not saved" in t) and t)(
            self.text(handle, "save-result")))

    def turn_sync_on(self, handle):
        self.driver.switch_to.window(handle)
        self.driver.find_element(By.ID, "storage-sync").click()
        return self.wait_for("the page to say what turning sync on did",
                             lambda: self.text(handle, "settings-result").strip())

    def listed(self, handle):
        """[number of roles, first profile, status line] the popup in `handle` shows."""
        self.driver.switch_to.window(handle)
        return self.driver.execute_script("""
            const options = [...document.querySelectorAll('#roles [role=option]')];
            return [options.length ? Number(options[0].getAttribute('aria-setsize')) : 0,
                    options[0]?.querySelector('.profile')?.textContent ?? null,
                    document.getElementById('popup-status')?.textContent ?? ''];""")

    def wait_for_listing(self, handle, count, first):
        return self.wait_for(f"the popup to list {count} roles, the first {first}",
                             lambda: (lambda seen: seen[:2] == [count, first] and seen)(self.listed(handle)))


class FirefoxSync(harness.FirefoxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        aws, proxy = harness.shared_network()
        cls.ff_b = harness.Firefox(aws, proxy)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.ff_b.quit()
        finally:
            super().tearDownClass()

    def setUp(self):
        super().setUp()  # A: storage cleared, one blank tab
        self.ff_b.reset(self.wait_for)
        self.a = FirefoxProfile("A", self.ff, self.wait_for)
        self.b = FirefoxProfile("B", self.ff_b, self.wait_for)

    def relay(self, source, target):
        """What Firefox Sync does eventually: `target`'s sync storage becomes `source`'s."""
        target.storage("sync", "replace", source.storage("sync", "get", None))

    def both_synced_with_a(self):
        a, b = self.a, self.b
        options_a = a.open_options()
        self.assertRegex(a.save(options_a, CONFIG_A), r"(?i)Saved\. 22 roles")
        self.assertRegex(a.turn_sync_on(options_a), r"(?i)synced across your browsers")
        self.relay(a, b)
        options_b = b.open_options()
        self.assertEqual(b.text(options_b, "config"), "", "B starts with nothing")
        said = b.turn_sync_on(options_b)
        self.assertRegex(said, r"(?i)uses the configuration synced from your other browsers \(22 roles\)")
        b.wait_for("the editor to show A's config", lambda: b.text(options_b, "config") == CONFIG_A)
        return options_a, options_b

    def test_fresh_browser_turning_sync_on_adopts_and_both_list_the_roles(self):
        a, b = self.a, self.b
        self.both_synced_with_a()
        self.relay(b, a)
        a.wait_for_listing(a.open("popup.html"), 22, "alpha-1")
        b.wait_for_listing(b.open("popup.html"), 22, "alpha-1")
        self.assertEqual(a.storage("local", "get", "config")["config"], CONFIG_A)
        self.assertEqual(b.storage("local", "get", "config")["config"], CONFIG_A)

    def test_an_edit_on_b_reaches_the_open_popup_and_options_page_of_a(self):
        a, b = self.a, self.b
        _, options_b = self.both_synced_with_a()
        popup_a = a.open("popup.html")
        a.wait_for_listing(popup_a, 22, "alpha-1")
        a.driver.execute_script("window.notReloaded = true;")
        options_a = a.open_options()
        a.driver.execute_script("window.notReloaded = true;")

        self.assertRegex(b.save(options_b, CONFIG_B), r"(?i)Saved\. 3 roles.*Synced")
        self.relay(b, a)

        _, _, status = a.wait_for_listing(popup_a, 3, "bravo-1")
        self.assertIn("another browser saved a newer configuration", status)
        self.assertTrue(a.driver.execute_script("return window.notReloaded === true;"), "the popup was not reloaded")
        a.wait_for("the open options page to show B's config", lambda: a.text(options_a, "config") == CONFIG_B)
        a.wait_for("A's config restorable, named as replaced by another browser", lambda: (
            "replaced by a newer synced config from another browser" in a.text(options_a, "versions")))
        self.assertTrue(a.driver.execute_script("return window.notReloaded === true;"), "the options page was not reloaded")

    def test_both_saved_before_a_relay_the_newest_wins_and_the_other_is_kept(self):
        a, b = self.a, self.b
        options_a = a.open_options()
        self.assertRegex(a.turn_sync_on(options_a), r"Sync is on")
        self.assertRegex(a.save(options_a, CONFIG_A), r"(?i)Saved.*Synced")
        options_b = b.open_options()
        self.assertRegex(b.turn_sync_on(options_b), r"Sync is on")
        self.assertRegex(b.save(options_b, CONFIG_B), r"(?i)Saved.*Synced")

        self.relay(a, b)

        def b_pushed_back():
            local = b.storage("local", "get", ["config", "config.sync_generation"])
            manifest = json.loads(b.storage("sync", "get", "cfg.manifest").get("cfg.manifest") or "{}")
            return local.get("config") == CONFIG_B and manifest.get("generation") == local.get("config.sync_generation")
        b.wait_for("B to put its newer config back into sync", b_pushed_back)
        self.relay(b, a)
        a.wait_for("A to take in B's newer config", lambda: a.text(options_a, "config") == CONFIG_B)
        a.wait_for("A's own config kept as a version", lambda: (
            "replaced by a newer synced config from another browser" in a.text(options_a, "versions")))
        a.wait_for_listing(a.open("popup.html"), 3, "bravo-1")


if __name__ == "__main__":
    unittest.main(verbosity=2)
