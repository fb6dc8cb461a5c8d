//! The conformance app (the kit's `APP.md`), on lambda-router's public API.
//!
//!     cargo run --release -p conformance-app -- [--auto] <source> <main|custom>
//!
//! Built by its own package, `perf/apps/conformance` (it needs `rust_decimal` and
//! `serde_json`'s `preserve_order`, which the examples package leaves out).
//!
//! `<source>`: `rest`, `http`, `alb`, `function-url`, `vpc-lattice` or `vpc-lattice-v2`;
//! with `--auto`, the app for any source (`App::any()`) reads whatever events come.
//! `bedrock-agent main` is the kit's Amazon Bedrock Agents app (`bedrock/APP.md`,
//! `conformance/bedrock.rs`); `bedrock-agent openapi` prints its OpenAPI document, and
//! `bedrock-agent-function main` is its function-details app (`conformance/functions.rs`).
//!
//! stdin: one Lambda event per line; stdout: one proxy response per line (or
//! `{"error": "..."}` for an event the library rejects). Every feature of the Powertools
//! REST event handler shows up in at least one route, so this doubles as a tour.

#[path = "conformance/bedrock.rs"]
mod bedrock;
#[path = "conformance/functions.rs"]
mod functions;

use std::io::{BufRead, Write};

use lambda_router::{
    App, AppBuilder, Cookie, Cors, Error, Json, JsonBodyError, LambdaContext, Method, Next,
    Request, Response, Route, Router, SameSite, Scratch, ServiceError, Source,
};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

/// The app's "invalid value" error (Python's `ValueError`).
#[derive(Debug)]
struct InvalidValue;

impl std::fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid value")
    }
}

impl std::error::Error for InvalidValue {}

/// `is_admin`, put into the shared context before each event.
#[derive(Clone, Copy)]
struct IsAdmin(bool);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Todo {
    user_id: u32,
    id: u32,
    title: String,
    completed: bool,
}

fn todos() -> Vec<Todo> {
    (1..=12)
        .map(|i| Todo {
            user_id: 1,
            id: i,
            title: format!("todo {i}"),
            completed: i % 3 == 0,
        })
        .collect()
}

/// Python's `int()` on the decimal strings the cases use.
fn python_int(text: &str) -> Result<i64, InvalidValue> {
    let digits = text.trim().replace('_', "");
    if text.trim().starts_with('_') || text.trim().ends_with('_') || text.contains("__") {
        return Err(InvalidValue);
    }
    digits.parse().map_err(|_| InvalidValue)
}

/// Python's `list[:limit]`.
fn python_prefix<T>(mut items: Vec<T>, limit: i64) -> Vec<T> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let end = if limit < 0 {
        (len + limit).max(0)
    } else {
        limit.min(len)
    };
    items.truncate(usize::try_from(end).unwrap_or(0));
    items
}

fn root(_: &Request<'_>) -> Json<Value> {
    Json(json!({"root": true}))
}

fn list_todos(req: &Request<'_>) -> Result<Json<Value>, InvalidValue> {
    let limit = python_int(req.query("limit").unwrap_or("10"))?;
    Ok(Json(json!({"todos": python_prefix(todos(), limit)})))
}

fn get_todo(req: &Request<'_>) -> Json<Value> {
    let id = req.param("todo_id").unwrap_or_default();
    Json(json!({"todo": {"id": id, "title": format!("todo {id}")}}))
}

fn special(_: &Request<'_>) -> Json<Value> {
    Json(json!({"special": true}))
}

fn create_todo(req: &Request<'_>) -> Result<(u16, Json<Value>), JsonBodyError> {
    let body: Value = req.json()?;
    Ok((201, Json(json!({"created": body}))))
}

fn bulk(req: &Request<'_>) -> Result<Json<Value>, Error> {
    let count = match req.json::<Value>()? {
        Value::Array(items) => items.len(),
        Value::Object(fields) => fields.len(),
        Value::String(text) => text.chars().count(),
        _ => return Err(ServiceError::internal_server_error("body has no length").into()),
    };
    Ok(Json(
        json!({"method": req.method().as_str(), "count": count}),
    ))
}

fn delete_todo(_: &Request<'_>) -> Response {
    Response::new(204)
}

fn patch_todo(req: &Request<'_>) -> Result<Json<Value>, Error> {
    let Value::Object(fields) = req.json::<Value>()? else {
        return Err(ServiceError::internal_server_error("body is not an object").into());
    };
    let mut keys: Vec<&String> = fields.keys().collect();
    keys.sort();
    Ok(Json(
        json!({"patched": req.param("todo_id"), "fields": keys}),
    ))
}

fn echo(req: &Request<'_>) -> Json<Value> {
    let query: serde_json::Map<String, Value> = req
        .query_params()
        .iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    let tags: Vec<&str> = req.query_params().get_all("tag").collect();
    Json(json!({
        "method": req.method().as_str(),
        "path": req.path(),
        "query": query,
        "tags": tags,
        "api_key": req.header("X-Api-Key").unwrap_or(""),
        "body": req.raw_body(),
        "is_admin": req.context().get::<IsAdmin>().is_some_and(|a| a.0),
    }))
}

