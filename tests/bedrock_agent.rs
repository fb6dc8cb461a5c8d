//! Amazon Bedrock Agents' OpenAPI action groups (`App::bedrock_agent()`): how an agent's
//! event is routed and read by typed routes, the answer's envelope, malformed events, and
//! events given to an app of the other family. Each table row is one event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::bedrock::AgentSession;
use lambda_router::extract::{Path, Query};
use lambda_router::{App, EventError, Json, LambdaContext, Response, Scratch, ServiceError};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Page {
    limit: Option<u32>,
    tags: Option<Vec<String>>,
    done: Option<bool>,
}

#[derive(Deserialize)]
struct TodoId {
    id: u32,
}

#[derive(Deserialize)]
struct NewTodo<'a> {
    title: &'a str,
    #[serde(default)]
    priority: u8,
}

lambda_router::rebind!(Page, TodoId, NewTodo<'a>);

fn get_todo(Path(TodoId { id }): Path<TodoId>) -> Result<Json<Value>, ServiceError> {
    match id {
        1..=12 => Ok(Json(json!({"id": id}))),
        _ => Err(ServiceError::not_found(format!("todo {id} not found"))),
    }
}

fn list(Query(page): Query<Page>) -> Json<Value> {
    Json(json!({"limit": page.limit, "tags": page.tags, "done": page.done}))
}

fn create(Json(todo): Json<NewTodo<'_>>) -> Response<Json<Value>> {
    Response::json(201, json!({"title": todo.title, "priority": todo.priority}))
}

fn remember(mut session: AgentSession) -> &'static str {
    session.session_attributes.clear();
    "plain text"
}

fn store(mut session: AgentSession) -> Response {
    session
        .session_attributes
        .insert("seen".to_owned(), "yes".to_owned());
    Response::text(200, "stored").agent_session(session)
}

fn app() -> App {
    App::bedrock_agent()
        .get("/todos", list)
        .get("/todos/<id>", get_todo)
        .post("/todos", create)
        .get("/session", remember)
        .post("/session", store)
        .build()
        .unwrap()
}

/// An agent's event for `method apiPath`, with these parameters and extra members.
fn event(method: &str, api_path: &str, parameters: &[(&str, &str)], extra: Value) -> Value {
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|(name, value)| json!({"name": name, "type": "string", "value": value}))
        .collect();
    let mut event = json!({
        "messageVersion": "1.0",
        "agent": {"alias": "TSTALIASID", "name": "test", "version": "DRAFT", "id": "8ZXY0W8P1H"},
        "sessionId": "12345678912345",
        "sessionAttributes": {"userId": "u-1"},
        "promptSessionAttributes": {},
        "inputText": "",
        "actionGroup": "Todos",
        "httpMethod": method,
        "apiPath": api_path,
        "parameters": parameters,
    });
    for (key, value) in extra.as_object().unwrap() {
        event[key] = value.clone();
    }
    event
}

fn properties(content_type: &str, pairs: &[(&str, &str)]) -> Value {
    let properties: Vec<Value> = pairs
        .iter()
        .map(|(name, value)| json!({"name": name, "type": "string", "value": value}))
        .collect();
    json!({"requestBody": {"content": {content_type: {"properties": properties}}}})
}

fn answer(app: &App, event: &Value) -> Result<Value, EventError> {
    let mut scratch = Scratch::new();
    let bytes = serde_json::to_vec(event).unwrap();
    let out = app.handle_blocking(&mut scratch, &bytes, &LambdaContext::default())?;
    Ok(serde_json::from_slice(out).unwrap())
}

