//! One Amazon Bedrock OpenAPI action-group event (Powertools' `POST /send-reminders`
//! sample, `fixtures/bedrock/`) answered by the same route on this library and as a Rust
//! user writes it without us: the event deserialized with serde_json into
//! `aws_lambda_events`' `AgentEvent`, a `match` on `apiPath` and `httpMethod`, the body's
//! properties looked up by name, and a hand-written answer struct serialized (the crate has
//! no type for the answer).

use std::collections::HashMap;

use aws_lambda_events::event::bedrock_agent_runtime::AgentEvent;
use lambda_router::App;
use lambda_router::extract::Json;
use serde::{Deserialize, Serialize};

/// The event: Powertools' `bedrockAgentPostEvent.json`.
pub const EVENT: &[u8] = include_bytes!("../../../fixtures/bedrock/bedrockAgentPostEvent.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reminders<'a> {
    claim_id: &'a str,
    pending_documents: &'a str,
}
lambda_router::rebind!(Reminders<'a>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent<'a> {
    claim_id: &'a str,
    sent_for: &'a str,
}

fn send_reminders(Json(reminders): Json<Reminders<'_>>) -> Json<Sent<'_>> {
    Json(Sent {
        claim_id: reminders.claim_id,
        sent_for: reminders.pending_documents,
    })
}

/// The route on this library.
pub fn ours() -> App {
    App::bedrock_agent()
        .post("/send-reminders", send_reminders)
        .build()
        .expect("the bench app builds")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AgentAnswer<'a> {
    message_version: &'static str,
    response: ApiResponse<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiResponse<'a> {
    action_group: &'a str,
    api_path: &'a str,
    http_method: &'a str,
    http_status_code: u16,
    response_body: HashMap<&'static str, HashMap<&'static str, String>>,
}

/// The same route written on `serde_json` and `aws_lambda_events` alone.
pub fn peer(event: &[u8]) -> Vec<u8> {
    let event: AgentEvent = serde_json::from_slice(event).expect("an agent event");
    let property = |name: &str| {
        event
            .request_body
            .as_ref()
            .and_then(|body| body.content.get("application/json"))
            .and_then(|content| content.properties.iter().find(|p| p.name == name))
            .map(|p| p.value.as_str())
    };
    let (status, body) = match (event.http_method.as_str(), event.api_path.as_str()) {
        ("POST", "/send-reminders") => match (property("claimId"), property("pendingDocuments")) {
            (Some(claim_id), Some(sent_for)) => (
                200,
                serde_json::to_string(&Sent { claim_id, sent_for }).expect("JSON"),
            ),
            _ => (422, r#"{"detail":"missing property"}"#.to_owned()),
        },
        _ => (404, r#"{"message":"Not found"}"#.to_owned()),
    };
    let answer = AgentAnswer {
        message_version: "1.0",
        response: ApiResponse {
            action_group: &event.action_group,
            api_path: &event.api_path,
            http_method: &event.http_method,
            http_status_code: status,
            response_body: HashMap::from([("application/json", HashMap::from([("body", body)]))]),
        },
    };
    serde_json::to_vec(&answer).expect("JSON")
}
