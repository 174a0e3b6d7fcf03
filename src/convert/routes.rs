//! ingress2gateway's common conversion (reference ingress2gateway §3): rules grouped by
//! namespace, Gateway, host and protocol; one route per group named after its first Ingress;
//! one route rule per distinct path; default backends as their own routes.

use foldhash::HashMap;
use std::collections::BTreeMap;

use super::ingress::{Backend, Ingress, ServicePort, ServicePorts};
use super::names::{HostNames, NameRegistry};
use super::plan::{
    BackendRef, BackendTarget, Binding, IngressId, ListenerKind, ListenerNeed, PathMatch, PathType,
    Route, RouteKind, RouteMatch, Rule,
};
use crate::diag::Diagnostic;
use rayon::prelude::*;

/// What the common conversion needs to know about each Ingress besides the Ingress itself.
pub struct Placement<'a> {
    pub ingresses: &'a [Ingress],
    /// The Gateway each Ingress goes to (`None`: not converted).
    pub gateway_of: &'a [Option<usize>],
    /// Ingresses whose backend-protocol is GRPC or GRPCS.
    pub grpc: &'a [bool],
    pub services: &'a ServicePorts,
    /// Host name parts per Gateway.
    pub host_names: &'a [HostNames],
}

/// One rule group (reference §3.1): all rules of one host on one Gateway in one namespace.
struct Group<'a> {
    ingresses: Vec<IngressId>,
    paths: Vec<(IngressId, &'a super::ingress::IngressPath)>,
}

