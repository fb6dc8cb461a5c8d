//! `Cookies`: the request cookies, parsed lazily from wherever the source puts them.

use std::fmt;

use super::headers::Headers;
use super::nodes::Nodes;
use super::values::Values;

/// The request cookies.
///
/// HTTP API / Function URL events carry a `cookies` array (`"name=value"` per element); REST
/// and ALB events carry the raw `Cookie` header(s) (`"a=1; b=2"`). Both are read the same
/// way: every text is split on `;`, each piece on its first `=`, and names and values are
/// trimmed of ASCII whitespace. A piece without `=` is a cookie with an empty value; empty
/// pieces are skipped. Values are not unquoted or decoded.
#[derive(Clone, Copy, Debug)]
pub struct Cookies<'a> {
    source: CookieSource<'a>,
}

#[derive(Clone, Copy, Debug)]
enum CookieSource<'a> {
    /// The body of the HTTP API `cookies` array (checked: string nodes; empty if absent).
    Array(Nodes<'a>),
    /// The `Cookie` header values.
    Header(Headers<'a>),
}

impl<'a> Cookies<'a> {
    /// Cookies from an HTTP API / Function URL `cookies` array.
    pub(crate) fn from_array(list: Nodes<'a>) -> Self {
        Self {
            source: CookieSource::Array(list),
        }
    }

    /// Cookies from the `Cookie` header (REST / ALB).
    pub(crate) fn from_headers(headers: Headers<'a>) -> Self {
        Self {
            source: CookieSource::Header(headers),
        }
    }

    /// The value of the first cookie named `name` (case-sensitive).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.iter()
            .find(|(cookie, _)| *cookie == name)
            .map(|(_, value)| value)
    }

    /// All `(name, value)` pairs, in the order the client sent them.
    #[must_use]
    pub fn iter(&self) -> CookiePairs<'a> {
        let texts = match self.source {
            CookieSource::Array(list) => Values::list(Some(list)),
            CookieSource::Header(headers) => headers.raw_values("cookie"),
        };
        CookiePairs {
            texts,
            current: None,
        }
    }
}

impl<'a> IntoIterator for Cookies<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = CookiePairs<'a>;

    fn into_iter(self) -> CookiePairs<'a> {
        self.iter()
    }
}

/// Iterator over `(name, value)` cookie pairs, see [`Cookies::iter`].
pub struct CookiePairs<'a> {
    /// The cookie texts still to read (array elements or header values).
    texts: Values<'a>,
    /// The unread rest of the current text.
    current: Option<&'a str>,
}

impl<'a> Iterator for CookiePairs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some(text) = self.current.take() else {
                self.current = Some(self.texts.next()?);
                continue;
            };
            let piece = match text.split_once(';') {
                Some((piece, rest)) => {
                    self.current = Some(rest);
                    piece
                }
                None => text,
            };
            let piece = piece.trim_ascii();
            if piece.is_empty() {
                continue;
            }
            return Some(match piece.split_once('=') {
                Some((name, value)) => (name.trim_ascii(), value.trim_ascii()),
                None => (piece, ""),
            });
        }
    }
}

impl fmt::Debug for CookiePairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookiePairs").finish_non_exhaustive()
    }
}
