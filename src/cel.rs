//! Gateway API's CEL validation rules (`x-kubernetes-validations`) checked natively, so lsc can
//! refuse output the API server would refuse without a cluster or a CEL interpreter.
//!
//! The rules and their messages are those of the gateway-api v1.6.1 CRDs
//! (`config/crd/standard/gateway.networking.k8s.io_{gateways,listenersets,httproutes}.yaml`,
//! and v1.4.1's `gateway.networking.x-k8s.io_xlistenersets.yaml`). CEL runs after the API
//! server applies schema defaults, so every rule here reads a field through its default
//! (`tls.mode` is `Terminate`, a route match is `PathPrefix /`, a parentRef is a `Gateway`).
//! A field set to `null` counts as absent, as the API server drops it before validation.
//!
//! Listeners also get the stricter checks a writer should meet (listener count, port range,
//! name and hostname patterns, HTTPS with certificates); those are schema or documentation
//! rules rather than CEL, and their messages are lsc's own.

use std::fmt::Display;

use crate::source::tree::{Map, Node, Value};

const GATEWAY_V1: &str = "gateway.networking.k8s.io/v1";
const X_GATEWAY_V1ALPHA1: &str = "gateway.networking.x-k8s.io/v1alpha1";

/// Whether this module translates every rule of `api_version`/`kind`: Gateway, ListenerSet,
/// XListenerSet and HTTPRoute. Other kinds (BackendTLSPolicy's few rules here included) are
/// left to the validator built from the CRDs, [`crate::crd`].
pub fn covers(api_version: &str, kind: &str) -> bool {
    matches!(
        (api_version, kind),
        (GATEWAY_V1, "Gateway" | "ListenerSet" | "HTTPRoute")
            | (X_GATEWAY_V1ALPHA1, "XListenerSet")
    )
}

/// The rules a Gateway API object of `api_version`/`kind` breaks, one message per violated
/// rule, each `<field path>: <upstream message>`. Kinds without rules give an empty list.
pub fn violations(api_version: &str, kind: &str, root: &Map) -> Vec<String> {
    let spec = present(root, "spec")
        .and_then(Node::as_map)
        .unwrap_or(&EMPTY);
    let mut out = Violations::default();
    match (api_version, kind) {
        (GATEWAY_V1, "Gateway") => {
            listeners(spec, ListenerOwner::Gateway, &mut out);
            gateway_addresses(spec, &mut out);
            gateway_infrastructure(spec, &mut out);
            gateway_frontend_tls(spec, &mut out);
        }
        (GATEWAY_V1, "ListenerSet") => listeners(spec, ListenerOwner::ListenerSet, &mut out),
        (X_GATEWAY_V1ALPHA1, "XListenerSet") => {
            listeners(spec, ListenerOwner::XListenerSet, &mut out);
        }
        (GATEWAY_V1, "HTTPRoute") => http_route(spec, &mut out),
        (GATEWAY_V1, "BackendTLSPolicy") => backend_tls_policy(spec, &mut out),
        _ => {}
    }
    out.messages
}

static EMPTY: Map = Map {
    entries: Vec::new(),
};

#[derive(Default)]
struct Violations {
    messages: Vec<String>,
}

impl Violations {
    /// Path and message are only formatted for a violation: most objects have none.
    fn add(&mut self, path: impl Display, message: impl Display) {
        self.messages.push(format!("{path}: {message}"));
    }

    fn check(&mut self, ok: bool, path: impl Display, message: impl Display) {
        if !ok {
            self.add(path, message);
        }
    }
}

// ---------------------------------------------------------------- field access (CEL `has`) ---

/// A field as CEL's `has()` sees it: set and not null.
fn present<'a>(map: &'a Map, key: &str) -> Option<&'a Node> {
    map.get_value(key)
        .filter(|node| !matches!(node.value, Value::Null))
}

fn has(map: &Map, key: &str) -> bool {
    present(map, key).is_some()
}

fn text<'a>(map: &'a Map, key: &str) -> Option<&'a str> {
    present(map, key).and_then(|node| node.value.as_str())
}

fn int(map: &Map, key: &str) -> Option<i64> {
    match present(map, key)?.value {
        Value::Int(i) => Some(i),
        _ => None,
    }
}

fn child<'a>(map: &'a Map, key: &str) -> Option<&'a Map> {
    present(map, key).and_then(Node::as_map)
}

/// The items of a list field; empty when absent or not a list.
fn items<'a>(map: &'a Map, key: &str) -> &'a [Node] {
    match present(map, key).map(|node| &node.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// The mapping items of a list field with their indexes; other items are the schema's concern.
fn map_items<'a>(map: &'a Map, key: &str) -> Vec<(usize, &'a Map)> {
    items(map, key)
        .iter()
        .enumerate()
        .filter_map(|(i, node)| node.as_map().map(|m| (i, m)))
        .collect()
}

/// CEL's `size()` of a list or map field, 0 when absent.
fn size(map: &Map, key: &str) -> usize {
    match present(map, key).map(|node| &node.value) {
        Some(Value::Seq(items)) => items.len(),
        Some(Value::Map(m)) => m.entries.len(),
        _ => 0,
    }
}

fn strings<'a>(map: &'a Map, key: &str) -> Vec<&'a str> {
    items(map, key)
        .iter()
        .filter_map(|node| node.value.as_str())
        .collect()
}

// ------------------------------------------------------------------------ pattern matchers ---

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, an RFC 1123 label without the length bound.
pub(crate) fn is_dns_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && bytes.iter().all(|b| alnum(b) || *b == b'-')
        }
        _ => false,
    }
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`: labels of
/// [`is_dns_label`] joined by dots, checked in one pass (every hostname of every object convert
/// writes or check reads goes through here).
pub(crate) fn is_dns_subdomain(s: &str) -> bool {
    // The byte before, as if the name followed a dot: a label may neither start nor end with
    // a hyphen, and no label is empty.
    let mut before = b'.';
    for &b in s.as_bytes() {
        let fits = match b {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' => before != b'.',
            b'.' => before != b'.' && before != b'-',
            _ => false,
        };
        if !fits {
            return false;
        }
        before = b;
    }
    before != b'.' && before != b'-'
}

/// `^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`.
fn is_hostname(s: &str) -> bool {
    is_dns_subdomain(s.strip_prefix("*.").unwrap_or(s))
}

const HOSTNAME_PATTERN: &str =
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const SECTION_NAME_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/// A Hostname or SectionName field: 1–253 characters matching its pattern.
fn is_bounded(s: &str, matches: fn(&str) -> bool) -> bool {
    (1..=253).contains(&s.len()) && matches(s)
}

/// `^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`, the characters of an HTTP path.
fn is_path_value(s: &str) -> bool {
    let mut bytes = s.bytes();
    let mut any = false;
    while let Some(b) = bytes.next() {
        any = true;
        let ok = if b == b'%' {
            matches!(
                (bytes.next(), bytes.next()),
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit()
            )
        } else {
            b.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&b)
        };
        if !ok {
            return false;
        }
    }
    any
}

/// `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$`,
/// a label or annotation key. Neither part may hold a `/`, so the first one splits them.
fn is_label_key(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let bytes = name.as_bytes();
    let name_ok = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            bytes.len() <= 63
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
        }
        _ => false,
    };
    name_ok && prefix.is_none_or(is_dns_subdomain)
}

/// Milliseconds of a Gateway API Duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`); None when it is
/// not one, which the schema reports.
fn duration_ms(s: &str) -> Option<u64> {
    let mut rest = s;
    let mut total: u64 = 0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = rest.split_at_checked(digits)?;
        let number: u64 = number.parse().ok()?;
        let (unit_ms, tail) = if let Some(tail) = tail.strip_prefix("ms") {
            (1, tail)
        } else if let Some(tail) = tail.strip_prefix('h') {
            (3_600_000, tail)
        } else if let Some(tail) = tail.strip_prefix('m') {
            (60_000, tail)
        } else if let Some(tail) = tail.strip_prefix('s') {
            (1_000, tail)
        } else {
            return None;
        };
        total = total.checked_add(number.checked_mul(unit_ms)?)?;
        rest = tail;
    }
    Some(total)
}

