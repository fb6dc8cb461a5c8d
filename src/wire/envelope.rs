//! The proxy response envelope: one compact JSON object per response, written straight into
//! the reused output buffer.
//!
//! The four shapes are those Powertools for AWS Lambda (Python) answers each source with:
//!
//! | style | header block | cookies | no body |
//! |---|---|---|---|
//! | `Rest`, `AlbMulti` | `multiValueHeaders: {name: [v1, v2]}` | appended to the `Set-Cookie` list | `null` / `""` |
//! | `V2` | `headers: {name: "v1, v2"}` | `cookies: [...]`, always present | `null` |
//! | `AlbSingle` | `headers: {name: "v1, v2"}` (or `"v2"` without `join`) | the last one (others logged), as `Set-Cookie`, first | `""` |
//! | `Lattice` | `headers: {name: "v1, v2"}` | the last one (others logged), as `Set-Cookie`, first | `null` |
//!
//! Headers of one name are grouped case-insensitively under the first spelling seen, values in
//! the order they were added. Grouping scans the (short) header list instead of building a
//! map, so nothing is allocated besides the growth of `out`.

use base64_simd::STANDARD as BASE64;

use super::escape::{JsonStringWriter, write_json_string, write_json_string_contents};
use crate::response::Cookie;

/// The shape of the proxy response a source expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnvelopeStyle {
    /// API Gateway REST v1: `multiValueHeaders` only, no body → `null`.
    Rest,
    /// HTTP API v2 and Function URL: `headers` (values joined with ", ") and `cookies` (always present).
    V2,
    /// ALB, multi-value headers on: `multiValueHeaders`, no body → `""`.
    AlbMulti,
    /// ALB, multi-value headers off: `headers` (the values of a repeated header joined with
    /// ", " when `join`, else the last one, the others logged; only the last cookie), no
    /// body → `""`.
    AlbSingle {
        /// Join repeated values instead of keeping the last.
        join: bool,
    },
    /// VPC Lattice (both structures): `headers` (values joined with ", ", only the last
    /// cookie: Lattice reads no `cookies`), no body → `null`.
    Lattice,
    /// Amazon Bedrock Agents: not an HTTP envelope; the dispatcher writes the agent's
    /// answer with the source's own writer, which needs the event.
    BedrockAgent,
    /// Amazon Bedrock Agents' tool answer, likewise written by its source.
    BedrockAgentFunction,
}

