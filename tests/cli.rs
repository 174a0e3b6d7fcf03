//! The real binary on real inputs: folders, stdin, JSON, empty input, `--all`, `-o json`,
//! exit codes, and stdout staying empty on error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use predicates::prelude::*;

const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  uid: 0f9a
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  tls:
  - hosts: [web.example.com]
    secretName: web-tls
";

use common::lsc;

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn ingress(name: &str, secret: &str) -> String {
    INGRESS
        .replace("name: web", &format!("name: {name}"))
        .replace("web-tls", secret)
}

#[test]
fn folders_are_read_recursively_and_sorted_skipping_hidden_and_other_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b/z.yaml", &ingress("z", "z-tls"));
    write(dir.path(), "a/y.yml", &ingress("y", "y-tls"));
    write(
        dir.path(),
        "x.json",
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"x","namespace":"shop","annotations":{"cert-manager.io/issuer":"ca"}},"spec":{"tls":[{"hosts":["x.example.com"],"secretName":"x-tls"}]}}"#,
    );
    write(dir.path(), ".hidden/h.yaml", &ingress("h", "h-tls"));
    write(dir.path(), "notes.txt", &ingress("t", "t-tls"));
    let out = lsc()
        .arg("render")
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let names: Vec<&str> = out.lines().filter(|l| l.starts_with("  name: ")).collect();
    assert_eq!(names, ["  name: x-tls", "  name: y-tls", "  name: z-tls"]);
    assert_eq!(common::assert_certificates_valid(&out, "folder"), 3);
}

/// Files are opened in their folder as it is listed: a symbolic link to a file elsewhere is
/// followed with `--follow` (skipped with a warning without it), and problems finding the
/// paths come first, in the command line's order.
#[cfg(unix)]
#[test]
fn linked_files_are_read_and_path_problems_come_first_in_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "elsewhere/real.txt",
        &ingress("linked", "linked-tls"),
    );
    write(dir.path(), "empty/notes.txt", "");
    std::fs::create_dir_all(dir.path().join("apps")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/real.txt", dir.path().join("apps/web.yaml")).unwrap();
    lsc()
        .current_dir(dir.path())
        .args(["render", "apps"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "warning: apps/web.yaml: symbolic link out of the folder being read, to ",
        ));
    let out = lsc()
        .current_dir(dir.path())
        .args(["render", "--follow", "apps"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("  name: linked-tls\n"), "{out}");

    write(dir.path(), "apps/bad.yaml", "kind: [unclosed\n");
    let assert = lsc()
        .current_dir(dir.path())
        .args(["render", "--follow", "apps", "missing.yaml", "empty"])
        .assert()
        .code(2)
        .stdout("");
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert_eq!(
        lines[0],
        "error: missing.yaml: cannot read: no such file or folder"
    );
    assert_eq!(
        lines[1],
        "warning: empty: folder holds no *.yaml, *.yml or *.json file"
    );
    assert!(lines[2].starts_with("error: apps/bad.yaml:1: "), "{err}");
}

#[test]
fn stdin_with_dash_and_without_paths() {
    for args in [vec!["render", "-"], vec!["render"]] {
        let assert = lsc().args(&args).write_stdin(INGRESS).assert().success();
        let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        assert!(out.contains("  name: web-tls\n"), "{args:?}: {out}");
        assert!(out.contains("    uid: 0f9a\n"));
    }
}

#[test]
fn empty_inputs_print_nothing_and_succeed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.yaml", "");
    write(
        dir.path(),
        "blank.yaml",
        "\n   \n# only a comment\n---\n---\n",
    );
    lsc()
        .arg("render")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr("");
    lsc()
        .arg("render")
        .write_stdin("")
        .assert()
        .success()
        .stdout("");
}

#[test]
fn all_prints_inputs_then_certificates() {
    let input = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  enabled: yes\n  mode: 0644\n---\n{INGRESS}"
    );
    let assert = lsc()
        .args(["render", "--all", "-"])
        .write_stdin(input)
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let docs: Vec<&str> = out.split("---\n").collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(
        docs[0],
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  enabled: yes\n  mode: 0644\n"
    );
    assert!(docs[1].starts_with("apiVersion: networking.k8s.io/v1\nkind: Ingress\n"));
    assert!(docs[2].starts_with("apiVersion: cert-manager.io/v1\nkind: Certificate\n"));
}

