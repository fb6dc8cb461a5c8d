//! 405 with `Allow`: a path that routes exist for, under other methods only.

use http::Method;

use super::{App, AppBuilder};
use crate::error::ServiceError;
use crate::response::{IntoResponse, Response, ResponseContext};
use crate::router::Params;

impl AppBuilder {
    /// Answers 405 `{"statusCode":405,"message":"Method Not Allowed"}` with an `Allow`
    /// header listing the path's methods (sorted; `OPTIONS` too when the app answers
    /// CORS pre-flights) when the path has routes under other methods only, instead of
    /// the 404 Powertools answers. `HEAD` is listed only where a route registers it.
    ///
    /// Off by default. Pre-flights are answered first, and a path no route has still goes
    /// to the not-found answer.
    #[must_use]
    pub fn method_not_allowed(mut self, on: bool) -> Self {
        self.method_not_allowed = on;
        self
    }
}

impl App {
    /// The `Allow` value for `path` requested with `method` that no route answers, when
    /// 405s are on and the path has routes under other methods. Runs only on a miss.
    pub(crate) fn allowed_methods(&self, method: &Method, path: &str) -> Option<String> {
        if self.allow_candidates.is_empty() {
            return None;
        }
        let mut params = Params::default();
        let mut allow: Vec<&str> = self
            .allow_candidates
            .iter()
            .filter(|candidate| {
                *candidate != method && self.table.at(candidate, path, &mut params).is_some()
            })
            .map(Method::as_str)
            .collect();
        if allow.is_empty() {
            return None;
        }
        if self.has_cors {
            allow.push(Method::OPTIONS.as_str());
            allow.sort_unstable();
            allow.dedup();
        }
        Some(allow.join(", "))
    }
}

/// The 405 answer.
pub(crate) fn method_not_allowed(allow: &str, cx: &ResponseContext<'_>) -> Response {
    ServiceError::new(405, "Method Not Allowed")
        .into_response(cx)
        .header("Allow", allow.to_owned())
}
