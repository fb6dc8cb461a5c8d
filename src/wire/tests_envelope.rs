//! Tests of the envelope writer: exact text for each style, and the same responses parsed back
//! with `serde_json`.

use serde_json::{Value, json};

use super::*;
use crate::response::SameSite;

type Header = (&'static str, &'static str);

fn header(name: &'static str, value: &'static str) -> Header {
    (name, value)
}

fn envelope(
    style: EnvelopeStyle,
    status: u16,
    headers: &[Header],
    cookies: &[Cookie],
    body: EnvelopeBody<'_>,
) -> String {
    let mut out = Vec::new();
    write_envelope(&mut out, style, status, headers, cookies, body);
    String::from_utf8(out).unwrap()
}

fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{error} in {text}"))
}

/// The headers and cookies of the conformance case `fine-headers-and-cookies`.
fn fine_headers() -> Vec<Header> {
    vec![
        header("X-Transaction-Id", "3490eea9-791b-47a0-91a4-326317db61a9"),
        header("X-Multi", "a"),
        header("X-Multi", "b"),
        header("Content-Type", "application/json"),
        header("X-Powered-By", "conformance"),
    ]
}

fn fine_cookies() -> Vec<Cookie> {
    vec![
        Cookie::new("session_id", "12345"),
        Cookie::new("theme", "dark")
            .http_only(true)
            .same_site(SameSite::Strict)
            .max_age(3600)
            .path("/"),
    ]
}

const THEME: &str = "theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict";
const FINE_BODY: &[u8] = br#"{"fine":true}"#;

#[test]
fn rest_groups_headers_and_appends_cookies() {
    let text = envelope(
        EnvelopeStyle::Rest,
        200,
        &fine_headers(),
        &fine_cookies(),
        EnvelopeBody::Text(FINE_BODY),
    );
    assert_eq!(
        text,
        concat!(
            r#"{"statusCode":200,"multiValueHeaders":{"#,
            r#""X-Transaction-Id":["3490eea9-791b-47a0-91a4-326317db61a9"],"X-Multi":["a","b"],"#,
            r#""Content-Type":["application/json"],"X-Powered-By":["conformance"],"#,
            r#""Set-Cookie":["session_id=12345; Secure","theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"]},"#,
            r#""body":"{\"fine\":true}","isBase64Encoded":false}"#
        )
    );
    let value = parsed(&text);
    assert_eq!(value["multiValueHeaders"]["X-Multi"], json!(["a", "b"]));
    assert_eq!(
        value["multiValueHeaders"]["Set-Cookie"],
        json!(["session_id=12345; Secure", THEME])
    );
    assert_eq!(value["body"], json!("{\"fine\":true}"));
    assert!(value.get("headers").is_none());
}

#[test]
fn alb_multi_is_rest_with_an_empty_string_for_no_body() {
    let rest = envelope(EnvelopeStyle::Rest, 204, &[], &[], EnvelopeBody::None);
    let alb = envelope(EnvelopeStyle::AlbMulti, 204, &[], &[], EnvelopeBody::None);
    assert_eq!(
        rest,
        r#"{"statusCode":204,"multiValueHeaders":{},"body":null,"isBase64Encoded":false}"#
    );
    assert_eq!(
        alb,
        r#"{"statusCode":204,"multiValueHeaders":{},"body":"","isBase64Encoded":false}"#
    );
    assert_eq!(parsed(&rest)["body"], Value::Null);
    assert_eq!(parsed(&alb)["body"], json!(""));
}

#[test]
fn multi_value_names_group_case_insensitively_under_the_first_spelling() {
    let headers = [
        header("x-id", "1"),
        header("Other", "o"),
        header("X-ID", "2"),
        header("X-Id", "3"),
    ];
    let text = envelope(
        EnvelopeStyle::AlbMulti,
        200,
        &headers,
        &[],
        EnvelopeBody::None,
    );
    assert_eq!(
        text,
        r#"{"statusCode":200,"multiValueHeaders":{"x-id":["1","2","3"],"Other":["o"]},"body":"","isBase64Encoded":false}"#
    );
}

#[test]
fn multi_value_user_set_cookie_comes_before_the_cookies() {
    let headers = [
        header("set-cookie", "raw=1"),
        header("X-A", "a"),
        header("Set-Cookie", "raw=2"),
    ];
    let cookies = [Cookie::new("c", "3")];
    let text = envelope(
        EnvelopeStyle::Rest,
        200,
        &headers,
        &cookies,
        EnvelopeBody::None,
    );
    assert_eq!(
        text,
        r#"{"statusCode":200,"multiValueHeaders":{"set-cookie":["raw=1","raw=2","c=3; Secure"],"X-A":["a"]},"body":null,"isBase64Encoded":false}"#
    );
}

