//! The last step of an invocation, one pipeline for both shapes of an answer: the
//! handler's headers checked and the library's added (CORS, cache control, `Vary`), content
//! left out where the status forbids it, gzip negotiated; then one of two writers. An
//! envelope is gzipped when the route compresses and the client takes it, unless the gzipped
//! envelope is over the limit or larger than the plain one (gzip and base64 make
//! incompressible bodies grow); a streamed answer's prelude is followed by its body, gzipped
//! where that makes it smaller, or by nothing when the body is the route's stream.

use crate::app::{App, Finishing};
use crate::event::EventView;
use crate::request::LambdaContext;
use crate::response::{Body, ChunkStream, Response, check_response, guarded};
use crate::source::EnvelopeOptions;
use crate::wire::{WireHeaders, add_vary, handler_headers, has_content_coding, set_library_header};

use super::answer::{Shape, Written};
use super::deadline::{DeadlineGuard, chunks_within_deadline};
use super::refuse::Refusal;
use super::write::Finisher;

impl App {
    /// Adds CORS, cache control and compression, then writes the answer in `shape`. A
    /// streamed route's body is guarded: a panic or an error ends it (logged), and so does
    /// the route's deadline guard.
    #[allow(clippy::too_many_arguments)] // the parts of one invocation, borrowed apart
    pub(super) fn finish(
        &self,
        response: &mut Response,
        finishing: &Finishing,
        preflight: bool,
        view: &EventView<'_>,
        lambda: &LambdaContext,
        shape: Shape,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) -> Written {
        let chunks = match shape {
            Shape::Streamed => take_chunks(response, finishing, view, lambda),
            Shape::Envelope(_) => None,
        };
        let response: &Response = response;
        let mut headers = WireHeaders::new();
        if let Err(refusal) = self.wire_headers(&mut headers, response, finishing, preflight, view)
        {
            return self.refuse(&refusal, finishing, view, shape, output);
        }
        // 1xx, 204 and 304 answers have no content (RFC 9110 §6.4.1): whatever the handler
        // put there is not sent (an empty body stays as given: `""` is no content), let
        // alone compressed.
        let no_content = forbids_content(response.status);
        let answer = Outgoing {
            response,
            finishing,
            view,
            no_content,
        };
        match shape {
            Shape::Envelope(style) => {
                self.write_envelope_answer(&answer, style, &mut headers, finisher, output);
                Written::Envelope
            }
            Shape::Streamed => {
                let chunks = chunks.filter(|_| !no_content);
                self.write_streamed_answer(&answer, chunks, &mut headers, finisher, output)
            }
        }
    }

    /// The shape of a buffered answer: the envelope style of the event's source.
    pub(super) fn envelope_shape(&self, view: &EventView<'_>) -> Shape {
        let options = EnvelopeOptions {
            alb_join_repeated_headers: self.alb_join_repeated_headers,
        };
        Shape::Envelope((view.source.def().envelope)(view, &options))
    }

    /// The largest envelope a buffered answer may take: the app's setting, else the
    /// source's.
    pub(super) fn buffered_limit(&self, view: &EventView<'_>) -> usize {
        self.response_limit
            .unwrap_or(view.source.def().response_limit)
    }

