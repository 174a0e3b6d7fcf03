//! The `cert-manager.io/v1` Certificate the shim builds, and its document form in the field
//! order Go serialises (`pkg/apis/certmanager/v1/types_certificate.go`).

use crate::emit::Fields;
use crate::emit::yaml::BlockWriter;
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

fn push_str(fields: &mut impl Fields, key: &str, value: &str) {
    if !value.is_empty() {
        fields.str(key, value);
    }
}

fn push_list(fields: &mut impl Fields, key: &str, items: &[String]) {
    if !items.is_empty() {
        fields.strs(key, items);
    }
}

fn push_string_map(fields: &mut impl Fields, key: &str, items: &SortedMap<String>) {
    if !items.is_empty() {
        fields.map(key, |inner| {
            for (k, v) in items {
                inner.str(k, v);
            }
        });
    }
}

impl Certificate {
    /// The document form, fields in Go's order, empty ones omitted.
    pub fn to_node(&self) -> Node {
        let mut root = Map::default();
        self.fields(&mut root);
        Node::new(Value::Map(root))
    }

    /// Writes the document form as YAML (no `---` line): the text of [`Self::to_node`]'s tree.
    pub fn write_yaml(&self, out: &mut String) {
        self.fields(&mut BlockWriter::document(out));
    }

    fn fields(&self, root: &mut impl Fields) {
        root.str("apiVersion", CERTIFICATE_API);
        root.str("kind", "Certificate");
        root.map("metadata", |metadata| {
            metadata.str("name", &self.name);
            metadata.str("namespace", &self.namespace);
            push_string_map(metadata, "labels", &self.labels);
            push_string_map(metadata, "annotations", &self.annotations);
            if let Some(owner) = &self.owner {
                metadata.one_map_list("ownerReferences", |reference| {
                    reference.str("apiVersion", &owner.api_version);
                    reference.str("kind", &owner.kind);
                    reference.str("name", &owner.name);
                    reference.str("uid", &owner.uid);
                    reference.bool("controller", true);
                    reference.bool("blockOwnerDeletion", true);
                });
            }
        });
        root.map("spec", |spec| self.spec_fields(spec));
    }

    fn spec_fields(&self, spec: &mut impl Fields) {
        let s = &self.spec;
        if let Some(subject) = &s.subject {
            spec.map("subject", |m| {
                push_list(m, "organizations", &subject.organizations);
                push_list(m, "countries", &subject.countries);
                push_list(m, "organizationalUnits", &subject.organizational_units);
                push_list(m, "localities", &subject.localities);
                push_list(m, "provinces", &subject.provinces);
                push_list(m, "streetAddresses", &subject.street_addresses);
                push_list(m, "postalCodes", &subject.postal_codes);
                push_str(m, "serialNumber", &subject.serial_number);
            });
        }
        push_str(spec, "commonName", &s.common_name);
        if let Some(d) = s.duration {
            spec.str("duration", &d.to_string());
        }
        if let Some(d) = s.renew_before {
            spec.str("renewBefore", &d.to_string());
        }
        if let Some(p) = s.renew_before_percentage {
            spec.int("renewBeforePercentage", p);
        }
        push_list(spec, "dnsNames", &s.dns_names);
        push_list(spec, "ipAddresses", &s.ip_addresses);
        push_list(spec, "emailAddresses", &s.email_addresses);
        spec.str("secretName", &s.secret_name);
        if let Some(t) = &s.secret_template {
            spec.map("secretTemplate", |m| {
                push_string_map(m, "annotations", &t.annotations);
                push_string_map(m, "labels", &t.labels);
            });
        }
        spec.map("issuerRef", |issuer| {
            issuer.str("name", &s.issuer_ref.name);
            push_str(issuer, "kind", &s.issuer_ref.kind);
            push_str(issuer, "group", &s.issuer_ref.group);
        });
        push_list(spec, "usages", &s.usages);
        if let Some(k) = &s.private_key {
            spec.map("privateKey", |m| {
                push_str(m, "rotationPolicy", &k.rotation_policy);
                push_str(m, "encoding", &k.encoding);
                push_str(m, "algorithm", &k.algorithm);
                if k.size != 0 {
                    m.int("size", k.size);
                }
            });
        }
        if let Some(limit) = s.revision_history_limit {
            spec.int("revisionHistoryLimit", limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::yaml::write_document;
    use proptest::prelude::*;

    /// Strings that take every path of the YAML writer: plain, quoted, literal blocks, keys
    /// too long for the implicit form.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("true".to_string()),
            Just("a: b".to_string()),
            Just("- x".to_string()),
            Just("line one\nline two\n".to_string()),
            Just(" leading\nspace".to_string()),
            Just("tab\there".to_string()),
            Just("k".repeat(1100)),
            "[a-z0-9.-]{1,12}",
            "\\PC{0,8}",
        ]
    }

    fn texts() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(text(), 0..3)
    }

