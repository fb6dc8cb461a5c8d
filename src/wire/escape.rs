//! JSON string writing: the one place that knows how text is escaped on the wire.
//!
//! Every string of a proxy response (header names and values, cookie text, a text body) goes
//! through here. Most need no escape at all, so the writer first scans for the first byte
//! that needs one (16 bytes at a time, which the compiler turns into vector compares, then
//! SWAR words) and copies the clean prefix whole. A JSON body inside the envelope's JSON
//! string has a `"` every few bytes, so from there on it works straight into room made in
//! the output: it stores each eight-byte word whole, finds its first byte that needs an
//! escape with a SWAR test, keeps only the clean bytes before it and stores that byte's
//! escape (a word from a table) right after them, where the next store overwrites what lies
//! past its length; a clean word goes on 16 bytes at a time while they stay clean. No call
//! and no length update per piece.

use std::{fmt, io};

/// The escape of every byte, as the word stored for it: its bytes (`\"`, `\n`, `\u001f`,
/// ...) from the first, padded with zeros, and its length in the last byte. Only `"`, `\`
/// and the control characters below 0x20 are escaped (RFC 8259 §7); every other byte,
/// including those of 0x80 and above that belong to UTF-8 sequences, stays raw (length 0
/// here, never looked up).
static ESCAPES: [[u8; 8]; 256] = build_escape_table();

const ESCAPE_LEN: usize = 7;

const fn build_escape_table() -> [[u8; 8]; 256] {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    const fn short(letter: u8) -> [u8; 8] {
        [b'\\', letter, 0, 0, 0, 0, 0, 2]
    }
    let mut table = [[0; 8]; 256];
    let mut byte = 0;
    while byte < 0x20 {
        let (high, low) = (HEX_DIGITS[byte >> 4], HEX_DIGITS[byte & 0x0F]);
        table[byte] = [b'\\', b'u', b'0', b'0', high, low, 0, 6];
        byte += 1;
    }
    table[0x08] = short(b'b');
    table[0x09] = short(b't');
    table[0x0A] = short(b'n');
    table[0x0C] = short(b'f');
    table[0x0D] = short(b'r');
    table[b'"' as usize] = short(b'"');
    table[b'\\' as usize] = short(b'\\');
    table
}

/// The bytes of the wide chunks that [`escape_into`] tests and copies whole in a clean run.
const WIDE: usize = 16;

/// The room one step may write beyond the output written so far: a word of up to seven
/// clean bytes, then an escape's eight-byte word after them.
const STEP_ROOM: usize = 7 + 8;

/// Input bytes escaped per block of room made in a `Vec`: the room is twice the block (a
/// `"` or `\` doubles) plus [`STEP_ROOM`], zero-filled first, so blocks bound what a large
/// body zero-fills ahead of its escape.
const VEC_BLOCK: usize = 4096;

/// Input bytes escaped per block of the stack buffer of [`write_json_string_contents_to`].
const BUFFER_BLOCK: usize = 256;

/// Appends `text` to `out` as a JSON string, quotes included.
///
/// `text` must be UTF-8 (bytes of 0x80 and above are copied unchanged), as every `&str` and
/// every text body of a response is.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    write_json_string_contents(out, text);
    out.push(b'"');
}

/// Appends `text` to `out` escaped for the inside of a JSON string, without the quotes, so
/// that one JSON string can be written in pieces (`"a, b"` from two header values).
pub(crate) fn write_json_string_contents(out: &mut Vec<u8>, text: &[u8]) {
    // Most strings (header names and values, prose) need no escape at all, and a long one
    // often starts with a clean run: that much is found by a scan alone and copied whole.
    let (clean, rest) = text.split_at(clean_prefix_len(text));
    out.extend_from_slice(clean);
    if !rest.is_empty() {
        write_escaped_rest(out, rest);
    }
}

/// Appends `text`, which starts with a byte to escape, escaped block by block into room made
/// at the end of `out`. Kept out of line: the callers of the clean case stay small.
#[inline(never)]
fn write_escaped_rest(out: &mut Vec<u8>, text: &[u8]) {
    let mut rest = text;
    while !rest.is_empty() {
        let block = rest.get(..VEC_BLOCK).unwrap_or(rest);
        let start = out.len();
        out.resize(start + 2 * block.len() + STEP_ROOM, 0);
        let (read, written) = escape_into(block, out.get_mut(start..).unwrap_or_default());
        out.truncate(start + written);
        rest = rest.get(read..).unwrap_or_default();
    }
}

/// [`write_json_string_contents`] into any writer (a serde_json formatter's), through a
/// buffer on the stack.
pub(crate) fn write_json_string_contents_to<W: ?Sized + io::Write>(
    writer: &mut W,
    text: &[u8],
) -> io::Result<()> {
    let mut buffer = [0; 2 * BUFFER_BLOCK + STEP_ROOM];
    let mut rest = text;
    while !rest.is_empty() {
        let block = rest.get(..BUFFER_BLOCK).unwrap_or(rest);
        let (read, written) = escape_into(block, &mut buffer);
        writer.write_all(buffer.get(..written).unwrap_or_default())?;
        rest = rest.get(read..).unwrap_or_default();
    }
    Ok(())
}

