//! The router's shell: a [`RouteTable`] is built from rules and looked up per request, and
//! that is all the rest of the crate sees of routing. The trie, its builder and its
//! compiled edges stay private to `router`, free to change shape.
//!
//! Its items are `pub` because the benchmarks compare it with matchit through
//! `bench_support` (feature `__bench`); in a user's build the crate's own modules are its
//! only callers.
#![cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]

use http::Method;

use super::builder::TrieBuilder;
use super::error::BuildError;
use super::params::Params;
use super::trie::Trie;

/// The index of a route, as given to [`RouteTableBuilder::insert`].
pub type RouteId = usize;

/// Whether a trailing `/` matters (REST ignores trailing slashes; the others match exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrailingSlash {
    /// `/todos/` matches `/todos` (and the reverse).
    Ignore,
    /// `/todos/` and `/todos` are different paths.
    Exact,
}

/// Rules compiled for lookup: which route answers a method and path, and the path
/// parameters it captures. Immutable once built.
#[derive(Debug)]
pub struct RouteTable {
    trie: Trie,
}

/// Rules being collected for a [`RouteTable`].
#[derive(Debug)]
pub struct RouteTableBuilder {
    trie: TrieBuilder,
}

impl RouteTable {
    /// A builder with room for about `routes` rules, matching trailing slashes as
    /// `trailing_slash` says.
    #[must_use]
    pub fn builder(trailing_slash: TrailingSlash, routes: usize) -> RouteTableBuilder {
        RouteTableBuilder {
            trie: TrieBuilder::with_capacity(trailing_slash, routes),
        }
    }

    /// The route for `method` and `path`, filling `params` (cleared first). Allocation-free
    /// for trie routes with up to four parameters.
    #[inline]
    pub fn at<'a>(
        &'a self,
        method: &Method,
        path: &'a str,
        params: &mut Params<'a>,
    ) -> Option<RouteId> {
        self.trie.at(method, path, params)
    }
}

impl RouteTableBuilder {
    /// Registers `rule` for each of `methods` (upper-case), answering `id`.
    ///
    /// # Errors
    /// The rule is malformed or conflicts with one registered before (the first such
    /// error is also what [`build`](Self::build) returns).
    pub fn insert(
        &mut self,
        rule: &str,
        methods: &[Method],
        id: RouteId,
    ) -> Result<(), BuildError> {
        self.trie.insert(rule, methods, id)
    }

    /// Compiles the rules.
    ///
    /// # Errors
    /// The first error [`insert`](Self::insert) met.
    pub fn build(self) -> Result<RouteTable, BuildError> {
        Ok(RouteTable {
            trie: self.trie.build()?,
        })
    }
}
