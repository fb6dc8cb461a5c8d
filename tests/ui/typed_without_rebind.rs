// A typed argument whose inner type has no `Rebind` (the `rebind!` line is missing).
use lambda_router::App;
use lambda_router::extract::Json;

#[derive(serde::Deserialize)]
struct NewTodo {
    title: String,
}

fn create(Json(todo): Json<NewTodo>) -> String {
    todo.title
}

fn main() {
    let _ = App::rest().post("/todos", create).build();
}
