//! AWS switch-role links → `[profile …]` text: the links administrators send
//! (`https://signin.aws.amazon.com/switchrole?account=…&roleName=…&displayName=…&color=…`)
//! become profiles the extension can read.
//!
//! Only the sign-in hosts of `aws`, `aws-cn` and `aws-us-gov` are accepted: a link to any
//! other host is rejected with the reason, never half-imported.

use crate::encode::parse_query;
use crate::roles::color::normalize_color;
use crate::roles::partition::Partition;

/// What converting pasted links produced: the profiles' text and, per rejected line, why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkImport {
    /// `[profile …]` sections, one per accepted link, each ending in a newline.
    pub text: String,
    pub profiles: usize,
    /// `(line, reason)` for each line that was not converted (1-based within the paste).
    pub rejected: Vec<(usize, String)>,
}

/// True when `text` is a paste of links rather than config text: every non-blank line is an
/// `http(s)://` URL. Config text never looks like that, so pasting a config is unaffected.
pub fn looks_like_links(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    lines.peek().is_some()
        && lines.all(|l| {
            let lower = l.to_ascii_lowercase();
            lower.starts_with("https://") || lower.starts_with("http://")
        })
}

/// Converts one link per line; blank lines are skipped. `taken` names profiles that already
/// exist, so a converted one never silently merges into them.
pub fn links_to_profiles(text: &str, taken: &[String]) -> LinkImport {
    let mut out = LinkImport::default();
    let mut names: Vec<String> = taken.to_vec();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match parse_link(line) {
            Ok(link) => {
                let name = unique_name(&link.profile_name(), &names);
                names.push(name.clone());
                out.text.push_str(&link.to_profile(&name));
                out.profiles += 1;
            }
            Err(reason) => out.rejected.push((index + 1, reason)),
        }
    }
    out
}

/// One parsed switch-role link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwitchLink {
    pub partition: Partition,
    /// A 12-digit account ID or an account alias.
    pub account: String,
    /// With its path, without a leading `/`.
    pub role_name: String,
    pub display_name: Option<String>,
    /// Six lower-case hex digits.
    pub color: Option<String>,
    /// From the `redirect_uri`'s `region=`, when it has one.
    pub region: Option<String>,
}

pub fn parse_link(link: &str) -> Result<SwitchLink, String> {
    let rest = link
        .strip_prefix("https://")
        .ok_or_else(|| format!("`{}` is not an https:// link", short(link)))?;
    let (authority, path_query) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = authority.to_ascii_lowercase();
    let host = host.strip_suffix(":443").unwrap_or(&host);
    let partition = Partition::ALL
        .into_iter()
        .find(|p| p.sign_in_host() == Some(host))
        .ok_or_else(|| {
            format!(
                "`{}` is not an AWS sign-in host; switch-role links are on signin.aws.amazon.com, signin.amazonaws.cn or signin.amazonaws-us-gov.com",
                short(host)
            )
        })?;
    let path_query = path_query.split('#').next().unwrap_or("");
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    if path.trim_end_matches('/') != "/switchrole" {
        return Err(format!(
            "`{}` is not the switch-role page (expected /switchrole)",
            short(path)
        ));
    }
    let params = parse_query(query);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let account = get("account").ok_or("the link has no `account=`")?;
    let role_name = get("roleName").ok_or("the link has no `roleName=`")?;
    let role_name = role_name.trim_start_matches('/').to_string();
    if account.contains(char::is_whitespace) || role_name.contains(char::is_whitespace) {
        return Err("the account or role name contains spaces".to_string());
    }
    if let Some((_, message, _)) = crate::roles::validation::account_problem(&account) {
        return Err(message);
    }
    let region = get("redirect_uri").and_then(|uri| {
        let query = uri.split_once('?')?.1;
        parse_query(query)
            .into_iter()
            .find(|(k, _)| k == "region")
            .map(|(_, v)| v)
            .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    });
    Ok(SwitchLink {
        partition,
        account,
        role_name,
        display_name: get("displayName"),
        color: get("color").and_then(|c| normalize_color(&c)),
        region,
    })
}

