//! The async chain: [`AsyncMiddleware`] and [`AsyncNext`].

use super::{Layer, Next, Remaining};
use crate::arena_future::{FutureHome, HandlerFuture};
use crate::error::Error;
use crate::handler::{BoxFuture, Endpoint, HandlerKind, Outcome};
use crate::request::Request;
use crate::response::{IntoResponse, Response, ResponseContext};

/// An async middleware as a type of yours (for a closure, [`from_fn`](super::from_fn)
/// makes one); the future is boxed.
///
/// The two lifetimes let the request be lent for the length of the call only, so the app
/// can still answer an error with the request afterwards.
///
/// ```
/// use lambda_router::{App, AsyncMiddleware, AsyncNext, BoxFuture, Error, Request, Response};
///
/// struct PoweredBy;
///
/// impl AsyncMiddleware for PoweredBy {
///     fn handle<'r, 'a: 'r>(
///         &'r self,
///         req: &'r mut Request<'a>,
///         next: AsyncNext<'r>,
///     ) -> BoxFuture<'r, Result<Response, Error>> {
///         Box::pin(async move {
///             let mut response = next.run(req).await?;
///             response.append_header("X-Powered-By", "lambda-router");
///             Ok(response)
///         })
///     }
/// }
///
/// async fn hello(_: &Request<'_>) -> &'static str {
///     "hello"
/// }
///
/// let app = App::http_api().middleware_async(PoweredBy).get("/", hello).build();
/// assert!(app.is_ok());
/// ```
pub trait AsyncMiddleware: Send + Sync + 'static {
    /// Handles the request, usually by awaiting `next.run(req)`.
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>>;
}

/// What a chain ends in: a route's handler, or the app's own answer (the not-found route).
#[derive(Clone, Copy)]
pub(crate) enum ChainEnd<'n> {
    Handler(&'n HandlerKind),
    Sync(&'n Endpoint<'n>),
}

/// The rest of an async chain: the remaining middleware, then the handler.
pub struct AsyncNext<'n> {
    remaining: Remaining<'n>,
    endpoint: ChainEnd<'n>,
    cx: ResponseContext<'n>,
}

impl std::fmt::Debug for AsyncNext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncNext")
            .field("remaining", &self.remaining.len())
            .finish_non_exhaustive()
    }
}

impl<'n> AsyncNext<'n> {
    pub(crate) fn new(
        remaining: Remaining<'n>,
        endpoint: ChainEnd<'n>,
        cx: ResponseContext<'n>,
    ) -> Self {
        Self {
            remaining,
            endpoint,
            cx,
        }
    }

    /// Runs the rest of the chain.
    pub fn run<'a: 'n>(self, req: &'n mut Request<'a>) -> BoxFuture<'n, Result<Response, Error>> {
        let Some((layer, remaining)) = self.remaining.split_first() else {
            return self.run_endpoint(req);
        };
        let next = AsyncNext { remaining, ..self };
        match layer {
            Layer::Async(middleware) => middleware.handle(req, next),
            Layer::Sync(middleware) => {
                let next = Next::new(next.remaining, next.endpoint, next.cx);
                Box::pin(std::future::ready(middleware.handle(req, next)))
            }
        }
    }

    fn run_endpoint<'a: 'n>(self, req: &'n mut Request<'a>) -> BoxFuture<'n, Outcome> {
        let req: &'n Request<'n> = req;
        match self.endpoint {
            ChainEnd::Sync(endpoint) => Box::pin(std::future::ready(endpoint(req, &self.cx))),
            ChainEnd::Handler(HandlerKind::Sync(handler)) => {
                Box::pin(std::future::ready(handler(req, &self.cx)))
            }
            ChainEnd::Handler(HandlerKind::Async(handler)) => {
                match handler(req, self.cx, FutureHome::Heap) {
                    HandlerFuture::Heap(future) => future,
                    arena => Box::pin(arena),
                }
            }
        }
    }

    /// Builds a response with the app's serializer, to short-circuit with.
    pub fn respond(&self, response: impl IntoResponse) -> Response {
        response.into_response(&self.cx)
    }
}
