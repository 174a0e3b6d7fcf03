//! What standard Gateway API cannot say, said in the chosen implementation's own policy objects
//! (issue 30, `--emitter`). The ingress-nginx annotations are read once into an
//! implementation-neutral [`Needs`] per Ingress; each emitter turns the needs into its objects,
//! or leaves them to the warnings and refusals `standard` gives. An annotation an emitter
//! translates is neither warned as untranslated (`nginx::report_untranslated`) nor a lost
//! protection (`security`).

mod envoy_gateway;
mod nginx_gateway_fabric;

use std::net::IpAddr;

use super::ingress::Ingress;
use super::layout::Make;
use super::names::NameRegistry;
use super::nginx::PREFIX;
use super::plan::{IngressId, Route};
use crate::diag::Diagnostic;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

/// The Gateway API implementation convert writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Emitter {
    /// Standard Gateway API only
    #[default]
    Standard,
    /// Envoy Gateway: SecurityPolicy, BackendTrafficPolicy and ClientTrafficPolicy (`gateway.envoyproxy.io/v1alpha1`)
    EnvoyGateway,
    /// NGINX Gateway Fabric: AuthenticationFilter, SnippetsFilter, ClientSettingsPolicy, RateLimitPolicy and UpstreamSettingsPolicy (`gateway.nginx.org/v1alpha1`)
    NginxGatewayFabric,
}

impl Emitter {
    /// Its name as `--emitter` and the KRM config take it.
    pub fn name(self) -> &'static str {
        match self {
            Emitter::Standard => "standard",
            Emitter::EnvoyGateway => "envoy-gateway",
            Emitter::NginxGatewayFabric => "nginx-gateway-fabric",
        }
    }

    /// The GatewayClass its implementation installs, for Gateways when `--gateway-class` is
    /// not given (`standard` keeps the Ingress class, as ingress2gateway does).
    pub fn default_gateway_class(self) -> Option<&'static str> {
        match self {
            Emitter::Standard => None,
            Emitter::EnvoyGateway => Some("eg"),
            Emitter::NginxGatewayFabric => Some("nginx"),
        }
    }

    /// Whether this emitter translates the ingress-nginx annotation `name` (without its
    /// prefix) with this value on an Ingress of `namespace` with these annotations.
    pub fn translates(
        self,
        annotations: &SortedMap<Located>,
        namespace: &str,
        name: &str,
        value: &str,
    ) -> bool {
        match self {
            Emitter::Standard => false,
            Emitter::EnvoyGateway => envoy_gateway::translates(annotations, name, value),
            Emitter::NginxGatewayFabric => {
                nginx_gateway_fabric::translates(annotations, namespace, name, value)
            }
        }
    }

    /// Why this emitter leaves the protecting annotation `name` untranslated, for the
    /// refusal; `None` for `standard`.
    pub fn why_not(self, name: &str) -> Option<String> {
        let why = match self {
            Emitter::Standard => return None,
            Emitter::EnvoyGateway => envoy_gateway::why_not(name),
            Emitter::NginxGatewayFabric => nginx_gateway_fabric::why_not(name),
        };
        Some(format!("--emitter {} {why}", self.name()))
    }

    /// The implementation objects for the converted Ingresses of one part, and what they
    /// change or cannot carry. Rules a policy targets alone get a name (`rules[].name`).
    pub fn emit(
        self,
        ingresses: &[Ingress],
        routes: &mut [Route],
        names: &mut NameRegistry,
    ) -> (Vec<Make>, Vec<Diagnostic>) {
        match self {
            Emitter::Standard => (Vec::new(), Vec::new()),
            Emitter::EnvoyGateway => envoy_gateway::emit(ingresses, routes, names),
            Emitter::NginxGatewayFabric => nginx_gateway_fabric::emit(ingresses, routes, names),
        }
    }
}

/// An HTTPS listener as the layout placed it, for policies that target listeners: the
/// Ingress whose TLS entry asked for it, and the object holding it.
#[derive(Debug, Clone)]
pub struct HttpsListener {
    pub ingress: IngressId,
    pub host: String,
    /// `Gateway`, `ListenerSet` or `XListenerSet`.
    pub parent_kind: &'static str,
    pub parent_namespace: String,
    pub parent_name: String,
    pub section: String,
}

impl Emitter {
    /// Whether [`Self::listener_policies`] writes anything, so the layout gathers the
    /// listeners only then.
    pub fn writes_listener_policies(self) -> bool {
        matches!(self, Emitter::EnvoyGateway)
    }

    /// The implementation objects that target the HTTPS listeners of the converted Ingresses
    /// (Envoy Gateway's ClientTrafficPolicy), once the layout has placed and named them.
    pub fn listener_policies(
        self,
        ingresses: &[Ingress],
        listeners: &[HttpsListener],
        allow: &super::security::AllowUnprotected,
        names: &mut NameRegistry,
    ) -> (Vec<Make>, Vec<Diagnostic>) {
        match self {
            Emitter::EnvoyGateway => {
                envoy_gateway::listener_policies(ingresses, listeners, allow, names)
            }
            _ => (Vec::new(), Vec::new()),
        }
    }
}

/// The value of the ingress-nginx annotation `name` (without its prefix), with its line.
fn annotation<'a>(annotations: &'a SortedMap<Located>, name: &str) -> Option<&'a Located> {
    annotations.get(format!("{PREFIX}{name}").as_str())
}

