#![doc = include_str!("docs/crate.md")]

/// Guides: a tutorial, the routing rules, how events are read, responses, errors and
/// middleware, running and deploying, streamed responses, typed inputs with validation,
/// OpenAPI and Swagger UI, Amazon Bedrock Agents.
pub mod guide {
    #[doc = include_str!("docs/tutorial.md")]
    pub mod tutorial {}
    #[doc = include_str!("docs/routing.md")]
    pub mod routing {}
    #[doc = include_str!("docs/events.md")]
    pub mod events {}
    #[doc = include_str!("docs/responses.md")]
    pub mod responses {}
    #[doc = include_str!("docs/deploy.md")]
    pub mod deploy {}
    #[doc = include_str!("docs/streaming.md")]
    pub mod streaming {}
    #[cfg(feature = "validate")]
    #[doc = include_str!("docs/typed.md")]
    pub mod typed {}
    #[cfg(feature = "validate")]
    #[doc = include_str!("docs/bedrock.md")]
    pub mod bedrock {}
}

// The README is the repository's front page (its links are relative to the repository,
// not to rustdoc); its code examples are still compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// Lets test code shared with the integration tests (`tests/naive`) name the crate.
#[cfg(test)]
extern crate self as lambda_router;

mod app;
mod arena_future;
/// Amazon Bedrock Agents: what an app built with
/// [`App::bedrock_agent`](crate::App::bedrock_agent) reads and answers beyond HTTP, and
/// the tools of an app built with
/// [`App::bedrock_agent_functions`](crate::App::bedrock_agent_functions).
pub mod bedrock {
    pub use crate::app::ToolsBuilder;
    pub use crate::source::bedrock_agent::AgentSession;
    pub use crate::source::bedrock_agent_function::{ArgValue, Args, ResponseState};
}
// Not public API (feature `__bench`, see Cargo.toml).
#[cfg(feature = "__bench")]
#[doc(hidden)]
pub mod bench_support;
mod cors;
#[cfg(feature = "dev-server")]
pub mod dev_server;
mod dispatch;
mod error;
mod event;
pub mod extract;
mod handler;
pub mod middleware;
pub mod openapi;
mod request;
mod response;
mod router;
#[cfg(feature = "runtime")]
mod runtime;
mod scratch;
#[cfg(any(feature = "runtime", feature = "dev-server"))]
mod scratch_pool;
mod serializer;
mod source;
pub mod testing;
mod wire;

pub use app::{App, AppBuilder, Route, Router, StripPrefix};
pub use cors::Cors;
// The streamed answer of `App::handle_streamed` (feature `__bench`, see Cargo.toml).
#[cfg(feature = "__bench")]
#[doc(hidden)]
pub use dispatch::{StreamedAnswer, StreamedBody};
pub use erased_serde;
pub use error::{Error, ServiceError};
pub use event::{
    CookiePairs, Cookies, Entries, EventError, Headers, Items, JsonView, Pairs, Query,
    RequestContext, Source, Values,
};
pub use handler::{BoxFuture, Handler};
pub use http::{Method, StatusCode};
pub use middleware::{AsyncMiddleware, AsyncNext, Middleware, Next};
pub use request::{BodyError, JsonBodyError, LambdaContext, Request};
pub use response::{
    Body, BodyClosed, BodyStream, BodyWriter, BoxError, ChunkStream, Cookie, HandlerOutput,
    IntoResponse, InvalidHeader, Json, JsonText, Response, ResponseContext, SameSite,
};
pub use router::{BuildError, BuildErrorKind, Params};
#[cfg(feature = "runtime")]
pub use runtime::{
    Delivery, RunError, RunOptions, RuntimeApiError, run, run_with, serve, serve_with,
};
#[cfg(feature = "lambda-runtime")]
pub use runtime::{LambdaService, lambda_service};
pub use scratch::Scratch;
pub use serializer::{JsonSerializer, SerializeValue};
