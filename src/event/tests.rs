//! Event reading tests: shared helpers and focused behaviour here; the fixture and
//! conformance-case oracle in `tests/oracle.rs`; hostile inputs in `tests/hostile.rs`.

// A failing test should stop loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use super::{EventError, EventView, Source, parse};

mod hostile;
mod oracle;

/// Parses `text` with simd-json and hands the event view (or error) to `check`.
fn with_event<R>(
    source: Source,
    text: &str,
    check: impl FnOnce(Result<EventView<'_>, EventError>) -> R,
) -> R {
    let mut bytes = text.as_bytes().to_vec();
    let tape = simd_json::to_tape(&mut bytes).expect("test input is JSON");
    let arena = bumpalo::Bump::new();
    check(parse(crate::source::Accepts::One(source), &tape, &arena))
}

fn error_of(source: Source, text: &str) -> (String, String) {
    with_event(source, text, |result| match result {
        Ok(view) => panic!("expected an error for {text}, got {view:?}"),
        Err(error) => (error.code().to_owned(), error.path().to_owned()),
    })
}

// ---- focused behaviour ----

#[test]
fn http_api_stage_prefix_is_removed_only_at_a_segment_boundary() {
    let event = |raw_path: &str, stage: &str| {
        format!(
            r#"{{"rawPath":"{raw_path}","requestContext":{{"stage":"{stage}","http":{{"method":"GET"}}}}}}"#
        )
    };
    for (raw_path, stage, expected) in [
        ("/dev/users", "dev", "/users"),
        ("/dev", "dev", "/"),
        ("/dev/", "dev", "/"),
        ("/devx/users", "dev", "/devx/users"),
        ("/xfoo", "dev", "/xfoo"),
        ("/users", "$default", "/users"),
        ("/users", "", "/users"),
    ] {
        with_event(Source::HttpV2, &event(raw_path, stage), |result| {
            assert_eq!(
                result.expect("valid").path,
                expected,
                "{raw_path} on {stage}"
            );
        });
    }
}

#[test]
fn duplicate_values_and_odd_cookies() {
    let text = r#"{"httpMethod":"GET","path":"/","headers":{"Cookie":"a=1; b = 2 ;;flag; c=x=y"},
        "multiValueHeaders":null,"queryStringParameters":{"tag":"a,b"},
        "multiValueQueryStringParameters":{"tag":["x","y"],"empty":[]}}"#;
    with_event(Source::RestV1, text, |result| {
        let view = result.expect("valid");
        let cookies: Vec<_> = view.cookies.iter().collect();
        assert_eq!(
            cookies,
            [("a", "1"), ("b", "2"), ("flag", ""), ("c", "x=y")]
        );
        assert_eq!(view.cookies.get("c"), Some("x=y"));
        assert_eq!(view.query.get("tag"), Some("a,b"));
        assert_eq!(view.query.get_all("tag").collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(view.query.get_all("empty").count(), 0);
        assert_eq!(view.query.get_all("nope").count(), 0);
    });
    let text = r#"{"rawPath":"/","requestContext":{"http":{"method":"GET"}},
        "headers":{"x-multi":"a, b,c","accept":""},"queryStringParameters":{"tag":"a,,b","e":""},
        "cookies":["s=1","t=2"]}"#;
    with_event(Source::HttpV2, text, |result| {
        let view = result.expect("valid");
        assert_eq!(view.headers.get("X-Multi"), Some("a, b,c"));
        assert_eq!(
            view.headers.get_all("x-multi").collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(view.headers.get_all("accept").collect::<Vec<_>>(), [""]);
        assert_eq!(
            view.query.get_all("tag").collect::<Vec<_>>(),
            ["a", "", "b"]
        );
        assert_eq!(view.query.get_all("e").collect::<Vec<_>>(), [""]);
        assert_eq!(view.cookies.get("t"), Some("2"));
        assert_eq!(view.body, None);
        assert!(!view.is_base64_encoded);
    });
}

#[test]
fn alb_multi_value_mode_reads_the_last_values() {
    let text = r#"{"httpMethod":"GET","path":"/a%20b","body":"",
        "multiValueHeaders":{"x-key":["1","2"],"cookie":["a=1","b=2"]},
        "multiValueQueryStringParameters":{"q":["a%20b","c"]}}"#;
    with_event(Source::Alb, text, |result| {
        let view = result.expect("valid");
        assert!(view.multi_value_headers);
        assert_eq!(view.body, Some(""));
        assert_eq!(view.headers.get("X-Key"), Some("2"));
        assert_eq!(view.query.get("q"), Some("c"));
        assert_eq!(view.query.iter().collect::<Vec<_>>(), [("q", "c")]);
        assert_eq!(
            view.cookies.iter().collect::<Vec<_>>(),
            [("a", "1"), ("b", "2")]
        );
        assert_eq!(view.request_context.source_ip(), None);
    });
}

