//! Helpers for unit tests of routes without JSON fixtures: builders of valid events of each
//! source, a parsed view of the proxy response, and [`call`] to run one through an app.
//!
//! ```
//! use lambda_router::{App, Json, Request, testing};
//! use serde_json::{Value, json};
//!
//! let app = App::rest()
//!     .post("/todos", |req: &Request<'_>| {
//!         let todo: Value = req.json().unwrap_or_default();
//!         (201, Json(json!({ "title": todo["title"], "key": req.header("x-api-key") })))
//!     })
//!     .build()?;
//!
//! let response = testing::call(
//!     &app,
//!     testing::rest().post("/todos").header("X-Api-Key", "k").json(&json!({ "title": "docs" })),
//! );
//! assert_eq!(response.status(), 201);
//! assert_eq!(response.header("content-type"), Some("application/json"));
//! assert_eq!(response.json::<Value>()?, json!({ "title": "docs", "key": "k" }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The builders make the events API Gateway, ALB, Lambda and VPC Lattice send ([`rest`],
//! [`http_api`], [`alb`], [`alb_multi_value`], [`function_url`], [`vpc_lattice`],
//! [`vpc_lattice_v2`]); [`EventBuilder::to_json`] gives the
//! event as a `serde_json::Value` to change fields the builder does not cover.
//!
//! [`call`] runs one event on a fresh [`Scratch`](crate::Scratch). A [`Client`] keeps its
//! `Scratch` between calls, as a warm function does, and lets a test put values into the
//! shared context of the next call, set the Lambda context, or await async handlers
//! inside the test's own runtime.
//!
//! Async handlers need nothing more: the helpers run the app on a tokio runtime with
//! timers and I/O enabled (as [`run`](crate::run) does), so a handler that calls
//! `tokio::time::sleep`, uses a tokio socket or spawns a task is tested from a plain
//! `#[test]`, or from inside a `#[tokio::test]`.

mod blocking;
mod client;
mod event;
mod response;

use std::fmt;

use crate::{App, EventError};

pub use client::Client;
pub use event::{
    EventBuilder, IntoEvent, alb, alb_multi_value, event_for, function_url, http_api, rest,
    vpc_lattice, vpc_lattice_v2,
};
pub use response::TestResponse;

/// Runs `event` through `app` and parses the response, on a tokio runtime with timers and
/// I/O enabled as [`Client::call`] says.
///
/// # Panics
/// If the app rejects the event as malformed (use [`try_call`] to test that), or its
/// response is not a proxy response.
#[allow(clippy::panic)]
pub fn call(app: &App, event: impl IntoEvent) -> TestResponse {
    match try_call(app, event) {
        Ok(response) => response,
        Err(error) => panic!("testing::call: {error}"),
    }
}

/// [`call`], returning the app's [`EventError`] (or an unreadable response) as an error.
///
/// # Errors
/// The event is malformed ([`TestError::Event`]), or the response is not a proxy
/// response ([`TestError::Response`]).
pub fn try_call(app: &App, event: impl IntoEvent) -> Result<TestResponse, TestError> {
    Client::new(app).try_call(event)
}

/// Why [`try_call`] or [`TestResponse::parse`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum TestError {
    /// The app rejected the event.
    Event(EventError),
    /// The bytes are not a proxy response: what is wrong.
    Response(String),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Event(e) => write!(f, "the app rejected the event: {e}"),
            Self::Response(why) => write!(f, "not a proxy response: {why}"),
        }
    }
}

impl std::error::Error for TestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Event(e) => Some(e),
            Self::Response(_) => None,
        }
    }
}
