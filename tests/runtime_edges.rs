//! The invocation loop against what the real Runtime API does at its edges, each played by
//! a mode of our emulator (`tests/emulator_rapid.py --mode`): events sent chunked, header
//! names in odd case, optional headers absent, the connection closed or cut at each moment
//! (in a `/next` answer's head or body, while `/next` is pending, between invocations,
//! before a post's answer), per-invocation refusals (400, 403, 410, 413), a 500 from
//! `/next`; and what every request carries (`Host`, `User-Agent`, the invocation id echoed,
//! no `Expect`, no proxy), and a streamed body's failure as real trailers. The function is
//! this test binary run again as a child (`CHILD` names the delivery).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "runtime")]

#[path = "support/rapid.rs"]
mod rapid;

use std::path::PathBuf;

use bytes::Bytes;
use futures_core::Stream;
use lambda_router::{App, BoxError, Delivery, Request, Response, RunOptions};
use serde_json::{Value, json};

const CHILD: &str = "LAMBDA_ROUTER_EDGE_CHILD";

/// What the handler knows of its invocation.
fn context(req: &Request<'_>) -> Response<lambda_router::Json<Value>> {
    let lambda = req.lambda_context();
    Response::json(
        200,
        json!({
            "request_id": lambda.request_id,
            "deadline_ms": lambda.deadline_ms,
            "function_arn": lambda.invoked_function_arn,
            "trace": lambda.xray_trace_id,
            "pad": req.header("x-pad").map(str::len),
        }),
    )
}

/// `one\n`, then a failure.
struct Breaks(u8);

impl Stream for Breaks {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0 += 1;
        std::task::Poll::Ready(match self.0 {
            1 => Some(Ok(Bytes::from_static(b"one\n"))),
            2 => Some(Err("the source broke".into())),
            _ => None,
        })
    }
}