#[test]
fn v2_joins_values_and_always_has_cookies() {
    let text = envelope(
        EnvelopeStyle::V2,
        200,
        &fine_headers(),
        &fine_cookies(),
        EnvelopeBody::Text(FINE_BODY),
    );
    assert_eq!(
        text,
        concat!(
            r#"{"statusCode":200,"headers":{"#,
            r#""X-Transaction-Id":"3490eea9-791b-47a0-91a4-326317db61a9","X-Multi":"a, b","#,
            r#""Content-Type":"application/json","X-Powered-By":"conformance"},"#,
            r#""cookies":["session_id=12345; Secure","theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"],"#,
            r#""body":"{\"fine\":true}","isBase64Encoded":false}"#
        )
    );
    let value = parsed(&text);
    assert_eq!(value["headers"]["X-Multi"], json!("a, b"));
    assert_eq!(value["cookies"][1], json!(THEME));

    let empty = envelope(EnvelopeStyle::V2, 204, &[], &[], EnvelopeBody::None);
    assert_eq!(
        empty,
        r#"{"statusCode":204,"headers":{},"cookies":[],"body":null,"isBase64Encoded":false}"#
    );
    assert!(parsed(&empty).get("multiValueHeaders").is_none());
}

#[test]
fn v2_sends_set_cookie_headers_as_cookies() {
    let headers = [
        header("Set-Cookie", "raw=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT"),
        header("X-A", "a"),
        header("set-cookie", "raw=2"),
    ];
    let cookies = [Cookie::new("c", "3")];
    let text = envelope(
        EnvelopeStyle::V2,
        200,
        &headers,
        &cookies,
        EnvelopeBody::None,
    );
    assert_eq!(
        text,
        concat!(
            r#"{"statusCode":200,"headers":{"X-A":"a"},"#,
            r#""cookies":["raw=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT","raw=2","c=3; Secure"],"#,
            r#""body":null,"isBase64Encoded":false}"#
        )
    );
}

#[test]
fn alb_single_keeps_the_last_value_unless_joining() {
    let last = envelope(
        EnvelopeStyle::AlbSingle { join: false },
        200,
        &fine_headers(),
        &fine_cookies(),
        EnvelopeBody::Text(FINE_BODY),
    );
    // Powertools' answer, header for header.
    assert_eq!(
        last,
        concat!(
            r#"{"statusCode":200,"headers":{"#,
            r#""Set-Cookie":"theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict","#,
            r#""X-Transaction-Id":"3490eea9-791b-47a0-91a4-326317db61a9","X-Multi":"b","#,
            r#""Content-Type":"application/json","X-Powered-By":"conformance"},"#,
            r#""body":"{\"fine\":true}","isBase64Encoded":false}"#
        )
    );
}

#[test]
fn alb_single_joins_repeated_values_and_sends_the_last_cookie_first() {
    let text = envelope(
        EnvelopeStyle::AlbSingle { join: true },
        200,
        &fine_headers(),
        &fine_cookies(),
        EnvelopeBody::Text(FINE_BODY),
    );
    assert_eq!(
        text,
        concat!(
            r#"{"statusCode":200,"headers":{"#,
            r#""Set-Cookie":"theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict","#,
            r#""X-Transaction-Id":"3490eea9-791b-47a0-91a4-326317db61a9","X-Multi":"a, b","#,
            r#""Content-Type":"application/json","X-Powered-By":"conformance"},"#,
            r#""body":"{\"fine\":true}","isBase64Encoded":false}"#
        )
    );
    let value = parsed(&text);
    assert_eq!(value["headers"]["Set-Cookie"], json!(THEME));
    assert!(value.get("cookies").is_none());

    let empty = envelope(
        EnvelopeStyle::AlbSingle { join: true },
        404,
        &[],
        &[],
        EnvelopeBody::None,
    );
    assert_eq!(
        empty,
        r#"{"statusCode":404,"headers":{},"body":"","isBase64Encoded":false}"#
    );
}

#[test]
fn alb_single_set_cookie_header_without_cookies_sends_its_last_value() {
    let headers = [
        header("X-A", "a"),
        header("set-cookie", "raw=1"),
        header("Set-Cookie", "raw=2"),
    ];
    let text = envelope(
        EnvelopeStyle::AlbSingle { join: false },
        200,
        &headers,
        &[],
        EnvelopeBody::None,
    );
    assert_eq!(
        text,
        r#"{"statusCode":200,"headers":{"set-cookie":"raw=2","X-A":"a"},"body":"","isBase64Encoded":false}"#
    );
    let cookies = [Cookie::new("c", "3")];
    let with_cookie = envelope(
        EnvelopeStyle::AlbSingle { join: false },
        200,
        &headers,
        &cookies,
        EnvelopeBody::None,
    );
    assert_eq!(
        parsed(&with_cookie)["headers"]["set-cookie"],
        json!("c=3; Secure")
    );
}

