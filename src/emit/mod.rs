//! Writers of lsc's results: kubectl-style YAML and JSON.

pub mod files;
pub mod findings;
pub mod json;
pub mod yaml;

use rayon::prelude::*;

use crate::source::tree::Node;

/// The output formats of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

/// [`objects`] for objects made from `groups` of items, one group after the other. In YAML
/// each object is made and written on a worker thread, chunk by chunk, and the chunks are
/// joined in order: the text is the same whatever the number of threads, and only the text
/// (not every object's tree) is held at once.
pub fn object_stream<T: Sync>(
    format: Format,
    groups: &[&[T]],
    node: impl Fn(&T) -> Node + Sync,
) -> String {
    /// Objects per chunk: enough to make a chunk worth a task.
    const CHUNK: usize = 64;
    match format {
        Format::Yaml => {
            let chunks: Vec<String> = groups
                .iter()
                .flat_map(|items| items.chunks(CHUNK))
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|chunk| {
                    let mut text = String::new();
                    for item in chunk {
                        text.push_str("---\n");
                        yaml::write_document(&mut text, &node(item));
                    }
                    text
                })
                .collect();
            let mut out = String::with_capacity(chunks.iter().map(String::len).sum());
            for (i, chunk) in chunks.iter().enumerate() {
                // No `---` before the first document.
                let skip = if i == 0 { "---\n".len() } else { 0 };
                out.push_str(chunk.get(skip..).unwrap_or_default());
            }
            out
        }
        Format::Json => {
            let nodes: Vec<Node> = groups
                .iter()
                .flat_map(|items| items.iter().map(&node))
                .collect();
            let mut out = String::new();
            json::write_list(&mut out, &nodes.iter().collect::<Vec<_>>());
            out
        }
    }
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
