//! The sample events other Rust Lambda crates ship (`fixtures/foreign/`, origins in its
//! README), each run through the app for any source and through every fixed-source app:
//! a legitimate HTTP event is answered by the app of its source (and by `App::any()`, in
//! the same envelope), refused with `event.wrong_source` by the others; an event that is
//! not an HTTP request gets a typed error from every app. The table pins what each file is,
//! so a change in detection or reading shows up here by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

#[path = "naive/mod.rs"]
mod naive;

use std::collections::BTreeSet;
use std::path::Path;

use lambda_router::{
    App, AppBuilder, EventError, LambdaContext, Request, Response, Scratch, Source,
};
use serde_json::Value;

/// What a sample is, and so how every app must treat it.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// An HTTP request of this source: answered by `App::any()` as this source, and by the
    /// app of this source.
    Http(Source),
    /// Not an HTTP request (authorizer input, WebSocket event, a response): `event.not_http`
    /// from every app.
    NotHttp,
    /// No HTTP source's shape at all (other services' events, authorizer answers):
    /// `event.unknown_source` from `App::any()`, `event.missing_field` from each fixed app.
    NoSource,
    /// Refused by the reader of its source with this code at this path (see its row).
    Refused(Source, &'static str, &'static str),
}

use Expect::{Http, NoSource, NotHttp, Refused};
use Source::{Alb, FunctionUrl, HttpV2, RestV1, VpcLattice, VpcLatticeV2};

const AWS_LAMBDA_EVENTS: &[(&str, Expect)] = &[
    (
        "example-alb-lambda-target-request-headers-only.json",
        Http(Alb),
    ),
    (
        "example-alb-lambda-target-request-multivalue-headers.json",
        Http(Alb),
    ),
    ("example-alb-lambda-target-response.json", NotHttp),
    ("example-apigw-console-request.json", Http(RestV1)),
    ("example-apigw-console-test-request.json", Http(RestV1)),
    (
        "example-apigw-custom-auth-request-type-request.json",
        NotHttp,
    ),
    ("example-apigw-custom-auth-request.json", NotHttp),
    (
        "example-apigw-custom-auth-response-with-condition.json",
        NoSource,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-action.json",
        NoSource,
    ),
    (
        "example-apigw-custom-auth-response-with-single-value-resource.json",
        NoSource,
    ),
    ("example-apigw-custom-auth-response.json", NoSource),
    ("example-apigw-request-catch-all.json", Http(RestV1)),
    (
        "example-apigw-request-multi-value-parameters.json",
        Http(RestV1),
    ),
    ("example-apigw-request.json", Http(RestV1)),
    ("example-apigw-response.json", NotHttp),
    ("example-apigw-restapi-openapi-request.json", Http(RestV1)),
    ("example-apigw-sam-http-request.json", Http(HttpV2)),
    ("example-apigw-sam-rest-request.json", Http(RestV1)),
    (
        "example-apigw-v2-custom-authorizer-v1-request.json",
        NotHttp,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-null-maps.json",
        NotHttp,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-cookies.json",
        NotHttp,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request-without-identity-source.json",
        NotHttp,
    ),
    (
        "example-apigw-v2-custom-authorizer-v2-request.json",
        NotHttp,
    ),
    (
        "example-apigw-v2-custom-authorizer-websocket-request.json",
        NotHttp,
    ),
    ("example-apigw-v2-request-iam.json", Http(HttpV2)),
    ("example-apigw-v2-request-jwt-authorizer.json", Http(HttpV2)),
    (
        "example-apigw-v2-request-lambda-authorizer.json",
        Http(HttpV2),
    ),
    (
        "example-apigw-v2-request-multi-value-parameters.json",
        Http(HttpV2),
    ),
    ("example-apigw-v2-request-no-authorizer.json", Http(HttpV2)),
    (
        "example-apigw-websocket-request-disconnect-route.json",
        NotHttp,
    ),
    (
        "example-apigw-websocket-request-without-method.json",
        NotHttp,
    ),
    // A REST proxy event (root `httpMethod`, `path`, `resource`) whose `requestContext`
    // also carries WebSocket members: real WebSocket events have no root `httpMethod`, and
    // Powertools' REST resolver serves this one, so it is read as REST.
    ("example-apigw-websocket-request.json", Http(RestV1)),
    ("example-eventbridge-schedule.json", NoSource),
    ("example-s3-event.json", NoSource),
    ("example-sqs-event.json", NoSource),
    ("example-vpc-lattice-response.json", NotHttp),
    ("example-vpc-lattice-v1-request.json", Http(VpcLattice)),
    (
        "example-vpc-lattice-v2-request-base64.json",
        Http(VpcLatticeV2),
    ),
    (
        "example-vpc-lattice-v2-request-roles-anywhere.json",
        Http(VpcLatticeV2),
    ),
    ("example-vpc-lattice-v2-request.json", Http(VpcLatticeV2)),
];

