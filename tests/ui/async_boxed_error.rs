// An async handler whose error type does not convert into `lambda_router::Error`.
use lambda_router::{App, Request};

async fn todos(_: &Request<'_>) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    Ok("[]".to_owned())
}

fn main() {
    let _ = App::rest().get("/todos", todos).build();
}
