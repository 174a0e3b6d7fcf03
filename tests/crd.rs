//! The validator built from the embedded CRDs (`lsc::crd`): the CRDs load and their rules
//! compile, valid objects pass, and it agrees with `lsc::cel` on every fixture object that
//! `lsc::cel` checks.

use std::collections::{BTreeMap, BTreeSet};

mod crd_gen;
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

/// The constraints no object can break (part of the constraint's key), each with the reason;
/// `unbreakable_constraints_are_unbreakable` holds each to it.
const UNBREAKABLE: &[(&str, &str)] = &[
    (" minLength 0", "no string is shorter than 0 characters"),
    (
        "HTTPRoute spec.rules[].matches[].path rule self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'",
        "`type`'s enum is these three values: any other is refused by the enum first, which keeps the API server from running the rules",
    ),
    (
        "XBackend spec.port.name rule size(self) == 0 || format.dns1123Label().validate(self) == null",
        "needs Kubernetes' CEL format library, which lsc::crd lacks: not compiled, not run",
    ),
];

#[test]
fn unbreakable_constraints_are_unbreakable() {
    // Each is still a constraint of some embedded CRD.
    let mut all = BTreeSet::new();
    for release in Release::ALL {
        for channel in [Channel::Standard, Channel::Experimental] {
            for (api_version, kind) in crd::served(release, channel) {
                for (_, key) in crd::constraints(&api_version, &kind, release, channel) {
                    all.insert(format!("{kind} {key}"));
                }
            }
        }
    }
    for (part, reason) in UNBREAKABLE {
        assert!(
            all.iter().any(|k| k.contains(part)),
            "{part} ({reason}) is no constraint of the embedded CRDs any more"
        );
    }
    // minLength 0: a bound of zero and nothing else.
    assert!(
        all.iter()
            .filter(|k| k.contains(" minLength "))
            .all(|k| !k.ends_with(" minLength 0") || k.matches(" minLength ").count() == 1)
    );
    // The path type rule: every value the enum allows passes it, any other is refused by the
    // enum and the rules are not run.
    let rule = UNBREAKABLE[1].0.trim_start_matches("HTTPRoute ");
    for release in Release::ALL {
        for channel in [Channel::Standard, Channel::Experimental] {
            let schemas = crd_gen::schemas(release, channel);
            let Some(schema) = schemas.get(&(
                "gateway.networking.k8s.io/v1".to_owned(),
                "HTTPRoute".to_owned(),
            )) else {
                continue;
            };
            let steps = crd_gen::steps("spec.rules[].matches[].path");
            let enumeration = schema
                .at(&crd_gen::steps("spec.rules[].matches[].path.type"))
                .map(|s| s.enumeration.clone())
                .unwrap_or_default();
            assert_eq!(enumeration.len(), 3, "{release}");
            for value in enumeration.into_iter().chain([Value::str("Other")]) {
                let other = value == Value::str("Other");
                let mut leaf = Node::new(Value::Map(Default::default()));
                if let Value::Map(map) = &mut leaf.value {
                    map.push("type", value);
                    map.push("value", Value::str("/"));
                }
                let object = crd_gen::object(
                    "gateway.networking.k8s.io/v1",
                    "HTTPRoute",
                    crd_gen::embed(schema, &steps, leaf),
                );
                let found = crd::validate(
                    "gateway.networking.k8s.io/v1",
                    "HTTPRoute",
                    &object,
                    release,
                    channel,
                )
                .unwrap_or_default();
                assert!(!found.iter().any(|v| v.constraint == rule), "{found:?}");
                assert_eq!(
                    other,
                    found.iter().any(|v| v.constraint == crd::RULES_NOT_CHECKED),
                    "{found:?}"
                );
            }
        }
    }
    // The format rule is the one rule lsc does not compile.
    assert!(
        crd::uncompiled_rules()
            .iter()
            .any(|(rule, _)| UNBREAKABLE[2].0.ends_with(rule.trim()))
    );
}

