//! Methods as small numbers: a fixed slot for each standard method, slots after them for
//! the extension methods an app registers, so a route node compares one integer.

use http::Method;

/// How many standard methods get a fixed slot.
const STANDARD_SLOTS: u16 = 9;

/// A method's number in one trie.
pub(crate) type MethodSlot = u16;

/// The fixed slot of a standard method, most frequent first so the common
/// comparisons come early (each is a cheap discriminant check).
#[inline]
fn standard_slot(method: &Method) -> Option<MethodSlot> {
    let slot = if *method == Method::GET {
        0
    } else if *method == Method::POST {
        1
    } else if *method == Method::PUT {
        2
    } else if *method == Method::DELETE {
        3
    } else if *method == Method::PATCH {
        4
    } else if *method == Method::HEAD {
        5
    } else if *method == Method::OPTIONS {
        6
    } else if *method == Method::TRACE {
        7
    } else if *method == Method::CONNECT {
        8
    } else {
        return None;
    };
    Some(slot)
}

/// The extension methods of one trie, in the order they were first registered.
#[derive(Debug, Default)]
pub(crate) struct MethodSlots {
    extensions: Vec<Method>,
}

impl MethodSlots {
    /// The slot of `method`, if any route uses it.
    #[inline]
    pub(crate) fn get(&self, method: &Method) -> Option<MethodSlot> {
        standard_slot(method).or_else(|| {
            let position = self.extensions.iter().position(|m| m == method)?;
            STANDARD_SLOTS.checked_add(u16::try_from(position).ok()?)
        })
    }

    /// The slot of `method`, given one if it is new; `None` only past 65,000 methods.
    pub(crate) fn get_or_add(&mut self, method: &Method) -> Option<MethodSlot> {
        if let Some(slot) = self.get(method) {
            return Some(slot);
        }
        self.extensions.push(method.clone());
        self.get(method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_extension_methods() {
        let mut slots = MethodSlots::default();
        let custom = Method::from_bytes(b"CUSTOM").unwrap();
        let other = Method::from_bytes(b"OTHER").unwrap();
        assert_eq!(slots.get(&Method::GET), Some(0));
        assert_eq!(slots.get(&custom), None);
        assert_eq!(slots.get_or_add(&custom), Some(STANDARD_SLOTS));
        assert_eq!(slots.get_or_add(&other), Some(STANDARD_SLOTS + 1));
        assert_eq!(slots.get_or_add(&custom), Some(STANDARD_SLOTS));
        assert_eq!(slots.get_or_add(&Method::CONNECT), Some(8));
    }
}
