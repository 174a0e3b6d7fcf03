//! Parses one input's text into documents: multi-document YAML (JSON is YAML), with line
//! numbers on every node, duplicate keys refused, merge keys (`<<`) applied, and bounds on
//! nesting depth and alias expansion so a hostile file cannot exhaust memory.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::tree::{Entry, Map, Node, Value, resolve_plain, resolve_plain_scalar};

/// Bounds on what one input may make lsc build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes that aliases may add by expansion, per input.
    pub max_alias_nodes: usize,
    /// Largest input, in bytes.
    pub max_input_bytes: usize,
    /// When set, documents of other kinds come back empty: those whose layout shows their kind
    /// at a glance are not parsed at all (`skim`), the others are parsed (duplicate keys, depth
    /// and syntax still checked) but no tree is built past their `kind`. `*List` kinds are
    /// always built, since their items may be of any kind.
    pub only_kinds: Option<&'static [&'static str]>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
            max_input_bytes: 256 * 1024 * 1024,
            only_kinds: None,
        }
    }
}

/// A parsed document: its 1-based number in the input and its root node (None for an empty
/// document such as the space between two `---`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub number: usize,
    pub root: Option<Node>,
}

/// Why an input could not be parsed, at which document and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub document: usize,
    pub line: u32,
    pub message: String,
}

enum Frame {
    Seq {
        line: u32,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        line: u32,
        anchor: usize,
        map: Map,
        pending_key: Option<(String, u32)>,
        merges: Vec<(Node, u32)>,
    },
}

/// Parses the whole text. Documents before an error are still returned with the error, so
/// callers can report everything they know.
pub fn parse_documents(text: &str, limits: &Limits) -> (Vec<RawDocument>, Option<ParseError>) {
    match limits.only_kinds {
        Some(kinds) => parse_text(
            &super::skim::mask_unwanted(text, &|kind| kinds.contains(&kind)),
            limits,
        ),
        None => parse_text(text, limits),
    }
}

fn parse_text(text: &str, limits: &Limits) -> (Vec<RawDocument>, Option<ParseError>) {
    let mut builder = Builder {
        limits,
        documents: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        document: 0,
        root: None,
        skipping: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (line, message) = match parser.next_event() {
            None => break,
            Some(Err(e)) => (e.marker().line(), scan_message(e.info(), e.marker().col())),
            Some(Ok((event, span))) => match builder.on_event(event, span) {
                Ok(()) => continue,
                Err(message) => (span.start.line(), message),
            },
        };
        let error = ParseError {
            document: builder.document.max(1),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            message,
        };
        return (builder.documents, Some(error));
    }
    (builder.documents, None)
}

fn scan_message(info: &str, col: usize) -> String {
    format!("invalid YAML: {info} (column {})", col + 1)
}

struct Builder<'l> {
    limits: &'l Limits,
    documents: Vec<RawDocument>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    document: usize,
    root: Option<Node>,
    /// Open collections of a document being skipped for its kind (empty: building). Only
    /// mapping keys are kept, to still refuse duplicates.
    skipping: Vec<Skipped>,
}

enum Skipped {
    Map {
        keys: Vec<(String, u32)>,
        expecting_key: bool,
    },
    Seq,
}

