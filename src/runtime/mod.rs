//! Serving an [`App`](crate::App): [`run`] and [`serve`] speak the Lambda Runtime API inside
//! Lambda or, elsewhere, start the local dev server; [`run_with`] and [`serve_with`] take
//! [`RunOptions`], such as the [`Delivery`] mode.
//!
//! One home each: `transport/` (HTTP/1.1 on one kept connection, the answer reader),
//! `api.rs` (the Runtime API's requests and what their answers mean), `invocation_loop.rs`
//! (the loop, one per invocation in flight: `AWS_LAMBDA_MAX_CONCURRENCY` on Lambda Managed
//! Instances), `stream.rs` (the streamed response mode), `environment.rs` (the function's
//! variables), `adapter.rs` (the app as a `lambda_runtime` service, feature
//! `lambda-runtime`). The Scratch pool they share with the dev server is
//! `crate::scratch_pool`.

#[cfg(feature = "lambda-runtime")]
mod adapter;
mod api;
mod environment;
mod invocation_loop;
mod stream;
pub(crate) mod transport;

#[cfg(feature = "lambda-runtime")]
pub use adapter::{LambdaService, lambda_service};
pub use api::RuntimeApiError;
#[cfg(feature = "__bench")]
pub use invocation_loop::LoopInvocations;

use crate::App;

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
    /// A request to the Runtime API failed in a way the loop cannot go on from: the Runtime
    /// API could not be reached, answered 5xx, or could not be read three times running.
    /// Which request and how.
    RuntimeApi(RuntimeApiError),
    /// An I/O error: building the tokio runtime, or binding or serving the dev server.
    Io(std::io::Error),
    /// Not inside Lambda, and no dev server to start instead: the `dev-server` feature is
    /// off, or this is a release build (`run` starts the dev server in debug builds only,
    /// so that the binary deployed to Lambda carries none of it;
    /// [`dev_server::serve`](crate::dev_server::serve) starts it from any build).
    NotInLambda,
    /// [`serve`] was called on a current-thread tokio runtime for an app where a sync
    /// middleware wraps an async handler or middleware: that middleware waits for it on
    /// its thread, which only a multi-thread runtime allows ([`run`] makes one).
    CurrentThreadRuntime,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Environment { variable, problem } => {
                write!(f, "lambda environment variable {variable} is {problem}")
            }
            Self::RuntimeApi(e) => write!(f, "the lambda runtime failed: {e}"),
            Self::Io(e) => write!(f, "i/o error: {e}"),
            Self::NotInLambda => f.write_str(if cfg!(feature = "dev-server") {
                "not running inside AWS Lambda (AWS_LAMBDA_RUNTIME_API is not set), and a \
                 release build does not start the dev server: run a debug build, or call \
                 lambda_router::dev_server::serve to serve locally from this one"
            } else {
                "not running inside AWS Lambda (AWS_LAMBDA_RUNTIME_API is not set) and the \
                 `dev-server` feature of lambda-router is off"
            }),
            Self::CurrentThreadRuntime => f.write_str(
                "a sync middleware of this app wraps an async handler or middleware, and \
                 waits for it on its thread, which a current-thread tokio runtime does not \
                 allow: serve it on a multi-thread runtime (lambda_router::run makes one), \
                 or write that middleware with lambda_router::middleware::from_fn",
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
                Self::RuntimeApi(e) => f.debug_tuple("RuntimeApi").field(e).finish(),
                Self::Io(e) => f.debug_tuple("Io").field(e).finish(),
                Self::NotInLambda => f.write_str("NotInLambda"),
                Self::CurrentThreadRuntime => f.write_str("CurrentThreadRuntime"),
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
            Self::RuntimeApi(e) => Some(e),
            Self::Io(e) => Some(e),
            Self::Environment { .. } | Self::NotInLambda | Self::CurrentThreadRuntime => None,
        }
    }
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// Serves `app` until the process ends: inside AWS Lambda, the invocations of the Lambda
/// Runtime API; elsewhere, in a debug build, the local dev server on `127.0.0.1:3000`
/// (`PORT` overrides; see [`dev_server`](crate::dev_server)). Builds a current-thread tokio
/// runtime and blocks on [`serve`].
///
/// A release build (without `debug-assertions`) is the binary deployed to Lambda: it does
/// not start the dev server, so none of its code is linked in (about a tenth of the
/// binary, and the memory its pages take). It answers [`RunError::NotInLambda`] outside
/// Lambda; [`dev_server::serve`](crate::dev_server::serve) serves locally from any build.
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
/// [`RunError::NotInLambda`] outside Lambda in a release build or without the `dev-server`
/// feature.
pub fn run(app: App) -> Result<(), RunError> {
    run_with(app, RunOptions::default())
}

