//! kgateway (`gateway.kgateway.dev/v1alpha1`, CRDs of v2.3.3 pinned in `crds/kgateway/`):
//! ingress-nginx's IP lists (`acl`), basic authentication (`basicAuth`, the same htpasswd
//! Secret and key), `auth-url` (`extAuth` through a GatewayExtension naming the Service) and
//! `proxy-body-size` (`buffer`) as one TrafficPolicy per Ingress, targeting its routes or its
//! rules by name as Envoy Gateway's policies do. Session affinity, `upstream-hash-by` and
//! `load-balance` become a BackendConfigPolicy per Service (kgateway balances per Service).
//! Request rates stay refused: kgateway's local rate limit is one bucket per route, not one
//! per client address.

use std::net::IpAddr;

use super::{Access, annotation, note, quantity, secret_reference, service_ref, target_refs};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{map, non_empty, s, seq};
use crate::convert::plan::Route;
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

pub const API_VERSION: &str = "gateway.kgateway.dev/v1alpha1";

/// Why the protecting annotation `name` is not translated.
pub fn why_not(name: &str) -> &'static str {
    super::access_why_not(
        name,
        "translates basic authentication only: auth-type basic with an htpasswd auth-file Secret (kgateway reads no auth-map and has no digest authentication)",
        "does not translate request rates: kgateway's local rate limit is one token bucket per route, not one per client address, and its global rate limit needs a rate limit service",
        "does not translate limit-connections: kgateway has no connection limit per client address",
    )
}

/// Whether the network `outer` holds every address of `inner` (both as [`cidrs`] writes them).
fn holds(outer: &str, inner: &str) -> bool {
    let parse = |cidr: &str| -> Option<(IpAddr, u32)> {
        let (address, prefix) = cidr.split_once('/')?;
        Some((address.parse().ok()?, prefix.parse().ok()?))
    };
    let (Some((a, p)), Some((b, q))) = (parse(outer), parse(inner)) else {
        return false;
    };
    let masked = |bits: u128, width: u32, prefix: u32| {
        bits.checked_shr(width - prefix.min(width)).unwrap_or(0)
    };
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            p <= q && masked(u32::from(a).into(), 32, p) == masked(u32::from(b).into(), 32, p)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            p <= q && masked(a.into(), 128, p) == masked(b.into(), 128, p)
        }
        _ => false,
    }
}

/// A CIDR as the ACL's pattern takes it: an address written `::` (all zeros) as `0::`.
fn acl_cidr(cidr: &str) -> Value {
    match cidr.strip_prefix("::") {
        Some(rest) if cidr.starts_with("::/") => s(&format!("0::{rest}")),
        _ => s(cidr),
    }
}

/// `acl` of the TrafficPolicy. kgateway picks the rule with the longest matching prefix
/// where ingress-nginx denied the deny list first: an allowed range inside a denied one is
/// left out (nginx denied it), and a denied range inside an allowed one is longer, so the
/// two agree.
fn acl(access: &Access) -> Value {
    if access.allow.is_empty() && access.deny.is_empty() {
        return Value::Null;
    }
    let allow: Vec<&String> = access
        .allow
        .iter()
        .filter(|a| !access.deny.iter().any(|d| holds(d, a)))
        .collect();
    let mut rules = Vec::new();
    for (action, name, list) in [
        (
            "deny",
            "denylist-source-range",
            access.deny.iter().collect::<Vec<_>>(),
        ),
        ("allow", "allowlist-source-range", allow),
    ] {
        // At most 256 CIDRs a rule.
        for chunk in list.chunks(256) {
            rules.push(map(vec![
                ("name", s(name)),
                ("action", s(action)),
                ("cidrs", seq(chunk.iter().map(|c| acl_cidr(c)).collect())),
            ]));
        }
    }
    // Without an allow list every address not denied passes.
    let default = if access.allow.is_empty() {
        "allow"
    } else {
        "deny"
    };
    map(vec![("defaultAction", s(default)), ("rules", seq(rules))])
}

