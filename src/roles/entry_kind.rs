//! What a switch target is: an IAM role or an IAM Identity Center account. Its own module, below
//! both the role entries and the switch URLs, as the kind decides which URL an entry gets.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// An IAM role, switched to through the console's switch-role page.
    Role,
    /// An IAM Identity Center account + permission set, opened through the access portal.
    Sso,
}
