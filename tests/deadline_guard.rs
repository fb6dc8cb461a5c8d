//! The deadline guard: an async handler still running its margin before the invocation's
//! deadline is answered 504 (the route's CORS kept, the route logged), per app or per
//! route; a handler that finishes in time, a route that opts out, an app without the guard
//! and `handle_blocking` (no timer) are never cut.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lambda_router::testing::{self, TestResponse};
use lambda_router::{
    App, AppBuilder, AsyncMiddleware, AsyncNext, BoxFuture, Cors, Error, LambdaContext, Request,
    Response, Route, Scratch,
};
use logs::Logs;
use tracing::instrument::WithSubscriber;

const ORIGIN: &str = "https://a.example";
const GATEWAY_TIMEOUT: &str = r#"{"statusCode":504,"message":"Gateway Timeout"}"#;
const MARGIN: Duration = Duration::from_millis(100);

/// Awaits the milliseconds in its path, then answers how many.
async fn sleep(req: &Request<'_>) -> String {
    let ms: u64 = req.param("ms").unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("slept {ms}")
}

async fn remaining(req: &Request<'_>) -> String {
    req.remaining_time().as_millis().to_string()
}

/// A middleware that awaits the handler: cut with it.
struct PassThrough;

impl AsyncMiddleware for PassThrough {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        Box::pin(next.run(req))
    }
}

fn routes(builder: AppBuilder) -> App {
    builder
        .debug(false)
        .cors(Cors::new().allow_origin(ORIGIN))
        .get("/sleep/<ms>", sleep)
        .get("/remaining", remaining)
        .add_route(Route::get("/unguarded/<ms>", sleep).deadline_guard(None))
        .add_route(Route::get("/own/<ms>", sleep).deadline_guard(Some(MARGIN)))
        .add_route(Route::get("/wrapped/<ms>", sleep).middleware_async(PassThrough))
        .build()
        .unwrap()
}

/// A context whose deadline is `ms` from now.
fn deadline_in(ms: u64) -> LambdaContext {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let mut lambda = LambdaContext::default();
    lambda.deadline_ms = u64::try_from(now.as_millis()).unwrap() + ms;
    lambda
}

/// `GET path` through `App::handle` on the test's tokio runtime; the response and how long
/// it took.
async fn call(app: &App, path: &str, lambda: &LambdaContext) -> (TestResponse, Duration) {
    let event = testing::http_api()
        .get(path)
        .header("Origin", ORIGIN)
        .to_bytes();
    let mut scratch = Scratch::new();
    let started = Instant::now();
    let raw = app.handle(&mut scratch, &event, lambda).await.unwrap();
    (TestResponse::parse(raw).unwrap(), started.elapsed())
}

fn assert_gateway_timeout(response: &TestResponse) {
    assert_eq!(response.status(), 504);
    assert_eq!(response.text(), GATEWAY_TIMEOUT);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("access-control-allow-origin"), Some(ORIGIN));
}

#[tokio::test]
async fn a_handler_still_running_at_the_margin_is_answered_504_and_logged() {
    let app = routes(App::http_api().deadline_guard(MARGIN));
    let logs = Logs::default();
    let (response, took) = call(&app, "/sleep/1500", &deadline_in(300))
        .with_subscriber(logs.clone())
        .await;
    assert_gateway_timeout(&response);
    // Cut 100 ms before a deadline 300 ms away, not after the handler's 1.5 s.
    assert!(took >= Duration::from_millis(150), "{took:?}");
    assert!(took < Duration::from_millis(800), "{took:?}");
    let text = logs.text();
    assert!(text.contains("route=GET /sleep/<ms>"), "{text}");
    assert!(text.contains("path=/sleep/1500"), "{text}");
    assert!(text.contains("margin_ms=100"), "{text}");
}

#[tokio::test]
async fn a_handler_that_finishes_before_the_margin_answers() {
    let app = routes(App::http_api().deadline_guard(MARGIN));
    let (response, _) = call(&app, "/sleep/20", &deadline_in(1000)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "slept 20");
}

#[tokio::test]
async fn async_middleware_around_the_handler_is_cut_with_it() {
    let app = routes(App::http_api().deadline_guard(MARGIN));
    let (response, took) = call(&app, "/wrapped/1500", &deadline_in(300)).await;
    assert_gateway_timeout(&response);
    assert!(took < Duration::from_millis(800), "{took:?}");
}

#[tokio::test]
async fn a_route_sets_its_own_guard_or_opts_out_of_the_apps() {
    // The route's own guard, on an app without one.
    let app = routes(App::http_api());
    let (response, _) = call(&app, "/own/1500", &deadline_in(300)).await;
    assert_gateway_timeout(&response);
    // Without a guard the handler runs on past the deadline (Lambda would kill it).
    let (response, _) = call(&app, "/sleep/350", &deadline_in(300)).await;
    assert_eq!(response.status(), 200);
    // Opted out of the app's guard.
    let app = routes(App::http_api().deadline_guard(MARGIN));
    let (response, _) = call(&app, "/unguarded/350", &deadline_in(300)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "slept 350");
}

#[tokio::test]
async fn no_known_deadline_means_no_guard() {
    let app = routes(App::http_api().deadline_guard(MARGIN));
    let (response, _) = call(&app, "/sleep/50", &LambdaContext::default()).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_remaining_time_is_readable_from_the_request() {
    let app = routes(App::http_api());
    let (response, _) = call(&app, "/remaining", &deadline_in(5000)).await;
    let left: u64 = response.text().parse().unwrap();
    assert!((4000..=5000).contains(&left), "{left}");
    let (response, _) = call(&app, "/remaining", &LambdaContext::default()).await;
    assert_eq!(response.text(), "0");
}

/// `handle_blocking` has no timer: the guard cannot fire there, and says nothing.
#[test]
fn under_handle_blocking_the_guard_cannot_fire() {
    async fn busy(_: &Request<'_>) -> &'static str {
        std::thread::sleep(Duration::from_millis(350));
        "done"
    }
    let app = App::http_api()
        .debug(false)
        .deadline_guard(MARGIN)
        .get("/busy", busy)
        .build()
        .unwrap();
    let event = testing::http_api().get("/busy").to_bytes();
    let mut scratch = Scratch::new();
    let raw = app
        .handle_blocking(&mut scratch, &event, &deadline_in(300))
        .unwrap();
    let response = TestResponse::parse(raw).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "done");
}
