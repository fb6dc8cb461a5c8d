//! [`OpenApi30`]: the forms of OpenAPI 3.0's schema dialect for the JSON Schema 2020-12
//! schemars makes (nullable, `enum`, boolean exclusive bounds, one `items`, no keyword 3.0
//! has not), and, for Bedrock Agents, no `enum` either.

use schemars::Schema;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::{Map, Value};

/// The keywords of OpenAPI 3.0's Schema Object; any other (but `x-` extensions) makes the
/// document invalid.
const OPENAPI30_KEYWORDS: [&str; 35] = [
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "example",
    "externalDocs",
    "deprecated",
];

/// JSON Schema 2020-12 written as OpenAPI 3.0's schema dialect (see
/// [`Target::OpenApi30`](super::Target::OpenApi30)).
#[derive(Debug, Clone)]
pub(crate) struct OpenApi30 {
    /// Whether `enum` may be written; if not, the values go to the description.
    enums: bool,
}

impl OpenApi30 {
    pub(crate) const fn new(enums: bool) -> Self {
        Self { enums }
    }
}

impl Transform for OpenApi30 {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(allows) = schema.as_bool() {
            *schema = if allows {
                Schema::default()
            } else {
                schemars::json_schema!({ "not": {} })
            };
            return;
        }
        // Before the subschemas are rewritten: a `{"type": "null"}` branch is still one.
        nullable_from_types(schema);
        nullable_from_branches(schema);
        // 3.0 takes a boolean `additionalProperties` as it is: kept from the rewrite.
        let boolean = schema
            .get("additionalProperties")
            .and_then(Value::as_bool)
            .and_then(|allows| schema.remove("additionalProperties").map(|_| allows));
        transform_subschemas(self, schema);
        if let Some(allows) = boolean {
            schema.insert("additionalProperties".to_owned(), Value::Bool(allows));
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if let Some(value) = object.remove("const") {
            object.insert("enum".to_owned(), Value::Array(vec![value]));
        }
        if let Some(Value::Array(examples)) = object.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                object.entry("example").or_insert(first);
            }
        }
        exclusive_bound(object, "exclusiveMinimum", "minimum", |bound, min| {
            bound >= min
        });
        exclusive_bound(object, "exclusiveMaximum", "maximum", |bound, max| {
            bound <= max
        });
        tuple_items(object);
        if object.get("type").and_then(Value::as_str) == Some("array") {
            object
                .entry("items")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        one_pattern_property(object);
        object.retain(|key, _| key.starts_with("x-") || OPENAPI30_KEYWORDS.contains(&key.as_str()));
        ref_alone(object);
        if !self.enums {
            enum_in_description(object);
        }
    }
}

/// `"type": ["integer", "null"]` is `"type": "integer", "nullable": true`; several types
/// left are any of them.
fn nullable_from_types(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    match object.get_mut("type") {
        Some(Value::Array(types)) => {
            let before = types.len();
            types.retain(|kind| kind != "null");
            let nullable = types.len() < before;
            match types.len() {
                0 => {
                    object.remove("type");
                    object.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
                }
                1 => {
                    let only = types.remove(0);
                    object.insert("type".to_owned(), only);
                }
                _ => {
                    let branches = types
                        .drain(..)
                        .map(|kind| serde_json::json!({ "type": kind }))
                        .collect();
                    object.remove("type");
                    object.insert("anyOf".to_owned(), Value::Array(branches));
                }
            }
            if nullable {
                object.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
        Some(Value::String(kind)) if kind == "null" => {
            object.remove("type");
            object.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
        _ => {}
    }
}

/// `"anyOf": [X, {"type": "null"}]` (an `Option` of a named type) is X, nullable: its keys
/// merged in, or `"anyOf": [X]` when X is a reference (3.0 reads no sibling of `$ref`).
fn nullable_from_branches(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|branch| branch.get("type").and_then(Value::as_str) != Some("null"));
        if branches.len() == before {
            continue;
        }
        object.insert("nullable".to_owned(), Value::Bool(true));
        let Some(Value::Array(branches)) = object.get_mut(key) else {
            continue;
        };
        if let [Value::Object(only)] = branches.as_slice() {
            if !only.contains_key("$ref") {
                let only = only.clone();
                object.remove(key);
                for (name, value) in only {
                    object.entry(name).or_insert(value);
                }
            }
        }
    }
}

/// A numeric `exclusiveMinimum` (2020-12) is a `minimum` with `exclusiveMinimum: true`,
/// unless an inclusive `minimum` is stricter (`stricter(bound, inclusive)`).
fn exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(bound) = object
        .get(exclusive)
        .filter(|value| value.is_number())
        .cloned()
    else {
        return;
    };
    object.remove(exclusive);
    let tighter = match (
        bound.as_f64(),
        object.get(inclusive).and_then(Value::as_f64),
    ) {
        (Some(bound), Some(current)) => stricter(bound, current),
        _ => true,
    };
    if tighter {
        object.insert(inclusive.to_owned(), bound);
        object.insert(exclusive.to_owned(), Value::Bool(true));
    }
}

