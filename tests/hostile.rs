//! The hostile-input catalogue (`fixtures/hostile/catalogue.toml`): every case ends in a
//! typed `EventError` or the expected HTTP status, never a panic, with the `Scratch` buffers
//! under the case's bound, and the same `Scratch` answers a plain request afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use lambda_router::{App, BodyError, LambdaContext, Request, Response, Scratch, Source};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Debug, Deserialize)]
struct Catalogue {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    event: Option<String>,
    recipe: Option<String>,
    n: Option<usize>,
    expect: Expect,
    max_scratch_mb: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    error: Option<String>,
    path: Option<String>,
    status: Option<u16>,
    body: Option<String>,
}

fn app(source: &str) -> App {
    let builder = match (source, Source::from_name(source)) {
        ("any", _) => App::any(),
        (_, Some(source)) => App::for_source(source),
        (other, None) => panic!("unknown source {other}"),
    };
    builder
        .debug(false)
        .get("/", |_: &Request<'_>| Response::text(200, "root"))
        .get("/items/<id>", |req: &Request<'_>| {
            Response::text(200, req.param("id").unwrap_or_default().to_owned())
        })
        .get("/count", |req: &Request<'_>| {
            let headers = req.headers().iter().count();
            let query = req.query_params().iter().count();
            let cookies = req.cookies().iter().count();
            Response::text(200, format!("{headers} {query} {cookies}"))
        })
        .post(
            "/upload",
            |req: &Request<'_>| -> Result<Response, BodyError> {
                let len = req.body()?.map_or(0, <[u8]>::len);
                Ok(Response::text(200, len.to_string()))
            },
        )
        .post("/ignore", |_: &Request<'_>| Response::text(200, "ignored"))
        .post("/json", |req: &Request<'_>| match req.json::<Value>() {
            Ok(_) => Response::text(200, "read"),
            Err(e) => Response::text(400, e.to_string()),
        })
        .build()
        .unwrap()
}

fn is_v2(source: &str) -> bool {
    matches!(source, "http" | "function-url")
}

