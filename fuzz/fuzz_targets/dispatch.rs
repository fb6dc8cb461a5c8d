//! Full dispatch of arbitrary bytes through an app that uses every feature (CORS with
//! credentials, middleware, a panicking route and middleware, error handlers, regex
//! routes, gzip, cache control, strip prefixes, async handlers that wait and panic, typed
//! routes, the OpenAPI document and Swagger UI, 405s on the sync-wrapped apps). The
//! first byte picks the source and the middleware: none (JSON bodies then take the
//! one-pass envelope path, async handlers the arena path), a sync one, or an async one.
//! Invariants: a typed `EventError` or a valid proxy response, finished by the library's
//! rules (no framing header, one value per library-owned header, no body where the status
//! forbids one, a status within 100-599 even when a handler returns another); no secret
//! from an error or panic reaches the client (debug is off); and the same `Scratch` then
//! answers a known event exactly as a fresh one does (the shared context given to the
//! fuzzed invocation included: it never reaches the next one, whatever the event).
#![no_main]

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use fuzz_support::{
    KINDS, builder_for, check_envelope, check_event_error, check_finished,
    let_intended_panics_unwind, source_answering,
};
use lambda_router::extract::{Headers, Path, Query, State};
use lambda_router::openapi::{OpenApi, Operation};
use lambda_router::{
    App, AsyncMiddleware, AsyncNext, BoxFuture, Cors, Error, Json, LambdaContext, Next, Request,
    Response, Route, Scratch, ServiceError,
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

/// Put into the shared context of the fuzzed invocation only.
#[derive(Clone, Debug)]
struct Leftover;

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

/// `tag` as an async middleware (so async routes can sit behind it).
struct AsyncTag;

impl AsyncMiddleware for AsyncTag {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        Box::pin(async move {
            if req.header("x-panic-middleware").is_some() {
                panic!("SECRET-async-middleware-panic");
            }
            YieldOnce(false).await;
            let mut response = next.run(req).await?;
            response.append_header("X-Tag", "1");
            Ok(response)
        })
    }
}

/// A future that is pending once (waking itself), so handlers really suspend.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

async fn async_todo(req: &Request<'_>) -> Result<Json<serde_json::Value>, ServiceError> {
    YieldOnce(false).await;
    let id = req
        .param("id")
        .ok_or_else(|| ServiceError::not_found("no id"))?;
    Ok(Json(serde_json::json!({"id": id, "q": req.query("q")})))
}

async fn async_panic(req: &Request<'_>) -> Response {
    YieldOnce(false).await;
    panic!("SECRET-async-panic {}", req.path())
}

fn query(req: &Request<'_>) -> Result<Json<Option<String>>, ServiceError> {
    Ok(Json(req.query("q").map(str::to_owned)))
}

#[derive(serde::Deserialize)]
struct TypedTodo<'a> {
    title: &'a str,
    #[serde(default)]
    tags: Vec<&'a str>,
}

#[derive(serde::Deserialize)]
struct TypedPage {
    limit: u32,
    #[serde(default)]
    q: Vec<String>,
}

#[derive(serde::Deserialize)]
struct TypedAuth<'a> {
    x_api_key: Option<&'a str>,
}

lambda_router::rebind!(TypedTodo<'a>, TypedPage, TypedAuth<'a>);

/// A typed route reading every kind of input, so that the fuzzed requests drive the
/// extractors and their 422s.
fn typed_todo<'r>(
    State(prefix): State<&u32>,
    Path((list, id)): Path<(&'r str, u64)>,
    Query(page): Query<TypedPage>,
    Headers(auth): Headers<TypedAuth<'r>>,
    Json(todo): Json<TypedTodo<'r>>,
) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "prefix": prefix, "list": list, "id": id, "limit": page.limit, "q": page.q,
        "key": auth.x_api_key, "title": todo.title, "tags": todo.tags,
    }))
}

/// Which middleware wraps every route.
#[derive(Clone, Copy)]
enum Wrapping {
    None,
    Sync,
    Async,
}

