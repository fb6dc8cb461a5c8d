//! The two writers of an answer, after `finish` has settled its headers: the envelope
//! (gzipped when negotiated and smaller, within the payload limit) and the streamed answer
//! (the prelude, then the full body or nothing when the body is the route's stream).

use crate::app::App;
use crate::event::EventView;
use crate::response::{Body, ChunkStream, Cookie};
use crate::wire::{
    EnvelopeBody, EnvelopeStyle, WireHeaders, set_library_header, write_envelope, write_prelude,
};

use super::answer::{Shape, Written};
use super::finish::{Outgoing, asks_gzip};
use super::refuse::Refusal;

impl App {
    /// The envelope writer: the body as the envelope carries it, gzipped when negotiated
    /// and smaller, then the limit checked.
    pub(super) fn write_envelope_answer(
        &self,
        answer: &Outgoing<'_>,
        style: EnvelopeStyle,
        headers: &mut WireHeaders<'_>,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) {
        let Outgoing {
            response,
            finishing,
            view,
            no_content,
        } = *answer;
        // A stream was collected before `finish` (`collect_stream`), so it has no bytes here.
        let bytes = answer.body_bytes();
        let is_text = no_content || !matches!(response.body, Body::Binary(_));
        let escaped = matches!(&response.body, Body::Json(json) if json.escaped);
        // An escaped JSON body was only written so where compression cannot happen
        // (`ResponseContext::escapes_json`), so the check is skipped for it. A body the
        // handler already encoded is never encoded again.
        let asked =
            bytes.is_some() && !no_content && !escaped && asks_gzip(response, finishing, headers);
        let compress = self.negotiate_gzip(asked, headers, view);
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
                envelope.write_smaller(headers, bytes, identity, limit, finisher, output);
            }
            _ => envelope.write(headers, identity, output),
        }
        // The service refuses a larger envelope and the client sees a bare 502 while the
        // function's logs look healthy; a clear 500 and an error log instead.
        if output.len() > limit {
            let refusal = Refusal::TooLarge {
                size: output.len(),
                limit,
            };
            output.clear();
            self.refuse(&refusal, finishing, view, Shape::Envelope(style), output);
        }
    }

    /// The streamed writer: the prelude, then the full body (raw, gzipped where that makes
    /// it smaller), or nothing when the body is the route's `chunks` (gzipped as they come
    /// when negotiated). No payload limit applies: Lambda's streamed responses have their
    /// own, far larger.
    pub(super) fn write_streamed_answer(
        &self,
        answer: &Outgoing<'_>,
        chunks: Option<ChunkStream>,
        headers: &mut WireHeaders<'_>,
        finisher: &mut Finisher<'_>,
        output: &mut Vec<u8>,
    ) -> Written {
        let Outgoing {
            response,
            finishing,
            view,
            no_content: _,
        } = *answer;
        let bytes = answer.body_bytes();
        let has_body = chunks.is_some() || bytes.is_some_and(|b| !b.is_empty());
        let asked = has_body && asks_gzip(response, finishing, headers);
        let mut body = bytes.unwrap_or_default();
        let compress = self.negotiate_gzip(asked, headers, view)
            && (chunks.is_some()
                // Gzip only where it makes the body smaller (incompressible bytes grow).
                || match finisher.gzip(body) {
                    Some(gzipped) if gzipped.len() < body.len() => {
                        body = gzipped;
                        true
                    }
                    _ => false,
                });
        #[cfg(feature = "gzip")]
        let chunks = match chunks {
            Some(stream) if compress => Some(crate::wire::gzip_chunks(stream)),
            chunks => chunks,
        };
        if compress {
            set_library_header(headers, "Content-Encoding", "gzip");
        }
        write_prelude(output, response.status, headers, &response.cookies);
        let body_start = output.len();
        if chunks.is_none() {
            output.extend_from_slice(body);
        }
        Written::Streamed { body_start, chunks }
    }
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
    pub(super) gzip: &'s mut Option<crate::wire::Gzip>,
}

impl Finisher<'_> {
    /// Gzips `bytes` into the reused buffer (`None` without the `gzip` feature).
    pub(super) fn gzip(&mut self, bytes: &[u8]) -> Option<&[u8]> {
        #[cfg(feature = "gzip")]
        {
            self.gzip
                .get_or_insert_with(crate::wire::Gzip::new)
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
