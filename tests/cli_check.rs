//! `lsc check` and `lsc explain` on the real binary: exit codes, `--deny warnings`, formats,
//! and that the SARIF schema check in the fixtures can fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use predicates::prelude::*;

use common::lsc;

const XLISTENERSET: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: example
  allowedListeners:
    namespaces:
      from: All
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.x-k8s.io/v1alpha1
kind: XListenerSet
metadata:
  name: web
  namespace: team-a
spec:
  parentRef:
    name: shared
    namespace: infra
  listeners:
  - name: web
    hostname: web.example.com
    port: 8080
    protocol: HTTP
";

#[test]
fn warnings_pass_unless_denied() {
    lsc()
        .args(["check", "-"])
        .write_stdin(XLISTENERSET)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning[LSC104]: XListenerSet team-a/web:",
        ))
        .stdout(predicate::str::ends_with("0 errors, 1 warning, 0 notes\n"));
    lsc()
        .args(["check", "--deny", "warnings", "-"])
        .write_stdin(XLISTENERSET)
        .assert()
        .code(1);
}

#[test]
fn errors_fail_and_missing_paths_are_usage_errors() {
    let broken = XLISTENERSET.replace("from: All", "from: Same");
    lsc()
        .args(["check", "--format", "github", "-"])
        .write_stdin(broken)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=<stdin>,line=22,title=LSC101 ListenerSet not allowed by its Gateway's allowedListeners::XListenerSet team-a/web: Gateway infra/shared accepts ListenerSets from its own namespace only",
        ));
    lsc()
        .args(["check", "no/such/folder"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn sarif_is_valid_and_names_every_rule() {
    let out = lsc()
        .args(["check", "--format", "sarif", "-"])
        .write_stdin(XLISTENERSET)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    common::assert_sarif_valid(&text, "stdin");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() >= 16);
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "LSC104");
}

#[test]
#[should_panic(expected = "SARIF fails its schema")]
fn the_sarif_check_rejects_an_invalid_log() {
    common::assert_sarif_valid(r#"{"version": "2.1.0", "runs": [{"results": []}]}"#, "bad");
}

#[test]
#[should_panic(expected = "SARIF fails its schema")]
fn the_sarif_check_rejects_a_uri_with_a_space() {
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lsc"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
        {"artifactLocation": {"uri": "team a/x.yaml"}}}]}]}]}"#;
    common::assert_sarif_valid(log, "space");
}

/// A folder `team a` holding `x#1.yaml` (an issuer conflict), checked as `.`.
fn folder_with_awkward_names() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("team a")).unwrap();
    std::fs::write(
        dir.path().join("team a/x#1.yaml"),
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    cert-manager.io/issuer: a
    cert-manager.io/cluster-issuer: b
spec:
  tls:
  - hosts: [a.example.com]
    secretName: web-tls
",
    )
    .unwrap();
    dir
}

#[test]
fn github_annotations_name_files_relative_without_dot_slash() {
    let dir = folder_with_awkward_names();
    let absolute = dir.path().join("team a");
    for given in [
        ".",
        "./team a",
        "team a/./x#1.yaml",
        absolute.to_str().unwrap(),
    ] {
        let out = lsc()
            .current_dir(dir.path())
            .args(["check", "--format", "github", given])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("::error file=team a/x#1.yaml,line="),
            "{given}: {text}"
        );
    }
}

#[test]
fn sarif_uris_are_percent_encoded_references() {
    let dir = folder_with_awkward_names();
    let uri = |given: &str| {
        let out = lsc()
            .current_dir(dir.path())
            .args(["check", "--format", "sarif", given])
            .write_stdin(std::fs::read(dir.path().join("team a/x#1.yaml")).unwrap())
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        common::assert_sarif_valid(&text, given);
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(uri("."), "team%20a/x%231.yaml");
    assert_eq!(uri("-"), "%3Cstdin%3E");
    let outside = tempfile::tempdir().unwrap();
    let out = lsc()
        .current_dir(outside.path())
        .args(["check", "--format", "sarif"])
        .arg(dir.path().join("team a"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    common::assert_sarif_valid(&text, "absolute");
    assert!(
        text.contains("\"uri\": \"file:///") && text.contains("/team%20a/x%231.yaml\""),
        "{text}"
    );
}

#[test]
fn explain_lists_and_explains_codes() {
    lsc()
        .arg("explain")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "LSC101  error    ListenerSet not allowed",
        ));
    lsc()
        .args(["explain", "lsc303"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "LSC303 (error): Gateway parentRef names a ListenerSet's listener\n\n",
        ));
    lsc().args(["explain", "LSC999"]).assert().code(2);
}

/// `lsc explain CODE` ends with how to fix it: a sentence and an indented, corrected snippet.
#[test]
fn explain_says_how_to_fix_with_a_snippet() {
    lsc()
        .args(["explain", "LSC203"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\nHow to fix: Give the listener its tls block:\n\n    - name: https\n",
        ))
        .stdout(predicate::str::ends_with("        - name: web-tls\n"));
}

/// The codes complete in the shells (the checked-in scripts are compared in
/// tests/completions.rs).
#[test]
fn explain_codes_complete() {
    for shell in ["bash", "zsh", "fish"] {
        let out = lsc()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let script = String::from_utf8(out).unwrap();
        assert!(
            script.contains("LSC101") && script.contains("LSC701"),
            "{shell}"
        );
    }
}

/// `--upgrade-to` takes a version `--cert-manager-version` takes; any other is a usage error
/// naming the flag, and moving to the same release reports nothing.
#[test]
fn upgrade_to_takes_a_known_version() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("gw.yaml");
    std::fs::write(
        &input,
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: default\n  annotations:\n    cert-manager.io/cluster-issuer: ca\nspec:\n  gatewayClassName: example\n  listeners:\n  - name: a\n    hostname: a.example.com\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: a-tls\n",
    )
    .unwrap();
    lsc()
        .arg("check")
        .arg(&input)
        .args(["--upgrade-to", "1.16"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--upgrade-to: lsc does not know cert-manager 1.16",
        ));
    lsc()
        .arg("check")
        .arg(&input)
        .args([
            "--format",
            "json",
            "--cert-manager-version",
            "1.19",
            "--upgrade-to",
            "v1.19.6",
        ])
        .assert()
        .success()
        .stdout("[]\n");
    lsc()
        .arg("check")
        .arg(&input)
        .args([
            "--format",
            "json",
            "--cert-manager-version",
            "1.19",
            "--upgrade-to",
            "1.20",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("LSC701"));
}

/// A ListenerSet v1 is refused under `--gateway-api-version 1.4` only, which serves none.
#[test]
fn gateway_api_version_refuses_kinds_the_release_does_not_serve() {
    let listener_set = XLISTENERSET
        .replace(
            "gateway.networking.x-k8s.io/v1alpha1",
            "gateway.networking.k8s.io/v1",
        )
        .replace("kind: XListenerSet", "kind: ListenerSet");
    let unserved = "no matches for kind \"ListenerSet\" in version \"gateway.networking.k8s.io/v1\": Gateway API v1.4.1 serves no such kind";
    lsc()
        .args(["check", "--gateway-api-version", "1.4", "-"])
        .write_stdin(listener_set.clone())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(unserved));
    for version in ["1.5", "1.6"] {
        lsc()
            .args(["check", "--gateway-api-version", version, "-"])
            .write_stdin(listener_set.clone())
            .assert()
            .code(0)
            .stdout(predicate::str::contains("LSC204").not());
    }
}
