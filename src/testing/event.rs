//! The event builders: valid events of each source, as the services send them.

use serde::Serialize;
use serde_json::Value;

use crate::Source;
use crate::source::{PlainRequest, RenderContext, query_pairs};

/// A builder of an API Gateway REST (payload 1.0) event.
pub fn rest() -> EventBuilder {
    EventBuilder::new(Source::RestV1)
}

/// A builder of an API Gateway HTTP API (payload 2.0) event.
pub fn http_api() -> EventBuilder {
    EventBuilder::new(Source::HttpV2)
}

/// A builder of an ALB event with multi-value headers off (`headers`,
/// `queryStringParameters`).
pub fn alb() -> EventBuilder {
    EventBuilder::new(Source::Alb)
}

/// A builder of an ALB event with multi-value headers on (`multiValueHeaders`,
/// `multiValueQueryStringParameters`); the app answers in the same style.
pub fn alb_multi_value() -> EventBuilder {
    EventBuilder {
        multi_value: true,
        ..EventBuilder::new(Source::Alb)
    }
}

/// A builder of a Lambda Function URL event.
pub fn function_url() -> EventBuilder {
    EventBuilder::new(Source::FunctionUrl)
}

/// A builder of a VPC Lattice event (event structure V1).
pub fn vpc_lattice() -> EventBuilder {
    EventBuilder::new(Source::VpcLattice)
}

/// A builder of a VPC Lattice event (event structure V2).
pub fn vpc_lattice_v2() -> EventBuilder {
    EventBuilder::new(Source::VpcLatticeV2)
}

/// A builder for the event of `source` (ALB with multi-value headers off).
pub fn event_for(source: Source) -> EventBuilder {
    EventBuilder::new(source)
}

/// One event being built: method, path, headers, query, cookies and body. Query values
/// and paths are given as plain text; the builder encodes them as each service does.
#[derive(Debug, Clone)]
#[must_use]
pub struct EventBuilder {
    source: Source,
    /// ALB: multi-value headers on.
    multi_value: bool,
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
    fn new(source: Source) -> Self {
        Self {
            source,
            multi_value: false,
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
        self.query.extend(query_pairs(query));
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
        let mut headers = self.headers.clone();
        if !self.cookies.is_empty() {
            let line: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            headers.push(("Cookie".to_owned(), line.join("; ")));
        }
        let context = RenderContext {
            request_id: "test-request".to_owned(),
            source_ip: "127.0.0.1".to_owned(),
            account_id: "123456789012",
            api_id: "test",
            stage: "test",
            domain: "localhost".to_owned(),
            time_epoch_ms: 1_700_000_000_000,
        };
        let request = PlainRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: self.body.as_deref(),
            base64: self.base64,
            multi_value: self.multi_value,
            context: &context,
        };
        (self.source.def().render)(&request)
    }

    /// The event's bytes, as the Lambda runtime hands them to the function.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }
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
