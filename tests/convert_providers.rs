//! The fixtures of the providers lsc translates besides ingress-nginx
//! (`tests/fixtures/convert/{traefik,cilium,apisix,nginxinc,kong}_*`): each converted output is clean for
//! `lsc check`, and `lsc render` of it gives the Certificates `lsc render` gives for the
//! Ingresses it replaces. `tests/fixtures.rs` holds the outputs to the binary's.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::PathBuf;

use common::lsc;

/// The prefixes of the provider fixtures, with how many each must have at least.
const PROVIDERS: &[(&str, usize)] = &[
    ("traefik_", 8),
    ("cilium_", 8),
    ("apisix_", 8),
    ("nginxinc_", 8),
    ("kong_", 8),
    ("gce_", 8),
];

fn cases(prefix: &str) -> Vec<PathBuf> {
    common::fixture_cases("convert")
        .into_iter()
        .filter(|case| {
            case.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect()
}

/// The Certificates of a render, without the HTTP-01 parentRef annotations (which name the
/// Ingress or the ListenerSet, as each solver needs) and the annotation headers they leave.
fn certificates(rendered: &str) -> Vec<String> {
    rendered
        .split("---\n")
        .map(|d| {
            d.lines()
                .filter(|l| {
                    !l.contains("http01-parentref") && !l.trim_start().starts_with("annotations:")
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn stdout(command: &mut assert_cmd::Command) -> (String, i32) {
    let output = command.output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn every_provider_has_its_fixtures() {
    for (prefix, least) in PROVIDERS {
        let found = cases(prefix).len();
        assert!(
            found >= *least,
            "{found} {prefix}* convert fixtures, expected at least {least}"
        );
    }
}

#[test]
fn provider_outputs_check_clean_and_render_the_same_certificates() {
    let mut checked = 0;
    for (prefix, _) in PROVIDERS {
        for case in cases(prefix) {
            let expected = case.join("expected.yaml");
            if !expected.exists() {
                // An error case: nothing was written.
                continue;
            }
            let name = case.file_name().unwrap().to_string_lossy().to_string();
            let (findings, code) =
                stdout(lsc().current_dir(&case).args(["check", "expected.yaml"]));
            assert!(
                code == 0 && findings.contains("0 errors, 0 warnings"),
                "{name}: lsc check of the output:\n{findings}"
            );
            let (before, code) = stdout(lsc().current_dir(&case).args(["render", "input.yaml"]));
            assert_eq!(code, 0, "{name}: render of the input");
            let (after, code) = stdout(lsc().current_dir(&case).args(["render", "expected.yaml"]));
            assert_eq!(code, 0, "{name}: render of the output");
            assert_eq!(
                certificates(&before),
                certificates(&after),
                "{name}: the output renders other Certificates than the input"
            );
            checked += 1;
        }
    }
    assert!(checked >= 18, "only {checked} provider outputs checked");
}
