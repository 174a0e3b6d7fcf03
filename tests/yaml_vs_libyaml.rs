//! lsc's YAML reader against libyaml, the reader kubectl's go-yaml is a port of (and PyYAML's
//! C reader): on generated valid streams (block and flow collections, plain, quoted and block
//! scalars with every chomping and indentation indicator, at the end of the input with and
//! without a final line break, empty block scalars followed by comments, escapes, comments,
//! document markers, anchors and aliases), whenever libyaml reads a stream lsc must read it
//! too, into the same documents.
//!
//! libyaml comes from `unsafe-libyaml`, a line-by-line Rust translation of it (no C compiler
//! needed). A pure-Rust YAML 1.2 parser would not do: yaml-rust2 and saphyr share
//! saphyr-parser's scanner, so they would agree with lsc where it is wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;

use lsc::source::tree::{Entry, Key, Map, Node, Value, resolve_plain_scalar};
use lsc::source::yaml::{Limits, parse_documents};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// libyaml's reading, as lsc's tree.

enum Open {
    Seq(Vec<Node>, Option<String>),
    Map(Map, Option<Key>, Option<String>),
}

/// The documents libyaml reads from `text` (`None` for an empty one), scalars resolved as lsc
/// resolves untagged ones, aliases expanded; `None` when libyaml refuses the text or it holds
/// what this comparison leaves out (tags, merge keys, duplicate keys, keys that are not text).
fn libyaml(text: &str) -> Option<Vec<Option<Node>>> {
    unsafe {
        let mut parser = std::mem::MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit();
        if unsafe_libyaml::yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return None;
        }
        let parser = parser.as_mut_ptr();
        unsafe_libyaml::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as _);
        let documents = read_events(parser);
        unsafe_libyaml::yaml_parser_delete(parser);
        documents
    }
}

unsafe fn c_string(p: *const u8) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let c = unsafe { std::ffi::CStr::from_ptr(p.cast()) };
    Some(c.to_string_lossy().into_owned())
}

unsafe fn read_events(parser: *mut unsafe_libyaml::yaml_parser_t) -> Option<Vec<Option<Node>>> {
    let mut documents = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<String, Node> = HashMap::new();
    let mut root = None;
    loop {
        let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        if unsafe { unsafe_libyaml::yaml_parser_parse(parser, event.as_mut_ptr()) }.fail {
            return None;
        }
        let event = event.as_mut_ptr();
        let kind = unsafe { (*event).type_ };
        let mut done: Option<(Node, Option<String>)> = None;
        let mut ok = true;
        match kind {
            unsafe_libyaml::YAML_STREAM_END_EVENT => {
                unsafe { unsafe_libyaml::yaml_event_delete(event) };
                return Some(documents);
            }
            unsafe_libyaml::YAML_DOCUMENT_START_EVENT => {
                root = None;
                anchors.clear();
            }
            unsafe_libyaml::YAML_DOCUMENT_END_EVENT => documents.push(root.take()),
            unsafe_libyaml::YAML_SCALAR_EVENT => {
                let s = unsafe { (*event).data.scalar };
                let bytes = unsafe { std::slice::from_raw_parts(s.value, s.length as usize) };
                let value = String::from_utf8(bytes.to_vec()).ok()?;
                let tag = unsafe { c_string(s.tag) };
                let anchor = unsafe { c_string(s.anchor) };
                ok = tag.is_none();
                let value = if s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE {
                    ok &= value != "<<";
                    resolve_plain_scalar(&value)
                } else {
                    Value::Str(value)
                };
                done = Some((Node { line: 0, value }, anchor));
            }
            unsafe_libyaml::YAML_ALIAS_EVENT => {
                let name = unsafe { c_string((*event).data.alias.anchor) }?;
                done = Some((anchors.get(&name)?.clone(), None));
            }
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT => {
                let s = unsafe { (*event).data.sequence_start };
                ok = unsafe { c_string(s.tag) }.is_none();
                stack.push(Open::Seq(Vec::new(), unsafe { c_string(s.anchor) }));
            }
            unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                let m = unsafe { (*event).data.mapping_start };
                ok = unsafe { c_string(m.tag) }.is_none();
                stack.push(Open::Map(Map::default(), None, unsafe {
                    c_string(m.anchor)
                }));
            }
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
                done = match stack.pop()? {
                    Open::Seq(items, anchor) => Some((
                        Node {
                            line: 0,
                            value: Value::Seq(items),
                        },
                        anchor,
                    )),
                    Open::Map(map, _, anchor) => Some((
                        Node {
                            line: 0,
                            value: Value::Map(map),
                        },
                        anchor,
                    )),
                };
            }
            _ => {}
        }
        unsafe { unsafe_libyaml::yaml_event_delete(event) };
        if !ok {
            return None;
        }
        let Some((node, anchor)) = done else { continue };
        if let Some(anchor) = anchor {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(map, pending, _)) => match pending.take() {
                None => {
                    let key = match node.value {
                        Value::Str(s) | Value::Plain(s) => Key::from(s),
                        _ => return None,
                    };
                    if map.get(&key).is_some() {
                        return None;
                    }
                    *pending = Some(key);
                }
                Some(key) => map.entries.push(Entry {
                    key,
                    key_line: 0,
                    value: node,
                }),
            },
        }
    }
}

