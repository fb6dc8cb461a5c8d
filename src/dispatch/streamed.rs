//! Streamed answers: the metadata prelude and the body a transport sends in Lambda's
//! streaming mode (and the dev server as chunked HTTP); and, in buffered mode, a streamed
//! body collected into one.
//!
//! The headers, CORS, cookies, cache control and refusals are `finish.rs`'s rules, called
//! from here; only where the answer is written differs.

use crate::app::{App, Finishing};
use crate::error::Error;
use crate::event::{EventError, EventView};
use crate::request::LambdaContext;
use crate::response::{
    Body, BoxError, ChunkStream, Response, ResponseContext, guarded, next_chunk,
};
use crate::scratch::Scratch;
use crate::wire::{WireHeaders, set_library_header, write_prelude};

use super::deadline::{
    DeadlineGuard, chunks_within_deadline, collected_within_deadline, gateway_timeout,
};
use super::finish::{Finisher, asks_gzip, forbids_content};
use super::refuse::{Refusal, Sink};

/// How an invocation is answered: a type, so that each way is its own monomorphic path
/// (the buffered one pays nothing for the others).
pub(super) trait Delivery {
    /// Bodies go out raw, never escaped into an envelope (JSON is not pre-escaped).
    const RAW_BODIES: bool;
    /// What the caller gets.
    type Answer<'s>;
    /// Whether a response with this body is answered as a prelude and a body (else as one
    /// proxy-response envelope, a streamed body collected into it).
    fn streams(body: &Body) -> bool;
    /// The answer, from the output and what `answer` left besides.
    fn answer(output: &[u8], answered: Answered) -> Self::Answer<'_>;
}

/// One proxy-response envelope: `App::handle`.
pub(super) struct Buffered;

impl Delivery for Buffered {
    const RAW_BODIES: bool = false;
    type Answer<'s> = &'s [u8];
    fn streams(_: &Body) -> bool {
        false
    }
    fn answer(output: &[u8], _: Answered) -> &[u8] {
        output
    }
}

/// A prelude and a body: `App::handle_streamed`.
pub(super) struct Streamed;

impl Delivery for Streamed {
    const RAW_BODIES: bool = true;
    type Answer<'s> = StreamedAnswer<'s>;
    fn streams(_: &Body) -> bool {
        true
    }
    fn answer(output: &[u8], answered: Answered) -> StreamedAnswer<'_> {
        streamed_answer(output, answered)
    }
}

/// A streamed route's answer as a prelude and its chunks, every other as one envelope:
/// the dev server's way (see [`Mixed`]).
#[cfg(feature = "dev-server")]
pub(crate) enum MixedAnswer<'s> {
    Envelope(&'s [u8]),
    Streamed(StreamedAnswer<'s>),
}

/// Streamed routes streamed, the others buffered (their envelope, limits included, as in
/// Lambda's default mode): `App::handle_mixed`.
#[cfg(feature = "dev-server")]
pub(super) struct Mixed;

#[cfg(feature = "dev-server")]
impl Delivery for Mixed {
    const RAW_BODIES: bool = false;
    type Answer<'s> = MixedAnswer<'s>;
    fn streams(body: &Body) -> bool {
        matches!(body, Body::Stream(_))
    }
    fn answer(output: &[u8], answered: Answered) -> MixedAnswer<'_> {
        if answered.prelude {
            MixedAnswer::Streamed(streamed_answer(output, answered))
        } else {
            MixedAnswer::Envelope(output)
        }
    }
}

fn streamed_answer(output: &[u8], answered: Answered) -> StreamedAnswer<'_> {
    let (prelude, rest) = output.split_at(answered.body_start.min(output.len()));
    let body = match answered.chunks {
        Some(chunks) => StreamedBody::Chunks(chunks),
        None => StreamedBody::Complete(rest),
    };
    StreamedAnswer { prelude, body }
}

/// What `answer` leaves besides `scratch.output`.
pub(super) struct Answered {
    /// The output is a prelude (and maybe a body), not an envelope.
    #[cfg_attr(not(feature = "dev-server"), allow(dead_code))]
    pub(super) prelude: bool,
    /// Where the body starts in the output (after the prelude).
    pub(super) body_start: usize,
    /// The route's chunks, when its body is a stream sent as it comes.
    pub(super) chunks: Option<ChunkStream>,
}

