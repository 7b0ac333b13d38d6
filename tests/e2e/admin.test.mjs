// End-to-end: the options page's "For administrators" section. An administrator saves a config
// with roles in aws and aws-cn and one account given only by its alias, opens the section,
// searches, ticks roles, and copies the IAM policy (exactly what the CLI's `policy` prints for
// those profiles) and the message for users (each role's switch link, as the CLI's `url` gives
// it, its account and its role name). The alias-only role is listed as left out, with why.
// Screenshots of the section in en, zh-CN and zh-TW go to target/e2e-artifacts/.
// Run with: bash tests/e2e/run.sh tests/e2e/admin.test.mjs (after ./build.sh: it runs the CLI too)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './lib/wait.mjs';
import { startFakeAws } from '../fake-aws/server.mjs';
import { closePage, launchChromiumWithExtension } from './lib/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const EXTENSION_DIR = resolve(process.env.E2E_EXTENSION_DIR || join(REPO, 'dist/chrome'));
const CLI = resolve(process.env.E2E_CLI || join(REPO, 'target/release/aws-role-switcher'));
const ARTIFACTS = join(REPO, 'target/e2e-artifacts');

// Lines matter: the alias-only profile's header is line 10.
const CONFIG = `[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
region = eu-west-1
[profile prod-deploy]
role_arn = arn:aws:iam::123456789012:role/ci/Deploy
[profile cn-ops]
role_arn = arn:aws-cn:iam::333333333333:role/team/Ops
region = cn-north-1
# an account named by its alias only: users can type it, a policy cannot name it
[profile by-alias]
aws_account_id = my-company-prod
role_name = ReadOnly
[profile vendor]
role_arn = arn:aws:iam::210987654321:role/Vendor
external_id = only-through-the-api
`;

const POLICY_TWO = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": [
        "arn:aws-cn:iam::333333333333:role/team/Ops",
        "arn:aws:iam::123456789012:role/Admin"
      ]
    }
  ]
}`;

const LANGS = {
  'en-US': {
    heading: 'For administrators',
    selected: (n) => `${n} role${n === 1 ? '' : 's'} selected.`,
    intro: "You can now switch to these AWS roles. Open a role's link to get the console's Switch Role page filled in, or choose Switch Role in the console and type in the account and the role name shown.",
    link: 'Link: ', account: 'Account: ', role: 'Role: ',
    leftOut: 'by-alias (line 10): its account is given only by the alias my-company-prod; a role ARN needs the 12-digit account ID.',
  },
  'zh-CN': {
    heading: '管理员',
    selected: (n) => `已选择 ${n} 个角色。`,
    intro: '现在您可以切换到以下 AWS 角色。打开角色的链接即可进入已填好的控制台“切换角色”页面，也可以在控制台中选择“切换角色”，输入下面的账户和角色名称。',
    link: '链接：', account: '账户：', role: '角色：',
    leftOut: 'by-alias（第 10 行）：账户只以别名 my-company-prod 给出；角色 ARN 需要 12 位账户 ID。',
  },
  'zh-TW': {
    heading: '管理員',
    selected: (n) => `已選取 ${n} 個角色。`,
    intro: '現在您可以切換到以下 AWS 角色。開啟角色的連結即可進入已填好的主控台「切換角色」頁面，也可以在主控台中選擇「切換角色」，輸入下方的帳戶和角色名稱。',
    link: '連結：', account: '帳戶：', role: '角色：',
    leftOut: 'by-alias（第 10 行）：帳戶只以別名 my-company-prod 給出；角色 ARN 需要 12 位數帳戶 ID。',
  },
};

const waitFor = (what, fn, show) => waitUntil(what, fn, { timeout: 15_000, show });

let aws;
let tmp;
let configFile;

/** The CLI on the same config: `args` → { status, stdout, stderr }. */
function cli(...args) {
  const run = spawnSync(CLI, ['--config', configFile, ...args], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run ${CLI} (./build.sh builds it): ${run.error.message}`);
  return run;
}

/** The users' message the section should write for `profiles`, in `want`'s language. */
function usersMessage(want, profiles) {
  const facts = {
    'prod-admin': ['123456789012', 'Admin'],
    'prod-deploy': ['123456789012', 'ci/Deploy'],
    'cn-ops': ['333333333333', 'team/Ops'],
    'by-alias': ['my-company-prod', 'ReadOnly'],
  };
  let text = `${want.intro}\n`;
  for (const profile of profiles) {
    const url = cli('url', profile);
    assert.equal(url.status, 0, url.stderr);
    const [account, role] = facts[profile];
    text += `\n${profile}\n  ${want.link}${url.stdout.trim()}\n  ${want.account}${account}\n  ${want.role}${role}\n`;
  }
  return text;
}

async function openSection(browser, page) {
  page.on('pageerror', (e) => console.error(`[options] uncaught: ${e.message}`));
  // For every origin: Chromium refuses a grant for a chrome-extension:// origin by name.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await waitFor('the options page to start', () => page.evaluate(() => document.getElementById('gutter')?.dataset.lines));
  await page.locator('#config').fill(CONFIG);
  await page.locator('#save').click();
  const status = () => page.locator('#save-result').textContent();
  await waitFor('the config to be saved', async () => /^(Saved|已保存|已儲存)/.test(await status()), status);
  await page.locator('#admin summary').click();
}

const listed = (page) => page.locator('#admin-roles .profile').allTextContents();
const tick = (page, profile) => page.locator(`#admin-roles input[value="${profile}"]`).check();
const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());
const output = (page) => page.locator('#admin-output').textContent();
const result = (page) => page.locator('#admin-result').textContent();

