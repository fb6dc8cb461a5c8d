//! An agent's request validated as Powertools validates it (pydantic): every error of a
//! request at once, reading errors and failed constraints of one input together, each
//! input's errors in the order its type declares its fields, integers of any length (one
//! too large fails its bound), and pydantic's `type` for each. Each table row is one event.
#![cfg(feature = "validate")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::extract::{Query, Valid};
use lambda_router::{App, Json, LambdaContext, Scratch};
use serde::Deserialize;
use serde_json::{Value, json};

/// Declared out of alphabetical order, as garde would check them.
#[derive(Deserialize, garde::Validate)]
struct Draft {
    #[garde(length(chars, min = 1, max = 40))]
    title: String,
    #[serde(default = "three")]
    #[garde(range(min = 1, max = 5))]
    priority: i64,
    #[serde(default)]
    #[garde(skip)]
    done: bool,
    #[garde(inner(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))]
    due: Option<String>,
}

fn three() -> i64 {
    3
}

#[derive(Deserialize, garde::Validate)]
struct Listing {
    #[serde(default = "three")]
    #[garde(range(min = 1, max = 12))]
    limit: i64,
    #[garde(skip)]
    done: Option<bool>,
}

lambda_router::rebind!(Draft, Listing);

fn draft(
    Valid(Query(list)): Valid<Query<Listing>>,
    Valid(Json(d)): Valid<Json<Draft>>,
) -> Json<Value> {
    Json(json!({
        "limit": list.limit, "done": list.done,
        "title": d.title, "priority": d.priority, "due": d.due, "finished": d.done,
    }))
}

fn event(parameters: &[(&str, &str)], body: Option<&[(&str, &str)]>) -> Vec<u8> {
    let named = |pairs: &[(&str, &str)]| -> Vec<Value> {
        pairs
            .iter()
            .map(|(name, value)| json!({"name": name, "type": "string", "value": value}))
            .collect()
    };
    let mut event = json!({
        "messageVersion": "1.0", "sessionId": "1", "inputText": "", "actionGroup": "Todos",
        "httpMethod": "POST", "apiPath": "/drafts", "parameters": named(parameters),
    });
    if let Some(body) = body {
        event["requestBody"] =
            json!({"content": {"application/json": {"properties": named(body)}}});
    }
    serde_json::to_vec(&event).unwrap()
}

#[test]
fn every_error_of_a_request_in_declared_order_with_pydantic_s_type() {
    let app = App::bedrock_agent().post("/drafts", draft).build().unwrap();
    let ok = [("title", "milk")];
    let huge_negative = format!("-{}", "9".repeat(60));
    #[rustfmt::skip]
    type Pairs<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(&str, Pairs<'_>, Option<Pairs<'_>>, Value)> = vec![
        (
            "constraints of one body, declared order",
            vec![],
            Some(vec![
                ("due", "31/12/2024"),
                ("priority", "9"),
                ("title", ""),
            ]),
            json!([
                [["body", "title"], "string_too_short"],
                [["body", "priority"], "less_than_equal"],
                [["body", "due"], "string_pattern_mismatch"]
            ]),
        ),
        (
            "a reading error beside a constraint of the same input",
            vec![("done", "perhaps"), ("limit", "0")],
            Some(ok.to_vec()),
            json!([
                [["query", "limit"], "greater_than_equal"],
                [["query", "done"], "bool_parsing"]
            ]),
        ),
        (
            "missing, unreadable and constrained fields of one body",
            vec![],
            Some(vec![("due", "soon"), ("priority", "x")]),
            json!([
                [["body", "title"], "missing"],
                [["body", "priority"], "int_parsing"],
                [["body", "due"], "string_pattern_mismatch"]
            ]),
        ),
        (
            "a 23-digit integer fails the bound",
            vec![("limit", "99999999999999999999999")],
            Some(ok.to_vec()),
            json!([[["query", "limit"], "less_than_equal"]]),
        ),
        (
            "a 60-digit negative integer fails the bound",
            vec![("limit", huge_negative.as_str())],
            Some(ok.to_vec()),
            json!([[["query", "limit"], "greater_than_equal"]]),
        ),
        (
            "an integer beyond the type within the bound's body",
            vec![],
            Some(vec![
                ("title", "t"),
                ("priority", "-99999999999999999999999"),
            ]),
            json!([[["body", "priority"], "greater_than_equal"]]),
        ),
        (
            "query before body, whatever the event's order",
            vec![("limit", "abc")],
            None,
            json!([[["query", "limit"], "int_parsing"], [["body"], "missing"]]),
        ),
    ];
    let mut scratch = Scratch::new();
    for (name, parameters, body, expected) in cases {
        let event = event(&parameters, body.as_deref());
        let out = app
            .handle_blocking(&mut scratch, &event, &LambdaContext::default())
            .unwrap();
        let answer: Value = serde_json::from_slice(out).unwrap();
        let response = &answer["response"];
        assert_eq!(response["httpStatusCode"], 422, "{name}: {answer}");
        let body = response["responseBody"]["application/json"]["body"]
            .as_str()
            .unwrap();
        let body: Value = serde_json::from_str(body).unwrap();
        let detail: Vec<Value> = body["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| json!([error["loc"], error["type"]]))
            .collect();
        assert_eq!(Value::from(detail), expected, "{name}");
    }
    let fine = event(&[("limit", "2")], Some(&ok));
    let out = app
        .handle_blocking(&mut scratch, &fine, &LambdaContext::default())
        .unwrap();
    let answer: Value = serde_json::from_slice(out).unwrap();
    assert_eq!(answer["response"]["httpStatusCode"], 200, "{answer}");
}
