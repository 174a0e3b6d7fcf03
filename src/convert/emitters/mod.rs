//! What standard Gateway API cannot say, said in the chosen implementation's own policy objects
//! (issue 30, `--emitter`). The ingress-nginx annotations are read once into an
//! implementation-neutral [`Needs`] per Ingress; each emitter turns the needs into its objects,
//! or leaves them to the warnings and refusals `standard` gives. An annotation an emitter
//! translates is neither warned as untranslated (`ingress_nginx::Nginx::report_untranslated`)
//! nor a lost protection (`security`).

mod agentgateway;
mod envoy_gateway;
pub mod gke;
mod kgateway;
mod nginx_gateway_fabric;

use std::net::IpAddr;

use super::ingress::Ingress;
use super::layout::Make;
use super::names::NameRegistry;
use super::objects::{GATEWAY_GROUP, map, non_empty, s, seq};
use super::plan::{IngressId, Route};
use super::providers::ingress_nginx::PREFIX;
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
    /// kgateway: TrafficPolicy and GatewayExtension (`gateway.kgateway.dev/v1alpha1`)
    Kgateway,
    /// agentgateway: AgentgatewayPolicy (`agentgateway.dev/v1alpha1`)
    Agentgateway,
    /// GKE's Gateway: GCPBackendPolicy (`networking.gke.io/v1`)
    Gke,
}

impl Emitter {
    /// Its name as `--emitter` and the KRM config take it.
    pub fn name(self) -> &'static str {
        match self {
            Emitter::Standard => "standard",
            Emitter::EnvoyGateway => "envoy-gateway",
            Emitter::NginxGatewayFabric => "nginx-gateway-fabric",
            Emitter::Kgateway => "kgateway",
            Emitter::Agentgateway => "agentgateway",
            Emitter::Gke => "gke",
        }
    }

    /// The GatewayClass its implementation installs, for Gateways when `--gateway-class` is
    /// not given (`standard` keeps the Ingress class, as ingress2gateway does).
    pub fn default_gateway_class(self) -> Option<&'static str> {
        match self {
            Emitter::Standard => None,
            Emitter::EnvoyGateway => Some("eg"),
            Emitter::NginxGatewayFabric => Some("nginx"),
            Emitter::Kgateway => Some("kgateway"),
            Emitter::Agentgateway => Some("agentgateway"),
            Emitter::Gke => Some(gke::GLOBAL_EXTERNAL_CLASS),
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
            Emitter::Kgateway => {
                access_translates(annotations, name, value, basic_auth(annotations).is_some())
                    || kgateway::balances(annotations, name)
            }
            Emitter::Agentgateway => {
                let basic = nginx_gateway_fabric::basic_secret(annotations, namespace).is_some();
                access_translates(annotations, name, value, basic)
            }
            Emitter::Gke => gke::translates(annotations, name),
        }
    }

    /// Why this emitter leaves the protecting annotation `name` untranslated, for the
    /// refusal; `None` for `standard`.
    pub fn why_not(self, name: &str) -> Option<String> {
        let why = match self {
            Emitter::Standard => return None,
            Emitter::EnvoyGateway => envoy_gateway::why_not(name),
            Emitter::NginxGatewayFabric => nginx_gateway_fabric::why_not(name),
            Emitter::Kgateway => kgateway::why_not(name),
            Emitter::Agentgateway => agentgateway::why_not(name),
            Emitter::Gke => gke::why_not(name),
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
            Emitter::Kgateway => kgateway::emit(ingresses, routes, names),
            Emitter::Agentgateway => agentgateway::emit(ingresses, routes, names),
            Emitter::Gke => gke::emit(ingresses, routes, names),
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

/// Whether an emitter writing [`Access`] (kgateway, agentgateway) translates the annotation
/// `name`: IP lists, basic authentication when its Secret is one the emitter can name
/// (`basic`), `auth-url` of a cluster Service and `proxy-body-size`.
fn access_translates(
    annotations: &SortedMap<Located>,
    name: &str,
    value: &str,
    basic: bool,
) -> bool {
    let service = |url: &str| envoy_gateway::auth_service(url).is_some();
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            cidrs(value).is_some()
        }
        "auth-type" | "auth-secret" | "auth-secret-type" | "auth-realm" => basic,
        "auth-url" => service(value),
        "auth-response-headers" => {
            annotation(annotations, "auth-url").is_some_and(|url| service(&url.value))
        }
        "proxy-body-size" => body_size(value).is_some(),
        _ => false,
    }
}

