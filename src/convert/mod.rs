//! `lsc convert`: Ingress → Gateway API the way ingress2gateway's ingress-nginx provider does,
//! with TLS left to developers on one ListenerSet per Ingress (or, with `--tls-in gateway`,
//! ingress2gateway's own layout), plus the XListenerSet → ListenerSet v1 upgrade.

pub mod annotations;
pub mod emitters;
pub mod existing_gateway;
pub mod ingress;
pub mod layout;
pub mod names;
pub mod objects;
pub mod plan;
pub mod providers;
pub mod release;
pub mod routes;
pub mod security;
pub mod tls;
pub mod upgrade;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Location};
use crate::model;
use crate::source::tree::Node;
use crate::source::{Document, InputSource, Limits};
use ingress::{Ingress, ServicePorts};
use names::{HostNames, NameRegistry};
use plan::GatewayPlan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsIn {
    /// One ListenerSet per Ingress carries its listeners, TLS and cert-manager annotations.
    #[default]
    ListenerSet,
    /// ingress2gateway's layout: every listener and annotation on the Gateway.
    Gateway,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListenerSetApi {
    /// `gateway.networking.k8s.io/v1` ListenerSet (Gateway API ≥ v1.5).
    #[default]
    V1,
    /// `gateway.networking.x-k8s.io/v1alpha1` XListenerSet (Gateway API v1.3–v1.4).
    V1Alpha1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedListeners {
    Same,
    All,
    Selector,
}

impl AllowedListeners {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowedListeners::Same => "Same",
            AllowedListeners::All => "All",
            AllowedListeners::Selector => "Selector",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    pub limits: Limits,
    pub default_namespace: String,
    pub tls_in: TlsIn,
    pub listenerset_api: ListenerSetApi,
    /// One shared, operator-owned Gateway `(namespace, name)` instead of one per class.
    pub gateway: Option<(String, String)>,
    /// `--gateway-class`: the class of every Gateway. Without it a Gateway's class is the
    /// GKE class of a GKE Ingress's, else the emitter's default, else its Ingresses' class.
    pub gateway_class: Option<String>,
    pub allowed_listeners: Option<AllowedListeners>,
    /// Only Ingresses of these classes; empty: all.
    pub ingress_classes: Vec<String>,
    /// The class of Ingresses that name none, as the cluster's default IngressClass gives it
    /// (`--default-ingress-class`); else an IngressClass among the inputs marked default.
    pub default_ingress_class: Option<String>,
    /// The cert-manager controller's settings: how it picks an issuer for Ingresses that only
    /// say `kubernetes.io/tls-acme`, which annotations it copies, and the checks render makes.
    pub shim: crate::shim::config::ShimConfig,
    pub keep: Keep,
    /// The hosts whose lost ingress-nginx protection `--allow-unprotected` accepts.
    pub allow_unprotected: security::AllowUnprotected,
    /// `--provider`: the Ingress controllers whose Ingresses these are (none: told per
    /// Ingress, see [`providers`]).
    pub providers: Vec<providers::Provider>,
    /// `--emitter`: the Gateway API implementation whose own policies carry what standard
    /// Gateway API cannot say.
    pub emitter: emitters::Emitter,
    /// `--gateway-api-version`: the Gateway API release whose CRDs every written object must
    /// pass ([`listener_set_api`] picks the ListenerSet API that goes with it).
    pub gateway_api: crate::crd::Release,
}

impl ConvertOptions {
    /// The CRD set the written objects are checked against: the experimental one when
    /// XListenerSets are written (only it serves them, and v1.4's Gateway `allowedListeners`),
    /// else the standard one.
    pub fn crd_channel(&self) -> crate::crd::Channel {
        if self.listenerset_api == ListenerSetApi::V1Alpha1 && self.tls_in == TlsIn::ListenerSet {
            crate::crd::Channel::Experimental
        } else {
            crate::crd::Channel::Standard
        }
    }
}

/// The Gateway API release and ListenerSet API of a conversion, from `--gateway-api-version`
/// and `--listenerset-api` as given: ListenerSet v1 is served from v1.5, XListenerSet up to
/// v1.4. Without a release, `v1alpha1` means v1.4 and anything else the newest; without an
/// API, the release's own. Asking for an API the release does not serve is an error.
pub fn listener_set_api(
    release: Option<crate::crd::Release>,
    asked: Option<ListenerSetApi>,
) -> Result<(crate::crd::Release, ListenerSetApi), String> {
    use crate::crd::Release;
    match (release, asked) {
        (None, Some(ListenerSetApi::V1Alpha1)) => Ok((Release::V1_4, ListenerSetApi::V1Alpha1)),
        (None, _) => Ok((Release::default(), ListenerSetApi::V1)),
        (Some(release), None) => Ok((
            release,
            if release.serves_listener_set_v1() {
                ListenerSetApi::V1
            } else {
                ListenerSetApi::V1Alpha1
            },
        )),
        (Some(release), Some(ListenerSetApi::V1)) if !release.serves_listener_set_v1() => {
            Err(format!(
                "Gateway API {release} serves no ListenerSet v1 (gateway.networking.k8s.io/v1, from v1.5): leave out the ListenerSet API to write XListenerSets, or give a Gateway API version of 1.5 or later"
            ))
        }
        (Some(release), Some(ListenerSetApi::V1Alpha1)) if release.serves_listener_set_v1() => {
            Err(format!(
                "Gateway API {release} serves no XListenerSet (gateway.networking.x-k8s.io/v1alpha1, replaced by ListenerSet v1 in v1.5): write ListenerSet v1, or give Gateway API version 1.4"
            ))
        }
        (Some(release), Some(api)) => Ok((release, api)),
    }
}

/// What `lsc convert` keeps of each object it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Its tree, for callers that change or re-encode the objects (the KRM function, JSON).
    #[default]
    Tree,
    /// Only its YAML text, written as soon as the object is made and checked: a large
    /// conversion never holds the trees of all its objects (a tree takes several times the
    /// memory of its text).
    Yaml,
}

/// An object's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Tree(Node),
    /// One YAML document, without the `---` line.
    Yaml(String),
}

impl Body {
    /// The tree; one kept as YAML is read back (the writer's output always reads).
    pub fn into_tree(self) -> Node {
        match self {
            Body::Tree(node) => node,
            Body::Yaml(text) => read_back(&text),
        }
    }
}

/// The tree of a document lsc wrote.
fn read_back(yaml: &str) -> Node {
    let (documents, _) = crate::source::yaml::parse_documents(yaml, &Limits::default());
    let root = documents.into_iter().find_map(|d| d.root);
    root.unwrap_or(Node::new(crate::source::tree::Value::Null))
}

/// One object to write, with what `--out` names its file after.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub body: Body,
    /// The Ingress it was made from (a route's first), where errors about it point. Boxed:
    /// every object has the field and few errors read it, and an object held inline is
    /// 24 bytes smaller (convert of the 100k tree peaked 2.5 MB higher with it inline).
    pub source: Option<Box<Location>>,
}