#[test]
fn json_output_is_a_v1_list() {
    let assert = lsc()
        .args(["render", "-o", "json", "-"])
        .write_stdin(INGRESS)
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["spec"]["issuerRef"]["kind"], "ClusterIssuer");
    assert_eq!(items[0]["spec"]["dnsNames"][0], "web.example.com");
    // An empty result is still a List.
    let assert = lsc()
        .args(["render", "-o", "json", "-"])
        .write_stdin("")
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}

#[test]
fn output_is_deterministic_whatever_the_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &ingress("a", "a-tls"));
    write(dir.path(), "b.yaml", &ingress("b", "b-tls"));
    let run = |first: &str, second: &str| {
        lsc()
            .arg("render")
            .arg(dir.path().join(first))
            .arg(dir.path().join(second))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(run("a.yaml", "b.yaml"), run("b.yaml", "a.yaml"));
}

#[test]
fn one_run_reports_every_error_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "1-good.yaml", &ingress("good", "good-tls"));
    write(
        dir.path(),
        "2-bad-annotation.yaml",
        &INGRESS.replace(
            "cert-manager.io/cluster-issuer: letsencrypt",
            "cert-manager.io/cluster-issuer: letsencrypt\n    cert-manager.io/duration: 1d",
        ),
    );
    write(
        dir.path(),
        "3-bad-yaml.yaml",
        "apiVersion: v1\nkind: [unclosed\n",
    );
    let assert = lsc()
        .arg("render")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("");
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("2-bad-annotation.yaml:9: document 1: Ingress shop/web: invalid ingress annotation \"cert-manager.io/duration\": time: unknown unit \"d\" in duration \"1d\""), "{err}");
    assert!(err.contains("3-bad-yaml.yaml:"), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(
        !err.contains("note:"),
        "no note about output that is not written: {err}"
    );
}

#[test]
fn bad_input_is_a_located_error() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "invalid YAML",
            "apiVersion: v1\nkind: Ingress\n\tmetadata: {}\n",
            "<stdin>:3: document 1: invalid YAML: while scanning a plain scalar, found a tab (column 1)",
        ),
        (
            "non-mapping document",
            "- a\n- b\n",
            "<stdin>:1: document 1: document is a list, not a mapping",
        ),
        (
            "scalar document",
            "just text\n",
            "document is a string, not a mapping",
        ),
        (
            "annotations as a list",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\n  annotations:\n  - a\n",
            "<stdin>:5: document 1: Ingress default/w: metadata.annotations: expected a mapping, found a list",
        ),
        (
            "hosts as a string",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\nspec:\n  tls:\n  - hosts: a.example.com\n    secretName: s\n",
            "<stdin>:7: document 1: Ingress default/w: spec.tls[0].hosts: expected a list, found a string",
        ),
        (
            "port as a string",
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  listeners:\n  - name: h\n    port: \"443\"\n    protocol: HTTPS\n",
            "<stdin>:8: document 1: Gateway default/g: spec.listeners[0].port: expected an integer, found a string",
        ),
        (
            "annotation value that is a number",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\n  annotations:\n    cert-manager.io/revision-history-limit: 3\n",
            "metadata.annotations.cert-manager.io/revision-history-limit: expected a string, found an integer (quote the value to make it a string)",
        ),
        (
            "unknown apiVersion of a known kind",
            "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: Gateway\nmetadata:\n  name: g\n",
            "<stdin>:1: document 1: Gateway default/g: apiVersion gateway.networking.k8s.io/v1alpha2 is not served for kind Gateway; use gateway.networking.k8s.io/v1 or gateway.networking.k8s.io/v1beta1",
        ),
        (
            "missing kind",
            "apiVersion: v1\nmetadata:\n  name: x\n",
            "<stdin>:1: document 1: object has no kind",
        ),
        (
            "duplicate key",
            "apiVersion: v1\nkind: A\nkind: B\n",
            "<stdin>:3: document 1: duplicate key \"kind\" (first defined at line 2)",
        ),
    ];
    for (what, input, expected) in cases {
        let assert = lsc()
            .args(["render", "-"])
            .write_stdin(*input)
            .assert()
            .code(2)
            .stdout("");
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains(expected),
            "{what}: expected {expected:?} in:\n{err}"
        );
        assert!(err.starts_with("error: "), "{what}: {err}");
    }
}

