//! The work of a 422 is bounded too: a body of 370,000 invalid items, each refused by a
//! garde constraint, costs the parse, the items and garde's own report, and no more than
//! `MAX_ERRORS` of the library's errors and one small answer (not 370,000 errors rendered
//! and then refused as too large). A global allocator tracks the heap's peak.
//! Its own test binary, because it installs a global allocator.
//!
//! `cargo test --release --test validation_heap -- --nocapture` prints the figures
//! recorded in `perf/RESULTS.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::time::Instant;

use lambda_router::extract::{Json, Valid, ValidationError};
use lambda_router::testing;
use lambda_router::{App, LambdaContext, Scratch};
use serde::Deserialize;
use serde_json::Value;

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static GLOBAL: heap::PeakBytes = heap::PeakBytes;

#[derive(Deserialize, garde::Validate)]
struct Items {
    #[garde(dive)]
    items: Vec<Item>,
}

#[derive(Deserialize, garde::Validate)]
struct Item {
    #[garde(range(min = 1))]
    n: u32,
}

lambda_router::rebind!(Items, Item);

const MIB: f64 = 1024.0 * 1024.0;

/// What garde's report of `count` refused items holds at most, per item: its path
/// (`items`, the index, `n`) and its message, measured on its own in this binary.
fn garde_report_peak(count: usize) -> isize {
    let items = Items {
        items: (0..count).map(|_| Item { n: 0 }).collect(),
    };
    let (peak, report) = heap::peak_of(|| garde::Validate::validate(&items).unwrap_err());
    drop(report);
    peak as isize
}

/// The heap peak and time of answering `count` items of value `n`, and the answer.
fn answer(app: &App, count: usize, n: u32) -> (isize, f64, f64, Value) {
    let items: Vec<Value> = (0..count).map(|_| serde_json::json!({ "n": n })).collect();
    let event = testing::function_url()
        .post("/items")
        .json(&serde_json::json!({ "items": items }))
        .to_bytes();
    drop(items);
    let mut scratch = Scratch::new();
    let started = Instant::now();
    let (peak, answer) = heap::peak_of(|| {
        app.handle_blocking(&mut scratch, &event, &LambdaContext::default())
            .unwrap()
            .to_vec()
    });
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let peak = peak as isize;
    let answer = serde_json::from_slice(&answer).unwrap();
    (peak, elapsed, event.len() as f64 / MIB, answer)
}

#[test]
fn refusing_370k_items_costs_garde_s_report_not_370k_rendered_errors() {
    let count = 370_000;
    let app = App::function_url()
        .post("/items", |Valid(Json(items)): Valid<Json<Items>>| {
            items.items.len().to_string()
        })
        .debug(false)
        .build()
        .unwrap();
    let report_peak = garde_report_peak(count);
    let (accepted_peak, accepted_ms, _, accepted) = answer(&app, count, 1);
    assert_eq!(accepted["statusCode"], 200);
    let (peak, elapsed, event_mib, refused) = answer(&app, count, 0);
    let body = refused["body"].as_str().unwrap_or_default();
    println!(
        "{count} items, event {event_mib:.1} MiB: accepted: heap peak {:.1} MiB, {accepted_ms:.0} ms; \
         refused: {} (body {} bytes), heap peak {:.1} MiB, {elapsed:.0} ms; \
         garde's report alone: {:.1} MiB",
        accepted_peak as f64 / MIB,
        refused["statusCode"],
        body.len(),
        peak as f64 / MIB,
        report_peak as f64 / MIB,
    );
    assert_eq!(refused["statusCode"], 422, "{body:.300}");
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body["detail"].as_array().unwrap().len(),
        ValidationError::MAX_ERRORS
    );
    assert_eq!(body["omitted"], count - ValidationError::MAX_ERRORS);
    // Refusing costs what accepting costs, plus garde's report and a bounded rest.
    let beyond = peak - accepted_peak - report_peak;
    assert!(
        beyond < 1024 * 1024,
        "{:.1} MiB beyond accepting and garde's report",
        beyond as f64 / MIB
    );
}
