//! The annotation keys the shim reads (cert-manager `pkg/apis/certmanager/v1/types.go`,
//! `pkg/apis/acme/v1/types.go`), by release and kind, and the warning for a
//! `cert-manager.io/*` key it does not read (most often a typo, which cert-manager ignores
//! without a word).

use super::config::ShimConfig;
use super::version::CertManagerVersion;
use crate::diag::Diagnostic;
use crate::model::{Object, SourceKind};

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

/// The objects a known key is read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadOn {
    /// Ingresses, Gateways and ListenerSets.
    Every,
    /// Gateways and ListenerSets (`ignore-tls-listeners`).
    Listeners,
    /// ListenerSets (`http01-parentreffallback`).
    ListenerSets,
}

impl ReadOn {
    fn includes(self, kind: SourceKind) -> bool {
        match self {
            ReadOn::Every => true,
            ReadOn::Listeners => kind != SourceKind::Ingress,
            ReadOn::ListenerSets => kind.is_listener_set(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ReadOn::Every => "every object",
            ReadOn::Listeners => "Gateways and ListenerSets only",
            ReadOn::ListenerSets => "ListenerSets only",
        }
    }
}

/// Every `cert-manager.io/*` and `acme.cert-manager.io/*` key the shim reads on its source
/// objects, the first release that reads it and where (`cert-manager-versions.md` §1:
/// `translateAnnotations`, `setIssuerSpecificConfig`, the issuer selection and the listener
/// filter of `sync.go`). The Certificate-only keys it writes (`http01-override-*`,
/// `http01-parentref*` but the fallback, `issue-temporary-certificate`) are not read from the
/// source, and no release reads `uri-sans` or `issuer-name`.
const READ: &[(&str, CertManagerVersion, ReadOn)] = {
    use CertManagerVersion::{V1_17, V1_20, V1_21};
    &[
        (ISSUER, V1_17, ReadOn::Every),
        (CLUSTER_ISSUER, V1_17, ReadOn::Every),
        (ISSUER_KIND, V1_17, ReadOn::Every),
        (ISSUER_GROUP, V1_17, ReadOn::Every),
        (COMMON_NAME, V1_17, ReadOn::Every),
        (ALT_NAMES, V1_21, ReadOn::Every),
        (IP_SANS, V1_21, ReadOn::Every),
        (EMAIL_SANS, V1_17, ReadOn::Every),
        (SUBJECT_ORGANIZATIONS, V1_17, ReadOn::Every),
        (SUBJECT_ORGANIZATIONAL_UNITS, V1_17, ReadOn::Every),
        (SUBJECT_COUNTRIES, V1_17, ReadOn::Every),
        (SUBJECT_PROVINCES, V1_17, ReadOn::Every),
        (SUBJECT_LOCALITIES, V1_17, ReadOn::Every),
        (SUBJECT_POSTAL_CODES, V1_17, ReadOn::Every),
        (SUBJECT_STREET_ADDRESSES, V1_17, ReadOn::Every),
        (SUBJECT_SERIAL_NUMBER, V1_17, ReadOn::Every),
        (DURATION, V1_17, ReadOn::Every),
        (RENEW_BEFORE, V1_17, ReadOn::Every),
        (RENEW_BEFORE_PERCENTAGE, V1_17, ReadOn::Every),
        (USAGES, V1_17, ReadOn::Every),
        (REVISION_HISTORY_LIMIT, V1_17, ReadOn::Every),
        (PRIVATE_KEY_ALGORITHM, V1_17, ReadOn::Every),
        (PRIVATE_KEY_ENCODING, V1_17, ReadOn::Every),
        (PRIVATE_KEY_SIZE, V1_17, ReadOn::Every),
        (PRIVATE_KEY_ROTATION_POLICY, V1_17, ReadOn::Every),
        (SECRET_TEMPLATE, V1_17, ReadOn::Every),
        (IGNORE_TLS_LISTENERS, V1_21, ReadOn::Listeners),
        (HTTP01_EDIT_IN_PLACE, V1_17, ReadOn::Every),
        (HTTP01_INGRESS_CLASS, V1_17, ReadOn::Every),
        (HTTP01_INGRESS_INGRESSCLASSNAME, V1_20, ReadOn::Every),
        (HTTP01_PARENTREF_FALLBACK, V1_21, ReadOn::ListenerSets),
    ]
};

/// The part after the prefix: `cluster-issuer` of `cert-manager.io/cluster-issuer`.
fn name_of(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(_, name)| name)
}

