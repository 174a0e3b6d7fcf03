//! The validator built from the embedded CRDs (`lsc::crd`): the CRDs load and their rules
//! compile, valid objects pass, and it agrees with `lsc::cel` on every fixture object that
//! `lsc::cel` checks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lsc::crd::{self, Channel, Release};
use lsc::source::tree::{Node, Value};
use lsc::source::yaml::{Limits, parse_documents};

/// Every `.yaml` file below `dir` whose name starts with `prefix`.
fn files(dir: &Path, prefix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, prefix, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".yaml"))
        {
            out.push(path);
        }
    }
}

/// The objects of a YAML file with their apiVersion and kind.
fn objects(path: &Path) -> Vec<(String, String, String, Node)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (documents, _) = parse_documents(&text, &Limits::default());
    documents
        .into_iter()
        .filter_map(|d| d.root)
        .filter_map(|root| {
            let api_version = root.str_at(&["apiVersion"])?.to_owned();
            let kind = root.str_at(&["kind"])?.to_owned();
            let name = root.str_at(&["metadata", "name"]).unwrap_or("").to_owned();
            Some((api_version, kind, name, root))
        })
        .collect()
}

fn fixtures(area: &str, prefix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    files(&Path::new("tests/fixtures").join(area), prefix, &mut out);
    out
}

#[test]
fn every_embedded_crd_loads_and_serves_its_kinds() {
    for release in Release::ALL {
        let served: BTreeSet<(String, String)> = crd::served(release, Channel::Standard)
            .into_iter()
            .collect();
        for kind in [
            "Gateway",
            "GatewayClass",
            "HTTPRoute",
            "GRPCRoute",
            "ReferenceGrant",
        ]
        .into_iter()
        .filter(|k| release != Release::V1_4 || *k != "ReferenceGrant")
        {
            assert!(
                served.contains(&("gateway.networking.k8s.io/v1".to_owned(), kind.to_owned())),
                "{release}: {kind} v1 not served: {served:?}"
            );
        }
        assert!(served.contains(&("cert-manager.io/v1".to_owned(), "Certificate".to_owned())));
        let experimental: BTreeSet<(String, String)> = crd::served(release, Channel::Experimental)
            .into_iter()
            .collect();
        assert!(
            experimental.iter().any(|(_, k)| k == "TCPRoute"),
            "{release}"
        );
    }
    assert!(crd::serves(
        "gateway.networking.x-k8s.io/v1alpha1",
        "XListenerSet",
        Release::V1_4,
        Channel::Standard
    ));
    assert!(!crd::serves(
        "gateway.networking.k8s.io/v1",
        "ListenerSet",
        Release::V1_4,
        Channel::Standard
    ));
    assert!(crd::serves(
        "gateway.networking.k8s.io/v1",
        "ListenerSet",
        Release::V1_5,
        Channel::Standard
    ));
}

/// The objects every Gateway API CRD must accept: what convert writes for its fixtures (and
/// for ingress2gateway's cases, lsc's own expected output where it has one).
fn valid_objects() -> Vec<PathBuf> {
    let mut paths = fixtures("convert", "expected");
    let mut i2gw = fixtures("convert-i2gw", "expected-lsc");
    paths.append(&mut i2gw);
    paths
}

