//! The streaming transport: an answer posted to the Runtime API in Lambda's streamed
//! response mode, as `lambda_runtime` posts its `StreamResponse` (`requests.rs`): headers
//! `Lambda-Runtime-Function-Response-Mode: streaming`, `Transfer-Encoding: chunked`, the
//! content type `application/vnd.awslambda.http-integration-response` and the two error
//! trailers declared; the body is the prelude (`{"statusCode":..,"headers":{..},
//! "cookies":[..]}`), eight NUL bytes, then the body's chunks as they are produced. A
//! chunk stream that fails midway ends the body with the trailers
//! `Lambda-Runtime-Function-Error-Type: Runtime.StreamError` and
//! `Lambda-Runtime-Function-Error-Body: <base64 of the message>` (sent as HTTP trailers;
//! `lambda_runtime` 1.5 declares them but writes their text into the body).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use http_body::Frame;
use lambda_runtime_api_client::BoxError;
use lambda_runtime_api_client::body::Body;

use crate::ChunkStream;

/// The request headers of a streamed response.
pub(super) const STREAMED_HEADERS: [(&str, &str); 5] = [
    ("Lambda-Runtime-Function-Response-Mode", "streaming"),
    ("Transfer-Encoding", "chunked"),
    (
        "Content-Type",
        "application/vnd.awslambda.http-integration-response",
    ),
    ("Trailer", ERROR_TYPE_TRAILER),
    ("Trailer", ERROR_BODY_TRAILER),
];

const ERROR_TYPE_TRAILER: &str = "Lambda-Runtime-Function-Error-Type";
const ERROR_BODY_TRAILER: &str = "Lambda-Runtime-Function-Error-Body";
const SEPARATOR: &[u8; 8] = &[0; 8];

/// What follows the prelude and its separator.
pub(super) enum AfterPrelude {
    /// All of it at once (a buffered route's body): written as one chunk.
    Complete(Bytes),
    /// Chunks, each written as it comes.
    Chunks(ChunkStream),
}

/// The HTTP body of a streamed response post: `prelude`, the separator, then `rest`.
pub(super) fn streamed_body(prelude: Bytes, rest: AfterPrelude) -> Body {
    Body::new(PreludeThenBody {
        prelude: Some(prelude),
        separator: true,
        rest: Some(rest),
    })
}

/// Prelude, separator, then the body's chunks (and the error trailers if they fail).
struct PreludeThenBody {
    prelude: Option<Bytes>,
    separator: bool,
    /// `None` once the body has ended.
    rest: Option<AfterPrelude>,
}

impl http_body::Body for PreludeThenBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if let Some(prelude) = this.prelude.take() {
            return Poll::Ready(Some(Ok(Frame::data(prelude))));
        }
        if std::mem::take(&mut this.separator) {
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(SEPARATOR)))));
        }
        loop {
            return match &mut this.rest {
                Some(AfterPrelude::Complete(_)) => match this.rest.take() {
                    Some(AfterPrelude::Complete(bytes)) if !bytes.is_empty() => {
                        Poll::Ready(Some(Ok(Frame::data(bytes))))
                    }
                    _ => Poll::Ready(None),
                },
                Some(AfterPrelude::Chunks(chunks)) => match chunks.as_mut().poll_next(cx) {
                    // An empty chunk would read as the end of a chunked body.
                    Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                    Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
                    // (The app has logged the failure.)
                    Poll::Ready(Some(Err(error))) => {
                        this.rest = None;
                        Poll::Ready(Some(Ok(Frame::trailers(error_trailers(&*error)))))
                    }
                    Poll::Ready(None) => {
                        this.rest = None;
                        Poll::Ready(None)
                    }
                    Poll::Pending => Poll::Pending,
                },
                None => Poll::Ready(None),
            };
        }
    }

    fn is_end_stream(&self) -> bool {
        self.prelude.is_none() && !self.separator && self.rest.is_none()
    }
}

