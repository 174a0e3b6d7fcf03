//! GKE Ingress (`k8s.io/ingress-gce`) moved to GKE's Gateway: classes `gce` and
//! `gce-internal` (and no class) become the GatewayClasses `gke-l7-global-external-managed` and
//! `gke-l7-rilb`; ImplementationSpecific paths are GCE URL map paths (`/*`, `/p/*`, else
//! exact); the static IP annotations become the Gateway's `NamedAddress`; the FrontendConfig
//! an Ingress names (`networking.gke.io/v1beta1`) gives the HTTP→HTTPS redirect and the
//! Gateway's GCPGatewayPolicy `sslPolicy`; the BackendConfig a Service names
//! (`cloud.google.com/v1`, annotation `cloud.google.com/backend-config`) becomes a
//! GCPBackendPolicy and a HealthCheckPolicy per Service, written by the builders of
//! `emitters/gke.rs`. GKE Ingress serves plain HTTP beside HTTPS unless the FrontendConfig
//! redirects or `kubernetes.io/ingress.allow-http: "false"` turns it off.

use std::collections::BTreeMap;

use super::{Effect, Finding, OnHttp, Plan, Provider, Sides};
use crate::convert::emitters::gke::{self, BackendDefaults, HealthCheck};
use crate::convert::ingress::{Backend, Ingress, Service, ServicePort};
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::plan::{GatewayPlan, PathMatch, PathType, Redirect, RouteKind};
use crate::diag::{Diagnostic, Location};
use crate::source::Document;
use crate::source::tree::{Node, Value};

/// The Ingress annotation naming a FrontendConfig.
pub const FRONTEND_CONFIG: &str = "networking.gke.io/v1beta1.FrontendConfig";
pub const GLOBAL_STATIC_IP: &str = "kubernetes.io/ingress.global-static-ip-name";
pub const REGIONAL_STATIC_IP: &str = "kubernetes.io/ingress.regional-static-ip-name";
pub const ALLOW_HTTP: &str = "kubernetes.io/ingress.allow-http";
const PRE_SHARED_CERT: &str = "ingress.gcp.kubernetes.io/pre-shared-cert";
/// The same, as some manifests spell it (GKE reads only the key above).
const PRE_SHARED_CERT_GKE: &str = "networking.gke.io/pre-shared-cert";
const MANAGED_CERTIFICATES: &str = "networking.gke.io/managed-certificates";
/// The Service annotations naming BackendConfigs; GKE reads the first it finds.
const BACKEND_CONFIG: [&str; 2] = [
    "cloud.google.com/backend-config",
    "beta.cloud.google.com/backend-config",
];

/// Is `key` an annotation of GKE Ingress lsc translates?
pub fn translates(key: &str) -> bool {
    matches!(
        key,
        FRONTEND_CONFIG | GLOBAL_STATIC_IP | REGIONAL_STATIC_IP | ALLOW_HTTP
    )
}

/// A FrontendConfig or BackendConfig of the inputs: where it is and its `spec`.
#[derive(Debug, Clone)]
pub struct Config {
    pub location: Location,
    pub spec: Option<Node>,
}

/// A Service's backend-config annotation: its value, where it is, the Service's ports
/// (name, number), to match `ports` keys given by name or number, and where the Service is
/// defined (to keep only its last definition's).
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub key: &'static str,
    pub value: String,
    pub location: Location,
    pub ports: Vec<(String, i64)>,
    pub definition: Location,
}

/// GKE's objects among the inputs, by (namespace, name); the last definition wins.
#[derive(Debug, Clone, Default)]
pub struct Configs {
    /// The Services whose definition names a BackendConfig; [`Configs::keep_last_services`]
    /// keeps those of their last definitions.
    pub services: BTreeMap<(String, String), ServiceConfig>,
    pub backend_configs: BTreeMap<(String, String), Config>,
    pub frontend_configs: BTreeMap<(String, String), Config>,
}

fn identity(doc: &Document, default_namespace: &str) -> Option<(String, String)> {
    let meta = doc.root.get_value("metadata")?;
    let name = meta.str_at(&["name"])?;
    let namespace = meta
        .str_at(&["namespace"])
        .filter(|ns| !ns.is_empty())
        .unwrap_or(default_namespace);
    Some((namespace.to_string(), name.to_string()))
}