pub struct Converted {
    pub routes: Vec<Route>,
    pub listeners: Vec<ListenerNeed>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Is this Ingress an ingress-nginx canary (`nginx.ingress.kubernetes.io/canary: "true"`)?
pub fn is_canary(ingress: &Ingress) -> bool {
    ingress.canary
}

pub fn convert(p: &Placement<'_>, names: &mut NameRegistry) -> Converted {
    let mut diagnostics = Vec::new();
    // (namespace, gateway, host, grpc) in byte order, as ingress2gateway sorts its group keys.
    let mut groups: BTreeMap<(String, usize, String, bool), Group<'_>> = BTreeMap::new();
    for (id, ingress) in p.ingresses.iter().enumerate() {
        let Some(gateway) = p.gateway_of.get(id).copied().flatten() else {
            continue;
        };
        let grpc = p.grpc.get(id).copied().unwrap_or(false);
        for rule in &ingress.rules {
            let key = (
                ingress.meta.namespace.clone(),
                gateway,
                rule.host.clone(),
                grpc,
            );
            let group = groups.entry(key).or_insert_with(|| Group {
                ingresses: Vec::new(),
                paths: Vec::new(),
            });
            // Ingresses come in order, so one already in the group is its last.
            if group.ingresses.last() != Some(&id) {
                group.ingresses.push(id);
            }
            group.paths.extend(rule.paths.iter().map(|path| (id, path)));
        }
    }

    // Each group's rules and listeners depend on the group only: worked out on all threads;
    // the names are then claimed in group order.
    let groups: Vec<_> = groups.into_iter().collect();
    let planned: Vec<Option<GroupPlan>> = groups
        .par_iter()
        .map(|((namespace, gateway, host, grpc), group)| {
            plan_group(p, namespace, *gateway, host, *grpc, group)
        })
        .collect();
    let mut routes = Vec::new();
    let mut listeners = Vec::new();
    for (((namespace, gateway, host, grpc), group), planned) in groups.into_iter().zip(planned) {
        let Some(mut planned) = planned else {
            continue;
        };
        let kind = if grpc {
            RouteKind::Grpc
        } else {
            RouteKind::Http
        };
        let name = names.claim(kind.kind(), &namespace, &planned.name);
        listeners.append(&mut planned.listeners);
        diagnostics.append(&mut planned.diagnostics);
        routes.push(Route {
            kind,
            namespace,
            name,
            gateway,
            hostnames: if host.is_empty() {
                Vec::new()
            } else {
                vec![host.clone()]
            },
            host,
            bindings: vec![Binding::whole()],
            rules: planned.rules,
            ingresses: group.ingresses,
            derived: false,
        });
    }

    for (id, ingress) in p.ingresses.iter().enumerate() {
        let (Some(gateway), Some((backend, line))) = (
            p.gateway_of.get(id).copied().flatten(),
            &ingress.default_backend,
        ) else {
            continue;
        };
        let target = match backend_target(backend, ingress, p.services) {
            Ok(t) => t,
            Err(problem) => {
                diagnostics.push(problem.diagnostic(ingress, *line));
                continue;
            }
        };
        diagnostics.extend(resource_backend_warning(backend, ingress, *line));
        let namespace = &ingress.meta.namespace;
        routes.push(Route {
            kind: RouteKind::Http,
            namespace: namespace.clone(),
            name: names.claim(
                "HTTPRoute",
                namespace,
                &format!("{}-default-backend", ingress.meta.name),
            ),
            gateway,
            host: String::new(),
            hostnames: Vec::new(),
            bindings: vec![Binding::whole()],
            rules: vec![Rule {
                backends: vec![BackendRef {
                    target,
                    weight: None,
                    source: id,
                    line: *line,
                }],
                sources: vec![id],
                ..Rule::default()
            }],
            ingresses: vec![id],
            derived: false,
        });
    }
    Converted {
        routes,
        listeners,
        diagnostics,
    }
}

/// A rule group's route before its name is claimed.
struct GroupPlan {
    /// The name it asks for.
    name: String,
    rules: Vec<Rule>,
    listeners: Vec<ListenerNeed>,
    diagnostics: Vec<Diagnostic>,
}

/// The rules and listeners of one rule group; `None` when it has no Ingress.
fn plan_group(
    p: &Placement<'_>,
    namespace: &str,
    gateway: usize,
    host: &str,
    grpc: bool,
    group: &Group<'_>,
) -> Option<GroupPlan> {
    let mut diagnostics = Vec::new();
    // Named after its first non-canary Ingress: ingress2gateway takes the first by name,
    // which is often the canary (reference §9.5).
    let first_ingress = group
        .ingresses
        .iter()
        .filter_map(|id| p.ingresses.get(*id))
        .find(|i| !is_canary(i))
        .or_else(|| group.ingresses.first().and_then(|id| p.ingresses.get(*id)))?;
    let part = p
        .host_names
        .get(gateway)
        .map(|n| n.part(host))
        .unwrap_or_default();
    let name = format!("{}-{part}", first_ingress.meta.name);
    let listeners = group_listeners(p, gateway, namespace, host, &group.ingresses);
    let mut rules: Vec<Rule> = Vec::new();
    // The rule of each path match, by its type and path.
    let mut rule_of: HashMap<String, usize> = HashMap::default();
    for (id, path) in &group.paths {
        let Some(ingress) = p.ingresses.get(*id) else {
            continue;
        };
        let backend = match backend_target(&path.backend, ingress, p.services) {
            Ok(b) => b,
            Err(problem) => {
                diagnostics.push(problem.diagnostic(ingress, path.line));
                continue;
            }
        };
        diagnostics.extend(resource_backend_warning(&path.backend, ingress, path.line));
        let route_match = if grpc {
            grpc_match(&path.path)
        } else {
            match path_match(path.path_type.as_deref(), &path.path) {
                Ok(m) => RouteMatch {
                    path: Some(m),
                    ..RouteMatch::default()
                },
                Err(message) => {
                    diagnostics.push(
                        Diagnostic::error(Some(ingress.at(path.line)), message)
                            .about(&ingress.reference()),
                    );
                    continue;
                }
            }
        };
        let mut key = format!(
            "{}/{}",
            path.path_type.as_deref().unwrap_or_default(),
            route_match
                .path
                .as_ref()
                .map_or(path.path.as_str(), |m| m.value.as_str())
        );
        if let Some(more) = super::providers::match_key(ingress) {
            key.push_str(&more);
        }
        let backend = BackendRef {
            target: backend,
            weight: None,
            source: *id,
            line: path.line,
        };
        match rule_of.get(&key) {
            Some(&i) => {
                if let Some(rule) = rules.get_mut(i) {
                    rule.backends.push(backend);
                    rule.sources.push(*id);
                }
            }
            None => {
                rule_of.insert(key, rules.len());
                rules.push(Rule {
                    matches: if route_match == RouteMatch::default() {
                        Vec::new()
                    } else {
                        vec![route_match]
                    },
                    backends: vec![backend],
                    sources: vec![*id],
                    ..Rule::default()
                });
            }
        }
    }
    Some(GroupPlan {
        name,
        rules,
        listeners,
        diagnostics,
    })
}

/// The listeners a rule group needs (reference §3.3): HTTP always, HTTPS when a contributing
/// Ingress has TLS for this host, with only the Secrets of TLS entries naming the host
/// (ingress2gateway puts every Secret of the Ingress on every host, §9.4).
fn group_listeners(
    p: &Placement<'_>,
    gateway: usize,
    namespace: &str,
    host: &str,
    ingresses: &[IngressId],
) -> Vec<ListenerNeed> {
    let owner = ingresses
        .iter()
        .copied()
        .find(|id| p.ingresses.get(*id).is_some_and(|i| !is_canary(i)))
        .or(ingresses.first().copied())
        .unwrap_or_default();
    let mut needs = vec![ListenerNeed {
        gateway,
        namespace: namespace.to_string(),
        host: host.to_string(),
        kind: ListenerKind::Http,
        ingress: owner,
        secrets: Vec::new(),
    }];
    if host.is_empty() {
        return needs;
    }
    for id in ingresses {
        let Some(ingress) = p.ingresses.get(*id) else {
            continue;
        };
        let secrets: Vec<String> = ingress
            .secrets_for(host)
            .into_iter()
            .map(str::to_string)
            .collect();
        if !secrets.is_empty() {
            needs.push(ListenerNeed {
                gateway,
                namespace: namespace.to_string(),
                host: host.to_string(),
                kind: ListenerKind::Https,
                ingress: *id,
                secrets,
            });
        }
    }
    needs
}

/// Path types (reference §3.4); ingress-nginx reads ImplementationSpecific as a prefix. The API
/// server accepts an ImplementationSpecific path left empty, which ingress-nginx serves as `/`;
/// Exact and Prefix paths must be absolute.
fn path_match(path_type: Option<&str>, path: &str) -> Result<PathMatch, String> {
    let kind = match path_type {
        Some("Prefix" | "ImplementationSpecific") => PathType::PathPrefix,
        Some("Exact") => PathType::Exact,
        None => {
            return Err(format!(
                "path {path:?}: pathType is required (Exact, Prefix or ImplementationSpecific)"
            ));
        }
        Some(other) => {
            return Err(format!(
                "path {path:?}: unsupported pathType {other:?}; use Exact, Prefix or ImplementationSpecific"
            ));
        }
    };
    let value = match (path_type, path) {
        (Some("ImplementationSpecific"), "") => "/",
        (_, p) if p.starts_with('/') => p,
        (_, p) => {
            return Err(format!(
                "path: Invalid value: {p:?}: must be an absolute path"
            ));
        }
    };
    Ok(PathMatch {
        kind,
        value: value.to_string(),
    })
}

/// A gRPC path `/<service>/<method>` (reference §3.5).
pub(crate) fn grpc_match(path: &str) -> RouteMatch {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        return RouteMatch::default();
    }
    let (service, method) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    RouteMatch {
        method: Some((service.to_string(), method.to_string())),
        ..RouteMatch::default()
    }
}