impl Emitted {
    pub fn new(kind: &str, namespace: &str, name: &str, node: Node) -> Self {
        Emitted {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            body: Body::Tree(node),
            source: None,
        }
    }

    /// The object, made from the Ingress at `source`.
    pub fn from_source(self, source: Option<Location>) -> Self {
        Emitted {
            source: source.map(Box::new),
            ..self
        }
    }

    /// The object's tree; one kept as YAML is read back (the writer's output always reads).
    pub fn tree(&self) -> Cow<'_, Node> {
        match &self.body {
            Body::Tree(node) => Cow::Borrowed(node),
            Body::Yaml(text) => Cow::Owned(read_back(text)),
        }
    }

    /// The object as one YAML document, without the `---` line.
    pub fn yaml(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Tree(node) => {
                let mut text = String::new();
                crate::emit::yaml::write_document(&mut text, node);
                Cow::Owned(text)
            }
            Body::Yaml(text) => Cow::Borrowed(text),
        }
    }

    /// Keeps what `keep` says: a tree with exactly the room it uses (built by pushing, most
    /// lists have room for twice their entries), or the YAML text.
    fn keep(&mut self, keep: Keep) {
        match (&mut self.body, keep) {
            (Body::Tree(node), Keep::Tree) => node.shrink_to_fit(),
            // A copy of exactly its length: the writer's string grew by doubling.
            (Body::Tree(_), Keep::Yaml) => self.body = Body::Yaml(self.yaml().as_ref().to_owned()),
            (Body::Yaml(_), _) => {}
        }
    }
}

#[derive(Debug, Default)]
pub struct Converted {
    /// Sorted by kind (Gateways first), namespace and name.
    pub objects: Vec<Emitted>,
    pub diagnostics: Vec<Diagnostic>,
    /// Ingresses converted.
    pub ingresses: usize,
    /// Existing objects rewritten from XListenerSet to ListenerSet v1.
    pub upgraded: usize,
    /// The input objects the output replaces: the converted Ingresses and the originals of
    /// upgraded objects (what a KRM transformer drops from its items).
    pub replaced: Vec<crate::diag::ObjectRef>,
    /// The protection `--allow-unprotected` accepted losing: annotations by host ("" for
    /// rules without a host).
    pub unprotected: BTreeMap<String, BTreeSet<String>>,
    /// How many converted Ingresses each controller serves, when one is not ingress-nginx or
    /// `--provider` was given (empty otherwise: the summary says nothing of them).
    pub providers: BTreeMap<providers::Provider, usize>,
}

/// What the inputs hold for the converter.
#[derive(Default)]
struct Inputs {
    ingresses: Vec<Ingress>,
    services: Vec<ingress::Service>,
    /// With ListenerSet v1 output: the existing Gateway API objects the XListenerSet upgrade
    /// read, each rewritten when it names an XListenerSet, and what it found. It looks at one
    /// document at a time, so it runs as each input is read and the documents are not kept.
    upgraded: Vec<upgrade::Upgraded>,
    /// IngressClasses annotated `ingressclass.kubernetes.io/is-default-class: "true"`, with
    /// where they are.
    default_classes: Vec<(String, crate::diag::Location)>,
    /// Each IngressClass's `spec.controller` by its name (the last definition's).
    class_controllers: BTreeMap<String, String>,
    /// The Gateway `--gateway` names, when the inputs hold it (the last definition).
    existing_gateway: Option<Document>,
    /// The controllers' objects annotations name (Traefik Middlewares).
    objects: providers::Objects,
}

impl Inputs {
    /// Adds what a later input holds, as if it had been read after this one.
    fn append(&mut self, other: Inputs) {
        self.ingresses.extend(other.ingresses);
        self.services.extend(other.services);
        self.upgraded.extend(other.upgraded);
        self.default_classes.extend(other.default_classes);
        self.class_controllers.extend(other.class_controllers);
        self.objects.middlewares.extend(other.objects.middlewares);
        self.objects.kong.extend(other.objects.kong);
        self.objects.gce.extend(other.objects.gce);
        if other.existing_gateway.is_some() {
            self.existing_gateway = other.existing_gateway;
        }
    }

    /// Drops every object a later definition in the inputs replaces (the last one wins, as
    /// with `kubectl apply`), with a warning for each: run once every input is read.
    fn keep_last(&mut self) -> Vec<Diagnostic> {
        use model::duplicates::keep_last;
        let mut warnings = keep_last(&mut self.ingresses);
        warnings.append(&mut keep_last(&mut self.services));
        self.objects.gce.keep_last_services(&self.services);
        warnings.append(&mut keep_last(&mut self.upgraded));
        warnings
    }
}