impl Answered {
    pub(super) const BUFFERED: Self = Self {
        prelude: false,
        body_start: 0,
        chunks: None,
    };
}

/// One event answered in streaming mode (see [`App::handle_streamed`]).
#[derive(Debug)]
pub struct StreamedAnswer<'s> {
    /// The metadata prelude: `{"statusCode":200,"headers":{...},"cookies":[...]}` (compact
    /// JSON, no delimiter: the transport writes the eight NUL bytes after it).
    pub prelude: &'s [u8],
    /// The body, to send after the prelude and its delimiter.
    pub body: StreamedBody<'s>,
}

/// The body of a [`StreamedAnswer`].
pub enum StreamedBody<'s> {
    /// The whole body, already written (an ordinary route, or an error answer): send it as
    /// one chunk (nothing to send when empty).
    Complete(&'s [u8]),
    /// The route's stream (gzipped already when the answer is): send each chunk as it comes;
    /// an `Err` ends the body early (the library has logged it; under Lambda, report it in
    /// the error trailers). `'static`, so it may be driven after the scratch is reused.
    Chunks(ChunkStream),
}

impl std::fmt::Debug for StreamedBody<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Complete(bytes) => f.debug_tuple("Complete").field(&bytes.len()).finish(),
            Self::Chunks(_) => f.write_str("Chunks"),
        }
    }
}

