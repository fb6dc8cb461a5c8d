//! The two shapes of an answer, after Lambda's two response modes: an **envelope** (the
//! whole proxy response, one JSON document) or a **streamed** answer (the metadata prelude:
//! status, headers, cookies; then the body). A streamed body is, as in `http-body-util`,
//! either `Full` (every byte already written) or a stream of `Chunks` sent as they come.
//!
//! Which shape an invocation's answer takes depends on the entry point: `handle` always
//! answers an envelope, `handle_streamed` always streams, and the dev server streams the
//! routes that answer with a stream and nothing else. Each entry point is a [`Mode`] type, so
//! that each is its own monomorphic path (the buffered one pays nothing for the others).

use crate::app::App;
use crate::response::{Body, ChunkStream};
use crate::wire::EnvelopeStyle;
#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
use crate::{event::EventError, request::LambdaContext, scratch::Scratch};

/// One event's answer, in either shape.
#[cfg(feature = "dev-server")]
pub(crate) enum Answer<'s> {
    /// The proxy-response envelope.
    Envelope(&'s [u8]),
    /// The prelude, then the body.
    Streamed(StreamedAnswer<'s>),
}

/// An answer in the streamed shape (what `App::handle_streamed` gives).
#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
#[derive(Debug)]
#[cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]
pub struct StreamedAnswer<'s> {
    /// The metadata prelude: `{"statusCode":200,"headers":{...},"cookies":[...]}` (compact
    /// JSON, no delimiter: the transport writes the eight NUL bytes after it).
    pub prelude: &'s [u8],
    /// The body, to send after the prelude and its delimiter.
    pub body: StreamedBody<'s>,
}

/// The body of a [`StreamedAnswer`].
#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
#[cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]
pub enum StreamedBody<'s> {
    /// The whole body, already written (an ordinary route, or an answer the library makes):
    /// send it as one chunk (nothing to send when empty).
    Full(&'s [u8]),
    /// The route's stream (gzipped already when the answer is): send each chunk as it comes;
    /// an `Err` ends the body early (the library has logged it; under Lambda, report it in
    /// the error trailers). `'static`, so it may be driven after the scratch is reused.
    Chunks(ChunkStream),
}

#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
impl std::fmt::Debug for StreamedBody<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Full(bytes) => f.debug_tuple("Full").field(&bytes.len()).finish(),
            Self::Chunks(_) => f.write_str("Chunks"),
        }
    }
}

/// The shape `finish` writes one answer in: an envelope of this source's style, or a
/// prelude followed by the body.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    Envelope(EnvelopeStyle),
    Streamed,
}

/// Where `finish` left the answer in the scratch's output (which it borrows until the
/// invocation is over, so positions rather than slices).
// A build that cannot stream (no runtime, no dev server) never reads a streamed answer.
#[cfg_attr(
    not(any(feature = "runtime", feature = "dev-server", feature = "__bench")),
    allow(dead_code)
)]
pub(super) enum Written {
    /// The whole output is the envelope.
    Envelope,
    /// The output is the prelude up to `body_start`, then the full body; or, when the body
    /// is the route's stream, nothing after the prelude.
    Streamed {
        body_start: usize,
        chunks: Option<ChunkStream>,
    },
}

#[cfg(any(feature = "runtime", feature = "dev-server", feature = "__bench"))]
impl Written {
    /// The streamed answer `output` holds.
    fn streamed(self, output: &[u8]) -> StreamedAnswer<'_> {
        let (body_start, chunks) = match self {
            Written::Streamed { body_start, chunks } => (body_start, chunks),
            // Not written by a mode that streams every answer; read as a prelude alone.
            Written::Envelope => (output.len(), None),
        };
        let (prelude, rest) = output.split_at(body_start.min(output.len()));
        let body = match chunks {
            Some(chunks) => StreamedBody::Chunks(chunks),
            None => StreamedBody::Full(rest),
        };
        StreamedAnswer { prelude, body }
    }
}

