//! The JSON body extractor, and where in the body a failed read went wrong.
//!
//! The body is read as `Request::json` reads it (from the tape parsed with the event, so
//! strings borrow). Only when that fails is it read a second time, with the path to the
//! failure tracked, to locate the error: the hot path pays nothing for locations.

use std::borrow::Cow;

use serde::Deserialize;
use serde_path_to_error::{Path as ErrorPath, Segment};

use super::handler::SoleArgument;
use super::invalid::{ErrorType, FieldError, Loc, Rejection};
use super::{Extract, FromRequest, Rebind};
use crate::event::tape_deserializer;
use crate::openapi::Inputs;
use crate::request::Request;
use crate::response::Json;
use crate::source::Source;

/// The body, read as JSON into `T` (which may borrow from the request).
impl<'r, T: Deserialize<'r>> FromRequest<'r> for Json<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        if req.event.source == Source::BedrockAgent {
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

impl<T> SoleArgument for Json<T> {}

fn at_body(kind: ErrorType, msg: impl Into<Cow<'static, str>>) -> FieldError {
    FieldError {
        loc: vec![Loc::Key(Cow::Borrowed("body"))],
        kind,
        msg: msg.into(),
    }
}

/// Reads the body into `T` again, tracking the path, to say where and why it fails.
#[cold]
fn locate_body_error<'r, T: Deserialize<'r>>(req: &'r Request<'r>) -> FieldError {
    if let Some(tape) = req.body_json {
        return match serde_path_to_error::deserialize::<_, T>(tape_deserializer(tape)) {
            Err(error) => located(error.path(), &error.inner().to_string()),
            // The same read failed a moment ago; a type whose reads differ is refused as is.
            Ok(_) => at_body(ErrorType::ValueError, "the body could not be read"),
        };
    }
    let bytes = match req.body {
        Err(error) => return at_body(ErrorType::JsonInvalid, error.to_string()),
        Ok(Some(bytes)) if !bytes.is_empty() => bytes,
        Ok(_) => return at_body(ErrorType::Missing, "Field required"),
    };
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Err(error) if error.inner().is_syntax() || error.inner().is_eof() => {
            at_body(ErrorType::JsonInvalid, "JSON decode error")
        }
        Err(error) => located(error.path(), &error.inner().to_string()),
        // Read, then refused for what follows the value.
        Ok(_) => at_body(ErrorType::JsonInvalid, "JSON decode error"),
    }
}

/// An error `message` (serde's wording) at `path` in the body.
fn located(path: &ErrorPath, message: &str) -> FieldError {
    let message = message
        .find(" at line ")
        .map_or(message, |end| message.get(..end).unwrap_or(message));
    let mut loc = vec![Loc::Key(Cow::Borrowed("body"))];
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => loc.push(Loc::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                loc.push(Loc::Key(Cow::Owned(key.clone())));
            }
            Segment::Unknown => {}
        }
    }
    let (kind, field) = classify(message);
    loc.extend(field.map(|field| Loc::Key(Cow::Owned(field.to_owned()))));
    FieldError {
        loc,
        kind,
        msg: powertools_message(kind, message),
    }
}

/// Pydantic's message (which Powertools sends) for the errors both name alike; serde's own
/// for the others, and for a number out of its type's range (which says the range).
fn powertools_message(kind: ErrorType, serde_message: &str) -> Cow<'static, str> {
    let fixed = match kind {
        _ if serde_message.starts_with("invalid value: ") => None,
        ErrorType::Missing => Some("Field required"),
        ErrorType::ExtraForbidden => Some("Extra inputs are not permitted"),
        ErrorType::StringType => Some("Input should be a valid string"),
        ErrorType::IntType => Some("Input should be a valid integer"),
        ErrorType::FloatType => Some("Input should be a valid number"),
        ErrorType::BoolType => Some("Input should be a valid boolean"),
        ErrorType::ListType => Some("Input should be a valid list"),
        ErrorType::ModelType => {
            Some("Input should be a valid dictionary or object to extract fields from")
        }
        _ => None,
    };
    fixed.map_or_else(|| Cow::Owned(serde_message.to_owned()), Cow::Borrowed)
}

