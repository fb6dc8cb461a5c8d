//! Parsing a rule string and deciding whether it goes into the trie or is a regex rule.

use smallvec::SmallVec;

use super::TrailingSlash;
use super::error::BuildError;
use super::segment::{SegmentStart, segment_start};

/// Whether `byte` makes a segment regex syntax rather than literal text (`<` and `>`
/// too, outside a whole `<name>` segment). `.` is deliberately absent: in a literal
/// segment it is a literal dot. All are ASCII, so a byte test is a char test.
fn is_regex_syntax(byte: u8) -> bool {
    matches!(
        byte,
        b'\\'
            | b'^'
            | b'$'
            | b'*'
            | b'+'
            | b'?'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'|'
            | b'<'
            | b'>'
    )
}

/// Powertools' parameter pattern `[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+` (see
/// `segment::param_segment` for the trie's copy), opened before its `\w`: the regex engine's
/// `\w` is ASCII, and [`NON_ASCII_ALPHANUMERIC`] adds what Python's Unicode `\w` (and the
/// trie) accepts beyond it.
pub(super) const PARAM_CLASS_START: &str = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w";

// `NON_ASCII_ALPHANUMERIC`, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/non_ascii_alphanumeric.rs"));

/// One segment of a trie rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleSegment<'r> {
    /// Matches exactly this text.
    Literal(&'r str),
    /// `<name>`: matches one segment of parameter characters.
    Param(&'r str),
}

/// A rule's segments; inline up to a depth no real API exceeds, so parsing does not allocate.
pub(crate) type RuleSegments<'r> = SmallVec<[RuleSegment<'r>; 8]>;

/// A rule, classified.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ParsedRule<'r> {
    /// Only literal and parameter segments: goes into the trie.
    Trie(RuleSegments<'r>),
    /// Anything else: compiled to an anchored regex, Powertools style.
    Regex(RegexSource),
}

/// The regex text of a regex rule.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RegexSource {
    pub(crate) pattern: String,
    /// Whether the rule has `<name>` groups (only then does lookup pay for captures).
    pub(crate) has_params: bool,
}

/// Parses and classifies `rule` under `trailing_slash`.
pub(crate) fn parse_rule(
    rule: &str,
    trailing_slash: TrailingSlash,
) -> Result<ParsedRule<'_>, BuildError> {
    if !rule.starts_with('/') {
        return Err(BuildError::invalid_rule(rule, "a rule must start with `/`"));
    }
    // Most rules have no parameter at all: skip the name checks' splitting then.
    let has_params =
        (has_byte(rule, b'<') || has_byte(rule, b'>')) && !validate_param_names(rule)?.is_empty();
    let body = match trailing_slash {
        TrailingSlash::Ignore => rule.trim_end_matches('/'),
        TrailingSlash::Exact => rule,
    };
    let segments: Option<RuleSegments<'_>> = match segment_start(body, trailing_slash) {
        SegmentStart::Root => Some(SmallVec::new()),
        SegmentStart::Segments(rest) => classify_segments(rest),
        // Unreachable: the rule starts with `/` and `body` keeps it unless it is empty (root).
        SegmentStart::NoMatch => None,
    };
    Ok(match segments {
        Some(segments) => ParsedRule::Trie(segments),
        None => ParsedRule::Regex(regex_source(body, trailing_slash, has_params)),
    })
}

/// The meaning of each `/`-separated segment of `rest`, or `None` when one needs the
/// regex engine. One pass over the bytes both splits and looks for regex syntax.
fn classify_segments(rest: &str) -> Option<RuleSegments<'_>> {
    let mut segments = RuleSegments::new();
    let mut start = 0;
    let mut regex_syntax = false;
    for (index, byte) in rest.bytes().chain([b'/']).enumerate() {
        if byte == b'/' {
            // `/` is ASCII: both ends are char boundaries.
            let segment = rest.get(start..index)?;
            segments.push(classify_segment(segment, regex_syntax)?);
            (start, regex_syntax) = (index + 1, false);
        } else {
            regex_syntax |= is_regex_syntax(byte);
        }
    }
    Some(segments)
}

/// A segment's meaning, or `None` when it needs the regex engine (`regex_syntax`: it
/// holds bytes that are regex syntax, or `<`/`>` of a `<name>`).
fn classify_segment(segment: &str, regex_syntax: bool) -> Option<RuleSegment<'_>> {
    if !regex_syntax {
        return Some(RuleSegment::Literal(segment));
    }
    let name = segment.strip_prefix('<')?.strip_suffix('>')?;
    is_param_name(name).then_some(RuleSegment::Param(name))
}

