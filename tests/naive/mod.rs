//! A naive `serde_json` reading of an event, written from `src/docs/events.md`, and an
//! echo of what a handler sees through `Request`, in the same JSON form, so the two can be
//! compared. Shared by `tests/proptest_views.rs` and the `event_structured` fuzz target.
#![allow(dead_code, unreachable_pub)]

use std::cell::RefCell;

use lambda_router::{Request, Response, Source};
use serde_json::{Map, Value as Json, json};

thread_local! {
    /// The header and query names [`echo`] probes: set per event by [`set_probes`].
    static PROBES: RefCell<(Vec<String>, Vec<String>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Sets the names [`echo`] probes on this thread (from [`header_probes`] and
/// [`query_probes`] of the event about to be sent).
pub fn set_probes(headers: Vec<String>, queries: Vec<String>) {
    PROBES.with(|p| *p.borrow_mut() = (headers, queries));
}

/// A handler answering 200 with [`seen`] for the probes set by [`set_probes`].
pub fn echo(req: &Request<'_>) -> Response {
    let seen = PROBES.with(|p| {
        let p = p.borrow();
        seen(req, &p.0, &p.1)
    });
    Response::text(200, seen.to_string())
}

pub fn is_v2(source: Source) -> bool {
    matches!(source, Source::HttpV2 | Source::FunctionUrl)
}

pub fn non_empty(value: &Json) -> bool {
    value.as_object().is_some_and(|map| !map.is_empty())
}

pub fn names(map: &Json) -> impl Iterator<Item = String> + '_ {
    map.as_object()
        .into_iter()
        .flat_map(|map| map.keys().cloned())
}

fn strings(list: &Json) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn path(event: &Json, v2: bool) -> String {
    if !v2 {
        return event["path"].as_str().unwrap_or_default().to_owned();
    }
    let raw = event["rawPath"].as_str().unwrap_or_default();
    let stage = event["requestContext"]["stage"]
        .as_str()
        .unwrap_or("$default");
    if stage.is_empty() || stage == "$default" {
        return raw.to_owned();
    }
    let prefix = format!("/{stage}");
    if raw == prefix {
        "/".to_owned()
    } else if raw.starts_with(&format!("{prefix}/")) {
        raw[prefix.len()..].to_owned()
    } else {
        raw.to_owned()
    }
}

fn member_ignoring_case<'j>(map: &'j Json, name: &str) -> Option<&'j Json> {
    map.as_object()?
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .next_back()
}

pub fn header(event: &Json, v2: bool, name: &str) -> Option<String> {
    if let Some(value) = member_ignoring_case(&event["headers"], name) {
        return value.as_str().map(str::to_owned);
    }
    if v2 {
        return None;
    }
    strings(member_ignoring_case(&event["multiValueHeaders"], name)?).pop()
}

pub fn header_values(event: &Json, v2: bool, name: &str) -> Vec<String> {
    if v2 {
        return header(event, v2, name)
            .map(|value| {
                value
                    .split(',')
                    .map(|piece| piece.trim_matches(' ').to_owned())
                    .collect()
            })
            .unwrap_or_default();
    }
    if non_empty(&event["multiValueHeaders"]) {
        return member_ignoring_case(&event["multiValueHeaders"], name)
            .map(strings)
            .unwrap_or_default();
    }
    member_ignoring_case(&event["headers"], name)
        .and_then(Json::as_str)
        .map(|value| vec![value.to_owned()])
        .unwrap_or_default()
}

fn header_contains(event: &Json, v2: bool, name: &str) -> bool {
    member_ignoring_case(&event["headers"], name).is_some()
        || (!v2 && member_ignoring_case(&event["multiValueHeaders"], name).is_some())
}

pub fn header_pairs(event: &Json, v2: bool) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if !v2 && non_empty(&event["multiValueHeaders"]) {
        for (key, list) in event["multiValueHeaders"].as_object().into_iter().flatten() {
            pairs.extend(strings(list).into_iter().map(|value| (key.clone(), value)));
        }
    } else {
        for (key, value) in event["headers"].as_object().into_iter().flatten() {
            pairs.push((key.clone(), value.as_str().unwrap_or_default().to_owned()));
        }
    }
    pairs.sort();
    pairs
}

