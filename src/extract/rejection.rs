//! The 422 answer: what was wrong with a request's typed inputs, every error at once, in
//! Powertools' shape (`{"statusCode":422,"detail":[{"loc":[..],"type":"..","msg":".."}]}`).

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

use super::Location;

use crate::error::Error;
use crate::response::{IntoResponse, Response, ResponseContext};

/// A request whose typed inputs could not be read or did not validate; answered 422 with
/// the errors found, every argument's (replace the answer with
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
///
/// # Bounded
///
/// Pydantic lists every error of a model, and Powertools sends them all: an answer grows
/// with the request (a list of 370,000 invalid items would be 370,000 errors). Here an
/// answer is bounded by constants, never by the request:
///
/// - at most [`MAX_ERRORS`](Self::MAX_ERRORS) errors are kept, the first ones in the order
///   the inputs were read; the others are only counted, sent as `"omitted": <count>` after
///   `detail` (absent when nothing was left out, so small answers are Powertools' own);
/// - a name taken from the request (an unknown key, a map key) is cut to its first
///   [`MAX_ECHO`](Self::MAX_ECHO) bytes, a message to [`MAX_MESSAGE`](Self::MAX_MESSAGE)
///   bytes (each ending with `…` when cut); the input's values themselves are never
///   echoed by the library's own messages (pydantic's wording: `Input should be a valid
///   integer`, `Input should be 'asc' or 'desc'`);
/// - a `loc` is as deep as the value's nesting, which the JSON reader bounds.
///
/// The errors beyond the cap are not built: [`Valid`](crate::extract::Valid) converts
/// only the first ones of garde's report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ValidationError {
    errors: Vec<FieldError>,
    omitted: usize,
}

/// One thing wrong with a request: where (`loc`), what kind (`type`), and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "ValidationError")]
pub struct FieldError {
    /// Where: `path`, `query`, `header` or `body`, then the field names and list indexes
    /// leading to the value.
    pub loc: Vec<Loc>,
    /// What kind of error.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A sentence for people.
    pub msg: Cow<'static, str>,
}

impl FieldError {
    /// An error at the root of the input read at `location`.
    #[must_use]
    pub fn at(location: Location, kind: ErrorType, msg: impl Into<Cow<'static, str>>) -> Self {
        Self {
            loc: vec![Loc::Key(Cow::Borrowed(location.as_str()))],
            kind,
            msg: msg.into(),
        }
    }
}

/// One step of an error's location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Loc {
    /// Where the input came from, or a field name.
    Key(Cow<'static, str>),
    /// An index in a list.
    Index(usize),
}

