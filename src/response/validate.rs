//! Response-header and cookie syntax checks: byte scans over lookup tables, no allocation
//! (only a fault found allocates, when it becomes an [`InvalidHeader`]).
//!
//! * Header names are RFC 9110 tokens (`tchar`: letters, digits, ``!#$%&'*+-.^_`|~``).
//! * Header values are RFC 9110 field values, read leniently: visible ASCII, space, tab and
//!   any byte from 0x80 (obs-text, so UTF-8 passes). Control bytes (CR, LF, NUL, …) and DEL
//!   are refused.
//! * Cookie names are tokens; cookie values are RFC 6265 `cookie-octet`s (no space, `"`,
//!   `,`, `;`, `\` or control bytes), optionally inside one pair of double quotes.
//! * Cookie attribute values (`Path`, `Domain`, raw attributes) hold no control byte and no
//!   `;` (bytes from 0x80 pass, as in header values).

use std::fmt;

use super::Cookie;

/// Which part of a response a fault is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    HeaderName,
    HeaderValue,
    CookieName,
    CookieValue,
    CookieAttribute,
}

impl Part {
    fn describe(self) -> &'static str {
        match self {
            Part::HeaderName => "header name",
            Part::HeaderValue => "header value",
            Part::CookieName => "cookie name",
            Part::CookieValue => "cookie value",
            Part::CookieAttribute => "cookie attribute",
        }
    }
}

/// A fault found by a scan, borrowing the header or cookie name (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fault<'a> {
    pub(crate) part: Part,
    /// The header or cookie name (possibly itself the fault).
    pub(crate) name: &'a str,
    /// The offending byte and its index in the part, `None` for an empty name.
    pub(crate) at: Option<(usize, u8)>,
}

impl Fault<'_> {
    /// The owned, public form (cold path).
    #[cold]
    pub(crate) fn to_error(self) -> InvalidHeader {
        InvalidHeader {
            part: self.part,
            name: self.name.to_owned(),
            at: self.at,
        }
    }
}

/// A response header or cookie that cannot be sent: its name is not an RFC 9110 token, or
/// its value holds a byte that is not allowed (CR, LF, NUL and other control bytes, or for
/// cookies the bytes RFC 6265 excludes).
///
/// The app never writes such a header: the response becomes a 500 and this error is logged
/// (and, in debug mode, is the 500's body). [`Response::try_header`](crate::Response::try_header)
/// and [`Cookie::validate`](crate::Cookie::validate) report it up front.
///
/// ```
/// use lambda_router::Response;
///
/// let err = Response::new(200).try_header("X-Id", "1\r\nSet-Cookie: a=b").unwrap_err();
/// assert_eq!(err.name(), "X-Id");
/// assert_eq!(
///     err.to_string(),
///     "invalid response header value of `X-Id`: byte 0x0d at index 1 is not allowed"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidHeader {
    part: Part,
    name: String,
    at: Option<(usize, u8)>,
}

impl InvalidHeader {
    /// The header's or cookie's name, as given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the fault is in a cookie (else in a header).
    #[must_use]
    pub fn is_cookie(&self) -> bool {
        matches!(
            self.part,
            Part::CookieName | Part::CookieValue | Part::CookieAttribute
        )
    }
}

impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid response {} of `{}`: ",
            self.part.describe(),
            self.name.escape_debug()
        )?;
        match self.at {
            Some((index, byte)) => write!(f, "byte {byte:#04x} at index {index} is not allowed"),
            None => f.write_str("it is empty"),
        }
    }
}

impl std::error::Error for InvalidHeader {}

/// One bit per byte class, so each check is one table load and one mask.
const TOKEN: u8 = 1;
const FIELD_VALUE: u8 = 2;
const COOKIE_OCTET: u8 = 4;
const ATTRIBUTE: u8 = 8;

