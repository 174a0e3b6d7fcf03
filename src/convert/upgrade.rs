//! XListenerSet → ListenerSet v1: Gateway API v1.5 removed `gateway.networking.x-k8s.io`
//! XListenerSet without a conversion, so existing manifests are rewritten — the sets
//! themselves, route parentRefs and ReferenceGrant `from` entries that name them
//! (reference gateway-api-listenerset §1).

use super::Emitted;
use super::objects::{GATEWAY_API, GATEWAY_GROUP};
use crate::diag::{Diagnostic, Location, ObjectRef};
use crate::model::XLISTENERSET_API;
use crate::model::duplicates::{Defined, Definition, Identity};
use crate::source::Document;
use crate::source::tree::{Map, Node, Value};

const X_GROUP: &str = "gateway.networking.x-k8s.io";
/// The kinds that refer to ListenerSets: routes (`spec.parentRefs`) and ReferenceGrants
/// (`spec.from`). The upgrade rewrites them only where they name an XListenerSet.
pub const REFERRING_KINDS: &[&str] = &[
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "ReferenceGrant",
];

/// What the upgrade made of one document of a kind it reads: the rewritten object when it
/// changed, and errors for what cannot be upgraded. Kept for every such document, rewritten or
/// not, so that a later definition of the same object replaces an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgraded {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub location: Location,
    pub object: Option<Emitted>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Defined for Upgraded {
    fn definition(&self) -> Option<Definition<'_>> {
        (!self.name.is_empty()).then(|| Definition {
            identity: Identity::new(&self.api_version, &self.kind, &self.namespace, &self.name),
            location: &self.location,
        })
    }
}

/// Each document of the kinds the upgrade reads, with its rewrite when it changed. Objects
/// without a namespace are filed under `default_namespace` (as `kubectl apply` would place
/// them); their documents stay as written.
pub fn upgrade(documents: &[&Document], default_namespace: &str) -> Vec<Upgraded> {
    let mut out = Vec::new();
    for doc in documents {
        let api_version = doc
            .root
            .get_value("apiVersion")
            .and_then(|n| n.value.as_str());
        let kind = doc
            .root
            .get_value("kind")
            .and_then(|n| n.value.as_str())
            .unwrap_or_default()
            .to_string();
        let read = match (api_version, kind.as_str()) {
            (Some(XLISTENERSET_API), "XListenerSet") | (Some(_), "ReferenceGrant") => true,
            (Some(_), k) => REFERRING_KINDS.contains(&k),
            (None, _) => false,
        };
        if !read {
            continue;
        }
        let mut diagnostics = Vec::new();
        // Only the kinds it rewrites are copied (most documents are of other kinds).
        let rewritten = match (api_version, kind.as_str()) {
            (Some(XLISTENERSET_API), "XListenerSet") => {
                let mut root = doc.root.clone();
                set_str(&mut root, "apiVersion", GATEWAY_API);
                set_str(&mut root, "kind", "ListenerSet");
                let portless = portless_listeners(&root);
                let object = ObjectRef {
                    kind: kind.clone(),
                    namespace: metadata_str(&root, "namespace"),
                    name: metadata_str(&root, "name"),
                };
                for line in &portless {
                    diagnostics.push(
                        Diagnostic::error(
                            Some(doc.node_location(*line)),
                            "listener has no port (Gateway API v1.4 let the implementation choose); ListenerSet v1 requires port 1-65535: set it before upgrading",
                        )
                        .about(&object),
                    );
                }
                portless.is_empty().then_some(root)
            }
            (_, "ReferenceGrant") => rewritten_refs(&doc.root, &["spec", "from"]),
            (_, k) if REFERRING_KINDS.contains(&k) => {
                rewritten_refs(&doc.root, &["spec", "parentRefs"])
            }
            _ => None,
        };
        let mut rewritten = rewritten;
        if let Some(root) = rewritten.as_mut() {
            // The rewritten object must be one the API server accepts: fields its schema does
            // not have (which `kubectl apply` refuses under strict field validation) are
            // dropped, each with a warning at its line.
            let object = ObjectRef {
                kind: kind.clone(),
                namespace: metadata_str(root, "namespace"),
                name: metadata_str(root, "name"),
            };
            let schema = if kind == "XListenerSet" {
                "ListenerSet v1"
            } else {
                kind.as_str()
            };
            for (path, line) in prune(root, shape_of(&kind), &String::new) {
                diagnostics.push(
                    Diagnostic::warning(
                        Some(doc.node_location(line)),
                        format!("{path}: field not declared in the schema of {schema} is dropped from the upgraded object (the API server refuses unknown fields)"),
                    )
                    .about(&object),
                );
            }
        }
        let name = metadata_str(&doc.root, "name");
        let namespace = Some(metadata_str(&doc.root, "namespace"))
            .filter(|ns| !ns.is_empty())
            .unwrap_or_else(|| default_namespace.to_string());
        let new_kind = if kind == "XListenerSet" {
            "ListenerSet"
        } else {
            kind.as_str()
        };
        let object = rewritten.map(|root| {
            Emitted::new(
                new_kind,
                &namespace,
                &name,
                Node {
                    line: doc.location.line,
                    value: Value::Map(root),
                },
            )
        });
        out.push(Upgraded {
            api_version: api_version.unwrap_or_default().to_string(),
            kind,
            namespace,
            name,
            location: doc.location.clone(),
            object,
            diagnostics,
        });
    }
    out
}

