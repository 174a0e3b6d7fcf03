//! Which Ingress controller serves each Ingress, and so whose annotations mean something on it
//! (issue 29): ingress2gateway's seven providers, one module each in this folder.
//! ingress-nginx's (`ingress_nginx.rs`) runs its passes at fixed points of the pipeline, in
//! ingress2gateway's order; Traefik's, Cilium's, APISIX's, NGINX Inc.'s and Kong's are all of
//! one shape ([`Provider::findings`] says what each annotation becomes, `plan` applies them to
//! the planned routes and listeners). An Ingress of another controller is converted
//! from its spec, its own controller's annotations are warned (refused where they may protect
//! it), and the ingress-nginx annotations it carries are ignored with a warning, as its
//! controller ignores them.
//!
//! An Ingress's controller is, in this order: the one `--provider` names (when it names one);
//! the controller of the IngressClass of its class among the inputs (`spec.controller`); the
//! controller a well-known class name stands for (`traefik`, `kong`, …; `nginx` is both
//! ingress-nginx's and NGINX Inc.'s, told apart by their annotations); the controller whose
//! annotations it carries; ingress-nginx. With several `--provider` values, the steps choose
//! among those only.

use std::collections::BTreeMap;

use super::ingress::Ingress;
use super::names::NameRegistry;
use super::plan::{Binding, Filter, ListenerKind, ListenerNeed, Route, RouteKind, Rule};
pub use super::plan::{OnHttp, Sides};
use crate::diag::Diagnostic;

pub mod apisix;
pub mod cilium;
pub mod gce;
pub mod ingress_nginx;
pub mod kong;
pub mod nginx_inc;
pub mod traefik;

/// An Ingress controller ingress2gateway has a provider for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Provider {
    /// kubernetes/ingress-nginx (`nginx.ingress.kubernetes.io/*`)
    IngressNginx,
    /// F5 NGINX Ingress Controller (`nginx.org/*`)
    Nginx,
    /// Traefik (`traefik.ingress.kubernetes.io/*`)
    Traefik,
    /// Kong Ingress Controller (`konghq.com/*`)
    Kong,
    /// Cilium (`ingress.cilium.io/*`)
    Cilium,
    /// Apache APISIX (`k8s.apisix.apache.org/*`)
    Apisix,
    /// GKE Ingress (`networking.gke.io/*`)
    Gce,
}

/// What each provider is called, reads and is known by: its `--provider` name, its name in
/// messages, its annotation prefixes, its IngressClass `spec.controller` values and its
/// well-known class names.
struct Known {
    provider: Provider,
    name: &'static str,
    title: &'static str,
    prefixes: &'static [&'static str],
    controllers: &'static [&'static str],
    classes: &'static [&'static str],
}

const INGRESS_NGINX: Known = Known {
    provider: Provider::IngressNginx,
    name: "ingress-nginx",
    title: "ingress-nginx",
    prefixes: &["nginx.ingress.kubernetes.io/"],
    controllers: &["k8s.io/ingress-nginx"],
    classes: &["nginx"],
};

const NGINX: Known = Known {
    provider: Provider::Nginx,
    name: "nginx",
    title: "the F5 NGINX Ingress Controller",
    prefixes: &[
        "nginx.org/",
        "nginx.com/",
        "appprotect.f5.com/",
        "appprotectdos.f5.com/",
    ],
    controllers: &["nginx.org/ingress-controller"],
    classes: &["nginx"],
};

const TRAEFIK: Known = Known {
    provider: Provider::Traefik,
    name: "traefik",
    title: "Traefik",
    prefixes: &["traefik.ingress.kubernetes.io/"],
    controllers: &["traefik.io/ingress-controller"],
    classes: &["traefik"],
};

const KONG: Known = Known {
    provider: Provider::Kong,
    name: "kong",
    title: "the Kong Ingress Controller",
    prefixes: &["konghq.com/"],
    controllers: &["ingress-controllers.konghq.com/kong"],
    classes: &["kong"],
};

const CILIUM: Known = Known {
    provider: Provider::Cilium,
    name: "cilium",
    title: "Cilium",
    prefixes: &["ingress.cilium.io/"],
    controllers: &["cilium.io/ingress-controller"],
    classes: &["cilium"],
};

const APISIX: Known = Known {
    provider: Provider::Apisix,
    name: "apisix",
    title: "Apache APISIX",
    prefixes: &["k8s.apisix.apache.org/"],
    controllers: &["apisix.apache.org/apisix-ingress-controller"],
    classes: &["apisix"],
};

