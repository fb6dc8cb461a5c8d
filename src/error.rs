//! Errors a handler can raise: [`ServiceError`] (an HTTP status and message, Powertools'
//! `ServiceError` family) and [`Error`], the type-erased error a handler or middleware
//! returns, which the app's error handlers match by type.

use std::borrow::Cow;
use std::fmt;

/// An error that answers with its own HTTP status and `{"statusCode":…,"message":…}`.
///
/// ```
/// use lambda_router::ServiceError;
///
/// let err = ServiceError::bad_request("Missing required parameter");
/// assert_eq!(err.status(), 400);
/// assert_eq!(err.message(), "Missing required parameter");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    status: u16,
    message: Cow<'static, str>,
}

macro_rules! service_errors {
    ($($(#[$doc:meta])* $name:ident => $status:literal;)*) => {
        impl ServiceError {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(message: impl Into<Cow<'static, str>>) -> Self {
                    Self::new($status, message)
                }
            )*
        }
    };
}

service_errors! {
    /// 400 Bad Request (Powertools' `BadRequestError`).
    bad_request => 400;
    /// 401 Unauthorized (Powertools' `UnauthorizedError`).
    unauthorized => 401;
    /// 403 Forbidden.
    forbidden => 403;
    /// 404 Not Found (Powertools' `NotFoundError`; its default message is `Not found`).
    /// A route raising it reaches the app's not-found handler when one is set.
    not_found => 404;
    /// 405 Method Not Allowed.
    method_not_allowed => 405;
    /// 409 Conflict.
    conflict => 409;
    /// 422 Unprocessable Entity.
    unprocessable_entity => 422;
    /// 429 Too Many Requests.
    too_many_requests => 429;
    /// 500 Internal Server Error (Powertools' `InternalServerError`).
    internal_server_error => 500;
    /// 502 Bad Gateway.
    bad_gateway => 502;
    /// 503 Service Unavailable.
    service_unavailable => 503;
}

impl ServiceError {
    /// An error with any status.
    #[must_use]
    pub fn new(status: u16, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The message sent in the body.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}

impl std::error::Error for ServiceError {}

/// The error a handler or middleware returns: any `std::error::Error`, boxed.
///
/// `?` converts into it. The app answers it with the handler registered for its type
/// ([`AppBuilder::on_error`](crate::AppBuilder::on_error)), as a [`ServiceError`], or with
/// 500 `{"statusCode":500,"message":"Internal Server Error"}`, logged.
pub struct Error {
    inner: Box<dyn std::error::Error + Send + Sync + 'static>,
    /// The wrapped error's type as `std::any::type_name` gives it (a boxed error's type is
    /// not known: `Error`). A Bedrock agent's tool error names it, as Python names the
    /// exception's class.
    type_name: &'static str,
}

impl Error {
    /// Wraps an error.
    pub fn new<E: std::error::Error + Send + Sync + 'static>(error: E) -> Self {
        Self {
            inner: Box::new(error),
            type_name: std::any::type_name::<E>(),
        }
    }

    /// Wraps an already boxed error (from `anyhow`, say: `Error::from_boxed(e.into())`).
    #[must_use]
    pub fn from_boxed(inner: Box<dyn std::error::Error + Send + Sync + 'static>) -> Self {
        Self {
            inner,
            type_name: "Error",
        }
    }

    /// The name of the wrapped error's type, without its module path or generic
    /// arguments (`ValueError` for `my_app::errors::ValueError`); `Error` for a boxed one.
    pub(crate) fn type_name(&self) -> &'static str {
        let path = self.type_name.split('<').next().unwrap_or(self.type_name);
        path.rsplit("::").next().unwrap_or(path)
    }

    /// The error as `T`, if it is one.
    #[must_use]
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.inner.downcast_ref::<T>()
    }

    /// Whether the error is a `T`.
    #[must_use]
    pub fn is<T: std::error::Error + 'static>(&self) -> bool {
        self.inner.is::<T>()
    }

    /// The error and its sources, outermost first.
    pub fn chain(&self) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
        let first: &(dyn std::error::Error + 'static) = &*self.inner;
        std::iter::successors(Some(first), |e| e.source())
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(error: E) -> Self {
        Self::new(error)
    }
}

/// `{:?}` is the sentence and its causes (what `fn main() -> Result<(), Error>` prints);
/// `{:#?}` is the wrapped error's own `Debug`.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return fmt::Debug::fmt(&self.inner, f);
        }
        write_report(f, &self.inner, self.inner.source())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

/// Writes an error for a person, as `anyhow` reports one returned from `main`: the
/// `Display` sentence of `message`, then each cause from `first_cause` on, one a line.
/// The `Debug` of the public error types is this, so that `fn main() -> Result<(), E>`
/// prints a sentence instead of a structure dump.
pub(crate) fn write_report(
    f: &mut fmt::Formatter<'_>,
    message: &dyn fmt::Display,
    first_cause: Option<&(dyn std::error::Error + 'static)>,
) -> fmt::Result {
    write!(f, "{message}")?;
    let causes = std::iter::successors(first_cause, |cause| cause.source());
    for (index, cause) in causes.enumerate() {
        if index == 0 {
            f.write_str("\n\nCaused by:")?;
        }
        write!(f, "\n    {index}: {cause}")?;
    }
    Ok(())
}

/// A handler or middleware panicked; the payload's message when it had one.
#[derive(Debug)]
pub(crate) struct Panicked(pub(crate) String);

impl Panicked {
    pub(crate) fn from_payload(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string panic payload".to_owned());
        Self(message)
    }
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "handler panicked: {}", self.0)
    }
}

impl std::error::Error for Panicked {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(ServiceError);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("outer")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn kinds_have_their_status() {
        let cases = [
            (ServiceError::bad_request("x"), 400),
            (ServiceError::unauthorized("x"), 401),
            (ServiceError::forbidden("x"), 403),
            (ServiceError::not_found("x"), 404),
            (ServiceError::method_not_allowed("x"), 405),
            (ServiceError::conflict("x"), 409),
            (ServiceError::unprocessable_entity("x"), 422),
            (ServiceError::too_many_requests("x"), 429),
            (ServiceError::internal_server_error("x"), 500),
            (ServiceError::bad_gateway("x"), 502),
            (ServiceError::service_unavailable("x"), 503),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status);
        }
    }

    #[test]
    fn error_downcasts_and_walks_its_chain() {
        let err = Error::from(Outer(ServiceError::conflict("taken")));
        assert!(err.is::<Outer>());
        assert!(err.downcast_ref::<ServiceError>().is_none());
        let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
        assert_eq!(chain, ["outer", "409 taken"]);
    }
}
