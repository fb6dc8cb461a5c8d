//! App 1 of the kit's `bedrock/APP.md`: a todo agent's OpenAPI action group, on
//! `App::bedrock_agent()`, with the routes, typed inputs and errors of an HTTP app, and the
//! OpenAPI document its agent is given.

use lambda_router::bedrock::AgentSession;
use lambda_router::extract::{ErrorType, FieldError, Loc, Path, Query, Valid, ValidationError};
use lambda_router::openapi::{OpenApi, Operation};
use lambda_router::{App, Error, Json, Request, Response, ServiceError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod bedrock_schemas;

use bedrock_schemas::{Integer, any_integer, any_number};

/// The number of todos.
const TODO_COUNT: i64 = 12;

#[derive(Serialize)]
struct Todo {
    id: i64,
    title: String,
    priority: i64,
    done: bool,
}

fn todo(id: i64) -> Todo {
    Todo {
        id,
        title: format!("todo {id}"),
        priority: id % 5 + 1,
        done: id % 3 == 0,
    }
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct ListQuery {
    /// How many todos at most
    #[serde(default = "default_limit")]
    #[schemars(schema_with = "any_integer")]
    #[garde(range(min = 1, max = 12))]
    limit: i64,
    /// Only done (true) or open (false) todos
    #[garde(skip)]
    // Optional query parameters are `nullable` in the contract.
    #[schemars(extend("nullable" = true))]
    done: Option<bool>,
}

fn default_limit() -> i64 {
    5
}

fn list_todos(Valid(Query(query)): Valid<Query<ListQuery>>) -> Json<Value> {
    let todos: Vec<Todo> = (1..=TODO_COUNT)
        .map(todo)
        .filter(|todo| query.done.is_none_or(|done| todo.done == done))
        .take(usize::try_from(query.limit).unwrap_or_default())
        .collect();
    Json(json!({"todos": todos, "count": todos.len()}))
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct TodoId {
    /// The todo's id
    #[schemars(schema_with = "any_integer")]
    #[garde(range(min = 1))]
    todo_id: i64,
}

fn get_todo(Valid(Path(path)): Valid<Path<TodoId>>) -> Result<Json<Value>, ServiceError> {
    if path.todo_id > TODO_COUNT {
        return Err(ServiceError::not_found(format!(
            "todo {} not found",
            path.todo_id
        )));
    }
    Ok(Json(json!({"todo": todo(path.todo_id)})))
}

#[derive(Deserialize, Serialize, JsonSchema, garde::Validate)]
struct NewTodo {
    /// What to do
    #[garde(length(chars, min = 1, max = 40))]
    title: String,
    /// 1 (low) to 5 (high)
    #[serde(default = "default_priority")]
    #[schemars(schema_with = "any_integer")]
    #[garde(range(min = 1, max = 5))]
    priority: i64,
    /// Already done?
    #[serde(default)]
    #[garde(skip)]
    done: bool,
    /// Due date, YYYY-MM-DD
    // `\d` is any Unicode digit in pydantic's pattern; garde's derive checks patterns
    // without the Unicode classes, so ASCII digits here. The document says `\d`, which
    // is `[0-9]` in its pattern dialect (ECMA-262), as the contract writes it.
    #[garde(inner(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))]
    #[schemars(extend("pattern" = r"^\d{4}-\d{2}-\d{2}$"))]
    due: Option<String>,
}

fn default_priority() -> i64 {
    3
}

fn create_todo(Valid(Json(new)): Valid<Json<NewTodo>>) -> Response<Json<Value>> {
    let mut created = json!(new);
    created["id"] = json!(TODO_COUNT + 1);
    Response::json(201, json!({"created": created}))
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct UpdateTodoId {
    /// The todo's id
    #[schemars(schema_with = "any_integer")]
    #[garde(range(min = 1, max = 12))]
    todo_id: i64,
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct TodoUpdate {
    /// New title
    #[garde(length(chars, min = 1, max = 40))]
    title: String,
    /// New state
    #[serde(default)]
    #[garde(skip)]
    done: bool,
}

fn update_todo(
    Valid(Path(path)): Valid<Path<UpdateTodoId>>,
    Valid(Json(update)): Valid<Json<TodoUpdate>>,
) -> Json<Value> {
    let id = path.todo_id;
    Json(json!({"todo": {
        "id": id, "title": update.title, "priority": todo(id).priority, "done": update.done,
    }}))
}

fn delete_todo(Valid(Path(path)): Valid<Path<TodoId>>) -> Response {
    let id = path.todo_id;
    Response::text(202, format!("todo {id} scheduled for deletion"))
        .header("X-Todo-Id", id.to_string())
}

#[derive(Deserialize, Serialize, JsonSchema, garde::Validate)]
struct Search {
    /// Search text
    #[garde(length(chars, min = 1, max = 50))]
    q: String,
    /// Tags to match
    #[garde(skip)]
    // Optional query parameters are `nullable` in the contract.
    #[schemars(extend("nullable" = true))]
    tags: Option<Vec<String>>,
    /// Minimum relevance
    #[serde(default = "default_min_score")]
    #[schemars(schema_with = "any_number")]
    #[garde(range(min = 0.0, max = 1.0))]
    min_score: f64,
    /// Exact match only
    #[serde(default)]
    #[garde(skip)]
    exact: bool,
}

fn default_min_score() -> f64 {
    0.5
}

fn search_todos(Valid(Query(search)): Valid<Query<Search>>) -> Json<Search> {
    Json(search)
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct Weather {
    /// City name
    #[garde(length(chars, min = 2, max = 30))]
    city: String,
    /// metric or imperial
    #[serde(default = "default_units")]
    #[garde(pattern(r"^(metric|imperial)$"))]
    units: String,
    /// Days of forecast
    #[serde(default = "default_days")]
    #[schemars(schema_with = "any_integer")]
    #[garde(range(min = 1, max = 7))]
    days: i64,
}

fn default_units() -> String {
    "metric".to_owned()
}

fn default_days() -> i64 {
    1
}

/// A plain string, answered as Powertools answers one: the text itself, as
/// `application/json`.
fn get_weather(Valid(Query(weather)): Valid<Query<Weather>>) -> Response {
    let Weather { city, units, days } = weather;
    let text = format!("{city}: sunny, 21 degrees ({units}), forecast for {days} day(s)");
    Response::with_body(200, lambda_router::Body::Text(text.into()))
        .content_type("application/json")
}

#[derive(Deserialize, JsonSchema)]
struct Stats {
    /// Answer something that is not a number
    #[serde(default)]
    broken: bool,
}

/// Declared to return an integer: the `broken` answer is refused as Powertools' response
/// validation refuses it.
fn get_stats(Query(stats): Query<Stats>) -> Result<Json<i64>, ValidationError> {
    if stats.broken {
        return Err(ValidationError::from(FieldError {
            loc: vec![Loc::Key("response".into())],
            kind: ErrorType::IntParsing,
            msg: "Input should be a valid integer, unable to parse string as an integer".into(),
        }));
    }
    Ok(Json(4))
}

/// The app's own error, answered 409 by its handler.
#[derive(Debug)]
struct OutOfStock(String);

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is out of stock", self.0)
    }
}

impl std::error::Error for OutOfStock {}

/// A backend failure nobody handles.
#[derive(Debug)]
struct BackendCrashed;

impl std::fmt::Display for BackendCrashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("inventory backend crashed")
    }
}

impl std::error::Error for BackendCrashed {}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct Sku {
    /// Product code, AAA-999
    #[garde(pattern(r"^[A-Z]{3}-[0-9]{3}$"))]
    sku: String,
}

fn check_inventory(Valid(Path(path)): Valid<Path<Sku>>) -> Result<Json<Value>, Error> {
    match path.sku.as_str() {
        "OUT-000" => Err(Error::new(OutOfStock(path.sku))),
        "SVC-503" => Err(Error::new(ServiceError::new(
            503,
            "inventory service unavailable",
        ))),
        "ERR-500" => Err(Error::new(BackendCrashed)),
        _ => Ok(Json(json!({"sku": path.sku, "available": 7}))),
    }
}

fn get_session(session: AgentSession) -> Json<Value> {
    Json(json!({
        "sessionId": session.session_id,
        "sessionAttributes": session.session_attributes,
        "promptSessionAttributes": session.prompt_session_attributes,
    }))
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct SessionEntry {
    /// Attribute name
    #[garde(pattern(r"^[A-Za-z][A-Za-z0-9_]{0,19}$"))]
    key: String,
    /// Attribute value
    #[garde(length(chars, max = 100))]
    value: String,
}

/// Stores the entry in the agent's session: the event's attributes and this one.
fn set_session_attribute(
    mut session: AgentSession,
    Valid(Json(entry)): Valid<Json<SessionEntry>>,
) -> Response<Json<Value>> {
    let answer = json!({"stored": entry.key, "value": entry.value});
    session.session_attributes.insert(entry.key, entry.value);
    Response::json(200, answer).agent_session(session)
}

/// A JSON text declared `text/plain`: Powertools serializes an agent response's body as
/// JSON whatever its content type.
fn summarize_session(session: AgentSession) -> Response {
    let keys: Vec<&String> = session.session_attributes.keys().collect();
    Response::text(200, json!({"keys": keys}).to_string())
}

lambda_router::rebind!(
    documented: ListQuery,
    TodoId,
    NewTodo,
    UpdateTodoId,
    TodoUpdate,
    Search,
    Weather,
    Stats,
    Sku,
    SessionEntry
);

/// A route's entry in the document: its operation id and what it does (the agent reads
/// the description to choose it).
fn doc(operation_id: &str, description: &str) -> Operation {
    Operation::new()
        .operation_id(operation_id)
        .description(description)
}

/// The todo agent's app.
pub(crate) fn app() -> Result<App, Box<dyn std::error::Error>> {
    // Powertools' document lists a 422 on every operation, those that read nothing too;
    // the kit compares the statuses, so the two routes reading only the session say it.
    let reads_nothing = |operation: Operation| {
        operation
            .returns_content(200, "application/json", "Successful response")
            .returns_content(422, "application/json", "Validation error")
    };
    Ok(App::bedrock_agent()
        .get("/todos", list_todos)
        .doc(doc(
            "listTodos",
            "List todos, optionally only the done or the open ones",
        ))
        .get("/todos/<todo_id>", get_todo)
        .doc(doc("getTodo", "Get one todo by its id"))
        .post("/todos", create_todo)
        .doc(doc("createTodo", "Create a todo").returns_content(201, "application/json", "Created"))
        .put("/todos/<todo_id>", update_todo)
        .doc(doc("updateTodo", "Rename a todo and set its state"))
        .delete("/todos/<todo_id>", delete_todo)
        .doc(doc("deleteTodo", "Schedule a todo for deletion"))
        .get("/search", search_todos)
        .doc(doc("searchTodos", "Search todos"))
        .get("/weather", get_weather)
        .doc(doc(
            "getWeather",
            "Weather forecast for a city, as a sentence",
        ))
        .get("/stats", get_stats)
        .doc(
            doc("getStats", "How many todos are done")
                .returns::<Integer>(200, "Number of done todos"),
        )
        .get("/inventory/<sku>", check_inventory)
        .doc(doc("checkInventory", "Check the stock of a product"))
        .get("/session", get_session)
        .doc(reads_nothing(doc(
            "getSession",
            "Show what the agent sent about the session",
        )))
        .post("/session", set_session_attribute)
        .doc(doc(
            "setSessionAttribute",
            "Remember a value in the session",
        ))
        .get("/session/summary", summarize_session)
        .doc(reads_nothing(doc(
            "summarizeSession",
            "List the names of the session attributes",
        )))
        .on_error(|error: &OutOfStock, _: &Request<'_>| {
            Response::json(409, json!({"error": "out_of_stock", "sku": error.0}))
        })
        .openapi(OpenApi::new("Conformance Todo Agent", "1.0.0"))
        .debug(false)
        .build()?)
}
