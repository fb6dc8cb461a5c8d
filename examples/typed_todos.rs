//! The todos API of `examples/todos.rs` on typed routes: handlers take the state, path,
//! query and validated body by type; every route is documented in an OpenAPI 3.1
//! document, with Swagger UI to read it; a method a path does not have answers 405.
//!
//! ```sh
//! cargo run --example typed_todos        # the dev server on 127.0.0.1:3000 (PORT overrides)
//! curl localhost:3000/openapi.json       # the document; Swagger UI at /swagger
//! cargo run --example typed_todos --features swagger-ui-embedded   # Swagger UI offline
//! curl -i -X POST localhost:3000/todos -d '{"title":"write docs"}'   # 201, Location
//! curl -i -X POST localhost:3000/todos -d '{"title":5}'              # 422
//! curl -i -X PATCH localhost:3000/todos/1                            # 405, Allow
//! ```
//!
//! In Lambda (behind API Gateway REST) the same binary serves invocations. `TODOS_SOURCE`
//! (`http`, `alb`, `url`, `lattice`, `lattice_v2`) picks another event source, which the dev
//! server then renders its requests as (`tests/openapi_judges.sh` runs each).

use std::collections::BTreeMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_router::extract::{Path, Query, State, Valid};
use lambda_router::openapi::{OpenApi, Operation};
use lambda_router::{App, Json, Response, Router, ServiceError, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A todo, as the API answers it.
#[derive(Clone, Serialize, JsonSchema)]
struct Todo {
    id: u64,
    title: String,
    completed: bool,
}

/// What a client sends to create or replace a todo.
#[derive(Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({ "title": "write docs", "completed": false }))]
struct TodoInput {
    /// What to do: 1 to 200 characters.
    #[garde(length(chars, min = 1, max = 200))]
    title: String,
    /// Whether it is done (`false` when left out).
    #[serde(default)]
    #[garde(skip)]
    completed: bool,
}

/// The filter of the list.
#[derive(Deserialize, JsonSchema, garde::Validate)]
struct Filter {
    /// Only the todos done (`true`) or not (`false`).
    #[garde(skip)]
    completed: Option<bool>,
    /// At most this many todos (1 to 100).
    #[garde(range(min = 1, max = 100))]
    limit: Option<u32>,
}

lambda_router::rebind!(documented: TodoInput, Filter);

/// The in-memory store (one per warm Lambda instance, or per dev server), the app's state.
#[derive(Default)]
struct Store {
    todos: RwLock<BTreeMap<u64, Todo>>,
    next_id: AtomicU64,
}

impl Store {
    fn seeded() -> Self {
        let store = Self::default();
        for title in ["buy milk", "walk the dog"] {
            store.insert(title.to_owned(), false);
        }
        store
    }

    fn insert(&self, title: String, completed: bool) -> Todo {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let todo = Todo {
            id,
            title,
            completed,
        };
        self.write().insert(id, todo.clone());
        todo
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<u64, Todo>> {
        self.todos.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<u64, Todo>> {
        self.todos.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn not_found(id: u64) -> ServiceError {
    ServiceError::not_found(format!("todo {id} not found"))
}

fn list(
    State(store): State<&Store>,
    Valid(Query(filter)): Valid<Query<Filter>>,
) -> Json<Vec<Todo>> {
    let limit = filter.limit.map_or(usize::MAX, |limit| limit as usize);
    let todos = store
        .read()
        .values()
        .filter(|todo| filter.completed.is_none_or(|done| todo.completed == done))
        .take(limit)
        .cloned()
        .collect();
    Json(todos)
}

fn get(State(store): State<&Store>, Path(id): Path<u64>) -> Result<Json<Todo>, ServiceError> {
    let todo = store.read().get(&id).cloned();
    todo.map(Json).ok_or_else(|| not_found(id))
}

fn create(
    State(store): State<&Store>,
    Valid(Json(new)): Valid<Json<TodoInput>>,
) -> Response<Json<Todo>> {
    let todo = store.insert(new.title, new.completed);
    let location = format!("/todos/{}", todo.id);
    Response::json(201, todo).header("Location", location)
}

fn replace(
    State(store): State<&Store>,
    Path(id): Path<u64>,
    Valid(Json(new)): Valid<Json<TodoInput>>,
) -> Result<Json<Todo>, ServiceError> {
    let mut todos = store.write();
    let todo = todos.get_mut(&id).ok_or_else(|| not_found(id))?;
    todo.title = new.title;
    todo.completed = new.completed;
    Ok(Json(todo.clone()))
}

fn delete(State(store): State<&Store>, Path(id): Path<u64>) -> Result<Response, ServiceError> {
    match store.write().remove(&id) {
        Some(_) => Ok(Response::new(204)),
        None => Err(not_found(id)),
    }
}

/// The `/todos` routes, each with its OpenAPI metadata.
fn todos_router() -> Router {
    let todo = |summary: &str, id: &str| {
        Operation::new()
            .summary(summary)
            .tag("todos")
            .operation_id(id)
    };
    Router::new()
        .get("/", list)
        .doc(todo("List the todos", "listTodos").returns::<Vec<Todo>>(200, "The todos, by id"))
        .post("/", create)
        .doc(
            todo("Create a todo", "createTodo")
                .returns::<Todo>(201, "The todo created")
                .response_header(201, "Location", "The todo's URL"),
        )
        .get("/<todo_id>", get)
        .doc(
            todo("Read a todo", "getTodo")
                .returns::<Todo>(200, "The todo")
                .error(404, "No such todo"),
        )
        .put("/<todo_id>", replace)
        .doc(
            todo("Replace a todo", "replaceTodo")
                .returns::<Todo>(200, "The todo replaced")
                .error(404, "No such todo"),
        )
        .delete("/<todo_id>", delete)
        .doc(
            todo("Delete a todo", "deleteTodo")
                .response(204, "Deleted")
                .error(404, "No such todo"),
        )
}

fn app(source: Source) -> Result<App, lambda_router::BuildError> {
    App::for_source(source)
        .state(Store::seeded())
        .method_not_allowed(true)
        .get("/health", |_: &lambda_router::Request<'_>| "ok")
        .doc(
            Operation::new()
                .summary("Health check")
                .returns_text(200, "The service is up"),
        )
        .include("/todos", todos_router())
        .openapi(openapi())
        .build()
}

/// Swagger UI loads its files from a CDN; built with `--features swagger-ui-embedded`, the
/// app serves them itself and the page works offline.
fn openapi() -> OpenApi {
    let openapi = OpenApi::new("Todos", "1.0.0")
        .description("A todo list, on typed routes")
        .tag("todos", "The todo list");
    #[cfg(feature = "swagger-ui-embedded")]
    let openapi = openapi.swagger_ui(lambda_router::openapi::SwaggerUi::embedded());
    openapi
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = match std::env::var("TODOS_SOURCE").as_deref() {
        Ok("http") => Source::HttpV2,
        Ok("alb") => Source::Alb,
        Ok("url") => Source::FunctionUrl,
        Ok("lattice") => Source::VpcLattice,
        Ok("lattice_v2") => Source::VpcLatticeV2,
        _ => Source::RestV1,
    };
    lambda_router::run(app(source)?)?;
    Ok(())
}
