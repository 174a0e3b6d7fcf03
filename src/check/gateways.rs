//! Gateways and their ListenerSets (reference gateway-api-listenerset §2–§5): attachment
//! through `allowedListeners`, listener conflicts after merging, the CEL rules, and
//! cross-namespace certificateRefs.

use foldhash::HashMap;
use std::collections::BTreeMap;

use super::Finding;
use super::inventory::{
    AllowedListeners, GATEWAY_GROUP, Gateway, Header, Index, Inventory, Listener, ListenerSet,
    X_GROUP,
};
use super::rules;
use crate::source::tree::{Map, Node, Value};

pub fn check(inventory: &Inventory, index: &Index<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut attached: BTreeMap<usize, Vec<&ListenerSet>> = BTreeMap::new();
    for set in &inventory.listener_sets {
        if set.header.kind == "XListenerSet" {
            findings.push(Finding::new(
                rules::XLISTENERSET,
                Some(set.header.location.clone()),
                Some(&set.header.reference()),
                "XListenerSet (gateway.networking.x-k8s.io/v1alpha1) was removed in Gateway API v1.5 and no cert-manager release watches it: `lsc convert` rewrites it to ListenerSet v1",
            ));
        }
        if let Some(g) = attachment(set, inventory, index, &mut findings) {
            attached.entry(g).or_default().push(set);
        }
    }
    for (g, gateway) in inventory.gateways.iter().enumerate() {
        let sets = attached.remove(&g).unwrap_or_default();
        findings.extend(conflicts(gateway, sets));
    }
    findings.extend(references(inventory, index));
    findings
}

/// The index of the Gateway a ListenerSet attaches to, with findings when it does not.
fn attachment(
    set: &ListenerSet,
    inventory: &Inventory,
    index: &Index<'_>,
    findings: &mut Vec<Finding>,
) -> Option<usize> {
    let at = Some(set.header.at(set.parent_line));
    let me = set.header.reference();
    if set.parent_kind != "Gateway" {
        findings.push(Finding::new(
            rules::PARENT_MISSING,
            at,
            Some(&me),
            format!(
                "spec.parentRef.kind {:?}: a ListenerSet attaches to a Gateway",
                set.parent_kind
            ),
        ));
        return None;
    }
    let Some((g, gateway)) = index.gateway(&set.parent_namespace, &set.parent_name) else {
        findings.push(Finding::new(
            rules::PARENT_MISSING,
            at,
            Some(&me),
            format!(
                "parent Gateway {}/{} is not in the inputs",
                set.parent_namespace, set.parent_name
            ),
        ));
        return None;
    };
    let namespace = &set.header.namespace;
    let gw = format!(
        "Gateway {}/{}",
        gateway.header.namespace, gateway.header.name
    );
    let refused = |why: String| Finding::new(rules::NOT_ALLOWED, at.clone(), Some(&me), why);
    let AllowedListeners { from, selector, .. } = &gateway.allowed;
    match from.as_deref() {
        None => findings.push(refused(format!(
            "{gw} has no spec.allowedListeners, so it accepts no ListenerSet (the default is from: None)"
        ))),
        Some("None") => findings.push(refused(format!(
            "{gw} accepts no ListenerSet (allowedListeners.namespaces.from: None)"
        ))),
        Some("Same") if *namespace != gateway.header.namespace => findings.push(refused(format!(
            "{gw} accepts ListenerSets from its own namespace only (allowedListeners.namespaces.from: Same), not from {namespace}"
        ))),
        Some("Same" | "All") => return Some(g),
        Some("Selector") => match inventory.namespaces.get(namespace) {
            Some(labels) if selector.matches(labels) => return Some(g),
            Some(_) => findings.push(refused(format!(
                "{gw} accepts ListenerSets from namespaces matching its allowedListeners selector, and Namespace {namespace}'s labels do not match"
            ))),
            None => {
                findings.push(Finding::new(
                    rules::SELECTOR_UNDECIDED,
                    at,
                    Some(&me),
                    format!(
                        "{gw} selects ListenerSet namespaces by label and Namespace {namespace} is not in the inputs; assuming it attaches"
                    ),
                ));
                return Some(g);
            }
        },
        Some(other) => findings.push(refused(format!(
            "{gw} has allowedListeners.namespaces.from {other:?}, which is not All, Same, Selector or None"
        ))),
    }
    None
}