#[test]
fn non_utf8_and_utf16_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.yaml"), b"kind: caf\xe9\n").unwrap();
    std::fs::write(dir.path().join("utf16.yaml"), b"\xff\xfek\x00i\x00").unwrap();
    lsc()
        .arg("render")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("latin1.yaml:1: error: ").not())
        .stderr(predicate::str::contains(
            "latin1.yaml:1: file is not valid UTF-8",
        ))
        .stderr(predicate::str::contains(
            "utf16.yaml:1: file is UTF-16 encoded",
        ));
}

#[test]
fn missing_paths_and_usage_errors_exit_2() {
    lsc()
        .args(["render", "does-not-exist.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: does-not-exist.yaml: cannot read: no such file or folder",
        ));
    lsc().args(["render", "--no-such-flag"]).assert().code(2);
    lsc()
        .args(["render", "--feature-gates=Nope=true", "-"])
        .write_stdin(INGRESS)
        .assert()
        .code(2)
        .stderr("error: --feature-gates: unrecognized feature gate: Nope\n");
}

#[test]
fn controller_flags_accept_empty_values() {
    let assert = lsc()
        .args([
            "render",
            "--default-issuer-kind=",
            "--default-issuer-group=",
            "-",
        ])
        .write_stdin(INGRESS.replace("cluster-issuer", "issuer"))
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("  issuerRef:\n    name: letsencrypt\n    kind: Issuer\n  usages:"),
        "{out}"
    );
}

#[test]
fn explain_names_who_decided() {
    let input = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: web
  namespace: infra
  annotations:
    cert-manager.io/duration: 2160h
spec:
  parentRef: {name: shared}
  listeners:
  - {name: web, port: 443, protocol: HTTPS, hostname: web.example.com, tls: {certificateRefs: [{name: web-tls}]}}
";
    let assert = lsc()
        .args(["render", "--explain", "-"])
        .write_stdin(input)
        .assert()
        .success();
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Certificate infra/web-tls\n  source: ListenerSet infra/web (<stdin>:12), listener web\n"), "{err}");
    assert!(err.contains("  issuerRef.name: \"letsencrypt\", from cert-manager.io/cluster-issuer on Gateway infra/shared (inherited)\n"), "{err}");
    assert!(
        err.contains("  issuerRef.group: \"cert-manager.io\", from --default-issuer-group\n"),
        "{err}"
    );
    assert!(
        err.contains("  spec.duration: from cert-manager.io/duration on ListenerSet infra/web\n"),
        "{err}"
    );
}

#[test]
fn version_names_the_commit() {
    let assert = lsc().arg("--version").assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(out.starts_with("lsc 0."), "{out}");
}

#[test]
fn version_subcommand_prints_what_the_flag_prints() {
    let flag = lsc().arg("--version").assert().success();
    lsc()
        .arg("version")
        .assert()
        .success()
        .stdout(flag.get_output().stdout.clone());
}

/// kubectl's habits: `-f PATH` (repeated, `-` for stdin) beside positional paths, `-o` on
/// check, and `convert --output DIR` pointed at `--out`.
#[test]
fn kubectl_flags_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &ingress("a", "a-tls"));
    write(dir.path(), "b/b.yaml", &ingress("b", "b-tls"));
    let run = |args: &[&str], stdin: &str| {
        let out = lsc()
            .current_dir(dir.path())
            .args(args)
            .write_stdin(stdin)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let both = run(&["render", "a.yaml", "b"], "");
    assert!(
        both.contains("name: a-tls") && both.contains("name: b-tls"),
        "{both}"
    );
    assert_eq!(
        run(&["render", "-f", "a.yaml", "--filename", "b"], ""),
        both
    );
    assert_eq!(run(&["render", "b", "-f", "a.yaml"], ""), both);
    assert_eq!(
        run(&["render", "-f", "-", "b"], &ingress("a", "a-tls")),
        both
    );
    assert_eq!(
        run(&["check", "-o", "json", "-f", "a.yaml"], ""),
        run(&["check", "--format", "json", "a.yaml"], "")
    );
    assert_eq!(
        run(
            &[
                "convert",
                "-f",
                "a.yaml",
                "-f",
                "b",
                "--default-ingress-class=nginx"
            ],
            ""
        ),
        run(
            &["convert", "a.yaml", "b", "--default-ingress-class=nginx"],
            ""
        )
    );
    lsc()
        .current_dir(dir.path())
        .args(["convert", "a.yaml", "--default-ingress-class=nginx"])
        .args(["--output", "gateway/"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "tip: did you mean --out gateway/? (one file per object under a folder)",
        ));
    // A near miss of a format keeps clap's own tip.
    lsc()
        .current_dir(dir.path())
        .args(["convert", "a.yaml", "-o", "yml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a similar value exists: 'yaml'"))
        .stderr(predicate::str::contains("--out yml").not());
}

