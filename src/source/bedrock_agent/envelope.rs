//! The answer an agent reads: the operation echoed, the status, and the body under its
//! content type. An agent reads no headers, cookies or `isBase64Encoded`.

use std::collections::BTreeMap;
use std::io::Write as _;

use serde::Serialize;

use super::AgentSession;
use crate::event::{EventView, JsonView};
use crate::extract::{ErrorType, FieldError, Loc, ValidationError};
use crate::response::{Body, Response};
use crate::wire::{EnvelopeBody, write_json_string};

/// The content type of an answer whose handler gave none.
const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// Writes the agent envelope of an answer into `out` (appending):
/// `{"messageVersion":"1.0","response":{"actionGroup","apiPath","httpMethod","httpStatusCode",
/// "responseBody":{<content type>:{"body":<text>}}}}`, `apiPath` and `httpMethod` as the
/// event sent them. A binary body goes as its base64 text.
pub(crate) fn write_envelope(
    out: &mut Vec<u8>,
    view: &EventView<'_>,
    session: Option<&AgentSession>,
    status: u16,
    headers: &[(&str, &str)],
    body: EnvelopeBody<'_>,
) {
    let action_group = JsonView::get(&view.root, "actionGroup")
        .and_then(|value| value.as_str())
        .unwrap_or_default();
    let content_type = headers
        .iter()
        .rev()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map_or(DEFAULT_CONTENT_TYPE, |(_, value)| value);
    out.extend_from_slice(b"{\"messageVersion\":\"1.0\",\"response\":{\"actionGroup\":");
    write_json_string(out, action_group.as_bytes());
    out.extend_from_slice(b",\"apiPath\":");
    write_json_string(out, view.raw_path.as_bytes());
    out.extend_from_slice(b",\"httpMethod\":");
    write_json_string(out, view.method.as_bytes());
    out.extend_from_slice(b",\"httpStatusCode\":");
    // Writing into a `Vec` cannot fail.
    let _ = write!(out, "{status}");
    out.extend_from_slice(b",\"responseBody\":{");
    write_json_string(out, content_type.as_bytes());
    out.extend_from_slice(b":{\"body\":");
    body.write_string(out);
    out.extend_from_slice(b"}}}");
    if let Some(session) = session {
        write_attributes(out, "sessionAttributes", &session.session_attributes);
        write_attributes(
            out,
            "promptSessionAttributes",
            &session.prompt_session_attributes,
        );
    }
    out.push(b'}');
}

/// `,"<name>":{…}` when `attributes` is not empty.
fn write_attributes(out: &mut Vec<u8>, name: &str, attributes: &BTreeMap<String, String>) {
    if !attributes.is_empty() {
        write_string_map(
            out,
            name,
            attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
    }
}

/// `,"<name>":{"<key>":"<value>",…}`: a session map as both agent envelopes write it.
pub(crate) fn write_string_map<'p>(
    out: &mut Vec<u8>,
    name: &str,
    pairs: impl Iterator<Item = (&'p str, &'p str)>,
) {
    out.push(b',');
    write_json_string(out, name.as_bytes());
    out.extend_from_slice(b":{");
    for (index, (key, value)) in pairs.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_json_string(out, key.as_bytes());
        out.push(b':');
        write_json_string(out, value.as_bytes());
    }
    out.push(b'}');
}

/// A request an agent sent that the route's types refuse: Powertools' Bedrock 422, whose
/// `detail` entries carry `loc` and `type` only.
pub(crate) fn validation_body(invalid: &ValidationError) -> Response {
    #[derive(Serialize)]
    struct Entry<'e> {
        loc: &'e [Loc],
        #[serde(rename = "type")]
        kind: &'static str,
    }
    #[derive(Serialize)]
    struct Answer<'e> {
        #[serde(rename = "statusCode")]
        status_code: u16,
        detail: Vec<Entry<'e>>,
    }
    let detail = invalid
        .errors()
        .iter()
        .map(|FieldError { loc, kind, msg }| Entry {
            loc,
            kind: pydantic_type(*kind, msg),
        })
        .collect();
    let answer = Answer {
        status_code: 422,
        detail,
    };
    let text = serde_json::to_string(&answer).unwrap_or_default();
    Response::with_body(422, Body::Text(text.into())).content_type("application/json")
}

/// The `type` pydantic gives a constraint that garde reports as a `value_error` (garde's
/// range, length and pattern messages); any other error keeps its own.
fn pydantic_type(kind: ErrorType, message: &str) -> &'static str {
    if kind != ErrorType::ValueError {
        return kind.as_str();
    }
    const CONSTRAINTS: [(&str, &str); 5] = [
        ("length is lower than", "string_too_short"),
        ("length is greater than", "string_too_long"),
        ("lower than", "greater_than_equal"),
        ("greater than", "less_than_equal"),
        ("does not match pattern", "string_pattern_mismatch"),
    ];
    CONSTRAINTS
        .iter()
        .find(|(garde, _)| message.starts_with(garde))
        .map_or(kind.as_str(), |(_, pydantic)| pydantic)
}
