//! An answer's head (status line and headers), parsed by `httparse` once it has all come:
//! the status, how the body is framed, whether the server closes the connection after it,
//! and where the headers the loop reads are (names matched case-insensitively).

use super::{BODY_LIMIT, HEAD_LIMIT, ReadError};

/// The most headers an answer may carry (Lambda sends about ten).
const MAX_HEADERS: usize = 64;

/// The headers the loop reads, matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(crate) enum Field {
    /// `Lambda-Runtime-Aws-Request-Id`: the one header every invocation carries.
    RequestId,
    /// `Lambda-Runtime-Deadline-Ms`.
    DeadlineMs,
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    FunctionArn,
    /// `Lambda-Runtime-Trace-Id`.
    TraceId,
    /// `Lambda-Runtime-Invocation-Id` (echoed on the answer).
    InvocationId,
}

const FIELDS: [(Field, &str); 5] = [
    (Field::RequestId, "lambda-runtime-aws-request-id"),
    (Field::DeadlineMs, "lambda-runtime-deadline-ms"),
    (Field::FunctionArn, "lambda-runtime-invoked-function-arn"),
    (Field::TraceId, "lambda-runtime-trace-id"),
    (Field::InvocationId, "lambda-runtime-invocation-id"),
];

/// Where each [`Field`]'s value is in the bytes parsed, when it was sent.
pub(super) type Fields = [Option<(usize, usize)>; FIELDS.len()];

/// How the body after a head ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    /// After so many bytes (none for a 204 or a 304).
    Length(usize),
    /// At the last chunk and the trailers after it.
    Chunked,
    /// When the connection closes.
    UntilClose,
}

/// A head parsed.
#[derive(Debug)]
pub(super) struct Head {
    pub(super) status: u16,
    /// The head's length in bytes: the body starts there.
    pub(super) length: usize,
    pub(super) framing: Framing,
    /// The server will not take another request on this connection.
    pub(super) close: bool,
    pub(super) fields: Fields,
}

/// Parses the head at the start of `raw`: `None` until it has all come.
pub(super) fn parse(raw: &[u8]) -> Result<Option<Head>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let length = match response.parse(raw) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) if raw.len() > HEAD_LIMIT => {
            return Err(ReadError::TooLarge("head"));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::TooLarge("header count"));
        }
        Err(_) => return Err(ReadError::Malformed("head")),
    };
    if length > HEAD_LIMIT {
        return Err(ReadError::TooLarge("head"));
    }
    let status = response.code.unwrap_or_default();
    if status < 200 {
        // An interim answer (100 Continue): never asked for, so not expected.
        return Err(ReadError::Malformed("an interim (1xx) answer"));
    }
    let mut close = response.version == Some(0);
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut fields = [None; FIELDS.len()];
    let base = raw.as_ptr() as usize;
    for header in response.headers.iter() {
        let name = header.name;
        let value = header.value;
        if name.eq_ignore_ascii_case("content-length") {
            let length = decimal(value).ok_or(ReadError::Malformed("content-length"))?;
            if content_length.is_some_and(|known| known != length) {
                return Err(ReadError::Malformed("two content-lengths"));
            }
            content_length = Some(length);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // The last coding decides (RFC 9112 6.3); only `chunked` is ever used here.
            let last = value.rsplit(|&b| b == b',').next().unwrap_or_default();
            chunked = last.trim_ascii().eq_ignore_ascii_case(b"chunked");
            if !chunked {
                return Err(ReadError::Malformed("a transfer coding other than chunked"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            close |= value
                .split(|&b| b == b',')
                .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"close"));
        } else if let Some((field, _)) = FIELDS
            .iter()
            .find(|(_, known)| name.eq_ignore_ascii_case(known))
        {
            let start = value.as_ptr() as usize - base;
            fields[*field as usize] = Some((start, start + value.len()));
        }
    }
    let framing = if status == 204 || status == 304 {
        Framing::Length(0)
    } else if chunked {
        Framing::Chunked
    } else if let Some(length) = content_length {
        if length > BODY_LIMIT {
            return Err(ReadError::TooLarge("body"));
        }
        Framing::Length(length)
    } else {
        Framing::UntilClose
    };
    Ok(Some(Head {
        status,
        length,
        framing,
        close,
        fields,
    }))
}

/// A `Content-Length` value: digits only, no sign, no overflow.
fn decimal(value: &[u8]) -> Option<usize> {
    let value = value.trim_ascii();
    if value.is_empty() || value.len() > 19 {
        return None;
    }
    value.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(usize::from(b - b'0')))
            .flatten()
    })
}
