//! What a large request body costs in heap and time (`perf/RESULTS.md`, "Body cost").
//!
//! ```sh
//! cargo run --release -p lambda-router-perf --example body_cost            # both tables
//! cargo run --release -p lambda-router-perf --example body_cost refused    # the 401 alone
//! ```
//!
//! `refused`: a 5.9 MB REST event sent to a path with no route of an app whose only
//! middleware answers 401, per body shape; the peak heap of `App::handle` above what was
//! live before it (the event itself not counted), and its time.
//!
//! `read`: a body of 1 and 6 MB read inside a handler by `Request::json` (peak heap above
//! what was live when the handler started, and time), against `serde_json::from_slice` of
//! the same bytes into the same type, into `serde_json::Value` and into a typed value.
//!
//! Times are the best of five runs on one thread (the two sides of a comparison taking
//! turns); heap is counted by a global allocator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // measuring code: fail loudly

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lambda_router::{App, LambdaContext, Next, Request, Response, Scratch, testing};
use serde::Deserialize;
use serde_json::Value;

/// Counts the bytes live and the most live since the last `reset_peak`.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// A global allocator must be an `unsafe impl`.
#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are atomics, which neither allocate nor re-enter the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Starts a measurement: the bytes live now.
fn start() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// The peak since `start`, above what was live then.
fn peak_since(live: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(live)
}

