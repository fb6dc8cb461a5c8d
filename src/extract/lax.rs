//! Pydantic's lax reading of text as a boolean or an integer (what Powertools validates
//! path, query and header values with), brought to the form Rust's `FromStr` parses.

/// The longest integer text normalized on the stack: more significant digits than any
/// Rust integer holds (`u128::MAX` has 39).
pub(super) const MAX_INTEGER_TEXT: usize = 48;

/// An integer pydantic reads in some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Integer<'b> {
    /// Its plain digits, with a `-` when negative, as `FromStr` parses them.
    Digits(&'b str),
    /// Too many digits for any Rust integer: beyond every type's range, on its sign's side.
    Beyond {
        /// Whether it is below zero.
        negative: bool,
    },
}

/// `"true"` or `"false"` for the words pydantic reads as booleans, in any case:
/// `true`, `1`, `yes`, `on`, `t`, `y` and `false`, `0`, `no`, `off`, `f`, `n`. No trimming.
pub(super) fn boolean(text: &str) -> Option<&'static str> {
    const TRUE: [&str; 6] = ["true", "1", "yes", "on", "t", "y"];
    const FALSE: [&str; 6] = ["false", "0", "no", "off", "f", "n"];
    let is = |words: &[&str]| words.iter().any(|word| word.eq_ignore_ascii_case(text));
    if is(&TRUE) {
        Some("true")
    } else if is(&FALSE) {
        Some("false")
    } else {
        None
    }
}

/// The integer in `text`, its digits written into `buffer`: surrounding whitespace
/// removed, single `_` between digits and leading zeros dropped, a fraction of zeros
/// (`3.0`, `12.000`) dropped, `-0` read as `0`. Pydantic's integers have no size limit, so
/// a long one is still an integer ([`Integer::Beyond`]). `None` when `text` is not one.
pub(super) fn integer<'b>(
    text: &str,
    buffer: &'b mut [u8; MAX_INTEGER_TEXT],
) -> Option<Integer<'b>> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        sign @ (b'+' | b'-') => (*sign == b'-', text.get(1..)?),
        _ => (false, text),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    if fraction.is_some_and(|zeros| zeros.is_empty() || zeros.bytes().any(|b| b != b'0')) {
        return None;
    }
    // The sign's place is kept first; the digits follow, leading zeros skipped.
    let mut length = 1;
    let mut beyond = false;
    let mut previous = None;
    for byte in whole.bytes() {
        match byte {
            b'0' if length == 1 => {}
            b'0'..=b'9' => match buffer.get_mut(length) {
                Some(slot) => {
                    *slot = byte;
                    length += 1;
                }
                None => beyond = true,
            },
            b'_' if previous.is_some_and(|b: u8| b.is_ascii_digit()) => {}
            _ => return None,
        }
        previous = Some(byte);
    }
    // Not empty, and no `_` at the end.
    if !previous.is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    if beyond {
        return Some(Integer::Beyond { negative });
    }
    let start = if length == 1 {
        // Only zeros: `0`, whatever the sign.
        buffer[1] = b'0';
        length = 2;
        1
    } else if negative {
        buffer[0] = b'-';
        0
    } else {
        1
    };
    std::str::from_utf8(buffer.get(start..length)?)
        .ok()
        .map(Integer::Digits)
}

#[cfg(test)]
mod tests {
    use super::{Integer, MAX_INTEGER_TEXT, boolean, integer};

    #[test]
    fn integers_read_as_pydantic_reads_them() {
        let huge = "9".repeat(MAX_INTEGER_TEXT);
        let negative_huge = format!("-{huge}");
        let padded = format!("{}42", "0".repeat(2 * MAX_INTEGER_TEXT));
        let cases = [
            ("3", Some(Integer::Digits("3"))),
            (" +7 ", Some(Integer::Digits("7"))),
            ("-12", Some(Integer::Digits("-12"))),
            ("1_0", Some(Integer::Digits("10"))),
            ("3.0", Some(Integer::Digits("3"))),
            ("12.000", Some(Integer::Digits("12"))),
            ("007", Some(Integer::Digits("7"))),
            ("0", Some(Integer::Digits("0"))),
            ("-0", Some(Integer::Digits("0"))),
            ("0_0", Some(Integer::Digits("0"))),
            (padded.as_str(), Some(Integer::Digits("42"))),
            (
                "99999999999999999999999",
                Some(Integer::Digits("99999999999999999999999")),
            ),
            (huge.as_str(), Some(Integer::Beyond { negative: false })),
            (
                negative_huge.as_str(),
                Some(Integer::Beyond { negative: true }),
            ),
            ("1__0", None),
            ("_1", None),
            ("1_", None),
            ("5.", None),
            ("2.5", None),
            ("1e1", None),
            ("0x10", None),
            ("", None),
            ("abc", None),
            ("-", None),
            ("٣", None),
        ];
        for (text, expected) in cases {
            let mut buffer = [0; MAX_INTEGER_TEXT];
            assert_eq!(integer(text, &mut buffer), expected, "{text:?}");
        }
    }

    #[test]
    fn booleans_read_as_pydantic_reads_them() {
        let cases = [
            ("true", Some("true")),
            ("YES", Some("true")),
            ("on", Some("true")),
            ("1", Some("true")),
            ("t", Some("true")),
            ("y", Some("true")),
            ("False", Some("false")),
            ("no", Some("false")),
            ("off", Some("false")),
            ("0", Some("false")),
            ("f", Some("false")),
            ("n", Some("false")),
            ("maybe", None),
            ("2", None),
            ("", None),
            (" true ", None),
        ];
        for (text, expected) in cases {
            assert_eq!(boolean(text), expected, "{text:?}");
        }
    }
}
