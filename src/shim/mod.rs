//! cert-manager's certificate-shim as pure functions: which objects trigger, which issuer,
//! which TLS entries and listeners count, and the Certificates that result
//! (cert-manager `pkg/controller/certificate-shim/`).

pub mod annotation_keys;
pub mod certificate;
pub mod config;
pub mod issuer;
pub mod provenance;
pub mod translate;
pub mod version;

use foldhash::HashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, ObjectRef};
use crate::model::fields::SortedMap;
use crate::model::{CertificateRef, Listener, Object, SourceKind, Spec};
use annotation_keys as key;
use certificate::{Certificate, CertificateSpec, OwnerReference};
use config::ShimConfig;
use provenance::Annotations;

/// What rendering produced: Certificates sorted by namespace and name, diagnostics in input
/// order, and for `--explain` the reasons behind each Certificate.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Shared with the claims that asked for them (`Arc`): a Certificate is large.
    pub certificates: Vec<Arc<Certificate>>,
    pub diagnostics: Vec<Diagnostic>,
    pub explanations: BTreeMap<(String, String), Vec<String>>,
    /// Every object's request for a Certificate, including those a first claimant already
    /// holds, in input order (for `lsc check`).
    pub claims: Vec<Claim>,
}

/// One object asking for one Certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub certificate: Arc<Certificate>,
    pub object: ObjectRef,
    pub location: crate::diag::Location,
}

/// A Certificate as a key by its namespace and name, without copying them.
struct ByName(Arc<Certificate>);

impl ByName {
    fn id(&self) -> (&str, &str) {
        (&self.0.namespace, &self.0.name)
    }
}