const GCE: Known = Known {
    provider: Provider::Gce,
    name: "gce",
    title: "GKE Ingress",
    prefixes: &[
        "networking.gke.io/",
        "kubernetes.io/ingress.global-static-ip-name",
        "kubernetes.io/ingress.regional-static-ip-name",
        "kubernetes.io/ingress.allow-http",
        "ingress.gcp.kubernetes.io/",
    ],
    controllers: &["k8s.io/ingress-gce"],
    classes: &["gce", "gce-internal"],
};

/// Every provider, in the order annotations are tried when nothing else tells.
const KNOWN: [&Known; 7] = [
    &INGRESS_NGINX,
    &NGINX,
    &TRAEFIK,
    &KONG,
    &CILIUM,
    &APISIX,
    &GCE,
];

impl Provider {
    fn known(self) -> &'static Known {
        match self {
            Provider::IngressNginx => &INGRESS_NGINX,
            Provider::Nginx => &NGINX,
            Provider::Traefik => &TRAEFIK,
            Provider::Kong => &KONG,
            Provider::Cilium => &CILIUM,
            Provider::Apisix => &APISIX,
            Provider::Gce => &GCE,
        }
    }

    /// Its `--provider` name.
    pub fn name(self) -> &'static str {
        self.known().name
    }

    /// Its name in messages.
    pub fn title(self) -> &'static str {
        self.known().title
    }

    /// Whether `key` is one of its annotations.
    pub fn reads(self, key: &str) -> bool {
        self.known().prefixes.iter().any(|p| key.starts_with(p))
    }

    /// Does its module decide the listeners its rules are served on, and their redirects?
    /// The others keep what the ingress-nginx passes do (a TLS host redirects plain HTTP).
    pub fn plans_listeners(self) -> bool {
        matches!(
            self,
            Provider::Traefik
                | Provider::Cilium
                | Provider::Apisix
                | Provider::Nginx
                | Provider::Kong
                | Provider::Gce
        )
    }

    /// What each of its annotations on `ingress` becomes, when a module of this folder
    /// translates them (`None`: security.rs warns each, or refuses it where it may protect).
    /// Adding a provider: its module, and its line here and in [`plan`].
    pub fn findings(self, ingress: &Ingress, objects: &Objects) -> Option<Vec<Finding>> {
        match self {
            Provider::Traefik => Some(traefik::findings(ingress, objects)),
            Provider::Cilium => Some(cilium::findings(ingress)),
            Provider::Apisix => Some(apisix::findings(ingress)),
            Provider::Nginx => Some(nginx_inc::findings(ingress)),
            Provider::Kong => Some(kong::findings(ingress, objects)),
            Provider::Gce => Some(gce::findings(ingress, objects)),
            Provider::IngressNginx => None,
        }
    }
}

/// The Ingress a rule came from first (whose annotations govern it), when `provider` serves it.
pub fn governing<'a>(
    rule: &Rule,
    ingresses: &'a [Ingress],
    provider: Provider,
) -> Option<&'a Ingress> {
    rule.sources
        .first()
        .and_then(|id| ingresses.get(*id))
        .filter(|i| i.provider.0 == provider)
}

/// What, besides its path, tells an Ingress's rules apart from another's with the same path
/// (Kong's method and header matches: two Kong Ingresses may route one path by method);
/// `None` for most. Rules of one path merge only where this agrees.
pub fn match_key(ingress: &Ingress) -> Option<String> {
    match ingress.provider.0 {
        Provider::Kong => kong::match_key(ingress),
        _ => None,
    }
}

/// Is `key` an annotation lsc translates for the controller it belongs to (whose effect is in
/// the converted objects)? ingress-nginx's are `ingress_nginx::TRANSLATED`.
pub fn translates(key: &str) -> bool {
    traefik::translates(key)
        || cilium::translates(key)
        || apisix::translates(key)
        || nginx_inc::translates(key)
        || kong::translates(key)
        || gce::translates(key)
}

/// What one annotation of the serving controller becomes in the conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Translated: its effect is in the planned routes and listeners.
    Translated,
    /// Not translated: a warning saying why and what to do.
    Warned(String),
    /// Not translated, and what it does may protect the routes (authentication, address
    /// lists, rate limits), or cannot be told: an error unless `--allow-unprotected` accepts
    /// the loss. `what` names it in the summary; the message says what it did.
    MayProtect { what: String, message: String },
    /// Refused: the controller refuses it too, or the conversion would change what is served
    /// in a way nobody can accept by a flag.
    Refused(String),
}

