//! What a `Scratch` keeps between invocations is bounded: after a large event (a 6 MB body,
//! a 6 MB event of tiny values, a 6 MB JSON body read and echoed, a base64 body, a large
//! gzipped response) and then a typical one, the live heap is back within a few KiB of
//! what it was before, and events just under the size a buffer may keep hold at most the
//! bound `Scratch` documents. Every byte counts: a global allocator tracks live bytes.
//! Its own test binary, because it installs a global allocator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing;
use lambda_router::{App, Json, LambdaContext, Request, Response, Route, Scratch};
use serde_json::Value;

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static GLOBAL: heap::PeakBytes = heap::PeakBytes;

use heap::live;

const MIB: usize = 1024 * 1024;

/// Text that does not compress to nothing (a gzipped echo stays large).
fn noise(len: usize) -> String {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}

/// `[0,0,…]` of about `len` bytes: the most tape nodes per byte.
fn zeros(len: usize) -> String {
    format!("[{}0]", "0,".repeat(len / 2))
}

fn app() -> App {
    App::rest()
        .debug(false)
        // The 6 MB echoes grow the output buffer past Lambda's limit: what is measured here
        // is what the scratch keeps of it, not the answer the limit would give.
        .response_limit(usize::MAX)
        .post("/echo", |req: &Request<'_>| {
            Response::text(
                200,
                req.body_text()
                    .ok()
                    .flatten()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .add_route(
            Route::post("/zip", |req: &Request<'_>| {
                Response::text(
                    200,
                    req.body_text()
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .compress(true),
        )
        .post("/json", |req: &Request<'_>| req.json::<Vec<u8>>().map(Json))
        .post("/len", |req: &Request<'_>| {
            req.body().ok().flatten().map_or(0, <[u8]>::len).to_string()
        })
        .get("/", |req: &Request<'_>| {
            format!("{}", req.event().get("extra").map_or(0, |v| v.len()))
        })
        .build()
        .unwrap()
}

/// The typical events: one per route, so every buffer has met its usual use.
fn typical() -> Vec<Vec<u8>> {
    vec![
        testing::rest().post("/echo").body("hello").to_bytes(),
        testing::rest()
            .post("/zip")
            .header("Accept-Encoding", "gzip")
            .body(noise(2000))
            .to_bytes(),
        testing::rest().post("/json").body("[1,2,3]").to_bytes(),
        testing::rest().post("/len").binary(b"abc").to_bytes(),
        testing::rest().get("/").to_bytes(),
    ]
}

/// Events of about `size` bytes, each growing a different buffer of the scratch.
fn large(size: usize) -> Vec<(&'static str, Vec<u8>)> {
    let mut tiny_values = testing::rest().get("/").to_bytes();
    tiny_values.pop();
    tiny_values.extend_from_slice(format!(",\"extra\":{}}}", zeros(size)).as_bytes());
    vec![
        (
            "text body echoed",
            testing::rest().post("/echo").body(noise(size)).to_bytes(),
        ),
        ("event of tiny values", tiny_values),
        (
            "JSON body read and echoed",
            testing::rest().post("/json").body(zeros(size)).to_bytes(),
        ),
        (
            "base64 body",
            testing::rest()
                .post("/len")
                .binary(vec![7; size * 3 / 4])
                .to_bytes(),
        ),
        (
            "gzipped response",
            testing::rest()
                .post("/zip")
                .header("Accept-Encoding", "gzip")
                .body(noise(size))
                .to_bytes(),
        ),
    ]
}

fn answer(app: &App, scratch: &mut Scratch, event: &[u8]) {
    let out = app
        .handle_blocking(scratch, event, &LambdaContext::default())
        .unwrap();
    let status = serde_json::from_slice::<Value>(out).unwrap()["statusCode"].clone();
    assert_eq!(
        status,
        200,
        "{}",
        String::from_utf8_lossy(&out[..out.len().min(300)])
    );
}

/// Live bytes after warming `scratch` with the typical events.
fn warmed(app: &App, scratch: &mut Scratch, typical: &[Vec<u8>]) -> isize {
    for _ in 0..3 {
        for event in typical {
            answer(app, scratch, event);
        }
    }
    live()
}

#[test]
fn a_large_event_then_a_typical_one_leaves_the_heap_as_it_was() {
    let app = app();
    let typical = typical();
    let large = large(6 * MIB);
    let mut scratch = Scratch::new();
    let baseline = warmed(&app, &mut scratch, &typical);
    for (what, event) in &large {
        answer(&app, &mut scratch, event);
        let held = live() - baseline;
        assert!(
            held > 4 * MIB as isize,
            "{what}: only {held} bytes held after it"
        );
        for event in &typical {
            answer(&app, &mut scratch, event);
        }
        let held = live() - baseline;
        // The typical event's own tape and arena, where the large one replaced them.
        assert!(held < 64 * 1024, "{what}: {held} bytes still held");
    }
}

/// Events just under the size a buffer may keep: what stays is what `Scratch` documents.
#[test]
fn events_under_the_limit_hold_at_most_the_documented_bound() {
    let app = app();
    let typical = typical();
    // Made before the baseline and kept alive: only the scratch's bytes are counted.
    let keep = Scratch::KEEP_AT_MOST;
    let large: Vec<_> = [keep / 8, keep / 4 - 16 * 1024, keep / 2, keep - 64 * 1024]
        .into_iter()
        .flat_map(large)
        .collect();
    let mut scratch = Scratch::new();
    let baseline = warmed(&app, &mut scratch, &typical);
    let mut most = 0;
    for (what, event) in &large {
        answer(&app, &mut scratch, event);
        for event in &typical {
            answer(&app, &mut scratch, event);
        }
        let held = live() - baseline;
        eprintln!("{what}: {held} bytes held");
        most = most.max(held);
    }
    assert!(most <= 8 * MIB as isize, "{most} bytes held");
}
