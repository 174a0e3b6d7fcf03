//! `lsc diff` on the real binary: identical, missing, extra and changed Certificates, live
//! objects with server-added fields, `kubectl get -o yaml` Lists, `-o json`, and exit codes.
//! The inputs are the Ingress example, which renders to its checked-in certificates.yaml.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

/// What `examples/migration/ingress/ingresses.yaml` renders to (its certificates.yaml).
const FOO: &str = "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: foo-tls
  namespace: team-a
spec:
  dnsNames:
  - foo.example.com
  secretName: foo-tls
  issuerRef:
    name: letsencrypt-prod
    kind: ClusterIssuer
    group: cert-manager.io
  usages:
  - digital signature
  - key encipherment
";

const BAR: &str = "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: bar-tls
  namespace: team-b
spec:
  duration: 2160h0m0s
  dnsNames:
  - bar.example.com
  - www.bar.example.com
  secretName: bar-tls
  issuerRef:
    name: letsencrypt-staging
    kind: ClusterIssuer
    group: cert-manager.io
  usages:
  - digital signature
  - key encipherment
";

/// `kubectl get certificates -A -o yaml` after `kubectl apply` and cert-manager's shim: key
/// order as the API server returns it, a Go-normalised duration written as `2160h`, and every
/// field the API server and controllers add.
const LIVE_LIST: &str = r#"apiVersion: v1
items:
- apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"cert-manager.io/v1","kind":"Certificate"}
    creationTimestamp: "2025-01-02T10:00:00Z"
    generation: 3
    managedFields:
    - apiVersion: cert-manager.io/v1
      fieldsType: FieldsV1
      manager: cert-manager-ingress-shim
      operation: Update
      time: "2025-01-02T10:00:00Z"
    name: bar-tls
    namespace: team-b
    ownerReferences:
    - apiVersion: networking.k8s.io/v1
      blockOwnerDeletion: true
      controller: true
      kind: Ingress
      name: bar
      uid: 7d1c6f1e-3c2f-4d0a-9d55-0b6f3a1c2e44
    resourceVersion: "48151623"
    selfLink: /apis/cert-manager.io/v1/namespaces/team-b/certificates/bar-tls
    uid: 0c3e9a52-6a8b-4f7e-a2d1-5b4c3d2e1f00
  spec:
    dnsNames:
    - bar.example.com
    - www.bar.example.com
    duration: 2160h
    issuerRef:
      group: cert-manager.io
      kind: ClusterIssuer
      name: letsencrypt-staging
    secretName: bar-tls
    usages:
    - digital signature
    - key encipherment
  status:
    conditions:
    - lastTransitionTime: "2025-01-02T10:01:00Z"
      message: Certificate is up to date and has not expired
      reason: Ready
      status: "True"
      type: Ready
    notAfter: "2025-04-02T10:01:00Z"
    revision: 1
- apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    creationTimestamp: "2025-01-02T10:00:00Z"
    generation: 1
    name: foo-tls
    namespace: team-a
    ownerReferences:
    - apiVersion: networking.k8s.io/v1
      blockOwnerDeletion: true
      controller: true
      kind: Ingress
      name: foo
      uid: 2b8e4d6c-1a3f-4e5d-8c7b-9a0f1e2d3c4b
    resourceVersion: "48151624"
    uid: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9
  spec:
    dnsNames:
    - foo.example.com
    issuerRef:
      group: cert-manager.io
      kind: ClusterIssuer
      name: letsencrypt-prod
    secretName: foo-tls
    usages:
    - digital signature
    - key encipherment
  status:
    notAfter: "2025-04-02T10:01:00Z"
kind: List
metadata:
  resourceVersion: ""
"#;

use common::lsc;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migration/ingress")
}

