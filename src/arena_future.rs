//! Async handler futures pinned in a per-invocation arena instead of one `Box` each, so a
//! warm async invocation allocates nothing. The crate's only `unsafe` lives here.
#![allow(unsafe_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bumpalo::Bump;

/// A type-erased future, pinned in the arena or (outside `App::handle`'s fast path, e.g.
/// under async middleware) on the heap.
pub(crate) enum HandlerFuture<'r, T> {
    Arena(Pin<bumpalo::boxed::Box<'r, dyn Future<Output = T> + Send + 'r>>),
    Heap(Pin<Box<dyn Future<Output = T> + Send + 'r>>),
}

impl<T> Future for HandlerFuture<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Both variants are `Unpin` pointers to pinned futures.
        match self.get_mut() {
            HandlerFuture::Arena(future) => future.as_mut().poll(cx),
            HandlerFuture::Heap(future) => future.as_mut().poll(cx),
        }
    }
}

/// Where a handler's future goes.
#[derive(Clone, Copy)]
pub(crate) enum FutureHome<'r> {
    Arena(&'r Bump),
    Heap,
}

impl<'r> FutureHome<'r> {
    /// Pins `future` in its home and erases its type.
    pub(crate) fn pin<F>(self, future: F) -> HandlerFuture<'r, F::Output>
    where
        F: Future + Send + 'r,
    {
        match self {
            FutureHome::Heap => HandlerFuture::Heap(Box::pin(future)),
            FutureHome::Arena(arena) => {
                let raw: *mut F =
                    bumpalo::boxed::Box::into_raw(bumpalo::boxed::Box::new_in(future, arena));
                let raw: *mut (dyn Future<Output = F::Output> + Send + 'r) = raw;
                // SAFETY: `raw` comes from `Box::into_raw` of a box just allocated in
                // `arena` for 'r; the cast above only added the vtable (an unsizing), so it
                // still points to a valid, initialised value that nothing else owns — what
                // `Box::from_raw` requires. bumpalo boxes run their value's `Drop`, and
                // `FutureArena` never reuses memory a future may still live in (see there),
                // which upholds `Pin`'s drop guarantee.
                let boxed = unsafe { bumpalo::boxed::Box::from_raw(raw) };
                HandlerFuture::Arena(Pin::from(boxed))
            }
        }
    }
}

/// The arena handler futures are pinned in, with the bookkeeping that keeps pinning sound:
/// memory is reused only once the invocation that used it has finished. If a caller leaks an
/// unfinished `App::handle` future (`mem::forget`), the pinned future in it is never dropped;
/// the next invocation then abandons that arena (its memory is leaked, never reused) and
/// starts a new one.
#[derive(Default)]
pub(crate) struct FutureArena {
    bump: Bump,
    in_use: bool,
}

impl std::fmt::Debug for FutureArena {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FutureArena")
            .field("in_use", &self.in_use)
            .finish_non_exhaustive()
    }
}

impl FutureArena {
    /// Ready for an invocation: the arena, reset (or replaced if a leaked invocation may
    /// still have a future in it), and a guard that marks it free again when dropped.
    pub(crate) fn start(&mut self) -> FutureArenaGuard<'_> {
        if self.in_use {
            std::mem::forget(std::mem::take(&mut self.bump));
        } else {
            self.bump.reset();
        }
        self.in_use = true;
        FutureArenaGuard { arena: self }
    }
}

/// Marks the arena free when the invocation ends (normally or by being dropped); never
/// runs if the invocation's future is leaked, which is the point.
pub(crate) struct FutureArenaGuard<'a> {
    arena: &'a mut FutureArena,
}

impl FutureArenaGuard<'_> {
    pub(crate) fn home(&self) -> FutureHome<'_> {
        FutureHome::Arena(&self.arena.bump)
    }
}

impl Drop for FutureArenaGuard<'_> {
    fn drop(&mut self) {
        self.arena.in_use = false;
    }
}
