//! The `cert-manager.io/v1` Certificate the shim builds, and its document form in the field
//! order Go serialises (`pkg/apis/certmanager/v1/types_certificate.go`).

use crate::golang::duration::Duration;
use crate::model::CERTIFICATE_API;
use crate::model::fields::SortedMap;
use crate::source::tree::{Map, Node, Value};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssuerRef {
    pub name: String,
    pub kind: String,
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    pub organizations: Vec<String>,
    pub countries: Vec<String>,
    pub organizational_units: Vec<String>,
    pub localities: Vec<String>,
    pub provinces: Vec<String>,
    pub street_addresses: Vec<String>,
    pub postal_codes: Vec<String>,
    pub serial_number: String,
}

impl Subject {
    pub fn is_empty(&self) -> bool {
        *self == Subject::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrivateKey {
    pub rotation_policy: String,
    pub encoding: String,
    pub algorithm: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretTemplate {
    pub annotations: SortedMap<String>,
    pub labels: SortedMap<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertificateSpec {
    pub subject: Option<Subject>,
    pub common_name: String,
    pub duration: Option<Duration>,
    pub renew_before: Option<Duration>,
    pub renew_before_percentage: Option<i64>,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    pub email_addresses: Vec<String>,
    pub secret_name: String,
    pub secret_template: Option<SecretTemplate>,
    pub issuer_ref: IssuerRef,
    pub usages: Vec<String>,
    pub private_key: Option<PrivateKey>,
    pub revision_history_limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub name: String,
    pub namespace: String,
    pub labels: SortedMap<String>,
    pub annotations: SortedMap<String>,
    pub owner: Option<OwnerReference>,
    pub spec: CertificateSpec,
}

fn push_str(map: &mut Map, key: &str, value: &str) {
    if !value.is_empty() {
        map.push(key, Value::str(value));
    }
}

fn push_list(map: &mut Map, key: &str, items: &[String]) {
    if !items.is_empty() {
        map.push(key, Value::str_seq(items));
    }
}

fn push_string_map(map: &mut Map, key: &str, items: &SortedMap<String>) {
    if !items.is_empty() {
        let mut inner = Map::default();
        for (k, v) in items {
            inner.push(k, Value::str(v));
        }
        map.push(key, Value::Map(inner));
    }
}

impl Certificate {
    /// The document form, fields in Go's order, empty ones omitted.
    pub fn to_node(&self) -> Node {
        let mut metadata = Map::default();
        metadata.push("name", Value::str(&self.name));
        metadata.push("namespace", Value::str(&self.namespace));
        push_string_map(&mut metadata, "labels", &self.labels);
        push_string_map(&mut metadata, "annotations", &self.annotations);
        if let Some(owner) = &self.owner {
            let mut reference = Map::default();
            reference.push("apiVersion", Value::str(&owner.api_version));
            reference.push("kind", Value::str(&owner.kind));
            reference.push("name", Value::str(&owner.name));
            reference.push("uid", Value::str(&owner.uid));
            reference.push("controller", Value::Bool(true));
            reference.push("blockOwnerDeletion", Value::Bool(true));
            metadata.push(
                "ownerReferences",
                Value::Seq(vec![Node::new(Value::Map(reference))]),
            );
        }

        let s = &self.spec;
        let mut spec = Map::default();
        if let Some(subject) = &s.subject {
            let mut m = Map::default();
            push_list(&mut m, "organizations", &subject.organizations);
            push_list(&mut m, "countries", &subject.countries);
            push_list(&mut m, "organizationalUnits", &subject.organizational_units);
            push_list(&mut m, "localities", &subject.localities);
            push_list(&mut m, "provinces", &subject.provinces);
            push_list(&mut m, "streetAddresses", &subject.street_addresses);
            push_list(&mut m, "postalCodes", &subject.postal_codes);
            push_str(&mut m, "serialNumber", &subject.serial_number);
            spec.push("subject", Value::Map(m));
        }
        push_str(&mut spec, "commonName", &s.common_name);
        if let Some(d) = s.duration {
            spec.push("duration", Value::str(d.to_string()));
        }
        if let Some(d) = s.renew_before {
            spec.push("renewBefore", Value::str(d.to_string()));
        }
        if let Some(p) = s.renew_before_percentage {
            spec.push("renewBeforePercentage", Value::Int(p));
        }
        push_list(&mut spec, "dnsNames", &s.dns_names);
        push_list(&mut spec, "ipAddresses", &s.ip_addresses);
        push_list(&mut spec, "emailAddresses", &s.email_addresses);
        spec.push("secretName", Value::str(&s.secret_name));
        if let Some(t) = &s.secret_template {
            let mut m = Map::default();
            push_string_map(&mut m, "annotations", &t.annotations);
            push_string_map(&mut m, "labels", &t.labels);
            spec.push("secretTemplate", Value::Map(m));
        }
        let mut issuer = Map::default();
        issuer.push("name", Value::str(&s.issuer_ref.name));
        push_str(&mut issuer, "kind", &s.issuer_ref.kind);
        push_str(&mut issuer, "group", &s.issuer_ref.group);
        spec.push("issuerRef", Value::Map(issuer));
        push_list(&mut spec, "usages", &s.usages);
        if let Some(k) = &s.private_key {
            let mut m = Map::default();
            push_str(&mut m, "rotationPolicy", &k.rotation_policy);
            push_str(&mut m, "encoding", &k.encoding);
            push_str(&mut m, "algorithm", &k.algorithm);
            if k.size != 0 {
                m.push("size", Value::Int(k.size));
            }
            spec.push("privateKey", Value::Map(m));
        }
        if let Some(limit) = s.revision_history_limit {
            spec.push("revisionHistoryLimit", Value::Int(limit));
        }

        let mut root = Map::default();
        root.push("apiVersion", Value::str(CERTIFICATE_API));
        root.push("kind", Value::str("Certificate"));
        root.push("metadata", Value::Map(metadata));
        root.push("spec", Value::Map(spec));
        Node::new(Value::Map(root))
    }
}
