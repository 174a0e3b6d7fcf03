//! The ingress-nginx annotations ingress2gateway translates (reference ingress2gateway §4),
//! applied to the planned routes in its order, plus CORS (`cors.rs`) and BackendTLSPolicies
//! (`backend_tls.rs`). Every other `nginx.ingress.kubernetes.io/*` annotation is reported as
//! not translated, but for the access controls `security.rs` refuses.

use foldhash::HashSet;
use rayon::prelude::*;
use std::collections::BTreeSet;

use crate::convert::ingress::Ingress;
use crate::convert::names::NameRegistry;
use crate::convert::plan::{
    BackendRef, Binding, Filter, IngressId, ListenerKind, ListenerNeed, OnHttp, PathMatch,
    PathType, Redirect, Route, RouteKind, RouteMatch, Rule, Sides,
};
use crate::convert::routes::is_canary;
use crate::diag::{Diagnostic, Severity};
use crate::golang::strconv::{atoi, parse_bool};

mod backend_tls;
mod cors;

pub use backend_tls::system_ca_policy;

pub const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// The annotations lsc translates (or reads to decide something), without the prefix.
pub const TRANSLATED: &[&str] = &[
    "app-root",
    "backend-protocol",
    "canary",
    "canary-by-header",
    "canary-by-header-value",
    "canary-weight",
    "canary-weight-total",
    "connection-proxy-header",
    "cors-allow-credentials",
    "cors-allow-headers",
    "cors-allow-methods",
    "cors-allow-origin",
    "cors-expose-headers",
    "cors-max-age",
    "enable-cors",
    "force-ssl-redirect",
    "from-to-www-redirect",
    "permanent-redirect",
    "permanent-redirect-code",
    "proxy-ssl-name",
    "proxy-ssl-secret",
    "proxy-ssl-server-name",
    "proxy-ssl-verify",
    "proxy-connect-timeout",
    "proxy-read-timeout",
    "proxy-send-timeout",
    "rewrite-target",
    "ssl-passthrough",
    "ssl-redirect",
    "temporal-redirect",
    "temporal-redirect-code",
    "upstream-vhost",
    "use-regex",
    "x-forwarded-prefix",
];

/// The ingress-nginx annotation `name` (without its prefix) of `ingress`. The passes ask for
/// annotations per rule; looking the key up among the prefixed ones spares building it.
fn nginx_annotation<'a>(
    ingress: &'a Ingress,
    name: &str,
) -> Option<&'a crate::model::fields::Located> {
    if !ingress.nginx_annotated {
        return None;
    }
    let annotations = &ingress.meta.annotations;
    let (Ok(first) | Err(first)) = annotations.find_index::<str>(PREFIX);
    (first..annotations.len())
        .map_while(|i| annotations.get_indexed(i))
        .map_while(|(key, value)| Some((key.strip_prefix(PREFIX)?, value)))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn annotation<'a>(ingress: &'a Ingress, name: &str) -> Option<&'a str> {
    nginx_annotation(ingress, name).map(|a| a.value.as_str())
}

fn located(ingress: &Ingress, name: &str) -> Option<crate::diag::Location> {
    let line = nginx_annotation(ingress, name).map_or(ingress.meta.annotations_line, |a| a.line);
    Some(ingress.at(line))
}

/// The annotations' effects, applied in ingress2gateway's order, with their diagnostics.
pub struct Nginx<'a> {
    pub ingresses: &'a [Ingress],
    /// Every host some Ingress of the whole input serves TLS for (ingress-nginx merges TLS per
    /// host, across namespaces).
    tls_hosts: &'a TlsHosts<'a>,
    pub diagnostics: Vec<Diagnostic>,
    /// What `diagnostics` holds, to find repeats without a scan.
    reported: HashSet<Diagnostic>,
}

/// Every host some Ingress serves TLS for: ingress-nginx merges TLS per host, whatever the
/// namespace, so the ssl-redirect and ssl-passthrough passes of each namespace's plan look here.
#[derive(Debug, Default)]
pub struct TlsHosts<'a> {
    hosts: HashSet<&'a str>,
    /// `example.com` for each `*.example.com` among them.
    wildcard_parents: HashSet<&'a str>,
}

impl<'a> TlsHosts<'a> {
    pub fn of(ingresses: impl ParallelIterator<Item = &'a Ingress>) -> Self {
        let hosts: HashSet<&str> = ingresses.flat_map_iter(Ingress::tls_hosts).collect();
        let wildcard_parents = hosts.iter().filter_map(|h| h.strip_prefix("*.")).collect();
        TlsHosts {
            hosts,
            wildcard_parents,
        }
    }

    /// Does some Ingress serve `host` over TLS: a TLS entry naming it, or a wildcard entry
    /// covering it (ingress-nginx then serves the wildcard's certificate for the host)?
    fn covers(&self, host: &str) -> bool {
        self.hosts.contains(host)
            || host
                .split_once('.')
                .is_some_and(|(_, parent)| self.wildcard_parents.contains(parent))
    }
}

