//! `lambda_router::lambda_service` under `lambda_runtime::run`, against our Runtime API
//! emulator (`tests/emulator_rapid.py`): each invocation answered by the app with its own
//! context, and a malformed event posted as an error whose `errorType` is the event
//! error's stable code. The function is this test binary run again as a child.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "lambda-runtime")]

#[path = "support/rapid.rs"]
mod rapid;

use lambda_router::{App, LambdaContext, Request, Response, Scratch};
use serde_json::{Value, json};

const CHILD: &str = "LAMBDA_ROUTER_ADAPTER_CHILD";

fn app() -> App {
    App::rest()
        .get("/context", |req: &Request<'_>| {
            let lambda = req.lambda_context();
            Response::json(
                200,
                json!({ "request_id": lambda.request_id, "function_name": lambda.function_name }),
            )
        })
        .build()
        .unwrap()
}

#[test]
fn lambda_runtime_serves_the_app_through_the_adapter() {
    if std::env::var_os(CHILD).is_some() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let stopped = runtime.block_on(lambda_runtime::run(lambda_router::lambda_service(app())));
        eprintln!("child stopped: {stopped:?}");
        return;
    }
    let event = rapid::rest_get("/context");
    let malformed = json!({ "hello": "world" });
    let expected_code = {
        let bytes = serde_json::to_vec(&malformed).unwrap();
        let error = app()
            .handle_blocking(&mut Scratch::new(), &bytes, &LambdaContext::default())
            .unwrap_err();
        error.code().to_owned()
    };
    let events = [
        rapid::write_event("context", &event),
        rapid::write_event("malformed", &malformed),
        rapid::write_event("context", &event),
    ];
    let report = rapid::emulate(
        &events,
        &[],
        &std::env::current_exe().unwrap(),
        &[
            "--exact",
            "lambda_runtime_serves_the_app_through_the_adapter",
            "--nocapture",
            "--test-threads=1",
        ],
        &[(CHILD, "1")],
    );
    let invocations = report["invocations"].as_array().unwrap();
    for index in [0, 2] {
        let invocation = &invocations[index];
        assert_eq!(invocation["kind"], "response", "{invocation}");
        let envelope: Value = serde_json::from_str(invocation["body"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["statusCode"], 200, "{envelope}");
        let seen: Value = serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap();
        assert_eq!(seen["request_id"], invocation["request_id"]);
        assert_eq!(seen["function_name"], "emulated");
    }
    let failed = &invocations[1];
    assert_eq!(failed["kind"], "error", "{failed}");
    let diagnostic: Value = serde_json::from_str(failed["body"].as_str().unwrap()).unwrap();
    assert_eq!(diagnostic["errorType"], json!(expected_code));
}
