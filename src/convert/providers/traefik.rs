//! Traefik's Ingress annotations (`traefik.ingress.kubernetes.io/router.*`) and the Middleware
//! objects `router.middlewares` names (`traefik.io/v1alpha1`, and the older
//! `traefik.containo.us/v1alpha1`), as Traefik's Kubernetes Ingress provider reads them
//! (`pkg/provider/kubernetes/ingress`: annotations.go, kubernetes.go) and its middlewares act
//! (`pkg/middlewares`): `router.tls` and `router.entrypoints` choose the listeners a rule is
//! served on, redirectScheme redirects plain HTTP, stripPrefix / stripPrefixRegex (literal) /
//! addPrefix / replacePath rewrite the path, headers set and remove headers. Access controls
//! (IP allow lists, authentication, rate limits) and Middlewares not among the inputs may
//! protect the routes: refused unless `--allow-unprotected` accepts the loss.

use std::collections::BTreeMap;

use super::{Effect, Finding, Objects, OnHttp, Plan, Provider, Sides};
use crate::convert::ingress::Ingress;
use crate::convert::plan::{Filter, HeaderChanges, PathType, Redirect, RouteKind, Rule};
use crate::diag::{Diagnostic, Location};
use crate::golang::strconv::parse_bool;
use crate::source::Document;
use crate::source::tree::{Node, Value};

pub const PREFIX: &str = "traefik.ingress.kubernetes.io/";

/// The annotations lsc translates, without the prefix.
const TRANSLATED: &[&str] = &[
    "router.tls",
    "router.entrypoints",
    "router.middlewares",
    "router.pathmatcher",
];

/// Is `key` a Traefik annotation lsc translates?
pub fn translates(key: &str) -> bool {
    key.strip_prefix(PREFIX)
        .is_some_and(|name| TRANSLATED.contains(&name))
}

/// A Traefik Middleware among the inputs: where it is, and its middleware types
/// (`redirectScheme`, `headers`, …) with their configuration and line.
#[derive(Debug, Clone)]
pub struct Middleware {
    pub location: Location,
    pub types: Vec<(String, Node)>,
}

/// The Middlewares of the inputs by namespace and name (a later definition replaces an
/// earlier one).
pub type Middlewares = BTreeMap<(String, String), Middleware>;

/// Is this a Traefik Middleware's apiVersion group and kind?
pub fn is_middleware(group: &str, kind: &str) -> bool {
    matches!(group, "traefik.io" | "traefik.containo.us") && kind == "Middleware"
}

/// A Middleware document's namespace, name and types; `None` without a name.
pub fn read_middleware(
    doc: &Document,
    default_namespace: &str,
) -> Option<((String, String), Middleware)> {
    let meta = doc.root.get_value("metadata")?;
    let name = meta.str_at(&["name"])?.to_string();
    let namespace = meta
        .str_at(&["namespace"])
        .unwrap_or(default_namespace)
        .to_string();
    let types = doc
        .root
        .get_value("spec")
        .and_then(Node::as_map)
        .map(|spec| {
            spec.entries
                .iter()
                .map(|e| {
                    let mut node = e.value.clone();
                    node.line = e.key_line;
                    (e.key.to_string(), node)
                })
                .collect()
        })
        .unwrap_or_default();
    Some((
        (namespace, name),
        Middleware {
            location: doc.node_location(doc.location.line),
            types,
        },
    ))
}

/// What a Middleware (or the chain it is part of) does to the rules it is on, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// redirectScheme to https: plain HTTP is redirected; HTTPS (already that scheme and
    /// port) passes on.
    Redirect(Redirect),
    /// stripPrefix: the first of these prefixes the path starts with is removed.
    Strip(Vec<String>),
    /// addPrefix.
    Add(String),
    /// replacePath: the whole path.
    Replace(String),
    /// headers: custom request and response headers (an empty value removes the header).
    Headers {
        request: HeaderChanges,
        response: HeaderChanges,
    },
}