/// A minimal valid event of `source` for `method path`.
fn base(source: &str, method: &str, path: &str) -> Map<String, Value> {
    let event = match source {
        "vpc-lattice" => json!({"raw_path": path, "method": method}),
        "vpc-lattice-v2" => json!({"version": "2.0", "path": path, "method": method}),
        _ if is_v2(source) => {
            json!({"rawPath": path, "requestContext": {"http": {"method": method}}})
        }
        _ => json!({"httpMethod": method, "path": path}),
    };
    match event {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}

fn bytes(event: Map<String, Value>) -> Vec<u8> {
    serde_json::to_vec(&Value::Object(event)).unwrap()
}

/// The generated events of the catalogue.
fn generate(source: &str, recipe: &str, n: usize) -> Vec<u8> {
    match recipe {
        "headers" => {
            let mut event = base(source, "GET", "/count");
            let headers: Map<String, Value> =
                (0..n).map(|i| (format!("x-h{i}"), json!("v"))).collect();
            event.insert("headers".into(), Value::Object(headers));
            bytes(event)
        }
        "multi_headers" => {
            let mut event = base(source, "GET", "/count");
            let headers: Map<String, Value> =
                (0..n).map(|i| (format!("x-h{i}"), json!(["v"]))).collect();
            event.insert("multiValueHeaders".into(), Value::Object(headers));
            bytes(event)
        }
        "query" => {
            let mut event = base(source, "GET", "/count");
            let query: Map<String, Value> = (0..n).map(|i| (format!("q{i}"), json!("v"))).collect();
            event.insert("queryStringParameters".into(), Value::Object(query));
            bytes(event)
        }
        "lattice_query" => {
            let mut event = base(source, "GET", "/count");
            let values: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            event.insert("queryStringParameters".into(), json!({ "q": values }));
            bytes(event)
        }
        "cookies" => {
            let mut event = base(source, "GET", "/count");
            let cookies: Vec<String> = (0..n).map(|i| format!("c{i}=v")).collect();
            event.insert("cookies".into(), json!(cookies));
            bytes(event)
        }
        "body" => {
            let mut event = base(source, "POST", "/upload");
            event.insert("body".into(), json!("a".repeat(n)));
            bytes(event)
        }
        "base64_body" => {
            let mut event = base(source, "POST", "/upload");
            // `n` zero bytes are `n / 3 * 4` characters of "A".
            assert_eq!(n % 3, 0);
            event.insert("body".into(), json!("A".repeat(n / 3 * 4)));
            event.insert("isBase64Encoded".into(), json!(true));
            bytes(event)
        }
        "escaped_header" => {
            let mut event = base(source, "GET", "/count");
            event.insert("headers".into(), json!({"x-big": "\u{1}".repeat(n)}));
            bytes(event)
        }
        "nested_arrays" => {
            let mut text = bytes(base(source, "GET", "/"));
            text.pop();
            text.extend_from_slice(b",\"extra\":");
            text.extend(std::iter::repeat_n(b'[', n));
            text.extend(std::iter::repeat_n(b']', n));
            text.push(b'}');
            text
        }
        "nested_objects" => {
            let mut text = bytes(base(source, "GET", "/"));
            text.pop();
            text.extend_from_slice(b",\"requestContext\":{\"authorizer\":");
            text.extend(std::iter::repeat_n(&b"{\"a\":"[..], n).flatten());
            text.extend_from_slice(b"1");
            text.extend(std::iter::repeat_n(b'}', n));
            text.extend_from_slice(b",\"http\":{\"method\":\"GET\"}}}");
            text
        }
        "long_path" => bytes(base(source, "GET", &format!("/{}", "a".repeat(n)))),
        "long_param" => bytes(base(source, "GET", &format!("/items/{}", "p".repeat(n)))),
        "many_segments" => bytes(base(source, "GET", &"/a".repeat(n))),
        "invalid_utf8_path" => {
            let mut text = bytes(base(source, "GET", "/items/XX"));
            let at = text.windows(2).position(|w| w == b"XX").unwrap();
            text[at] = 0xff;
            text[at + 1] = 0xfe;
            text
        }
        "raw_control_path" => {
            let mut text = bytes(base(source, "GET", "/items/XX"));
            let at = text.windows(2).position(|w| w == b"XX").unwrap();
            text[at] = b'\n';
            text[at + 1] = 0;
            text
        }
        "nested_body" => {
            let mut event = base(source, "POST", "/json");
            let body = format!("{}{}", "[".repeat(n), "]".repeat(n));
            event.insert("body".into(), json!(body));
            bytes(event)
        }
        other => panic!("unknown recipe {other}"),
    }
}

/// The capacities `Scratch`'s `Debug` reports (input, output, arena), in bytes.
fn scratch_bytes(scratch: &Scratch) -> usize {
    let text = format!("{scratch:?}");
    ["input_capacity: ", "output_capacity: ", "arena_bytes: "]
        .iter()
        .map(|key| {
            let start = text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len();
            let digits: String = text[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().unwrap()
        })
        .sum()
}

fn run(case: &Case) -> Result<(), String> {
    let app = app(&case.source);
    let event = match (&case.event, &case.recipe) {
        (Some(event), None) => event.as_bytes().to_vec(),
        (None, Some(recipe)) => generate(&case.source, recipe, case.n.unwrap_or(0)),
        _ => return Err("needs exactly one of `event` and `recipe`".into()),
    };
    let mut scratch = Scratch::new();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        app.handle_blocking(&mut scratch, &event, &LambdaContext::default())
            .map(|out| serde_json::from_slice::<Value>(out).map_err(|e| e.to_string()))
            .map_err(|e| (e.code().to_owned(), e.path().to_owned()))
    }))
    .map_err(|_| "panicked".to_owned())?;
    match (&case.expect, outcome) {
        (
            Expect {
                error: Some(code),
                path,
                ..
            },
            Err((got, got_path)),
        ) => {
            if *code != got || path.as_deref().unwrap_or("") != got_path {
                return Err(format!(
                    "error {got} at `{got_path}`, expected {code} at {path:?}"
                ));
            }
        }
        (
            Expect {
                status: Some(status),
                body,
                ..
            },
            Ok(response),
        ) => {
            let response = response?;
            if response["statusCode"] != *status {
                return Err(format!(
                    "status {}, expected {status}",
                    response["statusCode"]
                ));
            }
            if let Some(body) = body {
                if response["body"] != *body.as_str() {
                    return Err(format!("body {}, expected {body:?}", response["body"]));
                }
            }
        }
        (expect, got) => {
            let got = got.map(|r| r.map(|v| v["statusCode"].clone()));
            return Err(format!("got {got:?}, expected {expect:?}"));
        }
    }
    if let Some(bound) = case.max_scratch_mb {
        let used = scratch_bytes(&scratch);
        // Bytes to MB for a readable bound; the figures are far below f64's exact range.
        #[allow(clippy::cast_precision_loss)]
        let used_mb = used as f64 / (1024.0 * 1024.0);
        if used_mb > bound {
            return Err(format!("scratch holds {used_mb:.1} MB, bound {bound} MB"));
        }
    }
    // The same scratch answers a plain request normally afterwards.
    let plain = bytes(base(&case.source, "GET", "/"));
    let out = app
        .handle_blocking(&mut scratch, &plain, &LambdaContext::default())
        .map_err(|e| format!("plain request after the case: {e}"))?;
    let response: Value = serde_json::from_slice(out).unwrap();
    if response["body"] != "root" {
        return Err(format!("plain request after the case answered {response}"));
    }
    Ok(())
}

#[test]
fn every_hostile_case_gets_a_typed_error_or_the_right_status() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/catalogue.toml"),
    )
    .unwrap();
    let catalogue: Catalogue = toml::from_str(&text).unwrap();
    assert!(catalogue.case.len() >= 50, "the catalogue lost cases");
    let failures: Vec<String> = catalogue
        .case
        .iter()
        .filter_map(|case| {
            run(case)
                .err()
                .map(|e| format!("{} ({}): {e}", case.name, case.source))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_scratch_does_not_keep_growing_after_a_big_event() {
    let app = app("rest");
    let big = generate("rest", "body", 6 * 1024 * 1024);
    let mut scratch = Scratch::new();
    app.handle_blocking(&mut scratch, &big, &LambdaContext::default())
        .unwrap();
    let after_first = scratch_bytes(&scratch);
    for _ in 0..3 {
        app.handle_blocking(&mut scratch, &big, &LambdaContext::default())
            .unwrap();
    }
    assert_eq!(
        scratch_bytes(&scratch),
        after_first,
        "buffers grew on reuse"
    );
}
