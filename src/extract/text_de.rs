//! Deserializing from text values (path parameters, query parameters, headers): one
//! `&str` read as the type asked for (numbers and booleans parsed, strings borrowed), or
//! the list of a repeated key read as a sequence. Nothing allocates but an error.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::lax;
use super::messages;
use super::rejection::ErrorType;

/// Why a text value did not deserialize: the kind of error and, once known, the field.
#[derive(Debug)]
pub(crate) struct TextError {
    pub(crate) kind: ErrorType,
    pub(crate) msg: Cow<'static, str>,
    pub(crate) field: Option<Cow<'static, str>>,
    /// The position in the list of a repeated key.
    pub(crate) index: Option<usize>,
}

impl TextError {
    #[cold]
    fn new(kind: ErrorType, msg: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            msg: msg.into(),
            field: None,
            index: None,
        }
    }

    /// Names the field the error is about, unless a deeper step already did.
    #[cold]
    pub(crate) fn in_field(mut self, field: &'static str) -> Self {
        self.field.get_or_insert(Cow::Borrowed(field));
        self
    }

    /// Names the key of a single value read from a source (`todo_id` of `Path<u64>`).
    #[cold]
    pub(crate) fn named(mut self, key: &str) -> Self {
        if self.field.is_none() {
            self.field = Some(Cow::Owned(key.to_owned()));
        }
        self
    }

    /// No value where one is required.
    #[cold]
    pub(crate) fn missing() -> Self {
        Self::new(ErrorType::Missing, "Field required")
    }

    /// A value that is not what `expected` describes, in pydantic's words.
    #[cold]
    fn not_expected(expected: &dyn de::Expected) -> Self {
        let (kind, msg) = messages::not_expected(&expected.to_string());
        Self::new(kind, msg)
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for TextError {}

impl de::Error for TextError {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(ErrorType::ValueError, msg.to_string())
    }

    #[cold]
    fn missing_field(field: &'static str) -> Self {
        Self::missing().in_field(field)
    }

    #[cold]
    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        let mut error = Self::new(ErrorType::ExtraForbidden, "Extra inputs are not permitted");
        error.field = Some(Cow::Owned(field.to_owned()));
        error
    }

    /// The value is not echoed: the message lists what is accepted.
    #[cold]
    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(ErrorType::Enum, messages::one_of(expected.iter().copied()))
    }

    #[cold]
    fn invalid_type(_found: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::not_expected(expected)
    }

    #[cold]
    fn invalid_value(_found: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::not_expected(expected)
    }

    #[cold]
    fn invalid_length(_len: usize, expected: &dyn de::Expected) -> Self {
        Self::not_expected(expected)
    }
}

/// Parses `text` as `T`, or the parse error of `kind` naming what was expected.
fn parse<T: std::str::FromStr>(
    text: &str,
    kind: ErrorType,
    expected: &'static str,
) -> Result<T, TextError> {
    // Brought to the form `FromStr` takes, as pydantic's lax mode reads it.
    let text = match kind {
        ErrorType::BoolParsing => lax::boolean(text).unwrap_or(text),
        ErrorType::FloatParsing => text.trim(),
        _ => text,
    };
    text.parse()
        .map_err(|_| TextError::new(kind, format!("Input should be {expected}")))
}

/// Parses `text` as the integer type `T`, whose range is `min..=max`. Text that is an
/// integer (pydantic has no size limit) outside the range fails the range as pydantic
/// fails a declared bound: `greater_than_equal` or `less_than_equal`.
fn parse_integer<T: std::str::FromStr + fmt::Display>(
    text: &str,
    min: T,
    max: T,
) -> Result<T, TextError> {
    let mut buffer = [0; lax::MAX_INTEGER_TEXT];
    let negative = match lax::integer(text, &mut buffer) {
        Some(lax::Integer::Digits(digits)) => match digits.parse() {
            Ok(value) => return Ok(value),
            // Digits `FromStr` refuses are out of the type's range.
            Err(_) => digits.starts_with('-'),
        },
        Some(lax::Integer::Beyond { negative }) => negative,
        None => {
            return Err(TextError::new(
                ErrorType::IntParsing,
                "Input should be a valid integer",
            ));
        }
    };
    Err(if negative {
        TextError::new(
            ErrorType::GreaterThanEqual,
            format!("Input should be greater than or equal to {min}"),
        )
    } else {
        TextError::new(
            ErrorType::LessThanEqual,
            format!("Input should be less than or equal to {max}"),
        )
    })
}

/// One text value, read as the type asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextDeserializer<'de> {
    pub(crate) text: &'de str,
}

macro_rules! parsed {
    ($($method:ident => $visit:ident, $ty:ty, $kind:ident, $expected:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                visitor.$visit(parse::<$ty>(self.text, ErrorType::$kind, $expected)?)
            }
        )*
    };
}

macro_rules! integers {
    ($($method:ident => $visit:ident, $ty:ty;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                visitor.$visit(parse_integer::<$ty>(self.text, <$ty>::MIN, <$ty>::MAX)?)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for TextDeserializer<'de> {
    type Error = TextError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_borrowed_str(self.text)
    }

    parsed! {
        deserialize_bool => visit_bool, bool, BoolParsing, "a valid boolean";
        deserialize_f32 => visit_f32, f32, FloatParsing, "a valid number";
        deserialize_f64 => visit_f64, f64, FloatParsing, "a valid number";
        deserialize_char => visit_char, char, ValueError, "a single character";
    }

    integers! {
        deserialize_i8 => visit_i8, i8;
        deserialize_i16 => visit_i16, i16;
        deserialize_i32 => visit_i32, i32;
        deserialize_i64 => visit_i64, i64;
        deserialize_i128 => visit_i128, i128;
        deserialize_u8 => visit_u8, u8;
        deserialize_u16 => visit_u16, u16;
        deserialize_u32 => visit_u32, u32;
        deserialize_u64 => visit_u64, u64;
        deserialize_u128 => visit_u128, u128;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_enum(BorrowedStrDeserializer::new(self.text))
    }

    /// A single value read into a list is a list of one.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_seq(TextSeq {
            values: std::iter::once(self.text),
            index: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct tuple tuple_struct map struct identifier
        ignored_any
    }
}

