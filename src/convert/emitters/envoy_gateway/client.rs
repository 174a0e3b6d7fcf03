//! The ClientTrafficPolicy: what ingress-nginx set per TLS host (client certificates,
//! `ssl-ciphers`, `ssl-protocols`, `use-proxy-protocol`) on the HTTPS listeners serving the
//! Ingress's TLS hosts. Envoy Gateway v1.9.0 attaches it to a Gateway or a ListenerSet
//! (`sectionName`: the listener), not to an XListenerSet, and it covers the whole listener:
//! every path of the host, where ingress-nginx checked client certificates per Ingress.

use std::collections::BTreeMap;

use super::super::{HttpsListener, annotation, note};
use super::API_VERSION;
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{GATEWAY_GROUP, map, s, seq};
use crate::convert::plan::IngressId;
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::convert::security::{AllowUnprotected, hosts};
use crate::diag::Diagnostic;
use crate::golang::strconv::parse_bool;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

/// The OpenSSL cipher names Envoy Gateway v1.9.0 accepts in `tls.ciphers` (its CRD lists them).
const CIPHERS: [&str; 14] = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "AES128-GCM-SHA256",
    "AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES256-GCM-SHA384",
    "AES256-SHA",
];

/// Client certificate validation: the CA Secret `(namespace, name)` and Envoy Gateway's mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub namespace: String,
    pub name: String,
    pub mode: &'static str,
}

