//! A sync middleware wraps async handlers and async middleware too: written once, it works
//! around every route. It waits for the async part on its thread, which the runtime that
//! `run` and the testing helpers give such an app (multi-thread) allows; a current-thread
//! runtime of the user's is refused up front by `serve`, and answered 500 (not a panic) by
//! `App::handle`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lambda_router::middleware::from_fn;
use lambda_router::{
    App, Error, Json, LambdaContext, Next, Request, Response, RunError, Scratch, testing,
};
use serde_json::{Value, json};

type Log = Arc<Mutex<Vec<String>>>;

/// A sync middleware that logs around the rest of the chain and stamps the response.
fn sync_trace(
    name: &'static str,
    log: Log,
) -> impl Fn(&mut Request<'_>, Next<'_>) -> Result<Response, Error> + Send + Sync + 'static {
    move |req, next| {
        log.lock().unwrap().push(format!("{name}-in"));
        let mut response = next.run(req)?;
        log.lock().unwrap().push(format!("{name}-out"));
        response.append_header("X-Seen-By", name);
        Ok(response)
    }
}

/// An async handler that needs tokio's timers, as a real one awaiting I/O does.
async fn slow_echo(req: &Request<'_>) -> Json<Value> {
    tokio::time::sleep(Duration::from_millis(5)).await;
    Json(json!({"path": req.path()}))
}

fn app(log: &Log) -> App {
    let async_layer = {
        let log = Arc::clone(log);
        from_fn(move |req, next| {
            let log = Arc::clone(&log);
            Box::pin(async move {
                log.lock().unwrap().push("async-in".into());
                tokio::time::sleep(Duration::from_millis(1)).await;
                let response = next.run(req).await;
                log.lock().unwrap().push("async-out".into());
                response
            })
        })
    };
    App::http_api()
        .middleware(sync_trace("outer", Arc::clone(log)))
        .middleware(async_layer)
        .middleware(sync_trace("inner", Arc::clone(log)))
        .get("/slow", slow_echo)
        .get("/plain", |_: &Request<'_>| "plain")
        .build()
        .expect("a sync middleware around async routes builds")
}

#[test]
fn a_sync_middleware_wraps_async_middleware_and_an_async_handler_that_sleeps() {
    let log: Log = Arc::default();
    let app = app(&log);
    let response = testing::call(&app, testing::http_api().get("/slow"));
    assert_eq!(response.status(), 200, "{:?}", response.text());
    assert_eq!(response.json::<Value>().unwrap(), json!({"path": "/slow"}));
    // HTTP API joins a repeated header's values.
    assert_eq!(
        response.headers("x-seen-by"),
        ["inner, outer"],
        "both sync layers saw the response"
    );
    assert_eq!(
        *log.lock().unwrap(),
        [
            "outer-in",
            "async-in",
            "inner-in",
            "inner-out",
            "async-out",
            "outer-out"
        ]
    );
    log.lock().unwrap().clear();
    // The same chain around a sync handler, and on the not-found route.
    assert_eq!(
        testing::call(&app, testing::http_api().get("/plain")).status(),
        200
    );
    assert_eq!(
        testing::call(&app, testing::http_api().get("/none")).status(),
        404
    );
    assert_eq!(log.lock().unwrap().len(), 12, "{:?}", log.lock().unwrap());
}

#[test]
fn a_client_keeps_answering_through_the_waiting_middleware() {
    let log: Log = Arc::default();
    let app = app(&log);
    let mut client = testing::Client::new(&app);
    for _ in 0..3 {
        assert_eq!(client.call(testing::http_api().get("/slow")).status(), 200);
    }
}

#[test]
fn without_a_runtime_the_async_part_is_polled_in_place() {
    // `handle_blocking` has no runtime: an async handler that needs none still answers.
    async fn ready(_: &Request<'_>) -> &'static str {
        "ready"
    }
    let log: Log = Arc::default();
    let app = App::http_api()
        .middleware(sync_trace("outer", Arc::clone(&log)))
        .get("/ready", ready)
        .build()
        .unwrap();
    let event = testing::http_api().get("/ready").to_bytes();
    let mut scratch = Scratch::new();
    let out = app
        .handle_blocking(&mut scratch, &event, &LambdaContext::default())
        .unwrap();
    let answer: Value = serde_json::from_slice(out).unwrap();
    assert_eq!(
        (answer["statusCode"].clone(), answer["body"].clone()),
        (json!(200), json!("ready"))
    );
    assert_eq!(*log.lock().unwrap(), ["outer-in", "outer-out"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_current_thread_runtime_is_refused_by_serve_and_answered_500_by_handle() {
    let log: Log = Arc::default();
    let error = lambda_router::serve(app(&log)).await.expect_err("served");
    assert!(
        matches!(error, RunError::CurrentThreadRuntime),
        "{error:#?}"
    );
    assert!(error.to_string().contains("middleware::from_fn"), "{error}");

    let app = app(&log);
    let event = testing::http_api().get("/slow").to_bytes();
    let mut scratch = Scratch::new();
    let out = app
        .handle(&mut scratch, &event, &LambdaContext::default())
        .await
        .unwrap();
    let answer: Value = serde_json::from_slice(out).unwrap();
    assert_eq!(answer["statusCode"], 500, "{answer}");
    assert!(
        !log.lock().unwrap().iter().any(|l| l == "inner-in"),
        "the handler ran"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_multi_thread_runtime_of_the_users_lets_it_wait() {
    let log: Log = Arc::default();
    let app = app(&log);
    let event = testing::http_api().get("/slow").to_bytes();
    let mut scratch = Scratch::new();
    let out = app
        .handle(&mut scratch, &event, &LambdaContext::default())
        .await
        .unwrap();
    let answer: Value = serde_json::from_slice(out).unwrap();
    assert_eq!(answer["statusCode"], 200, "{answer}");
}