/// Every subcommand's help ends with two or three examples; `--jobs` and `--color` are
/// offered only where lsc reads inputs or prints diagnostics.
#[test]
fn help_ends_with_examples_and_offers_only_working_flags() {
    let runs = ["render", "convert", "check", "diff", "fn"];
    for command in [
        "render",
        "convert",
        "check",
        "diff",
        "explain",
        "fn",
        "version",
        "man",
        "completions",
    ] {
        for help in ["-h", "--help"] {
            let out = lsc().args([command, help]).assert().success();
            let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
            let (_, examples) = text
                .rsplit_once("\nExamples:\n")
                .unwrap_or_else(|| panic!("{command} {help}: no examples\n{text}"));
            let lines = examples.lines().collect::<Vec<_>>();
            assert!(
                (2..=3).contains(&lines.len()) && lines.iter().all(|l| l.starts_with("  ")),
                "{command} {help}: {examples}"
            );
            let offered = text.contains("--jobs <N>") && text.contains("--color <WHEN>");
            assert_eq!(offered, runs.contains(&command), "{command} {help}");
        }
    }
    lsc().args(["explain", "--jobs", "2"]).assert().code(2);
    lsc().args(["--color", "never", "man"]).assert().code(2);
    // Where it is offered, --color does something.
    lsc()
        .args(["check", "--color", "always", "-"])
        .write_stdin(INGRESS.replace(
            "    cert-manager.io/cluster-issuer",
            "    cert-manager.io/issuer: a\n    cert-manager.io/cluster-issuer",
        ))
        .assert()
        .stdout(predicate::str::contains("\x1b["));
}

/// `lsc` alone is the KRM function only for a ResourceList on stdin (how kustomize runs exec
/// functions); anything else gets the short help on stderr and exit 2, stdout empty.
#[test]
fn bare_lsc_runs_the_function_only_for_a_resource_list() {
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {}",
        INGRESS.trim_end().replace('\n', "\n  ")
    );
    let function = lsc().arg("fn").write_stdin(list.clone()).assert().success();
    let function = function.get_output().stdout.clone();
    assert!(
        String::from_utf8_lossy(&function).contains("kind: Certificate"),
        "{}",
        String::from_utf8_lossy(&function)
    );
    lsc().write_stdin(list).assert().success().stdout(function);
    for stdin in [INGRESS, "", "{not: [yaml"] {
        lsc()
            .write_stdin(stdin)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("Usage: lsc [OPTIONS] [COMMAND]"))
            .stderr(predicate::str::ends_with(
                "error: no subcommand, and stdin holds no kustomize ResourceList (lsc as a KRM function); to render stdin: lsc render -\n",
            ));
    }
}

#[test]
fn examples_render_to_their_checked_in_certificates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = 0;
    for dir in [
        "migration/ingress",
        "migration/listenerset",
        "migration/converted",
        "gateway-only",
        "xlistenerset",
    ] {
        let expected = std::fs::read_to_string(root.join(dir).join("certificates.yaml")).unwrap();
        let assert = lsc()
            .current_dir(&root)
            .args(["render", dir])
            .assert()
            .success();
        let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        assert_eq!(
            out, expected,
            "examples/{dir}: rendered Certificates differ from certificates.yaml"
        );
        checked += common::assert_certificates_valid(&out, dir);
    }
    assert!(checked >= 6);
}

#[test]
fn migration_keeps_the_same_certificates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration");
    let spec_of = |dir: &str| -> Vec<String> {
        let text = std::fs::read_to_string(root.join(dir).join("certificates.yaml")).unwrap();
        text.split("---\n")
            .map(|doc| doc.split_once("\nspec:\n").unwrap().1.to_string())
            .collect()
    };
    assert_eq!(spec_of("ingress"), spec_of("listenerset"));
    assert_eq!(spec_of("ingress"), spec_of("converted"));
    // Rendering the Ingress state with either later state raises no conflict: the claims
    // agree.
    for later in ["listenerset", "converted"] {
        lsc()
            .current_dir(&root)
            .args(["render", "ingress", later])
            .assert()
            .success()
            .stderr(predicate::str::contains("warning").not());
    }
    // The two later states define the same Gateway and ListenerSets: the last definition of
    // each is read, with a warning, and the Certificates are the same.
    let assert = lsc()
        .current_dir(&root)
        .args(["render", "."])
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(warnings.len(), 3, "{stderr}");
    assert!(
        warnings
            .iter()
            .all(|w| w.contains(": defined again; the definition at ./converted/")),
        "{stderr}"
    );
}

