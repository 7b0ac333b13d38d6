//! Switch-role links: the prefilled `https://<sign-in host>/switchrole?…` URL of a role entry,
//! and the console URL to land on afterwards.
//!
//! Architecture Invariant: every URL built here is on a sign-in host of one of the three
//! partitions with a console (see [`crate::roles::partition`]), or on the user's own IAM Identity
//! Center access portal for `sso` entries. Nothing else is ever produced.

use crate::encode::encode_uri_component_into;
use crate::roles::color::console_color;
use crate::roles::entry_kind::EntryKind;
use crate::roles::partition::Partition;

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

/// What a switch URL is made of: the fields of a role entry it reads.
pub struct UrlParts<'e> {
    pub kind: EntryKind,
    /// `None` for an unknown partition id.
    pub partition: Option<Partition>,
    pub account: &'e str,
    pub role_name: &'e str,
    pub profile: &'e str,
    pub region: Option<&'e str>,
    /// Six lower-case hex digits.
    pub color: Option<&'e str>,
    pub sso_start_url: Option<&'e str>,
}

/// Appends the switch URL of `parts` to `out`, percent-encoding in place; returns false (and
/// leaves `out` as it was) when there is no URL.
pub fn write_switch_url(out: &mut String, parts: &UrlParts<'_>) -> bool {
    let start = out.len();
    let written = write_url(out, parts).is_some();
    if !written {
        out.truncate(start);
    }
    written
}

/// `encode_uri_component(&console_home_url(partition, region)?)`, appended to `out`.
fn write_encoded_console_home(out: &mut String, partition: Partition, region: &str) -> bool {
    let Some(domain) = partition.console_domain() else {
        return false;
    };
    out.push_str("https%3A%2F%2F");
    encode_uri_component_into(out, region);
    out.push('.');
    // The console domains are letters and dots: nothing to encode.
    debug_assert!(domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
    out.push_str(domain);
    out.push_str("%2Fconsole%2Fhome%3Fregion%3D");
    encode_uri_component_into(out, region);
    true
}

fn write_url(out: &mut String, parts: &UrlParts<'_>) -> Option<()> {
    match parts.kind {
        EntryKind::Role => {
            let partition = parts.partition?;
            let host = partition.sign_in_host()?;
            out.push_str("https://");
            out.push_str(host);
            out.push_str("/switchrole?account=");
            encode_uri_component_into(out, parts.account);
            out.push_str("&roleName=");
            encode_uri_component_into(out, parts.role_name);
            out.push_str("&displayName=");
            if parts.profile.len() <= DISPLAY_NAME_MAX {
                // At most 64 bytes: at most 64 characters, the name as it is.
                encode_uri_component_into(out, parts.profile);
            } else {
                encode_uri_component_into(out, &display_name(parts.profile, parts.account));
            }
            if let Some(region) = parts.region {
                let mark = out.len();
                out.push_str("&redirect_uri=");
                if !write_encoded_console_home(out, partition, region) {
                    out.truncate(mark);
                }
            }
            if let Some(color) = console_color(parts.color) {
                out.push_str("&color=");
                out.push_str(color);
            }
            Some(())
        }
        EntryKind::Sso => {
            let start_url = parts.sso_start_url?;
            let start_url = start_url.trim_end_matches('/');
            if !start_url.starts_with("https://") {
                return None;
            }
            out.push_str(start_url);
            out.push_str("/#/console?account_id=");
            encode_uri_component_into(out, parts.account);
            out.push_str("&role_name=");
            encode_uri_component_into(out, parts.role_name);
            if let Some(region) = parts.region {
                let partition = parts.partition?;
                let mark = out.len();
                out.push_str("&destination=");
                if !write_encoded_console_home(out, partition, region) {
                    out.truncate(mark);
                }
            }
            Some(())
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
