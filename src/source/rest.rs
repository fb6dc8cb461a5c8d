//! API Gateway REST APIs (payload format 1.0), and HTTP APIs set to payload 1.0, which send
//! the same event.
//!
//! Read: `httpMethod`, `path` (the stage is never in it), `headers` + `multiValueHeaders`,
//! `queryStringParameters` + `multiValueQueryStringParameters` (decoded by API Gateway),
//! cookies from the `Cookie` header, `body`, `isBase64Encoded`, `requestContext`. Trailing
//! slashes are ignored when routing, as Powertools' REST resolver does. Answered with
//! `multiValueHeaders` (cookies appended to `Set-Cookie`), no body → `null`.

use serde_json::{Value, json};

use super::render::{all_values, last_values, non_empty};
use super::{EnvelopeOptions, PlainRequest, Source, SourceDef};
use crate::event::{EventView, read_version_1_shape};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::RestV1,
    name: "rest",
    service: "API Gateway REST API",
    constructor: "App::rest()",
    read: |fields, _, _| read_version_1_shape(Source::RestV1, fields),
    method_field: "httpMethod",
    source_ip_parent: Some("identity"),
    trailing_slash: TrailingSlash::Ignore,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // An integration with response transfer mode `STREAM`.
    streaming: true,
    envelope,
    render,
    dialect: super::HTTP,
};

fn envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::Rest
}

fn render(request: &PlainRequest<'_>) -> Value {
    let cx = request.context;
    let path = request.path;
    json!({
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": request.method,
        "headers": last_values(request.headers, false),
        "multiValueHeaders": all_values(request.headers, false),
        "queryStringParameters": non_empty(last_values(request.query, false)),
        "multiValueQueryStringParameters": non_empty(all_values(request.query, false)),
        "pathParameters": { "proxy": path.trim_start_matches('/') },
        "stageVariables": null,
        "requestContext": {
            "accountId": cx.account_id,
            "apiId": cx.api_id,
            "domainName": request.header("host").unwrap_or(&cx.domain),
            "httpMethod": request.method,
            "identity": {
                "sourceIp": cx.source_ip,
                "userAgent": request.header("user-agent"),
            },
            "path": format!("/{}{path}", cx.stage),
            "protocol": "HTTP/1.1",
            "requestId": cx.request_id,
            "requestTimeEpoch": cx.time_epoch_ms,
            "resourcePath": "/{proxy+}",
            "stage": cx.stage,
        },
        "body": request.body_value(),
        "isBase64Encoded": request.base64,
    })
}
