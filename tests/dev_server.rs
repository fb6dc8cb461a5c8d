//! The dev server end to end: real HTTP requests on loopback, one server per event source,
//! each request bounded in time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "dev-server")]

use std::time::Duration;

use lambda_router::dev_server::Limits;
use lambda_router::testing;
use lambda_router::{App, AppBuilder, Cookie, Json, Request, Response};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(10);

/// A response as read off the socket.
#[derive(Debug)]
struct HttpReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpReply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One HTTP/1.1 request with `Connection: close`, read to the end.
async fn send(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpReply {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        raw
    };
    let raw = tokio::time::timeout(TIMEOUT, exchange)
        .await
        .expect("the dev server answers in time");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|line| {
            let (n, v) = line.split_once(':').unwrap();
            (n.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    HttpReply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Routes that echo what the handler saw, for every source.
fn echo_app(builder: AppBuilder) -> App {
    builder
        .route(
            [lambda_router::Method::GET, lambda_router::Method::POST],
            "/items/<id>",
            |req: &Request<'_>| {
                Json(json!({
                    "source": format!("{:?}", req.source()),
                    "method": req.method().as_str(),
                    "path": req.path(),
                    "id": req.param("id"),
                    "q": req.query("q"),
                    "all_q": req.query_params().get_all("q").collect::<Vec<_>>(),
                    "header": req.header("x-test"),
                    "cookie": req.cookie("session"),
                    "body": req.body_text().ok().flatten(),
                    "body_len": req.body().ok().flatten().map_or(0, <[u8]>::len),
                    "base64": req.is_base64_encoded(),
                }))
            },
        )
        .get("/multi", |_: &Request<'_>| {
            Response::text(200, "two headers, two cookies")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .cookie(Cookie::new("a", "1"))
                .cookie(Cookie::new("b", "2").path("/"))
        })
        .get("/binary", |_: &Request<'_>| {
            Response::binary(200, vec![0u8, 159, 146, 150, 255])
                .content_type("application/octet-stream")
        })
        .get("/gzip", |_: &Request<'_>| {
            Response::text(200, "hello ".repeat(200)).compress(true)
        })
        .build()
        .unwrap()
}

/// Starts the dev server on an ephemeral loopback port.
async fn start(app: App) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(lambda_router::dev_server::serve_on(listener, app));
    port
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The request reaches the handler with method, path, param, query, header, cookie, body.
async fn check_echo(port: u16, source: &str, query_decoded: bool) {
    let reply = send(
        port,
        "POST",
        "/items/42?q=a%20b",
        &[("X-Test", "yes"), ("Cookie", "session=s1; other=o")],
        b"{\"n\":1}",
    )
    .await;
    assert_eq!(
        reply.status,
        200,
        "{source}: {:?}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let seen = reply.json();
    assert_eq!(seen["source"], source);
    assert_eq!(seen["method"], "POST");
    assert_eq!(seen["path"], "/items/42");
    assert_eq!(seen["id"], "42");
    assert_eq!(seen["header"], "yes");
    assert_eq!(seen["cookie"], "s1");
    assert_eq!(seen["body"], "{\"n\":1}");
    assert_eq!(seen["base64"], false);
    let first = if query_decoded { "a b" } else { "a%20b" };
    assert_eq!(seen["q"], first, "{source}: {seen}");
}

#[test]
fn rest_events_round_trip() {
    block_on(async {
        let port = start(echo_app(App::rest())).await;
        check_echo(port, "RestV1", true).await;
        let seen = send(port, "GET", "/items/42?q=a%20b&q=c", &[], b"")
            .await
            .json();
        assert_eq!(seen["all_q"], json!(["a b", "c"]));
        assert_eq!(seen["q"], "c");
        assert_eq!(seen["body"], Value::Null);

        let multi = send(port, "GET", "/multi", &[], b"").await;
        assert_eq!(multi.all("x-multi"), ["one", "two"]);
        assert_eq!(
            multi.all("set-cookie"),
            ["a=1; Secure", "b=2; Path=/; Secure"]
        );
        assert_eq!(multi.body, b"two headers, two cookies");

        let missing = send(port, "GET", "/nowhere", &[], b"").await;
        assert_eq!(missing.status, 404);
        assert_eq!(
            missing.json(),
            json!({ "statusCode": 404, "message": "Not found" })
        );
    });
}

#[test]
fn http_api_events_round_trip() {
    block_on(async {
        let port = start(echo_app(App::http_api())).await;
        check_echo(port, "HttpV2", true).await;
        let multi = send(port, "GET", "/multi", &[], b"").await;
        assert_eq!(
            multi.all("set-cookie"),
            ["a=1; Secure", "b=2; Path=/; Secure"]
        );
        assert_eq!(multi.status, 200);
    });
}

#[test]
fn alb_events_round_trip() {
    block_on(async {
        let port = start(echo_app(App::alb())).await;
        check_echo(port, "Alb", false).await;
        // Multi-value headers off: ALB keeps the last value of a repeated name.
        let seen = send(port, "GET", "/items/1?q=a&q=b", &[], b"").await.json();
        assert_eq!(seen["all_q"], json!(["b"]));
    });
}

#[test]
fn function_url_binary_and_gzip_bodies() {
    block_on(async {
        let port = start(echo_app(App::function_url())).await;
        check_echo(port, "FunctionUrl", true).await;

        // A body that is not UTF-8 travels base64-encoded and arrives decoded.
        let seen = send(port, "POST", "/items/7", &[], &[0xff, 0x00, 0xfe])
            .await
            .json();
        assert_eq!(seen["base64"], true);
        assert_eq!(seen["body_len"], 3);

        // A binary response is decoded back to its bytes.
        let binary = send(port, "GET", "/binary", &[], b"").await;
        assert_eq!(binary.body, [0u8, 159, 146, 150, 255]);
        assert_eq!(
            binary.header("content-type"),
            Some("application/octet-stream")
        );

        // A gzipped response passes through with its Content-Encoding.
        if !cfg!(feature = "gzip") {
            return;
        }
        let gzip = send(port, "GET", "/gzip", &[("Accept-Encoding", "gzip")], b"").await;
        assert_eq!(gzip.status, 200);
        assert_eq!(gzip.header("content-encoding"), Some("gzip"));
        assert_eq!(&gzip.body[..2], [0x1f, 0x8b]);
        assert!(gzip.body.len() < 1200);
        let plain = send(port, "GET", "/gzip", &[], b"").await;
        assert_eq!(plain.header("content-encoding"), None);
        assert_eq!(plain.body.len(), 1200);
    });
}

/// Writes `raw` on a new connection and reads until the server closes it; `None` if it
/// is still open after `within`.
async fn raw_exchange(port: u16, raw: &[u8], within: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut read = Vec::new();
    let closed = tokio::time::timeout(within, stream.read_to_end(&mut read)).await;
    closed
        .ok()
        .map(|_| String::from_utf8_lossy(&read).into_owned())
}

fn limits(tune: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits::default();
    tune(&mut limits);
    limits
}

async fn start_with(app: App, limits: Limits) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(lambda_router::dev_server::serve_with(listener, app, limits));
    port
}

