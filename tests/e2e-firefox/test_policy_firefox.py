"""The organisation's config in Firefox: enterprise policies (`3rdparty.Extensions.<add-on id>`
in the installation's distribution/policies.json) reach the add-on's `storage.managed`. The
unlocked policy is docs/managed-policy-firefox.json itself, as README tells administrators to
install it; the locked one is the same with `locked: true`. Each class starts a Firefox of its
own from a copy of the installation (harness.firefox_with_policies), so no other Firefox on the
machine sees these policies."""

import copy
import json
import os
import unittest

from harness import REPO, FirefoxCase, fixture, read_manifest

with open(os.path.join(REPO, "docs", "managed-policy-firefox.json"), encoding="utf-8") as f:
    DOCUMENTED = json.load(f)["policies"]
ADDON_ID = read_manifest()["browser_specific_settings"]["gecko"]["id"]
MANAGED = DOCUMENTED["3rdparty"]["Extensions"][ADDON_ID]["config"]
LOCKED = copy.deepcopy(DOCUMENTED)
LOCKED["3rdparty"]["Extensions"][ADDON_ID]["locked"] = True
USER_CONFIG = fixture("storage.json")["configA"]  # the user's own: prod-admin
MANAGED_PROFILES = ["org-readonly", "org-admin"]
HEADING = "Managed by your organisation"


class PolicyCase(FirefoxCase):
    config = USER_CONFIG

    def managed_section(self):
        self.open_options()
        self.wait_for("the managed section", lambda: self.el("#managed").is_displayed())
        managed = self.el("#managed-config")
        self.assertEqual(managed.get_property("value"), MANAGED)
        self.assertTrue(managed.get_property("readOnly"))
        return self.el("#managed-summary").text

    def popup_profiles(self):
        self.ff.popup_over("https://example.test/", self.wait_for)
        self.wait_for("the organisation's roles in the popup",
                      lambda: set(MANAGED_PROFILES) <= set(self.profiles()))
        headers = [e.get_property("textContent") for e in self.els("#roles .group-header")]
        self.assertIn(HEADING, headers)
        return self.profiles()


class FirefoxPolicyUnlocked(PolicyCase):
    policies = DOCUMENTED

    def test_the_organisations_config_is_listed_read_only_beside_the_users_own(self):
        self.open_options()
        self.assertEqual(self.ff.run_in_extension("return browser.storage.managed.get(null);"),
                         {"config": MANAGED, "locked": False})
        summary = self.managed_section()
        self.assertRegex(summary, r"(?i)^2 roles from your organisation")
        self.assertFalse(self.el("#config").get_property("readOnly"), "the user's own config stays editable")
        self.assertEqual(sorted(self.popup_profiles()), sorted(MANAGED_PROFILES + ["prod-admin"]))
        self.ff.screenshot("firefox-popup-managed-en.png")


class FirefoxPolicyLocked(PolicyCase):
    policies = LOCKED

    def test_a_locked_config_lists_only_the_organisations_roles(self):
        summary = self.managed_section()
        self.assertIn("Your organisation has locked the configuration", summary)
        self.assertTrue(self.el("#config").get_property("readOnly"))
        self.assertFalse(self.el("#save").is_enabled(), "Save is disabled")
        self.assertEqual(sorted(self.popup_profiles()), sorted(MANAGED_PROFILES),
                         "the user's own prod-admin is not listed")


if __name__ == "__main__":
    unittest.main(verbosity=2)
