//! Turning what handlers return into a [`Response`].

use std::borrow::Cow;
use std::sync::Mutex;

use serde::Serialize;

use super::{Body, JsonText, Response};
use crate::error::{Error, ServiceError};
use crate::serializer::JsonSerializer;
use crate::wire::write_escaped_json;

/// A JSON body: any `serde::Serialize` value, written by the app's serializer.
///
/// Returned alone it answers 200 with `Content-Type: application/json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// What a conversion into a response may use: the app's JSON serializer and a recycled
/// output buffer (so that a warm invocation serializes without allocating).
#[derive(Clone, Copy)]
pub struct ResponseContext<'c> {
    serializer: Option<&'c dyn JsonSerializer>,
    spare: &'c Mutex<Vec<u8>>,
    failure: &'c Mutex<Option<serde_json::Error>>,
    /// The answer is an envelope that nothing reads the handler's response before (no
    /// middleware, a route that does not compress), written by the library's own
    /// serializer: see `escapes_json`.
    envelope_ready: bool,
    /// The answer is streamed: its body goes out raw, never inside an envelope.
    streamed: bool,
}

impl std::fmt::Debug for ResponseContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseContext")
            .field("custom_serializer", &self.serializer.is_some())
            .finish_non_exhaustive()
    }
}

/// The per-invocation state behind a [`ResponseContext`], kept in the scratch.
#[derive(Default, Debug)]
pub(crate) struct SerializeState {
    spare: Mutex<Vec<u8>>,
    failure: Mutex<Option<serde_json::Error>>,
}

impl SerializeState {
    pub(crate) fn context<'c>(
        &'c self,
        serializer: Option<&'c dyn JsonSerializer>,
    ) -> ResponseContext<'c> {
        ResponseContext {
            serializer,
            spare: &self.spare,
            failure: &self.failure,
            envelope_ready: false,
            streamed: false,
        }
    }

    /// Gives a body's JSON buffer back for the next invocation.
    pub(crate) fn recycle(&self, body: Body) {
        if let Body::Json(JsonText {
            text: mut buffer, ..
        }) = body
        {
            buffer.clear();
            if let Ok(mut spare) = self.spare.lock() {
                if buffer.capacity() > spare.capacity() {
                    *spare = buffer;
                }
            }
        }
    }

    /// Forgets a serialization failure a previous invocation left behind (one dropped
    /// mid-way), without locking: the caller holds the state exclusively.
    pub(crate) fn forget_failure(&mut self) {
        if let Ok(failure) = self.failure.get_mut() {
            *failure = None;
        }
    }

    /// The serialization error of this invocation, if any (taking it).
    pub(crate) fn take_failure(&self) -> Option<serde_json::Error> {
        self.failure.lock().ok().and_then(|mut f| f.take())
    }

    /// Drops the spare JSON buffer if it holds more than `limit` bytes (a large response
    /// grew it), so it is not kept for every later invocation.
    pub(crate) fn release_spare_over(&mut self, limit: usize) {
        let spare = self
            .spare
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if spare.capacity() > limit {
            *spare = Vec::new();
        }
    }
}

impl ResponseContext<'_> {
    /// This context for the handler of a route whose response goes straight into the
    /// envelope (`ready`: no middleware, and the route does not compress). What it may
    /// then write escaped: see `escapes_json`.
    pub(crate) fn envelope_ready(self, ready: bool) -> Self {
        Self {
            envelope_ready: ready && !self.streamed && self.serializer.is_none(),
            ..self
        }
    }

    /// This context for an invocation answered in streaming mode.
    pub(crate) fn streamed(self, streamed: bool) -> Self {
        Self { streamed, ..self }
    }

    /// Serializes `value` with the app's serializer into a JSON body.
    ///
    /// A value that cannot be serialized gives an empty body and makes the invocation
    /// answer 500 (logged), as an unhandled error does.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Body {
        self.serialize(value, false)
    }

    /// Whether the JSON body of a handler's final response, which asks for `compress`, is
    /// serialized straight into the envelope's escaped form (one pass instead of two). Only
    /// when the answer is an envelope, nothing reads the response before it is written, the
    /// library's own serializer writes it (all three settled by `envelope_ready`), and the
    /// body cannot be gzipped (gzip needs the plain text).
    #[inline]
    fn escapes_json(&self, compress: Option<bool>) -> bool {
        self.envelope_ready && compress != Some(true)
    }

    /// [`json`](Self::json), written in the envelope's escaped form when `escaped` (see
    /// `escapes_json`).
    fn serialize<T: Serialize + ?Sized>(&self, value: &T, escaped: bool) -> Body {
        let mut buffer = self
            .spare
            .lock()
            .map(|mut spare| std::mem::take(&mut *spare))
            .unwrap_or_default();
        buffer.clear();
        let written = match self.serializer {
            Some(serializer) => serializer.serialize(&value, &mut buffer),
            None if escaped => write_escaped_json(value, &mut buffer),
            None => serde_json::to_writer(&mut buffer, value),
        };
        match written {
            Ok(()) => Body::Json(JsonText {
                text: buffer,
                escaped,
            }),
            Err(error) => {
                if let Ok(mut failure) = self.failure.lock() {
                    *failure = Some(error);
                }
                Body::Empty
            }
        }
    }
}

