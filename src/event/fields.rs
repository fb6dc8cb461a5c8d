//! One pass over the top-level event object, and the type checks every source applies.
//!
//! Walking the root once and dispatching on each key is cheaper than one `get` scan per
//! field (an event has ~15 top-level keys and we need up to 11 of them). The checks make the
//! views' later look-ups infallible: after `parse`, a header map is known to hold only
//! strings, a multi-value map only arrays of strings, and so on.

use simd_json::prelude::ValueAsScalar as _;
use simd_json::tape::Node;

use super::EventError;
use super::nodes::{
    Elements, Members, NULL, Nodes, array_body, is_null, object_body, static_of, string_of,
    type_name,
};

/// The top-level members any source may read; `None` = the key is absent.
///
/// A key that appears twice keeps its last value, as Python's `json.loads` does.
#[derive(Default, Clone, Copy)]
pub(crate) struct RootFields<'a> {
    /// The whole event.
    pub(crate) root: Nodes<'a>,
    pub(crate) http_method: Option<Nodes<'a>>,
    pub(crate) path: Option<Nodes<'a>>,
    pub(crate) raw_path: Option<Nodes<'a>>,
    pub(crate) raw_query_string: Option<Nodes<'a>>,
    pub(crate) headers: Option<Nodes<'a>>,
    pub(crate) multi_value_headers: Option<Nodes<'a>>,
    pub(crate) query_string_parameters: Option<Nodes<'a>>,
    pub(crate) multi_value_query_string_parameters: Option<Nodes<'a>>,
    pub(crate) cookies: Option<Nodes<'a>>,
    pub(crate) body: Option<Nodes<'a>>,
    pub(crate) is_base64_encoded: Option<Nodes<'a>>,
    pub(crate) request_context: Option<Nodes<'a>>,
    /// VPC Lattice v1's snake_case members.
    pub(crate) raw_path_snake: Option<Nodes<'a>>,
    pub(crate) query_string_parameters_snake: Option<Nodes<'a>>,
    pub(crate) is_base64_encoded_snake: Option<Nodes<'a>>,
    /// `method` (VPC Lattice) and `version` (`"2.0"`: HTTP API, Function URL, Lattice v2).
    pub(crate) method: Option<Nodes<'a>>,
    pub(crate) version: Option<Nodes<'a>>,
    /// Amazon Bedrock Agents' members.
    pub(crate) api_path: Option<Nodes<'a>>,
    pub(crate) action_group: Option<Nodes<'a>>,
    pub(crate) parameters: Option<Nodes<'a>>,
    pub(crate) request_body: Option<Nodes<'a>>,
    pub(crate) function: Option<Nodes<'a>>,
    /// Members that only events which are not HTTP requests have (an authorizer's `type`
    /// and `methodArn`/`routeArn`, a response's `statusCode`): read to say what such an
    /// event is.
    pub(crate) not_http: Option<&'static str>,
}

impl<'a> RootFields<'a> {
    /// Collects the members of `root`, which must be an object.
    pub(crate) fn collect(root: Nodes<'a>) -> Result<Self, EventError> {
        let Some(body) = object_body(root) else {
            return Err(EventError::not_an_object(type_name(root)));
        };
        let mut fields = Self {
            root,
            ..Self::default()
        };
        for (key, value) in Members::of(body) {
            let slot = match key {
                "httpMethod" => &mut fields.http_method,
                "path" => &mut fields.path,
                "rawPath" => &mut fields.raw_path,
                "rawQueryString" => &mut fields.raw_query_string,
                "headers" => &mut fields.headers,
                "multiValueHeaders" => &mut fields.multi_value_headers,
                "queryStringParameters" => &mut fields.query_string_parameters,
                "multiValueQueryStringParameters" => {
                    &mut fields.multi_value_query_string_parameters
                }
                "cookies" => &mut fields.cookies,
                "body" => &mut fields.body,
                "isBase64Encoded" => &mut fields.is_base64_encoded,
                "requestContext" => &mut fields.request_context,
                "raw_path" => &mut fields.raw_path_snake,
                "query_string_parameters" => &mut fields.query_string_parameters_snake,
                "is_base64_encoded" => &mut fields.is_base64_encoded_snake,
                "method" => &mut fields.method,
                "version" => &mut fields.version,
                "apiPath" => &mut fields.api_path,
                "actionGroup" => &mut fields.action_group,
                "parameters" => &mut fields.parameters,
                "requestBody" => &mut fields.request_body,
                "function" => &mut fields.function,
                // A `null` one is absent, as every member whose value is `null` is for
                // detection (`source::detect`): producers write their unset fields so
                // (cargo-lambda's events carry `"methodArn": null`).
                "methodArn" | "routeArn" => {
                    if !is_null(value) {
                        fields.not_http = Some("an API Gateway authorizer's input");
                    }
                    continue;
                }
                "statusCode" => {
                    if !is_null(value) {
                        fields.not_http = Some("a proxy response");
                    }
                    continue;
                }
                _ => continue,
            };
            *slot = Some(value);
        }
        Ok(fields)
    }
}

/// `None` for an absent member and for JSON `null`, which every AWS format uses
/// interchangeably for "not there".
fn present(value: Option<Nodes<'_>>) -> Option<Nodes<'_>> {
    value.filter(|value| !is_null(value))
}

/// A required string (method, path).
pub(crate) fn required_str<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<&'a str, EventError> {
    let Some(value) = present(value) else {
        return Err(EventError::missing_field(format_args!("{field}")));
    };
    string_of(value)
        .ok_or_else(|| EventError::wrong_type(format_args!("{field}"), "string", type_name(value)))
}

