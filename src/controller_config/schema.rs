//! The fields of cert-manager's `ControllerConfiguration` and every block nested in it, with
//! their Go types and the release that added each, and the check that refuses a file as
//! cert-manager's strict decoder refuses it: an unknown field, or a value of the wrong type.
//!
//! Field lists, per release tag (v1.17.0, v1.18.0, v1.19.0, v1.20.0, v1.21.0, master) of
//! cert-manager: `pkg/apis/config/controller/v1alpha1/types.go`,
//! `pkg/apis/config/shared/v1alpha1/types_{leaderelection,tlsconfig,duration}.go` (unchanged
//! from v1.17.0 to master), and `k8s.io/component-base/logs/api/v1/types.go` (v0.32.0 to
//! v0.36.3, the versions these releases build with, unchanged). Patch releases change none.
//!
//! Decoding (`pkg/controller/configfile/configfile.go`, `serializer.EnableStrict`): the YAML is
//! turned into JSON by `sigs.k8s.io/yaml` (a YAML 1.1 reader: a plain `yes` is a boolean, a
//! plain `0644` the number 420), then `sigs.k8s.io/json` unmarshals it strictly. That decoder
//! reports, in this order of precedence:
//! 1. an error of a type with its own JSON decoding (durations, quantities), which stops it;
//! 2. else the first value of the wrong type (`json: cannot unmarshal …`);
//! 3. else every unknown field, by its path (`strict decoding error: unknown field "a.b"`).

use super::not_yet;
use crate::shim::version::CertManagerVersion::{self, *};
use crate::source::tree::{Map, Node, Value};

/// What a field's Go type accepts from JSON.
#[derive(Debug, Clone, Copy)]
pub enum Type {
    Bool,
    String,
    /// An integer type (`int32`, `v1.VerbosityLevel`) with its bounds.
    Int {
        go: &'static str,
        min: i64,
        max: i64,
    },
    Float32,
    /// `v1alpha1.Duration` and `v1.TimeOrMetaDuration`: a Go duration string, or an integer
    /// of nanoseconds; anything else is their own error.
    Duration,
    /// `resource.QuantityValue`: a quantity as a string or a number.
    Quantity,
    /// A slice (`[]string`, `v1.VModuleConfiguration`).
    List {
        go: &'static str,
        item: &'static Type,
    },
    /// A map with string keys (`map[string]bool`).
    Map {
        go: &'static str,
        value: &'static Type,
    },
    Struct(&'static Struct),
}

/// A Go struct: its name (as Go's decoder names it in errors), its package-qualified type and
/// its fields, embedded (`json:",inline"`) ones included.
#[derive(Debug)]
pub struct Struct {
    pub name: &'static str,
    pub go: &'static str,
    pub fields: &'static [Field],
}

/// A field by its JSON name, with the first release that has it.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub since: CertManagerVersion,
}

const fn field(name: &'static str, ty: Type) -> Field {
    since(name, ty, V1_17)
}

const fn since(name: &'static str, ty: Type, since: CertManagerVersion) -> Field {
    Field { name, ty, since }
}

const STRING: Type = Type::String;
const BOOL: Type = Type::Bool;
const DURATION: Type = Type::Duration;
const INT32: Type = Type::Int {
    go: "int32",
    min: i32::MIN as i64,
    max: i32::MAX as i64,
};
const STRINGS: Type = Type::List {
    go: "[]string",
    item: &Type::String,
};
const VERBOSITY: Type = Type::Int {
    go: "v1.VerbosityLevel",
    min: 0,
    max: u32::MAX as i64,
};

