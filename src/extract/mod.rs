//! Typed inputs: a handler names what it needs by type, and each argument is read from
//! the request's borrowed views before the handler runs.
//!
//! ```
//! use lambda_router::extract::{Json, Path, Query, State};
//! use lambda_router::{App, ServiceError};
//!
//! struct Store { prefix: String }
//!
//! #[derive(serde::Deserialize)]
//! struct NewTodo<'a> { title: &'a str }
//! #[derive(serde::Deserialize)]
//! struct Page { limit: Option<u32>, tag: Vec<String> }
//! lambda_router::rebind!(NewTodo<'a>, Page);
//!
//! fn create(
//!     State(store): State<&Store>,
//!     Path(list): Path<&str>,
//!     Query(page): Query<Page>,
//!     Json(todo): Json<NewTodo<'_>>,
//! ) -> Result<String, ServiceError> {
//!     Ok(format!("{}{list}: {} {:?} {:?}", store.prefix, todo.title, page.limit, page.tag))
//! }
//!
//! let app = App::rest()
//!     .state(Store { prefix: "list ".into() })
//!     .post("/lists/<list>/todos", create)
//!     .build();
//! assert!(app.is_ok());
//! ```
//!
//! Every argument is read even when an earlier one failed, so a 422 lists every error of
//! the request ([`ValidationError`]). Each argument type implements [`FromRequest`], and its
//! inner types implement [`Rebind`], which lets them borrow from the request: one
//! [`rebind!`](crate::rebind) line beside each type of yours. A handler whose argument type
//! lacks it does not compile, and the error names that type and the line to write
//! (``add `lambda_router::rebind!(Page);` beside the type``).
//!
//! With the `validate` feature (on by default), [`Valid`] checks an input against the
//! constraints its type declares with `#[derive(garde::Validate)]`.

mod agent_body;
mod body;
mod context;
mod declared;
mod describe;
mod fields_de;
mod handler;
mod lax;
mod location;
mod messages;
mod parts;
mod rebind;
mod rejection;
mod stand_in;
mod text_de;
#[cfg(feature = "validate")]
mod valid;

pub use crate::response::Json;
pub use context::Context;
pub use describe::{DescribeInputs, Inputs};
pub use handler::{AsyncTyped, Erase, Signature, Typed, TypedAsyncFn, TypedSyncFn};
pub use location::Location;
pub use parts::{Headers, Path, Query, State};
pub use rebind::Rebind;
#[doc(hidden)]
pub use rebind::documented_schema;
pub use rejection::{ErrorType, FieldError, Loc, Rejection, ValidationError};
pub(crate) use rejection::{Rejections, ValidationAnswer};
pub(crate) use text_de::{TextDeserializer, TextError, forward_text};
#[cfg(feature = "validate")]
pub use valid::{Valid, Validated};

use crate::request::Request;

/// A handler argument type: names itself at any request lifetime `'r` (through the
/// [`Rebind`] of its inner type), where it can be read from the request.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler argument: nothing reads it from the request",
    label = "this handler has an argument of type `{Self}`",
    note = "each argument is `&lambda_router::Request<'_>`, `&LambdaContext`, or from `lambda_router::extract`: `Path<T>`, `Query<T>`, `Headers<T>`, `Json<T>`, `Valid<..>`, `State<&S>`, `Context<&T>` (by reference)",
    note = "a value of the request goes inside one of those: `Path<u64>` for a path parameter, `Query<Page>` for a struct of query parameters"
)]
pub trait Extract {
    /// This type, borrowing from a request of lifetime `'r`.
    type At<'r>: FromRequest<'r>;

    /// Says what this argument reads, for the app's [OpenAPI document](crate::openapi)
    /// (parameters, body, with their schemas) and for the checks of
    /// [`build`](crate::AppBuilder::build) (a `State<&S>` the app was not given). The
    /// default says nothing: an extractor of your own that reads something documentable
    /// calls the [`Inputs`] method for it.
    ///
    /// Called when the app is built and when the document is, never per request.
    fn describe(inputs: &mut Inputs<'_>) {
        let _ = inputs;
    }
}

/// A value a handler can take as an argument, read from the request of lifetime `'r` (so
/// it may borrow from it).
pub trait FromRequest<'r>: Sized {
    /// Reads the value.
    ///
    /// # Errors
    /// [`Rejection::Invalid`] when the request is not what the type asks for (answered
    /// 422 with every argument's errors); [`Rejection::Failed`] for anything else.
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection>;
}

impl<'r> FromRequest<'r> for &'r Request<'r> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        Ok(req)
    }
}

impl Extract for &Request<'_> {
    type At<'r> = &'r Request<'r>;
}

/// The invocation's Lambda context.
impl<'r> FromRequest<'r> for &'r crate::LambdaContext {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        Ok(req.lambda_context())
    }
}

impl Extract for &crate::LambdaContext {
    type At<'r> = &'r crate::LambdaContext;
}
