//! Structured events of each source (Arbitrary-derived), serialized to JSON and dispatched
//! to a catch-all handler that echoes what it sees through `Request`; the echo must equal
//! a naive `serde_json` reading of the same event (`tests/naive/mod.rs`), and the only
//! errors are the ones the event earns (a method that is not a token); a bad base64 body
//! fails only its reader. Each source's event goes to the app of its source or to the app
//! for any source, which must read it the same way.
#![no_main]

use std::sync::OnceLock;

use fuzz_support::{KINDS, builder_for, check_envelope, is_token, kind_source};
use lambda_router::{App, EventError, LambdaContext, Scratch, Source};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

#[path = "../../tests/naive/mod.rs"]
mod naive;

const NAMES: &[&str] = &[
    "Accept",
    "accept",
    "Cookie",
    "cookie",
    "X-A",
    "x-a",
    "Content-Type",
    "origin",
    "",
];
const METHODS: &[&str] = &["GET", "get", "Post", "PUT", "DELETE", "OPTIONS", "CUSTOM"];

#[derive(Arbitrary, Debug)]
enum Name {
    Common(u8),
    Any(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Common(i) => NAMES[usize::from(*i) % NAMES.len()].to_owned(),
            Name::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Body {
    Text(String),
    Binary(Vec<u8>),
    Junk(String),
}

#[derive(Arbitrary, Debug)]
enum Map2<T> {
    Absent,
    Null,
    Entries(Vec<(Name, T)>),
}

#[derive(Arbitrary, Debug)]
struct Event {
    source: u8,
    method: Result<u8, String>,
    path: String,
    stage: Option<String>,
    headers: Map2<String>,
    multi_headers: Map2<Vec<String>>,
    query: Map2<String>,
    multi_query: Map2<Vec<String>>,
    cookies: Option<Vec<String>>,
    body: Option<Body>,
    request_id: Option<String>,
    source_ip: Option<String>,
}

fn put<T>(root: &mut Map<String, Value>, key: &str, map: &Map2<T>, value: impl Fn(&T) -> Value) {
    match map {
        Map2::Absent => {}
        Map2::Null => {
            root.insert(key.to_owned(), Value::Null);
        }
        Map2::Entries(entries) => {
            let object: Map<String, Value> =
                entries.iter().map(|(k, v)| (k.text(), value(v))).collect();
            root.insert(key.to_owned(), Value::Object(object));
        }
    }
}

fn to_json(source: Source, event: &Event) -> (Value, String) {
    let v2 = naive::is_v2(source);
    let method = match &event.method {
        Ok(i) => METHODS[usize::from(*i) % METHODS.len()].to_owned(),
        Err(s) => s.clone(),
    };
    let mut root = Map::new();
    let mut context = Map::new();
    if let Some(id) = &event.request_id {
        context.insert("requestId".into(), json!(id));
    }
    if source == Source::VpcLattice {
        root.insert("raw_path".into(), json!(event.path));
        root.insert("method".into(), json!(method));
        put(&mut root, "headers", &event.headers, |v| json!(v));
        put(&mut root, "query_string_parameters", &event.query, |v| {
            json!(v)
        });
        put_body(&mut root, event.body.as_ref(), "is_base64_encoded");
        return (Value::Object(root), method);
    }
    if source == Source::VpcLatticeV2 {
        root.insert("version".into(), json!("2.0"));
        root.insert("path".into(), json!(event.path));
        root.insert("method".into(), json!(method));
        put(&mut root, "headers", &event.multi_headers, |v| json!(v));
        put(
            &mut root,
            "queryStringParameters",
            &event.multi_query,
            |v| json!(v),
        );
        root.insert("requestContext".into(), Value::Object(context));
        put_body(&mut root, event.body.as_ref(), "isBase64Encoded");
        return (Value::Object(root), method);
    }
    if source == Source::Alb {
        // As every ALB event has it, and what tells it from REST for `App::any()`.
        context.insert("elb".into(), json!({"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/0"}));
    }
    if v2 {
        root.insert("rawPath".into(), json!(event.path));
        let mut http = json!({"method": method});
        if let Some(ip) = &event.source_ip {
            http["sourceIp"] = json!(ip);
        }
        context.insert("http".into(), http);
        if let Some(stage) = &event.stage {
            context.insert("stage".into(), json!(stage));
        }
        if let Some(cookies) = &event.cookies {
            root.insert("cookies".into(), json!(cookies));
        }
    } else {
        root.insert("httpMethod".into(), json!(method));
        root.insert("path".into(), json!(event.path));
        if let (Source::RestV1, Some(ip)) = (source, &event.source_ip) {
            context.insert("identity".into(), json!({"sourceIp": ip}));
        }
        put(&mut root, "multiValueHeaders", &event.multi_headers, |v| {
            json!(v)
        });
        put(
            &mut root,
            "multiValueQueryStringParameters",
            &event.multi_query,
            |v| json!(v),
        );
    }
    put(&mut root, "headers", &event.headers, |v| json!(v));
    put(&mut root, "queryStringParameters", &event.query, |v| {
        json!(v)
    });
    root.insert("requestContext".into(), Value::Object(context));
    put_body(&mut root, event.body.as_ref(), "isBase64Encoded");
    (Value::Object(root), method)
}

/// The body and its base64 flag, under the source's name for the flag.
fn put_body(root: &mut Map<String, Value>, body: Option<&Body>, flag: &str) {
    match body {
        None => {}
        Some(Body::Text(text)) => {
            root.insert("body".into(), json!(text));
        }
        Some(Body::Binary(bytes)) => {
            root.insert("body".into(), json!(naive::base64_encode(bytes)));
            root.insert(flag.into(), json!(true));
        }
        Some(Body::Junk(text)) => {
            root.insert("body".into(), json!(text));
            root.insert(flag.into(), json!(true));
        }
    }
}

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| {
        (0..KINDS)
            .map(|source| {
                builder_for(source)
                    .not_found(naive::echo)
                    .build()
                    .expect("app builds")
            })
            .collect()
    })
}