pub static CONTROLLER_CONFIGURATION: Struct = Struct {
    name: "ControllerConfiguration",
    go: "v1alpha1.ControllerConfiguration",
    fields: &[
        // metav1.TypeMeta, inline.
        field("apiVersion", STRING),
        field("kind", STRING),
        field("kubeConfig", STRING),
        field("apiServerHost", STRING),
        field("kubernetesAPIQPS", Type::Float32),
        field("kubernetesAPIBurst", INT32),
        field("namespace", STRING),
        field("clusterResourceNamespace", STRING),
        field(
            "leaderElectionConfig",
            Type::Struct(&LEADER_ELECTION_CONFIG),
        ),
        field("controllers", STRINGS),
        field("issuerAmbientCredentials", BOOL),
        field("clusterIssuerAmbientCredentials", BOOL),
        field("enableCertificateOwnerRef", BOOL),
        field("enableGatewayAPI", BOOL),
        since("enableGatewayAPIListenerSet", BOOL, V1_20),
        field("copiedAnnotationPrefixes", STRINGS),
        field("numberOfConcurrentWorkers", INT32),
        field("maxConcurrentChallenges", INT32),
        field("metricsListenAddress", STRING),
        field("metricsTLSConfig", Type::Struct(&TLS_CONFIG)),
        field("healthzListenAddress", STRING),
        field("enablePprof", BOOL),
        field("pprofAddress", STRING),
        field("logging", Type::Struct(&LOGGING_CONFIGURATION)),
        field(
            "featureGates",
            Type::Map {
                go: "map[string]bool",
                value: &Type::Bool,
            },
        ),
        field("ingressShimConfig", Type::Struct(&INGRESS_SHIM_CONFIG)),
        field("acmeHTTP01Config", Type::Struct(&ACME_HTTP01_CONFIG)),
        field("acmeDNS01Config", Type::Struct(&ACME_DNS01_CONFIG)),
        since(
            "pemSizeLimitsConfig",
            Type::Struct(&PEM_SIZE_LIMITS_CONFIG),
            V1_20,
        ),
        since("gatewayAPI", Type::Struct(&GATEWAY_API_CONFIG), V1_21),
        since("certificateRequestMinimumBackoffDuration", DURATION, V1_20),
        since("certificateRequestMaximumBackoffDuration", DURATION, V1_21),
    ],
};

/// The controller's `LeaderElectionConfig`: the shared one inline, plus `healthzTimeout`.
static LEADER_ELECTION_CONFIG: Struct = Struct {
    name: "LeaderElectionConfig",
    go: "v1alpha1.LeaderElectionConfig",
    fields: &[
        field("enabled", BOOL),
        field("namespace", STRING),
        field("leaseDuration", DURATION),
        field("renewDeadline", DURATION),
        field("retryPeriod", DURATION),
        field("healthzTimeout", DURATION),
    ],
};

static TLS_CONFIG: Struct = Struct {
    name: "TLSConfig",
    go: "v1alpha1.TLSConfig",
    fields: &[
        field("cipherSuites", STRINGS),
        field("minTLSVersion", STRING),
        field("filesystem", Type::Struct(&FILESYSTEM_SERVING_CONFIG)),
        field("dynamic", Type::Struct(&DYNAMIC_SERVING_CONFIG)),
    ],
};

static FILESYSTEM_SERVING_CONFIG: Struct = Struct {
    name: "FilesystemServingConfig",
    go: "v1alpha1.FilesystemServingConfig",
    fields: &[field("certFile", STRING), field("keyFile", STRING)],
};

static DYNAMIC_SERVING_CONFIG: Struct = Struct {
    name: "DynamicServingConfig",
    go: "v1alpha1.DynamicServingConfig",
    fields: &[
        field("secretNamespace", STRING),
        field("secretName", STRING),
        field("dnsNames", STRINGS),
        field("leafDuration", DURATION),
    ],
};

static LOGGING_CONFIGURATION: Struct = Struct {
    name: "LoggingConfiguration",
    go: "v1.LoggingConfiguration",
    fields: &[
        field("format", STRING),
        field("flushFrequency", DURATION),
        field("verbosity", VERBOSITY),
        field(
            "vmodule",
            Type::List {
                go: "v1.VModuleConfiguration",
                item: &Type::Struct(&VMODULE_ITEM),
            },
        ),
        field("options", Type::Struct(&FORMAT_OPTIONS)),
    ],
};

static VMODULE_ITEM: Struct = Struct {
    name: "VModuleItem",
    go: "v1.VModuleItem",
    fields: &[field("filePattern", STRING), field("verbosity", VERBOSITY)],
};

static FORMAT_OPTIONS: Struct = Struct {
    name: "FormatOptions",
    go: "v1.FormatOptions",
    fields: &[
        field("text", Type::Struct(&TEXT_OPTIONS)),
        field("json", Type::Struct(&JSON_OPTIONS)),
    ],
};

/// `OutputRoutingOptions`, inline in both `TextOptions` and `JSONOptions`.
const OUTPUT_ROUTING_OPTIONS: &[Field] = &[
    field("splitStream", BOOL),
    field("infoBufferSize", Type::Quantity),
];

