//! The router against a naive reference matcher: routes from a small grammar (literals,
//! `<param>`s, regex rules, several methods), requests with paths from that grammar and
//! from the fuzz input; the app (REST: trailing slashes ignored, HTTP API: exact) must
//! pick the same route with the same parameters, and report a conflict exactly when the
//! reference sees one.
//!
//! The reference matches trie rules segment by segment from the documented rules
//! (`src/docs/routing.md`), and regex rules with a Powertools-style regex.
#![no_main]

use std::sync::OnceLock;

use fuzz_support::{Bytes, check_envelope};
use lambda_router::{App, BuildErrorKind, LambdaContext, Method, Request, Response, Scratch};
use libfuzzer_sys::fuzz_target;
use regex::Regex;
use serde_json::{Value, json};

const RULE_SEGMENTS: &[&str] = &[
    "a", "b", "ab", "a.b", "", "<P>", "<P>", "<P>", ".+", "(a|b)", "<P>.b", "[ab]+", "é", "..",
    "%2F", "~x",
];
const PATH_SEGMENTS: &[&str] = &[
    "a", "b", "ab", "a.b", "aXb", "", "é", "日", "%", "a b", "?", "#", "ba", "..", "%2F", "~x",
    "a%2Fb", "\\", "\"", "\u{301}", "x\u{0}", "\t",
];
const METHODS: &[&str] = &["GET", "POST", "CUSTOM", "PUT"];
/// Powertools' parameter class with Python's Unicode `\w` as the library reads it:
/// `char::is_alphanumeric` (Unicode Alphabetic or Numeric) or `_`. (The `regex` crate's own
/// `\w` also takes combining marks, which Python's does not.)
const PARAM_CLASS: &str = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^_\p{Alphabetic}\p{N}]+";

#[derive(Debug)]
enum Shape {
    /// One entry per segment: `None` = parameter (with its name), `Some` = literal.
    Trie(Vec<(Option<String>, String)>),
    /// The compiled pattern with its groups named `g0`, `g1`… (so that rules differing
    /// only in parameter names share one compiled regex), and the real names in order.
    Regex(Regex, Vec<String>),
}

#[derive(Debug)]
struct Rule {
    text: String,
    methods: Vec<Method>,
    shape: Shape,
    key: String,
}

fn param_name(segment: &str) -> Option<&str> {
    let name = segment.strip_prefix('<')?.strip_suffix('>')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

fn reference_rule(text: String, methods: Vec<Method>, ignore: bool) -> Rule {
    let body = if ignore {
        text.trim_end_matches('/')
    } else {
        &text
    };
    let segments: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body[1..].split('/').collect()
    };
    const META: &[char] = &[
        '\\', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '<', '>',
    ];
    let trie = segments
        .iter()
        .all(|s| param_name(s).is_some() || !s.contains(META));
    let (shape, key) = if trie {
        let shape: Vec<(Option<String>, String)> = segments
            .iter()
            .map(|s| match param_name(s) {
                Some(name) => (None, name.to_owned()),
                None => (Some((*s).to_owned()), String::new()),
            })
            .collect();
        let key = format!("{:?}", shape.iter().map(|(l, _)| l).collect::<Vec<_>>());
        (Shape::Trie(shape), key)
    } else {
        static NAMES: OnceLock<Regex> = OnceLock::new();
        let names = NAMES.get_or_init(|| Regex::new(r"<(\w+)>").expect("regex"));
        let end = if ignore { "/*$" } else { "$" };
        let named = names.replace_all(body, format!("(?P<$1>{PARAM_CLASS})").as_str());
        // The real pattern is what two rules must share to conflict.
        let key = format!("^{named}{end}");
        let mut group = 0;
        let canonical = names.replace_all(body, |_: &regex::Captures<'_>| {
            group += 1;
            format!("(?P<g{}>{PARAM_CLASS})", group - 1)
        });
        let param_names = names.captures_iter(body).map(|c| c[1].to_owned()).collect();
        let regex = cached_regex(&format!("^{canonical}{end}"));
        (Shape::Regex(regex, param_names), key)
    };
    Rule {
        text,
        methods,
        shape,
        key,
    }
}

/// Compiled reference regexes, by pattern (the grammar yields few distinct ones).
fn cached_regex(pattern: &str) -> Regex {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        cache
            .borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).expect("grammar regex"))
            .clone()
    })
}

fn in_param_class(c: char) -> bool {
    "-._~()'!*:@,;=+&$%<> []{}|^_".contains(c) || c.is_alphanumeric()
}

/// The trie rule's params if it matches `path`.
fn trie_match(
    shape: &[(Option<String>, String)],
    path: &str,
    ignore: bool,
) -> Option<Vec<(String, String)>> {
    if !(path.starts_with('/') || (ignore && path.is_empty())) {
        return None;
    }
    let body = if ignore {
        path.trim_end_matches('/')
    } else {
        path
    };
    let segments: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body[1..].split('/').collect()
    };
    if segments.len() != shape.len() {
        return None;
    }
    let mut params = Vec::new();
    for ((literal, name), segment) in shape.iter().zip(&segments) {
        match literal {
            Some(text) if text == segment => {}
            Some(_) => return None,
            None if !segment.is_empty() && segment.chars().all(in_param_class) => {
                params.push((name.clone(), (*segment).to_owned()));
            }
            None => return None,
        }
    }
    Some(params)
}

