//! Where listeners and cert-manager annotations go: on the Gateway (ingress2gateway's
//! layout) or on one ListenerSet per Ingress (the default, so developers keep their TLS), and
//! how routes attach to them.

use foldhash::HashMap;
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use super::ingress::Ingress;
use super::names::{HostNames, NameRegistry};
use super::objects::{self, GATEWAY_API, GATEWAY_GROUP, listener, map, s, seq};
use super::plan::{GatewayPlan, IngressId, ListenerKind, ListenerNeed, Route, RouteKind};
use super::{AllowedListeners, ConvertOptions, Emitted, ListenerSetApi, TlsIn};
use crate::diag::Diagnostic;
use crate::model::fields::SortedMap;
use crate::source::tree::Value;

/// Most listeners one Gateway or ListenerSet may have (CRD `maxItems`).
const MAX_LISTENERS: usize = 64;

/// v1beta1: served by every Gateway API release, unlike v1 (v1.5 and later).
const REFERENCE_GRANT_API: &str = "gateway.networking.k8s.io/v1beta1";

pub struct Layout<'a> {
    pub options: &'a ConvertOptions,
    pub ingresses: &'a [Ingress],
    pub gateways: &'a [GatewayPlan],
    pub host_names: &'a [HostNames],
    /// The cert-manager annotations each Ingress hands over (its ListenerSet takes them).
    pub certificate_annotations: Vec<SortedMap<String>>,
    pub gateway_of: &'a [Option<usize>],
    /// The Ingresses of each Gateway, in processing order.
    pub members: &'a [Vec<IngressId>],
}

/// Makes one object's tree when called (see [`Layout::build`]).
pub type Make = Box<dyn FnOnce() -> Emitted + Send>;

/// A listener placed on an object.
#[derive(Debug, Clone)]
struct Placed {
    name: String,
    host: String,
    kind: ListenerKind,
    /// `(namespace, name)` of each Secret: the namespace of the Ingress that named it.
    secrets: Vec<(String, String)>,
}

/// Which object carries a listener: the Gateway, or the ListenerSet of an Ingress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Holder {
    Gateway(usize),
    ListenerSet(IngressId),
}

/// The listeners placed on each holder, found by index (routes look them up many times);
/// iterated as a map ordered by [`Holder`] would be: Gateways, then ListenerSets, by index.
#[derive(Debug)]
struct Placements {
    gateways: Vec<Option<Vec<Placed>>>,
    listener_sets: Vec<Option<Vec<Placed>>>,
}

impl Placements {
    /// Room for `gateways` Gateways and `ingresses` ListenerSets.
    fn new(gateways: usize, ingresses: usize) -> Self {
        Placements {
            gateways: (0..gateways).map(|_| None).collect(),
            listener_sets: (0..ingresses).map(|_| None).collect(),
        }
    }

    /// The holder's listeners, made empty when it has none yet; `None` beyond the room.
    fn entry(&mut self, holder: Holder) -> Option<&mut Vec<Placed>> {
        match holder {
            Holder::Gateway(g) => self.gateways.get_mut(g),
            Holder::ListenerSet(id) => self.listener_sets.get_mut(id),
        }
        .map(|slot| slot.get_or_insert_with(Vec::new))
    }

    fn get(&self, holder: &Holder) -> Option<&Vec<Placed>> {
        match *holder {
            Holder::Gateway(g) => self.gateways.get(g),
            Holder::ListenerSet(id) => self.listener_sets.get(id),
        }
        .and_then(Option::as_ref)
    }

    fn iter(&self) -> impl Iterator<Item = (Holder, &Vec<Placed>)> {
        let gateways = self.gateways.iter().enumerate();
        let gateways = gateways.filter_map(|(g, l)| l.as_ref().map(|l| (Holder::Gateway(g), l)));
        let sets = self.listener_sets.iter().enumerate();
        let sets = sets.filter_map(|(id, l)| l.as_ref().map(|l| (Holder::ListenerSet(id), l)));
        gateways.chain(sets)
    }

    /// The ListenerSets' listeners, by Ingress.
    fn listener_sets_mut(&mut self) -> impl Iterator<Item = (IngressId, &mut Vec<Placed>)> {
        let sets = self.listener_sets.iter_mut().enumerate();
        sets.filter_map(|(id, l)| l.as_mut().map(|l| (id, l)))
    }

    /// [`Self::listener_sets_mut`] on all threads.
    fn listener_sets_par_mut(
        &mut self,
    ) -> impl ParallelIterator<Item = (IngressId, &mut Vec<Placed>)> {
        let sets = self.listener_sets.par_iter_mut().enumerate();
        sets.filter_map(|(id, l)| l.as_mut().map(|l| (id, l)))
    }
}

