//! AWS Role Switcher: read an AWS shared config (`~/.aws/config`) and turn its profiles into
//! console switch-role targets.
//!
//! This crate is two thin faces over one pure-Rust core:
//! - the core (everything outside `web`), pure Rust that builds and tests natively and knows
//!   nothing of browsers, in layers: `config` (bytes → text → INI lines → profiles), `roles`
//!   (profiles → validated role entries and what is made of them: switch links, colours,
//!   policies, bookmarks), `analysis` (the entry points over both), `console` (what a console
//!   tab shows and how long its session lasts), `popup` (search, history, rows: the popup's model),
//!   `settings` (what both pages share) and `store` (saved versions and the sync format);
//! - `web` (wasm32 only): the extension's popup and options pages, driven through `web-sys`;
//! - `src/bin/aws-role-switcher.rs`: the command-line tool.
//!
//! The entry point is [`parse_config`]: text in, [`ParsedConfig`] (role entries plus
//! diagnostics) out. It never fails.

pub mod analysis;
pub mod config;
pub mod console;
pub mod diagnostic;
pub mod encode;
pub mod popup;
pub mod roles;
pub mod settings;
pub mod store;
pub mod template;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use analysis::{
    check_config, parse_config, parse_config_bytes, parse_config_files, parse_config_files_bytes,
    ConfigCheck, ParsedConfig,
};
pub use diagnostic::{Diagnostic, Severity};
pub use roles::entry::RoleEntry;
pub use roles::entry_kind::EntryKind;
pub use roles::partition::Partition;
