//! What every benchmark shares: the five events of `fixtures/bench/`, the same small todos
//! app on this library (`ours`, which `tests/alloc.rs` also runs) and on lambda_http + axum
//! (`peer`), matchit's GitHub routes, and the gzip body.

// Bench code: the items are named for what they are, and failing loudly is the point.
#![allow(missing_docs, missing_debug_implementations)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod bedrock_agent;
pub mod bedrock_function;
pub mod events;
pub mod github;
pub mod gzip_body;
pub mod ours;
pub mod peer;
pub mod typed;
