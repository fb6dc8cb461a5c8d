//! `Request::json` reads a body with one of serde_json's two readers, chosen by how dense
//! the body's strings are (`request/json_read.rs`). The choice must never show: the same
//! JSON read through either reader gives the same value, borrows the same strings, and
//! fails the same inputs. Padding a body with 600 spaces makes its first 512 bytes
//! string-free, so the padded body takes the byte reader and the plain one (when its
//! strings are dense) the `str` reader.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::collections::BTreeMap;

use lambda_router::testing;
use lambda_router::{App, JsonBodyError, Request};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Debug, PartialEq)]
struct Note<'a> {
    title: &'a str,
    tags: Vec<&'a str>,
    #[serde(borrow)]
    meta: BTreeMap<&'a str, &'a str>,
    count: u64,
}

fn app() -> App {
    App::rest()
        .post(
            "/value",
            |req: &Request<'_>| -> Result<String, JsonBodyError> {
                Ok(req.json::<Value>()?.to_string())
            },
        )
        .post(
            "/note",
            |req: &Request<'_>| -> Result<String, JsonBodyError> {
                Ok(format!("{:?}", req.json::<Note<'_>>()?))
            },
        )
        .debug(false)
        .build()
        .unwrap()
}

/// What a read answers: its status, and the body when it succeeded.
fn read(app: &App, path: &str, body: &str) -> (u16, Option<String>) {
    let answer = testing::call(app, testing::rest().post(path).body(body));
    let text = (answer.status() == 200).then(|| answer.text().into_owned());
    (answer.status(), text)
}

#[test]
fn both_readers_read_every_body_alike() {
    let app = app();
    let documents = [
        r#"{"title":"a","tags":["x","y"],"meta":{"k":"v"},"count":3}"#,
        r#"{"title":"say \"hi\"","tags":["caf\u00e9","🦀"],"meta":{"a\nb":"\\"},"count":18446744073709551615}"#,
        r#"{"count":1,"title":"t","tags":[],"meta":{},"extra":[{"deep":[[1,2],{"x":null}]}]}"#,
        r#"{"title":"t","tags":["a"],"meta":{},"count":-1}"#,
        r#"{"title":"t","tags":["a"],"meta":{},"count":1.5}"#,
        r#"{"title":"t","tags":["a"],"meta":{},"count":1} trailing"#,
        r#"{"title":"t","tags":["a"],"meta":{},"count":1,}"#,
        r#"{"title":"unterminated"#,
        r#"[1,2,3,4,5,6,7,8,9,10,1e3,-0.5,true,false,null]"#,
        r#""just a string with \t and \u0041""#,
        "",
        "null",
    ];
    for document in documents {
        let padded = format!("{}{document}", " ".repeat(600));
        for path in ["/value", "/note"] {
            let plain = read(&app, path, document);
            let through_bytes = read(&app, path, &padded);
            if document.is_empty() {
                // Padding an empty body makes it a body of spaces, which is not JSON.
                assert_eq!(through_bytes.0, 400, "{path}");
                continue;
            }
            assert_eq!(plain, through_bytes, "{path} {document}");
        }
    }
    // The documents are read at all (not every one refused alike).
    assert_eq!(read(&app, "/note", documents[0]).0, 200);
    assert_eq!(read(&app, "/note", documents[1]).0, 200);
    assert_eq!(read(&app, "/note", documents[3]).0, 400);
}
