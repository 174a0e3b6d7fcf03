//! The F5 NGINX Ingress Controller's Ingress annotations (`nginx.org/*`, and NGINX Plus's
//! `nginx.com/*`), as its `internal/configs/annotations.go` reads them and its
//! `nginx.ingress.tmpl` writes them: `ssl-redirect` (on by default: plain HTTP of a TLS host
//! redirected with `http-redirect-code`, 301 by default), `redirect-to-https` (a redirect when
//! `X-Forwarded-Proto` is `http`), `rewrites` (per Service), `proxy-set-headers`,
//! `proxy-hide-headers`, `hsts*` (over HTTPS only), `path-regex`, `grpc-services` (GRPCRoutes),
//! `ssl-services` (BackendTLSPolicies). Authentication, policies, rate limits, snippets and App
//! Protect may protect the routes: refused unless `--allow-unprotected` accepts the loss. The
//! others are warned.

use std::collections::{BTreeMap, BTreeSet};

use super::{Effect, Finding, OnHttp, Plan, Provider, Sides};
use crate::convert::ingress::{Backend, Ingress};
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::plan::{
    Binding, Filter, HeaderChanges, ListenerKind, PathType, Redirect, Route, RouteKind, Rule,
};
use crate::diag::Diagnostic;
use crate::golang::strconv::parse_bool;

pub const PREFIX: &str = "nginx.org/";

/// The older controllers' key NGINX reads when `nginx.org/ssl-redirect` is not set.
const LEGACY_SSL_REDIRECT: &str = "ingress.kubernetes.io/ssl-redirect";

/// The annotations lsc translates, without the prefix.
const TRANSLATED: &[&str] = &[
    "grpc-services",
    "hsts",
    "hsts-behind-proxy",
    "hsts-include-subdomains",
    "hsts-max-age",
    "http-redirect-code",
    "mergeable-ingress-type",
    "path-regex",
    "proxy-hide-headers",
    "proxy-set-headers",
    "redirect-to-https",
    "rewrites",
    "ssl-redirect",
    "ssl-services",
    "websocket-services",
];

/// NGINX's default `hsts-max-age` (`config_params.go`).
const HSTS_MAX_AGE: i64 = 2_592_000;

/// Is `key` an NGINX Inc. annotation lsc translates?
pub fn translates(key: &str) -> bool {
    key == LEGACY_SSL_REDIRECT
        || key
            .strip_prefix(PREFIX)
            .is_some_and(|name| TRANSLATED.contains(&name))
}

/// Annotations that restrict who is served, by name prefix, with what they do.
const ACCESS_CONTROLS: &[(&str, &str)] = &[
    (
        "nginx.org/basic-auth-secret",
        "requires HTTP basic authentication for {scope}",
    ),
    ("nginx.com/jwt-key", "requires a JSON Web Token for {scope}"),
    (
        "nginx.org/policies",
        "applies Policy objects (access control, JWT or OIDC authentication, rate limits, WAF) to {scope}",
    ),
    (
        "nginx.com/policies",
        "applies Policy objects (access control, JWT or OIDC authentication, rate limits, WAF) to {scope}",
    ),
    ("nginx.org/limit-req-", "rate-limits the clients of {scope}"),
    (
        "nginx.org/server-snippets",
        "adds NGINX configuration to the server of {scope}, which may allow, deny or authenticate clients",
    ),
    (
        "nginx.org/location-snippets",
        "adds NGINX configuration to the locations of {scope}, which may allow, deny or authenticate clients",
    ),
    (
        "appprotect.f5.com/",
        "runs NGINX App Protect WAF on {scope}",
    ),
    (
        "appprotectdos.f5.com/",
        "runs NGINX App Protect DoS on {scope}",
    ),
];

/// `mergeable-ingress-type`: `master` (the host, TLS and server settings) or `minion` (paths).
const MERGEABLE: &str = "nginx.org/mergeable-ingress-type";

/// The annotations NGINX ignores on a master Ingress.
const MASTER_DENYLIST: &[&str] = &[
    "nginx.org/rewrites",
    "nginx.org/ssl-services",
    "nginx.org/grpc-services",
    "nginx.org/websocket-services",
    "nginx.org/sticky-cookie-services",
    "nginx.com/sticky-cookie-services",
    "nginx.com/health-checks",
    "nginx.com/health-checks-mandatory",
    "nginx.com/health-checks-mandatory-queue",
    "nginx.org/use-cluster-ip",
];