/// A listener in the merged list, with its object.
#[derive(Clone, Copy)]
struct Merged<'a> {
    header: &'a Header,
    listener: &'a Listener,
}

/// What two listeners of one protocol on one port must share to conflict: the hostname,
/// except for TCP and UDP, which have none to tell them apart.
type SameKey<'a> = (i64, &'a str, Option<&'a str>);

fn same_key(listener: &Listener) -> Option<SameKey<'_>> {
    let protocol = listener.protocol.as_str();
    let hostname = match protocol {
        "TCP" | "UDP" => None,
        _ => listener.hostname.as_deref(),
    };
    Some((listener.port?, protocol, hostname))
}

/// The listeners accepted on one Gateway so far, indexed by what a later listener can
/// conflict with them through, so that merging thousands of ListenerSets' listeners is linear,
/// not quadratic. Two listeners conflict (reference §3.3) only on the same port: with the same
/// protocol when it is TCP or UDP or when their hostnames are equal, and with different
/// protocols on the same transport (conformance ListenerSetProtocolConflict and
/// ProtocolAndRouteKindConflicts: TCP next to HTTP, TLS next to HTTPS; only UDP and a TCP
/// based protocol can share a port number).
#[derive(Default)]
struct Accepted<'a> {
    listeners: Vec<Merged<'a>>,
    /// Positions in `listeners` by [`SameKey`], in order.
    same: HashMap<SameKey<'a>, Vec<usize>>,
    /// Each protocol on a port, with the position of its first listener.
    protocols: HashMap<i64, Vec<(&'a str, usize)>>,
}

impl<'a> Accepted<'a> {
    /// The first accepted listener `candidate` conflicts with, and why. Exact duplicates
    /// inside one object are the CEL uniqueness rule's (LSC204), so a listener of the same
    /// protocol in the candidate's own object does not count.
    fn winner(&self, candidate: &Merged<'a>) -> Option<(Merged<'a>, &'static str)> {
        let key = same_key(candidate.listener)?;
        let (port, protocol, _) = key;
        // Another protocol on the same transport conflicts whatever the hostnames, so its
        // first listener is the earliest that does.
        let other = self
            .protocols
            .get(&port)
            .into_iter()
            .flatten()
            .filter(|(p, _)| *p != protocol && transport(p) == transport(protocol))
            .map(|(_, at)| (*at, "ProtocolConflict"));
        let reason = match protocol {
            "TCP" | "UDP" => "ProtocolConflict",
            _ => "HostnameConflict",
        };
        let same = self.same.get(&key).into_iter().flatten().find(|at| {
            self.listeners
                .get(**at)
                .is_some_and(|w| !std::ptr::eq(w.header, candidate.header))
        });
        let same = same.map(|at| (*at, reason));
        let (at, reason) = other.chain(same).min_by_key(|(at, _)| *at)?;
        Some((*self.listeners.get(at)?, reason))
    }

    fn push(&mut self, listener: Merged<'a>) {
        let at = self.listeners.len();
        if let Some(key) = same_key(listener.listener) {
            self.same.entry(key).or_default().push(at);
            let protocols = self.protocols.entry(key.0).or_default();
            if !protocols.iter().any(|(p, _)| *p == key.1) {
                protocols.push((key.1, at));
            }
        }
        self.listeners.push(listener);
    }
}

/// Each listener, in precedence order, that loses to one before it: with the winner and why.
fn losers<'a>(
    merged: impl Iterator<Item = Merged<'a>>,
) -> Vec<(Merged<'a>, Merged<'a>, &'static str)> {
    let mut accepted = Accepted::default();
    let mut losers = Vec::new();
    for candidate in merged {
        match accepted.winner(&candidate) {
            Some((winner, reason)) => losers.push((candidate, winner, reason)),
            None => accepted.push(candidate),
        }
    }
    losers
}

fn transport(protocol: &str) -> &str {
    if protocol == "UDP" { "udp" } else { "tcp" }
}

