//! simd-json's reusable parser state (the padded input copy, its buffers and the tape) as
//! one value, and the guard that lends a parsed tape and gives its nodes back.

use std::ops::Deref;

use simd_json::tape::{Node, Tape};
use simd_json::{Buffers, INPUT_PADDING};

use super::EventError;

/// The state simd-json parses an event with, kept between invocations so that a warm
/// parse reuses every buffer.
pub(crate) struct JsonTape {
    /// The event, copied with the padding simd-json reads past its end (and mutated in
    /// place: strings are unescaped where they lie).
    input: Vec<u8>,
    buffers: Buffers,
    /// Empty between parses; a parse borrows its nodes' storage.
    tape: Tape<'static>,
}

/// A tape parsed from a [`JsonTape`]; dropping it clears the tape and stores it back, on
/// every path (an error, a panic, a dropped future).
pub(crate) struct ParsedTape<'t> {
    tape: Tape<'t>,
    slot: &'t mut Tape<'static>,
}

impl JsonTape {
    /// Parser state sized for events of `typical` bytes (the buffers grow as events need).
    pub(crate) fn with_capacity(typical: usize) -> Self {
        Self {
            input: Vec::with_capacity(typical.saturating_add(INPUT_PADDING)),
            // Empty: simd-json's buffers grow to the first event's size. Sized up front
            // they would also hold an aligned copy of the input that `fill_tape_padded`
            // never uses.
            buffers: Buffers::new(0),
            // simd-json reserves what each event needs (a node per structural character):
            // a guess up front only over-reserves.
            tape: Tape(Vec::new()),
        }
    }

    /// Copies `json` into the padded input and parses it into the tape.
    ///
    /// # Errors
    /// `event.invalid_json` with simd-json's position and reason.
    pub(crate) fn parse(&mut self, json: &[u8]) -> Result<ParsedTape<'_>, EventError> {
        let Self {
            input,
            buffers,
            tape: slot,
        } = self;
        input.clear();
        // Exactly what this input needs: growing by doubling would hold up to twice a large
        // event until `release_over`.
        input.reserve_exact(json.len().saturating_add(INPUT_PADDING));
        input.extend_from_slice(json);
        // One block copy; `resize` would fill the padding byte by byte.
        input.extend_from_slice(&[0; INPUT_PADDING]);
        let mut tape = std::mem::replace(slot, Tape(Vec::new())).reset();
        let filled = simd_json::fill_tape_padded(input, json.len(), buffers, &mut tape);
        let parsed = ParsedTape { tape, slot };
        filled.map_err(|e| EventError::invalid_json(e.index(), &e.to_string()))?;
        Ok(parsed)
    }

    /// Gives back what the last parses grew past `limit`: the tape's nodes, and the input
    /// copy with simd-json's buffers when the input is past a quarter of it (the buffers
    /// report no size, and grow up to about 4 bytes per input byte: a structural index per
    /// `,`/`[`, the unescaped strings, the depth stack).
    pub(crate) fn release_over(&mut self, limit: usize, typical: usize) {
        if self.input.capacity() > limit / 4 {
            *self = Self::with_capacity(typical);
        }
        let node_bytes = (self.tape.0.capacity()).saturating_mul(size_of::<Node<'static>>());
        if node_bytes > limit {
            self.tape = Tape(Vec::new());
        }
    }

    /// The input copy's capacity, in bytes.
    pub(crate) fn input_capacity(&self) -> usize {
        self.input.capacity()
    }
}

impl<'t> Deref for ParsedTape<'t> {
    type Target = Tape<'t>;

    fn deref(&self) -> &Tape<'t> {
        &self.tape
    }
}

impl Drop for ParsedTape<'_> {
    fn drop(&mut self) {
        *self.slot = std::mem::replace(&mut self.tape, Tape(Vec::new())).reset();
    }
}
