//! A local HTTP server for development: each real HTTP request becomes an event of the
//! app's [`Source`], the app answers it, and the proxy response goes back as HTTP.
//!
//! [`run`](crate::run) starts it outside Lambda in a debug build, on `127.0.0.1:3000`
//! (`PORT` overrides); [`serve`] starts it from any build (a release build's `run` leaves
//! it out, so the binary deployed to Lambda does not carry it):
//!
//! ```sh
//! cargo run --example todos
//! curl -i localhost:3000/todos
//! ```
//!
//! What it does, per request:
//!
//! - the event follows the app's source: API Gateway REST (payload 1.0, `headers` and
//!   `multiValueHeaders`, stage `local`), HTTP API (payload 2.0, `cookies` lifted out of
//!   the `Cookie` header), ALB (single-value headers, query values left encoded as ALB
//!   does) or Function URL;
//! - a UTF-8 body is sent as text, any other body base64-encoded with `isBase64Encoded`;
//! - for a source that can stream under Lambda (REST API, Function URL; see
//!   [`Source::supports_streaming`]) a streamed route's chunks go out as they are produced,
//!   with chunked transfer encoding; every other route answers as in Lambda's default,
//!   buffered mode (payload limit included). The other sources answer buffered, as under
//!   Lambda (a streamed body collected within the source's payload limit);
//! - the response's `statusCode`, `headers`, `multiValueHeaders` and `cookies` (as
//!   `Set-Cookie`) become the HTTP response; a base64 body is decoded, so a gzipped body
//!   arrives as gzip with its `Content-Encoding`;
//! - framing headers of the proxy response (`Content-Length`, `Transfer-Encoding`,
//!   `Connection`, …) are dropped: the server frames the body it sends;
//! - each invocation runs on a blocking thread, so a slow sync handler holds up only its
//!   own request;
//! - one log line per request on stderr: method, path, status, microseconds.
//!
//! Headers must arrive within a time limit (which also closes idle keep-alive
//! connections), and bodies within a size and a time limit: see [`Limits`]. It is a
//! development tool: it binds loopback and is not meant to face the internet.
//!
//! An app's Swagger UI page loads its files from a CDN: to use it offline, let the app
//! serve them (feature `swagger-ui-embedded`; see [the OpenAPI
//! guide](crate::guide::typed#swagger-ui-from-a-cdn-or-served-by-the-app)).

mod event;
mod response;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::dispatch::{Answer, StreamedBody};
use crate::scratch_pool::ScratchPool;
use crate::{App, LambdaContext, Source};
use event::to_event;
use response::{HttpResponse, chunked, from_proxy_response, from_streamed, full, plain};

/// The port when `PORT` is not set.
pub const DEFAULT_PORT: u16 = 3000;

/// How long a handler may take, as the dev server's [`LambdaContext`] deadline says.
const DEADLINE_MS: u64 = 30_000;

/// The limits the dev server puts on connections and requests.
///
/// ```
/// use std::time::Duration;
/// use lambda_router::dev_server::Limits;
///
/// let mut limits = Limits::default();
/// limits.header_read = Duration::from_secs(60);
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// The longest wait for a request's headers, from when the connection is ready for
    /// it: a slow client and an idle keep-alive connection are both closed after it.
    /// Default 10 s.
    pub header_read: Duration,
    /// The longest wait for a whole request body (408 after it). Default 30 s.
    pub body_read: Duration,
    /// The largest request body, in bytes (413 beyond it, at once for a body whose
    /// `Content-Length` says so). Default 6 MiB, Lambda's payload limit for a synchronous
    /// invocation.
    pub max_body_bytes: usize,
    /// How many [`Scratch`](crate::Scratch)es are kept for reuse between requests (more are made while
    /// more requests are in flight, then dropped). Default 4.
    pub pooled_scratches: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(30),
            max_body_bytes: 6 * 1024 * 1024,
            pooled_scratches: 4,
        }
    }
}

/// Binds `127.0.0.1:$PORT` (3000 by default) and serves `app` there until the process
/// ends, whether or not it runs inside Lambda ([`run`](crate::run) calls it outside).
///
/// # Errors
/// `PORT` is not a port number, binding failed (the error names the address and keeps
/// the kind, e.g. `AddrInUse`), or accepting a connection failed.
pub async fn serve(app: App) -> std::io::Result<()> {
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse::<u16>().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT={port} is not a port number"),
            )
        })?,
        Err(_) => DEFAULT_PORT,
    };
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = TcpListener::bind(address).await.map_err(|error| {
        std::io::Error::new(
            error.kind(),
            format!(
                "the dev server could not bind {address}: {error} \
                 (set the PORT environment variable to use another port)"
            ),
        )
    })?;
    eprintln!(
        "lambda-router dev server: http://{} ({} events)",
        listener.local_addr()?,
        dev_source(&app).def().service
    );
    serve_on(listener, app).await
}

/// Serves `app` on an already bound listener (bind port 0 in tests), one tokio task per
/// connection, until accepting fails, with the default [`Limits`].
///
/// Needs a tokio runtime with time and I/O enabled (`enable_all`, as [`run`](crate::run)
/// builds).
///
/// ```no_run
/// # async fn demo(app: lambda_router::App) -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// println!("listening on {}", listener.local_addr()?);
/// lambda_router::dev_server::serve_on(listener, app).await
/// # }
/// ```
///
/// # Errors
/// Accepting a connection failed.
pub async fn serve_on(listener: TcpListener, app: impl Into<Arc<App>>) -> std::io::Result<()> {
    serve_with(listener, app, Limits::default()).await
}

