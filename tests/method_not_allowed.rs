//! `AppBuilder::method_not_allowed`: a path routed under other methods only answers 405
//! with `Allow`, on every source and on the app for any source; off, it is Powertools' 404.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder, Cors, Request, Source};
use serde_json::{Value, json};

fn routes(builder: AppBuilder) -> AppBuilder {
    let ok = |_: &Request<'_>| "ok";
    builder
        .get("/todos", ok)
        .post("/todos", ok)
        .get("/todos/<id>", ok)
        .delete("/todos/<id>", ok)
        .get("/files/.+", ok)
        .debug(false)
}

/// How the app is set up for a row.
#[derive(Clone, Copy, Debug)]
enum Setup {
    Off,
    On,
    OnWithCors,
}

fn app(builder: AppBuilder, setup: Setup) -> App {
    let builder = routes(builder);
    match setup {
        Setup::Off => builder,
        Setup::On => builder.method_not_allowed(true),
        Setup::OnWithCors => builder.method_not_allowed(true).cors(Cors::new()),
    }
    .build()
    .unwrap()
}

/// (setup, method, path, status, Allow)
const TABLE: &[(Setup, &str, &str, u16, Option<&str>)] = &[
    (Setup::Off, "PATCH", "/todos/1", 404, None),
    (Setup::Off, "PUT", "/todos", 404, None),
    (Setup::On, "GET", "/todos/1", 200, None),
    (Setup::On, "PATCH", "/todos/1", 405, Some("DELETE, GET")),
    (Setup::On, "PUT", "/todos", 405, Some("GET, POST")),
    (Setup::On, "HEAD", "/todos", 405, Some("GET, POST")),
    (Setup::On, "OPTIONS", "/todos/1", 405, Some("DELETE, GET")),
    (Setup::On, "POST", "/files/a/b", 405, Some("GET")),
    (Setup::On, "GET", "/nowhere", 404, None),
    (Setup::On, "PATCH", "/nowhere", 404, None),
    (
        Setup::OnWithCors,
        "PATCH",
        "/todos/1",
        405,
        Some("DELETE, GET, OPTIONS"),
    ),
    // The pre-flight is still answered.
    (Setup::OnWithCors, "OPTIONS", "/todos/1", 204, None),
    (Setup::OnWithCors, "OPTIONS", "/nowhere", 204, None),
];

fn sources() -> [(Source, fn() -> EventBuilder); 6] {
    [
        (Source::RestV1, testing::rest),
        (Source::HttpV2, testing::http_api),
        (Source::Alb, testing::alb),
        (Source::FunctionUrl, testing::function_url),
        (Source::VpcLattice, testing::vpc_lattice),
        (Source::VpcLatticeV2, testing::vpc_lattice_v2),
    ]
}

#[test]
fn every_source_and_the_app_for_any_source_follow_the_table() {
    for (source, event) in sources() {
        for any in [false, true] {
            for &(setup, method, path, status, allow) in TABLE {
                let builder = if any {
                    App::any()
                } else {
                    App::for_source(source)
                };
                let app = app(builder, setup);
                let mut request = event().method(method).path(path);
                if method == "OPTIONS" && status == 204 {
                    request = request
                        .header("Origin", "https://example.com")
                        .header("Access-Control-Request-Method", "GET");
                }
                let response = testing::call(&app, request);
                let row = format!("{source:?} any={any} {setup:?} {method} {path}");
                assert_eq!(response.status(), status, "{row}");
                assert_eq!(response.header("allow"), allow, "{row}");
                if status == 405 {
                    let body: Value = response.json().unwrap();
                    assert_eq!(
                        body,
                        json!({"statusCode": 405, "message": "Method Not Allowed"}),
                        "{row}"
                    );
                }
            }
        }
    }
}

#[test]
fn rest_paths_with_a_trailing_slash_get_the_405_too() {
    let app = app(App::rest(), Setup::On);
    let response = testing::call(&app, testing::rest().method("PATCH").path("/todos/1/"));
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("allow"), Some("DELETE, GET"));
}

#[test]
fn the_405_comes_before_the_not_found_handler() {
    let app = routes(App::rest())
        .method_not_allowed(true)
        .not_found(|_: &Request<'_>| lambda_router::Response::text(404, "mine"))
        .build()
        .unwrap();
    let wrong_method = testing::call(&app, testing::rest().method("PUT").path("/todos"));
    assert_eq!(wrong_method.status(), 405);
    let missing = testing::call(&app, testing::rest().get("/nowhere"));
    assert_eq!(missing.text(), "mine");
}
