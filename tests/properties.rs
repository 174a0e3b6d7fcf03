//! Properties of the whole pipeline on generated manifests:
//! - `lsc render` (the real binary) prints the same bytes for the same files however they are
//!   given: as a folder, twice, with `--jobs 1` or `--jobs 2`, or file by file in any order;
//! - no input, however hostile its `cert-manager.io/*` annotations, hostnames, Secret names,
//!   labels or names, makes `render` print a Certificate that fails cert-manager's schema or
//!   changes a string on its way through; on an error nothing is printed;
//! - an object defined again is read from its last definition: render, convert and check give
//!   what they give without the replaced definitions, but for the warnings naming them;
//! - `convert` of generated Ingresses, hostile hosts and paths included, writes only Gateway API
//!   objects that pass their schemas and CEL rules, or fails with nothing written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lsc::convert::{ConvertOptions, Keep, ListenerSetApi, TlsIn};
use lsc::source::InputSource;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The manifests, and how they are written as YAML.

/// An annotation value: a string (written double-quoted, so any string survives), or a
/// plain scalar of another type written as is (`3`, `true`, `null`, `[a]`), which lsc refuses.
#[derive(Debug, Clone)]
enum Scalar {
    Str(String),
    Raw(&'static str),
}

#[derive(Debug, Clone)]
struct Meta {
    namespace: Option<String>,
    name: String,
    labels: Vec<(String, String)>,
    annotations: Vec<(String, Scalar)>,
}

#[derive(Debug, Clone)]
struct IngressTls {
    hosts: Vec<String>,
    secret: Option<String>,
}

#[derive(Debug, Clone)]
struct IngressPath {
    path: Option<String>,
    path_type: Option<String>,
    service: String,
    port: i64,
}

#[derive(Debug, Clone)]
struct IngressRule {
    host: Option<String>,
    paths: Vec<IngressPath>,
}

#[derive(Debug, Clone)]
struct Listener {
    name: String,
    hostname: Option<String>,
    protocol: String,
    port: i64,
    /// TLS mode (absent: the CRD default, Terminate) and the Secrets named.
    tls: Option<(Option<String>, Vec<String>)>,
}

#[derive(Debug, Clone)]
enum Doc {
    Ingress {
        meta: Meta,
        class: Option<String>,
        tls: Vec<IngressTls>,
        rules: Vec<IngressRule>,
    },
    Gateway {
        meta: Meta,
        listeners: Vec<Listener>,
    },
    ListenerSet {
        experimental: bool,
        meta: Meta,
        parent: String,
        parent_namespace: Option<String>,
        listeners: Vec<Listener>,
    },
    /// A kind the shim ignores, even with cert-manager annotations.
    Other { kind: &'static str, meta: Meta },
}

impl Doc {
    fn meta(&self) -> &Meta {
        match self {
            Doc::Ingress { meta, .. }
            | Doc::Gateway { meta, .. }
            | Doc::ListenerSet { meta, .. }
            | Doc::Other { meta, .. } => meta,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Doc::Ingress { .. } => "Ingress",
            Doc::Gateway { .. } => "Gateway",
            Doc::ListenerSet {
                experimental: true, ..
            } => "XListenerSet",
            Doc::ListenerSet { .. } => "ListenerSet",
            Doc::Other { kind, .. } => kind,
        }
    }

    /// What identifies the object in a cluster: two documents with the same identity are the
    /// same object, and which one wins is a matter of input order.
    fn identity(&self) -> (&'static str, String, String) {
        let meta = self.meta();
        (
            self.kind(),
            meta.namespace.clone().unwrap_or_default(),
            meta.name.clone(),
        )
    }
}

/// YAML 1.2 printable characters that need no escape inside double quotes (line separators,
/// NEL and the byte order mark are escaped too, to keep the input unambiguous).
fn is_plain_printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x10000..=0x10FFFF)
}

/// A YAML double-quoted scalar holding exactly `s`.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_plain_printable(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn write_meta(out: &mut String, meta: &Meta) {
    out.push_str(&format!("metadata:\n  name: {}\n", q(&meta.name)));
    if let Some(namespace) = &meta.namespace {
        out.push_str(&format!("  namespace: {}\n", q(namespace)));
    }
    // A key twice is an error of its own (a duplicate key); keep the first.
    let mut seen = BTreeSet::new();
    if !meta.labels.is_empty() {
        out.push_str("  labels:\n");
        for (k, v) in meta.labels.iter().filter(|(k, _)| seen.insert(k.clone())) {
            out.push_str(&format!("    {}: {}\n", q(k), q(v)));
        }
    }
    let mut seen = BTreeSet::new();
    if !meta.annotations.is_empty() {
        out.push_str("  annotations:\n");
        for (k, v) in meta
            .annotations
            .iter()
            .filter(|(k, _)| seen.insert(k.clone()))
        {
            let value = match v {
                Scalar::Str(s) => q(s),
                Scalar::Raw(r) => (*r).to_string(),
            };
            out.push_str(&format!("    {}: {value}\n", q(k)));
        }
    }
}

fn write_listeners(out: &mut String, listeners: &[Listener]) {
    if listeners.is_empty() {
        return;
    }
    out.push_str("  listeners:\n");
    for l in listeners {
        out.push_str(&format!(
            "  - name: {}\n    protocol: {}\n    port: {}\n",
            q(&l.name),
            q(&l.protocol),
            l.port
        ));
        if let Some(hostname) = &l.hostname {
            out.push_str(&format!("    hostname: {}\n", q(hostname)));
        }
        if let Some((mode, refs)) = &l.tls {
            out.push_str("    tls:\n");
            if let Some(mode) = mode {
                out.push_str(&format!("      mode: {}\n", q(mode)));
            }
            if refs.is_empty() {
                out.push_str("      certificateRefs: []\n");
            } else {
                out.push_str("      certificateRefs:\n");
            }
            for r in refs {
                out.push_str(&format!("      - name: {}\n", q(r)));
            }
        }
    }
}

