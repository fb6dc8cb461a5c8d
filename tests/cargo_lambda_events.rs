//! The events `cargo lambda watch` sends (recorded from cargo-lambda 1.9.2 into
//! `fixtures/cargo_lambda/`, one file per mode and method), through every fixed-source
//! app and `App::any()`: each answers them as a Function URL, the service cargo-lambda
//! emulates, in that envelope. And a `null` member, which such producers write for every
//! unset field, reads as absent wherever sources are told apart: a table of events of each
//! source, each with one telling member set to `null`, is read as the event without it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::{App, AppBuilder, EventError, Json, Request, Source, testing};
use serde_json::{Value, json};

/// The recorded events: (file, method, routed path, the cookie `b` sent).
const CARGO_LAMBDA_EVENTS: &[(&str, &str, &str, Option<&str>)] = &[
    // `curl 'localhost:9000/lambda-url/_/todos/7?completed=true&a=1&a=2' -H 'Cookie: a=1; b=2'`
    ("function_url_get.json", "GET", "/todos/7", Some("2")),
    // `curl -X POST localhost:9000/lambda-url/_/todos -d '{"title":"x"}'`
    ("function_url_post.json", "POST", "/todos", None),
    // The same requests to the custom routes of `[package.metadata.lambda.watch.router]`
    // (`/todos/{todo_id}`, `/todos`), without the `/lambda-url/<fn>` prefix.
    // (`curl 'localhost:9000/todos/7?completed=true'`, no cookie.)
    ("routes_get.json", "GET", "/todos/7", None),
    ("routes_post.json", "POST", "/todos", None),
];

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/fixtures/cargo_lambda/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Every app a user may have written: one per source, and one for any source.
fn apps() -> Vec<(String, AppBuilder)> {
    let mut apps: Vec<(String, AppBuilder)> = Source::all()
        .map(|source| (source.name().to_owned(), App::for_source(source)))
        .collect();
    apps.push(("any".to_owned(), App::any()));
    apps
}

fn todos(builder: AppBuilder) -> App {
    builder
        .get("/todos/<todo_id>", |req: &Request<'_>| {
            Json(json!({
                "source": req.source().name(),
                "id": req.param("todo_id"),
                "completed": req.query("completed"),
                "cookie": req.cookie("b"),
            }))
        })
        .post("/todos", |req: &Request<'_>| {
            let body: Value = req.json().unwrap_or_default();
            (
                201,
                Json(json!({ "source": req.source().name(), "title": body["title"] })),
            )
        })
        .build()
        .unwrap()
}

#[test]
fn every_app_answers_cargo_lambda_watch_as_a_function_url() {
    for (name, builder) in apps() {
        let app = todos(builder);
        for &(file, method, path, cookie) in CARGO_LAMBDA_EVENTS {
            let case = format!("{name} app, {file} ({method} {path})");
            let response =
                testing::try_call(&app, fixture(file)).unwrap_or_else(|e| panic!("{case}: {e}"));
            let body: Value = response.json().unwrap_or_else(|e| panic!("{case}: {e}"));
            let expected = match method {
                "GET" => (
                    200,
                    json!({ "source": "function-url", "id": "7", "completed": "true", "cookie": cookie }),
                ),
                _ => (201, json!({ "source": "function-url", "title": "x" })),
            };
            assert_eq!((response.status(), body), expected, "{case}");
            // The payload 2.0 envelope cargo-lambda reads back: single-value `headers`.
            let raw = response.raw();
            assert!(raw.get("multiValueHeaders").is_none(), "{case}: {raw}");
            assert!(raw["headers"].is_object(), "{case}: {raw}");
            assert_eq!(
                response.header("content-type"),
                Some("application/json"),
                "{case}: {raw}"
            );
        }
    }
}

/// What an app for any source reads `event` as, or the code of its refusal.
fn read_as(event: &Value) -> Result<Source, &'static str> {
    let app = App::any()
        .not_found(|req: &Request<'_>| req.source().name())
        .build()
        .unwrap();
    match testing::try_call(&app, event) {
        Ok(response) => Ok(Source::from_name(&response.text()).unwrap()),
        Err(testing::TestError::Event(error)) => Err(error.code()),
        Err(error) => panic!("{error}"),
    }
}

/// The members that tell sources apart (or mark an event as not an HTTP request), at the
/// top level or in `requestContext`.
const TELLING_MEMBERS: &[(&str, &str)] = &[
    ("", "methodArn"),
    ("", "routeArn"),
    ("", "statusCode"),
    ("", "type"),
    ("", "httpMethod"),
    ("", "rawPath"),
    ("", "raw_path"),
    ("", "path"),
    ("", "method"),
    ("", "version"),
    ("", "requestContext"),
    ("requestContext", "elb"),
    ("requestContext", "apiId"),
    ("requestContext", "stage"),
    ("requestContext", "resourcePath"),
    ("requestContext", "identity"),
    ("requestContext", "connectionId"),
    ("requestContext", "eventType"),
    ("requestContext", "domainName"),
];

