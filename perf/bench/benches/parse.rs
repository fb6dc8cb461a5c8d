//! Reading an event: this library's views per source (copy + tape + views, as `App::handle`
//! does) vs simd-json's own tape parse of the same bytes (the floor: one pass over the event).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambda_router::Scratch;
use lambda_router::bench_support::parse_event;
use lambda_router_perf::events;

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let mut scratch = Scratch::new();
    for event in events::all() {
        group.throughput(Throughput::Bytes(event.bytes.len() as u64));
        group.bench_function(format!("lambda_router_views/{}", event.name), |b| {
            b.iter(|| {
                parse_event(&mut scratch, event.source, black_box(&event.bytes)).expect("valid")
            })
        });
        let mut copy = event.bytes.clone();
        group.bench_function(format!("simd_json_tape/{}", event.name), |b| {
            b.iter(|| {
                copy.copy_from_slice(&event.bytes);
                simd_json::to_tape(black_box(&mut copy))
                    .map(|t| t.0.len())
                    .expect("valid")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