impl PartialEq for ByName {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for ByName {}

impl std::hash::Hash for ByName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

/// Go's `strconv.ParseBool` said true.
fn parse_bool_true(value: &str) -> bool {
    crate::golang::strconv::parse_bool(value) == Some(true)
}

/// What [`render`] records besides the Certificates and diagnostics; both cost memory at the
/// scale of a monorepo, so only the commands that need them ask.
#[derive(Debug, Clone, Copy, Default)]
pub struct Record {
    /// The reasons behind each Certificate (`--explain`).
    pub explanations: bool,
    /// Every object's request for a Certificate (`lsc check`).
    pub claims: bool,
}

/// A Certificate being planned, with the explanation lines that go with it.
struct Planned {
    /// Shared from the start: boxed on the worker thread that made it, not during the claims.
    certificate: Arc<Certificate>,
    explanation: Vec<String>,
}

/// The errors the shim reports for one Ingress (then it creates no Certificate for it): what
/// `lsc render` says of it, for `lsc convert`, which moves the Ingress's annotations on. The
/// checks [`sync`] makes, in its order, without building the Certificates (the annotations'
/// errors do not depend on the hosts).
pub fn ingress_errors(object: &Object, config: &ShimConfig) -> Vec<Diagnostic> {
    let Spec::Ingress(ingress) = &object.spec else {
        return Vec::new();
    };
    // Most Ingresses of a tree carry no annotation the shim reads, or a lone issuer annotation:
    // no need to look closer.
    let reads = |k: &str| {
        key::is_cert_manager(k) || config.auto_certificate_annotations.iter().any(|a| a == k)
    };
    let mut read = object.meta.annotations.iter().filter(|(k, _)| reads(k));
    let (first, value) = match (read.next(), read.next()) {
        (None, _) => return Vec::new(),
        (Some(only), None) if !object.meta.deleting => only,
        _ => return ingress_errors_in_full(object, ingress, config),
    };
    // The most common case by far, one issuer annotation and nothing else the shim reads: then
    // only two TLS entries naming one Secret can be refused.
    let lone_issuer =
        (first == key::ISSUER || first == key::CLUSTER_ISSUER) && !value.value.is_empty();
    if !lone_issuer {
        return ingress_errors_in_full(object, ingress, config);
    }
    match repeated_secret_names(ingress) {
        Some(error) => vec![secret_names_error(
            object,
            &object.reference(),
            ingress,
            error,
        )],
        None => Vec::new(),
    }
}

/// [`ingress_errors`] for an Ingress with any annotation the shim reads.
fn ingress_errors_in_full(
    object: &Object,
    ingress: &crate::model::Ingress,
    config: &ShimConfig,
) -> Vec<Diagnostic> {
    let object_ref = object.reference();
    let annotations = Annotations::own(&object_ref, &object.meta.annotations);
    if !is_triggered(object, &annotations, config) || object.meta.deleting {
        return Vec::new();
    }
    if let Err(errors) = issuer::select_issuer(&annotations, config) {
        return vec![issuer_error(object, &object_ref, &errors)];
    }
    if let Some(error) = repeated_secret_names(ingress) {
        return vec![secret_names_error(object, &object_ref, ingress, error)];
    }
    // Without a TLS entry [`ingress_requests`] keeps, no Certificate and no annotation error.
    let requested =
        |t: &&crate::model::IngressTls| !t.hosts.is_empty() && !t.secret_name.is_empty();
    if !ingress.tls.iter().any(|t| requested(&t)) {
        return Vec::new();
    }
    // The Certificate fields come from `cert-manager.io/*` annotations other than the issuer's.
    let issuer_keys = [
        key::ISSUER,
        key::CLUSTER_ISSUER,
        key::ISSUER_KIND,
        key::ISSUER_GROUP,
    ];
    let translated = object
        .meta
        .annotations
        .keys()
        .any(|k| k.starts_with("cert-manager.io/") && !issuer_keys.contains(&k.as_str()));
    if !translated {
        return Vec::new();
    }
    let mut spec = CertificateSpec::default();
    match translate::translate_annotations(&mut spec, &annotations, &mut Vec::new(), config.version)
    {
        Ok(()) => Vec::new(),
        Err(e) => vec![annotation_error(object, &object_ref, e)],
    }
}

/// What the shim would report of a ListenerSet whose parent Gateway is not in the inputs (for
/// `lsc check`, which says the parent is missing and still judges the ListenerSet): the
/// listeners it skips and its own annotations' errors, as if the Gateway gave it no annotation.
/// Issuer errors are judged only when the ListenerSet names an issuer itself: the Gateway's
/// issuer and cluster-issuer come only to a ListenerSet without either, and the Gateway's
/// issuer-kind or issuer-group cannot mend a conflict of its own.
pub fn listener_set_errors_alone(object: &Object, config: &ShimConfig) -> Vec<Diagnostic> {
    let Spec::ListenerSet { listeners, .. } = &object.spec else {
        return Vec::new();
    };
    let read = config.gateway_api && config.listener_sets && config.version.reads_listener_sets();
    if !read || object.meta.deleting {
        return Vec::new();
    }
    let object_ref = object.reference();
    let annotations = Annotations::own(&object_ref, &object.meta.annotations);
    if annotations.contains(key::ISSUER) || annotations.contains(key::CLUSTER_ISSUER) {
        if let Err(errors) = issuer::select_issuer(&annotations, config) {
            return vec![issuer_error(object, &object_ref, &errors)];
        }
    }
    let mut diagnostics = Vec::new();
    let requests = listener_requests(object, listeners, config, false, &mut diagnostics);
    if !requests.is_empty() {
        let mut spec = CertificateSpec::default();
        let translated = translate::translate_annotations(
            &mut spec,
            &annotations,
            &mut Vec::new(),
            config.version,
        );
        if let Err(e) = translated {
            diagnostics.push(annotation_error(object, &object_ref, e));
        }
    }
    diagnostics
}

/// "Could not determine issuer": the shim's BadConfig event when the issuer annotations
/// contradict each other, located at the contradicting annotations (the first, the others
/// shown beside it), or at `annotations:` when they are inherited or missing.
fn issuer_error(
    object: &Object,
    object_ref: &ObjectRef,
    error: &issuer::IssuerError,
) -> Diagnostic {
    let (first, others) = error
        .lines
        .split_first()
        .map_or((object.meta.annotations_line, &[][..]), |(f, o)| (*f, o));
    let hint = if error.no_name {
        "; give --default-issuer-name or an issuer annotation (cert-manager.io/issuer or cert-manager.io/cluster-issuer)"
    } else {
        ""
    };
    Diagnostic::error(
        Some(object.location.at_line(first)),
        format!(
            "Could not determine issuer for ingress due to bad annotations: {}{hint}{}",
            error.messages.join(", "),
            says_ingress(object, "ingress")
        ),
    )
    .about(object_ref)
    .also_at(others)
}

/// What follows cert-manager's text when it says "ingress" about a Gateway, ListenerSet or
/// XListenerSet (the shim's messages name every kind so), saying which kind it is about.
fn says_ingress(object: &Object, message: &str) -> String {
    match object.kind {
        SourceKind::Ingress => String::new(),
        _ if !message.contains("ingress") => String::new(),
        kind => format!(" (cert-manager's text; the object is a {})", kind.kind()),
    }
}

fn secret_names_error(
    object: &Object,
    object_ref: &ObjectRef,
    ingress: &crate::model::Ingress,
    error: String,
) -> Diagnostic {
    Diagnostic::error(Some(object.location.at_line(ingress.tls_line)), error).about(object_ref)
}

fn annotation_error(
    object: &Object,
    object_ref: &ObjectRef,
    error: translate::AnnotationError,
) -> Diagnostic {
    let message = format!("{}{}", error.message, says_ingress(object, &error.message));
    Diagnostic::error(Some(object.location.at_line(error.line)), message).about(object_ref)
}

/// Renders every Ingress, Gateway, ListenerSet and XListenerSet the config enables, recording
/// what `record` asks for.
pub fn render(objects: &[Object], config: &ShimConfig, record: Record) -> Rendered {
    let explain = record.explanations;
    // About one Certificate per object: reserving avoids copying a large vector as it grows.
    let mut rendered = Rendered {
        certificates: Vec::with_capacity(objects.len()),
        ..Rendered::default()
    };
    let gateways: HashMap<(&str, &str), &Object> = objects
        .iter()
        .filter(|o| o.kind == SourceKind::Gateway)
        .map(|o| ((o.meta.namespace.as_str(), o.meta.name.as_str()), o))
        .collect();
    // The first object to claim a Certificate name keeps it, as in a cluster the first to
    // create it owns it and cert-manager leaves it alone for the others. Claims that would
    // give the same spec (an Ingress and the ListenerSet that replaces it) are harmless.
    // (namespace, name) → (the claiming object, the Certificate's index).
    let mut claimed: HashMap<ByName, (&Object, usize)> =
        HashMap::with_capacity_and_hasher(objects.len(), Default::default());
    let mut without_uid = 0usize;

    // Each object's Certificates depend on it and its parent Gateway only: plan them in
    // parallel, then settle the claims in input order.
    let per_object: Vec<(Vec<Planned>, Vec<Diagnostic>)> = objects
        .par_iter()
        .map(|object| {
            let mut diagnostics = Vec::new();
            let object_ref = object.reference();
            let gateway_ref;
            let annotations = match object.kind {
                SourceKind::Ingress => Annotations::own(&object_ref, &object.meta.annotations),
                SourceKind::Gateway if config.gateway_api => {
                    Annotations::own(&object_ref, &object.meta.annotations)
                }
                SourceKind::ListenerSet | SourceKind::XListenerSet
                    if config.gateway_api && config.listener_sets =>
                {
                    let Some(gateway) = parent_gateway(object, &gateways, &mut diagnostics) else {
                        return (Vec::new(), diagnostics);
                    };
                    gateway_ref = gateway.reference();
                    let mut own = Annotations::own(&object_ref, &object.meta.annotations);
                    inherit_from_gateway(&mut own, gateway, &gateway_ref);
                    own
                }
                _ => return (Vec::new(), diagnostics),
            };
            let planned = sync(
                object,
                &object_ref,
                &annotations,
                config,
                explain,
                &mut diagnostics,
            );
            (planned, diagnostics)
        })
        .collect();

    for (object, (planned, mut diagnostics)) in objects.iter().zip(per_object) {
        rendered.diagnostics.append(&mut diagnostics);
        if !planned.is_empty() && object.meta.uid.is_none() {
            without_uid += 1;
        }
        for Planned {
            certificate,
            explanation,
        } in planned
        {
            let key = ByName(certificate.clone());
            if record.claims {
                rendered.claims.push(Claim {
                    certificate: certificate.clone(),
                    object: object.reference(),
                    location: object.location.clone(),
                });
            }
            if let Some(&(first, index)) = claimed.get(&key) {
                let id = (certificate.namespace.clone(), certificate.name.clone());
                let owner = first.reference();
                let same_spec = rendered
                    .certificates
                    .get(index)
                    .is_some_and(|c| c.spec == certificate.spec);
                if same_spec {
                    if let Some(lines) = rendered.explanations.get_mut(&id) {
                        lines.push(format!(
                            "also requested by {} with the same spec",
                            object.reference()
                        ));
                    }
                } else {
                    rendered.diagnostics.push(
                        Diagnostic::warning(
                            Some(object.location.clone()),
                            format!(
                                "Certificate {}/{} is also requested by {owner} with a different spec; in a cluster the first object to create it owns it and cert-manager leaves it alone for the others, so lsc keeps the one from {owner}",
                                id.0, id.1
                            ),
                        )
                        .about(&object.reference()),
                    );
                }
                continue;
            }
            if explain {
                let id = (certificate.namespace.clone(), certificate.name.clone());
                rendered.explanations.insert(id, explanation);
            }
            claimed.insert(key, (object, rendered.certificates.len()));
            rendered.certificates.push(certificate);
        }
    }
    if !config.version.reads_listener_sets() {
        let unread = objects
            .iter()
            .filter(|o| matches!(o.kind, SourceKind::ListenerSet | SourceKind::XListenerSet))
            .count();
        if unread > 0 {
            let (sets, are) = if unread == 1 {
                ("ListenerSet is", "it")
            } else {
                ("ListenerSets are", "them")
            };
            rendered.diagnostics.push(Diagnostic::note(format!(
                "{unread} {sets} ignored: cert-manager {} reads no ListenerSet (v1.20 and later read {are})",
                config.version
            )));
        }
    }
    // True of every manifest in git, lsc's main input: said only when asked.
    if without_uid > 0 && explain {
        let (objects, have) = if without_uid == 1 {
            ("object", "has")
        } else {
            ("objects", "have")
        };
        rendered.diagnostics.push(Diagnostic::note(format!(
            "{without_uid} source {objects} {have} no metadata.uid; Certificates are written without ownerReferences (cert-manager sets them from the live object)"
        )));
    }
    // Claims leave one Certificate per namespace and name, so any sort gives the same order.
    rendered
        .certificates
        .par_sort_unstable_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    rendered
}

/// A ListenerSet's parent Gateway, or why it has none (a Gateway being deleted gives no
/// Certificates either).
fn parent_gateway<'o>(
    object: &Object,
    gateways: &HashMap<(&str, &str), &'o Object>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'o Object> {
    let Spec::ListenerSet { parent, .. } = &object.spec else {
        return None;
    };
    let namespace = parent
        .namespace
        .as_deref()
        .filter(|ns| !ns.is_empty())
        .unwrap_or(&object.meta.namespace);
    if parent.name.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                Some(object.location.at_line(parent.line)),
                "spec.parentRef.name is empty; no Certificates for this ListenerSet",
            )
            .about(&object.reference()),
        );
        return None;
    }
    let Some(gateway) = gateways.get(&(namespace, parent.name.as_str())) else {
        diagnostics.push(
            Diagnostic::warning(
                Some(object.location.at_line(parent.line)),
                format!(
                    "parent Gateway {namespace}/{} is not in the input; no Certificates for this ListenerSet",
                    parent.name
                ),
            )
            .about(&object.reference()),
        );
        return None;
    };
    (!gateway.meta.deletion_timestamp).then_some(*gateway)
}

