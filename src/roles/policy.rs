//! IAM policies that grant the switch: the administrator's side of a config.
//!
//! AWS's "Granting a user permissions to switch roles": the user's identity needs an `Allow` of
//! `sts:AssumeRole` on each role's full ARN (least privilege: exactly the roles needed, never
//! `"Resource": "*"`), and each role's trust policy must name the user's account (or a
//! principal ARN) as `Principal`. This module builds both documents from role entries:
//!
//! - [`IdentityPolicy::for_roles`]: the ARNs of the given entries, in each role's partition
//!   (`arn:aws:`, `arn:aws-cn:`, `arn:aws-us-gov:`), with the role's path, sorted byte-wise and
//!   deduplicated; the entries that cannot be named by an ARN come back as [`RoleProblem`]s
//!   (an account given only by its alias, an IAM Identity Center entry, an invalid name).
//! - [`TrustPolicy`]: `sts:AssumeRole` for one principal; a 12-digit account becomes
//!   `arn:PARTITION:iam::ID:root` ([`TrustPolicy::principal_arn`]). With
//!   `require_source_identity`, the caller must set a source identity (AWS's "Monitor and
//!   control actions taken with assumed roles": `sts:SetSourceIdentity` allowed, and
//!   `"StringLike": {"sts:SourceIdentity": "*"}`, which fails an `AssumeRole` without one).
//!
//! [`select_roles`] picks the entries (the profiles named, or every switchable role) and
//! [`trust_partition`] the partition an account principal is named in.
//!
//! Both render as pretty-printed JSON (2-space indent, keys in the order IAM's documentation
//! shows them) with [`IdentityPolicy::to_json`] and [`TrustPolicy::to_json`]. Pure: no files,
//! no output; the CLI's `policy` command and the options page are the faces over it.

use serde::Serialize;

use crate::roles::entry::{EntryKind, RoleEntry};
use crate::roles::partition::Partition;
use crate::roles::validation::{account_problem, role_name_problem};

/// The policy language version every current IAM policy declares.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The role entries a policy for "every role" grants: the IAM roles the console can switch to.
pub fn switchable_roles(entries: &[RoleEntry]) -> impl Iterator<Item = &RoleEntry> {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::Role && e.switchable)
}

/// The entries a policy covers: the ones `names` names, each once, in the order first named;
/// or, when `names` is empty, every [`switchable_roles`] entry. Also the names that match no
/// entry (a base account, a profile without a role, a typo), in order.
pub fn select_roles<'e, N: AsRef<str>>(
    entries: &'e [RoleEntry],
    names: &[N],
) -> (Vec<&'e RoleEntry>, Vec<String>) {
    if names.is_empty() {
        return (switchable_roles(entries).collect(), Vec::new());
    }
    let mut chosen: Vec<&RoleEntry> = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        let name = name.as_ref();
        match entries.iter().find(|e| e.profile == name) {
            Some(entry) if chosen.iter().any(|c| std::ptr::eq(*c, entry)) => {}
            Some(entry) => chosen.push(entry),
            None => unknown.push(name.to_string()),
        }
    }
    (chosen, unknown)
}

/// The partition a trust policy for `roles` names an account in: theirs, when they share one
/// (`aws` when there are none). Otherwise the partitions found, in order: an account principal
/// cannot serve them all.
pub fn trust_partition(roles: &[&RoleEntry]) -> Result<Partition, Vec<Partition>> {
    let mut partitions: Vec<Partition> = Vec::new();
    for role in roles {
        let partition = Partition::from_id(&role.partition).unwrap_or(Partition::Aws);
        if !partitions.contains(&partition) {
            partitions.push(partition);
        }
    }
    match partitions.as_slice() {
        [] => Ok(Partition::Aws),
        [one] => Ok(*one),
        _ => Err(partitions),
    }
}

/// Why an entry's role is left out of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleProblem {
    pub profile: String,
    /// The line of the profile's header in the config.
    pub line: u32,
    pub message: String,
}

