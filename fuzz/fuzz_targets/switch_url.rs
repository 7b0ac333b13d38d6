//! Fuzz target: the switch-URL builder. Arbitrary profile, partition, account, role, region and
//! colour (one per line of the input) go through a one-profile config; every link built must
//! be on a sign-in host of `aws`, `aws-cn` or `aws-us-gov`, printable ASCII, fragment-free, with
//! exactly one `account`, the entry's own. `encode_uri_component` must round-trip.
//!
//! Run: `cargo +nightly fuzz run switch_url -- -max_total_time=180` (from the crate root).

#![no_main]

use aws_role_switcher::encode::encode_uri_component;
use aws_role_switcher::parse_config;
use libfuzzer_sys::fuzz_target;

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex after %"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let encoded = encode_uri_component(&text);
    assert!(encoded.bytes().all(|b| b.is_ascii_graphic()), "{encoded:?}");
    assert_eq!(percent_decode(&encoded), text.as_bytes(), "round trip of {text:?}");

    let mut f = text.split('\n');
    let mut next = || f.next().unwrap_or("").replace(['\r', '[', ']'], "");
    let (profile, partition, account, role, region, color) =
        (next(), next(), next(), next(), next(), next());
    let config = format!(
        "[profile p{profile}]\nrole_arn = arn:{partition}:iam::{account}:role/{role}\nregion = {region}\ncolor = {color}\n"
    );
    for entry in parse_config(&config).roles {
        let Some(url) = entry.url.as_deref() else { continue };
        let rest = url.strip_prefix("https://").expect("https");
        let host = rest.split('/').next().unwrap();
        assert!(
            ["signin.aws.amazon.com", "signin.amazonaws.cn", "signin.amazonaws-us-gov.com"]
                .iter()
                .any(|s| host == *s || host.ends_with(&format!(".{s}"))),
            "{url}"
        );
        assert!(url.bytes().all(|b| b.is_ascii_graphic()) && !url.contains('#'), "{url}");
        let query = rest.split_once('?').map(|(_, q)| q).unwrap_or("");
        let accounts: Vec<_> = query.split('&').filter_map(|kv| kv.strip_prefix("account=")).collect();
        assert_eq!(accounts, [entry.account.as_str()], "{url}");
    }
});
