//! AWS Role Switcher: read an AWS shared config (`~/.aws/config`) and turn its profiles into
//! console switch-role targets.
//!
//! This crate is two thin faces over one pure-Rust core:
//! - the core (everything outside `web`): config parsing, role entries, validation, switch URLs.
//!   It knows nothing of browsers and builds and tests natively;
//! - `web` (wasm32 only): the extension's popup and options pages, driven through `web-sys`;
//! - `src/bin/aws-role-switcher.rs`: the command-line tool.
//!
//! The entry point is [`parse_config`]: text in, [`ParsedConfig`] (role entries plus
//! diagnostics) out. It never fails.

pub mod account_display;
pub mod admin_message;
pub mod analysis;
pub mod base_account;
pub mod bookmarks;
pub mod color;
pub mod config;
pub mod config_versions;
pub mod console_identity;
pub mod console_session;
pub mod diagnostic;
pub mod encode;
pub mod entry_kind;
pub mod history;
pub mod partition;
pub mod policy;
pub mod popup_rows;
pub mod role;
pub mod search;
pub mod session_clock;
pub mod settings;
pub mod switch_link;
pub mod switch_url;
pub mod sync_chunks;
pub mod sync_decision;
pub mod template;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use analysis::{
    check_config, parse_config, parse_config_bytes, parse_config_files, parse_config_files_bytes,
    ConfigCheck, ParsedConfig,
};
pub use diagnostic::{Diagnostic, Severity};
pub use partition::Partition;
pub use role::{EntryKind, RoleEntry};
