//! Differential test: the trie against a naive oracle that compiles every rule to a
//! Powertools-style regex and picks by our precedence (trie rules by explicitness,
//! segment by segment literal before parameter, falling through on method; then regex
//! rules in registration order).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use http::Method;
use proptest::prelude::*;
use regex::Regex;

use super::builder::TrieBuilder;
use super::{BuildErrorKind, Params, TrailingSlash};

/// Powertools' parameter class with Python's Unicode `\w` as the library reads it:
/// `char::is_alphanumeric` (Unicode Alphabetic or Numeric) or `_`. (The `regex` crate's own
/// `\w` also takes combining marks, which Python's does not.)
const PARAM_CLASS: &str = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^_\p{Alphabetic}\p{N}]+";
const METACHARACTERS: &[char] = &[
    '\\', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '<', '>',
];

/// How the oracle sees a rule, derived independently of `rule.rs`.
#[derive(Debug)]
struct OracleRoute {
    methods: Vec<Method>,
    regex: Regex,
    /// For trie rules, one entry per segment: `None` = parameter, `Some(text)` = literal.
    /// `None` for regex rules.
    shape: Option<Vec<Option<String>>>,
    /// What two rules must share to conflict.
    conflict_key: String,
}

fn param_name(segment: &str) -> Option<&str> {
    let name = segment.strip_prefix('<')?.strip_suffix('>')?;
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

fn oracle_route(rule: &str, methods: &[Method], mode: TrailingSlash) -> OracleRoute {
    let body = match mode {
        TrailingSlash::Ignore => rule.trim_end_matches('/'),
        TrailingSlash::Exact => rule,
    };
    let tail = if mode == TrailingSlash::Ignore {
        "/*$"
    } else {
        "$"
    };
    let segments: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body[1..].split('/').collect()
    };
    let is_trie_rule = segments
        .iter()
        .all(|segment| param_name(segment).is_some() || !segment.contains(METACHARACTERS));
    let mut pattern = String::from("^");
    let shape = if is_trie_rule {
        let mut shape = Vec::new();
        for segment in &segments {
            pattern.push('/');
            match param_name(segment) {
                Some(name) => {
                    pattern.push_str(&format!("(?P<{name}>{PARAM_CLASS})"));
                    shape.push(None);
                }
                None => {
                    pattern.push_str(&regex::escape(segment));
                    shape.push(Some((*segment).to_owned()));
                }
            }
        }
        Some(shape)
    } else {
        let names = Regex::new(r"<(\w+)>").unwrap();
        pattern.push_str(&names.replace_all(body, format!("(?P<$1>{PARAM_CLASS})").as_str()));
        None
    };
    pattern.push_str(tail);
    let conflict_key = match &shape {
        Some(shape) => format!("trie {shape:?}"),
        None => format!("regex {pattern}"),
    };
    OracleRoute {
        methods: methods.to_vec(),
        regex: Regex::new(&pattern).unwrap(),
        shape,
        conflict_key,
    }
}

/// The oracle's answer: route index and params in path order.
fn oracle_at(
    routes: &[OracleRoute],
    method: &Method,
    path: &str,
) -> Option<(usize, Vec<(String, String)>)> {
    let candidates = routes
        .iter()
        .enumerate()
        .filter(|(_, route)| route.methods.contains(method) && route.regex.is_match(path));
    // Most explicit trie rule: literal (`Some`) sorts before parameter (`None`) at the
    // first differing segment, hence the reversed comparison of each segment.
    let best_trie = candidates
        .clone()
        .filter_map(|(index, route)| Some((index, route.shape.as_ref()?)))
        .min_by(|(_, a), (_, b)| {
            let explicitness =
                |shape: &Vec<Option<String>>| shape.iter().map(Option::is_none).collect::<Vec<_>>();
            explicitness(a).cmp(&explicitness(b))
        })
        .map(|(index, _)| index);
    let index = best_trie.or_else(|| {
        candidates
            .clone()
            .find(|(_, r)| r.shape.is_none())
            .map(|(i, _)| i)
    })?;
    let route = &routes[index];
    let captures = route.regex.captures(path).unwrap();
    let params = route
        .regex
        .capture_names()
        .flatten()
        .filter_map(|name| Some((name.to_owned(), captures.name(name)?.as_str().to_owned())))
        .collect();
    Some((index, params))
}

