//! The compiler messages a user sees for a handler of the wrong shape, pinned: each case in
//! `tests/ui/` must fail to compile with the message in its `.stderr` file, which says what
//! to change (`UI_STDERR=overwrite cargo test --test ui` rewrites the files on a new
//! toolchain).
//!
//! Each case is checked by `rustc` against the library and dependencies this test was built
//! with (cargo lists them, all fresh), so the cases cost a type-check each, not a second
//! dependency tree. The pinned text is normalized as trybuild normalizes it: line numbers
//! only in the case's own file, the gutter as wide as those, no rustc trailer lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const CASES: &str = "tests/ui";

#[test]
fn wrong_handler_shapes_explain_themselves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let externs = built_externs(root, &["lambda_router", "serde", "serde_json", "garde"]);
    let out_dir = std::env::temp_dir().join(format!("lambda-router-ui-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let overwrite = std::env::var_os("UI_STDERR").is_some_and(|mode| mode == "overwrite");

    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join(CASES))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no case in {CASES}");

    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_str().unwrap();
        let relative = format!("{CASES}/{name}.rs");
        let output = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .current_dir(root)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "bin",
                "--crate-name",
                name,
            ])
            .args(["--emit=metadata", "--color=never", "--verbose"])
            .arg("--out-dir")
            .arg(&out_dir)
            .args(&externs)
            .arg(&relative)
            .output()
            .expect("rustc runs");
        let stderr = normalize(&String::from_utf8_lossy(&output.stderr), &relative);
        let pinned_path = root.join(CASES).join(format!("{name}.stderr"));
        if output.status.success() {
            failures.push(format!("{relative} compiled; it must fail"));
        } else if overwrite {
            std::fs::write(&pinned_path, &stderr).unwrap();
        } else {
            let pinned = std::fs::read_to_string(&pinned_path).unwrap_or_default();
            if pinned != stderr {
                failures.push(format!(
                    "{relative}: the message differs from {name}.stderr\n--- pinned\n{pinned}--- now\n{stderr}"
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        failures.is_empty(),
        "{}\n(UI_STDERR=overwrite rewrites the .stderr files)",
        failures.join("\n")
    );
}

/// The `-L` and `--extern` flags for `crates`, read from cargo's own account of this test's
/// build (`cargo test --no-run`, fresh: nothing is compiled again). A crate built twice
/// (say, with other features for a build script) is left for rustc to pick by name.
fn built_externs(root: &Path, crates: &[&str]) -> Vec<String> {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.current_dir(root).args([
        "test",
        "--no-run",
        "--offline",
        "--message-format=json",
        "--test",
        "ui",
    ]);
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let output = cargo.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo test --no-run failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut rlibs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let target = &message["target"];
        let is_library = target["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"));
        if message["reason"] != "compiler-artifact"
            || !is_library
            || message["profile"]["test"] == true
        {
            continue;
        }
        let Some(name) = crates.iter().find(|name| target["name"] == **name) else {
            continue;
        };
        let rlib = message["filenames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        rlibs
            .entry(name)
            .or_default()
            .extend(rlib.filter(|f| f.ends_with(".rlib")).map(str::to_owned));
    }
    let library = match rlibs.get("lambda_router").map(Vec::as_slice) {
        Some([one]) => one.clone(),
        other => panic!("cargo listed no single lambda_router library: {other:?}"),
    };
    let deps = Path::new(&library).parent().unwrap().display().to_string();
    let mut flags = vec!["-L".to_owned(), deps];
    for name in crates {
        flags.push("--extern".to_owned());
        flags.push(match rlibs.get(name).map(Vec::as_slice) {
            Some([one]) => format!("{name}={one}"),
            _ => (*name).to_owned(),
        });
    }
    flags
}

/// rustc's message, stable across edits to the library and across toolchain patch levels:
/// spans outside the case lose their line numbers (so editing `src/` does not move the
/// pinned text), the gutter is as wide as the case's own line numbers, "and N others"
/// loses N, and the trailer lines (`aborting due to`, `rustc --explain`) go.
fn normalize(stderr: &str, case: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut hiding_numbers = false;
    let mut implementors: Option<usize> = None;
    for (index, raw) in stderr.lines().enumerate() {
        let text = raw.trim_end();
        let trimmed = text.trim_start();
        let mut line = text.to_owned();
        if text.starts_with("error: aborting due to")
            || text.starts_with("For more information about")
            || text.starts_with("Some errors have detailed explanations")
        {
            continue;
        }
        if let Some(path) = trimmed
            .strip_prefix("--> ")
            .or_else(|| trimmed.strip_prefix("::: "))
        {
            hiding_numbers = !path.starts_with(case);
            if hiding_numbers {
                let kept = strip_line_and_column(path).len();
                line.truncate(line.len() - path.len() + kept);
            }
        } else if hiding_numbers && is_gutter_line(trimmed) {
            let digits = line
                .trim_start()
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let start = line.len() - trimmed.len();
            line.replace_range(start..start + digits, &" ".repeat(digits));
        } else {
            hiding_numbers = false;
        }
        // `--verbose` (full type names, no "written to a file" notes) also lists every
        // implementor: keep eight, then "and $N others", as rustc does without it.
        if trimmed.starts_with("= help: the following types implement trait ")
            || trimmed.starts_with("= help: the following other types implement trait ")
        {
            implementors = Some(0);
        } else if let Some(listed) = &mut implementors {
            let indent = text.len() - trimmed.len();
            if indent >= 12 && trimmed != "and $N others" {
                *listed += 1;
                if *listed > 9 {
                    continue;
                }
                let next_indent = stderr
                    .lines()
                    .nth(index + 1)
                    .map(|next| next.len() - next.trim_start().len());
                if *listed == 9 && next_indent == Some(indent) {
                    line.replace_range(indent - 2.., "and $N others");
                }
            } else {
                implementors = None;
            }
        }
        // Paths inside a message (an async block's `{async block@..}`) are the crate's own
        // as trybuild writes them: from `$DIR`.
        if line.contains("@tests/ui/") {
            line = line.replace("@tests/ui/", "@$DIR/tests/ui/");
        }
        if let Some(count) = trimmed
            .strip_prefix("and ")
            .and_then(|rest| rest.strip_suffix(" others"))
        {
            if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
                line = line.replace(&format!("and {count} others"), "and $N others");
            }
        }
        lines.push(line);
    }
    let mut out = String::new();
    for block in diagnostic_blocks(&lines) {
        narrow_gutter(block, &mut out);
    }
    let trimmed = out.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

/// `path:line:column` without `:line:column`.
fn strip_line_and_column(path: &str) -> &str {
    let mut end = path;
    for _ in 0..2 {
        match end.rsplit_once(':') {
            Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
                end = head
            }
            _ => break,
        }
    }
    end
}

