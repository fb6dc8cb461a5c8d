//! A chunked body, decoded in place: each chunk's data is moved down to the end of the body
//! decoded so far, over the size lines and CRLFs before it, so the body is one contiguous
//! slice of the reader's buffer whatever its framing. Everything held is bounded: the body,
//! a chunk-size line, each trailer line.

use std::ops::Range;

use super::{BODY_LIMIT, Marks, ReadError};

/// The largest chunk-size line (size and extensions).
const LINE_LIMIT: usize = 4 * 1024;
/// The largest trailer line.
pub(super) const TRAILERS_LIMIT: usize = 16 * 1024;

/// Where the decoder is in a chunked body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chunked {
    /// A chunk-size line.
    Size,
    /// So many bytes of the current chunk still to come.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// The trailer section after the last chunk.
    Trailers,
}

impl Chunked {
    /// Decodes the raw bytes at `marks.scan..marks.filled` of `buffer` as far as they go,
    /// the data appended at `marks.body_end`: `true` once the trailers have ended.
    pub(super) fn decode(
        &mut self,
        buffer: &mut [u8],
        marks: &mut Marks,
    ) -> Result<bool, ReadError> {
        loop {
            match *self {
                Self::Size => {
                    let Some((line, next)) = line(buffer, marks, LINE_LIMIT, "chunk-size line")?
                    else {
                        return Ok(false);
                    };
                    let size = chunk_size(&buffer[line])?;
                    if size > BODY_LIMIT - (marks.body_end - marks.head) {
                        return Err(ReadError::TooLarge("body"));
                    }
                    marks.scan = next;
                    *self = if size == 0 {
                        Self::Trailers
                    } else {
                        Self::Data(size)
                    };
                }
                Self::Data(left) => {
                    let take = left.min(marks.filled - marks.scan);
                    if take == 0 {
                        return Ok(false);
                    }
                    buffer.copy_within(marks.scan..marks.scan + take, marks.body_end);
                    marks.scan += take;
                    marks.body_end += take;
                    *self = if take == left {
                        Self::DataEnd
                    } else {
                        Self::Data(left - take)
                    };
                }
                Self::DataEnd => {
                    if marks.filled - marks.scan < 2 {
                        return Ok(false);
                    }
                    if &buffer[marks.scan..marks.scan + 2] != b"\r\n" {
                        return Err(ReadError::Malformed("chunk data not followed by CRLF"));
                    }
                    marks.scan += 2;
                    *self = Self::Size;
                }
                Self::Trailers => {
                    // Trailer fields are read past, not kept: the Runtime API sends none.
                    let Some((line, next)) = line(buffer, marks, TRAILERS_LIMIT, "trailers")?
                    else {
                        return Ok(false);
                    };
                    marks.scan = next;
                    if line.is_empty() {
                        return Ok(true);
                    }
                }
            }
        }
    }
}

/// The next CRLF-ended line from `marks.scan`: its range (without CRLF) and where the next
/// starts. `None` until it has all come.
fn line(
    buffer: &[u8],
    marks: &Marks,
    limit: usize,
    what: &'static str,
) -> Result<Option<(Range<usize>, usize)>, ReadError> {
    let raw = &buffer[marks.scan..marks.filled];
    match memchr::memchr(b'\n', raw) {
        Some(at) if at > limit => Err(ReadError::TooLarge(what)),
        Some(at) => {
            if at == 0 || raw[at - 1] != b'\r' {
                return Err(ReadError::Malformed("a line not ended by CRLF"));
            }
            Ok(Some((marks.scan..marks.scan + at - 1, marks.scan + at + 1)))
        }
        None if raw.len() > limit => Err(ReadError::TooLarge(what)),
        None => Ok(None),
    }
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