/// An Ingress's Traefik router configuration.
#[derive(Debug, Default)]
struct Router {
    /// `router.tls: "true"`: HTTPS only.
    tls: bool,
    /// `router.entrypoints`: (web, websecure) when given and one of them is named.
    entrypoints: Option<(bool, bool)>,
    /// `router.pathmatcher` for ImplementationSpecific paths: Exact for `Path`.
    exact_paths: bool,
    steps: Vec<Step>,
    /// The line of `router.tls` or `router.entrypoints`, for the errors about HTTPS.
    https_line: u32,
    /// The line of `router.middlewares`.
    middlewares_line: u32,
    /// The line of `router.entrypoints`.
    entrypoints_line: u32,
}

/// The comma list of an annotation, trimmed, empty items left out.
fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Entry points of Traefik's Helm chart: `web` (port 80, plain HTTP) and `websecure` (443,
/// TLS). Others are static configuration lsc cannot see.
fn entrypoints(value: &str) -> (bool, bool, Vec<&str>) {
    let mut web = false;
    let mut websecure = false;
    let mut unknown = Vec::new();
    for name in list(value) {
        match name.to_ascii_lowercase().as_str() {
            "web" => web = true,
            "websecure" => websecure = true,
            _ => unknown.push(name),
        }
    }
    (web, websecure, unknown)
}

/// The findings and the router of one Ingress: both from one reading, so what is warned and
/// what is translated never disagree.
fn read(ingress: &Ingress, objects: &Objects) -> (Router, Vec<Finding>) {
    let mut router = Router::default();
    let mut findings = Vec::new();
    for (key, located) in ingress.meta.annotations.iter() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let value = located.value.trim();
        let line = located.line;
        let effect = match name {
            "router.tls" => match parse_bool(value) {
                Some(tls) => {
                    router.tls = tls;
                    if tls {
                        router.https_line = line;
                    }
                    Effect::Translated
                }
                None => Effect::Refused(format!(
                    "annotation {key} ({value:?}) is not a boolean: Traefik fails to read this Ingress's annotations and serves none of its rules; give \"true\" or \"false\""
                )),
            },
            "router.entrypoints" => {
                let (web, websecure, unknown) = entrypoints(value);
                router.entrypoints_line = line;
                if web || websecure {
                    router.entrypoints = Some((web, websecure));
                    if websecure && !web && router.https_line == 0 {
                        router.https_line = line;
                    }
                }
                if unknown.is_empty() {
                    Effect::Translated
                } else {
                    Effect::Warned(format!(
                        "annotation {key} names entry point(s) {} that Traefik's static configuration defines, which lsc cannot see: only web (port 80, HTTP) and websecure (port 443, HTTPS) are translated{}",
                        unknown.join(", "),
                        if web || websecure {
                            ""
                        } else {
                            "; the routes attach to both listeners of their hosts"
                        }
                    ))
                }
            }
            "router.middlewares" => {
                router.middlewares_line = line;
                middlewares(key, value, line, objects, &mut router.steps, &mut findings);
                continue;
            }
            "router.pathmatcher" => match value {
                "Path" => {
                    router.exact_paths = true;
                    Effect::Translated
                }
                "PathPrefix" => Effect::Translated,
                _ => Effect::Warned(format!(
                    "annotation {key} ({value:?}) is not translated: Gateway API has no such path match; ImplementationSpecific paths stay prefix matches"
                )),
            },
            "router.priority" => Effect::Warned(format!(
                "annotation {key} is not translated: Gateway API orders route rules by its own precedence (exact paths, then the longest prefix, then the most header matches), not by a priority"
            )),
            _ if name.starts_with("router.tls.") => Effect::Warned(format!(
                "annotation {key} is not translated: Gateway API listeners take their certificates from Secrets (spec.tls, which cert-manager fills), not from Traefik's certificate resolvers, TLS options or domains; configure the TLS settings on the Gateway implementation by hand"
            )),
            _ => Effect::Warned(format!(
                "annotation {key} of Traefik is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
            )),
        };
        findings.push(Finding::new(key, line, effect));
    }
    (router, findings)
}

