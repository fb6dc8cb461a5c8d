//! What the library adds to a handler's response before writing it, on every source: the
//! headers it owns replace the handler's (never sit beside them), `Vary` is merged, framing
//! headers are dropped, bodies are never compressed twice nor sent where the status forbids
//! one, ALB single-value mode joins the values of a repeated header (or keeps the last and
//! logs the others, when turned off), a 500 that replaces a response keeps its CORS headers,
//! and an `Origin` sent twice is answered for its first value only. `Vary` is sent unless
//! the app turns it off.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;

use lambda_router::testing::{self, EventBuilder, TestResponse};
use lambda_router::{App, AppBuilder, Cookie, Cors, Request, Response, Route};
use logs::Logs;

/// A source: its name, app builder and event builder.
type Source = (&'static str, fn() -> AppBuilder, fn() -> EventBuilder);

/// Every source (ALB in both header modes).
const SOURCES: [Source; 5] = [
    ("rest", App::rest, testing::rest),
    ("http", App::http_api, testing::http_api),
    ("alb", App::alb, testing::alb),
    ("alb-multi", App::alb, testing::alb_multi_value),
    ("function-url", App::function_url, testing::function_url),
];

const ALLOWED: &str = "https://a.example";
const EVIL: &str = "https://evil.example";

/// The app as built by default (`Vary` and ALB joining on); `turned_off_*` tests cover the
/// app without them.
fn app(builder: fn() -> AppBuilder) -> App {
    routes(builder())
}

fn routes(builder: AppBuilder) -> App {
    builder
        .debug(false)
        .cors(Cors::new().allow_origin(ALLOWED).allow_credentials(true))
        .add_route(
            Route::get("/owned", |_: &Request<'_>| {
                // Long enough that gzip makes it smaller (else it is sent as it is).
                Response::text(200, "hello ".repeat(40))
                    .header("Access-Control-Allow-Origin", "https://b.example")
                    .header("access-control-allow-credentials", "false")
                    .header("Cache-Control", "private")
                    .header("Content-Length", "5")
                    .header("transfer-encoding", "chunked")
                    .header("Vary", "accept-encoding, Accept-Language")
            })
            .compress(true)
            .cache_control("public, max-age=600"),
        )
        .add_route(
            Route::get("/brotli", |_: &Request<'_>| {
                Response::binary(200, b"\x1b\x03\x00brotli-bytes".to_vec())
                    .header("Content-Encoding", "br")
            })
            .compress(true),
        )
        .add_route(Route::get("/status/<code>", with_status).compress(true))
        .get("/repeated", |_: &Request<'_>| {
            Response::text(200, "r")
                .header("Link", "</a>; rel=preload")
                .header("link", "</b>; rel=preload")
                .header("Vary", "Accept-Language")
                .header("Vary", "Cookie")
                .header("Set-Cookie", "raw=1")
                .cookie(Cookie::new("first", "1"))
                .cookie(Cookie::new("last", "2"))
        })
        .get("/invalid", |_: &Request<'_>| {
            Response::text(200, "x").header("X-Bad", "a\r\nSet-Cookie: evil=1")
        })
        .get("/plain", |_: &Request<'_>| Response::text(200, "plain"))
        .build()
        .unwrap()
}

fn with_status(req: &Request<'_>) -> Response {
    let code = req.param("code").and_then(|c| c.parse().ok()).unwrap_or(0);
    Response::text(code, "a body the status does not allow, ".repeat(8))
}

fn gzip_get(event: fn() -> EventBuilder, path: &str) -> EventBuilder {
    event()
        .get(path)
        .header("Origin", ALLOWED)
        .header("Accept-Encoding", "gzip")
}

#[test]
fn library_owned_headers_replace_the_handlers_and_framing_is_dropped() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        let response = testing::call(&app, gzip_get(event, "/owned"));
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(
            response.headers("access-control-allow-origin"),
            [ALLOWED],
            "{name}"
        );
        assert_eq!(
            response.headers("access-control-allow-credentials"),
            ["true"],
            "{name}"
        );
        assert_eq!(
            response.headers("cache-control"),
            ["public, max-age=600"],
            "{name}"
        );
        assert_eq!(response.headers("content-encoding"), ["gzip"], "{name}");
        assert!(response.headers("content-length").is_empty(), "{name}");
        assert!(response.headers("transfer-encoding").is_empty(), "{name}");
        // The handler's Vary already names Accept-Encoding; Origin is added once.
        let vary = vary_tokens(&response);
        assert_eq!(
            vary,
            ["accept-encoding", "accept-language", "origin"],
            "{name}"
        );
    }
}

