//! The pure core: event bytes in, proxy-response bytes out. The router, the event views
//! and the response writers meet here and nowhere else.

mod answer;
mod collect;
mod deadline;
mod finish;
mod panics;
mod read;
mod refuse;
mod write;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use http::Method;

use crate::app::{App, CompiledRoute, Finishing};
use crate::arena_future::FutureArena;
use crate::error::{Error, ServiceError};
use crate::event::{EventError, EventView};
use crate::extract::ValidationError;
use crate::handler::{HandlerKind, Outcome};
use crate::middleware::{AsyncNext, ChainEnd, ChainKind, Next, Remaining};
use crate::request::{BodyError, JsonBodyError, LambdaContext, Request};
use crate::response::{Body, IntoResponse, Response, ResponseContext};
use crate::router::Params;
use crate::scratch::Scratch;
#[cfg(feature = "dev-server")]
pub(crate) use answer::Answer;
#[cfg(any(feature = "runtime", feature = "__bench"))]
#[cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]
pub use answer::StreamedAnswer;
#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
#[cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]
pub use answer::StreamedBody;
use answer::{Buffered, Mode, Shape};
use deadline::{DeadlineGuard, within_deadline};
pub(crate) use panics::block_on;
use panics::{await_caught, catch_panic, panicked};
use read::Prepared;
use write::Finisher;

/// What an invocation lends its request besides the event: the shared context set for
/// it, and the cells that keep the body's strings written with escapes.
struct Lent<'a> {
    shared: http::Extensions,
    unescaped: &'a crate::request::Unescaped,
}

