//! Nothing on a converted Ingress is lost without a word: over every convert fixture, each
//! annotation of each converted Ingress is carried into the output, translated (a key lsc
//! declares it translates, whose effect the fixtures show), or named by a diagnostic about
//! that Ingress. And every error convert reports is located (`file:line`).
//!
//! It reads the fixtures' expected files, which `tests/fixtures.rs` holds to the binary's
//! output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use lsc::source::tree::{Node, Value};

fn cases() -> Vec<PathBuf> {
    common::fixture_cases("convert")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Annotations whose meaning convert takes in (their effect is in the objects it writes):
/// the class, the auto-certificate annotation (resolved to an issuer annotation or warned),
/// and the ingress-nginx, Traefik, Cilium and APISIX annotations lsc translates.
fn translated(key: &str) -> bool {
    key == "kubernetes.io/ingress.class"
        || key == "kubernetes.io/tls-acme"
        || key
            .strip_prefix(lsc::convert::providers::ingress_nginx::PREFIX)
            .is_some_and(|name| lsc::convert::providers::ingress_nginx::TRANSLATED.contains(&name))
        || lsc::convert::providers::translates(key)
}

fn str_at<'a>(node: &'a Node, path: &[&str]) -> Option<&'a str> {
    node.path(path).and_then(|n| n.value.as_str())
}

struct InputIngress {
    reference: String,
    class: String,
    annotations: Vec<String>,
    /// The annotations with their values, as convert reads them.
    read: lsc::model::fields::SortedMap<lsc::model::fields::Located>,
}

impl InputIngress {
    /// Its namespace, as `reference` names it.
    fn namespace(&self) -> &str {
        self.reference
            .trim_start_matches("Ingress ")
            .split('/')
            .next()
            .unwrap_or_default()
    }
}

/// The Ingresses of an input (none when it does not parse: such a case is about that).
fn ingresses(text: &str) -> Vec<InputIngress> {
    let (documents, error) = lsc::source::yaml::parse_documents(text, &Default::default());
    if error.is_some() {
        return Vec::new();
    }
    documents
        .into_iter()
        .filter_map(|d| d.root)
        .filter(|root| str_at(root, &["kind"]) == Some("Ingress"))
        .map(|root| {
            let annotations = match root.path(&["metadata", "annotations"]).map(|n| &n.value) {
                Some(Value::Map(m)) => m.entries.iter().map(|e| e.key.to_string()).collect(),
                _ => Vec::new(),
            };
            let class = str_at(&root, &["spec", "ingressClassName"])
                .or_else(|| {
                    str_at(
                        &root,
                        &["metadata", "annotations", "kubernetes.io/ingress.class"],
                    )
                })
                .unwrap_or_default()
                .to_string();
            let read = root
                .path(&["metadata"])
                .and_then(Node::as_map)
                .and_then(|m| lsc::model::fields::string_map(m, "annotations", "metadata").ok())
                .map(|(read, _)| read)
                .unwrap_or_default();
            InputIngress {
                read,
                reference: format!(
                    "Ingress {}/{}",
                    str_at(&root, &["metadata", "namespace"]).unwrap_or("default"),
                    str_at(&root, &["metadata", "name"]).unwrap_or_default()
                ),
                class,
                annotations,
            }
        })
        .collect()
}

/// The annotation keys of every object in the output.
fn output_annotations(text: &str) -> Vec<String> {
    let (documents, error) = lsc::source::yaml::parse_documents(text, &Default::default());
    assert!(error.is_none(), "{error:?}");
    // `-o json` writes one List of the objects.
    let objects = documents
        .into_iter()
        .filter_map(|d| d.root)
        .flat_map(
            |root| match root.path(&["items"]).map(|n| n.value.clone()) {
                Some(Value::Seq(items)) => items,
                _ => vec![root],
            },
        );
    objects
        .flat_map(
            |object| match object.path(&["metadata", "annotations"]).map(|n| &n.value) {
                Some(Value::Map(m)) => m.entries.iter().map(|e| e.key.to_string()).collect(),
                _ => Vec::new(),
            },
        )
        .collect()
}

/// The emitter `--emitter` names (`standard` without it).
fn emitter(args: &str) -> lsc::convert::emitters::Emitter {
    let args: Vec<&str> = args.lines().collect();
    args.windows(2)
        .find(|w| w[0] == "--emitter")
        .map(|w| {
            <lsc::convert::emitters::Emitter as clap::ValueEnum>::from_str(w[1], false).unwrap()
        })
        .unwrap_or_default()
}

/// The classes `--ingress-class` converts (empty: all).
fn class_filter(args: &str) -> Vec<String> {
    let args: Vec<&str> = args.lines().collect();
    args.windows(2)
        .filter(|w| w[0] == "--ingress-class")
        .flat_map(|w| w[1].split(',').map(str::to_string))
        .collect()
}

