//! The literal keys of a trie node: found by first byte, compared without a
//! `memcmp` call in the common case.

/// How many leading bytes are packed into [`LiteralKey::head`].
const HEAD_BYTES: usize = 8;

/// A literal segment with its first bytes packed into a `u64`: most keys are
/// short, so one integer and one length comparison decide equality.
#[derive(Debug)]
struct LiteralKey {
    head: u64,
    text: Box<str>,
}

/// The first (up to) eight bytes of `text`, little-endian, zero-padded
/// (the length comparison tells `"a"` from `"a\0"`).
#[inline]
fn head_of(text: &str) -> u64 {
    text.bytes()
        .take(HEAD_BYTES)
        .enumerate()
        .fold(0, |head, (index, byte)| {
            head | (u64::from(byte) << (8 * index))
        })
}

/// The byte that groups literal keys in a node; `0` for the empty segment,
/// shared with keys starting with NUL, which [`LiteralKey::matches`] tells apart.
#[inline]
fn first_byte(text: &str) -> u8 {
    text.as_bytes().first().copied().unwrap_or(0)
}

impl LiteralKey {
    fn new(text: Box<str>) -> Self {
        Self {
            head: head_of(&text),
            text,
        }
    }

    /// Whether `segment` (whose [`head_of`] is `segment_head`) equals this key.
    #[inline]
    fn matches(&self, segment: &str, segment_head: u64) -> bool {
        self.head == segment_head
            && self.text.len() == segment.len()
            && (segment.len() <= HEAD_BYTES
                || self.text.as_bytes().get(HEAD_BYTES..) == segment.as_bytes().get(HEAD_BYTES..))
    }
}

/// Above this many keys a node gets a first-byte index instead of a scan.
const INDEXED_FAN_OUT: usize = 8;

/// The literal keys of one node, sorted bytewise so keys sharing a first byte
/// are adjacent. Position `i` names the node's `i`-th literal child.
#[derive(Debug, Default)]
pub(crate) struct LiteralKeys {
    keys: Box<[LiteralKey]>,
    /// `first_byte` of each key, scanned when the fan-out is small.
    first_bytes: Box<[u8]>,
    /// For a large fan-out: first byte → position of the first key with it
    /// (`u16::MAX`: none), so the root of a big API costs one load, not a scan.
    index: Option<Box<[u16; 256]>>,
}

impl LiteralKeys {
    /// `sorted_keys` must be in bytewise order (as a `BTreeMap` yields them).
    pub(crate) fn new(sorted_keys: Vec<Box<str>>) -> Self {
        let first_bytes: Box<[u8]> = sorted_keys.iter().map(|key| first_byte(key)).collect();
        let index = (first_bytes.len() > INDEXED_FAN_OUT
            && first_bytes.len() < usize::from(u16::MAX))
        .then(|| {
            let mut index = Box::new([u16::MAX; 256]);
            // Reversed, so the first key of each run of equal first bytes wins.
            for (position, byte) in first_bytes.iter().enumerate().rev() {
                if let (Some(slot), Ok(position)) =
                    (index.get_mut(usize::from(*byte)), u16::try_from(position))
                {
                    *slot = position;
                }
            }
            index
        });
        Self {
            keys: sorted_keys.into_iter().map(LiteralKey::new).collect(),
            first_bytes,
            index,
        }
    }

    /// The position of the key equal to `segment`.
    #[inline]
    pub(crate) fn find(&self, segment: &str) -> Option<usize> {
        let first = first_byte(segment);
        let start = match &self.index {
            Some(index) => match index.get(usize::from(first)).copied() {
                Some(u16::MAX) | None => return None,
                Some(start) => usize::from(start),
            },
            None => self.first_bytes.iter().position(|&byte| byte == first)?,
        };
        let same_first_byte = self
            .first_bytes
            .get(start..)?
            .iter()
            .take_while(|&&byte| byte == first);
        let segment_head = head_of(segment);
        let offset = self
            .keys
            .get(start..)?
            .iter()
            .zip(same_first_byte)
            .position(|(key, _)| key.matches(segment, segment_head))?;
        Some(start + offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_whole_text() {
        let cases = [
            "",
            "a",
            "a\0",
            "\0",
            "abcdefgh",
            "abcdefghi",
            "abcdefghj",
            "日本",
        ];
        for key in cases {
            for segment in cases {
                let literal = LiteralKey::new(key.into());
                assert_eq!(
                    literal.matches(segment, head_of(segment)),
                    key == segment,
                    "{key:?} {segment:?}"
                );
            }
        }
    }
}

#[cfg(test)]
mod keys_tests {
    use super::*;

    #[test]
    fn finds_keys_with_and_without_an_index() {
        for count in [0, 3, INDEXED_FAN_OUT, INDEXED_FAN_OUT + 1, 40] {
            let mut texts: Vec<String> = (0..count).map(|i| format!("k{i}")).collect();
            texts.extend(["".into(), "a".into(), "ab".into(), "\0".into()]);
            texts.sort();
            let keys = LiteralKeys::new(texts.iter().map(|text| text.as_str().into()).collect());
            for (position, text) in texts.iter().enumerate() {
                assert_eq!(keys.find(text), Some(position), "{text:?} among {count}");
            }
            for missing in ["b", "k", "abc", "zz", "\u{1}"] {
                assert_eq!(keys.find(missing), None, "{missing:?} among {count}");
            }
        }
    }
}
