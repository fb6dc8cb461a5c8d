// A struct of the user's that is neither `IntoResponse` nor wrapped in `Json(..)`.
use lambda_router::{App, Request};

#[derive(serde::Serialize)]
struct Todo {
    title: String,
}

fn todo(_: &Request<'_>) -> Todo {
    Todo { title: "write docs".to_owned() }
}

fn main() {
    let _ = App::rest().get("/todo", todo).build();
}
