//! cert-manager's `ControllerConfiguration` file (`controller.config.cert-manager.io/v1alpha1`)
//! and `--feature-gates`, read into the shim's settings.

use crate::diag::Diagnostic;
use crate::model::fields;
use crate::shim::config::ShimConfig;
use crate::source::tree::{Map, Value};
use crate::source::{self, InputSource, Limits};

pub const API_VERSION: &str = "controller.config.cert-manager.io/v1alpha1";

/// cert-manager controller gates that do not change what the shim does: accepted and ignored
/// (`internal/controller/feature/features.go`, plus Kubernetes' `AllAlpha`/`AllBeta`).
const OTHER_CERT_MANAGER_GATES: &[&str] = &[
    "DisallowInsecureCSRUsageDefinition",
    "StableCertificateRequestName",
    "SecretsFilteredCaching",
    "ValidateCAA",
    "ExperimentalCertificateSigningRequestControllers",
    "AdditionalCertificateOutputFormats",
    "LiteralCertificateSubject",
    "UseCertificateRequestBasicConstraints",
    "NameConstraints",
    "OtherNames",
    "UseDomainQualifiedFinalizer",
    "ACMEHTTP01IngressPathTypeExact",
    "DefaultPrivateKeyRotationPolicyAlways",
    "XListenerSets",
    "AllAlpha",
    "AllBeta",
];

/// The feature gates the shim depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureGates {
    pub experimental_gateway_api_support: bool,
    pub listener_sets: bool,
    pub server_side_apply: bool,
}

impl Default for FeatureGates {
    /// cert-manager's defaults, except `ListenerSets`, which lsc turns on.
    fn default() -> Self {
        FeatureGates {
            experimental_gateway_api_support: true,
            listener_sets: true,
            server_side_apply: false,
        }
    }
}

impl FeatureGates {
    /// Sets one gate; cert-manager's other gates are ignored, unknown names refused as
    /// cert-manager refuses them.
    pub fn set(&mut self, name: &str, value: bool) -> Result<(), String> {
        match name {
            "ExperimentalGatewayAPISupport" => self.experimental_gateway_api_support = value,
            "ListenerSets" => self.listener_sets = value,
            "ServerSideApply" => self.server_side_apply = value,
            other if OTHER_CERT_MANAGER_GATES.contains(&other) => {}
            other => return Err(format!("unrecognized feature gate: {other}")),
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
    pub feature_gates: Vec<(String, bool)>,
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
        Some(e) => match e.value.value {
            Value::Bool(b) => Ok(Some(b)),
            ref other => Err(located(
                file,
                e.key_line,
                format!("{path}: expected a boolean, found {}", other.type_name()),
            )),
        },
    }
}

/// Reads a `ControllerConfiguration` file.
pub fn read_file(path: &str, limits: &Limits) -> Result<FileSettings, Diagnostic> {
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
    // Deprecated top-level fields first; gatewayAPIConfig wins when both are set.
    settings.enable_gateway_api = bool_field(root, "enableGatewayAPI", "enableGatewayAPI", path)?;
    settings.enable_listener_set = bool_field(
        root,
        "enableGatewayAPIListenerSet",
        "enableGatewayAPIListenerSet",
        path,
    )?;
    if let Some((gw, _)) =
        fields::mapping(root, "gatewayAPIConfig", "gatewayAPIConfig").map_err(fail)?
    {
        if let Some(v) = bool_field(gw, "enabled", "gatewayAPIConfig.enabled", path)? {
            settings.enable_gateway_api = Some(v);
        }
        if let Some(v) = bool_field(
            gw,
            "enableListenerSet",
            "gatewayAPIConfig.enableListenerSet",
            path,
        )? {
            settings.enable_listener_set = Some(v);
        }
        settings.extra_protocols = list(gw, "extraProtocols", "gatewayAPIConfig.extraProtocols")?;
    }
    if let Some((gates, _)) = fields::mapping(root, "featureGates", "featureGates").map_err(fail)? {
        for e in &gates.entries {
            match e.value.value {
                Value::Bool(b) => settings.feature_gates.push((e.key.to_string(), b)),
                ref other => {
                    return Err(located(
                        path,
                        e.key_line,
                        format!(
                            "featureGates.{}: expected a boolean, found {}",
                            e.key,
                            other.type_name()
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
}

/// pflag's `StringSlice`: comma-separated, empty means none.
fn split_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(',').map(str::to_string).collect()
    }
}

/// Defaults, then the config file, then the flags, as cert-manager resolves them.
pub fn resolve(flags: &FlagSettings, limits: &Limits) -> Result<ShimConfig, Diagnostic> {
    let file = match &flags.controller_config {
        Some(path) => read_file(path, limits)?,
        None => FileSettings::default(),
    };
    let mut config = ShimConfig::default();
    let mut gates = FeatureGates::default();
    for (name, value) in &file.feature_gates {
        gates.set(name, *value).map_err(|e| {
            let file = flags.controller_config.as_deref().unwrap_or_default();
            Diagnostic::error(None, format!("{file}: featureGates: {e}"))
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
        .unwrap_or(true);
    config.gateway_api = gateway_api && gates.experimental_gateway_api_support;
    config.listener_sets = listener_set && gates.listener_sets;
    config.server_side_apply = gates.server_side_apply;
    config.default_namespace = flags.namespace.clone();
    Ok(config)
}
