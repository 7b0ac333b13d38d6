"""The Firefox end-to-end harness: the built dist/firefox, installed as a temporary add-on in
Debian's firefox-esr (driven by geckodriver through Selenium), against the fake AWS
(tests/fake-aws/server.mjs, run with --jsonl) on loopback.

Firefox has no --host-resolver-rules, so every connection goes through a tiny CONNECT proxy
started here: it tunnels the AWS host names the fake answers for to the fake's port and
refuses everything else, and the tests assert that nothing else was even attempted past
Firefox's own (disabled) background services. Nothing reaches the internet.

Starting Firefox costs seconds, so the suite shares one instance (`shared_firefox()`) and
`FirefoxCase.setUp` resets the add-on's storage and closes the tabs the last test left. The
browser differences the tests meet live here, in one place (see `Firefox`).
"""

import atexit
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

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.firefox.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(REPO, "tests", "e2e", "fixtures")
EXTENSION_DIR = os.path.abspath(os.environ.get("E2E_EXTENSION_DIR", os.path.join(REPO, "dist", "firefox")))
FIREFOX = os.environ.get("FIREFOX_PATH", "/usr/bin/firefox-esr")
GECKODRIVER = os.environ.get("GECKODRIVER_PATH") or shutil.which("geckodriver") \
    or os.path.expanduser("~/.cargo/bin/geckodriver")
ARTIFACTS = os.path.join(REPO, "target", "e2e-artifacts")
WAIT = 20.0

# A fixed extension UUID (extensions.webextensions.uuids) so moz-extension:// URLs are known.
UUID = "6f0d3c2e-9a51-4c1b-8e2f-3a7b5c9d1e04"
SETTINGS_KEY = "aws-role-switcher.settings"
HISTORY_KEY = "aws-role-switcher.recent"

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


def fixture(name):
    """A file of tests/e2e/fixtures/ (shared with the Chromium suite): JSON parsed, else text."""
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f) if name.endswith(".json") else f.read()


