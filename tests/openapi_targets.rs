//! The document's targets: OpenAPI 3.0 for the tools and Bedrock agents that read no 3.1,
//! with no 3.1-only form left in it, and [`App::openapi_json`]; and the descriptions of
//! declared responses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// test code: failing loudly is the point
// The input types are read for their schemas; the handlers ignore their values.
#![allow(dead_code)]

use lambda_router::extract::{Json, Path, Query};
use lambda_router::openapi::{OpenApi, Operation, Target};
use lambda_router::{App, AppBuilder, testing};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Every 3.1-only form schemars writes for a Rust type: `Option` (a `type` list, a null
/// branch), a tuple (`prefixItems`), a tagged enum (`const`), an example (`examples`), a
/// reference with a description beside it, `u64` (bounds), a unit (`type: null`).
#[derive(Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind")]
enum Shape {
    Circle { radius: f64 },
    Square { side: u32 },
}

#[derive(Deserialize, Serialize, JsonSchema)]
enum Units {
    Metric,
    Imperial,
}

#[derive(Deserialize, Serialize, JsonSchema)]
struct Drawing {
    /// The shape drawn.
    shape: Shape,
    previous: Option<Shape>,
    units: Option<Units>,
    at: (i32, i32, String),
    #[schemars(example = 3)]
    layer: u64,
    note: Option<String>,
    nothing: (),
    any: Value,
}

#[derive(Deserialize, JsonSchema)]
struct Filter {
    units: Option<Units>,
    limit: Option<u8>,
    tags: Vec<String>,
}

lambda_router::rebind!(documented: Drawing, Filter);

fn draw(Path(_): Path<u64>, Query(_): Query<Filter>, Json(_): Json<Drawing>) -> &'static str {
    ""
}

fn with_routes(builder: AppBuilder) -> AppBuilder {
    builder
        .post("/drawings/<id>", draw)
        .doc(
            Operation::new()
                .operation_id("draw")
                .returns::<Drawing>(200, "The drawing")
                .returns::<Option<Vec<(u8, Shape)>>>(201, "Drawn")
                .error(404, "No such drawing"),
        )
        .openapi(OpenApi::new("Drawings", "1.0"))
}

/// Where the document has a form OpenAPI 3.0 has not (or, for Bedrock, an `enum`).
fn forms_not_30(value: &Value, at: &str, enums: bool, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{at}/{key}");
                let wrong = match key.as_str() {
                    "const" | "$defs" | "examples" | "prefixItems" | "$schema" => true,
                    "type" => !child.is_string(),
                    "exclusiveMinimum" | "exclusiveMaximum" => !child.is_boolean(),
                    "enum" => !enums,
                    "$ref" => {
                        object.len() > 1
                            || !child
                                .as_str()
                                .is_some_and(|r| r.starts_with("#/components/schemas/"))
                    }
                    _ => false,
                };
                if wrong {
                    found.push(format!("{here}: {child}"));
                }
                // `properties` names fields, which may be called anything.
                if key == "properties" {
                    for (field, schema) in child.as_object().into_iter().flatten() {
                        forms_not_30(schema, &format!("{here}/{field}"), enums, found);
                    }
                } else {
                    forms_not_30(child, &here, enums, found);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                forms_not_30(item, &format!("{at}/{index}"), enums, found);
            }
        }
        _ => {}
    }
}

/// Writes `document` as `<name>.json` into `$OPENAPI_DOCUMENTS_DIR` when it is set, for
/// `tests/openapi_judges.sh` to hand to openapi-spec-validator.
fn keep_for_the_judges(name: &str, document: &str) {
    if let Some(dir) = std::env::var_os("OPENAPI_DOCUMENTS_DIR") {
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}.json")),
            document,
        )
        .unwrap();
    }
}

fn refs_resolve(value: &Value, document: &Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                let pointer = reference.trim_start_matches('#');
                assert!(
                    document.pointer(pointer).is_some(),
                    "{reference} is nowhere"
                );
            }
            object
                .values()
                .for_each(|child| refs_resolve(child, document));
        }
        Value::Array(items) => items.iter().for_each(|child| refs_resolve(child, document)),
        _ => {}
    }
}

