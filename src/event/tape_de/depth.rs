//! Nesting depth: the tape deserializer refuses exactly where serde_json does, with its
//! words, and a body nested far deeper than the limit is refused without recursing into it
//! (proved on a thread whose stack could not hold the recursion).

// A failing test should stop loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value as Json;

use super::{MAX_DEPTH, from_tape_value};

/// A recursive type as handlers write them: each level is an enum object and an array.
#[derive(Debug, Deserialize, PartialEq)]
enum Tree {
    Leaf(u8),
    Node(Vec<Tree>),
}

/// A recursive struct: each level is one object.
#[derive(Debug, Deserialize, PartialEq)]
struct Chain {
    next: Option<Box<Chain>>,
}

fn arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn objects(depth: usize) -> String {
    format!("{}null{}", "{\"next\":".repeat(depth), "}".repeat(depth))
}

fn trees(depth: usize) -> String {
    format!(
        "{}{{\"Leaf\":1}}{}",
        "{\"Node\":[".repeat(depth),
        "]}".repeat(depth)
    )
}

/// `T` from `json` through the tape, the error as text.
fn through_tape<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, String> {
    let mut bytes = json.as_bytes().to_vec();
    let tape = simd_json::to_tape(&mut bytes).expect("test input is JSON");
    from_tape_value::<T>(tape.as_value()).map_err(|e| e.to_string())
}

/// serde_json's answer for `json` as `T`, without its position suffix.
fn through_serde_json<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, String> {
    serde_json::from_str::<T>(json).map_err(|e| {
        let message = e.to_string();
        match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        }
    })
}

/// Around the boundary, every shape answers as serde_json does: the same value or the
/// same message.
#[test]
fn the_limit_is_serde_jsons() {
    let limit = usize::from(MAX_DEPTH);
    for depth in limit - 3..=limit + 3 {
        let json = arrays(depth);
        assert_eq!(
            through_tape::<Json>(&json),
            through_serde_json::<Json>(&json)
        );
        let json = objects(depth);
        assert_eq!(
            through_tape::<Json>(&json),
            through_serde_json::<Json>(&json)
        );
        assert_eq!(
            through_tape::<Chain>(&json),
            through_serde_json::<Chain>(&json)
        );
        // Two levels per tree level: the boundary falls on both parities.
        let json = trees(depth / 2);
        assert_eq!(
            through_tape::<Tree>(&json),
            through_serde_json::<Tree>(&json)
        );
        let json = trees(depth / 2 + 1);
        assert_eq!(
            through_tape::<Tree>(&json),
            through_serde_json::<Tree>(&json)
        );
    }
}

#[test]
fn the_boundary_is_127_read_128_refused() {
    let limit = usize::from(MAX_DEPTH);
    assert!(through_tape::<Json>(&arrays(limit - 1)).is_ok());
    assert_eq!(
        through_tape::<Json>(&arrays(limit)).unwrap_err(),
        "recursion limit exceeded"
    );
}

/// A skipped value is not entered, so its depth does not count (serde_json skips
/// iteratively, without a limit, too).
#[test]
fn skipped_values_do_not_count() {
    let json = format!("[{}]", arrays(1000));
    assert_eq!(
        through_tape::<Vec<IgnoredAny>>(&json).map(|v| v.len()),
        through_serde_json::<Vec<IgnoredAny>>(&json).map(|v| v.len())
    );
}

/// Far deeper than the limit, on a stack that could not hold a recursion that deep: an
/// error, not an overflow.
#[test]
fn a_thousand_levels_are_refused_on_a_small_stack() {
    let answers = std::thread::Builder::new()
        .stack_size(384 * 1024)
        .spawn(|| {
            [
                through_tape::<Json>(&arrays(1000)).map(drop),
                through_tape::<Json>(&objects(1000)).map(drop),
                through_tape::<Chain>(&objects(1000)).map(drop),
                through_tape::<Tree>(&trees(500)).map(drop),
            ]
        })
        .unwrap()
        .join()
        .unwrap();
    for answer in answers {
        assert_eq!(answer.unwrap_err(), "recursion limit exceeded");
    }
}
