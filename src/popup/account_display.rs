//! "Hide account IDs" for the popup's own sentences: the signed-in line and every status that
//! quotes an account (a copied link's profile, AWS's refusal naming two accounts). An ID is
//! shown as its alias when the config or the console gives one, else as a placeholder.
//!
//! Pure text functions; `src/web/popup.rs` passes the placeholder in the UI's language.

use crate::console::identity::is_account_id;
use crate::popup::base_account::BaseAccount;
use crate::roles::entry::RoleEntry;

/// The alias the config gives account `id`: a base account's or a role's `aws_account_alias`.
pub fn alias_of(id: &str, bases: &[BaseAccount], entries: &[RoleEntry]) -> Option<String> {
    bases
        .iter()
        .find(|b| b.account_id.as_deref() == Some(id) && b.account_alias.is_some())
        .and_then(|b| b.account_alias.clone())
        .or_else(|| {
            entries
                .iter()
                .find(|e| e.account == id && e.account_alias.is_some())
                .and_then(|e| e.account_alias.as_deref().map(str::to_string))
        })
}

/// How `account` (an ID or an alias) reads: an alias as it is; an ID as it is, or, when IDs are
/// hidden, as `alias` when there is one, else `placeholder`.
pub fn account_label(
    account: &str,
    hide_ids: bool,
    alias: Option<&str>,
    placeholder: &str,
) -> String {
    if !hide_ids || !is_account_id(account) {
        return account.to_string();
    }
    alias.unwrap_or(placeholder).to_string()
}

/// `text` with every account ID in it (12 digits alone, or `1234-5678-9012` as the console
/// shows them) replaced by `name_for(id)`. Longer digit runs are not IDs and stay.
pub fn hide_account_ids(text: &str, name_for: impl Fn(&str) -> String) -> String {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            i += 1;
            continue;
        }
        let run = (i..bytes.len()).take_while(|&j| digit(j)).count();
        let dashed = run == 4
            && [4, 9].iter().all(|&d| bytes.get(i + d) == Some(&b'-'))
            && (i + 5..i + 9).chain(i + 10..i + 14).all(digit)
            && !digit(i + 14);
        let len = match (run, dashed) {
            (12, _) => 12,
            (_, true) => 14,
            _ => {
                i += run;
                continue;
            }
        };
        let id: String = text[i..i + len].chars().filter(|c| *c != '-').collect();
        out.push_str(&text[copied..i]);
        out.push_str(&name_for(&id));
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(text: &str) -> String {
        hide_account_ids(text, |id| {
            if id == "111111111111" {
                "console-base".into()
            } else {
                "(hidden)".into()
            }
        })
    }

    #[test]
    fn ids_alone_or_dashed_are_replaced_and_other_numbers_stay() {
        assert_eq!(
            hidden("AWS says this identity (base-user in 111111111111) may not switch to Forbidden in 222222222222."),
            "AWS says this identity (base-user in console-base) may not switch to Forbidden in (hidden)."
        );
        assert_eq!(hidden("in 2222-2222-2222!"), "in (hidden)!");
        assert_eq!(hidden("acct-222222222222-dev"), "acct-(hidden)-dev");
        assert_eq!(
            hidden("1234567890123 and 12345 and 2222-2222-22222"),
            "1234567890123 and 12345 and 2222-2222-22222"
        );
        assert_eq!(
            hidden("HTTP 403, 中文 222222222222。"),
            "HTTP 403, 中文 (hidden)。"
        );
        assert_eq!(hidden(""), "");
    }

    #[test]
    fn labels_hide_only_ids() {
        assert_eq!(
            account_label("111111111111", false, Some("a"), "?"),
            "111111111111"
        );
        assert_eq!(account_label("111111111111", true, Some("a"), "?"), "a");
        assert_eq!(account_label("111111111111", true, None, "?"), "?");
        assert_eq!(account_label("my-login", true, None, "?"), "my-login");
    }

    #[test]
    fn aliases_come_from_base_accounts_then_roles() {
        let text = "[profile base]\naws_account_id = 111111111111\naws_account_alias = console-base\n\
                    [profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::222222222222:role/R\naws_account_alias = prod\n";
        let config = crate::config::read_config_files(text, None);
        let bases = crate::popup::base_account::base_accounts(&config);
        let entries = crate::analysis::resolve(config).roles;
        assert_eq!(
            alias_of("111111111111", &bases, &entries).as_deref(),
            Some("console-base")
        );
        assert_eq!(
            alias_of("222222222222", &bases, &entries).as_deref(),
            Some("prod")
        );
        assert_eq!(alias_of("333333333333", &bases, &entries), None);
    }
}
