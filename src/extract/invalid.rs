//! The 422 answer: what was wrong with a request's typed inputs, every error at once, in
//! Powertools' shape (`{"statusCode":422,"detail":[{"loc":[..],"type":"..","msg":".."}]}`).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::error::Error;
use crate::response::{IntoResponse, Response, ResponseContext};

/// A request whose typed inputs could not be read or did not validate; answered 422 with
/// every error found (replace the answer with
/// [`AppBuilder::on_error::<ValidationError>`](crate::AppBuilder::on_error)).
///
/// ```
/// use lambda_router::extract::Json;
/// use lambda_router::{App, LambdaContext, Scratch};
///
/// #[derive(serde::Deserialize)]
/// struct NewTodo { title: String }
/// lambda_router::rebind!(NewTodo);
///
/// fn create(Json(todo): Json<NewTodo>) -> String { todo.title }
///
/// let app = App::function_url().post("/todos", create).build()?;
/// let event = br#"{"rawPath":"/todos","body":"{\"title\":5}","requestContext":{"http":{"method":"POST"}}}"#;
/// let mut scratch = Scratch::new();
/// let out = app.handle_blocking(&mut scratch, event, &LambdaContext::default())?;
/// let out: serde_json::Value = serde_json::from_slice(out)?;
/// assert_eq!(out["statusCode"], 422);
/// let body: serde_json::Value = serde_json::from_str(out["body"].as_str().unwrap_or(""))?;
/// assert_eq!(body["detail"][0]["loc"], serde_json::json!(["body", "title"]));
/// assert_eq!(body["detail"][0]["type"], "string_type");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ValidationError {
    errors: Vec<FieldError>,
}

/// One thing wrong with a request: where (`loc`), what kind (`type`), and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Where: `path`, `query`, `header` or `body`, then the field names and list indexes
    /// leading to the value.
    pub loc: Vec<Loc>,
    /// What kind of error, from the [`ErrorType`] vocabulary.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A sentence for people.
    pub msg: Cow<'static, str>,
}

/// One step of a [`FieldError`]'s location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Loc {
    /// Where the input came from, or a field name.
    Key(Cow<'static, str>),
    /// An index in a list.
    Index(usize),
}

/// What was wrong with a value: the `type` of a 422 error. The names follow Powertools
/// (pydantic's) for the cases both have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum ErrorType {
    /// `missing`: a required field, parameter, header or body is absent.
    #[serde(rename = "missing")]
    Missing,
    /// `json_invalid`: the body is not JSON (or not readable: bad base64, not UTF-8).
    #[serde(rename = "json_invalid")]
    JsonInvalid,
    /// `int_parsing`: text (path, query, header) that is not the integer asked for.
    #[serde(rename = "int_parsing")]
    IntParsing,
    /// `float_parsing`: text that is not a number.
    #[serde(rename = "float_parsing")]
    FloatParsing,
    /// `bool_parsing`: text that is not `true` or `false`.
    #[serde(rename = "bool_parsing")]
    BoolParsing,
    /// `string_type`: a JSON value of another type where a string was expected.
    #[serde(rename = "string_type")]
    StringType,
    /// `int_type`: a JSON value of another type (or out of range) where an integer was
    /// expected.
    #[serde(rename = "int_type")]
    IntType,
    /// `float_type`: a JSON value of another type where a number was expected.
    #[serde(rename = "float_type")]
    FloatType,
    /// `bool_type`: a JSON value of another type where a boolean was expected.
    #[serde(rename = "bool_type")]
    BoolType,
    /// `list_type`: a JSON value of another type where a list was expected.
    #[serde(rename = "list_type")]
    ListType,
    /// `model_type`: a JSON value of another type where an object was expected.
    #[serde(rename = "model_type")]
    ModelType,
    /// `enum`: a value that is not one of the allowed variants.
    #[serde(rename = "enum")]
    Enum,
    /// `extra_forbidden`: a field the type refuses (`#[serde(deny_unknown_fields)]`).
    #[serde(rename = "extra_forbidden")]
    ExtraForbidden,
    /// `value_error`: the value has the right type but is refused (a constraint declared
    /// on the type, a length, a custom check).
    #[serde(rename = "value_error")]
    ValueError,
}

impl ErrorType {
    /// The name sent as `type`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::JsonInvalid => "json_invalid",
            Self::IntParsing => "int_parsing",
            Self::FloatParsing => "float_parsing",
            Self::BoolParsing => "bool_parsing",
            Self::StringType => "string_type",
            Self::IntType => "int_type",
            Self::FloatType => "float_type",
            Self::BoolType => "bool_type",
            Self::ListType => "list_type",
            Self::ModelType => "model_type",
            Self::Enum => "enum",
            Self::ExtraForbidden => "extra_forbidden",
            Self::ValueError => "value_error",
        }
    }
}

impl ValidationError {
    /// The errors, in the order the inputs were read.
    #[must_use]
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// Adds an error.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }
}

impl From<FieldError> for ValidationError {
    fn from(error: FieldError) -> Self {
        Self {
            errors: vec![error],
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request is not valid:")?;
        for error in &self.errors {
            write!(f, " {} at", error.kind.as_str())?;
            for step in &error.loc {
                match step {
                    Loc::Key(key) => write!(f, " {key}")?,
                    Loc::Index(index) => write!(f, " [{index}]")?,
                }
            }
            write!(f, " ({});", error.msg)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

#[derive(Serialize)]
struct Answer<'e> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    detail: &'e [FieldError],
}

impl IntoResponse for &ValidationError {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        let answer = Answer {
            status_code: 422,
            detail: &self.errors,
        };
        Response::json(422, answer).into_response(cx)
    }
}

/// Why an input could not be extracted: the client's request (422), or anything else
/// (a missing app state, say), handed to the error handlers as it is.
#[derive(Debug)]
pub enum Rejection {
    /// The request's inputs are not what the handler asks for.
    Invalid(ValidationError),
    /// Another error.
    Failed(Error),
}

impl From<ValidationError> for Rejection {
    fn from(error: ValidationError) -> Self {
        Self::Invalid(error)
    }
}

impl From<FieldError> for Rejection {
    fn from(error: FieldError) -> Self {
        Self::Invalid(error.into())
    }
}

impl From<Error> for Rejection {
    fn from(error: Error) -> Self {
        Self::Failed(error)
    }
}

/// The rejections of one request's extractors, merged: every validation error, or the
/// first other failure.
#[derive(Debug, Default)]
pub(crate) struct Rejections {
    invalid: ValidationError,
    failed: Option<Error>,
}

impl Rejections {
    /// The extracted value, or `None` with its rejection kept.
    pub(crate) fn keep<T>(&mut self, extracted: Result<T, Rejection>) -> Option<T> {
        match extracted {
            Ok(value) => Some(value),
            Err(rejection) => {
                self.add(rejection);
                None
            }
        }
    }

    #[cold]
    fn add(&mut self, rejection: Rejection) {
        match rejection {
            Rejection::Invalid(invalid) => self.invalid.errors.extend(invalid.errors),
            Rejection::Failed(error) => {
                self.failed.get_or_insert(error);
            }
        }
    }

    #[cold]
    pub(crate) fn into_error(self) -> Error {
        match self.failed {
            Some(error) => error,
            None => Error::new(self.invalid),
        }
    }
}
