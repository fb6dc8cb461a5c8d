//! Amazon Bedrock OpenAPI action-group events, as arbitrary bytes (first byte even) or
//! built from fuzz data (odd: a method, an `apiPath`, `{name, type, value}` parameters and
//! body properties taken from the bytes), read by an agent app whose routes take typed and
//! validated path, query and body inputs and the agent's session: a typed `EventError` or
//! the agent envelope (its status in range, a string body under the content type it
//! names, session maps of strings only when the route set them), never a panic. The same
//! bytes given to the app for any HTTP source are refused with a documented error or
//! answered, never a panic.
#![no_main]

use std::borrow::Cow;
use std::sync::OnceLock;

use fuzz_support::{check_event_error, let_intended_panics_unwind};
use lambda_router::bedrock::AgentSession;
use lambda_router::extract::{Path, Query, Valid};
use lambda_router::{App, Json, LambdaContext, Response, Scratch, ServiceError, Source};
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize, Serialize, garde::Validate)]
struct Id {
    #[garde(range(min = 1, max = 9999))]
    id: u32,
}

#[derive(Deserialize, Serialize)]
struct Listing<'a> {
    status: Option<&'a str>,
    limit: Option<u8>,
    desc: Option<bool>,
    ratio: Option<f64>,
}

#[derive(Deserialize, Serialize, garde::Validate)]
struct Note<'a> {
    #[garde(length(chars, min = 1, max = 40))]
    text: &'a str,
    #[serde(default)]
    #[garde(skip)]
    tags: Vec<&'a str>,
    #[garde(skip)]
    priority: Option<i64>,
}

lambda_router::rebind!(Id, Listing<'a>, Note<'a>);

/// Named fns, not closures: the answers borrow the event, which only an fn item's elided
/// lifetimes can say.
fn list(Query(listing): Query<Listing<'_>>) -> Json<Listing<'_>> {
    Json(listing)
}

fn note(
    Valid(Path(id)): Valid<Path<Id>>,
    Valid(Json(note)): Valid<Json<Note<'_>>>,
    mut session: AgentSession,
) -> Result<Response<Json<Note<'_>>>, ServiceError> {
    if note.priority.is_some_and(i64::is_negative) {
        return Err(ServiceError::new(409, "negative priority"));
    }
    session
        .session_attributes
        .insert("lastNote".to_owned(), id.id.to_string());
    Ok(Response::json(201, note).agent_session(session))
}

fn apps() -> &'static [App; 2] {
    static APPS: OnceLock<[App; 2]> = OnceLock::new();
    APPS.get_or_init(|| {
        let_intended_panics_unwind();
        let agent = App::bedrock_agent()
            .get("/items", list)
            .get("/items/<id>", |Valid(Path(id)): Valid<Path<Id>>| Json(id))
            .post("/items/<id>/notes", note)
            .get("/panic", |_: Query<Listing<'_>>| -> Json<u8> {
                panic!("SECRET-route-panic")
            })
            .build()
            .expect("app builds");
        let any = App::any().build().expect("app builds");
        [agent, any]
    })
}

const METHODS: [&str; 4] = ["GET", "POST", "PUT", "get"];
const PATHS: [&str; 6] = [
    "/items",
    "/items/{id}",
    "/items/{id}/notes",
    "/panic",
    "/nowhere",
    "",
];
const NAMES: [&str; 8] = [
    "id", "status", "limit", "desc", "ratio", "text", "tags", "priority",
];
const TYPES: [&str; 7] = [
    "string", "integer", "number", "boolean", "array", "", "object",
];
const CONTENT_TYPES: [&str; 3] = ["application/json", "text/plain", "application/xml"];

/// An event built from `data`: `|`-separated fields, the first two picking the method and
/// the `apiPath`, then triples picking a name and a type and giving the value; the type
/// field's length also says whether the triple is a parameter, a body property or a
/// session attribute.
fn structured(data: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('|');
    let pick = |field: Option<&str>, n: usize| field.map_or(0, |f| f.len() % n);
    let method = METHODS[pick(fields.next(), METHODS.len())];
    let content_type = CONTENT_TYPES[pick(fields.next(), CONTENT_TYPES.len())];
    let api_path = PATHS[pick(fields.next(), PATHS.len())];
    let (mut parameters, mut properties) = (Vec::new(), Vec::new());
    let mut session = serde_json::Map::new();
    while let (Some(name), Some(kind), Some(value)) = (fields.next(), fields.next(), fields.next())
    {
        let name = NAMES[name.len() % NAMES.len()];
        let mut named = json!({"name": name, "value": value});
        if kind.len() % 13 != 12 {
            named["type"] = json!(TYPES[kind.len() % TYPES.len()]);
        }
        match kind.len() % 3 {
            0 => parameters.push(named),
            1 => properties.push(named),
            _ => {
                session.insert(name.to_owned(), json!(value));
            }
        }
    }
    let mut event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "fuzz", "id": "A", "alias": "TSTALIASID", "version": "DRAFT"},
        "sessionId": "s",
        "inputText": "fuzz",
        "actionGroup": "FuzzGroup",
        "httpMethod": method,
        "apiPath": api_path,
        "parameters": parameters,
        "sessionAttributes": session,
        "promptSessionAttributes": {},
    });
    if !properties.is_empty() {
        event["requestBody"] = json!({"content": {content_type: {"properties": properties}}});
    }
    serde_json::to_vec(&event).expect("serializes")
}

/// The agent envelope's invariants.
fn check_answer(out: &[u8]) {
    let value: Value = serde_json::from_slice(out).expect("the answer is JSON");
    assert_eq!(value["messageVersion"], "1.0");
    let object = value.as_object().expect("an object");
    for key in object.keys() {
        assert!(
            [
                "messageVersion",
                "response",
                "sessionAttributes",
                "promptSessionAttributes"
            ]
            .contains(&key.as_str()),
            "unexpected key {key}"
        );
    }
    for map in ["sessionAttributes", "promptSessionAttributes"] {
        if let Some(map) = value.get(map) {
            for (_, v) in map.as_object().expect("a session map") {
                assert!(v.is_string(), "a session map holds a non-string");
            }
        }
    }
    let response = &value["response"];
    for key in ["actionGroup", "apiPath", "httpMethod"] {
        assert!(response[key].is_string(), "{key}");
    }
    let status = response["httpStatusCode"].as_u64().expect("a status");
    assert!((100..=599).contains(&status), "status {status}");
    let bodies = response["responseBody"].as_object().expect("responseBody");
    assert_eq!(bodies.len(), 1, "one content type");
    for (_, body) in bodies {
        let body = body["body"].as_str().expect("a string body");
        assert!(
            !body.contains("SECRET"),
            "a panic's message reached the agent: {body}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let event: Cow<'_, [u8]> = if mode % 2 == 0 {
        Cow::Borrowed(rest)
    } else {
        Cow::Owned(structured(rest))
    };
    let [agent, any] = apps();
    let lambda = LambdaContext::default();
    match agent.handle_blocking(&mut Scratch::new(), &event, &lambda) {
        Ok(out) => check_answer(out),
        Err(error) => check_event_error(Some(Source::BedrockAgent), &error),
    }
    if let Err(error) = any.handle_blocking(&mut Scratch::new(), &event, &lambda) {
        check_event_error(any.source(), &error);
    }
});