/// The tree without its line numbers.
fn unlined(node: &mut Node) {
    node.line = 0;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(unlined),
        Value::Map(map) => {
            for entry in &mut map.entries {
                entry.key_line = 0;
                unlined(&mut entry.value);
            }
        }
        _ => {}
    }
}

/// What lsc reads from `text`, as [`libyaml`] gives it.
fn lsc(text: &str) -> Result<Vec<Option<Node>>, String> {
    let (documents, error) = parse_documents(text, &Limits::default());
    if let Some(error) = error {
        return Err(format!("line {}: {}", error.line, error.message));
    }
    Ok(documents
        .into_iter()
        .map(|d| {
            d.root.map(|mut root| {
                unlined(&mut root);
                root
            })
        })
        .collect())
}

fn same_as_libyaml(text: &str) -> Result<bool, TestCaseError> {
    let Some(expected) = libyaml(text) else {
        return Ok(false);
    };
    // An empty document is no root to lsc, a null to libyaml.
    let expected: Vec<_> = expected
        .into_iter()
        .map(|root| root.filter(|r| r.value != Value::Null))
        .collect();
    let read = lsc(text).map(|docs| {
        docs.into_iter()
            .map(|root| root.filter(|r| r.value != Value::Null))
            .collect::<Vec<_>>()
    });
    prop_assert_eq!(read, Ok(expected), "{:?}", text);
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// The generated streams.

#[derive(Debug, Clone)]
enum Scalar {
    Plain(&'static str),
    Single(String),
    /// Written with escapes chosen per character.
    Double(String, u8),
    Block {
        literal: bool,
        chomp: &'static str,
        indicator: Option<u8>,
        /// Lines past the block's indentation (`None`: an empty line, `Some(n, text)`: `n`
        /// more spaces, then text).
        lines: Vec<Option<(u8, &'static str)>>,
        /// Empty lines after the content.
        trailing: u8,
    },
    /// A block scalar without content: an empty line of `spaces` more than its parent, then
    /// a comment `column` spaces past its parent's indentation (less than or at the block's).
    EmptyBlockThenComment {
        header: &'static str,
        spaces: u8,
        column: u8,
    },
}

#[derive(Debug, Clone)]
enum Gen {
    Scalar(Scalar),
    /// An alias to the latest anchor written, or a plain scalar before any.
    Alias,
    Map(Vec<Gen>, bool),
    Seq(Vec<Gen>, bool),
    Flow(Vec<Gen>, bool),
}

const PLAIN: &[&str] = &[
    "web",
    "a b",
    "443",
    "-1",
    "1.5",
    "0x1F",
    "0o17",
    "1_0",
    "0777",
    "yes",
    "Off",
    "~",
    "null",
    "true",
    ".inf",
    "a:b",
    "-x",
    "x#y",
    "example.com/*",
    "2024-01-01",
    "ünï",
];

const WORDS: &[&str] = &[
    "a",
    "b c",
    "  lead",
    "trail  ",
    "# not a comment",
    "- x",
    "k: v",
    "é",
];

fn scalar() -> impl Strategy<Value = Scalar> {
    // U+2028 and U+0085 unescaped are line breaks to YAML 1.1 (libyaml) and text to YAML 1.2
    // (lsc): written only escaped.
    let text = "[a-z \"'\\\\#:é\u{1F600}\t]{0,8}";
    let escaped_text = "[a-z \"'\\\\#:é\u{2028}\u{85}\u{1F600}\t]{0,8}";
    prop_oneof![
        4 => proptest::sample::select(PLAIN).prop_map(Scalar::Plain),
        2 => text.prop_map(Scalar::Single),
        3 => (escaped_text, any::<u8>()).prop_map(|(s, e)| Scalar::Double(s, e)),
        4 => (
            any::<bool>(),
            proptest::sample::select(&["", "-", "+"][..]),
            proptest::option::of(1u8..4),
            proptest::collection::vec(
                proptest::option::weighted(0.8, (0u8..3, proptest::sample::select(WORDS))),
                0..5
            ),
            0u8..3,
        )
            .prop_map(|(literal, chomp, indicator, lines, trailing)| Scalar::Block {
                literal,
                chomp,
                indicator,
                lines,
                trailing,
            }),
        2 => (
            proptest::sample::select(&["|", ">", "|-", "|+", ">+", "|2", "|1-", ">2+"][..]),
            0u8..6,
            0u8..5,
        )
            .prop_map(|(header, spaces, column)| Scalar::EmptyBlockThenComment {
                header,
                spaces,
                column,
            }),
    ]
}

fn node_strategy() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        8 => scalar().prop_map(Gen::Scalar),
        1 => Just(Gen::Alias),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 0..5),
                any::<bool>()
            )
                .prop_map(|(v, a)| Gen::Map(v, a)),
            (
                proptest::collection::vec(inner.clone(), 0..5),
                any::<bool>()
            )
                .prop_map(|(v, a)| Gen::Seq(v, a)),
            (proptest::collection::vec(inner, 0..4), any::<bool>())
                .prop_map(|(v, m)| Gen::Flow(v, m)),
        ]
    })
}