/// What each Middleware of `router.middlewares` does; a reference is `<namespace>-<name>@kubernetescrd`.
fn middlewares(
    key: &str,
    value: &str,
    line: u32,
    objects: &Objects,
    steps: &mut Vec<Step>,
    findings: &mut Vec<Finding>,
) {
    let mut translated = true;
    for reference in list(value) {
        let found = resolve(reference, &objects.middlewares);
        let Some((id, middleware)) = found else {
            translated = false;
            let why = match reference.rsplit_once('@') {
                Some((_, "kubernetescrd")) | None => format!(
                    "no Middleware {} is among the inputs",
                    reference.split('@').next().unwrap_or(reference)
                ),
                Some((_, provider)) => format!("it belongs to Traefik's {provider} provider"),
            };
            findings.push(Finding::new(
                key,
                line,
                Effect::MayProtect {
                    what: format!("{key} {reference}"),
                    message: format!(
                        "annotation {key} names middleware {reference}, which lsc cannot read ({why}; add it to the inputs to have it translated), and it may authenticate or restrict the clients of {{scope}}"
                    ),
                },
            ));
            continue;
        };
        let mut chain = Vec::new();
        let mut notes = Vec::new();
        expand(id, middleware, objects, 0, &mut chain, &mut notes);
        steps.extend(chain);
        for (what, effect) in notes {
            translated = false;
            let effect = match effect {
                Effect::Warned(m) => Effect::Warned(format!(
                    "annotation {key} names middleware {reference}: {m}"
                )),
                Effect::MayProtect { message, .. } => Effect::MayProtect {
                    what: format!("{key} {what}"),
                    message: format!("annotation {key} names middleware {reference}: {message}"),
                },
                other => other,
            };
            findings.push(Finding::new(key, line, effect));
        }
    }
    if translated {
        findings.push(Finding::new(key, line, Effect::Translated));
    }
}

/// The Middleware a reference of `router.middlewares` names: `<namespace>-<name>` of the
/// Kubernetes CRD provider (`@kubernetescrd`). Without a provider Traefik looks in the
/// Ingress provider, which defines none; another provider's are not Kubernetes objects.
fn resolve<'m>(
    reference: &str,
    middlewares: &'m Middlewares,
) -> Option<(&'m (String, String), &'m Middleware)> {
    let (name, provider) = reference.rsplit_once('@')?;
    if provider != "kubernetescrd" {
        return None;
    }
    // Namespaces and names both may hold dashes: each dash is tried as the separator.
    name.match_indices('-').find_map(|(at, _)| {
        let (namespace, rest) = name.split_at(at);
        let key = (namespace.to_string(), rest.get(1..)?.to_string());
        middlewares.get_key_value(&key)
    })
}

