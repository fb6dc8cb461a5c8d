//! The OpenAPI document: what each extractor says of itself, what routes add, and the
//! whole document of a small typed app.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// test code: failing loudly is the point
// The input types are read for their schemas; the handlers ignore their values.
#![allow(dead_code)]

use std::collections::BTreeMap;

use lambda_router::extract::{Headers, Json, Path, Query, State, Valid};
use lambda_router::openapi::{OpenApi, Operation, SecurityScheme, SwaggerUi};
use lambda_router::{App, AppBuilder, LambdaContext, Request, Route, Router, testing};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct NewTodo<'a> {
    #[garde(length(min = 1, max = 10))]
    title: &'a str,
    #[serde(default)]
    #[garde(skip)]
    tags: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
struct Todo {
    id: u64,
    title: String,
}

#[derive(Deserialize, JsonSchema)]
struct Page {
    /// How many.
    limit: Option<u8>,
    tag: Vec<String>,
    order: String,
}

#[derive(Deserialize, JsonSchema)]
struct Ids {
    list: String,
    item: u32,
}

#[derive(Deserialize, JsonSchema)]
struct Auth<'a> {
    x_api_key: &'a str,
    x_trace: Option<&'a str>,
}

/// Read but not documented: the document names no field of it.
#[derive(Deserialize)]
struct Opaque {
    secret: String,
}

lambda_router::rebind!(documented: NewTodo<'a>, Page, Ids, Auth<'a>);
lambda_router::rebind!(Opaque);

fn document(app: &App) -> Value {
    let response = testing::call(app, testing::rest().get("/openapi.json"));
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    response.json().unwrap()
}

fn with_docs(builder: AppBuilder) -> App {
    builder.openapi(OpenApi::new("T", "1")).build().unwrap()
}

fn operation<'d>(document: &'d Value, path: &str, method: &str) -> &'d Value {
    let found = &document["paths"][path][method];
    assert!(found.is_object(), "no {method} {path} in {document:#}");
    found
}

fn parameters(operation: &Value) -> BTreeMap<String, Value> {
    operation["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| {
                    (
                        format!(
                            "{}:{}",
                            p["in"].as_str().unwrap(),
                            p["name"].as_str().unwrap()
                        ),
                        p.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn path_extractors_describe_each_parameter() {
    fn one(Path(_): Path<u32>) -> &'static str {
        ""
    }
    fn tuple(Path(_): Path<(&str, u16)>) -> &'static str {
        ""
    }
    fn fields(Path(_): Path<Ids>) -> &'static str {
        ""
    }
    fn opaque(Path(_): Path<Opaque>) -> &'static str {
        ""
    }
    let app = with_docs(
        App::rest()
            .get("/one/<id>", one)
            .get("/tuple/<list>/<item>", tuple)
            .get("/fields/<list>/<item>", fields)
            .get("/opaque/<secret>", opaque),
    );
    let doc = document(&app);
    let one = parameters(operation(&doc, "/one/{id}", "get"));
    assert_eq!(one["path:id"]["schema"]["type"], "integer");
    assert_eq!(one["path:id"]["schema"]["maximum"], u32::MAX);
    assert_eq!(one["path:id"]["required"], true);
    let tuple = parameters(operation(&doc, "/tuple/{list}/{item}", "get"));
    assert_eq!(tuple["path:list"]["schema"]["type"], "string");
    assert_eq!(tuple["path:item"]["schema"]["maximum"], u16::MAX);
    let fields = parameters(operation(&doc, "/fields/{list}/{item}", "get"));
    assert_eq!(fields["path:list"]["schema"]["type"], "string");
    assert_eq!(fields["path:item"]["schema"]["type"], "integer");
    // A type without a schema leaves the parameter a string, still required.
    let opaque = parameters(operation(&doc, "/opaque/{secret}", "get"));
    assert_eq!(opaque["path:secret"]["schema"], json!({"type": "string"}));
}

