//! The parts of Ingress and Service objects the converter reads: rules, paths, backends, TLS,
//! class and annotations, with the lines diagnostics point at.

use crate::diag::{Diagnostic, Location, ObjectRef};
use crate::model::duplicates::{Defined, Definition, Identity};
use crate::model::fields::{self, FieldError, FieldResult};
use crate::model::{self, IngressTls, Meta};
use crate::source::Document;
use crate::source::tree::{Map, Value};

/// `kubernetes.io/ingress.class`: the class of Ingresses that predate `spec.ingressClassName`.
pub const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// ingress-nginx's canary switch (`"true"` makes the Ingress a canary of another).
const CANARY_ANNOTATION: &str = "nginx.ingress.kubernetes.io/canary";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicePort {
    Number(i64),
    Name(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Service {
        name: String,
        port: ServicePort,
    },
    Resource {
        api_group: Option<String>,
        kind: String,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressPath {
    pub path: String,
    /// As written; `None` when missing (an error once the path is converted).
    pub path_type: Option<String>,
    pub backend: Backend,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressRule {
    pub host: String,
    pub paths: Vec<IngressPath>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    pub meta: Meta,
    /// `spec.ingressClassName`, else the class annotation, else "".
    pub class: String,
    pub rules: Vec<IngressRule>,
    pub default_backend: Option<(Backend, u32)>,
    pub tls: Vec<IngressTls>,
    pub location: Location,
    /// It has an ingress-nginx annotation. Most have none, and the annotation passes ask for
    /// them rule by rule: this spares the look-up.
    pub nginx_annotated: bool,
    /// Its ingress-nginx `canary` annotation is true.
    pub canary: bool,
    /// The controller that serves it, and why that one ([`super::providers`]): decided once
    /// all inputs are read (ingress-nginx until then).
    pub provider: (super::providers::Provider, super::providers::Reason),
    /// The errors cert-manager's shim reports for it (`lsc render`'s), reported when it is
    /// converted.
    pub refused: Vec<Diagnostic>,
    /// The cert-manager annotations render warns it does not read: carried over as they are,
    /// so said when the Ingress is converted.
    pub unread: Vec<Diagnostic>,
    /// Errors for its hosts the API server refuses; such an Ingress is not planned.
    pub invalid_hosts: Vec<Diagnostic>,
}

impl Ingress {
    /// Every backend its paths name, in order, then its default backend.
    pub fn backends(&self) -> impl Iterator<Item = &Backend> {
        self.rules
            .iter()
            .flat_map(|r| r.paths.iter().map(|p| &p.backend))
            .chain(self.default_backend.as_ref().map(|(b, _)| b))
    }

    /// The Services it routes to, in the order its paths name them, without repeats.
    pub fn services(&self) -> Vec<&str> {
        let mut services: Vec<&str> = Vec::new();
        for backend in self.backends() {
            if let Backend::Service { name, .. } = backend {
                if !services.contains(&name.as_str()) {
                    services.push(name);
                }
            }
        }
        services
    }

    pub fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: "Ingress".to_string(),
            namespace: self.meta.namespace.clone(),
            name: self.meta.name.clone(),
        }
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.meta.annotation(key)
    }

    /// Where a diagnostic about this Ingress points: the line given, else the object.
    pub fn at(&self, line: u32) -> Location {
        self.location.at_line(line)
    }

    /// The hosts this Ingress serves TLS for; a TLS entry without hosts covers every rule host,
    /// as ingress-nginx serves its secret for them. Entries without a Secret serve nothing, and
    /// neither does a canary.
    pub fn tls_hosts(&self) -> Vec<&str> {
        // ingress-nginx builds its servers from non-canary Ingresses only: a canary's TLS
        // entries serve nothing.
        if self.canary {
            return Vec::new();
        }
        let mut hosts: Vec<&str> = Vec::new();
        for entry in self.tls.iter().filter(|e| !e.secret_name.is_empty()) {
            if entry.hosts.is_empty() {
                hosts.extend(self.rules.iter().map(|r| r.host.as_str()));
            } else {
                hosts.extend(entry.hosts.iter().map(String::as_str));
            }
        }
        hosts.retain(|h| !h.is_empty());
        if hosts.len() <= 16 {
            // A few hosts (the usual case): a scan is faster than hashing.
            let mut unique: Vec<&str> = Vec::with_capacity(hosts.len());
            for host in hosts {
                if !unique.contains(&host) {
                    unique.push(host);
                }
            }
            return unique;
        }
        let mut seen = foldhash::HashSet::default();
        hosts.retain(|h| seen.insert(*h));
        hosts
    }

    /// The Secrets of the TLS entries naming `host` (or naming no host, for a rule host), in
    /// TLS entry order, without repeats; none for a canary.
    pub fn secrets_for(&self, host: &str) -> Vec<&str> {
        let mut secrets: Vec<&str> = Vec::new();
        if self.canary {
            return secrets;
        }
        for entry in &self.tls {
            let covers = if entry.hosts.is_empty() {
                self.rules.iter().any(|r| r.host == host)
            } else {
                entry.hosts.iter().any(|h| h == host)
            };
            if covers
                && !entry.secret_name.is_empty()
                && !secrets.contains(&entry.secret_name.as_str())
            {
                secrets.push(&entry.secret_name);
            }
        }
        secrets
    }
}

/// Does TLS host `pattern` (`*.example.com`) cover `host` (`a.example.com`)? A wildcard stands
/// for exactly one label, as in certificate name matching and Gateway API listener hostnames.
pub fn wildcard_covers(pattern: &str, host: &str) -> bool {
    let Some(suffix) = pattern.strip_prefix('*') else {
        return false;
    };
    suffix.starts_with('.')
        && host
            .strip_suffix(suffix)
            .is_some_and(|label| !label.is_empty() && !label.contains('.') && label != "*")
}

impl Defined for Ingress {
    fn definition(&self) -> Option<Definition<'_>> {
        Some(Definition {
            identity: Identity {
                group: model::SourceKind::Ingress.group(),
                kind: "Ingress",
                namespace: &self.meta.namespace,
                name: &self.meta.name,
            },
            location: &self.location,
        })
    }
}

/// Named ports of the Services in the inputs: namespace → name → (port name, number) in
/// input order (a later port of the same name wins: see [`named_port`]). Services without named
/// ports are left out. A list, not a map: most Services have one or two ports. Hash maps by
/// namespace, then name, so a route's lookup borrows its names instead of building a key.
pub type ServicePorts = foldhash::HashMap<String, foldhash::HashMap<String, Vec<(String, i64)>>>;

/// A `v1` Service as the converter reads it: its named ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub namespace: String,
    pub name: String,
    pub location: Location,
    pub named_ports: Vec<(String, i64)>,
}

