//! Shared pieces of the fuzz targets: the invariant every proxy response must satisfy,
//! naive predicates for RFC 9110 / RFC 6265 syntax, and small helpers.
//!
//! The predicates here are written independently of `src/response/validate.rs` (no shared
//! code), so a target that checks the crate's output with them is a differential check.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use lambda_router::{App, AppBuilder, EventError, LambdaContext, Scratch, Source};
use serde_json::{Value, json};

/// The app kinds a fuzz byte picks (`selector % KINDS`): the six sources, then
/// `App::any()`. The first four keep the selectors of the seeds written before Lattice.
pub const KINDS: u8 = 7;

/// The source of app kind `selector`; `None` for `App::any()`.
pub fn kind_source(selector: u8) -> Option<Source> {
    const ORDER: [Option<Source>; KINDS as usize] = [
        Some(Source::RestV1),
        Some(Source::HttpV2),
        Some(Source::Alb),
        Some(Source::FunctionUrl),
        Some(Source::VpcLattice),
        Some(Source::VpcLatticeV2),
        None,
    ];
    ORDER[usize::from(selector % KINDS)]
}

/// The app constructor of kind `selector` (see [`KINDS`]).
pub fn builder_for(selector: u8) -> AppBuilder {
    kind_source(selector).map_or_else(App::any, App::for_source)
}

/// The smallest event of `source` for `method path` (for targets that make their own).
pub fn minimal_event(source: Source, method: &str, path: &str) -> Value {
    match source {
        Source::HttpV2 | Source::FunctionUrl => {
            json!({"rawPath": path, "requestContext": {"http": {"method": method}}})
        }
        Source::VpcLattice => json!({"raw_path": path, "method": method}),
        Source::VpcLatticeV2 => json!({"version": "2.0", "path": path, "method": method}),
        _ => json!({"httpMethod": method, "path": path}),
    }
}

/// Every code an [`EventError`] may carry.
pub const EVENT_ERROR_CODES: &[&str] = &[
    EventError::INVALID_JSON,
    EventError::NOT_AN_OBJECT,
    EventError::MISSING_FIELD,
    EventError::WRONG_TYPE,
    EventError::INVALID_METHOD,
    EventError::WRONG_SOURCE,
    EventError::NOT_HTTP,
    EventError::UNKNOWN_SOURCE,
];

/// The constructors of the apps for the sources that are not HTTP requests.
const BEDROCK_CONSTRUCTORS: [&str; 2] = ["App::bedrock_agent()", "App::bedrock_agent_functions()"];

/// Panics unless `error` is one of the documented codes with a sane path, and one an app
/// for `accepts` (`None`: any HTTP source) may raise: only the app for any source finds no
/// source; it refuses as another source's event only an Amazon Bedrock Agents event (not
/// an HTTP request), naming the Bedrock constructor.
pub fn check_event_error(accepts: Option<Source>, error: &EventError) {
    assert!(
        EVENT_ERROR_CODES.contains(&error.code()),
        "unknown code {}",
        error.code()
    );
    match error.code() {
        EventError::INVALID_JSON
        | EventError::NOT_AN_OBJECT
        | EventError::WRONG_SOURCE
        | EventError::NOT_HTTP
        | EventError::UNKNOWN_SOURCE => {
            assert_eq!(error.path(), "", "{error}");
        }
        _ => assert!(!error.path().is_empty(), "{error}"),
    }
    match accepts {
        Some(_) => assert_ne!(error.code(), EventError::UNKNOWN_SOURCE, "{error}"),
        None if error.code() == EventError::WRONG_SOURCE => assert!(
            BEDROCK_CONSTRUCTORS
                .iter()
                .any(|constructor| error.message().ends_with(constructor)),
            "App::any() refused an HTTP event as another source's: {error}"
        ),
        None => {}
    }
    assert!(!error.to_string().is_empty());
}

