//! garde's constraints reach the OpenAPI document, declared once: each row is a field with
//! its garde rule and the bounds the document must show for it, as a query parameter and
//! as a property of a JSON body. The rule on an `Option` is written on the field itself
//! (garde checks it when the value is there); `inner(..)` on an `Option` validates alike
//! but schemars documents `inner(..)` for a list's items only, which the guide says and the
//! last rows pin.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point
#![allow(dead_code)] // the inputs are read for their schemas and checks

use lambda_router::extract::{Json, Query, Valid};
use lambda_router::openapi::OpenApi;
use lambda_router::{App, testing};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct Filter {
    #[garde(range(min = 1, max = 100))]
    limit: Option<u32>,
    #[garde(length(min = 2, max = 8))]
    tag: Option<String>,
    #[garde(pattern(r"^[a-z]+$"))]
    slug: Option<String>,
    #[garde(length(chars, min = 1, max = 200))]
    title: String,
    #[garde(range(max = 50))]
    page: u32,
    #[garde(length(max = 3), inner(length(min = 1)))]
    labels: Vec<String>,
    #[garde(inner(range(min = 1, max = 100)))]
    inner_limit: Option<u32>,
}

lambda_router::rebind!(documented: Filter);

/// (field, the schema members the document shows for it, with their values)
fn rows() -> Vec<(&'static str, Vec<(&'static str, Value)>)> {
    vec![
        (
            "limit",
            vec![("minimum", json!(1)), ("maximum", json!(100))],
        ),
        (
            "tag",
            vec![("minLength", json!(2)), ("maxLength", json!(8))],
        ),
        ("slug", vec![("pattern", json!("^[a-z]+$"))]),
        (
            "title",
            vec![("minLength", json!(1)), ("maxLength", json!(200))],
        ),
        ("page", vec![("maximum", json!(50))]),
        (
            "labels",
            vec![
                ("maxItems", json!(3)),
                ("items", json!({"type": "string", "minLength": 1})),
            ],
        ),
        // schemars applies `inner(..)` to `items` only: on an `Option` the bounds are lost
        // (the u32's own range stays). The guide tells to write the rule on the field.
        (
            "inner_limit",
            vec![("minimum", json!(0)), ("maximum", json!(4_294_967_295_u64))],
        ),
    ]
}

fn list(Valid(Query(_)): Valid<Query<Filter>>) -> &'static str {
    "listed"
}

fn create(Valid(Json(_)): Valid<Json<Filter>>) -> &'static str {
    "created"
}

fn app() -> App {
    App::rest()
        .get("/todos", list)
        .post("/todos", create)
        .openapi(OpenApi::new("Todos", "1"))
        .build()
        .unwrap()
}

#[test]
fn garde_constraints_reach_query_parameters_and_body_properties() {
    let app = app();
    let doc: Value = testing::call(&app, testing::rest().get("/openapi.json"))
        .json()
        .unwrap();
    let parameters = doc["paths"]["/todos"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let properties = &doc["components"]["schemas"]["Filter"]["properties"];
    for (field, members) in rows() {
        let parameter = parameters
            .iter()
            .find(|p| p["name"] == field)
            .unwrap_or_else(|| panic!("no parameter {field}: {parameters:#?}"));
        for (name, expected) in &members {
            let in_parameter = parameter["schema"].get(*name);
            let in_body = properties[field].get(*name);
            assert_eq!(in_parameter, Some(expected), "parameter {field}.{name}");
            assert_eq!(in_body, Some(expected), "body {field}.{name}");
        }
    }
}

#[test]
fn a_rule_on_an_option_checks_the_value_when_there_is_one() {
    let app = app();
    let base = "title=t&page=1&labels=a";
    // (query beyond the required fields, status)
    let cases = [
        ("", 200),
        ("&limit=5", 200),
        ("&limit=0", 422),
        ("&limit=101", 422),
        ("&inner_limit=5", 200),
        ("&inner_limit=0", 422),
        ("&tag=x", 422),
        ("&slug=A", 422),
    ];
    for (extra, status) in cases {
        let mut event = testing::rest().get("/todos");
        for pair in format!("{base}{extra}").split('&') {
            let (name, value) = pair.split_once('=').unwrap();
            event = event.query(name, value);
        }
        let response = testing::call(&app, event);
        assert_eq!(response.status(), status, "{extra}: {}", response.text());
    }
}