impl Defined for Service {
    fn definition(&self) -> Option<Definition<'_>> {
        Some(Definition {
            identity: Identity {
                group: "",
                kind: "Service",
                namespace: &self.namespace,
                name: &self.name,
            },
            location: &self.location,
        })
    }
}

/// The named ports of `services`, in input order; a later definition of a Service replaces
/// an earlier one whole, as `kubectl apply` would.
pub fn service_ports(services: Vec<Service>) -> ServicePorts {
    let mut ports = ServicePorts::default();
    for service in services {
        if service.named_ports.is_empty() {
            if let Some(names) = ports.get_mut(&service.namespace) {
                names.remove(&service.name);
            }
        } else {
            ports
                .entry(service.namespace)
                .or_default()
                .insert(service.name, service.named_ports);
        }
    }
    ports
}

/// The number of a Service's named port, the last one of that name in the inputs.
pub fn named_port(ports: &ServicePorts, namespace: &str, service: &str, port: &str) -> Option<i64> {
    ports
        .get(namespace)?
        .get(service)?
        .iter()
        .rev()
        .find(|(name, _)| name == port)
        .map(|(_, number)| *number)
}

/// How errors name an Ingress, read leniently from its tree (its metadata may be what is wrong).
fn lenient_ref(doc: &Document, default_namespace: &str) -> ObjectRef {
    let metadata = doc.root.get_value("metadata");
    ObjectRef {
        kind: "Ingress".to_string(),
        namespace: metadata
            .and_then(|m| m.str_at(&["namespace"]))
            .unwrap_or(default_namespace)
            .to_string(),
        name: metadata
            .and_then(|m| m.str_at(&["name"]))
            .unwrap_or_default()
            .to_string(),
    }
}