/// The TrafficPolicies (and GatewayExtensions) of the Ingresses whose routes are in `routes`.
pub fn emit(
    ingresses: &[Ingress],
    routes: &mut [Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let field = ("kgateway", "TrafficPolicy buffer.maxRequestSize");
    let (accesses, mut diagnostics) = super::accesses(ingresses, routes, field, Access::read);
    let mut makes: Vec<Make> = Vec::new();
    for (ingress, access, targets) in accesses {
        let namespace = ingress.meta.namespace.clone();
        let name = names.claim("TrafficPolicy", &namespace, &ingress.meta.name);
        let extension = access.external.as_ref().map(|(service, headers)| {
            let extension = names.claim("GatewayExtension", &namespace, &ingress.meta.name);
            let http = map(vec![
                ("backendRef", service_ref(service)),
                (
                    "pathPrefix",
                    if service.path == "/" {
                        Value::Null
                    } else {
                        s(&service.path)
                    },
                ),
                (
                    "authorizationResponse",
                    if headers.is_empty() {
                        Value::Null
                    } else {
                        map(vec![(
                            "headersToBackend",
                            seq(headers.iter().map(|h| s(h)).collect()),
                        )])
                    },
                ),
            ]);
            let spec = map(vec![("extAuth", map(vec![("httpService", http)]))]);
            (extension, spec)
        });
        let spec = map(vec![
            ("targetRefs", target_refs(&targets)),
            ("acl", acl(&access)),
            (
                "basicAuth",
                access.basic.as_ref().map_or(Value::Null, |(ns, secret)| {
                    map(vec![(
                        "secretRef",
                        map(vec![
                            ("name", s(secret)),
                            ("namespace", non_empty(ns)),
                            ("key", s("auth")),
                        ]),
                    )])
                }),
            ),
            (
                "extAuth",
                extension.as_ref().map_or(Value::Null, |(extension, _)| {
                    map(vec![("extensionRef", map(vec![("name", s(extension))]))])
                }),
            ),
            (
                "buffer",
                access.limit().map_or(Value::Null, |bytes| {
                    // Bytes: the API server checks a quantity string with Kubernetes'
                    // quantity library, which lsc's CEL has not, and an integer without it.
                    map(vec![(
                        "maxRequestSize",
                        Value::Int(i64::try_from(bytes).unwrap_or(i64::MAX)),
                    )])
                }),
            ),
        ]);
        let extension_name = extension.as_ref().map(|(n, _)| n.as_str());
        diagnostics.extend(warnings(ingress, &access, &name, extension_name));
        if let Some((extension, spec)) = extension {
            makes.push(make(
                "GatewayExtension",
                extension,
                &namespace,
                spec,
                ingress,
            ));
        }
        makes.push(make("TrafficPolicy", name, &namespace, spec, ingress));
    }
    let (balancers, said) = balancers(ingresses, routes, names);
    makes.extend(balancers);
    diagnostics.extend(said);
    (makes, diagnostics)
}

/// The ingress-nginx cookie affinity as a ring hash policy on kgateway's cookie: its name
/// (`INGRESSCOOKIE` by default), its lifetime (`session-cookie-max-age`, else `-expires`;
/// `0s` without: a session cookie, which is what nginx makes), its Path and SameSite, Secure
/// when `session-cookie-secure` says so, and HttpOnly as ingress-nginx sets it.
fn affinity_cookie(annotations: &SortedMap<Located>) -> Option<Value> {
    let get = |name: &str| {
        annotation(annotations, name)
            .map(|v| v.value.trim())
            .filter(|v| !v.is_empty())
    };
    if !get("affinity")?.eq_ignore_ascii_case("cookie") {
        return None;
    }
    let lifetime = ["session-cookie-max-age", "session-cookie-expires"]
        .iter()
        .find_map(|n| get(n))
        .map_or(Some(0), |v| v.parse::<u64>().ok())?;
    let same_site = match get("session-cookie-samesite") {
        None => Value::Null,
        Some(v) => s(["Strict", "Lax", "None"]
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(v))?),
    };
    let secure = get("session-cookie-secure").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Some(map(vec![(
        "cookie",
        map(vec![
            (
                "name",
                s(get("session-cookie-name").unwrap_or("INGRESSCOOKIE")),
            ),
            ("ttl", s(&super::envoy_gateway::duration(lifetime))),
            ("path", get("session-cookie-path").map_or(Value::Null, s)),
            ("sameSite", same_site),
            (
                "secure",
                if secure {
                    Value::Bool(true)
                } else {
                    Value::Null
                },
            ),
            ("httpOnly", Value::Bool(true)),
        ]),
    )]))
}