/// How many mapping entries and list items a tree has.
fn count_fields(node: &Node) -> usize {
    match &node.value {
        Value::Map(map) => map.entries.iter().map(|e| 1 + count_fields(&e.value)).sum(),
        Value::Seq(items) => items.iter().map(|i| 1 + count_fields(i)).sum(),
        _ => 0,
    }
}

/// Whether a violation is a rule's own refusal, not an evaluation error.
fn refusal(violation: &crd::Violation) -> bool {
    !violation.message.contains(" evaluating rule: ")
}

/// Every rule, pattern, enum and bound of the embedded Gateway API CRDs is broken by some
/// object made from the CRD's schema (`crd_gen`): a value breaking the pattern, enum or bound
/// in an object of only the required fields, or, for a CEL rule, the first of a search over
/// variants of its node that the rule refuses. And no object the schema accepts is refused by
/// a structural check (every property set, or only the required ones).
#[test]
fn crd_constraints_broken_by_some_test_object() {
    let mut report = Vec::new();
    let mut false_refusals = Vec::new();
    let mut totals = (0, 0, 0);
    // The objects that broke a rule in one CRD set, tried first in the next.
    let mut winners: BTreeMap<(String, String), Vec<Node>> = BTreeMap::new();
    let mut leaf_winners: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    // Per kind, the object with every field that passes (fields kept, fields in all).
    let mut passing: BTreeMap<(String, String), Node> = BTreeMap::new();
    let mut unrepaired = Vec::new();
    let mut fields = (0, 0);
    let differential = std::cell::RefCell::new(Differential::default());
    for release in Release::ALL {
        for channel in [Channel::Standard, Channel::Experimental] {
            let set_started = std::time::Instant::now();
            let schemas = crd_gen::schemas(release, channel);
            let mut hit = BTreeSet::new();
            let mut wanted = Vec::new();
            for ((api_version, kind), schema) in &schemas {
                let started = std::time::Instant::now();
                let validations = std::cell::Cell::new(0usize);
                let check = |object: &Node, hit: &mut BTreeSet<String>| -> Vec<crd::Violation> {
                    validations.set(validations.get() + 1);
                    let found = crd::validate(api_version, kind, object, release, channel)
                        .unwrap_or_default();
                    for violation in found.iter().filter(|v| refusal(v)) {
                        hit.insert(format!("{kind} {}", violation.constraint));
                    }
                    if lsc_cel_follows(release, channel, kind) {
                        compare_with_lsc_cel(api_version, kind, object, &found, &differential);
                    }
                    found
                };
                for full in [true, false] {
                    let object =
                        crd_gen::object(api_version, kind, crd_gen::valid(schema, full, 0));
                    for violation in check(&object, &mut hit) {
                        if !violation.constraint.contains(" rule ")
                            && violation.constraint != crd::RULES_NOT_CHECKED
                        {
                            false_refusals.push(format!(
                                "{release} {} {kind} (full: {full}): {}",
                                channel.dir(),
                                violation.message
                            ));
                        }
                    }
                }
                let key = (api_version.clone(), kind.clone());
                // The object with every field made to pass the CEL rules too, by removing
                // the fields they refuse together (a filter's settings of other types, ...).
                // Where the previous release's passing object does not pass, from the start.
                let full = crd_gen::object(api_version, kind, crd_gen::valid(schema, true, 0));
                let mut repaired = None;
                for start in passing.remove(&key).into_iter().chain([full]) {
                    let (object, left) =
                        crd_gen::repair(start, |object: &Node| -> Option<Vec<String>> {
                            let found = check(object, &mut hit);
                            if found.iter().any(|v| !v.constraint.contains(" rule ")) {
                                return None;
                            }
                            Some(found.into_iter().map(|v| v.path).collect())
                        });
                    let done = left.is_empty();
                    repaired = Some((object, left));
                    if done {
                        break;
                    }
                }
                let (object, left) =
                    repaired.unwrap_or_else(|| (Node::new(Value::Null), vec!["none".to_owned()]));
                if !left.is_empty() {
                    unrepaired.push(format!(
                        "{release} {} {kind} {api_version}: {left:?}",
                        channel.dir()
                    ));
                }
                fields.0 += count_fields(&object);
                fields.1 += count_fields(&crd_gen::object(
                    api_version,
                    kind,
                    crd_gen::valid(schema, true, 0),
                ));
                passing.insert(key.clone(), object);
                for object in winners.get(&key).cloned().unwrap_or_default() {
                    check(&object, &mut hit);
                }
                // Patterns, enums and bounds: a breaking value at each, many at once in an
                // object of only the required fields (no two at one path or one below
                // another), then alone where the batch did not break it.
                let mut targets = Vec::new();
                let mut searches = Vec::new();
                for (path, constraint) in crd::constraints(api_version, kind, release, channel) {
                    let name = format!("{kind} {constraint}");
                    wanted.push(name.clone());
                    if hit.contains(&name) {
                        continue;
                    }
                    let what = constraint
                        .get(path.len()..)
                        .unwrap_or_default()
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let steps = crd_gen::steps(&path);
                    let Some(node) = schema.at(&steps) else {
                        continue;
                    };
                    if what == "rule" {
                        let rule = constraint
                            .get(path.len() + " rule ".len()..)
                            .unwrap_or_default();
                        searches.push((name, path, rule.to_owned()));
                    } else if let Some(leaf) = crd_gen::breaking(node, &what) {
                        targets.push((name, path, leaf));
                    }
                }
                let mut batches: Vec<Vec<usize>> = Vec::new();
                for (i, (_, path, _)) in targets.iter().enumerate() {
                    let free = batches.iter_mut().find(|batch| {
                        batch
                            .iter()
                            .all(|j| !crd_gen::overlaps(&targets[*j].1, path))
                    });
                    match free {
                        Some(batch) => batch.push(i),
                        None => batches.push(vec![i]),
                    }
                }
                for batch in &batches {
                    let mut body = crd_gen::valid(schema, false, 0);
                    for i in batch {
                        let (_, path, leaf) = &targets[*i];
                        crd_gen::insert(schema, &mut body, &crd_gen::steps(path), leaf.clone());
                    }
                    check(&crd_gen::object(api_version, kind, body), &mut hit);
                }
                for (name, path, leaf) in &targets {
                    if !hit.contains(name) {
                        let body = crd_gen::embed(schema, &crd_gen::steps(path), leaf.clone());
                        check(&crd_gen::object(api_version, kind, body), &mut hit);
                    }
                }
                // CEL rules: the first variant of the rule's node the rule refuses.
                for (name, path, rule) in &searches {
                    if hit.contains(name) {
                        continue;
                    }
                    let steps = crd_gen::steps(path);
                    let Some(node) = schema.at(&steps) else {
                        continue;
                    };
                    let words = crd_gen::rule_words(rule);
                    let before = validations.get();
                    let search_started = std::time::Instant::now();
                    // What broke a rule at the same path (of another kind or release) first.
                    let tried_first = leaf_winners.get(path).cloned().unwrap_or_default();
                    'search: for depth in 0..=3 {
                        let leaves = if depth == 0 {
                            tried_first.clone()
                        } else {
                            crd_gen::variants(node, &words, depth)
                        };
                        for leaf in leaves {
                            let object = crd_gen::object(
                                api_version,
                                kind,
                                crd_gen::embed(schema, &steps, leaf.clone()),
                            );
                            check(&object, &mut hit);
                            if hit.contains(name) {
                                winners.entry(key.clone()).or_default().push(object);
                                if depth > 0 {
                                    leaf_winners.entry(path.clone()).or_default().push(leaf);
                                }
                                break 'search;
                            }
                        }
                    }
                    if std::env::var_os("LSC_COVERAGE_TRACE").is_some() {
                        eprintln!(
                            "    search {} validations {:?}: {}",
                            validations.get() - before,
                            search_started.elapsed(),
                            name.chars().take(150).collect::<String>()
                        );
                    }
                }
                if std::env::var_os("LSC_COVERAGE_TRACE").is_some() {
                    eprintln!(
                        "  {kind} {api_version}: {} validations, {:?}",
                        validations.get(),
                        started.elapsed()
                    );
                }
            }
            wanted.sort();
            wanted.dedup();
            if std::env::var_os("LSC_COVERAGE_TRACE").is_some() {
                eprintln!("{release} {}: {:?}", channel.dir(), set_started.elapsed());
            }
            let unbreakable = |k: &String| UNBREAKABLE.iter().any(|(u, _)| k.contains(u));
            let broken = wanted.iter().filter(|k| hit.contains(*k)).count();
            let missing: Vec<&String> = wanted
                .iter()
                .filter(|k| !hit.contains(*k) && !unbreakable(k))
                .collect();
            totals.0 += broken;
            totals.1 += wanted.len();
            totals.2 += wanted.len() - broken - missing.len();
            report.push(format!(
                "{release} {}: {broken} of {} broken, {} unbreakable",
                channel.dir(),
                wanted.len(),
                wanted.len() - broken - missing.len()
            ));
            for key in missing {
                report.push(format!("  not broken: {key}"));
            }
        }
    }
    println!("{}", report.join("\n"));
    println!(
        "total: {} of {} broken, {} unbreakable",
        totals.0, totals.1, totals.2
    );
    println!(
        "valid objects with every field, made to pass the rules: {} of {} fields kept",
        fields.0, fields.1
    );
    assert!(
        unrepaired.is_empty(),
        "no passing object with every field:\n{}",
        unrepaired.join("\n")
    );
    assert!(
        false_refusals.is_empty(),
        "valid objects refused:\n{}",
        false_refusals.join("\n")
    );
    assert!(
        totals.0 + totals.2 == totals.1,
        "constraints no object breaks:\n{}",
        report.join("\n")
    );
    // Beyond the objects the search above stopped at: every variant one level down of each
    // rule's node, for the kinds `lsc::cel` translates.
    for channel in [Channel::Standard, Channel::Experimental] {
        let schemas = crd_gen::schemas(Release::V1_6, channel);
        for ((api_version, kind), schema) in &schemas {
            if !lsc_cel_follows(Release::V1_6, channel, kind) {
                continue;
            }
            for (path, constraint) in crd::constraints(api_version, kind, Release::V1_6, channel) {
                let Some(rule) = constraint
                    .get(path.len()..)
                    .and_then(|c| c.strip_prefix(" rule "))
                else {
                    continue;
                };
                let steps = crd_gen::steps(&path);
                let Some(node) = schema.at(&steps) else {
                    continue;
                };
                for leaf in crd_gen::variants(node, &crd_gen::rule_words(rule), 1) {
                    let object =
                        crd_gen::object(api_version, kind, crd_gen::embed(schema, &steps, leaf));
                    let found = crd::validate(api_version, kind, &object, Release::V1_6, channel)
                        .unwrap_or_default();
                    compare_with_lsc_cel(api_version, kind, &object, &found, &differential);
                }
            }
        }
    }
    let differential = differential.into_inner();
    println!(
        "lsc::cel against the CRD rules: {} generated objects compared, {} refused by a rule",
        differential.compared, differential.refused
    );
    assert!(
        differential.compared > 1000 && differential.refused > 100,
        "too few generated objects compared with lsc::cel: {} ({} refused)",
        differential.compared,
        differential.refused
    );
    assert!(
        differential.disagreements.is_empty(),
        "lsc::cel and the CRD rules disagree on generated objects:\n{}",
        differential.disagreements.join("\n")
    );
}