/// The source `App::any()` read `event` as: its `answer` must be, byte for byte, the
/// answer of one of the fixed-source apps `fixed` (built alike), each given a `scratch`
/// prepared as the one `App::any()` answered with; that app's source is returned.
pub fn source_answering(
    fixed: &[App],
    event: &[u8],
    answer: &[u8],
    scratch: impl Fn() -> Scratch,
) -> Source {
    for app in fixed {
        let Some(source) = app.source() else { continue };
        let mut scratch = scratch();
        if let Ok(own) = app.handle_blocking(&mut scratch, event, &LambdaContext::default())
            && own == answer
        {
            return source;
        }
    }
    panic!(
        "App::any() answered as no app of one source does: {}",
        String::from_utf8_lossy(answer)
    );
}

/// RFC 9110 `tchar`.
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 9110 `token` (a header name, a cookie name).
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// RFC 9110 field value, leniently: VCHAR, SP, HTAB and obs-text (bytes >= 0x80);
/// no CTL (so no CR, LF or NUL) and no DEL.
pub fn is_field_value(s: &str) -> bool {
    s.bytes()
        .all(|b| b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80)
}

/// RFC 6265 `cookie-value`: `*cookie-octet` or the same in double quotes.
pub fn is_cookie_value(s: &str) -> bool {
    let inner = s
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(s);
    inner.bytes().all(|b| {
        b == 0x21
            || (0x23..=0x2b).contains(&b)
            || (0x2d..=0x3a).contains(&b)
            || (0x3c..=0x5b).contains(&b)
            || (0x5d..=0x7e).contains(&b)
    })
}

/// A cookie attribute value: no CTL and no `;` (bytes >= 0x80 allowed, as for headers).
pub fn is_attribute_value(s: &str) -> bool {
    s.bytes()
        .all(|b| b != b';' && b != 0x7f && (b >= 0x20 || b == b'\t'))
}

/// The shape a proxy response was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `multiValueHeaders` (REST, ALB multi-value).
    Multi,
    /// `headers` + `cookies` (HTTP API, Function URL).
    V2,
    /// `headers` only (ALB single-value, VPC Lattice).
    Single,
}

/// Parses `out` and panics unless it is one proxy response of the shape `source` allows:
/// exactly the expected keys, a status, string headers that are RFC 9110 tokens and field
/// values, a string (or `null`) body, and valid base64 when flagged. Returns the JSON.
pub fn check_envelope(source: Source, out: &[u8]) -> (Value, Shape) {
    let value: Value = serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!(
            "response is not JSON ({e}): {}",
            String::from_utf8_lossy(out)
        )
    });
    let object = value.as_object().expect("response is an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let shape = match keys.as_slice() {
        ["body", "isBase64Encoded", "multiValueHeaders", "statusCode"] => Shape::Multi,
        [
            "body",
            "cookies",
            "headers",
            "isBase64Encoded",
            "statusCode",
        ] => Shape::V2,
        ["body", "headers", "isBase64Encoded", "statusCode"] => Shape::Single,
        other => panic!("unexpected keys {other:?}"),
    };
    let allowed: &[Shape] = match source {
        Source::RestV1 => &[Shape::Multi],
        Source::HttpV2 | Source::FunctionUrl => &[Shape::V2],
        Source::Alb => &[Shape::Multi, Shape::Single],
        // Lattice reads no `cookies` and no `multiValueHeaders`.
        Source::VpcLattice | Source::VpcLatticeV2 => &[Shape::Single],
        _ => panic!("{source:?}: no envelope known to this check"),
    };
    assert!(allowed.contains(&shape), "{source:?} answered {shape:?}");
    assert!(value["statusCode"].is_u64(), "statusCode");
    let check_header = |name: &str, v: &Value| {
        let text = v.as_str().expect("header values are strings");
        assert!(is_token(name), "header name {name:?} written");
        assert!(is_field_value(text), "header value {text:?} written");
    };
    match shape {
        Shape::Multi => {
            for (name, list) in value["multiValueHeaders"].as_object().expect("map") {
                for v in list.as_array().expect("list") {
                    check_header(name, v);
                }
            }
        }
        Shape::V2 | Shape::Single => {
            for (name, v) in value["headers"].as_object().expect("map") {
                check_header(name, v);
            }
        }
    }
    if shape == Shape::V2 {
        for cookie in value["cookies"].as_array().expect("cookies") {
            let text = cookie.as_str().expect("cookie string");
            assert!(is_field_value(text), "cookie {text:?} written");
        }
    }
    let is_base64 = value["isBase64Encoded"].as_bool().expect("flag");
    match &value["body"] {
        Value::Null => assert!(
            !is_base64
                && matches!(
                    source,
                    Source::RestV1
                        | Source::HttpV2
                        | Source::FunctionUrl
                        | Source::VpcLattice
                        | Source::VpcLatticeV2
                ),
            "null body"
        ),
        Value::String(body) if is_base64 => {
            base64_simd::STANDARD
                .decode_to_vec(body.as_bytes())
                .expect("base64 body");
        }
        Value::String(_) => {}
        other => panic!("body {other}"),
    }
    (value, shape)
}