/// The annotations NGINX ignores on a minion Ingress (the master's apply).
const MINION_DENYLIST: &[&str] = &[
    "nginx.org/proxy-hide-headers",
    "nginx.org/proxy-pass-headers",
    "nginx.org/redirect-to-https",
    "ingress.kubernetes.io/ssl-redirect",
    "nginx.org/ssl-redirect",
    "nginx.org/http-redirect-code",
    "nginx.org/hsts",
    "nginx.org/hsts-max-age",
    "nginx.org/hsts-include-subdomains",
    "nginx.org/server-tokens",
    "nginx.org/listen-ports",
    "nginx.org/listen-ports-ssl",
    "nginx.org/server-snippets",
    "nginx.org/ssl-ciphers",
    "nginx.org/ssl-prefer-server-ciphers",
    "nginx.org/app-root",
    "appprotect.f5.com/app_protect_enable",
    "appprotect.f5.com/app_protect_policy",
    "appprotect.f5.com/app_protect_security_log_enable",
    "appprotect.f5.com/app_protect_security_log",
    "appprotectdos.f5.com/app-protect-dos-resource",
];

/// Settings of the authentication an access control above requires, with that control: said
/// with it, not refused again.
const AUTHENTICATION_SETTINGS: &[(&str, &str)] = &[
    ("nginx.org/basic-auth-realm", "nginx.org/basic-auth-secret"),
    ("nginx.com/jwt-realm", "nginx.com/jwt-key"),
    ("nginx.com/jwt-token", "nginx.com/jwt-key"),
    ("nginx.com/jwt-login-url", "nginx.com/jwt-key"),
];

/// `path-regex`: the NGINX location modifier its paths get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathRegex {
    CaseSensitive,
    CaseInsensitive,
    Exact,
}

/// `hsts`: the header value, and whether NGINX sets it by `X-Forwarded-Proto` (behind a proxy
/// that terminates TLS) rather than on its own HTTPS.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hsts {
    value: String,
    behind_proxy: bool,
}

/// One Ingress's NGINX configuration, as far as lsc translates it.
#[derive(Debug, Clone)]
struct Config {
    ssl_redirect: bool,
    redirect_to_https: bool,
    redirect_code: i64,
    /// `rewrites`: Service → replacement of the matched path.
    rewrites: BTreeMap<String, String>,
    rewrites_line: u32,
    request: HeaderChanges,
    response: HeaderChanges,
    hsts: Option<Hsts>,
    path_regex: Option<PathRegex>,
    path_regex_line: u32,
    grpc: BTreeSet<String>,
    grpc_line: u32,
    ssl_services: Vec<String>,
    ssl_services_line: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ssl_redirect: true,
            redirect_to_https: false,
            redirect_code: 301,
            rewrites: BTreeMap::new(),
            rewrites_line: 0,
            request: HeaderChanges::default(),
            response: HeaderChanges::default(),
            hsts: None,
            path_regex: None,
            path_regex_line: 0,
            grpc: BTreeSet::new(),
            grpc_line: 0,
            ssl_services: Vec::new(),
            ssl_services_line: 0,
        }
    }
}

impl Config {
    /// A minion's configuration with its master's server settings (redirects, HSTS, hidden
    /// headers) and headers (the minion's own win by name).
    fn inherit(&mut self, master: &Config) {
        self.ssl_redirect = master.ssl_redirect;
        self.redirect_to_https = master.redirect_to_https;
        self.redirect_code = master.redirect_code;
        self.hsts = master.hsts.clone();
        self.response = master.response.clone();
        let own = std::mem::take(&mut self.request.set);
        let mut set: Vec<(String, String)> = master
            .request
            .set
            .iter()
            .filter(|(h, _)| !own.iter().any(|(o, _)| o.eq_ignore_ascii_case(h)))
            .cloned()
            .collect();
        set.extend(own);
        self.request.set = set;
    }
}

fn mergeable_type(ingress: &Ingress) -> Option<&str> {
    ingress
        .meta
        .annotations
        .get(MERGEABLE)
        .map(|a| a.value.trim())
}

