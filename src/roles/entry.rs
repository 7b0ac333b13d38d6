//! Profiles → role entries: the targets a user can switch to, each validated against AWS's
//! limits and either switchable or carrying the reason it is not.
//!
//! A target is named by `role_arn`, by `aws_account_id` (or an alias) + `role_name`, or, for
//! IAM Identity Center, by `sso_account_id` + `sso_role_name`. A profile named by another's
//! `source_profile` is a *base account*: its targets inherit `target_role_name` and
//! `target_region`, and are grouped under it.
//!
//! Architecture Invariant: nothing is dropped silently. Every profile either yields a
//! [`RoleEntry`] or a diagnostic saying why not.

use compact_str::CompactString;
use serde::Serialize;

use std::borrow::Cow;

use crate::config::ini::{shown, Key, Property};
use crate::config::{ConfigFile, Profile};
use crate::diagnostic::Diagnostic;
use crate::roles::color::normalize_color_text;
use crate::roles::partition::Partition;
use crate::roles::switch_url::{write_switch_url, UrlParts};

pub use crate::roles::entry_kind::EntryKind;
use crate::roles::validation::{
    account_problem, mfa_serial_problem, parse_role_arn, role_name_problem, CONSOLE_ROLE_MAX,
    CREDENTIAL_SOURCES,
};

/// One switch target, as the popup lists it and the CLI prints it.
///
/// Its short texts are `CompactString`s, kept inline when they fit (24 bytes natively, 12 in
/// the WASM): most names, IDs, regions and colours do, so 50,000 entries are not ~450,000 small
/// allocations to make and free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleEntry {
    pub profile: CompactString,
    pub kind: EntryKind,
    /// A 12-digit account ID (kept as text: leading zeros matter) or an account alias.
    pub account: CompactString,
    /// The role's name with its path, without the leading `/` (`ops/Operator`).
    pub role_name: CompactString,
    pub partition: CompactString,
    pub region: Option<CompactString>,
    /// Six lower-case hex digits.
    pub color: Option<CompactString>,
    pub group: Option<CompactString>,
    pub base_profile: Option<CompactString>,
    pub image: Option<CompactString>,
    pub sso_start_url: Option<CompactString>,
    pub switchable: bool,
    /// Why the entry cannot be switched to in the console, when it cannot.
    pub reason: Option<String>,
    pub url: Option<String>,
    /// Line of the profile's header in the config.
    pub line: u32,
    /// `aws_account_alias`: the extension dialect's name for the account, shown beside the ID.
    pub account_alias: Option<CompactString>,
    /// The end of the `source_profile` chain: the profile whose credentials are used.
    pub source_root: Option<CompactString>,
    /// How many profiles the `source_profile` chain passes through (0 without one).
    pub source_chain_length: u32,
    /// Reached through another role (role chaining: its `source_profile` is itself a role), so
    /// AWS caps its sessions at 1 hour. Shown on the popup's row; not in the JSON output,
    /// where `source_root` and the `chained-duration` diagnostic say it.
    #[serde(skip)]
    pub chained: bool,
    /// `credential_source` (`Ec2InstanceMetadata`, `Environment`, `EcsContainer`).
    pub credential_source: Option<CompactString>,
    pub mfa_serial: Option<CompactString>,
    pub external_id: Option<CompactString>,
    /// `role_session_name`: the session name CloudTrail records for this role's sessions.
    pub role_session_name: Option<CompactString>,
    /// `source_identity`: the source identity CloudTrail records (and a trust policy may
    /// require), when the config sets one.
    pub source_identity: Option<CompactString>,
    /// `duration_seconds`, when valid (900-43200).
    pub duration_seconds: Option<u32>,
    /// The `[sso-session NAME]` an Identity Center entry uses.
    pub sso_session: Option<CompactString>,
    /// The diagnostic code of the first part of `reason` (`external-id`, `account-id`, …): what
    /// the extension's pages translate.
    pub reason_code: Option<&'static str>,
}

impl RoleEntry {
    /// The entry's switch link: the one resolved with it, else (for entries resolved without
    /// links, see [`resolve_entries_without_urls`]) built from its fields. `None` when it
    /// cannot be switched to.
    pub fn link(&self) -> Option<String> {
        if !self.switchable {
            return None;
        }
        self.url.clone().or_else(|| switch_url(self))
    }
}

