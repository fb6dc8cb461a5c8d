//! The bench's `POST /todos` on typed arguments next to the same handler written by hand,
//! each alone in an app with the bench's CORS; and the todos routes documented for OpenAPI,
//! to measure what documenting costs `build()` and the first `/openapi.json`.

use std::borrow::Cow;

use lambda_router::extract::{Path, State};
use lambda_router::openapi::{OpenApi, Operation};
use lambda_router::{App, AppBuilder, Cors, Json, JsonBodyError, Request, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ours::{Created, TITLE};

/// The body of `POST /todos` (the bench's `NewTodo`, with its schema).
#[derive(Deserialize, JsonSchema)]
pub struct NewTodo<'a> {
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(default)]
    pub completed: bool,
}

lambda_router::rebind!(documented: NewTodo<'a>);

/// A todo as answered (the bench's `Todo`, with its schema).
#[derive(Serialize, JsonSchema)]
pub struct Todo {
    pub id: u64,
    #[serde(rename = "userId")]
    pub user_id: u64,
    pub title: &'static str,
    pub completed: bool,
}

/// The bench's hand-written `create_todo`.
fn hand_create<'r>(req: &'r Request<'r>) -> Result<(u16, Json<Created<'r>>), JsonBodyError> {
    let new: NewTodo<'r> = req.json()?;
    Ok((
        201,
        Json(Created {
            id: 124,
            title: new.title,
            completed: new.completed,
        }),
    ))
}

/// The same on typed arguments, the id from the app's state.
fn typed_create<'r>(
    State(next_id): State<&u64>,
    Json(new): Json<NewTodo<'r>>,
) -> (u16, Json<Created<'r>>) {
    (
        201,
        Json(Created {
            id: *next_id,
            title: new.title,
            completed: new.completed,
        }),
    )
}

fn typed_get(Path(id): Path<u64>) -> Json<Todo> {
    Json(Todo {
        id,
        user_id: 1,
        title: TITLE,
        completed: false,
    })
}

fn cors() -> Cors {
    Cors::new().allow_origin("https://app.example.com")
}

/// `POST /todos` written by hand, alone in an app.
pub fn hand_written_app(source: Source) -> App {
    App::for_source(source)
        .cors(cors())
        .post("/todos", hand_create)
        .build()
        .expect("the bench app builds")
}

/// `POST /todos` on typed arguments, alone in an app.
pub fn typed_app(source: Source) -> App {
    App::for_source(source)
        .cors(cors())
        .state(124_u64)
        .post("/todos", typed_create)
        .build()
        .expect("the bench app builds")
}

/// The bench's todos routes on typed handlers, without documentation.
pub fn todos(builder: AppBuilder) -> AppBuilder {
    builder
        .state(124_u64)
        .get("/todos/<id>", typed_get)
        .post("/todos", typed_create)
        .put("/todos/<id>", typed_get)
        .delete("/todos/<id>", typed_get)
        .get("/users/<user_id>/todos/<todo_id>", typed_get)
}

/// The same, each route documented, the document and Swagger UI served.
pub fn documented_todos(builder: AppBuilder) -> AppBuilder {
    let op = |summary: &str| Operation::new().summary(summary).tag("todos");
    builder
        .state(124_u64)
        .get("/todos/<id>", typed_get)
        .doc(
            op("Read")
                .returns::<Todo>(200, "The todo")
                .error(404, "Missing"),
        )
        .post("/todos", typed_create)
        .doc(op("Create").returns::<Todo>(201, "Created"))
        .put("/todos/<id>", typed_get)
        .doc(
            op("Replace")
                .returns::<Todo>(200, "The todo")
                .error(404, "Missing"),
        )
        .delete("/todos/<id>", typed_get)
        .doc(op("Delete").response(204, "Deleted").error(404, "Missing"))
        .get("/users/<user_id>/todos/<todo_id>", typed_get)
        .doc(op("A user's todo").returns::<Todo>(200, "The todo"))
        .openapi(OpenApi::new("Todos", "1.0").tag("todos", "The list"))
}
