//! [`Inputs`]: what a typed handler's arguments read, told by each argument's
//! [`Extract::describe`](super::Extract::describe): for the checks of `build` and for the
//! app's [OpenAPI document](crate::openapi).

use std::any::TypeId;

use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::{Location, Rebind};

/// What a typed handler's arguments read, told to an [`Inputs`].
pub type DescribeInputs = fn(&mut Inputs<'_>);

/// One parameter a handler reads (path, query or header), with its schema.
#[derive(Debug, Clone)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
    /// A list in the query (`?tag=a&tag=b`).
    pub(crate) list: bool,
    pub(crate) description: Option<String>,
}

/// What a typed handler reads: its parameters and body with their schemas, and the state
/// it borrows. Filled by each argument's
/// [`Extract::describe`](super::Extract::describe); an extractor of your own
/// calls the method for what it reads.
#[derive(Debug)]
pub struct Inputs<'g> {
    /// `None` when only the requirements are asked for (at build time): no schema is made.
    generator: Option<&'g mut SchemaGenerator>,
    /// One per `<name>` of the rule, in order, as strings until an extractor says more.
    pub(crate) path: Vec<Parameter>,
    pub(crate) query: Vec<Parameter>,
    pub(crate) headers: Vec<Parameter>,
    /// `Some` when a JSON body is read; its schema when the type is documented.
    pub(crate) body: Option<Option<Schema>>,
    pub(crate) states: Vec<(TypeId, &'static str)>,
    /// Whether an input is read that a request can fail (answered 422).
    pub(crate) refusable: bool,
    /// An Amazon Bedrock tool's arguments, one per field (`Location::Body`: they are what
    /// the agent sends, as a body is), for its function-details schema.
    pub(crate) arguments: Vec<Parameter>,
    /// The type of a tool's arguments that has no schema to list them from.
    pub(crate) undocumented_arguments: Option<&'static str>,
}

impl<'g> Inputs<'g> {
    /// Inputs for a route whose rule has the parameters `path_params`; schemas are made
    /// with `generator` when there is one.
    pub(crate) fn new(generator: Option<&'g mut SchemaGenerator>, path_params: &[&str]) -> Self {
        let path = path_params
            .iter()
            .map(|name| parameter(name, Location::Path, true, string_schema()))
            .collect();
        Self {
            generator,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            states: Vec::new(),
            refusable: false,
            arguments: Vec::new(),
            undocumented_arguments: None,
        }
    }

    /// The handler reads path parameters as `T`: one value (the rule's first parameter),
    /// a tuple (the parameters in order) or a struct (fields named after them).
    pub fn path<T: Rebind>(&mut self) {
        self.refusable = true;
        let Some(schema) = self.schema_of::<T>() else {
            return;
        };
        if let Some((properties, _)) = self.properties(&schema) {
            for parameter in &mut self.path {
                if let Some(field) = properties.get(&parameter.name) {
                    let (schema, description) = parameter_schema(field.clone());
                    parameter.schema = value_schema(schema);
                    parameter.description = description;
                }
            }
        } else if let Some(Value::Array(items)) = self
            .definition_object(&schema)
            .and_then(|mut object| object.remove("prefixItems"))
        {
            for (parameter, item) in self.path.iter_mut().zip(items) {
                parameter.schema = value_schema(item);
            }
        } else if let Some(first) = self.path.first_mut() {
            first.schema = schema;
        }
    }

    /// The handler reads the query string as `T`: each field of a struct is a parameter,
    /// required unless it may be absent.
    pub fn query<T: Rebind>(&mut self) {
        self.refusable = true;
        let fields = self.fields::<T>(Location::Query, |name| name.to_owned());
        self.query.extend(fields);
    }

    /// The handler reads headers as `T`: each field of a struct is a header, named with
    /// `-` for `_` (header names are compared without case).
    pub fn headers<T: Rebind>(&mut self) {
        self.refusable = true;
        let fields = self.fields::<T>(Location::Header, |name| name.replace('_', "-"));
        self.headers.extend(fields);
    }

    /// The handler reads the body as JSON of type `T`.
    pub fn json_body<T: Rebind>(&mut self) {
        self.refusable = true;
        self.body = Some(self.schema_of::<T>());
    }

    /// The handler reads an Amazon Bedrock tool's arguments as `T`: each field of a struct
    /// is a parameter of the function, required unless it may be absent.
    pub fn arguments<T: Rebind>(&mut self) {
        if self.generator.is_none() {
            return;
        }
        let fields = self.fields::<T>(Location::Body, str::to_owned);
        if fields.is_empty() && self.schema_of::<T>().is_none() {
            self.undocumented_arguments = Some(std::any::type_name::<T>());
        }
        self.arguments.extend(fields);
    }

