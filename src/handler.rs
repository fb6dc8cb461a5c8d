//! Handlers: plain functions or async functions of `&Request`, type-erased at registration.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use crate::arena_future::{FutureHome, HandlerFuture};
use crate::error::Error;
use crate::request::Request;
use crate::response::{HandlerOutput, Response, ResponseContext};

/// What running a handler (or a middleware chain) gives: a response or an error for the
/// app's error handlers.
pub(crate) type Outcome = Result<Response, Error>;

/// A boxed, `Send` future (what async middleware returns).
pub type BoxFuture<'r, T> = Pin<Box<dyn Future<Output = T> + Send + 'r>>;

/// A sync function answering a request: a handler, or the not-found answer.
pub(crate) type Endpoint<'e> =
    dyn Fn(&Request<'_>, &ResponseContext<'_>) -> Outcome + Send + Sync + 'e;
pub(crate) type SyncFn = Endpoint<'static>;
type AsyncFn = dyn for<'r> Fn(&'r Request<'r>, ResponseContext<'r>, FutureHome<'r>) -> HandlerFuture<'r, Outcome>
    + Send
    + Sync;

/// A handler with its type erased.
#[doc(hidden)]
pub struct ErasedHandler(pub(crate) HandlerKind);

/// The two kinds of handler.
pub(crate) enum HandlerKind {
    /// Runs to completion when called.
    Sync(Box<SyncFn>),
    /// Gives a future to await.
    Async(Box<AsyncFn>),
}

impl std::fmt::Debug for ErasedHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            HandlerKind::Sync(_) => "ErasedHandler::Sync",
            HandlerKind::Async(_) => "ErasedHandler::Async",
        })
    }
}

impl ErasedHandler {
    pub(crate) fn is_async(&self) -> bool {
        matches!(self.0, HandlerKind::Async(_))
    }
}

/// A function that can answer a route: `Fn(&Request) -> R` or
/// `async fn(&Request) -> R`, where `R` is [`IntoResponse`](crate::IntoResponse) or a
/// `Result` of one whose error converts into [`Error`].
///
/// A function of typed arguments from [`extract`](crate::extract) (`Path`, `Query`,
/// `Headers`, `Json`, `State`, `&LambdaContext`, `&Request`, up to eight) is a handler too,
/// sync or async; a request its arguments cannot be read from answers 422.
///
/// `M` only tells the kinds apart; it is inferred.
///
/// ```
/// use lambda_router::{App, Json, Request, ServiceError};
///
/// fn hello(_: &Request<'_>) -> &'static str {
///     "hello"
/// }
///
/// async fn todo(req: &Request<'_>) -> Result<Json<u64>, ServiceError> {
///     let id = req.param("id").and_then(|id| id.parse().ok());
///     id.map(Json).ok_or_else(|| ServiceError::bad_request("id must be a number"))
/// }
///
/// let app = App::http_api()
///     .get("/hello", hello)
///     .get("/todos/<id>", todo)
///     .get("/closure", |req: &Request<'_>| format!("{}", req.path()))
///     .build();
/// assert!(app.is_ok());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a handler: a handler is `fn(&Request<'_>) -> R`, or takes typed arguments (`fn(Path<u64>, Json<NewTodo>) -> R`), sync or async",
    label = "not a handler",
    note = "a handler takes `&lambda_router::Request<'_>` (write it out on a closure: `|req: &Request<'_>| ..`), or up to eight arguments from `lambda_router::extract` (`Path`, `Query`, `Headers`, `Json`, `State<&S>`, `&LambdaContext`, `&Request`), and is `Send + Sync + 'static`",
    note = "the types inside typed arguments implement `lambda_router::extract::Rebind` and `serde::Deserialize`: write `lambda_router::rebind!(NewTodo, Page<'a>)` for your own",
    note = "`R` must implement `IntoResponse`: wrap JSON values (`serde_json::Value`, any `serde::Serialize` struct) in `lambda_router::Json(..)`; text is `String` or `&'static str`; or build a `Response`",
    note = "or `R` is `Result<T, E>` with `T: IntoResponse` and `E` converting into `lambda_router::Error` (any `std::error::Error + Send + Sync + 'static`, such as `ServiceError`); map a `Box<dyn Error + Send + Sync>` with `lambda_router::Error::from_boxed`"
)]
pub trait Handler<M>: Send + Sync + 'static {
    /// Erases the handler's type.
    #[doc(hidden)]
    fn into_erased(self) -> ErasedHandler;

    /// What a handler of typed arguments reads (for the OpenAPI document and the checks
    /// of `build`); `None` for a handler of `&Request`, which may read anything.
    #[doc(hidden)]
    fn describe_inputs(&self) -> Option<crate::openapi::DescribeInputs> {
        None
    }
}

#[doc(hidden)]
#[derive(Debug)]
pub struct SyncMarker<R>(PhantomData<fn() -> R>);

#[doc(hidden)]
#[derive(Debug)]
pub struct AsyncMarker<R>(PhantomData<fn() -> R>);

/// A sync function of `&Request`: implemented for every `Fn(&Request<'_>) -> R`. The
/// lifetime lets the output borrow the request (a deserialized `&str`, a parameter), so a
/// handler can answer without copying.
///
/// ```
/// use lambda_router::{App, Json, JsonBodyError, Request};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Deserialize, Serialize)]
/// struct Note<'a> {
///     text: &'a str,
/// }
///
/// fn echo<'r>(req: &'r Request<'r>) -> Result<Json<Note<'r>>, JsonBodyError> {
///     req.json().map(Json)
/// }
///
/// let app = App::rest().post("/echo", echo).build();
/// assert!(app.is_ok());
/// ```
pub trait SyncHandlerFn<'r>: Send + Sync + 'static {
    /// What the function returns.
    type Output: HandlerOutput;
    /// Calls the function.
    fn call(&self, req: &'r Request<'r>) -> Self::Output;
}

impl<'r, F, R> SyncHandlerFn<'r> for F
where
    F: Fn(&'r Request<'r>) -> R + Send + Sync + 'static,
    R: HandlerOutput,
{
    type Output = R;
    fn call(&self, req: &'r Request<'r>) -> R {
        self(req)
    }
}

impl<F> Handler<SyncMarker<()>> for F
where
    F: for<'r> SyncHandlerFn<'r>,
{
    fn into_erased(self) -> ErasedHandler {
        ErasedHandler(HandlerKind::Sync(Box::new(move |req, cx| {
            self.call(req).into_outcome(cx)
        })))
    }
}

/// An async function of `&Request`: implemented for every `async fn(&Request<'_>) -> R`
/// whose future is `Send`. The lifetime lets the future borrow the request.
pub trait AsyncHandlerFn<'r, R>: Send + Sync + 'static {
    /// The future the function returns.
    type Future: Future<Output = R> + Send + 'r;
    /// Calls the function.
    fn call(&self, req: &'r Request<'r>) -> Self::Future;
}

impl<'r, F, Fut, R> AsyncHandlerFn<'r, R> for F
where
    F: Fn(&'r Request<'r>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'r,
{
    type Future = Fut;
    fn call(&self, req: &'r Request<'r>) -> Fut {
        self(req)
    }
}

impl<F, R> Handler<AsyncMarker<R>> for F
where
    F: for<'r> AsyncHandlerFn<'r, R>,
    R: HandlerOutput + 'static,
{
    fn into_erased(self) -> ErasedHandler {
        ErasedHandler(HandlerKind::Async(Box::new(move |req, cx, home| {
            let future = self.call(req);
            home.pin(async move { future.await.into_outcome(&cx) })
        })))
    }
}