/// Parses the rest of an Ingress document whose metadata and TLS entries the shared model has
/// read (`model::parse`, which also checks apiVersion and kind).
pub fn parse_ingress(
    doc: &Document,
    meta: model::Meta,
    tls: Vec<model::IngressTls>,
    default_namespace: &str,
) -> Result<Ingress, Diagnostic> {
    let fail = |e: FieldError| {
        Diagnostic::error(Some(doc.node_location(e.line)), e.message)
            .about(&lenient_ref(doc, default_namespace))
    };
    let empty = Map::default();
    let spec = fields::mapping(&doc.root, "spec", "spec")
        .map_err(fail)?
        .map_or(&empty, |(m, _)| m);
    let class =
        match fields::string(spec, "ingressClassName", "spec.ingressClassName").map_err(fail)? {
            Some(c) if !c.is_empty() => c,
            _ => meta.annotation(CLASS_ANNOTATION).unwrap_or("").to_string(),
        };
    let rules = parse_rules(spec).map_err(fail)?;
    let default_backend =
        match fields::mapping(spec, "defaultBackend", "spec.defaultBackend").map_err(fail)? {
            Some((m, line)) => Some((
                parse_backend(m, "spec.defaultBackend", line).map_err(fail)?,
                line,
            )),
            None => None,
        };
    let nginx_annotated = meta
        .annotations
        .keys()
        .any(|k| k.starts_with(super::providers::ingress_nginx::PREFIX));
    let canary = meta
        .annotation(CANARY_ANNOTATION)
        .and_then(crate::golang::strconv::parse_bool)
        .unwrap_or(false);
    Ok(Ingress {
        meta,
        class,
        rules,
        default_backend,
        tls,
        location: doc.location.clone(),
        nginx_annotated,
        canary,
        provider: (
            super::providers::Provider::IngressNginx,
            super::providers::Reason::Default,
        ),
        refused: Vec::new(),
        unread: Vec::new(),
        invalid_hosts: Vec::new(),
    })
}

fn parse_rules(spec: &Map) -> FieldResult<Vec<IngressRule>> {
    let Some((items, _)) = fields::list(spec, "rules", "spec.rules")? else {
        return Ok(Vec::new());
    };
    let mut rules = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let path = format_args!("spec.rules[{i}]");
        let rule = fields::item_mapping(node, path)?;
        let host = fields::string(rule, "host", format_args!("{path}.host"))?.unwrap_or_default();
        let mut paths = Vec::new();
        if let Some((http, _)) = fields::mapping(rule, "http", format_args!("{path}.http"))? {
            let list_path = format_args!("{path}.http.paths");
            if let Some((items, _)) = fields::list(http, "paths", list_path)? {
                for (j, node) in items.iter().enumerate() {
                    let p = format_args!("{list_path}[{j}]");
                    let entry = fields::item_mapping(node, p)?;
                    let (backend, backend_line) =
                        fields::mapping(entry, "backend", format_args!("{p}.backend"))?
                            .ok_or_else(|| FieldError {
                                line: node.line,
                                message: format!("{p}.backend: Required value"),
                            })?;
                    paths.push(IngressPath {
                        path: fields::string(entry, "path", format_args!("{p}.path"))?
                            .unwrap_or_default(),
                        path_type: fields::string(entry, "pathType", format_args!("{p}.pathType"))?,
                        backend: parse_backend(backend, format_args!("{p}.backend"), backend_line)?,
                        line: node.line,
                    });
                }
            }
        }
        rules.push(IngressRule {
            host,
            paths,
            line: node.line,
        });
    }
    Ok(rules)
}

