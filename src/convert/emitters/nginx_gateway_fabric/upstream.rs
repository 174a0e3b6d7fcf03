//! The UpstreamSettingsPolicy (v2.6.7 CRD pinned): ingress-nginx's upstream keepalive,
//! `load-balance` and `upstream-hash-by` for the Services the Ingress's paths route to. The
//! policy targets Services, not routes, so it holds wherever the Service is a backend; its
//! release has no timeout fields (`proxy-*-timeout` stay as with `standard`).

use std::collections::{BTreeMap, BTreeSet};

use super::super::{annotation, note};
use super::make;
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{map, s, seq};
use crate::convert::plan::{IngressId, Route};
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::golang::strconv::atoi;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

/// The most Services one policy targets (`targetRefs` `maxItems`).
const MAX_TARGETS: usize = 16;

/// A count annotation (`upstream-keepalive-connections`, `-requests`): zero or more.
fn count(value: &str) -> Option<i64> {
    atoi(value.trim())
        .ok()
        .filter(|n| (0..=i64::from(i32::MAX)).contains(n))
}

/// An nginx time as the policy takes it (`^[0-9]{1,4}(ms|s|m|h)?$`); a bare number is seconds,
/// as ingress-nginx writes `upstream-keepalive-timeout`.
fn time(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = value.get(digits.len()..)?;
    let ok = (1..=4).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && ["", "ms", "s", "m", "h"].contains(&unit);
    ok.then(|| format!("{digits}{}", if unit.is_empty() { "s" } else { unit }))
}

/// `upstream-hash-by` as NGINX Gateway Fabric's hash key: one nginx variable
/// (`^\$[a-z_]+$`); combinations and other text are not translated.
fn hash_key(value: &str) -> Option<&str> {
    let value = value.trim();
    let name = value.strip_prefix('$')?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')).then_some(value)
}

/// Whether this module translates the annotation `name` (without its prefix).
pub fn translates(name: &str, value: &str) -> Option<bool> {
    Some(match name {
        "upstream-keepalive-connections" | "upstream-keepalive-requests" => count(value).is_some(),
        "upstream-keepalive-timeout" | "upstream-keepalive-time" => time(value).is_some(),
        "upstream-hash-by" => hash_key(value).is_some(),
        "load-balance" => matches!(value.trim(), "round_robin" | "ewma"),
        _ => return None,
    })
}

/// The policy's settings for an Ingress; `None` when it sets none.
fn settings(annotations: &SortedMap<Located>) -> Option<Vec<(&'static str, Value)>> {
    let get = |name: &str| annotation(annotations, name).map(|v| v.value.as_str());
    let keepalive = map(vec![
        (
            "connections",
            get("upstream-keepalive-connections")
                .and_then(count)
                .map_or(Value::Null, Value::Int),
        ),
        (
            "requests",
            get("upstream-keepalive-requests")
                .and_then(count)
                .map_or(Value::Null, Value::Int),
        ),
        (
            "time",
            get("upstream-keepalive-time")
                .and_then(time)
                .map_or(Value::Null, |t| s(&t)),
        ),
        (
            "timeout",
            get("upstream-keepalive-timeout")
                .and_then(time)
                .map_or(Value::Null, |t| s(&t)),
        ),
    ]);
    let mut out = Vec::new();
    if matches!(&keepalive, Value::Map(m) if !m.entries.is_empty()) {
        out.push(("keepAlive", keepalive));
    }
    // ingress-nginx hashes consistently, and upstream-hash-by wins over load-balance.
    if let Some(key) = get("upstream-hash-by").and_then(hash_key) {
        out.push(("loadBalancingMethod", s("hash consistent")));
        out.push(("hashMethodKey", s(key)));
    } else if get("load-balance").map(str::trim) == Some("round_robin") {
        out.push(("loadBalancingMethod", s("round_robin")));
    }
    (!out.is_empty()).then_some(out)
}