/// The prefilled switch-role URL of a role entry, or for an `sso` entry the access portal's
/// console shortcut. `None` when the entry has no console to switch in.
fn switch_url(entry: &RoleEntry) -> Option<String> {
    let mut url = String::new();
    write_switch_url(
        &mut url,
        &UrlParts {
            kind: entry.kind,
            partition: Partition::from_id(&entry.partition),
            account: &entry.account,
            role_name: &entry.role_name,
            profile: &entry.profile,
            region: entry.region.as_deref(),
            color: entry.color.as_deref(),
            sso_start_url: entry.sso_start_url.as_deref(),
        },
    )
    .then_some(url)
}

fn diag_at(d: Diagnostic, profile: &Profile<'_>, property: &Property<'_>) -> Diagnostic {
    d.at(property.value_column, property.value.chars().count() as u32)
        .in_profile(profile.name)
        .in_file(profile.file.label())
}

/// Where a profile's `source_profile` links lead.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceChain {
    /// How many profiles the links pass through after this one.
    pub length: u32,
    /// The last profile reached: where the credentials come from.
    pub root: Option<usize>,
    /// Set when the links loop: the profile at which the loop closes.
    pub cycle_at: Option<usize>,
}

/// Follows every profile's `source_profile` links at once, remembering each answer, so that
/// long chains cost linear time (a 100,000-profile chain is hostile input we must survive).
/// A profile naming itself is not a loop: the SDKs read it as "use my own keys".
pub fn source_chains(config: &ConfigFile<'_>) -> Vec<SourceChain> {
    chains_of(&source_positions(config))
}

/// For each profile, where its `source_profile` names sits in the profile list (`None`
/// without one, or when it names no profile).
fn source_positions(config: &ConfigFile<'_>) -> Vec<Option<usize>> {
    config
        .profiles
        .list
        .iter()
        .map(|p| config.profiles.position(p.value(Key::SourceProfile)?))
        .collect()
}

fn chains_of(sources: &[Option<usize>]) -> Vec<SourceChain> {
    #[derive(Clone, Copy, PartialEq)]
    enum Visit {
        New,
        OnPath,
        Done,
    }
    let next_of = |i: usize| -> Option<usize> { sources[i].filter(|&next| next != i) };
    let mut chains = vec![SourceChain::default(); sources.len()];
    let mut visit = vec![Visit::New; sources.len()];
    let mut path = Vec::new();
    for start in 0..sources.len() {
        let mut current = start;
        let mut cycle_at = None;
        while visit[current] == Visit::New {
            visit[current] = Visit::OnPath;
            path.push(current);
            match next_of(current) {
                Some(next) if visit[next] == Visit::OnPath => {
                    cycle_at = Some(next);
                    break;
                }
                Some(next) => current = next,
                None => break,
            }
        }
        // Unwind: each profile's answer follows from the one after it.
        while let Some(i) = path.pop() {
            visit[i] = Visit::Done;
            chains[i] = match (cycle_at, next_of(i)) {
                (Some(at), _) => SourceChain {
                    cycle_at: Some(at),
                    ..SourceChain::default()
                },
                (None, None) => SourceChain::default(),
                (None, Some(next)) => {
                    let after = chains[next];
                    if after.cycle_at.is_some() {
                        after
                    } else {
                        SourceChain {
                            length: after.length + 1,
                            root: after.root.or(Some(next)),
                            cycle_at: None,
                        }
                    }
                }
            };
        }
    }
    chains
}

