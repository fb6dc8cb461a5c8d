//! [`Context`]: a value a middleware stored in the request's shared context.

use super::{Extract, FromRequest, Rejection};
use crate::error::Error;
use crate::request::Request;

/// A value a middleware stored in the request's shared context
/// ([`Request::context_mut`](crate::Request::context_mut), Powertools' `app.context`),
/// borrowed for the invocation (nothing is cloned). The value is of type `T` in
/// `Context<&T>`; a request without one answers 500, as a missing value is the app's
/// mistake, not the caller's.
///
/// ```
/// use lambda_router::extract::Context;
/// use lambda_router::middleware::from_fn;
/// use lambda_router::{App, Response, testing};
///
/// #[derive(Clone)]
/// struct Caller(String);
///
/// fn whoami(Context(caller): Context<&Caller>) -> String {
///     format!("hello {}", caller.0)
/// }
///
/// let app = App::http_api()
///     .middleware(from_fn(|req, next| Box::pin(async move {
///         let Some(key) = req.header("x-api-key") else {
///             return Ok(Response::text(401, "no key"));
///         };
///         let caller = Caller(key.to_owned());
///         req.context_mut().insert(caller);
///         next.run(req).await
///     })))
///     .get("/whoami", whoami)
///     .build()?;
/// let response = testing::call(&app, testing::http_api().get("/whoami").header("X-Api-Key", "ana"));
/// assert_eq!(response.text(), "hello ana");
/// # Ok::<(), lambda_router::BuildError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Context<T>(pub T);

impl<'r, T: Send + Sync + 'static> FromRequest<'r> for Context<&'r T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        match req.context().get::<T>() {
            Some(value) => Ok(Context(value)),
            None => Err(missing::<T>()),
        }
    }
}

impl<T: Send + Sync + 'static> Extract for Context<&T> {
    type At<'r> = Context<&'r T>;
}

#[cold]
fn missing<T>() -> Rejection {
    Rejection::Failed(Error::new(MissingContext {
        type_name: std::any::type_name::<T>(),
    }))
}

/// A handler takes `Context<&T>` and no middleware stored a `T`.
#[derive(Debug)]
struct MissingContext {
    type_name: &'static str,
}

impl std::fmt::Display for MissingContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a handler takes `Context<&{}>` but no middleware stored one in the request's \
             context (with `req.context_mut().insert(..)`)",
            self.type_name
        )
    }
}

impl std::error::Error for MissingContext {}
