//! The converter's plan: Gateways, listeners and routes before they become objects. Routes
//! remember which Ingresses each rule came from, because ingress-nginx annotations are read
//! from the rule's primary Ingress.

/// Index into the converter's list of Ingresses (sorted as ingress2gateway processes them).
pub type IngressId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListenerKind {
    Http,
    Https,
    TlsPassthrough,
}

impl ListenerKind {
    pub fn suffix(self) -> &'static str {
        match self {
            ListenerKind::Http => "http",
            ListenerKind::Https => "https",
            ListenerKind::TlsPassthrough => "tls-passthrough",
        }
    }

    pub fn port(self) -> i64 {
        match self {
            ListenerKind::Http => 80,
            ListenerKind::Https | ListenerKind::TlsPassthrough => 443,
        }
    }

    pub fn protocol(self) -> &'static str {
        match self {
            ListenerKind::Http => "HTTP",
            ListenerKind::Https => "HTTPS",
            ListenerKind::TlsPassthrough => "TLS",
        }
    }
}

/// A listener some route or TLS entry needs: on which Gateway, for which host, and which
/// Ingress asked first (its ListenerSet carries it in the ListenerSet layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerNeed {
    pub gateway: usize,
    pub namespace: String,
    /// "" for rules without a host.
    pub host: String,
    pub kind: ListenerKind,
    pub ingress: IngressId,
    pub secrets: Vec<String>,
}

/// A Gateway the conversion writes to (per namespace and class, or the shared one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayPlan {
    pub namespace: String,
    pub name: String,
    pub class: String,
    /// `spec.addresses` of type `NamedAddress` (GKE's static IP address names).
    pub addresses: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    Exact,
    PathPrefix,
    RegularExpression,
}

impl PathType {
    pub fn as_str(self) -> &'static str {
        match self {
            PathType::Exact => "Exact",
            PathType::PathPrefix => "PathPrefix",
            PathType::RegularExpression => "RegularExpression",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    pub kind: PathType,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteMatch {
    pub path: Option<PathMatch>,
    /// Exact header matches `(name, value)`.
    pub headers: Vec<(String, String)>,
    /// gRPC `(service, method)`, either may be empty.
    pub method: Option<(String, String)>,
    /// HTTP method (`GET`, `POST`, …) of an HTTPRoute match.
    pub http_method: Option<String>,
}

/// A Service and port, or (for an Ingress resource backend) an object of another kind, whose
/// backendRef has a group and kind and no port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendTarget {
    /// `(group, kind)` of a resource backend; `None` for a Service.
    pub resource: Option<(String, String)>,
    pub name: String,
    pub port: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendRef {
    pub target: BackendTarget,
    pub weight: Option<i64>,
    /// The Ingress this backend came from, and the line of its path.
    pub source: IngressId,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Redirect {
    pub scheme: Option<String>,
    pub hostname: Option<String>,
    pub full_path: Option<String>,
    pub port: Option<i64>,
    pub status: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    RequestRedirect(Redirect),
    /// URLRewrite with `ReplaceFullPath`.
    RewriteFullPath(String),
    /// URLRewrite with `ReplacePrefixMatch` (the rule matches a path prefix).
    RewritePrefix(String),
    /// RequestHeaderModifier `set` entries.
    SetHeaders(Vec<(String, String)>),
    /// RequestHeaderModifier with `set` and `remove` entries.
    RequestHeaders(HeaderChanges),
    /// ResponseHeaderModifier with `set` and `remove` entries.
    ResponseHeaders(HeaderChanges),
    Cors(Cors),
    /// An implementation's own filter (`emitters`; Kong's KongPlugins, `providers/kong.rs`).
    ExtensionRef {
        group: String,
        kind: String,
        name: String,
    },
}

/// The headers a header modifier sets (name, value) and removes, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderChanges {
    pub set: Vec<(String, String)>,
    pub remove: Vec<String>,
}

/// An HTTPRoute `CORS` filter (standard since Gateway API v1.5); empty lists are left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_credentials: Option<bool>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    /// `rules[].name`, given when an implementation policy targets the rule alone
    /// (`emitters`).
    pub name: Option<String>,
    pub matches: Vec<RouteMatch>,
    pub filters: Vec<Filter>,
    pub backends: Vec<BackendRef>,
    /// Ingresses that contributed paths to this rule, in order (canary ones included).
    pub sources: Vec<IngressId>,
    /// `timeouts.request`, as a Go duration string.
    pub request_timeout: Option<String>,
    /// The listeners of its host the rule is served on, when its controller decides them
    /// (`None`: both); routes with such rules are split once every controller has decided
    /// (`providers::split_routes`).
    pub sides: Option<Box<Sides>>,
}

/// How a rule is served on the host's plain HTTP listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnHttp {
    Serve,
    /// Answered with this redirect (to HTTPS).
    Redirect(Redirect),
    /// Not served there.
    Off,
}

/// Where a rule is served: on HTTP (served, redirected, or not) and on HTTPS (or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    pub http: OnHttp,
    pub https: bool,
}

impl Sides {
    /// What the common conversion does: the route on both listeners of its host.
    pub fn both() -> Self {
        Sides {
            http: OnHttp::Serve,
            https: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteKind {
    Http,
    Grpc,
    Tls,
}

impl RouteKind {
    pub fn kind(self) -> &'static str {
        match self {
            RouteKind::Http => "HTTPRoute",
            RouteKind::Grpc => "GRPCRoute",
            RouteKind::Tls => "TLSRoute",
        }
    }
}

/// How a route attaches: to the whole parent (ingress2gateway's `{name: <class>}`), to a port,
/// or to one listener of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub section: Option<(String, ListenerKind)>,
    pub port: Option<i64>,
}

impl Binding {
    pub fn whole() -> Self {
        Binding {
            section: None,
            port: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub kind: RouteKind,
    pub namespace: String,
    pub name: String,
    pub gateway: usize,
    /// The host of the rule group ("" for hostless rules and default backends).
    pub host: String,
    pub hostnames: Vec<String>,
    pub bindings: Vec<Binding>,
    pub rules: Vec<Rule>,
    /// Ingresses whose rules make up the route, in processing order.
    pub ingresses: Vec<IngressId>,
    /// Made by an annotation from another route (`<route>-http`, TLS passthrough, www
    /// redirect): later annotation steps leave it alone.
    pub derived: bool,
}

impl Route {
    /// Made from its rule group and bound to its whole host: no annotation pass has derived,
    /// split or bound it to one listener yet (a controller decides its listeners only then).
    pub fn unsplit(&self) -> bool {
        !self.derived && self.bindings == [Binding::whole()]
    }
}
