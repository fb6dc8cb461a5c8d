//! The Runtime API transport's answer reader (through `bench_support::AnswerReader`, as the
//! fuzz target `answer_reader` drives it): every framing (`Content-Length`, chunked with
//! extensions and trailers, none, until the connection closes) read alike whatever the
//! size of the reads, a connection closed before the end an error at every byte, bad
//! framing refused, header names matched in any case, and what follows an answer kept to
//! begin the next.
#![allow(clippy::unwrap_used, clippy::panic)]
#![cfg(feature = "runtime")]

use lambda_router::bench_support::{AnswerReader, ReadAnswer};

/// The Runtime API's body limit, as the reader enforces it (16 MiB).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Feeds `raw` in reads of `step` bytes, then closes when `close`; the outcome.
fn read(raw: &[u8], step: usize, close: bool) -> Result<Option<(u16, Vec<u8>, bool)>, String> {
    let outcome = |answer: ReadAnswer| (answer.status, answer.body, answer.close);
    let mut reader = AnswerReader::default();
    if let Some(answer) = reader.begin()? {
        return Ok(Some(outcome(answer)));
    }
    for piece in raw.chunks(step) {
        let mut at = 0;
        while at < piece.len() {
            let (taken, answer) = reader.read(&piece[at..]);
            at += taken;
            if let Some(answer) = answer? {
                return Ok(Some(outcome(answer)));
            }
            assert!(taken > 0, "no progress");
        }
    }
    if close {
        return reader.close().map(|answer| answer.map(outcome));
    }
    Ok(None)
}

#[test]
fn every_framing_reads_alike_whatever_the_reads() {
    let cases: &[(&[u8], u16, &[u8], bool)] = &[
        (
            b"HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n",
            202,
            b"{\"status\":\"OK\"}\n",
            false,
        ),
        (
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3\r\n{\"a\r\n4;ext=1\r\n\":1}\r\n0\r\nX-Trailer: y\r\n\r\n",
            200,
            b"{\"a\":1}",
            false,
        ),
        (b"HTTP/1.1 204 No Content\r\n\r\n", 204, b"", false),
        (
            b"HTTP/1.1 413 Too Large\r\nConnection: close\r\ncontent-length: 2\r\n\r\n{}",
            413,
            b"{}",
            true,
        ),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, b"x", true),
    ];
    for (raw, status, body, close) in cases {
        for step in 1..=raw.len() {
            assert_eq!(
                read(raw, step, false).unwrap(),
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
        let expected = if end > 0 {
            "the connection closed in the middle of the answer"
        } else {
            "the connection closed before any answer"
        };
        assert_eq!(
            read(&raw[..end], 7, true),
            Err(expected.to_owned()),
            "{end}"
        );
    }
}

#[test]
fn bad_framing_is_refused() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "malformed answer: content-length",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "malformed answer: two content-lengths",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "malformed answer: content-length",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "malformed answer: a transfer coding other than chunked",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "malformed answer: chunk size",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
            "malformed answer: chunk size",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
            "malformed answer: chunk data not followed by CRLF",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\n",
            "malformed answer: a line not ended by CRLF",
        ),
        (
            b"HTTP/1.1 100 Continue\r\n\r\n",
            "malformed answer: an interim (1xx) answer",
        ),
        (b"NOT HTTP\r\n\r\n", "malformed answer: head"),
    ];
    for (raw, error) in cases {
        assert_eq!(
            read(raw, raw.len(), false),
            Err((*error).to_owned()),
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
        Err("answer too large: body".to_owned())
    );
}

#[test]
fn what_the_reader_holds_is_bounded() {
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        // A head that never ends.
        (
            [b"HTTP/1.1 200 OK\r\nX: ".as_slice(), &[b'a'; 70 * 1024]].concat(),
            "answer too large: head",
        ),
        // A chunk-size line that never ends.
        (
            [chunked.as_slice(), &[b'1'; 5 * 1024]].concat(),
            "answer too large: chunk-size line",
        ),
        // A trailer line that never ends.
        (
            [chunked.as_slice(), b"0\r\nX: ", &[b'a'; 17 * 1024]].concat(),
            "answer too large: trailers",
        ),
        // Chunks adding up to more than the body limit.
        (
            [
                chunked.as_slice(),
                format!("{:x}\r\n", BODY_LIMIT + 1).as_bytes(),
            ]
            .concat(),
            "answer too large: body",
        ),
    ];
    for (raw, error) in &cases {
        assert_eq!(read(raw, 4096, false), Err((*error).to_owned()), "{error}");
    }
}

#[test]
fn headers_are_found_in_any_case_and_what_follows_an_answer_begins_the_next() {
    let mut reader = AnswerReader::default();
    let raw = b"HTTP/1.1 200 OK\r\nLAMBDA-runtime-AWS-request-ID: id-1\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(reader.begin(), Ok(None));
    let (taken, first) = reader.read(raw);
    assert_eq!(taken, raw.len());
    let first = first.unwrap().unwrap();
    assert_eq!(first.request_id.as_deref(), Some(&b"id-1"[..]));
    assert_eq!(first.body, b"{}");
    let second = reader.begin().unwrap().unwrap();
    assert_eq!(second.status, 202);
    assert_eq!(second.request_id, None);
}
