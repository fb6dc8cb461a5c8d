//! A 422 is bounded by constants, never by the request: at most `MAX_ERRORS` errors (the
//! first, then a count of the rest), no value of the input echoed, a name from the input cut
//! to a prefix; and client input never turns into a 500. Messages are pydantic's, with no
//! Rust type names, and a `loc` names a field once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use lambda_router::App;
use lambda_router::extract::{Headers, Json, Path, Query, Valid, ValidationError};
use lambda_router::testing::{self, EventBuilder, TestResponse};
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Value, json};

#[derive(Deserialize, garde::Validate)]
struct Items {
    #[garde(dive)]
    items: Vec<Item>,
}

#[derive(Deserialize, garde::Validate)]
struct Item {
    #[garde(range(min = 1))]
    n: u32,
}

#[derive(Deserialize, garde::Validate)]
struct Page {
    #[garde(range(max = 10))]
    limit: u32,
}

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Order {
    Asc,
    Desc,
}

#[derive(Deserialize)]
#[allow(dead_code)] // only read
struct Sorted {
    order: Order,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only read
struct Strict {
    a: Option<u32>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // only read
struct Letter {
    c: char,
}

/// A type whose own `Deserialize` puts the input in its message (as many do).
struct Echoing;

impl<'de> Deserialize<'de> for Echoing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Err(D::Error::custom(format!("not a code: {text}")))
    }
}

lambda_router::rebind!(Items, Item, Page, Order, Sorted, Strict, Letter, Echoing);

fn app() -> App {
    App::function_url()
        .post("/items", |Valid(Json(items)): Valid<Json<Items>>| {
            items.items.len().to_string()
        })
        .post(
            "/items-and-query",
            |Valid(Query(page)): Valid<Query<Page>>, Valid(Json(items)): Valid<Json<Items>>| {
                format!("{} {}", page.limit, items.items.len())
            },
        )
        .post("/sorted", |Json(_): Json<Sorted>| "")
        .post("/strict", |Json(_): Json<Strict>| "")
        .post("/letter", |Json(_): Json<Letter>| "")
        .post("/map", |Json(_): Json<BTreeMap<u8, u32>>| "")
        .post("/order-map", |Json(_): Json<BTreeMap<Order, u32>>| "")
        .post("/echoing", |Json(_): Json<Echoing>| "")
        .get("/path/<order>", |Path(order): Path<Order>| {
            format!("{order:?}")
        })
        .get("/query", |Query(sorted): Query<Sorted>| {
            format!("{:?}", sorted.order)
        })
        .get("/header", |Headers(sorted): Headers<Sorted>| {
            format!("{:?}", sorted.order)
        })
        .get(
            "/query-echoing",
            |Query(_): Query<BTreeMap<&str, Echoing>>| "",
        )
        .debug(false)
        .build()
        .unwrap()
}

/// A 422 with a single error is a few hundred bytes whatever the input.
const ONE_ERROR_BOUND: usize = 1024;

/// The most bytes of any 422 of this app: `MAX_ERRORS` errors of shallow types.
const ANY_BOUND: usize = ValidationError::MAX_ERRORS * 256 + 64;

fn detail(response: &TestResponse) -> Vec<Value> {
    let body: Value = response.json().unwrap();
    body["detail"].as_array().cloned().unwrap()
}

#[test]
fn the_errors_listed_are_the_first_and_the_rest_are_counted() {
    let app = app();
    let max = ValidationError::MAX_ERRORS;
    for count in [1, max - 1, max, max + 1, 1000, 20_000] {
        let items: Vec<Value> = (0..count).map(|_| json!({ "n": 0 })).collect();
        let event = testing::function_url()
            .post("/items")
            .json(&json!({ "items": items }));
        let response = testing::call(&app, event);
        assert_eq!(response.status(), 422, "{count}");
        assert!(response.body_bytes().len() <= ANY_BOUND, "{count}");
        let body: Value = response.json().unwrap();
        let listed = body["detail"].as_array().unwrap();
        assert_eq!(listed.len(), count.min(max), "{count}");
        // In order: garde's order of the items, which is the list's.
        for (index, error) in listed.iter().enumerate() {
            assert_eq!(
                error["loc"],
                json!(["body", "items", index, "n"]),
                "{count}"
            );
        }
        let omitted = count.saturating_sub(max);
        let expected = (omitted > 0).then(|| json!(omitted));
        assert_eq!(body.get("omitted").cloned(), expected, "{count}");
    }
}

#[test]
fn the_cap_spans_every_argument_in_order() {
    let app = app();
    let max = ValidationError::MAX_ERRORS;
    let items: Vec<Value> = (0..max * 2).map(|_| json!({ "n": 0 })).collect();
    let event = testing::function_url()
        .post("/items-and-query")
        .query("limit", "99")
        .json(&json!({ "items": items }));
    let response = testing::call(&app, event);
    assert_eq!(response.status(), 422);
    let body: Value = response.json().unwrap();
    let listed = body["detail"].as_array().unwrap();
    assert_eq!(listed.len(), max);
    assert_eq!(listed[0]["loc"], json!(["query", "limit"]));
    assert_eq!(listed[1]["loc"], json!(["body", "items", 0, "n"]));
    assert_eq!(body["omitted"], json!(max * 2 + 1 - max));
}

