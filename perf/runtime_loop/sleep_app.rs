//! An app whose one route awaits: `GET /sleep/<ms>` sleeps that long, then answers
//! `{"slept":<ms>}`. perf/runtime_loop_throughput.sh serves it with 1 to 8 invocations in
//! flight (`AWS_LAMBDA_MAX_CONCURRENCY`).

use std::time::Duration;

use lambda_router::{App, Request, Response};

async fn sleep(req: &Request<'_>) -> Response {
    let Some(ms) = req.param("ms").and_then(|ms| ms.parse::<u64>().ok()) else {
        return Response::text(400, "ms: a number of milliseconds");
    };
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Response::text(200, format!("{{\"slept\":{ms}}}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = App::rest().get("/sleep/<ms>", sleep).build()?;
    lambda_router::run(app)?;
    Ok(())
}
