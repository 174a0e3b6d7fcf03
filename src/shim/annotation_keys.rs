//! The annotation keys the shim reads (cert-manager `pkg/apis/certmanager/v1/types.go`,
//! `pkg/apis/acme/v1/types.go`).

/// Is `key` one of cert-manager's own (`cert-manager.io/*`, `acme.cert-manager.io/*`)?
pub fn is_cert_manager(key: &str) -> bool {
    key.starts_with("cert-manager.io/") || key.starts_with("acme.cert-manager.io/")
}

pub const ISSUER: &str = "cert-manager.io/issuer";
pub const CLUSTER_ISSUER: &str = "cert-manager.io/cluster-issuer";
pub const ISSUER_KIND: &str = "cert-manager.io/issuer-kind";
pub const ISSUER_GROUP: &str = "cert-manager.io/issuer-group";
pub const COMMON_NAME: &str = "cert-manager.io/common-name";
pub const ALT_NAMES: &str = "cert-manager.io/alt-names";
pub const IP_SANS: &str = "cert-manager.io/ip-sans";
pub const EMAIL_SANS: &str = "cert-manager.io/email-sans";
pub const SUBJECT_ORGANIZATIONS: &str = "cert-manager.io/subject-organizations";
pub const SUBJECT_ORGANIZATIONAL_UNITS: &str = "cert-manager.io/subject-organizationalunits";
pub const SUBJECT_COUNTRIES: &str = "cert-manager.io/subject-countries";
pub const SUBJECT_PROVINCES: &str = "cert-manager.io/subject-provinces";
pub const SUBJECT_LOCALITIES: &str = "cert-manager.io/subject-localities";
pub const SUBJECT_POSTAL_CODES: &str = "cert-manager.io/subject-postalcodes";
pub const SUBJECT_STREET_ADDRESSES: &str = "cert-manager.io/subject-streetaddresses";
pub const SUBJECT_SERIAL_NUMBER: &str = "cert-manager.io/subject-serialnumber";
pub const DURATION: &str = "cert-manager.io/duration";
pub const RENEW_BEFORE: &str = "cert-manager.io/renew-before";
pub const RENEW_BEFORE_PERCENTAGE: &str = "cert-manager.io/renew-before-percentage";
pub const USAGES: &str = "cert-manager.io/usages";
pub const REVISION_HISTORY_LIMIT: &str = "cert-manager.io/revision-history-limit";
pub const PRIVATE_KEY_ALGORITHM: &str = "cert-manager.io/private-key-algorithm";
pub const PRIVATE_KEY_ENCODING: &str = "cert-manager.io/private-key-encoding";
pub const PRIVATE_KEY_SIZE: &str = "cert-manager.io/private-key-size";
pub const PRIVATE_KEY_ROTATION_POLICY: &str = "cert-manager.io/private-key-rotation-policy";
pub const SECRET_TEMPLATE: &str = "cert-manager.io/secret-template";
pub const IGNORE_TLS_LISTENERS: &str = "cert-manager.io/ignore-tls-listeners";

pub const HTTP01_EDIT_IN_PLACE: &str = "acme.cert-manager.io/http01-edit-in-place";
pub const HTTP01_INGRESS_CLASS: &str = "acme.cert-manager.io/http01-ingress-class";
pub const HTTP01_INGRESS_INGRESSCLASSNAME: &str =
    "acme.cert-manager.io/http01-ingress-ingressclassname";
pub const HTTP01_PARENTREF_FALLBACK: &str = "acme.cert-manager.io/http01-parentreffallback";

pub const HTTP01_OVERRIDE_INGRESS_NAME: &str = "acme.cert-manager.io/http01-override-ingress-name";
pub const HTTP01_OVERRIDE_INGRESS_CLASS: &str =
    "acme.cert-manager.io/http01-override-ingress-class";
pub const HTTP01_OVERRIDE_INGRESS_INGRESSCLASSNAME: &str =
    "acme.cert-manager.io/http01-override-ingress-ingressclassname";
pub const HTTP01_PARENTREF_KIND: &str = "acme.cert-manager.io/http01-parentrefkind";
pub const HTTP01_PARENTREF_NAME: &str = "acme.cert-manager.io/http01-parentrefname";
pub const HTTP01_PARENTREF_NAMESPACE: &str = "acme.cert-manager.io/http01-parentrefnamespace";
pub const ISSUE_TEMPORARY_CERTIFICATE: &str = "cert-manager.io/issue-temporary-certificate";

/// Labels never copied to Certificates (`applyset.kubernetes.io/part-of`).
pub const APPLYSET_PART_OF: &str = "applyset.kubernetes.io/part-of";
