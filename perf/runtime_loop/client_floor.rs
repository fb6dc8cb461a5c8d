//! The floor of a Lambda runtime loop on the official client (`lambda_runtime_api_client`
//! 1.1, as lambda-router drives it): `/next`, read the body and the request id, post a
//! fixed response, read the 202 to its end (so the connection is kept); no app. perf/runtime_loop.sh counts its instructions per invocation to
//! show how much of a warm invocation the two Runtime API requests cost by themselves.

use http::{Method, Uri};
use http_body_util::BodyExt;
use lambda_runtime_api_client::body::Body;
use lambda_runtime_api_client::{BoxError, PooledClient, build_request};

const RESPONSE: &[u8] = br#"{"statusCode":200,"headers":{},"body":"","isBase64Encoded":false}"#;

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = PooledClient::builder().with_pool_size(1).build();
        loop {
            let next = build_request()
                .method(Method::GET)
                .uri(Uri::from_static("/2018-06-01/runtime/invocation/next"))
                .body(Body::empty())?;
            let (parts, body) = client.call(next).await?.into_parts();
            let event = body.collect().await?.to_bytes();
            std::hint::black_box(&event);
            let id = parts
                .headers
                .get("lambda-runtime-aws-request-id")
                .and_then(|v| v.to_str().ok())
                .ok_or("no request id")?;
            let uri = format!("/2018-06-01/runtime/invocation/{id}/response");
            let post = build_request()
                .method(Method::POST)
                .uri(Uri::try_from(uri)?)
                .body(Body::from(RESPONSE))?;
            // Read to its end, the 202's body frees the connection for the next `/next`.
            client.call(post).await?.into_body().collect().await?;
        }
    })
}