fn app(source: u8, wrapping: Wrapping) -> App {
    let builder = builder_for(source);
    let builder = match wrapping {
        Wrapping::None => builder,
        Wrapping::Sync => builder.middleware(tag),
        Wrapping::Async => builder.middleware_async(AsyncTag),
    };
    let builder = match wrapping {
        // A sync middleware cannot wrap an async handler (`build()` refuses).
        Wrapping::Sync => builder,
        Wrapping::None | Wrapping::Async => builder
            .get("/async/<id>", async_todo)
            .get("/async-panic", async_panic),
    };
    // 405s on for the sync-wrapped apps: a missed method then looks the path up again.
    let builder = builder.method_not_allowed(matches!(wrapping, Wrapping::Sync));
    builder
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
        .get("/todos/<id>", |req: &Request<'_>| {
            // The known event's route: what it sees of the shared context is part of the
            // answer compared with a fresh `Scratch`'s, so a context left over from the
            // fuzzed invocation is a crash.
            let leaked = req.context().get::<Leftover>().is_some();
            Json(serde_json::json!({"id": req.param("id"), "leftover": leaked}))
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
        .state(7_u32)
        .post("/typed/<list>/<id>", typed_todo)
        .doc(
            Operation::new()
                .summary("Typed")
                .returns::<serde_json::Value>(200, "Echo"),
        )
        // The document and Swagger UI, rendered on the first fuzzed request of them.
        .openapi(OpenApi::new("Fuzz", "1"))
        .add_route(
            Route::get("/bin", |req: &Request<'_>| {
                Response::binary(200, req.body().ok().flatten().unwrap_or(b"none").to_vec())
                    .content_type("application/octet-stream")
            })
            .compress(true)
            .cache_control("max-age=5"),
        )
        .add_route(
            Route::get("/owned/<status>", |req: &Request<'_>| {
                let status = req.param("status").and_then(|s| s.parse().ok());
                Response::text(status.unwrap_or(200), "owned")
                    .header("Access-Control-Allow-Origin", "https://b.example")
                    .header("Cache-Control", "private")
                    .header("Content-Length", "1")
                    .header("Transfer-Encoding", "chunked")
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
    APPS.get_or_init(|| {
        let_intended_panics_unwind();
        [Wrapping::None, Wrapping::Sync, Wrapping::Async]
            .into_iter()
            .flat_map(|wrapping| (0..KINDS).map(move |source| app(source, wrapping)))
            .collect()
    })
}

const KNOWN_REST: &[u8] = br#"{"httpMethod":"GET","path":"/api/todos/7","headers":{"origin":"https://a.example","accept-encoding":"gzip"}}"#;
const KNOWN_V2: &[u8] = br#"{"rawPath":"/todos/7","requestContext":{"http":{"method":"GET"}},"headers":{"origin":"https://a.example"}}"#;
const KNOWN_LATTICE: &[u8] =
    br#"{"raw_path":"/todos/7","method":"GET","headers":{"origin":"https://a.example"}}"#;
const KNOWN_LATTICE_V2: &[u8] = br#"{"version":"2.0","path":"/todos/7","method":"GET","headers":{"origin":["https://a.example"]}}"#;

fn known(app: &App) -> &'static [u8] {
    use lambda_router::Source;
    match app.source() {
        Some(Source::RestV1 | Source::Alb) | None => KNOWN_REST,
        Some(Source::VpcLattice) => KNOWN_LATTICE,
        Some(Source::VpcLatticeV2) => KNOWN_LATTICE_V2,
        Some(_) => KNOWN_V2,
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

/// The scratch of a fuzzed invocation: its shared context holds a `Leftover`.
fn fuzzed_scratch() -> Scratch {
    let mut scratch = Scratch::new();
    scratch.context_mut().insert(Leftover);
    scratch
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, event)) = data.split_first() else {
        return;
    };
    let index = usize::from(selector) % apps().len();
    let app = &apps()[index];
    let mut scratch = fuzzed_scratch();
    match app.handle_blocking(&mut scratch, event, &LambdaContext::default()) {
        Ok(out) => {
            let text = String::from_utf8_lossy(out);
            assert!(!text.contains("SECRET"), "secret leaked: {text}");
            assert!(!text.contains("panicked"), "panic leaked: {text}");
            // The app for any source answers as the app (same middleware) of one source.
            let first_of_wrapping = index - index % usize::from(KINDS);
            let fixed = &apps()[first_of_wrapping..first_of_wrapping + usize::from(KINDS)];
            let source = app
                .source()
                .unwrap_or_else(|| source_answering(fixed, event, out, fuzzed_scratch));
            let (response, _) = check_envelope(source, out);
            check_finished(&response);
            // CORS: never `*` with credentials, and only an exact origin is echoed.
            if let Some(origin) = fuzz_support::header(&response, "access-control-allow-origin") {
                assert!(
                    origin == "https://a.example" || origin == "https://b.example",
                    "origin {origin:?} echoed"
                );
            }
        }
        Err(error) => check_event_error(app.source(), &error),
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
