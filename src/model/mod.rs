//! Typed views of the kinds lsc understands, parsed from documents. Only the fields the
//! planners use are read; everything else stays in the document and passes through untouched.

pub mod duplicates;
pub mod fields;
pub mod hosts;

use crate::diag::{Diagnostic, Location, ObjectRef};
use crate::source::Document;
use crate::source::tree::{Map, Value};
use fields::{FieldError, FieldResult, Located, SortedMap};

pub const INGRESS_API: &str = "networking.k8s.io/v1";
pub const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";
pub const XLISTENERSET_API: &str = "gateway.networking.x-k8s.io/v1alpha1";
pub const CERTIFICATE_API: &str = "cert-manager.io/v1";

/// The kinds `lsc render` builds trees for (see `Limits::only_kinds`).
pub const SHIM_KINDS: &[&str] = &["Ingress", "Gateway", "ListenerSet", "XListenerSet"];

/// The kinds of objects cert-manager's shim turns into Certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    Ingress,
    Gateway,
    ListenerSet,
    XListenerSet,
}

impl SourceKind {
    pub fn kind(self) -> &'static str {
        match self {
            SourceKind::Ingress => "Ingress",
            SourceKind::Gateway => "Gateway",
            SourceKind::ListenerSet => "ListenerSet",
            SourceKind::XListenerSet => "XListenerSet",
        }
    }

    /// The apiVersion written into owner references.
    pub fn api_version(self) -> &'static str {
        match self {
            SourceKind::Ingress => INGRESS_API,
            SourceKind::Gateway | SourceKind::ListenerSet => GATEWAY_API,
            SourceKind::XListenerSet => XLISTENERSET_API,
        }
    }

    /// The API group, whatever version the object was written in.
    pub fn group(self) -> &'static str {
        match self {
            SourceKind::Ingress => "networking.k8s.io",
            SourceKind::Gateway | SourceKind::ListenerSet => "gateway.networking.k8s.io",
            SourceKind::XListenerSet => "gateway.networking.x-k8s.io",
        }
    }

    pub fn is_listener_set(self) -> bool {
        matches!(self, SourceKind::ListenerSet | SourceKind::XListenerSet)
    }
}

/// Which of the known kinds a document is, by group and kind; the versions each group serves.
/// `Err` names a known kind at a version Kubernetes or Gateway API does not serve.
fn classify(api_version: &str, kind: &str) -> Result<Option<SourceKind>, String> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    let (known, served): (SourceKind, &[&str]) = match (group, kind) {
        ("networking.k8s.io" | "extensions", "Ingress") => {
            (SourceKind::Ingress, &["networking.k8s.io/v1"])
        }
        ("gateway.networking.k8s.io", "Gateway") => (
            SourceKind::Gateway,
            &[
                "gateway.networking.k8s.io/v1",
                "gateway.networking.k8s.io/v1beta1",
            ],
        ),
        ("gateway.networking.k8s.io", "ListenerSet") => {
            (SourceKind::ListenerSet, &["gateway.networking.k8s.io/v1"])
        }
        ("gateway.networking.x-k8s.io", "XListenerSet") => {
            (SourceKind::XListenerSet, &[XLISTENERSET_API])
        }
        ("gateway.networking.x-k8s.io", "ListenerSet")
        | ("gateway.networking.k8s.io", "XListenerSet") => {
            return Err(format!(
                "apiVersion {api_version} has no kind {kind}: ListenerSet is {GATEWAY_API}, XListenerSet is {XLISTENERSET_API}"
            ));
        }
        _ => return Ok(None),
    };
    if served.contains(&api_version) {
        Ok(Some(known))
    } else {
        Err(format!(
            "apiVersion {api_version} is not served for kind {kind}; use {}",
            served.join(" or ")
        ))
    }
}

/// The metadata the shim reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub name: String,
    pub namespace: String,
    pub uid: Option<String>,
    pub labels: SortedMap<String>,
    pub annotations: SortedMap<Located>,
    /// Line of the `annotations:` key (0 when absent).
    pub annotations_line: u32,
    /// Has a deletionTimestamp or the `foregroundDeletion` finalizer: cert-manager skips it.
    pub deleting: bool,
    /// Has a deletionTimestamp (a ListenerSet's parent lookup checks only this).
    pub deletion_timestamp: bool,
}

