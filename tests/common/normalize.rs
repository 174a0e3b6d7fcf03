//! Gateway API objects in a comparable form: CRD defaults applied, status and annotations
//! dropped, and the lists whose order ingress2gateway leaves random sorted.

use serde_json::Value;

use lsc::emit::json::to_serde;
use lsc::source::yaml::{Limits, parse_documents};

fn set_default(object: &mut Value, key: &str, default: &str) {
    if let Some(map) = object.as_object_mut() {
        map.entry(key.to_string())
            .or_insert_with(|| Value::String(default.to_string()));
    }
}

fn sort_by_text(list: Option<&mut Value>) {
    if let Some(Value::Array(items)) = list {
        items.sort_by_key(|v| v.to_string());
    }
}

fn each(value: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    value
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

fn normalize(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("annotations");
            meta.remove("creationTimestamp");
        }
    }
    let spec = object.get_mut("spec");
    let Some(spec) = spec else { return object };
    for listener in each(spec.get_mut("listeners")) {
        if let Some(tls) = listener.get_mut("tls") {
            set_default(tls, "mode", "Terminate");
            for r in each(tls.get_mut("certificateRefs")) {
                set_default(r, "group", "");
                set_default(r, "kind", "Secret");
            }
            sort_by_text(tls.get_mut("certificateRefs"));
        }
    }
    sort_by_text(spec.get_mut("listeners"));
    for parent in each(spec.get_mut("parentRefs")) {
        set_default(parent, "group", "gateway.networking.k8s.io");
        set_default(parent, "kind", "Gateway");
    }
    for rule in each(spec.get_mut("rules")) {
        rule.as_object_mut().map(|r| r.remove("name"));
        for m in each(rule.get_mut("matches")) {
            for h in each(m.get_mut("headers")) {
                set_default(h, "type", "Exact");
            }
            if let Some(method) = m.get_mut("method") {
                set_default(method, "type", "Exact");
            }
        }
        for b in each(rule.get_mut("backendRefs")) {
            set_default(b, "group", "");
            set_default(b, "kind", "Service");
        }
        sort_by_text(rule.get_mut("backendRefs"));
    }
    object
}

/// Every object of a YAML stream, normalized and sorted by kind, namespace and name.
pub fn normalized_objects(yaml: &str) -> Value {
    let (docs, err) = parse_documents(yaml, &Limits::default());
    assert!(err.is_none(), "not valid YAML: {err:?}\n{yaml}");
    let mut objects: Vec<Value> = docs
        .into_iter()
        .filter_map(|d| d.root)
        .map(|root| normalize(to_serde(&root.value)))
        .collect();
    objects.sort_by_key(|o| {
        let text = |path: &[&str]| {
            path.iter()
                .try_fold(o, |v, k| v.get(*k))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        (
            text(&["kind"]),
            text(&["metadata", "namespace"]),
            text(&["metadata", "name"]),
        )
    });
    Value::Array(objects)
}