/// An annotation's [`Effect`], with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub key: String,
    pub line: u32,
    pub effect: Effect,
}

impl Finding {
    pub fn new(key: &str, line: u32, effect: Effect) -> Self {
        Finding {
            key: key.to_string(),
            line,
            effect,
        }
    }
}

/// The controllers' own objects among the inputs that annotations name.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    pub middlewares: traefik::Middlewares,
    pub kong: kong::Plugins,
    /// GKE's BackendConfigs and FrontendConfigs, and the Services naming BackendConfigs.
    pub gce: gce::Configs,
}

/// What the providers' planning passes work on: one part's Ingresses, routes and listener
/// needs, and the diagnostics they add.
pub struct Plan<'a, 'p> {
    pub ingresses: &'a [Ingress],
    pub objects: &'a Objects,
    pub routes: &'p mut Vec<Route>,
    pub needs: &'p mut Vec<ListenerNeed>,
    pub names: &'p mut NameRegistry,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan<'_, '_> {
    /// The hosts with an HTTPS listener, per Gateway.
    pub fn https_hosts(&self) -> HttpsHosts {
        let mut hosts = HttpsHosts::default();
        for need in self.needs.iter().filter(|n| n.kind == ListenerKind::Https) {
            hosts.insert(need.gateway, &need.host);
        }
        hosts
    }

    /// A diagnostic about an Ingress, at `line` of it, said once.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }
}

/// The hosts with an HTTPS listener, per Gateway ([`Plan::https_hosts`]).
#[derive(Debug, Default)]
pub struct HttpsHosts(BTreeMap<usize, std::collections::BTreeSet<String>>);

impl HttpsHosts {
    pub fn insert(&mut self, gateway: usize, host: &str) {
        self.0.entry(gateway).or_default().insert(host.to_string());
    }

    /// Whether the route's host has an HTTPS listener on its Gateway.
    pub fn serve(&self, route: &Route) -> bool {
        self.0
            .get(&route.gateway)
            .is_some_and(|hosts| hosts.contains(route.host.as_str()))
    }
}

/// The TLSRoute `<route>-tls-passthrough` that passes `host`'s TLS through to `backends`,
/// made from the HTTP route `from` (ingress-nginx's `ssl-passthrough`, Cilium's
/// `tls-passthrough`) and bound to the host's TLS passthrough listener.
pub fn passthrough_route(
    from: &Route,
    host: &str,
    backends: Vec<super::plan::BackendRef>,
    names: &mut NameRegistry,
) -> Route {
    let sources = backends.iter().map(|b| b.source).collect();
    Route {
        kind: RouteKind::Tls,
        name: names.claim(
            "TLSRoute",
            &from.namespace,
            &format!("{}-tls-passthrough", from.name),
        ),
        bindings: vec![Binding {
            section: Some((host.to_string(), ListenerKind::TlsPassthrough)),
            port: None,
        }],
        rules: vec![Rule {
            backends,
            sources,
            ..Rule::default()
        }],
        derived: true,
        ..from.clone()
    }
}

/// Every provider's planning pass, in turn (each looks at the rules its Ingresses govern and
/// decides where they are served), then the split of the routes by those decisions.
pub fn plan(plan: &mut Plan<'_, '_>) {
    traefik::plan(plan);
    cilium::plan(plan);
    apisix::plan(plan);
    nginx_inc::plan(plan);
    kong::plan(plan);
    gce::plan(plan);
    split_routes(plan.routes, plan.names);
}

/// The objects providers write beside the routes (NGINX Inc.'s BackendTLSPolicies, GKE's
/// policies), for the converted Ingresses (`gateway_of` says which are, on which of
/// `gateways`), and what writing them found.
pub fn policies(
    ingresses: &[Ingress],
    gateway_of: &[Option<usize>],
    gateways: &[super::plan::GatewayPlan],
    objects: &Objects,
    names: &mut NameRegistry,
) -> (Vec<super::layout::Make>, Vec<Diagnostic>) {
    let mut makes = nginx_inc::policies(ingresses, gateway_of, names);
    let (mut gke, diagnostics) =
        gce::policies(ingresses, gateway_of, gateways, &objects.gce, names);
    makes.append(&mut gke);
    (makes, diagnostics)
}

