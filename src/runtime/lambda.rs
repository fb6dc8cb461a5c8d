//! Serving the Lambda Runtime API on the official client (`lambda_runtime_api_client`):
//! one loop per invocation that may be in flight (`AWS_LAMBDA_MAX_CONCURRENCY` on Lambda
//! Managed Instances, else one), each polling `/next`, running [`App::handle`] on the event
//! bytes as delivered and posting the response bytes as the app wrote them: no serde step
//! either way, no copy of the response (the HTTP client borrows it from the invocation's
//! [`Scratch`](crate::Scratch), which returns to the pool once written).
//!
//! What `lambda_runtime`'s loop does, done here too: the request id, deadline, function ARN
//! and X-Ray header in the [`LambdaContext`]; `_X_AMZN_TRACE_ID` set for each invocation
//! when they run one at a time (not when concurrent: the context carries it); a malformed
//! event posted to `/invocation/{id}/error` with its stable code as `errorType`; a bad
//! environment posted to `/runtime/init/error`; a span per invocation with its request id.

use std::sync::Arc;

use lambda_runtime_api_client::BoxError;
use lambda_runtime_api_client::body::Body;
use tracing::Instrument;

use super::api::{Invocation, RuntimeApi};
use super::environment::FunctionEnvironment;
use super::invoker::Invoker;
use super::stream::STREAMED_HEADERS;
use super::{Delivery, RunError};
use crate::{App, EventError, LambdaContext};

/// What every invocation loop shares.
struct Shared {
    invoker: Invoker,
    api: RuntimeApi,
    delivery: Delivery,
}

/// Serves the Lambda Runtime API's invocations with `app` until a loop fails.
pub(super) async fn serve_lambda(app: App, delivery: Delivery) -> Result<(), RunError> {
    let environment = FunctionEnvironment::read();
    let concurrency = environment.max_concurrency();
    if let Err(error) = environment.check() {
        if environment.runtime_api_is_uri() {
            // Best effort: the process stops with the error either way.
            let _ = RuntimeApi::new(concurrency)
                .init_error("runtime.environment", &error.to_string())
                .await;
        }
        return Err(error);
    }
    let shared = Arc::new(Shared {
        invoker: Invoker::new(app, concurrency),
        api: RuntimeApi::new(concurrency),
        delivery,
    });
    let base = environment.into_context();
    if concurrency == 1 {
        return invocations(shared, base, true)
            .await
            .map_err(RunError::Runtime);
    }
    let mut loops = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        loops.spawn(invocations(Arc::clone(&shared), base.clone(), false));
    }
    // A loop stops only when the Runtime API fails it; the first to stop ends the process.
    match loops.join_next().await {
        Some(Ok(Err(error))) => Err(RunError::Runtime(error)),
        Some(Err(join)) => Err(RunError::Runtime(Box::new(join))),
        Some(Ok(Ok(()))) | None => Ok(()),
    }
}

/// One invocation loop: `/next`, handle, answer, forever (an `Err` when the Runtime API
/// fails). `context` is this loop's own, rewritten for each invocation.
async fn invocations(
    shared: Arc<Shared>,
    mut context: LambdaContext,
    set_trace_env: bool,
) -> Result<(), BoxError> {
    loop {
        let invocation = shared.api.next(&mut context).await?;
        if set_trace_env {
            set_trace_env_var(context.xray_trace_id.as_deref());
        }
        let span = tracing::info_span!(
            "Lambda runtime invoke",
            requestId = %context.request_id,
            xrayTraceId = context.xray_trace_id.as_deref().unwrap_or_default(),
        );
        answer(&shared, &context, &invocation)
            .instrument(span)
            .await?;
    }
}

/// Handles one invocation and posts its answer.
async fn answer(
    shared: &Shared,
    context: &LambdaContext,
    invocation: &Invocation,
) -> Result<(), BoxError> {
    let request_id = context.request_id.as_str();
    let (api, invoker) = (&shared.api, &shared.invoker);
    let event = &invocation.event;
    let (answered, headers): (_, &[(&str, &str)]) = match shared.delivery {
        Delivery::Buffered => (invoker.buffered(event, context).await.map(Body::from), &[]),
        Delivery::Streamed => (invoker.streamed(event, context).await, &STREAMED_HEADERS),
    };
    match answered {
        Ok(body) => api.respond(request_id, invocation, headers, body).await,
        Err(error) => fail(api, request_id, invocation, &error).await,
    }
}

/// Posts a malformed event's error: its stable code as `errorType`.
async fn fail(
    api: &RuntimeApi,
    request_id: &str,
    invocation: &Invocation,
    error: &EventError,
) -> Result<(), BoxError> {
    tracing::error!(code = error.code(), %error, "lambda-router: malformed event");
    api.fail(request_id, invocation, error.code(), &error.to_string())
        .await
}

/// `_X_AMZN_TRACE_ID` for the X-Ray SDKs, which read it from the environment (Lambda's
/// contract for runtimes that run one invocation at a time; `lambda_runtime` does the same).
#[allow(unsafe_code)]
fn set_trace_env_var(trace: Option<&str>) {
    // SAFETY: only in sequential mode, between invocations: no handler of this crate runs,
    // and the runtime's other tasks are parked on the same thread. A thread of the user's
    // own reading the environment at this instant is the one hazard, the same as under
    // `lambda_runtime` (whose edition makes `set_var` a safe call).
    unsafe {
        match trace {
            Some(trace) => std::env::set_var("_X_AMZN_TRACE_ID", trace),
            None => std::env::remove_var("_X_AMZN_TRACE_ID"),
        }
    }
}
