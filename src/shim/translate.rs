//! Annotations → Certificate spec fields (cert-manager `helper.go` `translateAnnotations`, master),
//! in cert-manager's order; the first invalid annotation stops the object.

use std::net::IpAddr;

use super::annotation_keys as key;
use super::certificate::{CertificateSpec, PrivateKey, SecretTemplate, Subject};
use super::provenance::{Annotations, Source};
use super::version::CertManagerVersion;
use crate::golang::{self, csv, duration, mail, strconv};
use crate::model::fields::SortedMap;

/// An invalid annotation: its key, the line to point at, and cert-manager's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationError {
    pub key: String,
    pub line: u32,
    pub message: String,
}

/// Key usages cert-manager accepts (`pkg/api/util` KeyUsageType / ExtKeyUsageType).
const USAGES: &[&str] = &[
    "signing",
    "digital signature",
    "content commitment",
    "key encipherment",
    "key agreement",
    "data encipherment",
    "cert sign",
    "crl sign",
    "encipher only",
    "decipher only",
    "any",
    "server auth",
    "client auth",
    "code signing",
    "email protection",
    "s/mime",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "timestamping",
    "ocsp signing",
    "microsoft sgc",
    "netscape sgc",
];

/// Applies the annotations to `spec` as cert-manager `version` does, recording which annotation
/// set each field in `fields`. Before master, the shim does not validate common-name, ip-sans,
/// email-sans, duration and renew-before: the Certificate is built and cert-manager's webhook
/// refuses it, which [`webhook_refusal`] reports.
pub fn translate_annotations<'a>(
    spec: &mut CertificateSpec,
    annotations: &Annotations<'a>,
    fields: &mut Vec<(&'static str, Source<'a>)>,
    version: CertManagerVersion,
) -> Result<(), AnnotationError> {
    apply_annotations(spec, annotations, fields, version)?;
    if version.is_master() {
        return Ok(());
    }
    match webhook_refusal(spec) {
        None => Ok(()),
        Some((annotation, message)) => Err(AnnotationError {
            key: annotation.to_string(),
            line: annotations.get(annotation).map_or(0, |a| a.line),
            message: format!(
                "cert-manager {version}'s webhook refuses the Certificate this object asks for (admission webhook \"webhook.cert-manager.io\" denied the request: {message}); the shim of master refuses the annotation itself"
            ),
        }),
    }
}

/// The checks of cert-manager's webhook (`internal/apis/certmanager/validation/certificate.go`)
/// that master's shim makes on the annotations themselves: the first annotation at fault and the
/// webhook's aggregated field errors.
fn webhook_refusal(spec: &CertificateSpec) -> Option<(&'static str, String)> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if spec.common_name.len() > 64 {
        errors.push((
            key::COMMON_NAME,
            "spec.commonName: Too long: may not be more than 64 bytes".to_string(),
        ));
    }
    for (i, ip) in spec.ip_addresses.iter().enumerate() {
        if ip.parse::<IpAddr>().is_err() {
            errors.push((
                key::IP_SANS,
                format!(
                    "spec.ipAddresses[{i}]: Invalid value: {}: invalid IP address",
                    golang::quote(ip)
                ),
            ));
        }
    }
    for (i, address) in spec.email_addresses.iter().enumerate() {
        let detail = match mail::classify(address.trim_start_matches([' ', '\t'])) {
            mail::EmailForm::Bare if !address.starts_with([' ', '\t']) => continue,
            // Go's `mail.ParseAddress` skips leading space, so the address differs from the value.
            mail::EmailForm::Bare | mail::EmailForm::WithDisplayName => {
                "make sure the supplied value only contains the email address itself".to_string()
            }
            mail::EmailForm::Invalid if address.trim().is_empty() => "mail: no address".to_string(),
            mail::EmailForm::Invalid if !address.contains('@') => {
                "mail: missing @ in addr-spec".to_string()
            }
            mail::EmailForm::Invalid => "mail: invalid address".to_string(),
        };
        errors.push((
            key::EMAIL_SANS,
            format!(
                "spec.emailAddresses[{i}]: Invalid value: {}: invalid email address: {detail}",
                golang::quote(address)
            ),
        ));
    }
    if let Some(d) = spec.duration.filter(|d| *d < duration::Duration::HOUR) {
        errors.push((
            key::DURATION,
            format!("spec.duration: Invalid value: {d}: certificate duration must be greater than 1h0m0s"),
        ));
    }
    if let Some(d) = spec
        .renew_before
        .filter(|d| *d < duration::Duration::FIVE_MINUTES)
    {
        errors.push((
            key::RENEW_BEFORE,
            format!("spec.renewBefore: Invalid value: {d}: certificate renewBefore must be greater than 5m0s"),
        ));
    }
    let (first, _) = errors.first()?;
    let messages: Vec<String> = errors.iter().map(|(_, m)| m.clone()).collect();
    Some((first, crate::shim::aggregate(&messages)))
}

