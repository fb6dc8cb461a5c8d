//! The fields a type declares, in declaration order, as serde's derive lists them: the
//! order a 422 lists one input's errors in (pydantic's model order), whatever order the
//! checks found them in (garde's derive checks fields by name).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The fields of `T` when it deserializes as a struct (through newtypes and `Option`), in
/// declaration order; empty for anything else (a map, a flattened struct, a scalar).
///
/// Asked of the type alone, never of a request: a deserializer that only records what
/// the derived code asks for.
pub(crate) fn declared_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(Probe) {
        Err(Probed(fields)) => fields,
        Ok(_) => &[],
    }
}

/// What the probe saw: the fields of the struct asked for.
#[derive(Debug)]
struct Probed(&'static [&'static str]);

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a type probed for its fields")
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self(&[])
    }
}

struct Probe;

impl<'de> Deserializer<'de> for Probe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Probed> {
        Err(Probed(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(fields))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Probed> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Probed> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;

    use super::declared_fields;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Todo<'a> {
        title: &'a str,
        #[serde(rename = "prio")]
        priority: u8,
        done: bool,
        #[serde(default)]
        due: Option<String>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Wrapper<'a>(#[serde(borrow)] Todo<'a>);

    #[test]
    fn fields_come_in_declaration_order_under_serde_s_names() {
        let todo = ["title", "prio", "done", "due"];
        assert_eq!(declared_fields::<Todo<'_>>(), todo);
        assert_eq!(declared_fields::<Wrapper<'_>>(), todo);
        assert_eq!(declared_fields::<Option<Todo<'_>>>(), todo);
        assert!(declared_fields::<HashMap<String, u8>>().is_empty());
        assert!(declared_fields::<u32>().is_empty());
        assert!(declared_fields::<(u32, String)>().is_empty());
    }
}
