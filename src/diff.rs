//! `lsc diff`: the Certificates lsc renders against those in committed files or a cluster dump,
//! Certificate by Certificate, ignoring what the API server adds.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::{self, Diagnostic, Location};
use crate::emit;
use crate::model::CERTIFICATE_API;
use crate::source::tree::{Map, Node, Value};
use crate::source::{self, Document, InputSource};
use crate::{Plan, RenderOptions};

/// Fields of `metadata` the API server sets; manifests in git never carry them.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];

/// The annotation `kubectl apply` (client-side) stores the applied manifest in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Spec fields holding a Go duration: `2160h` and `2160h0m0s` mean the same to cert-manager.
const DURATION_FIELDS: &[&str] = &["duration", "renewBefore"];

/// How `lsc diff` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Unified diffs per Certificate, then a summary line.
    #[default]
    Text,
    /// One JSON object: `missing`, `extra`, `changed`, `unchanged`.
    Json,
}

/// What `lsc diff` does besides rendering.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    pub render: RenderOptions,
    pub format: Format,
}

/// How a Certificate compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Rendered, but not in the `--against` inputs.
    Missing,
    /// In the `--against` inputs, but not rendered.
    Extra,
    /// In both, different.
    Changed,
    /// In both, the same once server-added fields are dropped.
    Unchanged,
}

/// One Certificate's comparison; `diff` is empty when it is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub namespace: String,
    pub name: String,
    pub status: Status,
    pub diff: String,
}

/// Every Certificate compared, sorted by namespace and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub certificates: Vec<Difference>,
}

impl Comparison {
    pub fn count(&self, status: Status) -> usize {
        self.certificates
            .iter()
            .filter(|c| c.status == status)
            .count()
    }

    pub fn differs(&self) -> bool {
        self.certificates
            .iter()
            .any(|c| c.status != Status::Unchanged)
    }

    /// `N missing, N extra, N changed, N unchanged`.
    pub fn summary(&self) -> String {
        format!(
            "{} missing, {} extra, {} changed, {} unchanged",
            self.count(Status::Missing),
            self.count(Status::Extra),
            self.count(Status::Changed),
            self.count(Status::Unchanged)
        )
    }

    /// The diffs one after another, then the summary line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for c in &self.certificates {
            out.push_str(&c.diff);
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `{"missing": [{namespace, name}], "extra": [...], "changed": [{namespace, name, diff}],
    /// "unchanged": N}`, indented like kubectl's JSON.
    pub fn to_json(&self) -> String {
        let list = |status: Status| {
            let items = self
                .certificates
                .iter()
                .filter(|c| c.status == status)
                .map(|c| {
                    let mut item = Map::default();
                    item.push("namespace", Value::str(&c.namespace));
                    item.push("name", Value::str(&c.name));
                    if status == Status::Changed {
                        item.push("diff", Value::str(&c.diff));
                    }
                    Node::new(Value::Map(item))
                })
                .collect();
            Value::Seq(items)
        };
        let mut root = Map::default();
        root.push("missing", list(Status::Missing));
        root.push("extra", list(Status::Extra));
        root.push("changed", list(Status::Changed));
        let unchanged = i64::try_from(self.count(Status::Unchanged)).unwrap_or(i64::MAX);
        root.push("unchanged", Value::Int(unchanged));
        let mut out = String::new();
        emit::json::write_value(&mut out, &Value::Map(root), 0);
        out.push('\n');
        out
    }
}

/// The result of a run: stdout (empty on error), diagnostics for stderr, and whether the
/// Certificates differ.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub diagnostics: Vec<Diagnostic>,
    pub differs: bool,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Renders `inputs`, reads the Certificates of `against` and compares them: the whole
/// `lsc diff` pipeline.
pub fn diff(inputs: &[InputSource], against: &[InputSource], options: &DiffOptions) -> Outcome {
    let Plan {
        rendered,
        mut diagnostics,
        ..
    } = crate::plan(inputs, &options.render);

    let loaded = source::load(against, &options.render.limits);
    let mut against_diagnostics = loaded.diagnostics;
    diagnostics.extend(loaded.discovery);
    let existing = certificates_in(
        &loaded.documents,
        &options.render.shim.default_namespace,
        &mut against_diagnostics,
    );
    diag::sort(&mut against_diagnostics, &loaded.names);
    diagnostics.append(&mut against_diagnostics);

    let mut outcome = Outcome {
        diagnostics,
        ..Outcome::default()
    };
    if diag::failed(&mut outcome.diagnostics) {
        return outcome;
    }
    let rendered: BTreeMap<(String, String), Node> = rendered
        .certificates
        .iter()
        .map(|c| ((c.namespace.clone(), c.name.clone()), c.to_node()))
        .collect();
    let comparison = compare(&rendered, &existing);
    outcome.differs = comparison.differs();
    outcome.stdout = match options.format {
        Format::Text => comparison.to_text(),
        Format::Json => comparison.to_json(),
    };
    outcome
}