fn catch_all(req: &Request<'_>) -> Json<Value> {
    Json(json!({"caught": req.path()}))
}

fn healthcheck(_: &Request<'_>) -> Json<Value> {
    Json(json!({"am_i_alive": "yes"}))
}

fn fine(_: &Request<'_>) -> Response<Json<Value>> {
    Response::json(200, json!({"fine": true}))
        .header("X-Transaction-Id", "3490eea9-791b-47a0-91a4-326317db61a9")
        .header("X-Multi", "a")
        .header("X-Multi", "b")
        .cookie(Cookie::new("session_id", "12345"))
        .cookie(
            Cookie::new("theme", "dark")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(3600)
                .path("/"),
        )
}

fn compressed(_: &Request<'_>) -> Json<Value> {
    Json(json!({"todos": todos()}))
}

/// The kit's `logo.svg`, compiled in: the example also builds from other packages
/// (perf/apps/conformance), where a path from the manifest directory would be wrong.
const LOGO: &[u8] = include_bytes!("../fixtures/conformance/logo.svg");

fn logo(_: &Request<'_>) -> Response {
    Response::binary(200, LOGO.to_vec()).content_type("image/svg+xml")
}

fn text(_: &Request<'_>) -> Response {
    Response::text(200, "hello world")
}

fn cached(req: &Request<'_>) -> Result<Json<Value>, ServiceError> {
    if req.query("fail") == Some("1") {
        return Err(ServiceError::bad_request("nope"));
    }
    Ok(Json(json!({"cached": true})))
}

fn price(_: &Request<'_>) -> Json<Value> {
    // rust_decimal with `serde-str` writes exact decimals as JSON strings: "100.01".
    Json(json!({"price": Decimal::new(10001, 2), "qty": 3}))
}

fn unicode(_: &Request<'_>) -> Json<Value> {
    Json(json!({"greeting": "héllo wörld ✓"}))
}

fn guard(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
    if req.header("X-Block").is_some() {
        return Ok(next.respond((403, Json(json!({"blocked": true})))));
    }
    let mut response = next.run(req)?;
    response.append_header("X-Guarded", "yes");
    Ok(response)
}

fn guarded(_: &Request<'_>) -> Json<Value> {
    Json(json!({"guarded": true}))
}

fn custom_preflight(_: &Request<'_>) -> Response {
    Response::text(200, "custom preflight")
}

fn compressed_text(_: &Request<'_>) -> Response {
    Response::text(200, "lorem ipsum ".repeat(50))
}

/// "Before each event, put `is_admin` into the shared context": the first middleware, so
/// that every route and the not-found answer see it. `header` reads the single-value
/// header first, else the last multi-value one, as the reference app does.
fn admin_context(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
    let is_admin = req.header("X-Admin") == Some("true");
    req.context_mut().insert(IsAdmin(is_admin));
    next.run(req)
}

fn powered_by(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
    let mut response = next.run(req)?;
    response.append_header("X-Powered-By", "conformance");
    Ok(response)
}

fn users() -> Router {
    Router::new()
        .get("/<user_id>", |req: &Request<'_>| {
            Json(json!({"user": req.param("user_id")}))
        })
        .get("/<user_id>/todos/<todo_id>", |req: &Request<'_>| {
            Json(json!({"user": req.param("user_id"), "todo": req.param("todo_id")}))
        })
        .get("/admin/panel", |req: &Request<'_>| {
            if req.context().get::<IsAdmin>().is_some_and(|a| a.0) {
                Ok(Json(json!({"admin": true})))
            } else {
                Err(ServiceError::unauthorized("admins only"))
            }
        })
}

fn routes(app: AppBuilder) -> AppBuilder {
    app.get("/", root)
        .get("/todos", list_todos)
        .get("/todos/<todo_id>", get_todo)
        .get("/todos/special", special)
        .post("/todos", create_todo)
        .route([Method::PUT, Method::POST], "/todos/bulk", bulk)
        .delete("/todos/<todo_id>", delete_todo)
        .patch("/todos/<todo_id>", patch_todo)
        .get("/echo", echo)
        .get("/catch/.+", catch_all)
        .add_route(Route::get("/healthcheck", healthcheck).cors(false))
        .get(
            "/bad-request-error",
            |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::bad_request("Missing required parameter"))
            },
        )
        .get(
            "/unauthorized-error",
            |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::unauthorized("Unauthorized"))
            },
        )
        .get(
            "/not-found-error",
            |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::not_found("Not found"))
            },
        )
        .get(
            "/internal-server-error",
            |_: &Request<'_>| -> Result<(), ServiceError> {
                Err(ServiceError::internal_server_error("Internal server error"))
            },
        )
        .add_route(
            Route::get(
                "/service-error",
                |_: &Request<'_>| -> Result<(), ServiceError> {
                    Err(ServiceError::new(502, "Something went wrong!"))
                },
            )
            .cors(true),
        )
        .get("/fine", fine)
        .add_route(Route::get("/compressed", compressed).compress(true))
        .get("/logo", logo)
        .get("/text", text)
        .add_route(Route::get("/cached", cached).cache_control("max-age=60"))
        .get("/price", price)
        .get("/unicode", unicode)
        .add_route(Route::get("/guarded", guarded).middleware(guard))
        .options("/custom-preflight", custom_preflight)
        .add_route(Route::get("/compressed-text", compressed_text).compress(true))
        .include("/users", users())
}

