//! Arbitrary rule sets: `build()` returns `Ok` or a typed `BuildError`, never panics; a
//! built app (of each source, or for any source) then answers a request for each rule's own
//! text without panicking.
#![no_main]

use fuzz_support::{builder_for, check_envelope, minimal_event};
use lambda_router::{BuildErrorKind, LambdaContext, Method, Request, Response, Scratch};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    source: u8,
    strip: Option<String>,
    rules: Vec<(u8, String)>,
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "CUSTOM"];

fn methods(mask: u8) -> Vec<Method> {
    METHODS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, m)| Method::from_bytes(m.as_bytes()).expect("method"))
        .collect()
}

fuzz_target!(|input: Input| {
    let mut builder = builder_for(input.source);
    if let Some(prefix) = &input.strip {
        builder = builder.strip_prefixes([prefix.as_str()]);
    }
    for (index, (mask, rule)) in input.rules.iter().take(16).enumerate() {
        builder = builder.route(methods(*mask), rule.as_str(), move |_: &Request<'_>| {
            Response::text(200, index.to_string())
        });
    }
    let app = match builder.build() {
        Ok(app) => app,
        Err(error) => {
            assert!(matches!(
                error.kind(),
                BuildErrorKind::Conflict
                    | BuildErrorKind::InvalidRule
                    | BuildErrorKind::InvalidRegex
                    | BuildErrorKind::Config
            ));
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    let mut scratch = Scratch::new();
    for (_, rule) in input.rules.iter().take(4) {
        // The app for any source reads a bare REST event (no telling `requestContext`) as REST.
        let source = app.source().unwrap_or(lambda_router::Source::RestV1);
        let event = minimal_event(source, "GET", rule);
        let bytes = serde_json::to_vec(&event).expect("json");
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .expect("a well-formed event is answered");
        check_envelope(source, out);
    }
});