/// How an entry point answers: which shape each answer takes, and what the caller gets.
pub(super) trait Mode {
    /// Ordinary bodies go out raw, never escaped into an envelope (so a JSON body is not
    /// serialized in its envelope-escaped form).
    const RAW_BODIES: bool;
    /// What the caller gets.
    type Output<'s>;
    /// Whether a response with this body is answered streamed (else as an envelope, a
    /// streamed body collected into it).
    fn streams(body: &Body) -> bool;
    /// The caller's answer, from the output and where `finish` left it.
    fn output(output: &[u8], written: Written) -> Self::Output<'_>;
}

/// Every answer an envelope: `App::handle`, Lambda's buffered mode.
pub(super) struct Buffered;

impl Mode for Buffered {
    const RAW_BODIES: bool = false;
    type Output<'s> = &'s [u8];
    fn streams(_: &Body) -> bool {
        false
    }
    fn output(output: &[u8], _: Written) -> &[u8] {
        output
    }
}

/// Every answer streamed: `App::handle_streamed`, Lambda's streamed mode.
#[cfg(any(feature = "runtime", feature = "__bench"))]
struct Streamed;

#[cfg(any(feature = "runtime", feature = "__bench"))]
impl Mode for Streamed {
    const RAW_BODIES: bool = true;
    type Output<'s> = StreamedAnswer<'s>;
    fn streams(_: &Body) -> bool {
        true
    }
    fn output(output: &[u8], written: Written) -> StreamedAnswer<'_> {
        written.streamed(output)
    }
}

/// Streamed routes streamed, every other answer an envelope (limits included, as in
/// Lambda's buffered mode): the dev server's `App::handle_mixed`.
#[cfg(feature = "dev-server")]
struct Mixed;

#[cfg(feature = "dev-server")]
impl Mode for Mixed {
    const RAW_BODIES: bool = false;
    type Output<'s> = Answer<'s>;
    fn streams(body: &Body) -> bool {
        matches!(body, Body::Stream(_))
    }
    fn output(output: &[u8], written: Written) -> Answer<'_> {
        match written {
            Written::Envelope => Answer::Envelope(output),
            streamed => Answer::Streamed(streamed.streamed(output)),
        }
    }
}

impl App {
    /// Answers one event in Lambda's streamed mode: parses `event`, routes it, runs the
    /// handler, and returns the metadata prelude and the body.
    ///
    /// - `prelude` is written into `scratch` with the library's JSON writers (a warm
    ///   invocation of an ordinary route allocates nothing): `statusCode`, `headers` (values
    ///   of a repeated name joined with `", "`) and `cookies`, after the same rules as a
    ///   buffered answer (CORS, cache control, middleware, `Vary`, refusals as 500s; no
    ///   `Content-Length` or `Transfer-Encoding`). A transport writes it, then eight NUL
    ///   bytes, then the body.
    /// - `body` is [`StreamedBody::Full`] for an ordinary route (raw bytes, neither escaped
    ///   nor base64-encoded; gzipped when negotiated) and for every answer the library makes
    ///   itself; [`StreamedBody::Chunks`] for a streamed route.
    ///
    /// No payload limit applies (Lambda's streamed responses have their own, far larger).
    ///
    /// # Errors
    /// A malformed event, as [`handle`](Self::handle).
    #[cfg(feature = "__bench")]
    #[doc(hidden)]
    pub fn handle_streamed<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<StreamedAnswer<'s>, EventError>> {
        self.answer::<Streamed>(scratch, event, lambda)
    }

    /// The runtime's way into [`handle_streamed`](Self::handle_streamed), which is public
    /// only to the crate's own tests and benchmarks.
    #[cfg(all(feature = "runtime", not(feature = "__bench")))]
    pub(crate) fn handle_streamed<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<StreamedAnswer<'s>, EventError>> {
        self.answer::<Streamed>(scratch, event, lambda)
    }

    /// A streamed route's answer as `handle_streamed` gives it, every other as
    /// [`handle`](Self::handle) does: what a local HTTP server shows best (chunks as they
    /// come; ordinary routes exactly as in Lambda's buffered mode).
    #[cfg(feature = "dev-server")]
    pub(crate) fn handle_mixed<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<Answer<'s>, EventError>> {
        self.answer::<Mixed>(scratch, event, lambda)
    }
}
