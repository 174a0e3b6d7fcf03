//! The embedded CRD files, one table for all of them, and their parse: each release's set is
//! read the first time a validation asks for it, then kept for the process.

use std::sync::OnceLock;

use super::schema::Schema;
use super::{Channel, Release};
use crate::source::tree::{Node, Value};
use crate::source::yaml::{Limits, parse_documents};

/// One embedded CRD file: the Gateway API release tag (or cert-manager's, Envoy Gateway's,
/// NGINX Gateway Fabric's, kgateway's, agentgateway's, GKE's), the channel (`standard`,
/// `experimental`, `cert-manager`, `envoy-gateway`, `nginx-gateway-fabric`, `kgateway`,
/// `agentgateway` or `gke-gateway-api`) and the upstream file name. Its text is in
/// `crds/bundle.zst` (`tools/pack-crds.sh`).
pub struct Embedded {
    pub release: &'static str,
    pub channel: &'static str,
    pub file: &'static str,
}

impl Embedded {
    /// Its path under `crds/`.
    pub fn path(&self) -> String {
        match self.channel {
            "standard" | "experimental" => {
                format!(
                    "gateway-api/{}/{}/{}",
                    self.release, self.channel, self.file
                )
            }
            other => format!("{other}/{}/{}", self.release, self.file),
        }
    }

    /// Its text, from the bundle (empty if the bundle lacks it, which a test rules out).
    pub fn text(&self) -> &'static str {
        bundle().get(&self.path()).copied().unwrap_or_default()
    }
}

/// Every file under `crds/`, zstd-compressed by `tools/pack-crds.sh`: 7.7 MB of YAML in 0.1 MB
/// of binary, decompressed (about 30 ms) only when a validation first needs a CRD.
static BUNDLE: &[u8] = include_bytes!("../../crds/bundle.zst");

/// The bundle's files by path under `crds/`, decompressed once for the process.
pub fn bundle() -> &'static std::collections::HashMap<String, &'static str> {
    static FILES: OnceLock<std::collections::HashMap<String, &'static str>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut text = String::new();
        let decoded = ruzstd::decoding::StreamingDecoder::new(BUNDLE)
            .ok()
            .and_then(|mut d| std::io::Read::read_to_string(&mut d, &mut text).ok());
        if decoded.is_none() {
            return std::collections::HashMap::new();
        }
        // Kept for the process: the compiled schemas borrow nothing from it, but the files
        // are handed out as `&'static str`.
        let mut rest: &'static str = Box::leak(text.into_boxed_str());
        let mut files = std::collections::HashMap::new();
        while let Some(header) = rest.strip_prefix("== ") {
            let Some((line, after)) = header.split_once('\n') else {
                break;
            };
            let Some((path, bytes)) = line.rsplit_once(' ') else {
                break;
            };
            let Some(body) = bytes.parse::<usize>().ok().and_then(|n| after.get(..n)) else {
                break;
            };
            files.insert(path.to_string(), body);
            rest = after.get(body.len()..).unwrap_or_default();
        }
        files
    })
}

/// cert-manager's release whose Certificate CRD is embedded.
pub const CERT_MANAGER_RELEASE: &str = "v1.21.1";

/// Envoy Gateway's release whose policy CRDs `--emitter envoy-gateway` writes for.
pub const ENVOY_GATEWAY_RELEASE: &str = "v1.9.0";

/// NGINX Gateway Fabric's release whose CRDs `--emitter nginx-gateway-fabric` writes for.
pub const NGINX_GATEWAY_FABRIC_RELEASE: &str = "v2.6.7";

/// kgateway's release whose CRDs `--emitter kgateway` writes for.
pub const KGATEWAY_RELEASE: &str = "v2.3.3";

/// agentgateway's release whose CRDs `--emitter agentgateway` writes for.
pub const AGENTGATEWAY_RELEASE: &str = "v1.4.1";

/// The GKE Gateway controller's CRD release (GoogleCloudPlatform/gke-gateway-api) whose
/// policies `--provider gce` and `--emitter gke` write.
pub const GKE_GATEWAY_API_RELEASE: &str = "v1.4.0";

