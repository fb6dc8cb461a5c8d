//! Spare [`Scratch`]es for the invocations in flight, shared by everything that serves an
//! app (the Lambda loops and adapter, the dev server): a [`ScratchLease`] takes one (a
//! spare, or a new one when every spare is out) and gives it back when dropped, so a warm
//! invocation allocates no buffer and two invocations never share one.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};

use crate::Scratch;

/// Spare [`Scratch`]es, at most as many as the pool was made to keep.
#[derive(Debug)]
pub(crate) struct ScratchPool {
    spare: Mutex<Vec<Scratch>>,
    keep: usize,
}

impl ScratchPool {
    /// A pool that keeps up to `keep` spare scratches (more are made while more invocations
    /// are in flight, then dropped).
    pub(crate) fn new(keep: usize) -> Arc<Self> {
        Arc::new(Self {
            spare: Mutex::new(Vec::with_capacity(keep)),
            keep,
        })
    }

    /// A scratch for one invocation, given back when the lease is dropped.
    pub(crate) fn take(self: &Arc<Self>) -> ScratchLease {
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

    /// Keeps `scratch` for a later invocation (without what a large event grew in it),
    /// unless the pool holds as many as it keeps: giving back never allocates.
    fn give_back(&self, mut scratch: Scratch) {
        scratch.release_excess();
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        if spare.len() < self.keep {
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

/// One invocation's [`Scratch`], given back to its pool when dropped.
#[derive(Debug)]
pub(crate) struct ScratchLease {
    /// `Some` until dropped.
    scratch: Option<Scratch>,
    pool: Arc<ScratchPool>,
}

impl Deref for ScratchLease {
    type Target = Scratch;

    fn deref(&self) -> &Scratch {
        // `None` only inside `drop`.
        self.scratch.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl DerefMut for ScratchLease {
    fn deref_mut(&mut self) -> &mut Scratch {
        self.scratch.get_or_insert_with(Scratch::new)
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
    fn leases_come_back_and_the_pool_keeps_no_more_than_its_size() {
        let pool = ScratchPool::new(2);
        let first = pool.take();
        let second = pool.take();
        let third = pool.take(); // no spare: a new one
        assert_eq!(pool.spare(), 0);
        drop(first);
        drop(second);
        drop(third); // the pool is full: this one is dropped
        assert_eq!(pool.spare(), 2);
        let again = pool.take();
        assert_eq!(pool.spare(), 1);
        drop(again);
        assert_eq!(pool.spare(), 2);
    }
}
