//! Certificates that two sources fight over: one Secret asked of two issuers, and a
//! hand-written Certificate whose Secret an annotated object also claims.

use std::collections::BTreeMap;

use super::Finding;
use super::inventory::Inventory;
use super::rules;
use crate::shim::Claim;

/// Later claims of a Certificate that ask another issuer than the first claim.
pub fn issuer_conflicts(claims: &[Claim]) -> Vec<Finding> {
    let mut first: BTreeMap<(&str, &str), &Claim> = BTreeMap::new();
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

/// Hand-written Certificates whose Secret the shim would also issue for under another
/// Certificate name. (A Certificate of the same name is the shim's own output committed beside
/// the manifests, as `lsc render > certificates.yaml` leaves it.)
pub fn hand_written(inventory: &Inventory, claims: &[Claim]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for certificate in &inventory.certificates {
        let h = &certificate.header;
        let claimant = claims.iter().find(|c| {
            c.certificate.namespace == h.namespace
                && c.certificate.spec.secret_name == certificate.secret_name
                && c.certificate.name != h.name
        });
        if let Some(c) = claimant {
            findings.push(Finding::new(
                rules::CERTIFICATE_SECRET_CLAIMED,
                Some(h.location.clone()),
                Some(&h.reference()),
                format!(
                    "writes Secret {}/{}, which {} also asks cert-manager to issue (as Certificate {}/{}); the two Certificates would overwrite each other's Secret",
                    h.namespace,
                    certificate.secret_name,
                    c.object,
                    c.certificate.namespace,
                    c.certificate.name
                ),
            ));
        }
    }
    findings
}