const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        let tchar = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        if tchar {
            class |= TOKEN;
        }
        let visible = c >= 0x21 && c <= 0x7e;
        if visible || c == b' ' || c == b'\t' || c >= 0x80 {
            class |= FIELD_VALUE;
        }
        if visible && !matches!(c, b'"' | b',' | b';' | b'\\') {
            class |= COOKIE_OCTET;
        }
        if (visible || c == b' ' || c == b'\t' || c >= 0x80) && c != b';' {
            class |= ATTRIBUTE;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// The first byte of `text` outside `class`.
#[inline]
fn first_outside(text: &str, class: u8) -> Option<(usize, u8)> {
    text.bytes()
        .enumerate()
        .find(|&(_, b)| CLASSES[usize::from(b)] & class == 0)
}

/// The first byte of `value` not allowed in a header value (for settings checked when the
/// app is built).
pub(crate) fn invalid_field_value_byte(value: &str) -> Option<(usize, u8)> {
    first_outside(value, FIELD_VALUE)
}

/// Checks one header.
pub(crate) fn check_header<'a>(name: &'a str, value: &str) -> Result<(), Fault<'a>> {
    let fault = |part, at| Err(Fault { part, name, at });
    if name.is_empty() {
        return fault(Part::HeaderName, None);
    }
    if let Some(at) = first_outside(name, TOKEN) {
        return fault(Part::HeaderName, Some(at));
    }
    if let Some(at) = first_outside(value, FIELD_VALUE) {
        return fault(Part::HeaderValue, Some(at));
    }
    Ok(())
}

/// Checks one cookie: name, value and every attribute value.
pub(crate) fn check_cookie(cookie: &Cookie) -> Result<(), Fault<'_>> {
    let name = cookie.name();
    let fault = |part, at| Err(Fault { part, name, at });
    if name.is_empty() {
        return fault(Part::CookieName, None);
    }
    if let Some(at) = first_outside(name, TOKEN) {
        return fault(Part::CookieName, Some(at));
    }
    let value = cookie.value();
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    let inner = if quoted {
        &value[1..value.len() - 1]
    } else {
        value
    };
    if let Some((index, byte)) = first_outside(inner, COOKIE_OCTET) {
        return fault(Part::CookieValue, Some((index + usize::from(quoted), byte)));
    }
    for attribute in cookie.attribute_values() {
        if let Some(at) = first_outside(attribute, ATTRIBUTE) {
            return fault(Part::CookieAttribute, Some(at));
        }
    }
    Ok(())
}

