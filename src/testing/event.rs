//! The event builders: valid events of each source, as the services send them.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::Source;

/// A builder of an API Gateway REST (payload 1.0) event.
pub fn rest() -> EventBuilder {
    EventBuilder::new(Shape::Rest)
}

/// A builder of an API Gateway HTTP API (payload 2.0) event.
pub fn http_api() -> EventBuilder {
    EventBuilder::new(Shape::HttpApi)
}

/// A builder of an ALB event with multi-value headers off (`headers`,
/// `queryStringParameters`).
pub fn alb() -> EventBuilder {
    EventBuilder::new(Shape::Alb)
}

/// A builder of an ALB event with multi-value headers on (`multiValueHeaders`,
/// `multiValueQueryStringParameters`); the app answers in the same style.
pub fn alb_multi_value() -> EventBuilder {
    EventBuilder::new(Shape::AlbMultiValue)
}

/// A builder of a Lambda Function URL event.
pub fn function_url() -> EventBuilder {
    EventBuilder::new(Shape::FunctionUrl)
}

/// A builder for the event of `source` (ALB with multi-value headers off).
pub fn event_for(source: Source) -> EventBuilder {
    EventBuilder::new(match source {
        Source::RestV1 => Shape::Rest,
        Source::HttpV2 => Shape::HttpApi,
        Source::Alb => Shape::Alb,
        Source::FunctionUrl => Shape::FunctionUrl,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Rest,
    HttpApi,
    Alb,
    AlbMultiValue,
    FunctionUrl,
}

/// One event being built: method, path, headers, query, cookies and body. Query values
/// and paths are given as plain text; the builder encodes them as each service does.
#[derive(Debug, Clone)]
#[must_use]
pub struct EventBuilder {
    shape: Shape,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<String>,
    base64: bool,
}

macro_rules! method_shorthands {
    ($($name:ident $method:literal),*) => {$(
        #[doc = concat!("A `", $method, "` request to `path` (the path may carry a `?query`).")]
        pub fn $name(self, path: &str) -> Self {
            self.method($method).path(path)
        }
    )*};
}

impl EventBuilder {
    fn new(shape: Shape) -> Self {
        Self {
            shape,
            method: "GET".to_owned(),
            path: "/".to_owned(),
            headers: Vec::new(),
            query: Vec::new(),
            cookies: Vec::new(),
            body: None,
            base64: false,
        }
    }

    method_shorthands!(
        get "GET", post "POST", put "PUT", patch "PATCH", delete "DELETE",
        head "HEAD", options "OPTIONS"
    );

    /// The request method (default `GET`).
    pub fn method(mut self, method: &str) -> Self {
        method.clone_into(&mut self.method);
        self
    }

    /// The request path (default `/`). A `?query` part is split off into query
    /// parameters (its values percent-decoded).
    pub fn path(mut self, path: &str) -> Self {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        path.clone_into(&mut self.path);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            self.query
                .push((percent_decode(name), percent_decode(value)));
        }
        self
    }

    /// Adds a header (repeat the call for several values).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds a query parameter (repeat the call for several values).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds a request cookie (the `Cookie` header, or payload 2.0's `cookies`).
    pub fn cookie(mut self, name: &str, value: &str) -> Self {
        self.cookies.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A text body.
    pub fn body(mut self, text: impl Into<String>) -> Self {
        self.body = Some(text.into());
        self.base64 = false;
        self
    }

    /// A binary body, sent base64-encoded with `isBase64Encoded: true`.
    pub fn binary(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.body = Some(base64_simd::STANDARD.encode_to_string(bytes.as_ref()));
        self.base64 = true;
        self
    }

    /// A JSON body with `Content-Type: application/json`.
    ///
    /// # Panics
    /// If `body` cannot be serialized (a map with non-string keys, say).
    #[allow(clippy::expect_used)]
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        let text = serde_json::to_string(body).expect("the test body serializes to JSON");
        self.header("Content-Type", "application/json").body(text)
    }

    /// The event as JSON, to change or add fields before sending it.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self.shape {
            Shape::Rest => self.rest_event(),
            Shape::HttpApi | Shape::FunctionUrl => self.v2_event(),
            Shape::Alb | Shape::AlbMultiValue => self.alb_event(),
        }
    }

    /// The event's bytes, as the Lambda runtime hands them to the function.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    fn cookie_header(&self) -> Option<(String, String)> {
        (!self.cookies.is_empty()).then(|| {
            let line: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            ("Cookie".to_owned(), line.join("; "))
        })
    }

    fn all_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        headers.extend(self.cookie_header());
        headers
    }

    fn body_value(&self) -> Value {
        self.body.as_deref().map_or(Value::Null, Value::from)
    }

    fn rest_event(&self) -> Value {
        let headers = self.all_headers();
        json!({
            "resource": "/{proxy+}",
            "path": self.path,
            "httpMethod": self.method,
            "headers": last_values(&headers, false),
            "multiValueHeaders": all_values(&headers, false),
            "queryStringParameters": non_empty(last_values(&self.query, false)),
            "multiValueQueryStringParameters": non_empty(all_values(&self.query, false)),
            "pathParameters": null,
            "stageVariables": null,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "test",
                "httpMethod": self.method,
                "identity": { "sourceIp": "127.0.0.1" },
                "path": format!("/test{}", self.path),
                "protocol": "HTTP/1.1",
                "requestId": "test-request",
                "resourcePath": "/{proxy+}",
                "stage": "test",
            },
            "body": self.body_value(),
            "isBase64Encoded": self.base64,
        })
    }

    fn v2_event(&self) -> Value {
        let (api_id, domain) = if self.shape == Shape::FunctionUrl {
            ("test-url", "test-url.lambda-url.us-east-1.on.aws")
        } else {
            ("test", "test.execute-api.us-east-1.amazonaws.com")
        };
        let raw_query: Vec<String> = self
            .query
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect();
        let mut event = json!({
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": self.path,
            "rawQueryString": raw_query.join("&"),
            "headers": joined_values(&self.headers),
            "requestContext": {
                "accountId": "123456789012",
                "apiId": api_id,
                "domainName": domain,
                "http": {
                    "method": self.method,
                    "path": self.path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": "127.0.0.1",
                    "userAgent": "lambda-router-testing",
                },
                "requestId": "test-request",
                "routeKey": "$default",
                "stage": "$default",
            },
            "isBase64Encoded": self.base64,
        });
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            event["cookies"] = Value::from(cookies);
        }
        if !self.query.is_empty() {
            event["queryStringParameters"] = Value::Object(joined_values(&self.query));
        }
        if let Some(body) = &self.body {
            event["body"] = Value::from(body.as_str());
        }
        event
    }

    fn alb_event(&self) -> Value {
        let mut headers = self.all_headers();
        // ALB always sends `host`; an app reads a non-empty `multiValueHeaders` as
        // multi-value mode on.
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            headers.insert(0, ("host".to_owned(), "test.elb.amazonaws.com".to_owned()));
        }
        // ALB passes query names and values as sent (still percent-encoded).
        let query: Vec<(String, String)> = self
            .query
            .iter()
            .map(|(n, v)| (percent_encode(n), percent_encode(v)))
            .collect();
        let mut event = json!({
            "requestContext": { "elb": {
                "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/test/0"
            } },
            "httpMethod": self.method,
            "path": self.path,
            "body": self.body.as_deref().unwrap_or(""),
            "isBase64Encoded": self.base64,
        });
        if self.shape == Shape::AlbMultiValue {
            event["multiValueHeaders"] = Value::Object(all_values(&headers, true));
            event["multiValueQueryStringParameters"] = Value::Object(all_values(&query, false));
        } else {
            event["headers"] = Value::Object(last_values(&headers, true));
            event["queryStringParameters"] = Value::Object(last_values(&query, false));
        }
        event
    }
}

