//! A global allocator that tracks the heap the current thread holds (allocated minus
//! freed) and its peak, for the test binaries that measure memory. libtest runs tests on
//! several threads; each allocates and frees on its own, so the counters are per thread.
//!
//! A test binary installs it with
//! `#[global_allocator] static GLOBAL: heap::PeakBytes = heap::PeakBytes;`.
#![allow(dead_code)] // each binary uses the part it measures with

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts live bytes and their peak on the allocating thread, forwarding to `System`.
pub(crate) struct PeakBytes;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get().wrapping_add_unsigned(bytes));
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn sub(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().wrapping_sub_unsigned(bytes)));
}

/// The bytes this thread holds now.
pub(crate) fn live() -> isize {
    LIVE.with(Cell::get)
}

/// The heap peak while `run` runs, above what was live when it started.
pub(crate) fn peak_of<T>(run: impl FnOnce() -> T) -> (usize, T) {
    let before = live();
    PEAK.with(|peak| peak.set(before));
    let out = run();
    let peak = PEAK.with(Cell::get) - before;
    (usize::try_from(peak).unwrap_or(0), out)
}

// The one `unsafe` of the memory tests: a global allocator must be an `unsafe impl`.
#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are const-initialised thread-local `Cell`s without `Drop`, so touching them
// cannot allocate or re-enter the allocator. Sizes are counted only for calls that
// succeeded.
unsafe impl GlobalAlloc for PeakBytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            sub(layout.size());
            add(new_size);
        }
        moved
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }
}
