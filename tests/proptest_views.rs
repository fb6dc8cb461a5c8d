//! Property test of the borrowed event views: events of each source generated with random
//! header names (and case), values, query maps (single and multi-value), cookies, bodies and
//! the base64 flag (VPC Lattice V1 and V2 in their own field names and shapes); what a handler sees through `Request` must equal a naive `serde_json`
//! reading of the same event (`tests/naive/mod.rs`, written from `src/docs/events.md`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod naive;

use lambda_router::{App, LambdaContext, Scratch, Source};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn app(source: Source) -> App {
    App::for_source(source)
        .not_found(naive::echo)
        .build()
        .unwrap()
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Accept",
            "accept",
            "ACCEPT",
            "Cookie",
            "cookie",
            "X-Multi",
            "x-multi",
            "Origin",
            "content-type",
            "",
        ])
        .prop_map(str::to_owned),
        "[A-Za-z-]{1,8}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "", "a", "a,b", " a , b ", "a;b=c", "x=1; y=2", "é日", "\"q\""
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn cookie_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "a=1", "a=1; b=2", " c = 3 ;", "flag", "=v", ";;", "d=x=y"
        ])
        .prop_map(str::to_owned),
        "[a-c =;]{0,10}",
    ]
}

/// An absent, null or generated map.
fn map<T: std::fmt::Debug + Clone + 'static>(
    key: impl Strategy<Value = String> + 'static,
    value: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Option<Option<Vec<(String, T)>>>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(None)),
        4 => prop::collection::vec((key, value), 0..5).prop_map(|v| Some(Some(v))),
    ]
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Null,
    Text(String),
    Binary(Vec<u8>),
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        Just(Body::None),
        Just(Body::Null),
        text().prop_map(Body::Text),
        prop::collection::vec(any::<u8>(), 0..16).prop_map(Body::Binary),
    ]
}

fn put<T>(
    root: &mut Map<String, Value>,
    key: &str,
    map: Option<Option<Vec<(String, T)>>>,
    f: impl Fn(T) -> Value,
) {
    match map {
        None => {}
        Some(None) => {
            root.insert(key.to_owned(), Value::Null);
        }
        Some(Some(entries)) => {
            let object: Map<String, Value> = entries.into_iter().map(|(k, v)| (k, f(v))).collect();
            root.insert(key.to_owned(), Value::Object(object));
        }
    }
}

/// The body and its base64 flag, under the source's name for the flag.
fn put_body(root: &mut Map<String, Value>, body: Body, flag: &str) {
    match body {
        Body::None => {}
        Body::Null => {
            root.insert("body".into(), Value::Null);
        }
        Body::Text(text) => {
            root.insert("body".into(), json!(text));
            root.insert(flag.into(), json!(false));
        }
        Body::Binary(bytes) => {
            root.insert("body".into(), json!(naive::base64_encode(&bytes)));
            root.insert(flag.into(), json!(true));
        }
    }
}

type Headers = Option<Option<Vec<(String, String)>>>;
type Multi = Option<Option<Vec<(String, Vec<String>)>>>;

