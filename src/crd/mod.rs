//! A validator built from the real CRDs: the OpenAPI schema checked as the API server checks
//! it (types, required, enum, pattern, bounds, list uniqueness, unknown fields), its defaults
//! applied, then every `x-kubernetes-validations` CEL rule evaluated. The CRDs are embedded
//! (`crds/README.md` lists them) and parsed only when a validation first needs them.

mod catalog;
pub mod library;
mod rules;
mod schema;

use std::fmt;

use crate::source::tree::{Map, Node, Value};

pub use catalog::{EMBEDDED, Embedded, bundle};

/// A Gateway API release whose CRDs lsc carries; the newest by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Release {
    V1_4,
    V1_5,
    #[default]
    V1_6,
}

impl Release {
    pub const ALL: [Release; 3] = [Release::V1_4, Release::V1_5, Release::V1_6];

    /// The pinned tag of the release, as its files are kept under `crds/gateway-api/`.
    pub fn tag(self) -> &'static str {
        match self {
            Release::V1_4 => "v1.4.1",
            Release::V1_5 => "v1.5.1",
            Release::V1_6 => "v1.6.1",
        }
    }

    /// `1.4`, `1.5` or `1.6`, as `--gateway-api-version` takes it.
    pub fn minor(self) -> &'static str {
        match self {
            Release::V1_4 => "1.4",
            Release::V1_5 => "1.5",
            Release::V1_6 => "1.6",
        }
    }

    /// Whether the release serves ListenerSet v1 (`gateway.networking.k8s.io/v1`), which
    /// replaced the experimental XListenerSet in v1.5.
    pub fn serves_listener_set_v1(self) -> bool {
        self >= Release::V1_5
    }

    /// Whether the release serves TLSRoute v1 (from v1.5; v1.4 has v1alpha2 and v1alpha3 in
    /// its experimental CRDs).
    pub fn serves_tls_route_v1(self) -> bool {
        self >= Release::V1_5
    }

    /// `1.4`, `1.5` or `1.6` (also the tag with or without its `v` and patch).
    pub fn parse(text: &str) -> Option<Release> {
        let text = text.strip_prefix('v').unwrap_or(text);
        Release::ALL.into_iter().find(|release| {
            let tag = release.tag().trim_start_matches('v');
            text == tag || tag.rsplit_once('.').is_some_and(|(minor, _)| minor == text)
        })
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Which of a release's two CRD sets is installed. A kind only the experimental set serves
/// (XListenerSet, TCPRoute before 1.6, ...) is checked against it under either choice: such an
/// object can only be applied where the experimental CRDs are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Standard,
    Experimental,
}

impl Channel {
    pub fn dir(self) -> &'static str {
        match self {
            Channel::Standard => "standard",
            Channel::Experimental => "experimental",
        }
    }
}

/// One refusal: the field path as the API server prints it (`spec.listeners[0].port`), the
/// source line of that field (of its nearest ancestor written in the input, for a field a
/// default added), the message in the API server's words, and the constraint it breaks
/// (`Constraint::key`), which the coverage test counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub line: u32,
    pub message: String,
    pub constraint: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The refusals the API server would give `object` (an `apiVersion`/`kind` served by the
/// embedded CRDs of `release` and `channel`, or cert-manager's Certificate), in document order
/// of the fields; `None` when no embedded CRD serves that apiVersion and kind.
pub fn validate(
    api_version: &str,
    kind: &str,
    object: &Node,
    release: Release,
    channel: Channel,
) -> Option<Vec<Violation>> {
    let crd = catalog::lookup(api_version, kind, release, channel)?;
    Some(schema::validate_object(&crd.schema, object))
}

/// [`validate`] for a document's root mapping, whose first line is `line`.
pub fn validate_map(
    api_version: &str,
    kind: &str,
    root: &Map,
    line: u32,
    release: Release,
    channel: Channel,
) -> Option<Vec<Violation>> {
    let crd = catalog::lookup(api_version, kind, release, channel)?;
    let object = Node {
        line,
        value: Value::Map(root.clone()),
    };
    Some(schema::validate_owned(&crd.schema, object))
}

/// The violation the API server adds when it did not run an object's rules because a
/// structural check failed (its `constraint`): it names no field of its own.
pub const RULES_NOT_CHECKED: &str = "rules not checked";

/// Whether an embedded CRD of `release`/`channel` serves `api_version`/`kind`.
pub fn serves(api_version: &str, kind: &str, release: Release, channel: Channel) -> bool {
    catalog::lookup(api_version, kind, release, channel).is_some()
}

/// Every constraint of the schema served for `api_version`/`kind`, as the keys
/// [`Violation::constraint`] carries, each with the schema path it sits at; for the coverage
/// test.
pub fn constraints(
    api_version: &str,
    kind: &str,
    release: Release,
    channel: Channel,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(crd) = catalog::lookup(api_version, kind, release, channel) {
        schema::constraints(&crd.schema, "", &mut out);
    }
    out
}

/// The apiVersions and kinds the embedded CRDs of `release`/`channel` serve.
pub fn served(release: Release, channel: Channel) -> Vec<(String, String)> {
    catalog::served(release, channel)
}

/// The rules that did not compile with lsc's CEL environment (rule text, error), over every
/// embedded CRD: they are skipped when validating.
pub fn uncompiled_rules() -> Vec<(String, String)> {
    catalog::uncompiled_rules()
}