#[test]
fn no_annotation_of_a_converted_ingress_is_lost_without_a_word() {
    let mut checked = 0;
    let mut lost = Vec::new();
    for case in cases() {
        let code = read(&case.join("expected.code"));
        if code.trim() == "2" {
            // Nothing is written: no annotation can be lost.
            continue;
        }
        let stderr = read(&case.join("expected.err"));
        let carried = output_annotations(&read(&case.join("expected.yaml")));
        let classes = class_filter(&read(&case.join("args")));
        let emitter = emitter(&read(&case.join("args")));
        for ingress in ingresses(&read(&case.join("input.yaml"))) {
            if !classes.is_empty() && !classes.contains(&ingress.class) {
                continue;
            }
            for key in &ingress.annotations {
                checked += 1;
                let said = stderr
                    .lines()
                    .any(|l| l.contains(&ingress.reference) && l.contains(key.as_str()));
                // Its effect is in the emitter's policy objects.
                let emitted = key
                    .strip_prefix(lsc::convert::providers::ingress_nginx::PREFIX)
                    .zip(ingress.read.get(key.as_str()))
                    .is_some_and(|(name, v)| {
                        emitter.translates(&ingress.read, ingress.namespace(), name, &v.value)
                    });
                if !(said || translated(key) || emitted || carried.contains(key)) {
                    let name = case.file_name().unwrap().to_string_lossy().to_string();
                    lost.push(format!("{name}: {} {key}", ingress.reference));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} annotations checked");
    assert!(
        lost.is_empty(),
        "annotations lost without a word:\n{}",
        lost.join("\n")
    );
}

#[test]
fn every_convert_error_is_located() {
    let mut errors = 0;
    let mut unlocated = Vec::new();
    for case in cases() {
        for line in read(&case.join("expected.err"))
            .lines()
            .filter(|l| l.starts_with("error"))
        {
            errors += 1;
            let located = line
                .strip_prefix("error: ")
                .and_then(|rest| rest.split_once(": "))
                .and_then(|(place, _)| place.rsplit_once(':'))
                .is_some_and(|(file, line)| !file.is_empty() && line.parse::<u32>().is_ok());
            if !located {
                let name = case.file_name().unwrap().to_string_lossy().to_string();
                unlocated.push(format!("{name}: {line}"));
            }
        }
    }
    assert!(errors > 30, "only {errors} errors seen");
    assert!(
        unlocated.is_empty(),
        "errors without file:line:\n{}",
        unlocated.join("\n")
    );
}

/// Issue 30: docs/convert.md's table for each emitter and the code agree. Every annotation a
/// row names is shown by a fixture of that emitter (`eg_*`, `ngf_*`, `kgw_*`, `agw_*`, `gke_*`): translated (the emitter
/// says so on that Ingress, and nothing calls it untranslated), refused, or warned, as the row
/// says; and every annotation the emitter translates on those fixtures has a row.
#[test]
fn emitter_tables_and_emitters_agree() {
    use lsc::convert::emitters::Emitter;
    table_and_emitter_agree(Emitter::EnvoyGateway, "eg_");
    table_and_emitter_agree(Emitter::NginxGatewayFabric, "ngf_");
    table_and_emitter_agree(Emitter::Kgateway, "kgw_");
    table_and_emitter_agree(Emitter::Agentgateway, "agw_");
    table_and_emitter_agree(Emitter::Gke, "gke_");
}

fn table_and_emitter_agree(emitter: lsc::convert::emitters::Emitter, prefix_of_cases: &str) {
    let docs = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/convert.md"));
    let heading = format!("### `{}`", emitter.name());
    let section = docs
        .split(heading.as_str())
        .nth(1)
        .unwrap_or_else(|| panic!("docs/convert.md has no section {heading}"));
    // (annotation, what the row says it becomes)
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in section.lines().take_while(|l| !l.starts_with("#")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        if !line.starts_with("| `") || cells.len() < 2 {
            continue;
        }
        // Values in parentheses (`cookie`, `basic`) are not annotation names.
        let mut names = String::new();
        let mut depth = 0;
        for c in cells[0].chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 => names.push(c),
                _ => {}
            }
        }
        for name in names.split('`').skip(1).step_by(2) {
            rows.push((name.to_string(), cells[1].to_string()));
        }
    }
    assert!(rows.len() >= 8, "{rows:?}");
    let prefix = lsc::convert::providers::ingress_nginx::PREFIX;
    let fixtures: Vec<(String, String, Vec<InputIngress>)> = cases()
        .into_iter()
        .filter(|c| {
            c.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(prefix_of_cases)
        })
        .map(|c| {
            (
                c.file_name().unwrap().to_string_lossy().to_string(),
                read(&c.join("expected.err")),
                ingresses(&read(&c.join("input.yaml"))),
            )
        })
        .collect();
    let shown = |name: &str, wanted: &dyn Fn(&str, &InputIngress, &str) -> bool| {
        let key = format!("{prefix}{name}");
        fixtures.iter().any(|(_, stderr, ingresses)| {
            ingresses.iter().any(|i| {
                i.read
                    .get(key.as_str())
                    .is_some_and(|v| wanted(stderr, i, &v.value))
            })
        })
    };
    let mut wrong = Vec::new();
    for (name, becomes) in &rows {
        let key = format!("{prefix}{name}");
        let ok = if becomes.starts_with("refused") {
            shown(name, &|stderr, i, _| {
                stderr.lines().any(|l| {
                    l.contains(&i.reference)
                        && l.contains(&key)
                        && (l.starts_with("error:") || l.contains("as --allow-unprotected accepts"))
                })
            })
        } else if becomes.starts_with("warned") || becomes.starts_with("read for") {
            shown(name, &|_, _, _| true)
        } else {
            shown(name, &|stderr, i, value| {
                emitter.translates(&i.read, i.namespace(), name, value)
                    && !stderr.lines().any(|l| {
                        l.contains(&i.reference) && l.contains(&format!("{key} is not translated"))
                    })
            })
        };
        if !ok {
            wrong.push(format!(
                "{name}: no {prefix_of_cases}* fixture shows \"{becomes}\""
            ));
        }
    }
    for (case, _, ingresses) in &fixtures {
        for ingress in ingresses {
            for (key, value) in ingress.read.iter() {
                let Some(name) = key.strip_prefix(prefix) else {
                    continue;
                };
                if emitter.translates(&ingress.read, ingress.namespace(), name, &value.value)
                    && !rows.iter().any(|(row, _)| row == name)
                {
                    wrong.push(format!("{case}: {name} is translated but has no row"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
