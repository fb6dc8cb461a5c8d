//! VPC Lattice target groups, event structure V2 (`"version": "2.0"`).
//!
//! Read: `method`, `path` (cut at the first `?`), `headers` (names lower-cased, each a list
//! of its values: a header reads as its last value), `queryStringParameters` (each a list,
//! decoded: a parameter reads as its values joined with `,`, as on HTTP APIs), cookies from
//! the `cookie` header, `body` (`""` when none), `isBase64Encoded`, `requestContext`
//! (service network, service, target group, identity, region, `timeEpoch`). Paths match
//! exactly. Answered as [`super::lattice::envelope`] says.

use serde_json::{Value, json};

use super::lattice::{envelope, route_path};
use super::render::all_values;
use super::{PlainRequest, Source, SourceDef};
use crate::event::{
    Cookies, EventError, EventView, Headers, JsonView, Query, RequestContext, RootFields,
    joined_lists, optional_bool, optional_object, optional_str, required_str, string_list_map,
};
use crate::router::TrailingSlash;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::VpcLatticeV2,
    name: "vpc-lattice-v2",
    service: "VPC Lattice (event structure V2)",
    constructor: "App::vpc_lattice_v2()",
    read: |fields, _, arena| read(fields, arena),
    method_field: "method",
    source_ip_parent: None,
    trailing_slash: TrailingSlash::Exact,
    response_limit: super::INVOKE_RESPONSE_LIMIT,
    // VPC Lattice invokes Lambda targets synchronously only.
    streaming: false,
    envelope,
    render,
    dialect: super::HTTP,
};

fn read<'a>(
    fields: &RootFields<'a>,
    arena: &'a bumpalo::Bump,
) -> Result<EventView<'a>, EventError> {
    let method = required_str(fields.method, "method")?;
    let path = required_str(fields.path, "path")?;
    // No single-value map: every header is a list.
    let headers = Headers::multi_value(&[], string_list_map(fields.headers, "headers")?);
    let query_lists = string_list_map(fields.query_string_parameters, "queryStringParameters")?;
    let request_context = optional_object(fields.request_context, "requestContext")?;
    Ok(EventView {
        source: Source::VpcLatticeV2,
        method,
        path: route_path(path),
        raw_path: path,
        headers,
        query: Query::comma_joined(joined_lists(arena, query_lists)),
        cookies: Cookies::from_headers(headers),
        body: optional_str(fields.body, "body")?,
        is_base64_encoded: optional_bool(fields.is_base64_encoded, "isBase64Encoded")?,
        multi_value_headers: false,
        request_context: RequestContext::new(request_context, Source::VpcLatticeV2),
        root: JsonView::new(fields.root),
    })
}

fn render(request: &PlainRequest<'_>) -> Value {
    let cx = request.context;
    let arn = |kind: &str, id: &str| {
        format!(
            "arn:aws:vpc-lattice:us-east-1:{}:{kind}/{id}",
            cx.account_id
        )
    };
    json!({
        "version": "2.0",
        "path": request.path,
        "method": request.method,
        "headers": all_values(request.headers, true),
        "queryStringParameters": all_values(request.query, false),
        "body": request.body.unwrap_or(""),
        "isBase64Encoded": request.base64,
        "requestContext": {
            "serviceNetworkArn": arn("servicenetwork", "sn-local"),
            "serviceArn": arn("service", "svc-local"),
            "targetGroupArn": arn("targetgroup", "tg-local"),
            "identity": { "sourceVpcArn": format!("arn:aws:ec2:us-east-1:{}:vpc/vpc-local", cx.account_id), "type": "NONE" },
            "region": "us-east-1",
            "timeEpoch": (cx.time_epoch_ms * 1000).to_string(),
        },
    })
}
