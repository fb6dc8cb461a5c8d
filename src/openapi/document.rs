//! Building the document from the app's routes, when it is first asked for.

use std::collections::BTreeMap;

use http::Method;
use schemars::{SchemaGenerator, generate::SchemaSettings};

use super::inputs::Inputs;
use super::model::{
    Components, Document, HeaderObject, MediaType, OperationObject, PathItem, RequestBody,
    ResponseObject,
};
use super::operation::{DeclaredResponse, Operation};
use super::{DescribeInputs, OpenApi};
use crate::extract::ValidationAnswer;
use crate::router::{ParsedRule, RuleSegment, TrailingSlash, parse_rule};

/// What the document needs of one route, kept from `build` until it is rendered.
#[derive(Debug)]
pub(crate) struct RouteDoc {
    pub(crate) methods: Vec<Method>,
    pub(crate) rule: String,
    pub(crate) operation: Option<Operation>,
    pub(crate) inputs: Option<DescribeInputs>,
}

/// The rule as an OpenAPI path (`/todos/<id>` is `/todos/{id}`) and its parameter names;
/// `None` for a regex rule, which no OpenAPI path can express.
pub(crate) fn openapi_path(rule: &str) -> Option<(String, Vec<&str>)> {
    let ParsedRule::Trie(segments) = parse_rule(rule, TrailingSlash::Exact).ok()? else {
        return None;
    };
    let mut path = String::with_capacity(rule.len());
    let mut names = Vec::new();
    for segment in &segments {
        path.push('/');
        match segment {
            RuleSegment::Literal(text) => path.push_str(text),
            RuleSegment::Param(name) => {
                path.push('{');
                path.push_str(name);
                path.push('}');
                names.push(*name);
            }
        }
    }
    if path.is_empty() || rule.ends_with('/') && rule.len() > 1 {
        path.push('/');
    }
    Some((path, names))
}

/// The method's name in a path item; `None` for one OpenAPI has no field for.
fn method_field(method: &Method) -> Option<&'static str> {
    Some(match method.as_str() {
        "GET" => "get",
        "PUT" => "put",
        "POST" => "post",
        "DELETE" => "delete",
        "OPTIONS" => "options",
        "HEAD" => "head",
        "PATCH" => "patch",
        "TRACE" => "trace",
        _ => return None,
    })
}

/// The whole document, as JSON.
pub(crate) fn render(config: &OpenApi, routes: &[RouteDoc]) -> String {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft2020_12().with(|settings| {
        settings.definitions_path = "/components/schemas".into();
        settings.meta_schema = None;
    }));
    let mut paths: BTreeMap<String, PathItem> = BTreeMap::new();
    for route in routes {
        if route.operation.as_ref().is_some_and(|op| op.hidden) {
            continue;
        }
        let Some((path, names)) = openapi_path(&route.rule) else {
            continue;
        };
        let methods: Vec<&'static str> = route.methods.iter().filter_map(method_field).collect();
        for method in &methods {
            let mut operation = operation(route, &names, &mut generator);
            if let (Some(id), true) = (&mut operation.operation_id, methods.len() > 1) {
                id.push('_');
                id.push_str(method);
            }
            paths
                .entry(path.clone())
                .or_default()
                .insert(method, operation);
        }
    }
    let document = Document {
        openapi: "3.1.0",
        info: config.info.clone(),
        servers: config.servers.clone(),
        paths,
        components: Components {
            schemas: generator.take_definitions(true),
            security_schemes: config.security_schemes.clone(),
        },
        security: config.security.clone(),
        tags: config.tags.clone(),
    };
    // A document of strings, maps and JSON values always serializes.
    let mut document = serde_json::to_value(&document).unwrap_or_default();
    bound_integers(&mut document, 0);
    serde_json::to_string(&document).unwrap_or_default()
}

/// How deep [`bound_integers`] walks: far below any real document, well above any schema.
const MAX_DEPTH: usize = 256;

