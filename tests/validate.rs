//! `Valid<E>`: the constraints a type declares with garde are checked after extraction on
//! every input and every source, and every failure is one located error of the 422.
#![cfg(feature = "validate")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::extract::{Headers, Json, Path, Query, Valid, ValidationError};
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder, Request, Response};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, garde::Validate)]
struct NewTodo<'a> {
    #[garde(length(min = 1, max = 10))]
    title: &'a str,
    #[garde(range(min = 1, max = 5))]
    priority: u8,
    #[garde(pattern(r"^[a-z]+$"))]
    slug: &'a str,
    #[serde(default)]
    #[garde(length(max = 2), inner(length(min = 1)))]
    tags: Vec<&'a str>,
    #[garde(custom(not_reserved))]
    owner: &'a str,
    #[garde(inner(range(max = 100)))]
    estimate: Option<u32>,
    #[serde(default)]
    #[garde(dive)]
    steps: Vec<Step<'a>>,
}

#[derive(Deserialize, garde::Validate)]
struct Step<'a> {
    #[garde(length(min = 1))]
    name: &'a str,
}

fn not_reserved(owner: &&str, _: &()) -> garde::Result {
    if *owner == "root" {
        return Err(garde::Error::new("the owner `root` is reserved"));
    }
    Ok(())
}

#[derive(Deserialize, garde::Validate)]
struct Page {
    #[garde(range(min = 1, max = 50))]
    limit: u32,
}

#[derive(Deserialize, garde::Validate)]
struct Ids {
    #[garde(range(min = 1))]
    id: u64,
}

#[derive(Deserialize, garde::Validate)]
struct Auth<'a> {
    #[garde(length(min = 8))]
    x_api_key: &'a str,
}

/// Fields declared out of alphabetical order (garde checks by name), of every kind: a
/// required one, defaults, an `Option`, unconstrained ones.
#[derive(Deserialize, garde::Validate)]
struct Search<'a> {
    #[garde(length(min = 2))]
    q: &'a str,
    #[serde(default = "one")]
    #[garde(range(min = 1, max = 5))]
    limit: u8,
    #[garde(skip)]
    exact: Option<bool>,
    #[serde(default)]
    #[garde(range(max = 10))]
    page: u32,
    #[serde(default)]
    #[garde(skip)]
    done: bool,
}

fn one() -> u8 {
    1
}

lambda_router::rebind!(NewTodo<'a>, Page, Ids, Auth<'a>, Search<'a>);

fn search(Valid(Query(search)): Valid<Query<Search<'_>>>) -> String {
    format!(
        "{} {} {:?} {} {}",
        search.q, search.limit, search.exact, search.page, search.done
    )
}

fn create(Valid(Json(todo)): Valid<Json<NewTodo<'_>>>) -> Json<Value> {
    Json(json!({ "title": todo.title, "steps": todo.steps.len() }))
}

fn everything(
    Valid(Path(ids)): Valid<Path<Ids>>,
    Valid(Query(page)): Valid<Query<Page>>,
    Valid(Headers(auth)): Valid<Headers<Auth<'_>>>,
    Valid(Json(todo)): Valid<Json<NewTodo<'_>>>,
) -> String {
    format!(
        "{} {} {} {}",
        ids.id, page.limit, auth.x_api_key, todo.title
    )
}

/// Validated and unvalidated arguments side by side: the unvalidated one's errors join.
fn mixed(Path(id): Path<u64>, Valid(Query(page)): Valid<Query<Page>>) -> String {
    format!("{id} {}", page.limit)
}

async fn async_create(Valid(Json(todo)): Valid<Json<NewTodo<'_>>>) -> String {
    std::future::ready(()).await;
    todo.title.to_owned()
}

fn app(builder: AppBuilder) -> App {
    builder
        .post("/todos", create)
        .post("/everything/<id>", everything)
        .get("/mixed/<id>", mixed)
        .get("/search", search)
        .post("/async", async_create)
        .build()
        .unwrap()
}

fn sources() -> Vec<(&'static str, AppBuilder, EventBuilder)> {
    vec![
        ("rest", App::rest(), testing::rest()),
        ("http_api", App::http_api(), testing::http_api()),
        ("alb", App::alb(), testing::alb()),
        ("alb_multi_value", App::alb(), testing::alb_multi_value()),
        ("function_url", App::function_url(), testing::function_url()),
    ]
}

const VALID: &str = r#"{"title":"buy milk","priority":2,"slug":"milk","tags":["a"],"owner":"ann","estimate":5,"steps":[{"name":"go"}]}"#;

/// Replaces `field` of the valid todo with `value`.
fn todo_with(field: &str, value: Value) -> String {
    let mut todo: Value = serde_json::from_str(VALID).unwrap();
    todo[field] = value;
    todo.to_string()
}

/// The `(loc, type, msg)` of each 422 error, the same on every source.
fn errors_of(build: impl Fn(EventBuilder) -> EventBuilder) -> Vec<(Value, String, String)> {
    let mut seen: Option<Vec<(Value, String, String)>> = None;
    for (name, builder, event) in sources() {
        let response = testing::call(&app(builder), build(event));
        assert_eq!(response.status(), 422, "{name}: {}", response.text());
        let body: Value = response.json().unwrap();
        assert_eq!(body["statusCode"], 422, "{name}");
        let errors: Vec<_> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let text = |key: &str| e[key].as_str().unwrap().to_owned();
                (e["loc"].clone(), text("type"), text("msg"))
            })
            .collect();
        if let Some(seen) = &seen {
            assert_eq!(seen, &errors, "{name}");
        }
        seen = Some(errors);
    }
    seen.unwrap()
}

