//! What an Ingress loses on the way to Gateway API that protected it: ingress-nginx's access
//! controls (IP lists, authentication, client certificates, WAF, rate limits), refused unless
//! `--allow-unprotected` accepts the loss, and the annotations of other Ingress controllers,
//! which lsc does not translate and reports one by one.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::ingress::Ingress;
use super::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::golang::strconv::{atoi, parse_bool};
use crate::model::fields::{Located, SortedMap};

/// The kinds of protection an ingress-nginx annotation gives (ingress-nginx's
/// `internal/ingress/annotations/{ipallowlist,ipdenylist,authreq,auth,authtls,modsecurity,ratelimit,satisfy}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    AllowList,
    DenyList,
    ExternalAuth,
    BasicAuth,
    ClientCertificates,
    Firewall,
    RateLimit,
    Satisfy,
}

/// The protection an ingress-nginx annotation (`name` without the prefix) gives with this
/// value; `None` for other annotations and for values that turn the protection off
/// (`enable-modsecurity: "false"`, `auth-tls-verify-client: "off"`, `limit-rps: "0"`, "").
pub fn protection(name: &str, value: &str) -> Option<Protection> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let on = || parse_bool(value) == Some(true);
    let limit = || atoi(value).is_ok_and(|n| n > 0);
    match name {
        "whitelist-source-range" | "allowlist-source-range" => Some(Protection::AllowList),
        "denylist-source-range" => Some(Protection::DenyList),
        "auth-url" => Some(Protection::ExternalAuth),
        "auth-type" | "auth-secret" | "auth-realm" => Some(Protection::BasicAuth),
        "auth-tls-secret" => Some(Protection::ClientCertificates),
        "auth-tls-verify-client" => {
            (!value.eq_ignore_ascii_case("off")).then_some(Protection::ClientCertificates)
        }
        "enable-modsecurity" | "enable-owasp-core-rules" => on().then_some(Protection::Firewall),
        "limit-rps" | "limit-rpm" | "limit-connections" => limit().then_some(Protection::RateLimit),
        "satisfy" => Some(Protection::Satisfy),
        _ if name.starts_with("modsecurity-") => Some(Protection::Firewall),
        _ => None,
    }
}

/// [`protection`] for an annotation among the others of its Ingress: a CA for client
/// certificates protects nothing once `auth-tls-verify-client: "off"` stops asking for them.
pub fn control(annotations: &SortedMap<Located>, name: &str, value: &str) -> Option<Protection> {
    let kind = protection(name, value)?;
    let verify_off = || {
        annotations
            .get(format!("{PREFIX}auth-tls-verify-client").as_str())
            .is_some_and(|v| v.value.trim().eq_ignore_ascii_case("off"))
    };
    (name != "auth-tls-secret" || !verify_off()).then_some(kind)
}

/// What the annotation did, with `{scope}` standing for the hosts and paths it covered.
fn what_it_does(name: &str, value: &str) -> String {
    match name {
        "whitelist-source-range" | "allowlist-source-range" => {
            "restricts {scope} to those client addresses".to_string()
        }
        "denylist-source-range" => "blocks those client addresses from {scope}".to_string(),
        "auth-url" => {
            "sends each request for {scope} to that authentication service first, and serves it only when the service allows it"
                .to_string()
        }
        "auth-type" => format!("requires {value} authentication for {{scope}}"),
        "auth-secret" => {
            "holds the users the basic or digest authentication of {scope} accepts".to_string()
        }
        "auth-realm" => "names the realm of the basic or digest authentication of {scope}".to_string(),
        "auth-tls-secret" => {
            "requires client certificates (mTLS) signed by that CA for {scope}".to_string()
        }
        "auth-tls-verify-client" => "decides how client certificates (mTLS) are verified for {scope}".to_string(),
        "enable-modsecurity" => "runs the ModSecurity web application firewall on {scope}".to_string(),
        "enable-owasp-core-rules" => {
            "runs the OWASP core rule set of the ModSecurity web application firewall on {scope}".to_string()
        }
        "limit-rps" => format!("limits each client address to {value} requests per second on {{scope}}"),
        "limit-rpm" => format!("limits each client address to {value} requests per minute on {{scope}}"),
        "limit-connections" => {
            format!("limits each client address to {value} concurrent connections to {{scope}}")
        }
        "satisfy" => {
            "decides whether {scope} need both the authentication and the client address check, or either one".to_string()
        }
        _ => "configures the ModSecurity web application firewall of {scope}".to_string(),
    }
}

