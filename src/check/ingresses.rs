//! Ingress rules of the API server that cert-manager never sees broken (it only reads admitted
//! objects): host names that are not valid DNS names.

use super::Finding;
use super::inventory::{self, Header};
use super::rules;
use crate::source::Document;

/// LSC204 for each invalid host of each Ingress, at the line where it is written first; by
/// document, for the Ingresses that have any.
pub fn invalid_hosts<'d>(
    documents: &'d [Document],
    default_namespace: &'d str,
) -> impl Iterator<Item = (Header, Vec<Finding>)> + 'd {
    documents.iter().filter_map(move |doc| {
        let header = inventory::header(doc, default_namespace)?;
        let group = header.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if header.kind != "Ingress" || !matches!(group, "networking.k8s.io" | "extensions") {
            return None;
        }
        let findings: Vec<Finding> = crate::model::hosts::invalid_ingress_hosts(&doc.root)
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
        (!findings.is_empty()).then_some((header, findings))
    })
}