impl Configs {
    pub fn extend(&mut self, other: Configs) {
        self.services.extend(other.services);
        self.backend_configs.extend(other.backend_configs);
        self.frontend_configs.extend(other.frontend_configs);
    }

    /// Records a BackendConfig or FrontendConfig document; false for another kind.
    pub fn read(
        &mut self,
        group: &str,
        kind: &str,
        doc: &Document,
        default_namespace: &str,
    ) -> bool {
        let configs = match (group, kind) {
            ("cloud.google.com", "BackendConfig") => &mut self.backend_configs,
            ("networking.gke.io", "FrontendConfig") => &mut self.frontend_configs,
            _ => return false,
        };
        if let Some(id) = identity(doc, default_namespace) {
            configs.insert(
                id,
                Config {
                    location: doc.location.clone(),
                    spec: doc.root.get_value("spec").cloned(),
                },
            );
        }
        true
    }

    /// Records a Service's backend-config annotation. Most Services have none, and cost
    /// nothing here: that a later definition of a Service names none is found once every
    /// input is read ([`Configs::keep_last_services`]).
    pub fn read_service(&mut self, doc: &Document, default_namespace: &str) {
        let annotations = doc
            .root
            .get_value("metadata")
            .and_then(|m| m.as_map()?.get_value("annotations"));
        let found = BACKEND_CONFIG.iter().find_map(|key| {
            let entry = annotations?.as_map()?.get(key)?;
            Some((
                *key,
                entry.value.value.as_str()?.to_string(),
                entry.key_line,
            ))
        });
        let Some((key, value, line)) = found else {
            return;
        };
        let Some(id) = identity(doc, default_namespace) else {
            return;
        };
        let config = {
            let ports = match doc
                .root
                .get_value("spec")
                .and_then(|s| s.path(&["ports"]))
                .map(|n| &n.value)
            {
                Some(Value::Seq(items)) => items
                    .iter()
                    .filter_map(|item| {
                        let name = item.str_at(&["name"]).unwrap_or_default().to_string();
                        match item.path(&["port"]).map(|n| &n.value) {
                            Some(Value::Int(number)) => Some((name, *number)),
                            _ => None,
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            ServiceConfig {
                key,
                value,
                location: doc.location.at_line(line),
                ports,
                definition: doc.location.clone(),
            }
        };
        self.services.insert(id, config);
    }

    /// Keeps the backend-config annotations of the Services' last definitions (`services`,
    /// as `model::duplicates::keep_last` left them): one a later definition replaced without
    /// the annotation no longer applies, as with `kubectl apply`.
    pub fn keep_last_services(&mut self, services: &[Service]) {
        if self.services.is_empty() {
            return;
        }
        let last: foldhash::HashMap<(&str, &str), &Location> = services
            .iter()
            .map(|s| ((s.namespace.as_str(), s.name.as_str()), &s.location))
            .collect();
        self.services.retain(|(namespace, name), config| {
            last.get(&(namespace.as_str(), name.as_str()))
                .is_some_and(|at| **at == config.definition)
        });
    }
}

/// The GatewayClass of a GKE Ingress's class (`gce-internal`: the regional internal load
/// balancer; `gce`, none or another class its IngressClass gives GKE: the global external one).
pub fn gateway_class(class: &str) -> &'static str {
    if class == "gce-internal" {
        gke::REGIONAL_INTERNAL_CLASS
    } else {
        gke::GLOBAL_EXTERNAL_CLASS
    }
}

/// The static IP address an Ingress names for its load balancer, and the annotation's line:
/// the global one for an external class, the regional one for `gce-internal`.
pub fn static_address(ingress: &Ingress) -> Option<(String, u32)> {
    let key = if ingress.class == "gce-internal" {
        REGIONAL_STATIC_IP
    } else {
        GLOBAL_STATIC_IP
    };
    let located = ingress.meta.annotations.get(key)?;
    let value = located.value.trim();
    (!value.is_empty()).then(|| (value.to_string(), located.line))
}

fn frontend_config<'o>(ingress: &Ingress, configs: &'o Configs) -> Option<(&'o Config, u32)> {
    let located = ingress.meta.annotations.get(FRONTEND_CONFIG)?;
    let config = configs.frontend_configs.get(&(
        ingress.meta.namespace.clone(),
        located.value.trim().to_string(),
    ))?;
    Some((config, located.line))
}

/// What each GKE Ingress annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress, objects: &super::Objects) -> Vec<Finding> {
    let external = ingress.class != "gce-internal";
    let mut findings = Vec::new();
    for (key, located) in ingress.meta.annotations.iter() {
        if !Provider::Gce.reads(key) {
            continue;
        }
        let value = located.value.trim();
        let effect = match key.as_str() {
            GLOBAL_STATIC_IP if external => Effect::Translated,
            REGIONAL_STATIC_IP if !external => Effect::Translated,
            GLOBAL_STATIC_IP | REGIONAL_STATIC_IP => Effect::Warned(format!(
                "annotation {key} is not translated: the Ingress's class {:?} has {} load balancer, which takes {} address; name the address in the Gateway's spec.addresses by hand",
                ingress.class,
                if external {
                    "a global external"
                } else {
                    "a regional internal"
                },
                if external { "a global" } else { "a regional" },
            )),
            FRONTEND_CONFIG => {
                if frontend_config(ingress, &objects.gce).is_some() {
                    Effect::Translated
                } else {
                    Effect::Warned(format!(
                        "annotation {key}: FrontendConfig {}/{value} is not among the inputs, so its redirectToHttps and sslPolicy are not translated; add it to the inputs",
                        ingress.meta.namespace
                    ))
                }
            }
            ALLOW_HTTP => match crate::golang::strconv::parse_bool(value) {
                Some(_) => Effect::Translated,
                None => Effect::Warned(format!(
                    "annotation {key} ({value:?}) is not a boolean, which GKE reads as true (plain HTTP served); so does the conversion"
                )),
            },
            PRE_SHARED_CERT | PRE_SHARED_CERT_GKE => Effect::Warned(format!(
                "annotation {key} ({value:?}) is not translated: the Gateway's HTTPS listeners serve the Secrets of spec.tls (cert-manager's Certificates); to keep serving the pre-shared certificates, give the listeners tls.options networking.gke.io/pre-shared-certs: {value:?} by hand"
            )),
            MANAGED_CERTIFICATES => Effect::Warned(format!(
                "annotation {key} ({value:?}) is not translated: Google-managed certificates (ManagedCertificate) serve Ingresses only; a GKE Gateway takes a Certificate Manager map (annotation networking.gke.io/certmap) or the Secrets of spec.tls, which cert-manager issues"
            )),
            _ => Effect::Warned(format!(
                "annotation {key} of GKE Ingress is not translated to GKE's Gateway; configure its behaviour on the Gateway or its policies by hand"
            )),
        };
        findings.push(Finding::new(key, located.line, effect));
    }
    findings
}

/// ImplementationSpecific paths as GCE URL maps read them, then where plain HTTP is served.
pub fn plan(plan: &mut Plan<'_, '_>) {
    if !plan.ingresses.iter().any(|i| i.provider.0 == Provider::Gce) {
        return;
    }
    paths(plan);
    listeners(plan);
}

/// ImplementationSpecific paths of GKE Ingresses: `/*` matches everything (PathPrefix `/`),
/// `/p/*` everything below `/p/` (PathPrefix `/p`, which matches `/p` itself too: warned),
/// any other path exactly that path. A `*` anywhere else is refused, as GKE refuses it.
fn paths(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let mut diagnostics = Vec::new();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http {
            continue;
        }
        for rule in &mut route.rules {
            let Some(ingress) = super::governing(rule, ingresses, Provider::Gce) else {
                continue;
            };
            let Some(line) = rule.backends.first().map(|b| b.line) else {
                continue;
            };
            let Some(path) = ingress
                .rules
                .iter()
                .flat_map(|r| &r.paths)
                .find(|p| p.line == line)
            else {
                continue;
            };
            if path.path_type.as_deref() != Some("ImplementationSpecific") {
                continue;
            }
            let written = path.path.as_str();
            let matched = if written == "/*" || written.is_empty() {
                PathMatch {
                    kind: PathType::PathPrefix,
                    value: "/".to_string(),
                }
            } else if let Some(prefix) = written.strip_suffix("/*").filter(|p| !p.contains('*')) {
                diagnostics.push(
                    Diagnostic::warning(
                        Some(ingress.at(line)),
                        format!("path {written:?} becomes PathPrefix {prefix:?}, which also matches {prefix:?} itself; GKE Ingress matched only the paths below \"{prefix}/\""),
                    )
                    .about(&ingress.reference()),
                );
                PathMatch {
                    kind: PathType::PathPrefix,
                    value: prefix.to_string(),
                }
            } else if written.contains('*') {
                diagnostics.push(
                    Diagnostic::error(
                        Some(ingress.at(line)),
                        format!("path {written:?}: GKE Ingress takes \"*\" only as the last character after a \"/\" (\"/*\", \"/p/*\"), and so does the conversion"),
                    )
                    .about(&ingress.reference()),
                );
                continue;
            } else {
                PathMatch {
                    kind: PathType::Exact,
                    value: written.to_string(),
                }
            };
            for m in &mut rule.matches {
                if m.path.is_some() {
                    m.path = Some(matched.clone());
                }
            }
        }
    }
    for d in diagnostics {
        plan.report(d);
    }
}

