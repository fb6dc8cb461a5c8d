//! Typed extraction of client input: path, query, headers and JSON bodies (hostile values,
//! unknown keys, map keys, `char`s, enums, custom messages, lists of invalid items), with
//! any one value optionally repeated to tens of KiB. Client input never gets a 500, and a
//! 422 is bounded by a constant, never by the input: at most `MAX_ERRORS` errors, names cut
//! to `MAX_ECHO` bytes, messages to `MAX_MESSAGE`, the whole body under `ANSWER_BOUND`.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fuzz_support::check_envelope;
use lambda_router::extract::{Headers, Json, Path, Query, Valid, ValidationError};
use lambda_router::{App, LambdaContext, Scratch, Source};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::{Map, Value, json};

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Order {
    Asc,
    Desc,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Filter {
    order: Option<Order>,
    limit: Option<u8>,
    c: Option<char>,
    #[serde(default)]
    tag: Vec<u16>,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Auth<'a> {
    x_order: Order,
    x_key: Option<&'a str>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    order: Order,
    c: char,
    n: u8,
    #[serde(default)]
    map: BTreeMap<u8, Order>,
    #[serde(default)]
    names: BTreeMap<Order, Echoing>,
}

/// A type whose own `Deserialize` puts the input in its message.
#[derive(Debug)]
struct Echoing;

impl<'de> Deserialize<'de> for Echoing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "ok" => Ok(Echoing),
            _ => Err(D::Error::custom(format!("not a code: {text}"))),
        }
    }
}

#[derive(Deserialize, garde::Validate)]
struct Items {
    #[garde(dive)]
    items: Vec<Item>,
}

#[derive(Deserialize, garde::Validate)]
struct Item {
    #[garde(range(min = 1, max = 9))]
    n: i64,
    #[garde(length(max = 3))]
    s: String,
}

lambda_router::rebind!(Order, Filter, Auth<'a>, Doc, Echoing, Items, Item);

/// The largest 422 body the apps here may answer: `MAX_ERRORS` errors, each a `loc` of at
/// most 4 steps of `MAX_ECHO` bytes and a message of `MAX_MESSAGE` bytes (JSON escaping at
/// most doubles them), and a JSON body's single serde error nested at most 128 deep.
const ANSWER_BOUND: usize = ValidationError::MAX_ERRORS
    * (2 * (4 * ValidationError::MAX_ECHO + ValidationError::MAX_MESSAGE) + 64)
    + 2 * 128 * (ValidationError::MAX_ECHO + 8);

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        App::function_url()
            .get("/p/<v>", |Path(order): Path<Order>| format!("{order:?}"))
            .get("/n/<v>", |Path(n): Path<Option<u32>>| format!("{n:?}"))
            .get("/q", |Query(filter): Query<Filter>| format!("{filter:?}"))
            .get("/qm", |Query(map): Query<BTreeMap<String, Order>>| {
                format!("{map:?}")
            })
            .get("/h", |Headers(auth): Headers<Auth<'_>>| format!("{auth:?}"))
            .post("/b", |Json(doc): Json<Doc>| format!("{doc:?}"))
            .post("/v", |Valid(Json(items)): Valid<Json<Items>>| {
                items.items.len().to_string()
            })
            .post(
                "/all/<v>",
                |Path(order): Path<Order>,
                 Valid(Query(_)): Valid<Query<Items>>,
                 Headers(auth): Headers<Auth<'_>>,
                 Valid(Json(items)): Valid<Json<Items>>| {
                    format!("{order:?} {auth:?} {}", items.items.len())
                },
            )
            .debug(false)
            .build()
            .expect("the app builds")
    })
}

const ROUTES: &[&str] = &["/p/", "/n/", "/q", "/qm", "/h", "/b", "/v", "/all/"];
const WORDS: &[&str] = &[
    "asc", "desc", "x_order", "order", "n", "c", "items", "s", "ok", "7",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Word(u8),
    Any(String),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Word(i) => WORDS[usize::from(*i) % WORDS.len()].to_owned(),
            Text::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Json1 {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Text),
    List(Vec<Json1>),
    Object(Vec<(Text, Json1)>),
}

