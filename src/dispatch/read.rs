//! What is read from an event before any handler runs: the source's view of it, the
//! method, the path to route and the decoded body (parsed only by a reader of it).

use bumpalo::Bump;
use http::Method;
use simd_json::tape::Tape;

use crate::app::{App, strip};
use crate::event::{self, EventError, EventView};
use crate::request::{BodyError, ReceivedBody};
use crate::router::TrailingSlash;
use crate::source::Accepts;

/// What is read from the event before any handler runs.
pub(super) struct Prepared<'a> {
    pub(super) method: Method,
    /// The path the handler sees (after `strip_prefixes`).
    pub(super) path: &'a str,
    /// The path matched against the rules: `path`, less the trailing slashes a REST event
    /// read by an app for any source ignores.
    pub(super) route_path: &'a str,
    pub(super) body: Result<Option<ReceivedBody<'a>>, BodyError>,
}

impl App {
    /// Reads the event in `tape` (as the app's source, or the one that sent it) and what
    /// routing needs from it.
    pub(super) fn read<'a>(
        &self,
        tape: &'a Tape<'a>,
        arena: &'a mut Bump,
    ) -> Result<(EventView<'a>, Prepared<'a>), EventError> {
        let arena: &'a Bump = arena;
        let view = event::parse(self.accepts, tape, arena)?;
        let method =
            parse_method(view.method).ok_or_else(|| EventError::invalid_method(view.source))?;
        // A body that does not decode is the reader's error, not the event's: the request
        // still reaches its route.
        let body = match view.body {
            Some(text) if view.is_base64_encoded => event::decode_base64_body(text, arena)
                .map(|bytes| Some(ReceivedBody::Decoded(bytes)))
                .ok_or(BodyError::InvalidBase64),
            Some(text) => Ok(Some(ReceivedBody::Text(text))),
            None => Ok(None),
        };
        let path = strip(&self.strip_prefixes, view.path, arena);
        // An app for any source compiles its rules for exact paths; a source that ignores
        // trailing slashes (REST) is matched without them (the handler still sees the path
        // as `App::rest()` would give it).
        let route_path = if self.accepts == Accepts::Any
            && view.source.def().trailing_slash == TrailingSlash::Ignore
        {
            match path.trim_end_matches('/') {
                "" => "/",
                trimmed => trimmed,
            }
        } else {
            path
        };
        let prepared = Prepared {
            method,
            path,
            route_path,
            body,
        };
        Ok((view, prepared))
    }
}

/// The request method, upper-cased as Powertools does; `None` when it is not a token.
fn parse_method(sent: &str) -> Option<Method> {
    const MAX: usize = 32;
    if !sent.bytes().any(|b| b.is_ascii_lowercase()) {
        return Method::from_bytes(sent.as_bytes()).ok();
    }
    let mut upper = [0u8; MAX];
    let Some(slot) = upper.get_mut(..sent.len()) else {
        // Longer than any standard method: rare, so upper-cased on the heap.
        return Method::from_bytes(sent.to_ascii_uppercase().as_bytes()).ok();
    };
    slot.copy_from_slice(sent.as_bytes());
    slot.make_ascii_uppercase();
    Method::from_bytes(slot).ok()
}
