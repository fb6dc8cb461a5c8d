//! The deadline guard: an answer still being produced a margin before the invocation's
//! deadline is cut and logged, rather than killed by Lambda with no log line and a bare 502
//! for the client. In buffered mode the guard covers the whole answer, the handler and then
//! a streamed body collected into the envelope (504); in streamed mode the status is sent
//! already, so a body still running at the guard ends with an error (the transport's error
//! trailers).
//!
//! The timer is tokio's, found through the current runtime: `handle` itself stays
//! runtime-agnostic, and where there is no tokio runtime with time enabled (under
//! `handle_blocking`, another executor) the guard has no timer and never fires. Every timer
//! of one invocation is set from the deadline, not from when it starts, so the handler's and
//! the body's fire at the same time.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

use crate::handler::Outcome;
use crate::request::LambdaContext;
use crate::response::{Body, BoxError, ChunkStream, Response};

/// What the guard of one invocation needs: the margin, and the route to name in the log.
#[derive(Clone, Copy)]
pub(super) struct DeadlineGuard<'a> {
    pub(super) margin: Duration,
    pub(super) route: &'a str,
    pub(super) method: &'a str,
    pub(super) path: &'a str,
}

impl DeadlineGuard<'_> {
    fn margin_ms(&self) -> u64 {
        u64::try_from(self.margin.as_millis()).unwrap_or(u64::MAX)
    }
}

/// `work`'s output, or `None` when it is still running `margin` before the deadline (then
/// `work` is dropped). `work` is polled before the timer, so work that finishes in the same
/// wake-up wins.
async fn race<T>(
    work: impl Future<Output = T>,
    guard: Option<DeadlineGuard<'_>>,
    lambda: &LambdaContext,
) -> Option<T> {
    let Some(timer) = guard.and_then(|guard| timer(lambda, guard.margin)) else {
        return Some(work.await);
    };
    let mut work = pin!(work);
    let mut timer = pin!(timer);
    poll_fn(|cx| {
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

/// The handler's outcome, or a 504 when it is still running `margin` before the deadline.
pub(super) async fn within_deadline(
    handler: impl Future<Output = Outcome>,
    guard: Option<DeadlineGuard<'_>>,
    lambda: &LambdaContext,
) -> Outcome {
    if let Some(outcome) = race(handler, guard, lambda).await {
        return outcome;
    }
    if let Some(guard) = guard {
        tracing::error!(
            route = %guard.route,
            method = %guard.method.escape_debug(),
            path = %guard.path.escape_debug(),
            margin_ms = guard.margin_ms(),
            "lambda-router: handler still running at the deadline guard, answering 504"
        );
    }
    Ok(gateway_timeout())
}

/// A streamed body collected for a buffered answer (`collect`), or `None` when it is still
/// being produced `margin` before the deadline: logged; the caller answers 504.
pub(super) async fn collected_within_deadline<T>(
    collect: impl Future<Output = T>,
    guard: Option<DeadlineGuard<'_>>,
    lambda: &LambdaContext,
) -> Option<T> {
    let collected = race(collect, guard, lambda).await;
    if collected.is_none()
        && let Some(guard) = guard
    {
        tracing::error!(
            route = %guard.route,
            method = %guard.method.escape_debug(),
            path = %guard.path.escape_debug(),
            margin_ms = guard.margin_ms(),
            "lambda-router: streamed body still being produced at the deadline guard, \
             answering 504"
        );
    }
    collected
}

/// The 504 of an answer cut at the deadline guard.
pub(super) fn gateway_timeout() -> Response {
    Response::with_body(
        504,
        Body::Text(r#"{"statusCode":504,"message":"Gateway Timeout"}"#.into()),
    )
    .content_type("application/json")
}

/// `chunks`, ended by a [`CutAtDeadline`] error (logged) when the body is still being
/// produced `margin` before the deadline: a streamed answer's body, which the transport
/// drives after `handle_streamed` has returned.
pub(super) fn chunks_within_deadline(
    chunks: ChunkStream,
    guard: Option<DeadlineGuard<'_>>,
    lambda: &LambdaContext,
) -> ChunkStream {
    let Some((guard, timer)) = guard.and_then(|guard| Some((guard, timer(lambda, guard.margin)?)))
    else {
        return chunks;
    };
    Box::pin(GuardedChunks {
        chunks: Some(chunks),
        timer: Box::pin(timer),
        // Owned: the body outlives the event it answers.
        log: CutLog {
            route: guard.route.into(),
            method: guard.method.escape_debug().to_string().into(),
            path: guard.path.escape_debug().to_string().into(),
            margin_ms: guard.margin_ms(),
        },
    })
}

/// The error that ends a streamed body cut at the deadline guard.
#[derive(Debug)]
pub(crate) struct CutAtDeadline;

impl std::fmt::Display for CutAtDeadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the streamed body was still being produced at the deadline guard")
    }
}

impl std::error::Error for CutAtDeadline {}

struct CutLog {
    route: Box<str>,
    method: Box<str>,
    path: Box<str>,
    margin_ms: u64,
}

struct GuardedChunks {
    /// `None` once cut.
    chunks: Option<ChunkStream>,
    timer: Pin<Box<Timer>>,
    log: CutLog,
}

impl Stream for GuardedChunks {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(chunks) = this.chunks.as_mut() else {
            return Poll::Ready(None);
        };
        if let Poll::Ready(next) = chunks.as_mut().poll_next(cx) {
            return Poll::Ready(next);
        }
        if this.timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        // Dropped now: the producer stops with the body.
        this.chunks = None;
        tracing::error!(
            route = %this.log.route,
            method = %this.log.method,
            path = %this.log.path,
            margin_ms = this.log.margin_ms,
            "lambda-router: streamed body still being produced at the deadline guard; \
             the response ends early"
        );
        Poll::Ready(Some(Err(Box::new(CutAtDeadline))))
    }
}

#[cfg(any(feature = "runtime", feature = "dev-server"))]
type Timer = tokio::time::Sleep;

#[cfg(not(any(feature = "runtime", feature = "dev-server")))]
type Timer = std::future::Pending<()>;

/// A timer firing `margin` before the deadline; `None` when no deadline is known
/// (`deadline_ms` 0) or there is no tokio runtime with time enabled to run a timer.
#[cfg(any(feature = "runtime", feature = "dev-server"))]
fn timer(lambda: &LambdaContext, margin: Duration) -> Option<Timer> {
    if lambda.deadline_ms == 0 {
        return None;
    }
    // `tokio::time::sleep` panics outside a runtime: checked first, so `handle_blocking`
    // costs nothing. A runtime built without `enable_time` panics too; that is caught, once
    // per invocation, and told.
    tokio::runtime::Handle::try_current().ok()?;
    let fire_in = Duration::from_millis(lambda.remaining_time_ms()).saturating_sub(margin);
    let sleep = std::panic::catch_unwind(|| tokio::time::sleep(fire_in));
    if sleep.is_err() {
        tracing::warn!(
            "lambda-router: the deadline guard needs a tokio runtime with time enabled; \
             not guarding this invocation"
        );
    }
    sleep.ok()
}

#[cfg(not(any(feature = "runtime", feature = "dev-server")))]
fn timer(_: &LambdaContext, _: Duration) -> Option<Timer> {
    None
}
