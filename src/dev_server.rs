//! A local HTTP server for development: each real HTTP request becomes an event of the
//! app's [`Source`], the app answers it, and the proxy response goes back as HTTP.
//!
//! [`run`](crate::run) starts it outside Lambda, on `127.0.0.1:3000` (`PORT` overrides):
//!
//! ```sh
//! cargo run --example todos
//! curl -i localhost:3000/todos
//! ```
//!
//! What it does, per request:
//!
//! - the event follows the app's source: API Gateway REST (payload 1.0, `headers` and
//!   `multiValueHeaders`, stage `local`), HTTP API (payload 2.0, `cookies` lifted out of
//!   the `Cookie` header), ALB (single-value headers, query values left encoded as ALB
//!   does) or Function URL;
//! - a UTF-8 body is sent as text, any other body base64-encoded with `isBase64Encoded`;
//! - the response's `statusCode`, `headers`, `multiValueHeaders` and `cookies` (as
//!   `Set-Cookie`) become the HTTP response; a base64 body is decoded, so a gzipped body
//!   arrives as gzip with its `Content-Encoding`;
//! - one log line per request on stderr: method, path, status, microseconds.
//!
//! It is a development tool: it binds loopback, keeps no limits on body size, and is not
//! meant to face the internet.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

use crate::{App, LambdaContext, Scratch, Source};

/// The port when `PORT` is not set.
pub const DEFAULT_PORT: u16 = 3000;

/// How long a handler may take, as the dev server's [`LambdaContext`] deadline says.
const DEADLINE_MS: u64 = 30_000;

/// Binds `127.0.0.1:$PORT` (3000 by default) and serves `app` there until the process
/// ends, whether or not it runs inside Lambda ([`run`](crate::run) calls it outside).
///
/// # Errors
/// `PORT` is not a port number, binding failed, or accepting a connection failed.
pub async fn serve(app: App) -> std::io::Result<()> {
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse::<u16>().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("PORT={port} is not a port number"),
            )
        })?,
        Err(_) => DEFAULT_PORT,
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "lambda-router dev server: http://{} ({} events)",
        listener.local_addr()?,
        source_name(app.source())
    );
    serve_on(listener, app).await
}

/// Serves `app` on an already bound listener (bind port 0 in tests), one tokio task per
/// connection, until accepting fails.
///
/// ```no_run
/// # async fn demo(app: lambda_router::App) -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// println!("listening on {}", listener.local_addr()?);
/// lambda_router::dev_server::serve_on(listener, app).await
/// # }
/// ```
///
/// # Errors
/// Accepting a connection failed.
pub async fn serve_on(listener: TcpListener, app: impl Into<Arc<App>>) -> std::io::Result<()> {
    let server = Arc::new(DevServer {
        app: app.into(),
        scratches: Mutex::new(Vec::new()),
        requests: AtomicU64::new(0),
    });
    loop {
        let (stream, peer) = listener.accept().await?;
        let server = Arc::clone(&server);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let server = Arc::clone(&server);
                async move { Ok::<_, Infallible>(server.answer(request, peer).await) }
            });
            if let Err(error) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("lambda-router dev server: connection from {peer}: {error}");
            }
        });
    }
}

/// The app, a pool of [`Scratch`]es (one per request in flight) and a request counter.
struct DevServer {
    app: Arc<App>,
    scratches: Mutex<Vec<Scratch>>,
    requests: AtomicU64,
}

type HttpResponse = hyper::Response<Full<Bytes>>;

impl DevServer {
    async fn answer(&self, request: hyper::Request<Incoming>, peer: SocketAddr) -> HttpResponse {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let response = match body.collect().await {
            Ok(body) => self.invoke(&parts, &body.to_bytes(), peer).await,
            Err(error) => plain(400, format!("could not read the request body: {error}")),
        };
        eprintln!(
            "{} {} {} {}µs",
            parts.method,
            parts.uri.path(),
            response.status().as_u16(),
            started.elapsed().as_micros()
        );
        response
    }

    async fn invoke(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        peer: SocketAddr,
    ) -> HttpResponse {
        let number = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("dev-{number:08}");
        let event = to_event(self.app.source(), parts, body, peer, &request_id);
        let lambda = LambdaContext {
            request_id,
            invoked_function_arn: "arn:aws:lambda:local:000000000000:function:dev-server"
                .to_owned(),
            deadline_ms: now_ms() + DEADLINE_MS,
            xray_trace_id: None,
            function_name: "dev-server".to_owned(),
            function_version: "$LATEST".to_owned(),
            memory_limit_mb: 128,
        };
        let mut scratch = self
            .scratches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        let response = match self.app.handle(&mut scratch, &event, &lambda).await {
            Ok(proxy) => from_proxy_response(proxy),
            Err(error) => plain(500, format!("the app rejected the event: {error}")),
        };
        self.scratches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(scratch);
        response
    }
}

fn source_name(source: Source) -> &'static str {
    match source {
        Source::RestV1 => "API Gateway REST",
        Source::HttpV2 => "API Gateway HTTP API",
        Source::Alb => "ALB",
        Source::FunctionUrl => "Function URL",
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A text response of the dev server itself (not of the app).
fn plain(status: u16, text: String) -> HttpResponse {
    let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The event of `source` for one HTTP request.
fn to_event(
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

/// The HTTP response for a proxy response (any source's shape).
fn from_proxy_response(proxy: &[u8]) -> HttpResponse {
    let Ok(Value::Object(proxy)) = serde_json::from_slice::<Value>(proxy) else {
        return plain(502, "the app's response is not a JSON object".to_owned());
    };
    let status = proxy
        .get("statusCode")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| http::StatusCode::from_u16(s).ok());
    let Some(status) = status else {
        return plain(502, "the app's response has no valid statusCode".to_owned());
    };
    let body = match proxy.get("body").and_then(Value::as_str) {
        None => Bytes::new(),
        Some(text) if proxy.get("isBase64Encoded") == Some(&Value::Bool(true)) => {
            match base64_simd::STANDARD.decode_to_vec(text) {
                Ok(bytes) => Bytes::from(bytes),
                Err(_) => return plain(502, "the app's body is not valid base64".to_owned()),
            }
        }
        Some(text) => Bytes::from(text.to_owned()),
    };
    let mut response = hyper::Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let mut add = |name: &str, value: &Value| {
        let (Ok(name), Some(Ok(value))) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(HeaderValue::from_str),
        ) else {
            return;
        };
        headers.append(name, value);
    };
    if let Some(Value::Object(multi)) = proxy.get("multiValueHeaders") {
        for (name, values) in multi {
            for value in values.as_array().into_iter().flatten() {
                add(name, value);
            }
        }
    }
    // As API Gateway merges them: a name in `multiValueHeaders` wins over `headers`.
    let multi = proxy.get("multiValueHeaders").and_then(Value::as_object);
    if let Some(Value::Object(single)) = proxy.get("headers") {
        for (name, value) in single {
            if !multi.is_some_and(|m| m.contains_key(name)) {
                add(name, value);
            }
        }
    }
    for cookie in proxy
        .get("cookies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add("set-cookie", cookie);
    }
    response
}
