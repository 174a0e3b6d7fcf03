//! The benchmark's floor: finds and reads every input as `lsc` does (the same folder walk,
//! reading each file as its folder is listed, in parallel on rayon's threads) and does nothing
//! else with them, so its time is the part of any `lsc` run that parsing and planning cannot
//! win back.
//!
//!     cargo run --release --example read-floor -- PATH...
//!
//! Prints how many files and bytes it read; exits 1 when a path or file could not be read.

use std::process::ExitCode;

use lsc::source::{self, Limits};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let walked = source::read_each(&source::given(&paths), &Limits::default(), |_, bytes| {
        bytes.ok().map(|bytes| bytes.len())
    });
    let read = walked.results;
    let bytes: usize = read.iter().flatten().sum();
    println!("{} files, {bytes} bytes", read.len());
    let failed = read.iter().any(Option::is_none) || !walked.discovery.is_empty();
    if failed {
        eprintln!("read-floor: some inputs could not be read");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
