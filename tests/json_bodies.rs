//! A JSON body reaches the client as the same JSON whichever way it is written: serialized
//! straight into the envelope's escaped form (a route with no middleware and no
//! compression), or plainly and escaped afterwards (middleware, custom `IntoResponse`
//! types, compression). And user code that reads a body back always sees plain JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::io::Read;

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
        "numbers": [0, -1, 1.5e300, u64::MAX], "nested": {"key \"q\"": [null, true, {}]}
    })
}

fn event(path: &str, headers: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "httpMethod": "GET", "path": path, "headers": headers, "multiValueHeaders": null,
        "queryStringParameters": null, "body": null, "isBase64Encoded": false,
        "requestContext": {"requestId": "r-1", "stage": "prod"}
    }))
    .unwrap()
}

fn call(app: &App, path: &str, headers: Value) -> Value {
    let mut scratch = Scratch::new();
    let out = app
        .handle_blocking(
            &mut scratch,
            &event(path, headers),
            &LambdaContext::default(),
        )
        .unwrap();
    serde_json::from_slice(out).unwrap()
}

/// The response body as JSON, gunzipped when it says so.
fn body_json(response: &Value) -> Value {
    let body = response["body"].as_str().unwrap();
    if response["isBase64Encoded"] == true {
        let gzipped = base64_simd::STANDARD.decode_to_vec(body).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(gzipped.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    } else {
        serde_json::from_str(body).unwrap()
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
    let gzip = json!({"Accept-Encoding": "gzip"});
    for (path, headers, status, gzipped) in [
        ("/plain", json!({}), 200, false),
        ("/plain", gzip.clone(), 200, false),
        ("/created", json!({}), 201, false),
        ("/asked", json!({}), 200, false),
        ("/asked", gzip.clone(), 200, true),
        ("/custom", json!({}), 200, false),
        ("/zipped", json!({}), 200, false),
        ("/zipped", gzip, 200, true),
        ("/watched", json!({}), 200, false),
    ] {
        let response = call(&app, path, headers);
        assert_eq!(response["statusCode"], status, "{path}");
        assert_eq!(response["isBase64Encoded"], gzipped, "{path}");
        assert_eq!(body_json(&response), tricky(), "{path}");
        assert_eq!(
            response["multiValueHeaders"]["Content-Type"],
            json!(["application/json"]),
            "{path}"
        );
    }
}

#[test]
fn user_code_reads_plain_json_back() {
    let app = app();
    for path in ["/custom", "/watched"] {
        let response = call(&app, path, json!({}));
        assert_eq!(
            response["multiValueHeaders"]["X-Read-Back"],
            json!(["ok"]),
            "{path}"
        );
    }
}

#[test]
fn the_recycled_buffer_serves_both_forms_in_turn() {
    let app = app();
    let mut scratch = Scratch::new();
    for path in ["/plain", "/watched", "/plain", "/custom", "/plain"] {
        let out = app
            .handle_blocking(
                &mut scratch,
                &event(path, json!({})),
                &LambdaContext::default(),
            )
            .unwrap();
        let response: Value = serde_json::from_slice(out).unwrap();
        assert_eq!(body_json(&response), tricky(), "{path}");
    }
}
