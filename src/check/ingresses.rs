//! Ingress rules of the API server that cert-manager never sees broken (it only reads admitted
//! objects): host names that are not valid DNS names.

use super::Finding;
use super::inventory;
use super::rules;
use crate::source::Document;

/// LSC204 for each invalid host of each Ingress, at the line where it is written first.
pub fn invalid_hosts(documents: &[Document], default_namespace: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for doc in documents {
        let Some(header) = inventory::header(doc, default_namespace) else {
            continue;
        };
        let group = header.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if header.kind != "Ingress" || !matches!(group, "networking.k8s.io" | "extensions") {
            continue;
        }
        for host in crate::model::hosts::invalid_ingress_hosts(&doc.root) {
            findings.push(Finding::new(
                rules::CEL_RULE,
                Some(header.at(host.line)),
                Some(&header.reference()),
                host.message,
            ));
        }
    }
    findings
}
