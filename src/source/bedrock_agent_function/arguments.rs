//! [`Args`]: a tool's arguments, read from the agent's `parameters` by the tool's types;
//! [`ArgValue`]: an argument as Powertools' resolver would have converted it.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::python;
use crate::error::Error;
use crate::event::{Elements, Members, Nodes, string_of};
use crate::extract::{
    Extract, FromRequest, Inputs, Rebind, Rejection, TextDeserializer, TextError, forward_text,
};
use crate::request::Request;

/// A tool's arguments: `T` (a struct, or a map) read from the agent's `parameters`, a
/// field from the parameter of its name (the last one, if the agent repeats a name;
/// parameters no field names are ignored; a missing one is a missing field, so make it
/// an `Option` or give it a `#[serde(default)]`).
///
/// **How a value is converted.** Every value the agent sends is text, with the `type` the
/// action group declares for it (`string`, `integer`, `number`, `boolean`, `array`).
///
/// * A field of a Rust type reads the text as that type, whatever its declared `type`, as
///   `Query` and `Path` read theirs (pydantic's lax rules, the same on every resolver):
///   integers with surrounding whitespace, single `_` between digits and a zero fraction
///   (`" 7 "`, `1_000`, `3.0`); numbers; booleans `true`/`false`, `yes`/`no`, `on`/`off`,
///   `1`/`0`, `t`/`f`, `y`/`n` in any case; strings as sent. Text that does not read as
///   the field's type is an argument error, answered to the agent
///   (`Error: ArgumentError: argument 'days': Input should be a valid integer`).
/// * A field that takes anything ([`ArgValue`], `serde_json::Value`) gets what Powertools'
///   function resolver gives a Python tool, converted by the declared `type`: `integer`
///   as Python's `int()` (whitespace, sign, `_`, any script's decimal digits: `" +7 "` is
///   7, `٣` is 3; `3.0` and `abc` stay text), `number` as `float()` (`1e3`, `.5`, `3`;
///   `inf`, `nan` and overflowing values stay text, as JSON cannot carry them), `boolean`
///   as `value.lower() == "true"` (so `yes` and `1` are **false**), `string` and any other
///   type as the text. An integer beyond `i128` stays text (Python's has no limit).
///
/// A parameter without a `type` is an argument error, as in Powertools.
///
/// ```
/// use lambda_router::bedrock::{ArgValue, Args};
/// use lambda_router::{App, Json};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Weather {
///     city: String,
///     #[serde(default)]
///     days: Option<u8>,
///     // What a Python tool would have been given.
///     units: Option<ArgValue>,
/// }
/// lambda_router::rebind!(Weather);
///
/// let app = App::bedrock_agent_functions()
///     .tool("get_weather", |Args(w): Args<Weather>| {
///         Json(format!("{}: sunny for {} day(s)", w.city, w.days.unwrap_or(1)))
///     })
///     .build();
/// assert!(app.is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Args<T>(pub T);

/// An argument as Powertools' function resolver hands it to a Python tool: converted by
/// the `type` the action group declares for it (see [`Args`]). Serialized as the JSON
/// value it is (`7`, `0.25`, `true`, `"text"`).
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A value declared `integer` that Python's `int()` reads.
    Integer(i128),
    /// A value declared `number` that Python's `float()` reads, finite.
    Number(f64),
    /// A value declared `boolean`.
    Boolean(bool),
    /// Any other value: declared `string`, `array` or another type, or not convertible.
    Text(String),
}