def read_manifest():
    with open(os.path.join(EXTENSION_DIR, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


class FakeAws:
    """`node tests/fake-aws/server.mjs --jsonl`: prints its port, then one JSON record per answered
    request (method, host, url, fullUrl, headers, body, status); `configure()` patches it."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["node", os.path.join(REPO, "tests", "fake-aws", "server.mjs"), "--jsonl"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO)
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.proc.kill()
            raise RuntimeError(f"fake AWS did not print its port: {line!r}")
        self.port = int(line)
        self.records = []
        self._acks = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                if "configured" in record:
                    self._acks.append(record)
                else:
                    self.records.append(record)
                self._cond.notify_all()

    def configure(self, **patch):
        """Changes the fake's options (startFakeAws's `opts`), waiting until it has."""
        with self._cond:
            acks = len(self._acks)
            self.proc.stdin.write(json.dumps(patch) + "\n")
            self.proc.stdin.flush()
            if not self._cond.wait_for(lambda: len(self._acks) > acks, timeout=10):
                raise RuntimeError(f"the fake AWS did not take {patch}")

    def reset(self):
        self.configure(console={}, consoleCsrf=True, consoleStall=False, multiSessionDestination=None)

    def count(self):
        with self._cond:
            return len(self.records)

    def since(self, index, *, favicons=False):
        """The records after `index`, without favicon fetches unless asked."""
        with self._cond:
            got = list(self.records[index:])
        return [r for r in got if favicons or not r["url"].endswith("/favicon.ico")]

    def snapshot(self):
        """Every request so far as (method, full URL)."""
        with self._cond:
            return [(r["method"], r["fullUrl"]) for r in self.records]

    def bodies_snapshot(self):
        """Every request so far as (method, full URL, body or None)."""
        with self._cond:
            return [(r["method"], r["fullUrl"], r["body"] or None) for r in self.records]

    # The names test_firefox.py's FakeAws had (lists of tuples), for code written against it.
    requests = property(snapshot)
    bodies = property(bodies_snapshot)

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

    def refused_snapshot(self):
        with self._lock:
            return list(self.refused)

    def close(self):
        self._closed = True
        self.sock.close()


def firefox_prefs(proxy_port, locale="en-US"):
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
        "intl.locale.requested": locale,
        "intl.accept_languages": f"{locale}, en",
        # Downloads (Export) go to a known folder without asking.
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": True,
        "browser.download.always_ask_before_handling_new_types": False,
        "browser.download.panel.shown": True,
        "browser.download.alwaysOpenPanel": False,
    }
    return prefs


def firefox_with_policies(policies, into):
    """A copy of the firefox-esr installation (symbolic links, but its own launcher and its own
    distribution/ folder) whose distribution/policies.json is `policies`: Firefox reads
    enterprise policies from the installation it was started from, so no other Firefox on the
    machine is affected. Returns the launcher's path."""
    real = os.path.realpath(FIREFOX)
    install = os.path.dirname(real)
    os.makedirs(into, exist_ok=True)
    for name in os.listdir(install):
        if name in ("distribution", os.path.basename(real)):
            continue
        os.symlink(os.path.join(install, name), os.path.join(into, name))
    # A copied launcher: Firefox finds its installation from the launcher's own path.
    shutil.copy2(real, os.path.join(into, os.path.basename(real)))
    os.makedirs(os.path.join(into, "distribution"))
    with open(os.path.join(into, "distribution", "policies.json"), "w", encoding="utf-8") as f:
        json.dump({"policies": policies}, f)
    return os.path.join(into, os.path.basename(real))


class Firefox:
    """One Firefox with the add-on installed as a temporary add-on. What differs from Chromium
    is handled here: pages of the add-on are opened from the chrome (browser UI) context, since
    web content may not navigate to moz-extension://; the UI language is set with Firefox's
    locale service; the popup is a `windows.create({type: 'popup'})` window over a tab."""

    def __init__(self, aws, proxy, *, binary=FIREFOX, locale="en-US", extra_prefs=None):
        self.aws = aws
        self.proxy = proxy
        self.tmp = tempfile.mkdtemp(prefix="e2e-firefox-")
        self.downloads = os.path.join(self.tmp, "downloads")
        os.makedirs(self.downloads)
        self.addon_id = read_manifest()["browser_specific_settings"]["gecko"]["id"]
        options = webdriver.FirefoxOptions()
        options.binary_location = binary
        options.add_argument("-headless")
        options.accept_insecure_certs = True  # the fake's throwaway self-signed certificate
        prefs = firefox_prefs(proxy.port, locale)
        prefs["browser.download.dir"] = self.downloads
        prefs.update(extra_prefs or {})
        for name, value in prefs.items():
            options.set_preference(name, value)
        service = Service(executable_path=GECKODRIVER, service_args=["--allow-system-access"],
                          log_output=os.path.join(self.tmp, "geckodriver.log"))
        self.driver = webdriver.Firefox(options=options, service=service)
        self.driver.set_script_timeout(30)
        self.driver.set_window_size(1280, 800)
        self.install()
        self.base = f"moz-extension://{UUID}/"
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def install(self):
        # Uninstalling forgets the add-on's UUID: pin it again before every install.
        self.chrome("Services.prefs.setStringPref('extensions.webextensions.uuids', arguments[0]);",
                    json.dumps({self.addon_id: UUID}))
        installed = self.driver.install_addon(EXTENSION_DIR, temporary=True)
        assert installed == self.addon_id, f"installed {installed!r}, expected {self.addon_id!r}"

    def reinstall(self):
        """A fresh install of the add-on: its storage goes with the old one (Firefox clears an
        uninstalled add-on's storage), and it reads the UI language again."""
        self.driver.uninstall_addon(self.addon_id)
        self.install()

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ pages and tabs

    def chrome(self, script, *args):
        """Runs `script` in Firefox's chrome (browser UI) context (of the window WebDriver is on,
        or of the first one left if that has closed)."""
        handles = self.driver.window_handles
        try:
            current = self.driver.current_window_handle
        except WebDriverException:
            current = None
        if current not in handles:
            self.driver.switch_to.window(handles[0])
        with self.driver.context(self.driver.CONTEXT_CHROME):
            return self.driver.execute_script(script, *args)

    def open_extension_page(self, page, wait):
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
        handle = wait(f"a new tab for {page}",
                      lambda: next(iter(set(self.driver.window_handles) - before), None))
        self.driver.switch_to.window(handle)
        wait(f"{page} to load", lambda: self.driver.current_url.startswith(self.base + page)
             and self.driver.execute_script("return document.readyState") == "complete")
        return handle

    def tab_urls(self):
        return self.chrome("return gBrowser.tabs.map(t => t.linkedBrowser.currentURI.spec);")

    def close_all_but_one(self):
        """Closes every window and tab but one new blank tab of a normal window, and selects it."""
        before = set(self.driver.window_handles)
        self.chrome("""
            const normal = [...Services.wm.getEnumerator('navigator:browser')]
              .filter((w) => !w.document.documentElement.getAttribute('chromehidden'));
            if (!normal.length) throw new Error('no normal browser window is left');
            const win = normal[0];
            const tab = win.gBrowser.addTab('about:blank', {
              triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
            });
            win.gBrowser.selectedTab = tab;
            win.__e2eKeep = true;
        """)
        deadline = time.monotonic() + WAIT
        while not set(self.driver.window_handles) - before:
            if time.monotonic() > deadline:
                raise AssertionError("the new blank tab did not get a WebDriver handle")
            time.sleep(0.05)
        keep = next(iter(set(self.driver.window_handles) - before))
        self.driver.switch_to.window(keep)
        self.chrome("""
            const win = [...Services.wm.getEnumerator('navigator:browser')].find((w) => w.__e2eKeep);
            for (const w of Services.wm.getEnumerator('navigator:browser')) if (w !== win) w.close();
            for (const t of [...win.gBrowser.tabs]) if (t !== win.gBrowser.selectedTab) win.gBrowser.removeTab(t, { animate: false });
            delete win.__e2eKeep;
        """)
        deadline = time.monotonic() + WAIT
        while self.driver.window_handles != [keep]:
            if time.monotonic() > deadline:
                raise AssertionError(f"tabs left after closing all but one: {self.driver.window_handles}")
            time.sleep(0.05)

    def run_in_extension(self, script, *args):
        """Runs an async `script` (its last argument is `done`) in an extension page already
        selected in WebDriver, and returns what it passed to `done` (an Error as its text)."""
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "(async (...args) => {" + script + "})(...Array.from(arguments).slice(0, -1))"
            ".then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: String(e) }));",
            *args)
        if "error" in result:
            raise AssertionError(f"in the extension page: {result['error']}")
        return result["ok"]

    def reset(self, wait, *, config=None, settings=None, history=None, local=None):
        """Clears the add-on's storage (local, sync, its pages' localStorage), then stores
        `config` (as chrome.storage.local's `config`), `settings`, `history` and any other
        `local` items, and leaves one blank tab."""
        self.close_all_but_one()
        self.open_extension_page("options.html", wait)
        self.run_in_extension("""
            const [config, settingsKey, settings, historyKey, history, local] = args;
            await browser.storage.local.clear();
            await browser.storage.sync.clear();
            localStorage.clear();
            if (settings) localStorage.setItem(settingsKey, JSON.stringify(settings));
            if (history) localStorage.setItem(historyKey, JSON.stringify(history));
            const items = { ...(local || {}) };
            if (config !== null) items.config = config;
            if (Object.keys(items).length) await browser.storage.local.set(items);
        """, config, SETTINGS_KEY, settings, HISTORY_KEY, history, local)
        self.close_all_but_one()

    def popup_over(self, url, wait, *, wait_loaded=True, size=(400, 600)):
        """A normal tab on `url` (active), then the popup in a window of its own over it, as the
        toolbar popup sits over a tab. Returns (tab handle, popup handle), WebDriver on the popup.
        Firefox reports the popup window as the last focused, whatever `windowTypes` asks; the
        product copes (web::browser::active_tab)."""
        # From an options tab (left behind the new active tab): the script runs there.
        self.open_extension_page("options.html", wait)
        before = set(self.driver.window_handles)
        self.run_in_extension("""
            const [url, popupUrl, waitLoaded, [width, height]] = args;
            const tab = await browser.tabs.create({ url, active: true });
            if (waitLoaded) {
              await new Promise((resolve) => {
                const loaded = (id, change) => {
                  if (id === tab.id && change.status === 'complete') {
                    browser.tabs.onUpdated.removeListener(loaded);
                    resolve();
                  }
                };
                browser.tabs.onUpdated.addListener(loaded);
                // It may have finished before the listener was there.
                browser.tabs.get(tab.id).then((t) => loaded(t.id, { status: t.status }));
              });
            }
            await browser.windows.create({ url: popupUrl, type: 'popup', width, height });
        """, url, self.base + "popup.html", wait_loaded, list(size))
        new = wait("the tab and the popup window", lambda: len(set(self.driver.window_handles) - before) == 2
                   and set(self.driver.window_handles) - before)

        # A new window's URL reads `about:blank` until its navigation commits: ask until it shows.
        def popup_handle():
            for handle in new:
                self.driver.switch_to.window(handle)
                if self.driver.current_url.startswith(self.base + "popup.html"):
                    return handle
            return None
        popup = wait("the popup window's URL", popup_handle)
        tab = next(h for h in new if h != popup)
        self.driver.switch_to.window(popup)
        wait("the popup to start", lambda: self.driver.execute_script(
            "return document.readyState === 'complete' && document.activeElement?.id === 'search'"))
        return tab, popup

    def screenshot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        try:
            self.driver.save_screenshot(os.path.join(ARTIFACTS, name))
        except WebDriverException:
            pass

    # ------------------------------------------------------------ the UI language

    def set_locale(self, locale):
        """Makes `locale` (en-US, zh-CN, zh-TW) Firefox's UI language, then installs the add-on
        again so that its i18n reads it. Debian's firefox-esr ships en-US only (a language pack
        adds the others): the locale service is told the language is available, which is what
        `intl.locale.requested` does with a language pack installed."""
        self.chrome("""
            const locale = arguments[0];
            const available = new Set([...Services.locale.availableLocales, locale]);
            Services.locale.availableLocales = [...available];
            Services.locale.requestedLocales = [locale];
            Services.prefs.setStringPref('intl.accept_languages', `${locale}, en`);
        """, locale)
        self.reinstall()


