//! Issuer selection (cert-manager `sync.go`): flags first, then the issuer annotations, with
//! every conflicting combination collected as an error.

use super::annotation_keys as key;
use super::certificate::IssuerRef;
use super::config::ShimConfig;
use super::provenance::{Annotations, Source};

/// Where each part of the issuerRef came from, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerChoice<'a> {
    pub issuer_ref: IssuerRef,
    pub name_from: Source<'a>,
    pub kind_from: Source<'a>,
    pub group_from: Source<'a>,
}

/// Chooses the issuer; `Err` holds cert-manager's messages in its order.
pub fn select_issuer<'a>(
    annotations: &Annotations<'a>,
    config: &ShimConfig,
) -> Result<IssuerChoice<'a>, Vec<String>> {
    let mut choice = IssuerChoice {
        issuer_ref: IssuerRef {
            name: config.default_issuer_name.clone(),
            kind: config.default_issuer_kind.clone(),
            group: config.default_issuer_group.clone(),
        },
        name_from: Source::Flag("--default-issuer-name"),
        kind_from: Source::Flag("--default-issuer-kind"),
        group_from: Source::Flag("--default-issuer-group"),
    };
    let issuer = annotations.get(key::ISSUER);
    let cluster_issuer = annotations.get(key::CLUSTER_ISSUER);
    let issuer_kind = annotations.get(key::ISSUER_KIND);
    let issuer_group = annotations.get(key::ISSUER_GROUP);
    if let Some(a) = issuer {
        choice.issuer_ref.name = a.value.to_string();
        choice.issuer_ref.kind = "Issuer".to_string();
        choice.name_from = a.source(key::ISSUER);
        choice.kind_from = a.source(key::ISSUER);
    }
    if let Some(a) = cluster_issuer {
        choice.issuer_ref.name = a.value.to_string();
        choice.issuer_ref.kind = "ClusterIssuer".to_string();
        choice.name_from = a.source(key::CLUSTER_ISSUER);
        choice.kind_from = a.source(key::CLUSTER_ISSUER);
    }
    if let Some(a) = issuer_kind {
        choice.issuer_ref.kind = a.value.to_string();
        choice.kind_from = a.source(key::ISSUER_KIND);
    }
    if let Some(a) = issuer_group {
        choice.issuer_ref.group = a.value.to_string();
        choice.group_from = a.source(key::ISSUER_GROUP);
    }

    let mut errors = Vec::new();
    if choice.issuer_ref.name.is_empty() {
        errors.push("failed to determine issuer name to be used for ingress resource".to_string());
    }
    if issuer.is_some() && cluster_issuer.is_some() {
        errors.push(format!(
            "both {:?} and {:?} may not be set",
            key::ISSUER,
            key::CLUSTER_ISSUER
        ));
    }
    if cluster_issuer.is_some() && issuer_group.is_some() {
        errors.push(format!(
            "both {:?} and {:?} may not be set",
            key::CLUSTER_ISSUER,
            key::ISSUER_GROUP
        ));
    }
    if cluster_issuer.is_some() && issuer_kind.is_some() {
        errors.push(format!(
            "both {:?} and {:?} may not be set",
            key::CLUSTER_ISSUER,
            key::ISSUER_KIND
        ));
    }
    if errors.is_empty() {
        Ok(choice)
    } else {
        Err(errors)
    }
}
