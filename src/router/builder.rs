//! Collecting rules, detecting conflicts, and freezing them into a [`Trie`].

use std::collections::BTreeMap;

use http::Method;

use super::error::BuildError;
use super::literal_key::LiteralKeys;
use super::method_table::MethodTable;
use super::regex_rule::RegexRules;
use super::rule::{ParsedRule, RuleSegment, parse_rule};
use super::trie::{Node, RouteEntry, Trie};
use super::{RouteId, TrailingSlash};

/// A route waiting in the builder; keeps the rule text for conflict messages.
#[derive(Debug)]
struct PendingRoute {
    rule: Box<str>,
    entry: RouteEntry,
}

/// A trie node while rules are still being added.
#[derive(Debug, Default)]
struct PendingNode {
    literal_children: BTreeMap<Box<str>, PendingNode>,
    param_child: Option<Box<PendingNode>>,
    routes: MethodTable<PendingRoute>,
}

impl PendingNode {
    /// The node for `segments`, created as needed. Parameter names do not
    /// matter here: two rules differing only in names have the same shape.
    fn descend(&mut self, segments: &[RuleSegment<'_>]) -> &mut PendingNode {
        segments.iter().fold(self, |node, segment| match segment {
            RuleSegment::Literal(text) => node.literal_children.entry((*text).into()).or_default(),
            RuleSegment::Param(_) => node.param_child.get_or_insert_with(Box::default),
        })
    }

    /// The earlier rule registered on this node for one of `methods`, if any.
    fn conflict<'m>(&self, methods: &'m [Method]) -> Option<(&'m Method, &str)> {
        methods
            .iter()
            .find_map(|method| Some((method, &*self.routes.get(method)?.rule)))
    }

    fn freeze(self) -> Node {
        // `BTreeMap` iterates bytewise, the order `LiteralKeys` relies on.
        let (literal_keys, children): (Vec<Box<str>>, Vec<PendingNode>) =
            self.literal_children.into_iter().unzip();
        let mut has_routes = false;
        let routes = self.routes.map(|pending| {
            has_routes = true;
            pending.entry
        });
        Node {
            literal_keys: LiteralKeys::new(literal_keys),
            literal_children: children.into_iter().map(PendingNode::freeze).collect(),
            param_child: self.param_child.map(|child| Box::new(child.freeze())),
            routes: has_routes.then(|| Box::new(routes)),
        }
    }
}

/// Collects rules before [`TrieBuilder::build`].
///
/// Errors are reported eagerly by [`TrieBuilder::insert`] and again by
/// [`TrieBuilder::build`] (the first one), so a caller may check either.
#[derive(Debug)]
pub(crate) struct TrieBuilder {
    trailing_slash: TrailingSlash,
    root: PendingNode,
    regex_rules: RegexRules,
    first_error: Option<BuildError>,
}

impl TrieBuilder {
    pub(crate) fn new(trailing_slash: TrailingSlash) -> Self {
        Self {
            trailing_slash,
            root: PendingNode::default(),
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
        let mut unique_methods: Vec<Method> = Vec::with_capacity(methods.len());
        for method in methods {
            if !unique_methods.contains(method) {
                unique_methods.push(method.clone());
            }
        }
        if unique_methods.is_empty() {
            return Err(BuildError::invalid_rule(
                rule,
                "a route needs at least one method",
            ));
        }
        match parse_rule(rule, self.trailing_slash)? {
            ParsedRule::Regex(source) => self.regex_rules.insert(rule, source, &unique_methods, id),
            ParsedRule::Trie(segments) => {
                let node = self.root.descend(&segments);
                // Check every method first so a failed insert leaves nothing behind.
                if let Some((method, earlier_rule)) = node.conflict(&unique_methods) {
                    return Err(BuildError::conflict(method, rule, earlier_rule));
                }
                let param_names: Box<[Box<str>]> = segments
                    .iter()
                    .filter_map(|segment| match segment {
                        RuleSegment::Param(name) => Some((*name).into()),
                        RuleSegment::Literal(_) => None,
                    })
                    .collect();
                for method in &unique_methods {
                    let pending = PendingRoute {
                        rule: rule.into(),
                        entry: RouteEntry {
                            id,
                            param_names: param_names.clone(),
                        },
                    };
                    // Cannot fail: conflicts were checked above and methods are unique.
                    let _ = node.routes.insert_new(method, pending);
                }
                Ok(())
            }
        }
    }

    /// Freezes the rules into a [`Trie`], or returns the first error met by `insert`.
    pub(crate) fn build(self) -> Result<Trie, BuildError> {
        if let Some(error) = self.first_error {
            return Err(error);
        }
        Ok(Trie {
            trailing_slash: self.trailing_slash,
            root: self.root.freeze(),
            regex_routes: self.regex_rules.build(),
        })
    }
}
