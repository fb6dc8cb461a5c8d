//! Amazon Bedrock Agents' function-details action groups (`App::bedrock_agent_functions()`):
//! how a tool's arguments are converted, the session attributes an answer carries,
//! `responseState`, errors as the text the agent reads, malformed events and events given
//! to an app of another family. Each table row is one event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::collections::BTreeMap;

use lambda_router::bedrock::{AgentSession, ArgValue, Args, ResponseState};
use lambda_router::{App, EventError, Json, LambdaContext, Response, Scratch};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// An event calling `function` with `parameters` (`[name, type, value]` each), the sample's
/// session maps.
fn call(function: &str, parameters: &[[&str; 3]]) -> Value {
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|[name, kind, value]| json!({"name": name, "type": kind, "value": value}))
        .collect();
    json!({
        "messageVersion": "1.0",
        "agent": {"alias": "PROD", "name": "travel-agent", "version": "1", "id": "1234abcd"},
        "sessionId": "123456789123458",
        "sessionAttributes": {"employeeId": "EMP123"},
        "promptSessionAttributes": {"requestType": "vacation"},
        "inputText": "book me a trip",
        "actionGroup": "TravelActionGroup",
        "function": function,
        "parameters": parameters,
    })
}

fn answer(app: &App, event: &Value) -> Result<Value, EventError> {
    let mut scratch = Scratch::new();
    let bytes = serde_json::to_vec(event).unwrap();
    let answer = app.handle_blocking(&mut scratch, &bytes, &LambdaContext::default())?;
    Ok(serde_json::from_slice(answer).expect("the answer is JSON"))
}

/// The TEXT body the agent reads.
fn body(answer: &Value) -> &str {
    answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .expect("a TEXT body")
}

/// Every argument as Powertools would have converted it.
#[derive(Deserialize, Serialize)]
struct Untyped {
    value: Option<ArgValue>,
}

/// The same argument read by Rust types.
#[derive(Deserialize, Serialize)]
struct Typed {
    int: Option<i64>,
    float: Option<f64>,
    flag: Option<bool>,
    text: Option<String>,
}

#[derive(Deserialize)]
struct Trip {
    destination: String,
    #[serde(default = "one")]
    nights: u32,
}

fn one() -> u32 {
    1
}

lambda_router::rebind!(Untyped, Typed, Trip);

