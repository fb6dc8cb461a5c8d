//! Every way Lambda delivers an answer: streamed, slow, large and ordinary routes in one app.
//!
//! ```sh
//! cargo run --example delivery           # the dev server on 127.0.0.1:3000 (PORT overrides)
//! curl -N localhost:3000/countdown       # ten lines, one every 100 ms, as they come
//! curl localhost:3000/sleep/250          # {"slept":250}, after 250 ms
//! curl localhost:3000/big/0.5 | wc -c    # a JSON body of about half a megabyte
//! curl localhost:3000/todos              # an ordinary route
//! ```
//!
//! - `GET /countdown` streams ten lines (`Response::streaming`); where the answer cannot be
//!   streamed (buffered mode, or a source that cannot stream) they are collected and sent
//!   together.
//! - `GET /sleep/<ms>` awaits `<ms>` milliseconds (at most 60 000), then answers
//!   `{"slept":<ms>}`.
//! - `GET /big/<mb>` answers a buffered JSON body of about `<mb>` megabytes (10^6 bytes;
//!   fractional, at most 64): over the source's payload limit it is the library's clear 500
//!   (`/big/7` anywhere, `/big/2` behind an ALB), never a bare 502.
//! - `GET /todos` answers a small JSON list.
//!
//! `DELIVERY_SOURCE` picks the event source: `rest` (the default), `http`, `alb`, `url`, or
//! `any` (the app that reads every source). Under Lambda, `DELIVERY_MODE=stream` asks for
//! streaming mode (for a Function URL with invoke mode `RESPONSE_STREAM` or a REST API
//! integration with transfer mode `STREAM`; see `examples/sam/`).

use std::time::Duration;

use lambda_router::{App, BoxError, Delivery, Json, Request, Response, RunOptions, ServiceError};
use serde_json::{Value, json};

/// The longest `/sleep` and the largest `/big` this example agrees to.
const MAX_SLEEP_MS: u64 = 60_000;
const MAX_MB: f64 = 64.0;

/// Ten lines, one every 100 ms, each sent as soon as it is written.
async fn countdown(_: &Request<'_>) -> Response {
    Response::streaming(200, |mut body| async move {
        for n in (0..10).rev() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            body.send(format!("{n}\n")).await?;
        }
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain; charset=utf-8")
}

async fn sleep(req: &Request<'_>) -> Result<Json<Value>, ServiceError> {
    let ms = req
        .param("ms")
        .and_then(|ms| ms.parse::<u64>().ok())
        .filter(|ms| *ms <= MAX_SLEEP_MS)
        .ok_or_else(|| ServiceError::bad_request("ms must be a whole number up to 60000"))?;
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(Json(json!({ "slept": ms })))
}

/// `{"mb":<mb>,"filler":["xxx…", …]}`, about `<mb>` × 10^6 bytes long.
fn big(req: &Request<'_>) -> Result<Json<Value>, ServiceError> {
    let mb = req
        .param("mb")
        .and_then(|mb| mb.parse::<f64>().ok())
        .filter(|mb| (0.0..=MAX_MB).contains(mb))
        .ok_or_else(|| ServiceError::bad_request("mb must be a number from 0 to 64"))?;
    const LINE: usize = 1000;
    // Within 0..=64 × 10^6, so the cast neither truncates a meaningful part nor wraps.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lines = (mb * 1_000_000.0 / (LINE + 3) as f64) as usize;
    let filler: Vec<String> = (0..lines).map(|_| "x".repeat(LINE)).collect();
    Ok(Json(json!({ "mb": mb, "filler": filler })))
}

fn todos(_: &Request<'_>) -> Json<Value> {
    Json(json!([
        { "id": 1, "title": "stream a countdown", "completed": true },
        { "id": 2, "title": "answer big bodies clearly", "completed": false },
    ]))
}

fn app(builder: lambda_router::AppBuilder) -> Result<App, lambda_router::BuildError> {
    builder
        .get("/countdown", countdown)
        .get("/sleep/<ms>", sleep)
        .get("/big/<mb>", big)
        .get("/todos", todos)
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let builder = match std::env::var("DELIVERY_SOURCE").as_deref() {
        Ok("http") => App::http_api(),
        Ok("alb") => App::alb(),
        Ok("url") => App::function_url(),
        Ok("any") => App::any(),
        _ => App::rest(),
    };
    // Lambda does not tell a function its invoke mode: the app says how it answers.
    let delivery = match std::env::var("DELIVERY_MODE").as_deref() {
        Ok("stream") => Delivery::Streamed,
        _ => Delivery::Buffered,
    };
    lambda_router::run_with(app(builder)?, RunOptions::default().delivery(delivery))?;
    Ok(())
}
