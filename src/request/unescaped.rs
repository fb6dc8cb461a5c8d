//! Copies of body strings that JSON wrote with escapes, kept for the invocation, so that a
//! `&'a str` field borrows them as it borrows the strings written plainly.
//!
//! serde_json hands out a string with escapes (`"a\"b"`, `"Jos\u00e9"`) only as a
//! transient `&str`; a field that borrows from the request would refuse it. The request is
//! shared between threads (`Sync`), so the copies live in cells that are written once each,
//! through `&self`: an index taken with one atomic add, in nodes of doubling size, so a
//! body with a million such strings costs one copy each and a few steps to find its cell.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Cells in the first node; each next node has twice as many.
const FIRST: usize = 8;

/// Copies of unescaped strings, for one invocation at a time (see the module docs).
#[derive(Debug)]
pub(crate) struct Unescaped {
    used: AtomicUsize,
    first: Node,
}

#[derive(Debug)]
struct Node {
    cells: Box<[OnceLock<Box<str>>]>,
    next: OnceLock<Box<Node>>,
}

impl Node {
    fn with(cells: usize) -> Self {
        Self {
            cells: (0..cells).map(|_| OnceLock::new()).collect(),
            next: OnceLock::new(),
        }
    }
}

impl Default for Unescaped {
    fn default() -> Self {
        Self {
            used: AtomicUsize::new(0),
            first: Node::with(FIRST),
        }
    }
}

impl Unescaped {
    /// A copy of `text` that lives as long as `self` is not cleared.
    pub(crate) fn keep(&self, text: &str) -> &str {
        let mut index = self.used.fetch_add(1, Ordering::Relaxed);
        let mut node = &self.first;
        loop {
            let cells = node.cells.len();
            if let Some(cell) = node.cells.get(index) {
                let kept = cell.get_or_init(|| Box::from(text));
                return kept;
            }
            index -= cells;
            node = node.next.get_or_init(|| Box::new(Node::with(cells * 2)));
        }
    }

    /// Drops the copies of the last invocation; a chain that grew past the first node is
    /// given back whole, so one large body does not keep its cells.
    pub(crate) fn clear(&mut self) {
        let used = std::mem::take(self.used.get_mut());
        if used == 0 {
            return;
        }
        if used > FIRST {
            *self = Self::default();
            return;
        }
        for cell in &mut self.first.cells {
            cell.take();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Unescaped;

    /// Every copy reads back as written while later ones are added, across nodes, and
    /// clearing leaves nothing behind.
    #[test]
    fn copies_stay_put_across_nodes_and_clear() {
        let mut unescaped = Unescaped::default();
        for round in 0..3 {
            let texts: Vec<String> = (0..1000).map(|i| format!("{round}-{i}\"")).collect();
            let kept: Vec<&str> = texts.iter().map(|text| unescaped.keep(text)).collect();
            for (text, kept) in texts.iter().zip(&kept) {
                assert_eq!(text, kept);
            }
            unescaped.clear();
            assert_eq!(*unescaped.used.get_mut(), 0);
            assert!(unescaped.first.next.get().is_none());
        }
    }
}
