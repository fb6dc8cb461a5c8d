//! Amazon Bedrock function-details events, as arbitrary bytes (first byte even) or built
//! from fuzz data (odd: a tool name and `{name, type, value}` parameters taken from the
//! bytes), read by a function app whose tools take typed and untyped arguments: a typed
//! `EventError` or the function envelope (exactly its four keys, a string TEXT body, a
//! known `responseState`, session maps of strings), never a panic. The same bytes given to
//! the OpenAPI agent app and to the app for any HTTP source are refused with a documented
//! error or answered, never a panic.
#![no_main]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use fuzz_support::check_event_error;
use lambda_router::bedrock::{AgentSession, ArgValue, Args, ResponseState};
use lambda_router::{App, Json, LambdaContext, Response, Scratch, Source};
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize, Serialize)]
struct Typed<'a> {
    int: Option<i64>,
    float: Option<f64>,
    flag: Option<bool>,
    text: Option<&'a str>,
    list: Option<Vec<u8>>,
}

#[derive(Deserialize, Serialize)]
struct Untyped {
    int: Option<ArgValue>,
    float: Option<ArgValue>,
    flag: Option<ArgValue>,
    text: Option<Value>,
}

lambda_router::rebind!(Typed<'a>, Untyped);

const TOOLS: [&str; 5] = ["typed", "untyped", "map", "session", "unknown"];
const NAMES: [&str; 5] = ["int", "float", "flag", "text", "list"];
const TYPES: [&str; 7] = [
    "string", "integer", "number", "boolean", "array", "", "object",
];

/// A named fn, not a closure: the answer borrows the event, which only an fn item's
/// elided lifetimes can say.
fn typed(Args(args): Args<Typed<'_>>) -> Json<Typed<'_>> {
    Json(args)
}

fn apps() -> &'static [App; 3] {
    static APPS: OnceLock<[App; 3]> = OnceLock::new();
    APPS.get_or_init(|| {
        let functions = App::bedrock_agent_functions()
            .tool("typed", typed)
            .tool("untyped", |Args(args): Args<Untyped>| Json(args))
            .tool("map", |Args(args): Args<BTreeMap<String, ArgValue>>| {
                Json(args)
            })
            .tool("session", |session: AgentSession| {
                let state = match session.session_attributes.len() % 3 {
                    0 => None,
                    1 => Some(ResponseState::Failure),
                    _ => Some(ResponseState::Reprompt),
                };
                let answer = Response::text(200, "ok").agent_session(session);
                match state {
                    Some(state) => answer.agent_response_state(state),
                    None => answer,
                }
            })
            .build()
            .expect("app builds");
        let agent = App::bedrock_agent().build().expect("app builds");
        let any = App::any().build().expect("app builds");
        [functions, agent, any]
    })
}

/// An event built from `data`: `|`-separated fields, the first picking the tool, then
/// triples picking a name, a type and giving the value; a few bytes choose the session maps.
fn structured(data: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('|');
    let pick = |field: Option<&str>, n: usize| field.map_or(0, |f| f.len() % n);
    let tool = TOOLS[pick(fields.next(), TOOLS.len())];
    let mut parameters = Vec::new();
    let mut session = serde_json::Map::new();
    while let (Some(name), Some(kind), Some(value)) = (fields.next(), fields.next(), fields.next())
    {
        let name = NAMES[name.len() % NAMES.len()];
        if kind.len() % 11 == 10 {
            session.insert(name.to_owned(), json!(value));
            continue;
        }
        let mut parameter = json!({"name": name, "value": value});
        if kind.len() % 13 != 12 {
            parameter["type"] = json!(TYPES[kind.len() % TYPES.len()]);
        }
        parameters.push(parameter);
    }
    let event = json!({
        "messageVersion": "1.0",
        "actionGroup": "FuzzGroup",
        "function": tool,
        "parameters": parameters,
        "sessionAttributes": session,
    });
    serde_json::to_vec(&event).expect("serializes")
}

/// The function envelope's invariants.
fn check_answer(out: &[u8]) {
    let value: Value = serde_json::from_slice(out).expect("the answer is JSON");
    let object = value.as_object().expect("an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let expected = [
        "messageVersion",
        "promptSessionAttributes",
        "response",
        "sessionAttributes",
    ];
    assert_eq!(keys, expected);
    for map in ["sessionAttributes", "promptSessionAttributes"] {
        for (_, v) in value[map].as_object().expect("a session map") {
            assert!(v.is_string(), "{map} holds a non-string");
        }
    }
    assert_eq!(value["messageVersion"], "1.0");
    let response = &value["response"];
    assert!(response["actionGroup"].is_string() && response["function"].is_string());
    let tool = response["functionResponse"]
        .as_object()
        .expect("functionResponse");
    assert!(
        tool["responseBody"]["TEXT"]["body"].is_string(),
        "TEXT body"
    );
    match tool.get("responseState") {
        None => assert_eq!(tool.len(), 1),
        Some(state) => {
            assert_eq!(tool.len(), 2);
            assert!(state == "FAILURE" || state == "REPROMPT", "{state}");
        }
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
    let [functions, agent, any] = apps();
    let lambda = LambdaContext::default();
    match functions.handle_blocking(&mut Scratch::new(), &event, &lambda) {
        Ok(out) => check_answer(out),
        Err(error) => check_event_error(Some(Source::BedrockAgentFunction), &error),
    }
    for other in [agent, any] {
        if let Err(error) = other.handle_blocking(&mut Scratch::new(), &event, &lambda) {
            check_event_error(other.source(), &error);
        }
    }
});
