//! The headers of a response as they go on the wire, and the one rule for the headers the
//! library itself sets.
//!
//! * **Library-owned headers replace the handler's.** CORS headers, `Cache-Control`,
//!   `Content-Encoding` and `Access-Control-Allow-Methods` are set by the app's
//!   configuration; a handler's header of the same name (any case) is dropped so that the
//!   client never gets two answers (`Access-Control-Allow-Origin: *, https://b.example`).
//!   This is Powertools' rule too (its response dict assigns these keys, overwriting).
//! * **`Vary` is merged**: the library adds a token (`Origin`, `Accept-Encoding`) unless a
//!   `Vary` value already lists it (tokens compare case-insensitively) or is `*`.
//! * **Framing is the service's**: API Gateway, ALB and Function URLs frame the body they
//!   send themselves, so a handler's `Content-Length` or `Transfer-Encoding` (wrong as soon
//!   as the body is compressed or re-encoded) never reaches the envelope.

use smallvec::SmallVec;

/// Room for a response's headers as written (its own, CORS, cache control, encoding, vary).
pub(crate) type WireHeaders<'h> = SmallVec<[(&'h str, &'h str); 20]>;

/// The handler's headers, less the framing headers the service owns.
pub(crate) fn handler_headers<'h>(
    headers: impl Iterator<Item = (&'h str, &'h str)>,
) -> impl Iterator<Item = (&'h str, &'h str)> {
    headers.filter(|(name, _)| !is_framing(name))
}

/// Sets a header the library owns: every header of that name (any case) is replaced.
pub(crate) fn set_library_header<'h>(
    headers: &mut WireHeaders<'h>,
    name: &'static str,
    value: &'h str,
) {
    // A handler rarely sets one of these: look first (lengths reject almost every header
    // at once), remove only when there is something to remove.
    let same_name = |other: &str| other.len() == name.len() && other.eq_ignore_ascii_case(name);
    if headers.iter().any(|(other, _)| same_name(other)) {
        headers.retain(|(other, _)| !same_name(other));
    }
    headers.push((name, value));
}

/// Adds `token` to `Vary` unless a `Vary` value already names it (or is `*`).
pub(crate) fn add_vary(headers: &mut WireHeaders<'_>, token: &'static str) {
    let listed = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("vary"))
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .any(|listed| listed == "*" || listed.eq_ignore_ascii_case(token));
    if !listed {
        headers.push(("Vary", token));
    }
}

/// Whether the handler declared its own content coding (then its body is never
/// compressed again: gzip over brotli bytes labelled `gzip` is unreadable).
pub(crate) fn has_content_coding(headers: &[(&str, &str)]) -> bool {
    headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-encoding")
            && !value.trim().eq_ignore_ascii_case("identity")
    })
}

/// `Content-Length` and `Transfer-Encoding` (the lengths first: a cheap reject).
fn is_framing(name: &str) -> bool {
    match name.len() {
        14 => name.eq_ignore_ascii_case("content-length"),
        17 => name.eq_ignore_ascii_case("transfer-encoding"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire<'h>(pairs: &[(&'h str, &'h str)]) -> WireHeaders<'h> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn framing_headers_are_dropped_in_any_case() {
        let headers: WireHeaders<'_> = handler_headers(
            [
                ("Content-Length", "12"),
                ("TRANSFER-ENCODING", "chunked"),
                ("content-type", "text/plain"),
                ("Content-Language", "en"),
                ("X-Content-Length", "1"),
            ]
            .into_iter(),
        )
        .collect();
        assert_eq!(
            headers.as_slice(),
            [
                ("content-type", "text/plain"),
                ("Content-Language", "en"),
                ("X-Content-Length", "1")
            ]
        );
    }

    #[test]
    fn a_library_header_replaces_every_handler_value_of_its_name() {
        let mut headers = wire(&[
            ("cache-control", "private"),
            ("X-A", "1"),
            ("CACHE-CONTROL", "public"),
        ]);
        set_library_header(&mut headers, "Cache-Control", "max-age=600");
        assert_eq!(
            headers.as_slice(),
            [("X-A", "1"), ("Cache-Control", "max-age=600")]
        );
    }

    #[test]
    fn vary_tokens_are_merged_without_duplicates() {
        let mut headers = wire(&[("vary", "accept-language, ORIGIN")]);
        add_vary(&mut headers, "Origin");
        add_vary(&mut headers, "Accept-Encoding");
        add_vary(&mut headers, "Accept-Encoding");
        assert_eq!(
            headers.as_slice(),
            [
                ("vary", "accept-language, ORIGIN"),
                ("Vary", "Accept-Encoding")
            ]
        );
        let mut star = wire(&[("Vary", "*")]);
        add_vary(&mut star, "Origin");
        assert_eq!(star.as_slice(), [("Vary", "*")]);
        let mut near_miss = wire(&[("Vary", "Origins")]);
        add_vary(&mut near_miss, "Origin");
        assert_eq!(near_miss.len(), 2);
    }

    #[test]
    fn identity_is_not_a_content_coding() {
        assert!(has_content_coding(&[("content-encoding", "br")]));
        assert!(!has_content_coding(&[("Content-Encoding", " identity ")]));
        assert!(!has_content_coding(&[("X-Content-Encoding", "br")]));
    }
}