/// `upstream-hash-by` as a hash policy kgateway has: the client address, a request header or
/// a cookie; `None` for other nginx variables and combinations.
fn hash_by(value: &str) -> Option<Value> {
    let value = value.trim();
    if matches!(value, "$remote_addr" | "$binary_remote_addr") {
        return Some(map(vec![("sourceIP", map(Vec::new()))]));
    }
    // An nginx variable of a request header or cookie: `$http_x_user_id` is header
    // `x-user-id`.
    [("$http_", "header"), ("$cookie_", "cookie")]
        .into_iter()
        .find_map(|(variable, field)| {
            let rest = value.strip_prefix(variable)?;
            let valid =
                !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let name = if field == "header" {
                rest.replace('_', "-")
            } else {
                rest.to_string()
            };
            valid.then(|| map(vec![(field, map(vec![("name", s(&name))]))]))
        })
}

/// The BackendConfigPolicy `loadBalancer` of an Ingress's annotations, and the annotation
/// it comes from: session affinity wins over `upstream-hash-by`, which wins over
/// `load-balance`, as in ingress-nginx.
fn balancer(annotations: &SortedMap<Located>) -> Option<(Value, &'static str)> {
    if let Some(cookie) = affinity_cookie(annotations) {
        let ring = map(vec![("hashPolicies", seq(vec![cookie]))]);
        return Some((map(vec![("ringHash", ring)]), "affinity"));
    }
    if let Some(hash) = annotation(annotations, "upstream-hash-by").and_then(|v| hash_by(&v.value))
    {
        let ring = map(vec![("hashPolicies", seq(vec![hash]))]);
        return Some((map(vec![("ringHash", ring)]), "upstream-hash-by"));
    }
    let kind = match annotation(annotations, "load-balance")?.value.trim() {
        "round_robin" => "roundRobin",
        "ewma" => "leastRequest",
        _ => return None,
    };
    Some((map(vec![(kind, map(Vec::new()))]), "load-balance"))
}

/// Whether the balancing annotation `name` is translated (see [`balancer`]).
pub fn balances(annotations: &SortedMap<Located>, name: &str) -> bool {
    let Some((_, from)) = balancer(annotations) else {
        return false;
    };
    // The cookie annotations [`affinity_cookie`] reads.
    const COOKIE: [&str; 7] = [
        "affinity",
        "session-cookie-name",
        "session-cookie-max-age",
        "session-cookie-expires",
        "session-cookie-path",
        "session-cookie-samesite",
        "session-cookie-secure",
    ];
    match name {
        _ if COOKIE.contains(&name) => from == "affinity",
        "upstream-hash-by" => from == "upstream-hash-by",
        "load-balance" => from == "load-balance",
        _ => false,
    }
}

