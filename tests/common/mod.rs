//! Helpers shared by the integration tests: the fixture cases, schema validation of lsc's
//! output.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod normalize;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use jsonschema::paths::{LazyLocation, Location};
use jsonschema::{Keyword, ValidationError};
use lsc::emit::json::to_serde;
use lsc::source::tree::Node;
use lsc::source::yaml::{Limits, parse_documents};
use serde_json::Value;

fn certificate_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/schemas/certificate.cert-manager.io.v1.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).expect("the Certificate schema compiles")
    })
}

/// Every Certificate in a YAML stream validates against cert-manager's CRD schema; returns how
/// many were checked.
pub fn assert_certificates_valid(yaml: &str, context: &str) -> usize {
    let (docs, err) = parse_documents(yaml, &Limits::default());
    assert!(
        err.is_none(),
        "{context}: output is not valid YAML: {err:?}"
    );
    let mut checked = 0;
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let json = to_serde(&root.value);
        if json.get("kind").and_then(|k| k.as_str()) != Some("Certificate") {
            continue;
        }
        let mut errors: Vec<String> = certificate_schema()
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        // The pinned cert-manager CRD (crds/cert-manager/), checked as the API server would.
        let refused = lsc::crd::validate(
            "cert-manager.io/v1",
            "Certificate",
            &root,
            lsc::crd::Release::default(),
            lsc::crd::Channel::Standard,
        )
        .expect("the embedded CRDs serve cert-manager.io/v1 Certificate");
        errors.extend(refused.into_iter().map(|v| v.message));
        assert!(
            errors.is_empty(),
            "{context}: Certificate fails the schema: {errors:?}\n{json:#}"
        );
        checked += 1;
    }
    checked
}

/// The Gateway API kinds [`assert_gateway_api_valid`] checks, and the schema in
/// `tests/data/schemas/` for each apiVersion lsc may write them in.
const GATEWAY_API_SCHEMAS: &[(&str, &str, &str)] = &[
    (
        "gateway.networking.k8s.io/v1",
        "Gateway",
        "gateway.gateway.networking.k8s.io.v1.json",
    ),
    (
        "gateway.networking.k8s.io/v1",
        "ListenerSet",
        "listenerset.gateway.networking.k8s.io.v1.json",
    ),
    (
        "gateway.networking.x-k8s.io/v1alpha1",
        "XListenerSet",
        "xlistenerset.gateway.networking.x-k8s.io.v1alpha1.json",
    ),
    (
        "gateway.networking.k8s.io/v1",
        "HTTPRoute",
        "httproute.gateway.networking.k8s.io.v1.json",
    ),
    (
        "gateway.networking.k8s.io/v1",
        "BackendTLSPolicy",
        "backendtlspolicy.gateway.networking.k8s.io.v1.json",
    ),
    (
        "gateway.networking.k8s.io/v1",
        "ReferenceGrant",
        "referencegrant.gateway.networking.k8s.io.v1.json",
    ),
    (
        "gateway.networking.k8s.io/v1beta1",
        "ReferenceGrant",
        "referencegrant.gateway.networking.k8s.io.v1beta1.json",
    ),
];

type SchemaKey = (&'static str, &'static str);

/// The compiled Gateway API schemas by (apiVersion, kind), with `x-kubernetes-list-type`
/// checked as `shared/schemas/validate.py` does.
fn gateway_api_schemas() -> &'static HashMap<SchemaKey, jsonschema::Validator> {
    static SCHEMAS: OnceLock<HashMap<SchemaKey, jsonschema::Validator>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        GATEWAY_API_SCHEMAS
            .iter()
            .map(|&(api_version, kind, file)| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/data/schemas")
                    .join(file);
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                let schema: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
                let validator = jsonschema::options()
                    .with_keyword("x-kubernetes-list-type", list_type_keyword)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("compiling {}: {e}", path.display()));
                ((api_version, kind), validator)
            })
            .collect()
    })
}

/// `x-kubernetes-list-type`: a `set` holds no item twice, a `map` no two items with the same
/// `x-kubernetes-list-map-keys` (an absent key read through its default).
enum ListType {
    Atomic,
    Set,
    Map {
        keys: Vec<String>,
        defaults: Vec<Option<Value>>,
    },
}

