#![doc = include_str!("../README.md")]

/// Guides: the routing rules, how events are read, and responses, errors and middleware.
pub mod guide {
    #[doc = include_str!("docs/routing.md")]
    pub mod routing {}
    #[doc = include_str!("docs/events.md")]
    pub mod events {}
    #[doc = include_str!("docs/responses.md")]
    pub mod responses {}
}

mod app;
mod cors;
mod dispatch;
mod error;
mod event;
mod handler;
mod middleware;
mod request;
mod response;
mod router;
mod scratch;
mod serializer;

pub use app::{App, AppBuilder, Route, Router, StripPrefix};
pub use cors::Cors;
pub use erased_serde;
pub use error::{Error, ServiceError};
pub use event::{
    CookiePairs, Cookies, Entries, EventError, Headers, Items, JsonView, Pairs, Query,
    RequestContext, Source, Values,
};
pub use handler::{AsyncHandlerFn, BoxFuture, Handler};
pub use http::{Method, StatusCode};
pub use middleware::{AsyncMiddleware, AsyncNext, Middleware, Next};
pub use request::{JsonBodyError, LambdaContext, Request};
pub use response::{
    Body, Cookie, HandlerOutput, IntoResponse, InvalidHeader, Json, JsonText, Response,
    ResponseContext, SameSite,
};
pub use router::{BuildError, BuildErrorKind, Params};
pub use scratch::Scratch;
pub use serializer::{JsonSerializer, SerializeValue};