fn to_yaml(doc: &Doc) -> String {
    let mut out = String::new();
    match doc {
        Doc::Ingress {
            meta,
            class,
            tls,
            rules,
        } => {
            out.push_str("apiVersion: networking.k8s.io/v1\nkind: Ingress\n");
            write_meta(&mut out, meta);
            out.push_str("spec:\n");
            if let Some(class) = class {
                out.push_str(&format!("  ingressClassName: {}\n", q(class)));
            }
            if !tls.is_empty() {
                out.push_str("  tls:\n");
                for t in tls {
                    let hosts: Vec<String> = t.hosts.iter().map(|h| q(h)).collect();
                    out.push_str(&format!("  - hosts: [{}]\n", hosts.join(", ")));
                    if let Some(secret) = &t.secret {
                        out.push_str(&format!("    secretName: {}\n", q(secret)));
                    }
                }
            }
            if !rules.is_empty() {
                out.push_str("  rules:\n");
                for r in rules {
                    out.push_str(if r.paths.is_empty() {
                        "  - http:\n      paths: []\n"
                    } else {
                        "  - http:\n      paths:\n"
                    });
                    for p in &r.paths {
                        out.push_str(&format!(
                            "      - backend:\n          service:\n            name: {}\n            port:\n              number: {}\n",
                            q(&p.service),
                            p.port
                        ));
                        if let Some(path) = &p.path {
                            out.push_str(&format!("        path: {}\n", q(path)));
                        }
                        if let Some(path_type) = &p.path_type {
                            out.push_str(&format!("        pathType: {}\n", q(path_type)));
                        }
                    }
                    if let Some(host) = &r.host {
                        out.push_str(&format!("    host: {}\n", q(host)));
                    }
                }
            }
        }
        Doc::Gateway { meta, listeners } => {
            out.push_str("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n");
            write_meta(&mut out, meta);
            out.push_str("spec:\n  gatewayClassName: example\n");
            write_listeners(&mut out, listeners);
        }
        Doc::ListenerSet {
            experimental,
            meta,
            parent,
            parent_namespace,
            listeners,
        } => {
            out.push_str(if *experimental {
                "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n"
            } else {
                "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"
            });
            write_meta(&mut out, meta);
            out.push_str(&format!(
                "spec:\n  parentRef:\n    group: gateway.networking.k8s.io\n    kind: Gateway\n    name: {}\n",
                q(parent)
            ));
            if let Some(namespace) = parent_namespace {
                out.push_str(&format!("    namespace: {}\n", q(namespace)));
            }
            write_listeners(&mut out, listeners);
        }
        Doc::Other { kind, meta } => {
            let api = if *kind == "Deployment" {
                "apps/v1"
            } else {
                "v1"
            };
            out.push_str(&format!("apiVersion: {api}\nkind: {kind}\n"));
            write_meta(&mut out, meta);
            if *kind == "Deployment" {
                out.push_str("spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: example/app:1.0\n");
            } else {
                out.push_str(
                    "data:\n  config.yaml: |\n    tls: true\n    hosts: [a.example.com]\n",
                );
            }
        }
    }
    out
}

/// The documents as one YAML stream, later copies of an object dropped.
fn stream(docs: &[&Doc]) -> String {
    docs.iter()
        .map(|d| to_yaml(d))
        .collect::<Vec<_>>()
        .join("---\n")
}

fn write_input(dir: &Path, name: &str, text: &str) -> Vec<InputSource> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    vec![InputSource::File {
        display: name.into(),
        path,
    }]
}

// ---------------------------------------------------------------------------------------------
// Property 1: render is deterministic and independent of file order (the real binary).

const DEFAULT_ISSUER: &str = "letsencrypt-default";
const HOSTS: &[&str] = &[
    "a.example.com",
    "b.example.com",
    "*.example.com",
    "example.com",
    "10.0.0.1",
];

fn realistic_meta(names: &'static [&'static str]) -> impl Strategy<Value = Meta> {
    (
        prop::option::weighted(0.9, select(vec!["team-a", "team-b"])),
        select(names.to_vec()),
        any::<bool>(),
        prop::option::weighted(
            0.8,
            select(vec![
                ("cert-manager.io/cluster-issuer", "letsencrypt"),
                ("cert-manager.io/issuer", "team-issuer"),
                ("kubernetes.io/tls-acme", "true"),
            ]),
        ),
        subsequence(
            vec![
                ("cert-manager.io/duration", "2160h"),
                ("cert-manager.io/renew-before", "360h"),
                ("cert-manager.io/private-key-algorithm", "ECDSA"),
                ("cert-manager.io/usages", "server auth"),
                ("cert-manager.io/issuer-kind", "ClusterIssuer"),
                ("cert-manager.io/common-name", "a.example.com"),
                ("acme.cert-manager.io/http01-parentreffallback", "true"),
            ],
            0..=2,
        ),
    )
        .prop_map(|(namespace, name, labelled, issuer, extra)| Meta {
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
            labels: if labelled {
                vec![("app".to_string(), name.to_string())]
            } else {
                Vec::new()
            },
            annotations: issuer
                .into_iter()
                .chain(extra)
                .map(|(k, v)| (k.to_string(), Scalar::Str(v.to_string())))
                .collect(),
        })
}

fn realistic_listeners(owner: &'static str) -> impl Strategy<Value = Vec<Listener>> {
    prop::collection::vec(
        (
            prop::option::weighted(0.9, select(HOSTS.to_vec())),
            select(vec!["HTTPS", "HTTPS", "HTTP", "TLS"]),
            prop::option::weighted(
                0.9,
                (
                    prop::option::weighted(0.2, select(vec!["Terminate", "Passthrough"])),
                    subsequence(vec!["a", "b"], 1..=2),
                ),
            ),
        ),
        0..=3,
    )
    .prop_map(move |listeners| {
        listeners
            .into_iter()
            .enumerate()
            .map(|(i, (hostname, protocol, tls))| Listener {
                name: format!("l{i}"),
                hostname: hostname.map(str::to_string),
                protocol: protocol.to_string(),
                port: if protocol == "HTTP" { 80 } else { 443 },
                tls: tls.map(|(mode, refs)| {
                    (
                        mode.map(str::to_string),
                        refs.into_iter().map(|s| format!("{owner}-{s}")).collect(),
                    )
                }),
            })
            .collect()
    })
}

