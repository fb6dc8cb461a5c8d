//! Reading Lambda HTTP events: source shapes, borrowed views over a simd-json tape, typed errors.
//!
//! [`parse`] walks the event once, type-checks every field the views will read and returns an
//! [`EventView`] of borrowed views. It makes no heap allocation for a valid event: the views
//! hold tape values and look things up lazily when asked. The guide
//! [`events`](crate::guide::events) says what is read from each source and what each view
//! answers.

mod arena_map;
mod cookies;
mod error;
mod fields;
mod headers;
mod json_tape;
mod json_view;
mod nodes;
mod query;
mod request_context;
mod shape_v1;
mod shape_v2;
mod values;

#[cfg(test)]
mod tests;

use simd_json::tape::Tape;

pub use cookies::Cookies;
pub use error::EventError;
pub use headers::Headers;
pub(crate) use json_tape::JsonTape;
pub use json_view::JsonView;
pub use query::Query;
pub use request_context::RequestContext;
// The iterator types of the views' public methods, re-exported by the crate root so that
// users can name them.
pub use {
    cookies::CookiePairs,
    json_view::{Entries, Items},
    values::{Pairs, Values},
};

use crate::source::Accepts;
pub use crate::source::Source;
pub(crate) use arena_map::joined_lists;
pub(crate) use fields::{
    RootFields, optional_bool, optional_object, optional_str, required_str, string_list_map,
    string_map,
};
pub(crate) use nodes::{
    Elements, Members, NULL, Nodes, array_body, is_null, last_member, object_body, string_of,
    type_name,
};
pub(crate) use shape_v1::read_version_1_shape;
pub(crate) use shape_v2::read_version_2_shape;

/// The parsed, borrowed view of one event.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EventView<'a> {
    pub(crate) source: Source,
    /// As sent (not upper-cased).
    pub(crate) method: &'a str,
    /// The path to route: REST/ALB `path`; HTTP API/Function URL `rawPath` without the
    /// stage; VPC Lattice's path without a query.
    pub(crate) path: &'a str,
    /// The path exactly as the event carried it.
    pub(crate) raw_path: &'a str,
    pub(crate) headers: Headers<'a>,
    pub(crate) query: Query<'a>,
    pub(crate) cookies: Cookies<'a>,
    /// The raw `body` (still base64 text when `is_base64_encoded`); `None` if absent or null.
    pub(crate) body: Option<&'a str>,
    pub(crate) is_base64_encoded: bool,
    /// ALB only: the event came with a non-empty `multiValueHeaders` (answer in that style).
    pub(crate) multi_value_headers: bool,
    pub(crate) request_context: RequestContext<'a>,
    /// The whole event.
    pub(crate) root: JsonView<'a>,
}

/// Reads the event in `tape` as the source `accepts` finds.
///
/// The views walk the tape's nodes directly, hence the whole tape rather than a
/// `tape::Value` (whose node slice is private to simd-json). `arena` holds what a source
/// must build (VPC Lattice v2's joined query values).
///
/// # Errors
/// `event.not_an_object` if the root is not an object; `event.missing_field` if the method
/// or path is absent or null; `event.wrong_type` for any read field of the wrong JSON type.
pub(crate) fn parse<'a>(
    accepts: Accepts,
    tape: &'a Tape<'a>,
    arena: &'a bumpalo::Bump,
) -> Result<EventView<'a>, EventError> {
    let fields = RootFields::collect(tape.0.as_slice())?;
    let source = accepts.source_of(&fields)?;
    (source.def().read)(&fields, accepts, arena)
}

/// Decodes a base64 body (`isBase64Encoded: true`) into the arena.
///
/// Standard alphabet with `=` padding, as API Gateway and ALB send it; anything else
/// (including whitespace) is `None`: the request's reader gets the error, not the event.
pub(crate) fn decode_base64_body<'b>(body: &str, arena: &'b bumpalo::Bump) -> Option<&'b [u8]> {
    let base64 = base64_simd::STANDARD;
    let input = body.as_bytes();
    let length = base64.decoded_length(input).ok()?;
    let output = arena.alloc_slice_fill_copy(length, 0_u8);
    let decoded = base64
        .decode(input, base64_simd::Out::from_slice(output))
        .ok()?;
    Some(decoded)
}
