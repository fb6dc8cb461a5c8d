//! A stand-in for a value that could not be read: the plainest value of whatever type asks
//! (`0`, `false`, `""`, `None`, an empty list, an enum's first unit variant), so that the
//! rest of an input can still be built and its declared constraints checked, as pydantic
//! checks every field of a model whatever another field's error. A stand-in value is
//! only ever checked, never handed to a handler; its own checks' errors are dropped.

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{Deserializer, Visitor};

use super::text_de::TextError;

/// Deserializes the plainest value of the type asked for; refuses where there is none (a
/// struct with required fields, an enum whose first variant holds data).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StandIn;

macro_rules! plainest {
    ($($method:ident => $visit:ident($($value:expr)?);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
                visitor.$visit($($value)?)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for StandIn {
    type Error = TextError;

    plainest! {
        deserialize_bool => visit_bool(false);
        deserialize_i8 => visit_i64(0);
        deserialize_i16 => visit_i64(0);
        deserialize_i32 => visit_i64(0);
        deserialize_i64 => visit_i64(0);
        deserialize_i128 => visit_i64(0);
        deserialize_u8 => visit_u64(0);
        deserialize_u16 => visit_u64(0);
        deserialize_u32 => visit_u64(0);
        deserialize_u64 => visit_u64(0);
        deserialize_u128 => visit_u64(0);
        deserialize_f32 => visit_f64(0.0);
        deserialize_f64 => visit_f64(0.0);
        deserialize_char => visit_char('0');
        deserialize_any => visit_borrowed_str("");
        deserialize_str => visit_borrowed_str("");
        deserialize_string => visit_borrowed_str("");
        deserialize_identifier => visit_borrowed_str("");
        deserialize_bytes => visit_borrowed_bytes(&[]);
        deserialize_byte_buf => visit_borrowed_bytes(&[]);
        deserialize_unit => visit_unit();
        deserialize_ignored_any => visit_unit();
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_none()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TextError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_seq(SeqDeserializer::new(std::iter::empty::<u8>()))
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

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TextError> {
        visitor.visit_map(MapDeserializer::new(std::iter::empty::<(u8, u8)>()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TextError> {
        match variants.first() {
            Some(first) => visitor.visit_enum(BorrowedStrDeserializer::new(first)),
            None => Err(serde::de::Error::custom("an enum without variants")),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::StandIn;

    #[derive(Deserialize, Debug, PartialEq)]
    enum Order {
        Asc,
        Desc,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Defaults {
        #[serde(default)]
        limit: u32,
        tag: Option<String>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Required {
        title: String,
    }

    #[test]
    fn every_plain_type_has_a_stand_in() {
        assert_eq!(u8::deserialize(StandIn).ok(), Some(0));
        assert_eq!(i128::deserialize(StandIn).ok(), Some(0));
        assert_eq!(f64::deserialize(StandIn).ok(), Some(0.0));
        assert_eq!(bool::deserialize(StandIn).ok(), Some(false));
        assert_eq!(String::deserialize(StandIn).ok(), Some(String::new()));
        assert_eq!(<&str>::deserialize(StandIn).ok(), Some(""));
        assert_eq!(Option::<u8>::deserialize(StandIn).ok(), Some(None));
        assert_eq!(Vec::<u8>::deserialize(StandIn).ok(), Some(vec![]));
        assert_eq!(Order::deserialize(StandIn).ok(), Some(Order::Asc));
        assert_eq!(
            Defaults::deserialize(StandIn).ok(),
            Some(Defaults {
                limit: 0,
                tag: None
            })
        );
        // Nothing stands in for a required field of a nested struct.
        assert!(Required::deserialize(StandIn).is_err());
    }
}