fn apply_annotations<'a>(
    spec: &mut CertificateSpec,
    annotations: &Annotations<'a>,
    fields: &mut Vec<(&'static str, Source<'a>)>,
    version: CertManagerVersion,
) -> Result<(), AnnotationError> {
    let master = version.is_master();
    let fail = |k: &str, detail: String| AnnotationError {
        key: k.to_string(),
        line: annotations.get(k).map_or(0, |a| a.line),
        message: format!("invalid ingress annotation {}: {detail}", golang::quote(k)),
    };
    let mut record = |field: &'static str, k: &'static str| {
        if let Some(a) = annotations.get(k) {
            fields.push((field, a.source(k)));
        }
    };

    if let Some(cn) = annotations.value(key::COMMON_NAME) {
        if master && cn.len() > 64 {
            return Err(fail(
                key::COMMON_NAME,
                "common name may not be more than 64 bytes".to_string(),
            ));
        }
        spec.common_name = cn.to_string();
        record("spec.commonName", key::COMMON_NAME);
    }

    // alt-names and ip-sans are read from v1.21 (PR #8927); master trims and checks ip-sans.
    let from_1_21 = |v: &&str| !v.is_empty() && version.is_at_least_1_21();
    if let Some(alt) = annotations.value(key::ALT_NAMES).filter(from_1_21) {
        spec.dns_names.extend(alt.split(',').map(str::to_string));
        record("spec.dnsNames", key::ALT_NAMES);
    }

    if let Some(ips) = annotations.value(key::IP_SANS).filter(from_1_21) {
        for item in ips.split(',') {
            let item = if master { item.trim() } else { item };
            if master && item.parse::<IpAddr>().is_err() {
                return Err(fail(
                    key::IP_SANS,
                    format!("{} is not a valid IP address", golang::quote(item)),
                ));
            }
            spec.ip_addresses.push(item.to_string());
        }
        record("spec.ipAddresses", key::IP_SANS);
    }

    // Before master: a plain split, so an empty value gives one empty address.
    if let Some(emails) = annotations.value(key::EMAIL_SANS).filter(|_| !master) {
        spec.email_addresses = emails.split(',').map(str::to_string).collect();
        record("spec.emailAddresses", key::EMAIL_SANS);
    }
    if let Some(emails) = annotations
        .value(key::EMAIL_SANS)
        .filter(|v| master && !v.is_empty())
    {
        let mut addresses = Vec::new();
        for item in emails.split(',') {
            let item = item.trim();
            match mail::classify(item) {
                mail::EmailForm::Bare => addresses.push(item.to_string()),
                mail::EmailForm::WithDisplayName => {
                    return Err(fail(
                        key::EMAIL_SANS,
                        format!(
                            "{} must only contain the email address itself",
                            golang::quote(item)
                        ),
                    ));
                }
                mail::EmailForm::Invalid => {
                    return Err(fail(
                        key::EMAIL_SANS,
                        format!("{} is not a valid email address", golang::quote(item)),
                    ));
                }
            }
        }
        spec.email_addresses = addresses;
        record("spec.emailAddresses", key::EMAIL_SANS);
    }

    let mut subject = Subject::default();
    // cert-manager names subject-organizations in the organizationalunits error too.
    let csv_fields: [(&str, &str, &'static str); 7] = [
        (
            key::SUBJECT_ORGANIZATIONS,
            key::SUBJECT_ORGANIZATIONS,
            "spec.subject.organizations",
        ),
        (
            key::SUBJECT_ORGANIZATIONAL_UNITS,
            key::SUBJECT_ORGANIZATIONS,
            "spec.subject.organizationalUnits",
        ),
        (
            key::SUBJECT_COUNTRIES,
            key::SUBJECT_COUNTRIES,
            "spec.subject.countries",
        ),
        (
            key::SUBJECT_PROVINCES,
            key::SUBJECT_PROVINCES,
            "spec.subject.provinces",
        ),
        (
            key::SUBJECT_LOCALITIES,
            key::SUBJECT_LOCALITIES,
            "spec.subject.localities",
        ),
        (
            key::SUBJECT_POSTAL_CODES,
            key::SUBJECT_POSTAL_CODES,
            "spec.subject.postalCodes",
        ),
        (
            key::SUBJECT_STREET_ADDRESSES,
            key::SUBJECT_STREET_ADDRESSES,
            "spec.subject.streetAddresses",
        ),
    ];
    for (annotation, named_in_error, field) in csv_fields {
        let Some(value) = annotations.value(annotation) else {
            continue;
        };
        let values = split_with_escape_csv(value).map_err(|detail| AnnotationError {
            line: annotations.get(annotation).map_or(0, |a| a.line),
            ..fail(named_in_error, detail)
        })?;
        let target = match annotation {
            key::SUBJECT_ORGANIZATIONS => &mut subject.organizations,
            key::SUBJECT_ORGANIZATIONAL_UNITS => &mut subject.organizational_units,
            key::SUBJECT_COUNTRIES => &mut subject.countries,
            key::SUBJECT_PROVINCES => &mut subject.provinces,
            key::SUBJECT_LOCALITIES => &mut subject.localities,
            key::SUBJECT_POSTAL_CODES => &mut subject.postal_codes,
            _ => &mut subject.street_addresses,
        };
        *target = values;
        record(field, annotation);
    }
    if let Some(serial) = annotations.value(key::SUBJECT_SERIAL_NUMBER) {
        subject.serial_number = serial.to_string();
        record("spec.subject.serialNumber", key::SUBJECT_SERIAL_NUMBER);
    }
    if !subject.is_empty() {
        spec.subject = Some(subject);
    }

    if let Some(value) = annotations.value(key::DURATION) {
        let d = duration::parse(value).map_err(|e| fail(key::DURATION, e))?;
        if master && d < duration::Duration::HOUR {
            return Err(fail(
                key::DURATION,
                "duration must be greater than or equal to 1h0m0s".to_string(),
            ));
        }
        spec.duration = Some(d);
        record("spec.duration", key::DURATION);
    }

    if let Some(value) = annotations.value(key::RENEW_BEFORE) {
        let d = duration::parse(value).map_err(|e| fail(key::RENEW_BEFORE, e))?;
        if master && d < duration::Duration::FIVE_MINUTES {
            return Err(fail(
                key::RENEW_BEFORE,
                "renewBefore must be greater than or equal to 5m0s".to_string(),
            ));
        }
        spec.renew_before = Some(d);
        record("spec.renewBefore", key::RENEW_BEFORE);
    }

    if let Some(value) = annotations.value(key::RENEW_BEFORE_PERCENTAGE) {
        let p = strconv::parse_int(value, 32).map_err(|e| fail(key::RENEW_BEFORE_PERCENTAGE, e))?;
        spec.renew_before_percentage = Some(p);
        record("spec.renewBeforePercentage", key::RENEW_BEFORE_PERCENTAGE);
    }

    if let Some(value) = annotations.value(key::USAGES) {
        let mut usages = Vec::new();
        for item in value.split(',') {
            let usage = item.trim_matches(' ');
            if !USAGES.contains(&usage) {
                return Err(fail(
                    key::USAGES,
                    format!("invalid key usage name {}", golang::quote(item)),
                ));
            }
            usages.push(usage.to_string());
        }
        spec.usages = usages;
        record("spec.usages", key::USAGES);
    }

    if let Some(value) = annotations.value(key::REVISION_HISTORY_LIMIT) {
        let limit =
            strconv::parse_int(value, 32).map_err(|e| fail(key::REVISION_HISTORY_LIMIT, e))?;
        if limit < 1 {
            return Err(fail(
                key::REVISION_HISTORY_LIMIT,
                format!(
                    "revision history limit must be a positive number {}",
                    golang::quote(value)
                ),
            ));
        }
        spec.revision_history_limit = Some(limit);
        record("spec.revisionHistoryLimit", key::REVISION_HISTORY_LIMIT);
    }

    if let Some(value) = annotations.value(key::PRIVATE_KEY_ALGORITHM) {
        if !matches!(value, "RSA" | "ECDSA" | "Ed25519") {
            return Err(fail(
                key::PRIVATE_KEY_ALGORITHM,
                format!("invalid private key algorithm {}", golang::quote(value)),
            ));
        }
        spec.private_key
            .get_or_insert_with(PrivateKey::default)
            .algorithm = value.to_string();
        record("spec.privateKey.algorithm", key::PRIVATE_KEY_ALGORITHM);
    }

    if let Some(value) = annotations.value(key::PRIVATE_KEY_ENCODING) {
        if !matches!(value, "PKCS1" | "PKCS8") {
            return Err(fail(
                key::PRIVATE_KEY_ENCODING,
                format!("invalid private key encoding {}", golang::quote(value)),
            ));
        }
        spec.private_key
            .get_or_insert_with(PrivateKey::default)
            .encoding = value.to_string();
        record("spec.privateKey.encoding", key::PRIVATE_KEY_ENCODING);
    }

    if let Some(value) = annotations.value(key::PRIVATE_KEY_SIZE) {
        let size = strconv::atoi(value).map_err(|e| fail(key::PRIVATE_KEY_SIZE, e))?;
        let algorithm = spec
            .private_key
            .as_ref()
            .map(|k| k.algorithm.as_str())
            .filter(|a| !a.is_empty())
            .unwrap_or("RSA");
        let valid = match algorithm {
            "RSA" => (2048..=8192).contains(&size),
            "ECDSA" => matches!(size, 256 | 384 | 521),
            _ => true,
        };
        if !valid {
            return Err(fail(
                key::PRIVATE_KEY_SIZE,
                format!(
                    "invalid private key size for {algorithm} algorithm {}",
                    golang::quote(value)
                ),
            ));
        }
        spec.private_key
            .get_or_insert_with(PrivateKey::default)
            .size = size;
        record("spec.privateKey.size", key::PRIVATE_KEY_SIZE);
    }

    if let Some(value) = annotations.value(key::PRIVATE_KEY_ROTATION_POLICY) {
        if !matches!(value, "Never" | "Always") {
            return Err(fail(
                key::PRIVATE_KEY_ROTATION_POLICY,
                format!(
                    "invalid private key rotation policy {}",
                    golang::quote(value)
                ),
            ));
        }
        spec.private_key
            .get_or_insert_with(PrivateKey::default)
            .rotation_policy = value.to_string();
        record(
            "spec.privateKey.rotationPolicy",
            key::PRIVATE_KEY_ROTATION_POLICY,
        );
    }

    if let Some(value) = annotations.value(key::SECRET_TEMPLATE) {
        let template = parse_secret_template(value).map_err(|e| {
            fail(
                key::SECRET_TEMPLATE,
                format!("error parsing secret template JSON: {e}"),
            )
        })?;
        if let Some(bad) = template
            .annotations
            .keys()
            .find(|k| k.starts_with("cert-manager.io/"))
        {
            return Err(fail(
                key::SECRET_TEMPLATE,
                format!(
                    "secretTemplate must not have cert-manager.io/ annotations: {}",
                    golang::quote(bad)
                ),
            ));
        }
        if !template.annotations.is_empty() || !template.labels.is_empty() {
            spec.secret_template = Some(template);
            record("spec.secretTemplate", key::SECRET_TEMPLATE);
        }
    }
    Ok(())
}

/// cert-manager's `SplitWithEscapeCSV`: exactly one CSV record.
fn split_with_escape_csv(value: &str) -> Result<Vec<String>, String> {
    let mut records = csv::read_all(value)
        .map_err(|e| format!("failed to parse {} as CSV: {e}", golang::quote(value)))?;
    match records.len() {
        0 => Err(format!(
            "no values found after parsing {}",
            golang::quote(value)
        )),
        1 => Ok(records.pop().unwrap_or_default()),
        _ => Err(format!(
            "refusing to use {} as input as it parses as multiple lines of CSV",
            golang::quote(value)
        )),
    }
}

/// Decodes the first JSON value as Go's `json.Decoder` with `DisallowUnknownFields` would into
/// `CertificateSecretTemplate` (field names matched case-insensitively, as Go does).
fn parse_secret_template(text: &str) -> Result<SecretTemplate, String> {
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err("EOF".to_string());
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let value = match stream.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Err(go_json_syntax_error(text, &e)),
        None => return Err("EOF".to_string()),
    };
    let object = match value {
        serde_json::Value::Null => return Ok(SecretTemplate::default()),
        serde_json::Value::Object(o) => o,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type v1.CertificateSecretTemplate",
                json_type(&other)
            ));
        }
    };
    let mut template = SecretTemplate::default();
    for (field, value) in object {
        let (target, name) = if field.eq_ignore_ascii_case("annotations") {
            (&mut template.annotations, "annotations")
        } else if field.eq_ignore_ascii_case("labels") {
            (&mut template.labels, "labels")
        } else {
            return Err(format!("json: unknown field {}", golang::quote(&field)));
        };
        *target = string_map(value, name)?;
    }
    Ok(template)
}

fn string_map(value: serde_json::Value, field: &str) -> Result<SortedMap<String>, String> {
    match value {
        serde_json::Value::Null => Ok(SortedMap::new()),
        serde_json::Value::Object(o) => o
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => Ok((k, s)),
                other => Err(format!(
                    "json: cannot unmarshal {} into Go struct field CertificateSecretTemplate.{field} of type string",
                    json_type(&other)
                )),
            })
            .collect(),
        other => Err(format!(
            "json: cannot unmarshal {} into Go struct field CertificateSecretTemplate.{field} of type map[string]string",
            json_type(&other)
        )),
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Go's wording for the common JSON syntax errors; other cases keep serde_json's description.
fn go_json_syntax_error(text: &str, e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "unexpected EOF".to_string();
    }
    let first = text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .chars()
        .next();
    match first {
        Some(c) if !matches!(c, '{' | '[' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n') => {
            format!(
                "invalid character {} looking for beginning of value",
                go_char(c)
            )
        }
        _ => format!("invalid JSON: {e}"),
    }
}

fn go_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        c => format!("'{c}'"),
    }
}
