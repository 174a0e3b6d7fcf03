//! agentgateway (`agentgateway.dev/v1alpha1`, the AgentgatewayPolicy CRD of v1.4.1 pinned in
//! `crds/agentgateway/`): ingress-nginx's IP lists (a `Require` authorization rule in CEL on
//! the client address), basic authentication (the same htpasswd Secret and key, and its
//! realm), `auth-url` (`extAuth` to the Service, at its path) and `proxy-body-size`
//! (`buffer.request.maxBytes`) as the `traffic` of one AgentgatewayPolicy per Ingress and
//! route kind (a policy targets one kind), targeting its routes or its rules by name. Request
//! rates stay refused: agentgateway's local rate limit counts per proxy, not per client
//! address.

use super::nginx_gateway_fabric::basic_secret;
use super::{Access, annotation, note, quantity, secret_reference, service_ref, target_refs};
use crate::convert::ingress::Ingress;
use crate::convert::layout::Make;
use crate::convert::names::NameRegistry;
use crate::convert::objects::{map, s, seq};
use crate::convert::plan::{Route, RouteKind};
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::source::tree::Value;

pub const API_VERSION: &str = "agentgateway.dev/v1alpha1";

/// Why the protecting annotation `name` is not translated.
pub fn why_not(name: &str) -> &'static str {
    super::access_why_not(
        name,
        "translates basic authentication only: auth-type basic with an htpasswd auth-file Secret in the Ingress's namespace (agentgateway reads no auth-map and has no digest authentication)",
        "does not translate request rates: agentgateway's local rate limit counts the requests of all clients on each proxy, not per client address, and its global rate limit needs a rate limit service",
        "does not translate limit-connections: agentgateway has no connection limit per client address",
    )
}

/// `cidr("10.0.0.0/8").containsIP(source.address) || ...`: the client address is in one of
/// the ranges.
fn any_of(ranges: &[String]) -> String {
    let each: Vec<String> = ranges
        .iter()
        .map(|r| format!("cidr(\"{r}\").containsIP(source.address)"))
        .collect();
    each.join(" || ")
}

/// `authorization` of the policy: one `Require` rule, all of whose expressions must hold (a
/// failing expression denies): the client address is in no denied range and, with an allow
/// list, in an allowed one, as ingress-nginx's `deny` lines, then `allow` lines and `deny all`.
fn authorization(access: &Access) -> Value {
    let mut expressions = Vec::new();
    // At most 16384 characters an expression: 200 ranges of at most 70.
    for chunk in access.deny.chunks(200) {
        expressions.push(s(&format!("!({})", any_of(chunk))));
    }
    if !access.allow.is_empty() {
        expressions.push(s(&any_of(&access.allow)));
    }
    if expressions.is_empty() {
        return Value::Null;
    }
    map(vec![
        ("action", s("Require")),
        ("policy", map(vec![("matchExpressions", seq(expressions))])),
    ])
}

