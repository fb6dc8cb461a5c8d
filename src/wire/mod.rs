//! The wire encoder: a finished [`Response`](crate::Response) written as Lambda's services
//! read it (the proxy-response envelope of each source, or a streamed answer's prelude),
//! with the JSON escaping, header rules and gzip that takes.

mod encoding;
mod envelope;
mod escape;
mod escaped_json;
#[cfg(feature = "gzip")]
mod gzip;
mod headers;
#[cfg(feature = "gzip")]
mod stream_gzip;

pub(crate) use encoding::accepts_gzip;
pub(crate) use envelope::{EnvelopeBody, EnvelopeStyle, write_envelope, write_prelude};
pub(crate) use escape::write_json_string;
#[cfg(feature = "__bench")]
pub(crate) use escape::write_json_string_contents;
pub(crate) use escaped_json::write_escaped_json;
#[cfg(feature = "gzip")]
pub(crate) use gzip::Gzip;
pub(crate) use headers::{
    WireHeaders, add_vary, handler_headers, has_content_coding, set_library_header,
};
#[cfg(feature = "gzip")]
pub(crate) use stream_gzip::gzip_chunks;
