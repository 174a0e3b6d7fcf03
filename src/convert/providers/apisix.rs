//! Apache APISIX's Ingress annotations (`k8s.apisix.apache.org/*`, the APISIX Ingress
//! controller's `pkg/providers/ingress/translation/annotations`): `http-to-https` redirects
//! plain HTTP with 301 (a redirect rule without backends, on the HTTP listener only). Its
//! access controls (address lists, authentication, CSRF, allowed methods, plugin configs)
//! may protect the routes: refused unless `--allow-unprotected` accepts the loss; the others
//! are warned.

use super::{Effect, Finding, OnHttp, Plan, Provider, Sides};
use crate::convert::ingress::Ingress;
use crate::convert::plan::{Redirect, RouteKind};
use crate::diag::Diagnostic;

pub const PREFIX: &str = "k8s.apisix.apache.org/";

const HTTP_TO_HTTPS: &str = "http-to-https";

/// Is `key` an APISIX annotation lsc translates?
pub fn translates(key: &str) -> bool {
    key.strip_prefix(PREFIX) == Some(HTTP_TO_HTTPS)
}

/// APISIX annotations that restrict who is served, with what they do.
const ACCESS_CONTROLS: &[(&str, &str)] = &[
    (
        "allowlist-source-range",
        "restricts {scope} to the client addresses it lists",
    ),
    (
        "whitelist-source-range",
        "restricts {scope} to the client addresses it lists",
    ),
    (
        "blocklist-source-range",
        "blocks the client addresses it lists from {scope}",
    ),
    ("auth-type", "requires authentication for {scope}"),
    (
        "enable-csrf",
        "protects {scope} against cross-site request forgery",
    ),
    (
        "csrf-key",
        "keys the cross-site request forgery protection of {scope}",
    ),
    (
        "http-allow-methods",
        "serves only the request methods it lists on {scope}",
    ),
    (
        "http-block-methods",
        "refuses the request methods it lists on {scope}",
    ),
    (
        "plugin-config-name",
        "runs an ApisixPluginConfig's plugins on {scope}, which may authenticate or restrict clients",
    ),
];

fn redirects(ingress: &Ingress) -> Option<u32> {
    ingress
        .meta
        .annotations
        .get(format!("{PREFIX}{HTTP_TO_HTTPS}").as_str())
        .filter(|a| a.value == "true")
        .map(|a| a.line)
}

/// What each APISIX annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, located) in ingress.meta.annotations.iter() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let effect = if name == HTTP_TO_HTTPS {
            if located.value == "true" || located.value == "false" {
                Effect::Translated
            } else {
                Effect::Warned(format!(
                    "annotation {key} ({:?}) is not \"true\", which APISIX reads as off; so does the conversion",
                    located.value
                ))
            }
        } else if let Some((_, does)) = ACCESS_CONTROLS.iter().find(|(n, _)| *n == name) {
            Effect::MayProtect {
                what: key.to_string(),
                message: format!(
                    "annotation {key} ({:?}) of Apache APISIX {does}; Gateway API has no standard filter for it",
                    located.value
                ),
            }
        } else {
            Effect::Warned(format!(
                "annotation {key} of Apache APISIX is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
            ))
        };
        findings.push(Finding::new(key, located.line, effect));
    }
    findings
}

/// `http-to-https: "true"` (APISIX's redirect plugin with `http_to_https`, 301): the rules
/// its Ingresses govern redirect plain HTTP and serve HTTPS; a host without TLS has no HTTPS
/// listener to redirect to, and is warned.
pub fn plan(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    if !ingresses.iter().any(|i| i.provider.0 == Provider::Apisix) {
        return;
    }
    let mut diagnostics = Vec::new();
    let https = plan.https_hosts();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || !route.unsplit() {
            continue;
        }
        let has_https = https.serve(route);
        for rule in &mut route.rules {
            let governing = super::governing(rule, ingresses, Provider::Apisix);
            let Some((ingress, line)) = governing.and_then(|i| Some((i, redirects(i)?))) else {
                continue;
            };
            if !has_https {
                let host = if route.host.is_empty() {
                    "its rules without a host".to_string()
                } else {
                    format!("host {:?}", route.host)
                };
                let d = Diagnostic::warning(
                    Some(ingress.at(line)),
                    format!("annotation {PREFIX}{HTTP_TO_HTTPS} is not translated for {host}: no spec.tls entry gives it a Secret, so the Gateway has no HTTPS listener to redirect to; the routes serve plain HTTP"),
                )
                .about(&ingress.reference());
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
                continue;
            }
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
    for d in diagnostics {
        plan.report(d);
    }
}
