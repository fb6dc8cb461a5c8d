//! Typed handlers: each extractor reads its input on every source, and what it cannot read
//! answers 422 with Powertools' shape, every error of every argument at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::borrow::Cow;
use std::collections::BTreeMap;

use lambda_router::extract::{Headers, Json, Path, Query, State, ValidationError};
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder, LambdaContext, Request, Response, ServiceError};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct NewTodo<'a> {
    /// A `Cow`: the tests send titles with escapes, which a `&str` cannot borrow.
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(default)]
    tags: Vec<&'a str>,
    priority: Option<u8>,
}

#[derive(Deserialize)]
struct Page {
    limit: u32,
    #[serde(default)]
    tag: Vec<String>,
    desc: Option<bool>,
}

#[derive(Deserialize)]
struct Ids<'a> {
    list: &'a str,
    id: u64,
}

#[derive(Deserialize)]
struct Auth<'a> {
    x_api_key: &'a str,
    accept: Option<&'a str>,
}

lambda_router::rebind!(NewTodo<'a>, Page, Ids<'a>, Auth<'a>);

struct Store {
    name: &'static str,
}

fn one_param(Path(id): Path<u64>) -> Json<Value> {
    Json(json!({ "id": id }))
}

fn params_struct(Path(ids): Path<Ids<'_>>) -> Json<Value> {
    Json(json!({ "list": ids.list, "id": ids.id }))
}

fn params_tuple(Path((list, id)): Path<(&str, u64)>) -> Json<Value> {
    Json(json!({ "list": list, "id": id }))
}

fn query(Query(page): Query<Page>) -> Json<Value> {
    Json(json!({ "limit": page.limit, "tag": page.tag, "desc": page.desc }))
}

fn query_map(Query(all): Query<BTreeMap<&str, &str>>) -> Json<Value> {
    Json(json!(all))
}

fn headers(Headers(auth): Headers<Auth<'_>>) -> Json<Value> {
    Json(json!({ "key": auth.x_api_key, "accept": auth.accept }))
}

fn create(
    State(store): State<&Store>,
    Path(list): Path<&str>,
    Json(todo): Json<NewTodo<'_>>,
) -> Response<Json<Value>> {
    let todo = json!({
        "store": store.name, "list": list, "title": todo.title, "tags": todo.tags,
        "priority": todo.priority,
    });
    Response::json(201, todo)
}

fn everything(
    Path(id): Path<u64>,
    Query(page): Query<Page>,
    Headers(auth): Headers<Auth<'_>>,
    Json(todo): Json<NewTodo<'_>>,
) -> String {
    format!("{id} {} {} {}", page.limit, auth.x_api_key, todo.title)
}

fn context_and_request(lambda: &LambdaContext, req: &Request<'_>) -> String {
    format!("{} {}", lambda.request_id, req.path())
}

async fn async_typed(Path(id): Path<u64>, Json(todo): Json<NewTodo<'_>>) -> String {
    std::future::ready(()).await;
    format!("{id}:{}", todo.title)
}

fn no_arguments() -> &'static str {
    "none"
}

fn fallible(Path(id): Path<u64>) -> Result<String, ServiceError> {
    if id == 0 {
        return Err(ServiceError::not_found("no todo 0"));
    }
    Ok(id.to_string())
}

fn plain(req: &Request<'_>) -> String {
    format!("plain {}", req.param("id").unwrap_or_default())
}