const LAMBDA_HTTP: &[(&str, Expect)] = &[
    ("alb_health_check.json", Http(Alb)),
    ("alb_multi_value_request.json", Http(Alb)),
    (
        "alb_multi_value_request_encoded_query_parameters.json",
        Http(Alb),
    ),
    ("alb_no_host.json", Http(Alb)),
    ("alb_request.json", Http(Alb)),
    ("alb_request_encoded_query_parameters.json", Http(Alb)),
    ("apigw_multi_value_proxy_request.json", Http(RestV1)),
    ("apigw_no_host.json", Http(RestV1)),
    ("apigw_proxy_request.json", Http(RestV1)),
    ("apigw_request_path_with_space.json", Http(HttpV2)),
    ("apigw_v2_proxy_request.json", Http(HttpV2)),
    ("apigw_v2_proxy_request_minimal.json", Http(HttpV2)),
    (
        "apigw_v2_proxy_request_with_stage_in_path.json",
        Http(HttpV2),
    ),
    ("apigw_v2_sam_local.json", Http(HttpV2)),
    ("lambda_function_url_request.json", Http(FunctionUrl)),
    ("vpc_lattice_v2_request.json", Http(VpcLatticeV2)),
    // Its `host` header is a plain string where Lattice V2 sends a list (AWS documents
    // every V2 header as a list; lambda_http's deserializer tolerates both). The reader
    // keeps its typed-map rule and names the field.
    (
        "vpc_lattice_v2_request_base64.json",
        Refused(VpcLatticeV2, EventError::WRONG_TYPE, "headers.host"),
    ),
    (
        "vpc_lattice_v2_request_encoded_query.json",
        Http(VpcLatticeV2),
    ),
];

const FOLDERS: [(&str, &[(&str, Expect)]); 2] = [
    ("aws_lambda_events", AWS_LAMBDA_EVENTS),
    ("lambda_http", LAMBDA_HTTP),
];

fn folder(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/foreign")
        .join(name)
}

/// Every sample with its row; fails if a file has no row or a row no file.
fn samples() -> Vec<(String, Vec<u8>, Expect)> {
    let mut out = Vec::new();
    for (name, table) in FOLDERS {
        let files: BTreeSet<String> = std::fs::read_dir(folder(name))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|file| file.ends_with(".json"))
            .collect();
        let rows: BTreeSet<String> = table.iter().map(|(file, _)| (*file).to_owned()).collect();
        assert_eq!(files, rows, "{name}: files and table rows differ");
        for (file, expect) in table {
            let bytes = std::fs::read(folder(name).join(file)).unwrap();
            out.push((format!("{name}/{file}"), bytes, *expect));
        }
    }
    out
}

/// Answers every request with the source it was read as, its method and its path.
fn answering(builder: AppBuilder) -> App {
    builder
        .not_found(|req: &Request<'_>| {
            Response::text(
                200,
                format!(
                    "{} {} {}",
                    req.source().name(),
                    req.method().as_str(),
                    req.path()
                ),
            )
        })
        .build()
        .unwrap()
}

fn handle(app: &App, event: &[u8]) -> Result<Value, EventError> {
    let mut scratch = Scratch::new();
    let lambda = LambdaContext::default();
    app.handle_blocking(&mut scratch, event, &lambda)
        .map(|out| serde_json::from_slice(out).unwrap())
}

/// The sources whose app must answer the sample.
fn admitted(expect: Expect) -> Vec<Source> {
    match expect {
        Http(source) => vec![source],
        NotHttp | NoSource | Refused(..) => Vec::new(),
    }
}

#[test]
fn any_app_reads_each_sample_as_its_source() {
    let any = answering(App::any());
    for (name, event, expect) in samples() {
        let outcome = handle(&any, &event);
        match expect {
            Http(source) => {
                let answer = outcome.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
                assert_eq!(answer["statusCode"], 200, "{name}: {answer}");
                let body = answer["body"].as_str().unwrap_or_default();
                assert_eq!(
                    body.split(' ').next(),
                    Some(source.name()),
                    "{name}: read as another source"
                );
            }
            NotHttp => assert_eq!(code(outcome), EventError::NOT_HTTP, "{name}"),
            NoSource => assert_eq!(code(outcome), EventError::UNKNOWN_SOURCE, "{name}"),
            Refused(_, error, path) => {
                let error_seen = outcome.expect_err(&name);
                assert_eq!(
                    (error_seen.code(), error_seen.path()),
                    (error, path),
                    "{name}"
                );
            }
        }
    }
}

fn code(outcome: Result<Value, EventError>) -> &'static str {
    match outcome {
        Ok(answer) => panic!("answered {answer}"),
        Err(e) => e.code(),
    }
}

#[test]
fn each_fixed_app_answers_its_own_samples_and_refuses_the_others() {
    let any = answering(App::any());
    for source in Source::all() {
        let app = answering(App::for_source(source));
        for (name, event, expect) in samples() {
            let outcome = handle(&app, &event);
            let what = format!("{name} on {}", source.name());
            if admitted(expect).contains(&source) {
                let answer = outcome.unwrap_or_else(|e| panic!("{what}: refused: {e}"));
                let body = answer["body"].as_str().unwrap_or_default();
                assert_eq!(body.split(' ').next(), Some(source.name()), "{what}");
                // `App::any()` answers in the envelope of the sample's source.
                assert_eq!(handle(&any, &event).unwrap(), answer, "{what}: envelopes");
                continue;
            }
            let expected = match expect {
                Http(_) => EventError::WRONG_SOURCE,
                NotHttp => EventError::NOT_HTTP,
                NoSource => EventError::MISSING_FIELD,
                Refused(owner, error, _) if owner == source => error,
                Refused(..) => EventError::WRONG_SOURCE,
            };
            assert_eq!(code(outcome), expected, "{what}");
        }
    }
}

#[test]
fn handlers_see_what_a_naive_reading_of_each_sample_says() {
    for (name, event, expect) in samples() {
        let Http(source) = expect else { continue };
        let json: Value = serde_json::from_slice(&event).unwrap();
        let headers = naive::header_probes(&json);
        let queries = naive::query_probes(&json);
        naive::set_probes(headers.clone(), queries.clone());
        for app in [App::any(), App::for_source(source)] {
            let app = app.not_found(naive::echo).build().unwrap();
            let answer = handle(&app, &event).unwrap_or_else(|e| panic!("{name}: {e}"));
            let seen: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
            let expected = naive::expected(source, &json, &headers, &queries);
            assert_eq!(seen, expected, "{name}");
        }
    }
}