fn list_type_keyword<'a>(
    parent: &'a serde_json::Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn Keyword>, ValidationError<'a>> {
    let list_type = match value.as_str() {
        Some("set") => ListType::Set,
        Some("map") => {
            let keys: Vec<String> = parent
                .get("x-kubernetes-list-map-keys")
                .and_then(Value::as_array)
                .map(|keys| {
                    keys.iter()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let properties = parent
                .get("items")
                .and_then(|items| items.get("properties"));
            let defaults = keys
                .iter()
                .map(|k| {
                    properties
                        .and_then(|p| p.get(k))
                        .and_then(|p| p.get("default"))
                        .cloned()
                })
                .collect();
            ListType::Map { keys, defaults }
        }
        _ => ListType::Atomic,
    };
    Ok(Box::new(list_type))
}

impl ListType {
    /// The index and message of the first duplicate in a list.
    fn first_duplicate(&self, items: &[Value]) -> Option<(usize, String)> {
        match self {
            ListType::Atomic => None,
            ListType::Set => items.iter().enumerate().find_map(|(i, item)| {
                items[..i]
                    .contains(item)
                    .then(|| (i, format!("duplicate entry {item} in a list of type set")))
            }),
            ListType::Map { keys, defaults } => {
                let key_of = |item: &Value| -> Option<Vec<Option<Value>>> {
                    let object = item.as_object()?;
                    Some(
                        keys.iter()
                            .zip(defaults)
                            .map(|(k, d)| object.get(k).cloned().or_else(|| d.clone()))
                            .collect(),
                    )
                };
                let item_keys: Vec<_> = items.iter().map(key_of).collect();
                item_keys.iter().enumerate().find_map(|(i, key)| {
                    let key = key.as_ref()?;
                    let first = item_keys[..i]
                        .iter()
                        .position(|k| k.as_ref() == Some(key))?;
                    let shown: Vec<String> = keys
                        .iter()
                        .zip(key)
                        .map(|(k, v)| format!("{k}={}", v.as_ref().unwrap_or(&Value::Null)))
                        .collect();
                    Some((
                        i,
                        format!(
                            "duplicate entry for key ({}); first at index {first}",
                            shown.join(", ")
                        ),
                    ))
                })
            }
        }
    }
}

impl Keyword for ListType {
    fn validate<'i>(
        &self,
        instance: &'i Value,
        location: &LazyLocation,
    ) -> Result<(), ValidationError<'i>> {
        let Some(items) = instance.as_array() else {
            return Ok(());
        };
        match self.first_duplicate(items) {
            None => Ok(()),
            Some((i, message)) => Err(ValidationError::custom(
                Location::new(),
                (&location.push(i)).into(),
                &items[i],
                message,
            )),
        }
    }

    fn is_valid(&self, instance: &Value) -> bool {
        instance
            .as_array()
            .is_none_or(|items| self.first_duplicate(items).is_none())
    }
}

/// Every Gateway, ListenerSet, XListenerSet, HTTPRoute, BackendTLSPolicy and ReferenceGrant in a YAML stream
/// validates against its Gateway API CRD schema and breaks none of the CEL rules
/// [`lsc::cel::violations`] checks; returns how many objects were checked. Other kinds
/// (TLSRoute, GRPCRoute, Certificate, Service, ...) are skipped.
pub fn assert_gateway_api_valid(yaml: &str, context: &str) -> usize {
    let (docs, err) = parse_documents(yaml, &Limits::default());
    assert!(
        err.is_none(),
        "{context}: output is not valid YAML: {err:?}"
    );
    let mut checked = 0;
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let Some(map) = root.as_map() else { continue };
        let json = to_serde(&root.value);
        let kind = json.get("kind").and_then(Value::as_str).unwrap_or_default();
        if assert_implementation_valid(&root, &json, context) {
            checked += 1;
            continue;
        }
        if !GATEWAY_API_SCHEMAS.iter().any(|&(_, k, _)| k == kind) {
            continue;
        }
        let api_version = json
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = json
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("<unnamed>");
        let schemas = gateway_api_schemas();
        let Some(schema) = GATEWAY_API_SCHEMAS
            .iter()
            .find(|&&(v, k, _)| v == api_version && k == kind)
            .and_then(|&(v, k, _)| schemas.get(&(v, k)))
        else {
            panic!(
                "{context}: {kind} {name} has apiVersion {api_version:?}, which has no schema in tests/data/schemas\n{json:#}"
            );
        };
        let mut errors: Vec<String> = schema
            .iter_errors(&json)
            .map(|e| format!("schema: {e} at {}", e.instance_path))
            .collect();
        errors.extend(
            lsc::cel::violations(api_version, kind, map)
                .into_iter()
                .map(|v| format!("rule: {v}")),
        );
        assert!(
            errors.is_empty(),
            "{context}: {kind} {name} ({api_version}) is not valid:\n  - {}\n{json:#}",
            errors.join("\n  - ")
        );
        checked += 1;
    }
    checked
}

