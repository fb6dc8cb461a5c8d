//! The iterators returned by the header, query and cookie views.
//!
//! They walk the tape in place (no collecting), which is what keeps request reading free of
//! heap allocations. The maps and lists they walk were type-checked by `parse`, so the
//! "skip anything that is not a string" branches below are defensive only.

use std::fmt;

use std::slice;

use simd_json::tape::Node;

use super::nodes::{Members, Nodes, list_items, node_string};

/// The values of one header or query parameter, see
/// [`Headers::get_all`](super::Headers::get_all) and [`Query::get_all`](super::Query::get_all).
pub struct Values<'a> {
    inner: ValuesInner<'a>,
}

enum ValuesInner<'a> {
    /// The strings of a multi-value list body.
    List(slice::Iter<'a, Node<'a>>),
    /// A single value split on `,` (Python `str.split(",")`: `""` gives one empty value).
    Split { rest: Option<&'a str>, trim: bool },
    /// A single value, verbatim.
    One(Option<&'a str>),
}

impl<'a> Values<'a> {
    /// The strings of the list body `items` (nothing if absent).
    pub(crate) fn list(items: Option<Nodes<'a>>) -> Self {
        Self {
            inner: ValuesInner::List(items.unwrap_or_default().iter()),
        }
    }

    /// Exactly `value`, if any.
    pub(crate) fn one(value: Option<&'a str>) -> Self {
        Self {
            inner: ValuesInner::One(value),
        }
    }

    /// `value` split on `,`; with `trim`, spaces around each piece are removed.
    pub(crate) fn split(value: Option<&'a str>, trim: bool) -> Self {
        Self {
            inner: ValuesInner::Split { rest: value, trim },
        }
    }
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match &mut self.inner {
            ValuesInner::List(items) => items.find_map(node_string),
            ValuesInner::One(value) => value.take(),
            ValuesInner::Split { rest, trim } => {
                let text = rest.take()?;
                let piece = match text.split_once(',') {
                    Some((piece, tail)) => {
                        *rest = Some(tail);
                        piece
                    }
                    None => text,
                };
                Some(if *trim {
                    piece.trim_matches(' ')
                } else {
                    piece
                })
            }
        }
    }
}

impl fmt::Debug for Values<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Values").finish_non_exhaustive()
    }
}

/// `(name, value)` pairs of a header or query map, see [`Headers::iter`](super::Headers::iter)
/// and [`Query::iter`](super::Query::iter).
pub struct Pairs<'a> {
    inner: PairsInner<'a>,
}

enum PairsInner<'a> {
    /// A single-value map body (`name, value` string pairs): each member once.
    Strings(slice::ChunksExact<'a, Node<'a>>),
    /// A multi-value map read as single values: the last value of each non-empty list.
    LastOfLists(Members<'a>),
    /// A multi-value map: one pair per value.
    AllOfLists {
        members: Members<'a>,
        current: Option<(&'a str, slice::Iter<'a, Node<'a>>)>,
    },
}

impl<'a> Pairs<'a> {
    /// The members of a checked string map body.
    pub(crate) fn strings(pairs: Nodes<'a>) -> Self {
        Self {
            inner: PairsInner::Strings(pairs.chunks_exact(2)),
        }
    }

    /// The last value of each list of a checked multi-value map body.
    pub(crate) fn last_of_lists(body: Nodes<'a>) -> Self {
        Self {
            inner: PairsInner::LastOfLists(Members::of(body)),
        }
    }

    /// Every value of each list of a checked multi-value map body.
    pub(crate) fn all_of_lists(body: Nodes<'a>) -> Self {
        Self {
            inner: PairsInner::AllOfLists {
                members: Members::of(body),
                current: None,
            },
        }
    }

    pub(crate) fn empty() -> Self {
        Self::strings(&[])
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            PairsInner::Strings(pairs) => pairs.find_map(|pair| match pair {
                [Node::String(name), Node::String(value)] => Some((*name, *value)),
                _ => None,
            }),
            PairsInner::LastOfLists(members) => members
                .find_map(|(name, list)| Some((name, node_string(list_items(list).last()?)?))),
            PairsInner::AllOfLists { members, current } => loop {
                if let Some((name, items)) = current
                    && let Some(value) = items.find_map(node_string)
                {
                    return Some((*name, value));
                }
                let (name, list) = members.next()?;
                *current = Some((name, list_items(list).iter()));
            },
        }
    }
}

impl fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pairs").finish_non_exhaustive()
    }
}