fn event_strategy() -> impl Strategy<Value = (Source, Value)> {
    let source = prop::sample::select(vec![
        Source::RestV1,
        Source::HttpV2,
        Source::Alb,
        Source::FunctionUrl,
        Source::VpcLattice,
        Source::VpcLatticeV2,
    ]);
    let method = prop::sample::select(vec!["GET", "get", "Post", "DELETE", "OPTIONS", "CUSTOM"]);
    let path = prop_oneof![
        prop::sample::select(vec![
            "/",
            "/a/b",
            "/dev/x",
            "/dev",
            "/devx",
            "",
            "/a%2Fb/..",
            "/é",
            "/a?b=c",
            "/?x",
            "/a/b?c?d"
        ])
        .prop_map(str::to_owned),
        "/[a-z/]{0,10}",
    ];
    let stage = prop::option::of(prop::sample::select(vec!["$default", "dev", "", "prod"]));
    let headers: BoxedStrategy<Headers> = map(header_name(), text()).boxed();
    let multi_headers: BoxedStrategy<Multi> =
        map(header_name(), prop::collection::vec(text(), 0..3)).boxed();
    let query: BoxedStrategy<Headers> = map("[a-c]{1,2}", text()).boxed();
    let multi_query: BoxedStrategy<Multi> =
        map("[a-c]{1,2}", prop::collection::vec(text(), 0..3)).boxed();
    let cookies = prop::option::of(prop::collection::vec(cookie_text(), 0..4));
    let cookie_header = prop::option::of(cookie_text());
    (
        (source, method, path, stage),
        (headers, multi_headers, query, multi_query),
        (
            cookies,
            cookie_header,
            body(),
            prop::option::of("[a-z0-9-]{1,8}"),
        ),
    )
        .prop_map(
            |(
                (source, method, path, stage),
                (headers, multi_headers, query, multi_query),
                (cookies, cookie_header, body, id),
            )| {
                let v2 = naive::is_v2(source);
                let mut root = Map::new();
                let mut context = Map::new();
                if let Some(id) = id {
                    context.insert("requestId".into(), json!(id));
                    if source == Source::RestV1 {
                        context.insert("identity".into(), json!({"sourceIp": "10.0.0.1"}));
                    }
                }
                let mut headers = headers;
                let mut multi_headers = multi_headers;
                if source == Source::VpcLatticeV2 {
                    if let (Some(cookie), Some(Some(list))) =
                        (cookie_header, multi_headers.as_mut())
                    {
                        list.push(("cookie".to_owned(), vec![cookie]));
                    }
                } else if let (Some(cookie), Some(Some(list))) = (cookie_header, headers.as_mut()) {
                    list.push(("Cookie".to_owned(), cookie));
                }
                if source == Source::VpcLattice {
                    root.insert("raw_path".into(), json!(path));
                    root.insert("method".into(), json!(method));
                    put(&mut root, "headers", headers, |v| json!(v));
                    put(&mut root, "query_string_parameters", query, |v| json!(v));
                    put_body(&mut root, body, "is_base64_encoded");
                    return (source, Value::Object(root));
                }
                if source == Source::VpcLatticeV2 {
                    root.insert("version".into(), json!("2.0"));
                    root.insert("path".into(), json!(path));
                    root.insert("method".into(), json!(method));
                    put(&mut root, "headers", multi_headers, |v| json!(v));
                    put(&mut root, "queryStringParameters", multi_query, |v| {
                        json!(v)
                    });
                    root.insert("requestContext".into(), Value::Object(context));
                    put_body(&mut root, body, "isBase64Encoded");
                    return (source, Value::Object(root));
                }
                if v2 {
                    root.insert("rawPath".into(), json!(path));
                    context.insert(
                        "http".into(),
                        json!({"method": method, "sourceIp": "10.0.0.2"}),
                    );
                    if let Some(stage) = stage {
                        context.insert("stage".into(), json!(stage));
                    }
                    if let Some(cookies) = cookies {
                        root.insert("cookies".into(), json!(cookies));
                    }
                } else {
                    root.insert("httpMethod".into(), json!(method));
                    root.insert("path".into(), json!(path));
                    put(&mut root, "multiValueHeaders", multi_headers, |v| json!(v));
                    put(
                        &mut root,
                        "multiValueQueryStringParameters",
                        multi_query,
                        |v| json!(v),
                    );
                }
                put(&mut root, "headers", headers, |v| json!(v));
                put(&mut root, "queryStringParameters", query, |v| json!(v));
                root.insert("requestContext".into(), Value::Object(context));
                put_body(&mut root, body, "isBase64Encoded");
                (source, Value::Object(root))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    #[test]
    fn request_accessors_agree_with_a_naive_serde_json_reading((source, event) in event_strategy()) {
        let app = app(source);
        let headers = naive::header_probes(&event);
        let queries = naive::query_probes(&event);
        naive::set_probes(headers.clone(), queries.clone());
        let bytes = serde_json::to_vec(&event).unwrap();
        let mut scratch = Scratch::new();
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .map_err(|e| TestCaseError::fail(format!("{e} for {event}")))?;
        let response: Value = serde_json::from_slice(out).unwrap();
        prop_assert_eq!(&response["statusCode"], 200);
        let seen: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
        let expected = naive::expected(source, &event, &headers, &queries);
        prop_assert_eq!(seen, expected, "event {}", event);
    }
}

#[test]
fn the_naive_base64_codec_round_trips() {
    for len in 0..40u8 {
        let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(
            naive::base64_decode(&naive::base64_encode(&data)),
            Some(data)
        );
    }
    assert_eq!(naive::base64_encode(b"hello"), "aGVsbG8=");
    assert_eq!(naive::base64_decode("aGk"), None);
    assert_eq!(naive::base64_decode("-_-_"), None);
}
