//! Reading a body's JSON text into a type: with `serde_json`, through [`Skipping`], from
//! the text as a `str` or as bytes, whichever serde_json reads faster for this body.
//!
//! serde_json's `str` reader skips the UTF-8 check of each string it hands out (the text is
//! UTF-8 already), which is much of a string-heavy body's cost; its byte reader parses
//! numbers faster. The first bytes of the body say which kind it is: a quote at least every
//! 32 bytes reads as a `str`. Either way the value, the errors and the heap are serde_json's
//! own.

use serde::Deserialize;
use serde_json::de::Read;

use super::{Skipping, Unescaped};

/// How much of the body is looked at to choose the reader.
const SAMPLE: usize = 512;

/// Reads `T` from the JSON `text`, which must be all of it (only whitespace after).
pub(crate) fn read_json<'a, T: Deserialize<'a>>(
    text: &'a str,
    unescaped: &'a Unescaped,
) -> Result<T, serde_json::Error> {
    if string_dense(text) {
        read_whole(serde_json::Deserializer::from_str(text), unescaped)
    } else {
        read_whole(
            serde_json::Deserializer::from_slice(text.as_bytes()),
            unescaped,
        )
    }
}

fn read_whole<'a, R: Read<'a>, T: Deserialize<'a>>(
    mut reader: serde_json::Deserializer<R>,
    unescaped: &'a Unescaped,
) -> Result<T, serde_json::Error> {
    let value = T::deserialize(Skipping(&mut reader, unescaped))?;
    reader.end()?;
    Ok(value)
}

/// Whether strings take a large part of `text`, judged on its first bytes (memchr counts
/// them a vector at a time).
fn string_dense(text: &str) -> bool {
    let sample = text.as_bytes().get(..SAMPLE).unwrap_or(text.as_bytes());
    memchr::memchr_iter(b'"', sample).count() * 32 >= sample.len()
}