/// The comma list of an annotation, trimmed, empty items left out.
fn list(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// `rewrites`: `serviceName=<service> rewrite=<path>` entries separated by `;` (NGINX's
/// `ParseRewriteList`; one bad entry drops them all).
fn parse_rewrites(value: &str) -> Result<BTreeMap<String, String>, String> {
    let mut rewrites = BTreeMap::new();
    for part in value.split(';') {
        let part = part.trim();
        let Some((service, rewrite)) = part.split_once(' ') else {
            return Err(format!(
                "{part:?} is not a valid rewrite format, e.g. 'serviceName=tea-svc rewrite=/'"
            ));
        };
        let service = match service.split('=').collect::<Vec<_>>().as_slice() {
            ["serviceName", name] => (*name).to_string(),
            _ => {
                return Err(format!(
                    "{service:?} is not a valid serviceName format, e.g. 'serviceName=tea-svc'"
                ));
            }
        };
        let rewrite = match rewrite.trim().split('=').collect::<Vec<_>>().as_slice() {
            ["rewrite", path] if path.starts_with('/') => (*path).to_string(),
            _ => {
                return Err(format!(
                    "{rewrite:?} is not a valid rewrite path format, e.g. 'rewrite=/tea'"
                ));
            }
        };
        rewrites.insert(service, rewrite);
    }
    Ok(rewrites)
}

fn bool_setting(ingress: &Ingress, key: &str) -> Option<(Option<bool>, u32)> {
    ingress
        .meta
        .annotations
        .get(key)
        .map(|a| (parse_bool(a.value.trim()), a.line))
}

/// The findings and the configuration of one Ingress: both from one reading, so what is
/// warned and what is translated never disagree.
fn read(ingress: &Ingress) -> (Config, Vec<Finding>) {
    let mut config = Config::default();
    let mut findings = Vec::new();
    let annotations = &ingress.meta.annotations;
    // hsts-* are read together (NGINX skips them all when one does not parse).
    let mut hsts_broken = false;
    let mergeable = annotations
        .get(MERGEABLE)
        .map(|a| a.value.trim().to_string());
    for (key, located) in annotations.iter() {
        let value = located.value.trim();
        let line = located.line;
        // Mergeable Ingresses (`annotations.go`'s deny lists): a master's Service annotations
        // and a minion's server annotations are ignored.
        let ignored = match mergeable.as_deref() {
            Some("master") if MASTER_DENYLIST.contains(&key.as_str()) => Some("a master"),
            Some("minion") if MINION_DENYLIST.contains(&key.as_str()) => Some("a minion"),
            _ => None,
        };
        if let Some(which) = ignored {
            let from = if which == "a minion" {
                " (it takes the server's settings from the master Ingress of its host)"
            } else {
                " (each minion Ingress sets it for its own paths)"
            };
            findings.push(Finding::new(key, line, Effect::Warned(format!(
                "annotation {key} is ignored on {which} Ingress{from}, so the conversion ignores it too"
            ))));
            continue;
        }
        if let Some((_, does)) = ACCESS_CONTROLS.iter().find(|(p, _)| key.starts_with(p)) {
            findings.push(Finding::new(
                key,
                line,
                Effect::MayProtect {
                    what: key.to_string(),
                    message: format!(
                        "annotation {key} of the F5 NGINX Ingress Controller {does}, and Gateway API has no standard filter for it"
                    ),
                },
            ));
            continue;
        }
        if let Some((_, of)) = AUTHENTICATION_SETTINGS.iter().find(|(k, _)| *k == key) {
            findings.push(Finding::new(key, line, Effect::Warned(format!(
                "annotation {key} is not translated: it configures the authentication of {of}, which is refused unless accepted"
            ))));
            continue;
        }
        let name = if key == LEGACY_SSL_REDIRECT {
            "legacy-ssl-redirect"
        } else if let Some(name) = key.strip_prefix(PREFIX) {
            name
        } else if key.starts_with("nginx.com/") {
            findings.push(Finding::new(key, line, Effect::Warned(format!(
                "annotation {key} of NGINX Plus is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
            ))));
            continue;
        } else {
            continue;
        };
        let effect = match name {
            "ssl-redirect" | "legacy-ssl-redirect" => {
                // nginx.org/ssl-redirect wins over the older key.
                if name == "legacy-ssl-redirect"
                    && annotations.get(&format!("{PREFIX}ssl-redirect")).is_some()
                {
                    Effect::Warned(format!(
                        "annotation {key} is ignored: {PREFIX}ssl-redirect is set, and NGINX reads that one"
                    ))
                } else {
                    match parse_bool(value) {
                        Some(on) => {
                            config.ssl_redirect = on;
                            Effect::Translated
                        }
                        // The older key is not validated: NGINX logs the error and keeps its
                        // default.
                        None if name == "legacy-ssl-redirect" => Effect::Warned(format!(
                            "annotation {key} ({value:?}) is not a boolean, which NGINX ignores (keeping its default, a redirect of plain HTTP to HTTPS for hosts with TLS); so does the conversion"
                        )),
                        None => rejected(key, value, "a boolean"),
                    }
                }
            }
            "redirect-to-https" => match parse_bool(value) {
                Some(on) => {
                    config.redirect_to_https = on;
                    Effect::Translated
                }
                None => rejected(key, value, "a boolean"),
            },
            "http-redirect-code" => match value.parse::<i64>() {
                Ok(code @ (301 | 302 | 307 | 308)) => {
                    config.redirect_code = code;
                    Effect::Translated
                }
                _ => rejected(key, value, "one of 301, 302, 307, 308"),
            },
            "rewrites" => match parse_rewrites(value) {
                Ok(rewrites) => {
                    config.rewrites = rewrites;
                    config.rewrites_line = line;
                    Effect::Translated
                }
                Err(why) => rejected(key, value, &format!("a valid rewrite list ({why})")),
            },
            "proxy-set-headers" => {
                let mut variables = Vec::new();
                for entry in list(value) {
                    let (header, given) = match entry.split_once(':') {
                        Some((h, v)) => (h.trim(), Some(v.trim())),
                        None => (entry, None),
                    };
                    if header.is_empty() {
                        continue;
                    }
                    match given {
                        // Without a value NGINX passes the client's own header on, as the
                        // Gateway does.
                        None => {}
                        Some(v) if v.contains('$') => variables.push(format!("{header}: {v}")),
                        Some(v) => {
                            config
                                .request
                                .set
                                .retain(|(h, _)| !h.eq_ignore_ascii_case(header));
                            config.request.set.push((header.to_string(), v.to_string()));
                        }
                    }
                }
                if variables.is_empty() {
                    Effect::Translated
                } else {
                    Effect::Warned(format!(
                        "annotation {key}: {} not translated: the value{} NGINX variables, which Gateway API header filters cannot expand (they would be sent literally); the other headers are set by a RequestHeaderModifier",
                        variables.join(", "),
                        if variables.len() == 1 {
                            " uses"
                        } else {
                            "s use"
                        }
                    ))
                }
            }
            "proxy-hide-headers" => {
                for header in list(value) {
                    if !config
                        .response
                        .remove
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(header))
                    {
                        config.response.remove.push(header.to_string());
                    }
                }
                Effect::Translated
            }
            "hsts" | "hsts-max-age" | "hsts-include-subdomains" | "hsts-behind-proxy" => {
                let parses = if name == "hsts-max-age" {
                    value.parse::<i64>().is_ok()
                } else {
                    parse_bool(value).is_some()
                };
                if parses {
                    Effect::Translated
                } else {
                    hsts_broken = true;
                    rejected(
                        key,
                        value,
                        if name == "hsts-max-age" {
                            "an integer"
                        } else {
                            "a boolean"
                        },
                    )
                }
            }
            "path-regex" => {
                config.path_regex_line = line;
                match value {
                    "case_sensitive" => {
                        config.path_regex = Some(PathRegex::CaseSensitive);
                        Effect::Translated
                    }
                    "case_insensitive" => {
                        config.path_regex = Some(PathRegex::CaseInsensitive);
                        Effect::Warned(format!(
                            "annotation {key} \"case_insensitive\" is translated as RegularExpression paths starting with (?i): Gateway API leaves the regular expression syntax to each implementation, and not all of them take the (?i) flag (RE2, Envoy's, does); check the Gateway implementation's"
                        ))
                    }
                    "exact" => {
                        config.path_regex = Some(PathRegex::Exact);
                        Effect::Translated
                    }
                    _ => rejected(key, value, "one of case_sensitive, case_insensitive, exact"),
                }
            }
            "grpc-services" => {
                config.grpc = list(value).into_iter().map(str::to_string).collect();
                config.grpc_line = line;
                Effect::Translated
            }
            "ssl-services" => {
                config.ssl_services = list(value).into_iter().map(str::to_string).collect();
                config.ssl_services_line = line;
                Effect::Warned(format!(
                    "annotation {key} is translated as a BackendTLSPolicy per Service: the Gateway verifies each backend's certificate against the system's well-known CAs and the Service's DNS name (<service>.<namespace>.svc), while NGINX did not verify it (proxy_ssl_verify is off by default): a self-signed or differently named backend certificate is now refused; point the policy's caCertificateRefs at the CA that signed it"
                ))
            }
            // Gateway API implementations pass the WebSocket upgrade on by themselves.
            "websocket-services" => Effect::Translated,
            "listen-ports" | "listen-ports-ssl" => Effect::Warned(format!(
                "annotation {key} is not translated: the Gateway's listeners stay on ports 80 (HTTP) and 443 (HTTPS); give the Gateway (or the ListenerSet) listeners on the ports NGINX listened on by hand"
            )),
            "rewrite-target" => Effect::Warned(format!(
                "annotation {key} is not translated: it rewrites by regular expression capture groups, which Gateway API URLRewrite cannot express; use nginx.org/rewrites or rewrite by hand"
            )),
            "mergeable-ingress-type" => match value {
                "master" | "minion" => Effect::Translated,
                _ => rejected(key, value, "master or minion"),
            },
            _ => Effect::Warned(format!(
                "annotation {key} of the F5 NGINX Ingress Controller is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
            )),
        };
        findings.push(Finding::new(key, line, effect));
    }
    let hsts_on = bool_setting(ingress, &format!("{PREFIX}hsts")).and_then(|(on, _)| on);
    if hsts_on == Some(true) && !hsts_broken {
        let max_age = annotations
            .get(&format!("{PREFIX}hsts-max-age"))
            .and_then(|a| a.value.trim().parse::<i64>().ok())
            .unwrap_or(HSTS_MAX_AGE);
        let subdomains = bool_setting(ingress, &format!("{PREFIX}hsts-include-subdomains"))
            .and_then(|(on, _)| on)
            == Some(true);
        let behind_proxy = bool_setting(ingress, &format!("{PREFIX}hsts-behind-proxy"))
            .and_then(|(on, _)| on)
            == Some(true);
        // NGINX's header: `preload` is always there.
        config.hsts = Some(Hsts {
            value: format!(
                "max-age={max_age}; {}preload",
                if subdomains {
                    "includeSubDomains; "
                } else {
                    ""
                }
            ),
            behind_proxy,
        });
    }
    (config, findings)
}

