//! A streamed body collected in buffered mode costs at most the limit on top of the chunks
//! its stream made: a chunk that would take the body past the limit is refused before it is
//! copied, whatever its size. A global allocator tracks the live bytes and their peak.
//! Its own test binary, because it installs a global allocator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use lambda_router::testing;
use lambda_router::{App, BoxError, LambdaContext, Request, Response, Scratch, Source};
use serde_json::Value;

#[path = "support/heap.rs"]
mod heap;

#[global_allocator]
static GLOBAL: heap::PeakBytes = heap::PeakBytes;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
const LIMIT: usize = 64 * KIB;
const HUGE: usize = 32 * MIB;

/// Makes its chunks when polled (so they are counted), from their sizes.
struct Made(std::vec::IntoIter<usize>);

impl Stream for Made {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.next().map(|size| Ok(Bytes::from(vec![b'a'; size]))))
    }
}

/// `/chunks/<first>/<second>`: two chunks of those sizes.
fn chunks(req: &Request<'_>) -> Response {
    let size = |name| req.param(name).unwrap().parse::<usize>().unwrap();
    Response::stream(200, Made(vec![size("first"), size("second")].into_iter()))
}

#[test]
fn a_chunk_past_the_limit_is_never_copied_on_any_source() {
    for source in Source::all() {
        for limit in [Some(LIMIT), None] {
            let mut builder = App::for_source(source).debug(false);
            if let Some(limit) = limit {
                builder = builder.response_limit(limit);
            }
            let app = builder
                .get("/chunks/<first>/<second>", chunks)
                .build()
                .unwrap();
            let limit = limit.unwrap_or(source.response_limit());
            for first in [0, 1, limit / 2, limit - 1, limit] {
                for second in [limit + 1 - first, limit + 2, HUGE] {
                    let event = testing::event_for(source)
                        .get(&format!("/chunks/{first}/{second}"))
                        .to_bytes();
                    let mut scratch = Scratch::new();
                    let (peak, status) = heap::peak_of(|| {
                        let raw = app
                            .handle_blocking(&mut scratch, &event, &LambdaContext::default())
                            .unwrap();
                        serde_json::from_slice::<Value>(raw).unwrap()["statusCode"].clone()
                    });
                    let what = format!("{source:?} limit {limit}: {first} + {second}");
                    assert_eq!(status, 500, "{what}");
                    // The chunks themselves, what was collected (at most the limit, grown
                    // by doubling) and the event and answer: never a second copy of the
                    // chunk that went over.
                    let bound = first + second + 2 * limit + 256 * KIB;
                    assert!(peak <= bound, "{what}: peak {peak} > {bound}");
                }
            }
        }
    }
}