pub fn query_map(event: &Json, v2: bool) -> Vec<(String, String)> {
    let single = &event["queryStringParameters"];
    if non_empty(single) {
        return single
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.clone(), value.as_str().unwrap_or_default().to_owned()))
            .collect();
    }
    let has_single_key = event
        .as_object()
        .is_some_and(|root| root.contains_key("queryStringParameters"));
    let multi = &event["multiValueQueryStringParameters"];
    if !v2 && !has_single_key && non_empty(multi) {
        return multi
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(key, list)| Some((key.clone(), strings(list).pop()?)))
            .collect();
    }
    Vec::new()
}

pub fn query_values(event: &Json, v2: bool, name: &str) -> Vec<String> {
    if !v2 && let Some(list) = event["multiValueQueryStringParameters"].get(name) {
        return strings(list);
    }
    event["queryStringParameters"]
        .get(name)
        .and_then(Json::as_str)
        .map(|value| value.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

pub fn cookies(event: &Json, v2: bool) -> Vec<(String, String)> {
    let texts = if v2 {
        strings(&event["cookies"])
    } else if let Some(list) = member_ignoring_case(&event["multiValueHeaders"], "cookie") {
        strings(list)
    } else {
        member_ignoring_case(&event["headers"], "cookie")
            .and_then(Json::as_str)
            .map(|value| vec![value.to_owned()])
            .unwrap_or_default()
    };
    let mut cookies = Vec::new();
    for text in texts {
        for piece in text
            .split(';')
            .map(|p| p.trim_matches(|c: char| c.is_ascii_whitespace()))
            .filter(|piece| !piece.is_empty())
        {
            cookies.push(match piece.split_once('=') {
                Some((name, value)) => (
                    name.trim_matches(|c: char| c.is_ascii_whitespace())
                        .to_owned(),
                    value
                        .trim_matches(|c: char| c.is_ascii_whitespace())
                        .to_owned(),
                ),
                None => (piece.to_owned(), String::new()),
            });
        }
    }
    cookies
}

/// The names a comparison probes: every header name of the event in three spellings,
/// and one never sent.
pub fn header_probes(event: &Json) -> Vec<String> {
    let mut probes = vec!["x-not-sent".to_owned()];
    for name in names(&event["headers"]).chain(names(&event["multiValueHeaders"])) {
        probes.push(name.to_ascii_lowercase());
        probes.push(name.to_ascii_uppercase());
        probes.push(name);
    }
    probes
}

/// Every query key of the event (VPC Lattice V1's `query_string_parameters` too), and one
/// never sent.
pub fn query_probes(event: &Json) -> Vec<String> {
    names(&event["queryStringParameters"])
        .chain(names(&event["multiValueQueryStringParameters"]))
        .chain(names(&event["query_string_parameters"]))
        .chain(
            raw_query(event["rawQueryString"].as_str().unwrap_or_default())
                .into_iter()
                .map(|(name, _)| name),
        )
        .chain(["not-sent".to_owned()])
        .collect()
}

/// Standard base64 with `=` padding, decoded naively (`None` if not valid).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return None;
    }
    let mut bits = Vec::with_capacity(bytes.len());
    for &b in &bytes[..bytes.len() - padding] {
        bits.push(u32::try_from(ALPHABET.iter().position(|&a| a == b)?).ok()?);
    }
    let mut out = Vec::new();
    for chunk in bits.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= v << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let mut n = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// How a source's fields are read, aspect by aspect, by the functions above (`true` = as
/// HTTP API v2 reads it).
struct Reading {
    /// Headers come comma-joined in one map (else `headers` + `multiValueHeaders`).
    headers_v2: bool,
    /// The query is one map of comma-joined values (else the single and multi maps).
    query_v2: bool,
    /// Cookies come in the `cookies` array (else in the `cookie` header).
    cookies_v2: bool,
}

fn reading(source: Source) -> Reading {
    let (headers_v2, query_v2, cookies_v2) = match source {
        Source::HttpV2 | Source::FunctionUrl => (true, true, true),
        Source::VpcLattice => (true, true, false),
        Source::VpcLatticeV2 => (false, true, false),
        _ => (false, false, false),
    };
    Reading {
        headers_v2,
        query_v2,
        cookies_v2,
    }
}

/// The path a Lattice event routes on: everything from the first `?` is cut.
fn lattice_path(path: &Json) -> String {
    let path = path.as_str().unwrap_or_default();
    path.split_once('?')
        .map_or(path, |(path, _)| path)
        .to_owned()
}

/// An event restated in the field names the readers above know. HTTP API / Function URL:
/// an event without query parameters has them from `rawQueryString`. VPC Lattice, as the
/// conformance kit's README describes its two structures: V1 `raw_path`,
/// `query_string_parameters` (the last value of each key), `is_base64_encoded`, headers
/// comma-joined by Lattice, no `requestContext`; V2 headers as lists (a header reads as
/// its last value, like a `multiValueHeaders` entry) and query lists joined with `,` (an
/// empty list left out). Other sources' events are returned as they are.
pub fn normalized(source: Source, event: &Json) -> Json {
    match source {
        Source::VpcLattice => json!({
            "httpMethod": event["method"],
            "path": lattice_path(&event["raw_path"]),
            "headers": event["headers"],
            "queryStringParameters": event["query_string_parameters"],
            "body": event["body"],
            "isBase64Encoded": event["is_base64_encoded"],
        }),
        Source::VpcLatticeV2 => {
            let query: Map<String, Json> = event["queryStringParameters"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, list)| (key.clone(), strings(list)))
                // A key without values is left out (`src/event/arena_map.rs`); Powertools
                // would read it as `""`, but Lattice never sends an empty list.
                .filter(|(_, values)| !values.is_empty())
                .map(|(key, values)| (key, json!(values.join(","))))
                .collect();
            json!({
                "httpMethod": event["method"],
                "path": lattice_path(&event["path"]),
                "multiValueHeaders": event["headers"],
                "queryStringParameters": query,
                "body": event["body"],
                "isBase64Encoded": event["isBase64Encoded"],
                "requestContext": event["requestContext"],
            })
        }
        Source::HttpV2 | Source::FunctionUrl if !non_empty(&event["queryStringParameters"]) => {
            let mut event = event.clone();
            let raw = event["rawQueryString"].as_str().unwrap_or_default();
            let query: Map<String, Json> = raw_query(raw)
                .into_iter()
                .map(|(name, values)| (name, json!(values.join(","))))
                .collect();
            event["queryStringParameters"] = json!(query);
            event
        }
        _ => event.clone(),
    }
}

