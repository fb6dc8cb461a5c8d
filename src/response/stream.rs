//! Streamed bodies: a route answers with a stream of chunks, or with a writer it fills while
//! it works ([`Response::stream`], [`Response::streaming`]).
//!
//! The writer is a one-chunk channel whose producer is the route's own future: the stream
//! polls that future in place (so nothing is spawned and no runtime is needed), and a
//! [`BodyWriter::send`] waits until its chunk was taken, so a slow client slows the producer
//! instead of filling memory.

use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use futures_core::Stream;

use super::{Body, Response};
use crate::error::Panicked;

/// The error a stream of chunks may end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A streamed body as the library drives it: chunks of bytes, or the error that ends it.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// The body of a streamed response (see [`Response::stream`]): an opaque stream of chunks.
pub struct BodyStream(Mutex<ChunkStream>);

impl BodyStream {
    /// The chunks, for a transport to drive.
    pub(crate) fn into_chunks(self) -> ChunkStream {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyStream")
    }
}

impl Response<Body> {
    /// A response whose body is sent as `chunks` produces it: under a Lambda function set up
    /// for streaming (a Function URL with invoke mode `RESPONSE_STREAM`, a REST API
    /// integration with response transfer mode `STREAM`) and on the dev server, each chunk
    /// goes to the client as it comes. Elsewhere the chunks are collected and answered as one
    /// body, within the source's payload limit. See the [streaming guide](crate::guide::streaming).
    ///
    /// An error from the stream ends the body: before anything was sent (buffered mode), the
    /// answer is a logged 500; once streaming, the error is logged and reported to the
    /// transport, and the client sees a body cut short.
    ///
    /// ```
    /// use lambda_router::Response;
    ///
    /// let lines = ["one\n", "two\n"].map(Ok::<_, std::io::Error>);
    /// let response = Response::stream(200, StreamOf(lines.into_iter())).content_type("text/plain");
    /// # struct StreamOf<I>(I);
    /// # impl<I: Iterator + Unpin> futures_core::Stream for StreamOf<I> {
    /// #     type Item = I::Item;
    /// #     fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>)
    /// #         -> std::task::Poll<Option<I::Item>> { std::task::Poll::Ready(self.0.next()) }
    /// # }
    /// assert_eq!(response.status(), 200);
    /// ```
    #[must_use]
    pub fn stream<S, B, E>(status: u16, chunks: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self::of_chunks(status, Box::pin(IntoChunks(Box::pin(chunks))))
    }

    /// A response whose body `produce` writes while it works: it gets a [`BodyWriter`] and
    /// each [`send`](BodyWriter::send) goes to the client as [`stream`](Self::stream)'s
    /// chunks do. The body ends when the future `produce` returned has finished and the writer
    /// is dropped; an `Err` it returns ends the body as a stream's error does, and so does a
    /// writer dropped by a panic (a task or thread it was moved to that panicked).
    ///
    /// ```
    /// use lambda_router::{BoxError, Response};
    ///
    /// let response = Response::streaming(200, |mut body| async move {
    ///     for n in 1..=3 {
    ///         body.send(format!("line {n}\n")).await?;
    ///     }
    ///     Ok::<_, BoxError>(())
    /// })
    /// .content_type("text/plain");
    /// assert_eq!(response.status(), 200);
    /// ```
    #[must_use]
    pub fn streaming<F, Fut, E>(status: u16, produce: F) -> Self
    where
        F: FnOnce(BodyWriter) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let channel = Arc::new(Mutex::new(Channel::default()));
        let writer = BodyWriter {
            channel: Arc::clone(&channel),
        };
        let producer = produce(writer);
        Self::of_chunks(
            status,
            Box::pin(WriterStream {
                producer: Some(Box::pin(async move { producer.await.map_err(Into::into) })),
                channel,
            }),
        )
    }

    fn of_chunks(status: u16, chunks: ChunkStream) -> Self {
        Self::with_body(status, Body::Stream(BodyStream(Mutex::new(chunks))))
    }
}

/// Maps a user's stream to the library's chunk type (boxed so that no pin projection is
/// needed: the crate has no `unsafe`).
struct IntoChunks<S>(Pin<Box<S>>);

impl<S, B, E> Stream for IntoChunks<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(Into::into).map_err(Into::into)))
    }
}

/// What the writer and the stream share: at most one chunk in flight.
#[derive(Default)]
struct Channel {
    chunk: Option<Bytes>,
    /// The stream, waiting for a chunk (when the writer was moved to another task).
    reader: Option<Waker>,
    /// The writer, waiting for its chunk to be taken.
    writer: Option<Waker>,
    /// The stream was dropped: nobody will take another chunk.
    reader_gone: bool,
    /// The writer was dropped: no more chunks will come.
    writer_gone: bool,
    /// The writer was dropped by a panic (its task or thread unwinding): the body is cut
    /// short, and must end with an error rather than look complete.
    writer_panicked: bool,
}

fn lock(channel: &Mutex<Channel>) -> std::sync::MutexGuard<'_, Channel> {
    channel.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes the body of a [`Response::streaming`] response, one chunk at a time.
pub struct BodyWriter {
    channel: Arc<Mutex<Channel>>,
}

impl std::fmt::Debug for BodyWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BodyWriter")
    }
}

/// The client is gone (or the transport stopped reading): nothing more will be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyClosed;

impl std::fmt::Display for BodyClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the streamed body was closed: nothing more is sent")
    }
}