/// A Middleware's steps, a chain's in order; what is not translated, with what it is.
fn expand(
    (namespace, name): &(String, String),
    middleware: &Middleware,
    objects: &Objects,
    depth: usize,
    steps: &mut Vec<Step>,
    notes: &mut Vec<(String, Effect)>,
) {
    let at = format!("{}:{}", middleware.location.file, middleware.location.line);
    let what = format!("{namespace}/{name}");
    if middleware.types.len() != 1 {
        notes.push((
            what.clone(),
            Effect::MayProtect {
                what: what.clone(),
                message: format!(
                    "Middleware {what} (at {at}) has {} middleware types where Traefik takes exactly one, so lsc cannot tell what it does, and it may authenticate or restrict the clients of {{scope}}",
                    middleware.types.len()
                ),
            },
        ));
        return;
    }
    for (kind, config) in &middleware.types {
        let at = format!("{}:{}", middleware.location.file, config.line);
        let described = format!("Middleware {what} ({kind}, at {at})");
        match kind.as_str() {
            "redirectScheme" => match redirect_scheme(config) {
                Ok(redirect) => steps.push(Step::Redirect(redirect)),
                Err(why) => notes.push((what.clone(), Effect::Warned(format!("{described} is not translated: {why}")))),
            },
            "stripPrefix" => steps.push(Step::Strip(strings(config, "prefixes"))),
            "stripPrefixRegex" => {
                let patterns = strings(config, "regex");
                if patterns.iter().all(|p| is_literal(p)) {
                    steps.push(Step::Strip(patterns));
                } else {
                    notes.push((what.clone(), Effect::Warned(format!("{described} is not translated: Gateway API rewrites a matched path prefix, not a regular expression"))));
                }
            }
            "addPrefix" => match config.str_at(&["prefix"]) {
                Some(prefix) => steps.push(Step::Add(prefix.to_string())),
                None => notes.push((what.clone(), Effect::Warned(format!("{described} is not translated: it has no prefix")))),
            },
            "replacePath" => match config.str_at(&["path"]) {
                Some(path) => steps.push(Step::Replace(path.to_string())),
                None => notes.push((what.clone(), Effect::Warned(format!("{described} is not translated: it has no path")))),
            },
            "headers" => {
                let (step, untranslated) = headers(config);
                steps.push(step);
                if !untranslated.is_empty() {
                    notes.push((what.clone(), Effect::Warned(format!("{described}: {} not translated (Gateway API has no standard filter for them; configure them on the Gateway implementation by hand)", untranslated.join(", ")))));
                }
            }
            "chain" => {
                let names = config
                    .path(&["middlewares"])
                    .and_then(|n| match &n.value {
                        Value::Seq(items) => Some(items.as_slice()),
                        _ => None,
                    })
                    .unwrap_or_default();
                for item in names {
                    let Some(member) = item.str_at(&["name"]) else {
                        continue;
                    };
                    let member_namespace = item.str_at(&["namespace"]).unwrap_or(namespace);
                    let id = (member_namespace.to_string(), member.to_string());
                    match objects.middlewares.get_key_value(&id) {
                        Some((id, m)) if depth < 8 => expand(id, m, objects, depth + 1, steps, notes),
                        _ => notes.push((
                            format!("{member_namespace}/{member}"),
                            Effect::MayProtect {
                                what: format!("{member_namespace}/{member}"),
                                message: format!("{described} chains middleware {member_namespace}/{member}, which is not among the inputs (add it to have it translated), and it may authenticate or restrict the clients of {{scope}}"),
                            },
                        )),
                    }
                }
            }
            "ipAllowList" | "ipWhiteList" => notes.push(protects(&what, &described, "restricts {scope} to the client addresses it lists")),
            "basicAuth" => notes.push(protects(&what, &described, "requires basic authentication for {scope}")),
            "digestAuth" => notes.push(protects(&what, &described, "requires digest authentication for {scope}")),
            "forwardAuth" => notes.push(protects(&what, &described, "sends each request for {scope} to an authentication service first, and serves it only when the service allows it")),
            "rateLimit" => notes.push(protects(&what, &described, "limits the request rate of each client on {scope}")),
            "inFlightReq" => notes.push(protects(&what, &described, "limits the concurrent requests of each client on {scope}")),
            "plugin" => notes.push(protects(&what, &described, "runs a Traefik plugin on {scope}, which may authenticate or restrict clients")),
            _ => notes.push((what.clone(), Effect::Warned(format!("{described} is not translated: Gateway API has no standard filter for it; configure it on the Gateway implementation by hand")))),
        }
    }
}

fn protects(what: &str, described: &str, does: &str) -> (String, Effect) {
    (
        what.to_string(),
        Effect::MayProtect {
            what: what.to_string(),
            message: format!("{described} {does}; Gateway API has no standard filter for it"),
        },
    )
}

