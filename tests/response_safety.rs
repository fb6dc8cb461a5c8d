//! Response safety end to end: invalid headers and cookies are never written (500, logged
//! with the header's name, named in the body only in debug mode), CORS never pairs `*` with
//! credentials and matches origins exactly, no error detail leaks with debug off, and a
//! panicking handler or middleware is answered 500 with the next invocation unharmed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;

use logs::Logs;

use lambda_router::{
    App, AppBuilder, Cookie, Cors, Error, LambdaContext, Next, Request, Response, Scratch,
};
use serde_json::{Value, json};

const INTERNAL_ERROR: &str = r#"{"statusCode":500,"message":"Internal Server Error"}"#;

fn event(source: &str, method: &str, path: &str, headers: &Value) -> Vec<u8> {
    let event = match source {
        "rest" | "alb" => json!({"httpMethod": method, "path": path, "headers": headers}),
        _ => json!({"rawPath": path, "headers": headers,
                    "requestContext": {"http": {"method": method}}}),
    };
    serde_json::to_vec(&event).unwrap()
}

fn builder(source: &str) -> AppBuilder {
    match source {
        "rest" => App::rest(),
        "http" => App::http_api(),
        "alb" => App::alb(),
        _ => App::function_url(),
    }
}

const SOURCES: [&str; 4] = ["rest", "http", "alb", "function-url"];

fn call(
    app: &App,
    scratch: &mut Scratch,
    source: &str,
    method: &str,
    path: &str,
    headers: &Value,
) -> Value {
    let out = app
        .handle_blocking(
            scratch,
            &event(source, method, path, headers),
            &LambdaContext::default(),
        )
        .unwrap();
    serde_json::from_slice(out).unwrap()
}

fn get(app: &App, source: &str, path: &str) -> (Value, String) {
    let logs = Logs::default();
    let response = tracing::subscriber::with_default(logs.clone(), || {
        call(app, &mut Scratch::new(), source, "GET", path, &json!({}))
    });
    (response, logs.text())
}

fn unsafe_app(source: &str, debug: bool) -> App {
    fn tagger(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
        let mut response = next.run(req)?;
        if req.path() == "/middleware" {
            response.append_header("X-From-Middleware", "a\nb");
        }
        Ok(response)
    }
    builder(source)
        .debug(debug)
        .middleware(tagger)
        .get("/value-crlf", |_: &Request<'_>| {
            Response::text(200, "hi").header("X-Id", "1\r\nSet-Cookie: admin=1")
        })
        .get("/value-nul", |_: &Request<'_>| {
            Response::text(200, "hi").header("X-Id", "a\0b")
        })
        .get("/name-space", |_: &Request<'_>| {
            Response::text(200, "hi").header("X Id", "1")
        })
        .get("/name-colon", |_: &Request<'_>| {
            Response::text(200, "hi").header("X-Id:", "1")
        })
        .get("/name-empty", |_: &Request<'_>| {
            Response::text(200, "hi").header("", "1")
        })
        .get("/cookie-value", |_: &Request<'_>| {
            Response::text(200, "hi").cookie(Cookie::new("sid", "a; Domain=evil.example"))
        })
        .get("/cookie-name", |_: &Request<'_>| {
            Response::text(200, "hi").cookie(Cookie::new("s id", "a"))
        })
        .get("/cookie-path", |_: &Request<'_>| {
            Response::text(200, "hi").cookie(Cookie::new("sid", "a").path("/\r\nX: y"))
        })
        .get("/cookie-attribute", |_: &Request<'_>| {
            Response::text(200, "hi")
                .cookie(Cookie::new("sid", "a").attribute("Max-Age=1; Domain=x"))
        })
        .get("/middleware", |_: &Request<'_>| Response::text(200, "hi"))
        .get("/fine", |_: &Request<'_>| {
            Response::text(200, "hi")
                .header("X-Id", "café, \"q\"\t(1)")
                .cookie(
                    Cookie::new("sid", "\"a/b=c\"")
                        .path("/")
                        .domain("example.com"),
                )
        })
        .build()
        .unwrap()
}