/// A copy of `root` with the references under `path` rewritten, when there were any.
fn rewritten_refs(root: &Map, path: &[&str]) -> Option<Map> {
    let mut root = root.clone();
    rewrite_refs(&mut root, path).then_some(root)
}

fn metadata_str(root: &Map, key: &str) -> String {
    root.get_value("metadata")
        .and_then(|m| m.str_at(&[key]))
        .unwrap_or_default()
        .to_string()
}

fn set_str(map: &mut Map, key: &str, value: &str) {
    if let Some(e) = map.entries.iter_mut().find(|e| e.key == key) {
        e.value.value = Value::str(value);
    }
}

/// Lines of listeners without a port (or port 0).
fn portless_listeners(root: &Map) -> Vec<u32> {
    let Some(Value::Seq(listeners)) = root
        .get_value("spec")
        .and_then(|s| s.path(&["listeners"]))
        .map(|n| &n.value)
    else {
        return Vec::new();
    };
    listeners
        .iter()
        .filter(|l| {
            !matches!(
                l.as_map().and_then(|m| m.get_value("port")).map(|p| &p.value),
                Some(Value::Int(p)) if *p > 0
            )
        })
        .map(|l| l.line)
        .collect()
}

/// Rewrites `{group: gateway.networking.x-k8s.io, kind: XListenerSet}` entries of the list
/// at `path` to ListenerSet v1; true when anything changed.
fn rewrite_refs(root: &mut Map, path: &[&str]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut map = root;
    for key in parents {
        let Some(Value::Map(inner)) = map
            .entries
            .iter_mut()
            .find(|e| e.key == *key)
            .map(|e| &mut e.value.value)
        else {
            return false;
        };
        map = inner;
    }
    let Some(Value::Seq(items)) = map
        .entries
        .iter_mut()
        .find(|e| e.key == *last)
        .map(|e| &mut e.value.value)
    else {
        return false;
    };
    let mut changed = false;
    for item in items {
        let Value::Map(reference) = &mut item.value else {
            continue;
        };
        let kind = reference.get_value("kind").and_then(|n| n.value.as_str());
        let group = reference.get_value("group").and_then(|n| n.value.as_str());
        let has_group = group.is_some();
        if kind == Some("XListenerSet") && matches!(group, Some(X_GROUP) | None) {
            set_str(reference, "kind", "ListenerSet");
            if has_group {
                set_str(reference, "group", GATEWAY_GROUP);
            }
            changed = true;
        }
    }
    changed
}

/// The fields of the parts of an object the upgrade rewrites, as the Gateway API CRDs declare
/// them (v1.5): `Open` stands for a part left as it is (a route's rules, free-form maps).
enum Shape {
    Fields(&'static [(&'static str, Shape)]),
    List(&'static Shape),
    Open,
}

