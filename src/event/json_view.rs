//! `JsonView`: a borrowed, copyable view of one value of the parsed event, plus the small
//! tape helpers the other views share.
//!
//! The public type hides simd-json entirely so that the crate can change parsers without a
//! breaking change. Every accessor is total: asking for the wrong type gives `None`, never a
//! panic.

use std::fmt;

use simd_json::prelude::*;
use simd_json::tape::{self, Value};

/// A tape value of the event; both tape and input live as long as the event buffer.
pub(crate) type TapeValue<'a> = Value<'a, 'a>;

/// A borrowed view of any JSON value of the event.
///
/// Object look-ups follow JSON-as-parsed-by-Python semantics: if a key appears twice, the
/// **last** occurrence wins (as with `json.loads` and `serde_json`).
#[derive(Clone, Copy, Debug)]
pub struct JsonView<'a> {
    value: TapeValue<'a>,
}

impl<'a> JsonView<'a> {
    pub(crate) fn new(value: TapeValue<'a>) -> Self {
        Self { value }
    }

    /// The member `key` of an object (last occurrence wins); `None` if absent or not an object.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<JsonView<'a>> {
        last_match(self.value, |name| name == key).map(Self::new)
    }

    /// The element `i` of an array; `None` if out of range or not an array.
    #[must_use]
    pub fn index(&self, i: usize) -> Option<JsonView<'a>> {
        self.value
            .as_array()
            .and_then(|array| array.iter().nth(i))
            .map(Self::new)
    }

    /// The string, if this is a JSON string (escapes already resolved).
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        string_of(self.value)
    }

    /// The boolean, if this is `true` or `false`.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        self.value.as_bool()
    }

    /// The number as `i64`, if it is an integer that fits.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        self.value.as_i64()
    }

    /// The number as `u64`, if it is a non-negative integer that fits.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        self.value.as_u64()
    }

    /// The number as `f64` (integers are converted), if this is a number.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        self.value.cast_f64()
    }

    /// Whether this is JSON `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.value.as_null().is_some()
    }

    /// Whether this is a JSON object.
    #[must_use]
    pub fn is_object(&self) -> bool {
        self.value.is_object()
    }

    /// Whether this is a JSON array.
    #[must_use]
    pub fn is_array(&self) -> bool {
        self.value.is_array()
    }

    /// The number of members of an object or elements of an array; 0 for anything else.
    #[must_use]
    pub fn len(&self) -> usize {
        container_len(self.value)
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
            inner: object_iter(self.value),
        }
    }

    /// The elements of an array, in order; empty for anything else.
    #[must_use]
    pub fn items(&self) -> Items<'a> {
        Items {
            inner: array_iter(self.value),
        }
    }
}

/// Iterator over the members of an object view, see [`JsonView::entries`].
pub struct Entries<'a> {
    inner: Option<tape::object::Iter<'a, 'a>>,
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, JsonView<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.inner.as_mut()?.next()?;
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
    inner: Option<tape::array::Iter<'a, 'a>>,
}

impl<'a> Iterator for Items<'a> {
    type Item = JsonView<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.as_mut()?.next().map(JsonView::new)
    }
}

impl fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

// ---- helpers shared by the views (crate-internal) ----

/// The members of `value` if it is an object.
pub(crate) fn object_iter(value: TapeValue<'_>) -> Option<tape::object::Iter<'_, '_>> {
    value.as_object().map(|object| object.iter())
}

/// The elements of `value` if it is an array.
pub(crate) fn array_iter(value: TapeValue<'_>) -> Option<tape::array::Iter<'_, '_>> {
    value.as_array().map(|array| array.iter())
}

/// Members of an object, or elements of an array, else 0.
pub(crate) fn container_len(value: TapeValue<'_>) -> usize {
    if let Some(object) = value.as_object() {
        object.len()
    } else if let Some(array) = value.as_array() {
        array.len()
    } else {
        0
    }
}

/// The value of the last member of object `map` whose key satisfies `matches`.
///
/// Scanning to the end (rather than stopping at the first hit) gives Python-dict semantics
/// for duplicate keys; the maps are small, so the extra comparisons cost next to nothing.
pub(crate) fn last_match<'a>(
    map: TapeValue<'a>,
    mut matches: impl FnMut(&str) -> bool,
) -> Option<TapeValue<'a>> {
    let mut found = None;
    for (key, value) in object_iter(map)? {
        if matches(key) {
            found = Some(value);
        }
    }
    found
}

/// The string `value` holds, borrowed for the whole event (the trait method `as_str` would
/// tie it to the `Value` handle instead).
pub(crate) fn string_of(value: TapeValue<'_>) -> Option<&str> {
    value.into_string()
}

/// The last element of array `value`, if it is a non-empty array.
pub(crate) fn last_item(value: TapeValue<'_>) -> Option<TapeValue<'_>> {
    array_iter(value)?.last()
}

/// Whether `value` is an object with at least one member.
pub(crate) fn is_non_empty_object(value: TapeValue<'_>) -> bool {
    value.as_object().is_some_and(|object| !object.is_empty())
}

/// The JSON type of `value`, for error messages.
pub(crate) fn type_name(value: TapeValue<'_>) -> &'static str {
    match value.value_type() {
        ValueType::Null => "null",
        ValueType::Bool => "boolean",
        ValueType::String => "string",
        ValueType::Array => "array",
        ValueType::Object => "object",
        _ => "number",
    }
}