// ------------------------------------------------------------------------------- listeners ---

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListenerOwner {
    Gateway,
    ListenerSet,
    XListenerSet,
}

/// A listener read through its schema defaults.
struct Listener<'a> {
    index: usize,
    map: &'a Map,
    name: Option<&'a str>,
    protocol: Option<&'a str>,
    port: Option<i64>,
    hostname: Option<&'a str>,
    tls: Option<&'a Map>,
}

impl<'a> Listener<'a> {
    fn read(index: usize, map: &'a Map, owner: ListenerOwner) -> Self {
        // XListenerSet v1alpha1 (v1.4.x) defaults an absent port to 0.
        let port = match owner {
            ListenerOwner::XListenerSet if !has(map, "port") => Some(0),
            _ => int(map, "port"),
        };
        Listener {
            index,
            map,
            name: text(map, "name"),
            protocol: text(map, "protocol"),
            port,
            hostname: text(map, "hostname"),
            tls: child(map, "tls"),
        }
    }

    fn protocol_in(&self, protocols: &[&str]) -> bool {
        self.protocol.is_some_and(|p| protocols.contains(&p))
    }

    fn path(&self) -> ListenerPath {
        ListenerPath(self.index)
    }
}

/// `<list>[<index>]`, written only when a violation names it.
struct Item<'a> {
    list: &'a dyn Display,
    index: usize,
}

impl Display for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.list, self.index)
    }
}

/// `spec.listeners[i]`, written only when a violation names it.
struct ListenerPath(usize);

impl Display for ListenerPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "spec.listeners[{}]", self.0)
    }
}

/// Whether no two items are equal: what the CRDs' `self.all(l1, self.exists_one(l2, ...))`
/// rules say, found with a set instead of comparing every pair (a Gateway given thousands of
/// listeners must not take minutes to be refused).
fn all_distinct<T: std::hash::Hash + Eq>(mut items: impl Iterator<Item = T>) -> bool {
    let mut seen = foldhash::HashSet::default();
    items.all(|item| seen.insert(item))
}

/// `self.all(l1, self.exists_one(l2, l1.name == l2.name))`.
fn names_unique(list: &[Listener]) -> bool {
    all_distinct(list.iter().map(|l| l.name))
}

/// `self.all(l1, [!has(l1.port) ||] self.exists_one(l2, [has(l2.port) &&] l1.port == l2.port
/// && l1.protocol == l2.protocol && l1.hostname == l2.hostname))`, the guards in brackets
/// when `guarded`. A guarded listener without a port is exempt and matches no other, so the
/// rule is that the others' (port, protocol, hostname) are distinct.
fn addresses_unique(list: &[Listener], guarded: bool) -> bool {
    let judged = list.iter().filter(|l| !(guarded && l.port.is_none()));
    all_distinct(judged.map(|l| (l.port, l.protocol, l.hostname)))
}

/// `tls.mode` after defaulting.
fn tls_mode(tls: &Map) -> &str {
    text(tls, "mode").unwrap_or("Terminate")
}

/// The `spec.listeners` rules shared by Gateway, ListenerSet and XListenerSet, and the
/// stricter checks of a listener a writer should emit.
fn listeners(spec: &Map, owner: ListenerOwner, out: &mut Violations) {
    let list: Vec<Listener> = map_items(spec, "listeners")
        .into_iter()
        .map(|(i, m)| Listener::read(i, m, owner))
        .collect();
    let path = "spec.listeners";

    out.check(
        !list
            .iter()
            .any(|l| l.protocol_in(&["HTTP", "TCP", "UDP"]) && l.tls.is_some()),
        path,
        "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    );
    out.check(
        !list.iter().any(|l| {
            l.protocol == Some("HTTPS")
                && l.tls
                    .is_some_and(|tls| !matches!(tls_mode(tls), "" | "Terminate"))
        }),
        path,
        "tls mode must be Terminate for protocol HTTPS",
    );
    // Added in v1.5.0, so XListenerSet v1alpha1 lacks it.
    if owner != ListenerOwner::XListenerSet {
        out.check(
            !list.iter().any(|l| {
                l.protocol == Some("TLS") && l.tls.is_none_or(|tls| tls_mode(tls).is_empty())
            }),
            path,
            "tls mode must be set for protocol TLS",
        );
    }
    out.check(
        !list
            .iter()
            .any(|l| l.protocol_in(&["TCP", "UDP"]) && l.hostname.is_some_and(|h| !h.is_empty())),
        path,
        "hostname must not be specified for protocols ['TCP', 'UDP']",
    );
    out.check(
        names_unique(&list),
        path,
        "Listener name must be unique within the Gateway",
    );
    // ListenerSet keeps a `!has(port)` guard from the optional-port era; Gateway has none.
    let guarded = owner != ListenerOwner::Gateway;
    out.check(
        addresses_unique(&list, guarded),
        path,
        "Combination of port, protocol and hostname must be unique for each listener",
    );
    for l in &list {
        if let Some(tls) = l.tls {
            out.check(
                tls_mode(tls) != "Terminate"
                    || size(tls, "certificateRefs") > 0
                    || size(tls, "options") > 0,
                format_args!("{}.tls", l.path()),
                "certificateRefs or options must be specified when mode is Terminate",
            );
        }
    }

    // Stricter than CEL (gateway-api-listenerset.md §9): the schema bounds, and HTTPS with
    // certificates, which the field docs require and only a controller enforces.
    let count = items(spec, "listeners").len();
    out.check(count >= 1, path, "must have at least 1 listener");
    out.check(
        count <= 64,
        path,
        format_args!("must have at most 64 listeners, found {count}"),
    );
    for l in &list {
        out.check(
            l.name.is_some_and(|n| is_bounded(n, is_dns_subdomain)),
            format_args!("{}.name", l.path()),
            format_args!("must be 1-253 characters matching {SECTION_NAME_PATTERN}"),
        );
        if has(l.map, "hostname") {
            out.check(
                l.hostname.is_some_and(|h| is_bounded(h, is_hostname)),
                format_args!("{}.hostname", l.path()),
                format_args!("must be 1-253 characters matching {HOSTNAME_PATTERN}"),
            );
        }
        out.check(
            l.port.is_some_and(|p| (1..=65535).contains(&p)),
            format_args!("{}.port", l.path()),
            "must be set to a port between 1 and 65535",
        );
        if l.protocol == Some("HTTPS") {
            out.check(
                l.tls.is_some_and(|tls| size(tls, "certificateRefs") > 0),
                l.path(),
                "tls.certificateRefs must be specified for protocol HTTPS",
            );
        }
    }
}

// -------------------------------------------------------------------------- Gateway extras ---

fn gateway_addresses(spec: &Map, out: &mut Violations) {
    // `type` defaults to IPAddress.
    let addresses: Vec<(usize, &str, Option<&str>)> = map_items(spec, "addresses")
        .into_iter()
        .map(|(i, a)| (i, text(a, "type").unwrap_or("IPAddress"), text(a, "value")))
        .collect();
    for (kind, message) in [
        ("IPAddress", "IPAddress values must be unique"),
        ("Hostname", "Hostname values must be unique"),
    ] {
        out.check(
            addresses.iter().all(|(_, t1, v1)| {
                *t1 != kind
                    || v1.is_none()
                    || addresses
                        .iter()
                        .filter(|(_, t2, v2)| t2 == t1 && v2.is_some() && v2 == v1)
                        .count()
                        == 1
            }),
            "spec.addresses",
            message,
        );
    }
    for (i, kind, value) in &addresses {
        out.check(
            *kind != "Hostname" || value.is_none_or(is_hostname),
            format_args!("spec.addresses[{i}]"),
            format_args!(
                "Hostname value must be empty or contain only valid characters (matching {HOSTNAME_PATTERN})"
            ),
        );
    }
}

fn gateway_infrastructure(spec: &Map, out: &mut Violations) {
    let Some(infrastructure) = child(spec, "infrastructure") else {
        return;
    };
    for (field, noun) in [("annotations", "Annotation"), ("labels", "Label")] {
        let Some(keys) = child(infrastructure, field) else {
            continue;
        };
        let path = format!("spec.infrastructure.{field}");
        out.check(
            keys.entries.iter().all(|e| is_label_key(&e.key)),
            &path,
            format_args!(
                "{noun} keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters."
            ),
        );
        out.check(
            keys.entries.iter().all(|e| {
                e.key
                    .split('/')
                    .next()
                    .is_none_or(|prefix| prefix.chars().count() < 253)
            }),
            &path,
            format_args!(
                "If specified, the {} key's prefix must be a DNS subdomain not longer than 253 characters in total.",
                noun.to_lowercase()
            ),
        );
    }
}

fn gateway_frontend_tls(spec: &Map, out: &mut Violations) {
    let Some(frontend) = child(spec, "tls").and_then(|tls| child(tls, "frontend")) else {
        return;
    };
    let ports: Vec<Option<i64>> = map_items(frontend, "perPort")
        .into_iter()
        .map(|(_, p)| int(p, "port"))
        .collect();
    out.check(
        ports
            .iter()
            .all(|p1| ports.iter().filter(|p2| *p2 == p1).count() == 1),
        "spec.tls.frontend.perPort",
        "Port for TLS configuration must be unique within the Gateway",
    );
}

// ------------------------------------------------------------------------ BackendTLSPolicy ---

/// `spec.validation` takes CA certificates from exactly one place
/// (`config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml`).
fn backend_tls_policy(spec: &Map, out: &mut Violations) {
    let Some(validation) = child(spec, "validation") else {
        return;
    };
    let refs = size(validation, "caCertificateRefs") > 0;
    let well_known = text(validation, "wellKnownCACertificates").is_some_and(|t| !t.is_empty());
    out.check(
        !(refs && well_known),
        "spec.validation",
        "must not contain both CACertificateRefs and WellKnownCACertificates",
    );
    out.check(
        refs || well_known,
        "spec.validation",
        "must specify either CACertificateRefs or WellKnownCACertificates",
    );
}

// ------------------------------------------------------------------------------- HTTPRoute ---

fn http_route(spec: &Map, out: &mut Violations) {
    route_parent_refs(spec, out);
    route_bounds(spec, out);
    let rules = map_items(spec, "rules");
    // Only the first 16 rules count, as the rule adds them one by one; an absent `matches`
    // is defaulted to one match.
    let total: usize = rules
        .iter()
        .filter(|(i, _)| *i < 16)
        .map(|(_, r)| {
            if has(r, "matches") {
                size(r, "matches")
            } else {
                1
            }
        })
        .sum();
    out.check(
        total <= 128,
        "spec.rules",
        "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
    );
    for (i, rule) in rules {
        route_rule(rule, &format_args!("spec.rules[{i}]"), out);
    }
}

/// A parentRef read through its defaults, with empty namespace and sectionName as absent.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ParentKey<'a> {
    group: &'a str,
    kind: &'a str,
    name: Option<&'a str>,
    namespace: &'a str,
}

