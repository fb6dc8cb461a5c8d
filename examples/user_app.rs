//! A new user's first app: `cargo run --example user_app` serves it on 127.0.0.1:3000,
//! `cargo test --example user_app` tests it.

use lambda_router::extract::{Context, Json, Path, Query, Valid};
use lambda_router::middleware::from_fn;
use lambda_router::{App, BoxError, BuildError, Cors, Request, Response, ServiceError};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Clone)]
struct Caller(String);

#[derive(Deserialize, garde::Validate)]
struct NewTodo {
    #[garde(length(chars, min = 1, max = 100))]
    title: String,
}

#[derive(Deserialize)]
struct Page {
    limit: Option<u32>,
}

lambda_router::rebind!(NewTodo, Page);

fn create(Context(who): Context<&Caller>, Valid(Json(todo)): Valid<Json<NewTodo>>) -> Json<Value> {
    Json(json!({ "id": 1, "title": todo.title, "owner": who.0 }))
}

fn get_todo(Path(id): Path<u64>, Query(page): Query<Page>) -> Result<String, ServiceError> {
    match id {
        1 => Ok(format!("todo 1, limit {}", page.limit.unwrap_or(10))),
        _ => Err(ServiceError::not_found(format!("no todo {id}"))),
    }
}

async fn countdown(_: &Request<'_>) -> Response {
    Response::streaming(200, |mut body| async move {
        for n in (1..=3).rev() {
            body.send(format!("{n}\n")).await?;
        }
        Ok::<_, BoxError>(())
    })
}

fn app() -> Result<App, BuildError> {
    App::http_api()
        .cors(Cors::new().allow_origin("https://example.com"))
        .route_middleware(from_fn(|req, next| {
            Box::pin(async move {
                let Some(key) = req.header("x-api-key") else {
                    return Ok(Response::text(401, "no key"));
                };
                req.context_mut().insert(Caller(key.to_owned()));
                next.run(req).await
            })
        }))
        .post("/todos", create)
        .get("/todos/<id>", get_todo)
        .get("/countdown", countdown)
        .on_error(|e: &ServiceError, _: &Request<'_>| Response::text(e.status(), e.to_string()))
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Ok(lambda_router::run(app()?)?)
}

#[cfg(test)]
mod tests {
    use lambda_router::testing::{EventBuilder, call, http_api};
    use serde_json::{Value, json};

    fn ana(method: &str, path: &str) -> EventBuilder {
        let event = http_api().method(method).path(path);
        event.header("x-api-key", "ana")
    }

    #[test]
    fn create_needs_a_key_and_a_valid_title() {
        let app = super::app().unwrap();
        let created = call(&app, ana("POST", "/todos").body(r#"{"title":"a\"b"}"#));
        let expected = json!({ "id": 1, "title": "a\"b", "owner": "ana" });
        assert_eq!(created.json::<Value>().unwrap(), expected);
        assert_eq!(call(&app, ana("POST", "/todos").body("{}")).status(), 422);
        assert_eq!(call(&app, http_api().post("/todos")).status(), 401);
    }

    #[test]
    fn get_reads_path_and_query_and_the_error_handler_answers() {
        let app = super::app().unwrap();
        assert_eq!(
            call(&app, ana("GET", "/todos/1?limit=5")).text(),
            "todo 1, limit 5"
        );
        assert_eq!(call(&app, ana("GET", "/todos/2")).text(), "404 no todo 2");
    }

    #[test]
    fn preflights_pass_the_key_check_and_the_stream_counts_down() {
        let app = super::app().unwrap();
        assert_eq!(
            call(&app, http_api().method("OPTIONS").path("/todos")).status(),
            204
        );
        assert_eq!(call(&app, ana("GET", "/countdown")).text(), "3\n2\n1\n");
    }
}
