//! The Kong Ingress Controller's Ingress annotations (`konghq.com/*`), as its translator reads
//! them (`internal/annotations`, `internal/dataplane/kongstate/route.go`): `methods` and
//! `headers.<name>` add matches, `plugins` attaches KongPlugins (ExtensionRef filters, which
//! Kong's Gateway API implementation applies as the annotation does), `strip-path` removes the
//! matched path, `protocols` and `https-redirect-status-code` choose the listeners a rule is
//! served on and how plain HTTP is answered, and ImplementationSpecific paths starting with `/~`
//! are regular expressions. The others are warned.
//!
//! Kong's route defaults: protocols http and https (no redirect), strip-path false, plain HTTP
//! to an HTTPS-only route answered with 426 Upgrade Required.

use std::collections::{BTreeMap, BTreeSet};

use super::{Effect, Finding, Objects, OnHttp, Plan, Provider, Sides};
use crate::convert::ingress::Ingress;
use crate::convert::plan::{
    Binding, Filter, ListenerKind, PathMatch, PathType, Redirect, RouteKind, RouteMatch, Rule,
};
use crate::diag::Diagnostic;
use crate::source::Document;

pub const PREFIX: &str = "konghq.com/";

/// The annotations lsc translates, without the prefix (and every `headers.<name>`).
const TRANSLATED: &[&str] = &[
    "methods",
    "headers-separator",
    "plugins",
    "strip-path",
    "protocols",
    "https-redirect-status-code",
];

/// Gateway API's limits on one route rule (`HTTPRouteRule.matches`, `HTTPRouteMatch.headers`).
const MAX_MATCHES: usize = 64;
const MAX_HEADERS: usize = 16;
/// Gateway API's limit on the rules of one route (`HTTPRouteSpec.rules`).
const MAX_RULES: usize = 16;

/// The HTTP methods a Gateway API match can name (`HTTPMethod`).
const GATEWAY_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// The `https_redirect_status_code` values Kong accepts (others leave its default, 426).
const REDIRECT_CODES: &[i64] = &[426, 301, 302, 307, 308];

/// Is `key` a Kong annotation lsc translates?
pub fn translates(key: &str) -> bool {
    key.strip_prefix(PREFIX)
        .is_some_and(|name| TRANSLATED.contains(&name) || name.starts_with("headers."))
}

/// The KongPlugins (namespace, name) and KongClusterPlugins (name) among the inputs.
#[derive(Debug, Clone, Default)]
pub struct Plugins {
    pub namespaced: BTreeSet<(String, String)>,
    pub cluster: BTreeSet<String>,
}

impl Plugins {
    pub fn extend(&mut self, other: Plugins) {
        self.namespaced.extend(other.namespaced);
        self.cluster.extend(other.cluster);
    }

    /// Records a KongPlugin or KongClusterPlugin document of the inputs; false for another kind.
    pub fn read(
        &mut self,
        group: &str,
        kind: &str,
        doc: &Document,
        default_namespace: &str,
    ) -> bool {
        if group != "configuration.konghq.com" {
            return false;
        }
        let meta = doc.root.get_value("metadata");
        let name = meta.and_then(|m| m.str_at(&["name"]));
        match (kind, name) {
            ("KongPlugin", Some(name)) => {
                let namespace = meta
                    .and_then(|m| m.str_at(&["namespace"]))
                    .unwrap_or(default_namespace);
                self.namespaced
                    .insert((namespace.to_string(), name.to_string()));
                true
            }
            ("KongClusterPlugin", Some(name)) => {
                self.cluster.insert(name.to_string());
                true
            }
            ("KongPlugin" | "KongClusterPlugin", None) => true,
            _ => false,
        }
    }
}

/// Is this one of Kong's TCPIngress or UDPIngress kinds (not converted)?
pub fn is_stream_ingress(group: &str, kind: &str) -> bool {
    group == "configuration.konghq.com" && matches!(kind, "TCPIngress" | "UDPIngress")
}