/// The Services each non-canary Ingress's paths route to, by Ingress.
fn services(ingresses: &[Ingress], routes: &[Route]) -> BTreeMap<IngressId, BTreeSet<String>> {
    let mut found: BTreeMap<IngressId, BTreeSet<String>> = BTreeMap::new();
    for route in routes {
        for rule in &route.rules {
            for backend in rule.backends.iter().filter(|b| b.target.resource.is_none()) {
                if ingresses.get(backend.source).is_some_and(|i| !i.canary) {
                    found
                        .entry(backend.source)
                        .or_default()
                        .insert(backend.target.name.clone());
                }
            }
        }
    }
    found
}

/// One UpstreamSettingsPolicy per Ingress that sets something (more when it routes to over
/// 16 Services), targeting the Services its paths route to.
pub fn emit(
    ingresses: &[Ingress],
    routes: &[Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let mut makes: Vec<Make> = Vec::new();
    let mut diagnostics = Vec::new();
    let by_ingress = services(ingresses, routes);
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary || !ingress.nginx_annotated {
            continue;
        }
        let annotations = &ingress.meta.annotations;
        if annotation(annotations, "load-balance").is_some_and(|v| v.value.trim() == "ewma") {
            diagnostics.push(note(ingress, "load-balance", format!("annotation {PREFIX}load-balance ewma has no NGINX Gateway Fabric method; its default, random two least_conn, is the nearest, so none is written")));
        }
        let Some(settings) = settings(annotations) else {
            continue;
        };
        let Some(services) = by_ingress.get(&id).filter(|s| !s.is_empty()) else {
            continue;
        };
        let namespace = &ingress.meta.namespace;
        let shared: Vec<String> = services
            .iter()
            .filter_map(|service| {
                let others: Vec<String> = by_ingress
                    .iter()
                    .filter(|(other, s)| **other != id && s.contains(service))
                    .filter_map(|(other, _)| ingresses.get(*other))
                    .filter(|other| other.meta.namespace == *namespace)
                    .map(|other| other.reference().to_string())
                    .collect();
                (!others.is_empty())
                    .then(|| format!("Service {namespace}/{service} (also {})", others.join(", ")))
            })
            .collect();
        let first = [
            "upstream-keepalive-connections",
            "upstream-keepalive-requests",
            "upstream-keepalive-time",
            "upstream-keepalive-timeout",
            "upstream-hash-by",
            "load-balance",
        ]
        .into_iter()
        .find(|n| annotation(annotations, n).is_some())
        .unwrap_or("upstream-hash-by");
        let services: Vec<&String> = services.iter().collect();
        for chunk in services.chunks(MAX_TARGETS) {
            let name = names.claim("UpstreamSettingsPolicy", namespace, &ingress.meta.name);
            let mut spec = vec![(
                "targetRefs",
                seq(chunk
                    .iter()
                    .map(|service| {
                        map(vec![
                            ("group", s("")),
                            ("kind", s("Service")),
                            ("name", s(service)),
                        ])
                    })
                    .collect()),
            )];
            spec.extend(settings.iter().cloned());
            if !shared.is_empty() {
                diagnostics.push(note(ingress, first, format!("UpstreamSettingsPolicy {namespace}/{name} targets Services, so its settings hold wherever they are backends: {}", shared.join(", "))));
            }
            makes.push(make(
                "UpstreamSettingsPolicy",
                name,
                namespace.clone(),
                map(spec),
                &ingress.location,
            ));
        }
    }
    (makes, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::{hash_key, time};

    #[test]
    fn keepalive_times_and_hash_keys() {
        assert_eq!(time("60").as_deref(), Some("60s"));
        assert_eq!(time("1h").as_deref(), Some("1h"));
        assert_eq!(time("500ms").as_deref(), Some("500ms"));
        assert_eq!(time("10000"), None);
        assert_eq!(time("1d"), None);
        assert_eq!(time(""), None);
        assert_eq!(hash_key("$request_uri"), Some("$request_uri"));
        assert_eq!(hash_key("$remote_addr$http_x"), None);
        assert_eq!(hash_key("$http_X"), None);
    }
}
