//! Collecting rules and detecting conflicts; [`freeze`](super::freeze) then turns them
//! into a [`Trie`].
//!
//! Everything lives in a few flat vectors (nodes, routes, one string for all literal
//! segments, one for all rule texts): building 130 routes makes a few hundred small
//! allocations, not thousands.

use http::Method;
use smallvec::SmallVec;

use super::error::BuildError;
use super::freeze::freeze;
use super::method_slot::{MethodSlot, MethodSlots};
use super::regex_rule::RegexRules;
use super::rule::{ParsedRule, RuleSegment, parse_rule};
use super::trie::{NameTable, RouteSlot, Trie};
use super::{RouteId, TrailingSlash};

/// A text span (start, end) in one of the builder's strings.
pub(super) type Span = (usize, usize);

/// A literal child of a pending node: the segment's text (in `segment_text`) and the child.
#[derive(Debug, Clone, Copy)]
pub(super) struct PendingEdge {
    pub(super) segment: Span,
    pub(super) child: usize,
}

/// A trie node while rules are still being added.
#[derive(Debug, Default)]
pub(super) struct PendingNode {
    /// Sorted bytewise by segment text (the order the lookup's dispatch relies on).
    pub(super) literal_children: Vec<PendingEdge>,
    pub(super) param_child: Option<usize>,
    /// The first of this node's routes in `routes` (a linked list through `next`).
    pub(super) first_route: Option<usize>,
}

/// A route registered for one method on one node.
#[derive(Debug)]
pub(super) struct PendingRoute {
    pub(super) slot: RouteSlot,
    /// The rule as written (in `rule_text`), for conflict messages.
    rule: Span,
    pub(super) next: Option<usize>,
}

/// Collects rules before [`TrieBuilder::build`].
///
/// Errors are reported eagerly by [`TrieBuilder::insert`] and again by
/// [`TrieBuilder::build`] (the first one), so a caller may check either.
#[derive(Debug)]
pub(crate) struct TrieBuilder {
    pub(super) trailing_slash: TrailingSlash,
    /// `nodes[0]` is the root.
    pub(super) nodes: Vec<PendingNode>,
    pub(super) routes: Vec<PendingRoute>,
    pub(super) segment_text: String,
    rule_text: String,
    pub(super) names: NameTable,
    pub(super) method_slots: MethodSlots,
    pub(super) regex_rules: RegexRules,
    first_error: Option<BuildError>,
}

impl TrieBuilder {
    #[cfg(test)]
    pub(crate) fn new(trailing_slash: TrailingSlash) -> Self {
        Self::with_capacity(trailing_slash, 0)
    }

    /// A builder with room for about `routes` trie routes, so it does not grow as they come.
    pub(crate) fn with_capacity(trailing_slash: TrailingSlash, routes: usize) -> Self {
        let mut nodes = Vec::with_capacity(1 + 2 * routes);
        nodes.push(PendingNode::default());
        Self {
            trailing_slash,
            nodes,
            routes: Vec::with_capacity(routes),
            segment_text: String::with_capacity(8 * routes),
            rule_text: String::with_capacity(24 * routes),
            names: NameTable::default(),
            method_slots: MethodSlots::default(),
            regex_rules: RegexRules::default(),
            first_error: None,
        }
    }

    /// Registers `rule` for each of `methods` (upper-case), answering `id`.
    pub(crate) fn insert(
        &mut self,
        rule: &str,
        methods: &[Method],
        id: RouteId,
    ) -> Result<(), BuildError> {
        let result = self.try_insert(rule, methods, id);
        if let Err(error) = &result {
            self.first_error.get_or_insert_with(|| error.clone());
        }
        result
    }

