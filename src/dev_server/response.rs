//! The HTTP response for the app's proxy response, or for its streamed answer (prelude and
//! body).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::HeaderValue;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use serde_json::{Map, Value};

use crate::{BoxError, ChunkStream};

/// The body of what the dev server answers: whole, or chunks sent as they come (hyper
/// frames those with chunked transfer encoding).
pub(super) type DevBody = UnsyncBoxBody<Bytes, BoxError>;

/// What the dev server answers.
pub(super) type HttpResponse = hyper::Response<DevBody>;

/// A body of these bytes.
pub(super) fn full(bytes: Bytes) -> DevBody {
    Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A body sent chunk by chunk as `chunks` produces them; an error aborts the response (the
/// client sees a body cut short).
pub(super) fn chunked(chunks: ChunkStream) -> DevBody {
    StreamBody::new(Frames(chunks)).boxed_unsync()
}

struct Frames(ChunkStream);

impl Stream for Frames {
    type Item = Result<Frame<Bytes>, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
    }
}

/// A text response of the dev server itself (not of the app).
pub(super) fn plain(status: u16, text: String) -> HttpResponse {
    let mut response = hyper::Response::new(full(Bytes::from(text)));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The HTTP response for a proxy response (any source's shape).
pub(super) fn from_proxy_response(proxy: &[u8]) -> HttpResponse {
    let Ok(Value::Object(proxy)) = serde_json::from_slice::<Value>(proxy) else {
        return plain(502, "the app's response is not a JSON object".to_owned());
    };
    let body = match proxy.get("body").and_then(Value::as_str) {
        None => Bytes::new(),
        Some(text) if proxy.get("isBase64Encoded") == Some(&Value::Bool(true)) => {
            match base64_simd::STANDARD.decode_to_vec(text) {
                Ok(bytes) => Bytes::from(bytes),
                Err(_) => return plain(502, "the app's body is not valid base64".to_owned()),
            }
        }
        Some(text) => Bytes::from(text.to_owned()),
    };
    with_head(&proxy, full(body))
}

/// The HTTP response for a streamed answer: the prelude's status, headers and cookies, and
/// `body`.
pub(super) fn from_streamed(prelude: &[u8], body: DevBody) -> HttpResponse {
    let Ok(Value::Object(prelude)) = serde_json::from_slice::<Value>(prelude) else {
        return plain(502, "the app's prelude is not a JSON object".to_owned());
    };
    with_head(&prelude, body)
}

/// `body` with the status, headers and cookies of a proxy response or prelude.
fn with_head(proxy: &Map<String, Value>, body: DevBody) -> HttpResponse {
    let status = proxy
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| http::StatusCode::from_u16(s).ok());
    let Some(status) = status else {
        return plain(502, "the app's response has no valid statusCode".to_owned());
    };
    let mut response = hyper::Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let mut add = |name: &str, value: &Value| {
        let (Ok(name), Some(Ok(value))) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(HeaderValue::from_str),
        ) else {
            return;
        };
        if !is_framing(&name) {
            headers.append(name, value);
        }
    };
    if let Some(Value::Object(multi)) = proxy.get("multiValueHeaders") {
        for (name, values) in multi {
            for value in values.as_array().into_iter().flatten() {
                add(name, value);
            }
        }
    }
    // As API Gateway merges them: a name in `multiValueHeaders` wins over `headers`.
    let multi = proxy.get("multiValueHeaders").and_then(Value::as_object);
    if let Some(Value::Object(single)) = proxy.get("headers") {
        for (name, value) in single {
            if !multi.is_some_and(|m| m.contains_key(name)) {
                add(name, value);
            }
        }
    }
    for cookie in proxy
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add("set-cookie", cookie);
    }
    response
}

/// Whether `name` frames the message or the connection (the hop-by-hop headers of
/// RFC 9110 section 7.6.1, and `Content-Length`): the server sets these for the body and
/// connection it actually has, so the app's copies would contradict them.
fn is_framing(name: &http::HeaderName) -> bool {
    use http::header;
    [
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
        header::CONNECTION,
        header::TE,
        header::TRAILER,
        header::UPGRADE,
    ]
    .contains(name)
        || ["keep-alive", "proxy-connection"].contains(&name.as_str())
}
