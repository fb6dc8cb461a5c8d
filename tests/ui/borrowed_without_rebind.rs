// A borrowed type (`NewTodo<'a>`) without its `rebind!` line.
use lambda_router::App;
use lambda_router::extract::Json;

#[derive(serde::Deserialize)]
struct NewTodo<'a> {
    title: &'a str,
}

fn create(Json(todo): Json<NewTodo<'_>>) -> String {
    todo.title.to_owned()
}

fn main() {
    let _ = App::rest().post("/todos", create).build();
}
