//! The checked-in completion scripts and man page in completions/ must match what
//! `lsc completions SHELL` and `lsc man` print. `BLESS=1 cargo test --test completions`
//! regenerates them.

#![allow(clippy::unwrap_used)]

use std::path::Path;

const GENERATED: &[(&[&str], &str)] = &[
    (&["completions", "bash"], "lsc.bash"),
    (&["completions", "zsh"], "_lsc"),
    (&["completions", "fish"], "lsc.fish"),
    (&["completions", "powershell"], "_lsc.ps1"),
    (&["completions", "elvish"], "lsc.elv"),
    (&["man"], "lsc.1"),
];

#[test]
fn completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (args, file) in GENERATED {
        let output = assert_cmd::Command::cargo_bin("lsc")
            .unwrap()
            .args(*args)
            .output()
            .unwrap();
        assert!(output.status.success(), "lsc {args:?} failed");
        assert!(!output.stdout.is_empty(), "lsc {args:?} printed nothing");
        let path = dir.join(file);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &output.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(file.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `BLESS=1 cargo test --test completions`"
    );
}
