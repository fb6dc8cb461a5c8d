//! Streamed responses through `App::handle_streamed` (the prelude and body a streaming
//! transport sends) and through `App::handle` (a streamed body collected into one envelope).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/streamed.rs"]
mod streamed;

use std::io::Read;
use std::time::Duration;

use bytes::Bytes;
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{
    App, AppBuilder, BoxError, Cookie, Cors, Error, Json, Next, Request, Response, Route, Source,
};
use serde_json::{Value, json};
use streamed::{Iter, buffered, stream};

const LINES: [&str; 3] = ["alpha\n", "beta\n", "gamma\n"];

fn lines(_: &Request<'_>) -> Response {
    Response::stream(200, Iter(LINES.into_iter().map(Ok::<_, BoxError>))).content_type("text/plain")
}

/// Three lines written while the handler waits between them.
async fn written(_: &Request<'_>) -> Response {
    Response::streaming(201, |mut body| async move {
        for line in LINES {
            tokio::time::sleep(Duration::from_millis(5)).await;
            body.send(line).await?;
        }
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
    .header("X-Handler", "written")
}

/// Two lines, then an error.
fn failing(_: &Request<'_>) -> Response {
    let items: Vec<Result<&'static str, BoxError>> = vec![
        Ok("one\n"),
        Ok("two\n"),
        Err("the database went away".into()),
    ];
    Response::stream(200, Iter(items.into_iter()))
}

fn todos(_: &Request<'_>) -> Json<Value> {
    Json(json!({"todos": [{"id": 1, "title": "say \"hi\""}]}))
}

/// [`LINES`] ten times over, a chunk per line: long enough that gzip makes it smaller
/// (else a buffered answer is sent as it is).
fn many_lines(_: &Request<'_>) -> Response {
    let lines = std::iter::repeat_n(LINES, 10).flatten();
    Response::stream(200, Iter(lines.map(Ok::<_, BoxError>))).content_type("text/plain")
}

/// Fifty todos: long enough that gzip makes them smaller.
fn many_todos(_: &Request<'_>) -> Json<Value> {
    let todos: Vec<Value> = (1..=50)
        .map(|id| json!({"id": id, "title": "say \"hi\""}))
        .collect();
    Json(json!({ "todos": todos }))
}

fn app_for(source: Source) -> AppBuilder {
    App::for_source(source)
        .cors(Cors::new().allow_origin("https://example.com"))
        .get("/lines", lines)
        .get("/written", written)
        .get("/failing", failing)
        .get("/todos", todos)
        .add_route(Route::get("/cached", lines).cache_control("max-age=60"))
        .add_route(Route::get("/gzip", many_lines).compress(true))
        .add_route(Route::get("/gzip-todos", many_todos).compress(true))
        .get("/cookies", |_: &Request<'_>| {
            Response::stream(200, Iter(std::iter::once(Ok::<_, BoxError>("c"))))
                .header("Content-Length", "999")
                .header("X-Multi", "a")
                .header("X-Multi", "b")
                .cookie(Cookie::new("session", "s1"))
                .cookie(Cookie::new("theme", "dark"))
        })
        .get("/no-content", |_: &Request<'_>| {
            Response::stream(204, Iter(std::iter::once(Ok::<_, BoxError>("never sent"))))
        })
        .get("/bad-header", |_: &Request<'_>| {
            Response::stream(200, Iter(std::iter::empty::<Result<Bytes, BoxError>>()))
                .header("X-Bad", "split\r\nme")
        })
}

fn event(source: Source, path: &str) -> EventBuilder {
    testing::event_for(source)
        .get(path)
        .header("Origin", "https://example.com")
}

const STREAMING: [Source; 2] = [Source::RestV1, Source::FunctionUrl];

/// The prelude a buffered envelope's status, headers and cookies make (repeated values
/// joined with ", ", `Set-Cookie` values as cookies): what the streamed answer must say.
fn prelude_of(envelope: &Value) -> Value {
    let mut headers = serde_json::Map::new();
    let mut cookies: Vec<Value> = envelope["cookies"].as_array().cloned().unwrap_or_default();
    let mut add = |name: &str, values: Vec<&str>| {
        if name.eq_ignore_ascii_case("set-cookie") {
            cookies.extend(values.into_iter().map(Value::from));
        } else {
            headers.insert(name.to_owned(), Value::from(values.join(", ")));
        }
    };
    if let Some(multi) = envelope["multiValueHeaders"].as_object() {
        for (name, values) in multi {
            add(
                name,
                values
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect(),
            );
        }
    }
    if let Some(single) = envelope["headers"].as_object() {
        for (name, value) in single {
            add(name, vec![value.as_str().unwrap()]);
        }
    }
    json!({"statusCode": envelope["statusCode"], "headers": headers, "cookies": cookies})
}