impl Serialize for ArgValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Integer(value) => match i64::try_from(*value) {
                Ok(small) => serializer.serialize_i64(small),
                Err(_) => serializer.serialize_i128(*value),
            },
            Self::Number(value) => serializer.serialize_f64(*value),
            Self::Boolean(value) => serializer.serialize_bool(*value),
            Self::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for ArgValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArgVisitor;
        impl Visitor<'_> for ArgVisitor {
            type Value = ArgValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, a number, a boolean or a string")
            }
            fn visit_bool<E>(self, value: bool) -> Result<ArgValue, E> {
                Ok(ArgValue::Boolean(value))
            }
            fn visit_i64<E>(self, value: i64) -> Result<ArgValue, E> {
                Ok(ArgValue::Integer(value.into()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<ArgValue, E> {
                Ok(ArgValue::Integer(value.into()))
            }
            fn visit_i128<E>(self, value: i128) -> Result<ArgValue, E> {
                Ok(ArgValue::Integer(value))
            }
            fn visit_f64<E>(self, value: f64) -> Result<ArgValue, E> {
                Ok(ArgValue::Number(value))
            }
            fn visit_str<E>(self, value: &str) -> Result<ArgValue, E> {
                Ok(ArgValue::Text(value.to_owned()))
            }
            fn visit_string<E>(self, value: String) -> Result<ArgValue, E> {
                Ok(ArgValue::Text(value))
            }
        }
        deserializer.deserialize_any(ArgVisitor)
    }
}

impl Rebind for ArgValue {
    type At<'r> = ArgValue;
}

/// One entry of `parameters` (checked when the event was read: an object with a string
/// `name` and a string `value`).
#[derive(Clone, Copy)]
struct Parameter<'de> {
    name: &'de str,
    value: &'de str,
    /// `None` without a `type` member; `Some(None)` for a `type` that is not a string.
    kind: Option<Option<&'de str>>,
}

fn parameter(element: Nodes<'_>) -> Option<Parameter<'_>> {
    let (mut name, mut value, mut kind) = (None, None, None);
    for (key, member) in Members::of_value(element) {
        match key {
            "name" => name = string_of(member),
            "value" => value = string_of(member),
            "type" => kind = Some(string_of(member)),
            _ => {}
        }
    }
    Some(Parameter {
        name: name?,
        value: value?,
        kind,
    })
}

/// The event's `parameters` list (empty when absent or `null`).
#[derive(Clone, Copy)]
struct Parameters<'de>(Nodes<'de>);

impl<'de> Parameters<'de> {
    fn iter(self) -> impl Iterator<Item = Parameter<'de>> {
        Elements::of_value(self.0).filter_map(parameter)
    }

    fn last(self, name: &str) -> Option<Parameter<'de>> {
        self.iter().filter(|p| p.name == name).last()
    }
}

/// Why a tool's arguments could not be read; the agent reads it as
/// `Error: ArgumentError: <this>`.
#[derive(Debug)]
pub(crate) struct ArgumentError(Cow<'static, str>);

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArgumentError {}

impl ArgumentError {
    #[cold]
    fn of(error: TextError) -> Self {
        let field = error.field.as_deref().unwrap_or("?");
        Self(match error.kind {
            crate::extract::ErrorType::Missing => {
                format!("missing required argument '{field}'").into()
            }
            _ => format!("argument '{field}': {}", error.msg).into(),
        })
    }
}

impl<'r, T: Deserialize<'r>> FromRequest<'r> for Args<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        let list = req.event().get("parameters").map(|list| list.nodes());
        let parameters = Parameters(list.unwrap_or_default());
        if let Some(untyped) = parameters.iter().find(|p| p.kind.is_none()) {
            let message = format!("parameter '{}' has no 'type'", untyped.name);
            return Err(Rejection::Failed(Error::new(ArgumentError(message.into()))));
        }
        T::deserialize(ArgsDeserializer { parameters })
            .map(Args)
            .map_err(|error| Rejection::Failed(Error::new(ArgumentError::of(error))))
    }
}

impl<T: Rebind> Extract for Args<T>
where
    for<'r> T::At<'r>: Deserialize<'r>,
{
    type At<'r> = Args<T::At<'r>>;

    fn describe(inputs: &mut Inputs<'_>) {
        inputs.arguments::<T>();
    }
}