/// A line of a source snippet: `12 | code`, `   |`, `...`.
fn is_gutter_line(trimmed: &str) -> bool {
    let after_digits = trimmed
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    after_digits.starts_with('|')
        || trimmed == "..."
        || (trimmed.len() > after_digits.len() && after_digits.is_empty())
}

/// The lines of each diagnostic: from an `error`/`warning` heading to the next.
fn diagnostic_blocks(lines: &[String]) -> impl Iterator<Item = &[String]> {
    let is_heading = |line: &String| {
        ["error", "warning"].iter().any(|word| {
            line.strip_prefix(word)
                .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('['))
        })
    };
    let mut starts: Vec<usize> = (0..lines.len())
        .filter(|&i| is_heading(&lines[i]))
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .copied()
        .chain([lines.len()])
        .collect();
    starts
        .into_iter()
        .zip(ends)
        .map(move |(start, end)| &lines[start..end])
}

/// Writes `block` with its gutter (rustc makes it as wide as the longest line number of
/// any span, the library's included) as wide as the line numbers still shown.
fn narrow_gutter(block: &[String], out: &mut String) {
    let arrow_indent = block.iter().find_map(|line| {
        line.trim_start()
            .starts_with("--> ")
            .then(|| line.len() - line.trim_start().len())
    });
    let shown_width = block
        .iter()
        .filter_map(|line| {
            let trimmed = line.trim_start();
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && trimmed[digits..].trim_start().starts_with('|')).then_some(digits)
        })
        .max()
        .unwrap_or(1);
    let cut = arrow_indent.map_or(0, |width| width.saturating_sub(shown_width));
    for line in block {
        let indent = line.len() - line.trim_start().len();
        out.push_str(if indent >= cut && indent > 0 {
            &line[cut..]
        } else {
            line
        });
        out.push('\n');
    }
}