/// Records a diagnostic; one that `blocks` switching also becomes part of the entry's reason.
fn record(
    diagnostics: &mut Vec<Diagnostic>,
    d: Diagnostic,
    reasons: &mut Vec<(&'static str, String)>,
    blocks: bool,
) {
    if blocks {
        reasons.push((d.code, d.message.clone()));
    }
    diagnostics.push(d);
}

/// The `image` key, kept only as an `https:` or `data:image/` URL: an image must never be a
/// way to run script or reach a host other than the one the user named.
fn image_url<'c>(
    profile: &Profile<'_>,
    prop: &'c Property<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'c str> {
    // AWS Extend Switch Roles configs quote the URL: `image = "https://…"`.
    let value = prop.value.trim_matches('"');
    let starts_with = |prefix: &str| {
        value
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts_with("https://") || starts_with("data:image/") {
        return Some(value);
    }
    diagnostics.push(
        diag_at(
            Diagnostic::warning(
                "image-url",
                prop.line,
                format!(
                    "`image = {}` is ignored: only https: and data:image/ URLs are shown",
                    shown(&prop.value)
                ),
            ),
            profile,
            prop,
        )
        .with_fix("use an https:// URL"),
    );
    None
}

/// A role entry as resolved, borrowing its text from the config: what [`for_each_entry`]
/// yields, before it is copied into a [`RoleEntry`] (or written out as JSON without copying).
#[derive(Debug, Clone)]
pub struct EntryRef<'c> {
    pub profile: &'c str,
    pub kind: EntryKind,
    pub account: &'c str,
    pub role_name: &'c str,
    pub partition: Partition,
    pub region: Option<&'c str>,
    /// Six lower-case hex digits.
    pub color: Option<Cow<'c, str>>,
    pub group: Option<&'c str>,
    pub base_profile: Option<&'c str>,
    pub image: Option<&'c str>,
    pub sso_start_url: Option<&'c str>,
    /// Why the entry cannot be switched to; `None` when it can.
    pub reason: Option<String>,
    /// The diagnostic code of the first part of `reason`.
    pub reason_code: Option<&'static str>,
    pub line: u32,
    pub account_alias: Option<&'c str>,
    pub source_root: Option<&'c str>,
    pub source_chain_length: u32,
    /// Reached through another role: see [`RoleEntry::chained`].
    pub chained: bool,
    pub credential_source: Option<&'c str>,
    pub mfa_serial: Option<&'c str>,
    pub external_id: Option<&'c str>,
    pub role_session_name: Option<&'c str>,
    pub source_identity: Option<&'c str>,
    pub duration_seconds: Option<u32>,
    pub sso_session: Option<&'c str>,
}

impl EntryRef<'_> {
    pub fn switchable(&self) -> bool {
        self.reason.is_none()
    }

    /// Appends the entry's switch URL ([`RoleEntry::link`]) to `out`; false
    /// (and `out` unchanged) when it has none.
    pub fn write_url(&self, out: &mut String) -> bool {
        self.switchable()
            && write_switch_url(
                out,
                &UrlParts {
                    kind: self.kind,
                    partition: Some(self.partition),
                    account: self.account,
                    role_name: self.role_name,
                    profile: self.profile,
                    region: self.region,
                    color: self.color.as_deref(),
                    sso_start_url: self.sso_start_url,
                },
            )
    }

    /// The owned [`RoleEntry`].
    pub fn to_entry(&self) -> RoleEntry {
        self.to_entry_using(&mut String::new())
    }

    /// [`EntryRef::to_entry`], writing the URL in `scratch` first so that the entry's own copy
    /// is allocated once, at its exact size (growing it in place costs several reallocations).
    fn to_entry_using(&self, scratch: &mut String) -> RoleEntry {
        scratch.clear();
        let url = self.write_url(scratch).then(|| scratch.as_str().to_owned());
        self.owned(url)
    }

    /// The owned [`RoleEntry`] with `url` as its link.
    fn owned(&self, url: Option<String>) -> RoleEntry {
        let owned = |text: Option<&str>| text.map(CompactString::from);
        RoleEntry {
            profile: self.profile.into(),
            kind: self.kind,
            account: self.account.into(),
            role_name: self.role_name.into(),
            partition: CompactString::const_new(self.partition.id()),
            region: owned(self.region),
            color: owned(self.color.as_deref()),
            group: owned(self.group),
            base_profile: owned(self.base_profile),
            image: owned(self.image),
            sso_start_url: owned(self.sso_start_url),
            switchable: self.switchable(),
            reason: self.reason.clone(),
            url,
            line: self.line,
            account_alias: owned(self.account_alias),
            source_root: owned(self.source_root),
            source_chain_length: self.source_chain_length,
            chained: self.chained,
            credential_source: owned(self.credential_source),
            mfa_serial: owned(self.mfa_serial),
            external_id: owned(self.external_id),
            role_session_name: owned(self.role_session_name),
            source_identity: owned(self.source_identity),
            duration_seconds: self.duration_seconds,
            sso_session: owned(self.sso_session),
            reason_code: self.reason_code,
        }
    }
}