/// `lsc::cel`'s hand translations against the CRD rules on the generated objects.
#[derive(Default)]
struct Differential {
    compared: usize,
    refused: usize,
    disagreements: Vec<String>,
}

/// The kinds and CRD set `lsc::cel` translates: v1.6.1's standard Gateway, ListenerSet and
/// HTTPRoute, and its experimental XListenerSet (of the apiVersions `lsc::cel::covers`).
fn lsc_cel_follows(release: Release, channel: Channel, kind: &str) -> bool {
    release == Release::V1_6
        && match channel {
            Channel::Standard => matches!(kind, "Gateway" | "ListenerSet" | "HTTPRoute"),
            Channel::Experimental => kind == "XListenerSet",
        }
}

/// Holds `lsc::cel` to the CRD rules on one generated object the schema accepts (`lsc::cel`
/// checks no types or bounds, so objects with a structural refusal are left out): both refuse
/// it or neither does. `lsc::cel`'s own check beyond the CRDs (an HTTPS listener without
/// certificateRefs, see `KNOWN_DISAGREEMENTS`) is not a disagreement.
fn compare_with_lsc_cel(
    api_version: &str,
    kind: &str,
    object: &Node,
    found: &[crd::Violation],
    differential: &std::cell::RefCell<Differential>,
) {
    let structural = found
        .iter()
        .any(|v| !v.constraint.contains(" rule ") && v.constraint != crd::RULES_NOT_CHECKED);
    let Some(map) = object.as_map() else { return };
    if structural || !lsc::cel::covers(api_version, kind) {
        return;
    }
    let rules: Vec<&str> = found
        .iter()
        .filter(|v| v.constraint.contains(" rule ") && refusal(v))
        .map(|v| v.message.as_str())
        .collect();
    let errors = found.iter().any(|v| !refusal(v));
    let old: Vec<String> = lsc::cel::violations(api_version, kind, map)
        .into_iter()
        .filter(|m| !m.contains("certificateRefs must be specified"))
        .collect();
    let mut differential = differential.borrow_mut();
    // A rule the validator could not evaluate (an evaluation error) says nothing either way.
    if errors && rules.is_empty() {
        return;
    }
    differential.compared += 1;
    if !rules.is_empty() {
        differential.refused += 1;
    }
    if old.is_empty() != rules.is_empty() && differential.disagreements.len() < 20 {
        let text = if std::env::var_os("LSC_DIFFERENTIAL_OBJECTS").is_some() {
            let mut out = String::new();
            lsc::emit::yaml::write_document(&mut out, object);
            format!("\n{out}")
        } else {
            String::new()
        };
        differential.disagreements.push(format!(
            "{kind}: lsc::cel {old:?}, CRD rules {rules:?}{text}"
        ));
    }
}

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

