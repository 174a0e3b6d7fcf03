//! `check`: see fuzz/README.md and `lsc_fuzz::check` (fuzz/src/lib.rs) for what it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| lsc_fuzz::check(data));