#[test]
fn query_and_header_fields_are_one_parameter_each() {
    fn handler(Query(_): Query<Page>, Headers(_): Headers<Auth<'_>>) -> &'static str {
        ""
    }
    fn opaque(Query(_): Query<Opaque>) -> &'static str {
        ""
    }
    let app = with_docs(App::rest().get("/items", handler).get("/opaque", opaque));
    let doc = document(&app);
    let items = operation(&doc, "/items", "get");
    let params = parameters(items);
    assert_eq!(params.len(), 5, "{params:#?}");
    // `Option` is an optional parameter of the inner type, never null.
    assert_eq!(params["query:limit"]["required"], false);
    assert_eq!(params["query:limit"]["schema"]["type"], "integer");
    assert_eq!(params["query:limit"]["schema"]["maximum"], 255);
    assert_eq!(params["query:limit"]["description"], "How many.");
    // A repeated key is an exploded array.
    assert_eq!(params["query:tag"]["schema"]["type"], "array");
    assert_eq!(params["query:tag"]["explode"], true);
    assert_eq!(params["query:order"]["required"], true);
    assert_eq!(params["header:x-api-key"]["required"], true);
    assert_eq!(params["header:x-trace"]["required"], false);
    assert_eq!(
        params["header:x-trace"]["schema"],
        json!({"type": "string"})
    );
    assert!(items["responses"]["422"].is_object());
    // Query of an undocumented type: no parameter, still the 422.
    let opaque = operation(&doc, "/opaque", "get");
    assert!(opaque.get("parameters").is_none());
    assert!(opaque["responses"]["422"].is_object());
}

#[test]
fn json_bodies_state_and_valid_describe_themselves() {
    fn create(
        State(_): State<&u8>,
        Valid(Json(_)): Valid<Json<NewTodo<'_>>>,
        _: &LambdaContext,
        _: &Request<'_>,
    ) -> &'static str {
        ""
    }
    fn opaque(Json(_): Json<Opaque>) -> &'static str {
        ""
    }
    fn nothing(State(_): State<&u8>) -> &'static str {
        ""
    }
    let app = with_docs(
        App::rest()
            .state(7_u8)
            .post("/todos", create)
            .post("/opaque", opaque)
            .get("/nothing", nothing),
    );
    let doc = document(&app);
    let create = operation(&doc, "/todos", "post");
    let body = &create["requestBody"];
    assert_eq!(body["required"], true);
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewTodo"
    );
    // schemars reads the garde constraints.
    let new_todo = &doc["components"]["schemas"]["NewTodo"];
    assert_eq!(new_todo["properties"]["title"]["minLength"], 1);
    assert_eq!(new_todo["properties"]["title"]["maxLength"], 10);
    assert_eq!(new_todo["required"], json!(["title"]));
    assert_eq!(
        create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/HTTPValidationError"
    );
    assert_eq!(
        operation(&doc, "/opaque", "post")["requestBody"]["content"]["application/json"]["schema"],
        json!({})
    );
    // A typed handler reading nothing a request can get wrong has no 422.
    let nothing = operation(&doc, "/nothing", "get");
    assert_eq!(nothing["responses"], json!({"200": {"description": "OK"}}));
}