impl<'a> Layout<'a> {
    /// The Gateway of an Ingress.
    fn gateway(&self, id: IngressId) -> Option<&'a GatewayPlan> {
        let gateways: &'a [GatewayPlan] = self.gateways;
        self.gateway_of
            .get(id)
            .copied()
            .flatten()
            .and_then(|g| gateways.get(g))
    }

    fn listener_name(&self, gateway: usize, host: &str, kind: ListenerKind) -> String {
        if host.is_empty() {
            return kind.suffix().to_string();
        }
        let part = self
            .host_names
            .get(gateway)
            .map(|n| n.part(host))
            .unwrap_or_default();
        let suffix = kind.suffix();
        let mut name = String::with_capacity(part.len() + 1 + suffix.len());
        name.push_str(&part);
        name.push('-');
        name.push_str(suffix);
        name
    }

    /// Assigns every needed listener to an object: in ingress2gateway's layout all go on the
    /// Gateway; in the ListenerSet layout a host's listener goes on the ListenerSet of the
    /// first Ingress that needs it, except that every Ingress with TLS for a host keeps its
    /// own HTTPS listener (so cert-manager issues the same Certificates as for the Ingress).
    fn place(&self, needs: &[ListenerNeed]) -> Placements {
        let mut placed = Placements::new(self.gateways.len(), self.ingresses.len());
        // Who got the HTTP (or passthrough) listener of a host first, per Gateway: one listener a
        // host and port, whatever the namespace (two would conflict, and ingress-nginx merges a
        // host's paths across namespaces); the others' routes attach to it.
        let mut first: HashMap<(usize, &str, ListenerKind), Holder> = HashMap::default();
        // Where each holder's listener of a name is in its list (a shared Gateway holds one
        // listener a host: thousands).
        let mut position: HashMap<(Holder, String), usize> = HashMap::default();
        // The Secrets each placed listener has, `(holder, position, namespace, name)`: one
        // listener of a shared Gateway can take the Secrets of thousands of Ingresses.
        let mut has_secret: foldhash::HashSet<(Holder, usize, &str, &str)> =
            foldhash::HashSet::with_capacity_and_hasher(needs.len(), Default::default());
        // The listeners' names depend on their host alone: worked out on all threads.
        let names: Vec<String> = needs
            .par_iter()
            .map(|need| self.listener_name(need.gateway, &need.host, need.kind))
            .collect();
        // A TLS host's HTTP listener goes with its first HTTPS listener: cert-manager's
        // HTTP-01 challenge for that ListenerSet's Certificate attaches to the ListenerSet's own
        // port-80 listener for the host.
        if self.options.tls_in == TlsIn::ListenerSet {
            for need in needs.iter().filter(|n| n.kind == ListenerKind::Https) {
                first
                    .entry((need.gateway, &need.host, ListenerKind::Http))
                    .or_insert(Holder::ListenerSet(need.ingress));
            }
        }
        for (need, name) in needs.iter().zip(names) {
            let holder = match self.options.tls_in {
                TlsIn::Gateway => Holder::Gateway(need.gateway),
                TlsIn::ListenerSet if need.host.is_empty() => Holder::Gateway(need.gateway),
                TlsIn::ListenerSet if need.kind == ListenerKind::Https => {
                    Holder::ListenerSet(need.ingress)
                }
                TlsIn::ListenerSet => *first
                    .entry((need.gateway, &need.host, need.kind))
                    .or_insert(Holder::ListenerSet(need.ingress)),
            };
            let Some(list) = placed.entry(holder) else {
                continue;
            };
            let secrets = need
                .secrets
                .iter()
                .map(|s| (need.namespace.clone(), s.clone()));
            match position.entry((holder, name)) {
                Entry::Occupied(at) => {
                    let at = *at.get();
                    if let Some(existing) = list.get_mut(at) {
                        for secret in &need.secrets {
                            if has_secret.insert((holder, at, &need.namespace, secret)) {
                                existing
                                    .secrets
                                    .push((need.namespace.clone(), secret.clone()));
                            }
                        }
                    }
                }
                Entry::Vacant(at) => {
                    let name = at.key().1.clone();
                    let at = *at.insert(list.len());
                    has_secret.extend(
                        need.secrets
                            .iter()
                            .map(|secret| (holder, at, need.namespace.as_str(), secret.as_str())),
                    );
                    list.push(Placed {
                        name,
                        host: need.host.clone(),
                        kind: need.kind,
                        secrets: secrets.collect(),
                    });
                }
            }
        }
        placed
    }

    /// Each placed HTTPS listener with every Ingress whose TLS entry names its host (on a
    /// Gateway, the Ingresses of that Gateway in processing order), for the emitter's
    /// listener policies.
    fn https_listeners(
        &self,
        placed: &Placements,
        set_names: &BTreeMap<IngressId, String>,
        set_kind: &'static str,
    ) -> Vec<super::emitters::HttpsListener> {
        let mut found = Vec::new();
        if !self.options.emitter.writes_listener_policies() {
            return found;
        }
        // Each Gateway's Ingresses by TLS host, made when a listener of that Gateway needs it.
        let mut tls_members: BTreeMap<usize, HashMap<&str, Vec<IngressId>>> = BTreeMap::new();
        let mut add =
            |id: IngressId, l: &Placed, kind: &'static str, namespace: &str, name: &str| {
                found.push(super::emitters::HttpsListener {
                    ingress: id,
                    host: l.host.clone(),
                    parent_kind: kind,
                    parent_namespace: namespace.to_string(),
                    parent_name: name.to_string(),
                    section: l.name.clone(),
                });
            };
        for (holder, listeners) in placed.iter() {
            for l in listeners.iter().filter(|l| l.kind == ListenerKind::Https) {
                match holder {
                    Holder::ListenerSet(id) => {
                        let (Some(ingress), Some(name)) =
                            (self.ingresses.get(id), set_names.get(&id))
                        else {
                            continue;
                        };
                        add(id, l, set_kind, &ingress.meta.namespace, name);
                    }
                    Holder::Gateway(g) => {
                        let Some(gateway) = self.gateways.get(g) else {
                            continue;
                        };
                        let by_host = tls_members.entry(g).or_insert_with(|| {
                            let mut by_host: HashMap<&str, Vec<IngressId>> = HashMap::default();
                            for id in self.members.get(g).into_iter().flatten().copied() {
                                for host in self
                                    .ingresses
                                    .get(id)
                                    .map(Ingress::tls_hosts)
                                    .unwrap_or_default()
                                {
                                    let ids = by_host.entry(host).or_default();
                                    if !ids.contains(&id) {
                                        ids.push(id);
                                    }
                                }
                            }
                            by_host
                        });
                        for id in by_host.get(l.host.as_str()).into_iter().flatten().copied() {
                            add(id, l, "Gateway", &gateway.namespace, &gateway.name);
                        }
                    }
                }
            }
        }
        found
    }

    /// The Gateways, ListenerSets and routes as objects. Everything that depends on other
    /// objects (names, listener placement, parentRefs) is decided here, in order; the trees of
    /// ListenerSets and routes, most of the work, are made later by the returned builders, in
    /// parallel and one at a time. The builders own what they need (each route is moved into
    /// its own), so the plan is freed as they run.
    pub fn build(
        &mut self,
        needs: Vec<ListenerNeed>,
        mut routes: Vec<Route>,
        names: &mut NameRegistry,
    ) -> (Vec<Make>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut placed = self.place(&needs);
        drop(needs);
        let mut out: Vec<Make> = Vec::new();
        self.report_shared_hosts(&placed, &mut diagnostics);

        // TLS hosts first, in the Ingress's order (cert-manager lists dnsNames in listener
        // order, so the Certificates keep the Ingress's), then the other hosts by name. Each
        // ListenerSet's order is its own: sorted on all threads.
        placed.listener_sets_par_mut().for_each(|(id, listeners)| {
            let tls_hosts = self
                .ingresses
                .get(id)
                .map(Ingress::tls_hosts)
                .unwrap_or_default();
            let rank = |host: &str| {
                tls_hosts
                    .iter()
                    .position(|h| *h == host)
                    .unwrap_or(usize::MAX)
            };
            listeners.sort_by(|a, b| {
                (rank(&a.host), &a.host, a.kind).cmp(&(rank(&b.host), &b.host, b.kind))
            });
        });
        // ListenerSets first, so their names are known to routes.
        let (api_version, kind) = match self.options.listenerset_api {
            ListenerSetApi::V1 => (GATEWAY_API, "ListenerSet"),
            ListenerSetApi::V1Alpha1 => (crate::model::XLISTENERSET_API, "XListenerSet"),
        };
        let mut set_names: BTreeMap<IngressId, String> = BTreeMap::new();
        for (id, listeners) in placed.listener_sets_mut() {
            let Some(ingress) = self.ingresses.get(id) else {
                continue;
            };
            if self.gateway(id).is_none() {
                continue;
            }
            if listeners.len() > MAX_LISTENERS {
                diagnostics.push(
                    Diagnostic::error(
                        Some(ingress.at(0)),
                        format!(
                            "its ListenerSet would need {} listeners; Gateway API allows at most {MAX_LISTENERS}: split the Ingress",
                            listeners.len()
                        ),
                    )
                    .about(&ingress.reference()),
                );
            }
            let name = names.claim(kind, &ingress.meta.namespace, &ingress.meta.name);
            set_names.insert(id, name);
        }
        let https = self.https_listeners(&placed, &set_names, kind);
        let (made, found) = self.options.emitter.listener_policies(
            self.ingresses,
            &https,
            &self.options.allow_unprotected,
            names,
        );
        out.extend(made);
        diagnostics.extend(found);
        // Namespaces of the routes attached to each Gateway listener, and to each ListenerSet
        // listener that routes of other namespaces share.
        let mut attached: BTreeMap<(usize, String), BTreeSet<String>> = BTreeMap::new();
        let mut set_attached: BTreeMap<(IngressId, String), BTreeSet<String>> = BTreeMap::new();
        // Each route's parentRefs depend on the placement alone: worked out on all threads,
        // what they find kept in route order.
        let index = self.index(&placed);
        let parents: Vec<Parents> = routes
            .par_iter_mut()
            .map(|route| {
                route.rules = exact(std::mem::take(&mut route.rules));
                self.parent_refs(route, &index, &set_names)
            })
            .collect();
        drop(index);
        for (route, parents) in routes.into_iter().zip(parents) {
            for (listener, namespace) in parents.attached {
                attached.entry(listener).or_default().insert(namespace);
            }
            for (listener, namespace) in parents.set_attached {
                set_attached.entry(listener).or_default().insert(namespace);
            }
            diagnostics.extend(parents.missing);
            let refs = parents.refs;
            let source = route
                .ingresses
                .first()
                .and_then(|id| self.ingresses.get(*id))
                .map(|ingress| ingress.at(0));
            // TLSRoute v1 came in v1.5; v1.4 serves v1alpha2 (experimental), the same fields.
            let api_version = if route.kind == RouteKind::Tls
                && !self.options.gateway_api.serves_tls_route_v1()
            {
                "gateway.networking.k8s.io/v1alpha2"
            } else {
                GATEWAY_API
            };
            out.push(Box::new(move || {
                Emitted::new(
                    route.kind.kind(),
                    &route.namespace,
                    &route.name,
                    objects::object(
                        api_version,
                        route.kind.kind(),
                        objects::metadata(
                            &route.name,
                            &route.namespace,
                            &SortedMap::new(),
                            &SortedMap::new(),
                        ),
                        objects::route_spec(
                            route.kind,
                            refs.iter().map(ParentRef::value).collect(),
                            &route.hostnames,
                            &route.rules,
                        ),
                    ),
                )
                .from_source(source)
            }));
        }

        // The ListenerSets' objects, once routes no longer need their listeners.
        for (id, listeners) in placed.listener_sets_mut() {
            // Routes are done with the names: each is moved into its ListenerSet.
            let (Some(ingress), Some(gateway), Some(name)) = (
                self.ingresses.get(id),
                self.gateway(id),
                set_names.remove(&id),
            ) else {
                continue;
            };
            let annotations = self
                .certificate_annotations
                .get_mut(id)
                .map(std::mem::take)
                .unwrap_or_default();
            let listeners = std::mem::take(listeners);
            let namespace = ingress.meta.namespace.clone();
            // Listeners routes of other namespaces attach to admit those namespaces (and their
            // own): the listener's allowedRoutes default is the ListenerSet's namespace.
            let shared: Vec<Option<BTreeSet<String>>> = if set_attached.is_empty() {
                Vec::new()
            } else {
                listeners
                    .iter()
                    .map(|l| {
                        let mut from = set_attached.remove(&(id, l.name.clone()))?;
                        from.insert(namespace.clone());
                        Some(from)
                    })
                    .collect()
            };
            let labels = ingress.meta.labels.clone();
            let source = Some(ingress.at(0));
            let parent = ParentRef::Gateway {
                name: gateway.name.clone(),
                namespace: (gateway.namespace != namespace).then(|| gateway.namespace.clone()),
                section: None,
                port: None,
            };
            out.push(Box::new(move || {
                let namespace = &namespace;
                let parent = parent.value();
                let spec = map(vec![
                    ("parentRef", parent),
                    (
                        "listeners",
                        seq(listeners
                            .iter()
                            .enumerate()
                            .map(|(i, l)| {
                                let mut value = placed_value(l, namespace);
                                let shared = shared.get(i).and_then(Option::as_ref);
                                if let (Some(from), Value::Map(m)) = (shared, &mut value) {
                                    m.push("allowedRoutes", allowed_routes(from));
                                }
                                value
                            })
                            .collect()),
                    ),
                ]);
                let metadata = objects::metadata(&name, namespace, &labels, &annotations);
                Emitted::new(
                    kind,
                    namespace,
                    &name,
                    objects::object(api_version, kind, metadata, spec),
                )
                .from_source(source)
            }));
        }

        let used: BTreeSet<usize> = self.gateway_of.iter().flatten().copied().collect();
        for (g, gateway) in self.gateways.iter().enumerate() {
            if !used.contains(&g) {
                continue;
            }
            let mut listeners = placed.get(&Holder::Gateway(g)).cloned().unwrap_or_default();
            let listener_sets = self.options.tls_in == TlsIn::ListenerSet;
            if listeners.is_empty()
                || (listener_sets && !listeners.iter().any(|l| l.name == "http"))
            {
                // A Gateway needs at least one listener; ListenerSets add the rest.
                listeners.insert(
                    0,
                    Placed {
                        name: "http".to_string(),
                        host: String::new(),
                        kind: ListenerKind::Http,
                        secrets: Vec::new(),
                    },
                );
            }
            if listeners.len() > MAX_LISTENERS {
                diagnostics.push(Diagnostic::warning(
                    None,
                    format!(
                        "Gateway {}/{} gets {} listeners; Gateway API allows at most {MAX_LISTENERS}: use --tls-in listenerset to spread them over ListenerSets",
                        gateway.namespace, gateway.name, listeners.len()
                    ),
                ));
            }
            let (labels, annotations) = if listener_sets {
                (SortedMap::new(), SortedMap::new())
            } else {
                self.gateway_metadata(g, &mut diagnostics)
            };
            let allowed =
                listener_sets.then(|| self.allowed_listeners(g, gateway, &mut diagnostics));
            for grant in self.reference_grants(gateway, &listeners, names, &mut diagnostics) {
                out.push(Box::new(move || grant));
            }
            let listener_values = listeners
                .iter()
                .map(|l| {
                    let route_namespaces = attached.get(&(g, l.name.clone()));
                    let mut value = placed_value(l, &gateway.namespace);
                    if let (Some(namespaces), Value::Map(m)) = (route_namespaces, &mut value) {
                        if namespaces.iter().any(|ns| *ns != gateway.namespace) {
                            m.push("allowedRoutes", allowed_routes(namespaces));
                        }
                    }
                    value
                })
                .collect();
            let spec = map(vec![
                (
                    "gatewayClassName",
                    s(self
                        .options
                        .gateway_class
                        .as_deref()
                        .unwrap_or(&gateway.class)),
                ),
                ("listeners", seq(listener_values)),
                (
                    "addresses",
                    if gateway.addresses.is_empty() {
                        Value::Null
                    } else {
                        seq(gateway
                            .addresses
                            .iter()
                            .map(|a| map(vec![("type", s("NamedAddress")), ("value", s(a))]))
                            .collect())
                    },
                ),
                ("allowedListeners", allowed.unwrap_or(Value::Null)),
            ]);
            let gateway = Emitted::new(
                "Gateway",
                &gateway.namespace,
                &gateway.name,
                objects::object(
                    GATEWAY_API,
                    "Gateway",
                    objects::metadata(&gateway.name, &gateway.namespace, &labels, &annotations),
                    spec,
                ),
            );
            out.push(Box::new(move || gateway));
        }
        (out, diagnostics)
    }

    /// Two ListenerSets of one Gateway with a listener for the same host and protocol conflict:
    /// Gateway API accepts the oldest and marks the other `Conflicted` (reference §3.3).
    fn report_shared_hosts(&self, placed: &Placements, diagnostics: &mut Vec<Diagnostic>) {
        let mut owners: BTreeMap<(usize, &str, ListenerKind), Vec<IngressId>> = BTreeMap::new();
        for (holder, listeners) in placed.iter() {
            let Holder::ListenerSet(id) = holder else {
                continue;
            };
            let Some(g) = self.gateway_of.get(id).copied().flatten() else {
                continue;
            };
            for l in listeners {
                owners
                    .entry((g, l.host.as_str(), l.kind))
                    .or_default()
                    .push(id);
            }
        }
        for ((_, host, kind), ids) in owners {
            let [first, rest @ ..] = ids.as_slice() else {
                continue;
            };
            let Some(first_ingress) = self.ingresses.get(*first) else {
                continue;
            };
            for id in rest {
                let Some(ingress) = self.ingresses.get(*id) else {
                    continue;
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Some(ingress.at(0)),
                        match kind {
                            ListenerKind::Https => format!(
                                "host {host:?} also has TLS in {}; both ListenerSets get an HTTPS listener for it (so cert-manager issues both Certificates) and Gateway API serves the older one, marking the other Conflicted",
                                first_ingress.reference()
                            ),
                            _ => format!(
                                "host {host:?} is also routed by {} on the same Gateway; both ListenerSets get a listener for it on port {} ({}) and Gateway API accepts only the older one, so this Ingress's routes for the host are not served",
                                first_ingress.reference(),
                                kind.port(),
                                kind.protocol()
                            ),
                        },
                    )
                    .about(&ingress.reference()),
                );
            }
        }
    }

    /// `allowedListeners` of a Gateway: the flag, else `Same` for a per-namespace Gateway and
    /// `All` for the shared one. `Selector` selects exactly the namespaces of its ListenerSets.
    fn allowed_listeners(
        &self,
        g: usize,
        gateway: &GatewayPlan,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Value {
        let from = self
            .options
            .allowed_listeners
            .unwrap_or(if self.options.gateway.is_some() {
                AllowedListeners::All
            } else {
                AllowedListeners::Same
            });
        let namespaces: BTreeSet<String> = self
            .members
            .get(g)
            .into_iter()
            .flatten()
            .filter_map(|id| self.ingresses.get(*id))
            .map(|i| i.meta.namespace.clone())
            .collect();
        let outside: Vec<&str> = namespaces
            .iter()
            .map(String::as_str)
            .filter(|ns| *ns != gateway.namespace)
            .collect();
        if from == AllowedListeners::Same && !outside.is_empty() {
            diagnostics.push(Diagnostic::warning(
                None,
                format!(
                    "Gateway {}/{} allows ListenerSets from its own namespace only (--allowed-listeners Same), so the ListenerSets in {} will not attach",
                    gateway.namespace,
                    gateway.name,
                    outside.join(", ")
                ),
            ));
        }
        map(vec![(
            "namespaces",
            namespace_selector(from.as_str(), &namespaces),
        )])
    }

    /// ReferenceGrants that let the Gateway use Secrets of other namespaces (a shared Gateway
    /// in ingress2gateway's layout), with the warning that cert-manager will not issue them.
    fn reference_grants(
        &self,
        gateway: &GatewayPlan,
        listeners: &[Placed],
        names: &mut NameRegistry,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Emitted> {
        let mut by_namespace: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (ns, secret) in listeners.iter().flat_map(|l| &l.secrets) {
            if *ns != gateway.namespace {
                by_namespace.entry(ns).or_default().insert(secret);
            }
        }
        if !by_namespace.is_empty() {
            diagnostics.push(Diagnostic::warning(
                None,
                format!(
                    "Gateway {}/{} refers to Secrets in {}: cert-manager does not issue Certificates for cross-namespace certificateRefs; use --tls-in listenerset to keep each Secret with its ListenerSet",
                    gateway.namespace,
                    gateway.name,
                    by_namespace.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        by_namespace
            .into_iter()
            .map(|(ns, secrets)| {
                let name = names.claim(
                    "ReferenceGrant",
                    ns,
                    &format!("{}-{}-tls", gateway.namespace, gateway.name),
                );
                let spec = map(vec![
                    (
                        "from",
                        seq(vec![map(vec![
                            ("group", s(GATEWAY_GROUP)),
                            ("kind", s("Gateway")),
                            ("namespace", s(&gateway.namespace)),
                        ])]),
                    ),
                    (
                        "to",
                        seq(secrets
                            .iter()
                            .map(|secret| {
                                map(vec![
                                    ("group", s("")),
                                    ("kind", s("Secret")),
                                    ("name", s(secret)),
                                ])
                            })
                            .collect()),
                    ),
                ]);
                Emitted::new(
                    "ReferenceGrant",
                    ns,
                    &name,
                    objects::object(
                        REFERENCE_GRANT_API,
                        "ReferenceGrant",
                        objects::metadata(&name, ns, &SortedMap::new(), &SortedMap::new()),
                        spec,
                    ),
                )
            })
            .collect()
    }

    /// In ingress2gateway's layout the Gateway carries the cert-manager annotations of its
    /// Ingresses, and cert-manager copies the Gateway's labels onto the Certificates. That is
    /// only right when every Ingress asks the same: otherwise merging would change a
    /// Certificate `lsc render` gives for the Ingresses (another commonName, issuer or
    /// label, or a Certificate for a Secret cert-manager does not issue today), an error
    /// pointing to the ListenerSet layout, which keeps each Ingress's own. Returns the
    /// Gateway's labels and annotations.
    fn gateway_metadata(
        &self,
        g: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (SortedMap<String>, SortedMap<String>) {
        let gateway = self.gateways.get(g);
        let gateway_name = gateway.map_or(String::new(), |g| format!("{}/{}", g.namespace, g.name));
        let members: Vec<(IngressId, &Ingress, &SortedMap<String>)> = self
            .members
            .get(g)
            .into_iter()
            .flatten()
            .filter_map(|&id| {
                Some((
                    id,
                    self.ingresses.get(id)?,
                    self.certificate_annotations.get(id)?,
                ))
            })
            .collect();
        let Some(&(first_id, first, first_annotations)) =
            members.iter().find(|(_, _, a)| !a.is_empty())
        else {
            return (SortedMap::new(), SortedMap::new());
        };
        let hint = "use the default layout (--tls-in listenerset), where each Ingress's ListenerSet keeps its own";
        let mut error = |ingress: &Ingress, line: u32, message: String| {
            diagnostics.push(
                Diagnostic::error(Some(ingress.at(line)), format!("{message}; {hint}"))
                    .about(&ingress.reference()),
            );
        };
        let annotation_line =
            |i: &Ingress, key: &str| i.meta.annotations.get(key).map_or(0, |a| a.line);
        // Certificates come from the Ingresses with TLS: their labels go on the Gateway.
        let mut labels: Option<(&Ingress, &SortedMap<String>)> = None;
        for &(id, ingress, annotations) in &members {
            let has_tls = !ingress.tls_hosts().is_empty();
            if id == first_id {
                if has_tls {
                    labels = Some((ingress, &ingress.meta.labels));
                }
                continue;
            }
            if annotations.is_empty() {
                if has_tls {
                    error(
                        ingress,
                        ingress.tls.first().map_or(0, |t| t.line),
                        format!(
                            "has TLS but no cert-manager annotation, while {} on the same Gateway {gateway_name} has; with --tls-in gateway the Gateway carries those annotations and cert-manager would issue this Ingress's Secrets too (it does not today)",
                            first.reference()
                        ),
                    );
                }
                continue;
            }
            let differing = first_annotations
                .keys()
                .chain(annotations.keys())
                .find(|k| first_annotations.get(*k) != annotations.get(*k));
            if let Some(key) = differing {
                let show =
                    |v: Option<&String>| v.map_or("not set".to_string(), |v| format!("{v:?}"));
                error(
                    ingress,
                    annotation_line(ingress, key).max(ingress.meta.annotations_line),
                    format!(
                        "annotation {key} is {} here and {} on {}; with --tls-in gateway both go on Gateway {gateway_name} and one of them would change the Certificates render gives for the Ingresses",
                        show(annotations.get(key)),
                        show(first_annotations.get(key)),
                        first.reference()
                    ),
                );
                continue;
            }
            if !has_tls {
                continue;
            }
            match labels {
                None => labels = Some((ingress, &ingress.meta.labels)),
                Some((owner, kept)) if kept != &ingress.meta.labels => {
                    let key = kept
                        .keys()
                        .chain(ingress.meta.labels.keys())
                        .find(|k| kept.get(*k) != ingress.meta.labels.get(*k))
                        .cloned()
                        .unwrap_or_default();
                    error(
                        ingress,
                        0,
                        format!(
                            "label {key} differs from {}'s; with --tls-in gateway the Certificates take Gateway {gateway_name}'s labels, so one Ingress's would be lost",
                            owner.reference()
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        let labels = labels.map_or(SortedMap::new(), |(_, l)| l.clone());
        (labels, first_annotations.clone())
    }

    /// A route's parentRefs, the Gateway listeners it attaches to and the listeners it
    /// misses.
    fn parent_refs(
        &self,
        route: &Route,
        index: &ListenerIndex<'_>,
        set_names: &BTreeMap<IngressId, String>,
    ) -> Parents {
        let mut attached = Vec::new();
        let mut set_attached = Vec::new();
        let mut missing = Vec::new();
        let Some(gateway) = self.gateways.get(route.gateway) else {
            return Parents::default();
        };
        let gateway_ref = |section: Option<String>, port: Option<i64>| ParentRef::Gateway {
            name: gateway.name.clone(),
            namespace: (gateway.namespace != route.namespace).then(|| gateway.namespace.clone()),
            section,
            port,
        };
        let mut refs: Vec<ParentRef> = Vec::new();
        for binding in &route.bindings {
            let wanted: Vec<(String, ListenerKind)> = match (&binding.section, binding.port) {
                (Some(section), _) => vec![section.clone()],
                (None, Some(80)) => vec![(route.host.clone(), ListenerKind::Http)],
                (None, Some(_)) => vec![(route.host.clone(), ListenerKind::Https)],
                (None, None) if route.kind == RouteKind::Tls => {
                    vec![(route.host.clone(), ListenerKind::TlsPassthrough)]
                }
                (None, None) => vec![
                    (route.host.clone(), ListenerKind::Http),
                    (route.host.clone(), ListenerKind::Https),
                ],
            };
            let optional_https = binding.section.is_none() && binding.port.is_none();
            if self.options.tls_in == TlsIn::Gateway {
                // ingress2gateway's parentRefs as they are; the listeners they reach admit
                // the route's namespace. A host served by a wildcard TLS entry has no HTTPS
                // listener of its own: the wildcard's serves it.
                let gateway_listener = |host: &str, kind: ListenerKind| {
                    Self::listener_for(Holder::Gateway(route.gateway), host, kind, index)
                        .map_or_else(
                            || self.listener_name(route.gateway, host, kind),
                            str::to_string,
                        )
                };
                for (host, kind) in &wanted {
                    let name = gateway_listener(host, *kind);
                    attached.push(((route.gateway, name), route.namespace.clone()));
                }
                let section = binding
                    .section
                    .as_ref()
                    .map(|(host, kind)| gateway_listener(host, *kind));
                refs.push(gateway_ref(section, binding.port));
                continue;
            }
            for (host, kind) in wanted {
                let holders = self.holders_of(route, &host, kind, index);
                if holders.is_empty() && !(optional_https && kind == ListenerKind::Https) {
                    let name = self.listener_name(route.gateway, &host, kind);
                    missing.push(Diagnostic::warning(
                        None,
                        format!(
                            "{} {}/{}: no listener {name} for host {host:?}; the route is not attached there",
                            route.kind.kind(),
                            route.namespace,
                            route.name
                        ),
                    ));
                }
                for (holder, name) in holders {
                    match holder {
                        Holder::ListenerSet(id) => {
                            let set_name = set_names.get(&id).cloned().unwrap_or_default();
                            let namespace = self
                                .ingresses
                                .get(id)
                                .map(|i| &i.meta.namespace)
                                .filter(|ns| **ns != route.namespace);
                            if namespace.is_some() {
                                set_attached.push(((id, name.clone()), route.namespace.clone()));
                            }
                            refs.push(self.listener_set_ref(&set_name, &name, namespace));
                        }
                        Holder::Gateway(g) => {
                            attached.push(((g, name.clone()), route.namespace.clone()));
                            refs.push(gateway_ref(Some(name), None));
                        }
                    }
                }
            }
        }
        // A route of many Ingresses sharing a TLS host has a parentRef for each: found
        // through a set, not by scanning those kept.
        let unique = first_of_each(refs);
        Parents {
            refs: exact(unique),
            attached,
            set_attached,
            missing,
        }
    }

    /// The objects carrying listener `(host, kind)` for a route, with the listener's name.
    /// Hostless listeners are the Gateway's (its `http` listener always exists). Otherwise the
    /// ListenerSets of the route's own Ingresses: every one for HTTPS (each Ingress with TLS
    /// for the host has its own listener, and whichever Gateway API accepts must carry the
    /// route), the first for the others; failing that, any ListenerSet of the route's namespace
    /// and Gateway. An HTTPS host without a listener of its own is served by the listener of a
    /// wildcard TLS entry covering it, found the same way.
    fn holders_of(
        &self,
        route: &Route,
        host: &str,
        kind: ListenerKind,
        index: &ListenerIndex<'_>,
    ) -> Vec<(Holder, String)> {
        if host.is_empty() {
            let gateway = Holder::Gateway(route.gateway);
            return match Self::listener_for(gateway, host, kind, index) {
                Some(name) => vec![(gateway, name.to_string())],
                None if kind == ListenerKind::Http => vec![(gateway, kind.suffix().to_string())],
                None => Vec::new(),
            };
        }
        let mut own: Vec<(Holder, String)> = route
            .ingresses
            .iter()
            .map(|id| Holder::ListenerSet(*id))
            .filter_map(|h| Some((h, Self::listener_for(h, host, kind, index)?.to_string())))
            .collect();
        if kind != ListenerKind::Https {
            own.truncate(1);
        }
        if !own.is_empty() {
            return own;
        }
        // The route's namespace first (its Gateway, then the ListenerSets in Ingress order);
        // then any ListenerSet of the Gateway, whose listener then admits the route's
        // namespace. When none is in the route's namespace, the first of the Gateway is in
        // another.
        let gateway = Holder::Gateway(route.gateway);
        let first_set = |in_namespace: bool| {
            let wildcard = covering_wildcard(host, kind);
            [Some(host), wildcard.as_deref()]
                .into_iter()
                .flatten()
                .filter_map(|listener_host| {
                    if in_namespace {
                        let key = (route.gateway, route.namespace.as_str(), kind, listener_host);
                        index.first_in_namespace.get(&key)
                    } else {
                        index
                            .first_on_gateway
                            .get(&(route.gateway, kind, listener_host))
                    }
                })
                .min()
                .map(|id| Holder::ListenerSet(*id))
        };
        let holder = if Self::listener_for(gateway, host, kind, index).is_some() {
            Some(gateway)
        } else {
            first_set(true).or_else(|| first_set(false))
        };
        holder
            .and_then(|h| Some((h, Self::listener_for(h, host, kind, index)?.to_string())))
            .into_iter()
            .collect()
    }

    /// The name of `holder`'s listener for `(host, kind)`: the host's own, else, for HTTPS,
    /// the one whose wildcard hostname covers it (Gateway API matches a route's hostname
    /// against a listener's wildcard).
    fn listener_for<'p>(
        holder: Holder,
        host: &str,
        kind: ListenerKind,
        index: &ListenerIndex<'p>,
    ) -> Option<&'p str> {
        let name = |host: &str| index.names.get(&(holder, kind, host)).copied();
        name(host).or_else(|| covering_wildcard(host, kind).as_deref().and_then(name))
    }

    /// The placed listeners indexed for routes, which look them up by holder and host.
    fn index<'p>(&self, placed: &'p Placements) -> ListenerIndex<'p>
    where
        'a: 'p,
    {
        let count: usize = placed.iter().map(|(_, listeners)| listeners.len()).sum();
        let mut index = ListenerIndex {
            names: HashMap::with_capacity_and_hasher(count, Default::default()),
            first_in_namespace: HashMap::with_capacity_and_hasher(count, Default::default()),
            first_on_gateway: HashMap::with_capacity_and_hasher(count, Default::default()),
        };
        for (holder, listeners) in placed.iter() {
            let set = match holder {
                Holder::ListenerSet(id) => self
                    .gateway_of
                    .get(id)
                    .copied()
                    .flatten()
                    .zip(self.ingresses.get(id))
                    .map(|(g, ingress)| (id, g, ingress.meta.namespace.as_str())),
                Holder::Gateway(_) => None,
            };
            for l in listeners {
                let host = l.host.as_str();
                index
                    .names
                    .entry((holder, l.kind, host))
                    .or_insert(l.name.as_str());
                if let Some((id, g, namespace)) = set {
                    // Holders come in order: the first kept is the first in that order.
                    index
                        .first_in_namespace
                        .entry((g, namespace, l.kind, host))
                        .or_insert(id);
                    index
                        .first_on_gateway
                        .entry((g, l.kind, host))
                        .or_insert(id);
                }
            }
        }
        index
    }

    /// A parentRef to ListenerSet `name` (in `namespace` when not the route's).
    fn listener_set_ref(&self, name: &str, section: &str, namespace: Option<&String>) -> ParentRef {
        let (group, kind) = match self.options.listenerset_api {
            ListenerSetApi::V1 => (GATEWAY_GROUP, "ListenerSet"),
            ListenerSetApi::V1Alpha1 => ("gateway.networking.x-k8s.io", "XListenerSet"),
        };
        ParentRef::ListenerSet {
            group,
            kind,
            name: name.to_string(),
            namespace: namespace.cloned(),
            section: section.to_string(),
        }
    }
}

/// `items` without repeats, each kept where it first appears: by comparing pairs when there
/// are few (a route has one or two parentRefs), through a set when there are many.
fn first_of_each<T: std::hash::Hash + Eq>(items: Vec<T>) -> Vec<T> {
    const PAIRWISE: usize = 8;
    if items.len() <= PAIRWISE {
        let mut unique: Vec<T> = Vec::with_capacity(items.len());
        for item in items {
            if !unique.contains(&item) {
                unique.push(item);
            }
        }
        return unique;
    }
    let first: Vec<bool> = {
        let mut seen: foldhash::HashSet<&T> = foldhash::HashSet::default();
        items.iter().map(|item| seen.insert(item)).collect()
    };
    items
        .into_iter()
        .zip(first)
        .filter_map(|(item, first)| first.then_some(item))
        .collect()
}

/// The placed listeners as routes look them up: each was a scan of every holder, or of a
/// shared Gateway's thousands of listeners, once per route.
#[derive(Default)]
struct ListenerIndex<'p> {
    /// The name of each holder's listener of a kind for a host (the first, as a scan finds).
    names: HashMap<(Holder, ListenerKind, &'p str), &'p str>,
    /// The first ListenerSet, in Ingress order, of a Gateway and namespace with a listener
    /// of a kind for a host.
    first_in_namespace: HashMap<(usize, &'p str, ListenerKind, &'p str), IngressId>,
    /// The same in any namespace.
    first_on_gateway: HashMap<(usize, ListenerKind, &'p str), IngressId>,
}

/// The hostname of the one HTTPS listener wildcard that covers `host` (`*.example.com` for
/// `a.example.com`: a wildcard stands for exactly one label, see
/// [`super::ingress::wildcard_covers`]), for HTTPS only.
fn covering_wildcard(host: &str, kind: ListenerKind) -> Option<String> {
    if kind != ListenerKind::Https {
        return None;
    }
    let (label, parent) = host.split_once('.')?;
    (!label.is_empty() && label != "*").then(|| format!("*.{parent}"))
}

/// What [`Layout::parent_refs`] finds for a route.
#[derive(Debug, Default)]
struct Parents {
    refs: Vec<ParentRef>,
    /// `((gateway, listener name), the route's namespace)` for each Gateway listener it
    /// attaches to.
    attached: Vec<((usize, String), String)>,
    /// `((ListenerSet's Ingress, listener name), the route's namespace)` for each listener of a
    /// ListenerSet in another namespace it attaches to.
    set_attached: Vec<((IngressId, String), String)>,
    /// Warnings for listeners it needs and no object carries.
    missing: Vec<Diagnostic>,
}

/// A route's parentRef until the route's tree is made: a few strings instead of a mapping.
#[derive(Debug, PartialEq, Eq, Hash)]
enum ParentRef {
    Gateway {
        name: String,
        /// None when it is the route's namespace.
        namespace: Option<String>,
        section: Option<String>,
        port: Option<i64>,
    },
    ListenerSet {
        group: &'static str,
        kind: &'static str,
        name: String,
        /// None when it is the route's namespace.
        namespace: Option<String>,
        section: String,
    },
}

impl ParentRef {
    fn value(&self) -> Value {
        match self {
            ParentRef::Gateway {
                name,
                namespace,
                section,
                port,
            } => map(vec![
                ("name", s(name)),
                ("namespace", objects::opt(namespace.as_deref())),
                ("sectionName", objects::opt(section.as_deref())),
                ("port", port.map_or(Value::Null, Value::Int)),
            ]),
            ParentRef::ListenerSet {
                group,
                kind,
                name,
                namespace,
                section,
            } => map(vec![
                ("group", s(group)),
                ("kind", s(kind)),
                ("namespace", objects::opt(namespace.as_deref())),
                ("name", s(name)),
                ("sectionName", s(section)),
            ]),
        }
    }
}

/// `items` in a list of exactly their number. Lists built by pushing have room for up to twice
/// their items (at least 4); the builders keep theirs until they run, all at once.
fn exact<T>(items: Vec<T>) -> Vec<T> {
    if items.capacity() == items.len() {
        return items;
    }
    let mut exact = Vec::with_capacity(items.len());
    exact.extend(items);
    exact
}

/// A placed listener on an object in `namespace`: Secrets elsewhere carry their namespace.
fn placed_value(l: &Placed, namespace: &str) -> Value {
    let secrets: Vec<(Option<&str>, &str)> = l
        .secrets
        .iter()
        .map(|(ns, name)| ((ns != namespace).then_some(ns.as_str()), name.as_str()))
        .collect();
    listener(&l.name, &l.host, l.kind.port(), l.kind.protocol(), &secrets)
}

/// A listener's `allowedRoutes` admitting routes of exactly `namespaces`.
fn allowed_routes(namespaces: &BTreeSet<String>) -> Value {
    map(vec![(
        "namespaces",
        namespace_selector("Selector", namespaces),
    )])
}

/// `{from: <from>}`, and for `Selector` the namespaces by their `kubernetes.io/metadata.name`.
fn namespace_selector(from: &str, namespaces: &BTreeSet<String>) -> Value {
    let selector = if from == "Selector" {
        map(vec![(
            "matchExpressions",
            seq(vec![map(vec![
                ("key", s("kubernetes.io/metadata.name")),
                ("operator", s("In")),
                (
                    "values",
                    Value::str_seq(&namespaces.iter().collect::<Vec<_>>()),
                ),
            ])]),
        )])
    } else {
        Value::Null
    };
    map(vec![("from", s(from)), ("selector", selector)])
}

#[cfg(test)]
mod tests {
    use super::first_of_each;

    proptest::proptest! {
        /// Below and above the pairwise bound, each item is kept where it first appears.
        #[test]
        fn first_of_each_keeps_first_appearances(items in proptest::collection::vec(0u8..6, 0..24)) {
            let mut expected = Vec::new();
            for item in &items {
                if !expected.contains(item) {
                    expected.push(*item);
                }
            }
            proptest::prop_assert_eq!(first_of_each(items), expected);
        }
    }
}
