// A deterministic AWS config of N role profiles, in the subset that both AWS Role Switcher
// and aesr-config (AWS Extend Switch Roles' parser) accept:
//   - `[profile x]` sections only;
//   - a role named by `role_arn`, or by `aws_account_id` + `role_name`;
//   - `color` (6 hex digits, no `#`, as AESR writes it) and `region`;
//   - base accounts with `aws_account_id` + `target_role_name`, and targets with `source_profile`.
// No comments, no duplicate keys, no continuations: aesr-config rejects or misreads those.
// Base accounts are not roles (both parsers list only their targets), so the config holds N
// role profiles plus one base account per TARGETS_PER_BASE targets.
//
//   node benches/gen-config.mjs N            prints the config
//   import { generateConfig } from './gen-config.mjs'

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1',
  'ap-southeast-2', 'sa-east-1',
];
const ROLES = ['Admin', 'ReadOnly', 'PowerUser', 'Developer', 'Billing', 'SecurityAudit'];
const TEAMS = ['payments', 'search', 'identity', 'data', 'platform', 'mobile', 'web', 'ml'];
const STAGES = ['prod', 'staging', 'dev', 'test', 'sandbox'];
const TARGETS_PER_BASE = 20;

/** A 32-bit LCG (Numerical Recipes): the same N gives the same bytes on every machine. */
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function account(i) {
  return String(100000000000 + ((i * 7919) % 899999999999)).padStart(12, '0');
}

/** The config text with exactly `roles` role profiles. */
export function generateConfig(roles) {
  const r = rng(roles);
  const out = [];
  const profile = (name, props) => {
    out.push(`[profile ${name}]`);
    for (const [k, v] of props) out.push(`${k} = ${v}`);
    out.push('');
  };
  const color = () => r(0x1000000).toString(16).padStart(6, '0');
  let made = 0;
  let base = 0;
  while (made < roles) {
    const kind = r(10);
    const name = () => `${TEAMS[r(TEAMS.length)]}-${STAGES[r(STAGES.length)]}-${made}`;
    const acct = account(made + 1);
    if (kind < 4) {
      // 40%: a single role by role_arn
      profile(name(), [
        ['role_arn', `arn:aws:iam::${acct}:role/${ROLES[r(ROLES.length)]}`],
        ['color', color()],
        ['region', REGIONS[r(REGIONS.length)]],
      ]);
      made += 1;
    } else if (kind < 6) {
      // 20%: a single role by aws_account_id + role_name
      profile(name(), [
        ['aws_account_id', acct],
        ['role_name', ROLES[r(ROLES.length)]],
        ['color', color()],
        ['region', REGIONS[r(REGIONS.length)]],
      ]);
      made += 1;
    } else {
      // 40%: a base account and up to TARGETS_PER_BASE targets that inherit its target_role_name
      base += 1;
      const baseName = `base-${base}`;
      profile(baseName, [
        ['aws_account_id', account(1000000 + base)],
        ['target_role_name', ROLES[r(ROLES.length)]],
        ['region', REGIONS[r(REGIONS.length)]],
      ]);
      const n = Math.min(TARGETS_PER_BASE, roles - made);
      for (let t = 0; t < n; t += 1) {
        const props = [['aws_account_id', account(made + 1)]];
        // every fourth target overrides the inherited role name
        if (t % 4 === 3) props.push(['role_name', ROLES[r(ROLES.length)]]);
        props.push(['source_profile', baseName], ['color', color()], ['region', REGIONS[r(REGIONS.length)]]);
        profile(`${baseName}-${TEAMS[r(TEAMS.length)]}-${made}`, props);
        made += 1;
      }
    }
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write('usage: node benches/gen-config.mjs N\n');
    process.exit(2);
  }
  process.stdout.write(generateConfig(n));
}
