//! The work of a 422 is bounded too: a body of 370,000 invalid items, each refused by a
//! garde constraint, costs the parse, the items and garde's own report, and no more than
//! `MAX_ERRORS` of the library's errors and one small answer (not 370,000 errors rendered
//! and then refused as too large). A global allocator tracks the heap's peak.
//! Its own test binary, because it installs a global allocator.
//!
//! `cargo test --release --test validation_heap -- --nocapture` prints the figures
//! recorded in `perf/RESULTS.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Instant;

use lambda_router::extract::{Json, Valid, ValidationError};
use lambda_router::testing;
use lambda_router::{App, LambdaContext, Scratch};
use serde::Deserialize;
use serde_json::Value;

/// Tracks the bytes the current thread holds and the most it held.
struct PeakBytes;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get().wrapping_add_unsigned(bytes));
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn sub(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().wrapping_sub_unsigned(bytes)));
}

// The one `unsafe` of this test: a global allocator must be an `unsafe impl`.
#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are const-initialised thread-local `Cell`s without `Drop`, so touching them
// cannot allocate or re-enter the allocator. Sizes are counted only for calls that
// succeeded.
unsafe impl GlobalAlloc for PeakBytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            sub(layout.size());
            add(new_size);
        }
        moved
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }
}

#[global_allocator]
static GLOBAL: PeakBytes = PeakBytes;

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
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let report = garde::Validate::validate(&items).unwrap_err();
    let peak = PEAK.with(Cell::get) - before;
    drop(report);
    peak
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
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let started = Instant::now();
    let answer = app
        .handle_blocking(&mut scratch, &event, &LambdaContext::default())
        .unwrap()
        .to_vec();
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let peak = PEAK.with(Cell::get) - before;
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
