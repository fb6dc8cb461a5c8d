//! Answers near the payload limit. Gzip is a choice, never a cost: on a compressing route
//! the answer with `Accept-Encoding: gzip` is never larger than the one without it, and a
//! body that fits without gzip is never refused with it (gzip + base64 makes incompressible
//! bytes a third larger). A streamed body collected in buffered mode is held to the limit
//! chunk by chunk, before each chunk is copied, and is answered whole or refused, never cut.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/logs.rs"]
mod logs;
#[path = "support/streamed.rs"]
mod streamed;

use std::io::Read;

use bytes::Bytes;
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, BoxError, LambdaContext, Request, Response, Route, Scratch, Source};
use logs::Logs;
use serde_json::{Value, json};
use streamed::{Iter, stream};

/// A small limit, so that the sizes around it stay cheap.
const LIMIT: usize = 64 * 1024;

/// `len` bytes of deterministic noise: printable ASCII less `"` and `\` (nothing JSON
/// escapes), or any byte. Gzip shrinks the text by a fifth at best, and base64 then makes
/// it larger than it was; the bytes do not shrink at all.
fn noise(len: usize, seed: u64, text: bool) -> Vec<u8> {
    let alphabet: Vec<u8> = (b' '..=b'~').filter(|b| !b"\"\\".contains(b)).collect();
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let byte = (state >> 32) as u8;
            if text {
                alphabet[usize::from(byte) % alphabet.len()]
            } else {
                byte
            }
        })
        .collect()
}

/// What a body is made of.
#[derive(Clone, Copy, Debug)]
enum Content {
    NoiseText,
    NoiseBinary,
    /// Compresses well.
    Repetitive,
}

fn body(content: Content, len: usize) -> Response {
    match content {
        Content::NoiseText => Response::text(200, String::from_utf8(noise(len, 7, true)).unwrap()),
        Content::NoiseBinary => Response::binary(200, noise(len, 7, false)),
        Content::Repetitive => {
            let text: String = "all work and no play, ".chars().cycle().take(len).collect();
            Response::text(200, text)
        }
    }
}

/// `/<content>/<len>`: a body of that content and length, on a compressing route.
fn sized(req: &Request<'_>) -> Response {
    let len: usize = req.param("len").unwrap().parse().unwrap();
    let content = match req.param("content").unwrap() {
        "text" => Content::NoiseText,
        "binary" => Content::NoiseBinary,
        _ => Content::Repetitive,
    };
    body(content, len)
}

fn app(source: Source, limit: Option<usize>) -> App {
    let builder = App::for_source(source).debug(false);
    let builder = match limit {
        Some(limit) => builder.response_limit(limit),
        None => builder,
    };
    builder
        .add_route(Route::get("/<content>/<len>", sized).compress(true))
        .build()
        .unwrap()
}

/// The raw envelope `app` answers to `event`.
fn envelope(app: &App, event: &EventBuilder) -> Vec<u8> {
    let mut scratch = Scratch::new();
    app.handle_blocking(&mut scratch, &event.to_bytes(), &LambdaContext::default())
        .unwrap()
        .to_vec()
}

fn header<'e>(envelope: &'e Value, name: &str) -> Option<&'e str> {
    for block in ["headers", "multiValueHeaders"] {
        if let Some(map) = envelope[block].as_object() {
            for (key, value) in map {
                if key.eq_ignore_ascii_case(name) {
                    return value.as_str().or_else(|| value[0].as_str());
                }
            }
        }
    }
    None
}