/// [`serve_on`] with the given [`Limits`].
///
/// # Errors
/// Accepting a connection failed.
pub async fn serve_with(
    listener: TcpListener,
    app: impl Into<Arc<App>>,
    limits: Limits,
) -> std::io::Result<()> {
    let server = Arc::new(DevServer {
        app: app.into(),
        scratches: ScratchPool::new(limits.pooled_scratches),
        requests: AtomicU64::new(0),
        limits,
    });
    loop {
        let (stream, peer) = listener.accept().await?;
        let server = Arc::clone(&server);
        tokio::spawn(async move {
            let service = service_fn(|request| {
                let server = Arc::clone(&server);
                async move { Ok::<_, Infallible>(server.answer(request, peer).await) }
            });
            if let Err(error) = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read)
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("lambda-router dev server: connection from {peer}: {error}");
            }
        });
    }
}

/// The app, a bounded pool of [`Scratch`](crate::Scratch)es, a request counter and the limits.
struct DevServer {
    app: Arc<App>,
    scratches: Arc<ScratchPool>,
    requests: AtomicU64,
    limits: Limits,
}

impl DevServer {
    async fn answer(
        self: Arc<Self>,
        request: hyper::Request<Incoming>,
        peer: SocketAddr,
    ) -> HttpResponse {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let response = match self.read_body(body).await {
            Ok(body) => Arc::clone(&self).invoke(&parts, body, peer).await,
            Err(refusal) => refusal,
        };
        eprintln!(
            "{} {} {} {}µs",
            parts.method,
            parts.uri.path(),
            response.status().as_u16(),
            started.elapsed().as_micros()
        );
        response
    }

    /// The whole body, within the size and time limits.
    async fn read_body(&self, body: Incoming) -> Result<Bytes, HttpResponse> {
        // A declared `Content-Length` (hyper's exact size hint) over the limit is refused
        // before a byte of the body is read: no client waits for a body never to be used,
        // and `Expect: 100-continue` gets its answer without a `100 Continue`.
        let declared = body.size_hint().lower();
        if usize::try_from(declared).map_or(true, |declared| declared > self.limits.max_body_bytes)
        {
            return Err(self.too_large());
        }
        let limited = Limited::new(body, self.limits.max_body_bytes).collect();
        match tokio::time::timeout(self.limits.body_read, limited).await {
            Ok(Ok(body)) => Ok(body.to_bytes()),
            Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
                Err(self.too_large())
            }
            Ok(Err(error)) => Err(plain(
                400,
                format!("could not read the request body: {error}"),
            )),
            Err(_) => Err(plain(
                408,
                format!(
                    "the request body did not arrive within {:?}",
                    self.limits.body_read
                ),
            )),
        }
    }

    /// The 413, closing the connection: the body it refuses is left unread.
    fn too_large(&self) -> HttpResponse {
        let mut response = plain(
            413,
            format!(
                "the request body is larger than {} bytes",
                self.limits.max_body_bytes
            ),
        );
        response.headers_mut().insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
        response
    }

    async fn invoke(
        self: Arc<Self>,
        parts: &http::request::Parts,
        body: Bytes,
        peer: SocketAddr,
    ) -> HttpResponse {
        let number = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("dev-{number:08}");
        let event = to_event(dev_source(&self.app), parts, &body, peer, &request_id);
        let lambda = LambdaContext {
            request_id,
            invoked_function_arn: "arn:aws:lambda:local:000000000000:function:dev-server"
                .to_owned(),
            deadline_ms: now_ms() + DEADLINE_MS,
            xray_trace_id: None,
            function_name: "dev-server".to_owned(),
            function_version: "$LATEST".to_owned(),
            memory_limit_mb: 128,
        };
        // A sync handler runs on the calling thread: on a blocking thread, a slow one
        // holds up its own request, not the connections of the server's runtime.
        tokio::task::spawn_blocking(move || self.invoke_blocking(&event, &lambda))
            .await
            .unwrap_or_else(|error| plain(500, format!("the invocation failed: {error}")))
    }

    /// One invocation on the current (blocking) thread; an async handler is driven by the
    /// server's runtime, whose timers and I/O keep running on its own threads.
    fn invoke_blocking(&self, event: &[u8], lambda: &LambdaContext) -> HttpResponse {
        let mut scratch = self.scratches.take();
        let runtime = tokio::runtime::Handle::current();
        let response = if dev_source(&self.app).supports_streaming() {
            match runtime.block_on(self.app.handle_mixed(&mut scratch, event, lambda)) {
                Ok(Answer::Envelope(proxy)) => from_proxy_response(proxy),
                Ok(Answer::Streamed(answer)) => {
                    let body = match answer.body {
                        StreamedBody::Full(bytes) => full(Bytes::copy_from_slice(bytes)),
                        StreamedBody::Chunks(chunks) => chunked(chunks),
                    };
                    from_streamed(answer.prelude, body)
                }
                Err(error) => plain(500, format!("the app rejected the event: {error}")),
            }
        } else {
            match runtime.block_on(self.app.handle(&mut scratch, event, lambda)) {
                Ok(proxy) => from_proxy_response(proxy),
                Err(error) => plain(500, format!("the app rejected the event: {error}")),
            }
        };
        // (The lease gives the scratch back: at most the pool's size is kept, each
        // without what a large event grew.)
        response
    }
}

/// Now, in milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The source whose events the server renders: the app's, or REST's for an app for any
/// source.
fn dev_source(app: &App) -> Source {
    app.source().unwrap_or(Source::RestV1)
}