impl std::error::Error for BodyClosed {}

impl BodyWriter {
    /// Sends one chunk, and waits until the transport took it (an empty chunk is skipped).
    ///
    /// # Errors
    /// [`BodyClosed`] when the body is no longer read (the response was dropped).
    pub async fn send(&mut self, chunk: impl Into<Bytes>) -> Result<(), BodyClosed> {
        let mut chunk = Some(chunk.into()).filter(|chunk| !chunk.is_empty());
        if chunk.is_none() {
            return Ok(());
        }
        poll_fn(|cx| {
            let mut channel = lock(&self.channel);
            if channel.reader_gone {
                return Poll::Ready(Err(BodyClosed));
            }
            if chunk.is_some() {
                if channel.chunk.is_some() {
                    // Only after a cancelled `send`: wait for that chunk to go first.
                    channel.writer = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                channel.chunk = chunk.take();
                if let Some(reader) = channel.reader.take() {
                    reader.wake();
                }
                channel.writer = Some(cx.waker().clone());
                return Poll::Pending;
            }
            if channel.chunk.is_some() {
                channel.writer = Some(cx.waker().clone());
                return Poll::Pending;
            }
            Poll::Ready(Ok(()))
        })
        .await
    }
}

impl Drop for BodyWriter {
    fn drop(&mut self) {
        let mut channel = lock(&self.channel);
        channel.writer_gone = true;
        // A writer moved into a task (`tokio::spawn`) or a thread that panics is dropped
        // while that task unwinds: the only sign, there, that its body is incomplete.
        channel.writer_panicked = std::thread::panicking();
        if let Some(reader) = channel.reader.take() {
            reader.wake();
        }
    }
}

type Producer = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;

/// The stream of a [`Response::streaming`] response: polls the producer in place and hands
/// out the chunks its writer sends.
struct WriterStream {
    producer: Option<Producer>,
    channel: Arc<Mutex<Channel>>,
}

impl Stream for WriterStream {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(chunk) = take_chunk(&self.channel) {
            return Poll::Ready(Some(Ok(chunk)));
        }
        if let Some(producer) = self.producer.as_mut() {
            if let Poll::Ready(finished) = producer.as_mut().poll(cx) {
                self.producer = None;
                if let Err(error) = finished {
                    // The body ends with the error, even if the writer lives on elsewhere.
                    lock(&self.channel).writer_gone = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
        if let Some(chunk) = take_chunk(&self.channel) {
            return Poll::Ready(Some(Ok(chunk)));
        }
        let mut channel = lock(&self.channel);
        if channel.writer_panicked {
            // Once: the stream ends after its error.
            channel.writer_panicked = false;
            drop(channel);
            self.producer = None;
            return Poll::Ready(Some(Err(Box::new(WriterPanicked))));
        }
        if self.producer.is_none() && channel.writer_gone {
            return Poll::Ready(None);
        }
        channel.reader = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// The error that ends a [`Response::streaming`] body whose writer was dropped by a panic.
#[derive(Debug)]
struct WriterPanicked;

impl std::fmt::Display for WriterPanicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the body writer was dropped by a panic; the body is incomplete")
    }
}

impl std::error::Error for WriterPanicked {}

/// The chunk waiting in `channel`, if any, waking the writer that sent it.
fn take_chunk(channel: &Mutex<Channel>) -> Option<Bytes> {
    let mut channel = lock(channel);
    let chunk = channel.chunk.take()?;
    if let Some(writer) = channel.writer.take() {
        writer.wake();
    }
    Some(chunk)
}

impl Drop for WriterStream {
    fn drop(&mut self) {
        let mut channel = lock(&self.channel);
        channel.reader_gone = true;
        if let Some(writer) = channel.writer.take() {
            writer.wake();
        }
    }
}

/// The next chunk of `chunks` (`None` at its end).
pub(crate) async fn next_chunk(chunks: &mut ChunkStream) -> Option<Result<Bytes, BoxError>> {
    poll_fn(|cx| chunks.as_mut().poll_next(cx)).await
}

/// `chunks` as the library hands them on: a panic while producing a chunk becomes the
/// error that ends the body (no panic escapes to the transport, as none escapes
/// `App::handle`), and after an error nothing more is polled. In streaming mode (`route`
/// given) the error is logged naming the route: the status is sent already, so the log is
/// where a failure shows.
pub(crate) fn guarded(chunks: ChunkStream, route: Option<&str>) -> ChunkStream {
    Box::pin(Guarded {
        chunks: Some(chunks),
        route: route.map(Into::into),
    })
}

struct Guarded {
    /// `None` once the body ended with an error.
    chunks: Option<ChunkStream>,
    route: Option<Box<str>>,
}

impl Stream for Guarded {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(chunks) = self.chunks.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = catch_unwind(AssertUnwindSafe(|| chunks.as_mut().poll_next(cx)))
            .unwrap_or_else(|payload| {
                let Panicked(message) = Panicked::from_payload(&*payload);
                Poll::Ready(Some(Err(
                    format!("the streamed body panicked: {message}").into()
                )))
            });
        if let Poll::Ready(Some(Err(error))) = &polled {
            if let Some(route) = &self.route {
                tracing::error!(
                    route = %route,
                    error = %error,
                    "lambda-router: the streamed body failed; the response ends early"
                );
            }
            self.chunks = None;
        }
        polled
    }
}
