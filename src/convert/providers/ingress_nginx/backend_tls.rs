//! `backend-protocol: HTTPS` or `GRPCS` with the `proxy-ssl-*` annotations → one
//! BackendTLSPolicy per Service (reference ingress2gateway §4, "proxy-ssl-*"), without
//! ingress2gateway's all-or-nothing rule: what is not set gets the closest standard value
//! (the system CAs, the Service's DNS name) and a warning says what changes.

use std::collections::BTreeMap;

use super::{Nginx, PREFIX, annotation};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{self, GATEWAY_API, map, s, seq};
use crate::convert::{Emitted, plan::IngressId};
use crate::model::fields::SortedMap;
use crate::source::tree::Value;

/// The `proxy-ssl-*` keys a BackendTLSPolicy carries.
pub const PROXY_SSL_KEYS: &[&str] = &[
    "proxy-ssl-name",
    "proxy-ssl-secret",
    "proxy-ssl-server-name",
    "proxy-ssl-verify",
];

/// What one Service's policy says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Validation {
    /// The ConfigMap holding the CA (named after proxy-ssl-secret); `None`: the system CAs.
    ca_config_map: Option<String>,
    hostname: String,
}

/// A policy being planned: its Service, settings and the Ingress that asked first.
struct Planned {
    validation: Validation,
    ingress: IngressId,
}

impl Nginx<'_> {
    /// The BackendTLSPolicies of the converted Ingresses (`gateway_of` says which are) whose
    /// backend-protocol is HTTPS or GRPCS, one per Service, the first Ingress's settings kept.
    pub fn backend_tls_policies(
        &mut self,
        gateway_of: &[Option<usize>],
        names: &mut NameRegistry,
    ) -> Vec<Make> {
        // (namespace, Service) → policy, in name order so the output never depends on planning.
        let mut planned: BTreeMap<(String, String), Planned> = BTreeMap::new();
        // Services some converted Ingress reaches over plain HTTP: (namespace, Service) → Ingress.
        let mut plain: BTreeMap<(String, String), IngressId> = BTreeMap::new();
        let tls_protocol = |ingress: &Ingress| {
            annotation(ingress, "backend-protocol")
                .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("GRPCS"))
        };
        // Most trees have no backend over TLS: then only stray proxy-ssl-* keys are looked at.
        let any_tls = self.ingresses.iter().any(tls_protocol);
        for (id, ingress) in self.ingresses.iter().enumerate() {
            if gateway_of.get(id).copied().flatten().is_none()
                || !(ingress.nginx_annotated || any_tls)
            {
                continue;
            }
            let protocol = annotation(ingress, "backend-protocol")
                .map(str::to_ascii_uppercase)
                .unwrap_or_default();
            if !tls_protocol(ingress) {
                for key in PROXY_SSL_KEYS {
                    if annotation(ingress, key).is_some() {
                        self.warn(id, key, format!("annotation {PREFIX}{key} has no effect without {PREFIX}backend-protocol HTTPS or GRPCS (ingress-nginx ignores it too); not translated"));
                    }
                }
                if any_tls {
                    for service in ingress.services() {
                        plain
                            .entry((ingress.meta.namespace.clone(), service.to_string()))
                            .or_insert(id);
                    }
                }
                continue;
            }
            let services = ingress.services();
            let Some(base) = self.validation_of(id, ingress) else {
                continue;
            };
            let mut described = Vec::new();
            for service in services {
                let validation = Validation {
                    hostname: base
                        .hostname
                        .clone()
                        .unwrap_or_else(|| format!("{service}.{}.svc", ingress.meta.namespace)),
                    ca_config_map: base.ca_config_map.clone(),
                };
                let key = (ingress.meta.namespace.clone(), service.to_string());
                match planned.get(&key) {
                    Some(first) if first.validation != validation => {
                        let first_name = self
                            .ingress(first.ingress)
                            .map(|i| i.reference().to_string())
                            .unwrap_or_default();
                        self.warn(id, "backend-protocol", format!("Service {service:?} already gets a BackendTLSPolicy with other settings from {first_name}; a Service has one policy, so the first is kept"));
                    }
                    Some(_) => {}
                    None => {
                        described.push(format!(
                            "Service {service:?} (hostname {:?})",
                            validation.hostname
                        ));
                        planned.insert(
                            key,
                            Planned {
                                validation,
                                ingress: id,
                            },
                        );
                    }
                }
            }
            if described.is_empty() {
                continue;
            }
            let verified = annotation(ingress, "proxy-ssl-verify")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("on"));
            if !verified {
                let against = match &base.ca_config_map {
                    Some(name) => format!("the CA in ConfigMap {name:?}"),
                    None => "the system's well-known CAs".to_string(),
                };
                self.warn(id, "backend-protocol", format!("backend-protocol {protocol} is translated as a BackendTLSPolicy for {}: the Gateway verifies the backend certificate against {against} and that hostname, while ingress-nginx did not verify it (proxy-ssl-verify is not \"on\"): a self-signed or differently named backend certificate is now refused; set proxy-ssl-secret and proxy-ssl-name to match it", described.join(", ")));
            }
        }
        for ((namespace, service), policy) in &planned {
            if let Some(other) = plain.get(&(namespace.clone(), service.clone())) {
                let other_name = self
                    .ingress(*other)
                    .map(|i| i.reference().to_string())
                    .unwrap_or_default();
                self.warn(policy.ingress, "backend-protocol", format!("Service {service:?} is also reached over plain HTTP by {other_name}; its BackendTLSPolicy applies to every route to the Service, so the Gateway speaks TLS to it for those routes too"));
            }
        }
        planned
            .into_iter()
            .map(|((namespace, service), policy)| {
                let name = names.claim(
                    "BackendTLSPolicy",
                    &namespace,
                    &format!("{service}-backend-tls"),
                );
                let make: Make = Box::new(move || {
                    policy_object(&name, &namespace, &service, &policy.validation)
                });
                make
            })
            .collect()
    }

    /// The CA and hostname an Ingress's annotations give (the hostname `None` when it names
    /// none: each Service's DNS name then); `None` when nothing can be written.
    fn validation_of(&mut self, id: IngressId, ingress: &Ingress) -> Option<BaseValidation> {
        let hostname = match annotation(ingress, "proxy-ssl-name").map(str::trim) {
            None | Some("") => None,
            Some(name) => {
                let lower = name.to_ascii_lowercase();
                if is_dns_name(&lower) {
                    Some(lower)
                } else {
                    self.warn(id, "proxy-ssl-name", format!("annotation {PREFIX}proxy-ssl-name {name:?} is not a host name a BackendTLSPolicy takes; the Service's DNS name is used instead"));
                    None
                }
            }
        };
        let ca_config_map = match annotation(ingress, "proxy-ssl-secret").map(str::trim) {
            None | Some("") => None,
            Some(secret) => {
                let (secret_namespace, secret_name) = secret
                    .split_once('/')
                    .unwrap_or((ingress.meta.namespace.as_str(), secret));
                if !crate::cel::is_dns_subdomain(secret_name) {
                    self.error(id, "proxy-ssl-secret", format!("invalid {PREFIX}proxy-ssl-secret {secret:?}: must be <namespace>/<secret name>"));
                    return None;
                }
                self.warn(id, "proxy-ssl-secret", format!("annotation {PREFIX}proxy-ssl-secret: BackendTLSPolicy reads CA certificates from ConfigMaps in the Service's namespace: create ConfigMap {}/{secret_name} with key ca.crt holding the CA of Secret {secret_namespace}/{secret_name}; a client certificate in that Secret is not presented to the backend (Gateway API sets it per Gateway, spec.tls.backend.clientCertificateRef)", ingress.meta.namespace));
                Some(secret_name.to_string())
            }
        };
        if annotation(ingress, "proxy-ssl-server-name")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("off"))
        {
            self.warn(id, "proxy-ssl-server-name", format!("annotation {PREFIX}proxy-ssl-server-name \"off\" is not translated: the Gateway always sends the BackendTLSPolicy's hostname as SNI"));
        }
        Some(BaseValidation {
            ca_config_map,
            hostname,
        })
    }
}

