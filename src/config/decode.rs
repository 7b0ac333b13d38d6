//! Bytes → text: what a user's file really holds before the grammar sees it.
//!
//! Config files are UTF-8, but people paste and save whatever their editor makes: a UTF-8
//! byte-order mark, UTF-16 from Windows tools, stray binary bytes. We decode all of it and say
//! what we did, with the line, rather than refusing the file: every readable line still counts.
//! (The UTF-8 BOM itself is reported by the grammar layer, which sees it in `&str` input too.)

use crate::diagnostic::Diagnostic;

/// At most this many diagnostics of one kind per file; the rest are counted in a summary, so
/// that a binary file yields a readable report rather than thousands of lines.
const MAX_REPORTED: usize = 10;

/// The decoded text and what was wrong with the bytes.
pub struct DecodedText {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes a config or credentials file; `file` labels the diagnostics.
pub fn decode_config_bytes(bytes: &[u8], file: &'static str) -> DecodedText {
    let mut diagnostics = Vec::new();
    let text = if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        decode_utf16(
            rest,
            u16::from_le_bytes,
            "UTF-16 LE",
            file,
            &mut diagnostics,
        )
    } else if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        decode_utf16(
            rest,
            u16::from_be_bytes,
            "UTF-16 BE",
            file,
            &mut diagnostics,
        )
    } else {
        decode_utf8_lossy(bytes, file, &mut diagnostics)
    };
    report_nul_bytes(&text, file, &mut diagnostics);
    DecodedText { text, diagnostics }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u32 + 1)
}

fn summary(code: &'static str, extra: usize, what: &str, file: &'static str) -> Diagnostic {
    Diagnostic::error(code, 1, format!("{} more {} not listed", extra, what)).in_file(file)
}

fn decode_utf8_lossy(bytes: &[u8], file: &'static str, out: &mut Vec<Diagnostic>) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut bad_offsets = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            bad_offsets.push(text.len());
            text.push('\u{fffd}');
        }
    }
    for &offset in bad_offsets.iter().take(MAX_REPORTED) {
        let (line, column) = line_column(&text, offset);
        out.push(
            Diagnostic::error(
                "invalid-utf8",
                line,
                "bytes that are not UTF-8 text; read as U+FFFD (\u{fffd})",
            )
            .at(column, 1)
            .with_fix("save the file as UTF-8 text")
            .in_file(file),
        );
    }
    if bad_offsets.len() > MAX_REPORTED {
        out.push(summary(
            "invalid-utf8",
            bad_offsets.len() - MAX_REPORTED,
            "invalid UTF-8 sequences",
            file,
        ));
    }
    text
}

fn decode_utf16(
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    encoding: &str,
    file: &'static str,
    out: &mut Vec<Diagnostic>,
) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad_offsets = Vec::new();
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => text.push(c),
            Err(_) => {
                bad_offsets.push(text.len());
                text.push('\u{fffd}');
            }
        }
    }
    if bytes.len() % 2 == 1 {
        bad_offsets.push(text.len());
        text.push('\u{fffd}');
    }
    out.push(
        Diagnostic::warning(
            "utf16",
            1,
            format!(
                "the file is {} text (it starts with that byte-order mark); it is decoded here, but the AWS CLI and SDKs read only UTF-8",
                encoding
            ),
        )
        .with_fix("save the file as UTF-8")
        .in_file(file),
    );
    for &offset in bad_offsets.iter().take(MAX_REPORTED) {
        let (line, column) = line_column(&text, offset);
        out.push(
            Diagnostic::error(
                "invalid-utf16",
                line,
                format!("not valid {} text; read as U+FFFD (\u{fffd})", encoding),
            )
            .at(column, 1)
            .in_file(file),
        );
    }
    if bad_offsets.len() > MAX_REPORTED {
        out.push(summary(
            "invalid-utf16",
            bad_offsets.len() - MAX_REPORTED,
            "invalid UTF-16 code units",
            file,
        ));
    }
    text
}

fn report_nul_bytes(text: &str, file: &'static str, out: &mut Vec<Diagnostic>) {
    let offsets: Vec<usize> = text.match_indices('\0').map(|(i, _)| i).collect();
    for &offset in offsets.iter().take(MAX_REPORTED) {
        let (line, column) = line_column(text, offset);
        out.push(
            Diagnostic::error(
                "nul-byte",
                line,
                "a NUL byte: config files are text, so this is probably binary data",
            )
            .at(column, 1)
            .with_fix("remove it, or check that this file is really an AWS config")
            .in_file(file),
        );
    }
    if offsets.len() > MAX_REPORTED {
        out.push(summary(
            "nul-byte",
            offsets.len() - MAX_REPORTED,
            "NUL bytes",
            file,
        ));
    }
}