/// cert-manager's annotation inheritance (`listenerset/controller.go`): issuer and
/// cluster-issuer come from the Gateway only when the ListenerSet has neither; the Gateway's
/// issuer-kind and issuer-group always win.
fn inherit_from_gateway<'a>(
    annotations: &mut Annotations<'a>,
    gateway: &'a Object,
    gateway_ref: &'a ObjectRef,
) {
    let from = &gateway.meta.annotations;
    if !annotations.contains(key::ISSUER) && !annotations.contains(key::CLUSTER_ISSUER) {
        annotations.inherit(key::ISSUER, gateway_ref, from);
        annotations.inherit(key::CLUSTER_ISSUER, gateway_ref, from);
    }
    annotations.inherit(key::ISSUER_KIND, gateway_ref, from);
    annotations.inherit(key::ISSUER_GROUP, gateway_ref, from);
}

fn is_triggered(object: &Object, annotations: &Annotations<'_>, config: &ShimConfig) -> bool {
    if annotations.contains(key::ISSUER) || annotations.contains(key::CLUSTER_ISSUER) {
        return true;
    }
    object.kind == SourceKind::Ingress
        && config
            .auto_certificate_annotations
            .iter()
            .any(|k| annotations.value(k).is_some_and(parse_bool_true))
}

