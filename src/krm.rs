//! lsc as a kustomize KRM function: a `config.kubernetes.io/v1` ResourceList on stdin, its
//! `functionConfig` (`lsc.dev/v1alpha1` `Render` or `Convert`, fields mirroring the CLI
//! flags) choosing what to do, and a ResourceList out with the items plus the new objects and
//! every diagnostic as a `result`.

use std::sync::Arc;

use crate::controller_config::{self, FlagSettings};
use crate::convert::{self, AllowedListeners, ConvertOptions, ListenerSetApi, TlsIn};
use crate::diag::{Diagnostic, Location, Severity};
use crate::source::tree::{Map, Node, Value};
use crate::source::yaml::ItemSink;
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
        Ok((list, items)) => run_list(list, items, limits),
        Err(message) => fail(message),
    }
}

/// `lsc` without a subcommand: the function when stdin holds a ResourceList (kustomize runs
/// exec functions so), `None` for anything else, which is no call for the function.
pub fn run_if_resource_list(text: &str, limits: &Limits) -> Option<FunctionOutcome> {
    let (list, items) = resource_list(text, limits).ok()?;
    Some(run_list(list, items, limits))
}

/// The ResourceList mapping that `text` holds, without its items, and the items as they were
/// read ([`Items`]); or why it holds none.
fn resource_list(text: &str, limits: &Limits) -> Result<(Map, Items), String> {
    // Too many items are refused before any is read, as too many documents are.
    if let Some(line) = crate::source::too_many_list_items(text, limits.max_documents) {
        return Err(format!(
            "line {line}: invalid ResourceList: {}",
            crate::source::yaml::documents_message(limits.max_documents)
        ));
    }
    let mut items = Items::new(text.len());
    let mut first = None;
    let error = crate::source::yaml::parse_each_with_items(
        text,
        limits,
        &mut |document| {
            if first.is_none() {
                first = document.root;
            }
        },
        &mut items,
    );
    if let Some(e) = error {
        return Err(format!(
            "line {}: invalid ResourceList: {}",
            e.line, e.message
        ));
    }
    let Some(Value::Map(list)) = first.map(|n| n.value) else {
        return Err("stdin holds no ResourceList".to_string());
    };
    let kind = list.get_value("kind").and_then(|n| n.value.as_str());
    if kind != Some("ResourceList") {
        return Err(format!(
            "stdin holds a {} where a ResourceList ({RESOURCE_LIST_API}) was expected",
            kind.unwrap_or("document without kind")
        ));
    }
    Ok((list, items))
}