    fn try_insert(
        &mut self,
        rule: &str,
        methods: &[Method],
        id: RouteId,
    ) -> Result<(), BuildError> {
        let mut unique_methods: SmallVec<[&Method; 8]> = SmallVec::new();
        for method in methods {
            if !unique_methods.contains(&method) {
                unique_methods.push(method);
            }
        }
        if unique_methods.is_empty() {
            return Err(BuildError::invalid_rule(
                rule,
                "a route needs at least one method",
            ));
        }
        let segments = match parse_rule(rule, self.trailing_slash)? {
            ParsedRule::Trie(segments) => segments,
            ParsedRule::Regex(source) => {
                let methods: Vec<Method> = unique_methods.into_iter().cloned().collect();
                return self.regex_rules.insert(rule, source, &methods, id);
            }
        };
        let node = self.descend(&segments);
        let mut slots: SmallVec<[MethodSlot; 8]> = SmallVec::new();
        for method in &unique_methods {
            let slot = self
                .method_slots
                .get_or_add(method)
                .ok_or_else(|| BuildError::invalid_rule(rule, "too many distinct methods"))?;
            slots.push(slot);
        }
        // Check every method first so a failed insert leaves no route behind.
        for (method, slot) in unique_methods.iter().zip(&slots) {
            if let Some(earlier) = self.route_on(node, *slot) {
                let (start, end) = earlier.rule;
                let earlier_rule = self.rule_text.get(start..end).unwrap_or_default();
                return Err(BuildError::conflict(method, rule, earlier_rule));
            }
        }
        let rule_span = push_text(&mut self.rule_text, rule);
        let first_name = self.names.len();
        for segment in &segments {
            if let RuleSegment::Param(name) = segment {
                self.names.push(name);
            }
        }
        let name_count = self.names.len() - first_name;
        for slot in slots {
            let route = PendingRoute {
                slot: RouteSlot {
                    method: slot,
                    id,
                    first_name,
                    name_count,
                },
                rule: rule_span,
                next: self.nodes[node].first_route,
            };
            self.nodes[node].first_route = Some(self.routes.len());
            self.routes.push(route);
        }
        Ok(())
    }

    /// The route already registered on `node` for `method`.
    fn route_on(&self, node: usize, method: MethodSlot) -> Option<&PendingRoute> {
        let mut next = self.nodes.get(node)?.first_route;
        while let Some(route) = next.and_then(|index| self.routes.get(index)) {
            if route.slot.method == method {
                return Some(route);
            }
            next = route.next;
        }
        None
    }

    /// The node for `segments`, created as needed. Parameter names do not
    /// matter here: two rules differing only in names have the same shape.
    fn descend(&mut self, segments: &[RuleSegment<'_>]) -> usize {
        segments.iter().fold(0, |node, segment| match segment {
            RuleSegment::Literal(text) => self.literal_child(node, text),
            RuleSegment::Param(_) => match self.nodes[node].param_child {
                Some(child) => child,
                None => {
                    let child = self.new_node();
                    self.nodes[node].param_child = Some(child);
                    child
                }
            },
        })
    }

    fn literal_child(&mut self, node: usize, text: &str) -> usize {
        let segment_text = &self.segment_text;
        let search = self.nodes[node].literal_children.binary_search_by(|edge| {
            let (start, end) = edge.segment;
            segment_text.get(start..end).unwrap_or_default().cmp(text)
        });
        match search {
            Ok(position) => self.nodes[node].literal_children[position].child,
            Err(position) => {
                let child = self.new_node();
                let segment = push_text(&mut self.segment_text, text);
                let edge = PendingEdge { segment, child };
                self.nodes[node].literal_children.insert(position, edge);
                child
            }
        }
    }

    fn new_node(&mut self) -> usize {
        self.nodes.push(PendingNode::default());
        self.nodes.len() - 1
    }

    /// The text of a literal segment recorded by [`TrieBuilder::insert`].
    pub(super) fn segment(&self, (start, end): Span) -> &str {
        self.segment_text.get(start..end).unwrap_or_default()
    }

    /// Freezes the rules into a [`Trie`], or returns the first error met by `insert`.
    pub(crate) fn build(self) -> Result<Trie, BuildError> {
        match self.first_error {
            Some(error) => Err(error),
            None => Ok(freeze(self)),
        }
    }
}

/// Appends `text` to `buffer`, returning where it is.
fn push_text(buffer: &mut String, text: &str) -> Span {
    let start = buffer.len();
    buffer.push_str(text);
    (start, buffer.len())
}
