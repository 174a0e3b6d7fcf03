//! cert-manager's `ControllerConfiguration` file (`controller.config.cert-manager.io/v1alpha1`)
//! and `--feature-gates`, read into the shim's settings.

use crate::diag::Diagnostic;
use crate::model::fields;
use crate::shim::config::ShimConfig;
use crate::shim::version::CertManagerVersion;
use crate::source::tree::{Map, Value};
use crate::source::{self, InputSource, Limits};

mod schema;

pub const API_VERSION: &str = "controller.config.cert-manager.io/v1alpha1";

/// cert-manager controller gates that do not change what the shim does, with the release that
/// introduced each: accepted and ignored (`internal/controller/feature/features.go`, plus
/// Kubernetes' `AllAlpha`/`AllBeta`). `XListenerSets` is in no release: only v1.20.0-alpha.1
/// had it.
const OTHER_CERT_MANAGER_GATES: &[(&str, CertManagerVersion)] = &[
    (
        "DisallowInsecureCSRUsageDefinition",
        CertManagerVersion::V1_17,
    ),
    ("StableCertificateRequestName", CertManagerVersion::V1_17),
    ("SecretsFilteredCaching", CertManagerVersion::V1_17),
    ("ValidateCAA", CertManagerVersion::V1_17),
    (
        "ExperimentalCertificateSigningRequestControllers",
        CertManagerVersion::V1_17,
    ),
    (
        "AdditionalCertificateOutputFormats",
        CertManagerVersion::V1_17,
    ),
    ("LiteralCertificateSubject", CertManagerVersion::V1_17),
    (
        "UseCertificateRequestBasicConstraints",
        CertManagerVersion::V1_17,
    ),
    ("NameConstraints", CertManagerVersion::V1_17),
    ("OtherNames", CertManagerVersion::V1_17),
    ("UseDomainQualifiedFinalizer", CertManagerVersion::V1_17),
    (
        "DefaultPrivateKeyRotationPolicyAlways",
        CertManagerVersion::V1_18,
    ),
    // v1.18.1 exactly; patch releases map to their minor.
    ("ACMEHTTP01IngressPathTypeExact", CertManagerVersion::V1_18),
    ("ACMEUseARI", CertManagerVersion::V1_21),
    ("AllAlpha", CertManagerVersion::V1_17),
    ("AllBeta", CertManagerVersion::V1_17),
];

/// "(cert-manager v1.20 has no such gate; it came in v1.21)" when `since` is later than
/// `version`.
fn not_yet(what: &str, version: CertManagerVersion, since: CertManagerVersion) -> Option<String> {
    (version < since)
        .then(|| format!("cert-manager {version} has no such {what}; it came in {since}"))
}

/// The feature gates the shim depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureGates {
    pub experimental_gateway_api_support: bool,
    pub listener_sets: bool,
    pub server_side_apply: bool,
    /// Whose gate list applies.
    pub version: CertManagerVersion,
}

impl FeatureGates {
    /// cert-manager's defaults, except `ListenerSets`, which lsc turns on where it exists.
    pub fn new(version: CertManagerVersion) -> Self {
        FeatureGates {
            experimental_gateway_api_support: true,
            listener_sets: version.reads_listener_sets(),
            server_side_apply: false,
            version,
        }
    }

    /// Sets one gate; cert-manager's other gates are ignored, names the chosen release does not
    /// know refused as it refuses them.
    pub fn set(&mut self, name: &str, value: bool) -> Result<(), String> {
        let since = match name {
            "ExperimentalGatewayAPISupport" | "ServerSideApply" => Some(CertManagerVersion::V1_17),
            "ListenerSets" => Some(CertManagerVersion::V1_20),
            other => OTHER_CERT_MANAGER_GATES
                .iter()
                .find(|(gate, _)| *gate == other)
                .map(|(_, since)| *since),
        };
        let refused = |why: String| format!("unrecognized feature gate: {name} ({why})");
        let Some(since) = since else {
            if name == "XListenerSets" {
                return Err(refused(
                    "only the pre-release v1.20.0-alpha.1 had it; ListenerSets replaced it".into(),
                ));
            }
            return Err(format!("unrecognized feature gate: {name}"));
        };
        if let Some(why) = not_yet("gate", self.version, since) {
            return Err(refused(why));
        }
        match name {
            "ExperimentalGatewayAPISupport" => self.experimental_gateway_api_support = value,
            "ListenerSets" => self.listener_sets = value,
            "ServerSideApply" => self.server_side_apply = value,
            _ => {}
        }
        Ok(())
    }