static TEXT_OPTIONS: Struct = Struct {
    name: "TextOptions",
    go: "v1.TextOptions",
    fields: OUTPUT_ROUTING_OPTIONS,
};

static JSON_OPTIONS: Struct = Struct {
    name: "JSONOptions",
    go: "v1.JSONOptions",
    fields: OUTPUT_ROUTING_OPTIONS,
};

static INGRESS_SHIM_CONFIG: Struct = Struct {
    name: "IngressShimConfig",
    go: "v1alpha1.IngressShimConfig",
    fields: &[
        field("defaultIssuerName", STRING),
        field("defaultIssuerKind", STRING),
        field("defaultIssuerGroup", STRING),
        field("defaultAutoCertificateAnnotations", STRINGS),
        since("extraCertificateAnnotations", STRINGS, V1_18),
    ],
};

static ACME_HTTP01_CONFIG: Struct = Struct {
    name: "ACMEHTTP01Config",
    go: "v1alpha1.ACMEHTTP01Config",
    fields: &[
        field("solverImage", STRING),
        field("solverResourceRequestCPU", STRING),
        field("solverResourceRequestMemory", STRING),
        field("solverResourceLimitsCPU", STRING),
        field("solverResourceLimitsMemory", STRING),
        field("solverRunAsNonRoot", BOOL),
        since("solverRuntimeClassName", STRING, V1_21),
        field("solverNameservers", STRINGS),
        since(
            "solverExtraLabels",
            Type::Map {
                go: "map[string]string",
                value: &Type::String,
            },
            V1_21,
        ),
    ],
};

static ACME_DNS01_CONFIG: Struct = Struct {
    name: "ACMEDNS01Config",
    go: "v1alpha1.ACMEDNS01Config",
    fields: &[
        field("recursiveNameservers", STRINGS),
        field("recursiveNameserversOnly", BOOL),
        field("checkRetryPeriod", DURATION),
    ],
};

static PEM_SIZE_LIMITS_CONFIG: Struct = Struct {
    name: "PEMSizeLimitsConfig",
    go: "v1alpha1.PEMSizeLimitsConfig",
    fields: &[
        field("maxCertificateSize", INT32),
        field("maxPrivateKeySize", INT32),
        field("maxChainLength", INT32),
        field("maxBundleSize", INT32),
    ],
};

static GATEWAY_API_CONFIG: Struct = Struct {
    name: "GatewayAPIConfig",
    go: "v1alpha1.GatewayAPIConfig",
    fields: &[
        field("enabled", BOOL),
        field("enableListenerSet", BOOL),
        field("extraProtocols", STRINGS),
    ],
};

/// A refusal, at the line of the field (or list item) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: u32,
    pub message: String,
}

/// A value as the JSON that `sigs.k8s.io/yaml` makes of it.
enum Json<'a> {
    Null,
    Bool,
    /// The number as Go's encoder writes it (`1.0` is `1`, `1e21` is `1e+21`).
    Number(String),
    String,
    Array(&'a [Node]),
    Object(&'a Map),
    /// A float JSON cannot hold (`.inf`, `.nan`): Go's encoder refuses the whole document.
    Unsupported(&'static str),
    /// A tag outside the core schema, whose conversion lsc does not reproduce.
    Tagged(&'a str),
}

impl Json<'_> {
    /// The name Go's decoder gives this kind of value in `cannot unmarshal …` (`number` alone
    /// except where the number itself is refused).
    fn go_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool => "bool",
            Json::Number(_) | Json::Unsupported(_) => "number",
            Json::String | Json::Tagged(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
}

/// The boolean of a value cert-manager reads as one: `true`, or a YAML 1.1 word such as `yes`.
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Plain(s) => crate::source::tree::yaml11_bool(s),
        _ => None,
    }
}

fn json_of(value: &Value) -> Json<'_> {
    match value {
        Value::Null => Json::Null,
        Value::Bool(_) => Json::Bool,
        Value::Int(i) => Json::Number(i.to_string()),
        Value::Float(text) => float_json(text),
        Value::Str(_) => Json::String,
        Value::Plain(_) => match crate::emit::json::to_serde(value) {
            serde_json::Value::Bool(_) => Json::Bool,
            serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Json::Number(i.to_string()),
                (None, Some(f)) => Json::Number(go_float(f)),
                (None, None) => Json::Number(n.to_string()),
            },
            _ => Json::String,
        },
        Value::Seq(items) => Json::Array(items),
        Value::Map(map) => Json::Object(map),
        Value::Tagged(tagged) => Json::Tagged(&tagged.tag),
    }
}