/// Ingresses, Gateways, ListenerSets and XListenerSets that meet (names and Secrets are
/// shared across kinds, as in a migration), and objects the shim ignores.
fn realistic_doc() -> impl Strategy<Value = Doc> {
    const OBJECT_NAMES: &[&str] = &["web", "api", "shop"];
    const GATEWAY_NAMES: &[&str] = &["shared", "edge"];
    let ingress = (
        realistic_meta(OBJECT_NAMES),
        prop::collection::vec(
            (
                prop::collection::vec(select(HOSTS.to_vec()), 1..=2),
                select(vec!["a", "b", "c"]),
            ),
            0..=2,
        ),
        prop::collection::vec(select(HOSTS.to_vec()), 0..=2),
    )
        .prop_map(|(meta, tls, rule_hosts)| {
            // The same Secret in two TLS entries is an error for the whole run.
            let mut secrets = BTreeSet::new();
            let tls = tls
                .into_iter()
                .filter(|(_, s)| secrets.insert(*s))
                .map(|(hosts, s)| IngressTls {
                    hosts: hosts.into_iter().map(str::to_string).collect(),
                    secret: Some(format!("{}-{s}", meta.name)),
                })
                .collect();
            let rules = rule_hosts
                .into_iter()
                .map(|h| IngressRule {
                    host: Some(h.to_string()),
                    paths: vec![IngressPath {
                        path: Some("/".to_string()),
                        path_type: Some("Prefix".to_string()),
                        service: meta.name.clone(),
                        port: 80,
                    }],
                })
                .collect();
            Doc::Ingress {
                meta,
                class: Some("nginx".to_string()),
                tls,
                rules,
            }
        });
    let gateway = (realistic_meta(GATEWAY_NAMES), realistic_listeners("gw"))
        .prop_map(|(meta, listeners)| Doc::Gateway { meta, listeners });
    // Secrets named after the ListenerSet, like an Ingress's.
    let listener_set = select(OBJECT_NAMES.to_vec())
        .prop_flat_map(|name| {
            (
                any::<bool>(),
                realistic_meta(OBJECT_NAMES),
                Just(name),
                select(vec!["shared", "edge", "missing"]),
                prop::option::weighted(0.2, select(vec!["team-a", "team-b"])),
                realistic_listeners(name),
            )
        })
        .prop_map(
            |(experimental, mut meta, name, parent, parent_namespace, listeners)| {
                meta.name = name.to_string();
                Doc::ListenerSet {
                    experimental,
                    meta,
                    parent: parent.to_string(),
                    parent_namespace: parent_namespace.map(str::to_string),
                    listeners,
                }
            },
        );
    let other = (
        select(vec!["Deployment", "ConfigMap"]),
        realistic_meta(OBJECT_NAMES),
    )
        .prop_map(|(kind, meta)| Doc::Other { kind, meta });
    prop_oneof![3 => ingress, 2 => gateway, 3 => listener_set, 1 => other]
}

/// Files (relative paths, some in sub-folders) and the documents in each, in order.
fn realistic_tree() -> impl Strategy<Value = BTreeMap<String, Vec<Doc>>> {
    let file_name = (
        select(vec!["", "apps/", "apps/team-a/", "infra/"]),
        "[a-z][a-z0-9-]{0,6}",
        select(vec!["yaml", "yml"]),
    )
        .prop_map(|(folder, stem, extension)| format!("{folder}{stem}.{extension}"));
    (
        prop::collection::btree_set(file_name, 1..=5),
        prop::collection::vec((realistic_doc(), any::<prop::sample::Index>()), 1..=10),
    )
        .prop_map(|(names, docs)| {
            let names: Vec<String> = names.into_iter().collect();
            let mut tree: BTreeMap<String, Vec<Doc>> =
                names.iter().map(|n| (n.clone(), Vec::new())).collect();
            for (doc, index) in docs {
                tree.get_mut(index.get(&names)).unwrap().push(doc);
            }
            tree
        })
}