fn parse_backend(
    backend: &Map,
    path: impl std::fmt::Display + Copy,
    line: u32,
) -> FieldResult<Backend> {
    if let Some((service, service_line)) =
        fields::mapping(backend, "service", format_args!("{path}.service"))?
    {
        let name = fields::string(service, "name", format_args!("{path}.service.name"))?
            .unwrap_or_default();
        let port_path = format_args!("{path}.service.port");
        let (port, port_line) =
            fields::mapping(service, "port", port_path)?.ok_or_else(|| FieldError {
                line: service_line,
                message: format!("{port_path}: Required value: a Service backend needs a port"),
            })?;
        let number = fields::integer(port, "number", format_args!("{port_path}.number"))?;
        let port_name = fields::string(port, "name", format_args!("{port_path}.name"))?;
        let port = match (number, port_name) {
            // The API server refuses such an Ingress; a route must not carry the number on.
            (Some(n), _) if n != 0 && !(1..=65535).contains(&n) => {
                return Err(FieldError {
                    line: port_line,
                    message: format!(
                        "{port_path}.number: Invalid value: {n}: must be between 1 and 65535, inclusive"
                    ),
                });
            }
            (Some(n), _) if n != 0 => ServicePort::Number(n),
            (_, Some(n)) if !n.is_empty() => ServicePort::Name(n),
            _ => {
                return Err(FieldError {
                    line: port_line,
                    message: format!("{port_path}: Required value: set number or name"),
                });
            }
        };
        return Ok(Backend::Service { name, port });
    }
    if let Some((resource, _)) =
        fields::mapping(backend, "resource", format_args!("{path}.resource"))?
    {
        return Ok(Backend::Resource {
            api_group: fields::string(
                resource,
                "apiGroup",
                format_args!("{path}.resource.apiGroup"),
            )?
            .filter(|g| !g.is_empty()),
            kind: fields::string(resource, "kind", format_args!("{path}.resource.kind"))?
                .unwrap_or_default(),
            name: fields::string(resource, "name", format_args!("{path}.resource.name"))?
                .unwrap_or_default(),
        });
    }
    Err(FieldError {
        line,
        message: format!("{path}: Required value: a backend needs service or resource"),
    })
}

/// Reads a `v1` Service; `None` without a name.
pub fn service(doc: &Document, default_namespace: &str) -> Option<Service> {
    let meta = doc.root.get_value("metadata");
    let name = meta.and_then(|m| m.str_at(&["name"]))?;
    let namespace = meta
        .and_then(|m| m.str_at(&["namespace"]))
        .filter(|ns| !ns.is_empty())
        .unwrap_or(default_namespace);
    let items = match doc
        .root
        .get_value("spec")
        .and_then(|s| s.path(&["ports"]))
        .map(|n| &n.value)
    {
        Some(Value::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    let named_ports: Vec<(String, i64)> = items
        .iter()
        .filter_map(|item| {
            let map = item.as_map()?;
            match (
                map.get_value("name").and_then(|n| n.value.as_str()),
                map.get_value("port").map(|n| &n.value),
            ) {
                (Some(port_name), Some(Value::Int(number @ 1..=65535))) => {
                    Some((port_name.to_string(), *number))
                }
                _ => None,
            }
        })
        .collect();
    Some(Service {
        namespace: namespace.to_string(),
        name: name.to_string(),
        location: doc.location.clone(),
        named_ports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(text: &str) -> ServicePorts {
        let (documents, diagnostics) =
            crate::source::documents(&"s.yaml".into(), text, &crate::source::Limits::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let services: Vec<Service> = documents
            .iter()
            .filter_map(|doc| service(doc, "default"))
            .collect();
        service_ports(services)
    }

    #[test]
    fn named_ports_the_last_of_a_name_wins() {
        let ports = ports(
            "kind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {name: http, port: 80}\n  - {port: 81}\n---\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  ports:\n  - {name: http, port: 8080}\n  - {name: admin, port: 9000}\n",
        );
        assert_eq!(named_port(&ports, "default", "web", "http"), Some(8080));
        assert_eq!(named_port(&ports, "default", "web", "admin"), Some(9000));
        assert_eq!(named_port(&ports, "default", "web", "grpc"), None);
        assert_eq!(named_port(&ports, "other", "web", "http"), None);
    }

    #[test]
    fn a_service_defined_again_replaces_the_earlier_one_whole() {
        let ports = ports(
            "kind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {name: metrics, port: 9090}\n---\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {name: http, port: 80}\n---\nkind: Service\nmetadata: {name: api}\nspec:\n  ports:\n  - {name: http, port: 80}\n---\nkind: Service\nmetadata: {name: api}\nspec:\n  ports:\n  - {port: 81}\n",
        );
        assert_eq!(named_port(&ports, "default", "web", "http"), Some(80));
        assert_eq!(named_port(&ports, "default", "web", "metrics"), None);
        assert_eq!(named_port(&ports, "default", "api", "http"), None);
    }

    #[test]
    fn services_without_named_ports_are_left_out() {
        let ports =
            ports("kind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {port: 80}\n");
        assert!(ports.is_empty());
    }
}