/// The body as it goes on the wire.
#[derive(Clone, Copy, Debug)]
pub(crate) enum EnvelopeBody<'b> {
    /// No body.
    None,
    /// UTF-8 text, written as an escaped JSON string; `isBase64Encoded: false`.
    Text(&'b [u8]),
    /// Text already escaped as the contents of a JSON string (a JSON body serialized in
    /// its envelope form), written between quotes as is; `isBase64Encoded: false`.
    Escaped(&'b [u8]),
    /// Raw bytes, written base64-encoded; `isBase64Encoded: true`.
    Base64(&'b [u8]),
}

impl EnvelopeBody<'_> {
    /// Writes the body as one JSON string (no body: `""`), as every envelope carries it.
    pub(crate) fn write_string(self, out: &mut Vec<u8>) {
        match self {
            Self::None => out.extend_from_slice(b"\"\""),
            Self::Text(text) => write_json_string(out, text),
            Self::Escaped(text) => {
                out.push(b'"');
                out.extend_from_slice(text);
                out.push(b'"');
            }
            Self::Base64(bytes) => {
                // Base64 needs no JSON escaping, so it is encoded straight into `out`.
                out.push(b'"');
                BASE64.encode_append(bytes, out);
                out.push(b'"');
            }
        }
    }
}

/// Writes the whole proxy response JSON object into `out` (appending).
///
/// `headers` may repeat a name (in any case); a `Set-Cookie` among them is sent with the
/// cookies: before them in the `Set-Cookie` list (`Rest`, `AlbMulti`), in `cookies` (`V2`:
/// joining `Set-Cookie` values with ", " would corrupt them), or as the `Set-Cookie` value
/// when there is no cookie (`AlbSingle`, where only the last value of the combined list, user
/// headers then cookies, is sent: `Set-Cookie` values cannot be joined).
pub(crate) fn write_envelope(
    out: &mut Vec<u8>,
    style: EnvelopeStyle,
    status: u16,
    headers: &[(&str, &str)],
    cookies: &[Cookie],
    body: EnvelopeBody<'_>,
) {
    out.extend_from_slice(b"{\"statusCode\":");
    write_decimal(out, status);
    out.push(b',');
    match style {
        EnvelopeStyle::Rest | EnvelopeStyle::AlbMulti => {
            write_multi_value_headers(out, headers, cookies);
        }
        EnvelopeStyle::V2 => write_joined_headers_and_cookies(out, headers, cookies),
        EnvelopeStyle::AlbSingle { join } => {
            write_single_value_headers(out, headers, cookies, join);
        }
        // Reached only by a caller that skipped the agent's writer: still a valid envelope.
        EnvelopeStyle::Lattice
        | EnvelopeStyle::BedrockAgent
        | EnvelopeStyle::BedrockAgentFunction => {
            write_single_value_headers(out, headers, cookies, true);
        }
    }
    out.extend_from_slice(b",\"body\":");
    let is_base64 = match body {
        // ALB rejects a null body.
        EnvelopeBody::None => {
            let is_alb = matches!(
                style,
                EnvelopeStyle::AlbMulti | EnvelopeStyle::AlbSingle { .. }
            );
            out.extend_from_slice(if is_alb { b"\"\"" } else { b"null" });
            false
        }
        body => {
            body.write_string(out);
            matches!(body, EnvelopeBody::Base64(_))
        }
    };
    out.extend_from_slice(if is_base64 {
        b",\"isBase64Encoded\":true}"
    } else {
        b",\"isBase64Encoded\":false}"
    });
}

/// Writes the metadata prelude of a streamed response into `out` (appending):
/// `{"statusCode":200,"headers":{"Name":"v1, v2"},"cookies":["a=1"]}`, the shape both
/// streaming sources read (a Function URL in `RESPONSE_STREAM` mode, a REST API integration
/// in `STREAM` mode): headers and cookies as the `V2` envelope writes them, no body.
pub(crate) fn write_prelude(
    out: &mut Vec<u8>,
    status: u16,
    headers: &[(&str, &str)],
    cookies: &[Cookie],
) {
    out.extend_from_slice(b"{\"statusCode\":");
    write_decimal(out, status);
    out.push(b',');
    write_joined_headers_and_cookies(out, headers, cookies);
    out.push(b'}');
}

/// `"multiValueHeaders":{"Name":["v1","v2"],...}`, cookies at the end of `Set-Cookie`.
fn write_multi_value_headers(out: &mut Vec<u8>, headers: &[(&str, &str)], cookies: &[Cookie]) {
    out.extend_from_slice(b"\"multiValueHeaders\":{");
    let mut entries = Separator::new();
    let mut cookies_written = cookies.is_empty();
    for (index, (name, _)) in headers.iter().enumerate() {
        if !is_first_of_name(headers, index) {
            continue;
        }
        entries.write(out);
        write_json_string(out, name.as_bytes());
        out.extend_from_slice(b":[");
        let mut values = Separator::new();
        for value in values_of(&headers[index..], name) {
            values.write(out);
            write_json_string(out, value.as_bytes());
        }
        if is_set_cookie(name) {
            for cookie in cookies {
                values.write(out);
                write_cookie_string(out, cookie);
            }
            cookies_written = true;
        }
        out.push(b']');
    }
    if !cookies_written {
        entries.write(out);
        out.extend_from_slice(b"\"Set-Cookie\":[");
        let mut values = Separator::new();
        for cookie in cookies {
            values.write(out);
            write_cookie_string(out, cookie);
        }
        out.push(b']');
    }
    out.push(b'}');
}

/// `"headers":{"Name":"v1, v2",...},"cookies":[...]`; `Set-Cookie` headers go to `cookies`.
fn write_joined_headers_and_cookies(
    out: &mut Vec<u8>,
    headers: &[(&str, &str)],
    cookies: &[Cookie],
) {
    out.extend_from_slice(b"\"headers\":{");
    write_string_entries(out, &mut Separator::new(), headers, |out, name, rest| {
        write_joined_values(out, values_of(rest, name));
    });
    out.extend_from_slice(b"},\"cookies\":[");
    let mut values = Separator::new();
    for (_, value) in headers.iter().filter(|(name, _)| is_set_cookie(name)) {
        values.write(out);
        write_json_string(out, value.as_bytes());
    }
    for cookie in cookies {
        values.write(out);
        write_cookie_string(out, cookie);
    }
    out.push(b']');
}

/// `"headers":{"Set-Cookie":"<last>","Name":"v2",...}`: ALB with multi-value headers off
/// carries one value per name. A repeated header sends its last value, as Powertools does,
/// and the values left out are logged; with `join` they are joined with ", " instead
/// (RFC 9110 §5.3: the same field). `Set-Cookie` cannot be joined (RFC 6265 §3), so only the
/// last cookie of the combined list (user headers, then cookies) is sent, and each one left
/// out is logged by name.
fn write_single_value_headers(
    out: &mut Vec<u8>,
    headers: &[(&str, &str)],
    cookies: &[Cookie],
    join: bool,
) {
    out.extend_from_slice(b"\"headers\":{");
    let mut entries = Separator::new();
    let mut user_set_cookies = headers.iter().filter(|(name, _)| is_set_cookie(name));
    let first_user_set_cookie = user_set_cookies.next();
    let last_user_set_cookie = user_set_cookies.next_back().or(first_user_set_cookie);
    if first_user_set_cookie.is_some() || !cookies.is_empty() {
        entries.write(out);
        let name = first_user_set_cookie.map_or("Set-Cookie", |(name, _)| *name);
        write_json_string(out, name.as_bytes());
        out.push(b':');
        match (cookies.last(), last_user_set_cookie) {
            (Some(cookie), _) => write_cookie_string(out, cookie),
            (None, Some((_, value))) => write_json_string(out, value.as_bytes()),
            (None, None) => out.extend_from_slice(b"\"\""),
        }
        let carried = user_set_cookies_count(headers) + cookies.len();
        if carried > 1 {
            warn_dropped_cookies(headers, cookies, carried - 1);
        }
    }
    write_string_entries(out, &mut entries, headers, |out, name, rest| {
        if join {
            write_joined_values(out, values_of(rest, name));
        } else {
            write_last_value(out, name, values_of(rest, name));
        }
    });
    out.push(b'}');
}

/// `"Name":"..."` for each header name but `Set-Cookie`, in the spelling and place of its
/// first header; `values` writes the string's contents from the headers of that name on.
fn write_string_entries(
    out: &mut Vec<u8>,
    entries: &mut Separator,
    headers: &[(&str, &str)],
    mut values: impl FnMut(&mut Vec<u8>, &str, &[(&str, &str)]),
) {
    for (index, (name, _)) in headers.iter().enumerate() {
        if is_set_cookie(name) || !is_first_of_name(headers, index) {
            continue;
        }
        entries.write(out);
        write_json_string(out, name.as_bytes());
        out.extend_from_slice(b":\"");
        values(out, name, &headers[index..]);
        out.push(b'"');
    }
}

fn user_set_cookies_count(headers: &[(&str, &str)]) -> usize {
    headers
        .iter()
        .filter(|(name, _)| is_set_cookie(name))
        .count()
}

/// Logs the `dropped` first cookies (all but the last), which ALB single-value mode cannot
/// carry.
#[cold]
fn warn_dropped_cookies(headers: &[(&str, &str)], cookies: &[Cookie], dropped: usize) {
    let header_cookies = headers
        .iter()
        .filter(|(name, _)| is_set_cookie(name))
        .map(|(_, value)| value.split('=').next().unwrap_or_default().trim());
    let all = header_cookies.chain(cookies.iter().map(Cookie::name));
    for name in all.take(dropped) {
        tracing::warn!(
            cookie = %name.escape_debug(),
            "lambda-router: the answer carries one Set-Cookie (ALB without multi-value \
             headers, VPC Lattice); this cookie is not sent"
        );
    }
}

/// The values of one header joined with ", ", as the contents of a JSON string.
fn write_joined_values<'h>(out: &mut Vec<u8>, values: impl Iterator<Item = &'h str>) {
    for (position, value) in values.enumerate() {
        if position > 0 {
            out.extend_from_slice(b", ");
        }
        write_json_string_contents(out, value.as_bytes());
    }
}

