//! Helpers for unit tests of routes without JSON fixtures: builders of valid events of each
//! source, a parsed view of the proxy response, and [`call`] to run one through an app.
//!
//! ```
//! use lambda_router::{App, Json, Request, testing};
//! use serde_json::{Value, json};
//!
//! let app = App::rest()
//!     .post("/todos", |req: &Request<'_>| {
//!         let todo: Value = req.json().unwrap_or_default();
//!         (201, Json(json!({ "title": todo["title"], "key": req.header("x-api-key") })))
//!     })
//!     .build()?;
//!
//! let response = testing::call(
//!     &app,
//!     testing::rest().post("/todos").header("X-Api-Key", "k").json(&json!({ "title": "docs" })),
//! );
//! assert_eq!(response.status(), 201);
//! assert_eq!(response.header("content-type"), Some("application/json"));
//! assert_eq!(response.json::<Value>()?, json!({ "title": "docs", "key": "k" }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The builders make the events API Gateway, ALB and Lambda send ([`rest`], [`http_api`],
//! [`alb`], [`alb_multi_value`], [`function_url`]); [`EventBuilder::to_json`] gives the
//! event as a `serde_json::Value` to change fields the builder does not cover.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::{App, EventError, LambdaContext, Scratch, Source};

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

/// Anything [`call`] accepts as an event: a builder, or the event's JSON as bytes, text
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

/// Runs `event` through `app` on this thread ([`App::handle_blocking`]) and parses the
/// response.
///
/// # Panics
/// If the app rejects the event as malformed (use [`try_call`] to test that), or its
/// response is not a proxy response.
#[allow(clippy::panic)]
pub fn call(app: &App, event: impl IntoEvent) -> TestResponse {
    match try_call(app, event) {
        Ok(response) => response,
        Err(error) => panic!("testing::call: {error}"),
    }
}

/// [`call`], returning the app's [`EventError`] (or an unreadable response) as an error.
///
/// # Errors
/// The event is malformed ([`TestError::Event`]), or the response is not a proxy
/// response ([`TestError::Response`]).
pub fn try_call(app: &App, event: impl IntoEvent) -> Result<TestResponse, TestError> {
    let event = event.into_event();
    let mut scratch = Scratch::new();
    let lambda = LambdaContext::with_request_id("test-request");
    let bytes = app
        .handle_blocking(&mut scratch, &event, &lambda)
        .map_err(TestError::Event)?;
    TestResponse::parse(bytes)
}

/// Why [`try_call`] or [`TestResponse::parse`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum TestError {
    /// The app rejected the event.
    Event(EventError),
    /// The bytes are not a proxy response: what is wrong.
    Response(String),
}

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Event(e) => write!(f, "the app rejected the event: {e}"),
            Self::Response(why) => write!(f, "not a proxy response: {why}"),
        }
    }
}

impl std::error::Error for TestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Event(e) => Some(e),
            Self::Response(_) => None,
        }
    }
}

/// A proxy response read back: status, headers (from `headers` and `multiValueHeaders`),
/// cookies (payload 2.0's `cookies` or `Set-Cookie` headers) and the decoded body.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: u16,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    body: Vec<u8>,
    base64: bool,
    raw: Value,
}

impl TestResponse {
    /// Reads a proxy response of any source.
    ///
    /// # Errors
    /// [`TestError::Response`] when `bytes` is not a JSON object with a numeric
    /// `statusCode`, or a base64 body does not decode.
    pub fn parse(bytes: &[u8]) -> Result<Self, TestError> {
        let bad = |why: &str| TestError::Response(why.to_owned());
        let raw: Value = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
        let status = raw
            .get("statusCode")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| bad("no numeric statusCode"))?;
        let base64 = raw.get("isBase64Encoded") == Some(&Value::Bool(true));
        let body = match raw.get("body").and_then(Value::as_str) {
            None => Vec::new(),
            Some(text) if base64 => base64_simd::STANDARD
                .decode_to_vec(text)
                .map_err(|e| bad(&format!("body is not base64: {e}")))?,
            Some(text) => text.as_bytes().to_vec(),
        };
        let mut headers = Vec::new();
        let multi = raw.get("multiValueHeaders").and_then(Value::as_object);
        for (name, values) in multi.into_iter().flatten() {
            for value in values.as_array().into_iter().flatten() {
                headers.push((name.clone(), value.as_str().unwrap_or_default().to_owned()));
            }
        }
        if let Some(single) = raw.get("headers").and_then(Value::as_object) {
            for (name, value) in single {
                if !multi.is_some_and(|m| m.contains_key(name)) {
                    headers.push((name.clone(), value.as_str().unwrap_or_default().to_owned()));
                }
            }
        }
        let mut cookies: Vec<String> = raw
            .get("cookies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        cookies.extend(
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
                .map(|(_, v)| v.clone()),
        );
        Ok(Self {
            status,
            headers,
            cookies,
            body,
            base64,
            raw,
        })
    }

    /// The status code.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of a header, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).into_iter().next()
    }

    /// Every value of a header, by case-insensitive name.
    #[must_use]
    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The cookies set, as `Set-Cookie` values (`name=value; Path=/; ...`).
    #[must_use]
    pub fn cookies(&self) -> Vec<&str> {
        self.cookies.iter().map(String::as_str).collect()
    }

    /// Whether the body was sent base64-encoded (binary or gzipped).
    #[must_use]
    pub fn is_base64_encoded(&self) -> bool {
        self.base64
    }

    /// The body bytes, base64-decoded (still gzipped if `Content-Encoding: gzip`).
    #[must_use]
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    /// The body is not JSON shaped like `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The whole proxy response as JSON.
    #[must_use]
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}