/// A YAML float (or an integer too large for `i64`) as JSON: go-yaml reads integers up to
/// `u64` as integers, the rest as `float64`.
fn float_json(text: &str) -> Json<'static> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if let Ok(u) = digits.parse::<u64>() {
        return Json::Number(u.to_string());
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Json::Number(go_float(f)),
        Ok(f) if f.is_nan() => Json::Unsupported("NaN"),
        Ok(f) if f > 0.0 => Json::Unsupported("+Inf"),
        Ok(_) => Json::Unsupported("-Inf"),
        // `.inf` and `.nan` as YAML writes them.
        Err(_) if text.to_ascii_lowercase().contains("nan") => Json::Unsupported("NaN"),
        Err(_) if text.starts_with('-') => Json::Unsupported("-Inf"),
        Err(_) => Json::Unsupported("+Inf"),
    }
}

/// A `float64` as Go's `encoding/json` writes it: shortest form, exponent only below 1e-6 or
/// from 1e21 (`1e+21`, `1e-7`).
fn go_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent}")
            }
            _ => text,
        }
    } else {
        format!("{f}")
    }
}

/// Where the walk is: the struct whose field is being decoded, the dotted JSON path Go's type
/// errors name (list indexes left out) and the strict decoder's path (indexes kept).
#[derive(Clone)]
struct At<'s> {
    go_struct: &'s str,
    go_path: String,
    strict_path: String,
}

/// The walk's findings other than the errors that stop it.
struct Walk {
    version: CertManagerVersion,
    first_type_error: Option<Refusal>,
    /// Path, line and why a known name is still unknown to this release.
    unknown: Vec<(String, u32, Option<String>)>,
}

/// Go's decoder keeps at most this many strict errors.
const MAX_STRICT_ERRORS: usize = 100;