/// Adds the range of its Rust type to every integer schema that has none (schemars gives
/// `u64` a `minimum` only): a client reading the document then knows that a larger
/// number is refused (422), and a fuzzer does not send it as valid.
fn bound_integers(value: &mut serde_json::Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        serde_json::Value::Object(object) => {
            let range = object
                .get("format")
                .and_then(serde_json::Value::as_str)
                .and_then(integer_range);
            if let Some((min, max)) = range {
                object.entry("minimum").or_insert(min);
                object.entry("maximum").or_insert(max);
            }
            for child in object.values_mut() {
                bound_integers(child, depth + 1);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                bound_integers(child, depth + 1);
            }
        }
        _ => {}
    }
}

/// The range of schemars' integer formats that a JSON number can state exactly.
fn integer_range(format: &str) -> Option<(serde_json::Value, serde_json::Value)> {
    use serde_json::Value;
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

/// One route's operation for one method.
fn operation(route: &RouteDoc, names: &[&str], generator: &mut SchemaGenerator) -> OperationObject {
    let declared = route.operation.clone().unwrap_or_default();
    let mut inputs = Inputs::new(Some(generator), names);
    if let Some(describe) = route.inputs {
        describe(&mut inputs);
    }
    let Inputs {
        path,
        query,
        headers,
        body,
        refusable,
        ..
    } = inputs;
    let mut parameters = path;
    parameters.extend(query);
    parameters.extend(headers);
    let request_body = body.map(|schema| RequestBody {
        required: true,
        content: BTreeMap::from([(
            "application/json".to_owned(),
            MediaType {
                schema: schema.unwrap_or_default(),
            },
        )]),
    });
    let mut responses: BTreeMap<String, ResponseObject> = declared
        .responses
        .iter()
        .map(|(status, response)| (status.to_string(), response_object(response, generator)))
        .collect();
    if responses.is_empty() {
        responses.insert("200".to_owned(), plain_response("OK"));
    }
    // Only a typed input the request can fail answers 422; a path parameter the handler
    // reads itself (from `&Request`) does not.
    if refusable {
        responses
            .entry("422".to_owned())
            .or_insert_with(|| ResponseObject {
                description: "Validation error".to_owned(),
                headers: BTreeMap::new(),
                content: json_content(generator.subschema_for::<ValidationAnswer<'static>>()),
            });
    }
    OperationObject {
        tags: declared.tags,
        summary: declared.summary,
        description: declared.description,
        operation_id: declared.operation_id,
        parameters,
        request_body,
        responses,
        deprecated: declared.deprecated,
        security: declared.security,
        extensions: declared.extensions,
    }
}

fn plain_response(description: &str) -> ResponseObject {
    ResponseObject {
        description: description.to_owned(),
        headers: BTreeMap::new(),
        content: BTreeMap::new(),
    }
}

fn json_content(schema: schemars::Schema) -> BTreeMap<String, MediaType> {
    BTreeMap::from([("application/json".to_owned(), MediaType { schema })])
}

fn response_object(response: &DeclaredResponse, generator: &mut SchemaGenerator) -> ResponseObject {
    let mut object = plain_response(&response.description);
    if let Some((content_type, schema)) = &response.body {
        object.content.insert(
            content_type.clone(),
            MediaType {
                schema: schema(generator),
            },
        );
    }
    for (name, description) in &response.headers {
        object.headers.insert(
            name.clone(),
            HeaderObject {
                description: Some(description.clone()),
                required: true,
                schema: generator.subschema_for::<str>(),
            },
        );
    }
    object
}

#[cfg(test)]
mod tests {
    use super::openapi_path;

    /// A rule, and its path and parameter names (`None`: not in the document).
    type Case = (&'static str, Option<(&'static str, Vec<&'static str>)>);

    #[test]
    fn rules_become_openapi_paths() {
        let cases: [Case; 6] = [
            ("/", Some(("/", vec![]))),
            ("/todos", Some(("/todos", vec![]))),
            ("/todos/<id>", Some(("/todos/{id}", vec!["id"]))),
            (
                "/u/<user>/t/<id>",
                Some(("/u/{user}/t/{id}", vec!["user", "id"])),
            ),
            ("/files/.+", None),
            ("/files/<name>.json", None),
        ];
        for (rule, expected) in cases {
            let found = openapi_path(rule);
            let found = found
                .as_ref()
                .map(|(path, names)| (path.as_str(), names.clone()));
            assert_eq!(found, expected, "{rule}");
        }
    }
}
