//! Freezing a [`TrieBuilder`] into a [`Trie`]: nodes numbered depth first, each node's
//! edges adjacent, chains of single-child literal nodes merged into one edge.

use super::builder::{PendingEdge, TrieBuilder};
use super::literal_edge::LiteralEdge;
use super::trie::{DispatchTable, Node, RouteSlot, Trie};

/// Above this many edges a node gets a dispatch table instead of a scan.
const TABLE_FAN_OUT: usize = 6;

pub(super) fn freeze(builder: TrieBuilder) -> Trie {
    let mut freezer = Freezer {
        builder: &builder,
        nodes: Vec::with_capacity(builder.nodes.len()),
        edges: Vec::with_capacity(builder.nodes.len()),
        key_text: String::with_capacity(builder.segment_text.len() + builder.nodes.len()),
        dispatch_tables: Vec::new(),
        routes: Vec::with_capacity(builder.routes.len()),
    };
    freezer.node(0);
    let Freezer {
        nodes,
        edges,
        key_text,
        dispatch_tables,
        routes,
        ..
    } = freezer;
    Trie {
        trailing_slash: builder.trailing_slash,
        nodes: nodes.into(),
        edges: edges.into(),
        key_text: key_text.into(),
        dispatch_tables: dispatch_tables.into(),
        routes: routes.into(),
        names: builder.names,
        method_slots: builder.method_slots,
        regex_routes: builder.regex_rules.build(),
    }
}

struct Freezer<'b> {
    builder: &'b TrieBuilder,
    nodes: Vec<Node>,
    edges: Vec<LiteralEdge>,
    key_text: String,
    dispatch_tables: Vec<DispatchTable>,
    routes: Vec<RouteSlot>,
}

impl Freezer<'_> {
    /// Freezes pending node `pending` and everything under it; returns its index.
    fn node(&mut self, pending: usize) -> usize {
        let builder = self.builder;
        let Some(node) = builder.nodes.get(pending) else {
            return usize::MAX;
        };
        let index = self.nodes.len();
        self.nodes.push(Node::default());

        let edges = self.edges.len()..self.edges.len() + node.literal_children.len();
        for edge in &node.literal_children {
            // The edge's `child` is the pending node until the children are frozen below.
            let (key_start, target) = self.merged_key(edge);
            let key = self.key_text.get(key_start..).unwrap_or_default();
            self.edges.push(LiteralEdge::new(key, key_start, target));
        }
        let dispatch_table = self.dispatch_table(edges.clone());

        let routes_start = self.routes.len();
        let mut next = node.first_route;
        while let Some(route) = next.and_then(|i| builder.routes.get(i)) {
            self.routes.push(route.slot);
            next = route.next;
        }
        let routes = routes_start..self.routes.len();

        for position in edges.clone() {
            let pending_child = self.edges.get(position).map_or(usize::MAX, |e| e.child());
            let child = self.node(pending_child);
            if let Some(edge) = self.edges.get_mut(position) {
                edge.set_child(child);
            }
        }
        let param_child = node.param_child.map(|child| self.node(child));
        if let Some(slot) = self.nodes.get_mut(index) {
            *slot = Node {
                edges,
                dispatch_table,
                param_child,
                routes,
            };
        }
        index
    }

    /// Writes the key of `edge` (`/segment`, then `/segment` for each node of a chain
    /// that has one literal child and nothing else) to the key text; returns where it
    /// starts and the pending node at the end of the chain.
    fn merged_key(&mut self, edge: &PendingEdge) -> (usize, usize) {
        let builder = self.builder;
        let start = self.key_text.len();
        let mut edge = edge;
        loop {
            self.key_text.push('/');
            self.key_text.push_str(builder.segment(edge.segment));
            let Some(target) = builder.nodes.get(edge.child) else {
                return (start, edge.child);
            };
            match target.literal_children.as_slice() {
                [only] if target.param_child.is_none() && target.first_route.is_none() => {
                    edge = only;
                }
                _ => return (start, edge.child),
            }
        }
    }

    fn dispatch_table(&mut self, edges: std::ops::Range<usize>) -> Option<usize> {
        let count = edges.len();
        if count <= TABLE_FAN_OUT || count >= usize::from(u16::MAX) {
            return None;
        }
        let mut table = [u16::MAX; 256];
        // Reversed, so the first edge of each run of equal dispatch bytes wins.
        for (position, edge) in self.edges.get(edges)?.iter().enumerate().rev() {
            if let (Some(slot), Ok(position)) = (
                table.get_mut(usize::from(edge.dispatch)),
                u16::try_from(position),
            ) {
                *slot = position;
            }
        }
        self.dispatch_tables.push(table);
        Some(self.dispatch_tables.len() - 1)
    }
}
