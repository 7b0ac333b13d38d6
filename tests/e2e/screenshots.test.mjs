// The README's screenshots, made from the built extension and a fixed config so that they stay
// true to the build: the popup (a grouped list searched, with its highlights; "Recent" with its
// colours) and the options page with diagnostics, each light and dark, into docs/screenshots/.
// Not part of a normal run (skipped); regenerate with:
//   SCREENSHOTS=1 bash tests/e2e/run.sh tests/e2e/screenshots.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { closePage, launchChromiumWithExtension, openExtensionPopupWindow } from './lib/browser.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const OUT = join(REPO, 'docs/screenshots');
const WANTED = process.env.SCREENSHOTS === '1';

const CONFIG = `[profile org-login]
aws_account_id = 111111111111

[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = org-login
region = eu-west-1
color = ff9900
group = Production

[profile prod-readonly]
role_arn = arn:aws:iam::123456789012:role/ReadOnly
source_profile = org-login
region = eu-west-1
color = ff9900
group = Production

[profile prod-data-analyst]
role_arn = arn:aws:iam::123456789013:role/analytics/DataAnalyst
source_profile = prod-admin
group = Production

[profile staging-dev]
role_arn = arn:aws:iam::222222222222:role/Developer
source_profile = org-login
region = us-west-2
color = 3399ff
group = Staging

[profile staging-deploy]
role_arn = arn:aws:iam::222222222222:role/Deploy
source_profile = org-login
region = us-west-2
color = 3399ff
group = Staging

[profile sandbox]
role_arn = arn:aws:iam::333333333333:role/Sandbox
source_profile = org-login
color = 00aa00
group = Sandbox

[profile partner-audit]
role_arn = arn:aws:iam::444444444444:role/Auditor
external_id = shared-secret
group = Partners
`;

/** The same profiles with mistakes, for the options page's diagnostics. */
const BROKEN = `${CONFIG}
[profile typo-account]
role_arn = arn:aws:iam::12345:role/Admin

[profile lost-source]
role_arn = arn:aws:iam::555555555555:role/Ops
source_profile = org-logn
`;

const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`) });
const waitFor = (what, fn, show) => waitUntil(what, fn, { timeout: 20_000, show });

const aws = WANTED ? await startFakeAws() : null;
after(async () => aws?.close());

test('README screenshots: popup and options page, light and dark', { skip: !WANTED && 'set SCREENSHOTS=1 to regenerate docs/screenshots/', timeout: 180_000 }, async () => {
  assert.ok(existsSync(join(EXTENSION_DIR, 'manifest.json')), 'run ./build.sh first');
  mkdirSync(OUT, { recursive: true });
  const b = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port });
  try {
    const options = await b.context.newPage();
    await options.setViewportSize({ width: 820, height: 720 });
    await options.goto(`chrome-extension://${b.extensionId}/options.html`);
    await options.evaluate((text) => chrome.storage.local.set({ config: text }), CONFIG);

    // "Recent": three switches, made hours and days ago (history as the popup stores it; older
    // than the hour a console session lasts, so no "time left" shows).
    const now = Date.now();
    const recent = [
      ['prod-admin', 'aws', '123456789012', 'Admin', now - 3 * 3_600_000, 12, true],
      ['staging-dev', 'aws', '222222222222', 'Developer', now - 5 * 3_600_000, 5, false],
      ['sandbox', 'aws', '333333333333', 'Sandbox', now - 3 * 86_400_000, 2, false],
    ].map(([profile, partition, account, role_name, last_used_ms, count, pinned]) => ({
      profile, partition, account, role_name, last_used_ms, count, pinned,
    }));
    await options.evaluate((items) => localStorage.setItem('aws-role-switcher.recent', JSON.stringify({ items })), recent);

    const tab = await b.context.newPage();
    for (const p of b.context.pages()) if (p !== tab && p !== options) await closePage(p);
    await tab.goto('https://example.test/');
    const popup = await openExtensionPopupWindow(b.context, b.extensionId, 'popup.html', { width: 400, height: 600, helperPage: 'popup.html' });
    await waitFor('"Recent" to list three roles', async () => (await popup.locator('#recent [role=option]').count()) === 3);
    for (const theme of ['light', 'dark']) {
      await popup.emulateMedia({ colorScheme: theme });
      // Escape clears the query (Playwright's fill('') presses Delete, which removes a Recent item).
      if (await popup.locator('#search').inputValue()) await popup.locator('#search').press('Escape');
      await waitFor('the full list', async () => (await popup.locator('#recent [role=option]').count()) === 3, () => popup.locator('#recent').innerHTML());
      await shot(popup, `popup-recent-${theme}`);
      await popup.locator('#search').fill('prod');
      await waitFor('the search to narrow the list', async () => (await popup.locator('#roles [role=option]').count()) === 3);
      await shot(popup, `popup-search-${theme}`);
    }

    await options.locator('#config').fill(BROKEN);
    await waitFor('the diagnostics', async () => (await options.locator('#diagnostics li').count()) >= 2);
    // The editor's last lines (the mistakes, marked), the count and the diagnostics.
    await options.locator('#config').evaluate((area) => { area.scrollTop = area.scrollHeight; });
    await options.locator('#diagnostics').evaluate((list) => list.scrollIntoView({ block: 'end' }));
    for (const theme of ['light', 'dark']) {
      await options.emulateMedia({ colorScheme: theme });
      await shot(options, `options-diagnostics-${theme}`);
    }
    for (const name of ['popup-recent', 'popup-search', 'options-diagnostics']) {
      for (const theme of ['light', 'dark']) {
        const size = statSync(join(OUT, `${name}-${theme}.png`)).size;
        console.log(`docs/screenshots/${name}-${theme}.png: ${size} bytes`);
        assert.ok(size < 150_000, `${name}-${theme}.png is ${size} bytes`);
      }
    }
  } finally {
    await b.close();
  }
});