fn read(
    documents: &[Document],
    options: &ConvertOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Inputs {
    let mut inputs = Inputs::default();
    let mut gateway_api: Vec<&Document> = Vec::new();
    for doc in documents {
        let type_meta = match model::type_meta(doc) {
            Ok(t) => t,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let group = type_meta
            .api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g);
        match (group, type_meta.kind.as_str()) {
            ("networking.k8s.io" | "extensions", "Ingress") => {
                // The shared model reports unserved versions and bad metadata, naming the object;
                // what it has read is not read again.
                let parsed = match model::parse(doc, &options.default_namespace) {
                    Err(d) => {
                        diagnostics.push(d);
                        continue;
                    }
                    Ok(Some(object)) => {
                        // What render refuses of the Ingress, convert refuses too: its
                        // annotations move to the ListenerSet or Gateway as they are.
                        let refused = crate::shim::ingress_errors(&object, &options.shim);
                        // The annotations move on as they are, mistyped ones included.
                        let unread = crate::shim::annotation_keys::unread(&object, &options.shim);
                        let model::Object {
                            meta,
                            spec: model::Spec::Ingress(read),
                            ..
                        } = object
                        else {
                            continue;
                        };
                        ingress::parse_ingress(doc, meta, read.tls, &options.default_namespace).map(
                            |i| ingress::Ingress {
                                refused,
                                unread,
                                ..i
                            },
                        )
                    }
                    // The model reads every served Ingress and refuses the others above.
                    Ok(_) => continue,
                };
                match parsed {
                    Ok(i) => {
                        // The API server refuses an Ingress whose hosts are not DNS names:
                        // said once per host where it is written; the Ingress is left out of
                        // planning (its listeners and routes would only repeat the error).
                        let invalid_hosts = model::hosts::invalid_ingress_hosts(&doc.root)
                            .into_iter()
                            .map(|host| {
                                Diagnostic::error(Some(i.at(host.line)), host.message)
                                    .about(&i.reference())
                            })
                            .collect();
                        inputs
                            .ingresses
                            .push(ingress::Ingress { invalid_hosts, ..i });
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
            ("networking.k8s.io", "IngressClass") => {
                let meta = doc.root.get_value("metadata");
                let default = meta
                    .and_then(|m| m.str_at(&["annotations", DEFAULT_CLASS_ANNOTATION]))
                    == Some("true");
                let name = meta.and_then(|m| m.str_at(&["name"]));
                if let (true, Some(name)) = (default, name) {
                    inputs
                        .default_classes
                        .push((name.to_string(), doc.location.clone()));
                }
                let controller = doc
                    .root
                    .get_value("spec")
                    .and_then(|s| s.str_at(&["controller"]));
                if let (Some(name), Some(controller)) = (name, controller) {
                    inputs
                        .class_controllers
                        .insert(name.to_string(), controller.to_string());
                }
            }
            ("", "Service") => {
                inputs
                    .services
                    .extend(ingress::service(doc, &options.default_namespace));
                inputs
                    .objects
                    .gce
                    .read_service(doc, &options.default_namespace);
            }
            (group, kind)
                if inputs.objects.gce.read(group, kind, doc, &options.default_namespace) => {}
            (group, kind) if providers::traefik::is_middleware(group, kind) => inputs
                .objects
                .middlewares
                .extend(providers::traefik::read_middleware(
                    doc,
                    &options.default_namespace,
                )),
            (group, kind)
                if inputs.objects.kong.read(group, kind, doc, &options.default_namespace) => {}
            (group, kind) if providers::kong::is_stream_ingress(group, kind) => {
                diagnostics.push(Diagnostic::warning(
                    Some(doc.node_location(doc.location.line)),
                    format!(
                        "{kind} {} is not converted: lsc does not translate Kong's {kind} to a TCPRoute, UDPRoute or TLSRoute yet; write them and their Gateway listeners by hand",
                        doc.root
                            .get_value("metadata")
                            .and_then(|m| m.str_at(&["name"]))
                            .unwrap_or_default()
                    ),
                ))
            }
            ("gateway.networking.k8s.io" | "gateway.networking.x-k8s.io", _) => {
                if let Some(wanted) = &options.gateway {
                    if existing_gateway::is_named(doc, wanted, &options.default_namespace) {
                        inputs.existing_gateway = Some(doc.clone());
                    }
                }
                gateway_api.push(doc)
            }
            _ => {}
        }
    }
    if options.listenerset_api == ListenerSetApi::V1 {
        inputs.upgraded = upgrade::upgrade(&gateway_api, &options.default_namespace);
    }
    inputs
}

/// What marks an IngressClass as the cluster's default (its value must be exactly "true").
const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

/// The class the API server's DefaultIngressClass admission plugin gives Ingresses that name
/// none: `--default-ingress-class`, else the IngressClass among the inputs marked default.
/// Of several, the plugin takes the newest; files carry no creation time, so lsc takes the
/// first by name (the plugin's tie-break) and says so.
fn default_class(
    marked: &[(String, crate::diag::Location)],
    options: &ConvertOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(class) = &options.default_ingress_class {
        return Some(class.clone());
    }
    let mut names: Vec<&(String, crate::diag::Location)> = marked.iter().collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    names.dedup_by(|a, b| a.0 == b.0);
    let (first, location) = names.first()?;
    if names.len() > 1 {
        let all: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        diagnostics.push(Diagnostic::warning(
            Some(location.clone()),
            format!(
                "IngressClasses {} are all marked {DEFAULT_CLASS_ANNOTATION}: \"true\"; the API server gives class-less Ingresses the newest of them, which files do not tell: {first} is taken (give --default-ingress-class to choose)",
                all.join(", ")
            ),
        ));
    }
    Some(first.clone())
}

/// The Gateway each Ingress goes to, and the Gateways.
fn assign_gateways(
    ingresses: &[Ingress],
    options: &ConvertOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Option<usize>>, Vec<GatewayPlan>) {
    let mut gateways: Vec<GatewayPlan> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut gateway_of = Vec::with_capacity(ingresses.len());
    for ingress in ingresses {
        if !options.ingress_classes.is_empty() && !options.ingress_classes.contains(&ingress.class)
        {
            gateway_of.push(None);
            continue;
        }
        let (namespace, name) = match (&options.gateway, ingress.class.is_empty()) {
            (Some((ns, name)), _) => (ns.clone(), name.clone()),
            (None, true) => {
                diagnostics.push(
                    Diagnostic::error(
                        Some(ingress.at(0)),
                        "has no ingress class (spec.ingressClassName or kubernetes.io/ingress.class) and the inputs have no default IngressClass, so lsc cannot tell which controller serves it: give --default-ingress-class NAME (the class your cluster's default IngressClass has), add that IngressClass manifest (annotated ingressclass.kubernetes.io/is-default-class: \"true\") to the inputs, or give --gateway NAMESPACE/NAME to convert it onto one shared Gateway",
                    )
                    .about(&ingress.reference()),
                );
                gateway_of.push(None);
                continue;
            }
            (None, false) => (ingress.meta.namespace.clone(), ingress.class.clone()),
        };
        // Converted: what render refuses of it is refused here too.
        diagnostics.extend(ingress.refused.iter().cloned());
        diagnostics.extend(ingress.unread.iter().cloned());
        let next = gateways.len();
        let g = *index
            .entry((namespace.clone(), name.clone()))
            .or_insert(next);
        if g == next {
            // GKE's Gateway has its own classes for the load balancers GKE Ingress's classes
            // made; an emitter's implementation installs its own class.
            let class = match (&options.gateway_class, ingress.provider.0) {
                (Some(class), _) => class.clone(),
                (None, providers::Provider::Gce) => {
                    providers::gce::gateway_class(&ingress.class).to_string()
                }
                (None, _) => options
                    .emitter
                    .default_gateway_class()
                    .map_or_else(|| ingress.class.clone(), str::to_string),
            };
            gateways.push(GatewayPlan {
                namespace,
                name,
                class,
                addresses: Vec::new(),
            });
        }
        if let (Some(gateway), Some((address, line))) = (
            gateways.get_mut(g),
            providers::gce::static_address(ingress)
                .filter(|_| ingress.provider.0 == providers::Provider::Gce),
        ) {
            match gateway.addresses.first() {
                None => gateway.addresses.push(address),
                Some(first) if *first == address => {}
                Some(first) => diagnostics.push(
                    Diagnostic::error(
                        Some(ingress.at(line)),
                        format!(
                            "its static IP address {address:?} differs from {first:?}, which another Ingress of Gateway {}/{} names: a Gateway has one load balancer and one address; put the Ingresses on different Gateways (other classes, or --gateway) or give them one address",
                            gateway.namespace, gateway.name
                        ),
                    )
                    .about(&ingress.reference()),
                ),
            }
        }
        gateway_of.push(Some(g));
    }
    // A shared Gateway takes its class from the first Ingress that names one.
    if let (Some(_), Some(shared)) = (&options.gateway, gateways.first_mut()) {
        if shared.class.is_empty() {
            shared.class = ingresses
                .iter()
                .zip(&gateway_of)
                .find(|(i, g)| g.is_some() && !i.class.is_empty())
                .map(|(i, _)| i.class.clone())
                .unwrap_or_default();
        }
    }
    (gateway_of, gateways)
}

/// Converts the inputs' Ingresses and upgrades their XListenerSets: the whole plan.
pub fn convert_documents(documents: &[Document], options: &ConvertOptions) -> Converted {
    let mut diagnostics = Vec::new();
    let mut inputs = read(documents, options, &mut diagnostics);
    diagnostics.append(&mut inputs.keep_last());
    convert_inputs(inputs, diagnostics, options)
}

/// How the Ingresses are split for planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Planning {
    /// One part per namespace, planned on all threads: what lsc does unless one shared Gateway
    /// takes every Ingress.
    ByNamespace,
    /// Every Ingress in one part.
    Whole,
}

/// A usage error when the layout asks for ListenerSets and the chosen cert-manager release
/// reads none (before v1.20): the converted Ingresses would lose their Certificates.
pub fn layout_refused(options: &ConvertOptions) -> Option<String> {
    let version = options.shim.version;
    (options.tls_in == TlsIn::ListenerSet && !version.reads_listener_sets()).then(|| {
        format!("cert-manager {version} reads no ListenerSet (ListenerSets are read from v1.20): the converted Ingresses would lose their Certificates; use --tls-in gateway, or convert after upgrading cert-manager")
    })
}

fn convert_inputs(
    inputs: Inputs,
    diagnostics: Vec<Diagnostic>,
    options: &ConvertOptions,
) -> Converted {
    let planning = if options.gateway.is_some() {
        Planning::Whole
    } else {
        Planning::ByNamespace
    };
    convert_planned(inputs, diagnostics, options, planning)
}

fn convert_planned(
    mut inputs: Inputs,
    mut diagnostics: Vec<Diagnostic>,
    options: &ConvertOptions,
    planning: Planning,
) -> Converted {
    // Once a later definition has replaced an earlier one, Ingresses the API server refuses
    // for their hosts are said and left out.
    inputs.ingresses.retain_mut(|i| {
        let valid = i.invalid_hosts.is_empty();
        diagnostics.append(&mut i.invalid_hosts);
        valid
    });
    // ingress2gateway's ingress-nginx provider processes Ingresses by name (§2); namespace
    // breaks ties so the order never depends on the input order.
    let order = sorted_order(&inputs.ingresses, |i| (&i.meta.name, &i.meta.namespace));
    permute(&mut inputs.ingresses, order);
    if inputs.ingresses.iter().any(|i| i.class.is_empty()) {
        if let Some(class) = default_class(&inputs.default_classes, options, &mut diagnostics) {
            for ingress in inputs.ingresses.iter_mut().filter(|i| i.class.is_empty()) {
                ingress.class = class.clone();
            }
        }
    }
    let selection = providers::Selection {
        chosen: options.providers.clone(),
        class_controllers: std::mem::take(&mut inputs.class_controllers),
    };
    inputs.ingresses.par_iter_mut().for_each(|ingress| {
        let keys = ingress.meta.annotations.keys().map(|k| k.as_str());
        ingress.provider = selection.pick(&ingress.class, keys);
        // GKE Ingress serves the Ingresses that name no class.
        if ingress.provider.0 == providers::Provider::Gce && ingress.class.is_empty() {
            ingress.class = "gce".to_string();
        }
        // Another controller reads none of ingress-nginx's annotations, canary included.
        if ingress.provider.0 != providers::Provider::IngressNginx {
            ingress.nginx_annotated = false;
            ingress.canary = false;
        }
    });
    let services = ingress::service_ports(std::mem::take(&mut inputs.services));
    let ingresses = &inputs.ingresses;
    let (gateway_of, gateways) = assign_gateways(ingresses, options, &mut diagnostics);
    let mut losses = security::losses(
        ingresses,
        |id| gateway_of.get(id).is_some_and(Option::is_some),
        &options.allow_unprotected,
        options.emitter,
        &inputs.objects,
    );
    diagnostics.append(&mut losses.diagnostics);
    diagnostics.extend(
        ingresses
            .iter()
            .zip(&gateway_of)
            .filter(|(_, g)| g.is_some())
            .filter_map(|(i, _)| annotations::not_carried(i, &options.shim)),
    );
    if let (Some(g), None, None) = (
        gateways.first().filter(|_| options.gateway.is_some()),
        &options.gateway_class,
        options.emitter.default_gateway_class(),
    ) {
        let classes: std::collections::BTreeSet<&str> = ingresses
            .iter()
            .zip(&gateway_of)
            .filter(|(_, g)| g.is_some())
            .map(|(i, _)| i.class.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        let problem = match classes.len() {
            0 => Some("its Ingresses name no ingress class".to_string()),
            1 => None,
            _ => Some(format!(
                "its Ingresses have the classes {}",
                classes.into_iter().collect::<Vec<_>>().join(", ")
            )),
        };
        if let Some(problem) = problem {
            // Located at the first converted Ingress whose class differs from the first's
            // (or the first one, when none names a class).
            let converted = || {
                ingresses
                    .iter()
                    .zip(&gateway_of)
                    .filter(|(_, g)| g.is_some())
                    .map(|(i, _)| i)
            };
            let first_class = converted().map(|i| &i.class).find(|c| !c.is_empty());
            let at = converted()
                .find(|i| first_class.is_some_and(|c| !i.class.is_empty() && i.class != *c))
                .or_else(|| converted().next());
            let mut error = Diagnostic::error(
                at.map(|i| i.at(0)),
                format!(
                    "Gateway {}/{} needs one gatewayClassName and {problem}: give --gateway-class",
                    g.namespace, g.name
                ),
            );
            if let Some(ingress) = at {
                error = error.about(&ingress.reference());
            }
            diagnostics.push(error);
        }
    }
    // With `--tls-in gateway` no XListenerSet is written.
    if options.listenerset_api == ListenerSetApi::V1Alpha1
        && options.tls_in == TlsIn::ListenerSet
        && !ingresses.is_empty()
    {
        diagnostics.push(Diagnostic::warning(
            None,
            "no cert-manager release watches XListenerSet (only v1.20.0-alpha.1 did): the cert-manager annotations on the XListenerSets take effect once they are ListenerSet v1 (--listenerset-api v1)",
        ));
        diagnostics.push(Diagnostic::warning(
            None,
            format!(
                "XListenerSet is experimental: Gateway API {} serves it, and the Gateways' spec.allowedListeners, only with its experimental CRDs installed",
                options.gateway_api
            ),
        ));
    }

    let mut replaced: Vec<crate::diag::ObjectRef> = ingresses
        .iter()
        .zip(&gateway_of)
        .filter(|(_, g)| g.is_some())
        .map(|(i, _)| i.reference())
        .collect();
    let converted_ingresses = replaced.len();
    let mut served: BTreeMap<providers::Provider, usize> = BTreeMap::new();
    for (ingress, _) in ingresses
        .iter()
        .zip(&gateway_of)
        .filter(|(_, g)| g.is_some())
    {
        *served.entry(ingress.provider.0).or_default() += 1;
    }
    if options.providers.is_empty()
        && served
            .keys()
            .all(|p| *p == providers::Provider::IngressNginx)
    {
        served.clear();
    }
    let parts = partition(
        std::mem::take(&mut inputs.ingresses),
        gateway_of,
        gateways,
        planning,
    );
    let tls_hosts =
        providers::ingress_nginx::TlsHosts::of(parts.par_iter().flat_map(|p| &p.ingresses));
    // Each part is planned on its own, on all threads, but for the regex hosts, looked up
    // across parts; its objects and findings are kept in the parts' order.
    let routed: Vec<Routed<'_>> = parts
        .par_iter()
        .map(|part| route_part(part, &services, &tls_hosts))
        .collect();
    let regex_hosts = routed
        .par_iter()
        .map(|r| r.nginx.regex_hosts(&r.routes))
        .reduce(BTreeSet::new, |mut all, mut more| {
            all.append(&mut more);
            all
        });
    let planned: Vec<(Vec<layout::Make>, Vec<Diagnostic>)> = routed
        .into_par_iter()
        .map(|routed| finish_part(routed, &regex_hosts, &inputs.objects, options))
        .collect();
    drop(tls_hosts);
    // Freed on all threads: one by one they take longer than any step of the plan. The
    // builders own what they still need.
    parts.into_par_iter().for_each(drop);
    drop(services);
    let mut makes: Vec<layout::Make> =
        Vec::with_capacity(planned.iter().map(|(makes, _)| makes.len()).sum());
    for (part_makes, mut found) in planned {
        makes.extend(part_makes);
        diagnostics.append(&mut found);
    }

    let mut upgraded_count = 0;
    if options.listenerset_api == ListenerSetApi::V1 {
        let mut upgraded = Vec::new();
        let mut found = Vec::new();
        for read in std::mem::take(&mut inputs.upgraded) {
            upgraded.extend(read.object);
            found.extend(read.diagnostics);
        }
        upgraded_count = upgraded.len();
        replaced.extend(upgraded.iter().map(|u| {
            crate::diag::ObjectRef {
                kind: if u.kind == "ListenerSet" {
                    "XListenerSet"
                } else {
                    u.kind.as_str()
                }
                .to_string(),
                namespace: u.namespace.clone(),
                name: u.name.clone(),
            }
        }));
        makes.extend(
            upgraded
                .into_iter()
                .map(|object| -> layout::Make { Box::new(move || object) }),
        );
        diagnostics.append(&mut found);
    }
    // Each object is made, checked against the API server's rules and kept as asked on a
    // worker thread, one at a time; collected in order.
    let (objects, rejected): (Vec<Emitted>, Vec<Vec<Diagnostic>>) = {
        makes
            .into_par_iter()
            .map(|make| {
                let mut object = make();
                let rejected = rejected_by_api_server(&object, options);
                object.keep(options.keep);
                (object, rejected)
            })
            .unzip()
    };
    diagnostics.extend(rejected.into_iter().flatten());
    let order = sorted_order(&objects, |o| {
        (objects::kind_rank(&o.kind), &o.kind, &o.namespace, &o.name)
    });
    let mut objects = objects;
    permute(&mut objects, order);
    if let (Some(existing), Some((namespace, name))) =
        (inputs.existing_gateway.take(), &options.gateway)
    {
        adopt_gateway(
            &existing,
            (namespace, name),
            &mut objects,
            options,
            &mut diagnostics,
        );
        replaced.push(crate::diag::ObjectRef {
            kind: "Gateway".to_string(),
            namespace: namespace.clone(),
            name: name.clone(),
        });
    }
    // Two objects of one kind and name would overwrite each other in a cluster (and in
    // `--out`): an upgraded XListenerSet and a converted Ingress may both want a name.
    for pair in objects.windows(2) {
        if let [a, b] = pair {
            if (&a.kind, &a.namespace, &a.name) == (&b.kind, &b.namespace, &b.name) {
                diagnostics.push(Diagnostic::error(
                    None,
                    format!(
                        "two {} objects would be named {}/{}; rename one of their sources",
                        a.kind, a.namespace, a.name
                    ),
                ));
            }
        }
    }
    Converted {
        objects,
        diagnostics,
        ingresses: converted_ingresses,
        upgraded: upgraded_count,
        replaced,
        unprotected: losses.accepted,
        providers: served,
    }
}

/// The shared Gateway of the inputs in place of the one planned for `--gateway` (see
/// [`existing_gateway`]).
fn adopt_gateway(
    existing: &Document,
    (namespace, name): (&String, &String),
    objects: &mut [Emitted],
    options: &ConvertOptions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let namespaces: BTreeSet<String> = objects
        .iter()
        .filter(|o| o.kind == "ListenerSet" || o.kind == "XListenerSet")
        .map(|o| o.namespace.clone())
        .collect();
    let planned = objects
        .iter_mut()
        .find(|o| o.kind == "Gateway" && &o.namespace == namespace && &o.name == name);
    let Some(planned) = planned else {
        return;
    };
    match existing_gateway::adopt(existing, planned, &namespaces, options.tls_in) {
        Ok((mut adopted, mut found)) => {
            diagnostics.extend(rejected_by_api_server(&adopted, options));
            adopted.keep(options.keep);
            *planned = adopted;
            diagnostics.append(&mut found);
        }
        Err(error) => diagnostics.push(error),
    }
}

/// Ingresses planned together, with their Gateways (`gateway_of` indexes `gateways`).
#[derive(Default)]
struct Part {
    ingresses: Vec<Ingress>,
    gateway_of: Vec<Option<usize>>,
    gateways: Vec<GatewayPlan>,
}

/// Splits the Ingresses (in processing order) into parts that can be planned apart: one per
/// namespace, in namespace order, since without a shared Gateway a namespace's Gateways, host
/// names, listener placement and object names depend on its Ingresses alone (all but the TLS
/// and regex hosts, which ingress-nginx applies per host in every namespace: they are looked up
/// across parts). Each part keeps the processing order, and its Gateways their order.
fn partition(
    ingresses: Vec<Ingress>,
    gateway_of: Vec<Option<usize>>,
    gateways: Vec<GatewayPlan>,
    planning: Planning,
) -> Vec<Part> {
    if planning == Planning::Whole {
        return vec![Part {
            ingresses,
            gateway_of,
            gateways,
        }];
    }
    let mut parts: BTreeMap<String, Part> = BTreeMap::new();
    // Where each Gateway went in its part: a Gateway is in its Ingresses' namespace.
    let mut local: Vec<Option<usize>> = vec![None; gateways.len()];
    for (ingress, g) in ingresses.into_iter().zip(gateway_of) {
        let part = match parts.get_mut(&ingress.meta.namespace) {
            Some(part) => part,
            None => parts.entry(ingress.meta.namespace.clone()).or_default(),
        };
        let g = g.and_then(|g| match local.get(g).copied().flatten() {
            Some(at) => Some(at),
            None => {
                let at = part.gateways.len();
                part.gateways.push(gateways.get(g)?.clone());
                *local.get_mut(g)? = Some(at);
                Some(at)
            }
        });
        part.gateway_of.push(g);
        part.ingresses.push(ingress);
    }
    parts.into_values().collect()
}

/// A part planned up to its routes: the regex pass waits for every part's regex hosts.
struct Routed<'a> {
    part: &'a Part,
    nginx: providers::ingress_nginx::Nginx<'a>,
    /// The host names of each Gateway of the part.
    host_names: Vec<HostNames>,
    /// The Ingresses of each Gateway of the part, in processing order.
    members: Vec<Vec<usize>>,
    names: NameRegistry,
    routes: Vec<plan::Route>,
    needs: Vec<plan::ListenerNeed>,
    diagnostics: Vec<Diagnostic>,
}

/// One part's routes and listener needs, through the annotation passes that look at one
/// namespace only.
fn route_part<'a>(
    part: &'a Part,
    services: &ServicePorts,
    tls_hosts: &'a providers::ingress_nginx::TlsHosts<'a>,
) -> Routed<'a> {
    let Part {
        ingresses,
        gateway_of,
        gateways,
    } = part;
    let mut nginx = providers::ingress_nginx::Nginx::new(ingresses, tls_hosts);
    let grpc: Vec<bool> = (0..ingresses.len())
        .map(|id| nginx.is_grpc(id) || ingresses.get(id).is_some_and(providers::kong::is_grpc))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); gateways.len()];
    for (id, g) in gateway_of.iter().enumerate() {
        if let Some(list) = g.and_then(|g| members.get_mut(g)) {
            list.push(id);
        }
    }
    // Each Gateway's host names are its own: worked out on all threads, kept in order.
    let host_names: Vec<HostNames> = members
        .par_iter()
        .map(|ids| {
            let hosts = ids
                .iter()
                .filter_map(|id| ingresses.get(*id))
                .flat_map(|i| {
                    let www: Vec<String> = i
                        .rules
                        .iter()
                        .map(|r| match r.host.strip_prefix("www.") {
                            Some(apex) => apex.to_string(),
                            None => format!("www.{}", r.host),
                        })
                        .collect();
                    i.rules
                        .iter()
                        .map(|r| r.host.clone())
                        .chain(i.tls_hosts().into_iter().map(str::to_string))
                        .chain(www)
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>();
            HostNames::new(hosts.iter().map(String::as_str))
        })
        .collect();

    let mut names = NameRegistry::default();
    let placement = routes::Placement {
        ingresses,
        gateway_of,
        grpc: &grpc,
        services,
        host_names: &host_names,
    };
    let converted = routes::convert(&placement, &mut names);
    let mut routes = converted.routes;
    nginx.canary(&mut routes);
    nginx.redirects(&mut routes);
    nginx.header_modifiers(&mut routes);
    Routed {
        part,
        nginx,
        host_names,
        members,
        names,
        routes,
        needs: converted.listeners,
        diagnostics: converted.diagnostics,
    }
}

/// The rest of one part's plan, given the regex hosts of all parts: its routes, listeners,
/// ListenerSets and Gateways as builders, with what planning them found.
fn finish_part(
    routed: Routed<'_>,
    regex_hosts: &BTreeSet<String>,
    objects: &providers::Objects,
    options: &ConvertOptions,
) -> (Vec<layout::Make>, Vec<Diagnostic>) {
    let Routed {
        part,
        mut nginx,
        host_names,
        members,
        mut names,
        mut routes,
        mut needs,
        mut diagnostics,
    } = routed;
    let Part {
        ingresses,
        gateway_of,
        gateways,
    } = part;
    nginx.regex(&mut routes, regex_hosts);
    nginx.ssl_passthrough(&mut routes, &mut needs, &mut names);
    nginx.app_root(&mut routes);
    nginx.rewrite_target(&mut routes);
    nginx.timeouts(&mut routes, options.emitter);
    nginx.cors(&mut routes);
    nginx.ssl_redirect(&mut routes, &mut names);
    nginx.www_redirect(&mut routes, &mut needs, &mut names);
    nginx.report_untranslated(options.emitter);
    let mut provided = providers::Plan {
        ingresses,
        objects,
        routes: &mut routes,
        needs: &mut needs,
        names: &mut names,
        diagnostics: Vec::new(),
    };
    providers::plan(&mut provided);
    diagnostics.append(&mut provided.diagnostics);
    let mut policies = nginx.backend_tls_policies(gateway_of, &mut names);
    let (provided_policies, mut found) =
        providers::policies(ingresses, gateway_of, gateways, objects, &mut names);
    policies.extend(provided_policies);
    diagnostics.append(&mut found);
    diagnostics.append(&mut nginx.diagnostics);
    let (mut emitted, mut found) = options.emitter.emit(ingresses, &mut routes, &mut names);
    policies.append(&mut emitted);
    diagnostics.append(&mut found);
    release::fit_redirects(
        &mut routes,
        ingresses,
        options.gateway_api,
        &mut diagnostics,
    );

    // Every TLS host gets its listeners, rules or not: in either layout cert-manager issues
    // the Certificates of the Ingress's TLS entries from them.
    needs.extend(tls::tls_host_listeners(ingresses, gateway_of, &needs));
    let (certificate_annotations, found): (Vec<_>, Vec<_>) = ingresses
        .par_iter()
        .map(|ingress| tls::certificate_annotations(ingress, &options.shim, options.tls_in))
        .unzip();
    diagnostics.extend(found.into_iter().flatten());
    let mut layout = layout::Layout {
        options,
        ingresses,
        gateways,
        host_names: &host_names,
        certificate_annotations,
        gateway_of,
        members: &members,
    };
    let (mut makes, mut found) = layout.build(needs, routes, &mut names);
    diagnostics.append(&mut found);
    makes.extend(policies);
    (makes, diagnostics)
}

/// The positions of `items` in the order of their keys, equal keys in their order: what a
/// stable sort gives. Sorting the keys and then moving each item into place ([`permute`]) is
/// faster than a sort of large items, which moves each of them many times.
fn sorted_order<'a, T, K: Ord + Send>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<usize> {
    let mut keyed: Vec<(K, usize)> = items.iter().map(key).zip(0..).collect();
    // The position breaks ties, so an unstable sort gives the stable order (and sorts in
    // place, on all threads).
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, at)| at).collect()
}

