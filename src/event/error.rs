//! The one error type of event reading: a stable code, the JSON path of the fault, a message.
//!
//! Errors are the cold path: they may allocate (the path and the message are formatted only
//! when a fault is found), valid events never reach this file.

use std::fmt;

use super::Source;

/// A malformed event: a stable code, the JSON path of the fault and a message.
///
/// The codes are a small fixed set (see the associated constants); match on [`code`](Self::code)
/// rather than on the message, which is for humans. `{:?}` prints the `Display` sentence
/// (what `fn main() -> Result<(), EventError>` shows); `{:#?}` shows the fields.
#[derive(Clone)]
pub struct EventError {
    code: &'static str,
    path: String,
    message: String,
}

impl EventError {
    /// Code: the payload is not JSON.
    pub const INVALID_JSON: &'static str = "event.invalid_json";
    /// Code: the top-level JSON value is not an object.
    pub const NOT_AN_OBJECT: &'static str = "event.not_an_object";
    /// Code: a required field (method, path) is absent or `null`.
    pub const MISSING_FIELD: &'static str = "event.missing_field";
    /// Code: a field has a JSON type the event format does not allow.
    pub const WRONG_TYPE: &'static str = "event.wrong_type";
    /// Code: the method is a string but not an HTTP method token.
    pub const INVALID_METHOD: &'static str = "event.invalid_method";
    /// Code: the event is another source's than the app's (an ALB event given to an app
    /// built with `App::rest()`, say); the message names both and the constructor to use.
    pub const WRONG_SOURCE: &'static str = "event.wrong_source";
    /// Code: the event is not an HTTP request at all (an API Gateway authorizer's input, a
    /// WebSocket event, a proxy response); the message says which.
    pub const NOT_HTTP: &'static str = "event.not_http";
    /// Code: an app for any source (`App::any()`) got an event of no source it knows.
    pub const UNKNOWN_SOURCE: &'static str = "event.unknown_source";

    /// The stable code, such as `event.missing_field`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The JSON path of the fault, such as `requestContext.http.method` (empty for the whole event).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The short, lower-case, human-readable description (without code and path).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Not JSON (or not a JSON object at the top).
    #[cold]
    pub(crate) fn invalid_json(offset: usize, detail: &str) -> Self {
        Self {
            code: Self::INVALID_JSON,
            path: String::new(),
            message: format!("{detail} at byte {offset}"),
        }
    }

    /// The top-level value is valid JSON but not an object.
    #[cold]
    pub(crate) fn not_an_object(found: &'static str) -> Self {
        Self {
            code: Self::NOT_AN_OBJECT,
            path: String::new(),
            message: format!("the event must be a json object, found {found}"),
        }
    }

    /// A required field is absent or `null`. `path` is formatted only now, on the cold path.
    #[cold]
    pub(crate) fn missing_field(path: fmt::Arguments<'_>) -> Self {
        Self {
            code: Self::MISSING_FIELD,
            path: path.to_string(),
            message: "required field is missing".to_owned(),
        }
    }

    /// A field has the wrong JSON type.
    #[cold]
    pub(crate) fn wrong_type(
        path: fmt::Arguments<'_>,
        expected: &'static str,
        found: &'static str,
    ) -> Self {
        Self {
            code: Self::WRONG_TYPE,
            path: path.to_string(),
            message: format!("expected {expected}, found {found}"),
        }
    }

    /// The method of a `source` event is not an HTTP method token (raised by the dispatcher,
    /// which parses the method).
    #[cold]
    pub(crate) fn invalid_method(source: Source) -> Self {
        Self {
            code: Self::INVALID_METHOD,
            path: source.def().method_field.to_owned(),
            message: "not an http method".to_owned(),
        }
    }

    /// An event of `seen` given to an app for `expected`.
    #[cold]
    pub(crate) fn wrong_source(seen: Source, expected: Source) -> Self {
        Self {
            code: Self::WRONG_SOURCE,
            path: String::new(),
            message: format!(
                "this is an event of {seen}, but the app reads {expected} events: build it \
                 with {}{}",
                seen.def().constructor,
                if seen.is_http() && expected.is_http() {
                    " (or App::any() to accept every source)"
                } else {
                    ""
                }
            ),
        }
    }

    /// An event of `seen`, which is not an HTTP request, given to an app for any HTTP
    /// source.
    #[cold]
    pub(crate) fn wrong_source_for_any(seen: Source) -> Self {
        Self {
            code: Self::WRONG_SOURCE,
            path: String::new(),
            message: format!(
                "this is an event of {seen}, but the app reads HTTP events: build it with {}",
                seen.def().constructor
            ),
        }
    }

    /// Not an HTTP request: `what` it looks like.
    #[cold]
    pub(crate) fn not_http(what: &str) -> Self {
        Self {
            code: Self::NOT_HTTP,
            path: String::new(),
            message: format!("this is {what}, not an HTTP request event"),
        }
    }

    /// An app for any source got an event none of them sends.
    #[cold]
    pub(crate) fn unknown_source() -> Self {
        Self {
            code: Self::UNKNOWN_SOURCE,
            path: String::new(),
            message: "no HTTP event source sends this event (looked for `httpMethod`, \
                      `rawPath`, `raw_path`, and `version` \"2.0\" with `path` and `method`)"
                .to_owned(),
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} at `{}`", self.code, self.message, self.path)
    }
}

impl fmt::Debug for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            return fmt::Display::fmt(self, f);
        }
        f.debug_struct("EventError")
            .field("code", &self.code)
            .field("path", &self.path)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for EventError {}