fuzz_target!(|event: Event| {
    // The event's source (one of the first six kinds), and whether the app of that source
    // or the app for any source (the last kind) reads it.
    let sources = KINDS - 1;
    let source = kind_source(event.source % sources).expect("a source");
    let kind = if (event.source / sources) % 2 == 0 {
        event.source % sources
    } else {
        sources
    };
    let app = &apps()[usize::from(kind)];
    let (json, method) = to_json(source, &event);
    let headers = naive::header_probes(&json);
    let queries = naive::query_probes(&json);
    naive::set_probes(headers.clone(), queries.clone());
    let bytes = serde_json::to_vec(&json).expect("json");
    let mut scratch = Scratch::new();
    let result = app.handle_blocking(&mut scratch, &bytes, &LambdaContext::default());
    let method_ok = is_token(&method)
        && (method.len() <= 32 || !method.bytes().any(|b| b.is_ascii_lowercase()));
    match result {
        Err(e) if e.code() == EventError::INVALID_METHOD => {
            assert!(
                !is_token(&method) || method.len() > 32,
                "{method:?} refused"
            );
        }
        Err(e) => panic!("unexpected error {e} for {json}"),
        Ok(out) => {
            assert!(method_ok || is_token(&method), "{method:?} accepted");
            // A junk base64 body never fails the event: the echo's `body_ok` (compared
            // with the naive reader's below) says whether reading it failed.
            let (response, _) = check_envelope(source, out);
            assert_eq!(response["statusCode"], 200);
            let seen: Value =
                serde_json::from_str(response["body"].as_str().expect("body")).expect("echo");
            let expected = naive::expected(source, &json, &headers, &queries);
            assert_eq!(seen, expected, "event {json}");
        }
    }
});
