//! A deserializer that passes everything through to the one it wraps, except values the
//! target type ignores, whose outer array or object it walks itself.
//!
//! `serde_json` skips an ignored value without recursing, with a stack of the arrays and
//! objects it is inside, kept in a buffer each `Deserializer` grows anew: skipping a value
//! nested two deep (the body's unknown `"checklist": [{..}]`) costs a heap allocation on
//! every read. Walking the outer level here and leaving each part to `serde_json`'s skip
//! costs none for values nested up to two deep; a skipped value nested deeper costs that
//! one small allocation, and still no recursion.

use std::fmt;

use serde::Deserialize;
use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};

use super::Unescaped;

/// `D`, skipping ignored values without allocating, and keeping strings written with
/// escapes for the invocation ([`Unescaped`]).
pub(crate) struct Skipping<'u, D>(pub(crate) D, pub(crate) &'u Unescaped);

/// Forwards a `deserialize_*` method, wrapping the visitor.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Wrap(visitor, self.1))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Skipping<'de, D> {
    type Error = D::Error;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(SkipParts)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Consumes one value of any shape; an array's or object's parts are each skipped by the
/// wrapped deserializer (`IgnoredAny`).
struct SkipParts;

/// Ignores a scalar of any type.
macro_rules! ignore {
    ($($method:ident($ty:ty);)*) => {$(
        #[inline]
        fn $method<E>(self, _: $ty) -> Result<(), E> {
            Ok(())
        }
    )*};
}

impl<'de> Visitor<'de> for SkipParts {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    ignore! {
        visit_bool(bool);
        visit_i64(i64);
        visit_i128(i128);
        visit_u64(u64);
        visit_u128(u128);
        visit_f64(f64);
        visit_str(&str);
        visit_bytes(&[u8]);
    }

    #[inline]
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    #[inline]
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        IgnoredAny::deserialize(deserializer).map(drop)
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        IgnoredAny::deserialize(deserializer).map(drop)
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A visitor whose nested parts are read through [`Skipping`].
struct Wrap<'u, V>(V, &'u Unescaped);

/// Forwards a `visit_*` method of a scalar.
macro_rules! visit {
    ($($method:ident($ty:ty);)*) => {$(
        #[inline]
        fn $method<E: serde::de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    /// A string written with escapes, unescaped into a transient buffer: kept for the
    /// invocation, so that a type borrowing from the request takes it too.
    #[inline]
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.0.visit_borrowed_str(self.1.keep(value))
    }

    #[inline]
    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    #[inline]
    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Skipping(deserializer, self.1))
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Skipping(deserializer, self.1))
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq, self.1))
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map, self.1))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data, self.1))
    }
}

/// A seed whose deserializer is wrapped in [`Skipping`].
struct Seed<'u, S>(S, &'u Unescaped);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'de, S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Skipping(deserializer, self.1))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<'de, A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed, self.1))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<'de, A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed, self.1))
    }

    #[inline]
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(Seed(seed, self.1))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<'de, A> {
    type Error = A::Error;
    type Variant = Wrap<'de, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Wrap<'de, A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed, self.1))?;
        Ok((value, Wrap(variant, self.1)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<'de, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed, self.1))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor, self.1))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(visitor, self.1))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::Value;

    use super::{Skipping, Unescaped};

    /// Reads `json` into `T` through `Skipping`, as `Request::json` does.
    fn skipping<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, String> {
        let mut reader = serde_json::Deserializer::from_str(json);
        // The request's copies live as long as the request; here, as long as the test.
        let kept: &'a Unescaped = Box::leak(Box::default());
        T::deserialize(Skipping(&mut reader, kept))
            .and_then(|value| reader.end().map(|()| value))
            .map_err(|e| e.to_string())
    }

    fn plain<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[derive(Deserialize, Debug, PartialEq)]
    enum Shape {
        Dot,
        Circle(f64),
        Pair(u8, u8),
        Rect { w: u32, h: u32 },
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Loose {
        Number(i64),
        Named { name: String },
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(tag = "type")]
    enum Tagged {
        A { x: u8 },
        B,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Meters(f32);

    #[derive(Deserialize, Debug, PartialEq)]
    struct Inner<'a> {
        #[serde(borrow)]
        name: Cow<'a, str>,
        tag: Option<&'a str>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Outer<'a> {
        #[serde(borrow)]
        inner: Inner<'a>,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Few {
        keep: Vec<Shape>,
        loose: Vec<Loose>,
        tagged: Tagged,
        meters: Meters,
        pair: (i8, u128),
        unit: (),
        maybe: Option<Box<Few>>,
    }

    /// Same value or same error, for every serde shape, with ignored values of every shape
    /// (nested arrays and objects, escaped strings, numbers) around what is read.
    #[test]
    fn reads_as_serde_json_does() {
        let ignored = r#""skip":[[{"a":[1,{"b":"c\"d"}]}],-0.5e3,null,true,"\u00e9"]"#;
        let few = format!(
            r#"{{{ignored},"keep":["Dot",{{"Circle":1.5}},{{"Pair":[1,2]}},{{"Rect":{{"w":1,"h":2}}}}],
            "loose":[3,{{"name":"n","other":{{"x":[]}}}}],"tagged":{{"type":"A","x":1,"y":[[]]}},
            "meters":2.5,"pair":[-1,340282366920938463463374607431768211455],"unit":null,
            "maybe":{{"keep":[],"loose":[],"tagged":{{"type":"B"}},"meters":0,"pair":[0,0],
            "unit":null,"maybe":null,{ignored}}}}}"#
        );
        assert!(skipping::<Few>(&few).is_ok(), "{:?}", skipping::<Few>(&few));
        assert_eq!(skipping::<Few>(&few), plain::<Few>(&few));
        let outer = r#"{"inner":{"name":"a\nb","tag":"t","x":[{}]},"z":[1,[2]],"y":"w"}"#;
        assert_eq!(skipping::<Outer<'_>>(outer), plain::<Outer<'_>>(outer));
        for json in [
            "[]",
            "{}",
            r#"{"keep":[]}"#,
            r#"{"keep":["Square"]}"#,
            r#"{"keep":[{"Circle":"x"}]}"#,
            "[1,2",
            r#"{"a":1} x"#,
            "nul",
            r#"{"keep":[], "loose":[], "tagged":{"type":"C"}}"#,
        ] {
            assert_eq!(skipping::<Few>(json), plain::<Few>(json), "{json}");
            assert_eq!(skipping::<Value>(json), plain::<Value>(json), "{json}");
        }
    }

    /// A skipped value of any depth is skipped without recursing (`serde_json`'s skip is a
    /// loop), so it neither counts against the recursion limit nor can overflow the stack.
    #[test]
    fn skipped_values_of_any_depth_are_skipped() {
        #[derive(Deserialize, Debug)]
        struct Nothing {}
        for depth in [1, 2, 3, 127, 128, 100_000] {
            let json = format!(r#"{{"deep":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
            let read = skipping::<Nothing>(&json);
            assert!(read.is_ok(), "{depth}: {read:?}");
        }
    }
}
