//! Role entries and what is made of them: profiles become validated [`entry::RoleEntry`]s
//! (`entry`, `validation`, `entry_kind`), and entries become switch links (`switch_url`, with
//! `partition` and `color`), config text from links (`switch_link`), IAM policies (`policy`,
//! `admin_message`) and bookmarks (`bookmarks`).

pub mod admin_message;
pub mod bookmarks;
pub mod color;
pub mod entry;
pub mod entry_kind;
pub mod partition;
pub mod policy;
pub mod switch_link;
pub mod switch_url;
pub mod validation;