/// The known key `key` was most likely meant to be: the closest name by edit distance
/// (transpositions count one), within a quarter of its length (at least one edit), the prefix
/// deciding ties; a name written under the other prefix counts as a match.
fn closest(key: &str) -> Option<&'static str> {
    let name = name_of(key).to_ascii_lowercase();
    let within = (name.chars().count() / 4).max(1);
    READ.iter()
        .map(|&(known, _, _)| {
            let distance = strsim::damerau_levenshtein(&name, name_of(known));
            (distance, strsim::damerau_levenshtein(key, known), known)
        })
        .filter(|&(distance, _, _)| distance <= within)
        .min()
        .map(|(_, _, known)| known)
}

/// One warning for each `cert-manager.io/*` or `acme.cert-manager.io/*` annotation of
/// `object` the shim of `config.version` does not read on an object of its kind, at the
/// annotation's line, with the key it most likely meant. Keys named in
/// `--extra-certificate-annotations` or `--auto-certificate-annotations` are read.
pub fn unread(object: &Object, config: &ShimConfig) -> Vec<Diagnostic> {
    let watched = match object.kind {
        SourceKind::Ingress => true,
        SourceKind::Gateway => config.gateway_api,
        SourceKind::ListenerSet | SourceKind::XListenerSet => {
            config.gateway_api && config.listener_sets && config.version.reads_listener_sets()
        }
    };
    if !watched {
        return Vec::new();
    }
    let configured = |k: &str| {
        config.extra_certificate_annotations.iter().any(|a| a == k)
            || config.auto_certificate_annotations.iter().any(|a| a == k)
    };
    let mut warnings = Vec::new();
    for (key, annotation) in object.meta.annotations.iter() {
        if !is_cert_manager(key) || configured(key) {
            continue;
        }
        let known = READ.iter().find(|(k, _, _)| k == key);
        let message = match known {
            Some(&(_, since, _)) if since > config.version => format!(
                "cert-manager {} does not read annotation {key:?} ({since} and later do); it is ignored",
                config.version
            ),
            Some(&(_, _, read_on)) if !read_on.includes(object.kind) => format!(
                "cert-manager reads annotation {key:?} on {} and ignores it on {} {}",
                read_on.describe(),
                article(object.kind),
                object.kind.kind()
            ),
            Some(_) => continue,
            None => match closest(key) {
                Some(meant) => format!(
                    "cert-manager does not read annotation {key:?}; did you mean {meant:?}?"
                ),
                None => format!("cert-manager does not read annotation {key:?}; it is ignored"),
            },
        };
        warnings.push(
            Diagnostic::warning(Some(object.location.at_line(annotation.line)), message)
                .about(&object.reference()),
        );
    }
    warnings
}

fn article(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Ingress => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_key_meant() {
        for (typed, meant) in [
            ("cert-manager.io/clusterissuer", CLUSTER_ISSUER),
            ("cert-manager.io/duraton", DURATION),
            ("cert-manager.io/Cluster-Issuer", CLUSTER_ISSUER),
            ("cert-manager.io/renewbefore", RENEW_BEFORE),
            ("cert-manager.io/commonname", COMMON_NAME),
            ("cert-manager.io/http01-edit-in-place", HTTP01_EDIT_IN_PLACE),
            ("acme.cert-manager.io/issuer", ISSUER),
            ("cert-manager.io/isuser", ISSUER),
        ] {
            assert_eq!(closest(typed), Some(meant), "{typed}");
        }
        // Too far from every key to guess: `issuer-name` is not `issuer-kind`.
        for typed in ["cert-manager.io/issuer-name", "cert-manager.io/uri-sans"] {
            assert_eq!(closest(typed), None, "{typed}");
        }
    }

    #[test]
    fn every_key_the_shim_reads_is_known_once() {
        for (i, (key, _, _)) in READ.iter().enumerate() {
            assert!(is_cert_manager(key), "{key}");
            assert!(!READ[..i].iter().any(|(k, _, _)| k == key), "{key} twice");
        }
    }
}
