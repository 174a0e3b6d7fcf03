//! NGINX Gateway Fabric (`gateway.nginx.org/v1alpha1`, CRDs of v2.6.7 pinned in
//! `crds/nginx-gateway-fabric/`): the same nginx underneath, so most ingress-nginx annotations
//! keep their nginx meaning. Basic authentication becomes an AuthenticationFilter (the same
//! Secret, key `auth`), IP lists and the `configuration-snippet` / `server-snippet` a
//! SnippetsFilter (nginx's `allow` and `deny`), both referenced from the Ingress's own rules by
//! ExtensionRef, so they cover exactly its paths; `proxy-body-size` becomes a
//! ClientSettingsPolicy and the request rates a RateLimitPolicy, which target whole routes
//! (they have no `sectionName`): where a route also serves another Ingress's paths, that is
//! said. Upstream keepalive and load balancing become an UpstreamSettingsPolicy on the
//! Ingress's Services (`upstream.rs`).

mod upstream;

use super::{annotation, basic_auth, body_size, cidrs, note, primary, rate};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{GATEWAY_GROUP, map, s, seq};
use crate::convert::plan::{Filter, IngressId, Route, RouteKind};
use crate::diag::Diagnostic;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

pub const API_VERSION: &str = "gateway.nginx.org/v1alpha1";
const GROUP: &str = "gateway.nginx.org";

/// Basic authentication as NGINX Gateway Fabric checks it: `auth-type: basic` with an
/// htpasswd file (`auth-secret-type: auth-file`, key `auth`, as ingress-nginx reads it) in a
/// Secret of the Ingress's namespace (an AuthenticationFilter names no other namespace).
pub(super) fn basic_secret(annotations: &SortedMap<Located>, namespace: &str) -> Option<String> {
    let (written, name) = basic_auth(annotations)?;
    (written.is_empty() || written == namespace).then_some(name)
}

/// Whether this emitter translates the annotation `name` (without its prefix).
pub fn translates(
    annotations: &SortedMap<Located>,
    namespace: &str,
    name: &str,
    value: &str,
) -> bool {
    if let Some(translated) = upstream::translates(name, value) {
        return translated;
    }
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            cidrs(value).is_some()
        }
        "auth-type" | "auth-secret" | "auth-secret-type" | "auth-realm" => {
            basic_secret(annotations, namespace).is_some()
        }
        "proxy-body-size" => max_size(value).is_some(),
        "limit-rps" | "limit-rpm" => rate(value).is_some(),
        // The exempt ranges are said where the RateLimitPolicy is written.
        "limit-burst-multiplier" | "limit-allowlist" | "limit-whitelist" => {
            ["limit-rps", "limit-rpm"]
                .iter()
                .any(|n| annotation(annotations, n).is_some_and(|v| rate(&v.value).is_some()))
        }
        "configuration-snippet" | "server-snippet" => !value.trim().is_empty(),
        _ => false,
    }
}

/// Why the protecting annotation `name` is not translated.
pub fn why_not(name: &str) -> &'static str {
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            "translates an IP list only when every entry is an IP address or CIDR"
        }
        "auth-type" | "auth-secret" | "auth-realm" => {
            "translates basic authentication only: auth-type basic with an htpasswd auth-file Secret in the Ingress's namespace"
        }
        "auth-url" => {
            "does not translate auth-url: NGINX Gateway Fabric has no external authentication"
        }
        "limit-connections" => {
            "does not translate limit-connections: NGINX Gateway Fabric has no connection limit policy"
        }
        _ => "does not translate it yet",
    }
}

/// `client_max_body_size` as ClientSettingsPolicy's `maxSize` (`^\d{1,4}(k|m|g)?$`): the
/// nginx value in lower case, a larger number in the next unit up (rounded up, never a
/// smaller limit); `0` stays `0`, no limit, as in nginx.
fn max_size(value: &str) -> Option<String> {
    let quantity = match body_size(value)? {
        None => return Some("0".to_string()),
        Some(quantity) => quantity,
    };
    let digits = quantity.trim_end_matches(['K', 'M', 'G', 'i']);
    let mut number: u64 = digits.parse().ok()?;
    let units = ["", "k", "m", "g"];
    let mut unit = match quantity.get(digits.len()..)? {
        "" => 0,
        "Ki" => 1,
        "Mi" => 2,
        _ => 3,
    };
    while number > 9999 {
        if unit == 3 {
            return None;
        }
        number = number.div_ceil(1024);
        unit += 1;
    }
    Some(format!("{number}{}", units.get(unit)?))
}

