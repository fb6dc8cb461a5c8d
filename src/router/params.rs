//! Path parameters captured by a match: names from the route, values from the path.

use std::fmt;

/// How many parameters are kept inline before spilling to the heap.
const INLINE: usize = 4;

/// Path parameters captured by a match (`<name>` segments and named regex groups).
///
/// Values are the raw text of the path, never percent-decoded. Up to four are held
/// inline, so a trie match does not allocate.
//
// Not a `SmallVec`: its `A::Item` projection makes it invariant in `'a`, and the
// type must stay covariant so a `Request<'a>` can be lent for shorter lifetimes
// (`covariant_in_lifetime` below checks it). An empty `Vec` does not allocate.
#[derive(Clone, Default)]
pub struct Params<'a> {
    inline: [(&'a str, &'a str); INLINE],
    len: usize,
    spilled: Vec<(&'a str, &'a str)>,
}

impl<'a> Params<'a> {
    /// The value of parameter `name` (raw text, not percent-decoded).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every parameter as `(name, value)`, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.inline
            .iter()
            .take(self.len)
            .chain(self.spilled.iter())
            .copied()
    }

    /// How many parameters there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len + self.spilled.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub(crate) fn push(&mut self, name: &'a str, value: &'a str) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = (name, value);
                self.len += 1;
            }
            None => self.spilled.push((name, value)),
        }
    }

    #[inline]
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.spilled.clear();
    }

    /// Records a value whose name is known only once the route is chosen
    /// (names belong to the route of the matched method, not to the trie node).
    #[inline]
    pub(crate) fn push_unnamed(&mut self, value: &'a str) {
        self.push("", value);
    }

    /// Keeps the first `len` values, when lookup backtracks.
    #[inline]
    pub(crate) fn truncate(&mut self, len: usize) {
        self.spilled.truncate(len.saturating_sub(INLINE));
        self.len = self.len.min(len);
    }

    /// Gives the captured values (in path order) the names of the matched route.
    #[inline]
    pub(crate) fn name_all(&mut self, names: impl Iterator<Item = &'a str>) {
        let mut names = names;
        for (name, _) in self.inline.iter_mut().take(self.len) {
            let Some(route_name) = names.next() else {
                return;
            };
            *name = route_name;
        }
        for ((name, _), route_name) in self.spilled.iter_mut().zip(names) {
            *name = route_name;
        }
    }
}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles only while `Params` is covariant in its lifetime.
    fn covariant_in_lifetime<'short, 'long: 'short>(params: Params<'long>) -> Params<'short> {
        params
    }

    #[test]
    fn inline_then_spilled_in_order() {
        let names: Vec<Box<str>> = ["a", "b", "c", "d", "e", "f"]
            .into_iter()
            .map(Box::from)
            .collect();
        let mut params = Params::default();
        for value in ["1", "2", "3", "4", "5", "6", "7"] {
            params.push_unnamed(value);
        }
        params.truncate(6);
        params.name_all(names.iter().map(|name| &**name));
        let params = covariant_in_lifetime(params);
        let pairs: Vec<_> = params.iter().collect();
        assert_eq!(
            pairs,
            [
                ("a", "1"),
                ("b", "2"),
                ("c", "3"),
                ("d", "4"),
                ("e", "5"),
                ("f", "6")
            ]
        );
        assert_eq!(
            (params.len(), params.get("e"), params.get("z")),
            (6, Some("5"), None)
        );
        assert_eq!(format!("{params:?}").matches(':').count(), 6);
        let mut params = params;
        params.truncate(3);
        assert_eq!(params.iter().map(|(_, v)| v).collect::<String>(), "123");
        params.clear();
        assert!(params.is_empty());
    }
}
