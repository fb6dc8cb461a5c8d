//! Tests of the JSON string escaper: serde_json byte for byte on text, and a naive
//! one-byte-at-a-time oracle on any bytes, across words, chunks and blocks.

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

/// The oracle: one byte at a time, as RFC 8259 §7 and serde_json spell each escape.
fn naive_contents(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &byte in text {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0A => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x0D => out.extend_from_slice(b"\\r"),
            0x00..=0x1F => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out
}

fn contents(text: &[u8]) -> Vec<u8> {
    let mut out = b"prefix".to_vec();
    write_json_string_contents(&mut out, text);
    out.split_off(b"prefix".len())
}

fn contents_to_writer(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_json_string_contents_to(&mut out, text).unwrap();
    out
}

/// Inputs that end a block on each kind of byte, and runs of six-byte escapes that use up
/// a block's room before its input.
#[test]
fn long_inputs_cross_blocks_as_the_oracle_does() {
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for len in [VEC_BLOCK - 1, VEC_BLOCK, VEC_BLOCK + 1, 3 * VEC_BLOCK + 5] {
        for fill in [b'a', b'"', b'\\', 0x00, 0x1F, b'\n', 0xE9] {
            inputs.push(vec![fill; len]);
        }
        inputs.push((0..len).map(|i| (i % 256) as u8).collect());
    }
    for text in &inputs {
        assert_eq!(
            contents(text),
            naive_contents(text),
            "length {}",
            text.len()
        );
        assert_eq!(contents_to_writer(text), naive_contents(text));
    }
}

#[test]
fn escape_of_each_byte_is_the_oracles() {
    for byte in 0..=u8::MAX {
        let expected = naive_contents(&[byte]);
        let escape = if expected == [byte] {
            &[][..]
        } else {
            &expected[..]
        };
        assert_eq!(Escape::of(byte).as_bytes(), escape, "byte {byte:#04x}");
    }
}

/// Bytes that are mostly specials, so that escapes land at every offset of a word and
/// back to back.
fn special_heavy_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let byte = prop_oneof![
        3 => any::<u8>(),
        2 => Just(b'"'),
        1 => Just(b'\\'),
        1 => 0x00..0x20u8,
        2 => Just(b'a'),
    ];
    proptest::collection::vec(byte, 0..300)
}

proptest::proptest! {
    /// Any UTF-8 text, specials at any offset of the 8-byte words: same as serde_json.
    #[test]
    fn matches_serde_json_on_any_text(text in "(?s)[a-z\"\\\\\u{0}-\u{1f}é✓ ]{0,40}") {
        proptest::prop_assert_eq!(json_string(&text), serde_json::to_string(&text).unwrap());
    }

    /// Any byte string (invalid UTF-8 included: such bytes are copied as they are), into
    /// a `Vec` and into a writer: the one-byte-at-a-time oracle's bytes.
    #[test]
    fn matches_the_naive_oracle_on_any_bytes(
        text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        heavy in special_heavy_bytes(),
    ) {
        proptest::prop_assert_eq!(contents(&text), naive_contents(&text));
        proptest::prop_assert_eq!(contents_to_writer(&text), naive_contents(&text));
        proptest::prop_assert_eq!(contents(&heavy), naive_contents(&heavy));
        proptest::prop_assert_eq!(contents_to_writer(&heavy), naive_contents(&heavy));
    }
}
