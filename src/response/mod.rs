//! What a handler answers: [`Response`], its [`Body`], cookies, and the writers that turn it
//! into the proxy response of each event source.

mod cookie;
mod into_response;
mod stream;
mod validate;

use std::borrow::Cow;

use smallvec::SmallVec;

pub use cookie::{Cookie, SameSite};
pub use into_response::{HandlerOutput, IntoResponse, Json, ResponseContext};
pub(crate) use into_response::{SerializeState, ServiceErrorBody};
pub use stream::{BodyClosed, BodyStream, BodyWriter, BoxError, ChunkStream};
pub(crate) use stream::{guarded, next_chunk};
pub use validate::InvalidHeader;
pub(crate) use validate::{Fault, check_response, invalid_field_value_byte};

/// One response header: name and value, both usually `&'static str`.
pub(crate) type Header = (Cow<'static, str>, Cow<'static, str>);

/// Inline room for the headers a handler typically sets (content type and a few of its
/// own) so that building a response does not touch the heap. CORS, cache control and
/// content encoding are added when the response is written, not here. Kept small on
/// purpose: a `Response` is moved several times per invocation.
pub(crate) type HeaderList = SmallVec<[Header; 4]>;

/// An HTTP response: status, headers (a name may repeat), cookies and a body.
///
/// `B` is the body type. Handlers usually build a `Response<Body>` with [`Response::text`],
/// [`Response::binary`] or [`Response::new`], or a `Response<Json<T>>` with
/// [`Response::json`], whose value is serialized by the app's serializer when the handler
/// returns.
///
/// ```
/// use lambda_router::{Cookie, Response, SameSite};
///
/// let res = Response::json(200, serde_json::json!({"fine": true}))
///     .header("X-Transaction-Id", "3490eea9")
///     .header("X-Multi", "a")
///     .header("X-Multi", "b")
///     .cookie(Cookie::new("theme", "dark").same_site(SameSite::Strict));
/// assert_eq!(res.status(), 200);
/// ```
///
/// A response is not `Clone`: its body may be a stream, which can be sent once.
#[derive(Debug)]
pub struct Response<B = Body> {
    pub(crate) status: u16,
    pub(crate) headers: HeaderList,
    pub(crate) cookies: SmallVec<[Cookie; 1]>,
    pub(crate) compress: Option<bool>,
    /// The session an agent's answer carries (Amazon Bedrock Agents only).
    pub(crate) agent_session: Option<Box<crate::bedrock::AgentSession>>,
    /// The state a tool's answer asks the agent to take (Bedrock function tools only).
    pub(crate) agent_state: Option<crate::bedrock::ResponseState>,
    pub(crate) body: B,
}

/// The body of a [`Response`] once it is ready to be written.
#[derive(Debug, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body: `null` in API Gateway responses, `""` for ALB.
    #[default]
    Empty,
    /// UTF-8 text, sent as is.
    Text(Cow<'static, str>),
    /// Bytes, sent base64-encoded with `isBase64Encoded: true`.
    Binary(Cow<'static, [u8]>),
    /// JSON text written by the app's serializer (UTF-8).
    Json(JsonText),
    /// Chunks sent as they are produced ([`Response::stream`], [`Response::streaming`]).
    Stream(BodyStream),
}

/// JSON text produced by the app's serializer; its buffer is recycled between invocations.
#[derive(Debug, Clone, Default)]
pub struct JsonText {
    pub(crate) text: Vec<u8>,
    /// `text` is already escaped as the contents of the envelope's `body` string. Only
    /// for a response no user code can read again (see `IntoResponse::into_final_response`).
    pub(crate) escaped: bool,
}

impl JsonText {
    /// The JSON text.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.text
    }
}

impl Body {
    /// The body's bytes (`None` for [`Body::Empty`] and a [`Body::Stream`], whose bytes are
    /// not there yet).
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Body::Empty | Body::Stream(_) => None,
            Body::Text(text) => Some(text.as_bytes()),
            Body::Binary(bytes) => Some(bytes),
            Body::Json(json) => Some(json.as_bytes()),
        }
    }
}

impl Response<Body> {
    /// A response with this status, no headers and no body.
    #[must_use]
    pub fn new(status: u16) -> Self {
        Self::with_body(status, Body::Empty)
    }

    /// A `text/plain` response.
    #[must_use]
    pub fn text(status: u16, text: impl Into<Cow<'static, str>>) -> Self {
        Self::with_body(status, Body::Text(text.into())).content_type("text/plain")
    }

    /// A binary response (base64-encoded on the wire); set its content type.
    #[must_use]
    pub fn binary(status: u16, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        Self::with_body(status, Body::Binary(bytes.into()))
    }

    /// The body.
    #[must_use]
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Replaces the body, keeping status, headers and cookies.
    pub fn set_body(&mut self, body: Body) {
        self.body = body;
    }
}

impl<T> Response<Json<T>> {
    /// A response whose body is `value`, serialized as JSON by the app's serializer, with
    /// `Content-Type: application/json`.
    #[must_use]
    pub fn json(status: u16, value: T) -> Self {
        Response::with_json_body(status, Json(value))
    }
}

impl<B> Response<B> {
    /// A response with this JSON body and `Content-Type: application/json`.
    pub(crate) fn with_json_body(status: u16, body: B) -> Self {
        // Pushed, not `content_type`d: a new response has no header to look for.
        let mut response = Self::with_body(status, body);
        response.headers.push((
            Cow::Borrowed("Content-Type"),
            Cow::Borrowed("application/json"),
        ));
        response
    }
}

