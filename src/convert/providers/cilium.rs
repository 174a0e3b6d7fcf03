//! Cilium's Ingress annotations (`ingress.cilium.io/*`, Cilium's `operator/pkg/ingress`):
//! `force-https` redirects plain HTTP of the hosts with TLS (without it, Cilium's
//! `enforce-ingress-https` setting decides, on by default), `tls-passthrough` passes TLS
//! through to the backends by SNI (a TLSRoute on a Passthrough listener). The others
//! configure Cilium's load balancer Service and are warned.

use super::{Effect, Finding, OnHttp, Plan, Provider, Sides};
use crate::convert::ingress::Ingress;
use crate::convert::plan::{BackendRef, ListenerKind, ListenerNeed, PathType, Redirect, RouteKind};
use crate::diag::Diagnostic;

pub const PREFIX: &str = "ingress.cilium.io/";

const FORCE_HTTPS: &str = "force-https";
const TLS_PASSTHROUGH: &str = "tls-passthrough";

/// Is `key` a Cilium annotation lsc translates?
pub fn translates(key: &str) -> bool {
    key.strip_prefix(PREFIX)
        .is_some_and(|name| name == FORCE_HTTPS || name == TLS_PASSTHROUGH)
}

/// Cilium's switch values: `enabled` / `disabled`, or a boolean.
fn switch(value: &str) -> Option<bool> {
    match value.trim() {
        "enabled" => Some(true),
        "disabled" => Some(false),
        other => crate::golang::strconv::parse_bool(other),
    }
}

fn setting(ingress: &Ingress, name: &str) -> Option<(Option<bool>, u32)> {
    ingress
        .meta
        .annotations
        .get(format!("{PREFIX}{name}").as_str())
        .map(|a| (switch(&a.value), a.line))
}

/// What each Cilium annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, located) in ingress.meta.annotations.iter() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let effect = match name {
            FORCE_HTTPS | TLS_PASSTHROUGH => match switch(&located.value) {
                Some(_) => Effect::Translated,
                None => Effect::Warned(format!(
                    "annotation {key} ({:?}) is neither enabled nor disabled (nor a boolean), which Cilium reads as not set; so does the conversion",
                    located.value
                )),
            },
            _ => Effect::Warned(format!(
                "annotation {key} of Cilium is not translated to Gateway API: it configures Cilium's own load balancer or listeners; configure its behaviour on the Gateway implementation by hand"
            )),
        };
        findings.push(Finding::new(key, located.line, effect));
    }
    findings
}

/// `tls-passthrough`, then `force-https` on the routes Cilium Ingresses govern.
pub fn plan(plan: &mut Plan<'_, '_>) {
    if !plan
        .ingresses
        .iter()
        .any(|i| i.provider.0 == Provider::Cilium)
    {
        return;
    }
    passthrough(plan);
    force_https(plan);
}

fn is_passthrough(ingress: &Ingress) -> bool {
    ingress.provider.0 == Provider::Cilium
        && setting(ingress, TLS_PASSTHROUGH).and_then(|(on, _)| on) == Some(true)
}

/// `tls-passthrough` (Cilium's documentation of the annotation): the rules of a host with
/// path `/` are passed through by SNI to their backends; rules without a host, with another
/// path, and default backends are ignored, as Cilium ignores them.
fn passthrough(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let mut added = Vec::new();
    let mut diagnostics = Vec::new();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || route.derived {
            continue;
        }
        let mut backends: Vec<BackendRef> = Vec::new();
        let mut kept = Vec::new();
        for rule in std::mem::take(&mut route.rules) {
            let Some(ingress) = rule.sources.first().and_then(|id| ingresses.get(*id)) else {
                kept.push(rule);
                continue;
            };
            if !is_passthrough(ingress) {
                kept.push(rule);
                continue;
            }
            let line = setting(ingress, TLS_PASSTHROUGH).map_or(0, |(_, l)| l);
            let root = rule
                .matches
                .first()
                .and_then(|m| m.path.as_ref())
                .is_none_or(|p| p.kind == PathType::PathPrefix && p.value == "/");
            if route.host.is_empty() || !root {
                let what = if route.host.is_empty() {
                    "a rule without a host or a default backend".to_string()
                } else {
                    format!("a path other than \"/\" on host {:?}", route.host)
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Some(ingress.at(line)),
                        format!("annotation {PREFIX}{TLS_PASSTHROUGH}: Cilium ignores {what} of a TLS passthrough Ingress, so the conversion leaves it out"),
                    )
                    .about(&ingress.reference()),
                );
                continue;
            }
            for b in rule.backends {
                if !backends.iter().any(|x| x.target == b.target) {
                    backends.push(BackendRef { weight: None, ..b });
                }
            }
        }
        route.rules = kept;
        let Some(first) = backends.first().map(|b| b.source) else {
            continue;
        };
        if plan.needs.iter().any(|n| {
            n.gateway == route.gateway && n.host == route.host && n.kind == ListenerKind::Https
        }) {
            if let Some(ingress) = ingresses.get(first) {
                let line = setting(ingress, TLS_PASSTHROUGH).map_or(0, |(_, l)| l);
                diagnostics.push(
                    Diagnostic::error(
                        Some(ingress.at(line)),
                        format!("host {:?} has both a TLS entry and {PREFIX}{TLS_PASSTHROUGH}: Cilium passes its TLS through and never uses the entry's Secret, but a Gateway cannot have both an HTTPS listener (which the entry's Certificate needs) and a TLS passthrough listener for one host on port 443 (they conflict); remove the host's TLS entry, or the annotation to terminate TLS on the Gateway", route.host),
                    )
                    .about(&ingress.reference()),
                );
            }
        }
        plan.needs.push(ListenerNeed {
            gateway: route.gateway,
            namespace: route.namespace.clone(),
            host: route.host.clone(),
            kind: ListenerKind::TlsPassthrough,
            ingress: first,
            secrets: Vec::new(),
        });
        added.push(super::passthrough_route(
            route,
            &route.host,
            backends,
            plan.names,
        ));
    }
    plan.routes
        .retain(|r| !(r.kind == RouteKind::Http && r.rules.is_empty()));
    plan.routes.extend(added);
    for d in diagnostics {
        plan.report(d);
    }
}

/// `force-https` (default: Cilium's `enforce-ingress-https`, on unless configured off):
/// plain HTTP of a host with TLS is redirected with 301 (Envoy's `https_redirect`); the
/// route itself serves HTTPS only, so HTTPS never redirects to itself.
fn force_https(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let https = plan.https_hosts();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || !route.unsplit() || !https.serve(route) {
            continue;
        }
        for rule in &mut route.rules {
            let forced = super::governing(rule, ingresses, Provider::Cilium)
                .is_some_and(|i| setting(i, FORCE_HTTPS).and_then(|(on, _)| on) != Some(false));
            if forced {
                rule.sides = Some(Box::new(Sides {
                    http: OnHttp::Redirect(Redirect {
                        scheme: Some("https".to_string()),
                        status: Some(301),
                        ..Redirect::default()
                    }),
                    https: true,
                }));
            }
        }
    }
}