/// A `rawQueryString` as the service builds `queryStringParameters` from it: pairs split on
/// `&` (empty ones skipped) and on their first `=`, names and values percent-decoded (kept
/// as sent when that is not UTF-8), the values of a name in order, names in order of first
/// appearance.
pub fn raw_query(raw: &str) -> Vec<(String, Vec<String>)> {
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (percent_decoded(name), percent_decoded(value));
        match params.iter_mut().find(|(known, _)| *known == name) {
            Some((_, values)) => values.push(value),
            None => params.push((name, vec![value])),
        }
    }
    params
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) if bytes[i + 1].is_ascii_hexdigit() => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// What a handler should see, read naively from `event` (body as decoded bytes).
pub fn expected(source: Source, event: &Json, headers: &[String], queries: &[String]) -> Json {
    let event = &normalized(source, event);
    let v2 = is_v2(source);
    let read = reading(source);
    let method = if v2 {
        &event["requestContext"]["http"]["method"]
    } else {
        &event["httpMethod"]
    };
    let is_base64 = event["isBase64Encoded"].as_bool().unwrap_or(false);
    // A body that does not decode (strictly: canonical standard base64) is the reader's
    // error: `body` reads as an error, the request is otherwise served.
    let body = match event["body"].as_str() {
        Some(text) if is_base64 => base64_decode(text)
            .filter(|decoded| base64_encode(decoded) == text)
            .map(Some)
            .ok_or(()),
        Some(text) => Ok(Some(text.as_bytes().to_vec())),
        None => Ok(None),
    };
    let body_ok = body.is_ok();
    let body = body.unwrap_or_default();
    let mut header_map = Map::new();
    for name in headers {
        header_map.insert(
            name.clone(),
            json!([
                header(event, read.headers_v2, name),
                header_values(event, read.headers_v2, name),
                header_contains(event, read.headers_v2, name)
            ]),
        );
    }
    let mut query_map_json = Map::new();
    let map = query_map(event, read.query_v2);
    for key in queries {
        let first = map.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let all = query_values(event, read.query_v2, key);
        query_map_json.insert(key.clone(), json!([first, all]));
    }
    let mut pairs = map;
    pairs.sort();
    let cookie_list = cookies(event, read.cookies_v2);
    let cookie_get: Map<String, Json> = cookie_list
        .iter()
        .map(|(name, _)| {
            let first = cookie_list.iter().find(|(k, _)| k == name).map(|(_, v)| v);
            (name.clone(), json!(first))
        })
        .collect();
    let context = &event["requestContext"];
    let ip = match source {
        Source::RestV1 => context["identity"]["sourceIp"].as_str(),
        Source::HttpV2 | Source::FunctionUrl => context["http"]["sourceIp"].as_str(),
        Source::Alb | Source::VpcLattice | Source::VpcLatticeV2 => None,
        // `Source` is non-exhaustive outside the crate (this file is also a unit test in it).
        #[allow(unreachable_patterns)]
        _ => None,
    };
    json!({
        "method": method.as_str().map(str::to_ascii_uppercase),
        "path": path(event, v2),
        "raw_body": event["body"].as_str(),
        "body": body,
        "body_ok": body_ok,
        "is_base64": is_base64,
        "headers": header_map,
        "header_pairs": header_pairs(event, read.headers_v2),
        "query": query_map_json,
        "query_pairs": pairs,
        "cookies": cookie_list,
        "cookie_get": cookie_get,
        "request_id": context["requestId"].as_str(),
        "stage": context["stage"].as_str(),
        "source_ip": ip,
    })
}

