//! The app as a `lambda_runtime` service, for programs that compose with
//! `lambda_runtime::run` (its layers, its tracing, extensions) rather than call
//! [`run`](super::run): the event reaches the app as the bytes Lambda sent (a `RawValue`,
//! never a `serde_json::Value`), and the proxy response goes back as the bytes the app
//! wrote. Buffered delivery only. Each invocation takes a [`Scratch`](crate::Scratch) from
//! a pool, so concurrent invocations (Lambda Managed Instances) never share one.
//!
//! ```no_run
//! # async fn serve() -> Result<(), lambda_runtime::Error> {
//! use lambda_router::{App, Request};
//!
//! let app = App::rest()
//!     .get("/hello", |_: &Request<'_>| "hello")
//!     .build()
//!     .expect("valid routes");
//! lambda_runtime::run(lambda_router::lambda_service(app)).await
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lambda_runtime::{Diagnostic, LambdaEvent, Service};
use serde_json::value::RawValue;

use crate::scratch_pool::ScratchPool;
use crate::{App, LambdaContext};

/// `app` as a `lambda_runtime` service (see [`LambdaService`]).
#[must_use]
pub fn lambda_service(app: App) -> LambdaService {
    LambdaService {
        app: Arc::new(app),
        scratches: ScratchPool::new(1),
    }
}

/// An [`App`] as a `lambda_runtime` service: `LambdaEvent<Box<RawValue>>` in, the proxy
/// response out; a malformed event is a [`Diagnostic`] whose `errorType` is the event
/// error's stable code.
#[derive(Debug, Clone)]
pub struct LambdaService {
    app: Arc<App>,
    scratches: Arc<ScratchPool>,
}

impl Service<LambdaEvent<Box<RawValue>>> for LambdaService {
    type Response = Box<RawValue>;
    type Error = Diagnostic;
    type Future = Pin<Box<dyn Future<Output = Result<Box<RawValue>, Diagnostic>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Diagnostic>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Box<RawValue>>) -> Self::Future {
        let app = Arc::clone(&self.app);
        let scratches = Arc::clone(&self.scratches);
        Box::pin(async move {
            let context = LambdaContext::from(&event.context);
            let mut scratch = scratches.take();
            let event = event.payload.get().as_bytes();
            let response = app
                .handle(&mut scratch, event, &context)
                .await
                .map_err(|error| Diagnostic {
                    error_type: error.code().to_owned(),
                    error_message: error.to_string(),
                })?;
            // The app writes one JSON object; `RawValue` wants it as a `String`.
            let text = String::from_utf8_lossy(response).into_owned();
            RawValue::from_string(text).map_err(|error| Diagnostic {
                error_type: "response.json".to_owned(),
                error_message: error.to_string(),
            })
        })
    }
}