fn line_of(span: &Span) -> u32 {
    u32::try_from(span.start.line()).unwrap_or(u32::MAX)
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(map) => {
            1 + map
                .entries
                .iter()
                .map(|e| 1 + count_nodes(&e.value))
                .sum::<usize>()
        }
        _ => 1,
    }
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), String> {
        if !self.skipping.is_empty() {
            return self.skip(event, line_of(&span));
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.document += 1;
                self.root = None;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                self.documents.push(RawDocument {
                    number: self.document,
                    root: self.root.take(),
                });
            }
            Event::Scalar(text, style, anchor, tag) => {
                let line = line_of(&span);
                let value = scalar_value(text, style, tag.as_deref().map(|t| t.suffix.as_str()))?;
                self.complete(Node { line, value }, anchor)?;
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err("invalid YAML: alias to an unknown anchor".to_string());
                };
                let added = count_nodes(node);
                self.alias_nodes = self.alias_nodes.saturating_add(added);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(format!(
                        "aliases expand to more than {} nodes (--max-alias-nodes); refusing a possible alias bomb",
                        self.limits.max_alias_nodes
                    ));
                }
                let mut node = node.clone();
                node.line = line_of(&span);
                self.complete(node, 0)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.enter()?;
                self.stack.push(Frame::Seq {
                    line: line_of(&span),
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                self.enter()?;
                self.stack.push(Frame::Map {
                    line: line_of(&span),
                    anchor,
                    map: Map::default(),
                    pending_key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    line,
                    anchor,
                    items,
                }) = self.stack.pop()
                {
                    self.complete(
                        Node {
                            line,
                            value: Value::Seq(items),
                        },
                        anchor,
                    )?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    line,
                    anchor,
                    mut map,
                    merges,
                    ..
                }) = self.stack.pop()
                {
                    apply_merges(&mut map, merges)?;
                    self.complete(
                        Node {
                            line,
                            value: Value::Map(map),
                        },
                        anchor,
                    )?;
                }
            }
        }
        Ok(())
    }

    fn enter(&self) -> Result<(), String> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(format!(
                "nesting deeper than {} levels (--max-depth)",
                self.limits.max_depth
            ));
        }
        Ok(())
    }

    /// Places a finished node into its parent (or as the document root).
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), String> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let top_level = self.stack.len() == 1;
        let only_kinds = self.limits.only_kinds;
        let mut skip_rest = false;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                map,
                pending_key,
                merges,
                ..
            }) => match pending_key.take() {
                None => {
                    let key = match node.value {
                        Value::Str(s) | Value::Plain(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => f,
                        Value::Null => "null".to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(
                                "a mapping key must be a scalar, not a list or mapping".to_string()
                            );
                        }
                    };
                    // Kubernetes objects have few keys per mapping: a scan beats a hash set.
                    if key != "<<" {
                        if let Some(first) = map.entries.iter().find(|e| e.key == key) {
                            return Err(format!(
                                "duplicate key \"{key}\" (first defined at line {})",
                                first.key_line
                            ));
                        }
                    }
                    *pending_key = Some((key, node.line));
                }
                Some((key, key_line)) => {
                    if key == "<<" {
                        merges.push((node, key_line));
                    } else {
                        skip_rest = top_level
                            && key == "kind"
                            && only_kinds.is_some_and(|kinds| {
                                node.value.as_str().is_some_and(|kind| {
                                    !kind.ends_with("List") && !kinds.contains(&kind)
                                })
                            });
                        map.entries.push(Entry {
                            key,
                            key_line,
                            value: node,
                        });
                    }
                }
            },
        }
        if skip_rest {
            // The rest of this document is not needed: drop what was built and only follow
            // its structure (and its keys) to the end.
            let keys = match self.stack.pop() {
                Some(Frame::Map { map, .. }) => map
                    .entries
                    .into_iter()
                    .map(|e| (e.key, e.key_line))
                    .collect(),
                _ => Vec::new(),
            };
            self.stack.clear();
            self.skipping.push(Skipped::Map {
                keys,
                expecting_key: true,
            });
        }
        Ok(())
    }

    /// Follows a skipped document's nesting (still bounded by `max_depth`) and refuses its
    /// duplicate keys, until its root mapping closes.
    fn skip(&mut self, event: Event<'_>, line: u32) -> Result<(), String> {
        // A value (scalar, alias or finished collection) completes its parent's entry.
        fn value_done(stack: &mut [Skipped]) {
            if let Some(Skipped::Map { expecting_key, .. }) = stack.last_mut() {
                *expecting_key = true;
            }
        }
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if let Some(Skipped::Map {
                    expecting_key: true,
                    ..
                }) = self.skipping.last()
                {
                    return Err("a mapping key must be a scalar, not a list or mapping".to_string());
                }
                if self.skipping.len() >= self.limits.max_depth {
                    return Err(format!(
                        "nesting deeper than {} levels (--max-depth)",
                        self.limits.max_depth
                    ));
                }
                self.skipping
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Skipped::Map {
                            keys: Vec::new(),
                            expecting_key: true,
                        }
                    } else {
                        Skipped::Seq
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.skipping.pop();
                value_done(&mut self.skipping);
            }
            Event::Scalar(text, ..) => match self.skipping.last_mut() {
                Some(Skipped::Map {
                    keys,
                    expecting_key: expecting @ true,
                }) => {
                    if text != "<<" {
                        if let Some((_, first)) = keys.iter().find(|(k, _)| *k == text) {
                            return Err(format!(
                                "duplicate key \"{text}\" (first defined at line {first})"
                            ));
                        }
                    }
                    keys.push((text.into_owned(), line));
                    *expecting = false;
                }
                _ => value_done(&mut self.skipping),
            },
            Event::Alias(_) => value_done(&mut self.skipping),
            _ => {}
        }
        Ok(())
    }
}