/// The redirect a FrontendConfig's `redirectToHttps` asks for: `Ok(None)` when off, `Err`
/// with a message for a response code GKE does not know.
fn redirect(config: &Config) -> Result<Option<(i64, u32)>, (String, u32)> {
    let Some(node) = config
        .spec
        .as_ref()
        .and_then(|s| s.path(&["redirectToHttps"]))
    else {
        return Ok(None);
    };
    let enabled = matches!(
        node.path(&["enabled"]).map(|n| &n.value),
        Some(Value::Bool(true))
    );
    if !enabled {
        return Ok(None);
    }
    let code = node.path(&["responseCodeName"]);
    let status = match code.and_then(|n| n.value.as_str()) {
        None | Some("MOVED_PERMANENTLY_DEFAULT") => 301,
        Some("FOUND") => 302,
        Some("SEE_OTHER") => 303,
        Some("TEMPORARY_REDIRECT") => 307,
        Some("PERMANENT_REDIRECT") => 308,
        Some(other) => {
            return Err((
                format!(
                    "FrontendConfig redirectToHttps.responseCodeName {other:?} is none of MOVED_PERMANENTLY_DEFAULT, FOUND, SEE_OTHER, TEMPORARY_REDIRECT, PERMANENT_REDIRECT"
                ),
                code.map_or(node.line, |n| n.line),
            ));
        }
    };
    Ok(Some((status, node.line)))
}

