//! Both sides of the Bedrock OpenAPI action-group comparison give the agent the same answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::{LambdaContext, Scratch};
use lambda_router_perf::bedrock_agent::{EVENT, ours, peer};
use serde_json::Value;

#[test]
fn both_sides_answer_the_agent_event_alike() {
    let mut scratch = Scratch::new();
    let ours: Value = serde_json::from_slice(
        ours()
            .handle_blocking(&mut scratch, EVENT, &LambdaContext::default())
            .unwrap(),
    )
    .unwrap();
    let theirs: Value = serde_json::from_slice(&peer(EVENT)).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours["response"]["httpStatusCode"], 200);
    let body = &ours["response"]["responseBody"]["application/json"]["body"];
    assert_eq!(
        body,
        r#"{"claimId":"20","sentFor":"social number and vat"}"#
    );
}