/// A JSON array of `item` repeated to at least `size` bytes.
fn array_of(item: &str, size: usize) -> String {
    let mut body = String::with_capacity(size + item.len() + 2);
    body.push('[');
    while body.len() < size {
        if body.len() > 1 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push(']');
    body
}

const NESTED: &str =
    r#"{"id":12,"name":"ab","tags":["x","y"],"inner":{"x":1.5,"ok":true,"deep":{"n":null}}}"#;

/// The body shapes, `size` bytes each.
fn shapes(size: usize) -> Vec<(&'static str, String)> {
    vec![
        ("numbers [0,0,..]", array_of("0", size)),
        ("strings [\"ab\",..]", array_of(r#""ab""#, size)),
        ("nested objects", array_of(NESTED, size)),
        ("text", "a".repeat(size)),
    ]
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

const RUNS: usize = 5;

fn best_of_runs(mut run: impl FnMut() -> (usize, Duration)) -> (usize, Duration) {
    let mut best = run();
    for _ in 1..RUNS {
        let (peak, took) = run();
        best = (best.0.max(peak), best.1.min(took));
    }
    best
}

/// The 401 before routing: heap peak and time of `handle`, per shape.
fn refused() {
    let app = App::rest()
        .middleware(|_: &mut Request<'_>, _: Next<'_>| Ok(Response::text(401, "Unauthorized")))
        .build()
        .expect("an app with no routes builds");
    let lambda = LambdaContext::default();
    println!("| body (5.9 MB event) | status | heap peak | peak / event | time |");
    println!("|---|---|---|---|---|");
    for (name, body) in shapes(5_900_000 - 1_000) {
        let event = testing::rest().post("/nowhere").body(body).to_bytes();
        let mut status = 0;
        let (peak, took) = best_of_runs(|| {
            let mut scratch = Scratch::new();
            let live = start();
            let began = Instant::now();
            let out = app.handle_blocking(&mut scratch, &event, &lambda);
            let took = began.elapsed();
            let peak = peak_since(live);
            status = out.map_or(0, |out| {
                testing::TestResponse::parse(out).map_or(0, |r| r.status())
            });
            (peak, took)
        });
        println!(
            "| {name} | {status} | {:.1} MB | {:.2}x | {:.1} ms |",
            mb(peak),
            peak as f64 / event.len() as f64,
            took.as_secs_f64() * 1e3
        );
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Item<'a> {
    id: u64,
    name: &'a str,
    #[serde(borrow)]
    tags: Vec<&'a str>,
    inner: Inner,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Inner {
    x: f64,
    ok: bool,
    deep: Deep,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Deep {
    n: Option<u8>,
}

/// What the handler of `/read` measured.
static MEASURED: Mutex<Option<(usize, Duration, bool)>> = Mutex::new(None);

/// Measures `read` (what it read is dropped after the clock stops, as in `direct`).
fn measure_read<T, E>(read: impl FnOnce() -> Result<T, E>) -> Response {
    let live = start();
    let began = Instant::now();
    let read = read();
    let took = began.elapsed();
    let peak = peak_since(live);
    let ok = read.is_ok();
    drop(read);
    if let Ok(mut measured) = MEASURED.lock() {
        *measured = Some((peak, took, ok));
    }
    Response::text(200, "read")
}

fn direct<T: for<'a> Deserialize<'a>>(body: &[u8]) -> (usize, Duration, bool) {
    let live = start();
    let began = Instant::now();
    let read = serde_json::from_slice::<T>(body);
    let took = began.elapsed();
    let peak = peak_since(live);
    let ok = read.is_ok();
    drop(read);
    (peak, took, ok)
}

fn direct_borrowed<'a, T: Deserialize<'a>>(body: &'a [u8]) -> (usize, Duration, bool) {
    let live = start();
    let began = Instant::now();
    let read = serde_json::from_slice::<T>(body);
    let took = began.elapsed();
    let peak = peak_since(live);
    let ok = read.is_ok();
    drop(read);
    (peak, took, ok)
}

fn read_table() {
    let app = App::rest()
        .post("/value", |req: &Request<'_>| {
            measure_read(|| req.json::<Value>())
        })
        .post("/numbers", |req: &Request<'_>| {
            measure_read(|| req.json::<Vec<u64>>())
        })
        .post("/strings", |req: &Request<'_>| {
            measure_read(|| req.json::<Vec<&str>>())
        })
        .post("/nested", |req: &Request<'_>| {
            measure_read(|| req.json::<Vec<Item<'_>>>())
        })
        .build()
        .expect("the measuring app builds");
    let lambda = LambdaContext::default();
    println!(
        "| body | into | Request::json heap | serde_json::from_slice heap | Request::json time | from_slice time |"
    );
    println!("|---|---|---|---|---|---|");
    for size in [1_000_000, 6_000_000] {
        for (name, body) in shapes(size).into_iter().take(3) {
            let typed = match name.split(' ').next() {
                Some("numbers") => ("/numbers", "Vec<u64>"),
                Some("strings") => ("/strings", "Vec<&str>"),
                _ => ("/nested", "Vec<Item<'_>>"),
            };
            for (path, into) in [("/value", "Value"), typed] {
                let event = testing::rest().post(path).body(body.as_str()).to_bytes();
                let mut scratch = Scratch::new();
                let bytes = body.as_bytes();
                let mut ours = (0, Duration::MAX, true);
                let mut theirs = (0, Duration::MAX, true);
                for _ in 0..RUNS {
                    let out = app.handle_blocking(&mut scratch, &event, &lambda);
                    assert!(out.is_ok(), "{name} into {into}");
                    let measured = MEASURED.lock().ok().and_then(|mut m| m.take());
                    let (peak, took, ok) = measured.expect("the handler ran");
                    ours = (ours.0.max(peak), ours.1.min(took), ours.2 && ok);
                    let (peak, took, ok) = match path {
                        "/value" => direct::<Value>(bytes),
                        "/numbers" => direct::<Vec<u64>>(bytes),
                        "/strings" => direct_borrowed::<Vec<&str>>(bytes),
                        _ => direct_borrowed::<Vec<Item<'_>>>(bytes),
                    };
                    theirs = (theirs.0.max(peak), theirs.1.min(took), theirs.2 && ok);
                }
                assert!(ours.2 && theirs.2, "{name} into {into}: both read it");
                println!(
                    "| {:.0} MB {name} | `{into}` | {:.1} MB | {:.1} MB | {:.1} ms | {:.1} ms |",
                    mb(size),
                    mb(ours.0),
                    mb(theirs.0),
                    ours.1.as_secs_f64() * 1e3,
                    theirs.1.as_secs_f64() * 1e3,
                );
            }
        }
    }
}

fn main() {
    let which = std::env::args().nth(1);
    if which.as_deref() != Some("read") {
        refused();
    }
    if which.as_deref() != Some("refused") {
        println!();
        read_table();
    }
}
