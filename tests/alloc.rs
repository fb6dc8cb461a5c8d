//! A warm invocation makes zero heap allocations: routing, parameter capture, JSON
//! serialization, CORS headers, cookies and gzip included, for sync and async handlers, on
//! each of the five bench events and on a Lattice v1 and v2 event, and on the app for any
//! source as well as the app of the event's source, and in streaming mode (`handle_streamed`)
//! for ordinary routes; and through the whole Lambda loop, transport included.
//! Its own test binary, because it installs a global allocator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

// The bench app and events of `perf/bench` (the lambda-router side only: the peers stay there).
#[allow(dead_code, unreachable_pub)] // the benches use more of them than this test
#[path = "../perf/bench/src/events.rs"]
mod events;
#[allow(dead_code, unreachable_pub)]
#[path = "../perf/bench/src/ours.rs"]
mod ours;
#[cfg(feature = "runtime")]
#[path = "support/runtime_api.rs"]
mod runtime_api;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use lambda_router::bedrock::Args;
use lambda_router::extract::{Path, State};
use lambda_router::{
    App, Cookie, Cors, Json, LambdaContext, Request, Response, Route, Scratch, ServiceError,
    Source, StreamedBody,
};

/// Counts allocations made by the current thread (libtest runs tests on several threads).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// The one `unsafe` of this test: a global allocator must be an `unsafe impl`.
#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counter is a const-initialised thread-local `Cell` without `Drop`, so touching it cannot
// allocate or re-enter the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<R>(f: impl FnOnce() -> R) -> (u64, R) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    (ALLOCATIONS.with(Cell::get) - before, result)
}

/// Warm invocations of `event` on `app` allocate nothing.
fn assert_warm_zero(app: &App, event: &[u8], what: &str) {
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    let first = app
        .handle_blocking(&mut scratch, event, &lambda)
        .expect("valid event")
        .to_vec();
    let answer = serde_json::from_slice::<serde_json::Value>(&first).unwrap();
    // An HTTP envelope's status, or an Amazon Bedrock agent's answer's (a tool's answer has
    // none: one that is not an error is a 200).
    let tool_text = &answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"];
    let status = match (&answer["statusCode"], tool_text.as_str()) {
        (serde_json::Value::Null, Some(text)) if !text.starts_with("\"Error: ") => 200.into(),
        (serde_json::Value::Null, _) => answer["response"]["httpStatusCode"].clone(),
        (status, _) => status.clone(),
    };
    assert!(status == 200 || status == 201, "{what}: answered {status}");
    for round in 0..3 {
        let (allocations, out) = allocations_during(|| {
            app.handle_blocking(&mut scratch, event, &lambda)
                .map(<[u8]>::to_vec)
        });
        // The `to_vec` above is the test's own copy: one allocation, counted, subtracted.
        assert_eq!(
            out.expect("valid event"),
            first,
            "{what}: the answer changed"
        );
        assert_eq!(
            allocations - 1,
            0,
            "{what}: warm invocation {round} allocated {} times",
            allocations - 1
        );
    }
}

#[derive(serde::Serialize)]
struct Todo {
    id: u64,
    title: &'static str,
}

async fn async_get_todo(req: &Request<'_>) -> Result<Json<Todo>, ServiceError> {
    let id = req
        .param("id")
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| ServiceError::bad_request("id"))?;
    Ok(Json(Todo { id, title: "async" }))
}

fn cookies_and_gzip(req: &Request<'_>) -> Response<Json<Todo>> {
    compressing(
        req,
        "compressed body, compressed body, compressed body, compressed body",
    )
}

/// Too short for gzip to make it smaller: sent as it is, after gzip was tried.
fn cookies_and_short_gzip(req: &Request<'_>) -> Response<Json<Todo>> {
    compressing(req, "short")
}

fn compressing(req: &Request<'_>, title: &'static str) -> Response<Json<Todo>> {
    let id = req.param("id").and_then(|i| i.parse().ok()).unwrap_or(0);
    Response::json(200, Todo { id, title })
        .header("X-Request", "1")
        .cookie(Cookie::new("session", "abc").http_only(true).path("/"))
        .compress(true)
}