impl Protection {
    /// Why Gateway API cannot carry it.
    fn gateway_api(self) -> &'static str {
        match self {
            Protection::ExternalAuth => {
                "Gateway API has only the experimental ExternalAuth filter for it, which lsc does not write"
            }
            Protection::ClientCertificates => {
                "Gateway API validates client certificates per Gateway and port (spec.tls.frontend), not per host, and lsc does not write it"
            }
            _ => "Gateway API has no standard field for it",
        }
    }

    /// What the converted routes do without it.
    fn consequence(self) -> &'static str {
        match self {
            Protection::AllowList => "serve every client",
            Protection::DenyList => "serve the blocked clients too",
            Protection::ExternalAuth | Protection::BasicAuth => {
                "serve every request unauthenticated"
            }
            Protection::ClientCertificates => "accept clients without a certificate",
            Protection::Firewall => "serve the requests the firewall would block",
            Protection::RateLimit => "serve every client without a limit",
            Protection::Satisfy => "lose how the checks combine",
        }
    }

    /// What to do about it.
    fn remedy(self) -> &'static str {
        match self {
            Protection::AllowList | Protection::DenyList => {
                "add the address restriction in your Gateway implementation's policy"
            }
            Protection::ExternalAuth | Protection::BasicAuth => {
                "add the authentication in your Gateway implementation's policy"
            }
            Protection::ClientCertificates => {
                "add the client certificate validation to the Gateway or your implementation's policy"
            }
            Protection::Firewall => "put the firewall in front of the Gateway or in its policy",
            Protection::RateLimit => "add the rate limit in your Gateway implementation's policy",
            Protection::Satisfy => {
                "combine them the same way in your Gateway implementation's policy"
            }
        }
    }
}

/// Which losses of protection `--allow-unprotected` accepts: hosts, or all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowUnprotected {
    pub all: bool,
    pub hosts: BTreeSet<String>,
}

impl AllowUnprotected {
    /// The flag's values: host names, or `all`.
    pub fn from_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut allow = AllowUnprotected::default();
        for value in values {
            let value = value.trim();
            if value == "all" {
                allow.all = true;
            } else if !value.is_empty() {
                allow.hosts.insert(value.to_string());
            }
        }
        allow
    }

    /// The first host of `hosts` it does not accept ("" for rules without a host, which only
    /// `all` accepts); `None` when it accepts every one.
    pub fn first_refused<'a>(&self, hosts: &[&'a str]) -> Option<&'a str> {
        if self.all {
            return None;
        }
        hosts.iter().copied().find(|h| !self.hosts.contains(*h))
    }
}

/// What [`losses`] found: the diagnostics, and the losses accepted by host (`""` for rules
/// without a host) with the annotations, for the summary.
#[derive(Debug, Default)]
pub struct Losses {
    pub diagnostics: Vec<Diagnostic>,
    pub accepted: BTreeMap<String, BTreeSet<String>>,
    /// Every host with a lost protection, accepted or not.
    protected: BTreeSet<String>,
}

/// Every converted Ingress's lost protection (an error, or a warning when accepted) and
/// every annotation of another controller it carries (a warning). `converted` says which
/// Ingresses are converted.
pub fn losses(
    ingresses: &[Ingress],
    converted: impl Fn(usize) -> bool + Sync,
    allow: &AllowUnprotected,
    emitter: super::emitters::Emitter,
    objects: &super::providers::Objects,
) -> Losses {
    // Each Ingress on any thread (most find nothing), merged in input order.
    let each: Vec<Losses> = ingresses
        .par_iter()
        .enumerate()
        .filter(|(id, _)| converted(*id))
        .map(|(_, ingress)| {
            let mut found = Losses::default();
            if !ingress.canary {
                protection_losses(ingress, allow, emitter, &mut found);
            }
            controller_annotations(ingress, allow, objects, &mut found);
            found
        })
        .filter(|found| !found.diagnostics.is_empty() || !found.protected.is_empty())
        .collect();
    let mut found = Losses::default();
    for mut one in each {
        found.diagnostics.append(&mut one.diagnostics);
        found.protected.append(&mut one.protected);
        for (host, annotations) in one.accepted {
            found.accepted.entry(host).or_default().extend(annotations);
        }
    }
    // A host named for nothing is most likely a typo, which would leave the real host refused.
    for host in allow.hosts.iter().filter(|h| !found.protected.contains(*h)) {
        found.diagnostics.push(Diagnostic::warning(
            None,
            format!("--allow-unprotected {host} accepts nothing: no converted Ingress with an ingress-nginx access control serves that host"),
        ));
    }
    found
}

