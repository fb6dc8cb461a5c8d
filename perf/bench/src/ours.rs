//! The bench app on lambda-router. Handlers allocate nothing: ids are parsed, bodies
//! borrowed from the request, texts static.

use std::borrow::Cow;

use lambda_router::{
    App, AppBuilder, Cors, Json, JsonBodyError, Request, Response, ServiceError, Source,
};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct Todo {
    pub id: u64,
    #[serde(rename = "userId")]
    pub user_id: u64,
    pub title: &'static str,
    pub completed: bool,
}

#[derive(Deserialize, Serialize)]
pub struct NewTodo<'a> {
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(default)]
    pub completed: bool,
}

#[derive(Serialize)]
pub struct Created<'a> {
    pub id: u64,
    pub title: Cow<'a, str>,
    pub completed: bool,
}

#[derive(Serialize)]
pub struct UserTodo<'a> {
    #[serde(rename = "userId")]
    pub user_id: &'a str,
    #[serde(rename = "todoId")]
    pub todo_id: &'a str,
}

#[derive(Serialize)]
pub struct Named {
    pub name: &'static str,
    pub ok: bool,
}

pub const TITLE: &str = "Prepare the quarterly infrastructure review";

fn todo_id(req: &Request<'_>) -> Result<u64, ServiceError> {
    req.param("id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| ServiceError::bad_request("id must be a number"))
}

fn list_todos(_: &Request<'_>) -> Json<[Todo; 2]> {
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

fn get_todo(req: &Request<'_>) -> Result<Json<Todo>, ServiceError> {
    Ok(Json(Todo {
        id: todo_id(req)?,
        user_id: 1,
        title: TITLE,
        completed: false,
    }))
}

fn create_todo<'r>(req: &'r Request<'r>) -> Result<(u16, Json<Created<'r>>), JsonBodyError> {
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

fn update_todo(req: &Request<'_>) -> Result<Json<Todo>, ServiceError> {
    Ok(Json(Todo {
        id: todo_id(req)?,
        user_id: 1,
        title: TITLE,
        completed: true,
    }))
}

fn delete_todo(_: &Request<'_>) -> Response {
    Response::new(204)
}

fn user_todo<'r>(req: &'r Request<'r>) -> Json<UserTodo<'r>> {
    Json(UserTodo {
        user_id: req.param("user_id").unwrap_or_default(),
        todo_id: req.param("todo_id").unwrap_or_default(),
    })
}

fn named(name: &'static str) -> impl Fn(&Request<'_>) -> Json<Named> + Send + Sync + 'static {
    move |_| Json(Named { name, ok: true })
}

fn caught<'r>(req: &'r Request<'r>) -> Json<&'r str> {
    Json(req.path())
}

/// The bench routes on a builder (also used by the route-table bench).
pub fn routes(app: AppBuilder) -> AppBuilder {
    app.get("/todos", list_todos)
        .get("/todos/<id>", get_todo)
        .post("/todos", create_todo)
        .put("/todos/<id>", update_todo)
        .delete("/todos/<id>", delete_todo)
        .get("/users/<user_id>/todos/<todo_id>", user_todo)
        .get("/health", |_: &Request<'_>| "ok")
        .get("/about", named("about"))
        .get("/status", named("status"))
        .get("/version", named("version"))
        .get("/metrics", named("metrics"))
        .get("/config", named("config"))
        .get("/catch/.+", caught)
}

/// The bench app for any source (`App::any()`).
pub fn app_any() -> App {
    routes(App::any().cors(Cors::new().allow_origin("https://app.example.com")))
        .build()
        .expect("the bench app builds")
}

pub fn app(source: Source) -> App {
    let builder = App::for_source(source);
    routes(builder.cors(Cors::new().allow_origin("https://app.example.com")))
        .build()
        .expect("the bench app builds")
}
