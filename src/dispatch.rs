//! The pure core: event bytes in, proxy-response bytes out. The router, the event views
//! and the response writers meet here and nowhere else.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use bumpalo::Bump;
use http::Method;
use simd_json::tape::Tape;
use smallvec::SmallVec;

use crate::app::{App, CompiledRoute, Finishing, strip};
use crate::arena_future::FutureArena;
use crate::error::{Error, Panicked, ServiceError};
use crate::event::{self, EventError, EventView, Source};
use crate::handler::{HandlerKind, Outcome};
use crate::middleware::{AsyncEndpoint, AsyncNext, ChainKind, Next, Remaining};
use crate::request::{LambdaContext, Request};
use crate::response::{
    Body, EnvelopeBody, EnvelopeStyle, Fault, IntoResponse, Response, ResponseContext,
    check_response, write_envelope,
};
use crate::router::Params;
use crate::scratch::Scratch;

/// What is read from the event before any handler runs.
struct Prepared<'a> {
    method: Method,
    path: &'a str,
    body: Option<&'a [u8]>,
    /// The body's tape, when it is a JSON object or array.
    body_json: Option<simd_json::tape::Value<'a, 'a>>,
}

/// Room for a response's headers as written (its own, CORS, cache control, encoding).
type WireHeaders<'h> = SmallVec<[(&'h str, &'h str); 20]>;

impl App {
    /// Answers one event: parses `event`, routes it, runs the handler and writes the
    /// proxy response into `scratch`, returning it. `scratch` is reset for the next call.
    ///
    /// # Errors
    /// A malformed event (see [`EventError`]); everything else, handler errors and panics
    /// included, becomes an HTTP response.
    pub async fn handle<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> Result<&'s [u8], EventError> {
        let Scratch {
            input,
            buffers,
            tape: tape_slot,
            arena,
            output,
            compressed,
            #[cfg(feature = "gzip")]
            gzip,
            serialize,
            context,
            futures,
            body: body_tape,
        } = scratch;
        output.clear();
        if self.debug {
            tracing::info!(event = %String::from_utf8_lossy(event), "lambda-router: event");
        }
        Scratch::load(input, event);
        let mut tape: Tape<'_> = std::mem::replace(tape_slot, Tape(Vec::new())).reset();
        let mut json_body: Tape<'_> =
            std::mem::replace(&mut body_tape.tape, Tape(Vec::new())).reset();
        let answered = async {
            Scratch::parse(input, event.len(), buffers, &mut tape)?;
            let view = event::parse(self.source, &tape)?;
            // A mutable reborrow: the block then holds `&mut Bump` (Send), not `&Bump` (not Send).
            let mut prepared = self.prepare(&view, &mut *arena)?;
            let parsed = parse_json_body(
                prepared.body,
                &mut body_tape.input,
                &mut body_tape.buffers,
                &mut json_body,
            );
            prepared.body_json = parsed.then(|| json_body.as_value());
            let shared = std::mem::take(context);
            let cx = serialize.context(self.serializer.as_deref());
            let (response, finishing, preflight) = self
                .respond(view, prepared, lambda, shared, cx, futures)
                .await;
            let response = match serialize.take_failure() {
                Some(failure) => self.unhandled(&Error::new(failure), cx),
                None => response,
            };
            let mut finisher = Finisher {
                compressed,
                #[cfg(feature = "gzip")]
                gzip,
            };
            self.finish(
                &response,
                finishing,
                preflight,
                &view,
                &mut finisher,
                output,
            );
            serialize.recycle(response.body);
            Ok::<(), EventError>(())
        }
        .await;
        *tape_slot = tape.reset();
        body_tape.tape = json_body.reset();
        arena.reset();
        if self.debug {
            tracing::info!(response = %String::from_utf8_lossy(output), "lambda-router: response");
        }
        answered.map(|()| &output[..])
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

