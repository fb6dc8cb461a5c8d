//! The invocation loop: one per invocation that may be in flight
//! (`AWS_LAMBDA_MAX_CONCURRENCY` on Lambda Managed Instances, else one), each with its own
//! connection, [`Scratch`] and [`LambdaContext`], polling `/next`, running the app on the
//! event bytes as delivered (read in place from the connection's buffer) and posting the
//! response bytes as the app wrote them in the scratch: no serde step either way, no copy,
//! and warm, no allocation.
//!
//! What `lambda_runtime`'s loop does, done here too: the request id, deadline, function ARN
//! and X-Ray header in the [`LambdaContext`]; `_X_AMZN_TRACE_ID` set for each invocation
//! when they run one at a time (not when concurrent: the context carries it); a malformed
//! event posted to `/invocation/{id}/error` with its stable code as `errorType`; a bad
//! environment posted to `/runtime/init/error`; a span per invocation with its request id.

use std::sync::Arc;

use tracing::Instrument;

use super::api::{RuntimeApi, RuntimeApiError, diagnostic};
use super::environment::FunctionEnvironment;
use super::stream::post_streamed;
use super::transport::request::Post;
use super::{Delivery, RunError};
use crate::scratch_pool::{ScratchLease, ScratchPool};
use crate::{App, EventError, LambdaContext};

/// What every invocation loop shares.
#[derive(Debug)]
struct Shared {
    app: App,
    delivery: Delivery,
    /// One invocation at a time: the X-Ray variable is the process's to set.
    set_trace_env: bool,
}

/// Serves the Lambda Runtime API's invocations with `app` until a loop fails.
pub(super) async fn serve_lambda(app: App, delivery: Delivery) -> Result<(), RunError> {
    let environment = FunctionEnvironment::read();
    let concurrency = environment.max_concurrency();
    let address = environment.runtime_api_address();
    if let Err(error) = environment.check() {
        if let Some(address) = &address {
            // Best effort: the process stops with the error either way.
            let mut api = RuntimeApi::new(address.connection());
            let mut body = Vec::new();
            diagnostic(&mut body, "runtime.environment", &error.to_string());
            let _ = api.post(Post::InitError, "", &body).await;
        }
        return Err(error);
    }
    let Some(address) = address else {
        return Err(RunError::Environment {
            variable: "AWS_LAMBDA_RUNTIME_API",
            problem: "not a host and port",
        });
    };
    let base = environment.into_context();
    let shared = Arc::new(Shared {
        app,
        delivery,
        set_trace_env: concurrency == 1,
    });
    let scratches = ScratchPool::new(concurrency);
    let worker = |shared: &Arc<Shared>| Worker {
        shared: Arc::clone(shared),
        api: RuntimeApi::new(address.connection()),
        context: base.clone(),
        scratch: scratches.take(),
        error_body: Vec::new(),
    };
    if concurrency == 1 {
        return worker(&shared).run().await.map_err(RunError::RuntimeApi);
    }
    let mut loops = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        loops.spawn(worker(&shared).run());
    }
    // A loop stops only when the Runtime API fails it; the first to stop ends the process.
    match loops.join_next().await {
        Some(Ok(Err(error))) => Err(RunError::RuntimeApi(error)),
        Some(Err(join)) => Err(RunError::Io(std::io::Error::other(join))),
        Some(Ok(Ok(()))) | None => Ok(()),
    }
}

/// One invocation loop and what it reuses from one invocation to the next.
#[derive(Debug)]
pub(super) struct Worker {
    shared: Arc<Shared>,
    api: RuntimeApi,
    /// Rewritten for each invocation (its strings keep their capacity).
    context: LambdaContext,
    /// The loop's own for its life (one loop, one invocation at a time).
    scratch: ScratchLease,
    /// A malformed event's error document.
    error_body: Vec<u8>,
}

impl Worker {
    /// `/next`, handle, answer, until the Runtime API fails.
    async fn run(mut self) -> Result<(), RuntimeApiError> {
        loop {
            self.invoke().await?;
        }
    }

    /// One invocation: waits for it, handles it, posts its answer.
    pub(super) async fn invoke(&mut self) -> Result<(), RuntimeApiError> {
        let event = self.api.next(&mut self.context).await?;
        if self.shared.set_trace_env {
            set_trace_env_var(self.context.xray_trace_id.as_deref());
        }
        let span = tracing::info_span!(
            "Lambda runtime invoke",
            requestId = %self.context.request_id,
            xrayTraceId = self.context.xray_trace_id.as_deref().unwrap_or_default(),
        );
        let (app, context) = (&self.shared.app, &self.context);
        let request_id = context.request_id.as_str();
        match self.shared.delivery {
            Delivery::Buffered => {
                let answered = app
                    .handle(&mut self.scratch, event, context)
                    .instrument(span)
                    .await;
                match answered {
                    Ok(response) => self.api.post(Post::Response, request_id, response).await,
                    Err(error) => {
                        fail(&mut self.api, &mut self.error_body, request_id, &error).await
                    }
                }
            }
            Delivery::Streamed => {
                let answered = app
                    .handle_streamed(&mut self.scratch, event, context)
                    .instrument(span.clone())
                    .await;
                match answered {
                    Ok(answer) => {
                        post_streamed(&mut self.api, request_id, answer)
                            .instrument(span)
                            .await
                    }
                    Err(error) => {
                        fail(&mut self.api, &mut self.error_body, request_id, &error).await
                    }
                }
            }
        }
    }
}

/// Posts a malformed event's error: its stable code as `errorType`.
async fn fail(
    api: &mut RuntimeApi,
    body: &mut Vec<u8>,
    request_id: &str,
    error: &EventError,
) -> Result<(), RuntimeApiError> {
    tracing::error!(code = error.code(), %error, "lambda-router: malformed event");
    diagnostic(body, error.code(), &error.to_string());
    api.post(Post::Error, request_id, body).await
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

/// The invocation loop run one invocation at a time against the Runtime API at an address,
/// for `tests/alloc.rs` (which counts what a warm invocation allocates, loop and transport
/// included), through `bench_support`.
#[cfg(feature = "__bench")]
#[derive(Debug)]
pub struct LoopInvocations {
    worker: Worker,
}

#[cfg(feature = "__bench")]
impl LoopInvocations {
    /// A loop serving `app` with `delivery`, speaking to the Runtime API at `address`.
    #[must_use]
    pub fn new(app: App, delivery: Delivery, address: std::net::SocketAddr) -> Self {
        let shared = Arc::new(Shared {
            app,
            delivery,
            set_trace_env: false,
        });
        Self {
            worker: Worker {
                shared,
                api: RuntimeApi::new(super::transport::Connection::new(
                    address,
                    &address.to_string(),
                    "",
                )),
                context: LambdaContext::default(),
                scratch: ScratchPool::new(1).take(),
                error_body: Vec::new(),
            },
        }
    }

    /// One invocation: `/next`, the app, the answer posted.
    ///
    /// # Errors
    /// As the loop stops: the Runtime API failed.
    pub async fn invoke(&mut self) -> Result<(), RuntimeApiError> {
        self.worker.invoke().await
    }
}