fn run_list(mut list: Map, mut items: Items, limits: &Limits) -> FunctionOutcome {
    // The parser hands the items over as it reads them; a list it keeps in the tree (one
    // with an anchor or a tag, or an alias) is taken from there.
    match list
        .entries
        .iter_mut()
        .find(|e| e.key == "items")
        .map(|e| &mut e.value.value)
    {
        Some(Value::Seq(kept)) => std::mem::take(kept)
            .into_iter()
            .for_each(|item| items.item(item)),
        None | Some(Value::Null) => {}
        Some(_) => return fail("ResourceList items: expected a list".to_string()),
    }
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
    let mut items = Items::new(objects.len());
    let error = crate::source::yaml::parse_each(objects, limits, &mut |document| {
        if let Some(root) = document.root.filter(|n| n.as_map().is_some()) {
            items.item(root);
        }
    });
    if let Some(e) = error {
        return fail(format!(
            "line {}: invalid YAML on stdin: {}",
            e.line, e.message
        ));
    }
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
    mut items: Items,
    config: Result<(Function, Vec<String>), String>,
    limits: &Limits,
) -> FunctionOutcome {
    let (function, paths) = match config {
        Ok(f) => f,
        Err(message) => {
            let mut outcome = items.finish(Vec::new(), vec![config_error(message)], &[]);
            outcome.failed = true;
            return outcome;
        }
    };
    let mut documents = std::mem::take(&mut items.documents);
    // `spec.paths`: more inputs read from disk (a generator's only inputs).
    let loaded = crate::source::load(&crate::source::given(&paths), limits);
    documents.extend(loaded.documents);
    let mut read_diagnostics = std::mem::take(&mut items.not_objects).into_diagnostics(&items.name);
    read_diagnostics.extend(loaded.discovery);
    read_diagnostics.extend(loaded.diagnostics);
    let order: Vec<Arc<str>> = std::iter::once(items.name.clone())
        .chain(loaded.names)
        .collect();
    match function {
        Function::Render(options) => {
            let plan = crate::plan_documents(documents, read_diagnostics, &order, &options);
            let mut diagnostics = plan.diagnostics;
            if crate::diag::failed(&mut diagnostics) {
                return items.finish(Vec::new(), diagnostics, &[]);
            }
            let new = plan
                .rendered
                .certificates
                .iter()
                .map(|c| located(c.to_node(), &c.namespace, "Certificate", &c.name))
                .collect();
            items.finish(new, diagnostics, &[])
        }
        Function::Convert {
            options,
            keep_ingresses,
        } => {
            let mut converted = convert::convert_documents(&documents, &options);
            converted.diagnostics.append(&mut read_diagnostics);
            crate::diag::sort(&mut converted.diagnostics, &order);
            if crate::diag::failed(&mut converted.diagnostics) {
                return items.finish(Vec::new(), converted.diagnostics, &[]);
            }
            // Looked up in a set: a scan of the list for every item took seconds at 100,000.
            let replaced: std::collections::HashSet<&crate::diag::ObjectRef> =
                converted.replaced.iter().collect();
            let left_out: Vec<usize> = items
                .objects
                .iter()
                .enumerate()
                .filter(|(_, item)| {
                    item.reference(&options.default_namespace)
                        .is_some_and(|reference| {
                            replaced.contains(&reference)
                                && (reference.kind != "Ingress" || !keep_ingresses)
                        })
                })
                .map(|(at, _)| at)
                .collect();
            let new = converted
                .objects
                .into_iter()
                .map(|o| located(o.body.into_tree(), &o.namespace, &o.kind, &o.name))
                .collect();
            items.finish(new, converted.diagnostics, &left_out)
        }
    }
}

/// The items of the ResourceList, taken one by one as the parser reads them
/// (`yaml::ItemSink`) and never all held as trees: each is written out at once, as the
/// ResourceList out prints it; an object goes on as a document to plan, with what the results
/// and convert need of it ([`Item`]); an empty mapping is refused where it is read, as
/// `source::documents` refuses one, so that millions of `{}` cost their text and a count.
/// Items that are not mappings are passed through, unread.
struct Items {
    name: Arc<str>,
    /// The ResourceList's first lines, up to `items:`, then every item as printed.
    text: String,
    /// Where the items start in `text`.
    start: usize,
    /// Items so far.
    count: usize,
    /// The items that are objects, in order.
    objects: Vec<Item>,
    documents: Vec<Document>,
    not_objects: crate::source::NotObjects,
}

/// An item that is an object: where its text is, and the fields of it the function reads
/// once it is planned.
struct Item {
    /// Its place among the items, from 0.
    index: usize,
    text: std::ops::Range<usize>,
    api_version: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    namespace: Option<String>,
    /// Its file, as kustomize's path annotation says.
    path: Option<String>,
}

impl Items {
    /// Items of an input of `size` bytes. An item is written about as long as it was read:
    /// room for the input and half as much again, for the new objects and the results, is
    /// set aside at once (memory is taken up only as it is written), so the text is not
    /// copied into a buffer twice as large, with the old one resident beside it, for the last
    /// few bytes.
    fn new(size: usize) -> Items {
        let head = format!("apiVersion: {RESOURCE_LIST_API}\nkind: ResourceList\nitems:\n");
        let mut text = String::with_capacity(head.len() + size.saturating_add(size / 2));
        text.push_str(&head);
        Items {
            name: Arc::from(STDIN),
            start: text.len(),
            text,
            count: 0,
            objects: Vec::new(),
            documents: Vec::new(),
            not_objects: crate::source::NotObjects::default(),
        }
    }

    /// The item numbered `index` (from 0), when it is an object.
    fn object(&self, index: usize) -> Option<&Item> {
        let at = self
            .objects
            .binary_search_by_key(&index, |item| item.index)
            .ok()?;
        self.objects.get(at)
    }

