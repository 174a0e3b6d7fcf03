//! The Gateway API and cert-manager objects `lsc check` reasons about, read leniently from
//! the documents: a field of the wrong type is left out here (render and the CEL rules report
//! it), so one bad field never hides the other findings.

use foldhash::HashMap;
use std::collections::BTreeMap;

use crate::diag::{Location, ObjectRef};
use crate::model::duplicates::{Defined, Definition, Identity};
use crate::source::Document;
use crate::source::tree::{Map, Node, Value};

pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
pub const X_GROUP: &str = "gateway.networking.x-k8s.io";

fn str_of<'a>(map: &'a Map, key: &str) -> Option<&'a str> {
    map.get_value(key).and_then(|n| n.value.as_str())
}

fn map_of<'a>(map: &'a Map, key: &str) -> Option<&'a Map> {
    map.get_value(key).and_then(Node::as_map)
}

fn items<'a>(map: &'a Map, key: &str) -> impl Iterator<Item = &'a Node> {
    match map.get_value(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.as_slice(),
        _ => &[],
    }
    .iter()
}

fn labels(map: Option<&Map>) -> BTreeMap<String, String> {
    map.map(|m| {
        m.entries
            .iter()
            .filter_map(|e| Some((e.key.to_string(), e.value.value.as_str()?.to_string())))
            .collect()
    })
    .unwrap_or_default()
}

/// A Kubernetes object's identity and where it is.
#[derive(Debug, Clone)]
pub struct Header {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub creation_timestamp: Option<String>,
    pub location: Location,
}

impl Header {
    pub fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    pub fn at(&self, line: u32) -> Location {
        self.location.at_line(line)
    }

    /// Which object the document defines; none without a name.
    pub fn definition(&self) -> Option<Definition<'_>> {
        (!self.name.is_empty()).then(|| Definition {
            identity: Identity::new(&self.api_version, &self.kind, &self.namespace, &self.name),
            location: &self.location,
        })
    }
}

/// The kinds of the inventory are defined by their headers.
macro_rules! defined_by_header {
    ($($kind:ty),*) => {
        $(impl Defined for $kind {
            fn definition(&self) -> Option<Definition<'_>> {
                self.header.definition()
            }
        })*
    };
}
defined_by_header!(
    Gateway,
    ListenerSet,
    Route,
    ReferenceGrant,
    HandWrittenCertificate
);

#[derive(Debug, Clone)]
pub struct CertificateRef {
    pub namespace: Option<String>,
    pub name: String,
    pub kind: String,
    pub group: String,
}

#[derive(Debug, Clone)]
pub struct Listener {
    pub name: String,
    pub hostname: Option<String>,
    pub port: Option<i64>,
    pub protocol: String,
    pub certificate_refs: Vec<CertificateRef>,
    pub line: u32,
}

/// A label selector (`matchLabels` and `matchExpressions`).
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub match_labels: BTreeMap<String, String>,
    /// `(key, operator, values)`.
    pub match_expressions: Vec<(String, String, Vec<String>)>,
}

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self
                .match_expressions
                .iter()
                .all(|(key, operator, values)| match operator.as_str() {
                    "In" => labels.get(key).is_some_and(|v| values.contains(v)),
                    "NotIn" => !labels.get(key).is_some_and(|v| values.contains(v)),
                    "Exists" => labels.contains_key(key),
                    "DoesNotExist" => !labels.contains_key(key),
                    _ => false,
                })
    }
}

