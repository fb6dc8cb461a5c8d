//! A literal edge of the trie: one or more whole segments, each with its leading `/`,
//! compared against the rest of the path without splitting it first.
//!
//! A chain of nodes that each have a single literal child and nothing else is one edge
//! (`/notifications/threads` rather than two), so a lookup compares it at once.

/// The widest key compared by [`probe`] alone; longer keys also compare their middle.
const PROBE_BYTES: usize = 16;

/// Two words that, for a known length of at most [`PROBE_BYTES`], decide whether two
/// byte strings are equal: the first and last eight (or four) bytes, which overlap for
/// short text, or bytes 0, n/2 and n-1 for one to three bytes. Loads, not a loop.
#[inline]
fn probe(bytes: &[u8]) -> (u64, u64) {
    let len = bytes.len();
    if len >= 8 {
        (load::<8>(bytes, 0), load::<8>(bytes, len - 8))
    } else if len >= 4 {
        (load::<4>(bytes, 0), load::<4>(bytes, len - 4))
    } else {
        let at = |index: usize| u64::from(bytes.get(index).copied().unwrap_or(0));
        (at(0) | at(len / 2) << 8 | at(len.wrapping_sub(1)) << 16, 0)
    }
}

/// `N` (4 or 8) bytes of `bytes` from `start`, little-endian; callers keep them in range.
#[inline]
fn load<const N: usize>(bytes: &[u8], start: usize) -> u64 {
    let mut word = [0; 8];
    if let (Some(to), Some(from)) = (word.get_mut(..N), bytes.get(start..start + N)) {
        to.copy_from_slice(from);
    }
    u64::from_le_bytes(word)
}

/// The byte that groups a node's edges: the first byte of the segment after the `/`,
/// or `/` itself for an empty segment (`/` or the end of the path follows), which no
/// non-empty segment can start with.
#[inline]
pub(crate) fn dispatch_byte(rest: &[u8]) -> u8 {
    rest.get(1).copied().unwrap_or(b'/')
}

/// 32 bytes (lengths and indices as `u32`), so a node's edges scan in fewer cache lines.
/// A key or key text past 4 GiB saturates to `u32::MAX` and then simply never matches.
#[derive(Debug, Clone)]
pub(crate) struct LiteralEdge {
    probe: (u64, u64),
    len: u32,
    /// Where the key's text starts in the trie's key text (read only for long keys).
    text_start: u32,
    /// The node this edge leads to.
    child: u32,
    pub(crate) dispatch: u8,
}

/// `value` as `u32`, saturated (see [`LiteralEdge`]).
fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl LiteralEdge {
    /// An edge for `key` (`/segment[/segment…]`), whose text is at `text_start` of the
    /// key text the lookup passes to [`LiteralEdge::follow`].
    pub(crate) fn new(key: &str, text_start: usize, child: usize) -> Self {
        Self {
            probe: probe(key.as_bytes()),
            len: saturate(key.len()),
            text_start: saturate(text_start),
            child: saturate(child),
            dispatch: dispatch_byte(key.as_bytes()),
        }
    }

    /// The node this edge leads to.
    #[inline]
    pub(crate) fn child(&self) -> usize {
        self.child as usize
    }

    pub(crate) fn set_child(&mut self, child: usize) {
        self.child = saturate(child);
    }

    /// The rest of the path after this edge (empty at the end of the path), if `rest`
    /// starts with the key followed by a segment boundary.
    #[inline]
    pub(crate) fn follow<'p>(&self, rest: &'p str, key_text: &str) -> Option<&'p str> {
        let bytes = rest.as_bytes();
        let len = self.len as usize;
        let candidate = bytes.get(..len)?;
        if probe(candidate) != self.probe {
            return None;
        }
        if len > PROBE_BYTES {
            let middle = PROBE_BYTES / 2..len - PROBE_BYTES / 2;
            let key_start = self.text_start as usize;
            let key = key_text.as_bytes().get(key_start..)?.get(middle.clone());
            if candidate.get(middle) != key {
                return None;
            }
        }
        match bytes.get(len) {
            // Both sides of an ASCII `/` (or the end) are char boundaries.
            None | Some(b'/') => rest.get(len..),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_whole_segments_only() {
        let keys = [
            "/",
            "/a",
            "/ab",
            "/abc",
            "/abcd",
            "/a/b",
            "/abcdefg",
            "/abcdefgh",
            "/abcdefghijklmno",
            "/abcdefghijklmnop",
            "/abcdefghijklmnopqrstuvwxyz",
            "/abcdefghijklmnopqrstuvwxyZ",
            "/日本",
            "//x",
        ];
        let rests = [
            "",
            "/",
            "//",
            "/a",
            "/a/",
            "/a/b",
            "/ab/c",
            "/abc",
            "/abd",
            "/abcd/",
            "/abcdefgh",
            "/abcdefgh/1",
            "/abcdefgi",
            "/abcdefghijklmnop",
            "/abcdefghijklmnopqrstuvwxyz/",
            "/abcdefghijklmnopqrstuvwxyZ",
            "/abcdefghijklmnopqrstuvwxzz",
            "/日本/x",
            "/日",
            "//x",
            "//x/",
            "/a\0",
        ];
        for key in keys {
            let text = format!("..{key}");
            let edge = LiteralEdge::new(key, 2, 0);
            for rest in rests {
                let expected = rest
                    .strip_prefix(key)
                    .filter(|after| after.is_empty() || after.starts_with('/'));
                assert_eq!(edge.follow(rest, &text), expected, "{key:?} {rest:?}");
            }
        }
    }

    #[test]
    fn dispatches_empty_segments_on_slash() {
        assert_eq!(dispatch_byte(b"/"), b'/');
        assert_eq!(dispatch_byte(b""), b'/');
        assert_eq!(dispatch_byte(b"//a"), b'/');
        assert_eq!(dispatch_byte(b"/a"), b'a');
    }
}
