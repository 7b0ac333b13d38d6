//! One-click switching from an AWS Management Console tab: what the console page tells us
//! (its `awsc-session-data` meta, csrf token and signed-in identity) and the request that
//! switches it to a role, either the sign-in host's `/switchrole` form POST or, in the
//! console's multi-session mode, its JSON endpoint.
//!
//! Pure Rust: `src/web/switch.rs` reads the page and sends what is built here.
//!
//! Architecture Invariant: every request target built here is on a sign-in host (or one of
//! its regional subdomains) of `aws`, `aws-cn` or `aws-us-gov`, and every `redirect_uri` is a
//! console URL of the same partition. A page that names another host gets no request.

use serde::{Deserialize, Serialize};

use crate::roles::color::console_color;
use crate::roles::entry::{EntryKind, RoleEntry};
use crate::roles::partition::Partition;
use crate::roles::switch_url::display_name;

/// The `awsc-session-data` meta of a console page (only the fields switching needs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionData {
    pub sign_in_endpoint: String,
    pub prism_mode_enabled: bool,
    pub session_differentiator: String,
    pub infrastructure_region: String,
    /// The session's principal: `arn:aws:iam::ACCOUNT:root`, `…:user/NAME`,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (read by other extensions, e.g.
    /// massongit/aws-management-console-colorize; see `crate::console::identity`).
    #[serde(rename = "sessionARN", alias = "sessionArn")]
    pub session_arn: String,
}

impl SessionData {
    /// Parses the meta's JSON; `None` when it is not a JSON object.
    pub fn parse(json: &str) -> Option<SessionData> {
        serde_json::from_str(json).ok()
    }
}

/// What the console page says about itself, as read from its main world.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsolePage {
    /// `location.href`.
    pub url: String,
    /// The `awsc-session-data` meta's `content`, JSON text.
    pub session_data: String,
    /// `AWSC.Auth.getMbtc()`, empty when the page has none.
    pub csrf: String,
    /// `ConsoleNavService.AccountInfo.accountId`: our fake console's field, kept when present.
    pub account_id: String,
    /// `AccountInfo.loginDisplayNameAccount`: the account signed in to, as the console's menu
    /// shows it (`1111-2222-3333`, or an alias).
    pub login_account: String,
    /// `AccountInfo.loginDisplayNameUser` (`alice`, `AWSReservedSSO_Admin_0a1b/alice`).
    pub login_user: String,
    /// `AccountInfo.roleDisplayNameAccount`: while switched to a role, its account.
    pub role_account: String,
    /// `AccountInfo.roleDisplayNameUser`: while switched to a role, its name.
    pub role_user: String,
}

/// `AWSReservedSSO_<permission set>_<hash>` → `<permission set>`; `None` for any other role.
/// Permission-set names may themselves contain `_`, so only the last segment is the hash.
pub fn permission_set(role_name: &str) -> Option<&str> {
    let rest = role_name.strip_prefix("AWSReservedSSO_")?;
    let (set, hash) = rest.rsplit_once('_')?;
    (!set.is_empty() && !hash.is_empty()).then_some(set)
}

/// The partition whose console serves `url` (`https://[<sub>.]console.aws.amazon.com/…`).
pub fn console_partition(url: &str) -> Option<Partition> {
    let host = https_host(url)?;
    Partition::ALL.into_iter().find(|p| {
        p.console_domain()
            .is_some_and(|d| host == d || host.strip_suffix(d).is_some_and(|s| s.ends_with('.')))
    })
}

/// The host of an `https://` URL, lower-cased, without port or credentials; `None` otherwise.
fn https_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let host = authority.split(':').next()?.to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then_some(host)
}

