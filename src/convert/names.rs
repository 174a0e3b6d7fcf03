//! Object and listener names derived from host names, as ingress2gateway derives them, but
//! never colliding: ingress2gateway gives `*.example.com` and `example.com` the same name and
//! loses one of them (reference ingress2gateway §9.2).

use foldhash::{HashMap, HashSet};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// ingress2gateway's `NameFromHost`: every run of characters outside `[a-zA-Z0-9]` becomes
/// `-`, leading dashes go, and the empty host or `*` is `all-hosts`. Lower-cased, because
/// object and listener names must be.
pub fn name_from_host(host: &str) -> String {
    if host.is_empty() || host == "*" {
        return "all-hosts".to_string();
    }
    let mut out = String::with_capacity(host.len());
    let mut in_run = false;
    for c in host.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    let trimmed = out.trim_start_matches('-');
    if trimmed.is_empty() {
        "all-hosts".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The name part of every host in one scope (a Gateway and its ListenerSets). Exact hosts
/// claim names first, in byte order, so a lone host keeps ingress2gateway's name; a wildcard
/// that would collide becomes `wildcard-<name>`; anything still taken gets `-2`, `-3`, ….
#[derive(Debug, Default, Clone)]
pub struct HostNames {
    /// Looked up once or more for every listener and route: hashed, since hosts of one
    /// Gateway share long suffixes that make ordered comparisons slow.
    parts: HashMap<String, String>,
}

impl HostNames {
    pub fn new<'a>(hosts: impl IntoIterator<Item = &'a str>) -> Self {
        let unique: BTreeSet<&str> = hosts.into_iter().filter(|h| !h.is_empty()).collect();
        let (wildcards, exact): (Vec<&str>, Vec<&str>) =
            unique.into_iter().partition(|h| h.starts_with("*."));
        let mut taken = HashSet::default();
        let mut parts = HashMap::default();
        for host in exact.into_iter().chain(wildcards) {
            let base = name_from_host(host);
            let mut candidates = vec![base.clone()];
            if host.starts_with("*.") {
                candidates.push(format!("wildcard-{base}"));
            }
            let last = candidates.last().cloned().unwrap_or_default();
            let chosen = candidates
                .into_iter()
                .find(|c| !taken.contains(c))
                .unwrap_or_else(|| first_free(&taken, &last));
            taken.insert(chosen.clone());
            parts.insert(host.to_string(), chosen);
        }
        HostNames { parts }
    }

    /// The name part for `host`; hostless rules are `all-hosts`.
    pub fn part(&self, host: &str) -> Cow<'_, str> {
        match self.parts.get(host) {
            Some(part) => Cow::Borrowed(part),
            None => Cow::Owned(name_from_host(host)),
        }
    }
}

fn first_free(taken: &HashSet<String>, base: &str) -> String {
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or_default()
}

/// Names already used for one kind in one namespace; `claim` returns the name or, when taken,
/// the first free `<name>-N`.
#[derive(Debug, Default)]
pub struct NameRegistry {
    /// kind → namespace → names: each kind and namespace is stored once.
    taken: HashMap<String, HashMap<String, HashSet<String>>>,
}

impl NameRegistry {
    pub fn claim(&mut self, kind: &str, namespace: &str, name: &str) -> String {
        // Kind and namespace are copied only the first time they are seen.
        if !self.taken.contains_key(kind) {
            self.taken.insert(kind.to_string(), HashMap::default());
        }
        let Some(namespaces) = self.taken.get_mut(kind) else {
            return name.to_string();
        };
        if !namespaces.contains_key(namespace) {
            namespaces.insert(namespace.to_string(), HashSet::default());
        }
        let Some(taken) = namespaces.get_mut(namespace) else {
            return name.to_string();
        };
        let chosen = if taken.contains(name) {
            (2..)
                .map(|n| format!("{name}-{n}"))
                .find(|c| !taken.contains(c))
                .unwrap_or_default()
        } else {
            name.to_string()
        };
        taken.insert(chosen.clone());
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingress2gateway_names() {
        assert_eq!(name_from_host("foo.example.com"), "foo-example-com");
        assert_eq!(name_from_host("*.example.com"), "example-com");
        assert_eq!(name_from_host(""), "all-hosts");
        assert_eq!(name_from_host("*"), "all-hosts");
        assert_eq!(name_from_host("a..b"), "a-b");
    }

    #[test]
    fn wildcard_and_apex_differ() {
        let names = HostNames::new(["*.example.com", "example.com", "wildcard.example.com"]);
        assert_eq!(names.part("example.com"), "example-com");
        assert_eq!(names.part("wildcard.example.com"), "wildcard-example-com");
        assert_eq!(names.part("*.example.com"), "wildcard-example-com-2");
        let lone = HostNames::new(["*.example.com"]);
        assert_eq!(lone.part("*.example.com"), "example-com");
        let dashes = HostNames::new(["a-b.com", "a.b-com"]);
        assert_ne!(dashes.part("a-b.com"), dashes.part("a.b-com"));
    }

    #[test]
    fn registry_suffixes() {
        let mut r = NameRegistry::default();
        assert_eq!(r.claim("HTTPRoute", "ns", "a"), "a");
        assert_eq!(r.claim("HTTPRoute", "ns", "a"), "a-2");
        assert_eq!(r.claim("HTTPRoute", "other", "a"), "a");
    }
}
