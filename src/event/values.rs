//! The iterators returned by the header, query and cookie views.
//!
//! They walk the tape in place (no collecting), which is what keeps request reading free of
//! heap allocations. The maps and lists they walk were type-checked by `parse`, so the
//! "skip anything that is not a string" branches below are defensive only.

use std::fmt;

use simd_json::tape;

use super::json_view::{TapeValue, array_iter, object_iter, string_of};

/// The values of one header or query parameter, see
/// [`Headers::get_all`](super::Headers::get_all) and [`Query::get_all`](super::Query::get_all).
pub struct Values<'a> {
    inner: ValuesInner<'a>,
}

enum ValuesInner<'a> {
    /// The strings of a multi-value list.
    List(Option<tape::array::Iter<'a, 'a>>),
    /// A single value split on `,` (Python `str.split(",")`: `""` gives one empty value).
    Split { rest: Option<&'a str>, trim: bool },
    /// A single value, verbatim.
    One(Option<&'a str>),
}

impl<'a> Values<'a> {
    /// The strings of the array `list` (nothing if `list` is absent or not an array).
    pub(crate) fn list(list: Option<TapeValue<'a>>) -> Self {
        Self {
            inner: ValuesInner::List(list.and_then(array_iter)),
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
            ValuesInner::List(items) => items.as_mut()?.find_map(string_of),
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
    /// A single-value map: each member once.
    Strings(Option<tape::object::Iter<'a, 'a>>),
    /// A multi-value map read as single values: the last value of each non-empty list.
    LastOfLists(Option<tape::object::Iter<'a, 'a>>),
    /// A multi-value map: one pair per value.
    AllOfLists {
        members: Option<tape::object::Iter<'a, 'a>>,
        current: Option<(&'a str, tape::array::Iter<'a, 'a>)>,
    },
}

impl<'a> Pairs<'a> {
    pub(crate) fn strings(map: TapeValue<'a>) -> Self {
        Self {
            inner: PairsInner::Strings(object_iter(map)),
        }
    }

    pub(crate) fn last_of_lists(map: TapeValue<'a>) -> Self {
        Self {
            inner: PairsInner::LastOfLists(object_iter(map)),
        }
    }

    pub(crate) fn all_of_lists(map: TapeValue<'a>) -> Self {
        Self {
            inner: PairsInner::AllOfLists {
                members: object_iter(map),
                current: None,
            },
        }
    }

    pub(crate) fn empty() -> Self {
        Self {
            inner: PairsInner::Strings(None),
        }
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            PairsInner::Strings(members) => members
                .as_mut()?
                .find_map(|(name, value)| Some((name, string_of(value)?))),
            PairsInner::LastOfLists(members) => members
                .as_mut()?
                .find_map(|(name, list)| Some((name, string_of(array_iter(list)?.last()?)?))),
            PairsInner::AllOfLists { members, current } => loop {
                if let Some((name, items)) = current
                    && let Some(value) = items.find_map(string_of)
                {
                    return Some((*name, value));
                }
                let (name, list) = members.as_mut()?.next()?;
                *current = array_iter(list).map(|items| (name, items));
            },
        }
    }
}

impl fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pairs").finish_non_exhaustive()
    }
}
