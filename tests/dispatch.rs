//! End-to-end behaviour of `App::handle`: event bytes in, proxy response out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::sync::{Arc, Mutex};

use lambda_router::{
    App, AppBuilder, BodyError, Error, Json, LambdaContext, Next, Request, Response, Route,
    Scratch, ServiceError,
};
use serde_json::{Value, json};

fn rest_event(method: &str, path: &str, headers: Value, body: Option<&str>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "httpMethod": method, "path": path, "headers": headers,
        "multiValueHeaders": null, "queryStringParameters": null,
        "multiValueQueryStringParameters": null, "body": body, "isBase64Encoded": false,
        "requestContext": {"requestId": "r-1", "stage": "prod"}
    }))
    .unwrap()
}

fn v2_event(method: &str, path: &str, headers: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "version": "2.0", "rawPath": path, "rawQueryString": "", "headers": headers,
        "requestContext": {"http": {"method": method, "path": path}, "stage": "$default"},
        "isBase64Encoded": false
    }))
    .unwrap()
}

fn call(app: &App, scratch: &mut Scratch, event: &[u8]) -> Value {
    let out = app
        .handle_blocking(scratch, event, &LambdaContext::default())
        .unwrap_or_else(|e| panic!("event rejected: {e}"));
    serde_json::from_slice(out).unwrap()
}

fn get(app: &App, path: &str) -> Value {
    call(
        app,
        &mut Scratch::new(),
        &rest_event("GET", path, json!({}), None),
    )
}

fn build(app: AppBuilder) -> App {
    app.build().unwrap_or_else(|e| panic!("build failed: {e}"))
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Tenant(&'static str);

#[test]
fn shared_context_is_visible_then_emptied_after_every_invocation() {
    let app = build(
        App::rest()
            .get("/who", |req: &Request<'_>| {
                Json(req.context().get::<Tenant>().map(|t| t.0))
            })
            .get("/fail", |_: &Request<'_>| -> Result<(), Error> {
                Err(ServiceError::conflict("x").into())
            })
            .get("/panic", |_: &Request<'_>| -> &'static str {
                panic!("boom")
            }),
    );
    let mut scratch = Scratch::new();
    for path in ["/who", "/fail", "/panic", "/nope"] {
        scratch.context_mut().insert(Tenant("acme"));
        let res = call(
            &app,
            &mut scratch,
            &rest_event("GET", path, json!({}), None),
        );
        if path == "/who" {
            assert_eq!(res["body"], r#""acme""#);
        }
        assert!(
            scratch.context_mut().get::<Tenant>().is_none(),
            "context kept after {path}"
        );
    }
    let res = call(
        &app,
        &mut scratch,
        &rest_event("GET", "/who", json!({}), None),
    );
    assert_eq!(
        res["body"], "null",
        "a value leaked into the next invocation"
    );
}

#[test]
fn a_panicking_handler_answers_500_and_the_next_invocation_works() {
    let app = build(
        App::rest()
            .get("/panic", |_: &Request<'_>| -> &'static str {
                panic!("boom")
            })
            .get("/ok", |_: &Request<'_>| "fine"),
    );
    let mut scratch = Scratch::new();
    let res = call(
        &app,
        &mut scratch,
        &rest_event("GET", "/panic", json!({}), None),
    );
    assert_eq!(res["statusCode"], 500);
    assert_eq!(
        res["body"],
        r#"{"statusCode":500,"message":"Internal Server Error"}"#
    );
    let res = call(
        &app,
        &mut scratch,
        &rest_event("GET", "/ok", json!({}), None),
    );
    assert_eq!(res["statusCode"], 200);
    assert_eq!(res["body"], "fine");
}

#[test]
fn debug_mode_answers_the_error_chain_as_text() {
    let app = build(
        App::rest()
            .debug(true)
            .get("/fail", |_: &Request<'_>| -> Result<(), Error> {
                Err(Error::new(std::io::Error::other("disk on fire")))
            }),
    );
    let res = get(&app, "/fail");
    assert_eq!(res["statusCode"], 500);
    assert_eq!(
        res["multiValueHeaders"]["Content-Type"],
        json!(["text/plain"])
    );
    assert_eq!(res["body"], "disk on fire");
}

async fn async_todo(req: &Request<'_>) -> Result<Json<Value>, ServiceError> {
    YieldOnce(false).await;
    let id: u32 = req
        .param("id")
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| ServiceError::bad_request("id"))?;
    Ok(Json(json!({"id": id})))
}

/// A future that is pending once, as real I/O would be.
struct YieldOnce(bool);
impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

