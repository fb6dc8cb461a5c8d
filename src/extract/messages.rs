//! Pydantic's words for serde's errors: the `type` and `msg` of a 422 error from what a
//! deserializer says went wrong, without echoing the input or naming Rust types.
//!
//! The text deserializers (path, query, headers) hand over serde's structured arguments
//! (`unknown_variant`'s variants, `invalid_type`'s expectation); `serde_json` only gives
//! its `Display` text, read by [`classify`], which is the one place serde's wording is
//! parsed.

use std::borrow::Cow;
use std::fmt::Write;

use super::rejection::ErrorType;

/// The error of a value that is not what `expected` (serde's `Expected` text, which the
/// program writes: `u32`, `a string`, `struct Todo`) describes.
pub(crate) fn not_expected(expected: &str) -> (ErrorType, Cow<'static, str>) {
    if expected == "a character" || expected == "char" {
        return (
            ErrorType::ValueError,
            "Input should be a single character".into(),
        );
    }
    let kind = expected_type(expected);
    let msg = match type_message(kind) {
        Some(fixed) => Cow::Borrowed(fixed),
        None => format!("Input should be {expected}").into(),
    };
    (kind, msg)
}

/// Pydantic's `Input should be 'asc' or 'desc'`, from the variants a type accepts.
pub(crate) fn one_of<'v>(variants: impl IntoIterator<Item = &'v str>) -> Cow<'static, str> {
    let variants: Vec<&str> = variants.into_iter().collect();
    let Some((last, others)) = variants.split_last() else {
        return "Input should be a valid enumeration member".into();
    };
    let mut msg = String::from("Input should be ");
    for (position, variant) in others.iter().enumerate() {
        if position > 0 {
            msg.push_str(", ");
        }
        let _ = write!(msg, "'{variant}'");
    }
    if !others.is_empty() {
        msg.push_str(" or ");
    }
    let _ = write!(msg, "'{last}'");
    msg.into()
}

/// The fixed message of the `*_type` errors (pydantic's).
fn type_message(kind: ErrorType) -> Option<&'static str> {
    Some(match kind {
        ErrorType::Missing => "Field required",
        ErrorType::ExtraForbidden => "Extra inputs are not permitted",
        ErrorType::StringType => "Input should be a valid string",
        ErrorType::IntType => "Input should be a valid integer",
        ErrorType::FloatType => "Input should be a valid number",
        ErrorType::BoolType => "Input should be a valid boolean",
        ErrorType::ListType => "Input should be a valid list",
        ErrorType::ModelType => {
            "Input should be a valid dictionary or object to extract fields from"
        }
        ErrorType::Enum => "Input should be a valid enumeration member",
        _ => return None,
    })
}

/// The integer types serde names, with their bounds.
const INTEGERS: [(&str, i128, u128); 12] = [
    ("u8", 0, u8::MAX as u128),
    ("u16", 0, u16::MAX as u128),
    ("u32", 0, u32::MAX as u128),
    ("u64", 0, u64::MAX as u128),
    ("u128", 0, u128::MAX),
    ("usize", 0, usize::MAX as u128),
    ("i8", i8::MIN as i128, i8::MAX as u128),
    ("i16", i16::MIN as i128, i16::MAX as u128),
    ("i32", i32::MIN as i128, i32::MAX as u128),
    ("i64", i64::MIN as i128, i64::MAX as u128),
    ("i128", i128::MIN, i128::MAX as u128),
    ("isize", isize::MIN as i128, isize::MAX as u128),
];

/// The `*_type` error for what serde says it expected.
fn expected_type(expected: &str) -> ErrorType {
    // serde_json's word for an enum's value ("string or map": a name, or a map for data)
    // comes first: it names a string.
    if expected.starts_with("enum ")
        || expected.starts_with("variant ")
        || expected == "string or map"
    {
        ErrorType::Enum
    } else if INTEGERS.iter().any(|(name, ..)| expected == *name) || expected.contains("integer") {
        ErrorType::IntType
    } else if expected == "f32" || expected == "f64" || expected.contains("number") {
        ErrorType::FloatType
    } else if expected.contains("boolean") {
        ErrorType::BoolType
    } else if expected.contains("string") {
        ErrorType::StringType
    } else if expected.contains("sequence") || expected.contains("tuple") {
        ErrorType::ListType
    } else if expected.starts_with("struct ") || expected.contains("map") {
        ErrorType::ModelType
    } else {
        ErrorType::ValueError
    }
}