struct Writer {
    out: String,
    anchors: usize,
    /// The latest anchor whose node is complete, for aliases.
    finished: usize,
    keys: usize,
    comments: std::iter::Cycle<std::vec::IntoIter<bool>>,
}

impl Writer {
    fn indent(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn key(&mut self) -> String {
        self.keys += 1;
        if self.keys.is_multiple_of(3) {
            format!("\"k {}\"", self.keys)
        } else {
            format!("k{}", self.keys)
        }
    }

    fn anchor(&mut self) -> String {
        self.anchors += 1;
        format!("&a{} ", self.anchors)
    }

    fn alias(&self) -> String {
        match self.finished {
            0 => "web".to_string(),
            n => format!("*a{n}"),
        }
    }

    /// A comment line now and then, at a column of its own.
    fn maybe_comment(&mut self, column: usize) {
        if self.comments.next() == Some(true) {
            self.indent(column);
            self.out.push_str("# comment\n");
        }
    }

    /// A scalar that fits on the line being written, then its line break (and the lines of a
    /// block scalar). `parent` is the indentation of the collection holding it.
    fn scalar(&mut self, s: &Scalar, parent: usize) {
        match s {
            Scalar::Plain(p) => self.out.push_str(p),
            Scalar::Single(t) => {
                self.out.push('\'');
                self.out.push_str(&t.replace('\'', "''"));
                self.out.push('\'');
            }
            Scalar::Double(t, e) => {
                self.out.push('"');
                for (i, c) in t.chars().enumerate() {
                    let pick = e.rotate_left(i as u32) % 4;
                    match (c, pick) {
                        ('"', _) => self.out.push_str("\\\""),
                        ('\\', _) => self.out.push_str("\\\\"),
                        ('\t', 0) => self.out.push_str("\\t"),
                        ('\u{2028}', 0 | 1) => self.out.push_str("\\L"),
                        ('\u{85}', 0 | 2) => self.out.push_str("\\N"),
                        (c, 1) if (c as u32) < 0x100 => {
                            self.out.push_str(&format!("\\x{:02x}", c as u32));
                        }
                        (c, 2) if (c as u32) < 0x10000 => {
                            self.out.push_str(&format!("\\u{:04X}", c as u32));
                        }
                        (c, 3) => self.out.push_str(&format!("\\U{:08x}", c as u32)),
                        (c, _) => self.out.push(c),
                    }
                }
                self.out.push('"');
            }
            Scalar::Block {
                literal,
                chomp,
                indicator,
                lines,
                trailing,
            } => {
                self.out.push(if *literal { '|' } else { '>' });
                let indent = match indicator {
                    Some(n) => {
                        self.out.push_str(&n.to_string());
                        parent + usize::from(*n)
                    }
                    None => parent + 2,
                };
                self.out.push_str(chomp);
                for line in lines {
                    self.out.push('\n');
                    if let Some((more, text)) = line {
                        self.indent(indent + usize::from(*more));
                        self.out.push_str(text);
                    }
                }
                for _ in 0..*trailing {
                    self.out.push('\n');
                }
            }
            Scalar::EmptyBlockThenComment {
                header,
                spaces,
                column,
            } => {
                self.out.push_str(header);
                self.out.push('\n');
                self.indent(parent + usize::from(*spaces));
                self.out.push('\n');
                self.indent(parent + usize::from(*column));
                self.out.push_str("# after an empty block");
            }
        }
        self.out.push('\n');
    }

    /// A node after `key:` or `-` (the line written up to there, a space not yet); `column` is
    /// the key's or the dash's column.
    fn node(&mut self, g: &Gen, column: usize, in_seq: bool) {
        match g {
            Gen::Scalar(s) => {
                self.out.push(' ');
                self.scalar(s, column);
            }
            Gen::Alias => {
                self.out.push(' ');
                let alias = self.alias();
                self.out.push_str(&alias);
                self.out.push('\n');
            }
            Gen::Flow(items, mapping) => {
                self.out.push(' ');
                self.flow(items, *mapping);
                self.out.push('\n');
            }
            Gen::Map(entries, anchored) | Gen::Seq(entries, anchored) if entries.is_empty() => {
                self.out.push(' ');
                if *anchored {
                    let anchor = self.anchor();
                    self.out.push_str(&anchor);
                    self.finished = self.anchors;
                }
                self.out.push_str(if matches!(g, Gen::Map(..)) {
                    "{}\n"
                } else {
                    "[]\n"
                });
            }
            Gen::Map(entries, anchored) => {
                if *anchored {
                    self.out.push(' ');
                    let anchor = self.anchor();
                    self.out.push_str(anchor.trim_end());
                }
                self.out.push('\n');
                let anchor = self.anchors;
                self.map(entries, column + 2);
                if *anchored {
                    self.finished = anchor;
                }
            }
            Gen::Seq(items, anchored) => {
                if *anchored {
                    self.out.push(' ');
                    let anchor = self.anchor();
                    self.out.push_str(anchor.trim_end());
                }
                self.out.push('\n');
                // A list under a key may sit at the key's column.
                let at = if in_seq || items.len() % 2 == 0 {
                    column + 2
                } else {
                    column
                };
                let anchor = self.anchors;
                self.seq(items, at);
                if *anchored {
                    self.finished = anchor;
                }
            }
        }
    }

    fn map(&mut self, entries: &[Gen], column: usize) {
        for entry in entries {
            self.maybe_comment(column);
            self.indent(column);
            let key = self.key();
            self.out.push_str(&key);
            self.out.push(':');
            self.node(entry, column, false);
        }
    }

    fn seq(&mut self, items: &[Gen], column: usize) {
        for item in items {
            self.maybe_comment(column);
            self.indent(column);
            self.out.push('-');
            self.node(item, column, true);
        }
    }

    /// A flow collection on one line: scalars other than block ones, and nested flows.
    fn flow(&mut self, items: &[Gen], mapping: bool) {
        self.out.push(if mapping { '{' } else { '[' });
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if mapping {
                let key = self.key();
                self.out.push_str(&key);
                self.out.push_str(": ");
            }
            match item {
                Gen::Scalar(Scalar::Single(t)) => {
                    self.scalar(&Scalar::Single(t.clone()), 0);
                    self.out.pop();
                }
                Gen::Scalar(Scalar::Double(t, e)) => {
                    self.scalar(&Scalar::Double(t.clone(), *e), 0);
                    self.out.pop();
                }
                Gen::Scalar(Scalar::Plain(p)) if !p.contains([':', '#', ',']) => {
                    self.out.push_str(p);
                }
                Gen::Alias => {
                    let alias = self.alias();
                    self.out.push_str(&alias);
                }
                Gen::Flow(inner, m) | Gen::Map(inner, m) | Gen::Seq(inner, m) => {
                    self.flow(inner, *m);
                }
                Gen::Scalar(_) => self.out.push('x'),
            }
        }
        self.out.push(if mapping { '}' } else { ']' });
    }
}

