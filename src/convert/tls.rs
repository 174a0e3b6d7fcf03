//! TLS and cert-manager settings that move from an Ingress to its ListenerSet (or Gateway):
//! the `cert-manager.io/*` and `acme.cert-manager.io/*` annotations, the auto-certificate
//! annotation resolved to an explicit issuer, and HTTPS listeners for TLS hosts without rules.

use rayon::prelude::*;

use super::TlsIn;
use super::ingress::Ingress;
use super::plan::{ListenerKind, ListenerNeed};
use crate::diag::Diagnostic;
use crate::golang::strconv::parse_bool;
use crate::model::fields::SortedMap;
use crate::shim::annotation_keys as key;
use crate::shim::config::ShimConfig;

/// The annotations the Ingress hands to the object that takes over its TLS, with warnings
/// for what cannot move as it is.
pub fn certificate_annotations(
    ingress: &Ingress,
    controller: &ShimConfig,
    tls_in: TlsIn,
) -> (SortedMap<String>, Vec<Diagnostic>) {
    let mut out = SortedMap::new();
    let mut diagnostics = Vec::new();
    if ingress.canary {
        return (out, canary_tls(ingress, controller));
    }
    for (k, v) in &ingress.meta.annotations {
        if key::is_cert_manager(k) || controller.extra_certificate_annotations.contains(k) {
            out.insert(k.clone(), v.value.clone());
        }
    }
    let auto = controller
        .auto_certificate_annotations
        .iter()
        .find(|k| ingress.annotation(k).and_then(parse_bool).unwrap_or(false));
    if let Some(auto) = auto {
        if !out.contains_key(key::ISSUER) && !out.contains_key(key::CLUSTER_ISSUER) {
            let line = ingress.meta.annotations.get(auto).map_or(0, |a| a.line);
            if controller.default_issuer_name.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        Some(ingress.at(line)),
                        format!("annotation {auto} is not carried over: cert-manager honours it on Ingresses only; give --default-issuer-name (and --default-issuer-kind, --default-issuer-group) to write the issuer annotation instead"),
                    )
                    .about(&ingress.reference()),
                );
            } else {
                out.extend(issuer_annotations(controller));
            }
        }
    }
    for (i, entry) in ingress.tls.iter().enumerate() {
        let at = Some(ingress.at(entry.line));
        if entry.secret_name.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    at,
                    format!("spec.tls[{i}] has no secretName; its hosts get no HTTPS listener"),
                )
                .about(&ingress.reference()),
            );
        } else if entry.hosts.is_empty() && !out.is_empty() {
            let holder = match tls_in {
                TlsIn::ListenerSet => "the ListenerSet's listeners",
                TlsIn::Gateway => "the Gateway's listeners",
            };
            diagnostics.push(
                Diagnostic::warning(at, format!("spec.tls[{i}] lists no hosts: Secret {} serves every rule host, as in ingress-nginx; cert-manager ignores such an entry on an Ingress but issues a Certificate for {holder}", entry.secret_name))
                    .about(&ingress.reference()),
            );
        }
    }
    (out, diagnostics)
}

/// A canary Ingress adds backends to its primary's routes: ingress-nginx ignores its TLS
/// entries (the primary's serve the host), so it hands over no listener and no cert-manager
/// annotation. Said once, where it has either.
fn canary_tls(ingress: &Ingress, controller: &ShimConfig) -> Vec<Diagnostic> {
    let annotated = ingress.meta.annotations.iter().find(|(k, _)| {
        key::is_cert_manager(k) || controller.extra_certificate_annotations.contains(*k)
    });
    let line = match (annotated, ingress.tls.first()) {
        (_, Some(entry)) => entry.line,
        (Some((_, a)), None) => a.line,
        (None, None) => return Vec::new(),
    };
    vec![
        Diagnostic::warning(
            Some(ingress.at(line)),
            "is a canary: ingress-nginx ignores a canary's TLS and its primary Ingress's listeners serve the host, so its spec.tls and cert-manager annotations are not carried over (cert-manager issues the primary's Certificates)",
        )
        .about(&ingress.reference()),
    ]
}

/// The issuer annotations that say explicitly what the controller's default-issuer flags
/// would pick for an auto-certificate Ingress.
fn issuer_annotations(controller: &ShimConfig) -> Vec<(String, String)> {
    let (name, group) = (
        &controller.default_issuer_name,
        &controller.default_issuer_group,
    );
    let builtin_group = group.is_empty() || group == "cert-manager.io";
    match controller.default_issuer_kind.as_str() {
        "ClusterIssuer" if builtin_group => {
            vec![(key::CLUSTER_ISSUER.to_string(), name.clone())]
        }
        "Issuer" | "" if builtin_group => vec![(key::ISSUER.to_string(), name.clone())],
        kind => {
            let mut out = vec![
                (key::ISSUER.to_string(), name.clone()),
                (key::ISSUER_KIND.to_string(), kind.to_string()),
            ];
            if !builtin_group {
                out.push((key::ISSUER_GROUP.to_string(), group.clone()));
            }
            out
        }
    }
}

/// The listeners every TLS host of an Ingress needs on its ListenerSet, rules or not: HTTPS,
/// because cert-manager issues its Certificate from the Ingress's TLS entries, and HTTP, where
/// cert-manager's HTTP-01 solver attaches its challenge route (through the ListenerSet).
pub fn tls_host_listeners(
    ingresses: &[Ingress],
    gateway_of: &[Option<usize>],
    needs: &[ListenerNeed],
) -> Vec<ListenerNeed> {
    let https: foldhash::HashSet<(usize, &str)> = needs
        .iter()
        .filter(|n| n.kind == ListenerKind::Https)
        .map(|n| (n.ingress, n.host.as_str()))
        .collect();
    // Each Ingress's listeners are its own: worked out on all threads, kept in order.
    let per_ingress = ingresses.par_iter().enumerate().map(|(id, ingress)| {
        let mut extra = Vec::new();
        let Some(gateway) = gateway_of.get(id).copied().flatten() else {
            return extra;
        };
        for host in ingress.tls_hosts() {
            let need = |kind, secrets| ListenerNeed {
                gateway,
                namespace: ingress.meta.namespace.clone(),
                host: host.to_string(),
                kind,
                ingress: id,
                secrets,
            };
            extra.push(need(ListenerKind::Http, Vec::new()));
            let covered = https.contains(&(id, host));
            let secrets: Vec<String> = ingress
                .secrets_for(host)
                .into_iter()
                .map(str::to_string)
                .collect();
            if !covered && !secrets.is_empty() {
                extra.push(need(ListenerKind::Https, secrets));
            }
        }
        extra
    });
    per_ingress.flatten_iter().collect()
}
