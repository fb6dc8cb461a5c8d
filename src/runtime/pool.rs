//! The [`Scratch`] buffers of the invocations in flight: one per concurrent invocation,
//! taken as it starts and given back once its response has been written, so a warm
//! invocation allocates no buffer and two invocations never share one.

use std::sync::{Arc, Mutex, PoisonError};

use crate::Scratch;

/// Spare [`Scratch`]es, shared by the invocation loops of one process.
#[derive(Debug)]
pub(super) struct ScratchPool {
    spare: Mutex<Vec<Scratch>>,
}

impl ScratchPool {
    /// A pool holding `size` ready scratches (one per invocation that can be in flight).
    pub(super) fn new(size: usize) -> Arc<Self> {
        let spare = (0..size).map(|_| Scratch::new()).collect();
        Arc::new(Self {
            spare: Mutex::new(spare),
        })
    }

    /// A scratch for one invocation: a spare one, or a new one when every spare is still
    /// held (a response body that the HTTP client has not finished writing holds its own).
    pub(super) fn take(self: &Arc<Self>) -> ScratchLease {
        let spare = self
            .spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        ScratchLease {
            scratch: Some(spare.unwrap_or_default()),
            pool: Arc::clone(self),
        }
    }

    /// Keeps `scratch` for a later invocation, unless the pool already holds as many as it
    /// was made for (the spare list never grows, so giving back never allocates).
    fn give_back(&self, scratch: Scratch) {
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        if spare.len() < spare.capacity() {
            spare.push(scratch);
        }
    }

    /// How many spare scratches the pool holds now.
    #[cfg(test)]
    fn spare(&self) -> usize {
        self.spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// One invocation's [`Scratch`], given back to its pool when dropped. As the owner of a
/// `Bytes` it lends the last response (`Scratch::output`) to the HTTP client without a copy.
#[derive(Debug)]
pub(super) struct ScratchLease {
    /// `Some` until dropped.
    scratch: Option<Scratch>,
    pool: Arc<ScratchPool>,
}

impl ScratchLease {
    pub(super) fn scratch(&mut self) -> &mut Scratch {
        self.scratch.get_or_insert_with(Scratch::new)
    }
}

impl AsRef<[u8]> for ScratchLease {
    fn as_ref(&self) -> &[u8] {
        self.scratch.as_ref().map_or(&[], Scratch::output)
    }
}

impl Drop for ScratchLease {
    fn drop(&mut self) {
        if let Some(scratch) = self.scratch.take() {
            self.pool.give_back(scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ScratchPool;

    #[test]
    fn leases_come_back_and_the_pool_never_grows() {
        let pool = ScratchPool::new(2);
        let first = pool.take();
        let second = pool.take();
        let third = pool.take(); // all spares out: a new one
        assert_eq!(pool.spare(), 0);
        drop(first);
        drop(second);
        drop(third); // the pool is full again: this one is dropped
        assert_eq!(pool.spare(), 2);
    }
}
