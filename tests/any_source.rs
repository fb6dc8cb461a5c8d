//! An app for any source answers every event exactly as the app for its source does, paths
//! the handler sees included (a REST path keeps its trailing slash: only matching ignores
//! it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder, Json, Request, Source};
use serde_json::json;

fn routes(builder: AppBuilder) -> App {
    let echo = |req: &Request<'_>| {
        Json(json!({
            "source": req.source().name(),
            "path": req.path(),
            "raw_path": req.raw_path(),
            "id": req.param("id"),
        }))
    };
    builder
        .get("/", echo)
        .get("/todos", echo)
        .get("/todos/<id>", echo)
        .debug(false)
        .build()
        .unwrap()
}

#[test]
fn the_app_for_any_source_answers_as_each_sources_app() {
    let any = routes(App::any());
    let builders: [(Source, fn() -> EventBuilder); 6] = [
        (Source::RestV1, testing::rest),
        (Source::HttpV2, testing::http_api),
        (Source::Alb, testing::alb),
        (Source::FunctionUrl, testing::function_url),
        (Source::VpcLattice, testing::vpc_lattice),
        (Source::VpcLatticeV2, testing::vpc_lattice_v2),
    ];
    for (source, event) in builders {
        let fixed = routes(App::for_source(source));
        for path in [
            "/",
            "/todos",
            "/todos/",
            "/todos/7",
            "/todos/7/",
            "//",
            "/nowhere",
        ] {
            let mine = testing::call(&fixed, event().get(path));
            let theirs = testing::call(&any, event().get(path));
            assert_eq!(mine.raw(), theirs.raw(), "{source:?} {path}");
        }
    }
    // REST ignores trailing slashes when matching, and the handler sees the path as sent.
    let rest = testing::call(&any, testing::rest().get("/todos/7/"));
    assert_eq!(
        rest.json::<serde_json::Value>().unwrap(),
        json!({"source": "rest", "path": "/todos/7/", "raw_path": "/todos/7/", "id": "7"})
    );
}

/// VPC Lattice reads no `cookies` field (Powertools puts cookies there, where they are
/// lost): a cookie goes out as a `Set-Cookie` header; of several, the last, the others
/// logged.
#[test]
fn lattice_answers_carry_cookies_as_set_cookie_headers() {
    let cookies = |_: &Request<'_>| {
        lambda_router::Response::text(200, "c")
            .cookie(lambda_router::Cookie::new("first", "1"))
            .cookie(lambda_router::Cookie::new("last", "2"))
    };
    for (source, event) in [
        (
            Source::VpcLattice,
            testing::vpc_lattice as fn() -> EventBuilder,
        ),
        (Source::VpcLatticeV2, testing::vpc_lattice_v2),
    ] {
        let app = App::for_source(source).get("/c", cookies).build().unwrap();
        let response = testing::call(&app, event().get("/c"));
        let raw = response.raw();
        assert!(raw.get("cookies").is_none(), "{source:?}: {raw}");
        assert!(raw.get("multiValueHeaders").is_none(), "{source:?}: {raw}");
        assert_eq!(raw["headers"]["Set-Cookie"], "last=2; Secure", "{source:?}");
    }
}