impl<'de> de::IntoDeserializer<'de, TextError> for TextDeserializer<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// The values of a repeated key, as a sequence of text values.
pub(crate) struct TextSeq<I> {
    pub(crate) values: I,
    index: usize,
}

impl<I> TextSeq<I> {
    pub(crate) fn new(values: I) -> Self {
        Self { values, index: 0 }
    }
}

impl<'de, I: Iterator<Item = &'de str>> SeqAccess<'de> for TextSeq<I> {
    type Error = TextError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TextError> {
        let Some(text) = self.values.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(TextDeserializer { text })
            .map(Some)
            .map_err(|mut error| {
                error.index.get_or_insert(index);
                error
            })
    }
}

/// The `deserialize_*` methods of a deserializer of one text value (a field's, a tool
/// argument's) that read it as its `self.text()` deserializer does: each written as
/// `deserialize_bool()`, or with its other parameters, `deserialize_tuple(len: usize)`.
macro_rules! forward_text {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(
            fn $method<V: serde::de::Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, $crate::extract::TextError> {
                self.text().$method($($arg,)* visitor)
            }
        )*
    };
}
pub(crate) use forward_text;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn read<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, TextError> {
        T::deserialize(TextDeserializer { text })
    }

    #[test]
    fn scalars_parse_and_strings_borrow() {
        assert_eq!(read::<u32>("42").ok(), Some(42));
        assert_eq!(read::<i64>("-7").ok(), Some(-7));
        assert_eq!(read::<f64>("1.5").ok(), Some(1.5));
        assert_eq!(read::<bool>("true").ok(), Some(true));
        assert_eq!(read::<&str>("ana").ok(), Some("ana"));
        assert_eq!(read::<Option<u8>>("3").ok(), Some(Some(3)));
        assert_eq!(read::<Vec<u8>>("3").ok(), Some(vec![3]));
    }

    /// Text that is no integer fails parsing; an integer outside its type's range (of any
    /// length: pydantic's have none) fails the range, on its side.
    #[test]
    fn each_parse_failure_has_its_type() {
        let huge = "9".repeat(60);
        let negative_huge = format!("-{huge}");
        let kind =
            |result: Result<(), TextError>| result.err().map(|error| (error.kind, error.msg));
        type Case = (Result<(), TextError>, Option<(ErrorType, &'static str)>);
        let cases: Vec<Case> = vec![
            (
                read::<u32>("x").map(drop),
                Some((ErrorType::IntParsing, "Input should be a valid integer")),
            ),
            (
                read::<u32>("2.5").map(drop),
                Some((ErrorType::IntParsing, "Input should be a valid integer")),
            ),
            (
                read::<u8>("300").map(drop),
                Some((
                    ErrorType::LessThanEqual,
                    "Input should be less than or equal to 255",
                )),
            ),
            (
                read::<u8>("-1").map(drop),
                Some((
                    ErrorType::GreaterThanEqual,
                    "Input should be greater than or equal to 0",
                )),
            ),
            (read::<u8>("-0").map(drop), None),
            (
                read::<i8>("-129").map(drop),
                Some((
                    ErrorType::GreaterThanEqual,
                    "Input should be greater than or equal to -128",
                )),
            ),
            (
                read::<i64>("99999999999999999999999").map(drop),
                Some((
                    ErrorType::LessThanEqual,
                    "Input should be less than or equal to 9223372036854775807",
                )),
            ),
            (
                read::<i64>(&huge).map(drop),
                Some((
                    ErrorType::LessThanEqual,
                    "Input should be less than or equal to 9223372036854775807",
                )),
            ),
            (
                read::<i64>(&negative_huge).map(drop),
                Some((
                    ErrorType::GreaterThanEqual,
                    "Input should be greater than or equal to -9223372036854775808",
                )),
            ),
            (
                read::<u128>(&huge).map(drop),
                Some((
                    ErrorType::LessThanEqual,
                    "Input should be less than or equal to 340282366920938463463374607431768211455",
                )),
            ),
            (
                read::<f32>("one").map(drop),
                Some((ErrorType::FloatParsing, "Input should be a valid number")),
            ),
            (
                read::<bool>("maybe").map(drop),
                Some((ErrorType::BoolParsing, "Input should be a valid boolean")),
            ),
        ];
        for (index, (result, expected)) in cases.into_iter().enumerate() {
            let got = kind(result);
            let got = got.as_ref().map(|(kind, msg)| (*kind, &**msg));
            assert_eq!(got, expected, "case {index}");
        }
        assert_eq!(read::<i64>(" -0_7.00 ").ok(), Some(-7));
        assert_eq!(read::<u64>("18446744073709551615").ok(), Some(u64::MAX));
    }

    #[test]
    fn unit_enums_read_their_variant_and_refuse_others() {
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Order {
            Asc,
            Desc,
        }
        assert_eq!(read::<Order>("desc").ok(), Some(Order::Desc));
        let error = read::<Order>("up").err().map(|e| e.kind);
        assert_eq!(error, Some(ErrorType::Enum));
    }
}
