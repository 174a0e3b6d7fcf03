//! LSC204 from the validator built from the CRDs ([`crate::crd`]): the Gateway API objects of
//! the kinds [`crate::cel`] does not translate (GRPCRoute, TLSRoute, TCPRoute, UDPRoute,
//! BackendTLSPolicy, ReferenceGrant, GatewayClass, the experimental X kinds) and cert-manager
//! Certificates, one finding per refusal at the field's line. The CRDs are loaded only when
//! such an object is read.

use super::inventory::{self, Header};
use super::{Finding, rules};
use crate::crd::{Channel, Release};
use crate::source::Document;
use crate::source::tree::Map;

/// Adds the refusals of the CRD validator for one Gateway API or cert-manager document. The
/// kinds [`crate::cel`] covers are left to it, unless `asked` names a release that does not
/// serve them: then, as for any kind, the object is refused as kubectl refuses it.
pub fn document(header: &Header, root: &Map, asked: Option<Release>, findings: &mut Vec<Finding>) {
    let release = asked.unwrap_or_default();
    let (api_version, kind) = (header.api_version.as_str(), header.kind.as_str());
    if crate::cel::covers(api_version, kind) {
        if asked.is_some() && !crate::crd::serves(api_version, kind, release, Channel::Standard) {
            findings.push(not_served(header, release));
        }
        return;
    }
    let line = header.location.line;
    match crate::crd::validate_map(api_version, kind, root, line, release, Channel::Standard) {
        Some(violations) => findings.extend(
            violations
                .into_iter()
                .filter(|v| v.constraint != crate::crd::RULES_NOT_CHECKED)
                .map(|v| {
                    Finding::new(
                        rules::CEL_RULE,
                        Some(header.at(v.line)),
                        Some(&header.reference()),
                        format!("the API server would refuse this: {}", v.message),
                    )
                }),
        ),
        None if asked.is_some() => findings.push(not_served(header, release)),
        None => {}
    }
}

/// kubectl's refusal of a kind the cluster's CRDs do not serve.
fn not_served(header: &Header, release: Release) -> Finding {
    Finding::new(
        rules::CEL_RULE,
        Some(header.location.clone()),
        Some(&header.reference()),
        format!(
            "the API server would refuse this: no matches for kind {:?} in version {:?}: Gateway API {release} serves no such kind",
            header.kind, header.api_version
        ),
    )
}

/// The findings of the hand-written cert-manager Certificates among `documents`, by
/// document (only those with findings).
pub fn certificates<'d>(
    documents: &'d [Document],
    default_namespace: &'d str,
    asked: Option<Release>,
) -> impl Iterator<Item = (Header, Vec<Finding>)> + 'd {
    documents.iter().filter_map(move |doc| {
        let is_certificate = doc.root.get_value("kind").and_then(|k| k.value.as_str())
            == Some("Certificate")
            && doc
                .root
                .get_value("apiVersion")
                .and_then(|a| a.value.as_str())
                .is_some_and(|a| a.starts_with("cert-manager.io/"));
        if !is_certificate {
            return None;
        }
        let header = inventory::header(doc, default_namespace)?;
        let mut findings = Vec::new();
        document(&header, &doc.root, asked, &mut findings);
        (!findings.is_empty()).then_some((header, findings))
    })
}
