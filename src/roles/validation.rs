//! The limits AWS puts on what names a role: account IDs and aliases, role names and paths, role
//! ARNs, MFA serials and `credential_source` values. Each check returns what is wrong (and a
//! diagnostic code) or nothing; the role entries turn that into diagnostics.

use crate::config::ini::shown;

/// The values `credential_source` may take (AWS CLI and SDK documentation).
pub const CREDENTIAL_SOURCES: [&str; 3] = ["Ec2InstanceMetadata", "Environment", "EcsContainer"];

/// The console's switch-role form accepts at most 64 characters of path + role name.
pub const CONSOLE_ROLE_MAX: usize = 64;

/// Parsed `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
pub struct RoleArn<'a> {
    pub partition: &'a str,
    pub account: &'a str,
    pub role: &'a str,
}

/// `text` split at its first five colons, when it has five.
fn split_arn(text: &str) -> Option<[&str; 6]> {
    let mut parts = [""; 6];
    let mut pieces = text.splitn(6, ':');
    for part in &mut parts {
        *part = pieces.next()?;
    }
    Some(parts)
}

pub fn parse_role_arn(arn: &str) -> Result<RoleArn<'_>, String> {
    let parts = match split_arn(arn) {
        Some(parts) if parts[0] == "arn" => parts,
        _ => {
            return Err(format!(
                "`{}` is not a role ARN (expected `arn:aws:iam::123456789012:role/NAME`)",
                shown(arn)
            ))
        }
    };
    if parts[2] != "iam" {
        return Err(format!(
            "`{}` is not an IAM ARN: the service is `{}`, not `iam`",
            shown(arn),
            shown(parts[2])
        ));
    }
    if !parts[3].is_empty() {
        return Err(format!(
            "IAM ARNs have no region, but `{}` names `{}`",
            shown(arn),
            shown(parts[3])
        ));
    }
    let Some(role) = parts[5].strip_prefix("role/") else {
        return Err(format!(
            "`{}` names a `{}`, not a `role/`",
            shown(arn),
            shown(parts[5].split('/').next().unwrap_or(""))
        ));
    };
    Ok(RoleArn {
        partition: parts[1],
        account: parts[4],
        role,
    })
}

/// Checks an account ID or alias; returns the problem, if any.
pub fn account_problem(account: &str) -> Option<(&'static str, String, String)> {
    if account.bytes().all(|b| b.is_ascii_digit()) {
        if account.len() != 12 {
            return Some((
                "account-id",
                format!(
                    "`{}` is not a 12-digit AWS account ID ({} digits)",
                    shown(account),
                    account.len()
                ),
                "account IDs have exactly 12 digits (leading zeros count)".into(),
            ));
        }
        return None;
    }
    let valid_alias = (3..=63).contains(&account.len())
        && account
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !account.starts_with('-')
        && !account.ends_with('-')
        && !account.contains("--");
    if valid_alias {
        None
    } else {
        Some((
            "account-alias",
            format!(
                "`{}` is neither a 12-digit account ID nor a valid account alias",
                shown(account)
            ),
            "aliases are 3-63 of a-z, 0-9 and single hyphens, not at either end".into(),
        ))
    }
}

/// Checks `path/name` (leading `/` already removed); returns the problem, if any.
pub fn role_name_problem(role: &str) -> Option<(&'static str, String)> {
    let (path, name) = match role.rfind('/') {
        Some(i) => (&role[..=i], &role[i + 1..]),
        None => ("", role),
    };
    if name.is_empty() || (name.len() > 64 && name.chars().count() > 64) {
        return Some((
            "role-name",
            format!("role name `{}` must be 1-64 characters", shown(name)),
        ));
    }
    // Byte-wise: the allowed characters are ASCII, so the first byte that is not allowed
    // starts the first character that is not.
    let bad_at = name
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b)));
    if let Some(bad) = bad_at.and_then(|i| name[i..].chars().next()) {
        return Some((
            "role-name",
            format!(
                "role name `{}` contains `{}`; IAM allows only letters, digits and + = , . @ _ -",
                shown(name),
                bad.escape_default()
            ),
        ));
    }
    if path.len() + 1 > 512 {
        return Some((
            "role-path",
            format!(
                "role path is {} characters; IAM allows at most 512",
                path.len() + 1
            ),
        ));
    }
    if let Some(bad) = path.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        return Some((
            "role-path",
            format!(
                "role path contains `{}`; IAM allows only printable ASCII",
                bad.escape_default()
            ),
        ));
    }
    if path.contains("//") {
        return Some((
            "role-path",
            "role path contains an empty segment (`//`)".to_string(),
        ));
    }
    None
}

/// Checks an `mfa_serial`: either a virtual device's ARN or a hardware token's serial number.
pub fn mfa_serial_problem(serial: &str) -> Option<String> {
    if !serial.starts_with("arn:") {
        return None;
    }
    let parts = match split_arn(serial) {
        Some(parts) if parts[2] == "iam" && parts[5].starts_with("mfa/") => parts,
        _ => {
            return Some(format!(
                "`{}` is not an MFA device ARN (`arn:aws:iam::ACCOUNT:mfa/NAME`)",
                shown(serial)
            ))
        }
    };
    let account = parts[4];
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "`mfa_serial` names account `{}`, which is not a 12-digit AWS account ID",
            shown(account)
        ));
    }
    None
}
