//! One Amazon Bedrock function-details event (Powertools' sample, `fixtures/bedrock/`)
//! answered by the same tool on this library and as a Rust user writes it without us.
//!
//! `aws_lambda_events` has no type for function events: its `AgentEvent` is the OpenAPI
//! action group's, with `apiPath` and `httpMethod` required, so it refuses this event
//! (`tests/bedrock_same_work.rs` checks that). The peer is therefore what a user
//! writes on top of it: `AgentEvent`'s fields with `function` in place of `apiPath` and
//! `httpMethod`, built from the crate's `Agent` and `Parameter`, read by `serde_json`; a
//! `match` on the function name; the answer a serialized struct.

use std::collections::HashMap;

use aws_lambda_events::event::bedrock_agent_runtime::{Agent, Parameter};
use lambda_router::bedrock::Args;
use lambda_router::{App, Json};
use serde::{Deserialize, Serialize};

/// The event: Powertools' `bedrockAgentFunctionEvent.json`.
pub const EVENT: &[u8] = include_bytes!("../../../fixtures/bedrock/bedrockAgentFunctionEvent.json");

#[derive(Deserialize)]
struct Vacation<'a> {
    start_date: &'a str,
    end_date: &'a str,
}
lambda_router::rebind!(Vacation<'a>);

fn submit_vacation_request(Args(vacation): Args<Vacation<'_>>) -> Json<(&str, &str)> {
    Json((vacation.start_date, vacation.end_date))
}

/// The tool on this library.
pub fn ours() -> App {
    App::bedrock_agent_functions()
        .tool("submitVacationRequest", submit_vacation_request)
        .build()
        .expect("the bench app builds")
}

/// `aws_lambda_events`' `AgentEvent` as a function-details action group sends it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // read as the crate's event type reads it, used or not
struct FunctionEvent {
    message_version: String,
    agent: Agent,
    input_text: String,
    session_id: String,
    action_group: String,
    function: String,
    #[serde(default)]
    parameters: Vec<Parameter>,
    session_attributes: HashMap<String, String>,
    prompt_session_attributes: HashMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FunctionAnswer<'a> {
    message_version: &'static str,
    response: ToolResponse<'a>,
    session_attributes: &'a HashMap<String, String>,
    prompt_session_attributes: &'a HashMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToolResponse<'a> {
    action_group: &'a str,
    function: &'a str,
    function_response: FunctionResponse,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FunctionResponse {
    response_body: HashMap<&'static str, HashMap<&'static str, String>>,
}

/// The same tool without this library: the event deserialized, the function matched by
/// name, its arguments looked up (the last of a repeated name, as ours reads them), the
/// answer serialized.
pub fn peer(event: &[u8]) -> Vec<u8> {
    let event: FunctionEvent = serde_json::from_slice(event).expect("a function event");
    let argument = |name: &str| {
        event
            .parameters
            .iter()
            .rev()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    };
    let body = match event.function.as_str() {
        "submitVacationRequest" => match (argument("start_date"), argument("end_date")) {
            (Some(start), Some(end)) => serde_json::to_string(&(start, end)).expect("JSON"),
            _ => serde_json::to_string("Error: missing argument").expect("JSON"),
        },
        other => serde_json::to_string(&format!("Error: unknown tool {other}")).expect("JSON"),
    };
    let answer = FunctionAnswer {
        message_version: "1.0",
        response: ToolResponse {
            action_group: &event.action_group,
            function: &event.function,
            function_response: FunctionResponse {
                response_body: HashMap::from([("TEXT", HashMap::from([("body", body)]))]),
            },
        },
        session_attributes: &event.session_attributes,
        prompt_session_attributes: &event.prompt_session_attributes,
    };
    serde_json::to_vec(&answer).expect("JSON")
}
