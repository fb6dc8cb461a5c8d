//! A body that cannot be read (bad base64, not UTF-8) fails its reader, never the event:
//! on every source the request reaches its route, a route that never reads the body
//! answers normally, and a reader's error answers 400 unless the app handles it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder, BodyError, JsonBodyError, Request, Response};
use serde_json::Value;

/// A source: its name, its app and its event builder.
type Source = (&'static str, fn() -> AppBuilder, fn() -> EventBuilder);

fn builders() -> [Source; 5] {
    [
        ("rest", App::rest, testing::rest),
        ("http", App::http_api, testing::http_api),
        ("alb", App::alb, testing::alb),
        ("alb multi-value", App::alb, testing::alb_multi_value),
        ("function url", App::function_url, testing::function_url),
    ]
}

fn routes(builder: AppBuilder) -> AppBuilder {
    builder
        .post("/ignore", |_: &Request<'_>| Response::text(200, "ignored"))
        .post("/bytes", |req: &Request<'_>| -> Result<String, BodyError> {
            Ok(req.body()?.map_or(0, <[u8]>::len).to_string())
        })
        .post("/text", |req: &Request<'_>| -> Result<String, BodyError> {
            Ok(req.body_text()?.unwrap_or("none").to_owned())
        })
        .post(
            "/json",
            |req: &Request<'_>| -> Result<String, JsonBodyError> {
                Ok(req.json::<Value>()?.to_string())
            },
        )
        .debug(false)
}

/// `event` with its body replaced by `body`, marked base64 or not.
fn with_body(event: EventBuilder, body: &str, base64: bool) -> Value {
    let mut json = event.to_json();
    json["body"] = Value::from(body);
    json["isBase64Encoded"] = Value::from(base64);
    json
}

const BAD_REQUEST: &str = r#"{"statusCode":400,"message":"Invalid request body"}"#;

#[test]
fn bad_base64_fails_only_the_reader_on_every_source() {
    for (name, app, event) in builders() {
        let app = routes(app()).build().unwrap();
        for bad in ["not base64!", "aGk", "-_-_", "aGVs\nbG8="] {
            let call = |path: &str| testing::call(&app, with_body(event().post(path), bad, true));
            let ignored = call("/ignore");
            assert_eq!(
                (ignored.status(), &*ignored.text()),
                (200, "ignored"),
                "{name} {bad:?}"
            );
            for reader in ["/bytes", "/text", "/json"] {
                let read = call(reader);
                assert_eq!(
                    (read.status(), &*read.text()),
                    (400, BAD_REQUEST),
                    "{name} {reader} {bad:?}"
                );
            }
        }
        // Valid base64 still decodes.
        let ok = testing::call(&app, with_body(event().post("/text"), "aGk=", true));
        assert_eq!((ok.status(), &*ok.text()), (200, "hi"), "{name}");
    }
}

#[test]
fn the_app_can_answer_body_errors_its_own_way() {
    for (name, app, event) in builders() {
        let app = routes(app())
            .on_error(|e: &BodyError, _: &Request<'_>| Response::text(422, format!("{e:?}")))
            .on_error(|_: &JsonBodyError, _: &Request<'_>| {
                Response::text(400, "Invalid request parameters.")
            })
            .build()
            .unwrap();
        let bad = |path: &str| testing::call(&app, with_body(event().post(path), "%%%", true));
        assert_eq!(
            (bad("/bytes").status(), &*bad("/bytes").text()),
            (422, "InvalidBase64")
        );
        assert_eq!(
            (bad("/json").status(), &*bad("/json").text()),
            (400, "Invalid request parameters."),
            "{name}"
        );
    }
}

#[test]
fn a_body_that_is_not_utf8_is_an_error_of_body_text_only() {
    for (name, app, event) in builders() {
        let app = routes(app()).build().unwrap();
        let latin1 = testing::call(&app, event().post("/text").binary([0xE9_u8, 0x74, 0xE9]));
        assert_eq!(
            (latin1.status(), &*latin1.text()),
            (400, BAD_REQUEST),
            "{name}"
        );
        let bytes = testing::call(&app, event().post("/bytes").binary([0xE9_u8, 0x74, 0xE9]));
        assert_eq!((bytes.status(), &*bytes.text()), (200, "3"), "{name}");
        // No body: ALB sends `""`, the others none at all.
        let absent = if name.starts_with("alb") { "" } else { "none" };
        let none = testing::call(&app, event().post("/text"));
        assert_eq!(none.text(), absent, "{name}");
    }
}

#[test]
fn body_errors_say_what_is_wrong() {
    assert_eq!(
        BodyError::InvalidBase64.to_string(),
        "the request body is marked base64-encoded but is not valid base64"
    );
    assert_eq!(
        BodyError::NotUtf8.to_string(),
        "the request body is not UTF-8 text"
    );
}

#[derive(serde::Deserialize)]
struct Note<'a> {
    text: &'a str,
}
lambda_router::rebind!(Note<'_>);

/// JSON is UTF-8: a base64 body whose bytes are not fails `json` as `NotUtf8` (wherever
/// the bad byte is), and a typed `Json` argument answers 422 `json_invalid`; a base64 body
/// that is UTF-8 reads, its strings borrowed from the decoded bytes, as a text body does.
#[test]
fn a_json_body_is_read_as_utf8_text_on_every_source() {
    for (name, app, event) in builders() {
        let app = routes(app())
            .post(
                "/typed",
                |lambda_router::extract::Json(note): lambda_router::extract::Json<Note<'_>>| {
                    note.text.to_owned()
                },
            )
            .on_error(|e: &JsonBodyError, _: &Request<'_>| {
                let source = std::error::Error::source(e).map(ToString::to_string);
                Response::text(400, source.unwrap_or_default())
            })
            .build()
            .unwrap();
        for bad in [
            &b"{\"text\":\"caf\xE9\"}"[..],
            b"\xEF{\"text\":\"x\"}",
            b"{\"text\":\"x\"}\xFF",
        ] {
            let json = testing::call(&app, event().post("/json").binary(bad));
            assert_eq!(
                (json.status(), &*json.text()),
                (400, "the request body is not UTF-8 text"),
                "{name} {bad:?}"
            );
            let typed = testing::call(&app, event().post("/typed").binary(bad));
            let answer: Value = serde_json::from_str(&typed.text()).unwrap();
            assert_eq!(typed.status(), 422, "{name} {bad:?}");
            assert_eq!(
                answer["detail"][0]["type"], "json_invalid",
                "{name} {bad:?}"
            );
            assert_eq!(
                answer["detail"][0]["loc"],
                serde_json::json!(["body"]),
                "{name}"
            );
        }
        let good = "{\"text\":\"caf\u{e9} \u{1f980}\"}".as_bytes().to_vec();
        for (path, expected) in [
            ("/json", "{\"text\":\"caf\u{e9} \u{1f980}\"}"),
            ("/typed", "caf\u{e9} \u{1f980}"),
        ] {
            let base64 = testing::call(&app, event().post(path).binary(&good));
            assert_eq!(
                (base64.status(), &*base64.text()),
                (200, expected),
                "{name} {path}"
            );
            let text = testing::call(
                &app,
                event().post(path).body(std::str::from_utf8(&good).unwrap()),
            );
            assert_eq!(
                (text.status(), &*text.text()),
                (200, expected),
                "{name} {path}"
            );
        }
    }
}
