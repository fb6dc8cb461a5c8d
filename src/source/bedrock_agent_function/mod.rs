//! Amazon Bedrock Agents, action groups defined by function details: the agent names a
//! tool (`function`) and sends the arguments it extracted from the conversation as a
//! `parameters` list of `{name, type, value}`.
//!
//! Read: `function` and `actionGroup` (required strings, echoed in the answer),
//! `parameters` (absent or `null`: none; else `{name, value}` objects with string
//! values, the `type` read by the tool's arguments), `sessionAttributes` and
//! `promptSessionAttributes` (absent, `null` or maps of strings: the answer echoes them
//! when the tool sets none). The tool is found as the route `POST /<function>` of the
//! app's tools ([`ToolsBuilder`](crate::bedrock::ToolsBuilder) registers each so, and
//! accepts only names that are one path segment). Answered with the function envelope
//! ([`write_envelope`]).

mod arguments;
mod envelope;
mod python;

use bumpalo::Bump;
use serde_json::{Value, json};

use super::{Dialect, EnvelopeOptions, PlainRequest, Source, SourceDef};
use crate::event::{
    Cookies, EventError, EventView, Headers, JsonView, NULL, Query, RequestContext, RootFields,
    last_member, object_body, required_str, string_map,
};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub use arguments::{ArgValue, Args};
pub use envelope::ResponseState;
pub(crate) use envelope::write_envelope;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::BedrockAgentFunction,
    name: "bedrock-agent-function",
    service: "Amazon Bedrock Agents (function-details action group)",
    constructor: "App::bedrock_agent_functions()",
    read: |fields, _, arena| read(fields, arena),
    method_field: "function",
    source_ip_parent: None,
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // Bedrock invokes the action group's function synchronously and reads one JSON answer.
    streaming: false,
    envelope,
    render,
    dialect: Dialect {
        path_params: None,
        body_as_named_values: false,
        validation_body: None,
        tool_errors: Some(super::ToolErrors {
            unknown: envelope::unknown_tool,
            answer: envelope::tool_error,
        }),
    },
};

/// The members holding the session maps an answer echoes.
pub(crate) const SESSION_MAPS: [&str; 2] = ["sessionAttributes", "promptSessionAttributes"];

fn read<'a>(fields: &RootFields<'a>, arena: &'a Bump) -> Result<EventView<'a>, EventError> {
    let function = required_str(fields.function, "function")?;
    required_str(fields.action_group, "actionGroup")?;
    let query = super::bedrock_agent::as_value_lists(fields.parameters, "parameters", arena)?;
    let members = object_body(fields.root).unwrap_or_default();
    for name in SESSION_MAPS {
        string_map(last_member(members, |key| key == name), name)?;
    }
    let path = bumpalo::format!(in arena, "/{}", function).into_bump_str();
    let no_headers = Headers::comma_joined(&[]);
    Ok(EventView {
        source: Source::BedrockAgentFunction,
        method: "POST",
        path,
        raw_path: path,
        headers: no_headers,
        query: Query::multi_value(&[], query, false),
        cookies: Cookies::from_headers(no_headers),
        body: None,
        is_base64_encoded: false,
        multi_value_headers: false,
        request_context: RequestContext::new(NULL, Source::BedrockAgentFunction),
        root: JsonView::new(fields.root),
    })
}

fn envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::BedrockAgentFunction
}

/// A plain request as an agent's call of the tool named by the path's last segment, the
/// query's pairs its `string` parameters.
fn render(request: &PlainRequest<'_>) -> Value {
    let parameters: Vec<Value> = request
        .query
        .iter()
        .map(|(name, value)| json!({"name": name, "type": "string", "value": value}))
        .collect();
    let function = request.path.rsplit('/').next().unwrap_or_default();
    json!({
        "messageVersion": "1.0",
        "agent": {"name": "agent", "id": "AGENT", "alias": "TSTALIASID", "version": "DRAFT"},
        "sessionId": request.context.request_id,
        "sessionAttributes": {},
        "promptSessionAttributes": {},
        "inputText": "",
        "actionGroup": "ActionGroup",
        "function": function,
        "parameters": parameters,
    })
}