    /// Parses `K=V,K2=V2` as cert-manager's `--feature-gates` (values by Go's `ParseBool`).
    pub fn apply_flag(&mut self, spec: &str) -> Result<(), String> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((name, value)) = item.split_once('=') else {
                return Err(format!("--feature-gates: missing bool value for {item}"));
            };
            let (name, value) = (name.trim(), value.trim());
            let value = crate::golang::strconv::parse_bool(value).ok_or_else(|| {
                format!(
                    "--feature-gates: invalid value of {name}={value}, err: strconv.ParseBool: parsing {}: invalid syntax",
                    crate::golang::quote(value)
                )
            })?;
            self.set(name, value)
                .map_err(|e| format!("--feature-gates: {e}"))?;
        }
        Ok(())
    }
}

/// Settings from the file, each `None` when the file does not set it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub default_issuer_name: Option<String>,
    pub default_issuer_kind: Option<String>,
    pub default_issuer_group: Option<String>,
    pub auto_certificate_annotations: Option<Vec<String>>,
    pub extra_certificate_annotations: Option<Vec<String>>,
    pub extra_protocols: Option<Vec<String>>,
    pub enable_gateway_api: Option<bool>,
    pub enable_listener_set: Option<bool>,
    /// Name, value and line of each gate.
    pub feature_gates: Vec<(String, bool, u32)>,
}

fn located(file: &str, line: u32, message: String) -> Diagnostic {
    Diagnostic::error(
        Some(crate::diag::Location {
            file: file.into(),
            document: 1,
            line,
        }),
        message,
    )
}

fn bool_field(map: &Map, key: &str, path: &str, file: &str) -> Result<Option<bool>, Diagnostic> {
    match fields::entry(map, key) {
        None => Ok(None),
        Some(e) => match schema::as_bool(&e.value.value) {
            Some(b) => Ok(Some(b)),
            None => Err(located(
                file,
                e.key_line,
                format!(
                    "{path}: expected a boolean, found {}",
                    e.value.value.type_name()
                ),
            )),
        },
    }
}

