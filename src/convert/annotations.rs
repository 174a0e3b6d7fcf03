//! Annotations of a converted Ingress that no part of the conversion reads: said once per
//! Ingress, so that none is lost without a word (external-dns, Argo CD or a team's own tooling
//! may read them; where they belong on the converted objects is the user's call).

use super::ingress::{CLASS_ANNOTATION, Ingress};
use crate::diag::Diagnostic;
use crate::shim::config::ShimConfig;

/// Annotations that carry nothing a converted object needs: kubectl's record of the last
/// applied object.
const IGNORED: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

/// Prefixes read elsewhere: cert-manager's (moved to the ListenerSet or Gateway),
/// ingress-nginx's (translated or warned one by one) and other controllers' (warned one by
/// one, see [`super::security`]).
fn read_elsewhere(key: &str, controller: &ShimConfig) -> bool {
    crate::shim::annotation_keys::is_cert_manager(key)
        || key.starts_with(super::providers::ingress_nginx::PREFIX)
        || key == CLASS_ANNOTATION
        || IGNORED.contains(&key)
        || controller
            .extra_certificate_annotations
            .iter()
            .any(|k| k == key)
        || controller
            .auto_certificate_annotations
            .iter()
            .any(|k| k == key)
        || super::security::is_other_controllers(key)
}

/// One warning naming every annotation of `ingress` that nothing reads, at the first of them.
pub fn not_carried(ingress: &Ingress, controller: &ShimConfig) -> Option<Diagnostic> {
    let keys: Vec<(&str, u32)> = ingress
        .meta
        .annotations
        .iter()
        .filter(|(key, _)| !read_elsewhere(key, controller))
        .map(|(key, located)| (key.as_str(), located.line))
        .collect();
    let line = keys.iter().map(|(_, line)| *line).min()?;
    let names: Vec<&str> = keys.iter().map(|(key, _)| *key).collect();
    let (noun, verb, them) = if names.len() == 1 {
        ("annotation", "is", "it")
    } else {
        ("annotations", "are", "them")
    };
    Some(
        Diagnostic::warning(
            Some(ingress.at(line)),
            format!(
                "{noun} {} {verb} not carried over to the converted objects (lsc does not know what reads {them}); copy {them} to the ListenerSet or routes by hand where a tool needs {them}",
                names.join(", "),
            ),
        )
        .about(&ingress.reference()),
    )
}