/// Every pattern, enum and bound of the pinned cert-manager Certificate CRD, with the
/// annotation through which `lsc render` writes the field, or None where the shim writes no
/// such field.
const CERTIFICATE_CONSTRAINTS: &[(&str, Option<&str>)] = &[
    ("spec.additionalOutputFormats[].type enum", None),
    ("spec.keystores.pkcs12.profile enum", None),
    (
        "spec.privateKey.algorithm enum",
        Some("cert-manager.io/private-key-algorithm"),
    ),
    (
        "spec.privateKey.encoding enum",
        Some("cert-manager.io/private-key-encoding"),
    ),
    (
        "spec.privateKey.rotationPolicy enum",
        Some("cert-manager.io/private-key-rotation-policy"),
    ),
    ("spec.renewal.policy enum", None),
    ("spec.renewal.windows[].cron minLength 1", None),
    ("spec.renewal.windows[].timezone minLength 1", None),
    (
        "spec.renewal.windows[].windowDuration pattern ^([0-9]+(\\.[0-9]+)?(s|m|h))+$",
        None,
    ),
    ("spec.signatureAlgorithm enum", None),
    ("spec.usages[] enum", Some("cert-manager.io/usages")),
];

/// `lsc render` of one Gateway with a TLS listener and `annotation: value`: the Certificates
/// written, and the errors.
fn render_with(annotation: &str, value: &str) -> (Vec<Node>, Vec<String>) {
    let text = format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: default\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n    {annotation}: {value:?}\nspec:\n  gatewayClassName: x\n  listeners:\n  - name: https\n    hostname: a.example.com\n    port: 443\n    protocol: HTTPS\n    tls:\n      certificateRefs:\n      - name: a-tls\n"
    );
    let dir = std::env::temp_dir().join(format!(
        "lsc-crd-render-{}-{}",
        std::process::id(),
        annotation.replace('/', "_")
    ));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let path = dir.join("gateway.yaml");
    std::fs::write(&path, text).unwrap_or_default();
    let inputs = [lsc::source::InputSource::File {
        display: "gateway.yaml".into(),
        path,
    }];
    let outcome = lsc::render(&inputs, &lsc::RenderOptions::default());
    std::fs::remove_dir_all(&dir).unwrap_or_default();
    let (documents, _) = parse_documents(&outcome.stdout, &Limits::default());
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    (
        documents.into_iter().filter_map(|d| d.root).collect(),
        errors,
    )
}

