//! The requests' heads, written from constants, the host and the invocation's ids into one
//! reused buffer (a warm invocation allocates nothing here). Every request carries `Host`
//! (the Runtime API refuses one without) and a `User-Agent`; none carries `Expect`.

/// The Runtime API's version prefix.
const PREFIX: &[u8] = b"/2018-06-01/runtime";
const AGENT: &[u8] = concat!(
    "User-Agent: lambda-router/",
    env!("CARGO_PKG_VERSION"),
    "\r\n"
)
.as_bytes();
const ERROR_TYPE: &[u8] = b"Lambda-Runtime-Function-Error-Type: ";
const INVOCATION_ID: &[u8] = b"Lambda-Runtime-Invocation-Id: ";

/// What a post answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Post {
    /// `/invocation/{id}/response`, the whole body at once.
    Response,
    /// `/invocation/{id}/response` in the streamed mode: chunked, the error trailers
    /// declared.
    Streamed,
    /// `/invocation/{id}/error` with Lambda's error document.
    Error,
    /// `/init/error` with Lambda's error document.
    InitError,
}

impl Post {
    /// How a log line or an error names the request.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Response | Self::Streamed => "POST /runtime/invocation/{id}/response",
            Self::Error => "POST /runtime/invocation/{id}/error",
            Self::InitError => "POST /runtime/init/error",
        }
    }
}

/// How `GET /next` is named in errors.
pub(crate) const NEXT_NAME: &str = "GET /runtime/invocation/next";

/// The ids a post names: the request id in its path, the invocation id echoed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ids<'a> {
    pub(crate) request_id: &'a [u8],
    pub(crate) invocation_id: Option<&'a [u8]>,
}

/// Where requests go: the `Host` header's value and a path before the API's own (empty on
/// Lambda; emulators such as `cargo lambda watch` serve it under one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) host: &'a [u8],
    pub(crate) base: &'a [u8],
}

/// Writes `GET /next`'s head for `target` into `head`.
pub(crate) fn next(head: &mut Vec<u8>, target: Target<'_>) {
    head.clear();
    head.extend_from_slice(b"GET ");
    head.extend_from_slice(target.base);
    head.extend_from_slice(PREFIX);
    head.extend_from_slice(b"/invocation/next HTTP/1.1\r\n");
    common(head, target.host);
    head.extend_from_slice(b"\r\n");
}

/// Writes the head of `post` for `ids` into `head`; `length` is the body's (unused when
/// streamed: chunked).
pub(crate) fn post(
    head: &mut Vec<u8>,
    target: Target<'_>,
    post: Post,
    ids: Ids<'_>,
    length: usize,
) {
    head.clear();
    head.extend_from_slice(b"POST ");
    head.extend_from_slice(target.base);
    head.extend_from_slice(PREFIX);
    match post {
        Post::InitError => head.extend_from_slice(b"/init/error"),
        Post::Response | Post::Streamed | Post::Error => {
            head.extend_from_slice(b"/invocation/");
            head.extend_from_slice(ids.request_id);
            head.extend_from_slice(if post == Post::Error {
                b"/error"
            } else {
                b"/response"
            });
        }
    }
    head.extend_from_slice(b" HTTP/1.1\r\n");
    common(head, target.host);
    match post {
        Post::Response => head.extend_from_slice(b"Content-Type: application/json\r\n"),
        Post::Streamed => head.extend_from_slice(
            b"Lambda-Runtime-Function-Response-Mode: streaming\r\n\
              Transfer-Encoding: chunked\r\n\
              Content-Type: application/vnd.awslambda.http-integration-response\r\n\
              Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n",
        ),
        Post::Error => {
            head.extend_from_slice(b"Content-Type: application/json\r\n");
            head.extend_from_slice(ERROR_TYPE);
            head.extend_from_slice(b"unhandled\r\n");
        }
        Post::InitError => {
            head.extend_from_slice(b"Content-Type: application/json\r\n");
            head.extend_from_slice(ERROR_TYPE);
            head.extend_from_slice(b"Runtime.InitError\r\n");
        }
    }
    if let Some(id) = ids.invocation_id {
        head.extend_from_slice(INVOCATION_ID);
        head.extend_from_slice(id);
        head.extend_from_slice(b"\r\n");
    }
    if post != Post::Streamed {
        head.extend_from_slice(b"Content-Length: ");
        let mut digits = [0; 20];
        head.extend_from_slice(decimal(length, &mut digits));
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
}

fn common(head: &mut Vec<u8>, host: &[u8]) {
    head.extend_from_slice(b"Host: ");
    head.extend_from_slice(host);
    head.extend_from_slice(b"\r\n");
    head.extend_from_slice(AGENT);
}

/// Whether `id` can stand in a request path as it is (request ids are UUIDs).
pub(crate) fn is_path_safe(id: &[u8]) -> bool {
    !id.is_empty()
        && id.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'+' | b'=')
        })
}

/// `n` in decimal, in `digits`.
fn decimal(mut n: usize, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &digits[at..];
        }
    }
}

/// A chunk's size line, `{size in hex}\r\n`, in `line`.
pub(crate) fn chunk_size_line(size: usize, line: &mut [u8; 18]) -> &[u8] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut at = line.len() - 2;
    line[at..].copy_from_slice(b"\r\n");
    let mut n = size;
    loop {
        at -= 1;
        line[at] = HEX[n % 16];
        n /= 16;
        if n == 0 {
            return &line[at..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_full() {
        for n in [0, 7, 10, 255, 4096, 6_291_556, usize::MAX] {
            let mut digits = [0; 20];
            assert_eq!(decimal(n, &mut digits), n.to_string().as_bytes());
            let mut line = [0; 18];
            assert_eq!(
                chunk_size_line(n, &mut line),
                format!("{n:x}\r\n").as_bytes()
            );
        }
    }

    #[test]
    fn a_post_names_its_invocation_and_carries_host_agent_and_length() {
        let mut head = Vec::new();
        let ids = Ids {
            request_id: b"8476a536-e9f4",
            invocation_id: Some(b"inv-1"),
        };
        let target = Target {
            host: b"127.0.0.1:9001",
            base: b"",
        };
        post(&mut head, target, Post::Response, ids, 42);
        let text = String::from_utf8(head).unwrap_or_default();
        assert!(text.starts_with(
            "POST /2018-06-01/runtime/invocation/8476a536-e9f4/response HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUser-Agent: lambda-router/"
        ));
        assert!(text.contains("\r\nLambda-Runtime-Invocation-Id: inv-1\r\n"));
        assert!(text.ends_with("\r\nContent-Length: 42\r\n\r\n"));
        assert!(!text.to_ascii_lowercase().contains("expect"));
    }
}
