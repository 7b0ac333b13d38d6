//! Colours: what users write in a config (`#ff0000`, `f00`, `mediumseagreen`), normalised to
//! six lower-case hex digits, and the nearest of the five colours AWS's switch-role link accepts.

use std::borrow::Cow;

/// The colours the console's switch-role link accepts; it leaves the field empty for any other.
pub const AWS_LINK_COLORS: [(&str, u32); 5] = [
    ("f2b0a9", 0xf2b0a9), // red
    ("fbc8aa", 0xfbc8aa), // orange
    ("efda95", 0xefda95), // yellow
    ("b7ca9d", 0xb7ca9d), // green
    ("83d4e8", 0x83d4e8), // blue
];

/// CSS named colours (CSS Color Module Level 4), as aws-role-switch configs use them.
const CSS_NAMED_COLORS: [(&str, u32); 148] = [
    ("aliceblue", 0xf0f8ff),
    ("antiquewhite", 0xfaebd7),
    ("aqua", 0x00ffff),
    ("aquamarine", 0x7fffd4),
    ("azure", 0xf0ffff),
    ("beige", 0xf5f5dc),
    ("bisque", 0xffe4c4),
    ("black", 0x000000),
    ("blanchedalmond", 0xffebcd),
    ("blue", 0x0000ff),
    ("blueviolet", 0x8a2be2),
    ("brown", 0xa52a2a),
    ("burlywood", 0xdeb887),
    ("cadetblue", 0x5f9ea0),
    ("chartreuse", 0x7fff00),
    ("chocolate", 0xd2691e),
    ("coral", 0xff7f50),
    ("cornflowerblue", 0x6495ed),
    ("cornsilk", 0xfff8dc),
    ("crimson", 0xdc143c),
    ("cyan", 0x00ffff),
    ("darkblue", 0x00008b),
    ("darkcyan", 0x008b8b),
    ("darkgoldenrod", 0xb8860b),
    ("darkgray", 0xa9a9a9),
    ("darkgreen", 0x006400),
    ("darkgrey", 0xa9a9a9),
    ("darkkhaki", 0xbdb76b),
    ("darkmagenta", 0x8b008b),
    ("darkolivegreen", 0x556b2f),
    ("darkorange", 0xff8c00),
    ("darkorchid", 0x9932cc),
    ("darkred", 0x8b0000),
    ("darksalmon", 0xe9967a),
    ("darkseagreen", 0x8fbc8f),
    ("darkslateblue", 0x483d8b),
    ("darkslategray", 0x2f4f4f),
    ("darkslategrey", 0x2f4f4f),
    ("darkturquoise", 0x00ced1),
    ("darkviolet", 0x9400d3),
    ("deeppink", 0xff1493),
    ("deepskyblue", 0x00bfff),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("dodgerblue", 0x1e90ff),
    ("firebrick", 0xb22222),
    ("floralwhite", 0xfffaf0),
    ("forestgreen", 0x228b22),
    ("fuchsia", 0xff00ff),
    ("gainsboro", 0xdcdcdc),
    ("ghostwhite", 0xf8f8ff),
    ("gold", 0xffd700),
    ("goldenrod", 0xdaa520),
    ("gray", 0x808080),
    ("green", 0x008000),
    ("greenyellow", 0xadff2f),
    ("grey", 0x808080),
    ("honeydew", 0xf0fff0),
    ("hotpink", 0xff69b4),
    ("indianred", 0xcd5c5c),
    ("indigo", 0x4b0082),
    ("ivory", 0xfffff0),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("lavenderblush", 0xfff0f5),
    ("lawngreen", 0x7cfc00),
    ("lemonchiffon", 0xfffacd),
    ("lightblue", 0xadd8e6),
    ("lightcoral", 0xf08080),
    ("lightcyan", 0xe0ffff),
    ("lightgoldenrodyellow", 0xfafad2),
    ("lightgray", 0xd3d3d3),
    ("lightgreen", 0x90ee90),
    ("lightgrey", 0xd3d3d3),
    ("lightpink", 0xffb6c1),
    ("lightsalmon", 0xffa07a),
    ("lightseagreen", 0x20b2aa),
    ("lightskyblue", 0x87cefa),
    ("lightslategray", 0x778899),
    ("lightslategrey", 0x778899),
    ("lightsteelblue", 0xb0c4de),
    ("lightyellow", 0xffffe0),
    ("lime", 0x00ff00),
    ("limegreen", 0x32cd32),
    ("linen", 0xfaf0e6),
    ("magenta", 0xff00ff),
    ("maroon", 0x800000),
    ("mediumaquamarine", 0x66cdaa),
    ("mediumblue", 0x0000cd),
    ("mediumorchid", 0xba55d3),
    ("mediumpurple", 0x9370db),
    ("mediumseagreen", 0x3cb371),
    ("mediumslateblue", 0x7b68ee),
    ("mediumspringgreen", 0x00fa9a),
    ("mediumturquoise", 0x48d1cc),
    ("mediumvioletred", 0xc71585),
    ("midnightblue", 0x191970),
    ("mintcream", 0xf5fffa),
    ("mistyrose", 0xffe4e1),
    ("moccasin", 0xffe4b5),
    ("navajowhite", 0xffdead),
    ("navy", 0x000080),
    ("oldlace", 0xfdf5e6),
    ("olive", 0x808000),
    ("olivedrab", 0x6b8e23),
    ("orange", 0xffa500),
    ("orangered", 0xff4500),
    ("orchid", 0xda70d6),
    ("palegoldenrod", 0xeee8aa),
    ("palegreen", 0x98fb98),
    ("paleturquoise", 0xafeeee),
    ("palevioletred", 0xdb7093),
    ("papayawhip", 0xffefd5),
    ("peachpuff", 0xffdab9),
    ("peru", 0xcd853f),
    ("pink", 0xffc0cb),
    ("plum", 0xdda0dd),
    ("powderblue", 0xb0e0e6),
    ("purple", 0x800080),
    ("rebeccapurple", 0x663399),
    ("red", 0xff0000),
    ("rosybrown", 0xbc8f8f),
    ("royalblue", 0x4169e1),
    ("saddlebrown", 0x8b4513),
    ("salmon", 0xfa8072),
    ("sandybrown", 0xf4a460),
    ("seagreen", 0x2e8b57),
    ("seashell", 0xfff5ee),
    ("sienna", 0xa0522d),
    ("silver", 0xc0c0c0),
    ("skyblue", 0x87ceeb),
    ("slateblue", 0x6a5acd),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("snow", 0xfffafa),
    ("springgreen", 0x00ff7f),
    ("steelblue", 0x4682b4),
    ("tan", 0xd2b48c),
    ("teal", 0x008080),
    ("thistle", 0xd8bfd8),
    ("tomato", 0xff6347),
    ("turquoise", 0x40e0d0),
    ("violet", 0xee82ee),
    ("wheat", 0xf5deb3),
    ("white", 0xffffff),
    ("whitesmoke", 0xf5f5f5),
    ("yellow", 0xffff00),
    ("yellowgreen", 0x9acd32),
];

