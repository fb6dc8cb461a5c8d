//! The routing engine: rules compiled at build time into a segment trie with
//! parameter slots, plus Powertools-style regex rules tried after it.
//!
//! The matching rules are written down in `src/docs/routing.md`; each one has a
//! fixture file in `fixtures/routes/` that `tests.rs` runs.
//!
//! Layout: `rule` parses and classifies rules, `segment` finds where paths start
//! and parameter segments end and holds the parameter character set, `builder`
//! collects rules and detects conflicts, `freeze` compiles them, `trie` is the frozen
//! structure and its lookup, `literal_edge` a literal edge and its comparison,
//! `regex_rule` the regex fallback, `method_slot` methods as small numbers, `params`
//! and `error` the public types.

mod builder;
mod error;
mod freeze;
mod literal_edge;
mod method_slot;
mod params;
mod regex_rule;
mod rule;
mod segment;
mod trie;

#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

pub(crate) use builder::TrieBuilder;
pub use error::{BuildError, BuildErrorKind};
pub use params::Params;
pub(crate) use rule::{ParsedRule, RuleSegment, parse_rule};
pub(crate) use trie::Trie;

/// Whether a trailing `/` matters (REST ignores trailing slashes; the others match exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrailingSlash {
    Ignore,
    Exact,
}

/// The index of a route in the app's route table.
pub(crate) type RouteId = usize;
