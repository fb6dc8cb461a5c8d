//! The synchronous chain: [`Middleware`] functions and [`Next`].

use super::{AsyncNext, ChainEnd, Layer, Remaining};
use crate::error::Error;
use crate::handler::HandlerKind;
use crate::request::Request;
use crate::response::{IntoResponse, Response, ResponseContext};

/// A middleware: `Fn(&mut Request, Next) -> Result<Response, Error>`.
///
/// Call [`Next::run`] to go on to the next middleware and finally the handler, or return
/// without calling it to short-circuit. It wraps async handlers and async middleware too:
/// `next.run` then waits for them on the invocation's thread, which needs a multi-thread
/// tokio runtime ([`run`](crate::run) makes one for such an app; under a current-thread
/// runtime of yours the route answers 500 and logs why: use
/// [`from_fn`](crate::middleware::from_fn) there). An error returned by the handler (or raised here
/// with `?`) skips the rest of the middleware on its way out, as an exception unwinds in
/// Powertools; the app's error handlers answer it.
///
/// ```
/// use lambda_router::{App, Error, Json, Next, Request, Response};
///
/// fn powered_by(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
///     let mut response = next.run(req)?;
///     response.append_header("X-Powered-By", "lambda-router");
///     Ok(response)
/// }
///
/// fn guard(req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
///     if req.header("X-Block").is_some() {
///         return Ok(next.respond((403, Json(serde_json::json!({"blocked": true})))));
///     }
///     next.run(req)
/// }
///
/// let app = App::rest().middleware(powered_by).middleware(guard).build();
/// assert!(app.is_ok());
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Handles the request, usually by calling `next.run(req)`.
    ///
    /// # Errors
    /// An error for the app's error handlers.
    fn handle(&self, req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error>;
}

impl<F> Middleware for F
where
    F: Fn(&mut Request<'_>, Next<'_>) -> Result<Response, Error> + Send + Sync + 'static,
{
    fn handle(&self, req: &mut Request<'_>, next: Next<'_>) -> Result<Response, Error> {
        self(req, next)
    }
}

/// The rest of the chain: the remaining middleware, then the handler.
pub struct Next<'n> {
    remaining: Remaining<'n>,
    endpoint: ChainEnd<'n>,
    cx: ResponseContext<'n>,
}

impl std::fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field("remaining", &self.remaining.len())
            .finish_non_exhaustive()
    }
}

impl<'n> Next<'n> {
    /// A chain of two middleware lists (the app's, then the route's) ending in `endpoint`.
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
    ///
    /// # Errors
    /// The error of a later middleware or of the handler.
    pub fn run(self, req: &mut Request<'_>) -> Result<Response, Error> {
        let Some((layer, remaining)) = self.remaining.split_first() else {
            return match self.endpoint {
                ChainEnd::Sync(endpoint) => endpoint(req, &self.cx),
                ChainEnd::Handler(HandlerKind::Sync(handler)) => handler(req, &self.cx),
                ChainEnd::Handler(HandlerKind::Async(_)) => self.wait_for_the_rest(req),
            };
        };
        match layer {
            Layer::Sync(middleware) => middleware.handle(req, Next { remaining, ..self }),
            Layer::Async(_) => self.wait_for_the_rest(req),
        }
    }

    /// The rest of the chain is async: run it as a future and wait for it here.
    fn wait_for_the_rest(self, req: &mut Request<'_>) -> Result<Response, Error> {
        super::wait::wait(AsyncNext::new(self.remaining, self.endpoint, self.cx).run(req))
    }

    /// Builds a response with the app's serializer, to short-circuit with.
    pub fn respond(&self, response: impl IntoResponse) -> Response {
        response.into_response(&self.cx)
    }
}
