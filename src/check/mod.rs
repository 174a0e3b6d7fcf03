//! `lsc check`: what the controllers would reject or silently ignore, as findings with stable
//! codes (`rules.rs`), planned as pure functions over the inputs and the shim's result.

pub mod certificates;
pub mod gateways;
pub mod inventory;
pub mod routes;
pub mod rules;

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
}

#[derive(Debug, Default)]
pub struct Checked {
    /// In input order (file, document, line), then by code.
    pub findings: Vec<Finding>,
    /// The text of every input read, for showing source lines.
    pub sources: Vec<(Arc<str>, String)>,
}

/// The kinds the checks read: the shim's, Gateway API routes and ReferenceGrants, Namespaces
/// (their labels) and hand-written Certificates. Documents of other kinds are not parsed.
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
];

/// Reads the inputs and runs every check.
pub fn check(inputs: &[InputSource], options: &CheckOptions) -> Checked {
    let limits = Limits {
        only_kinds: Some(CHECK_KINDS),
        ..options.limits
    };
    let (loaded, sources) = crate::source::load_with_sources(inputs, &limits);
    let mut findings: Vec<Finding> = loaded.diagnostics.into_iter().map(from_render).collect();
    findings.extend(check_documents(&loaded.documents, options));
    let order: Vec<Arc<str>> = inputs.iter().map(InputSource::display).collect();
    sort(&mut findings, &order);
    Checked { findings, sources }
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

/// Every check over parsed documents.
pub fn check_documents(
    documents: &[crate::source::Document],
    options: &CheckOptions,
) -> Vec<Finding> {
    let (objects, invalid) = crate::model::parse_all(documents, &options.shim.default_namespace);
    let mut findings: Vec<Finding> = invalid.into_iter().map(from_render).collect();
    let rendered = crate::shim::render(
        &objects,
        &options.shim,
        crate::shim::Record {
            explanations: false,
            claims: true,
        },
    );
    let inventory = inventory::read(documents, &options.shim.default_namespace);
    let issuer_conflicts = certificates::issuer_conflicts(&rendered.claims);
    // Render warnings a finding of its own already covers: a Certificate requested twice
    // with different issuers (LSC501) and a ListenerSet without its Gateway (LSC103).
    findings.extend(
        rendered
            .diagnostics
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
    findings.extend(certificates::hand_written(&inventory, &rendered.claims));
    findings.extend(gateways::check(&inventory));
    findings.extend(routes::check(&inventory));
    findings
}

fn sort(findings: &mut [Finding], order: &[Arc<str>]) {
    diag::sort_by_place(findings, order, |f| &f.diagnostic);
}