/// Why an emitter writing [`Access`] leaves the protecting annotation `name` untranslated:
/// `basic` says which basic authentication it translates, `rates` why not the request rates,
/// `connections` why not `limit-connections`.
fn access_why_not(
    name: &str,
    basic: &'static str,
    rates: &'static str,
    connections: &'static str,
) -> &'static str {
    match name {
        "whitelist-source-range" | "allowlist-source-range" | "denylist-source-range" => {
            "translates an IP list only when every entry is an IP address or CIDR"
        }
        "auth-type" | "auth-secret" | "auth-realm" => basic,
        "auth-url" => {
            "translates auth-url only when it is an http:// URL of a Service in the cluster (NAME.NAMESPACE.svc[:PORT]/PATH)"
        }
        "limit-rps" | "limit-rpm" => rates,
        "limit-connections" => connections,
        _ => "does not translate it yet",
    }
}

/// The Ingresses an emitter writing [`Access`] makes policies for (no canary, annotated for
/// ingress-nginx, needing something, serving some route), with what they need and the routes
/// and rules they serve; and what is said of a body size no policy carries (`body`: the
/// implementation and its field).
#[allow(clippy::type_complexity)]
fn accesses<'a>(
    ingresses: &'a [Ingress],
    routes: &mut [Route],
    body: (&str, &str),
    read: impl Fn(&Ingress) -> Access,
) -> (
    Vec<(&'a Ingress, Access, Vec<envoy_gateway::Target>)>,
    Vec<Diagnostic>,
) {
    let mut found = Vec::new();
    let mut said = Vec::new();
    for (id, ingress) in ingresses.iter().enumerate() {
        if ingress.canary || !ingress.nginx_annotated {
            continue;
        }
        let access = read(ingress);
        said.extend(access.unwritten_body(ingress, body.0, body.1));
        if !access.any() {
            continue;
        }
        let targets = envoy_gateway::targets(ingresses, id, routes);
        if !targets.is_empty() {
            found.push((ingress, access, targets));
        }
    }
    (found, said)
}

/// The bytes of a quantity [`body_size`] writes (`8Mi`, `1024`).
fn quantity_bytes(quantity: &str) -> Option<u64> {
    let digits = quantity.trim_end_matches(['K', 'M', 'G', 'i']);
    let shift = match quantity.get(digits.len()..)? {
        "" => 0,
        "Ki" => 10,
        "Mi" => 20,
        "Gi" => 30,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

/// Bytes as the shortest binary quantity that says them exactly (`8388608` is `8Mi`).
fn quantity(bytes: u64) -> String {
    for (shift, suffix) in [(30, "Gi"), (20, "Mi"), (10, "Ki")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    bytes.to_string()
}

/// The largest body limit kgateway's TrafficPolicy and agentgateway's AgentgatewayPolicy take
/// (both are below 4Gi, a `uint32` of bytes).
const BODY_LIMIT_BOUND: u64 = 1 << 32;

/// What one Ingress asks of an emitter that writes one policy object per Ingress (kgateway,
/// agentgateway): its access controls and its body size.
#[derive(Debug, Default)]
struct Access {
    allow: Vec<String>,
    deny: Vec<String>,
    /// `(namespace, name)` of the htpasswd Secret; the namespace empty for the Ingress's own.
    basic: Option<(String, String)>,
    /// `auth-url` as a Service, and `auth-response-headers`.
    external: Option<(envoy_gateway::AuthService, Vec<String>)>,
    /// `proxy-body-size` in bytes; `Some(None)`: `0`, no limit.
    body: Option<Option<u64>>,
}

impl Access {
    fn read(ingress: &Ingress) -> Access {
        let annotations = &ingress.meta.annotations;
        let first_list = |names: &[&str]| -> Vec<String> {
            let found = names.iter().filter_map(|n| annotation(annotations, n));
            found
                .filter_map(|v| cidrs(&v.value))
                .next()
                .unwrap_or_default()
        };
        let headers = |v: &Located| -> Vec<String> {
            let listed = v.value.split(',').map(str::trim);
            listed.filter(|h| !h.is_empty()).map(String::from).collect()
        };
        let external = annotation(annotations, "auth-url")
            .and_then(|url| envoy_gateway::auth_service(&url.value))
            .map(|service| {
                let response = annotation(annotations, "auth-response-headers");
                (service, response.map(headers).unwrap_or_default())
            });
        let body = annotation(annotations, "proxy-body-size")
            .and_then(|v| body_size(&v.value))
            .map(|limit| limit.and_then(|q| quantity_bytes(&q)));
        Access {
            // ingress-nginx reads the newer name first.
            allow: first_list(&["allowlist-source-range", "whitelist-source-range"]),
            deny: first_list(&["denylist-source-range"]),
            basic: basic_auth(annotations),
            external,
            body,
        }
    }

    /// The body limit the policy carries: none for `0` (no limit) or beyond the bound.
    fn limit(&self) -> Option<u64> {
        self.body.flatten().filter(|b| *b < BODY_LIMIT_BOUND)
    }

    /// Whether a policy carries anything of this Ingress.
    fn any(&self) -> bool {
        !self.allow.is_empty()
            || !self.deny.is_empty()
            || self.basic.is_some()
            || self.external.is_some()
            || self.limit().is_some()
    }

    /// What is said about `proxy-body-size` when no limit is written: `0` is no limit to nginx
    /// and to `implementation`; a limit of 4Gi or more is beyond `field`'s bound, and the
    /// implementation streams bodies without a limit when none is set.
    fn unwritten_body(
        &self,
        ingress: &Ingress,
        implementation: &str,
        field: &str,
    ) -> Option<Diagnostic> {
        let key = format!("{PREFIX}proxy-body-size");
        let message = match self.body? {
            None => format!(
                "annotation {key} \"0\" means no limit to nginx; {implementation} sets none either unless a policy does, so no {field} is written"
            ),
            Some(bytes) if bytes >= BODY_LIMIT_BOUND => format!(
                "annotation {key} is a limit of 4Gi or more, beyond what {field} takes (less than 4Gi): no limit is written, so {implementation} streams request bodies of any size where nginx refused those above the limit with 413"
            ),
            Some(_) => return None,
        };
        Some(note(ingress, "proxy-body-size", message))
    }
}

/// A warning at the first IP list annotation of `ingress`, when `access` has a list: it is
/// translated as `what`, and `then`.
fn lists_note(ingress: &Ingress, access: &Access, what: &str, then: &str) -> Option<Diagnostic> {
    if access.allow.is_empty() && access.deny.is_empty() {
        return None;
    }
    let key = [
        "allowlist-source-range",
        "whitelist-source-range",
        "denylist-source-range",
    ]
    .into_iter()
    .find(|n| annotation(&ingress.meta.annotations, n).is_some())?;
    let message = format!("annotation {PREFIX}{key} is translated as {what}: {then}");
    Some(note(ingress, key, message))
}

/// The targetRefs of a policy, as [`envoy_gateway::targets`] gives them.
fn target_refs(targets: &[envoy_gateway::Target]) -> Value {
    let one = |(kind, route, section): &envoy_gateway::Target| {
        map(vec![
            ("group", s(GATEWAY_GROUP)),
            ("kind", s(kind.kind())),
            ("name", s(route)),
            ("sectionName", section.as_deref().map_or(Value::Null, s)),
        ])
    };
    seq(targets.iter().map(one).collect())
}

/// `auth-url`'s Service as a backendRef (with its port).
fn service_ref(service: &envoy_gateway::AuthService) -> Value {
    map(vec![
        ("name", s(&service.name)),
        ("namespace", non_empty(&service.namespace)),
        ("port", Value::Int(service.port)),
    ])
}

/// `Secret NAMESPACE/NAME` of `basic`, the Ingress's namespace when it names none.
fn secret_reference(ingress: &Ingress, (namespace, name): &(String, String)) -> String {
    let namespace = if namespace.is_empty() {
        &ingress.meta.namespace
    } else {
        namespace
    };
    format!("{namespace}/{name}")
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
/// (as `ingress_nginx::Nginx::primary`).
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