#[test]
fn what_convert_writes_passes_every_release_that_serves_it() {
    let mut checked = 0;
    let mut refused = Vec::new();
    for path in valid_objects() {
        for (api_version, kind, name, root) in objects(&path) {
            // v1.4.1 serves neither `allowedListeners` nor redirect status 308, which convert
            // writes: the release choice that would avoid them is issue 28's next phase.
            for release in [Release::V1_5, Release::V1_6] {
                let Some(found) =
                    crd::validate(&api_version, &kind, &root, release, Channel::Standard)
                else {
                    continue;
                };
                checked += 1;
                for violation in found {
                    refused.push(format!(
                        "{} {release} {kind} {name}: {}",
                        path.display(),
                        violation.message
                    ));
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} objects checked");
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

/// Objects on which `lsc::cel` and the CRD rules disagree, each investigated (see
/// docs/validation.md): `lsc::cel` adds checks of its own that no CRD rule makes.
const KNOWN_DISAGREEMENTS: &[&str] = &[
    // `lsc::cel` wants certificateRefs on an HTTPS listener, a writer's rule of its own; the
    // v1.6.1 ListenerSet CRD accepts an HTTPS listener without `tls`.
    "tests/fixtures/check/lsc203_https_without_tls/input.yaml ListenerSet team",
    // ingress2gateway's own expectation names a certificate `""`, which the schema's
    // `minLength: 1` refuses; `lsc::cel` checks no bounds (lsc writes its own expected-lsc.yaml).
    "tests/fixtures/convert-i2gw/ingressnginx_ssl_passthrough_basic/expected.yaml Gateway nginx",
];

#[test]
fn the_crd_rules_and_lsc_cel_agree_on_every_fixture_object() {
    let mut paths = valid_objects();
    paths.extend(fixtures("convert-i2gw", "expected"));
    paths.extend(fixtures("check", "input"));
    paths.extend(fixtures("check", "expected"));
    paths.sort();
    paths.dedup();
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for path in paths {
        for (api_version, kind, name, root) in objects(&path) {
            let Some(map) = root.as_map() else { continue };
            let old = lsc::cel::violations(&api_version, &kind, map);
            if !matches!(
                kind.as_str(),
                "Gateway" | "ListenerSet" | "XListenerSet" | "HTTPRoute"
            ) {
                continue;
            }
            let Some(new) =
                crd::validate(&api_version, &kind, &root, Release::V1_6, Channel::Standard)
            else {
                continue;
            };
            compared += 1;
            if old.is_empty() != new.is_empty() {
                disagreements.push(format!(
                    "{} {kind} {name}: lsc::cel {old:?}, crd {:?}",
                    path.display(),
                    new.iter().map(|v| v.message.as_str()).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(compared > 300, "only {compared} objects compared");
    let unexpected: Vec<&String> = disagreements
        .iter()
        .filter(|d| !KNOWN_DISAGREEMENTS.iter().any(|k| d.starts_with(k)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "disagreements:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn crds_folder_and_embedded_table_list_the_same_files() {
    let mut on_disk = Vec::new();
    let mut found = Vec::new();
    files(Path::new("crds"), "", &mut found);
    found.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    for path in found {
        on_disk.push(
            path.strip_prefix("crds/")
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
    }
    on_disk.sort();
    let mut embedded: Vec<String> = crd::EMBEDDED.iter().map(|e| e.path()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    // crds/bundle.zst, what the binary embeds, holds every file as it is on disk
    // (tools/pack-crds.sh packs it again).
    for e in crd::EMBEDDED {
        let path = e.path();
        let on_disk = std::fs::read_to_string(Path::new("crds").join(&path)).unwrap();
        assert!(
            e.text() == on_disk,
            "crds/bundle.zst holds another {path} than crds/: run tools/pack-crds.sh"
        );
    }
    assert_eq!(
        crd::bundle().len(),
        crd::EMBEDDED.len(),
        "crds/bundle.zst holds files the table does not name: run tools/pack-crds.sh"
    );
    let readme = std::fs::read_to_string("crds/README.md").unwrap_or_default();
    for release in Release::ALL {
        assert!(
            readme.contains(release.tag()),
            "crds/README.md does not name {release}"
        );
    }
}

#[test]
fn every_rule_compiles_but_transition_rules_and_known_gaps() {
    // XBackend's `format.dns1123Label().validate(self)` (v1.6.1 experimental) needs
    // Kubernetes' format library, not yet in `lsc::crd::library`.
    let uncompiled = crd::uncompiled_rules();
    assert!(
        uncompiled.len() == 1
            && uncompiled
                .iter()
                .all(|(rule, _)| rule.contains("format.dns1123Label")),
        "{uncompiled:#?}"
    );
}

/// One step down a tree: a mapping key or a sequence index.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node_at<'a>(root: &'a mut Node, path: &[Step]) -> Option<&'a mut Node> {
    let mut node = root;
    for step in path {
        node = match (&mut node.value, step) {
            (Value::Map(map), Step::Key(key)) => {
                &mut map
                    .entries
                    .iter_mut()
                    .find(|e| e.key == key.as_str())?
                    .value
            }
            (Value::Seq(items), Step::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn paths(node: &Node, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match &node.value {
        Value::Map(map) => {
            for entry in &map.entries {
                if at.is_empty() && matches!(entry.key.as_str(), "apiVersion" | "kind" | "metadata")
                {
                    continue;
                }
                at.push(Step::Key(entry.key.to_string()));
                paths(&entry.value, at, out);
                at.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                paths(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Objects made from `root` by breaking one field at a time: strings emptied, made long,
/// given characters no pattern or enum allows or an IP address, numbers out of any range,
/// lists emptied, doubled or made long, mapping keys removed one at a time.
fn mutations(root: &Node) -> Vec<Node> {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let mut out = Vec::new();
    let mut change = |path: &[Step], value: Value| {
        let mut copy = root.clone();
        if let Some(node) = node_at(&mut copy, path) {
            node.value = value;
            out.push(copy);
        }
    };
    for path in all.iter().filter(|p| !p.is_empty()) {
        let mut copy = root.clone();
        let Some(node) = node_at(&mut copy, path) else {
            continue;
        };
        match node.value.clone() {
            Value::Str(s) => {
                for text in [
                    String::new(),
                    "x".repeat(32_769),
                    "Not Valid!/~%".to_owned(),
                    "10.0.0.1".to_owned(),
                    "*".to_owned(),
                    format!("{s}/#"),
                    "ab".repeat(130),
                ] {
                    change(path, Value::Str(text));
                }
            }
            Value::Int(_) => {
                for n in [0, -1, 65_536, 1 << 40, 1_000_001] {
                    change(path, Value::Int(n));
                }
            }
            Value::Seq(items) => {
                change(path, Value::Seq(Vec::new()));
                let doubled: Vec<Node> = items.iter().chain(items.iter()).cloned().collect();
                change(path, Value::Seq(doubled));
                if let Some(first) = items.first() {
                    change(path, Value::Seq(vec![first.clone(); 130]));
                }
            }
            Value::Map(map) => {
                for i in 0..map.entries.len() {
                    let mut fewer = map.clone();
                    fewer.entries.remove(i);
                    change(path, Value::Map(fewer));
                }
            }
            _ => {}
        }
    }
    out
}

/// The objects the coverage test breaks: the valid outputs and every check fixture input,
/// one of each shape (the same fields, whatever their values).
fn coverage_bases() -> Vec<(String, String, Node)> {
    let mut paths = valid_objects();
    paths.extend(fixtures("check", "input"));
    let mut shapes = BTreeSet::new();
    let mut out = Vec::new();
    for path in paths {
        for (api_version, kind, _, root) in objects(&path) {
            let mut steps = Vec::new();
            paths_of(&root, &mut steps);
            let shape = format!("{api_version} {kind} {}", steps.join(","));
            if shapes.insert(shape) {
                out.push((api_version, kind, root));
            }
        }
    }
    out
}

fn paths_of(root: &Node, out: &mut Vec<String>) {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    for path in all {
        let text: Vec<String> = path
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(_) => "[]".to_owned(),
            })
            .collect();
        out.push(text.join("."));
    }
    out.sort();
    out.dedup();
}

/// Every rule, pattern, enum and bound of the embedded Gateway API CRDs that some test object
/// breaks, per release and channel; the count may only grow (`COVERED`), and the ones no
/// object breaks yet are printed.
#[test]
fn crd_constraints_broken_by_some_test_object() {
    let bases = coverage_bases();
    let mut report = Vec::new();
    let mut totals = (0, 0);
    for release in Release::ALL {
        for channel in [Channel::Standard, Channel::Experimental] {
            let mut wanted = BTreeSet::new();
            for (api_version, kind) in crd::served(release, channel) {
                if api_version.starts_with("cert-manager.io") {
                    continue;
                }
                for (_, key) in crd::constraints(&api_version, &kind, release, channel) {
                    wanted.insert(format!("{kind} {key}"));
                }
            }
            let mut hit = BTreeSet::new();
            for (api_version, kind, root) in &bases {
                for object in std::iter::once(root.clone()).chain(mutations(root)) {
                    let Some(found) = crd::validate(api_version, kind, &object, release, channel)
                    else {
                        continue;
                    };
                    for violation in found {
                        hit.insert(format!("{kind} {}", violation.constraint));
                    }
                }
            }
            let missing: Vec<&String> = wanted.iter().filter(|k| !hit.contains(*k)).collect();
            totals.0 += wanted.len() - missing.len();
            totals.1 += wanted.len();
            report.push(format!(
                "{release} {}: {} of {} broken",
                channel.dir(),
                wanted.len() - missing.len(),
                wanted.len()
            ));
            for key in missing {
                report.push(format!("  not broken: {key}"));
            }
        }
    }
    println!("{}", report.join("\n"));
    println!("total: {} of {}", totals.0, totals.1);
    assert!(
        totals.0 >= COVERED,
        "coverage fell: {} < {COVERED}",
        totals.0
    );
}

/// How many constraints some test object breaks today (of 5,270 over the six CRD sets).
const COVERED: usize = 1588;

/// Per-object cost of `lsc::crd::validate` and `lsc::cel::violations` on the objects of the
/// YAML file `LSC_BENCH_YAML` (e.g. what `lsc convert` writes for the 100k tree), in
/// alternating rounds. Ignored: a measurement, run with
/// `LSC_BENCH_YAML=out.yaml cargo test --release --test crd -- --ignored --nocapture bench`.
#[test]
#[ignore = "a measurement, not a check: needs LSC_BENCH_YAML"]
fn bench_crd_against_cel() {
    let Ok(path) = std::env::var("LSC_BENCH_YAML") else {
        println!("skipped: LSC_BENCH_YAML is not set");
        return;
    };
    let objects = objects(Path::new(&path));
    let kinds = ["Gateway", "ListenerSet", "XListenerSet", "HTTPRoute"];
    let covered: Vec<_> = objects
        .iter()
        .filter(|o| kinds.contains(&o.1.as_str()))
        .collect();
    println!(
        "{} objects, {} of kinds lsc::cel checks",
        objects.len(),
        covered.len()
    );
    for round in 0..3 {
        let start = std::time::Instant::now();
        let mut refused = 0;
        for (api_version, kind, _, root) in &covered {
            if let Some(map) = root.as_map() {
                refused += usize::from(!lsc::cel::violations(api_version, kind, map).is_empty());
            }
        }
        let cel = start.elapsed();
        let start = std::time::Instant::now();
        let mut refused_crd = 0;
        for (api_version, kind, _, root) in &covered {
            let found = crd::validate(api_version, kind, root, Release::V1_6, Channel::Standard);
            refused_crd += usize::from(found.is_some_and(|f| !f.is_empty()));
        }
        let new = start.elapsed();
        let start = std::time::Instant::now();
        let mut all = 0;
        for (api_version, kind, _, root) in &objects {
            all += usize::from(
                crd::validate(api_version, kind, root, Release::V1_6, Channel::Standard).is_some(),
            );
        }
        let every = start.elapsed();
        let per = |d: std::time::Duration, n: usize| d.as_nanos() as f64 / n.max(1) as f64 / 1000.0;
        println!(
            "round {round}: lsc::cel {:.2} us/object ({refused} refused), lsc::crd {:.2} us/object ({refused_crd} refused); lsc::crd on all {all} objects it serves: {:.2} us/object",
            per(cel, covered.len()),
            per(new, covered.len()),
            per(every, all)
        );
    }
}