/// What `lsc render` writes passes the pinned Certificate CRD (every render fixture and the
/// generated annotations of tests/properties.rs are validated with it, in
/// `common::assert_certificates_valid`). Here: the CRD's patterns, enums and bounds are the
/// ones listed, and at each field the shim writes, every value the CRD allows gives a
/// Certificate that passes it, and a value it refuses is refused by render with the shim's own
/// error, nothing written.
#[test]
fn render_writes_only_certificates_the_crd_accepts() {
    let (api_version, kind) = ("cert-manager.io/v1", "Certificate");
    let mut listed: Vec<&str> = CERTIFICATE_CONSTRAINTS.iter().map(|(k, _)| *k).collect();
    let mut found: Vec<String> =
        crd::constraints(api_version, kind, Release::V1_6, Channel::Standard)
            .into_iter()
            .map(|(_, key)| key)
            .collect();
    listed.sort_unstable();
    found.sort();
    assert_eq!(listed, found, "the Certificate CRD's constraints changed");
    let schema = crd::EMBEDDED
        .iter()
        .filter(|e| e.channel == "cert-manager")
        .find_map(|e| {
            let (documents, _) = parse_documents(e.text(), &Limits::default());
            documents
                .into_iter()
                .filter_map(|d| d.root)
                .find_map(|root| {
                    root.path(&["spec", "versions"])
                        .and_then(|v| match &v.value {
                            Value::Seq(items) => items.first().cloned(),
                            _ => None,
                        })
                        .and_then(|v| v.path(&["schema", "openAPIV3Schema"]).cloned())
                })
        })
        .map(|n| crd_gen::Schema::read(&n))
        .unwrap_or_default();
    for (constraint, annotation) in CERTIFICATE_CONSTRAINTS {
        let Some(annotation) = annotation else {
            continue;
        };
        let path = constraint.trim_end_matches(" enum");
        let allowed: Vec<String> = schema
            .at(&crd_gen::steps(path))
            .map(|s| {
                s.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        assert!(!allowed.is_empty(), "{constraint}");
        for value in &allowed {
            let (certificates, errors) = render_with(annotation, value);
            assert!(errors.is_empty(), "{annotation}: {value}: {errors:?}");
            assert_eq!(certificates.len(), 1, "{annotation}: {value}");
            for certificate in &certificates {
                let refused = crd::validate(
                    api_version,
                    kind,
                    certificate,
                    Release::V1_6,
                    Channel::Standard,
                )
                .unwrap_or_default();
                assert!(refused.is_empty(), "{annotation}: {value}: {refused:?}");
            }
        }
        let mut wrong = vec!["NotInTheEnum".to_owned(), String::new()];
        for value in &allowed {
            wrong.push(value.to_uppercase());
            wrong.push(value.to_lowercase());
            wrong.push(value.replace(' ', "-"));
        }
        for value in wrong.iter().filter(|w| !allowed.contains(w)) {
            let (certificates, errors) = render_with(annotation, value);
            assert!(certificates.is_empty(), "{annotation}: {value:?} written");
            assert!(
                errors.iter().any(|e| e.contains("invalid ")),
                "{annotation}: {value:?}: {errors:?}"
            );
        }
    }
}