#[tokio::test]
async fn a_streamed_route_sends_its_chunks_after_the_prelude() {
    for source in STREAMING {
        let app = app_for(source).build().unwrap();
        let sent = stream(&app, event(source, "/lines")).await;
        assert_eq!(sent.prelude["statusCode"], 200);
        assert_eq!(sent.prelude["headers"]["Content-Type"], "text/plain");
        assert_eq!(
            sent.prelude["headers"]["Access-Control-Allow-Origin"],
            "https://example.com"
        );
        assert_eq!(sent.body, LINES.concat().as_bytes());
        assert_eq!(sent.chunks, 3, "one chunk per item, as produced");
    }
}

#[tokio::test]
async fn the_prelude_says_what_the_buffered_envelope_says() {
    for source in STREAMING {
        let app = app_for(source).build().unwrap();
        for path in [
            "/lines", "/cookies", "/cached", "/todos", "/gzip", "/nowhere",
        ] {
            let request = || event(source, path).header("Accept-Encoding", "gzip");
            let sent = stream(&app, request()).await;
            let envelope = buffered(&app, request()).await;
            assert_eq!(sent.prelude, prelude_of(&envelope), "{source:?} {path}");
        }
    }
}

#[tokio::test]
async fn the_writer_form_sends_what_the_handler_writes() {
    let app = app_for(Source::FunctionUrl).build().unwrap();
    let sent = stream(&app, event(Source::FunctionUrl, "/written")).await;
    assert_eq!(sent.prelude["statusCode"], 201);
    assert_eq!(sent.prelude["headers"]["X-Handler"], "written");
    assert_eq!(sent.body, LINES.concat().as_bytes());
    assert_eq!(sent.chunks, 3);
    assert!(sent.error.is_none());
}

#[tokio::test]
async fn headers_cookies_and_cache_control_follow_the_buffered_rules() {
    for source in STREAMING {
        let app = app_for(source).build().unwrap();
        let sent = stream(&app, event(source, "/cookies")).await;
        let headers = &sent.prelude["headers"];
        assert_eq!(headers["X-Multi"], "a, b");
        assert!(
            headers.get("Content-Length").is_none(),
            "framing is the service's: {headers}"
        );
        assert_eq!(
            sent.prelude["cookies"],
            json!(["session=s1; Secure", "theme=dark; Secure"])
        );
        let cached = stream(&app, event(source, "/cached")).await;
        assert_eq!(cached.prelude["headers"]["Cache-Control"], "max-age=60");
    }
}

#[tokio::test]
async fn an_ordinary_route_answers_whole_and_unescaped() {
    for source in STREAMING {
        let app = app_for(source).build().unwrap();
        let sent = stream(&app, event(source, "/todos")).await;
        assert_eq!(sent.prelude["headers"]["Content-Type"], "application/json");
        let body: Value = serde_json::from_slice(&sent.body).unwrap();
        assert_eq!(body, json!({"todos": [{"id": 1, "title": "say \"hi\""}]}));
        // Not found and the library's own answers come whole too.
        let missing = stream(&app, event(source, "/nowhere")).await;
        assert_eq!(missing.prelude["statusCode"], 404);
        let body: Value = serde_json::from_slice(&missing.body).unwrap();
        assert_eq!(body, json!({"statusCode": 404, "message": "Not found"}));
    }
}

fn add_header(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
    let mut response = next.run(req)?;
    response.append_header("X-Layer", "seen");
    Ok(response)
}

#[tokio::test]
async fn middleware_wraps_a_streamed_response() {
    let app = app_for(Source::RestV1)
        .add_route(Route::get("/layered", lines).middleware(add_header))
        .build()
        .unwrap();
    let sent = stream(&app, event(Source::RestV1, "/layered")).await;
    assert_eq!(sent.prelude["headers"]["X-Layer"], "seen");
    assert_eq!(sent.body, LINES.concat().as_bytes());
}

#[tokio::test]
async fn a_failing_stream_ends_the_body_with_its_error() {
    let app = app_for(Source::FunctionUrl).build().unwrap();
    let sent = stream(&app, event(Source::FunctionUrl, "/failing")).await;
    assert_eq!(sent.prelude["statusCode"], 200, "the status went out first");
    assert_eq!(sent.body, b"one\ntwo\n");
    assert_eq!(sent.error.as_deref(), Some("the database went away"));
}

#[tokio::test]
async fn a_refused_streamed_response_is_a_500_prelude() {
    let app = app_for(Source::RestV1).build().unwrap();
    let sent = stream(&app, event(Source::RestV1, "/bad-header")).await;
    assert_eq!(sent.prelude["statusCode"], 500);
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["statusCode"], 500);
}

