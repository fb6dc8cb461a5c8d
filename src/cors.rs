//! CORS (Powertools' `CORSConfig`): which origins may read responses, and the automatic
//! answer to pre-flight requests. Header values are computed once, at build time.

use std::collections::BTreeSet;

/// The headers every CORS response allows, as Powertools does.
const DEFAULT_ALLOW_HEADERS: [&str; 5] = [
    "Authorization",
    "Content-Type",
    "X-Amz-Date",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

/// CORS configuration.
///
/// ```
/// use lambda_router::{App, Cors};
///
/// let cors = Cors::new()
///     .allow_origin("https://example.com")
///     .extra_origins(["https://www.example.com"])
///     .allow_headers(["X-Custom-Header"])
///     .expose_headers(["X-Transaction-Id"])
///     .max_age(300)
///     .allow_credentials(true);
/// let app = App::rest().cors(cors).build();
/// assert!(app.is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct Cors {
    allow_origin: String,
    extra_origins: Vec<String>,
    allow_headers: Vec<String>,
    expose_headers: Vec<String>,
    max_age: Option<u64>,
    allow_credentials: bool,
}

impl Default for Cors {
    fn default() -> Self {
        Self::new()
    }
}

impl Cors {
    /// Powertools' defaults: any origin (`*`), the five default allowed headers, no
    /// exposed headers, no max age, no credentials.
    #[must_use]
    pub fn new() -> Self {
        Self {
            allow_origin: "*".to_owned(),
            extra_origins: Vec::new(),
            allow_headers: Vec::new(),
            expose_headers: Vec::new(),
            max_age: None,
            allow_credentials: false,
        }
    }

    /// The first allowed origin (`*` for any).
    #[must_use]
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.allow_origin = origin.into();
        self
    }

    /// More allowed origins, compared exactly (no patterns).
    #[must_use]
    pub fn extra_origins<S: Into<String>>(mut self, origins: impl IntoIterator<Item = S>) -> Self {
        self.extra_origins
            .extend(origins.into_iter().map(Into::into));
        self
    }

    /// Request headers to allow besides the five defaults.
    #[must_use]
    pub fn allow_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.allow_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// Response headers the browser may expose.
    #[must_use]
    pub fn expose_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.expose_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// `Access-Control-Max-Age`, in seconds.
    #[must_use]
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// `Access-Control-Allow-Credentials: true` (never sent with a `*` origin).
    #[must_use]
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    pub(crate) fn compile(&self) -> CompiledCors {
        let mut origins = Vec::with_capacity(1 + self.extra_origins.len());
        origins.push(self.allow_origin.clone());
        origins.extend(self.extra_origins.iter().cloned());
        let allow_any = origins.iter().any(|o| o == "*");
        let allowed: BTreeSet<&str> = DEFAULT_ALLOW_HEADERS
            .iter()
            .copied()
            .chain(self.allow_headers.iter().map(String::as_str))
            .collect();
        CompiledCors {
            origins,
            allow_any,
            allow_headers: allowed.into_iter().collect::<Vec<_>>().join(","),
            expose_headers: (!self.expose_headers.is_empty())
                .then(|| self.expose_headers.join(",")),
            max_age: self.max_age.map(|s| s.to_string()),
            allow_credentials: self.allow_credentials,
        }
    }
}

/// A [`Cors`] with every header value precomputed.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCors {
    origins: Vec<String>,
    allow_any: bool,
    allow_headers: String,
    expose_headers: Option<String>,
    max_age: Option<String>,
    allow_credentials: bool,
}

impl CompiledCors {
    /// Appends the CORS headers for a request from `origin` (nothing when the origin is
    /// absent or not allowed). The origin is echoed only when it is listed exactly.
    pub(crate) fn apply<'h>(
        &'h self,
        origin: Option<&'h str>,
        headers: &mut impl Extend<(&'h str, &'h str)>,
    ) {
        let Some(origin) = origin else { return };
        let allowed_origin = if self.origins.iter().any(|o| o == origin) {
            origin
        } else if self.allow_any {
            "*"
        } else {
            return;
        };
        headers.extend([
            ("Access-Control-Allow-Origin", allowed_origin),
            ("Access-Control-Allow-Headers", self.allow_headers.as_str()),
        ]);
        if let Some(expose) = &self.expose_headers {
            headers.extend([("Access-Control-Expose-Headers", expose.as_str())]);
        }
        if let Some(max_age) = &self.max_age {
            headers.extend([("Access-Control-Max-Age", max_age.as_str())]);
        }
        if self.allow_credentials && allowed_origin != "*" {
            headers.extend([("Access-Control-Allow-Credentials", "true")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_for(cors: &Cors, origin: Option<&str>) -> Vec<(String, String)> {
        let compiled = cors.compile();
        let mut out: Vec<(&str, &str)> = Vec::new();
        compiled.apply(origin, &mut out);
        out.into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn listed_origin_is_echoed_with_credentials() {
        let cors = Cors::new()
            .allow_origin("https://a.example")
            .allow_credentials(true)
            .max_age(60);
        let h = headers_for(&cors, Some("https://a.example"));
        assert!(h.contains(&(
            "Access-Control-Allow-Origin".into(),
            "https://a.example".into()
        )));
        assert!(h.contains(&("Access-Control-Allow-Credentials".into(), "true".into())));
        assert!(h.contains(&("Access-Control-Max-Age".into(), "60".into())));
    }

    #[test]
    fn wildcard_never_sends_credentials() {
        let cors = Cors::new().allow_credentials(true);
        let h = headers_for(&cors, Some("https://evil.example"));
        assert!(h.contains(&("Access-Control-Allow-Origin".into(), "*".into())));
        assert!(
            !h.iter()
                .any(|(n, _)| n == "Access-Control-Allow-Credentials")
        );
    }

    #[test]
    fn origins_match_exactly_not_by_prefix_or_suffix() {
        let cors = Cors::new().allow_origin("https://example.com");
        for origin in [
            "https://example.com.evil.org",
            "https://evil-example.com",
            "https://example.co",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(headers_for(&cors, Some(origin)).is_empty(), "{origin}");
        }
        assert!(headers_for(&cors, None).is_empty());
    }

    #[test]
    fn allowed_headers_are_sorted_and_deduplicated() {
        let cors = Cors::new().allow_headers(["X-Custom-Header", "Content-Type"]);
        let h = headers_for(&cors, Some("https://x"));
        let allow = h
            .iter()
            .find(|(n, _)| n == "Access-Control-Allow-Headers")
            .map(|(_, v)| v.clone());
        assert_eq!(
            allow.as_deref(),
            Some(
                "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-Custom-Header"
            )
        );
    }
}
