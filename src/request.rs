//! The request a handler sees: borrowed views of one event, valid for one invocation.

use http::{Extensions, Method};
use serde::Deserialize;

use crate::event::{Cookies, EventView, Headers, JsonView, Query, RequestContext, Source};
use crate::router::Params;

mod body;
mod json_read;
mod skipping;
mod unescaped;

pub use body::BodyError;
pub(crate) use body::ReceivedBody;
pub(crate) use json_read::read_json;
pub(crate) use skipping::Skipping;
pub(crate) use unescaped::Unescaped;

/// The Lambda invocation's context (Powertools' `LambdaContext`).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LambdaContext {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`).
    pub request_id: String,
    /// The ARN the function was invoked with.
    pub invoked_function_arn: String,
    /// When the invocation times out, in milliseconds since the Unix epoch.
    pub deadline_ms: u64,
    /// The X-Ray trace header, when tracing is on.
    pub xray_trace_id: Option<String>,
    /// The function's name.
    pub function_name: String,
    /// The function's version.
    pub function_version: String,
    /// The memory configured for the function, in MB.
    pub memory_limit_mb: u32,
}

impl LambdaContext {
    /// A context with this request id, for tests and local runs.
    #[must_use]
    pub fn with_request_id(request_id: impl Into<String>) -> Self {
        Self {
            request_id: request_id.into(),
            ..Self::default()
        }
    }

    /// Milliseconds left before the deadline (0 once passed, or when no deadline is known).
    #[must_use]
    pub fn remaining_time_ms(&self) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.deadline_ms.saturating_sub(now)
    }
}

/// The body of a request could not be read as the JSON the handler asked for.
#[derive(Debug)]
pub struct JsonBodyError {
    inner: JsonBodyFault,
}

#[derive(Debug)]
enum JsonBodyFault {
    Body(BodyError),
    Syntax(serde_json::Error),
}

impl std::fmt::Display for JsonBodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            JsonBodyFault::Body(e) => e.fmt(f),
            JsonBodyFault::Syntax(e) => write!(f, "the request body is not the expected JSON: {e}"),
        }
    }
}

impl std::error::Error for JsonBodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner {
            JsonBodyFault::Body(e) => Some(e),
            JsonBodyFault::Syntax(e) => Some(e),
        }
    }
}

/// One HTTP request, borrowed from the event for the length of the invocation.
///
/// ```
/// # use lambda_router::{App, Json, Request};
/// fn get_todo(req: &Request<'_>) -> Json<serde_json::Value> {
///     let id = req.param("todo_id").unwrap_or_default();
///     let verbose = req.query("verbose") == Some("true");
///     Json(serde_json::json!({ "id": id, "verbose": verbose }))
/// }
/// let app = App::rest().get("/todos/<todo_id>", get_todo).build();
/// assert!(app.is_ok());
/// ```
#[derive(Debug)]
pub struct Request<'a> {
    pub(crate) event: EventView<'a>,
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) params: Params<'a>,
    /// The decoded body, or why it could not be decoded (told only to a reader of it).
    pub(crate) body: Result<Option<ReceivedBody<'a>>, BodyError>,
    pub(crate) lambda: &'a LambdaContext,
    pub(crate) context: Extensions,
    /// The app's state ([`AppBuilder::state`](crate::AppBuilder::state)), when it has one.
    pub(crate) state: Option<&'a (dyn std::any::Any + Send + Sync)>,
    /// Where the body's strings written with escapes are kept once unescaped.
    pub(crate) unescaped: &'a Unescaped,
}

impl<'a> Request<'a> {
    /// The event source.
    #[must_use]
    pub fn source(&self) -> Source {
        self.event.source
    }

