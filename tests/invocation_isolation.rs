//! Nothing of one invocation reaches the next: the shared context is emptied and a stale
//! serialization failure discarded on every path (malformed events, errors, panics, a
//! future dropped mid-way), and no panic in user code that builds an error answer (an
//! error handler, the serializer) escapes `App::handle`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use lambda_router::{
    App, AsyncMiddleware, AsyncNext, BoxFuture, Error, Json, LambdaContext, Request, Response,
    Scratch, ServiceError, testing,
};
use serde::Serialize;
use serde::ser::Error as _;

#[derive(Clone, Debug, PartialEq)]
struct Secret(&'static str);

fn sees_secret(req: &Request<'_>) -> String {
    format!("{:?}", req.context().get::<Secret>())
}

/// A value whose serialization always fails.
struct Unserializable;

impl Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(S::Error::custom("refuses to serialize"))
    }
}

/// Runs the rest of the chain, then waits one poll before answering: a caller may drop
/// the invocation there.
struct PauseAfter;

impl AsyncMiddleware for PauseAfter {
    fn handle<'r, 'a: 'r>(
        &'r self,
        req: &'r mut Request<'a>,
        next: AsyncNext<'r>,
    ) -> BoxFuture<'r, Result<Response, Error>> {
        Box::pin(async move {
            let response = next.run(req).await?;
            YieldOnce(false).await;
            Ok(response)
        })
    }
}

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn app() -> App {
    App::rest()
        .get("/secret", sees_secret)
        .get("/panic", |_: &Request<'_>| -> String {
            panic!("handler panics")
        })
        .get("/error", |_: &Request<'_>| {
            Err::<(), _>(ServiceError::bad_request("no"))
        })
        .get("/unserializable", |_: &Request<'_>| Json(Unserializable))
        .debug(false)
        .build()
        .unwrap()
}

fn event(path: &str) -> Vec<u8> {
    testing::rest().get(path).to_bytes()
}

/// The events that fail before any handler runs, one per way an event can be malformed.
const MALFORMED: [&[u8]; 6] = [
    b"not json",
    b"[1,2]",
    br#"{"path":"/secret"}"#,
    br#"{"httpMethod":"GE T","path":"/secret"}"#,
    br#"{"httpMethod":7,"path":"/secret"}"#,
    br#"{"httpMethod":"GET","path":"/secret","headers":[]}"#,
];

#[test]
fn the_shared_context_is_emptied_after_every_path() {
    let app = app();
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    let mut paths: Vec<(String, Vec<u8>)> = MALFORMED
        .iter()
        .map(|e| (String::from_utf8_lossy(e).into_owned(), e.to_vec()))
        .collect();
    for path in ["/secret", "/panic", "/error", "/unserializable", "/nowhere"] {
        paths.push((path.to_owned(), event(path)));
    }
    for (name, bytes) in paths {
        scratch
            .context_mut()
            .insert(Secret("from the last invocation"));
        // Whatever the outcome of this one...
        let _ = app.handle_blocking(&mut scratch, &bytes, &lambda);
        // ...the next one starts with an empty context.
        let next = app
            .handle_blocking(&mut scratch, &event("/secret"), &lambda)
            .expect("a valid event");
        let next = testing::TestResponse::parse(next).unwrap();
        assert_eq!(next.text(), "None", "the context leaked after {name}");
    }
}

#[test]
fn the_context_given_for_an_invocation_is_seen_by_it() {
    let app = app();
    let mut scratch = Scratch::new();
    scratch.context_mut().insert(Secret("mine"));
    let out = app
        .handle_blocking(&mut scratch, &event("/secret"), &LambdaContext::default())
        .unwrap();
    let out = testing::TestResponse::parse(out).unwrap();
    assert_eq!(out.text(), r#"Some(Secret("mine"))"#);
}

/// Polls `future` once with a waker that does nothing, then drops it.
fn poll_once_and_drop<F: Future>(future: F) -> bool {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    future.as_mut().poll(&mut cx).is_ready()
}

#[test]
fn an_invocation_dropped_mid_way_leaves_nothing_for_the_next() {
    let app = App::rest()
        .middleware_async(PauseAfter)
        .get("/unserializable", |_: &Request<'_>| Json(Unserializable))
        .get("/secret", sees_secret)
        .debug(false)
        .build()
        .unwrap();
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    scratch.context_mut().insert(Secret("dropped"));
    // The handler's body failed to serialize, then the caller gave up (a timeout, say).
    let finished = poll_once_and_drop(app.handle(&mut scratch, &event("/unserializable"), &lambda));
    assert!(
        !finished,
        "the middleware pauses: the future must be dropped mid-way"
    );
    let out = app
        .handle_blocking(&mut scratch, &event("/secret"), &lambda)
        .unwrap();
    let out = testing::TestResponse::parse(out).unwrap();
    assert_eq!(
        (out.status(), out.text().into_owned()),
        (200, "None".to_owned()),
        "a stale failure or context reached the next invocation"
    );
}

const FIXED_500: &str = r#"{"statusCode":500,"message":"Internal Server Error"}"#;

#[test]
fn a_serializer_that_panics_on_an_error_body_answers_500() {
    let app = App::rest()
        .serializer(|_, _| panic!("the serializer panics"))
        .get("/error", |_: &Request<'_>| {
            Err::<(), _>(ServiceError::bad_request("no"))
        })
        .get("/json", |_: &Request<'_>| Json(1))
        .debug(false)
        .build()
        .unwrap();
    let mut client = testing::Client::new(&app);
    for path in ["/error", "/json", "/nowhere"] {
        let out = client.call(testing::rest().get(path));
        assert_eq!(
            (out.status(), out.text().into_owned()),
            (500, FIXED_500.to_owned())
        );
    }
}

#[test]
fn a_serializer_that_fails_on_an_error_body_answers_the_fixed_500() {
    let app = App::rest()
        .serializer(|_, _| Err(serde_json::Error::custom("cannot")))
        .get("/error", |_: &Request<'_>| {
            Err::<(), _>(ServiceError::bad_request("no"))
        })
        .debug(false)
        .build()
        .unwrap();
    let mut client = testing::Client::new(&app);
    let out = client.call(testing::rest().get("/error"));
    assert_eq!(
        (out.status(), out.text().into_owned()),
        (500, FIXED_500.to_owned())
    );
    assert_eq!(out.header("content-type"), Some("application/json"));
}

#[test]
fn an_error_handler_that_panics_answers_500() {
    let app = App::rest()
        .on_error(|_: &ServiceError, _: &Request<'_>| -> Response { panic!("handler of errors") })
        .get("/error", |_: &Request<'_>| {
            Err::<(), _>(ServiceError::bad_request("no"))
        })
        .debug(false)
        .build()
        .unwrap();
    let out = testing::call(&app, testing::rest().get("/error"));
    assert_eq!(out.status(), 500);
}
