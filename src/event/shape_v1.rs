//! The version-1 shape API Gateway REST (payload 1.0) and ALB events share.

use super::fields::{
    RootFields, optional_bool, optional_object, optional_str, required_str, string_list_map,
    string_map,
};
use super::json_view::JsonView;
use super::{Cookies, EventError, EventView, Headers, Query, RequestContext, Source};

/// Reads the fields REST v1 and ALB events have in common: `httpMethod`, `path`, the
/// single- and multi-value header and query maps, `body`, `isBase64Encoded` and
/// `requestContext`. Cookies come from the `Cookie` header.
///
/// `multi_value_headers` is left `false`; the ALB reader sets it.
pub(crate) fn read_version_1_shape<'a>(
    source: Source,
    fields: &RootFields<'a>,
) -> Result<EventView<'a>, EventError> {
    let method = required_str(fields.http_method, "httpMethod")?;
    let path = required_str(fields.path, "path")?;
    let headers = Headers::multi_value(
        string_map(fields.headers, "headers")?,
        string_list_map(fields.multi_value_headers, "multiValueHeaders")?,
    );
    let query = Query::multi_value(
        string_map(fields.query_string_parameters, "queryStringParameters")?,
        string_list_map(
            fields.multi_value_query_string_parameters,
            "multiValueQueryStringParameters",
        )?,
        fields.query_string_parameters.is_some(),
    );
    let body = optional_str(fields.body, "body")?;
    let is_base64_encoded = optional_bool(fields.is_base64_encoded, "isBase64Encoded")?;
    let request_context = optional_object(fields.request_context, "requestContext")?;
    Ok(EventView {
        source,
        method,
        path,
        raw_path: path,
        headers,
        query,
        cookies: Cookies::from_headers(headers),
        body,
        is_base64_encoded,
        multi_value_headers: false,
        request_context: RequestContext::new(request_context, source),
        root: JsonView::new(fields.root),
    })
}
