//! [`from_fn`]: an async middleware from a closure.

use super::{AsyncMiddleware, AsyncNext};
use crate::error::Error;
use crate::handler::BoxFuture;
use crate::request::Request;
use crate::response::Response;

/// An async middleware from a closure (axum's `from_fn`): it takes the request and the
/// rest of the chain, and returns its boxed future. It wraps every route, sync or async.
///
/// The closure returns `Box::pin(async move { .. })`: the future borrows the request,
/// and a closure's return type can only borrow its arguments when it is named.
///
/// ```
/// use lambda_router::middleware::from_fn;
/// use lambda_router::{App, Request, Response};
///
/// async fn hello(_: &Request<'_>) -> &'static str {
///     "hello"
/// }
///
/// let app = App::http_api()
///     .middleware(from_fn(|req, next| Box::pin(async move {
///         if req.header("x-api-key") != Some("secret") {
///             return Ok(Response::text(401, "no key"));
///         }
///         let mut response = next.run(req).await?;
///         response.append_header("X-Checked", "yes");
///         Ok(response)
///     })))
///     .get("/", hello)
///     .get("/sync", |_: &Request<'_>| "sync")
///     .build();
/// assert!(app.is_ok());
/// ```
pub fn from_fn<F>(f: F) -> FromFn<F>
where
    F: for<'r, 'a> Fn(&'r mut Request<'a>, AsyncNext<'r>) -> BoxFuture<'r, Result<Response, Error>>
        + Send
        + Sync
        + 'static,
{
    FromFn(f)
}

/// The middleware [`from_fn`] makes.
#[derive(Clone, Copy, Debug)]
pub struct FromFn<F>(F);

impl<F> AsyncMiddleware for FromFn<F>
where
    F: for<'r, 'a> Fn(&'r mut Request<'a>, AsyncNext<'r>) -> BoxFuture<'r, Result<Response, Error>>
        + Send
        + Sync
        + 'static,
{
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        (self.0)(req, next)
    }
}
