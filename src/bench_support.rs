//! Entry points into the private engine for the crate's own benchmarks (route lookup
//! against matchit, gzip against flate2, event parsing against the bare simd-json tape),
//! fuzz targets (the Runtime API answer reader) and allocation test (the invocation loop).
//!
//! Compiled only with the feature `__bench`, which is not public API: hidden, unstable,
//! exempt from semver.

use crate::event::{self, EventError, Source};
use crate::scratch::Scratch;
use crate::source::Accepts;

/// The router's shell, alone (route lookup against matchit).
pub use crate::router::{RouteId, RouteTable, RouteTableBuilder, TrailingSlash};

/// The response gzip (libdeflate), reused between calls.
#[cfg(feature = "gzip")]
#[allow(missing_debug_implementations)]
pub struct Gzip(crate::wire::Gzip);

#[cfg(feature = "gzip")]
impl Default for Gzip {
    fn default() -> Self {
        Self(crate::wire::Gzip::new())
    }
}

#[cfg(feature = "gzip")]
impl Gzip {
    /// Replaces `out` with the gzip form of `input`.
    pub fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.0.compress(input, out);
    }
}

/// Appends `text` to `out` escaped as the inside of a JSON string, as the envelope writer
/// escapes a text body (`perf/bench`'s per-byte instruction count of the escaper).
pub fn escape_json_string_contents(out: &mut Vec<u8>, text: &[u8]) {
    crate::wire::write_json_string_contents(out, text);
}

/// Parses `event` as `App::handle` does (copy, tape, views) and returns how many request
/// headers the view sees, so the work cannot be optimised away.
///
/// # Errors
/// A malformed event.
pub fn parse_event(
    scratch: &mut Scratch,
    source: Source,
    event: &[u8],
) -> Result<usize, EventError> {
    let tape = scratch.event.parse(event)?;
    let view = event::parse(Accepts::One(source), &tape, &scratch.arena)?;
    Ok(view.headers.iter().count())
}

/// The Lambda invocation loop, one invocation at a time (tests/alloc.rs counts it).
#[cfg(feature = "runtime")]
pub use crate::runtime::LoopInvocations;

/// The Runtime API transport's answer reader, fed by hand (the fuzz target `answer_reader`
/// splits reads and closes the connection anywhere).
#[cfg(feature = "runtime")]
#[derive(Debug, Default)]
pub struct AnswerReader(crate::runtime::transport::AnswerReader);

/// An answer [`AnswerReader`] read whole.
#[cfg(feature = "runtime")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadAnswer {
    /// Its status.
    pub status: u16,
    /// Its body, decoded.
    pub body: Vec<u8>,
    /// Whether the server closes the connection after it.
    pub close: bool,
    /// Its `Lambda-Runtime-Aws-Request-Id`.
    pub request_id: Option<Vec<u8>>,
}

#[cfg(feature = "runtime")]
impl AnswerReader {
    /// What the reader's buffer never grows beyond.
    pub const BUFFER_LIMIT: usize = crate::runtime::transport::BUFFER_LIMIT;

    /// Starts the next answer: the answer if the bytes kept from the last read hold it.
    ///
    /// # Errors
    /// Why the kept bytes cannot be read.
    pub fn begin(&mut self) -> Result<Option<ReadAnswer>, String> {
        self.0.begin();
        self.answer(crate::runtime::transport::AnswerReader::decode_kept)
    }

    /// Takes what fits of `bytes` as one read: how many it took, and the answer once whole
    /// (or why it cannot be read).
    pub fn read(&mut self, bytes: &[u8]) -> (usize, Result<Option<ReadAnswer>, String>) {
        let spare = match self.0.spare() {
            Ok(spare) => spare,
            Err(error) => return (0, Err(error.to_string())),
        };
        let taken = bytes.len().min(spare.len());
        spare[..taken].copy_from_slice(&bytes[..taken]);
        if taken == 0 {
            return (0, Ok(None));
        }
        (taken, self.answer(|reader| reader.received(taken)))
    }

    /// The connection closes.
    ///
    /// # Errors
    /// The answer had not ended.
    pub fn close(&mut self) -> Result<Option<ReadAnswer>, String> {
        self.answer(|reader| reader.received(0))
    }

    fn answer(
        &mut self,
        step: impl FnOnce(
            &mut crate::runtime::transport::AnswerReader,
        ) -> Result<
            Option<crate::runtime::transport::Answer>,
            crate::runtime::transport::ReadError,
        >,
    ) -> Result<Option<ReadAnswer>, String> {
        use crate::runtime::transport::Field;
        match step(&mut self.0) {
            Ok(Some(answer)) => Ok(Some(ReadAnswer {
                status: answer.status,
                body: self.0.body(&answer).to_vec(),
                close: answer.close,
                request_id: self.0.field(Field::RequestId).map(<[u8]>::to_vec),
            })),
            Ok(None) => Ok(None),
            Err(error) => Err(error.to_string()),
        }
    }

    /// The buffer's size now.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }
}
