//! `lsc check --upgrade-to`: the Certificates whose spec or annotations change when the cluster
//! moves from one cert-manager release to another (LSC701), so that an operator knows before
//! upgrading. Both sides are rendered from the same objects; only what differs is reported.

use std::collections::BTreeMap;

use super::{Finding, rules};
use crate::model::Object;
use crate::shim::certificate::Certificate;
use crate::shim::config::ShimConfig;
use crate::shim::{Claim, Rendered};
use crate::source::tree::{Map, Value};

/// The Certificates of one rendering by namespace and name, each with the claim that keeps it:
/// the first in input order, as [`crate::shim::render`] keeps it.
fn by_name(rendered: &Rendered) -> BTreeMap<(&str, &str), &Claim> {
    let mut out = BTreeMap::new();
    for claim in &rendered.claims {
        let c = &claim.certificate;
        out.entry((c.namespace.as_str(), c.name.as_str()))
            .or_insert(claim);
    }
    out
}

fn map_of<'a>(root: &'a Map, key: &str) -> Option<&'a Map> {
    match root.get_value(key).map(|n| &n.value) {
        Some(Value::Map(m)) => Some(m),
        _ => None,
    }
}

/// What differs between two Certificates of one name: annotations added, removed or changed
/// and spec fields, in the Certificate's field order.
fn differences(before: &Certificate, after: &Certificate) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in &after.annotations {
        match before.annotations.get(k) {
            None => out.push(format!("annotation {k} added")),
            Some(old) if old != v => out.push(format!("annotation {k} changed")),
            Some(_) => {}
        }
    }
    for k in before.annotations.keys() {
        if !after.annotations.contains_key(k) {
            out.push(format!("annotation {k} removed"));
        }
    }
    let (before_node, after_node) = (before.to_node(), after.to_node());
    let spec = |node: &crate::source::tree::Node| match &node.value {
        Value::Map(root) => map_of(root, "spec").cloned().unwrap_or_default(),
        _ => Map::default(),
    };
    let (old, new) = (spec(&before_node), spec(&after_node));
    for e in &new.entries {
        match old.get_value(&e.key) {
            None => out.push(format!("spec.{} added", e.key)),
            Some(n) if n.value != e.value.value => out.push(format!("spec.{} changed", e.key)),
            Some(_) => {}
        }
    }
    for e in &old.entries {
        if new.get_value(&e.key).is_none() {
            out.push(format!("spec.{} removed", e.key));
        }
    }
    out
}

/// LSC701 findings: `from` is what the checks rendered with `--cert-manager-version`, `to` the
/// settings of the release upgraded to.
pub fn changes(
    objects: &[Object],
    from: (&ShimConfig, &Rendered),
    to: &ShimConfig,
) -> Vec<Finding> {
    let (from_config, from_rendered) = from;
    let to_rendered = crate::shim::render(
        objects,
        to,
        crate::shim::Record {
            explanations: false,
            claims: true,
        },
    );
    let (before, after) = (by_name(from_rendered), by_name(&to_rendered));
    let moving = format!(
        "when cert-manager moves from {} to {}",
        from_config.version, to.version
    );
    let mut findings = Vec::new();
    let mut report = |claim: &Claim, what: String| {
        let c = &claim.certificate;
        findings.push(Finding::new(
            rules::UPGRADE_CHANGES,
            Some(claim.location.clone()),
            Some(&claim.object),
            format!("Certificate {}/{} {what} {moving}", c.namespace, c.name),
        ));
    };
    for (id, claim) in &before {
        match after.get(id) {
            None => report(claim, "is no longer created".to_string()),
            Some(new) => {
                let changed = differences(&claim.certificate, &new.certificate);
                if !changed.is_empty() {
                    report(claim, format!("changes ({})", changed.join(", ")));
                }
            }
        }
    }
    for (id, claim) in &after {
        if !before.contains_key(id) {
            report(claim, "is newly created".to_string());
        }
    }
    findings
}