/// The nginx text of an Ingress's SnippetsFilter, per context: its IP lists (as ingress-nginx
/// writes them: the deny list, then the allow list closed by `deny all`) and its snippets.
fn snippets(ingress: &Ingress) -> Vec<(&'static str, String)> {
    let annotations = &ingress.meta.annotations;
    let list = |names: &[&str]| {
        names
            .iter()
            .filter_map(|n| annotation(annotations, n))
            .find_map(|v| cidrs(&v.value))
            .unwrap_or_default()
    };
    let mut location = String::new();
    for cidr in list(&["denylist-source-range"]) {
        location.push_str(&format!("deny {cidr};\n"));
    }
    let allow = list(&["allowlist-source-range", "whitelist-source-range"]);
    for cidr in &allow {
        location.push_str(&format!("allow {cidr};\n"));
    }
    if !allow.is_empty() {
        location.push_str("deny all;\n");
    }
    let text = |name: &str| {
        annotation(annotations, name)
            .map(|v| v.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(snippet) = text("configuration-snippet") {
        location.push_str(&snippet);
        location.push('\n');
    }
    let mut out = Vec::new();
    if let Some(snippet) = text("server-snippet") {
        out.push(("http.server", format!("{snippet}\n")));
    }
    if !location.is_empty() {
        out.push(("http.server.location", location));
    }
    out
}

/// The policies and filters of the Ingresses whose routes are in `routes`.
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
        let namespace = ingress.meta.namespace.clone();
        let annotations = &ingress.meta.annotations;
        let source = ingress.location.clone();
        let mut filters: Vec<Filter> = Vec::new();
        if let Some(secret) = basic_secret(annotations, &namespace) {
            let name = names.claim("AuthenticationFilter", &namespace, &ingress.meta.name);
            let realm = annotation(annotations, "auth-realm").map_or("", |v| v.value.as_str());
            let spec = map(vec![
                ("type", s("Basic")),
                (
                    "basic",
                    map(vec![
                        ("secretRef", map(vec![("name", s(&secret))])),
                        ("realm", s(realm)),
                    ]),
                ),
            ]);
            filters.push(extension("AuthenticationFilter", &name));
            makes.push(make(
                "AuthenticationFilter",
                name,
                namespace.clone(),
                spec,
                &source,
            ));
        }
        let snippets = snippets(ingress);
        if !snippets.is_empty() {
            let name = names.claim("SnippetsFilter", &namespace, &ingress.meta.name);
            let spec = map(vec![(
                "snippets",
                seq(snippets
                    .iter()
                    .map(|(context, text)| map(vec![("context", s(context)), ("value", s(text))]))
                    .collect()),
            )]);
            filters.push(extension("SnippetsFilter", &name));
            makes.push(make(
                "SnippetsFilter",
                name.clone(),
                namespace.clone(),
                spec,
                &source,
            ));
            let first = [
                "whitelist-source-range",
                "allowlist-source-range",
                "denylist-source-range",
                "configuration-snippet",
                "server-snippet",
            ]
            .into_iter()
            .find(|n| annotation(annotations, n).is_some())
            .unwrap_or("configuration-snippet");
            diagnostics.push(note(ingress, first, format!("SnippetsFilter {namespace}/{name} carries this Ingress's nginx configuration (IP lists as allow and deny, snippets as written): NGINX Gateway Fabric applies it only with snippets enabled (Helm value nginxGateway.snippets.enable=true): without them the filter does not resolve, and Gateway API has such a rule answer 500 rather than serve it unfiltered; ingress-nginx's Lua, its own variables and modules (more_set_headers) are not there")));
        }
        let (rules, whole, shared) = serve(ingresses, id, routes, &filters);
        if rules == 0 {
            continue;
        }
        let body = annotation(annotations, "proxy-body-size").and_then(|v| max_size(&v.value));
        let rates: Vec<String> = [("limit-rps", "s"), ("limit-rpm", "m")]
            .iter()
            .filter_map(|(name, unit)| {
                let count = rate(&annotation(annotations, name)?.value)?;
                Some(format!("{count}r/{unit}"))
            })
            .collect();
        if (body.is_some() || !rates.is_empty()) && !shared.is_empty() {
            diagnostics.push(note(ingress, if body.is_some() { "proxy-body-size" } else { "limit-rps" }, format!("NGINX Gateway Fabric's ClientSettingsPolicy and RateLimitPolicy apply to whole routes: {} also {} paths of {}, which get this Ingress's body size and request rates too", shared.iter().map(|(r, _)| format!("HTTPRoute {namespace}/{r}")).collect::<Vec<_>>().join(", "), if shared.len() == 1 { "serves" } else { "serve" }, shared.iter().flat_map(|(_, others)| others.iter().cloned()).collect::<Vec<_>>().join(", "))));
        }
        let targets: Vec<(RouteKind, String)> = whole
            .into_iter()
            .chain(shared.into_iter().map(|(r, _)| (RouteKind::Http, r)))
            .collect();
        if let Some(size) = body {
            // One policy per route: a ClientSettingsPolicy has one targetRef.
            for (kind, route) in &targets {
                let name = names.claim("ClientSettingsPolicy", &namespace, route);
                let spec = map(vec![
                    ("targetRef", target(*kind, route)),
                    ("body", map(vec![("maxSize", s(&size))])),
                ]);
                makes.push(make(
                    "ClientSettingsPolicy",
                    name,
                    namespace.clone(),
                    spec,
                    &source,
                ));
            }
        }
        if !rates.is_empty() {
            let multiplier = annotation(annotations, "limit-burst-multiplier")
                .and_then(|m| rate(&m.value))
                .unwrap_or(5);
            let name = names.claim("RateLimitPolicy", &namespace, &ingress.meta.name);
            let rules: Vec<Value> = [("limit-rps", "s"), ("limit-rpm", "m")]
                .iter()
                .filter_map(|(key, unit)| {
                    let count = rate(&annotation(annotations, key)?.value)?;
                    Some(map(vec![
                        ("zoneSize", s("5m")),
                        ("rate", s(&format!("{count}r/{unit}"))),
                        ("key", s("$binary_remote_addr")),
                        ("burst", Value::Int(count.saturating_mul(multiplier))),
                        ("noDelay", Value::Bool(true)),
                    ]))
                })
                .collect();
            let spec = map(vec![
                (
                    "targetRefs",
                    seq(targets
                        .iter()
                        .map(|(kind, route)| target(*kind, route))
                        .collect()),
                ),
                (
                    "rateLimit",
                    map(vec![
                        ("local", map(vec![("rules", seq(rules))])),
                        ("rejectCode", Value::Int(503)),
                    ]),
                ),
            ]);
            for exempt in ["limit-allowlist", "limit-whitelist"] {
                if annotation(annotations, exempt).is_some() {
                    diagnostics.push(note(ingress, exempt, format!("annotation {}{exempt} is not translated: RateLimitPolicy {namespace}/{name} keys on the client address alone, so the clients it exempted are limited too", crate::convert::providers::ingress_nginx::PREFIX)));
                }
            }
            makes.push(make(
                "RateLimitPolicy",
                name,
                namespace.clone(),
                spec,
                &source,
            ));
        }
    }
    let (made, found) = upstream::emit(ingresses, routes, names);
    makes.extend(made);
    diagnostics.extend(found);
    (makes, diagnostics)
}