    /// The handler borrows the app's state of type `S`.
    pub fn state<S: 'static>(&mut self) {
        self.states
            .push((TypeId::of::<S>(), std::any::type_name::<S>()));
    }

    fn schema_of<T: Rebind>(&mut self) -> Option<Schema> {
        T::schema(self.generator.as_deref_mut()?)
    }

    /// The properties and required names of an object schema (through a reference).
    fn properties(&self, schema: &Schema) -> Option<(Map<String, Value>, Vec<String>)> {
        let object = self.definition_object(schema)?;
        let properties = object.get("properties")?.as_object()?.clone();
        let required = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Some((properties, required))
    }

    /// The object a schema is, or refers to in the generator's definitions.
    fn definition_object(&self, schema: &Schema) -> Option<Map<String, Value>> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.rsplit('/').next()?;
                let definitions = self.generator.as_deref()?.definitions();
                definitions.get(name)?.as_object().cloned()
            }
            None => schema.as_object().cloned(),
        }
    }

    /// One parameter per field of `T` (a struct), in `location`.
    fn fields<T: Rebind>(
        &mut self,
        location: Location,
        name_of: impl Fn(&str) -> String,
    ) -> Vec<Parameter> {
        let Some(schema) = self.schema_of::<T>() else {
            return Vec::new();
        };
        let Some((properties, required)) = self.properties(&schema) else {
            return Vec::new();
        };
        properties
            .into_iter()
            .map(|(field, schema)| {
                let is_required = required.contains(&field);
                let (schema, description) = parameter_schema(schema);
                let is_list = schema.get("type").and_then(Value::as_str) == Some("array");
                let mut parameter = parameter(
                    &name_of(&field),
                    location,
                    is_required,
                    value_schema(schema),
                );
                parameter.list = is_list && location == Location::Query;
                parameter.description = description;
                parameter
            })
            .collect()
    }
}

fn parameter(name: &str, location: Location, required: bool, schema: Schema) -> Parameter {
    Parameter {
        name: name.to_owned(),
        location,
        required,
        schema,
        list: false,
        description: None,
    }
}

fn string_schema() -> Schema {
    value_schema(serde_json::json!({ "type": "string" }))
}

/// A struct field's schema as a parameter's, and its description, which the parameter
/// carries itself (where tools and agents read it).
fn parameter_schema(field: Value) -> (Value, Option<String>) {
    let mut schema = without_null(field);
    let description = schema
        .as_object_mut()
        .and_then(|object| object.remove("description"))
        .and_then(|text| text.as_str().map(str::to_owned));
    (schema, description)
}

fn value_schema(value: Value) -> Schema {
    Schema::try_from(value).unwrap_or_default()
}

/// A parameter's schema without `null`: an absent parameter is left out, never sent as
/// null, so `Option` fields are optional parameters of the inner type.
fn without_null(mut schema: Value) -> Value {
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|kind| kind != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".to_owned(), only);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = object.get_mut(key) {
            branches.retain(|branch| branch.get("type").and_then(Value::as_str) != Some("null"));
            if let [only] = branches.as_slice() {
                let only = only.clone();
                object.remove(key);
                if let Value::Object(inner) = only {
                    for (k, v) in inner {
                        object.entry(k).or_insert(v);
                    }
                }
            }
        }
    }
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        values.retain(|value| !value.is_null());
    }
    schema
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Inputs, without_null};
    use crate::openapi::Target;

    #[derive(schemars::JsonSchema)]
    #[expect(dead_code, reason = "only its schema is read")]
    struct Fields {
        /// The list's name.
        list: String,
        /// Which item.
        item: Option<u32>,
        undescribed: u8,
    }
    crate::rebind!(documented: Fields);

    /// Each parameter read from a struct's field carries the field's description, taken
    /// out of its schema, whatever the struct is read from.
    #[test]
    fn parameters_carry_their_field_descriptions() {
        let mut generator = Target::OpenApi31.generator();
        let mut inputs = Inputs::new(Some(&mut generator), &["list", "item", "undescribed"]);
        inputs.path::<Fields>();
        inputs.query::<Fields>();
        inputs.headers::<Fields>();
        let Inputs {
            path,
            query,
            headers,
            ..
        } = inputs;
        let expected = [
            ("list", Some("The list's name.")),
            ("item", Some("Which item.")),
            ("undescribed", None),
        ];
        for parameter in path.iter().chain(&query).chain(&headers) {
            let name = parameter.name.replace('-', "_");
            let wanted = expected.iter().find(|(field, _)| *field == name);
            let described = wanted.and_then(|(_, description)| *description);
            assert_eq!(parameter.description.as_deref(), described, "{parameter:?}");
            assert!(
                parameter.schema.get("description").is_none(),
                "{parameter:?}"
            );
        }
        assert_eq!((path.len(), query.len(), headers.len()), (3, 3, 3));
    }

    #[test]
    fn null_leaves_parameter_schemas() {
        let cases = [
            (
                json!({"type": ["integer", "null"]}),
                json!({"type": "integer"}),
            ),
            (
                json!({"anyOf": [{"$ref": "#/x"}, {"type": "null"}]}),
                json!({"$ref": "#/x"}),
            ),
            (json!({"enum": ["a", null]}), json!({"enum": ["a"]})),
            (json!({"type": "string"}), json!({"type": "string"})),
        ];
        for (given, expected) in cases {
            assert_eq!(without_null(given.clone()), expected, "{given}");
        }
    }
}
