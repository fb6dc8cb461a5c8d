//! The last step of an invocation: CORS, cache control and compression added to the
//! handler's response, the response checked, and the envelope written: gzipped when the
//! route compresses and the client takes it, unless the gzipped envelope is over the limit
//! or larger than the plain one (gzip and base64 make incompressible bodies grow).

use crate::app::{App, Finishing};
use crate::event::EventView;
use crate::response::{
    Body, Cookie, EnvelopeBody, EnvelopeStyle, Response, WireHeaders, add_vary, check_response,
    handler_headers, has_content_coding, set_library_header, write_envelope,
};
use crate::source::EnvelopeOptions;

use super::refuse::{Refusal, Sink};

impl App {
    /// Adds CORS, cache control and compression, then writes the envelope.
    pub(super) fn finish(
        &self,
        response: &Response,
        finishing: &Finishing,
        preflight: bool,
        view: &EventView<'_>,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) {
        let style = self.envelope_style(view);
        let sink = Sink::Envelope(style);
        let mut headers = WireHeaders::new();
        if let Err(refusal) = self.wire_headers(&mut headers, response, finishing, preflight, view)
        {
            self.refuse(&refusal, finishing, view, sink, output);
            return;
        }
        // 1xx, 204 and 304 answers have no content (RFC 9110 §6.4.1): whatever the handler
        // put there is not sent (an empty body stays as given: `""` is no content), let
        // alone compressed.
        let no_content = forbids_content(response.status);
        let (bytes, is_text) = match &response.body {
            Body::Empty => (None, false),
            body if no_content => (body.as_bytes().filter(|b| b.is_empty()), true),
            Body::Text(text) => (Some(text.as_bytes()), true),
            Body::Json(json) => (Some(json.as_bytes()), true),
            Body::Binary(bytes) => (Some(bytes.as_ref()), false),
            // Collected before `finish` (`collect_stream`); never written as a stream here.
            Body::Stream(_) => (None, false),
        };
        let escaped = matches!(&response.body, Body::Json(json) if json.escaped);
        // An escaped JSON body was only written so where compression cannot happen
        // (`envelope_ready`), so the check is skipped for it. A body the handler already
        // encoded is never encoded again.
        let asked =
            bytes.is_some() && !no_content && !escaped && asks_gzip(response, finishing, &headers);
        let compress = self.negotiate_gzip(asked, &mut headers, view);
        let identity = match bytes {
            None => EnvelopeBody::None,
            Some(bytes) if escaped => EnvelopeBody::Escaped(bytes),
            Some(bytes) if is_text => EnvelopeBody::Text(bytes),
            Some(bytes) => EnvelopeBody::Base64(bytes),
        };
        let envelope = Envelope {
            view,
            session: response.agent_session.as_deref(),
            state: response.agent_state,
            style,
            status: response.status,
            cookies: &response.cookies,
        };
        let limit = self.buffered_limit(view);
        match bytes {
            Some(bytes) if compress => {
                envelope.write_smaller(&headers, bytes, identity, limit, finisher, output);
            }
            _ => envelope.write(&headers, identity, output),
        }
        // The service refuses a larger envelope and the client sees a bare 502 while the
        // function's logs look healthy; a clear 500 and an error log instead.
        if output.len() > limit {
            let refusal = Refusal::TooLarge {
                size: output.len(),
                limit,
            };
            output.clear();
            self.refuse(&refusal, finishing, view, sink, output);
        }
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

    fn envelope_style(&self, view: &EventView<'_>) -> EnvelopeStyle {
        let options = EnvelopeOptions {
            alb_join_repeated_headers: self.alb_join_repeated_headers,
        };
        (view.source.def().envelope)(view, &options)
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
pub(super) fn forbids_content(status: u16) -> bool {
    matches!(status, 100..=199 | 204 | 304)
}

/// What a buffered envelope says besides its headers and body.
struct Envelope<'r> {
    view: &'r EventView<'r>,
    /// The session attributes a Bedrock agent's answer carries.
    session: Option<&'r crate::bedrock::AgentSession>,
    /// The state a tool's answer asks the agent to take.
    state: Option<crate::bedrock::ResponseState>,
    style: EnvelopeStyle,
    status: u16,
    cookies: &'r [Cookie],
}

/// Room for `"Content-Encoding":["gzip"]` and its comma in any envelope style, and the
/// `isBase64Encoded` value's length difference.
const CODING_HEADER_ROOM: usize = 32;

impl Envelope<'_> {
    fn write(&self, headers: &[(&str, &str)], body: EnvelopeBody<'_>, output: &mut Vec<u8>) {
        write_answer(
            output,
            (self.view, self.session, self.state),
            self.style,
            self.status,
            headers,
            self.cookies,
            body,
        );
    }

    /// Writes the envelope with `bytes` gzipped, unless the one with the `identity` body is
    /// the one to send: when the gzipped envelope is over `limit`, or larger than the
    /// identity one (gzip and base64 make incompressible bytes grow by a third).
    fn write_smaller(
        &self,
        headers: &WireHeaders<'_>,
        bytes: &[u8],
        identity: EnvelopeBody<'_>,
        limit: usize,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) {
        let Some(gzipped) = finisher.gzip(bytes) else {
            return self.write(headers, identity, output);
        };
        let gzipped_size = gzipped.len().div_ceil(3).saturating_mul(4);
        let mut coded = headers.clone();
        set_library_header(&mut coded, "Content-Encoding", "gzip");
        self.write(&coded, EnvelopeBody::Base64(gzipped), output);
        // Escaping and base64 only add: the identity body takes at least `bytes.len()`, so
        // a gzipped body smaller by more than its header needs no comparison.
        let surely_smaller = gzipped_size.saturating_add(CODING_HEADER_ROOM) <= bytes.len();
        if surely_smaller && output.len() <= limit {
            return;
        }
        // The gzipped bytes are in the envelope now: their buffer takes the identity one.
        // (Copied back rather than swapped, so that each buffer keeps its role and its size
        // from one invocation to the next.)
        let spare = &mut *finisher.compressed;
        spare.clear();
        self.write(headers, identity, spare);
        if output.len() > limit || spare.len() < output.len() {
            output.clear();
            output.extend_from_slice(spare);
        }
    }
}

/// Writes a buffered answer: the source's envelope, or an agent's answer (which echoes
/// the event and may carry the session the handler set).
pub(super) fn write_answer(
    output: &mut Vec<u8>,
    (view, session, state): (
        &EventView<'_>,
        Option<&crate::bedrock::AgentSession>,
        Option<crate::bedrock::ResponseState>,
    ),
    style: EnvelopeStyle,
    status: u16,
    headers: &[(&str, &str)],
    cookies: &[crate::response::Cookie],
    body: EnvelopeBody<'_>,
) {
    match style {
        EnvelopeStyle::BedrockAgent => {
            crate::source::bedrock_agent::write_envelope(
                output, view, session, status, headers, body,
            );
        }
        EnvelopeStyle::BedrockAgentFunction => {
            crate::source::bedrock_agent_function::write_envelope(
                output, view, session, state, body,
            );
        }
        style => write_envelope(output, style, status, headers, cookies, body),
    }
}

/// The scratch parts compression writes into.
pub(super) struct Finisher<'s> {
    pub(super) compressed: &'s mut Vec<u8>,
    #[cfg(feature = "gzip")]
    pub(super) gzip: &'s mut Option<crate::response::Gzip>,
}

impl Finisher<'_> {
    /// Gzips `bytes` into the reused buffer (`None` without the `gzip` feature).
    pub(super) fn gzip(&mut self, bytes: &[u8]) -> Option<&[u8]> {
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

/// Whether the request's `Accept-Encoding` takes gzip.
pub(super) fn accepts_gzip(view: &EventView<'_>) -> bool {
    view.headers
        .get("accept-encoding")
        .is_some_and(crate::response::accepts_gzip)
}
