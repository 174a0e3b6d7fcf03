//! `lsc convert` on the real binary: stdout vs `--out`, refusing to overwrite, determinism,
//! errors leaving nothing behind, usage errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn lsc() -> Command {
    Command::cargo_bin("lsc").unwrap()
}

fn ingress(namespace: &str, name: &str, host: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {namespace}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts: [{host}]
    secretName: {name}-tls
  rules:
  - host: {host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              number: 80
"
    )
}

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn stdout_and_stdin_agree_and_are_valid() {
    let text = ingress("shop", "web", "shop.example.com");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.yaml", &text);
    let from_file = stdout_of(lsc().arg("convert").arg(dir.path().join("in.yaml")));
    let from_stdin = stdout_of(lsc().args(["convert", "-"]).write_stdin(text));
    assert_eq!(from_file, from_stdin);
    assert_eq!(common::assert_gateway_api_valid(&from_file, "stdout"), 4);
    assert!(from_file.contains("kind: ListenerSet"));
}

#[test]
fn output_does_not_depend_on_file_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    write(
        dir.path(),
        "b.yaml",
        &ingress("blog", "web", "blog.example.com"),
    );
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    let forward = stdout_of(lsc().arg("convert").arg(&a).arg(&b));
    let backward = stdout_of(lsc().arg("convert").arg(&b).arg(&a));
    assert_eq!(forward, backward);
    let json = stdout_of(lsc().args(["convert", "-o", "json"]).arg(&a).arg(&b));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 8);
}

#[test]
fn out_writes_one_file_per_object_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let out = dir.path().join("gateway-api");
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "converted 1 Ingress into 4 objects (1 Gateway, 1 ListenerSet, 2 HTTPRoutes), written to ",
        ));
    let listener_set = out.join("shop/listenerset-web.yaml");
    let written = std::fs::read_to_string(&listener_set).unwrap();
    assert!(written.starts_with("apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"));
    assert!(out.join("shop/gateway-nginx.yaml").exists());

    std::fs::write(&listener_set, "edited by hand\n").unwrap();
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exists (and 3 more); nothing was written (use --force to overwrite)",
        ));
    assert_eq!(
        std::fs::read_to_string(&listener_set).unwrap(),
        "edited by hand\n"
    );

    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&listener_set).unwrap(), written);
}

#[test]
fn an_error_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        ingress("shop", "web", "shop.example.com").replace("        pathType: Prefix\n", "");
    write(dir.path(), "in.yaml", &broken);
    write(
        dir.path(),
        "ok.yaml",
        &ingress("blog", "blog", "blog.example.com"),
    );
    let out = dir.path().join("out");
    lsc()
        .arg("convert")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "in.yaml:17: document 1: Ingress shop/web: path \"/\": pathType is required",
        ));
    assert!(!out.exists());
    lsc()
        .arg("convert")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn usage_errors() {
    lsc()
        .args(["convert", "--gateway", "shared", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--gateway \"shared\": expected NAMESPACE/NAME",
        ));
    lsc()
        .args(["convert", "--force", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
    lsc()
        .args(["convert", "--tls-in", "nowhere", "-"])
        .assert()
        .code(2);
}

/// render(convert(x)) gives the Certificates render(x) gives, for the example's layouts.
#[test]
fn converted_objects_render_to_the_same_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let text = ingress("shop", "web", "shop.example.com")
        + "---\n"
        + &ingress("blog", "blog", "'*.blog.example.com'");
    write(dir.path(), "in.yaml", &text);
    let before = stdout_of(lsc().arg("render").arg(dir.path().join("in.yaml")));
    for layout in [
        &["--tls-in", "listenerset"][..],
        &["--tls-in", "gateway"],
        &["--gateway", "infra/shared", "--gateway-class", "x"],
        &["--listenerset-api", "v1alpha1"],
    ] {
        let converted = stdout_of(
            lsc()
                .arg("convert")
                .args(layout)
                .arg(dir.path().join("in.yaml")),
        );
        let after = stdout_of(lsc().args(["render", "-"]).write_stdin(converted));
        let strip = |s: &str| -> Vec<String> {
            s.split("---\n")
                .map(|d| {
                    d.lines()
                        .filter(|l| {
                            !l.contains("http01-parentref")
                                && !l.trim_start().starts_with("annotations:")
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        };
        assert_eq!(strip(&before), strip(&after), "layout {layout:?}");
    }
}
