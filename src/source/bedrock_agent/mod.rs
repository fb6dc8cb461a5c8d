//! Amazon Bedrock Agents, action groups defined by an OpenAPI schema: the agent picks an
//! operation (`apiPath`, the path *template*, and `httpMethod`) and sends the values it
//! extracted from the conversation as a `parameters` list and `requestBody.content`.
//!
//! Read: `httpMethod` (upper-cased for routing), `apiPath` (routed as a path, matched
//! exactly), `actionGroup` (required, echoed), and `parameters`: a list of `{name, type,
//! value}` whose string values become the query the route reads (the last value of a
//! repeated name wins) and, in place of the segments of `apiPath`, the values of the route's
//! path parameters ([`path_params_from_parameters`]). The body is read from
//! `requestBody.content["application/json"].properties` by the `Json` extractor. There
//! are no headers, cookies or request context. Answered with the agent envelope
//! ([`write_envelope`]).

mod envelope;
mod parameters;
mod session;

use bumpalo::Bump;
use serde_json::{Value, json};

use super::{Dialect, EnvelopeOptions, PlainRequest, Source, SourceDef};
use crate::event::{
    Cookies, EventError, EventView, Headers, JsonView, NULL, Nodes, Query, RequestContext,
    RootFields, required_str,
};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub(crate) use envelope::{write_envelope, write_string_map};
pub(crate) use parameters::as_value_lists;
use parameters::path_params_from_parameters;
pub(crate) use parameters::{NameValues, properties};
pub use session::AgentSession;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::BedrockAgent,
    name: "bedrock-agent",
    service: "Amazon Bedrock Agents (OpenAPI action group)",
    constructor: "App::bedrock_agent()",
    read: |fields, _, arena| read(fields, arena),
    method_field: "httpMethod",
    source_ip_parent: None,
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // Bedrock invokes the action group's function synchronously and reads one JSON answer.
    streaming: false,
    envelope,
    render,
    dialect: Dialect {
        path_params: Some(path_params_from_parameters),
        body_as_named_values: true,
        validation_body: Some(envelope::validation_body),
        tool_errors: None,
    },
};

fn read<'a>(fields: &RootFields<'a>, arena: &'a Bump) -> Result<EventView<'a>, EventError> {
    let method = required_str(fields.http_method, "httpMethod")?;
    let path = required_str(fields.api_path, "apiPath")?;
    required_str(fields.action_group, "actionGroup")?;
    let query = parameters::as_value_lists(fields.parameters, "parameters", arena)?;
    parameters::check_request_body(fields.request_body)?;
    Ok(agent_view(
        Source::BedrockAgent,
        method,
        path,
        query,
        fields,
    ))
}

/// The view of an agent's event (either kind): a call of `method path` whose named
/// values are `query`, with no headers, cookies or body of its own (the body's values are
/// read from the event, see `properties`).
pub(crate) fn agent_view<'a>(
    source: Source,
    method: &'a str,
    path: &'a str,
    query: Nodes<'a>,
    fields: &RootFields<'a>,
) -> EventView<'a> {
    let no_headers = Headers::comma_joined(&[]);
    EventView {
        source,
        method,
        path,
        raw_path: path,
        headers: no_headers,
        query: Query::multi_value(&[], query, false),
        cookies: Cookies::from_headers(no_headers),
        body: None,
        is_base64_encoded: false,
        multi_value_headers: false,
        request_context: RequestContext::new(NULL, source),
        root: JsonView::new(fields.root),
    }
}

fn envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::BedrockAgent
}

/// A plain request as an agent's event of either kind: the members both kinds have (the
/// agent, the session, the query's pairs as `string` parameters), and those of `call`,
/// which name what is called.
pub(crate) fn rendered_agent_event(request: &PlainRequest<'_>, call: Value) -> Value {
    let parameters: Vec<Value> = request
        .query
        .iter()
        .map(|(name, value)| named_string(name, value))
        .collect();
    let mut event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "agent", "id": "AGENT", "alias": "TSTALIASID", "version": "DRAFT"},
        "sessionId": request.context.request_id,
        "sessionAttributes": {},
        "promptSessionAttributes": {},
        "inputText": "",
        "actionGroup": "ActionGroup",
        "parameters": parameters,
    });
    if let (Some(event), Value::Object(call)) = (event.as_object_mut(), call) {
        event.extend(call);
    }
    event
}

/// A parameter or body property of an agent's event: a named `string` value.
fn named_string(name: &str, value: &str) -> Value {
    json!({"name": name, "type": "string", "value": value})
}

/// A plain request as an agent's call: the query's pairs become `parameters`, a JSON
/// object body the `application/json` properties (each value as its JSON text, or the
/// string itself).
fn render(request: &PlainRequest<'_>) -> Value {
    let mut event = rendered_agent_event(
        request,
        json!({"apiPath": request.path, "httpMethod": request.method}),
    );
    let body = request
        .body
        .filter(|_| !request.base64)
        .and_then(|text| serde_json::from_str::<serde_json::Map<String, Value>>(text).ok());
    if let (Some(body), Some(event)) = (body, event.as_object_mut()) {
        let properties: Vec<Value> = body
            .into_iter()
            .map(|(name, value)| {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                named_string(&name, &text)
            })
            .collect();
        event.insert(
            "requestBody".into(),
            json!({"content": {"application/json": {"properties": properties}}}),
        );
    }
    event
}