fn reference_at(
    rules: &[Rule],
    method: &Method,
    path: &str,
    ignore: bool,
) -> Option<(usize, Vec<(String, String)>)> {
    type Candidate = (usize, Vec<bool>, Vec<(String, String)>);
    let mut best: Option<Candidate> = None;
    for (index, rule) in rules.iter().enumerate() {
        let Shape::Trie(shape) = &rule.shape else {
            continue;
        };
        if !rule.methods.contains(method) {
            continue;
        }
        if let Some(params) = trie_match(shape, path, ignore) {
            let rank: Vec<bool> = shape.iter().map(|(l, _)| l.is_none()).collect();
            if best.as_ref().is_none_or(|(_, r, _)| rank < *r) {
                best = Some((index, rank, params));
            }
        }
    }
    if let Some((index, _, params)) = best {
        return Some((index, params));
    }
    rules.iter().enumerate().find_map(|(index, rule)| {
        let Shape::Regex(regex, names) = &rule.shape else {
            return None;
        };
        if !rule.methods.contains(method) {
            return None;
        }
        let captures = regex.captures(path)?;
        let params = names
            .iter()
            .enumerate()
            .filter_map(|(k, n)| {
                Some((
                    n.clone(),
                    captures.name(&format!("g{k}"))?.as_str().to_owned(),
                ))
            })
            .collect();
        Some((index, params))
    })
}

fn echo(index: usize) -> impl Fn(&Request<'_>) -> Response + Send + Sync + 'static {
    move |req: &Request<'_>| {
        let params: Vec<Value> = req.params().iter().map(|(n, v)| json!([n, v])).collect();
        Response::text(200, json!([index, params]).to_string())
    }
}

fn methods() -> &'static [Method] {
    static M: OnceLock<Vec<Method>> = OnceLock::new();
    M.get_or_init(|| {
        METHODS
            .iter()
            .map(|m| Method::from_bytes(m.as_bytes()).expect("m"))
            .collect()
    })
}

fn path(input: &mut Bytes<'_>) -> String {
    let count = input.byte() % 6;
    let mut path = String::new();
    if input.byte() % 8 != 0 {
        path.push('/');
    }
    for i in 0..count {
        if i > 0 {
            path.push('/');
        }
        let pick = input.byte();
        if pick == 0xff {
            let len = usize::from(input.byte() % 6);
            path.push_str(&input.text(len));
        } else {
            path.push_str(PATH_SEGMENTS[usize::from(pick) % PATH_SEGMENTS.len()]);
        }
    }
    path.push_str(["", "", "/", "//"][usize::from(input.byte() % 4)]);
    path
}

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let ignore = input.byte() % 2 == 0;
    let count = 1 + input.byte() % 8;
    let mut rules = Vec::new();
    for r in 0..count {
        let segments = input.byte() % 4;
        let mut text = String::new();
        for s in 0..segments {
            text.push('/');
            let seg = RULE_SEGMENTS[usize::from(input.byte()) % RULE_SEGMENTS.len()];
            text.push_str(&seg.replace('P', &format!("p{r}x{s}")));
        }
        if text.is_empty() || input.byte() % 3 == 0 {
            text.push('/');
        }
        let mask = input.byte();
        let mut ms: Vec<Method> = methods()
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, m)| m.clone())
            .collect();
        if ms.is_empty() {
            ms.push(Method::GET);
        }
        rules.push(reference_rule(text, ms, ignore));
    }
    let conflict = (0..rules.len()).find(|&later| {
        rules[..later].iter().any(|earlier| {
            earlier.key == rules[later].key
                && earlier
                    .methods
                    .iter()
                    .any(|m| rules[later].methods.contains(m))
        })
    });
    let mut builder = if ignore { App::rest() } else { App::http_api() };
    for (index, rule) in rules.iter().enumerate() {
        builder = builder.route(rule.methods.clone(), rule.text.as_str(), echo(index));
    }
    let app = match (builder.build(), conflict) {
        (Ok(app), None) => app,
        (Err(e), Some(later)) => {
            assert_eq!(e.kind(), BuildErrorKind::Conflict, "{e}");
            assert_eq!(e.rule(), Some(rules[later].text.as_str()), "{e}");
            return;
        }
        (Err(e), None) => panic!("unexpected build error: {e}"),
        (Ok(_), Some(later)) => panic!("missed conflict of rule {later}"),
    };
    let mut scratch = Scratch::new();
    for _ in 0..1 + input.byte() % 8 {
        let method = &methods()[usize::from(input.byte()) % METHODS.len()];
        let path = path(&mut input);
        let event = if ignore {
            json!({"httpMethod": method.as_str(), "path": path})
        } else {
            json!({"rawPath": path, "requestContext": {"http": {"method": method.as_str()}}})
        };
        let bytes = serde_json::to_vec(&event).expect("json");
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .expect("well-formed event");
        let (response, _) = check_envelope(app.source().expect("an app of one source"), out);
        let ours = match response["statusCode"].as_u64() {
            Some(200) => {
                let echoed: Value =
                    serde_json::from_str(response["body"].as_str().expect("body")).expect("echo");
                let index = usize::try_from(echoed[0].as_u64().expect("index")).expect("usize");
                let params: Vec<(String, String)> = echoed[1]
                    .as_array()
                    .expect("params")
                    .iter()
                    .map(|p| {
                        (
                            p[0].as_str().expect("n").to_owned(),
                            p[1].as_str().expect("v").to_owned(),
                        )
                    })
                    .collect();
                Some((index, params))
            }
            Some(404) => None,
            other => panic!("status {other:?}"),
        };
        let expected = reference_at(&rules, method, &path, ignore);
        assert_eq!(
            ours,
            expected,
            "{method} {path:?} rules {:?}",
            rules
                .iter()
                .map(|r| (&r.text, &r.methods))
                .collect::<Vec<_>>()
        );
    }
});