fn is_param_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `<` and `>` are reserved for `<name>` parameters: every `<` must open a valid,
/// unique name closed by `>`, and no `>` may stand alone. Returns the names.
fn validate_param_names(rule: &str) -> Result<SmallVec<[&str; 8]>, BuildError> {
    let (before_first, mut pieces) = match split_once_ascii(rule, b'<') {
        Some((before, after)) => (before, Some(after)),
        None => (rule, None),
    };
    if has_byte(before_first, b'>') {
        return Err(BuildError::invalid_rule(rule, "`>` without a matching `<`"));
    }
    let mut names: SmallVec<[&str; 8]> = SmallVec::new();
    while let Some(rest) = pieces {
        let piece = match split_once_ascii(rest, b'<') {
            Some((piece, after)) => {
                pieces = Some(after);
                piece
            }
            None => {
                pieces = None;
                rest
            }
        };
        let Some((name, after)) = split_once_ascii(piece, b'>') else {
            return Err(BuildError::invalid_rule(rule, "`<` without a matching `>`"));
        };
        if !is_param_name(name) {
            let reason =
                format!("invalid parameter name `<{name}>` (use one or more of A-Z a-z 0-9 _)");
            return Err(BuildError::invalid_rule(rule, &reason));
        }
        if has_byte(after, b'>') {
            return Err(BuildError::invalid_rule(rule, "`>` without a matching `<`"));
        }
        if names.contains(&name) {
            let reason = format!("parameter `<{name}>` is used twice");
            return Err(BuildError::invalid_rule(rule, &reason));
        }
        names.push(name);
    }
    Ok(names)
}

/// `str::split_once` for an ASCII byte, without the char searcher's set-up (rules are
/// short, and `build()` runs this for every rule at cold start).
fn split_once_ascii(text: &str, byte: u8) -> Option<(&str, &str)> {
    let index = text.bytes().position(|b| b == byte)?;
    // An ASCII byte is a char boundary on both sides.
    Some((text.get(..index)?, text.get(index + 1..)?))
}

fn has_byte(text: &str, byte: u8) -> bool {
    text.bytes().any(|b| b == byte)
}

/// Powertools' compilation: `<name>` becomes a named group, the rest is regex
/// text used verbatim, anchored `^…$` (`^…/*$` when trailing slashes are ignored;
/// `body` is already right-stripped of `/` then).
fn regex_source(body: &str, trailing_slash: TrailingSlash, has_params: bool) -> RegexSource {
    let mut pattern = String::with_capacity(body.len() + 64);
    pattern.push('^');
    let mut pieces = body.split('<');
    pattern.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        // Validated: every piece after a `<` is `name>rest`.
        let (name, rest) = piece.split_once('>').unwrap_or((piece, ""));
        pattern.push_str("(?P<");
        pattern.push_str(name);
        pattern.push('>');
        pattern.push_str(PARAM_CLASS_START);
        pattern.push_str(NON_ASCII_ALPHANUMERIC);
        pattern.push_str("]+)");
        pattern.push_str(rest);
    }
    pattern.push_str(match trailing_slash {
        TrailingSlash::Ignore => "/*$",
        TrailingSlash::Exact => "$",
    });
    RegexSource {
        pattern,
        has_params,
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;
    use RuleSegment::{Literal, Param};

    fn trie(rule: &str, mode: TrailingSlash) -> Vec<RuleSegment<'_>> {
        match parse_rule(rule, mode) {
            Ok(ParsedRule::Trie(segments)) => segments.to_vec(),
            other => panic!("{rule}: {other:?}"),
        }
    }

    #[test]
    fn classifies_segments() {
        let ignore = TrailingSlash::Ignore;
        assert_eq!(trie("/", ignore), []);
        assert_eq!(trie("/", TrailingSlash::Exact), [Literal("")]);
        assert_eq!(
            trie("/a.json/<id>/", ignore),
            [Literal("a.json"), Param("id")]
        );
        assert_eq!(
            trie("/a/", TrailingSlash::Exact),
            [Literal("a"), Literal("")]
        );
        let Ok(ParsedRule::Regex(source)) = parse_rule("/files/<name>.json", ignore) else {
            panic!("not a regex rule");
        };
        let class = format!(r"[-._~()'!*:@,;=+&$%<> \[\]{{}}|^\w{NON_ASCII_ALPHANUMERIC}]+");
        assert_eq!(
            source.pattern,
            format!(r"^/files/(?P<name>{class}).json/*$")
        );
        assert!(source.has_params);
    }

    #[test]
    fn rejects_malformed_rules() {
        for bad in [
            "todos", "", "/a/<>", "/a/<b-c>", "/a/<id", "/a/id>", "/<a>/<a>", "/<a>x>",
        ] {
            assert!(parse_rule(bad, TrailingSlash::Exact).is_err(), "{bad:?}");
        }
    }
}