/// Checks `root`, a `ControllerConfiguration`, as cert-manager `version` decodes it.
pub fn check(root: &Map, version: CertManagerVersion) -> Result<(), Refusal> {
    let mut walk = Walk {
        version,
        first_type_error: None,
        unknown: Vec::new(),
    };
    walk.fields(root, &CONTROLLER_CONFIGURATION, "", "")?;
    if let Some(refusal) = walk.first_type_error {
        return Err(refusal);
    }
    let Some((_, line, _)) = walk.unknown.first() else {
        return Ok(());
    };
    let listed: Vec<String> = walk
        .unknown
        .iter()
        .take(MAX_STRICT_ERRORS)
        .map(|(path, _, why)| match why {
            Some(why) => format!("unknown field {} ({why})", crate::golang::quote(path)),
            None => format!("unknown field {}", crate::golang::quote(path)),
        })
        .collect();
    Err(Refusal {
        line: *line,
        message: format!("strict decoding error: {}", listed.join(", ")),
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Walk {
    fn fields(
        &mut self,
        map: &Map,
        of: &'static Struct,
        go_path: &str,
        strict_path: &str,
    ) -> Result<(), Refusal> {
        for entry in &map.entries {
            let strict = join(strict_path, &entry.key);
            let known = of.fields.iter().find(|f| f.name == entry.key.as_str());
            let Some(field) = known else {
                self.unknown.push((strict, entry.key_line, None));
                continue;
            };
            if let Some(why) = not_yet("field", self.version, field.since) {
                self.unknown.push((strict, entry.key_line, Some(why)));
                continue;
            }
            let at = At {
                go_struct: of.name,
                go_path: join(go_path, &entry.key),
                strict_path: strict,
            };
            self.value(&entry.value.value, &field.ty, entry.key_line, &at)?;
        }
        Ok(())
    }

    /// Go's `cannot unmarshal` for a value of the wrong kind; only the first is reported.
    fn wrong_type(&mut self, line: u32, at: &At, found: &str, value: &Value, expected: &Type) {
        if self.first_type_error.is_some() {
            return;
        }
        let go = match expected {
            Type::Bool => "bool",
            Type::String => "string",
            Type::Int { go, .. } | Type::List { go, .. } | Type::Map { go, .. } => go,
            Type::Float32 => "float32",
            Type::Struct(s) => s.go,
            // Both decode every kind of value themselves.
            Type::Duration | Type::Quantity => "",
        };
        let mut message = format!(
            "json: cannot unmarshal {found} into Go struct field {}.{} of type {go}",
            at.go_struct, at.go_path
        );
        if let (Value::Plain(text), Type::String) = (value, expected) {
            message.push_str(&format!(
                " (YAML 1.1, which cert-manager reads, takes the plain {text} for a {}; quote it to make it a string)",
                if found == "bool" { "boolean" } else { "number" }
            ));
        }
        self.first_type_error = Some(Refusal { line, message });
    }

    fn value(&mut self, value: &Value, ty: &Type, line: u32, at: &At) -> Result<(), Refusal> {
        let json = json_of(value);
        // Null leaves any Go value as it is.
        if let Json::Null = json {
            return Ok(());
        }
        if let Json::Unsupported(what) = json {
            return Err(Refusal {
                line,
                message: format!("json: unsupported value: {what}"),
            });
        }
        if let Json::Tagged(tag) = json {
            return Err(Refusal {
                line,
                message: format!(
                    "{}: lsc does not read a value tagged {tag} in a controller configuration",
                    at.strict_path
                ),
            });
        }
        match (ty, &json) {
            (Type::Bool, Json::Bool) | (Type::String, Json::String) => Ok(()),
            (Type::Int { min, max, .. }, Json::Number(text)) => {
                if !text
                    .parse::<i64>()
                    .is_ok_and(|n| (*min..=*max).contains(&n))
                {
                    let found = format!("number {text}");
                    self.wrong_type(line, at, &found, value, ty);
                }
                Ok(())
            }
            (Type::Float32, Json::Number(text)) => {
                if !text
                    .parse::<f64>()
                    .is_ok_and(|f| f.abs() <= f64::from(f32::MAX))
                {
                    let found = format!("number {text}");
                    self.wrong_type(line, at, &found, value, ty);
                }
                Ok(())
            }
            (Type::Duration, _) => duration(value, &json).map_err(|message| Refusal {
                line,
                message: format!("{message} (field {})", at.strict_path),
            }),
            (Type::Quantity, _) => quantity(value, &json).map_err(|message| Refusal {
                line,
                message: format!("{message} (field {})", at.strict_path),
            }),
            (Type::List { item, .. }, Json::Array(items)) => {
                for (i, node) in items.iter().enumerate() {
                    let at = At {
                        strict_path: format!("{}[{i}]", at.strict_path),
                        ..at.clone()
                    };
                    self.value(&node.value, item, node.line, &at)?;
                }
                Ok(())
            }
            (Type::Map { value: of, .. }, Json::Object(map)) => {
                for entry in &map.entries {
                    let at = At {
                        strict_path: join(&at.strict_path, &entry.key),
                        ..at.clone()
                    };
                    self.value(&entry.value.value, of, entry.key_line, &at)?;
                }
                Ok(())
            }
            (Type::Struct(s), Json::Object(map)) => {
                self.fields(map, s, &at.go_path, &at.strict_path)
            }
            _ => {
                self.wrong_type(line, at, json.go_name(), value, ty);
                Ok(())
            }
        }
    }
}

/// `v1alpha1.Duration` / `v1.TimeOrMetaDuration` `UnmarshalJSON`: a string goes to
/// `time.ParseDuration` (through `metav1.Duration`), anything else must be an integer of
/// nanoseconds, its error wrapped as `invalid duration "<json>": …`.
fn duration(value: &Value, json: &Json) -> Result<(), String> {
    let raw = match json {
        Json::String => {
            let text = value.as_str().unwrap_or_default();
            return crate::golang::duration::parse(text).map(|_| ());
        }
        Json::Number(text) if text.parse::<i64>().is_ok() => return Ok(()),
        Json::Number(text) => text.clone(),
        _ => raw_json(value),
    };
    let found = match json {
        Json::Number(text) => format!("number {text}"),
        other => other.go_name().to_string(),
    };
    Err(format!(
        "invalid duration {}: json: cannot unmarshal {found} into Go value of type time.Duration",
        crate::golang::quote(&raw)
    ))
}

/// The JSON text of a value, compact, as a custom decoder receives it.
fn raw_json(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        other => crate::emit::json::to_serde(other).to_string(),
    }
}

/// `resource.Quantity` `UnmarshalJSON`: the text (a string's content, any other value's JSON)
/// trimmed and parsed by `ParseQuantity`.
fn quantity(value: &Value, json: &Json) -> Result<(), String> {
    let text = match json {
        Json::String => value.as_str().unwrap_or_default().to_string(),
        Json::Number(text) => text.clone(),
        _ => raw_json(value),
    };
    parse_quantity(text.trim())
}

const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// `resource.ParseQuantity`'s syntax: its scanner (`parseQuantityString`) and its suffixes.
/// The numeric overflow checks behind `unable to parse numeric part of quantity` are left out.
fn parse_quantity(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(QUANTITY_FORMAT.to_string());
    }
    let bytes = text.as_bytes();
    let mut pos = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |from: usize| {
        bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    pos += digits(pos);
    if bytes.get(pos) == Some(&b'.') {
        pos += 1 + digits(pos + 1);
    }
    let suffix_start = pos;
    pos += bytes
        .get(pos..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b"eEinumkKMGTP".contains(b))
        .count();
    if matches!(bytes.get(pos), Some(b'+' | b'-')) {
        pos += 1;
    }
    pos += digits(pos);
    if pos != bytes.len() {
        return Err(QUANTITY_FORMAT.to_string());
    }
    let suffix = text.get(suffix_start..).unwrap_or_default();
    let known = matches!(
        suffix,
        "" | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
            | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
    );
    let exponent = suffix
        .strip_prefix(['e', 'E'])
        .is_some_and(|e| !e.is_empty() && e.parse::<i64>().is_ok());
    if known || exponent {
        Ok(())
    } else {
        Err("unable to parse quantity's suffix".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Struct) -> Vec<&'static str> {
        s.fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn go_floats_as_encoding_json_writes_them() {
        assert_eq!(go_float(1.0), "1");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(1.5e-7), "1.5e-7");
        assert_eq!(go_float(0.000001), "0.000001");
    }

    #[test]
    fn quantities_as_parse_quantity_reads_them() {
        for ok in [
            "0", "100", "1.5", "64Mi", "10m", "1e3", "1E-3", ".5", "+1k", "1.",
        ] {
            assert_eq!(parse_quantity(ok), Ok(()), "{ok}");
        }
        assert_eq!(parse_quantity("true"), Err(QUANTITY_FORMAT.to_string()));
        assert_eq!(parse_quantity("1 Mi"), Err(QUANTITY_FORMAT.to_string()));
        assert_eq!(parse_quantity("1Mb"), Err(QUANTITY_FORMAT.to_string()));
        assert_eq!(
            parse_quantity("1Mk"),
            Err("unable to parse quantity's suffix".to_string())
        );
        assert_eq!(
            parse_quantity("1ki"),
            Err("unable to parse quantity's suffix".to_string())
        );
    }

    /// The field lists differ between releases only where cert-manager's types.go does.
    #[test]
    fn fields_added_after_v1_17() {
        let mut later = Vec::new();
        let mut visit: Vec<(String, &Struct)> = vec![(String::new(), &CONTROLLER_CONFIGURATION)];
        while let Some((prefix, s)) = visit.pop() {
            for f in s.fields {
                let path = join(&prefix, f.name);
                if f.since != V1_17 {
                    later.push(format!("{path} {}", f.since));
                }
                match f.ty {
                    Type::Struct(inner)
                    | Type::List {
                        item: &Type::Struct(inner),
                        ..
                    } => visit.push((path, inner)),
                    _ => {}
                }
            }
        }
        later.sort();
        assert_eq!(
            later,
            [
                "acmeHTTP01Config.solverExtraLabels v1.21",
                "acmeHTTP01Config.solverRuntimeClassName v1.21",
                "certificateRequestMaximumBackoffDuration v1.21",
                "certificateRequestMinimumBackoffDuration v1.20",
                "enableGatewayAPIListenerSet v1.20",
                "gatewayAPI v1.21",
                "ingressShimConfig.extraCertificateAnnotations v1.18",
                "pemSizeLimitsConfig v1.20",
            ]
        );
        assert_eq!(names(&TEXT_OPTIONS), ["splitStream", "infoBufferSize"]);
    }
}
