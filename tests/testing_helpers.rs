//! `lambda_router::testing`: the event builders make events each source's app accepts, and
//! `TestResponse` reads every response shape back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::testing::{self, EventBuilder, TestError, TestResponse};
use lambda_router::{App, AppBuilder, Cookie, EventError, Json, Method, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

fn echo(req: &Request<'_>) -> Json<Value> {
    Json(json!({
        "method": req.method().as_str(),
        "path": req.path(),
        "id": req.param("id"),
        "a": req.query_params().get_all("a").collect::<Vec<_>>(),
        "key": req.header("x-api-key"),
        "accept": req.headers().get_all("accept").collect::<Vec<_>>(),
        "c": req.cookie("c"),
        "d": req.cookie("d"),
        "body": req.body_text().ok().flatten(),
        "bytes": req.body().ok().flatten().map(<[u8]>::to_vec),
        "base64": req.is_base64_encoded(),
    }))
}

fn app(builder: AppBuilder) -> App {
    builder
        .route(
            [Method::GET, Method::POST, Method::PUT, Method::DELETE],
            "/todos/<id>",
            echo,
        )
        .get("/cookies", |_: &Request<'_>| {
            Response::text(200, "set")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .cookie(Cookie::new("a", "1").secure(false))
                .cookie(Cookie::new("b", "2").http_only(true).secure(false))
        })
        .get("/binary", |_: &Request<'_>| {
            Response::binary(200, vec![1u8, 2, 255])
        })
        .get("/gzip", |_: &Request<'_>| {
            Response::text(200, "zip ".repeat(100)).compress(true)
        })
        .build()
        .unwrap()
}

/// Every builder, sent to the app of its source.
fn cases() -> Vec<(&'static str, AppBuilder, EventBuilder)> {
    vec![
        ("rest", App::rest(), testing::rest()),
        ("http_api", App::http_api(), testing::http_api()),
        ("alb", App::alb(), testing::alb()),
        ("alb_multi_value", App::alb(), testing::alb_multi_value()),
        ("function_url", App::function_url(), testing::function_url()),
    ]
}