    /// Fills `headers` (empty) with those of `response` as they go out (the handler's less
    /// framing, then the library's: pre-flight methods, CORS, cache control), or says why it
    /// cannot be sent (a status outside 100–599, a header or cookie that could split the
    /// response). The one home of these rules for buffered and streamed answers alike.
    /// (An out-parameter: returning the inline list by value costs two copies of it.)
    #[inline]
    pub(super) fn wire_headers<'h>(
        &'h self,
        headers: &mut WireHeaders<'h>,
        response: &'h Response,
        finishing: &'h Finishing,
        preflight: bool,
        view: &EventView<'h>,
    ) -> Result<(), Refusal<'h>> {
        if !(100..=599).contains(&response.status) {
            return Err(Refusal::Status(response.status));
        }
        headers.extend(handler_headers(
            response
                .headers
                .iter()
                .map(|(n, v)| (n.as_ref(), v.as_ref())),
        ));
        // Never write a header or cookie that could split or smuggle a response. Only the
        // handler's are checked here: the library's own (CORS, cache control, methods, the
        // coding and `Vary` tokens) were checked when the app was built, and a request's
        // `Origin` is echoed only when it equals an allowed one.
        check_response(headers, &response.cookies).map_err(Refusal::Header)?;
        if preflight {
            set_library_header(
                headers,
                "Access-Control-Allow-Methods",
                self.preflight_methods.as_str(),
            );
        }
        self.add_configured_headers(headers, finishing, view, response.status);
        Ok(())
    }

    /// Given that the route asks for gzip (`asked`), whether this request gets it; a
    /// compressing answer varies on `Accept-Encoding` whether or not this request takes gzip.
    #[inline]
    pub(super) fn negotiate_gzip(
        &self,
        asked: bool,
        headers: &mut WireHeaders<'_>,
        view: &EventView<'_>,
    ) -> bool {
        let compressible = cfg!(feature = "gzip") && asked;
        if compressible && self.vary {
            add_vary(headers, "Accept-Encoding");
        }
        compressible && accepts_gzip(view)
    }

    /// The route's CORS and cache-control headers, which replace the handler's own.
    pub(super) fn add_configured_headers<'h>(
        &self,
        headers: &mut WireHeaders<'h>,
        finishing: &'h Finishing,
        view: &EventView<'h>,
        status: u16,
    ) {
        if let Some(cors) = &finishing.cors {
            // The first `Origin`, as Powertools reads it: a second one is never echoed.
            let echoed = cors.apply(view.headers.first_value("origin"), headers);
            if echoed && self.vary {
                add_vary(headers, "Origin");
            }
        }
        if let Some(cache_control) = &finishing.cache_control {
            let value = if status == 200 {
                cache_control.as_str()
            } else {
                "no-cache"
            };
            set_library_header(headers, "Cache-Control", value);
        }
    }
}

/// Whether the response (or else its route) asks for compression, and its headers name no
/// content coding of their own (a body the handler encoded is never encoded again).
#[inline]
pub(super) fn asks_gzip(
    response: &Response,
    finishing: &Finishing,
    headers: &WireHeaders<'_>,
) -> bool {
    response.compression().unwrap_or(finishing.compress) && !has_content_coding(headers)
}

/// Statuses whose answers carry no content (RFC 9110 §15.2, §15.3.5, §15.4.5).
fn forbids_content(status: u16) -> bool {
    matches!(status, 100..=199 | 204 | 304)
}

/// What both writers read of the answer going out.
#[derive(Clone, Copy)]
pub(super) struct Outgoing<'r> {
    pub(super) response: &'r Response,
    pub(super) finishing: &'r Finishing,
    pub(super) view: &'r EventView<'r>,
    /// The status forbids content (`forbids_content`).
    pub(super) no_content: bool,
}

impl<'r> Outgoing<'r> {
    /// The body's bytes as they go out: none where the status forbids content, except an
    /// empty body, which is written as one.
    pub(super) fn body_bytes(&self) -> Option<&'r [u8]> {
        let bytes = self.response.body.as_bytes();
        if self.no_content {
            bytes.filter(|b| b.is_empty())
        } else {
            bytes
        }
    }
}

/// A streamed route's chunks, taken out of its body, guarded (a panic or an error ends
/// them, logged) and cut at the route's deadline guard.
fn take_chunks(
    response: &mut Response,
    finishing: &Finishing,
    view: &EventView<'_>,
    lambda: &LambdaContext,
) -> Option<ChunkStream> {
    match std::mem::take(&mut response.body) {
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
    }
}

/// The route's deadline guard for this event, if it has one.
pub(super) fn deadline_guard<'a>(
    finishing: &'a Finishing,
    view: &EventView<'a>,
) -> Option<DeadlineGuard<'a>> {
    finishing.deadline_margin.map(|margin| DeadlineGuard {
        margin,
        route: &finishing.route,
        method: view.method,
        path: view.path,
    })
}

/// Whether the request's `Accept-Encoding` takes gzip.
pub(super) fn accepts_gzip(view: &EventView<'_>) -> bool {
    view.headers
        .get("accept-encoding")
        .is_some_and(crate::wire::accepts_gzip)
}