/// `examples/migration/converted/` is what `lsc convert` writes for the Ingress example today.
#[test]
fn converted_example_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration");
    let out = tempfile::tempdir().unwrap();
    lsc()
        .current_dir(&root)
        .args([
            "convert",
            "--gateway",
            "infra/shared",
            "--gateway-class",
            "example",
            "--out",
        ])
        .arg(out.path())
        .arg("ingress/ingresses.yaml")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "converted 2 Ingresses into 7 objects",
        ));
    let files = |dir: &Path| -> Vec<(String, String)> {
        let mut found = Vec::new();
        for ns in std::fs::read_dir(dir).unwrap() {
            let ns = ns.unwrap().path();
            if !ns.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&ns).unwrap() {
                let f = f.unwrap().path();
                let name = f.strip_prefix(dir).unwrap().display().to_string();
                found.push((name, std::fs::read_to_string(&f).unwrap()));
            }
        }
        found.sort();
        found
    };
    let written = files(out.path());
    assert_eq!(written.len(), 7);
    assert_eq!(written, files(&root.join("converted")));
    for (name, text) in &written {
        common::assert_gateway_api_valid(text, name);
    }
}

/// The README's first command runs lsc on the examples; it must keep working.
#[test]
fn readme_first_command_works() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- "))
        .expect("the README starts with a cargo run command");
    let args: Vec<&str> = line
        .trim_start_matches("cargo run --release -- ")
        .split_whitespace()
        .take_while(|w| !w.starts_with('#'))
        .collect();
    let out = lsc().current_dir(root).args(&args).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(common::assert_certificates_valid(&stdout, "README"), 5);
}

/// Output is the same whatever the number of threads reading and parsing the files.
#[test]
fn output_does_not_depend_on_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let listenerset = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration/listenerset/team-b.yaml"),
    )
    .unwrap();
    for i in 0..60 {
        let team = format!("team-{}", i % 7);
        write(
            dir.path(),
            &format!("apps/{team}/app-{i:02}.yaml"),
            &format!(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web-{i}\n  namespace: {team}\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [web-{i}.example.com]\n    secretName: web-{i}-tls\n  rules:\n  - host: web-{i}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  namespace: {team}\nspec:\n  replicas: 1\n"
            ),
        );
    }
    write(dir.path(), "gateways/team-b.yaml", &listenerset);
    for command in [
        &["render"][..],
        &["render", "--all"],
        &["convert"],
        &["check", "--format", "json"],
    ] {
        let run = |jobs: Option<&str>| {
            let mut cmd = lsc();
            cmd.current_dir(dir.path()).args(command).arg(".");
            if let Some(j) = jobs {
                cmd.args(["--jobs", j]);
            }
            let out = cmd.output().unwrap();
            (out.status.code(), out.stdout, out.stderr)
        };
        let one = run(Some("1"));
        assert!(!one.1.is_empty(), "{command:?} printed nothing");
        assert_eq!(one, run(Some("3")), "{command:?}: --jobs 1 and 3 differ");
        assert_eq!(
            one,
            run(None),
            "{command:?}: --jobs 1 and the default differ"
        );
    }
}