/// An IP list annotation (`allowlist-source-range`, `denylist-source-range`) as ingress-nginx
/// reads it: comma-separated CIDRs, a bare address being one host (`/32`, `/128`). Each is
/// written as its network (`10.0.0.1/8` is `10.0.0.0/8`, as Go's `net.ParseCIDR` reads it).
/// `None` when an entry is neither (ingress-nginx then denies the location).
pub fn cidrs(value: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (address, prefix) = match entry.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (entry, None),
        };
        let address: IpAddr = address.parse().ok()?;
        let bits: u8 = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => bits,
        };
        if prefix > bits {
            return None;
        }
        let network = match address {
            IpAddr::V4(v4) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                IpAddr::from(std::net::Ipv4Addr::from(u32::from(v4) & mask))
            }
            IpAddr::V6(v6) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                IpAddr::from(std::net::Ipv6Addr::from(u128::from(v6) & mask))
            }
        };
        let cidr = format!("{network}/{prefix}");
        if !out.contains(&cidr) {
            out.push(cidr);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An nginx size (`client_max_body_size`: bytes, or a number with `k`, `m` or `g`, either
/// case) as a Kubernetes quantity in binary units (`8m` is `8Mi`). `Some(None)` for `0`,
/// which nginx reads as no limit; `None` when it is not a size.
pub fn body_size(value: &str) -> Option<Option<String>> {
    let value = value.trim();
    let (digits, unit) = match value.char_indices().last()? {
        (at, c) if c.is_ascii_alphabetic() => (value.get(..at)?, Some(c.to_ascii_lowercase())),
        _ => (value, None),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u64 = digits.parse().ok()?;
    if number == 0 {
        return Some(None);
    }
    let suffix = match unit {
        None => "",
        Some('k') => "Ki",
        Some('m') => "Mi",
        Some('g') => "Gi",
        Some(_) => return None,
    };
    Some(Some(format!("{number}{suffix}")))
}

/// A request rate annotation's value (`limit-rps`, `limit-rpm`): a positive count (`0` turns the
/// limit off).
fn rate(value: &str) -> Option<i64> {
    crate::golang::strconv::atoi(value.trim())
        .ok()
        .filter(|n| *n > 0)
}

/// Basic authentication with an htpasswd file: `auth-type: basic`, `auth-secret` and
/// `auth-secret-type: auth-file` (the default), as `(namespace, name)` of the Secret (the
/// namespace empty when the annotation names none).
fn basic_auth(annotations: &SortedMap<Located>) -> Option<(String, String)> {
    let kind = annotation(annotations, "auth-type")?;
    if !kind.value.trim().eq_ignore_ascii_case("basic") {
        return None;
    }
    let secret_type =
        annotation(annotations, "auth-secret-type").map_or("auth-file", |v| v.value.trim());
    if secret_type != "auth-file" {
        return None;
    }
    let secret = annotation(annotations, "auth-secret")?.value.trim();
    let (namespace, name) = secret.split_once('/').unwrap_or(("", secret));
    (!name.is_empty() && !name.contains('/')).then(|| (namespace.to_string(), name.to_string()))
}

/// An implementation object, made from the Ingress at `source`.
fn object(
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: &str,
    spec: Value,
    source: crate::diag::Location,
) -> super::Emitted {
    let empty = SortedMap::default();
    let metadata = super::objects::metadata(name, namespace, &empty, &empty);
    let node = super::objects::object(api_version, kind, metadata, spec);
    let mut emitted = super::Emitted::new(kind, namespace, name, node);
    emitted.source = Some(Box::new(source));
    emitted
}

/// A warning at the annotation `name` (without its prefix), or at the annotations.
fn note(ingress: &Ingress, name: &str, message: String) -> Diagnostic {
    let line = annotation(&ingress.meta.annotations, name)
        .map_or(ingress.meta.annotations_line, |a| a.line);
    Diagnostic::warning(Some(ingress.at(line)), message).about(&ingress.reference())
}

/// The Ingress a rule's annotations come from: its first non-canary source, else its first
/// (as `nginx::Nginx::primary`).
fn primary(ingresses: &[Ingress], sources: &[IngressId]) -> Option<IngressId> {
    sources
        .iter()
        .copied()
        .find(|id| ingresses.get(*id).is_some_and(|i| !i.canary))
        .or_else(|| sources.first().copied())
}

#[cfg(test)]
mod tests {
    use super::{body_size, cidrs};

    #[test]
    fn ip_lists_read_as_ingress_nginx_reads_them() {
        assert_eq!(
            cidrs(" 10.0.0.1/8, 192.0.2.10 ,2001:db8::1, 2001:DB8:0:0::/32,192.0.2.10/32"),
            Some(vec![
                "10.0.0.0/8".to_string(),
                "192.0.2.10/32".to_string(),
                "2001:db8::1/128".to_string(),
                "2001:db8::/32".to_string(),
            ])
        );
        assert_eq!(cidrs("0.0.0.0/0"), Some(vec!["0.0.0.0/0".to_string()]));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "example.com",
            "10.0.0.1/",
            "010.0.0.1",
            "::/129",
        ] {
            assert_eq!(cidrs(bad), None, "{bad}");
        }
    }

    #[test]
    fn nginx_sizes_become_binary_quantities() {
        assert_eq!(body_size("8m"), Some(Some("8Mi".to_string())));
        assert_eq!(body_size("100K"), Some(Some("100Ki".to_string())));
        assert_eq!(body_size("1g"), Some(Some("1Gi".to_string())));
        assert_eq!(body_size("1024"), Some(Some("1024".to_string())));
        assert_eq!(body_size("0"), Some(None));
        assert_eq!(body_size("0m"), Some(None));
        for bad in ["", "m", "1.5m", "8mb", "-1", "8t"] {
            assert_eq!(body_size(bad), None, "{bad}");
        }
    }
}
