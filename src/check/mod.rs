//! `lsc check`: what the controllers would reject or silently ignore, as findings with stable
//! codes (`rules.rs`), planned as pure functions over the inputs and the shim's result.

pub mod certificates;
pub mod crds;
pub mod fixes;
pub mod gateways;
pub mod ingresses;
pub mod inventory;
pub mod routes;
pub mod rules;
pub mod upgrade;

use std::sync::Arc;

use crate::diag::{self, Diagnostic, Location, ObjectRef, Severity};
use crate::shim::config::ShimConfig;
use crate::source::{InputSource, Limits};

/// One finding: a diagnostic with its rule code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub diagnostic: Diagnostic,
}

impl Finding {
    pub fn new(
        code: &'static str,
        location: Option<Location>,
        object: Option<&ObjectRef>,
        message: impl Into<String>,
    ) -> Self {
        let severity = rules::rule(code).map_or(Severity::Error, |r| r.severity);
        let mut diagnostic = Diagnostic::error(location, message);
        diagnostic.severity = severity;
        diagnostic.object = object.cloned();
        Finding { code, diagnostic }
    }

    pub fn severity(&self) -> Severity {
        self.diagnostic.severity
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub shim: ShimConfig,
    pub limits: Limits,
    /// `--upgrade-to`: the settings of the release the cluster moves to, to report the
    /// Certificates that change (LSC701).
    pub upgrade_to: Option<ShimConfig>,
    /// Keep every input's text to show the source line of each finding (the human format);
    /// the other formats do not need it, and it costs as much memory as the input.
    pub source_lines: bool,
    /// `--gateway-api-version`: the release whose CRDs check the kinds [`crate::cel`] does
    /// not cover; when given, objects of kinds it does not serve are refused as well. None:
    /// the newest release, without that refusal.
    pub gateway_api: Option<crate::crd::Release>,
}

#[derive(Debug, Default)]
pub struct Checked {
    /// In input order (file, document, line), then by code.
    pub findings: Vec<Finding>,
    /// The text of every input read, for showing source lines (with `source_lines`).
    pub sources: Vec<crate::source::Source>,
    /// What went wrong finding the inputs: not findings. When one is an error, nothing was
    /// checked.
    pub discovery: Vec<Diagnostic>,
    /// What the checks read and planned, handed back instead of freed, as
    /// [`crate::Outcome::retained`].
    pub retained: Retained,
}

/// The model, inventory and Certificates of a check (only held).
#[derive(Debug, Default)]
pub struct Retained {
    _objects: Vec<crate::model::Object>,
    _inventory: inventory::Inventory,
    _rendered: crate::shim::Rendered,
}

/// The kinds the checks read: the shim's, Gateway API routes and ReferenceGrants, Namespaces
/// (their labels) and hand-written Certificates. Documents of other kinds are not parsed.
/// BackendTLSPolicies, GatewayClasses and the experimental kinds are read for the CRD validator
/// alone ([`crds`]).
const CHECK_KINDS: &[&str] = &[
    "Ingress",
    "Gateway",
    "ListenerSet",
    "XListenerSet",
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "ReferenceGrant",
    "Namespace",
    "Certificate",
    "BackendTLSPolicy",
    "GatewayClass",
    "XBackendTrafficPolicy",
    "XBackend",
    "XMesh",
];

/// What one input contributes to the checks, made on the thread that read it so that its
/// documents (trees) can be dropped there.
struct Parsed {
    /// Reading diagnostics, then the objects the model refused.
    diagnostics: Vec<Diagnostic>,
    objects: Vec<crate::model::Object>,
    inventory: inventory::Inventory,
    /// The CEL rules' and the CRD validator's findings, by document (only those with
    /// findings): each rule looks at one object only, and a document defined again later
    /// takes its findings with it.
    cel: Vec<(inventory::Header, Vec<Finding>)>,
}

/// Reads the inputs and runs every check.
pub fn check(inputs: &[InputSource], options: &CheckOptions) -> Checked {
    let limits = Limits {
        only_kinds: Some(CHECK_KINDS),
        ..options.limits
    };
    let namespace = options.shim.default_namespace.as_str();
    let (walked, sources) = crate::source::load_each_with_sources(
        inputs,
        &limits,
        options.source_lines,
        |documents, mut diagnostics| {
            let (objects, mut invalid) = crate::model::parse_all(&documents, namespace);
            diagnostics.append(&mut invalid);
            Parsed {
                diagnostics,
                objects,
                inventory: inventory::read(&documents, namespace),
                cel: inventory::gateway_api(&documents, namespace)
                    .filter_map(|(header, root)| {
                        let mut findings = Vec::new();
                        // src/cel.rs for the kinds it covers (it also has a few of
                        // BackendTLSPolicy's rules, left to the CRD validator here).
                        if crate::cel::covers(&header.api_version, &header.kind) {
                            gateways::cel_document(&header, root, &mut findings);
                        }
                        crds::document(&header, root, options.gateway_api, &mut findings);
                        (!findings.is_empty()).then_some((header, findings))
                    })
                    .chain(crds::certificates(
                        &documents,
                        namespace,
                        options.gateway_api,
                    ))
                    .chain(ingresses::invalid_hosts(&documents, namespace))
                    .collect(),
            }
        },
    );
    if walked.discovery.iter().any(Diagnostic::is_error) {
        return Checked {
            findings: Vec::new(),
            sources: Vec::new(),
            discovery: walked.discovery,
            retained: Retained::default(),
        };
    }
    let per_input = walked.results;
    let mut all = Parsed {
        diagnostics: Vec::new(),
        objects: Vec::with_capacity(per_input.iter().map(|p| p.objects.len()).sum()),
        inventory: inventory::Inventory::default(),
        cel: Vec::new(),
    };
    for mut parsed in per_input {
        all.diagnostics.append(&mut parsed.diagnostics);
        all.objects.append(&mut parsed.objects);
        all.inventory.append(parsed.inventory);
        all.cel.append(&mut parsed.cel);
    }
    let defined_again = keep_last(&mut all);
    let (mut findings, retained) = check_parsed(all, options);
    findings.extend(defined_again);
    sort(&mut findings, &walked.names);
    Checked {
        findings,
        sources,
        discovery: walked.discovery,
        retained,
    }
}

/// Drops every object a later definition replaces, from the model, the inventory and the CEL
/// findings alike, and reports each replacement once (LSC003): the Gateways and ListenerSets of
/// the inventory are the model's objects read again.
fn keep_last(parsed: &mut Parsed) -> Vec<Finding> {
    use crate::model::duplicates::{Defined, Definition, Replaced, find, remove};
    use inventory::Header;
    fn replaced_in<T: Defined>(items: &[T]) -> Replaced {
        find(items.iter().map(Defined::definition))
    }
    /// The headers of the items at `positions`.
    fn headers<'a, T>(
        items: &'a [T],
        replaced: &'a Replaced,
        header: fn(&T) -> &Header,
    ) -> impl Iterator<Item = &'a Header> {
        replaced
            .positions
            .iter()
            .filter_map(move |&p| items.get(p).map(header))
    }
    /// A document by place and identity.
    fn key(d: Definition<'_>) -> (Location, [String; 4]) {
        let id = d.identity;
        let identity = [id.group, id.kind, id.namespace, id.name].map(str::to_string);
        (d.location.clone(), identity)
    }
    let Parsed {
        objects,
        inventory,
        cel,
        ..
    } = parsed;
    let replaced_objects = replaced_in(objects);
    // Replaced Ingresses take their host findings (LSC204) with them.
    let replaced_ingresses: Vec<(Location, [String; 4])> = replaced_objects
        .positions
        .iter()
        .filter_map(|&p| objects.get(p))
        .filter(|o| o.kind == crate::model::SourceKind::Ingress)
        .filter_map(Defined::definition)
        .map(key)
        .collect();
    remove(objects, &replaced_objects.positions);
    let mut warnings = replaced_objects.warnings;
    let gateways = replaced_in(&inventory.gateways);
    let listener_sets = replaced_in(&inventory.listener_sets);
    let routes = replaced_in(&inventory.routes);
    let grants = replaced_in(&inventory.grants);
    let certificates = replaced_in(&inventory.certificates);
    let namespaces = find(
        inventory
            .namespace_definitions
            .iter()
            .map(Header::definition),
    );
    let gateway_api = [&gateways, &listener_sets, &routes, &grants, &certificates];
    if !cel.is_empty()
        && (!replaced_ingresses.is_empty() || gateway_api.iter().any(|r| !r.positions.is_empty()))
    {
        // The replaced documents, with how many share place and identity (only the items of a
        // one-line JSON List can): the CEL findings of as many documents go with them.
        let mut replaced: foldhash::HashMap<(Location, [String; 4]), usize> =
            foldhash::HashMap::default();
        let documents = headers(&inventory.gateways, &gateways, |g| &g.header)
            .chain(headers(&inventory.listener_sets, &listener_sets, |s| {
                &s.header
            }))
            .chain(headers(&inventory.routes, &routes, |r| &r.header))
            .chain(headers(&inventory.grants, &grants, |g| &g.header))
            .chain(headers(&inventory.certificates, &certificates, |c| {
                &c.header
            }));
        for definition in documents.filter_map(Header::definition) {
            *replaced.entry(key(definition)).or_default() += 1;
        }
        for ingress in replaced_ingresses {
            *replaced.entry(ingress).or_default() += 1;
        }
        cel.retain(|(header, _)| {
            let left = header
                .definition()
                .and_then(|definition| replaced.get_mut(&key(definition)));
            match left {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    false
                }
                _ => true,
            }
        });
    }
    remove(&mut inventory.gateways, &gateways.positions);
    remove(&mut inventory.listener_sets, &listener_sets.positions);
    remove(&mut inventory.routes, &routes.positions);
    remove(&mut inventory.grants, &grants.positions);
    remove(&mut inventory.certificates, &certificates.positions);
    // The inventory's Gateways and ListenerSets are the model's objects, reported above.
    for found in [routes, grants, certificates, namespaces] {
        warnings.extend(found.warnings);
    }
    warnings
        .into_iter()
        .map(|diagnostic| Finding {
            code: rules::DEFINED_AGAIN,
            diagnostic,
        })
        .collect()
}

