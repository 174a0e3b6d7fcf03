//! GKE's Gateway controller (`networking.gke.io/v1`, CRDs of GoogleCloudPlatform/gke-gateway-api
//! v1.4.0 pinned in `crds/gke-gateway-api/`): the policy objects both `--emitter gke` and
//! `--provider gce` write. The emitter turns ingress-nginx's cookie affinity into a
//! GCPBackendPolicy `sessionAffinity` (`GENERATED_COOKIE`); the gce provider
//! (`providers/gce.rs`) turns BackendConfigs into GCPBackendPolicies and HealthCheckPolicies and
//! FrontendConfig `sslPolicy` into a GCPGatewayPolicy with the builders of this file. GKE's
//! policies attach to a whole Service (or Gateway), not to a route: a Service's policy applies to
//! every route that sends traffic to it.

use std::collections::BTreeMap;

use super::{annotation, note};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{GATEWAY_GROUP, map, s};
use crate::convert::plan::Route;
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::{Diagnostic, Location};
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

pub const API_VERSION: &str = "networking.gke.io/v1";

/// The GatewayClass of GKE's global external Application Load Balancer: what class `gce`
/// Ingresses had, and the `gke` emitter's default.
pub const GLOBAL_EXTERNAL_CLASS: &str = "gke-l7-global-external-managed";
/// The GatewayClass of GKE's regional internal Application Load Balancer (class `gce-internal`).
pub const REGIONAL_INTERNAL_CLASS: &str = "gke-l7-rilb";

/// The largest `cookieTtlSec` GCPBackendPolicy takes (14 days).
pub const MAX_COOKIE_TTL: i64 = 1_209_600;

/// What a GCPBackendPolicy's `spec.default` sets, in the Go type's field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendDefaults {
    /// `logging`: enabled, and the sample rate in millionths.
    pub logging: Option<(bool, Option<i64>)>,
    /// `sessionAffinity`: its type and, for `GENERATED_COOKIE`, the cookie's lifetime.
    pub affinity: Option<(String, Option<i64>)>,
    /// `connectionDraining.drainingTimeoutSec`.
    pub draining: Option<i64>,
    /// `timeoutSec`: the backend service timeout.
    pub timeout: Option<i64>,
    /// `securityPolicy`: a Cloud Armor policy by name.
    pub security_policy: Option<String>,
}

impl BackendDefaults {
    pub fn is_empty(&self) -> bool {
        *self == BackendDefaults::default()
    }

    fn value(&self) -> Value {
        let int = |n: Option<i64>| n.map_or(Value::Null, Value::Int);
        map(vec![
            (
                "logging",
                self.logging.map_or(Value::Null, |(enabled, rate)| {
                    map(vec![
                        ("enabled", Value::Bool(enabled)),
                        ("sampleRate", int(rate)),
                    ])
                }),
            ),
            (
                "sessionAffinity",
                self.affinity.as_ref().map_or(Value::Null, |(kind, ttl)| {
                    map(vec![("type", s(kind)), ("cookieTtlSec", int(*ttl))])
                }),
            ),
            (
                "connectionDraining",
                self.draining.map_or(Value::Null, |d| {
                    map(vec![("drainingTimeoutSec", Value::Int(d))])
                }),
            ),
            ("timeoutSec", int(self.timeout)),
            (
                "securityPolicy",
                self.security_policy.as_deref().map_or(Value::Null, s),
            ),
        ])
    }
}

/// What a HealthCheckPolicy's `spec.default` sets, in the Go type's field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthCheck {
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub unhealthy: Option<i64>,
    pub healthy: Option<i64>,
    /// `HTTP`, `HTTPS` or `HTTP2`.
    pub protocol: String,
    /// A fixed port; `None`: the serving port of each endpoint.
    pub port: Option<i64>,
    pub request_path: Option<String>,
}

impl HealthCheck {
    fn value(&self) -> Value {
        let int = |n: Option<i64>| n.map_or(Value::Null, Value::Int);
        let field = match self.protocol.as_str() {
            "HTTPS" => "httpsHealthCheck",
            "HTTP2" => "http2HealthCheck",
            _ => "httpHealthCheck",
        };
        let check = map(vec![
            (
                "portSpecification",
                s(if self.port.is_some() {
                    "USE_FIXED_PORT"
                } else {
                    "USE_SERVING_PORT"
                }),
            ),
            ("port", int(self.port)),
            (
                "requestPath",
                self.request_path.as_deref().map_or(Value::Null, s),
            ),
        ]);
        map(vec![
            ("checkIntervalSec", int(self.interval)),
            ("timeoutSec", int(self.timeout)),
            ("unhealthyThreshold", int(self.unhealthy)),
            ("healthyThreshold", int(self.healthy)),
            (
                "config",
                map(vec![("type", s(&self.protocol)), (field, check)]),
            ),
        ])
    }
}