fn invalid_request(_: &Request<'_>) -> Response {
    Response::text(400, "Invalid request parameters.")
}

fn build(source: &str, variant: &str) -> Result<App, Box<dyn std::error::Error>> {
    let app = match (source, Source::from_name(source)) {
        ("--auto", _) => App::any(),
        (_, Some(Source::RestV1)) => App::rest(),
        (_, Some(Source::HttpV2)) => App::http_api(),
        (_, Some(Source::Alb)) => App::alb(),
        (_, Some(Source::FunctionUrl)) => App::function_url(),
        (_, Some(Source::VpcLattice)) => App::vpc_lattice(),
        (_, Some(Source::VpcLatticeV2)) => App::vpc_lattice_v2(),
        (other, _) => return Err(format!("unknown source `{other}`").into()),
    };
    let app = app
        .middleware(admin_context)
        .on_error(|_: &InvalidValue, req: &Request<'_>| invalid_request(req))
        .on_error(|_: &JsonBodyError, req: &Request<'_>| invalid_request(req));
    let app = match variant {
        "main" => app
            .cors(
                Cors::new()
                    .allow_origin("https://example.com")
                    .extra_origins(["https://www.example.com"])
                    .allow_headers(["X-Custom-Header"])
                    .expose_headers(["X-Transaction-Id"])
                    .max_age(300)
                    .allow_credentials(true),
            )
            .strip_prefixes(["/payment"])
            .middleware(powered_by),
        "custom" => app
            .strip_prefixes(["/v1", "/api/v2"])
            .not_found(|_: &Request<'_>| Response::text(418, "I'm a teapot!"))
            .serializer(|value, out| serde_json::to_writer_pretty(out, value)),
        other => return Err(format!("unknown variant `{other}`").into()),
    };
    Ok(routes(app).debug(false).build()?)
}

const USAGE: &str = "usage: conformance [--auto] \
    <rest|http|alb|function-url|vpc-lattice|vpc-lattice-v2> <main|custom>, \
    or conformance bedrock-agent <main|openapi>, or conformance bedrock-agent-function main";

/// Writes the answer to one event line (blank lines have none).
fn answer(
    app: &App,
    scratch: &mut Scratch,
    lambda: &LambdaContext,
    out: &mut impl Write,
    line: &[u8],
) -> std::io::Result<()> {
    let event = line.trim_ascii();
    if event.is_empty() {
        return Ok(());
    }
    match app.handle_blocking(scratch, event, lambda) {
        Ok(response) => out.write_all(response)?,
        Err(error) => serde_json::to_writer(&mut *out, &json!({"error": error.to_string()}))?,
    }
    out.write_all(b"\n")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--auto <source> <variant>`: the app for any source, whatever the events are.
    let app = match args.as_slice() {
        [auto, _, variant] if auto == "--auto" => build(auto, variant)?,
        [source, variant] if source == "bedrock-agent" && variant == "main" => bedrock::app()?,
        // The document the agent is given, on stdout (stdin is not read).
        [source, variant] if source == "bedrock-agent" && variant == "openapi" => {
            let app = bedrock::app()?;
            let document = app
                .openapi_json()
                .ok_or("the Bedrock app has no document")?;
            writeln!(std::io::stdout().lock(), "{document}")?;
            return Ok(());
        }
        [source, variant] if source == "bedrock-agent-function" && variant == "main" => {
            functions::app()?
        }
        [source, variant] => build(source, variant)?,
        _ => return Err(USAGE.into()),
    };
    let mut scratch = Scratch::new();
    let lambda = LambdaContext::with_request_id("00000000-0000-4000-8000-000000000000");
    // Events are answered straight from the read buffer (a line is copied only when it
    // spans two reads), and answers are written in blocks rather than a `write` per line:
    // flushed whenever no further input is buffered, so an interactive caller still gets
    // each answer before it sends the next event.
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut partial = Vec::new();
    loop {
        if input.buffer().is_empty() {
            out.flush()?;
        }
        let buffered = input.fill_buf()?;
        if buffered.is_empty() {
            answer(&app, &mut scratch, &lambda, &mut out, &partial)?;
            break;
        }
        let Some(end) = memchr::memchr(b'\n', buffered) else {
            partial.extend_from_slice(buffered);
            let read = buffered.len();
            input.consume(read);
            continue;
        };
        if partial.is_empty() {
            answer(&app, &mut scratch, &lambda, &mut out, &buffered[..end])?;
        } else {
            partial.extend_from_slice(&buffered[..end]);
            answer(&app, &mut scratch, &lambda, &mut out, &partial)?;
            partial.clear();
        }
        input.consume(end + 1);
    }
    out.flush()?;
    Ok(())
}
