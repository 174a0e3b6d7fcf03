//! Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`, CRDs of v1.9.0 pinned in
//! `crds/envoy-gateway/`): ingress-nginx's IP lists, basic and external authentication as a
//! SecurityPolicy; `proxy-body-size`, the per-client request rates and the load balancing
//! (session affinity, `upstream-hash-by`, `load-balance`), retries and timeouts as a
//! BackendTrafficPolicy (`traffic.rs`); client certificates and TLS settings as a
//! ClientTrafficPolicy on the Ingress's HTTPS listeners (`client.rs`); one of each per Ingress
//! that needs it. A policy targets every route serving the Ingress's paths:
//! the whole route when all the paths it serves are the Ingress's, else the Ingress's rules by
//! name, so a policy never covers another Ingress's paths (ingress2gateway targets positional
//! `rule-N` names and only the HTTPS route).

mod client;
mod traffic;

pub use client::listener_policies;

use super::{annotation, basic_auth, body_size, cidrs, note, primary, rate};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{GATEWAY_GROUP, map, non_empty, s, seq};
use crate::convert::plan::{IngressId, Route, RouteKind, Rule};
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

pub const API_VERSION: &str = "gateway.envoyproxy.io/v1alpha1";

/// An external authentication service ingress-nginx calls at `auth-url`, reachable in the
/// cluster as a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AuthService {
    /// Empty: the Ingress's namespace.
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) port: i64,
    pub(super) path: String,
}

/// `auth-url` as a Service of the cluster: `http://NAME[.NAMESPACE[.svc[.cluster.local]]][:PORT][/PATH]`.
/// Other URLs (HTTPS, a host outside the cluster) need objects this emitter does not write yet.
pub(super) fn auth_service(url: &str) -> Option<AuthService> {
    let rest = url.trim().strip_prefix("http://")?;
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(at) => (rest.get(..at)?, rest.get(at..)?),
        None => (rest, ""),
    };
    if path.contains(['?', '#']) {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse::<i64>()
                .ok()
                .filter(|p| (1..=65535).contains(p))?,
        ),
        None => (authority, 80),
    };
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_suffix(".svc.cluster.local")
        .or_else(|| host.strip_suffix(".svc"))
        .unwrap_or(&host);
    let (name, namespace) = match host.split_once('.') {
        Some((name, namespace)) if !namespace.contains('.') => (name, namespace),
        Some(_) => return None,
        None => (host, ""),
    };
    let label = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !label(name) || !(namespace.is_empty() || label(namespace)) {
        return None;
    }
    Some(AuthService {
        namespace: namespace.to_string(),
        name: name.to_string(),
        port,
        path: if path.is_empty() {
            "/".to_string()
        } else {
            path.to_string()
        },
    })
}

/// Whether this emitter translates the annotation `name` (without its prefix).
pub fn translates(annotations: &SortedMap<Located>, name: &str, value: &str) -> bool {
    if let Some(translated) =
        traffic::translates(name, value).or_else(|| client::translates(annotations, name, value))
    {
        return translated;
    }
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            cidrs(value).is_some()
        }
        "auth-type" | "auth-secret" | "auth-secret-type" | "auth-realm" => {
            basic_auth(annotations).is_some()
        }
        "auth-url" => auth_service(value).is_some(),
        "auth-response-headers" | "auth-method" | "auth-signin" => {
            annotation(annotations, "auth-url")
                .is_some_and(|url| auth_service(&url.value).is_some())
        }
        "proxy-body-size" => body_size(value).is_some(),
        "limit-rps" | "limit-rpm" => rate(value).is_some(),
        "limit-burst-multiplier" => !rates(annotations).is_empty(),
        "affinity"
        | "session-cookie-name"
        | "session-cookie-max-age"
        | "session-cookie-expires"
        | "session-cookie-path"
        | "session-cookie-samesite"
        | "session-cookie-domain" => affinity_cookie(annotations).is_some(),
        "upstream-hash-by" => hash_by(value).is_some(),
        "load-balance" => balance(value).is_some(),
        "limit-allowlist" | "limit-whitelist" => {
            !rates(annotations).is_empty() && cidrs(value).is_some()
        }
        _ => false,
    }
}