/// One BackendConfigPolicy per Service whose paths ask for a load balancer (session affinity,
/// `upstream-hash-by`, `load-balance`): it applies to the Service wherever it is a backend, so
/// where other Ingresses' paths (or another balancer) share the Service, that is said.
fn balancers(
    ingresses: &[Ingress],
    routes: &[Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    // (namespace, Service) -> the Ingresses whose paths it serves, in order.
    let mut served: std::collections::BTreeMap<(String, String), Vec<usize>> =
        std::collections::BTreeMap::new();
    for route in routes
        .iter()
        .filter(|r| r.kind != crate::convert::plan::RouteKind::Tls)
    {
        for rule in &route.rules {
            let Some(owner) = super::primary(ingresses, &rule.sources) else {
                continue;
            };
            let Some(ingress) = ingresses.get(owner) else {
                continue;
            };
            for backend in rule.backends.iter().filter(|b| b.target.resource.is_none()) {
                let key = (ingress.meta.namespace.clone(), backend.target.name.clone());
                let ids = served.entry(key).or_default();
                if !ids.contains(&owner) {
                    ids.push(owner);
                }
            }
        }
    }
    let mut makes: Vec<Make> = Vec::new();
    let mut diagnostics = Vec::new();
    let chosen = |id: &usize| {
        ingresses
            .get(*id)
            .filter(|i| !i.canary && i.nginx_annotated)
            .and_then(|i| balancer(&i.meta.annotations).map(|b| (i, b)))
    };
    for ((namespace, service), mut ids) in served {
        // The first Ingress of the input wins, whatever the order of the routes.
        ids.sort_unstable();
        let Some((ingress, (load_balancer, from))) = ids.iter().find_map(chosen) else {
            continue;
        };
        let name = names.claim("BackendConfigPolicy", &namespace, &service);
        let others: Vec<String> = ids
            .iter()
            .filter_map(|id| ingresses.get(*id))
            .filter(|other| other.reference() != ingress.reference())
            .filter(|other| {
                balancer(&other.meta.annotations).map(|b| b.0) != Some(load_balancer.clone())
            })
            .map(|other| other.reference().to_string())
            .collect();
        let what = match from {
            "affinity" => {
                "loadBalancer.ringHash on the cookie: Envoy hashes the cookie onto its ring of endpoints, so when endpoints come and go some sessions move (as affinity-mode balanced does), where nginx's cookie named one endpoint"
            }
            "upstream-hash-by" => {
                "loadBalancer.ringHash: Envoy's ring hash, not nginx's ketama, so a key may land on another endpoint than before"
            }
            _ => {
                "loadBalancer; ewma becomes leastRequest, Envoy's nearest: it picks the endpoint with fewer requests in flight, not the lowest weighted latency"
            }
        };
        diagnostics.push(super::note(ingress, from, format!("annotation {PREFIX}{from} is translated as BackendConfigPolicy {namespace}/{name} {what}")));
        for other in ids.iter().filter_map(|id| ingresses.get(*id)) {
            let Some((theirs, key)) = balancer(&other.meta.annotations) else {
                continue;
            };
            if theirs != load_balancer {
                diagnostics.push(super::note(other, key, format!("annotation {PREFIX}{key} is not applied to Service {service}: BackendConfigPolicy {namespace}/{name} gives it the load balancing of {} (one policy per Service)", ingress.reference())));
            }
        }
        if !others.is_empty() {
            diagnostics.push(super::note(ingress, from, format!("BackendConfigPolicy {namespace}/{name} applies to Service {service} on every route: the paths of {} that it also serves get this load balancing too", others.join(", "))));
        }
        let spec = map(vec![
            (
                "targetRefs",
                seq(vec![map(vec![
                    ("group", s("")),
                    ("kind", s("Service")),
                    ("name", s(&service)),
                ])]),
            ),
            ("loadBalancer", load_balancer),
        ]);
        makes.push(make("BackendConfigPolicy", name, &namespace, spec, ingress));
    }
    (makes, diagnostics)
}

fn make(kind: &'static str, name: String, namespace: &str, spec: Value, ingress: &Ingress) -> Make {
    let namespace = namespace.to_string();
    let source = ingress.location.clone();
    Box::new(move || super::object(API_VERSION, kind, &name, &namespace, spec, source))
}

/// What changes on the way to kgateway, said where the annotation is.
fn warnings(
    ingress: &Ingress,
    access: &Access,
    policy: &str,
    extension: Option<&str>,
) -> Vec<Diagnostic> {
    let namespace = &ingress.meta.namespace;
    let mut found = Vec::new();
    let what = format!("TrafficPolicy {namespace}/{policy} acl");
    found.extend(super::lists_note(ingress, access, &what, "kgateway checks the client address Envoy derives (ListenerPolicy useRemoteAddress, xffNumTrustedHops; the connection's peer unless set), not the one ingress-nginx's real-ip settings gave"));
    if let Some(basic) = &access.basic {
        let secret = secret_reference(ingress, basic);
        found.push(note(ingress, "auth-secret", format!("annotation {PREFIX}auth-secret is translated as TrafficPolicy {namespace}/{policy} basicAuth with key \"auth\" of Secret {secret}: kgateway checks only SHA entries (\"user:{{SHA}}...\"): rehash any made with bcrypt, MD5 or crypt, or those users are refused")));
        if !basic.0.is_empty() && basic.0 != *namespace {
            found.push(note(ingress, "auth-secret", format!("Secret {secret} is in another namespace: kgateway reads it only with a ReferenceGrant in namespace {} from TrafficPolicy in {namespace}", basic.0)));
        }
        if annotation(&ingress.meta.annotations, "auth-realm").is_some() {
            found.push(note(ingress, "auth-realm", format!("annotation {PREFIX}auth-realm has no kgateway field: the login prompt shows Envoy's realm")));
        }
    }
    if let Some((service, _)) = &access.external {
        let path = if service.path == "/" {
            "the client's request path (ingress-nginx called \"/\")".to_string()
        } else {
            format!(
                "{} followed by the client's request path (ingress-nginx called {:?} alone), so the service must answer every path under it",
                service.path, service.path
            )
        };
        found.push(note(ingress, "auth-url", format!("annotation {PREFIX}auth-url is translated as GatewayExtension {namespace}/{} extAuth.httpService, used by TrafficPolicy {namespace}/{policy}: kgateway calls {path}; it sends only Host, Method, Path, Content-Length and Authorization where ingress-nginx sent every request header: list any other header the service reads (Cookie for oauth2-proxy) in spec.extAuth.headersToForward", extension.unwrap_or(policy))));
        if !service.namespace.is_empty() && service.namespace != *namespace {
            found.push(note(ingress, "auth-url", format!("Service {}.{} is in another namespace: kgateway calls it only with a ReferenceGrant in namespace {} from GatewayExtension in {namespace}", service.name, service.namespace, service.namespace)));
        }
    }
    if let Some(bytes) = access.limit() {
        found.push(note(ingress, "proxy-body-size", format!("annotation {PREFIX}proxy-body-size is translated as TrafficPolicy {namespace}/{policy} buffer.maxRequestSize {}: Envoy buffers each request body in memory up to the limit, where nginx spooled large bodies to disk", quantity(bytes))));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::holds;

    #[test]
    fn networks_hold_their_subnets() {
        assert!(holds("10.0.0.0/8", "10.1.0.0/16"));
        assert!(holds("10.0.0.0/8", "10.0.0.0/8"));
        assert!(holds("0.0.0.0/0", "192.0.2.1/32"));
        assert!(!holds("10.1.0.0/16", "10.0.0.0/8"));
        assert!(!holds("10.0.0.0/8", "11.0.0.0/8"));
        assert!(holds("2001:db8::/32", "2001:db8::1/128"));
        assert!(!holds("2001:db8::/32", "10.0.0.0/8"));
    }
}