/// `targetRef` naming a Service (core group) or a Gateway.
fn target(kind: &str, name: &str) -> Value {
    let group = if kind == "Service" { "" } else { GATEWAY_GROUP };
    map(vec![
        ("group", s(group)),
        ("kind", s(kind)),
        ("name", s(name)),
    ])
}

/// A GCPBackendPolicy `name` for Service `service`.
pub fn backend_policy(
    name: &str,
    namespace: &str,
    service: &str,
    defaults: &BackendDefaults,
    source: Location,
) -> crate::convert::Emitted {
    let spec = map(vec![
        ("targetRef", target("Service", service)),
        ("default", defaults.value()),
    ]);
    super::object(
        API_VERSION,
        "GCPBackendPolicy",
        name,
        namespace,
        spec,
        source,
    )
}

/// A HealthCheckPolicy `name` for Service `service`.
pub fn health_check_policy(
    name: &str,
    namespace: &str,
    service: &str,
    check: &HealthCheck,
    source: Location,
) -> crate::convert::Emitted {
    let spec = map(vec![
        ("targetRef", target("Service", service)),
        ("default", check.value()),
    ]);
    super::object(
        API_VERSION,
        "HealthCheckPolicy",
        name,
        namespace,
        spec,
        source,
    )
}

/// A GCPGatewayPolicy `name` for Gateway `gateway`: its SSL policy (minimum TLS version and
/// ciphers, a Compute Engine SSL policy by name).
pub fn gateway_policy(
    name: &str,
    namespace: &str,
    gateway: &str,
    ssl_policy: &str,
    source: Location,
) -> crate::convert::Emitted {
    let spec = map(vec![
        ("targetRef", target("Gateway", gateway)),
        ("default", map(vec![("sslPolicy", s(ssl_policy))])),
    ]);
    super::object(
        API_VERSION,
        "GCPGatewayPolicy",
        name,
        namespace,
        spec,
        source,
    )
}

/// `affinity: cookie` as GKE's generated cookie: its lifetime in seconds (`max-age`, else
/// `expires`), `None` without one (a session cookie, as nginx's). `Err` when the lifetime is no
/// number of seconds GCPBackendPolicy takes.
fn cookie_ttl(annotations: &SortedMap<Located>) -> Option<Result<Option<i64>, ()>> {
    if !annotation(annotations, "affinity")?
        .value
        .trim()
        .eq_ignore_ascii_case("cookie")
    {
        return None;
    }
    let lifetime = ["session-cookie-max-age", "session-cookie-expires"]
        .iter()
        .filter_map(|n| annotation(annotations, n))
        .map(|v| v.value.trim())
        .find(|v| !v.is_empty());
    Some(match lifetime {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_COOKIE_TTL).contains(n))
            .map(Some)
            .ok_or(()),
    })
}

/// Whether this emitter translates the annotation `name` (without its prefix).
pub fn translates(annotations: &SortedMap<Located>, name: &str) -> bool {
    match name {
        "affinity" | "session-cookie-max-age" | "session-cookie-expires" => {
            matches!(cookie_ttl(annotations), Some(Ok(_)))
        }
        _ => false,
    }
}

/// Why the protecting annotation `name` is not translated.
pub fn why_not(name: &str) -> &'static str {
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            "cannot translate an IP list: a GCPBackendPolicy names a Cloud Armor security policy (securityPolicy) and holds no addresses; create a Cloud Armor policy with these ranges and name it in the Service's GCPBackendPolicy by hand"
        }
        "auth-type" | "auth-secret" | "auth-secret-type" | "auth-realm" | "auth-url" => {
            "cannot translate it: GKE's Gateway has no basic or external authentication (Identity-Aware Proxy in a GCPBackendPolicy needs an OAuth client you configure by hand)"
        }
        _ => "does not translate it: GKE's Gateway policies have no such setting",
    }
}

