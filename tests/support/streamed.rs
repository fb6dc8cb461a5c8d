//! What a streaming transport sees of an app's answer, for the streaming tests: the prelude
//! and every chunk of `App::handle_streamed`, or `App::handle`'s envelope.
#![allow(dead_code)] // each test file uses its own part

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use lambda_router::testing::EventBuilder;
use lambda_router::{App, ChunkStream, LambdaContext, Scratch, StreamedBody};
use serde_json::Value;

/// A stream over already known items (never pending).
pub(crate) struct Iter<I>(pub(crate) I);

impl<I: Iterator + Unpin> Stream for Iter<I> {
    type Item = I::Item;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }
}

/// What a streaming transport would send: the prelude (parsed) and every body byte, or the
/// error that ended the body.
pub(crate) struct Sent {
    pub(crate) prelude: Value,
    pub(crate) body: Vec<u8>,
    pub(crate) chunks: usize,
    pub(crate) error: Option<String>,
}

async fn drive(chunks: &mut ChunkStream, sent: &mut Sent) {
    while let Some(chunk) = std::future::poll_fn(|cx| chunks.as_mut().poll_next(cx)).await {
        match chunk {
            Ok(chunk) => {
                sent.body.extend_from_slice(&chunk);
                sent.chunks += 1;
            }
            Err(error) => {
                sent.error = Some(error.to_string());
                return;
            }
        }
    }
}

/// `event` answered by `app` in streaming mode, its body driven to the end.
pub(crate) async fn stream(app: &App, event: EventBuilder) -> Sent {
    stream_within(app, event, &LambdaContext::default()).await
}

/// [`stream`] for an invocation of context `lambda` (its deadline).
pub(crate) async fn stream_within(app: &App, event: EventBuilder, lambda: &LambdaContext) -> Sent {
    let mut scratch = Scratch::new();
    let bytes = event.to_bytes();
    let answer = app
        .handle_streamed(&mut scratch, &bytes, lambda)
        .await
        .unwrap();
    let mut sent = Sent {
        prelude: serde_json::from_slice(answer.prelude).unwrap(),
        body: Vec::new(),
        chunks: 0,
        error: None,
    };
    match answer.body {
        StreamedBody::Full(bytes) => {
            sent.body = bytes.to_vec();
            sent.chunks = usize::from(!bytes.is_empty());
        }
        StreamedBody::Chunks(mut chunks) => drive(&mut chunks, &mut sent).await,
    }
    sent
}

/// `App::handle`'s envelope for `path`, parsed.
pub(crate) async fn buffered(app: &App, event: EventBuilder) -> Value {
    buffered_within(app, event, &LambdaContext::default()).await
}

/// [`buffered`] for an invocation of context `lambda` (its deadline).
pub(crate) async fn buffered_within(
    app: &App,
    event: EventBuilder,
    lambda: &LambdaContext,
) -> Value {
    let mut scratch = Scratch::new();
    let bytes = event.to_bytes();
    let out = app.handle(&mut scratch, &bytes, lambda).await.unwrap();
    serde_json::from_slice(out).unwrap()
}
