//! API Gateway HTTP APIs (payload format 2.0).
//!
//! Read: `requestContext.http.method`, `rawPath` (a named stage in front of it removed, only
//! when it is really there), `headers` (names lower-cased, repeated headers comma-joined by
//! the service), `queryStringParameters` (decoded, repeated names comma-joined; when absent,
//! `rawQueryString` decoded), `cookies`, `body`, `isBase64Encoded`, `requestContext`. Paths
//! match exactly. Answered with single-value `headers` (repeated values joined with `", "`)
//! and `cookies`; no body → `null`.

use serde_json::{Value, json};

use super::render::joined_values;
use super::{EnvelopeOptions, PlainRequest, Source, SourceDef};
use crate::event::{EventView, read_version_2_shape};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::HttpV2,
    name: "http",
    service: "API Gateway HTTP API",
    constructor: "App::http_api()",
    read: |fields, accepts, arena| read_version_2_shape(Source::HttpV2, accepts, fields, arena),
    method_field: "requestContext.http.method",
    source_ip_parent: Some("http"),
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // HTTP APIs have no streaming integration: only REST APIs do (transfer mode `STREAM`).
    streaming: false,
    envelope: payload_2_envelope,
    render: |request| render_payload_2(request, &request.context.domain),
    dialect: super::HTTP,
};

/// HTTP API and Function URL answers: `headers` and `cookies`.
pub(super) fn payload_2_envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::V2
}

/// The payload 2.0 event HTTP APIs and Function URLs send, for a request to `domain`.
pub(super) fn render_payload_2(request: &PlainRequest<'_>, domain: &str) -> Value {
    let cx = request.context;
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": request.raw_query(),
        "headers": joined_values(&request.headers_without_cookies(), ","),
        "requestContext": {
            "accountId": cx.account_id,
            "apiId": cx.api_id,
            "domainName": domain,
            "domainPrefix": cx.api_id,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": cx.source_ip,
                "userAgent": request.header("user-agent"),
            },
            "requestId": cx.request_id,
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": cx.time_epoch_ms,
        },
        "isBase64Encoded": request.base64,
    });
    let cookies = request.cookies();
    if !cookies.is_empty() {
        event["cookies"] = Value::from(cookies);
    }
    if !request.query.is_empty() {
        event["queryStringParameters"] = Value::Object(joined_values(request.query, ","));
    }
    if let Some(body) = request.body {
        event["body"] = Value::from(body);
    }
    event
}
