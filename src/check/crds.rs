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
        // A Certificate of a version cert-manager no longer serves is not the release's doing.
        None if asked.is_some() && !api_version.starts_with("cert-manager.io/") => {
            findings.push(not_served(header, release));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::source::tree::Value;
    use crate::source::yaml::parse_documents;

    /// The findings of one document under `asked`.
    fn findings(yaml: &str, asked: Option<Release>) -> Vec<(u32, String)> {
        let (documents, error) = parse_documents(yaml, &crate::source::Limits::default());
        assert!(error.is_none(), "{error:?}");
        let Some(Value::Map(root)) = documents
            .into_iter()
            .next()
            .and_then(|d| d.root)
            .map(|r| r.value)
        else {
            panic!("not a mapping: {yaml}");
        };
        let document = Document {
            location: Location {
                file: "in.yaml".into(),
                document: 1,
                line: 1,
            },
            root,
        };
        let header = inventory::header(&document, "default").unwrap();
        let mut found = Vec::new();
        document_findings(&header, &document, asked, &mut found);
        found
            .into_iter()
            .map(|f| {
                (
                    f.diagnostic.location.map_or(0, |l| l.line),
                    f.diagnostic.message,
                )
            })
            .collect()
    }

    fn document_findings(
        header: &Header,
        doc: &Document,
        asked: Option<Release>,
        found: &mut Vec<Finding>,
    ) {
        if doc.root.get_value("kind").and_then(|k| k.value.as_str()) == Some("Certificate") {
            found.extend(
                certificates(std::slice::from_ref(doc), "default", asked).flat_map(|(_, f)| f),
            );
        } else {
            document(header, &doc.root, asked, found);
        }
    }

    const LISTENER_SET: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: team, namespace: infra}
spec:
  parentRef: {name: shared}
  listeners:
  - {name: http, port: 80, protocol: HTTP}
";

    #[test]
    fn a_kind_the_asked_release_does_not_serve_is_refused() {
        let refused = findings(LISTENER_SET, Some(Release::V1_4));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(
            refused[0].1.contains("no matches for kind \"ListenerSet\" in version \"gateway.networking.k8s.io/v1\": Gateway API v1.4.1"),
            "{refused:?}"
        );
        // Left to src/cel.rs otherwise, without the CRDs.
        assert_eq!(findings(LISTENER_SET, None), []);
        assert_eq!(findings(LISTENER_SET, Some(Release::V1_5)), []);
    }

    #[test]
    fn a_certificate_of_an_old_version_is_not_the_releases_doing() {
        let old = "apiVersion: cert-manager.io/v1alpha2
kind: Certificate
metadata: {name: web}
spec: {}
";
        assert_eq!(findings(old, Some(Release::V1_4)), []);
        let broken = old.replace("v1alpha2", "v1");
        let found = findings(&broken, Some(Release::V1_4));
        assert!(
            found.iter().any(|(line, m)| *line == 4
                && m == "the API server would refuse this: spec.secretName: Required value"),
            "{found:?}"
        );
    }

    #[test]
    fn each_refusal_is_a_finding_at_its_line() {
        let route = "apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: api}
spec:
  rules:
  - backendRefs:
    - name: api
      port: 70000
";
        assert_eq!(
            findings(route, None),
            [(
                8,
                "the API server would refuse this: spec.rules[0].backendRefs[0].port: Invalid value: 70000: spec.rules[0].backendRefs[0].port in body should be less than or equal to 65535"
                    .to_string()
            )]
        );
    }
}
