//! The embedded CRD files, one table for all of them, and their parse: each release's set is
//! read the first time a validation asks for it, then kept for the process.

use std::sync::OnceLock;

use super::schema::Schema;
use super::{Channel, Release};
use crate::source::tree::{Node, Value};
use crate::source::yaml::{Limits, parse_documents};

/// One embedded CRD file: the Gateway API release tag (or cert-manager's, Envoy Gateway's),
/// the channel (`standard`, `experimental`, `cert-manager`, `envoy-gateway` or
/// `nginx-gateway-fabric`), the upstream
/// file name and its text.
pub struct Embedded {
    pub release: &'static str,
    pub channel: &'static str,
    pub file: &'static str,
    pub text: &'static str,
}

/// cert-manager's release whose Certificate CRD is embedded.
pub const CERT_MANAGER_RELEASE: &str = "v1.21.1";

/// Envoy Gateway's release whose policy CRDs `--emitter envoy-gateway` writes for.
pub const ENVOY_GATEWAY_RELEASE: &str = "v1.9.0";

/// NGINX Gateway Fabric's release whose CRDs `--emitter nginx-gateway-fabric` writes for.
pub const NGINX_GATEWAY_FABRIC_RELEASE: &str = "v2.6.7";

/// Every embedded CRD. Sources and commits: `crds/README.md`.
pub static EMBEDDED: &[Embedded] = &[
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/standard/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_tcproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_tlsroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.k8s.io_udproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xlistenersets.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.x-k8s.io_xlistenersets.yaml"
        ),
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.4.1/experimental/gateway.networking.x-k8s.io_xmeshes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_listenersets.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_listenersets.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/standard/gateway.networking.k8s.io_tlsroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_listenersets.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_listenersets.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_tcproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_tlsroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.k8s.io_udproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.5.1/experimental/gateway.networking.x-k8s.io_xmeshes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_listenersets.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_listenersets.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_tcproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_tlsroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_udproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/standard/gateway.networking.k8s.io_udproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_backendtlspolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_gatewayclasses.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_gateways.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_grpcroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_httproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_listenersets.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_listenersets.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_referencegrants.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_tcproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_tlsroutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.k8s.io_udproutes.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackends.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.x-k8s.io_xbackends.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml"
        ),
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
        text: include_str!(
            "../../crds/gateway-api/v1.6.1/experimental/gateway.networking.x-k8s.io_xmeshes.yaml"
        ),
    },
    Embedded {
        release: CERT_MANAGER_RELEASE,
        channel: "cert-manager",
        file: "cert-manager.io_certificates.yaml",
        text: include_str!("../../crds/cert-manager/v1.21.1/cert-manager.io_certificates.yaml"),
    },
    Embedded {
        release: ENVOY_GATEWAY_RELEASE,
        channel: "envoy-gateway",
        file: "gateway.envoyproxy.io_backendtrafficpolicies.yaml",
        text: include_str!(
            "../../crds/envoy-gateway/v1.9.0/gateway.envoyproxy.io_backendtrafficpolicies.yaml"
        ),
    },
    Embedded {
        release: ENVOY_GATEWAY_RELEASE,
        channel: "envoy-gateway",
        file: "gateway.envoyproxy.io_securitypolicies.yaml",
        text: include_str!(
            "../../crds/envoy-gateway/v1.9.0/gateway.envoyproxy.io_securitypolicies.yaml"
        ),
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_authenticationfilters.yaml",
        text: include_str!(
            "../../crds/nginx-gateway-fabric/v2.6.7/gateway.nginx.org_authenticationfilters.yaml"
        ),
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_clientsettingspolicies.yaml",
        text: include_str!(
            "../../crds/nginx-gateway-fabric/v2.6.7/gateway.nginx.org_clientsettingspolicies.yaml"
        ),
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_ratelimitpolicies.yaml",
        text: include_str!(
            "../../crds/nginx-gateway-fabric/v2.6.7/gateway.nginx.org_ratelimitpolicies.yaml"
        ),
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_snippetsfilters.yaml",
        text: include_str!(
            "../../crds/nginx-gateway-fabric/v2.6.7/gateway.nginx.org_snippetsfilters.yaml"
        ),
    },
];

/// One served version of a CRD.
pub struct Crd {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub schema: Schema,
}

