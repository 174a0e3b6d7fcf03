//! lsc as a kustomize KRM function: a `config.kubernetes.io/v1` ResourceList on stdin, its
//! `functionConfig` (`lsc.dev/v1alpha1` `Render` or `Convert`, fields mirroring the CLI
//! flags) choosing what to do, and a ResourceList out with the items plus the new objects and
//! every diagnostic as a `result`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::controller_config::{self, FlagSettings};
use crate::convert::{self, AllowedListeners, ConvertOptions, ListenerSetApi, TlsIn};
use crate::diag::{Diagnostic, Location, Severity};
use crate::source::tree::{Map, Node, Value};
use crate::source::{Document, Limits};

pub const FUNCTION_API: &str = "lsc.dev/v1alpha1";
const RESOURCE_LIST_API: &str = "config.kubernetes.io/v1";
const PATH: &str = "internal.config.kubernetes.io/path";
const LEGACY_PATH: &str = "config.kubernetes.io/path";
const INDEX: &str = "internal.config.kubernetes.io/index";
const LEGACY_INDEX: &str = "config.kubernetes.io/index";
/// What names the items in diagnostics: they all come from one stream.
const STDIN: &str = "<stdin>";

/// What the function printed and whether kustomize must stop.
#[derive(Debug, Default)]
pub struct FunctionOutcome {
    pub stdout: String,
    /// The same diagnostics as the results, for the person reading kustomize's error.
    pub diagnostics: Vec<Diagnostic>,
    pub failed: bool,
}

/// Runs the function on a ResourceList's text.
pub fn run(text: &str, limits: &Limits) -> FunctionOutcome {
    match resource_list(text, limits) {
        Ok(list) => run_list(list, limits),
        Err(message) => fail(message),
    }
}

/// `lsc` without a subcommand: the function when stdin holds a ResourceList (kustomize runs
/// exec functions so), `None` for anything else, which is no call for the function.
pub fn run_if_resource_list(text: &str, limits: &Limits) -> Option<FunctionOutcome> {
    let list = resource_list(text, limits).ok()?;
    Some(run_list(list, limits))
}

/// The ResourceList mapping that `text` holds, or why it holds none.
fn resource_list(text: &str, limits: &Limits) -> Result<Map, String> {
    let (docs, error) = crate::source::yaml::parse_documents(text, limits);
    if let Some(e) = error {
        return Err(format!(
            "line {}: invalid ResourceList: {}",
            e.line, e.message
        ));
    }
    let Some(Value::Map(list)) = docs.into_iter().find_map(|d| d.root).map(|n| n.value) else {
        return Err("stdin holds no ResourceList".to_string());
    };
    let kind = list.get_value("kind").and_then(|n| n.value.as_str());
    if kind != Some("ResourceList") {
        return Err(format!(
            "stdin holds a {} where a ResourceList ({RESOURCE_LIST_API}) was expected",
            kind.unwrap_or("document without kind")
        ));
    }
    Ok(list)
}

fn run_list(mut list: Map, limits: &Limits) -> FunctionOutcome {
    let items_value = list.entries.iter_mut().find(|e| e.key == "items");
    // Taken, not copied: the items are most of the input.
    let items: Vec<Node> = match items_value.map(|e| &mut e.value.value) {
        Some(Value::Seq(items)) => std::mem::take(items),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return fail("ResourceList items: expected a list".to_string()),
    };
    let config = match list.get_value("functionConfig").map(|n| &n.value) {
        None | Some(Value::Null) => Ok((Function::Render(Box::default()), Vec::new())),
        Some(Value::Map(config)) => Function::parse(config, limits),
        Some(_) => Err("functionConfig: expected a mapping".to_string()),
    };
    apply(items, config, limits)
}

