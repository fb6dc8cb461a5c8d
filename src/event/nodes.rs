//! Raw walks over the simd-json tape: the node slices every view holds.
//!
//! simd-json's `tape::Value` API costs ~130 instructions per object member (iterator
//! adapters, re-slicing, panicking bounds checks); reading the `Node`s directly costs a few.
//! A value here is a node slice that starts with the value's own node (it may run on past
//! the value's subtree, as the root does); an object or array *body* is exactly the nodes
//! after its header.
//!
//! Every walk is total: on a tape that is not shaped as simd-json writes them, iterators end
//! early and look-ups give `None`, never a panic.

use simd_json::StaticNode;
use simd_json::tape::Node;

/// A JSON value of the event, as the tape nodes from its own node on.
pub(crate) type Nodes<'a> = &'a [Node<'a>];

/// JSON `null`, for absent members (every view reads it as empty).
pub(crate) const NULL: Nodes<'static> = &[Node::Static(StaticNode::Null)];

/// How many nodes the value headed by `node` spans, the node itself included.
fn span(node: &Node<'_>) -> usize {
    match node {
        Node::Object { count, .. } | Node::Array { count, .. } => count.saturating_add(1),
        _ => 1,
    }
}

/// Splits the first value off `nodes`: its whole subtree, and what follows it.
fn split_value<'a>(nodes: Nodes<'a>) -> Option<(Nodes<'a>, Nodes<'a>)> {
    nodes.split_at_checked(span(nodes.first()?))
}

/// The body of `value` if it is an object: `key, value, key, value, …` with nested values
/// spanning several nodes.
pub(crate) fn object_body(value: Nodes<'_>) -> Option<Nodes<'_>> {
    match value.first()? {
        Node::Object { count, .. } => value.get(1..=*count),
        _ => None,
    }
}

/// The body of `value` if it is an array: its elements' subtrees, one after the other.
pub(crate) fn array_body(value: Nodes<'_>) -> Option<Nodes<'_>> {
    match value.first()? {
        Node::Array { count, .. } => value.get(1..=*count),
        _ => None,
    }
}

/// The members of an object body, in document order.
#[derive(Clone, Copy)]
pub(crate) struct Members<'a> {
    rest: Nodes<'a>,
}

impl<'a> Members<'a> {
    /// The members of `body` (from [`object_body`]).
    pub(crate) fn of(body: Nodes<'a>) -> Self {
        Self { rest: body }
    }

    /// The members of `value` if it is an object, else none.
    pub(crate) fn of_value(value: Nodes<'a>) -> Self {
        Self::of(object_body(value).unwrap_or_default())
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, Nodes<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let Some((Node::String(key), after_key)) = self.rest.split_first() else {
            return None;
        };
        let (value, rest) = split_value(after_key)?;
        self.rest = rest;
        Some((key, value))
    }
}

/// The elements of an array body, in order.
#[derive(Clone, Copy)]
pub(crate) struct Elements<'a> {
    rest: Nodes<'a>,
}

impl<'a> Elements<'a> {
    /// The elements of `value` if it is an array, else none.
    pub(crate) fn of_value(value: Nodes<'a>) -> Self {
        Self {
            rest: array_body(value).unwrap_or_default(),
        }
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Nodes<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let (value, rest) = split_value(self.rest)?;
        self.rest = rest;
        Some(value)
    }
}

/// The value of the last member of `body` whose key satisfies `matches`.
///
/// Scanning to the end (rather than stopping at the first hit) gives Python-dict semantics
/// for duplicate keys; the maps are small, so the extra comparisons cost next to nothing.
pub(crate) fn last_member<'a>(
    body: Nodes<'a>,
    mut matches: impl FnMut(&str) -> bool,
) -> Option<Nodes<'a>> {
    let mut found = None;
    for (key, value) in Members::of(body) {
        if matches(key) {
            found = Some(value);
        }
    }
    found
}

/// The string `value` holds.
pub(crate) fn string_of<'a>(value: Nodes<'a>) -> Option<&'a str> {
    match value.first()? {
        Node::String(text) => Some(text),
        _ => None,
    }
}

/// Whether `value` is JSON `null`.
pub(crate) fn is_null(value: Nodes<'_>) -> bool {
    matches!(value.first(), Some(Node::Static(StaticNode::Null)))
}

/// The scalar `value` holds (`null`, a boolean or a number).
pub(crate) fn static_of(value: Nodes<'_>) -> Option<StaticNode> {
    match value.first()? {
        Node::Static(scalar) => Some(*scalar),
        _ => None,
    }
}

/// The JSON type of `value`, for error messages.
pub(crate) fn type_name(value: Nodes<'_>) -> &'static str {
    match value.first() {
        Some(Node::String(_)) => "string",
        Some(Node::Object { .. }) => "object",
        Some(Node::Array { .. }) => "array",
        Some(Node::Static(StaticNode::Bool(_))) => "boolean",
        Some(Node::Static(StaticNode::Null)) | None => "null",
        Some(Node::Static(_)) => "number",
    }
}

// ---- flat maps: the layouts `parse` has checked ----

/// The value of the last `key, value` pair of a checked string map (`headers`,
/// `queryStringParameters`: every value one string node) whose key satisfies `matches`.
///
/// The body is exactly pairs, so scanning from the end finds the last occurrence first.
pub(crate) fn last_pair<'a>(pairs: Nodes<'a>, matches: impl Fn(&str) -> bool) -> Option<&'a str> {
    pairs.chunks_exact(2).rev().find_map(|pair| match pair {
        [Node::String(key), Node::String(value)] if matches(key) => Some(*value),
        _ => None,
    })
}

/// The elements of a list value (empty if it is not an array).
pub(crate) fn list_items(list: Nodes<'_>) -> Nodes<'_> {
    array_body(list).unwrap_or_default()
}

/// The elements of the last list of a checked multi-value map body (`multiValueHeaders`,
/// `multiValueQueryStringParameters`: `name, [n], n strings, …`) whose name satisfies
/// `matches`.
///
/// The layout is known, so this hops from name to name without looking at the elements:
/// a few instructions per member, which matters for the look-ups of usually absent headers
/// (`Origin`) that every response makes.
pub(crate) fn last_list<'a>(
    mut rest: Nodes<'a>,
    matches: impl Fn(&str) -> bool,
) -> Option<Nodes<'a>> {
    let mut found = None;
    while let [Node::String(name), Node::Array { len, .. }, after @ ..] = rest {
        let Some((items, tail)) = after.split_at_checked(*len) else {
            break;
        };
        if matches(name) {
            found = Some(items);
        }
        rest = tail;
    }
    found
}

/// The last string of a checked list body (every element one string node).
pub(crate) fn last_string<'a>(items: Nodes<'a>) -> Option<&'a str> {
    items.last().and_then(node_string)
}

/// The string of one node.
pub(crate) fn node_string<'a>(node: &Node<'a>) -> Option<&'a str> {
    match node {
        Node::String(text) => Some(text),
        _ => None,
    }
}