/// A Gateway's `spec.allowedListeners.namespaces`.
#[derive(Debug, Clone)]
pub struct AllowedListeners {
    /// `None` when the field is absent (the default, which allows no ListenerSet).
    pub from: Option<String>,
    pub selector: Selector,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Gateway {
    pub header: Header,
    pub listeners: Vec<Listener>,
    pub allowed: AllowedListeners,
}

#[derive(Debug, Clone)]
pub struct ListenerSet {
    pub header: Header,
    pub parent_namespace: String,
    pub parent_name: String,
    pub parent_kind: String,
    pub parent_line: u32,
    pub listeners: Vec<Listener>,
}

#[derive(Debug, Clone)]
pub struct ParentRef {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub section_name: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub header: Header,
    pub parent_refs: Vec<ParentRef>,
}

#[derive(Debug, Clone)]
pub struct ReferenceGrant {
    pub header: Header,
    /// `(group, kind, namespace)`.
    pub from: Vec<(String, String, String)>,
    /// `(group, kind, name)`; an absent name allows every object of the kind.
    pub to: Vec<(String, String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct HandWrittenCertificate {
    pub header: Header,
    pub secret_name: String,
    pub spec: serde_json::Value,
    /// `(kind, name)` of its controller owner, when it has one.
    pub controller: Option<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub gateways: Vec<Gateway>,
    pub listener_sets: Vec<ListenerSet>,
    pub routes: Vec<Route>,
    pub grants: Vec<ReferenceGrant>,
    pub namespaces: BTreeMap<String, BTreeMap<String, String>>,
    /// Where each Namespace is defined, in input order, with no namespace of its own (they are
    /// cluster-scoped): a later definition's labels replace an earlier one's in `namespaces`.
    pub namespace_definitions: Vec<Header>,
    pub certificates: Vec<HandWrittenCertificate>,
}

impl Inventory {
    /// Adds what a later input holds, as if its documents had been read after this one's.
    pub fn append(&mut self, other: Inventory) {
        self.gateways.extend(other.gateways);
        self.listener_sets.extend(other.listener_sets);
        self.routes.extend(other.routes);
        self.grants.extend(other.grants);
        // A later Namespace of the same name wins, as when read in one pass.
        self.namespaces.extend(other.namespaces);
        self.namespace_definitions
            .extend(other.namespace_definitions);
        self.certificates.extend(other.certificates);
    }
}

/// Look-ups by name over an [`Inventory`], built once, so no check scans the inventory for
/// each object it looks at. Where names repeat, the first object in input order is found, as
/// a scan would find it.
pub struct Index<'a> {
    inventory: &'a Inventory,
    /// Gateways by namespace and name.
    gateways: HashMap<(&'a str, &'a str), usize>,
    /// ListenerSets (and XListenerSets) by kind, namespace and name.
    listener_sets: HashMap<(&'a str, &'a str, &'a str), usize>,
    /// ListenerSets by their parentRef's namespace and name and the name of one of their
    /// listeners.
    by_parent_listener: HashMap<(&'a str, &'a str, &'a str), usize>,
    /// ReferenceGrants by namespace: the place in `groups` of their positions in input order
    /// (a place, not the list, so a look-up borrows only the index).
    grants: HashMap<&'a str, usize>,
    groups: Vec<Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        let mut index = Index {
            inventory,
            gateways: HashMap::default(),
            listener_sets: HashMap::default(),
            by_parent_listener: HashMap::default(),
            grants: HashMap::default(),
            groups: Vec::new(),
        };
        for (i, g) in inventory.gateways.iter().enumerate() {
            let key = (g.header.namespace.as_str(), g.header.name.as_str());
            index.gateways.entry(key).or_insert(i);
        }
        for (i, s) in inventory.listener_sets.iter().enumerate() {
            let h = &s.header;
            let key = (h.kind.as_str(), h.namespace.as_str(), h.name.as_str());
            index.listener_sets.entry(key).or_insert(i);
            for l in &s.listeners {
                let key = (
                    s.parent_namespace.as_str(),
                    s.parent_name.as_str(),
                    l.name.as_str(),
                );
                index.by_parent_listener.entry(key).or_insert(i);
            }
        }
        for (i, g) in inventory.grants.iter().enumerate() {
            let next = index.groups.len();
            let at = *index
                .grants
                .entry(g.header.namespace.as_str())
                .or_insert(next);
            if at == next {
                index.groups.push(Vec::new());
            }
            if let Some(group) = index.groups.get_mut(at) {
                group.push(i);
            }
        }
        index
    }

    /// The Gateway of that namespace and name, with its position in the inventory.
    pub fn gateway(&self, namespace: &str, name: &str) -> Option<(usize, &'a Gateway)> {
        let i = *self.gateways.get(&(namespace, name))?;
        Some((i, self.inventory.gateways.get(i)?))
    }

    /// The ListenerSet of that kind (`ListenerSet` or `XListenerSet`), namespace and name.
    pub fn listener_set(&self, kind: &str, namespace: &str, name: &str) -> Option<&'a ListenerSet> {
        let i = *self.listener_sets.get(&(kind, namespace, name))?;
        self.inventory.listener_sets.get(i)
    }

    /// The first ListenerSet whose parentRef names that namespace and name and that has a
    /// listener of that name.
    pub fn listener_set_with(
        &self,
        namespace: &str,
        name: &str,
        listener: &str,
    ) -> Option<&'a ListenerSet> {
        let i = *self.by_parent_listener.get(&(namespace, name, listener))?;
        self.inventory.listener_sets.get(i)
    }