/// Turns every profile into a role entry or a diagnostic that says why not.
pub fn resolve_entries(
    config: &ConfigFile<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RoleEntry> {
    let mut entries = Vec::with_capacity(config.profiles.len());
    let mut scratch = String::new();
    for_each_entry(config, diagnostics, &mut |entry| {
        entries.push(entry.to_entry_using(&mut scratch))
    });
    entries
}

/// [`resolve_entries`] without the entries' links (`url` is `None`; [`RoleEntry::link`]
/// builds one when it is needed): for the popup, which opens one role of up to 50,000 and
/// so neither writes nor keeps the others' links.
pub fn resolve_entries_without_urls(
    config: &ConfigFile<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RoleEntry> {
    let mut entries = Vec::with_capacity(config.profiles.len());
    for_each_entry(config, diagnostics, &mut |entry| {
        entries.push(entry.owned(None))
    });
    entries
}

/// Like [`resolve_entries`], handing each entry to `each` as it is resolved, in file order,
/// without copying its text.
pub fn for_each_entry<'c>(
    config: &'c ConfigFile<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(EntryRef<'c>),
) {
    let sources = source_positions(config);
    // Base accounts: the profiles some `source_profile` names (itself included).
    let mut is_base = vec![false; sources.len()];
    for &source in sources.iter().flatten() {
        is_base[source] = true;
    }
    let chains = chains_of(&sources);
    for (i, profile) in config.profiles.list.iter().enumerate() {
        let source = sources[i].map(|s| &config.profiles.list[s]);
        if let Some(entry) =
            resolve_profile(config, profile, source, chains[i], is_base[i], diagnostics)
        {
            each(entry);
        }
    }
}