/// [`run`] with `options`:
///
/// ```no_run
/// use lambda_router::{App, Delivery, Request, RunOptions};
///
/// fn main() -> Result<(), lambda_router::RunError> {
///     let app = App::function_url()
///         .get("/hello", |_: &Request<'_>| "hello")
///         .build()
///         .expect("valid routes");
///     lambda_router::run_with(app, RunOptions::default().delivery(Delivery::Streamed))
/// }
/// ```
///
/// The tokio runtime is a current-thread one, in concurrent mode too: invocations whose
/// handlers await (I/O, timers) overlap on it. An app where a sync middleware wraps an
/// async handler or middleware gets a multi-thread runtime with one worker instead, on
/// which that middleware can wait. For handlers that compute for long, build a
/// multi-thread runtime and call [`serve_with`] inside it: the invocation loops are tokio
/// tasks and spread over its threads.
///
/// # Errors
/// As [`run`].
pub fn run_with(app: App, options: RunOptions) -> Result<(), RunError> {
    let runtime = crate::middleware::runtime_for(&app)?;
    runtime.block_on(serve_with(app, options))
}

/// [`run`] for callers already inside a tokio runtime.
///
/// # Errors
/// As [`run`].
pub async fn serve(app: App) -> Result<(), RunError> {
    serve_with(app, RunOptions::default()).await
}

/// [`run_with`] for callers already inside a tokio runtime.
///
/// # Errors
/// As [`run`].
pub async fn serve_with(app: App, options: RunOptions) -> Result<(), RunError> {
    let flavor = tokio::runtime::Handle::try_current().map(|runtime| runtime.runtime_flavor());
    if app.sync_waits_for_async && flavor.ok() == Some(tokio::runtime::RuntimeFlavor::CurrentThread)
    {
        return Err(RunError::CurrentThreadRuntime);
    }
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return invocation_loop::serve_lambda(app, options.delivery).await;
    }
    // Debug builds only: a release build is the one deployed, where the dev server would
    // be dead weight (see `run`).
    #[cfg(all(feature = "dev-server", debug_assertions))]
    {
        crate::dev_server::serve(app).await.map_err(RunError::Io)
    }
    #[cfg(not(all(feature = "dev-server", debug_assertions)))]
    {
        drop(app);
        Err(RunError::NotInLambda)
    }
}

/// How [`run_with`] and [`serve_with`] serve.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RunOptions {
    delivery: Delivery,
}

impl RunOptions {
    /// How responses go back to Lambda (default [`Delivery::Buffered`]).
    #[must_use]
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }
}

/// How responses go back to Lambda. It must match how the function is invoked, which
/// Lambda does not tell the function: a Function URL's invoke mode (`BUFFERED` or
/// `RESPONSE_STREAM`), an API Gateway REST integration's response transfer mode
/// (`BUFFERED` or `STREAM`). So it is chosen in code (read a variable of your own to
/// choose at deploy time). Outside Lambda it changes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// The whole proxy response at once (Lambda's limit: 6 MB).
    #[default]
    Buffered,
    /// Lambda's streamed response mode: the status, headers and cookies first, then the
    /// body. For a function whose Function URL has the invoke mode `RESPONSE_STREAM` or
    /// whose REST integration streams. Every route answers this way (a buffered body as
    /// one chunk).
    Streamed,
}