/// A Certificate from the `--against` inputs, with the input it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub file: Arc<str>,
    pub node: Node,
}

/// The `cert-manager.io/v1` Certificates among the documents (items of a `List` included, the
/// loader expands them), keyed by namespace and name; objects without a namespace get
/// `default_namespace`, as `kubectl apply -n` would give them.
pub fn certificates_in(
    documents: &[Document],
    default_namespace: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<(String, String), Existing> {
    let mut found: BTreeMap<(String, String), (Existing, Location)> = BTreeMap::new();
    for doc in documents {
        let is_certificate = doc.root.get_value("kind").and_then(|n| n.value.as_str())
            == Some("Certificate")
            && doc
                .root
                .get_value("apiVersion")
                .and_then(|n| n.value.as_str())
                == Some(CERTIFICATE_API);
        if !is_certificate {
            continue;
        }
        let node = Node {
            line: doc.location.line,
            value: Value::Map(doc.root.clone()),
        };
        let Some(name) = node.str_at(&["metadata", "name"]).filter(|n| !n.is_empty()) else {
            diagnostics.push(Diagnostic::error(
                Some(doc.location.clone()),
                "Certificate has no metadata.name; give it one or remove it from the --against inputs",
            ));
            continue;
        };
        let namespace = node
            .str_at(&["metadata", "namespace"])
            .filter(|n| !n.is_empty())
            .unwrap_or(default_namespace);
        let key = (namespace.to_string(), name.to_string());
        if let Some((_, first)) = found.get(&key) {
            diagnostics.push(Diagnostic::error(
                Some(doc.location.clone()),
                format!(
                    "Certificate {namespace}/{name} is also at {}:{}; give each Certificate once in the --against inputs",
                    first.file, first.line
                ),
            ));
            continue;
        }
        let existing = Existing {
            file: doc.location.file.clone(),
            node,
        };
        found.insert(key, (existing, doc.location.clone()));
    }
    found.into_iter().map(|(k, (e, _))| (k, e)).collect()
}

/// Compares rendered Certificates with existing ones, both keyed by namespace and name.
pub fn compare(
    rendered: &BTreeMap<(String, String), Node>,
    existing: &BTreeMap<(String, String), Existing>,
) -> Comparison {
    let mut keys: Vec<&(String, String)> = rendered.keys().chain(existing.keys()).collect();
    keys.sort();
    keys.dedup();
    let certificates = keys
        .into_iter()
        .map(|key| {
            let (namespace, name) = key;
            let id = format!("Certificate {namespace}/{name}");
            let (status, diff) = match (rendered.get(key), existing.get(key)) {
                (Some(new), None) => (
                    Status::Missing,
                    unified_diff(
                        "",
                        &yaml(new),
                        &format!("against: (none) {id}"),
                        &format!("rendered: {id}"),
                    ),
                ),
                (None, Some(old)) => {
                    let mut node = old.node.clone();
                    normalize(&mut node, namespace, None);
                    (
                        Status::Extra,
                        unified_diff(
                            &yaml(&node),
                            "",
                            &format!("against: {} {id}", old.file),
                            &format!("rendered: (none) {id}"),
                        ),
                    )
                }
                (Some(new), Some(old)) => {
                    let mut node = old.node.clone();
                    normalize(&mut node, namespace, Some(new));
                    if same(&node.value, &new.value) {
                        (Status::Unchanged, String::new())
                    } else {
                        align(&mut node, new);
                        (
                            Status::Changed,
                            unified_diff(
                                &yaml(&node),
                                &yaml(new),
                                &format!("against: {} {id}", old.file),
                                &format!("rendered: {id}"),
                            ),
                        )
                    }
                }
                (None, None) => (Status::Unchanged, String::new()),
            };
            Difference {
                namespace: namespace.clone(),
                name: name.clone(),
                status,
                diff,
            }
        })
        .collect();
    Comparison { certificates }
}

fn yaml(node: &Node) -> String {
    let mut out = String::new();
    emit::yaml::write_document(&mut out, node);
    out
}

fn unified_diff(old: &str, new: &str, old_header: &str, new_header: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(old_header, new_header)
        .to_string()
}

/// Two values mean the same to Kubernetes: mapping order is irrelevant, and scalars compare
/// as the API server would read them (YAML 1.1 words and octals included).
fn same(a: &Value, b: &Value) -> bool {
    emit::json::to_serde(a) == emit::json::to_serde(b)
}

fn map_mut(node: &mut Node) -> Option<&mut Map> {
    match &mut node.value {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

fn child_mut<'a>(map: &'a mut Map, key: &str) -> Option<&'a mut Node> {
    map.entries
        .iter_mut()
        .find(|e| e.key == key)
        .map(|e| &mut e.value)
}

/// Drops what the API server adds to an existing Certificate, so that only what a manifest
/// says is compared; `rendered` is its rendered counterpart, if any.
fn normalize(node: &mut Node, namespace: &str, rendered: Option<&Node>) {
    drop_nulls(node);
    let Some(root) = map_mut(node) else { return };
    root.entries.retain(|e| e.key != "status");
    match child_mut(root, "metadata").and_then(map_mut) {
        Some(metadata) => {
            metadata
                .entries
                .retain(|e| !SERVER_METADATA.contains(&e.key.as_str()));
            // Manifests in git have no uids, so lsc renders owner references only for inputs
            // that carry one (a cluster dump): compare them only then.
            let rendered_owned = rendered
                .and_then(|r| r.path(&["metadata", "ownerReferences"]))
                .is_some();
            if !rendered_owned {
                metadata.entries.retain(|e| e.key != "ownerReferences");
            }
            if let Some(annotations) = child_mut(metadata, "annotations").and_then(map_mut) {
                annotations.entries.retain(|e| e.key != LAST_APPLIED);
                if annotations.entries.is_empty() {
                    metadata.entries.retain(|e| e.key != "annotations");
                }
            }
            if metadata
                .get_value("namespace")
                .and_then(|n| n.value.as_str())
                .is_none_or(str::is_empty)
            {
                metadata.entries.retain(|e| e.key != "namespace");
                metadata.push("namespace", Value::str(namespace));
            }
        }
        None => {
            let mut metadata = Map::default();
            metadata.push("namespace", Value::str(namespace));
            root.push("metadata", Value::Map(metadata));
        }
    }
    // `2160h` as written and `2160h0m0s` as rendered are one duration: take the rendered text.
    let rendered_spec = rendered.and_then(|r| r.path(&["spec"]));
    if let (Some(spec), Some(rendered_spec)) =
        (child_mut(root, "spec").and_then(map_mut), rendered_spec)
    {
        for field in DURATION_FIELDS {
            let Some(want) = rendered_spec.str_at(&[field]) else {
                continue;
            };
            let Some(have) = child_mut(spec, field) else {
                continue;
            };
            let parsed = |s: &str| crate::golang::duration::parse(s).ok();
            if have
                .value
                .as_str()
                .and_then(parsed)
                .is_some_and(|d| Some(d) == parsed(want))
            {
                have.value = Value::str(want);
            }
        }
    }
}

/// Mapping entries set to null are absent: the API server prunes them from custom resources.
fn drop_nulls(node: &mut Node) {
    match &mut node.value {
        Value::Map(map) => {
            map.entries.retain(|e| e.value.value != Value::Null);
            for entry in &mut map.entries {
                drop_nulls(&mut entry.value);
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Makes `existing` look like `rendered` wherever the two mean the same (key order, quoting),
/// so the diff shows only what differs.
fn align(existing: &mut Node, rendered: &Node) {
    if same(&existing.value, &rendered.value) {
        existing.value = rendered.value.clone();
        return;
    }
    match (&mut existing.value, &rendered.value) {
        (Value::Map(have), Value::Map(want)) => {
            let mut entries = std::mem::take(&mut have.entries);
            let mut ordered = Vec::with_capacity(entries.len());
            for wanted in &want.entries {
                if let Some(i) = entries.iter().position(|e| e.key == wanted.key) {
                    let mut entry = entries.remove(i);
                    align(&mut entry.value, &wanted.value);
                    ordered.push(entry);
                }
            }
            ordered.append(&mut entries);
            have.entries = ordered;
        }
        (Value::Seq(have), Value::Seq(want)) => {
            for (item, wanted) in have.iter_mut().zip(want) {
                align(item, wanted);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        let (docs, err) = source::yaml::parse_documents(text, &source::Limits::default());
        assert!(err.is_none());
        docs.into_iter()
            .next()
            .and_then(|d| d.root)
            .unwrap_or_else(|| Node::new(Value::Null))
    }

    #[test]
    fn order_and_server_fields_do_not_count() {
        let rendered = node(
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: a\n  namespace: ns\nspec:\n  duration: 2160h0m0s\n  secretName: a\n",
        );
        let mut existing = node(
            "kind: Certificate\napiVersion: cert-manager.io/v1\nmetadata:\n  uid: x\n  name: a\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\nspec:\n  secretName: a\n  duration: 2160h\nstatus:\n  ready: true\n",
        );
        normalize(&mut existing, "ns", Some(&rendered));
        assert!(
            same(&existing.value, &rendered.value),
            "{}",
            yaml(&existing)
        );
    }

    #[test]
    fn align_puts_keys_in_rendered_order() {
        let rendered = node("a: 1\nb:\n  c: 2\n  d: 3\n");
        let mut existing = node("b:\n  e: 4\n  d: 3\n  c: 2\na: 1\n");
        align(&mut existing, &rendered);
        assert_eq!(yaml(&existing), "a: 1\nb:\n  c: 2\n  d: 3\n  e: 4\n");
    }
}