#[test]
fn untyped_and_regex_routes() {
    let app = with_docs(
        App::rest()
            .get("/plain/<id>", |_: &Request<'_>| "")
            .doc(Operation::new().summary("Plain"))
            .get("/files/.+", |_: &Request<'_>| ""),
    );
    let doc = document(&app);
    let plain = operation(&doc, "/plain/{id}", "get");
    assert_eq!(plain["summary"], "Plain");
    // The path parameter is there (a template's parameters must be), as a string.
    assert_eq!(
        parameters(plain)["path:id"]["schema"],
        json!({"type": "string"})
    );
    assert!(plain["responses"].get("422").is_none());
    // A regex rule has no OpenAPI path: left out. So are the document's own routes.
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/plain/{id}"]);
}

#[test]
fn route_metadata_reaches_the_operation() {
    let handler = |_: &Request<'_>| "";
    let router = Router::new()
        .get("/<id>", handler)
        .doc(Operation::new().operation_id("getItem").deprecated(true));
    let app = with_docs(
        App::rest()
            .include("/items", router)
            .add_route(
                Route::new(
                    [lambda_router::Method::PUT, lambda_router::Method::PATCH],
                    "/both",
                    handler,
                )
                .doc(
                    Operation::new()
                        .operation_id("update")
                        .tag("a")
                        .tag("b")
                        .description("Long")
                        .security("bearer", ["write"])
                        .extension("amazon-apigateway-auth", json!({"type": "NONE"}))
                        .returns::<Todo>(200, "The todo")
                        .response(204, "Nothing")
                        .error(404, "Missing")
                        .response_header(204, "ETag", "The version"),
                ),
            )
            .get("/hidden", handler)
            .doc(Operation::new().hidden())
            .get("/open", handler)
            .doc(Operation::new().no_security()),
    );
    let doc = document(&app);
    let item = operation(&doc, "/items/{id}", "get");
    assert_eq!(item["operationId"], "getItem");
    assert_eq!(item["deprecated"], true);
    let put = operation(&doc, "/both", "put");
    assert_eq!(put["operationId"], "update_put");
    assert_eq!(
        operation(&doc, "/both", "patch")["operationId"],
        "update_patch"
    );
    assert_eq!(put["tags"], json!(["a", "b"]));
    assert_eq!(put["description"], "Long");
    assert_eq!(put["security"], json!([{"bearer": ["write"]}]));
    assert_eq!(put["x-amazon-apigateway-auth"], json!({"type": "NONE"}));
    let responses = &put["responses"];
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Todo"
    );
    assert_eq!(responses["204"]["description"], "Nothing");
    assert_eq!(responses["204"]["headers"]["ETag"]["required"], true);
    assert_eq!(
        responses["404"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ServiceError"
    );
    assert!(doc["paths"].get("/hidden").is_none());
    assert_eq!(operation(&doc, "/open", "get")["security"], json!([]));
}

/// The whole document of a small typed app, against the one expected.
#[test]
fn the_document_of_a_small_app() {
    fn get(Path(_): Path<u64>) -> &'static str {
        ""
    }
    let app = App::rest()
        .get("/todos/<id>", get)
        .doc(
            Operation::new()
                .summary("Read")
                .returns::<Todo>(200, "The todo"),
        )
        .openapi(
            OpenApi::new("Todos", "1.0")
                .description("Things to do")
                .server("https://api.example.com/prod", Some("production"))
                .tag("todos", "The list")
                .security_scheme("key", SecurityScheme::api_key_header("x-api-key"))
                .security("key", Vec::<String>::new()),
        )
        .build()
        .unwrap();
    let expected = json!({
        "openapi": "3.1.0",
        "info": {"title": "Todos", "version": "1.0", "description": "Things to do"},
        "servers": [{"url": "https://api.example.com/prod", "description": "production"}],
        "paths": {"/todos/{id}": {"get": {
            "summary": "Read",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {
                "type": "integer", "format": "uint64", "minimum": 0, "maximum": u64::MAX}}],
            "responses": {
                "200": {"description": "The todo", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Todo"}}}},
                "422": {"description": "Validation error", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}
            }
        }}},
        "components": {
            "schemas": {
                "Todo": {"type": "object", "properties": {
                    "id": {"type": "integer", "format": "uint64", "minimum": 0, "maximum": u64::MAX},
                    "title": {"type": "string"}}, "required": ["id", "title"]},
                "HTTPValidationError": {"type": "object", "properties": {"statusCode": {"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535, "const": 422}, "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}, "description": "The first errors, in the order the inputs were read."}, "omitted": {"type": "integer", "format": "uint", "minimum": 0, "description": "How many more errors were found and not listed (absent when none was left out).", "maximum": u64::MAX}}, "required": ["statusCode", "detail"], "description": "The body of a 422 (Powertools' `HTTPValidationError`, with `omitted` when errors were\nleft out)."},
                "ValidationError": {"type": "object", "properties": {"loc": {"type": "array", "items": {"$ref": "#/components/schemas/Loc"}, "description": "Where: `path`, `query`, `header` or `body`, then the field names and list indexes\nleading to the value."}, "type": {"$ref": "#/components/schemas/ErrorType", "description": "What kind of error."}, "msg": {"type": "string", "description": "A sentence for people."}}, "required": ["loc", "type", "msg"], "description": "One thing wrong with a request: where (`loc`), what kind (`type`), and a message."},
                "Loc": {"anyOf": [{"type": "string", "description": "Where the input came from, or a field name."}, {"type": "integer", "format": "uint", "minimum": 0, "description": "An index in a list.", "maximum": u64::MAX}], "description": "One step of an error's location."},
                "ErrorType": {"oneOf": [{"type": "string", "const": "missing", "description": "`missing`:  a required field, parameter, header or body is absent."}, {"type": "string", "const": "json_invalid", "description": "`json_invalid`:  the body is not JSON (or not readable: bad base64, not UTF-8)."}, {"type": "string", "const": "int_parsing", "description": "`int_parsing`:  text (path, query, header) that is not the integer asked for."}, {"type": "string", "const": "float_parsing", "description": "`float_parsing`:  text that is not a number."}, {"type": "string", "const": "bool_parsing", "description": "`bool_parsing`:  text that is not `true` or `false`."}, {"type": "string", "const": "string_type", "description": "`string_type`:  a JSON value of another type where a string was expected."}, {"type": "string", "const": "int_type", "description": "`int_type`:  a JSON value of another type where an integer was expected."}, {"type": "string", "const": "float_type", "description": "`float_type`:  a JSON value of another type where a number was expected."}, {"type": "string", "const": "bool_type", "description": "`bool_type`:  a JSON value of another type where a boolean was expected."}, {"type": "string", "const": "list_type", "description": "`list_type`:  a JSON value of another type where a list was expected."}, {"type": "string", "const": "model_type", "description": "`model_type`:  a JSON value of another type where an object was expected."}, {"type": "string", "const": "enum", "description": "`enum`:  a value that is not one of the allowed variants."}, {"type": "string", "const": "greater_than_equal", "description": "`greater_than_equal`:  a number below the least its type (or a declared bound) allows."}, {"type": "string", "const": "less_than_equal", "description": "`less_than_equal`:  a number above the most its type (or a declared bound) allows."}, {"type": "string", "const": "extra_forbidden", "description": "`extra_forbidden`:  a field the type refuses (`#[serde(deny_unknown_fields)]`)."}, {"type": "string", "const": "value_error", "description": "`value_error`:  the value has the right type but is refused (a declared constraint, a custom check)."}], "description": "What was wrong with a value: the `type` of a 422 error. The names follow\nPowertools (pydantic's) for the cases both have."}
            },
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "x-api-key"}}
        },
        "security": [{"key": []}],
        "tags": [{"name": "todos", "description": "The list"}]
    });
    assert_eq!(document(&app), expected);
}

