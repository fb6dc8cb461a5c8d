// A `Box<dyn Error + Send + Sync>` does not implement `std::error::Error`, so it does not
// convert into `lambda_router::Error` by `?`/`Into`.
use lambda_router::{App, Request};

fn todos(_: &Request<'_>) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    Ok("[]".to_owned())
}

fn main() {
    let _ = App::rest().get("/todos", todos).build();
}
