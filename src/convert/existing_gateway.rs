//! `--gateway NAMESPACE/NAME` naming a Gateway that is among the inputs: the converted
//! ListenerSets attach to that Gateway as it is, instead of a new one replacing it (which would
//! drop its annotations and listeners' `allowedRoutes`, and widen its `allowedListeners`).

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::source::Document;
use crate::source::tree::{Map, Node, Value};

use super::{Emitted, TlsIn};

/// Is `doc` the Gateway `wanted` names (`namespace`, `name`), its namespace defaulting to
/// `default_namespace`?
pub fn is_named(doc: &Document, wanted: &(String, String), default_namespace: &str) -> bool {
    let root = &doc.root;
    let api_version = root.get_value("apiVersion").and_then(|n| n.value.as_str());
    let kind = root.get_value("kind").and_then(|n| n.value.as_str());
    let group = api_version.and_then(|v| v.rsplit_once('/')).map(|(g, _)| g);
    if group != Some("gateway.networking.k8s.io") || kind != Some("Gateway") {
        return false;
    }
    let meta = root.get_value("metadata");
    let name = meta.and_then(|m| m.str_at(&["name"]));
    let namespace = meta
        .and_then(|m| m.str_at(&["namespace"]))
        .filter(|ns| !ns.is_empty())
        .unwrap_or(default_namespace);
    name == Some(wanted.1.as_str()) && namespace == wanted.0
}

/// The Gateway of the inputs in place of the `planned` one: kept whole, with only
/// `spec.allowedListeners` added when it has none, so that the ListenerSets in `namespaces`
/// attach (said in a note). An error when it cannot admit them: `--tls-in gateway` (whose
/// listeners and annotations lsc does not merge into a Gateway), `allowedListeners` None, or
/// Same while ListenerSets are in other namespaces. Selector is kept with a warning: the
/// Namespaces' labels decide.
pub fn adopt(
    existing: &Document,
    planned: &Emitted,
    namespaces: &BTreeSet<String>,
    tls_in: TlsIn,
) -> Result<(Emitted, Vec<Diagnostic>), Diagnostic> {
    let id = format!("Gateway {}/{}", planned.namespace, planned.name);
    let at = |line: u32| Some(existing.node_location(line));
    if tls_in == TlsIn::Gateway {
        return Err(Diagnostic::error(
            at(0),
            format!(
                "{id} is in the inputs, and with --tls-in gateway the converted listeners and cert-manager annotations would go on it; lsc does not merge them into an existing Gateway: use the default layout (--tls-in listenerset), which leaves the Gateway as it is and puts them on ListenerSets"
            ),
        ));
    }
    let mut root = existing.root.clone();
    let spec = root
        .entries
        .iter_mut()
        .find(|e| e.key == "spec")
        .and_then(|e| match &mut e.value.value {
            Value::Map(m) => Some(m),
            _ => None,
        });
    let Some(spec) = spec else {
        return Err(Diagnostic::error(
            at(0),
            format!("{id} is in the inputs without a spec mapping"),
        ));
    };
    let allowed = spec.get("allowedListeners");
    let allowed_line = allowed.map_or(0, |e| e.key_line);
    let from = allowed
        .and_then(|e| e.value.str_at(&["namespaces", "from"]))
        .map(str::to_string);
    let outside: Vec<&str> = namespaces
        .iter()
        .map(String::as_str)
        .filter(|ns| *ns != planned.namespace)
        .collect();
    let listed = |list: &[&str]| list.join(", ");
    let mut diagnostics = Vec::new();
    match from.as_deref() {
        None if allowed.is_none() => {
            let Some(value) = planned_allowed_listeners(planned) else {
                return Err(Diagnostic::error(
                    at(0),
                    format!("{id} is in the inputs without allowedListeners"),
                ));
            };
            let shown = value
                .str_at(&["namespaces", "from"])
                .unwrap_or_default()
                .to_string();
            spec.push("allowedListeners", value.value);
            diagnostics.push(Diagnostic::warning(
                at(0),
                format!(
                    "{id} is in the inputs without allowedListeners, so it admits no ListenerSet: lsc keeps it as it is and adds only spec.allowedListeners (namespaces from {shown}) for the ListenerSets in {}",
                    listed(&namespaces.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            ));
        }
        Some("All") => {}
        Some("Same") if outside.is_empty() => {}
        Some("Selector") => {
            diagnostics.push(Diagnostic::warning(
                at(allowed_line),
                format!(
                    "{id} of the inputs selects ListenerSet namespaces by label (allowedListeners Selector), kept as it is: the ListenerSets in {} attach only if their Namespaces match it",
                    listed(&namespaces.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            ));
        }
        Some("Same") => {
            return Err(Diagnostic::error(
                at(allowed_line),
                format!(
                    "{id} of the inputs admits ListenerSets from its own namespace only (allowedListeners Same), so the ListenerSets in {} would not attach: allow them in its allowedListeners (All, or a Selector matching those namespaces), or give --gateway a Gateway in their namespace",
                    listed(&outside)
                ),
            ));
        }
        other => {
            return Err(Diagnostic::error(
                at(allowed_line),
                format!(
                    "{id} of the inputs admits no ListenerSet (allowedListeners from {}), so the converted ListenerSets would not attach: allow their namespaces ({}) in its allowedListeners",
                    other.unwrap_or("None"),
                    listed(&namespaces.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            ));
        }
    }
    let node = Node {
        line: existing.location.line,
        value: Value::Map(root),
    };
    let adopted = Emitted::new("Gateway", &planned.namespace, &planned.name, node)
        .from_source(Some(existing.location.clone()));
    Ok((adopted, diagnostics))
}

/// The `spec.allowedListeners` lsc planned for a new Gateway (`--allowed-listeners`, else All).
fn planned_allowed_listeners(planned: &Emitted) -> Option<Node> {
    let tree = planned.tree();
    let spec: &Map = tree.path(&["spec"])?.as_map()?;
    spec.get_value("allowedListeners").cloned()
}