impl Meta {
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(|a| a.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressTls {
    pub hosts: Vec<String>,
    pub secret_name: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    pub tls: Vec<IngressTls>,
    pub tls_line: u32,
}

/// A Secret reference of a listener, with Gateway API's CRD defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerTls {
    /// `Terminate` when not written (the CRD default).
    pub mode: String,
    pub certificate_refs: Vec<CertificateRef>,
}

/// A Gateway or ListenerSet listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub name: String,
    pub hostname: Option<String>,
    pub port: Option<i64>,
    pub protocol: String,
    pub tls: Option<ListenerTls>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentRef {
    pub name: String,
    pub namespace: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Ingress(Ingress),
    Gateway {
        listeners: Vec<Listener>,
    },
    ListenerSet {
        parent: ParentRef,
        listeners: Vec<Listener>,
    },
}

/// A parsed object of a known kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: SourceKind,
    pub meta: Meta,
    pub spec: Spec,
    pub location: Location,
}

impl Object {
    pub fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.kind().to_string(),
            namespace: self.meta.namespace.clone(),
            name: self.meta.name.clone(),
        }
    }

    pub fn identity(&self) -> duplicates::Identity<'_> {
        duplicates::Identity {
            group: self.kind.group(),
            kind: self.kind.kind(),
            namespace: &self.meta.namespace,
            name: &self.meta.name,
        }
    }

    pub fn listeners(&self) -> &[Listener] {
        match &self.spec {
            Spec::Gateway { listeners } | Spec::ListenerSet { listeners, .. } => listeners,
            Spec::Ingress(_) => &[],
        }
    }
}

impl duplicates::Defined for Object {
    fn definition(&self) -> Option<duplicates::Definition<'_>> {
        Some(duplicates::Definition {
            identity: self.identity(),
            location: &self.location,
        })
    }
}

/// The header every document needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMeta {
    pub api_version: String,
    pub kind: String,
}

/// How many documents are of a kind the shim reads and set no `metadata.namespace`: they take
/// the default namespace (`-n`), which a helm post-renderer is not told (helm puts them in the
/// release namespace at install).
pub fn without_namespace(documents: &[Document]) -> usize {
    documents
        .iter()
        .filter(|d| {
            let kind = d.root.get_value("kind").and_then(|k| k.value.as_str());
            kind.is_some_and(|k| SHIM_KINDS.contains(&k))
        })
        .filter(|d| {
            let namespace = d
                .root
                .get_value("metadata")
                .and_then(|m| m.str_at(&["namespace"]));
            namespace.is_none_or(str::is_empty)
        })
        .count()
}

/// Reads `apiVersion` and `kind`, which every Kubernetes object must have.
pub fn type_meta(doc: &Document) -> Result<TypeMeta, Diagnostic> {
    let read = |key: &str| -> Result<String, Diagnostic> {
        match fields::string(&doc.root, key, key) {
            Ok(Some(s)) if !s.is_empty() => Ok(s),
            Ok(_) => Err(Diagnostic::error(
                Some(doc.location.clone()),
                format!("object has no {key}; every Kubernetes object needs apiVersion and kind"),
            )),
            Err(e) => Err(Diagnostic::error(
                Some(doc.node_location(e.line)),
                e.message,
            )),
        }
    };
    Ok(TypeMeta {
        api_version: read("apiVersion")?,
        kind: read("kind")?,
    })
}

/// Parses every document of a known kind, with an error for each one that does not parse.
pub fn parse_all(
    documents: &[Document],
    default_namespace: &str,
) -> (Vec<Object>, Vec<Diagnostic>) {
    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    for doc in documents {
        match parse(doc, default_namespace) {
            Ok(Some(object)) => objects.push(object),
            Ok(None) => {}
            Err(d) => diagnostics.push(d),
        }
    }
    (objects, diagnostics)
}

