//! CORS (Powertools' `CORSConfig`): which origins may read responses, and the automatic
//! answer to pre-flight requests. Header values are computed once, at build time.

use crate::response::invalid_field_value_byte;
use crate::router::BuildError;
use crate::wire::{WireHeaders, set_library_header};

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
/// * **Which origin**: the first `Origin` the request carries, as Powertools reads it — the
///   first of `multiValueHeaders` (REST, ALB with multi-value headers), the part before the
///   first comma of a value API Gateway comma-joined (HTTP API, Function URL). An `Origin`
///   sent twice is therefore answered for its first value only; the second one is never
///   echoed.
/// * **Which headers**: `Access-Control-Allow-Origin` echoes that origin when it is listed
///   exactly (with `Vary: Origin` added, merged with the handler's own `Vary`, unless
///   [`AppBuilder::vary`](crate::AppBuilder::vary) turned it off), else `*` when `*` is
///   allowed, else no CORS header is sent.
/// * **Library-owned**: the CORS headers replace a handler's header of the same name, never
///   sit beside it. They are also sent on the 500 that replaces an invalid response.
/// * Every value is checked when the app is built: a control byte (CR, LF, NUL, …) in an
///   origin or a header name is a [`BuildError`], not a broken response at run time.
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

    /// The header values, computed once.
    ///
    /// # Errors
    /// A setting holding a byte not allowed in a header value.
    pub(crate) fn compile(&self) -> Result<CompiledCors, BuildError> {
        self.check()?;
        let mut origins = Vec::with_capacity(1 + self.extra_origins.len());
        origins.push(self.allow_origin.clone());
        origins.extend(self.extra_origins.iter().cloned());
        let allow_any = origins.iter().any(|o| o == "*");
        let mut allowed: Vec<&str> = DEFAULT_ALLOW_HEADERS
            .iter()
            .copied()
            .chain(self.allow_headers.iter().map(String::as_str))
            .collect();
        allowed.sort_unstable();
        allowed.dedup();
        Ok(CompiledCors {
            origins,
            allow_any,
            allow_headers: allowed.join(","),
            expose_headers: (!self.expose_headers.is_empty())
                .then(|| self.expose_headers.join(",")),
            max_age: self.max_age.map(|s| s.to_string()),
            allow_credentials: self.allow_credentials,
        })
    }

    /// Every configured value must be a valid header value once written.
    fn check(&self) -> Result<(), BuildError> {
        let settings = [
            ("allow_origin", std::slice::from_ref(&self.allow_origin)),
            ("extra_origins", self.extra_origins.as_slice()),
            ("allow_headers", self.allow_headers.as_slice()),
            ("expose_headers", self.expose_headers.as_slice()),
        ];
        for (setting, values) in settings {
            for value in values {
                if let Some((index, byte)) = invalid_field_value_byte(value) {
                    return Err(BuildError::config(format!(
                        "CORS {setting} `{}`: byte {byte:#04x} at index {index} is not allowed \
                         in a header value",
                        value.escape_debug()
                    )));
                }
            }
        }
        Ok(())
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
    /// Sets the CORS headers for a request from `origin` (nothing when the origin is
    /// absent or not allowed), replacing the handler's own. The origin is echoed only when
    /// it is listed exactly; the result says whether it was (then the answer varies with
    /// `Origin`).
    pub(crate) fn apply<'h>(
        &'h self,
        origin: Option<&'h str>,
        headers: &mut WireHeaders<'h>,
    ) -> bool {
        let Some(origin) = origin else { return false };
        let allowed_origin = if self.origins.iter().any(|o| o == origin) {
            origin
        } else if self.allow_any {
            "*"
        } else {
            return false;
        };
        set_library_header(headers, "Access-Control-Allow-Origin", allowed_origin);
        set_library_header(
            headers,
            "Access-Control-Allow-Headers",
            self.allow_headers.as_str(),
        );
        if let Some(expose) = &self.expose_headers {
            set_library_header(headers, "Access-Control-Expose-Headers", expose.as_str());
        }
        if let Some(max_age) = &self.max_age {
            set_library_header(headers, "Access-Control-Max-Age", max_age.as_str());
        }
        let echoed = allowed_origin != "*";
        if echoed && self.allow_credentials {
            set_library_header(headers, "Access-Control-Allow-Credentials", "true");
        }
        echoed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_for(cors: &Cors, origin: Option<&str>) -> Vec<(String, String)> {
        let compiled = cors.compile().unwrap();
        let mut out = WireHeaders::new();
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