/// `affinity: cookie` as Envoy Gateway's cookie hash: the cookie's name (`INGRESSCOOKIE` by
/// default), its lifetime (`max-age`, else `expires`, in seconds; none: a session cookie) and
/// its Path, SameSite and Domain attributes.
fn affinity_cookie(annotations: &SortedMap<Located>) -> Option<Value> {
    if !annotation(annotations, "affinity")?
        .value
        .trim()
        .eq_ignore_ascii_case("cookie")
    {
        return None;
    }
    let get = |name: &str| {
        annotation(annotations, name)
            .map(|v| v.value.trim())
            .filter(|v| !v.is_empty())
    };
    let lifetime = ["session-cookie-max-age", "session-cookie-expires"]
        .iter()
        .find_map(|n| get(n))
        .map_or(Some(0), |v| v.parse::<u64>().ok())?;
    let attributes: Vec<(&str, Value)> = [
        ("Path", "session-cookie-path"),
        ("SameSite", "session-cookie-samesite"),
        ("Domain", "session-cookie-domain"),
    ]
    .iter()
    .filter_map(|(attribute, name)| Some((*attribute, s(get(name)?))))
    .collect();
    Some(map(vec![
        ("type", s("Cookie")),
        (
            "cookie",
            map(vec![
                (
                    "name",
                    s(get("session-cookie-name").unwrap_or("INGRESSCOOKIE")),
                ),
                ("ttl", s(&duration(lifetime))),
                (
                    "attributes",
                    if attributes.is_empty() {
                        Value::Null
                    } else {
                        map(attributes)
                    },
                ),
            ]),
        ),
    ]))
}

/// Seconds as Envoy Gateway's cookie TTL (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): `48h`, `1h30m`,
/// `0s` (Envoy then makes a session cookie).
pub(super) fn duration(seconds: u64) -> String {
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::new();
    for (n, unit) in [(hours.min(99_999), "h"), (minutes, "m"), (secs, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// `upstream-hash-by` as a consistent hash Envoy Gateway has: the client address, a request
/// header, a cookie or a query parameter; `None` for other nginx variables and combinations.
fn hash_by(value: &str) -> Option<Value> {
    let value = value.trim();
    let word = |rest: &str| {
        (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .then(|| rest.to_string())
    };
    if value == "$remote_addr" || value == "$binary_remote_addr" {
        return Some(map(vec![("type", s("SourceIP"))]));
    }
    if let Some(header) = value.strip_prefix("$http_").and_then(word) {
        return Some(map(vec![
            ("type", s("Header")),
            ("header", map(vec![("name", s(&header.replace('_', "-")))])),
        ]));
    }
    if let Some(cookie) = value.strip_prefix("$cookie_").and_then(word) {
        return Some(map(vec![
            ("type", s("Cookie")),
            ("cookie", map(vec![("name", s(&cookie))])),
        ]));
    }
    if let Some(parameter) = value.strip_prefix("$arg_").and_then(word) {
        return Some(map(vec![
            ("type", s("QueryParams")),
            ("queryParams", seq(vec![map(vec![("name", s(&parameter))])])),
        ]));
    }
    None
}

/// `load-balance` as Envoy Gateway's load balancer type.
fn balance(value: &str) -> Option<&'static str> {
    match value.trim() {
        "round_robin" => Some("RoundRobin"),
        "ewma" => Some("LeastRequest"),
        _ => None,
    }
}

/// The load balancer of an Ingress: session affinity wins over `upstream-hash-by`, which
/// wins over `load-balance`, as in ingress-nginx.
fn load_balancer(annotations: &SortedMap<Located>) -> Option<Value> {
    let hash = affinity_cookie(annotations)
        .or_else(|| annotation(annotations, "upstream-hash-by").and_then(|v| hash_by(&v.value)));
    if let Some(hash) = hash {
        return Some(map(vec![
            ("type", s("ConsistentHash")),
            ("consistentHash", hash),
        ]));
    }
    let kind = annotation(annotations, "load-balance").and_then(|v| balance(&v.value))?;
    Some(map(vec![("type", s(kind))]))
}

/// The request rates ingress-nginx limits each client address to: `(count, unit)`.
fn rates(annotations: &SortedMap<Located>) -> Vec<(i64, &'static str)> {
    [("limit-rps", "Second"), ("limit-rpm", "Minute")]
        .into_iter()
        .filter_map(|(name, unit)| {
            let count = rate(&annotation(annotations, name)?.value)?;
            Some((count, unit))
        })
        .collect()
}

/// Why the protecting annotation `name` is not translated (see [`translates`]).
pub fn why_not(name: &str) -> &'static str {
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            "translates an IP list only when every entry is an IP address or CIDR"
        }
        "auth-type" | "auth-secret" | "auth-realm" => {
            "translates basic authentication only: auth-type basic with an htpasswd auth-file Secret (Envoy Gateway reads no auth-map and has no digest authentication)"
        }
        "auth-url" => {
            "translates auth-url only when it is an http:// URL of a Service in the cluster (NAME.NAMESPACE.svc[:PORT]/PATH)"
        }
        "auth-tls-secret" | "auth-tls-verify-client" => {
            "translates client certificates only from an auth-tls-secret of the form NAMESPACE/NAME with auth-tls-verify-client on, optional, optional_no_ca or off"
        }
        "limit-connections" => {
            "does not translate limit-connections: Envoy Gateway limits connections per listener or backend, not per client address"
        }
        _ => "does not translate it yet",
    }
}

