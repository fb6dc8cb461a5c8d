// A validated body (`Valid<Json<NewTodo>>`) whose type has no `Rebind`: the error names the
// type inside both wrappers.
use lambda_router::App;
use lambda_router::extract::{Json, Valid};

#[derive(serde::Deserialize, garde::Validate)]
struct NewTodo {
    #[garde(length(min = 1))]
    title: String,
}

fn create(Valid(Json(todo)): Valid<Json<NewTodo>>) -> String {
    todo.title
}

fn main() {
    let _ = App::rest().post("/todos", create).build();
}