/// Every embedded CRD. Sources and commits: `crds/README.md`.
pub static EMBEDDED: &[Embedded] = &[
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xlistenersets.yaml",
    },
    Embedded {
        release: "v1.4.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_listenersets.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_listenersets.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
    },
    Embedded {
        release: "v1.5.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_listenersets.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "standard",
        file: "gateway.networking.k8s.io_udproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_backendtlspolicies.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gatewayclasses.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_gateways.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_grpcroutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_httproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_listenersets.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_referencegrants.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tcproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_tlsroutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.k8s.io_udproutes.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackends.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xbackendtrafficpolicies.yaml",
    },
    Embedded {
        release: "v1.6.1",
        channel: "experimental",
        file: "gateway.networking.x-k8s.io_xmeshes.yaml",
    },
    Embedded {
        release: CERT_MANAGER_RELEASE,
        channel: "cert-manager",
        file: "cert-manager.io_certificates.yaml",
    },
    Embedded {
        release: ENVOY_GATEWAY_RELEASE,
        channel: "envoy-gateway",
        file: "gateway.envoyproxy.io_backendtrafficpolicies.yaml",
    },
    Embedded {
        release: ENVOY_GATEWAY_RELEASE,
        channel: "envoy-gateway",
        file: "gateway.envoyproxy.io_clienttrafficpolicies.yaml",
    },
    Embedded {
        release: ENVOY_GATEWAY_RELEASE,
        channel: "envoy-gateway",
        file: "gateway.envoyproxy.io_securitypolicies.yaml",
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_authenticationfilters.yaml",
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_clientsettingspolicies.yaml",
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_ratelimitpolicies.yaml",
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_snippetsfilters.yaml",
    },
    Embedded {
        release: NGINX_GATEWAY_FABRIC_RELEASE,
        channel: "nginx-gateway-fabric",
        file: "gateway.nginx.org_upstreamsettingspolicies.yaml",
    },
    Embedded {
        release: KGATEWAY_RELEASE,
        channel: "kgateway",
        file: "gateway.kgateway.dev_backendconfigpolicies.yaml",
    },
    Embedded {
        release: KGATEWAY_RELEASE,
        channel: "kgateway",
        file: "gateway.kgateway.dev_gatewayextensions.yaml",
    },
    Embedded {
        release: KGATEWAY_RELEASE,
        channel: "kgateway",
        file: "gateway.kgateway.dev_trafficpolicies.yaml",
    },
    Embedded {
        release: AGENTGATEWAY_RELEASE,
        channel: "agentgateway",
        file: "agentgateway.dev_agentgatewaypolicies.yaml",
    },
    Embedded {
        release: GKE_GATEWAY_API_RELEASE,
        channel: "gke-gateway-api",
        file: "networking.gke.io_gcpbackendpolicies.yaml",
    },
    Embedded {
        release: GKE_GATEWAY_API_RELEASE,
        channel: "gke-gateway-api",
        file: "networking.gke.io_gcpgatewaypolicies.yaml",
    },
    Embedded {
        release: GKE_GATEWAY_API_RELEASE,
        channel: "gke-gateway-api",
        file: "networking.gke.io_healthcheckpolicies.yaml",
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
static KGATEWAY: OnceLock<Vec<Crd>> = OnceLock::new();
static AGENTGATEWAY: OnceLock<Vec<Crd>> = OnceLock::new();
static GKE_GATEWAY_API: OnceLock<Vec<Crd>> = OnceLock::new();

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

fn kgateway() -> &'static [Crd] {
    KGATEWAY.get_or_init(|| load(|e| e.channel == "kgateway"))
}

fn agentgateway() -> &'static [Crd] {
    AGENTGATEWAY.get_or_init(|| load(|e| e.channel == "agentgateway"))
}

fn gke_gateway_api() -> &'static [Crd] {
    GKE_GATEWAY_API.get_or_init(|| load(|e| e.channel == "gke-gateway-api"))
}

fn load(wanted: impl Fn(&Embedded) -> bool) -> Vec<Crd> {
    let mut crds = Vec::new();
    for embedded in EMBEDDED.iter().filter(|e| wanted(e)) {
        let (documents, _) = parse_documents(embedded.text(), &Limits::default());
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
    if group == "gateway.kgateway.dev" {
        return find(kgateway());
    }
    if group == "agentgateway.dev" {
        return find(agentgateway());
    }
    if group == "networking.gke.io" {
        return find(gke_gateway_api());
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
        .chain(kgateway())
        .chain(agentgateway())
    {
        crd.schema.uncompiled(&mut out);
    }
    out.sort();
    out.dedup();
    out
}