fn rule_strategy() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec![
        "a", "b", "ab", "a.b", "", "<P>", "<P>", "<P>", ".+", "(a|b)", "<P>.b", "[ab]+", "..",
        "%2F", "é", "~x", "a b",
    ]);
    (
        prop::collection::vec(segment, 0..4),
        any::<bool>(),
        prop::sample::select(vec!["x", "y"]),
    )
        .prop_map(|(segments, trailing, prefix)| {
            let mut rule = String::new();
            for (position, segment) in segments.iter().enumerate() {
                rule.push('/');
                rule.push_str(&segment.replace('P', &format!("{prefix}{position}")));
            }
            if trailing || rule.is_empty() {
                rule.push('/');
            }
            rule
        })
}

fn methods_strategy() -> impl Strategy<Value = Vec<Method>> {
    let custom = Method::from_bytes(b"CUSTOM").unwrap();
    prop::sample::subsequence(
        vec![Method::GET, Method::POST, Method::DELETE, custom],
        1..=3,
    )
}

fn path_strategy() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec![
        "a", "b", "ab", "a.b", "aXb", "", "é", "日", "%", "a b", "?", "#", "ba", "..", "%2F",
        "\u{301}", "€", "٣", "a%2Fb", "~x", "\\", "\"", "x\0", "\t", "a\r\nb",
    ]);
    let ending = prop::sample::select(vec!["", "", "/", "//"]);
    (prop::collection::vec(segment, 0..5), ending, any::<bool>()).prop_map(
        |(segments, ending, slash)| {
            let joined = segments.join("/");
            let lead = if slash || joined.is_empty() { "/" } else { "" };
            format!("{lead}{joined}{ending}")
        },
    )
}

fn check(
    mode: TrailingSlash,
    routes: &[(String, Vec<Method>)],
    requests: &[(Method, String)],
) -> Result<(), TestCaseError> {
    let oracle: Vec<OracleRoute> = routes
        .iter()
        .map(|(rule, methods)| oracle_route(rule, methods, mode))
        .collect();
    let first_conflict = (0..oracle.len()).find(|&later| {
        oracle[..later].iter().any(|earlier| {
            earlier.conflict_key == oracle[later].conflict_key
                && earlier
                    .methods
                    .iter()
                    .any(|m| oracle[later].methods.contains(m))
        })
    });
    let mut builder = TrieBuilder::new(mode);
    for (id, (rule, methods)) in routes.iter().enumerate() {
        let _ = builder.insert(rule, methods, id);
    }
    let trie = match (builder.build(), first_conflict) {
        (Err(error), Some(later)) => {
            prop_assert_eq!(error.kind(), BuildErrorKind::Conflict);
            prop_assert_eq!(error.rule(), Some(routes[later].0.as_str()));
            return Ok(());
        }
        (Ok(trie), None) => trie,
        (Err(error), None) => {
            return Err(TestCaseError::fail(format!("unexpected error: {error}")));
        }
        (Ok(_), Some(later)) => {
            return Err(TestCaseError::fail(format!("missed conflict at {later}")));
        }
    };
    let mut params = Params::default();
    for (method, path) in requests {
        let found = trie.at(method, path, &mut params);
        let ours = found.map(|id| {
            (
                id,
                params
                    .iter()
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect(),
            )
        });
        prop_assert_eq!(
            ours,
            oracle_at(&oracle, method, path),
            "{} {:?}",
            method,
            path
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn trie_agrees_with_the_regex_oracle(
        ignore in any::<bool>(),
        routes in prop::collection::vec((rule_strategy(), methods_strategy()), 1..8),
        requests in prop::collection::vec(
            (prop::sample::select(vec![Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::from_bytes(b"CUSTOM").unwrap()]), path_strategy()),
            1..24,
        ),
    ) {
        let mode = if ignore { TrailingSlash::Ignore } else { TrailingSlash::Exact };
        check(mode, &routes, &requests)?;
    }
}
