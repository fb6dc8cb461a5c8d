//! Python's `int()` and `float()` of a text, as Powertools' function resolver converts a
//! parameter declared `integer` or `number`: the value it hands a tool whose argument
//! takes anything (`serde_json::Value`, [`ArgValue`](super::ArgValue)).

use smallvec::SmallVec;

/// The ASCII text of a number, built on the stack for the usual lengths.
type Ascii = SmallVec<[u8; 64]>;

/// The zero of each run of ten Unicode decimal digits (category `Nd`, Unicode 14), which
/// Python's `int()` and `float()` read as `0` to `9`.
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit of any script.
fn digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let code = u32::from(c);
    let index = DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    let zero = DIGIT_ZEROS.get(index.checked_sub(1)?)?;
    u8::try_from(code - zero).ok().filter(|value| *value < 10)
}

/// Python's `str.strip()` of a number's text (Unicode whitespace and the ASCII separators
/// `\x1c`–`\x1f`).
fn strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}

/// Appends the digits at the start of `chars` to `out` as ASCII, single `_` allowed between
/// two digits; whether there was at least one digit. Stops before the first other char.
fn digit_part(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut Ascii,
) -> Option<bool> {
    let mut any = false;
    while let Some(&c) = chars.peek() {
        if c == '_' {
            chars.next();
            // `_` only between two digits.
            let next = chars.peek().copied().and_then(digit);
            if !any || next.is_none() {
                return None;
            }
            continue;
        }
        let Some(value) = digit(c) else { break };
        out.push(b'0' + value);
        any = true;
        chars.next();
    }
    Some(any)
}

/// Python's `int(text)` in base 10; `None` where it raises, or where the value is beyond
/// `i128` (Python's integers have no limit: such a value stays text).
pub(super) fn int(text: &str) -> Option<i128> {
    let text = strip(text);
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut digits = Ascii::new();
    let mut chars = rest.chars().peekable();
    if !digit_part(&mut chars, &mut digits)? || chars.next().is_some() {
        return None;
    }
    digits.iter().try_fold(0i128, |value, d| {
        let value = value.checked_mul(10)?;
        let d = i128::from(d - b'0');
        if negative {
            value.checked_sub(d)
        } else {
            value.checked_add(d)
        }
    })
}

/// Python's `float(text)` when it is finite; `None` where Python raises, and for `inf`,
/// `nan` and values too large for a double, which `float()` accepts but JSON cannot carry
/// (the value then stays text, as on a failed conversion).
pub(super) fn float(text: &str) -> Option<f64> {
    let text = strip(text);
    let mut ascii = Ascii::new();
    let mut chars = text.chars().peekable();
    if let Some(&sign @ ('+' | '-')) = chars.peek() {
        ascii.push(sign as u8);
        chars.next();
    }
    let whole = digit_part(&mut chars, &mut ascii)?;
    let mut fraction = false;
    if chars.peek() == Some(&'.') {
        chars.next();
        ascii.push(b'.');
        fraction = digit_part(&mut chars, &mut ascii)?;
    }
    if !whole && !fraction {
        return None;
    }
    if let Some('e' | 'E') = chars.peek() {
        chars.next();
        ascii.push(b'e');
        if let Some(&sign @ ('+' | '-')) = chars.peek() {
            ascii.push(sign as u8);
            chars.next();
        }
        if !digit_part(&mut chars, &mut ascii)? {
            return None;
        }
    }
    if chars.next().is_some() {
        return None;
    }
    let value: f64 = std::str::from_utf8(&ascii).ok()?.parse().ok()?;
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_reads_what_python_reads() {
        let beyond_i128 = "9".repeat(40);
        let cases: [(&str, Option<i128>); 16] = [
            ("42", Some(42)),
            (" +7 ", Some(7)),
            ("-0012", Some(-12)),
            ("1_000", Some(1000)),
            ("\u{663}", Some(3)),
            ("1\u{FF12}", Some(12)),
            (
                "123456789012345678901234567890",
                Some(123_456_789_012_345_678_901_234_567_890),
            ),
            ("3.0", None),
            ("1e3", None),
            ("", None),
            ("abc", None),
            ("_1", None),
            ("1_", None),
            ("1__0", None),
            ("+", None),
            (beyond_i128.as_str(), None),
        ];
        for (text, expected) in cases {
            assert_eq!(int(text), expected, "{text:?}");
        }
    }

    #[test]
    fn float_reads_what_python_reads_when_finite() {
        let cases: [(&str, Option<f64>); 15] = [
            ("0.25", Some(0.25)),
            ("1e3", Some(1000.0)),
            (" -.5 ", Some(-0.5)),
            ("5.", Some(5.0)),
            ("3", Some(3.0)),
            ("1_000.5", Some(1000.5)),
            ("1E-1", Some(0.1)),
            ("\u{663}.5", Some(3.5)),
            ("1,5", None),
            ("0x10", None),
            ("n/a", None),
            ("inf", None),
            ("nan", None),
            ("1e400", None),
            (".", None),
        ];
        for (text, expected) in cases {
            assert_eq!(float(text), expected, "{text:?}");
        }
    }
}