#[derive(Debug)]
struct ValueError(&'static str);

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ValueError {}

fn book_trip(Args(trip): Args<Trip>, session: AgentSession) -> Result<Response, ValueError> {
    match (trip.destination.as_str(), trip.nights) {
        ("Atlantis", _) => {
            Ok(Response::text(200, "Unknown destination")
                .agent_response_state(ResponseState::Failure))
        }
        (_, 0) => Err(ValueError("nights must be a positive integer")),
        (_, 15..) => {
            Ok(Response::text(200, "At most 14 nights")
                .agent_response_state(ResponseState::Reprompt))
        }
        ("Nowhere", _) => Ok(Response::text(200, "cleared").agent_session(AgentSession::default())),
        (destination, nights) => {
            let mut session = session;
            session
                .session_attributes
                .insert("lastBooking".to_owned(), destination.to_owned());
            Ok(
                Response::text(200, format!("{nights} nights in {destination}"))
                    .agent_session(session),
            )
        }
    }
}

fn app() -> App {
    App::bedrock_agent_functions()
        .tool("untyped", |Args(args): Args<Untyped>| Json(args))
        .tool("typed", |Args(args): Args<Typed>| Json(args))
        .tool("map", |Args(args): Args<BTreeMap<String, ArgValue>>| {
            Json(args)
        })
        .tool("book_trip", book_trip)
        .tool("quoted", || Json("Hello"))
        .tool("plain", || "Hello")
        .tool("nothing", || ())
        .tool("panics", || -> &'static str { panic!("secret detail") })
        .build()
        .unwrap()
}

#[test]
fn an_untyped_argument_is_converted_by_its_declared_type_as_python_does() {
    let app = app();
    // (declared type, value sent, what the tool gets)
    let cases: &[(&str, &str, Value)] = &[
        ("string", "hi there", json!("hi there")),
        ("string", "42", json!("42")),
        ("integer", "42", json!(42)),
        ("integer", " +7 ", json!(7)),
        ("integer", "-0012", json!(-12)),
        ("integer", "1_000", json!(1000)),
        ("integer", "\u{663}", json!(3)),
        ("integer", "3.0", json!("3.0")),
        ("integer", "1e3", json!("1e3")),
        ("integer", "abc", json!("abc")),
        ("integer", "", json!("")),
        ("number", "0.25", json!(0.25)),
        ("number", "1e3", json!(1000.0)),
        ("number", " .5", json!(0.5)),
        ("number", "3", json!(3.0)),
        ("number", "1,5", json!("1,5")),
        ("number", "0x10", json!("0x10")),
        ("number", "inf", json!("inf")),
        ("number", "nan", json!("nan")),
        ("number", "1e400", json!("1e400")),
        ("boolean", "true", json!(true)),
        ("boolean", "TRUE", json!(true)),
        ("boolean", "yes", json!(false)),
        ("boolean", "1", json!(false)),
        ("boolean", "", json!(false)),
        ("array", "[\"a\", \"b\"]", json!("[\"a\", \"b\"]")),
        ("object", "{\"k\": 1}", json!("{\"k\": 1}")),
        ("", "x", json!("x")),
    ];
    for (kind, value, expected) in cases {
        let answer = answer(&app, &call("untyped", &[["value", kind, value]])).unwrap();
        let got: Value = serde_json::from_str(body(&answer)).unwrap();
        assert_eq!(got, json!({"value": expected}), "{kind} {value:?}");
    }
}

#[test]
fn an_integer_beyond_64_bits_stays_exact() {
    let digits = "123456789012345678901234567890";
    let answer = answer(&app(), &call("untyped", &[["value", "integer", digits]])).unwrap();
    assert_eq!(body(&answer), format!("{{\"value\":{digits}}}"));
}

#[test]
fn a_typed_argument_reads_the_text_by_its_rust_type_whatever_its_declared_type() {
    let app = app();
    // (parameter, declared type, value, the tool's arguments or the error the agent reads)
    let cases: &[(&str, &str, &str, Result<Value, &str>)] = &[
        ("int", "integer", "42", Ok(json!({"int": 42}))),
        ("int", "string", "42", Ok(json!({"int": 42}))),
        ("int", "integer", " 7 ", Ok(json!({"int": 7}))),
        ("int", "integer", "3.0", Ok(json!({"int": 3}))),
        (
            "int",
            "integer",
            "abc",
            Err("Error: ArgumentError: argument 'int': Input should be a valid integer"),
        ),
        ("float", "number", "1e-1", Ok(json!({"float": 0.1}))),
        ("flag", "boolean", "yes", Ok(json!({"flag": true}))),
        ("flag", "string", "false", Ok(json!({"flag": false}))),
        (
            "flag",
            "boolean",
            "maybe",
            Err("Error: ArgumentError: argument 'flag': Input should be a valid boolean"),
        ),
        ("text", "integer", "007", Ok(json!({"text": "007"}))),
    ];
    for (name, kind, value, expected) in cases {
        let answer = answer(&app, &call("typed", &[[name, kind, value]])).unwrap();
        let got = body(&answer);
        match expected {
            Ok(fields) => {
                let mut all = json!({"int": null, "float": null, "flag": null, "text": null});
                for (key, value) in fields.as_object().unwrap() {
                    all[key] = value.clone();
                }
                assert_eq!(serde_json::from_str::<Value>(got).unwrap(), all, "{name}");
            }
            Err(error) => assert_eq!(got, serde_json::to_string(error).unwrap(), "{name}"),
        }
    }
}

#[test]
fn only_named_arguments_are_read_and_the_last_of_a_name_wins() {
    let app = app();
    let cases: &[(&str, &[[&str; 3]], Value)] = &[
        (
            "untyped",
            &[["value", "string", "x"], ["nope", "string", "y"]],
            json!({"value": "x"}),
        ),
        (
            "untyped",
            &[["value", "string", "first"], ["value", "string", "second"]],
            json!({"value": "second"}),
        ),
        ("untyped", &[], json!({"value": null})),
        (
            "map",
            &[
                ["a", "integer", "1"],
                ["b", "boolean", "true"],
                ["a", "string", "z"],
            ],
            json!({"a": "z", "b": true}),
        ),
    ];
    for (tool, parameters, expected) in cases {
        let answer = answer(&app, &call(tool, parameters)).unwrap();
        let got: Value = serde_json::from_str(body(&answer)).unwrap();
        assert_eq!(&got, expected, "{tool} {parameters:?}");
    }
    let mut no_list = call("untyped", &[]);
    no_list.as_object_mut().unwrap().remove("parameters");
    let answer = answer(&app, &no_list).unwrap();
    assert_eq!(body(&answer), r#"{"value":null}"#);
}

#[test]
fn what_a_tool_returns_is_the_text_the_agent_reads() {
    let app = app();
    let cases = [
        ("quoted", r#""Hello""#),
        ("plain", "Hello"),
        ("nothing", "null"),
    ];
    for (tool, text) in cases {
        let answer = answer(&app, &call(tool, &[])).unwrap();
        assert_eq!(body(&answer), text, "{tool}");
    }
}

#[test]
fn errors_are_answers_the_agent_reads_with_the_events_session() {
    let app = app();
    let untyped = {
        let mut event = call("untyped", &[]);
        event["parameters"] = json!([{"name": "value", "value": "x"}]);
        event
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "unknown tool",
            call("delete_everything", &[]),
            "Error: UnknownTool: no tool is named 'delete_everything'",
        ),
        (
            "the tool's own error",
            call(
                "book_trip",
                &[
                    ["destination", "string", "Rome"],
                    ["nights", "integer", "0"],
                ],
            ),
            "Error: ValueError: nights must be a positive integer",
        ),
        (
            "missing required argument",
            call("book_trip", &[["nights", "integer", "2"]]),
            "Error: ArgumentError: missing required argument 'destination'",
        ),
        (
            "argument of the wrong type",
            call(
                "book_trip",
                &[
                    ["destination", "string", "Rome"],
                    ["nights", "integer", "two"],
                ],
            ),
            "Error: ArgumentError: argument 'nights': Input should be a valid integer",
        ),
        (
            // An integer outside its Rust type's range fails the type's bound, as pydantic
            // words a `ge=0` constraint.
            "argument out of its type's range",
            call(
                "book_trip",
                &[
                    ["destination", "string", "Rome"],
                    ["nights", "integer", "-1"],
                ],
            ),
            "Error: ArgumentError: argument 'nights': Input should be greater than or equal to 0",
        ),
        (
            "parameter without a type",
            untyped,
            "Error: ArgumentError: parameter 'value' has no 'type'",
        ),
        (
            "panic",
            call("panics", &[]),
            "Error: Panic: the tool failed",
        ),
    ];
    for (name, event, text) in cases {
        let answer = answer(&app, &event).unwrap();
        assert_eq!(
            body(&answer),
            serde_json::to_string(text).unwrap(),
            "{name}"
        );
        let tool = &answer["response"]["functionResponse"];
        assert!(tool.get("responseState").is_none(), "{name}: {answer}");
        assert_eq!(
            answer["sessionAttributes"],
            json!({"employeeId": "EMP123"}),
            "{name}"
        );
        assert_eq!(
            answer["promptSessionAttributes"],
            json!({"requestType": "vacation"}),
            "{name}"
        );
        assert_eq!(answer["response"]["function"], event["function"], "{name}");
        assert_eq!(
            answer["response"]["actionGroup"], "TravelActionGroup",
            "{name}"
        );
    }
}

#[test]
fn response_state_is_sent_only_when_the_tool_asks() {
    let app = app();
    let cases = [
        ("Atlantis", "1", Some("FAILURE")),
        ("Lisbon", "20", Some("REPROMPT")),
        ("Lisbon", "3", None),
    ];
    for (destination, nights, state) in cases {
        let event = call(
            "book_trip",
            &[
                ["destination", "string", destination],
                ["nights", "integer", nights],
            ],
        );
        let answer = answer(&app, &event).unwrap();
        let tool = &answer["response"]["functionResponse"];
        assert_eq!(
            tool["responseState"].as_str(),
            state,
            "{destination} {nights}"
        );
        let keys: Vec<&String> = tool.as_object().unwrap().keys().collect();
        let expected = if state.is_some() { 2 } else { 1 };
        assert_eq!(keys.len(), expected, "{keys:?}");
    }
}

#[test]
fn session_attributes_are_the_tools_if_it_sets_them_else_the_events() {
    let app = app();
    let sample = (
        json!({"employeeId": "EMP123"}),
        json!({"requestType": "vacation"}),
    );
    // (event's maps: None = leave the sample's, Some(None) = absent, Some(Some(v)) = v;
    //  destination; expected session, expected prompt session)
    type Maps = Option<Option<Value>>;
    let cases: Vec<(&str, Maps, &str, Value, Value)> = vec![
        ("echoed", None, "Paris", sample.0.clone(), sample.1.clone()),
        ("absent", Some(None), "Atlantis", json!({}), json!({})),
        (
            "null",
            Some(Some(Value::Null)),
            "Atlantis",
            json!({}),
            json!({}),
        ),
        (
            "empty",
            Some(Some(json!({}))),
            "Atlantis",
            json!({}),
            json!({}),
        ),
        (
            "set by the tool",
            None,
            "Lisbon",
            json!({"employeeId": "EMP123", "lastBooking": "Lisbon"}),
            sample.1,
        ),
        (
            "set by the tool from absent maps",
            Some(None),
            "Lisbon",
            json!({"lastBooking": "Lisbon"}),
            json!({}),
        ),
        ("cleared by the tool", None, "Nowhere", json!({}), json!({})),
    ];
    for (name, maps, destination, session, prompt) in cases {
        let mut event = call(
            "book_trip",
            &[
                ["destination", "string", destination],
                ["nights", "integer", "3"],
            ],
        );
        if destination == "Paris" {
            event["function"] = json!("quoted");
        }
        if let Some(maps) = maps {
            let object = event.as_object_mut().unwrap();
            for key in ["sessionAttributes", "promptSessionAttributes"] {
                match &maps {
                    None => drop(object.remove(key)),
                    Some(value) => drop(object.insert(key.to_owned(), value.clone())),
                }
            }
        }
        let answer = answer(&app, &event).unwrap();
        assert_eq!(answer["sessionAttributes"], session, "{name}");
        assert_eq!(answer["promptSessionAttributes"], prompt, "{name}");
        let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "messageVersion",
                "response",
                "sessionAttributes",
                "promptSessionAttributes"
            ],
            "{name}"
        );
        assert_eq!(answer["messageVersion"], "1.0", "{name}");
    }
}

#[test]
fn a_malformed_event_is_a_typed_error_naming_its_json_path() {
    let app = app();
    let edit = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut event = call("untyped", &[["value", "string", "x"]]);
        edit(event.as_object_mut().unwrap());
        event
    };
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "no function",
            json!({}),
            EventError::MISSING_FIELD,
            "function",
        ),
        (
            "function not a string",
            edit(&|e| drop(e.insert("function".into(), json!(7)))),
            EventError::WRONG_TYPE,
            "function",
        ),
        (
            "no actionGroup",
            edit(&|e| drop(e.remove("actionGroup"))),
            EventError::MISSING_FIELD,
            "actionGroup",
        ),
        (
            "parameters not a list",
            edit(&|e| drop(e.insert("parameters".into(), json!({"a": 1})))),
            EventError::WRONG_TYPE,
            "parameters",
        ),
        (
            "a parameter without a name",
            edit(&|e| {
                drop(e.insert(
                    "parameters".into(),
                    json!([{"type": "string", "value": "x"}]),
                ))
            }),
            EventError::MISSING_FIELD,
            "parameters[0].name",
        ),
        (
            "a value not a string",
            edit(&|e| {
                drop(e.insert(
                    "parameters".into(),
                    json!([{"name": "a", "type": "string", "value": "x"}, {"name": "b", "type": "integer", "value": 5}]),
                ));
            }),
            EventError::WRONG_TYPE,
            "parameters[1].value",
        ),
        (
            "session attributes not a map",
            edit(&|e| drop(e.insert("sessionAttributes".into(), json!(["a"])))),
            EventError::WRONG_TYPE,
            "sessionAttributes",
        ),
        (
            "a prompt session attribute not a string",
            edit(&|e| drop(e.insert("promptSessionAttributes".into(), json!({"n": 1})))),
            EventError::WRONG_TYPE,
            "promptSessionAttributes.n",
        ),
    ];
    for (name, event, code, path) in cases {
        let error = answer(&app, &event).expect_err(name);
        assert_eq!(error.code(), code, "{name}: {error}");
        assert_eq!(error.path(), path, "{name}: {error}");
    }
}

