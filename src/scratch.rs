//! Everything one invocation needs, kept between invocations: reset, never dropped, so a
//! warm function serves a request without touching the heap.

use bumpalo::Bump;
use http::Extensions;
use simd_json::tape::{Node, Tape};
use simd_json::{Buffers, INPUT_PADDING};

use crate::arena_future::FutureArena;
use crate::event::EventError;
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
    pub(crate) input: Vec<u8>,
    pub(crate) buffers: Buffers,
    pub(crate) tape: Tape<'static>,
    pub(crate) arena: Bump,
    pub(crate) output: Vec<u8>,
    pub(crate) compressed: Vec<u8>,
    #[cfg(feature = "gzip")]
    pub(crate) gzip: Option<crate::response::Gzip>,
    pub(crate) serialize: SerializeState,
    pub(crate) context: Extensions,
    pub(crate) futures: FutureArena,
    pub(crate) body: BodyTape,
}

/// A second reused input and tape, for a JSON body parsed once per invocation so that
/// `Request::json` deserializes from the tape (strings borrowed, skipped fields free).
pub(crate) struct BodyTape {
    pub(crate) input: Vec<u8>,
    pub(crate) buffers: Buffers,
    pub(crate) tape: Tape<'static>,
}

impl BodyTape {
    /// As [`Scratch::release_excess`], for the body's buffers (which start empty: most
    /// bodies are not JSON objects or arrays).
    fn release_excess(&mut self) {
        if self.input.capacity() > PARSED_INPUT_LIMIT {
            *self = Self::default();
        }
        release_tape_over(&mut self.tape, Scratch::KEEP_AT_MOST);
    }
}

/// Empties `buffer` and, if it holds more than [`Scratch::KEEP_AT_MOST`] bytes, shrinks it
/// to `typical`.
fn release_over(buffer: &mut Vec<u8>, typical: usize) {
    if buffer.capacity() > Scratch::KEEP_AT_MOST {
        buffer.clear();
        buffer.shrink_to(typical);
    }
}

/// Replaces `tape` with an empty one if its nodes take more than `limit` bytes.
fn release_tape_over(tape: &mut Tape<'static>, limit: usize) {
    let bytes = tape.0.capacity().saturating_mul(size_of::<Node<'static>>());
    if bytes > limit {
        *tape = Tape(Vec::new());
    }
}

impl Default for BodyTape {
    fn default() -> Self {
        Self {
            input: Vec::new(),
            buffers: Buffers::new(0),
            tape: Tape(Vec::new()),
        }
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scratch")
            .field("input_capacity", &self.input.capacity())
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

/// simd-json's buffers grow with the input they parse, up to about 4 bytes per input byte
/// (a structural index per `,`/`[`, the unescaped strings, the depth stack), and report no
/// capacity: the input copy stands for them, so an input past this is given back with them.
const PARSED_INPUT_LIMIT: usize = Scratch::KEEP_AT_MOST / 4;

/// simd-json's buffers, empty: they grow to the first event's size. Sized up front they
/// would also hold an aligned copy of the input that `fill_tape_padded` never uses.
fn parse_buffers() -> Buffers {
    Buffers::new(0)
}

impl Scratch {
    /// The most a buffer keeps between invocations, in bytes; see [`Scratch`].
    pub const KEEP_AT_MOST: usize = 1024 * 1024;

    /// Buffers sized for typical events (they grow as events need, see [`Scratch`]).
    #[must_use]
    pub fn new() -> Self {
        Self {
            input: Vec::with_capacity(TYPICAL_EVENT + INPUT_PADDING),
            buffers: parse_buffers(),
            // simd-json reserves what each event needs (a node per structural character):
            // a guess up front only over-reserves.
            tape: Tape(Vec::new()),
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
            body: BodyTape::default(),
        }
    }

    /// Gives back every buffer that grew past [`KEEP_AT_MOST`](Self::KEEP_AT_MOST) for an
    /// earlier event, replacing it with one of the typical size. Called as an invocation
    /// starts: the last invocation's output is read by the caller until then, and freeing
    /// before the new event's buffers grow keeps the peak to what one event needs. Buffers
    /// within the limit are kept, so the warm path allocates nothing.
    pub(crate) fn release_excess(&mut self) {
        if self.input.capacity() > PARSED_INPUT_LIMIT {
            self.input = Vec::with_capacity(TYPICAL_EVENT + INPUT_PADDING);
            self.buffers = parse_buffers();
        }
        release_tape_over(&mut self.tape, Self::KEEP_AT_MOST);
        self.body.release_excess();
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

    /// Copies `event` into the padded input buffer simd-json parses in place.
    pub(crate) fn load(input: &mut Vec<u8>, event: &[u8]) {
        input.clear();
        // Exactly what this event needs: growing by doubling would hold up to twice a large
        // event until `release_excess`.
        input.reserve_exact(event.len().saturating_add(INPUT_PADDING));
        input.extend_from_slice(event);
        // One block copy; `resize` would fill the padding byte by byte.
        input.extend_from_slice(&[0; INPUT_PADDING]);
    }

    /// Parses the loaded input of `len` bytes into `tape`.
    pub(crate) fn parse<'i>(
        input: &'i mut [u8],
        len: usize,
        buffers: &mut Buffers,
        tape: &mut Tape<'i>,
    ) -> Result<(), EventError> {
        simd_json::fill_tape_padded(input, len, buffers, tape)
            .map_err(|e| EventError::invalid_json(e.index(), &e.to_string()))
    }
}
