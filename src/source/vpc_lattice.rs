//! VPC Lattice target groups, event structure V1 (snake_case keys, no version).
//!
//! Read: `method`, `raw_path` (cut at the first `?`), `headers` (names lower-cased, a
//! repeated header one string joined with `", "`), `query_string_parameters` (the last
//! value of each name, decoded), cookies from the `cookie` header, `body` (`""` when none),
//! `is_base64_encoded`. There is no `requestContext`. Paths match exactly. Answered as
//! [`super::lattice::envelope`] says.

use serde_json::{Value, json};

use super::lattice::{envelope, route_path};
use super::render::{joined_values, last_values};
use super::{PlainRequest, Source, SourceDef};
use crate::event::{
    Cookies, EventError, EventView, Headers, JsonView, NULL, Query, RequestContext, RootFields,
    optional_bool, optional_str, required_str, string_map,
};
use crate::router::TrailingSlash;

pub(super) const DEF: SourceDef = SourceDef {
    source: Source::VpcLattice,
    name: "vpc-lattice",
    service: "VPC Lattice (event structure V1)",
    constructor: "App::vpc_lattice()",
    read: |fields, _, _| read(fields),
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

fn read<'a>(fields: &RootFields<'a>) -> Result<EventView<'a>, EventError> {
    let method = required_str(fields.method, "method")?;
    let path = required_str(fields.raw_path_snake, "raw_path")?;
    let headers = Headers::comma_joined(string_map(fields.headers, "headers")?);
    let query = Query::comma_joined(string_map(
        fields.query_string_parameters_snake,
        "query_string_parameters",
    )?);
    Ok(EventView {
        source: Source::VpcLattice,
        method,
        path: route_path(path),
        raw_path: path,
        headers,
        query,
        cookies: Cookies::from_headers(headers),
        body: optional_str(fields.body, "body")?,
        is_base64_encoded: optional_bool(fields.is_base64_encoded_snake, "is_base64_encoded")?,
        multi_value_headers: false,
        request_context: RequestContext::new(NULL, Source::VpcLattice),
        root: JsonView::new(fields.root),
    })
}

fn render(request: &PlainRequest<'_>) -> Value {
    json!({
        "raw_path": request.path,
        "method": request.method,
        "headers": joined_values(request.headers, ", "),
        "query_string_parameters": last_values(request.query, false),
        "body": request.body.unwrap_or(""),
        "is_base64_encoded": request.base64,
    })
}
