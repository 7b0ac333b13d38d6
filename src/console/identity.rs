//! Who a console tab is signed in as, from what the console page publishes: the
//! `ConsoleNavService.AccountInfo` fields its account menu is drawn from, and the `sessionARN`
//! of its `awsc-session-data` meta.
//!
//! - `loginDisplayNameAccount` / `loginDisplayNameUser`: the identity that signed in (the
//!   account as the menu shows it, `1111-2222-3333` or an alias, and the user, or the login role
//!   with its session: `Developer/alice@example.com`, `AWSReservedSSO_Admin_0a1b/alice`).
//! - `roleDisplayNameAccount` / `roleDisplayNameUser`: only while the tab is switched to a role.
//!   In multi-session mode they name the session's own identity, which AWS Extend Switch Roles
//!   takes as the signed-in one (its `CurrentContext`); we list that one's targets first too.
//! - `accountId`: what our fake console served before; kept, and preferred, when a page has it.
//! - `sessionARN`: `arn:aws:iam::ACCOUNT:root` for the root user, who cannot switch roles; it
//!   also names the account when the menu's fields are missing.
//!
//! Pure Rust: `extension/content/console-page.js` reads the fields, `src/web/` draws the result.

use crate::console::session::{permission_set, ConsolePage, SessionData};
use crate::popup::base_account::SignedIn;

/// What the principal in a `sessionARN` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `arn:aws:iam::ACCOUNT:root`.
    Root,
    /// `arn:aws:iam::ACCOUNT:user/[PATH/]NAME`.
    User(String),
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole { role: String, session: String },
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser(String),
}

/// A parsed `sessionARN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionArn {
    pub partition: String,
    pub account: String,
    pub principal: Principal,
}

/// Parses an IAM or STS principal ARN; `None` for anything else (a page may send any text).
pub fn parse_session_arn(arn: &str) -> Option<SessionArn> {
    let mut parts = arn.trim().splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let principal = match (service, resource.split_once('/')) {
        ("iam", None) if resource == "root" => Principal::Root,
        ("iam", Some(("user", path_name))) => Principal::User(
            path_name
                .rsplit('/')
                .next()
                .unwrap_or(path_name)
                .to_string(),
        ),
        ("sts", Some(("assumed-role", rest))) => {
            let (role, session) = rest.split_once('/')?;
            Principal::AssumedRole {
                role: role.to_string(),
                session: session.to_string(),
            }
        }
        ("sts", Some(("federated-user", name))) => Principal::FederatedUser(name.to_string()),
        _ => return None,
    };
    Some(SessionArn {
        partition: partition.to_string(),
        account: account.to_string(),
        principal,
    })
}

/// An account as the console names it: a 12-digit ID with the menu's dashes removed, else the
/// text (an alias), trimmed.
pub fn console_account(shown: &str) -> String {
    let shown = shown.trim();
    let digits: String = shown.chars().filter(|c| *c != '-').collect();
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
    } else {
        shown.to_string()
    }
}

/// Whether `account` is a 12-digit account ID (rather than an alias).
pub fn is_account_id(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

/// The role a console tab is switched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchedRole {
    /// Its account as the menu shows it (dashes removed): an ID or an alias.
    pub account: String,
    /// Its 12-digit account ID, when known (from the menu, or else the `sessionARN`).
    pub account_id: Option<String>,
    /// The role's name (without path: the console shows the last part).
    pub role: String,
}

/// Who a console tab is signed in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleIdentity {
    /// The account of the identity that signed in: an ID without dashes, or an alias.
    pub account: String,
    /// The user, or the login role (an IAM Identity Center role reduced to its permission set).
    pub login: String,
    /// Signed in as the account's root user, who cannot switch roles.
    pub root: bool,
    /// The role this tab is switched to, if any.
    pub switched: Option<SwitchedRole>,
    /// The console is in multi-session mode.
    pub multi_session: bool,
}

