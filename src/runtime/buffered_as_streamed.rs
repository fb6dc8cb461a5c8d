//! Streamed delivery until the app answers in streamed form itself: the buffered proxy
//! response [`App::handle`] wrote, re-read as a streamed answer (the prelude with its
//! status, headers and cookies; the decoded body as one chunk). Every route works this way
//! in a function set up for streaming; bodies are not streamed as they are produced.

use serde_json::{Map, Value};

use super::stream::{StreamedAnswer, StreamedBody};
use crate::{App, EventError, LambdaContext, Scratch};

/// Handles `event` and reads the response into a streamed answer; `held` keeps the
/// prelude and body it borrows.
pub(super) async fn handle<'s>(
    app: &App,
    scratch: &'s mut Scratch,
    event: &[u8],
    context: &LambdaContext,
    held: &'s mut (Vec<u8>, Vec<u8>),
) -> Result<StreamedAnswer<'s>, EventError> {
    let response = app.handle(scratch, event, context).await?;
    let (prelude, body) = split(response);
    *held = (prelude, body);
    Ok(StreamedAnswer {
        prelude: &held.0,
        body: StreamedBody::Complete(&held.1),
    })
}

/// The prelude and the body of a proxy response (`statusCode`, `headers`,
/// `multiValueHeaders`, `cookies`, `body`, `isBase64Encoded`). The app wrote it, so it is
/// JSON; anything unreadable reads as absent (a 500 when the status is).
fn split(response: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let envelope: Map<String, Value> = serde_json::from_slice(response).unwrap_or_default();
    let status = envelope
        .get("statusCode")
        .and_then(Value::as_u64)
        .unwrap_or(500);
    let mut headers = Map::new();
    let mut cookies: Vec<Value> = envelope
        .get("cookies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Object(single)) = envelope.get("headers") {
        headers.extend(single.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(Value::Object(multi)) = envelope.get("multiValueHeaders") {
        for (name, values) in multi {
            let values = values.as_array().map(Vec::as_slice).unwrap_or_default();
            if name.eq_ignore_ascii_case("set-cookie") {
                cookies.extend(values.iter().cloned());
            } else {
                let joined: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                headers.insert(name.clone(), Value::String(joined.join(", ")));
            }
        }
    }
    let prelude = serde_json::json!({
        "statusCode": status,
        "headers": headers,
        "cookies": cookies,
    });
    let text = envelope
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let body = if envelope.get("isBase64Encoded").and_then(Value::as_bool) == Some(true) {
        base64_simd::STANDARD
            .decode_to_vec(text)
            .unwrap_or_default()
    } else {
        text.as_bytes().to_vec()
    };
    (serde_json::to_vec(&prelude).unwrap_or_default(), body)
}
