//! A request's body as it reached the app, and [`BodyError`]: why it could not be read as
//! bytes or text.

use std::fmt;

/// The request body could not be read: its base64 does not decode, or its text is not
/// UTF-8.
///
/// The event itself is fine, so the request still reaches its route: only reading the
/// body ([`Request::body`](crate::Request::body), [`body_text`](crate::Request::body_text),
/// [`json`](crate::Request::json)) fails. Returned from a handler with `?`, it reaches the
/// app's error handler for `BodyError` if one is registered
/// ([`AppBuilder::on_error`](crate::AppBuilder::on_error)), else it answers
/// 400 `{"statusCode":400,"message":"Invalid request body"}`, as any malformed request
/// should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// `isBase64Encoded` is true but the body is not standard base64 with `=` padding.
    InvalidBase64,
    /// The body was read as text but is not UTF-8.
    NotUtf8,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidBase64 => {
                "the request body is marked base64-encoded but is not valid base64"
            }
            Self::NotUtf8 => "the request body is not UTF-8 text",
        })
    }
}

impl std::error::Error for BodyError {}

/// A request's body as it reached the app.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ReceivedBody<'a> {
    /// Text as the event wrote it: UTF-8 already, checked with the whole event.
    Text(&'a str),
    /// Bytes decoded from the event's base64, whatever they are.
    Decoded(&'a [u8]),
}

impl<'a> ReceivedBody<'a> {
    pub(crate) fn bytes(self) -> &'a [u8] {
        match self {
            Self::Text(text) => text.as_bytes(),
            Self::Decoded(bytes) => bytes,
        }
    }

    /// The body as text: free for text the event wrote, checked for decoded bytes.
    pub(crate) fn text(self) -> Result<&'a str, BodyError> {
        match self {
            Self::Text(text) => Ok(text),
            Self::Decoded(bytes) => std::str::from_utf8(bytes).map_err(|_| BodyError::NotUtf8),
        }
    }
}
