//! Route lookup alone: the trie vs matchit 0.9 on matchit's own ~130 GitHub-API routes, over
//! a mix of paths (literal routes, one and several parameters, misses). And `App::build()`
//! for 10, 130 and 1000 routes: the cold-start cost of compiling them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly
#![allow(clippy::useless_concat)] // matchit's route list, kept verbatim

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lambda_router::{App, Request};
use lambda_router_perf::github::{self, lookup, route_table};
use lambda_router_perf::routes;

/// Every route of the set filled in (hits: literal, one, two… params) plus misses.
fn lookup_paths() -> Vec<&'static str> {
    let mut paths = routes!(literal).to_vec();
    paths.extend([
        "/repos/p1",
        "/users/p1/nothing",
        "/nope",
        "/authorizations/p1/extra",
        "/user/keys",
    ]);
    paths
}

fn route_lookup(c: &mut Criterion) {
    let ours = route_table(&routes!(angle)).expect("routes compile");
    let mut matchit = matchit::Router::new();
    for route in routes!(brackets) {
        matchit.insert(route, true).expect("routes compile");
    }
    let paths = lookup_paths();
    for path in &paths {
        assert_eq!(
            lookup(&ours, path).is_some(),
            matchit.at(path).is_ok(),
            "{path}: the routers disagree"
        );
    }
    let mut group = c.benchmark_group("route_lookup");
    group.bench_function("lambda_router", |b| {
        b.iter(|| {
            let mut found = 0;
            for path in black_box(&paths) {
                found += lookup(&ours, path).map_or(0, |(_, params)| params + 1);
            }
            found
        })
    });
    group.bench_function("matchit", |b| {
        b.iter(|| {
            let mut found = 0;
            for path in black_box(&paths) {
                found += matchit.at(path).map_or(0, |m| m.params.len() + 1);
            }
            found
        })
    });
    group.finish();
}

fn hello(_: &Request<'_>) -> &'static str {
    "hello"
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    for count in [10, 130, 1000] {
        let rules = github::build_rules(count);
        // The app is dropped outside the timing: a cold start builds, it never drops.
        group.bench_with_input(BenchmarkId::from_parameter(count), &rules, |b, rules| {
            b.iter_with_large_drop(|| {
                let app = rules
                    .iter()
                    .fold(App::http_api(), |app, rule| app.get(rule.as_str(), hello));
                app.build().expect("routes compile")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, route_lookup, build);
criterion_main!(benches);