/// The same Ingress in two files, as docs repositories keep `ingress-tls.yaml` beside
/// `ingress-tls-final.yaml`: in render, convert and check the file given last wins, as with
/// `kubectl apply`, and one warning, at the later definition, names the earlier one's place.
/// A folder is read in sorted order, as `kubectl apply -f dir/` reads it.
#[test]
fn an_object_defined_in_two_files_is_read_from_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let kuard = |issuer: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: kuard\n  uid: {issuer}-uid\n  annotations:\n    cert-manager.io/issuer: {issuer}\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts: [example.example.com]\n    secretName: quickstart-example-tls\n  rules:\n  - host: example.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: kuard\n            port:\n              number: 80\n"
        )
    };
    write(
        dir.path(),
        "ingress-tls.yaml",
        &kuard("letsencrypt-staging"),
    );
    write(
        dir.path(),
        "ingress-tls-final.yaml",
        &kuard("letsencrypt-prod"),
    );
    let run = |args: &[&str]| {
        let output = lsc().current_dir(dir.path()).args(args).output().unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let warning = |later: &str, earlier: &str| {
        format!(
            "{later}:1: document 1: Ingress default/kuard: defined again; the definition at {earlier}:1 is replaced by this one (the last definition wins, as with kubectl apply)"
        )
    };
    for (first, last, winner, loser) in [
        (
            "ingress-tls.yaml",
            "ingress-tls-final.yaml",
            "letsencrypt-prod",
            "letsencrypt-staging",
        ),
        (
            "ingress-tls-final.yaml",
            "ingress-tls.yaml",
            "letsencrypt-staging",
            "letsencrypt-prod",
        ),
    ] {
        let (code, stdout, stderr) = run(&["render", first, last]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains(&format!("    name: {winner}\n")),
            "{stdout}"
        );
        assert!(!stdout.contains(loser), "{stdout}");
        assert_eq!(stdout.matches("kind: Certificate").count(), 1, "{stdout}");
        assert_eq!(stderr, format!("warning: {}\n", warning(last, first)));

        let (code, stdout, stderr) = run(&["convert", first, last]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains(&format!("cert-manager.io/issuer: {winner}\n")),
            "{stdout}"
        );
        assert!(!stdout.contains(loser), "{stdout}");
        assert_eq!(
            stdout.matches("\nkind: ListenerSet\n").count(),
            1,
            "{stdout}"
        );
        assert!(
            stderr.starts_with(&format!("warning: {}\n", warning(last, first))),
            "{stderr}"
        );
        assert!(stderr.ends_with("; 1 warning\n"), "{stderr}");

        let (code, stdout, stderr) = run(&["check", "--format", "github", first, last]);
        assert_eq!((code, stderr.as_str()), (0, ""));
        assert_eq!(
            stdout,
            format!(
                "::warning file={last},line=1,title=LSC003 the same object is defined again; the last definition wins::Ingress default/kuard: defined again; the definition at {first}:1 is replaced by this one (the last definition wins, as with kubectl apply)\n"
            )
        );
    }
    // The folder's files sorted: ingress-tls-final.yaml, then ingress-tls.yaml.
    let (code, stdout, stderr) = run(&["render", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("    name: letsencrypt-staging\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        format!(
            "warning: {}\n",
            warning("./ingress-tls.yaml", "./ingress-tls-final.yaml")
        )
    );
}

/// The arguments the helm post-renderer plugin runs lsc with (its `args:` line).
fn helm_plugin_args() -> Vec<String> {
    let plugin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/helm/plugin/lsc/plugin.yaml"),
    )
    .unwrap();
    let line = plugin
        .lines()
        .find_map(|l| l.trim().strip_prefix("args: ["))
        .unwrap();
    line.trim_end_matches(']')
        .split(',')
        .map(|a| a.trim().trim_matches('"').to_string())
        .collect()
}

/// helm 4 tells a post-renderer nothing of `-n`: run as the helm plugin, lsc warns once when
/// shim manifests set no namespace, and not when `--post-renderer-args=--namespace=NS` (which
/// helm appends) gives it, or for manifests that set theirs.
#[test]
fn helm_plugin_warns_once_of_manifests_without_namespace() {
    let args = helm_plugin_args();
    assert!(
        args.contains(&"--helm-post-renderer".to_string()),
        "{args:?}"
    );
    let without = INGRESS.replace("  namespace: shop\n", "");
    let two = format!(
        "{without}---\n{}",
        without.replace("name: web", "name: api")
    );
    let assert = lsc()
        .args(&args)
        .write_stdin(two.clone())
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr.matches("set no metadata.namespace").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("--post-renderer-args=--namespace=NAMESPACE"),
        "{stderr}"
    );

    let assert = lsc()
        .args(&args)
        .arg("--namespace=prod")
        .write_stdin(two.clone())
        .assert()
        .success()
        .stderr(predicate::str::contains("metadata.namespace").not());
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("  name: web-tls\n  namespace: prod\n"),
        "{stdout}"
    );

    lsc()
        .args(&args)
        .write_stdin(INGRESS)
        .assert()
        .success()
        .stderr(predicate::str::contains("metadata.namespace").not());
    // Not run by helm: `-n`/the default namespace is the user's own choice.
    lsc()
        .args(["render", "--all", "-"])
        .write_stdin(two)
        .assert()
        .success()
        .stderr(predicate::str::contains("metadata.namespace").not());
}
