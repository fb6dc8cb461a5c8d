//! The Runtime API's answers, read without I/O of its own: the connection reads into
//! [`AnswerReader::spare`], reports how much came with [`AnswerReader::received`], and gets
//! back an [`Answer`] once one is whole. The head is parsed by `httparse`; the body is
//! framed by `Content-Length`, by chunks (decoded in place, so the event is one contiguous
//! slice whatever its framing) or, lacking both, by the end of the connection. The buffer
//! is reused from answer to answer, so a warm read allocates nothing, and everything it can
//! hold is bounded (the head, the body, a chunk-size line, the trailers).

use std::ops::Range;

/// The largest head read (status line and headers). Lambda's are under 2 KiB.
pub(crate) const HEAD_LIMIT: usize = 64 * 1024;
/// The largest body read. Lambda's invocation payload limit is 6 MiB (RAPID refuses 6 MiB +
/// 100 B); the margin keeps a future raise of that limit from failing every invocation.
pub(crate) const BODY_LIMIT: usize = 16 * 1024 * 1024;
/// The largest chunk-size line (size and extensions) and trailer section.
const LINE_LIMIT: usize = 4 * 1024;
const TRAILERS_LIMIT: usize = 16 * 1024;
/// The most headers an answer may carry (Lambda sends about ten).
const MAX_HEADERS: usize = 64;
/// The buffer's first size: an event and its head fit without growing, most times.
const INITIAL: usize = 16 * 1024;
/// What the buffer never grows beyond.
pub(crate) const BUFFER_LIMIT: usize = HEAD_LIMIT + BODY_LIMIT + TRAILERS_LIMIT;

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

/// Why an answer could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The connection ended before the answer did; `started` when some of it had come.
    Closed {
        /// Whether any byte of this answer had arrived.
        started: bool,
    },
    /// Not an HTTP/1.x answer `httparse` accepts, or a framing it does not allow.
    Malformed(&'static str),
    /// Larger than the reader holds: a head, body, chunk line or trailers over its limit.
    TooLarge(&'static str),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Closed { started: false } => {
                f.write_str("the connection closed before any answer")
            }
            Self::Closed { started: true } => {
                f.write_str("the connection closed in the middle of the answer")
            }
            Self::Malformed(what) => write!(f, "malformed answer: {what}"),
            Self::TooLarge(what) => write!(f, "answer too large: {what}"),
        }
    }
}

/// A whole answer; its head and body stay in the reader until the next [`AnswerReader::begin`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The status code.
    pub(crate) status: u16,
    /// The body, decoded, in the reader's buffer.
    body: Range<usize>,
    /// The server will not take another request on this connection.
    pub(crate) close: bool,
}

/// Where the reader is in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    /// So many body bytes still to come.
    Length(usize),
    /// A chunk-size line.
    ChunkSize,
    /// So many bytes of the current chunk still to come.
    ChunkData(usize),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    /// The trailer section after the last chunk.
    Trailers,
    /// Everything until the connection closes.
    UntilClose,
    /// The answer was handed out; [`AnswerReader::begin`] starts the next.
    Done,
}

/// Reads one answer after another into one reused buffer.
#[derive(Debug)]
pub(crate) struct AnswerReader {
    /// Initialized to its length; `filled` says how much holds received bytes.
    buffer: Vec<u8>,
    filled: usize,
    /// Where the answer's raw bytes not yet decoded start.
    scan: usize,
    /// The head's length (the body is decoded from there).
    head: usize,
    /// The end of the decoded body.
    body_end: usize,
    phase: Phase,
    status: u16,
    close: bool,
    fields: [Option<(usize, usize)>; FIELDS.len()],
}

impl Default for AnswerReader {
    fn default() -> Self {
        Self::new()
    }
}

impl AnswerReader {
    pub(crate) fn new() -> Self {
        Self {
            buffer: Vec::new(),
            filled: 0,
            scan: 0,
            head: 0,
            body_end: 0,
            phase: Phase::Head,
            status: 0,
            close: false,
            fields: [None; FIELDS.len()],
        }
    }

