// An async handler of typed arguments whose output is not a response: the message names
// the output, as for a handler of `&Request`.
use lambda_router::App;
use lambda_router::extract::Path;

async fn todo(Path(id): Path<u64>) -> serde_json::Value {
    serde_json::json!({ "id": id })
}

fn main() {
    let _ = App::rest().get("/todos/<id>", todo).build();
}