/// `(what, the event carrying `payload`, the expected `loc` with `{}` for the payload's
/// prefix, the type, the message or `None` when it may hold a cut echo)`.
type Hostile = (
    &'static str,
    fn(&str) -> EventBuilder,
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
);

const HOSTILE: &[Hostile] = &[
    (
        "body enum value",
        |p| {
            testing::function_url()
                .post("/sorted")
                .json(&json!({ "order": p }))
        },
        &["body", "order"],
        "enum",
        Some("Input should be 'asc' or 'desc'"),
    ),
    (
        "body enum of another type",
        |_| {
            testing::function_url()
                .post("/sorted")
                .json(&json!({ "order": 5 }))
        },
        &["body", "order"],
        "enum",
        Some("Input should be a valid enumeration member"),
    ),
    (
        "body unknown key",
        |p| {
            testing::function_url()
                .post("/strict")
                .json(&json!({ p: 1 }))
        },
        &["body", "{}"],
        "extra_forbidden",
        Some("Extra inputs are not permitted"),
    ),
    (
        "body char",
        |p| {
            testing::function_url()
                .post("/letter")
                .json(&json!({ "c": p }))
        },
        &["body", "c"],
        "value_error",
        Some("Input should be a single character"),
    ),
    (
        "body map key",
        |p| testing::function_url().post("/map").json(&json!({ p: 1 })),
        &["body"],
        "int_type",
        Some("Input should be a valid integer"),
    ),
    (
        "body enum map key",
        |p| {
            testing::function_url()
                .post("/order-map")
                .json(&json!({ p: 1 }))
        },
        &["body"],
        "enum",
        Some("Input should be 'asc' or 'desc'"),
    ),
    (
        "body integer of another type",
        |p| {
            testing::function_url()
                .post("/map")
                .json(&json!({ "7": p }))
        },
        &["body", "7"],
        "int_type",
        Some("Input should be a valid integer"),
    ),
    (
        "body custom message",
        |p| testing::function_url().post("/echoing").json(&json!(p)),
        &["body"],
        "value_error",
        None,
    ),
    (
        "path enum",
        |p| testing::function_url().get(&format!("/path/{p}")),
        &["path", "order"],
        "enum",
        Some("Input should be 'asc' or 'desc'"),
    ),
    (
        "query enum",
        |p| testing::function_url().get("/query").query("order", p),
        &["query", "order"],
        "enum",
        Some("Input should be 'asc' or 'desc'"),
    ),
    (
        "header enum",
        |p| testing::function_url().get("/header").header("order", p),
        &["header", "order"],
        "enum",
        Some("Input should be 'asc' or 'desc'"),
    ),
    (
        "query custom message, long key",
        |p| testing::function_url().get("/query-echoing").query(p, p),
        &["query", "{}"],
        "value_error",
        None,
    ),
];

/// The payload: `size` bytes of a marker no message contains, with multi-byte characters
/// so that a cut must fall on a character boundary.
fn payload(size: usize) -> String {
    "zé".repeat(size / 3)
}

#[test]
fn hostile_inputs_answer_a_small_422_without_echo() {
    let app = app();
    for &(what, event, loc, kind, msg) in HOSTILE {
        for size in [30, 3_000, 1_000_000] {
            let payload = payload(size);
            let response = testing::call(&app, event(&payload));
            let what = format!("{what} ({size} bytes)");
            assert_eq!(response.status(), 422, "{what}: {}", response.text());
            assert!(
                response.body_bytes().len() <= ONE_ERROR_BOUND,
                "{what}: {} bytes",
                response.body_bytes().len()
            );
            let errors = detail(&response);
            assert_eq!(errors.len(), 1, "{what}");
            let error = &errors[0];
            assert_eq!(error["type"], kind, "{what}: {error}");
            // Each step of the location once, a name from the input as a prefix of it.
            let steps = error["loc"].as_array().unwrap();
            assert_eq!(steps.len(), loc.len(), "{what}: {steps:?}");
            for (step, expected) in steps.iter().zip(loc) {
                let step = step.as_str().unwrap();
                if *expected == "{}" {
                    let kept = step.strip_suffix('…').unwrap_or(step);
                    assert!(payload.starts_with(kept), "{what}: {step}");
                    assert!(step.len() <= ValidationError::MAX_ECHO, "{what}: {step}");
                } else {
                    assert_eq!(step, *expected, "{what}");
                }
            }
            let text = error["msg"].as_str().unwrap();
            match msg {
                Some(msg) => assert_eq!(text, msg, "{what}"),
                None => assert!(text.len() <= ValidationError::MAX_MESSAGE, "{what}: {text}"),
            }
        }
    }
}

#[test]
fn no_message_names_a_rust_type() {
    let app = app();
    let rust_words = [
        "expected", "u8", "u32", "u64", "enum ", "struct ", "variant", "`",
    ];
    for &(what, event, ..) in HOSTILE {
        let response = testing::call(&app, event("xy"));
        assert_eq!(response.status(), 422, "{what}: {}", response.text());
        for error in detail(&response) {
            let msg = error["msg"].as_str().unwrap();
            let named = rust_words.iter().find(|word| msg.contains(*word));
            assert!(
                named.is_none() || msg.starts_with("not a code"),
                "{what}: {msg}"
            );
        }
    }
}