/// An annotation value NGINX's validation refuses (`internal/k8s/validation.go`): it rejects
/// the whole Ingress, so the conversion refuses it too.
fn rejected(key: &str, value: &str, expected: &str) -> Effect {
    Effect::Refused(format!(
        "annotation {key} ({value:?}) is not {expected}: the F5 NGINX Ingress Controller rejects this Ingress and serves none of it; fix the value"
    ))
}

/// What each NGINX Inc. annotation of `ingress` becomes.
pub fn findings(ingress: &Ingress) -> Vec<Finding> {
    read(ingress).1
}

const FORWARDED_PROTO: &str = "X-Forwarded-Proto";

/// Applies the NGINX configuration of the Ingresses to the rules they govern: gRPC services to
/// GRPCRoutes, then paths, rewrites, header filters, HSTS and the listeners each rule is served
/// on (ssl-redirect, redirect-to-https).
pub fn plan(plan: &mut Plan<'_, '_>) {
    let ingresses = plan.ingresses;
    let mut configs: BTreeMap<usize, Config> = ingresses
        .iter()
        .enumerate()
        .filter(|(_, i)| i.provider.0 == Provider::Nginx)
        .map(|(id, i)| (id, read(i).0))
        .collect();
    if configs.is_empty() {
        return;
    }
    let mut https_hosts = plan.https_hosts();
    // Masters hold the host's TLS and server settings; their listeners come with the TLS
    // hosts without rules (after this pass), so their TLS hosts count here.
    let masters: BTreeMap<&str, (usize, Vec<&str>)> = configs
        .keys()
        .filter_map(|id| Some((*id, ingresses.get(*id)?)))
        .filter(|(_, i)| mergeable_type(i) == Some("master"))
        .flat_map(|(id, i)| {
            let tls = i.tls_hosts();
            i.rules
                .iter()
                .map(move |r| (r.host.as_str(), (id, tls.clone())))
        })
        .collect();
    for (id, ingress) in ingresses.iter().enumerate() {
        if mergeable_type(ingress) != Some("minion") {
            continue;
        }
        let Some(host) = ingress.rules.first().map(|r| r.host.as_str()) else {
            continue;
        };
        let Some((master, tls)) = masters.get(host) else {
            continue;
        };
        let Some(server) = configs.get(master).cloned() else {
            continue;
        };
        if let Some(config) = configs.get_mut(&id) {
            config.inherit(&server);
        }
        if tls.contains(&host) {
            for route in plan.routes.iter().filter(|r| r.host == host) {
                https_hosts.insert(route.gateway, host);
            }
        }
    }
    let mut diagnostics = Vec::new();
    let mut added = Vec::new();
    for route in plan.routes.iter_mut() {
        if route.kind != RouteKind::Http || !route.unsplit() {
            continue;
        }
        let has_https = https_hosts.serve(route);
        let governing = |rule: &Rule| {
            rule.sources
                .first()
                .and_then(|id| Some((configs.get(id)?, ingresses.get(*id)?)))
        };
        // gRPC services first: their rules leave the HTTPRoute.
        let mut grpc_rules = Vec::new();
        let mut kept = Vec::new();
        for rule in std::mem::take(&mut route.rules) {
            let is_grpc = governing(&rule).is_some_and(|(config, _)| {
                !rule.backends.is_empty()
                    && rule.backends.iter().all(|b| {
                        b.target.resource.is_none() && config.grpc.contains(&b.target.name)
                    })
            });
            if is_grpc {
                grpc_rules.push(rule);
            } else {
                kept.push(rule);
            }
        }
        route.rules = kept;
        if !grpc_rules.is_empty() {
            added.push(grpc_route(
                route,
                grpc_rules,
                has_https,
                plan.names,
                ingresses,
                &mut diagnostics,
            ));
        }
        let mut extra = Vec::new();
        for rule in &mut route.rules {
            let Some((config, ingress)) = governing(rule) else {
                continue;
            };
            let mut report = |d: Diagnostic| {
                let d = d.about(&ingress.reference());
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            };
            path_regex(rule, config);
            rewrite(rule, config, ingress, &mut report);
            if !config.request.set.is_empty() {
                rule.filters
                    .push(Filter::RequestHeaders(config.request.clone()));
            }
            let redirect = Redirect {
                scheme: Some("https".to_string()),
                status: Some(config.redirect_code),
                ..Redirect::default()
            };
            // Plain HTTP of a TLS host: NGINX redirects it (ssl-redirect, on by default; and
            // redirect-to-https, which the Gateway terminating TLS itself now answers).
            let redirected = has_https && (config.ssl_redirect || config.redirect_to_https);
            // Behind a proxy that terminates TLS (no TLS here): NGINX redirects what the
            // proxy says came over plain HTTP.
            if config.redirect_to_https && !has_https {
                extra.push(Rule {
                    matches: with_header(&rule.matches, FORWARDED_PROTO, "http"),
                    filters: vec![Filter::RequestRedirect(redirect.clone())],
                    sources: rule.sources.clone(),
                    ..Rule::default()
                });
            }
            let plain = rule.clone();
            let mut response = config.response.clone();
            // The rule that sets the header behind a proxy: served where the rule is.
            let mut behind_proxy = None;
            let hsts = config.hsts.as_ref();
            match hsts {
                Some(h) if h.behind_proxy => {
                    // Set when the proxy in front says HTTPS, on either listener.
                    let mut with_hsts = plain.clone();
                    let mut changes = response.clone();
                    changes
                        .set
                        .push(("Strict-Transport-Security".to_string(), h.value.clone()));
                    changes
                        .remove
                        .retain(|r| !r.eq_ignore_ascii_case("Strict-Transport-Security"));
                    with_hsts.matches = with_header(&plain.matches, FORWARDED_PROTO, "https");
                    with_hsts.filters.push(Filter::ResponseHeaders(changes));
                    // NGINX hides the backend's own header on that server.
                    if !response
                        .remove
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case("Strict-Transport-Security"))
                    {
                        response
                            .remove
                            .push("Strict-Transport-Security".to_string());
                    }
                    behind_proxy = Some(with_hsts);
                }
                Some(_) if !has_https => {
                    report(Diagnostic::warning(
                        Some(ingress.at(line_of(ingress, "hsts"))),
                        format!(
                            "annotation {PREFIX}hsts is not translated for host {:?}: NGINX sends Strict-Transport-Security over HTTPS only, and no spec.tls entry gives the host a Secret (set hsts-behind-proxy when a proxy in front terminates TLS)",
                            route.host
                        ),
                    ));
                }
                _ => {}
            }
            let https_changes = match hsts {
                Some(h) if has_https && !h.behind_proxy => {
                    let mut changes = response.clone();
                    changes
                        .remove
                        .retain(|r| !r.eq_ignore_ascii_case("Strict-Transport-Security"));
                    changes
                        .set
                        .push(("Strict-Transport-Security".to_string(), h.value.clone()));
                    Some(changes)
                }
                _ => None,
            };
            if !response.set.is_empty() || !response.remove.is_empty() {
                rule.filters.push(Filter::ResponseHeaders(response.clone()));
            }
            match (redirected, https_changes) {
                (true, changes) => {
                    if let Some(changes) = changes {
                        replace_response(rule, changes);
                    }
                    rule.sides = Some(Box::new(Sides {
                        http: OnHttp::Redirect(redirect),
                        https: true,
                    }));
                }
                (false, Some(changes)) => {
                    // HSTS on HTTPS only: the rule twice, one per listener.
                    // NGINX hides the backend's own header there.
                    let mut http_rule = rule.clone();
                    let mut hidden = response.clone();
                    if !hidden
                        .remove
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case("Strict-Transport-Security"))
                    {
                        hidden.remove.push("Strict-Transport-Security".to_string());
                    }
                    replace_response(&mut http_rule, hidden);
                    http_rule.sides = Some(Box::new(Sides {
                        http: OnHttp::Serve,
                        https: false,
                    }));
                    extra.push(http_rule);
                    replace_response(rule, changes);
                    rule.sides = Some(Box::new(Sides {
                        http: OnHttp::Off,
                        https: true,
                    }));
                }
                (false, None) => {
                    rule.sides = Some(Box::new(Sides::both()));
                }
            }
            if let Some(mut with_hsts) = behind_proxy {
                with_hsts.sides.clone_from(&rule.sides);
                extra.push(with_hsts);
            }
        }
        route.rules.extend(extra);
    }
    plan.routes
        .retain(|r| !(r.kind == RouteKind::Http && r.rules.is_empty() && !r.derived));
    plan.routes.extend(added);
    for d in diagnostics {
        plan.report(d);
    }
}

