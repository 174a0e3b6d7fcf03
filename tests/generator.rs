//! `tools/gen-tree.py`, the benchmark's tree generator (issue 6): the same seed writes the same
//! bytes, another seed another tree, and what it writes is valid for render, convert and check.
//! Needs python3 (CI has it); without it each test prints `SKIPPED: …` and passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOCS: &str = "1000";

fn python3() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    found.then_some("python3")
}

/// Runs the generator into `out`; returns its JSON summary line.
fn generate(python: &str, seed: u64, out: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/gen-tree.py");
    let output = Command::new(python)
        .arg(script)
        .args(["--docs", DOCS, "--seed", &seed.to_string(), "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "gen-tree.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// The first difference between two trees, for a readable failure.
fn first_difference(
    a: &BTreeMap<PathBuf, Vec<u8>>,
    b: &BTreeMap<PathBuf, Vec<u8>>,
) -> Option<String> {
    if a.keys().ne(b.keys()) {
        let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).take(3).collect();
        let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).take(3).collect();
        return Some(format!(
            "file lists differ: only in first {only_a:?}, only in second {only_b:?}"
        ));
    }
    a.iter()
        .find(|(path, bytes)| b[*path] != **bytes)
        .map(|(path, _)| format!("{} differs", path.display()))
}

#[test]
fn same_seed_same_bytes_other_seed_other_tree() {
    let Some(python) = python3() else {
        eprintln!("SKIPPED: same_seed_same_bytes_other_seed_other_tree: python3 not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (one, two, other) = (
        dir.path().join("one"),
        dir.path().join("two"),
        dir.path().join("other"),
    );
    let summary_one = generate(python, 7, &one);
    let summary_two = generate(python, 7, &two);
    generate(python, 8, &other);
    assert_eq!(summary_one, summary_two);

    let (a, b, c) = (tree(&one), tree(&two), tree(&other));
    assert!(a.len() > 100, "only {} files for {DOCS} documents", a.len());
    assert_eq!(first_difference(&a, &b), None, "same seed, different trees");
    assert!(
        first_difference(&a, &c).is_some(),
        "seeds 7 and 8 wrote the same tree"
    );

    // The shape the benchmark needs: about the asked-for documents, ~5 per file, ~30 % routing.
    let summary: serde_json::Value = serde_json::from_str(&summary_one).unwrap();
    let documents = summary["documents"].as_u64().unwrap();
    let files = summary["files"].as_u64().unwrap();
    assert!((1000..1200).contains(&documents), "{summary}");
    assert_eq!(files as usize, a.len());
    assert!((4..=6).contains(&(documents / files)), "{summary}");
    let share = summary["routing_share"].as_f64().unwrap();
    assert!((0.25..0.35).contains(&share), "{summary}");
    for kind in [
        "Ingress",
        "Gateway",
        "ListenerSet",
        "XListenerSet",
        "HTTPRoute",
    ] {
        assert!(summary["kinds"][kind].as_u64().unwrap() > 0, "no {kind}");
    }
}

#[test]
fn generated_tree_renders_converts_and_checks_without_errors() {
    let Some(python) = python3() else {
        eprintln!(
            "SKIPPED: generated_tree_renders_converts_and_checks_without_errors: python3 not found"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    generate(python, 1, dir.path());
    let path = dir.path().to_str().unwrap();
    for args in [
        vec!["render", path],
        vec!["convert", path],
        vec!["check", "--format", "json", path],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_lsc"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "lsc {args:?} exited {:?}: {stderr}",
            output.status
        );
        assert!(
            !stderr.lines().any(|l| l.starts_with("error")),
            "lsc {args:?}: {stderr}"
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        match args[0] {
            "render" => assert!(stdout.matches("kind: Certificate\n").count() > 100),
            "convert" => assert!(stdout.contains("kind: HTTPRoute\n")),
            // Only warnings: LSC104 for the XListenerSets.
            _ => assert!(!stdout.contains("\"severity\": \"error\""), "{stdout}"),
        }
    }
}

/// The same generated tree gives the same bytes on stdout and stderr with one thread, two and
/// the default, for every command (issue 6).
#[test]
fn generated_tree_output_does_not_depend_on_jobs() {
    let Some(python) = python3() else {
        eprintln!("SKIPPED: generated_tree_output_does_not_depend_on_jobs: python3 not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    generate(python, 7, dir.path());
    for command in [
        &["render"][..],
        &["render", "--all"],
        &["convert"],
        &["check", "--format", "json"],
    ] {
        let run = |jobs: Option<&str>| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_lsc"));
            cmd.args(command).arg(dir.path());
            if let Some(j) = jobs {
                cmd.args(["--jobs", j]);
            }
            let out = cmd.output().unwrap();
            (out.status.code(), out.stdout, out.stderr)
        };
        let one = run(Some("1"));
        assert!(!one.1.is_empty(), "{command:?} printed nothing");
        assert!(one == run(Some("2")), "{command:?}: --jobs 1 and 2 differ");
        assert!(
            one == run(None),
            "{command:?}: --jobs 1 and the default differ"
        );
    }
}
