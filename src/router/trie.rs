//! The compiled, immutable trie and its lookup (the hot path).
//!
//! Nodes, edges and routes sit in flat vectors and refer to each other by index. The
//! lookup walks the path as it is (each segment with its leading `/`): literal edges
//! compare their key against it in place, and only a parameter looks for its segment's end.

use std::ops::Range;

use http::Method;

use super::literal_edge::{LiteralEdge, dispatch_byte};
use super::method_slot::{MethodSlot, MethodSlots};
use super::params::Params;
use super::regex_rule::RegexRoute;
use super::segment::{lookup_start, param_segment};
use super::{RouteId, TrailingSlash};

/// What a node answers for one method when the path ends there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteSlot {
    pub(crate) method: MethodSlot,
    pub(crate) id: RouteId,
    /// The route's parameter names, in path order, are `names[first_name..][..name_count]`
    /// (they belong to the route, not the node: `GET /a/<id>` and `DELETE /a/<key>`
    /// share a node).
    pub(crate) first_name: usize,
    pub(crate) name_count: usize,
}

/// Every route's parameter names: each distinct name stored once, and for each route
/// parameter the index of its name. A lookup then names a value with two indexed
/// loads (no string slicing to check).
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    distinct: Vec<Box<str>>,
    ids: Vec<u32>,
}

/// Past this many distinct names, new ones are stored without looking for an equal
/// one first (an app with thousands of names must not build in quadratic time).
const DEDUPLICATED_NAMES: usize = 64;

impl NameTable {
    pub(crate) fn push(&mut self, name: &str) {
        let mut search = self.distinct.iter().take(DEDUPLICATED_NAMES);
        let id = match search.position(|known| **known == *name) {
            Some(id) => id,
            None => {
                self.distinct.push(name.into());
                self.distinct.len() - 1
            }
        };
        self.ids.push(u32::try_from(id).unwrap_or(u32::MAX));
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    #[inline]
    fn of(&self, route: &RouteSlot) -> impl Iterator<Item = &str> {
        let ids = self.ids.get(route.first_name..).unwrap_or_default();
        ids.iter().take(route.name_count).map(|&id| {
            usize::try_from(id)
                .ok()
                .and_then(|id| self.distinct.get(id))
                .map_or("", |name| name)
        })
    }
}

/// One segment position in the trie (or the end of a chain of single-child ones).
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    /// This node's literal edges in [`Trie::edges`], sorted by segment text.
    pub(crate) edges: Range<usize>,
    /// For a large fan-out, the node's table in [`Trie::dispatch_tables`].
    pub(crate) dispatch_table: Option<usize>,
    /// The child for a `<name>` segment (one per position; names live in the routes).
    pub(crate) param_child: Option<usize>,
    /// Routes ending here, one per method, in [`Trie::routes`].
    pub(crate) routes: Range<usize>,
}

/// Dispatch byte → position (in the node's edges) of the first edge with it;
/// `u16::MAX`: none. The root of a big API then costs one load, not a scan.
pub(crate) type DispatchTable = [u16; 256];

/// The compiled, immutable route table.
#[derive(Debug)]
pub(crate) struct Trie {
    pub(crate) trailing_slash: TrailingSlash,
    /// `nodes[0]` is the root.
    pub(crate) nodes: Box<[Node]>,
    pub(crate) edges: Box<[LiteralEdge]>,
    /// Every edge key, which long keys compare against.
    pub(crate) key_text: Box<str>,
    pub(crate) dispatch_tables: Box<[DispatchTable]>,
    pub(crate) routes: Box<[RouteSlot]>,
    pub(crate) names: NameTable,
    pub(crate) method_slots: MethodSlots,
    /// Tried after the trie, in registration order.
    pub(crate) regex_routes: Box<[RegexRoute]>,
}

impl Trie {
    /// The route for `method` and `path`, filling `params` (cleared first).
    ///
    /// Allocation-free for trie routes with up to four parameters.
    pub(crate) fn at<'a>(
        &'a self,
        method: &Method,
        path: &'a str,
        params: &mut Params<'a>,
    ) -> Option<RouteId> {
        params.clear();
        let found = match (
            lookup_start(path, self.trailing_slash),
            self.method_slots.get(method),
        ) {
            (Some(rest), Some(method)) => self.find(0, rest, method, params),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        // A failed walk leaves the values it captured (it only undoes them where it
        // backtracks); the regex rules and a miss start from none.
        params.clear();
        self.regex_routes
            .iter()
            .find_map(|route| route.at(method, path, params))
    }

    /// Depth-first, most explicit first: the literal edge, then the parameter child.
    /// A branch that ends without a route for `method` backtracks, which is how a
    /// method missing on `/todos/bulk` falls through to `/todos/<id>`.
    ///
    /// Only a node with both a matching literal edge and a parameter child has anything
    /// to come back to, so only there does the walk recurse; elsewhere it loops.
    fn find<'a>(
        &'a self,
        mut node: usize,
        mut rest: &'a str,
        method: MethodSlot,
        params: &mut Params<'a>,
    ) -> Option<RouteId> {
        loop {
            let current = self.nodes.get(node)?;
            if rest.is_empty() {
                let routes = self.routes.get(current.routes.clone())?;
                let route = routes.iter().find(|route| route.method == method)?;
                params.name_all(self.names.of(route));
                return Some(route.id);
            }
            if let Some((child, after)) = self.literal_edge(current, rest) {
                if current.param_child.is_none() {
                    (node, rest) = (child, after);
                    continue;
                }
                let captured = params.len();
                if let Some(id) = self.find(child, after, method, params) {
                    return Some(id);
                }
                params.truncate(captured);
            }
            let param_child = current.param_child?;
            let (value, after) = param_segment(rest)?;
            params.push_unnamed(value);
            (node, rest) = (param_child, after);
        }
    }

    /// The child at the end of the literal edge `rest` starts with, and the rest after it.
    #[inline]
    fn literal_edge<'a>(&'a self, node: &Node, rest: &'a str) -> Option<(usize, &'a str)> {
        // Many nodes only have a parameter child: leave before reading the path.
        if node.edges.is_empty() {
            return None;
        }
        let edges = self.edges.get(node.edges.clone())?;
        let dispatch = dispatch_byte(rest.as_bytes());
        let follow = |edge: &LiteralEdge| Some((edge.child(), edge.follow(rest, &self.key_text)?));
        match node.dispatch_table {
            // Edges with the same dispatch byte are adjacent (sorted by segment text).
            Some(table) => {
                let start = *self
                    .dispatch_tables
                    .get(table)?
                    .get(usize::from(dispatch))?;
                edges
                    .get(usize::from(start)..)?
                    .iter()
                    .take_while(|edge| edge.dispatch == dispatch)
                    .find_map(follow)
            }
            None => edges
                .iter()
                .filter(|edge| edge.dispatch == dispatch)
                .find_map(follow),
        }
    }
}