/// Normalises a colour to six lower-case hex digits, or `None` if it is not a colour.
pub fn normalize_color(text: &str) -> Option<String> {
    normalize_color_text(text).map(Cow::into_owned)
}

/// [`normalize_color`], borrowing from `text` when it already holds the six lower-case hex
/// digits (`ff9900`, `#ff9900`): the usual case, with no allocation.
pub fn normalize_color_text(text: &str) -> Option<Cow<'_, str>> {
    let text = text.trim();
    let hex = text.strip_prefix('#').unwrap_or(text);
    let bytes = hex.as_bytes();
    if bytes.iter().all(u8::is_ascii_hexdigit) {
        match bytes.len() {
            6 if !bytes.iter().any(u8::is_ascii_uppercase) => return Some(Cow::Borrowed(hex)),
            6 => return Some(Cow::Owned(hex.to_ascii_lowercase())),
            3 => {
                let mut out = String::with_capacity(6);
                for c in hex.chars() {
                    out.push(c.to_ascii_lowercase());
                    out.push(c.to_ascii_lowercase());
                }
                return Some(Cow::Owned(out));
            }
            _ => {}
        }
    }
    if text.starts_with('#') {
        return None;
    }
    CSS_NAMED_COLORS
        .iter()
        .find(|(css_name, _)| css_name.eq_ignore_ascii_case(text))
        .map(|(_, rgb)| Cow::Owned(format!("{:06x}", rgb)))
}

fn channels(rgb: u32) -> (i32, i32, i32) {
    (
        (rgb >> 16) as i32 & 255,
        (rgb >> 8) as i32 & 255,
        rgb as i32 & 255,
    )
}

