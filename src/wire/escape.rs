//! JSON string writing: the one place that knows how text is escaped on the wire.
//!
//! Every string of a proxy response (header names and values, cookie text, a text body) goes
//! through here. Bodies can be large and are usually clean, so the writer looks up each byte
//! in a 256-entry table and copies the clean run before an escape with one
//! `extend_from_slice`.

use std::{fmt, io};

/// What a byte becomes inside a JSON string: `KEEP` (copied as is), `UNICODE` (`\u00XX`) or
/// the letter that follows the backslash (`\n`, `\"`, ...).
const KEEP: u8 = 0;
const UNICODE: u8 = b'u';

/// The escape of every byte. Only `"`, `\` and the control characters below 0x20 must be
/// escaped (RFC 8259 §7); bytes of 0x80 and above belong to UTF-8 sequences and stay raw.
static ESCAPES: [u8; 256] = build_escape_table();

const fn build_escape_table() -> [u8; 256] {
    let mut table = [KEEP; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = UNICODE;
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` to `out` as a JSON string, quotes included.
///
/// `text` must be UTF-8 (bytes of 0x80 and above are copied unchanged), as every `&str` and
/// every text body of a response is.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    write_json_string_contents(out, text);
    out.push(b'"');
}

/// Appends `text` to `out` escaped for the inside of a JSON string, without the quotes, so
/// that one JSON string can be written in pieces (`"a, b"` from two header values).
pub(crate) fn write_json_string_contents(out: &mut Vec<u8>, text: &[u8]) {
    out.reserve(text.len() + text.len() / 8);
    for_each_escaped_piece(text, |piece| out.extend_from_slice(piece));
}

/// [`write_json_string_contents`] into any writer (a serde_json formatter's), without a
/// buffer of its own.
pub(crate) fn write_json_string_contents_to<W: ?Sized + io::Write>(
    writer: &mut W,
    text: &[u8],
) -> io::Result<()> {
    let mut written = Ok(());
    for_each_escaped_piece(text, |piece| {
        if written.is_ok() {
            written = writer.write_all(piece);
        }
    });
    written
}

/// Hands `emit`, in order, the pieces of `text`'s escaped form: clean runs as they are and
/// the escape of each byte that needs one.
///
/// Clean runs are found eight bytes at a time (a SWAR test for `"`, `\` and bytes below
/// 0x20), the last partial word padded with a byte that needs no escape.
fn for_each_escaped_piece(text: &[u8], mut emit: impl FnMut(&[u8])) {
    let mut run_start = 0;
    let mut index = 0;
    while index < text.len() {
        let flagged = needs_escape(word_at(text, index));
        if flagged == 0 {
            index += 8;
            continue;
        }
        // The lowest flagged byte is exact (false positives only appear above it), and it
        // is inside `text`: the padding is never flagged.
        index += (flagged.trailing_zeros() / 8) as usize;
        emit(&text[run_start..index]);
        emit(Escape::of(text[index]).as_bytes());
        index += 1;
        run_start = index;
    }
    emit(&text[run_start..]);
}

/// The eight bytes of `text` from `index` as a little-endian word; past the end of `text`
/// the word is filled with `PAD`, which needs no escape.
fn word_at(text: &[u8], index: usize) -> u64 {
    const PAD: u8 = b' ';
    let mut bytes = [PAD; 8];
    match text.get(index..index + 8) {
        Some(word) => bytes.copy_from_slice(word),
        None => {
            let tail = text.get(index..).unwrap_or_default();
            for (slot, &byte) in bytes.iter_mut().zip(tail) {
                *slot = byte;
            }
        }
    }
    u64::from_le_bytes(bytes)
}

/// Flags (high bit of each byte) the bytes of `word` that need escaping: `"`, `\\`, < 0x20.
fn needs_escape(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    zero_byte(word ^ (ONES * u64::from(b'"')))
        | zero_byte(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS)
}

/// The escape of one byte that needs one: `\n`, `\"`, … or `\u00XX`.
pub(crate) struct Escape {
    bytes: [u8; 6],
    len: usize,
}

impl Escape {
    pub(crate) fn of(byte: u8) -> Self {
        let escape = ESCAPES[usize::from(byte)];
        if escape == UNICODE {
            let hex = |nibble: u8| HEX_DIGITS[usize::from(nibble)];
            Self {
                bytes: [b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte & 0x0F)],
                len: 6,
            }
        } else {
            Self {
                bytes: [b'\\', escape, 0, 0, 0, 0],
                len: 2,
            }
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// A `fmt::Write` that escapes what it is given into the inside of a JSON string in `out`.
///
/// This lets `Display`-like writers (cookie text, numbers, dates) go straight into the
/// response buffer without an intermediate `String`.
pub(crate) struct JsonStringWriter<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> JsonStringWriter<'o> {
    /// A writer appending to `out`; the caller writes the quotes around it.
    pub(crate) fn new(out: &'o mut Vec<u8>) -> Self {
        Self { out }
    }
}

impl fmt::Write for JsonStringWriter<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        write_json_string_contents(self.out, text.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn json_string(text: &str) -> String {
        let mut out = Vec::new();
        write_json_string(&mut out, text.as_bytes());
        String::from_utf8(out).unwrap()
    }

    const TRICKY: &[&str] = &[
        "",
        "plain ascii text",
        "\"",
        "\\",
        "\"quoted\" and \\back\\slashed\\",
        "line\nbreak\r\nand\ttab",
        "\u{0008}\u{000C}",
        "\u{0000}\u{0001}\u{001F}\u{0010}\u{001b}[0m",
        "\u{007F} delete is not escaped",
        "héllo wörld",
        "日本語のテキスト",
        "emoji 🦀 and \u{2028}\u{2029} separators",
        "</script><!-- -->",
        "trailing backslash \\",
        "{\"already\":\"json\"}",
    ];

    #[test]
    fn parses_back_to_the_same_string() {
        for text in TRICKY {
            let written = json_string(text);
            let parsed: String = serde_json::from_str(&written).unwrap();
            assert_eq!(&parsed, text, "written as {written}");
        }
    }

    #[test]
    fn matches_serde_json_escaping_byte_for_byte() {
        for text in TRICKY {
            assert_eq!(json_string(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn every_control_character_round_trips() {
        let all: String = (0u8..0x80).map(char::from).collect();
        let written = json_string(&all);
        assert_eq!(written, serde_json::to_string(&all).unwrap());
        assert!(!written.bytes().any(|byte| byte < 0x20));
    }

    #[test]
    fn short_escapes_and_unicode_escapes() {
        assert_eq!(json_string("a\"b"), r#""a\"b""#);
        assert_eq!(json_string("a\\b"), r#""a\\b""#);
        assert_eq!(json_string("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(json_string("\u{0}\u{1f}"), r#""\u0000\u001f""#);
        assert_eq!(json_string("é"), "\"é\"");
    }

    #[test]
    fn contents_are_appended_without_quotes() {
        let mut out = b"x".to_vec();
        write_json_string_contents(&mut out, b"a\"b");
        assert_eq!(out, b"xa\\\"b");
    }

    #[test]
    fn fmt_writer_escapes_what_it_is_given() {
        let mut out = Vec::new();
        let key = "k\"";
        write!(JsonStringWriter::new(&mut out), "{key}={}", 42).unwrap();
        assert_eq!(out, b"k\\\"=42");
    }

    proptest::proptest! {
        /// Any UTF-8 text, specials at any offset of the 8-byte words: same as serde_json.
        #[test]
        fn matches_serde_json_on_any_text(text in "(?s)[a-z\"\\\\\u{0}-\u{1f}é✓ ]{0,40}") {
            proptest::prop_assert_eq!(json_string(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