/// Listener conflicts after merging the Gateway's listeners with its attached ListenerSets'
/// in precedence order: the Gateway, then ListenerSets by creationTimestamp (unset last,
/// as not yet created), then namespace/name. The first listener wins.
fn conflicts(gateway: &Gateway, mut sets: Vec<&ListenerSet>) -> Vec<Finding> {
    fn key(s: &ListenerSet) -> (bool, Option<&str>, &str, &str) {
        let h = &s.header;
        let created = h.creation_timestamp.as_deref();
        (created.is_none(), created, &h.namespace, &h.name)
    }
    sets.sort_by(|a, b| key(a).cmp(&key(b)));
    let merged = gateway
        .listeners
        .iter()
        .map(|l| Merged {
            header: &gateway.header,
            listener: l,
        })
        .chain(sets.iter().flat_map(|s| {
            s.listeners.iter().map(|l| Merged {
                header: &s.header,
                listener: l,
            })
        }));
    let mut findings = Vec::new();
    for (candidate, w, reason) in losers(merged) {
        findings.push(Finding::new(
            rules::LISTENER_CONFLICT,
            Some(candidate.header.at(candidate.listener.line)),
            Some(&candidate.header.reference()),
            format!(
                "listener {} ({} port {}{}) conflicts with listener {} of {} ({reason}); {} first on Gateway {}/{}, so this listener gets Conflicted=True and is not served",
                candidate.listener.name,
                candidate.listener.protocol,
                candidate.listener.port.unwrap_or_default(),
                candidate
                    .listener
                    .hostname
                    .as_deref()
                    .map(|h| format!(" hostname {h}"))
                    .unwrap_or_default(),
                w.listener.name,
                w.header.reference(),
                precedence(w.header, candidate.header, &gateway.header),
                gateway.header.namespace,
                gateway.header.name
            ),
        ));
    }
    findings
}

/// Why the winner's listener comes first (reference §3.2).
fn precedence(winner: &Header, loser: &Header, gateway: &Header) -> &'static str {
    if std::ptr::eq(winner, gateway) {
        "the Gateway's own listeners come"
    } else if std::ptr::eq(winner, loser) {
        "the earlier listener of the same ListenerSet comes"
    } else if winner.creation_timestamp.is_some()
        && winner.creation_timestamp != loser.creation_timestamp
    {
        "the older ListenerSet (creationTimestamp) comes"
    } else {
        "at equal or unknown creationTimestamp the ListenerSet first by namespace/name comes"
    }
}

/// The CEL rules of the Gateway API CRDs over Gateway API documents
/// ([`super::inventory::gateway_api`]), sorted into codes.
pub fn cel<'a>(documents: impl Iterator<Item = (Header, &'a Map)>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for (header, root) in documents {
        cel_document(&header, root, &mut findings);
    }
    findings
}