#[test]
fn every_builder_makes_a_valid_event_of_its_source() {
    for (name, builder, event) in cases() {
        let app = app(builder);
        let multi = matches!(
            name,
            "rest" | "alb_multi_value" | "http_api" | "function_url"
        );
        let event = event
            .get("/todos/1")
            .header("X-Api-Key", "k")
            .query("a", "1 2")
            .query("a", "3")
            .cookie("c", "v")
            .cookie("d", "w");
        let response = testing::call(&app, &event);
        assert_eq!(response.status(), 200, "{name}: {}", response.text());
        let seen: Value = response.json().unwrap();
        assert_eq!(seen["method"], "GET", "{name}");
        assert_eq!(seen["path"], "/todos/1", "{name}");
        assert_eq!(seen["id"], "1", "{name}");
        assert_eq!(seen["key"], "k", "{name}");
        assert_eq!(seen["c"], "v", "{name}");
        assert_eq!(seen["d"], "w", "{name}");
        // ALB sends an empty string where the others send no body.
        let no_body = if name.starts_with("alb") {
            json!("")
        } else {
            Value::Null
        };
        assert_eq!(seen["body"], no_body, "{name}");
        // ALB passes query values as sent (encoded) and keeps one value with multi-value off.
        let expected_a = match name {
            "alb" => json!(["3"]),
            "alb_multi_value" => json!(["1%202", "3"]),
            _ if multi => json!(["1 2", "3"]),
            _ => unreachable!(),
        };
        assert_eq!(seen["a"], expected_a, "{name}");
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Todo {
    title: String,
    done: bool,
}

#[test]
fn json_text_and_binary_bodies() {
    for (name, builder, event) in cases() {
        let app = app(builder);
        let todo = Todo {
            title: "docs".into(),
            done: false,
        };
        let seen: Value = testing::call(&app, event.clone().post("/todos/2").json(&todo))
            .json()
            .unwrap();
        assert_eq!(seen["method"], "POST", "{name}");
        let sent: Todo = serde_json::from_str(seen["body"].as_str().unwrap()).unwrap();
        assert_eq!(sent, todo, "{name}");

        let seen: Value = testing::call(&app, event.clone().put("/todos/2").body("plain"))
            .json()
            .unwrap();
        assert_eq!(seen["body"], "plain", "{name}");
        assert_eq!(seen["base64"], false, "{name}");

        let seen: Value = testing::call(&app, event.delete("/todos/2").binary([0u8, 255, 7]))
            .json()
            .unwrap();
        assert_eq!(seen["bytes"], json!([0, 255, 7]), "{name}");
        assert_eq!(seen["base64"], true, "{name}");
    }
}

#[test]
fn a_path_with_a_query_string_is_split() {
    let app = app(App::http_api());
    let seen: Value = testing::call(&app, testing::http_api().get("/todos/9?a=x%26y&a=z"))
        .json()
        .unwrap();
    assert_eq!(seen["path"], "/todos/9");
    assert_eq!(seen["a"], json!(["x&y", "z"]));
}

#[test]
fn responses_read_back_headers_cookies_and_bodies() {
    for (name, builder, event) in cases() {
        let app = app(builder);
        let response = testing::call(&app, event.clone().get("/cookies"));
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(response.text(), "set", "{name}");
        // ALB single-value responses carry one Set-Cookie (the last cookie).
        let cookies = if name == "alb" {
            vec!["b=2; HttpOnly"]
        } else {
            vec!["a=1", "b=2; HttpOnly"]
        };
        assert_eq!(response.cookies(), cookies, "{name}");
        let multi = vec!["one", "two"];
        if name == "alb" {
            // ALB single-value: one value per name, repeated values joined (the default).
            assert_eq!(response.headers("x-multi"), vec!["one, two"], "{name}");
        } else if name == "http_api" || name == "function_url" {
            // Payload 2.0 has one value per name: repeated headers are joined.
            assert_eq!(response.header("x-multi"), Some("one, two"), "{name}");
        } else {
            assert_eq!(response.headers("X-MULTI"), multi, "{name}");
        }

        let binary = testing::call(&app, event.clone().get("/binary"));
        assert!(binary.is_base64_encoded(), "{name}");
        assert_eq!(binary.body_bytes(), [1, 2, 255], "{name}");

        if cfg!(feature = "gzip") {
            let gzip = testing::call(&app, event.get("/gzip").header("Accept-Encoding", "gzip"));
            assert_eq!(gzip.header("content-encoding"), Some("gzip"), "{name}");
            assert!(gzip.is_base64_encoded(), "{name}");
            assert_eq!(&gzip.body_bytes()[..2], [0x1f, 0x8b], "{name}");
        }
    }
}

#[test]
fn not_found_and_raw_events() {
    let app = app(App::rest());
    let response = testing::call(&app, testing::rest().get("/nowhere"));
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({ "statusCode": 404, "message": "Not found" })
    );
    assert_eq!(response.raw()["statusCode"], 404);

    // Raw JSON is accepted as well: bytes, text or a Value.
    let raw = r#"{"httpMethod":"GET","path":"/todos/5","headers":{},"body":null}"#;
    assert_eq!(testing::call(&app, raw).status(), 200);
    assert_eq!(testing::call(&app, raw.as_bytes()).status(), 200);
    let mut event = testing::rest().get("/todos/5").to_json();
    event["path"] = json!("/todos/6");
    let seen: Value = testing::call(&app, &event).json().unwrap();
    assert_eq!(seen["id"], "6");
}

#[test]
fn malformed_events_are_errors_of_try_call() {
    let app = app(App::rest());
    // An HTTP API event sent to a REST app is refused, naming the constructor to use.
    match testing::try_call(&app, testing::http_api().get("/todos/1")) {
        Err(TestError::Event(e)) => {
            assert_eq!(e.code(), EventError::WRONG_SOURCE);
            assert!(e.message().contains("App::http_api()"), "{e}");
        }
        other => panic!("expected an event error, got {other:?}"),
    }
    assert!(matches!(
        TestResponse::parse(b"[]"),
        Err(TestError::Response(_))
    ));
    assert!(matches!(
        TestResponse::parse(b"{\"statusCode\":\"x\"}"),
        Err(TestError::Response(_))
    ));
}

#[test]
fn builder_bytes_are_the_json() {
    let event = testing::alb_multi_value()
        .post("/x")
        .header("A", "1")
        .header("A", "2");
    let bytes = event.to_bytes();
    let parsed: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(parsed, event.to_json());
    assert_eq!(parsed["multiValueHeaders"]["a"], json!(["1", "2"]));
    assert_eq!(parsed["httpMethod"], "POST");
    assert_eq!(
        testing::event_for(lambda_router::Source::RestV1).to_json()["httpMethod"],
        "GET"
    );
}

#[derive(Clone, Debug)]
struct Tenant(&'static str);

fn tenant_app() -> App {
    App::rest()
        .get("/tenant", |req: &Request<'_>| {
            Json(json!({
                "tenant": req.context().get::<Tenant>().map(|t| t.0),
                "request_id": req.lambda_context().request_id,
            }))
        })
        .get("/slow", async |req: &Request<'_>| {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            Json(json!({ "tenant": req.context().get::<Tenant>().map(|t| t.0) }))
        })
        .build()
        .unwrap()
}

#[test]
fn a_client_puts_context_into_the_next_call_only() {
    let app = tenant_app();
    let mut client = testing::Client::new(&app);
    client.context_mut().insert(Tenant("acme"));
    let first: Value = client.call(testing::rest().get("/tenant")).json().unwrap();
    let second: Value = client.call(testing::rest().get("/tenant")).json().unwrap();
    assert_eq!(
        first,
        json!({ "tenant": "acme", "request_id": "test-request" })
    );
    assert_eq!(
        second,
        json!({ "tenant": null, "request_id": "test-request" })
    );
}

#[test]
fn a_client_sets_the_lambda_context() {
    let app = tenant_app();
    let mut client = testing::Client::new(&app)
        .lambda_context(lambda_router::LambdaContext::with_request_id("req-42"));
    let seen: Value = client.call(testing::rest().get("/tenant")).json().unwrap();
    assert_eq!(seen["request_id"], "req-42");
    assert!(matches!(
        client.try_call("not an event"),
        Err(TestError::Event(e)) if e.code() == EventError::INVALID_JSON
    ));
}

#[tokio::test]
async fn a_client_awaits_async_handlers_in_the_callers_runtime() {
    let app = tenant_app();
    let mut client = testing::Client::new(&app);
    client.context_mut().insert(Tenant("acme"));
    let seen: Value = client
        .call_async(testing::rest().get("/slow"))
        .await
        .json()
        .unwrap();
    assert_eq!(seen, json!({ "tenant": "acme" }));
}
