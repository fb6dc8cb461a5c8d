//! The deadline guard: an async handler still running a margin before the invocation's
//! deadline is answered 504 and logged, rather than killed by Lambda with no log line and
//! a bare 502 for the client.
//!
//! The timer is tokio's, found through the current runtime: `handle` itself stays
//! runtime-agnostic, and where there is no tokio runtime with time enabled (under
//! `handle_blocking`, another executor) the guard has no timer and never fires.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::handler::Outcome;
use crate::request::LambdaContext;
use crate::response::{Body, Response};

/// What the guard of one invocation needs: the margin, and the route to name in the log.
pub(super) struct DeadlineGuard<'a> {
    pub(super) margin: Duration,
    pub(super) route: &'a str,
    pub(super) method: &'a str,
    pub(super) path: &'a str,
}

/// The handler's outcome, or a 504 when it is still running `margin` before the deadline.
/// The handler is polled before the timer, so one that finishes in the same wake-up wins.
pub(super) async fn within_deadline(
    handler: impl Future<Output = Outcome>,
    guard: Option<DeadlineGuard<'_>>,
    lambda: &LambdaContext,
) -> Outcome {
    let Some((guard, timer)) = guard.and_then(|guard| {
        let timer = timer(lambda, guard.margin)?;
        Some((guard, timer))
    }) else {
        return handler.await;
    };
    let mut handler = pin!(handler);
    let mut timer = pin!(timer);
    let finished = poll_fn(|cx| {
        if let Poll::Ready(outcome) = handler.as_mut().poll(cx) {
            return Poll::Ready(Some(outcome));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await;
    if let Some(outcome) = finished {
        return outcome;
    }
    tracing::error!(
        route = %guard.route,
        method = %guard.method.escape_debug(),
        path = %guard.path.escape_debug(),
        margin_ms = u64::try_from(guard.margin.as_millis()).unwrap_or(u64::MAX),
        "lambda-router: handler still running at the deadline guard, answering 504"
    );
    Ok(gateway_timeout())
}

/// The 504 of a handler cut at the deadline guard.
fn gateway_timeout() -> Response {
    Response::with_body(
        504,
        Body::Text(r#"{"statusCode":504,"message":"Gateway Timeout"}"#.into()),
    )
    .content_type("application/json")
}

/// A timer firing `margin` before the deadline; `None` when no deadline is known
/// (`deadline_ms` 0) or there is no tokio runtime with time enabled to run a timer.
#[cfg(any(feature = "runtime", feature = "dev-server"))]
fn timer(lambda: &LambdaContext, margin: Duration) -> Option<impl Future<Output = ()>> {
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
fn timer(_: &LambdaContext, _: Duration) -> Option<std::future::Pending<()>> {
    None
}
