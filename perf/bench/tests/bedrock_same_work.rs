//! Both sides of each Bedrock comparison (`perf/callgrind.sh`'s `bedrock_agent` and
//! `bedrock_function`) give the agent the same answer, and the function peer could not have
//! used `aws_lambda_events`' own event type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aws_lambda_events::event::bedrock_agent_runtime::AgentEvent;
use lambda_router::{App, LambdaContext, Scratch};
use lambda_router_perf::{bedrock_agent, bedrock_function};
use serde_json::Value;

/// This library's answer and the peer's to `event`, both checked equal.
fn same_answer(event: &[u8], ours: fn() -> App, peer: fn(&[u8]) -> Vec<u8>) -> Value {
    let mut scratch = Scratch::new();
    let ours: Value = serde_json::from_slice(
        ours()
            .handle_blocking(&mut scratch, event, &LambdaContext::default())
            .unwrap(),
    )
    .unwrap();
    let theirs: Value = serde_json::from_slice(&peer(event)).unwrap();
    assert_eq!(ours, theirs);
    ours
}

#[test]
fn both_sides_answer_the_agent_event_alike() {
    let answer = same_answer(
        bedrock_agent::EVENT,
        bedrock_agent::ours,
        bedrock_agent::peer,
    );
    assert_eq!(answer["response"]["httpStatusCode"], 200);
    let body = &answer["response"]["responseBody"]["application/json"]["body"];
    assert_eq!(
        body,
        r#"{"claimId":"20","sentFor":"social number and vat"}"#
    );
}

#[test]
fn both_sides_answer_the_function_event_alike() {
    let answer = same_answer(
        bedrock_function::EVENT,
        bedrock_function::ours,
        bedrock_function::peer,
    );
    let body = &answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"];
    assert_eq!(body, r#"["2024-03-15","2024-03-20"]"#);
    assert_eq!(answer["response"]["function"], "submitVacationRequest");
    assert_eq!(answer["sessionAttributes"]["employeeId"], "EMP123");
    assert_eq!(answer["promptSessionAttributes"]["requestType"], "vacation");
}

#[test]
fn aws_lambda_events_agent_event_refuses_a_function_event() {
    let error = serde_json::from_slice::<AgentEvent>(bedrock_function::EVENT)
        .expect_err("AgentEvent reads an OpenAPI action group's event only");
    assert!(error.to_string().contains("apiPath"), "{error}");
}