    /// The ReferenceGrants in a namespace, in input order.
    pub fn grants_in(&self, namespace: &str) -> impl Iterator<Item = &'a ReferenceGrant> + '_ {
        let grants: &'a [ReferenceGrant] = &self.inventory.grants;
        let group = self.grants.get(namespace).and_then(|g| self.groups.get(*g));
        group.into_iter().flatten().filter_map(|i| grants.get(*i))
    }
}

/// The Gateway API documents (both API groups) with their headers, for the CEL rules.
pub fn gateway_api<'d>(
    documents: &'d [Document],
    default_namespace: &'d str,
) -> impl Iterator<Item = (Header, &'d Map)> {
    documents.iter().filter_map(move |doc| {
        let header = header(doc, default_namespace)?;
        let group = header.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        (group == GATEWAY_GROUP || group == X_GROUP).then_some((header, &doc.root))
    })
}

const ROUTE_KINDS: &[&str] = &["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

pub fn header(doc: &Document, default_namespace: &str) -> Option<Header> {
    let meta = map_of(&doc.root, "metadata");
    Some(Header {
        api_version: str_of(&doc.root, "apiVersion")?.to_string(),
        kind: str_of(&doc.root, "kind")?.to_string(),
        namespace: meta
            .and_then(|m| str_of(m, "namespace"))
            .filter(|ns| !ns.is_empty())
            .unwrap_or(default_namespace)
            .to_string(),
        name: meta
            .and_then(|m| str_of(m, "name"))
            .unwrap_or_default()
            .to_string(),
        labels: labels(meta.and_then(|m| map_of(m, "labels"))),
        creation_timestamp: meta
            .and_then(|m| str_of(m, "creationTimestamp"))
            .map(str::to_string),
        location: doc.location.clone(),
    })
}

fn listeners(spec: &Map) -> Vec<Listener> {
    items(spec, "listeners")
        .filter_map(|node| {
            let l = node.as_map()?;
            let tls = map_of(l, "tls");
            Some(Listener {
                name: str_of(l, "name").unwrap_or_default().to_string(),
                hostname: str_of(l, "hostname")
                    .filter(|h| !h.is_empty())
                    .map(str::to_string),
                port: match l.get_value("port").map(|n| &n.value) {
                    Some(Value::Int(p)) => Some(*p),
                    _ => None,
                },
                protocol: str_of(l, "protocol").unwrap_or_default().to_string(),
                certificate_refs: tls
                    .map(|t| {
                        items(t, "certificateRefs")
                            .filter_map(|r| {
                                let r = r.as_map()?;
                                Some(CertificateRef {
                                    namespace: str_of(r, "namespace").map(str::to_string),
                                    name: str_of(r, "name").unwrap_or_default().to_string(),
                                    kind: str_of(r, "kind").unwrap_or("Secret").to_string(),
                                    group: str_of(r, "group").unwrap_or_default().to_string(),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                line: node.line,
            })
        })
        .collect()
}

fn selector(map: Option<&Map>) -> Selector {
    let Some(map) = map else {
        return Selector::default();
    };
    Selector {
        match_labels: labels(map_of(map, "matchLabels")),
        match_expressions: items(map, "matchExpressions")
            .filter_map(|e| {
                let e = e.as_map()?;
                Some((
                    str_of(e, "key")?.to_string(),
                    str_of(e, "operator")?.to_string(),
                    items(e, "values")
                        .filter_map(|v| v.value.as_str().map(str::to_string))
                        .collect(),
                ))
            })
            .collect(),
    }
}

/// Sorts the documents into the kinds the checks read.
pub fn read(documents: &[Document], default_namespace: &str) -> Inventory {
    let mut inventory = Inventory::default();
    for doc in documents {
        let Some(header) = header(doc, default_namespace) else {
            continue;
        };
        let empty = Map::default();
        let spec = map_of(&doc.root, "spec").unwrap_or(&empty);
        let group = header.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        match (group, header.kind.as_str()) {
            (GATEWAY_GROUP, "Gateway") => {
                let allowed = map_of(spec, "allowedListeners");
                let namespaces = allowed.and_then(|a| map_of(a, "namespaces"));
                inventory.gateways.push(Gateway {
                    listeners: listeners(spec),
                    allowed: AllowedListeners {
                        // An `allowedListeners` without `namespaces.from` defaults to None.
                        from: allowed.map(|_| {
                            namespaces
                                .and_then(|n| str_of(n, "from"))
                                .unwrap_or("None")
                                .to_string()
                        }),
                        selector: selector(namespaces.and_then(|n| map_of(n, "selector"))),
                        line: spec.get("allowedListeners").map_or(0, |e| e.key_line),
                    },
                    header: header.clone(),
                });
            }
            (GATEWAY_GROUP, "ListenerSet") | (X_GROUP, "XListenerSet") => {
                let parent = map_of(spec, "parentRef");
                inventory.listener_sets.push(ListenerSet {
                    parent_namespace: parent
                        .and_then(|p| str_of(p, "namespace"))
                        .unwrap_or(&header.namespace)
                        .to_string(),
                    parent_name: parent
                        .and_then(|p| str_of(p, "name"))
                        .unwrap_or_default()
                        .to_string(),
                    parent_kind: parent
                        .and_then(|p| str_of(p, "kind"))
                        .unwrap_or("Gateway")
                        .to_string(),
                    parent_line: spec.get("parentRef").map_or(0, |e| e.key_line),
                    listeners: listeners(spec),
                    header: header.clone(),
                });
            }
            (GATEWAY_GROUP, kind) if ROUTE_KINDS.contains(&kind) => {
                let parent_refs = items(spec, "parentRefs")
                    .filter_map(|node| {
                        let p = node.as_map()?;
                        Some(ParentRef {
                            group: str_of(p, "group").unwrap_or(GATEWAY_GROUP).to_string(),
                            kind: str_of(p, "kind").unwrap_or("Gateway").to_string(),
                            namespace: str_of(p, "namespace")
                                .unwrap_or(&header.namespace)
                                .to_string(),
                            name: str_of(p, "name").unwrap_or_default().to_string(),
                            section_name: str_of(p, "sectionName").map(str::to_string),
                            line: node.line,
                        })
                    })
                    .collect();
                inventory.routes.push(Route {
                    header: header.clone(),
                    parent_refs,
                });
            }
            (GATEWAY_GROUP, "ReferenceGrant") => {
                let from = items(spec, "from")
                    .filter_map(|f| {
                        let f = f.as_map()?;
                        Some((
                            str_of(f, "group").unwrap_or_default().to_string(),
                            str_of(f, "kind").unwrap_or_default().to_string(),
                            str_of(f, "namespace").unwrap_or_default().to_string(),
                        ))
                    })
                    .collect();
                let to = items(spec, "to")
                    .filter_map(|t| {
                        let t = t.as_map()?;
                        Some((
                            str_of(t, "group").unwrap_or_default().to_string(),
                            str_of(t, "kind").unwrap_or_default().to_string(),
                            str_of(t, "name").map(str::to_string),
                        ))
                    })
                    .collect();
                inventory.grants.push(ReferenceGrant {
                    header: header.clone(),
                    from,
                    to,
                });
            }
            ("", "Namespace") => {
                // The API server labels every Namespace with its own name.
                let mut labels = header.labels.clone();
                labels.insert(
                    "kubernetes.io/metadata.name".to_string(),
                    header.name.clone(),
                );
                inventory.namespaces.insert(header.name.clone(), labels);
                inventory.namespace_definitions.push(Header {
                    namespace: String::new(),
                    labels: BTreeMap::new(),
                    ..header.clone()
                });
            }
            ("cert-manager.io", "Certificate") => {
                inventory.certificates.push(HandWrittenCertificate {
                    secret_name: str_of(spec, "secretName").unwrap_or_default().to_string(),
                    spec: crate::emit::json::to_serde(&Value::Map(spec.clone())),
                    controller: map_of(&doc.root, "metadata")
                        .into_iter()
                        .flat_map(|m| items(m, "ownerReferences"))
                        .filter_map(Node::as_map)
                        .find(|o| {
                            o.get_value("controller").map(|c| &c.value) == Some(&Value::Bool(true))
                        })
                        .map(|o| {
                            (
                                str_of(o, "kind").unwrap_or_default().to_string(),
                                str_of(o, "name").unwrap_or_default().to_string(),
                            )
                        }),
                    header: header.clone(),
                });
            }
            _ => {}
        }
    }
    inventory
}
