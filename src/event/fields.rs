//! One pass over the top-level event object, and the type checks every source applies.
//!
//! Walking the root once and dispatching on each key is cheaper than one `get` scan per
//! field (an event has ~15 top-level keys and we need up to 11 of them). The checks make the
//! views' later look-ups infallible: after `parse`, a header map is known to hold only
//! strings, a multi-value map only arrays of strings, and so on.

use simd_json::prelude::*;
use simd_json::tape::Value;

use super::EventError;
use super::json_view::{TapeValue, array_iter, object_iter, string_of, type_name};

/// The top-level members any source may read; `None` = the key is absent.
///
/// A key that appears twice keeps its last value, as Python's `json.loads` does.
#[derive(Default, Clone, Copy)]
pub(crate) struct RootFields<'a> {
    pub(crate) http_method: Option<TapeValue<'a>>,
    pub(crate) path: Option<TapeValue<'a>>,
    pub(crate) raw_path: Option<TapeValue<'a>>,
    pub(crate) headers: Option<TapeValue<'a>>,
    pub(crate) multi_value_headers: Option<TapeValue<'a>>,
    pub(crate) query_string_parameters: Option<TapeValue<'a>>,
    pub(crate) multi_value_query_string_parameters: Option<TapeValue<'a>>,
    pub(crate) cookies: Option<TapeValue<'a>>,
    pub(crate) body: Option<TapeValue<'a>>,
    pub(crate) is_base64_encoded: Option<TapeValue<'a>>,
    pub(crate) request_context: Option<TapeValue<'a>>,
}

impl<'a> RootFields<'a> {
    /// Collects the members of `root`, which must be an object.
    pub(crate) fn collect(root: TapeValue<'a>) -> Result<Self, EventError> {
        let Some(members) = object_iter(root) else {
            return Err(EventError::not_an_object(type_name(root)));
        };
        let mut fields = Self::default();
        for (key, value) in members {
            let slot = match key {
                "httpMethod" => &mut fields.http_method,
                "path" => &mut fields.path,
                "rawPath" => &mut fields.raw_path,
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
                _ => continue,
            };
            *slot = Some(value);
        }
        Ok(fields)
    }
}

/// `None` for an absent member and for JSON `null`, which every AWS format uses
/// interchangeably for "not there".
fn present(value: Option<TapeValue<'_>>) -> Option<TapeValue<'_>> {
    value.filter(|value| value.as_null().is_none())
}

/// A required string (method, path).
pub(crate) fn required_str<'a>(
    value: Option<TapeValue<'a>>,
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
    value: Option<TapeValue<'a>>,
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
    value: Option<TapeValue<'_>>,
    field: &'static str,
) -> Result<bool, EventError> {
    match present(value) {
        None => Ok(false),
        Some(value) => value.as_bool().ok_or_else(|| {
            EventError::wrong_type(format_args!("{field}"), "boolean", type_name(value))
        }),
    }
}

/// An optional object; absent or `null` gives the `null` value (which every view reads as
/// an empty map).
pub(crate) fn optional_object<'a>(
    value: Option<TapeValue<'a>>,
    field: &'static str,
) -> Result<TapeValue<'a>, EventError> {
    match present(value) {
        None => Ok(Value::NULL),
        Some(value) if value.is_object() => Ok(value),
        Some(value) => Err(EventError::wrong_type(
            format_args!("{field}"),
            "object",
            type_name(value),
        )),
    }
}

/// An optional `{name: "value"}` map (`headers`, `queryStringParameters`).
pub(crate) fn string_map<'a>(
    value: Option<TapeValue<'a>>,
    field: &'static str,
) -> Result<TapeValue<'a>, EventError> {
    let map = optional_object(value, field)?;
    for (key, member) in object_iter(map).into_iter().flatten() {
        if member.as_str().is_none() {
            return Err(EventError::wrong_type(
                format_args!("{field}.{key}"),
                "string",
                type_name(member),
            ));
        }
    }
    Ok(map)
}

/// An optional `{name: ["value", …]}` map (`multiValueHeaders`,
/// `multiValueQueryStringParameters`).
pub(crate) fn string_list_map<'a>(
    value: Option<TapeValue<'a>>,
    field: &'static str,
) -> Result<TapeValue<'a>, EventError> {
    let map = optional_object(value, field)?;
    for (key, member) in object_iter(map).into_iter().flatten() {
        let Some(items) = array_iter(member) else {
            return Err(EventError::wrong_type(
                format_args!("{field}.{key}"),
                "array of strings",
                type_name(member),
            ));
        };
        for (index, item) in items.enumerate() {
            if item.as_str().is_none() {
                return Err(EventError::wrong_type(
                    format_args!("{field}.{key}[{index}]"),
                    "string",
                    type_name(item),
                ));
            }
        }
    }
    Ok(map)
}

/// An optional `["value", …]` list (the HTTP API `cookies`).
pub(crate) fn string_list<'a>(
    value: Option<TapeValue<'a>>,
    field: &'static str,
) -> Result<TapeValue<'a>, EventError> {
    let Some(list) = present(value) else {
        return Ok(Value::NULL);
    };
    let Some(items) = array_iter(list) else {
        return Err(EventError::wrong_type(
            format_args!("{field}"),
            "array of strings",
            type_name(list),
        ));
    };
    for (index, item) in items.enumerate() {
        if item.as_str().is_none() {
            return Err(EventError::wrong_type(
                format_args!("{field}[{index}]"),
                "string",
                type_name(item),
            ));
        }
    }
    Ok(list)
}
