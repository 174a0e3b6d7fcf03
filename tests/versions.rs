//! The whole render fixture suite under every `--cert-manager-version`: each version's output
//! may differ from master's only where `cert-manager-versions.md` says the releases differ.
//!
//! For every case and version: when the case holds nothing the table names for the versions
//! between it and master, the output is master's, byte for byte (the `--explain` line naming the
//! version aside); when its only such input is a Gateway, the output is master's without the
//! HTTP-01 parentRef annotations. Whatever the case holds, no version writes what it does not
//! have (parentRef annotations before v1.20, names from `alt-names` or `ip-sans` before v1.21).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use lsc::emit::json::to_serde;
use lsc::source::yaml::{Limits, parse_documents};
use serde_json::Value;

const VERSIONS: [&str; 6] = ["1.17", "1.18", "1.19", "1.20", "1.21", "master"];

/// Index of the first version with a behaviour: it differs from master below that index.
const V1_18: usize = 1;
const V1_20: usize = 3;
const V1_21: usize = 4;
const MASTER: usize = 5;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(case: &Path, args: &[String], version: &str) -> Run {
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .current_dir(case)
        .args(["render", "input.yaml"])
        .args(args)
        .args(["--cert-manager-version", version])
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr)
            .unwrap()
            .replace(
                &format!("as cert-manager v{version} does"),
                "as cert-manager VERSION does",
            )
            .replace(
                "as cert-manager master does",
                "as cert-manager VERSION does",
            ),
        code: output.status.code().unwrap_or(-1),
    }
}

/// The case's args without any `--cert-manager-version`.
fn args_without_version(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut args = Vec::new();
    let mut lines = text.lines().filter(|l| !l.is_empty());
    while let Some(line) = lines.next() {
        if line == "--cert-manager-version" {
            lines.next();
        } else if !line.starts_with("--cert-manager-version=") {
            args.push(line.to_string());
        }
    }
    args
}

/// Every file of the case but the expected ones: the inputs, args and config files.
fn case_text(case: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(case).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("expected") && path.is_file() {
            text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            text.push('\n');
        }
    }
    text
}

/// The first version index from which each input the table names behaves as on master; a case
/// differs from master under version `v` only through the inputs whose index is above `v`.
fn boundaries(text: &str) -> Vec<(&'static str, usize)> {
    let has = |s: &str| text.contains(s);
    let mut found = Vec::new();
    let mut add = |name: &'static str, since: usize, present: bool| {
        if present {
            found.push((name, since));
        }
    };
    add("Passthrough listener", V1_18, has("Passthrough"));
    add(
        "extra annotations",
        V1_18,
        has("extra-certificate-annotations") || has("extraCertificateAnnotations"),
    );
    add(
        "ListenerSet",
        V1_20,
        has("kind: ListenerSet")
            || has("kind: XListenerSet")
            || has("enable-gateway-api-listenerset")
            || has("enableGatewayAPIListenerSet")
            || has("ListenerSets"),
    );
    add("Gateway", V1_20, has("kind: Gateway"));
    // Controller configuration fields, refused by cert-manager's strict decoding before.
    for key in [
        "pemSizeLimitsConfig",
        "certificateRequestMinimumBackoffDuration",
    ] {
        add(key, V1_20, has(key));
    }
    add("ingress class", V1_20, has("http01-ingress-"));
    for key in [
        "alt-names",
        "ip-sans",
        "ignore-tls-listeners",
        "parentreffallback",
        "extra-protocols",
        "gatewayAPI",
        "ACMEUseARI",
        "certificateRequestMaximumBackoffDuration",
        "solverRuntimeClassName",
        "solverExtraLabels",
    ] {
        add(key, V1_21, has(key));
    }
    for key in [
        "common-name",
        "ip-sans",
        "email-sans",
        "cert-manager.io/duration",
        "renew-before:",
        "ServerSideApply",
    ] {
        add(key, MASTER, has(key));
    }
    found
}

fn documents(yaml: &str) -> Vec<Value> {
    let (docs, err) = parse_documents(yaml, &Limits::default());
    assert!(err.is_none(), "{err:?}");
    docs.into_iter()
        .filter_map(|d| d.root)
        .map(|root| to_serde(&root.value))
        .collect()
}

/// Master's Certificates as a release before v1.20 writes them: without parentRef annotations.
fn without_parent_refs(mut certificates: Vec<Value>) -> Vec<Value> {
    for c in &mut certificates {
        let Some(metadata) = c.get_mut("metadata").and_then(Value::as_object_mut) else {
            continue;
        };
        let empty = match metadata
            .get_mut("annotations")
            .and_then(Value::as_object_mut)
        {
            Some(annotations) => {
                annotations.retain(|k, _| !k.starts_with("acme.cert-manager.io/http01-parentref"));
                annotations.is_empty()
            }
            None => false,
        };
        if empty {
            metadata.remove("annotations");
        }
    }
    certificates
}

/// `dnsNames` and `ipAddresses` with repeated hosts dropped, first occurrence kept.
fn dedup_hosts(certificates: &mut [Value]) {
    for c in certificates {
        for field in ["/spec/dnsNames", "/spec/ipAddresses"] {
            if let Some(items) = c.pointer_mut(field).and_then(Value::as_array_mut) {
                let mut seen = Vec::new();
                items.retain(|i| {
                    let new = !seen.contains(i);
                    seen.push(i.clone());
                    new
                });
            }
        }
    }
}

