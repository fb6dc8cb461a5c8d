//! Parsing a rule string and deciding whether it goes into the trie or is a regex rule.

use smallvec::SmallVec;

use super::TrailingSlash;
use super::error::BuildError;
use super::segment::{SegmentStart, segment_start};

/// Characters that make a segment regex syntax rather than literal text.
/// `.` is deliberately absent: in a literal segment it is a literal dot.
const REGEX_METACHARACTERS: &[char] = &[
    '\\', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|',
];

/// Powertools' parameter pattern, verbatim (see `segment::is_param_value` for the trie's copy).
const PARAM_CLASS: &str = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+";

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
    let param_names = validate_param_names(rule)?;
    let body = match trailing_slash {
        TrailingSlash::Ignore => rule.trim_end_matches('/'),
        TrailingSlash::Exact => rule,
    };
    let segments: Option<RuleSegments<'_>> = match segment_start(body, trailing_slash) {
        SegmentStart::Root => Some(SmallVec::new()),
        SegmentStart::Segments(rest) => rest.split('/').map(classify_segment).collect(),
        // Unreachable: the rule starts with `/` and `body` keeps it unless it is empty (root).
        SegmentStart::NoMatch => None,
    };
    Ok(match segments {
        Some(segments) => ParsedRule::Trie(segments),
        None => ParsedRule::Regex(regex_source(body, trailing_slash, !param_names.is_empty())),
    })
}

/// A segment's meaning, or `None` when it needs the regex engine.
fn classify_segment(segment: &str) -> Option<RuleSegment<'_>> {
    if let Some(name) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        if is_param_name(name) {
            return Some(RuleSegment::Param(name));
        }
    }
    let needs_regex = segment.contains(REGEX_METACHARACTERS) || segment.contains(['<', '>']);
    (!needs_regex).then_some(RuleSegment::Literal(segment))
}

fn is_param_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `<` and `>` are reserved for `<name>` parameters: every `<` must open a valid,
/// unique name closed by `>`, and no `>` may stand alone. Returns the names.
fn validate_param_names(rule: &str) -> Result<SmallVec<[&str; 8]>, BuildError> {
    let mut pieces = rule.split('<');
    let before_first = pieces.next().unwrap_or_default();
    if before_first.contains('>') {
        return Err(BuildError::invalid_rule(rule, "`>` without a matching `<`"));
    }
    let mut names: SmallVec<[&str; 8]> = SmallVec::new();
    for piece in pieces {
        let Some((name, after)) = piece.split_once('>') else {
            return Err(BuildError::invalid_rule(rule, "`<` without a matching `>`"));
        };
        if !is_param_name(name) {
            let reason =
                format!("invalid parameter name `<{name}>` (use one or more of A-Z a-z 0-9 _)");
            return Err(BuildError::invalid_rule(rule, &reason));
        }
        if after.contains('>') {
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
        pattern.push_str(PARAM_CLASS);
        pattern.push(')');
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
        assert_eq!(
            source.pattern,
            r"^/files/(?P<name>[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+).json/*$"
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