#[test]
fn swagger_ui_and_paths_are_configurable() {
    let app = App::rest()
        .get("/x", |_: &Request<'_>| "")
        .openapi(
            OpenApi::new("T", "1")
                .path("/api/spec.json")
                .swagger_path(Some("/docs/ui"))
                .swagger_ui(SwaggerUi::at("https://assets.example.com/swagger/"))
                .document_own_routes(true),
        )
        .build()
        .unwrap();
    let page = testing::call(&app, testing::rest().get("/docs/ui"));
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    assert!(html.contains(r#"href="https://assets.example.com/swagger/swagger-ui.css""#));
    assert!(html.contains(r#"src="https://assets.example.com/swagger/swagger-ui-bundle.js""#));
    assert!(html.contains(r#"data-document="../api/spec.json""#));
    let spec = testing::call(&app, testing::rest().get("/api/spec.json"));
    let doc: Value = spec.json().unwrap();
    assert!(doc["paths"]["/api/spec.json"]["get"].is_object());
    let ui = &doc["paths"]["/docs/ui"]["get"]["responses"]["200"]["content"];
    assert!(ui["text/html"].is_object(), "{ui}");
    let spec = &doc["paths"]["/api/spec.json"]["get"]["responses"]["200"]["content"];
    assert!(spec["application/json"].is_object(), "{spec}");
    assert_eq!(
        testing::call(&app, testing::rest().get("/openapi.json")).status(),
        404
    );
    assert_eq!(
        testing::call(&app, testing::rest().get("/swagger")).status(),
        404
    );

    let no_ui = App::rest()
        .openapi(OpenApi::new("T", "1").swagger_path(None))
        .build()
        .unwrap();
    assert_eq!(
        testing::call(&no_ui, testing::rest().get("/swagger")).status(),
        404
    );
    assert_eq!(
        testing::call(&no_ui, testing::rest().get("/openapi.json")).status(),
        200
    );
}

#[test]
fn a_state_the_app_was_not_given_is_a_build_error() {
    struct Store;
    fn handler(State(_): State<&Store>, Path(_): Path<u32>) -> &'static str {
        ""
    }
    let error = App::rest().get("/todos/<id>", handler).build().unwrap_err();
    let message = error.to_string();
    assert!(message.contains("GET /todos/<id>"), "{message}");
    assert!(message.contains("State<&openapi::"), "{message}");
    assert!(message.contains("Store"), "{message}");
    let wrong = App::rest().state(1_u8).get("/todos/<id>", handler).build();
    assert!(wrong.is_err());
    assert!(
        App::rest()
            .state(Store)
            .get("/todos/<id>", handler)
            .build()
            .is_ok()
    );
}