/// The first value of a response header (case-insensitive), in any shape.
pub fn header<'v>(response: &'v Value, name: &str) -> Option<&'v str> {
    if let Some(map) = response["multiValueHeaders"].as_object() {
        return map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.get(0)?.as_str());
    }
    response["headers"]
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

/// Every value of a response header (case-insensitive), in any shape: a `multiValueHeaders`
/// list as is, a single-value `headers` entry as one value (not split).
pub fn header_values<'v>(response: &'v Value, name: &str) -> Vec<&'v str> {
    let matching = |map: &'v serde_json::Map<String, Value>| {
        map.iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
    };
    if let Some(map) = response["multiValueHeaders"].as_object() {
        return matching(map)
            .into_iter()
            .flat_map(|list| list.as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
    }
    response["headers"]
        .as_object()
        .map(|map| {
            matching(map)
                .into_iter()
                .filter_map(Value::as_str)
                .collect()
        })
        .unwrap_or_default()
}

/// The library's rules for a finished response, whatever the handler set: no framing
/// header (the service frames the body), at most one value of each header the library
/// owns (`*, https://b.example` is two answers), a status within 100-599, and no body where
/// the status forbids one.
pub fn check_finished(response: &Value) {
    for framing in ["content-length", "transfer-encoding"] {
        assert!(
            header_values(response, framing).is_empty(),
            "{framing} written: {response}"
        );
    }
    for owned in [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
    ] {
        let values = header_values(response, owned);
        assert!(values.len() <= 1, "{owned} twice: {response}");
        assert!(
            values.iter().all(|v| !v.contains(", ")),
            "{owned} joined: {response}"
        );
    }
    let status = response["statusCode"].as_u64().expect("status");
    assert!((100..=599).contains(&status), "status {status} written");
    if matches!(status, 100..=199 | 204 | 304) {
        assert!(
            response["body"].is_null() || response["body"] == "",
            "body on {status}: {response}"
        );
    }
}

/// A small reader over the fuzz input for hand-made structure.
#[derive(Debug)]
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    /// The next byte (0 once exhausted).
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// The next `n` bytes (fewer once exhausted) as lossy text.
    pub fn text(&mut self, n: usize) -> String {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(head).into_owned()
    }
}

/// Marks the panics a target provokes on purpose (in handlers and middleware, where the
/// library must catch them).
pub const INTENDED: &str = "SECRET-";

/// libfuzzer-sys's panic hook aborts on every panic, even one the library catches; keep it
/// for every other panic. An intended panic that the library failed to catch still reaches
/// libfuzzer-sys's `catch_unwind` around the target, which aborts: a crash, as it should be.
pub fn let_intended_panics_unwind() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        if !message.is_some_and(|m| m.starts_with(INTENDED)) {
            abort(info);
        }
    }));
}
