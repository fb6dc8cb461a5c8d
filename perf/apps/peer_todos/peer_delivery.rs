//! The peer of the delivery example's `GET /todos` (`examples/delivery.rs`) in
//! perf/runtime_loop.sh: the same answer written as a Rust user would without lambda-router,
//! on `lambda_http` + `axum` and a current-thread tokio runtime, buffered (`lambda_http::run`)
//! or streamed (`DELIVERY_MODE=stream`: `lambda_http::run_with_streaming_response`, which
//! the function needs for a Function URL in `RESPONSE_STREAM` mode or a REST API integration
//! in `STREAM` mode). Only the measured route is here; routing is a small part of either side.

use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

async fn todos() -> Json<Value> {
    Json(json!([
        { "id": 1, "title": "stream a countdown", "completed": true },
        { "id": 2, "title": "answer big bodies clearly", "completed": false },
    ]))
}

fn main() -> Result<(), lambda_http::Error> {
    let app = Router::new()
        .route("/todos", get(todos))
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(json!({ "message": "not found" })),
            )
        });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match std::env::var("DELIVERY_MODE").as_deref() {
        Ok("stream") => runtime.block_on(lambda_http::run_with_streaming_response(app)),
        _ => runtime.block_on(lambda_http::run(app)),
    }
}
