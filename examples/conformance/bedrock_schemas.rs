//! The schemas of the kit's contract (Powertools' document) where the Rust type's own would
//! say more: integers of any size and numbers, without the format of the Rust type holding
//! them.

use schemars::{JsonSchema, Schema, SchemaGenerator};

/// An integer of any size (Python's `int`).
pub(crate) fn any_integer(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({ "type": "integer" })
}

/// A number (Python's `float`).
pub(crate) fn any_number(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({ "type": "number" })
}

/// What `getStats` answers: an integer of any size.
pub(crate) struct Integer;

impl JsonSchema for Integer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Integer".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_integer(generator)
    }
}
