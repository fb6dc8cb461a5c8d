//! Both sides of every comparison do the same work: on each bench event (and the Lattice V2
//! one) lambda-router and the lambda_http + axum peer answer 200 with the same JSON body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::{LambdaContext, Scratch};
use lambda_router_perf::{events, ours, peer};
use serde_json::Value;

fn status_and_body(response: &[u8]) -> (Value, Value) {
    let response: Value = serde_json::from_slice(response).unwrap();
    let body = response["body"].as_str().unwrap_or("null");
    (
        response["statusCode"].clone(),
        serde_json::from_str(body).unwrap(),
    )
}

#[test]
fn both_sides_answer_every_event_alike() {
    let mut peer = peer::Peer::new();
    let lattice_v2 = events::lattice()
        .into_iter()
        .filter(|e| e.name == "lattice_v2_get_todo");
    for event in events::all().into_iter().chain(lattice_v2) {
        let ours = ours::app(event.source)
            .handle_blocking(&mut Scratch::new(), &event.bytes, &LambdaContext::default())
            .unwrap()
            .to_vec();
        let (our_status, our_body) = status_and_body(&ours);
        let (peer_status, peer_body) = status_and_body(&peer.invoke(&event.bytes));
        assert!(
            our_status == 200 || our_status == 201,
            "{}: {our_status}",
            event.name
        );
        assert_eq!(
            (our_status, our_body),
            (peer_status, peer_body),
            "{}",
            event.name
        );
    }
}