/// An async handler that waits on the runtime's timer.
async fn timer(_: &Request<'_>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(50)).await;
    "timer"
}

#[test]
fn a_slow_sync_handler_does_not_hold_up_other_requests() {
    let app = App::rest()
        .get("/slow", |_: &Request<'_>| {
            std::thread::sleep(Duration::from_secs(3));
            "slow"
        })
        .get("/fast", |_: &Request<'_>| "fast")
        .get("/timer", timer)
        .build()
        .unwrap();
    // The server on its own current-thread runtime, as `lambda_router::run` starts it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        block_on(async move {
            let listener = TcpListener::from_std(listener).unwrap();
            lambda_router::dev_server::serve_on(listener, app).await
        })
    });
    block_on(async {
        let slow = tokio::spawn(async move { send(port, "GET", "/slow", &[], b"").await });
        tokio::time::sleep(Duration::from_millis(200)).await;
        for (path, body) in [("/fast", "fast"), ("/timer", "timer")] {
            // Wall-clock time: a blocked runtime would also stall a `timeout` here.
            let asked = std::time::Instant::now();
            let reply = send(port, "GET", path, &[], b"").await;
            assert!(
                asked.elapsed() < Duration::from_secs(1),
                "{path} waited for the slow handler"
            );
            assert_eq!((reply.status, &reply.body[..]), (200, body.as_bytes()));
        }
        assert_eq!(slow.await.unwrap().body, b"slow");
    });
}

#[test]
fn slow_headers_and_idle_connections_are_closed() {
    let fast = limits(|l| l.header_read = Duration::from_millis(300));
    block_on(async {
        let port = start_with(echo_app(App::rest()), fast).await;
        // Headers that never finish.
        let partial = raw_exchange(
            port,
            b"GET /multi HTTP/1.1\r\nHost: x\r\n",
            Duration::from_secs(3),
        );
        assert!(
            partial.await.is_some(),
            "a half-sent request kept its connection"
        );
        // A complete keep-alive request, then nothing: answered, then closed.
        let idle = raw_exchange(
            port,
            b"GET /multi HTTP/1.1\r\nHost: x\r\n\r\n",
            Duration::from_secs(3),
        )
        .await
        .expect("an idle keep-alive connection was kept open");
        assert!(idle.starts_with("HTTP/1.1 200"), "{idle}");
    });
}

#[test]
fn bodies_are_bounded_in_size_and_time() {
    let small = limits(|l| {
        l.max_body_bytes = 1000;
        l.body_read = Duration::from_millis(300);
    });
    block_on(async {
        let port = start_with(echo_app(App::rest()), small).await;
        let fits = send(port, "POST", "/items/1", &[], &[b'a'; 1000]).await;
        assert_eq!(fits.json()["body_len"], 1000);
        let large = send(port, "POST", "/items/1", &[], &[b'a'; 1001]).await;
        assert_eq!(large.status, 413);
        // Ten of the hundred bytes announced, then silence.
        let slow = raw_exchange(
            port,
            b"POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
            Duration::from_secs(3),
        )
        .await
        .expect("a body that never arrives kept its connection");
        assert!(slow.starts_with("HTTP/1.1 408"), "{slow}");
    });
}

