"""Switching in Firefox, the journeys of tests/e2e/switching.test.mjs with the same config and
the same expected requests (tests/e2e/fixtures/switching.ini, switching.json): from a console
tab (the switch form POSTed from that tab with the page's csrf, landing on the redirect) and
from a plain tab (the prefilled link, then the extension pressing "Switch Role") in `aws`,
`aws-cn` and `aws-us-gov`; multi-session; an IAM Identity Center profile; an ExternalId role
refused with its reason."""

import json
import time
import unittest
import urllib.parse

from harness import FirefoxCase, Keys, fixture

CONFIG = fixture("switching.ini")
CASES = fixture("switching.json")


def switch_post(host):
    return lambda r: r["method"] == "POST" and r["host"] == host and r["url"] == "/switchrole"


class FirefoxSwitching(FirefoxCase):
    config = CONFIG

    def popup_over(self, url):
        tab, popup = self.ff.popup_over(url, self.wait_for)
        self.wait_for("the Roles list", lambda: self.els("#roles [role=option]"))
        self.since = self.aws.count()
        return tab, popup

    def from_console_tab(self, c):
        tab, popup = self.popup_over(c["consoleUrl"])
        self.choose(c["profile"])
        post = self.expect_request(f"POST https://{c['signin']}/switchrole", switch_post(c["signin"]))
        fields = urllib.parse.parse_qsl(post["body"])
        csrf = dict(fields).get("csrf")
        self.assertTrue(csrf, f"the console page's csrf token is sent: {post['body']}")
        self.assertEqual(fields, [
            ("action", "switchFromBasis"), ("src", "nav"), ("mfaNeeded", "0"), ("csrf", csrf),
            ("account", c["account"]), ("roleName", c["roleName"]), ("displayName", c["displayName"]),
            ("color", c["linkColor"]), ("redirect_uri", c["redirect"]),
        ])
        # 302: the fake took the csrf as one it issued (it answers 403 to any other).
        self.assertEqual(post["status"], 302)
        # In place: no prefilled switch-role page was opened for it.
        self.assertFalse([r for r in self.aws.since(self.since) if r["method"] == "GET" and "/switchrole?" in r["url"]])
        landing = c["redirect"].split("#")[0]
        self.expect_request(f"GET {landing} (the redirect)", lambda r: r["method"] == "GET" and r["fullUrl"] == landing)
        self.wait_for("the popup to close", lambda: popup not in self.driver.window_handles)
        self.driver.switch_to.window(tab)
        self.wait_for(f"the console tab to show {c['redirect']}", lambda: self.driver.current_url == c["redirect"])

    def from_plain_tab(self, c):
        self.popup_over("https://example.test/")
        self.choose(c["profile"])
        self.expect_request(f"GET {c['link']}", lambda r: r["method"] == "GET" and r["fullUrl"] == c["link"])
        post = self.expect_request(f"POST https://{c['signin']}/switchrole (the extension's submit)",
                                   switch_post(c["signin"]))
        fields = urllib.parse.parse_qsl(post["body"])
        csrf = dict(fields).get("csrf")
        expected = [
            ("action", "switchFromBasis"), ("src", "nav"), ("mfaNeeded", "0"), ("csrf", csrf),
            ("accountId", c["account"]), ("roleName", c["roleName"]), ("displayName", c["displayName"]),
            ("color", c["linkColor"]),
        ]
        if c["linkRedirect"]:
            expected.append(("redirect_uri", c["linkRedirect"]))
        self.assertEqual(fields, expected)
        self.assertEqual(post["status"], 302)

    def test_multi_session_posts_json_and_opens_the_destination(self):
        m = CASES["multiSession"]
        self.aws.configure(console={"prismModeEnabled": True, "sessionDifferentiator": m["differentiator"]},
                           multiSessionDestination=m["destination"])
        self.popup_over(m["consoleUrl"])
        self.choose(m["profile"])
        post = self.expect_request(f"POST {m['post']}", lambda r: r["method"] == "POST" and r["fullUrl"] == m["post"])
        self.assertEqual(post["headers"].get("x-csrf-protection"), "1")
        self.assertRegex(post["headers"].get("content-type", ""), r"^application/json")
        self.assertEqual(post["headers"].get("origin"), "https://us-east-1.console.aws.amazon.com")
        self.assertEqual(json.loads(post["body"]), m["body"])
        self.assertEqual(post["status"], 200)
        self.expect_request(f"GET {m['destination']} in a new tab",
                            lambda r: r["method"] == "GET" and r["fullUrl"] == m["destination"])
        self.wait_for("a tab showing the destination", lambda: m["destination"] in self.ff.tab_urls())
        self.assertFalse([r for r in self.aws.since(self.since) if switch_post("signin.aws.amazon.com")(r)],
                         "no form POST in multi-session mode")

    def test_identity_center_profile_opens_the_portal_shortcut(self):
        sso = CASES["identityCenter"]
        self.popup_over("https://example.test/")
        self.choose(sso["profile"])
        self.expect_request(f"GET {sso['portal']}", lambda r: r["method"] == "GET" and r["fullUrl"] == sso["portal"])
        self.wait_for(f"a tab on {sso['shortcut']}", lambda: sso["shortcut"] in self.ff.tab_urls())
        self.assertFalse([r for r in self.aws.since(self.since) if r["method"] == "POST"])

    def test_external_id_role_is_refused_with_its_reason(self):
        profile = CASES["externalId"]["profile"]
        _, popup = self.popup_over("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1")
        self.press(profile)
        self.wait_for(f"one option for {profile}, shown disabled", lambda: self.profiles() == [profile]
                      and self.el("#roles [role=option]").get_attribute("aria-disabled") == "true")
        # A click, as a user would on the greyed-out row, and Enter.
        self.el("#roles [role=option]").click()
        self.wait_for("the popup status to give the ExternalId reason",
                      lambda: CASES["externalId"]["reason"] in self.popup_status())
        self.assertIn(profile, self.popup_status())
        self.press(Keys.ENTER)
        time.sleep(1.5)  # what must not happen: any request; give it the time one would take
        self.assertEqual([f"{r['method']} {r['fullUrl']}" for r in self.aws.since(self.since)], [])
        self.assertIn(popup, self.driver.window_handles, "the popup stays open to show the reason")


    def test_console_tab_says_who_is_signed_in_and_lists_that_base_accounts_targets_first(self):
        self.popup_over("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1")
        self.wait_for("the signed-in line to show the console's account 111111111111",
                      lambda: self.el("#signed-in").is_displayed() and "111111111111" in self.el("#signed-in").text)
        self.wait_for("the signed-in base account's target listed first",
                      lambda: self.profiles()[:1] == ["zz-base-target"])

    def test_plain_tab_no_signed_in_line_file_order_kept(self):
        self.popup_over("https://example.test/")
        self.wait_for("the first profile of the config first", lambda: self.profiles()[:1] == ["prod-admin"])
        self.assertFalse(self.el("#signed-in").is_displayed())

    def test_console_page_without_csrf_falls_back_to_the_link(self):
        self.aws.configure(consoleCsrf=False)
        self.popup_over("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1")
        self.choose("stage-dev")
        link = "https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=Dev&displayName=stage-dev&color=83d4e8"
        self.expect_request(f"GET {link}", lambda r: r["method"] == "GET" and r["fullUrl"] == link)
        post = self.expect_request("POST https://signin.aws.amazon.com/switchrole", switch_post("signin.aws.amazon.com"))
        self.assertEqual(dict(urllib.parse.parse_qsl(post["body"])).get("accountId"), "222222222222")
        self.assertEqual(post["status"], 302)

    def test_console_tab_still_loading_falls_back_to_the_link(self):
        self.aws.configure(consoleStall=True)
        self.ff.popup_over("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1", self.wait_for,
                           wait_loaded=False)
        self.wait_for("the Roles list", lambda: self.els("#roles [role=option]"))
        self.choose("stage-dev")
        link = "https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=Dev&displayName=stage-dev&color=83d4e8"
        self.expect_request(f"GET {link} (the fallback, after the page did not answer)",
                            lambda r: r["method"] == "GET" and r["fullUrl"] == link)
        post = self.expect_request("POST https://signin.aws.amazon.com/switchrole", switch_post("signin.aws.amazon.com"))
        self.assertEqual(dict(urllib.parse.parse_qsl(post["body"])).get("accountId"), "222222222222")

    def test_long_profile_name_display_name_cut_to_64(self):
        self.popup_over("https://console.aws.amazon.com/console/home")
        self.choose(CASES["longProfile"])
        post = self.expect_request("POST https://signin.aws.amazon.com/switchrole", switch_post("signin.aws.amazon.com"))
        shown = dict(urllib.parse.parse_qsl(post["body"])).get("displayName")
        self.assertEqual(shown, CASES["longShown"])
        self.assertEqual(len(shown), 64)
        self.assertEqual(post["status"], 302)

    def test_a_switch_page_the_extension_did_not_open_is_never_submitted(self):
        link = CASES["partitions"][0]["link"]
        self.driver.get(link)
        self.wait_for("the switch-role form", lambda: self.els("form button[type=submit]"))
        time.sleep(4)  # what must not happen: the content script pressing the button
        self.assertEqual([r["fullUrl"] for r in self.aws.since(self.since) if r["method"] == "POST"], [])
        self.assertEqual(self.driver.current_url, link, "the page stays on the form")


def _add_partition_tests():
    for c in CASES["partitions"]:
        name = c["partition"].replace("-", "_")

        def console(self, c=c):
            self.from_console_tab(c)
        console.__doc__ = (f"{c['partition']}: from a console tab, POSTs the exact switch form to "
                           f"{c['signin']} and lands on the redirect")

        def plain(self, c=c):
            self.from_plain_tab(c)
        plain.__doc__ = (f"{c['partition']}: from a plain tab, opens the prefilled link, then presses "
                         "\"Switch Role\" on AWS's form")
        setattr(FirefoxSwitching, f"test_{name}_from_console_tab", console)
        setattr(FirefoxSwitching, f"test_{name}_from_plain_tab", plain)


_add_partition_tests()

if __name__ == "__main__":
    unittest.main(verbosity=2)