/// The AWS link colour nearest to a normalised colour. Compared by hue, against each colour's
/// name (red, orange, yellow, green, blue) rather than its pastel shade, so that `orange` maps
/// to orange and a dark red still maps to red.
pub fn nearest_aws_link_color(hex6: &str) -> Option<&'static str> {
    const NAMED_HUES: [i32; 5] = [0, 30, 55, 120, 210];
    let rgb = u32::from_str_radix(hex6, 16).ok()?;
    if let Some((name, _)) = AWS_LINK_COLORS.iter().find(|(name, _)| *name == hex6) {
        return Some(name);
    }
    let (r, g, b) = channels(rgb);
    let index = match hue_degrees(r, g, b) {
        Some(hue) => (0..5).min_by_key(|&i| {
            let d = (hue - NAMED_HUES[i]).abs();
            d.min(360 - d)
        })?,
        // Greys have no hue: take the nearest shade.
        None => (0..5).min_by_key(|&i| {
            let (cr, cg, cb) = channels(AWS_LINK_COLORS[i].1);
            (r - cr).pow(2) + (g - cg).pow(2) + (b - cb).pow(2)
        })?,
    };
    Some(AWS_LINK_COLORS[index].0)
}

/// The colour the console is given for a role (`color` of the switch), the same whichever way
/// it is switched to. The prefilled link carries only AWS's five link colours (the console
/// leaves the field empty for any other), while the `/switchrole` form POST takes any hex
/// colour: AWS Extend Switch Roles posts its users' own (README of
/// github.com/tilfin/aws-extend-switch-roles: "`color` that is RGB hex value", posted by its
/// `extension/js/content.js`). One colour for both routes is therefore the nearest link
/// colour of the role's own `color`, or none when it sets none (the account's invented
/// colour, which no link can carry, stays in the popup).
pub fn console_color(color: Option<&str>) -> Option<&'static str> {
    color.and_then(nearest_aws_link_color)
}

fn hue_degrees(r: i32, g: i32, b: i32) -> Option<i32> {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let delta = max - min;
    if delta < 16 {
        return None;
    }
    let hue = if max == r {
        60 * (g - b) / delta
    } else if max == g {
        60 * (b - r) / delta + 120
    } else {
        60 * (r - g) / delta + 240
    };
    Some(hue.rem_euclid(360))
}

/// A stable colour for an account without one, so that one account always looks the same.
pub fn color_for_account(account: &str) -> String {
    // FNV-1a: tiny, stable across builds and platforms.
    let mut hash: u32 = 0x811c9dc5;
    for byte in account.bytes() {
        hash ^= byte as u32;
        hash = hash.wrapping_mul(0x01000193);
    }
    // A pastel of any hue, readable behind dark text.
    let hue = (hash % 360) as f64;
    let (s, l) = (0.55, 0.72);
    let c = (1.0 - (2.0 * l - 1.0f64).abs()) * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match hue as u32 / 60 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to_byte = |v: f64| ((v + m) * 255.0).round() as u32;
    format!("{:02x}{:02x}{:02x}", to_byte(r), to_byte(g), to_byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_every_written_form() {
        assert_eq!(normalize_color("#FF0000").as_deref(), Some("ff0000"));
        assert_eq!(normalize_color("f00").as_deref(), Some("ff0000"));
        assert_eq!(normalize_color("#abc").as_deref(), Some("aabbcc"));
        assert_eq!(normalize_color("mediumseagreen").as_deref(), Some("3cb371"));
        assert_eq!(normalize_color("LightCoral").as_deref(), Some("f08080"));
        assert_eq!(normalize_color("#ggg"), None);
        assert_eq!(normalize_color("reddish"), None);
        assert_eq!(normalize_color("12345"), None);
    }

    #[test]
    fn maps_to_the_nearest_link_color() {
        assert_eq!(nearest_aws_link_color("ff0000"), Some("f2b0a9"));
        assert_eq!(nearest_aws_link_color("8b0000"), Some("f2b0a9"));
        assert_eq!(nearest_aws_link_color("ffa500"), Some("fbc8aa"));
        assert_eq!(nearest_aws_link_color("ffff00"), Some("efda95"));
        assert_eq!(nearest_aws_link_color("3cb371"), Some("b7ca9d"));
        assert_eq!(nearest_aws_link_color("0000ff"), Some("83d4e8"));
        assert_eq!(nearest_aws_link_color("83d4e8"), Some("83d4e8"));
    }

    #[test]
    fn account_colors_are_stable_and_distinct() {
        assert_eq!(
            color_for_account("123456789012"),
            color_for_account("123456789012")
        );
        assert_ne!(
            color_for_account("123456789012"),
            color_for_account("210987654321")
        );
        assert_eq!(color_for_account("x").len(), 6);
    }
}