impl SwitchLink {
    /// The display name, or `ACCOUNT-ROLE` (the role's path included), reduced to letters,
    /// digits and `- _ . @ +`: names every SDK and our reader accept, and that need no quoting
    /// in a shell (`--profile`). `/` and `:` (which the SDKs allow) become `-`: a path in a
    /// profile name reads like a file path to tools that name files after profiles.
    pub fn profile_name(&self) -> String {
        fn sanitize(raw: &str) -> String {
            let name: String = raw
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            name.trim_matches('-').to_string()
        }
        let from_display = self
            .display_name
            .as_deref()
            .map(sanitize)
            .unwrap_or_default();
        // A display name in another script leaves only dashes: name it by account and role.
        let name = if from_display.is_empty() {
            sanitize(&format!("{}-{}", self.account, self.role_name))
        } else {
            from_display
        };
        if name.is_empty() {
            "switch-role".to_string()
        } else {
            name
        }
    }

    pub fn to_profile(&self, name: &str) -> String {
        let mut out = format!("[profile {}]\n", name);
        if self.account.len() == 12 && self.account.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!(
                "role_arn = arn:{}:iam::{}:role/{}\n",
                self.partition.id(),
                self.account,
                self.role_name
            ));
        } else {
            // An alias cannot go in an ARN; the extension dialect names it this way.
            out.push_str(&format!("aws_account_id = {}\n", self.account));
            out.push_str(&format!("role_name = {}\n", self.role_name));
        }
        if let Some(region) = &self.region {
            out.push_str(&format!("region = {}\n", region));
        }
        if let Some(color) = &self.color {
            out.push_str(&format!("color = {}\n", color));
        }
        out
    }
}

fn unique_name(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{}-{}", base, n))
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .expect("an unused name exists")
}

