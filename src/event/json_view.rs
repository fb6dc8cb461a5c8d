//! `JsonView`: a borrowed, copyable view of one value of the parsed event, plus the small
//! tape helpers the other views share.
//!
//! The public type hides simd-json entirely so that the crate can change parsers without a
//! breaking change. Every accessor is total: asking for the wrong type gives `None`, never a
//! panic.

use std::fmt;

use simd_json::prelude::ValueAsScalar as _;
use simd_json::tape::Node;

use super::nodes::{
    Elements, Members, Nodes, is_null, last_member, object_body, static_of, string_of,
};

/// A borrowed view of any JSON value of the event.
///
/// Object look-ups follow JSON-as-parsed-by-Python semantics: if a key appears twice, the
/// **last** occurrence wins (as with `json.loads` and `serde_json`).
#[derive(Clone, Copy, Debug)]
pub struct JsonView<'a> {
    /// The tape from the value's own node on.
    value: Nodes<'a>,
}

impl<'a> JsonView<'a> {
    pub(crate) fn new(value: Nodes<'a>) -> Self {
        Self { value }
    }

    /// The tape from the value's own node on.
    pub(crate) fn nodes(&self) -> Nodes<'a> {
        self.value
    }

    /// The member `key` of an object (last occurrence wins); `None` if absent or not an object.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<JsonView<'a>> {
        last_member(object_body(self.value)?, |name| name == key).map(Self::new)
    }

    /// The element `i` of an array; `None` if out of range or not an array.
    #[must_use]
    pub fn index(&self, i: usize) -> Option<JsonView<'a>> {
        Elements::of_value(self.value).nth(i).map(Self::new)
    }

    /// The string, if this is a JSON string (escapes already resolved).
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        string_of(self.value)
    }

    /// The boolean, if this is `true` or `false`.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        static_of(self.value)?.as_bool()
    }

    /// The number as `i64`, if it is an integer that fits.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        static_of(self.value)?.as_i64()
    }

    /// The number as `u64`, if it is a non-negative integer that fits.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        static_of(self.value)?.as_u64()
    }

    /// The number as `f64` (integers are converted), if this is a number.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        static_of(self.value)?.cast_f64()
    }

    /// Whether this is JSON `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        is_null(self.value)
    }

    /// Whether this is a JSON object.
    #[must_use]
    pub fn is_object(&self) -> bool {
        matches!(self.value.first(), Some(Node::Object { .. }))
    }

    /// Whether this is a JSON array.
    #[must_use]
    pub fn is_array(&self) -> bool {
        matches!(self.value.first(), Some(Node::Array { .. }))
    }

    /// The number of members of an object or elements of an array; 0 for anything else.
    #[must_use]
    pub fn len(&self) -> usize {
        match self.value.first() {
            Some(Node::Object { len, .. } | Node::Array { len, .. }) => *len,
            _ => 0,
        }
    }

    /// Whether [`len`](Self::len) is 0 (also true for scalars).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `(key, value)` members of an object, in document order; empty for anything else.
    #[must_use]
    pub fn entries(&self) -> Entries<'a> {
        Entries {
            inner: Members::of_value(self.value),
        }
    }

    /// The elements of an array, in order; empty for anything else.
    #[must_use]
    pub fn items(&self) -> Items<'a> {
        Items {
            inner: Elements::of_value(self.value),
        }
    }
}

/// Iterator over the members of an object view, see [`JsonView::entries`].
pub struct Entries<'a> {
    inner: Members<'a>,
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, JsonView<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.inner.next()?;
        Some((key, JsonView::new(value)))
    }
}

impl fmt::Debug for Entries<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entries").finish_non_exhaustive()
    }
}

/// Iterator over the elements of an array view, see [`JsonView::items`].
pub struct Items<'a> {
    inner: Elements<'a>,
}

impl<'a> Iterator for Items<'a> {
    type Item = JsonView<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(JsonView::new)
    }
}

impl fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}
