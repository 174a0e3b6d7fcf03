//! The API server's validation of an Ingress's host names (`spec.rules[].host`,
//! `spec.tls[].hosts[]`; Kubernetes `pkg/apis/networking/validation`): what `lsc check` reports
//! and what `lsc convert` refuses, each host once, at its line.

use std::net::IpAddr;

use crate::source::tree::{Map, Value};

/// An invalid host: where it is written first, its field path there and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHost {
    pub line: u32,
    pub message: String,
}

const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// Why the API server refuses `host` in an Ingress, if it does. Rule hosts may not be IP
/// addresses; TLS hosts are only held to the name rules.
fn refusal(host: &str, rule_host: bool) -> Option<String> {
    // Only digits and dots (IPv4) or a colon (IPv6) can spell an address.
    let may_be_ip = host.contains(':') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if rule_host && may_be_ip && host.parse::<IpAddr>().is_ok() {
        return Some("must be a DNS name, not an IP address".to_string());
    }
    if host.len() > 253 {
        return Some("must be no more than 253 characters".to_string());
    }
    if host.contains('*') {
        let valid = host
            .strip_prefix("*.")
            .is_some_and(crate::cel::is_dns_subdomain);
        return (!valid).then(|| WILDCARD.to_string());
    }
    (!crate::cel::is_dns_subdomain(host)).then(|| SUBDOMAIN.to_string())
}

/// Text in a host that a template engine or a placeholder convention would have replaced.
fn looks_unrendered(host: &str) -> bool {
    ["${", "{{", "<", "__"].iter().any(|m| host.contains(m))
}

/// The invalid hosts of an Ingress document's tree, each distinct host once (at its first
/// place). Fields of the wrong type are left to the model's errors.
pub fn invalid_ingress_hosts(root: &Map) -> Vec<InvalidHost> {
    let mut found: Vec<(String, InvalidHost)> = Vec::new();
    // The field path is spelled only for a host that is refused.
    let mut consider = |host: &str, line: u32, path: &dyn Fn() -> String, rule_host: bool| {
        // An empty rule host is a rule for every host; no TLS host is empty in practice and
        // the API server's name rules refuse it like any other.
        if (rule_host && host.is_empty()) || found.iter().any(|(h, _)| h == host) {
            return;
        }
        let Some(reason) = refusal(host, rule_host) else {
            return;
        };
        let mut message = format!(
            "{}: Invalid value: {host:?}: not a valid DNS name: {reason}",
            path()
        );
        if looks_unrendered(host) {
            message.push_str(
                "; it looks like an unrendered template variable: render the template (helm template, envsubst, kustomize) before lsc reads it",
            );
        }
        found.push((host.to_string(), InvalidHost { line, message }));
    };
    let spec = root.get_value("spec");
    let items = |key: &str| match spec.and_then(|s| s.path(&[key])).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    for (i, rule) in items("rules").iter().enumerate() {
        if let Some(entry) = rule.as_map().and_then(|m| m.get("host")) {
            if let Some(host) = entry.value.value.as_str() {
                consider(
                    host,
                    entry.key_line,
                    &|| format!("spec.rules[{i}].host"),
                    true,
                );
            }
        }
    }
    for (i, tls) in items("tls").iter().enumerate() {
        let hosts = tls.as_map().and_then(|m| m.get_value("hosts"));
        let Some(Value::Seq(hosts)) = hosts.map(|n| &n.value) else {
            continue;
        };
        for (j, host) in hosts.iter().enumerate() {
            if let Some(name) = host.value.as_str() {
                consider(
                    name,
                    host.line,
                    &|| format!("spec.tls[{i}].hosts[{j}]"),
                    false,
                );
            }
        }
    }
    let mut invalid: Vec<InvalidHost> = found.into_iter().map(|(_, h)| h).collect();
    invalid.sort_by_key(|h| h.line);
    invalid
}

#[cfg(test)]
mod tests {
    use super::{looks_unrendered, refusal};

    #[test]
    fn hosts_the_api_server_refuses() {
        for ok in ["example.com", "a-b.example.com", "*.example.com", "x"] {
            assert_eq!(refusal(ok, true), None, "{ok}");
        }
        for bad in [
            "Example.com",
            "a_b.example.com",
            "-a.example.com",
            "*.*.example.com",
            "a.*.example.com",
            "*",
            "registry.<your domain>",
            "${CLUSTER_DOMAIN}",
            "example.com.",
        ] {
            assert!(refusal(bad, true).is_some(), "{bad}");
        }
        assert!(refusal("10.0.0.1", true).is_some());
        assert_eq!(refusal("10.0.0.1", false), None);
        assert!(refusal(&"a".repeat(254), false).is_some());
    }

    #[test]
    fn template_markers() {
        for host in [
            "__INGRESS_HOST__",
            "${CLUSTER_DOMAIN}",
            "{{ .Values.host }}",
            "registry.<your domain>",
        ] {
            assert!(looks_unrendered(host), "{host}");
        }
        assert!(!looks_unrendered("my-app.example.com"));
    }
}