_network = None
_shared = None


def shared_network():
    """The suite's fake AWS and proxy, started on first use and stopped when the process exits."""
    global _network
    if _network is None:
        aws = FakeAws()
        proxy = ConnectProxy(aws.port)
        _network = (aws, proxy)

        def stop():
            proxy.close()
            aws.close()
        atexit.register(stop)
    return _network


def shared_firefox():
    """The suite's one Firefox (on the shared fake AWS and proxy), started on first use and quit
    when the process exits."""
    global _shared
    if _shared is None:
        manifest_path = os.path.join(EXTENSION_DIR, "manifest.json")
        if not os.path.exists(manifest_path):
            raise RuntimeError(f"{manifest_path} is missing: run ./build.sh first")
        aws, proxy = shared_network()
        started = time.monotonic()
        _shared = Firefox(aws, proxy)
        _shared.startup_seconds = time.monotonic() - started
        print(f"\ne2e-firefox: Firefox {_shared.version} started with the add-on in "
              f"{_shared.startup_seconds:.1f} s (once for the suite)", file=sys.stderr)
        atexit.register(_shared.quit)  # registered after the network's stop: runs before it
    return _shared


class FirefoxCase(unittest.TestCase):
    """A test on the shared Firefox: each starts with the add-on's storage empty, the fake AWS
    at its defaults and one blank tab; `self.since` is where the fake's record stood then."""

    ff = None
    config = None  # stored before each test when set (chrome.storage.local's `config`)
    # When set, the class gets a Firefox of its own, started from a copy of the installation
    # whose distribution/policies.json holds these enterprise policies.
    policies = None

    @classmethod
    def setUpClass(cls):
        if cls.policies is None:
            cls.ff = shared_firefox()
        else:
            aws, proxy = shared_network()
            install = tempfile.mkdtemp(prefix="e2e-firefox-policies-")
            try:
                cls.ff = Firefox(aws, proxy, binary=firefox_with_policies(cls.policies, os.path.join(install, "firefox")))
            except Exception:
                shutil.rmtree(install, ignore_errors=True)
                raise
            cls.ff.install_copy = install
        cls.driver = cls.ff.driver
        cls.aws = cls.ff.aws
        cls.proxy = cls.ff.proxy
        cls.base = cls.ff.base
        cls.tmp = cls.ff.tmp

    @classmethod
    def tearDownClass(cls):
        if cls.policies is not None:
            try:
                cls.ff.quit()
            finally:
                shutil.rmtree(cls.ff.install_copy, ignore_errors=True)

    def setUp(self):
        self.aws.reset()
        self.ff.reset(self.wait_for, config=self.config)
        self.since = self.aws.count()
        self.refused_before = len(self.proxy.refused_snapshot())

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = outcome is not None and not getattr(outcome, "success", True)
        if failed:
            slug = re.sub(r"[^a-z0-9]+", "-", self.id().lower())[-60:]
            for i, handle in enumerate(self.driver.window_handles):
                try:
                    self.driver.switch_to.window(handle)
                    self.ff.screenshot(f"failure-firefox-{slug}-{i}.png")
                except WebDriverException:
                    pass

    # ------------------------------------------------------------ waiting

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
                seen = [f"{r['method']} {r['fullUrl']} -> {r['status']}" for r in self.aws.since(0)][-15:]
                self.fail(f"timed out after {timeout:.0f} s waiting for {what}"
                          + (f"; last error: {last_error.msg}" if last_error else "")
                          + "\nfake AWS saw (last 15):\n  " + "\n  ".join(seen)
                          + f"\nproxy refused: {self.proxy.refused_snapshot()[-10:]}")
            time.sleep(0.1)

    def expect_request(self, what, match, since=None):
        """The first record after `since` (default: the test's start) that `match` accepts."""
        start = self.since if since is None else since
        return self.wait_for(what, lambda: next((r for r in self.aws.since(start) if match(r)), None))

    # ------------------------------------------------------------ the pages

    def open_options(self):
        self.ff.open_extension_page("options.html", self.wait_for)
        # The page wires its listeners once it has read storage and drawn the editor's gutter.
        self.wait_for("the options page to start", lambda: self.driver.execute_script(
            "return document.getElementById('gutter')?.dataset.lines"))

    def open_popup_tab(self):
        """popup.html in a tab of its own (for what does not need a tab under the popup)."""
        self.ff.open_extension_page("popup.html", self.wait_for)
        self.wait_for("the search box to have the focus",
                      lambda: self.driver.execute_script("return document.activeElement?.id === 'search'"))

    def el(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def option_texts(self, listbox="roles"):
        return self.js(f"return [...document.querySelectorAll('#{listbox} [role=option]')]"
                       ".map((o) => o.textContent.replace(/\\s+/g, ' ').trim());")

    def profiles(self, listbox="roles"):
        return [e.text for e in self.els(f"#{listbox} [role=option] .profile")]

    def active_option(self):
        return self.js("""
            const id = document.getElementById('search').getAttribute('aria-activedescendant');
            const el = id && document.getElementById(id);
            return el ? { id, text: el.textContent, selected: el.getAttribute('aria-selected'),
                          list: el.parentElement.id } : { id };
        """)

    def search(self):
        return self.el("#search")

    def press(self, *keys):
        self.search().send_keys(*keys)

    def popup_status(self):
        return self.js("return [...document.querySelectorAll('[role=status]')].map((e) => e.textContent).join(' ');")

    def choose(self, profile):
        """Types `profile` into the popup's search, waits for its one option, presses Enter."""
        self.press(profile)
        self.wait_for(f"one option for {profile!r}", lambda: self.profiles() == [profile])
        self.wait_for(f"{profile!r} to be the active option",
                      lambda: profile in (self.active_option().get("text") or ""))
        try:
            self.press(Keys.ENTER)
        except WebDriverException:
            pass  # the popup closes itself as the switch starts

    def assert_no_request_outside_aws(self):
        """No request the proxy (Firefox's only way out) saw since the test started went to a
        host outside AWS, other than Firefox's own background services (refused, and mostly
        switched off by the prefs)."""
        firefox_services = re.compile(r"^CONNECT [a-z0-9.-]+\.(?:mozilla\.(?:com|org|net)|firefox\.com):443 ")
        for line in self.proxy.refused_snapshot()[self.refused_before:]:
            self.assertRegex(line, firefox_services, f"a request for a host outside AWS: {line}")


__all__ = [
    "HERE", "REPO", "FIXTURES", "EXTENSION_DIR", "FIREFOX", "GECKODRIVER", "ARTIFACTS", "WAIT", "UUID",
    "SETTINGS_KEY", "HISTORY_KEY", "CONFIG", "EXPECTED", "AWS_SUFFIXES", "OTHER_FAKE_HOSTS", "SIGNIN_HOST",
    "is_fake_aws_host", "fixture", "read_manifest", "FakeAws", "ConnectProxy", "firefox_prefs",
    "firefox_with_policies", "Firefox", "shared_network", "shared_firefox", "FirefoxCase", "By", "Keys", "WebDriverException",
]