fn app(builder: AppBuilder) -> App {
    builder
        .state(Store { name: "main" })
        .get("/one/<id>", one_param)
        .get("/struct/<list>/<id>", params_struct)
        .get("/tuple/<list>/<id>", params_tuple)
        .get("/query", query)
        .get("/query-map", query_map)
        .get("/headers", headers)
        .post("/lists/<list>", create)
        .post("/everything/<id>", everything)
        .get("/context", context_and_request)
        .post("/async/<id>", async_typed)
        .get("/none", no_arguments)
        .get("/fallible/<id>", fallible)
        .get("/plain/<id>", plain)
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

/// Calls `event` on every source's app; the status and JSON (or text) body of each.
fn on_every_source(build: impl Fn(EventBuilder) -> EventBuilder) -> Vec<(u16, Value)> {
    on_named_sources(build)
        .into_iter()
        .map(|(_, status, body)| (status, body))
        .collect()
}

fn on_named_sources(
    build: impl Fn(EventBuilder) -> EventBuilder,
) -> Vec<(&'static str, u16, Value)> {
    sources()
        .into_iter()
        .map(|(name, builder, event)| {
            let response = testing::call(&app(builder), build(event));
            let body = response
                .json::<Value>()
                .unwrap_or_else(|_| Value::String(response.text().into_owned()));
            eprintln!("{name}: {} {body}", response.status());
            (name, response.status(), body)
        })
        .collect()
}

fn assert_every_source(build: impl Fn(EventBuilder) -> EventBuilder, status: u16, body: &Value) {
    for (got_status, got_body) in on_every_source(build) {
        assert_eq!((got_status, &got_body), (status, body));
    }
}

#[test]
fn path_parameters_one_struct_tuple() {
    assert_every_source(|e| e.get("/one/42"), 200, &json!({ "id": 42 }));
    let both = json!({ "list": "home", "id": 7 });
    assert_every_source(|e| e.get("/struct/home/7"), 200, &both);
    assert_every_source(|e| e.get("/tuple/home/7"), 200, &both);
}

#[test]
fn query_struct_with_repeated_keys_and_map() {
    // HTTP API and Function URLs carry a repeated key comma-joined, REST and ALB's
    // multi-value mode as a list: each reads both values. ALB's single-value mode carries
    // only the last one.
    for (name, status, body) in on_named_sources(|e| {
        e.get("/query")
            .query("limit", "10")
            .query("tag", "a")
            .query("tag", "b")
            .query("desc", "true")
    }) {
        let tags = if name == "alb" {
            json!(["b"])
        } else {
            json!(["a", "b"])
        };
        let expected = json!({ "limit": 10, "tag": tags, "desc": true });
        assert_eq!((status, body), (200, expected), "{name}");
    }
    assert_every_source(
        |e| e.get("/query").query("limit", "3"),
        200,
        &json!({ "limit": 3, "tag": [], "desc": null }),
    );
    assert_every_source(
        |e| e.get("/query-map").query("a", "1").query("b", "2"),
        200,
        &json!({ "a": "1", "b": "2" }),
    );
}

#[test]
fn headers_by_field_name_with_dashes() {
    assert_every_source(
        |e| e.get("/headers").header("X-Api-Key", "k1"),
        200,
        &json!({ "key": "k1", "accept": null }),
    );
}

#[test]
fn state_path_and_borrowed_body_together() {
    let body = r#"{"title":"write \"docs\"","tags":["a","b"],"priority":2}"#;
    assert_every_source(
        |e| e.post("/lists/home").body(body),
        201,
        &json!({
            "store": "main", "list": "home", "title": "write \"docs\"", "tags": ["a", "b"],
            "priority": 2,
        }),
    );
}

#[test]
fn context_request_async_no_arguments_and_plain_handlers() {
    let text = |s: &str| Value::String(s.to_owned());
    assert_every_source(|e| e.get("/context"), 200, &text("test-request /context"));
    assert_every_source(
        |e| e.post("/async/5").body(r#"{"title":"t"}"#),
        200,
        &text("5:t"),
    );
    assert_every_source(|e| e.get("/none"), 200, &text("none"));
    assert_every_source(|e| e.get("/plain/9"), 200, &text("plain 9"));
    // The text answer "3" reads back as JSON.
    assert_every_source(|e| e.get("/fallible/3"), 200, &json!(3));
    assert_every_source(
        |e| e.get("/fallible/0"),
        404,
        &json!({ "statusCode": 404, "message": "no todo 0" }),
    );
}

fn detail(body: &Value) -> Vec<(Value, String)> {
    body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["loc"].clone(), e["type"].as_str().unwrap().to_owned()))
        .collect()
}

/// What the 422 of `event` lists, the same on every source.
fn errors_of(build: impl Fn(EventBuilder) -> EventBuilder) -> Vec<(Value, String)> {
    let answers = on_every_source(build);
    let (status, body) = answers.first().cloned().unwrap();
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["statusCode"], 422);
    for (other_status, other_body) in &answers {
        assert_eq!((*other_status, other_body), (status, &body));
    }
    detail(&body)
}

fn err(loc: Value, kind: &str) -> (Value, String) {
    (loc, kind.to_owned())
}

