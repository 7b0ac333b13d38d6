//! `aws-role-switcher`: the command-line face of the core. Reads `$AWS_CONFIG_FILE` (else
//! `~/.aws/config`) and prints role entries, switch URLs, bookmarks, the SDK reading of the
//! profiles, and diagnostics as a linter.
//!
//! Thin by design: every decision about what a config means lives in the library; this file
//! parses arguments, reads files and renders. The credentials file is read only when
//! `--credentials` names it, so that secrets are never loaded (or printed) by surprise.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::process::ExitCode;

use annotate_snippets::{Level, Renderer, Snippet};
use aws_role_switcher::analysis::resolve;
use aws_role_switcher::config::decode::{decode_config_bytes, DecodedText};
use aws_role_switcher::config::{read_decoded_files, ConfigFile};
use aws_role_switcher::roles::bookmarks::bookmarks_html;
use aws_role_switcher::roles::policy::{
    role_arn, select_roles, trust_partition, IdentityPolicy, RoleProblem, TrustPolicy,
};
use aws_role_switcher::{Diagnostic, EntryKind, RoleEntry, Severity};

const USAGE: &str = "\
usage: aws-role-switcher [--config FILE] [--credentials FILE] COMMAND [OPTIONS] [ARGS]

commands:
  roles [--json]            the role entries, one per line: profile, account, role, partition,
                            then the link or `not switchable: REASON`, separated by tabs
  url PROFILE               the switch-role link of one profile
  check [--json]            lint the config: rustc-style diagnostics, exit 1 on errors
  profiles [--json] [--strict]
                            the profiles as the AWS SDKs read them (--json: {\"profiles\",
                            \"sso_sessions\"}); --strict exits 1 where the SDK specification
                            rejects the file
  bookmarks                 a Netscape bookmarks HTML file of every switchable role's link
  policy [PROFILE...]       the IAM policy that allows sts:AssumeRole on exactly these roles
                            (every switchable role when none is named), as JSON
    --trust ACCOUNT_OR_ARN  print instead the roles' trust policy for that principal (a 12-digit
                            account ID means the account's root in the roles' partition)
    --require-source-identity
                            with --trust: the caller must set a source identity

options:
  --config FILE             the config: else $AWS_CONFIG_FILE, else ~/.aws/config
  --credentials FILE        a credentials file to merge in (read only when named)
  -h, --help                print this help and exit
  -V, --version             print the version and exit

`roles` escapes each field so that one role is one line: a backslash is written `\\\\`, a tab
`\\t`, a newline `\\n` and a carriage return `\\r` (a value read from a continuation line holds
a newline).

exit status:
  0  success
  1  the config has errors (check, profiles --strict), or a profile named cannot be used
     (url, policy: unknown, or without a role ARN); what could be printed still is
  2  usage error, or a file cannot be read";

/// Exit code for usage errors and unreadable files, apart from 1 (\"the config has errors\").
const EXIT_USAGE: u8 = 2;

struct Args {
    command: String,
    operands: Vec<String>,
    config_path: String,
    credentials_path: Option<String>,
    json: bool,
    strict: bool,
    trust: Option<String>,
    require_source_identity: bool,
}

/// What the command line asks for: a command to run, or to print the help or the version.
enum Request {
    Run(Args),
    Help,
    Version,
}

fn parse_args() -> Result<Request, lexopt::Error> {
    use lexopt::prelude::*;

    let mut command = None;
    let mut operands = Vec::new();
    let mut config_path = None;
    let mut credentials_path = None;
    let mut json = false;
    let mut strict = false;
    let mut trust = None;
    let mut require_source_identity = false;
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("config") => config_path = Some(parser.value()?.string()?),
            Long("credentials") => credentials_path = Some(parser.value()?.string()?),
            Long("json") => json = true,
            Long("strict") => strict = true,
            Long("trust") => trust = Some(parser.value()?.string()?),
            Long("require-source-identity") => require_source_identity = true,
            Short('h') | Long("help") => return Ok(Request::Help),
            Short('V') | Long("version") => return Ok(Request::Version),
            Value(value) if command.is_none() => command = Some(value.string()?),
            Value(value) => operands.push(value.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    let Some(command) = command else {
        return Err("no command given".into());
    };
    if command != "policy" && (trust.is_some() || require_source_identity) {
        return Err("--trust and --require-source-identity are options of `policy`".into());
    }
    if require_source_identity && trust.is_none() {
        return Err(
            "--require-source-identity goes with --trust (it is a trust policy's condition)".into(),
        );
    }
    let config_path = config_path
        .or_else(|| {
            std::env::var("AWS_CONFIG_FILE")
                .ok()
                .filter(|p| !p.is_empty())
        })
        .or_else(|| {
            std::env::var("HOME")
                .ok()
                .map(|home| format!("{}/.aws/config", home))
        })
        .unwrap_or_else(|| ".aws/config".into());
    Ok(Request::Run(Args {
        command,
        operands,
        config_path,
        credentials_path,
        json,
        strict,
        trust,
        require_source_identity,
    }))
}

/// A usage error: the message and a pointer to the help, on stderr, exit 2.
fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!(
        "error: {}\n\nRun `aws-role-switcher --help` for usage.",
        message
    );
    ExitCode::from(EXIT_USAGE)
}

fn read_file(path: &str, what: &'static str) -> Result<DecodedText, String> {
    std::fs::read(path)
        .map(|bytes| decode_config_bytes(&bytes, what))
        .map_err(|err| format!("cannot read {} file {}: {}", what, path, err))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Request::Run(args)) => args,
        Ok(Request::Help) => {
            println!("{}", USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Request::Version) => {
            println!("aws-role-switcher {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(error) => return usage_error(error),
    };
    let config_text = match read_file(&args.config_path, "config") {
        Ok(text) => text,
        Err(message) => {
            eprintln!("error: {}", message);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let credentials_text = match args.credentials_path.as_deref() {
        None => None,
        Some(path) => match read_file(path, "credentials") {
            Ok(text) => Some(text),
            Err(message) => {
                eprintln!("error: {}", message);
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let config = read_decoded_files(&config_text, credentials_text.as_ref());

    match args.command.as_str() {
        "profiles" => profiles(&args, &config),
        "roles" => roles(&args, config),
        "url" => url(&args, config),
        "check" => check(&args, config, &config_text, credentials_text.as_ref()),
        "bookmarks" => {
            print!("{}", bookmarks_html(&resolve(config).roles, "AWS roles"));
            ExitCode::SUCCESS
        }
        "policy" => policy(&args, config),
        other => usage_error(format_args!("unknown command `{}`", other)),
    }
}

/// The SDK reading, in the shape of the SDKs' shared test suite, so any SDK's suite can be run
/// against this tool.
fn profiles(args: &Args, config: &ConfigFile) -> ExitCode {
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&config.spec_json()).expect("JSON serialises")
        );
    } else {
        for profile in config.spec_profiles() {
            println!("{}", profile.name);
        }
    }
    match config.spec_error() {
        Some(error) if args.strict => {
            eprintln!(
                "{}:{}:{}: error[{}]: {}",
                path_of(args, error),
                error.line,
                error.column,
                error.code,
                error.message
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn roles(args: &Args, config: ConfigFile) -> ExitCode {
    let parsed = resolve(config);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&parsed.roles).expect("JSON serialises")
        );
    } else {
        let mut out = String::new();
        for role in &parsed.roles {
            let link_or_reason = match (&role.url, &role.reason) {
                (Some(url), _) => Cow::Borrowed(url.as_str()),
                (None, Some(reason)) => Cow::Owned(format!("not switchable: {}", reason)),
                (None, None) => Cow::Borrowed(""),
            };
            let fields = [
                role.profile.as_str(),
                role.account.as_str(),
                role.role_name.as_str(),
                role.partition.as_str(),
                &link_or_reason,
            ];
            for (i, field) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                push_escaped_field(&mut out, field);
            }
            out.push('\n');
        }
        print!("{}", out);
    }
    ExitCode::SUCCESS
}

/// Appends `field` to a tab-separated line with `\\`, `\t`, `\n` and `\r` escaped, so that
/// splitting the line at tabs and undoing the escapes gives the field back exactly.
fn push_escaped_field(out: &mut String, field: &str) {
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn url(args: &Args, config: ConfigFile) -> ExitCode {
    let [name] = args.operands.as_slice() else {
        return usage_error("`url` takes one profile name");
    };
    let parsed = resolve(config);
    match parsed.roles.iter().find(|r| r.profile == name) {
        Some(role) => match (&role.url, &role.reason) {
            (Some(url), _) => {
                println!("{}", url);
                ExitCode::SUCCESS
            }
            (None, reason) => {
                eprintln!(
                    "error: `{}` cannot be switched to in the console: {}",
                    name,
                    reason.as_deref().unwrap_or("it has no console link")
                );
                ExitCode::from(1)
            }
        },
        None => {
            say_no_such_role(&parsed.diagnostics, name, &args.config_path);
            ExitCode::from(1)
        }
    }
}

/// Says on stderr that `name` is no role profile of the config, with the diagnostic that says
/// why when the profile exists but is not a role.
fn say_no_such_role(diagnostics: &[Diagnostic], name: &str, config_path: &str) {
    let why = diagnostics
        .iter()
        .find(|d| d.profile.as_deref() == Some(name))
        .map(|d| format!(": {}", d.message))
        .unwrap_or_default();
    eprintln!("error: no role profile named `{name}` in {config_path}{why}");
}

/// `policy [PROFILE…]`: the identity policy allowing exactly those roles (every switchable
/// role when none is named), or with `--trust`, the roles' trust policy for that principal.
/// Whatever can be printed is; each profile that cannot be used is named on stderr, with its
/// line when it has one, and makes the exit status 1.
fn policy(args: &Args, config: ConfigFile) -> ExitCode {
    let parsed = resolve(config);
    let (chosen, unknown) = select_roles(&parsed.roles, &args.operands);
    let mut failed = !unknown.is_empty();
    for name in &unknown {
        say_no_such_role(&parsed.diagnostics, name, &args.config_path);
    }
    let report = |problem: &RoleProblem| {
        eprintln!(
            "{}:{}: error: {}",
            args.config_path, problem.line, problem.message
        );
    };

    if let Some(principal) = &args.trust {
        // Portal entries are not assumed with sts:AssumeRole: no trust policy of ours applies.
        let (sso, roles): (Vec<&RoleEntry>, Vec<&RoleEntry>) =
            chosen.iter().partition(|r| r.kind == EntryKind::Sso);
        for entry in sso {
            failed = true;
            report(&RoleProblem {
                profile: entry.profile.to_string(),
                line: entry.line,
                message: role_arn(entry).expect_err("an IAM Identity Center entry has no ARN"),
            });
        }
        // An account ID becomes its root ARN in the roles' partition; a trust policy lives in
        // one partition, so the roles must share one (an ARN principal names its own).
        let partition = match trust_partition(&roles) {
            Ok(partition) => partition,
            Err(several) if principal.starts_with("arn:") => several[0],
            Err(several) => {
                let names: Vec<&str> = several.iter().map(|p| p.id()).collect();
                eprintln!(
                    "error: the roles are in more than one partition ({}), and a trust policy names an account in one: name the profiles of one partition, or give --trust an ARN",
                    names.join(", ")
                );
                return ExitCode::from(1);
            }
        };
        match TrustPolicy::principal_arn(principal, partition) {
            Ok(principal) => {
                let trust = TrustPolicy {
                    principal,
                    require_source_identity: args.require_source_identity,
                };
                println!("{}", trust.to_json());
            }
            Err(message) => return usage_error(format_args!("--trust: {}", message)),
        }
    } else {
        let (policy, problems) = IdentityPolicy::for_roles(chosen.iter().copied());
        for problem in &problems {
            failed = true;
            report(problem);
        }
        if policy.resources.is_empty() {
            if args.operands.is_empty() {
                eprintln!(
                    "error: no role to grant: {} has no switchable role with an ARN",
                    args.config_path
                );
            } else {
                eprintln!("error: no role to grant: none of the profiles named has a role ARN");
            }
            return ExitCode::from(1);
        }
        let partitions = policy.partitions();
        if partitions.len() > 1 {
            eprintln!(
                "warning: the roles are in {} partitions ({}); IAM attaches a policy in one partition, so attach a policy per partition (name one partition's profiles for each)",
                partitions.len(),
                partitions.join(", ")
            );
        }
        println!("{}", policy.to_json());
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn path_of<'a>(args: &'a Args, d: &Diagnostic) -> &'a str {
    match d.file {
        "credentials" => args.credentials_path.as_deref().unwrap_or("credentials"),
        _ => &args.config_path,
    }
}

/// The linter: every diagnostic, rustc-style, and exit 1 when any is an error.
fn check(
    args: &Args,
    config: ConfigFile,
    config_text: &DecodedText,
    credentials_text: Option<&DecodedText>,
) -> ExitCode {
    let parsed = resolve(config);
    let has_errors = parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&parsed.diagnostics).expect("JSON serialises")
        );
    } else {
        let renderer = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        for d in &parsed.diagnostics {
            let text = match (d.file, credentials_text) {
                ("credentials", Some(credentials)) => &credentials.text,
                _ => &config_text.text,
            };
            println!("{}", render(&renderer, path_of(args, d), text, d));
        }
        let count = |s: Severity| {
            parsed
                .diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .count()
        };
        println!(
            "{}: {}, {}, {}; {}",
            args.config_path,
            counted(count(Severity::Error), "error"),
            counted(count(Severity::Warning), "warning"),
            counted(count(Severity::Note), "note"),
            counted(parsed.roles.len(), "role")
        );
    }
    if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `1 note`, `2 notes`, `0 errors`.
fn counted(count: usize, noun: &str) -> String {
    format!("{} {}{}", count, noun, if count == 1 { "" } else { "s" })
}

/// How many characters of a long line to show on each side of the problem.
const CONTEXT_CHARS: usize = 60;

/// `file:line:col: error[code]: message`, then the source line with a caret under the problem
/// and the fix as its label (rendered by annotate-snippets).
fn render(renderer: &Renderer, path: &str, text: &str, d: &Diagnostic) -> String {
    let header = format!(
        "{}:{}:{}: {}[{}]: {}",
        path,
        d.line,
        d.column,
        d.severity.as_str(),
        d.code,
        d.message
    );
    let Some(line) = text.split('\n').nth(d.line as usize - 1) else {
        return header;
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    // Control characters (a NUL byte) would garble the terminal; show them as U+FFFD. One
    // character for one keeps the columns right.
    let line: String = line
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    let line = line.as_str();
    // A 10 MB line is shown as a window around the problem, not in full.
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let column = (d.column as usize).saturating_sub(1).min(chars.len());
    let first = column.saturating_sub(CONTEXT_CHARS);
    let last = (column + d.length as usize + CONTEXT_CHARS).min(chars.len());
    let byte_at = |i: usize| chars.get(i).map_or(line.len(), |&(b, _)| b);
    let window = &line[byte_at(first)..byte_at(last)];
    let start = byte_at(column) - byte_at(first);
    let end = (byte_at((column + d.length as usize).min(chars.len())) - byte_at(first))
        .max(start + 1)
        .min(window.len().max(start + 1));
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    };
    let label = d.fix.as_deref().unwrap_or("");
    let message = level.title("").snippet(
        Snippet::source(window)
            .line_start(d.line as usize)
            .annotation(
                level
                    .span(start..end.min(window.len().max(start)))
                    .label(label),
            ),
    );
    let rendered = renderer.render(message).to_string();
    // annotate-snippets starts with its own `error: ` title line; ours replaces it.
    match rendered.split_once('\n') {
        Some((_, snippet)) => format!("{}\n{}", header, snippet),
        None => header,
    }
}