/// kustomize's legacy exec plugin protocol: lsc runs under the plugin's name (`Render` or
/// `Convert`), with the plugin's config file (the same functionConfig) as its argument and
/// the objects as a plain YAML stream on stdin (empty for a generator).
pub fn run_plugin(config_path: &str, objects: &str, limits: &Limits) -> FunctionOutcome {
    let config_text = match std::fs::read_to_string(config_path) {
        Ok(text) => text,
        Err(e) => return fail(format!("cannot read the plugin config {config_path}: {e}")),
    };
    let (docs, error) = crate::source::yaml::parse_documents(&config_text, limits);
    if let Some(e) = error {
        return fail(format!(
            "{config_path}:{}: invalid plugin config: {}",
            e.line, e.message
        ));
    }
    let Some(Value::Map(config)) = docs.into_iter().find_map(|d| d.root).map(|n| n.value) else {
        return fail(format!("{config_path}: the plugin config is not a mapping"));
    };
    let (docs, error) = crate::source::yaml::parse_documents(objects, limits);
    if let Some(e) = error {
        return fail(format!(
            "line {}: invalid YAML on stdin: {}",
            e.line, e.message
        ));
    }
    let items: Vec<Node> = docs
        .into_iter()
        .filter_map(|d| d.root)
        .filter(|n| n.as_map().is_some())
        .collect();
    apply(items, Function::parse(&config, limits), limits)
}

/// A failure before there is a ResourceList to answer with.
fn fail(message: String) -> FunctionOutcome {
    FunctionOutcome {
        stdout: String::new(),
        diagnostics: vec![Diagnostic::error(
            Some(Location {
                file: Arc::from(STDIN),
                document: 0,
                line: 0,
            }),
            message,
        )],
        failed: true,
    }
}

/// Runs the configured function on the items; `config` is the parsed functionConfig (with
/// its extra input paths) or why it is invalid.
fn apply(
    items: Vec<Node>,
    config: Result<(Function, Vec<String>), String>,
    limits: &Limits,
) -> FunctionOutcome {
    let name: Arc<str> = Arc::from(STDIN);
    let (function, paths) = match config {
        Ok(f) => f,
        Err(message) => {
            let mut outcome = finish(items, Vec::new(), vec![config_error(message)]);
            outcome.failed = true;
            return outcome;
        }
    };
    // Empty items are refused here, as `source::documents` refuses empty documents, so that
    // millions of `{}` cost no copy and no more than a bounded list of errors.
    let mut not_objects = crate::source::NotObjects::default();
    let mut documents: Vec<Document> = items
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let location = Location {
                file: name.clone(),
                document: i + 1,
                line: node.line,
            };
            let map = node.as_map()?;
            if map.entries.is_empty() {
                not_objects.refuse_empty(location);
                return None;
            }
            Some(Document {
                location,
                root: map.clone(),
            })
        })
        .collect();
    // `spec.paths`: more inputs read from disk (a generator's only inputs).
    let loaded = crate::source::load(&crate::source::given(&paths), limits);
    documents.extend(loaded.documents);
    let mut read_diagnostics = not_objects.into_diagnostics(&name);
    read_diagnostics.extend(loaded.discovery);
    read_diagnostics.extend(loaded.diagnostics);
    let order: Vec<Arc<str>> = std::iter::once(name.clone()).chain(loaded.names).collect();
    match function {
        Function::Render(options) => {
            let plan = crate::plan_documents(documents, read_diagnostics, &order, &options);
            let mut diagnostics = plan.diagnostics;
            if crate::diag::failed(&mut diagnostics) {
                return finish(items, Vec::new(), diagnostics);
            }
            let new = plan
                .rendered
                .certificates
                .iter()
                .map(|c| located(c.to_node(), &c.namespace, "Certificate", &c.name))
                .collect();
            finish(items, new, diagnostics)
        }
        Function::Convert {
            options,
            keep_ingresses,
        } => {
            let mut converted = convert::convert_documents(&documents, &options);
            converted.diagnostics.append(&mut read_diagnostics);
            crate::diag::sort(&mut converted.diagnostics, &order);
            if crate::diag::failed(&mut converted.diagnostics) {
                return finish(items, Vec::new(), converted.diagnostics);
            }
            // The results name the items by their number in the input, before any is left out.
            let results = results(&converted.diagnostics, &items);
            let kept: Vec<Node> = items
                .into_iter()
                .filter(|item| {
                    let Some(reference) = object_ref(item, &options.default_namespace) else {
                        return true;
                    };
                    let upgraded =
                        converted.replaced.contains(&reference) && reference.kind != "Ingress";
                    let ingress =
                        converted.replaced.contains(&reference) && reference.kind == "Ingress";
                    !(upgraded || (ingress && !keep_ingresses))
                })
                .collect();
            let new = converted
                .objects
                .into_iter()
                .map(|o| located(o.body.into_tree(), &o.namespace, &o.kind, &o.name))
                .collect();
            finish_with_results(kept, new, results, converted.diagnostics)
        }
    }
}

