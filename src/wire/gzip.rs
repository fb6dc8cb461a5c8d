//! [`Gzip`]: response compression with one reusable libdeflate compressor.
//!
//! The compressor's working state (a few hundred KiB) is allocated once, when the app is
//! built, and the output buffer is the caller's, reused between invocations; so compressing
//! a response allocates nothing once warm.

use libdeflater::{CompressionLvl, Compressor, Crc};

/// A reusable gzip compressor (libdeflate).
///
/// It uses libdeflate's default level, 6, where Powertools uses zlib's 9: a Lambda is billed
/// by the millisecond, level 9 costs several times the CPU of level 6, and on JSON and text the
/// output is within a few percent of the same size. Clients only see a valid gzip stream
/// either way.
pub(crate) struct Gzip {
    compressor: Compressor,
}

impl Gzip {
    pub(crate) fn new() -> Self {
        Self {
            compressor: Compressor::new(CompressionLvl::default()),
        }
    }

    /// Replaces `out` with the gzip (RFC 1952) form of `input`, reusing `out`'s capacity.
    pub(crate) fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) {
        out.clear();
        // The bound is libdeflate's worst case for this input, so compression into a buffer
        // of that size cannot run out of room; the buffer only grows while the app warms up.
        let bound = self.compressor.gzip_compress_bound(input.len());
        out.resize(bound, 0);
        match self.compressor.gzip_compress(input, out) {
            Ok(written) => out.truncate(written),
            // Unreachable with the bound above; should it ever happen, the response must still
            // be a valid gzip stream, since `Content-Encoding: gzip` is already decided.
            Err(_) => write_stored_gzip(input, out),
        }
    }
}

impl std::fmt::Debug for Gzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gzip").finish_non_exhaustive()
    }
}

/// The gzip header Powertools' zlib writes, minus the level hint: no name, mtime 0, OS Unix.
pub(super) const GZIP_HEADER: [u8; 10] =
    [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03];

/// The largest DEFLATE stored block (RFC 1951 §3.2.4: LEN is 16 bits).
const MAX_STORED_BLOCK: usize = 0xFFFF;

/// Replaces `out` with a gzip stream holding `input` in uncompressed DEFLATE blocks.
fn write_stored_gzip(input: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&GZIP_HEADER);
    let mut blocks = input.chunks(MAX_STORED_BLOCK).peekable();
    if blocks.peek().is_none() {
        // An empty input still needs one final block.
        write_stored_block(out, &[], true);
    }
    while let Some(block) = blocks.next() {
        write_stored_block(out, block, blocks.peek().is_none());
    }
    let mut crc = Crc::new();
    crc.update(input);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE is the input length modulo 2^32 (RFC 1952 §2.3.1): the truncation is the point.
    #[allow(clippy::cast_possible_truncation)]
    let size_mod_2_32 = input.len() as u32;
    out.extend_from_slice(&size_mod_2_32.to_le_bytes());
}

/// One stored block: BFINAL + BTYPE=00 (byte-aligned), LEN, NLEN, then the bytes.
fn write_stored_block(out: &mut Vec<u8>, block: &[u8], last: bool) {
    let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
    out.push(u8::from(last));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(block);
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use libdeflater::Decompressor;

    use super::*;

    fn gunzip(gz: &[u8], original_len: usize) -> Vec<u8> {
        let mut plain = vec![0; original_len];
        let written = Decompressor::new().gzip_decompress(gz, &mut plain).unwrap();
        plain.truncate(written);
        plain
    }

    fn sample_json(items: usize) -> Vec<u8> {
        let mut json = String::from("{\"todos\":[");
        for id in 0..items {
            if id > 0 {
                json.push(',');
            }
            write!(
                json,
                "{{\"userId\":1,\"id\":{id},\"title\":\"todo {id}\",\"completed\":false}}"
            )
            .unwrap();
        }
        json.push_str("]}");
        json.into_bytes()
    }

    #[test]
    fn round_trips_and_shrinks_json() {
        let input = sample_json(200);
        let mut gzip = Gzip::new();
        let mut out = Vec::new();
        gzip.compress(&input, &mut out);
        assert_eq!(&out[..3], &[0x1f, 0x8b, 0x08]);
        assert!(
            out.len() < input.len() / 4,
            "{} -> {}",
            input.len(),
            out.len()
        );
        assert_eq!(gunzip(&out, input.len()), input);
    }

    #[test]
    fn empty_input_is_a_valid_stream() {
        let mut out = vec![1, 2, 3];
        Gzip::new().compress(b"", &mut out);
        assert_eq!(gunzip(&out, 0), b"");
    }

    #[test]
    fn replaces_previous_contents() {
        let mut gzip = Gzip::new();
        let mut out = b"stale bytes".to_vec();
        gzip.compress(b"hello hello hello", &mut out);
        assert_eq!(gunzip(&out, 17), b"hello hello hello");
    }

    #[test]
    fn reuses_the_output_capacity() {
        let mut gzip = Gzip::new();
        let mut out = Vec::new();
        let large = sample_json(300);
        gzip.compress(&large, &mut out);
        let capacity = out.capacity();
        let pointer = out.as_ptr();
        gzip.compress(&large, &mut out);
        gzip.compress(&sample_json(100), &mut out);
        assert_eq!(out.capacity(), capacity);
        assert_eq!(out.as_ptr(), pointer);
        assert_eq!(gunzip(&out, large.len()), sample_json(100));
    }

    #[test]
    fn stored_fallback_is_valid_gzip() {
        // Incompressible-looking bytes spanning several stored blocks.
        let input: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
            .collect();
        for sample in [&input[..], &input[..MAX_STORED_BLOCK], b"", b"abc"] {
            let mut out = Vec::new();
            write_stored_gzip(sample, &mut out);
            assert_eq!(gunzip(&out, sample.len()), sample);
        }
    }
}