/// Why a backend has no backendRef: an input error.
pub enum BackendProblem {
    Error(String),
}

impl BackendProblem {
    pub fn diagnostic(self, ingress: &Ingress, line: u32) -> Diagnostic {
        let at = Some(ingress.at(line));
        match self {
            BackendProblem::Error(m) => Diagnostic::error(at, m),
        }
        .about(&ingress.reference())
    }
}

/// A resource backend becomes a backendRef with its group and kind, as ingress2gateway writes
/// it; Gateway API leaves kinds other than Service to each implementation, so it is warned.
fn resource_backend_warning(backend: &Backend, ingress: &Ingress, line: u32) -> Option<Diagnostic> {
    let Backend::Resource {
        api_group,
        kind,
        name,
    } = backend
    else {
        return None;
    };
    let group = api_group.as_deref().unwrap_or_default();
    let qualified = if group.is_empty() {
        kind.clone()
    } else {
        format!("{kind}.{group}")
    };
    Some(
        Diagnostic::warning(
            Some(ingress.at(line)),
            format!(
                "resource backend {qualified}/{name} is written as a backendRef with group {group:?} and kind {kind} and no port; Gateway API requires support only for Services, so whether it is served depends on the Gateway implementation"
            ),
        )
        .about(&ingress.reference()),
    )
}

/// A backendRef for an Ingress backend; named ports are looked up in the input's Services.
/// A resource backend keeps its group (`""` when the Ingress gives none), kind and name.
pub fn backend_target(
    backend: &Backend,
    ingress: &Ingress,
    services: &ServicePorts,
) -> Result<BackendTarget, BackendProblem> {
    match backend {
        Backend::Resource {
            api_group,
            kind,
            name,
        } => Ok(BackendTarget {
            resource: Some((api_group.clone().unwrap_or_default(), kind.clone())),
            name: name.clone(),
            port: None,
        }),
        Backend::Service {
            name,
            port: ServicePort::Number(port),
        } => Ok(BackendTarget {
            resource: None,
            name: name.clone(),
            port: Some(*port),
        }),
        Backend::Service {
            name,
            port: ServicePort::Name(port_name),
        } => super::ingress::named_port(services, &ingress.meta.namespace, name, port_name)
            .map(|port| BackendTarget {
                resource: None,
                name: name.clone(),
                port: Some(port),
            })
            .ok_or_else(|| {
                BackendProblem::Error(format!(
                    "backend service port {port_name:?}: cannot find port with name {port_name} in service {name}; add Service {}/{name} to the inputs or use a port number",
                    ingress.meta.namespace
                ))
            }),
    }
}
