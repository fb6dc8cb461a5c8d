//! Gzip for a streamed body: one gzip member (RFC 1952) whose DEFLATE stream is
//! sync-flushed after every chunk, so each chunk the client receives decompresses to
//! everything sent so far.
//!
//! Why not one gzip member per chunk (libdeflate, which compresses whole buffers only, could
//! write those): RFC 1952 allows a series of members, but many HTTP clients read only the
//! first (browsers' decoders, reqwest, OkHttp) or fail on the second (curl's
//! `--compressed`). A single member with sync flushes is what zlib-based servers send and
//! every gzip reader decodes. `miniz_oxide` provides the streaming DEFLATE; libdeflate's
//! CRC-32 fills the trailer.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use libdeflater::Crc;
use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::deflate::stream::deflate;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use super::gzip::GZIP_HEADER;
use crate::response::{BoxError, ChunkStream};

/// The DEFLATE level: 6, as the buffered path's libdeflate default (see `Gzip`).
const LEVEL: u8 = 6;

/// `chunks`, gzipped as they come.
pub(crate) fn gzip_chunks(chunks: ChunkStream) -> ChunkStream {
    let mut compressor = Box::<CompressorOxide>::default();
    compressor.set_format_and_level(DataFormat::Raw, LEVEL);
    Box::pin(GzipChunks {
        chunks,
        compressor,
        crc: Crc::new(),
        size: 0,
        header_sent: false,
        done: false,
    })
}

struct GzipChunks {
    chunks: ChunkStream,
    compressor: Box<CompressorOxide>,
    crc: Crc,
    /// The input length modulo 2^32 (the trailer's ISIZE).
    size: u32,
    header_sent: bool,
    done: bool,
}

impl Stream for GzipChunks {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        while !this.done {
            let next = match this.chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(next) => next,
            };
            let compressed = match next {
                Some(Ok(chunk)) if chunk.is_empty() => continue,
                Some(Ok(chunk)) => this.compress(&chunk, MZFlush::Sync),
                Some(Err(error)) => {
                    this.done = true;
                    Err(error)
                }
                None => {
                    this.done = true;
                    this.compress(&[], MZFlush::Finish)
                }
            };
            return Poll::Ready(Some(compressed));
        }
        Poll::Ready(None)
    }
}

impl GzipChunks {
    /// `input` compressed and flushed (`Sync`), or the end of the member (`Finish`: the last
    /// block and the trailer).
    fn compress(&mut self, input: &[u8], flush: MZFlush) -> Result<Bytes, BoxError> {
        let mut out = Vec::with_capacity(input.len() / 2 + 64);
        if !std::mem::replace(&mut self.header_sent, true) {
            out.extend_from_slice(&GZIP_HEADER);
        }
        deflate_into(&mut self.compressor, input, flush, &mut out)?;
        self.crc.update(input);
        // ISIZE is the length modulo 2^32 (RFC 1952 §2.3.1): the truncation is the point.
        #[allow(clippy::cast_possible_truncation)]
        let length = input.len() as u32;
        self.size = self.size.wrapping_add(length);
        if flush == MZFlush::Finish {
            out.extend_from_slice(&self.crc.sum().to_le_bytes());
            out.extend_from_slice(&self.size.to_le_bytes());
        }
        Ok(Bytes::from(out))
    }
}

/// Runs the compressor over `input` with `flush`, appending to `out` until it has written
/// everything the flush asks for.
fn deflate_into(
    compressor: &mut CompressorOxide,
    mut input: &[u8],
    flush: MZFlush,
    out: &mut Vec<u8>,
) -> Result<(), BoxError> {
    loop {
        let start = out.len();
        let room = input.len() / 2 + 1024;
        out.resize(start + room, 0);
        let result = deflate(compressor, input, &mut out[start..], flush);
        out.truncate(start + result.bytes_written);
        input = input.get(result.bytes_consumed..).unwrap_or_default();
        // Output room left over means the compressor had nothing more to write.
        let drained = input.is_empty() && result.bytes_written < room;
        match result.status {
            Ok(MZStatus::StreamEnd) => return Ok(()),
            Ok(_) if drained && flush != MZFlush::Finish => return Ok(()),
            Ok(_) => {}
            // No progress possible: nothing was left to flush.
            Err(MZError::Buf) if drained && flush != MZFlush::Finish => return Ok(()),
            Err(error) => return Err(format!("gzip compression failed: {error:?}").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::{Decompress, FlushDecompress};

    use super::*;

    /// Every chunk of a stream that is never pending.
    fn collect_blocking(mut chunks: ChunkStream) -> Vec<Bytes> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut all = Vec::new();
        while let Poll::Ready(Some(chunk)) = chunks.as_mut().poll_next(&mut cx) {
            all.push(chunk.unwrap());
        }
        all
    }

    fn chunks_of(parts: Vec<&'static str>) -> ChunkStream {
        Box::pin(Iter(
            parts
                .into_iter()
                .map(|p| Ok(Bytes::from_static(p.as_bytes()))),
        ))
    }

    struct Iter<I>(I);
    impl<I: Iterator<Item = Result<Bytes, BoxError>> + Unpin> Stream for Iter<I> {
        type Item = Result<Bytes, BoxError>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    #[test]
    fn one_member_that_gunzips_to_the_chunks() {
        let parts = vec!["{\"line\":1}\n", "", "{\"line\":2}\n", "{\"line\":3}\n"];
        let gzipped: Vec<Bytes> = collect_blocking(gzip_chunks(chunks_of(parts.clone())));
        let all: Vec<u8> = gzipped.concat();
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&all[..])
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain, parts.concat());
        // One member: the single-member decoder reads it all, and nothing follows it.
        let mut multi = String::new();
        flate2::read::MultiGzDecoder::new(&all[..])
            .read_to_string(&mut multi)
            .unwrap();
        assert_eq!(multi, plain);
    }

    #[test]
    fn each_chunk_decompresses_as_it_arrives() {
        let parts = vec!["first line\n", "second line\n"];
        let gzipped: Vec<Bytes> = collect_blocking(gzip_chunks(chunks_of(parts)));
        assert_eq!(gzipped.len(), 3, "two flushed chunks and the trailer");
        let mut inflate = Decompress::new(false);
        let mut seen = Vec::with_capacity(64);
        let first = &gzipped[0][GZIP_HEADER.len()..];
        inflate
            .decompress_vec(first, &mut seen, FlushDecompress::Sync)
            .unwrap();
        assert_eq!(seen, b"first line\n");
        inflate
            .decompress_vec(&gzipped[1], &mut seen, FlushDecompress::Sync)
            .unwrap();
        assert_eq!(seen, b"first line\nsecond line\n");
    }

    #[test]
    fn large_chunks_and_an_empty_stream() {
        let big: String = (0..50_000).map(|i| format!("{i},")).collect();
        let big: &'static str = Box::leak(big.into_boxed_str());
        let all: Vec<u8> = collect_blocking(gzip_chunks(chunks_of(vec![big, big]))).concat();
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&all[..])
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain.len(), big.len() * 2);
        let empty: Vec<u8> = collect_blocking(gzip_chunks(chunks_of(vec![]))).concat();
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&empty[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert!(plain.is_empty());
    }
}
