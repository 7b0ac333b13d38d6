//! Switch-role links: the prefilled `https://<sign-in host>/switchrole?…` URL of a role entry,
//! and the console URL to land on afterwards.
//!
//! Architecture Invariant: every URL built here is on a sign-in host of one of the three
//! partitions with a console (see [`crate::partition`]), or on the user's own IAM Identity
//! Center access portal for `sso` entries. Nothing else is ever produced.

use crate::color::nearest_aws_link_color;
use crate::encode::encode_uri_component;
use crate::partition::Partition;
use crate::role::{EntryKind, RoleEntry};

/// The console rejects a `displayName` over 64 characters with HTTP 400.
pub const DISPLAY_NAME_MAX: usize = 64;

/// `displayName` for a role: the profile name, cut to 64 characters with an ellipsis while
/// keeping the account visible at its end (`very-long-prof… @123456789012`).
pub fn display_name(profile: &str, account: &str) -> String {
    if profile.chars().count() <= DISPLAY_NAME_MAX {
        return profile.to_string();
    }
    let suffix = format!("…@{}", account);
    let keep = DISPLAY_NAME_MAX.saturating_sub(suffix.chars().count());
    let mut out: String = profile.chars().take(keep).collect();
    out.push_str(&suffix);
    out
}

/// The console home page of `region` in `partition`, as a regional subdomain and a `region=`
/// parameter.
pub fn console_home_url(partition: Partition, region: &str) -> Option<String> {
    let domain = partition.console_domain()?;
    Some(format!(
        "https://{}.{}/console/home?region={}",
        region, domain, region
    ))
}

/// The prefilled switch-role URL of a role entry, or for an `sso` entry the access portal's
/// console shortcut. `None` when the entry has no console to switch in.
pub fn switch_url(entry: &RoleEntry) -> Option<String> {
    match entry.kind {
        EntryKind::Role => {
            let partition = Partition::from_id(&entry.partition)?;
            let host = partition.sign_in_host()?;
            let mut url = format!(
                "https://{}/switchrole?account={}&roleName={}&displayName={}",
                host,
                encode_uri_component(&entry.account),
                encode_uri_component(&entry.role_name),
                encode_uri_component(&display_name(&entry.profile, &entry.account)),
            );
            if let Some(region) = &entry.region {
                if let Some(home) = console_home_url(partition, region) {
                    url.push_str("&redirect_uri=");
                    url.push_str(&encode_uri_component(&home));
                }
            }
            if let Some(color) = entry.color.as_deref().and_then(nearest_aws_link_color) {
                url.push_str("&color=");
                url.push_str(color);
            }
            Some(url)
        }
        EntryKind::Sso => {
            let start_url = entry.sso_start_url.as_deref()?;
            let start_url = start_url.trim_end_matches('/');
            if !start_url.starts_with("https://") {
                return None;
            }
            let mut url = format!(
                "{}/#/console?account_id={}&role_name={}",
                start_url,
                encode_uri_component(&entry.account),
                encode_uri_component(&entry.role_name),
            );
            if let Some(region) = &entry.region {
                if let Some(home) = console_home_url(Partition::from_id(&entry.partition)?, region)
                {
                    url.push_str("&destination=");
                    url.push_str(&encode_uri_component(&home));
                }
            }
            Some(url)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_display_names_keep_the_account() {
        let name = "a".repeat(70);
        let shown = display_name(&name, "123456789012");
        assert_eq!(shown.chars().count(), 64);
        assert!(shown.ends_with("…@123456789012"));
        assert_eq!(display_name("short", "123456789012"), "short");
    }
}