impl<'a> Nginx<'a> {
    pub fn new(ingresses: &'a [Ingress], tls_hosts: &'a TlsHosts<'a>) -> Self {
        Nginx {
            ingresses,
            tls_hosts,
            diagnostics: Vec::new(),
            reported: HashSet::default(),
        }
    }

    fn ingress(&self, id: IngressId) -> Option<&'a Ingress> {
        self.ingresses.get(id)
    }

    /// Records a diagnostic once: an annotation read for every rule (or route) of an
    /// Ingress would otherwise say the same thing once per rule.
    fn report(&mut self, diagnostic: Diagnostic) {
        if self.reported.insert(diagnostic.clone()) {
            self.diagnostics.push(diagnostic);
        }
    }

    fn error(&mut self, id: IngressId, name: &str, message: String) {
        if let Some(ingress) = self.ingress(id) {
            self.report(
                Diagnostic::error(located(ingress, name), message).about(&ingress.reference()),
            );
        }
    }

    fn warn(&mut self, id: IngressId, name: &str, message: String) {
        if let Some(ingress) = self.ingress(id) {
            self.report(
                Diagnostic::warning(located(ingress, name), message).about(&ingress.reference()),
            );
        }
    }

    /// The first non-canary source of a rule, else its first source (ingress2gateway's
    /// `getNonCanaryIngress`): the Ingress whose annotations govern the rule.
    fn primary(&self, rule: &Rule) -> Option<IngressId> {
        rule.sources
            .iter()
            .copied()
            .find(|id| self.ingress(*id).is_some_and(|i| !is_canary(i)))
            .or(rule.sources.first().copied())
    }

    /// Do these passes decide how this rule is served (no module of providers/ does)?
    fn serves(&self, rule: &Rule) -> bool {
        self.primary(rule)
            .and_then(|id| self.ingress(id))
            .is_some_and(|i| !i.provider.0.plans_listeners())
    }

    fn is_passthrough(&self, id: IngressId) -> bool {
        self.ingress(id)
            .and_then(|i| annotation(i, "ssl-passthrough"))
            == Some("true")
    }

    fn primary_ingress(&self, rule: &Rule) -> Option<(IngressId, &'a Ingress)> {
        let id = self.primary(rule)?;
        Some((id, self.ingress(id)?))
    }

    fn primary_annotation(&self, rule: &Rule, name: &str) -> Option<(IngressId, &'a str)> {
        let id = self.primary(rule)?;
        annotation(self.ingress(id)?, name).map(|v| (id, v))
    }

    /// Warnings for annotations nobody translates, once per Ingress and key.
    pub fn report_untranslated(&mut self, emitter: crate::convert::emitters::Emitter) {
        for (id, ingress) in self.ingresses.iter().enumerate() {
            for (key, located) in ingress.meta.annotations.iter() {
                let Some(name) = key.strip_prefix(PREFIX) else {
                    continue;
                };
                if TRANSLATED.contains(&name)
                    || (!ingress.canary
                        && emitter.translates(
                            &ingress.meta.annotations,
                            &ingress.meta.namespace,
                            name,
                            &located.value,
                        ))
                {
                    continue;
                }
                let reported_elsewhere = if ingress.canary {
                    // Warned where the canary is planned.
                    matches!(name, "canary-by-cookie" | "canary-by-header-pattern")
                } else {
                    // An access control is an error (or an accepted loss): security.rs.
                    crate::convert::security::control(
                        &ingress.meta.annotations,
                        name,
                        &located.value,
                    )
                    .is_some()
                };
                if !reported_elsewhere {
                    self.warn(
                        id,
                        name,
                        format!("annotation {key} is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"),
                    );
                }
            }
        }
    }

    /// `backend-protocol` (reference §4.1): GRPC and GRPCS become GRPCRoutes (HTTPS and GRPCS
    /// also get a BackendTLSPolicy, `backend_tls.rs`); values other than HTTP, AUTO_HTTP and
    /// HTTPS are converted as HTTP with a warning (ingress2gateway drops the whole Ingress, §9.7).
    pub fn is_grpc(&mut self, id: IngressId) -> bool {
        let Some(value) = self
            .ingress(id)
            .and_then(|i| annotation(i, "backend-protocol"))
        else {
            return false;
        };
        match value.to_ascii_uppercase().as_str() {
            "GRPC" | "GRPCS" => true,
            // HTTPS becomes a BackendTLSPolicy (backend_tls.rs).
            "HTTP" | "AUTO_HTTP" | "HTTPS" => false,
            _ => {
                self.warn(id, "backend-protocol", format!("annotation {PREFIX}backend-protocol: {value} is not supported by Gateway API; the Ingress is converted as HTTP"));
                false
            }
        }
    }

    /// Canary Ingresses (reference §4.3): weights on the primary rule, header rules appended.
    /// Two ordinary Ingresses with the same host and path are an error for the later one.
    pub fn canary(&mut self, routes: &mut [Route]) {
        for route in routes.iter_mut() {
            let mut appended = Vec::new();
            for rule in &mut route.rules {
                let path = describe_match(rule.matches.first());
                // The same path twice in one Ingress: ingress-nginx keeps the first.
                let mut seen: Vec<IngressId> = Vec::new();
                let mut repeated: Vec<(IngressId, u32)> = Vec::new();
                rule.backends.retain(|b| {
                    if seen.contains(&b.source) {
                        repeated.push((b.source, b.line));
                        false
                    } else {
                        seen.push(b.source);
                        true
                    }
                });
                for (id, line) in repeated {
                    self.at_line(
                        Severity::Warning,
                        id,
                        line,
                        format!(
                            "host {:?} path {path} appears twice in this Ingress; the first backend is kept, as in ingress-nginx",
                            route.host
                        ),
                    );
                }
                let canaries: Vec<IngressId> = rule
                    .backends
                    .iter()
                    .map(|b| b.source)
                    .filter(|id| self.ingress(*id).is_some_and(is_canary))
                    .collect();
                let primaries: Vec<IngressId> = rule
                    .backends
                    .iter()
                    .map(|b| b.source)
                    .filter(|id| !canaries.contains(id))
                    .collect();
                let line_of = |id: IngressId| {
                    rule.backends
                        .iter()
                        .find(|b| b.source == id)
                        .map_or(0, |b| b.line)
                };
                if let (Some(first), Some(later)) = (primaries.first(), primaries.get(1)) {
                    let first_name = self
                        .ingress(*first)
                        .map(|i| i.reference().to_string())
                        .unwrap_or_default();
                    let message = format!(
                        "host {:?} path {path} is also routed by {first_name}; ingress-nginx serves only one of them: remove the duplicate path or mark one Ingress as canary",
                        route.host
                    );
                    self.at_line(Severity::Error, *later, line_of(*later), message);
                    continue;
                }
                if let Some(later) = canaries.get(1) {
                    self.at_line(
                        Severity::Error,
                        *later,
                        line_of(*later),
                        format!(
                            "host {:?} path {path} has more than one canary Ingress",
                            route.host
                        ),
                    );
                    continue;
                }
                let Some(&canary) = canaries.first() else {
                    continue;
                };
                if primaries.is_empty() {
                    self.at_line(
                        Severity::Error,
                        canary,
                        line_of(canary),
                        format!(
                            "canary Ingress has no primary Ingress for host {:?} path {path}",
                            route.host
                        ),
                    );
                    continue;
                }
                let Some(config) = self.canary_config(canary) else {
                    continue;
                };
                let header_rules = config.header.is_some() && route.kind == RouteKind::Http;
                if config.weight.is_some() || !header_rules {
                    let weight = config.weight.unwrap_or(0);
                    for backend in &mut rule.backends {
                        backend.weight = Some(if backend.source == canary {
                            weight
                        } else {
                            config.total - weight
                        });
                    }
                }
                let Some(header) = config.header.filter(|_| header_rules) else {
                    continue;
                };
                let with_header = |value: &str, source: IngressId| {
                    let matches = rule
                        .matches
                        .iter()
                        .map(|m| {
                            let mut m = m.clone();
                            m.headers.push((header.clone(), value.to_string()));
                            m
                        })
                        .collect::<Vec<_>>();
                    let matches = if matches.is_empty() {
                        vec![RouteMatch {
                            headers: vec![(header.clone(), value.to_string())],
                            ..RouteMatch::default()
                        }]
                    } else {
                        matches
                    };
                    Rule {
                        matches,
                        backends: rule
                            .backends
                            .iter()
                            .filter(|b| b.source == source)
                            .map(|b| BackendRef {
                                weight: None,
                                ..b.clone()
                            })
                            .collect(),
                        sources: rule.sources.clone(),
                        ..Rule::default()
                    }
                };
                let primary = primaries.first().copied().unwrap_or_default();
                appended.push(with_header(
                    config.header_value.as_deref().unwrap_or("always"),
                    canary,
                ));
                if config.header_value.is_none() {
                    appended.push(with_header("never", primary));
                }
                if config.weight.is_none() {
                    rule.backends.retain(|b| b.source != canary);
                }
            }
            route.rules.extend(appended);
        }
    }

    fn at_line(&mut self, severity: Severity, id: IngressId, line: u32, message: String) {
        if let Some(ingress) = self.ingress(id) {
            let mut d = Diagnostic::error(Some(ingress.at(line)), message);
            d.severity = severity;
            self.report(d.about(&ingress.reference()));
        }
    }

    fn canary_config(&mut self, id: IngressId) -> Option<CanaryConfig> {
        let ingress = self.ingress(id)?;
        let mut ok = true;
        let weight = match annotation(ingress, "canary-weight") {
            None => None,
            Some(v) => match atoi(v) {
                Ok(w) if w >= 0 => Some(w),
                Ok(_) => {
                    self.error(id, "canary-weight", format!("invalid {PREFIX}canary-weight {v:?}: canary-weight must be non-negative"));
                    ok = false;
                    None
                }
                Err(_) => {
                    self.error(
                        id,
                        "canary-weight",
                        format!("invalid {PREFIX}canary-weight {v:?}: must be an integer"),
                    );
                    ok = false;
                    None
                }
            },
        };
        let total = match annotation(ingress, "canary-weight-total") {
            None => 100,
            Some(v) => match atoi(v) {
                Ok(t) if t > 0 => t,
                _ => {
                    self.error(id, "canary-weight-total", format!("invalid {PREFIX}canary-weight-total {v:?}: canary-weight-total must be positive"));
                    ok = false;
                    100
                }
            },
        };
        if let Some(w) = weight.filter(|w| *w > total) {
            self.error(
                id,
                "canary-weight",
                format!("canary-weight ({w}) exceeds canary-weight-total ({total})"),
            );
            ok = false;
        }
        for unsupported in ["canary-by-header-pattern", "canary-by-cookie"] {
            if annotation(ingress, unsupported).is_some() {
                self.warn(id, unsupported, format!("annotation {PREFIX}{unsupported} is not translated to Gateway API (no pattern or cookie matches); the canary is routed by weight and header only"));
            }
        }
        let header = annotation(ingress, "canary-by-header")
            .filter(|h| !h.is_empty())
            .map(str::to_string);
        let header_value = annotation(ingress, "canary-by-header-value")
            .filter(|h| !h.is_empty())
            .map(str::to_string);
        ok.then_some(CanaryConfig {
            weight,
            total,
            header,
            header_value,
        })
    }

    /// `permanent-redirect` and `temporal-redirect` with their codes (reference §4.2).
    pub fn redirects(&mut self, routes: &mut [Route]) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            for rule in &mut route.rules {
                let Some((id, ingress)) = self.primary_ingress(rule) else {
                    continue;
                };
                let temporal = annotation(ingress, "temporal-redirect");
                let permanent = annotation(ingress, "permanent-redirect");
                let (name, url, allowed, default_code): (&str, &str, &[i64], i64) = match (
                    temporal, permanent,
                ) {
                    (Some(t), p) => {
                        if p.is_some() {
                            self.warn(id, "permanent-redirect", format!("both {PREFIX}temporal-redirect and {PREFIX}permanent-redirect are set; temporal-redirect wins, as in ingress-nginx"));
                        }
                        ("temporal-redirect", t, &[301, 302, 303, 307], 302)
                    }
                    (None, Some(p)) => ("permanent-redirect", p, &[301, 302, 303, 307, 308], 301),
                    (None, None) => continue,
                };
                let code_name = format!("{name}-code");
                let status = match annotation(ingress, &code_name) {
                    None => default_code,
                    Some(v) => {
                        match atoi(v) {
                            Ok(c) if allowed.contains(&c) => c,
                            _ => {
                                self.error(id, &code_name, format!("invalid {PREFIX}{code_name} {v:?}: must be one of {allowed:?}"));
                                continue;
                            }
                        }
                    }
                };
                match parse_redirect_url(url) {
                    Ok(mut redirect) => {
                        redirect.status = Some(status);
                        rule.filters.push(Filter::RequestRedirect(redirect));
                        rule.backends.clear();
                    }
                    Err(why) => {
                        self.error(id, name, format!("invalid {PREFIX}{name} {url:?}: {why}"))
                    }
                }
            }
        }
    }

    /// `upstream-vhost` and `connection-proxy-header` become request header sets.
    pub fn header_modifiers(&mut self, routes: &mut [Route]) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            for rule in &mut route.rules {
                let mut set = Vec::new();
                if let Some((_, v)) = self.primary_annotation(rule, "upstream-vhost") {
                    set.push(("Host".to_string(), v.to_string()));
                }
                if let Some((_, v)) = self.primary_annotation(rule, "connection-proxy-header") {
                    set.push(("Connection".to_string(), v.to_string()));
                }
                add_header_sets(rule, set);
            }
        }
    }

    /// The regex hosts of these routes (reference §4.4): those of a route with a non-canary
    /// Ingress that sets `use-regex: "true"` or a `rewrite-target`.
    pub fn regex_hosts(&self, routes: &[Route]) -> BTreeSet<String> {
        let mut regex_hosts = BTreeSet::new();
        for route in routes {
            for id in &route.ingresses {
                let Some(ingress) = self.ingress(*id).filter(|i| !is_canary(i)) else {
                    continue;
                };
                let use_regex = annotation(ingress, "use-regex") == Some("true");
                let rewrite = annotation(ingress, "rewrite-target").is_some_and(|v| !v.is_empty());
                if (use_regex || rewrite) && !route.host.is_empty() {
                    regex_hosts.insert(route.host.clone());
                }
            }
        }
        regex_hosts
    }

    /// Turns every path of the HTTP routes that serve a regex host into a case-insensitive
    /// regex. The regex hosts are those of every namespace's routes: ingress-nginx applies
    /// `use-regex` to a host's paths in all Ingresses.
    pub fn regex(&self, routes: &mut [Route], regex_hosts: &BTreeSet<String>) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            if !route.hostnames.iter().any(|h| regex_hosts.contains(h)) {
                continue;
            }
            for rule in &mut route.rules {
                for m in &mut rule.matches {
                    if let Some(path) = &mut m.path {
                        if path.kind != PathType::RegularExpression {
                            *path = PathMatch {
                                kind: PathType::RegularExpression,
                                value: format!("(?i){}.*", path.value),
                            };
                        }
                    }
                }
            }
        }
    }

    /// `ssl-passthrough` (reference §4.7): the Ingress's backends move to a TLSRoute on a
    /// `tls-passthrough` listener per host.
    pub fn ssl_passthrough(
        &mut self,
        routes: &mut Vec<Route>,
        listeners: &mut Vec<ListenerNeed>,
        names: &mut NameRegistry,
    ) {
        let tls_hosts = self.tls_hosts;
        let mut added = Vec::new();
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            let passthrough = |id: &IngressId| self.is_passthrough(*id);
            let mut backends: Vec<BackendRef> = Vec::new();
            for rule in &route.rules {
                for b in rule.backends.iter().filter(|b| passthrough(&b.source)) {
                    if !backends.iter().any(|x| x.target == b.target) {
                        backends.push(BackendRef {
                            weight: None,
                            ..b.clone()
                        });
                    }
                }
            }
            let Some(first_source) = backends.first().map(|b| b.source) else {
                continue;
            };
            for rule in &mut route.rules {
                rule.backends.retain(|b| !passthrough(&b.source));
            }
            route
                .rules
                .retain(|r| !r.backends.is_empty() || !r.filters.is_empty());
            for host in &route.hostnames {
                if tls_hosts.covers(host) {
                    self.warn(first_source, "ssl-passthrough", format!("host {host:?} has both a TLS Secret and ssl-passthrough: ingress-nginx passes its TLS through, so the HTTPS listener for it gets no routes (its Certificate is still issued)"));
                }
                listeners.push(ListenerNeed {
                    gateway: route.gateway,
                    namespace: route.namespace.clone(),
                    host: host.clone(),
                    kind: ListenerKind::TlsPassthrough,
                    ingress: first_source,
                    secrets: Vec::new(),
                });
            }
            let host = route.hostnames.first().map_or("", String::as_str);
            added.push(super::passthrough_route(route, host, backends, names));
        }
        routes.retain(|r| {
            !(r.kind == RouteKind::Http
                && r.rules.is_empty()
                && r.ingresses.iter().all(|id| self.is_passthrough(*id)))
        });
        routes.extend(added);
    }

    /// `app-root` (reference §4.2): `/` redirects (302) to the application root.
    pub fn app_root(&mut self, routes: &mut [Route]) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            let mut found = None;
            for (i, rule) in route.rules.iter().enumerate() {
                let Some((id, value)) = self.primary_annotation(rule, "app-root") else {
                    continue;
                };
                if value.is_empty() {
                    continue;
                }
                if value.contains("://") || !value.starts_with('/') {
                    self.warn(id, "app-root", format!("annotation {PREFIX}app-root {value:?} is not translated: only a path starting with / can be expressed"));
                    continue;
                }
                found = Some((i, value.to_string()));
                break;
            }
            let Some((_, root)) = found else { continue };
            let redirect = Filter::RequestRedirect(Redirect {
                full_path: Some(root),
                status: Some(302),
                ..Redirect::default()
            });
            let exact_root = route.rules.iter_mut().find(|r| {
                r.matches.iter().any(|m| {
                    m.path
                        .as_ref()
                        .is_some_and(|p| p.kind == PathType::Exact && p.value == "/")
                })
            });
            match exact_root {
                Some(rule) => {
                    rule.filters.push(redirect);
                    rule.backends.clear();
                }
                None => route.rules.push(Rule {
                    matches: vec![RouteMatch {
                        path: Some(PathMatch {
                            kind: PathType::Exact,
                            value: "/".to_string(),
                        }),
                        ..RouteMatch::default()
                    }],
                    filters: vec![redirect],
                    ..Rule::default()
                }),
            }
        }
    }

    /// `rewrite-target`: a full-path rewrite. Capture groups (`$1`) cannot be expressed and are
    /// reported (ingress2gateway emits them literally, §9.8). Then `x-forwarded-prefix`, which
    /// ingress-nginx sets on the proxied request with or without a rewrite (ingress2gateway
    /// only with one, reference "lsc silently ignores").
    pub fn rewrite_target(&mut self, routes: &mut [Route]) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            for rule in &mut route.rules {
                self.rewrite_rule(rule);
                let redirects = rule
                    .filters
                    .iter()
                    .any(|f| matches!(f, Filter::RequestRedirect(_)));
                if let Some((id, prefix)) = self.primary_annotation(rule, "x-forwarded-prefix") {
                    if prefix.is_empty() {
                        continue;
                    }
                    if redirects {
                        self.warn(id, "x-forwarded-prefix", format!("annotation {PREFIX}x-forwarded-prefix is not translated on a redirecting rule: nothing is proxied, so there is no request to set the header on"));
                        continue;
                    }
                    add_header_sets(
                        rule,
                        vec![("X-Forwarded-Prefix".to_string(), prefix.to_string())],
                    );
                }
            }
        }
    }

    fn rewrite_rule(&mut self, rule: &mut Rule) {
        let Some((id, target)) = self.primary_annotation(rule, "rewrite-target") else {
            return;
        };
        if target.is_empty() {
            return;
        }
        if has_capture_group(target) {
            self.warn(id, "rewrite-target", format!("annotation {PREFIX}rewrite-target {target:?} is not translated: path rewrites with capture group references are not supported by Gateway API"));
            return;
        }
        if rule
            .filters
            .iter()
            .any(|f| matches!(f, Filter::RequestRedirect(_)))
        {
            self.warn(id, "rewrite-target", format!("annotation {PREFIX}rewrite-target is not translated on a redirecting rule (a rule cannot both redirect and rewrite)"));
            return;
        }
        rule.filters
            .push(Filter::RewriteFullPath(target.to_string()));
    }

    /// `proxy-{connect,read,send}-timeout` (seconds): ingress-nginx's timeouts are per TCP
    /// operation; the closest Gateway API field is the whole-request timeout, 10 × the largest.
    /// A timeout the emitter translates into its own policy is left out.
    pub fn timeouts(&mut self, routes: &mut [Route], emitter: crate::convert::emitters::Emitter) {
        for route in routes.iter_mut().filter(|r| r.kind == RouteKind::Http) {
            for rule in &mut route.rules {
                let Some((id, ingress)) = self.primary_ingress(rule) else {
                    continue;
                };
                let mut longest: Option<i64> = None;
                for name in [
                    "proxy-connect-timeout",
                    "proxy-read-timeout",
                    "proxy-send-timeout",
                ] {
                    let Some(v) = annotation(ingress, name) else {
                        continue;
                    };
                    let translated = emitter.translates(
                        &ingress.meta.annotations,
                        &ingress.meta.namespace,
                        name,
                        v,
                    );
                    match atoi(v) {
                        Ok(_) if translated => {}
                        Ok(s) if s > 0 => longest = Some(longest.map_or(s, |l| l.max(s))),
                        _ => self.error(
                            id,
                            name,
                            format!(
                                "invalid {PREFIX}{name} {v:?}: must be a positive number of seconds"
                            ),
                        ),
                    }
                }
                if let Some(seconds) = longest {
                    let duration =
                        crate::golang::duration::Duration(seconds.saturating_mul(10_000_000_000));
                    rule.request_timeout = Some(duration.to_string());
                    self.warn(id, "proxy-read-timeout", format!("ingress-nginx timeouts are per TCP operation; translated as timeouts.request {duration} (10 × the largest)"));
                }
            }
        }
    }

    /// ssl-redirect (default on for TLS hosts) and force-ssl-redirect (reference §4.5): the
    /// route moves to HTTPS and a `<route>-http` route redirects plain HTTP with 308. Also the
    /// implicit trailing-slash redirects of ingress-nginx.
    pub fn ssl_redirect(&mut self, routes: &mut Vec<Route>, names: &mut NameRegistry) {
        let tls_hosts = self.tls_hosts;
        // Each route's redirect depends on the route alone: worked out on all threads; the
        // warnings and the `-http` routes' names are then taken in route order.
        let this = &*self;
        let planned: Vec<SslRedirect> = routes
            .par_iter_mut()
            .filter(|r| r.kind == RouteKind::Http && !r.derived)
            .map(|route| this.ssl_redirect_of(route, tls_hosts))
            .collect();
        let mut added = Vec::new();
        for planned in planned {
            for id in planned.not_translated {
                self.warn(id, "force-ssl-redirect", format!("annotation {PREFIX}force-ssl-redirect is not translated for host {:?}: no Ingress gives it TLS, so the Gateway has no HTTPS listener to redirect to", planned.host));
            }
            if let Some(mut http) = planned.http {
                http.name = names.claim("HTTPRoute", &http.namespace, &http.name);
                added.push(http);
            }
        }
        routes.extend(added);
    }

    /// [`Self::ssl_redirect`] for one route: moves it to HTTPS when it redirects, and returns
    /// its `-http` route (named as asked, not yet claimed).
    fn ssl_redirect_of(&self, route: &mut Route, tls_hosts: &TlsHosts<'_>) -> SslRedirect {
        // The implicit trailing-slash redirects are ingress-nginx's: not on the rules of a
        // controller whose module decides how they are served.
        let served: Vec<Rule> = route
            .rules
            .iter()
            .filter(|rule| self.serves(rule))
            .cloned()
            .collect();
        let slash_rules = if served.len() == route.rules.len() {
            trailing_slash_rules(&route.rules)
        } else {
            trailing_slash_rules(&served)
        };
        let is_tls = route.hostnames.iter().any(|h| tls_hosts.covers(h));
        let redirected: Vec<bool> = route
            .rules
            .iter()
            .map(|rule| self.redirects_to_https(rule))
            .collect();
        let not_translated = if is_tls {
            Vec::new()
        } else {
            let forced = |id: &IngressId| {
                self.ingress(*id)
                    .and_then(|i| annotation(i, "force-ssl-redirect"))
                    .and_then(parse_bool)
                    == Some(true)
            };
            route.ingresses.iter().copied().filter(forced).collect()
        };
        let mut planned = SslRedirect {
            host: if not_translated.is_empty() {
                String::new()
            } else {
                route.host.clone()
            },
            not_translated,
            http: None,
        };
        let any_redirect = redirected.iter().any(|r| *r);
        if !is_tls || !any_redirect {
            route.rules.extend(slash_rules);
            return planned;
        }
        // Beside rules whose controller decides their listeners (a shared Gateway), the
        // redirect is one more decision: the route is split once all are made (providers/).
        if route.rules.iter().any(|r| !self.serves(r)) {
            for (rule, redirect) in route.rules.iter_mut().zip(&redirected) {
                if *redirect {
                    rule.sides = Some(Box::new(Sides {
                        http: OnHttp::Redirect(Redirect {
                            scheme: Some("https".to_string()),
                            status: Some(308),
                            ..Redirect::default()
                        }),
                        https: true,
                    }));
                }
            }
            route.rules.extend(slash_rules);
            return planned;
        }
        let mut http_rules: Vec<Rule> = Vec::new();
        for (rule, redirect) in route.rules.iter().zip(&redirected) {
            if rule.sources.is_empty() {
                continue;
            }
            if *redirect {
                http_rules.push(Rule {
                    matches: rule.matches.clone(),
                    filters: vec![Filter::RequestRedirect(Redirect {
                        scheme: Some("https".to_string()),
                        status: Some(308),
                        ..Redirect::default()
                    })],
                    sources: rule.sources.clone(),
                    ..Rule::default()
                });
            } else {
                http_rules.push(rule.clone());
            }
        }
        for slash in &slash_rules {
            let mut slash = slash.clone();
            for f in &mut slash.filters {
                if let Filter::RequestRedirect(r) = f {
                    r.scheme = Some("https".to_string());
                }
            }
            http_rules.push(slash);
        }
        route.rules.extend(slash_rules);
        let first_host = route.hostnames.first().cloned().unwrap_or_default();
        // The `-http` route gets its own rules: copy the route without them.
        let rules = std::mem::take(&mut route.rules);
        let copy = route.clone();
        route.rules = rules;
        planned.http = Some(Route {
            name: format!("{}-http", route.name),
            bindings: route
                .bindings
                .iter()
                .map(|b| Binding {
                    section: b.section.clone(),
                    port: Some(80),
                })
                .collect(),
            rules: http_rules,
            derived: true,
            ..copy
        });
        route.bindings = route
            .bindings
            .iter()
            .map(|_| Binding {
                section: Some((first_host.clone(), ListenerKind::Https)),
                port: Some(443),
            })
            .collect();
        planned
    }

    /// Does this rule's primary Ingress want plain HTTP redirected? `ssl-redirect` defaults to
    /// true and an unparsable value counts as false; `force-ssl-redirect: "true"` always wins.
    fn redirects_to_https(&self, rule: &Rule) -> bool {
        let Some(ingress) = self.primary(rule).and_then(|id| self.ingress(id)) else {
            return false;
        };
        // A controller with a module of its own decides its listeners (providers/).
        if ingress.provider.0.plans_listeners() {
            return false;
        }
        if annotation(ingress, "force-ssl-redirect").and_then(parse_bool) == Some(true) {
            return true;
        }
        match annotation(ingress, "ssl-redirect") {
            None => true,
            Some(v) => parse_bool(v).unwrap_or(false),
        }
    }

    /// `from-to-www-redirect` (reference §4.6): the www (or apex) counterpart of each host
    /// redirects to it with 301.
    pub fn www_redirect(
        &mut self,
        routes: &mut Vec<Route>,
        listeners: &mut Vec<ListenerNeed>,
        names: &mut NameRegistry,
    ) {
        let mut added = Vec::new();
        for route in routes
            .iter()
            .filter(|r| r.kind == RouteKind::Http && !r.derived)
        {
            let mut enabled = None;
            for rule in &route.rules {
                if let Some((id, v)) = self.primary_annotation(rule, "from-to-www-redirect") {
                    match parse_bool(v) {
                        Some(b) => enabled = Some((id, b)),
                        None => self.error(
                            id,
                            "from-to-www-redirect",
                            format!(
                                "invalid {PREFIX}from-to-www-redirect {v:?}: must be true or false"
                            ),
                        ),
                    }
                }
            }
            let Some((id, true)) = enabled else { continue };
            for destination in &route.hostnames {
                let source = match destination.strip_prefix("www.") {
                    Some(apex) => apex.to_string(),
                    None => format!("www.{destination}"),
                };
                let destination_secrets: Vec<String> = listeners
                    .iter()
                    .filter(|l| {
                        l.gateway == route.gateway
                            && l.host == *destination
                            && l.kind == ListenerKind::Https
                    })
                    .flat_map(|l| l.secrets.clone())
                    .collect();
                let mut bindings = vec![Binding {
                    section: Some((source.clone(), ListenerKind::Http)),
                    port: Some(80),
                }];
                listeners.push(ListenerNeed {
                    gateway: route.gateway,
                    namespace: route.namespace.clone(),
                    host: source.clone(),
                    kind: ListenerKind::Http,
                    ingress: id,
                    secrets: Vec::new(),
                });
                if !destination_secrets.is_empty() {
                    bindings.push(Binding {
                        section: Some((source.clone(), ListenerKind::Https)),
                        port: Some(443),
                    });
                    listeners.push(ListenerNeed {
                        gateway: route.gateway,
                        namespace: route.namespace.clone(),
                        host: source.clone(),
                        kind: ListenerKind::Https,
                        ingress: id,
                        secrets: destination_secrets,
                    });
                }
                added.push(Route {
                    name: names.claim(
                        "HTTPRoute",
                        &route.namespace,
                        &format!(
                            "00-{}-{}-www-redirect",
                            route.name,
                            source.replace('.', "-")
                        ),
                    ),
                    host: source.clone(),
                    hostnames: vec![source],
                    bindings,
                    rules: vec![Rule {
                        filters: vec![Filter::RequestRedirect(Redirect {
                            hostname: Some(destination.clone()),
                            status: Some(301),
                            ..Redirect::default()
                        })],
                        ..Rule::default()
                    }],
                    derived: true,
                    ..route.clone()
                });
            }
        }
        routes.extend(added);
    }
}

