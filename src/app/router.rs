//! `Router`: routes, middleware and error handlers declared apart (in another module,
//! say) and included into an app under a prefix (Powertools' `include_router`).

use std::sync::Arc;

use super::{AppBuilder, ErrorHandlerFn, Route, erase_error_handler, route_shorthands};
use crate::middleware::MiddlewareList;
use crate::request::Request;
use crate::response::HandlerOutput;

/// A group of routes to [`include`](AppBuilder::include) in an app.
///
/// Unlike Powertools, a router's middleware applies to the router's own routes only
/// (Powertools appends it to the app's global list, so it runs for every route).
///
/// ```
/// use lambda_router::{App, Json, Request, Router};
///
/// fn user(req: &Request<'_>) -> Json<String> {
///     Json(req.param("user_id").unwrap_or_default().to_owned())
/// }
///
/// let users = Router::new().get("/<user_id>", user);
/// let app = App::rest().include("/users", users).build();
/// assert!(app.is_ok());
/// ```
#[derive(Default)]
pub struct Router {
    routes: Vec<Route>,
    middlewares: MiddlewareList,
    error_handlers: Vec<Arc<ErrorHandlerFn>>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

impl Router {
    /// An empty router.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a route with its settings.
    #[must_use]
    pub fn add_route(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }

    route_shorthands!();

    crate::middleware::layer_methods!(
        "for this router's routes, run after the app's and before each route's own"
    );

    /// An error handler, merged into the app's on inclusion.
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

    /// Moves everything into `app`, rules prefixed.
    pub(super) fn merge_into(self, prefix: &str, app: &mut AppBuilder) {
        for mut route in self.routes {
            if route.rule == "/" {
                route.rule.clear();
            }
            route.rule.insert_str(0, prefix);
            if !self.middlewares.is_empty() {
                let own = std::mem::take(&mut route.middlewares);
                route.middlewares = self.middlewares.iter().cloned().chain(own).collect();
            }
            app.routes.push(route);
        }
        app.error_handlers.extend(self.error_handlers);
    }
}