/// Runs `lsc diff <example ingresses> --against <against files>` in a folder holding the
/// `--against` files, so headers name them as given; returns (exit code, stdout, stderr).
fn diff(against: &[(&str, &str)], extra_args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in against {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    let mut cmd = lsc();
    cmd.current_dir(dir.path())
        .arg("diff")
        .arg(example().join("ingresses.yaml"));
    for (name, _) in against {
        cmd.args(["--against", name]);
    }
    let output = cmd.args(extra_args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn plus(text: &str) -> String {
    text.lines().map(|l| format!("+{l}\n")).collect()
}

fn minus(text: &str) -> String {
    text.lines().map(|l| format!("-{l}\n")).collect()
}

#[test]
fn example_certificates_are_unchanged() {
    // The checked-in file itself, and its two documents in reverse order.
    lsc()
        .current_dir(example())
        .args(["diff", "ingresses.yaml", "--against", "certificates.yaml"])
        .assert()
        .code(0)
        .stdout("0 missing, 0 extra, 0 changed, 2 unchanged\n");
    let (code, stdout, _) = diff(&[("certs.yaml", &format!("{BAR}---\n{FOO}"))], &[]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "0 missing, 0 extra, 0 changed, 2 unchanged\n");
}

#[test]
fn missing_certificate_is_a_whole_object_diff() {
    let (code, stdout, _) = diff(&[("certs.yaml", FOO)], &[]);
    assert_eq!(code, 1);
    let expected = format!(
        "--- against: (none) Certificate team-b/bar-tls\n\
         +++ rendered: Certificate team-b/bar-tls\n\
         @@ -0,0 +1,18 @@\n{}\
         1 missing, 0 extra, 0 changed, 1 unchanged\n",
        plus(BAR)
    );
    assert_eq!(stdout, expected);
}

#[test]
fn extra_certificate_is_a_whole_object_diff() {
    let old = "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: old-tls
  namespace: team-a
spec:
  secretName: old-tls
  issuerRef:
    name: ca
";
    let (code, stdout, _) = diff(
        &[("certs.yaml", &format!("{FOO}---\n{BAR}---\n{old}"))],
        &[],
    );
    assert_eq!(code, 1);
    let expected = format!(
        "--- against: certs.yaml Certificate team-a/old-tls\n\
         +++ rendered: (none) Certificate team-a/old-tls\n\
         @@ -1,9 +0,0 @@\n{}\
         0 missing, 1 extra, 0 changed, 2 unchanged\n",
        minus(old)
    );
    assert_eq!(stdout, expected);
}

#[test]
fn changed_certificate_is_a_unified_diff() {
    let committed = FOO
        .replace("name: letsencrypt-prod", "name: letsencrypt-staging")
        .replace(
            "  - foo.example.com\n",
            "  - foo.example.com\n  - www.foo.example.com\n",
        );
    let (code, stdout, stderr) = diff(&[("certs.yaml", &format!("{committed}---\n{BAR}"))], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "--- against: certs.yaml Certificate team-a/foo-tls
+++ rendered: Certificate team-a/foo-tls
@@ -6,10 +6,9 @@
 spec:
   dnsNames:
   - foo.example.com
-  - www.foo.example.com
   secretName: foo-tls
   issuerRef:
-    name: letsencrypt-staging
+    name: letsencrypt-prod
     kind: ClusterIssuer
     group: cert-manager.io
   usages:
0 missing, 0 extra, 1 changed, 1 unchanged
"
    );
}

#[test]
fn changed_certificate_written_in_another_key_order_diffs_only_what_differs() {
    // Server order (alphabetical) on the committed side must not show up as changes.
    let committed = "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: bar-tls
  namespace: team-b
spec:
  dnsNames:
  - bar.example.com
  duration: 2160h
  issuerRef:
    group: cert-manager.io
    kind: ClusterIssuer
    name: letsencrypt-staging
  secretName: bar-tls
  usages:
  - digital signature
  - key encipherment
";
    let (code, stdout, _) = diff(&[("certs.yaml", &format!("{FOO}---\n{committed}"))], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "--- against: certs.yaml Certificate team-b/bar-tls
+++ rendered: Certificate team-b/bar-tls
@@ -7,6 +7,7 @@
   duration: 2160h0m0s
   dnsNames:
   - bar.example.com
+  - www.bar.example.com
   secretName: bar-tls
   issuerRef:
     name: letsencrypt-staging
0 missing, 0 extra, 1 changed, 1 unchanged
"
    );
}

#[test]
fn live_objects_with_server_added_fields_are_unchanged() {
    let (code, stdout, stderr) = diff(&[("live.yaml", LIVE_LIST)], &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "0 missing, 0 extra, 0 changed, 2 unchanged\n");
}

#[test]
fn live_list_from_stdin() {
    lsc()
        .arg("diff")
        .arg(example().join("ingresses.yaml"))
        .args(["--against", "-"])
        .write_stdin(LIVE_LIST)
        .assert()
        .code(0)
        .stdout("0 missing, 0 extra, 0 changed, 2 unchanged\n");
    // A change in the live spec still shows, with the header naming stdin.
    let drifted = LIVE_LIST.replace("name: letsencrypt-prod", "name: hand-edited");
    let assert = lsc()
        .arg("diff")
        .arg(example().join("ingresses.yaml"))
        .args(["--against", "-"])
        .write_stdin(drifted)
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with(
            "--- against: <stdin> Certificate team-a/foo-tls\n+++ rendered: Certificate team-a/foo-tls\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("-    name: hand-edited\n+    name: letsencrypt-prod\n"));
    assert!(stdout.ends_with("0 missing, 0 extra, 1 changed, 1 unchanged\n"));
}

#[test]
fn owner_references_are_compared_when_the_input_has_uids() {
    // An Ingress dumped from the cluster carries its uid, so lsc renders the owner reference.
    let ingresses = std::fs::read_to_string(example().join("ingresses.yaml"))
        .unwrap()
        .replace(
            "  name: foo\n  namespace: team-a\n",
            "  name: foo\n  namespace: team-a\n  uid: 2b8e4d6c-1a3f-4e5d-8c7b-9a0f1e2d3c4b\n",
        )
        .replace(
            "  name: bar\n  namespace: team-b\n",
            "  name: bar\n  namespace: team-b\n  uid: 00000000-0000-0000-0000-000000000000\n",
        );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ingresses.yaml"), ingresses).unwrap();
    std::fs::write(dir.path().join("live.yaml"), LIVE_LIST).unwrap();
    let assert = lsc()
        .current_dir(dir.path())
        .args(["diff", "ingresses.yaml", "--against", "live.yaml"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        "--- against: live.yaml Certificate team-b/bar-tls
+++ rendered: Certificate team-b/bar-tls
@@ -7,7 +7,7 @@
   - apiVersion: networking.k8s.io/v1
     kind: Ingress
     name: bar
-    uid: 7d1c6f1e-3c2f-4d0a-9d55-0b6f3a1c2e44
+    uid: 00000000-0000-0000-0000-000000000000
     controller: true
     blockOwnerDeletion: true
 spec:
0 missing, 0 extra, 1 changed, 1 unchanged
"
    );
}

#[test]
fn against_objects_without_namespace_get_the_default_namespace() {
    let committed = FOO.replace("  namespace: team-a\n", "");
    let (code, stdout, _) = diff(
        &[("certs.yaml", &format!("{committed}---\n{BAR}"))],
        &["-n", "team-a"],
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "0 missing, 0 extra, 0 changed, 2 unchanged\n");
    let (code, stdout, _) = diff(&[("certs.yaml", &format!("{committed}---\n{BAR}"))], &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.ends_with("1 missing, 1 extra, 0 changed, 1 unchanged\n"),
        "{stdout}"
    );
    assert!(stdout.contains("--- against: certs.yaml Certificate default/foo-tls\n"));
}

#[test]
fn other_kinds_and_versions_in_against_are_ignored() {
    let others = "apiVersion: v1
kind: Secret
metadata:
  name: foo-tls
  namespace: team-a
---
apiVersion: cert-manager.io/v1alpha2
kind: Certificate
metadata:
  name: legacy
  namespace: team-a
---
apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata:
  name: foo-tls-1
  namespace: team-a
";
    let (code, stdout, _) = diff(
        &[("a.yaml", FOO), ("b.yaml", &format!("{others}---\n{BAR}"))],
        &[],
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "0 missing, 0 extra, 0 changed, 2 unchanged\n");
}

#[test]
fn json_output_has_stable_fields() {
    let committed = FOO.replace("name: letsencrypt-prod", "name: letsencrypt-staging");
    let old = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: old-tls\n  namespace: team-c\nspec:\n  secretName: old-tls\n";
    let against = [("certs.yaml", format!("{committed}---\n{old}"))];
    let against: Vec<(&str, &str)> = against.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let (code, stdout, _) = diff(&against, &["-o", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let (_, text, _) = diff(&against, &[]);
    let foo_diff = text
        .split_inclusive('\n')
        .take_while(|l| !l.starts_with("--- against: (none)"))
        .collect::<String>();
    assert_eq!(
        json,
        serde_json::json!({
            "missing": [{"namespace": "team-b", "name": "bar-tls"}],
            "extra": [{"namespace": "team-c", "name": "old-tls"}],
            "changed": [{"namespace": "team-a", "name": "foo-tls", "diff": foo_diff}],
            "unchanged": 0
        })
    );
    assert!(foo_diff.starts_with("--- against: certs.yaml Certificate team-a/foo-tls\n"));
    // Field order is part of the format.
    let keys: Vec<usize> = ["\"missing\"", "\"extra\"", "\"changed\"", "\"unchanged\""]
        .iter()
        .map(|k| stdout.find(k).unwrap())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{stdout}");

    let (code, stdout, _) = diff(
        &[("certs.yaml", &format!("{FOO}---\n{BAR}"))],
        &["-o", "json"],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"missing": [], "extra": [], "changed": [], "unchanged": 2})
    );
}

#[test]
fn input_errors_exit_2_with_nothing_on_stdout() {
    // Unreadable --against.
    lsc()
        .arg("diff")
        .arg(example().join("ingresses.yaml"))
        .args(["--against", "does-not-exist.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "error: does-not-exist.yaml: cannot read: no such file or folder",
        ));
    // Invalid YAML in --against.
    let (code, stdout, stderr) = diff(&[("broken.yaml", "a: [\n")], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("error: broken.yaml:1: document 1: invalid YAML"),
        "{stderr}"
    );
    // The same Certificate twice.
    let (code, stdout, stderr) = diff(&[("a.yaml", FOO), ("b.yaml", FOO)], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains(
            "error: b.yaml:1: document 1: Certificate team-a/foo-tls is also at a.yaml:1"
        ),
        "{stderr}"
    );
    // A Certificate without a name.
    let (code, stdout, stderr) = diff(
        &[(
            "a.yaml",
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {}\n",
        )],
        &[],
    );
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("Certificate has no metadata.name"),
        "{stderr}"
    );
    // A render error in the inputs.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.yaml"), "kind: [\n").unwrap();
    std::fs::write(dir.path().join("certs.yaml"), FOO).unwrap();
    lsc()
        .current_dir(dir.path())
        .args(["diff", "in.yaml", "--against", "certs.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("error: in.yaml:1"));
}

#[test]
fn usage_errors_exit_2() {
    // --against is required.
    lsc()
        .arg("diff")
        .arg(example().join("ingresses.yaml"))
        .assert()
        .code(2)
        .stdout("");
    // The inputs are never stdin by default, and stdin cannot be both the input and
    // --against.
    lsc()
        .args(["diff", "--against", "-"])
        .write_stdin(BAR)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("no input to render"));
    lsc()
        .args(["diff", "-", "--against", "-"])
        .write_stdin(BAR)
        .assert()
        .code(2)
        .stdout("");
}

/// The same input object twice (an older copy of the example's Ingress team-a/foo, with the
/// staging issuer): the last definition in input order is rendered and compared, as `kubectl
/// apply` would leave it, and a warning names both places.
#[test]
fn an_input_object_defined_again_is_compared_as_its_last_definition() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ingresses.yaml", "certificates.yaml"] {
        std::fs::copy(example().join(name), dir.path().join(name)).unwrap();
    }
    let example_text = std::fs::read_to_string(example().join("ingresses.yaml")).unwrap();
    let foo = example_text.split("\n---\n").next().unwrap();
    let old_foo = foo
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{}\n", l.replace("letsencrypt-prod", "letsencrypt-staging")))
        .collect::<String>();
    assert!(old_foo.contains("name: foo\n") && old_foo.contains("letsencrypt-staging"));
    std::fs::write(dir.path().join("foo-old.yaml"), &old_foo).unwrap();
    let run = |inputs: [&str; 2]| {
        let output = lsc()
            .current_dir(dir.path())
            .arg("diff")
            .args(inputs)
            .args(["--against", "certificates.yaml"])
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let warning = |later: &str, earlier: &str| {
        format!(
            "warning: {later}: document 1: Ingress team-a/foo: defined again; the definition at {earlier} is replaced by this one (the last definition wins, as with kubectl apply)\n"
        )
    };

    // The example's own definition comes last: what is committed is what it renders.
    let (code, stdout, stderr) = run(["foo-old.yaml", "ingresses.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "0 missing, 0 extra, 0 changed, 2 unchanged\n");
    assert!(
        stderr.starts_with(&warning("ingresses.yaml:2", "foo-old.yaml:1")),
        "{stderr}"
    );

    // The older copy comes last: its issuer is what a cluster would end with.
    let (code, stdout, stderr) = run(["ingresses.yaml", "foo-old.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("-    name: letsencrypt-prod\n+    name: letsencrypt-staging\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("0 missing, 0 extra, 1 changed, 1 unchanged\n"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with(&warning("foo-old.yaml:1", "ingresses.yaml:2")),
        "{stderr}"
    );
}

/// The issue's case: against a v1.19 cluster, whose Gateway Certificates carry no HTTP-01
/// parentRef annotations, every Gateway Certificate differs as the default release (1.21) and
/// none does with `--cert-manager-version 1.19`.
#[test]
fn diff_renders_as_the_clusters_release() {
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/render/version_04_gateway_parentref_annotations_1_19");
    lsc()
        .current_dir(&case)
        .args(["diff", "input.yaml", "--cert-manager-version", "1.19"])
        .args(["--against", "expected.yaml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("0 changed, 1 unchanged"));
    lsc()
        .current_dir(&case)
        .args(["diff", "input.yaml", "--against", "expected.yaml"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "+    acme.cert-manager.io/http01-parentrefkind: Gateway",
        ));
}

/// `--against` takes one path: the inputs may follow it (`lsc diff --against certs.yaml .`),
/// as with any other flag, and not be read as a second `--against` path.
#[test]
fn against_takes_one_path_and_inputs_may_follow() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("certs.yaml"), format!("{BAR}---\n{FOO}")).unwrap();
    std::fs::create_dir(dir.path().join("manifests")).unwrap();
    std::fs::copy(
        example().join("ingresses.yaml"),
        dir.path().join("manifests/ingresses.yaml"),
    )
    .unwrap();
    // Without a terminal, as in CI: stdin is not read in place of the inputs.
    lsc()
        .current_dir(dir.path())
        .args(["diff", "--against", "certs.yaml", "manifests"])
        .write_stdin("")
        .assert()
        .code(0)
        .stdout("0 missing, 0 extra, 0 changed, 2 unchanged\n");
}

/// Without inputs to render, diff is a usage error whether stdin is a terminal or not: it
/// would otherwise render nothing and report every Certificate of `--against` as extra.
#[test]
fn diff_without_inputs_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("certs.yaml"), FOO).unwrap();
    lsc()
        .current_dir(dir.path())
        .args(["diff", "--against", "certs.yaml"])
        .write_stdin(std::fs::read_to_string(example().join("ingresses.yaml")).unwrap())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("error: no input to render"));
    // Two paths after one --against: the second is an input, so this renders and compares.
    lsc()
        .current_dir(dir.path())
        .args(["diff", "--against", "certs.yaml", "certs.yaml"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "0 missing, 1 extra, 0 changed, 0 unchanged",
        ));
}
