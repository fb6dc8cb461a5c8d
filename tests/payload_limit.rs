//! A response larger than the source takes is answered with a clear 500 (the route's CORS
//! headers kept, the route and sizes logged) instead of the bare 502 the service would
//! give: on every source, at the exact limit (the whole envelope counts), with the app's own
//! limit, and for a body that only grows past the limit in the envelope (base64).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;

use lambda_router::testing::{self, EventBuilder, TestResponse};
use lambda_router::{App, AppBuilder, Cors, LambdaContext, Request, Response, Scratch, Source};
use logs::Logs;

const MIB: usize = 1024 * 1024;
const ORIGIN: &str = "https://a.example";
const TOO_LARGE: &str = r#"{"statusCode":500,"message":"Response too large"}"#;

/// A source: its name, app and event builders, and the limit its service documents.
type SourceCase = (
    &'static str,
    fn() -> AppBuilder,
    fn() -> EventBuilder,
    usize,
);

/// Every source (ALB in both header modes).
const SOURCES: [SourceCase; 7] = [
    ("rest", App::rest, testing::rest, 6 * MIB),
    ("http", App::http_api, testing::http_api, 6 * MIB),
    (
        "function-url",
        App::function_url,
        testing::function_url,
        6 * MIB,
    ),
    (
        "vpc-lattice",
        App::vpc_lattice,
        testing::vpc_lattice,
        6 * MIB,
    ),
    (
        "vpc-lattice-v2",
        App::vpc_lattice_v2,
        testing::vpc_lattice_v2,
        6 * MIB,
    ),
    ("alb", App::alb, testing::alb, MIB),
    ("alb-multi", App::alb, testing::alb_multi_value, MIB),
];

/// `/text/<n>` answers `n` bytes of text; `/binary/<n>` `n` bytes of binary (base64 in
/// the envelope).
fn app(builder: AppBuilder) -> App {
    routes(builder.debug(false))
}

fn routes(builder: AppBuilder) -> App {
    builder
        .cors(Cors::new().allow_origin(ORIGIN))
        .get("/text/<n>", |req: &Request<'_>| {
            "a".repeat(req.param("n").unwrap().parse().unwrap())
        })
        .get("/binary/<n>", |req: &Request<'_>| {
            let n: usize = req.param("n").unwrap().parse().unwrap();
            Response::binary(200, vec![0xff_u8; n])
        })
        .build()
        .unwrap()
}

/// The raw envelope of `GET path`, from an `Origin` the CORS configuration allows.
fn envelope(app: &App, events: fn() -> EventBuilder, path: &str) -> Vec<u8> {
    let event = events().get(path).header("Origin", ORIGIN).to_bytes();
    let mut scratch = Scratch::new();
    let output = app.handle_blocking(&mut scratch, &event, &LambdaContext::default());
    output.unwrap().to_vec()
}

fn assert_too_large(name: &str, raw: &[u8]) {
    let response = TestResponse::parse(raw).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(response.status(), 500, "{name}");
    assert_eq!(response.text(), TOO_LARGE, "{name}");
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "{name}"
    );
    assert_eq!(
        response.header("access-control-allow-origin"),
        Some(ORIGIN),
        "{name}: the route's CORS headers are kept"
    );
}

#[test]
fn each_source_takes_an_envelope_of_exactly_its_limit_and_answers_one_byte_more_500() {
    for (name, builder, events, limit) in SOURCES {
        let app = app(builder());
        assert_eq!(app.source().unwrap().response_limit(), limit, "{name}");
        // The envelope's size less its body's, which does not depend on the body's length.
        let overhead = envelope(&app, events, "/text/10").len() - 10;
        let fits = limit - overhead;

        let raw = envelope(&app, events, &format!("/text/{fits}"));
        assert_eq!(raw.len(), limit, "{name}");
        let response = TestResponse::parse(&raw).unwrap();
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(response.body_bytes().len(), fits, "{name}");

        let raw = envelope(&app, events, &format!("/text/{}", fits + 1));
        assert_too_large(name, &raw);
    }
}

#[test]
fn alb_answers_half_a_megabyte_and_refuses_two() {
    for events in [testing::alb, testing::alb_multi_value] {
        let app = app(App::alb());
        let half = envelope(&app, events, &format!("/text/{}", MIB / 2));
        assert_eq!(TestResponse::parse(&half).unwrap().status(), 200);
        let two = envelope(&app, events, &format!("/text/{}", 2 * MIB));
        assert_too_large("alb", &two);
        // The same two megabytes pass where Lambda's 6 MiB is the limit.
        let rest = envelope(
            &self::app(App::rest()),
            testing::rest,
            &format!("/text/{}", 2 * MIB),
        );
        assert_eq!(TestResponse::parse(&rest).unwrap().status(), 200);
    }
}

#[test]
fn a_binary_body_under_the_limit_is_refused_when_its_base64_is_over() {
    // 5 MiB of bytes are 6.67 MiB of base64: what the service counts.
    let app = app(App::rest());
    let raw = envelope(&app, testing::rest, &format!("/binary/{}", 5 * MIB));
    assert_too_large("rest", &raw);
    let raw = envelope(&app, testing::rest, &format!("/binary/{}", 4 * MIB));
    assert_eq!(TestResponse::parse(&raw).unwrap().status(), 200);
}

#[test]
fn the_app_limit_overrides_every_source_and_an_app_for_any_source_uses_each_ones_own() {
    let limited = app(App::any().response_limit(1000));
    for (name, _, events, _) in SOURCES {
        let overhead = envelope(&limited, events, "/text/10").len() - 10;
        let raw = envelope(&limited, events, &format!("/text/{}", 1000 - overhead));
        assert_eq!(raw.len(), 1000, "{name}");
        assert_eq!(TestResponse::parse(&raw).unwrap().status(), 200, "{name}");
        let raw = envelope(&limited, events, &format!("/text/{}", 1001 - overhead));
        assert_too_large(name, &raw);
    }
    let any = app(App::any());
    let two = format!("/text/{}", 2 * MIB);
    assert_too_large("alb", &envelope(&any, testing::alb, &two));
    let raw = envelope(&any, testing::http_api, &two);
    assert_eq!(TestResponse::parse(&raw).unwrap().status(), 200);
}

#[test]
fn the_refusal_is_logged_with_the_route_and_both_sizes() {
    let logs = Logs::default();
    let app = app(App::function_url().response_limit(500));
    let raw = tracing::subscriber::with_default(logs.clone(), || {
        envelope(&app, testing::function_url, "/text/600")
    });
    assert_too_large("function-url", &raw);
    let text = logs.text();
    assert!(text.contains("route=GET /text/<n>"), "{text}");
    assert!(text.contains("path=/text/600"), "{text}");
    assert!(text.contains("limit=500"), "{text}");
    let size = text
        .split("size=")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|size| size.parse::<usize>().ok());
    assert!(size.is_some_and(|size| size > 600), "{text}");
}

#[test]
fn debug_mode_says_why_in_the_body() {
    let app = routes(App::rest().debug(true).response_limit(500));
    let response = TestResponse::parse(&envelope(&app, testing::rest, "/text/600")).unwrap();
    assert_eq!(response.status(), 500);
    assert!(
        response.text().starts_with("response too large: "),
        "{}",
        response.text()
    );
    assert!(
        response.text().ends_with("over the limit of 500"),
        "{}",
        response.text()
    );
}

#[test]
fn source_limits_are_the_services_documented_ones() {
    for source in Source::all() {
        let expected = if source == Source::Alb { MIB } else { 6 * MIB };
        assert_eq!(source.response_limit(), expected, "{source}");
    }
}
