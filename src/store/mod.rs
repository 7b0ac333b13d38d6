//! What is kept of a config, as plain data: the replaced versions (`config_versions`), the
//! compressed chunks `chrome.storage.sync` holds (`sync_chunks`) and what a browser does when it
//! meets them (`sync_decision`). `web/storage.rs` and `web/sync_store.rs` perform it.

pub mod config_versions;
pub mod sync_chunks;
pub mod sync_decision;