/// What the functionConfig asks for.
enum Function {
    Render(Box<crate::RenderOptions>),
    Convert {
        options: Box<ConvertOptions>,
        keep_ingresses: bool,
    },
}

/// The functionConfig's fields: each a string, a list of strings, a bool or (feature gates) a
/// map of bools; anything else is an error naming the field.
struct Fields<'a> {
    spec: &'a Map,
    used: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    /// The field's value (null counts as absent), noting that the field is known.
    fn field(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        self.spec
            .get_value(key)
            .map(|n| &n.value)
            .filter(|v| **v != Value::Null)
    }

    fn string(&mut self, key: &'static str) -> Result<Option<String>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(v) => v.as_str().map(|s| Some(s.to_string())).ok_or_else(|| {
                format!(
                    "functionConfig spec.{key}: expected a string, found {}",
                    v.type_name()
                )
            }),
        }
    }

    fn list(&mut self, key: &'static str) -> Result<Option<String>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Seq(items)) => items
                .iter()
                .map(|n| {
                    n.value.as_str().map(str::to_string).ok_or_else(|| {
                        format!("functionConfig spec.{key}: expected a list of strings")
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|v| Some(v.join(","))),
            Some(v) => Err(format!(
                "functionConfig spec.{key}: expected a list of strings, found {}",
                v.type_name()
            )),
        }
    }

    fn bool(&mut self, key: &'static str) -> Result<Option<bool>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(format!(
                "functionConfig spec.{key}: expected true or false, found {}",
                v.type_name()
            )),
        }
    }

    /// `featureGates: {ServerSideApply: true}` as the flag's `ServerSideApply=true`.
    fn gates(&mut self, key: &'static str) -> Result<Option<String>, String> {
        match self.field(key) {
            None => Ok(None),
            Some(Value::Map(m)) => m
                .entries
                .iter()
                .map(|e| match &e.value.value {
                    Value::Bool(b) => Ok(format!("{}={b}", e.key)),
                    _ => Err(format!(
                        "functionConfig spec.{key}.{}: expected true or false",
                        e.key
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(|v| Some(v.join(","))),
            Some(v) => Err(format!(
                "functionConfig spec.{key}: expected a mapping of gate names to true or false, found {}",
                v.type_name()
            )),
        }
    }

    /// Fields nobody read are typos: an error, as for a CRD with a strict schema.
    fn reject_unknown(&self, kind: &str) -> Result<(), String> {
        let unknown: Vec<&str> = self
            .spec
            .entries
            .iter()
            .map(|e| e.key.as_str())
            .filter(|k| !self.used.contains(k))
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "functionConfig {kind}: unknown field{} spec.{}; known fields: {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", spec."),
                self.used.join(", ")
            ))
        }
    }
}

