//! Both sides of the Bedrock function-details comparison give the agent the same answer,
//! and the peer could not have used `aws_lambda_events`' own event type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aws_lambda_events::event::bedrock_agent_runtime::AgentEvent;
use lambda_router::{LambdaContext, Scratch};
use lambda_router_perf::bedrock_function::{EVENT, ours, peer};
use serde_json::Value;

#[test]
fn both_sides_answer_the_function_event_alike() {
    let mut scratch = Scratch::new();
    let ours: Value = serde_json::from_slice(
        ours()
            .handle_blocking(&mut scratch, EVENT, &LambdaContext::default())
            .unwrap(),
    )
    .unwrap();
    let theirs: Value = serde_json::from_slice(&peer(EVENT)).unwrap();
    assert_eq!(ours, theirs);
    let body = &ours["response"]["functionResponse"]["responseBody"]["TEXT"]["body"];
    assert_eq!(body, r#"["2024-03-15","2024-03-20"]"#);
    assert_eq!(ours["response"]["function"], "submitVacationRequest");
    assert_eq!(ours["sessionAttributes"]["employeeId"], "EMP123");
    assert_eq!(ours["promptSessionAttributes"]["requestType"], "vacation");
}

#[test]
fn aws_lambda_events_agent_event_refuses_a_function_event() {
    let error = serde_json::from_slice::<AgentEvent>(EVENT)
        .expect_err("AgentEvent reads an OpenAPI action group's event only");
    assert!(error.to_string().contains("apiPath"), "{error}");
}