/// Parses a document into a known object; `Ok(None)` for kinds lsc carries but ignores.
pub fn parse(doc: &Document, default_namespace: &str) -> Result<Option<Object>, Diagnostic> {
    let type_meta = type_meta(doc)?;
    // How errors name the object, read leniently before its metadata is checked (only for
    // an error: every object passes here).
    let object_ref = || ObjectRef {
        kind: type_meta.kind.clone(),
        namespace: doc
            .root
            .path_str(&["metadata", "namespace"])
            .unwrap_or(default_namespace)
            .to_string(),
        name: doc
            .root
            .path_str(&["metadata", "name"])
            .unwrap_or_default()
            .to_string(),
    };
    let kind = match classify(&type_meta.api_version, &type_meta.kind) {
        Ok(Some(kind)) => kind,
        Ok(None) => return Ok(None),
        Err(message) => {
            return Err(Diagnostic::error(Some(doc.location.clone()), message).about(&object_ref()));
        }
    };
    let fail = |e: FieldError| {
        Diagnostic::error(Some(doc.node_location(e.line)), e.message).about(&object_ref())
    };
    let meta = parse_meta(&doc.root, default_namespace).map_err(fail)?;
    let spec_map = fields::mapping(&doc.root, "spec", "spec").map_err(fail)?;
    let empty = Map::default();
    let (spec_map, spec_line) = spec_map.unwrap_or((&empty, doc.location.line));
    let spec = match kind {
        SourceKind::Ingress => Spec::Ingress(parse_ingress(spec_map).map_err(fail)?),
        SourceKind::Gateway => Spec::Gateway {
            listeners: parse_listeners(spec_map).map_err(fail)?,
        },
        SourceKind::ListenerSet | SourceKind::XListenerSet => {
            let (parent_map, parent_line) =
                fields::mapping(spec_map, "parentRef", "spec.parentRef")
                    .map_err(fail)?
                    .ok_or_else(|| FieldError {
                        line: spec_line,
                        message:
                            "spec.parentRef: Required value: a ListenerSet names its parent Gateway"
                                .to_string(),
                    })
                    .map_err(fail)?;
            let parent = ParentRef {
                name: fields::string(parent_map, "name", "spec.parentRef.name")
                    .map_err(fail)?
                    .unwrap_or_default(),
                namespace: fields::string(parent_map, "namespace", "spec.parentRef.namespace")
                    .map_err(fail)?,
                line: parent_line,
            };
            Spec::ListenerSet {
                parent,
                listeners: parse_listeners(spec_map).map_err(fail)?,
            }
        }
    };
    Ok(Some(Object {
        kind,
        meta,
        spec,
        location: doc.location.clone(),
    }))
}

pub(crate) fn parse_meta(root: &Map, default_namespace: &str) -> FieldResult<Meta> {
    let Some((meta, meta_line)) = fields::mapping(root, "metadata", "metadata")? else {
        return Err(FieldError {
            line: 0,
            message: "metadata: Required value: the object has no metadata".to_string(),
        });
    };
    // Errors about the name or namespace point at its key, `metadata:` without one.
    let line_of = |key: &str| fields::entry(meta, key).map_or(meta_line, |e| e.key_line);
    let name = match fields::string(meta, "name", "metadata.name")? {
        Some(name) if !name.is_empty() => name,
        _ => {
            let hint = if fields::entry(meta, "generateName").is_some() {
                " (generateName is chosen by the API server, so lsc cannot name the Certificate owner)"
            } else {
                ""
            };
            return Err(FieldError {
                line: line_of("name"),
                message: format!("metadata.name: Required value{hint}"),
            });
        }
    };
    let namespace = fields::string(meta, "namespace", "metadata.namespace")?
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| default_namespace.to_string());
    // What the API server checks first; a name such as `..` or `a/b` must not reach a file
    // path (`convert --out`) or a Certificate.
    if !(name.len() <= 253 && crate::cel::is_dns_subdomain(&name)) {
        return Err(FieldError {
            line: line_of("name"),
            message: format!(
                "metadata.name: Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
            ),
        });
    }
    if !(namespace.len() <= 63 && crate::cel::is_dns_label(&namespace)) {
        return Err(FieldError {
            line: line_of("namespace"),
            message: format!(
                "metadata.namespace: Invalid value: {namespace:?}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
            ),
        });
    }
    let uid = fields::string(meta, "uid", "metadata.uid")?.filter(|u| !u.is_empty());
    let (labels, _) = fields::string_map(meta, "labels", "metadata.labels")?;
    let (annotations, annotations_line) =
        fields::string_map(meta, "annotations", "metadata.annotations")?;
    let deletion_timestamp = fields::entry(meta, "deletionTimestamp").is_some();
    let deleting = deletion_timestamp
        || fields::string_list(meta, "finalizers", "metadata.finalizers")?
            .iter()
            .any(|f| f == "foregroundDeletion");
    Ok(Meta {
        name,
        namespace,
        uid,
        labels: labels.into_iter().map(|(k, v)| (k, v.value)).collect(),
        annotations,
        annotations_line,
        deleting,
        deletion_timestamp,
    })
}

