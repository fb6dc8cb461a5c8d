//! Full dispatch of arbitrary bytes through an app that uses every feature (CORS with
//! credentials, middleware, a panicking route and middleware, error handlers, regex
//! routes, gzip, cache control, strip prefixes). Invariants: a typed `EventError` or
//! a valid proxy response; no secret from an error or panic reaches the client (debug is
//! off); and the same `Scratch` then answers a known event exactly as a fresh one does.
#![no_main]

use std::sync::OnceLock;

use fuzz_support::{builder_for, check_envelope, check_event_error};
use lambda_router::{
    App, Cors, Error, Json, LambdaContext, Next, Request, Response, Route, Scratch, ServiceError,
};
use libfuzzer_sys::fuzz_target;

#[derive(Debug)]
struct Secret;

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SECRET-detail")
    }
}

impl std::error::Error for Secret {}

#[derive(Debug)]
struct Handled;

impl std::fmt::Display for Handled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("handled")
    }
}

impl std::error::Error for Handled {}

fn tag(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
    if req.header("x-panic-middleware").is_some() {
        panic!("SECRET-middleware-panic");
    }
    let mut response = next.run(req)?;
    response.append_header("X-Tag", "1");
    Ok(response)
}

fn query(req: &Request<'_>) -> Result<Json<Option<String>>, ServiceError> {
    Ok(Json(req.query("q").map(str::to_owned)))
}

fn app(source: u8) -> App {
    builder_for(source)
        .debug(false)
        .strip_prefixes(["/api"])
        .cors(
            Cors::new()
                .allow_origin("https://a.example")
                .extra_origins(["https://b.example"])
                .allow_credentials(true)
                .expose_headers(["X-Tag"])
                .max_age(60),
        )
        .middleware(tag)
        .get("/todos/<id>", |req: &Request<'_>| {
            Json(serde_json::json!({"id": req.param("id")}))
        })
        .post("/todos", |req: &Request<'_>| {
            let value: serde_json::Value = req
                .json()
                .map_err(|_| ServiceError::bad_request("invalid todo"))?;
            Ok::<_, ServiceError>((201, Json(value)))
        })
        .get("/panic", |_: &Request<'_>| -> Response {
            panic!("SECRET-handler-panic")
        })
        .get("/error", |_: &Request<'_>| -> Result<Response, Error> {
            Err(Error::new(Handled))
        })
        .get("/secret", |_: &Request<'_>| -> Result<Response, Error> {
            Err(Error::new(Secret))
        })
        .get("/files/<name>.json", |req: &Request<'_>| {
            Response::text(200, req.param("name").unwrap_or("").to_owned())
        })
        .get("/query", query)
        .add_route(
            Route::get("/bin", |req: &Request<'_>| {
                Response::binary(200, req.body().unwrap_or(b"none").to_vec())
                    .content_type("application/octet-stream")
            })
            .compress(true)
            .cache_control("max-age=5"),
        )
        .on_error(|_: &Handled, _: &Request<'_>| Response::text(418, "teapot"))
        .build()
        .expect("app builds")
}

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| (0..4).map(app).collect())
}

const KNOWN_REST: &[u8] = br#"{"httpMethod":"GET","path":"/api/todos/7","headers":{"origin":"https://a.example","accept-encoding":"gzip"}}"#;
const KNOWN_V2: &[u8] = br#"{"rawPath":"/todos/7","requestContext":{"http":{"method":"GET"}},"headers":{"origin":"https://a.example"}}"#;

fn known(app: &App) -> &'static [u8] {
    match app.source() {
        lambda_router::Source::RestV1 | lambda_router::Source::Alb => KNOWN_REST,
        _ => KNOWN_V2,
    }
}

fn fresh_answers() -> &'static [Vec<u8>] {
    static ANSWERS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        apps()
            .iter()
            .map(|app| {
                app.handle_blocking(&mut Scratch::new(), known(app), &LambdaContext::default())
                    .expect("known event")
                    .to_vec()
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, event)) = data.split_first() else {
        return;
    };
    let index = usize::from(selector % 4);
    let app = &apps()[index];
    let mut scratch = Scratch::new();
    match app.handle_blocking(&mut scratch, event, &LambdaContext::default()) {
        Ok(out) => {
            let text = String::from_utf8_lossy(out);
            assert!(!text.contains("SECRET"), "secret leaked: {text}");
            assert!(!text.contains("panicked"), "panic leaked: {text}");
            let (response, _) = check_envelope(app.source(), out);
            // CORS: never `*` with credentials, and only an exact origin is echoed.
            if let Some(origin) = fuzz_support::header(&response, "access-control-allow-origin") {
                assert!(
                    origin == "https://a.example" || origin == "https://b.example",
                    "origin {origin:?} echoed"
                );
            }
        }
        Err(error) => check_event_error(&error),
    }
    let again = app
        .handle_blocking(&mut scratch, known(app), &LambdaContext::default())
        .expect("known event");
    assert_eq!(
        again,
        fresh_answers()[index].as_slice(),
        "scratch reuse changed the answer"
    );
});