#[test]
fn json_view_reads_any_value_without_panicking() {
    let text = r#"{"httpMethod":"GET","path":"/","requestContext":{"requestId":"r1",
        "authorizer":{"claims":{"sub":"u1"},"n":-3,"u":7,"f":1.5,"ok":true,"list":[1,"two",null]}}}"#;
    with_event(Source::RestV1, text, |result| {
        let view = result.expect("valid");
        let context = view.request_context;
        assert_eq!(context.request_id(), Some("r1"));
        let authorizer = context.authorizer().expect("authorizer");
        assert!(authorizer.is_object());
        assert_eq!(authorizer.len(), 6);
        assert_eq!(
            authorizer
                .get("claims")
                .and_then(|c| c.get("sub")?.as_str()),
            Some("u1")
        );
        assert_eq!(authorizer.get("n").and_then(|n| n.as_i64()), Some(-3));
        assert_eq!(authorizer.get("u").and_then(|n| n.as_u64()), Some(7));
        assert_eq!(authorizer.get("u").and_then(|n| n.as_f64()), Some(7.0));
        assert_eq!(authorizer.get("f").and_then(|n| n.as_f64()), Some(1.5));
        assert_eq!(authorizer.get("ok").and_then(|b| b.as_bool()), Some(true));
        let list = authorizer.get("list").expect("list");
        assert!(list.is_array());
        assert_eq!(list.index(1).and_then(|v| v.as_str()), Some("two"));
        assert!(list.index(2).is_some_and(|v| v.is_null()));
        assert!(list.index(3).is_none());
        assert_eq!(list.items().count(), 3);
        assert_eq!(
            authorizer.entries().map(|(k, _)| k).collect::<Vec<_>>()[0],
            "claims"
        );
        // Wrong-type questions give None, never a panic.
        assert!(list.get("x").is_none());
        assert!(authorizer.index(0).is_none());
        assert_eq!(list.index(1).map(|v| v.len()), Some(0));
        assert_eq!(list.index(0).and_then(|v| v.as_str()), None);
        assert_eq!(view.root.get("path").and_then(|p| p.as_str()), Some("/"));
        assert_eq!(
            context.as_json().get("requestId").and_then(|v| v.as_str()),
            Some("r1")
        );
    });
}

/// The raw node walks: duplicate keys (last wins), lists of several and no values, nested
/// values after valid members (caught by the checks, with the same paths), and containers
/// skipped whole when walking past them.
#[test]
fn raw_walks_keep_map_semantics() {
    let text = r#"{"httpMethod":"GET","path":"/","headers":{"A":"1","b":"2","a":"3"},
        "multiValueHeaders":{"A":["1"],"X":["p","q","r"],"E":[],"x":["s"]},
        "requestContext":{"deep":{"k":[{"x":1}]},"requestId":"r","requestId":"r2"}}"#;
    with_event(Source::RestV1, text, |result| {
        let view = result.expect("valid");
        assert_eq!(view.headers.get("a"), Some("3"));
        assert_eq!(view.headers.get("x"), Some("s"));
        assert!(view.headers.contains("e"));
        assert_eq!(view.headers.get("e"), None);
        assert_eq!(view.headers.get("origin"), None);
        assert_eq!(view.headers.get_all("X").collect::<Vec<_>>(), ["s"]);
        assert_eq!(view.headers.iter().count(), 5);
        assert_eq!(view.request_context.request_id(), Some("r2"));
        assert_eq!(view.root.get("requestContext").map(|c| c.len()), Some(3));
    });
    for (text, path) in [
        (r#""headers":{"a":"1","b":{"c":"d"}}"#, "headers.b"),
        (r#""headers":{"a":"1","b":["c"]}"#, "headers.b"),
        (
            r#""multiValueHeaders":{"a":["1"],"b":[["c"]]}"#,
            "multiValueHeaders.b[0]",
        ),
        (
            r#""multiValueHeaders":{"a":["1"],"b":["c",[]]}"#,
            "multiValueHeaders.b[1]",
        ),
        (
            r#""multiValueHeaders":{"a":["1"],"b":"c"}"#,
            "multiValueHeaders.b",
        ),
    ] {
        let event = format!(r#"{{"httpMethod":"GET","path":"/",{text}}}"#);
        let (code, found) = error_of(Source::RestV1, &event);
        assert_eq!(
            (code.as_str(), found.as_str()),
            (EventError::WRONG_TYPE, path)
        );
    }
    let event =
        r#"{"rawPath":"/","requestContext":{"http":{"method":"GET"}},"cookies":["a=1",{}]}"#;
    let (code, found) = error_of(Source::HttpV2, event);
    assert_eq!(
        (code.as_str(), found.as_str()),
        (EventError::WRONG_TYPE, "cookies[1]")
    );
}
