//! Splitting paths into segments and the parameter character set, shared by
//! rule parsing (build time) and lookup (hot path).

use super::TrailingSlash;

/// Where segment matching starts for a path (or a rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SegmentStart<'p> {
    /// The path cannot match any trie rule (it does not start with `/`).
    NoMatch,
    /// The path has no segments: the root rule `/` with trailing slashes ignored.
    Root,
    /// The text after the leading `/`, to be split on `/` (may be empty in exact mode).
    Segments(&'p str),
}

/// Strips the leading `/` (and, when ignored, the trailing ones) without allocating.
#[inline]
pub(crate) fn segment_start(path: &str, trailing_slash: TrailingSlash) -> SegmentStart<'_> {
    let path = match trailing_slash {
        TrailingSlash::Ignore => {
            let trimmed = path.trim_end_matches('/');
            if trimmed.is_empty() {
                return SegmentStart::Root;
            }
            trimmed
        }
        TrailingSlash::Exact => path,
    };
    match path.strip_prefix('/') {
        Some(rest) => SegmentStart::Segments(rest),
        None => SegmentStart::NoMatch,
    }
}

/// The first segment of the rest of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment<'p> {
    pub(crate) text: &'p str,
    /// The text after the `/` that ends the segment; `None` for the last segment.
    pub(crate) after: Option<&'p str>,
}

/// `BYTE_CLASS` flags.
const SLASH: u8 = 1;
const NOT_PARAM: u8 = 2;
const NON_ASCII: u8 = 4;

/// Per byte: `SLASH`, `NOT_PARAM` or `NON_ASCII`, or `0` for an ASCII byte of
/// Powertools' parameter class `[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]`.
const BYTE_CLASS: [u8; 256] = byte_classes(
    b"-._~()'!*:@,;=+&$%<> []{}|^_\
      abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
);

// Evaluated at compile time: an out-of-bounds index would fail the build, not a request.
#[allow(clippy::indexing_slicing)]
const fn byte_classes(param_bytes: &[u8]) -> [u8; 256] {
    let mut classes = [NOT_PARAM; 256];
    let mut byte = 0x80;
    while byte < 256 {
        classes[byte] = NON_ASCII;
        byte += 1;
    }
    let mut rest = param_bytes;
    while let [byte, tail @ ..] = rest {
        classes[*byte as usize] = 0;
        rest = tail;
    }
    classes[b'/' as usize] = SLASH;
    classes
}

/// Splits off the first segment of `rest` (the path after a `/`).
#[inline]
pub(crate) fn next_segment(rest: &str) -> Segment<'_> {
    // `/` is ASCII, so both sides of it are char boundaries.
    match find_slash(rest.as_bytes()).map(|index| (rest.get(..index), rest.get(index + 1..))) {
        Some((Some(text), Some(after))) => Segment {
            text,
            after: Some(after),
        },
        _ => Segment {
            text: rest,
            after: None,
        },
    }
}

/// The index of the first `/`, eight bytes at a time: segments are short, so this
/// beats both a byte loop and `memchr`'s call and dispatch.
#[inline]
fn find_slash(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);
    const SLASHES: u64 = u64::from_le_bytes([b'/'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        // `chunks_exact(8)` only yields eight-byte chunks; the fallback is never used.
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ SLASHES;
        // The classic "has a zero byte" test: the lowest flagged byte is exact.
        let zero_bytes = word.wrapping_sub(ONES) & !word & HIGH_BITS;
        if zero_bytes != 0 {
            return Some(offset + (zero_bytes.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let tail = chunks.remainder().iter().position(|&byte| byte == b'/')?;
    Some(offset + tail)
}

/// Whether `segment` can be the value of a parameter: one or more characters of
/// Powertools' class. Outside ASCII the class is Python's Unicode `\w`
/// (`str.isalnum()` or `_`), which `char::is_alphanumeric` mirrors.
#[inline]
pub(crate) fn is_param_value(segment: &str) -> bool {
    // No early exit: a branch-free OR over short text is cheaper than a branch per byte.
    let seen = segment.bytes().fold(0u8, |seen, byte| {
        seen | BYTE_CLASS
            .get(usize::from(byte))
            .copied()
            .unwrap_or(NOT_PARAM)
    });
    !segment.is_empty()
        && seen & (NOT_PARAM | SLASH) == 0
        // Rare: only non-ASCII text pays for UTF-8 decoding.
        && (seen & NON_ASCII == 0 || segment.chars().all(|c| c.is_ascii() || c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_charset_follows_powertools() {
        for ok in [
            "file.name.json",
            "a=b+c",
            "$price&qty",
            "café-ñandú-日本",
            "50%25off%",
            "<x>",
            "[]{}|^ ",
        ] {
            assert!(is_param_value(ok), "{ok:?}");
        }
        for bad in [
            "", "a\"b", "a#b", "a?b", "a\\b", "a`b", "a\tb", "a\u{7f}b", "a\u{301}",
        ] {
            assert!(!is_param_value(bad), "{bad:?}");
        }
    }

    #[test]
    fn splits_without_allocating() {
        assert_eq!(
            segment_start("/a/b//", TrailingSlash::Ignore),
            SegmentStart::Segments("a/b")
        );
        assert_eq!(
            segment_start("//", TrailingSlash::Ignore),
            SegmentStart::Root
        );
        assert_eq!(segment_start("", TrailingSlash::Ignore), SegmentStart::Root);
        assert_eq!(
            segment_start("/", TrailingSlash::Exact),
            SegmentStart::Segments("")
        );
        assert_eq!(
            segment_start("", TrailingSlash::Exact),
            SegmentStart::NoMatch
        );
        assert_eq!(
            segment_start("a", TrailingSlash::Ignore),
            SegmentStart::NoMatch
        );
        let split = |rest| {
            let segment = next_segment(rest);
            (segment.text, segment.after)
        };
        assert_eq!(split("a/b/c"), ("a", Some("b/c")));
        assert_eq!(split("a/"), ("a", Some("")));
        assert_eq!(split("c"), ("c", None));
        assert_eq!(split(""), ("", None));
        assert_eq!(
            split("abcdefgh/ijklmnopq/r"),
            ("abcdefgh", Some("ijklmnopq/r"))
        );
        assert_eq!(split("abcdefghijklmnopq"), ("abcdefghijklmnopq", None));
        assert_eq!(split("abcdefghijklmn/"), ("abcdefghijklmn", Some("")));
        assert_eq!(split("日本語/x"), ("日本語", Some("x")));
    }
}