/// The last of the values of header `name`, as the contents of a JSON string; the others
/// are logged.
fn write_last_value<'h>(out: &mut Vec<u8>, name: &str, values: impl Iterator<Item = &'h str>) {
    let mut last = "";
    let mut dropped = 0_usize;
    for (position, value) in values.enumerate() {
        last = value;
        dropped = position;
    }
    if dropped > 0 {
        warn_dropped_values(name, dropped);
    }
    write_json_string_contents(out, last.as_bytes());
}

/// Logs the values of a repeated header that ALB single-value mode does not send.
#[cold]
fn warn_dropped_values(name: &str, dropped: usize) {
    tracing::warn!(
        header = %name.escape_debug(),
        dropped,
        "lambda-router: ALB without multi-value headers carries one value per header; \
         only the last is sent (turn multi-value headers on for the target group, or \
         AppBuilder::alb_join_repeated_headers back on)"
    );
}

/// Writes a cookie's `Set-Cookie` text as a JSON string, escaping it on the way in.
fn write_cookie_string(out: &mut Vec<u8>, cookie: &Cookie) {
    out.push(b'"');
    // The writer appends to a Vec and never fails, and `write_to` only passes its errors on.
    let _always_ok = cookie.write_to(&mut JsonStringWriter::new(out));
    out.push(b'"');
}

