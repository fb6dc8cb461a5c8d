//! A request whose body nothing reads costs about its size in heap, whatever the body holds:
//! the body is parsed only by a reader of it. Every source, multi-MB bodies of the shapes
//! that cost a JSON parser the most per byte (`[0,0,…]`, short strings, nested objects),
//! deep arrays, text and a base64 body, each sent to a route that ignores the body, to a
//! path with no route, or to a path the middleware refuses; a counting allocator takes the
//! heap peak of each `handle`, over the event's size.
//! Its own test binary, because it installs a global allocator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing::{self, EventBuilder, TestResponse};
use lambda_router::{App, LambdaContext, Next, Request, Response, Scratch, Source};

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static GLOBAL: heap::PeakBytes = heap::PeakBytes;

use heap::peak_of;

/// The most a request whose body nothing reads may hold, per byte of its event: the event's
/// copy (1x), simd-json's string buffer, as large as its input (1x), a base64 body's
/// decoded bytes in the arena (0.75x, in a chunk rounded up) and the small rest. A JSON
/// body parsed before routing held up to 36x (a tape node of 24 bytes per `0,`).
const MAX_PEAK_PER_EVENT_BYTE: f64 = 3.5;

const BODY: usize = 2 * 1024 * 1024;

/// A JSON array of `item`, about `len` bytes.
fn array_of(item: &str, len: usize) -> String {
    let items = len / (item.len() + 1);
    let mut body = String::with_capacity(len + 2);
    body.push('[');
    for i in 0..items {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push(']');
    body
}

/// Body shapes: (name, body, sent base64).
fn shapes() -> Vec<(&'static str, String, bool)> {
    vec![
        ("numbers", array_of("0", BODY), false),
        ("strings", array_of(r#""a""#, BODY), false),
        (
            "nested",
            array_of(r#"{"a":[{"b":[]}],"c":{}}"#, BODY),
            false,
        ),
        (
            "deep",
            format!("{}{}", "[".repeat(BODY / 2), "]".repeat(BODY / 2)),
            false,
        ),
        ("text", "a".repeat(BODY), false),
        ("base64 numbers", array_of("0", BODY), true),
    ]
}

/// Every source, and ALB's multi-value form: (name, app source, event builder).
fn sources() -> Vec<(&'static str, Source, EventBuilder)> {
    let one = |source: Source| (source.name(), source, testing::event_for(source));
    vec![
        one(Source::RestV1),
        one(Source::HttpV2),
        one(Source::Alb),
        ("alb multi-value", Source::Alb, testing::alb_multi_value()),
        one(Source::FunctionUrl),
        one(Source::VpcLattice),
        one(Source::VpcLatticeV2),
    ]
}

/// The app of `source`: a route that ignores the body, and a middleware that refuses
/// anything under `/guarded`.
fn app(source: Source) -> App {
    App::for_source(source)
        .response_limit(usize::MAX)
        .middleware(|req: &mut Request<'_>, next: Next<'_>| {
            if req.path().starts_with("/guarded") {
                return Ok(Response::text(401, "Unauthorized"));
            }
            next.run(req)
        })
        .post("/ignores", |req: &Request<'_>| {
            format!("{} headers", req.headers().iter().count())
        })
        .build()
        .unwrap()
}

#[test]
fn a_body_nothing_reads_costs_about_its_size() {
    let lambda = LambdaContext::default();
    let paths = [("/ignores", 200), ("/nowhere", 404), ("/guarded", 401)];
    let mut worst = (0.0, String::new());
    for (turn, (name, source, builder)) in sources().into_iter().enumerate() {
        let app = app(source);
        // Each shape to one of the three paths, a different one from source to source (a
        // debug build parses slowly).
        for (index, (shape, body, base64)) in shapes().into_iter().enumerate() {
            let (path, status) = paths[(index + turn) % paths.len()];
            let event = builder.clone().post(path);
            let event = if base64 {
                event.binary(body.as_bytes())
            } else {
                event.body(body.as_str())
            };
            let event = event.to_bytes();
            let mut scratch = Scratch::new();
            let (peak, answered) = peak_of(|| {
                app.handle_blocking(&mut scratch, &event, &lambda)
                    .map(|out| TestResponse::parse(out).map(|r| r.status()))
            });
            let what = format!("{name} {shape} {path}");
            assert_eq!(answered.unwrap().unwrap(), status, "{what}");
            let ratio = peak as f64 / event.len() as f64;
            assert!(
                ratio <= MAX_PEAK_PER_EVENT_BYTE,
                "{what}: heap peak {peak} bytes for a {} byte event ({ratio:.2}x)",
                event.len()
            );
            if ratio > worst.0 {
                worst = (ratio, what);
            }
        }
    }
    eprintln!(
        "worst heap peak per event byte: {:.2}x ({})",
        worst.0, worst.1
    );
}
