//! Deserializing a struct (or map, or tuple) from a source of named text values: the path
//! parameters, the query, the headers. A struct is read by looking up each of its fields
//! by name in the borrowed view (no map is built); a repeated key read into a `Vec` gives
//! all its values.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::stand_in::StandIn;
use super::text_de::{TextDeserializer, TextError, TextSeq, forward_text};
use crate::event::{Headers, Query};
use crate::router::Params;

/// A source of named text values.
pub(crate) trait Lookup<'de>: Copy {
    /// The one value of `name` (the last, for a repeated key, as `Request::query` reads it).
    fn one(&self, name: &str) -> Option<&'de str>;
    /// Every value of `name`, for a list.
    fn all(&self, name: &str) -> impl Iterator<Item = &'de str>;
    /// Every `(name, value)`, for a map.
    fn pairs(&self) -> impl Iterator<Item = (&'de str, &'de str)>;
}

impl<'de> Lookup<'de> for &Params<'de> {
    fn one(&self, name: &str) -> Option<&'de str> {
        self.get(name)
    }
    fn all(&self, name: &str) -> impl Iterator<Item = &'de str> {
        self.get(name).into_iter()
    }
    fn pairs(&self) -> impl Iterator<Item = (&'de str, &'de str)> {
        self.iter()
    }
}

impl<'de> Lookup<'de> for Query<'de> {
    fn one(&self, name: &str) -> Option<&'de str> {
        self.get(name)
    }
    fn all(&self, name: &str) -> impl Iterator<Item = &'de str> {
        self.get_all(name)
    }
    fn pairs(&self) -> impl Iterator<Item = (&'de str, &'de str)> {
        self.iter()
    }
}

/// Headers looked up by field name, with `_` read as `-` (Powertools'
/// `convert_underscores`): field `x_api_key` reads header `X-Api-Key`.
#[derive(Clone, Copy)]
pub(crate) struct HeaderLookup<'de>(pub(crate) Headers<'de>);

/// Longest header name converted on the stack; a longer one is looked up as written.
const MAX_CONVERTED: usize = 64;

fn with_dashes<R>(name: &str, read: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; MAX_CONVERTED];
    match buffer.get_mut(..name.len()) {
        Some(slot) if name.contains('_') => {
            slot.copy_from_slice(name.as_bytes());
            slot.iter_mut()
                .filter(|b| **b == b'_')
                .for_each(|b| *b = b'-');
            // Swapping one ASCII byte for another keeps the text UTF-8.
            read(std::str::from_utf8(slot).unwrap_or(name))
        }
        _ => read(name),
    }
}

impl<'de> Lookup<'de> for HeaderLookup<'de> {
    fn one(&self, name: &str) -> Option<&'de str> {
        with_dashes(name, |name| self.0.get(name))
    }
    fn all(&self, name: &str) -> impl Iterator<Item = &'de str> {
        with_dashes(name, |name| self.0.get_all(name))
    }
    fn pairs(&self) -> impl Iterator<Item = (&'de str, &'de str)> {
        self.0.iter()
    }
}

/// A single value reads the source's only value through the text deserializer (which
/// parses), as a struct's field reads its value; its errors name the value's key.
macro_rules! forward_single {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                let (name, text) = self.single()?;
                text.$method(visitor).map_err(|error| error.named(name))
            }
        )*
    };
}

/// The deserializer of a whole source: a struct by its fields, a map of every pair, a
/// tuple of the values in order; anything else reads the source's only value.
pub(crate) struct FieldsDeserializer<'s, L> {
    pub(crate) source: L,
    /// Fields of a struct read as a [`StandIn`], whatever the source holds (the ones that
    /// failed, when the rest is read again to be checked).
    pub(crate) standing_in: &'s [&'static str],
}