/// A CEL string literal of `text`.
fn literal(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The `traffic` of the policy.
fn traffic(ingress: &Ingress, access: &Access) -> Value {
    let annotations = &ingress.meta.annotations;
    let basic = basic_secret(annotations, &ingress.meta.namespace).map_or(Value::Null, |secret| {
        let realm = annotation(annotations, "auth-realm").map(|v| v.value.trim());
        map(vec![
            (
                "secretRef",
                map(vec![("name", s(&secret)), ("key", s("auth"))]),
            ),
            (
                "realm",
                realm.filter(|r| !r.is_empty()).map_or(Value::Null, s),
            ),
        ])
    });
    let external = access
        .external
        .as_ref()
        .map_or(Value::Null, |(service, headers)| {
            let response = if headers.is_empty() {
                Value::Null
            } else {
                seq(headers.iter().map(|h| s(h)).collect())
            };
            map(vec![
                ("backendRef", service_ref(service)),
                (
                    "http",
                    map(vec![
                        ("path", s(&literal(&service.path))),
                        ("allowedResponseHeaders", response),
                    ]),
                ),
            ])
        });
    let buffer = access.limit().map_or(Value::Null, |bytes| {
        map(vec![(
            "request",
            map(vec![("maxBytes", s(&quantity(bytes)))]),
        )])
    });
    map(vec![
        ("authorization", authorization(access)),
        ("basicAuthentication", basic),
        ("extAuth", external),
        ("buffer", buffer),
    ])
}

/// The AgentgatewayPolicies of the Ingresses whose routes are in `routes`.
pub fn emit(
    ingresses: &[Ingress],
    routes: &mut [Route],
    names: &mut NameRegistry,
) -> (Vec<Make>, Vec<Diagnostic>) {
    let field = (
        "agentgateway",
        "AgentgatewayPolicy traffic.buffer.request.maxBytes",
    );
    let read = |ingress: &Ingress| {
        let mut access = Access::read(ingress);
        // Its secretRef names no other namespace.
        if basic_secret(&ingress.meta.annotations, &ingress.meta.namespace).is_none() {
            access.basic = None;
        }
        access
    };
    let (accesses, mut diagnostics) = super::accesses(ingresses, routes, field, read);
    let mut makes: Vec<Make> = Vec::new();
    for (ingress, access, targets) in accesses {
        let namespace = ingress.meta.namespace.clone();
        let mut policies = Vec::new();
        // One policy per route kind: an AgentgatewayPolicy targets one kind.
        for kind in [RouteKind::Http, RouteKind::Grpc] {
            let mine: Vec<_> = targets.iter().filter(|t| t.0 == kind).cloned().collect();
            if mine.is_empty() {
                continue;
            }
            let wanted = if policies.is_empty() {
                ingress.meta.name.clone()
            } else {
                format!("{}-grpc", ingress.meta.name)
            };
            let name = names.claim("AgentgatewayPolicy", &namespace, &wanted);
            let spec = map(vec![
                ("targetRefs", target_refs(&mine)),
                ("traffic", traffic(ingress, &access)),
            ]);
            policies.push(name.clone());
            let ns = namespace.clone();
            let source = ingress.location.clone();
            makes.push(Box::new(move || {
                super::object(API_VERSION, "AgentgatewayPolicy", &name, &ns, spec, source)
            }));
        }
        if let Some(first) = policies.first() {
            diagnostics.extend(warnings(ingress, &access, first));
        }
    }
    (makes, diagnostics)
}

/// What changes on the way to agentgateway, said where the annotation is.
fn warnings(ingress: &Ingress, access: &Access, policy: &str) -> Vec<Diagnostic> {
    let namespace = &ingress.meta.namespace;
    let mut found = Vec::new();
    let what =
        format!("AgentgatewayPolicy {namespace}/{policy} traffic.authorization on source.address");
    found.extend(super::lists_note(ingress, access, &what, "agentgateway checks the address of the connection's peer (or of its PROXY protocol header), not the one ingress-nginx's real-ip settings gave"));
    if let Some(basic) = &access.basic {
        let secret = secret_reference(ingress, basic);
        found.push(note(ingress, "auth-secret", format!("annotation {PREFIX}auth-secret is translated as AgentgatewayPolicy {namespace}/{policy} traffic.basicAuthentication with key \"auth\" of Secret {secret}, the htpasswd file ingress-nginx read")));
    }
    if let Some((service, _)) = &access.external {
        found.push(note(ingress, "auth-url", format!("annotation {PREFIX}auth-url is translated as AgentgatewayPolicy {namespace}/{policy} traffic.extAuth to Service {}:{} path {}: agentgateway sends the auth service only the Authorization header where ingress-nginx sent every request header: list any other header it reads (Cookie for oauth2-proxy) in spec.traffic.extAuth.http.allowedRequestHeaders", service.name, service.port, service.path)));
        if !service.namespace.is_empty() && service.namespace != *namespace {
            found.push(note(ingress, "auth-url", format!("Service {}.{} is in another namespace: agentgateway calls it only with a ReferenceGrant in namespace {} from AgentgatewayPolicy in {namespace}", service.name, service.namespace, service.namespace)));
        }
    }
    if let Some(bytes) = access.limit() {
        found.push(note(ingress, "proxy-body-size", format!("annotation {PREFIX}proxy-body-size is translated as AgentgatewayPolicy {namespace}/{policy} traffic.buffer.request.maxBytes {}: agentgateway buffers each request body in memory up to the limit before forwarding it, where nginx spooled large bodies to disk", quantity(bytes))));
    }
    found
}
