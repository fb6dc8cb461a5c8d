//! One route: methods, rule, handler and its own settings (CORS, compression, cache
//! control, middleware).

use std::time::Duration;

use http::Method;

use crate::extract::DescribeInputs;
use crate::handler::{ErasedHandler, Handler};
use crate::middleware::MiddlewareList;
use crate::openapi::Operation;

/// A route with settings, for [`AppBuilder::add_route`](crate::AppBuilder::add_route) and
/// [`Router::add_route`](crate::Router::add_route) (Powertools' decorator arguments).
///
/// ```
/// use lambda_router::{App, Request, Route};
///
/// fn health(_: &Request<'_>) -> &'static str { "ok" }
///
/// let app = App::rest()
///     .add_route(Route::get("/healthcheck", health).cors(false))
///     .add_route(Route::get("/report", health).compress(true).cache_control("max-age=60"))
///     .build();
/// assert!(app.is_ok());
/// ```
pub struct Route {
    pub(crate) methods: Vec<Method>,
    pub(crate) rule: String,
    pub(crate) handler: ErasedHandler,
    pub(crate) cors: Option<bool>,
    pub(crate) compress: bool,
    pub(crate) cache_control: Option<String>,
    /// `None`: the app's setting; `Some(None)`: off for this route.
    pub(crate) deadline_guard: Option<Option<Duration>>,
    pub(crate) middlewares: MiddlewareList,
    /// Its OpenAPI metadata.
    pub(crate) doc: Option<Box<Operation>>,
    /// What its arguments read (for the OpenAPI document and the checks of `build`).
    pub(crate) describe: DescribeInputs,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("methods", &self.methods)
            .field("rule", &self.rule)
            .field("middlewares", &self.middlewares.len())
            .finish_non_exhaustive()
    }
}

macro_rules! method_constructors {
    ($($(#[$doc:meta])* $name:ident => $method:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<M>(rule: impl Into<String>, handler: impl Handler<M>) -> Self {
                Self::new([Method::$method], rule, handler)
            }
        )*
    };
}

impl Route {
    /// A route answering `methods` on `rule`.
    pub fn new<M>(
        methods: impl IntoIterator<Item = Method>,
        rule: impl Into<String>,
        handler: impl Handler<M>,
    ) -> Self {
        let describe = handler.describe_inputs();
        Self {
            methods: methods.into_iter().collect(),
            rule: rule.into(),
            describe,
            doc: None,
            handler: handler.into_erased(),
            cors: None,
            compress: false,
            cache_control: None,
            deadline_guard: None,
            middlewares: MiddlewareList::new(),
        }
    }

    method_constructors! {
        /// A `GET` route.
        get => GET;
        /// A `POST` route.
        post => POST;
        /// A `PUT` route.
        put => PUT;
        /// A `PATCH` route.
        patch => PATCH;
        /// A `DELETE` route.
        delete => DELETE;
        /// A `HEAD` route.
        head => HEAD;
        /// An `OPTIONS` route (it wins over the automatic CORS pre-flight).
        options => OPTIONS;
    }

    /// CORS on or off for this route; by default it is on when the app has a CORS
    /// configuration. On without one uses [`Cors::new`](crate::Cors::new) (any origin).
    #[must_use]
    pub fn cors(mut self, enabled: bool) -> Self {
        self.cors = Some(enabled);
        self
    }

    /// Gzip this route's responses when the client accepts gzip.
    #[must_use]
    pub fn compress(mut self, enabled: bool) -> Self {
        self.compress = enabled;
        self
    }

    /// `Cache-Control` for this route: this value on 200 responses, `no-cache` on others.
    ///
    /// The library owns this header on the route: it replaces a `Cache-Control` the
    /// handler set. A value with a control byte (CR, LF, …) makes
    /// [`AppBuilder::build`](crate::AppBuilder::build) fail, naming the route.
    #[must_use]
    pub fn cache_control(mut self, value: impl Into<String>) -> Self {
        self.cache_control = Some(value.into());
        self
    }

    /// This route's deadline guard (see
    /// [`AppBuilder::deadline_guard`](crate::AppBuilder::deadline_guard)): `Some(margin)`
    /// answers 504 when its async handler is still running `margin` before the deadline,
    /// `None` turns the app's guard off for this route (a handler that answers on its own
    /// within the deadline, reading [`Request::remaining_time`](crate::Request::remaining_time)).
    #[must_use]
    pub fn deadline_guard(mut self, margin: Option<Duration>) -> Self {
        self.deadline_guard = Some(margin);
        self
    }

    /// This route's OpenAPI metadata (see [`openapi`](crate::openapi)).
    #[must_use]
    pub fn doc(mut self, operation: Operation) -> Self {
        self.doc = Some(Box::new(operation));
        self
    }

    crate::middleware::layer_methods!("for this route only, run after the app's and the router's");
}

/// The shorthand registration methods shared by [`AppBuilder`](crate::AppBuilder) and
/// [`Router`](crate::Router); both have an `add_route(Route)`.
macro_rules! route_shorthands {
    () => {
        /// Registers a `GET` route.
        #[must_use]
        pub fn get<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::get(rule, handler))
        }
        /// Registers a `POST` route.
        #[must_use]
        pub fn post<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::post(rule, handler))
        }
        /// Registers a `PUT` route.
        #[must_use]
        pub fn put<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::put(rule, handler))
        }
        /// Registers a `PATCH` route.
        #[must_use]
        pub fn patch<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::patch(rule, handler))
        }
        /// Registers a `DELETE` route.
        #[must_use]
        pub fn delete<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::delete(rule, handler))
        }
        /// Registers a `HEAD` route.
        #[must_use]
        pub fn head<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::head(rule, handler))
        }
        /// Registers an `OPTIONS` route (it wins over the automatic CORS pre-flight).
        #[must_use]
        pub fn options<M>(self, rule: impl Into<String>, handler: impl $crate::Handler<M>) -> Self {
            self.add_route($crate::Route::options(rule, handler))
        }
        /// The OpenAPI metadata of the route registered last (see
        /// [`openapi`](crate::openapi)); nothing when no route is registered yet.
        #[must_use]
        pub fn doc(mut self, operation: $crate::openapi::Operation) -> Self {
            if let Some(route) = self.routes.last_mut() {
                route.doc = Some(Box::new(operation));
            }
            self
        }
        /// Registers one handler for several methods.
        #[must_use]
        pub fn route<M>(
            self,
            methods: impl IntoIterator<Item = $crate::Method>,
            rule: impl Into<String>,
            handler: impl $crate::Handler<M>,
        ) -> Self {
            self.add_route($crate::Route::new(methods, rule, handler))
        }
    };
}
pub(crate) use route_shorthands;
