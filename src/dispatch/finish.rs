//! The last step of an invocation: CORS, cache control and compression added to the
//! handler's response, the response checked, and the envelope written.

use smallvec::SmallVec;

use crate::app::{App, Finishing};
use crate::event::{EventView, Source};
use crate::response::{
    Body, EnvelopeBody, EnvelopeStyle, Fault, Response, check_response, write_envelope,
};

/// Room for a response's headers as written (its own, CORS, cache control, encoding).
type WireHeaders<'h> = SmallVec<[(&'h str, &'h str); 20]>;

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
            Body::Json(json) => (Some(json.as_bytes()), true),
            Body::Binary(bytes) => (Some(bytes.as_ref()), false),
        };
        let escaped = matches!(&response.body, Body::Json(json) if json.escaped);
        // An escaped JSON body was only written so where compression cannot happen
        // (`envelope_ready`), so the check is skipped for it.
        let compress =
            !escaped && response.compression().unwrap_or(finishing.compress) && accepts_gzip(view);
        let body = match bytes {
            None => EnvelopeBody::None,
            Some(bytes) if escaped => EnvelopeBody::Escaped(bytes),
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
pub(super) struct Finisher<'s> {
    pub(super) compressed: &'s mut Vec<u8>,
    #[cfg(feature = "gzip")]
    pub(super) gzip: &'s mut Option<crate::response::Gzip>,
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

/// Whether the request's `Accept-Encoding` takes gzip.
fn accepts_gzip(view: &EventView<'_>) -> bool {
    view.headers
        .get("accept-encoding")
        .is_some_and(crate::response::accepts_gzip)
}
