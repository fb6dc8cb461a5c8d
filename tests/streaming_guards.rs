//! A streamed body is an answer still being produced after the handler returned: the
//! deadline guard covers it, and a writer that dies in a panic ends it with an error, in
//! both delivery modes and on every source. In buffered mode (every source; the only mode of
//! HTTP API, ALB and VPC Lattice) a body still running at the guard is a logged 504 and a
//! panicked writer a logged 500; in streaming mode (REST API, Function URL) both end the
//! body with an error (the transport's error trailers), after the chunks sent before.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;
#[path = "support/streamed.rs"]
mod streamed;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_core::Stream;
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{
    App, BodyWriter, BoxError, Cors, LambdaContext, Request, Response, Route, Source,
};
use logs::Logs;
use serde_json::{Value, json};
use streamed::{Sent, buffered_within, stream_within};
use tracing::instrument::WithSubscriber;

const ORIGIN: &str = "https://a.example";
const MARGIN: Duration = Duration::from_millis(100);
/// The deadline of every guarded call: the guard fires 200 ms after the call starts.
const DEADLINE: Duration = Duration::from_millis(300);
/// Longer than any answer may take here (a panic's backtrace, printed before the writer is
/// dropped, may take a second to symbolize): a call still running then has hung.
const HUNG: Duration = Duration::from_secs(20);

/// Yields `items`, then stays pending for ever (never woken): a stalled producer.
struct Stall(std::slice::Iter<'static, &'static str>);

impl Stream for Stall {
    type Item = Result<&'static str, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.0.next() {
            Some(item) => Poll::Ready(Some(Ok(*item))),
            None => Poll::Pending,
        }
    }
}

fn stalled_after(items: &'static [&'static str]) -> Response {
    Response::stream(200, Stall(items.iter())).content_type("text/plain")
}