/// Splits every route some of whose rules are not served on both listeners of its host
/// ([`split_by_listener`]): one split for the decisions of every controller whose rules
/// share the route (on a shared Gateway, one host's rules may come from several).
pub fn split_routes(routes: &mut Vec<Route>, names: &mut NameRegistry) {
    let mut added = Vec::new();
    for route in routes.iter_mut() {
        if route.kind != RouteKind::Http
            || !route.unsplit()
            || route.rules.iter().all(|r| r.sides.is_none())
        {
            continue;
        }
        let sides: Vec<Sides> = route
            .rules
            .iter_mut()
            .map(|r| r.sides.take().map_or_else(Sides::both, |s| *s))
            .collect();
        added.extend(split_by_listener(route, &sides, names));
    }
    routes.extend(added);
}

/// Splits a route whose rules are not all served on both listeners of its host: the rules
/// served over HTTPS stay on it, bound to the host's HTTPS listener, and the rules served or
/// redirected on plain HTTP go to a `<route>-http` route bound to its HTTP listener (to the
/// route itself, when none is served over HTTPS). A redirect rule has no backends, so it
/// never answers HTTPS with a redirect to itself. `sides` holds one entry per rule.
fn split_by_listener(
    route: &mut Route,
    sides: &[Sides],
    names: &mut NameRegistry,
) -> Option<Route> {
    if sides.len() != route.rules.len() || sides.iter().all(|s| *s == Sides::both()) {
        return None;
    }
    let host = route.hostnames.first().cloned().unwrap_or_default();
    let mut https_rules = Vec::new();
    let mut http_rules = Vec::new();
    for (rule, side) in std::mem::take(&mut route.rules).into_iter().zip(sides) {
        match &side.http {
            OnHttp::Serve => http_rules.push(rule.clone()),
            OnHttp::Redirect(redirect) => http_rules.push(Rule {
                matches: rule.matches.clone(),
                filters: vec![Filter::RequestRedirect(redirect.clone())],
                sources: rule.sources.clone(),
                ..Rule::default()
            }),
            OnHttp::Off => {}
        }
        if side.https {
            https_rules.push(rule);
        }
    }
    let bound = |kind: ListenerKind| {
        vec![Binding {
            section: Some((host.clone(), kind)),
            port: Some(kind.port()),
        }]
    };
    if https_rules.is_empty() {
        route.rules = http_rules;
        route.bindings = bound(ListenerKind::Http);
        return None;
    }
    route.rules = https_rules;
    route.bindings = bound(ListenerKind::Https);
    if http_rules.is_empty() {
        return None;
    }
    Some(Route {
        name: names.claim(
            "HTTPRoute",
            &route.namespace,
            &format!("{}-http", route.name),
        ),
        bindings: bound(ListenerKind::Http),
        rules: http_rules,
        derived: true,
        ..route.clone()
    })
}

/// The controller whose annotation `key` is, if any.
pub fn owner(key: &str) -> Option<Provider> {
    KNOWN
        .iter()
        .find(|k| k.prefixes.iter().any(|p| key.starts_with(p)))
        .map(|k| k.provider)
}

/// Why a provider was picked for an Ingress, for the summary and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `--provider` named only this one.
    Flag,
    /// The IngressClass of its class among the inputs names this controller.
    IngressClass(String),
    /// Its class name is this controller's well-known one.
    ClassName(String),
    /// It carries this controller's annotations.
    Annotations,
    /// Nothing told: ingress-nginx, as lsc has always read Ingresses.
    Default,
}

/// What decides the provider of each Ingress: `--provider` and the IngressClasses of the
/// inputs (name → `spec.controller`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub chosen: Vec<Provider>,
    pub class_controllers: BTreeMap<String, String>,
}

impl Selection {
    fn allowed(&self, provider: Provider) -> bool {
        self.chosen.is_empty() || self.chosen.contains(&provider)
    }