impl<B> Response<B> {
    /// A response with this status and body and no headers.
    #[must_use]
    pub fn with_body(status: u16, body: B) -> Self {
        Self {
            status,
            headers: HeaderList::new(),
            cookies: SmallVec::new(),
            compress: None,
            agent_session: None,
            agent_state: None,
            body,
        }
    }

    /// Sets the session attributes an Amazon Bedrock agent keeps after this answer (its
    /// `sessionAttributes` and `promptSessionAttributes`). An OpenAPI action group's answer
    /// writes each when not empty; a tool's answer
    /// ([`App::bedrock_agent_functions`](crate::App::bedrock_agent_functions)) writes both
    /// as given, so a tool can clear them, where one without a session echoes the event's.
    /// Other sources ignore it.
    #[must_use]
    pub fn agent_session(mut self, session: crate::bedrock::AgentSession) -> Self {
        self.agent_session = Some(Box::new(session));
        self
    }

    /// Asks the agent to end the session ([`Failure`](crate::bedrock::ResponseState::Failure))
    /// or to ask the user again ([`Reprompt`](crate::bedrock::ResponseState::Reprompt))
    /// after reading this tool answer (Bedrock's `responseState`). Only a tool's answer
    /// ([`App::bedrock_agent_functions`](crate::App::bedrock_agent_functions)) carries it;
    /// other sources ignore it.
    ///
    /// ```
    /// use lambda_router::bedrock::ResponseState;
    /// use lambda_router::Response;
    ///
    /// let answer = Response::text(200, "Stays are limited to 14 nights")
    ///     .agent_response_state(ResponseState::Reprompt);
    /// # let _ = answer;
    /// ```
    #[must_use]
    pub fn agent_response_state(mut self, state: crate::bedrock::ResponseState) -> Self {
        self.agent_state = Some(state);
        self
    }

    /// The status code.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Sets the status code.
    pub fn set_status(&mut self, status: u16) {
        self.status = status;
    }

    /// Adds a header; calling it twice with one name sends both values (joined with ", "
    /// where the envelope has one value per name: HTTP API, Function URL, ALB without
    /// multi-value headers).
    ///
    /// Some headers are the library's: the route's CORS headers, `Cache-Control` (set with
    /// [`Route::cache_control`](crate::Route::cache_control)), `Content-Encoding` when it
    /// compresses, and `Access-Control-Allow-Methods` on a pre-flight replace a header of the
    /// same name set here. `Vary` is merged (the library adds `Origin` when it echoes an
    /// origin, `Accept-Encoding` on a compressing route). `Content-Length` and
    /// `Transfer-Encoding` are never sent: the service frames the body. A `Content-Encoding`
    /// set here keeps the body from being compressed again.
    #[must_use]
    pub fn header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.append_header(name, value);
        self
    }

    /// [`header`](Self::header), checked: the name must be an RFC 9110 token and the value
    /// free of control bytes (CR, LF, NUL, …). An unchecked invalid header is caught when
    /// the response is written (it becomes a 500); this reports it where it is made.
    ///
    /// # Errors
    /// The first byte that is not allowed.
    pub fn try_header(
        self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Result<Self, InvalidHeader> {
        let (name, value) = (name.into(), value.into());
        validate::check_header(&name, &value).map_err(Fault::to_error)?;
        Ok(self.header(name, value))
    }

    /// Adds a header to a response held by reference (in a middleware, say).
    pub fn append_header(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) {
        self.headers.push((name.into(), value.into()));
    }

    /// Replaces every value of a header (compared case-insensitively) with one value.
    pub fn set_header(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) {
        let name = name.into();
        self.remove_header(&name);
        self.headers.push((name, value.into()));
    }

    /// Removes every value of a header (compared case-insensitively).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The first value of a header (compared case-insensitively).
    #[must_use]
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Every value of a header, in the order they were added.
    pub fn header_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Every header as `(name, value)`, in the order they were added.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    /// Sets `Content-Type`, unless a `Content-Type` header is already there.
    #[must_use]
    pub fn content_type(mut self, value: impl Into<Cow<'static, str>>) -> Self {
        if self.header_value("content-type").is_none() {
            self.headers
                .push((Cow::Borrowed("Content-Type"), value.into()));
        }
        self
    }

    /// Adds a `Set-Cookie`.
    ///
    /// ALB with multi-value headers off carries a single `Set-Cookie` per response: only the
    /// last cookie (of the `Set-Cookie` headers, then these) is sent, as Powertools does,
    /// and every other one is logged as a warning naming it. Turn multi-value headers on
    /// for the target group to send them all.
    #[must_use]
    pub fn cookie(mut self, cookie: Cookie) -> Self {
        self.cookies.push(cookie);
        self
    }

    /// Adds a `Set-Cookie` to a response held by reference.
    pub fn append_cookie(&mut self, cookie: Cookie) {
        self.cookies.push(cookie);
    }

    /// The cookies set so far.
    #[must_use]
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Compresses this response with gzip when the client accepts it (`true`), never
    /// (`false`); without a call the route's `compress` setting decides.
    #[must_use]
    pub fn compress(mut self, compress: bool) -> Self {
        self.compress = Some(compress);
        self
    }

    /// This response's own compression choice, if it made one.
    #[must_use]
    pub fn compression(&self) -> Option<bool> {
        self.compress
    }

    /// Swaps the body, keeping status, headers and cookies.
    pub(crate) fn map_body<C>(self, body: impl FnOnce(B) -> C) -> Response<C> {
        Response {
            status: self.status,
            headers: self.headers,
            cookies: self.cookies,
            compress: self.compress,
            agent_session: self.agent_session,
            agent_state: self.agent_state,
            body: body(self.body),
        }
    }
}
