//! Regex rules: compiled Powertools style, tried after the trie in registration order.

use std::collections::HashMap;

use http::Method;
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{MatchKind, PatternID};

use super::RouteId;
use super::error::BuildError;
use super::params::Params;
use super::rule::RegexSource;

/// A compiled regex rule for one registration.
#[derive(Debug)]
pub(crate) struct RegexRoute {
    pub(crate) id: RouteId,
    pub(crate) methods: Box<[Method]>,
    pub(crate) regex: Regex,
    pub(crate) has_params: bool,
}

impl RegexRoute {
    /// This route's id if it takes `method` and `path`, capturing its named groups.
    pub(crate) fn at<'a>(
        &'a self,
        method: &Method,
        path: &'a str,
        params: &mut Params<'a>,
    ) -> Option<RouteId> {
        if !self.methods.contains(method) {
            return None;
        }
        if !self.has_params {
            return self.regex.is_match(path).then_some(self.id);
        }
        // This path allocates (capture slots); only rules with `<name>` groups take it.
        let mut captures = self.regex.create_captures();
        self.regex.captures(path, &mut captures);
        if !captures.is_match() {
            return None;
        }
        let names = self.regex.group_info().pattern_names(PatternID::ZERO);
        for name in names.flatten() {
            if let Some(value) = captures
                .get_group_by_name(name)
                .and_then(|span| path.get(span.range()))
            {
                params.push(name, value);
            }
        }
        Some(self.id)
    }
}

/// Regex rules collected by the builder.
#[derive(Debug, Default)]
pub(crate) struct RegexRules {
    registered: Vec<PendingRegexRoute>,
    /// Compiled patterns, so a rule registered several times compiles once.
    compiled: HashMap<String, Regex>,
}

#[derive(Debug)]
struct PendingRegexRoute {
    rule: Box<str>,
    pattern: String,
    route: RegexRoute,
}

impl RegexRules {
    /// Compiles and records `rule`; the same pattern for a shared method is a conflict.
    pub(crate) fn insert(
        &mut self,
        rule: &str,
        source: RegexSource,
        methods: &[Method],
        id: RouteId,
    ) -> Result<(), BuildError> {
        for earlier in self
            .registered
            .iter()
            .filter(|earlier| earlier.pattern == source.pattern)
        {
            if let Some(method) = methods.iter().find(|m| earlier.route.methods.contains(m)) {
                return Err(BuildError::conflict(method, rule, &earlier.rule));
            }
        }
        let regex = if let Some(regex) = self.compiled.get(&source.pattern) {
            regex.clone()
        } else {
            let regex = compile_once(rule, &source.pattern, source.has_params)?;
            self.compiled.insert(source.pattern.clone(), regex.clone());
            regex
        };
        self.registered.push(PendingRegexRoute {
            rule: rule.into(),
            pattern: source.pattern,
            route: RegexRoute {
                id,
                methods: methods.into(),
                regex,
                has_params: source.has_params,
            },
        });
        Ok(())
    }

    pub(crate) fn build(self) -> Box<[RegexRoute]> {
        self.registered
            .into_iter()
            .map(|pending| pending.route)
            .collect()
    }
}

/// [`compile`]: an app compiles each of its patterns once.
#[cfg(not(fuzzing))]
fn compile_once(rule: &str, pattern: &str, captures: bool) -> Result<Regex, BuildError> {
    compile(rule, pattern, captures)
}

/// [`compile`], memoized for the whole process, in fuzzing builds only (`--cfg fuzzing`,
/// set by cargo-fuzz). The router fuzz targets build an app per input from a small rule
/// grammar, so the same few patterns come back millions of times, and compiling their
/// Unicode `\w` class again (under coverage instrumentation) was most of those targets'
/// time. Matching is unchanged: a compiled regex is the same whichever app holds it.
/// Patterns memoized at most, in fuzzing builds (a compiled Unicode class is large).
#[cfg(fuzzing)]
const MEMO_CAPACITY: usize = 4096;

#[cfg(fuzzing)]
fn compile_once(rule: &str, pattern: &str, captures: bool) -> Result<Regex, BuildError> {
    use std::sync::{Mutex, OnceLock};
    type Memo = Mutex<HashMap<(String, bool), Regex>>;
    static COMPILED: OnceLock<Memo> = OnceLock::new();
    let memo = COMPILED.get_or_init(Memo::default);
    let key = (pattern.to_owned(), captures);
    if let Some(regex) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(regex);
    }
    let regex = compile(rule, pattern, captures)?;
    if let Ok(mut memo) = memo.lock() {
        // Rules name their parameters, so the grammar yields many distinct patterns over a
        // long run: start over now and then rather than grow without bound.
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(key, regex.clone());
    }
    Ok(regex)
}

/// Compiles `pattern` exactly as `regex::Regex::new` does (same syntax options, match
/// kind and limits, hence the same matches and captures), except for two engines the
/// meta regex would build up front:
///
/// - the full DFA: `tracing-subscriber`'s env filter turns on regex-automata's
///   `dfa-build` feature for the whole binary, and the `regex` crate then builds a
///   dense DFA for every small pattern: about 1.2 M instructions for `^/catch/.+$`,
///   paid at every cold start;
/// - the one-pass DFA when the rule has no `<name>` group (`captures` false): only
///   capture searches use it, and such a rule is only ever asked `is_match`.
///
/// The lazy DFA (built as it is used), the backtracker and the PikeVM stay on.
fn compile(rule: &str, pattern: &str, captures: bool) -> Result<Regex, BuildError> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .dfa(false)
        .onepass(captures);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build(pattern)
        .map_err(|error| BuildError::invalid_regex(rule, &error))
}