/// Where each GKE Ingress's rules are served: both listeners (GKE's default), plain HTTP
/// redirected to HTTPS (FrontendConfig `redirectToHttps`), or HTTPS only
/// (`allow-http: "false"`). A host without TLS has no HTTPS listener: warned, served as is.
fn listeners(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let objects = plan.objects;
    let mut diagnostics = Vec::new();
    let https = plan.https_hosts();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || !route.unsplit() {
            continue;
        }
        let has_https = https.serve(route);
        for rule in &mut route.rules {
            let Some(ingress) = super::governing(rule, ingresses, Provider::Gce) else {
                continue;
            };
            let off = ingress
                .meta
                .annotations
                .get(ALLOW_HTTP)
                .filter(|a| crate::golang::strconv::parse_bool(a.value.trim()) == Some(false));
            let redirected = match frontend_config(ingress, &objects.gce) {
                Some((config, at)) => match redirect(config) {
                    Ok(found) => {
                        found.map(|(status, line)| (status, config.location.at_line(line)))
                    }
                    Err((message, line)) => {
                        let d = Diagnostic::warning(
                            Some(config.location.at_line(line)),
                            format!(
                                "{message}; GKE refuses it, so no redirect is written for {} (annotation at line {at})",
                                ingress.reference()
                            ),
                        );
                        if !diagnostics.contains(&d) {
                            diagnostics.push(d);
                        }
                        None
                    }
                },
                None => None,
            };
            let what = match (&off, &redirected) {
                (Some(a), _) => (OnHttp::Off, ingress.at(a.line), ALLOW_HTTP.to_string()),
                (None, Some((status, at))) => (
                    OnHttp::Redirect(Redirect {
                        scheme: Some("https".to_string()),
                        status: Some(*status),
                        ..Redirect::default()
                    }),
                    at.clone(),
                    format!(
                        "FrontendConfig {}/{} redirectToHttps",
                        ingress.meta.namespace,
                        ingress
                            .annotation(FRONTEND_CONFIG)
                            .unwrap_or_default()
                            .trim()
                    ),
                ),
                (None, None) => continue,
            };
            let (http, at, name) = what;
            if !has_https {
                let host = if route.host.is_empty() {
                    "its rules without a host".to_string()
                } else {
                    format!("host {:?}", route.host)
                };
                let d = Diagnostic::warning(
                    Some(at),
                    format!("{name} is not translated for {host}: no spec.tls entry gives it a Secret, so the Gateway has no HTTPS listener; the routes serve plain HTTP"),
                )
                .about(&ingress.reference());
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
                continue;
            }
            rule.sides = Some(Box::new(Sides { http, https: true }));
        }
    }
    for d in diagnostics {
        plan.report(d);
    }
}

