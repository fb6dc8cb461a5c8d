//! The compiled, immutable trie and its lookup (the hot path).

use http::Method;

use super::literal_key::LiteralKeys;
use super::method_table::MethodTable;
use super::params::Params;
use super::regex_rule::RegexRoute;
use super::segment::{SegmentStart, is_param_value, next_segment, segment_start};
use super::{RouteId, TrailingSlash};

/// What a node answers when the path ends there.
#[derive(Debug)]
pub(crate) struct RouteEntry {
    pub(crate) id: RouteId,
    /// Parameter names of this route, in path order (they belong to the route,
    /// not the node: `GET /a/<id>` and `DELETE /a/<key>` share a node).
    pub(crate) param_names: Box<[Box<str>]>,
}

/// One segment position in the trie.
#[derive(Debug, Default)]
pub(crate) struct Node {
    /// `literal_children[i]` is the child for the literal key at position `i`.
    pub(crate) literal_keys: LiteralKeys,
    pub(crate) literal_children: Box<[Node]>,
    /// The child for a `<name>` segment (one per position; names live in [`RouteEntry`]).
    pub(crate) param_child: Option<Box<Node>>,
    /// Routes ending here, by method; `None` when none do.
    pub(crate) routes: Option<Box<MethodTable<RouteEntry>>>,
}

impl Node {
    #[inline]
    fn literal_child(&self, segment: &str) -> Option<&Node> {
        self.literal_children.get(self.literal_keys.find(segment)?)
    }

    /// Depth-first, most explicit first: the literal child, then the parameter
    /// child. A branch that ends without a route for `method` backtracks, which
    /// is how a method missing on `/todos/bulk` falls through to `/todos/<id>`.
    fn find<'a>(
        &'a self,
        rest: Option<&'a str>,
        method: &Method,
        params: &mut Params<'a>,
    ) -> Option<RouteId> {
        let Some(rest) = rest else {
            let entry = self.routes.as_deref()?.get(method)?;
            params.name_all(&entry.param_names);
            return Some(entry.id);
        };
        let segment = next_segment(rest);
        if let Some(id) = self
            .literal_child(segment.text)
            .and_then(|child| child.find(segment.after, method, params))
        {
            return Some(id);
        }
        let param_child = self.param_child.as_deref()?;
        if !is_param_value(segment.text) {
            return None;
        }
        params.push_unnamed(segment.text);
        let found = param_child.find(segment.after, method, params);
        if found.is_none() {
            params.pop();
        }
        found
    }
}

/// The compiled, immutable route table.
#[derive(Debug)]
pub(crate) struct Trie {
    pub(crate) trailing_slash: TrailingSlash,
    pub(crate) root: Node,
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
        let found = match segment_start(path, self.trailing_slash) {
            SegmentStart::Segments(rest) => self.root.find(Some(rest), method, params),
            SegmentStart::Root => self.root.find(None, method, params),
            SegmentStart::NoMatch => None,
        };
        found.or_else(|| {
            self.regex_routes
                .iter()
                .find_map(|route| route.at(method, path, params))
        })
    }
}
