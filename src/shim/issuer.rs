//! Issuer selection (cert-manager `sync.go`): flags first, then the issuer annotations, with
//! every conflicting combination collected as an error.

use super::annotation_keys as key;
use super::certificate::IssuerRef;
use super::config::ShimConfig;
use super::provenance::{Annotation, Annotations, Source};

/// Where each part of the issuerRef came from, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerChoice<'a> {
    pub issuer_ref: IssuerRef,
    pub name_from: Source<'a>,
    pub kind_from: Source<'a>,
    pub group_from: Source<'a>,
}

/// Why no issuer can be chosen: cert-manager's messages in its order, and the lines of the
/// object's own annotations that contradict each other (ascending; inherited ones are on the
/// Gateway, not here), for the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerError {
    pub messages: Vec<String>,
    pub lines: Vec<u32>,
    /// No issuer name at all: neither an annotation nor `--default-issuer-name` gives one.
    pub no_name: bool,
}

/// Chooses the issuer, or says why cert-manager cannot.
pub fn select_issuer<'a>(
    annotations: &Annotations<'a>,
    config: &ShimConfig,
) -> Result<IssuerChoice<'a>, IssuerError> {
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
    let mut lines = Vec::new();
    let no_name = choice.issuer_ref.name.is_empty();
    if no_name {
        errors.push("failed to determine issuer name to be used for ingress resource".to_string());
    }
    let mut both = |a: Option<&Annotation<'_>>, a_key, b: Option<&Annotation<'_>>, b_key| {
        if let (Some(a), Some(b)) = (a, b) {
            errors.push(format!("both {a_key:?} and {b_key:?} may not be set"));
            lines.extend(
                [a, b]
                    .into_iter()
                    .filter(|x| !x.inherited && x.line > 0)
                    .map(|x| x.line),
            );
        }
    };
    both(issuer, key::ISSUER, cluster_issuer, key::CLUSTER_ISSUER);
    both(
        cluster_issuer,
        key::CLUSTER_ISSUER,
        issuer_group,
        key::ISSUER_GROUP,
    );
    both(
        cluster_issuer,
        key::CLUSTER_ISSUER,
        issuer_kind,
        key::ISSUER_KIND,
    );
    if errors.is_empty() {
        Ok(choice)
    } else {
        lines.sort_unstable();
        lines.dedup();
        Err(IssuerError {
            messages: errors,
            lines,
            no_name,
        })
    }
}
