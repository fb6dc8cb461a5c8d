//! [`Client`]: calls an app the way the runtime does, one [`Scratch`] kept between calls.

use http::Extensions;

use super::blocking::Runner;
use super::{IntoEvent, TestError, TestResponse};
use crate::{App, LambdaContext, Scratch};

/// Calls an app with events, keeping one [`Scratch`] between calls as a warm function does.
///
/// Values put into [`context_mut`](Self::context_mut) are the shared context of the next
/// call only (Powertools' `append_context` before `resolve`): the handler reads them with
/// [`Request::context`](crate::Request::context), and they are gone after the call.
///
/// ```
/// use lambda_router::{App, Request, ServiceError, testing};
///
/// #[derive(Clone)]
/// struct User(&'static str);
///
/// let app = App::rest()
///     .get("/me", |req: &Request<'_>| match req.context().get::<User>() {
///         Some(User(name)) => Ok(name.to_string()),
///         None => Err(ServiceError::unauthorized("who are you?")),
///     })
///     .build()?;
///
/// let mut client = testing::Client::new(&app);
/// client.context_mut().insert(User("ada"));
/// assert_eq!(client.call(testing::rest().get("/me")).text(), "ada");
/// // The context was for that call only.
/// assert_eq!(client.call(testing::rest().get("/me")).status(), 401);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Client<'a> {
    app: &'a App,
    scratch: Scratch,
    lambda: LambdaContext,
    runner: Runner,
}

impl<'a> Client<'a> {
    /// A client of `app`, with the Lambda context
    /// `LambdaContext::with_request_id("test-request")`.
    #[must_use]
    pub fn new(app: &'a App) -> Self {
        Self {
            app,
            scratch: Scratch::new(),
            lambda: LambdaContext::with_request_id("test-request"),
            runner: Runner::default(),
        }
    }

    /// The Lambda context every call sees (request id, deadline, function name...).
    #[must_use]
    pub fn lambda_context(mut self, lambda: LambdaContext) -> Self {
        self.lambda = lambda;
        self
    }

    /// The shared context of the next call: insert values a handler or middleware reads.
    pub fn context_mut(&mut self) -> &mut Extensions {
        self.scratch.context_mut()
    }

    /// Runs `event` to completion and parses the response: on a current-thread tokio
    /// runtime with timers and I/O enabled, made by the first call and kept by the client
    /// (a task a handler spawned lives on, as on a warm function), so async handlers that
    /// sleep or do I/O work in a plain `#[test]`; called from inside a tokio runtime, on a
    /// thread of its own. Without tokio in the build (no `runtime` or `dev-server`
    /// feature), on this thread ([`App::handle_blocking`]).
    ///
    /// # Panics
    /// If the app rejects the event as malformed (use [`try_call`](Self::try_call) to test
    /// that), or its response is not a proxy response.
    #[allow(clippy::panic)]
    pub fn call(&mut self, event: impl IntoEvent) -> TestResponse {
        match self.try_call(event) {
            Ok(response) => response,
            Err(error) => panic!("testing::Client::call: {error}"),
        }
    }

    /// [`call`](Self::call), returning the app's error instead of panicking.
    ///
    /// # Errors
    /// The event is malformed ([`TestError::Event`]), or the response is not a proxy
    /// response ([`TestError::Response`]).
    pub fn try_call(&mut self, event: impl IntoEvent) -> Result<TestResponse, TestError> {
        let event = event.into_event();
        let bytes = self
            .runner
            .handle(self.app, &mut self.scratch, &event, &self.lambda)
            .map_err(TestError::Event)?;
        TestResponse::parse(bytes)
    }

    /// [`call`](Self::call) awaited in the caller's runtime (`#[tokio::test]`), for a
    /// handler that must share it: one that awaits a task or channel of the test's.
    ///
    /// # Panics
    /// As [`call`](Self::call).
    #[allow(clippy::panic)]
    pub async fn call_async(&mut self, event: impl IntoEvent) -> TestResponse {
        match self.try_call_async(event).await {
            Ok(response) => response,
            Err(error) => panic!("testing::Client::call_async: {error}"),
        }
    }

    /// [`try_call`](Self::try_call) awaited in the caller's runtime.
    ///
    /// # Errors
    /// As [`try_call`](Self::try_call).
    pub async fn try_call_async(
        &mut self,
        event: impl IntoEvent,
    ) -> Result<TestResponse, TestError> {
        let event = event.into_event();
        let bytes = self
            .app
            .handle(&mut self.scratch, &event, &self.lambda)
            .await
            .map_err(TestError::Event)?;
        TestResponse::parse(bytes)
    }
}