/// Rearranges `items` in place so that the i-th is the one that was at `order[i]`, following
/// each cycle of the permutation (`order` must be one).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // A visited position points at itself.
        while let Some(&from) = order.get(at) {
            if let Some(done) = order.get_mut(at) {
                *done = at;
            }
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The CEL and structural rules of Gateway API the object breaks (an Ingress host that is no
/// valid listener hostname, say), as errors: lsc never writes what the API server refuses.
/// [`crate::cel`] checks the kinds it covers; the validator built from the CRDs of
/// `--gateway-api-version` checks the others (GRPCRoute, TLSRoute, BackendTLSPolicy,
/// ReferenceGrant, ...), and every kind under an older release than the newest, whose rules
/// `crate::cel` does not follow.
fn rejected_by_api_server(object: &Emitted, options: &ConvertOptions) -> Vec<Diagnostic> {
    let node = object.tree();
    let Some(root) = node.as_map() else {
        return Vec::new();
    };
    let api_version = root
        .get_value("apiVersion")
        .and_then(|n| n.value.as_str())
        .unwrap_or_default();
    let name_is_valid = object.name.len() <= 253 && crate::cel::is_dns_subdomain(&object.name);
    let name_violation = (!name_is_valid).then(|| {
        format!(
            "metadata.name: Invalid value: {:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            object.name
        )
    });
    let rejected = |violation: String| {
        Diagnostic::error(
            object.source.as_deref().cloned(),
            format!(
                "the API server would reject {} {}/{}: {violation}",
                object.kind, object.namespace, object.name
            ),
        )
    };
    let mut found: Vec<Diagnostic> = name_violation
        .into_iter()
        .chain(crate::cel::violations(api_version, &object.kind, root))
        .map(rejected)
        .collect();
    found.extend(crd_violations(
        object,
        api_version,
        root,
        node.line,
        options,
    ));
    found
}

/// The refusals of the validator built from the CRDs of `--gateway-api-version` for an
/// object lsc made: an error that names the release, since lsc should not make it.
fn crd_violations(
    object: &Emitted,
    api_version: &str,
    root: &crate::source::tree::Map,
    line: u32,
    options: &ConvertOptions,
) -> Vec<Diagnostic> {
    let release = options.gateway_api;
    if release == crate::crd::Release::default() && crate::cel::covers(api_version, &object.kind) {
        return Vec::new();
    }
    let group = api_version.split_once('/').map_or("", |(group, _)| group);
    let gateway_api = group == objects::GATEWAY_GROUP || group == "gateway.networking.x-k8s.io";
    let refused = |message: String| {
        Diagnostic::error(
            object.source.as_deref().cloned(),
            if gateway_api {
                format!(
                    "lsc would write {} {}/{}, which the API server of Gateway API {release} refuses: {message}",
                    object.kind, object.namespace, object.name
                )
            } else {
                format!(
                    "lsc would write {} {}/{}, which the API server refuses: {message}",
                    object.kind, object.namespace, object.name
                )
            },
        )
    };
    let channel = options.crd_channel();
    match crate::crd::validate_map(api_version, &object.kind, root, line, release, channel) {
        Some(violations) => violations
            .into_iter()
            .filter(|v| v.constraint != crate::crd::RULES_NOT_CHECKED)
            .map(|v| refused(v.message))
            .collect(),
        None if gateway_api => vec![refused(format!(
            "no CRD of the release serves {api_version} {}",
            object.kind
        ))],
        None => Vec::new(),
    }
}

/// The kinds `lsc convert` reads, as one list whose slices [`convert_kinds`] takes: first the
/// Gateway `--gateway` may name in the inputs; then Ingresses, Services (named ports) and
/// IngressClasses (the default class), Traefik Middlewares (`router.middlewares`), Kong's plugins
/// (`konghq.com/plugins`) and its TCPIngresses and UDPIngresses (warned), GKE's BackendConfigs
/// and FrontendConfigs; then, with ListenerSet v1 output, what the XListenerSet
/// upgrade rewrites: XListenerSets and the [`upgrade::REFERRING_KINDS`], of which only those
/// naming `XListenerSet` are parsed (most routes in a tree do not).
const KINDS: &[&str] = &[
    "Gateway",
    "Ingress",
    "Service",
    "IngressClass",
    "Middleware",
    "KongPlugin",
    "KongClusterPlugin",
    "TCPIngress",
    "UDPIngress",
    "BackendConfig",
    "FrontendConfig",
    "XListenerSet",
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "ReferenceGrant",
];

/// The slice of [`KINDS`] a run reads: the Gateway only with `--gateway`, the upgrade's kinds
/// only with `upgrade`.
fn convert_kinds(gateway: bool, upgrade: bool) -> &'static [&'static str] {
    let from = usize::from(!gateway);
    let to = if upgrade { KINDS.len() } else { 11 };
    KINDS.get(from..to).unwrap_or(KINDS)
}

/// Reads the inputs and converts them.
pub fn convert(inputs: &[InputSource], options: &ConvertOptions) -> Converted {
    let upgrade = options.listenerset_api == ListenerSetApi::V1;
    let limits = Limits {
        only_kinds: Some(convert_kinds(options.gateway.is_some(), upgrade)),
        only_naming: upgrade.then_some((upgrade::REFERRING_KINDS, "XListenerSet")),
        ..options.limits
    };
    // Each input's documents become Ingresses and Service ports on the thread that read
    // them; only those stay in memory.
    let per_input = crate::source::load_each(inputs, &limits, |documents, mut diagnostics| {
        let read = read(&documents, options, &mut diagnostics);
        (read, diagnostics)
    });
    let mut read_inputs = Inputs::default();
    // Exactly the room the Ingresses need: they are kept until the end.
    read_inputs.ingresses.reserve_exact(
        per_input
            .results
            .iter()
            .map(|(i, _)| i.ingresses.len())
            .sum(),
    );
    let mut read_diagnostics = Vec::new();
    for (input, mut diagnostics) in per_input.results {
        read_inputs.append(input);
        read_diagnostics.append(&mut diagnostics);
    }
    read_diagnostics.append(&mut read_inputs.keep_last());
    let mut converted = convert_inputs(read_inputs, Vec::new(), options);
    let mut diagnostics = read_diagnostics;
    diagnostics.append(&mut converted.diagnostics);
    crate::diag::sort(&mut diagnostics, &per_input.names);
    diagnostics.splice(0..0, per_input.discovery);
    converted.diagnostics = diagnostics;
    if converted.diagnostics.iter().any(Diagnostic::is_error) {
        converted.objects.clear();
    }
    converted
}

/// The summary line: `converted 2 Ingresses into 5 objects (1 Gateway, …); 0 warnings`, with
/// where they were written.
pub fn summary(converted: &Converted, written_to: Option<&str>) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut counts: Vec<(String, usize)> = Vec::new();
    for o in &converted.objects {
        match counts.iter_mut().find(|(k, _)| *k == o.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((o.kind.clone(), 1)),
        }
    }
    let warnings = converted
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Warning)
        .count();
    let kinds: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            let many = match k.strip_suffix("Policy") {
                Some(stem) => format!("{stem}Policies"),
                None => format!("{k}s"),
            };
            plural(*n, k, &many)
        })
        .collect();
    let mut line = format!(
        "converted {}",
        plural(converted.ingresses, "Ingress", "Ingresses")
    );
    if !converted.providers.is_empty() {
        let served: Vec<String> = converted
            .providers
            .iter()
            .map(|(provider, n)| format!("{n} {}", provider.name()))
            .collect();
        line.push_str(&format!(" (served by {})", served.join(", ")));
    }
    if converted.upgraded > 0 {
        line.push_str(&format!(
            " and upgraded {} from XListenerSet",
            plural(converted.upgraded, "object", "objects")
        ));
    }
    line.push_str(&format!(
        " into {}",
        plural(converted.objects.len(), "object", "objects")
    ));
    if !kinds.is_empty() {
        line.push_str(&format!(" ({})", kinds.join(", ")));
    }
    if let Some(dir) = written_to {
        line.push_str(&format!(", written to {dir}"));
    }
    line.push_str(&format!("; {}", plural(warnings, "warning", "warnings")));
    if let Some(accepted) = security::summary(&converted.unprotected) {
        line.push_str(&format!("; {accepted}"));
    }
    line
}