/// The strings of a list field (`prefixes`, `regex`).
fn strings(config: &Node, field: &str) -> Vec<String> {
    match config.path(&[field]).map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| i.value.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A regular expression that matches only its own text (no metacharacter): `/api`.
fn is_literal(pattern: &str) -> bool {
    !pattern.is_empty() && !pattern.chars().any(|c| ".^$*+?()[]{}|\\".contains(c))
}

/// redirectScheme (`pkg/middlewares/redirect/redirect_scheme.go`): to https, with its port;
/// Traefik answers GET with 301 (permanent) or 302 and other methods with 308 or 307, which
/// keep the method: lsc writes 308 or 307, the codes that keep every request what it was.
fn redirect_scheme(config: &Node) -> Result<Redirect, String> {
    let scheme = config.str_at(&["scheme"]).unwrap_or_default();
    if scheme != "https" {
        return Err(format!(
            "it redirects to scheme {scheme:?}, where lsc translates the redirect to https of plain HTTP requests"
        ));
    }
    let port = match config.path(&["port"]).map(|n| &n.value) {
        None => None,
        Some(Value::Str(p) | Value::Plain(p)) => Some(
            crate::golang::strconv::atoi(p)
                .map_err(|_| format!("its port {p:?} is not a number"))?,
        ),
        Some(Value::Int(p)) => Some(*p),
        Some(_) => return Err("its port is not a number".to_string()),
    }
    .filter(|p| *p != 443);
    let permanent = matches!(
        config.path(&["permanent"]).map(|n| &n.value),
        Some(Value::Bool(true))
    );
    Ok(Redirect {
        scheme: Some("https".to_string()),
        port,
        status: Some(if permanent { 308 } else { 307 }),
        ..Redirect::default()
    })
}

/// Response headers Traefik's headers middleware writes from its security fields, by field:
/// (field, header, value when the field is true — `None`: the field's own value).
const SECURITY_HEADERS: &[(&str, &str, Option<&str>)] = &[
    ("frameDeny", "X-Frame-Options", Some("DENY")),
    ("customFrameOptionsValue", "X-Frame-Options", None),
    (
        "contentTypeNosniff",
        "X-Content-Type-Options",
        Some("nosniff"),
    ),
    (
        "browserXssFilter",
        "X-XSS-Protection",
        Some("1; mode=block"),
    ),
    ("customBrowserXSSValue", "X-XSS-Protection", None),
    ("contentSecurityPolicy", "Content-Security-Policy", None),
    ("referrerPolicy", "Referrer-Policy", None),
    ("permissionsPolicy", "Permissions-Policy", None),
];

/// headers (`pkg/middlewares/headers`): custom request and response headers, an empty value
/// removing the header; the fixed security response headers; the other fields named.
fn headers(config: &Node) -> (Step, Vec<String>) {
    let mut request = HeaderChanges::default();
    let mut response = HeaderChanges::default();
    let mut untranslated = Vec::new();
    let Some(map) = config.as_map() else {
        return (Step::Headers { request, response }, untranslated);
    };
    let custom = |node: &Node, changes: &mut HeaderChanges| {
        for entry in node
            .as_map()
            .map(|m| m.entries.as_slice())
            .unwrap_or_default()
        {
            let value = entry.value.value.as_str().unwrap_or_default();
            if value.is_empty() {
                changes.remove.push(entry.key.to_string());
            } else {
                changes.set.push((entry.key.to_string(), value.to_string()));
            }
        }
    };
    for entry in &map.entries {
        let field = entry.key.as_str();
        match field {
            "customRequestHeaders" => custom(&entry.value, &mut request),
            "customResponseHeaders" => custom(&entry.value, &mut response),
            _ => match SECURITY_HEADERS.iter().find(|(f, _, _)| *f == field) {
                Some((_, header, fixed)) => {
                    let value = match (fixed, &entry.value.value) {
                        (Some(v), Value::Bool(true)) => Some((*v).to_string()),
                        (Some(_), _) => None,
                        (None, v) => v.as_str().filter(|s| !s.is_empty()).map(str::to_string),
                    };
                    if let Some(value) = value {
                        response.set.retain(|(h, _)| h != header);
                        response.set.push(((*header).to_string(), value));
                    }
                }
                None => untranslated.push(field.to_string()),
            },
        }
    }
    (Step::Headers { request, response }, untranslated)
}

/// What each Traefik annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress, objects: &Objects) -> Vec<Finding> {
    read(ingress, objects).1
}

