//! The controller settings that change what the shim does, with cert-manager's production
//! defaults except that Gateway API and ListenerSet support are on (lsc exists for them).

use super::version::CertManagerVersion;

/// cert-manager's `ingressShimConfig`, `gatewayAPI` and feature gates, as far as the shim reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShimConfig {
    pub default_issuer_name: String,
    pub default_issuer_kind: String,
    pub default_issuer_group: String,
    /// Annotations whose boolean-true value triggers the shim on an Ingress.
    pub auto_certificate_annotations: Vec<String>,
    /// Annotation keys copied from the object to the Certificate.
    pub extra_certificate_annotations: Vec<String>,
    /// Listener protocols treated like HTTPS and TLS (exact, case-sensitive).
    pub extra_protocols: Vec<String>,
    /// `--enable-gateway-api` and the `ExperimentalGatewayAPISupport` gate.
    pub gateway_api: bool,
    /// `--enable-gateway-api-listenerset` and the `ListenerSets` gate.
    pub listener_sets: bool,
    /// The `ServerSideApply` gate (on master, Certificates are created by an apply that carries
    /// the extra-annotations map).
    pub server_side_apply: bool,
    /// Namespace of objects that have none, as `kubectl apply -n` would give them.
    pub default_namespace: String,
    /// The cert-manager release whose shim lsc reproduces.
    pub version: CertManagerVersion,
}

impl Default for ShimConfig {
    fn default() -> Self {
        ShimConfig {
            default_issuer_name: String::new(),
            default_issuer_kind: "Issuer".to_string(),
            default_issuer_group: "cert-manager.io".to_string(),
            auto_certificate_annotations: vec!["kubernetes.io/tls-acme".to_string()],
            extra_certificate_annotations: Vec::new(),
            extra_protocols: Vec::new(),
            gateway_api: true,
            listener_sets: true,
            server_side_apply: false,
            default_namespace: "default".to_string(),
            version: CertManagerVersion::default(),
        }
    }
}