/// An integer outside its type's range: pydantic's bound error, on the side it is.
/// `value` is serde's rendering of the number, an integer (`300`) or, for one too long
/// for serde_json's integers, an integral float (`100000000000000000000000.0`).
fn out_of_range(value: &str, expected: &str) -> Option<(ErrorType, Cow<'static, str>)> {
    let (_, min, max) = INTEGERS.iter().find(|(name, ..)| expected == *name)?;
    let value = value.trim_matches('`');
    let (negative, beyond) = match value.parse::<i128>() {
        Ok(value) => (
            value < 0,
            value < *min || u128::try_from(value).is_ok_and(|v| v > *max),
        ),
        Err(_) => match value.parse::<f64>() {
            // An integral float beyond i128 is beyond every integer type.
            Ok(float) if float.is_finite() && float.fract() == 0.0 => {
                (float < 0.0, float < *min as f64 || float > *max as f64)
            }
            _ => (false, value.parse::<u128>().is_ok_and(|value| value > *max)),
        },
    };
    if !beyond {
        return None;
    }
    Some(if negative {
        (
            ErrorType::GreaterThanEqual,
            format!("Input should be greater than or equal to {min}").into(),
        )
    } else {
        (
            ErrorType::LessThanEqual,
            format!("Input should be less than or equal to {max}").into(),
        )
    })
}

/// A serde error read from its `Display` text (`serde_json`'s, without its position):
/// the error type, the field it names when that field is not on the path yet (a missing
/// field is reported by the struct that holds it), and pydantic's message. Nothing of the
/// input is kept but an unknown field's name (cut by
/// [`ValidationError::push`](super::ValidationError::push)); a message of the program's own
/// (`de::Error::custom`) is kept as written.
pub(crate) fn classify(message: &str) -> (ErrorType, Option<&str>, Cow<'static, str>) {
    let fixed = |kind: ErrorType| Cow::Borrowed(type_message(kind).unwrap_or_default());
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.strip_suffix('`').unwrap_or(rest);
        return (ErrorType::Missing, Some(field), fixed(ErrorType::Missing));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest
            .rsplit_once("`, expected ")
            .or_else(|| rest.rsplit_once("`, there are no fields"))
            .map(|(field, _)| field);
        return (
            ErrorType::ExtraForbidden,
            field,
            fixed(ErrorType::ExtraForbidden),
        );
    }
    if message.starts_with("unknown variant `") {
        let variants = message
            .rsplit_once(", expected ")
            .map_or("", |(_, list)| list);
        // The variants are the quoted names: every other piece between backticks.
        let names = variants.split('`').skip(1).step_by(2);
        return (ErrorType::Enum, None, one_of(names));
    }
    // serde_json's own words for an enum given neither a name nor a map (read only for
    // a body that is valid JSON, where nothing else says them).
    if message == "expected value" || message == "expected ident" {
        return (ErrorType::Enum, None, fixed(ErrorType::Enum));
    }
    // serde_json's own words for a map key read as a number.
    if message.ends_with("expected key to be a number in quotes") {
        return (ErrorType::IntType, None, fixed(ErrorType::IntType));
    }
    if message.starts_with("recursion limit exceeded") {
        return (ErrorType::JsonInvalid, None, "JSON decode error".into());
    }
    let Some((found, expected)) = message.rsplit_once(", expected ") else {
        return (ErrorType::ValueError, None, message.to_owned().into());
    };
    let number = found
        .strip_prefix("invalid value: integer ")
        .or_else(|| found.strip_prefix("invalid type: floating point "));
    if let Some((kind, msg)) = number.and_then(|value| out_of_range(value, expected)) {
        return (kind, None, msg);
    }
    let known = ["invalid type: ", "invalid value: ", "invalid length "];
    if known.iter().any(|prefix| found.starts_with(prefix)) {
        let (kind, msg) = not_expected(expected);
        return (kind, None, msg);
    }
    (ErrorType::ValueError, None, message.to_owned().into())
}

#[cfg(test)]
mod tests {
    use super::{ErrorType, classify};