/// The rule's ResponseHeaderModifier replaced by `changes` (added when it has none).
fn replace_response(rule: &mut Rule, changes: HeaderChanges) {
    rule.filters
        .retain(|f| !matches!(f, Filter::ResponseHeaders(_)));
    rule.filters.push(Filter::ResponseHeaders(changes));
}

/// The matches with one more exact header match (a match of everything when there are none).
fn with_header(
    matches: &[crate::convert::plan::RouteMatch],
    header: &str,
    value: &str,
) -> Vec<crate::convert::plan::RouteMatch> {
    let header = (header.to_string(), value.to_string());
    if matches.is_empty() {
        return vec![crate::convert::plan::RouteMatch {
            headers: vec![header],
            ..Default::default()
        }];
    }
    matches
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m.headers.push(header.clone());
            m
        })
        .collect()
}

fn line_of(ingress: &Ingress, name: &str) -> u32 {
    ingress
        .meta
        .annotations
        .get(&format!("{PREFIX}{name}"))
        .map_or(ingress.meta.annotations_line, |a| a.line)
}

/// `path-regex`: NGINX writes the path as a location with a regular expression modifier
/// (`~ "^<path>"`, `~* "^<path>"`) or an exact one (`= "<path>"`): a regular expression that
/// matches from the start of the path and may go on, or the path alone. Exact paths of the
/// Ingress keep their type (NGINX would write a broken location for them).
fn path_regex(rule: &mut Rule, config: &Config) {
    let Some(regex) = config.path_regex else {
        return;
    };
    for m in &mut rule.matches {
        let Some(path) = &mut m.path else { continue };
        if path.kind != PathType::PathPrefix {
            continue;
        }
        match regex {
            PathRegex::Exact => path.kind = PathType::Exact,
            PathRegex::CaseSensitive | PathRegex::CaseInsensitive => {
                path.kind = PathType::RegularExpression;
                let flag = if regex == PathRegex::CaseInsensitive {
                    "(?i)"
                } else {
                    ""
                };
                path.value = format!("{flag}{}.*", path.value);
            }
        }
    }
}