/// Declares [`ErrorType`], each name written once (sent as `type`, returned by `as_str`).
macro_rules! error_types {
    ($(#[doc = $doc:literal] $variant:ident = $name:literal,)*) => {
        /// What was wrong with a value: the `type` of a 422 error. The names follow
        /// Powertools (pydantic's) for the cases both have.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
        #[non_exhaustive]
        pub enum ErrorType {
            $(
                #[doc = concat!("`", $name, "`: ", $doc)]
                #[serde(rename = $name)]
                $variant,
            )*
        }

        impl ErrorType {
            /// The name sent as `type`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

error_types! {
    /// a required field, parameter, header or body is absent.
    Missing = "missing",
    /// the body is not JSON (or not readable: bad base64, not UTF-8).
    JsonInvalid = "json_invalid",
    /// text (path, query, header) that is not the integer asked for.
    IntParsing = "int_parsing",
    /// text that is not a number.
    FloatParsing = "float_parsing",
    /// text that is not `true` or `false`.
    BoolParsing = "bool_parsing",
    /// a JSON value of another type where a string was expected.
    StringType = "string_type",
    /// a JSON value of another type where an integer was expected.
    IntType = "int_type",
    /// a JSON value of another type where a number was expected.
    FloatType = "float_type",
    /// a JSON value of another type where a boolean was expected.
    BoolType = "bool_type",
    /// a JSON value of another type where a list was expected.
    ListType = "list_type",
    /// a JSON value of another type where an object was expected.
    ModelType = "model_type",
    /// a value that is not one of the allowed variants.
    Enum = "enum",
    /// a number below the least its type (or a declared bound) allows.
    GreaterThanEqual = "greater_than_equal",
    /// a number above the most its type (or a declared bound) allows.
    LessThanEqual = "less_than_equal",
    /// a field the type refuses (`#[serde(deny_unknown_fields)]`).
    ExtraForbidden = "extra_forbidden",
    /// the value has the right type but is refused (a declared constraint, a custom check).
    ValueError = "value_error",
}

impl ValidationError {
    /// The most errors an answer lists; the others are counted in
    /// [`omitted`](Self::omitted).
    pub const MAX_ERRORS: usize = 64;

    /// The most bytes of a name taken from the request (an unknown key, a map key) that a
    /// `loc` keeps.
    pub const MAX_ECHO: usize = 64;

    /// The most bytes of a message.
    pub const MAX_MESSAGE: usize = 256;

    /// The errors, in the order the inputs were read (at most
    /// [`MAX_ERRORS`](Self::MAX_ERRORS)).
    #[must_use]
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// How many errors were found beyond the ones kept.
    #[must_use]
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Whether the next error would only be counted, not kept.
    #[must_use]
    pub fn is_full(&self) -> bool {
        self.errors.len() >= Self::MAX_ERRORS
    }

    /// Adds an error, its names and message cut to the bounds; beyond
    /// [`MAX_ERRORS`](Self::MAX_ERRORS), only counts it.
    pub fn push(&mut self, mut error: FieldError) {
        if self.is_full() {
            self.omitted = self.omitted.saturating_add(1);
            return;
        }
        for step in &mut error.loc {
            if let Loc::Key(key) = step {
                shorten(key, Self::MAX_ECHO);
            }
        }
        shorten(&mut error.msg, Self::MAX_MESSAGE);
        self.errors.push(error);
    }

    /// Counts `count` errors found and not kept.
    pub fn count_omitted(&mut self, count: usize) {
        self.omitted = self.omitted.saturating_add(count);
    }

    /// Orders the errors by the declared position of the field each one is about (the
    /// step after the input's location), as pydantic lists a model's errors; errors about
    /// no declared field come after. Stable: one field's errors keep their order.
    pub(crate) fn sort_by_fields(&mut self, fields: &[&str]) {
        if fields.is_empty() {
            return;
        }
        self.errors.sort_by_key(|error| match error.loc.get(1) {
            Some(Loc::Key(key)) => fields
                .iter()
                .position(|field| *field == key)
                .unwrap_or(fields.len()),
            _ => fields.len(),
        });
    }

    pub(crate) fn append(&mut self, other: Self) {
        let mut errors = other.errors.into_iter();
        while !self.is_full() {
            match errors.next() {
                Some(error) => self.push(error),
                None => break,
            }
        }
        self.count_omitted(errors.len().saturating_add(other.omitted));
    }
}

/// Cuts `text` to at most `max` bytes (on a character boundary), marked with `…`.
#[cold]
fn shorten(text: &mut Cow<'static, str>, max: usize) {
    const MARK: &str = "…";
    if text.len() <= max {
        return;
    }
    let mut end = max.saturating_sub(MARK.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut kept = String::with_capacity(end + MARK.len());
    kept.push_str(text.get(..end).unwrap_or_default());
    kept.push_str(MARK);
    *text = Cow::Owned(kept);
}

impl From<FieldError> for ValidationError {
    fn from(error: FieldError) -> Self {
        let mut errors = Self::default();
        errors.push(error);
        errors
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
        if self.omitted > 0 {
            write!(f, " and {} more", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The body of a 422 (Powertools' `HTTPValidationError`, with `omitted` when errors were
/// left out).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "HTTPValidationError")]
pub(crate) struct ValidationAnswer<'e> {
    #[serde(rename = "statusCode")]
    #[schemars(extend("const" = 422))]
    status_code: u16,
    /// The first errors, in the order the inputs were read.
    detail: &'e [FieldError],
    /// How many more errors were found and not listed (absent when none was left out).
    #[serde(skip_serializing_if = "is_zero", default)]
    omitted: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl IntoResponse for &ValidationError {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        let answer = ValidationAnswer {
            status_code: 422,
            detail: &self.errors,
            omitted: self.omitted,
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
            Rejection::Invalid(invalid) => self.invalid.append(invalid),
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