/// What [`Nginx::ssl_redirect_of`] found for one route.
struct SslRedirect {
    /// The route's host, when some warning names it.
    host: String,
    /// Ingresses whose `force-ssl-redirect` finds no HTTPS listener.
    not_translated: Vec<IngressId>,
    /// The `-http` route, under the name it asks for.
    http: Option<Route>,
}

struct CanaryConfig {
    weight: Option<i64>,
    total: i64,
    header: Option<String>,
    header_value: Option<String>,
}

fn describe_match(m: Option<&RouteMatch>) -> String {
    match m.and_then(|m| m.path.as_ref()) {
        Some(p) => format!("{} {:?}", p.kind.as_str(), p.value),
        None => "(any)".to_string(),
    }
}

/// Adds header sets to the rule's one RequestHeaderModifier filter (it may not repeat).
fn add_header_sets(rule: &mut Rule, set: Vec<(String, String)>) {
    if set.is_empty() {
        return;
    }
    for f in &mut rule.filters {
        if let Filter::SetHeaders(existing) = f {
            existing.extend(set);
            return;
        }
    }
    rule.filters.push(Filter::SetHeaders(set));
}

/// `$1`…`$9` in a rewrite target: a reference to a regex capture group.
fn has_capture_group(target: &str) -> bool {
    target
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b'$', d] if d.is_ascii_digit()))
}