/// An optional string; absent or `null` gives `None`.
pub(crate) fn optional_str<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<Option<&'a str>, EventError> {
    match present(value) {
        None => Ok(None),
        Some(value) => string_of(value).map(Some).ok_or_else(|| {
            EventError::wrong_type(format_args!("{field}"), "string", type_name(value))
        }),
    }
}

/// An optional boolean; absent or `null` gives `false`.
pub(crate) fn optional_bool(
    value: Option<Nodes<'_>>,
    field: &'static str,
) -> Result<bool, EventError> {
    match present(value) {
        None => Ok(false),
        Some(value) => static_of(value)
            .and_then(|scalar| scalar.as_bool())
            .ok_or_else(|| {
                EventError::wrong_type(format_args!("{field}"), "boolean", type_name(value))
            }),
    }
}

/// An optional object; absent or `null` gives the `null` value (which every view reads as
/// an empty map).
pub(crate) fn optional_object<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<Nodes<'a>, EventError> {
    match present(value) {
        None => Ok(NULL),
        Some(value) if object_body(value).is_some() => Ok(value),
        Some(value) => Err(EventError::wrong_type(
            format_args!("{field}"),
            "object",
            type_name(value),
        )),
    }
}

/// An optional `{name: "value"}` map (`headers`, `queryStringParameters`), as its body:
/// `name, value, name, value, …`, one string node each (empty if absent or `null`).
pub(crate) fn string_map<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<Nodes<'a>, EventError> {
    let body = object_body(optional_object(value, field)?).unwrap_or_default();
    // Fast path: if every aligned pair is two strings, every value is one string node (a
    // nested value would put its container node at an odd offset).
    let all_pairs = body.len() % 2 == 0
        && body
            .chunks_exact(2)
            .all(|pair| matches!(pair, [Node::String(_), Node::String(_)]));
    if !all_pairs {
        string_map_fault(body, field)?;
    }
    Ok(body)
}

/// The first non-string value of a map body, as an error (the cold path of `string_map`).
#[cold]
fn string_map_fault(body: Nodes<'_>, field: &'static str) -> Result<(), EventError> {
    for (key, member) in Members::of(body) {
        if string_of(member).is_none() {
            return Err(EventError::wrong_type(
                format_args!("{field}.{key}"),
                "string",
                type_name(member),
            ));
        }
    }
    Ok(())
}

/// An optional `{name: ["value", …]}` map (`multiValueHeaders`,
/// `multiValueQueryStringParameters`), as its body: `name, [n], n strings, name, …` (empty
/// if absent or `null`).
pub(crate) fn string_list_map<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<Nodes<'a>, EventError> {
    let body = object_body(optional_object(value, field)?).unwrap_or_default();
    if !all_string_lists(body) {
        string_list_map_fault(body, field)?;
    }
    Ok(body)
}

/// Whether every member of a map body is an array of strings: a tight walk over the nodes,
/// since an array of `len` strings is exactly its header and `len` string nodes.
fn all_string_lists(mut rest: Nodes<'_>) -> bool {
    loop {
        rest = match rest {
            // The common case, a header sent once: three nodes.
            [
                Node::String(_),
                Node::Array { len: 1, count: 1 },
                Node::String(_),
                tail @ ..,
            ] => tail,
            // `count == len`: no element is a container, so the next `len` nodes are the
            // elements.
            [Node::String(_), Node::Array { len, count }, after @ ..] if len == count => {
                match after.split_at_checked(*len) {
                    Some((items, tail)) if all_strings(items) => tail,
                    _ => return false,
                }
            }
            [] => return true,
            _ => return false,
        };
    }
}

/// The first member of a map body that is not an array of strings, as an error.
#[cold]
fn string_list_map_fault(body: Nodes<'_>, field: &'static str) -> Result<(), EventError> {
    for (key, member) in Members::of(body) {
        if array_body(member).is_none() {
            return Err(EventError::wrong_type(
                format_args!("{field}.{key}"),
                "array of strings",
                type_name(member),
            ));
        }
        for (index, item) in Elements::of_value(member).enumerate() {
            if string_of(item).is_none() {
                return Err(EventError::wrong_type(
                    format_args!("{field}.{key}[{index}]"),
                    "string",
                    type_name(item),
                ));
            }
        }
    }
    Ok(())
}

/// An optional `["value", …]` list (the HTTP API `cookies`), as its body: one string node
/// per element (empty if absent or `null`).
pub(crate) fn string_list<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
) -> Result<Nodes<'a>, EventError> {
    let Some(list) = present(value) else {
        return Ok(&[]);
    };
    let Some(items) = array_body(list) else {
        return Err(EventError::wrong_type(
            format_args!("{field}"),
            "array of strings",
            type_name(list),
        ));
    };
    // A body of string nodes only is a list of strings (a nested value would add a
    // container node).
    if !all_strings(items) {
        for (index, item) in Elements::of_value(list).enumerate() {
            if string_of(item).is_none() {
                return Err(EventError::wrong_type(
                    format_args!("{field}[{index}]"),
                    "string",
                    type_name(item),
                ));
            }
        }
    }
    Ok(items)
}

/// Whether every node is a string.
fn all_strings(nodes: Nodes<'_>) -> bool {
    nodes.iter().all(|node| matches!(node, Node::String(_)))
}