/// A stream of `documents` (each a mapping of the generated nodes), separated by `---`, some
/// closed by `...`, with or without a final line break.
fn stream(documents: &[(Vec<Gen>, bool)], comments: Vec<bool>, final_break: bool) -> String {
    let mut writer = Writer {
        out: String::new(),
        anchors: 0,
        finished: 0,
        keys: 0,
        comments: if comments.is_empty() {
            vec![false]
        } else {
            comments
        }
        .into_iter()
        .cycle(),
    };
    for (i, (entries, end_marker)) in documents.iter().enumerate() {
        if i > 0 {
            writer.out.push_str("---\n");
        }
        writer.anchors = 0;
        writer.finished = 0;
        writer.map(entries, 0);
        if *end_marker {
            writer.out.push_str("...\n");
        }
    }
    if !final_break {
        while writer.out.ends_with('\n') {
            writer.out.pop();
        }
    }
    writer.out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn lsc_reads_what_libyaml_reads(
        documents in proptest::collection::vec(
            (proptest::collection::vec(node_strategy(), 1..5), proptest::bool::weighted(0.2)),
            1..3,
        ),
        comments in proptest::collection::vec(proptest::bool::weighted(0.2), 0..7),
        final_break in any::<bool>(),
    ) {
        let text = stream(&documents, comments, final_break);
        same_as_libyaml(&text)?;
    }
}

