//! JSON bodies serialized straight into their envelope form: the JSON text escaped as the
//! contents of a JSON string, in one pass.
//!
//! A proxy response carries its body as a JSON string, so a JSON body is normally written
//! twice: serde_json writes the text, then the envelope writer escapes every `"` and `\` of
//! it. serde_json already knows where each quote and backslash goes, so a formatter can
//! write them escaped to begin with: `"` becomes `\"`, an escape `\n` becomes `\\n`, and
//! string fragments (which by serde_json's contract hold no `"`, `\` or control byte) pass
//! through untouched. The escaped text is exactly what escaping the plain text would give
//! (a property test below checks it against that oracle).
//!
//! Used only where nothing looks at the body between the handler and the envelope (see
//! `IntoResponse::into_final_response`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

use super::escape::{Escape, write_json_string_contents_to};

/// Serializes `value` with serde_json's compact layout into `out`, escaped as the inside of
/// a JSON string (no surrounding quotes).
pub(crate) fn write_escaped_json<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), serde_json::Error> {
    let mut serializer = serde_json::Serializer::with_formatter(out, EscapedFormatter);
    value.serialize(&mut serializer)
}

/// serde_json's compact formatter with every quote and backslash it writes escaped again.
struct EscapedFormatter;

impl Formatter for EscapedFormatter {
    fn begin_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn end_string<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        // The inner escape is `\x`; inside the outer string its backslash is itself escaped,
        // and an escaped quote or backslash escapes its second character too.
        let escaped: &[u8] = match char_escape {
            CharEscape::Quote => b"\\\\\\\"",
            CharEscape::ReverseSolidus => b"\\\\\\\\",
            CharEscape::Solidus => b"\\\\/",
            CharEscape::Backspace => b"\\\\b",
            CharEscape::FormFeed => b"\\\\f",
            CharEscape::LineFeed => b"\\\\n",
            CharEscape::CarriageReturn => b"\\\\r",
            CharEscape::Tab => b"\\\\t",
            CharEscape::AsciiControl(byte) => {
                // `\u00XX` with its backslash escaped.
                writer.write_all(b"\\")?;
                return writer.write_all(Escape::of(byte).as_bytes());
            }
        };
        writer.write_all(escaped)
    }

    /// A `RawValue` is arbitrary JSON text (quotes, backslashes, even raw newlines as
    /// whitespace), so it goes through the general escaper.
    fn write_raw_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_json_string_contents_to(writer, fragment.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;
    use serde_json::value::RawValue;

    use super::*;
    use crate::wire::escape::write_json_string_contents;

    /// The oracle: serialize plainly, then escape as the envelope writer does.
    fn plain_then_escaped<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut escaped = Vec::new();
        write_json_string_contents(&mut escaped, &serde_json::to_vec(value).unwrap());
        escaped
    }

    fn one_pass<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write_escaped_json(value, &mut out).unwrap();
        out
    }

    #[test]
    fn equals_escaping_the_plain_text() {
        let raw = RawValue::from_string("{ \"raw\" :\n [1, \"a\\\"b\"] }".to_owned()).unwrap();
        let cases = [
            json!(null),
            json!({"id": 1, "title": "Buy \"milk\"", "done": false, "score": -1.5e-7}),
            json!([
                "\n\r\t\u{8}\u{c}",
                "\\",
                "/",
                "\u{0}\u{1f}\u{7f}",
                "é日🦀\u{2028}"
            ]),
            json!({"nested": {"empty": {}, "list": [[], [{}]], "key \"q\"": "v\\"}}),
            json!(u64::MAX),
        ];
        for case in &cases {
            assert_eq!(one_pass(case), plain_then_escaped(case), "{case}");
        }
        let with_raw = BTreeMap::from([("raw", &*raw)]);
        assert_eq!(one_pass(&with_raw), plain_then_escaped(&with_raw));
        let mut map_with_number_keys = BTreeMap::new();
        map_with_number_keys.insert(7_u32, 'c');
        assert_eq!(
            one_pass(&map_with_number_keys),
            plain_then_escaped(&map_with_number_keys)
        );
    }

    #[test]
    fn serialization_errors_are_reported() {
        let mut bad = BTreeMap::new();
        bad.insert(vec![1_u8], 1);
        assert!(write_escaped_json(&bad, &mut Vec::new()).is_err());
    }

    proptest::proptest! {
        /// Any strings, as keys and values, with every special byte: same bytes as the oracle.
        #[test]
        fn matches_the_oracle_on_any_text(
            entries in proptest::collection::btree_map(
                "(?s)[a-z\"\\\\/\u{0}-\u{1f}\u{7f}é✓ ]{0,12}",
                "(?s)[a-z\"\\\\/\u{0}-\u{1f}\u{7f}é✓ ]{0,24}",
                0..6,
            )
        ) {
            proptest::prop_assert_eq!(one_pass(&entries), plain_then_escaped(&entries));
        }
    }
}