impl<'de, L: Lookup<'de>> Deserializer<'de> for FieldsDeserializer<'_, L> {
    type Error = TextError;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_map(FieldsMap {
            source: self.source,
            fields: fields.iter(),
            standing_in: self.standing_in,
            current: "",
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_map(PairsMap {
            pairs: self.source.pairs(),
            current: None,
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_seq(PairsSeq(self.source.pairs()))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        let present = self.source.pairs().next().is_some();
        if present {
            visitor.visit_some(self)
        } else {
            visitor.visit_none()
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        let (key, text) = self.single()?;
        text.deserialize_unit_struct(name, visitor)
            .map_err(|error| error.named(key))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        let (key, text) = self.single()?;
        text.deserialize_enum(name, variants, visitor)
            .map_err(|error| error.named(key))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_unit()
    }

    forward_single! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier
    }
}

impl<'de, L: Lookup<'de>> FieldsDeserializer<'_, L> {
    /// The source's only value and its key: none is a missing value, several cannot be
    /// told apart.
    fn single(&self) -> Result<(&'de str, TextDeserializer<'de>), TextError> {
        let mut pairs = self.source.pairs();
        match (pairs.next(), pairs.next()) {
            (Some((name, text)), None) => Ok((name, TextDeserializer { text })),
            (None, _) => Err(TextError::missing()),
            (Some(_), Some(_)) => Err(de::Error::custom(
                "a single value is read from a source with exactly one",
            )),
        }
    }
}

/// A source's values in order (a tuple of path parameters), each error named by its key.
struct PairsSeq<I>(I);

impl<'de, I: Iterator<Item = (&'de str, &'de str)>> SeqAccess<'de> for PairsSeq<I> {
    type Error = TextError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TextError> {
        let Some((name, text)) = self.0.next() else {
            return Ok(None);
        };
        seed.deserialize(TextDeserializer { text })
            .map(Some)
            .map_err(|error| error.named(name))
    }
}

/// Every `(name, value)` of a source, for a map; a value's error names its key.
struct PairsMap<'de, I> {
    pairs: I,
    current: Option<(&'de str, &'de str)>,
}

impl<'de, I: Iterator<Item = (&'de str, &'de str)>> MapAccess<'de> for PairsMap<'de, I> {
    type Error = TextError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TextError> {
        self.current = self.pairs.next();
        let Some((name, _)) = self.current else {
            return Ok(None);
        };
        seed.deserialize(BorrowedStrDeserializer::<TextError>::new(name))
            .map(Some)
            .map_err(|error| error.named(name))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TextError> {
        let (name, text) = self.current.unwrap_or_default();
        seed.deserialize(TextDeserializer { text })
            .map_err(|error| error.named(name))
    }
}

/// A struct's fields, each looked up in the source; absent ones are skipped, so serde
/// reports them missing (or uses their default).
struct FieldsMap<'s, L> {
    source: L,
    fields: std::slice::Iter<'static, &'static str>,
    standing_in: &'s [&'static str],
    current: &'static str,
}

impl<'de, L: Lookup<'de>> MapAccess<'de> for FieldsMap<'_, L> {
    type Error = TextError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TextError> {
        for &field in self.fields.by_ref() {
            if self.source.one(field).is_some()
                || self.source.all(field).next().is_some()
                || self.standing_in.contains(&field)
            {
                self.current = field;
                return seed
                    .deserialize(BorrowedStrDeserializer::new(field))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TextError> {
        let field = self.current;
        if self.standing_in.contains(&field) {
            return seed
                .deserialize(StandIn)
                .map_err(|error| error.in_field(field));
        }
        seed.deserialize(FieldValue {
            source: self.source,
            name: field,
        })
        .map_err(|error| error.in_field(field))
    }
}

/// One field's value: its text, or all its values for a list.
struct FieldValue<L> {
    source: L,
    name: &'static str,
}

impl<'de, L: Lookup<'de>> FieldValue<L> {
    fn text(&self) -> TextDeserializer<'de> {
        let text = self
            .source
            .one(self.name)
            .or_else(|| self.source.all(self.name).last())
            .unwrap_or_default();
        TextDeserializer { text }
    }
}

impl<'de, L: Lookup<'de>> Deserializer<'de> for FieldValue<L> {
    type Error = TextError;

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_seq(TextSeq::new(self.source.all(self.name)))
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
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
        deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
        deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
        deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
        deserialize_string() deserialize_bytes() deserialize_byte_buf() deserialize_unit()
        deserialize_map() deserialize_identifier() deserialize_ignored_any()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.text().deserialize_any(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.text().deserialize_any(visitor)
    }
}
