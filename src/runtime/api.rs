//! The Lambda Runtime API's requests, through the official client
//! (`lambda_runtime_api_client`): the next invocation (its headers read straight into a
//! reused [`LambdaContext`]), the response, the invocation error and the init error.
//! Bodies travel as bytes; nothing is deserialized or re-encoded here.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Uri};
use http_body_util::BodyExt;
use lambda_runtime_api_client::body::Body;
use lambda_runtime_api_client::{BoxError, PooledClient, build_request};

use crate::LambdaContext;

const NEXT: &str = "/2018-06-01/runtime/invocation/next";
const INVOCATION: &str = "/2018-06-01/runtime/invocation/";
const INIT_ERROR: &str = "/2018-06-01/runtime/init/error";

// Header names as `HeaderName`s: a lookup by `&str` would parse the name each time.
const REQUEST_ID: HeaderName = HeaderName::from_static("lambda-runtime-aws-request-id");
const DEADLINE_MS: HeaderName = HeaderName::from_static("lambda-runtime-deadline-ms");
const FUNCTION_ARN: HeaderName = HeaderName::from_static("lambda-runtime-invoked-function-arn");
const TRACE_ID: HeaderName = HeaderName::from_static("lambda-runtime-trace-id");
/// Lambda Managed Instances' id of one invocation, echoed on its response.
const INVOCATION_ID: HeaderName = HeaderName::from_static("lambda-runtime-invocation-id");
const ERROR_TYPE: &str = "lambda-runtime-function-error-type";

/// One invocation as `/next` delivered it.
#[derive(Debug)]
pub(super) struct Invocation {
    /// The event, as sent.
    pub(super) event: Bytes,
    /// The Managed Instances invocation id, when present.
    invocation_id: Option<HeaderValue>,
}

/// The Runtime API of this execution environment.
#[derive(Debug)]
pub(super) struct RuntimeApi {
    client: PooledClient,
}

impl RuntimeApi {
    /// The client for `AWS_LAMBDA_RUNTIME_API` (checked to be a URI before), with one
    /// pooled connection per invocation that can be in flight.
    pub(super) fn new(concurrency: usize) -> Self {
        Self {
            client: PooledClient::builder().with_pool_size(concurrency).build(),
        }
    }

    /// Waits for the next invocation; its request id, deadline, function ARN and trace
    /// header are written into `context` (the strings keep their capacity, so a warm
    /// invocation allocates nothing there).
    pub(super) async fn next(&self, context: &mut LambdaContext) -> Result<Invocation, BoxError> {
        let response = loop {
            let request = build_request()
                .method(Method::GET)
                .uri(Uri::from_static(NEXT))
                .body(Body::empty())?;
            let response = self.client.call(request).await?;
            // 204: no invocation yet, poll again (local emulators such as `cargo lambda
            // watch` answer so to keep an idle function alive).
            if response.status() != http::StatusCode::NO_CONTENT {
                break response;
            }
        };
        if !response.status().is_success() {
            return Err(
                format!("the Runtime API answered /next with {}", response.status()).into(),
            );
        }
        let (parts, body) = response.into_parts();
        read_context(&parts.headers, context)?;
        let event = body.collect().await?.to_bytes();
        Ok(Invocation {
            event,
            invocation_id: parts.headers.get(&INVOCATION_ID).cloned(),
        })
    }

    /// Posts `body` as the invocation's response (`headers` for a streamed one).
    pub(super) async fn respond(
        &self,
        request_id: &str,
        invocation: &Invocation,
        headers: &[(&'static str, &'static str)],
        body: Body,
    ) -> Result<(), BoxError> {
        let mut request = build_request()
            .method(Method::POST)
            .uri(invocation_uri(request_id, "/response")?);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.post(with_invocation_id(request, invocation).body(body)?)
            .await
    }

    /// Posts a failed invocation: `{"errorType": error_type, "errorMessage": message}`.
    pub(super) async fn fail(
        &self,
        request_id: &str,
        invocation: &Invocation,
        error_type: &str,
        message: &str,
    ) -> Result<(), BoxError> {
        let request = build_request()
            .method(Method::POST)
            .uri(invocation_uri(request_id, "/error")?)
            .header(ERROR_TYPE, "unhandled");
        let body = diagnostic(error_type, message)?;
        self.post(with_invocation_id(request, invocation).body(body)?)
            .await
    }

    /// Reports a failed initialization (`/runtime/init/error`) before the process stops.
    pub(super) async fn init_error(&self, error_type: &str, message: &str) -> Result<(), BoxError> {
        let request = build_request()
            .method(Method::POST)
            .uri(Uri::from_static(INIT_ERROR))
            .header(ERROR_TYPE, "Runtime.InitError")
            .body(diagnostic(error_type, message)?)?;
        self.post(request).await
    }

    async fn post(&self, request: Request<Body>) -> Result<(), BoxError> {
        let response = self.client.call(request).await?;
        let status = response.status();
        if !status.is_success() {
            // 410: the invocation timed out or was answered already; 413: too large. The
            // invocation is over either way; the loop goes on (as lambda_runtime's does).
            tracing::error!(%status, "lambda-router: the Runtime API refused a post");
        }
        // Read to its end, the answer (`202 {"status":"OK"}`) frees the connection for the
        // next `/next`; dropped unread, it closes the connection, and every invocation
        // would open a new one. A failure here only loses that reuse.
        let mut body = response.into_body();
        while let Some(Ok(_)) = body.frame().await {}
        Ok(())
    }
}

/// `/2018-06-01/runtime/invocation/{request_id}{what}`.
fn invocation_uri(request_id: &str, what: &str) -> Result<Uri, BoxError> {
    let mut path = String::with_capacity(INVOCATION.len() + request_id.len() + what.len());
    path.push_str(INVOCATION);
    path.push_str(request_id);
    path.push_str(what);
    Ok(Uri::try_from(path)?)
}

fn with_invocation_id(
    request: http::request::Builder,
    invocation: &Invocation,
) -> http::request::Builder {
    match &invocation.invocation_id {
        Some(id) => request.header(&INVOCATION_ID, id.clone()),
        None => request,
    }
}

/// The error document the Runtime API expects.
fn diagnostic(error_type: &str, message: &str) -> Result<Body, serde_json::Error> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Diagnostic<'a> {
        error_type: &'a str,
        error_message: &'a str,
    }
    serde_json::to_vec(&Diagnostic {
        error_type,
        error_message: message,
    })
    .map(Body::from)
}

/// Reads the invocation's headers into `context`. Without a request id the invocation
/// cannot be answered, so that is an error; a missing or malformed deadline reads as
/// unknown (0), as [`LambdaContext::remaining_time_ms`] documents.
pub(super) fn read_context(
    headers: &HeaderMap,
    context: &mut LambdaContext,
) -> Result<(), BoxError> {
    let request_id = headers
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty())
        .ok_or("the Runtime API sent an invocation without a usable request id")?;
    replace(&mut context.request_id, request_id);
    context.deadline_ms = headers
        .get(&DEADLINE_MS)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let arn = headers.get(&FUNCTION_ARN).and_then(|v| v.to_str().ok());
    replace(&mut context.invoked_function_arn, arn.unwrap_or_default());
    match headers.get(&TRACE_ID).and_then(|v| v.to_str().ok()) {
        Some(trace) => replace(context.xray_trace_id.get_or_insert_default(), trace),
        None => context.xray_trace_id = None,
    }
    Ok(())
}

/// Overwrites `target` with `value`, reusing its buffer.
fn replace(target: &mut String, value: &str) {
    target.clear();
    target.push_str(value);
}
