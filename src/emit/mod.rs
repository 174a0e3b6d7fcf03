//! Writers of lsc's results: kubectl-style YAML and JSON.

pub mod files;
pub mod findings;
pub mod json;
pub mod yaml;

use crate::source::tree::Node;

/// The output formats of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

/// Renders objects in the chosen format; the whole text is built before anything is written.
pub fn objects(format: Format, nodes: &[&Node]) -> String {
    let mut out = String::new();
    match format {
        Format::Yaml => yaml::write_documents(&mut out, nodes.iter().copied()),
        Format::Json => json::write_list(&mut out, nodes),
    }
    out
}