/// A render diagnostic as a finding (LSC001 for errors, LSC002 for warnings).
fn from_render(d: Diagnostic) -> Finding {
    let code = match d.severity {
        Severity::Error => rules::RENDER_ERROR,
        _ => rules::RENDER_WARNING,
    };
    Finding {
        code,
        diagnostic: d,
    }
}

/// Every check over what was read: reading and model diagnostics come first (as LSC001 and
/// LSC002), then the findings in the order the checks make them.
fn check_parsed(parsed: Parsed, options: &CheckOptions) -> (Vec<Finding>, Retained) {
    let Parsed {
        diagnostics,
        objects,
        inventory,
        cel,
    } = parsed;
    let mut findings: Vec<Finding> = diagnostics.into_iter().map(from_render).collect();
    let rendered = crate::shim::render(
        &objects,
        &options.shim,
        crate::shim::Record {
            explanations: false,
            claims: true,
        },
    );
    // The checks of the shim's objects and those of the Gateway API inventory read shared
    // data only: they run side by side, their findings kept in this order.
    let ((issuer_conflicts, of_objects), of_gateway_api) = rayon::join(
        || {
            let conflicts = certificates::issuer_conflicts(&rendered.claims);
            // A ListenerSet whose Gateway lives elsewhere (often another repository) is still
            // judged on what it holds itself.
            let mut found: Vec<Finding> = certificates::without_parent(&objects)
                .flat_map(|o| crate::shim::listener_set_errors_alone(o, &options.shim))
                .map(from_render)
                .collect();
            found.extend(certificates::unread_annotations(&objects, &options.shim));
            found.extend(certificates::nothing_issued(&objects, &options.shim));
            if let Some(to) = &options.upgrade_to {
                found.extend(upgrade::changes(&objects, (&options.shim, &rendered), to));
            }
            found.extend(ingresses::protections(&objects));
            found.extend(certificates::hand_written(&inventory, &rendered.claims));
            (conflicts, found)
        },
        || {
            let index = inventory::Index::new(&inventory);
            let mut found = gateways::check(&inventory, &index);
            found.extend(routes::check(&inventory, &index));
            found
        },
    );
    // Render warnings a finding of its own already covers: a Certificate requested twice
    // with different issuers (LSC501) and a ListenerSet without its Gateway (LSC103).
    let mut rendered = rendered;
    findings.extend(
        std::mem::take(&mut rendered.diagnostics)
            .into_iter()
            .filter(|d| d.severity != Severity::Note)
            .filter(|d| {
                let issuer_conflict = d.message.contains("is also requested by")
                    && issuer_conflicts
                        .iter()
                        .any(|f| f.diagnostic.object == d.object);
                let parent_missing = d.message.contains("is not in the input; no Certificates");
                !issuer_conflict && !parent_missing
            })
            .map(from_render),
    );
    findings.extend(issuer_conflicts);
    findings.extend(of_objects);
    findings.extend(cel.into_iter().flat_map(|(_, found)| found));
    findings.extend(of_gateway_api);
    let retained = Retained {
        _objects: objects,
        _inventory: inventory,
        _rendered: rendered,
    };
    (findings, retained)
}

fn sort(findings: &mut [Finding], order: &[Arc<str>]) {
    diag::sort_by_place(findings, order, |f| &f.diagnostic);
}
