//! Serving the Lambda Runtime API: every invocation's raw event bytes go to
//! [`App::handle`](crate::App::handle) through the official `lambda_runtime` client, and the response our
//! writer produced is posted without re-encoding it.
//!
//! How the bytes travel (see `lambda_runtime`'s `Runtime` and `LambdaInvocation`):
//!
//! 1. `lambda_runtime` polls `/invocation/next` and builds a `LambdaInvocation` (the raw
//!    body as `Bytes`, the headers, the `Context`).
//! 2. [`RawEventLayer`], the outermost service, takes the body and leaves `null` in its
//!    place, so `lambda_runtime`'s serde step deserializes a 4-byte `null` into
//!    `IgnoredAny` instead of scanning the event: the event is parsed once, by our parser.
//! 3. The handler takes the bytes back from the slot, runs [`App::handle`] with the one
//!    [`Scratch`] kept for the life of the process, and returns the response as a
//!    `Box<RawValue>`, which serde_json writes verbatim (one copy, no re-encoding).
//! 4. A malformed event becomes a Lambda error whose `errorType` is the stable
//!    [`EventError::code`] and whose `errorMessage` is its `Display`.

use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, LambdaEvent, LambdaInvocation, Runtime, service_fn};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use super::{RunError, check_environment};
use crate::{App, EventError, LambdaContext, Scratch};

/// Serves the Lambda Runtime API's invocations with `app`.
pub(super) async fn serve_lambda(app: App) -> Result<(), RunError> {
    check_environment()?;
    let slot = EventSlot::default();
    let invoker = Arc::new(Invoker {
        app,
        scratch: Mutex::new(Some(Scratch::new())),
        slot: slot.clone(),
    });
    let handler = service_fn(move |event: LambdaEvent<IgnoredAny>| {
        let invoker = Arc::clone(&invoker);
        async move { invoker.invoke(&event.context).await }
    });
    Runtime::new(handler)
        .layer(RawEventLayer { slot })
        .layer(lambda_runtime::layers::TracingLayer::new())
        .run()
        .await
        .map_err(RunError::Runtime)
}

/// Hands the raw event body from [`RawEventLayer`] to the handler. Invocations are
/// sequential (`Runtime::run` polls one at a time), so one slot suffices.
#[derive(Clone, Default)]
struct EventSlot(Arc<Mutex<Option<Bytes>>>);

impl EventSlot {
    fn put(&self, body: Bytes) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(body);
    }

    fn take(&self) -> Option<Bytes> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The outermost service: moves the raw body into the [`EventSlot`] and leaves `null` for
/// `lambda_runtime`'s deserializer.
struct RawEventLayer {
    slot: EventSlot,
}

impl<S> Layer<S> for RawEventLayer {
    type Service = RawEventService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RawEventService {
            inner,
            slot: self.slot.clone(),
        }
    }
}

struct RawEventService<S> {
    inner: S,
    slot: EventSlot,
}

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for RawEventService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> Self::Future {
        let body = std::mem::replace(&mut invocation.body, Bytes::from_static(b"null"));
        self.slot.put(body);
        self.inner.call(invocation)
    }
}

/// The app, its one [`Scratch`] and the slot the event arrives through.
struct Invoker {
    app: App,
    /// Taken for the length of an invocation (so no lock is held across an await), put
    /// back after.
    scratch: Mutex<Option<Scratch>>,
    slot: EventSlot,
}

impl Invoker {
    async fn invoke(&self, context: &lambda_runtime::Context) -> Result<Box<RawValue>, Diagnostic> {
        let event = self.slot.take().unwrap_or_default();
        let lambda = LambdaContext::from(context);
        let mut scratch = self
            .scratch
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        let answered = match self.app.handle(&mut scratch, &event, &lambda).await {
            Ok(response) => raw_response(response),
            Err(error) => Err(diagnostic(&error)),
        };
        *self.scratch.lock().unwrap_or_else(PoisonError::into_inner) = Some(scratch);
        answered
    }
}

/// The proxy response as a `RawValue`, which `lambda_runtime` writes verbatim.
fn raw_response(response: &[u8]) -> Result<Box<RawValue>, Diagnostic> {
    let text = std::str::from_utf8(response).map_err(|e| Diagnostic {
        error_type: "response.not_utf8".to_owned(),
        error_message: e.to_string(),
    })?;
    RawValue::from_string(text.to_owned()).map_err(|e| Diagnostic {
        error_type: "response.invalid_json".to_owned(),
        error_message: e.to_string(),
    })
}

/// A malformed event as the Lambda error the invoker sees.
fn diagnostic(error: &EventError) -> Diagnostic {
    tracing::error!(code = error.code(), error = %error, "lambda-router: malformed event");
    Diagnostic {
        error_type: error.code().to_owned(),
        error_message: error.to_string(),
    }
}