/// An ExtensionRef filter to one of this implementation's filters.
fn extension(kind: &str, name: &str) -> Filter {
    Filter::ExtensionRef {
        group: GROUP.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
    }
}

fn target(kind: RouteKind, route: &str) -> Value {
    map(vec![
        ("group", s(GATEWAY_GROUP)),
        ("kind", s(kind.kind())),
        ("name", s(route)),
    ])
}

fn make(
    kind: &'static str,
    name: String,
    namespace: String,
    spec: Value,
    source: &crate::diag::Location,
) -> Make {
    let source = source.clone();
    Box::new(move || super::object(API_VERSION, kind, &name, &namespace, spec, source))
}

/// Adds `filters` to every rule that serves Ingress `id`'s paths, and sorts its routes: those
/// whose served paths are all its own, and the others with the Ingresses they also serve.
/// Returns how many rules serve its paths.
#[allow(clippy::type_complexity)]
fn serve(
    ingresses: &[Ingress],
    id: IngressId,
    routes: &mut [Route],
    filters: &[Filter],
) -> (usize, Vec<(RouteKind, String)>, Vec<(String, Vec<String>)>) {
    let mut count = 0;
    let mut whole = Vec::new();
    let mut shared = Vec::new();
    for route in routes.iter_mut() {
        if route.kind == RouteKind::Tls || !route.ingresses.contains(&id) {
            continue;
        }
        let mut mine = 0;
        let mut others: Vec<String> = Vec::new();
        for rule in route.rules.iter_mut().filter(|r| !r.backends.is_empty()) {
            match primary(ingresses, &rule.sources) {
                Some(owner) if owner == id => {
                    mine += 1;
                    rule.filters.extend(filters.iter().cloned());
                }
                Some(other) => {
                    let name = ingresses.get(other).map(|i| i.reference().to_string());
                    if let Some(name) = name.filter(|n| !others.contains(n)) {
                        others.push(name);
                    }
                }
                None => {}
            }
        }
        if mine == 0 {
            continue;
        }
        count += mine;
        if others.is_empty() {
            whole.push((route.kind, route.name.clone()));
        } else {
            shared.push((route.name.clone(), others));
        }
    }
    (count, whole, shared)
}

#[cfg(test)]
mod tests {
    use super::max_size;

    #[test]
    fn body_sizes_as_client_settings_take_them() {
        assert_eq!(max_size("8m").as_deref(), Some("8m"));
        assert_eq!(max_size("100K").as_deref(), Some("100k"));
        assert_eq!(max_size("0").as_deref(), Some("0"));
        assert_eq!(max_size("1048576").as_deref(), Some("1024k"));
        assert_eq!(max_size("10000000").as_deref(), Some("9766k"));
        assert_eq!(max_size("20000m").as_deref(), Some("20g"));
        assert_eq!(max_size("1.5m"), None);
    }
}