/// Applies the Traefik routers of the Ingresses to the rules they govern: rewrites and
/// header filters, and the listeners each rule is served on (`router.tls`,
/// `router.entrypoints`, redirectScheme).
pub fn plan(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let mut routers: BTreeMap<usize, Router> = BTreeMap::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.provider.0 == Provider::Traefik {
            routers.insert(id, read(ingress, plan.objects).0);
        }
    }
    if routers.is_empty() {
        return;
    }
    let mut diagnostics = Vec::new();
    let https_hosts = plan.https_hosts();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || !route.unsplit() {
            continue;
        }
        let has_https = https_hosts.serve(route);
        for rule in &mut route.rules {
            let governing = rule
                .sources
                .first()
                .and_then(|id| Some((*id, routers.get(id)?, ingresses.get(*id)?)));
            let Some((_, router, ingress)) = governing else {
                continue;
            };
            if router.exact_paths {
                exact_paths(rule, ingress);
            }
            let mut report = |d: Diagnostic| {
                let d = d.about(&ingress.reference());
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            };
            apply_steps(
                rule,
                &router.steps,
                ingress,
                router.middlewares_line,
                &mut report,
            );
            rule.sides = Some(Box::new(sides_of(
                router,
                ingress,
                &route.host,
                has_https,
                &mut report,
            )));
        }
    }
    for d in diagnostics {
        plan.report(d);
    }
}

/// `router.pathmatcher: Path`: the ImplementationSpecific paths (and those without a type) of
/// the rule's Ingress are exact matches.
fn exact_paths(rule: &mut Rule, ingress: &Ingress) {
    let Some(line) = rule.backends.first().map(|b| b.line) else {
        return;
    };
    let implementation_specific = ingress
        .rules
        .iter()
        .flat_map(|r| &r.paths)
        .find(|p| p.line == line)
        .is_some_and(|p| {
            matches!(
                p.path_type.as_deref(),
                None | Some("ImplementationSpecific")
            )
        });
    if !implementation_specific {
        return;
    }
    for m in &mut rule.matches {
        if let Some(path) = &mut m.path {
            if path.kind == PathType::PathPrefix {
                path.kind = PathType::Exact;
            }
        }
    }
}

/// The rewrite and header filters of the steps, in order, on one rule.
fn apply_steps(
    rule: &mut Rule,
    steps: &[Step],
    ingress: &Ingress,
    line: u32,
    report: &mut impl FnMut(Diagnostic),
) {
    let mut request = HeaderChanges::default();
    let mut response = HeaderChanges::default();
    let path = rule.matches.first().and_then(|m| m.path.clone());
    // The path the rule's match becomes: (whole path?, value).
    let mut rewritten: Option<(bool, String)> = None;
    let start = path
        .as_ref()
        .map(|p| (p.kind == PathType::Exact, p.value.clone()));
    for step in steps {
        match step {
            Step::Headers {
                request: req,
                response: resp,
            } => {
                merge(&mut request, req);
                merge(&mut response, resp);
            }
            Step::Redirect(_) => {}
            Step::Strip(_) | Step::Add(_) | Step::Replace(_) => {
                let current = rewritten.clone().or_else(|| start.clone());
                let next = match (step, current) {
                    (Step::Replace(p), _) => Some((true, p.clone())),
                    (_, None) => None,
                    (_, Some((_, _)))
                        if path
                            .as_ref()
                            .is_some_and(|p| p.kind == PathType::RegularExpression) =>
                    {
                        None
                    }
                    (Step::Strip(prefixes), Some((whole, value))) => strip(prefixes, whole, &value),
                    (Step::Add(prefix), Some((whole, value))) => Some((whole, add(prefix, &value))),
                    _ => None,
                };
                match next {
                    Some(n) => rewritten = Some(n),
                    None => {
                        let shown = path.as_ref().map_or("/".to_string(), |p| p.value.clone());
                        report(Diagnostic::warning(
                            Some(ingress.at(line)),
                            format!(
                                "annotation {PREFIX}router.middlewares: the path rewrite of its middlewares is not translated for path {shown:?}: Gateway API rewrites the matched path prefix or the whole path, which cannot express it here"
                            ),
                        ));
                        rewritten = None;
                        break;
                    }
                }
            }
        }
    }
    if let Some((whole, value)) = rewritten {
        if start.as_ref() != Some(&(whole, value.clone())) {
            rule.filters.push(if whole {
                Filter::RewriteFullPath(value)
            } else {
                Filter::RewritePrefix(value)
            });
        }
    }
    if !request.set.is_empty() || !request.remove.is_empty() {
        rule.filters.push(Filter::RequestHeaders(request));
    }
    if !response.set.is_empty() || !response.remove.is_empty() {
        rule.filters.push(Filter::ResponseHeaders(response));
    }
}

