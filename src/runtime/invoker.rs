//! The loop's own part of an invocation, between the Runtime API's two requests: a
//! [`Scratch`](crate::Scratch) from the pool, the app, and the response handed on as
//! `Bytes` that borrow the scratch (it returns to the pool when the HTTP client drops
//! them). Warm, this allocates once: the `Bytes`' owner record (the client's body type
//! needs `Bytes`); the context is rewritten in place (`api::read_context`).

use std::sync::Arc;

use bytes::Bytes;

use super::pool::{ScratchLease, ScratchPool};
use crate::{App, EventError, LambdaContext};

/// The app and the scratches of the invocations in flight.
#[derive(Debug)]
pub(super) struct Invoker {
    pub(super) app: App,
    pub(super) pool: Arc<ScratchPool>,
}

/// Why an invocation has no response to post.
#[derive(Debug)]
pub(super) enum NoResponse {
    /// The event is malformed.
    Event(EventError),
    /// `App::handle` answered with bytes other than its scratch's output, which it never
    /// does; reported, not guessed at.
    NotTheOutput,
}

impl Invoker {
    pub(super) fn new(app: App, concurrency: usize) -> Self {
        Self {
            app,
            pool: ScratchPool::new(concurrency),
        }
    }

    /// Handles `event`; the proxy response, lent without a copy.
    pub(super) async fn buffered(
        &self,
        event: &[u8],
        context: &LambdaContext,
    ) -> Result<Bytes, NoResponse> {
        let mut lease = self.pool.take();
        let response = self
            .app
            .handle(lease.scratch(), event, context)
            .await
            .map(|response| (response.as_ptr() as usize, response.len()))
            .map_err(NoResponse::Event)?;
        lend_output(lease, response)
    }
}

/// The response `App::handle` returned (`(address, length)`), lent with the scratch that
/// holds it: `App::handle` answers with [`Scratch::output`](crate::Scratch::output), and
/// this checks it did.
fn lend_output(lease: ScratchLease, response: (usize, usize)) -> Result<Bytes, NoResponse> {
    let output = lease.as_ref();
    if output.as_ptr() as usize != response.0 || output.len() != response.1 {
        return Err(NoResponse::NotTheOutput);
    }
    Ok(Bytes::from_owner(lease))
}

/// The loop's own part of a warm invocation, for `tests/alloc.rs`: the invocation's
/// headers read into the loop's context, then `Invoker::buffered`. Hidden, unstable.
#[derive(Debug)]
pub struct LoopInvocation {
    invoker: Invoker,
    context: LambdaContext,
}

impl LoopInvocation {
    /// One loop's worth, serving `app`.
    #[must_use]
    pub fn new(app: App) -> Self {
        Self {
            invoker: Invoker::new(app, 1),
            context: LambdaContext::default(),
        }
    }

    /// Reads `headers` (as `/next` sent them) and handles `event`; the response bytes.
    ///
    /// # Errors
    /// The headers have no request id, or the event is malformed.
    pub async fn invoke(
        &mut self,
        headers: &http::HeaderMap,
        event: &[u8],
    ) -> Result<Bytes, Box<dyn std::error::Error + Send + Sync>> {
        super::api::read_context(headers, &mut self.context)?;
        match self.invoker.buffered(event, &self.context).await {
            Ok(response) => Ok(response),
            Err(NoResponse::Event(error)) => Err(error.into()),
            Err(NoResponse::NotTheOutput) => Err("the response is not the scratch's output".into()),
        }
    }
}