/// The Services an Ingress routes to, with the ports it names, in order.
fn routed(ingress: &Ingress) -> Vec<(&str, &ServicePort)> {
    let mut out: Vec<(&str, &ServicePort)> = Vec::new();
    for backend in ingress.backends() {
        if let Backend::Service { name, port } = backend {
            if !out.contains(&(name.as_str(), port)) {
                out.push((name, port));
            }
        }
    }
    out
}

/// The BackendConfig name a Service's annotation gives one of its ports: `ports` by the
/// port's number or name, else `default`. `Err` when the annotation is not GKE's JSON.
fn config_for_port(service: &ServiceConfig, port: &ServicePort) -> Result<Option<String>, String> {
    let parsed: serde_json::Value = serde_json::from_str(&service.value)
        .map_err(|e| format!("annotation {} is not JSON: {e}", service.key))?;
    let object = parsed
        .as_object()
        .ok_or_else(|| format!("annotation {} is not a JSON object", service.key))?;
    for key in object.keys() {
        if key != "default" && key != "ports" {
            return Err(format!(
                "annotation {}: unknown key {key:?} (GKE reads \"default\" and \"ports\")",
                service.key
            ));
        }
    }
    let (number, name) = match port {
        ServicePort::Number(n) => (
            Some(*n),
            service
                .ports
                .iter()
                .find(|(_, p)| p == n)
                .map(|(name, _)| name.clone()),
        ),
        ServicePort::Name(name) => (
            service
                .ports
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| *p),
            Some(name.clone()),
        ),
    };
    if let Some(ports) = object.get("ports") {
        let ports = ports
            .as_object()
            .ok_or_else(|| format!("annotation {}: \"ports\" is not a JSON object", service.key))?;
        let by_number = number.and_then(|n| ports.get(&n.to_string()));
        let by_name = name
            .as_deref()
            .filter(|n| !n.is_empty())
            .and_then(|n| ports.get(n));
        if let Some(found) = by_number.or(by_name) {
            return found.as_str().map(|s| Some(s.to_string())).ok_or_else(|| {
                format!(
                    "annotation {}: a port's BackendConfig is not a string",
                    service.key
                )
            });
        }
    }
    match object.get("default") {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| format!("annotation {}: \"default\" is not a string", service.key)),
    }
}

/// A BackendConfig read into what GKE's Gateway policies say, with what they cannot.
struct Translated {
    defaults: BackendDefaults,
    health: Option<HealthCheck>,
    diagnostics: Vec<Diagnostic>,
}

fn int_at(node: &Node, key: &str) -> Option<(i64, u32)> {
    let n = node.path(&[key])?;
    match n.value {
        Value::Int(v) => Some((v, n.line)),
        _ => None,
    }
}

