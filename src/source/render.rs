//! A plain HTTP request, which each source renders as its event (the test builders and the
//! dev server both go through it), the map shapes the renderers share, and the query
//! string's encoding both ways: a request's query text split into decoded pairs, and the
//! pairs encoded again as each service sends them.

use serde_json::{Map, Value};

/// One HTTP request as plain data.
#[derive(Debug)]
pub(crate) struct PlainRequest<'r> {
    pub(crate) method: &'r str,
    /// The path, without its query.
    pub(crate) path: &'r str,
    /// The query's pairs, decoded ([`query_pairs`]), in order (a name may repeat).
    pub(crate) query: &'r [(String, String)],
    /// The headers as sent, in order (a name may repeat); the `Cookie` header included.
    pub(crate) headers: &'r [(String, String)],
    /// The body as the event carries it: text, or base64 when `base64`.
    pub(crate) body: Option<&'r str>,
    pub(crate) base64: bool,
    /// ALB: the target group has multi-value headers on.
    pub(crate) multi_value: bool,
    pub(crate) context: &'r RenderContext,
}

/// What a request's event says about where it came from.
#[derive(Debug, Clone)]
pub(crate) struct RenderContext {
    pub(crate) request_id: String,
    pub(crate) source_ip: String,
    pub(crate) account_id: &'static str,
    /// The API id (the Function URL id for Function URLs).
    pub(crate) api_id: &'static str,
    /// The REST API stage (HTTP API events use `$default`).
    pub(crate) stage: &'static str,
    /// `Host` when the request has none.
    pub(crate) domain: String,
    pub(crate) time_epoch_ms: u64,
}

impl PlainRequest<'_> {
    /// The value of the last header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers without `Cookie` (payload 2.0 carries cookies in `cookies`).
    pub(crate) fn headers_without_cookies(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("cookie"))
            .cloned()
            .collect()
    }

    /// The request cookies, `name=value` each, from every `Cookie` header.
    pub(crate) fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, line)| line.split(';'))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The query as sent on the wire (each name and value percent-encoded).
    pub(crate) fn raw_query(&self) -> String {
        encoded(self.query)
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The body value: the text, or `null`.
    pub(crate) fn body_value(&self) -> Value {
        self.body.map_or(Value::Null, Value::from)
    }
}

/// `{name: last value}` (names lower-cased when `lower`).
pub(crate) fn last_values(pairs: &[(String, String)], lower: bool) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(n, v)| (key(n, lower), Value::from(v.as_str())))
        .collect()
}

/// `{name: [every value]}` (names lower-cased when `lower`).
pub(crate) fn all_values(pairs: &[(String, String)], lower: bool) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        if let Value::Array(values) = map
            .entry(key(name, lower))
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::from(value.as_str()));
        }
    }
    map
}

/// `{name: "v1<separator>v2"}`, names lower-cased: repeated values joined.
pub(crate) fn joined_values(pairs: &[(String, String)], separator: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        match map.get_mut(&name.to_ascii_lowercase()) {
            Some(Value::String(joined)) => {
                joined.push_str(separator);
                joined.push_str(value);
            }
            _ => {
                map.insert(name.to_ascii_lowercase(), Value::from(value.as_str()));
            }
        }
    }
    map
}

/// The map, or `null` when empty (API Gateway REST's "no query").
pub(crate) fn non_empty(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Null
    } else {
        Value::Object(map)
    }
}

/// The pairs percent-encoded, as a query string carries them (and ALB passes them).
pub(crate) fn encoded(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect()
}

fn key(name: &str, lower: bool) -> String {
    if lower {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    }
}

/// What a query string escapes: everything but RFC 3986's unreserved characters.
const QUERY_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_ESCAPES).to_string()
}

/// The pairs of a query string (`a=1&b=x%20y`), each name and value percent-decoded: what
/// a request's `?query` means before a source encodes it again as its service does.
///
/// `&` separates pairs (empty ones are skipped), the first `=` a name from its value (none:
/// an empty value). `+` stays `+`, as API Gateway and Function URLs pass it; a malformed
/// escape (`%zz`, a lone `%`) is kept as written, and bytes that decode to invalid UTF-8
/// become U+FFFD, so any text a client sends gives an event.
pub(crate) fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::{encoded, query_pairs};

    fn pairs(query: &str) -> Vec<(String, String)> {
        query_pairs(query).collect()
    }

    #[test]
    fn query_text_decodes_into_pairs() {
        // (query text, its pairs)
        let table: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            ("a=1&b=2", &[("a", "1"), ("b", "2")]),
            ("a=1&&b&", &[("a", "1"), ("b", "")]),
            ("a=&=v", &[("a", ""), ("", "v")]),
            ("a=b=c", &[("a", "b=c")]),
            ("a=1&a=2", &[("a", "1"), ("a", "2")]),
            ("q=x+y", &[("q", "x+y")]),
            ("q=%2B&p=%2b", &[("q", "+"), ("p", "+")]),
            ("q=%20%26%3D", &[("q", " &=")]),
            ("%61%3D=b", &[("a=", "b")]),
            ("q=%zz", &[("q", "%zz")]),
            ("q=%", &[("q", "%")]),
            ("q=%2", &[("q", "%2")]),
            ("q=100%", &[("q", "100%")]),
            ("q=caf%C3%A9&e=%E2%82%AC", &[("q", "café"), ("e", "€")]),
            ("q=café", &[("q", "café")]),
            ("q=%F0%9F%A6%80", &[("q", "🦀")]),
            ("q=%FF", &[("q", "\u{FFFD}")]),
            ("q=%C3", &[("q", "\u{FFFD}")]),
            ("q=a%C3%28b", &[("q", "a\u{FFFD}(b")]),
            ("%FF=v", &[("\u{FFFD}", "v")]),
        ];
        for (query, expected) in table {
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect();
            assert_eq!(pairs(query), expected, "query {query:?}");
        }
    }

    #[test]
    fn encoded_pairs_decode_back() {
        let table: &[(&str, &str)] = &[
            ("plain", "text"),
            ("a b", "x+y"),
            ("a=&", "%zz % %2B"),
            ("café", "€ 🦀"),
            ("", ""),
            ("-_.~", "!*'();:@$,/?#[]"),
        ];
        for (name, value) in table {
            let pair = vec![((*name).to_owned(), (*value).to_owned())];
            let text = encoded(&pair)
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<String>();
            assert_eq!(pairs(&text), pair, "pair {name:?}={value:?} as {text:?}");
        }
    }
}
