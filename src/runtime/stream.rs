//! A streamed answer on the transport, in Lambda's streamed response mode: a chunked post
//! (`Lambda-Runtime-Function-Response-Mode: streaming`, the error trailers declared) whose
//! body is the prelude (`{"statusCode":..,"headers":{..},"cookies":[..]}`), eight NUL bytes,
//! then the body's chunks, each written as it is produced. A chunk stream that fails midway
//! ends the body with real HTTP trailers, `Lambda-Runtime-Function-Error-Type:
//! Runtime.StreamError` and `Lambda-Runtime-Function-Error-Body: <base64 of the message>`
//! (base64: a CR or LF in a trailer would break the framing). A complete body (an ordinary
//! route) goes out with its head in one vectored write, straight from the scratch.

use super::api::{RuntimeApi, RuntimeApiError};
use super::transport::Failure;
use super::transport::request::chunk_size_line;
use crate::ChunkStream;
use crate::dispatch::{StreamedAnswer, StreamedBody};

/// The separator after the prelude, and the end of the prelude's chunk.
const SEPARATOR: &[u8] = b"\0\0\0\0\0\0\0\0\r\n";
const CRLF: &[u8] = b"\r\n";
const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// Posts `answer` for the invocation `request_id`, streamed.
pub(super) async fn post_streamed(
    api: &mut RuntimeApi,
    request_id: &str,
    answer: StreamedAnswer<'_>,
) -> Result<(), RuntimeApiError> {
    let sent = send(api, request_id, answer).await;
    api.end_stream(sent).await
}

async fn send(
    api: &mut RuntimeApi,
    request_id: &str,
    answer: StreamedAnswer<'_>,
) -> Result<(), Failure> {
    let prelude = answer.prelude;
    let mut first = [0; 18];
    let first = chunk_size_line(prelude.len() + 8, &mut first);
    match answer.body {
        StreamedBody::Full([]) => {
            let parts = [first, prelude, SEPARATOR, LAST_CHUNK];
            api.start_stream(request_id, &parts).await
        }
        StreamedBody::Full(body) => {
            let mut line = [0; 18];
            let line = chunk_size_line(body.len(), &mut line);
            let parts = [first, prelude, SEPARATOR, line, body, CRLF, LAST_CHUNK];
            api.start_stream(request_id, &parts).await
        }
        StreamedBody::Chunks(chunks) => {
            api.start_stream(request_id, &[first, prelude, SEPARATOR])
                .await?;
            send_chunks(api, chunks).await
        }
    }
}

/// Writes each chunk as it comes, then the last chunk (with the error trailers if the
/// stream failed).
async fn send_chunks(api: &mut RuntimeApi, mut chunks: ChunkStream) -> Result<(), Failure> {
    let connection = api.connection();
    loop {
        let next = std::future::poll_fn(|cx| chunks.as_mut().poll_next(cx)).await;
        match next {
            // An empty chunk would read as the end of the body.
            Some(Ok(chunk)) if chunk.is_empty() => {}
            Some(Ok(chunk)) => {
                let mut line = [0; 18];
                let line = chunk_size_line(chunk.len(), &mut line);
                connection.write_parts(&[line, &chunk, CRLF]).await?;
            }
            // (The app has logged the failure.)
            Some(Err(error)) => {
                let body = base64_simd::STANDARD.encode_to_string(error.to_string());
                let trailers = [
                    b"0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
                      Lambda-Runtime-Function-Error-Body: "
                        .as_slice(),
                    body.as_bytes(),
                    b"\r\n\r\n",
                ];
                return connection.write_parts(&trailers).await;
            }
            None => return connection.write_parts(&[LAST_CHUNK]).await,
        }
    }
}
