//! The streamed-body guards through `lambda_router::run` under our Runtime API emulator
//! (`tests/emulator_rapid.py`): in streamed delivery a body still being produced at the
//! deadline guard, or whose writer was dropped by a panic, ends with the error trailers
//! after the chunks sent before; in buffered delivery the same routes answer 504 and 500.
//! The function is this test binary run again as a child (`CHILD` names the delivery).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "runtime")]

#[path = "support/rapid.rs"]
mod rapid;

use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use lambda_router::{App, BodyWriter, BoxError, Delivery, Request, Response, Route, RunOptions};
use serde_json::Value;

const CHILD: &str = "LAMBDA_ROUTER_GUARDS_CHILD";
/// The emulator sets every deadline 30 s ahead: this margin fires the guard after ~300 ms.
const MARGIN: Duration = Duration::from_millis(29_700);

/// Sends one chunk, then stays pending for ever: a stalled producer.
struct Stall(bool);

impl Stream for Stall {
    type Item = Result<&'static str, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Pending;
        }
        Poll::Ready(Some(Ok("first\n")))
    }
}

fn app() -> App {
    App::rest()
        .debug(false)
        .add_route(
            Route::get("/stall", |_: &Request<'_>| {
                Response::stream(200, Stall(false))
            })
            .deadline_guard(Some(MARGIN)),
        )
        .get("/panic", |_: &Request<'_>| {
            Response::streaming(200, |mut body: BodyWriter| async move {
                tokio::spawn(async move {
                    body.send("first\n").await.unwrap();
                    panic!("the writer task failed");
                });
                Ok::<_, BoxError>(())
            })
        })
        .build()
        .unwrap()
}

/// In the child: serves the app with the delivery `CHILD` names. In the parent: `None`.
fn child_run() -> Option<()> {
    let delivery = match std::env::var(CHILD).ok()?.as_str() {
        "streamed" => Delivery::Streamed,
        _ => Delivery::Buffered,
    };
    let stopped = lambda_router::run_with(app(), RunOptions::default().delivery(delivery));
    eprintln!("child stopped: {stopped:?}");
    Some(())
}

/// A REST API event for `GET path`, written to a file for the emulator.
fn event(path: &str) -> PathBuf {
    rapid::write_event(
        &format!("get{}", path.replace('/', "_")),
        &rapid::rest_get(path),
    )
}

fn emulate(test: &str, delivery: &str) -> Vec<Value> {
    let report = rapid::emulate(
        &[event("/stall"), event("/panic")],
        &[],
        &std::env::current_exe().unwrap(),
        &["--exact", test, "--nocapture", "--test-threads=1"],
        &[(CHILD, delivery)],
    );
    report["invocations"].as_array().unwrap().clone()
}

#[test]
fn streamed_delivery_ends_a_cut_body_with_the_error_trailers() {
    if child_run().is_some() {
        return;
    }
    let invocations = emulate(
        "streamed_delivery_ends_a_cut_body_with_the_error_trailers",
        "streamed",
    );
    for (invocation, message) in invocations.iter().zip([
        "the streamed body was still being produced at the deadline guard",
        "the body writer was dropped by a panic; the body is incomplete",
    ]) {
        assert_eq!(invocation["kind"], "response", "{invocation}");
        let body = invocation["body"].as_str().unwrap();
        let (prelude, rest) = body.split_once("\0\0\0\0\0\0\0\0").expect("the separator");
        let prelude: Value = serde_json::from_str(prelude).unwrap();
        assert_eq!(prelude["statusCode"], 200, "{invocation}");
        assert_eq!(rest, "first\n", "{invocation}");
        let trailers = &invocation["trailers"];
        assert_eq!(
            trailers["lambda-runtime-function-error-type"], "Runtime.StreamError",
            "{invocation}"
        );
        let reported = trailers["lambda-runtime-function-error-body"]
            .as_str()
            .unwrap();
        let reported = base64_simd::STANDARD.decode_to_vec(reported).unwrap();
        assert_eq!(String::from_utf8(reported).unwrap(), message);
    }
}

#[test]
fn buffered_delivery_answers_a_cut_body_504_and_a_panicked_writer_500() {
    if child_run().is_some() {
        return;
    }
    let invocations = emulate(
        "buffered_delivery_answers_a_cut_body_504_and_a_panicked_writer_500",
        "buffered",
    );
    for (invocation, status) in invocations.iter().zip([504, 500]) {
        assert_eq!(invocation["kind"], "response", "{invocation}");
        let envelope: Value = serde_json::from_str(invocation["body"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["statusCode"], status, "{envelope}");
    }
}