    fn prepare<'a>(
        &self,
        view: &EventView<'a>,
        arena: &'a mut Bump,
    ) -> Result<Prepared<'a>, EventError> {
        let arena: &'a Bump = arena;
        let method =
            parse_method(view.method).ok_or_else(|| EventError::invalid_method(view.source))?;
        let body = match view.body {
            Some(text) if view.is_base64_encoded => Some(event::decode_base64_body(text, arena)?),
            Some(text) => Some(text.as_bytes()),
            None => None,
        };
        let path = strip(&self.strip_prefixes, view.path, arena);
        Ok(Prepared {
            method,
            path,
            body,
            body_json: None,
        })
    }

    /// Routes and runs the request; the response and how to finish it.
    async fn respond<'a>(
        &'a self,
        view: EventView<'a>,
        prepared: Prepared<'a>,
        lambda: &'a LambdaContext,
        shared: http::Extensions,
        cx: ResponseContext<'a>,
        futures: &mut FutureArena,
    ) -> (Response, &'a Finishing, bool) {
        let mut params = Params::default();
        let route = self
            .trie
            .at(&prepared.method, prepared.path, &mut params)
            .and_then(|id| self.routes.get(id));
        let mut req = Request {
            event: view,
            method: prepared.method,
            path: prepared.path,
            params,
            body: prepared.body,
            body_json: prepared.body_json,
            lambda,
            context: shared,
        };
        let preflight = AtomicBool::new(false);
        let (outcome, finishing) = match route {
            Some(route) => (
                self.run_route(route, &mut req, cx, futures).await,
                &route.finishing,
            ),
            None => (
                self.run_not_found(&mut req, cx, &preflight).await,
                &self.not_found_finishing,
            ),
        };
        let response = match outcome {
            Ok(response) => response,
            Err(error) => self.error_response(&error, &req, cx),
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
        // With no middleware to read the response and no compression for this request, a
        // JSON body can be serialized straight into its envelope form.
        let cx = cx.envelope_ready(
            no_middleware && !(route.finishing.compress && accepts_gzip(&req.event)),
        );
        match (&route.handler.0, route.chain) {
            (HandlerKind::Async(handler), ChainKind::Async) if no_middleware => {
                // Declared first, dropped last: the arena is marked free only after the
                // future in it is gone.
                let arena = futures.start();
                await_caught(catch_unwind(AssertUnwindSafe(|| {
                    handler(req, cx, arena.home())
                })))
                .await
            }
            (HandlerKind::Sync(handler), ChainKind::Sync) => catch_panic(|| {
                Next::new(
                    Remaining::new(&self.middlewares, &route.middlewares),
                    handler.as_ref(),
                    cx,
                )
                .run(req)
            }),
            (handler, _) => {
                let endpoint = AsyncEndpoint::Handler(handler);
                let next = AsyncNext::new(
                    Remaining::new(&self.middlewares, &route.middlewares),
                    endpoint,
                    cx,
                );
                await_caught(catch_unwind(AssertUnwindSafe(|| next.run(req)))).await
            }
        }
    }

    /// The synthetic not-found route: global middleware, then the automatic pre-flight,
    /// the app's not-found handler or the default 404.
    async fn run_not_found(
        &self,
        req: &mut Request<'_>,
        cx: ResponseContext<'_>,
        preflight: &AtomicBool,
    ) -> Outcome {
        let endpoint = |req: &Request<'_>, cx: &ResponseContext<'_>| -> Outcome {
            if self.has_cors && req.method == Method::OPTIONS {
                preflight.store(true, Ordering::Relaxed);
                return Ok(Response::with_body(204, Body::Text("".into())));
            }
            match &self.not_found {
                Some(handler) => handler(req, cx),
                None => Ok(ServiceError::not_found("Not found").into_response(cx)),
            }
        };
        match self.not_found_chain {
            ChainKind::Sync => catch_panic(|| {
                Next::new(Remaining::new(&self.middlewares, &[]), &endpoint, cx).run(req)
            }),
            ChainKind::Async => {
                let next = AsyncNext::new(
                    Remaining::new(&self.middlewares, &[]),
                    AsyncEndpoint::Sync(&endpoint),
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
                None => self.unhandled(error, cx),
            },
        }
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

    /// Adds CORS, cache control and compression, then writes the envelope.
    fn finish(
        &self,
        response: &Response,
        finishing: &Finishing,
        preflight: bool,
        view: &EventView<'_>,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) {
        let mut headers: WireHeaders<'_> = response
            .headers
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_ref()))
            .collect();
        if preflight {
            headers.push((
                "Access-Control-Allow-Methods",
                self.preflight_methods.as_str(),
            ));
        }
        if let Some(cors) = &finishing.cors {
            cors.apply(view.headers.get("origin"), &mut headers);
        }
        if let Some(cache_control) = &finishing.cache_control {
            let value = if response.status == 200 {
                cache_control.as_str()
            } else {
                "no-cache"
            };
            headers.push(("Cache-Control", value));
        }
        let style = match (self.source, view.multi_value_headers) {
            (Source::RestV1, _) => EnvelopeStyle::Rest,
            (Source::HttpV2 | Source::FunctionUrl, _) => EnvelopeStyle::V2,
            (Source::Alb, true) => EnvelopeStyle::AlbMulti,
            (Source::Alb, false) => EnvelopeStyle::AlbSingle,
        };
        // Never write a header or cookie that could split or smuggle a response.
        if let Err(fault) = check_response(&headers, &response.cookies) {
            self.refuse_invalid_header(fault, style, output);
            return;
        }
        let (bytes, is_text) = match &response.body {
            Body::Empty => (None, false),
            Body::Text(text) => (Some(text.as_bytes()), true),
            Body::Json(json) if json.escaped => {
                // Written in its envelope form because this response cannot be compressed
                // (`envelope_ready`): nothing left to do but copy it.
                write_envelope(
                    output,
                    style,
                    response.status,
                    &headers,
                    &response.cookies,
                    EnvelopeBody::Escaped(json.as_bytes()),
                );
                return;
            }
            Body::Json(json) => (Some(json.as_bytes()), true),
            Body::Binary(bytes) => (Some(bytes.as_ref()), false),
        };
        let compress = response.compression().unwrap_or(finishing.compress) && accepts_gzip(view);
        let body = match bytes {
            None => EnvelopeBody::None,
            Some(bytes) if compress => match finisher.gzip(bytes) {
                Some(gzipped) => {
                    headers.push(("Content-Encoding", "gzip"));
                    EnvelopeBody::Base64(gzipped)
                }
                None if is_text => EnvelopeBody::Text(bytes),
                None => EnvelopeBody::Base64(bytes),
            },
            Some(bytes) if is_text => EnvelopeBody::Text(bytes),
            Some(bytes) => EnvelopeBody::Base64(bytes),
        };
        write_envelope(
            output,
            style,
            response.status,
            &headers,
            &response.cookies,
            body,
        );
    }
}

