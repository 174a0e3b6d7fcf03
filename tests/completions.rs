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
    (&["man", "render"], "lsc-render.1"),
    (&["man", "convert"], "lsc-convert.1"),
    (&["man", "check"], "lsc-check.1"),
    (&["man", "explain"], "lsc-explain.1"),
    (&["man", "diff"], "lsc-diff.1"),
    (&["man", "fn"], "lsc-fn.1"),
    (&["man", "version"], "lsc-version.1"),
    (&["man", "man"], "lsc-man.1"),
    (&["man", "completions"], "lsc-completions.1"),
];

/// lsc(1) names a page for every subcommand (but `help`); each is one of the checked-in ones.
#[test]
fn every_subcommand_named_by_lsc_1_has_its_page() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let lsc_1 = std::fs::read_to_string(dir.join("lsc.1")).unwrap();
    let named: Vec<&str> = lsc_1
        .lines()
        .filter_map(|l| l.strip_prefix("lsc\\-")?.strip_suffix("(1)"))
        .filter(|name| *name != "help")
        .collect();
    assert!(named.len() >= 9, "lsc(1) names {named:?}");
    for name in named {
        let file = format!("lsc-{name}.1");
        assert!(
            GENERATED.iter().any(|(_, f)| *f == file),
            "lsc(1) names lsc-{name}(1), which is not generated"
        );
    }
}

#[test]
fn man_of_an_unknown_subcommand_is_a_usage_error() {
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .args(["man", "rendr"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no subcommand \"rendr\""));
}

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