    /// Starts reading the next answer, dropping the last one (bytes received after it stay:
    /// they begin this one).
    pub(crate) fn begin(&mut self) {
        if self.phase == Phase::Head {
            return; // nothing of an answer consumed yet
        }
        let rest = self.scan..self.filled;
        self.filled = rest.len();
        self.buffer.copy_within(rest, 0);
        self.scan = 0;
        self.head = 0;
        self.body_end = 0;
        self.phase = Phase::Head;
        self.status = 0;
        self.close = false;
        self.fields = [None; FIELDS.len()];
    }

    /// Forgets everything received: for a new connection.
    pub(crate) fn reset(&mut self) {
        self.filled = 0;
        self.scan = 0;
        self.phase = Phase::Done;
        self.begin();
    }

    /// Where the next read goes: never empty (the buffer grows, up to its bound).
    ///
    /// # Errors
    /// The answer would not fit under [`BUFFER_LIMIT`].
    pub(crate) fn spare(&mut self) -> Result<&mut [u8], ReadError> {
        if self.filled == self.buffer.len() {
            self.make_room()?;
        }
        Ok(&mut self.buffer[self.filled..])
    }

    fn make_room(&mut self) -> Result<(), ReadError> {
        // Decoded chunks leave a gap between the body and the raw bytes: close it first.
        if self.scan > self.body_end && self.phase != Phase::Head {
            let raw = self.scan..self.filled;
            self.buffer.copy_within(raw.clone(), self.body_end);
            self.filled = self.body_end + raw.len();
            self.scan = self.body_end;
            if self.filled < self.buffer.len() {
                return Ok(());
            }
        }
        if self.buffer.len() >= BUFFER_LIMIT {
            return Err(ReadError::TooLarge("the buffer's bound"));
        }
        let grown = (self.buffer.len() * 2).clamp(INITIAL, BUFFER_LIMIT);
        self.buffer.resize(grown, 0);
        Ok(())
    }

    /// Records `read` more bytes in [`spare`](Self::spare) (0: the connection ended). The
    /// answer once whole.
    ///
    /// # Errors
    /// See [`ReadError`]; after one, the connection cannot be used again.
    pub(crate) fn received(&mut self, read: usize) -> Result<Option<Answer>, ReadError> {
        if read == 0 {
            return self.closed();
        }
        self.filled = (self.filled + read).min(self.buffer.len());
        self.advance()
    }

    /// Decodes the bytes kept from before [`begin`](Self::begin), if any: the answer if
    /// they hold all of it.
    ///
    /// # Errors
    /// As [`received`](Self::received).
    pub(crate) fn decode_kept(&mut self) -> Result<Option<Answer>, ReadError> {
        if self.filled == 0 {
            return Ok(None);
        }
        self.advance()
    }

    fn closed(&mut self) -> Result<Option<Answer>, ReadError> {
        if self.phase == Phase::UntilClose {
            self.body_end = self.filled;
            self.scan = self.filled;
            self.close = true;
            return Ok(Some(self.answer()));
        }
        Err(ReadError::Closed {
            started: self.filled > 0,
        })
    }

    /// Decodes what has arrived, as far as it goes.
    fn advance(&mut self) -> Result<Option<Answer>, ReadError> {
        loop {
            match self.phase {
                Phase::Done => return Ok(None),
                Phase::Head => {
                    if !self.parse_head()? {
                        return Ok(None);
                    }
                }
                Phase::Length(0) => {
                    self.body_end = self.scan;
                    return Ok(Some(self.answer()));
                }
                Phase::Length(left) => {
                    let take = left.min(self.filled - self.scan);
                    if take == 0 {
                        return Ok(None);
                    }
                    self.scan += take;
                    self.body_end = self.scan;
                    self.phase = Phase::Length(left - take);
                }
                Phase::UntilClose => {
                    if self.filled - self.head > BODY_LIMIT {
                        return Err(ReadError::TooLarge("body"));
                    }
                    self.scan = self.filled;
                    self.body_end = self.filled;
                    return Ok(None);
                }
                Phase::ChunkSize => {
                    let Some((line, next)) = self.line(LINE_LIMIT, "chunk-size line")? else {
                        return Ok(None);
                    };
                    let size = chunk_size(&self.buffer[line])?;
                    if size > BODY_LIMIT - (self.body_end - self.head) {
                        return Err(ReadError::TooLarge("body"));
                    }
                    self.scan = next;
                    self.phase = if size == 0 {
                        Phase::Trailers
                    } else {
                        Phase::ChunkData(size)
                    };
                }
                Phase::ChunkData(left) => {
                    let take = left.min(self.filled - self.scan);
                    if take == 0 {
                        return Ok(None);
                    }
                    self.buffer
                        .copy_within(self.scan..self.scan + take, self.body_end);
                    self.scan += take;
                    self.body_end += take;
                    self.phase = if take == left {
                        Phase::ChunkEnd
                    } else {
                        Phase::ChunkData(left - take)
                    };
                }
                Phase::ChunkEnd => {
                    if self.filled - self.scan < 2 {
                        return Ok(None);
                    }
                    if &self.buffer[self.scan..self.scan + 2] != b"\r\n" {
                        return Err(ReadError::Malformed("chunk data not followed by CRLF"));
                    }
                    self.scan += 2;
                    self.phase = Phase::ChunkSize;
                }
                Phase::Trailers => {
                    // Trailer fields are read past, not kept: the Runtime API sends none.
                    let Some((line, next)) = self.line(TRAILERS_LIMIT, "trailers")? else {
                        return Ok(None);
                    };
                    self.scan = next;
                    if line.is_empty() {
                        return Ok(Some(self.answer()));
                    }
                }
            }
        }
    }

