//! A serde [`Deserializer`] over one value of a simd-json tape.
//!
//! The body is parsed once into a tape; [`from_tape_value`] then builds any
//! `T: Deserialize<'de>` from it without allocating: strings are handed out with
//! `visit_borrowed_str` (simd-json unescapes in place, so they point into the input buffer),
//! containers are walked with the tape's own iterators, and a field the target ignores is
//! skipped by `deserialize_ignored_any` without looking inside it (the tape records each
//! container's node count, so stepping over it is one slice split). Only errors allocate.
//!
//! Semantics follow `serde_json`'s: integers keep the kind the tape holds (`visit_i64` or
//! `visit_u64`, so an out-of-range number is rejected by the target's visitor), floats go
//! through `visit_f64`, enums are a string (unit variant) or an object with exactly one
//! entry, structs accept an object or an array, and object keys may be read as integers,
//! floats or booleans the way `serde_json` reads them (`HashMap<u32, _>` works).
//!
//! Nesting is bounded as in `serde_json`: every array, object and object-form enum entered
//! takes one level of [`MAX_DEPTH`], so a deep body into a recursive type (or
//! `serde_json::Value`) is refused with "recursion limit exceeded" instead of recursing
//! until the stack overflows.

use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use simd_json::ValueType;
use simd_json::prelude::*;
use simd_json::tape::{Array, Object, Value};

mod access;

use access::{EnumDe, MapDe, SeqDe};

/// `serde_json`'s recursion limit: the 128th nested container is refused, 127 are read.
pub(crate) const MAX_DEPTH: u8 = 128;

/// Deserializes `T` from one JSON value of a simd-json tape, borrowing strings from it.
pub(crate) fn from_tape_value<'de, T: de::Deserialize<'de>>(
    value: Value<'de, 'de>,
) -> Result<T, TapeDeError> {
    T::deserialize(TapeDeserializer {
        value,
        depth_left: MAX_DEPTH,
    })
}

/// The deserializer [`from_tape_value`] uses, for callers that wrap it (to track the path
/// to an error, say).
pub(crate) fn tape_deserializer<'de>(
    value: Value<'de, 'de>,
) -> impl Deserializer<'de, Error = TapeDeError> {
    TapeDeserializer {
        value,
        depth_left: MAX_DEPTH,
    }
}

/// The depth left inside a container entered with `depth_left` to spare, counted as
/// `serde_json` counts it; an error once it would reach zero.
fn enter(depth_left: u8) -> Result<u8, TapeDeError> {
    match depth_left.checked_sub(1) {
        Some(inner) if inner > 0 => Ok(inner),
        _ => Err(de::Error::custom("recursion limit exceeded")),
    }
}

/// Why a tape value did not deserialize into the requested type.
#[derive(Debug)]
pub(crate) struct TapeDeError {
    message: Box<str>,
}

impl fmt::Display for TapeDeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TapeDeError {}

impl de::Error for TapeDeError {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            message: msg.to_string().into_boxed_str(),
        }
    }

    // As serde_json words them: a JSON `null` is "null", not "unit value".
    #[cold]
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {}",
            JsonUnexpected(unexp),
            exp
        ))
    }

    #[cold]
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {}",
            JsonUnexpected(unexp),
            exp
        ))
    }
}

/// `Unexpected` with a JSON `null` shown as "null".
struct JsonUnexpected<'a>(Unexpected<'a>);

impl fmt::Display for JsonUnexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            other => fmt::Display::fmt(&other, f),
        }
    }
}

/// One tape value, read out by kind.
enum Kind<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    I128(i128),
    U128(u128),
    F64(f64),
    Str(&'de str),
    Array(Array<'de, 'de>),
    Object(Object<'de, 'de>),
}

impl<'de> Kind<'de> {
    fn of(value: Value<'de, 'de>) -> Result<Self, TapeDeError> {
        let kind = match value.value_type() {
            ValueType::Null => Some(Kind::Null),
            ValueType::Bool => value.as_bool().map(Kind::Bool),
            ValueType::I64 => value.as_i64().map(Kind::I64),
            ValueType::U64 => value.as_u64().map(Kind::U64),
            // Only with simd-json's `128bit` feature.
            ValueType::I128 => value.as_i128().map(Kind::I128),
            ValueType::U128 => value.as_u128().map(Kind::U128),
            ValueType::F64 => value.as_f64().map(Kind::F64),
            ValueType::String => value.into_string().map(Kind::Str),
            ValueType::Array => value.as_array().map(Kind::Array),
            ValueType::Object => value.as_object().map(Kind::Object),
            _ => None,
        };
        kind.ok_or_else(|| {
            de::Error::custom(format_args!(
                "unsupported tape value of type {}",
                value.value_type()
            ))
        })
    }