impl ConsoleIdentity {
    /// Who `page` says is signed in; `None` when nothing on it names an account.
    pub fn read(page: &ConsolePage) -> Option<ConsoleIdentity> {
        let session = SessionData::parse(&page.session_data).unwrap_or_default();
        let arn = parse_session_arn(&session.session_arn);
        let role_user = page.role_user.trim();
        let switched = (!role_user.is_empty()).then(|| {
            let account = console_account(&page.role_account);
            let from_arn = arn
                .as_ref()
                .filter(|a| matches!(a.principal, Principal::AssumedRole { .. }))
                .map(|a| a.account.clone());
            let account_id = if is_account_id(&account) {
                Some(account.clone())
            } else {
                from_arn
            };
            // `Role/session` in some shapes: the console's menu shows the role part.
            let role = role_user.split('/').next().unwrap_or(role_user).to_string();
            SwitchedRole {
                account: if account.is_empty() {
                    account_id.clone().unwrap_or_default()
                } else {
                    account
                },
                account_id,
                role,
            }
        });
        // The identity that signed in: `accountId` (our earlier fake), else the menu's account.
        let mut account = [&page.account_id, &page.login_account]
            .into_iter()
            .map(|a| console_account(a))
            .find(|a| !a.is_empty())
            .unwrap_or_default();
        let mut login_user = page.login_user.trim().to_string();
        // Without the menu's fields, the session's ARN names the identity, unless the tab is
        // switched (then it names the role).
        if let Some(arn) = arn.as_ref().filter(|_| switched.is_none()) {
            if account.is_empty() {
                account = arn.account.clone();
            }
            if login_user.is_empty() {
                login_user = match &arn.principal {
                    Principal::Root => String::new(),
                    Principal::User(name) | Principal::FederatedUser(name) => name.clone(),
                    Principal::AssumedRole { role, session } => format!("{}/{}", role, session),
                };
            }
        }
        if account.is_empty() {
            return None;
        }
        let role = login_user.split('/').next().unwrap_or("");
        let login = permission_set(role)
            .map(str::to_string)
            .unwrap_or_else(|| login_user.clone());
        Some(ConsoleIdentity {
            account,
            login,
            root: arn.is_some_and(|a| a.principal == Principal::Root),
            switched,
            multi_session: session.prism_mode_enabled,
        })
    }

