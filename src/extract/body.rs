//! The JSON body extractor, and where in the body a failed read went wrong.
//!
//! The body is read as `Request::json` reads it (by `serde_json`, strings borrowed where
//! they have no escapes). Only when that fails is it read a second time, with the path to
//! the failure tracked, to locate the error: the hot path pays nothing for locations.

use std::borrow::Cow;

use serde::Deserialize;
use serde_path_to_error::{Path as ErrorPath, Segment};

use super::Location;
use super::messages::classify;
use super::rejection::{ErrorType, FieldError, Loc, Rejection};
use super::{Extract, FromRequest, Inputs, Rebind};
use crate::request::{Request, Skipping};
use crate::response::Json;

/// The body, read as JSON into `T` (which may borrow from the request).
impl<'r, T: Deserialize<'r>> FromRequest<'r> for Json<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        if req.event.source.def().dialect.body_as_named_values {
            return super::agent_body::read(req).map(Json);
        }
        match req.json::<T>() {
            Ok(value) => Ok(Json(value)),
            Err(_) => Err(locate_body_error::<T>(req).into()),
        }
    }
}

impl<T: Rebind> Extract for Json<T>
where
    for<'r> T::At<'r>: Deserialize<'r>,
{
    type At<'r> = Json<T::At<'r>>;

    fn describe(inputs: &mut Inputs<'_>) {
        inputs.json_body::<T>();
    }
}

fn at_body(kind: ErrorType, msg: impl Into<Cow<'static, str>>) -> FieldError {
    FieldError::at(Location::Body, kind, msg)
}

/// Reads the body into `T` again, tracking the path, to say where and why it fails.
#[cold]
fn locate_body_error<'r, T: Deserialize<'r>>(req: &'r Request<'r>) -> FieldError {
    let text = match req.body {
        Err(error) => return at_body(ErrorType::JsonInvalid, error.to_string()),
        Ok(Some(body)) if !body.bytes().is_empty() => match body.text() {
            Ok(text) => text,
            // JSON is UTF-8: bytes that are not cannot be JSON.
            Err(_) => return at_body(ErrorType::JsonInvalid, "JSON decode error"),
        },
        Ok(_) => return at_body(ErrorType::Missing, "Field required"),
    };
    let mut reader = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(Skipping(&mut reader, req.unescaped)) {
        // serde_json refuses some values of the wrong kind (an enum given neither a name
        // nor a map, a map key that is no number) with a syntax error: in valid JSON it is
        // a type error, located like the others.
        Err(error) if error.inner().is_syntax() && is_json(text) => {
            located(error.path(), &error.inner().to_string())
        }
        Err(error) if error.inner().is_syntax() || error.inner().is_eof() => {
            at_body(ErrorType::JsonInvalid, "JSON decode error")
        }
        Err(error) => located(error.path(), &error.inner().to_string()),
        // Read, then refused for what follows the value.
        Ok(_) => at_body(ErrorType::JsonInvalid, "JSON decode error"),
    }
}

/// Whether `text` is one JSON value (read without keeping anything).
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// An error `message` (serde's wording) at `path` in the body.
fn located(path: &ErrorPath, message: &str) -> FieldError {
    // serde_json ends its messages with the position; the input before it may hold anything.
    let message = message
        .rfind(" at line ")
        .map_or(message, |end| message.get(..end).unwrap_or(message));
    let mut loc = vec![Loc::Key(Cow::Borrowed(Location::Body.as_str()))];
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => loc.push(Loc::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                loc.push(Loc::Key(Cow::Owned(key.clone())));
            }
            Segment::Unknown => {}
        }
    }
    let (kind, field, msg) = classify(message);
    // An unknown field is on the path already (the key being read); a missing one is not.
    let on_path = kind == ErrorType::ExtraForbidden
        && matches!(loc.last(), Some(Loc::Key(key)) if field == Some(&**key));
    if let (Some(field), false) = (field, on_path) {
        loc.push(Loc::Key(Cow::Owned(field.to_owned())));
    }
    FieldError { loc, kind, msg }
}
