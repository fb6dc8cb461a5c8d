//! A todos API on an in-memory store: list, get, create, update, delete, under a router
//! with a prefix, with CORS, a not-found handler and an error handler.
//!
//! ```sh
//! cargo run --example todos              # the dev server on 127.0.0.1:3000 (PORT overrides)
//! curl localhost:3000/todos
//! curl -X POST localhost:3000/todos -d '{"title":"write docs"}'
//! curl -X PUT localhost:3000/todos/3 -d '{"title":"write docs","completed":true}'
//! curl -X DELETE localhost:3000/todos/3
//! ```
//!
//! In Lambda (behind API Gateway REST) the same binary serves invocations. `TODOS_SOURCE`
//! (`rest`, `http`, `alb`, `url`) picks another event source, for the emulator test.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use lambda_router::{App, AppBuilder, Cors, Json, Request, Response, Router, ServiceError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize)]
struct Todo {
    id: u64,
    title: String,
    completed: bool,
}

/// What a client sends to create or update a todo.
#[derive(Deserialize)]
struct TodoInput {
    title: String,
    #[serde(default)]
    completed: bool,
}

/// The errors of this API, answered by the app's error handler.
#[derive(Debug)]
enum TodoError {
    NotFound(u64),
    BadId(String),
    Invalid(String),
}

impl std::fmt::Display for TodoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound(id) => write!(f, "todo {id} not found"),
            Self::BadId(id) => write!(f, "`{id}` is not a todo id"),
            Self::Invalid(why) => write!(f, "invalid todo: {why}"),
        }
    }
}

impl std::error::Error for TodoError {}

/// The in-memory store (one per warm Lambda instance, or per dev server).
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

fn todo_id(req: &Request<'_>) -> Result<u64, TodoError> {
    let id = req.param("todo_id").unwrap_or_default();
    id.parse().map_err(|_| TodoError::BadId(id.to_owned()))
}

fn input(req: &Request<'_>) -> Result<TodoInput, TodoError> {
    req.json::<TodoInput>()
        .map_err(|e| TodoError::Invalid(e.to_string()))
}

/// The `/todos` routes, on a shared store.
fn todos_router(store: &Arc<Store>) -> Router {
    let (list, get, create, update, delete) = (
        Arc::clone(store),
        Arc::clone(store),
        Arc::clone(store),
        Arc::clone(store),
        Arc::clone(store),
    );
    Router::new()
        .get("/", move |req: &Request<'_>| {
            let done = req.query("completed").map(|v| v == "true");
            let todos: Vec<Todo> = list
                .read()
                .values()
                .filter(|t| done.is_none_or(|d| t.completed == d))
                .cloned()
                .collect();
            Json(todos)
        })
        .get("/<todo_id>", move |req: &Request<'_>| {
            let id = todo_id(req)?;
            let todo = get.read().get(&id).cloned();
            todo.map(Json).ok_or(TodoError::NotFound(id))
        })
        .post("/", move |req: &Request<'_>| {
            let todo = input(req)?;
            Ok::<_, TodoError>((201, Json(create.insert(todo.title, todo.completed))))
        })
        .put("/<todo_id>", move |req: &Request<'_>| {
            let id = todo_id(req)?;
            let new = input(req)?;
            let mut todos = update.write();
            let todo = todos.get_mut(&id).ok_or(TodoError::NotFound(id))?;
            todo.title = new.title;
            todo.completed = new.completed;
            Ok::<_, TodoError>(Json(todo.clone()))
        })
        .delete("/<todo_id>", move |req: &Request<'_>| {
            let id = todo_id(req)?;
            match delete.write().remove(&id) {
                Some(_) => Ok(Response::new(204)),
                None => Err(TodoError::NotFound(id)),
            }
        })
}

/// The app on `builder` (one per event source).
fn app(builder: AppBuilder) -> Result<App, lambda_router::BuildError> {
    let store = Arc::new(Store::seeded());
    builder
        .cors(Cors::new().allow_origin("*").max_age(300))
        .get("/health", |_: &Request<'_>| Response::text(200, "ok"))
        .include("/todos", todos_router(&store))
        .on_error(|error: &TodoError, _: &Request<'_>| {
            let status = match error {
                TodoError::NotFound(_) => 404,
                TodoError::BadId(_) | TodoError::Invalid(_) => 400,
            };
            ServiceError::new(status, error.to_string())
        })
        .not_found(|req: &Request<'_>| {
            Response::json(
                404,
                serde_json::json!({ "message": format!("no route for {} {}", req.method(), req.path()) }),
            )
        })
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let builder = match std::env::var("TODOS_SOURCE").as_deref() {
        Ok("http") => App::http_api(),
        Ok("alb") => App::alb(),
        Ok("url") => App::function_url(),
        _ => App::rest(),
    };
    lambda_router::run(app(builder)?)?;
    Ok(())
}