/// `rewrites`: the rule's Service's replacement of the matched path (NGINX's `proxy_pass` with
/// a URI replaces the part the location matched): a prefix replacement on a prefix rule, the
/// whole path on an exact one. A regular expression location cannot take it (NGINX refuses
/// such a configuration).
fn rewrite(
    rule: &mut Rule,
    config: &Config,
    ingress: &Ingress,
    report: &mut impl FnMut(Diagnostic),
) {
    if config.rewrites.is_empty() {
        return;
    }
    let services: BTreeSet<&str> = rule
        .backends
        .iter()
        .filter(|b| b.target.resource.is_none())
        .map(|b| b.target.name.as_str())
        .collect();
    let Some(target) = services
        .iter()
        .find_map(|s| config.rewrites.get(*s))
        .cloned()
    else {
        return;
    };
    let kind = rule
        .matches
        .first()
        .and_then(|m| m.path.as_ref())
        .map_or(PathType::PathPrefix, |p| p.kind);
    let unchanged = rule
        .matches
        .iter()
        .all(|m| m.path.as_ref().is_some_and(|p| p.value == target));
    match kind {
        PathType::PathPrefix if unchanged => {}
        PathType::PathPrefix => rule.filters.push(Filter::RewritePrefix(target)),
        PathType::Exact => rule.filters.push(Filter::RewriteFullPath(target)),
        PathType::RegularExpression => report(Diagnostic::warning(
            Some(ingress.at(config.rewrites_line)),
            format!(
                "annotation {PREFIX}rewrites is not translated for a regular expression path (nginx.org/path-regex): NGINX cannot rewrite in such a location either"
            ),
        )),
    }
}