/// BackendConfig `spec` (`cloud.google.com/v1`, ingress-gce's `BackendConfigSpec`) into a
/// GCPBackendPolicy's and a HealthCheckPolicy's `default`.
fn translate(name: &str, config: &Config) -> Translated {
    let mut out = Translated {
        defaults: BackendDefaults::default(),
        health: None,
        diagnostics: Vec::new(),
    };
    let Some(spec) = config.spec.as_ref().and_then(Node::as_map) else {
        return out;
    };
    let at = |line: u32| Some(config.location.at_line(line));
    for entry in &spec.entries {
        let node = &entry.value;
        let line = entry.key_line;
        let field = entry.key.as_str();
        match field {
            "timeoutSec" => match node.value {
                Value::Int(v) if v >= 1 => out.defaults.timeout = Some(v),
                _ => out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} timeoutSec is not a positive number of seconds; not translated"))),
            },
            "connectionDraining" => {
                if let Some((v, _)) = int_at(node, "drainingTimeoutSec") {
                    out.defaults.draining = Some(v);
                }
            }
            "sessionAffinity" => {
                let kind = node.str_at(&["affinityType"]).unwrap_or("NONE");
                let ttl = int_at(node, "affinityCookieTtlSec");
                if kind != "GENERATED_COOKIE" && ttl.is_some() {
                    out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} sessionAffinity.affinityCookieTtlSec applies to GENERATED_COOKIE only; with {kind} it is dropped, as GKE ignores it")));
                }
                out.defaults.affinity = Some((
                    kind.to_string(),
                    ttl.filter(|_| kind == "GENERATED_COOKIE").map(|(v, _)| v),
                ));
            }
            "securityPolicy" => {
                if let Some(policy) = node.str_at(&["name"]).filter(|p| !p.is_empty()) {
                    out.defaults.security_policy = Some(policy.to_string());
                }
            }
            "logging" => {
                let enabled = matches!(node.path(&["enable"]).map(|n| &n.value), Some(Value::Bool(true)));
                let rate = node.path(&["sampleRate"]).and_then(|n| match &n.value {
                    Value::Float(f) => f.parse::<f64>().ok(),
                    Value::Int(i) => Some(*i as f64),
                    _ => None,
                });
                if rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
                    out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} logging.sampleRate is not between 0 and 1; not translated (the load balancer logs every request)")));
                }
                // GKE's Gateway counts the sample rate in millionths.
                let rate = rate
                    .filter(|r| (0.0..=1.0).contains(r))
                    .map(|r| (r * 1_000_000.0).round() as i64);
                out.defaults.logging = Some((enabled, rate));
            }
            "healthCheck" => {
                let protocol = node.str_at(&["type"]).unwrap_or("HTTP");
                if !matches!(protocol, "HTTP" | "HTTPS" | "HTTP2") {
                    out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} healthCheck.type {protocol:?} is none of HTTP, HTTPS, HTTP2; no HealthCheckPolicy is written")));
                    continue;
                }
                out.health = Some(HealthCheck {
                    interval: int_at(node, "checkIntervalSec").map(|(v, _)| v),
                    timeout: int_at(node, "timeoutSec").map(|(v, _)| v),
                    unhealthy: int_at(node, "unhealthyThreshold").map(|(v, _)| v),
                    healthy: int_at(node, "healthyThreshold").map(|(v, _)| v),
                    protocol: protocol.to_string(),
                    port: int_at(node, "port").map(|(v, _)| v),
                    request_path: node.str_at(&["requestPath"]).map(str::to_string),
                });
            }
            "iap" => {
                let enabled = matches!(node.path(&["enabled"]).map(|n| &n.value), Some(Value::Bool(true)));
                if enabled {
                    out.diagnostics.push(Diagnostic::error(at(line), format!("BackendConfig {name} enables Identity-Aware Proxy, which guards the Service's routes: a GCPBackendPolicy's iap needs the OAuth client ID (clientID), which sits in the Secret the BackendConfig names and lsc does not read; write the Service's GCPBackendPolicy iap (enabled, clientID, oauth2ClientSecret) by hand and leave iap out of the BackendConfig given to lsc")));
                }
            }
            "cdn" => {
                let enabled = matches!(node.path(&["enabled"]).map(|n| &n.value), Some(Value::Bool(true)));
                if enabled {
                    out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} cdn is not translated: GKE's Gateway policies (v1.4.0 CRDs) have no Cloud CDN setting; enable Cloud CDN on the backend service by hand")));
                }
            }
            _ => out.diagnostics.push(Diagnostic::warning(at(line), format!("BackendConfig {name} {field} is not translated: GKE's Gateway policies have no such setting (customRequestHeaders and customResponseHeaders can be written as the routes' header filters by hand)"))),
        }
    }
    out
}