fn resolve_profile<'c>(
    config: &'c ConfigFile<'_>,
    profile: &'c Profile<'_>,
    source_profile: Option<&'c Profile<'_>>,
    chain: SourceChain,
    is_base: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<EntryRef<'c>> {
    // (diagnostic code, message) of everything that keeps the entry from being switched to.
    let mut reasons: Vec<(&'static str, String)> = Vec::new();
    // Every property by interned key: one pass over the list rather than one per lookup.
    let mut slots: [Option<&'c Property<'_>>; Key::COUNT] = [None; Key::COUNT];
    for property in &profile.properties {
        slots[property.known as usize] = Some(property);
    }
    let slot = |key: Key| slots[key as usize];
    let slot_value = |key: Key| slot(key).map(|p| &*p.value);

    // The base account, and whether this role is reached through another role (chaining).
    let mut base: Option<&Profile<'_>> = None;
    let mut chained = false;
    if let Some(source) = slot(Key::SourceProfile) {
        match chain.cycle_at {
            Some(cycle_at) => record(
                diagnostics,
                diag_at(
                    Diagnostic::error(
                        "source-profile-cycle",
                        source.line,
                        format!(
                            "the `source_profile` links from `{}` go round in a loop (through `{}`), so no credentials can be found",
                            profile.name, config.profiles.list[cycle_at].name
                        ),
                    ),
                    profile,
                    source,
                )
                .with_fix("make one profile in the loop use credentials or `credential_source`"),
                &mut reasons,
                false,
            ),
            // `source_profile` naming itself: the SDKs take this profile's own keys.
            None if source.value == profile.name => {}
            None => match source_profile {
                None => record(
                    diagnostics,
                    diag_at(
                        Diagnostic::error(
                            "unknown-source-profile",
                            source.line,
                            format!(
                                "`source_profile = {}` names no profile in this config",
                                shown(&source.value)
                            ),
                        ),
                        profile,
                        source,
                    )
                    .with_fix(format!(
                        "add a `[profile {}]` section, or fix the name",
                        shown(&source.value)
                    )),
                    &mut reasons,
                    false,
                ),
                Some(first) => {
                    base = Some(first);
                    // Credentials that come from a role (its own ARN, or a dialect base account
                    // signed in through a role) make this role a chained one.
                    chained = first.prop(Key::RoleArn).is_some()
                        || first.prop(Key::RoleName).is_some()
                        || first.prop(Key::SsoRoleName).is_some();
                }
            },
        }
    }

    // Checked before the target: a token-only profile (`sso_session` alone) still needs it.
    let sso_session = slot(Key::SsoSession);
    if let Some(prop) = sso_session {
        if config.sso_sessions.get(&prop.value).is_none() {
            diagnostics.push(
                diag_at(
                    Diagnostic::error(
                        "unknown-sso-session",
                        prop.line,
                        format!(
                            "`sso_session = {}` names no `[sso-session {}]` section",
                            shown(&prop.value),
                            shown(&prop.value)
                        ),
                    ),
                    profile,
                    prop,
                )
                .with_fix(format!(
                    "add a `[sso-session {}]` section with `sso_start_url` and `sso_region`",
                    shown(&prop.value)
                )),
            );
        }
    }
    let inherited = |key: Key| base.and_then(|b| b.prop(key));

    // Which target does the profile name?
    let role_arn = slot(Key::RoleArn);
    let account_prop = slot(Key::AwsAccountId);
    let role_name_prop = slot(Key::RoleName).or_else(|| inherited(Key::TargetRoleName));
    let sso_account = slot(Key::SsoAccountId);
    let sso_role = slot(Key::SsoRoleName);

    // AWS Extend Switch Roles' "base account with `role_name`": the role the user signs in
    // with (federation, SSO), matched against the console's signed-in identity
    // (`base_account.rs`); AESR never lists a profile some `source_profile` names.
    let signs_in_with_role = is_base && role_arn.is_none() && slot(Key::RoleName).is_some();

    let (kind, account, role, mut partition) = if let Some(arn_prop) = role_arn {
        match parse_role_arn(&arn_prop.value) {
            Ok(arn) => match Partition::from_id(arn.partition) {
                Some(partition) => (EntryKind::Role, arn.account, arn.role, partition),
                None => {
                    record(
                        diagnostics,
                        diag_at(
                            Diagnostic::error(
                                "partition",
                                arn_prop.line,
                                format!(
                                    "unknown partition `{}` in `role_arn`",
                                    shown(arn.partition)
                                ),
                            ),
                            profile,
                            arn_prop,
                        )
                        .with_fix("partitions are `aws`, `aws-cn` and `aws-us-gov`"),
                        &mut reasons,
                        true,
                    );
                    (EntryKind::Role, arn.account, arn.role, Partition::Aws)
                }
            },
            Err(message) => {
                diagnostics.push(
                    diag_at(
                        Diagnostic::error("role-arn", arn_prop.line, message),
                        profile,
                        arn_prop,
                    )
                    .with_fix("write it as `arn:aws:iam::123456789012:role/NAME`"),
                );
                return None;
            }
        }
    } else if let (Some(account), Some(role), false) =
        (account_prop, role_name_prop, signs_in_with_role)
    {
        (
            EntryKind::Role,
            &*account.value,
            role.value.trim_start_matches('/'),
            Partition::Aws,
        )
    } else if let (Some(account), Some(role)) = (sso_account, sso_role) {
        (
            EntryKind::Sso,
            &*account.value,
            &*role.value,
            Partition::Aws,
        )
    } else {
        let (severity, code, message) = if signs_in_with_role {
            (
                crate::diagnostic::Severity::Note,
                "base-account",
                format!(
                    "`{}` is a base account (a `source_profile`): its `role_name = {}` is the role you sign in with, as in AWS Extend Switch Roles, not a role to switch to",
                    profile.name,
                    slot_value(Key::RoleName).map(shown).unwrap_or_default()
                ),
            )
        } else if is_base {
            (
                crate::diagnostic::Severity::Note,
                "base-account",
                format!(
                    "`{}` is a base account (a `source_profile`), not itself a role to switch to",
                    profile.name
                ),
            )
        } else if sso_account.is_some() != sso_role.is_some() {
            (
                crate::diagnostic::Severity::Warning,
                "sso-incomplete",
                format!(
                    "`{}` has only one of `sso_account_id` and `sso_role_name`; an IAM Identity Center target needs both",
                    profile.name
                ),
            )
        } else if account_prop.is_some() {
            (
                crate::diagnostic::Severity::Warning,
                "missing-role-name",
                format!("`{}` has `aws_account_id` but no `role_name`, so there is no role to switch to", profile.name),
            )
        } else {
            (
                crate::diagnostic::Severity::Note,
                "no-role",
                format!(
                    "`{}` names no role (no `role_arn`, no `aws_account_id` + `role_name`, no `sso_account_id` + `sso_role_name`)",
                    profile.name
                ),
            )
        };
        diagnostics.push(
            Diagnostic::new(code, severity, profile.line, message)
                .in_profile(profile.name)
                .in_file(profile.file.label()),
        );
        // A base account's ID still matters: the extension matches it against the account
        // the user is signed in to.
        if let Some(prop) = account_prop {
            if let Some((code, message, fix)) = account_problem(&prop.value) {
                diagnostics.push(
                    diag_at(Diagnostic::error(code, prop.line, message), profile, prop)
                        .with_fix(fix),
                );
            }
        }
        return None;
    };

    let account_line_prop = role_arn.or(account_prop).or(sso_account);
    if let Some((code, message, fix)) = account_problem(account) {
        let prop = account_line_prop.expect("an account came from a property");
        record(
            diagnostics,
            diag_at(Diagnostic::error(code, prop.line, message), profile, prop).with_fix(fix),
            &mut reasons,
            true,
        );
    }
    let role_line_prop = role_arn.or(role_name_prop).or(sso_role);
    if kind == EntryKind::Role {
        if let Some((code, message)) = role_name_problem(role) {
            let prop = role_line_prop.expect("a role came from a property");
            record(
                diagnostics,
                diag_at(Diagnostic::error(code, prop.line, message), profile, prop),
                &mut reasons,
                true,
            );
        } else if role.len() > CONSOLE_ROLE_MAX && role.chars().count() > CONSOLE_ROLE_MAX {
            let prop = role_line_prop.expect("a role came from a property");
            record(
                diagnostics,
                diag_at(
                    Diagnostic::warning(
                        "console-role-length",
                        prop.line,
                        format!(
                            "path + role name is {} characters; the console's switch-role accepts at most 64",
                            role.chars().count()
                        ),
                    ),
                    profile,
                    prop,
                )
                .with_fix("use the AWS CLI for this role, or a role with a shorter path"),
                &mut reasons,
                true,
            );
        }
    }

    // Region: the profile's own, else the base account's `target_region`.
    let region_prop = slot(Key::Region).or_else(|| inherited(Key::TargetRegion));
    let sso_region = slot_value(Key::SsoRegion);
    let mut region = None;
    if let Some(prop) = region_prop {
        match Partition::of_region(&prop.value) {
            None => diagnostics.push(
                diag_at(
                    Diagnostic::warning(
                        "region",
                        prop.line,
                        format!("`{}` is not an AWS region name", shown(&prop.value)),
                    ),
                    profile,
                    prop,
                )
                .with_fix("regions look like `eu-west-1`, `cn-north-1` or `us-gov-west-1`"),
            ),
            Some(region_partition) => {
                if role_arn.is_none() && partition == Partition::Aws {
                    // Without an ARN, the region is the only hint of the partition.
                    partition = region_partition;
                }
                if region_partition == partition {
                    region = Some(&*prop.value);
                } else {
                    diagnostics.push(
                        diag_at(
                            Diagnostic::warning(
                                "region-partition",
                                prop.line,
                                format!(
                                    "region `{}` is in partition `{}`, but the role is in `{}`; it is not used",
                                    prop.value,
                                    region_partition.id(),
                                    partition.id()
                                ),
                            ),
                            profile,
                            prop,
                        ),
                    );
                }
            }
        }
    }
    if region.is_none() && kind == EntryKind::Sso {
        region = sso_region;
    }

    if kind == EntryKind::Role && partition.sign_in_host().is_none() {
        let message = format!(
            "partition `{}` has no console switch-role page",
            partition.id()
        );
        reasons.push(("partition-no-console", message.clone()));
        diagnostics.push(
            Diagnostic::note(
                "partition-no-console",
                role_arn.map_or(profile.line, |p| p.line),
                message,
            )
            .in_profile(profile.name)
            .in_file(profile.file.label()),
        );
    }

    if let Some(prop) = slot(Key::ExternalId) {
        record(
                diagnostics,
            diag_at(
                Diagnostic::note(
                    "external-id",
                    prop.line,
                    "roles that require an ExternalId cannot be switched to in the console (AWS documents this)",
                ),
                profile,
                prop,
            ),
            &mut reasons,
            true,
        );
    }

    let mut duration_seconds = None;
    if let Some(prop) = slot(Key::DurationSeconds) {
        match prop.value.parse::<u32>() {
            Ok(seconds) if (900..=43200).contains(&seconds) => {
                duration_seconds = Some(seconds);
                if chained && seconds > 3600 {
                    diagnostics.push(
                        diag_at(
                            Diagnostic::warning(
                                "chained-duration",
                                prop.line,
                                format!(
                                    "this role is reached through another role, which caps sessions at 1 hour; asking for {} s fails",
                                    seconds
                                ),
                            ),
                            profile,
                            prop,
                        )
                        .with_fix("set `duration_seconds = 3600` or less"),
                    );
                }
            }
            _ => diagnostics.push(diag_at(
                Diagnostic::error(
                    "duration-seconds",
                    prop.line,
                    format!(
                        "`duration_seconds = {}` must be a whole number from 900 to 43200",
                        shown(&prop.value)
                    ),
                ),
                profile,
                prop,
            )),
        }
    }

    let credential_source = slot(Key::CredentialSource);
    if let Some(prop) = credential_source {
        if !CREDENTIAL_SOURCES.contains(&&*prop.value) {
            diagnostics.push(
                diag_at(
                    Diagnostic::warning(
                        "credential-source",
                        prop.line,
                        format!(
                            "`credential_source = {}` is not one the AWS SDKs know",
                            shown(&prop.value)
                        ),
                    ),
                    profile,
                    prop,
                )
                .with_fix("use `Ec2InstanceMetadata`, `Environment` or `EcsContainer`"),
            );
        }
        if let Some(source) = slot(Key::SourceProfile) {
            diagnostics.push(
                diag_at(
                    Diagnostic::warning(
                        "source-and-credential-source",
                        source.line,
                        "`source_profile` and `credential_source` are both set; the AWS SDKs refuse a profile with both",
                    ),
                    profile,
                    source,
                )
                .with_fix("keep only one of them"),
            );
        }
    }

    if let Some(prop) = slot(Key::MfaSerial) {
        if let Some(problem) = mfa_serial_problem(&prop.value) {
            diagnostics.push(
                diag_at(Diagnostic::warning("mfa-serial", prop.line, problem), profile, prop)
                    .with_fix("write `arn:aws:iam::123456789012:mfa/NAME`, or a hardware token's serial number"),
            );
        }
    }

    let role_session_name = slot(Key::RoleSessionName);
    if let Some(prop) = role_session_name {
        let valid = (2..=64).contains(&prop.value.len())
            && prop
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
        if !valid {
            diagnostics.push(
                diag_at(
                    Diagnostic::warning(
                        "role-session-name",
                        prop.line,
                        format!(
                            "`role_session_name = {}` must be 2-64 of letters, digits and + = , . @ _ -",
                            shown(&prop.value)
                        ),
                    ),
                    profile,
                    prop,
                ),
            );
        }
    }

    let color = slot(Key::Color).and_then(|prop| {
        // `color = #ff0000`: after whitespace, `#` starts a comment in the SDK grammar, so the
        // value is empty; the colour is in the comment, and the user clearly meant it.
        if prop.value.is_empty() {
            let hash_color = prop
                .comment
                .and_then(|c| c.split_whitespace().next())
                .filter(|word| word.starts_with('#'))
                .and_then(|word| Some((word, normalize_color_text(word)?)));
            if let Some((word, color)) = hash_color {
                diagnostics.push(
                    Diagnostic::note(
                        "color-comment",
                        prop.line,
                        format!(
                            "`{}` after a space is a comment for the AWS SDKs, which read `color` as empty; it is read here as the colour {}",
                            shown(word),
                            color
                        ),
                    )
                    .at(prop.comment_column, word.chars().count() as u32)
                    .with_fix(format!("write `color = {}` without the `#`", shown(&word[1..])))
                    .in_profile(profile.name)
                    .in_file(profile.file.label()),
                );
                return Some(color);
            }
        }
        let color = normalize_color_text(&prop.value);
        if color.is_none() && prop.value.is_empty() {
            let message = match prop.comment.filter(|c| c.starts_with('#')) {
                Some(comment) => format!(
                    "`{}` is not a colour (and after a space, `#` starts a comment, so `color` is empty)",
                    shown(comment)
                ),
                None => "`color` is empty".to_string(),
            };
            diagnostics.push(
                diag_at(
                    Diagnostic::warning("color", prop.line, message),
                    profile,
                    prop,
                )
                .with_fix("write 6 or 3 hex digits (`ff9900`) or a CSS colour name (`orange`)"),
            );
        } else if color.is_none() {
            diagnostics.push(
                diag_at(
                    Diagnostic::warning(
                        "color",
                        prop.line,
                        format!("`{}` is not a colour", shown(&prop.value)),
                    ),
                    profile,
                    prop,
                )
                .with_fix("write 6 or 3 hex digits (`#ff9900`) or a CSS colour name (`orange`)"),
            );
        }
        color
    });

    let sso_start_url = if kind == EntryKind::Sso {
        let start = profile.value(Key::SsoStartUrl).or_else(|| {
            sso_session
                .and_then(|s| config.sso_sessions.get(&s.value))
                .and_then(|s| s.value(Key::SsoStartUrl))
        });
        if let Some(url) = start.filter(|u| !u.starts_with("https://")) {
            let message = format!(
                "`sso_start_url = {}` is not an https:// address, so there is no access-portal link",
                shown(url)
            );
            reasons.push(("sso-start-url", message.clone()));
            diagnostics.push(
                Diagnostic::error("sso-start-url", profile.line, message)
                    .with_fix("use the portal address, like `https://my-org.awsapps.com/start`")
                    .in_profile(profile.name)
                    .in_file(profile.file.label()),
            );
        }
        if start.is_none() {
            let message = "IAM Identity Center profile without `sso_start_url` (directly or through `sso_session`)".to_string();
            reasons.push(("sso-start-url", message.clone()));
            diagnostics.push(
                Diagnostic::error("sso-start-url", profile.line, message)
                    .in_profile(profile.name)
                    .in_file(profile.file.label()),
            );
        }
        start
    } else {
        None
    };

    Some(EntryRef {
        profile: profile.name,
        kind,
        account,
        role_name: role,
        partition,
        region,
        color,
        group: slot_value(Key::Group),
        base_profile: base.map(|b| b.name),
        image: slot(Key::Image).and_then(|p| image_url(profile, p, diagnostics)),
        sso_start_url,
        reason: if reasons.is_empty() {
            None
        } else {
            Some(
                reasons
                    .iter()
                    .map(|(_, message)| message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        },
        reason_code: reasons.first().map(|(code, _)| *code),
        line: profile.line,
        account_alias: slot_value(Key::AwsAccountAlias),
        source_root: chain.root.map(|i| config.profiles.list[i].name),
        source_chain_length: chain.length,
        chained,
        credential_source: credential_source.map(|p| &*p.value),
        mfa_serial: slot_value(Key::MfaSerial),
        external_id: slot_value(Key::ExternalId),
        role_session_name: role_session_name.map(|p| &*p.value),
        source_identity: slot_value(Key::SourceIdentity),
        duration_seconds,
        sso_session: sso_session.map(|p| &*p.value),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn roles_reached_through_another_role_are_chained() {
        let text = "[profile base]\naws_access_key_id = AKIAEXAMPLE\n\
                    [profile first]\nrole_arn = arn:aws:iam::111111111111:role/First\nsource_profile = base\n\
                    [profile second]\nrole_arn = arn:aws:iam::222222222222:role/Second\nsource_profile = first\n\
                    [profile dialect-base]\naws_account_id = 333333333333\nrole_name = Signin\n\
                    [profile from-dialect]\nrole_arn = arn:aws:iam::444444444444:role/T\nsource_profile = dialect-base\n\
                    [profile instance]\nrole_arn = arn:aws:iam::555555555555:role/I\ncredential_source = Ec2InstanceMetadata\n";
        let roles = crate::parse_config(text).roles;
        let chained: Vec<(&str, bool)> = roles
            .iter()
            .map(|r| (r.profile.as_str(), r.chained))
            .collect();
        assert_eq!(
            chained,
            [
                ("first", false),
                ("second", true),
                // `dialect-base` signs in (a base account), it is no target itself.
                ("from-dialect", true),
                ("instance", false),
            ]
        );
    }
}
