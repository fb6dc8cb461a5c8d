//! A Runtime API on a thread of the test process (std sockets, blocking), for tests that
//! drive the invocation loop in-process: each `/next` answers the same event with Lambda's
//! headers and a new request id; each post is read (whole or chunked) and answered `202`.
//! What it allocates happens on its own thread.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// What the server saw: each post's first line, and how many connections it accepted.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub(crate) posts: Vec<String>,
    pub(crate) bodies: Vec<Vec<u8>>,
    pub(crate) connections: usize,
}

/// Starts the server handing out `event`; its address and what it sees.
pub(crate) fn serve(event: Vec<u8>) -> (SocketAddr, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut invocation = 0u32;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            shared.lock().unwrap().connections += 1;
            serve_connection(stream, &event, &mut invocation, &shared);
        }
    });
    (address, seen)
}

fn serve_connection(stream: TcpStream, event: &[u8], invocation: &mut u32, seen: &Mutex<Seen>) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().unwrap(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                _ => {}
            }
        }
        if request_line.starts_with("GET ") {
            *invocation += 1;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c{:04x}\r\n\
                 Lambda-Runtime-Deadline-Ms: 4102444800000\r\n\
                 Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:f\r\n\
                 Lambda-Runtime-Trace-Id: Root=1-5759e988-bd862e3fe1be46a99427{:04x};Sampled=1\r\n\
                 Content-Length: {}\r\n\r\n",
                *invocation,
                *invocation,
                event.len()
            );
            if writer
                .write_all(head.as_bytes())
                .and_then(|()| writer.write_all(event))
                .is_err()
            {
                return;
            }
            continue;
        }
        let body = if chunked {
            read_chunked(&mut reader)
        } else {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            body
        };
        {
            let mut seen = seen.lock().unwrap();
            seen.posts.push(request_line.trim_end().to_owned());
            seen.bodies.push(body);
        }
        let answer = b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n";
        if writer.write_all(answer).is_err() {
            return;
        }
    }
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let size = usize::from_str_radix(line.trim(), 16).unwrap();
        if size == 0 {
            loop {
                let mut trailer = String::new();
                reader.read_line(&mut trailer).unwrap();
                if trailer == "\r\n" || trailer.is_empty() {
                    return body;
                }
            }
        }
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).unwrap();
        body.extend_from_slice(&chunk[..size]);
    }
}
