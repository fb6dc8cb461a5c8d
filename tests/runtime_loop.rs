//! `lambda_router::run` under a Lambda Runtime API emulator of our own
//! (`tests/emulator_rapid.py`, which serves `/next` to several pollers at once and records
//! every post with the time each chunk arrived): each duty of the invocation loop, the
//! concurrent mode (`AWS_LAMBDA_MAX_CONCURRENCY`) and the streamed delivery. The function
//! is this test binary run again as a child (`CHILD` names the delivery).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "runtime")]

#[path = "support/rapid.rs"]
mod rapid;

use std::path::PathBuf;
use std::time::Duration;

use lambda_router::{
    App, AsyncMiddleware, AsyncNext, BoxFuture, Delivery, Error, LambdaContext, Request, Response,
    RunOptions, Scratch,
};
use serde_json::{Value, json};

const CHILD: &str = "LAMBDA_ROUTER_LOOP_CHILD";
const SLEEP_MS: u64 = 200;

/// The request id a middleware saw, kept in the invocation's shared context.
#[derive(Clone)]
struct SeenBy(String);

/// Notes the invocation's request id in its context before the handler runs.
struct NoteRequestId;

impl AsyncMiddleware for NoteRequestId {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        let id = req.lambda_context().request_id.clone();
        req.context_mut().insert(SeenBy(id));
        Box::pin(next.run(req))
    }
}

/// What the handler knows of its invocation.
fn context_json(req: &Request<'_>) -> Value {
    let lambda = req.lambda_context();
    json!({
        "request_id": lambda.request_id,
        "deadline_ms": lambda.deadline_ms,
        "function_arn": lambda.invoked_function_arn,
        "trace": lambda.xray_trace_id,
        "trace_env": std::env::var("_X_AMZN_TRACE_ID").ok(),
        "function_name": lambda.function_name,
        "memory": lambda.memory_limit_mb,
        "seen_by": req.context().get::<SeenBy>().map(|s| s.0.clone()),
    })
}

/// Awaits `SLEEP_MS`, then tells its context as it was before and after.
async fn sleep(req: &Request<'_>) -> Response<lambda_router::Json<Value>> {
    let before = context_json(req);
    tokio::time::sleep(Duration::from_millis(SLEEP_MS)).await;
    Response::json(200, json!({ "before": before, "after": context_json(req) }))
}

async fn context(req: &Request<'_>) -> Response<lambda_router::Json<Value>> {
    Response::json(200, context_json(req))
}