    /// The provider of an Ingress of class `class` carrying the annotation keys `keys`.
    pub fn pick<'k>(
        &self,
        class: &str,
        keys: impl Iterator<Item = &'k str> + Clone,
    ) -> (Provider, Reason) {
        if let [only] = self.chosen.as_slice() {
            return (*only, Reason::Flag);
        }
        let by_annotations = |among: &[Provider]| {
            among
                .iter()
                .copied()
                .filter(|p| self.allowed(*p))
                .find(|p| keys.clone().any(|k| p.reads(k)))
        };
        if let Some(controller) = self.class_controllers.get(class) {
            if let Some(known) = KNOWN
                .iter()
                .find(|k| k.controllers.contains(&controller.as_str()) && self.allowed(k.provider))
            {
                return (known.provider, Reason::IngressClass(class.to_string()));
            }
        }
        let by_class: Vec<Provider> = KNOWN
            .iter()
            .filter(|k| k.classes.contains(&class) && self.allowed(k.provider))
            .map(|k| k.provider)
            .collect();
        match by_class.as_slice() {
            [one] => return (*one, Reason::ClassName(class.to_string())),
            // Class `nginx`: whichever of the two controllers' annotations it carries.
            [first, ..] => {
                let provider = by_annotations(&by_class).unwrap_or(*first);
                return (provider, Reason::ClassName(class.to_string()));
            }
            [] => {}
        }
        let all: Vec<Provider> = KNOWN.iter().map(|k| k.provider).collect();
        if let Some(provider) = by_annotations(&all) {
            return (provider, Reason::Annotations);
        }
        let fallback = self
            .chosen
            .first()
            .copied()
            .unwrap_or(Provider::IngressNginx);
        (fallback, Reason::Default)
    }
}

impl Reason {
    /// How the summary says it: "class traefik", "IngressClass web", ….
    pub fn describe(&self) -> String {
        match self {
            Reason::Flag => "--provider".to_string(),
            Reason::IngressClass(class) => format!("its IngressClass {class}"),
            Reason::ClassName(class) => format!("class {class}"),
            Reason::Annotations => "its annotations".to_string(),
            Reason::Default => "no class or annotation telling another".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(selection: &Selection, class: &str, keys: &[&str]) -> Provider {
        selection.pick(class, keys.iter().copied()).0
    }

    #[test]
    fn every_provider_has_its_row_and_a_distinct_name() {
        use clap::ValueEnum;
        assert_eq!(KNOWN.len(), Provider::value_variants().len());
        for provider in Provider::value_variants() {
            assert!(KNOWN.iter().any(|k| k.provider == *provider));
            assert_eq!(provider.known().provider, *provider);
            assert_eq!(
                provider
                    .to_possible_value()
                    .map(|v| v.get_name().to_string()),
                Some(provider.name().to_string())
            );
        }
    }

    #[test]
    fn the_ingress_class_controller_decides_before_the_class_name() {
        let selection = Selection {
            chosen: Vec::new(),
            class_controllers: [(
                "nginx".to_string(),
                "nginx.org/ingress-controller".to_string(),
            )]
            .into(),
        };
        assert_eq!(pick(&selection, "nginx", &[]), Provider::Nginx);
        assert_eq!(pick(&selection, "traefik", &[]), Provider::Traefik);
    }

    #[test]
    fn class_nginx_is_told_apart_by_annotations() {
        let selection = Selection::default();
        assert_eq!(pick(&selection, "nginx", &[]), Provider::IngressNginx);
        assert_eq!(
            pick(&selection, "nginx", &["nginx.org/rewrites"]),
            Provider::Nginx
        );
        assert_eq!(
            pick(
                &selection,
                "nginx",
                &["nginx.ingress.kubernetes.io/rewrite-target"]
            ),
            Provider::IngressNginx
        );
    }

    #[test]
    fn annotations_decide_an_unknown_class_and_ingress_nginx_is_the_default() {
        let selection = Selection::default();
        assert_eq!(
            pick(&selection, "public", &["konghq.com/strip-path"]),
            Provider::Kong
        );
        assert_eq!(
            pick(&selection, "public", &["example.com/x"]),
            Provider::IngressNginx
        );
        assert_eq!(pick(&selection, "gce-internal", &[]), Provider::Gce);
    }

    #[test]
    fn the_flag_decides_alone_or_narrows_the_choice() {
        let one = Selection {
            chosen: vec![Provider::Traefik],
            ..Selection::default()
        };
        assert_eq!(
            pick(&one, "nginx", &["nginx.org/rewrites"]),
            Provider::Traefik
        );
        let two = Selection {
            chosen: vec![Provider::Kong, Provider::Traefik],
            ..Selection::default()
        };
        assert_eq!(pick(&two, "nginx", &[]), Provider::Kong);
        assert_eq!(pick(&two, "traefik", &[]), Provider::Traefik);
        assert_eq!(
            pick(&two, "x", &["traefik.ingress.kubernetes.io/router.tls"]),
            Provider::Traefik
        );
    }
}