/// YAML merge keys, as Kubernetes' YAML reader applies them: keys of the merged mappings are
/// added unless the mapping defines them itself; earlier merged mappings win over later ones.
fn apply_merges(map: &mut Map, merges: Vec<(Node, u32)>) -> Result<(), String> {
    for (node, line) in merges {
        let sources: Vec<Node> = match node.value {
            Value::Map(_) => vec![node],
            Value::Seq(items) => items,
            _ => {
                return Err(format!(
                    "the merge key `<<` at line {line} needs a mapping or a list of mappings"
                ));
            }
        };
        for source in sources {
            let Value::Map(source) = source.value else {
                return Err(format!(
                    "the merge key `<<` at line {line} needs a mapping or a list of mappings"
                ));
            };
            for entry in source.entries {
                if map.get(&entry.key).is_none() {
                    map.entries.push(entry);
                }
            }
        }
    }
    Ok(())
}

fn scalar_value(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&str>,
) -> Result<Value, String> {
    if let Some(tag) = tag {
        return match tag {
            "str" => Ok(Value::Str(text.into_owned())),
            "int" => text
                .parse::<i64>()
                .map(Value::Int)
                .map_err(|_| format!("\"{text}\" is tagged !!int but is not an integer")),
            "bool" => match resolve_plain(&text) {
                Value::Bool(b) => Ok(Value::Bool(b)),
                _ => Err(format!("\"{text}\" is tagged !!bool but is not a boolean")),
            },
            "null" => Ok(Value::Null),
            "float" => Ok(Value::Float(text.into_owned())),
            _ => Ok(if style == ScalarStyle::Plain {
                resolve_plain_scalar(&text)
            } else {
                Value::Str(text.into_owned())
            }),
        };
    }
    Ok(match style {
        ScalarStyle::Plain => resolve_plain_scalar(&text),
        _ => Value::Str(text.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<RawDocument>, Option<ParseError>) {
        parse_documents(text, &Limits::default())
    }

    #[test]
    fn documents_are_numbered_and_lined() {
        let (docs, err) = parse("a: 1\n---\n\n---\nb:\n  c: x\n");
        assert!(err.is_none());
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1].root.as_ref().map(|n| &n.value), Some(&Value::Null));
        let root = docs[2].root.as_ref().unwrap();
        assert_eq!(docs[2].number, 3);
        assert_eq!(root.line, 5);
        assert_eq!(root.path(&["b", "c"]).unwrap().line, 6);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let (_, err) = parse("a: 1\nb: 2\na: 3\n");
        let err = err.unwrap();
        assert_eq!(err.line, 3);
        assert!(
            err.message
                .contains("duplicate key \"a\" (first defined at line 1)")
        );
    }

    #[test]
    fn merge_keys_apply() {
        let (docs, _) = parse("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        let root = docs[0].root.as_ref().unwrap();
        let m = root.path(&["m"]).unwrap().as_map().unwrap();
        let keys: Vec<_> = m.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["y", "x"]);
        assert_eq!(m.get_value("y").unwrap().value, Value::Int(3));
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let (_, err) = parse(&text);
        assert!(err.unwrap().message.contains("alias bomb"));
    }

    #[test]
    fn depth_is_bounded() {
        let text = "[".repeat(100) + &"]".repeat(100);
        let limits = Limits {
            max_depth: 50,
            ..Limits::default()
        };
        let (_, err) = parse_documents(&text, &limits);
        let message = err.unwrap().message;
        assert!(
            message.contains("nesting deeper than 50 levels"),
            "{message}"
        );
        // Past the parser's own recursion bound, its refusal stands.
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(parse(&text).1.is_some());
    }

    #[test]
    fn syntax_errors_are_located() {
        let (docs, err) = parse("a: 1\n---\nb: [1, 2\nc: 3\n");
        assert_eq!(docs.len(), 1);
        let err = err.unwrap();
        assert_eq!(err.document, 2);
        assert!(err.message.starts_with("invalid YAML"));
    }
}

#[cfg(test)]
mod skip_tests {
    use super::*;

    const ONLY: &[&str] = &["Ingress"];

    fn parse_only(text: &str) -> (Vec<RawDocument>, Option<ParseError>) {
        let limits = Limits {
            only_kinds: Some(ONLY),
            max_depth: 8,
            ..Limits::default()
        };
        parse_documents(text, &limits)
    }

    #[test]
    fn other_kinds_come_back_empty_and_wanted_ones_whole() {
        let (docs, err) = parse_only(
            "kind: Deployment\nspec: {a: [1, {b: 2}]}\n---\nkind: Ingress\nspec: {x: 1}\n---\nkind: List\nitems: []\n",
        );
        assert!(err.is_none(), "{err:?}");
        assert_eq!(docs.len(), 3);
        assert!(docs[0].root.is_none());
        assert!(
            docs[1]
                .root
                .as_ref()
                .is_some_and(|r| r.path(&["spec", "x"]).is_some())
        );
        assert!(docs[2].root.is_some(), "List kinds are always built");
    }