/// Reads a `ControllerConfiguration` file as cert-manager `version` decodes it.
pub fn read_file(
    path: &str,
    limits: &Limits,
    version: CertManagerVersion,
) -> Result<FileSettings, Diagnostic> {
    let input = InputSource::File {
        path: path.into(),
        display: crate::diag::escape_name(path.as_bytes()).into(),
    };
    let name = input.display();
    // Diagnostics name the file escaped, as every name.
    let path: &str = &name;
    let bytes = source::read_bytes(&input, limits)?;
    let text = source::decode(&name, bytes)?;
    let (documents, mut diagnostics) = source::documents(&name, &text, limits);
    if let Some(d) = diagnostics.drain(..).next() {
        return Err(d);
    }
    let [doc] = documents.as_slice() else {
        return Err(located(
            path,
            0,
            "a controller configuration file holds exactly one ControllerConfiguration".to_string(),
        ));
    };
    let root = &doc.root;
    let fail = |e: fields::FieldError| located(path, e.line, e.message);
    let kind = fields::string(root, "kind", "kind").map_err(fail)?;
    let api = fields::string(root, "apiVersion", "apiVersion").map_err(fail)?;
    if kind.as_deref() != Some("ControllerConfiguration") || api.as_deref() != Some(API_VERSION) {
        return Err(located(
            path,
            doc.location.line,
            format!("expected apiVersion {API_VERSION}, kind ControllerConfiguration"),
        ));
    }
    schema::check(root, version)
        .map_err(|r| located(path, r.line, format!("failed to decode: {}", r.message)))?;
    let mut settings = FileSettings::default();
    let list = |map: &Map, key: &str, p: &str| -> Result<Option<Vec<String>>, Diagnostic> {
        match fields::entry(map, key) {
            None => Ok(None),
            Some(_) => fields::string_list(map, key, p).map(Some).map_err(fail),
        }
    };
    if let Some((shim, _)) =
        fields::mapping(root, "ingressShimConfig", "ingressShimConfig").map_err(fail)?
    {
        settings.default_issuer_name = fields::string(
            shim,
            "defaultIssuerName",
            "ingressShimConfig.defaultIssuerName",
        )
        .map_err(fail)?;
        settings.default_issuer_kind = fields::string(
            shim,
            "defaultIssuerKind",
            "ingressShimConfig.defaultIssuerKind",
        )
        .map_err(fail)?;
        settings.default_issuer_group = fields::string(
            shim,
            "defaultIssuerGroup",
            "ingressShimConfig.defaultIssuerGroup",
        )
        .map_err(fail)?;
        settings.auto_certificate_annotations = list(
            shim,
            "defaultAutoCertificateAnnotations",
            "ingressShimConfig.defaultAutoCertificateAnnotations",
        )?;
        settings.extra_certificate_annotations = list(
            shim,
            "extraCertificateAnnotations",
            "ingressShimConfig.extraCertificateAnnotations",
        )?;
    }
    // Deprecated top-level fields first; gatewayAPI wins when both are set.
    settings.enable_gateway_api = bool_field(root, "enableGatewayAPI", "enableGatewayAPI", path)?;
    settings.enable_listener_set = bool_field(
        root,
        "enableGatewayAPIListenerSet",
        "enableGatewayAPIListenerSet",
        path,
    )?;
    if let Some((gw, _)) = fields::mapping(root, "gatewayAPI", "gatewayAPI").map_err(fail)? {
        if let Some(v) = bool_field(gw, "enabled", "gatewayAPI.enabled", path)? {
            settings.enable_gateway_api = Some(v);
        }
        if let Some(v) = bool_field(
            gw,
            "enableListenerSet",
            "gatewayAPI.enableListenerSet",
            path,
        )? {
            settings.enable_listener_set = Some(v);
        }
        settings.extra_protocols = list(gw, "extraProtocols", "gatewayAPI.extraProtocols")?;
    }
    if let Some((gates, _)) = fields::mapping(root, "featureGates", "featureGates").map_err(fail)? {
        for e in &gates.entries {
            // A null gate decodes as Go's zero value: false.
            let value = match &e.value.value {
                Value::Null => Some(false),
                other => schema::as_bool(other),
            };
            match value {
                Some(b) => settings
                    .feature_gates
                    .push((e.key.to_string(), b, e.key_line)),
                None => {
                    return Err(located(
                        path,
                        e.key_line,
                        format!(
                            "featureGates.{}: expected a boolean, found {}",
                            e.key,
                            e.value.value.type_name()
                        ),
                    ));
                }
            }
        }
    }
    Ok(settings)
}

/// Controller flags as given on the command line (`None` = not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagSettings {
    pub controller_config: Option<String>,
    pub default_issuer_name: Option<String>,
    pub default_issuer_kind: Option<String>,
    pub default_issuer_group: Option<String>,
    pub auto_certificate_annotations: Option<String>,
    pub extra_certificate_annotations: Option<String>,
    pub extra_protocols: Option<String>,
    pub enable_gateway_api: Option<bool>,
    pub enable_listener_set: Option<bool>,
    pub feature_gates: Option<String>,
    pub namespace: String,
    /// `--cert-manager-version` as given.
    pub cert_manager_version: Option<String>,
}

/// pflag's `StringSlice`: comma-separated, empty means none.
fn split_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(',').map(str::to_string).collect()
    }
}