fn builder(source: Source) -> lambda_router::AppBuilder {
    App::for_source(source).cors(Cors::new().allow_origin("https://app.example.com"))
}

/// The bench events and the Lattice ones.
fn every_event() -> Vec<events::BenchEvent> {
    let mut all = events::all();
    all.extend(events::lattice());
    all
}

/// The `GET /todos/<id>` events.
fn get_events() -> impl Iterator<Item = events::BenchEvent> {
    every_event().into_iter().filter(|e| e.name.contains("get"))
}

/// The bench app, for any source.
fn any_app() -> App {
    ours::app_any()
}

fn caught(_: &Request<'_>) -> Json<Todo> {
    Json(Todo {
        id: 0,
        title: "caught",
    })
}

#[test]
fn regex_rules_make_no_warm_allocation() {
    // `/todos/.+` is a regex rule without `<name>` groups: matched with `is_match`, on
    // the regex engine's cached search state, which warm invocations reuse.
    for event in get_events() {
        let app = builder(event.source)
            .get("/todos/.+", caught)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reminder<'a> {
    claim_id: u64,
    pending_documents: &'a str,
}
lambda_router::rebind!(Reminder<'a>);

fn send_reminders(Json(reminder): Json<Reminder<'_>>) -> Json<(u64, usize)> {
    Json((reminder.claim_id, reminder.pending_documents.len()))
}

#[test]
fn a_bedrock_agent_event_makes_no_warm_allocation() {
    // Powertools' sample: the body's properties read by a typed route, the agent envelope.
    let event = include_bytes!("../fixtures/bedrock/bedrockAgentPostEvent.json");
    let app = App::bedrock_agent()
        .post("/send-reminders", send_reminders)
        .build()
        .unwrap();
    assert_warm_zero(&app, event, "bedrockAgentPostEvent");
}

#[derive(serde::Deserialize)]
struct Vacation<'a> {
    start_date: &'a str,
    end_date: &'a str,
}
lambda_router::rebind!(Vacation<'a>);

fn submit_vacation_request(Args(vacation): Args<Vacation<'_>>) -> Json<(&str, &str)> {
    Json((vacation.start_date, vacation.end_date))
}

#[test]
fn a_bedrock_agent_function_event_makes_no_warm_allocation() {
    // Powertools' sample: a tool's typed arguments, the function envelope echoing the
    // event's session attributes.
    let event = include_bytes!("../fixtures/bedrock/bedrockAgentFunctionEvent.json");
    let app = App::bedrock_agent_functions()
        .tool("submitVacationRequest", submit_vacation_request)
        .build()
        .unwrap();
    assert_warm_zero(&app, event, "bedrockAgentFunctionEvent");
}

#[test]
fn the_counter_sees_allocations() {
    let (allocations, v) = allocations_during(|| vec![1u8; 64]);
    assert_eq!(v.len(), 64);
    assert!(allocations >= 1, "the counting allocator is not live");
}

#[test]
fn sync_handlers_make_no_warm_allocation() {
    for event in every_event() {
        assert_warm_zero(&ours::app(event.source), &event.bytes, event.name);
    }
}

#[test]
fn the_app_for_any_source_makes_no_warm_allocation() {
    let any = any_app();
    for event in every_event() {
        let what = format!("{} on App::any()", event.name);
        assert_warm_zero(&any, &event.bytes, &what);
        // The same answer as the app of the event's source.
        let mut scratch = Scratch::new();
        let lambda = LambdaContext::default();
        let own = ours::app(event.source)
            .handle_blocking(&mut scratch, &event.bytes, &lambda)
            .unwrap()
            .to_vec();
        let from_any = any
            .handle_blocking(&mut scratch, &event.bytes, &lambda)
            .unwrap();
        assert_eq!(from_any, own.as_slice(), "{what}: another answer");
    }
}

#[test]
fn async_handlers_make_no_warm_allocation() {
    for event in get_events() {
        let app = builder(event.source)
            .get("/todos/<id>", async_get_todo)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

#[test]
fn cookies_cors_and_gzip_make_no_warm_allocation() {
    for handler in [cookies_and_gzip, cookies_and_short_gzip] {
        for event in get_events() {
            let app = builder(event.source)
                .add_route(Route::get("/todos/<id>", handler))
                .build()
                .unwrap();
            assert_warm_zero(&app, &event.bytes, event.name);
        }
    }
}

/// Pre-serialized JSON passed through as a body (`RawValue`), which the one-pass envelope
/// writer escapes without a buffer of its own.
fn raw_json(_: &Request<'_>) -> Json<&'static serde_json::value::RawValue> {
    static RAW: std::sync::OnceLock<Box<serde_json::value::RawValue>> = std::sync::OnceLock::new();
    Json(RAW.get_or_init(|| {
        serde_json::value::RawValue::from_string(
            r#"{ "id": 7, "note": "a \"raw\" body" }"#.to_owned(),
        )
        .unwrap()
    }))
}

#[test]
fn raw_json_bodies_make_no_warm_allocation() {
    for event in get_events() {
        let app = builder(event.source)
            .get("/todos/<id>", raw_json)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

use ours::{Created, NewTodo};
lambda_router::rebind!(NewTodo<'a>);

/// The bench's `create_todo` on typed arguments: the body borrowed, the answer borrowing it.
fn typed_create<'r>(
    State(next_id): State<&u64>,
    Json(new): Json<NewTodo<'r>>,
) -> (u16, Json<Created<'r>>) {
    let created = Created {
        id: *next_id,
        title: new.title,
        completed: new.completed,
    };
    (201, Json(created))
}

fn typed_get(Path(id): Path<u64>, lambda: &LambdaContext) -> Json<Todo> {
    let title = if lambda.request_id.is_empty() {
        "typed"
    } else {
        "typed, in Lambda"
    };
    Json(Todo { id, title })
}

#[test]
fn typed_handlers_make_no_warm_allocation() {
    for event in events::all() {
        let app = builder(event.source)
            .state(124_u64)
            .post("/todos", typed_create)
            .get("/todos/<id>", typed_get)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

/// Documenting the routes (OpenAPI metadata, the document's routes, 405s on) adds nothing
/// to a warm invocation: the document is only built when it is asked for.
#[test]
fn documented_typed_handlers_make_no_warm_allocation() {
    use lambda_router::openapi::{OpenApi, Operation};
    for event in events::all() {
        let app = builder(event.source)
            .state(124_u64)
            .post("/todos", typed_create)
            .doc(Operation::new().summary("Create").response(201, "Created"))
            .get("/todos/<id>", typed_get)
            .doc(Operation::new().summary("Read").tag("todos"))
            .method_not_allowed(true)
            .openapi(OpenApi::new("Todos", "1"))
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

/// The typed `create_todo` answers exactly what the hand-written one does.
#[test]
fn typed_create_answers_as_the_hand_written_one() {
    let event = events::all()
        .into_iter()
        .find(|e| e.name == "rest_v1_post_todo")
        .unwrap();
    let typed = builder(Source::RestV1)
        .state(124_u64)
        .post("/todos", typed_create)
        .build()
        .unwrap();
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    let ours = typed
        .handle_blocking(&mut scratch, &event.bytes, &lambda)
        .unwrap()
        .to_vec();
    let hand = ours::app(Source::RestV1);
    let theirs = hand
        .handle_blocking(&mut scratch, &event.bytes, &lambda)
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(theirs)
    );
}

/// The bench's `create_todo` with its title checked by garde.
#[cfg(feature = "validate")]
#[derive(serde::Deserialize, garde::Validate)]
struct CheckedTodo<'a> {
    #[serde(borrow)]
    #[garde(length(min = 1, max = 200), pattern(r"[^ ]"))]
    title: std::borrow::Cow<'a, str>,
    #[serde(default)]
    #[garde(skip)]
    completed: bool,
}

#[cfg(feature = "validate")]
#[derive(serde::Deserialize, garde::Validate)]
struct TodoId {
    #[garde(range(min = 1))]
    id: u64,
}

#[cfg(feature = "validate")]
lambda_router::rebind!(CheckedTodo<'a>, TodoId);

#[cfg(feature = "validate")]
fn validated_create<'r>(
    State(next_id): State<&u64>,
    lambda_router::extract::Valid(Json(new)): lambda_router::extract::Valid<Json<CheckedTodo<'r>>>,
) -> (u16, Json<Created<'r>>) {
    let created = Created {
        id: *next_id,
        title: new.title,
        completed: new.completed,
    };
    (201, Json(created))
}

#[cfg(feature = "validate")]
fn validated_get(
    lambda_router::extract::Valid(Path(todo)): lambda_router::extract::Valid<Path<TodoId>>,
) -> Json<Todo> {
    Json(Todo {
        id: todo.id,
        title: "validated",
    })
}

/// garde checks lengths, ranges and (compiled once, then warm) patterns without allocating.
#[cfg(feature = "validate")]
#[test]
fn validating_handlers_make_no_warm_allocation() {
    for event in events::all() {
        let app = builder(event.source)
            .state(124_u64)
            .post("/todos", validated_create)
            .get("/todos/<id>", validated_get)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}

/// Warm allocations of `app` answering `event` inside `runtime` (`block_on` included).
fn warm_allocations_in(
    runtime: &tokio::runtime::Runtime,
    app: &App,
    event: &[u8],
    lambda: &LambdaContext,
) -> u64 {
    let mut scratch = Scratch::new();
    let first = runtime
        .block_on(app.handle(&mut scratch, event, lambda))
        .unwrap()
        .to_vec();
    assert!(String::from_utf8_lossy(&first).contains("\"statusCode\":200"));
    let (allocations, out) = allocations_during(|| {
        runtime
            .block_on(app.handle(&mut scratch, event, lambda))
            .map(<[u8]>::to_vec)
    });
    assert_eq!(out.unwrap(), first, "the answer changed");
    // The `to_vec` above is the test's own copy.
    allocations - 1
}

/// An armed deadline guard (a tokio timer racing the handler) adds no allocation to a warm
/// invocation. (tokio's `block_on` itself may allocate per call: that is the runtime's, the
/// same with and without the guard, and outside `App::handle`.)
#[test]
fn an_armed_deadline_guard_adds_no_warm_allocation() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let mut lambda = LambdaContext::default();
    lambda.deadline_ms = u64::try_from(now_ms).unwrap() + 60_000;
    for event in get_events() {
        let plain = builder(event.source)
            .get("/todos/<id>", async_get_todo)
            .build()
            .unwrap();
        let guarded = builder(event.source)
            .deadline_guard(std::time::Duration::from_millis(500))
            .get("/todos/<id>", async_get_todo)
            .build()
            .unwrap();
        let without = warm_allocations_in(&runtime, &plain, &event.bytes, &lambda);
        let with = warm_allocations_in(&runtime, &guarded, &event.bytes, &lambda);
        assert_eq!(with, without, "{}: the armed guard allocated", event.name);
    }
}

/// Polls a future that never waits to completion, on this thread (as `handle_blocking`).
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Warm invocations of `event` on `app` in streaming mode (`handle_streamed`) allocate
/// nothing for an ordinary route: the prelude and the whole body are written into the scratch.
fn assert_streamed_warm_zero(app: &App, event: &[u8], what: &str) {
    let lambda = LambdaContext::default();
    let mut scratch = Scratch::new();
    let answer = ready(app.handle_streamed(&mut scratch, event, &lambda)).expect("valid event");
    let first_prelude = answer.prelude.to_vec();
    let StreamedBody::Full(body) = answer.body else {
        panic!("{what}: an ordinary route answered with chunks");
    };
    let first_body = body.to_vec();
    let prelude: serde_json::Value = serde_json::from_slice(&first_prelude).unwrap();
    let status = &prelude["statusCode"];
    assert!(status == 200 || status == 201, "{what}: {prelude}");
    assert!(!first_body.is_empty(), "{what}: no body");
    for round in 0..3 {
        let (allocations, same) = allocations_during(|| {
            let answer = ready(app.handle_streamed(&mut scratch, event, &lambda)).unwrap();
            matches!(answer.body, StreamedBody::Full(body)
                if answer.prelude == first_prelude.as_slice() && body == first_body.as_slice())
        });
        assert!(same, "{what}: the answer changed");
        assert_eq!(
            allocations, 0,
            "{what}: warm streamed invocation {round} allocated {allocations} times"
        );
    }
}

#[test]
fn buffered_routes_answered_in_streaming_mode_make_no_warm_allocation() {
    for event in every_event() {
        assert_streamed_warm_zero(&ours::app(event.source), &event.bytes, event.name);
    }
    for event in get_events() {
        let app = builder(event.source)
            .get("/todos/<id>", async_get_todo)
            .build()
            .unwrap();
        assert_streamed_warm_zero(&app, &event.bytes, &format!("async {}", event.name));
        let app = builder(event.source)
            .add_route(Route::get("/todos/<id>", cookies_and_gzip))
            .build()
            .unwrap();
        assert_streamed_warm_zero(&app, &event.bytes, &format!("gzip {}", event.name));
    }
}

/// Warm invocations through the whole Lambda loop (the transport's `/next` and post on a
/// kept connection, the context rewritten, the app, the answer written from the scratch)
/// against a Runtime API on another thread: none allocates, in buffered or in streamed
/// mode. Streamed answers keep the connection too: a new connection per invocation would
/// cost tokio allocations to register the socket with its reactor, and fail this test.
#[cfg(feature = "runtime")]
#[test]
fn warm_invocations_through_the_whole_loop_make_no_allocation() {
    use lambda_router::Delivery;
    use lambda_router::bench_support::LoopInvocations;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // One `block_on` for each loop, as `run` has one for the process's life: tokio's
    // current-thread scheduler makes a new list of deferred wakers for each `block_on`.
    let counted = || ALLOCATIONS.with(Cell::get);
    for event in every_event() {
        for delivery in [Delivery::Buffered, Delivery::Streamed] {
            let (address, seen) = runtime_api::serve(event.bytes.clone());
            let mut invocations = LoopInvocations::new(ours::app(event.source), delivery, address);
            let warm = runtime.block_on(async {
                invocations.invoke().await.unwrap();
                let mut warm = [0; 3];
                for allocations in &mut warm {
                    let before = counted();
                    invocations.invoke().await.unwrap();
                    *allocations = counted() - before;
                }
                warm
            });
            assert_eq!(
                warm, [0; 3],
                "{} {delivery:?}: warm invocations through the loop allocated",
                event.name
            );
            let seen = seen.lock().unwrap();
            assert_eq!(seen.posts.len(), 4, "{}: {:?}", event.name, seen.posts);
            assert!(seen.posts.iter().all(|p| p.ends_with("/response HTTP/1.1")));
            let first = &seen.bodies[0];
            assert!(
                seen.bodies.iter().all(|b| b == first),
                "{}: answers differ",
                event.name
            );
            assert_eq!(seen.connections, 1, "{} {delivery:?}", event.name);
        }
    }
}

/// Passes the request on untouched: the cost of a layer itself.
fn pass_through(
    req: &mut Request<'_>,
    next: lambda_router::Next<'_>,
) -> Result<Response, lambda_router::Error> {
    next.run(req)
}

/// Sync middleware, at the app, around the declared routes and on a route, adds nothing to
/// a warm invocation of a sync handler (typed or of `&Request`).
#[test]
fn sync_middleware_makes_no_warm_allocation() {
    for event in events::all() {
        let app = builder(event.source)
            .middleware(pass_through)
            .route_middleware(pass_through)
            .state(124_u64)
            .add_route(Route::post("/todos", typed_create).middleware(pass_through))
            .get("/todos/<id>", typed_get)
            .build()
            .unwrap();
        assert_warm_zero(&app, &event.bytes, event.name);
    }
}
