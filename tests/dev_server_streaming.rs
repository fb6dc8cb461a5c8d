//! The dev server sends a streamed response as it is produced (chunked transfer encoding),
//! over a real TCP socket. The time bounds are generous: they check that streaming happens
//! (the first line long before the last is written), not how fast.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "dev-server")]

use std::time::{Duration, Instant};

use lambda_router::{App, BoxError, Json, Request, Response};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Ten lines, one every 100 ms.
async fn countdown(_: &Request<'_>) -> Response {
    Response::streaming(200, |mut body| async move {
        for n in (0..10).rev() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            body.send(format!("line {n}\n")).await?;
        }
        Ok::<_, BoxError>(())
    })
    .content_type("text/plain")
}

fn app(builder: lambda_router::AppBuilder) -> App {
    builder
        .get("/countdown", countdown)
        .get("/todos", |_: &Request<'_>| Json(json!([{"id": 1}])))
        .build()
        .unwrap()
}

async fn start(app: App) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(lambda_router::dev_server::serve_on(listener, app));
    port
}

/// Reads the response to `GET path`, noting when each `line N` first appears.
async fn timed_lines(port: u16, path: &str) -> (String, Vec<(String, Duration)>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let started = Instant::now();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .expect("the dev server keeps sending")
            .unwrap();
        if read == 0 {
            break;
        }
        raw.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&raw);
        for n in (0..10).rev() {
            let line = format!("line {n}\n");
            if text.contains(&line) && !seen.iter().any(|(l, _)| *l == line) {
                seen.push((line, started.elapsed()));
            }
        }
    }
    (String::from_utf8_lossy(&raw).into_owned(), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn countdown_lines_arrive_as_they_are_written() {
    for builder in [App::rest(), App::function_url()] {
        let port = start(app(builder)).await;
        let (raw, seen) = timed_lines(port, "/countdown").await;
        assert!(
            raw.to_ascii_lowercase()
                .contains("transfer-encoding: chunked"),
            "{raw}"
        );
        assert_eq!(seen.len(), 10, "{raw}");
        let (first_line, first) = &seen[0];
        let (last_line, last) = &seen[9];
        assert_eq!(first_line, "line 9\n");
        assert_eq!(last_line, "line 0\n");
        assert!(
            *first < Duration::from_millis(300),
            "first line at {first:?}"
        );
        assert!(*last > Duration::from_millis(900), "last line at {last:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_cannot_stream_answers_whole() {
    let port = start(app(App::alb())).await;
    let (raw, seen) = timed_lines(port, "/countdown").await;
    assert_eq!(seen.len(), 10, "{raw}");
    let lower = raw.to_ascii_lowercase();
    assert!(lower.contains("content-length:"), "{raw}");
    assert!(!lower.contains("transfer-encoding: chunked"), "{raw}");
    // Collected: every line arrives with the last, after the whole second.
    assert!(seen[0].1 > Duration::from_millis(900), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_route_still_answers_in_full() {
    let port = start(app(App::rest())).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(b"GET /todos HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.ends_with("[{\"id\":1}]"), "{raw}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_route_keeps_the_buffered_payload_limit() {
    let app = App::rest()
        .response_limit(1000)
        .get("/big", |_: &Request<'_>| "x".repeat(2000))
        .get("/countdown", countdown)
        .build()
        .unwrap();
    let port = start(app).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(b"GET /big HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 500"), "{raw}");
    assert!(raw.contains("Response too large"), "{raw}");
    // A streamed route is not held to it.
    let (_, seen) = timed_lines(port, "/countdown").await;
    assert_eq!(seen.len(), 10);
}
