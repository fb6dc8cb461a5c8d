//! Driving a function under our Runtime API emulator (`tests/emulator_rapid.py`), for the
//! tests of the invocation loop and of the delivery example.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

/// Runs `function` (with `args`, and the environment variables of `command_env`) under the
/// emulator, which hands out `events` in order. `env` holds the function's variables
/// (`NAME=VALUE`) and the emulator's own options (`--option=value`). The emulator's report,
/// once every invocation has been answered.
pub(crate) fn emulate(
    events: &[PathBuf],
    env: &[&str],
    function: &Path,
    args: &[&str],
    command_env: &[(&str, &str)],
) -> Value {
    let (report, stderr) = emulate_to_the_end(events, env, function, args, command_env);
    assert_eq!(
        report["all_answered"], true,
        "not all answered: {report} {stderr}"
    );
    report
}

/// [`emulate`], whether or not every invocation was answered: the report and what the
/// function wrote on stderr.
pub(crate) fn emulate_to_the_end(
    events: &[PathBuf],
    env: &[&str],
    function: &Path,
    args: &[&str],
    command_env: &[(&str, &str)],
) -> (Value, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/emulator_rapid.py");
    let mut command = Command::new("python3");
    command.arg(script).args(["--timeout", "60"]);
    for event in events {
        command.arg("--event").arg(event);
    }
    for variable in env {
        if variable.starts_with("--") {
            command.arg(variable);
        } else {
            command.arg("--env").arg(variable);
        }
    }
    command.arg("--").arg(function).args(args);
    command.envs(command_env.iter().copied());
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the emulator failed: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}): {stderr}"));
    (report, stderr.into_owned())
}

/// Seconds from the first invocation handed out to the last one answered.
pub(crate) fn span(invocations: &[Value]) -> f64 {
    let first = invocations
        .iter()
        .map(|i| i["handed_out"].as_f64().unwrap())
        .fold(f64::MAX, f64::min);
    let last = invocations
        .iter()
        .map(|i| i["answered"].as_f64().unwrap())
        .fold(0.0, f64::max);
    last - first
}

/// The bench REST API event (`fixtures/bench/rest_v1_get_todo.json`) for `GET path`, to
/// adjust before [`write_event`].
pub(crate) fn rest_get(path: &str) -> Value {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/bench/rest_v1_get_todo.json"
    );
    let mut event: Value = serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    event["path"] = json!(path);
    event["requestContext"]["path"] = json!(path);
    event
}

/// Writes `event` to a file of its own (`<name>-<serial>.json`) in this process's temporary
/// folder, for the emulator.
pub(crate) fn write_event(name: &str, event: &Value) -> PathBuf {
    // Each call its own file: tests run in parallel threads, and one writing a shared name
    // truncates it under another's emulator, which then reads an empty event.
    static WRITTEN: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("lambda-router-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let serial = WRITTEN.fetch_add(1, Ordering::Relaxed);
    let file = dir.join(format!("{name}-{serial}.json"));
    std::fs::write(&file, serde_json::to_vec(event).unwrap()).unwrap();
    file
}
