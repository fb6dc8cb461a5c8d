//! Every fixture and every conformance case, read by the views and by a naive `serde_json`
//! re-reading that reads each field as Powertools' event classes do.

use serde_json::Value as Json;

use super::{error_of, with_event};

/// The naive reader shared with the integration tests and the `event_structured` fuzz
/// target (it names the crate `lambda_router`, which `lib.rs` provides under `cfg(test)`).
#[path = "../../../tests/naive/mod.rs"]
mod naive;
use crate::event::{EventError, EventView, Source};

// ---- fixtures ----

macro_rules! fixtures {
    ($($source:ident: $($file:literal),+;)+) => {
        [$($((Source::$source, $file, include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"), "/fixtures/events/", $file
        )))),+),+]
    };
}

#[test]
fn every_fixture_of_the_four_sources_parses() {
    let fixtures = fixtures! {
        RestV1: "apiGatewayProxyEvent.json", "apiGatewayProxyEventAnotherPath.json",
            "apiGatewayProxyEventNoOrigin.json", "apiGatewayProxyEventPathTrailingSlash.json",
            "apiGatewayProxyEventPrincipalId.json", "apiGatewayProxyEvent_noVersionAuth.json",
            "apiGatewayProxyOtherEvent.json", "apigatewayeSchemaMiddlwareInvalidEvent.json",
            "apigatewayeSchemaMiddlwareValidEvent.json";
        HttpV2: "apiGatewayProxyV2Event.json", "apiGatewayProxyV2EventPathTrailingSlash.json",
            "apiGatewayProxyV2Event_GET.json", "apiGatewayProxyV2IamEvent.json",
            "apiGatewayProxyV2LambdaAuthorizerEvent.json", "apiGatewayProxyV2OtherGetEvent.json",
            "apiGatewayProxyV2SchemaMiddlwareInvalidEvent.json",
            "apiGatewayProxyV2SchemaMiddlwareValidEvent.json";
        FunctionUrl: "lambdaFunctionUrlEvent.json", "lambdaFunctionUrlEventPathTrailingSlash.json",
            "lambdaFunctionUrlEventWithHeaders.json", "lambdaFunctionUrlIAMEvent.json";
        Alb: "albEvent.json", "albEventPathTrailingSlash.json", "albMultiValueHeadersEvent.json",
            "albMultiValueQueryStringEvent.json";
    };
    for (source, file, text) in fixtures {
        let event: Json = serde_json::from_str(text).expect("fixture is JSON");
        with_event(source, text, |result| {
            let view = result.unwrap_or_else(|error| panic!("{file}: {error}"));
            compare_with_oracle(file, source, &event, &view);
        });
    }
}

// ---- the oracle over the conformance cases ----

macro_rules! cases {
    ($source:literal) => {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/conformance/cases/",
            $source,
            ".jsonl"
        )
    };
}

#[test]
fn every_conformance_case_reads_like_the_reference_app() {
    let files = [
        (Source::RestV1, include_str!(cases!("rest"))),
        (Source::HttpV2, include_str!(cases!("http"))),
        (Source::Alb, include_str!(cases!("alb"))),
        (Source::FunctionUrl, include_str!(cases!("function-url"))),
    ];
    let mut checked = 0;
    for (source, lines) in files {
        for line in lines.lines().filter(|line| !line.trim().is_empty()) {
            let case: Json = serde_json::from_str(line).expect("case line is JSON");
            let name = case["name"].as_str().expect("case has a name");
            let text = serde_json::to_string(&case["event"]).expect("re-serializable");
            if name == "invalid-event-empty-object" {
                let (code, _) = error_of(source, &text);
                assert_eq!(code, EventError::MISSING_FIELD, "{name}");
                continue;
            }
            with_event(source, &text, |result| {
                let view = result.unwrap_or_else(|error| panic!("{name}: {error}"));
                compare_with_oracle(name, source, &case["event"], &view);
            });
            checked += 1;
        }
    }
    assert_eq!(
        checked, 460,
        "cases checked (464 lines, 4 of them the empty event)"
    );
}

