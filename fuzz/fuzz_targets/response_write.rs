//! Responses built by a handler from fuzz data (any status, header names and values,
//! cookies with attributes, text / binary / JSON / empty bodies, gzip on or off), written
//! for each of the six sources: the output is always one valid proxy response of the
//! source's envelope.
//! When every header and cookie is valid they all arrive intact, except the ones the library
//! owns (its CORS and cache-control values replace the handler's; framing headers are
//! dropped); when one is not, or the status is outside 100-599, the answer is a 500 that
//! still carries the CORS headers, and the invalid bytes are never written. Compression
//! never re-encodes a body with its own coding and never applies where there is no body.
#![no_main]

use std::cell::RefCell;
use std::sync::OnceLock;

use fuzz_support::{
    builder_for, check_envelope, check_finished, header, header_values, is_attribute_value,
    is_cookie_value, is_field_value, is_token,
};
use lambda_router::{
    App, Cookie, Cors, LambdaContext, Request, Response, Route, SameSite, Scratch,
};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "X-A",
    "x-a",
    "Set-Cookie",
    "Content-Type",
    "set-cookie",
    "Vary",
    "Content-Length",
    "transfer-encoding",
    "Content-Encoding",
    "cache-control",
    "Access-Control-Allow-Origin",
    "Link",
];

/// The one allowed origin; every event sends it.
const ORIGIN: &str = "https://a.example";
const CACHE_CONTROL: &str = "max-age=5";

/// Headers whose handler values the library replaces or drops on this target's route.
const REPLACED: &[&str] = &[
    "access-control-allow-origin",
    "cache-control",
    "content-length",
    "transfer-encoding",
];

