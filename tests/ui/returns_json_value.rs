// A handler returning `serde_json::Value` must wrap it in `Json(..)`.
use lambda_router::{App, Request};

fn todos(_: &Request<'_>) -> serde_json::Value {
    serde_json::json!([])
}

fn main() {
    let _ = App::rest().get("/todos", todos).build();
}