/// How many bytes `text` starts with that need no escape.
fn clean_prefix_len(text: &[u8]) -> usize {
    let mut index = 0;
    while let Some(chunk) = text.get(index..index + WIDE) {
        if any_needs_escape(chunk) {
            break;
        }
        index += WIDE;
    }
    while index < text.len() {
        let flagged = needs_escape(word_at(text, index));
        if flagged != 0 {
            // Exact: false positives only appear above the lowest flagged byte.
            return index + (flagged.trailing_zeros() / 8) as usize;
        }
        index += 8;
    }
    text.len()
}

/// Escapes the start of `text` into the start of `dst`: how many bytes of `text` it took
/// and how many bytes of `dst` it wrote. It stops where `dst` has less than [`STEP_ROOM`]
/// left, so it takes all of `text` when `dst` holds twice `text` and `STEP_ROOM` more,
/// unless `\u00XX` escapes (six bytes for one) use the room up first; it always takes at
/// least one byte of a non-empty `text` when `dst` holds `STEP_ROOM`.
fn escape_into(text: &[u8], dst: &mut [u8]) -> (usize, usize) {
    let mut read = 0;
    let mut written = 0;
    while read < text.len() {
        let Some(room) = dst.get_mut(written..written + STEP_ROOM) else {
            break;
        };
        let word = word_at(text, read);
        room[..8].copy_from_slice(&word.to_le_bytes());
        let flagged = needs_escape(word);
        if flagged == 0 {
            let clean = (text.len() - read).min(8);
            read += clean;
            written += clean;
            // A clean word often starts a long clean run (prose, a long string value):
            // copied a wide chunk at a time while no byte of it needs an escape.
            while let (Some(chunk), Some(chunk_room)) = (
                text.get(read..read + WIDE),
                dst.get_mut(written..written + WIDE),
            ) {
                if any_needs_escape(chunk) {
                    break;
                }
                chunk_room.copy_from_slice(chunk);
                read += WIDE;
                written += WIDE;
            }
            continue;
        }
        // The lowest flagged byte is exact (false positives only appear above it), and it
        // is inside `text`: the padding is never flagged. (`& 7` keeps what a non-zero
        // `flagged` gives anyway, and lets the compiler see the escape's room in bounds.)
        let clean = (flagged.trailing_zeros() / 8) as usize & 7;
        let escape = &ESCAPES[usize::from(word.to_le_bytes()[clean])];
        // The escape goes right after the clean bytes, over the rest of the stored word.
        room[clean..clean + 8].copy_from_slice(escape);
        read += clean + 1;
        written += clean + usize::from(escape[ESCAPE_LEN]);
    }
    (read, written)
}

/// Whether a byte of `chunk` (of [`WIDE`] bytes) needs an escape, written byte by byte so
/// that the compiler tests the whole chunk with vector compares.
#[inline(always)]
fn any_needs_escape(chunk: &[u8]) -> bool {
    let Ok(chunk) = <&[u8; WIDE]>::try_from(chunk) else {
        return true;
    };
    chunk.iter().fold(0, |any, &byte| {
        any | u8::from(byte < 0x20) | u8::from(byte == b'"') | u8::from(byte == b'\\')
    }) != 0
}

/// The eight bytes of `text` from `index` as a little-endian word; past the end of `text`
/// the word is filled with `PAD`, which needs no escape.
fn word_at(text: &[u8], index: usize) -> u64 {
    const PAD: u8 = b' ';
    let mut bytes = [PAD; 8];
    match text.get(index..index + 8) {
        Some(word) => bytes.copy_from_slice(word),
        None => {
            let tail = text.get(index..).unwrap_or_default();
            for (slot, &byte) in bytes.iter_mut().zip(tail) {
                *slot = byte;
            }
        }
    }
    u64::from_le_bytes(bytes)
}

/// Flags (high bit of each byte) the bytes of `word` that need escaping: `"`, `\\`, < 0x20.
fn needs_escape(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    zero_byte(word ^ (ONES * u64::from(b'"')))
        | zero_byte(word ^ (ONES * u64::from(b'\\')))
        | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS)
}

/// The escape of one byte that needs one: `\n`, `\"`, … or `\u00XX` (empty for a byte
/// that needs none).
pub(crate) struct Escape(&'static [u8; 8]);

impl Escape {
    pub(crate) fn of(byte: u8) -> Self {
        Self(&ESCAPES[usize::from(byte)])
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0[..usize::from(self.0[ESCAPE_LEN])]
    }
}

/// A `fmt::Write` that escapes what it is given into the inside of a JSON string in `out`.
///
/// This lets `Display`-like writers (cookie text, numbers, dates) go straight into the
/// response buffer without an intermediate `String`.
pub(crate) struct JsonStringWriter<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> JsonStringWriter<'o> {
    /// A writer appending to `out`; the caller writes the quotes around it.
    pub(crate) fn new(out: &'o mut Vec<u8>) -> Self {
        Self { out }
    }
}

impl fmt::Write for JsonStringWriter<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        write_json_string_contents(self.out, text.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
#[path = "tests_escape.rs"]
mod tests;