/// The GRPCRoute of a host's rules to `grpc-services`: each path `/<service>/<method>` a
/// method match, bound to the host's HTTPS listener (NGINX serves gRPC over HTTP/2, which it
/// enables with TLS only).
fn grpc_route(
    route: &Route,
    rules: Vec<Rule>,
    has_https: bool,
    names: &mut NameRegistry,
    ingresses: &[Ingress],
    diagnostics: &mut Vec<Diagnostic>,
) -> Route {
    let rules = rules
        .into_iter()
        .map(|mut rule| {
            rule.matches = rule
                .matches
                .iter()
                .map(|m| {
                    let path = m.path.as_ref().map_or("/", |p| p.value.as_str());
                    let mut grpc = crate::convert::routes::grpc_match(path);
                    grpc.headers = m.headers.clone();
                    grpc
                })
                .filter(|m| *m != crate::convert::plan::RouteMatch::default())
                .collect();
            rule
        })
        .collect::<Vec<Rule>>();
    let bindings = if has_https {
        vec![Binding {
            section: Some((route.host.clone(), ListenerKind::Https)),
            port: Some(ListenerKind::Https.port()),
        }]
    } else {
        if let Some(ingress) = rules
            .first()
            .and_then(|r| r.sources.first())
            .and_then(|id| ingresses.get(*id))
        {
            diagnostics.push(
                Diagnostic::warning(
                    Some(ingress.at(line_of(ingress, "grpc-services"))),
                    format!("annotation {PREFIX}grpc-services: host {:?} has no spec.tls entry, and NGINX serves gRPC over HTTP/2 with TLS only; the GRPCRoute attaches to the plain HTTP listener, where the Gateway serves gRPC as cleartext HTTP/2 (h2c)", route.host),
                )
                .about(&ingress.reference()),
            );
        }
        vec![Binding::whole()]
    };
    Route {
        kind: RouteKind::Grpc,
        name: names.claim("GRPCRoute", &route.namespace, &route.name),
        bindings,
        rules,
        derived: true,
        ..route.clone()
    }
}

