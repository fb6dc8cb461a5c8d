//! The closure form of middleware (`from_fn`) around sync and async routes, the scope of
//! `route_middleware` (not pre-flights, not-found answers nor the docs), and the
//! `Context<&T>` extractor of what a middleware stored.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::sync::{Arc, Mutex};

use lambda_router::extract::{Context, Path};
use lambda_router::middleware::from_fn;
use lambda_router::openapi::OpenApi;
use lambda_router::testing::{EventBuilder, call, http_api};
use lambda_router::{App, AppBuilder, Cors, Error, Next, Request, Response, Route, Router};

#[derive(Clone)]
struct Caller(String);

/// Stores the caller from `x-api-key`, or answers 401 without going on.
fn api_key() -> impl lambda_router::AsyncMiddleware {
    from_fn(|req, next| {
        Box::pin(async move {
            let Some(key) = req.header("x-api-key") else {
                return Ok(Response::text(401, "no key"));
            };
            req.context_mut().insert(Caller(key.to_owned()));
            let mut response = next.run(req).await?;
            response.append_header("X-Checked", "yes");
            Ok(response)
        })
    })
}

fn sync_hello(Context(caller): Context<&Caller>) -> String {
    format!("sync {}", caller.0)
}

async fn async_hello(Context(caller): Context<&Caller>, Path(n): Path<u32>) -> String {
    format!("async {} {n}", caller.0)
}

fn routes(builder: AppBuilder) -> AppBuilder {
    builder
        .get("/sync", sync_hello)
        .get("/async/<n>", async_hello)
        .get("/plain", |req: &Request<'_>| {
            req.context()
                .get::<Caller>()
                .map_or("none".to_owned(), |c| c.0.clone())
        })
}

fn keyed(path: &str) -> EventBuilder {
    http_api().get(path).header("x-api-key", "ana")
}

#[test]
fn one_closure_middleware_wraps_sync_and_async_routes() {
    for scope in ["app", "route"] {
        let builder = App::http_api();
        let builder = match scope {
            "app" => builder.middleware(api_key()),
            _ => builder.route_middleware(api_key()),
        };
        let app = routes(builder).build().unwrap();
        for (path, body) in [
            ("/sync", "sync ana"),
            ("/async/7", "async ana 7"),
            ("/plain", "ana"),
        ] {
            let response = call(&app, keyed(path));
            assert_eq!(
                (response.status(), response.text().as_ref()),
                (200, body),
                "{scope} {path}"
            );
            assert_eq!(response.header("x-checked"), Some("yes"), "{scope} {path}");
            assert_eq!(
                call(&app, http_api().get(path)).status(),
                401,
                "{scope} {path}"
            );
        }
    }
}

#[test]
fn route_middleware_lets_preflights_not_found_and_the_docs_through() {
    let preflight = || {
        http_api()
            .method("OPTIONS")
            .path("/sync")
            .header("Origin", "https://example.com")
            .header("Access-Control-Request-Method", "GET")
    };
    let with = |builder: AppBuilder| {
        routes(builder.cors(Cors::new()))
            .openapi(OpenApi::new("T", "1"))
            .build()
            .unwrap()
    };
    let scoped = with(App::http_api().route_middleware(api_key()));
    assert_eq!(call(&scoped, preflight()).status(), 204);
    assert_eq!(call(&scoped, http_api().get("/openapi.json")).status(), 200);
    assert_eq!(call(&scoped, http_api().get("/swagger")).status(), 200);
    assert_eq!(call(&scoped, http_api().get("/missing")).status(), 404);
    assert_eq!(call(&scoped, http_api().get("/sync")).status(), 401);
    // App middleware runs on all of them, as Powertools' does (the conformance kit pins it).
    let global = with(App::http_api().middleware(api_key()));
    for event in [
        preflight(),
        http_api().get("/openapi.json"),
        http_api().get("/swagger"),
        http_api().get("/missing"),
        http_api().get("/sync"),
    ] {
        assert_eq!(call(&global, event).status(), 401);
    }
}

type Log = Arc<Mutex<Vec<String>>>;

fn trace(
    name: &'static str,
    log: &Log,
) -> impl Fn(&mut Request<'_>, Next<'_>) -> Result<Response, Error> + Send + Sync + 'static {
    let log = Arc::clone(log);
    move |req, next| {
        log.lock().unwrap().push(format!("{name}-in"));
        let response = next.run(req);
        log.lock().unwrap().push(format!("{name}-out"));
        response
    }
}

#[test]
fn route_middleware_runs_inside_the_apps_and_outside_the_routers_and_routes() {
    let log: Log = Arc::default();
    let router = Router::new()
        .middleware(trace("router", &log))
        .add_route(Route::get("/r", |_: &Request<'_>| "r").middleware(trace("route", &log)));
    let app = App::http_api()
        .route_middleware(trace("scoped", &log))
        .middleware(trace("app", &log))
        .include("/in", router)
        .build()
        .unwrap();
    assert_eq!(call(&app, http_api().get("/in/r")).text(), "r");
    let order = [
        "app-in",
        "scoped-in",
        "router-in",
        "route-in",
        "route-out",
        "router-out",
        "scoped-out",
        "app-out",
    ];
    assert_eq!(*log.lock().unwrap(), order);
}

#[test]
fn a_context_value_no_middleware_stored_answers_500_naming_it() {
    let app = App::http_api().get("/sync", sync_hello).build().unwrap();
    let response = call(&app, http_api().get("/sync"));
    assert_eq!(response.status(), 500);
    let debug = App::http_api()
        .debug(true)
        .get("/sync", sync_hello)
        .build()
        .unwrap();
    let text = call(&debug, http_api().get("/sync")).text().into_owned();
    assert!(
        text.contains("Context<&middleware_forms::Caller>"),
        "{text}"
    );
}