impl App {
    /// Answers one event: parses `event`, routes it, runs the handler and writes the
    /// proxy response into `scratch`, returning it. `scratch` is reset for the next call.
    ///
    /// # Errors
    /// A malformed event (see [`EventError`]); everything else, handler errors and panics
    /// included, becomes an HTTP response.
    pub fn handle<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<&'s [u8], EventError>> {
        // The future of `answer` itself, not one awaiting it: a warm invocation then moves
        // the (large) state machine once less.
        self.answer::<Buffered>(scratch, event, lambda)
    }

    /// Answers one event into `scratch.output`, each answer in the shape `M` gives it.
    async fn answer<'s, M: Mode>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> Result<M::Output<'s>, EventError> {
        scratch.release_excess();
        let Scratch {
            event: event_tape,
            arena,
            output,
            compressed,
            #[cfg(feature = "gzip")]
            gzip,
            serialize,
            context,
            futures,
            unescaped,
        } = scratch;
        // Every invocation starts clean however the last one ended (a malformed event, a
        // panic, a caller that dropped this future mid-way): the shared context set for this
        // call is taken here and dropped with it, on every path, and a serialization
        // failure the last one left behind is discarded.
        let shared = std::mem::take(context);
        serialize.forget_failure();
        unescaped.clear();
        let unescaped = &*unescaped;
        output.clear();
        if self.debug {
            tracing::info!(event = %String::from_utf8_lossy(event), "lambda-router: event");
        }
        let written = async {
            let tape = event_tape.parse(event)?;
            // A mutable reborrow: the block then holds `&mut Bump` (Send), not `&Bump` (not Send).
            let (view, prepared) = self.read(&tape, &mut *arena)?;
            let cx = serialize
                .context(self.serializer.as_deref())
                .streamed(M::RAW_BODIES);
            let (mut response, finishing, preflight) = self
                .respond(
                    view,
                    prepared,
                    lambda,
                    Lent { shared, unescaped },
                    cx,
                    futures,
                )
                .await;
            // Replaced in place: the response is large, and this path is every invocation's.
            if let Some(failure) = serialize.take_failure() {
                let answer = guard_error_answer(|| self.unhandled(&Error::new(failure), cx));
                // The serializer failed on the error body too.
                response = match serialize.take_failure() {
                    Some(_) => fixed_500(),
                    None => answer,
                };
            }
            let mut finisher = Finisher {
                compressed,
                #[cfg(feature = "gzip")]
                gzip,
            };
            let shape = if M::streams(&response.body) {
                Shape::Streamed
            } else {
                if let Body::Stream(_) = &response.body {
                    // Boxed: the collecting future stays out of the hot path's state.
                    response =
                        Box::pin(self.collect_stream(response, finishing, &view, lambda, cx)).await;
                }
                self.envelope_shape(&view)
            };
            let written = self.finish(
                &mut response,
                finishing,
                preflight,
                &view,
                lambda,
                shape,
                &mut finisher,
                output,
            );
            serialize.recycle(response.body);
            Ok::<_, EventError>(written)
        }
        .await;
        arena.reset();
        if self.debug {
            tracing::info!(response = %String::from_utf8_lossy(output), "lambda-router: response");
        }
        written.map(|written| M::output(&output[..], written))
    }

    /// [`handle`](Self::handle) on the current thread, for sync handlers, tests and
    /// tools; an async handler that waits on I/O needs `handle` inside its runtime.
    ///
    /// # Errors
    /// As [`handle`](Self::handle).
    pub fn handle_blocking<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> Result<&'s [u8], EventError> {
        block_on(self.handle(scratch, event, lambda))
    }

    /// Routes and runs the request; the response and how to finish it.
    async fn respond<'a>(
        &'a self,
        view: EventView<'a>,
        prepared: Prepared<'a>,
        lambda: &'a LambdaContext,
        lent: Lent<'a>,
        cx: ResponseContext<'a>,
        futures: &mut FutureArena,
    ) -> (Response, &'a Finishing, bool) {
        let mut params = Params::default();
        let route = self
            .table
            .at(&prepared.method, prepared.route_path, &mut params)
            .and_then(|id| self.routes.get(id));
        if let Some(from_event) = view.source.def().dialect.path_params {
            from_event(&view.query, &mut params);
        }
        let allow = match route {
            None => self.allowed_methods(&prepared.method, prepared.route_path),
            Some(_) => None,
        };
        let mut req = Request {
            event: view,
            method: prepared.method,
            path: prepared.path,
            params,
            body: prepared.body,
            lambda,
            context: lent.shared,
            state: self.state.as_deref(),
            unescaped: lent.unescaped,
        };
        let preflight = AtomicBool::new(false);
        let finishing = route.map_or(&self.not_found_finishing, |route| &route.finishing);
        let outcome = match route {
            Some(route) => self.run_route(route, &mut req, cx, futures).await,
            None => {
                self.run_not_found(&mut req, cx, &preflight, allow.as_deref())
                    .await
            }
        };
        let response = match outcome {
            Ok(response) => response,
            Err(error) => guard_error_answer(|| self.error_response(&error, &req, cx)),
        };
        (response, finishing, preflight.into_inner())
    }

    async fn run_route(
        &self,
        route: &CompiledRoute,
        req: &mut Request<'_>,
        cx: ResponseContext<'_>,
        futures: &mut FutureArena,
    ) -> Outcome {
        let no_middleware = route.middlewares.is_empty() && self.middlewares.is_empty();
        // With no middleware to read the response and no compression on the route, a JSON
        // body can be serialized straight into its envelope form (`finish` alone reads
        // `Accept-Encoding`, for compressing routes).
        let cx = cx.envelope_ready(no_middleware && !route.finishing.compress);
        let guard = route.finishing.deadline_margin.map(|margin| DeadlineGuard {
            margin,
            route: &route.finishing.route,
            method: req.event.method,
            path: req.path,
        });
        let lambda = req.lambda;
        match (&route.handler.0, route.chain) {
            (HandlerKind::Async(handler), ChainKind::Async) if no_middleware => {
                // Declared first, dropped last: the arena is marked free only after the
                // future in it is gone.
                let arena = futures.start();
                let started = catch_unwind(AssertUnwindSafe(|| handler(req, cx, arena.home())));
                within_deadline(await_caught(started), guard, lambda).await
            }
            (handler, ChainKind::Sync) => catch_panic(|| {
                Next::new(
                    Remaining::new(&self.middlewares, &route.middlewares),
                    ChainEnd::Handler(handler),
                    cx,
                )
                .run(req)
            }),
            (handler, _) => {
                let endpoint = ChainEnd::Handler(handler);
                let next = AsyncNext::new(
                    Remaining::new(&self.middlewares, &route.middlewares),
                    endpoint,
                    cx,
                );
                let started = catch_unwind(AssertUnwindSafe(|| next.run(req)));
                within_deadline(await_caught(started), guard, lambda).await
            }
        }
    }

    /// The synthetic not-found route: global middleware, then the automatic pre-flight,
    /// the 405 when the path has routes under other methods (`allow`), the app's
    /// not-found handler or the default 404.
    async fn run_not_found(
        &self,
        req: &mut Request<'_>,
        cx: ResponseContext<'_>,
        preflight: &AtomicBool,
        allow: Option<&str>,
    ) -> Outcome {
        let endpoint = |req: &Request<'_>, cx: &ResponseContext<'_>| -> Outcome {
            if self.has_cors && req.method == Method::OPTIONS {
                preflight.store(true, Ordering::Relaxed);
                return Ok(Response::with_body(204, Body::Text("".into())));
            }
            if let Some(allow) = allow {
                return Ok(crate::app::method_not_allowed(allow, cx));
            }
            match (&self.not_found, req.event.source.def().dialect.tool_errors) {
                (Some(handler), _) => handler(req, cx),
                (None, Some(tools)) => Err((tools.unknown)(&req.event)),
                (None, None) => Ok(ServiceError::not_found("Not found").into_response(cx)),
            }
        };
        match self.not_found_chain {
            ChainKind::Sync => catch_panic(|| {
                Next::new(
                    Remaining::new(&self.middlewares, &[]),
                    ChainEnd::Sync(&endpoint),
                    cx,
                )
                .run(req)
            }),
            ChainKind::Async => {
                let next = AsyncNext::new(
                    Remaining::new(&self.middlewares, &[]),
                    ChainEnd::Sync(&endpoint),
                    cx,
                );
                await_caught(catch_unwind(AssertUnwindSafe(|| next.run(req)))).await
            }
        }
    }

    /// Answers an error as Powertools does: the not-found handler for a 404
    /// `ServiceError`, else the handler registered for its type, else a `ServiceError`
    /// answers itself, else 500 (logged).
    fn error_response(
        &self,
        error: &Error,
        req: &Request<'_>,
        cx: ResponseContext<'_>,
    ) -> Response {
        if let Some(tools) = req.event.source.def().dialect.tool_errors {
            return (tools.answer)(error);
        }
        let service_error = error.downcast_ref::<ServiceError>();
        let handled = match (&self.not_found, service_error) {
            (Some(not_found), Some(e)) if e.status() == 404 => {
                Some(catch_panic(|| not_found(req, &cx)))
            }
            _ => self.error_handlers.iter().find_map(|handler| {
                catch_unwind(AssertUnwindSafe(|| handler(error, req, &cx)))
                    .unwrap_or_else(|payload| Some(Err(panicked(&*payload))))
            }),
        };
        match handled {
            Some(Ok(response)) => response,
            Some(Err(raised)) => match raised.downcast_ref::<ServiceError>() {
                Some(e) => e.into_response(&cx),
                None => self.unhandled(&raised, cx),
            },
            None => match service_error {
                Some(e) => e.into_response(&cx),
                None if let Some(invalid) = error.downcast_ref::<ValidationError>() => {
                    match req.event.source.def().dialect.validation_body {
                        Some(body) => body(invalid),
                        None => invalid.into_response(&cx),
                    }
                }
                None if is_body_error(error) => self.bad_body(error, cx),
                None => self.unhandled(error, cx),
            },
        }
    }

    /// A body the handler could not read and nobody handled: 400, with what is wrong in
    /// debug mode.
    fn bad_body(&self, error: &Error, cx: ResponseContext<'_>) -> Response {
        if self.debug {
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            return Response::text(400, chain.join("\ncaused by: "));
        }
        ServiceError::bad_request("Invalid request body").into_response(&cx)
    }

    /// An error nobody handled: logged; 500 with the error chain in debug mode, else
    /// Powertools' JSON 500 body.
    fn unhandled(&self, error: &Error, cx: ResponseContext<'_>) -> Response {
        let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
        tracing::error!(error = %chain.join(": "), "lambda-router: unhandled error");
        if self.debug {
            return Response::text(500, chain.join("\ncaused by: "));
        }
        ServiceError::internal_server_error("Internal Server Error").into_response(&cx)
    }
}

/// Whether `error` is the client's unreadable body (answered 400 when no handler takes it).
fn is_body_error(error: &Error) -> bool {
    error.downcast_ref::<BodyError>().is_some() || error.downcast_ref::<JsonBodyError>().is_some()
}

/// Builds an error answer (error handlers, the not-found handler, the serializer: user
/// code); a panic there gives the fixed 500, so no panic escapes `handle`.
fn guard_error_answer(build: impl FnOnce() -> Response) -> Response {
    catch_unwind(AssertUnwindSafe(build)).unwrap_or_else(|payload| {
        let error = panicked(&*payload);
        tracing::error!(%error, "lambda-router: panic while answering an error, answering 500");
        fixed_500()
    })
}

/// Powertools' 500, written without any user code (which may be what failed).
fn fixed_500() -> Response {
    Response::with_body(
        500,
        Body::Text(r#"{"statusCode":500,"message":"Internal Server Error"}"#.into()),
    )
    .content_type("application/json")
}