#[test]
fn base64_body() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
    let headers = [header("Content-Type", "image/svg+xml")];
    for style in [
        EnvelopeStyle::Rest,
        EnvelopeStyle::V2,
        EnvelopeStyle::AlbMulti,
        EnvelopeStyle::AlbSingle { join: false },
        EnvelopeStyle::AlbSingle { join: true },
        EnvelopeStyle::Lattice,
    ] {
        let text = envelope(style, 200, &headers, &[], EnvelopeBody::Base64(svg));
        let value = parsed(&text);
        assert_eq!(
            value["body"],
            json!("PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4K")
        );
        assert_eq!(value["isBase64Encoded"], json!(true));
        assert!(text.ends_with(r#"K","isBase64Encoded":true}"#));
    }
    let padded = envelope(
        EnvelopeStyle::V2,
        200,
        &[],
        &[],
        EnvelopeBody::Base64(b"ab"),
    );
    assert_eq!(parsed(&padded)["body"], json!("YWI="));
    let empty = envelope(
        EnvelopeStyle::Rest,
        200,
        &[],
        &[],
        EnvelopeBody::Base64(b""),
    );
    assert_eq!(
        empty,
        r#"{"statusCode":200,"multiValueHeaders":{},"body":"","isBase64Encoded":true}"#
    );
}

#[test]
fn escapes_body_headers_and_cookies() {
    let body = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} é 日本 🦀";
    let headers = [
        header("X-\"Odd\"", "line\r\nbreak"),
        header("X-Uni", "café"),
    ];
    let cookies = [Cookie::new("k", "v\"1\\").attribute("Note=a\tb")];
    for style in [
        EnvelopeStyle::Rest,
        EnvelopeStyle::V2,
        EnvelopeStyle::AlbMulti,
        EnvelopeStyle::AlbSingle { join: false },
        EnvelopeStyle::AlbSingle { join: true },
        EnvelopeStyle::Lattice,
    ] {
        let text = envelope(
            style,
            500,
            &headers,
            &cookies,
            EnvelopeBody::Text(body.as_bytes()),
        );
        assert!(!text.bytes().any(|byte| byte < 0x20), "{text}");
        let value = parsed(&text);
        assert_eq!(value["statusCode"], json!(500));
        assert_eq!(value["body"], json!(body));
        let (odd, uni, cookie) = match style {
            EnvelopeStyle::Rest | EnvelopeStyle::AlbMulti => {
                let block = &value["multiValueHeaders"];
                (
                    &block["X-\"Odd\""][0],
                    &block["X-Uni"][0],
                    &block["Set-Cookie"][0],
                )
            }
            EnvelopeStyle::V2 => (
                &value["headers"]["X-\"Odd\""],
                &value["headers"]["X-Uni"],
                &value["cookies"][0],
            ),
            EnvelopeStyle::AlbSingle { .. }
            | EnvelopeStyle::Lattice
            | EnvelopeStyle::BedrockAgent
            | EnvelopeStyle::BedrockAgentFunction => {
                let block = &value["headers"];
                (&block["X-\"Odd\""], &block["X-Uni"], &block["Set-Cookie"])
            }
        };
        assert_eq!(odd, &json!("line\r\nbreak"));
        assert_eq!(uni, &json!("café"));
        assert_eq!(cookie, &json!("k=v\"1\\; Secure; Note=a\tb"));
    }
    let text = envelope(
        EnvelopeStyle::V2,
        200,
        &[],
        &[],
        EnvelopeBody::Text(b"a\"b\n"),
    );
    assert!(text.contains(r#""body":"a\"b\n""#), "{text}");
}

#[test]
fn appends_to_what_is_already_in_the_buffer() {
    let mut out = b"prefix|".to_vec();
    write_envelope(&mut out, EnvelopeStyle::V2, 7, &[], &[], EnvelopeBody::None);
    write_envelope(
        &mut out,
        EnvelopeStyle::Rest,
        65535,
        &[],
        &[],
        EnvelopeBody::None,
    );
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            r#"prefix|{"statusCode":7,"headers":{},"cookies":[],"body":null,"isBase64Encoded":false}"#,
            r#"{"statusCode":65535,"multiValueHeaders":{},"body":null,"isBase64Encoded":false}"#
        )
    );
}

#[test]
fn status_codes_are_written_as_numbers() {
    for status in [0, 1, 9, 10, 99, 100, 200, 404, 999, 1000, 65535] {
        let text = envelope(EnvelopeStyle::Rest, status, &[], &[], EnvelopeBody::None);
        assert_eq!(parsed(&text)["statusCode"], json!(status));
    }
}

#[test]
fn warm_buffer_is_not_reallocated() {
    let headers = fine_headers();
    let cookies = fine_cookies();
    let mut out = Vec::new();
    for style in [
        EnvelopeStyle::Rest,
        EnvelopeStyle::V2,
        EnvelopeStyle::AlbMulti,
        EnvelopeStyle::AlbSingle { join: false },
        EnvelopeStyle::AlbSingle { join: true },
        EnvelopeStyle::Lattice,
    ] {
        out.clear();
        write_envelope(
            &mut out,
            style,
            200,
            &headers,
            &cookies,
            EnvelopeBody::Base64(FINE_BODY),
        );
        let pointer = out.as_ptr();
        out.clear();
        write_envelope(
            &mut out,
            style,
            200,
            &headers,
            &cookies,
            EnvelopeBody::Base64(FINE_BODY),
        );
        assert_eq!(out.as_ptr(), pointer);
    }
}
