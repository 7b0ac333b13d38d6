//! The popup's model, pure and natively tested: its state (`model`), what each key does
//! (`keys`), search and ranking (`search`), Recent (`history`), base accounts and who is signed
//! in (`base_account`), the rows of the Roles list (`rows`) and "Hide account IDs"
//! (`account_display`). The page in `web/popup/` draws what these decide.

pub mod account_display;
pub mod base_account;
pub mod history;
pub mod keys;
pub mod model;
pub mod rows;
pub mod search;
