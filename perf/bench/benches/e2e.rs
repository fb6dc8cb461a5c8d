//! End to end, one invocation: raw event bytes in, response JSON bytes out — this library
//! vs lambda_http + axum, in one criterion group, on the five bench events.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambda_router::{LambdaContext, Scratch};
use lambda_router_perf::{events, ours, peer};

/// Both sides must give the same status and body, or the comparison means nothing.
fn assert_same_answer(ours: &[u8], peer: &[u8], event: &str) {
    let ours: serde_json::Value = serde_json::from_slice(ours).expect("ours is JSON");
    let peer: serde_json::Value = serde_json::from_slice(peer).expect("peer is JSON");
    assert_eq!(ours["statusCode"], peer["statusCode"], "{event}");
    let body = |v: &serde_json::Value| {
        serde_json::from_str::<serde_json::Value>(v["body"].as_str().unwrap_or("null")).ok()
    };
    assert_eq!(body(&ours), body(&peer), "{event}");
}

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("end_to_end");
    let lambda = LambdaContext::default();
    let mut peer = peer::Peer::new();
    for event in events::all() {
        let app = ours::app(event.source);
        let mut scratch = Scratch::new();
        let ours = app
            .handle_blocking(&mut scratch, &event.bytes, &lambda)
            .expect("valid event")
            .to_vec();
        assert_same_answer(&ours, &peer.invoke(&event.bytes), event.name);

        group.throughput(Throughput::Bytes(event.bytes.len() as u64));
        group.bench_function(format!("lambda_router/{}", event.name), |b| {
            b.iter(|| {
                app.handle_blocking(&mut scratch, black_box(&event.bytes), &lambda)
                    .map(<[u8]>::len)
            })
        });
        group.bench_function(format!("lambda_http_axum/{}", event.name), |b| {
            b.iter(|| peer.invoke(black_box(&event.bytes)).len())
        });
    }
    group.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
