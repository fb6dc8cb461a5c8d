// A handler takes `&Request<'_>`, not the body or a parameter.
use lambda_router::App;

fn todos(body: String) -> String {
    body
}

fn main() {
    let _ = App::rest().get("/todos", todos).build();
}
