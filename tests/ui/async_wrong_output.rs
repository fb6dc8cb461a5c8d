// An async handler whose output is not a response.
use lambda_router::{App, Request};

async fn todos(_: &Request<'_>) -> serde_json::Value {
    serde_json::json!([])
}

fn main() {
    let _ = App::rest().get("/todos", todos).build();
}
