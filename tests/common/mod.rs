//! Helpers shared by the integration tests: schema validation of lsc's output.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::OnceLock;

use lsc::emit::json::to_serde;
use lsc::source::yaml::{Limits, parse_documents};

fn certificate_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/schemas/certificate.cert-manager.io.v1.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).expect("the Certificate schema compiles")
    })
}

/// Every Certificate in a YAML stream validates against cert-manager's CRD schema; returns how
/// many were checked.
pub fn assert_certificates_valid(yaml: &str, context: &str) -> usize {
    let (docs, err) = parse_documents(yaml, &Limits::default());
    assert!(
        err.is_none(),
        "{context}: output is not valid YAML: {err:?}"
    );
    let mut checked = 0;
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let json = to_serde(&root.value);
        if json.get("kind").and_then(|k| k.as_str()) != Some("Certificate") {
            continue;
        }
        let errors: Vec<String> = certificate_schema()
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{context}: Certificate fails the schema: {errors:?}\n{json:#}"
        );
        checked += 1;
    }
    checked
}