/// The GKE policies of the converted GKE Ingresses of one part: a GCPBackendPolicy and a
/// HealthCheckPolicy per Service whose BackendConfig asks for them, named after the Service,
/// and a GCPGatewayPolicy per Gateway whose Ingresses' FrontendConfigs name an SSL policy,
/// named after the Gateway.
pub fn policies(
    ingresses: &[Ingress],
    gateway_of: &[Option<usize>],
    gateways: &[GatewayPlan],
    configs: &Configs,
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let mut makes: Vec<Make> = Vec::new();
    let mut diagnostics = Vec::new();
    // (namespace, service) → (BackendConfig, the Ingress that routes there first)
    let mut backend: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    // gateway → (SSL policy, Ingress)
    let mut ssl: BTreeMap<usize, (String, usize)> = BTreeMap::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.provider.0 != Provider::Gce {
            continue;
        }
        let Some(g) = gateway_of.get(id).copied().flatten() else {
            continue;
        };
        let namespace = &ingress.meta.namespace;
        for (service, port) in routed(ingress) {
            let key = (namespace.clone(), service.to_string());
            let Some(annotated) = configs.services.get(&key) else {
                continue;
            };
            let wanted = match config_for_port(annotated, port) {
                Ok(Some(name)) => name,
                Ok(None) => continue,
                Err(message) => {
                    push_once(
                        &mut diagnostics,
                        Diagnostic::error(
                            Some(annotated.location.clone()),
                            format!(
                                "Service {namespace}/{service}: {message}; GKE Ingress refuses it, and lsc cannot tell which BackendConfig applies"
                            ),
                        ),
                    );
                    continue;
                }
            };
            match backend.get(&key) {
                Some((first, _)) if *first != wanted => push_once(
                    &mut diagnostics,
                    Diagnostic::error(
                        Some(annotated.location.clone()),
                        format!(
                            "Service {namespace}/{service}: its ports routed by the Ingresses have different BackendConfigs ({first}, {wanted}); GKE's Gateway policies apply to a whole Service, so give the ports one BackendConfig or split the Service into one per port"
                        ),
                    ),
                ),
                Some(_) => {}
                None => {
                    backend.insert(key, (wanted, id));
                }
            }
        }
        if let Some((config, _)) = frontend_config(ingress, configs) {
            let policy = config
                .spec
                .as_ref()
                .and_then(|s| s.str_at(&["sslPolicy"]))
                .filter(|p| !p.is_empty());
            if let Some(policy) = policy {
                match ssl.get(&g) {
                    Some((first, other)) if first != policy => {
                        let other = ingresses.get(*other).map(Ingress::reference);
                        diagnostics.push(
                            Diagnostic::error(
                                Some(ingress.at(0)),
                                format!("its FrontendConfig names SSL policy {policy:?} and {}'s names {first:?}, on the same Gateway; a GCPGatewayPolicy gives one SSL policy to the whole Gateway (ingress2gateway keeps either): give them one SSL policy, or other classes or --gateway to put them on different Gateways", other.map_or_else(String::new, |o| o.to_string())),
                            )
                            .about(&ingress.reference()),
                        );
                    }
                    Some(_) => {}
                    None => {
                        ssl.insert(g, (policy.to_string(), id));
                    }
                }
            }
        }
    }
    for ((namespace, service), (config_name, _)) in backend {
        let Some(config) = configs
            .backend_configs
            .get(&(namespace.clone(), config_name.clone()))
        else {
            let at = configs
                .services
                .get(&(namespace.clone(), service.clone()))
                .map(|s| s.location.clone());
            push_once(
                &mut diagnostics,
                Diagnostic::error(
                    at,
                    format!(
                        "Service {namespace}/{service} names BackendConfig {config_name}, which is not among the inputs: its settings (a Cloud Armor securityPolicy, Identity-Aware Proxy, health check, …) may protect or keep the Service up; add it to the inputs so they are translated"
                    ),
                ),
            );
            continue;
        };
        let translated = translate(&format!("{namespace}/{config_name}"), config);
        for d in translated.diagnostics {
            push_once(&mut diagnostics, d);
        }
        let source = config.location.clone();
        if !translated.defaults.is_empty() {
            let name = names.claim("GCPBackendPolicy", &namespace, &service);
            let (ns, svc, at) = (namespace.clone(), service.clone(), source.clone());
            let defaults = translated.defaults;
            makes.push(Box::new(move || {
                gke::backend_policy(&name, &ns, &svc, &defaults, at)
            }));
        }
        if let Some(check) = translated.health {
            let name = names.claim("HealthCheckPolicy", &namespace, &service);
            let (ns, svc) = (namespace.clone(), service.clone());
            makes.push(Box::new(move || {
                gke::health_check_policy(&name, &ns, &svc, &check, source)
            }));
        }
    }
    for (g, (policy, id)) in ssl {
        let (Some(gateway), Some(ingress)) = (gateways.get(g), ingresses.get(id)) else {
            continue;
        };
        let name = names.claim("GCPGatewayPolicy", &gateway.namespace, &gateway.name);
        let (ns, gw, source) = (
            gateway.namespace.clone(),
            gateway.name.clone(),
            ingress.location.clone(),
        );
        makes.push(Box::new(move || {
            gke::gateway_policy(&name, &ns, &gw, &policy, source)
        }));
    }
    (makes, diagnostics)
}

