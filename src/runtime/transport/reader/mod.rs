//! The Runtime API's answers, read without I/O of its own: the connection reads into
//! [`AnswerReader::spare`], reports how much came with [`AnswerReader::received`], and gets
//! back an [`Answer`] once one is whole. The head is parsed by `httparse` (`head.rs`); the
//! body is framed by `Content-Length`, by chunks (`chunked.rs`, decoded in place, so the
//! event is one contiguous slice whatever its framing) or, lacking both, by the end of the
//! connection. The buffer is reused from answer to answer, so a warm read allocates
//! nothing, and everything it can hold is bounded (the head, the body, a chunk-size line,
//! the trailers).

mod chunked;
mod head;

use std::ops::Range;

use chunked::{Chunked, TRAILERS_LIMIT};
use head::{Fields, Framing};

pub(crate) use head::Field;

/// The largest head read (status line and headers). Lambda's are under 2 KiB.
pub(crate) const HEAD_LIMIT: usize = 64 * 1024;
/// The largest body read. Lambda's invocation payload limit is 6 MiB (RAPID refuses 6 MiB +
/// 100 B); the margin keeps a future raise of that limit from failing every invocation.
pub(crate) const BODY_LIMIT: usize = 16 * 1024 * 1024;
/// The buffer's first size: an event and its head fit without growing, most times.
const INITIAL: usize = 16 * 1024;
/// What the buffer never grows beyond.
pub(crate) const BUFFER_LIMIT: usize = HEAD_LIMIT + BODY_LIMIT + TRAILERS_LIMIT;

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
    /// A chunked body, so far.
    Chunked(Chunked),
    /// Everything until the connection closes.
    UntilClose,
    /// The answer was handed out; [`AnswerReader::begin`] starts the next.
    Done,
}

/// Where the answer's parts are in the reader's buffer.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    /// How much of the buffer holds received bytes.
    filled: usize,
    /// Where the answer's raw bytes not yet decoded start.
    scan: usize,
    /// The head's length (the body is decoded from there).
    head: usize,
    /// The end of the decoded body.
    body_end: usize,
}

/// Reads one answer after another into one reused buffer.
#[derive(Debug)]
pub(crate) struct AnswerReader {
    /// Initialized to its length; `marks.filled` says how much holds received bytes.
    buffer: Vec<u8>,
    marks: Marks,
    phase: Phase,
    status: u16,
    close: bool,
    fields: Fields,
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
            marks: Marks::default(),
            phase: Phase::Head,
            status: 0,
            close: false,
            fields: Fields::default(),
        }
    }

    /// Starts reading the next answer, dropping the last one (bytes received after it stay:
    /// they begin this one).
    pub(crate) fn begin(&mut self) {
        if self.phase == Phase::Head {
            return; // nothing of an answer consumed yet
        }
        let rest = self.marks.scan..self.marks.filled;
        self.buffer.copy_within(rest.clone(), 0);
        self.marks = Marks {
            filled: rest.len(),
            ..Marks::default()
        };
        self.phase = Phase::Head;
        self.status = 0;
        self.close = false;
        self.fields = Fields::default();
    }

    /// Forgets everything received: for a new connection.
    pub(crate) fn reset(&mut self) {
        self.marks.filled = 0;
        self.marks.scan = 0;
        self.phase = Phase::Done;
        self.begin();
    }

    /// Where the next read goes: never empty (the buffer grows, up to its bound).
    ///
    /// # Errors
    /// The answer would not fit under [`BUFFER_LIMIT`].
    pub(crate) fn spare(&mut self) -> Result<&mut [u8], ReadError> {
        if self.marks.filled == self.buffer.len() {
            self.make_room()?;
        }
        Ok(&mut self.buffer[self.marks.filled..])
    }

    fn make_room(&mut self) -> Result<(), ReadError> {
        let marks = &mut self.marks;
        // Decoded chunks leave a gap between the body and the raw bytes: close it first.
        if marks.scan > marks.body_end && self.phase != Phase::Head {
            let raw = marks.scan..marks.filled;
            self.buffer.copy_within(raw.clone(), marks.body_end);
            marks.filled = marks.body_end + raw.len();
            marks.scan = marks.body_end;
            if marks.filled < self.buffer.len() {
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
        self.marks.filled = (self.marks.filled + read).min(self.buffer.len());
        self.advance()
    }

    /// Decodes the bytes kept from before [`begin`](Self::begin), if any: the answer if
    /// they hold all of it.
    ///
    /// # Errors
    /// As [`received`](Self::received).
    pub(crate) fn decode_kept(&mut self) -> Result<Option<Answer>, ReadError> {
        if self.marks.filled == 0 {
            return Ok(None);
        }
        self.advance()
    }

    fn closed(&mut self) -> Result<Option<Answer>, ReadError> {
        if self.phase == Phase::UntilClose {
            self.marks.body_end = self.marks.filled;
            self.marks.scan = self.marks.filled;
            self.close = true;
            return Ok(Some(self.answer()));
        }
        Err(ReadError::Closed {
            started: self.marks.filled > 0,
        })
    }

    /// Decodes what has arrived, as far as it goes.
    fn advance(&mut self) -> Result<Option<Answer>, ReadError> {
        let marks = &mut self.marks;
        loop {
            match self.phase {
                Phase::Done => return Ok(None),
                Phase::Head => {
                    let Some(head) = head::parse(&self.buffer[..marks.filled])? else {
                        return Ok(None);
                    };
                    self.status = head.status;
                    self.close = head.close;
                    self.fields = head.fields;
                    marks.head = head.length;
                    marks.scan = head.length;
                    marks.body_end = head.length;
                    self.phase = match head.framing {
                        Framing::Length(length) => Phase::Length(length),
                        Framing::Chunked => Phase::Chunked(Chunked::Size),
                        Framing::UntilClose => Phase::UntilClose,
                    };
                }
                Phase::Length(0) => {
                    marks.body_end = marks.scan;
                    return Ok(Some(self.answer()));
                }
                Phase::Length(left) => {
                    let take = left.min(marks.filled - marks.scan);
                    if take == 0 {
                        return Ok(None);
                    }
                    marks.scan += take;
                    marks.body_end = marks.scan;
                    self.phase = Phase::Length(left - take);
                }
                Phase::UntilClose => {
                    if marks.filled - marks.head > BODY_LIMIT {
                        return Err(ReadError::TooLarge("body"));
                    }
                    marks.scan = marks.filled;
                    marks.body_end = marks.filled;
                    return Ok(None);
                }
                Phase::Chunked(mut chunked) => {
                    let ended = chunked.decode(&mut self.buffer, marks)?;
                    self.phase = Phase::Chunked(chunked);
                    return Ok(ended.then(|| self.answer()));
                }
            }
        }
    }

    fn answer(&mut self) -> Answer {
        let answer = Answer {
            status: self.status,
            body: self.marks.head..self.marks.body_end,
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