    #[test]
    fn skipped_documents_still_refuse_duplicates_depth_and_bad_yaml() {
        let (_, err) = parse_only("kind: Deployment\nspec:\n  a: 1\n  b: {c: 1, c: 2}\n");
        assert_eq!(
            err.map(|e| (e.line, e.message)),
            Some((
                4,
                "duplicate key \"c\" (first defined at line 4)".to_string()
            ))
        );
        let (_, err) = parse_only("apiVersion: v1\nkind: Deployment\napiVersion: v2\n");
        assert_eq!(
            err.map(|e| e.message),
            Some("duplicate key \"apiVersion\" (first defined at line 1)".to_string())
        );
        let (_, err) = parse_only("kind: Deployment\na: [[[[[[[[[1]]]]]]]]]\n");
        assert!(err.is_some_and(|e| e.message.contains("--max-depth")));
        let (_, err) = parse_only("kind: Deployment\na: [1, 2\n");
        assert!(err.is_some_and(|e| e.message.starts_with("invalid YAML")));
        let (_, err) = parse_only("kind: Deployment\n? [a]\n: 1\n");
        assert!(err.is_some_and(|e| e.message.contains("must be a scalar")));
    }
}

/// The skim (`super::skim`) must never change what a valid input means: for any text the
/// parser accepts, parsing with and without it gives the same documents.
#[cfg(test)]
mod skim_equivalence {
    use super::*;
    use proptest::prelude::*;

    const WANTED: &[&str] = &["Ingress", "Gateway"];

    fn check(text: &str) -> Result<(), TestCaseError> {
        let limits = Limits {
            only_kinds: Some(WANTED),
            ..Limits::default()
        };
        // An empty document and a skipped one are the same to the reader: nothing.
        let nothing = |(docs, error): (Vec<RawDocument>, _)| {
            let docs: Vec<_> = docs
                .into_iter()
                .map(|d| RawDocument {
                    root: d.root.filter(|r| r.value != Value::Null),
                    ..d
                })
                .collect();
            (docs, error)
        };
        let (full, error) = nothing(parse_text(text, &limits));
        let (skimmed, skimmed_error) = nothing(parse_documents(text, &limits));
        if error.is_none() {
            prop_assert_eq!(&skimmed, &full, "{:?}", text);
            prop_assert_eq!(skimmed_error, None, "{:?}", text);
        }
        Ok(())
    }

    /// Every YAML file of the fixtures and examples.
    #[test]
    fn fixtures_read_the_same() {
        fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, files);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("tests/fixtures"), &mut files);
        walk(&root.join("examples"), &mut files);
        assert!(files.len() > 300, "{}", files.len());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            check(&text).unwrap();
        }
    }

    /// Lines chosen to sit on the skim's edges: kinds it must read, values that could run on,
    /// quotes, flows, block scalars, markers and directives.
    const LINES: &[&str] = &[
        "kind: Service",
        "kind: Ingress",
        "kind: ServiceList",
        "kind: Service # c",
        "kind: \"Service\"",
        "kind: 'Ingress'",
        "kind: !!str Ingress",
        "kind:",
        "  Ingress",
        "  Service",
        "kind: True",
        "kind: Ing",
        "  ress",
        "apiVersion: v1",
        "metadata:",
        "  name: a",
        "  kind: Ingress",
        "a: |",
        "a: >-",
        "  kind: Ingress",
        "kind: Ingress",
        "a: \"x",
        "a: 'x",
        "b: y\"",
        "b: y'",
        "a: [1,",
        "  2]",
        "a: {b: c}",
        "a: {b: \"}\"",
        "- x",
        "-  kind: Ingress",
        "items:",
        "- kind: Ingress",
        "  name: b",
        "# kind: Ingress",
        "  # comment",
        "",
        "   ",
        "---",
        "--- # c",
        "--- |",
        "--- !!map",
        "...",
        "%YAML 1.2",
        "? kind",
        ": Ingress",
        "\"kind\": Ingress",
        "kind : Ingress",
        "<<: {kind: Ingress}",
        "a: &x b",
        "c: *x",
        "\tkind: Ingress",
        "a: b # c",
        "kind: Service\r",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn generated_texts_read_the_same(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 1..14),
            newline_at_end in any::<bool>(),
        ) {
            let mut text = lines.join("\n");
            if newline_at_end {
                text.push('\n');
            }
            check(&text)?;
        }
    }
}