/// A flag given that cert-manager `version` does not have: a usage error naming the release
/// that introduced it.
fn refuse_missing_flag(
    given: bool,
    flag: &str,
    version: CertManagerVersion,
    since: CertManagerVersion,
) -> Result<(), Diagnostic> {
    match not_yet("flag", version, since) {
        Some(why) if given => Err(Diagnostic::error(
            None,
            format!("{flag}: unknown flag: {why} (see --cert-manager-version)"),
        )),
        _ => Ok(()),
    }
}

/// Defaults, then the config file, then the flags, as cert-manager `--cert-manager-version`
/// resolves them.
pub fn resolve(flags: &FlagSettings, limits: &Limits) -> Result<ShimConfig, Diagnostic> {
    let version = match &flags.cert_manager_version {
        Some(text) => CertManagerVersion::parse(text).map_err(|m| Diagnostic::error(None, m))?,
        None => CertManagerVersion::default(),
    };
    refuse_missing_flag(
        flags.extra_certificate_annotations.is_some(),
        "--extra-certificate-annotations",
        version,
        CertManagerVersion::V1_18,
    )?;
    refuse_missing_flag(
        flags.enable_listener_set.is_some(),
        "--enable-gateway-api-listenerset",
        version,
        CertManagerVersion::V1_20,
    )?;
    refuse_missing_flag(
        flags.extra_protocols.is_some(),
        "--gateway-api-extra-protocols",
        version,
        CertManagerVersion::V1_21,
    )?;
    let file = match &flags.controller_config {
        Some(path) => read_file(path, limits, version)?,
        None => FileSettings::default(),
    };
    let mut config = ShimConfig {
        version,
        ..ShimConfig::default()
    };
    let mut gates = FeatureGates::new(version);
    for (name, value, line) in &file.feature_gates {
        gates.set(name, *value).map_err(|e| {
            let file = flags.controller_config.as_deref().unwrap_or_default();
            located(file, *line, format!("featureGates: {e}"))
        })?;
    }
    if let Some(spec) = &flags.feature_gates {
        gates
            .apply_flag(spec)
            .map_err(|m| Diagnostic::error(None, m))?;
    }
    let pick = |flag: &Option<String>, file: &Option<String>, default: String| -> String {
        flag.clone().or_else(|| file.clone()).unwrap_or(default)
    };
    config.default_issuer_name = pick(
        &flags.default_issuer_name,
        &file.default_issuer_name,
        config.default_issuer_name,
    );
    config.default_issuer_kind = pick(
        &flags.default_issuer_kind,
        &file.default_issuer_kind,
        config.default_issuer_kind,
    );
    config.default_issuer_group = pick(
        &flags.default_issuer_group,
        &file.default_issuer_group,
        config.default_issuer_group,
    );
    let pick_list =
        |flag: &Option<String>, file: &Option<Vec<String>>, default: Vec<String>| -> Vec<String> {
            flag.as_deref()
                .map(split_list)
                .or_else(|| file.clone())
                .unwrap_or(default)
        };
    config.auto_certificate_annotations = pick_list(
        &flags.auto_certificate_annotations,
        &file.auto_certificate_annotations,
        config.auto_certificate_annotations,
    );
    config.extra_certificate_annotations = pick_list(
        &flags.extra_certificate_annotations,
        &file.extra_certificate_annotations,
        config.extra_certificate_annotations,
    );
    config.extra_protocols = pick_list(
        &flags.extra_protocols,
        &file.extra_protocols,
        config.extra_protocols,
    );
    let gateway_api = flags
        .enable_gateway_api
        .or(file.enable_gateway_api)
        .unwrap_or(true);
    let listener_set = flags
        .enable_listener_set
        .or(file.enable_listener_set)
        .unwrap_or(version.reads_listener_sets());
    config.gateway_api = gateway_api && gates.experimental_gateway_api_support;
    config.listener_sets = listener_set && gates.listener_sets && version.reads_listener_sets();
    config.server_side_apply = gates.server_side_apply;
    config.default_namespace = flags.namespace.clone();
    Ok(config)
}
