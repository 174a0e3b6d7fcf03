//! Gateway API objects as document trees, fields in the order of the Go types
//! (`sigs.k8s.io/gateway-api/apis/v1`), ready for the YAML and JSON writers.

use super::plan::{Cors, Filter, HeaderChanges, Redirect, RouteKind, RouteMatch, Rule};
use crate::model::fields::SortedMap;
use crate::source::tree::{Map, Node, Value};

pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
pub const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";

/// Builds a mapping from `(key, value)` pairs, skipping `Null` values.
pub fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Map {
        entries: Vec::with_capacity(entries.len()),
    };
    for (k, v) in entries {
        if !matches!(v, Value::Null) {
            m.push(k, v);
        }
    }
    Value::Map(m)
}

pub fn seq(items: Vec<Value>) -> Value {
    Value::Seq(items.into_iter().map(Node::new).collect())
}

pub fn s(text: &str) -> Value {
    Value::str(text)
}

pub fn opt(text: Option<&str>) -> Value {
    text.map_or(Value::Null, Value::str)
}

/// `text`, or nothing (`Null`, left out of a mapping) when it is empty.
pub fn non_empty(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        s(text)
    }
}

/// `metadata` with name, namespace ("" leaves it out), labels and annotations.
pub fn metadata(
    name: &str,
    namespace: &str,
    labels: &SortedMap<String>,
    annotations: &SortedMap<String>,
) -> Value {
    let string_map = |m: &SortedMap<String>| {
        if m.is_empty() {
            Value::Null
        } else {
            map(m.iter().map(|(k, v)| (k.as_str(), s(v))).collect())
        }
    };
    map(vec![
        ("name", s(name)),
        ("namespace", non_empty(namespace)),
        ("labels", string_map(labels)),
        ("annotations", string_map(annotations)),
    ])
}

pub fn object(api_version: &str, kind: &str, metadata: Value, spec: Value) -> Node {
    Node::new(map(vec![
        ("apiVersion", s(api_version)),
        ("kind", s(kind)),
        ("metadata", metadata),
        ("spec", spec),
    ]))
}

/// A listener: `tls` for HTTPS (Terminate with the Secrets, `(namespace if another, name)`)
/// and TLS (Passthrough).
pub fn listener(
    name: &str,
    host: &str,
    port: i64,
    protocol: &str,
    secrets: &[(Option<&str>, &str)],
) -> Value {
    let tls = match protocol {
        "HTTPS" => map(vec![
            ("mode", s("Terminate")),
            (
                "certificateRefs",
                seq(secrets
                    .iter()
                    .map(|(namespace, secret)| {
                        map(vec![
                            ("group", s("")),
                            ("kind", s("Secret")),
                            ("name", s(secret)),
                            ("namespace", opt(*namespace)),
                        ])
                    })
                    .collect()),
            ),
        ]),
        "TLS" => map(vec![("mode", s("Passthrough"))]),
        _ => Value::Null,
    };
    map(vec![
        ("name", s(name)),
        (
            "hostname",
            if host.is_empty() {
                Value::Null
            } else {
                s(host)
            },
        ),
        ("port", Value::Int(port)),
        ("protocol", s(protocol)),
        ("tls", tls),
    ])
}

/// A route's `spec` from its parentRefs, hostnames and rules.
pub fn route_spec(
    kind: RouteKind,
    parent_refs: Vec<Value>,
    hostnames: &[String],
    rules: &[Rule],
) -> Value {
    map(vec![
        ("parentRefs", seq(parent_refs)),
        (
            "hostnames",
            if hostnames.is_empty() {
                Value::Null
            } else {
                Value::str_seq(hostnames)
            },
        ),
        (
            "rules",
            if rules.is_empty() {
                Value::Null
            } else {
                seq(rules.iter().map(|r| rule(kind, r)).collect())
            },
        ),
    ])
}

fn rule(kind: RouteKind, rule: &Rule) -> Value {
    let matches: Vec<Value> = rule
        .matches
        .iter()
        .filter_map(|m| route_match(kind, m))
        .collect();
    let backends: Vec<Value> = rule
        .backends
        .iter()
        .map(|b| {
            let (group, kind) = match &b.target.resource {
                Some((group, kind)) => (s(group), s(kind)),
                None => (Value::Null, Value::Null),
            };
            map(vec![
                ("group", group),
                ("kind", kind),
                ("name", s(&b.target.name)),
                ("port", b.target.port.map_or(Value::Null, Value::Int)),
                ("weight", b.weight.map_or(Value::Null, Value::Int)),
            ])
        })
        .collect();
    map(vec![
        ("name", rule.name.as_deref().map_or(Value::Null, s)),
        (
            "matches",
            if matches.is_empty() {
                Value::Null
            } else {
                seq(matches)
            },
        ),
        (
            "filters",
            if rule.filters.is_empty() {
                Value::Null
            } else {
                seq(rule.filters.iter().map(filter).collect())
            },
        ),
        (
            "backendRefs",
            if backends.is_empty() {
                Value::Null
            } else {
                seq(backends)
            },
        ),
        (
            "timeouts",
            rule.request_timeout
                .as_deref()
                .map_or(Value::Null, |t| map(vec![("request", s(t))])),
        ),
    ])
}

