//! Role entries → a Netscape bookmarks file, the format every browser imports, so that a team
//! can hand out its switch-role links without the extension.
//!
//! One folder per base account (the `source_profile` the roles hang off), roles without one at
//! the top. Config text is never HTML: every name and URL is escaped here.

use crate::roles::entry::RoleEntry;

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The bookmark's visible title: `profile (role @ account)`.
fn title(entry: &RoleEntry) -> String {
    format!(
        "{} ({} @ {})",
        entry.profile, entry.role_name, entry.account
    )
}

fn push_link(out: &mut String, indent: &str, entry: &RoleEntry, url: &str) {
    out.push_str(&format!(
        "{}<DT><A HREF=\"{}\">{}</A>\n",
        indent,
        escape_html(url),
        escape_html(&title(entry))
    ));
}

/// A Netscape bookmarks HTML file holding every switchable entry's link, in file order, under
/// a `folder_title` folder with one sub-folder per base account.
pub fn bookmarks_html(entries: &[RoleEntry], folder_title: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <!-- This is an automatically generated file. It will be read and overwritten. -->\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n\
         <H1>Bookmarks</H1>\n\
         <DL><p>\n",
    );
    out.push_str(&format!(
        "    <DT><H3>{}</H3>\n    <DL><p>\n",
        escape_html(folder_title)
    ));
    let linked: Vec<(&RoleEntry, &str)> = entries
        .iter()
        .filter_map(|e| Some((e, e.url.as_deref()?)))
        .collect();
    // Base-account folders in order of first appearance.
    let mut bases: Vec<&str> = Vec::new();
    for (entry, _) in &linked {
        if let Some(base) = entry.base_profile.as_deref() {
            if !bases.contains(&base) {
                bases.push(base);
            }
        }
    }
    for base in bases {
        out.push_str(&format!(
            "        <DT><H3>{}</H3>\n        <DL><p>\n",
            escape_html(base)
        ));
        for (entry, url) in linked
            .iter()
            .filter(|(e, _)| e.base_profile.as_deref() == Some(base))
        {
            push_link(&mut out, "            ", entry, url);
        }
        out.push_str("        </DL><p>\n");
    }
    for (entry, url) in linked.iter().filter(|(e, _)| e.base_profile.is_none()) {
        push_link(&mut out, "        ", entry, url);
    }
    out.push_str("    </DL><p>\n</DL><p>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_html_could_read_as_markup() {
        assert_eq!(
            escape_html(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn folders_by_base_account_and_escapes_names() {
        let mut parsed = crate::parse_config(
            "[profile base]\naws_access_key_id = x\n\
             [profile ab]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = base\n\
             [profile top]\nrole_arn = arn:aws:iam::123456789012:role/T\n\
             [profile ext]\nrole_arn = arn:aws:iam::123456789012:role/E\nexternal_id = x\n",
        );
        // Config grammar keeps `<>&"` out of names today; the escaping must not rely on it.
        parsed.roles[0].profile = "a<b>&\"'".into();
        parsed.roles[0].url = Some("https://signin.aws.amazon.com/switchrole?a=1&b=\"2".into());
        let html = bookmarks_html(&parsed.roles, "AWS roles");
        assert!(html.contains("<DT><H3>base</H3>"));
        assert!(html.contains("a&lt;b&gt;&amp;&quot;&#39; (A @ 123456789012)"));
        assert!(
            html.contains("HREF=\"https://signin.aws.amazon.com/switchrole?a=1&amp;b=&quot;2\"")
        );
        assert!(html.contains("top (T @ 123456789012)"));
        assert!(!html.contains("ext ("), "unswitchable roles have no link");
    }
}
