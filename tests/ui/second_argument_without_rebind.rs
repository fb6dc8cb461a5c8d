// An async handler of three typed arguments, one of whose inner types (`Page`, the second)
// has no `Rebind`: the error names that type and the line to write, not the whole handler.
use lambda_router::App;
use lambda_router::extract::{Json, Path, Query};

#[derive(serde::Deserialize)]
struct Page {
    limit: Option<u32>,
}

#[derive(serde::Deserialize)]
struct NewTodo<'a> {
    title: &'a str,
}
lambda_router::rebind!(NewTodo<'a>);

async fn update(
    Path(id): Path<u64>,
    Query(page): Query<Page>,
    Json(todo): Json<NewTodo<'_>>,
) -> String {
    format!("{id} {:?} {}", page.limit, todo.title)
}

fn main() {
    let _ = App::rest().put("/todos/<id>", update).build();
}
