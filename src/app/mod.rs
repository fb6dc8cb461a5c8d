//! The app: its builder, routers to include, and what `build()` compiles.

mod build;
mod document;
mod not_allowed;
mod route;
mod router;
mod strip;
mod tools;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use document::Installer;
pub(crate) use not_allowed::method_not_allowed;
pub use route::Route;
pub(crate) use route::route_shorthands;
pub use router::Router;
pub use strip::StripPrefix;
pub(crate) use strip::strip;
pub use tools::ToolsBuilder;

use crate::cors::{CompiledCors, Cors};
use crate::error::Error;
use crate::handler::{Outcome, SyncFn};
use crate::middleware::MiddlewareList;
use crate::request::Request;
use crate::response::{HandlerOutput, ResponseContext};
use crate::router::RouteTable;
use crate::serializer::{JsonSerializer, SerializeValue};
use crate::source::{Accepts, Source};

/// An error handler with its error type erased: `None` when the error is not its type.
pub(crate) type ErrorHandlerFn =
    dyn Fn(&Error, &Request<'_>, &ResponseContext<'_>) -> Option<Outcome> + Send + Sync;

/// Registers the error handlers of `builder` for error type `E`.
pub(crate) fn erase_error_handler<E, F, R>(handler: F) -> Arc<ErrorHandlerFn>
where
    E: std::error::Error + 'static,
    F: Fn(&E, &Request<'_>) -> R + Send + Sync + 'static,
    R: HandlerOutput,
{
    Arc::new(
        move |error: &Error, req: &Request<'_>, cx: &ResponseContext<'_>| {
            error
                .downcast_ref::<E>()
                .map(|e| handler(e, req).into_outcome(cx))
        },
    )
}

/// Builds an [`App`]: start from [`App::rest`], [`App::http_api`], [`App::alb`] or
/// [`App::function_url`], register routes, then [`build`](Self::build).
pub struct AppBuilder {
    pub(crate) accepts: Accepts,
    pub(crate) routes: Vec<Route>,
    pub(crate) middlewares: MiddlewareList,
    pub(crate) route_middlewares: MiddlewareList,
    pub(crate) cors: Option<Cors>,
    pub(crate) strip_prefixes: Vec<StripPrefix>,
    pub(crate) error_handlers: Vec<Arc<ErrorHandlerFn>>,
    pub(crate) not_found: Option<Box<SyncFn>>,
    pub(crate) serializer: Option<Box<dyn JsonSerializer>>,
    pub(crate) debug: Option<bool>,
    pub(crate) vary: bool,
    pub(crate) alb_join_repeated_headers: bool,
    pub(crate) response_limit: Option<usize>,
    pub(crate) deadline_guard: Option<Duration>,
    pub(crate) state: Option<Box<dyn std::any::Any + Send + Sync>>,
    pub(crate) openapi: Option<Installer>,
    pub(crate) method_not_allowed: bool,
}

impl std::fmt::Debug for AppBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppBuilder")
            .field("accepts", &self.accepts)
            .field("routes", &self.routes)
            .field("cors", &self.cors)
            .finish_non_exhaustive()
    }
}

impl AppBuilder {
    fn new(accepts: Accepts) -> Self {
        Self {
            accepts,
            routes: Vec::new(),
            middlewares: MiddlewareList::new(),
            route_middlewares: MiddlewareList::new(),
            cors: None,
            strip_prefixes: Vec::new(),
            error_handlers: Vec::new(),
            not_found: None,
            serializer: None,
            debug: None,
            vary: true,
            alb_join_repeated_headers: true,
            response_limit: None,
            deadline_guard: None,
            state: None,
            openapi: None,
            method_not_allowed: false,
        }
    }

    /// Adds a route with its settings.
    #[must_use]
    pub fn add_route(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }

    route_shorthands!();

    /// Includes a [`Router`]'s routes under `prefix` (plain concatenation: rule `/`
    /// becomes the prefix itself), with its middleware and error handlers.
    #[must_use]
    pub fn include(mut self, prefix: &str, router: Router) -> Self {
        router.merge_into(prefix, &mut self);
        self
    }

    crate::middleware::layer_methods!(
        "for every request the app answers: every route, and the not-found answers, the automatic CORS pre-flights and the OpenAPI document and Swagger UI routes (as Powertools' app middleware), run before the routes' own"
    );

