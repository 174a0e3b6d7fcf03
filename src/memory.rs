//! Huge memory pages for large runs only.
//!
//! mimalloc asks the kernel for transparent huge pages (2 MiB) on the regions it maps. On a
//! large tree they save most page faults (about a tenth of the CPU time at 100,000 documents),
//! but each one can make a small run's resident memory grow by 2 MiB. So the process starts
//! with them switched off and switches them back on once the folder walk has found many files.
//! The switch is the process's THP flag (`prctl`), which the kernel reads at each page fault;
//! it changes no output.

use std::sync::atomic::{AtomicBool, Ordering};

/// Files found from which huge pages pay: at a typical 2 KB a manifest file, about 16 MB of
/// input, where their extra resident memory is a small part of the run's.
const MANY_FILES: usize = 8192;

/// Whether huge pages were switched off at load (not when a parent process had done so
/// already: then they stay off).
static SWITCHED_OFF: AtomicBool = AtomicBool::new(false);

/// Switches huge pages off as the program is loaded, before Rust's runtime allocates: its
/// first allocation would otherwise take a huge page.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SMALL_PAGES_AT_LOAD: extern "C" fn() = small_pages;

#[cfg(target_os = "linux")]
extern "C" fn small_pages() {
    SWITCHED_OFF.store(thp::disable(), Ordering::Relaxed);
}

/// Switches huge pages back on when `files` is many and they were switched off at load.
pub fn pages_for(files: usize) {
    if files >= MANY_FILES && SWITCHED_OFF.swap(false, Ordering::Relaxed) {
        thp::enable();
    }
}

#[cfg(target_os = "linux")]
mod thp {
    use libc::{PR_GET_THP_DISABLE, PR_SET_THP_DISABLE, c_int, c_ulong, prctl};

    fn set(option: c_int, value: c_ulong) -> c_int {
        // SAFETY: PR_GET_THP_DISABLE and PR_SET_THP_DISABLE take integers only and touch no
        // memory of the process.
        unsafe { prctl(option, value, 0 as c_ulong, 0 as c_ulong, 0 as c_ulong) }
    }

    /// Whether this call switched them off (they were on).
    pub fn disable() -> bool {
        set(PR_GET_THP_DISABLE, 0) == 0 && set(PR_SET_THP_DISABLE, 1) == 0
    }

    /// A failure leaves small pages, which only costs time.
    pub fn enable() {
        set(PR_SET_THP_DISABLE, 0);
    }

    /// Whether huge pages are off for this process.
    #[cfg(test)]
    pub fn off() -> bool {
        set(PR_GET_THP_DISABLE, 0) == 1
    }
}

#[cfg(not(target_os = "linux"))]
mod thp {
    pub fn enable() {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn huge_pages_are_off_from_load_until_many_files_are_found() {
        if !SWITCHED_OFF.load(Ordering::Relaxed) {
            println!("skipped: huge pages were off before this test process started");
            return;
        }
        assert!(thp::off());
        pages_for(MANY_FILES - 1);
        assert!(thp::off());
        pages_for(MANY_FILES);
        assert!(!thp::off());
    }
}
