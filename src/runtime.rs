//! The Lambda runtime adapter: [`run`] and [`serve`] hand every invocation's raw event
//! bytes to [`App::handle`] through the official `lambda_runtime` client, and post the
//! response our writer produced without re-encoding it.
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

use crate::{App, EventError, LambdaContext, Scratch};

/// The environment variables `lambda_runtime` reads at start (it panics without them; we
/// check first and answer a [`RunError`]).
const REQUIRED_ENV: [&str; 3] = [
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
];

/// Why [`run`] or [`serve`] stopped (they run until the process ends otherwise).
///
/// Its `{:?}` is a sentence (what `fn main() -> Result<(), RunError>` prints); `{:#?}` shows
/// the variant and its fields.
#[non_exhaustive]
pub enum RunError {
    /// Inside Lambda (`AWS_LAMBDA_RUNTIME_API` is set) but a variable the runtime needs is
    /// missing or malformed: the variable's name and what is wrong with it.
    Environment {
        /// The variable, such as `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`.
        variable: &'static str,
        /// What is wrong: `missing`, `not a number`, `not a URI`.
        problem: &'static str,
    },
    /// The `lambda_runtime` loop failed (the Runtime API could not be reached, say).
    Runtime(lambda_runtime::Error),
    /// An I/O error: building the tokio runtime, or binding or serving the dev server.
    Io(std::io::Error),
    /// Not inside Lambda, and the `dev-server` feature is off, so there is nothing to
    /// serve.
    NotInLambda,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Environment { variable, problem } => {
                write!(f, "lambda environment variable {variable} is {problem}")
            }
            Self::Runtime(e) => write!(f, "the lambda runtime failed: {e}"),
            Self::Io(e) => write!(f, "i/o error: {e}"),
            Self::NotInLambda => f.write_str(
                "not running inside AWS Lambda (AWS_LAMBDA_RUNTIME_API is not set) and the \
                 `dev-server` feature of lambda-router is off",
            ),
        }
    }
}

impl std::fmt::Debug for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.alternate() {
            return match self {
                Self::Environment { variable, problem } => f
                    .debug_struct("Environment")
                    .field("variable", variable)
                    .field("problem", problem)
                    .finish(),
                Self::Runtime(e) => f.debug_tuple("Runtime").field(e).finish(),
                Self::Io(e) => f.debug_tuple("Io").field(e).finish(),
                Self::NotInLambda => f.write_str("NotInLambda"),
            };
        }
        // The sentence already quotes the direct source; its own causes follow.
        let deeper_causes = std::error::Error::source(self).and_then(|e| e.source());
        crate::error::write_report(f, self, deeper_causes)
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Runtime(e) => Some(e.as_ref()),
            Self::Io(e) => Some(e),
            Self::Environment { .. } | Self::NotInLambda => None,
        }
    }
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// Serves `app` until the process ends: inside AWS Lambda, the invocations of the Lambda
/// Runtime API; elsewhere, the local dev server on `127.0.0.1:3000` (`PORT` overrides; see
/// [`dev_server`](crate::dev_server)). Builds a current-thread tokio runtime and blocks on
/// [`serve`].
///
/// ```no_run
/// use lambda_router::{App, Request, Response};
///
/// fn main() -> Result<(), lambda_router::RunError> {
///     let app = App::rest()
///         .get("/hello", |_: &Request<'_>| Response::text(200, "hello"))
///         .build()
///         .expect("valid routes");
///     lambda_router::run(app)
/// }
/// ```
///
/// # Errors
/// See [`RunError`]: a missing Lambda variable, a runtime failure, an I/O error, or
/// [`RunError::NotInLambda`] outside Lambda without the `dev-server` feature.
pub fn run(app: App) -> Result<(), RunError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(app))
}

/// [`run`] for callers already inside a tokio runtime.
///
/// # Errors
/// As [`run`].
pub async fn serve(app: App) -> Result<(), RunError> {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return serve_lambda(app).await;
    }
    #[cfg(feature = "dev-server")]
    {
        crate::dev_server::serve(app).await.map_err(RunError::Io)
    }
    #[cfg(not(feature = "dev-server"))]
    {
        drop(app);
        Err(RunError::NotInLambda)
    }
}

/// Serves the Lambda Runtime API's invocations with `app`.
async fn serve_lambda(app: App) -> Result<(), RunError> {
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

/// Checks what `lambda_runtime` would otherwise panic on.
fn check_environment() -> Result<(), RunError> {
    for variable in REQUIRED_ENV {
        if std::env::var_os(variable).is_none() {
            return Err(RunError::Environment {
                variable,
                problem: "missing",
            });
        }
    }
    let memory = std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").unwrap_or_default();
    if memory.parse::<i32>().is_err() {
        return Err(RunError::Environment {
            variable: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            problem: "not a number",
        });
    }
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API").unwrap_or_default();
    if http::Uri::try_from(api).is_err() {
        return Err(RunError::Environment {
            variable: "AWS_LAMBDA_RUNTIME_API",
            problem: "not a URI",
        });
    }
    Ok(())
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