fn route_match(kind: RouteKind, m: &RouteMatch) -> Option<Value> {
    let headers = if m.headers.is_empty() {
        Value::Null
    } else {
        seq(m
            .headers
            .iter()
            .map(|(name, value)| {
                map(vec![
                    ("type", s("Exact")),
                    ("name", s(name)),
                    ("value", s(value)),
                ])
            })
            .collect())
    };
    let value = match kind {
        RouteKind::Grpc => {
            let method = m.method.as_ref().map_or(Value::Null, |(service, method)| {
                map(vec![
                    ("type", s("Exact")),
                    (
                        "service",
                        if service.is_empty() {
                            Value::Null
                        } else {
                            s(service)
                        },
                    ),
                    (
                        "method",
                        if method.is_empty() {
                            Value::Null
                        } else {
                            s(method)
                        },
                    ),
                ])
            });
            map(vec![("method", method), ("headers", headers)])
        }
        _ => map(vec![
            (
                "path",
                m.path.as_ref().map_or(Value::Null, |p| {
                    map(vec![("type", s(p.kind.as_str())), ("value", s(&p.value))])
                }),
            ),
            ("headers", headers),
            ("method", m.http_method.as_deref().map_or(Value::Null, s)),
        ]),
    };
    (value != Value::Map(Map::default())).then_some(value)
}

fn filter(f: &Filter) -> Value {
    match f {
        Filter::RequestRedirect(r) => map(vec![
            ("type", s("RequestRedirect")),
            ("requestRedirect", redirect(r)),
        ]),
        Filter::RewriteFullPath(path) => map(vec![
            ("type", s("URLRewrite")),
            (
                "urlRewrite",
                map(vec![(
                    "path",
                    map(vec![
                        ("type", s("ReplaceFullPath")),
                        ("replaceFullPath", s(path)),
                    ]),
                )]),
            ),
        ]),
        Filter::RewritePrefix(prefix) => map(vec![
            ("type", s("URLRewrite")),
            (
                "urlRewrite",
                map(vec![(
                    "path",
                    map(vec![
                        ("type", s("ReplacePrefixMatch")),
                        ("replacePrefixMatch", s(prefix)),
                    ]),
                )]),
            ),
        ]),
        Filter::RequestHeaders(changes) => map(vec![
            ("type", s("RequestHeaderModifier")),
            ("requestHeaderModifier", header_changes(changes)),
        ]),
        Filter::ResponseHeaders(changes) => map(vec![
            ("type", s("ResponseHeaderModifier")),
            ("responseHeaderModifier", header_changes(changes)),
        ]),
        Filter::Cors(c) => map(vec![("type", s("CORS")), ("cors", cors(c))]),
        Filter::ExtensionRef { group, kind, name } => map(vec![
            ("type", s("ExtensionRef")),
            (
                "extensionRef",
                map(vec![
                    ("group", s(group)),
                    ("kind", s(kind)),
                    ("name", s(name)),
                ]),
            ),
        ]),
        Filter::SetHeaders(set) => map(vec![
            ("type", s("RequestHeaderModifier")),
            (
                "requestHeaderModifier",
                map(vec![(
                    "set",
                    seq(set
                        .iter()
                        .map(|(name, value)| map(vec![("name", s(name)), ("value", s(value))]))
                        .collect()),
                )]),
            ),
        ]),
    }
}

/// An `HTTPHeaderFilter`: `set` then `remove`, each left out when empty.
fn header_changes(changes: &HeaderChanges) -> Value {
    let set = if changes.set.is_empty() {
        Value::Null
    } else {
        seq(changes
            .set
            .iter()
            .map(|(name, value)| map(vec![("name", s(name)), ("value", s(value))]))
            .collect())
    };
    let remove = if changes.remove.is_empty() {
        Value::Null
    } else {
        Value::str_seq(&changes.remove)
    };
    map(vec![("set", set), ("remove", remove)])
}

/// Fields in the order of `HTTPCORSFilter` (`apis/v1/httproute_types.go`).
fn cors(c: &Cors) -> Value {
    let list = |items: &[String]| {
        if items.is_empty() {
            Value::Null
        } else {
            Value::str_seq(items)
        }
    };
    map(vec![
        ("allowOrigins", list(&c.allow_origins)),
        (
            "allowCredentials",
            c.allow_credentials.map_or(Value::Null, Value::Bool),
        ),
        ("allowMethods", list(&c.allow_methods)),
        ("allowHeaders", list(&c.allow_headers)),
        ("exposeHeaders", list(&c.expose_headers)),
        ("maxAge", c.max_age.map_or(Value::Null, Value::Int)),
    ])
}

fn redirect(r: &Redirect) -> Value {
    map(vec![
        ("scheme", opt(r.scheme.as_deref())),
        ("hostname", opt(r.hostname.as_deref())),
        (
            "path",
            r.full_path.as_deref().map_or(Value::Null, |p| {
                map(vec![
                    ("type", s("ReplaceFullPath")),
                    ("replaceFullPath", s(p)),
                ])
            }),
        ),
        ("port", r.port.map_or(Value::Null, Value::Int)),
        ("statusCode", r.status.map_or(Value::Null, Value::Int)),
    ])
}

/// Sorting rank of the kinds lsc writes: Gateways first, then what attaches to them.
pub fn kind_rank(kind: &str) -> u8 {
    match kind {
        "Gateway" => 0,
        "ListenerSet" | "XListenerSet" => 1,
        "HTTPRoute" => 2,
        "GRPCRoute" => 3,
        "TLSRoute" => 4,
        "ReferenceGrant" => 5,
        _ => 6,
    }
}
