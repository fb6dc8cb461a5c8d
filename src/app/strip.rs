//! `strip_prefixes`: custom-domain base paths removed before routing (Powertools §3.6).

use bumpalo::Bump;
use regex::Regex;

/// A prefix to remove from request paths before routing: a literal path prefix or a
/// regex whose every match is deleted.
#[derive(Debug, Clone)]
pub enum StripPrefix {
    /// Removed when the path equals it (the path becomes `/`) or starts with it followed
    /// by `/`; the first literal that applies ends stripping.
    Literal(String),
    /// Every match anywhere in the path is deleted, then stripping goes on with the next
    /// entry (Powertools' `re.sub`).
    Regex(Regex),
}

impl From<&str> for StripPrefix {
    fn from(prefix: &str) -> Self {
        StripPrefix::Literal(prefix.to_owned())
    }
}

impl From<String> for StripPrefix {
    fn from(prefix: String) -> Self {
        StripPrefix::Literal(prefix)
    }
}

impl From<Regex> for StripPrefix {
    fn from(prefix: Regex) -> Self {
        StripPrefix::Regex(prefix)
    }
}

/// Applies `prefixes` in order to `path`; a rewritten path is copied into the arena.
pub(crate) fn strip<'a>(prefixes: &[StripPrefix], mut path: &'a str, arena: &'a Bump) -> &'a str {
    for prefix in prefixes {
        match prefix {
            StripPrefix::Literal(literal) => {
                if literal.is_empty() {
                    continue;
                }
                if path == literal {
                    return "/";
                }
                if let Some(rest) = path.strip_prefix(literal.as_str()) {
                    if rest.starts_with('/') {
                        return rest;
                    }
                }
            }
            StripPrefix::Regex(regex) => {
                if let std::borrow::Cow::Owned(rewritten) = regex.replace_all(path, "") {
                    path = arena.alloc_str(&rewritten);
                }
                if path.is_empty() {
                    return "/";
                }
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(prefixes: &[StripPrefix], path: &str) -> String {
        let arena = Bump::new();
        strip(prefixes, path, &arena).to_owned()
    }

    #[test]
    fn literal_prefixes_follow_powertools() {
        let p: Vec<StripPrefix> = vec!["/v1".into(), "/api/v2".into()];
        let cases = [
            ("/v1/todos/special", "/todos/special"),
            ("/v1", "/"),
            ("/api/v2/users/bob", "/users/bob"),
            ("/v1x/todos", "/v1x/todos"),
            ("/todos", "/todos"),
            ("/api/v2", "/"),
        ];
        for (path, expected) in cases {
            assert_eq!(run(&p, path), expected, "{path}");
        }
    }

    #[test]
    fn only_the_first_literal_that_applies_is_removed() {
        let p: Vec<StripPrefix> = vec!["/a".into(), "/b".into()];
        assert_eq!(run(&p, "/a/b/c"), "/b/c");
    }

    #[test]
    fn regex_prefixes_delete_every_match_and_go_on() {
        let p = vec![
            StripPrefix::Regex(Regex::new("/(dev|stg)").unwrap()),
            "/api".into(),
        ];
        assert_eq!(run(&p, "/dev/api/x"), "/x");
        assert_eq!(run(&p, "/foo/dev"), "/foo");
        assert_eq!(run(&p, "/dev"), "/");
    }
}