/// A redirect URL: absolute (`scheme://host[:port][/path][?query]`) or a path.
/// The query is dropped, as in ingress2gateway; a missing path is `/`.
fn parse_redirect_url(url: &str) -> Result<Redirect, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("the redirect URL is empty".to_string());
    }
    let without_query = url.split(['?', '#']).next().unwrap_or_default();
    let Some((scheme, rest)) = without_query.split_once("://") else {
        if !without_query.starts_with('/') {
            return Err("must be an absolute URL or a path starting with /".to_string());
        }
        return Ok(Redirect {
            full_path: Some(without_query.to_string()),
            ..Redirect::default()
        });
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(format!("invalid URL scheme {scheme:?}"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || p.is_empty() => {
            let port: i64 = p.parse().map_err(|_| format!("invalid port {p:?}"))?;
            if !(1..=65535).contains(&port) {
                return Err(format!("invalid port {p:?}: must be 1-65535"));
            }
            (h, Some(port))
        }
        _ => (authority, None),
    };
    if host.is_empty() {
        return Err("the redirect URL has no host".to_string());
    }
    Ok(Redirect {
        scheme: Some(scheme.to_ascii_lowercase()),
        hostname: Some(host.to_string()),
        full_path: Some(if path.is_empty() { "/" } else { path }.to_string()),
        port,
        status: None,
    })
}

/// ingress-nginx's implicit redirect from `/foo` to `/foo/` for paths written with a
/// trailing slash, unless `/foo` is matched already (reference §4.5).
fn trailing_slash_rules(rules: &[Rule]) -> Vec<Rule> {
    let paths: Vec<&PathMatch> = rules
        .iter()
        .flat_map(|r| r.matches.iter().filter_map(|m| m.path.as_ref()))
        .collect();
    let mut out: Vec<Rule> = Vec::new();
    for p in &paths {
        if p.kind == PathType::RegularExpression || p.value == "/" || !p.value.ends_with('/') {
            continue;
        }
        let bare = p.value.trim_end_matches('/');
        if bare.is_empty() {
            continue;
        }
        let covered = paths.iter().any(|q| match q.kind {
            PathType::Exact => q.value == bare,
            PathType::PathPrefix => {
                q.value == bare
                    || q.value == "/"
                    || bare
                        .strip_prefix(q.value.trim_end_matches('/'))
                        .is_some_and(|rest| rest.starts_with('/'))
            }
            PathType::RegularExpression => false,
        });
        let exists = out.iter().any(|r| {
            r.matches
                .first()
                .and_then(|m| m.path.as_ref())
                .is_some_and(|m| m.value == bare)
        });
        if covered || exists {
            continue;
        }
        out.push(Rule {
            matches: vec![RouteMatch {
                path: Some(PathMatch {
                    kind: PathType::Exact,
                    value: bare.to_string(),
                }),
                ..RouteMatch::default()
            }],
            filters: vec![Filter::RequestRedirect(Redirect {
                full_path: Some(p.value.clone()),
                status: Some(301),
                ..Redirect::default()
            })],
            ..Rule::default()
        });
    }
    out
}
