//! Handlers, type-erased at registration: what a route calls. The functions that are
//! handlers (of `&Request` and of typed arguments alike) are in `extract::handler`.

use std::future::Future;
use std::pin::Pin;

use crate::arena_future::{FutureHome, HandlerFuture};
use crate::error::Error;
use crate::extract::{Erase, Signature};
use crate::request::Request;
use crate::response::{Response, ResponseContext};

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

/// A function that can answer a route: a function, sync or async, of up to eight
/// arguments read from the request, each one of `&Request`, `&LambdaContext` or a typed
/// input from [`extract`](crate::extract) (`Path`, `Query`, `Headers`, `Json`, `Valid`,
/// `State`, `Context`); it returns [`IntoResponse`](crate::IntoResponse) or a `Result` of
/// one whose error converts into [`Error`]. A request its typed arguments cannot be read
/// from answers 422.
///
/// `M` only tells the shapes apart; it is inferred.
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
///
/// The output may borrow the request (a deserialized `&str`, a parameter), so a handler can
/// answer without copying:
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a handler: a handler takes up to eight arguments read from the request (`&Request<'_>`, `Path<u64>`, `Json<NewTodo>`, ..) and returns a response, sync or async",
    label = "not a handler",
    note = "the return type implements `IntoResponse`: wrap JSON values (`serde_json::Value`, any `serde::Serialize` struct) in `lambda_router::Json(..)`; text is `String` or `&'static str`; or build a `Response`",
    note = "or it is `Result<T, E>` with `T: IntoResponse` and `E` converting into `lambda_router::Error` (any `std::error::Error + Send + Sync + 'static`, such as `ServiceError`); map a `Box<dyn Error + Send + Sync>` with `lambda_router::Error::from_boxed`",
    note = "each argument is `&lambda_router::Request<'_>` (write it out on a closure: `|req: &Request<'_>| ..`), `&LambdaContext`, or from `lambda_router::extract` (`Path`, `Query`, `Headers`, `Json`, `Valid`, `State<&S>`, `Context<&T>`); the handler is `Send + Sync + 'static`"
)]
pub trait Handler<M>: Send + Sync + 'static {
    /// Erases the handler's type.
    #[doc(hidden)]
    fn into_erased(self) -> ErasedHandler;

    /// What the handler's arguments read (for the OpenAPI document and the checks of
    /// `build`).
    #[doc(hidden)]
    fn describe_inputs(&self) -> crate::extract::DescribeInputs;
}

// One impl, so that the compiler settles the shape first: `Signature` fixes `M` (how many
// arguments, sync or async) without looking at the argument types; then exactly one
// `Erase` impl fits `M`, and a bound of it that fails is reported as itself: the argument
// that cannot be read (`Page` has no `Rebind`), not "not a handler".
impl<F, M> Handler<M> for F
where
    F: Signature<M> + Send + Sync + 'static,
    M: Erase<F>,
{
    fn into_erased(self) -> ErasedHandler {
        M::erase(self)
    }

    fn describe_inputs(&self) -> crate::extract::DescribeInputs {
        M::describe_inputs()
    }
}