    /// A middleware around the routes you declare only (axum's `route_layer`): not the
    /// automatic CORS pre-flight, the not-found and 405 answers, nor the OpenAPI document
    /// and Swagger UI routes. The place for an authentication check, which must let a
    /// browser's pre-flight (it carries no credentials) and the docs through. Runs after
    /// the app's [`middleware`](Self::middleware), before the routes' own, in registration
    /// order, around routes declared before or after it.
    ///
    /// ```
    /// use lambda_router::middleware::from_fn;
    /// use lambda_router::{App, Cors, Request, Response, testing};
    ///
    /// let app = App::http_api()
    ///     .cors(Cors::new())
    ///     .route_middleware(from_fn(|req, next| Box::pin(async move {
    ///         match req.header("x-api-key") {
    ///             Some("secret") => next.run(req).await,
    ///             _ => Ok(Response::text(401, "no key")),
    ///         }
    ///     })))
    ///     .get("/todos", |_: &Request<'_>| "[]")
    ///     .build()?;
    /// let preflight = testing::http_api()
    ///     .method("OPTIONS")
    ///     .path("/todos")
    ///     .header("Origin", "https://example.com")
    ///     .header("Access-Control-Request-Method", "GET");
    /// assert_eq!(testing::call(&app, preflight).status(), 204);
    /// assert_eq!(testing::call(&app, testing::http_api().get("/todos")).status(), 401);
    /// # Ok::<(), lambda_router::BuildError>(())
    /// ```
    #[must_use]
    pub fn route_middleware<K>(
        mut self,
        middleware: impl crate::middleware::IntoMiddleware<K>,
    ) -> Self {
        self.route_middlewares.push(middleware.into_layer());
        self
    }

