//! Properties of converting Ingresses to Gateway API, for generated Ingress sets (wildcard TLS
//! hosts, TLS hosts without rules, canaries with TLS, an Ingress defined twice, Traefik
//! Ingresses with their router annotations and a redirectScheme Middleware, Kong Ingresses
//! with their route annotations):
//! - it loses no Certificate: `render(convert(x))` gives the Certificates `render(x)` gives
//!   (name, namespace, dnsNames, secretName, issuerRef, labels and every field from
//!   annotations), in every ListenerSet layout;
//! - it breaks nothing `lsc check` sees: when `check(x)` finds no error, neither does
//!   `check(convert(x))`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use lsc::convert::{ConvertOptions, ListenerSetApi, TlsIn};
use lsc::source::InputSource;
use proptest::prelude::*;

const HOSTS: &[&str] = &[
    "a.example.com",
    "b.example.com",
    "*.example.com",
    "example.com",
    "www.example.com",
];
const DEFAULT_ISSUER: &str = "letsencrypt-default";

#[derive(Debug, Clone)]
struct GenIngress {
    namespace: &'static str,
    name: &'static str,
    issuer: Option<(&'static str, &'static str)>,
    labelled: bool,
    extra: Vec<(&'static str, &'static str)>,
    rule_hosts: Vec<usize>,
    tls: Vec<(Vec<usize>, &'static str)>,
    /// An ingress-nginx canary of it: a copy with the same hosts, paths, TLS and annotations
    /// (as people make them) sending a share of the traffic to another Service.
    canary: bool,
    /// Served by Traefik (class `traefik`, no canary), with these router annotations.
    traefik: Option<Traefik>,
    /// Served by Kong (class `kong`, no canary, not Traefik's), with these annotations.
    kong: Option<Kong>,
}

/// The Kong route settings the generator draws.
#[derive(Debug, Clone, Copy)]
enum Kong {
    /// None: HTTP and HTTPS, no redirect.
    Plain,
    /// `methods` and `plugins`.
    MethodsAndPlugins,
    /// `headers.x-env` with two values, `headers.x-tier` with two, and `strip-path`.
    HeadersAndStripPath,
    /// `protocols: https` with `https-redirect-status-code: 301` (drawn only where every rule
    /// host has a TLS entry of the Ingress, else plain: without a Secret it is an error).
    HttpsRedirect,
}

/// The Traefik router settings the generator draws.
#[derive(Debug, Clone, Copy)]
enum Traefik {
    /// None: both entry points.
    Plain,
    /// `router.entrypoints: web`: plain HTTP only.
    WebOnly,
    /// web and websecure with the redirectScheme Middleware of its namespace.
    Redirect,
    /// `router.tls: "true"` (drawn only where every rule host has a TLS entry of the Ingress,
    /// else plain: without a Secret it is an error).
    Tls,
}

fn ingress() -> impl Strategy<Value = GenIngress> {
    (
        prop::sample::select(vec!["team-a", "team-b"]),
        prop::sample::select(vec!["web", "api", "shop"]),
        prop::option::of(prop::sample::select(vec![
            ("cert-manager.io/cluster-issuer", "letsencrypt-prod"),
            ("cert-manager.io/issuer", "team-issuer"),
            ("kubernetes.io/tls-acme", "true"),
        ])),
        prop::sample::subsequence(
            vec![
                ("cert-manager.io/duration", "2160h"),
                ("cert-manager.io/renew-before", "360h"),
                ("cert-manager.io/private-key-algorithm", "ECDSA"),
                ("cert-manager.io/usages", "server auth"),
                ("acme.cert-manager.io/http01-edit-in-place", "true"),
                ("cert-manager.io/revision-history-limit", "3"),
            ],
            0..=3,
        ),
        any::<bool>(),
        prop::collection::vec(0..HOSTS.len(), 0..=3),
        prop::collection::vec(
            (
                prop::collection::vec(0..HOSTS.len(), 1..=2),
                prop::sample::select(vec!["s1", "s2", "s3"]),
            ),
            0..=2,
        ),
        prop::bool::weighted(0.25),
        prop::option::weighted(
            0.3,
            prop::sample::select(vec![
                Traefik::Plain,
                Traefik::WebOnly,
                Traefik::Redirect,
                Traefik::Tls,
            ]),
        ),
        prop::option::weighted(
            0.3,
            prop::sample::select(vec![
                Kong::Plain,
                Kong::MethodsAndPlugins,
                Kong::HeadersAndStripPath,
                Kong::HttpsRedirect,
            ]),
        ),
    )
        .prop_map(
            |(namespace, name, issuer, extra, labelled, rule_hosts, tls, canary, traefik, kong)| {
                let kong = kong.filter(|_| traefik.is_none());
                GenIngress {
                    namespace,
                    name,
                    issuer,
                    labelled,
                    extra,
                    rule_hosts,
                    tls,
                    canary: canary && traefik.is_none() && kong.is_none(),
                    traefik,
                    kong,
                }
            },
        )
}

/// The redirectScheme Middleware of each namespace, which Traefik Ingresses name.
const MIDDLEWARES: &str = "apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: to-https
  namespace: team-a
spec:
  redirectScheme:
    scheme: https
    permanent: true
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: to-https
  namespace: team-b
spec:
  redirectScheme:
    scheme: https
    permanent: true
";

/// The Traefik annotations of an Ingress.
fn traefik_annotations(i: &GenIngress) -> Vec<(&'static str, String)> {
    match i.traefik {
        None | Some(Traefik::Plain) => Vec::new(),
        Some(Traefik::WebOnly) => vec![(
            "traefik.ingress.kubernetes.io/router.entrypoints",
            "web".to_string(),
        )],
        Some(Traefik::Redirect) => vec![
            (
                "traefik.ingress.kubernetes.io/router.entrypoints",
                "web,websecure".to_string(),
            ),
            (
                "traefik.ingress.kubernetes.io/router.middlewares",
                format!("{}-to-https@kubernetescrd", i.namespace),
            ),
        ],
        Some(Traefik::Tls) => {
            let tls_hosts: Vec<usize> = i.tls.iter().flat_map(|(h, _)| h.iter().copied()).collect();
            if i.rule_hosts.iter().all(|h| tls_hosts.contains(h)) {
                vec![(
                    "traefik.ingress.kubernetes.io/router.tls",
                    "true".to_string(),
                )]
            } else {
                Vec::new()
            }
        }
    }
}

/// The Kong annotations of an Ingress.
fn kong_annotations(i: &GenIngress) -> Vec<(&'static str, String)> {
    let pairs = |p: &[(&'static str, &str)]| {
        p.iter()
            .map(|(k, v)| (*k, (*v).to_string()))
            .collect::<Vec<_>>()
    };
    match i.kong {
        None | Some(Kong::Plain) => Vec::new(),
        Some(Kong::MethodsAndPlugins) => pairs(&[
            ("konghq.com/methods", "GET,POST"),
            ("konghq.com/plugins", "key-auth,rate-limit"),
        ]),
        Some(Kong::HeadersAndStripPath) => pairs(&[
            ("konghq.com/headers.x-env", "blue,green"),
            ("konghq.com/headers.x-tier", "gold,free"),
            ("konghq.com/strip-path", "true"),
        ]),
        Some(Kong::HttpsRedirect) => {
            let tls_hosts: Vec<usize> = i.tls.iter().flat_map(|(h, _)| h.iter().copied()).collect();
            if i.rule_hosts.iter().all(|h| tls_hosts.contains(h)) {
                pairs(&[
                    ("konghq.com/protocols", "https"),
                    ("konghq.com/https-redirect-status-code", "301"),
                ])
            } else {
                Vec::new()
            }
        }
    }
}

/// The Ingress, followed by its canary when it has one.
fn to_yaml(i: &GenIngress) -> String {
    let primary = ingress_yaml(i, "", &[]);
    if !i.canary || i.rule_hosts.is_empty() {
        return primary;
    }
    let canary = ingress_yaml(
        i,
        "-canary",
        &[
            ("nginx.ingress.kubernetes.io/canary", "true"),
            ("nginx.ingress.kubernetes.io/canary-weight", "10"),
        ],
    );
    format!("{primary}---\n{canary}")
}

fn ingress_yaml(i: &GenIngress, suffix: &str, more: &[(&str, &str)]) -> String {
    let traefik = traefik_annotations(i);
    let kong = kong_annotations(i);
    let mut annotations: Vec<(&str, &str)> = i.extra.clone();
    annotations.extend(i.issuer);
    annotations.extend(more);
    annotations.extend(traefik.iter().map(|(k, v)| (*k, v.as_str())));
    annotations.extend(kong.iter().map(|(k, v)| (*k, v.as_str())));
    let mut y = format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {}{suffix}\n  namespace: {}\n",
        i.name, i.namespace
    );
    if i.labelled {
        y.push_str(&format!("  labels:\n    app: {}\n", i.name));
    }
    if !annotations.is_empty() {
        y.push_str("  annotations:\n");
        for (k, v) in annotations {
            y.push_str(&format!("    {k}: {v:?}\n"));
        }
    }
    let class = if i.traefik.is_some() {
        "traefik"
    } else if i.kong.is_some() {
        "kong"
    } else {
        "nginx"
    };
    y.push_str(&format!("spec:\n  ingressClassName: {class}\n"));
    if !i.tls.is_empty() {
        y.push_str("  tls:\n");
        for (hosts, secret) in &i.tls {
            let hosts: Vec<String> = hosts.iter().map(|h| format!("{:?}", HOSTS[*h])).collect();
            y.push_str(&format!(
                "  - hosts: [{}]\n    secretName: {secret}\n",
                hosts.join(", ")
            ));
        }
    }
    if !i.rule_hosts.is_empty() {
        y.push_str("  rules:\n");
        for h in &i.rule_hosts {
            y.push_str(&format!(
                "  - host: {:?}\n    http:\n      paths:\n      - path: /{}\n        pathType: Prefix\n        backend:\n          service:\n            name: {}{suffix}\n            port:\n              number: 80\n",
                HOSTS[*h], i.name, i.name
            ));
        }
    }
    y
}

fn input(dir: &std::path::Path, name: &str, text: &str) -> Vec<InputSource> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    vec![InputSource::File {
        display: path.display().to_string().into(),
        path,
    }]
}