/// Later settings of a header win, as Traefik applies its headers middlewares in turn.
fn merge(into: &mut HeaderChanges, more: &HeaderChanges) {
    for (name, value) in &more.set {
        into.remove.retain(|h| !h.eq_ignore_ascii_case(name));
        into.set.retain(|(h, _)| !h.eq_ignore_ascii_case(name));
        into.set.push((name.clone(), value.clone()));
    }
    for name in &more.remove {
        into.set.retain(|(h, _)| !h.eq_ignore_ascii_case(name));
        if !into.remove.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            into.remove.push(name.clone());
        }
    }
}

/// stripPrefix on the requests of a rule whose paths all start with `value` (exactly it,
/// when `whole`): Traefik strips the first listed prefix the path starts with, so every
/// request of the rule loses the same prefix when one is a prefix of `value` and none
/// listed before it is longer (it would strip more from some requests only).
fn strip(prefixes: &[String], whole: bool, value: &str) -> Option<(bool, String)> {
    for prefix in prefixes {
        if let Some(rest) = value.strip_prefix(prefix.as_str()) {
            // A prefix match that loses a partial segment ("/api" from "/apiv2") is not
            // a prefix replacement any more.
            if !whole && !prefix.ends_with('/') && !rest.is_empty() && !rest.starts_with('/') {
                return None;
            }
            let rest = if rest.starts_with('/') {
                rest.to_string()
            } else {
                format!("/{rest}")
            };
            return Some((whole, rest));
        }
        if !whole && prefix.starts_with(value) {
            return None;
        }
    }
    Some((whole, value.to_string()))
}

/// addPrefix: the prefix before the path (a prefix match of `/` becomes the prefix alone).
fn add(prefix: &str, value: &str) -> String {
    if value == "/" {
        prefix.to_string()
    } else {
        format!("{}{value}", prefix.trim_end_matches('/'))
    }
}

