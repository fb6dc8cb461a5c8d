//! Hostile inputs: wrong types, nulls, non-objects, bad base64.

use super::{error_of, with_event};
use crate::event::{EventError, Source, decode_base64_body};

// ---- hostile input ----

#[test]
fn wrong_types_are_reported_with_code_and_path() {
    use Source::{Alb, FunctionUrl, HttpV2, RestV1};
    const REST: &str = r#""httpMethod":"GET","path":"/""#;
    const V2: &str = r#""rawPath":"/","requestContext":{"http":{"method":"GET"}}"#;
    let cases: &[(Source, String, &str, &str)] = &[
        (RestV1, "{}".into(), "event.missing_field", "httpMethod"),
        (Alb, "{}".into(), "event.missing_field", "httpMethod"),
        (
            HttpV2,
            "{}".into(),
            "event.missing_field",
            "requestContext.http.method",
        ),
        (
            FunctionUrl,
            "{}".into(),
            "event.missing_field",
            "requestContext.http.method",
        ),
        (RestV1, "[]".into(), "event.not_an_object", ""),
        (HttpV2, "\"event\"".into(), "event.not_an_object", ""),
        (Alb, "null".into(), "event.not_an_object", ""),
        (
            RestV1,
            r#"{"httpMethod":null,"path":"/"}"#.into(),
            "event.missing_field",
            "httpMethod",
        ),
        (
            RestV1,
            r#"{"httpMethod":1,"path":"/"}"#.into(),
            "event.wrong_type",
            "httpMethod",
        ),
        (
            RestV1,
            r#"{"httpMethod":"GET"}"#.into(),
            "event.missing_field",
            "path",
        ),
        (
            Alb,
            r#"{"httpMethod":"GET","path":[]}"#.into(),
            "event.wrong_type",
            "path",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"headers":[]}}"#),
            "event.wrong_type",
            "headers",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"headers":{{"Accept":1}}}}"#),
            "event.wrong_type",
            "headers.Accept",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"multiValueHeaders":{{"Accept":"x"}}}}"#),
            "event.wrong_type",
            "multiValueHeaders.Accept",
        ),
        (
            Alb,
            format!(r#"{{{REST},"multiValueHeaders":{{"Accept":["a",2]}}}}"#),
            "event.wrong_type",
            "multiValueHeaders.Accept[1]",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"queryStringParameters":{{"a":null}}}}"#),
            "event.wrong_type",
            "queryStringParameters.a",
        ),
        (
            Alb,
            format!(r#"{{{REST},"multiValueQueryStringParameters":{{"a":[{{}}]}}}}"#),
            "event.wrong_type",
            "multiValueQueryStringParameters.a[0]",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"body":{{}}}}"#),
            "event.wrong_type",
            "body",
        ),
        (
            Alb,
            format!(r#"{{{REST},"isBase64Encoded":"true"}}"#),
            "event.wrong_type",
            "isBase64Encoded",
        ),
        (
            RestV1,
            format!(r#"{{{REST},"requestContext":"x"}}"#),
            "event.wrong_type",
            "requestContext",
        ),
        (
            HttpV2,
            r#"{"rawPath":"/","requestContext":[]}"#.into(),
            "event.wrong_type",
            "requestContext",
        ),
        (
            HttpV2,
            r#"{"rawPath":"/","requestContext":{"http":"GET"}}"#.into(),
            "event.wrong_type",
            "requestContext.http",
        ),
        (
            HttpV2,
            r#"{"rawPath":"/","requestContext":{"http":{"method":true}}}"#.into(),
            "event.wrong_type",
            "requestContext.http.method",
        ),
        (
            HttpV2,
            r#"{"rawPath":"/","requestContext":{"http":{}}}"#.into(),
            "event.missing_field",
            "requestContext.http.method",
        ),
        (
            FunctionUrl,
            r#"{"requestContext":{"http":{"method":"GET"}}}"#.into(),
            "event.missing_field",
            "rawPath",
        ),
        (
            HttpV2,
            r#"{"rawPath":"/","requestContext":{"stage":5,"http":{"method":"GET"}}}"#.into(),
            "event.wrong_type",
            "requestContext.stage",
        ),
        (
            HttpV2,
            format!(r#"{{{V2},"headers":{{"a":false}}}}"#),
            "event.wrong_type",
            "headers.a",
        ),
        (
            FunctionUrl,
            format!(r#"{{{V2},"queryStringParameters":{{"q":["a"]}}}}"#),
            "event.wrong_type",
            "queryStringParameters.q",
        ),
        (
            HttpV2,
            format!(r#"{{{V2},"cookies":"a=1"}}"#),
            "event.wrong_type",
            "cookies",
        ),
        (
            FunctionUrl,
            format!(r#"{{{V2},"cookies":["a=1",7]}}"#),
            "event.wrong_type",
            "cookies[1]",
        ),
        (
            HttpV2,
            format!(r#"{{{V2},"body":1.5}}"#),
            "event.wrong_type",
            "body",
        ),
        (
            HttpV2,
            format!(r#"{{{V2},"isBase64Encoded":0}}"#),
            "event.wrong_type",
            "isBase64Encoded",
        ),
    ];
    for (source, text, code, path) in cases {
        let (actual_code, actual_path) = error_of(*source, text);
        assert_eq!(
            (actual_code.as_str(), actual_path.as_str()),
            (*code, *path),
            "{source:?} {text}"
        );
    }
}

#[test]
fn nulls_read_as_absent() {
    let text = r#"{"httpMethod":"GET","path":"/","headers":null,"multiValueHeaders":null,
        "queryStringParameters":null,"multiValueQueryStringParameters":null,"body":null,
        "isBase64Encoded":null,"requestContext":null}"#;
    with_event(Source::RestV1, text, |result| {
        let view = result.expect("valid");
        assert_eq!(view.headers.get("a"), None);
        assert_eq!(view.headers.iter().count(), 0);
        assert_eq!(view.query.iter().count(), 0);
        assert_eq!(view.cookies.iter().count(), 0);
        assert_eq!(view.body, None);
        assert!(!view.is_base64_encoded);
        assert!(view.request_context.as_json().is_null());
        assert_eq!(view.request_context.request_id(), None);
    });
}

#[test]
fn error_display_is_code_message_path() {
    let error = EventError::wrong_type(format_args!("headers.a"), "string", "number");
    assert_eq!(
        error.to_string(),
        "event.wrong_type: expected string, found number at `headers.a`"
    );
    assert_eq!(error.message(), "expected string, found number");
    let error = EventError::invalid_json(3, "unexpected character");
    assert_eq!(error.code(), EventError::INVALID_JSON);
    assert_eq!(error.path(), "");
}

#[test]
fn base64_bodies_decode_into_the_arena() {
    let arena = bumpalo::Bump::new();
    assert_eq!(
        decode_base64_body("aGVsbG8gd29ybGQ=", &arena).expect("valid"),
        b"hello world"
    );
    assert_eq!(decode_base64_body("", &arena).expect("valid"), b"");
    for bad in ["aGVsbG8", "a===", "not base64!", "aGVs\nbG8=", "€€€€"] {
        assert_eq!(decode_base64_body(bad, &arena), None, "{bad}");
    }
}

#[test]
fn invalid_method_points_at_the_method_field_of_each_source() {
    let error = EventError::invalid_method(Source::Alb);
    assert_eq!(
        (error.code(), error.path()),
        (EventError::INVALID_METHOD, "httpMethod")
    );
    let error = EventError::invalid_method(Source::FunctionUrl);
    assert_eq!(error.path(), "requestContext.http.method");
}
