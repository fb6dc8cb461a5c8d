//! What the loop's two requests would cost on hyper's own HTTP/1 connection (one kept
//! connection, no pool), beside `client_floor` on the official client: the same work
//! (`/next`, read the body and the request id, post a fixed response), for perf/RESULTS.md.
//! With `HYPER_FLOOR_SAME_TASK` set, the connection is driven on the loop's own task
//! instead of a spawned one.

use std::future::Future;

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const RESPONSE: &[u8] = br#"{"statusCode":200,"headers":{},"body":"","isBase64Encoded":false}"#;

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let api = std::env::var("AWS_LAMBDA_RUNTIME_API")?;
        let stream = tokio::net::TcpStream::connect(api.as_str()).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
        if std::env::var_os("HYPER_FLOOR_SAME_TASK").is_none() {
            tokio::spawn(connection);
            return invocations(&mut sender, &api).await;
        }
        let mut connection = std::pin::pin!(connection);
        let mut invocations = std::pin::pin!(invocations(&mut sender, &api));
        std::future::poll_fn(|cx| {
            // The connection ends only by an error or a close; the loop's outcome counts.
            let _ = connection.as_mut().poll(cx);
            invocations.as_mut().poll(cx)
        })
        .await
    })
}

async fn invocations(sender: &mut SendRequest<Full<Bytes>>, api: &str) -> Result<(), BoxError> {
    loop {
        let next = Request::builder()
            .method(Method::GET)
            .uri("/2018-06-01/runtime/invocation/next")
            .header("host", api)
            .body(Full::default())?;
        sender.ready().await?;
        let (parts, body) = sender.send_request(next).await?.into_parts();
        let event = body.collect().await?.to_bytes();
        std::hint::black_box(&event);
        let id = parts
            .headers
            .get("lambda-runtime-aws-request-id")
            .and_then(|v| v.to_str().ok())
            .ok_or("no request id")?;
        let uri = format!("/2018-06-01/runtime/invocation/{id}/response");
        let post = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("host", api)
            .body(Full::new(Bytes::from_static(RESPONSE)))?;
        sender.ready().await?;
        let response = sender.send_request(post).await?;
        response.into_body().collect().await?;
    }
}