/// Enough generated streams are valid YAML for the comparison to mean something.
#[test]
fn most_generated_streams_are_compared() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (
        proptest::collection::vec(
            (
                proptest::collection::vec(node_strategy(), 1..5),
                proptest::bool::weighted(0.2),
            ),
            1..3,
        ),
        any::<bool>(),
    );
    let mut compared = 0;
    for _ in 0..500 {
        let (documents, final_break) = strategy.new_tree(&mut runner).unwrap().current();
        let text = stream(&documents, vec![false, true, false], final_break);
        if same_as_libyaml(&text).unwrap() {
            compared += 1;
        }
    }
    assert!(
        compared > 300,
        "only {compared} of 500 streams were valid YAML"
    );
}

/// The two classes of valid YAML lsc read wrongly, spelled out (issue 25, items 12 and 13).
#[test]
fn block_scalars_at_the_end_and_empty_ones_before_a_comment() {
    for text in [
        "commonName: |\n  a.example.com",
        "a: |+\n  x\n  ",
        "a: >\n  x\n  y",
        "a: &x |\n  x",
        "a: |\n  x\n    ",
        "a: |\n    \n  # note\nb: 1\n",
        "a:\n  x: |2\n   # note\n  y: 1\n",
        "- |+\n     \n # note\n- 2\n",
    ] {
        assert!(same_as_libyaml(text).unwrap(), "{text:?}");
    }
}