/// [`cel`] for one document, adding to `findings`.
pub fn cel_document(header: &Header, root: &Map, findings: &mut Vec<Finding>) {
    let nodes: &[Node] = match root
        .get_value("spec")
        .and_then(|s| s.path(&["listeners"]))
        .map(|n| &n.value)
    {
        Some(Value::Seq(items)) => items,
        _ => &[],
    };
    let listeners: Vec<(String, u32)> = nodes
        .iter()
        .map(|l| (l.str_at(&["name"]).unwrap_or_default().to_string(), l.line))
        .collect();
    let mut violations = Vec::new();
    for violation in crate::cel::violations(&header.api_version, &header.kind, root) {
        if violation.contains("name must be unique") {
            findings.extend(duplicate_names(header, &listeners, &violation));
            continue;
        }
        // A rule on the whole list, said again for each listener that breaks it.
        match violation.strip_prefix("spec.listeners: ") {
            Some(rule) if !offending(rule, nodes).is_empty() => violations.extend(
                offending(rule, nodes)
                    .into_iter()
                    .map(|i| format!("spec.listeners[{i}]: {rule}")),
            ),
            _ => violations.push(violation),
        }
    }
    for violation in violations {
        let code = if violation.contains("certificateRefs")
            || violation.contains("tls mode must be set")
        {
            rules::TLS_MISSING
        } else {
            rules::CEL_RULE
        };
        // `spec.listeners[2].tls: …` names listener 2, by its name, at its line.
        let listener = violation
            .strip_prefix("spec.listeners[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(index, _)| index.parse::<usize>().ok())
            .and_then(|i| listeners.get(i));
        let (message, line) = match (listener, violation.split_once(": ")) {
            (Some((name, line)), Some((path, rule))) => {
                (format!("listener {name} ({path}): {rule}"), *line)
            }
            _ => (violation, 0),
        };
        let finding = Finding::new(
            code,
            Some(header.at(line)),
            Some(&header.reference()),
            message,
        );
        // The schema's and the controller's TLS rules can both fire for one listener.
        let repeated = code == rules::TLS_MISSING
            && findings.iter().any(|f| {
                f.code == code
                    && f.diagnostic.location == finding.diagnostic.location
                    && f.diagnostic.object == finding.diagnostic.object
            });
        if !repeated {
            findings.push(finding);
        }
    }
}

/// The listeners that break one of the list-wide listener rules (reference §5).
fn offending(rule: &str, listeners: &[Node]) -> Vec<usize> {
    let field = |l: &Node, path: &[&str]| l.str_at(path).map(str::to_string);
    let has_tls = |l: &Node| l.path(&["tls"]).is_some_and(|t| t.value != Value::Null);
    let breaks = |l: &Node| {
        let protocol = field(l, &["protocol"]).unwrap_or_default();
        let mode = field(l, &["tls", "mode"]);
        match rule {
            r if r.starts_with("tls must not be specified") => {
                ["HTTP", "TCP", "UDP"].contains(&protocol.as_str()) && has_tls(l)
            }
            r if r.starts_with("tls mode must be Terminate") => {
                protocol == "HTTPS"
                    && mode
                        .as_deref()
                        .is_some_and(|m| !m.is_empty() && m != "Terminate")
            }
            r if r.starts_with("tls mode must be set") => {
                protocol == "TLS" && (!has_tls(l) || mode.as_deref().is_none_or(str::is_empty))
            }
            r if r.starts_with("hostname must not be specified") => {
                ["TCP", "UDP"].contains(&protocol.as_str())
                    && field(l, &["hostname"]).is_some_and(|h| !h.is_empty())
            }
            _ => false,
        }
    };
    let unique_key = |l: &Node| {
        (
            l.path(&["port"]).map(|p| p.value.clone()),
            field(l, &["protocol"]),
            field(l, &["hostname"]),
        )
    };
    if rule.starts_with("Combination of port, protocol and hostname") {
        // Every repetition after the first.
        return (0..listeners.len())
            .filter(|i| {
                listeners.get(*i).is_some_and(|l| {
                    listeners
                        .iter()
                        .take(*i)
                        .any(|e| unique_key(e) == unique_key(l))
                })
            })
            .collect();
    }
    (0..listeners.len())
        .filter(|i| listeners.get(*i).is_some_and(breaks))
        .collect()
}

/// One finding per repeated listener name, at each repetition after the first.
fn duplicate_names(header: &Header, listeners: &[(String, u32)], rule: &str) -> Vec<Finding> {
    let rule = rule.split_once(": ").map_or(rule, |(_, r)| r);
    let mut findings = Vec::new();
    for (i, (name, line)) in listeners.iter().enumerate() {
        let earlier = listeners.iter().take(i).filter(|(n, _)| n == name).count();
        if earlier == 0 {
            continue;
        }
        findings.push(Finding::new(
            rules::DUPLICATE_LISTENER_NAME,
            Some(header.at(*line)),
            Some(&header.reference()),
            format!("listener {name} (spec.listeners[{i}]): {rule}: the name is already used by an earlier listener of this {}", header.kind),
        ));
    }
    findings
}

/// certificateRefs to Secrets in other namespaces need a ReferenceGrant from the listener's
/// own kind and namespace (reference §3.5).
fn references(inventory: &Inventory, index: &Index<'_>) -> Vec<Finding> {
    let objects = inventory
        .gateways
        .iter()
        .map(|g| (&g.header, &g.listeners))
        .chain(
            inventory
                .listener_sets
                .iter()
                .map(|s| (&s.header, &s.listeners)),
        );
    let mut findings = Vec::new();
    for (header, listeners) in objects {
        let from_group = if header.kind == "XListenerSet" {
            X_GROUP
        } else {
            GATEWAY_GROUP
        };
        for listener in listeners {
            for r in &listener.certificate_refs {
                let Some(ns) = r.namespace.as_deref().filter(|ns| *ns != header.namespace) else {
                    continue;
                };
                let granted = index.grants_in(ns).any(|g| {
                    g.from.iter().any(|(group, kind, namespace)| {
                        group == from_group
                            && *kind == header.kind
                            && *namespace == header.namespace
                    }) && g.to.iter().any(|(group, kind, name)| {
                        group.is_empty()
                            && kind == "Secret"
                            && name.as_ref().is_none_or(|n| *n == r.name)
                    })
                });
                if !granted {
                    findings.push(Finding::new(
                        rules::REFERENCE_NOT_GRANTED,
                        Some(header.at(listener.line)),
                        Some(&header.reference()),
                        format!(
                            "listener {} refers to Secret {ns}/{} and no ReferenceGrant in {ns} allows it from {} in {}",
                            listener.name, r.name, header.kind, header.namespace
                        ),
                    ));
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Why two listeners conflict, pair by pair: the rule [`Accepted`] indexes.
    fn conflict(a: &Listener, b: &Listener) -> Option<&'static str> {
        if a.port.is_none() || a.port != b.port {
            return None;
        }
        let (pa, pb) = (a.protocol.as_str(), b.protocol.as_str());
        if pa == pb {
            return match pa {
                "TCP" | "UDP" => Some("ProtocolConflict"),
                _ if a.hostname == b.hostname => Some("HostnameConflict"),
                _ => None,
            };
        }
        (transport(pa) == transport(pb)).then_some("ProtocolConflict")
    }

    /// [`losers`] by comparing each listener with every accepted one.
    fn losers_by_scan<'a>(
        merged: impl Iterator<Item = Merged<'a>>,
    ) -> Vec<(Merged<'a>, Merged<'a>, &'static str)> {
        let mut accepted: Vec<Merged<'a>> = Vec::new();
        let mut losers = Vec::new();
        for candidate in merged {
            let winner = accepted.iter().find_map(|w| {
                let same_object = std::ptr::eq(w.header, candidate.header);
                conflict(w.listener, candidate.listener)
                    .filter(|_| !same_object || w.listener.protocol != candidate.listener.protocol)
                    .map(|reason| (*w, reason))
            });
            match winner {
                Some((w, reason)) => losers.push((candidate, w, reason)),
                None => accepted.push(candidate),
            }
        }
        losers
    }

    fn header(name: &str) -> Header {
        Header {
            api_version: format!("{GATEWAY_GROUP}/v1"),
            kind: "ListenerSet".to_string(),
            namespace: "ns".to_string(),
            name: name.to_string(),
            labels: BTreeMap::new(),
            creation_timestamp: None,
            location: crate::diag::Location {
                file: std::sync::Arc::from("t.yaml"),
                document: 1,
                line: 1,
            },
        }
    }

    fn listener() -> impl Strategy<Value = Listener> {
        let port = prop::option::weighted(0.9, prop::sample::select(vec![80_i64, 443, 53]));
        let protocol = prop::sample::select(vec!["HTTP", "HTTPS", "TLS", "TCP", "UDP", "x/y"]);
        let hostname = prop::option::of(prop::sample::select(vec!["a.example", "b.example"]));
        (port, protocol, hostname).prop_map(|(port, protocol, hostname)| Listener {
            name: "l".to_string(),
            hostname: hostname.map(str::to_string),
            port,
            protocol: protocol.to_string(),
            certificate_refs: Vec::new(),
            line: 1,
        })
    }

    type Outcome = Vec<(*const Listener, *const Listener, &'static str)>;

    fn outcome(losers: Vec<(Merged<'_>, Merged<'_>, &'static str)>) -> Outcome {
        let losers = losers.into_iter();
        losers
            .map(|(c, w, r)| {
                (
                    std::ptr::from_ref(c.listener),
                    std::ptr::from_ref(w.listener),
                    r,
                )
            })
            .collect()
    }

    proptest! {
        /// The index finds the same winner, for the same reason, as comparing every pair.
        #[test]
        fn indexed_merge_finds_what_a_scan_finds(
            objects in prop::collection::vec(prop::collection::vec(listener(), 0..6), 1..6)
        ) {
            let headers: Vec<Header> = (0..objects.len()).map(|i| header(&format!("o{i}"))).collect();
            let merged = || {
                headers.iter().zip(&objects).flat_map(|(header, listeners)| {
                    listeners.iter().map(move |listener| Merged { header, listener })
                })
            };
            prop_assert_eq!(outcome(losers(merged())), outcome(losers_by_scan(merged())));
        }
    }
}