    fn string_map() -> impl Strategy<Value = SortedMap<String>> {
        prop::collection::vec((text(), text()), 0..3).prop_map(|pairs| pairs.into_iter().collect())
    }

    fn subject() -> impl Strategy<Value = Option<Subject>> {
        prop::option::of(
            (texts(), texts(), texts(), text()).prop_map(|(o, c, u, serial)| Subject {
                organizations: o,
                countries: c,
                organizational_units: u.clone(),
                localities: u.clone(),
                provinces: u.clone(),
                street_addresses: u.clone(),
                postal_codes: u,
                serial_number: serial,
            }),
        )
    }

    fn certificate() -> impl Strategy<Value = Certificate> {
        let meta = (
            text(),
            text(),
            string_map(),
            string_map(),
            prop::option::of((text(), text(), text(), text())),
        );
        let spec = (
            subject(),
            text(),
            prop::option::of(0u64..1_000_000),
            prop::option::of(-5i64..200),
            (texts(), texts(), texts(), text()),
            prop::option::of((string_map(), string_map())),
            (text(), text(), text()),
            texts(),
            prop::option::of((text(), text(), text(), -1i64..5000)),
            prop::option::of(0i64..20),
        );
        (meta, spec).prop_map(|(meta, spec)| {
            let (name, namespace, labels, annotations, owner) = meta;
            let (
                subject,
                common_name,
                seconds,
                percentage,
                lists,
                template,
                issuer,
                usages,
                key,
                limit,
            ) = spec;
            let duration =
                seconds.and_then(|s| crate::golang::duration::parse(&format!("{s}s")).ok());
            Certificate {
                name,
                namespace,
                labels,
                annotations,
                owner: owner.map(|(api_version, kind, name, uid)| OwnerReference {
                    api_version,
                    kind,
                    name,
                    uid,
                }),
                spec: CertificateSpec {
                    subject,
                    common_name,
                    duration,
                    renew_before: duration,
                    renew_before_percentage: percentage,
                    dns_names: lists.0,
                    ip_addresses: lists.1,
                    email_addresses: lists.2,
                    secret_name: lists.3,
                    secret_template: template.map(|(annotations, labels)| SecretTemplate {
                        annotations,
                        labels,
                    }),
                    issuer_ref: IssuerRef {
                        name: issuer.0,
                        kind: issuer.1,
                        group: issuer.2,
                    },
                    usages,
                    private_key: key.map(|(rotation_policy, encoding, algorithm, size)| {
                        PrivateKey {
                            rotation_policy,
                            encoding,
                            algorithm,
                            size,
                        }
                    }),
                    revision_history_limit: limit,
                },
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The YAML written without a tree is the text of the tree.
        #[test]
        fn yaml_written_directly_is_the_trees_text(certificate in certificate()) {
            let mut from_tree = String::new();
            write_document(&mut from_tree, &certificate.to_node());
            let mut direct = String::new();
            certificate.write_yaml(&mut direct);
            prop_assert_eq!(direct, from_tree);
        }
    }

    #[test]
    fn an_empty_subject_and_owner_are_written_as_empty_mappings() {
        let mut certificate = Certificate {
            name: "web".to_string(),
            namespace: "shop".to_string(),
            labels: SortedMap::new(),
            annotations: SortedMap::new(),
            owner: None,
            spec: CertificateSpec {
                subject: Some(Subject::default()),
                secret_template: Some(SecretTemplate::default()),
                ..CertificateSpec::default()
            },
        };
        let mut direct = String::new();
        certificate.write_yaml(&mut direct);
        assert!(direct.contains("\n  subject: {}\n"), "{direct}");
        assert!(direct.contains("\n  secretTemplate: {}\n"), "{direct}");
        certificate.spec.subject = None;
        let mut from_tree = String::new();
        write_document(&mut from_tree, &certificate.to_node());
        direct.clear();
        certificate.write_yaml(&mut direct);
        assert_eq!(direct, from_tree);
    }
}