#[cfg(test)]
mod tests {
    /// The four slices are the lists each run reads.
    #[test]
    fn convert_kinds_are_the_lists_each_run_reads() {
        let base = [
            "Ingress",
            "Service",
            "IngressClass",
            "Middleware",
            "KongPlugin",
            "KongClusterPlugin",
            "TCPIngress",
            "UDPIngress",
            "BackendConfig",
            "FrontendConfig",
        ];
        let upgrade = [
            "XListenerSet",
            "HTTPRoute",
            "GRPCRoute",
            "TLSRoute",
            "TCPRoute",
            "UDPRoute",
            "ReferenceGrant",
        ];
        fn sorted<'a>(kinds: &[&'a str]) -> Vec<&'a str> {
            let mut kinds = kinds.to_vec();
            kinds.sort_unstable();
            kinds
        }
        let with_upgrade: Vec<&str> = base.iter().chain(&upgrade).copied().collect();
        assert_eq!(sorted(super::convert_kinds(false, false)), sorted(&base));
        assert_eq!(
            sorted(super::convert_kinds(false, true)),
            sorted(&with_upgrade)
        );
        let gateway: Vec<&str> = base.iter().copied().chain(["Gateway"]).collect();
        assert_eq!(sorted(super::convert_kinds(true, false)), sorted(&gateway));
        let all: Vec<&str> = with_upgrade.iter().copied().chain(["Gateway"]).collect();
        assert_eq!(sorted(super::convert_kinds(true, true)), sorted(&all));
    }

    use super::{
        ConvertOptions, ListenerSetApi, Planning, TlsIn, convert_planned, permute, read,
        sorted_order,
    };
    use crate::source::{Limits, given, load};
    use proptest::prelude::*;

    /// Planning each namespace apart gives what planning every Ingress together gives: the
    /// same objects and the same findings. Checked on every convert fixture's input read as one
    /// tree (many namespaces, clashing names and hosts), in both layouts and both APIs.
    #[test]
    fn planning_by_namespace_is_planning_the_whole() {
        let root = env!("CARGO_MANIFEST_DIR");
        let paths: Vec<String> = ["convert", "convert-i2gw"]
            .iter()
            .map(|area| format!("{root}/tests/fixtures/{area}"))
            .collect();
        let loaded = load(&given(&paths), &Limits::default());
        for (tls_in, listenerset_api) in [
            (TlsIn::ListenerSet, ListenerSetApi::V1),
            (TlsIn::Gateway, ListenerSetApi::V1),
            (TlsIn::ListenerSet, ListenerSetApi::V1Alpha1),
        ] {
            let options = ConvertOptions {
                default_namespace: "default".to_string(),
                tls_in,
                listenerset_api,
                ..ConvertOptions::default()
            };
            let convert = |planning| {
                let mut diagnostics = Vec::new();
                let inputs = read(&loaded.documents, &options, &mut diagnostics);
                let namespaces: std::collections::BTreeSet<String> = inputs
                    .ingresses
                    .iter()
                    .map(|i| i.meta.namespace.clone())
                    .collect();
                assert!(namespaces.len() > 5, "{namespaces:?}");
                let mut converted = convert_planned(inputs, diagnostics, &options, planning);
                converted
                    .diagnostics
                    .sort_by_cached_key(|d| format!("{d:?}"));
                converted
            };
            let apart = convert(Planning::ByNamespace);
            let whole = convert(Planning::Whole);
            assert!(apart.objects.len() > 100, "{}", apart.objects.len());
            assert!(!apart.diagnostics.is_empty());
            let first_difference = apart
                .objects
                .iter()
                .zip(&whole.objects)
                .find(|(a, w)| a != w)
                .map(|(a, _)| format!("{} {}/{}", a.kind, a.namespace, a.name));
            assert_eq!(first_difference, None, "{tls_in:?} {listenerset_api:?}");
            assert_eq!(apart.objects.len(), whole.objects.len());
            assert_eq!(apart.diagnostics, whole.diagnostics);
            assert_eq!(apart.ingresses, whole.ingresses);
            assert_eq!(apart.replaced, whole.replaced);
        }
    }

    proptest! {
        /// Sorting the keys and moving the items gives what a stable sort of the items gives,
        /// ties in their order included.
        #[test]
        fn sorting_by_order_is_a_stable_sort(items in prop::collection::vec((0u8..4, any::<u16>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| *key);
            let mut sorted = items.clone();
            permute(&mut sorted, sorted_order(&items, |(key, _)| *key));
            prop_assert_eq!(sorted, expected);
        }
    }
}