/// A writer that sends one chunk, then waits far past the deadline.
fn slow_writer() -> Response {
    Response::streaming(200, |mut body: BodyWriter| async move {
        body.send("first\n").await?;
        tokio::time::sleep(Duration::from_secs(60)).await;
        body.send("never\n").await?;
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
}

/// Sends `before` (if any) from a task of its own, then panics there.
fn spawned_panic(before: Option<&'static str>) -> Response {
    Response::streaming(200, move |mut body: BodyWriter| async move {
        tokio::spawn(async move {
            if let Some(chunk) = before {
                body.send(chunk).await.unwrap();
            }
            panic!("the writer task failed");
        });
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
}

/// Sends one chunk from a thread of its own, then panics there.
fn thread_panic() -> Response {
    Response::streaming(200, |mut body: BodyWriter| async move {
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            runtime.block_on(body.send("first\n")).unwrap();
            panic!("the writer thread failed");
        });
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
}

/// A writer moved into a task that finishes: the body is complete (no error).
fn spawned_writer() -> Response {
    Response::streaming(200, |mut body: BodyWriter| async move {
        tokio::spawn(async move {
            body.send("first\n").await.unwrap();
            body.send("second\n").await.unwrap();
        });
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
}

async fn late_stall(_: &Request<'_>) -> Response {
    // Most of the time to the guard spent in the handler: the body gets only the rest.
    tokio::time::sleep(Duration::from_millis(150)).await;
    stalled_after(&["first\n"])
}

fn app_for(source: Source) -> App {
    App::for_source(source)
        .debug(false)
        .cors(Cors::new().allow_origin(ORIGIN))
        .deadline_guard(MARGIN)
        // Sync handlers: a handler the guard cannot cut still has its body guarded.
        .get("/stall/none", |_: &Request<'_>| stalled_after(&[]))
        .get("/stall/first", |_: &Request<'_>| {
            stalled_after(&["first\n"])
        })
        .get("/stall/writer", |_: &Request<'_>| slow_writer())
        .get("/stall/late", late_stall)
        .add_route(
            Route::get("/stall/unguarded", |_: &Request<'_>| {
                Response::streaming(200, |mut body: BodyWriter| async move {
                    tokio::time::sleep(Duration::from_millis(350)).await;
                    body.send("late but whole\n").await?;
                    Ok::<_, BoxError>(())
                })
            })
            .deadline_guard(None),
        )
        .get("/in-time", |_: &Request<'_>| {
            Response::streaming(200, |mut body: BodyWriter| async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                body.send("in time\n").await?;
                Ok::<_, BoxError>(())
            })
        })
        .get("/panic/task", |_: &Request<'_>| {
            spawned_panic(Some("first\n"))
        })
        .get("/panic/task-before-any", |_: &Request<'_>| {
            spawned_panic(None)
        })
        .get("/panic/thread", |_: &Request<'_>| thread_panic())
        .get("/spawned", |_: &Request<'_>| spawned_writer())
        .build()
        .unwrap()
}

/// A context whose deadline is [`DEADLINE`] from now.
fn deadline_soon() -> LambdaContext {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let mut lambda = LambdaContext::default();
    lambda.deadline_ms = u64::try_from((now + DEADLINE).as_millis()).unwrap();
    lambda
}

fn event(source: Source, path: &str) -> EventBuilder {
    testing::event_for(source)
        .get(path)
        .header("Origin", ORIGIN)
}

/// `path` answered in buffered mode with the deadline `lambda` gives: the envelope, the logs
/// and how long it took; a call still running after [`HUNG`] fails the test (without the
/// guard a stall never ends).
async fn buffered_call(
    app: &App,
    source: Source,
    path: &str,
    lambda: &LambdaContext,
) -> (Value, String, Duration) {
    let logs = Logs::default();
    let started = Instant::now();
    let call = buffered_within(app, event(source, path), lambda);
    let envelope = tokio::time::timeout(HUNG, call.with_subscriber(logs.clone()))
        .await
        .unwrap_or_else(|_| panic!("{source:?} {path}: still running after {HUNG:?}"));
    (envelope, logs.text(), started.elapsed())
}

/// `path` answered in streaming mode, its body driven to the end (or its error).
async fn streamed_call(
    app: &App,
    source: Source,
    path: &str,
    lambda: &LambdaContext,
) -> (Sent, String, Duration) {
    let logs = Logs::default();
    let started = Instant::now();
    let call = stream_within(app, event(source, path), lambda);
    let sent = tokio::time::timeout(HUNG, call.with_subscriber(logs.clone()))
        .await
        .unwrap_or_else(|_| panic!("{source:?} {path}: still running after {HUNG:?}"));
    (sent, logs.text(), started.elapsed())
}

fn body_json(envelope: &Value) -> Value {
    serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap()
}

fn header<'e>(envelope: &'e Value, name: &str) -> Option<&'e str> {
    for block in ["headers", "multiValueHeaders"] {
        if let Some(map) = envelope[block].as_object() {
            for (key, value) in map {
                if key.eq_ignore_ascii_case(name) {
                    return value.as_str().or_else(|| value[0].as_str());
                }
            }
        }
    }
    None
}

const STALLS: [&str; 4] = [
    "/stall/none",
    "/stall/first",
    "/stall/writer",
    "/stall/late",
];

#[tokio::test]
async fn buffered_a_body_still_produced_at_the_guard_is_a_logged_504_on_every_source() {
    for source in Source::all() {
        let app = app_for(source);
        for path in STALLS {
            let (envelope, logs, took) = buffered_call(&app, source, path, &deadline_soon()).await;
            let what = format!("{source:?} {path}");
            assert_eq!(envelope["statusCode"], 504, "{what}: {envelope}");
            assert_eq!(
                body_json(&envelope),
                json!({"statusCode": 504, "message": "Gateway Timeout"}),
                "{what}"
            );
            assert_eq!(
                header(&envelope, "access-control-allow-origin"),
                Some(ORIGIN)
            );
            assert!(
                logs.contains("streamed body still being produced at the deadline guard"),
                "{what}: {logs}"
            );
            assert!(
                logs.contains(&format!("route=GET {path}")),
                "{what}: {logs}"
            );
            assert!(logs.contains("margin_ms=100"), "{what}: {logs}");
            // Cut at the guard (200 ms), the handler's own time included.
            assert!(took >= Duration::from_millis(150), "{what}: {took:?}");
            assert!(took < Duration::from_millis(1000), "{what}: {took:?}");
        }
    }
}

#[tokio::test]
async fn streamed_a_body_still_produced_at_the_guard_ends_with_an_error() {
    for source in Source::all().filter(|s| s.supports_streaming()) {
        let app = app_for(source);
        for path in STALLS {
            let (sent, logs, took) = streamed_call(&app, source, path, &deadline_soon()).await;
            let what = format!("{source:?} {path}");
            assert_eq!(
                sent.prelude["statusCode"], 200,
                "{what}: the status went first"
            );
            let expected: &[u8] = if path == "/stall/none" {
                b""
            } else {
                b"first\n"
            };
            assert_eq!(sent.body, expected, "{what}");
            let error = sent
                .error
                .as_deref()
                .unwrap_or_else(|| panic!("{what}: no error"));
            assert!(error.contains("deadline guard"), "{what}: {error}");
            assert!(
                logs.contains("streamed body still being produced at the deadline guard"),
                "{what}: {logs}"
            );
            assert!(
                logs.contains(&format!("route=GET {path}")),
                "{what}: {logs}"
            );
            assert!(took >= Duration::from_millis(150), "{what}: {took:?}");
            assert!(took < Duration::from_millis(1000), "{what}: {took:?}");
        }
    }
}

#[tokio::test]
async fn a_body_that_ends_in_time_or_a_route_without_the_guard_is_never_cut() {
    for source in Source::all() {
        let app = app_for(source);
        for (path, body) in [
            ("/in-time", "in time\n"),
            ("/stall/unguarded", "late but whole\n"),
        ] {
            let (envelope, logs, _) = buffered_call(&app, source, path, &deadline_soon()).await;
            assert_eq!(envelope["statusCode"], 200, "{source:?} {path}: {envelope}");
            assert_eq!(envelope["body"], body, "{source:?} {path}");
            assert!(!logs.contains("deadline"), "{source:?} {path}: {logs}");
            if source.supports_streaming() {
                let (sent, logs, _) = streamed_call(&app, source, path, &deadline_soon()).await;
                assert_eq!(sent.body, body.as_bytes(), "{source:?} {path}");
                assert!(sent.error.is_none(), "{source:?} {path}");
                assert!(!logs.contains("deadline"), "{source:?} {path}: {logs}");
            }
        }
    }
}

const PANICS: [(&str, &[u8]); 3] = [
    ("/panic/task", b"first\n"),
    ("/panic/task-before-any", b""),
    ("/panic/thread", b"first\n"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffered_a_writer_dropped_by_a_panic_is_a_logged_500_on_every_source() {
    // No deadline: the panic hook's backtrace may outlast a short one.
    let no_deadline = LambdaContext::default();
    for source in Source::all() {
        let app = app_for(source);
        for (path, _) in PANICS {
            let (envelope, logs, _) = buffered_call(&app, source, path, &no_deadline).await;
            let what = format!("{source:?} {path}");
            assert_eq!(envelope["statusCode"], 500, "{what}: {envelope}");
            assert_eq!(
                body_json(&envelope),
                json!({"statusCode": 500, "message": "Internal Server Error"}),
                "{what}"
            );
            assert!(logs.contains("dropped by a panic"), "{what}: {logs}");
        }
        // A writer whose task ends normally still makes a whole body.
        let (envelope, _, _) = buffered_call(&app, source, "/spawned", &no_deadline).await;
        assert_eq!(envelope["statusCode"], 200, "{source:?}");
        assert_eq!(envelope["body"], "first\nsecond\n", "{source:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_a_writer_dropped_by_a_panic_ends_the_body_with_an_error() {
    let no_deadline = LambdaContext::default();
    for source in Source::all().filter(|s| s.supports_streaming()) {
        let app = app_for(source);
        for (path, before) in PANICS {
            let (sent, logs, _) = streamed_call(&app, source, path, &no_deadline).await;
            let what = format!("{source:?} {path}");
            assert_eq!(sent.prelude["statusCode"], 200, "{what}");
            assert_eq!(sent.body, before, "{what}");
            let error = sent
                .error
                .as_deref()
                .unwrap_or_else(|| panic!("{what}: no error"));
            assert!(error.contains("dropped by a panic"), "{what}: {error}");
            assert!(
                logs.contains(&format!("route=GET {path}")),
                "{what}: {logs}"
            );
        }
        let (sent, _, _) = streamed_call(&app, source, "/spawned", &no_deadline).await;
        assert_eq!(sent.body, b"first\nsecond\n", "{source:?}");
        assert!(sent.error.is_none(), "{source:?}");
    }
}