#[test]
fn a_null_member_reads_as_absent_wherever_sources_are_told_apart() {
    let mut checked = 0;
    for source in Source::all() {
        let base = testing::event_for(source).get("/todos/7").to_json();
        for &(parent, member) in TELLING_MEMBERS {
            let mut absent = base.clone();
            let mut with_null = base.clone();
            let (absent_parent, null_parent) = if parent.is_empty() {
                (Some(&mut absent), Some(&mut with_null))
            } else {
                (absent.get_mut(parent), with_null.get_mut(parent))
            };
            let (Some(Value::Object(absent_parent)), Some(Value::Object(null_parent))) =
                (absent_parent, null_parent)
            else {
                continue;
            };
            absent_parent.remove(member);
            null_parent.insert(member.to_owned(), Value::Null);
            let case = format!("{source:?} event, {parent}.{member} = null");
            assert_eq!(read_as(&with_null), read_as(&absent), "{case}");
            checked += 1;
        }
        // The event itself still reads as its source (the table changes one member only).
        assert_eq!(read_as(&base), Ok(source), "{source:?}");
    }
    assert!(checked > 60, "only {checked} cases");
}

#[test]
fn cargo_lambda_events_carry_null_authorizer_members_and_no_api_id() {
    // What the rule below rests on: if cargo-lambda's events change, this says so first.
    for &(file, ..) in CARGO_LAMBDA_EVENTS {
        let event = fixture(file);
        assert_eq!(event["methodArn"], Value::Null, "{file}");
        assert_eq!(event["requestContext"]["domainName"], "localhost", "{file}");
        assert_eq!(event["requestContext"]["apiId"], Value::Null, "{file}");
    }
}

/// A payload 2.0 event with this `domainName` and `apiId`.
fn payload_2(domain: Option<&str>, api_id: Option<&str>) -> Value {
    let mut event = testing::http_api().get("/todos/7").to_json();
    let context = event["requestContext"].as_object_mut().unwrap();
    context.remove("domainName");
    context.remove("apiId");
    if let Some(domain) = domain {
        context.insert("domainName".to_owned(), domain.into());
    }
    if let Some(api_id) = api_id {
        context.insert("apiId".to_owned(), api_id.into());
    }
    event
}

#[test]
fn function_url_events_are_told_from_http_api_ones() {
    use Source::{FunctionUrl, HttpV2};
    let url = "q4v7b1n8m2c5x9z3l6k0j4h8g2f5d7s1.lambda-url.eu-west-1.on.aws";
    // (domainName, apiId, what `App::any()` reads, whether every fixed-source app reads it)
    let cases: &[(Option<&str>, Option<&str>, Source, bool)] = &[
        (Some(url), Some("q4v7b1n8"), FunctionUrl, false),
        (
            Some("abc.execute-api.us-east-1.amazonaws.com"),
            Some("abc"),
            HttpV2,
            false,
        ),
        (Some("api.example.com"), Some("abc"), HttpV2, false),
        // cargo-lambda watch: a Function URL, whatever the app's source.
        (Some("localhost"), None, FunctionUrl, true),
        // SAM local's HTTP API events are `localhost` too, with an `apiId`.
        (Some("localhost"), Some("1234567890"), HttpV2, false),
        (Some("127.0.0.1:3000"), None, HttpV2, false),
        // Nothing tells: read alike, as an HTTP API.
        (None, None, HttpV2, false),
    ];
    for &(domain, api_id, expected, everyone) in cases {
        let event = payload_2(domain, api_id);
        let case = format!("domainName {domain:?}, apiId {api_id:?}");
        assert_eq!(read_as(&event), Ok(expected), "{case}");
        for source in Source::all() {
            let app = App::for_source(source)
                .get("/todos/<id>", |req: &Request<'_>| req.source().name())
                .build()
                .unwrap();
            let answer = testing::try_call(&app, &event);
            let reads =
                everyone || source == expected || (domain.is_none() && source == FunctionUrl);
            match answer {
                Ok(response) if reads => {
                    let read = if everyone { expected } else { source };
                    assert_eq!(response.text(), read.name(), "{case}, {source:?} app");
                }
                Err(testing::TestError::Event(error)) if !reads => {
                    assert_eq!(
                        error.code(),
                        EventError::WRONG_SOURCE,
                        "{case}, {source:?} app"
                    );
                }
                other => panic!("{case}, {source:?} app: {other:?}"),
            }
        }
    }
}