/// Whether `url` is AWS's switch-role page on a sign-in host (or a regional sign-in
/// subdomain) of `aws`, `aws-cn` or `aws-us-gov`.
pub fn is_switch_role_page(url: &str) -> bool {
    let Some(host) = https_host(url) else {
        return false;
    };
    let rest = &url["https://".len()..];
    let path = rest.find(['/', '?', '#']).map(|i| &rest[i..]).unwrap_or("");
    let on_sign_in_host = Partition::ALL.into_iter().any(|p| {
        let session = SessionData {
            sign_in_endpoint: host.clone(),
            ..Default::default()
        };
        sign_in_endpoint(&session, p).is_some()
    });
    on_sign_in_host
        && (path == "/switchrole"
            || path.starts_with("/switchrole?")
            || path.starts_with("/switchrole#"))
}

/// `signInEndpoint` when it is a sign-in host of `partition` (or one of its regional
/// subdomains, `us-east-1.signin.aws.amazon.com`); a page naming any other host is ignored.
pub fn sign_in_endpoint(session: &SessionData, partition: Partition) -> Option<String> {
    let base = partition.sign_in_host()?;
    let host = session.sign_in_endpoint.trim().to_ascii_lowercase();
    let sub = host.strip_suffix(base)?;
    let ok = sub.is_empty()
        || sub.strip_suffix('.').is_some_and(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    ok.then_some(host)
}

/// The console URL to land on after the switch: the current console URL, with the region
/// switched to `region` (when there is one) both in its `region=` parameter and in its
/// regional subdomain. A service subdomain (`s3.console…`) keeps its host.
pub fn redirect_uri(current: &str, partition: Partition, region: Option<&str>) -> String {
    let Some(region) = region else {
        return current.to_string();
    };
    let (Some(domain), Some(host)) = (partition.console_domain(), https_host(current)) else {
        return current.to_string();
    };
    let rest = &current["https://".len()..];
    let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(path_start);
    let port = authority.find(':').map(|i| &authority[i..]).unwrap_or("");
    let sub = host
        .strip_suffix(domain)
        .unwrap_or("")
        .trim_end_matches('.');
    let new_host = if sub.is_empty() || Partition::of_region(sub).is_some() {
        format!("{}.{}", region, domain)
    } else {
        host.clone()
    };
    // Split the tail into path, query and fragment, then set `region=` in the query.
    let (before_hash, hash) = match tail.find('#') {
        Some(i) => tail.split_at(i),
        None => (tail, ""),
    };
    let (path, query) = match before_hash.find('?') {
        Some(i) => (&before_hash[..i], &before_hash[i + 1..]),
        None => (before_hash, ""),
    };
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p == "region" || p.starts_with("region=") {
                format!("region={}", region)
            } else {
                p.to_string()
            }
        })
        .collect();
    if !params.iter().any(|p| p.starts_with("region=")) {
        params.push(format!("region={}", region));
    }
    let path = if path.is_empty() { "/" } else { path };
    format!(
        "https://{}{}{}?{}{}",
        new_host,
        port,
        path,
        params.join("&"),
        hash
    )
}

/// How a console tab switches to an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleSwitch {
    /// POST these form fields to `url` (the sign-in host's `/switchrole`), from the tab.
    Form {
        url: String,
        fields: Vec<(String, String)>,
    },
    /// Multi-session mode: POST this JSON to `url` with `X-CSRF-PROTECTION: 1` and credentials,
    /// then open the returned `destination`.
    MultiSession { url: String, body: String },
}

/// Why a console tab cannot switch in place (the caller then opens the prefilled URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoConsoleSwitch {
    NotARole,
    NotAConsolePage,
    OtherPartition,
    NoSessionData,
    UnknownSignInEndpoint,
    NoCsrfToken,
    NoSessionDifferentiator,
}

/// The JSON body of the multi-session switch.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MultiSessionBody<'a> {
    account: &'a str,
    role_name: &'a str,
    display_name: &'a str,
    color: &'a str,
    redirect_uri: &'a str,
}

