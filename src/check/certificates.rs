//! Certificates that two sources fight over: one Secret asked of two issuers, and a
//! hand-written Certificate whose Secret an annotated object also claims.

use std::collections::BTreeMap;

use super::Finding;
use super::inventory::Inventory;
use super::rules;
use crate::model::{Object, SourceKind, Spec};
use crate::shim::Claim;
use crate::shim::config::ShimConfig;
use rayon::prelude::*;

/// Later claims of a Certificate that ask another issuer than the first claim.
pub fn issuer_conflicts(claims: &[Claim]) -> Vec<Finding> {
    // Looked up once per claim: hashed, not ordered (findings follow the claims' order).
    let mut first: foldhash::HashMap<(&str, &str), &Claim> =
        foldhash::HashMap::with_capacity_and_hasher(claims.len(), Default::default());
    let mut findings = Vec::new();
    for claim in claims {
        let c = &claim.certificate;
        let key = (c.namespace.as_str(), c.name.as_str());
        match first.get(&key) {
            None => {
                first.insert(key, claim);
            }
            Some(earlier) if earlier.certificate.spec.issuer_ref != c.spec.issuer_ref => {
                let issuer = |c: &Claim| {
                    let i = &c.certificate.spec.issuer_ref;
                    format!("{} {} ({})", i.kind, i.name, i.group)
                };
                findings.push(Finding::new(
                    rules::ISSUER_CONFLICT,
                    Some(claim.location.clone()),
                    Some(&claim.object),
                    format!(
                        "asks {} for Secret {}/{}, which {} asks of {}; whichever creates Certificate {} first decides",
                        issuer(claim),
                        c.namespace,
                        c.spec.secret_name,
                        earlier.object,
                        issuer(earlier),
                        c.name
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    findings
}

/// Certificates in the inputs that collide with one the shim would create: another
/// Certificate for the same Secret, or one of the same name with another spec (cert-manager
/// does not update a Certificate it does not own). One of the same name and spec is the
/// shim's own output committed beside the manifests (`lsc render > certificates.yaml`).
pub fn hand_written(inventory: &Inventory, claims: &[Claim]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if inventory.certificates.is_empty() {
        return findings;
    }
    // The claims of each namespace, in input order.
    let mut by_namespace: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for claim in claims {
        by_namespace
            .entry(claim.certificate.namespace.as_str())
            .or_default()
            .push(claim);
    }
    for certificate in &inventory.certificates {
        let h = &certificate.header;
        let owned_by = |c: &Claim| {
            certificate.controller.as_ref() == Some(&(c.object.kind.clone(), c.object.name.clone()))
        };
        let same_namespace = by_namespace
            .get(h.namespace.as_str())
            .into_iter()
            .flatten()
            .copied();
        let mut message = None;
        for c in same_namespace {
            // cert-manager updates a Certificate its object controls, whatever it says now.
            if c.certificate.name == h.name
                && !owned_by(c)
                && crate::emit::json::to_serde(&c.certificate.to_node().value).get("spec")
                    != Some(&certificate.spec)
            {
                message = Some(format!(
                    "has the name cert-manager gives the Certificate {} asks for, but another spec; cert-manager does not update a Certificate it does not own, so the annotations never reach it",
                    c.object
                ));
                break;
            }
            if c.certificate.name != h.name
                && c.certificate.spec.secret_name == certificate.secret_name
            {
                message = Some(format!(
                    "writes Secret {}/{}, which {} also asks cert-manager to issue (as Certificate {}/{}); the two Certificates would overwrite each other's Secret",
                    h.namespace,
                    certificate.secret_name,
                    c.object,
                    c.certificate.namespace,
                    c.certificate.name
                ));
                break;
            }
        }
        if let Some(message) = message {
            findings.push(Finding::new(
                rules::CERTIFICATE_SECRET_CLAIMED,
                Some(h.location.clone()),
                Some(&h.reference()),
                message,
            ));
        }
    }
    findings
}

/// Objects with TLS that cert-manager's shim is not asked to issue for (LSC005): an Ingress
/// with `spec.tls`, or a Gateway or ListenerSet with a listener naming a Secret, without an
/// issuer annotation (a ListenerSet's may come from its Gateway) and, for an Ingress, without
/// an auto-certificate annotation set to true. A ListenerSet whose Gateway is not in the
/// inputs is left to LSC103.
pub fn nothing_issued(objects: &[Object], config: &ShimConfig) -> Vec<Finding> {
    use crate::shim::annotation_keys as key;
    let has_issuer = |o: &Object| {
        o.meta.annotations.contains_key(key::ISSUER)
            || o.meta.annotations.contains_key(key::CLUSTER_ISSUER)
    };
    let gateways: foldhash::HashMap<(&str, &str), &Object> = objects
        .iter()
        .filter(|o| o.kind == SourceKind::Gateway)
        .map(|o| ((o.meta.namespace.as_str(), o.meta.name.as_str()), o))
        .collect();
    let first_tls_listener = |o: &Object| {
        o.listeners()
            .iter()
            .find(|l| {
                l.tls
                    .as_ref()
                    .is_some_and(|t| !t.certificate_refs.is_empty())
            })
            .map(|l| l.line)
    };
    let mut findings = Vec::new();
    for object in objects
        .iter()
        .filter(|o| !o.meta.deleting && !has_issuer(o))
    {
        let line = match &object.spec {
            Spec::Ingress(ingress) => {
                let auto = config.auto_certificate_annotations.iter().any(|k| {
                    object
                        .meta
                        .annotation(k)
                        .is_some_and(|v| crate::golang::strconv::parse_bool(v) == Some(true))
                });
                (!ingress.tls.is_empty() && !auto).then_some(ingress.tls_line)
            }
            Spec::Gateway { .. } if config.gateway_api => first_tls_listener(object),
            Spec::ListenerSet { parent, .. }
                if config.gateway_api
                    && config.listener_sets
                    && config.version.reads_listener_sets() =>
            {
                let namespace = parent
                    .namespace
                    .as_deref()
                    .filter(|ns| !ns.is_empty())
                    .unwrap_or(&object.meta.namespace);
                match gateways.get(&(namespace, parent.name.as_str())) {
                    Some(gateway) if !has_issuer(gateway) => first_tls_listener(object),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(line) = line else { continue };
        let inherited = if object.kind.is_listener_set() {
            " (nor has its Gateway)"
        } else {
            ""
        };
        findings.push(Finding::new(
            rules::NOTHING_ISSUED,
            Some(object.location.at_line(line)),
            Some(&object.reference()),
            format!(
                "has TLS but no {} or {} annotation{inherited}: cert-manager will issue nothing for it",
                key::ISSUER,
                key::CLUSTER_ISSUER
            ),
        ));
    }
    findings
}

/// The annotations cert-manager does not read (LSC004), as `lsc render` warns of them.
pub fn unread_annotations(objects: &[Object], config: &ShimConfig) -> Vec<Finding> {
    objects
        .par_iter()
        .flat_map_iter(|o| crate::shim::annotation_keys::unread(o, config))
        .map(|diagnostic| Finding {
            code: rules::UNREAD_ANNOTATION,
            diagnostic,
        })
        .collect()
}

/// The ListenerSets whose parent Gateway is not among `objects` (LSC103).
pub fn without_parent(objects: &[Object]) -> impl Iterator<Item = &Object> {
    let gateways: foldhash::HashSet<(&str, &str)> = objects
        .iter()
        .filter(|o| o.kind == SourceKind::Gateway)
        .map(|o| (o.meta.namespace.as_str(), o.meta.name.as_str()))
        .collect();
    objects.iter().filter(move |o| match &o.spec {
        Spec::ListenerSet { parent, .. } => {
            let namespace = parent
                .namespace
                .as_deref()
                .filter(|ns| !ns.is_empty())
                .unwrap_or(&o.meta.namespace);
            !parent.name.is_empty() && !gateways.contains(&(namespace, parent.name.as_str()))
        }
        _ => false,
    })
}
