//! The variables Lambda starts a function with, read once: each read scans the whole
//! environment, and the loop needs most of them more than once (to check them, for the
//! context, for `/runtime/init/error`).

use std::net::{SocketAddr, ToSocketAddrs};

use super::RunError;
use super::transport::Connection;
use crate::LambdaContext;

/// Where the Runtime API is: its socket address, and for the requests, the `Host` header's
/// value and the path before the API's own.
#[derive(Debug, Clone)]
pub(super) struct ApiAddress {
    pub(super) address: SocketAddr,
    pub(super) host: String,
    pub(super) base: String,
}

impl ApiAddress {
    pub(super) fn connection(&self) -> Connection {
        Connection::new(self.address, &self.host, &self.base)
    }
}

/// The function's Lambda variables, as read at start.
pub(super) struct FunctionEnvironment {
    runtime_api: Option<String>,
    function_name: Option<String>,
    function_version: Option<String>,
    memory_size: Option<String>,
    max_concurrency: Option<String>,
}

impl FunctionEnvironment {
    pub(super) fn read() -> Self {
        let var = |name| std::env::var(name).ok();
        Self {
            runtime_api: var("AWS_LAMBDA_RUNTIME_API"),
            function_name: var("AWS_LAMBDA_FUNCTION_NAME"),
            function_version: var("AWS_LAMBDA_FUNCTION_VERSION"),
            memory_size: var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
            max_concurrency: var("AWS_LAMBDA_MAX_CONCURRENCY"),
        }
    }

    /// Every variable a Lambda function is started with, present and well formed.
    pub(super) fn check(&self) -> Result<(), RunError> {
        let missing = |variable| RunError::Environment {
            variable,
            problem: "missing",
        };
        self.function_name
            .as_ref()
            .ok_or_else(|| missing("AWS_LAMBDA_FUNCTION_NAME"))?;
        let memory = self
            .memory_size
            .as_deref()
            .ok_or_else(|| missing("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))?;
        self.function_version
            .as_ref()
            .ok_or_else(|| missing("AWS_LAMBDA_FUNCTION_VERSION"))?;
        if memory.parse::<i32>().is_err() {
            return Err(RunError::Environment {
                variable: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                problem: "not a number",
            });
        }
        if self.runtime_api_address().is_none() {
            return Err(RunError::Environment {
                variable: "AWS_LAMBDA_RUNTIME_API",
                problem: "not a host and port",
            });
        }
        Ok(())
    }

    /// `AWS_LAMBDA_RUNTIME_API` resolved once (a connection opened again later costs no
    /// lookup); `None` when it does not resolve. Lambda sets `host:port`; emulators such as
    /// `cargo lambda watch` set a URL, `http://host:port/path`, whose path comes before the
    /// API's own.
    pub(super) fn runtime_api_address(&self) -> Option<ApiAddress> {
        let api = self.runtime_api.as_deref()?.trim();
        let api = match api.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case("http://") => &api[7..],
            _ => api,
        };
        let (host, base) = match api.find('/') {
            Some(slash) => (&api[..slash], api[slash..].trim_end_matches('/')),
            None => (api, ""),
        };
        let address = host.to_socket_addrs().ok()?.next()?;
        let safe = |text: &str| {
            !text
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        };
        (safe(host) && safe(base)).then(|| ApiAddress {
            address,
            host: host.to_owned(),
            base: base.to_owned(),
        })
    }

    /// `AWS_LAMBDA_MAX_CONCURRENCY` (Lambda Managed Instances), at least 1.
    pub(super) fn max_concurrency(&self) -> usize {
        self.max_concurrency
            .as_deref()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// The function's part of every invocation's context.
    pub(super) fn into_context(self) -> LambdaContext {
        LambdaContext {
            memory_limit_mb: self
                .memory_size
                .as_deref()
                .and_then(|memory| memory.parse().ok())
                .unwrap_or(0),
            function_name: self.function_name.unwrap_or_default(),
            function_version: self.function_version.unwrap_or_default(),
            ..LambdaContext::default()
        }
    }
}