/// `auth-tls-secret` (`namespace/name`, as ingress-nginx requires) with
/// `auth-tls-verify-client` (default `on`): `Some(None)` when verification is `off`, `None`
/// when either does not parse.
fn validation(annotations: &SortedMap<Located>) -> Option<Option<Validation>> {
    let verify = annotation(annotations, "auth-tls-verify-client").map_or("on", |v| v.value.trim());
    let mode = match verify.to_ascii_lowercase().as_str() {
        "on" => "RequireAndVerify",
        "optional" => "VerifyIfGiven",
        // Asked for, not checked against the CA: the backend decides.
        "optional_no_ca" => "Request",
        "off" => return Some(None),
        _ => return None,
    };
    let secret = annotation(annotations, "auth-tls-secret")?.value.trim();
    let (namespace, name) = secret.split_once('/')?;
    let label = |s: &str| {
        !s.is_empty()
            && s.len() <= 253
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    (label(namespace) && label(name) && namespace.len() <= 63).then(|| {
        Some(Validation {
            namespace: namespace.to_string(),
            name: name.to_string(),
            mode,
        })
    })
}

/// `ssl-ciphers` (OpenSSL's colon-separated list) when every entry is a cipher Envoy Gateway
/// takes; `None` for cipher classes (`HIGH`), exclusions (`!aNULL`) and other names.
fn ciphers(value: &str) -> Option<Vec<String>> {
    let entries: Vec<&str> = value
        .split([':', ',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    (!entries.is_empty() && entries.iter().all(|c| CIPHERS.contains(c)))
        .then(|| entries.iter().map(|c| (*c).to_string()).collect())
}

/// `ssl-protocols` (nginx's `TLSv1 TLSv1.1 TLSv1.2 TLSv1.3`) as Envoy Gateway's lowest and
/// highest versions, and whether the list skipped a version between them.
fn protocols(value: &str) -> Option<(&'static str, &'static str, bool)> {
    const VERSIONS: [(&str, &str); 4] = [
        ("TLSv1", "1.0"),
        ("TLSv1.1", "1.1"),
        ("TLSv1.2", "1.2"),
        ("TLSv1.3", "1.3"),
    ];
    let mut positions = Vec::new();
    for word in value.split_whitespace() {
        let at = VERSIONS.iter().position(|(nginx, _)| *nginx == word)?;
        if !positions.contains(&at) {
            positions.push(at);
        }
    }
    let (low, high) = (*positions.iter().min()?, *positions.iter().max()?);
    let gap = high - low + 1 != positions.len();
    Some((VERSIONS.get(low)?.1, VERSIONS.get(high)?.1, gap))
}

/// Whether this module translates the annotation `name` (without its prefix).
pub fn translates(annotations: &SortedMap<Located>, name: &str, value: &str) -> Option<bool> {
    Some(match name {
        "auth-tls-secret" | "auth-tls-verify-client" | "auth-tls-verify-depth" => {
            validation(annotations).is_some()
        }
        "ssl-ciphers" => ciphers(value).is_some(),
        "ssl-protocols" => protocols(value).is_some(),
        "use-proxy-protocol" => parse_bool(value.trim()).is_some(),
        _ => return None,
    })
}

/// What one Ingress asks of its HTTPS listeners.
#[derive(Debug, Default, PartialEq, Eq)]
struct Client {
    validation: Option<Validation>,
    ciphers: Option<Vec<String>>,
    versions: Option<(&'static str, &'static str)>,
    proxy_protocol: bool,
}

impl Client {
    fn read(annotations: &SortedMap<Located>) -> Client {
        let get = |name: &str| annotation(annotations, name).map(|v| v.value.as_str());
        Client {
            validation: validation(annotations).flatten(),
            ciphers: get("ssl-ciphers").and_then(ciphers),
            versions: get("ssl-protocols")
                .and_then(protocols)
                .map(|(low, high, _)| (low, high)),
            proxy_protocol: get("use-proxy-protocol").and_then(|v| parse_bool(v.trim()))
                == Some(true),
        }
    }

    fn is_empty(&self) -> bool {
        *self == Client::default()
    }

    /// The annotations of `annotations` it comes from, for diagnostics.
    fn given(&self, annotations: &SortedMap<Located>) -> Vec<&'static str> {
        self.annotations()
            .into_iter()
            .filter(|n| annotation(annotations, n).is_some())
            .collect()
    }

    fn annotations(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.validation.is_some() {
            names.extend(["auth-tls-secret", "auth-tls-verify-client"]);
        }
        if self.ciphers.is_some() {
            names.push("ssl-ciphers");
        }
        if self.versions.is_some() {
            names.push("ssl-protocols");
        }
        if self.proxy_protocol {
            names.push("use-proxy-protocol");
        }
        names
    }

    fn spec(&self, namespace: &str, target_refs: Value) -> Value {
        let validation = self.validation.as_ref().map_or(Value::Null, |v| {
            map(vec![
                ("mode", s(v.mode)),
                (
                    "caCertificateRefs",
                    seq(vec![map(vec![
                        ("kind", s("Secret")),
                        ("name", s(&v.name)),
                        (
                            "namespace",
                            if v.namespace == namespace {
                                Value::Null
                            } else {
                                s(&v.namespace)
                            },
                        ),
                    ])]),
                ),
            ])
        });
        // The CRD refuses ciphers when TLS 1.3 is the lowest version: they would do nothing.
        let ciphers = match (&self.ciphers, self.versions) {
            (Some(list), versions) if versions.is_none_or(|(low, _)| low != "1.3") => {
                seq(list.iter().map(|c| s(c)).collect())
            }
            _ => Value::Null,
        };
        let (min, max) = self
            .versions
            .map_or((Value::Null, Value::Null), |(low, high)| (s(low), s(high)));
        let unset = |v: &Value| matches!(v, Value::Null);
        let tls = if unset(&validation) && unset(&ciphers) && unset(&min) {
            Value::Null
        } else {
            map(vec![
                ("minVersion", min),
                ("maxVersion", max),
                ("ciphers", ciphers),
                ("clientValidation", validation),
            ])
        };
        map(vec![
            ("targetRefs", target_refs),
            (
                "proxyProtocol",
                if self.proxy_protocol {
                    map(Vec::new())
                } else {
                    Value::Null
                },
            ),
            ("tls", tls),
        ])
    }
}

/// One ClientTrafficPolicy per Ingress whose annotations set something, targeting the HTTPS
/// listeners of its TLS hosts. A listener on a Gateway that several Ingresses' TLS hosts share
/// takes the first one's settings, as Envoy Gateway lets one policy configure a listener.
pub fn listener_policies(
    ingresses: &[Ingress],
    listeners: &[HttpsListener],
    allow: &AllowUnprotected,
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let mut makes: Vec<Make> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut by_ingress: BTreeMap<IngressId, Vec<&HttpsListener>> = BTreeMap::new();
    for l in listeners {
        by_ingress.entry(l.ingress).or_default().push(l);
    }
    // Who configured each listener first: `(kind, namespace, name, section)` → Ingress.
    let mut owner: BTreeMap<(&str, &str, &str, &str), IngressId> = BTreeMap::new();
    let mut reads: BTreeMap<IngressId, Client> = BTreeMap::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary || !ingress.nginx_annotated {
            continue;
        }
        let client = Client::read(&ingress.meta.annotations);
        if client.is_empty() {
            continue;
        }
        let given = client.given(&ingress.meta.annotations);
        let mine = by_ingress.get(&id).map(Vec::as_slice).unwrap_or_default();
        if mine.is_empty() {
            // ingress-nginx answered 403 to requests without a verified certificate, plain
            // HTTP ones included.
            let message = format!(
                "its client settings ({}) are not translated: the Ingress has no TLS host and thus no HTTPS listener for a ClientTrafficPolicy",
                given.join(", ")
            );
            let at = Some(
                ingress.at(given
                    .first()
                    .and_then(|n| annotation(&ingress.meta.annotations, n))
                    .map_or(ingress.meta.annotations_line, |a| a.line)),
            );
            diagnostics.push(refusal(
                ingress,
                at,
                message,
                "give the Ingress a TLS entry",
                client.validation.is_some(),
                allow,
            ));
            continue;
        }
        // Located at the first of them.
        let at = Some(
            ingress.at(given
                .first()
                .and_then(|n| annotation(&ingress.meta.annotations, n))
                .map_or(ingress.meta.annotations_line, |a| a.line)),
        );
        let mut targets = Vec::new();
        let mut refused = false;
        for l in mine {
            if l.parent_kind == "XListenerSet" {
                refused = true;
                continue;
            }
            let key = (
                l.parent_kind,
                l.parent_namespace.as_str(),
                l.parent_name.as_str(),
                l.section.as_str(),
            );
            match owner.get(&key) {
                Some(first) if reads.get(first) == Some(&client) => {}
                Some(first) => {
                    let first = ingresses.get(*first).map(|i| i.reference().to_string());
                    let message = format!(
                        "its client settings ({}) are not translated for host {}: listener {} of Gateway {}/{} serves {} too, whose ClientTrafficPolicy sets it otherwise, and Envoy Gateway configures a listener once",
                        given.join(", "),
                        l.host,
                        l.section,
                        l.parent_namespace,
                        l.parent_name,
                        first.unwrap_or_default()
                    );
                    diagnostics.push(refusal(
                        ingress,
                        at.clone(),
                        message,
                        "give the Ingresses of that host the same client settings",
                        client.validation.is_some(),
                        allow,
                    ));
                }
                None => {
                    owner.insert(key, id);
                    targets.push(*l);
                }
            }
        }
        if refused {
            let message = format!(
                "its client settings ({}) are not translated: Envoy Gateway's ClientTrafficPolicy targets a Gateway or a ListenerSet, not the XListenerSet holding its HTTPS listeners",
                given.join(", ")
            );
            diagnostics.push(refusal(
                ingress,
                at.clone(),
                message,
                "write ListenerSets (--listenerset-api v1, Gateway API v1.5, which Envoy Gateway v1.9 serves) or put TLS on the Gateway (--tls-in gateway)",
                client.validation.is_some(),
                allow,
            ));
        }
        if targets.is_empty() {
            continue;
        }
        // A policy targets objects of its own namespace.
        let namespace = targets
            .first()
            .map(|l| l.parent_namespace.clone())
            .unwrap_or_default();
        let name = names.claim("ClientTrafficPolicy", &namespace, &ingress.meta.name);
        let target_refs = seq(targets
            .iter()
            .map(|l| {
                map(vec![
                    ("group", s(GATEWAY_GROUP)),
                    ("kind", s(l.parent_kind)),
                    ("name", s(&l.parent_name)),
                    ("sectionName", s(&l.section)),
                ])
            })
            .collect());
        diagnostics.extend(warnings(ingress, &client, &namespace, &name, &targets));
        let spec = client.spec(&namespace, target_refs);
        let source = ingress.location.clone();
        makes.push(Box::new(move || {
            super::super::object(
                API_VERSION,
                "ClientTrafficPolicy",
                &name,
                &namespace,
                spec,
                source,
            )
        }));
        reads.insert(id, client);
    }
    (makes, diagnostics)
}

/// Client settings left untranslated: a warning, or when they checked client certificates an
/// error until `--allow-unprotected` accepts the loss for every host of the Ingress.
fn refusal(
    ingress: &Ingress,
    at: Option<crate::diag::Location>,
    message: String,
    remedy: &str,
    protective: bool,
    allow: &AllowUnprotected,
) -> Diagnostic {
    if !protective {
        return Diagnostic::warning(at, format!("{message}: {remedy}")).about(&ingress.reference());
    }
    let hosts = hosts(ingress);
    match allow.first_refused(&hosts) {
        Some(host) => {
            let accept = if host.is_empty() {
                "all".to_string()
            } else {
                format!("{host} (or all)")
            };
            Diagnostic::error(at, format!("{message}, so the converted routes would accept clients without a certificate: {remedy}, or accept the loss with --allow-unprotected {accept}"))
        }
        None => Diagnostic::warning(
            at,
            format!("{message}, so the converted routes accept clients without a certificate, as --allow-unprotected accepts: {remedy}"),
        ),
    }
    .about(&ingress.reference())
}

/// What changes on the way to the ClientTrafficPolicy `namespace/name`.
fn warnings(
    ingress: &Ingress,
    client: &Client,
    namespace: &str,
    name: &str,
    targets: &[&HttpsListener],
) -> Vec<Diagnostic> {
    let annotations = &ingress.meta.annotations;
    let mut found = Vec::new();
    let hosts: Vec<&str> = targets.iter().map(|l| l.host.as_str()).collect();
    if let Some(v) = &client.validation {
        found.push(note(ingress, "auth-tls-secret", format!("annotation {PREFIX}auth-tls-secret is translated as ClientTrafficPolicy {namespace}/{name} tls.clientValidation ({}, CA from key ca.crt of Secret {}/{}, as ingress-nginx read it): Envoy checks client certificates for the whole listener, every path of {}, where ingress-nginx checked them on the Ingress's paths", v.mode, v.namespace, v.name, hosts.join(", "))));
        if v.namespace != namespace {
            found.push(note(ingress, "auth-tls-secret", format!("Secret {}/{} is in another namespace than ClientTrafficPolicy {namespace}/{name}: Envoy Gateway reads it only with a ReferenceGrant in namespace {} from ClientTrafficPolicy in {namespace}", v.namespace, v.name, v.namespace)));
        }
        if let Some(depth) = annotation(annotations, "auth-tls-verify-depth") {
            found.push(note(ingress, "auth-tls-verify-depth", format!("annotation {PREFIX}auth-tls-verify-depth {:?} has no Envoy Gateway field: Envoy accepts a chain of any length up to the CA", depth.value)));
        }
    }
    if let Some(list) = &client.ciphers {
        if client.versions.is_some_and(|(low, _)| low == "1.3") {
            found.push(note(ingress, "ssl-ciphers", format!("annotation {PREFIX}ssl-ciphers is not written: ssl-protocols allows TLS 1.3 only, whose ciphers Envoy does not configure (the CRD refuses ciphers then)")));
        } else {
            found.push(note(ingress, "ssl-ciphers", format!("annotation {PREFIX}ssl-ciphers is translated as ClientTrafficPolicy {namespace}/{name} tls.ciphers ({} ciphers) for the whole listener: Envoy applies them to TLS 1.0 to 1.2 only", list.len())));
        }
    }
    if let Some((_, _, true)) =
        annotation(annotations, "ssl-protocols").and_then(|v| protocols(&v.value))
    {
        found.push(note(ingress, "ssl-protocols", format!("annotation {PREFIX}ssl-protocols skips a version: Envoy Gateway takes a lowest and a highest version (tls.minVersion, tls.maxVersion), so the versions between are allowed too")));
    }
    if client.proxy_protocol {
        found.push(note(ingress, "use-proxy-protocol", format!("annotation {PREFIX}use-proxy-protocol is translated as ClientTrafficPolicy {namespace}/{name} proxyProtocol: Envoy reads the PROXY header on every connection to the listener's port, so the other listeners of that port must get it too")));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{ciphers, protocols};

    #[test]
    fn nginx_tls_settings_as_envoy_gateway_takes_them() {
        assert_eq!(
            ciphers("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"),
            Some(vec![
                "ECDHE-RSA-AES128-GCM-SHA256".to_string(),
                "ECDHE-RSA-AES256-GCM-SHA384".to_string()
            ])
        );
        assert_eq!(ciphers("HIGH:!aNULL:!MD5"), None);
        assert_eq!(ciphers(""), None);
        assert_eq!(protocols("TLSv1.2 TLSv1.3"), Some(("1.2", "1.3", false)));
        assert_eq!(protocols("TLSv1.3"), Some(("1.3", "1.3", false)));
        assert_eq!(protocols("TLSv1 TLSv1.2"), Some(("1.0", "1.2", true)));
        assert_eq!(protocols("SSLv3 TLSv1.2"), None);
        assert_eq!(protocols(""), None);
    }
}
