//! [`Target`]: who reads the document, which decides its OpenAPI version and the forms of
//! its schemas. Schemas are made as JSON Schema 2020-12 (OpenAPI 3.1's dialect), then
//! rewritten by the target's transforms, registered on the schema generator.

use schemars::generate::SchemaSettings;
use schemars::transform::transform_subschemas;
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

use super::openapi30::OpenApi30;

/// Who the document is written for: its OpenAPI version and the forms of its schemas.
/// Give it with [`OpenApi::target`](super::OpenApi::target); without one, an app of
/// [`App::bedrock_agent`](crate::App::bedrock_agent) is written for
/// [`BedrockAgent`](Self::BedrockAgent), any other for [`OpenApi31`](Self::OpenApi31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// OpenAPI 3.1.0, whose schemas are JSON Schema 2020-12 (Swagger UI, schemathesis,
    /// most tools today).
    OpenApi31,
    /// OpenAPI 3.0.3, for the tools that read no 3.1 (API Gateway's import, older
    /// generators): `"nullable": true` for a value that may be null, never a `"type"`
    /// list; `enum` for `const`; `example` for `examples`; boolean `exclusiveMinimum` /
    /// `exclusiveMaximum`; a tuple as an array of any of its item schemas; keywords 3.0
    /// has not (`if`, `propertyNames`, ...) left out.
    OpenApi30,
    /// What an Amazon Bedrock agent's action group takes: OpenAPI 3.0.0 as
    /// [`OpenApi30`](Self::OpenApi30), without `enum` (which Bedrock Agents refuse): the
    /// allowed values are told in the schema's `description` instead, as the Bedrock
    /// documentation asks.
    BedrockAgent,
}

impl Target {
    /// The document's `openapi` field.
    pub(crate) const fn version(self) -> &'static str {
        match self {
            Self::OpenApi31 => "3.1.0",
            Self::OpenApi30 => "3.0.3",
            // The version the Bedrock documentation names for an action group's schema.
            Self::BedrockAgent => "3.0.0",
        }
    }

    /// A schema generator whose definitions go to `components/schemas` and whose
    /// transforms give every schema this target's forms.
    pub(crate) fn generator(self) -> SchemaGenerator {
        let settings = SchemaSettings::draft2020_12().with(|settings| {
            settings.definitions_path = "/components/schemas".into();
            settings.meta_schema = None;
        });
        let settings = settings.with_transform(bound_integers);
        match self {
            Self::OpenApi31 => settings,
            Self::OpenApi30 => settings.with_transform(OpenApi30::new(true)),
            Self::BedrockAgent => settings.with_transform(OpenApi30::new(false)),
        }
        .into_generator()
    }
}

/// Runs the generator's transforms on a schema placed in the document (the generator runs
/// them itself only on its definitions).
pub(crate) fn finish(generator: &mut SchemaGenerator, mut schema: Schema) -> Schema {
    for transform in generator.transforms_mut() {
        transform.transform(&mut schema);
    }
    schema
}

/// Adds the range of its Rust type to every integer schema that has none (schemars gives
/// `u64` a `minimum` only): a client reading the document then knows that a larger
/// number is refused (422), and a fuzzer does not send it as valid.
fn bound_integers(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        let range = object
            .get("format")
            .and_then(Value::as_str)
            .and_then(integer_range);
        if let Some((min, max)) = range {
            object.entry("minimum").or_insert(min);
            object.entry("maximum").or_insert(max);
        }
    }
    transform_subschemas(&mut bound_integers, schema);
}

/// The range of schemars' integer formats that a JSON number can state exactly.
fn integer_range(format: &str) -> Option<(Value, Value)> {
    Some(match format {
        "int8" => (Value::from(i8::MIN), Value::from(i8::MAX)),
        "int16" => (Value::from(i16::MIN), Value::from(i16::MAX)),
        "int32" => (Value::from(i32::MIN), Value::from(i32::MAX)),
        "int64" | "int" => (Value::from(i64::MIN), Value::from(i64::MAX)),
        "uint8" => (Value::from(0), Value::from(u8::MAX)),
        "uint16" => (Value::from(0), Value::from(u16::MAX)),
        "uint32" => (Value::from(0), Value::from(u32::MAX)),
        "uint64" | "uint" => (Value::from(0), Value::from(u64::MAX)),
        _ => return None,
    })
}
