//! Everything one invocation needs, kept between invocations: reset, never dropped, so a
//! warm function serves a request without touching the heap.

use bumpalo::Bump;
use http::Extensions;
use simd_json::{Buffers, INPUT_PADDING, tape::Tape};

use crate::arena_future::FutureArena;
use crate::event::EventError;
use crate::response::SerializeState;

/// Reusable per-invocation buffers: the event copy, simd-json's buffers and tape, the
/// arena, the output and the shared context.
///
/// Keep one per function (or per thread) and pass it to every
/// [`App::handle`](crate::App::handle).
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

impl Scratch {
    /// Buffers sized for typical events (they grow to the largest seen, then stay).
    #[must_use]
    pub fn new() -> Self {
        const TYPICAL_EVENT: usize = 8 * 1024;
        Self {
            input: Vec::with_capacity(TYPICAL_EVENT + INPUT_PADDING),
            buffers: Buffers::new(TYPICAL_EVENT),
            tape: Tape(Vec::with_capacity(TYPICAL_EVENT / 4)),
            arena: Bump::with_capacity(TYPICAL_EVENT),
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
