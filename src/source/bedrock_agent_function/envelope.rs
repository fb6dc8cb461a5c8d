//! The answer an agent reads from a tool: the call echoed, the tool's text, the state the
//! tool asks the agent to take, and the session's attributes.

use std::collections::BTreeMap;

use super::SESSION_MAPS;
use crate::bedrock::AgentSession;
use crate::error::{Error, Panicked};
use crate::event::{EventView, JsonView};
use crate::response::{Body, Response};
use crate::source::bedrock_agent::write_string_map;
use crate::wire::{EnvelopeBody, write_json_string};

/// What the agent does after a tool's answer, when the tool asks for more than reading
/// it (Bedrock's `responseState`; a tool answer without one lets the agent go on).
///
/// Set with [`Response::agent_response_state`]; ignored by every other source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseState {
    /// The call failed: the agent ends the session (`FAILURE`).
    Failure,
    /// The agent asks the user again, with the tool's text (`REPROMPT`).
    Reprompt,
}

impl ResponseState {
    /// The name Bedrock reads: `FAILURE` or `REPROMPT`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Failure => "FAILURE",
            Self::Reprompt => "REPROMPT",
        }
    }
}

/// Writes the function envelope of a tool's answer into `out` (appending):
/// `{"messageVersion":"1.0","response":{"actionGroup","function","functionResponse":
/// {"responseBody":{"TEXT":{"body":<text>}},"responseState"?}},"sessionAttributes",
/// "promptSessionAttributes"}`. The session maps are the ones the tool set (even empty:
/// a tool may clear the session), else the event's (a missing map as `{}`).
pub(crate) fn write_envelope(
    out: &mut Vec<u8>,
    view: &EventView<'_>,
    session: Option<&AgentSession>,
    state: Option<ResponseState>,
    body: EnvelopeBody<'_>,
) {
    let root = view.root;
    let echoed = |name: &str| root.get(name).and_then(|value| value.as_str());
    out.extend_from_slice(b"{\"messageVersion\":\"1.0\",\"response\":{\"actionGroup\":");
    write_json_string(out, echoed("actionGroup").unwrap_or_default().as_bytes());
    out.extend_from_slice(b",\"function\":");
    write_json_string(out, echoed("function").unwrap_or_default().as_bytes());
    out.extend_from_slice(b",\"functionResponse\":{\"responseBody\":{\"TEXT\":{\"body\":");
    body.write_string(out);
    out.extend_from_slice(b"}}");
    if let Some(state) = state {
        out.extend_from_slice(b",\"responseState\":\"");
        out.extend_from_slice(state.as_str().as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b"}}");
    let [session_name, prompt_name] = SESSION_MAPS;
    match session {
        Some(session) => {
            write_map(out, session_name, &session.session_attributes);
            write_map(out, prompt_name, &session.prompt_session_attributes);
        }
        None => {
            write_event_map(out, session_name, root);
            write_event_map(out, prompt_name, root);
        }
    }
    out.push(b'}');
}

/// `,"<name>":{…}` from a map the tool set.
fn write_map(out: &mut Vec<u8>, name: &str, map: &BTreeMap<String, String>) {
    write_string_map(out, name, map.iter().map(|(k, v)| (k.as_str(), v.as_str())));
}

/// `,"<name>":{…}` echoing the event's map (checked to hold strings when it was read).
fn write_event_map(out: &mut Vec<u8>, name: &str, root: JsonView<'_>) {
    let map = root.get(name);
    let pairs = map
        .iter()
        .flat_map(JsonView::entries)
        .filter_map(|(key, value)| Some((key, value.as_str()?)));
    write_string_map(out, name, pairs);
}

/// The event names a tool the app does not have.
#[derive(Debug)]
pub(crate) struct UnknownTool(String);

impl std::fmt::Display for UnknownTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no tool is named '{}'", self.0)
    }
}

impl std::error::Error for UnknownTool {}

pub(super) fn unknown_tool(view: &EventView<'_>) -> Error {
    let name = view.root.get("function").and_then(|value| value.as_str());
    Error::new(UnknownTool(name.unwrap_or_default().to_owned()))
}

/// A tool's error as the text the agent reads, Powertools' `"Error: <type>: <message>"` as
/// a JSON string (the agent then explains or retries): the error's type name and its
/// message. A panic's message stays in the log.
pub(super) fn tool_error(error: &Error) -> Response {
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    tracing::warn!(error = %chain.join(": "), "lambda-router: tool error");
    let text = if error.is::<Panicked>() {
        "Error: Panic: the tool failed".to_owned()
    } else {
        format!("Error: {}: {error}", error.type_name())
    };
    let json = serde_json::to_string(&text).unwrap_or_default();
    Response::with_body(200, Body::Text(json.into())).content_type("application/json")
}