fn parse_ingress(spec: &Map) -> FieldResult<Ingress> {
    let (tls, tls_line) = parse_ingress_tls(spec)?;
    Ok(Ingress { tls, tls_line })
}

/// An Ingress's `spec.tls` entries and the line of `tls:` (0 when absent).
pub(crate) fn parse_ingress_tls(spec: &Map) -> FieldResult<(Vec<IngressTls>, u32)> {
    let Some((items, tls_line)) = fields::list(spec, "tls", "spec.tls")? else {
        return Ok((Vec::new(), 0));
    };
    let mut tls = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let path = format_args!("spec.tls[{i}]");
        let entry = fields::item_mapping(node, path)?;
        tls.push(IngressTls {
            hosts: fields::string_list(entry, "hosts", format_args!("{path}.hosts"))?,
            secret_name: fields::string(entry, "secretName", format_args!("{path}.secretName"))?
                .unwrap_or_default(),
            line: node.line,
        });
    }
    Ok((tls, tls_line))
}

fn parse_listeners(spec: &Map) -> FieldResult<Vec<Listener>> {
    let Some((items, _)) = fields::list(spec, "listeners", "spec.listeners")? else {
        return Ok(Vec::new());
    };
    let mut listeners = Vec::with_capacity(items.len());
    for (i, node) in items.iter().enumerate() {
        let path = format_args!("spec.listeners[{i}]");
        let l = fields::item_mapping(node, path)?;
        let tls = match fields::mapping(l, "tls", format_args!("{path}.tls"))? {
            None => None,
            Some((tls, _)) => Some(parse_listener_tls(tls, format_args!("{path}.tls"))?),
        };
        listeners.push(Listener {
            name: fields::string(l, "name", format_args!("{path}.name"))?.unwrap_or_default(),
            hostname: fields::string(l, "hostname", format_args!("{path}.hostname"))?,
            port: fields::integer(l, "port", format_args!("{path}.port"))?,
            protocol: fields::string(l, "protocol", format_args!("{path}.protocol"))?
                .unwrap_or_default(),
            tls,
            line: node.line,
        });
    }
    Ok(listeners)
}

/// Reads a listener's `tls`, applying the CRD defaults the API server would
/// (`gateway-api: apis/v1/gateway_types.go`, `object_reference_types.go`).
fn parse_listener_tls(tls: &Map, path: impl std::fmt::Display + Copy) -> FieldResult<ListenerTls> {
    let mode = fields::string(tls, "mode", format_args!("{path}.mode"))?
        .unwrap_or_else(|| "Terminate".to_string());
    let mut certificate_refs = Vec::new();
    if let Some((refs, _)) = fields::list(
        tls,
        "certificateRefs",
        format_args!("{path}.certificateRefs"),
    )? {
        for (j, node) in refs.iter().enumerate() {
            let rpath = format_args!("{path}.certificateRefs[{j}]");
            let r = fields::item_mapping(node, rpath)?;
            certificate_refs.push(CertificateRef {
                group: fields::string(r, "group", format_args!("{rpath}.group"))?
                    .unwrap_or_default(),
                kind: fields::string(r, "kind", format_args!("{rpath}.kind"))?
                    .unwrap_or_else(|| "Secret".to_string()),
                name: fields::string(r, "name", format_args!("{rpath}.name"))?.unwrap_or_default(),
                namespace: fields::string(r, "namespace", format_args!("{rpath}.namespace"))?,
            });
        }
    }
    Ok(ListenerTls {
        mode,
        certificate_refs,
    })
}

/// Helpers on maps used while parsing.
trait PathStr {
    fn path_str(&self, keys: &[&str]) -> Option<&str>;
}

impl PathStr for Map {
    fn path_str(&self, keys: &[&str]) -> Option<&str> {
        let (last, parents) = keys.split_last()?;
        let mut map = self;
        for key in parents {
            map = map.get_value(key)?.as_map()?;
        }
        match &map.get_value(last)?.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}