    /// The ResourceList out: the items but those `left_out` (places in `objects`), then the
    /// new objects, then the results.
    fn finish(
        self,
        new: Vec<Node>,
        diagnostics: Vec<Diagnostic>,
        left_out: &[usize],
    ) -> FunctionOutcome {
        let results: Vec<Node> = diagnostics
            .iter()
            .map(|d| Node::new(self.result(d)))
            .collect();
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        let cut: Vec<std::ops::Range<usize>> = left_out
            .iter()
            .filter_map(|at| self.objects.get(*at))
            .map(|item| item.text.clone())
            .collect();
        let mut stdout = without(self.text, &cut);
        if stdout.len() == self.start && new.is_empty() {
            stdout.truncate(self.start - "items:\n".len());
            stdout.push_str("items: []\n");
        }
        for node in &new {
            crate::emit::yaml::write_root_list_item(&mut stdout, node);
        }
        if !results.is_empty() {
            stdout.push_str("results:\n");
            for node in &results {
                crate::emit::yaml::write_root_list_item(&mut stdout, node);
            }
        }
        FunctionOutcome {
            stdout,
            diagnostics,
            failed,
        }
    }

    /// A KRM `result`: message, severity, and the item it is about (by the document number
    /// lsc gave each item) with its apiVersion and file.
    fn result(&self, d: &Diagnostic) -> Value {
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
            .and_then(|i| self.object(i));
        let object = d
            .object
            .as_ref()
            .map(|o| format!("{o}: "))
            .unwrap_or_default();
        let mut result = Map::default();
        result.push("message", Value::str(format!("{object}{}", d.message)));
        result.push("severity", Value::str(severity));
        if let Some(item) = item {
            let mut reference = Map::default();
            for (key, value) in [
                ("apiVersion", &item.api_version),
                ("kind", &item.kind),
                ("name", &item.name),
                ("namespace", &item.namespace),
            ] {
                if let Some(value) = value {
                    reference.push(key, Value::str(value.as_str()));
                }
            }
            if !reference.entries.is_empty() {
                result.push("resourceRef", Value::Map(reference));
            }
            if let Some(path) = &item.path {
                let mut file = Map::default();
                file.push("path", Value::str(path.as_str()));
                result.push("file", Value::Map(file));
            }
        }
        Value::Map(result)
    }
}

impl crate::source::yaml::ItemSink for Items {
    fn item(&mut self, item: Node) {
        let index = self.count;
        self.count += 1;
        let start = self.text.len();
        crate::emit::yaml::write_root_list_item(&mut self.text, &item);
        let location = Location {
            file: self.name.clone(),
            document: index + 1,
            line: item.line,
        };
        match item.value {
            Value::Map(map) if map.entries.is_empty() => self.not_objects.refuse_empty(location),
            Value::Map(map) => {
                self.objects
                    .push(Item::of(index, start..self.text.len(), &map));
                self.documents.push(Document {
                    location,
                    root: map,
                });
            }
            _ => {}
        }
    }

    fn restart(&mut self) {
        self.text.truncate(self.start);
        self.count = 0;
        self.objects.clear();
        self.documents.clear();
        self.not_objects = crate::source::NotObjects::default();
    }
}

impl Item {
    fn of(index: usize, text: std::ops::Range<usize>, map: &Map) -> Item {
        let string = |keys: &[&str]| match &node_at(map, keys)?.value {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        };
        let path = node_at(map, &["metadata", "annotations"])
            .and_then(Node::as_map)
            .and_then(|a| a.get_value(PATH).or_else(|| a.get_value(LEGACY_PATH)))
            .and_then(|n| n.value.as_str())
            .map(str::to_string);
        Item {
            index,
            text,
            api_version: string(&["apiVersion"]),
            kind: string(&["kind"]),
            name: string(&["metadata", "name"]),
            namespace: string(&["metadata", "namespace"]),
            path,
        }
    }

