//! What every benchmark and the allocation test share: the five events of
//! `../shared/fixtures/bench/` and the same small todos app on this library and on
//! lambda_http + axum.

#![allow(dead_code, unreachable_pub, missing_docs)] // each bench uses a part of it
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench code: fail loudly

pub mod events;
pub mod github;
pub mod gzip_body;
pub mod ours;
pub mod peer;