/// The body as the client reads it: base64-decoded, gunzipped when so encoded.
fn decoded_body(envelope: &Value) -> Vec<u8> {
    let body = envelope["body"].as_str().unwrap_or_default();
    let bytes = if envelope["isBase64Encoded"] == true {
        base64_simd::STANDARD.decode_to_vec(body).unwrap()
    } else {
        body.as_bytes().to_vec()
    };
    if header(envelope, "content-encoding") != Some("gzip") {
        return bytes;
    }
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

/// The answer with and without `Accept-Encoding: gzip` to `/<content>/<len>`, checked
/// against each other; the one with it, parsed.
fn with_and_without_gzip(app: &App, source: Source, content: &str, len: usize) -> Value {
    let what = format!("{source:?} {content} {len}");
    let event = testing::event_for(source).get(&format!("/{content}/{len}"));
    let identity_raw = envelope(app, &event);
    let gzip_raw = envelope(app, &event.header("Accept-Encoding", "gzip"));
    let identity: Value = serde_json::from_slice(&identity_raw).unwrap();
    let gzip: Value = serde_json::from_slice(&gzip_raw).unwrap();
    if identity["statusCode"] == 200 {
        assert!(
            gzip_raw.len() <= identity_raw.len(),
            "{what}: gzip made the answer larger ({} > {} bytes)",
            gzip_raw.len(),
            identity_raw.len()
        );
        assert_eq!(
            gzip["statusCode"], 200,
            "{what}: gzip refused a body that fits"
        );
        assert_eq!(decoded_body(&gzip), decoded_body(&identity), "{what}");
        // Either way the answer depends on Accept-Encoding.
        assert_eq!(header(&gzip, "vary"), Some("Accept-Encoding"), "{what}");
        assert_eq!(header(&identity, "vary"), Some("Accept-Encoding"), "{what}");
    }
    gzip
}

#[test]
fn gzip_never_makes_an_answer_larger_nor_refuses_one_that_fits_on_any_source() {
    for source in Source::all() {
        // Where the identity envelope crosses the limit, for each kind of body.
        let crossing = |content: &str| {
            let probe = 999;
            let event = testing::event_for(source).get(&format!("/{content}/{probe}"));
            let size = envelope(&app(source, Some(LIMIT)), &event).len();
            match content {
                // Base64: 4 bytes per 3 (999 bytes: 1332).
                "binary" => (LIMIT - (size - 1332)) / 4 * 3,
                _ => LIMIT - (size - probe),
            }
        };
        let app = app(source, Some(LIMIT));
        for content in ["text", "binary", "repetitive"] {
            let edge = crossing(content);
            for len in [
                0,
                1,
                100,
                1000,
                edge - 3,
                edge - 1,
                edge,
                edge + 1,
                edge + 3,
                LIMIT,
                2 * LIMIT,
                20 * LIMIT,
            ] {
                let gzip = with_and_without_gzip(&app, source, content, len);
                let status = &gzip["statusCode"];
                let encoding = header(&gzip, "content-encoding");
                let what = format!("{source:?} {content} {len}: {status} {encoding:?}");
                match content {
                    // Noise never gains from gzip, and is refused once over the limit.
                    "text" | "binary" if len <= edge => {
                        assert_eq!(*status, 200, "{what}");
                        assert_eq!(encoding, None, "{what}");
                    }
                    "text" | "binary" => assert_eq!(*status, 500, "{what}"),
                    // Repetitive text is gzipped once long enough, and fits far past the
                    // limit that way.
                    _ if len >= 1000 => {
                        assert_eq!(*status, 200, "{what}");
                        assert_eq!(encoding, Some("gzip"), "{what}");
                    }
                    _ => assert_eq!(*status, 200, "{what}"),
                }
            }
        }
    }
}

/// The reported case: 5.9 MB of high-entropy text on a compressing HTTP API route, under
/// the source's own 6 MiB limit.
#[test]
fn six_megabytes_of_noise_with_gzip_accepted_is_answered_200() {
    let app = app(Source::HttpV2, None);
    let gzip = with_and_without_gzip(&app, Source::HttpV2, "text", 5_900_000);
    assert_eq!(gzip["statusCode"], 200);
    assert_eq!(header(&gzip, "content-encoding"), None);
}

/// In streaming mode there is no limit and no base64: gzip whenever it makes the raw body
/// smaller (noise text too), never when it grows it.
#[tokio::test]
async fn a_streamed_answer_is_gzipped_only_when_that_makes_it_smaller() {
    for source in Source::all().filter(|s| s.supports_streaming()) {
        let app = app(source, None);
        for (content, len, gzipped) in [
            ("text", 10_000, true),
            ("binary", 10_000, false),
            ("text", 10, false),
            ("repetitive", 10_000, true),
        ] {
            let event = testing::event_for(source)
                .get(&format!("/{content}/{len}"))
                .header("Accept-Encoding", "gzip");
            let sent = stream(&app, event).await;
            let encoding = sent.prelude["headers"]["Content-Encoding"].as_str();
            let what = format!("{source:?} {content} {len}");
            assert_eq!(encoding == Some("gzip"), gzipped, "{what}");
            assert_eq!(sent.prelude["headers"]["Vary"], "Accept-Encoding", "{what}");
            if gzipped {
                assert!(sent.body.len() < len, "{what}");
            } else {
                assert_eq!(sent.body.len(), len, "{what}");
            }
        }
    }
}

/// `/stream/<first>/<second>`: two chunks of `a`s, then `/stream-more` keeps producing.
fn two_chunks(req: &Request<'_>) -> Response {
    let size = |name| req.param(name).unwrap().parse::<usize>().unwrap();
    let chunks =
        [size("first"), size("second")].map(|n| Ok::<_, BoxError>(Bytes::from(vec![b'a'; n])));
    Response::stream(200, Iter(chunks.into_iter()))
}

fn streaming_app(source: Source) -> App {
    App::for_source(source)
        .debug(false)
        .response_limit(LIMIT)
        .get("/stream/<first>/<second>", two_chunks)
        .add_route(
            Route::get("/compressible", |_: &Request<'_>| {
                // Twice the limit, in chunks, compressing to a few KiB.
                let chunk = Bytes::from("all work and no play, ".repeat(1000));
                let count = 2 * LIMIT / chunk.len() + 1;
                Response::stream(
                    200,
                    Iter(std::iter::repeat_n(chunk, count).map(Ok::<_, BoxError>)),
                )
            })
            .compress(true),
        )
        .build()
        .unwrap()
}