/// Quoted link text in messages: at most 80 characters.
fn short(text: &str) -> String {
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_stay_readable_by_the_sdks() {
        let link = parse_link("https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=Admin&displayName=%E7%94%9F%E4%BA%A7").unwrap();
        assert_eq!(link.profile_name(), "123456789012-Admin");
        let parsed = crate::parse_config(&link.to_profile(&link.profile_name()));
        assert_eq!(parsed.roles.len(), 1);
        let err = parse_link(
            "https://signin.aws.amazon.com/switchrole?account=123s%3A%2F%2Fx&roleName=Admin",
        )
        .unwrap_err();
        assert!(err.contains("neither a 12-digit account ID nor"), "{err}");
    }

    #[test]
    fn converts_a_commercial_link_with_colour_and_display_name() {
        let import = links_to_profiles(
            "https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=ops%2FAdmin&displayName=Prod%20admin&color=FF0000\n",
            &[],
        );
        assert_eq!(import.profiles, 1);
        assert!(import.rejected.is_empty());
        assert_eq!(
            import.text,
            "[profile Prod-admin]\nrole_arn = arn:aws:iam::123456789012:role/ops/Admin\ncolor = ff0000\n"
        );
        let parsed = crate::parse_config(&import.text);
        assert_eq!(parsed.roles.len(), 1);
        assert!(parsed.roles[0].switchable, "{:?}", parsed.roles[0]);
    }

    #[test]
    fn china_and_govcloud_hosts_give_their_partitions() {
        let import = links_to_profiles(
            "https://signin.amazonaws.cn/switchrole?account=210987654321&roleName=Ops\n\n\
             https://signin.amazonaws-us-gov.com/switchrole?roleName=Audit&account=345678901234&displayName=gov",
            &[],
        );
        assert_eq!(import.profiles, 2, "{:?}", import.rejected);
        assert!(import.text.contains(
            "[profile 210987654321-Ops]\nrole_arn = arn:aws-cn:iam::210987654321:role/Ops\n"
        ));
        assert!(import
            .text
            .contains("[profile gov]\nrole_arn = arn:aws-us-gov:iam::345678901234:role/Audit\n"));
    }

    #[test]
    fn rejects_other_hosts_with_the_reason() {
        let import = links_to_profiles(
            "https://signin.aws.amazon.com.evil.example/switchrole?account=123456789012&roleName=A\n\
             http://signin.aws.amazon.com/switchrole?account=123456789012&roleName=A\n\
             https://signin.aws.amazon.com/console?account=123456789012&roleName=A\n\
             https://signin.aws.amazon.com/switchrole?account=123456789012",
            &[],
        );
        assert_eq!(import.profiles, 0);
        let reasons: Vec<_> = import
            .rejected
            .iter()
            .map(|(l, r)| (*l, r.as_str()))
            .collect();
        assert_eq!(reasons.len(), 4);
        assert!(
            reasons[0].1.contains("is not an AWS sign-in host"),
            "{}",
            reasons[0].1
        );
        assert!(reasons[1].1.contains("https://"));
        assert!(reasons[2].1.contains("/switchrole"));
        assert!(reasons[3].1.contains("roleName"));
        assert_eq!(reasons[3].0, 4);
    }

    #[test]
    fn alias_region_and_duplicate_names() {
        let link = "https://signin.aws.amazon.com/switchrole?account=my-alias&roleName=Dev&displayName=dev&redirect_uri=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1";
        let import = links_to_profiles(&format!("{}\n{}\n", link, link), &["dev".to_string()]);
        assert_eq!(
            import.text,
            "[profile dev-2]\naws_account_id = my-alias\nrole_name = Dev\nregion = eu-west-1\n\
             [profile dev-3]\naws_account_id = my-alias\nrole_name = Dev\nregion = eu-west-1\n"
        );
    }

    #[test]
    fn header_injection_is_neutralised() {
        let import = links_to_profiles(
            "https://signin.aws.amazon.com/switchrole?account=123456789012&roleName=A&displayName=x%5D%0A%5Bprofile%20evil",
            &[],
        );
        assert_eq!(import.profiles, 1);
        assert_eq!(crate::parse_config(&import.text).roles.len(), 1);
        assert!(import.text.starts_with("[profile x---profile-evil]\n"));
    }

    /// A role with a path and no `displayName` used to become `[profile 210987654321-ops/Deploy]`:
    /// a `/` in a profile name surprises shells, `--profile` completions and file-based tools.
    #[test]
    fn a_role_path_makes_a_plain_unique_profile_name() {
        let import = links_to_profiles(
            "https://signin.aws.amazon.com/switchrole?account=210987654321&roleName=ops%2FDeploy\n\
             https://signin.aws.amazon.com/switchrole?account=210987654321&roleName=ops-Deploy\n\
             https://signin.aws.amazon.com/switchrole?account=210987654321&roleName=Deploy&displayName=team%3Aops%2Fdeploy",
            &[],
        );
        assert_eq!(import.profiles, 3, "{:?}", import.rejected);
        let names: Vec<&str> = import
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("[profile ")?.strip_suffix(']'))
            .collect();
        assert_eq!(
            names,
            [
                "210987654321-ops-Deploy",
                "210987654321-ops-Deploy-2",
                "team-ops-deploy"
            ]
        );
        let parsed = crate::parse_config(&import.text);
        let profiles: Vec<&str> = parsed.roles.iter().map(|r| r.profile.as_str()).collect();
        assert_eq!(profiles, names, "{:?}", parsed.diagnostics);
        assert_eq!(parsed.roles[0].role_name, "ops/Deploy");
    }

    #[test]
    fn detects_a_paste_of_links() {
        assert!(looks_like_links(
            "https://signin.aws.amazon.com/switchrole?a=1\n\n"
        ));
        assert!(!looks_like_links("[profile a]\nhttps://x"));
        assert!(!looks_like_links("  \n"));
    }
}