impl App {
    /// Answers 500 instead of a response with an invalid header or cookie, and logs it
    /// (naming it); in debug mode the body says which one.
    #[cold]
    fn refuse_invalid_header(&self, fault: Fault<'_>, style: EnvelopeStyle, output: &mut Vec<u8>) {
        let error = fault.to_error();
        tracing::error!(
            header = %error.name().escape_debug(),
            error = %error,
            "lambda-router: invalid response header or cookie, answering 500"
        );
        let (content_type, body) = if self.debug {
            ("text/plain", error.to_string())
        } else {
            (
                "application/json",
                r#"{"statusCode":500,"message":"Internal Server Error"}"#.to_owned(),
            )
        };
        write_envelope(
            output,
            style,
            500,
            &[("Content-Type", content_type)],
            &[],
            EnvelopeBody::Text(body.as_bytes()),
        );
    }
}

/// The scratch parts compression writes into.
struct Finisher<'s> {
    compressed: &'s mut Vec<u8>,
    #[cfg(feature = "gzip")]
    gzip: &'s mut Option<crate::response::Gzip>,
}

impl Finisher<'_> {
    /// Gzips `bytes` into the reused buffer (`None` without the `gzip` feature).
    fn gzip(&mut self, bytes: &[u8]) -> Option<&[u8]> {
        #[cfg(feature = "gzip")]
        {
            self.gzip
                .get_or_insert_with(crate::response::Gzip::new)
                .compress(bytes, self.compressed);
            Some(self.compressed.as_slice())
        }
        #[cfg(not(feature = "gzip"))]
        {
            let _ = (bytes, &self.compressed);
            None
        }
    }
}

/// Parses an object or array body into `tape` (copied into `input`, which simd-json needs
/// padded and mutable), so that `Request::json` deserializes from the tape. Any other body,
/// or one that is not valid JSON, is left to `Request::json`'s serde_json path, which
/// reports the error.
fn parse_json_body<'b>(
    body: Option<&[u8]>,
    input: &'b mut Vec<u8>,
    buffers: &mut simd_json::Buffers,
    tape: &mut Tape<'b>,
) -> bool {
    let Some(body) = body else { return false };
    if !matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        return false;
    }
    Scratch::load(input, body);
    simd_json::fill_tape_padded(input, body.len(), buffers, tape).is_ok()
}

/// Whether the request's `Accept-Encoding` takes gzip.
fn accepts_gzip(view: &EventView<'_>) -> bool {
    view.headers
        .get("accept-encoding")
        .is_some_and(crate::response::accepts_gzip)
}

/// The request method, upper-cased as Powertools does; `None` when it is not a token.
fn parse_method(sent: &str) -> Option<Method> {
    const MAX: usize = 32;
    if !sent.bytes().any(|b| b.is_ascii_lowercase()) {
        return Method::from_bytes(sent.as_bytes()).ok();
    }
    let mut upper = [0u8; MAX];
    let slot = upper.get_mut(..sent.len())?;
    slot.copy_from_slice(sent.as_bytes());
    slot.make_ascii_uppercase();
    Method::from_bytes(slot).ok()
}

fn panicked(payload: &(dyn Any + Send)) -> Error {
    Error::new(Panicked::from_payload(payload))
}

/// Runs `f`, turning a panic into an error (the panic hook has already logged it).
fn catch_panic(f: impl FnOnce() -> Outcome) -> Outcome {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(&*payload)))
}

/// Awaits a future that was started under `catch_unwind`, turning a panic (while starting
/// or polling) into an error. The future is started by the caller, synchronously, so that
/// nothing it borrowed to start (the arena) is held across the await.
async fn await_caught<F>(started: std::thread::Result<F>) -> Outcome
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
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}