/// Where an HTTP rule of a Kong route is served, from `protocols`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Protocols {
    http: bool,
    https: bool,
    grpc: bool,
}

impl Default for Protocols {
    fn default() -> Self {
        Protocols {
            http: true,
            https: true,
            grpc: false,
        }
    }
}

/// An Ingress's Kong route settings.
#[derive(Debug, Default)]
struct KongRoute {
    methods: Vec<String>,
    methods_line: u32,
    /// `headers.<name>`: the name and its values (any one of them matches).
    headers: Vec<(String, Vec<String>)>,
    headers_line: u32,
    /// KongPlugin or KongClusterPlugin, and name.
    plugins: Vec<(&'static str, String)>,
    strip_path: bool,
    strip_line: u32,
    protocols: Protocols,
    protocols_line: u32,
    redirect_status: Option<i64>,
}

/// The comma list of an annotation, trimmed, empty items left out.
fn list(value: &str, separator: &str) -> Vec<String> {
    value
        .split(separator)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The findings and the route settings of one Ingress, from one reading.
fn read(ingress: &Ingress, objects: &Objects) -> (KongRoute, Vec<Finding>) {
    let mut route = KongRoute::default();
    let mut findings = Vec::new();
    let separator = ingress
        .meta
        .annotations
        .get(format!("{PREFIX}headers-separator").as_str())
        .map_or(",".to_string(), |a| a.value.clone());
    for (key, located) in ingress.meta.annotations.iter() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let value = located.value.as_str();
        let line = located.line;
        let effect = match name {
            "methods" => methods(key, value, line, &mut route),
            "headers-separator" => Effect::Translated,
            "plugins" => {
                for plugin in list(value, ",") {
                    let namespace = &ingress.meta.namespace;
                    let namespaced = objects
                        .kong
                        .namespaced
                        .contains(&(namespace.clone(), plugin.clone()));
                    if !namespaced && objects.kong.cluster.contains(&plugin) {
                        findings.push(Finding::new(
                            key,
                            line,
                            Effect::Warned(format!(
                                "annotation {key}: {plugin} is a KongClusterPlugin among the inputs; the rules get an ExtensionRef filter to it, which Kong's Gateway API implementation refuses (its filters name KongPlugins only), so the routes fail closed until a KongPlugin {plugin} in namespace {namespace} (a copy of its configuration) replaces it"
                            )),
                        ));
                        route.plugins.push(("KongClusterPlugin", plugin));
                    } else {
                        route.plugins.push(("KongPlugin", plugin));
                    }
                }
                Effect::Translated
            }
            "strip-path" => match value.to_ascii_lowercase().as_str() {
                "true" => {
                    route.strip_path = true;
                    route.strip_line = line;
                    Effect::Translated
                }
                "false" => Effect::Translated,
                _ => Effect::Warned(format!(
                    "annotation {key} ({value:?}) is neither \"true\" nor \"false\", which Kong ignores (the path is not stripped); so does the conversion"
                )),
            },
            "protocols" => protocols(key, value, line, &mut route),
            "https-redirect-status-code" => match value.trim().parse::<i64>() {
                Ok(code) if REDIRECT_CODES.contains(&code) => {
                    route.redirect_status = Some(code);
                    Effect::Translated
                }
                _ => Effect::Warned(format!(
                    "annotation {key} ({value:?}) is not one of 301, 302, 307, 308 or 426, which Kong ignores (plain HTTP to an HTTPS-only route is answered 426); so does the conversion"
                )),
            },
            _ => match name.strip_prefix("headers.") {
                Some(header) if !header.is_empty() && !value.is_empty() => {
                    let values = list(value, &separator);
                    if let Some(regex) = values.iter().find(|v| v.starts_with("~*")) {
                        Effect::Refused(format!(
                            "annotation {key}: value {regex:?} is a regular expression for Kong (the ~* prefix), which lsc does not translate: Gateway API's RegularExpression header match is implementation-specific; list the exact values instead"
                        ))
                    } else {
                        if route.headers_line == 0 {
                            route.headers_line = line;
                        }
                        route.headers.push((header.to_string(), values));
                        Effect::Translated
                    }
                }
                Some(_) => Effect::Warned(format!(
                    "annotation {key} has an empty header name or value, which Kong ignores; so does the conversion"
                )),
                None => Effect::Warned(untranslated(key, name)),
            },
        };
        findings.push(Finding::new(key, line, effect));
    }
    (route, findings)
}

/// Why an annotation of Kong is not translated.
fn untranslated(key: &str, name: &str) -> String {
    let why = match name {
        "override" => {
            "a KongIngress configures the route, service and upstream; Gateway API has no standard fields for most of it"
        }
        "preserve-host" | "host-header" => {
            "Gateway API's Host header handling is the implementation's (a URLRewrite hostname filter sets another Host)"
        }
        "regex-priority" => "Gateway API orders rules by its own precedence, not by a priority",
        "connect-timeout" | "read-timeout" | "write-timeout" | "retries" => {
            "Gateway API's timeouts and retries differ (HTTPRoute timeouts.request/backendRequest, the experimental retry field)"
        }
        "path" => {
            "it rewrites the upstream path prefix of the Service, which a URLRewrite filter per rule would have to carry"
        }
        "snis"
        | "client-cert"
        | "tls-verify"
        | "tls-verify-depth"
        | "ca-certificates-secrets"
        | "ca-certificates-configmaps" => {
            "it configures TLS to clients or backends, which Gateway API configures on listeners and BackendTLSPolicy"
        }
        _ => "",
    };
    if why.is_empty() {
        format!(
            "annotation {key} of Kong is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
        )
    } else {
        format!(
            "annotation {key} of Kong is not translated to Gateway API: {why}; configure it on the Gateway implementation by hand"
        )
    }
}

/// `methods`: Kong upper-cases and trims each; one that is not letters makes it discard the
/// whole annotation.
fn methods(key: &str, value: &str, line: u32, route: &mut KongRoute) -> Effect {
    let methods: Vec<String> = list(value, ",")
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .collect();
    if let Some(bad) = methods
        .iter()
        .find(|m| !m.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Effect::Warned(format!(
            "annotation {key}: {bad:?} is not a method name, so Kong discards the whole annotation and serves every method; so does the conversion"
        ));
    }
    if let Some(other) = methods
        .iter()
        .find(|m| !GATEWAY_METHODS.contains(&m.as_str()))
    {
        return Effect::Refused(format!(
            "annotation {key}: method {other} cannot be matched by Gateway API (its methods are {}); remove it from the list",
            GATEWAY_METHODS.join(", ")
        ));
    }
    let mut unique = Vec::new();
    for m in methods {
        if !unique.contains(&m) {
            unique.push(m);
        }
    }
    route.methods = unique;
    route.methods_line = line;
    Effect::Translated
}

/// `protocols`: a value Kong does not know makes it ignore the annotation; gRPC beside HTTP
/// is normalized to http and https.
fn protocols(key: &str, value: &str, line: u32, route: &mut KongRoute) -> Effect {
    let names = list(value, ",");
    const KNOWN: &[&str] = &[
        "http",
        "https",
        "grpc",
        "grpcs",
        "ws",
        "wss",
        "tls",
        "tcp",
        "tls_passthrough",
    ];
    if let Some(bad) = names.iter().find(|n| !KNOWN.contains(&n.as_str())) {
        return Effect::Warned(format!(
            "annotation {key}: {bad:?} is not a protocol Kong knows, so it ignores the annotation (http and https); so does the conversion"
        ));
    }
    if names.is_empty() {
        return Effect::Translated;
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    let others: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !matches!(*n, "http" | "https" | "grpc" | "grpcs"))
        .collect();
    let http = has("http") || has("https");
    let grpc = has("grpc") || has("grpcs");
    route.protocols_line = line;
    route.protocols = if http || !grpc {
        // gRPC beside HTTP: Kong serves the route as http and https.
        Protocols {
            http: has("http") || (grpc && http) || (!http && !grpc),
            https: has("https") || (grpc && http) || (!http && !grpc),
            grpc: false,
        }
    } else {
        Protocols {
            http: has("grpc"),
            https: has("grpcs"),
            grpc: true,
        }
    };
    if others.is_empty() {
        Effect::Translated
    } else {
        Effect::Warned(format!(
            "annotation {key}: protocol(s) {} of an Ingress rule are not translated (Kong's stream and WebSocket routes); the rules are served over {}",
            others.join(", "),
            match (route.protocols.http, route.protocols.https) {
                (true, true) => "HTTP and HTTPS",
                (false, true) => "HTTPS",
                _ => "HTTP",
            }
        ))
    }
}

/// The method and header matches of an Ingress's routes, as one text (`None` without them):
/// Kong makes a route per Ingress, so two Ingresses with one path and other matches are two
/// routes, not one.
pub fn match_key(ingress: &Ingress) -> Option<String> {
    let mut key = String::new();
    for (name, located) in ingress.meta.annotations.iter() {
        let Some(name) = name.strip_prefix(PREFIX) else {
            continue;
        };
        if name == "methods" || name == "headers-separator" || name.starts_with("headers.") {
            key.push_str(&format!("\n{name}={}", located.value));
        }
    }
    (!key.is_empty()).then_some(key)
}

/// What each Kong annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress, objects: &Objects) -> Vec<Finding> {
    read(ingress, objects).1
}