fn push_once(diagnostics: &mut Vec<Diagnostic>, d: Diagnostic) {
    if !diagnostics.contains(&d) {
        diagnostics.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(value: &str) -> ServiceConfig {
        ServiceConfig {
            key: BACKEND_CONFIG[0],
            value: value.to_string(),
            location: Location {
                file: "s.yaml".into(),
                document: 1,
                line: 1,
            },
            ports: vec![("http".to_string(), 80), ("admin".to_string(), 8081)],
            definition: Location {
                file: "s.yaml".into(),
                document: 1,
                line: 1,
            },
        }
    }

    #[test]
    fn a_port_takes_its_own_backend_config_by_number_or_name_else_the_default() {
        let s = service(r#"{"default": "d", "ports": {"80": "by-number", "admin": "by-name"}}"#);
        let port = |p: ServicePort| config_for_port(&s, &p);
        assert_eq!(
            port(ServicePort::Name("http".into())),
            Ok(Some("by-number".into()))
        );
        assert_eq!(port(ServicePort::Number(8081)), Ok(Some("by-name".into())));
        assert_eq!(port(ServicePort::Number(9090)), Ok(Some("d".into())));
        let none = service(r#"{"ports": {"80": "a"}}"#);
        assert_eq!(config_for_port(&none, &ServicePort::Number(8081)), Ok(None));
    }

    #[test]
    fn a_backend_config_annotation_that_is_not_gke_json_is_refused() {
        for bad in [
            r#"default: x"#,
            r#"["x"]"#,
            r#"{"defaults": "x"}"#,
            r#"{"default": 1}"#,
            r#"{"ports": "x"}"#,
        ] {
            assert!(
                config_for_port(&service(bad), &ServicePort::Number(80)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn gke_classes_stand_for_the_ingress_classes() {
        assert_eq!(gateway_class("gce"), gke::GLOBAL_EXTERNAL_CLASS);
        assert_eq!(gateway_class(""), gke::GLOBAL_EXTERNAL_CLASS);
        assert_eq!(gateway_class("gce-internal"), gke::REGIONAL_INTERNAL_CLASS);
        assert!(translates(GLOBAL_STATIC_IP) && translates(FRONTEND_CONFIG));
        assert!(!translates(PRE_SHARED_CERT) && !translates(MANAGED_CERTIFICATES));
    }
}
