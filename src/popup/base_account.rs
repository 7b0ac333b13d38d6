//! Base accounts and "who is signed in": which targets belong to the account the console tab
//! is signed in to, following AWS Extend Switch Roles' semantics.
//!
//! A *base account* is a profile named by another's `source_profile`. It names the account
//! the user signs in to with `aws_account_id` or `aws_account_alias`, plus `role_name` when the
//! user signs in through a role (federation, SSO). When the console says the user is signed in
//! to that account (and role, when the base names one), the base's targets come first.

use crate::config::ConfigFile;
use crate::roles::entry::RoleEntry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseAccount {
    pub profile: String,
    pub account_id: Option<String>,
    pub account_alias: Option<String>,
    pub role_name: Option<String>,
}

/// Who the console says is signed in: an account ID (dashes allowed, as the console shows
/// it) or alias, and the role (or user) name when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub account: String,
    pub role: Option<String>,
}

impl SignedIn {
    pub fn new(account: &str, role: &str) -> SignedIn {
        let account = account.trim();
        // The console shows IDs as `1234-5678-9012`.
        let account = if account.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            account.replace('-', "")
        } else {
            account.to_string()
        };
        let role = role.trim();
        SignedIn {
            account,
            role: (!role.is_empty()).then(|| role.to_string()),
        }
    }
}

impl BaseAccount {
    /// Whether the user signed in as `who` is signed in to this base account.
    pub fn matches(&self, who: &SignedIn) -> bool {
        let account = self.account_id.as_deref() == Some(who.account.as_str())
            || self
                .account_alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&who.account));
        if !account {
            return false;
        }
        match (&self.role_name, &who.role) {
            (None, _) => true,
            // A federated session reads `Role/session`: only the role part counts.
            (Some(want), Some(role)) => role.split('/').next() == Some(want.as_str()),
            (Some(_), None) => false,
        }
    }
}

/// Every base account of `config`, in file order.
pub fn base_accounts(config: &ConfigFile) -> Vec<BaseAccount> {
    let named: std::collections::HashSet<&str> = config
        .profiles
        .list
        .iter()
        .filter_map(|p| p.get("source_profile"))
        .collect();
    config
        .profiles
        .list
        .iter()
        .filter(|p| named.contains(p.name))
        .map(|p| BaseAccount {
            profile: p.name.to_string(),
            account_id: p.get("aws_account_id").map(str::to_string),
            account_alias: p.get("aws_account_alias").map(str::to_string),
            role_name: p.get("role_name").map(str::to_string),
        })
        .collect()
}

/// For each entry, whether it is a target of a base account `who` is signed in to.
pub fn signed_in_targets(
    entries: &[RoleEntry],
    bases: &[BaseAccount],
    who: &SignedIn,
) -> Vec<bool> {
    let matching: Vec<&str> = bases
        .iter()
        .filter(|b| b.matches(who))
        .map(|b| b.profile.as_str())
        .collect();
    entries
        .iter()
        .map(|e| {
            e.base_profile
                .as_deref()
                .is_some_and(|b| matching.contains(&b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::resolve;
    use crate::config::read_config_files;

    const CONFIG: &str = "[profile org]\naws_account_id = 111111111111\n\
        [profile org-admin]\nsource_profile = org\nrole_arn = arn:aws:iam::222222222222:role/Admin\n\
        [profile fed]\naws_account_alias = my-login\nrole_name = Developer\n\
        [profile fed-dev]\nsource_profile = fed\nrole_arn = arn:aws:iam::333333333333:role/Dev\n\
        [profile plain]\nrole_arn = arn:aws:iam::444444444444:role/Ops\n";

    fn targets(account: &str, role: &str) -> Vec<String> {
        let config = read_config_files(CONFIG, None);
        let bases = base_accounts(&config);
        let entries = resolve(config).roles;
        let who = SignedIn::new(account, role);
        signed_in_targets(&entries, &bases, &who)
            .into_iter()
            .zip(&entries)
            .filter(|(m, _)| *m)
            .map(|(_, e)| e.profile.to_string())
            .collect()
    }

    #[test]
    fn bases_are_the_profiles_named_by_source_profile() {
        let config = read_config_files(CONFIG, None);
        let bases = base_accounts(&config);
        assert_eq!(bases.len(), 2);
        assert_eq!(bases[0].account_id.as_deref(), Some("111111111111"));
        assert_eq!(bases[1].account_alias.as_deref(), Some("my-login"));
        assert_eq!(bases[1].role_name.as_deref(), Some("Developer"));
    }

    #[test]
    fn an_account_id_matches_with_or_without_dashes() {
        assert_eq!(targets("1111-1111-1111", "alice"), ["org-admin"]);
        assert_eq!(targets("111111111111", ""), ["org-admin"]);
        assert!(targets("999999999999", "").is_empty());
    }

    #[test]
    fn a_base_with_role_name_needs_that_role() {
        assert_eq!(
            targets("my-login", "Developer/alice@example.com"),
            ["fed-dev"]
        );
        assert_eq!(targets("MY-LOGIN", "Developer"), ["fed-dev"]);
        assert!(targets("my-login", "Admin/alice").is_empty());
        assert!(targets("my-login", "").is_empty());
    }
}
