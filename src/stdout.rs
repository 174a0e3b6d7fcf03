//! Whether stdout was closed when lsc started (`lsc render FILE >&-`).
//!
//! Rust's runtime, before `main`, opens `/dev/null` on a standard descriptor it finds closed,
//! so a write to it succeeds and the output is lost without a word. After that nothing tells
//! that `/dev/null` was not what the caller gave (`> /dev/null` looks the same). So the
//! descriptor is looked at earlier: a function in `.init_array` runs as the program is loaded,
//! before `main` and so before Rust's runtime (`src/memory.rs` does the same for huge pages).
//! Elsewhere than Linux a closed stdout goes unnoticed, as before.

use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static LOOK_AT_LOAD: extern "C" fn() = look;

#[cfg(target_os = "linux")]
extern "C" fn look() {
    // SAFETY: F_GETFD reads a descriptor's flags and touches no memory; it fails with EBADF
    // when the descriptor is not open.
    let flags = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) };
    CLOSED_AT_START.store(flags == -1, Ordering::Relaxed);
}

/// True when lsc was started with stdout closed.
pub fn closed_at_start() -> bool {
    CLOSED_AT_START.load(Ordering::Relaxed)
}

/// What output goes to when stdout was closed: any write of a byte fails.
pub struct Closed;

impl std::io::Write for Closed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        Err(std::io::Error::other("stdout is closed"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
