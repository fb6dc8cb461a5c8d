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
    EventError, EventView, RootFields, last_member, object_body, required_str, string_map,
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
    // A tool is the route `POST /<name>` (see `ToolsBuilder::tool`).
    let mut path = bumpalo::collections::String::with_capacity_in(function.len() + 1, arena);
    path.push('/');
    path.push_str(function);
    let path = path.into_bump_str();
    Ok(super::bedrock_agent::agent_view(
        Source::BedrockAgentFunction,
        "POST",
        path,
        query,
        fields,
    ))
}

fn envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::BedrockAgentFunction
}

/// A plain request as an agent's call of the tool named by the path's last segment, the
/// query's pairs its `string` parameters.
fn render(request: &PlainRequest<'_>) -> Value {
    let function = request.path.rsplit('/').next().unwrap_or_default();
    super::bedrock_agent::rendered_agent_event(request, json!({"function": function}))
}
