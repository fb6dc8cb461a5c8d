//! `testing::call` and `Client::call` run async handlers where tokio's timers and I/O work:
//! a handler that sleeps with `tokio::time`, one that talks over a tokio socket, and a
//! streamed body produced on a timer are answered, from a plain `#[test]` and from inside
//! a `#[tokio::test]` alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::time::Duration;

use lambda_router::{App, BoxError, Request, Response, testing};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sleeps(_: &Request<'_>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(5)).await;
    "slept"
}

/// A round trip over a loopback TCP connection, both ends tokio's.
async fn talks(_: &Request<'_>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (client, server) = tokio::join!(tokio::net::TcpStream::connect(address), async {
        listener.accept().await
    });
    let (mut client, (mut server, _)) = (client?, server?);
    client.write_all(b"ping").await?;
    let mut received = [0_u8; 4];
    server.read_exact(&mut received).await?;
    Ok(String::from_utf8_lossy(&received).into_owned())
}

async fn counts_down(_: &Request<'_>) -> Response {
    Response::streaming(200, |mut body| async move {
        for n in (0..3).rev() {
            tokio::time::sleep(Duration::from_millis(2)).await;
            body.send(format!("{n}\n")).await?;
        }
        Ok::<_, BoxError>(())
    })
}

fn app() -> App {
    App::rest()
        .get("/sleep", sleeps)
        .get("/io", talks)
        .get("/countdown", counts_down)
        .build()
        .unwrap()
}

/// (path, the body answered with 200)
const CASES: &[(&str, &str)] = &[
    ("/sleep", "slept"),
    ("/io", "ping"),
    ("/countdown", "2\n1\n0\n"),
];

fn check_all(app: &App) {
    let mut client = testing::Client::new(app);
    for &(path, body) in CASES {
        let once = testing::call(app, testing::rest().get(path));
        assert_eq!(
            (once.status(), once.text().as_ref()),
            (200, body),
            "call {path}"
        );
        let kept = client.call(testing::rest().get(path));
        assert_eq!(
            (kept.status(), kept.text().as_ref()),
            (200, body),
            "Client::call {path}"
        );
    }
}

#[test]
fn sync_helpers_run_tokio_timers_and_io() {
    check_all(&app());
}

#[tokio::test]
async fn sync_helpers_work_inside_a_current_thread_runtime() {
    check_all(&app());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_helpers_work_inside_a_multi_thread_runtime() {
    check_all(&app());
}