    /// The next CRLF-ended line from `scan`: its range (without CRLF) and where the next
    /// starts. `None` until it has all come.
    fn line(
        &self,
        limit: usize,
        what: &'static str,
    ) -> Result<Option<(Range<usize>, usize)>, ReadError> {
        let raw = &self.buffer[self.scan..self.filled];
        match memchr::memchr(b'\n', raw) {
            Some(at) if at > limit => Err(ReadError::TooLarge(what)),
            Some(at) => {
                if at == 0 || raw[at - 1] != b'\r' {
                    return Err(ReadError::Malformed("a line not ended by CRLF"));
                }
                Ok(Some((self.scan..self.scan + at - 1, self.scan + at + 1)))
            }
            None if raw.len() > limit => Err(ReadError::TooLarge(what)),
            None => Ok(None),
        }
    }

    /// Parses the head once it has all come: `true` then.
    fn parse_head(&mut self) -> Result<bool, ReadError> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let raw = &self.buffer[..self.filled];
        let length = match response.parse(raw) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) if self.filled > HEAD_LIMIT => {
                return Err(ReadError::TooLarge("head"));
            }
            Ok(httparse::Status::Partial) => return Ok(false),
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
                self.fields[*field as usize] = Some((start, start + value.len()));
            }
        }
        self.status = status;
        self.close = close;
        self.head = length;
        self.scan = length;
        self.body_end = length;
        self.phase = if status == 204 || status == 304 {
            Phase::Length(0)
        } else if chunked {
            Phase::ChunkSize
        } else if let Some(length) = content_length {
            if length > BODY_LIMIT {
                return Err(ReadError::TooLarge("body"));
            }
            Phase::Length(length)
        } else {
            Phase::UntilClose
        };
        Ok(true)
    }

    fn answer(&mut self) -> Answer {
        let answer = Answer {
            status: self.status,
            body: self.head..self.body_end,
            close: self.close,
        };
        self.phase = Phase::Done;
        answer
    }

    /// A header of the last head parsed (its value's bytes), if it was sent.
    pub(crate) fn field(&self, field: Field) -> Option<&[u8]> {
        let (start, end) = self.fields[field as usize]?;
        self.buffer.get(start..end)
    }

    /// The body of `answer` (the last one read).
    pub(crate) fn body(&self, answer: &Answer) -> &[u8] {
        self.buffer.get(answer.body.clone()).unwrap_or_default()
    }

    /// The buffer's size now (bounded by [`BUFFER_LIMIT`]), for the fuzz target's check
    /// of that bound.
    #[cfg(feature = "__bench")]
    pub(crate) fn capacity(&self) -> usize {
        self.buffer.len()
    }
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

