//! The event of the app's source for one HTTP request, shaped as AWS sends it.

use std::net::SocketAddr;

use http::HeaderMap;
use serde_json::{Map, Value, json};

use super::now_ms;
use crate::Source;

/// The event of `source` for one HTTP request.
pub(super) fn to_event(
    source: Source,
    parts: &http::request::Parts,
    body: &[u8],
    peer: SocketAddr,
    request_id: &str,
) -> Vec<u8> {
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let raw_query = parts.uri.query().unwrap_or("");
    let (body, is_base64) = match body {
        [] => (Value::Null, false),
        bytes => match std::str::from_utf8(bytes) {
            Ok(text) => (Value::from(text), false),
            Err(_) => (
                Value::from(base64_simd::STANDARD.encode_to_string(bytes)),
                true,
            ),
        },
    };
    let user_agent = header_text(&parts.headers, "user-agent");
    let host = header_text(&parts.headers, "host").unwrap_or("localhost");
    let source_ip = peer.ip().to_string();
    let epoch = now_ms();
    let event = match source {
        Source::RestV1 => json!({
            "resource": "/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": single_headers(&parts.headers),
            "multiValueHeaders": multi_headers(&parts.headers),
            "queryStringParameters": single_query(raw_query, true),
            "multiValueQueryStringParameters": multi_query(raw_query),
            "pathParameters": { "proxy": path.trim_start_matches('/') },
            "stageVariables": null,
            "requestContext": {
                "accountId": "000000000000",
                "apiId": "local",
                "domainName": host,
                "httpMethod": method,
                "identity": { "sourceIp": source_ip, "userAgent": user_agent },
                "path": path,
                "protocol": "HTTP/1.1",
                "requestId": request_id,
                "requestTimeEpoch": epoch,
                "resourcePath": "/{proxy+}",
                "stage": "local",
            },
            "body": body,
            "isBase64Encoded": is_base64,
        }),
        Source::HttpV2 | Source::FunctionUrl => {
            let api_id = if source == Source::FunctionUrl {
                "url-local"
            } else {
                "local"
            };
            let mut event = json!({
                "version": "2.0",
                "routeKey": "$default",
                "rawPath": path,
                "rawQueryString": raw_query,
                "headers": joined_headers(&parts.headers),
                "requestContext": {
                    "accountId": "000000000000",
                    "apiId": api_id,
                    "domainName": host,
                    "http": {
                        "method": method,
                        "path": path,
                        "protocol": "HTTP/1.1",
                        "sourceIp": source_ip,
                        "userAgent": user_agent,
                    },
                    "requestId": request_id,
                    "routeKey": "$default",
                    "stage": "$default",
                    "timeEpoch": epoch,
                },
                "isBase64Encoded": is_base64,
            });
            let cookies = request_cookies(&parts.headers);
            if !cookies.is_empty() {
                event["cookies"] = Value::from(cookies);
            }
            let query = joined_query(raw_query);
            if !query.is_empty() {
                event["queryStringParameters"] = Value::Object(query);
            }
            if !body.is_null() {
                event["body"] = body;
            }
            event
        }
        Source::Alb => json!({
            "requestContext": { "elb": {
                "targetGroupArn": "arn:aws:elasticloadbalancing:local:000000000000:targetgroup/dev/0"
            } },
            "httpMethod": method,
            "path": path,
            "queryStringParameters": single_query(raw_query, false).unwrap_or_default(),
            "headers": single_headers(&parts.headers),
            "body": if body.is_null() { Value::from("") } else { body },
            "isBase64Encoded": is_base64,
        }),
    };
    serde_json::to_vec(&event).unwrap_or_default()
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn header_values<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = String> + 'h {
    headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// `headers` of payload 1.0 and ALB: the last value of each header.
fn single_headers(headers: &HeaderMap) -> Map<String, Value> {
    headers
        .keys()
        .filter_map(|name| {
            let last = header_values(headers, name.as_str()).last()?;
            Some((name.as_str().to_owned(), Value::from(last)))
        })
        .collect()
}

fn multi_headers(headers: &HeaderMap) -> Map<String, Value> {
    headers
        .keys()
        .map(|name| {
            let all: Vec<String> = header_values(headers, name.as_str()).collect();
            (name.as_str().to_owned(), Value::from(all))
        })
        .collect()
}

/// `headers` of payload 2.0: repeated headers joined with commas, `Cookie` lifted out.
fn joined_headers(headers: &HeaderMap) -> Map<String, Value> {
    headers
        .keys()
        .filter(|name| *name != http::header::COOKIE)
        .map(|name| {
            let all: Vec<String> = header_values(headers, name.as_str()).collect();
            (name.as_str().to_owned(), Value::from(all.join(",")))
        })
        .collect()
}

fn request_cookies(headers: &HeaderMap) -> Vec<String> {
    header_values(headers, "cookie")
        .flat_map(|line| {
            line.split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The query's pairs, percent-decoded when `decode` (API Gateway) or as sent (ALB).
fn query_pairs(raw: &str, decode: bool) -> impl Iterator<Item = (String, String)> + '_ {
    raw.split('&').filter(|p| !p.is_empty()).map(move |pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode {
            (percent_decode(name), percent_decode(value))
        } else {
            (name.to_owned(), value.to_owned())
        }
    })
}

/// `queryStringParameters` of payload 1.0 (`null` when empty, as API Gateway sends it) and
/// ALB: the last value of each name.
fn single_query(raw: &str, decode: bool) -> Option<Map<String, Value>> {
    let map: Map<String, Value> = query_pairs(raw, decode)
        .map(|(n, v)| (n, Value::from(v)))
        .collect();
    (!map.is_empty()).then_some(map)
}

fn multi_query(raw: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for (name, value) in query_pairs(raw, true) {
        if let Value::Array(values) = map.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
            values.push(Value::from(value));
        }
    }
    (!map.is_empty()).then_some(map)
}

/// `queryStringParameters` of payload 2.0: repeated names joined with commas.
fn joined_query(raw: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in query_pairs(raw, true) {
        match map.get_mut(&name) {
            Some(Value::String(joined)) => {
                joined.push(',');
                joined.push_str(&value);
            }
            _ => {
                map.insert(name, Value::from(value));
            }
        }
    }
    map
}

/// Decodes `%XX` escapes; anything malformed is kept as sent.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