    fn unexpected(&self) -> Unexpected<'de> {
        match *self {
            Kind::Null => Unexpected::Unit,
            Kind::Bool(b) => Unexpected::Bool(b),
            Kind::I64(n) => Unexpected::Signed(n),
            Kind::U64(n) => Unexpected::Unsigned(n),
            Kind::I128(_) | Kind::U128(_) => Unexpected::Other("128-bit integer"),
            Kind::F64(n) => Unexpected::Float(n),
            Kind::Str(s) => Unexpected::Str(s),
            Kind::Array(_) => Unexpected::Seq,
            Kind::Object(_) => Unexpected::Map,
        }
    }

    fn invalid_type(&self, exp: &dyn de::Expected) -> TapeDeError {
        de::Error::invalid_type(self.unexpected(), exp)
    }
}

/// The deserializer for one tape value; `Copy`, it is handed around by value.
#[derive(Clone, Copy)]
struct TapeDeserializer<'de> {
    value: Value<'de, 'de>,
    /// How many more containers may be entered below this value (see [`enter`]).
    depth_left: u8,
}

impl<'de> TapeDeserializer<'de> {
    fn kind(self) -> Result<Kind<'de>, TapeDeError> {
        Kind::of(self.value)
    }
}

/// Hands `array`'s elements to `visitor`; every element must be consumed, as in serde_json.
fn visit_array<'de, V: Visitor<'de>>(
    array: Array<'de, 'de>,
    depth_left: u8,
    visitor: V,
) -> Result<V::Value, TapeDeError> {
    let len = array.len();
    let mut seq = SeqDe {
        iter: array.iter(),
        remaining: len,
        depth_left: enter(depth_left)?,
    };
    let out = visitor.visit_seq(&mut seq)?;
    if seq.remaining == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

/// Hands `object`'s entries to `visitor`; every entry must be consumed, as in serde_json.
fn visit_object<'de, V: Visitor<'de>>(
    object: Object<'de, 'de>,
    depth_left: u8,
    visitor: V,
) -> Result<V::Value, TapeDeError> {
    let len = object.len();
    let mut map = MapDe {
        iter: object.iter(),
        value: None,
        remaining: len,
        depth_left: enter(depth_left)?,
    };
    let out = visitor.visit_map(&mut map)?;
    if map.remaining == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

impl<'de> Deserializer<'de> for TapeDeserializer<'de> {
    type Error = TapeDeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(b),
            Kind::I64(n) => visitor.visit_i64(n),
            Kind::U64(n) => visitor.visit_u64(n),
            Kind::I128(n) => visitor.visit_i128(n),
            Kind::U128(n) => visitor.visit_u128(n),
            Kind::F64(n) => visitor.visit_f64(n),
            Kind::Str(s) => visitor.visit_borrowed_str(s),
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            Kind::Object(o) => visit_object(o, self.depth_left, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Str(variant) => visitor.visit_enum(EnumDe {
                variant,
                value: None,
                depth_left: self.depth_left,
            }),
            Kind::Object(object) => {
                let mut entries = object.iter();
                match (object.len(), entries.next()) {
                    (1, Some((variant, value))) => visitor.visit_enum(EnumDe {
                        variant,
                        value: Some(value),
                        depth_left: enter(self.depth_left)?,
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            other => Err(other.invalid_type(&"string or map")),
        }
    }

    /// The point of the tape: a skipped value, however large, is not visited.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        visitor.visit_unit()
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Str(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Str(s) => visitor.visit_borrowed_str(s),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Str(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => visitor.visit_char(c),
                    // The visitor words the error ("expected a character").
                    _ => visitor.visit_borrowed_str(s),
                }
            }
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Null => visitor.visit_unit(),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Object(o) => visit_object(o, self.depth_left, visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    /// An object, or (as serde_json allows) an array of the fields in order.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        match self.kind()? {
            Kind::Object(o) => visit_object(o, self.depth_left, visitor),
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64
    }
}

#[cfg(test)]
mod depth;
#[cfg(test)]
mod tests;