/// Certificates by (namespace, name): their spec and annotations, without the HTTP-01
/// parentRef annotations cert-manager adds only for Gateway API sources.
/// With `unordered`, dnsNames compare as sets: when one host is in two TLS entries of an
/// Ingress, one listener serves both Secrets and the order can differ.
fn certificates(yaml: &str, unordered: bool) -> BTreeMap<(String, String), serde_json::Value> {
    let (docs, err) = lsc::source::yaml::parse_documents(yaml, &Default::default());
    assert!(err.is_none());
    docs.into_iter()
        .filter_map(|d| d.root)
        .map(|root| {
            let mut json = lsc::emit::json::to_serde(&root.value);
            let key = (
                json["metadata"]["namespace"].as_str().unwrap().to_string(),
                json["metadata"]["name"].as_str().unwrap().to_string(),
            );
            if let Some(a) = json["metadata"]["annotations"].as_object_mut() {
                a.retain(|k, _| !k.starts_with("acme.cert-manager.io/http01-parentref"));
            }
            if let (true, Some(names)) = (unordered, json["spec"]["dnsNames"].as_array_mut()) {
                names.sort_by_key(|n| n.to_string());
            }
            let annotations = json["metadata"]["annotations"].clone();
            let annotations = if annotations.as_object().is_some_and(|a| a.is_empty()) {
                serde_json::Value::Null
            } else {
                annotations
            };
            (
                key,
                serde_json::json!({
                    "spec": json["spec"],
                    "labels": json["metadata"]["labels"].clone(),
                    "annotations": annotations
                }),
            )
        })
        .collect()
}