/// The `Vary` tokens of a response, lower-cased and sorted, whatever the envelope shape.
fn vary_tokens(response: &TestResponse) -> Vec<String> {
    let mut tokens: Vec<String> = response
        .headers("vary")
        .iter()
        .flat_map(|value| value.split(','))
        .map(|token| token.trim().to_ascii_lowercase())
        .collect();
    tokens.sort();
    tokens
}

#[test]
fn vary_says_what_the_answer_depends_on() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        // A compress route varies with Accept-Encoding even when this request did not
        // take gzip; a plain route with no echoed origin varies with nothing.
        let uncompressed = testing::call(&app, event().get("/status/200"));
        assert_eq!(vary_tokens(&uncompressed), ["accept-encoding"], "{name}");
        assert!(uncompressed.headers("content-encoding").is_empty());
        let plain = testing::call(&app, event().get("/plain"));
        assert!(vary_tokens(&plain).is_empty(), "{name}");
        let echoed = testing::call(&app, event().get("/plain").header("Origin", ALLOWED));
        assert_eq!(vary_tokens(&echoed), ["origin"], "{name}");
        let wildcard = App::rest()
            .cors(Cors::new())
            .get("/", |_: &Request<'_>| "x");
        let wildcard = testing::call(
            &wildcard.build().unwrap(),
            testing::rest().header("Origin", EVIL),
        );
        assert_eq!(wildcard.header("access-control-allow-origin"), Some("*"));
        assert!(vary_tokens(&wildcard).is_empty());
    }
}

#[test]
fn a_body_with_its_own_content_coding_is_never_compressed_again() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        let response = testing::call(&app, gzip_get(event, "/brotli"));
        assert_eq!(response.headers("content-encoding"), ["br"], "{name}");
        assert_eq!(response.body_bytes(), b"\x1b\x03\x00brotli-bytes", "{name}");
    }
}

#[test]
fn statuses_without_content_send_no_body_and_are_never_compressed() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        for status in [100, 103, 204, 304] {
            let response = testing::call(&app, gzip_get(event, &format!("/status/{status}")));
            assert_eq!(response.status(), status, "{name}");
            assert!(response.body_bytes().is_empty(), "{name} {status}");
            assert!(!response.is_base64_encoded(), "{name} {status}");
            assert!(response.headers("content-encoding").is_empty(), "{name}");
        }
        let ok = testing::call(&app, gzip_get(event, "/status/200"));
        assert_eq!(ok.headers("content-encoding"), ["gzip"], "{name}");
    }
}

#[test]
fn statuses_outside_100_to_599_become_a_logged_500() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        for status in [0, 1, 99, 600, 999, 1000, 65535] {
            let logs = Logs::default();
            let response = tracing::subscriber::with_default(logs.clone(), || {
                testing::call(&app, gzip_get(event, &format!("/status/{status}")))
            });
            assert_eq!(response.status(), 500, "{name} {status}");
            assert_eq!(
                response.headers("access-control-allow-origin"),
                [ALLOWED],
                "{name}"
            );
            assert!(
                logs.text().contains(&format!("status={status}")),
                "{name}: {}",
                logs.text()
            );
        }
        for status in [100, 599] {
            let response = testing::call(&app, event().get(&format!("/status/{status}")));
            assert_eq!(response.status(), status, "{name}");
        }
    }
}

#[test]
fn the_500_replacing_an_invalid_header_keeps_the_cors_headers() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        let response = testing::call(&app, event().get("/invalid").header("Origin", ALLOWED));
        assert_eq!(response.status(), 500, "{name}");
        assert_eq!(
            response.headers("access-control-allow-origin"),
            [ALLOWED],
            "{name}"
        );
        assert_eq!(
            response.headers("access-control-allow-credentials"),
            ["true"]
        );
        assert_eq!(vary_tokens(&response), ["origin"], "{name}");
        assert!(!response.raw().to_string().contains("evil=1"), "{name}");
    }
}

#[test]
fn repeated_headers_all_arrive_and_alb_single_value_mode_logs_the_cookies_it_drops() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        let logs = Logs::default();
        let response = tracing::subscriber::with_default(logs.clone(), || {
            testing::call(&app, event().get("/repeated"))
        });
        let links: Vec<String> = response
            .headers("link")
            .iter()
            .flat_map(|value| value.split(", "))
            .map(str::to_owned)
            .collect();
        assert_eq!(links, ["</a>; rel=preload", "</b>; rel=preload"], "{name}");
        assert_eq!(vary_tokens(&response), ["accept-language", "cookie"]);
        if name == "alb" {
            // One Set-Cookie fits: the last one, as Powertools; the others are logged.
            assert_eq!(response.cookies(), ["last=2; Secure"]);
            let text = logs.text();
            assert!(text.contains("cookie=raw"), "{text}");
            assert!(text.contains("cookie=first"), "{text}");
            assert!(!text.contains("cookie=last"), "{text}");
        } else {
            assert_eq!(response.cookies().len(), 3, "{name}");
            assert!(!logs.text().contains("cookie="), "{name}");
        }
    }
}