fn key(name: &str, lower: bool) -> String {
    if lower {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    }
}

fn last_values(pairs: &[(String, String)], lower: bool) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(n, v)| (key(n, lower), Value::from(v.as_str())))
        .collect()
}

fn all_values(pairs: &[(String, String)], lower: bool) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        if let Value::Array(values) = map
            .entry(key(name, lower))
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::from(value.as_str()));
        }
    }
    map
}

/// Payload 2.0: lower-case names, repeated values joined with commas.
fn joined_values(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        match map.get_mut(&name.to_ascii_lowercase()) {
            Some(Value::String(joined)) => {
                joined.push(',');
                joined.push_str(value);
            }
            _ => {
                map.insert(name.to_ascii_lowercase(), Value::from(value.as_str()));
            }
        }
    }
    map
}

fn non_empty(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// What a query string escapes: everything but RFC 3986's unreserved characters.
const QUERY_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_ESCAPES).to_string()
}

/// Decodes `%XX` escapes; anything malformed is kept as sent.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Anything [`call`](super::call) accepts as an event: a builder, or the event's JSON as bytes, text
/// or a `serde_json::Value`.
pub trait IntoEvent {
    /// The event's bytes.
    fn into_event(self) -> Vec<u8>;
}

impl IntoEvent for EventBuilder {
    fn into_event(self) -> Vec<u8> {
        self.to_bytes()
    }
}

impl IntoEvent for &EventBuilder {
    fn into_event(self) -> Vec<u8> {
        self.to_bytes()
    }
}

impl IntoEvent for Vec<u8> {
    fn into_event(self) -> Vec<u8> {
        self
    }
}

impl IntoEvent for &[u8] {
    fn into_event(self) -> Vec<u8> {
        self.to_vec()
    }
}

impl<const N: usize> IntoEvent for &[u8; N] {
    fn into_event(self) -> Vec<u8> {
        self.to_vec()
    }
}

impl IntoEvent for &str {
    fn into_event(self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}

impl IntoEvent for Value {
    fn into_event(self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl IntoEvent for &Value {
    fn into_event(self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}
