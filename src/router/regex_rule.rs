//! Regex rules: compiled Powertools style, tried after the trie in registration order.

use std::collections::HashMap;

use http::Method;
use regex::Regex;

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
        if !self.methods.contains(method) || !self.regex.is_match(path) {
            return None;
        }
        if self.has_params {
            // This path allocates (capture slots); only rules with `<name>` groups take it.
            let captures = self.regex.captures(path)?;
            for name in self.regex.capture_names().flatten() {
                if let Some(value) = captures.name(name) {
                    params.push(name, value.as_str());
                }
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
            let regex = Regex::new(&source.pattern)
                .map_err(|error| BuildError::invalid_regex(rule, &error))?;
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