struct BaseValidation {
    ca_config_map: Option<String>,
    hostname: Option<String>,
}

/// A lower-case RFC 1123 host name, as `validation.hostname` takes it.
fn is_dns_name(name: &str) -> bool {
    name.len() <= 253 && crate::cel::is_dns_subdomain(name)
}

/// A BackendTLSPolicy of `service` verified against the system's well-known CAs and
/// `hostname` (other providers' backends over TLS).
pub fn system_ca_policy(name: &str, namespace: &str, service: &str, hostname: &str) -> Emitted {
    let validation = Validation {
        ca_config_map: None,
        hostname: hostname.to_string(),
    };
    policy_object(name, namespace, service, &validation)
}

/// Fields in the order of the Go types (`apis/v1/backendtlspolicy_types.go`).
fn policy_object(name: &str, namespace: &str, service: &str, validation: &Validation) -> Emitted {
    let ca = match &validation.ca_config_map {
        Some(config_map) => (
            seq(vec![map(vec![
                ("group", s("")),
                ("kind", s("ConfigMap")),
                ("name", s(config_map)),
            ])]),
            Value::Null,
        ),
        None => (Value::Null, s("System")),
    };
    let spec = map(vec![
        (
            "targetRefs",
            seq(vec![map(vec![
                ("group", s("")),
                ("kind", s("Service")),
                ("name", s(service)),
            ])]),
        ),
        (
            "validation",
            map(vec![
                ("caCertificateRefs", ca.0),
                ("wellKnownCACertificates", ca.1),
                ("hostname", s(&validation.hostname)),
            ]),
        ),
    ]);
    let metadata = objects::metadata(name, namespace, &SortedMap::new(), &SortedMap::new());
    Emitted::new(
        "BackendTLSPolicy",
        namespace,
        name,
        objects::object(GATEWAY_API, "BackendTLSPolicy", metadata, spec),
    )
}