impl App {
    /// Answers one event in streaming mode, for a transport that sends Lambda's streamed
    /// response (or chunked HTTP): parses `event`, routes it, runs the handler, and returns
    /// the metadata prelude and the body.
    ///
    /// - `prelude` is written into `scratch` with the library's JSON writers (a warm
    ///   invocation of an ordinary route allocates nothing): `statusCode`, `headers` (values
    ///   of a repeated name joined with `", "`) and `cookies`, after the same rules as a
    ///   buffered answer (CORS, cache control, middleware, `Vary`, refusals as 500s; no
    ///   `Content-Length` or `Transfer-Encoding`). A transport writes it, then eight NUL
    ///   bytes, then the body.
    /// - `body` is [`StreamedBody::Complete`] for an ordinary route (raw bytes, neither
    ///   escaped nor base64-encoded; gzipped when negotiated) and for every answer the
    ///   library makes itself; [`StreamedBody::Chunks`] for a streamed route.
    ///
    /// No payload limit applies (Lambda's streamed responses have their own, far larger).
    /// Which sources can stream under Lambda: [`Source::supports_streaming`](crate::Source::supports_streaming).
    ///
    /// # Errors
    /// A malformed event, as [`handle`](Self::handle).
    #[doc(hidden)]
    pub fn handle_streamed<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<StreamedAnswer<'s>, EventError>> {
        self.answer::<Streamed>(scratch, event, lambda)
    }

    /// A streamed route's answer as [`handle_streamed`](Self::handle_streamed) gives it,
    /// every other as [`handle`](Self::handle) does: what a local HTTP server shows best
    /// (chunks as they come; ordinary routes exactly as in Lambda's default, buffered mode).
    #[cfg(feature = "dev-server")]
    pub(crate) fn handle_mixed<'s>(
        &self,
        scratch: &'s mut Scratch,
        event: &[u8],
        lambda: &LambdaContext,
    ) -> impl Future<Output = Result<MixedAnswer<'s>, EventError>> {
        self.answer::<Mixed>(scratch, event, lambda)
    }

    /// Writes the prelude and, unless the body is a stream, the body after it; the same
    /// header rules as [`finish`](Self::finish). A streamed body is guarded: a panic or an
    /// error ends it (logged), and so does the route's deadline guard.
    #[allow(clippy::too_many_arguments)] // the parts of one invocation, borrowed apart
    pub(super) fn finish_streamed(
        &self,
        response: &mut Response,
        finishing: &Finishing,
        preflight: bool,
        view: &EventView<'_>,
        lambda: &LambdaContext,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) -> Answered {
        let mut chunks = match std::mem::take(&mut response.body) {
            Body::Stream(stream) => {
                let chunks = guarded(stream.into_chunks(), Some(&finishing.route));
                Some(chunks_within_deadline(
                    chunks,
                    deadline_guard(finishing, view),
                    lambda,
                ))
            }
            body => {
                response.body = body;
                None
            }
        };
        let response: &Response = response;
        let mut headers = WireHeaders::new();
        if let Err(refusal) = self.wire_headers(&mut headers, response, finishing, preflight, view)
        {
            let body_start = self.refuse(&refusal, finishing, view, Sink::Prelude, output);
            return Answered {
                prelude: true,
                body_start,
                chunks: None,
            };
        }
        let no_content = forbids_content(response.status);
        if no_content {
            chunks = None;
        }
        let bytes = match &response.body {
            _ if no_content => response.body.as_bytes().filter(|b| b.is_empty()),
            body => body.as_bytes(),
        };
        let has_body = chunks.is_some() || bytes.is_some_and(|b| !b.is_empty());
        let asked = has_body && asks_gzip(response, finishing, &headers);
        let mut compress = self.negotiate_gzip(asked, &mut headers, view);
        let mut body = bytes.unwrap_or_default();
        if compress {
            match chunks {
                #[cfg(feature = "gzip")]
                Some(stream) => chunks = Some(crate::wire::gzip_chunks(stream)),
                #[cfg(not(feature = "gzip"))]
                Some(_) => {}
                // Gzip only where it makes the body smaller (incompressible bytes grow).
                None => match finisher.gzip(body) {
                    Some(gzipped) if gzipped.len() < body.len() => body = gzipped,
                    _ => compress = false,
                },
            }
        }
        if compress {
            set_library_header(&mut headers, "Content-Encoding", "gzip");
        }
        write_prelude(output, response.status, &headers, &response.cookies);
        let body_start = output.len();
        if chunks.is_none() {
            output.extend_from_slice(body);
        }
        Answered {
            prelude: true,
            body_start,
            chunks,
        }
    }

    /// A streamed body collected for a buffered answer, within the route's deadline guard
    /// (504 when it is still being produced at the guard, logged) and the payload limit: a
    /// body larger than the limit is answered "Response too large" (500, logged) as soon as
    /// a chunk would take it over, before that chunk is copied. A stream that fails answers
    /// as an unhandled error (500, logged).
    pub(super) async fn collect_stream(
        &self,
        mut response: Response,
        finishing: &Finishing,
        view: &EventView<'_>,
        lambda: &LambdaContext,
        cx: ResponseContext<'_>,
    ) -> Response {
        let Body::Stream(stream) = std::mem::take(&mut response.body) else {
            return response;
        };
        let chunks = guarded(stream.into_chunks(), None);
        let limit = self.buffered_limit(view);
        let guard = deadline_guard(finishing, view);
        let collected =
            collected_within_deadline(collect_within(chunks, limit), guard, lambda).await;
        let bytes = match collected {
            None => return gateway_timeout(),
            Some(Ok(bytes)) => bytes,
            Some(Err(Uncollected::Failed(error))) => {
                return self.unhandled(&Error::from_boxed(error), cx);
            }
            Some(Err(Uncollected::TooLarge { at_least })) => {
                let refusal = Refusal::BodyTooLarge { at_least, limit };
                return self.refusal_response(&refusal, finishing, view);
            }
        };
        response.body = match String::from_utf8(bytes) {
            Ok(text) => Body::Text(text.into()),
            Err(binary) => Body::Binary(binary.into_bytes().into()),
        };
        response
    }
}

/// The route's deadline guard for this event, if it has one.
fn deadline_guard<'a>(finishing: &'a Finishing, view: &EventView<'a>) -> Option<DeadlineGuard<'a>> {
    finishing.deadline_margin.map(|margin| DeadlineGuard {
        margin,
        route: &finishing.route,
        method: view.method,
        path: view.path,
    })
}

/// Why a streamed body was not collected.
enum Uncollected {
    /// The stream ended with this error.
    Failed(BoxError),
    /// The next chunk would take the body past the limit: at least this many bytes.
    TooLarge { at_least: usize },
}

/// Every chunk of `chunks`, as long as the body stays within `limit` bytes: each chunk is
/// checked before it is copied, so a chunk of any size past the limit costs nothing more.
async fn collect_within(mut chunks: ChunkStream, limit: usize) -> Result<Vec<u8>, Uncollected> {
    let mut collected = Vec::new();
    while let Some(chunk) = next_chunk(&mut chunks).await {
        let chunk = chunk.map_err(Uncollected::Failed)?;
        let size = collected.len().saturating_add(chunk.len());
        if size > limit {
            return Err(Uncollected::TooLarge { at_least: size });
        }
        collected.extend_from_slice(&chunk);
    }
    Ok(collected)
}
