//! Ingress rules `lsc check` reports that cert-manager's shim never sees: hosts the API server
//! refuses (it only reads admitted objects), and ingress-nginx access controls Gateway API
//! cannot carry (`lsc convert` refuses them until `--allow-unprotected` accepts the loss, so CI
//! sees them first).

use super::inventory::{self, Header};
use super::{Finding, rules};
use crate::model::{Object, SourceKind};
use crate::source::Document;

/// LSC204 for each invalid host of each Ingress, at the line where it is written first; by
/// document, for the Ingresses that have any.
pub fn invalid_hosts<'d>(
    documents: &'d [Document],
    default_namespace: &'d str,
) -> impl Iterator<Item = (Header, Vec<Finding>)> + 'd {
    documents.iter().filter_map(move |doc| {
        let text = |key: &str| doc.root.get_value(key).and_then(|n| n.value.as_str());
        let group = text("apiVersion")?.rsplit_once('/').map_or("", |(g, _)| g);
        if text("kind")? != "Ingress" || !matches!(group, "networking.k8s.io" | "extensions") {
            return None;
        }
        let invalid = crate::model::hosts::invalid_ingress_hosts(&doc.root);
        if invalid.is_empty() {
            return None;
        }
        // The header (labels and all) only for the few Ingresses with a finding.
        let header = inventory::header(doc, default_namespace)?;
        let findings: Vec<Finding> = invalid
            .into_iter()
            .map(|host| {
                Finding::new(
                    rules::CEL_RULE,
                    Some(header.at(host.line)),
                    Some(&header.reference()),
                    host.message,
                )
            })
            .collect();
        Some((header, findings))
    })
}

/// LSC601 for each ingress-nginx access control of each Ingress, at its annotation.
pub fn protections(objects: &[Object]) -> Vec<Finding> {
    objects
        .iter()
        .filter(|o| o.kind == SourceKind::Ingress)
        .flat_map(|ingress| {
            let me = ingress.reference();
            crate::convert::security::protections(&ingress.meta.annotations)
                .into_iter()
                .map(move |(message, line)| {
                    Finding::new(
                        rules::INGRESS_PROTECTION,
                        Some(ingress.location.at_line(line)),
                        Some(&me),
                        message,
                    )
                })
        })
        .collect()
}
