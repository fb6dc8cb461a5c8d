//! Instruction counts (callgrind): runs `N` invocations of one bench event on one side, so
//! that `perf/callgrind.sh` can take the difference of two runs as the cost of `N - 1`
//! warm invocations, free of start-up costs.
//!
//!     instructions <lambda_router|lambda_http_axum> <event name> <N>
//!     instructions <lookup|matchit_lookup|build10|build|build1000> <any event name> <N>
//!     instructions <lambda_router_hand_post|lambda_router_typed_post> <event name> <N>
//!     instructions <build_typed|build_documented|openapi_document> <any event name> <N>
//!     instructions <bedrock_agent|bedrock_agent_serde> bedrock_agent <N>
//!     instructions <bedrock_function|bedrock_function_serde> bedrock_function <N>
//!     instructions <escape_json_body|escape_plain_body> rest_v1_post_todo <N>
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly
#![allow(clippy::useless_concat)] // matchit's route list, kept verbatim

use std::hint::black_box;

use lambda_router::{LambdaContext, Scratch};
use lambda_router_perf::{events, github, gzip_body, ours, peer, routes, typed};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [side, name, count] = args.as_slice() else {
        eprintln!("usage: instructions <lambda_router|lambda_http_axum> <event> <N>");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("N is a number");
    if let Some(total) = bedrock(side, count) {
        println!("{total}");
        return;
    }
    let event = events::all()
        .into_iter()
        .chain(events::lattice())
        .find(|e| e.name == name)
        .expect("known event");
    let mut total = 0;
    match side.as_str() {
        "lambda_router" | "lambda_router_any" => {
            let app = if side == "lambda_router" {
                ours::app(event.source)
            } else {
                ours::app_any()
            };
            let mut scratch = Scratch::new();
            let lambda = LambdaContext::default();
            for _ in 0..count {
                total += app
                    .handle_blocking(&mut scratch, black_box(&event.bytes), &lambda)
                    .map_or(0, <[u8]>::len);
            }
        }
        "lambda_router_hand_post" | "lambda_router_typed_post" => {
            // `POST /todos` alone in an app, written by hand or on typed arguments.
            let app = if side == "lambda_router_hand_post" {
                typed::hand_written_app(event.source)
            } else {
                typed::typed_app(event.source)
            };
            let mut scratch = Scratch::new();
            let lambda = LambdaContext::default();
            for _ in 0..count {
                total += app
                    .handle_blocking(&mut scratch, black_box(&event.bytes), &lambda)
                    .map_or(0, <[u8]>::len);
            }
        }
        "build_typed" | "build_documented" | "openapi_document" => {
            // `build()` of five typed todos routes, plain or documented (event ignored);
            // `openapi_document` also answers the first `GET /openapi.json`, which renders it.
            let get = lambda_router::testing::rest()
                .get("/openapi.json")
                .to_bytes();
            let lambda = LambdaContext::default();
            for _ in 0..count {
                let builder = lambda_router::App::rest();
                let app = if side == "build_typed" {
                    typed::todos(builder).build()
                } else {
                    typed::documented_todos(builder).build()
                }
                .expect("the bench app builds");
                if side == "openapi_document" {
                    let mut scratch = Scratch::new();
                    total += app
                        .handle_blocking(&mut scratch, black_box(&get), &lambda)
                        .map_or(0, <[u8]>::len);
                } else {
                    total += usize::from(black_box(&app).source().is_some());
                }
            }
        }
        "lambda_http_axum" => {
            let mut peer = peer::Peer::new();
            for _ in 0..count {
                total += peer.invoke(black_box(&event.bytes)).len();
            }
        }
        "simd_json_tape" => {
            let mut input = event.bytes.clone();
            for _ in 0..count {
                input.copy_from_slice(&event.bytes);
                total += simd_json::to_tape(black_box(&mut input)).map_or(0, |t| t.0.len());
            }
        }
        "simd_json_floor" => {
            // The least any simd-json router must do: copy the event into a reused padded
            // buffer and fill a reused tape (exactly the first step of `App::handle`).
            let len = event.bytes.len();
            let mut input = Vec::new();
            let mut buffers = simd_json::Buffers::new(len);
            let mut tape = simd_json::tape::Tape(Vec::new());
            for _ in 0..count {
                input.clear();
                input.extend_from_slice(&event.bytes);
                input.resize(len + simd_json::INPUT_PADDING, 0);
                let mut filled =
                    std::mem::replace(&mut tape, simd_json::tape::Tape(Vec::new())).reset();
                total += simd_json::fill_tape_padded(
                    black_box(&mut input),
                    len,
                    &mut buffers,
                    &mut filled,
                )
                .map_or(0, |()| filled.0.len());
                tape = filled.reset();
            }
        }
        "lookup" => {
            // The 130 GitHub routes, every path of the lookup bench once per round.
            let table =
                lambda_router_perf::github::route_table(&routes!(angle)).expect("routes compile");
            let paths = routes!(literal);
            for _ in 0..count {
                for path in black_box(&paths) {
                    total +=
                        lambda_router_perf::github::lookup(&table, path).map_or(0, |(id, _)| id);
                }
            }
        }
        "matchit_lookup" => {
            let mut router = matchit::Router::new();
            for route in routes!(brackets) {
                router.insert(route, ()).expect("routes compile");
            }
            let paths = routes!(literal);
            for _ in 0..count {
                for path in black_box(&paths) {
                    total += router.at(path).map_or(0, |m| m.params.len());
                }
            }
        }
        "build" | "build10" | "build1000" => {
            // `App::build()` of the route sets of `benches/router.rs` (`build`: matchit's
            // 130 GitHub routes), `count` times (event ignored).
            let rules = github::build_rules(match side.as_str() {
                "build10" => 10,
                "build1000" => 1000,
                _ => 130,
            });
            for _ in 0..count {
                let app = rules
                    .iter()
                    .fold(lambda_router::App::http_api(), |app, rule| {
                        app.get(rule.as_str(), |_: &lambda_router::Request<'_>| "x")
                    });
                total += usize::from(app.build().is_ok());
            }
        }
        "escape_json_body" | "escape_plain_body" => {
            // The envelope's escape of a text body alone: the event's JSON body (a `"` every
            // few bytes), or plain text of the same length (nothing to escape).
            let body = escape_body(&event.bytes, side == "escape_json_body");
            let mut out = Vec::new();
            for _ in 0..count {
                out.clear();
                lambda_router::bench_support::escape_json_string_contents(
                    &mut out,
                    black_box(&body),
                );
                total += out.len();
            }
        }
        "gzip_libdeflate" => {
            // The gzip bench's ~10 KB JSON body, `count` times (event ignored).
            let body = gzip_body::body();
            let mut gzip = lambda_router::bench_support::Gzip::default();
            let mut out = Vec::new();
            for _ in 0..count {
                gzip.compress(black_box(&body), &mut out);
                total += out.len();
            }
        }
        "gzip_flate2" => {
            let body = gzip_body::body();
            for _ in 0..count {
                total += gzip_body::flate2_gzip(black_box(&body)).len();
            }
        }
        other => panic!("unknown side {other}"),
    }
    println!("{total}");
}

/// A Bedrock sample: its event, this library's app and the peer answering it.
type BedrockSample = (
    &'static [u8],
    fn() -> lambda_router::App,
    fn(&[u8]) -> Vec<u8>,
);

/// A Bedrock sample event, `count` times, on this library or on its serde peer (`None`
/// for a side that is not a Bedrock one).
fn bedrock(side: &str, count: usize) -> Option<usize> {
    use lambda_router_perf::{bedrock_agent, bedrock_function};
    let (event, app, peer): BedrockSample = match side.strip_suffix("_serde").unwrap_or(side) {
        "bedrock_agent" => (
            bedrock_agent::EVENT,
            bedrock_agent::ours,
            bedrock_agent::peer,
        ),
        "bedrock_function" => (
            bedrock_function::EVENT,
            bedrock_function::ours,
            bedrock_function::peer,
        ),
        _ => return None,
    };
    let mut total = 0;
    if side.ends_with("_serde") {
        for _ in 0..count {
            total += peer(black_box(event)).len();
        }
    } else {
        let app = app();
        let mut scratch = Scratch::new();
        let lambda = LambdaContext::default();
        for _ in 0..count {
            total += app
                .handle_blocking(&mut scratch, black_box(event), &lambda)
                .map_or(0, <[u8]>::len);
        }
    }
    Some(total)
}

/// The event's `body` string (`json`), or plain prose of the same length.
fn escape_body(event: &[u8], json: bool) -> Vec<u8> {
    let event: serde_json::Value = serde_json::from_slice(event).expect("the event is JSON");
    let body = event["body"].as_str().expect("the event has a text body");
    if json {
        return body.as_bytes().to_vec();
    }
    let prose = b"Plain text without anything to escape, as a text/plain body would be. ";
    prose.iter().copied().cycle().take(body.len()).collect()
}
