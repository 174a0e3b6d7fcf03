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

/// [`objects`] for objects made one at a time: in YAML each is written and dropped before the
/// next is made, so only the text grows.
pub fn object_stream(format: Format, nodes: impl Iterator<Item = Node>) -> String {
    let mut out = String::new();
    match format {
        Format::Yaml => {
            for (i, node) in nodes.enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                yaml::write_document(&mut out, &node);
            }
        }
        Format::Json => {
            let nodes: Vec<Node> = nodes.collect();
            json::write_list(&mut out, &nodes.iter().collect::<Vec<_>>());
        }
    }
    out
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