/// Keeps the first document of each object across the tree, in walk order.
fn drop_duplicate_objects(tree: &mut BTreeMap<String, Vec<Doc>>) {
    let mut seen = BTreeSet::new();
    for docs in tree.values_mut() {
        docs.retain(|d| seen.insert(d.identity()));
    }
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The stdout and exit code of one run of the binary.
fn run_lsc(args: &[&str], paths: &[PathBuf]) -> (Option<i32>, String) {
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// Two objects ask for one Certificate: README says the first in input order keeps it, so
/// the file order may then change the output.
fn has_shared_claims(inputs: &[InputSource]) -> bool {
    let config = lsc::shim::config::ShimConfig {
        default_issuer_name: DEFAULT_ISSUER.to_string(),
        ..Default::default()
    };
    let loaded = lsc::source::load(inputs, &lsc::source::Limits::default());
    let (objects, _) = lsc::model::parse_all(&loaded.documents, &config.default_namespace);
    // Claims are recorded only on request (`lsc check` asks; `render` does not).
    let record = lsc::shim::Record {
        explanations: false,
        claims: true,
    };
    let rendered = lsc::shim::render(&objects, &config, record);
    let mut owners: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for claim in &rendered.claims {
        owners
            .entry((
                claim.certificate.namespace.clone(),
                claim.certificate.name.clone(),
            ))
            .or_default()
            .insert(claim.object.to_string());
    }
    owners.values().any(|o| o.len() > 1)
}

proptest! {
    // Each case runs the binary five times.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn render_is_deterministic_and_independent_of_file_order(
        mut tree in realistic_tree(),
        order in prop::collection::vec(any::<u32>(), 5),
    ) {
        drop_duplicate_objects(&mut tree);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("manifests");
        let mut files = Vec::new();
        for (name, docs) in &tree {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, stream(&docs.iter().collect::<Vec<_>>())).unwrap();
            files.push(path);
        }
        // What a killed `convert --out` leaves behind is hidden, and skipped.
        std::fs::write(
            root.join(".hidden.yaml"),
            to_yaml(&Doc::Ingress {
                meta: Meta {
                    namespace: Some("team-a".to_string()),
                    name: "hidden".to_string(),
                    labels: Vec::new(),
                    annotations: vec![(
                        "cert-manager.io/cluster-issuer".to_string(),
                        Scalar::Str("letsencrypt".to_string()),
                    )],
                },
                class: None,
                tls: vec![IngressTls { hosts: vec!["hidden.example.com".to_string()], secret: Some("hidden-tls".to_string()) }],
                rules: Vec::new(),
            }),
        )
        .unwrap();
        let flags = ["--default-issuer-name", DEFAULT_ISSUER];
        let render = |jobs: &str| -> Vec<String> {
            ["render", "--jobs", jobs].iter().chain(&flags).map(|s| s.to_string()).collect()
        };
        let (one, two) = (render("1"), render("2"));
        let plain: Vec<&str> = ["render"].into_iter().chain(flags).collect();

        let from_folder = run_lsc(&plain, std::slice::from_ref(&root));
        prop_assert!(matches!(from_folder.0, Some(0 | 2)), "exit code {:?}", from_folder.0);
        prop_assert!(from_folder.0 == Some(0) || from_folder.1.is_empty(), "stdout on error");
        prop_assert!(!from_folder.1.contains("hidden-tls"), "the hidden file was read");
        if from_folder.0 == Some(0) {
            common::assert_certificates_valid(&from_folder.1, "render");
        }
        prop_assert_eq!(&run_lsc(&plain, std::slice::from_ref(&root)), &from_folder, "second run");
        prop_assert_eq!(&run_lsc(&args(&one), std::slice::from_ref(&root)), &from_folder, "--jobs 1");
        // Files given one by one in walk order are read like the folder.
        prop_assert_eq!(&run_lsc(&args(&two), &files), &from_folder, "--jobs 2, files in walk order");

        let mut shuffled: Vec<(u32, PathBuf)> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (order[i % order.len()], f.clone()))
            .collect();
        shuffled.sort();
        let shuffled: Vec<PathBuf> = shuffled.into_iter().map(|(_, f)| f).collect();
        let inputs: Vec<InputSource> = shuffled
            .iter()
            .map(|p| InputSource::File { display: p.display().to_string().into(), path: p.clone() })
            .collect();
        if !has_shared_claims(&inputs) {
            prop_assert_eq!(
                &run_lsc(&args(&one), &shuffled),
                &from_folder,
                "--jobs 1, files in the order {:?}",
                shuffled
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property 1b: an object defined again is read from its last definition, as `kubectl apply`
// leaves it: render (with and without --all), convert and check give what they give for the
// inputs without the replaced definitions, but for the warnings naming them.

/// The tree with only the last definition of each object of a kind lsc reads (other kinds
/// pass through `render --all` as written), in input order: files in the order given, then
/// documents in order.
fn keep_last_definitions(tree: &BTreeMap<String, Vec<Doc>>) -> BTreeMap<String, Vec<Doc>> {
    let read = |d: &Doc| !matches!(d, Doc::Other { .. });
    let mut last = BTreeMap::new();
    for (file, docs) in tree {
        for (i, doc) in docs.iter().enumerate().filter(|(_, d)| read(d)) {
            last.insert(doc.identity(), (file.clone(), i));
        }
    }
    tree.iter()
        .map(|(file, docs)| {
            let kept = docs
                .iter()
                .enumerate()
                .filter(|(i, d)| !read(d) || last.get(&d.identity()) == Some(&(file.clone(), *i)))
                .map(|(_, d)| d.clone())
                .collect();
            (file.clone(), kept)
        })
        .collect()
}

/// Writes the tree under `root`, every file given on its own, in the tree's order.
fn write_tree(root: &Path, tree: &BTreeMap<String, Vec<Doc>>) -> Vec<InputSource> {
    tree.iter()
        .map(|(name, docs)| {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, stream(&docs.iter().collect::<Vec<_>>())).unwrap();
            InputSource::File {
                display: name.as_str().into(),
                path,
            }
        })
        .collect()
}

/// What a run said, but where (lines move when documents go) and the warnings about
/// definitions replaced, sorted.
fn said(diagnostics: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut said: Vec<String> = diagnostics
        .into_iter()
        .filter(|d| !d.contains("defined again; the definition at"))
        .collect();
    said.sort();
    said
}

fn described(d: &lsc::diag::Diagnostic) -> String {
    let object = d
        .object
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!("{}: {object}: {}", d.severity, d.message)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn an_object_defined_again_is_read_from_its_last_definition(tree in realistic_tree()) {
        let last = keep_last_definitions(&tree);
        let replaced: usize = tree.values().map(Vec::len).sum::<usize>()
            - last.values().map(Vec::len).sum::<usize>();
        let dir = tempfile::tempdir().unwrap();
        let all_inputs = write_tree(&dir.path().join("all"), &tree);
        let last_inputs = write_tree(&dir.path().join("last"), &last);

        for all in [false, true] {
            let options = lsc::RenderOptions {
                shim: lsc::shim::config::ShimConfig {
                    default_issuer_name: DEFAULT_ISSUER.to_string(),
                    ..Default::default()
                },
                all,
                ..Default::default()
            };
            let from_all = lsc::render(&all_inputs, &options);
            let from_last = lsc::render(&last_inputs, &options);
            prop_assert_eq!(&from_all.stdout, &from_last.stdout, "render, --all {}", all);
            let defined_again = from_all
                .diagnostics
                .iter()
                .filter(|d| d.message.starts_with("defined again; the definition at"))
                .count();
            prop_assert_eq!(defined_again, replaced, "{:?}", from_all.diagnostics);
            prop_assert_eq!(
                said(from_all.diagnostics.iter().map(described)),
                said(from_last.diagnostics.iter().map(described))
            );
        }

        let options = ConvertOptions {
            default_namespace: "default".to_string(),
            ..ConvertOptions::default()
        };
        let from_all = lsc::convert::convert(&all_inputs, &options);
        let from_last = lsc::convert::convert(&last_inputs, &options);
        // As written: the trees of upgraded objects keep their input lines.
        let written = |c: &lsc::convert::Converted| -> Vec<String> {
            c.objects.iter().map(|o| o.yaml().into_owned()).collect()
        };
        prop_assert_eq!(written(&from_all), written(&from_last), "convert");
        prop_assert_eq!(
            said(from_all.diagnostics.iter().map(described)),
            said(from_last.diagnostics.iter().map(described))
        );

        let options = lsc::check::CheckOptions::default();
        let finding = |f: &lsc::check::Finding| format!("{} {}", f.code, described(&f.diagnostic));
        let from_all = lsc::check::check(&all_inputs, &options);
        let from_last = lsc::check::check(&last_inputs, &options);
        prop_assert_eq!(
            from_all.findings.iter().filter(|f| f.code == "LSC003").count(),
            replaced
        );
        prop_assert_eq!(
            said(from_all.findings.iter().map(finding)),
            said(from_last.findings.iter().map(finding))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Property 2: hostile values never give a Certificate that fails the schema.

/// Strings that trip YAML writers and readers, Go parsers and CSV splitters.
const TRICKY: &[&str] = &[
    "",
    " ",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "null",
    "Null",
    "~",
    "0",
    "-0",
    "007",
    "0x1F",
    "0o17",
    "0b101",
    "1e3",
    "1_000",
    "+1",
    ".5",
    "1.",
    ".inf",
    "-.Inf",
    ".nan",
    "12:30",
    "190:20:30",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "- a",
    "-",
    "--",
    "---",
    "...",
    "a: b",
    "a:b",
    ":",
    "? x",
    "#",
    "a #b",
    " leading",
    "trailing ",
    "*a",
    "&a",
    "!a",
    "!!str",
    "%x",
    "@a",
    "`a",
    "|",
    ">",
    "'",
    "\"",
    "''",
    "[a]",
    "{a: 1}",
    "a,b",
    ",",
    "a,,b",
    "\"a,b\",c",
    "\n",
    "a\nb",
    "a\r\nb",
    "\t",
    "\\",
    "=",
    "<<",
    "é",
    "日本語",
    "\u{200b}",
    "a\u{85}b",
    "\u{2028}",
    "\u{feff}x",
    "\u{7f}",
    "\u{0}",
    "\u{1b}[31m",
    "*.example.com",
    "*",
    "example.com",
    "EXAMPLE.com",
    "a..b",
    "-a.example.com",
    "127.0.0.1",
    "::1",
    "a@b.example",
    "Name <a@b.example>",
    "1h",
    "2160h",
    "5m",
    "-1h",
    "1h30m",
    "2048",
    "256",
    "RSA",
    "ECDSA",
    "Ed25519",
    "PKCS8",
    "Always",
    "server auth",
    "digital signature, key encipherment",
    "{\"labels\":{\"a\":\"b\"}}",
    "[]",
    "{}",
];

fn hostile() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(TRICKY).prop_map(str::to_string),
        2 => "[ -~]{0,12}",
        1 => "(?s).{0,12}",
        1 => (select(TRICKY), select(TRICKY)).prop_map(|(a, b)| format!("{a}{b}")),
    ]
    .boxed()
}

/// Mostly values cert-manager accepts, so that runs get as far as printing Certificates.
fn valid_or_hostile(valid: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![5 => select(valid).prop_map(str::to_string), 1 => hostile()].boxed()
}

/// A secret template whose labels and annotations carry hostile strings.
fn secret_template() -> BoxedStrategy<String> {
    (
        prop::collection::btree_map(hostile(), hostile(), 0..=2),
        prop::collection::btree_map(hostile(), hostile(), 0..=2),
    )
        .prop_map(|(labels, annotations)| {
            serde_json::json!({"labels": labels, "annotations": annotations}).to_string()
        })
        .boxed()
}

/// The value strategy for each annotation key the shim reads.
fn annotation_value(key: &'static str) -> BoxedStrategy<String> {
    match key {
        "cert-manager.io/duration" => valid_or_hostile(&["1h", "2160h", "90m", "1h30m0.5s"]),
        "cert-manager.io/renew-before" => valid_or_hostile(&["5m", "360h", "1h"]),
        "cert-manager.io/renew-before-percentage" => {
            valid_or_hostile(&["10", "50", "-7", "2147483647", "0"])
        }
        "cert-manager.io/usages" => valid_or_hostile(&[
            "server auth",
            "digital signature,key encipherment",
            "client auth, server auth",
            "s/mime",
        ]),
        "cert-manager.io/revision-history-limit" => valid_or_hostile(&["1", "3", "2147483647"]),
        "cert-manager.io/private-key-algorithm" => valid_or_hostile(&["RSA", "ECDSA", "Ed25519"]),
        "cert-manager.io/private-key-encoding" => valid_or_hostile(&["PKCS1", "PKCS8"]),
        "cert-manager.io/private-key-size" => valid_or_hostile(&[
            "2048",
            "4096",
            "256",
            "384",
            "521",
            "8192",
            "-3",
            "9223372036854775807",
        ]),
        "cert-manager.io/private-key-rotation-policy" => valid_or_hostile(&["Always", "Never"]),
        "cert-manager.io/ip-sans" => valid_or_hostile(&["10.0.0.1", "::1, 127.0.0.1"]),
        "cert-manager.io/email-sans" => {
            valid_or_hostile(&["a@example.com", "a@example.com, \"b c\"@example.com"])
        }
        "cert-manager.io/secret-template" => {
            prop_oneof![3 => secret_template(), 1 => hostile()].boxed()
        }
        "cert-manager.io/cluster-issuer" | "cert-manager.io/issuer" => {
            valid_or_hostile(&["letsencrypt", "team-issuer"])
        }
        "kubernetes.io/tls-acme"
        | "acme.cert-manager.io/http01-edit-in-place"
        | "acme.cert-manager.io/http01-parentreffallback" => {
            valid_or_hostile(&["true", "True", "1", "false"])
        }
        "cert-manager.io/alt-names" => prop::collection::vec(hostile(), 1..=3)
            .prop_map(|names| names.join(","))
            .boxed(),
        _ => hostile(),
    }
}

/// Every annotation key the shim reads (`src/shim/annotation_keys.rs`), the automatic
/// trigger, and one extra key copied to Certificates.
const ANNOTATION_KEYS: &[&str] = &[
    "cert-manager.io/issuer-kind",
    "cert-manager.io/issuer-group",
    "cert-manager.io/common-name",
    "cert-manager.io/alt-names",
    "cert-manager.io/ip-sans",
    "cert-manager.io/email-sans",
    "cert-manager.io/subject-organizations",
    "cert-manager.io/subject-organizationalunits",
    "cert-manager.io/subject-countries",
    "cert-manager.io/subject-provinces",
    "cert-manager.io/subject-localities",
    "cert-manager.io/subject-postalcodes",
    "cert-manager.io/subject-streetaddresses",
    "cert-manager.io/subject-serialnumber",
    "cert-manager.io/duration",
    "cert-manager.io/renew-before",
    "cert-manager.io/renew-before-percentage",
    "cert-manager.io/usages",
    "cert-manager.io/revision-history-limit",
    "cert-manager.io/private-key-algorithm",
    "cert-manager.io/private-key-encoding",
    "cert-manager.io/private-key-size",
    "cert-manager.io/private-key-rotation-policy",
    "cert-manager.io/secret-template",
    "cert-manager.io/ignore-tls-listeners",
    "acme.cert-manager.io/http01-edit-in-place",
    "acme.cert-manager.io/http01-ingress-class",
    "acme.cert-manager.io/http01-ingress-ingressclassname",
    "acme.cert-manager.io/http01-parentreffallback",
    "kubernetes.io/tls-acme",
    "example.com/team",
];

/// Non-string values, which lsc must refuse (nothing printed), never pass on.
const RAW: &[&str] = &[
    "3",
    "true",
    "null",
    "~",
    "1.5",
    "[a]",
    "{}",
    "2001-12-14",
    "0x10",
];

fn hostile_annotations() -> BoxedStrategy<Vec<(String, Scalar)>> {
    let issuer = prop::option::weighted(
        0.9,
        select(vec![
            "cert-manager.io/cluster-issuer",
            "cert-manager.io/issuer",
        ])
        .prop_flat_map(|k| annotation_value(k).prop_map(move |v| (k, v))),
    );
    let others = subsequence(ANNOTATION_KEYS.to_vec(), 0..=4).prop_flat_map(|keys| {
        keys.into_iter()
            .map(|k| annotation_value(k).prop_map(move |v| (k, v)))
            .collect::<Vec<_>>()
    });
    let raw = prop::option::weighted(0.05, (select(ANNOTATION_KEYS), select(RAW)));
    (issuer, others, raw)
        .prop_map(|(issuer, others, raw)| {
            issuer
                .into_iter()
                .chain(others)
                .map(|(k, v)| (k.to_string(), Scalar::Str(v)))
                .chain(raw.map(|(k, v)| (k.to_string(), Scalar::Raw(v))))
                .collect()
        })
        .boxed()
}

fn hostile_meta(names: &'static [&'static str]) -> BoxedStrategy<Meta> {
    (
        prop::option::weighted(
            0.9,
            prop_oneof![4 => select(vec!["default", "team-a"]).prop_map(str::to_string), 1 => hostile()],
        ),
        prop_oneof![4 => select(names).prop_map(str::to_string), 1 => hostile()],
        prop::collection::vec((hostile(), hostile()), 0..=2),
        hostile_annotations(),
    )
        .prop_map(|(namespace, name, labels, annotations)| Meta {
            namespace,
            name,
            labels,
            annotations,
        })
        .boxed()
}

fn hostile_host() -> BoxedStrategy<String> {
    prop_oneof![2 => select(HOSTS).prop_map(str::to_string), 1 => hostile()].boxed()
}

fn hostile_secret() -> BoxedStrategy<String> {
    prop_oneof![2 => select(vec!["web-tls", "api-tls"]).prop_map(str::to_string), 1 => hostile()]
        .boxed()
}

fn hostile_listeners() -> BoxedStrategy<Vec<Listener>> {
    prop::collection::vec(
        (
            prop_oneof![3 => select(vec!["https", "tls"]).prop_map(str::to_string), 1 => hostile()],
            prop::option::weighted(0.9, hostile_host()),
            select(vec!["HTTPS", "HTTPS", "TLS", "HTTP", "https"]),
            prop::option::weighted(
                0.9,
                (
                    prop::option::weighted(
                        0.2,
                        prop_oneof![
                            select(vec!["Terminate", "Passthrough"]).prop_map(str::to_string),
                            hostile()
                        ],
                    ),
                    prop::collection::vec(hostile_secret(), 0..=2),
                ),
            ),
        ),
        1..=2,
    )
    .prop_map(|listeners| {
        listeners
            .into_iter()
            .map(|(name, hostname, protocol, tls)| Listener {
                name,
                hostname,
                protocol: protocol.to_string(),
                port: 443,
                tls,
            })
            .collect()
    })
    .boxed()
}

fn hostile_doc() -> BoxedStrategy<Doc> {
    let ingress = (
        hostile_meta(&["web", "api"]),
        prop::collection::vec(
            (
                prop::collection::vec(hostile_host(), 0..=3),
                prop::option::weighted(0.95, hostile_secret()),
            ),
            1..=2,
        ),
    )
        .prop_map(|(meta, tls)| Doc::Ingress {
            meta,
            class: Some("nginx".to_string()),
            tls: tls
                .into_iter()
                .map(|(hosts, secret)| IngressTls { hosts, secret })
                .collect(),
            rules: Vec::new(),
        });
    let gateway = (hostile_meta(&["gw"]), hostile_listeners())
        .prop_map(|(meta, listeners)| Doc::Gateway { meta, listeners });
    let listener_set = (
        any::<bool>(),
        hostile_meta(&["web", "api"]),
        prop_oneof![4 => Just("gw".to_string()), 1 => hostile()],
        prop::option::weighted(0.1, hostile()),
        hostile_listeners(),
    )
        .prop_map(
            |(experimental, meta, parent, parent_namespace, listeners)| Doc::ListenerSet {
                experimental,
                meta,
                parent,
                parent_namespace,
                listeners,
            },
        );
    prop_oneof![ingress, gateway, listener_set].boxed()
}

/// The strings of a generated object set, as they may reappear in a Certificate.
fn generated_strings(docs: &[Doc]) -> BTreeSet<String> {
    let mut strings = BTreeSet::new();
    for doc in docs {
        let meta = doc.meta();
        strings.extend(meta.namespace.clone());
        strings.insert(meta.name.clone());
        for (k, v) in &meta.labels {
            strings.insert(k.clone());
            strings.insert(v.clone());
        }
        for (k, v) in &meta.annotations {
            strings.insert(k.clone());
            // A plain scalar YAML 1.2 reads as a string (`2001-12-14`) is one; `null` is
            // the empty string, as for the API server.
            let v = match v {
                Scalar::Str(s) => s.as_str(),
                Scalar::Raw("null" | "~") => "",
                Scalar::Raw(r) => r,
            };
            strings.insert(v.to_string());
            strings.extend(v.split(',').map(str::to_string));
        }
        match doc {
            Doc::Ingress { tls, .. } => {
                for t in tls {
                    strings.extend(t.hosts.iter().cloned());
                    strings.extend(t.secret.clone());
                }
            }
            Doc::Gateway { listeners, .. } | Doc::ListenerSet { listeners, .. } => {
                if let Doc::ListenerSet {
                    parent,
                    parent_namespace,
                    ..
                } = doc
                {
                    strings.insert(parent.clone());
                    strings.extend(parent_namespace.clone());
                }
                for l in listeners {
                    strings.extend(l.hostname.clone());
                    if let Some((_, refs)) = &l.tls {
                        strings.extend(refs.iter().cloned());
                    }
                }
            }
            Doc::Other { .. } => {}
        }
    }
    strings
}

/// The JSON documents of a YAML stream, as lsc reads them back.
fn yaml_documents(yaml: &str) -> Vec<Value> {
    let (docs, err) = lsc::source::yaml::parse_documents(yaml, &Default::default());
    assert!(err.is_none(), "output is not valid YAML: {err:?}\n{yaml}");
    docs.into_iter()
        .filter_map(|d| d.root)
        .map(|root| lsc::emit::json::to_serde(&root.value))
        .collect()
}

/// Strings of a Certificate that must be exactly strings of the input: a writer that quotes
/// too little (`true`, `# x`, a trailing space) changes them.
fn copied_strings(certificate: &Value) -> Vec<(String, &str)> {
    fn add<'a>(copied: &mut Vec<(String, &'a str)>, what: String, value: Option<&'a Value>) {
        if let Some(s) = value.and_then(Value::as_str) {
            copied.push((what, s));
        }
    }
    let mut copied = Vec::new();
    for pointer in [
        "/metadata/name",
        "/metadata/namespace",
        "/spec/secretName",
        "/spec/commonName",
        "/spec/issuerRef/name",
        "/spec/issuerRef/kind",
        "/spec/issuerRef/group",
        "/spec/subject/serialNumber",
    ] {
        add(
            &mut copied,
            pointer.to_string(),
            certificate.pointer(pointer),
        );
    }
    for (i, name) in certificate
        .pointer("/spec/dnsNames")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        add(&mut copied, format!("/spec/dnsNames/{i}"), Some(name));
    }
    for field in ["labels", "annotations"] {
        for (k, v) in certificate
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            copied.push((format!("a key of /metadata/{field}"), k.as_str()));
            add(&mut copied, format!("/metadata/{field}/{k}"), Some(v));
        }
    }
    copied
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn hostile_annotations_never_give_an_invalid_certificate(
        docs in prop::collection::vec(hostile_doc(), 1..=3),
        default_issuer in prop_oneof![Just(String::new()), Just(DEFAULT_ISSUER.to_string()), hostile()],
        server_side_apply in any::<bool>(),
    ) {
        let text = stream(&docs.iter().collect::<Vec<_>>());
        let dir = tempfile::tempdir().unwrap();
        let inputs = write_input(dir.path(), "input.yaml", &text);
        let mut options = lsc::RenderOptions::default();
        options.shim.default_issuer_name = default_issuer.clone();
        options.shim.server_side_apply = server_side_apply;
        options.shim.extra_certificate_annotations = vec![
            "example.com/team".to_string(),
            "cert-manager.io/common-name".to_string(),
        ];
        let yaml = lsc::render(&inputs, &options);
        options.format = lsc::emit::Format::Json;
        let json = lsc::render(&inputs, &options);
        prop_assert_eq!(yaml.has_errors(), json.has_errors());
        if yaml.has_errors() {
            prop_assert_eq!(&yaml.stdout, "", "errors, yet stdout\n--- input\n{}", text);
            prop_assert_eq!(&json.stdout, "");
            return Ok(());
        }
        let checked = common::assert_certificates_valid(&yaml.stdout, &format!("--- input\n{text}\n--- output\n{}", yaml.stdout));
        let documents = yaml_documents(&yaml.stdout);
        prop_assert_eq!(checked, documents.len());

        // -o json says the same as YAML.
        let list: Value = serde_json::from_str(&json.stdout).unwrap();
        prop_assert_eq!(list["items"].as_array().unwrap(), &documents, "--- input\n{}", text);

        let mut known = generated_strings(&docs);
        known.insert(default_issuer);
        known.extend(
            ["default", "Issuer", "ClusterIssuer", "cert-manager.io", "Gateway", "ListenerSet", "XListenerSet", "true"]
                .map(str::to_string),
        );
        known.extend(
            [
                "acme.cert-manager.io/http01-override-ingress-name",
                "acme.cert-manager.io/http01-override-ingress-class",
                "acme.cert-manager.io/http01-override-ingress-ingressclassname",
                "acme.cert-manager.io/http01-parentrefkind",
                "acme.cert-manager.io/http01-parentrefname",
                "acme.cert-manager.io/http01-parentrefnamespace",
                "cert-manager.io/issue-temporary-certificate",
            ]
            .map(str::to_string),
        );
        for certificate in &documents {
            for (what, s) in copied_strings(certificate) {
                prop_assert!(
                    known.contains(s),
                    "{} is {:?}, which is not in the input\n--- input\n{}\n--- output\n{}",
                    what, s, text, yaml.stdout
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property 3: convert writes only valid Gateway API objects.

fn hostile_path() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec!["/", "/api", "/api/v1/", "/static/app.js"]).prop_map(str::to_string),
        1 => select(vec![
            "", "api", "//", "/a b", "/(.*)", "/api/(.+)", "/x/{y}", "/%zz", "/a#b", "/a?b", "/a;b",
            "/ä", "/\u{0}", "/a\nb", "/.*", "/~user", "/$1",
        ])
        .prop_map(str::to_string),
        1 => "/[ -~]{0,10}",
    ]
    .boxed()
}

fn nginx_annotations() -> BoxedStrategy<Vec<(String, Scalar)>> {
    subsequence(
        vec![
            (
                "nginx.ingress.kubernetes.io/ssl-redirect",
                &["true", "false"][..],
            ),
            ("nginx.ingress.kubernetes.io/force-ssl-redirect", &["true"]),
            (
                "nginx.ingress.kubernetes.io/rewrite-target",
                &["/", "/$1", "/new/path", "x y"],
            ),
            ("nginx.ingress.kubernetes.io/use-regex", &["true"]),
            (
                "nginx.ingress.kubernetes.io/app-root",
                &["/app", "app", "/a b"],
            ),
            (
                "nginx.ingress.kubernetes.io/permanent-redirect",
                &["https://example.org/x", "::bad"],
            ),
            (
                "nginx.ingress.kubernetes.io/from-to-www-redirect",
                &["true"],
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-read-timeout",
                &["60", "x", "-1"],
            ),
            (
                "nginx.ingress.kubernetes.io/upstream-vhost",
                &["internal.example.com", "a b", "*"],
            ),
            (
                "nginx.ingress.kubernetes.io/backend-protocol",
                &["GRPC", "HTTPS", "FCGI"],
            ),
            ("nginx.ingress.kubernetes.io/canary", &["true"]),
            (
                "nginx.ingress.kubernetes.io/canary-weight",
                &["30", "-1", "101"],
            ),
            (
                "nginx.ingress.kubernetes.io/canary-by-header",
                &["X-Canary", "bad header"],
            ),
            ("nginx.ingress.kubernetes.io/ssl-passthrough", &["true"]),
            (
                "nginx.ingress.kubernetes.io/x-forwarded-prefix",
                &["/p", "p q"],
            ),
            ("nginx.ingress.kubernetes.io/enable-cors", &["true", "yes"]),
            (
                "nginx.ingress.kubernetes.io/cors-allow-origin",
                &[
                    "*",
                    "https://a.example.com, *",
                    "https://a.example.com/x",
                    "",
                ],
            ),
            (
                "nginx.ingress.kubernetes.io/cors-allow-headers",
                &["X-A, *", "bad header"],
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-ssl-name",
                &["backend.internal", "$host", "UPPER.example.com"],
            ),
            (
                "nginx.ingress.kubernetes.io/proxy-ssl-secret",
                &["team/ca", "ca", "bad/Secret_Name"],
            ),
        ],
        0..=3,
    )
    .prop_flat_map(|picked| {
        picked
            .into_iter()
            .map(|(k, values)| {
                select(values).prop_map(move |v| (k.to_string(), Scalar::Str(v.to_string())))
            })
            .collect::<Vec<_>>()
    })
    .boxed()
}

fn convertible_ingress() -> BoxedStrategy<Doc> {
    let host = || {
        prop_oneof![
            4 => select(HOSTS).prop_map(str::to_string),
            1 => select(vec![
                "EXAMPLE.com", "a..b", "-a.example.com", "a_b.example.com", "*", "*.*.example.com",
                "a.example.com.", "bücher.example", "", "a.example.com:443", "1.2.3.4",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com",
            ])
            .prop_map(str::to_string),
            1 => "[a-z*.-]{1,12}",
        ]
    };
    (
        realistic_meta(&["web", "api", "shop"]),
        nginx_annotations(),
        prop::option::weighted(0.9, select(vec!["nginx", "internal"])),
        prop::collection::vec(
            (prop::collection::vec(host(), 1..=2), select(vec!["a", "b"])),
            0..=2,
        ),
        prop::collection::vec(
            (
                prop::option::weighted(0.9, host()),
                prop::collection::vec(
                    (
                        prop::option::weighted(0.95, hostile_path()),
                        prop::option::weighted(
                            0.98,
                            prop_oneof![
                                12 => select(vec!["Prefix", "Exact", "ImplementationSpecific"]),
                                1 => Just("prefix"),
                            ],
                        ),
                        prop_oneof![16 => Just(80i64), 4 => Just(8080), 1 => Just(0), 1 => Just(65535), 1 => Just(65536)],
                    ),
                    1..=2,
                ),
            ),
            0..=2,
        ),
    )
        .prop_map(|(mut meta, nginx, class, tls, rules)| {
            meta.annotations.extend(nginx);
            let mut secrets = BTreeSet::new();
            let tls = tls
                .into_iter()
                .filter(|(_, s)| secrets.insert(*s))
                .map(|(hosts, s)| IngressTls {
                    hosts,
                    secret: Some(format!("{}-{s}", meta.name)),
                })
                .collect();
            let rules = rules
                .into_iter()
                .map(|(host, paths)| IngressRule {
                    host,
                    paths: paths
                        .into_iter()
                        .map(|(path, path_type, port)| IngressPath {
                            path,
                            path_type: path_type.map(str::to_string),
                            service: meta.name.clone(),
                            port,
                        })
                        .collect(),
                })
                .collect();
            Doc::Ingress {
                meta,
                class: class.map(str::to_string),
                tls,
                rules,
            }
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn convert_writes_only_valid_gateway_api_objects(
        docs in prop::collection::vec(convertible_ingress(), 1..=4),
        layout in 0..4usize,
    ) {
        let mut seen = BTreeSet::new();
        let docs: Vec<&Doc> = docs.iter().filter(|d| seen.insert(d.identity())).collect();
        let text = stream(&docs);
        let dir = tempfile::tempdir().unwrap();
        let inputs = write_input(dir.path(), "ingresses.yaml", &text);
        let shared = Some(("infra".to_string(), "shared".to_string()));
        let (tls_in, listenerset_api, gateway) = [
            (TlsIn::ListenerSet, ListenerSetApi::V1, None),
            (TlsIn::ListenerSet, ListenerSetApi::V1Alpha1, None),
            (TlsIn::Gateway, ListenerSetApi::V1, None),
            (TlsIn::ListenerSet, ListenerSetApi::V1, shared),
        ][layout]
            .clone();
        let options = ConvertOptions {
            default_namespace: "default".to_string(),
            tls_in,
            listenerset_api,
            gateway_class: gateway.as_ref().map(|_| "example".to_string()),
            gateway,
            shim: lsc::shim::config::ShimConfig {
                default_issuer_name: DEFAULT_ISSUER.to_string(),
                ..Default::default()
            },
            ..ConvertOptions::default()
        };
        let converted = lsc::convert::convert(&inputs, &options);
        if converted.diagnostics.iter().any(|d| d.is_error()) {
            return Ok(());
        }
        let yaml = lsc::emit::converted(lsc::emit::Format::Yaml, &converted.objects);
        common::assert_gateway_api_valid(
            &yaml,
            &format!("layout {layout}\n--- input\n{text}\n--- output\n{yaml}"),
        );
        // The helper skips kinds it has no schema for: only these may be among them.
        for document in yaml_documents(&yaml) {
            let kind = document["kind"].as_str().unwrap_or_default();
            prop_assert!(
                ["Gateway", "ListenerSet", "XListenerSet", "HTTPRoute", "ReferenceGrant", "TLSRoute", "GRPCRoute", "BackendTLSPolicy"]
                    .contains(&kind),
                "unexpected kind {:?}\n{}", kind, yaml
            );
        }
        // The CLI keeps each object as YAML text as soon as it is made: the same stream, and
        // the same trees read back.
        let as_text = lsc::convert::convert(&inputs, &ConvertOptions { keep: Keep::Yaml, ..options });
        prop_assert_eq!(&yaml, &lsc::emit::converted(lsc::emit::Format::Yaml, &as_text.objects));
        prop_assert_eq!(
            lsc::emit::converted(lsc::emit::Format::Json, &converted.objects),
            lsc::emit::converted(lsc::emit::Format::Json, &as_text.objects)
        );
    }
}
