//! Percent-encoding as JavaScript's `encodeURIComponent` does it, and the matching decoder.
//!
//! Switch URLs must be byte-for-byte what a browser would build, so that the extension, the CLI
//! and the tests agree on one exact string.

/// Characters `encodeURIComponent` leaves alone, as a table over bytes.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        byte += 1;
    }
    table
};

pub fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    encode_uri_component_into(&mut out, text);
    out
}

/// [`encode_uri_component`], appended to `out`.
pub fn encode_uri_component_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if UNRESERVED[byte as usize] {
            continue;
        }
        // Copy the run of unreserved bytes at once: most of a URL needs no escaping. A
        // non-empty run starts and ends at ASCII bytes, so it is whole characters.
        if start < i {
            out.push_str(&text[start..i]);
        }
        out.push('%');
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 15) as usize] as char);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`, as in form data). Invalid
/// escapes are kept as they are; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string (without `?`) into decoded `(name, value)` pairs, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encode_uri_component("ops/Operator"), "ops%2FOperator");
        assert_eq!(encode_uri_component("a b&c=d#e?"), "a%20b%26c%3Dd%23e%3F");
        assert_eq!(encode_uri_component("x-_.!~*'()"), "x-_.!~*'()");
        assert_eq!(encode_uri_component("生产"), "%E7%94%9F%E4%BA%A7");
    }

    #[test]
    fn decodes_what_it_encodes() {
        for text in ["ops/Operator", "a b&c=d#e?%", "生产", "100%", "%zz"] {
            assert_eq!(percent_decode(&encode_uri_component(text), false), text);
        }
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%4", false), "%4");
        assert_eq!(percent_decode("a+b", true), "a b");
    }
}