/// Does Kong serve this Ingress's rules as gRPC (`protocols` grpc or grpcs only)?
pub fn is_grpc(ingress: &Ingress) -> bool {
    ingress.provider.0 == Provider::Kong && read(ingress, &Objects::default()).0.protocols.grpc
}

/// Applies the Kong routes of the Ingresses to the rules they govern: regex paths, matches,
/// plugins, strip-path, and the listeners each rule is served on.
pub fn plan(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let mut routes: BTreeMap<usize, KongRoute> = BTreeMap::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.provider.0 == Provider::Kong {
            routes.insert(id, read(ingress, plan.objects).0);
        }
    }
    if routes.is_empty() {
        return;
    }
    let https_hosts = plan.https_hosts();
    let mut diagnostics = Vec::new();
    for route in plan.routes.iter_mut() {
        if !matches!(route.kind, RouteKind::Http | RouteKind::Grpc) || !route.unsplit() {
            continue;
        }
        let has_https = https_hosts.serve(route);
        let mut grpc_sides: Option<Sides> = None;
        let mut rules = Vec::with_capacity(route.rules.len());
        let mut split_by: Option<(&Ingress, u32, usize)> = None;
        for mut rule in std::mem::take(&mut route.rules) {
            let governing = rule
                .sources
                .first()
                .and_then(|id| Some((routes.get(id)?, ingresses.get(*id)?)));
            let Some((kong, ingress)) = governing else {
                rules.push(rule);
                continue;
            };
            let rule = &mut rule;
            let mut report = |d: Diagnostic| {
                let d = d.about(&ingress.reference());
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            };
            if route.kind == RouteKind::Http {
                regex_path(rule, ingress);
                if kong.strip_path {
                    strip_path(rule, ingress, kong.strip_line, &mut report);
                }
            }
            add_matches(rule, route.kind, kong, ingress, &mut report);
            for (kind, name) in &kong.plugins {
                rule.filters.push(Filter::ExtensionRef {
                    group: "configuration.konghq.com".to_string(),
                    kind: (*kind).to_string(),
                    name: name.clone(),
                });
            }
            let sides = sides_of(kong, ingress, &route.host, has_https, &mut report);
            if route.kind == RouteKind::Grpc {
                grpc_sides.get_or_insert(sides);
            } else if sides != Sides::both() {
                rule.sides = Some(Box::new(sides));
            }
            let split = one_prefix_match_each(std::mem::take(rule));
            if split.len() > 1 && split_by.is_none() {
                split_by = Some((ingress, kong.strip_line, split.len()));
            }
            rules.extend(split);
        }
        route.rules = rules;
        if let Some((ingress, line, count)) = split_by.filter(|_| route.rules.len() > MAX_RULES) {
            let d = Diagnostic::error(
                Some(ingress.at(line)),
                format!(
                    "{PREFIX}strip-path with {PREFIX}methods or {PREFIX}headers.* makes one rule per match ({count} for one path; Gateway API rewrites a prefix only for a rule with exactly one match), and route {}/{} gets {} rules, more than the {MAX_RULES} a Gateway API route holds: split the Ingress, or drop strip-path and rewrite in the backend",
                    route.namespace,
                    route.name,
                    route.rules.len()
                ),
            )
            .about(&ingress.reference());
            if !diagnostics.contains(&d) {
                diagnostics.push(d);
            }
        }
        // A GRPCRoute is not split: it attaches to the listener its protocols name.
        if let Some(sides) = grpc_sides.filter(|s| *s != Sides::both()) {
            let kind = if sides.https {
                ListenerKind::Https
            } else {
                ListenerKind::Http
            };
            route.bindings = vec![Binding {
                section: Some((route.host.clone(), kind)),
                port: Some(kind.port()),
            }];
        }
    }
    for d in diagnostics {
        plan.report(d);
    }
}

