//! The accessors the tape deserializer hands to visitors: an array's elements, an
//! object's entries and keys, an enum's variant.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use simd_json::tape::{Value, array, object};

use super::{Kind, TapeDeError, TapeDeserializer, visit_array, visit_object};

/// The elements of an array.
pub(super) struct SeqDe<'de> {
    pub(super) iter: array::Iter<'de, 'de>,
    pub(super) remaining: usize,
    /// The depth left for each element.
    pub(super) depth_left: u8,
}

impl<'de> SeqAccess<'de> for SeqDe<'de> {
    type Error = TapeDeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TapeDeError> {
        match self.iter.next() {
            Some(value) => {
                self.remaining = self.remaining.saturating_sub(1);
                seed.deserialize(TapeDeserializer {
                    value,
                    depth_left: self.depth_left,
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// The entries of an object, in tape order (duplicate keys are all handed out; a map keeps
/// the last, a derived struct rejects the duplicate, as with serde_json).
pub(super) struct MapDe<'de> {
    pub(super) iter: object::Iter<'de, 'de>,
    /// The value of the key handed out last, until it is asked for.
    pub(super) value: Option<Value<'de, 'de>>,
    pub(super) remaining: usize,
    /// The depth left for each value.
    pub(super) depth_left: u8,
}

impl<'de> MapAccess<'de> for MapDe<'de> {
    type Error = TapeDeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TapeDeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.remaining = self.remaining.saturating_sub(1);
                self.value = Some(value);
                seed.deserialize(KeyDe { key }).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, TapeDeError> {
        match self.value.take() {
            Some(value) => seed.deserialize(TapeDeserializer {
                value,
                depth_left: self.depth_left,
            }),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn next_entry_seed<K: DeserializeSeed<'de>, V: DeserializeSeed<'de>>(
        &mut self,
        kseed: K,
        vseed: V,
    ) -> Result<Option<(K::Value, V::Value)>, TapeDeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.remaining = self.remaining.saturating_sub(1);
                let key = kseed.deserialize(KeyDe { key })?;
                let value = vseed.deserialize(TapeDeserializer {
                    value,
                    depth_left: self.depth_left,
                })?;
                Ok(Some((key, value)))
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining)
    }
}

/// An object key: a borrowed string that, like serde_json's, also reads as a number or a
/// boolean when the target asks for one.
#[derive(Clone, Copy)]
pub(super) struct KeyDe<'de> {
    pub(super) key: &'de str,
}

impl<'de> KeyDe<'de> {
    /// A key read as a number, as serde_json does: it must start like a JSON number.
    fn visit_number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        let s = self.key;
        if !matches!(s.as_bytes().first(), Some(b'0'..=b'9' | b'-')) {
            return Err(de::Error::custom(
                "invalid value: expected key to be a number in quotes",
            ));
        }
        if let Ok(n) = s.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = s.parse::<i64>() {
            return visitor.visit_i64(n);
        }
        if let Ok(n) = s.parse::<u128>() {
            return visitor.visit_u128(n);
        }
        if let Ok(n) = s.parse::<i128>() {
            return visitor.visit_i128(n);
        }
        match s.parse::<f64>() {
            Ok(n) if n.is_finite() => visitor.visit_f64(n),
            _ => Err(de::Error::invalid_type(Unexpected::Str(s), &visitor)),
        }
    }
}

macro_rules! numeric_key {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
                self.visit_number(visitor)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for KeyDe<'de> {
    type Error = TapeDeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        visitor.visit_borrowed_str(self.key)
    }

    numeric_key! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        match self.key {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::invalid_type(Unexpected::Str(other), &visitor)),
        }
    }

    /// Keys cannot be null.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        visitor.visit_newtype_struct(self)
    }

    /// A key names a unit variant.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        visitor.visit_enum(EnumDe {
            variant: self.key,
            value: None,
            // A unit variant has no value to descend into.
            depth_left: 0,
        })
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        visitor.visit_borrowed_bytes(self.key.as_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TapeDeError> {
        self.deserialize_bytes(visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An enum: the variant's name, and its value unless it was given as a bare string.
pub(super) struct EnumDe<'de> {
    pub(super) variant: &'de str,
    pub(super) value: Option<Value<'de, 'de>>,
    /// The depth left for the variant's value.
    pub(super) depth_left: u8,
}

impl<'de> EnumAccess<'de> for EnumDe<'de> {
    type Error = TapeDeError;
    type Variant = VariantDe<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, VariantDe<'de>), TapeDeError> {
        let variant = seed.deserialize(KeyDe { key: self.variant })?;
        Ok((
            variant,
            VariantDe {
                value: self.value,
                depth_left: self.depth_left,
            },
        ))
    }
}

/// The value of an enum variant (`None` for the bare-string form).
pub(super) struct VariantDe<'de> {
    pub(super) value: Option<Value<'de, 'de>>,
    pub(super) depth_left: u8,
}

impl<'de> VariantAccess<'de> for VariantDe<'de> {
    type Error = TapeDeError;

    /// `"Unit"`, or `{"Unit": null}` as serde_json also accepts.
    fn unit_variant(self) -> Result<(), TapeDeError> {
        match self.value {
            None => Ok(()),
            Some(value) => de::Deserialize::deserialize(TapeDeserializer {
                value,
                depth_left: self.depth_left,
            }),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, TapeDeError> {
        match self.value {
            Some(value) => seed.deserialize(TapeDeserializer {
                value,
                depth_left: self.depth_left,
            }),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        let Some(value) = self.value else {
            return Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            ));
        };
        match Kind::of(value)? {
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            other => Err(other.invalid_type(&"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TapeDeError> {
        let Some(value) = self.value else {
            return Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            ));
        };
        match Kind::of(value)? {
            Kind::Object(o) => visit_object(o, self.depth_left, visitor),
            Kind::Array(a) => visit_array(a, self.depth_left, visitor),
            other => Err(other.invalid_type(&"struct variant")),
        }
    }
}