use Shape::{Fields, List, Open};

const OBJECT_META: Shape = Open;

/// `spec.parentRefs[]` of every route kind (ParentReference).
const PARENT_REF: Shape = Fields(&[
    ("group", Open),
    ("kind", Open),
    ("namespace", Open),
    ("name", Open),
    ("sectionName", Open),
    ("port", Open),
]);

const ROUTE: Shape = Fields(&[
    ("apiVersion", Open),
    ("kind", Open),
    ("metadata", OBJECT_META),
    (
        "spec",
        Fields(&[
            ("parentRefs", List(&PARENT_REF)),
            ("hostnames", Open),
            ("rules", Open),
            ("useDefaultGateways", Open),
        ]),
    ),
    ("status", Open),
]);

const REFERENCE_GRANT: Shape = Fields(&[
    ("apiVersion", Open),
    ("kind", Open),
    ("metadata", OBJECT_META),
    (
        "spec",
        Fields(&[
            (
                "from",
                List(&Fields(&[
                    ("group", Open),
                    ("kind", Open),
                    ("namespace", Open),
                ])),
            ),
            (
                "to",
                List(&Fields(&[("group", Open), ("kind", Open), ("name", Open)])),
            ),
        ]),
    ),
]);

const LISTENER_SET: Shape = Fields(&[
    ("apiVersion", Open),
    ("kind", Open),
    ("metadata", OBJECT_META),
    (
        "spec",
        Fields(&[
            (
                "parentRef",
                Fields(&[
                    ("group", Open),
                    ("kind", Open),
                    ("namespace", Open),
                    ("name", Open),
                ]),
            ),
            (
                "listeners",
                List(&Fields(&[
                    ("name", Open),
                    ("hostname", Open),
                    ("port", Open),
                    ("protocol", Open),
                    (
                        "tls",
                        Fields(&[
                            ("mode", Open),
                            (
                                "certificateRefs",
                                List(&Fields(&[
                                    ("group", Open),
                                    ("kind", Open),
                                    ("name", Open),
                                    ("namespace", Open),
                                ])),
                            ),
                            ("options", Open),
                        ]),
                    ),
                    (
                        "allowedRoutes",
                        Fields(&[
                            (
                                "namespaces",
                                Fields(&[
                                    ("from", Open),
                                    (
                                        "selector",
                                        Fields(&[
                                            ("matchLabels", Open),
                                            ("matchExpressions", Open),
                                        ]),
                                    ),
                                ]),
                            ),
                            ("kinds", List(&Fields(&[("group", Open), ("kind", Open)]))),
                        ]),
                    ),
                ])),
            ),
        ]),
    ),
    ("status", Open),
]);

fn shape_of(kind: &str) -> &'static Shape {
    match kind {
        "XListenerSet" => &LISTENER_SET,
        "ReferenceGrant" => &REFERENCE_GRANT,
        _ => &ROUTE,
    }
}

/// Removes from `map` the fields `shape` does not declare, depth first; returns the path and
/// line of each. `path` is where `map` is, spelled only for what is dropped (most objects drop
/// nothing).
fn prune(map: &mut Map, shape: &Shape, path: &dyn Fn() -> String) -> Vec<(String, u32)> {
    let Fields(fields) = shape else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    map.entries.retain_mut(|entry| {
        let Some((_, inner)) = fields.iter().find(|(k, _)| entry.key == *k) else {
            dropped.push((join(&path(), &entry.key), entry.key_line));
            return false;
        };
        let key = entry.key.as_str();
        let here = || join(&path(), key);
        match (inner, &mut entry.value.value) {
            (Fields(_), Value::Map(m)) => dropped.extend(prune(m, inner, &here)),
            (List(item), Value::Seq(items)) => {
                for (i, node) in items.iter_mut().enumerate() {
                    if let Value::Map(m) = &mut node.value {
                        dropped.extend(prune(m, item, &|| format!("{}[{i}]", here())));
                    }
                }
            }
            _ => {}
        }
        true
    });
    dropped
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
