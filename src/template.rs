//! `{name}` placeholders in the UI's localised messages (`extension/_locales/*/messages.json`),
//! filled with values that may quote a config or a web page.

/// `template` with each `{name}` that `values` names replaced by its value, in one pass: a
/// value is never itself searched for placeholders, so text quoted from a config cannot
/// become one. Braces that name no value stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_each_placeholder_in_the_translation_s_order() {
        assert_eq!(
            fill(
                "第 {line} 行第 {column} 列：{message}",
                &[("message", "m"), ("line", "3"), ("column", "7")]
            ),
            "第 3 行第 7 列：m"
        );
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_stays_text() {
        // A role name or a page's login could carry `{account}`.
        assert_eq!(
            fill(
                "Signed in: {role} in {account}",
                &[("role", "{account}"), ("account", "123456789012")]
            ),
            "Signed in: {account} in 123456789012"
        );
    }

    #[test]
    fn unknown_and_unclosed_braces_are_kept() {
        assert_eq!(fill("{n} {other} {", &[("n", "1")]), "1 {other} {");
        assert_eq!(fill("no placeholders", &[]), "no placeholders");
    }
}