/// What one Ingress asks of Envoy Gateway.
#[derive(Debug, Default)]
struct Needs {
    allow: Vec<String>,
    deny: Vec<String>,
    /// `(namespace, name)` of the htpasswd Secret; the namespace empty for the Ingress's own.
    basic: Option<(String, String)>,
    external: Option<(AuthService, Vec<String>)>,
    /// `Some(None)`: `0`, no limit.
    body: Option<Option<String>>,
    /// Requests per client address: `(count, unit)`.
    rates: Vec<(i64, &'static str)>,
    /// Client ranges the rates do not apply to (`limit-allowlist`).
    exempt: Vec<String>,
    /// `loadBalancer` of the BackendTrafficPolicy.
    balancer: Option<Value>,
    /// `retry` and `timeout` of the BackendTrafficPolicy.
    traffic: traffic::Traffic,
}

impl Needs {
    fn read(ingress: &Ingress) -> Needs {
        let annotations = &ingress.meta.annotations;
        let list = |names: &[&str]| {
            names
                .iter()
                .filter_map(|n| annotation(annotations, n))
                .find_map(|v| cidrs(&v.value))
                .unwrap_or_default()
        };
        Needs {
            // ingress-nginx reads the newer name first.
            allow: list(&["allowlist-source-range", "whitelist-source-range"]),
            deny: list(&["denylist-source-range"]),
            basic: basic_auth(annotations),
            external: annotation(annotations, "auth-url")
                .and_then(|url| auth_service(&url.value))
                .map(|service| {
                    let headers = annotation(annotations, "auth-response-headers")
                        .map(|v| {
                            v.value
                                .split(',')
                                .map(str::trim)
                                .filter(|h| !h.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    (service, headers)
                }),
            body: annotation(annotations, "proxy-body-size").and_then(|v| body_size(&v.value)),
            rates: rates(annotations),
            exempt: ["limit-allowlist", "limit-whitelist"]
                .iter()
                .filter_map(|n| annotation(annotations, n))
                .find_map(|v| cidrs(&v.value))
                .unwrap_or_default(),
            balancer: load_balancer(annotations),
            traffic: traffic::Traffic::read(annotations),
        }
    }

    fn secured(&self) -> bool {
        !self.allow.is_empty()
            || !self.deny.is_empty()
            || self.basic.is_some()
            || self.external.is_some()
    }
}

/// The policies of the Ingresses whose routes are in `routes`.
pub fn emit(
    ingresses: &[Ingress],
    routes: &mut [Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let mut makes: Vec<Make> = Vec::new();
    let mut diagnostics = Vec::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary || !ingress.nginx_annotated {
            continue;
        }
        let needs = Needs::read(ingress);
        let limit = needs.body.clone().flatten();
        let traffic = limit.is_some()
            || !needs.rates.is_empty()
            || needs.balancer.is_some()
            || !needs.traffic.is_empty();
        if !traffic {
            // What has no field is said all the same.
            diagnostics.extend(traffic::warnings(
                ingress,
                &format!("{}/{}", ingress.meta.namespace, ingress.meta.name),
            ));
        }
        if !needs.secured() && !traffic {
            if needs.body.is_some() {
                diagnostics.push(note(ingress, "proxy-body-size", format!("annotation {PREFIX}proxy-body-size \"0\" means no limit to nginx; Envoy sets none either, so no BackendTrafficPolicy is written")));
            }
            continue;
        }
        let targets = targets(ingresses, id, routes);
        if targets.is_empty() {
            continue;
        }
        let namespace = ingress.meta.namespace.clone();
        let target_refs = || {
            seq(targets
                .iter()
                .map(|(kind, route, section)| {
                    map(vec![
                        ("group", s(GATEWAY_GROUP)),
                        ("kind", s(kind.kind())),
                        ("name", s(route)),
                        ("sectionName", section.as_deref().map_or(Value::Null, s)),
                    ])
                })
                .collect())
        };
        let source = ingress.location.clone();
        if needs.secured() {
            let name = names.claim("SecurityPolicy", &namespace, &ingress.meta.name);
            let spec = security_spec(&needs, target_refs());
            diagnostics.extend(security_warnings(ingress, &needs));
            let ns = namespace.clone();
            let at = source.clone();
            makes.push(Box::new(move || {
                super::object(API_VERSION, "SecurityPolicy", &name, &ns, spec, at)
            }));
        }
        if traffic {
            let name = names.claim("BackendTrafficPolicy", &namespace, &ingress.meta.name);
            let spec = map(vec![
                ("targetRefs", target_refs()),
                ("rateLimit", rate_limit(&needs)),
                (
                    "loadBalancer",
                    needs.balancer.clone().unwrap_or(Value::Null),
                ),
                (
                    "requestBuffer",
                    limit
                        .as_deref()
                        .map_or(Value::Null, |l| map(vec![("limit", s(l))])),
                ),
                ("retry", needs.traffic.retry.clone().unwrap_or(Value::Null)),
                (
                    "timeout",
                    needs.traffic.timeout.clone().unwrap_or(Value::Null),
                ),
            ]);
            diagnostics.extend(traffic::warnings(ingress, &format!("{namespace}/{name}")));
            if let Some(limit) = &limit {
                diagnostics.push(note(ingress, "proxy-body-size", format!("annotation {PREFIX}proxy-body-size is translated as BackendTrafficPolicy {namespace}/{name} requestBuffer.limit {limit}: Envoy buffers each request body in memory up to the limit, where nginx spooled large bodies to disk")));
            }
            diagnostics.extend(balancer_warnings(ingress, &needs));
            if let Some((count, unit)) = needs.rates.first() {
                let key = if *unit == "Second" {
                    "limit-rps"
                } else {
                    "limit-rpm"
                };
                let multiplier = annotation(&ingress.meta.annotations, "limit-burst-multiplier")
                    .and_then(|m| rate(&m.value))
                    .unwrap_or(5);
                diagnostics.push(note(ingress, key, format!("annotation {PREFIX}{key} is translated as BackendTrafficPolicy {namespace}/{name} rateLimit.local per client address: Envoy lets a client burst to {count} requests where nginx allowed {} (limit-burst-multiplier {multiplier}), answers 429 where nginx answered 503, and sees the client address its ClientTrafficPolicy clientIPDetection gives (the connection's peer unless set)", count.saturating_mul(multiplier))));
            }
            let ns = namespace.clone();
            makes.push(Box::new(move || {
                super::object(
                    API_VERSION,
                    "BackendTrafficPolicy",
                    &name,
                    &ns,
                    spec,
                    source,
                )
            }));
        }
    }
    (makes, diagnostics)
}

/// A route (and rule) a policy targets: `(kind, route, rule name)`.
pub(super) type Target = (RouteKind, String, Option<String>);

/// The routes (and rules) a policy of Ingress `id` targets.
/// Rules that only redirect (ssl-redirect's port-80 rules) serve nothing to protect.
pub(super) fn targets(ingresses: &[Ingress], id: IngressId, routes: &mut [Route]) -> Vec<Target> {
    let Some(ingress) = ingresses.get(id) else {
        return Vec::new();
    };
    let mut targets = Vec::new();
    for route in routes.iter_mut() {
        if route.kind == RouteKind::Tls || !route.ingresses.contains(&id) {
            continue;
        }
        let serving: Vec<usize> = (0..route.rules.len())
            .filter(|i| route.rules.get(*i).is_some_and(|r| !r.backends.is_empty()))
            .collect();
        let mine: Vec<usize> = serving
            .iter()
            .copied()
            .filter(|i| {
                route
                    .rules
                    .get(*i)
                    .is_some_and(|r| primary(ingresses, &r.sources) == Some(id))
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        if mine.len() == serving.len() {
            targets.push((route.kind, route.name.clone(), None));
            continue;
        }
        for i in mine {
            let name = match route.rules.get(i).and_then(|r| r.name.clone()) {
                Some(name) => name,
                None => {
                    let wanted = rule_name(&ingress.meta.name, route.rules.get(i));
                    let name = unique(&wanted, &route.rules);
                    if let Some(rule) = route.rules.get_mut(i) {
                        rule.name = Some(name.clone());
                    }
                    name
                }
            };
            targets.push((route.kind, route.name.clone(), Some(name)));
        }
    }
    targets
}

/// A rule's name from its Ingress and path (`web` and `/api/v1` make `web-api-v1`): stable
/// when paths are added, unlike a position.
fn rule_name(ingress: &str, rule: Option<&Rule>) -> String {
    let path = rule
        .and_then(|r| r.matches.first())
        .and_then(|m| m.path.as_ref())
        .map_or("", |p| p.value.as_str());
    let mut name = String::new();
    for c in format!("{ingress}-{path}").chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    name.truncate(60);
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "rule".to_string()
    } else {
        name.to_string()
    }
}

/// `wanted`, or `wanted-2`, `wanted-3`, … when a rule of the route has that name.
fn unique(wanted: &str, rules: &[Rule]) -> String {
    let taken = |name: &str| rules.iter().any(|r| r.name.as_deref() == Some(name));
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// `rateLimit` of a BackendTrafficPolicy: for each rate, one local rule per address family
/// counting each client address apart (`Distinct`), with the exempt ranges left out by
/// inverted selectors (all selectors of a rule must hold).
fn rate_limit(needs: &Needs) -> Value {
    if needs.rates.is_empty() {
        return Value::Null;
    }
    let selector = |kind: Option<&str>, cidr: &str, invert: bool| {
        map(vec![(
            "sourceCIDR",
            map(vec![
                ("type", kind.map_or(Value::Null, s)),
                ("value", s(cidr)),
                (
                    "invert",
                    if invert {
                        Value::Bool(true)
                    } else {
                        Value::Null
                    },
                ),
            ]),
        )])
    };
    let mut rules = Vec::new();
    for (count, unit) in &needs.rates {
        for family in ["0.0.0.0/0", "::/0"] {
            let mut selectors = vec![selector(Some("Distinct"), family, false)];
            selectors.extend(needs.exempt.iter().map(|cidr| selector(None, cidr, true)));
            rules.push(map(vec![
                ("clientSelectors", seq(selectors)),
                (
                    "limit",
                    map(vec![("requests", Value::Int(*count)), ("unit", s(unit))]),
                ),
            ]));
        }
    }
    map(vec![
        ("type", s("Local")),
        ("local", map(vec![("rules", seq(rules))])),
    ])
}

fn security_spec(needs: &Needs, target_refs: Value) -> Value {
    let authorization = if needs.allow.is_empty() && needs.deny.is_empty() {
        Value::Null
    } else {
        let rule = |action: &str, cidrs: &[String]| {
            map(vec![
                ("action", s(action)),
                (
                    "principal",
                    map(vec![(
                        "clientCIDRs",
                        seq(cidrs.iter().map(|c| s(c)).collect()),
                    )]),
                ),
            ])
        };
        let mut rules = Vec::new();
        // ingress-nginx checks the deny list first.
        if !needs.deny.is_empty() {
            rules.push(rule("Deny", &needs.deny));
        }
        if !needs.allow.is_empty() {
            rules.push(rule("Allow", &needs.allow));
        }
        map(vec![
            (
                "defaultAction",
                s(if needs.allow.is_empty() {
                    "Allow"
                } else {
                    "Deny"
                }),
            ),
            ("rules", seq(rules)),
        ])
    };
    let basic = needs
        .basic
        .as_ref()
        .map_or(Value::Null, |(namespace, name)| {
            map(vec![(
                "users",
                map(vec![("name", s(name)), ("namespace", non_empty(namespace))]),
            )])
        });
    let external = needs
        .external
        .as_ref()
        .map_or(Value::Null, |(service, headers)| {
            map(vec![(
                "http",
                map(vec![
                    (
                        "backendRefs",
                        seq(vec![map(vec![
                            ("name", s(&service.name)),
                            ("namespace", non_empty(&service.namespace)),
                            ("port", Value::Int(service.port)),
                        ])]),
                    ),
                    ("pathOverride", s(&service.path)),
                    (
                        "headersToBackend",
                        if headers.is_empty() {
                            Value::Null
                        } else {
                            seq(headers.iter().map(|h| s(h)).collect())
                        },
                    ),
                ]),
            )])
        });
    map(vec![
        ("targetRefs", target_refs),
        ("authorization", authorization),
        ("basicAuth", basic),
        ("extAuth", external),
    ])
}

/// What changes on the way to Envoy Gateway's load balancing.
fn balancer_warnings(ingress: &Ingress, needs: &Needs) -> Vec<Diagnostic> {
    let annotations = &ingress.meta.annotations;
    let mut found = Vec::new();
    if needs.balancer.is_none() {
        return found;
    }
    if affinity_cookie(annotations).is_some() {
        found.push(note(ingress, "affinity", format!("annotation {PREFIX}affinity is translated as BackendTrafficPolicy loadBalancer consistentHash on the cookie: Envoy hashes the cookie onto its ring of endpoints, so when endpoints come and go some sessions move (as affinity-mode balanced does), where nginx's cookie named one endpoint")));
    } else if annotation(annotations, "upstream-hash-by")
        .is_some_and(|v| hash_by(&v.value).is_some())
    {
        found.push(note(ingress, "upstream-hash-by", format!("annotation {PREFIX}upstream-hash-by is translated as BackendTrafficPolicy loadBalancer consistentHash: Envoy's ring hash, not nginx's ketama, so a key may land on another endpoint than before")));
    } else if annotation(annotations, "load-balance").is_some_and(|v| v.value.trim() == "ewma") {
        found.push(note(ingress, "load-balance", format!("annotation {PREFIX}load-balance ewma is translated as BackendTrafficPolicy loadBalancer LeastRequest, Envoy's nearest: it picks the endpoint with fewer requests in flight, not the lowest weighted latency")));
    }
    found
}

/// What changes on the way to Envoy Gateway's SecurityPolicy, said where the annotation is.
fn security_warnings(ingress: &Ingress, needs: &Needs) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Some((namespace, name)) = &needs.basic {
        let secret = if namespace.is_empty() {
            format!("{}/{name}", ingress.meta.namespace)
        } else {
            format!("{namespace}/{name}")
        };
        found.push(note(ingress, "auth-secret", format!("annotation {PREFIX}auth-secret is translated as SecurityPolicy basicAuth: Envoy Gateway reads the htpasswd entries from key \".htpasswd\" of Secret {secret} (ingress-nginx read key \"auth\") and checks only SHA entries (\"user:{{SHA}}...\"): copy the entries to that key and rehash any made with bcrypt, MD5 or crypt, or those users are refused")));
        if !namespace.is_empty() && *namespace != ingress.meta.namespace {
            found.push(note(ingress, "auth-secret", format!("Secret {secret} is in another namespace: Envoy Gateway reads it only with a ReferenceGrant in namespace {namespace} from SecurityPolicy in {}", ingress.meta.namespace)));
        }
        if annotation(&ingress.meta.annotations, "auth-realm").is_some() {
            found.push(note(ingress, "auth-realm", format!("annotation {PREFIX}auth-realm has no Envoy Gateway field: the login prompt shows Envoy's realm")));
        }
    }
    if let Some((service, _)) = &needs.external {
        found.push(note(ingress, "auth-url", format!("annotation {PREFIX}auth-url is translated as SecurityPolicy extAuth to Service {}:{} path {}: ingress-nginx sent the auth service every request header, Envoy Gateway sends only Host, Method, Path, Content-Length and Authorization; list any other header it reads (Cookie for oauth2-proxy) in spec.extAuth.headersToExtAuth", if service.namespace.is_empty() { service.name.clone() } else { format!("{}.{}", service.name, service.namespace) }, service.port, service.path)));
        if !service.namespace.is_empty() && service.namespace != ingress.meta.namespace {
            found.push(note(ingress, "auth-url", format!("Service {}.{} is in another namespace: Envoy Gateway calls it only with a ReferenceGrant in namespace {} from SecurityPolicy in {}", service.name, service.namespace, service.namespace, ingress.meta.namespace)));
        }
        if annotation(&ingress.meta.annotations, "auth-method").is_some() {
            found.push(note(ingress, "auth-method", format!("annotation {PREFIX}auth-method has no Envoy Gateway field: the auth request uses the client request's method")));
        }
        if annotation(&ingress.meta.annotations, "auth-signin").is_some() {
            found.push(note(ingress, "auth-signin", format!("annotation {PREFIX}auth-signin has no Envoy Gateway field: a refused request gets the auth service's answer (401 or 403), not a redirect to the sign-in page; Envoy Gateway's oidc SecurityPolicy runs a login flow itself")));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::auth_service;

    #[test]
    fn cookie_lifetimes_and_hash_keys() {
        use super::{duration, hash_by};
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(172_800), "48h");
        assert_eq!(duration(5_400), "1h30m");
        assert_eq!(duration(61), "1m1s");
        let kind = |v: &str| hash_by(v).map(|v| crate::emit::json::to_serde(&v));
        assert_eq!(kind("$remote_addr").unwrap()["type"], "SourceIP");
        assert_eq!(
            kind("$http_x_user_id").unwrap()["header"]["name"],
            "x-user-id"
        );
        assert_eq!(
            kind("$cookie_session").unwrap()["cookie"]["name"],
            "session"
        );
        assert_eq!(
            kind("$arg_tenant").unwrap()["queryParams"][0]["name"],
            "tenant"
        );
        assert_eq!(kind("$request_uri"), None);
        assert_eq!(kind("$remote_addr$http_x"), None);
    }

    #[test]
    fn auth_urls_of_cluster_services() {
        let service = |url: &str| auth_service(url).map(|s| (s.namespace, s.name, s.port, s.path));
        assert_eq!(
            service("http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth"),
            Some((
                "auth".into(),
                "oauth2-proxy".into(),
                4180,
                "/oauth2/auth".into()
            ))
        );
        assert_eq!(
            service("http://authz.security.svc/check"),
            Some(("security".into(), "authz".into(), 80, "/check".into()))
        );
        assert_eq!(
            service("http://authz"),
            Some((String::new(), "authz".into(), 80, "/".into()))
        );
        for other in [
            "https://authz.security.svc/check",
            "http://auth.example.com/verify",
            "http://authz.security.svc/check?x=1",
            "http://authz:0/",
            "http://$host/auth",
        ] {
            assert_eq!(service(other), None, "{other}");
        }
    }
}