/// An `Origin` header sent twice, as each source delivers it: the builders put both values
/// in `multiValueHeaders` (REST, ALB multi-value), comma-join them (HTTP API, Function URL)
/// or keep the last (ALB single-value, as ALB does).
fn origin_twice(event: fn() -> EventBuilder, first: &str, second: &str) -> EventBuilder {
    event()
        .get("/plain")
        .header("Origin", first)
        .header("Origin", second)
}

#[test]
fn an_origin_sent_twice_is_answered_for_the_first_and_never_echoes_the_other() {
    for (name, builder, event) in SOURCES {
        let app = app(builder);
        let allowed_first = testing::call(&app, origin_twice(event, ALLOWED, EVIL));
        let evil_first = testing::call(&app, origin_twice(event, EVIL, ALLOWED));
        for response in [&allowed_first, &evil_first] {
            assert!(
                !response.raw().to_string().contains("evil.example"),
                "{name}: {:?}",
                response.raw()
            );
        }
        // ALB without multi-value headers only ever receives the last value.
        let (for_allowed_first, for_evil_first): (&[&str], &[&str]) = if name == "alb" {
            (&[], &[ALLOWED])
        } else {
            (&[ALLOWED], &[])
        };
        assert_eq!(
            allowed_first.headers("access-control-allow-origin"),
            for_allowed_first,
            "{name}: {:?}",
            allowed_first.raw()
        );
        assert_eq!(
            evil_first.headers("access-control-allow-origin"),
            for_evil_first,
            "{name}: {:?}",
            evil_first.raw()
        );
    }
}

#[test]
fn header_settings_with_control_bytes_are_refused_at_build() {
    let cors_cases = [
        (
            "allow_origin",
            Cors::new().allow_origin("https://a.example\r\nX: y"),
        ),
        ("extra_origins", Cors::new().extra_origins(["https://b\n"])),
        (
            "allow_headers",
            Cors::new().allow_headers(["X-Ok", "X-\rBad"]),
        ),
        ("expose_headers", Cors::new().expose_headers(["X-\0"])),
    ];
    for (setting, cors) in cors_cases {
        let error = App::rest()
            .cors(cors)
            .get("/", |_: &Request<'_>| "x")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains(setting), "{error}");
    }
    let error = App::http_api()
        .add_route(Route::get("/cached", |_: &Request<'_>| "x").cache_control("max-age=5\r\nX: y"))
        .build()
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("cache_control"), "{message}");
    assert!(message.contains("GET /cached"), "{message}");
    assert!(message.contains("0x0d"), "{message}");
    let fine = App::rest()
        .cors(
            Cors::new()
                .allow_origin("https://ok.example")
                .allow_headers(["X-A"]),
        )
        .add_route(Route::get("/", |_: &Request<'_>| "x").cache_control("public,\tmax-age=5"))
        .build();
    assert!(fine.is_ok());
}

/// With `vary` and `alb_join_repeated_headers` turned off, the answers are Powertools'
/// header for header: no `Vary` added, and ALB single-value mode sends the last value of a
/// repeated header, logging the ones it leaves out.
#[test]
fn turned_off_no_vary_and_alb_single_value_keeps_the_last_value_logging_the_rest() {
    for (name, builder, event) in SOURCES {
        let app = routes(builder().vary(false).alb_join_repeated_headers(false));
        let compressing = testing::call(&app, gzip_get(event, "/status/200"));
        let echoed = testing::call(&app, event().get("/plain").header("Origin", ALLOWED));
        assert!(compressing.headers("vary").is_empty(), "{name}");
        assert!(echoed.headers("vary").is_empty(), "{name}");
        assert_eq!(echoed.header("access-control-allow-origin"), Some(ALLOWED));
        let logs = Logs::default();
        let repeated = tracing::subscriber::with_default(logs.clone(), || {
            testing::call(&app, event().get("/repeated"))
        });
        let text = logs.text();
        if name == "alb" {
            assert_eq!(repeated.headers("link"), ["</b>; rel=preload"]);
            assert_eq!(repeated.headers("vary"), ["Cookie"]);
            assert!(text.contains("header=Link dropped=1"), "{text}");
            assert!(text.contains("header=Vary dropped=1"), "{text}");
            assert!(text.contains("cookie=first"), "{text}");
        } else {
            let links = repeated.headers("link").join(", ");
            assert_eq!(links, "</a>; rel=preload, </b>; rel=preload", "{name}");
            assert!(!text.contains("dropped"), "{name}: {text}");
        }
    }
}
