//! How a sync middleware waits for the async part of its chain (an async handler or
//! middleware inside it): the invocation's thread blocks until the future is done.
//!
//! On a multi-thread tokio runtime, `block_in_place` hands the thread's other tasks to
//! another worker first, and the runtime's timers and I/O go on, so the handler can sleep
//! and await sockets. A current-thread runtime has no other thread to keep them going:
//! blocking it would stop the very timers the handler waits for, so the route answers 500
//! and says why. Without a runtime (`App::handle_blocking`), the future is polled here.

use std::future::Future;

use crate::error::Error;
use crate::handler::Outcome;

/// Waits for `future` on this thread (see the module's doc).
pub(super) fn wait(future: impl Future<Output = Outcome>) -> Outcome {
    #[cfg(any(feature = "runtime", feature = "dev-server"))]
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        if runtime.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return Err(Error::new(WaitNeedsThreads));
        }
        return tokio::task::block_in_place(|| runtime.block_on(future));
    }
    crate::dispatch::block_on(future)
}

/// The runtime an app is run on (by `run` and the testing helpers): current-thread, or a
/// multi-thread one with one worker for an app where a sync middleware waits for an async
/// part of its chain.
#[cfg(any(feature = "runtime", feature = "dev-server"))]
pub(crate) fn runtime_for(app: &crate::App) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = if app.sync_waits_for_async {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(1);
        builder
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder.enable_all().build()
}

/// A sync middleware waited for an async part of its chain on a current-thread runtime.
#[derive(Debug)]
pub(super) struct WaitNeedsThreads;

impl std::fmt::Display for WaitNeedsThreads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "a sync middleware waits for the async handler or middleware inside it, which \
             needs a multi-thread tokio runtime (`lambda_router::run` makes one for such an \
             app); on a current-thread runtime, write the middleware with \
             `lambda_router::middleware::from_fn`",
        )
    }
}

impl std::error::Error for WaitNeedsThreads {}