impl Function {
    fn parse(config: &Map, limits: &Limits) -> Result<(Function, Vec<String>), String> {
        let api_version = config
            .get_value("apiVersion")
            .and_then(|n| n.value.as_str());
        let kind = config
            .get_value("kind")
            .and_then(|n| n.value.as_str())
            .unwrap_or_default();
        if api_version != Some(FUNCTION_API) || !matches!(kind, "Render" | "Convert") {
            return Err(format!(
                "functionConfig must be apiVersion {FUNCTION_API}, kind Render or Convert (found {} {kind})",
                api_version.unwrap_or("no apiVersion")
            ));
        }
        for key in config.entries.iter().map(|e| e.key.as_str()) {
            if !["apiVersion", "kind", "metadata", "spec"].contains(&key) {
                return Err(format!(
                    "functionConfig {kind}: unknown field {key} (settings go under spec)"
                ));
            }
        }
        let empty = Map::default();
        let spec = match config.get_value("spec").map(|n| &n.value) {
            None | Some(Value::Null) => &empty,
            Some(Value::Map(m)) => m,
            Some(v) => {
                return Err(format!(
                    "functionConfig spec: expected a mapping, found {}",
                    v.type_name()
                ));
            }
        };
        let mut f = Fields {
            spec,
            used: Vec::new(),
        };
        let namespace = f
            .string("namespace")?
            .unwrap_or_else(|| "default".to_string());
        let paths: Vec<String> = f
            .list("paths")?
            .map(|p| {
                p.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let mut flags = FlagSettings {
            controller_config: None,
            default_issuer_name: f.string("defaultIssuerName")?,
            default_issuer_kind: f.string("defaultIssuerKind")?,
            default_issuer_group: f.string("defaultIssuerGroup")?,
            auto_certificate_annotations: f.list("autoCertificateAnnotations")?,
            extra_certificate_annotations: f.list("extraCertificateAnnotations")?,
            extra_protocols: None,
            enable_gateway_api: None,
            enable_listener_set: None,
            feature_gates: None,
            namespace: namespace.clone(),
            cert_manager_version: f.string("certManagerVersion")?,
        };
        if kind == "Render" {
            flags.extra_protocols = f.list("gatewayAPIExtraProtocols")?;
            flags.enable_gateway_api = f.bool("enableGatewayAPI")?;
            flags.enable_listener_set = f.bool("enableGatewayAPIListenerSet")?;
            flags.feature_gates = f.gates("featureGates")?;
            f.reject_unknown(kind)?;
            let shim = controller_config::resolve(&flags, limits).map_err(|d| d.message)?;
            return Ok((
                Function::Render(Box::new(crate::RenderOptions {
                    shim,
                    limits: *limits,
                    ..crate::RenderOptions::default()
                })),
                paths,
            ));
        }
        let choice = |value: Option<String>,
                      key: &str,
                      allowed: &[&str]|
         -> Result<Option<String>, String> {
            match value {
                Some(v) if !allowed.contains(&v.as_str()) => Err(format!(
                    "functionConfig spec.{key}: {v:?} is not one of {}",
                    allowed.join(", ")
                )),
                other => Ok(other),
            }
        };
        let tls_in = choice(f.string("tlsIn")?, "tlsIn", &["listenerset", "gateway"])?;
        let gateway = f.string("gateway")?;
        let gateway_class = f.string("gatewayClass")?;
        let allowed = choice(
            f.string("allowedListeners")?,
            "allowedListeners",
            &["Same", "All", "Selector"],
        )?;
        let api = choice(
            f.string("listenerSetAPI")?,
            "listenerSetAPI",
            &["v1", "v1alpha1"],
        )?;
        let classes = f.list("ingressClasses")?;
        let default_class = f.string("defaultIngressClass")?;
        let allow_unprotected = f.list("allowUnprotected")?;
        let keep_ingresses = f.bool("keepIngresses")?.unwrap_or(false);
        f.reject_unknown(kind)?;
        let shim = controller_config::resolve(&flags, limits).map_err(|d| d.message)?;
        let gateway = match gateway {
            None => None,
            Some(g) => match g.split_once('/') {
                Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                    Some((ns.to_string(), name.to_string()))
                }
                _ => {
                    return Err(format!(
                        "functionConfig spec.gateway: {g:?}: expected NAMESPACE/NAME"
                    ));
                }
            },
        };
        let options = ConvertOptions {
            limits: *limits,
            default_namespace: namespace,
            tls_in: if tls_in.as_deref() == Some("gateway") {
                TlsIn::Gateway
            } else {
                TlsIn::ListenerSet
            },
            listenerset_api: if api.as_deref() == Some("v1alpha1") {
                ListenerSetApi::V1Alpha1
            } else {
                ListenerSetApi::V1
            },
            gateway,
            gateway_class,
            keep: crate::convert::Keep::Tree,
            allowed_listeners: allowed.map(|a| match a.as_str() {
                "All" => AllowedListeners::All,
                "Selector" => AllowedListeners::Selector,
                _ => AllowedListeners::Same,
            }),
            ingress_classes: classes
                .map(|c| {
                    c.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            default_ingress_class: default_class,
            allow_unprotected: crate::convert::security::AllowUnprotected::from_values(
                allow_unprotected.iter().flat_map(|a| a.split(',')),
            ),
            shim,
        };
        if let Some(message) = crate::convert::layout_refused(&options) {
            return Err(message);
        }
        Ok((
            Function::Convert {
                options: Box::new(options),
                keep_ingresses,
            },
            paths,
        ))
    }
}

fn config_error(message: String) -> Diagnostic {
    Diagnostic::error(None, message)
}

fn annotations_of(item: &Node) -> Option<&Map> {
    item.path(&["metadata", "annotations"])
        .and_then(Node::as_map)
}

fn object_ref(item: &Node, default_namespace: &str) -> Option<crate::diag::ObjectRef> {
    Some(crate::diag::ObjectRef {
        kind: item.str_at(&["kind"])?.to_string(),
        namespace: item
            .str_at(&["metadata", "namespace"])
            .filter(|ns| !ns.is_empty())
            .unwrap_or(default_namespace)
            .to_string(),
        name: item.str_at(&["metadata", "name"])?.to_string(),
    })
}

/// A new object with the path annotations kustomize and kpt file it under:
/// `<namespace>/<kind>-<name>.yaml`, index 0.
fn located(mut node: Node, namespace: &str, kind: &str, name: &str) -> Node {
    let path = crate::emit::files::relative_path(namespace, kind, name, crate::emit::Format::Yaml);
    if let Value::Map(root) = &mut node.value {
        let metadata = match root.entries.iter_mut().find(|e| e.key == "metadata") {
            Some(e) => &mut e.value.value,
            None => {
                root.push("metadata", Value::Map(Map::default()));
                match root.entries.last_mut() {
                    Some(e) => &mut e.value.value,
                    None => return node,
                }
            }
        };
        if let Value::Map(metadata) = metadata {
            if metadata.get("annotations").is_none() {
                metadata.push("annotations", Value::Map(Map::default()));
            }
            if let Some(Value::Map(annotations)) = metadata
                .entries
                .iter_mut()
                .find(|e| e.key == "annotations")
                .map(|e| &mut e.value.value)
            {
                for (key, value) in [
                    (PATH, path.as_str()),
                    (INDEX, "0"),
                    (LEGACY_PATH, path.as_str()),
                    (LEGACY_INDEX, "0"),
                ] {
                    annotations.push(key, Value::str(value));
                }
            }
        }
    }
    node
}

/// The ResourceList out: items, then the new objects, then the results.
fn finish(items: Vec<Node>, new: Vec<Node>, diagnostics: Vec<Diagnostic>) -> FunctionOutcome {
    let results = results(&diagnostics, &items);
    finish_with_results(items, new, results, diagnostics)
}

/// The diagnostics as KRM results, each about the item (of `items`, all the input's) it names.
fn results(diagnostics: &[Diagnostic], items: &[Node]) -> Vec<Node> {
    diagnostics
        .iter()
        .map(|d| Node::new(result(d, items)))
        .collect()
}

/// [`finish`] with the results made.
fn finish_with_results(
    items: Vec<Node>,
    new: Vec<Node>,
    results: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
) -> FunctionOutcome {
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut list = Map::default();
    list.push("apiVersion", Value::str(RESOURCE_LIST_API));
    list.push("kind", Value::str("ResourceList"));
    list.push("items", Value::Seq(items.into_iter().chain(new).collect()));
    if !results.is_empty() {
        list.push("results", Value::Seq(results));
    }
    let mut stdout = String::new();
    crate::emit::yaml::write_document(&mut stdout, &Node::new(Value::Map(list)));
    FunctionOutcome {
        stdout,
        diagnostics,
        failed,
    }
}

/// A KRM `result`: message, severity, and the item it is about (by the document number lsc
/// gave each item) with its apiVersion and file.
fn result(d: &Diagnostic, items: &[Node]) -> Value {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "info",
    };
    let item = d
        .location
        .as_ref()
        .filter(|l| &*l.file == STDIN)
        .and_then(|l| l.document.checked_sub(1))
        .and_then(|i| items.get(i));
    let object = d
        .object
        .as_ref()
        .map(|o| format!("{o}: "))
        .unwrap_or_default();
    let mut result = Map::default();
    result.push("message", Value::str(format!("{object}{}", d.message)));
    result.push("severity", Value::str(severity));
    let reference = item.map(|i| {
        let mut r: BTreeMap<&str, String> = BTreeMap::new();
        for (key, path) in [
            ("apiVersion", &["apiVersion"][..]),
            ("kind", &["kind"][..]),
            ("name", &["metadata", "name"][..]),
            ("namespace", &["metadata", "namespace"][..]),
        ] {
            if let Some(v) = i.str_at(path) {
                r.insert(key, v.to_string());
            }
        }
        r
    });
    if let Some(reference) = reference.filter(|r| !r.is_empty()) {
        let mut m = Map::default();
        for (k, v) in reference {
            m.push(k, Value::str(v));
        }
        result.push("resourceRef", Value::Map(m));
    }
    let path = item.and_then(annotations_of).and_then(|a| {
        a.get_value(PATH)
            .or_else(|| a.get_value(LEGACY_PATH))
            .and_then(|n| n.value.as_str())
    });
    if let Some(path) = path {
        let mut file = Map::default();
        file.push("path", Value::str(path));
        result.push("file", Value::Map(file));
    }
    Value::Map(result)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    const INGRESS: &str = "apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
    namespace: shop
    annotations:
      cert-manager.io/cluster-issuer: letsencrypt
      config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: apps/web.yaml
      config.kubernetes.io/path: apps/web.yaml
      internal.config.kubernetes.io/id: '1'
  spec:
    ingressClassName: nginx
    tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
    rules:
    - host: shop.example.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend: {service: {name: web, port: {number: 80}}}
";

    fn items(outcome: &FunctionOutcome) -> Vec<serde_json::Value> {
        let (docs, err) = crate::source::yaml::parse_documents(&outcome.stdout, &Limits::default());
        assert!(err.is_none(), "{}", outcome.stdout);
        let root = crate::emit::json::to_serde(&docs[0].root.as_ref().unwrap().value);
        assert_eq!(root["kind"], "ResourceList");
        root["items"].as_array().unwrap().clone()
    }

    fn with_config(config: &str) -> String {
        format!("{INGRESS}functionConfig:\n{config}")
    }

    #[test]
    fn render_keeps_items_and_their_annotations_and_adds_certificates() {
        let outcome = run(
            &with_config("  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n"),
            &Limits::default(),
        );
        assert!(!outcome.failed);
        let items = items(&outcome);
        assert_eq!(items.len(), 2);
        let kept = &items[0]["metadata"]["annotations"];
        assert_eq!(kept["internal.config.kubernetes.io/path"], "apps/web.yaml");
        assert_eq!(kept["internal.config.kubernetes.io/id"], "1");
        assert_eq!(kept["config.kubernetes.io/index"], "0");
        assert_eq!(items[1]["kind"], "Certificate");
        let new = &items[1]["metadata"]["annotations"];
        assert_eq!(
            new["internal.config.kubernetes.io/path"],
            "shop/certificate-shop-tls.yaml"
        );
        assert_eq!(new["config.kubernetes.io/index"], "0");
    }

    #[test]
    fn cert_manager_version_is_read_from_the_function_config() {
        let config = |version: &str, spec: &str| {
            with_config(&format!(
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n  spec:\n    certManagerVersion: \"{version}\"\n{spec}"
            ))
        };
        let ok = run(
            &config("v1.18.3", "    extraCertificateAnnotations: [a]\n"),
            &Limits::default(),
        );
        assert!(!ok.failed, "{:?}", ok.diagnostics);
        for (version, spec, message) in [
            (
                "1.17",
                "    extraCertificateAnnotations: [a]\n",
                "cert-manager v1.17 has no such flag; it came in v1.18",
            ),
            ("1.16", "", "lsc does not know cert-manager 1.16"),
        ] {
            let outcome = run(&config(version, spec), &Limits::default());
            assert!(outcome.failed, "{version}");
            assert!(outcome.stdout.contains(message), "{}", outcome.stdout);
        }
        // The Convert function too: v1.19 reads no ListenerSet, so the default layout is refused.
        let convert = run(
            &with_config(
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n    gateway: infra/shared\n    certManagerVersion: \"1.19\"\n",
            ),
            &Limits::default(),
        );
        assert!(convert.failed);
        assert!(
            convert
                .stdout
                .contains("cert-manager v1.19 reads no ListenerSet"),
            "{}",
            convert.stdout
        );
    }

    #[test]
    fn convert_replaces_the_ingress_unless_kept() {
        let outcome = run(
            &with_config(
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n    gateway: infra/shared\n",
            ),
            &Limits::default(),
        );
        assert!(!outcome.failed, "{:?}", outcome.diagnostics);
        let kinds: Vec<String> = items(&outcome)
            .iter()
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds, ["Gateway", "ListenerSet", "HTTPRoute", "HTTPRoute"]);
        let kept = run(
            &with_config(
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n    keepIngresses: true\n",
            ),
            &Limits::default(),
        );
        assert_eq!(items(&kept)[0]["kind"], "Ingress");
    }

    /// The Ingress item again, from another file and with another issuer: the later item
    /// wins in both functions, as with `kubectl apply`, with a warning result.
    #[test]
    fn an_item_defined_again_replaces_the_earlier_one() {
        let (_, item) = INGRESS.split_once("items:\n").unwrap();
        let later = item
            .replace(
                "cluster-issuer: letsencrypt\n",
                "cluster-issuer: letsencrypt-prod\n",
            )
            .replace("apps/web.yaml", "apps/web-final.yaml");
        let text = |config: &str| format!("{INGRESS}{later}functionConfig:\n{config}");
        let defined_again = |outcome: &FunctionOutcome| {
            let warnings: Vec<String> = outcome
                .diagnostics
                .iter()
                .filter(|d| d.message.starts_with("defined again"))
                .map(ToString::to_string)
                .collect();
            assert_eq!(
                warnings,
                [
                    "warning: <stdin>:28: document 2: Ingress shop/web: defined again; the definition at <stdin>:4 is replaced by this one (the last definition wins, as with kubectl apply)"
                ],
                "{:?}",
                outcome.diagnostics
            );
        };

        let rendered = run(
            &text("  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n"),
            &Limits::default(),
        );
        assert!(!rendered.failed, "{:?}", rendered.diagnostics);
        defined_again(&rendered);
        // The result is about the later item, in its file.
        assert!(
            rendered.stdout.contains(
                "- message: 'Ingress shop/web: defined again; the definition at <stdin>:4 is replaced by this one (the last definition wins, as with kubectl apply)'\n  severity: warning\n  resourceRef:\n    apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    name: web\n    namespace: shop\n  file:\n    path: apps/web-final.yaml\n"
            ),
            "{}",
            rendered.stdout
        );
        let rendered_items = items(&rendered);
        let certificates: Vec<&serde_json::Value> = rendered_items
            .iter()
            .filter(|i| i["kind"] == "Certificate")
            .collect();
        assert_eq!(certificates.len(), 1, "{rendered_items:?}");
        assert_eq!(
            certificates[0]["spec"]["issuerRef"]["name"],
            "letsencrypt-prod"
        );

        let converted = run(
            &text("  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n"),
            &Limits::default(),
        );
        assert!(!converted.failed, "{:?}", converted.diagnostics);
        defined_again(&converted);
        let items = items(&converted);
        let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["Gateway", "ListenerSet", "HTTPRoute", "HTTPRoute"]);
        assert_eq!(
            items[1]["metadata"]["annotations"]["cert-manager.io/cluster-issuer"],
            "letsencrypt-prod"
        );
    }

