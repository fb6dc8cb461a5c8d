//! How the synchronous helpers ([`call`](super::call), [`Client::call`](super::Client::call))
//! run an app: on a tokio runtime with timers and I/O enabled, so an async handler that
//! sleeps, awaits a socket or spawns a task works in a plain `#[test]` as it does under
//! [`run`](crate::run).
//!
//! Without tokio in the build (no `runtime` or `dev-server` feature), the app is polled on
//! the caller's thread ([`App::handle_blocking`]).

use crate::{App, EventError, LambdaContext, Scratch};

/// The runtime the helpers run an app on, made on first use and kept (a `Client`'s tasks
/// live on between its calls, as on a warm function).
#[derive(Debug, Default)]
pub(super) struct Runner {
    #[cfg(any(feature = "runtime", feature = "dev-server"))]
    runtime: Option<tokio::runtime::Runtime>,
}

impl Runner {
    /// Runs `event` through `app` to completion.
    pub(super) fn handle<'s>(
        &mut self,
        app: &App,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> Result<&'s [u8], EventError> {
        #[cfg(any(feature = "runtime", feature = "dev-server"))]
        if let Some(runtime) = self.runtime(app) {
            let future = app.handle(scratch, event, lambda);
            if tokio::runtime::Handle::try_current().is_err() {
                return runtime.block_on(future);
            }
            // Called from inside a runtime (a sync helper in `#[tokio::test]`), whose
            // thread may not block on another: the call runs on a thread of its own.
            return std::thread::scope(|scope| {
                scope
                    .spawn(|| runtime.block_on(future))
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
        }
        app.handle_blocking(scratch, event, lambda)
    }

    /// The kept runtime, of the flavor `run` gives `app`; `None` if the system refuses one
    /// (no file descriptor left for its I/O driver), and the caller polls instead.
    #[cfg(any(feature = "runtime", feature = "dev-server"))]
    fn runtime(&mut self, app: &App) -> Option<&tokio::runtime::Runtime> {
        if self.runtime.is_none() {
            self.runtime = crate::middleware::runtime_for(app).ok();
        }
        self.runtime.as_ref()
    }
}

#[cfg(any(feature = "runtime", feature = "dev-server"))]
impl Drop for Runner {
    fn drop(&mut self) {
        // A plain drop blocks until the runtime's blocking tasks end, which tokio forbids
        // inside another runtime (a client dropped in `#[tokio::test]`).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