/// Anything a handler can answer with.
///
/// Implemented for [`Response`], [`Json`], text (`&'static str`, `String`), bytes,
/// `(status, T)` pairs, [`ServiceError`], [`StatusCode`](http::StatusCode) and `()`.
/// A `serde::Serialize` value (a `serde_json::Value`, a struct of yours) answers as JSON
/// once wrapped in [`Json`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a response a handler can return",
    label = "`{Self}` does not implement `IntoResponse`",
    note = "to answer with JSON, wrap any `serde::Serialize` value (a `serde_json::Value`, a struct of yours) in `lambda_router::Json(..)`",
    note = "a handler can also return text (`String`, `&'static str`), bytes (`Vec<u8>`), a `Response`, a `(status, ..)` pair of those, or a `Result` of one"
)]
pub trait IntoResponse {
    /// Builds the response; JSON values go through `cx`.
    fn into_response(self, cx: &ResponseContext<'_>) -> Response;

    /// [`into_response`](Self::into_response) for the value a handler returned, called by
    /// the library only. Where nothing will read the response before it is written, this
    /// crate's JSON types serialize their body already escaped for the proxy envelope (one
    /// pass instead of two); every other type, yours included, just calls `into_response`,
    /// so a body you read back is always plain JSON.
    #[doc(hidden)]
    fn into_final_response(self, cx: &ResponseContext<'_>) -> Response
    where
        Self: Sized,
    {
        self.into_response(cx)
    }
}

impl IntoResponse for Response {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        self
    }
}

impl<T: Serialize> IntoResponse for Response<Json<T>> {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        self.map_body(|Json(value)| cx.json(&value))
    }

    fn into_final_response(self, cx: &ResponseContext<'_>) -> Response {
        let escaped = cx.escapes_json(self.compress);
        self.map_body(|Json(value)| cx.serialize(&value, escaped))
    }
}

// Serialized before the response is built, so the response is not built twice (once
// around the value, once around its text).
impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        Response::with_json_body(200, cx.json(&self.0))
    }

    fn into_final_response(self, cx: &ResponseContext<'_>) -> Response {
        let escaped = cx.escapes_json(None);
        Response::with_json_body(200, cx.serialize(&self.0, escaped))
    }
}

impl IntoResponse for &'static str {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::text(200, self)
    }
}

impl IntoResponse for String {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::text(200, self)
    }
}

impl IntoResponse for Cow<'static, str> {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::text(200, self)
    }
}

impl IntoResponse for Vec<u8> {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::binary(200, self).content_type("application/octet-stream")
    }
}

impl IntoResponse for &'static [u8] {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::binary(200, self).content_type("application/octet-stream")
    }
}

/// `()` answers like a Python handler returning `None`: 200, JSON `null`.
impl IntoResponse for () {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        Json(()).into_response(cx)
    }
}

impl IntoResponse for http::StatusCode {
    fn into_response(self, _: &ResponseContext<'_>) -> Response {
        Response::new(self.as_u16())
    }
}

impl<R: IntoResponse> IntoResponse for (u16, R) {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        let mut response = self.1.into_response(cx);
        response.status = self.0;
        response
    }

    fn into_final_response(self, cx: &ResponseContext<'_>) -> Response {
        let mut response = self.1.into_final_response(cx);
        response.status = self.0;
        response
    }
}

impl<R: IntoResponse> IntoResponse for (http::StatusCode, R) {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        (self.0.as_u16(), self.1).into_response(cx)
    }

    fn into_final_response(self, cx: &ResponseContext<'_>) -> Response {
        (self.0.as_u16(), self.1).into_final_response(cx)
    }
}

// Its doc comment is the schema's description in the OpenAPI document.
/// The body of an error answer (a `ServiceError`'s, as Powertools sends it): the status
/// and a message.
#[derive(Serialize, schemars::JsonSchema)]
#[schemars(rename = "ServiceError")]
pub(crate) struct ServiceErrorBody<'m> {
    #[serde(rename = "statusCode")]
    status_code: u16,
    message: &'m str,
}

impl IntoResponse for ServiceError {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        (&self).into_response(cx)
    }
}

impl IntoResponse for &ServiceError {
    fn into_response(self, cx: &ResponseContext<'_>) -> Response {
        let body = ServiceErrorBody {
            status_code: self.status(),
            message: self.message(),
        };
        Response::with_body(self.status(), cx.json(&body)).content_type("application/json")
    }
}

/// What a handler may return: anything [`IntoResponse`], or a `Result` of one whose error
/// converts into [`Error`] (then the app's error handlers answer).
// Shown for a `Result` an async handler returns whose `T` or `E` does not fit (other types
// fail on `IntoResponse` first).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not something a handler can return",
    label = "not a response, nor a `Result` of one",
    note = "a handler may return `Result<T, E>` when `T: IntoResponse` (wrap JSON values in `lambda_router::Json(..)`) and `E` converts into `lambda_router::Error`: any `std::error::Error + Send + Sync + 'static`, such as `ServiceError`",
    note = "a `Box<dyn std::error::Error + Send + Sync>` is not an `std::error::Error`: return `Result<T, lambda_router::Error>` and map it with `.map_err(lambda_router::Error::from_boxed)`"
)]
pub trait HandlerOutput {
    /// The response, or the error to hand to the error handlers.
    ///
    /// # Errors
    /// The handler's own error.
    fn into_outcome(self, cx: &ResponseContext<'_>) -> Result<Response, Error>;
}

impl<R: IntoResponse> HandlerOutput for R {
    fn into_outcome(self, cx: &ResponseContext<'_>) -> Result<Response, Error> {
        Ok(self.into_final_response(cx))
    }
}

impl<R: IntoResponse, E: Into<Error>> HandlerOutput for Result<R, E> {
    fn into_outcome(self, cx: &ResponseContext<'_>) -> Result<Response, Error> {
        match self {
            Ok(value) => Ok(value.into_final_response(cx)),
            Err(error) => Err(error.into()),
        }
    }
}