describe('For administrators: the policy and the message for users', () => {
  before(async () => {
    aws = await startFakeAws();
    tmp = mkdtempSync(join(tmpdir(), 'e2e-admin-'));
    configFile = join(tmp, 'config');
    writeFileSync(configFile, CONFIG);
  });
  after(async () => {
    await aws?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const [lang, want] of Object.entries(LANGS)) {
    test(`${lang}: search, tick, copy the policy and the message`, { timeout: 120_000 }, async () => {
      const browser = await launchChromiumWithExtension({ extensionDir: EXTENSION_DIR, fakeAwsPort: aws.port, lang });
      const page = await browser.context.newPage();
      try {
        await openSection(browser, page);
        assert.equal((await page.locator('#admin-heading').textContent()).trim(), want.heading);
        // The roles the console can switch to, in config order; the ExternalId role is not one.
        await waitFor('the saved roles to be listed', async () =>
          JSON.stringify(await listed(page)) === JSON.stringify(['prod-admin', 'prod-deploy', 'cn-ops', 'by-alias']), () => listed(page));

        // Search, tick one; search again, tick another: the first stays ticked.
        await page.locator('#admin-search').fill('admin');
        await waitFor('the search to leave prod-admin', async () => JSON.stringify(await listed(page)) === '["prod-admin"]', () => listed(page));
        await tick(page, 'prod-admin');
        await page.locator('#admin-search').fill('aws-cn');
        await waitFor('the search to leave cn-ops', async () => JSON.stringify(await listed(page)) === '["cn-ops"]', () => listed(page));
        await tick(page, 'cn-ops');
        await page.locator('#admin-search').fill('');
        await waitFor('every role listed again', async () => (await listed(page)).length === 4, () => listed(page));
        assert.deepEqual(await page.locator('#admin-roles input:checked').evaluateAll((c) => c.map((x) => x.value)), ['prod-admin', 'cn-ops']);
        assert.equal(await page.locator('#admin-count').textContent(), want.selected(2));

        // Copy policy: exactly the CLI's policy for those two profiles (it warns of two partitions).
        await page.locator('#admin-copy-policy').click();
        await waitFor('the policy to be copied', async () => (await clipboard(page)) === POLICY_TWO, () => clipboard(page));
        assert.equal(await output(page), POLICY_TWO);
        const two = cli('policy', 'prod-admin', 'cn-ops');
        assert.equal(two.status, 0, two.stderr);
        assert.equal(two.stdout, `${POLICY_TWO}\n`);
        assert.match(two.stderr, /2 partitions \(aws-cn, aws\)/);
        await waitFor('the status to say so, with the partitions', async () => /aws-cn, aws/.test(await result(page)), () => result(page));
        assert.equal(await page.locator('#admin-left-out').isVisible(), false);

        // Select all shown of a search: prod-deploy and by-alias join; by-alias has no ARN.
        await page.locator('#admin-search').fill('prod');
        await waitFor('the search for prod', async () =>
          JSON.stringify(await listed(page)) === '["prod-admin","prod-deploy","by-alias"]', () => listed(page));
        await page.locator('#admin-select-shown').click();
        assert.equal(await page.locator('#admin-count').textContent(), want.selected(4));
        await page.locator('#admin-copy-policy').click();
        const all = cli('policy', 'prod-admin', 'prod-deploy', 'cn-ops', 'by-alias');
        assert.equal(all.status, 1, 'the CLI fails on the alias-only profile');
        assert.match(all.stderr, /:10: error: `by-alias` names its account by the alias `my-company-prod`/);
        await waitFor('the policy of the three roles with an ARN', async () => `${await clipboard(page)}\n` === all.stdout, () => clipboard(page));
        assert.match(all.stdout, /"arn:aws:iam::123456789012:role\/ci\/Deploy"/);
        await waitFor('the alias-only role listed as left out', () => page.locator('#admin-left-out').isVisible());
        assert.deepEqual(await page.locator('#admin-left-out-list li').allTextContents(), [want.leftOut]);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.locator('#admin').screenshot({ path: join(ARTIFACTS, `admin-policy-${lang}.png`) });

        // The message for users: each role's link, account and role name, in config order.
        await page.locator('#admin-copy-message').click();
        const message = usersMessage(want, ['prod-admin', 'prod-deploy', 'cn-ops', 'by-alias']);
        await waitFor('the message for users to be copied', async () => (await clipboard(page)) === message, () => clipboard(page));
        assert.equal(await output(page), message);
        assert.match(message, /https:\/\/signin\.amazonaws\.cn\/switchrole\?account=333333333333&roleName=team%2FOps/);
        assert.match(message, /account=my-company-prod&roleName=ReadOnly/);
        // Config text is never markup: the <pre> holds text only.
        assert.equal(await page.locator('#admin-output *').count(), 0);

        await page.locator('#admin-search').fill('');
        await page.locator('#admin').screenshot({ path: join(ARTIFACTS, `admin-${lang}.png`) });

        if (lang === 'en-US') {
          // A save while the section is open lists the new role; the ticks of the others stay.
          await page.locator('#config').fill(`${CONFIG}[profile audit]\nrole_arn = arn:aws:iam::444455556666:role/Audit\n`);
          await page.locator('#save').click();
          await waitFor('the new role to be listed', async () => (await listed(page)).includes('audit'), () => listed(page));
          assert.equal(await page.locator('#admin-roles input[value="audit"]').isChecked(), false);
          assert.equal(await page.locator('#admin-roles input:checked').count(), 4);
        }
      } catch (e) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `failure-admin-${lang}.png`), fullPage: true }).catch(() => {});
        throw e;
      } finally {
        await closePage(page);
        await browser.close();
      }
    });
  }
});
