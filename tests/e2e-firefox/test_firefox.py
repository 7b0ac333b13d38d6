"""End to end in a real Firefox: the built dist/firefox, installed as a temporary add-on in
Debian's firefox-esr (driven by geckodriver through Selenium), against the fake AWS
(tests/fake-aws/server.mjs) on loopback.

Firefox has no --host-resolver-rules, so every connection goes through a tiny CONNECT proxy
started here: it tunnels the AWS host names the fake answers for to the fake's port and
refuses everything else, and the test asserts that nothing else was even attempted past
Firefox's own (disabled) background services. Nothing reaches the internet.

Run with tests/e2e-firefox/run.sh (it installs what is missing).
"""

import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.firefox.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
EXTENSION_DIR = os.path.abspath(os.environ.get("E2E_EXTENSION_DIR", os.path.join(REPO, "dist", "firefox")))
FIREFOX = os.environ.get("FIREFOX_PATH", "/usr/bin/firefox-esr")
GECKODRIVER = os.environ.get("GECKODRIVER_PATH") or shutil.which("geckodriver") \
    or os.path.expanduser("~/.cargo/bin/geckodriver")
ARTIFACTS = os.path.join(REPO, "target", "e2e-artifacts")
WAIT = 20.0

# A fixed extension UUID (extensions.webextensions.uuids) so moz-extension:// URLs are known.
UUID = "6f0d3c2e-9a51-4c1b-8e2f-3a7b5c9d1e04"

CONFIG = """[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
region = eu-west-1
[profile cn-ops]
role_arn = arn:aws-cn:iam::210987654321:role/ops/Operator
[profile gov-audit]
aws_account_id = 345678901234
role_name = Auditor
role_arn = arn:aws-us-gov:iam::345678901234:role/Auditor
"""

EXPECTED = {
    "cn-ops": "https://signin.amazonaws.cn/switchrole?account=210987654321&roleName=ops%2FOperator"
              "&displayName=cn-ops",
    "prod-admin": "https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=Admin"
                  "&displayName=prod-admin&redirect_uri=https%3A%2F%2Feu-west-1.console.aws.amazon.com"
                  "%2Fconsole%2Fhome%3Fregion%3Deu-west-1",
}