/// The ingress-nginx protections of one (non-canary) Ingress: a canary Ingress's own are
/// ignored by ingress-nginx, which applies its primary's.
fn protection_losses(
    ingress: &Ingress,
    allow: &AllowUnprotected,
    emitter: super::emitters::Emitter,
    found: &mut Losses,
) {
    if !ingress.nginx_annotated {
        return;
    }
    let hosts = hosts(ingress);
    let scope = scope(ingress);
    for (key, located) in ingress.meta.annotations.iter() {
        let Some(name) = key.strip_prefix(PREFIX) else {
            continue;
        };
        let Some(kind) = control(&ingress.meta.annotations, name, &located.value) else {
            continue;
        };
        if emitter.translates(
            &ingress.meta.annotations,
            &ingress.meta.namespace,
            name,
            &located.value,
        ) {
            // Still a protected host: the emitter may find it cannot place the translation
            // (Envoy Gateway's client certificates without an HTTPS listener) and ask
            // --allow-unprotected then.
            found
                .protected
                .extend(hosts.iter().map(|h| (*h).to_string()));
            continue;
        }
        let does = what_it_does(name, located.value.trim()).replace("{scope}", &scope);
        let head = format!(
            "annotation {key} ({:?}) {does}; {}",
            located.value,
            kind.gateway_api()
        );
        let at = Some(ingress.at(located.line));
        let diagnostic = judge_loss(
            allow,
            &hosts,
            name,
            found,
            |accept| {
                Diagnostic::error(
                    at.clone(),
                    format!(
                        "{head}, so the converted routes would {}: {}, then accept the loss with --allow-unprotected {accept}{}",
                        kind.consequence(),
                        kind.remedy(),
                        emitter
                            .why_not(name)
                            .map(|why| format!(" ({why})"))
                            .unwrap_or_default()
                    ),
                )
            },
            || {
                Diagnostic::warning(
                    at.clone(),
                    format!(
                        "{head}, so the converted routes {}, as --allow-unprotected accepts: {}",
                        kind.consequence(),
                        kind.remedy()
                    ),
                )
            },
        );
        found
            .diagnostics
            .push(diagnostic.about(&ingress.reference()));
    }
}