impl Json1 {
    fn value(&self, depth: usize) -> Value {
        match self {
            _ if depth > 4 => Value::Null,
            Json1::Null => Value::Null,
            Json1::Bool(b) => json!(b),
            Json1::Int(n) => json!(n),
            Json1::Float(f) => json!(f),
            Json1::Text(t) => json!(t.get()),
            Json1::List(items) => items.iter().map(|v| v.value(depth + 1)).collect(),
            Json1::Object(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(k, v)| (k.get(), v.value(depth + 1)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    Raw(String),
    Json(Json1),
    /// `{"items": [...]}` of `count` copies of one item (a list of refused items).
    Items {
        count: u16,
        item: Json1,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    route: u8,
    path_value: Text,
    query: Vec<(Text, Text)>,
    headers: Vec<(Text, Text)>,
    body: Body,
    /// Repeats one value (0: none; 1 path, 2 first query key, 3 first query value, 4 first
    /// header value, 5 every string of the body) `repeat` times.
    grow: u8,
    repeat: u16,
}

fn grown(text: String, on: bool, repeat: usize) -> String {
    if on && !text.is_empty() {
        text.repeat(repeat)
    } else {
        text
    }
}

fn event(input: &Input) -> Value {
    let repeat = usize::from(input.repeat % 4096).max(1);
    let grow = input.grow % 6;
    let route = ROUTES[usize::from(input.route) % ROUTES.len()];
    let mut path = route.to_owned();
    if route.ends_with('/') {
        let value = grown(input.path_value.get(), grow == 1, repeat);
        path.push_str(&percent(&value));
    }
    let query: Vec<String> = input
        .query
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let k = grown(k.get(), grow == 2 && i == 0, repeat);
            let v = grown(v.get(), grow == 3 && i == 0, repeat);
            format!("{}={}", percent(&k), percent(&v))
        })
        .collect();
    let mut headers = Map::new();
    for (i, (name, value)) in input.headers.iter().enumerate() {
        let name: String = name
            .get()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let value = grown(value.get(), grow == 4 && i == 0, repeat);
        if !name.is_empty() {
            headers.insert(name, json!(value));
        }
    }
    let body_repeat = if grow == 5 { repeat } else { 1 };
    let body = match &input.body {
        Body::None => None,
        Body::Raw(text) => Some(text.repeat(body_repeat.min(64))),
        Body::Json(value) => Some(grow_strings(value.value(0), body_repeat).to_string()),
        Body::Items { count, item } => {
            let item = grow_strings(item.value(0), body_repeat.min(16));
            let items = vec![item; usize::from(*count % 2048)];
            Some(json!({ "items": items }).to_string())
        }
    };
    let mut event = json!({
        "rawPath": path,
        "rawQueryString": query.join("&"),
        "headers": headers,
        "requestContext": {"http": {"method": if body.is_some() { "POST" } else { "GET" }}},
    });
    if let Some(body) = body {
        event["body"] = json!(body);
        event["headers"]["content-type"] = json!("application/json");
    }
    event
}

/// Every string and key of `value` repeated `times`.
fn grow_strings(value: Value, times: usize) -> Value {
    match value {
        Value::String(s) => Value::String(s.repeat(times)),
        Value::Array(items) => items.into_iter().map(|v| grow_strings(v, times)).collect(),
        Value::Object(pairs) => Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k.repeat(times), grow_strings(v, times)))
                .collect(),
        ),
        other => other,
    }
}

fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fuzz_target!(|input: Input| {
    let event = serde_json::to_vec(&event(&input)).expect("an event serializes");
    let mut scratch = Scratch::new();
    let out = app()
        .handle_blocking(&mut scratch, &event, &LambdaContext::default())
        .expect("a well-formed event is answered");
    let (response, _) = check_envelope(Source::FunctionUrl, out);
    let status = response["statusCode"].as_u64().expect("a status");
    let body = response["body"].as_str().expect("a text body");
    assert!(status < 500, "client input answered {status}: {body:.500}");
    if status != 422 {
        return;
    }
    assert!(
        body.len() <= ANSWER_BOUND,
        "a 422 of {} bytes (bound {ANSWER_BOUND}) for an event of {}",
        body.len(),
        event.len()
    );
    let answer: Value = serde_json::from_str(body).expect("a 422 is JSON");
    let detail = answer["detail"].as_array().expect("a 422 has its detail");
    assert!(!detail.is_empty() && detail.len() <= ValidationError::MAX_ERRORS);
    for error in detail {
        let msg = error["msg"].as_str().expect("a message");
        assert!(msg.len() <= ValidationError::MAX_MESSAGE, "{msg:.300}");
        for step in error["loc"].as_array().expect("a loc") {
            if let Some(key) = step.as_str() {
                assert!(key.len() <= ValidationError::MAX_ECHO, "{key:.300}");
            }
        }
        // Never a Rust type name in the library's own words.
        if !msg.starts_with("not a code") {
            for word in [
                "expected enum",
                "expected u",
                "expected struct",
                "unknown variant",
            ] {
                assert!(!msg.contains(word), "{msg}");
            }
        }
    }
});
