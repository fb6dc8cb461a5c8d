//! A JSON body reaches the client as the same JSON whichever way it is written: serialized
//! straight into the envelope's escaped form (a route with no middleware and no
//! compression), or plainly and escaped afterwards (middleware, custom `IntoResponse`
//! types, compression). And user code that reads a body back always sees plain JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::io::Read;

use lambda_router::testing::{self, TestResponse};
use lambda_router::{
    App, Body, IntoResponse, Json, LambdaContext, Next, Request, Response, ResponseContext, Route,
    Scratch,
};
use serde_json::{Value, json};

/// Every kind of byte the two escapings treat differently.
fn tricky() -> Value {
    json!({
        "quote": "say \"hi\"", "backslash": "C:\\temp\\", "slash": "a/b",
        "controls": "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}", "unicode": "é日🦀\u{2028}",
        "numbers": [0, -1, 1.5e300, u64::MAX], "nested": {"key \"q\"": [null, true, {}]},
        // Long enough that gzip makes it smaller (else it is sent as it is).
        "filler": "a tricky body, ".repeat(20)
    })
}

/// The response body as JSON, gunzipped when it says so.
fn body_json(response: &TestResponse) -> Value {
    if response.header("Content-Encoding") == Some("gzip") {
        let mut text = String::new();
        flate2::read::GzDecoder::new(response.body_bytes())
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    } else {
        response.json().unwrap()
    }
}

/// A user type that reads back the body its inner `Json` produced.
struct Measured(Value);

impl IntoResponse for Measured {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        let response = Json(self.0).into_response(cx);
        let plain = response.body().as_bytes().map(<[u8]>::to_vec);
        let parsed: Value = serde_json::from_slice(&plain.unwrap_or_default()).unwrap();
        assert_eq!(parsed, tricky(), "a body read back must be plain JSON");
        response.header("X-Read-Back", "ok")
    }
}

fn app() -> App {
    App::rest()
        .get("/plain", |_: &Request<'_>| Json(tricky()))
        .get("/created", |_: &Request<'_>| (201, Json(tricky())))
        .get("/asked", |_: &Request<'_>| {
            Response::json(200, tricky()).compress(true)
        })
        .get("/custom", |_: &Request<'_>| Measured(tricky()))
        .add_route(Route::get("/zipped", |_: &Request<'_>| Json(tricky())).compress(true))
        .add_route(
            Route::get("/watched", |_: &Request<'_>| Json(tricky())).middleware(
                |req: &mut Request<'_>, next: Next<'_>| {
                    let response = next.run(req)?;
                    let plain = match response.body() {
                        Body::Json(json) => json.as_bytes().to_vec(),
                        other => panic!("expected a JSON body, got {other:?}"),
                    };
                    assert_eq!(serde_json::from_slice::<Value>(&plain)?, tricky());
                    Ok(response.header("X-Read-Back", "ok"))
                },
            ),
        )
        .build()
        .unwrap()
}

#[test]
fn every_path_sends_the_same_json() {
    let app = app();
    for (path, gzip, status, gzipped) in [
        ("/plain", false, 200, false),
        ("/plain", true, 200, false),
        ("/created", false, 201, false),
        ("/asked", false, 200, false),
        ("/asked", true, 200, true),
        ("/custom", false, 200, false),
        ("/zipped", false, 200, false),
        ("/zipped", true, 200, true),
        ("/watched", false, 200, false),
    ] {
        let mut event = testing::rest().get(path);
        if gzip {
            event = event.header("Accept-Encoding", "gzip");
        }
        let response = testing::call(&app, event);
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.is_base64_encoded(), gzipped, "{path}");
        assert_eq!(body_json(&response), tricky(), "{path}");
        assert_eq!(
            response.headers("Content-Type"),
            ["application/json"],
            "{path}"
        );
    }
}

#[test]
fn user_code_reads_plain_json_back() {
    let app = app();
    for path in ["/custom", "/watched"] {
        let response = testing::call(&app, testing::rest().get(path));
        assert_eq!(response.headers("X-Read-Back"), ["ok"], "{path}");
    }
}

#[test]
fn the_recycled_buffer_serves_both_forms_in_turn() {
    let app = app();
    let mut scratch = Scratch::new();
    for path in ["/plain", "/watched", "/plain", "/custom", "/plain"] {
        let event = testing::rest().get(path).to_bytes();
        let out = app
            .handle_blocking(&mut scratch, &event, &LambdaContext::default())
            .unwrap();
        let response = TestResponse::parse(out).unwrap();
        assert_eq!(body_json(&response), tricky(), "{path}");
    }
}
