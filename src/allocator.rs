//! The global allocator: mimalloc. lsc allocates many small strings and maps while it reads
//! YAML; mimalloc makes that much cheaper than glibc's malloc (measured with
//! tools/bench/run.sh).
//!
//! Unlike the `mimalloc` crate's allocator, which asks for every block by its alignment
//! (`mi_malloc_aligned`), this one asks for a plain block when the alignment is one every
//! mimalloc block has. The aligned call takes a plain block only when a block up to 1 KiB is
//! free in a page of its size, or the size is a power of two; otherwise (a size class with no
//! free block left, most blocks over 1 KiB) it allocates more and aligns inside, a slower path
//! that growing lists and strings hit all the time.

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};
use std::alloc::{GlobalAlloc, Layout};

/// The alignment of every mimalloc block: block sizes are whole machine words, and pages
/// start aligned.
const BLOCK_ALIGN: usize = std::mem::size_of::<usize>();

pub struct Mimalloc;

// SAFETY: each call hands mimalloc a size and, above `BLOCK_ALIGN`, the alignment the layout
// asks for; mimalloc returns blocks of at least that size and alignment, or null when out of
// memory, and frees or resizes only blocks it returned.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: see the impl.
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: see the impl.
            unsafe { mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: see the impl.
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: see the impl.
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            // SAFETY: `ptr` came from this allocator (the caller's contract).
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: as above.
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}
