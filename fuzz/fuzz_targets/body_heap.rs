//! Heap per input byte: a request whose body no route reads holds at most a few times its
//! event in heap, whatever the body is. The fuzz data is a pattern repeated into a large
//! body (so a cost per JSON token, as a parse before routing has, shows as a multiple of
//! the event); a counting allocator takes the peak of `handle`.
//!
//! Input: `[kind, wrapping, pattern...]`. `kind` picks the app (`fuzz_support::KINDS`;
//! `App::any()` gets a REST event) and the path (a route that ignores the body, no route,
//! or one the middleware refuses); `wrapping` how the body is made: the pattern repeated,
//! inside `[..]`, as an object's array, or sent base64.
#![no_main]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use fuzz_support::{KINDS, builder_for, kind_source};
use lambda_router::testing;
use lambda_router::{App, LambdaContext, Next, Request, Response, Scratch, Source};
use libfuzzer_sys::fuzz_target;

/// Counts the bytes live and their peak since the last `start`.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// A global allocator must be an `unsafe impl`.
#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are atomics, which neither allocate nor re-enter the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The bound checked: `PER_BYTE` × the event + `CONSTANT`. An event's copy, simd-json's
/// string buffer and a base64 body's decoded bytes are about 3x (`tests/body_heap.rs`);
/// the constant covers the small buffers of any request.
const PER_BYTE: usize = 4;
const CONSTANT: usize = 64 * 1024;

/// The body the pattern is repeated into (large beside `CONSTANT`).
const BODY: usize = 256 * 1024;

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| {
        (0..KINDS)
            .map(|kind| {
                builder_for(kind)
                    .middleware(|req: &mut Request<'_>, next: Next<'_>| {
                        if req.path().starts_with("/guarded") {
                            return Ok(Response::text(401, "Unauthorized"));
                        }
                        next.run(req)
                    })
                    .post("/ignores", |req: &Request<'_>| {
                        Response::text(200, req.headers().iter().count().to_string())
                    })
                    .build()
                    .expect("app builds")
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let [kind, wrapping, pattern @ ..] = data else {
        return;
    };
    if pattern.is_empty() {
        return;
    }
    let app = &apps()[usize::from(kind % KINDS)];
    let source = kind_source(*kind).unwrap_or(Source::RestV1);
    let path = ["/ignores", "/nowhere", "/guarded"][usize::from(kind / KINDS % 3)];
    let mut body = Vec::with_capacity(BODY + 64);
    let (open, close): (&[u8], &[u8]) = match wrapping % 4 {
        0 => (b"", b""),
        1 => (b"[", b"]"),
        _ => (br#"{"k":["#, b"]}"),
    };
    body.extend_from_slice(open);
    while body.len() < BODY {
        body.extend_from_slice(pattern);
    }
    body.extend_from_slice(close);
    let event = testing::event_for(source).post(path);
    let event = if wrapping % 4 == 3 {
        event.binary(&body)
    } else {
        event.body(String::from_utf8_lossy(&body))
    };
    let event = event.to_bytes();
    drop(body);
    let mut scratch = Scratch::new();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let answered = app.handle_blocking(&mut scratch, &event, &LambdaContext::default());
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert!(
        answered.is_ok(),
        "a valid event of {source:?}: {answered:?}"
    );
    assert!(
        peak <= PER_BYTE * event.len() + CONSTANT,
        "{path} on {source:?}: heap peak {peak} bytes for a {} byte event",
        event.len()
    );
});