# The host names the fake answers for (tests/fake-aws/server.mjs FAKE_AWS_HOSTS).
AWS_SUFFIXES = (
    "signin.aws.amazon.com", "signin.amazonaws.cn", "signin.amazonaws-us-gov.com",
    "console.aws.amazon.com", "console.amazonaws.cn", "console.amazonaws-us-gov.com",
)
OTHER_FAKE_HOSTS = ("my-sso.awsapps.com", "example.test")
SIGNIN_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?signin\.(?:aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$")


def is_fake_aws_host(host):
    host = host.lower()
    return host in OTHER_FAKE_HOSTS or any(host == s or host.endswith("." + s) for s in AWS_SUFFIXES)


class FakeAws:
    """`node tests/fake-aws/server.mjs`: prints its port, logs `METHOD URL [body=…]` to stderr."""

    def __init__(self):
        self.proc = subprocess.Popen(["node", os.path.join(REPO, "tests", "fake-aws", "server.mjs")],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.proc.kill()
            raise RuntimeError(f"fake AWS did not print its port: {line!r} {self.proc.stderr.read()}")
        self.port = int(line)
        self.requests = []  # (method, full URL)
        self.bodies = []  # (method, full URL, body or None), in the same order
        self._lock = threading.Lock()
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.proc.stderr:
            m = re.match(r"^([A-Z]+) (https://\S+)(?: body=(.*))?$", line.rstrip("\n"))
            if m:
                with self._lock:
                    self.requests.append((m.group(1), m.group(2)))
                    self.bodies.append((m.group(1), m.group(2), m.group(3)))

    def snapshot(self):
        with self._lock:
            return list(self.requests)

    def bodies_snapshot(self):
        with self._lock:
            return list(self.bodies)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class ConnectProxy:
    """An HTTP proxy that only tunnels CONNECT to the fake AWS hosts on port 443; it answers
    403 to every other host and to plain-HTTP requests, and records every attempt."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.allowed = []
        self.refused = []
        self._lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        upstream = None
        try:
            client.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split()
            method, target = (parts + ["", ""])[:2]
            host, _, port = target.rpartition(":")
            if method != "CONNECT" or port != "443" or not is_fake_aws_host(host):
                with self._lock:
                    self.refused.append(request_line)
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            with self._lock:
                self.allowed.append(host)
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                upstream.sendall(rest)
            client.settimeout(None)
            upstream.settimeout(None)
            pair = {client: upstream, upstream: client}
            while True:
                readable, _, _ = select.select(list(pair), [], [], 60)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    pair[s].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            if upstream:
                upstream.close()

    def close(self):
        self._closed = True
        self.sock.close()


def firefox_prefs(proxy_port):
    prefs = {
        # Every connection through the proxy, loopback included; no DNS of Firefox's own.
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.share_proxy_settings": True,
        "network.proxy.no_proxies_on": "",
        "network.proxy.allow_hijacking_localhost": True,
        "network.proxy.socks_remote_dns": True,
        "network.trr.mode": 5,
        "network.dns.disablePrefetch": True,
        "network.prefetch-next": False,
        "network.http.speculative-parallel-limit": 0,
        # Firefox's background traffic, off.
        "app.update.enabled": False,
        "app.update.auto": False,
        "app.normandy.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "browser.safebrowsing.downloads.enabled": False,
        "browser.safebrowsing.blockedURIs.enabled": False,
        "browser.safebrowsing.provider.mozilla.updateURL": "",
        "browser.search.update": False,
        "browser.newtabpage.enabled": False,
        "browser.startup.page": 0,
        "browser.newtabpage.activity-stream.feeds.system.topstories": False,
        "browser.newtabpage.activity-stream.feeds.section.topstories": False,
        "browser.newtabpage.activity-stream.feeds.topsites": False,
        "browser.newtabpage.activity-stream.feeds.snippets": False,
        "browser.newtabpage.activity-stream.telemetry": False,
        "browser.ping-centre.telemetry": False,
        "datareporting.healthreport.uploadEnabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.enabled": False,
        "toolkit.telemetry.unified": False,
        "toolkit.telemetry.server": "",
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "extensions.systemAddon.update.enabled": False,
        "extensions.blocklist.enabled": False,
        "services.settings.server": "data:,#remote-settings-dummy/v1",
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "captivedetect.canonicalURL": "",
        "browser.region.network.url": "",
        "browser.region.update.enabled": False,
        "geo.provider.network.url": "",
        "identity.fxaccounts.enabled": False,
        "media.gmp-manager.url": "",
        "media.gmp-gmpopenh264.enabled": False,
        "browser.contentblocking.report.lockwise.enabled": False,
        "security.OCSP.enabled": 0,
        "security.remote_settings.crlite_filters.enabled": False,
        "security.remote_settings.intermediates.enabled": False,
        "browser.aboutHomeSnippets.updateUrl": "",
        "browser.translations.enable": False,
        "browser.ml.enable": False,
        # The add-on under test: a fixed UUID, and no signature for a temporary install.
        "extensions.webextensions.uuids": json.dumps({"aws-role-switcher@aws-role-switcher.dev": UUID}),
        "xpinstall.signatures.required": False,
        "intl.locale.requested": "en-US",
        "intl.accept_languages": "en-US, en",
    }
    return prefs


class FirefoxEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        manifest_path = os.path.join(EXTENSION_DIR, "manifest.json")
        if not os.path.exists(manifest_path):
            raise RuntimeError(f"{manifest_path} is missing: run ./build.sh first")
        with open(manifest_path) as f:
            cls.addon_id = json.load(f)["browser_specific_settings"]["gecko"]["id"]
        cls.tmp = tempfile.mkdtemp(prefix="e2e-firefox-")
        cls.aws = FakeAws()
        cls.proxy = ConnectProxy(cls.aws.port)
        options = webdriver.FirefoxOptions()
        options.binary_location = FIREFOX
        options.add_argument("-headless")
        options.accept_insecure_certs = True  # the fake's throwaway self-signed certificate
        for name, value in firefox_prefs(cls.proxy.port).items():
            options.set_preference(name, value)
        service = Service(executable_path=GECKODRIVER, service_args=["--allow-system-access"],
                          log_output=os.path.join(cls.tmp, "geckodriver.log"))
        cls.driver = webdriver.Firefox(options=options, service=service)
        cls.driver.set_script_timeout(30)
        installed = cls.driver.install_addon(EXTENSION_DIR, temporary=True)
        assert installed == cls.addon_id, f"installed {installed!r}, expected {cls.addon_id!r}"
        cls.base = f"moz-extension://{UUID}/"

    @classmethod
    def tearDownClass(cls):
        try:
            cls.driver.quit()
        finally:
            cls.proxy.close()
            cls.aws.close()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    # ------------------------------------------------------------ helpers

    def chrome(self, script, *args):
        """Runs `script` in Firefox's chrome (browser UI) context."""
        with self.driver.context(self.driver.CONTEXT_CHROME):
            return self.driver.execute_script(script, *args)

    def open_extension_page(self, page):
        """Opens moz-extension://UUID/<page> in a new tab from the chrome context (web content
        may not navigate there) and switches WebDriver to it."""
        before = set(self.driver.window_handles)
        self.chrome(
            """
            const tab = gBrowser.addTab(arguments[0], {
              triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
            });
            gBrowser.selectedTab = tab;
            """,
            self.base + page,
        )
        handle = self.wait_for(f"a new tab for {page}",
                               lambda: next(iter(set(self.driver.window_handles) - before), None))
        self.driver.switch_to.window(handle)
        self.wait_for(f"{page} to load", lambda: self.driver.current_url.startswith(self.base + page)
                      and self.driver.execute_script("return document.readyState") == "complete")
        return handle

    def tab_urls(self):
        return self.chrome("return gBrowser.tabs.map(t => t.linkedBrowser.currentURI.spec);")

    def wait_for(self, what, fn, timeout=WAIT):
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = fn()
                if value:
                    return value
            except WebDriverException as e:
                last_error = e
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f} s waiting for {what}"
                          + (f"; last error: {last_error.msg}" if last_error else "")
                          + f"\nfake AWS saw: {self.aws.snapshot()}\nproxy refused: {self.proxy.refused}")
            time.sleep(0.1)

    def screenshot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        try:
            self.driver.save_screenshot(os.path.join(ARTIFACTS, name))
        except WebDriverException:
            pass

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
        self.screenshot("popup-firefox.png")
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
        # From the options page, in one script (WebDriver re-selects the tab it runs a script
        # in): the console in a new active tab of this window, then, once it has loaded, the
        # popup in a window of its own over it. Firefox then reports that popup window as the
        # last focused, whatever `windowTypes` asks.
        before = set(self.driver.window_handles)
        self.assertIs(self.driver.execute_async_script("""
            const [consoleUrl, popupUrl, done] = arguments;
            browser.tabs.create({ url: consoleUrl, active: true }).then((tab) => new Promise((resolve) => {
              const loaded = (id, change) => {
                if (id === tab.id && change.status === 'complete') {
                  browser.tabs.onUpdated.removeListener(loaded);
                  resolve();
                }
              };
              browser.tabs.onUpdated.addListener(loaded);
              // It may have finished before the listener was there.
              browser.tabs.get(tab.id).then((t) => loaded(t.id, { status: t.status }));
            }))
              .then(() => browser.windows.create({ url: popupUrl, type: 'popup', width: 400, height: 600 }))
              .then(() => done(true), (e) => done(String(e)));
        """, console_url, self.base + "popup.html"), True)
        # WebDriver selects a tab by switching to it: look at the new handles (the console tab
        # and the popup), then leave the console tab selected and go to the popup.
        new = self.wait_for("the console tab and the popup window",
                            lambda: len(set(self.driver.window_handles) - before) == 2
                            and set(self.driver.window_handles) - before)
        # A new window's URL reads `about:blank` until its navigation commits: ask until the
        # popup's shows (1 run in 5 asked too early).
        def popup_handle():
            for handle in new:
                self.driver.switch_to.window(handle)
                if self.driver.current_url.startswith(self.base + "popup.html"):
                    return handle
            return None
        popup = self.wait_for("the popup window's URL", popup_handle)
        console_tab = next(h for h in new if h != popup)
        self.driver.switch_to.window(console_tab)
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
