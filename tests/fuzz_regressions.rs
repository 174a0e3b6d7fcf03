//! The fuzz targets' checks (fuzz/src/lib.rs) under plain `cargo test`, without the fuzz
//! toolchain. Every input in fuzz/regressions/ (what fuzzing once broke) goes through the
//! `read`, `render` and `convert` checks strictly (no tolerance for open findings); the seed
//! corpus fuzz/corpus/TARGET/ goes through TARGET's check as the fuzz targets run it. A panic,
//! inside lsc or a failed property, fails the test.
//!
//! The regressions listed in `OPEN_FINDINGS` (reported, not fixed yet in src/) are expected to
//! fail; once one passes, the test asks for its entry (and its tolerance) to be removed.

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

type Check = fn(&[u8], bool);

const CHECKS: [(&str, Check); 3] = [
    ("read", checks::read),
    ("render", checks::render),
    ("convert", checks::convert),
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
    /// The checks to run: all three for a regression, the target's for a corpus file.
    checks: Vec<(&'static str, Check)>,
    strict: bool,
}

/// Runs the case's checks; returns the failures as `check: message`.
fn failures(case: &Case) -> Vec<String> {
    let data = std::fs::read(&case.path).unwrap();
    let mut failed = Vec::new();
    for &(name, check) in &case.checks {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&data, case.strict))) {
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
            strict: true,
        })
        .collect();
    // An open finding must pass as the fuzz targets check it (its tolerance works).
    cases.extend(
        regressions
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| checks::OPEN_FINDINGS.iter().any(|o| n == *o))
            })
            .map(|path| Case {
                path: path.clone(),
                checks: CHECKS.to_vec(),
                strict: false,
            }),
    );
    for (target, check) in CHECKS {
        let corpus = files_in(&fuzz_dir().join("corpus").join(target));
        assert!(
            !corpus.is_empty(),
            "no seed corpus in fuzz/corpus/{target}/ (fuzz/seed-corpus.sh makes it)"
        );
        cases.extend(corpus.into_iter().map(|path| Case {
            path,
            checks: vec![(target, check)],
            strict: false,
        }));
    }
    for open in checks::OPEN_FINDINGS {
        assert!(
            regressions
                .iter()
                .any(|p| p.file_name().is_some_and(|n| n == *open)),
            "OPEN_FINDINGS names fuzz/regressions/{open}, which does not exist"
        );
    }

    let mut problems = Vec::new();
    for (case, failed) in cases.iter().zip(run_all(&cases)) {
        let path = &case.path;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let open = case.strict && checks::OPEN_FINDINGS.contains(&name.as_str());
        match (open, failed.is_empty()) {
            (false, true) => {}
            (true, false) => eprintln!(
                "open finding {} still fails (expected until src/ fixes it):\n  {}",
                relative(path),
                failed.join("\n  ")
            ),
            (false, false) => {
                problems.push(format!("{}:\n  {}", relative(path), failed.join("\n  ")))
            }
            (true, true) => problems.push(format!(
                "{} passes now: remove it from OPEN_FINDINGS in fuzz/src/lib.rs with the tolerance that names it",
                relative(path)
            )),
        }
    }
    eprintln!(
        "{} inputs checked ({} regressions, {} open)",
        cases.len(),
        regressions.len(),
        checks::OPEN_FINDINGS.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
