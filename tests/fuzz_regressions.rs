//! The fuzz targets' checks (fuzz/src/lib.rs) under plain `cargo test`, without the fuzz
//! toolchain. Every input in fuzz/regressions/ (what fuzzing once broke) goes through the
//! checks of every target; the seed corpus fuzz/corpus/TARGET/ goes through
//! TARGET's check. A panic, inside lsc or a failed property, fails the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

type Check = fn(&[u8]);

const CHECKS: [(&str, Check); 5] = [
    ("read", checks::read),
    ("render", checks::render),
    ("convert", checks::convert),
    ("check", checks::check),
    ("function", checks::function),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

/// One input and how to check it.
struct Case {
    path: PathBuf,
    /// The checks to run: all of them for a regression, the target's for a corpus file.
    checks: Vec<(&'static str, Check)>,
}

/// Runs the case's checks; returns the failures as `check: message`.
fn failures(case: &Case) -> Vec<String> {
    let data = std::fs::read(&case.path).unwrap();
    let mut failed = Vec::new();
    for &(name, check) in &case.checks {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic without a message".to_string());
            // The first lines say what failed; the rest is the output it was about.
            let short: Vec<&str> = message.lines().take(6).collect();
            failed.push(format!("{name}: {}", short.join("\n    ")));
        }
    }
    failed
}

/// Runs every case, on a few threads, quietly (the panics are collected, not printed); the
/// results are in the cases' order.
fn run_all(cases: &[Case]) -> Vec<Vec<String>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let chunk = cases.len().div_ceil(threads).max(1);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|cases| scope.spawn(move || cases.iter().map(failures).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    std::panic::set_hook(hook);
    results
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn regressions_and_corpus_pass_the_fuzz_checks() {
    let regressions = files_in(&fuzz_dir().join("regressions"));
    let mut cases: Vec<Case> = regressions
        .iter()
        .map(|path| Case {
            path: path.clone(),
            checks: CHECKS.to_vec(),
        })
        .collect();
    for (target, check) in CHECKS {
        let corpus = files_in(&fuzz_dir().join("corpus").join(target));
        assert!(
            !corpus.is_empty(),
            "no seed corpus in fuzz/corpus/{target}/ (fuzz/seed-corpus.sh makes it)"
        );
        cases.extend(corpus.into_iter().map(|path| Case {
            path,
            checks: vec![(target, check)],
        }));
    }

    let problems: Vec<String> = cases
        .iter()
        .zip(run_all(&cases))
        .filter(|(_, failed)| !failed.is_empty())
        .map(|(case, failed)| format!("{}:\n  {}", relative(&case.path), failed.join("\n  ")))
        .collect();
    eprintln!(
        "{} inputs checked ({} regressions)",
        cases.len(),
        regressions.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
