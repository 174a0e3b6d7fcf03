//! The checked-in completion scripts in completions/ must match what `lsc completions` prints.
//! `BLESS=1 cargo test --test completions` regenerates them.

#![allow(clippy::unwrap_used)]

use std::path::Path;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "lsc.bash"),
    ("zsh", "_lsc"),
    ("fish", "lsc.fish"),
    ("powershell", "_lsc.ps1"),
    ("elvish", "lsc.elv"),
];

#[test]
fn completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let output = assert_cmd::Command::cargo_bin("lsc")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "lsc completions {shell} failed");
        assert!(
            !output.stdout.is_empty(),
            "lsc completions {shell} printed nothing"
        );
        let path = dir.join(file);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &output.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(file.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale completion files {stale:?}: run `BLESS=1 cargo test --test completions`"
    );
}