/// An implementation object `--emitter` writes (Envoy Gateway's, NGINX Gateway Fabric's) is
/// valid against its pinned CRD (`crds/<implementation>/`): the CRD's OpenAPI schema by the
/// `jsonschema` crate, and its CEL rules and unknown fields by `lsc::crd`. False for other
/// objects.
fn assert_implementation_valid(root: &Node, json: &Value, context: &str) -> bool {
    const PINNED: &[(&str, &str)] = &[
        ("gateway.envoyproxy.io/", "crds/envoy-gateway/v1.9.0"),
        ("gateway.nginx.org/", "crds/nginx-gateway-fabric/v2.6.7"),
        ("gateway.kgateway.dev/", "crds/kgateway/v2.3.3"),
        ("agentgateway.dev/", "crds/agentgateway/v1.4.1"),
        ("networking.gke.io/", "crds/gke-gateway-api/v1.4.0"),
    ];
    static SCHEMAS: OnceLock<HashMap<String, jsonschema::Validator>> = OnceLock::new();
    let api_version = json
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !PINNED
        .iter()
        .any(|(group, _)| api_version.starts_with(group))
    {
        return false;
    }
    let schemas = SCHEMAS.get_or_init(|| {
        let mut schemas = HashMap::new();
        for (group, dir) in PINNED {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let (docs, _) = parse_documents(&text, &Limits::default());
                let crd = to_serde(&docs[0].root.as_ref().unwrap().value);
                let kind = crd.pointer("/spec/names/kind").unwrap().as_str().unwrap();
                let schema = crd
                    .pointer("/spec/versions/0/schema/openAPIV3Schema")
                    .unwrap();
                let validator = jsonschema::options()
                    .with_keyword("x-kubernetes-list-type", list_type_keyword)
                    .build(schema)
                    .unwrap();
                schemas.insert(format!("{group}{kind}"), validator);
            }
        }
        schemas
    });
    let kind = json.get("kind").and_then(Value::as_str).unwrap_or_default();
    let name = json
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("<unnamed>");
    let group = api_version.split('/').next().unwrap_or_default();
    let Some(schema) = schemas.get(&format!("{group}/{kind}")) else {
        panic!("{context}: {kind} {name} ({api_version}) has no pinned CRD in crds/");
    };
    let mut errors: Vec<String> = schema
        .iter_errors(json)
        .map(|e| format!("schema: {e} at {}", e.instance_path))
        .collect();
    let violations = lsc::crd::validate(
        api_version,
        kind,
        root,
        lsc::crd::Release::V1_6,
        lsc::crd::Channel::Standard,
    )
    .unwrap_or_else(|| panic!("{context}: lsc::crd serves no {api_version} {kind}"));
    errors.extend(
        violations
            .into_iter()
            .map(|v| format!("crd: {}", v.message)),
    );
    assert!(
        errors.is_empty(),
        "{context}: {kind} {name} ({api_version}) is not valid:\n  - {}\n{json:#}",
        errors.join("\n  - ")
    );
    true
}

/// A `lsc check --format sarif` log validates against the SARIF 2.1.0 schema, formats
/// checked (`artifactLocation.uri` is a `uri-reference`, as GitHub code scanning and the
/// SARIF validators require). The schema says draft-04, which has no `uri-reference`
/// format (a validator ignores it there); it is read as draft 7, the first draft defining
/// every format it uses, and it holds no keyword whose meaning differs between the two.
pub fn assert_sarif_valid(text: &str, context: &str) {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = SCHEMA.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schemas/sarif-2.1.0.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .build(&schema)
            .expect("the SARIF schema compiles")
    });
    let log: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{context}: SARIF output is not JSON: {e}\n{text}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{context}: SARIF fails its schema: {errors:?}"
    );
}

/// The cases of a fixture area (`tests/fixtures/<area>/<case>/input.yaml`), in name order.
pub fn fixture_cases(area: &str) -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(area);
    let mut cases: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.yaml").exists())
        .collect();
    cases.sort();
    cases
}

/// The lsc binary under test, killed after a minute (long enough for a debug build on a busy
/// machine), so a run that blocks fails the test instead of hanging it.
pub fn lsc() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("lsc").unwrap();
    cmd.timeout(std::time::Duration::from_secs(60));
    cmd
}

/// An Ingress of class nginx with one TLS host, `host`, whose Certificate cert-manager's
/// `letsencrypt` ClusterIssuer signs: `metadata` lines (each indented two spaces, ending in a
/// line break) go after its namespace.
pub fn tls_ingress_with(namespace: &str, name: &str, host: &str, metadata: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {namespace}
{metadata}  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts: [{host}]
    secretName: {name}-tls
  rules:
  - host: {host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              number: 80
"
    )
}

/// [`tls_ingress_with`] without more metadata.
pub fn tls_ingress(namespace: &str, name: &str, host: &str) -> String {
    tls_ingress_with(namespace, name, host, "")
}