/// A body declared larger than the limit is refused from its head alone: the client sends
/// no byte of it and gets the 413 (without a `100 Continue` when it asked for one), where
/// the body read limit (an hour here) would otherwise hold the connection.
#[test]
fn a_declared_length_over_the_limit_is_refused_before_the_body() {
    let waits_long = limits(|l| {
        l.max_body_bytes = 1000;
        l.body_read = Duration::from_secs(3600);
    });
    let heads = [
        "Content-Length: 1001\r\n",
        "Content-Length: 1000000000000\r\n",
        "Content-Length: 5000\r\nExpect: 100-continue\r\n",
        "Content-Type: application/json\r\nContent-Length: 6291457\r\n",
    ];
    block_on(async {
        let port = start_with(echo_app(App::rest()), waits_long).await;
        for head in heads {
            let request = format!("POST /items/1 HTTP/1.1\r\nHost: x\r\n{head}\r\n");
            // The bound only keeps a failing run from hanging: the server closes the
            // connection right after its answer.
            let answer = raw_exchange(port, request.as_bytes(), Duration::from_secs(20))
                .await
                .unwrap_or_else(|| panic!("no answer without the body for {head:?}"));
            assert!(answer.starts_with("HTTP/1.1 413"), "{head:?}: {answer}");
            assert!(answer.contains("larger than 1000 bytes"), "{answer}");
        }
    });
}

/// A method longer than the standard ones gets the same answer in any case: a route
/// registered with it matches, and an unknown one is a 404 (not an event error).
#[test]
fn long_methods_answer_alike_in_any_case() {
    let long = "PROPPATCHEXTENDEDWITHAVERYLONGNAME"; // 34 bytes
    let app = || {
        App::rest()
            .route(
                [lambda_router::Method::from_bytes(long.as_bytes()).unwrap()],
                "/dav",
                |_: &Request<'_>| "dav",
            )
            .build()
            .unwrap()
    };
    for method in [long.to_owned(), long.to_ascii_lowercase()] {
        let found = testing::call(&app(), testing::rest().method(&method).path("/dav"));
        assert_eq!((found.status(), &*found.text()), (200, "dav"), "{method}");
        let unknown = format!("{method}X");
        let missing = testing::call(&app(), testing::rest().method(&unknown).path("/dav"));
        assert_eq!(missing.status(), 404, "{unknown}");
    }
    block_on(async {
        let port = start(app()).await;
        for method in [long.to_owned(), long.to_ascii_lowercase()] {
            let found = send(port, &method, "/dav", &[], b"").await;
            assert_eq!(
                (found.status, &found.body[..]),
                (200, &b"dav"[..]),
                "{method}"
            );
            let missing = send(port, &format!("{method}X"), "/dav", &[], b"").await;
            assert_eq!(missing.status, 404, "{method}X");
        }
    });
}

/// The app's framing headers would contradict the body the server sends: dropped.
#[test]
fn framing_headers_of_the_app_are_not_copied() {
    let app = App::rest()
        .get("/framed", |_: &Request<'_>| {
            Response::text(200, "hello world")
                .header("Content-Length", "5")
                .header("Transfer-Encoding", "chunked")
                .header("Connection", "close")
                .header("Keep-Alive", "timeout=1")
                .header("X-Kept", "yes")
        })
        .build()
        .unwrap();
    block_on(async {
        let port = start(app).await;
        let reply = send(port, "GET", "/framed", &[], b"").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, b"hello world");
        assert_eq!(reply.all("content-length"), ["11"]);
        assert!(
            reply.all("transfer-encoding").is_empty(),
            "{:?}",
            reply.headers
        );
        assert!(reply.all("keep-alive").is_empty(), "{:?}", reply.headers);
        assert_eq!(reply.header("x-kept"), Some("yes"));
    });
}

/// Run as a child process by `a_busy_port_names_the_address_and_port_variable`.
#[test]
fn serve_on_the_port_of_the_environment() {
    if std::env::var_os("DEV_SERVER_BIND_CHILD").is_none() {
        return;
    }
    let app = App::rest()
        .get("/", |_: &Request<'_>| "up")
        .build()
        .unwrap();
    let error = block_on(lambda_router::dev_server::serve(app)).unwrap_err();
    println!("kind={:?} error={error}", error.kind());
}

#[test]
fn a_busy_port_names_the_address_and_port_variable() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "serve_on_the_port_of_the_environment",
            "--nocapture",
        ])
        .env("DEV_SERVER_BIND_CHILD", "1")
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the dev server bound a busy port");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(out.contains("kind=AddrInUse"), "{out}");
    assert!(out.contains(&format!("127.0.0.1:{port}")), "{out}");
    assert!(out.contains("PORT environment variable"), "{out}");
    drop(busy);
}
