//! The last step of an invocation: CORS, cache control and compression added to the
//! handler's response, the response checked, and the envelope written.

use crate::app::{App, Finishing};
use crate::event::EventView;
use crate::response::{
    Body, EnvelopeBody, EnvelopeStyle, Fault, Response, WireHeaders, add_vary, check_response,
    handler_headers, has_content_coding, set_library_header, write_envelope, write_prelude,
};
use crate::source::EnvelopeOptions;

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
        let body = match bytes {
            None => EnvelopeBody::None,
            Some(bytes) if escaped => EnvelopeBody::Escaped(bytes),
            Some(bytes) if compress => match finisher.gzip(bytes) {
                Some(gzipped) => {
                    set_library_header(&mut headers, "Content-Encoding", "gzip");
                    EnvelopeBody::Base64(gzipped)
                }
                None if is_text => EnvelopeBody::Text(bytes),
                None => EnvelopeBody::Base64(bytes),
            },
            Some(bytes) if is_text => EnvelopeBody::Text(bytes),
            Some(bytes) => EnvelopeBody::Base64(bytes),
        };
        write_answer(
            output,
            (view, response.agent_session.as_deref()),
            style,
            response.status,
            &headers,
            &response.cookies,
            body,
        );
        // The service refuses a larger envelope and the client sees a bare 502 while the
        // function's logs look healthy; a clear 500 and an error log instead.
        let limit = self.buffered_limit(view);
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
        if preflight {
            set_library_header(
                headers,
                "Access-Control-Allow-Methods",
                self.preflight_methods.as_str(),
            );
        }
        self.add_configured_headers(headers, finishing, view, response.status);
        // Never write a header or cookie that could split or smuggle a response.
        check_response(headers, &response.cookies).map_err(Refusal::Header)
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
    fn add_configured_headers<'h>(
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

/// Where an answer is written: a buffered envelope of this style, or a streamed answer's
/// prelude followed by its body.
#[derive(Clone, Copy)]
pub(super) enum Sink {
    Envelope(EnvelopeStyle),
    Prelude,
}

/// Why a handler's response cannot be written as it is.
pub(super) enum Refusal<'a> {
    Header(Fault<'a>),
    /// Outside 100–599: no HTTP status, and API Gateway answers such a response 502.
    Status(u16),
    /// An envelope of `size` bytes, over the source's (or the app's) `limit`.
    TooLarge {
        size: usize,
        limit: usize,
    },
}

impl App {
    /// Answers 500 instead of a response that cannot be sent, and logs why (naming the
    /// header, the status, or the route and the sizes); in debug mode the body says it too. The route's CORS and
    /// cache-control headers stay, so a browser can still read the 500.
    ///
    /// Returns where the body starts in `output` (a prelude's length; the envelope's for a
    /// buffered answer).
    #[cold]
    pub(super) fn refuse(
        &self,
        refusal: &Refusal<'_>,
        finishing: &Finishing,
        view: &EventView<'_>,
        sink: Sink,
        output: &mut Vec<u8>,
    ) -> usize {
        let reason = match refusal {
            Refusal::Header(fault) => {
                let error = fault.to_error();
                tracing::error!(
                    header = %error.name().escape_debug(),
                    error = %error,
                    "lambda-router: invalid response header or cookie, answering 500"
                );
                error.to_string()
            }
            Refusal::Status(status) => {
                tracing::error!(
                    status = *status,
                    "lambda-router: response status outside 100-599, answering 500"
                );
                format!("invalid response status {status}: it must be within 100-599")
            }
            Refusal::TooLarge { size, limit } => {
                tracing::error!(
                    route = %finishing.route,
                    method = %view.method.escape_debug(),
                    path = %view.path.escape_debug(),
                    size,
                    limit,
                    "lambda-router: response larger than the source takes, answering 500"
                );
                format!("response too large: {size} bytes, over the limit of {limit}")
            }
        };
        let (content_type, body) = if self.debug {
            ("text/plain", reason)
        } else {
            let message = match refusal {
                Refusal::TooLarge { .. } => "Response too large",
                Refusal::Header(_) | Refusal::Status(_) => "Internal Server Error",
            };
            (
                "application/json",
                format!(r#"{{"statusCode":500,"message":"{message}"}}"#),
            )
        };
        let mut headers = WireHeaders::new();
        headers.push(("Content-Type", content_type));
        self.add_configured_headers(&mut headers, finishing, view, 500);
        match sink {
            Sink::Envelope(style) => write_answer(
                output,
                (view, None),
                style,
                500,
                &headers,
                &[],
                EnvelopeBody::Text(body.as_bytes()),
            ),
            Sink::Prelude => {
                write_prelude(output, 500, &headers, &[]);
                let body_start = output.len();
                output.extend_from_slice(body.as_bytes());
                return body_start;
            }
        }
        output.len()
    }
}

/// Writes a buffered answer: the source's envelope, or an agent's answer (which echoes
/// the event and may carry the session the handler set).
fn write_answer(
    output: &mut Vec<u8>,
    (view, session): (&EventView<'_>, Option<&crate::bedrock::AgentSession>),
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
