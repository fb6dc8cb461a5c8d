//! Deeply nested JSON, in the body and in the event, never overflows the stack: a body read
//! with `Request::json` is refused past serde_json's recursion limit (128 nested
//! containers), the event views walk any depth the event parser accepts without recursing,
//! and an event nested deeper than that is a typed error. Each request runs on a thread
//! whose stack could not hold a recursion as deep as the input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing::{self, TestResponse};
use lambda_router::{App, Json, LambdaContext, Request, Response, Scratch};
use serde::Deserialize;
use serde_json::Value;

/// A recursive type as handlers write them (two containers per level).
#[derive(Debug, Deserialize)]
enum Tree {
    Leaf(u8),
    Node(Vec<Tree>),
}

impl Tree {
    /// "depth:leaf" of the first branch.
    fn first_branch(&self) -> String {
        let mut depth = 0;
        let mut level = self;
        loop {
            match level {
                Tree::Leaf(leaf) => return format!("{depth}:{leaf}"),
                Tree::Node(children) => match children.first() {
                    Some(child) => level = child,
                    None => return format!("{depth}:-"),
                },
            }
            depth += 1;
        }
    }
}

/// Enough for the 127 levels allowed in a debug build; a recursion over 1000 levels (or the
/// 1023 the event parser allows) needs several times more.
const SMALL_STACK: usize = 512 * 1024;

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn refused(error: impl std::fmt::Display) -> Response {
    Response::text(400, error.to_string())
}

fn app() -> App {
    App::rest()
        .debug(true)
        .post("/tree", |req: &Request<'_>| match req.json::<Tree>() {
            Ok(tree) => Response::text(200, tree.first_branch()),
            Err(e) => refused(e),
        })
        // Echoes the body: request data driving the response's JSON writer. A refusal is
        // unhandled: a 400 that, in debug mode, shows the error.
        .post("/value", |req: &Request<'_>| req.json::<Value>().map(Json))
        // Walks the event's `extra` field down its first elements, through the views.
        .get("/walk", |req: &Request<'_>| {
            let mut depth = 0;
            let mut level = req.event().get("extra");
            while let Some(view) = level.filter(|v| v.is_array()) {
                depth += 1;
                level = view.items().next();
            }
            let debug = format!("{:?}", req.event());
            Response::text(200, format!("{depth} {}", debug.len() > depth))
        })
        .build()
        .unwrap()
}

fn arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn trees(depth: usize) -> String {
    format!(
        "{}{{\"Leaf\":1}}{}",
        "{\"Node\":[".repeat(depth),
        "]}".repeat(depth)
    )
}

fn post(path: &'static str, body: String) -> TestResponse {
    on_small_stack(move || testing::call(&app(), testing::rest().post(path).body(body)))
}

#[test]
fn a_deep_body_into_a_recursive_type_is_refused_not_a_crash() {
    // ~10 KB, 1000 tree levels is 2000 containers: beyond the event parser's own limit of
    // 1024, so the body falls back to serde_json, which refuses it too.
    for depth in [500, 1000] {
        let response = post("/tree", trees(depth));
        assert_eq!(response.status(), 400);
        assert!(
            response.text().contains("recursion limit exceeded"),
            "{}",
            response.text()
        );
    }
    // 63 levels are 126 containers (plus the leaf's object): read.
    let response = post("/tree", trees(63));
    assert_eq!((response.status(), &*response.text()), (200, "63:1"));
}

#[test]
fn a_deep_body_into_a_json_value_stops_where_serde_json_does() {
    for depth in [125, 126, 127, 128, 129, 1000, 1023, 1024, 1025] {
        let body = arrays(depth);
        let expected = serde_json::from_str::<Value>(&body).is_ok();
        let response = post("/value", body.clone());
        if expected {
            assert_eq!(response.status(), 200, "depth {depth}: {}", response.text());
            // The echo went through the response's JSON writer at the deepest depth a
            // request can reach.
            assert_eq!(response.json::<Value>().unwrap().to_string(), body);
        } else {
            // Unhandled, a body the handler cannot read answers 400 (debug mode: saying why).
            assert_eq!(response.status(), 400, "depth {depth}");
            assert!(
                response.text().contains("recursion limit exceeded"),
                "depth {depth}: {}",
                response.text()
            );
        }
    }
}

/// The event itself may nest as deep as its parser allows (1024 levels); the views walk it
/// with loops, and `Debug` prints it flat.
#[test]
fn event_views_walk_the_deepest_event_without_recursing() {
    let mut event = testing::rest().get("/walk").to_bytes();
    assert_eq!(event.pop(), Some(b'}'));
    event.extend_from_slice(format!(",\"extra\":{}}}", arrays(1000)).as_bytes());
    let response = on_small_stack(move || testing::call(&app(), event));
    assert_eq!((response.status(), &*response.text()), (200, "1000 true"));
}

/// A 6 MB event of nothing but `[`: simd-json's parser is iterative, with a depth limit, so
/// this is a typed error, and the same scratch then serves a plain request.
#[test]
fn an_event_nested_past_the_parser_limit_is_a_typed_error() {
    let answers = on_small_stack(|| {
        let app = app();
        let mut scratch = Scratch::new();
        let lambda = LambdaContext::default();
        let deep = vec![b'['; 6 * 1024 * 1024];
        let error = app
            .handle_blocking(&mut scratch, &deep, &lambda)
            .map(<[u8]>::to_vec)
            .unwrap_err();
        let plain = testing::rest().post("/tree").body(trees(2)).to_bytes();
        let after = app
            .handle_blocking(&mut scratch, &plain, &lambda)
            .map(|out| serde_json::from_slice::<Value>(out).unwrap());
        (error.code().to_owned(), after.unwrap())
    });
    assert_eq!(answers.0, "event.invalid_json");
    assert_eq!(answers.1["statusCode"], 200);
    assert_eq!(answers.1["body"], "2:1");
}