/// The trailers that report a failed stream.
fn error_trailers(error: &(dyn std::error::Error + Send + Sync)) -> HeaderMap {
    let mut trailers = HeaderMap::with_capacity(2);
    trailers.insert(
        ERROR_TYPE_TRAILER,
        HeaderValue::from_static("Runtime.StreamError"),
    );
    let body = base64_simd::STANDARD.encode_to_string(error.to_string());
    if let Ok(value) = HeaderValue::try_from(body) {
        trailers.insert(ERROR_BODY_TRAILER, value);
    }
    trailers
}

#[cfg(test)]
mod tests {
    //! The transport through the official client's HTTP/1 connection to a raw socket that
    //! notes when each chunk arrives.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::time::{Duration, Instant};

    use http::{Method, Uri};
    use lambda_runtime_api_client::{PooledClient, build_request};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use futures_core::Stream;

    use super::*;
    use crate::{StreamedAnswer, StreamedBody};

    /// Yields its items one every `every`, starting after `every`.
    struct Paced {
        items: std::vec::IntoIter<Result<Bytes, BoxError>>,
        every: Duration,
        sleep: Pin<Box<tokio::time::Sleep>>,
    }

    impl Stream for Paced {
        type Item = Result<Bytes, BoxError>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            if self.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let next = tokio::time::Instant::now() + self.every;
            self.sleep.as_mut().reset(next);
            Poll::Ready(self.items.next())
        }
    }

    fn paced(items: Vec<Result<Bytes, BoxError>>, every: Duration) -> ChunkStream {
        Box::pin(Paced {
            items: items.into_iter(),
            every,
            sleep: Box::pin(tokio::time::sleep(every)),
        })
    }

    /// What the fake Runtime API received.
    struct Received {
        head: String,
        /// Each chunk and how long after the post started it arrived.
        chunks: Vec<(Vec<u8>, Duration)>,
        trailers: String,
    }

    /// The transport's body for `answer`.
    fn body_of(answer: StreamedAnswer<'_>) -> Body {
        let rest = match answer.body {
            StreamedBody::Complete(bytes) => AfterPrelude::Complete(Bytes::copy_from_slice(bytes)),
            StreamedBody::Chunks(chunks) => AfterPrelude::Chunks(chunks),
        };
        streamed_body(Bytes::copy_from_slice(answer.prelude), rest)
    }

    /// Posts `answer` as a streamed response and reads it off the socket.
    async fn post(answer: StreamedAnswer<'_>) -> Received {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint: Uri = format!("http://{}", listener.local_addr().unwrap())
            .parse()
            .unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let started = Instant::now();
            let mut buffer = Vec::new();
            let mut received = Received {
                head: String::new(),
                chunks: Vec::new(),
                trailers: String::new(),
            };
            let mut at = loop {
                read_more(&mut socket, &mut buffer).await;
                if let Some(end) = find(&buffer, b"\r\n\r\n") {
                    received.head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    break end + 4;
                }
            };
            loop {
                let Some(line_end) = find(&buffer[at..], b"\r\n") else {
                    read_more(&mut socket, &mut buffer).await;
                    continue;
                };
                let size_text = std::str::from_utf8(&buffer[at..at + line_end]).unwrap();
                let size = usize::from_str_radix(size_text.trim(), 16).unwrap();
                if size == 0 {
                    let rest = at + line_end + 2;
                    while find(&buffer[rest..], b"\r\n")
                        .is_none_or(|end| end != 0 && find(&buffer[rest..], b"\r\n\r\n").is_none())
                    {
                        read_more(&mut socket, &mut buffer).await;
                    }
                    received.trailers = String::from_utf8_lossy(&buffer[rest..]).into_owned();
                    break;
                }
                let data = at + line_end + 2;
                while buffer.len() < data + size + 2 {
                    read_more(&mut socket, &mut buffer).await;
                }
                let chunk = buffer[data..data + size].to_vec();
                received.chunks.push((chunk, started.elapsed()));
                at = data + size + 2;
            }
            socket
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .await
                .unwrap();
            received
        });
        let client = PooledClient::builder().with_endpoint(endpoint).build();
        let mut request = build_request()
            .method(Method::POST)
            .uri("/2018-06-01/runtime/invocation/id/response");
        for (name, value) in STREAMED_HEADERS {
            request = request.header(name, value);
        }
        let response = client
            .call(request.body(body_of(answer)).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        server.await.unwrap()
    }

    async fn read_more(socket: &mut tokio::net::TcpStream, buffer: &mut Vec<u8>) {
        let mut bytes = [0; 4096];
        let read = socket.read(&mut bytes).await.unwrap();
        assert!(read > 0, "the client closed early");
        buffer.extend_from_slice(&bytes[..read]);
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    const PRELUDE: &[u8] =
        br#"{"statusCode":200,"headers":{"content-type":"text/plain"},"cookies":[]}"#;

    /// The body as sent: every chunk joined.
    fn joined(received: &Received) -> Vec<u8> {
        received
            .chunks
            .iter()
            .flat_map(|(c, _)| c.clone())
            .collect()
    }

    #[tokio::test]
    async fn chunks_leave_as_produced_and_a_failure_ends_in_the_error_trailers() {
        let every = Duration::from_millis(150);
        let chunks = paced(
            vec![
                Ok(Bytes::from_static(b"one\n")),
                Ok(Bytes::new()),
                Ok(Bytes::from_static(b"two\n")),
                Err("the source went away".into()),
            ],
            every,
        );
        let received = post(StreamedAnswer {
            prelude: PRELUDE,
            body: StreamedBody::Chunks(chunks),
        })
        .await;

        let head = received.head.to_ascii_lowercase();
        for line in [
            "lambda-runtime-function-response-mode: streaming",
            "transfer-encoding: chunked",
            "content-type: application/vnd.awslambda.http-integration-response",
            "trailer: lambda-runtime-function-error-type",
            "trailer: lambda-runtime-function-error-body",
        ] {
            assert!(head.contains(line), "{line} missing from {head}");
        }
        let mut expected = PRELUDE.to_vec();
        expected.extend_from_slice(&[0; 8]);
        expected.extend_from_slice(b"one\ntwo\n");
        assert_eq!(joined(&received), expected);

        // The prelude and separator before the first chunk exists; each chunk once made.
        let at = |text: &[u8]| {
            received
                .chunks
                .iter()
                .find(|(c, _)| c == text)
                .map(|(_, t)| *t)
                .unwrap()
        };
        assert!(at(PRELUDE) < every, "prelude at {:?}", at(PRELUDE));
        assert!(at(&[0; 8]) < every);
        assert!(at(b"one\n") >= every, "one at {:?}", at(b"one\n"));
        // The empty chunk is skipped (it would end the body): `two` comes a beat later.
        assert!(at(b"two\n") >= every * 3, "two at {:?}", at(b"two\n"));

        let trailers: Vec<(String, &str)> = received
            .trailers
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim()))
            .collect();
        let encoded = base64_simd::STANDARD.encode_to_string("the source went away");
        assert_eq!(
            trailers,
            [
                (
                    ERROR_TYPE_TRAILER.to_ascii_lowercase(),
                    "Runtime.StreamError"
                ),
                (ERROR_BODY_TRAILER.to_ascii_lowercase(), encoded.as_str()),
            ]
        );
    }

    #[tokio::test]
    async fn a_complete_body_is_one_chunk_after_the_prelude_without_trailers() {
        let received = post(StreamedAnswer {
            prelude: PRELUDE,
            body: StreamedBody::Complete(b"the whole body"),
        })
        .await;
        let chunks: Vec<&[u8]> = received.chunks.iter().map(|(c, _)| &c[..]).collect();
        assert_eq!(chunks, [PRELUDE, &[0; 8], b"the whole body"]);
        assert!(received.trailers.trim().is_empty(), "{}", received.trailers);
    }
}
