//! String maps built in the arena, for the values no event carries as one string each:
//! VPC Lattice v2's query lists joined as HTTP API joins them, and an HTTP API query read
//! from `rawQueryString` when `queryStringParameters` is absent. The result has the layout
//! of a checked string map body (`name, value` string nodes), so the views read it as they
//! read one from the event.

use bumpalo::Bump;
use bumpalo::collections::{String as BumpString, Vec as BumpVec};
use simd_json::tape::Node;

use super::nodes::{Members, Nodes, list_items, node_string};

/// A string map of a checked multi-value map body (`name, [values]`): each list joined with
/// `,`, in order; an empty list is left out.
pub(crate) fn joined_lists<'a>(arena: &'a Bump, body: Nodes<'a>) -> Nodes<'a> {
    let mut nodes = BumpVec::new_in(arena);
    for (name, list) in Members::of(body) {
        let mut values = list_items(list).iter().filter_map(node_string);
        let Some(first) = values.next() else { continue };
        let value = match values.next() {
            None => first,
            Some(second) => {
                let mut joined = BumpString::from_str_in(first, arena);
                for value in std::iter::once(second).chain(values) {
                    joined.push(',');
                    joined.push_str(value);
                }
                joined.into_bump_str()
            }
        };
        nodes.push(Node::String(name));
        nodes.push(Node::String(value));
    }
    nodes.into_bump_slice()
}

/// A string map of a query string (`a=1&b=2&a=3`), names and values percent-decoded, a
/// name given twice joined with `,` (`a` → `1,3`), names in order of first appearance, as
/// API Gateway builds `queryStringParameters`.
pub(crate) fn decoded_query<'a>(arena: &'a Bump, raw: &'a str) -> Nodes<'a> {
    // (first position, name, value) of each pair.
    let mut pairs = BumpVec::new_in(arena);
    for (position, pair) in raw.split('&').filter(|p| !p.is_empty()).enumerate() {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((position, decode(arena, name), decode(arena, value)));
    }
    // Group by name (stable: values stay in order), then put the groups back in order of
    // first appearance. n log n, whatever the number of repeated names.
    pairs.sort_by(|a, b| a.1.cmp(b.1));
    let mut groups = BumpVec::new_in(arena);
    let mut rest = pairs.as_slice();
    while let Some((&(first, name, value), _)) = rest.split_first() {
        let same = rest
            .iter()
            .take_while(|(_, other, _)| *other == name)
            .count();
        let (group, tail) = rest.split_at(same);
        rest = tail;
        let value = if same == 1 {
            value
        } else {
            let mut joined = BumpString::new_in(arena);
            for (index, (_, _, value)) in group.iter().enumerate() {
                if index > 0 {
                    joined.push(',');
                }
                joined.push_str(value);
            }
            joined.into_bump_str()
        };
        groups.push((first, name, value));
    }
    groups.sort_by_key(|(first, _, _)| *first);
    let mut nodes = BumpVec::with_capacity_in(groups.len() * 2, arena);
    for (_, name, value) in groups {
        nodes.push(Node::String(name));
        nodes.push(Node::String(value));
    }
    nodes.into_bump_slice()
}

/// `text` percent-decoded into the arena (as sent when the result is not UTF-8).
fn decode<'a>(arena: &'a Bump, text: &'a str) -> &'a str {
    if !text.contains('%') {
        return text;
    }
    let bytes = BumpVec::from_iter_in(percent_encoding::percent_decode_str(text), arena);
    std::str::from_utf8(bytes.into_bump_slice()).unwrap_or(text)
}
