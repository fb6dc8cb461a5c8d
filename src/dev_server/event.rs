//! The event of the app's source for one HTTP request, shaped as AWS sends it.

use std::net::SocketAddr;

use http::HeaderMap;

use super::now_ms;
use crate::Source;
use crate::source::{PlainRequest, RenderContext, query_pairs};

/// The event of `source` for one HTTP request, rendered as the source renders any request.
pub(super) fn to_event(
    source: Source,
    parts: &http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
    request_id: &str,
) -> Vec<u8> {
    let (body, base64) = match body {
        [] => (None, false),
        bytes => match std::str::from_utf8(bytes) {
            Ok(text) => (Some(text.to_owned()), false),
            Err(_) => (Some(base64_simd::STANDARD.encode_to_string(bytes)), true),
        },
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let query: Vec<(String, String)> = query_pairs(parts.uri.query().unwrap_or("")).collect();
    let context = RenderContext {
        request_id: request_id.to_owned(),
        source_ip: peer.ip().to_string(),
        account_id: "000000000000",
        api_id: "local",
        stage: "local",
        domain: header_text(&parts.headers, "host")
            .unwrap_or("localhost")
            .to_owned(),
        time_epoch_ms: now_ms(),
    };
    let request = PlainRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: &query,
        headers: &headers,
        body: body.as_deref(),
        base64,
        multi_value: false,
        context: &context,
    };
    serde_json::to_vec(&(source.def().render)(&request)).unwrap_or_default()
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