/// The error findings of `lsc check`.
fn check_errors(inputs: &[InputSource]) -> Vec<String> {
    let options = lsc::check::CheckOptions {
        shim: render_options().shim,
        ..Default::default()
    };
    lsc::check::check(inputs, &options)
        .findings
        .iter()
        .filter(|f| f.diagnostic.is_error())
        .map(|f| format!("{}: {}", f.code, f.diagnostic))
        .collect()
}

/// As cert-manager master: before it, an Ingress TLS entry that names a host twice repeats it
/// in `dnsNames`, which the converted objects (one listener per host) cannot reproduce.
fn render_options() -> lsc::RenderOptions {
    let mut options = lsc::RenderOptions::default();
    options.shim.default_issuer_name = DEFAULT_ISSUER.to_string();
    options.shim.version = lsc::shim::version::CertManagerVersion::Master;
    options
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn render_of_convert_equals_render(
        mut set in prop::collection::vec(ingress(), 1..=4),
        redefined in prop::option::weighted(0.3, ingress()),
    ) {
        set.sort_by_key(|i| (i.namespace, i.name));
        set.dedup_by_key(|i| (i.namespace, i.name));
        let mut text = set.iter().map(to_yaml).collect::<Vec<_>>().join("---\n");
        if set.iter().any(|i| i.traefik.is_some()) || redefined.as_ref().is_some_and(|i| i.traefik.is_some()) {
            text = format!("{MIDDLEWARES}---\n{text}");
        }
        // The first Ingress defined again, later in the input (docs repositories keep both
        // versions): the later definition wins in render and convert alike.
        // (Not one with a canary: the canary's TLS is the first definition's copy, which
        // ingress-nginx ignores but cert-manager issues.)
        if let (Some(again), Some(first)) = (redefined, set.first().filter(|f| !f.canary)) {
            // Same rules and canary (its canary stays the first's), other TLS and annotations.
            let again = GenIngress {
                namespace: first.namespace,
                name: first.name,
                rule_hosts: first.rule_hosts.clone(),
                canary: false,
                ..again
            };
            text.push_str("---\n");
            text.push_str(&to_yaml(&again));
            set.push(again);
        }
        let dir = tempfile::tempdir().unwrap();
        let before = lsc::render(&input(dir.path(), "ingresses.yaml", &text), &render_options());
        // Two Ingresses never share a path (that is a conversion error of its own). Ingresses
        // cert-manager rejects (e.g. one Secret named by two TLS entries) have no
        // Certificates to compare.
        prop_assume!(!before.has_errors());
        // Two Ingresses asking one Certificate with different specs: which wins depends on
        // creation order in a cluster (render warns), and the redefined Ingress moves one.
        prop_assume!(!before.diagnostics.iter().any(|d| d.message.contains("is also requested by")));
        let overlapping = set.iter().any(|i| {
            let hosts: Vec<usize> = i.tls.iter().flat_map(|(h, _)| h.iter().copied()).collect();
            let mut unique = hosts.clone();
            unique.sort_unstable();
            unique.dedup();
            unique.len() != hosts.len()
        });
        let expected = certificates(&before.stdout, overlapping);
        // Two Ingresses with TLS for one host each keep their HTTPS listener, so that
        // cert-manager issues both Certificates: a listener conflict convert warns about.
        let tls_shared = {
            let mut hosts: Vec<usize> = set
                .iter()
                .flat_map(|i| {
                    let mut own: Vec<usize> = i.tls.iter().flat_map(|(h, _)| h.iter().copied()).collect();
                    own.sort_unstable();
                    own.dedup();
                    own
                })
                .collect();
            let all = hosts.len();
            hosts.sort_unstable();
            hosts.dedup();
            hosts.len() != all
        };
        let input_checks_clean = !tls_shared
            && check_errors(&input(dir.path(), "ingresses.yaml", &text)).is_empty();

        let layouts = [
            (TlsIn::ListenerSet, ListenerSetApi::V1, None),
            (TlsIn::ListenerSet, ListenerSetApi::V1Alpha1, None),
            (TlsIn::ListenerSet, ListenerSetApi::V1, Some(("infra".to_string(), "shared".to_string()))),
        ];
        for (tls_in, api, gateway) in layouts {
            let options = ConvertOptions {
                default_namespace: "default".to_string(),
                tls_in,
                listenerset_api: api,
                gateway: gateway.clone(),
                gateway_class: gateway.as_ref().map(|_| "example".to_string()),
                shim: render_options().shim,
                ..ConvertOptions::default()
            };
            let converted = lsc::convert::convert(&input(dir.path(), "ingresses.yaml", &text), &options);
            let errors: Vec<String> = converted.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
            prop_assert!(errors.is_empty(), "convert failed: {errors:?}\n{text}");
            let yaml = lsc::emit::converted(lsc::emit::Format::Yaml, &converted.objects);
            let after = lsc::render(&input(dir.path(), "converted.yaml", &yaml), &render_options());
            let render_errors: Vec<String> = after.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
            prop_assert!(render_errors.is_empty(), "render of the converted objects failed: {render_errors:?}\n{yaml}");
            prop_assert_eq!(
                &expected,
                &certificates(&after.stdout, overlapping),
                "layout {:?} {:?} {:?}\n--- input\n{}\n--- converted\n{}",
                tls_in, api, gateway, text, yaml
            );
            if input_checks_clean {
                let findings = check_errors(&input(dir.path(), "converted.yaml", &yaml));
                prop_assert!(
                    findings.is_empty(),
                    "check of the converted objects: {:?}\nlayout {:?} {:?} {:?}\n--- input\n{}\n--- converted\n{}",
                    findings, tls_in, api, gateway, text, yaml
                );
            }
        }
    }
}