/// The error type of a serde message, and the field it names when the field is not on
/// the path yet (a missing or unknown field is reported by the struct that holds it).
fn classify(message: &str) -> (ErrorType, Option<&str>) {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return (ErrorType::Missing, Some(rest.trim_matches('`')));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split('`').nth(1);
        return (ErrorType::ExtraForbidden, field);
    }
    if message.starts_with("unknown variant ") {
        return (ErrorType::Enum, None);
    }
    if message.starts_with("recursion limit exceeded") {
        return (ErrorType::JsonInvalid, None);
    }
    let kind = match message.rsplit_once(", expected ") {
        Some((found, expected)) if found.starts_with("invalid type: ") => expected_type(expected),
        Some((found, expected)) if found.starts_with("invalid value: integer") => {
            match expected_type(expected) {
                ErrorType::IntType => ErrorType::IntType,
                _ => ErrorType::ValueError,
            }
        }
        _ => ErrorType::ValueError,
    };
    (kind, None)
}

/// The `*_type` error for what serde says it expected.
fn expected_type(expected: &str) -> ErrorType {
    let integer = ["u8", "u16", "u32", "u64", "u128", "usize"]
        .iter()
        .chain(&["i8", "i16", "i32", "i64", "i128", "isize"])
        .any(|name| expected == *name)
        || expected.contains("integer");
    if integer {
        ErrorType::IntType
    } else if expected == "f32" || expected == "f64" || expected.contains("number") {
        ErrorType::FloatType
    } else if expected.contains("boolean") {
        ErrorType::BoolType
    } else if expected.contains("string") || expected.contains("character") {
        ErrorType::StringType
    } else if expected.contains("sequence") || expected.contains("tuple") {
        ErrorType::ListType
    } else if expected.starts_with("struct ") || expected.contains("map") {
        ErrorType::ModelType
    } else if expected.starts_with("enum ") || expected.starts_with("variant ") {
        ErrorType::Enum
    } else {
        ErrorType::ValueError
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorType, classify, powertools_message};

    #[test]
    fn serde_messages_map_to_the_vocabulary() {
        let cases = [
            ("missing field `title`", ErrorType::Missing, Some("title")),
            (
                "unknown field `x`, expected `a` or `b`",
                ErrorType::ExtraForbidden,
                Some("x"),
            ),
            (
                "unknown variant `up`, expected `asc`",
                ErrorType::Enum,
                None,
            ),
            (
                "invalid type: integer `5`, expected a string",
                ErrorType::StringType,
                None,
            ),
            (
                "invalid type: string \"a\", expected u32",
                ErrorType::IntType,
                None,
            ),
            (
                "invalid value: integer `300`, expected u8",
                ErrorType::IntType,
                None,
            ),
            (
                "invalid type: string \"a\", expected f64",
                ErrorType::FloatType,
                None,
            ),
            (
                "invalid type: null, expected a boolean",
                ErrorType::BoolType,
                None,
            ),
            (
                "invalid type: map, expected a sequence",
                ErrorType::ListType,
                None,
            ),
            (
                "invalid type: integer `1`, expected struct Todo",
                ErrorType::ModelType,
                None,
            ),
            ("recursion limit exceeded", ErrorType::JsonInvalid, None),
            ("title too long", ErrorType::ValueError, None),
        ];
        for (message, kind, field) in cases {
            assert_eq!(classify(message), (kind, field), "{message}");
        }
    }

    #[test]
    fn messages_follow_powertools_where_it_has_one() {
        let cases = [
            (
                "invalid type: integer `5`, expected a borrowed string",
                "Input should be a valid string",
            ),
            ("missing field `title`", "Field required"),
            (
                "unknown field `x`, expected `a`",
                "Extra inputs are not permitted",
            ),
            (
                "invalid type: string \"a\", expected u32",
                "Input should be a valid integer",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "invalid value: integer `300`, expected u8",
            ),
            ("title too long", "title too long"),
        ];
        for (message, expected) in cases {
            let (kind, _) = classify(message);
            assert_eq!(powertools_message(kind, message), expected, "{message}");
        }
    }
}