#[tokio::test]
async fn no_content_sends_no_body() {
    let app = app_for(Source::RestV1).build().unwrap();
    let sent = stream(&app, event(Source::RestV1, "/no-content")).await;
    assert_eq!(sent.prelude["statusCode"], 204);
    assert!(sent.body.is_empty());
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .unwrap();
    // One gzip member: the single-member decoder reads the same.
    let mut single = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut single)
        .unwrap();
    assert_eq!(single, plain);
    plain
}

#[tokio::test]
async fn gzip_applies_when_the_route_asks_and_the_client_accepts() {
    let app = app_for(Source::FunctionUrl).build().unwrap();
    let gzip = || event(Source::FunctionUrl, "/gzip").header("Accept-Encoding", "gzip");
    let sent = stream(&app, gzip()).await;
    let headers = &sent.prelude["headers"];
    assert_eq!(headers["Content-Encoding"], "gzip");
    assert_eq!(gunzip(&sent.body), LINES.concat().repeat(10).as_bytes());
    assert_eq!(
        sent.chunks, 31,
        "a flushed chunk per line, then the trailer"
    );

    let whole = stream(
        &app,
        event(Source::FunctionUrl, "/gzip-todos").header("Accept-Encoding", "gzip"),
    )
    .await;
    assert_eq!(whole.prelude["headers"]["Content-Encoding"], "gzip");
    let body: Value = serde_json::from_slice(&gunzip(&whole.body)).unwrap();
    assert_eq!(body["todos"][0]["id"], 1);

    let refused = stream(
        &app,
        event(Source::FunctionUrl, "/gzip").header("Accept-Encoding", "gzip;q=0"),
    )
    .await;
    assert!(refused.prelude["headers"].get("Content-Encoding").is_none());
    assert_eq!(refused.body, LINES.concat().repeat(10).as_bytes());
}

#[tokio::test]
async fn buffered_mode_collects_a_streamed_body() {
    for source in Source::all() {
        let app = app_for(source).build().unwrap();
        let envelope = buffered(&app, event(source, "/written")).await;
        assert_eq!(envelope["statusCode"], 201, "{source:?}");
        assert_eq!(envelope["body"], LINES.concat(), "{source:?}");
        let failed = buffered(&app, event(source, "/failing")).await;
        assert_eq!(failed["statusCode"], 500, "{source:?}");
        let body: Value = serde_json::from_str(failed["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["message"], "Internal Server Error");
    }
}

#[tokio::test]
async fn buffered_mode_keeps_the_payload_limit() {
    let big = |_: &Request<'_>| {
        let chunk = Bytes::from(vec![b'x'; 1024]);
        Response::stream(
            200,
            Iter(std::iter::repeat_n(chunk, 10_000).map(Ok::<_, BoxError>)),
        )
    };
    let app = App::alb().get("/big", big).build().unwrap();
    let envelope = buffered(&app, testing::alb().get("/big")).await;
    assert_eq!(envelope["statusCode"], 500);
    let body: Value = serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"statusCode": 500, "message": "Response too large"})
    );
    // In streaming mode the same route is not limited.
    let app = App::function_url().get("/big", big).build().unwrap();
    let sent = stream(&app, testing::function_url().get("/big")).await;
    assert_eq!(sent.prelude["statusCode"], 200);
    assert_eq!(sent.body.len(), 10_000 * 1024);
}

#[test]
fn sources_that_stream() {
    let streaming: Vec<Source> = Source::all().filter(|s| s.supports_streaming()).collect();
    assert_eq!(streaming, [Source::FunctionUrl, Source::RestV1]);
}

/// The prelude reads as `lambda_runtime`'s own `MetadataPrelude` (what its streaming
/// response serializes before the body), without losing a header or a cookie.
#[cfg(feature = "lambda-runtime")]
#[tokio::test]
async fn the_prelude_reads_as_lambda_runtimes_metadata_prelude() {
    use lambda_router::{LambdaContext, Scratch};
    for source in STREAMING {
        let app = app_for(source).build().unwrap();
        let mut scratch = Scratch::new();
        let event = event(source, "/cookies").to_bytes();
        let answer = app
            .handle_streamed(&mut scratch, &event, &LambdaContext::default())
            .await
            .unwrap();
        let ours: Value = serde_json::from_slice(answer.prelude).unwrap();
        let theirs: lambda_runtime::MetadataPrelude =
            serde_json::from_slice(answer.prelude).unwrap();
        assert_eq!(theirs.status_code.as_u16(), 200);
        let headers = ours["headers"].as_object().unwrap();
        assert_eq!(theirs.headers.len(), headers.len(), "{source:?}");
        for (name, value) in headers {
            assert_eq!(
                theirs.headers.get(name.as_str()).unwrap(),
                value.as_str().unwrap(),
                "{source:?} {name}"
            );
        }
        assert_eq!(
            theirs.cookies,
            ["session=s1; Secure", "theme=dark; Secure"],
            "{source:?}"
        );
    }
}