fn locs_and_types(errors: Vec<(Value, String, String)>) -> Vec<(Value, String)> {
    errors
        .into_iter()
        .map(|(loc, kind, _)| (loc, kind))
        .collect()
}

fn value_error(loc: Value) -> (Value, String) {
    (loc, "value_error".to_owned())
}

fn post_todo(body: String) -> impl Fn(EventBuilder) -> EventBuilder {
    move |e| e.post("/todos").body(body.clone())
}

#[test]
fn a_valid_request_reaches_the_handler_on_every_source() {
    for (name, builder, event) in sources() {
        let response = testing::call(&app(builder), event.post("/todos").body(VALID));
        assert_eq!(response.status(), 200, "{name}: {}", response.text());
        let body: Value = response.json().unwrap();
        assert_eq!(body, json!({ "title": "buy milk", "steps": 1 }), "{name}");
    }
}

#[test]
fn each_constraint_kind_is_one_located_value_error_with_garde_s_message() {
    let cases = [
        (
            "title",
            json!(""),
            json!(["body", "title"]),
            "length is lower than 1",
        ),
        (
            "title",
            json!("eleven char"),
            json!(["body", "title"]),
            "length is greater than 10",
        ),
        (
            "priority",
            json!(0),
            json!(["body", "priority"]),
            "lower than 1",
        ),
        (
            "priority",
            json!(6),
            json!(["body", "priority"]),
            "greater than 5",
        ),
        (
            "slug",
            json!("Milk!"),
            json!(["body", "slug"]),
            "does not match pattern /^[a-z]+$/",
        ),
        (
            "tags",
            json!(["a", "b", "c"]),
            json!(["body", "tags"]),
            "length is greater than 2",
        ),
        (
            "tags",
            json!(["a", ""]),
            json!(["body", "tags", 1]),
            "length is lower than 1",
        ),
        (
            "owner",
            json!("root"),
            json!(["body", "owner"]),
            "the owner `root` is reserved",
        ),
        (
            "estimate",
            json!(101),
            json!(["body", "estimate"]),
            "greater than 100",
        ),
        (
            "steps",
            json!([{ "name": "a" }, { "name": "" }]),
            json!(["body", "steps", 1, "name"]),
            "length is lower than 1",
        ),
    ];
    for (field, value, loc, msg) in cases {
        let errors = errors_of(post_todo(todo_with(field, value.clone())));
        let expected = (loc, "value_error".to_owned(), msg.to_owned());
        assert_eq!(errors, [expected], "{field} = {value}");
    }
}

#[test]
fn the_bounds_themselves_are_valid() {
    for (field, value) in [
        ("title", json!("ten chars!")),
        ("priority", json!(5)),
        ("estimate", Value::Null),
        ("tags", json!([])),
    ] {
        for (name, builder, event) in sources() {
            let body = todo_with(field, value.clone());
            let response = testing::call(&app(builder), event.post("/todos").body(body));
            assert_eq!(
                response.status(),
                200,
                "{name} {field}: {}",
                response.text()
            );
        }
    }
}

