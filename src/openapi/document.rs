//! Building the document from the app's routes, when it is first asked for.

use std::collections::BTreeMap;

use http::Method;
use schemars::{Schema, SchemaGenerator};

use super::OpenApi;
use super::model::{
    Components, Document, HeaderObject, MediaType, OperationObject, Parameter, PathItem,
    RequestBody, ResponseObject,
};
use super::operation::{DeclaredResponse, Operation};
use super::target::{Target, finish};
use crate::extract::{DescribeInputs, Inputs, Location, ValidationAnswer};
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

/// The whole document, as JSON, written for `target`.
pub(crate) fn render(config: &OpenApi, routes: &[RouteDoc], target: Target) -> String {
    let mut generator = target.generator();
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
            let mut operation = operation(route, &names, target, &mut generator);
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
        openapi: target.version(),
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
    serde_json::to_string(&document).unwrap_or_default()
}

/// One route's operation for one method.
fn operation(
    route: &RouteDoc,
    names: &[&str],
    target: Target,
    generator: &mut SchemaGenerator,
) -> OperationObject {
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
    let parameters = path
        .into_iter()
        .chain(query)
        .chain(headers)
        .map(|parameter| Parameter {
            explode: (parameter.list && parameter.location == Location::Query).then_some(true),
            name: parameter.name,
            location: parameter.location,
            required: parameter.required,
            schema: finish(generator, parameter.schema),
            description: parameter.description,
        })
        .collect();
    let request_body = body.map(|schema| RequestBody {
        required: true,
        content: json_content(finish(generator, schema.unwrap_or_default())),
    });
    let mut responses: BTreeMap<String, ResponseObject> = declared
        .responses
        .iter()
        .map(|(status, response)| (status.to_string(), response_object(response, generator)))
        .collect();
    if responses.is_empty() {
        responses.insert("200".to_owned(), default_response(target));
    }
    // Only a typed input the request can fail answers 422; a path parameter the handler
    // reads itself (from `&Request`) does not.
    if refusable {
        responses
            .entry("422".to_owned())
            .or_insert_with(|| ResponseObject {
                description: "Validation error".to_owned(),
                headers: BTreeMap::new(),
                content: json_content(subschema::<ValidationAnswer<'static>>(generator)),
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

/// The response of a route that declares none: for an agent, whose answers are JSON
/// unless the route says otherwise, a JSON body of no stated shape.
fn default_response(target: Target) -> ResponseObject {
    let mut response = plain_response("OK");
    if target == Target::BedrockAgent {
        response
            .content
            .insert("application/json".to_owned(), MediaType { schema: None });
    }
    response
}

fn plain_response(description: &str) -> ResponseObject {
    ResponseObject {
        description: description.to_owned(),
        headers: BTreeMap::new(),
        content: BTreeMap::new(),
    }
}

/// The schema of `T` as the document writes it.
fn subschema<T: schemars::JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Schema {
    let schema = generator.subschema_for::<T>();
    finish(generator, schema)
}

fn json_content(schema: Schema) -> BTreeMap<String, MediaType> {
    BTreeMap::from([(
        "application/json".to_owned(),
        MediaType {
            schema: Some(schema),
        },
    )])
}

fn response_object(response: &DeclaredResponse, generator: &mut SchemaGenerator) -> ResponseObject {
    let mut object = plain_response(&response.description);
    if let Some((content_type, schema)) = &response.body {
        object.content.insert(
            content_type.clone(),
            MediaType {
                schema: schema.map(|schema| {
                    let schema = schema(generator);
                    finish(generator, schema)
                }),
            },
        );
    }
    for (name, description) in &response.headers {
        object.headers.insert(
            name.clone(),
            HeaderObject {
                description: Some(description.clone()),
                required: true,
                schema: subschema::<str>(generator),
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
