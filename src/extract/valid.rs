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

use serde::Deserialize;

use super::agent_body;
use super::declared::declared_fields;
use super::fields_de::HeaderLookup;
use super::location::Location;
use super::parts::read_standing_in;
use super::rejection::{ErrorType, FieldError, Loc, Rejection, ValidationError};
use super::{Extract, FromRequest, Headers, Inputs, Path, Query};
use crate::request::Request;
use crate::response::Json;

/// An input read by the extractor `E` (`Json`, `Query`, `Path` or `Headers`), then
/// validated with the constraints its type declares with `#[derive(garde::Validate)]`.
///
/// Every constraint that fails is one error of the 422 answer, located like the
/// extractor's own errors (`["body", "title"]`, `["query", "limit"]`, list indexes
/// included) with `type` `value_error` and garde's message as `msg`. As pydantic, a field
/// that cannot be read does not hide the others: their constraints are checked too (the
/// failed fields given stand-in values, whose own checks are dropped), for path, query and
/// header inputs and an agent's body; a JSON body stops at its first reading error. One
/// input's errors come in the order its type declares its fields (serde's field list),
/// the errors of the handler's other arguments in argument order.
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
/// // One input's errors in the order its fields are declared.
/// assert_eq!(body["detail"][0]["loc"], serde_json::json!(["body", "title"]));
/// assert_eq!(body["detail"][0]["type"], "value_error");
/// assert_eq!(body["detail"][1]["loc"], serde_json::json!(["body", "priority"]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Your crate depends on `garde` itself (the derive names it), at the version this crate
/// uses (0.22). Types whose `garde(context(..))` has no `Default` cannot be checked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Valid<E>(pub E);

/// An extractor whose value [`Valid`] can check: where its input comes from (the first
/// step of an error's `loc`), the checks of its value, and what orders and completes the
/// 422 (the fields it declares; a value to check when some fields could not be read).
pub trait Validated<'r>: Sized {
    /// Where the input is read: the first step of the `loc` of its errors.
    const LOCATION: Location;

    /// Checks the extracted value against its declared constraints.
    ///
    /// # Errors
    /// Every constraint that failed, with its path in the value.
    fn validate(&self) -> Result<(), garde::Report>;

    /// The value's fields in declaration order: the order of its errors in a 422
    /// (garde's report comes by field name). The default, none, keeps garde's order.
    fn declared_fields() -> &'static [&'static str] {
        &[]
    }

    /// The value read again from `req` with the top-level fields `failed` (which could not
    /// be read) given plain stand-in values, so that the other fields' constraints are
    /// checked too; the stand-ins' own errors are dropped. `None` (the default) when the
    /// input cannot be read so: the 422 then lists the reading errors alone.
    fn standing_in(req: &'r Request<'r>, failed: &[&'static str]) -> Option<Self> {
        let _ = (req, failed);
        None
    }
}

macro_rules! validated {
    ($($extractor:ident => $location:ident, $standing_in:expr;)*) => {$(
        impl<'r, T> Validated<'r> for $extractor<T>
        where
            T: Validate + Deserialize<'r>,
            T::Context: Default,
        {
            const LOCATION: Location = Location::$location;

            fn validate(&self) -> Result<(), garde::Report> {
                self.0.validate()
            }

            fn declared_fields() -> &'static [&'static str] {
                declared_fields::<T>()
            }

            fn standing_in(req: &'r Request<'r>, failed: &[&'static str]) -> Option<Self> {
                let read: fn(&'r Request<'r>, &[&'static str]) -> Option<T> = $standing_in;
                read(req, failed).map($extractor)
            }
        }
    )*};
}

validated! {
    Json => Body, |req, failed| {
        // A JSON body stops at its first error; an agent's named values read on.
        if req.event.source.def().dialect.body_as_named_values {
            agent_body::read_standing_in(req, failed)
        } else {
            None
        }
    };
    Query => Query, |req, failed| read_standing_in(req.query_params(), failed);
    Path => Path, |req, failed| read_standing_in(req.params(), failed);
    Headers => Header, |req, failed| read_standing_in(HeaderLookup(req.headers()), failed);
}

impl<'r, E> FromRequest<'r> for Valid<E>
where
    E: FromRequest<'r> + Validated<'r>,
{
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        match E::from_request(req) {
            Ok(extracted) => match extracted.validate() {
                Ok(()) => Ok(Valid(extracted)),
                Err(report) => {
                    let mut errors = reported(E::LOCATION, &report, &[]);
                    errors.sort_by_fields(E::declared_fields());
                    Err(errors.into())
                }
            },
            Err(Rejection::Invalid(errors)) => {
                Err(with_other_fields_checked::<E>(req, errors).into())
            }
            Err(failed) => Err(failed),
        }
    }
}

/// The reading errors of an input and, as pydantic reports them together, the failed
/// constraints of its fields that did read, in declaration order.
#[cold]
fn with_other_fields_checked<'r, E: Validated<'r>>(
    req: &'r Request<'r>,
    mut errors: ValidationError,
) -> ValidationError {
    let declared = E::declared_fields();
    let failed: Vec<&'static str> = declared
        .iter()
        .copied()
        .filter(|field| {
            errors
                .errors()
                .iter()
                .any(|error| is_about(error, E::LOCATION, field))
        })
        .collect();
    if failed.is_empty() {
        return errors;
    }
    if let Some(Err(report)) = E::standing_in(req, &failed).map(|value| value.validate()) {
        errors.append(reported(E::LOCATION, &report, &failed));
        errors.sort_by_fields(declared);
    }
    errors
}

/// Whether `error` is about the field `field` of the input read at `location`.
fn is_about(error: &FieldError, location: Location, field: &str) -> bool {
    matches!(
        error.loc.as_slice(),
        [Loc::Key(at), Loc::Key(name), ..] if at == location.as_str() && name == field
    )
}

impl<E: Extract> Extract for Valid<E>
where
    for<'r> E::At<'r>: Validated<'r>,
{
    type At<'r> = Valid<E::At<'r>>;

    fn describe(inputs: &mut Inputs<'_>) {
        E::describe(inputs);
    }
}

/// garde's report as the 422's errors, each located under `location`, leaving out the
/// ones about the top-level fields `standing_in` (their values were not the request's):
/// the first [`ValidationError::MAX_ERRORS`], the others counted, never converted.
#[cold]
fn reported(
    location: Location,
    report: &garde::Report,
    standing_in: &[&'static str],
) -> ValidationError {
    let mut errors = ValidationError::default();
    let mut entries = report.iter().filter(|(path, _)| {
        // garde keeps a path leaf first: the top-level field is the last step.
        let top = path.__iter().last().map(|(_, step)| step.as_str());
        match top {
            Some(field) => !standing_in.contains(&field),
            // A check of the whole value, which stand-ins make meaningless.
            None => standing_in.is_empty(),
        }
    });
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
        let errors = reported(Location::Body, &report, &[]);
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