    /// The HTTP method (upper-case).
    #[must_use]
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path as routed: after `strip_prefixes`, not percent-decoded.
    #[must_use]
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The path exactly as the event carried it: an HTTP API's `rawPath` with its stage,
    /// VPC Lattice's path with a query string if the service put one there. (The path
    /// routed on, [`path`](Self::path), has those removed, and `strip_prefixes` applied.)
    #[must_use]
    pub fn raw_path(&self) -> &'a str {
        self.event.raw_path
    }

    /// A path parameter captured by a `<name>` segment or a named regex group: the raw
    /// text, never percent-decoded.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params.get(name)
    }

    /// Every captured path parameter.
    #[must_use]
    pub fn params(&self) -> &Params<'a> {
        &self.params
    }

    /// The single value of a query parameter (see [`Query::get`]).
    #[must_use]
    pub fn query(&self, name: &str) -> Option<&'a str> {
        self.event.query.get(name)
    }

    /// The query string parameters.
    #[must_use]
    pub fn query_params(&self) -> Query<'a> {
        self.event.query
    }

    /// A request header, by case-insensitive name (see [`Headers::get`]).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.event.headers.get(name)
    }

    /// The request headers.
    #[must_use]
    pub fn headers(&self) -> Headers<'a> {
        self.event.headers
    }

    /// A request cookie by name.
    #[must_use]
    pub fn cookie(&self, name: &str) -> Option<&'a str> {
        self.event.cookies.get(name)
    }

    /// The request cookies.
    #[must_use]
    pub fn cookies(&self) -> Cookies<'a> {
        self.event.cookies
    }

    /// The `body` field as the event carried it (still base64 text when
    /// [`is_base64_encoded`](Self::is_base64_encoded)).
    #[must_use]
    pub fn raw_body(&self) -> Option<&'a str> {
        self.event.body
    }

    /// Whether the event's body is base64-encoded.
    #[must_use]
    pub fn is_base64_encoded(&self) -> bool {
        self.event.is_base64_encoded
    }

    /// The body bytes, base64-decoded when the event says so (`None` when there is none).
    ///
    /// # Errors
    /// [`BodyError::InvalidBase64`] when the event says the body is base64 but it does not
    /// decode (the request still reached its route; a route that never reads the body
    /// answers normally).
    pub fn body(&self) -> Result<Option<&'a [u8]>, BodyError> {
        self.body.map(|body| body.map(ReceivedBody::bytes))
    }

    /// The body as UTF-8 text (`None` when there is none).
    ///
    /// # Errors
    /// [`BodyError::InvalidBase64`] as for [`body`](Self::body); [`BodyError::NotUtf8`]
    /// when the bytes are not UTF-8.
    pub fn body_text(&self) -> Result<Option<&'a str>, BodyError> {
        self.body?.map(ReceivedBody::text).transpose()
    }

    /// The body parsed as JSON into `T`. An absent or empty body reads as JSON `null`, so
    /// `Option<T>` gives `None`.
    ///
    /// The body is parsed here, by `serde_json` straight into `T`, each time this is called,
    /// and never before: a request whose handler and middleware do not read its body costs
    /// no parse, and a read costs what `serde_json::from_slice` into `T` costs: the same
    /// heap, to the byte, and about the same time (less for a body heavy in strings).
    /// Strings borrow from the event where the body writes them without escapes; one
    /// written with escapes (`"say \"hi\""`) is unescaped into a copy kept for the
    /// invocation, so a `&'a str` field reads every string.
    ///
    /// Nesting is limited as in `serde_json`: a body whose 128th nested array or object
    /// (an enum given as an object counts as one) is read into `T` is refused with
    /// "recursion limit exceeded", so a recursive `T` (or `serde_json::Value`) cannot be
    /// driven deep enough to overflow the stack. Values `T` skips do not count (they are
    /// skipped without recursing).
    ///
    /// # Errors
    /// The body is not UTF-8 ([`BodyError::NotUtf8`], for a base64 body), not JSON, not
    /// shaped like `T`, or nested too deep.
    pub fn json<T: Deserialize<'a>>(&self) -> Result<T, JsonBodyError> {
        let text = self.json_text().map_err(|e| JsonBodyError {
            inner: JsonBodyFault::Body(e),
        })?;
        read_json(text, self.unescaped).map_err(|e| JsonBodyError {
            inner: JsonBodyFault::Syntax(e),
        })
    }

    /// The body as the JSON text to read: `null` when absent or empty. Read as text, so
    /// that `serde_json` does not check the UTF-8 of each string again (the event's text
    /// was checked whole; decoded bytes are checked here once, and JSON is UTF-8).
    pub(crate) fn json_text(&self) -> Result<&'a str, BodyError> {
        match self.body? {
            Some(body) => match body.text()? {
                "" => Ok("null"),
                text => Ok(text),
            },
            None => Ok("null"),
        }
    }

    /// The event's `requestContext`.
    #[must_use]
    pub fn request_context(&self) -> RequestContext<'a> {
        self.event.request_context
    }

    /// The whole event, for fields this API has no accessor for.
    #[must_use]
    pub fn event(&self) -> JsonView<'a> {
        self.event.root
    }

    /// The Lambda context of this invocation.
    #[must_use]
    pub fn lambda_context(&self) -> &'a LambdaContext {
        self.lambda
    }

    /// The time left before the invocation's deadline (zero once passed, or when no
    /// deadline is known), to budget slow work or answer before the
    /// [deadline guard](crate::AppBuilder::deadline_guard) does.
    #[must_use]
    pub fn remaining_time(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.lambda.remaining_time_ms())
    }

    /// The shared per-invocation context (Powertools' `app.context`): values set on the
    /// [`Scratch`](crate::Scratch) before the invocation or by a middleware, emptied after
    /// every invocation.
    #[must_use]
    pub fn context(&self) -> &Extensions {
        &self.context
    }

    /// The shared context, to add values (in a middleware, say).
    pub fn context_mut(&mut self) -> &mut Extensions {
        &mut self.context
    }
}

#[cfg(feature = "lambda-runtime")]
impl From<&lambda_runtime::Context> for LambdaContext {
    /// The invocation's context as `lambda_runtime` read it (request id, ARN, deadline,
    /// trace id) with the function's name, version and memory from its environment.
    fn from(context: &lambda_runtime::Context) -> Self {
        Self {
            request_id: context.request_id.clone(),
            invoked_function_arn: context.invoked_function_arn.clone(),
            deadline_ms: context.deadline,
            xray_trace_id: context.xray_trace_id.clone(),
            function_name: context.env_config.function_name.clone(),
            function_version: context.env_config.version.clone(),
            memory_limit_mb: u32::try_from(context.env_config.memory).unwrap_or(0),
        }
    }
}

#[cfg(feature = "lambda-runtime")]
impl From<lambda_runtime::Context> for LambdaContext {
    fn from(context: lambda_runtime::Context) -> Self {
        Self::from(&context)
    }
}
