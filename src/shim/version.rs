//! The cert-manager release whose shim lsc reproduces (`--cert-manager-version`): every switch
//! in which the releases differ for the same input, from v1.17 to master.

use std::fmt;

/// A cert-manager minor release, or master. Patch releases never change the shim, so a patch
/// version maps to its minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertManagerVersion {
    V1_17,
    V1_18,
    V1_19,
    V1_20,
    V1_21,
    Master,
}

use CertManagerVersion::*;

impl Default for CertManagerVersion {
    /// The newest release: what clusters run (master is not released).
    fn default() -> Self {
        V1_21
    }
}

impl fmt::Display for CertManagerVersion {
    /// `v1.20` or `master`, as cert-manager's own documents name them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Master => f.write_str("master"),
            v => write!(f, "v{}", v.name()),
        }
    }
}

impl CertManagerVersion {
    pub const ALL: [CertManagerVersion; 6] = [V1_17, V1_18, V1_19, V1_20, V1_21, Master];

    /// `1.20` or `master`, as `--cert-manager-version` takes it.
    pub fn name(self) -> &'static str {
        match self {
            V1_17 => "1.17",
            V1_18 => "1.18",
            V1_19 => "1.19",
            V1_20 => "1.20",
            V1_21 => "1.21",
            Master => "master",
        }
    }

    /// `1.20`, `v1.20`, `v1.20.3` or `master`; pre-releases are refused (v1.20.0-alpha.1 read
    /// XListenerSet, which no release does).
    pub fn parse(text: &str) -> Result<CertManagerVersion, String> {
        let known = || {
            CertManagerVersion::ALL
                .iter()
                .map(|v| v.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if text == "master" {
            return Ok(Master);
        }
        let bare = text.strip_prefix('v').unwrap_or(text);
        let mut parts = bare.split('.');
        let (major, minor, patch) = (parts.next(), parts.next(), parts.next());
        let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let well_formed = parts.next().is_none()
            && major.is_some_and(numeric)
            && minor.is_some_and(numeric)
            && patch.is_none_or(numeric);
        if !well_formed {
            return Err(format!(
                "--cert-manager-version: {text:?} is not a release (MAJOR.MINOR, an optional patch, no pre-release) or master; known: {}",
                known()
            ));
        }
        let minor = (major, minor.map(|m| m.trim_start_matches('0')));
        CertManagerVersion::ALL
            .into_iter()
            .find(|v| v.name().split_once('.').map(|(a, b)| (Some(a), Some(b))) == Some(minor))
            .ok_or_else(|| {
                format!(
                    "--cert-manager-version: lsc does not know cert-manager {text}; known: {}",
                    known()
                )
            })
    }

    /// The ListenerSet shim, its flag and the `ListenerSets` gate (v1.20, PR #8501).
    pub fn reads_listener_sets(self) -> bool {
        self >= V1_20
    }

    /// Passthrough listeners skipped before validation (v1.18, PR #6986); before, they are
    /// refused with a BadConfig event.
    pub fn skips_passthrough(self) -> bool {
        self >= V1_18
    }

    /// `--extra-certificate-annotations` (v1.18, PR #7083).
    pub fn has_extra_annotations(self) -> bool {
        self >= V1_18
    }

    /// HTTP-01 parentRef annotations, `http01-ingress-ingressclassname`, and no copy of an
    /// empty `http01-ingress-class` (v1.20, PRs #8518 and #8244).
    pub fn writes_parent_refs(self) -> bool {
        self >= V1_20
    }

    /// `alt-names`, `ip-sans`, `ignore-tls-listeners`, `http01-parentreffallback`, extra
    /// protocols and the `gatewayAPI` config block (v1.21).
    pub fn is_at_least_1_21(self) -> bool {
        self >= V1_21
    }

    /// Hosts de-duplicated (PR #8978), the shim's own annotation validation (PR #9160) and
    /// server-side apply on create (PR #8793): master only.
    pub fn is_master(self) -> bool {
        self == Master
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_minor_patch_and_master() {
        for (text, v) in [
            ("1.17", V1_17),
            ("v1.18", V1_18),
            ("v1.20.3", V1_20),
            ("1.21.1", V1_21),
            ("master", Master),
        ] {
            assert_eq!(CertManagerVersion::parse(text), Ok(v), "{text}");
        }
        for bad in ["1.16", "2.0", "v1.20.0-alpha.1", "1", "1.x", "", "latest"] {
            assert!(CertManagerVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_round_trip() {
        for v in CertManagerVersion::ALL {
            assert_eq!(CertManagerVersion::parse(v.name()), Ok(v));
        }
        assert_eq!(CertManagerVersion::default().to_string(), "v1.21");
    }
}
