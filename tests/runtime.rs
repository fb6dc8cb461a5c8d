//! `run` / `serve` outside the emulator: the errors they stop with. Each case runs this test
//! binary again as a child with the environment it needs (no `set_var` in this process).
//! The happy path is `tests/emulator.sh`, under a real Runtime API emulator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "runtime")]

use std::process::Command;

use lambda_router::{App, Request, RunError};

const CHILD: &str = "LAMBDA_ROUTER_RUNTIME_TEST_CHILD";

fn app() -> App {
    App::rest()
        .get("/", |_: &Request<'_>| "ok")
        .build()
        .unwrap()
}

/// In the child: runs the app and prints how it stopped. In the parent: `None`.
fn child_run() -> Option<()> {
    std::env::var_os(CHILD)?;
    match lambda_router::run(app()) {
        Ok(()) => println!("\nSTOPPED=ok"),
        Err(error) => println!("\nSTOPPED={error}"),
    }
    Some(())
}

/// Runs the named test of this binary as a child with `env`; its `STOPPED=` line.
fn run_child(test: &str, env: &[(&str, &str)], remove: &[&str]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1");
    for (name, value) in env {
        command.env(name, value);
    }
    for name in remove {
        command.env_remove(name);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|l| {
            l.split_once("STOPPED=")
                .map(|(_, stopped)| stopped.to_owned())
        })
        .unwrap_or_else(|| {
            panic!(
                "no STOPPED line: {stdout} {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_missing_lambda_variable_is_a_run_error() {
    if child_run().is_some() {
        return;
    }
    let stopped = run_child(
        "a_missing_lambda_variable_is_a_run_error",
        &[
            ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ],
        &["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION"],
    );
    assert_eq!(
        stopped,
        "lambda environment variable AWS_LAMBDA_FUNCTION_NAME is missing"
    );
}

#[test]
fn a_bad_memory_size_is_a_run_error() {
    if child_run().is_some() {
        return;
    }
    let stopped = run_child(
        "a_bad_memory_size_is_a_run_error",
        &[
            ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9"),
            ("AWS_LAMBDA_FUNCTION_NAME", "f"),
            ("AWS_LAMBDA_FUNCTION_VERSION", "1"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots"),
        ],
        &[],
    );
    assert_eq!(
        stopped,
        "lambda environment variable AWS_LAMBDA_FUNCTION_MEMORY_SIZE is not a number"
    );
}

#[test]
fn an_unreachable_runtime_api_is_a_runtime_error() {
    if child_run().is_some() {
        return;
    }
    let api = format!("127.0.0.1:{}", closed_port());
    let stopped = run_child(
        "an_unreachable_runtime_api_is_a_runtime_error",
        &[
            ("AWS_LAMBDA_RUNTIME_API", api.as_str()),
            ("AWS_LAMBDA_FUNCTION_NAME", "f"),
            ("AWS_LAMBDA_FUNCTION_VERSION", "1"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ],
        &[],
    );
    assert!(
        stopped.starts_with("the lambda runtime failed: "),
        "{stopped}"
    );
}

/// Outside Lambda a debug build starts the dev server (here it fails on its `PORT`); a
/// release build, the one deployed, has none and says how to get one.
#[cfg(feature = "dev-server")]
#[test]
fn outside_lambda_a_debug_build_starts_the_dev_server_and_a_release_build_does_not() {
    if child_run().is_some() {
        return;
    }
    let stopped = run_child(
        "outside_lambda_a_debug_build_starts_the_dev_server_and_a_release_build_does_not",
        &[("PORT", "http")],
        &["AWS_LAMBDA_RUNTIME_API"],
    );
    if cfg!(debug_assertions) {
        assert_eq!(stopped, "i/o error: PORT=http is not a port number");
    } else {
        assert_eq!(stopped, RunError::NotInLambda.to_string());
        assert!(
            stopped.contains("lambda_router::dev_server::serve"),
            "{stopped}"
        );
    }
}

#[test]
fn serve_is_send_and_run_error_is_an_error() {
    fn assert_send<T: Send>(_: &T) {}
    let future = lambda_router::serve(app());
    assert_send(&future);
    drop(future);
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(RunError::NotInLambda);
    assert!(
        error
            .to_string()
            .contains("AWS_LAMBDA_RUNTIME_API is not set")
    );
}