/// The whole argument list: a struct by its fields, a map of every parameter.
struct ArgsDeserializer<'de> {
    parameters: Parameters<'de>,
}

impl<'de> Deserializer<'de> for ArgsDeserializer<'de> {
    type Error = TextError;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_map(FieldsMap {
            parameters: self.parameters,
            fields: fields.iter(),
            current: None,
        })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_map(PairsMap {
            parameters: self.parameters.iter(),
            current: None,
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A struct's fields, each read from the last parameter of its name; absent ones are
/// skipped, so serde reports them missing (or uses their default).
struct FieldsMap<'de> {
    parameters: Parameters<'de>,
    fields: std::slice::Iter<'static, &'static str>,
    current: Option<(&'static str, Parameter<'de>)>,
}

impl<'de> MapAccess<'de> for FieldsMap<'de> {
    type Error = TextError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TextError> {
        for &field in self.fields.by_ref() {
            if let Some(found) = self.parameters.last(field) {
                self.current = Some((field, found));
                return seed
                    .deserialize(BorrowedStrDeserializer::new(field))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TextError> {
        let Some((field, parameter)) = self.current else {
            return Err(de::Error::custom("a value was asked before its key"));
        };
        seed.deserialize(ArgDeserializer { parameter })
            .map_err(|error| error.in_field(field))
    }
}

/// Every parameter in order, for a map (a repeated name is inserted again: the last wins).
struct PairsMap<'de, I> {
    parameters: I,
    current: Option<Parameter<'de>>,
}

impl<'de, I: Iterator<Item = Parameter<'de>>> MapAccess<'de> for PairsMap<'de, I> {
    type Error = TextError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TextError> {
        self.current = self.parameters.next();
        let Some(parameter) = self.current else {
            return Ok(None);
        };
        seed.deserialize(BorrowedStrDeserializer::<TextError>::new(parameter.name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TextError> {
        let Some(parameter) = self.current else {
            return Err(de::Error::custom("a value was asked before its key"));
        };
        seed.deserialize(ArgDeserializer { parameter })
            .map_err(|error| error.named(parameter.name))
    }
}

/// One argument: read by the type asked for (the text deserializer's lax rules), or, when
/// anything is asked, converted by its declared `type` as Powertools does.
struct ArgDeserializer<'de> {
    parameter: Parameter<'de>,
}

impl<'de> ArgDeserializer<'de> {
    fn text(&self) -> TextDeserializer<'de> {
        TextDeserializer {
            text: self.parameter.value,
        }
    }
}

impl<'de> Deserializer<'de> for ArgDeserializer<'de> {
    type Error = TextError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        let text = self.parameter.value;
        match self.parameter.kind.flatten() {
            Some("integer") => match python::int(text) {
                Some(value) => match i64::try_from(value) {
                    Ok(small) => visitor.visit_i64(small),
                    Err(_) => visitor.visit_i128(value),
                },
                None => visitor.visit_borrowed_str(text),
            },
            Some("number") => match python::float(text) {
                Some(value) => visitor.visit_f64(value),
                None => visitor.visit_borrowed_str(text),
            },
            Some("boolean") => visitor.visit_bool(text.eq_ignore_ascii_case("true")),
            _ => visitor.visit_borrowed_str(text),
        }
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

    forward_text! {
        deserialize_bool() deserialize_i8() deserialize_i16() deserialize_i32()
        deserialize_i64() deserialize_i128() deserialize_u8() deserialize_u16()
        deserialize_u32() deserialize_u64() deserialize_u128() deserialize_f32()
        deserialize_f64() deserialize_char() deserialize_str() deserialize_string()
        deserialize_bytes() deserialize_byte_buf() deserialize_unit() deserialize_seq()
        deserialize_map() deserialize_identifier() deserialize_ignored_any()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_unit_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
    }
}