/// The hosts an Ingress serves, in rule order, without repeats; `""` for rules without a
/// host and for the default backend (they serve every host).
pub fn hosts(ingress: &Ingress) -> Vec<&str> {
    let mut hosts: Vec<&str> = Vec::new();
    let all = ingress.rules.iter().map(|r| r.host.as_str());
    let default_backend = ingress.default_backend.as_ref().map(|_| "");
    for host in all.chain(default_backend) {
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

/// The hosts and paths of an Ingress, as messages name them:
/// `host "a.example.com" paths "/admin", "/api" and any host path "/"`.
fn scope(ingress: &Ingress) -> String {
    let mut by_host: Vec<(&str, Vec<&str>)> = Vec::new();
    for rule in &ingress.rules {
        let paths = rule.paths.iter().map(|p| {
            if p.path.is_empty() {
                "/"
            } else {
                p.path.as_str()
            }
        });
        match by_host.iter_mut().find(|(h, _)| *h == rule.host) {
            Some((_, list)) => list.extend(paths),
            None => by_host.push((&rule.host, paths.collect())),
        }
    }
    let mut parts: Vec<String> = by_host
        .into_iter()
        .map(|(host, mut paths)| {
            let mut seen = BTreeSet::new();
            paths.retain(|p| seen.insert(*p));
            let host = if host.is_empty() {
                "any host".to_string()
            } else {
                format!("host {host:?}")
            };
            let quoted: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
            match quoted.len() {
                0 => host,
                1 => format!("{host} path {}", quoted.join(", ")),
                _ => format!("{host} paths {}", quoted.join(", ")),
            }
        })
        .collect();
    if ingress.default_backend.is_some() {
        parts.push("its default backend".to_string());
    }
    if parts.is_empty() {
        return "this Ingress".to_string();
    }
    parts.join(" and ")
}

/// The accepted losses for the summary line:
/// `protection removed as accepted by --allow-unprotected for a.example.com (whitelist-source-range)`.
pub fn summary(accepted: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    if accepted.is_empty() {
        return None;
    }
    let hosts: Vec<String> = accepted
        .iter()
        .map(|(host, names)| {
            let host = if host.is_empty() {
                "hostless rules and default backends"
            } else {
                host.as_str()
            };
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("{host} ({})", names.join(", "))
        })
        .collect();
    Some(format!(
        "protection removed as accepted by --allow-unprotected for {}",
        hosts.join(", ")
    ))
}

/// ingress-nginx's canary switch: a canary's own access controls are not applied.
const CANARY: &str = "nginx.ingress.kubernetes.io/canary";

/// The annotation prefixes (and keys) of other Ingress controllers, with the controller's name.
const OTHER_CONTROLLERS: &[(&str, &str)] = &[
    ("nginx.org/", "the F5 NGINX Ingress Controller"),
    ("nginx.com/", "the F5 NGINX Ingress Controller (NGINX Plus)"),
    ("appprotect.f5.com/", "NGINX App Protect WAF"),
    ("appprotectdos.f5.com/", "NGINX App Protect DoS"),
    ("traefik.ingress.kubernetes.io/", "Traefik"),
    ("konghq.com/", "the Kong Ingress Controller"),
    ("ingress.cilium.io/", "Cilium"),
    ("k8s.apisix.apache.org/", "Apache APISIX"),
    (
        "ingress.kubernetes.io/",
        "older Ingress controllers (ingress-nginx before 0.9, Traefik 1)",
    ),
    (
        "alb.ingress.kubernetes.io/",
        "the AWS Load Balancer Controller",
    ),
    ("kubernetes.io/ingress.global-static-ip-name", "GKE Ingress"),
    (
        "kubernetes.io/ingress.regional-static-ip-name",
        "GKE Ingress",
    ),
    ("kubernetes.io/ingress.allow-http", "GKE Ingress"),
    ("ingress.gcp.kubernetes.io/", "GKE Ingress"),
    ("networking.gke.io/", "GKE Ingress"),
];

/// Words in an annotation name that say it may protect something: authentication, address
/// lists, rate limits, firewalls, and the plugin or middleware lists that carry them.
const PROTECTION_WORDS: &[&str] = &[
    "auth",
    "jwt",
    "oidc",
    "allow",
    "deny",
    "whitelist",
    "blacklist",
    "blocklist",
    "cidr",
    "limit",
    "ratelimit",
    "waf",
    "shield",
    "acl",
    "security",
    "plugins",
    "middlewares",
    "policies",
];

/// Does this annotation name (after its prefix) look like it carries protection?
fn may_protect(name: &str) -> bool {
    name.split(['-', '.', '/', '_'])
        .map(str::to_ascii_lowercase)
        .any(|word| PROTECTION_WORDS.iter().any(|p| word.starts_with(p)))
}

/// Is `key` an annotation of another Ingress controller (warned one by one)?
pub fn is_other_controllers(key: &str) -> bool {
    OTHER_CONTROLLERS
        .iter()
        .any(|(prefix, _)| key.starts_with(prefix))
}

/// The diagnostics for the annotations of Ingress controllers lsc does not translate, by whose
/// they are and which controller serves the Ingress ([`super::providers`]):
/// - ingress-nginx's on an Ingress another controller serves: ignored, as that controller
///   ignores them (a warning);
/// - the serving controller's own: not translated (a warning), and where the name says it may
///   protect the routes (auth, address lists, rate limits, middlewares, plugins), an error
///   unless `--allow-unprotected` accepts the loss for the Ingress's hosts;
/// - another known controller's: ignored, as the serving controller ignores them (a warning).
fn controller_annotations(
    ingress: &Ingress,
    allow: &AllowUnprotected,
    objects: &super::providers::Objects,
    found: &mut Losses,
) {
    use super::providers::{self, Provider};
    let (serving, reason) = &ingress.provider;
    let serving = *serving;
    // A provider with a module of its own says what each of its annotations becomes.
    // The keys its findings cover (some are outside its prefixes, as NGINX Inc.'s
    // `ingress.kubernetes.io/ssl-redirect`).
    let mut covered = BTreeSet::new();
    let translating = match serving.findings(ingress, objects) {
        Some(findings) => {
            covered.extend(findings.iter().map(|f| f.key.clone()));
            provider_findings(ingress, findings, allow, found);
            true
        }
        None => false,
    };
    for (key, located) in ingress.meta.annotations.iter() {
        if covered.contains(key.as_str()) {
            continue;
        }
        let at = Some(ingress.at(located.line));
        let diagnostic = match providers::owner(key) {
            // Translated, or reported, by the ingress-nginx passes.
            Some(Provider::IngressNginx) if serving == Provider::IngressNginx => continue,
            Some(owner) if owner == serving && translating => continue,
            Some(owner) if owner == serving => {
                let name = key.split_once('/').map_or(key.as_str(), |(_, n)| n);
                let served = format!(
                    "annotation {key} of {}, which serves this Ingress ({}), is not translated",
                    owner.title(),
                    reason.describe()
                );
                if may_protect(name) {
                    lost_protection(ingress, key, &served, allow, found, at)
                } else {
                    Diagnostic::warning(
                        at,
                        format!(
                            "{served} to Gateway API (lsc translates ingress-nginx's annotations only so far); configure its behaviour on the Gateway implementation by hand"
                        ),
                    )
                }
            }
            Some(owner) => Diagnostic::warning(
                at,
                format!(
                    "annotation {key} of {} is ignored: {} serves this Ingress ({}) and does not read it, so neither does the conversion",
                    owner.title(),
                    serving.title(),
                    reason.describe()
                ),
            ),
            // Controllers ingress2gateway has no provider for.
            None => {
                let Some((prefix, controller)) = OTHER_CONTROLLERS
                    .iter()
                    .find(|(prefix, _)| key.starts_with(prefix))
                else {
                    continue;
                };
                let name = key.strip_prefix(prefix).unwrap_or_default();
                let message = if may_protect(name) {
                    format!(
                        "annotation {key} of {controller} is not translated, and protection may be lost: it may carry authentication, address lists or rate limits the converted routes do not have; re-create them in your Gateway implementation's policy before the routes serve traffic"
                    )
                } else {
                    format!(
                        "annotation {key} of {controller} is not translated to Gateway API; configure its behaviour on the Gateway implementation by hand"
                    )
                };
                Diagnostic::warning(at, message)
            }
        };
        found
            .diagnostics
            .push(diagnostic.about(&ingress.reference()));
    }
}

/// The diagnostics of a translating provider's findings: warnings, refusals, and losses of
/// protection (an error unless `--allow-unprotected` accepts the loss for every host).
fn provider_findings(
    ingress: &Ingress,
    findings: Vec<super::providers::Finding>,
    allow: &AllowUnprotected,
    found: &mut Losses,
) {
    use super::providers::Effect;
    let scope = scope(ingress);
    let hosts = hosts(ingress);
    for finding in findings {
        let at = Some(ingress.at(finding.line));
        let diagnostic = match finding.effect {
            Effect::Translated => continue,
            Effect::Warned(message) => Diagnostic::warning(at, message),
            Effect::Refused(message) => Diagnostic::error(at, message),
            Effect::MayProtect { what, message } => {
                let head = message.replace("{scope}", &scope);
                judge_loss(
                    allow,
                    &hosts,
                    &what,
                    found,
                    |accept| {
                        Diagnostic::error(
                            at.clone(),
                            format!(
                                "{head}, so the converted routes would serve without it: re-create it in your Gateway implementation's policy, then accept the loss with --allow-unprotected {accept}"
                            ),
                        )
                    },
                    || {
                        Diagnostic::warning(
                            at.clone(),
                            format!(
                                "{head}, so the converted routes serve without it, as --allow-unprotected accepts: re-create it in your Gateway implementation's policy"
                            ),
                        )
                    },
                )
            }
        };
        found
            .diagnostics
            .push(diagnostic.about(&ingress.reference()));
    }
}

/// An untranslated annotation of the serving controller that may protect the routes: an
/// error, unless `--allow-unprotected` accepts the loss for every host of the Ingress.
fn lost_protection(
    ingress: &Ingress,
    key: &str,
    served: &str,
    allow: &AllowUnprotected,
    found: &mut Losses,
    at: Option<crate::diag::Location>,
) -> Diagnostic {
    judge_loss(
        allow,
        &hosts(ingress),
        key,
        found,
        |accept| {
            Diagnostic::error(
                at.clone(),
                format!(
                    "{served}, and it may carry authentication, address lists or rate limits: the converted routes would serve without them; re-create them in your Gateway implementation's policy, then accept the loss with --allow-unprotected {accept}"
                ),
            )
        },
        || {
            Diagnostic::warning(
                at.clone(),
                format!(
                    "{served}, and the protection it may carry is lost, as --allow-unprotected accepts: re-create it in your Gateway implementation's policy"
                ),
            )
        },
    )
}

/// A loss of protection on `hosts` (`""` for rules without a host): refused, with the error
/// `refuse` makes from the `--allow-unprotected` value that would accept it; or accepted, the
/// annotation `what` recorded by host for the summary, with the warning `accepted` makes.
fn judge_loss(
    allow: &AllowUnprotected,
    hosts: &[&str],
    what: &str,
    found: &mut Losses,
    refuse: impl FnOnce(&str) -> Diagnostic,
    accepted: impl FnOnce() -> Diagnostic,
) -> Diagnostic {
    found
        .protected
        .extend(hosts.iter().map(|h| (*h).to_string()));
    match allow.first_refused(hosts) {
        Some(host) => {
            let accept = if host.is_empty() {
                "all".to_string()
            } else {
                format!("{host} (or all)")
            };
            refuse(&accept)
        }
        None => {
            for host in hosts {
                found
                    .accepted
                    .entry((*host).to_string())
                    .or_default()
                    .insert(what.to_string());
            }
            accepted()
        }
    }
}

/// For `lsc check`: every ingress-nginx protection annotation of an Ingress that is not a
/// canary, as `(message, line)`.
pub fn protections(annotations: &SortedMap<Located>) -> Vec<(String, u32)> {
    // Most Ingresses carry no ingress-nginx annotation at all.
    if !annotations.keys().any(|k| k.starts_with(PREFIX)) {
        return Vec::new();
    }
    let canary = annotations.get(CANARY).and_then(|a| parse_bool(&a.value)) == Some(true);
    if canary {
        return Vec::new();
    }
    annotations
        .iter()
        .filter_map(|(key, located)| {
            let name = key.strip_prefix(PREFIX)?;
            let kind = control(annotations, name, &located.value)?;
            let does =
                what_it_does(name, located.value.trim()).replace("{scope}", "this Ingress's hosts");
            Some((
                format!(
                    "annotation {key} ({:?}) {does}; {}, so `lsc convert` refuses this Ingress until the loss is accepted with --allow-unprotected: {} first",
                    located.value,
                    kind.gateway_api(),
                    kind.remedy()
                ),
                located.line,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Protection, may_protect, protection};

    #[test]
    fn values_that_turn_protection_off_are_no_protection() {
        assert_eq!(protection("limit-rps", "0"), None);
        assert_eq!(protection("limit-rps", "5"), Some(Protection::RateLimit));
        assert_eq!(protection("enable-modsecurity", "false"), None);
        assert_eq!(protection("auth-tls-verify-client", "off"), None);
        assert_eq!(
            protection("auth-tls-verify-client", "on"),
            Some(Protection::ClientCertificates)
        );
        assert_eq!(protection("whitelist-source-range", " "), None);
        assert_eq!(
            protection("modsecurity-snippet", "SecRuleEngine On"),
            Some(Protection::Firewall)
        );
        assert_eq!(protection("proxy-body-size", "8m"), None);
    }

    #[test]
    fn protection_words_are_whole_word_starts() {
        assert!(may_protect("router.middlewares"));
        assert!(may_protect("basic-auth-secret"));
        assert!(may_protect("inbound-cidrs"));
        assert!(may_protect("wafv2-acl-arn"));
        assert!(!may_protect("rewrites"));
        assert!(!may_protect("global-static-ip-name"));
        assert!(!may_protect("backend-protocol"));
    }
}