    /// serde's and serde_json's texts (position already cut), with what a 422 says of them.
    #[test]
    fn serde_messages_in_pydantic_words() {
        use ErrorType::*;
        let cases: &[(&str, ErrorType, Option<&str>, &str)] = &[
            (
                "expected value",
                Enum,
                None,
                "Input should be a valid enumeration member",
            ),
            (
                "expected ident",
                Enum,
                None,
                "Input should be a valid enumeration member",
            ),
            (
                "missing field `title`",
                Missing,
                Some("title"),
                "Field required",
            ),
            (
                "unknown field `x`, expected `a` or `b`",
                ExtraForbidden,
                Some("x"),
                "Extra inputs are not permitted",
            ),
            (
                "unknown field `a`, expected `b``, expected `c`",
                ExtraForbidden,
                Some("a`, expected `b`"),
                "Extra inputs are not permitted",
            ),
            (
                "unknown field `x`, there are no fields",
                ExtraForbidden,
                Some("x"),
                "Extra inputs are not permitted",
            ),
            (
                "unknown variant `up`, expected `asc` or `desc`",
                Enum,
                None,
                "Input should be 'asc' or 'desc'",
            ),
            (
                "unknown variant `up, expected `z``, expected one of `a`, `b`, `c`",
                Enum,
                None,
                "Input should be 'a', 'b' or 'c'",
            ),
            (
                "unknown variant `x`, expected `only`",
                Enum,
                None,
                "Input should be 'only'",
            ),
            (
                "unknown variant `x`, there are no variants",
                Enum,
                None,
                "Input should be a valid enumeration member",
            ),
            (
                "invalid type: integer `5`, expected a borrowed string",
                StringType,
                None,
                "Input should be a valid string",
            ),
            (
                "invalid type: string \"a, expected u8\", expected u32",
                IntType,
                None,
                "Input should be a valid integer",
            ),
            (
                "invalid value: integer `300`, expected u8",
                LessThanEqual,
                None,
                "Input should be less than or equal to 255",
            ),
            (
                "invalid value: integer `-1`, expected u64",
                GreaterThanEqual,
                None,
                "Input should be greater than or equal to 0",
            ),
            (
                "invalid value: integer `-200`, expected i8",
                GreaterThanEqual,
                None,
                "Input should be greater than or equal to -128",
            ),
            (
                "invalid value: integer `18446744073709551615`, expected i64",
                LessThanEqual,
                None,
                "Input should be less than or equal to 9223372036854775807",
            ),
            (
                "invalid type: floating point `100000000000000000000000.0`, expected i64",
                LessThanEqual,
                None,
                "Input should be less than or equal to 9223372036854775807",
            ),
            (
                "invalid type: floating point `-1e300`, expected u128",
                GreaterThanEqual,
                None,
                "Input should be greater than or equal to 0",
            ),
            (
                "invalid type: floating point `2.5`, expected i64",
                IntType,
                None,
                "Input should be a valid integer",
            ),
            (
                "invalid type: string \"a\", expected f64",
                FloatType,
                None,
                "Input should be a valid number",
            ),
            (
                "invalid type: null, expected a boolean",
                BoolType,
                None,
                "Input should be a valid boolean",
            ),
            (
                "invalid type: map, expected a sequence",
                ListType,
                None,
                "Input should be a valid list",
            ),
            (
                "invalid type: integer `1`, expected struct Todo",
                ModelType,
                None,
                "Input should be a valid dictionary or object to extract fields from",
            ),
            (
                "invalid type: integer `5`, expected string or map",
                Enum,
                None,
                "Input should be a valid enumeration member",
            ),
            (
                "invalid type: integer `1`, expected enum Order",
                Enum,
                None,
                "Input should be a valid enumeration member",
            ),
            (
                "invalid value: string \"long text\", expected a character",
                ValueError,
                None,
                "Input should be a single character",
            ),
            (
                "invalid value: string \"2024-13-01\", expected a date as YYYY-MM-DD",
                ValueError,
                None,
                "Input should be a date as YYYY-MM-DD",
            ),
            (
                "invalid length 3, expected a tuple of size 2",
                ListType,
                None,
                "Input should be a valid list",
            ),
            (
                "invalid value: expected key to be a number in quotes",
                IntType,
                None,
                "Input should be a valid integer",
            ),
            (
                "recursion limit exceeded",
                JsonInvalid,
                None,
                "JSON decode error",
            ),
            ("title too long", ValueError, None, "title too long"),
        ];
        for &(message, kind, field, msg) in cases {
            assert_eq!(classify(message), (kind, field, msg.into()), "{message}");
        }
    }

    /// Whatever the input in a message, only the program's words come back (an unknown
    /// field's name aside, which its `loc` needs).
    #[test]
    fn no_message_of_a_known_shape_echoes_the_input() {
        let input = "ECHO".repeat(1000);
        let shapes = [
            format!("unknown variant `{input}`, expected `asc` or `desc`"),
            format!("invalid type: string \"{input}\", expected u32"),
            format!("invalid value: string \"{input}\", expected a character"),
            format!("invalid type: string \"{input}\", expected enum Order"),
            format!("invalid value: integer `{input}`, expected u8"),
            format!("invalid type: string \"{input}\", expected a boolean"),
        ];
        for message in shapes {
            let (_, field, msg) = classify(&message);
            assert!(
                !msg.contains("ECHO") && field.is_none(),
                "{message:.80}: {msg}"
            );
        }
    }
}