#[cfg(test)]
mod release_tests {
    use super::{ListenerSetApi, listener_set_api};
    use crate::crd::Release;

    #[test]
    fn the_listener_set_api_follows_the_release_and_the_other_way_round() {
        use ListenerSetApi::{V1, V1Alpha1};
        for (release, asked, chosen) in [
            (None, None, (Release::V1_6, V1)),
            (None, Some(V1), (Release::V1_6, V1)),
            (None, Some(V1Alpha1), (Release::V1_4, V1Alpha1)),
            (Some(Release::V1_4), None, (Release::V1_4, V1Alpha1)),
            (
                Some(Release::V1_4),
                Some(V1Alpha1),
                (Release::V1_4, V1Alpha1),
            ),
            (Some(Release::V1_5), None, (Release::V1_5, V1)),
            (Some(Release::V1_6), Some(V1), (Release::V1_6, V1)),
        ] {
            assert_eq!(
                listener_set_api(release, asked),
                Ok(chosen),
                "{release:?} {asked:?}"
            );
        }
        let refused = listener_set_api(Some(Release::V1_4), Some(V1)).unwrap_err();
        assert!(
            refused.contains("v1.4.1 serves no ListenerSet v1"),
            "{refused}"
        );
        let refused = listener_set_api(Some(Release::V1_5), Some(V1Alpha1)).unwrap_err();
        assert!(
            refused.contains("v1.5.1 serves no XListenerSet"),
            "{refused}"
        );
    }
}
