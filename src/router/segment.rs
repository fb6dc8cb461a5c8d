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

/// The text a lookup walks for `path`: the path itself from its leading `/` (each
/// segment keeps its `/`), or `""` when it has no segments (the root rule with trailing
/// slashes ignored). `None` when no trie rule can match (no leading `/`).
#[inline]
pub(crate) fn lookup_start(path: &str, trailing_slash: TrailingSlash) -> Option<&str> {
    let path = match trailing_slash {
        TrailingSlash::Ignore => path.trim_end_matches('/'),
        TrailingSlash::Exact => path,
    };
    (path.is_empty() && trailing_slash == TrailingSlash::Ignore || path.starts_with('/'))
        .then_some(path)
}

/// A parameter value at the start of `rest` (`/value[/…]`) and the text after it, if
/// the segment is one or more characters of Powertools' class. Outside ASCII the class
/// is Python's Unicode `\w` (`str.isalnum()` or `_`), which `char::is_alphanumeric`
/// mirrors. One pass finds the segment's end and checks its bytes.
#[inline]
pub(crate) fn param_segment(rest: &str) -> Option<(&str, &str)> {
    // `rest` starts with the ASCII `/`, so index 1 is a char boundary.
    let tail = rest.get(1..)?;
    let mut seen = 0;
    let len = tail
        .bytes()
        .position(|byte| {
            let class = BYTE_CLASS
                .get(usize::from(byte))
                .copied()
                .unwrap_or(NOT_PARAM);
            seen |= class;
            class == SLASH
        })
        .unwrap_or(tail.len());
    if len == 0 || seen & NOT_PARAM != 0 {
        return None;
    }
    // `len` is at an ASCII `/` or the end: a char boundary.
    let (value, after) = (tail.get(..len)?, tail.get(len..)?);
    // Rare: only non-ASCII text pays for UTF-8 decoding.
    let valid = seen & NON_ASCII == 0 || value.chars().all(|c| c.is_ascii() || c.is_alphanumeric());
    valid.then_some((value, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_param_value(value: &str) -> bool {
        param_segment(&format!("/{value}"))
            .is_some_and(|(found, after)| found == value && after.is_empty())
    }

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
    }

    #[test]
    fn lookup_starts_at_the_first_slash() {
        let ignore = TrailingSlash::Ignore;
        let exact = TrailingSlash::Exact;
        assert_eq!(lookup_start("/a/b//", ignore), Some("/a/b"));
        assert_eq!(lookup_start("//", ignore), Some(""));
        assert_eq!(lookup_start("", ignore), Some(""));
        assert_eq!(lookup_start("a/", ignore), None);
        assert_eq!(lookup_start("/", exact), Some("/"));
        assert_eq!(lookup_start("", exact), None);
        assert_eq!(lookup_start("a", exact), None);
    }

    #[test]
    fn param_segments_end_at_a_slash() {
        assert_eq!(param_segment("/a/b/c"), Some(("a", "/b/c")));
        assert_eq!(param_segment("/a/"), Some(("a", "/")));
        assert_eq!(param_segment("/c"), Some(("c", "")));
        assert_eq!(param_segment("/"), None);
        assert_eq!(param_segment("//x"), None);
        assert_eq!(param_segment("/a?b/x"), None);
        assert_eq!(
            param_segment("/abcdefghijklmnopq/r"),
            Some(("abcdefghijklmnopq", "/r"))
        );
        assert_eq!(param_segment("/日本語/x"), Some(("日本語", "/x")));
        assert_eq!(param_segment("/a\u{301}/x"), None);
    }
}
