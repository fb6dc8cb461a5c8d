//! Data-driven tests: every `fixtures/routes/*.toml` file is a table of cases
//! (routes, requests, expected route and params, or an expected build error).
//! The rules they check are written down in `src/docs/routing.md`.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;

use http::Method;
use serde::Deserialize;

use super::builder::TrieBuilder;
use super::trie::Trie;
use super::{BuildErrorKind, Params, TrailingSlash};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/routes");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    trailing_slash: Mode,
    routes: Vec<RouteSpec>,
    #[serde(default)]
    requests: Vec<RequestSpec>,
    error: Option<ErrorSpec>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Ignore,
    Exact,
    /// The case holds in both modes.
    Both,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteSpec {
    methods: Vec<String>,
    rule: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestSpec {
    method: String,
    path: String,
    /// The rule of the expected route; absent means no match.
    rule: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorSpec {
    kind: String,
    rule: Option<String>,
    conflicting_rule: Option<String>,
    /// The exact message, when the case pins it.
    message: Option<String>,
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes())
        .unwrap_or_else(|error| panic!("bad method {name:?}: {error}"))
}

fn build(case: &Case, mode: TrailingSlash) -> Result<Trie, super::BuildError> {
    let mut builder = TrieBuilder::new(mode);
    for (id, route) in case.routes.iter().enumerate() {
        let methods: Vec<Method> = route.methods.iter().map(|m| method(m)).collect();
        // Errors are checked through `build`, which reports the first one again.
        let _ = builder.insert(&route.rule, &methods, id);
    }
    builder.build()
}

fn kind_name(kind: BuildErrorKind) -> &'static str {
    match kind {
        BuildErrorKind::Conflict => "conflict",
        BuildErrorKind::InvalidRule => "invalid_rule",
        BuildErrorKind::InvalidRegex => "invalid_regex",
        BuildErrorKind::Config => "config",
    }
}

/// Runs one case in one mode; returns how many requests it checked.
fn run_case(file: &str, case: &Case, mode: TrailingSlash) -> usize {
    let context = format!("{file} / {:?} ({mode:?})", case.name);
    let built = build(case, mode);
    if let Some(expected) = &case.error {
        let Err(error) = built else {
            panic!(
                "{context}: expected a {} error, the build succeeded",
                expected.kind
            );
        };
        assert_eq!(kind_name(error.kind()), expected.kind, "{context}: {error}");
        assert_eq!(error.rule(), expected.rule.as_deref(), "{context}: {error}");
        assert_eq!(
            error.conflicting_rule(),
            expected.conflicting_rule.as_deref(),
            "{context}: {error}"
        );
        if let Some(message) = &expected.message {
            assert_eq!(&error.to_string(), message, "{context}");
        }
        let text = error.to_string();
        assert!(
            !text.ends_with('.'),
            "{context}: message ends with a period: {text}"
        );
        assert!(
            !text.starts_with(char::is_uppercase),
            "{context}: capitalised message: {text}"
        );
        return 0;
    }
    let trie = built.unwrap_or_else(|error| panic!("{context}: build failed: {error}"));
    let mut params = Params::default();
    for request in &case.requests {
        let found = trie.at(&method(&request.method), &request.path, &mut params);
        let found_rule = found.map(|id| {
            case.routes
                .get(id)
                .map_or("<bad id>", |route| route.rule.as_str())
        });
        let what = format!("{context}: {} {:?}", request.method, request.path);
        assert_eq!(found_rule, request.rule.as_deref(), "{what}");
        let got: BTreeMap<String, String> = params
            .iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(got, request.params, "{what}: params");
        assert_eq!(params.len(), got.len(), "{what}: duplicate param names");
    }
    case.requests.len()
}

#[test]
fn route_fixtures() {
    let mut entries: Vec<_> = std::fs::read_dir(FIXTURES)
        .unwrap_or_else(|error| panic!("{FIXTURES}: {error}"))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    entries.sort();
    assert!(
        entries.len() >= 6,
        "expected the fixture files in {FIXTURES}"
    );
    let (mut cases, mut requests) = (0, 0);
    for path in &entries {
        let file = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("?");
        let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{file}: {error}"));
        let fixture: FixtureFile =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{file}: {error}"));
        for case in &fixture.case {
            let modes: &[TrailingSlash] = match case.trailing_slash {
                Mode::Ignore => &[TrailingSlash::Ignore],
                Mode::Exact => &[TrailingSlash::Exact],
                Mode::Both => &[TrailingSlash::Ignore, TrailingSlash::Exact],
            };
            for &mode in modes {
                requests += run_case(file, case, mode);
                cases += 1;
            }
        }
    }
    println!(
        "{} fixture files, {cases} case runs, {requests} requests",
        entries.len()
    );
}

#[test]
fn params_accessors() {
    let mut builder = TrieBuilder::new(TrailingSlash::Ignore);
    let route = builder.insert("/a/<x>/<y>", &[Method::GET], 7);
    assert!(route.is_ok());
    let trie = builder.build().unwrap_or_else(|error| panic!("{error}"));
    let mut params = Params::default();
    assert_eq!(trie.at(&Method::GET, "/a/1/2", &mut params), Some(7));
    assert_eq!(params.iter().collect::<Vec<_>>(), [("x", "1"), ("y", "2")]);
    assert_eq!(
        (
            params.len(),
            params.is_empty(),
            params.get("y"),
            params.get("z")
        ),
        (2, false, Some("2"), None)
    );
    // A miss clears what a previous match left behind.
    assert_eq!(trie.at(&Method::GET, "/b", &mut params), None);
    assert!(params.is_empty());
}

#[test]
fn insert_reports_eagerly_and_build_repeats_the_first_error() {
    let mut builder = TrieBuilder::new(TrailingSlash::Exact);
    assert!(builder.insert("/a/<id>", &[Method::GET], 0).is_ok());
    let first = builder.insert("/a/<key>", &[Method::GET], 1).err();
    let second = builder.insert("nope", &[Method::GET], 2).err();
    assert_eq!(
        first.as_ref().map(|e| e.kind()),
        Some(BuildErrorKind::Conflict)
    );
    assert_eq!(
        second.as_ref().map(|e| e.kind()),
        Some(BuildErrorKind::InvalidRule)
    );
    let built = builder.build().err().map(|error| error.to_string());
    assert_eq!(built, first.map(|error| error.to_string()));
}