static SETS: [OnceLock<Vec<Crd>>; 6] = [const { OnceLock::new() }; 6];
static CERT_MANAGER: OnceLock<Vec<Crd>> = OnceLock::new();
static ENVOY_GATEWAY: OnceLock<Vec<Crd>> = OnceLock::new();
static NGINX_GATEWAY_FABRIC: OnceLock<Vec<Crd>> = OnceLock::new();

fn slot(release: Release, channel: Channel) -> usize {
    let r = match release {
        Release::V1_4 => 0,
        Release::V1_5 => 1,
        Release::V1_6 => 2,
    };
    r * 2 + usize::from(channel == Channel::Experimental)
}

fn set(release: Release, channel: Channel) -> &'static [Crd] {
    SETS.get(slot(release, channel))
        .map(|cell| {
            cell.get_or_init(|| load(|e| e.release == release.tag() && e.channel == channel.dir()))
                .as_slice()
        })
        .unwrap_or_default()
}

fn cert_manager() -> &'static [Crd] {
    CERT_MANAGER.get_or_init(|| load(|e| e.channel == "cert-manager"))
}

fn envoy_gateway() -> &'static [Crd] {
    ENVOY_GATEWAY.get_or_init(|| load(|e| e.channel == "envoy-gateway"))
}

fn nginx_gateway_fabric() -> &'static [Crd] {
    NGINX_GATEWAY_FABRIC.get_or_init(|| load(|e| e.channel == "nginx-gateway-fabric"))
}

fn load(wanted: impl Fn(&Embedded) -> bool) -> Vec<Crd> {
    let mut crds = Vec::new();
    for embedded in EMBEDDED.iter().filter(|e| wanted(e)) {
        let (documents, _) = parse_documents(embedded.text, &Limits::default());
        for root in documents.into_iter().filter_map(|d| d.root) {
            read_crd(&root, &mut crds);
        }
    }
    crds
}

/// The served versions of one CustomResourceDefinition document.
fn read_crd(root: &Node, out: &mut Vec<Crd>) {
    let (Some(group), Some(kind)) = (
        root.str_at(&["spec", "group"]),
        root.str_at(&["spec", "names", "kind"]),
    ) else {
        return;
    };
    let Some(Value::Seq(versions)) = root.path(&["spec", "versions"]).map(|n| &n.value) else {
        return;
    };
    for version in versions {
        let served = matches!(
            version.path(&["served"]).map(|n| &n.value),
            Some(Value::Bool(true))
        );
        let (Some(name), Some(schema)) = (
            version.str_at(&["name"]),
            version.path(&["schema", "openAPIV3Schema"]),
        ) else {
            continue;
        };
        if served {
            out.push(Crd {
                group: group.to_owned(),
                version: name.to_owned(),
                kind: kind.to_owned(),
                schema: Schema::compile(schema),
            });
        }
    }
}

pub fn lookup(
    api_version: &str,
    kind: &str,
    release: Release,
    channel: Channel,
) -> Option<&'static Crd> {
    let (group, version) = api_version.split_once('/')?;
    let find = |crds: &'static [Crd]| {
        crds.iter()
            .find(|c| c.kind == kind && c.group == group && c.version == version)
    };
    if group == "cert-manager.io" {
        return find(cert_manager());
    }
    if group == "gateway.envoyproxy.io" {
        return find(envoy_gateway());
    }
    if group == "gateway.nginx.org" {
        return find(nginx_gateway_fabric());
    }
    find(set(release, channel)).or_else(|| find(set(release, Channel::Experimental)))
}

pub fn served(release: Release, channel: Channel) -> Vec<(String, String)> {
    set(release, channel)
        .iter()
        .chain(cert_manager())
        .map(|c| (format!("{}/{}", c.group, c.version), c.kind.clone()))
        .collect()
}

pub fn uncompiled_rules() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for release in Release::ALL {
        for channel in [Channel::Standard, Channel::Experimental] {
            for crd in set(release, channel) {
                crd.schema.uncompiled(&mut out);
            }
        }
    }
    for crd in cert_manager()
        .iter()
        .chain(envoy_gateway())
        .chain(nginx_gateway_fabric())
    {
        crd.schema.uncompiled(&mut out);
    }
    out.sort();
    out.dedup();
    out
}