#[test]
fn async_handlers_borrow_the_request_and_return_results() {
    let app = build(App::http_api().get("/todos/<id>", async_todo));
    let mut scratch = Scratch::new();
    let ok = call(&app, &mut scratch, &v2_event("GET", "/todos/7", json!({})));
    assert_eq!(ok["statusCode"], 200);
    assert_eq!(ok["body"], r#"{"id":7}"#);
    let bad = call(&app, &mut scratch, &v2_event("GET", "/todos/x", json!({})));
    assert_eq!(bad["statusCode"], 400);
}

#[test]
fn async_handler_future_is_send() {
    fn assert_send<T: Send>(_: T) {}
    let app = build(App::http_api().get("/todos/<id>", async_todo));
    let mut scratch = Scratch::new();
    let event = v2_event("GET", "/todos/7", json!({}));
    let lambda = LambdaContext::default();
    assert_send(app.handle(&mut scratch, &event, &lambda));
}

#[derive(Debug)]
struct Teapot;
impl std::fmt::Display for Teapot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("teapot")
    }
}
impl std::error::Error for Teapot {}

#[test]
fn error_handlers_answer_their_type_and_others_are_500() {
    let app = build(
        App::rest()
            .on_error(|_: &Teapot, _: &Request<'_>| Response::text(418, "short and stout"))
            .get("/teapot", |_: &Request<'_>| -> Result<(), Teapot> {
                Err(Teapot)
            })
            .get("/io", |_: &Request<'_>| -> Result<(), std::io::Error> {
                Err(std::io::Error::other("x"))
            })
            .get("/service", |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::too_many_requests("slow down"))
            }),
    );
    assert_eq!(get(&app, "/teapot")["statusCode"], 418);
    assert_eq!(get(&app, "/teapot")["body"], "short and stout");
    let io = get(&app, "/io");
    assert_eq!(io["statusCode"], 500);
    assert_eq!(
        io["body"],
        r#"{"statusCode":500,"message":"Internal Server Error"}"#
    );
    let service = get(&app, "/service");
    assert_eq!(service["statusCode"], 429);
    assert_eq!(
        service["body"],
        r#"{"statusCode":429,"message":"slow down"}"#
    );
}

#[test]
fn not_found_handler_answers_unmatched_paths_and_raised_404s() {
    let app = build(
        App::rest()
            .not_found(|req: &Request<'_>| Response::text(418, format!("no {}", req.path())))
            .get("/raise", |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::not_found("gone"))
            }),
    );
    assert_eq!(get(&app, "/nope")["body"], "no /nope");
    assert_eq!(get(&app, "/raise")["statusCode"], 418);
    let default = get(&build(App::rest()), "/nope");
    assert_eq!(default["statusCode"], 404);
    assert_eq!(
        default["body"],
        r#"{"statusCode":404,"message":"Not found"}"#
    );
}

#[test]
fn middleware_runs_in_onion_order_and_errors_skip_the_way_out() {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let tracer = |name: &'static str, log: Arc<Mutex<Vec<String>>>| {
        move |req: &mut Request<'_>, next: Next<'_>| -> Result<Response, Error> {
            log.lock().unwrap().push(format!("{name}-in"));
            let res = next.run(req)?;
            log.lock().unwrap().push(format!("{name}-out"));
            Ok(res)
        }
    };
    let handler_log = log.clone();
    let app = build(
        App::rest()
            .middleware(tracer("g1", log.clone()))
            .middleware(tracer("g2", log.clone()))
            .add_route(
                Route::get("/x", move |_: &Request<'_>| {
                    handler_log.lock().unwrap().push("handler".into());
                    "ok"
                })
                .middleware(tracer("r1", log.clone())),
            )
            .add_route(
                Route::get("/err", |_: &Request<'_>| -> Result<(), ServiceError> {
                    Err(ServiceError::bad_request("no"))
                })
                .middleware(tracer("r1", log.clone())),
            ),
    );
    get(&app, "/x");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "g1-in", "g2-in", "r1-in", "handler", "r1-out", "g2-out", "g1-out"
        ]
    );
    log.lock().unwrap().clear();
    assert_eq!(get(&app, "/err")["statusCode"], 400);
    assert_eq!(*log.lock().unwrap(), ["g1-in", "g2-in", "r1-in"]);
}

