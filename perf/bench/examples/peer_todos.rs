//! The peer of the cold-start comparison (`perf/RESULTS.md`, "Cold start"): the todos API
//! of `examples/todos.rs` written as a Rust user would without this crate, with
//! `lambda_http` 1.3 and `axum` 0.8 on the same current-thread tokio runtime. It has no
//! CORS layer (that would need `tower-http`); everything else matches.
//!
//! ```sh
//! cargo build --release -p lambda-router-perf --example peer_todos
//! ```

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize)]
struct Todo {
    id: u64,
    title: String,
    completed: bool,
}

#[derive(Deserialize)]
struct TodoInput {
    title: String,
    #[serde(default)]
    completed: bool,
}

#[derive(Deserialize)]
struct Filter {
    completed: Option<bool>,
}

#[derive(Default)]
struct Store {
    todos: RwLock<BTreeMap<u64, Todo>>,
    next_id: AtomicU64,
}

type Shared = Arc<Store>;

impl Store {
    fn insert(&self, title: String, completed: bool) -> Todo {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let todo = Todo {
            id,
            title,
            completed,
        };
        self.todos
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, todo.clone());
        todo
    }
}

fn not_found(id: u64) -> Response {
    let body = serde_json::json!({ "statusCode": 404, "message": format!("todo {id} not found") });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

async fn list(State(store): State<Shared>, Query(filter): Query<Filter>) -> Json<Vec<Todo>> {
    let todos = store.todos.read().unwrap_or_else(|e| e.into_inner());
    Json(
        todos
            .values()
            .filter(|t| filter.completed.is_none_or(|d| t.completed == d))
            .cloned()
            .collect(),
    )
}

async fn get_one(State(store): State<Shared>, Path(id): Path<u64>) -> Response {
    let todos = store.todos.read().unwrap_or_else(|e| e.into_inner());
    match todos.get(&id) {
        Some(todo) => Json(todo.clone()).into_response(),
        None => not_found(id),
    }
}

async fn create(State(store): State<Shared>, Json(input): Json<TodoInput>) -> Response {
    let todo = store.insert(input.title, input.completed);
    (StatusCode::CREATED, Json(todo)).into_response()
}

async fn update(
    State(store): State<Shared>,
    Path(id): Path<u64>,
    Json(input): Json<TodoInput>,
) -> Response {
    let mut todos = store.todos.write().unwrap_or_else(|e| e.into_inner());
    match todos.get_mut(&id) {
        Some(todo) => {
            todo.title = input.title;
            todo.completed = input.completed;
            Json(todo.clone()).into_response()
        }
        None => not_found(id),
    }
}

async fn delete(State(store): State<Shared>, Path(id): Path<u64>) -> Response {
    let removed = store
        .todos
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id);
    match removed {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => not_found(id),
    }
}

fn main() -> Result<(), lambda_http::Error> {
    let store = Shared::default();
    for title in ["buy milk", "walk the dog"] {
        store.insert(title.to_owned(), false);
    }
    let todos = Router::new()
        .route("/", get(list).post(create))
        .route("/{id}", get(get_one).put(update).delete(delete));
    let app = Router::new()
        .route("/health", get(|| async { "ok" }))
        .nest("/todos", todos)
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(serde_json::json!({ "message": "not found" })),
            )
        })
        .with_state(store);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(lambda_http::run(app))
}
