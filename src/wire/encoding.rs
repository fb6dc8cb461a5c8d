//! Content negotiation for compression: does the client's `Accept-Encoding` accept gzip?
//!
//! Powertools compresses whenever the header contains the substring `gzip`, so it sends gzip
//! to a client that said `gzip;q=0` ("never gzip"). This library reads the header as RFC 9110
//! §12.5.3 defines it instead:
//!
//! ```text
//! Accept-Encoding = #( codings [ OWS ";" OWS "q=" qvalue ] )
//! qvalue          = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
//! ```
//!
//! * codings compare case-insensitively, and `x-gzip` is `gzip` (RFC 9110 §8.4.1.3);
//! * `*` stands for every coding not listed, so it covers gzip unless gzip is listed;
//! * gzip is acceptable when its weight is above 0; a member without `q` weighs 1.
//!
//! Decisions where the RFC leaves room:
//!
//! * a member whose weight is malformed (`q=2`, `q=0.5000`, `q=abc`, `q=`) is ignored, as if
//!   absent: guessing a weight could send gzip to a client that refused it, and leaving it
//!   out only costs a missed compression;
//! * when gzip is listed more than once, the highest weight counts;
//! * parameters other than `q` are ignored, and whitespace around `=` is tolerated.
//!
//! Nothing is allocated: the value is walked in place.

/// Whether an `Accept-Encoding` value accepts gzip (RFC 9110 §12.5.3).
///
/// `gzip`, `x-gzip`, `GZIP;q=0.5` and `*` accept it; `gzip;q=0`, `*;q=0`, `*, gzip;q=0`,
/// `deflate, br`, `identity` and the empty value do not.
pub(crate) fn accepts_gzip(accept_encoding: &str) -> bool {
    let mut gzip_weight: Option<u16> = None;
    let mut star_weight: Option<u16> = None;
    for member in accept_encoding.split(',') {
        let Some((coding, weight)) = parse_member(member) else {
            continue;
        };
        let slot = if is_gzip(coding) {
            &mut gzip_weight
        } else if coding == "*" {
            &mut star_weight
        } else {
            continue;
        };
        *slot = Some(slot.map_or(weight, |earlier| earlier.max(weight)));
    }
    // An explicit listing of gzip overrides `*`, whatever their order.
    gzip_weight.or(star_weight).is_some_and(|weight| weight > 0)
}

/// Weights are kept in thousandths: `q=0.5` is 500, `q=1` is 1000.
const FULL_WEIGHT: u16 = 1000;

/// Splits one list member into its coding and weight; `None` for an empty member or one whose
/// weight is malformed.
fn parse_member(member: &str) -> Option<(&str, u16)> {
    let mut parts = member.split(';');
    let coding = trim_ows(parts.next()?);
    if coding.is_empty() {
        return None;
    }
    let mut weight = FULL_WEIGHT;
    for parameter in parts {
        let Some((name, value)) = parameter.split_once('=') else {
            // A bare `;` or a parameter without a value says nothing about the weight.
            continue;
        };
        if trim_ows(name).eq_ignore_ascii_case("q") {
            weight = parse_qvalue(trim_ows(value))?;
        }
    }
    Some((coding, weight))
}

/// Parses a qvalue into thousandths; `None` when it is not `0[.ddd]` or `1[.000]`.
fn parse_qvalue(text: &str) -> Option<u16> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    if fraction.len() > 3 || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    let mut scale: u16 = 100;
    for digit in fraction.bytes() {
        thousandths += u16::from(digit - b'0') * scale;
        scale /= 10;
    }
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(FULL_WEIGHT),
        _ => None,
    }
}

/// `gzip` or its legacy alias `x-gzip`, in any case.
fn is_gzip(coding: &str) -> bool {
    coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip")
}

/// Strips optional whitespace (spaces and tabs, RFC 9110 §5.6.3).
fn trim_ows(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_table() {
        let rows: &[(&str, bool)] = &[
            // Plain listings.
            ("gzip", true),
            ("GZIP", true),
            ("GZip", true),
            ("x-gzip", true),
            ("X-GZIP", true),
            ("gzip, deflate, br", true),
            ("deflate, gzip", true),
            ("deflate, br", false),
            ("identity", false),
            ("br;q=1.0, identity", false),
            ("", false),
            ("   ", false),
            (",,", false),
            // Whitespace.
            ("  gzip  ", true),
            ("\tgzip\t", true),
            ("gzip ; q=0.5", true),
            ("gzip;q = 0", false),
            ("deflate,gzip", true),
            // Weights.
            ("gzip;q=0", false),
            ("gzip;q=0.0", false),
            ("gzip;q=0.00", false),
            ("gzip;q=0.000", false),
            ("gzip;Q=0", false),
            ("gzip;q=0.", false),
            ("gzip;q=0.001", true),
            ("gzip;q=0.5", true),
            ("gzip;q=1", true),
            ("gzip;q=1.", true),
            ("gzip;q=1.0", true),
            ("gzip;q=1.000", true),
            ("x-gzip;q=0", false),
            // The wildcard.
            ("*", true),
            ("*;q=0", false),
            ("*;q=0.1", true),
            ("*, gzip;q=0", false),
            ("gzip;q=0, *", false),
            ("deflate, *", true),
            ("gzip;q=0.5, *;q=0", true),
            ("br;q=1.0, gzip;q=0.8, *;q=0.1", true),
            ("identity;q=1, *;q=0", false),
            // Malformed weights: the member is ignored.
            ("gzip;q=2", false),
            ("gzip;q=1.5", false),
            ("gzip;q=1.001", false),
            ("gzip;q=0.5000", false),
            ("gzip;q=abc", false),
            ("gzip;q=", false),
            ("gzip;q=-1", false),
            ("gzip;q=.5", false),
            ("gzip;q=2, *", true),
            ("*;q=x, gzip", true),
            // Repeated listings: the highest weight counts.
            ("gzip;q=0, gzip", true),
            ("gzip, gzip;q=0", true),
            ("gzip;q=0, x-gzip;q=0", false),
            // Other parameters and stray semicolons.
            ("gzip;level=9", true),
            ("gzip;level=9;q=0", false),
            ("gzip;", true),
            ("gzip;;q=0", false),
            (";q=1", false),
            // Substrings are not codings (Powertools would accept these).
            ("gzipped", false),
            ("notgzip", false),
            ("br, deflate;q=0.5, identity;q=0.1 gzip", false),
        ];
        for &(value, expected) in rows {
            assert_eq!(accepts_gzip(value), expected, "Accept-Encoding: {value:?}");
        }
    }

    #[test]
    fn qvalues_in_thousandths() {
        assert_eq!(parse_qvalue("0"), Some(0));
        assert_eq!(parse_qvalue("0.5"), Some(500));
        assert_eq!(parse_qvalue("0.05"), Some(50));
        assert_eq!(parse_qvalue("0.123"), Some(123));
        assert_eq!(parse_qvalue("1"), Some(1000));
        assert_eq!(parse_qvalue("1.00"), Some(1000));
        assert_eq!(parse_qvalue("01"), None);
        assert_eq!(parse_qvalue(""), None);
        assert_eq!(parse_qvalue("0.1.1"), None);
    }
}
