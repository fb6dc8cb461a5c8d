//! Gzip of a 10 KB JSON body: libdeflate (what responses use) vs flate2 (miniz), both at
//! level 6. Sizes are printed so the ratio can be compared.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambda_router::bench_support::Gzip;
use lambda_router_perf::gzip_body::{body, flate2_gzip};

fn gzip(c: &mut Criterion) {
    let body = body();
    let mut ours = Gzip::default();
    let mut out = Vec::new();
    ours.compress(&body, &mut out);
    let theirs = flate2_gzip(&body);
    eprintln!(
        "gzip of {} bytes: libdeflate {} bytes, flate2 {} bytes",
        body.len(),
        out.len(),
        theirs.len()
    );

    let mut group = c.benchmark_group("gzip_10k_json");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("libdeflater", |b| {
        b.iter(|| {
            ours.compress(black_box(&body), &mut out);
            out.len()
        })
    });
    group.bench_function("flate2", |b| b.iter(|| flate2_gzip(black_box(&body)).len()));
    group.finish();
}

criterion_group!(benches, gzip);
criterion_main!(benches);
