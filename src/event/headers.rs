//! `Headers`: case-insensitive, allocation-free look-ups over the event's header maps.

use super::nodes::{Nodes, last_list, last_pair, last_string};
use super::values::{Pairs, Values};

/// The request headers (case-insensitive names).
///
/// Reads the single-value `headers` map and, for REST and ALB, `multiValueHeaders`. Values
/// are returned as sent: nothing is split except by [`get_all`](Self::get_all) on HTTP API
/// and Function URL events, whose duplicate headers AWS has already comma-joined.
#[derive(Clone, Copy, Debug)]
pub struct Headers<'a> {
    /// The body of `headers` (checked: `name, value` string pairs; empty if absent).
    single: Nodes<'a>,
    /// The body of `multiValueHeaders` (checked: `name, [n], n strings`; empty if absent,
    /// always empty for v2).
    multi: Nodes<'a>,
    /// HTTP API / Function URL: repeated headers arrive comma-joined in `single`.
    comma_joined: bool,
}

impl<'a> Headers<'a> {
    /// REST v1 / ALB headers (both maps already type-checked).
    pub(crate) fn multi_value(single: Nodes<'a>, multi: Nodes<'a>) -> Self {
        Self {
            single,
            multi,
            comma_joined: false,
        }
    }

    /// HTTP API v2 / Function URL headers (type-checked).
    pub(crate) fn comma_joined(single: Nodes<'a>) -> Self {
        Self {
            single,
            multi: &[],
            comma_joined: true,
        }
    }

    /// The value of a header: the single-value `headers` entry, else the last of `multiValueHeaders`.
    ///
    /// Names compare ASCII-case-insensitively. A value is returned verbatim: an HTTP API
    /// header sent twice reads `"a,b"`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&'a str> {
        if let Some(value) = find_single(self.single, name) {
            return Some(value);
        }
        find_multi(self.multi, name).and_then(last_string)
    }

    /// The first value of a header as Powertools reads it: the first of its list
    /// (`multiValueHeaders`, VPC Lattice v2), or the text before the first comma of a value
    /// the service comma-joined (HTTP API, Function URL, VPC Lattice v1), not trimmed.
    #[must_use]
    pub(crate) fn first_value(&self, name: &str) -> Option<&'a str> {
        if self.comma_joined {
            self.get(name)?.split(',').next()
        } else {
            self.get_all(name).next()
        }
    }

    /// Whether the header is present in either map (even with an empty value list).
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        find_single(self.single, name).is_some() || find_multi(self.multi, name).is_some()
    }

    /// All values of a header, Powertools' "resolved headers".
    ///
    /// REST / ALB: the `multiValueHeaders` list when that map is non-empty (nothing if the
    /// name is not in it), else the single value. HTTP API / Function URL: the single value
    /// split on `,`, each piece trimmed of spaces.
    #[must_use]
    pub fn get_all(&self, name: &str) -> Values<'a> {
        if self.comma_joined {
            Values::split(self.get(name), true)
        } else if !self.multi.is_empty() {
            Values::list(find_multi(self.multi, name))
        } else {
            Values::one(find_single(self.single, name))
        }
    }

    /// All `(name, value)` pairs: one per value of `multiValueHeaders` when that map is
    /// non-empty, else one per member of `headers`. Names are as sent.
    #[must_use]
    pub fn iter(&self) -> Pairs<'a> {
        if !self.multi.is_empty() {
            Pairs::all_of_lists(self.multi)
        } else {
            Pairs::strings(self.single)
        }
    }

    /// Whether `multiValueHeaders` is a non-empty object (an ALB target group with
    /// multi-value headers on; the response must then use that style too).
    pub(crate) fn has_multi_values(&self) -> bool {
        !self.multi.is_empty()
    }

    /// Every value the event carries for `name`, unsplit: the `multiValueHeaders` list when
    /// that map has the name, else the single value. Used for the `Cookie` header, which may
    /// come in either map.
    pub(crate) fn raw_values(&self, name: &str) -> Values<'a> {
        match find_multi(self.multi, name) {
            Some(list) => Values::list(Some(list)),
            None => Values::one(find_single(self.single, name)),
        }
    }
}

impl<'a> IntoIterator for Headers<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = Pairs<'a>;

    fn into_iter(self) -> Pairs<'a> {
        self.iter()
    }
}

/// The value of the last `headers` pair named `name`, ignoring ASCII case.
fn find_single<'a>(single: Nodes<'a>, name: &str) -> Option<&'a str> {
    last_pair(single, |key| key.eq_ignore_ascii_case(name))
}

/// The list body of the last `multiValueHeaders` member named `name`, ignoring ASCII case.
fn find_multi<'a>(multi: Nodes<'a>, name: &str) -> Option<Nodes<'a>> {
    last_list(multi, |key| key.eq_ignore_ascii_case(name))
}
