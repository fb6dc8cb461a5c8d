//! Pydantic's lax reading of text as a boolean or an integer (what Powertools validates
//! path, query and header values with), brought to the form Rust's `FromStr` parses.

/// The longest integer text normalized on the stack; a longer one is parsed as written
/// (and refused).
pub(super) const MAX_INTEGER_TEXT: usize = 48;

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

/// The integer in `text` as plain digits with an optional sign, written into `buffer`:
/// surrounding whitespace removed, single `_` between digits dropped, a fraction of zeros
/// (`3.0`, `12.000`) dropped. `None` when `text` is not such an integer.
pub(super) fn integer<'b>(text: &str, buffer: &'b mut [u8; MAX_INTEGER_TEXT]) -> Option<&'b str> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        sign @ (b'+' | b'-') => (Some(*sign), text.get(1..)?),
        _ => (None, text),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    if fraction.is_some_and(|zeros| zeros.is_empty() || zeros.bytes().any(|b| b != b'0')) {
        return None;
    }
    let mut length = 0;
    let mut push = |byte: u8| {
        let slot = buffer.get_mut(length)?;
        *slot = byte;
        length += 1;
        Some(())
    };
    if sign == Some(b'-') {
        push(b'-')?;
    }
    let mut previous = None;
    for byte in whole.bytes() {
        match byte {
            b'0'..=b'9' => push(byte)?,
            b'_' if previous.is_some_and(|b: u8| b.is_ascii_digit()) => {}
            _ => return None,
        }
        previous = Some(byte);
    }
    // Not empty, and no `_` at the end.
    if !previous.is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    std::str::from_utf8(buffer.get(..length)?).ok()
}

#[cfg(test)]
mod tests {
    use super::{MAX_INTEGER_TEXT, boolean, integer};

    #[test]
    fn integers_read_as_pydantic_reads_them() {
        let cases = [
            ("3", Some("3")),
            (" +7 ", Some("7")),
            ("-12", Some("-12")),
            ("1_0", Some("10")),
            ("3.0", Some("3")),
            ("12.000", Some("12")),
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
