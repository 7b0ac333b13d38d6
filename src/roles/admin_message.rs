//! The administrator's side of the options page, as plain data: which saved roles can be
//! granted, the search over them, the identity policy for a selection (the CLI's `policy`
//! for those profiles, from [`crate::roles::policy`]) and the message that tells users how to switch.
//!
//! AWS's "Granting a user permissions to switch roles" ends with "provide information to
//! users": a role link that opens the Switch Role page filled in, or the account (ID or alias)
//! and the role name, with its path, to type in. [`users_message`] writes that, one block per
//! role, from sentence templates the caller passes in the user's language (`{name}`
//! placeholders, filled with [`crate::template::fill`]), so this module knows no `chrome.i18n`.

use crate::roles::entry::RoleEntry;
use crate::roles::policy::{switchable_roles, IdentityPolicy, RoleProblem};
use crate::template::fill;

/// Indices into `entries` of the roles an administrator can grant and hand out: the IAM roles
/// the console can switch to (the CLI's `policy` without a profile named), in config order.
pub fn grantable(entries: &[RoleEntry]) -> Vec<usize> {
    (0..entries.len())
        .filter(|&i| switchable_roles(&entries[i..=i]).next().is_some())
        .collect()
}

/// What [`matching`] searches, for each of `candidates`: the profile, the account (ID or
/// alias), the account's alias, the role name with its path and the partition, lower-cased
/// once (a keystroke then lower-cases nothing), one field a line.
pub fn search_texts(entries: &[RoleEntry], candidates: &[usize]) -> Vec<String> {
    candidates
        .iter()
        .map(|&i| {
            let e = &entries[i];
            [
                e.profile.as_str(),
                e.account.as_str(),
                e.account_alias.as_deref().unwrap_or(""),
                e.role_name.as_str(),
                e.partition.as_str(),
            ]
            .join("\n")
            .to_lowercase()
        })
        .collect()
}

/// The `candidates` (with their [`search_texts`]) that match `query`: every word of it
/// (case-insensitive) occurs in one of the fields. A word has no whitespace, so it never
/// spans two fields. Config order is kept: it is a list to tick, not a ranking.
pub fn matching(candidates: &[usize], texts: &[String], query: &str) -> Vec<usize> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    candidates
        .iter()
        .zip(texts)
        .filter(|(_, text)| words.iter().all(|word| text.contains(word.as_str())))
        .map(|(&i, _)| i)
        .collect()
}

/// The identity policy for a selection, as the CLI's `policy PROFILE…` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionPolicy {
    /// The policy JSON the CLI prints (without its final newline); `None` when no selected
    /// role can be named by an ARN (the CLI then prints nothing and fails).
    pub json: Option<String>,
    /// The selected roles left out, with why (the CLI's `config:LINE: error: …` lines).
    pub left_out: Vec<RoleProblem>,
    /// The partitions of the ARNs when there are several: IAM attaches a policy in one
    /// partition, so one policy per partition is needed (the CLI's warning).
    pub several_partitions: Vec<String>,
}

/// [`SelectionPolicy`] of `selected`.
pub fn selection_policy<'e>(selected: impl IntoIterator<Item = &'e RoleEntry>) -> SelectionPolicy {
    let (policy, left_out) = IdentityPolicy::for_roles(selected);
    let partitions = policy.partitions();
    SelectionPolicy {
        json: (!policy.resources.is_empty()).then(|| policy.to_json()),
        several_partitions: if partitions.len() > 1 {
            partitions.iter().map(|p| p.to_string()).collect()
        } else {
            Vec::new()
        },
        left_out,
    }
}