    /// CORS for every route (unless a route turns it off), with automatic pre-flight.
    #[must_use]
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Prefixes removed from request paths before routing (literal or regex, see
    /// [`StripPrefix`]), in order.
    #[must_use]
    pub fn strip_prefixes<P: Into<StripPrefix>>(
        mut self,
        prefixes: impl IntoIterator<Item = P>,
    ) -> Self {
        self.strip_prefixes
            .extend(prefixes.into_iter().map(Into::into));
        self
    }

    /// Answers errors of type `E` (returned by handlers or middleware) with `handler`
    /// (Powertools' `exception_handler`). If the handler itself fails with a
    /// [`ServiceError`](crate::ServiceError), that error answers.
    #[must_use]
    pub fn on_error<E, F, R>(mut self, handler: F) -> Self
    where
        E: std::error::Error + 'static,
        F: Fn(&E, &Request<'_>) -> R + Send + Sync + 'static,
        R: HandlerOutput,
    {
        self.error_handlers.push(erase_error_handler(handler));
        self
    }

    /// Answers requests no route matches, and 404 [`ServiceError`](crate::ServiceError)s
    /// raised by routes (Powertools' `not_found`). The default answers 404
    /// `{"statusCode":404,"message":"Not found"}`.
    #[must_use]
    pub fn not_found<F, R>(mut self, handler: F) -> Self
    where
        F: Fn(&Request<'_>) -> R + Send + Sync + 'static,
        R: HandlerOutput,
    {
        self.not_found = Some(Box::new(move |req, cx| handler(req).into_outcome(cx)));
        self
    }

    /// Replaces the JSON serializer (compact `serde_json` by default) for bodies and
    /// the default error bodies.
    #[must_use]
    pub fn serializer<F>(self, serializer: F) -> Self
    where
        F: Fn(&SerializeValue<'_>, &mut Vec<u8>) -> serde_json::Result<()> + Send + Sync + 'static,
    {
        self.json_serializer(serializer)
    }

    /// Replaces the JSON serializer with any [`JsonSerializer`] (a type of your own, say).
    #[must_use]
    pub fn json_serializer(mut self, serializer: impl JsonSerializer) -> Self {
        self.serializer = Some(Box::new(serializer));
        self
    }

    /// Debug mode: unhandled errors answer 500 with the error chain as text, and events
    /// and responses are logged. Without a call, the `POWERTOOLS_DEV` environment
    /// variable decides (`1`, `y`, `yes`, `t`, `true`, `on`, any case).
    #[must_use]
    pub fn debug(mut self, debug: bool) -> Self {
        self.debug = Some(debug);
        self
    }

    /// Sends `Vary` where the answer depends on a request header, so that a cache in front
    /// of the function (CloudFront, an API Gateway cache) keys on it: `Vary: Origin` when CORS
    /// echoes an allowed origin (an allow-list, not `*`), `Vary: Accept-Encoding` on every
    /// answer of a compressing route (compressed or not). Merged with a handler's own `Vary`,
    /// never repeated.
    ///
    /// On by default (RFC 9110 §12.5.5): without it such a cache may serve one origin's CORS
    /// answer, or a gzip body, to a client that did not ask for it. Powertools sends no
    /// `Vary`; `vary(false)` gives its headers back, where nothing caches the answers.
    #[must_use]
    pub fn vary(mut self, on: bool) -> Self {
        self.vary = on;
        self
    }

    /// ALB with multi-value headers off carries one value per header name. On (the
    /// default): the values of a header set twice are joined with `", "`, which a recipient
    /// must read as the same field (RFC 9110 §5.3), so list-valued headers (`Vary`, `Link`,
    /// `Cache-Control`, ...) keep every value. Off (as Powertools): the last value is sent,
    /// and every value left out is logged as a warning naming the header. `Set-Cookie` cannot
    /// be joined either way: only the last cookie is sent and each one left out is logged.
    /// Turning multi-value headers on for the target group carries everything.
    #[must_use]
    pub fn alb_join_repeated_headers(mut self, on: bool) -> Self {
        self.alb_join_repeated_headers = on;
        self
    }

    /// The largest envelope (the whole JSON answer, in bytes) this app sends; a larger
    /// response is answered 500 `{"statusCode":500,"message":"Response too large"}` (the
    /// route's CORS headers kept) and logged as an error naming the route and both sizes,
    /// instead of the bare 502 the service would give. By default each event's source
    /// decides ([`Source::response_limit`]): 6 MiB for API Gateway, Function URLs and VPC
    /// Lattice, 1 MiB for an Application Load Balancer. Lower it to keep a margin; raising
    /// it past the service's limit only brings the 502 back.
    #[must_use]
    pub fn response_limit(mut self, bytes: usize) -> Self {
        self.response_limit = Some(bytes);
        self
    }

    /// Answers 504 `{"statusCode":504,"message":"Gateway Timeout"}` (logged as an error
    /// naming the route) when an async handler is still running `margin` before the
    /// invocation's deadline, rather than letting Lambda kill the function and the client
    /// get a bare 502 with no log line. The handler's future (its middleware included) is
    /// dropped at that point. A route may set its own margin or opt out
    /// ([`Route::deadline_guard`]); sync handlers cannot be interrupted and are never cut.
    ///
    /// A streamed body ([`Response::stream`](crate::Response::stream),
    /// [`Response::streaming`](crate::Response::streaming)) is guarded too, whichever kind of
    /// handler returned it: collected for a buffered answer, one still being produced at the
    /// guard makes the answer a 504 as well; sent as it comes (streaming mode), it is ended
    /// there with an error (logged, and reported in the error trailers under Lambda).
    ///
    /// The timer is tokio's: the guard works inside a tokio runtime with time enabled
    /// ([`run`](crate::run), the dev server, `#[tokio::main]`); under
    /// [`App::handle_blocking`] or another executor there is no timer and the guard never
    /// fires. Handlers read the time left with
    /// [`Request::remaining_time`](crate::Request::remaining_time).
    #[must_use]
    pub fn deadline_guard(mut self, margin: Duration) -> Self {
        self.deadline_guard = Some(margin);
        self
    }

    /// The app's state, which handlers take as [`State<&S>`](crate::extract::State),
    /// borrowed for each invocation (built once, never cloned per request). One state per
    /// app: a later call replaces it.
    #[must_use]
    pub fn state<S: Send + Sync + 'static>(mut self, state: S) -> Self {
        self.state = Some(Box::new(state));
        self
    }

    /// Compiles the routes.
    ///
    /// # Errors
    /// A duplicate or ambiguous route (the error names both), or an invalid rule, regex,
    /// CORS or cache setting.
    pub fn build(self) -> Result<App, crate::BuildError> {
        build::build(self)
    }
}

/// How a route's responses are finished: CORS, compression, cache control, and how long
/// before the deadline an answer still being produced is cut.
#[derive(Debug)]
pub(crate) struct Finishing {
    /// The route as logs name it (`GET /todos/<id>`).
    pub(crate) route: Box<str>,
    pub(crate) cors: Option<Arc<CompiledCors>>,
    pub(crate) compress: bool,
    pub(crate) cache_control: Option<String>,
    /// How long before the deadline an async handler, or a streamed body, still running is
    /// cut (a 504, or a streamed body's error end).
    pub(crate) deadline_margin: Option<Duration>,
}

/// One compiled route.
pub(crate) struct CompiledRoute {
    pub(crate) chain: crate::middleware::ChainKind,
    pub(crate) handler: crate::handler::ErasedHandler,
    pub(crate) middlewares: MiddlewareList,
    pub(crate) finishing: Finishing,
}

impl std::fmt::Debug for CompiledRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledRoute")
            .field("handler", &self.handler)
            .field("middlewares", &self.middlewares.len())
            .field("finishing", &self.finishing)
            .finish()
    }
}

/// A built app: routes compiled, ready to answer events with
/// [`handle`](Self::handle).
///
/// ```
/// use lambda_router::{App, Json, LambdaContext, Request, Scratch};
///
/// fn hello(req: &Request<'_>) -> Json<String> {
///     Json(format!("hello {}", req.param("name").unwrap_or("you")))
/// }
///
/// let app = App::function_url().get("/hello/<name>", hello).build()?;
/// let mut scratch = Scratch::new();
/// let event = br#"{"rawPath":"/hello/ana","requestContext":{"http":{"method":"GET"}}}"#;
/// let response = app.handle_blocking(&mut scratch, event, &LambdaContext::default())?;
/// let response: serde_json::Value = serde_json::from_slice(response)?;
/// assert_eq!(response["statusCode"], 200);
/// assert_eq!(response["body"], r#""hello ana""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct App {
    pub(crate) accepts: Accepts,
    pub(crate) table: RouteTable,
    pub(crate) routes: Vec<CompiledRoute>,
    pub(crate) middlewares: MiddlewareList,
    pub(crate) strip_prefixes: Vec<StripPrefix>,
    pub(crate) error_handlers: Vec<Arc<ErrorHandlerFn>>,
    pub(crate) not_found: Option<Box<SyncFn>>,
    pub(crate) not_found_finishing: Finishing,
    pub(crate) not_found_chain: crate::middleware::ChainKind,
    /// A sync middleware waits for an async part of its chain, which a current-thread
    /// runtime cannot let it do (`run` makes a multi-thread one).
    pub(crate) sync_waits_for_async: bool,
    pub(crate) has_cors: bool,
    pub(crate) preflight_methods: String,
    pub(crate) serializer: Option<Box<dyn JsonSerializer>>,
    pub(crate) debug: bool,
    pub(crate) vary: bool,
    pub(crate) alb_join_repeated_headers: bool,
    /// Overrides each source's own limit.
    pub(crate) response_limit: Option<usize>,
    pub(crate) state: Option<Box<dyn std::any::Any + Send + Sync>>,
    /// The methods to try when no route matches, for a 405; empty when 405s are off.
    pub(crate) allow_candidates: Vec<http::Method>,
    /// Its OpenAPI document, when it has one.
    pub(crate) openapi: Option<Arc<crate::openapi::Served>>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("accepts", &self.accepts)
            .field("routes", &self.routes.len())
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

impl App {
    /// An app for API Gateway REST APIs (payload 1.0, and HTTP APIs set to payload 1.0);
    /// trailing slashes are ignored.
    #[must_use]
    pub fn rest() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::RestV1))
    }

    /// An app for API Gateway HTTP APIs (payload 2.0).
    #[must_use]
    pub fn http_api() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::HttpV2))
    }

    /// An app for Application Load Balancer targets (multi-value headers on or off:
    /// responses follow the request's style).
    #[must_use]
    pub fn alb() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::Alb))
    }

    /// An app for Lambda Function URLs.
    #[must_use]
    pub fn function_url() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::FunctionUrl))
    }

    /// An app for VPC Lattice target groups with event structure V1.
    #[must_use]
    pub fn vpc_lattice() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::VpcLattice))
    }

    /// An app for VPC Lattice target groups with event structure V2.
    #[must_use]
    pub fn vpc_lattice_v2() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::VpcLatticeV2))
    }

    /// An app for Amazon Bedrock Agents' action groups defined by an OpenAPI schema: the
    /// same routes, typed inputs, middleware and error handlers as an HTTP app, read from
    /// the agent's events and answered in the agent's format (see the
    /// [Bedrock guide](crate::guide::bedrock)). A route's path parameters and query
    /// parameters come from the event's `parameters`, a JSON body from its
    /// `application/json` properties; an operation the app does not have answers 404
    /// (never 405).
    #[must_use]
    pub fn bedrock_agent() -> AppBuilder {
        AppBuilder::new(Accepts::One(Source::BedrockAgent)).method_not_allowed(false)
    }

    /// An app for `source` (what [`App::rest`], [`App::alb`], ... build).
    #[must_use]
    pub fn for_source(source: Source) -> AppBuilder {
        AppBuilder::new(Accepts::One(source))
    }

    /// An app for every source: each event is read as the source that sent it and answered
    /// in that source's envelope. How the sources are told apart, and the path rules of
    /// each, are in the [events guide](crate::guide::events).
    #[must_use]
    pub fn any() -> AppBuilder {
        AppBuilder::new(Accepts::Any)
    }

    /// The event source this app reads; `None` for an app for any source
    /// ([`App::any`]).
    #[must_use]
    pub fn source(&self) -> Option<Source> {
        self.accepts.one()
    }
}