/// Kubernetes' aggregate of field errors: one plain, several in brackets, duplicates dropped.
pub(crate) fn aggregate(errors: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for e in errors {
        if !unique.contains(&e) {
            unique.push(e);
        }
    }
    match unique.as_slice() {
        [one] => (*one).clone(),
        many => format!(
            "[{}]",
            many.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// One Secret to issue for, with the hosts in order and what asked for it.
struct SecretRequest {
    namespace: String,
    name: String,
    hosts: Vec<String>,
    /// Listener names or TLS entry indexes, for `--explain`.
    origins: Vec<String>,
}

/// The shared sync of `sync.go` for one object.
fn sync(
    object: &Object,
    object_ref: &ObjectRef,
    annotations: &Annotations<'_>,
    config: &ShimConfig,
    explain: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Planned> {
    if !is_triggered(object, annotations, config) || object.meta.deleting {
        return Vec::new();
    }
    let issuer = match issuer::select_issuer(annotations, config) {
        Ok(choice) => choice,
        Err(errors) => {
            diagnostics.push(issuer_error(object, object_ref, &errors));
            return Vec::new();
        }
    };
    let requests = match &object.spec {
        Spec::Ingress(ingress) => {
            if let Some(error) = repeated_secret_names(ingress) {
                diagnostics.push(secret_names_error(object, object_ref, ingress, error));
                return Vec::new();
            }
            ingress_requests(object, explain, diagnostics)
        }
        Spec::Gateway { listeners } | Spec::ListenerSet { listeners, .. } => {
            listener_requests(object, listeners, config, explain, diagnostics)
        }
    };
    let mut planned = Vec::with_capacity(requests.len());
    for request in requests {
        let mut fields = Vec::new();
        let mut spec = CertificateSpec {
            secret_name: request.name.clone(),
            issuer_ref: issuer.issuer_ref.clone(),
            usages: vec![
                "digital signature".to_string(),
                "key encipherment".to_string(),
            ],
            ..CertificateSpec::default()
        };
        // Hosts are de-duplicated on master only (`splitHosts`, PR #8978).
        let mut seen = Vec::new();
        for host in request.hosts {
            if config.version.is_master() {
                if seen.contains(&host) {
                    continue;
                }
                seen.push(host.clone());
            }
            if host.parse::<std::net::IpAddr>().is_ok() {
                spec.ip_addresses.push(host);
            } else {
                spec.dns_names.push(host);
            }
        }
        if let Err(e) =
            translate::translate_annotations(&mut spec, annotations, &mut fields, config.version)
        {
            diagnostics.push(annotation_error(object, object_ref, e));
            return Vec::new();
        }
        let mut explanation = Vec::new();
        if explain {
            explanation = vec![
                format!(
                    "source: {object_ref} ({}:{}), {}",
                    object.location.file,
                    object.location.line,
                    request.origins.join(", ")
                ),
                format!(
                    "issuerRef.name: {:?}, from {}",
                    issuer.issuer_ref.name, issuer.name_from
                ),
                format!(
                    "issuerRef.kind: {:?}, from {}",
                    issuer.issuer_ref.kind, issuer.kind_from
                ),
                format!(
                    "issuerRef.group: {:?}, from {}",
                    issuer.issuer_ref.group, issuer.group_from
                ),
            ];
            explanation.extend(
                fields
                    .iter()
                    .map(|(field, source)| format!("{field}: from {source}")),
            );
            explanation.push(format!("as cert-manager {} does", config.version));
            if object.kind == SourceKind::XListenerSet {
                explanation.push("no final cert-manager release reads XListenerSet (only the pre-release v1.20.0-alpha.1 did, without HTTP-01 parentRef annotations); lsc renders it like a ListenerSet of the chosen version, without them".to_string());
            }
        }
        let certificate = Certificate {
            name: request.name,
            namespace: request.namespace,
            labels: object
                .meta
                .labels
                .iter()
                .filter(|(k, _)| k.as_str() != key::APPLYSET_PART_OF)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            annotations: certificate_annotations(object, annotations, config),
            owner: object.meta.uid.as_ref().map(|uid| OwnerReference {
                api_version: object.kind.api_version().to_string(),
                kind: object.kind.kind().to_string(),
                name: object.meta.name.clone(),
                uid: uid.clone(),
            }),
            spec,
        };
        planned.push(Planned {
            certificate: Arc::new(certificate),
            explanation,
        });
    }
    planned
}

/// cert-manager's whole-Ingress check: each secretName (even "") may appear in one TLS entry.
fn repeated_secret_names(ingress: &crate::model::Ingress) -> Option<String> {
    let mut first_index: Vec<(&str, usize)> = Vec::new();
    let mut reported: Vec<&str> = Vec::new();
    let mut errors = Vec::new();
    for (i, tls) in ingress.tls.iter().enumerate() {
        let name = tls.secret_name.as_str();
        match first_index.iter().find(|(n, _)| *n == name) {
            None => first_index.push((name, i)),
            Some(&(_, first)) if !reported.contains(&name) => {
                reported.push(name);
                errors.push(format!(
                    "spec.tls[{first}].secretName: Invalid value: {}: this secret name must only appear in a single TLS entry but is also used in spec.tls[{i}].secretName",
                    crate::golang::quote(name)
                ));
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        None
    } else {
        Some(aggregate(&errors))
    }
}

/// The Secrets an Ingress's TLS entries ask for; their origins only when `explain` asks.
fn ingress_requests(
    object: &Object,
    explain: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SecretRequest> {
    let Spec::Ingress(ingress) = &object.spec else {
        return Vec::new();
    };
    let mut requests = Vec::new();
    for (i, tls) in ingress.tls.iter().enumerate() {
        let mut errors = Vec::new();
        if tls.hosts.is_empty() {
            errors.push(format!("spec.tls[{i}].hosts: Required value"));
        }
        if tls.secret_name.is_empty() {
            errors.push(format!("spec.tls[{i}].secretName: Required value"));
        }
        if !errors.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Some(object.location.at_line(tls.line)),
                    format!("Skipped a TLS block: {}", aggregate(&errors)),
                )
                .about(&object.reference()),
            );
            continue;
        }
        requests.push(SecretRequest {
            namespace: object.meta.namespace.clone(),
            name: tls.secret_name.clone(),
            hosts: tls.hosts.clone(),
            origins: if explain {
                vec![format!("spec.tls[{i}]")]
            } else {
                Vec::new()
            },
        });
    }
    requests
}

/// Listener selection of `sync.go` for Gateways and ListenerSets, after CRD defaulting (the
/// requests' origins only when `explain` asks).
fn listener_requests(
    object: &Object,
    listeners: &[Listener],
    config: &ShimConfig,
    explain: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SecretRequest> {
    let ignored: Vec<&str> = object
        .meta
        .annotation(key::IGNORE_TLS_LISTENERS)
        .filter(|_| config.version.is_at_least_1_21())
        .map(|v| v.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let mut requests: Vec<SecretRequest> = Vec::new();
    // A Gateway may hold thousands of listeners: requests are found by Secret, and the
    // listeners already named in each request's origins by name, instead of by scans.
    let mut by_secret: HashMap<(&str, &str), usize> = HashMap::default();
    let mut origins: foldhash::HashSet<(usize, &str)> = foldhash::HashSet::default();
    for (i, listener) in listeners.iter().enumerate() {
        let tls_capable = matches!(listener.protocol.as_str(), "HTTPS" | "TLS")
            || config.extra_protocols.contains(&listener.protocol);
        if !tls_capable {
            continue;
        }
        // v1.17 validates Passthrough listeners like the others (and refuses them).
        let passthrough = listener
            .tls
            .as_ref()
            .is_some_and(|t| t.mode == "Passthrough");
        if passthrough && config.version.skips_passthrough() {
            continue;
        }
        if ignored.contains(&listener.name.as_str()) {
            continue;
        }
        let errors = validate_listener(i, listener, &object.meta.namespace);
        if !errors.is_empty() {
            let why = if passthrough {
                format!(
                    " (cert-manager {} validates Passthrough listeners; v1.18 and later skip them)",
                    config.version
                )
            } else {
                String::new()
            };
            diagnostics.push(
                Diagnostic::warning(
                    Some(object.location.at_line(listener.line)),
                    format!("Skipped a listener block: {}{why}", aggregate(&errors)),
                )
                .about(&object.reference()),
            );
            continue;
        }
        let (Some(tls), Some(hostname)) = (&listener.tls, &listener.hostname) else {
            continue;
        };
        for r in &tls.certificate_refs {
            let namespace = r.namespace.as_deref().unwrap_or(&object.meta.namespace);
            let origin = || format!("listener {}", listener.name);
            let next = requests.len();
            let at = *by_secret
                .entry((namespace, r.name.as_str()))
                .or_insert(next);
            let first_from_listener = origins.insert((at, listener.name.as_str()));
            match requests.get_mut(at) {
                Some(q) => {
                    q.hosts.push(hostname.clone());
                    if explain && first_from_listener {
                        q.origins.push(origin());
                    }
                }
                None => requests.push(SecretRequest {
                    namespace: r
                        .namespace
                        .clone()
                        .unwrap_or_else(|| object.meta.namespace.clone()),
                    name: r.name.clone(),
                    hosts: vec![hostname.clone()],
                    origins: if explain { vec![origin()] } else { Vec::new() },
                }),
            }
        }
    }
    requests
}

/// `validateGatewayListenerBlock`: field errors of one listener (paths say `spec.listeners`
/// and `certificateRef`, singular, for ListenerSets too).
fn validate_listener(i: usize, listener: &Listener, namespace: &str) -> Vec<String> {
    let path = format_args!("spec.listeners[{i}]");
    let mut errors = Vec::new();
    if listener.hostname.as_deref().unwrap_or_default().is_empty() {
        errors.push(format!(
            "{path}.hostname: Required value: the hostname cannot be empty"
        ));
    }
    let Some(tls) = &listener.tls else {
        errors.push(format!(
            "{path}.tls: Required value: the TLS block cannot be empty"
        ));
        return errors;
    };
    if tls.certificate_refs.is_empty() {
        errors.push(format!(
            "{path}.tls.certificateRef: Required value: listener has no certificateRefs"
        ));
    }
    for (
        j,
        CertificateRef {
            group,
            kind,
            namespace: ref_ns,
            ..
        },
    ) in tls.certificate_refs.iter().enumerate()
    {
        if !(group.is_empty() || group == "core") {
            errors.push(format!(
                "{path}.tls.certificateRef[{j}].group: Unsupported value: {}: supported values: \"core\", \"\"",
                crate::golang::quote(group)
            ));
        }
        if !(kind.is_empty() || kind == "Secret") {
            errors.push(format!(
                "{path}.tls.certificateRef[{j}].kind: Unsupported value: {}: supported values: \"Secret\", \"\"",
                crate::golang::quote(kind)
            ));
        }
        if let Some(ns) = ref_ns.as_deref().filter(|ns| *ns != namespace) {
            errors.push(format!(
                "{path}.tls.certificateRef[{j}].namespace: Invalid value: {}: cross-namespace secret references are not allowed in listeners",
                crate::golang::quote(ns)
            ));
        }
    }
    if tls.mode.is_empty() {
        errors.push(format!(
            "{path}.tls.mode: Required value: the mode field is required"
        ));
    } else if tls.mode != "Terminate" {
        errors.push(format!(
            "{path}.tls.mode: Unsupported value: {}: supported values: \"Terminate\"",
            crate::golang::quote(&tls.mode)
        ));
    }
    errors
}

/// Certificate annotations: the extra annotations present on the object, the ACME HTTP-01
/// settings, and the parentRef annotations of Gateway API objects, as `config.version` writes
/// them. On master with server-side apply the Certificate is created by an apply whose
/// annotations are the extra-annotations map; `setIssuerSpecificConfig` writes the ACME
/// annotations into that same map when it exists (one or more extra annotations copied), so
/// they are sent then and dropped otherwise (`sync.go`).
fn certificate_annotations(
    object: &Object,
    annotations: &Annotations<'_>,
    config: &ShimConfig,
) -> SortedMap<String> {
    let version = config.version;
    let mut out = SortedMap::new();
    // From the annotations the shim evaluates: a ListenerSet's include those it inherited.
    for k in &config.extra_certificate_annotations {
        if let Some(v) = annotations.value(k) {
            out.insert(k.clone(), v.to_string());
        }
    }
    if config.server_side_apply && version.is_master() && out.is_empty() {
        return out;
    }
    if annotations.value(key::HTTP01_EDIT_IN_PLACE) == Some("true") {
        out.insert(
            key::HTTP01_OVERRIDE_INGRESS_NAME.to_string(),
            object.meta.name.clone(),
        );
        out.insert(
            key::ISSUE_TEMPORARY_CERTIFICATE.to_string(),
            "true".to_string(),
        );
    }
    // Before v1.20 an empty class is copied too.
    if let Some(class) = annotations
        .value(key::HTTP01_INGRESS_CLASS)
        .filter(|v| !v.is_empty() || !version.writes_parent_refs())
    {
        out.insert(
            key::HTTP01_OVERRIDE_INGRESS_CLASS.to_string(),
            class.to_string(),
        );
    }
    if !version.writes_parent_refs() {
        return out;
    }
    if let Some(class) = annotations
        .value(key::HTTP01_INGRESS_INGRESSCLASSNAME)
        .filter(|v| !v.is_empty())
    {
        out.insert(
            key::HTTP01_OVERRIDE_INGRESS_INGRESSCLASSNAME.to_string(),
            class.to_string(),
        );
    }
    match &object.spec {
        Spec::Ingress(_) => {}
        Spec::Gateway { .. } => {
            out.insert(
                key::HTTP01_PARENTREF_KIND.to_string(),
                "Gateway".to_string(),
            );
            out.insert(
                key::HTTP01_PARENTREF_NAME.to_string(),
                object.meta.name.clone(),
            );
        }
        // The only release that read XListenerSet (v1.20.0-alpha.1) wrote no parentRef
        // annotations.
        Spec::ListenerSet { .. } if object.kind == SourceKind::XListenerSet => {}
        Spec::ListenerSet { parent, .. } => {
            if version.is_at_least_1_21()
                && annotations
                    .value(key::HTTP01_PARENTREF_FALLBACK)
                    .is_some_and(parse_bool_true)
            {
                let namespace = parent
                    .namespace
                    .clone()
                    .filter(|ns| !ns.is_empty())
                    .unwrap_or_else(|| object.meta.namespace.clone());
                out.insert(
                    key::HTTP01_PARENTREF_KIND.to_string(),
                    "Gateway".to_string(),
                );
                out.insert(key::HTTP01_PARENTREF_NAME.to_string(), parent.name.clone());
                out.insert(key::HTTP01_PARENTREF_NAMESPACE.to_string(), namespace);
            } else {
                out.insert(
                    key::HTTP01_PARENTREF_KIND.to_string(),
                    "ListenerSet".to_string(),
                );
                out.insert(
                    key::HTTP01_PARENTREF_NAME.to_string(),
                    object.meta.name.clone(),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ingress_errors` reports exactly the errors rendering the Ingress reports, for every
    /// Ingress of the render, convert and check fixtures, with and without a default issuer, as
    /// the default release and as master (whose shim validates more annotations).
    #[test]
    fn ingress_errors_are_renders_errors() {
        let root = env!("CARGO_MANIFEST_DIR");
        let paths: Vec<String> = ["render", "convert", "check"]
            .iter()
            .map(|area| format!("{root}/tests/fixtures/{area}"))
            .collect();
        let loaded = crate::source::load(
            &crate::source::given(&paths),
            &crate::source::Limits::default(),
        );
        // And the cases the fixtures may lack: a lone issuer annotation with one Secret named
        // twice, or empty; a deleted Ingress.
        let extra = [
            "tls:\n  - {hosts: [a.example.com], secretName: s}\n  - {hosts: [b.example.com], secretName: s}",
            "tls:\n  - {hosts: [a.example.com], secretName: s}",
        ]
        .iter()
        .flat_map(|tls| {
            ["cert-manager.io/cluster-issuer: ca", "cert-manager.io/issuer: \"\""].map(|a| {
                format!("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n    {a}\nspec:\n  {tls}\n")
            })
        })
        .collect::<Vec<_>>()
        .join("---\n");
        let (extra, read) = crate::source::documents(
            &"extra.yaml".into(),
            &extra,
            &crate::source::Limits::default(),
        );
        assert!(read.is_empty(), "{read:?}");
        let documents: Vec<_> = loaded.documents.into_iter().chain(extra).collect();
        let (objects, _) = crate::model::parse_all(&documents, "default");
        let ingresses: Vec<&Object> = objects
            .iter()
            .filter(|o| o.kind == SourceKind::Ingress)
            .collect();
        assert!(ingresses.len() > 200, "{}", ingresses.len());
        let with_default = ShimConfig {
            default_issuer_name: "letsencrypt".to_string(),
            ..ShimConfig::default()
        };
        let master = ShimConfig {
            version: version::CertManagerVersion::Master,
            ..ShimConfig::default()
        };
        let mut errors = 0;
        for config in [ShimConfig::default(), with_default, master] {
            for ingress in &ingresses {
                let record = Record {
                    explanations: false,
                    claims: false,
                };
                let rendered = render(std::slice::from_ref(*ingress), &config, record);
                let expected: Vec<&Diagnostic> = rendered
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .collect();
                let got = ingress_errors(ingress, &config);
                errors += got.len();
                assert_eq!(
                    got.iter().collect::<Vec<_>>(),
                    expected,
                    "{}",
                    ingress.reference()
                );
            }
        }
        assert!(errors > 20, "{errors}");
    }

    #[test]
    fn aggregate_like_kubernetes() {
        assert_eq!(aggregate(&["a".to_string()]), "a");
        assert_eq!(
            aggregate(&["a".to_string(), "b".to_string(), "a".to_string()]),
            "[a, b]"
        );
    }

    #[test]
    fn parse_bool() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert!(parse_bool_true(t));
        }
        for f in ["yes", "on", "tRuE", "", "0"] {
            assert!(!parse_bool_true(f));
        }
    }
}
