//! The loop's own part of an invocation, between the Runtime API's two requests: a
//! [`Scratch`](crate::Scratch) from the pool, the app, and the answer (a proxy response, or
//! a streamed answer's prelude and complete body) handed on as `Bytes` that borrow the
//! scratch (it returns to the pool when the HTTP client drops them). Warm, this allocates
//! once: the `Bytes`' owner record (the client's body type needs `Bytes`); the context is
//! rewritten in place (`api::read_context`).

use std::sync::Arc;

use bytes::Bytes;
use lambda_runtime_api_client::body::Body;

use super::pool::ScratchPool;
use super::stream::{AfterPrelude, streamed_body};
use crate::{App, EventError, LambdaContext, StreamedBody};

/// The app and the scratches of the invocations in flight.
#[derive(Debug)]
pub(super) struct Invoker {
    app: App,
    pool: Arc<ScratchPool>,
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
    ) -> Result<Bytes, EventError> {
        let mut lease = self.pool.take();
        let response = self.app.handle(lease.scratch(), event, context).await?;
        let response = (response.as_ptr(), response.len());
        // `App::handle` answers with the scratch's output, which the lease lends.
        debug_assert_eq!(response, (lease.as_ref().as_ptr(), lease.as_ref().len()));
        Ok(Bytes::from_owner(lease))
    }

    /// Handles `event` in streaming mode; the body of the streamed post. The prelude and a
    /// complete body are lent from the scratch without a copy, like a buffered response.
    pub(super) async fn streamed(
        &self,
        event: &[u8],
        context: &LambdaContext,
    ) -> Result<Body, EventError> {
        let mut lease = self.pool.take();
        let answer = self
            .app
            .handle_streamed(lease.scratch(), event, context)
            .await?;
        let prelude = answer.prelude.len();
        let (chunks, complete) = match answer.body {
            StreamedBody::Chunks(chunks) => (Some(chunks), 0),
            StreamedBody::Complete(body) => (None, body.len()),
        };
        let output = Bytes::from_owner(lease);
        // The output is the prelude, then the complete body if there is one.
        debug_assert!(chunks.is_some() || output.len() == prelude + complete);
        let rest = match chunks {
            Some(chunks) => AfterPrelude::Chunks(chunks),
            None => AfterPrelude::Complete(output.slice(prelude..)),
        };
        Ok(streamed_body(output.slice(..prelude), rest))
    }
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
        Ok(self.invoker.buffered(event, &self.context).await?)
    }
}
