"""Storage in Firefox, the journeys of tests/e2e/storage.test.mjs with the same configs
(tests/e2e/fixtures/storage.json): Save (by the file input) and read back, undo, restore a
previous version, export; a stored config damaged by the browser's storage caught and repaired
from its copy, and both damaged. The organisation's config by policy is in
test_policy_firefox.py."""

import os
import re
import unittest

from harness import FirefoxCase, fixture

STORAGE = fixture("storage.json")
CONFIG_A = STORAGE["configA"]
CONFIG_B = STORAGE["configB"]


class FirefoxStorage(FirefoxCase):

    def textarea(self):
        return self.el("#config").get_property("value")

    def status(self):
        return " | ".join(e.get_property("textContent") for e in self.els("[role=status]"))

    def save_text(self, text):
        """Puts `text` in the editor, presses Save, and returns what the page says."""
        self.js("const a = document.getElementById('config'); a.value = arguments[0];"
                "a.dispatchEvent(new Event('input'));", text)
        self.js("document.getElementById('save-result').textContent = '';")
        self.el("#save").click()
        self.wait_for("Save to finish", lambda: re.search(r"Saved|Not saved", self.status()))
        return self.status()

    def stored(self, *keys):
        return self.ff.run_in_extension("return browser.storage.local.get(args[0]);", list(keys))

    def reload_options(self):
        self.driver.refresh()
        self.wait_for("the options page to start", lambda: self.js(
            "return document.getElementById('gutter')?.dataset.lines"))

    def test_import_by_file_save_and_read_back(self):
        self.open_options()
        path = os.path.join(self.tmp, "config.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(CONFIG_B)
        self.el("#import").send_keys(path)
        self.wait_for("the textarea to show the file", lambda: self.textarea() == CONFIG_B)
        self.assertRegex(self.el("#preview").text, r"(?i)^2 roles")
        self.el("#save").click()
        self.wait_for('"Saved"', lambda: "Saved" in self.status())
        self.reload_options()
        self.wait_for("the saved config after a reload", lambda: self.textarea() == CONFIG_B)
        self.assertEqual(self.stored("config")["config"], CONFIG_B)

    def test_undo_and_restore_a_previous_version(self):
        self.open_options()
        self.assertRegex(self.save_text(CONFIG_A), r"Saved")
        self.assertRegex(self.save_text(CONFIG_B), r"Saved")
        self.wait_for("one version listed", lambda: len(self.els("#versions button")) == 1)
        self.assertRegex(self.el("#versions").text, r"(?i)· 1 role · replaced by a save")
        self.el("#undo").click()
        self.wait_for("the textarea to show the previous config", lambda: self.textarea() == CONFIG_A)
        self.wait_for("the undone save listed with its roles",
                      lambda: re.search(r"(?i)· 2 roles · undone", self.el("#versions").text))
        self.assertEqual(self.stored("config")["config"], CONFIG_A)
        self.reload_options()
        self.wait_for("the undone config after a reload", lambda: self.textarea() == CONFIG_A)

        # Restore brings the undone save back, and keeps what it replaced as a version.
        self.js("""return [...document.querySelectorAll('#versions li')]
            .find((li) => /2 roles/i.test(li.textContent)).querySelector('button');""").click()
        self.wait_for("the restored config", lambda: self.textarea() == CONFIG_B)
        self.wait_for("Restored. in storage", lambda: self.stored("config")["config"] == CONFIG_B)
        self.reload_options()
        self.wait_for("the restored config after a reload", lambda: self.textarea() == CONFIG_B)

    def test_export_downloads_the_saved_config(self):
        self.open_options()
        self.assertRegex(self.save_text(CONFIG_B), r"Saved")
        before = set(os.listdir(self.ff.downloads))
        self.el("#export").click()
        done = self.wait_for("the exported file in the downloads folder", lambda: [
            n for n in set(os.listdir(self.ff.downloads)) - before if not n.endswith(".part")
            and os.path.getsize(os.path.join(self.ff.downloads, n)) == len(CONFIG_B.encode())])
        with open(os.path.join(self.ff.downloads, done[0]), encoding="utf-8") as f:
            self.assertEqual(f.read(), CONFIG_B)
        self.assertTrue(done[0].startswith("aws-config"), done)

    def damaged_on_read(self, damaged):
        self.open_options()
        self.assertRegex(self.save_text(CONFIG_B), r"Saved")
        self.ff.run_in_extension("await browser.storage.local.set({ config: args[0] });", damaged)
        options = self.driver.current_window_handle
        self.open_popup_tab()
        self.wait_for("the popup to list both roles of the saved config", lambda: len(
            [p for p in self.profiles() if p in ("prod-admin", "dev")]) == 2)
        self.assertRegex(self.el("#popup-status").get_property("textContent"),
                         r"The saved configuration was damaged in the browser's storage \((\d+ bytes where \d+ were "
                         r"saved|not text)\); its copy was intact and is in use, stored again\.")
        self.wait_for("the copy written back", lambda: self.stored("config")["config"] == CONFIG_B)

        self.ff.run_in_extension("await browser.storage.local.set({ config: args[0] });", damaged)
        self.driver.switch_to.window(options)
        self.reload_options()
        self.wait_for("the saved config in the textarea", lambda: self.textarea() == CONFIG_B)
        self.assertRegex(self.status(), r"damaged in the browser's storage.*its copy was intact")

    def test_damaged_on_read_truncated(self):
        self.damaged_on_read(CONFIG_B[:40])

    def test_damaged_on_read_not_text(self):
        self.damaged_on_read({"bogus": 1})

    def test_config_and_copy_both_damaged(self):
        self.open_options()
        self.assertRegex(self.save_text(CONFIG_A), r"Saved")
        self.assertRegex(self.save_text(CONFIG_B), r"Saved")
        cut = CONFIG_B[:40]
        self.ff.run_in_extension("await browser.storage.local.set({ config: args[0], 'config.backup': args[0] });", cut)
        self.reload_options()
        self.wait_for("the damage to be reported", lambda: re.search(
            r"damaged in the browser's storage \(40 bytes where \d+ were saved\) and so was its copy", self.status()))
        self.assertEqual(self.textarea(), cut, "what could be read is shown, not hidden")
        self.wait_for("the earlier save to be restorable", lambda: len(self.els("#versions button")) == 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
