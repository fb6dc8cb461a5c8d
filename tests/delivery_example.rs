//! The judges of `examples/delivery.rs` under a Lambda Runtime API emulator of our own
//! (`tests/emulator_rapid.py`): streamed mode sends the prelude and then `/countdown`'s lines
//! as they are produced, and an ordinary route in full; eight `/sleep/200` invocations with
//! `AWS_LAMBDA_MAX_CONCURRENCY=8` overlap; `/big/<mb>` over the source's payload limit is the
//! library's clear 500 (6 MB buffered, 1 MB behind an ALB). The function is the example
//! binary `cargo test` builds beside this test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(all(feature = "runtime", feature = "dev-server"))]

#[path = "support/rapid.rs"]
mod rapid;

use std::path::PathBuf;

use serde_json::{Value, json};

/// `target/<profile>/examples/delivery`, beside this test's `target/<profile>/deps/`.
fn delivery_example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let example = profile_dir
        .join("examples")
        .join(format!("delivery{}", std::env::consts::EXE_SUFFIX));
    assert!(
        example.exists(),
        "{} is not built (cargo test builds the examples)",
        example.display()
    );
    example
}

/// A bench event of `source` (`rest`, `alb` or `url`) for `GET path`, written to a file.
fn event(source: &str, path: &str) -> PathBuf {
    let fixture = match source {
        "alb" => "alb_get_todo.json",
        "url" => "furl_get_todo.json",
        _ => "rest_v1_get_todo.json",
    };
    let fixture = format!("{}/fixtures/bench/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let mut event: Value = serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    match source {
        "url" => {
            event["rawPath"] = json!(path);
            event["requestContext"]["http"]["path"] = json!(path);
        }
        "rest" => {
            event["path"] = json!(path);
            event["requestContext"]["path"] = json!(path);
        }
        _ => event["path"] = json!(path),
    }
    rapid::write_event(&format!("{source}{}", path.replace('/', "_")), &event)
}

/// Runs the delivery example on `events` with the function's environment `env`; the
/// emulator's report of every invocation.
fn emulate(events: &[PathBuf], env: &[&str]) -> Vec<Value> {
    let report = rapid::emulate(events, env, &delivery_example(), &[], &[]);
    report["invocations"].as_array().unwrap().clone()
}

/// A buffered answer's proxy response.
fn envelope(invocation: &Value) -> Value {
    assert_eq!(invocation["kind"], "response", "{invocation}");
    serde_json::from_str(invocation["body"].as_str().unwrap()).unwrap()
}

/// A chunk's bytes.
fn chunk_data(chunk: &Value) -> Vec<u8> {
    base64_simd::STANDARD
        .decode_to_vec(chunk["data"].as_str().unwrap())
        .unwrap()
}

/// The two sources Lambda can stream for: a REST API (transfer mode `STREAM`) and a
/// Function URL (invoke mode `RESPONSE_STREAM`).
#[test]
fn streamed_mode_sends_the_countdown_as_it_is_produced_and_ordinary_routes_whole() {
    for source in ["rest", "url"] {
        streamed_countdown_and_todos(source);
    }
}

fn streamed_countdown_and_todos(source: &str) {
    let events = [event(source, "/countdown"), event(source, "/todos")];
    let delivery_source = format!("DELIVERY_SOURCE={source}");
    let invocations = emulate(&events, &["DELIVERY_MODE=stream", &delivery_source]);

    let countdown = &invocations[0];
    assert_eq!(countdown["kind"], "response", "{countdown}");
    assert_eq!(
        countdown["headers"]["lambda-runtime-function-response-mode"],
        "streaming"
    );
    let handed_out = countdown["handed_out"].as_f64().unwrap();
    let chunks = countdown["chunks"].as_array().unwrap();
    // The prelude and its separator come first, before any line.
    let all: Vec<u8> = chunks.iter().flat_map(chunk_data).collect();
    let separator = all.windows(8).position(|w| w == [0; 8]).expect("separator");
    let prelude: Value = serde_json::from_slice(&all[..separator]).unwrap();
    assert_eq!(prelude["statusCode"], 200, "{source}: {prelude}");
    assert_eq!(
        String::from_utf8_lossy(&all[separator + 8..]),
        "9\n8\n7\n6\n5\n4\n3\n2\n1\n0\n"
    );
    // The lines arrive as they are written, 100 ms apart: the first one early, the last
    // one late (timing bounds this wide show streaming, not speed).
    let line_times: Vec<f64> = chunks
        .iter()
        .filter(|chunk| chunk_data(chunk).ends_with(b"\n"))
        .map(|chunk| chunk["at"].as_f64().unwrap() - handed_out)
        .collect();
    assert_eq!(line_times.len(), 10, "{chunks:?}");
    assert!(
        line_times[0] < 0.3,
        "first line after {:.3} s",
        line_times[0]
    );
    assert!(
        line_times[9] > 0.9,
        "last line after {:.3} s",
        line_times[9]
    );

    let todos = &invocations[1];
    let body = todos["body"].as_str().unwrap();
    let (prelude, rest) = body.split_once("\0\0\0\0\0\0\0\0").expect("separator");
    let prelude: Value = serde_json::from_str(prelude).unwrap();
    assert_eq!(prelude["statusCode"], 200);
    let todos: Value = serde_json::from_str(rest).unwrap();
    assert_eq!(todos.as_array().map(Vec::len), Some(2), "{todos}");
}

#[test]
fn eight_concurrent_sleeps_overlap() {
    let events: Vec<PathBuf> = (0..8).map(|_| event("rest", "/sleep/200")).collect();
    let invocations = emulate(&events, &["AWS_LAMBDA_MAX_CONCURRENCY=8"]);
    let took = rapid::span(&invocations);
    for invocation in &invocations {
        let answer = envelope(invocation);
        assert_eq!(answer["statusCode"], 200, "{answer}");
        assert_eq!(answer["body"], r#"{"slept":200}"#);
    }
    // One at a time they would take 1.6 s.
    assert!(took < 0.8, "8 sleeps of 200 ms took {:.3} s", took);
}

#[test]
fn bodies_over_the_source_limit_are_the_clear_500() {
    for (source, mb, status) in [
        ("rest", "0.5", 200),
        ("rest", "2", 200),
        ("rest", "7", 500),
        ("alb", "0.5", 200),
        ("alb", "2", 500),
    ] {
        let delivery_source = format!("DELIVERY_SOURCE={source}");
        let invocations = emulate(&[event(source, &format!("/big/{mb}"))], &[&delivery_source]);
        let answer = envelope(&invocations[0]);
        assert_eq!(answer["statusCode"], status, "{source} /big/{mb}");
        let body = answer["body"].as_str().unwrap();
        if status == 500 {
            assert_eq!(body, r#"{"statusCode":500,"message":"Response too large"}"#);
        } else {
            let big: Value = serde_json::from_str(body).unwrap();
            assert_eq!(big["mb"], mb.parse::<f64>().unwrap(), "{source} /big/{mb}");
        }
    }
}
