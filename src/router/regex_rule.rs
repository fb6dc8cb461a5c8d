//! Regex rules: compiled Powertools style, tried after the trie in registration order.

use std::collections::HashMap;

use http::Method;
use regex_lite::{Regex, RegexBuilder};

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
        let captures = self.regex.captures(path)?;
        for (name, group) in self.regex.capture_names().zip(captures.iter()) {
            if let (Some(name), Some(group)) = (name, group) {
                params.push(name, group.as_str());
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
            let regex = compile_once(rule, &source.pattern)?;
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
fn compile_once(rule: &str, pattern: &str) -> Result<Regex, BuildError> {
    compile(rule, pattern)
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
fn compile_once(rule: &str, pattern: &str) -> Result<Regex, BuildError> {
    use std::sync::{Mutex, OnceLock};
    type Memo = Mutex<HashMap<String, Regex>>;
    static COMPILED: OnceLock<Memo> = OnceLock::new();
    let memo = COMPILED.get_or_init(Memo::default);
    if let Some(regex) = memo.lock().ok().and_then(|m| m.get(pattern).cloned()) {
        return Ok(regex);
    }
    let regex = compile(rule, pattern)?;
    if let Ok(mut memo) = memo.lock() {
        // Rules name their parameters, so the grammar yields many distinct patterns over a
        // long run: start over now and then rather than grow without bound.
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(pattern.to_owned(), regex.clone());
    }
    Ok(regex)
}

/// Compiles `pattern` with `regex-lite`: the regex syntax of the `regex` crate, matched
/// leftmost-first on whole characters, without Unicode tables (`\w`, `\d`, `\s`, `\b` and
/// `(?i)` are ASCII; `\p{..}` is not supported) and without the `regex` crate's engines and
/// literal optimisations. Regex rules are few and tried after the trie; compiled in, the
/// full engine and its Unicode tables weighed about 1.6 MB in every binary, used or not
/// (perf/RESULTS.md). Parameters keep Python's Unicode `\w` through the class that
/// `rule::regex_source` spells out.
fn compile(rule: &str, pattern: &str) -> Result<Regex, BuildError> {
    RegexBuilder::new(pattern)
        .build()
        .map_err(|error| BuildError::invalid_regex(rule, &error))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::compile;
    use crate::router::rule::{NON_ASCII_ALPHANUMERIC, PARAM_CLASS_START};
    use crate::router::segment::param_segment;

    /// The class a regex rule gives a parameter accepts exactly the characters a trie
    /// parameter accepts: every non-ASCII character up to U+3000 (the dense scripts) and
    /// one in 61 beyond, plus all of ASCII.
    #[test]
    fn regex_parameters_accept_what_trie_parameters_accept() {
        let pattern = format!("^{PARAM_CLASS_START}{NON_ASCII_ALPHANUMERIC}]+$");
        let regex = compile("/<p>", &pattern).expect("the parameter class compiles");
        let sample = ('\0'..'\u{3000}').chain(('\u{3000}'..=char::MAX).step_by(61));
        for c in sample.filter(|&c| c != '/') {
            let value = c.to_string();
            let trie = param_segment(&format!("/{value}")).is_some();
            assert_eq!(
                regex.is_match(&value),
                trie,
                "{c:?} (U+{:04X})",
                u32::from(c)
            );
        }
    }
}
