//! The benchmark's floor: finds and reads every input as `lsc` does (the same folder walk and
//! file reads, files in parallel on rayon's threads) and does nothing else with them, so its
//! time is the part of any `lsc` run that parsing and planning cannot win back.
//!
//!     cargo run --release --example read-floor -- PATH...
//!
//! Prints how many files and bytes it read; exits 1 when a path or file could not be read.

use rayon::prelude::*;
use std::process::ExitCode;

use lsc::source::{self, Limits};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let (inputs, diagnostics) = source::discover(&paths);
    let limits = Limits::default();
    let read: Vec<Option<usize>> = inputs
        .par_iter()
        .map(|input| {
            source::read_bytes(input, &limits)
                .ok()
                .map(|bytes| bytes.len())
        })
        .collect();
    let bytes: usize = read.iter().flatten().sum();
    println!("{} files, {bytes} bytes", read.len());
    let failed = read.iter().any(Option::is_none) || !diagnostics.is_empty();
    if failed {
        eprintln!("read-floor: some inputs could not be read");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
