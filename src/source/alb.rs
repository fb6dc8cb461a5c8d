//! Application Load Balancer target groups, multi-value headers on or off.
//!
//! The event is REST's shape, except that a target group sends EITHER `headers` +
//! `queryStringParameters` (multi-value headers off) OR `multiValueHeaders` +
//! `multiValueQueryStringParameters` (on), that query names and values stay URL-encoded,
//! and that `requestContext` holds only `elb`. The answer takes the style of the request:
//! `multiValueHeaders` when the event had a non-empty one, else single-value `headers`
//! (one value per name: see [`AppBuilder::alb_join_repeated_headers`]); no body → `""`.
//! Paths match exactly (a trailing `/` matters).
//!
//! [`AppBuilder::alb_join_repeated_headers`]: crate::AppBuilder::alb_join_repeated_headers

use serde_json::{Value, json};

use super::render::{all_values, encoded, last_values};
use super::{EnvelopeOptions, PlainRequest, Source, SourceDef};
use crate::event::{EventView, read_version_1_shape};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::Alb,
    name: "alb",
    service: "Application Load Balancer",
    constructor: "App::alb()",
    read: |fields, _, _| {
        let mut view = read_version_1_shape(Source::Alb, fields)?;
        view.multi_value_headers = view.headers.has_multi_values();
        Ok(view)
    },
    method_field: "httpMethod",
    source_ip_parent: None,
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::ALB_RESPONSE_LIMIT,
    // A load balancer invokes its Lambda targets synchronously only (no `InvokeWithResponseStream`).
    streaming: false,
    envelope,
    render,
    dialect: super::HTTP,
};

fn envelope(view: &EventView<'_>, options: &EnvelopeOptions) -> EnvelopeStyle {
    if view.multi_value_headers {
        EnvelopeStyle::AlbMulti
    } else {
        EnvelopeStyle::AlbSingle {
            join: options.alb_join_repeated_headers,
        }
    }
}

fn render(request: &PlainRequest<'_>) -> Value {
    let mut headers = request.headers.to_vec();
    // ALB always sends `host`; an app reads a non-empty `multiValueHeaders` as multi-value
    // mode on.
    if request.header("host").is_none() {
        headers.insert(0, ("host".to_owned(), request.context.domain.clone()));
    }
    // ALB passes query names and values as sent (still percent-encoded).
    let query = encoded(request.query);
    let mut event = json!({
        "requestContext": { "elb": {
            "targetGroupArn": format!(
                "arn:aws:elasticloadbalancing:us-east-1:{}:targetgroup/{}/0",
                request.context.account_id, request.context.api_id
            )
        } },
        "httpMethod": request.method,
        "path": request.path,
        "body": request.body.unwrap_or(""),
        "isBase64Encoded": request.base64,
    });
    if request.multi_value {
        event["multiValueHeaders"] = Value::Object(all_values(&headers, true));
        event["multiValueQueryStringParameters"] = Value::Object(all_values(&query, false));
    } else {
        event["headers"] = Value::Object(last_values(&headers, true));
        event["queryStringParameters"] = Value::Object(last_values(&query, false));
    }
    event
}