fn too_large(envelope: &Value) -> bool {
    envelope["statusCode"] == 500
        && serde_json::from_str::<Value>(envelope["body"].as_str().unwrap()).unwrap()
            == json!({"statusCode": 500, "message": "Response too large"})
}

#[test]
fn a_collected_stream_is_held_to_the_limit_chunk_by_chunk() {
    for source in Source::all() {
        let app = streaming_app(source);
        // The body's own room: the limit less the envelope around it.
        let probe = testing::event_for(source).get("/stream/10/10");
        let overhead = envelope(&app, &probe).len() - 20;
        let room = LIMIT - overhead;
        for (first, second) in [
            (10, room - 10),
            (room, 0),
            (10, room - 9),
            (room + 1, 0),
            (10, LIMIT),
            (LIMIT, 10),
            (10, 50 * LIMIT),
        ] {
            let event = testing::event_for(source).get(&format!("/stream/{first}/{second}"));
            let logs = Logs::default();
            let raw = tracing::subscriber::with_default(logs.clone(), || envelope(&app, &event));
            let answer: Value = serde_json::from_slice(&raw).unwrap();
            let what = format!("{source:?} {first}+{second}");
            if first + second <= room {
                assert_eq!(answer["statusCode"], 200, "{what}");
                assert_eq!(
                    answer["body"].as_str().unwrap().len(),
                    first + second,
                    "{what}"
                );
            } else {
                assert!(too_large(&answer), "{what}: {answer}");
                let logs = logs.text();
                assert!(
                    logs.contains("route=GET /stream/<first>/<second>"),
                    "{what}: {logs}"
                );
            }
            // A chunk that takes the body past the limit is refused before it is copied: the
            // log names the size with it, never more than the limit was collected.
            if first + second > LIMIT {
                let logs = logs.text();
                assert!(
                    logs.contains(&format!("at_least={}", first + second)),
                    "{what}: {logs}"
                );
            }
        }
    }
}

#[test]
fn a_compressible_stream_past_the_limit_is_refused_never_cut() {
    for source in Source::all() {
        let app = streaming_app(source);
        let event = testing::event_for(source)
            .get("/compressible")
            .header("Accept-Encoding", "gzip");
        let answer: Value = serde_json::from_slice(&envelope(&app, &event)).unwrap();
        assert!(too_large(&answer), "{source:?}: {answer}");
    }
}
