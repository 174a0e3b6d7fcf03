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