fn app() -> App {
    App::rest()
        .middleware_async(NoteRequestId)
        .get("/context", context)
        .get("/sleep", sleep)
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

/// Runs this binary's test `test` as the function under the emulator (`env`: variables
/// for the function, or `--option=value`s for the emulator); its report.
fn emulate(test: &str, delivery: &str, events: &[PathBuf], env: &[&str]) -> Value {
    rapid::emulate(
        events,
        env,
        &std::env::current_exe().unwrap(),
        &["--exact", test, "--nocapture", "--test-threads=1"],
        &[(CHILD, delivery)],
    )
}

/// The invocation's response: the proxy response's body, parsed.
fn answered_body(invocation: &Value) -> Value {
    assert_eq!(invocation["kind"], "response", "{invocation}");
    let envelope: Value = serde_json::from_str(invocation["body"].as_str().unwrap()).unwrap();
    assert_eq!(envelope["statusCode"], 200, "{envelope}");
    serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap()
}

#[test]
fn each_invocation_gets_its_context_and_a_malformed_event_its_error() {
    if child_run().is_some() {
        return;
    }
    let malformed = json!({ "hello": "world" });
    let expected_code = {
        let mut scratch = Scratch::new();
        let bytes = serde_json::to_vec(&malformed).unwrap();
        let error = app()
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .unwrap_err();
        error.code().to_owned()
    };
    let events = [
        event("/context"),
        rapid::write_event("malformed", &malformed),
        event("/context"),
    ];
    // Three idle polls (204, no invocation yet) first: the loop polls again.
    let report = emulate(
        "each_invocation_gets_its_context_and_a_malformed_event_its_error",
        "buffered",
        &events,
        &["--idle-204=3"],
    );
    let invocations = report["invocations"].as_array().unwrap();
    for index in [0, 2] {
        let invocation = &invocations[index];
        let seen = answered_body(invocation);
        let trace = format!(
            "Root=1-5759e988-bd862e3fe1be46a99427{index:04};Parent=53995c3f42cd8ad8;Sampled=1"
        );
        assert_eq!(seen["request_id"], invocation["request_id"]);
        assert_eq!(seen["seen_by"], invocation["request_id"]);
        assert_eq!(seen["deadline_ms"], invocation["deadline_ms"]);
        assert_eq!(seen["trace"], json!(trace));
        // One invocation at a time: the X-Ray SDKs' variable is set too.
        assert_eq!(seen["trace_env"], json!(trace));
        assert_eq!(
            seen["function_arn"],
            "arn:aws:lambda:us-east-1:123456789012:function:emulated"
        );
        assert_eq!(seen["function_name"], "emulated");
        assert_eq!(seen["memory"], 128);
    }
    let failed = &invocations[1];
    assert_eq!(failed["kind"], "error", "{failed}");
    assert_eq!(
        failed["headers"]["lambda-runtime-function-error-type"],
        "unhandled"
    );
    let diagnostic: Value = serde_json::from_str(failed["body"].as_str().unwrap()).unwrap();
    assert_eq!(diagnostic["errorType"], json!(expected_code));
    assert!(!diagnostic["errorMessage"].as_str().unwrap().is_empty());
    // The Runtime API answers each post `202 {"status":"OK"}`: read to its end, it leaves
    // the connection open, so every `/next`, response and error goes over one connection.
    let ports: std::collections::BTreeSet<u64> = invocations
        .iter()
        .flat_map(|i| [&i["next_port"], &i["answer_port"]])
        .map(|port| port.as_u64().unwrap())
        .collect();
    assert_eq!(ports.len(), 1, "one connection expected: {ports:?}");
}

#[test]
fn a_bad_environment_is_reported_as_an_init_error() {
    if child_run().is_some() {
        return;
    }
    let report = emulate(
        "a_bad_environment_is_reported_as_an_init_error",
        "buffered",
        &[event("/context")],
        &["AWS_LAMBDA_FUNCTION_MEMORY_SIZE=lots"],
    );
    let init_error = &report["init_error"];
    assert_eq!(
        init_error["headers"]["lambda-runtime-function-error-type"],
        "Runtime.InitError"
    );
    let diagnostic: Value = serde_json::from_str(init_error["body"].as_str().unwrap()).unwrap();
    assert_eq!(diagnostic["errorType"], "runtime.environment");
    assert_eq!(
        diagnostic["errorMessage"],
        "lambda environment variable AWS_LAMBDA_FUNCTION_MEMORY_SIZE is not a number"
    );
    // No invocation was taken.
    assert_eq!(report["invocations"][0]["handed_out"], Value::Null);
}

/// Eight `/sleep` invocations; the span from the first handed out to the last answered.
fn eight_sleeps(test: &str, env: &[&str]) -> (Vec<Value>, f64) {
    let events: Vec<PathBuf> = (0..8).map(|_| event("/sleep")).collect();
    let report = emulate(test, "buffered", &events, env);
    let invocations = report["invocations"].as_array().unwrap().clone();
    let took = rapid::span(&invocations);
    (invocations, took)
}

#[test]
fn concurrent_invocations_overlap_and_keep_their_own_context() {
    if child_run().is_some() {
        return;
    }
    let test = "concurrent_invocations_overlap_and_keep_their_own_context";
    let (invocations, took) = eight_sleeps(test, &["AWS_LAMBDA_MAX_CONCURRENCY=8"]);
    let sequential_ms = 8.0 * SLEEP_MS as f64;
    assert!(
        took * 1000.0 < sequential_ms / 2.0,
        "8 concurrent sleeps of {SLEEP_MS} ms took {took:.3} s"
    );
    for invocation in &invocations {
        let seen = answered_body(invocation);
        let id = &invocation["request_id"];
        // Interleaved with seven others across the await, each still sees its own.
        for moment in ["before", "after"] {
            assert_eq!(seen[moment]["request_id"], *id, "{seen}");
            assert_eq!(seen[moment]["seen_by"], *id, "{seen}");
            // Concurrent: the process-wide variable is left alone.
            assert_eq!(seen[moment]["trace_env"], Value::Null, "{seen}");
        }
        let trace = seen["after"]["trace"].as_str().unwrap();
        let index = id.as_str().unwrap().trim_start_matches("req-");
        assert!(
            trace.contains(&format!("99427{index};")),
            "{trace} for {id}"
        );
    }
}

#[test]
fn without_the_variable_invocations_run_one_at_a_time() {
    if child_run().is_some() {
        return;
    }
    let test = "without_the_variable_invocations_run_one_at_a_time";
    let (_, took) = eight_sleeps(test, &[]);
    assert!(took * 1000.0 >= 8.0 * SLEEP_MS as f64, "took {took:.3} s");
}

#[test]
fn streamed_delivery_sends_the_prelude_then_the_body() {
    if child_run().is_some() {
        return;
    }
    let report = emulate(
        "streamed_delivery_sends_the_prelude_then_the_body",
        "streamed",
        &[event("/context")],
        &[],
    );
    let invocation = &report["invocations"][0];
    assert_eq!(invocation["kind"], "response", "{invocation}");
    let headers = &invocation["headers"];
    assert_eq!(
        headers["lambda-runtime-function-response-mode"],
        "streaming"
    );
    assert_eq!(headers["transfer-encoding"], "chunked");
    assert_eq!(
        headers["content-type"],
        "application/vnd.awslambda.http-integration-response"
    );
    let body = invocation["body"].as_str().unwrap();
    let (prelude, rest) = body.split_once("\0\0\0\0\0\0\0\0").expect("the separator");
    let prelude: Value = serde_json::from_str(prelude).unwrap();
    assert_eq!(prelude["statusCode"], 200);
    assert_eq!(prelude["headers"]["Content-Type"], "application/json");
    assert_eq!(prelude["cookies"], json!([]));
    let seen: Value = serde_json::from_str(rest).unwrap();
    assert_eq!(seen["request_id"], invocation["request_id"]);
    // A buffered body: one chunk, after the prelude's.
    let chunks = invocation["chunks"].as_array().unwrap();
    let last = chunks.last().unwrap()["data"].as_str().unwrap();
    let last = base64_simd::STANDARD.decode_to_vec(last).unwrap();
    assert_eq!(last, rest.as_bytes());
    assert!(invocation["trailers"].as_object().unwrap().is_empty());
}