#[derive(Arbitrary, Debug, Clone)]
enum Text {
    Common(u8),
    Any(String),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Common(i) => NAMES[usize::from(*i) % NAMES.len()].to_owned(),
            Text::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum Body {
    Empty,
    Text(String),
    Binary(Vec<u8>),
    Json(Vec<(String, i64)>),
}

#[derive(Arbitrary, Debug, Clone)]
struct CookieSpec {
    name: String,
    value: String,
    path: Option<String>,
    domain: Option<String>,
    attribute: Option<String>,
    max_age: Option<i64>,
    same_site: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
struct Spec {
    source: u8,
    multi: bool,
    gzip: bool,
    compress: Option<bool>,
    status: u16,
    headers: Vec<(Text, String)>,
    cookies: Vec<CookieSpec>,
    body: Body,
}

thread_local! {
    static SPEC: RefCell<Option<Spec>> = const { RefCell::new(None) };
}

fn respond(_: &Request<'_>) -> Response {
    let spec = SPEC.with(|s| s.borrow().clone()).expect("spec");
    let body = match spec.body {
        Body::Empty => lambda_router::Body::Empty,
        Body::Text(text) => lambda_router::Body::Text(text.into()),
        Body::Binary(bytes) => lambda_router::Body::Binary(bytes.into()),
        Body::Json(pairs) => lambda_router::Body::Text(
            serde_json::to_string(
                &pairs
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .expect("json")
            .into(),
        ),
    };
    let mut response = Response::with_body(spec.status, body);
    for (name, value) in spec.headers {
        response.append_header(name.get(), value);
    }
    for c in spec.cookies {
        let mut cookie = Cookie::new(c.name, c.value);
        if let Some(path) = c.path {
            cookie = cookie.path(path);
        }
        if let Some(domain) = c.domain {
            cookie = cookie.domain(domain);
        }
        if let Some(attribute) = c.attribute {
            cookie = cookie.attribute(attribute);
        }
        if let Some(age) = c.max_age {
            cookie = cookie.max_age(age);
        }
        if let Some(same_site) = c.same_site {
            cookie = cookie.same_site(
                [
                    SameSite::Default,
                    SameSite::Lax,
                    SameSite::Strict,
                    SameSite::None,
                ][usize::from(same_site % 4)],
            );
        }
        response.append_cookie(cookie);
    }
    match spec.compress {
        Some(on) => response.compress(on),
        None => response,
    }
}

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| {
        (0..6)
            .map(|s| {
                builder_for(s)
                    .debug(false)
                    .cors(Cors::new().allow_origin(ORIGIN))
                    .add_route(Route::get("/", respond).cache_control(CACHE_CONTROL))
                    .build()
                    .expect("app")
            })
            .collect()
    })
}

/// Framing headers a handler sets are dropped before anything is checked.
const DROPPED: &[&str] = &["content-length", "transfer-encoding"];

/// Whether every header and cookie the handler wrote may be sent. A header the route's
/// configuration replaces is checked all the same: the handler's value is refused (a 500)
/// before the library's replaces it, so a bad value never passes unnoticed.
fn valid(spec: &Spec) -> bool {
    spec.headers
        .iter()
        .filter(|(n, _)| !DROPPED.contains(&n.get().to_ascii_lowercase().as_str()))
        .all(|(n, v)| is_token(&n.get()) && is_field_value(v))
        && spec.cookies.iter().all(|c| {
            is_token(&c.name)
                && is_cookie_value(&c.value)
                && [&c.path, &c.domain, &c.attribute]
                    .into_iter()
                    .flatten()
                    .all(|a| is_attribute_value(a))
        })
}

fuzz_target!(|spec: Spec| {
    let app = &apps()[usize::from(spec.source % 6)];
    let accept = if spec.gzip {
        r#","origin":"https://a.example","accept-encoding":"gzip""#
    } else {
        r#","origin":"https://a.example""#
    };
    // The six sources (0..6 of `KINDS`): every header name arrives (ALB single-value and
    // VPC Lattice carry one value per name, and one cookie).
    let source = app.source().expect("an app of one source");
    let event = match source {
        lambda_router::Source::RestV1 => {
            format!(r#"{{"httpMethod":"GET","path":"/","headers":{{"a":"b"{accept}}}}}"#)
        }
        lambda_router::Source::Alb if spec.multi => format!(
            r#"{{"httpMethod":"GET","path":"/","multiValueHeaders":{{"a":["b"]{}}}}}"#,
            if spec.gzip {
                r#","origin":["https://a.example"],"accept-encoding":["gzip"]"#
            } else {
                r#","origin":["https://a.example"]"#
            }
        ),
        lambda_router::Source::Alb => {
            format!(r#"{{"httpMethod":"GET","path":"/","headers":{{"a":"b"{accept}}}}}"#)
        }
        lambda_router::Source::VpcLattice => {
            format!(r#"{{"raw_path":"/","method":"GET","headers":{{"a":"b"{accept}}}}}"#)
        }
        lambda_router::Source::VpcLatticeV2 => format!(
            r#"{{"version":"2.0","path":"/","method":"GET","headers":{{"a":["b"]{}}}}}"#,
            if spec.gzip {
                r#","origin":["https://a.example"],"accept-encoding":["gzip"]"#
            } else {
                r#","origin":["https://a.example"]"#
            }
        ),
        _ => format!(
            r#"{{"rawPath":"/","requestContext":{{"http":{{"method":"GET"}}}},"headers":{{"a":"b"{accept}}}}}"#
        ),
    };
    let valid = valid(&spec);
    SPEC.with(|s| *s.borrow_mut() = Some(spec.clone()));
    let mut scratch = Scratch::new();
    let out = app
        .handle_blocking(&mut scratch, event.as_bytes(), &LambdaContext::default())
        .expect("well-formed event");
    let (response, _) = check_envelope(source, out);
    check_finished(&response);
    // The library's own headers, on every answer (the 500s included): one value each.
    assert_eq!(
        header_values(&response, "access-control-allow-origin"),
        [ORIGIN]
    );
    let status_ok = (100..=599).contains(&spec.status);
    if !valid || !status_ok {
        assert_eq!(
            response["statusCode"], 500,
            "invalid header, cookie or status written"
        );
        return;
    }
    assert_eq!(response["statusCode"], u64::from(spec.status));
    let cache_control = if spec.status == 200 {
        CACHE_CONTROL
    } else {
        "no-cache"
    };
    assert_eq!(header_values(&response, "cache-control"), [cache_control]);
    let own_coding: Vec<&str> = spec
        .headers
        .iter()
        .filter(|(n, _)| n.get().eq_ignore_ascii_case("content-encoding"))
        .map(|(_, v)| v.as_str())
        .collect();
    let codings = header_values(&response, "content-encoding");
    if own_coding
        .iter()
        .any(|v| !v.trim().eq_ignore_ascii_case("identity"))
    {
        // Never re-encoded: the handler's coding goes out alone (ALB without multi-value
        // headers joins a repeated header's values with ", ", as every other source's
        // list reads).
        assert_eq!(codings.join(", "), own_coding.join(", "), "re-encoded");
    } else if matches!(spec.status, 100..=199 | 204 | 304) {
        assert!(!codings.contains(&"gzip"), "no content compressed");
    }
    for (name, value) in &spec.headers {
        let name = name.get();
        let lower = name.to_ascii_lowercase();
        if lower == "set-cookie" || lower == "content-type" || REPLACED.contains(&lower.as_str()) {
            continue;
        }
        assert!(
            header(&response, &name).is_some(),
            "header {name:?}={value:?} lost"
        );
    }
});
