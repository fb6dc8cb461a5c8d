//! Streamed bodies as a transport drives them: the writer form, a body that fails, panics
//! or is dropped, and the fit with `lambda_runtime`'s streaming response.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/streamed.rs"]
mod streamed;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use lambda_router::testing;
use lambda_router::{App, BoxError, LambdaContext, Request, Response, Scratch, StreamedBody};
use streamed::{buffered, stream};

const LINES: [&str; 3] = ["alpha\n", "beta\n", "gamma\n"];

/// The chunks of a response's streamed body, or the error that ended them.
async fn body_of(response: Response) -> (Vec<String>, Option<String>) {
    let app_less = match response.body() {
        lambda_router::Body::Stream(_) => response,
        other => panic!("not a stream: {other:?}"),
    };
    // Through the app in streaming mode, as a transport sees it.
    let slot = std::sync::Mutex::new(Some(app_less));
    let app = App::function_url()
        .get("/", move |_: &Request<'_>| {
            slot.lock().unwrap().take().unwrap()
        })
        .build()
        .unwrap();
    let sent = stream(&app, testing::function_url().get("/")).await;
    let text = String::from_utf8(sent.body).unwrap();
    (
        text.split_inclusive('\n').map(str::to_owned).collect(),
        sent.error,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_may_be_moved_to_another_task() {
    let response = Response::streaming(200, |mut body| async move {
        tokio::spawn(async move {
            for line in LINES {
                tokio::time::sleep(Duration::from_millis(5)).await;
                body.send(line).await.unwrap();
            }
        });
        Ok::<_, BoxError>(())
    });
    let (chunks, error) = body_of(response).await;
    assert_eq!(chunks, LINES);
    assert!(error.is_none());
}

#[tokio::test]
async fn a_producer_error_ends_the_body() {
    let response = Response::streaming(200, |mut body| async move {
        body.send("first\n").await?;
        Err::<(), BoxError>("out of coffee".into())
    });
    let (chunks, error) = body_of(response).await;
    assert_eq!(chunks, ["first\n"]);
    assert_eq!(error.as_deref(), Some("out of coffee"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_body_tells_the_writer() {
    let told = std::sync::Arc::new(std::sync::Mutex::new(None));
    let tell = std::sync::Arc::clone(&told);
    let response = Response::streaming(200, |mut body| async move {
        tokio::spawn(async move {
            // Waits until the response (and its stream) is dropped below.
            tokio::time::sleep(Duration::from_millis(20)).await;
            *tell.lock().unwrap() = Some(body.send("too late").await);
        });
        Ok::<_, BoxError>(())
    });
    let slot = std::sync::Mutex::new(Some(response));
    let app = App::function_url()
        .get("/", move |_: &Request<'_>| {
            slot.lock().unwrap().take().unwrap()
        })
        .build()
        .unwrap();
    let mut scratch = Scratch::new();
    let event = testing::function_url().get("/").to_bytes();
    let answer = app
        .handle_streamed(&mut scratch, &event, &LambdaContext::default())
        .await
        .unwrap();
    let StreamedBody::Chunks(mut chunks) = answer.body else {
        panic!("not a stream");
    };
    // Polled once, so that the producer spawns its task; then the transport goes away.
    let mut cx = Context::from_waker(std::task::Waker::noop());
    assert!(chunks.as_mut().poll_next(&mut cx).is_pending());
    drop(chunks);
    let mut sent = None;
    for _ in 0..500 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        sent = told.lock().unwrap().take();
        if sent.is_some() {
            break;
        }
    }
    let closed = sent.expect("the writer's task ran").unwrap_err();
    assert_eq!(
        closed.to_string(),
        "the streamed body was closed: nothing more is sent"
    );
}

/// Panics while producing its second chunk.
struct Panicking(u8);

impl Stream for Panicking {
    type Item = Result<Bytes, BoxError>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0 += 1;
        assert!(self.0 < 2, "the stream broke");
        Poll::Ready(Some(Ok(Bytes::from_static(b"first\n"))))
    }
}

#[tokio::test]
async fn a_panicking_stream_ends_the_body_without_unwinding_into_the_transport() {
    let app = App::function_url()
        .get("/panics", |_: &Request<'_>| {
            Response::stream(200, Panicking(0))
        })
        .build()
        .unwrap();
    let sent = stream(&app, testing::function_url().get("/panics")).await;
    assert_eq!(sent.body, b"first\n");
    assert_eq!(
        sent.error.as_deref(),
        Some("the streamed body panicked: the stream broke")
    );
    let envelope = buffered(&app, testing::function_url().get("/panics")).await;
    assert_eq!(envelope["statusCode"], 500);
}

/// A route's chunks are what `lambda_runtime`'s streaming response takes as its stream.
#[cfg(feature = "lambda-runtime")]
#[test]
fn chunks_fit_lambda_runtimes_stream_response() {
    use lambda_router::ChunkStream;
    use lambda_runtime::{FunctionResponse, IntoFunctionResponse, MetadataPrelude, StreamResponse};
    use streamed::Iter;
    fn into_function_response(chunks: ChunkStream) -> FunctionResponse<(), ChunkStream> {
        StreamResponse {
            metadata_prelude: MetadataPrelude::default(),
            stream: chunks,
        }
        .into_response()
    }
    let chunks: ChunkStream = Box::pin(Iter(std::iter::empty()));
    assert!(matches!(
        into_function_response(chunks),
        FunctionResponse::StreamingResponse(_)
    ));
}
