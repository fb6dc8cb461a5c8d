//! Async middleware: around async and sync handlers, mixed with sync middleware inside.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::sync::{Arc, Mutex};

use lambda_router::{
    App, AsyncMiddleware, AsyncNext, BoxFuture, Error, Json, LambdaContext, Next, Request,
    Response, Route, Scratch,
};
use serde_json::{Value, json};

type Log = Arc<Mutex<Vec<String>>>;

struct Trace(&'static str, Log);

impl AsyncMiddleware for Trace {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        Box::pin(async move {
            self.1.lock().unwrap().push(format!("{}-in", self.0));
            let response = next.run(req).await?;
            self.1.lock().unwrap().push(format!("{}-out", self.0));
            Ok(response)
        })
    }
}

/// Puts the caller's user into the shared context, or short-circuits with 401.
struct Auth;

#[derive(Clone)]
struct User(String);

impl AsyncMiddleware for Auth {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        Box::pin(async move {
            let Some(user) = req.header("x-user").map(str::to_owned) else {
                return Ok(next.respond((401, Json(json!({"message": "who are you?"})))));
            };
            req.context_mut().insert(User(user));
            next.run(req).await
        })
    }
}

fn sync_trace(
    log: Log,
) -> impl Fn(&mut Request<'_>, Next<'_>) -> Result<Response, Error> + Send + Sync + 'static {
    move |req, next| {
        log.lock().unwrap().push("sync-in".into());
        let response = next.run(req)?;
        log.lock().unwrap().push("sync-out".into());
        Ok(response)
    }
}

async fn whoami(req: &Request<'_>) -> Json<Option<String>> {
    Json(req.context().get::<User>().map(|u| u.0.clone()))
}

fn event(path: &str, headers: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "rawPath": path, "headers": headers,
        "requestContext": {"http": {"method": "GET"}, "stage": "$default"}
    }))
    .unwrap()
}

fn call(app: &App, path: &str, headers: Value) -> Value {
    let mut scratch = Scratch::new();
    let out = app
        .handle_blocking(
            &mut scratch,
            &event(path, headers),
            &LambdaContext::default(),
        )
        .unwrap();
    serde_json::from_slice(out).unwrap()
}

#[test]
fn async_and_sync_layers_nest_in_onion_order() {
    let log: Log = Arc::default();
    let app = App::http_api()
        .middleware_async(Trace("g", log.clone()))
        .add_route(
            Route::get("/sync", |_: &Request<'_>| "s")
                .middleware_async(Trace("r", log.clone()))
                .middleware(sync_trace(log.clone())),
        )
        .add_route(Route::get("/async", whoami).middleware_async(Trace("r", log.clone())))
        .build()
        .unwrap();
    assert_eq!(call(&app, "/sync", json!({}))["body"], "s");
    assert_eq!(
        *log.lock().unwrap(),
        ["g-in", "r-in", "sync-in", "sync-out", "r-out", "g-out"]
    );
    log.lock().unwrap().clear();
    assert_eq!(call(&app, "/async", json!({}))["statusCode"], 200);
    assert_eq!(*log.lock().unwrap(), ["g-in", "r-in", "r-out", "g-out"]);
    log.lock().unwrap().clear();
    assert_eq!(call(&app, "/missing", json!({}))["statusCode"], 404);
    assert_eq!(
        *log.lock().unwrap(),
        ["g-in", "g-out"],
        "not-found answers go through global middleware"
    );
}

#[test]
fn async_middleware_fills_the_context_or_short_circuits() {
    let app = App::http_api()
        .middleware_async(Auth)
        .get("/me", whoami)
        .build()
        .unwrap();
    let me = call(&app, "/me", json!({"x-user": "ana"}));
    assert_eq!(me["body"], r#""ana""#);
    let anonymous = call(&app, "/me", json!({}));
    assert_eq!(anonymous["statusCode"], 401);
    assert_eq!(anonymous["body"], r#"{"message":"who are you?"}"#);
}

#[test]
fn handle_stays_send_with_async_middleware() {
    fn assert_send<T: Send>(_: T) {}
    let app = App::http_api()
        .middleware_async(Auth)
        .get("/me", whoami)
        .build()
        .unwrap();
    let mut scratch = Scratch::new();
    let bytes = event("/me", json!({}));
    let lambda = LambdaContext::default();
    assert_send(app.handle(&mut scratch, &bytes, &lambda));
}
