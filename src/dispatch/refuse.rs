//! Responses that cannot be sent as they are (an invalid header or status, an answer over
//! the payload limit): answered 500, logged, with the route's CORS headers kept.

use crate::app::{App, Finishing};
use crate::event::EventView;
use crate::response::{Body, Fault, Response};
use crate::wire::{EnvelopeBody, WireHeaders, write_prelude};

use super::answer::{Shape, Written};

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
    /// A streamed body of at least `at_least` bytes, collected for an envelope: over `limit`
    /// before it is compressed or encoded.
    BodyTooLarge {
        at_least: usize,
        limit: usize,
    },
}

impl App {
    /// Answers 500 instead of a response that cannot be sent, and logs why (naming the
    /// header, the status, or the route and the sizes); in debug mode the body says it too.
    /// The route's CORS and cache-control headers stay, so a browser can still read the 500.
    #[cold]
    pub(super) fn refuse(
        &self,
        refusal: &Refusal<'_>,
        finishing: &Finishing,
        view: &EventView<'_>,
        shape: Shape,
        output: &mut Vec<u8>,
    ) -> Written {
        let (content_type, body) = self.refusal_body(refusal, finishing, view);
        let mut headers = WireHeaders::new();
        headers.push(("Content-Type", content_type));
        self.add_configured_headers(&mut headers, finishing, view, 500);
        match shape {
            Shape::Envelope(style) => {
                super::write::write_answer(
                    output,
                    (view, None, None),
                    style,
                    500,
                    &headers,
                    &[],
                    EnvelopeBody::Text(body.as_bytes()),
                );
                Written::Envelope
            }
            Shape::Streamed => {
                write_prelude(output, 500, &headers, &[]);
                let body_start = output.len();
                output.extend_from_slice(body.as_bytes());
                Written::Streamed {
                    body_start,
                    chunks: None,
                }
            }
        }
    }

    /// The 500 that replaces a response refused before it is finished (a streamed body too
    /// large to collect), logged as [`refuse`](Self::refuse) logs; it is finished as any
    /// answer of its route.
    #[cold]
    pub(super) fn refusal_response(
        &self,
        refusal: &Refusal<'_>,
        finishing: &Finishing,
        view: &EventView<'_>,
    ) -> Response {
        let (content_type, body) = self.refusal_body(refusal, finishing, view);
        Response::with_body(500, Body::Text(body.into())).content_type(content_type)
    }

    /// Logs why `refusal` is answered 500, and gives the 500's content type and body.
    fn refusal_body(
        &self,
        refusal: &Refusal<'_>,
        finishing: &Finishing,
        view: &EventView<'_>,
    ) -> (&'static str, String) {
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
            Refusal::BodyTooLarge { at_least, limit } => {
                tracing::error!(
                    route = %finishing.route,
                    method = %view.method.escape_debug(),
                    path = %view.path.escape_debug(),
                    at_least,
                    limit,
                    "lambda-router: streamed body larger than the source takes, answering 500"
                );
                format!(
                    "response too large: a streamed body of at least {at_least} bytes, over \
                     the limit of {limit}"
                )
            }
        };
        if self.debug {
            return ("text/plain", reason);
        }
        let message = match refusal {
            Refusal::TooLarge { .. } | Refusal::BodyTooLarge { .. } => "Response too large",
            Refusal::Header(_) | Refusal::Status(_) => "Internal Server Error",
        };
        (
            "application/json",
            format!(r#"{{"statusCode":500,"message":"{message}"}}"#),
        )
    }
}