/// Each parentRef's parent and sectionName ("" when absent).
fn parent_keys(spec: &Map) -> Vec<(ParentKey<'_>, &str)> {
    map_items(spec, "parentRefs")
        .into_iter()
        .map(|(_, p)| {
            let key = ParentKey {
                group: text(p, "group").unwrap_or("gateway.networking.k8s.io"),
                kind: text(p, "kind").unwrap_or("Gateway"),
                name: text(p, "name"),
                namespace: text(p, "namespace").unwrap_or(""),
            };
            (key, text(p, "sectionName").unwrap_or(""))
        })
        .collect()
}

/// Up to this many parentRefs (nearly every route has one or two), comparing pairs costs less
/// than building sets.
const PAIRWISE_PARENT_REFS: usize = 8;

/// The CRD's two rules on references to one parent, which it spells pair by pair; checked
/// through a set (a route of many Ingresses sharing a TLS host has a parentRef for each).
/// Returns (every parent's references all have a sectionName or none has, no parent and
/// sectionName is named twice).
fn parent_refs_consistent_and_unique(refs: &[(ParentKey<'_>, &str)]) -> (bool, bool) {
    if refs.len() <= PAIRWISE_PARENT_REFS {
        let consistent = refs.iter().all(|(k1, s1)| {
            refs.iter()
                .all(|(k2, s2)| k1 != k2 || s1.is_empty() == s2.is_empty())
        });
        let unique = refs
            .iter()
            .enumerate()
            .all(|(i, r)| !refs.iter().take(i).any(|earlier| earlier == r));
        return (consistent, unique);
    }
    let mut named: foldhash::HashMap<&ParentKey<'_>, bool> = foldhash::HashMap::default();
    let mut seen: foldhash::HashSet<(&ParentKey<'_>, &str)> = foldhash::HashSet::default();
    let (mut consistent, mut unique) = (true, true);
    for (key, section) in refs {
        consistent &= *named.entry(key).or_insert(section.is_empty()) == section.is_empty();
        unique &= seen.insert((key, section));
    }
    (consistent, unique)
}

fn route_parent_refs(spec: &Map, out: &mut Violations) {
    let (consistent, unique) = parent_refs_consistent_and_unique(&parent_keys(spec));
    out.check(
        consistent,
        "spec.parentRefs",
        "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
    );
    out.check(
        unique,
        "spec.parentRefs",
        "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
    );
}

/// The schema's bounds a converter can overrun: hostnames, rules and matches. The schema
/// reports these too; lsc checks them so it needs no schema validator at run time.
fn route_bounds(spec: &Map, out: &mut Violations) {
    let hostnames = items(spec, "hostnames");
    out.check(
        hostnames.len() <= 16,
        "spec.hostnames",
        format_args!("must have at most 16 items, found {}", hostnames.len()),
    );
    for (i, node) in hostnames.iter().enumerate() {
        out.check(
            node.value
                .as_str()
                .is_some_and(|h| is_bounded(h, is_hostname)),
            format_args!("spec.hostnames[{i}]"),
            format_args!("must be 1-253 characters matching {HOSTNAME_PATTERN}"),
        );
    }
    let parent_refs = size(spec, "parentRefs");
    out.check(
        parent_refs <= 32,
        "spec.parentRefs",
        format_args!("must have at most 32 items, found {parent_refs}"),
    );
    let rules = items(spec, "rules");
    out.check(
        rules.len() <= 16,
        "spec.rules",
        format_args!("must have at most 16 items, found {}", rules.len()),
    );
    for (i, rule) in map_items(spec, "rules") {
        let matches = size(rule, "matches");
        out.check(
            matches <= 64,
            format_args!("spec.rules[{i}].matches"),
            format_args!("must have at most 64 items, found {matches}"),
        );
    }
}

/// Whether a filter rewrites or redirects with `path.type: ReplacePrefixMatch`.
fn replaces_prefix(filter: &Map, field: &str) -> bool {
    child(filter, field)
        .and_then(|f| child(f, "path"))
        .is_some_and(|path| {
            text(path, "type") == Some("ReplacePrefixMatch") && has(path, "replacePrefixMatch")
        })
}

/// CEL's `exists_one` over the mapping items of a list.
fn exactly_one(list: &[(usize, &Map)], test: impl Fn(&Map) -> bool) -> bool {
    list.iter().filter(|(_, m)| test(m)).count() == 1
}

/// Exactly one match, of type PathPrefix, after defaulting (absent `matches` is one
/// `PathPrefix /` match, and an absent path or type is `PathPrefix`).
fn single_prefix_match(rule: &Map) -> bool {
    if !has(rule, "matches") {
        return true;
    }
    let matches = items(rule, "matches");
    match matches {
        [only] => only
            .as_map()
            .and_then(|m| child(m, "path"))
            .is_none_or(|path| text(path, "type").unwrap_or("PathPrefix") == "PathPrefix"),
        _ => false,
    }
}

fn route_rule(rule: &Map, path: &dyn Display, out: &mut Violations) {
    let filters = map_items(rule, "filters");
    let backend_refs = map_items(rule, "backendRefs");
    out.check(
        size(rule, "backendRefs") == 0 || filters.iter().all(|(_, f)| !has(f, "requestRedirect")),
        path,
        "RequestRedirect filter must not be used together with backendRefs",
    );
    let prefix_ok = single_prefix_match(rule);
    for (field, message) in [
        (
            "requestRedirect",
            "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        (
            "urlRewrite",
            "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
    ] {
        out.check(
            !exactly_one(&filters, |f| replaces_prefix(f, field)) || prefix_ok,
            path,
            message,
        );
    }
    for (field, message) in [
        (
            "requestRedirect",
            "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        (
            "urlRewrite",
            "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
    ] {
        let triggered = exactly_one(&backend_refs, |b| {
            has(b, "filters")
                && exactly_one(&map_items(b, "filters"), |f| replaces_prefix(f, field))
        });
        out.check(!triggered || prefix_ok, path, message);
    }
    for (j, backend_ref) in &backend_refs {
        service_port(backend_ref, &format_args!("{path}.backendRefs[{j}]"), out);
        if has(backend_ref, "filters") {
            let filters = format_args!("{path}.backendRefs[{j}].filters");
            filters_rules(backend_ref, &filters, out);
        }
    }
    if has(rule, "filters") {
        filters_rules(rule, &format_args!("{path}.filters"), out);
    }
    for (k, m) in map_items(rule, "matches") {
        if let Some(path_match) = child(m, "path") {
            path_match_rules(path_match, &format_args!("{path}.matches[{k}].path"), out);
        }
    }
    if let Some(timeouts) = child(rule, "timeouts") {
        let request = text(timeouts, "request").and_then(duration_ms);
        let backend = text(timeouts, "backendRequest").and_then(duration_ms);
        out.check(
            !matches!((request, backend), (Some(r), Some(b)) if r != 0 && b > r),
            format_args!("{path}.timeouts"),
            "backendRequest timeout cannot be longer than request timeout",
        );
    }
}

/// A BackendObjectReference to a core Service (group `""`, kind `Service` by default) needs a port.
fn service_port(reference: &Map, path: &dyn Display, out: &mut Violations) {
    let service = text(reference, "group").unwrap_or("").is_empty()
        && text(reference, "kind").unwrap_or("Service") == "Service";
    out.check(
        !service || has(reference, "port"),
        path,
        "Must have port for Service reference",
    );
}

/// The filter types and the field each one carries, in the CRD's order.
const FILTER_FIELDS: [(&str, &str); 7] = [
    ("CORS", "cors"),
    ("RequestHeaderModifier", "requestHeaderModifier"),
    ("ResponseHeaderModifier", "responseHeaderModifier"),
    ("RequestMirror", "requestMirror"),
    ("RequestRedirect", "requestRedirect"),
    ("URLRewrite", "urlRewrite"),
    ("ExtensionRef", "extensionRef"),
];

/// The rules on a `filters` list (of a rule or of a backendRef) and on each filter in it.
fn filters_rules(owner: &Map, path: &dyn Display, out: &mut Violations) {
    let filters = map_items(owner, "filters");
    let count = |kind: &str| {
        filters
            .iter()
            .filter(|(_, f)| text(f, "type") == Some(kind))
            .count()
    };
    out.check(
        count("RequestRedirect") == 0 || count("URLRewrite") == 0,
        path,
        "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
    );
    for kind in [
        "CORS",
        "RequestHeaderModifier",
        "ResponseHeaderModifier",
        "RequestRedirect",
        "URLRewrite",
    ] {
        out.check(
            count(kind) <= 1,
            path,
            format_args!("{kind} filter cannot be repeated"),
        );
    }
    for (k, filter) in filters {
        let filter_path = Item {
            list: path,
            index: k,
        };
        let kind = text(filter, "type");
        for (type_name, field) in FILTER_FIELDS {
            let set = has(filter, field);
            let typed = kind == Some(type_name);
            out.check(
                !set || typed,
                &filter_path,
                format_args!("filter.{field} must be nil if the filter.type is not {type_name}"),
            );
            out.check(
                set || !typed,
                &filter_path,
                format_args!("filter.{field} must be specified for {type_name} filter.type"),
            );
        }
        filter_fields(filter, &filter_path, out);
    }
}

/// The rules inside one filter's CORS, RequestMirror, RequestRedirect and URLRewrite fields.
fn filter_fields(filter: &Map, path: &dyn Display, out: &mut Violations) {
    if let Some(cors) = child(filter, "cors") {
        for (field, message) in [
            (
                "allowHeaders",
                "AllowHeaders cannot contain '*' alongside other methods",
            ),
            (
                "allowMethods",
                "AllowMethods cannot contain '*' alongside other methods",
            ),
            (
                "allowOrigins",
                "AllowOrigins cannot contain '*' alongside other origins",
            ),
        ] {
            if has(cors, field) {
                let values = strings(cors, field);
                out.check(
                    !(values.contains(&"*") && size(cors, field) > 1),
                    format_args!("{path}.cors.{field}"),
                    message,
                );
            }
        }
    }
    if let Some(mirror) = child(filter, "requestMirror") {
        let mirror_path = format!("{path}.requestMirror");
        out.check(
            !(has(mirror, "percent") && has(mirror, "fraction")),
            &mirror_path,
            "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
        );
        if let Some(backend_ref) = child(mirror, "backendRef") {
            service_port(backend_ref, &format_args!("{mirror_path}.backendRef"), out);
        }
        if let Some(fraction) = child(mirror, "fraction") {
            let numerator = int(fraction, "numerator");
            let denominator = int(fraction, "denominator").unwrap_or(100);
            out.check(
                numerator.is_some_and(|n| n <= denominator),
                format_args!("{mirror_path}.fraction"),
                "numerator must be less than or equal to denominator",
            );
        }
    }
    for field in ["requestRedirect", "urlRewrite"] {
        if let Some(modifier) = child(filter, field).and_then(|f| child(f, "path")) {
            path_modifier_rules(modifier, &format_args!("{path}.{field}.path"), out);
        }
    }
}

/// An HTTPPathModifier's type must agree with the field it sets.
fn path_modifier_rules(modifier: &Map, path: &dyn Display, out: &mut Violations) {
    let kind = text(modifier, "type");
    for (field, key) in [
        ("ReplaceFullPath", "replaceFullPath"),
        ("ReplacePrefixMatch", "replacePrefixMatch"),
    ] {
        let set = has(modifier, key);
        out.check(
            kind != Some(field) || set,
            path,
            format_args!("{key} must be specified when type is set to '{field}'"),
        );
        out.check(
            !set || kind == Some(field),
            path,
            format_args!("type must be '{field}' when {key} is set"),
        );
    }
}

/// The rules on an HTTPPathMatch, read through its defaults (`PathPrefix`, `/`).
fn path_match_rules(path_match: &Map, path: &dyn Display, out: &mut Violations) {
    let kind = text(path_match, "type").unwrap_or("PathPrefix");
    let value = text(path_match, "value").unwrap_or("/");
    if matches!(kind, "Exact" | "PathPrefix") {
        let rules: [(bool, &str); 9] = [
            (
                value.starts_with('/'),
                "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains("//"),
                "must not contain '//' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains("/./"),
                "must not contain '/./' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains("/../"),
                "must not contain '/../' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains("%2f"),
                "must not contain '%2f' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains("%2F"),
                "must not contain '%2F' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.contains('#'),
                "must not contain '#' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.ends_with("/.."),
                "must not end with '/..' when type one of ['Exact', 'PathPrefix']",
            ),
            (
                !value.ends_with("/."),
                "must not end with '/.' when type one of ['Exact', 'PathPrefix']",
            ),
        ];
        for (ok, message) in rules {
            out.check(ok, path, message);
        }
    }
    out.check(
        matches!(kind, "Exact" | "PathPrefix" | "RegularExpression"),
        path,
        "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
    );
    if matches!(kind, "Exact" | "PathPrefix") {
        out.check(
            is_path_value(value),
            path,
            r"must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
        );
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The one-pass check is the pattern's: labels joined by dots.
        #[test]
        fn dns_subdomain_in_one_pass_is_labels_joined_by_dots(s in "[a-z0-9.*A_-]{0,12}") {
            prop_assert_eq!(
                super::is_dns_subdomain(&s),
                s.split('.').all(super::is_dns_label),
                "{:?}", s
            );
        }
    }

    use super::*;
    use crate::source::yaml::{Limits, parse_documents};

    fn check(yaml: &str) -> Vec<String> {
        let (docs, err) = parse_documents(yaml, &Limits::default());
        assert!(err.is_none(), "{err:?}\n{yaml}");
        let root = docs[0].root.as_ref().unwrap().as_map().unwrap();
        let api_version = text(root, "apiVersion").unwrap();
        let kind = text(root, "kind").unwrap();
        violations(api_version, kind, root)
    }

    #[track_caller]
    fn assert_violations(yaml: &str, expected: &[&str]) {
        assert_eq!(check(yaml), expected, "\n{yaml}");
    }

    #[track_caller]
    fn assert_valid(yaml: &str) {
        assert_violations(yaml, &[]);
    }

    #[test]
    fn backend_tls_policy_takes_cas_from_one_place() {
        let policy = |validation: &str| {
            format!(
                "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {{name: p}}\nspec:\n  targetRefs: [{{group: '', kind: Service, name: s}}]\n  validation: {{hostname: s.example.com{validation}}}\n"
            )
        };
        assert_valid(&policy(", wellKnownCACertificates: System"));
        assert_valid(&policy(
            ", caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]",
        ));
        assert_violations(
            &policy(""),
            &["spec.validation: must specify either CACertificateRefs or WellKnownCACertificates"],
        );
        assert_violations(
            &policy(
                ", wellKnownCACertificates: System, caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]",
            ),
            &[
                "spec.validation: must not contain both CACertificateRefs and WellKnownCACertificates",
            ],
        );
    }

    /// The uniqueness rules as the CRDs spell them, pair by pair.
    fn names_unique_by_pairs(list: &[Listener]) -> bool {
        list.iter()
            .all(|l1| list.iter().filter(|l2| l1.name == l2.name).count() == 1)
    }

    fn addresses_unique_by_pairs(list: &[Listener], guarded: bool) -> bool {
        let same_address = |l1: &Listener, l2: &Listener| {
            (!guarded || l2.port.is_some())
                && l1.port == l2.port
                && l1.protocol == l2.protocol
                && l1.hostname == l2.hostname
        };
        list.iter().all(|l1| {
            (guarded && l1.port.is_none())
                || list.iter().filter(|l2| same_address(l1, l2)).count() == 1
        })
    }

    proptest::proptest! {
        /// The set-based uniqueness rules agree with the pairwise ones.
        #[test]
        fn uniqueness_by_set_is_uniqueness_by_pairs(
            fields in proptest::collection::vec((
                proptest::option::of(proptest::sample::select(vec!["a", "b", "c"])),
                proptest::option::of(proptest::sample::select(vec![80_i64, 443])),
                proptest::option::of(proptest::sample::select(vec!["HTTP", "HTTPS"])),
                proptest::option::of(proptest::sample::select(vec!["x.example", "y.example"])),
            ), 0..20),
            guarded in proptest::bool::ANY,
        ) {
            let empty = Map::default();
            let list: Vec<Listener> = fields
                .iter()
                .enumerate()
                .map(|(index, &(name, port, protocol, hostname))| Listener {
                    index,
                    map: &empty,
                    name,
                    protocol,
                    port,
                    hostname,
                    tls: None,
                })
                .collect();
            proptest::prop_assert_eq!(names_unique(&list), names_unique_by_pairs(&list));
            proptest::prop_assert_eq!(
                addresses_unique(&list, guarded),
                addresses_unique_by_pairs(&list, guarded)
            );
        }
    }

    proptest::proptest! {
        /// The parentRef rules agree with the CRD's pairwise spelling, below and above
        /// [`PAIRWISE_PARENT_REFS`].
        #[test]
        fn parent_refs_by_set_are_parent_refs_by_pairs(
            fields in proptest::collection::vec((
                proptest::sample::select(vec!["Gateway", "ListenerSet"]),
                proptest::option::of(proptest::sample::select(vec!["a", "b"])),
                proptest::sample::select(vec!["", "x"]),
                proptest::sample::select(vec!["", "s", "t"]),
            ), 0..20),
        ) {
            let refs: Vec<(ParentKey<'_>, &str)> = fields
                .iter()
                .map(|&(kind, name, namespace, section)| {
                    (ParentKey { group: "gateway.networking.k8s.io", kind, name, namespace }, section)
                })
                .collect();
            let consistent = refs.iter().all(|(k1, s1)| {
                refs.iter().all(|(k2, s2)| k1 != k2 || s1.is_empty() == s2.is_empty())
            });
            let unique = refs.iter().all(|(k1, s1)| {
                refs.iter().filter(|(k2, s2)| k1 == k2 && s1 == s2).count() == 1
            });
            proptest::prop_assert_eq!(
                parent_refs_consistent_and_unique(&refs),
                (consistent, unique)
            );
        }
    }

    fn listener_set(listeners: &str) -> String {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {{name: ls}}\n\
             spec:\n  parentRef: {{name: gw}}\n  listeners: {listeners}\n"
        )
    }

    fn x_listener_set(listeners: &str) -> String {
        format!(
            "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n\
             metadata: {{name: ls}}\nspec:\n  parentRef: {{name: gw}}\n  listeners: {listeners}\n"
        )
    }

    fn gateway(spec: &str) -> String {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: gw}}\n\
             spec:\n  gatewayClassName: gc\n{spec}\n"
        )
    }

    fn route(spec: &str) -> String {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r}}\n\
             spec: {spec}\n"
        )
    }

    /// A route with one rule, attached to Gateway `gw`.
    fn route_rule(rule: &str) -> String {
        route(&format!("{{parentRefs: [{{name: gw}}], rules: [{rule}]}}"))
    }

    const HTTP: &str = "{name: http, port: 80, protocol: HTTP}";
    const HTTPS: &str =
        "{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: web-tls}]}}";

    // ----------------------------------------------------------------------- listeners ---

    #[test]
    fn valid_listeners_pass() {
        assert_valid(&listener_set(&format!("[{HTTP}, {HTTPS}]")));
        assert_valid(&x_listener_set(&format!("[{HTTP}, {HTTPS}]")));
        assert_valid(&gateway(&format!("  listeners: [{HTTP}, {HTTPS}]")));
    }

    #[test]
    fn tls_is_forbidden_for_http_tcp_udp() {
        assert_violations(
            &listener_set(
                "[{name: a, port: 80, protocol: HTTP, tls: {certificateRefs: [{name: s}]}}]",
            ),
            &["spec.listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"],
        );
        assert_valid(&listener_set("[{name: a, port: 9000, protocol: UDP}]"));
    }

    #[test]
    fn https_tls_mode_is_terminate() {
        assert_violations(
            &listener_set(
                "[{name: a, port: 443, protocol: HTTPS, \
                 tls: {mode: Passthrough, certificateRefs: [{name: s}]}}]",
            ),
            &["spec.listeners: tls mode must be Terminate for protocol HTTPS"],
        );
        assert_valid(&listener_set(
            "[{name: a, port: 443, protocol: HTTPS, \
             tls: {mode: Terminate, certificateRefs: [{name: s}]}}]",
        ));
    }

    #[test]
    fn tls_protocol_needs_tls_except_in_xlistenerset() {
        let bare = "[{name: a, port: 443, protocol: TLS}]";
        let message = "spec.listeners: tls mode must be set for protocol TLS";
        assert_violations(&listener_set(bare), &[message]);
        assert_violations(&gateway(&format!("  listeners: {bare}")), &[message]);
        assert_valid(&x_listener_set(bare));
        assert_valid(&listener_set(
            "[{name: a, port: 443, protocol: TLS, tls: {mode: Passthrough}}]",
        ));
        // mode defaults to Terminate, so a tls block without mode satisfies the rule.
        assert_valid(&listener_set(
            "[{name: a, port: 443, protocol: TLS, tls: {certificateRefs: [{name: s}]}}]",
        ));
    }

    #[test]
    fn hostname_is_forbidden_for_tcp_udp() {
        assert_violations(
            &listener_set("[{name: a, port: 9000, protocol: TCP, hostname: a.example.com}]"),
            &["spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']"],
        );
        assert_valid(&listener_set(
            "[{name: a, port: 80, protocol: HTTP, hostname: a.example.com}]",
        ));
    }

    #[test]
    fn listener_names_are_unique() {
        assert_violations(
            &listener_set(
                "[{name: a, port: 80, protocol: HTTP}, {name: a, port: 8080, protocol: HTTP}]",
            ),
            &["spec.listeners: Listener name must be unique within the Gateway"],
        );
        assert_valid(&listener_set(
            "[{name: a, port: 80, protocol: HTTP}, {name: b, port: 8080, protocol: HTTP}]",
        ));
    }

    #[test]
    fn port_protocol_hostname_are_unique() {
        let message = "spec.listeners: Combination of port, protocol and hostname must be unique for each listener";
        assert_violations(
            &listener_set(
                "[{name: a, port: 80, protocol: HTTP}, {name: b, port: 80, protocol: HTTP}]",
            ),
            &[message],
        );
        assert_violations(
            &listener_set(
                "[{name: a, port: 80, protocol: HTTP, hostname: x.example.com}, \
                 {name: b, port: 80, protocol: HTTP, hostname: x.example.com}]",
            ),
            &[message],
        );
        // A set hostname and an unset one differ.
        assert_valid(&listener_set(
            "[{name: a, port: 80, protocol: HTTP, hostname: x.example.com}, \
             {name: b, port: 80, protocol: HTTP}]",
        ));
    }

    #[test]
    fn only_listenersets_guard_uniqueness_on_port() {
        let listeners = "[{name: a, protocol: HTTP}, {name: b, protocol: HTTP}]";
        let port = |i: usize| {
            format!("spec.listeners[{i}].port: must be set to a port between 1 and 65535")
        };
        assert_eq!(check(&listener_set(listeners)), [port(0), port(1)]);
        assert_eq!(
            check(&gateway(&format!("  listeners: {listeners}"))),
            [
                "spec.listeners: Combination of port, protocol and hostname must be unique for each listener"
                    .to_string(),
                port(0),
                port(1)
            ]
        );
        // XListenerSet defaults the port to 0, so both listeners have one.
        assert_eq!(
            check(&x_listener_set(listeners)),
            [
                "spec.listeners: Combination of port, protocol and hostname must be unique for each listener"
                    .to_string(),
                port(0),
                port(1)
            ]
        );
    }

    #[test]
    fn terminate_needs_certificate_refs_or_options() {
        assert_violations(
            &listener_set("[{name: a, port: 443, protocol: TLS, tls: {mode: Terminate}}]"),
            &[
                "spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate",
            ],
        );
        assert_valid(&listener_set(
            "[{name: a, port: 443, protocol: TLS, tls: {mode: Terminate, options: {k: v}}}]",
        ));
    }

    #[test]
    fn https_needs_certificate_refs() {
        let message = "spec.listeners[0]: tls.certificateRefs must be specified for protocol HTTPS";
        assert_violations(
            &listener_set("[{name: a, port: 443, protocol: HTTPS}]"),
            &[message],
        );
        assert_violations(
            &listener_set("[{name: a, port: 443, protocol: HTTPS, tls: {options: {k: v}}}]"),
            &[message],
        );
        assert_valid(&listener_set(&format!("[{HTTPS}]")));
    }

    #[test]
    fn listener_count_is_1_to_64() {
        assert_violations(
            &listener_set("[]"),
            &["spec.listeners: must have at least 1 listener"],
        );
        let many: Vec<String> = (0..65)
            .map(|i| format!("{{name: l{i}, port: {}, protocol: HTTP}}", 1000 + i))
            .collect();
        assert_violations(
            &listener_set(&format!("[{}]", many.join(", "))),
            &["spec.listeners: must have at most 64 listeners, found 65"],
        );
        assert_valid(&listener_set(&format!("[{}]", many[..64].join(", "))));
    }

    #[test]
    fn port_is_1_to_65535() {
        let message = "spec.listeners[0].port: must be set to a port between 1 and 65535";
        assert_violations(
            &listener_set("[{name: a, port: 0, protocol: HTTP}]"),
            &[message],
        );
        assert_violations(
            &listener_set("[{name: a, port: 65536, protocol: HTTP}]"),
            &[message],
        );
        assert_valid(&listener_set("[{name: a, port: 65535, protocol: HTTP}]"));
    }

    #[test]
    fn listener_name_and_hostname_patterns() {
        assert_violations(
            &listener_set("[{name: Web, port: 80, protocol: HTTP}]"),
            &[&format!(
                "spec.listeners[0].name: must be 1-253 characters matching {SECTION_NAME_PATTERN}"
            )],
        );
        let hostname = format!(
            "spec.listeners[0].hostname: must be 1-253 characters matching {HOSTNAME_PATTERN}"
        );
        for bad in ["'*.Example.com'", "'foo.*.com'", "''", "a..b", "-a.com"] {
            assert_violations(
                &listener_set(&format!(
                    "[{{name: a, port: 80, protocol: HTTP, hostname: {bad}}}]"
                )),
                &[&hostname],
            );
        }
        assert_valid(&listener_set(
            "[{name: web.v1, port: 80, protocol: HTTP, hostname: '*.example.com'}]",
        ));
    }

    // ------------------------------------------------------------------------- Gateway ---

    #[test]
    fn gateway_addresses_are_unique_and_valid() {
        let listeners = format!("  listeners: [{HTTP}]\n");
        assert_violations(
            &gateway(&format!(
                "{listeners}  addresses: [{{value: 10.0.0.1}}, {{type: IPAddress, value: 10.0.0.1}}]"
            )),
            &["spec.addresses: IPAddress values must be unique"],
        );
        assert_violations(
            &gateway(&format!(
                "{listeners}  addresses: [{{type: Hostname, value: a.example.com}}, \
                 {{type: Hostname, value: a.example.com}}]"
            )),
            &["spec.addresses: Hostname values must be unique"],
        );
        assert_violations(
            &gateway(&format!(
                "{listeners}  addresses: [{{type: Hostname, value: A.example.com}}]"
            )),
            &[&format!(
                "spec.addresses[0]: Hostname value must be empty or contain only valid characters (matching {HOSTNAME_PATTERN})"
            )],
        );
        assert_valid(&gateway(&format!(
            "{listeners}  addresses: [{{value: 10.0.0.1}}, {{type: Hostname, value: 10.0.0.1}}, \
             {{type: Hostname}}]"
        )));
    }

    #[test]
    fn gateway_infrastructure_keys() {
        let listeners = format!("  listeners: [{HTTP}]\n");
        assert_violations(
            &gateway(&format!(
                "{listeners}  infrastructure: {{labels: {{'Example.com/app': x}}}}"
            )),
            &[
                "spec.infrastructure.labels: Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.",
            ],
        );
        let long = format!("{}.com/a", "a".repeat(250));
        assert_violations(
            &gateway(&format!(
                "{listeners}  infrastructure: {{annotations: {{'{long}': x}}}}"
            )),
            &[
                "spec.infrastructure.annotations: If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 characters in total.",
            ],
        );
        assert_valid(&gateway(&format!(
            "{listeners}  infrastructure: {{labels: {{example.com/app: x, tier: web}}, \
             annotations: {{a_b.c: x}}}}"
        )));
    }

    #[test]
    fn gateway_frontend_tls_ports_are_unique() {
        let listeners = format!("  listeners: [{HTTP}]\n");
        let per_port = |ports: &str| {
            gateway(&format!(
                "{listeners}  tls: {{frontend: {{default: {{}}, perPort: {ports}}}}}"
            ))
        };
        assert_violations(
            &per_port("[{port: 443, tls: {}}, {port: 443, tls: {}}]"),
            &[
                "spec.tls.frontend.perPort: Port for TLS configuration must be unique within the Gateway",
            ],
        );
        assert_valid(&per_port("[{port: 443, tls: {}}, {port: 8443, tls: {}}]"));
    }

    #[test]
    fn other_kinds_have_no_rules() {
        assert_valid(
            "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\nspec: {listeners: []}\n",
        );
        assert_valid("apiVersion: v1\nkind: Service\nspec: {listeners: []}\n");
        assert_valid(
            "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nspec: {hostnames: [A]}\n",
        );
    }

    // ----------------------------------------------------------------------- HTTPRoute ---

    #[test]
    fn valid_route_passes() {
        assert_valid(&route(
            "{parentRefs: [{group: gateway.networking.k8s.io, kind: ListenerSet, name: ls, \
             sectionName: https}], hostnames: [app.example.com, '*.example.com'], \
             rules: [{matches: [{path: {type: PathPrefix, value: /api}}], \
             backendRefs: [{name: api, port: 8080}]}]}",
        ));
    }

    #[test]
    fn parent_refs_to_one_parent_need_section_names() {
        assert_violations(
            &route("{parentRefs: [{name: gw}, {name: gw, sectionName: https}]}"),
            &[
                "spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same parent",
            ],
        );
        assert_violations(
            &route("{parentRefs: [{name: gw, namespace: ''}, {name: gw}]}"),
            &[
                "spec.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent",
            ],
        );
        assert_valid(&route(
            "{parentRefs: [{name: gw, sectionName: http}, {name: gw, sectionName: https}, \
             {name: gw, namespace: other}, {kind: ListenerSet, name: gw}]}",
        ));
    }

    #[test]
    fn total_matches_are_at_most_128() {
        let matches = |n: usize| {
            let items: Vec<String> = (0..n)
                .map(|i| format!("{{path: {{value: /p{i}}}}}"))
                .collect();
            format!("{{matches: [{}]}}", items.join(", "))
        };
        let message = "spec.rules: While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128";
        // An absent `matches` counts as its one default match.
        assert_violations(
            &route(&format!(
                "{{rules: [{}, {}, {{}}]}}",
                matches(64),
                matches(64)
            )),
            &[message],
        );
        assert_valid(&route(&format!(
            "{{rules: [{}, {}]}}",
            matches(64),
            matches(64)
        )));
    }

    #[test]
    fn redirect_excludes_backend_refs() {
        assert_violations(
            &route_rule(
                "{filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}], \
                 backendRefs: [{name: s, port: 80}]}",
            ),
            &["spec.rules[0]: RequestRedirect filter must not be used together with backendRefs"],
        );
        assert_valid(&route_rule(
            "{filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]}",
        ));
    }

    #[test]
    fn replace_prefix_match_needs_one_prefix_match() {
        let redirect = "filters: [{type: RequestRedirect, requestRedirect: \
                        {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]";
        assert_violations(
            &route_rule(&format!(
                "{{matches: [{{path: {{value: /a}}}}, {{path: {{value: /b}}}}], {redirect}}}"
            )),
            &[
                "spec.rules[0]: When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            ],
        );
        let rewrite = "filters: [{type: URLRewrite, urlRewrite: \
                       {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]";
        assert_violations(
            &route_rule(&format!(
                "{{matches: [{{path: {{type: Exact, value: /a}}}}], {rewrite}}}"
            )),
            &[
                "spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            ],
        );
        // No matches means the default `PathPrefix /`.
        assert_valid(&route_rule(&format!("{{{redirect}}}")));
        assert_valid(&route_rule(&format!(
            "{{matches: [{{path: {{value: /a}}}}], {rewrite}}}"
        )));
    }

    #[test]
    fn replace_prefix_match_in_backend_refs_needs_one_prefix_match() {
        let backend = "backendRefs: [{name: s, port: 80, filters: [{type: URLRewrite, \
                       urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]}]";
        assert_violations(
            &route_rule(&format!("{{matches: [], {backend}}}")),
            &[
                "spec.rules[0]: Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            ],
        );
        assert_valid(&route_rule(&format!(
            "{{matches: [{{path: {{type: PathPrefix, value: /a}}}}], {backend}}}"
        )));
    }

    #[test]
    fn service_backend_refs_need_a_port() {
        assert_violations(
            &route_rule("{backendRefs: [{name: s}]}"),
            &["spec.rules[0].backendRefs[0]: Must have port for Service reference"],
        );
        assert_valid(&route_rule(
            "{backendRefs: [{group: example.com, kind: Bucket, name: s}]}",
        ));
    }

    #[test]
    fn redirect_and_rewrite_are_exclusive() {
        assert_violations(
            &route_rule(
                "{filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}, \
                 {type: URLRewrite, urlRewrite: {hostname: x.example.com}}]}",
            ),
            &[
                "spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
            ],
        );
        assert_valid(&route_rule(
            "{filters: [{type: URLRewrite, urlRewrite: {hostname: x.example.com}}]}",
        ));
    }

    #[test]
    fn filters_are_not_repeated() {
        let header =
            "{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: a, value: b}]}}";
        assert_violations(
            &route_rule(&format!("{{filters: [{header}, {header}]}}")),
            &["spec.rules[0].filters: RequestHeaderModifier filter cannot be repeated"],
        );
        assert_violations(
            &route_rule(&format!(
                "{{backendRefs: [{{name: s, port: 80, filters: [{header}, {header}]}}]}}"
            )),
            &[
                "spec.rules[0].backendRefs[0].filters: RequestHeaderModifier filter cannot be repeated",
            ],
        );
        let mirror = "{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}}}";
        assert_valid(&route_rule(&format!(
            "{{filters: [{header}, {mirror}, {mirror}]}}"
        )));
    }

    #[test]
    fn filter_field_matches_type() {
        assert_violations(
            &route_rule("{filters: [{type: RequestRedirect}]}"),
            &[
                "spec.rules[0].filters[0]: filter.requestRedirect must be specified for RequestRedirect filter.type",
            ],
        );
        assert_violations(
            &route_rule("{filters: [{type: URLRewrite, requestRedirect: {scheme: https}}]}"),
            &[
                "spec.rules[0].filters[0]: filter.requestRedirect must be nil if the filter.type is not RequestRedirect",
                "spec.rules[0].filters[0]: filter.urlRewrite must be specified for URLRewrite filter.type",
            ],
        );
        assert_valid(&route_rule(
            "{filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: K, name: n}}]}",
        ));
    }

    #[test]
    fn cors_wildcards_stand_alone() {
        assert_violations(
            &route_rule(
                "{filters: [{type: CORS, cors: {allowOrigins: ['*', 'https://a.example.com']}}]}",
            ),
            &[
                "spec.rules[0].filters[0].cors.allowOrigins: AllowOrigins cannot contain '*' alongside other origins",
            ],
        );
        assert_valid(&route_rule(
            "{filters: [{type: CORS, cors: {allowOrigins: ['*'], allowMethods: [GET, POST]}}]}",
        ));
    }

    #[test]
    fn request_mirror_rules() {
        assert_violations(
            &route_rule(
                "{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: m}, \
                 percent: 10, fraction: {numerator: 1}}}]}",
            ),
            &[
                "spec.rules[0].filters[0].requestMirror: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
                "spec.rules[0].filters[0].requestMirror.backendRef: Must have port for Service reference",
            ],
        );
        // The denominator defaults to 100.
        assert_violations(
            &route_rule(
                "{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}, \
                 fraction: {numerator: 101}}}]}",
            ),
            &[
                "spec.rules[0].filters[0].requestMirror.fraction: numerator must be less than or equal to denominator",
            ],
        );
        assert_valid(&route_rule(
            "{filters: [{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80}, \
             fraction: {numerator: 100}}}]}",
        ));
    }

    #[test]
    fn path_modifier_type_matches_field() {
        assert_violations(
            &route_rule(
                "{filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath}}}]}",
            ),
            &[
                "spec.rules[0].filters[0].urlRewrite.path: replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
            ],
        );
        assert_violations(
            &route_rule(
                "{filters: [{type: RequestRedirect, requestRedirect: \
                 {path: {type: ReplaceFullPath, replacePrefixMatch: /x}}}]}",
            ),
            &[
                "spec.rules[0].filters[0].requestRedirect.path: replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
                "spec.rules[0].filters[0].requestRedirect.path: type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
            ],
        );
        assert_valid(&route_rule(
            "{filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /x}}}]}",
        ));
    }

    #[test]
    fn path_match_values() {
        let with_path = |path: &str| route_rule(&format!("{{matches: [{{path: {path}}}]}}"));
        let at = |message: &str| format!("spec.rules[0].matches[0].path: {message}");
        let chars = at(
            r"must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
        );
        let cases: &[(&str, &[&str])] = &[
            (
                "{value: x}",
                &[
                    "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
                ],
            ),
            (
                "{value: //x}",
                &["must not contain '//' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{type: Exact, value: /a/./b}",
                &["must not contain '/./' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{value: /a/../b}",
                &["must not contain '/../' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{value: /a%2fb}",
                &["must not contain '%2f' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{value: /a%2Fb}",
                &["must not contain '%2F' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{value: /a/..}",
                &["must not end with '/..' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{value: /a/.}",
                &["must not end with '/.' when type one of ['Exact', 'PathPrefix']"],
            ),
            (
                "{type: Prefix, value: /a}",
                &["type must be one of ['Exact', 'PathPrefix', 'RegularExpression']"],
            ),
        ];
        for (path, messages) in cases {
            let expected: Vec<String> = messages.iter().map(|m| at(m)).collect();
            assert_eq!(check(&with_path(path)), expected, "{path}");
        }
        assert_eq!(
            check(&with_path("{value: '/a#b'}")),
            [
                at("must not contain '#' when type one of ['Exact', 'PathPrefix']"),
                chars.clone()
            ]
        );
        for bad in ["'/a b'", "'/%zz'", "/é"] {
            assert_eq!(
                check(&with_path(&format!("{{value: {bad}}}"))),
                std::slice::from_ref(&chars),
                "{bad}"
            );
        }
        for ok in [
            "{value: /}",
            "{}",
            "{type: Exact, value: '/a/b.c/~x/%20/@:;=+*'}",
            "{type: RegularExpression, value: '^//(a|b)$'}",
        ] {
            assert_valid(&with_path(ok));
        }
    }

    #[test]
    fn backend_timeout_within_request_timeout() {
        let with = |timeouts: &str| route_rule(&format!("{{timeouts: {timeouts}}}"));
        assert_violations(
            &with("{request: 10s, backendRequest: 1m}"),
            &[
                "spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout",
            ],
        );
        assert_valid(&with("{request: 1m, backendRequest: 59s999ms}"));
        assert_valid(&with("{request: 0s, backendRequest: 1h}"));
    }

    #[test]
    fn route_hostnames_and_bounds() {
        assert_violations(
            &route("{hostnames: [Example.com]}"),
            &[&format!(
                "spec.hostnames[0]: must be 1-253 characters matching {HOSTNAME_PATTERN}"
            )],
        );
        let hostnames: Vec<String> = (0..17).map(|i| format!("h{i}.example.com")).collect();
        assert_violations(
            &route(&format!("{{hostnames: [{}]}}", hostnames.join(", "))),
            &["spec.hostnames: must have at most 16 items, found 17"],
        );
        let rules = vec!["{}"; 17].join(", ");
        assert_violations(
            &route(&format!("{{rules: [{rules}]}}")),
            &["spec.rules: must have at most 16 items, found 17"],
        );
        assert_valid(&route(&format!(
            "{{hostnames: [{}]}}",
            hostnames[..16].join(", ")
        )));
    }

    // ---------------------------------------------------------------- pattern matchers ---

    #[test]
    fn pattern_matchers() {
        for ok in ["a", "a-b", "0", "a.b-c.d"] {
            assert!(is_dns_subdomain(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "A", "a..b", "a.", "a_b"] {
            assert!(!is_dns_subdomain(bad), "{bad}");
        }
        assert!(is_hostname("*.example.com"));
        assert!(!is_hostname("*"));
        assert!(!is_hostname("*example.com"));
        for ok in ["app", "example.com/app", "a.b/A_b.C-9", "x"] {
            assert!(is_label_key(ok), "{ok}");
        }
        for bad in [
            "",
            "/app",
            "a/b/c",
            "app-",
            "Example.com/app",
            &"a".repeat(64),
        ] {
            assert!(!is_label_key(bad), "{bad}");
        }
        assert_eq!(duration_ms("1h2m3s4ms"), Some(3_723_004));
        assert_eq!(duration_ms("10"), None);
        assert_eq!(duration_ms(""), None);
        assert!(is_path_value("/%2Fa"));
        assert!(!is_path_value("/%2"));
        assert!(!is_path_value(""));
    }
}
