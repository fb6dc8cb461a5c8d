//! What the loop's two requests would cost on a minimal HTTP/1.1 exchange of its own: one
//! blocking `std::net::TcpStream` kept open, each request one `write`, each answer parsed
//! by `httparse` in one reused buffer; no async runtime. The same work as `client_floor`
//! and `hyper_floor` (`/next`, read the body and the request id, post a fixed response, read
//! the 202), to show in perf/RESULTS.md what leaving the official client would buy.
//! Only what the Runtime API sends is handled (answers with a `Content-Length`).

use std::io::{Read, Write};
use std::net::TcpStream;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const RESPONSE: &[u8] = br#"{"statusCode":200,"headers":{},"body":"","isBase64Encoded":false}"#;

/// One answer's head: where its body starts and ends in the buffer, and the request id's
/// place (for `/next`).
struct Answer {
    body: std::ops::Range<usize>,
    request_id: Option<std::ops::Range<usize>>,
}

fn main() -> Result<(), BoxError> {
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API")?;
    let mut stream = TcpStream::connect(api.as_str())?;
    stream.set_nodelay(true)?;
    let next = format!("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nhost: {api}\r\n\r\n");
    // Zeroed once: resizing per read would zero it again each time.
    let mut buffer = Buffer {
        bytes: vec![0; 64 * 1024],
        filled: 0,
    };
    let mut request = Vec::with_capacity(1024);
    loop {
        stream.write_all(next.as_bytes())?;
        let answer = read_answer(&mut stream, &mut buffer)?;
        std::hint::black_box(&buffer.bytes[answer.body.clone()]);
        let id = answer.request_id.ok_or("no request id")?;
        request.clear();
        request.extend_from_slice(b"POST /2018-06-01/runtime/invocation/");
        request.extend_from_slice(&buffer.bytes[id]);
        write!(
            request,
            "/response HTTP/1.1\r\nhost: {api}\r\ncontent-length: {}\r\n\r\n",
            RESPONSE.len()
        )?;
        request.extend_from_slice(RESPONSE);
        stream.write_all(&request)?;
        read_answer(&mut stream, &mut buffer)?;
    }
}

/// A read buffer and how much of it holds the answer read so far.
struct Buffer {
    bytes: Vec<u8>,
    filled: usize,
}

/// Reads one whole answer (head and `Content-Length` body) into `buffer`.
fn read_answer(stream: &mut TcpStream, buffer: &mut Buffer) -> Result<Answer, BoxError> {
    buffer.filled = 0;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 16];
        let mut response = httparse::Response::new(&mut headers);
        let read = &buffer.bytes[..buffer.filled];
        if let httparse::Status::Complete(head) = response.parse(read)? {
            let mut length = 0;
            let mut request_id = None;
            for header in response.headers.iter() {
                if header.name.eq_ignore_ascii_case("content-length") {
                    length = std::str::from_utf8(header.value)?.parse::<usize>()?;
                } else if header
                    .name
                    .eq_ignore_ascii_case("lambda-runtime-aws-request-id")
                {
                    let start = header.value.as_ptr() as usize - read.as_ptr() as usize;
                    request_id = Some(start..start + header.value.len());
                }
            }
            if head + length > buffer.bytes.len() {
                return Err("an answer larger than the buffer".into());
            }
            while buffer.filled < head + length {
                fill(stream, buffer)?;
            }
            return Ok(Answer {
                body: head..head + length,
                request_id,
            });
        }
        fill(stream, buffer)?;
    }
}

fn fill(stream: &mut TcpStream, buffer: &mut Buffer) -> Result<(), BoxError> {
    let free = buffer
        .bytes
        .get_mut(buffer.filled..)
        .filter(|free| !free.is_empty())
        .ok_or("an answer head larger than the buffer")?;
    let read = stream.read(free)?;
    if read == 0 {
        return Err("the Runtime API closed the connection".into());
    }
    buffer.filled += read;
    Ok(())
}
