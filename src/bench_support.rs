//! Entry points into the private engine for the crate's own benchmarks (route lookup
//! against matchit, gzip against flate2, event parsing against the bare simd-json tape).
//! Hidden and unstable: not part of the API.

use http::Method;

use crate::event::{self, EventError, Source};
use crate::router::{BuildError, Params, TrailingSlash, Trie, TrieBuilder};
use crate::scratch::Scratch;
use crate::source::Accepts;

/// The routing trie alone, every rule registered for `GET`.
#[derive(Debug)]
pub struct RouteTable {
    trie: Trie,
}

impl RouteTable {
    /// Compiles `rules` (exact trailing-slash matching, as HTTP APIs use).
    ///
    /// # Errors
    /// As `AppBuilder::build`.
    pub fn build<'r>(rules: impl IntoIterator<Item = &'r str>) -> Result<Self, BuildError> {
        let rules = rules.into_iter();
        let mut builder = TrieBuilder::with_capacity(TrailingSlash::Exact, rules.size_hint().0);
        for (id, rule) in rules.enumerate() {
            builder.insert(rule, &[Method::GET], id)?;
        }
        Ok(Self {
            trie: builder.build()?,
        })
    }

    /// The route matching `GET path` and how many parameters it captured.
    #[must_use]
    pub fn lookup(&self, path: &str) -> Option<(usize, usize)> {
        let mut params = Params::default();
        let id = self.trie.at(&Method::GET, path, &mut params)?;
        Some((id, params.len()))
    }
}

/// The response gzip (libdeflate), reused between calls.
#[cfg(feature = "gzip")]
#[allow(missing_debug_implementations)]
pub struct Gzip(crate::response::Gzip);

#[cfg(feature = "gzip")]
impl Default for Gzip {
    fn default() -> Self {
        Self(crate::response::Gzip::new())
    }
}

#[cfg(feature = "gzip")]
impl Gzip {
    /// Replaces `out` with the gzip form of `input`.
    pub fn compress(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.0.compress(input, out);
    }
}

/// Parses `event` as `App::handle` does (copy, tape, views) and returns how many request
/// headers the view sees, so the work cannot be optimised away.
///
/// # Errors
/// A malformed event.
pub fn parse_event(
    scratch: &mut Scratch,
    source: Source,
    event: &[u8],
) -> Result<usize, EventError> {
    let tape = scratch.event.parse(event)?;
    let view = event::parse(Accepts::One(source), &tape, &scratch.arena)?;
    Ok(view.headers.iter().count())
}

/// The Lambda invocation loop's own part of an invocation (tests/alloc.rs counts it).
#[cfg(feature = "runtime")]
pub use crate::runtime::LoopInvocation;
