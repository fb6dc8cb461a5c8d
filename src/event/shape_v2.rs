//! The payload 2.0 shape API Gateway HTTP API and Lambda Function URL events share.

use super::fields::{
    RootFields, optional_bool, optional_object, optional_str, required_str, string_list, string_map,
};
use bumpalo::Bump;

use super::arena_map::decoded_query;
use super::json_view::JsonView;
use super::nodes::{Members, Nodes, last_member, object_body, string_of};
use super::{Cookies, EventError, EventView, Headers, Query, RequestContext, Source};
use crate::source::Accepts;

/// Reads an HTTP API v2 or Function URL event (`source` is one of the two).
///
/// The two send the same event; `requestContext` tells them apart, found in this reader's
/// one pass over it (see [`told_source`]): an app for another source refuses the event, an
/// app for any source reads it as the one it is. A local emulator's event (cargo-lambda
/// watch) is a Function URL's, and every app reads it, whatever source it is for. Without
/// `domainName`, `source` stands for the apps of the two, and others refuse it.
pub(crate) fn read_version_2_shape<'a>(
    source: Source,
    accepts: Accepts,
    fields: &RootFields<'a>,
    arena: &'a Bump,
) -> Result<EventView<'a>, EventError> {
    let request_context = optional_object(fields.request_context, "requestContext")?;
    let context = ContextFields::collect(request_context);
    let source = match (told_source(&context), accepts) {
        (Told::LocalEmulator, _) => Source::FunctionUrl,
        (Told::Service(told), Accepts::One(expected)) if told != expected => {
            return Err(EventError::wrong_source(told, expected));
        }
        (Told::Service(told), _) => told,
        (Told::Nothing, Accepts::One(expected))
            if !matches!(expected, Source::HttpV2 | Source::FunctionUrl) =>
        {
            return Err(EventError::wrong_source(source, expected));
        }
        (Told::Nothing, _) => source,
    };
    let http = optional_object(context.http, "requestContext.http")?;
    let method = required_str(
        object_body(http).and_then(|body| last_member(body, |key| key == "method")),
        "requestContext.http.method",
    )?;
    let stage = optional_str(context.stage, "requestContext.stage")?;
    let raw_path = required_str(fields.raw_path, "rawPath")?;
    let headers = Headers::comma_joined(string_map(fields.headers, "headers")?);
    let query = string_map(fields.query_string_parameters, "queryStringParameters")?;
    // Some producers (and older samples) send only `rawQueryString`: read it as the service
    // builds `queryStringParameters`.
    let query = if query.is_empty() {
        match optional_str(fields.raw_query_string, "rawQueryString")? {
            Some(raw) if !raw.is_empty() => decoded_query(arena, raw),
            _ => query,
        }
    } else {
        query
    };
    let query = Query::comma_joined(query);
    let cookies = Cookies::from_array(string_list(fields.cookies, "cookies")?);
    let body = optional_str(fields.body, "body")?;
    let is_base64_encoded = optional_bool(fields.is_base64_encoded, "isBase64Encoded")?;
    Ok(EventView {
        source,
        method,
        path: strip_stage(raw_path, stage),
        raw_path,
        headers,
        query,
        cookies,
        body,
        is_base64_encoded,
        multi_value_headers: false,
        request_context: RequestContext::new(request_context, source),
        root: JsonView::new(fields.root),
    })
}

/// What `requestContext` says about the service that sent a payload 2.0 event.
enum Told {
    /// `domainName` names the service's host.
    Service(Source),
    /// A local emulator of Lambda (cargo-lambda watch): `domainName` is `localhost` and
    /// there is no `apiId`, which API Gateway and Lambda always send (and SAM local, whose
    /// HTTP API events are also `localhost`, sends too).
    LocalEmulator,
    /// No `domainName`.
    Nothing,
}

/// The service of a payload 2.0 event, from its `requestContext`: `domainName`
/// `<url-id>.lambda-url.<region>.on.aws` is a Function URL's, any other an HTTP API's
/// (`<api-id>.execute-api.<region>.amazonaws.com` or a custom domain), except a local
/// emulator's `localhost` without an `apiId`, which emulates a Function URL.
fn told_source(context: &ContextFields<'_>) -> Told {
    match context.domain_name.and_then(string_of) {
        None => Told::Nothing,
        Some(domain) if is_function_url(domain) => Told::Service(Source::FunctionUrl),
        Some("localhost") if context.api_id.and_then(string_of).is_none() => Told::LocalEmulator,
        Some(_) => Told::Service(Source::HttpV2),
    }
}

/// The `requestContext` members the reader needs, found in one pass.
#[derive(Default)]
struct ContextFields<'a> {
    http: Option<Nodes<'a>>,
    stage: Option<Nodes<'a>>,
    domain_name: Option<Nodes<'a>>,
    api_id: Option<Nodes<'a>>,
}

impl<'a> ContextFields<'a> {
    fn collect(request_context: Nodes<'a>) -> Self {
        let mut fields = Self::default();
        for (key, value) in Members::of_value(request_context) {
            match key {
                "http" => fields.http = Some(value),
                "stage" => fields.stage = Some(value),
                "domainName" => fields.domain_name = Some(value),
                "apiId" => fields.api_id = Some(value),
                _ => {}
            }
        }
        fields
    }
}

/// The routed path: `rawPath` without the `/<stage>` prefix of a named stage.
///
/// API Gateway puts a named stage in front of `rawPath`. Powertools slices
/// `len("/" + stage)` characters off blindly (so `/xfoo` on stage `dev` becomes `o`); this
/// reader removes the prefix only when it is really there and ends at a segment boundary
/// (`/dev/x` → `/x`, `/dev` → `/`, `/devx` unchanged). `$default`, an empty or an absent
/// stage leave the path as it is.
pub(crate) fn strip_stage<'a>(raw_path: &'a str, stage: Option<&str>) -> &'a str {
    let Some(stage) = stage.filter(|stage| !stage.is_empty() && *stage != "$default") else {
        return raw_path;
    };
    let after_stage = raw_path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(stage));
    match after_stage {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => raw_path,
    }
}

/// Whether `domain` is a Function URL's, `<url-id>.lambda-url.<region>.on.aws`: the url id
/// is 32 characters, so one comparison usually decides; other lengths are searched.
fn is_function_url(domain: &str) -> bool {
    const MARK: &[u8] = b".lambda-url.";
    domain.as_bytes().get(32..32 + MARK.len()) == Some(MARK)
        || (domain.ends_with(".on.aws") && domain.contains(".lambda-url."))
}

#[cfg(test)]
mod tests {
    use super::is_function_url;

    #[test]
    fn function_url_domains_are_told_from_http_api_ones() {
        let id = "q4v7b1n8m2c5x9z3l6k0j4h8g2f5d7s1";
        assert!(is_function_url(&format!(
            "{id}.lambda-url.eu-west-1.on.aws"
        )));
        assert!(is_function_url("short.lambda-url.us-east-1.on.aws"));
        for other in [
            "abc123.execute-api.us-east-1.amazonaws.com",
            "api.example.com",
            "lambda-url.example.com",
            "x.lambda-url.example.com",
            "",
        ] {
            assert!(!is_function_url(other), "{other}");
        }
    }
}