fn app() -> App {
    App::rest()
        .get("/context", context)
        .get("/breaks", |_: &Request<'_>| {
            Response::stream(200, Breaks(0))
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

/// A REST API event for `GET path` (with an `x-pad` header of `pad` bytes), in a file.
fn event(path: &str, pad: usize) -> PathBuf {
    let mut event = rapid::rest_get(path);
    event["headers"]["x-pad"] = json!("p".repeat(pad));
    rapid::write_event(&format!("get{}-{pad}", path.replace('/', "_")), &event)
}

fn run(test: &str, delivery: &str, events: &[PathBuf], options: &[&str]) -> (Value, String) {
    rapid::emulate_to_the_end(
        events,
        options,
        &std::env::current_exe().unwrap(),
        &["--exact", test, "--nocapture", "--test-threads=1"],
        &[(CHILD, delivery)],
    )
}

/// Runs `test`'s child under the emulator with `options`, three `/context` events; the
/// report, once every invocation is answered.
fn three(test: &str, options: &[&str]) -> Value {
    let events: Vec<PathBuf> = (0..3).map(|_| event("/context", 10)).collect();
    let (report, stderr) = run(test, "buffered", &events, options);
    assert_eq!(report["all_answered"], true, "{report} {stderr}");
    report
}

/// The handler's view of an invocation answered with a response.
fn seen(invocation: &Value) -> Value {
    assert_eq!(invocation["kind"], "response", "{invocation}");
    let envelope: Value = serde_json::from_str(invocation["body"].as_str().unwrap()).unwrap();
    assert_eq!(envelope["statusCode"], 200, "{envelope}");
    serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap()
}

/// Every invocation answered once, by the handler, with its own request id.
fn each_answered_once(report: &Value) {
    for invocation in report["invocations"].as_array().unwrap() {
        assert_eq!(seen(invocation)["request_id"], invocation["request_id"]);
    }
}

#[test]
fn events_sent_chunked_are_read_whole() {
    if child_run().is_some() {
        return;
    }
    let test = "events_sent_chunked_are_read_whole";
    // Over RAPID's 2 KiB: the size it sends chunked.
    let events = [event("/context", 5000), event("/context", 10)];
    let (report, stderr) = run(test, "buffered", &events, &["--mode=chunked"]);
    assert_eq!(report["all_answered"], true, "{report} {stderr}");
    each_answered_once(&report);
    assert_eq!(seen(&report["invocations"][0])["pad"], 5000);
}

#[test]
fn header_names_in_odd_case_are_read() {
    if child_run().is_some() {
        return;
    }
    let report = three("header_names_in_odd_case_are_read", &["--mode=odd-case"]);
    each_answered_once(&report);
    let first = &report["invocations"][0];
    let seen = seen(first);
    assert_eq!(seen["deadline_ms"], first["deadline_ms"]);
    assert!(
        seen["function_arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:lambda:")
    );
    assert!(seen["trace"].as_str().unwrap().starts_with("Root=1-"));
}

#[test]
fn only_the_request_id_is_needed() {
    if child_run().is_some() {
        return;
    }
    let report = three("only_the_request_id_is_needed", &["--mode=bare"]);
    each_answered_once(&report);
    let seen = seen(&report["invocations"][0]);
    assert_eq!(seen["deadline_ms"], 0);
    assert_eq!(seen["function_arn"], "");
    assert_eq!(seen["trace"], Value::Null);
}

/// A connection broken at `mode`'s moment: every invocation still answered once.
fn survives(test: &str, mode: &str) -> Value {
    let report = three(test, &[mode]);
    each_answered_once(&report);
    assert!(report["connections"].as_u64().unwrap() >= 2, "{report}");
    report
}

#[test]
fn a_next_answer_cut_in_its_head_is_asked_again() {
    if child_run().is_some() {
        return;
    }
    survives(
        "a_next_answer_cut_in_its_head_is_asked_again",
        "--mode=cut-head",
    );
}

#[test]
fn a_next_answer_cut_in_its_body_is_asked_again() {
    if child_run().is_some() {
        return;
    }
    survives(
        "a_next_answer_cut_in_its_body_is_asked_again",
        "--mode=cut-body",
    );
}

#[test]
fn a_pending_next_whose_connection_breaks_is_asked_again() {
    if child_run().is_some() {
        return;
    }
    survives(
        "a_pending_next_whose_connection_breaks_is_asked_again",
        "--mode=drop-next",
    );
}

#[test]
fn a_connection_closed_between_invocations_is_opened_again() {
    if child_run().is_some() {
        return;
    }
    let report = survives(
        "a_connection_closed_between_invocations_is_opened_again",
        "--mode=close-between",
    );
    assert!(report["connections"].as_u64().unwrap() >= 3, "{report}");
}

#[test]
fn a_post_whose_answer_never_came_is_sent_again_and_the_copy_refused() {
    if child_run().is_some() {
        return;
    }
    let report = survives(
        "a_post_whose_answer_never_came_is_sent_again_and_the_copy_refused",
        "--mode=lost-answer",
    );
    assert_eq!(report["invocations"][0]["duplicates"], 1, "{report}");
}

#[test]
fn refusals_end_the_invocation_not_the_loop() {
    if child_run().is_some() {
        return;
    }
    for status in [400, 403, 410, 413] {
        let mode = format!("--mode=refuse-{status}");
        let report = three("refusals_end_the_invocation_not_the_loop", &[&mode]);
        assert_eq!(report["refused"], json!([["req-0000", status]]));
        let invocations = report["invocations"].as_array().unwrap();
        for invocation in &invocations[1..] {
            assert_eq!(seen(invocation)["request_id"], invocation["request_id"]);
        }
    }
}

#[test]
fn a_500_from_next_ends_run_with_an_error_naming_the_request() {
    if child_run().is_some() {
        return;
    }
    let test = "a_500_from_next_ends_run_with_an_error_naming_the_request";
    let (report, stderr) = run(
        test,
        "buffered",
        &[event("/context", 10)],
        &["--mode=fail-next"],
    );
    assert_eq!(report["all_answered"], false);
    assert!(
        stderr.contains(
            "the lambda runtime failed: GET /runtime/invocation/next failed: \
             the Runtime API answered 500 (InternalServerError)"
        ),
        "{stderr}"
    );
}

#[test]
fn requests_carry_host_and_agent_echo_the_invocation_id_and_ignore_proxies() {
    if child_run().is_some() {
        return;
    }
    let report = three(
        "requests_carry_host_and_agent_echo_the_invocation_id_and_ignore_proxies",
        &[
            "--header=Lambda-Runtime-Invocation-Id=inv-0042",
            "HTTP_PROXY=http://127.0.0.1:9",
            "http_proxy=http://127.0.0.1:9",
        ],
    );
    each_answered_once(&report);
    for invocation in report["invocations"].as_array().unwrap() {
        let headers = &invocation["headers"];
        assert_eq!(headers["lambda-runtime-invocation-id"], "inv-0042");
        assert!(headers["host"].as_str().unwrap().starts_with("127.0.0.1:"));
        assert!(
            headers["user-agent"]
                .as_str()
                .unwrap()
                .starts_with("lambda-router/")
        );
        assert_eq!(headers.get("expect"), None);
    }
}

#[test]
fn a_failed_stream_ends_in_real_trailers_and_its_connection_is_kept() {
    if child_run().is_some() {
        return;
    }
    let test = "a_failed_stream_ends_in_real_trailers_and_its_connection_is_kept";
    let events = [event("/breaks", 10), event("/breaks", 10)];
    let (report, stderr) = run(test, "streamed", &events, &[]);
    assert_eq!(report["all_answered"], true, "{report} {stderr}");
    let invocations = report["invocations"].as_array().unwrap();
    for invocation in invocations {
        let body = invocation["body"].as_str().unwrap();
        let (_, rest) = body.split_once("\0\0\0\0\0\0\0\0").unwrap();
        assert_eq!(rest, "one\n");
        let trailers = &invocation["trailers"];
        assert_eq!(
            trailers["lambda-runtime-function-error-type"],
            "Runtime.StreamError"
        );
        let message = trailers["lambda-runtime-function-error-body"]
            .as_str()
            .unwrap();
        let message = base64_simd::STANDARD.decode_to_vec(message).unwrap();
        assert!(String::from_utf8_lossy(&message).contains("the source broke"));
    }
    // The trailers end the body and the 202 is read whole: the connection goes on, to the
    // next `/next` and the next stream.
    let ports: std::collections::BTreeSet<u64> = invocations
        .iter()
        .flat_map(|i| [&i["next_port"], &i["answer_port"]])
        .map(|port| port.as_u64().unwrap())
        .collect();
    assert_eq!(ports.len(), 1, "one connection expected: {report}");
}

/// Streamed answers keep their connection; a server that closes it after each one anyway
/// (as AWS's custom-runtime guide has a runtime do) costs a new connection, no invocation.
#[test]
fn a_connection_closed_after_each_streamed_answer_is_opened_again() {
    if child_run().is_some() {
        return;
    }
    let test = "a_connection_closed_after_each_streamed_answer_is_opened_again";
    let events: Vec<PathBuf> = (0..3).map(|_| event("/context", 10)).collect();
    let (report, stderr) = run(test, "streamed", &events, &["--mode=close-between"]);
    assert_eq!(report["all_answered"], true, "{report} {stderr}");
    let invocations = report["invocations"].as_array().unwrap();
    for invocation in invocations {
        let body = invocation["body"].as_str().unwrap();
        let (prelude, rest) = body.split_once("\0\0\0\0\0\0\0\0").unwrap();
        assert!(prelude.contains("\"statusCode\":200"), "{prelude}");
        let seen: Value = serde_json::from_str(rest).unwrap();
        assert_eq!(seen["request_id"], invocation["request_id"]);
    }
    assert!(report["connections"].as_u64().unwrap() >= 3, "{report}");
}