#[test]
fn envelopes_follow_the_source() {
    let app = |b: AppBuilder| {
        build(b.get("/c", |_: &Request<'_>| {
            Response::text(200, "hi")
                .header("X-Multi", "a")
                .header("X-Multi", "b")
                .cookie(lambda_router::Cookie::new("a", "1"))
        }))
    };
    let rest = get(&app(App::rest()), "/c");
    assert_eq!(rest["multiValueHeaders"]["X-Multi"], json!(["a", "b"]));
    assert_eq!(
        rest["multiValueHeaders"]["Set-Cookie"],
        json!(["a=1; Secure"])
    );
    assert!(rest.get("headers").is_none());

    let v2 = call(
        &app(App::http_api()),
        &mut Scratch::new(),
        &v2_event("GET", "/c", json!({})),
    );
    assert_eq!(v2["headers"]["X-Multi"], "a, b");
    assert_eq!(v2["cookies"], json!(["a=1; Secure"]));

    let alb = app(App::alb());
    let single = json!({"httpMethod": "GET", "path": "/c", "headers": {"host": "x"}, "body": "", "isBase64Encoded": false});
    let res = call(
        &alb,
        &mut Scratch::new(),
        &serde_json::to_vec(&single).unwrap(),
    );
    // Single-value ALB joins a repeated header (the default), and carries one cookie.
    assert_eq!(res["headers"]["X-Multi"], "a, b");
    assert_eq!(res["headers"]["Set-Cookie"], "a=1; Secure");
    let multi = json!({"httpMethod": "GET", "path": "/c", "multiValueHeaders": {"host": ["x"]}, "body": "", "isBase64Encoded": false});
    let res = call(
        &alb,
        &mut Scratch::new(),
        &serde_json::to_vec(&multi).unwrap(),
    );
    assert_eq!(res["multiValueHeaders"]["X-Multi"], json!(["a", "b"]));
}

#[test]
fn gzip_follows_accept_encoding_negotiation() {
    let app = build(
        App::rest().add_route(Route::get("/z", |_: &Request<'_>| "z".repeat(500)).compress(true)),
    );
    for (accept, gzipped) in [
        ("gzip", true),
        ("GZIP", true),
        ("*", true),
        ("gzip;q=0", false),
        ("deflate, br", false),
    ] {
        let res = call(
            &app,
            &mut Scratch::new(),
            &rest_event("GET", "/z", json!({"Accept-Encoding": accept}), None),
        );
        assert_eq!(res["isBase64Encoded"], gzipped, "{accept}");
        assert_eq!(
            res["multiValueHeaders"].get("Content-Encoding").is_some(),
            gzipped,
            "{accept}"
        );
    }
}

#[test]
fn a_custom_serializer_writes_bodies_and_default_error_bodies() {
    let app = build(
        App::rest()
            .serializer(|value, out| serde_json::to_writer_pretty(out, value))
            .get("/v", |_: &Request<'_>| Json(json!({"a": [1]}))),
    );
    assert_eq!(get(&app, "/v")["body"], "{\n  \"a\": [\n    1\n  ]\n}");
    assert_eq!(
        get(&app, "/nope")["body"],
        "{\n  \"statusCode\": 404,\n  \"message\": \"Not found\"\n}"
    );
}

#[test]
fn malformed_events_are_typed_errors_with_a_path() {
    let app = build(App::http_api());
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    let cases: [(&[u8], &str, &str); 4] = [
        (b"not json", "event.invalid_json", ""),
        (b"[]", "event.not_an_object", ""),
        (b"{}", "event.missing_field", "requestContext.http.method"),
        (
            br#"{"rawPath":"/","requestContext":{"http":{"method":7}}}"#,
            "event.wrong_type",
            "requestContext.http.method",
        ),
    ];
    for (event, code, path) in cases {
        let err = app
            .handle_blocking(&mut scratch, event, &lambda)
            .expect_err("accepted a malformed event");
        assert_eq!(
            (err.code(), err.path()),
            (code, path),
            "{}",
            String::from_utf8_lossy(event)
        );
    }
}

#[test]
fn duplicate_routes_fail_to_build_naming_both() {
    let err = App::rest()
        .get("/todos/<id>", |_: &Request<'_>| "a")
        .get("/todos/<todo_id>", |_: &Request<'_>| "b")
        .build()
        .expect_err("duplicate accepted");
    let message = err.to_string();
    assert!(
        message.contains("/todos/<id>") && message.contains("/todos/<todo_id>"),
        "{message}"
    );
}

#[test]
fn binary_bodies_are_base64_and_base64_requests_are_decoded() {
    let app = build(
        App::rest()
            .get("/bin", |_: &Request<'_>| {
                Response::binary(200, vec![0u8, 255, 1]).content_type("application/octet-stream")
            })
            .post("/len", |req: &Request<'_>| {
                Ok::<_, BodyError>(Json(req.body()?.map_or(0, <[u8]>::len)))
            }),
    );
    let res = get(&app, "/bin");
    assert_eq!(
        (res["isBase64Encoded"].clone(), res["body"].clone()),
        (json!(true), json!("AP8B"))
    );
    let event =
        json!({"httpMethod": "POST", "path": "/len", "body": "AP8B", "isBase64Encoded": true});
    let res = call(
        &app,
        &mut Scratch::new(),
        &serde_json::to_vec(&event).unwrap(),
    );
    assert_eq!(res["body"], "3");
}