/// The alias `entry` names its account by, when it has no 12-digit ID: such a role has no ARN
/// to put in a policy (users can still type the alias on the Switch Role page).
pub fn account_alias_only(entry: &RoleEntry) -> Option<&str> {
    let account = entry.account.as_str();
    (!account.is_empty() && !account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// The sentences of [`users_message`], in the user's language.
#[derive(Debug, Clone, Copy)]
pub struct UsersMessageTexts<'t> {
    /// The opening paragraph (no placeholder).
    pub intro: &'t str,
    /// A role's link line: `{link}`.
    pub link: &'t str,
    /// A role's account line: `{account}` (the ID or the alias, as the config gives it).
    pub account: &'t str,
    /// A role's name line: `{role}` (with its path).
    pub role: &'t str,
}

/// The plain-text message for users: the intro, then per role its profile name and, indented,
/// its switch link, account and role name, a blank line between roles; ends with a newline.
/// Roles without a link (not switchable) still get their account and role name.
pub fn users_message<'e>(
    roles: impl IntoIterator<Item = &'e RoleEntry>,
    texts: &UsersMessageTexts<'_>,
) -> String {
    let mut out = String::new();
    out.push_str(texts.intro.trim_end());
    out.push('\n');
    for entry in roles {
        out.push('\n');
        out.push_str(&entry.profile);
        out.push('\n');
        let mut line = |text: String| {
            out.push_str("  ");
            out.push_str(&text);
            out.push('\n');
        };
        if let Some(link) = entry.link() {
            line(fill(texts.link, &[("link", &link)]));
        }
        line(fill(texts.account, &[("account", &entry.account)]));
        line(fill(texts.role, &[("role", &entry.role_name)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
[profile cn-ops]
role_arn = arn:aws-cn:iam::333333333333:role/team/Ops
region = cn-north-1
[profile by-alias]
aws_account_id = my-company
role_name = ReadOnly
[profile vendor]
role_arn = arn:aws:iam::210987654321:role/Vendor
external_id = secret
[profile portal]
sso_start_url = https://x.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
";

    fn entries() -> Vec<RoleEntry> {
        crate::parse_config(CONFIG).roles
    }

    fn profiles(entries: &[RoleEntry], indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| entries[i].profile.to_string())
            .collect()
    }

    #[test]
    fn grantable_roles_are_the_switchable_iam_roles_in_config_order() {
        let entries = entries();
        assert_eq!(
            profiles(&entries, &grantable(&entries)),
            ["prod-admin", "cn-ops", "by-alias"]
        );
    }

    #[test]
    fn every_word_must_match_a_field_case_insensitively() {
        let entries = entries();
        let all = grantable(&entries);
        let texts = search_texts(&entries, &all);
        let find = |query: &str| matching(&all, &texts, query);
        assert_eq!(
            profiles(&entries, &find("")),
            ["prod-admin", "cn-ops", "by-alias"]
        );
        assert_eq!(profiles(&entries, &find("aws-CN")), ["cn-ops"]);
        assert_eq!(profiles(&entries, &find("team/ops 3333")), ["cn-ops"]);
        assert_eq!(profiles(&entries, &find("MY-company")), ["by-alias"]);
        assert!(find("admin nowhere").is_empty());
        // A word never spans two fields (the profile ends in `admin`, the account starts `1234`).
        assert!(find("admin1234").is_empty());
    }

    #[test]
    fn selection_policy_is_the_cli_policy_and_says_what_is_left_out() {
        let entries = entries();
        let selected = [&entries[2], &entries[1], &entries[0]];
        let policy = selection_policy(selected);
        let (cli, _) = IdentityPolicy::for_roles(selected);
        assert_eq!(policy.json.as_deref(), Some(cli.to_json().as_str()));
        assert!(policy.json.as_deref().unwrap().contains(
            "\"arn:aws-cn:iam::333333333333:role/team/Ops\",\n        \"arn:aws:iam::123456789012:role/Admin\""
        ));
        assert_eq!(policy.several_partitions, ["aws-cn", "aws"]);
        assert_eq!(policy.left_out.len(), 1);
        assert_eq!(
            (policy.left_out[0].profile.as_str(), policy.left_out[0].line),
            ("by-alias", 6)
        );
        assert_eq!(account_alias_only(&entries[2]), Some("my-company"));
        assert_eq!(account_alias_only(&entries[0]), None);

        let one = selection_policy([&entries[0]]);
        assert!(one.several_partitions.is_empty());
        let none = selection_policy([&entries[2]]);
        assert_eq!(none.json, None);
        assert_eq!(none.left_out.len(), 1);
    }

    #[test]
    fn users_message_lists_each_role_s_link_account_and_role() {
        let entries = entries();
        let texts = UsersMessageTexts {
            intro: "You can switch to these roles:",
            link: "Link: {link}",
            account: "Account: {account}",
            role: "Role: {role}",
        };
        assert_eq!(
            users_message([&entries[1], &entries[2], &entries[3]], &texts),
            "You can switch to these roles:\n\
             \n\
             cn-ops\n  \
             Link: https://signin.amazonaws.cn/switchrole?account=333333333333&roleName=team%2FOps&displayName=cn-ops&redirect_uri=https%3A%2F%2Fcn-north-1.console.amazonaws.cn%2Fconsole%2Fhome%3Fregion%3Dcn-north-1\n  \
             Account: 333333333333\n  \
             Role: team/Ops\n\
             \n\
             by-alias\n  \
             Link: https://signin.aws.amazon.com/switchrole?account=my-company&roleName=ReadOnly&displayName=by-alias\n  \
             Account: my-company\n  \
             Role: ReadOnly\n\
             \n\
             vendor\n  \
             Account: 210987654321\n  \
             Role: Vendor\n"
        );
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_stays_text() {
        let entries = crate::parse_config(
            "[profile x]\naws_account_id = 123456789012\nrole_name = {account}\n",
        )
        .roles;
        let texts = UsersMessageTexts {
            intro: "中文",
            link: "链接：{link}",
            account: "账户：{account}",
            role: "角色：{role}",
        };
        let message = users_message(&entries, &texts);
        assert!(message.contains("  角色：{account}\n"), "{message}");
        // `{` is not allowed in a role name: no link, but still what the config says.
        assert_eq!(
            message,
            "中文\n\nx\n  账户：123456789012\n  角色：{account}\n"
        );
    }
}
