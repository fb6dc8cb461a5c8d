//! The Runtime API transport's answer reader on any bytes, read in any split (the sizes of
//! the reads come from the input) and with the connection closed at any byte: it never
//! panics, its buffer never grows past its bound, every body is no longer than what was
//! received, and what it reads (answers one after another, or the error that stops it) is
//! the same whatever the split: the same bytes read in one piece give the same outcomes.
#![no_main]

use lambda_router::bench_support::{AnswerReader, ReadAnswer};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    /// The bytes the server sends.
    raw: Vec<u8>,
    /// The size of each read, in turn (0 read as 1).
    reads: Vec<u8>,
    /// Where the connection closes (`None`: after the last byte).
    close_at: Option<u16>,
}

/// What the reader made of `raw` in reads of `sizes`, then a close.
fn outcomes(raw: &[u8], sizes: &[u8]) -> Vec<Result<ReadAnswer, String>> {
    let mut reader = AnswerReader::default();
    let mut out = Vec::new();
    let mut at = 0;
    let mut turn = 0;
    if let Some(stop) = step(reader.begin(), &mut out) {
        return stop;
    }
    loop {
        let size = sizes
            .get(turn % sizes.len().max(1))
            .map_or(raw.len(), |&size| usize::from(size.max(1)));
        turn += 1;
        let end = (at + size).min(raw.len());
        if at == end {
            if let Some(stop) = step(reader.close(), &mut out) {
                return stop;
            }
            return out;
        }
        let (taken, result) = reader.read(&raw[at..end]);
        assert!(taken <= end - at, "took more than it was given");
        at += taken;
        assert!(reader.capacity() <= AnswerReader::BUFFER_LIMIT, "grew past its bound");
        let answered = matches!(result, Ok(Some(_)));
        if let Some(stop) = step(result, &mut out) {
            return stop;
        }
        if answered {
            // Answers one after another: what came after this one begins the next.
            loop {
                let kept = reader.begin();
                let again = matches!(kept, Ok(Some(_)));
                if let Some(stop) = step(kept, &mut out) {
                    return stop;
                }
                if !again {
                    break;
                }
            }
        }
        if taken == 0 && !answered {
            out.push(Err("no progress".to_owned()));
            return out;
        }
    }
}

/// Records `result`; `Some(outcomes)` when it ends the reading (an error).
fn step(
    result: Result<Option<ReadAnswer>, String>,
    out: &mut Vec<Result<ReadAnswer, String>>,
) -> Option<Vec<Result<ReadAnswer, String>>> {
    match result {
        Ok(Some(answer)) => {
            out.push(Ok(answer));
            None
        }
        Ok(None) => None,
        Err(error) => {
            out.push(Err(error));
            Some(std::mem::take(out))
        }
    }
}

fuzz_target!(|input: Input| {
    let end = input
        .close_at
        .map_or(input.raw.len(), |at| usize::from(at).min(input.raw.len()));
    let raw = &input.raw[..end];
    let split = outcomes(raw, &input.reads);
    let whole = outcomes(raw, &[]);
    let received: usize = raw.len();
    for answer in split.iter().flatten() {
        assert!(answer.body.len() <= received, "a body longer than what came");
    }
    assert_eq!(split, whole, "the split changed what was read");
});
