//! `Query`: the query string parameters as the event carries them (never URL-decoded).

use simd_json::tape::Value;

use super::json_view::{TapeValue, is_non_empty_object, last_item, last_match, string_of};
use super::values::{Pairs, Values};

/// The query string parameters.
///
/// Keys compare exactly (case-sensitive). Values are what the event holds: API Gateway
/// delivers them decoded, ALB leaves them URL-encoded, and this view never decodes.
#[derive(Clone, Copy, Debug)]
pub struct Query<'a> {
    /// `queryStringParameters`: an object of strings, or `null`.
    single: TapeValue<'a>,
    /// `multiValueQueryStringParameters`: an object of string arrays, or `null`.
    multi: TapeValue<'a>,
    /// Whether the event has a `queryStringParameters` key at all (even `null`).
    has_single_key: bool,
}

impl<'a> Query<'a> {
    /// REST v1 / ALB parameters (both maps already type-checked).
    pub(crate) fn multi_value(
        single: TapeValue<'a>,
        multi: TapeValue<'a>,
        has_single_key: bool,
    ) -> Self {
        Self {
            single,
            multi,
            has_single_key,
        }
    }

    /// HTTP API v2 / Function URL parameters (repeated keys comma-joined by AWS).
    pub(crate) fn comma_joined(single: TapeValue<'a>) -> Self {
        Self {
            single,
            multi: Value::NULL,
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
        let value = last_match(map.value, |key| key == name)?;
        if map.lists {
            string_of(last_item(value)?)
        } else {
            string_of(value)
        }
    }

    /// The same map as [`get`](Self::get) reads, as `(name, value)` pairs.
    #[must_use]
    pub fn iter(&self) -> Pairs<'a> {
        match self.single_value_map() {
            None => Pairs::empty(),
            Some(map) if map.lists => Pairs::last_of_lists(map.value),
            Some(map) => Pairs::strings(map.value),
        }
    }

    /// All values of a parameter, Powertools' `resolved_query_string_parameters`.
    ///
    /// REST / ALB: the `multiValueQueryStringParameters` list when it has the key, else the
    /// single value split on `,`. HTTP API / Function URL: the single value split on `,`.
    #[must_use]
    pub fn get_all(&self, name: &str) -> Values<'a> {
        match last_match(self.multi, |key| key == name) {
            Some(list) => Values::list(Some(list)),
            None => Values::split(
                last_match(self.single, |key| key == name).and_then(string_of),
                false,
            ),
        }
    }

    /// The map single-value reads use, per the reference app's `query_map`.
    fn single_value_map(&self) -> Option<SingleValueMap<'a>> {
        if is_non_empty_object(self.single) {
            Some(SingleValueMap {
                value: self.single,
                lists: false,
            })
        } else if !self.has_single_key && is_non_empty_object(self.multi) {
            Some(SingleValueMap {
                value: self.multi,
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
    value: TapeValue<'a>,
    lists: bool,
}