/// Checks every header and cookie of a response about to be written.
pub(crate) fn check_response<'a>(
    headers: &[(&'a str, &str)],
    cookies: &'a [Cookie],
) -> Result<(), Fault<'a>> {
    for (name, value) in headers {
        check_header(name, value)?;
    }
    for cookie in cookies {
        check_cookie(cookie)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_fault(name: &str, value: &str) -> Option<(Part, Option<(usize, u8)>)> {
        check_header(name, value).err().map(|f| (f.part, f.at))
    }

    #[test]
    fn header_names_are_tokens() {
        assert_eq!(header_fault("X-Ok_1.~!#$%&'*+^`|", "v"), None);
        assert_eq!(header_fault("", "v"), Some((Part::HeaderName, None)));
        for (name, index, byte) in [
            ("X Y", 1, b' '),
            ("X:Y", 1, b':'),
            ("X\r\nY", 1, b'\r'),
            ("X\0", 1, 0),
            ("é", 0, 0xc3),
            ("a(b)", 1, b'('),
            ("a\"", 1, b'"'),
        ] {
            assert_eq!(
                header_fault(name, "v"),
                Some((Part::HeaderName, Some((index, byte)))),
                "{name:?}"
            );
        }
    }

    #[test]
    fn header_values_refuse_control_bytes_only() {
        for ok in [
            "",
            "a b\tc",
            "\"quoted\", (x); y=z",
            "café ☕",
            "~!@#$%^&*()",
        ] {
            assert_eq!(header_fault("X", ok), None, "{ok:?}");
        }
        for (value, index, byte) in [
            ("a\rb", 1, b'\r'),
            ("a\nb", 1, b'\n'),
            ("a\0", 1, 0),
            ("\u{7f}", 0, 0x7f),
            ("\u{1b}[31m", 0, 0x1b),
            ("ok\r\nSet-Cookie: x=y", 2, b'\r'),
        ] {
            assert_eq!(
                header_fault("X", value),
                Some((Part::HeaderValue, Some((index, byte)))),
                "{value:?}"
            );
        }
    }

    fn cookie_fault(cookie: &Cookie) -> Option<(Part, Option<(usize, u8)>)> {
        check_cookie(cookie).err().map(|f| (f.part, f.at))
    }

    #[test]
    fn cookies_follow_rfc_6265() {
        let ok = [
            Cookie::new("id", "a3fWa"),
            Cookie::new("id", ""),
            Cookie::new("id", "\"quoted\""),
            Cookie::new("id", "!#$%&'()*+-./0:<=>?@[]^_`{|}~"),
            Cookie::new("id", "v")
                .path("/a b/é")
                .domain("example.com")
                .attribute("Priority=High"),
        ];
        for cookie in &ok {
            assert_eq!(cookie_fault(cookie), None, "{cookie}");
        }
        let bad = [
            (Cookie::new("", "v"), Part::CookieName, None),
            (Cookie::new("a b", "v"), Part::CookieName, Some((1, b' '))),
            (Cookie::new("a=b", "v"), Part::CookieName, Some((1, b'='))),
            (Cookie::new("a", "x;y"), Part::CookieValue, Some((1, b';'))),
            (Cookie::new("a", "x y"), Part::CookieValue, Some((1, b' '))),
            (Cookie::new("a", "x,y"), Part::CookieValue, Some((1, b','))),
            (
                Cookie::new("a", "x\\y"),
                Part::CookieValue,
                Some((1, b'\\')),
            ),
            (
                Cookie::new("a", "\"x\"y\""),
                Part::CookieValue,
                Some((2, b'"')),
            ),
            (Cookie::new("a", "\""), Part::CookieValue, Some((0, b'"'))),
            (Cookie::new("a", "é"), Part::CookieValue, Some((0, 0xc3))),
            (
                Cookie::new("a", "x\r\n"),
                Part::CookieValue,
                Some((1, b'\r')),
            ),
            (
                Cookie::new("a", "b").path("/; Domain=evil"),
                Part::CookieAttribute,
                Some((1, b';')),
            ),
            (
                Cookie::new("a", "b").domain("x\r\nSet-Cookie: c=d"),
                Part::CookieAttribute,
                Some((1, b'\r')),
            ),
            (
                Cookie::new("a", "b").attribute("Partitioned\0"),
                Part::CookieAttribute,
                Some((11, 0)),
            ),
        ];
        for (cookie, part, at) in &bad {
            assert_eq!(cookie_fault(cookie), Some((*part, *at)), "{cookie:?}");
        }
    }

    #[test]
    fn the_error_names_the_header_and_escapes_it() {
        let fault = check_header("X-\r", "v").unwrap_err().to_error();
        assert_eq!(fault.name(), "X-\r");
        assert!(!fault.is_cookie());
        assert_eq!(
            fault.to_string(),
            "invalid response header name of `X-\\r`: byte 0x0d at index 2 is not allowed"
        );
        let fault = check_cookie(&Cookie::new("", "v")).unwrap_err().to_error();
        assert!(fault.is_cookie());
        assert_eq!(
            fault.to_string(),
            "invalid response cookie name of ``: it is empty"
        );
    }

    #[test]
    fn the_table_agrees_with_the_rfc_definitions() {
        for b in 0..=255u8 {
            let class = CLASSES[usize::from(b)];
            let tchar = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(class & TOKEN != 0, tchar, "{b:#x}");
            let field = b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80;
            assert_eq!(class & FIELD_VALUE != 0, field, "{b:#x}");
            let octet = b == 0x21
                || (0x23..=0x2b).contains(&b)
                || (0x2d..=0x3a).contains(&b)
                || (0x3c..=0x5b).contains(&b)
                || (0x5d..=0x7e).contains(&b);
            assert_eq!(class & COOKIE_OCTET != 0, octet, "{b:#x}");
            assert_eq!(class & ATTRIBUTE != 0, field && b != b';', "{b:#x}");
        }
    }
}