#[test]
fn each_error_type_is_located() {
    assert_eq!(
        errors_of(|e| e.get("/one/x")),
        [err(json!(["path", "id"]), "int_parsing")]
    );
    assert_eq!(
        errors_of(|e| e.get("/struct/home/x")),
        [err(json!(["path", "id"]), "int_parsing")]
    );
    assert_eq!(
        errors_of(|e| e.get("/query")),
        [err(json!(["query", "limit"]), "missing")]
    );
    assert_eq!(
        errors_of(|e| e.get("/query").query("limit", "1").query("desc", "maybe")),
        [err(json!(["query", "desc"]), "bool_parsing")]
    );
    assert_eq!(
        errors_of(|e| e.get("/headers")),
        [err(json!(["header", "x_api_key"]), "missing")]
    );
    let body = |text: &'static str| move |e: EventBuilder| e.post("/lists/l").body(text);
    assert_eq!(errors_of(body("")), [err(json!(["body"]), "missing")]);
    assert_eq!(
        errors_of(body("{\"title\":")),
        [err(json!(["body"]), "json_invalid")]
    );
    assert_eq!(
        errors_of(body("{}")),
        [err(json!(["body", "title"]), "missing")]
    );
    assert_eq!(
        errors_of(body(r#"{"title":5}"#)),
        [err(json!(["body", "title"]), "string_type")]
    );
    assert_eq!(
        errors_of(body(r#"{"title":"t","tags":["a",3]}"#)),
        [err(json!(["body", "tags", 1]), "string_type")]
    );
    assert_eq!(
        errors_of(body(r#"{"title":"t","priority":300}"#)),
        [err(json!(["body", "priority"]), "less_than_equal")]
    );
    // An integer too long for serde_json's integers is still one, out of range.
    assert_eq!(
        errors_of(body(r#"{"title":"t","priority":99999999999999999999999}"#)),
        [err(json!(["body", "priority"]), "less_than_equal")]
    );
    assert_eq!(
        errors_of(body(r#"{"title":"t","priority":2.5}"#)),
        [err(json!(["body", "priority"]), "int_type")]
    );
    assert_eq!(
        errors_of(body("[1]")),
        [err(json!(["body", 0]), "string_type")]
    );
    assert_eq!(errors_of(body("7")), [err(json!(["body"]), "model_type")]);
}

#[test]
fn every_argument_s_errors_are_listed_at_once() {
    let errors = errors_of(|e| e.post("/everything/x").query("limit", "y").body("{}"));
    assert_eq!(
        errors,
        [
            err(json!(["path", "id"]), "int_parsing"),
            err(json!(["query", "limit"]), "int_parsing"),
            err(json!(["header", "x_api_key"]), "missing"),
            err(json!(["body", "title"]), "missing"),
        ]
    );
}

#[test]
fn the_app_can_replace_the_422() {
    let app = App::rest()
        .post("/lists/<list>", |Path(list): Path<&str>| list.to_owned())
        .get("/one/<id>", one_param)
        .on_error(|invalid: &ValidationError, _: &Request<'_>| {
            Response::text(400, format!("{} errors", invalid.errors().len()))
        })
        .build()
        .unwrap();
    let response = testing::call(&app, testing::rest().get("/one/x"));
    assert_eq!(
        (response.status(), response.text().as_ref()),
        (400, "1 errors")
    );
}

/// Every request would fail: `build()` refuses the app, naming the route and the type.
#[test]
fn a_state_the_app_lacks_is_a_build_error_naming_it() {
    let error = App::rest()
        .get("/s", |State(store): State<&Store>| store.name)
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("GET /s"), "{error}");
    assert!(error.contains("State<&extract::Store>"), "{error}");
}

/// A sync typed handler may answer with what it borrowed from the request.
fn echo_borrowed<'r>(
    Path(list): Path<&'r str>,
    Json(todo): Json<NewTodo<'r>>,
) -> Json<(&'r str, Cow<'r, str>)> {
    Json((list, todo.title))
}

#[test]
fn a_typed_answer_may_borrow_the_request() {
    let app = App::rest()
        .post("/echo/<list>", echo_borrowed)
        .build()
        .unwrap();
    let response = testing::call(
        &app,
        testing::rest().post("/echo/home").body(r#"{"title":"t"}"#),
    );
    assert_eq!(response.json::<Value>().unwrap(), json!(["home", "t"]));
}

#[derive(Deserialize)]
struct Strict<'a> {
    title: &'a str,
}

#[derive(Deserialize)]
struct Lenient<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
}

lambda_router::rebind!(Strict<'a>, Lenient<'a>);

/// The body is read by `serde_json` from the event's bytes: a string without escapes is
/// borrowed from them, one with escapes is unescaped into a copy kept for the invocation,
/// so a `&str` field (and a borrowing `Cow`) takes every string, whatever it escapes.
#[test]
fn body_strings_borrow_escaped_or_not() {
    let app = App::rest()
        .post("/strict", |Json(body): Json<Strict<'_>>| {
            body.title.to_owned()
        })
        .post("/lenient", |Json(body): Json<Lenient<'_>>| {
            body.title.into_owned()
        })
        .post("/many", |Json(titles): Json<Vec<&str>>| titles.concat())
        .build()
        .unwrap();
    let cases = [
        (r#""plain é 日""#, "plain é 日"),
        (r#""say \"hi\"""#, "say \"hi\""),
        (r#""a\\b""#, "a\\b"),
        (r#""line\nbreak""#, "line\nbreak"),
        (r#""\u00e9t\u00e9""#, "été"),
        (r#""a\/b""#, "a/b"),
        (r#""\ud83d\ude00""#, "\u{1f600}"),
    ];
    for (title, read) in cases {
        let body = format!(r#"{{"title":{title}}}"#);
        for route in ["/strict", "/lenient"] {
            let answer = testing::call(&app, testing::rest().post(route).body(body.as_str()));
            assert_eq!(
                (answer.status(), answer.text().as_ref()),
                (200, read),
                "{route} {title}"
            );
        }
    }
    // Many escaped strings in one body: each its own copy, none overwritten by the next.
    let titles: Vec<String> = (0..300).map(|i| format!("\"{i}\"")).collect();
    let body = serde_json::to_string(&titles).unwrap();
    let answer = testing::call(&app, testing::rest().post("/many").body(body.as_str()));
    assert_eq!(
        (answer.status(), answer.text().into_owned()),
        (200, titles.concat())
    );
}
