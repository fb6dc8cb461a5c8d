//! Panics and futures: handler panics turned into errors, and the tiny executor behind
//! `handle_blocking`.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use crate::error::{Error, Panicked};
use crate::handler::Outcome;

pub(super) fn panicked(payload: &(dyn Any + Send)) -> Error {
    Error::new(Panicked::from_payload(payload))
}

/// Runs `f`, turning a panic into an error (the panic hook has already logged it).
pub(super) fn catch_panic(f: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(&*payload)))
}

/// Awaits a future that was started under `catch_unwind`, turning a panic (while starting
/// or polling) into an error. The future is started by the caller, synchronously, so that
/// nothing it borrowed to start (the arena) is held across the await.
pub(super) async fn await_caught<F>(started: std::thread::Result<F>) -> Outcome
where
    F: Future<Output = Outcome> + Unpin,
{
    match started {
        Ok(future) => CatchUnwind(future)
            .await
            .unwrap_or_else(|p| Err(panicked(&*p))),
        Err(payload) => Err(panicked(&*payload)),
    }
}

/// A future whose panics become `Err` (as `catch_unwind` for one poll at a time).
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// Polls `future` to completion on this thread.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}
