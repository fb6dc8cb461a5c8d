//! The todos example under a real Lambda Runtime API emulator (cargo-lambda, installed
//! from PyPI into `<target dir>/cargo-lambda` on first use), so that `cargo test` covers the
//! official runtime path end to end. The work is in `tests/emulator.sh`; see there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::process::Command;

#[test]
fn todos_example_answers_every_source_under_the_lambda_emulator() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/emulator.sh");
    let output = Command::new("bash")
        .arg(script)
        .output()
        .expect("bash runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "emulator test failed:\n{report}");
    println!("{report}");
}
