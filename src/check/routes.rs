//! Route parentRefs (reference gateway-api-listenerset §3.4): every parent must exist, a
//! sectionName must name one of its listeners, and a Gateway parentRef never reaches the
//! listeners of its ListenerSets.

use super::Finding;
use super::inventory::{GATEWAY_GROUP, Index, Inventory, X_GROUP};
use super::rules;

pub fn check(inventory: &Inventory, index: &Index<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for route in &inventory.routes {
        let me = route.header.reference();
        for p in &route.parent_refs {
            let at = Some(route.header.at(p.line));
            let target = format!("{} {}/{}", p.kind, p.namespace, p.name);
            let listeners = match (p.group.as_str(), p.kind.as_str()) {
                (GATEWAY_GROUP, "Gateway") => index
                    .gateway(&p.namespace, &p.name)
                    .map(|(_, g)| &g.listeners),
                (GATEWAY_GROUP, "ListenerSet") | (X_GROUP, "XListenerSet") => index
                    .listener_set(&p.kind, &p.namespace, &p.name)
                    .map(|s| &s.listeners),
                // Services (mesh) and other parents are not lsc's to judge.
                _ => continue,
            };
            let Some(listeners) = listeners else {
                findings.push(Finding::new(
                    rules::ROUTE_PARENT_MISSING,
                    at,
                    Some(&me),
                    format!("parentRef {target} is not in the inputs"),
                ));
                continue;
            };
            let Some(section) = &p.section_name else {
                continue;
            };
            if listeners.iter().any(|l| l.name == *section) {
                continue;
            }
            let in_listener_set = (p.kind == "Gateway")
                .then(|| index.listener_set_with(&p.namespace, &p.name, section))
                .flatten();
            match in_listener_set {
                Some(set) => findings.push(Finding::new(
                    rules::ROUTE_GATEWAY_SECTION_IN_LISTENERSET,
                    at,
                    Some(&me),
                    format!(
                        "parentRef {target} sectionName {section:?} is a listener of {}; a Gateway parentRef reaches only the Gateway's own listeners: use group {GATEWAY_GROUP}, kind {}, name {}",
                        set.header.reference(),
                        set.header.kind,
                        set.header.name
                    ),
                )),
                None => findings.push(Finding::new(
                    rules::ROUTE_SECTION_MISSING,
                    at,
                    Some(&me),
                    format!("parentRef {target} has no listener named {section:?} (NoMatchingParent)"),
                )),
            }
        }
    }
    findings
}