/// The GCPBackendPolicies for the cookie affinity of the Ingresses of one part: one per
/// Service, named after it. Two Ingresses asking one Service for other lifetimes, or one
/// without affinity sharing it, are warned: the policy is the Service's, not the route's.
pub fn emit(
    ingresses: &[Ingress],
    _routes: &mut [Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // (namespace, service) → (lifetime, the Ingress that asked first)
    let mut wanted: BTreeMap<(String, String), (Option<i64>, usize)> = BTreeMap::new();
    let mut asking = Vec::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary || !ingress.nginx_annotated {
            continue;
        }
        let Some(ttl) = cookie_ttl(&ingress.meta.annotations) else {
            continue;
        };
        let Ok(ttl) = ttl else {
            diagnostics.push(note(ingress, "session-cookie-max-age", format!("annotation {PREFIX}affinity is not translated: the cookie's lifetime (session-cookie-max-age or -expires) is no number of seconds from 0 to {MAX_COOKIE_TTL}, the range of a GCPBackendPolicy's cookieTtlSec")));
            continue;
        };
        asking.push(id);
        for service in ingress.services() {
            let key = (ingress.meta.namespace.clone(), service.to_string());
            match wanted.get(&key) {
                Some((first_ttl, first)) if *first_ttl != ttl => {
                    let other = ingresses.get(*first).map(Ingress::reference);
                    diagnostics.push(note(ingress, "affinity", format!("annotation {PREFIX}affinity: Service {service} already gets a cookie lifetime of {} from {}; a GCPBackendPolicy applies to the whole Service, so that one is kept", first_ttl.map_or("none (a session cookie)".to_string(), |t| format!("{t}s")), other.map_or_else(String::new, |o| o.to_string()))));
                }
                Some(_) => {}
                None => {
                    wanted.insert(key, (ttl, id));
                }
            }
        }
    }
    // Policies are named after their Service: another name means the GKE Ingress conversion
    // (`providers/gce.rs`) already wrote one from the Service's BackendConfig, and GKE applies
    // one GCPBackendPolicy per Service.
    let mut kept: BTreeMap<(String, String), (Option<i64>, usize, String)> = BTreeMap::new();
    for ((namespace, service), (ttl, id)) in wanted {
        let Some(ingress) = ingresses.get(id) else {
            continue;
        };
        let name = names.claim("GCPBackendPolicy", &namespace, &service);
        if name == service {
            kept.insert((namespace, service), (ttl, id, name));
        } else {
            diagnostics.push(note(ingress, "affinity", format!("annotation {PREFIX}affinity is not translated for Service {service}: it already gets GCPBackendPolicy {namespace}/{service} from its BackendConfig (a GKE Ingress routes to it), and GKE applies one policy per Service; set its sessionAffinity there by hand")));
        }
    }
    for id in asking {
        let Some(ingress) = ingresses.get(id) else {
            continue;
        };
        let namespace = &ingress.meta.namespace;
        if ingress
            .services()
            .into_iter()
            .any(|s| kept.contains_key(&(namespace.clone(), s.to_string())))
        {
            diagnostics.push(note(ingress, "affinity", format!("annotation {PREFIX}affinity is translated as a GCPBackendPolicy sessionAffinity GENERATED_COOKIE per Service: the load balancer names its cookie GCLB (session-cookie-name and the cookie's path and attributes are not kept), and the affinity applies to every route to the Service")));
        }
    }
    // A Service with affinity that an Ingress without it also routes to.
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary
            || (ingress.nginx_annotated && cookie_ttl(&ingress.meta.annotations).is_some())
        {
            continue;
        }
        for service in ingress.services() {
            let key = (ingress.meta.namespace.clone(), service.to_string());
            if let Some((_, first, _)) = kept.get(&key).filter(|(_, f, _)| *f != id) {
                let other = ingresses.get(*first).map(Ingress::reference);
                diagnostics.push(
                    Diagnostic::warning(
                        Some(ingress.at(0)),
                        format!("routes to Service {service}, whose GCPBackendPolicy (from the cookie affinity of {}) gives its requests session affinity too: GKE's policies apply to the whole Service", other.map_or_else(String::new, |o| o.to_string())),
                    )
                    .about(&ingress.reference()),
                );
            }
        }
    }
    let mut makes: Vec<Make> = Vec::new();
    for ((namespace, service), (ttl, id, name)) in kept {
        let Some(source) = ingresses.get(id).map(|i| i.location.clone()) else {
            continue;
        };
        let defaults = BackendDefaults {
            affinity: Some(("GENERATED_COOKIE".to_string(), ttl)),
            ..BackendDefaults::default()
        };
        makes.push(Box::new(move || {
            backend_policy(&name, &namespace, &service, &defaults, source)
        }));
    }
    (makes, diagnostics)
}