/// A chunk-size line's size (hex digits, then perhaps `;extensions`).
fn chunk_size(line: &[u8]) -> Result<usize, ReadError> {
    let digits = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    if digits.is_empty() || digits.len() > 15 {
        return Err(ReadError::Malformed("chunk size"));
    }
    digits.iter().try_fold(0usize, |n, &b| {
        let digit = (b as char)
            .to_digit(16)
            .ok_or(ReadError::Malformed("chunk size"))?;
        n.checked_mul(16)
            .and_then(|n| n.checked_add(digit as usize))
            .ok_or(ReadError::Malformed("chunk size"))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    /// Feeds `raw` in reads of `step` bytes, then closes when `close`; the outcome.
    fn read(
        raw: &[u8],
        step: usize,
        close: bool,
    ) -> Result<Option<(u16, Vec<u8>, bool)>, ReadError> {
        let mut reader = AnswerReader::new();
        reader.begin();
        for piece in raw.chunks(step) {
            let mut at = 0;
            while at < piece.len() {
                let spare = reader.spare()?;
                let take = spare.len().min(piece.len() - at);
                spare[..take].copy_from_slice(&piece[at..at + take]);
                at += take;
                if let Some(answer) = reader.received(take)? {
                    return Ok(Some((
                        answer.status,
                        reader.body(&answer).to_vec(),
                        answer.close,
                    )));
                }
            }
        }
        if close {
            return reader
                .received(0)
                .map(|a| a.map(|a| (a.status, reader.body(&a).to_vec(), a.close)));
        }
        Ok(None)
    }

    #[test]
    fn every_framing_reads_alike_whatever_the_reads() {
        let cases: &[(&[u8], u16, &[u8], bool)] = &[
            (b"HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n", 202, b"{\"status\":\"OK\"}\n", false),
            (b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3\r\n{\"a\r\n4;ext=1\r\n\":1}\r\n0\r\nX-Trailer: y\r\n\r\n", 200, b"{\"a\":1}", false),
            (b"HTTP/1.1 204 No Content\r\n\r\n", 204, b"", false),
            (b"HTTP/1.1 413 Too Large\r\nConnection: close\r\ncontent-length: 2\r\n\r\n{}", 413, b"{}", true),
            (b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, b"x", true),
        ];
        for (raw, status, body, close) in cases {
            for step in 1..=raw.len() {
                let read = read(raw, step, false).unwrap();
                assert_eq!(
                    read,
                    Some((*status, body.to_vec(), *close)),
                    "{step}: {}",
                    String::from_utf8_lossy(raw)
                );
            }
        }
        // Without a length, the body ends with the connection.
        let raw = b"HTTP/1.1 200 OK\r\n\r\nuntil the end";
        assert_eq!(
            read(raw, 3, true).unwrap(),
            Some((200, b"until the end".to_vec(), true))
        );
    }

    #[test]
    fn a_connection_closed_before_the_end_is_an_error_at_every_byte() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        for end in 0..raw.len() {
            let outcome = read(&raw[..end], 7, true);
            assert_eq!(
                outcome,
                Err(ReadError::Closed { started: end > 0 }),
                "{end}"
            );
        }
    }

    #[test]
    fn bad_framing_is_refused() {
        let cases: &[&[u8]] = &[
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
            b"HTTP/1.1 100 Continue\r\n\r\n",
            b"NOT HTTP\r\n\r\n",
        ];
        for raw in cases {
            assert!(
                read(raw, raw.len(), false).is_err(),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let oversized = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            BODY_LIMIT + 1
        );
        assert_eq!(
            read(oversized.as_bytes(), 64, false),
            Err(ReadError::TooLarge("body"))
        );
    }

    #[test]
    fn headers_are_found_in_any_case_and_what_follows_an_answer_begins_the_next() {
        let mut reader = AnswerReader::new();
        let raw = b"HTTP/1.1 200 OK\r\nLAMBDA-runtime-AWS-request-ID: id-1\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
        reader.begin();
        let spare = reader.spare().unwrap();
        spare[..raw.len()].copy_from_slice(raw);
        let first = reader.received(raw.len()).unwrap().unwrap();
        assert_eq!(reader.field(Field::RequestId), Some(&b"id-1"[..]));
        assert_eq!(reader.body(&first), b"{}");
        assert_eq!(reader.field(Field::DeadlineMs), None);
        reader.begin();
        let second = reader.decode_kept().unwrap().unwrap();
        assert_eq!(second.status, 202);
        assert_eq!(reader.field(Field::RequestId), None);
    }
}