    /// The Ingress item is left out once converted, and the results about it still name it
    /// and its file (they named the item after it, which took its place in the list).
    #[test]
    fn results_about_a_converted_item_name_that_item() {
        let protected = INGRESS.replace(
            "      cert-manager.io/cluster-issuer: letsencrypt\n",
            "      cert-manager.io/cluster-issuer: letsencrypt\n      nginx.ingress.kubernetes.io/limit-rps: '5'\n",
        );
        let service = "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n    namespace: shop\n    annotations:\n      internal.config.kubernetes.io/path: apps/service.yaml\n  spec:\n    ports: [{port: 80}]\n";
        let outcome = run(
            &format!(
                "{protected}{service}functionConfig:\n  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n    allowUnprotected: [all]\n"
            ),
            &Limits::default(),
        );
        assert!(!outcome.failed, "{:?}", outcome.diagnostics);
        let (_, results) = outcome.stdout.split_once("\nresults:\n").unwrap();
        assert!(results.contains("limit-rps"), "{results}");
        assert!(
            results.contains("  resourceRef:\n    apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    name: web\n    namespace: shop\n  file:\n    path: apps/web.yaml\n"),
            "{results}"
        );
        assert!(!results.contains("Service"), "{results}");
        let kinds: Vec<String> = items(&outcome)
            .iter()
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds[0], "Service");
    }

    #[test]
    fn convert_accepts_lost_protection_only_for_the_hosts_of_allow_unprotected() {
        let protected = INGRESS.replace(
            "      cert-manager.io/cluster-issuer: letsencrypt\n",
            "      cert-manager.io/cluster-issuer: letsencrypt\n      nginx.ingress.kubernetes.io/limit-rps: '5'\n",
        );
        let config = |spec: &str| {
            format!(
                "{protected}functionConfig:\n  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n{spec}"
            )
        };
        let refused = run(&config("    gateway: infra/shared\n"), &Limits::default());
        assert!(refused.failed);
        assert!(
            refused
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains("--allow-unprotected shop.example.com")),
            "{:?}",
            refused.diagnostics
        );
        for hosts in ["[shop.example.com]", "[all]"] {
            let accepted = run(
                &config(&format!(
                    "    gateway: infra/shared\n    allowUnprotected: {hosts}\n"
                )),
                &Limits::default(),
            );
            assert!(!accepted.failed, "{hosts}: {:?}", accepted.diagnostics);
            assert!(accepted.diagnostics.iter().any(|d| !d.is_error()
                && d.message.contains("limit-rps")
                && d.message.contains("as --allow-unprotected accepts")));
        }
        let other = run(
            &config("    gateway: infra/shared\n    allowUnprotected: [other.example.com]\n"),
            &Limits::default(),
        );
        assert!(other.failed);
    }

    #[test]
    fn unknown_fields_and_kinds_are_rejected_as_results() {
        for (config, message) in [
            (
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n  spec:\n    defaultIssuerNmae: x\n",
                "unknown field spec.defaultIssuerNmae",
            ),
            (
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n  sepc: {}\n",
                "unknown field sepc",
            ),
            (
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Explode\n",
                "kind Render or Convert",
            ),
            (
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n    tlsIn: gateways\n",
                "\"gateways\" is not one of listenerset, gateway",
            ),
            (
                "  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n  spec:\n    enableGatewayAPI: \"yes\"\n",
                "expected true or false",
            ),
        ] {
            let outcome = run(&with_config(config), &Limits::default());
            assert!(outcome.failed, "{config}");
            assert!(
                outcome.stdout.contains("severity: error"),
                "{}",
                outcome.stdout
            );
            assert!(
                outcome.stdout.contains(message),
                "{message}: {}",
                outcome.stdout
            );
            // The items pass through untouched.
            assert_eq!(items(&outcome).len(), 1);
        }
    }

    #[test]
    fn errors_become_results_with_the_item_and_its_file() {
        let bad = INGRESS.replace(
            "cert-manager.io/cluster-issuer: letsencrypt",
            "cert-manager.io/cluster-issuer: letsencrypt\n      cert-manager.io/duration: soon",
        );
        let outcome = run(&bad, &Limits::default());
        assert!(outcome.failed);
        assert!(
            outcome
                .stdout
                .contains("results:\n- message: 'Ingress shop/web: "),
            "{}",
            outcome.stdout
        );
        assert!(outcome.stdout.contains("  resourceRef:\n    apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    name: web\n    namespace: shop\n  file:\n    path: apps/web.yaml\n"), "{}", outcome.stdout);
        assert_eq!(items(&outcome).len(), 1);
    }

    #[test]
    fn legacy_plugin_reads_a_stream_and_a_config_file() {
        let dir = std::env::temp_dir().join(format!("lsc-krm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.yaml");
        std::fs::write(
            &config,
            "apiVersion: lsc.dev/v1alpha1\nkind: Render\nmetadata:\n  name: certs\n",
        )
        .unwrap();
        let stream = INGRESS
            .split_once("items:\n- ")
            .unwrap()
            .1
            .lines()
            .map(|l| l.strip_prefix("  ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        let outcome = run_plugin(
            config.to_str().unwrap(),
            &format!("{stream}\n"),
            &Limits::default(),
        );
        assert!(!outcome.failed, "{:?}", outcome.diagnostics);
        let kinds: Vec<String> = items(&outcome)
            .iter()
            .map(|i| i["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds, ["Ingress", "Certificate"]);
        let missing = run_plugin(
            dir.join("none.yaml").to_str().unwrap(),
            "",
            &Limits::default(),
        );
        assert!(missing.failed);
        assert!(
            missing.diagnostics[0]
                .message
                .contains("cannot read the plugin config")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn not_a_resource_list() {
        let outcome = run("apiVersion: v1\nkind: ConfigMap\n", &Limits::default());
        assert!(outcome.failed);
        assert!(
            outcome.diagnostics[0]
                .message
                .contains("where a ResourceList")
        );
    }
}