#[test]
fn an_event_of_another_family_names_the_app_to_build() {
    let rest = include_bytes!("../fixtures/events/apiGatewayProxyEvent.json");
    let agent = include_bytes!("../fixtures/bedrock/bedrockAgentEvent.json");
    let function = include_bytes!("../fixtures/bedrock/bedrockAgentFunctionEvent.json");
    let cases: Vec<(&str, App, &[u8], &str)> = vec![
        (
            "function event, REST app",
            App::rest().build().unwrap(),
            function,
            "App::bedrock_agent_functions()",
        ),
        (
            "function event, app for any HTTP source",
            App::any().build().unwrap(),
            function,
            "App::bedrock_agent_functions()",
        ),
        (
            "function event, OpenAPI agent app",
            App::bedrock_agent().build().unwrap(),
            function,
            "App::bedrock_agent_functions()",
        ),
        (
            "OpenAPI agent event, function app",
            app(),
            agent,
            "App::bedrock_agent()",
        ),
        ("REST event, function app", app(), rest, "App::rest()"),
    ];
    for (name, app, event, named) in cases {
        let mut scratch = Scratch::new();
        let error = app
            .handle_blocking(&mut scratch, event, &LambdaContext::default())
            .expect_err(name);
        assert_eq!(error.code(), EventError::WRONG_SOURCE, "{name}: {error}");
        assert!(error.message().contains(named), "{name}: {error}");
    }
}

#[test]
fn a_tool_name_matches_exactly() {
    let app = app();
    for function in ["Quoted", "quoted/", "/quoted", "%71uoted", "quoted ", ""] {
        let answer = answer(&app, &call(function, &[])).unwrap();
        assert!(
            body(&answer).starts_with("\"Error: UnknownTool: "),
            "{function:?}: {answer}"
        );
    }
}

#[test]
fn a_name_bedrock_refuses_or_a_repeated_one_does_not_build() {
    let names: [&[&str]; 9] = [
        &[""],
        &["get weather"],
        &["_private"],
        &["a/b"],
        &["x".repeat(101).leak()],
        &["get__weather"],
        &["get_-weather"],
        &["a1-".repeat(51).leak()],
        &["same", "same"],
    ];
    for names in names {
        let mut builder = App::bedrock_agent_functions();
        for name in names {
            builder = builder.tool(name, || "ok");
        }
        assert!(builder.build().is_err(), "{names:?}");
    }
    let fine = App::bedrock_agent_functions()
        .tool("get_weather-2", || "ok")
        .tool(&"x".repeat(100), || "ok")
        .tool(&"a_".repeat(100), || "ok")
        .tool("trailing-", || "ok")
        .build();
    assert!(fine.is_ok());
}
