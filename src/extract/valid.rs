//! [`Valid`]: an extractor whose value is checked against the constraints declared on its
//! type with [garde](https://docs.rs/garde), every failure answered 422 with the others.
//!
//! A wrapper rather than validation whenever `T: garde::Validate`: `Json<T>` already reads
//! every `T: Deserialize`, and choosing another behaviour for the types that also validate
//! would need specialization. With the wrapper, the handler's signature says which inputs
//! are checked, and handlers that check nothing pay nothing.

use std::borrow::Cow;

use garde::Validate;
use garde::error::Kind;

use super::invalid::{ErrorType, FieldError, Loc, Rejection, ValidationError};
use super::location::Location;
use super::{Extract, FromRequest, Headers, Inputs, Path, Query};
use crate::request::Request;
use crate::response::Json;

/// An input read by the extractor `E` (`Json`, `Query`, `Path` or `Headers`), then
/// validated with the constraints its type declares with `#[derive(garde::Validate)]`.
///
/// Every constraint that fails is one error of the 422 answer, located like the
/// extractor's own errors (`["body", "title"]`, `["query", "limit"]`, list indexes
/// included) with `type` `value_error` and garde's message as `msg`; one input's errors
/// come in garde's order (by field name). The errors of the handler's other arguments are
/// listed too, in argument order.
///
/// ```
/// use lambda_router::extract::{Json, Valid};
/// use lambda_router::{App, LambdaContext, Scratch};
///
/// #[derive(serde::Deserialize, garde::Validate)]
/// struct NewTodo<'a> {
///     #[garde(length(min = 1, max = 100))]
///     title: &'a str,
///     #[garde(range(min = 1, max = 5))]
///     priority: u8,
/// }
/// lambda_router::rebind!(NewTodo<'a>);
///
/// fn create(Valid(Json(todo)): Valid<Json<NewTodo<'_>>>) -> String {
///     format!("{} ({})", todo.title, todo.priority)
/// }
///
/// let app = App::function_url().post("/todos", create).build()?;
/// let event = br#"{"rawPath":"/todos","body":"{\"title\":\"\",\"priority\":9}","requestContext":{"http":{"method":"POST"}}}"#;
/// let mut scratch = Scratch::new();
/// let out = app.handle_blocking(&mut scratch, event, &LambdaContext::default())?;
/// let out: serde_json::Value = serde_json::from_slice(out)?;
/// assert_eq!(out["statusCode"], 422);
/// let body: serde_json::Value = serde_json::from_str(out["body"].as_str().unwrap_or(""))?;
/// // One input's errors in garde's order: by field name.
/// assert_eq!(body["detail"][0]["loc"], serde_json::json!(["body", "priority"]));
/// assert_eq!(body["detail"][1]["loc"], serde_json::json!(["body", "title"]));
/// assert_eq!(body["detail"][1]["type"], "value_error");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Your crate depends on `garde` itself (the derive names it), at the version this crate
/// uses (0.22). Types whose `garde(context(..))` has no `Default` cannot be checked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Valid<E>(pub E);

/// An extractor whose value [`Valid`] can check: where its input comes from (the first
/// step of an error's `loc`) and the checks of its value.
pub trait Validated {
    /// Where the input is read: the first step of the `loc` of its errors.
    const LOCATION: Location;

    /// Checks the extracted value against its declared constraints.
    ///
    /// # Errors
    /// Every constraint that failed, with its path in the value.
    fn validate(&self) -> Result<(), garde::Report>;
}

macro_rules! validated {
    ($($extractor:ident => $location:ident),* $(,)?) => {$(
        impl<T> Validated for $extractor<T>
        where
            T: Validate,
            T::Context: Default,
        {
            const LOCATION: Location = Location::$location;

            fn validate(&self) -> Result<(), garde::Report> {
                self.0.validate()
            }
        }
    )*};
}

validated! {
    Json => Body,
    Query => Query,
    Path => Path,
    Headers => Header,
}

impl<'r, E> FromRequest<'r> for Valid<E>
where
    E: FromRequest<'r> + Validated,
{
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        let extracted = E::from_request(req)?;
        match extracted.validate() {
            Ok(()) => Ok(Valid(extracted)),
            Err(report) => Err(reported(E::LOCATION, &report).into()),
        }
    }
}

impl<E: Extract> Extract for Valid<E>
where
    for<'r> E::At<'r>: Validated,
{
    type At<'r> = Valid<E::At<'r>>;

    fn describe(inputs: &mut Inputs<'_>) {
        E::describe(inputs);
    }
}

/// garde's report as the 422's errors, each located under `location`: the first
/// [`ValidationError::MAX_ERRORS`], the others counted, never converted.
#[cold]
fn reported(location: Location, report: &garde::Report) -> ValidationError {
    let mut errors = ValidationError::default();
    let mut entries = report.iter();
    for (path, error) in entries.by_ref().take(ValidationError::MAX_ERRORS) {
        let mut loc = vec![Loc::Key(Cow::Borrowed(location.as_str()))];
        // garde keeps a path leaf first; its `Display` reads it the same way, reversed.
        for (kind, step) in path.__iter().rev() {
            match kind {
                Kind::Index => loc.push(match step.parse() {
                    Ok(index) => Loc::Index(index),
                    Err(_) => Loc::Key(Cow::Owned(step.to_string())),
                }),
                Kind::Key => loc.push(Loc::Key(Cow::Owned(step.to_string()))),
                // The step into an `Option`'s value, which has no name of its own.
                Kind::None => {}
            }
        }
        errors.push(FieldError {
            loc,
            kind: ErrorType::ValueError,
            msg: Cow::Owned(error.message().to_owned()),
        });
    }
    errors.count_omitted(entries.count());
    errors
}

#[cfg(test)]
mod tests {
    use garde::error::{Error, NoKey, Path as GardePath};

    use super::{ErrorType, Loc, Location, reported};

    #[test]
    fn garde_paths_become_locs_root_first() {
        let mut report = garde::Report::new();
        let nested = GardePath::new("items").join(2usize).join(NoKey::default());
        report.append(nested.join("title"), Error::new("length is lower than 1"));
        report.append(GardePath::empty(), Error::new("custom"));
        let errors = reported(Location::Body, &report);
        let key = |k: &'static str| Loc::Key(k.into());
        assert_eq!(
            errors.errors()[0].loc,
            [key("body"), key("items"), Loc::Index(2), key("title")]
        );
        assert_eq!(errors.errors()[0].msg, "length is lower than 1");
        assert_eq!(errors.errors()[0].kind, ErrorType::ValueError);
        assert_eq!(errors.errors()[1].loc, [key("body")]);
        assert_eq!(errors.errors().len(), 2);
    }
}
