//! A small map from HTTP method to a value: fixed slots for the standard
//! methods, a short list for extension methods.

use http::Method;

/// How many standard methods get a fixed slot.
const STANDARD_SLOTS: usize = 9;

/// The fixed slot of a standard method, most frequent first so the common
/// comparisons come early (each is a cheap discriminant check).
#[inline]
fn standard_slot(method: &Method) -> Option<usize> {
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

#[derive(Clone, Debug)]
pub(crate) struct MethodTable<T> {
    standard: [Option<T>; STANDARD_SLOTS],
    extensions: Vec<(Method, T)>,
}

impl<T> Default for MethodTable<T> {
    fn default() -> Self {
        Self {
            standard: std::array::from_fn(|_| None),
            extensions: Vec::new(),
        }
    }
}

impl<T> MethodTable<T> {
    #[inline]
    pub(crate) fn get(&self, method: &Method) -> Option<&T> {
        match standard_slot(method) {
            Some(slot) => self.standard.get(slot)?.as_ref(),
            None => self
                .extensions
                .iter()
                .find(|(m, _)| m == method)
                .map(|(_, value)| value),
        }
    }

    /// Stores `value` for `method` unless one is there already; returns the existing one then.
    pub(crate) fn insert_new(&mut self, method: &Method, value: T) -> Result<(), &T> {
        let existing = match standard_slot(method) {
            Some(slot) => self.standard.get_mut(slot),
            None => None,
        };
        if let Some(slot) = existing {
            if let Some(old) = slot {
                return Err(old);
            }
            *slot = Some(value);
            return Ok(());
        }
        if let Some(position) = self.extensions.iter().position(|(m, _)| m == method) {
            return match self.extensions.get(position) {
                Some((_, old)) => Err(old),
                None => Ok(()),
            };
        }
        self.extensions.push((method.clone(), value));
        Ok(())
    }

    /// The same table with every value converted.
    pub(crate) fn map<U>(self, mut convert: impl FnMut(T) -> U) -> MethodTable<U> {
        let mut standard = self.standard.into_iter();
        MethodTable {
            standard: std::array::from_fn(|_| standard.next().flatten().map(&mut convert)),
            extensions: self
                .extensions
                .into_iter()
                .map(|(m, value)| (m, convert(value)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_extension_methods() {
        let mut table = MethodTable::default();
        let custom = Method::from_bytes(b"CUSTOM").ok();
        assert_eq!(table.insert_new(&Method::GET, 1), Ok(()));
        assert_eq!(table.insert_new(&Method::GET, 2), Err(&1));
        if let Some(custom) = &custom {
            assert_eq!(table.insert_new(custom, 3), Ok(()));
            assert_eq!(table.insert_new(custom, 4), Err(&3));
            assert_eq!(table.get(custom), Some(&3));
        }
        assert_eq!(table.get(&Method::GET), Some(&1));
        assert_eq!(table.get(&Method::POST), None);
        assert_eq!(table.map(|v| v * 10).get(&Method::GET), Some(&10));
    }
}
