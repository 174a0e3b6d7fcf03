//! Writers of lsc's results: kubectl-style YAML and JSON.

pub mod files;
pub mod findings;
pub mod json;
pub mod yaml;

use rayon::prelude::*;

use crate::source::tree::{Map, Node, Value};

/// Where an object's fields go, in order: into a tree (`Map`) or straight into YAML text
/// ([`yaml::BlockWriter`]), so that an object made only to be printed needs no tree.
pub trait Fields {
    fn str(&mut self, key: &str, value: &str);
    fn int(&mut self, key: &str, value: i64);
    fn bool(&mut self, key: &str, value: bool);
    fn strs(&mut self, key: &str, items: &[String]);
    fn map(&mut self, key: &str, fields: impl FnOnce(&mut Self));
    /// A list of one mapping.
    fn one_map_list(&mut self, key: &str, fields: impl FnOnce(&mut Self));
}

impl Fields for Map {
    fn str(&mut self, key: &str, value: &str) {
        self.push(key, Value::str(value));
    }

    fn int(&mut self, key: &str, value: i64) {
        self.push(key, Value::Int(value));
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.push(key, Value::Bool(value));
    }

    fn strs(&mut self, key: &str, items: &[String]) {
        self.push(key, Value::str_seq(items));
    }

    fn map(&mut self, key: &str, fields: impl FnOnce(&mut Self)) {
        let mut map = Map::default();
        fields(&mut map);
        self.push(key, Value::Map(map));
    }

    fn one_map_list(&mut self, key: &str, fields: impl FnOnce(&mut Self)) {
        let mut map = Map::default();
        fields(&mut map);
        self.push(key, Value::Seq(vec![Node::new(Value::Map(map))]));
    }
}

/// The output formats of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

/// [`objects`] for objects made from `items`: in YAML each is written by `write` on a worker
/// thread, chunk by chunk, and the chunks are joined in order, so the text is the same
/// whatever the number of threads; in JSON each is made into a tree by `node`.
pub fn object_stream<T: Sync>(
    format: Format,
    items: &[T],
    node: impl Fn(&T) -> Node,
    write: impl Fn(&mut String, &T) + Sync,
) -> String {
    match format {
        Format::Yaml => yaml_in_parallel(items, write),
        Format::Json => {
            let nodes: Vec<Node> = items.iter().map(node).collect();
            let mut out = String::new();
            json::write_list(&mut out, &nodes.iter().collect::<Vec<_>>());
            out
        }
    }
}

/// A YAML stream of `items`, each written by `write`: chunks of the stream are written on
/// the worker threads and joined in order, so the text is the same whatever the number of
/// threads.
fn yaml_in_parallel<T: Sync>(items: &[T], write: impl Fn(&mut String, &T) + Sync) -> String {
    /// Objects per chunk: enough to make a chunk worth a task.
    const CHUNK: usize = 64;
    let chunks: Vec<String> = items
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut text = String::new();
            for item in chunk {
                text.push_str("---\n");
                write(&mut text, item);
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

/// Converted objects as one stream in the chosen format, as `lsc convert` prints them.
pub fn converted(format: Format, objects: &[crate::convert::Emitted]) -> String {
    match format {
        Format::Yaml => yaml_in_parallel(objects, |out, object| out.push_str(&object.yaml())),
        Format::Json => {
            let trees: Vec<_> = objects.iter().map(|o| o.tree()).collect();
            let nodes: Vec<&Node> = trees.iter().map(|t| t.as_ref()).collect();
            self::objects(format, &nodes)
        }
    }
}

/// Renders objects in the chosen format; the whole text is built before anything is written.
pub fn objects(format: Format, nodes: &[&Node]) -> String {
    match format {
        Format::Yaml => yaml_in_parallel(nodes, |out, node| yaml::write_document(out, node)),
        Format::Json => {
            let mut out = String::new();
            json::write_list(&mut out, nodes);
            out
        }
    }
}