/// The status, content type and body of an agent's answer (after checking its echo).
fn read_answer(event: &Value, answer: &Value) -> (u64, String, String) {
    assert_eq!(answer["messageVersion"], "1.0");
    let response = &answer["response"];
    assert_eq!(response["actionGroup"], event["actionGroup"]);
    assert_eq!(response["apiPath"], event["apiPath"]);
    assert_eq!(response["httpMethod"], event["httpMethod"]);
    let body = response["responseBody"].as_object().unwrap();
    assert_eq!(body.len(), 1, "{answer}");
    let (content_type, body) = body.iter().next().unwrap();
    (
        response["httpStatusCode"].as_u64().unwrap(),
        content_type.clone(),
        body["body"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn events_are_routed_and_read_as_the_agent_sends_them() {
    let no = json!({});
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, u64, &str, Value)> = vec![
        ("path parameter from parameters",
         event("GET", "/todos/{id}", &[("id", "4")], no.clone()), 200, "application/json", json!({"id": 4})),
        ("apiPath segments are not values",
         event("GET", "/todos/7", &[], no.clone()), 422, "application/json",
         json!({"statusCode": 422, "detail": [{"loc": ["path", "id"], "type": "missing"}]})),
        ("a parameter wins over a concrete path",
         event("GET", "/todos/7", &[("id", "2")], no.clone()), 200, "application/json", json!({"id": 2})),
        ("lax integer",
         event("GET", "/todos/{id}", &[("id", " 1_0 ")], no.clone()), 200, "application/json", json!({"id": 10})),
        ("not an integer",
         event("GET", "/todos/{id}", &[("id", "2.5")], no.clone()), 422, "application/json",
         json!({"statusCode": 422, "detail": [{"loc": ["path", "id"], "type": "int_parsing"}]})),
        ("a service error",
         event("GET", "/todos/{id}", &[("id", "99")], no.clone()), 404, "application/json",
         json!({"statusCode": 404, "message": "todo 99 not found"})),
        ("method echoed as sent",
         event("get", "/todos", &[("limit", "3")], no.clone()), 200, "application/json",
         json!({"limit": 3, "tags": null, "done": null})),
        ("last value wins, unknown names ignored, values never split, lax booleans",
         event("GET", "/todos", &[("limit", "2"), ("color", "red"), ("limit", "4"), ("tags", "a,b"), ("done", "Yes")], no.clone()),
         200, "application/json", json!({"limit": 4, "tags": ["a,b"], "done": true})),
        ("no parameters member",
         {let mut e = event("GET", "/todos", &[], no.clone()); e.as_object_mut().unwrap().remove("parameters"); e},
         200, "application/json", json!({"limit": null, "tags": null, "done": null})),
        ("body from application/json properties",
         event("POST", "/todos", &[], properties("application/json", &[("title", "milk"), ("priority", "2"), ("extra", "x")])),
         201, "application/json", json!({"title": "milk", "priority": 2})),
        ("another content type is no body",
         event("POST", "/todos", &[], properties("text/plain", &[("title", "milk")])), 422, "application/json",
         json!({"statusCode": 422, "detail": [{"loc": ["body"], "type": "missing"}]})),
        ("an empty requestBody is no body",
         event("POST", "/todos", &[], json!({"requestBody": {}})), 422, "application/json",
         json!({"statusCode": 422, "detail": [{"loc": ["body"], "type": "missing"}]})),
        ("a body field refused",
         event("POST", "/todos", &[], properties("application/json", &[("title", "milk"), ("priority", "high")])),
         422, "application/json",
         json!({"statusCode": 422, "detail": [{"loc": ["body", "priority"], "type": "int_parsing"}]})),
        ("no such operation",
         event("GET", "/nope", &[], no.clone()), 404, "application/json", json!({"statusCode": 404, "message": "Not found"})),
        ("another method is a 404, not a 405",
         event("PATCH", "/todos", &[], no.clone()), 404, "application/json", json!({"statusCode": 404, "message": "Not found"})),
        ("paths match exactly",
         event("GET", "/todos/", &[], no), 404, "application/json", json!({"statusCode": 404, "message": "Not found"})),
    ];
    let app = app();
    for (name, event, status, content_type, body) in cases {
        let answer = answer(&app, &event).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (got_status, got_type, got_body) = read_answer(&event, &answer);
        assert_eq!(
            (got_status, got_type.as_str()),
            (status, content_type),
            "{name}: {answer}"
        );
        let got_body: Value = serde_json::from_str(&got_body).unwrap();
        assert_eq!(got_body, body, "{name}");
        // Nothing but the two members: the event's session is not passed through.
        assert_eq!(answer.as_object().unwrap().len(), 2, "{name}: {answer}");
    }
}

#[test]
fn session_attributes_are_answered_only_when_the_route_sets_them() {
    let app = app();
    let plain = event("GET", "/session", &[], json!({}));
    let answer_plain = answer(&app, &plain).unwrap();
    assert_eq!(read_answer(&plain, &answer_plain).2, "plain text");
    assert!(
        answer_plain.get("sessionAttributes").is_none(),
        "{answer_plain}"
    );

    let set = event(
        "POST",
        "/session",
        &[],
        json!({"promptSessionAttributes": {"tz": "UTC"}}),
    );
    let answer_set = answer(&app, &set).unwrap();
    assert_eq!(
        read_answer(&set, &answer_set),
        (200, "text/plain".to_owned(), "stored".to_owned())
    );
    assert_eq!(
        answer_set["sessionAttributes"],
        json!({"userId": "u-1", "seen": "yes"})
    );
    assert_eq!(answer_set["promptSessionAttributes"], json!({"tz": "UTC"}));
}

#[test]
fn malformed_agent_events_are_typed_errors() {
    let without = |member: &str| {
        let mut e = event("GET", "/todos", &[], json!({}));
        e.as_object_mut().unwrap().remove(member);
        e
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("no httpMethod", without("httpMethod"), EventError::MISSING_FIELD, "httpMethod"),
        ("no apiPath", without("apiPath"), EventError::MISSING_FIELD, "apiPath"),
        ("no actionGroup", without("actionGroup"), EventError::MISSING_FIELD, "actionGroup"),
        ("null httpMethod", event("GET", "/todos", &[], json!({"httpMethod": null})), EventError::MISSING_FIELD, "httpMethod"),
        ("a parameter without value",
         event("GET", "/todos", &[], json!({"parameters": [{"name": "limit", "type": "integer"}]})),
         EventError::MISSING_FIELD, "parameters[0].value"),
        ("a number value",
         event("GET", "/todos", &[], json!({"parameters": [{"name": "limit", "value": 5}]})),
         EventError::WRONG_TYPE, "parameters[0].value"),
        ("parameters not a list",
         event("GET", "/todos", &[], json!({"parameters": {"limit": "5"}})), EventError::WRONG_TYPE, "parameters"),
        ("content null",
         event("POST", "/todos", &[], json!({"requestBody": {"content": null}})),
         EventError::WRONG_TYPE, "requestBody.content"),
        ("properties null",
         event("POST", "/todos", &[], json!({"requestBody": {"content": {"application/json": {"properties": null}}}})),
         EventError::WRONG_TYPE, "requestBody.content.application/json.properties"),
    ];
    let app = app();
    for (name, event, code, path) in cases {
        let error = answer(&app, &event).expect_err(name);
        assert_eq!(
            (error.code(), error.path()),
            (code, path),
            "{name}: {error}"
        );
    }
}

#[test]
fn an_event_of_the_other_family_names_the_app_to_build() {
    let rest = include_bytes!("../fixtures/events/apiGatewayProxyEvent.json");
    let agent = include_bytes!("../fixtures/bedrock/bedrockAgentEvent.json");
    let function = include_bytes!("../fixtures/bedrock/bedrockAgentFunctionEvent.json");
    let lambda = LambdaContext::default();
    let refused = |app: App, event: &[u8]| {
        let mut scratch = Scratch::new();
        app.handle_blocking(&mut scratch, event, &lambda)
            .expect_err("refused")
    };
    let cases: Vec<(&str, App, &[u8], &str, &str)> = vec![
        (
            "agent event, REST app",
            App::rest().build().unwrap(),
            agent,
            EventError::WRONG_SOURCE,
            "App::bedrock_agent()",
        ),
        (
            "agent event, app for any HTTP source",
            App::any().build().unwrap(),
            agent,
            EventError::WRONG_SOURCE,
            "App::bedrock_agent()",
        ),
        (
            "REST event, agent app",
            App::bedrock_agent().build().unwrap(),
            rest,
            EventError::WRONG_SOURCE,
            "App::rest()",
        ),
        (
            "function-details event, agent app",
            App::bedrock_agent().build().unwrap(),
            function,
            EventError::WRONG_SOURCE,
            "App::bedrock_agent_functions()",
        ),
    ];
    for (name, app, event, code, named) in cases {
        let error = refused(app, event);
        assert_eq!(error.code(), code, "{name}: {error}");
        assert!(error.message().contains(named), "{name}: {error}");
    }
}