#[test]
fn every_broken_field_of_every_input_is_listed_at_once() {
    let mut todo: Value = serde_json::from_str(VALID).unwrap();
    todo["title"] = json!("");
    todo["priority"] = json!(9);
    let errors = errors_of(|e| {
        e.post("/everything/0")
            .query("limit", "51")
            .header("X-Api-Key", "short")
            .body(todo.to_string())
    });
    // Inputs in argument order; one input's errors in its fields' declared order.
    assert_eq!(
        locs_and_types(errors),
        [
            value_error(json!(["path", "id"])),
            value_error(json!(["query", "limit"])),
            value_error(json!(["header", "x_api_key"])),
            value_error(json!(["body", "title"])),
            value_error(json!(["body", "priority"])),
        ]
    );
}

/// As pydantic reads a model: a field that cannot be read hides no other field's error
/// (reading errors and failed constraints together), every field's errors come in the
/// order the type declares its fields, and an integer too large for its type fails the
/// type's bound, not the parsing.
#[test]
fn reading_errors_and_constraints_of_one_input_come_together_in_declared_order() {
    let error = |field: &str, kind: &str| (json!(["query", field]), kind.to_owned());
    #[rustfmt::skip]
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<(Value, String)>);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![("limit", "9"), ("q", "x")],
            vec![error("q", "value_error"), error("limit", "value_error")],
        ),
        (
            vec![("exact", "perhaps"), ("limit", "0")],
            vec![
                error("q", "missing"),
                error("limit", "value_error"),
                error("exact", "bool_parsing"),
            ],
        ),
        (
            vec![("page", "11"), ("limit", "abc"), ("q", "x")],
            vec![
                error("q", "value_error"),
                error("limit", "int_parsing"),
                error("page", "value_error"),
            ],
        ),
        (
            vec![("done", "x"), ("exact", "maybe"), ("q", "ok")],
            vec![
                error("exact", "bool_parsing"),
                error("done", "bool_parsing"),
            ],
        ),
        (
            vec![("page", "99999999999999999999999"), ("q", "ok")],
            vec![error("page", "less_than_equal")],
        ),
        (
            vec![
                ("page", "-99999999999999999999999"),
                ("limit", "-1"),
                ("q", "ok"),
            ],
            vec![
                error("limit", "greater_than_equal"),
                error("page", "greater_than_equal"),
            ],
        ),
    ];
    for (query, expected) in cases {
        let errors = errors_of(|mut e| {
            e = e.get("/search");
            for (name, value) in &query {
                e = e.query(name, value);
            }
            e
        });
        assert_eq!(locs_and_types(errors), expected, "{query:?}");
    }
}

#[test]
fn validation_errors_join_the_extraction_errors_of_other_arguments() {
    let errors = errors_of(|e| e.get("/mixed/x").query("limit", "0"));
    assert_eq!(
        locs_and_types(errors),
        [
            (json!(["path", "id"]), "int_parsing".to_owned()),
            value_error(json!(["query", "limit"])),
        ]
    );
    // An input that cannot be read is not validated: its reading error alone.
    let errors = errors_of(|e| e.get("/mixed/1").query("limit", "many"));
    assert_eq!(
        locs_and_types(errors),
        [(json!(["query", "limit"]), "int_parsing".to_owned())]
    );
}

#[test]
fn async_handlers_validate_too() {
    for (name, builder, event) in sources() {
        let app = app(builder);
        let response = testing::call(&app, event.clone().post("/async").body(VALID));
        assert_eq!(
            (response.status(), response.text().as_ref()),
            (200, "buy milk"),
            "{name}"
        );
        let body = todo_with("slug", json!("UP"));
        let response = testing::call(&app, event.post("/async").body(body));
        assert_eq!(response.status(), 422, "{name}");
        let body: Value = response.json().unwrap();
        assert_eq!(body["detail"][0]["loc"], json!(["body", "slug"]), "{name}");
    }
}

#[test]
fn the_app_can_replace_the_422_of_a_constraint() {
    let app = App::http_api()
        .post("/todos", create)
        .on_error(|invalid: &ValidationError, _: &Request<'_>| {
            let fields: Vec<String> = invalid
                .errors()
                .iter()
                .map(|e| format!("{:?}", e.loc))
                .collect();
            Response::text(400, fields.join(";"))
        })
        .build()
        .unwrap();
    let body = todo_with("priority", json!(0));
    let response = testing::call(&app, testing::http_api().post("/todos").body(body));
    assert_eq!(
        (response.status(), response.text().as_ref()),
        (400, r#"[Key("body"), Key("priority")]"#)
    );
}