fn compare_with_oracle(name: &str, source: Source, event: &Json, view: &EventView<'_>) {
    let v2 = matches!(source, Source::HttpV2 | Source::FunctionUrl);
    assert_eq!(view.source, source);
    let method = if v2 {
        &event["requestContext"]["http"]["method"]
    } else {
        &event["httpMethod"]
    };
    assert_eq!(Some(view.method), method.as_str(), "{name}: method");
    assert_eq!(view.path, naive::path(event, v2), "{name}: path");
    assert_eq!(view.body, event["body"].as_str(), "{name}: body");
    assert_eq!(
        view.is_base64_encoded,
        event["isBase64Encoded"].as_bool().unwrap_or(false),
        "{name}: isBase64Encoded"
    );
    let multi_headers = naive::non_empty(&event["multiValueHeaders"]);
    assert_eq!(
        view.multi_value_headers,
        source == Source::Alb && multi_headers,
        "{name}"
    );
    assert!(view.root.is_object());

    // Headers: every name the event has, in three spellings, plus an absent one.
    for header in naive::names(&event["headers"]).chain(naive::names(&event["multiValueHeaders"])) {
        for spelling in [
            header.clone(),
            header.to_ascii_lowercase(),
            header.to_ascii_uppercase(),
        ] {
            assert_eq!(
                view.headers.get(&spelling),
                naive::header(event, v2, &spelling).as_deref(),
                "{name}: header {spelling}"
            );
            assert!(
                view.headers.contains(&spelling),
                "{name}: contains {spelling}"
            );
            let all: Vec<&str> = view.headers.get_all(&spelling).collect();
            assert_eq!(
                all,
                naive::header_values(event, v2, &spelling),
                "{name}: all {spelling}"
            );
        }
    }
    assert_eq!(view.headers.get("x-not-sent"), None);
    assert!(!view.headers.contains("x-not-sent"));
    let mut pairs: Vec<(String, String)> = view
        .headers
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        naive::header_pairs(event, v2),
        "{name}: header pairs"
    );

    // Query: every key of both maps, plus an absent one.
    let query_map = naive::query_map(event, v2);
    for key in naive::names(&event["queryStringParameters"])
        .chain(naive::names(&event["multiValueQueryStringParameters"]))
        .chain(["not-sent".to_owned()])
    {
        let expected = query_map
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str());
        assert_eq!(view.query.get(&key), expected, "{name}: query {key}");
        let all: Vec<&str> = view.query.get_all(&key).collect();
        assert_eq!(
            all,
            naive::query_values(event, v2, &key),
            "{name}: query all {key}"
        );
    }
    let mut pairs: Vec<(String, String)> = view
        .query
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    pairs.sort();
    let mut expected = query_map;
    expected.sort();
    assert_eq!(pairs, expected, "{name}: query pairs");

    // Cookies.
    let cookies: Vec<(&str, &str)> = view.cookies.iter().collect();
    let expected = naive::cookies(event, v2);
    let expected: Vec<(&str, &str)> = expected
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(cookies, expected, "{name}: cookies");
    for (cookie, value) in &expected {
        let first = expected.iter().find(|(k, _)| k == cookie).map(|(_, v)| *v);
        assert_eq!(
            view.cookies.get(cookie),
            first,
            "{name}: cookie {cookie} = {value}"
        );
    }

    // Request context.
    let context = &event["requestContext"];
    assert_eq!(
        view.request_context.request_id(),
        context["requestId"].as_str(),
        "{name}"
    );
    assert_eq!(
        view.request_context.stage(),
        context["stage"].as_str(),
        "{name}"
    );
    let ip = match source {
        Source::RestV1 => context["identity"]["sourceIp"].as_str(),
        Source::HttpV2 | Source::FunctionUrl => context["http"]["sourceIp"].as_str(),
        Source::Alb
        | Source::VpcLattice
        | Source::VpcLatticeV2
        | Source::BedrockAgent
        | Source::BedrockAgentFunction => None,
    };
    assert_eq!(view.request_context.source_ip(), ip, "{name}: source ip");
}
