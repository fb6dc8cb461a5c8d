//! Lambda Function URLs: the payload 2.0 event of HTTP APIs, without stages.
//!
//! Read and answered as an HTTP API event (`headers` and `cookies`); told apart from one by
//! `requestContext.domainName`, `<url-id>.lambda-url.<region>.on.aws`. Paths match exactly.
//! `cargo lambda watch` emulates Function URLs with events of `domainName` `localhost` and
//! no `apiId`: every app reads those as this source's.

use super::http_api::{payload_2_envelope, render_payload_2};
use super::{Source, SourceDef};
use crate::event::read_version_2_shape;
use crate::router::TrailingSlash;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::FunctionUrl,
    name: "function-url",
    service: "Lambda Function URL",
    constructor: "App::function_url()",
    read: |fields, accepts, arena| {
        read_version_2_shape(Source::FunctionUrl, accepts, fields, arena)
    },
    method_field: "requestContext.http.method",
    source_ip_parent: Some("http"),
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // Invoke mode `RESPONSE_STREAM`.
    streaming: true,
    envelope: payload_2_envelope,
    render: |request| {
        let domain = format!("{}.lambda-url.us-east-1.on.aws", request.context.api_id);
        render_payload_2(request, &domain)
    },
    dialect: super::HTTP,
};