const INVALID: [(&str, &str); 10] = [
    ("/value-crlf", "X-Id"),
    ("/value-nul", "X-Id"),
    ("/name-space", "X Id"),
    ("/name-colon", "X-Id:"),
    ("/name-empty", ""),
    ("/cookie-value", "sid"),
    ("/cookie-name", "s id"),
    ("/cookie-path", "sid"),
    ("/cookie-attribute", "sid"),
    ("/middleware", "X-From-Middleware"),
];

#[test]
fn invalid_headers_and_cookies_become_a_logged_500_and_are_never_written() {
    for source in SOURCES {
        let app = unsafe_app(source, false);
        for (path, name) in INVALID {
            let (response, logs) = get(&app, source, path);
            let text = response.to_string();
            assert_eq!(response["statusCode"], 500, "{source} {path}: {text}");
            assert_eq!(response["body"], INTERNAL_ERROR, "{source} {path}");
            for leaked in ["evil", "admin", "\\r", "\\n", "\\u0000", "X Id", "X-From"] {
                assert!(
                    !text.contains(leaked),
                    "{source} {path} wrote {leaked}: {text}"
                );
            }
            assert!(
                logs.contains("invalid response")
                    && logs.contains(&format!("header={} error=", name.escape_debug())),
                "{source} {path}: log does not name {name:?}: {logs}"
            );
        }
        let (fine, _) = get(&app, source, "/fine");
        assert_eq!(fine["statusCode"], 200, "{source}: {fine}");
    }
}

#[test]
fn in_debug_mode_the_500_says_which_header() {
    for source in SOURCES {
        let app = unsafe_app(source, true);
        let (response, _) = get(&app, source, "/value-crlf");
        assert_eq!(response["statusCode"], 500);
        assert_eq!(
            response["body"],
            "invalid response header value of `X-Id`: byte 0x0d at index 1 is not allowed"
        );
        let (response, _) = get(&app, source, "/cookie-value");
        assert_eq!(
            response["body"],
            "invalid response cookie value of `sid`: byte 0x3b at index 1 is not allowed"
        );
    }
}

#[test]
fn checked_builders_report_the_fault_where_it_is_made() {
    let err = Response::new(200).try_header("X-Id", "a\nb").unwrap_err();
    assert_eq!(err.name(), "X-Id");
    assert!(!err.is_cookie());
    assert!(Response::new(200).try_header("X-Id", "fine").is_ok());
    assert!(Response::new(200).try_header("Bad Name", "v").is_err());
    let err = Cookie::try_new("sid", "a b").unwrap_err();
    assert!(err.is_cookie());
    assert_eq!(err.name(), "sid");
    assert!(Cookie::try_new("sid", "abc").is_ok());
    assert!(Cookie::new("sid", "v").domain("a;b").validate().is_err());
    assert!(Cookie::new("sid", "v").path("/x").validate().is_ok());
}

fn cors_app(source: &str, cors: Cors) -> App {
    builder(source)
        .cors(cors)
        .get("/r", |_: &Request<'_>| Response::text(200, "r"))
        .build()
        .unwrap()
}

fn header<'v>(response: &'v Value, name: &str) -> Option<&'v str> {
    if let Some(map) = response["multiValueHeaders"].as_object() {
        return map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?.1[0].as_str();
    }
    response["headers"]
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))?
        .1
        .as_str()
}

#[test]
fn cors_never_sends_a_wildcard_with_credentials() {
    for source in SOURCES {
        let app = cors_app(
            source,
            Cors::new().allow_origin("*").allow_credentials(true),
        );
        for method in ["GET", "OPTIONS"] {
            let response = call(
                &app,
                &mut Scratch::new(),
                source,
                method,
                "/r",
                &json!({"origin": "https://anyone.example"}),
            );
            assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
            assert_eq!(
                header(&response, "access-control-allow-credentials"),
                None,
                "{source} {method}: {response}"
            );
        }
    }
}

