//! `aws-role-switcher`: the command-line face of the core. Reads `$AWS_CONFIG_FILE` (else
//! `~/.aws/config`) and prints role entries, switch URLs, bookmarks, the SDK reading of the
//! profiles, and diagnostics as a linter.
//!
//! Thin by design: every decision about what a config means lives in the library; this file
//! parses arguments, reads files and renders. The credentials file is read only when
//! `--credentials` names it, so that secrets are never loaded (or printed) by surprise.

use std::io::IsTerminal;
use std::process::ExitCode;

use annotate_snippets::{Level, Renderer, Snippet};
use aws_role_switcher::bookmarks::bookmarks_html;
use aws_role_switcher::config::decode::{decode_config_bytes, DecodedText};
use aws_role_switcher::config::{read_decoded_files, resolve, ConfigFile};
use aws_role_switcher::{Diagnostic, Severity};

const USAGE: &str = "\
usage: aws-role-switcher [--config FILE] [--credentials FILE] COMMAND

commands:
  roles [--json]            the role entries: profile, account, role, partition, link or reason
  url PROFILE               the switch-role link of one profile
  check [--json]            lint the config: rustc-style diagnostics, exit 1 on errors
  profiles --json [--strict]
                            the profiles as the AWS SDKs read them ({\"profiles\", \"sso_sessions\"});
                            --strict exits 1 where the SDK specification rejects the file
  bookmarks                 a Netscape bookmarks HTML file of every switchable role's link

The config is --config, else $AWS_CONFIG_FILE, else ~/.aws/config.
The credentials file is merged in only when --credentials names it.";

/// Exit code for usage errors and unreadable files, apart from 1 (\"the config has errors\").
const EXIT_USAGE: u8 = 2;

struct Args {
    command: String,
    operands: Vec<String>,
    config_path: String,
    credentials_path: Option<String>,
    json: bool,
    strict: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut command = None;
    let mut operands = Vec::new();
    let mut config_path = None;
    let mut credentials_path = None;
    let mut json = false;
    let mut strict = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value_of = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{} needs a file name", name))
        };
        match arg.as_str() {
            "--config" => config_path = Some(value_of("--config")?),
            "--credentials" => credentials_path = Some(value_of("--credentials")?),
            "--json" => json = true,
            "--strict" => strict = true,
            "-h" | "--help" => return Err(String::new()),
            _ if arg.starts_with("--config=") => config_path = Some(arg[9..].to_string()),
            _ if arg.starts_with("--credentials=") => {
                credentials_path = Some(arg[14..].to_string())
            }
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return Err(format!("unknown option `{}`", arg))
            }
            _ if command.is_none() => command = Some(arg),
            _ => operands.push(arg),
        }
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
    Ok(Args {
        command: command.ok_or_else(|| "no command given".to_string())?,
        operands,
        config_path,
        credentials_path,
        json,
        strict,
    })
}

fn read_file(path: &str, what: &'static str) -> Result<DecodedText, String> {
    std::fs::read(path)
        .map(|bytes| decode_config_bytes(&bytes, what))
        .map_err(|err| format!("cannot read {} file {}: {}", what, path, err))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {}\n", message);
            }
            eprintln!("{}", USAGE);
            return ExitCode::from(if message.is_empty() { 0 } else { EXIT_USAGE });
        }
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
        other => {
            eprintln!("error: unknown command `{}`\n\n{}", other, USAGE);
            ExitCode::from(EXIT_USAGE)
        }
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
        for role in &parsed.roles {
            println!(
                "{}\t{}\t{}\t{}\t{}",
                role.profile,
                role.account,
                role.role_name,
                role.partition,
                match (&role.url, &role.reason) {
                    (Some(url), _) => url.clone(),
                    (None, Some(reason)) => format!("not switchable: {}", reason),
                    (None, None) => String::new(),
                }
            );
        }
    }
    ExitCode::SUCCESS
}

fn url(args: &Args, config: ConfigFile) -> ExitCode {
    let [name] = args.operands.as_slice() else {
        eprintln!("error: `url` takes one profile name\n\n{}", USAGE);
        return ExitCode::from(EXIT_USAGE);
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
            let why = parsed
                .diagnostics
                .iter()
                .find(|d| d.profile.as_deref() == Some(name.as_str()))
                .map(|d| format!(": {}", d.message))
                .unwrap_or_default();
            eprintln!(
                "error: no role profile named `{}` in {}{}",
                name, args.config_path, why
            );
            ExitCode::from(1)
        }
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
            "{}: {} errors, {} warnings, {} notes; {} roles",
            args.config_path,
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
            parsed.roles.len()
        );
    }
    if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
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
