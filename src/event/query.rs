//! `Query`: the query string parameters as the event carries them (never URL-decoded).

use super::nodes::{Nodes, last_list, last_pair, last_string};
use super::values::{Pairs, Values};

/// The query string parameters.
///
/// Keys compare exactly (case-sensitive). Values are what the event holds: API Gateway
/// delivers them decoded, ALB leaves them URL-encoded, and this view never decodes.
#[derive(Clone, Copy, Debug)]
pub struct Query<'a> {
    /// The body of `queryStringParameters` (checked: `name, value` string pairs; empty if
    /// absent).
    single: Nodes<'a>,
    /// The body of `multiValueQueryStringParameters` (checked: `name, [n], n strings`; empty
    /// if absent, always empty for v2).
    multi: Nodes<'a>,
    /// Whether the event has a `queryStringParameters` key at all (even `null`).
    has_single_key: bool,
}

impl<'a> Query<'a> {
    /// REST v1 / ALB parameters (both maps already type-checked).
    pub(crate) fn multi_value(single: Nodes<'a>, multi: Nodes<'a>, has_single_key: bool) -> Self {
        Self {
            single,
            multi,
            has_single_key,
        }
    }

    /// HTTP API v2 / Function URL parameters (repeated keys comma-joined by AWS).
    pub(crate) fn comma_joined(single: Nodes<'a>) -> Self {
        Self {
            single,
            multi: &[],
            has_single_key: true,
        }
    }

    /// The single value of a query parameter.
    ///
    /// From `queryStringParameters` when it is a non-empty object; else, only for an event
    /// without a `queryStringParameters` key (ALB in multi-value mode), the last value of
    /// `multiValueQueryStringParameters`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&'a str> {
        let map = self.single_value_map()?;
        if map.lists {
            last_string(last_list(map.body, |key| key == name)?)
        } else {
            last_pair(map.body, |key| key == name)
        }
    }

    /// The same map as [`get`](Self::get) reads, as `(name, value)` pairs.
    #[must_use]
    pub fn iter(&self) -> Pairs<'a> {
        match self.single_value_map() {
            None => Pairs::empty(),
            Some(map) if map.lists => Pairs::last_of_lists(map.body),
            Some(map) => Pairs::strings(map.body),
        }
    }

    /// All values of a parameter, Powertools' `resolved_query_string_parameters`.
    ///
    /// REST / ALB: the `multiValueQueryStringParameters` list when it has the key, else the
    /// single value split on `,`. HTTP API / Function URL: the single value split on `,`.
    #[must_use]
    pub fn get_all(&self, name: &str) -> Values<'a> {
        match last_list(self.multi, |key| key == name) {
            Some(items) => Values::list(Some(items)),
            None => Values::split(last_pair(self.single, |key| key == name), false),
        }
    }

    /// The map single-value reads use: `queryStringParameters` when it has entries; else,
    /// for an event without that key (an ALB target group with multi-value headers on
    /// sends only `multiValueQueryStringParameters`), the lists, read as their last
    /// values. When the key is there (REST always sends both maps), a `null` or empty
    /// single map means no parameters, as Powertools' `query_string_parameters` reads it.
    fn single_value_map(&self) -> Option<SingleValueMap<'a>> {
        if !self.single.is_empty() {
            Some(SingleValueMap {
                body: self.single,
                lists: false,
            })
        } else if !self.has_single_key && !self.multi.is_empty() {
            Some(SingleValueMap {
                body: self.multi,
                lists: true,
            })
        } else {
            None
        }
    }
}

impl<'a> IntoIterator for Query<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = Pairs<'a>;

    fn into_iter(self) -> Pairs<'a> {
        self.iter()
    }
}

/// Which map answers single-value reads, and whether its values are lists.
struct SingleValueMap<'a> {
    /// The map's body.
    body: Nodes<'a>,
    lists: bool,
}