/// What the handler sees through `Request`, in the form of [`expected`].
pub fn seen(req: &Request<'_>, headers: &[String], queries: &[String]) -> Json {
    let mut header_map = Map::new();
    for name in headers {
        header_map.insert(
            name.clone(),
            json!([
                req.header(name),
                req.headers().get_all(name).collect::<Vec<_>>(),
                req.headers().contains(name)
            ]),
        );
    }
    let mut header_pairs: Vec<(&str, &str)> = req.headers().iter().collect();
    header_pairs.sort_unstable();
    let mut query_map_json = Map::new();
    for key in queries {
        query_map_json.insert(
            key.clone(),
            json!([
                req.query(key),
                req.query_params().get_all(key).collect::<Vec<_>>()
            ]),
        );
    }
    let mut query_pairs: Vec<(&str, &str)> = req.query_params().iter().collect();
    query_pairs.sort_unstable();
    let cookie_list: Vec<(&str, &str)> = req.cookies().iter().collect();
    let cookie_get: Map<String, Json> = cookie_list
        .iter()
        .map(|(name, _)| ((*name).to_owned(), json!(req.cookie(name))))
        .collect();
    let context = req.request_context();
    json!({
        "method": req.method().as_str(),
        "path": req.path(),
        "raw_body": req.raw_body(),
        "body": req.body().unwrap_or_default(),
        "body_ok": req.body().is_ok(),
        "is_base64": req.is_base64_encoded(),
        "headers": header_map,
        "header_pairs": header_pairs,
        "query": query_map_json,
        "query_pairs": query_pairs,
        "cookies": cookie_list,
        "cookie_get": cookie_get,
        "request_id": context.request_id(),
        "stage": context.stage(),
        "source_ip": context.source_ip(),
    })
}