/// The request that switches the console tab `page` to `entry`, or why there is none.
pub fn console_switch(
    page: &ConsolePage,
    entry: &RoleEntry,
) -> Result<ConsoleSwitch, NoConsoleSwitch> {
    if entry.kind != EntryKind::Role || !entry.switchable {
        return Err(NoConsoleSwitch::NotARole);
    }
    let partition = console_partition(&page.url).ok_or(NoConsoleSwitch::NotAConsolePage)?;
    if Partition::from_id(&entry.partition) != Some(partition) {
        return Err(NoConsoleSwitch::OtherPartition);
    }
    let session = SessionData::parse(&page.session_data).ok_or(NoConsoleSwitch::NoSessionData)?;
    let endpoint =
        sign_in_endpoint(&session, partition).ok_or(NoConsoleSwitch::UnknownSignInEndpoint)?;
    let display = display_name(&entry.profile, &entry.account);
    // The same colour as the prefilled link's (see `console_color`), or none.
    let color = console_color(entry.color.as_deref()).unwrap_or("");
    let redirect = redirect_uri(&page.url, partition, entry.region.as_deref());
    if session.prism_mode_enabled {
        let differentiator = session.session_differentiator.trim();
        let valid = !differentiator.is_empty()
            && differentiator
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(NoConsoleSwitch::NoSessionDifferentiator);
        }
        // This session's pages are served under `<differentiator>.<host>`; the new session
        // gets its own, so the redirect names the console without this one's label (as AWS
        // Extend Switch Roles sends it: extension/js/content.js, `doSwitch`).
        let own_label = format!("https://{}.", differentiator);
        let redirect = match page.url.strip_prefix(&own_label) {
            Some(rest) => redirect_uri(
                &format!("https://{}", rest),
                partition,
                entry.region.as_deref(),
            ),
            None => redirect,
        };
        let body = MultiSessionBody {
            account: &entry.account,
            role_name: &entry.role_name,
            display_name: &display,
            color,
            redirect_uri: &redirect,
        };
        return Ok(ConsoleSwitch::MultiSession {
            url: format!(
                "https://{}/sessions/{}/v1/switchrole",
                endpoint, differentiator
            ),
            body: serde_json::to_string(&body).unwrap_or_default(),
        });
    }
    if page.csrf.trim().is_empty() {
        return Err(NoConsoleSwitch::NoCsrfToken);
    }
    let fields = [
        ("action", "switchFromBasis"),
        ("src", "nav"),
        ("mfaNeeded", "0"),
        ("csrf", page.csrf.trim()),
        ("account", &entry.account),
        ("roleName", &entry.role_name),
        ("displayName", &display),
        ("color", color),
        ("redirect_uri", &redirect),
    ];
    Ok(ConsoleSwitch::Form {
        url: format!("https://{}/switchrole", endpoint),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

/// Why a console tab gets no "Switch back" request from the extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSwitchBack {
    /// The page names no role it is switched to.
    NotSwitched,
    /// Multi-session mode: each session is its own; the console's menu manages them.
    MultiSession,
    NotAConsolePage,
    NoSessionData,
    UnknownSignInEndpoint,
    NoCsrfToken,
}

/// The console's own "Switch back" (to the identity that signed in; "your user permissions are
/// automatically restored"): its navigation bar POSTs `action=switchToBasis`, `src=nav`, the
/// page's `csrf` and `redirect_uri` to the sign-in host's `/switchrole`, as public code that
/// drives it shows (see `tests/fake-aws/server.mjs`). The tab lands back on the page it was on.
pub fn switch_back(page: &ConsolePage) -> Result<ConsoleSwitch, NoSwitchBack> {
    if page.role_user.trim().is_empty() {
        return Err(NoSwitchBack::NotSwitched);
    }
    let partition = console_partition(&page.url).ok_or(NoSwitchBack::NotAConsolePage)?;
    let session = SessionData::parse(&page.session_data).ok_or(NoSwitchBack::NoSessionData)?;
    if session.prism_mode_enabled {
        return Err(NoSwitchBack::MultiSession);
    }
    let endpoint =
        sign_in_endpoint(&session, partition).ok_or(NoSwitchBack::UnknownSignInEndpoint)?;
    let csrf = page.csrf.trim();
    if csrf.is_empty() {
        return Err(NoSwitchBack::NoCsrfToken);
    }
    let fields = [
        ("action", "switchToBasis"),
        ("src", "nav"),
        ("csrf", csrf),
        ("redirect_uri", page.url.as_str()),
    ];
    Ok(ConsoleSwitch::Form {
        url: format!("https://{}/switchrole", endpoint),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

/// A multi-session answer's `destination`, when it is a console URL of `partition`. An empty
/// destination means the signed-in identity may not switch to that role.
pub fn multi_session_destination(response_json: &str, partition: Partition) -> Option<String> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(default)]
        destination: String,
    }
    let answer: Answer = serde_json::from_str(response_json).ok()?;
    (console_partition(&answer.destination) == Some(partition)).then_some(answer.destination)
}

/// Whether AWS's prefilled switch-role form shows the account and role the extension asked
/// for. Account IDs may be shown with dashes; role names compare exactly, with or without a
/// leading `/`.
pub fn form_shows(expected_account: &str, expected_role: &str, account: &str, role: &str) -> bool {
    let account: String = account.trim().chars().filter(|c| *c != '-').collect();
    let expected: String = expected_account.chars().filter(|c| *c != '-').collect();
    !expected.is_empty()
        && account.eq_ignore_ascii_case(&expected)
        && role.trim().trim_start_matches('/') == expected_role.trim_start_matches('/')
}

/// The `chrome.storage.session` key of a one-time offer to press "Switch Role" on AWS's form
/// for this account and role. Keyed by what the form shows (not by tab or URL), so the offer
/// can be stored before the tab exists and still match if AWS's page redirects.
pub fn form_offer_key(account: &str, role: &str) -> String {
    let account: String = account
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    format!(
        "switchForm:{}/{}",
        account,
        role.trim().trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_keys_match_what_the_form_shows() {
        assert_eq!(
            form_offer_key("123456789012", "ops/Admin"),
            form_offer_key("1234-5678-9012", "/ops/Admin")
        );
        assert_ne!(
            form_offer_key("123456789012", "Admin"),
            form_offer_key("123456789013", "Admin")
        );
        assert_ne!(
            form_offer_key("123456789012", "Admin"),
            form_offer_key("123456789012", "admin2")
        );
    }

    fn entry(profile: &str, partition: &str, region: Option<&str>) -> RoleEntry {
        let text = format!(
            "[profile {}]\nrole_arn = arn:{}:iam::123456789012:role/ops/Admin\n{}",
            profile,
            partition,
            region
                .map(|r| format!("region = {}\n", r))
                .unwrap_or_default()
        );
        let mut roles = crate::parse_config(&text).roles;
        assert_eq!(roles.len(), 1, "{:?}", roles);
        roles.remove(0)
    }

    fn page(url: &str, meta: &str, csrf: &str) -> ConsolePage {
        ConsolePage {
            url: url.into(),
            session_data: meta.into(),
            csrf: csrf.into(),
            account_id: "111111111111".into(),
            login_user: "AWSReservedSSO_Admin_Access_0a1b2c3d4e5f/alice".into(),
            ..Default::default()
        }
    }

    const META: &str = r#"{"signInEndpoint":"signin.aws.amazon.com","prismModeEnabled":false,"sessionDifferentiator":"abc123","infrastructureRegion":"us-east-1","extra":1}"#;

    #[test]
    fn sso_roles_reduce_to_their_permission_set() {
        assert_eq!(
            permission_set("AWSReservedSSO_AdministratorAccess_0123456789abcdef"),
            Some("AdministratorAccess")
        );
        assert_eq!(
            permission_set("AWSReservedSSO_Read_Only_0a1b"),
            Some("Read_Only")
        );
        assert_eq!(permission_set("Admin"), None);
        let identity = crate::console::identity::ConsoleIdentity::read(&page(
            "https://console.aws.amazon.com/",
            META,
            "t",
        ))
        .unwrap();
        assert_eq!(identity.login, "Admin_Access");
        assert_eq!(identity.account, "111111111111");
    }

    #[test]
    fn console_urls_are_recognised_by_partition() {
        let p = console_partition;
        assert_eq!(
            p("https://console.aws.amazon.com/console/home"),
            Some(Partition::Aws)
        );
        assert_eq!(
            p("https://eu-west-1.console.aws.amazon.com/ec2"),
            Some(Partition::Aws)
        );
        assert_eq!(p("https://console.amazonaws.cn/"), Some(Partition::AwsCn));
        assert_eq!(
            p("https://console.amazonaws-us-gov.com:8443/x"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(p("https://evilconsole.aws.amazon.com/"), None);
        assert_eq!(p("https://console.aws.amazon.com.evil.test/"), None);
        assert_eq!(p("https://x@console.aws.amazon.com/"), None);
        assert_eq!(p("http://console.aws.amazon.com/"), None);
        assert_eq!(p("https://example.test/"), None);
    }

    #[test]
    fn redirect_switches_region_in_subdomain_and_parameter() {
        let aws = Partition::Aws;
        assert_eq!(
            redirect_uri(
                "https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#Instances:",
                aws,
                Some("eu-west-1")
            ),
            "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:"
        );
        assert_eq!(
            redirect_uri(
                "https://console.aws.amazon.com/console/home",
                aws,
                Some("eu-west-1")
            ),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            redirect_uri(
                "https://s3.console.aws.amazon.com/s3/buckets?a=1&region=us-east-1",
                aws,
                Some("eu-west-1")
            ),
            "https://s3.console.aws.amazon.com/s3/buckets?a=1&region=eu-west-1"
        );
        let same = "https://console.aws.amazon.com/console/home?region=us-east-1";
        assert_eq!(redirect_uri(same, aws, None), same);
    }

    #[test]
    fn sign_in_endpoint_must_be_the_partitions_sign_in_host() {
        let s = |host: &str| SessionData {
            sign_in_endpoint: host.into(),
            ..Default::default()
        };
        let aws = Partition::Aws;
        assert_eq!(
            sign_in_endpoint(&s("signin.aws.amazon.com"), aws).as_deref(),
            Some("signin.aws.amazon.com")
        );
        assert_eq!(
            sign_in_endpoint(&s("us-east-1.signin.aws.amazon.com"), aws).as_deref(),
            Some("us-east-1.signin.aws.amazon.com")
        );
        assert_eq!(sign_in_endpoint(&s("evilsignin.aws.amazon.com"), aws), None);
        assert_eq!(sign_in_endpoint(&s("a/b.signin.aws.amazon.com"), aws), None);
        assert_eq!(sign_in_endpoint(&s("signin.amazonaws.cn"), aws), None);
        assert_eq!(sign_in_endpoint(&s("example.test"), aws), None);
    }

    #[test]
    fn console_tab_switches_with_the_exact_form_fields() {
        let e = entry("prod", "aws", Some("eu-west-1"));
        let p = page(
            "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1",
            META,
            "tok",
        );
        let ConsoleSwitch::Form { url, fields } = console_switch(&p, &e).unwrap() else {
            panic!("expected a form")
        };
        assert_eq!(url, "https://signin.aws.amazon.com/switchrole");
        let expected: Vec<(String, String)> = [
            ("action", "switchFromBasis"),
            ("src", "nav"),
            ("mfaNeeded", "0"),
            ("csrf", "tok"),
            ("account", "123456789012"),
            ("roleName", "ops/Admin"),
            ("displayName", "prod"),
            ("color", ""),
            (
                "redirect_uri",
                "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
            ),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(fields, expected);
    }

    /// The colour the console shows for a role is the same whether the popup POSTs the switch
    /// from a console tab or opens the prefilled link: the nearest of AWS's five link colours,
    /// or none when the profile sets none.
    #[test]
    fn one_colour_whatever_the_route() {
        let p = page("https://console.aws.amazon.com/", META, "tok");
        let prism = META.replace("\"prismModeEnabled\":false", "\"prismModeEnabled\":true");
        let multi = page("https://console.aws.amazon.com/", &prism, "");
        for (config, expected) in [
            ("color = ff0000\n", Some("f2b0a9")),
            ("color = mediumseagreen\n", Some("b7ca9d")),
            ("color = 83d4e8\n", Some("83d4e8")),
            ("", None),
        ] {
            let text =
                format!("[profile p]\nrole_arn = arn:aws:iam::123456789012:role/R\n{config}");
            let e = crate::parse_config(&text).roles.remove(0);
            let link = e.link().unwrap();
            let in_link = link.split_once("&color=").map(|(_, c)| c);
            assert_eq!(in_link, expected, "{link}");
            let ConsoleSwitch::Form { fields, .. } = console_switch(&p, &e).unwrap() else {
                panic!()
            };
            let posted = &fields.iter().find(|(k, _)| k == "color").unwrap().1;
            assert_eq!(posted, expected.unwrap_or(""), "{config}");
            let ConsoleSwitch::MultiSession { body, .. } = console_switch(&multi, &e).unwrap()
            else {
                panic!()
            };
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["color"], expected.unwrap_or(""), "{config}");
        }
    }

    #[test]
    fn long_profile_names_fit_the_64_character_display_name() {
        let e = entry(&"p".repeat(70), "aws", None);
        let p = page("https://console.aws.amazon.com/", META, "tok");
        let ConsoleSwitch::Form { fields, .. } = console_switch(&p, &e).unwrap() else {
            panic!()
        };
        let shown = &fields.iter().find(|(k, _)| k == "displayName").unwrap().1;
        assert_eq!(shown.chars().count(), 64);
        assert!(shown.ends_with("@123456789012"));
    }

    #[test]
    fn no_csrf_token_or_other_partition_falls_back() {
        let p = page("https://console.aws.amazon.com/", META, " ");
        assert_eq!(
            console_switch(&p, &entry("a", "aws", None)),
            Err(NoConsoleSwitch::NoCsrfToken)
        );
        let p = page("https://console.aws.amazon.com/", META, "tok");
        assert_eq!(
            console_switch(&p, &entry("a", "aws-cn", None)),
            Err(NoConsoleSwitch::OtherPartition)
        );
        let p = page("https://console.aws.amazon.com/", "not json", "tok");
        assert_eq!(
            console_switch(&p, &entry("a", "aws", None)),
            Err(NoConsoleSwitch::NoSessionData)
        );
        let evil = META.replace("signin.aws.amazon.com", "example.test");
        let p = page("https://console.aws.amazon.com/", &evil, "tok");
        assert_eq!(
            console_switch(&p, &entry("a", "aws", None)),
            Err(NoConsoleSwitch::UnknownSignInEndpoint)
        );
    }

    #[test]
    fn multi_session_posts_json_to_the_session_endpoint() {
        let meta = META.replace("\"prismModeEnabled\":false", "\"prismModeEnabled\":true");
        let p = page("https://console.aws.amazon.com/console/home", &meta, "");
        let e = entry("dev", "aws", None);
        let ConsoleSwitch::MultiSession { url, body } = console_switch(&p, &e).unwrap() else {
            panic!()
        };
        assert_eq!(
            url,
            "https://signin.aws.amazon.com/sessions/abc123/v1/switchrole"
        );
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["account"], "123456789012");
        assert_eq!(v["roleName"], "ops/Admin");
        assert_eq!(v["displayName"], "dev");
        assert_eq!(
            v["redirectUri"],
            "https://console.aws.amazon.com/console/home"
        );
        let bad = meta.replace("abc123", "../x");
        let p = page("https://console.aws.amazon.com/", &bad, "");
        assert_eq!(
            console_switch(&p, &e),
            Err(NoConsoleSwitch::NoSessionDifferentiator)
        );
    }

    #[test]
    fn multi_session_redirect_drops_the_sessions_own_host_label() {
        // A multi-session console page is served under `<differentiator>.<region>.console…`;
        // the new session gets its own, so the redirect names the console without this one's
        // (as AWS Extend Switch Roles sends it: extension/js/content.js, `doSwitch`).
        let meta = META.replace("\"prismModeEnabled\":false", "\"prismModeEnabled\":true");
        let p = page(
            "https://abc123.us-east-1.console.aws.amazon.com/s3/home?region=us-east-1",
            &meta,
            "",
        );
        let ConsoleSwitch::MultiSession { body, .. } =
            console_switch(&p, &entry("dev", "aws", Some("eu-west-1"))).unwrap()
        else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["redirectUri"],
            "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"
        );
    }

    #[test]
    fn switch_back_posts_switch_to_basis_from_a_switched_tab_only() {
        let url = "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:";
        let mut p = page(url, META, "tok");
        assert_eq!(switch_back(&p), Err(NoSwitchBack::NotSwitched));
        p.role_user = "Dev".into();
        let ConsoleSwitch::Form {
            url: target,
            fields,
        } = switch_back(&p).unwrap()
        else {
            panic!("a form")
        };
        assert_eq!(target, "https://signin.aws.amazon.com/switchrole");
        let expected: Vec<(String, String)> = [
            ("action", "switchToBasis"),
            ("src", "nav"),
            ("csrf", "tok"),
            ("redirect_uri", url),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(fields, expected);
        p.csrf = " ".into();
        assert_eq!(switch_back(&p), Err(NoSwitchBack::NoCsrfToken));
        p.csrf = "tok".into();
        p.session_data = META.replace("\"prismModeEnabled\":false", "\"prismModeEnabled\":true");
        assert_eq!(switch_back(&p), Err(NoSwitchBack::MultiSession));
        p.session_data = META.replace("signin.aws.amazon.com", "example.test");
        assert_eq!(switch_back(&p), Err(NoSwitchBack::UnknownSignInEndpoint));
        p.url = "https://example.test/".into();
        assert_eq!(switch_back(&p), Err(NoSwitchBack::NotAConsolePage));
    }

    #[test]
    fn multi_session_destination_must_be_a_console_url() {
        let d = |j: &str| multi_session_destination(j, Partition::Aws);
        assert_eq!(
            d(r#"{"destination":"https://eu-west-1.console.aws.amazon.com/x"}"#).as_deref(),
            Some("https://eu-west-1.console.aws.amazon.com/x")
        );
        assert_eq!(d(r#"{"destination":""}"#), None);
        assert_eq!(d(r#"{"destination":"https://example.test/"}"#), None);
        assert_eq!(d("oops"), None);
    }

    #[test]
    fn switch_role_pages_are_on_sign_in_hosts() {
        assert!(is_switch_role_page(
            "https://signin.aws.amazon.com/switchrole?account=1"
        ));
        assert!(is_switch_role_page(
            "https://us-east-1.signin.aws.amazon.com/switchrole"
        ));
        assert!(is_switch_role_page(
            "https://signin.amazonaws.cn:8443/switchrole?x"
        ));
        assert!(!is_switch_role_page(
            "https://signin.aws.amazon.com/switchroles"
        ));
        assert!(!is_switch_role_page("https://example.test/switchrole"));
        assert!(!is_switch_role_page(
            "https://console.aws.amazon.com/switchrole"
        ));
    }

    #[test]
    fn form_check_compares_account_and_role() {
        assert!(form_shows(
            "123456789012",
            "ops/Admin",
            "1234-5678-9012",
            "ops/Admin"
        ));
        assert!(form_shows(
            "123456789012",
            "Admin",
            " 123456789012 ",
            "/Admin"
        ));
        assert!(!form_shows(
            "123456789012",
            "Admin",
            "123456789013",
            "Admin"
        ));
        assert!(!form_shows(
            "123456789012",
            "Admin",
            "123456789012",
            "Admin2"
        ));
        assert!(!form_shows("", "Admin", "", "Admin"));
    }
}