/// The Ingress path a rule came from (by the line of its first backend).
fn ingress_path<'i>(
    rule: &Rule,
    ingress: &'i Ingress,
) -> Option<&'i crate::convert::ingress::IngressPath> {
    let line = rule.backends.first()?.line;
    ingress
        .rules
        .iter()
        .flat_map(|r| &r.paths)
        .find(|p| p.line == line)
}

/// An ImplementationSpecific path `/~<regex>` is a regular expression for Kong.
fn regex_path(rule: &mut Rule, ingress: &Ingress) {
    let Some(path) = ingress_path(rule, ingress) else {
        return;
    };
    if path.path_type.as_deref() != Some("ImplementationSpecific") {
        return;
    }
    let Some(regex) = path.path.strip_prefix("/~") else {
        return;
    };
    for m in &mut rule.matches {
        if m.path.is_some() {
            m.path = Some(PathMatch {
                kind: PathType::RegularExpression,
                value: regex.to_string(),
            });
        }
    }
}

/// `strip-path: "true"`: Kong removes the matched path before proxying (a prefix match's
/// prefix; the whole path of an exact one).
fn strip_path(rule: &mut Rule, ingress: &Ingress, line: u32, report: &mut impl FnMut(Diagnostic)) {
    let Some(path) = rule.matches.first().and_then(|m| m.path.clone()) else {
        return;
    };
    match path.kind {
        PathType::PathPrefix if path.value == "/" => {}
        PathType::PathPrefix => rule.filters.push(Filter::RewritePrefix("/".to_string())),
        PathType::Exact => rule.filters.push(Filter::RewriteFullPath("/".to_string())),
        PathType::RegularExpression => report(Diagnostic::warning(
            Some(ingress.at(line)),
            format!(
                "annotation {PREFIX}strip-path is not translated for the regular expression path {:?}: Kong strips what the expression matched, which Gateway API's URLRewrite (a prefix or the whole path) cannot express; the path is passed on as requested",
                path.value
            ),
        )),
    }
}

