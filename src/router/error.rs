//! Why a rule set failed to build.

use std::fmt;

/// What went wrong while building the route table.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildErrorKind {
    /// Two routes share a method and a shape (or the same regex rule text).
    Conflict,
    /// A rule is malformed: no leading `/`, a bad or repeated parameter name, no methods.
    InvalidRule,
    /// A regex rule does not compile.
    InvalidRegex,
    /// An app configuration error that is not about one rule.
    Config,
}

/// A rule set that failed to build.
///
/// The message names the rule (and, for conflicts, both rules and the method),
/// lowercase and without a trailing period. Its `{:?}` is that message too (what
/// `fn main() -> Result<(), BuildError>` prints); `{:#?}` shows the fields.
#[derive(Clone)]
pub struct BuildError {
    kind: BuildErrorKind,
    message: String,
    rule: Option<Box<str>>,
    conflicting_rule: Option<Box<str>>,
}

impl BuildError {
    /// An app configuration error that is not about one rule.
    #[cold]
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self {
            kind: BuildErrorKind::Config,
            message: message.into(),
            rule: None,
            conflicting_rule: None,
        }
    }

    /// `rule` is malformed; `reason` says how.
    #[cold]
    pub(crate) fn invalid_rule(rule: &str, reason: &str) -> Self {
        Self {
            kind: BuildErrorKind::InvalidRule,
            message: format!("invalid route `{rule}`: {reason}"),
            rule: Some(rule.into()),
            conflicting_rule: None,
        }
    }

    /// The regex compiled from `rule` was rejected by the regex engine.
    #[cold]
    pub(crate) fn invalid_regex(rule: &str, error: &regex_lite::Error) -> Self {
        Self {
            kind: BuildErrorKind::InvalidRegex,
            message: format!("invalid regex in route `{rule}`: {error}"),
            rule: Some(rule.into()),
            conflicting_rule: None,
        }
    }

    /// `rule` duplicates `earlier_rule` for `method`.
    #[cold]
    pub(crate) fn conflict(method: &http::Method, rule: &str, earlier_rule: &str) -> Self {
        Self {
            kind: BuildErrorKind::Conflict,
            message: format!(
                "route `{method} {rule}` conflicts with `{method} {earlier_rule}` registered earlier"
            ),
            rule: Some(rule.into()),
            conflicting_rule: Some(earlier_rule.into()),
        }
    }

    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }

    /// The rule being registered when the error was found, as written.
    #[must_use]
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// For [`BuildErrorKind::Conflict`]: the rule registered earlier that clashes with [`Self::rule`].
    #[must_use]
    pub fn conflicting_rule(&self) -> Option<&str> {
        self.conflicting_rule.as_deref()
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !f.alternate() {
            return fmt::Display::fmt(self, f);
        }
        f.debug_struct("BuildError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("rule", &self.rule)
            .field("conflicting_rule", &self.conflicting_rule)
            .finish()
    }
}

impl std::error::Error for BuildError {}