    /// The object by kind, namespace (`default_namespace` when it has none) and name.
    fn reference(&self, default_namespace: &str) -> Option<crate::diag::ObjectRef> {
        Some(crate::diag::ObjectRef {
            kind: self.kind.clone()?,
            namespace: self
                .namespace
                .as_deref()
                .filter(|ns| !ns.is_empty())
                .unwrap_or(default_namespace)
                .to_string(),
            name: self.name.clone()?,
        })
    }
}

/// The node at a path of mapping keys from `map`.
fn node_at<'m>(map: &'m Map, keys: &[&str]) -> Option<&'m Node> {
    let (first, rest) = keys.split_first()?;
    map.get_value(first)?.path(rest)
}

/// `text` without the byte ranges `cut` (in order, not overlapping), moved in place.
fn without(text: String, cut: &[std::ops::Range<usize>]) -> String {
    if cut.is_empty() {
        return text;
    }
    let mut bytes = text.into_bytes();
    let mut end = cut.first().map_or(0, |c| c.start);
    for (at, c) in cut.iter().enumerate() {
        let next = cut.get(at + 1).map_or(bytes.len(), |n| n.start);
        bytes.copy_within(c.end..next, end);
        end += next - c.end;
    }
    bytes.truncate(end);
    // Each range is whole items, so what is left is whole characters.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
        let release = choice(
            f.string("gatewayAPIVersion")?,
            "gatewayAPIVersion",
            &["1.4", "1.5", "1.6"],
        )?;
        let (gateway_api, listenerset_api) = crate::convert::listener_set_api(
            release.as_deref().and_then(crate::crd::Release::parse),
            api.as_deref().map(|api| {
                if api == "v1alpha1" {
                    ListenerSetApi::V1Alpha1
                } else {
                    ListenerSetApi::V1
                }
            }),
        )
        .map_err(|message| {
            format!("functionConfig spec.gatewayAPIVersion and spec.listenerSetAPI: {message}")
        })?;
        let classes = f.list("ingressClasses")?;
        let default_class = f.string("defaultIngressClass")?;
        let allow_unprotected = f.list("allowUnprotected")?;
        let keep_ingresses = f.bool("keepIngresses")?.unwrap_or(false);
        let providers = f.list("providers")?.unwrap_or_default();
        let providers = providers
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                <crate::convert::providers::Provider as clap::ValueEnum>::from_str(p, false)
                    .map_err(|_| format!("functionConfig spec.providers: unknown provider {p:?}"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let emitter = match f.string("emitter")? {
            None => crate::convert::emitters::Emitter::Standard,
            Some(e) => <crate::convert::emitters::Emitter as clap::ValueEnum>::from_str(&e, false)
                .map_err(|_| format!("functionConfig spec.emitter: unknown emitter {e:?}"))?,
        };
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
            listenerset_api,
            gateway_api,
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
            providers,
            emitter,
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

    #[test]
    fn gateway_api_version_is_read_from_the_convert_config() {
        let convert = |spec: &str| {
            run(
                &with_config(&format!(
                    "  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n{spec}"
                )),
                &Limits::default(),
            )
        };
        let kinds = |outcome: &FunctionOutcome| -> Vec<String> {
            items(outcome)
                .iter()
                .map(|i| i["kind"].as_str().unwrap().to_string())
                .collect()
        };
        // v1.4 serves XListenerSet, not ListenerSet v1.
        let old = convert("    gatewayAPIVersion: \"1.4\"\n");
        assert!(!old.failed, "{:?}", old.diagnostics);
        assert_eq!(
            kinds(&old),
            ["Gateway", "XListenerSet", "HTTPRoute", "HTTPRoute"]
        );
        let new = convert("    gatewayAPIVersion: \"1.5\"\n");
        assert!(!new.failed, "{:?}", new.diagnostics);
        assert_eq!(
            kinds(&new),
            ["Gateway", "ListenerSet", "HTTPRoute", "HTTPRoute"]
        );
        for (spec, message) in [
            (
                "    gatewayAPIVersion: \"1.3\"\n",
                "spec.gatewayAPIVersion: \"1.3\" is not one of 1.4, 1.5, 1.6",
            ),
            (
                "    gatewayAPIVersion: \"1.4\"\n    listenerSetAPI: v1\n",
                "Gateway API v1.4.1 serves no ListenerSet v1",
            ),
        ] {
            let outcome = convert(spec);
            assert!(outcome.failed, "{spec}");
            assert!(outcome.stdout.contains(message), "{}", outcome.stdout);
        }
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

    /// `emitter` in the Convert config: the protection an emitter translates is no loss, and
    /// its policy and GatewayClass come out; an unknown emitter is a result.
    #[test]
    fn convert_config_chooses_the_emitter() {
        let protected = INGRESS.replace(
            "      cert-manager.io/cluster-issuer: letsencrypt\n",
            "      cert-manager.io/cluster-issuer: letsencrypt\n      nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n",
        );
        let config = |spec: &str| {
            format!(
                "{protected}functionConfig:\n  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  spec:\n{spec}"
            )
        };
        assert!(run(&config("    emitter: standard\n"), &Limits::default()).failed);
        let emitted = run(&config("    emitter: envoy-gateway\n"), &Limits::default());
        assert!(!emitted.failed, "{:?}", emitted.diagnostics);
        let items = items(&emitted);
        assert!(items.iter().any(|i| i["kind"] == "SecurityPolicy"
            && i["spec"]["authorization"]["rules"][0]["principal"]["clientCIDRs"][0]
                == "10.0.0.0/8"));
        assert!(
            items
                .iter()
                .any(|i| i["kind"] == "Gateway" && i["spec"]["gatewayClassName"] == "eg")
        );
        let unknown = run(&config("    emitter: istio\n"), &Limits::default());
        assert!(unknown.failed);
        assert!(
            unknown.stdout.contains("unknown emitter \"istio\""),
            "{}",
            unknown.stdout
        );
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

    /// The list as JSON, or as one the parser keeps whole in the tree (an anchored one)
    /// rather than handing its items over one by one, is answered alike.
    #[test]
    fn every_form_of_the_list_is_answered_alike() {
        let yaml = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: web\n    namespace: shop\n    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt\n  spec:\n    tls:\n    - hosts:\n      - shop.example.com\n      secretName: shop-tls\n- x\n- - z\nfunctionConfig:\n  apiVersion: lsc.dev/v1alpha1\n  kind: Render\n";
        let json = r#"{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
             "metadata": {"name": "web", "namespace": "shop", "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"}},
             "spec": {"tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]}},
            "x", ["z"]],
          "functionConfig": {"apiVersion": "lsc.dev/v1alpha1", "kind": "Render"}}"#;
        let expected = run(yaml, &Limits::default());
        assert!(!expected.failed, "{:?}", expected.diagnostics);
        assert!(
            expected
                .stdout
                .contains("- x\n- - z\n- apiVersion: cert-manager.io/v1\n  kind: Certificate\n"),
            "{}",
            expected.stdout
        );
        let anchored = yaml.replace("items:\n", "items: &items\n");
        for text in [json, &anchored] {
            let outcome = run(text, &Limits::default());
            assert_eq!(outcome.stdout, expected.stdout, "{text}");
        }
    }

    #[test]
    fn no_items_are_an_empty_list() {
        for items in ["items: []\n", "", "items:\n"] {
            let outcome = run(
                &format!("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n{items}"),
                &Limits::default(),
            );
            assert!(!outcome.failed, "{:?}", outcome.diagnostics);
            assert_eq!(
                outcome.stdout,
                "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"
            );
        }
    }

    /// Items past `--max-documents` are counted by a line scan before any is read: the error
    /// in the first item is not reached. Under the bound, it is.
    #[test]
    fn too_many_items_are_refused_before_they_are_read() {
        let text = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- a: 1\n  a: 2\n{}",
            "- {}\n".repeat(10)
        );
        let limits = |max_documents| Limits {
            max_documents,
            ..Limits::default()
        };
        let refused = run(&text, &limits(5));
        assert_eq!(
            refused.diagnostics[0].message,
            "line 9: invalid ResourceList: more than 5 documents (List items included) in one input (--max-documents raises this bound)"
        );
        assert!(refused.stdout.is_empty());
        let read = run(&text, &limits(12));
        assert_eq!(
            read.diagnostics[0].message,
            "line 5: invalid ResourceList: duplicate key \"a\" (first defined at line 4)"
        );
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
