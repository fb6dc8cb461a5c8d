//! The same app on lambda_http 1.3 + axum 0.8, driven as lambda_http's run loop drives
//! it: deserialize the event into `LambdaRequest`, convert it into an `http::Request`,
//! call the axum `Router` (through lambda_http's `Adapter`), convert the response into a
//! `LambdaResponse`, serialize it. (The peer gets no CORS layer: it does less work.)

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lambda_http::request::LambdaRequest;
use lambda_http::tower::Service;
use lambda_http::{Adapter, Context, LambdaEvent};
use serde::{Deserialize, Serialize};

use crate::ours::TITLE;

#[derive(Serialize)]
struct Todo {
    id: u64,
    #[serde(rename = "userId")]
    user_id: u64,
    title: &'static str,
    completed: bool,
}

#[derive(Deserialize)]
struct NewTodo {
    title: String,
    #[serde(default)]
    completed: bool,
}

#[derive(Serialize)]
struct Created {
    id: u64,
    title: String,
    completed: bool,
}

#[derive(Serialize)]
struct UserTodo {
    #[serde(rename = "userId")]
    user_id: String,
    #[serde(rename = "todoId")]
    todo_id: String,
}

#[derive(Serialize)]
struct Named {
    name: &'static str,
    ok: bool,
}

async fn list_todos() -> Json<[Todo; 2]> {
    Json([
        Todo {
            id: 1,
            user_id: 1,
            title: TITLE,
            completed: false,
        },
        Todo {
            id: 2,
            user_id: 1,
            title: TITLE,
            completed: true,
        },
    ])
}

async fn get_todo(Path(id): Path<u64>) -> Json<Todo> {
    Json(Todo {
        id,
        user_id: 1,
        title: TITLE,
        completed: false,
    })
}

async fn create_todo(Json(new): Json<NewTodo>) -> (StatusCode, Json<Created>) {
    (
        StatusCode::CREATED,
        Json(Created {
            id: 124,
            title: new.title,
            completed: new.completed,
        }),
    )
}

async fn update_todo(Path(id): Path<u64>) -> Json<Todo> {
    Json(Todo {
        id,
        user_id: 1,
        title: TITLE,
        completed: true,
    })
}

async fn delete_todo() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn user_todo(Path((user_id, todo_id)): Path<(String, String)>) -> Json<UserTodo> {
    Json(UserTodo { user_id, todo_id })
}

fn named(name: &'static str) -> axum::routing::MethodRouter {
    get(move || async move { Json(Named { name, ok: true }) })
}

async fn caught(Path(rest): Path<String>) -> Json<String> {
    Json(format!("/catch/{rest}"))
}

pub fn router() -> Router {
    Router::new()
        .route("/todos", get(list_todos).post(create_todo))
        .route(
            "/todos/{id}",
            get(get_todo).put(update_todo).delete(delete_todo),
        )
        .route("/users/{user_id}/todos/{todo_id}", get(user_todo))
        .route("/health", get(|| async { "ok" }))
        .route("/about", named("about"))
        .route("/status", named("status"))
        .route("/version", named("version"))
        .route("/metrics", named("metrics"))
        .route("/config", named("config"))
        .route("/catch/{*rest}", get(caught))
}

/// One invocation: event bytes in, response JSON bytes out.
pub struct Peer {
    adapter: Adapter<'static, axum::response::Response, Router>,
    runtime: tokio::runtime::Runtime,
}

impl Peer {
    // Not `Default`: it sets a process-wide environment variable.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        // lambda_http puts the REST stage (`/prod`) in front of the path unless told not
        // to; its documented switch is this variable (our app routes the stage-less path).
        #[allow(unsafe_code)]
        // SAFETY: called before the benchmark starts any thread; nothing reads the
        // environment concurrently.
        unsafe {
            std::env::set_var("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "1");
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        Self {
            adapter: Adapter::from(router()),
            runtime,
        }
    }

    pub fn invoke(&mut self, event: &[u8]) -> Vec<u8> {
        let payload: LambdaRequest =
            serde_json::from_slice(event).expect("lambda_http reads the event");
        let event = LambdaEvent::new(payload, Context::default());
        let adapter = &mut self.adapter;
        let response = self
            .runtime
            .block_on(async move { adapter.call(event).await })
            .expect("infallible");
        serde_json::to_vec(&response).expect("serializes")
    }
}