/// The BackendTLSPolicies of `ssl-services`: one per Service of a converted NGINX Inc.
/// Ingress, verified against the system CAs and the Service's DNS name.
pub fn policies(
    ingresses: &[Ingress],
    gateway_of: &[Option<usize>],
    names: &mut NameRegistry,
) -> Vec<Make> {
    let mut planned: BTreeMap<(String, String), String> = BTreeMap::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.provider.0 != Provider::Nginx || gateway_of.get(id).copied().flatten().is_none()
        {
            continue;
        }
        let config = read(ingress).0;
        if config.ssl_services.is_empty() {
            continue;
        }
        let routed: BTreeSet<&str> = ingress
            .rules
            .iter()
            .flat_map(|r| r.paths.iter().map(|p| &p.backend))
            .chain(ingress.default_backend.as_ref().map(|(b, _)| b))
            .filter_map(|b| match b {
                Backend::Service { name, .. } => Some(name.as_str()),
                Backend::Resource { .. } => None,
            })
            .collect();
        for service in &config.ssl_services {
            if !routed.contains(service.as_str()) {
                continue;
            }
            let namespace = ingress.meta.namespace.clone();
            let hostname = format!("{service}.{namespace}.svc");
            planned
                .entry((namespace, service.clone()))
                .or_insert(hostname);
        }
    }
    planned
        .into_iter()
        .map(|((namespace, service), hostname)| {
            let name = names.claim(
                "BackendTLSPolicy",
                &namespace,
                &format!("{service}-backend-tls"),
            );
            let make: Make = Box::new(move || {
                crate::convert::providers::ingress_nginx::system_ca_policy(
                    &name, &namespace, &service, &hostname,
                )
            });
            make
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_are_read_per_service_and_one_bad_entry_drops_all() {
        let read = parse_rewrites("serviceName=tea rewrite=/; serviceName=coffee rewrite=/beans")
            .unwrap_or_default();
        assert_eq!(read.get("tea").map(String::as_str), Some("/"));
        assert_eq!(read.get("coffee").map(String::as_str), Some("/beans"));
        assert!(parse_rewrites("serviceName=tea rewrite=/;tea /x").is_err());
        assert!(parse_rewrites("service=tea rewrite=/").is_err());
        assert!(parse_rewrites("serviceName=tea").is_err());
    }

    #[test]
    fn path_regex_anchors_at_the_start_and_may_go_on() {
        let mut rule = Rule {
            matches: vec![crate::convert::plan::RouteMatch {
                path: Some(crate::convert::plan::PathMatch {
                    kind: PathType::PathPrefix,
                    value: "/tea/[A-Z0-9]+".to_string(),
                }),
                ..Default::default()
            }],
            ..Rule::default()
        };
        let config = Config {
            path_regex: Some(PathRegex::CaseInsensitive),
            ..Config::default()
        };
        path_regex(&mut rule, &config);
        let path = rule.matches.first().and_then(|m| m.path.clone());
        assert_eq!(
            path.map(|p| (p.kind, p.value)),
            Some((
                PathType::RegularExpression,
                "(?i)/tea/[A-Z0-9]+.*".to_string()
            ))
        );
    }
}