/// The values of one annotation across the case's inputs, split on commas and trimmed.
fn annotation_items(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("{key}:")))
        .flat_map(|v| {
            v.trim()
                .trim_matches(['"', '\''])
                .split(',')
                .map(|s| s.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The strings a field of some Certificate lists.
fn listed(certificates: &[Value], field: &str) -> Vec<String> {
    certificates
        .iter()
        .filter_map(|c| c.pointer(&format!("/spec/{field}")))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn render_suite_differs_between_versions_only_as_documented() {
    let mut same = [0usize; 6];
    let mut without_annotations = [0usize; 6];
    let mut problems = Vec::new();
    for case in common::fixture_cases("render") {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let args = args_without_version(&case);
        let text = case_text(&case);
        let bounds = boundaries(&text);
        // Names only alt-names or ip-sans bring: the input does not mention them elsewhere.
        let only_from = |key: &str| -> Vec<String> {
            let elsewhere: String = text
                .lines()
                .filter(|l| !l.contains(key))
                .collect::<Vec<_>>()
                .join("\n");
            annotation_items(&text, key)
                .into_iter()
                .filter(|item| !elsewhere.contains(item.as_str()))
                .collect()
        };
        let alt_names = only_from("cert-manager.io/alt-names");
        let ip_sans = only_from("cert-manager.io/ip-sans");
        let runs: Vec<Run> = VERSIONS.iter().map(|v| run(&case, &args, v)).collect();
        let master = &runs[MASTER];
        for (v, r) in runs.iter().enumerate() {
            let at = format!("{name} under {}", VERSIONS[v]);
            if r.stderr.contains("panicked") {
                problems.push(format!("{at}: panicked:\n{}", r.stderr));
                continue;
            }
            if r.code != 0 && !r.stdout.is_empty() {
                problems.push(format!("{at}: stdout is not empty on error"));
            }
            common::assert_certificates_valid(&r.stdout, &at);
            let mut certificates = documents(&r.stdout);
            if v < V1_20 && r.stdout.contains("acme.cert-manager.io/http01-parentref") {
                problems.push(format!("{at}: a parentRef annotation before v1.20"));
            }
            if v < V1_20 && r.stdout.contains("override-ingress-ingressclassname") {
                problems.push(format!(
                    "{at}: http01-ingress-ingressclassname read before v1.20"
                ));
            }
            let owned_by_sets = certificates.iter().any(|c| {
                c.pointer("/metadata/ownerReferences/0/kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("ListenerSet"))
            });
            if v < V1_20 && owned_by_sets {
                problems.push(format!("{at}: a ListenerSet read before v1.20"));
            }
            if v < V1_21 {
                let dns = listed(&certificates, "dnsNames");
                let ips = listed(&certificates, "ipAddresses");
                if let Some(n) = alt_names.iter().find(|n| dns.contains(n)) {
                    problems.push(format!("{at}: {n} from alt-names before v1.21"));
                }
                if let Some(ip) = ip_sans.iter().find(|ip| ips.contains(ip)) {
                    problems.push(format!("{at}: {ip} from ip-sans before v1.21"));
                }
            }
            let differing: Vec<&str> = bounds
                .iter()
                .filter(|(_, since)| v < *since)
                .map(|(what, _)| *what)
                .collect();
            // Hosts are de-duplicated on master only: compare both sides de-duplicated.
            let mut master_certificates = documents(&master.stdout);
            if v < MASTER {
                dedup_hosts(&mut certificates);
                dedup_hosts(&mut master_certificates);
            }
            let same_run = r.code == master.code && r.stderr == master.stderr;
            match differing.as_slice() {
                [] => {
                    if same_run && certificates == master_certificates {
                        same[v] += 1;
                    } else {
                        problems.push(format!(
                            "{at}: differs from master though the case holds nothing the versions treat differently\n--- master ({})\n{}{}--- {} ({})\n{}{}",
                            master.code, master.stdout, master.stderr, VERSIONS[v], r.code, r.stdout, r.stderr
                        ));
                    }
                }
                ["Gateway"] => {
                    let expected = without_parent_refs(master_certificates);
                    if same_run && certificates == expected {
                        without_annotations[v] += 1;
                    } else {
                        problems.push(format!(
                            "{at}: differs from master by more than the parentRef annotations\n--- master ({})\n{}{}--- {} ({})\n{}{}",
                            master.code, master.stdout, master.stderr, VERSIONS[v], r.code, r.stdout, r.stderr
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    eprintln!(
        "compared in full with master, per version: {same:?}; Gateway cases without parentRef annotations: {without_annotations:?}"
    );
    // Enough cases compared in full that the test says something for every version.
    for v in 0..MASTER {
        assert!(
            same[v] + without_annotations[v] > 60,
            "under {} only {} cases compared with master",
            VERSIONS[v],
            same[v] + without_annotations[v]
        );
    }
    for v in 0..V1_20 {
        assert!(
            without_annotations[v] > 5,
            "under {} only {} Gateway cases compared",
            VERSIONS[v],
            without_annotations[v]
        );
    }
}
