//! Everything one invocation needs, kept between invocations: reset, never dropped, so a
//! warm function serves a request without touching the heap.

use bumpalo::Bump;
use http::Extensions;

use crate::arena_future::FutureArena;
use crate::event::JsonTape;
use crate::response::SerializeState;

/// Reusable per-invocation buffers: the event copy, simd-json's buffers and tape, the
/// arena, the output and the shared context.
///
/// Keep one per function (or per thread) and pass it to every
/// [`App::handle`](crate::App::handle).
///
/// Buffers grow to fit an event and are reused while they stay near the usual size. One
/// that grew past [`Scratch::KEEP_AT_MOST`] (1 MiB; simd-json's parse buffers, which report
/// no size, are given back with an event copy past a quarter of that) is given back when
/// the next invocation starts, so one large event does not keep its memory for the life of
/// the process. Between invocations a Scratch holds at most about 8 MiB (eight buffers of
/// at most 1 MiB; `tests/memory.rs` measures about 4 MiB for events just under the
/// limits), and after a large event followed by a typical one, no more than before it.
///
/// ```
/// use lambda_router::Scratch;
///
/// #[derive(Clone)]
/// struct Tenant(&'static str);
///
/// let mut scratch = Scratch::new();
/// // Powertools' `append_context`: visible to this invocation's handlers, then cleared.
/// scratch.context_mut().insert(Tenant("acme"));
/// ```
pub struct Scratch {
    pub(crate) event: JsonTape,
    pub(crate) arena: Bump,
    pub(crate) output: Vec<u8>,
    pub(crate) compressed: Vec<u8>,
    #[cfg(feature = "gzip")]
    pub(crate) gzip: Option<crate::wire::Gzip>,
    pub(crate) serialize: SerializeState,
    pub(crate) context: Extensions,
    pub(crate) futures: FutureArena,
    pub(crate) unescaped: crate::request::Unescaped,
}

/// Empties `buffer` and, if it holds more than [`Scratch::KEEP_AT_MOST`] bytes, shrinks it
/// to `typical`.
fn release_over(buffer: &mut Vec<u8>, typical: usize) {
    if buffer.capacity() > Scratch::KEEP_AT_MOST {
        buffer.clear();
        buffer.shrink_to(typical);
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scratch")
            .field("input_capacity", &self.event.input_capacity())
            .field("output_capacity", &self.output.capacity())
            .field("arena_bytes", &self.arena.allocated_bytes())
            .finish_non_exhaustive()
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

/// The event size the buffers start at: most API Gateway events are a few KiB.
const TYPICAL_EVENT: usize = 4 * 1024;

impl Scratch {
    /// The most a buffer keeps between invocations, in bytes; see [`Scratch`].
    pub const KEEP_AT_MOST: usize = 1024 * 1024;

    /// Buffers sized for typical events (they grow as events need, see [`Scratch`]).
    #[must_use]
    pub fn new() -> Self {
        Self {
            event: JsonTape::with_capacity(TYPICAL_EVENT),
            // Empty until an event needs it (many never do): a chunk made up front would
            // take heap pages every process pays for.
            arena: Bump::new(),
            output: Vec::with_capacity(TYPICAL_EVENT),
            compressed: Vec::new(),
            #[cfg(feature = "gzip")]
            gzip: None,
            serialize: SerializeState::default(),
            context: Extensions::new(),
            futures: FutureArena::default(),
            unescaped: crate::request::Unescaped::default(),
        }
    }

    /// Gives back every buffer that grew past [`KEEP_AT_MOST`](Self::KEEP_AT_MOST) for an
    /// earlier event, replacing it with one of the typical size. Called as an invocation
    /// starts: the last invocation's output is read by the caller until then, and freeing
    /// before the new event's buffers grow keeps the peak to what one event needs. Buffers
    /// within the limit are kept, so the warm path allocates nothing.
    pub(crate) fn release_excess(&mut self) {
        self.event.release_over(Self::KEEP_AT_MOST, TYPICAL_EVENT);
        if self.arena.allocated_bytes() > Self::KEEP_AT_MOST {
            // `reset` keeps the largest chunk; only a new arena gives it back.
            self.arena = Bump::new();
        }
        release_over(&mut self.output, TYPICAL_EVENT);
        release_over(&mut self.compressed, 0);
        self.serialize.release_spare_over(Self::KEEP_AT_MOST);
    }

    /// The shared context of the next invocation (Powertools' `append_context`).
    pub fn context_mut(&mut self) -> &mut Extensions {
        &mut self.context
    }

    /// The response of the last invocation (empty before the first).
    #[must_use]
    pub fn output(&self) -> &[u8] {
        &self.output
    }
}