/// The ARN of `entry`'s role (`arn:aws:iam::123456789012:role/path/Name`), or why it has none.
pub fn role_arn(entry: &RoleEntry) -> Result<String, String> {
    if entry.kind == EntryKind::Sso {
        return Err(format!(
            "`{}` is an IAM Identity Center entry: its access comes from the permission set `{}`, not from sts:AssumeRole",
            entry.profile, entry.role_name
        ));
    }
    let Some(partition) = Partition::from_id(&entry.partition) else {
        return Err(format!(
            "`{}` is in the unknown partition `{}`",
            entry.profile, entry.partition
        ));
    };
    let account = entry.account.as_str();
    if let Some((code, message, _)) = account_problem(account) {
        return Err(format!("`{}`: {} ({})", entry.profile, message, code));
    }
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{}` names its account by the alias `{}`; a role ARN needs the 12-digit account ID: set `aws_account_id` to the ID, or write a `role_arn`",
            entry.profile, account
        ));
    }
    if let Some((_, message)) = role_name_problem(&entry.role_name) {
        return Err(format!("`{}`: {}", entry.profile, message));
    }
    Ok(format!(
        "arn:{}:iam::{}:role/{}",
        partition.id(),
        account,
        entry.role_name
    ))
}

/// An identity-based policy allowing `sts:AssumeRole` on exactly [`IdentityPolicy::resources`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityPolicy {
    /// Role ARNs, sorted byte-wise, each once.
    pub resources: Vec<String>,
}

impl IdentityPolicy {
    /// The policy for `entries`' roles, and the entries left out with the reason.
    pub fn for_roles<'e>(
        entries: impl IntoIterator<Item = &'e RoleEntry>,
    ) -> (IdentityPolicy, Vec<RoleProblem>) {
        let mut resources = Vec::new();
        let mut problems = Vec::new();
        for entry in entries {
            match role_arn(entry) {
                Ok(arn) => resources.push(arn),
                Err(message) => problems.push(RoleProblem {
                    profile: entry.profile.to_string(),
                    line: entry.line,
                    message,
                }),
            }
        }
        resources.sort_unstable();
        resources.dedup();
        (IdentityPolicy { resources }, problems)
    }

    /// The partitions of the resources, in order of first appearance. IAM attaches a policy in
    /// one partition, so more than one means one policy per partition is needed.
    pub fn partitions(&self) -> Vec<&str> {
        let mut partitions: Vec<&str> = Vec::new();
        for arn in &self.resources {
            let partition = arn.split(':').nth(1).unwrap_or("");
            if !partitions.contains(&partition) {
                partitions.push(partition);
            }
        }
        partitions
    }

    /// The policy document, pretty-printed, without a final newline.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Statement<'a> {
            #[serde(rename = "Effect")]
            effect: &'static str,
            #[serde(rename = "Action")]
            action: &'static str,
            #[serde(rename = "Resource")]
            resource: &'a [String],
        }
        to_pretty_json(&Document {
            version: POLICY_VERSION,
            statement: [Statement {
                effect: "Allow",
                action: "sts:AssumeRole",
                resource: &self.resources,
            }],
        })
    }
}

/// A role's trust policy letting one principal assume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustPolicy {
    /// The principal's ARN (an account's is `arn:PARTITION:iam::ID:root`).
    pub principal: String,
    /// Whether the caller must set a source identity (`sts:SourceIdentity`).
    pub require_source_identity: bool,
}

impl TrustPolicy {
    /// `text` as a trust policy principal: a 12-digit account ID becomes the account's root
    /// ARN in `partition`; an ARN (`arn:…:iam::…`) is taken as given.
    pub fn principal_arn(text: &str, partition: Partition) -> Result<String, String> {
        let text = text.trim();
        if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(format!("arn:{}:iam::{}:root", partition.id(), text));
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let is_arn = parts.len() == 6
            && parts[0] == "arn"
            && !parts[1].is_empty()
            && !parts[2].is_empty()
            && !parts[5].is_empty()
            && !text.contains(char::is_whitespace);
        if is_arn {
            Ok(text.to_string())
        } else {
            Err(format!(
                "`{}` is neither a 12-digit account ID nor an ARN (like `arn:aws:iam::111122223333:role/NAME`)",
                text
            ))
        }
    }

    /// The trust policy document, pretty-printed, without a final newline.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Principal<'a> {
            #[serde(rename = "AWS")]
            aws: &'a str,
        }
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Action {
            One(&'static str),
            Several([&'static str; 2]),
        }
        #[derive(Serialize)]
        struct SourceIdentitySet {
            #[serde(rename = "sts:SourceIdentity")]
            source_identity: &'static str,
        }
        #[derive(Serialize)]
        struct Condition {
            #[serde(rename = "StringLike")]
            string_like: SourceIdentitySet,
        }
        #[derive(Serialize)]
        struct Statement<'a> {
            #[serde(rename = "Effect")]
            effect: &'static str,
            #[serde(rename = "Principal")]
            principal: Principal<'a>,
            #[serde(rename = "Action")]
            action: Action,
            #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
            condition: Option<Condition>,
        }
        let statement = if self.require_source_identity {
            Statement {
                effect: "Allow",
                principal: Principal {
                    aws: &self.principal,
                },
                action: Action::Several(["sts:AssumeRole", "sts:SetSourceIdentity"]),
                // `*` matches any value but fails when the caller sets none.
                condition: Some(Condition {
                    string_like: SourceIdentitySet {
                        source_identity: "*",
                    },
                }),
            }
        } else {
            Statement {
                effect: "Allow",
                principal: Principal {
                    aws: &self.principal,
                },
                action: Action::One("sts:AssumeRole"),
                condition: None,
            }
        };
        to_pretty_json(&Document {
            version: POLICY_VERSION,
            statement: [statement],
        })
    }
}

#[derive(Serialize)]
struct Document<S> {
    #[serde(rename = "Version")]
    version: &'static str,
    #[serde(rename = "Statement")]
    statement: [S; 1],
}

/// serde_json's pretty printer: 2-space indent, `"key": value`.
fn to_pretty_json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("a policy serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<RoleEntry> {
        crate::parse_config(text).roles
    }

    #[test]
    fn arns_keep_partition_and_path_sorted_once() {
        let entries = roles(
            "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/ops/B\n\
             [profile cn]\naws_account_id = 333333333333\nrole_name = /x/Ops\nregion = cn-north-1\n\
             [profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\n\
             [profile b2]\nrole_arn = arn:aws:iam::123456789012:role/ops/B\n",
        );
        let (policy, problems) = IdentityPolicy::for_roles(&entries);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            policy.resources,
            [
                "arn:aws-cn:iam::333333333333:role/x/Ops",
                "arn:aws:iam::123456789012:role/A",
                "arn:aws:iam::123456789012:role/ops/B",
            ]
        );
        assert_eq!(policy.partitions(), ["aws-cn", "aws"]);
    }

    #[test]
    fn an_alias_or_a_portal_entry_names_no_arn() {
        let entries = roles(
            "[profile alias]\naws_account_id = my-org\nrole_name = Admin\n\
             [profile portal]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 123456789012\nsso_role_name = ReadOnly\n",
        );
        let (policy, problems) = IdentityPolicy::for_roles(&entries);
        assert!(policy.resources.is_empty());
        assert_eq!(problems.len(), 2);
        assert_eq!(
            (problems[0].profile.as_str(), problems[0].line),
            ("alias", 1)
        );
        assert!(problems[0].message.contains("alias `my-org`"));
        assert!(problems[1].message.contains("IAM Identity Center"));
    }

    #[test]
    fn selection_by_name_once_each_or_every_switchable_role() {
        let entries = roles(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\n\
             [profile ext]\nrole_arn = arn:aws:iam::123456789012:role/E\nexternal_id = x\n\
             [profile cn]\nrole_arn = arn:aws-cn:iam::123456789012:role/C\n",
        );
        let profiles = |chosen: &[&RoleEntry]| -> Vec<String> {
            chosen.iter().map(|e| e.profile.to_string()).collect()
        };
        let (all, unknown) = select_roles::<&str>(&entries, &[]);
        assert_eq!(profiles(&all), ["a", "cn"]);
        assert!(unknown.is_empty());
        let (named, unknown) = select_roles(&entries, &["ext", "nope", "a", "ext"]);
        assert_eq!(profiles(&named), ["ext", "a"]);
        assert_eq!(unknown, ["nope"]);
        assert_eq!(trust_partition(&named), Ok(Partition::Aws));
        assert_eq!(
            trust_partition(&all),
            Err(vec![Partition::Aws, Partition::AwsCn])
        );
        assert_eq!(trust_partition(&[]), Ok(Partition::Aws));
    }

    #[test]
    fn identity_policy_json_is_the_documented_shape() {
        let policy = IdentityPolicy {
            resources: vec!["arn:aws:iam::123456789012:role/A".into()],
        };
        assert_eq!(
            policy.to_json(),
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": [
        "arn:aws:iam::123456789012:role/A"
      ]
    }
  ]
}"#
        );
    }

    #[test]
    fn trust_principals_and_source_identity() {
        assert_eq!(
            TrustPolicy::principal_arn("111122223333", Partition::AwsUsGov).unwrap(),
            "arn:aws-us-gov:iam::111122223333:root"
        );
        assert_eq!(
            TrustPolicy::principal_arn("arn:aws:iam::111122223333:user/alice", Partition::AwsCn)
                .unwrap(),
            "arn:aws:iam::111122223333:user/alice"
        );
        assert!(TrustPolicy::principal_arn("12345", Partition::Aws).is_err());
        assert!(TrustPolicy::principal_arn("arn:aws", Partition::Aws).is_err());
        let trust = TrustPolicy {
            principal: "arn:aws:iam::111122223333:root".into(),
            require_source_identity: true,
        };
        assert_eq!(
            trust.to_json(),
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
      },
      "Action": [
        "sts:AssumeRole",
        "sts:SetSourceIdentity"
      ],
      "Condition": {
        "StringLike": {
          "sts:SourceIdentity": "*"
        }
      }
    }
  ]
}"#
        );
        let plain = TrustPolicy {
            require_source_identity: false,
            ..trust
        };
        assert!(plain.to_json().contains("\"Action\": \"sts:AssumeRole\"\n"));
        assert!(!plain.to_json().contains("Condition"));
    }
}