/// The listeners one rule of an Traefik Ingress is served on.
fn sides_of(
    router: &Router,
    ingress: &Ingress,
    host: &str,
    has_https: bool,
    report: &mut impl FnMut(Diagnostic),
) -> Sides {
    let redirect = router.steps.iter().find_map(|s| match s {
        Step::Redirect(r) => Some(r.clone()),
        _ => None,
    });
    let (web, websecure) = router.entrypoints.unwrap_or((true, true));
    let shown = if host.is_empty() {
        "its rules without a host".to_string()
    } else {
        format!("host {host:?}")
    };
    let https_only = router.tls || (websecure && !web);
    if https_only {
        if !has_https {
            report(Diagnostic::error(
                Some(ingress.at(router.https_line)),
                format!(
                    "Traefik serves {shown} over HTTPS only ({PREFIX}router.tls or router.entrypoints websecure), with a certificate of its own (its default one or a certificate resolver), but no spec.tls entry of the Ingress names a Secret for it, and a Gateway API HTTPS listener needs one: add a spec.tls entry for the host (cert-manager issues its Certificate from the Ingress's annotations), or serve the host over plain HTTP (router.entrypoints: web)"
                ),
            ));
            return Sides::both();
        }
        return Sides {
            http: OnHttp::Off,
            https: true,
        };
    }
    if !websecure {
        if has_https {
            report(Diagnostic::warning(
                Some(ingress.at(router.entrypoints_line)),
                format!(
                    "{PREFIX}router.entrypoints web serves {shown} over plain HTTP only: no route of this Ingress attaches to the host's HTTPS listener, which is kept for the Certificate of its TLS entry"
                ),
            ));
        }
        return Sides {
            http: redirect.map_or(OnHttp::Serve, OnHttp::Redirect),
            https: false,
        };
    }
    match redirect {
        Some(r) if has_https => Sides {
            http: OnHttp::Redirect(r),
            https: true,
        },
        Some(_) => {
            report(Diagnostic::warning(
                Some(ingress.at(router.middlewares_line)),
                format!(
                    "the redirectScheme middleware of {PREFIX}router.middlewares is not translated for {shown}: no spec.tls entry gives it a Secret, so the Gateway has no HTTPS listener to redirect to; the routes serve plain HTTP"
                ),
            ));
            Sides::both()
        }
        None => Sides::both(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_prefix_is_a_prefix_replacement_only_for_whole_segments() {
        let p = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            strip(&p(&["/api"]), false, "/api"),
            Some((false, "/".to_string()))
        );
        assert_eq!(
            strip(&p(&["/api"]), false, "/api/v1"),
            Some((false, "/v1".to_string()))
        );
        assert_eq!(
            strip(&p(&["/api"]), true, "/api/health"),
            Some((true, "/health".to_string()))
        );
        // Longer than the rule's prefix: strips from some requests only.
        assert_eq!(strip(&p(&["/api"]), false, "/"), None);
        // A partial segment.
        assert_eq!(strip(&p(&["/ap"]), false, "/api"), None);
        // None applies: nothing changes.
        assert_eq!(
            strip(&p(&["/other"]), false, "/api"),
            Some((false, "/api".to_string()))
        );
    }

    #[test]
    fn references_name_a_kubernetes_crd_middleware_by_namespace_and_name() {
        let middleware = || Middleware {
            location: Location {
                file: "m.yaml".into(),
                document: 1,
                line: 1,
            },
            types: Vec::new(),
        };
        let middlewares: Middlewares = [
            (
                ("team-a".to_string(), "strip-api".to_string()),
                middleware(),
            ),
            (("team".to_string(), "a-strip".to_string()), middleware()),
        ]
        .into();
        let found = |r: &str| resolve(r, &middlewares).map(|(k, _)| k.clone());
        assert_eq!(
            found("team-a-strip-api@kubernetescrd"),
            Some(("team-a".to_string(), "strip-api".to_string()))
        );
        assert_eq!(
            found("team-a-strip@kubernetescrd"),
            Some(("team".to_string(), "a-strip".to_string()))
        );
        // Another provider's, or none: not a Kubernetes object.
        assert_eq!(found("team-a-strip-api@file"), None);
        assert_eq!(found("team-a-strip-api"), None);
        assert_eq!(found("nothing-here@kubernetescrd"), None);
    }

    #[test]
    fn add_prefix_puts_the_prefix_before_the_path() {
        assert_eq!(add("/v1", "/"), "/v1");
        assert_eq!(add("/v1", "/api"), "/v1/api");
        assert_eq!(add("/v1/", "/api"), "/v1/api");
    }

    #[test]
    fn only_literal_patterns_strip_like_prefixes() {
        assert!(is_literal("/api"));
        assert!(!is_literal("/api/[a-z]+"));
        assert!(!is_literal(""));
    }

    #[test]
    fn later_header_settings_win() {
        let mut changes = HeaderChanges {
            set: vec![("X-A".to_string(), "1".to_string())],
            remove: vec!["X-B".to_string()],
        };
        merge(
            &mut changes,
            &HeaderChanges {
                set: vec![("x-b".to_string(), "2".to_string())],
                remove: vec!["x-a".to_string()],
            },
        );
        assert_eq!(changes.set, vec![("x-b".to_string(), "2".to_string())]);
        assert_eq!(changes.remove, vec!["x-a".to_string()]);
    }
}