/// `methods` and `headers.<name>`: each match of the rule becomes one match per method and
/// per combination of header values (Kong matches any value of a header, and every header).
fn add_matches(
    rule: &mut Rule,
    kind: RouteKind,
    kong: &KongRoute,
    ingress: &Ingress,
    report: &mut impl FnMut(Diagnostic),
) {
    let methods: Vec<Option<&str>> = if kong.methods.is_empty() {
        vec![None]
    } else if kind == RouteKind::Grpc {
        report(Diagnostic::warning(
            Some(ingress.at(kong.methods_line)),
            format!(
                "annotation {PREFIX}methods is not translated for a gRPC route: a GRPCRoute matches gRPC methods, not HTTP ones (gRPC requests are POSTs)"
            ),
        ));
        vec![None]
    } else {
        kong.methods.iter().map(|m| Some(m.as_str())).collect()
    };
    if kong.headers.is_empty() && methods == [None] {
        return;
    }
    if kong.headers.len() > MAX_HEADERS {
        report(Diagnostic::error(
            Some(ingress.at(kong.headers_line)),
            format!(
                "{} {PREFIX}headers.* annotations: a Gateway API match holds at most {MAX_HEADERS} header matches",
                kong.headers.len()
            ),
        ));
        return;
    }
    let combinations = combinations(&kong.headers);
    let base = if rule.matches.is_empty() {
        vec![RouteMatch::default()]
    } else {
        rule.matches.clone()
    };
    let count = base.len() * methods.len() * combinations.len();
    if count > MAX_MATCHES {
        let line = if kong.headers_line != 0 {
            kong.headers_line
        } else {
            kong.methods_line
        };
        report(Diagnostic::error(
            Some(ingress.at(line)),
            format!(
                "{PREFIX}methods and {PREFIX}headers.* make {count} matches for path {:?} ({} method(s) × {} header value combination(s)), more than the {MAX_MATCHES} a Gateway API route rule holds: split the Ingress by method or header value",
                base.first()
                    .and_then(|m| m.path.as_ref())
                    .map_or("/", |p| p.value.as_str()),
                methods.len(),
                combinations.len()
            ),
        ));
        return;
    }
    let mut matches = Vec::with_capacity(count);
    for m in &base {
        for method in &methods {
            for headers in &combinations {
                let mut next = m.clone();
                next.http_method = method.map(str::to_string);
                next.headers.extend(headers.iter().cloned());
                matches.push(next);
            }
        }
    }
    rule.matches = matches;
}

