"""The popup's keyboard shortcut in Firefox: `commands.getAll()` reports `_execute_action`
bound to the manifest's suggested key (read from dist/firefox/manifest.json, so a change of
the default key needs no change here)."""

import unittest

from harness import FirefoxCase, read_manifest


class FirefoxShortcut(FirefoxCase):

    def test_the_popup_shortcut_is_bound_to_the_manifests_key(self):
        suggested = read_manifest()["commands"]["_execute_action"]["suggested_key"]["default"]
        self.open_options()
        commands = self.ff.run_in_extension("return browser.commands.getAll();")
        action = next((c for c in commands if c["name"] == "_execute_action"), None)
        self.assertIsNotNone(action, commands)
        self.assertTrue(action.get("shortcut"), f"no shortcut bound: {commands}")
        self.assertEqual(action["shortcut"], suggested)
        self.assertTrue(action.get("description"), "the command has a (localised) description")


if __name__ == "__main__":
    unittest.main(verbosity=2)