/// A tuple (`prefixItems`) is an array of items of any of its item schemas (its length
/// stays in `minItems` / `maxItems`): 3.0's `items` is one schema.
fn tuple_items(object: &mut Map<String, Value>) {
    let Some(Value::Array(prefix)) = object.remove("prefixItems") else {
        return;
    };
    let mut distinct: Vec<Value> = Vec::with_capacity(prefix.len());
    for item in prefix {
        if !distinct.contains(&item) {
            distinct.push(item);
        }
    }
    match object.remove("items") {
        Some(rest @ Value::Object(_)) if !distinct.contains(&rest) => distinct.push(rest),
        _ => {}
    }
    let items = if distinct.len() == 1 {
        distinct.remove(0)
    } else {
        serde_json::json!({ "anyOf": distinct })
    };
    object.insert("items".to_owned(), items);
}

/// A map whose keys follow one pattern keeps its value schema as `additionalProperties`.
fn one_pattern_property(object: &mut Map<String, Value>) {
    let Some(Value::Object(patterns)) = object.remove("patternProperties") else {
        return;
    };
    if let (1, false) = (patterns.len(), object.contains_key("additionalProperties")) {
        if let Some((_, schema)) = patterns.into_iter().next() {
            object.insert("additionalProperties".to_owned(), schema);
        }
    }
}

/// 3.0 ignores what stands beside a `$ref`: the reference goes into an `allOf`.
fn ref_alone(object: &mut Map<String, Value>) {
    if object.len() > 1 {
        if let Some(reference) = object.remove("$ref") {
            object.insert(
                "allOf".to_owned(),
                serde_json::json!([{ "$ref": reference }]),
            );
        }
    }
}

/// `enum` (refused by Bedrock Agents) told in the description instead.
fn enum_in_description(object: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = object.remove("enum") else {
        return;
    };
    let values: Vec<String> = values.iter().map(Value::to_string).collect();
    let allowed = format!("One of: {}.", values.join(", "));
    let description = match object.get("description").and_then(Value::as_str) {
        Some(text) => format!("{text}\n\n{allowed}"),
        None => allowed,
    };
    object.insert("description".to_owned(), Value::String(description));
}

#[cfg(test)]
mod tests {
    use schemars::Schema;
    use schemars::transform::Transform;
    use serde_json::{Value, json};

    use super::OpenApi30;

    fn openapi30(schema: Value, enums: bool) -> Value {
        let mut schema = Schema::try_from(schema).unwrap_or_default();
        OpenApi30::new(enums).transform(&mut schema);
        schema.to_value()
    }

    /// Each 3.1-only form and its 3.0 form.
    #[test]
    fn forms_become_openapi30() {
        let cases = [
            (
                json!({"type": ["integer", "null"], "format": "uint8"}),
                json!({"type": "integer", "format": "uint8", "nullable": true}),
            ),
            (
                json!({"type": ["string", "integer"]}),
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            ),
            (
                json!({"type": "null"}),
                json!({"enum": [null], "nullable": true}),
            ),
            (
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}),
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}),
            ),
            (
                json!({"anyOf": [{"type": "string", "pattern": "^a$"}, {"type": "null"}]}),
                json!({"nullable": true, "type": "string", "pattern": "^a$"}),
            ),
            (json!({"const": 422}), json!({"enum": [422]})),
            (json!({"examples": [5, 6]}), json!({"example": 5})),
            (
                json!({"exclusiveMinimum": 0, "exclusiveMaximum": 10}),
                json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true}),
            ),
            (
                json!({"minimum": 5, "exclusiveMinimum": 0}),
                json!({"minimum": 5}),
            ),
            (
                json!({"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}],
                       "minItems": 2, "maxItems": 2}),
                json!({"type": "array", "minItems": 2, "maxItems": 2,
                       "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}}),
            ),
            (
                json!({"type": "array", "prefixItems": [{"type": "integer"}, {"type": "integer"}]}),
                json!({"type": "array", "items": {"type": "integer"}}),
            ),
            (
                json!({"$ref": "#/components/schemas/A", "description": "An A"}),
                json!({"description": "An A", "allOf": [{"$ref": "#/components/schemas/A"}]}),
            ),
            (
                json!({"type": "object", "additionalProperties": false,
                       "properties": {"any": true, "none": false}}),
                json!({"type": "object", "additionalProperties": false,
                       "properties": {"any": {}, "none": {"not": {}}}}),
            ),
            (
                json!({"type": "object", "patternProperties": {"^[0-9]+$": {"type": "string"}}}),
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
            ),
            (
                json!({"type": "string", "$comment": "c", "contentMediaType": "text/plain",
                       "if": {}, "then": {}, "x-kept": 1}),
                json!({"type": "string", "x-kept": 1}),
            ),
            (
                json!({"type": "array"}),
                json!({"type": "array", "items": {}}),
            ),
            (
                json!({"properties": {"n": {"type": ["number", "null"], "const": 1}}}),
                json!({"properties": {"n": {"type": "number", "nullable": true, "enum": [1]}}}),
            ),
        ];
        for (given, expected) in cases {
            assert_eq!(openapi30(given.clone(), true), expected, "{given}");
        }
    }

    #[test]
    fn bedrock_tells_enums_in_the_description() {
        let cases = [
            (
                json!({"type": "string", "enum": ["metric", "imperial"]}),
                json!({"type": "string", "description": "One of: \"metric\", \"imperial\"."}),
            ),
            (
                json!({"type": "integer", "const": 422, "description": "The status"}),
                json!({"type": "integer", "description": "The status\n\nOne of: 422."}),
            ),
        ];
        for (given, expected) in cases {
            assert_eq!(openapi30(given.clone(), false), expected, "{given}");
        }
    }
}