    /// Whose targets the popup lists first: the identity that signed in; in multi-session
    /// mode, a session's role when the page names one (as AWS Extend Switch Roles does).
    pub fn signed_in(&self) -> SignedIn {
        match (&self.switched, self.multi_session) {
            (Some(role), true) => SignedIn::new(&role.account, &role.role),
            _ => SignedIn::new(&self.account, &self.login),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(info: &[(&str, &str)], arn: &str, prism: bool) -> ConsolePage {
        let get = |k: &str| {
            info.iter()
                .find(|(key, _)| *key == k)
                .map_or(String::new(), |(_, v)| v.to_string())
        };
        ConsolePage {
            url: "https://console.aws.amazon.com/".into(),
            session_data: serde_json::json!({
                "signInEndpoint": "signin.aws.amazon.com",
                "prismModeEnabled": prism,
                "sessionARN": arn,
            })
            .to_string(),
            csrf: "t".into(),
            account_id: get("accountId"),
            login_account: get("loginDisplayNameAccount"),
            login_user: get("loginDisplayNameUser"),
            role_account: get("roleDisplayNameAccount"),
            role_user: get("roleDisplayNameUser"),
        }
    }

    #[test]
    fn session_arns_of_each_principal() {
        let p = |arn: &str| parse_session_arn(arn).map(|a| (a.account, a.principal));
        assert_eq!(
            p("arn:aws:iam::111111111111:root"),
            Some(("111111111111".into(), Principal::Root))
        );
        assert_eq!(
            p("arn:aws:iam::111111111111:user/ops/alice"),
            Some(("111111111111".into(), Principal::User("alice".into())))
        );
        assert_eq!(
            p("arn:aws-cn:sts::222222222222:assumed-role/Dev/alice@example.com"),
            Some((
                "222222222222".into(),
                Principal::AssumedRole {
                    role: "Dev".into(),
                    session: "alice@example.com".into()
                }
            ))
        );
        assert_eq!(
            p("arn:aws:sts::111111111111:federated-user/bob"),
            Some((
                "111111111111".into(),
                Principal::FederatedUser("bob".into())
            ))
        );
        assert_eq!(p("arn:aws:iam::1111:root"), None);
        assert_eq!(p("arn:aws:s3:::bucket"), None);
        assert_eq!(p("arn:aws:iam::111111111111:rootx"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn login_display_name_with_dashes_and_no_account_id() {
        let who = ConsoleIdentity::read(&page(
            &[
                ("loginDisplayNameAccount", "1111-2222-3333"),
                ("loginDisplayNameUser", "alice"),
            ],
            "",
            false,
        ))
        .unwrap();
        assert_eq!(who.account, "111122223333");
        assert_eq!(who.login, "alice");
        assert!(!who.root && who.switched.is_none());
        assert_eq!(who.signed_in(), SignedIn::new("111122223333", "alice"));
    }

    #[test]
    fn an_alias_stays_an_alias_and_sso_roles_reduce() {
        let who = ConsoleIdentity::read(&page(
            &[
                ("loginDisplayNameAccount", " my-login "),
                (
                    "loginDisplayNameUser",
                    "AWSReservedSSO_Admin_Access_0a1b2c3d/alice",
                ),
            ],
            "",
            false,
        ))
        .unwrap();
        assert_eq!(who.account, "my-login");
        assert_eq!(who.login, "Admin_Access");
    }

    #[test]
    fn account_id_is_kept_and_preferred_when_present() {
        let who = ConsoleIdentity::read(&page(
            &[
                ("accountId", "444444444444"),
                ("loginDisplayNameAccount", "my-login"),
                ("loginDisplayNameUser", "alice"),
            ],
            "",
            false,
        ))
        .unwrap();
        assert_eq!(who.account, "444444444444");
        let who =
            ConsoleIdentity::read(&page(&[("accountId", "444444444444")], "", false)).unwrap();
        assert_eq!(who.account, "444444444444");
        assert_eq!(who.login, "");
    }

    #[test]
    fn no_fields_falls_back_to_the_session_arn_and_nothing_is_none() {
        let who = ConsoleIdentity::read(&page(&[], "arn:aws:iam::111111111111:user/alice", false))
            .unwrap();
        assert_eq!(
            (who.account.as_str(), who.login.as_str()),
            ("111111111111", "alice")
        );
        assert_eq!(ConsoleIdentity::read(&page(&[], "", false)), None);
        assert_eq!(ConsoleIdentity::read(&page(&[], "not an arn", false)), None);
    }

    #[test]
    fn switched_tabs_name_the_role_and_keep_the_original_identity() {
        let who = ConsoleIdentity::read(&page(
            &[
                ("loginDisplayNameAccount", "1111-1111-1111"),
                ("loginDisplayNameUser", "base-user"),
                ("roleDisplayNameAccount", "prod-alias"),
                ("roleDisplayNameUser", "Dev"),
            ],
            "arn:aws:sts::222222222222:assumed-role/Dev/base-user",
            false,
        ))
        .unwrap();
        assert_eq!(who.account, "111111111111");
        assert_eq!(who.login, "base-user");
        assert_eq!(
            who.switched,
            Some(SwitchedRole {
                account: "prod-alias".into(),
                account_id: Some("222222222222".into()),
                role: "Dev".into()
            })
        );
        // The original identity's targets are listed first.
        assert_eq!(who.signed_in(), SignedIn::new("111111111111", "base-user"));
        // Without the role fields the tab is not switched, whatever the ARN says (an SSO login
        // is an assumed role too).
        let sso = ConsoleIdentity::read(&page(
            &[
                ("loginDisplayNameAccount", "1111-1111-1111"),
                ("loginDisplayNameUser", "AWSReservedSSO_Admin_0a1b/alice"),
            ],
            "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/alice",
            false,
        ))
        .unwrap();
        assert_eq!(sso.switched, None);
        assert_eq!(sso.login, "Admin");
    }

    #[test]
    fn multi_session_lists_the_sessions_role_first() {
        let who = ConsoleIdentity::read(&page(
            &[
                ("loginDisplayNameAccount", "9999-9999-9999"),
                ("loginDisplayNameUser", "sso-user"),
                ("roleDisplayNameAccount", "1111-1111-1111"),
                ("roleDisplayNameUser", "base-user"),
            ],
            "",
            true,
        ))
        .unwrap();
        assert!(who.multi_session);
        assert_eq!(who.signed_in(), SignedIn::new("111111111111", "base-user"));
    }

    #[test]
    fn the_root_user_is_told_by_the_session_arn() {
        let root = |arn: &str| {
            ConsoleIdentity::read(&page(
                &[
                    ("loginDisplayNameAccount", "1111-1111-1111"),
                    ("loginDisplayNameUser", "Example Corp"),
                ],
                arn,
                false,
            ))
            .unwrap()
            .root
        };
        assert!(root("arn:aws:iam::111111111111:root"));
        assert!(!root("arn:aws:iam::111111111111:user/root"));
        assert!(!root(""));
    }
}
