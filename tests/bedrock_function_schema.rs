//! The function details an Amazon Bedrock agent's action group is given
//! (`ToolsBuilder::function_schema`), from the tools' declarations: names, descriptions,
//! one parameter per field of a tool's `Args<T>` with Bedrock's type, the field's doc
//! comment and whether it is required; and the declarations it cannot be made from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::collections::BTreeMap;

use lambda_router::App;
use lambda_router::bedrock::{ArgValue, Args, ToolsBuilder};
use serde::Deserialize;
use serde_json::{Value, json};

/// How hot the answer is told.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Units {
    Celsius,
    Fahrenheit,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[expect(dead_code, reason = "only read by serde")]
struct Forecast {
    /// The city, as the user names it.
    city: String,
    /// Days ahead, 1 to 7.
    days: Option<u8>,
    #[serde(default)]
    hourly: bool,
    /// Degrees in these units.
    units: Option<Units>,
    ratio: f64,
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[expect(dead_code, reason = "only read by serde")]
struct Undocumented {
    city: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[expect(dead_code, reason = "only read by serde")]
struct Nested {
    inner: Forecast,
}

lambda_router::rebind!(documented: Forecast, Nested);
lambda_router::rebind!(Undocumented);

fn tools() -> ToolsBuilder {
    App::bedrock_agent_functions()
        .tool("forecast", |Args(_): Args<Forecast>| "sunny")
        .description("The weather in a city")
        .tool("ping", || "pong")
}

fn schema(tools: &ToolsBuilder) -> Value {
    serde_json::from_str(&tools.function_schema().unwrap()).unwrap()
}

#[test]
fn each_tool_is_a_function_with_a_parameter_per_field() {
    let schema = schema(&tools());
    let functions = schema["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 2);
    let forecast = &functions[0];
    assert_eq!(forecast["name"], "forecast");
    assert_eq!(forecast["description"], "The weather in a city");
    let parameters = &forecast["parameters"];
    let expected = [
        ("city", "string", true),
        ("days", "integer", false),
        ("hourly", "boolean", false),
        ("units", "string", false),
        ("ratio", "number", true),
        ("tags", "array", true),
    ];
    assert_eq!(
        parameters.as_object().unwrap().len(),
        expected.len(),
        "{parameters}"
    );
    for (name, kind, required) in expected {
        assert_eq!(parameters[name]["type"], kind, "{name}");
        assert_eq!(parameters[name]["required"], required, "{name}");
    }
    assert_eq!(
        parameters["city"]["description"],
        "The city, as the user names it."
    );
    assert_eq!(parameters["days"]["description"], "Days ahead, 1 to 7.");
    assert!(parameters["ratio"].get("description").is_none());
    // An enum is a string whose allowed values the description tells (no `enum` form).
    let units = parameters["units"]["description"].as_str().unwrap();
    assert!(
        units.contains("celsius") && units.contains("fahrenheit"),
        "{units}"
    );
    // A tool without arguments has no parameters, and no description unless given one.
    assert_eq!(functions[1], json!({"name": "ping", "parameters": {}}));
    // Every key is one Bedrock's function details have.
    for function in functions {
        for key in function.as_object().unwrap().keys() {
            assert!(
                ["name", "description", "parameters"].contains(&key.as_str()),
                "{key}"
            );
        }
        for detail in function["parameters"].as_object().unwrap().values() {
            for key in detail.as_object().unwrap().keys() {
                assert!(
                    ["type", "description", "required"].contains(&key.as_str()),
                    "{key}"
                );
            }
        }
    }
    // The app built from the same declarations answers the tools the schema lists.
    assert!(tools().build().is_ok());
}

#[test]
fn arguments_without_a_schema_or_of_an_object_type_are_refused_by_name() {
    let undocumented = App::bedrock_agent_functions()
        .tool("where", |Args(_): Args<Undocumented>| "here")
        .function_schema()
        .unwrap_err()
        .to_string();
    assert!(undocumented.contains("tool `where`"), "{undocumented}");
    assert!(undocumented.contains("Undocumented"), "{undocumented}");
    assert!(
        undocumented.contains("rebind!(documented"),
        "{undocumented}"
    );

    let map = App::bedrock_agent_functions()
        .tool("any", |Args(_): Args<BTreeMap<String, ArgValue>>| "any")
        .function_schema()
        .unwrap_err()
        .to_string();
    assert!(map.contains("tool `any`"), "{map}");

    let nested = App::bedrock_agent_functions()
        .tool("nested", |Args(_): Args<Nested>| "nested")
        .function_schema()
        .unwrap_err()
        .to_string();
    assert!(
        nested.contains("argument `inner` of tool `nested`"),
        "{nested}"
    );
}

#[derive(Deserialize, schemars::JsonSchema)]
#[expect(dead_code, reason = "only read by serde")]
struct BadName {
    #[serde(rename = "start__date")]
    start: String,
}

lambda_router::rebind!(documented: BadName);

#[test]
fn names_and_descriptions_bedrock_refuses_are_refused() {
    let bad_name = App::bedrock_agent_functions()
        .tool("book", |Args(_): Args<BadName>| "ok")
        .function_schema()
        .unwrap_err()
        .to_string();
    assert!(
        bad_name.contains("argument `start__date` of tool `book`"),
        "{bad_name}"
    );

    let long_tool = App::bedrock_agent_functions()
        .tool("book", || "ok")
        .description("d".repeat(1201))
        .function_schema()
        .unwrap_err()
        .to_string();
    assert!(
        long_tool.contains("tool `book` has 1201 characters"),
        "{long_tool}"
    );
    let longest = App::bedrock_agent_functions()
        .tool("book", || "ok")
        .description("é".repeat(1200))
        .function_schema();
    assert!(longest.is_ok(), "1,200 characters (not bytes) are taken");
}

#[test]
fn a_description_before_any_tool_describes_none() {
    let schema = schema(
        &App::bedrock_agent_functions()
            .description("nothing yet")
            .tool("ping", || "pong"),
    );
    assert_eq!(
        schema["functions"][0],
        json!({"name": "ping", "parameters": {}})
    );
}