#[test]
fn cors_matches_origins_exactly() {
    let allowed = "https://app.example";
    for source in SOURCES {
        let app = cors_app(
            source,
            Cors::new()
                .allow_origin(allowed)
                .extra_origins(["https://other.example"])
                .allow_credentials(true),
        );
        for method in ["GET", "OPTIONS"] {
            let exact = call(
                &app,
                &mut Scratch::new(),
                source,
                method,
                "/r",
                &json!({"origin": allowed}),
            );
            assert_eq!(header(&exact, "access-control-allow-origin"), Some(allowed));
            assert_eq!(
                header(&exact, "access-control-allow-credentials"),
                Some("true")
            );
            for trick in [
                "https://app.example.evil.example",
                "https://evil.example/https://app.example",
                "https://evilapp.example",
                "https://app.example/",
                "https://app.example:443",
                "http://app.example",
                "HTTPS://APP.EXAMPLE",
                " https://app.example",
                "https://app.example ",
                "https://app.example\u{0}",
                "null",
                "*",
                "",
            ] {
                let response = call(
                    &app,
                    &mut Scratch::new(),
                    source,
                    method,
                    "/r",
                    &json!({"origin": trick}),
                );
                assert_eq!(
                    header(&response, "access-control-allow-origin"),
                    None,
                    "{source} {method} {trick:?}: {response}"
                );
                assert_eq!(header(&response, "access-control-allow-credentials"), None);
            }
        }
    }
}

#[derive(Debug)]
struct DatabasePasswordLeak;

impl std::fmt::Display for DatabasePasswordLeak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection to db://admin:SECRET@10.0.0.1 failed")
    }
}

impl std::error::Error for DatabasePasswordLeak {}

fn leaky_app(source: &str, debug: bool) -> App {
    fn panicking_middleware(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
        if req.header("x-explode").is_some() {
            panic!(
                "middleware SECRET {:?}",
                std::backtrace::Backtrace::force_capture()
            );
        }
        next.run(req)
    }
    builder(source)
        .debug(debug)
        .middleware(panicking_middleware)
        .get("/error", |_: &Request<'_>| -> Result<Response, Error> {
            Err(Error::new(DatabasePasswordLeak))
        })
        .get("/panic", |_: &Request<'_>| -> Response {
            panic!(
                "handler SECRET {:?}",
                std::backtrace::Backtrace::force_capture()
            )
        })
        .get("/ok", |_: &Request<'_>| Response::text(200, "ok"))
        .build()
        .unwrap()
}

#[test]
fn with_debug_off_no_error_detail_type_name_or_backtrace_reaches_the_client() {
    for source in SOURCES {
        let app = leaky_app(source, false);
        let mut scratch = Scratch::new();
        for (path, headers) in [
            ("/error", json!({})),
            ("/panic", json!({})),
            ("/ok", json!({"x-explode": "1"})),
        ] {
            let response = call(&app, &mut scratch, source, "GET", path, &headers);
            let text = response.to_string();
            assert_eq!(response["statusCode"], 500, "{source} {path}");
            assert_eq!(response["body"], INTERNAL_ERROR, "{source} {path}");
            for leaked in [
                "SECRET",
                "DatabasePasswordLeak",
                "panicked",
                "backtrace",
                "Backtrace",
                ".rs:",
            ] {
                assert!(
                    !text.contains(leaked),
                    "{source} {path} leaked {leaked}: {text}"
                );
            }
        }
        // Debug mode is where the detail goes (and only there).
        let debug = leaky_app(source, true);
        let response = call(
            &debug,
            &mut Scratch::new(),
            source,
            "GET",
            "/error",
            &json!({}),
        );
        assert!(response["body"].as_str().unwrap().contains("SECRET"));
    }
}

#[test]
fn a_panicking_middleware_answers_500_and_the_next_invocation_works() {
    for source in SOURCES {
        let app = leaky_app(source, false);
        let mut scratch = Scratch::new();
        for _ in 0..3 {
            let boom = call(
                &app,
                &mut scratch,
                source,
                "GET",
                "/ok",
                &json!({"x-explode": "1"}),
            );
            assert_eq!(boom["statusCode"], 500, "{source}");
            let fine = call(&app, &mut scratch, source, "GET", "/ok", &json!({}));
            assert_eq!(fine["statusCode"], 200, "{source}: {fine}");
            assert_eq!(fine["body"], "ok");
        }
    }
}