#[test]
fn a_bedrock_agent_app_has_an_openapi_30_document_without_enum() {
    let app = with_routes(App::bedrock_agent()).build().unwrap();
    keep_for_the_judges("bedrock_agent", app.openapi_json().unwrap());
    let document: Value = serde_json::from_str(app.openapi_json().unwrap()).unwrap();
    assert_eq!(document["openapi"], "3.0.0");
    let mut found = Vec::new();
    forms_not_30(&document, "", false, &mut found);
    assert!(found.is_empty(), "3.1 forms: {found:#?}");
    refs_resolve(&document, &document);
    let drawing = &document["components"]["schemas"]["Drawing"]["properties"];
    assert_eq!(drawing["note"]["type"], "string");
    assert_eq!(drawing["note"]["nullable"], true);
    assert_eq!(drawing["layer"]["example"], 3);
    assert_eq!(drawing["layer"]["maximum"], u64::MAX);
    // The unit enum's values are told in its description.
    let units = serde_json::to_string(&document["components"]["schemas"]["Units"]).unwrap();
    assert!(units.contains(r#"One of: \"Metric\""#), "{units}");
}

#[test]
fn an_http_app_may_have_an_openapi_30_document() {
    let app = with_routes(App::rest())
        .openapi(OpenApi::new("Drawings", "1.0").target(Target::OpenApi30))
        .build()
        .unwrap();
    let served = testing::call(&app, testing::rest().get("/openapi.json"));
    assert_eq!(served.status(), 200);
    assert_eq!(served.text(), app.openapi_json().unwrap());
    keep_for_the_judges("openapi30", app.openapi_json().unwrap());
    let document: Value = served.json().unwrap();
    assert_eq!(document["openapi"], "3.0.3");
    let mut found = Vec::new();
    forms_not_30(&document, "", true, &mut found);
    assert!(found.is_empty(), "3.1 forms: {found:#?}");
    refs_resolve(&document, &document);
    let status =
        &document["components"]["schemas"]["HTTPValidationError"]["properties"]["statusCode"];
    assert_eq!(status["enum"], serde_json::json!([422]));
}

#[test]
fn the_target_follows_the_app_and_only_http_apps_serve_the_document() {
    let http = with_routes(App::http_api()).build().unwrap();
    let document: Value = serde_json::from_str(http.openapi_json().unwrap()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut found = Vec::new();
    forms_not_30(&document, "", true, &mut found);
    assert!(
        !found.is_empty(),
        "a 3.1 document of these types has 3.1 forms"
    );

    let agent = with_routes(App::bedrock_agent()).build().unwrap();
    let event = serde_json::json!({
        "messageVersion": "1.0", "actionGroup": "g", "apiPath": "/openapi.json",
        "httpMethod": "GET", "parameters": [], "sessionAttributes": {},
        "promptSessionAttributes": {}, "agent": {"name": "a", "id": "i", "alias": "x", "version": "1"},
        "inputText": "", "sessionId": "s"
    });
    let mut scratch = lambda_router::Scratch::new();
    let answer = agent
        .handle_blocking(
            &mut scratch,
            event.to_string().as_bytes(),
            &lambda_router::LambdaContext::default(),
        )
        .unwrap();
    let answer: Value = serde_json::from_slice(answer).unwrap();
    assert_eq!(answer["response"]["httpStatusCode"], 404, "{answer}");

    assert!(App::rest().build().unwrap().openapi_json().is_none());

    // Nothing served, so no route of its own is in an agent's document.
    let own = with_routes(App::bedrock_agent())
        .openapi(OpenApi::new("Drawings", "1.0").document_own_routes(true))
        .build()
        .unwrap();
    let document: Value = serde_json::from_str(own.openapi_json().unwrap()).unwrap();
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/drawings/{id}"]);
}

/// A response's description is the one its declaration gives, whatever the words (a
/// header declared on its own gives "Response" until the response is declared).
#[test]
fn a_declared_description_is_kept() {
    let cases = [
        (
            Operation::new()
                .response(204, "Nothing")
                .response(204, "Response"),
            "204",
            "Response",
        ),
        (
            Operation::new()
                .returns_text(200, "Response")
                .response_header(200, "ETag", "The version"),
            "200",
            "Response",
        ),
        (
            Operation::new()
                .returns_text(200, "The todo")
                .response_header(200, "ETag", "The version"),
            "200",
            "The todo",
        ),
        (
            Operation::new()
                .response_header(201, "Location", "Where it is")
                .response(201, "Created"),
            "201",
            "Created",
        ),
        (
            Operation::new().response_header(201, "Location", "Where it is"),
            "201",
            "Response",
        ),
    ];
    for (index, (operation, status, description)) in cases.into_iter().enumerate() {
        let app = App::rest()
            .get("/x", |_: &lambda_router::Request<'_>| "")
            .doc(operation)
            .openapi(OpenApi::new("T", "1"))
            .build()
            .unwrap();
        let document: Value = serde_json::from_str(app.openapi_json().unwrap()).unwrap();
        let found = &document["paths"]["/x"]["get"]["responses"][status]["description"];
        assert_eq!(found, description, "case {index}");
    }
}