/// Whether `headers[index]` is the first header of its name (case-insensitively), the one
/// whose spelling and position its group takes.
fn is_first_of_name(headers: &[(&str, &str)], index: usize) -> bool {
    let name = &headers[index].0;
    !headers[..index]
        .iter()
        .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
}

/// The values of every header named `name` (case-insensitively) in `headers`, in order.
fn values_of<'h>(
    headers: &'h [(&'h str, &'h str)],
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .iter()
        .filter(move |(other, _)| other.eq_ignore_ascii_case(name))
        .map(|(_, value)| *value)
}

fn is_set_cookie(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie")
}

/// Appends the decimal digits of `number` (a status code) without going through `fmt`.
fn write_decimal(out: &mut Vec<u8>, number: u16) {
    let mut digits = [0u8; 5];
    let mut start = digits.len();
    let mut rest = number;
    loop {
        start -= 1;
        // `rest % 10` is below 10, so the cast cannot truncate.
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// Writes the commas between the members of a JSON object or array.
struct Separator {
    first: bool,
}

impl Separator {
    fn new() -> Self {
        Self { first: true }
    }

    /// Call before each member: writes nothing the first time, then a comma.
    fn write(&mut self, out: &mut Vec<u8>) {
        if !std::mem::take(&mut self.first) {
            out.push(b',');
        }
    }
}

#[cfg(test)]
#[path = "tests_envelope.rs"]
mod tests;