/// A rule whose prefix is rewritten (`strip-path`) must have exactly one match (Gateway API's
/// validation of `ReplacePrefixMatch`): with several (methods, header values), one rule per
/// match, each with the rule's filters and backends.
fn one_prefix_match_each(rule: Rule) -> Vec<Rule> {
    let rewrites_prefix = rule
        .filters
        .iter()
        .any(|f| matches!(f, Filter::RewritePrefix(_)));
    if !rewrites_prefix || rule.matches.len() <= 1 {
        return vec![rule];
    }
    rule.matches
        .iter()
        .map(|m| Rule {
            matches: vec![m.clone()],
            ..rule.clone()
        })
        .collect()
}

/// Every choice of one value per header, headers in order.
fn combinations(headers: &[(String, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let mut all: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (name, values) in headers {
        let mut next = Vec::with_capacity(all.len() * values.len());
        for chosen in &all {
            for value in values {
                let mut more = chosen.clone();
                more.push((name.clone(), value.clone()));
                next.push(more);
            }
        }
        all = next;
    }
    all
}

/// The listeners one rule of a Kong Ingress is served on.
fn sides_of(
    kong: &KongRoute,
    ingress: &Ingress,
    host: &str,
    has_https: bool,
    report: &mut impl FnMut(Diagnostic),
) -> Sides {
    let Protocols { http, https, grpc } = kong.protocols;
    let shown = if host.is_empty() {
        "its rules without a host".to_string()
    } else {
        format!("host {host:?}")
    };
    if https && !has_https && !http {
        report(Diagnostic::error(
            Some(ingress.at(kong.protocols_line)),
            format!(
                "Kong serves {shown} over HTTPS only ({PREFIX}protocols), with a certificate of its own, but no spec.tls entry of the Ingress names a Secret for it, and a Gateway API HTTPS listener needs one: add a spec.tls entry for the host (cert-manager issues its Certificate from the Ingress's annotations), or add http to the protocols"
            ),
        ));
        return Sides::both();
    }
    match (http, https) {
        (true, true) => Sides::both(),
        (true, false) => Sides {
            http: OnHttp::Serve,
            https: false,
        },
        _ if grpc => Sides {
            http: OnHttp::Off,
            https: true,
        },
        _ => match kong.redirect_status {
            Some(code) if code != 426 => Sides {
                http: OnHttp::Redirect(Redirect {
                    scheme: Some("https".to_string()),
                    status: Some(code),
                    ..Redirect::default()
                }),
                https: true,
            },
            _ => {
                report(Diagnostic::warning(
                    Some(ingress.at(kong.protocols_line)),
                    format!(
                        "{PREFIX}protocols serves {shown} over HTTPS only, and Kong answers plain HTTP with 426 Upgrade Required (its https-redirect-status-code default), which a Gateway API filter cannot answer: the routes attach to the HTTPS listener only, so plain HTTP gets the Gateway's 404; give {PREFIX}https-redirect-status-code 301, 302, 307 or 308 to redirect instead"
                    ),
                ));
                Sides {
                    http: OnHttp::Off,
                    https: true,
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(c: &[Vec<(String, String)>]) -> Vec<String> {
        c.iter()
            .map(|m| {
                m.iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join("&")
            })
            .collect()
    }

    #[test]
    fn header_values_are_ored_within_a_header_and_anded_across_headers() {
        let headers = vec![
            (
                "x-env".to_string(),
                vec!["blue".to_string(), "green".to_string()],
            ),
            (
                "x-tier".to_string(),
                vec!["gold".to_string(), "silver".to_string(), "free".to_string()],
            ),
        ];
        let all = pairs(&combinations(&headers));
        assert_eq!(all.len(), 6);
        for env in ["blue", "green"] {
            for tier in ["gold", "silver", "free"] {
                assert!(all.contains(&format!("x-env={env}&x-tier={tier}")));
            }
        }
        assert_eq!(pairs(&combinations(&[])), vec![String::new()]);
    }

    #[test]
    fn methods_are_upper_cased_and_a_bad_one_discards_the_annotation() {
        let mut route = KongRoute::default();
        assert_eq!(
            methods("konghq.com/methods", "get, Post,GET", 3, &mut route),
            Effect::Translated
        );
        assert_eq!(route.methods, vec!["GET".to_string(), "POST".to_string()]);
        let mut route = KongRoute::default();
        assert!(matches!(
            methods("konghq.com/methods", "GET,PO ST", 3, &mut route),
            Effect::Warned(_)
        ));
        assert!(route.methods.is_empty());
        assert!(matches!(
            methods("konghq.com/methods", "GET,PURGE", 3, &mut route),
            Effect::Refused(_)
        ));
    }

    #[test]
    fn protocols_choose_the_listeners_and_grpc_beside_http_is_http() {
        let read = |value: &str| {
            let mut route = KongRoute::default();
            let effect = protocols("konghq.com/protocols", value, 1, &mut route);
            (effect, route.protocols)
        };
        let p = |http, https, grpc| Protocols { http, https, grpc };
        assert_eq!(read("https"), (Effect::Translated, p(false, true, false)));
        assert_eq!(
            read("http,https"),
            (Effect::Translated, p(true, true, false))
        );
        assert_eq!(read("grpcs"), (Effect::Translated, p(false, true, true)));
        assert_eq!(
            read("grpc,grpcs"),
            (Effect::Translated, p(true, true, true))
        );
        assert_eq!(
            read("grpc,https"),
            (Effect::Translated, p(true, true, false))
        );
        assert!(matches!(read("gopher").0, Effect::Warned(_)));
        assert_eq!(read("gopher").1, Protocols::default());
    }
}
