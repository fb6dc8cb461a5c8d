//! The routing engine: rules compiled at build time into a segment trie with
//! parameter slots, plus Powertools-style regex rules tried after it.
//!
//! Its shell is [`RouteTable`] (`table`): the crate builds one from rules and looks
//! requests up in it; everything behind it is private to this module.
//!
//! The matching rules are written down in `src/docs/routing.md`; each one has a
//! fixture file in `fixtures/routes/` that `tests.rs` runs.
//!
//! Layout: `table` is the shell, `rule` parses and classifies rules, `segment` finds
//! where paths start and parameter segments end and holds the parameter character set,
//! `builder` collects rules and detects conflicts, `freeze` compiles them, `trie` is the
//! frozen structure and its lookup, `literal_edge` a literal edge and its comparison,
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
mod table;
mod trie;

#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

pub use error::{BuildError, BuildErrorKind};
pub use params::Params;
// The rule syntax, for the OpenAPI document's path templates.
pub(crate) use rule::{ParsedRule, RuleSegment, parse_rule};
// `pub` for `bench_support` (feature `__bench`), crate-wide otherwise.
#[cfg(feature = "__bench")]
pub use table::RouteTableBuilder;
#[cfg_attr(not(feature = "__bench"), allow(unreachable_pub))]
pub use table::{RouteId, RouteTable, TrailingSlash};
