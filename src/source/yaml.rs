//! Parses one input's text into documents: multi-document YAML (JSON is YAML), with line
//! numbers on every node, duplicate keys refused, merge keys (`<<`) applied, and bounds on
//! nesting depth and alias expansion so a hostile file cannot exhaust memory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::quirks;
use super::tree::{Entry, Key, Map, Node, Tagged, Value, resolve_plain, resolve_plain_scalar};

/// Bounds on what one input may make lsc build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes that aliases may add by expansion (and anchors nested in anchors may copy),
    /// per input.
    pub max_alias_nodes: usize,
    /// Largest input, in bytes.
    pub max_input_bytes: usize,
    /// Largest document, in bytes, checked before the document is parsed (`super::documents`).
    pub max_document_bytes: usize,
    /// Most documents in one input, empty ones and the items of a `*List` (a ResourceList's
    /// too) included: each costs memory whatever its size.
    pub max_documents: usize,
    /// When set, documents of other kinds come back empty: those whose layout shows their kind
    /// at a glance are not parsed at all (`skim`), the others are parsed (duplicate keys, depth
    /// and syntax still checked) but no tree is built past their `kind`. `*List` kinds are
    /// always built, since their items may be of any kind.
    pub only_kinds: Option<&'static [&'static str]>,
    /// With `only_kinds`: documents of these kinds are wanted only when their text holds the
    /// word or a backslash (an escape could spell the word). Only the skim applies it, so a
    /// document it leaves to the parser is still read whole: a shortcut, never a filter.
    pub only_naming: Option<(&'static [&'static str], &'static str)>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
            max_input_bytes: 256 * 1024 * 1024,
            max_document_bytes: 8 * 1024 * 1024,
            max_documents: 10_000_000,
            only_kinds: None,
            only_naming: None,
        }
    }
}

/// The deepest nesting `max_depth` may allow. Reading builds iteratively, but writing, copying
/// and dropping a tree recurse once per level: the program sizes its threads' stacks for the
/// depth it allows (`main.rs`), and this bounds that size.
pub const DEEPEST: usize = 100_000;

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
        /// 0-based column where it starts (a `[` for a flow sequence).
        column: usize,
        anchor: usize,
        /// A tag outside the core schema, kept ([`kept_tag`]).
        tag: Option<String>,
        items: Vec<Node>,
        size: Size,
        /// The root `items` list whose items go to the [`ItemSink`] instead of `items`.
        divert: bool,
    },
    Map {
        line: u32,
        column: usize,
        anchor: usize,
        tag: Option<String>,
        map: Map,
        size: Size,
        /// The keys by name, once the mapping has [`INDEXED_KEYS`] of them.
        index: Option<HashMap<String, u32>>,
        /// The key waiting for its value, its line, and whether it is a merge key (a plain
        /// `<<`; a quoted `"<<"` is an ordinary key).
        pending_key: Option<(Key, u32, bool)>,
        merges: Vec<(Node, u32)>,
    },
}

/// Parses the whole text. Documents before an error are still returned with the error, so
/// callers can report everything they know. Empty documents are left out.
pub fn parse_documents(text: &str, limits: &Limits) -> (Vec<RawDocument>, Option<ParseError>) {
    let mut documents = Vec::new();
    let error = parse_each(text, limits, &mut |document| documents.push(document));
    (documents, error)
}

/// [`parse_documents`], handing each document to `each` as soon as it is read instead of
/// keeping them all: what `each` keeps of them is all that stays in memory.
pub fn parse_each(
    text: &str,
    limits: &Limits,
    each: &mut dyn FnMut(RawDocument),
) -> Option<ParseError> {
    match limits.only_kinds {
        Some(kinds) => {
            let wanted = |kind: &str, body: &str| {
                kinds.contains(&kind)
                    && !limits.only_naming.is_some_and(|(naming, word)| {
                        naming.contains(&kind) && !body.contains(word) && !body.contains('\\')
                    })
            };
            parse_text(
                text,
                &super::skim::unwanted(text, &wanted),
                limits,
                each,
                None,
            )
        }
        None => parse_text(text, &[], limits, each, None),
    }
}

/// Where the items of the first document's root `items` list go, one by one as they are
/// read, instead of into the document's tree (which keeps an empty list there): a
/// ResourceList holds the whole input in that list, and its items are used one at a time.
pub trait ItemSink {
    /// The next item.
    fn item(&mut self, item: Node);
    /// The text is read again from its start (the block reader gave up on it, or the parser
    /// reads it again rewritten): the items so far come again.
    fn restart(&mut self);
}

/// [`parse_each`] with the items of the first document's root `items` list handed to
/// `items` as they are read (see [`ItemSink`]). A list with an anchor or a tag, or an
/// alias, stays in the tree. `limits.only_kinds` is not applied.
pub fn parse_each_with_items(
    text: &str,
    limits: &Limits,
    each: &mut dyn FnMut(RawDocument),
    items: &mut dyn ItemSink,
) -> Option<ParseError> {
    let limits = Limits {
        only_kinds: None,
        ..*limits
    };
    parse_text(text, &[], &limits, each, Some(items))
}

/// Parses `text` but for its `blanks`, documents of kinds not wanted (`skim::unwanted`): the
/// block reader passes over them, the full parser reads the text with them emptied.
fn parse_text(
    text: &str,
    blanks: &[Range<usize>],
    limits: &Limits,
    each: &mut dyn FnMut(RawDocument),
    mut items: Option<&mut dyn ItemSink>,
) -> Option<ParseError> {
    let reborrowed = items.as_deref_mut().map(|s| -> &mut dyn ItemSink { s });
    match super::block::read(text, blanks, limits, reborrowed) {
        Some(documents) => {
            documents.into_iter().for_each(each);
            None
        }
        None => {
            if let Some(items) = items.as_deref_mut() {
                items.restart();
            }
            if blanks.is_empty() && super::json::may_be_json(text) {
                let reborrowed = items.as_deref_mut().map(|s| -> &mut dyn ItemSink { s });
                if let Some(root) = super::json::read(text, limits, reborrowed) {
                    if !super::block::unwanted_kind(&root, limits) {
                        each(RawDocument {
                            number: 1,
                            root: Some(root),
                        });
                    }
                    return None;
                }
                if let Some(items) = items.as_deref_mut() {
                    items.restart();
                }
            }
            parse_events_each(&super::skim::mask(text, blanks), limits, each, items)
        }
    }
}

/// [`parse_text`] without blanks, collecting the documents.
#[cfg(test)]
fn parse_text_all(text: &str, limits: &Limits) -> (Vec<RawDocument>, Option<ParseError>) {
    let mut documents = Vec::new();
    let error = parse_text(
        text,
        &[],
        limits,
        &mut |document| documents.push(document),
        None,
    );
    (documents, error)
}

/// Parses the text with the full YAML parser.
#[cfg(test)]
pub(super) fn parse_events(text: &str, limits: &Limits) -> (Vec<RawDocument>, Option<ParseError>) {
    let mut documents = Vec::new();
    let error = parse_events_each(text, limits, &mut |document| documents.push(document), None);
    (documents, error)
}

/// [`parse_events`], handing each document to `each`.
fn parse_events_each(
    text: &str,
    limits: &Limits,
    each: &mut dyn FnMut(RawDocument),
    items: Option<&mut dyn ItemSink>,
) -> Option<ParseError> {
    parse_events_again(
        text,
        limits,
        each,
        items,
        Again {
            moves: quirks::MOST_MOVED_COMMENTS,
            joins: quirks::MOST_JOINED_SCALARS,
            handed: 0,
        },
    )
}

/// What is left of the new parses [`parse_events_again`] may make.
#[derive(Clone, Copy)]
struct Again {
    /// Comments the parser refuses below an empty block scalar that may still be moved
    /// ([`quirks::comment_moved_to_column_0`]).
    moves: usize,
    /// Double-quoted scalars whose surrogate pair escapes may still be joined
    /// ([`quirks::surrogate_pairs_joined`]).
    joins: usize,
    /// The number of the last document handed on by an earlier parse: a rewrite is at or
    /// after the parser's error, so the documents before it read the same again and are not
    /// handed on twice.
    handed: usize,
}

/// [`parse_events_each`], parsing the input again, rewritten, where a quirk of the parser
/// refuses valid YAML.
fn parse_events_again(
    text: &str,
    limits: &Limits,
    each: &mut dyn FnMut(RawDocument),
    items: Option<&mut dyn ItemSink>,
    again: Again,
) -> Option<ParseError> {
    let last_handed = std::cell::Cell::new(again.handed);
    let mut pass = |document: RawDocument| {
        if document.number > again.handed {
            last_handed.set(document.number);
            each(document);
        }
    };
    let mut builder = Builder {
        unbroken_end: quirks::UnbrokenEnd::of(text),
        limits,
        last_line: line_count(text),
        each: &mut pass,
        list_items: 0,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        document: 0,
        root: None,
        plain_merge_key: false,
        skipping: Vec::new(),
        items,
        rooted: false,
    };
    let mut parser = Parser::new_from_str(text);
    // Where the last event ended: an unclosed quote is only noticed at the end of the text.
    let mut last_line = 1;
    loop {
        let (line, message) = match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                let (info, mut line, mut col) = (e.info(), e.marker().line(), e.marker().col());
                if info == quirks::WRONGLY_INDENTED {
                    let moved = quirks::comment_moved_to_column_0(text, line, col);
                    match moved {
                        Some(moved) if again.moves > 0 => {
                            let items = items_again(builder);
                            let again = Again {
                                moves: again.moves - 1,
                                handed: last_handed.get(),
                                ..again
                            };
                            return parse_events_again(&moved, limits, each, items, again);
                        }
                        Some(_) => {
                            let error = ParseError {
                                document: builder.document.max(1),
                                line: u32::try_from(line)
                                    .unwrap_or(u32::MAX)
                                    .min(builder.last_line),
                                message: format!(
                                    "invalid YAML: more than {} comments below empty block scalars indented less than the block (column {}), which lsc's YAML parser cannot read past; indent this comment as its block's key is",
                                    quirks::MOST_MOVED_COMMENTS,
                                    col + 1
                                ),
                            };
                            return Some(error);
                        }
                        None => {}
                    }
                }
                if info == quirks::INVALID_ESCAPE {
                    match quirks::surrogate_pairs_joined(text, line, col) {
                        quirks::Surrogates::Joined(joined) if again.joins > 0 => {
                            let items = items_again(builder);
                            let again = Again {
                                joins: again.joins - 1,
                                handed: last_handed.get(),
                                ..again
                            };
                            return parse_events_again(&joined, limits, each, items, again);
                        }
                        quirks::Surrogates::Joined(_) => {
                            let error = ParseError {
                                document: builder.document.max(1),
                                line: u32::try_from(line).unwrap_or(u32::MAX),
                                message: format!(
                                    "invalid YAML: more than {} double-quoted strings with UTF-16 surrogate pair escapes (`\\ud83d\\ude00`), each costing lsc another parse (column {}); write each such character as one `\\U0001F600` escape or as itself",
                                    quirks::MOST_JOINED_SCALARS,
                                    col + 1
                                ),
                            };
                            return Some(error);
                        }
                        quirks::Surrogates::Lone(escape, line, column) => {
                            let error = ParseError {
                                document: builder.document.max(1),
                                line: u32::try_from(line).unwrap_or(u32::MAX),
                                message: format!(
                                    "invalid YAML: `{escape}` is half of a UTF-16 surrogate pair without its other half (column {column}); write the character as one `\\U` escape of 8 hex digits, or as itself"
                                ),
                            };
                            return Some(error);
                        }
                        quirks::Surrogates::None => {}
                    }
                }
                // A tab is reported where the scalar or block it breaks is: point at it.
                let tab = tab_after(text, e.marker().index()).filter(|(at, _)| *at <= line + 1);
                if let Some((tab_line, tab_col)) = tab.filter(|_| info.contains("tab")) {
                    (line, col) = (tab_line, tab_col);
                }
                let mut message = scan_message(info, col);
                if info.contains("tab") {
                    message.push_str("; YAML indents with spaces, never tabs");
                }
                if info.starts_with("while scanning a quoted scalar") {
                    message.push_str(&format!(
                        "; a quoted string opened on or after line {last_line} never closes"
                    ));
                }
                let flow = builder.open_flow(text).filter(|_| info != RECURSION_LIMIT);
                if let Some((bracket, open_line, open_col)) = flow {
                    message.push_str(&format!(
                        "; the `{bracket}` opened on line {open_line} (column {open_col}) is still open here"
                    ));
                }
                (line, message)
            }
            Some(Ok((event, span))) => {
                last_line = span.end.line();
                match builder.on_event(event, span) {
                    Ok(()) => continue,
                    Err(message) => (span.start.line(), message),
                }
            }
        };
        let error = ParseError {
            document: builder.document.max(1),
            line: u32::try_from(line)
                .unwrap_or(u32::MAX)
                .min(builder.last_line),
            message,
        };
        return Some(error);
    }
    None
}

/// The item sink for a new parse of the text: the first document's items come again, unless
/// that document was handed on whole (it is not handed again).
fn items_again<'s>(builder: Builder<'_, 's>) -> Option<&'s mut dyn ItemSink> {
    match builder.items {
        Some(items) if !builder.rooted => {
            items.restart();
            Some(items)
        }
        _ => None,
    }
}

/// The line and 0-based column of the first tab at or after the character `index`.
fn tab_after(text: &str, index: usize) -> Option<(usize, usize)> {
    let (offset, _) = text.char_indices().skip(index).find(|(_, c)| *c == '\t')?;
    let before = text.get(..offset)?;
    let line = 1 + before.matches('\n').count();
    let column = before.rsplit('\n').next()?.chars().count();
    Some((line, column))
}

/// saphyr-parser's refusal past 255 flow levels.
const RECURSION_LIMIT: &str = "recursion limit exceeded";

fn scan_message(info: &str, col: usize) -> String {
    let column = col + 1;
    match info {
        // saphyr-parser counts flow levels in a byte, whatever `--max-depth` allows.
        RECURSION_LIMIT => format!(
            "invalid YAML: flow collections (`[...]`, `{{...}}`) nested deeper than {} levels, the YAML parser's own bound (column {column})",
            u8::MAX
        ),
        // What a second JSON value, or text after a closed flow collection, looks like.
        "did not find expected <document start>" => format!(
            "invalid YAML: {info} (column {column}): after a complete value only a `---` line can start another document (JSON input holds one value)"
        ),
        _ => format!("invalid YAML: {info} (column {column})"),
    }
}

/// How many nodes a finished node holds (as [`Limits::max_alias_nodes`] counts them: a mapping
/// entry's key is one), and whether it holds an anchor or an alias: copying it for an anchor
/// then copies those again, which is how nested anchors multiply what a small text builds.
#[derive(Debug, Clone, Copy)]
struct Size {
    nodes: usize,
    copies: bool,
}

impl Size {
    const ONE: Size = Size {
        nodes: 1,
        copies: false,
    };

    fn add(&mut self, child: Size, anchored: bool) {
        self.nodes = self.nodes.saturating_add(child.nodes);
        self.copies |= child.copies || anchored;
    }
}

/// Mappings with this many keys get a hash index for the duplicate check. Kubernetes objects
/// have fewer per mapping, where a scan is faster, but a hostile mapping with a million keys
/// must not make reading quadratic.
const INDEXED_KEYS: usize = 16;

/// Where `key` was first defined among the mapping's keys so far (`keys`), or `None` when it
/// is new. Once the mapping has [`INDEXED_KEYS`] keys, `index` holds them and new keys are
/// added to it here; below that, the caller's list of keys is all there is.
pub(super) fn first_definition<'k>(
    index: &mut Option<HashMap<String, u32>>,
    mut keys: impl ExactSizeIterator<Item = (&'k str, u32)>,
    key: &str,
    line: u32,
) -> Option<u32> {
    let index = match index {
        Some(index) => index,
        None if keys.len() < INDEXED_KEYS => {
            return keys.find(|(k, _)| *k == key).map(|(_, first)| first);
        }
        None => index.insert(keys.fold(HashMap::new(), |mut index, (k, l)| {
            index.entry(k.to_string()).or_insert(l);
            index
        })),
    };
    match index.get(key) {
        Some(first) => Some(*first),
        None => {
            index.insert(key.to_string(), line);
            None
        }
    }
}

struct Builder<'l, 's> {
    limits: &'l Limits,
    /// Set when the input does not end with a line break (see [`quirks::UnbrokenEnd`]).
    unbroken_end: Option<quirks::UnbrokenEnd<'l>>,
    /// The input's last line: no node or error is placed after it.
    last_line: u32,
    /// Where each document with a root goes as soon as it is read.
    each: &'l mut dyn FnMut(RawDocument),
    /// Items of root `items` lists so far: a `*List`'s items become documents, counted
    /// against `max_documents` with the documents.
    list_items: usize,
    stack: Vec<Frame>,
    /// Anchored nodes of the current document, with their [`Size::nodes`].
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes copied by aliases and nested anchors so far in this input.
    alias_nodes: usize,
    document: usize,
    root: Option<Node>,
    /// The scalar being completed is a plain `<<`.
    plain_merge_key: bool,
    /// Open collections of a document being skipped for its kind (empty: building). Only
    /// mapping keys are kept, to still refuse duplicates.
    skipping: Vec<Skipped>,
    /// Where the items of the first document's root `items` list go, when set.
    items: Option<&'s mut dyn ItemSink>,
    /// A document with a root was read: only the first one's items go to `items`.
    rooted: bool,
}

enum Skipped {
    Map {
        keys: Vec<(Key, u32)>,
        index: Option<HashMap<String, u32>>,
        expecting_key: bool,
    },
    Seq,
}

/// A mapping key as the tree keeps it: scalars as text (`~` is `null`, `01` is `1`).
pub(super) fn key_string(value: Value) -> Result<Key, String> {
    let key = match value {
        Value::Str(s) | Value::Plain(s) | Value::Float(s) => Key::from(s),
        Value::Int(i) => Key::from(i.to_string()),
        Value::Bool(b) => Key::const_new(if b { "true" } else { "false" }),
        Value::Null => Key::const_new("null"),
        // A key keeps no tag (lsc's keys are strings); its text stays.
        Value::Tagged(tagged) => return key_string(tagged.value),
        Value::Seq(_) | Value::Map(_) => {
            return Err("a mapping key must be a scalar, not a list or mapping".to_string());
        }
    };
    Ok(key)
}

/// The key a plain scalar is, as [`key_string`] gives it: a word (most keys) is taken as it
/// is, without resolving it first.
pub(super) fn plain_key(text: &str) -> Result<Key, String> {
    if super::tree::is_plain_word(text) {
        return Ok(Key::new(text));
    }
    key_string(resolve_plain_scalar(text))
}

/// The line an event starts on, at most the input's last line (at the end of the input the
/// parser may place an event or an error on the line after it).
fn line_of(span: &Span, last_line: u32) -> u32 {
    u32::try_from(span.start.line())
        .unwrap_or(u32::MAX)
        .min(last_line)
}

/// How many lines `text` has, as the parser counts them (a last line without a line break
/// counts; CR, LF and CRLF each end a line).
pub(super) fn line_count(text: &str) -> u32 {
    let newlines = super::skim::count_newlines(text);
    // A `\r` is a line break of its own unless a `\n` follows (rare: look only if there is one).
    let lone_crs = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.matches('\r').count() - text.matches("\r\n").count()
    } else {
        0
    };
    let breaks = newlines + lone_crs;
    let last = usize::from(!text.is_empty() && !text.ends_with(['\n', '\r']));
    u32::try_from(breaks + last).unwrap_or(u32::MAX).max(1)
}

impl Builder<'_, '_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), String> {
        if !self.skipping.is_empty() {
            return self.skip(event, line_of(&span, self.last_line));
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.document += 1;
                self.count_document()?;
                self.root = None;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                // An empty document (or one of a kind not read) costs nothing more.
                if let Some(root) = self.root.take().filter(|r| !matches!(r.value, Value::Null)) {
                    self.rooted = true;
                    (self.each)(RawDocument {
                        number: self.document,
                        root: Some(root),
                    });
                }
            }
            Event::Scalar(mut text, style, anchor, tag) => {
                self.count_root_item()?;
                let line = line_of(&span, self.last_line);
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && self
                        .unbroken_end
                        .as_ref()
                        .is_some_and(|end| end.added_break(&span, &text))
                {
                    text.to_mut().pop();
                }
                let core = core_tag(tag.as_deref());
                self.plain_merge_key = is_merge_key(&text, style, tag.is_none(), core);
                let value = match kept_tag(tag.as_deref(), core) {
                    Some(tag) => Value::Tagged(Box::new(Tagged {
                        tag,
                        value: match style {
                            ScalarStyle::Plain => Value::Plain(text.into_owned()),
                            _ => Value::Str(text.into_owned()),
                        },
                    })),
                    None => scalar_value(text, style, core)?,
                };
                self.complete(Node { line, value }, anchor, Size::ONE)?;
            }
            Event::Alias(id) => {
                self.count_root_item()?;
                let Some(nodes) = self.anchors.get(&id).map(|(_, nodes)| *nodes) else {
                    return Err("invalid YAML: alias to an unknown anchor".to_string());
                };
                self.copy(nodes)?;
                let Some((mut node, _)) = self.anchors.get(&id).cloned() else {
                    return Err("invalid YAML: alias to an unknown anchor".to_string());
                };
                node.line = line_of(&span, self.last_line);
                let size = Size {
                    nodes,
                    copies: true,
                };
                self.complete(node, 0, size)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.count_root_item()?;
                self.enter()?;
                let tag = kept_tag(tag.as_deref(), core_tag(tag.as_deref()));
                // An anchored or tagged list is kept whole, for its aliases and its tag.
                let divert = self.items.is_some()
                    && !self.rooted
                    && anchor == 0
                    && tag.is_none()
                    && self.stack.len() == 1
                    && self.pending_root_items();
                self.stack.push(Frame::Seq {
                    line: line_of(&span, self.last_line),
                    column: span.start.col(),
                    anchor,
                    tag,
                    items: Vec::new(),
                    size: Size::ONE,
                    divert,
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.count_root_item()?;
                self.enter()?;
                self.stack.push(Frame::Map {
                    line: line_of(&span, self.last_line),
                    column: span.start.col(),
                    anchor,
                    tag: kept_tag(tag.as_deref(), core_tag(tag.as_deref())),
                    map: Map::default(),
                    size: Size::ONE,
                    index: None,
                    pending_key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    line,
                    anchor,
                    tag,
                    items,
                    size,
                    ..
                }) = self.stack.pop()
                {
                    self.complete(
                        Node {
                            line,
                            value: tagged(tag, Value::Seq(items)),
                        },
                        anchor,
                        size,
                    )?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    line,
                    anchor,
                    tag,
                    mut map,
                    size,
                    merges,
                    ..
                }) = self.stack.pop()
                {
                    apply_merges(&mut map, merges)?;
                    self.complete(
                        Node {
                            line,
                            value: tagged(tag, Value::Map(map)),
                        },
                        anchor,
                        size,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// The flow collection (`[` or `{`) open where the parser stopped, with its line and
    /// 1-based column: inside one, a syntax error is most often its missing end. Block
    /// collections cannot nest in flow ones, so only the innermost collection can be it.
    fn open_flow(&self, text: &str) -> Option<(char, u32, usize)> {
        let (Frame::Seq { line, column, .. } | Frame::Map { line, column, .. }) =
            self.stack.last()?;
        let index = usize::try_from(*line).ok()?.checked_sub(1)?;
        let bracket = text.lines().nth(index)?.chars().nth(*column)?;
        matches!(bracket, '[' | '{').then_some((bracket, *line, column + 1))
    }

    /// Whether the root mapping's value being read is that of its `items` key (a plain key,
    /// not a merge).
    fn pending_root_items(&self) -> bool {
        matches!(self.stack.first(), Some(Frame::Map { pending_key: Some((key, _, false)), .. }) if key == "items")
    }

    /// Counts the node that starts now, when it is an item of a root `items` list (a
    /// `*List`'s items are documents), against `max_documents`. Counted where the item
    /// starts, so the error is on its first line, where a line scan finds it too
    /// (`skim::too_many_list_items`).
    fn count_root_item(&mut self) -> Result<(), String> {
        let item = self.stack.len() == 2
            && matches!(self.stack.last(), Some(Frame::Seq { .. }))
            && self.pending_root_items();
        if item {
            self.list_items += 1;
            self.count_document()?;
        }
        Ok(())
    }

    /// Counts the document just started, or an item of a root `items` list, against
    /// `max_documents`.
    fn count_document(&self) -> Result<(), String> {
        if self.document.saturating_add(self.list_items) > self.limits.max_documents {
            return Err(documents_message(self.limits.max_documents));
        }
        Ok(())
    }

    fn enter(&self) -> Result<(), String> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(depth_message(self.limits.max_depth));
        }
        Ok(())
    }

    /// Counts `nodes` copied (by an alias, or for an anchor) against `--max-alias-nodes`.
    fn copy(&mut self, nodes: usize) -> Result<(), String> {
        self.alias_nodes = self.alias_nodes.saturating_add(nodes);
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err(format!(
                "aliases and anchors copy more than {} nodes, a possible alias bomb (--max-alias-nodes raises this bound)",
                self.limits.max_alias_nodes
            ));
        }
        Ok(())
    }

    /// Places a finished node into its parent (or as the document root).
    fn complete(&mut self, node: Node, anchor: usize, size: Size) -> Result<(), String> {
        if anchor != 0 {
            // An anchor keeps a copy for its aliases. One that holds other anchors or aliases
            // copies those once more, and a chain of them multiplies a small text: count it.
            if size.copies {
                self.copy(size.nodes)?;
            }
            self.anchors.insert(anchor, (node.clone(), size.nodes));
        }
        if let Some(Frame::Seq { size: parent, .. } | Frame::Map { size: parent, .. }) =
            self.stack.last_mut()
        {
            parent.add(size, anchor != 0);
        }
        let top_level = self.stack.len() == 1;
        let merge_key = std::mem::take(&mut self.plain_merge_key);
        let only_kinds = self.limits.only_kinds;
        let mut skip_rest = false;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { divert: true, .. }) => {
                if let Some(items) = self.items.as_deref_mut() {
                    items.item(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                map,
                index,
                pending_key,
                merges,
                ..
            }) => match pending_key.take() {
                None => {
                    let key = key_string(node.value)?;
                    if !merge_key {
                        let keys = map.entries.iter().map(|e| (e.key.as_str(), e.key_line));
                        if let Some(first) = first_definition(index, keys, &key, node.line) {
                            return Err(format!(
                                "duplicate key \"{key}\" (first defined at line {first})"
                            ));
                        }
                    }
                    *pending_key = Some((key, node.line, merge_key));
                }
                Some((key, key_line, merge)) => {
                    if merge {
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
                index: None,
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
                    return Err(depth_message(self.limits.max_depth));
                }
                self.skipping
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Skipped::Map {
                            keys: Vec::new(),
                            index: None,
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
            Event::Scalar(text, style, _, tag) => match self.skipping.last_mut() {
                Some(Skipped::Map {
                    keys,
                    index,
                    expecting_key: expecting @ true,
                }) => {
                    let core = core_tag(tag.as_deref());
                    let merge = is_merge_key(&text, style, tag.is_none(), core);
                    // The key as the built tree would have it (`~` and `null`, `01` and `1`
                    // are the same key; a tag changes it).
                    let key = key_string(scalar_value(text, style, core)?)?;
                    if !merge {
                        let seen = keys.iter().map(|(k, l)| (k.as_str(), *l));
                        if let Some(first) = first_definition(index, seen, &key, line) {
                            return Err(format!(
                                "duplicate key \"{key}\" (first defined at line {first})"
                            ));
                        }
                    }
                    keys.push((key, line));
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

/// Why an input with more than `max_documents` documents is refused.
pub(crate) fn documents_message(max_documents: usize) -> String {
    format!(
        "more than {max_documents} documents (List items included) in one input (--max-documents raises this bound)"
    )
}

fn depth_message(max_depth: usize) -> String {
    format!("nesting deeper than {max_depth} levels (--max-depth raises this bound)")
}

/// YAML merge keys, as Kubernetes' YAML reader applies them: keys of the merged mappings are
/// added unless the mapping defines them itself; earlier merged mappings win over later ones.
fn apply_merges(map: &mut Map, merges: Vec<(Node, u32)>) -> Result<(), String> {
    if merges.is_empty() {
        return Ok(());
    }
    // Merged mappings may be large (an alias of one): look keys up in a set, not by a scan.
    let mut present: HashSet<Key> = map.entries.iter().map(|e| e.key.clone()).collect();
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
                if present.insert(entry.key.clone()) {
                    map.entries.push(entry);
                }
            }
        }
    }
    Ok(())
}

/// Any tag outside the core schema, as [`core_tag`] names it.
const OTHER_TAG: &str = "!";

/// The name of a YAML core schema tag (`str` for `!!str` or `!<tag:yaml.org,2002:str>`), or
/// [`OTHER_TAG`] for any other (a local `!str` among them); `None` without a tag.
fn core_tag(tag: Option<&saphyr_parser::Tag>) -> Option<&str> {
    const CORE: &str = "tag:yaml.org,2002:";
    let tag = tag?;
    if tag.handle == CORE {
        return Some(&tag.suffix);
    }
    let verbatim = tag.handle.is_empty().then(|| tag.suffix.strip_prefix(CORE));
    Some(verbatim.flatten().unwrap_or(OTHER_TAG))
}

/// The tags of the YAML core schema (YAML 1.2, section 10.3), besides `merge` (YAML 1.1's
/// merge key, read as `<<`), as [`core_tag`] names them: lsc reads these.
const CORE_TAGS: &[&str] = &["str", "int", "float", "bool", "null", "seq", "map", "merge"];

/// How YAML writes a tag lsc keeps: any outside [`CORE_TAGS`] (`!!binary`, `!!set`, `!local`,
/// `!<tag:example.com,2026:x>`); `None` for a core tag or none.
fn kept_tag(tag: Option<&saphyr_parser::Tag>, core: Option<&str>) -> Option<String> {
    const YAML_ORG: &str = "tag:yaml.org,2002:";
    let tag = tag?;
    if core.is_some_and(|name| CORE_TAGS.contains(&name)) {
        return None;
    }
    let shorthand = |suffix: &str| uri_escaped(suffix, b"!,[]");
    Some(match tag.handle.as_str() {
        YAML_ORG => format!("!!{}", shorthand(&tag.suffix)),
        "!" | "!!" => format!("{}{}", tag.handle, shorthand(&tag.suffix)),
        handle => format!(
            "!<{}>",
            uri_escaped(&format!("{handle}{}", tag.suffix), b"")
        ),
    })
}

/// A tag's text as YAML writes it again: the parser has decoded its `%XX` escapes, so every
/// byte that is no URI character (YAML 1.2 `ns-uri-char`), or is one of `also` (a shorthand
/// tag's suffix may not hold `!` or flow indicators), is escaped again (`!%7Boa`, not `!{oa`).
fn uri_escaped(text: &str, also: &[u8]) -> String {
    let plain = |b: u8| {
        (b.is_ascii_alphanumeric() || b"-#;/?:@&=+$,_.!~*'()[]".contains(&b)) && !also.contains(&b)
    };
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if plain(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `value` with its kept tag, if any.
fn tagged(tag: Option<String>, value: Value) -> Value {
    match tag {
        Some(tag) => Value::Tagged(Box::new(Tagged { tag, value })),
        None => value,
    }
}

/// A merge key: a plain `<<`, or a `<<` tagged `!!merge` (a quoted `"<<"` is an ordinary key).
fn is_merge_key(text: &str, style: ScalarStyle, untagged: bool, core: Option<&str>) -> bool {
    text == "<<" && ((style == ScalarStyle::Plain && untagged) || core == Some("merge"))
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
            // go-yaml v2 (kubectl) leaves a scalar with a tag it does not know a string.
            OTHER_TAG => Ok(Value::Str(text.into_owned())),
            "float" => {
                let number = text.trim_start_matches(['+', '-']);
                let special = matches!(number, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN");
                if text.parse::<i64>().is_ok() {
                    // Written back as `443` it would read as an integer.
                    Ok(Value::Float(format!("{text}.0")))
                } else if special || text.parse::<f64>().is_ok_and(f64::is_finite) {
                    Ok(Value::Float(text.into_owned()))
                } else {
                    Err(format!("\"{text}\" is tagged !!float but is not a number"))
                }
            }
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

    /// What an [`ItemSink`] was handed: the items, and how often it was told to start again.
    #[derive(Default)]
    struct Handed {
        items: Vec<Node>,
        restarts: usize,
    }

    impl ItemSink for Handed {
        fn item(&mut self, item: Node) {
            self.items.push(item);
        }

        fn restart(&mut self) {
            self.items.clear();
            self.restarts += 1;
        }
    }

    fn parse_with_items(text: &str) -> (Vec<RawDocument>, Handed, Option<ParseError>) {
        let mut documents = Vec::new();
        let mut handed = Handed::default();
        let error = parse_each_with_items(
            text,
            &Limits::default(),
            &mut |document| documents.push(document),
            &mut handed,
        );
        (documents, handed, error)
    }

    /// The first document's root `items`, taken out of `documents` (left empty there).
    fn take_items(documents: &mut [RawDocument]) -> Vec<Node> {
        let root = documents[0].root.as_mut().unwrap();
        let Value::Map(map) = &mut root.value else {
            panic!("not a mapping")
        };
        let entry = map.entries.iter_mut().find(|e| e.key == "items").unwrap();
        match &mut entry.value.value {
            Value::Seq(items) => std::mem::take(items),
            other => panic!("{other:?}"),
        }
    }

    /// The items of the first document's root `items` list go to the sink, in order, with
    /// their lines, and the document keeps an empty list; all else reads as without a sink.
    /// The block reader, the full parser and JSON alike.
    #[test]
    fn root_items_of_the_first_document_are_handed_over_as_read() {
        let block = "kind: ResourceList\nitems:\n- a: 1\n  b:\n  - x\n- {}\n-\n  - y\n- z\nafter: 1\n---\nitems:\n- later\n";
        let full = block.replace("- z\n", "- &z z\n- *z\n");
        let json = r#"{"kind": "ResourceList", "items": [{"a": 1}, {}, ["y"], "z"], "after": 1}"#;
        for text in [block, &full, json] {
            let (mut expected, error) = parse(text);
            assert!(error.is_none(), "{text}");
            let (documents, handed, error) = parse_with_items(text);
            assert!(error.is_none(), "{text}");
            // The block reader reads the first text whole; it gives up on the others at once.
            assert_eq!(handed.restarts, usize::from(text != block), "{text}");
            let items = take_items(&mut expected);
            assert!(items.len() >= 4);
            assert_eq!(handed.items, items, "{text}");
            assert_eq!(documents, expected, "{text}");
        }
        // Only the first document's: a later one keeps its items.
        let (documents, _, _) = parse_with_items(block);
        let later = documents[1]
            .root
            .as_ref()
            .unwrap()
            .path(&["items"])
            .unwrap();
        let Value::Seq(later) = &later.value else {
            panic!("{later:?}")
        };
        assert_eq!(later[0].value.as_str(), Some("later"));
    }

    /// A list with an anchor (its aliases copy it), a tag, or one that is an alias, stays in
    /// the tree. The first document is the first with a root: empty and `null` ones pass.
    #[test]
    fn anchored_tagged_and_aliased_lists_stay_in_the_tree() {
        for text in [
            "items: &i\n- a\n- b\nagain: *i\n",
            "items: !local\n- a\n- b\n",
            "list: &l [a, b]\nitems: *l\n",
            "<<: {items: [a, b]}\n",
        ] {
            let (documents, handed, error) = parse_with_items(text);
            assert!(error.is_none(), "{text}");
            assert!(handed.items.is_empty(), "{text}");
            assert_eq!(documents, parse(text).0, "{text}");
        }
        let (_, handed, _) = parse_with_items("---\n---\nnull\n---\nitems: [a, b]\n");
        assert_eq!(handed.items.len(), 2);
    }

    /// Where the block reader gives up, or the parser reads a rewritten text again, after
    /// some items were handed over, the sink starts again and gets every item once.
    #[test]
    fn items_come_again_when_the_text_is_read_again() {
        let items = "- a: 1\n- b: 2\n";
        for (text, restarts) in [
            // A flow mapping with content is outside the block reader's subset.
            (format!("items:\n{items}- {{c: 3}}\n"), 1),
            // A comment below an empty block scalar, indented less: read again moved.
            (
                format!("items:\n{items}- c: |\n        \n    # x\n  d: 4\n"),
                2,
            ),
            // Past the first document, the items are not handed over again.
            (
                format!("items:\n{items}---\nc: |\n        \n    # x\nd: 4\n"),
                1,
            ),
        ] {
            let (_, handed, error) = parse_with_items(&text);
            assert!(error.is_none(), "{text}: {error:?}");
            assert_eq!(handed.restarts, restarts, "{text}");
            let (mut expected, _) = parse(&text);
            assert_eq!(handed.items, take_items(&mut expected), "{text}");
        }
    }

    #[test]
    fn documents_are_numbered_and_lined() {
        let (docs, err) = parse("a: 1\n---\n\n---\nb:\n  c: x\n");
        assert!(err.is_none());
        // The empty document is counted, not kept.
        assert_eq!(docs.len(), 2);
        let root = docs[1].root.as_ref().unwrap();
        assert_eq!(docs[1].number, 3);
        assert_eq!(root.line, 5);
        assert_eq!(root.path(&["b", "c"]).unwrap().line, 6);
    }

    /// Core schema tags in either spelling, `!!merge`, and tags outside the core schema
    /// (issue 25, item 16).
    fn b_line(text: &str) -> u32 {
        if text.starts_with('{') { 1 } else { 3 }
    }

    #[test]
    fn tags_are_read_by_the_core_schema() {
        let (docs, err) = parse(
            "a: !<tag:yaml.org,2002:str> 3\nb: !!str 4\nc: !str 5\nd: !<tag:yaml.org,2002:int> 6\ne: !local 7\nbase: &b {x: 1}\nm:\n  !!merge <<: *b\n  y: 2\n",
        );
        assert!(err.is_none(), "{err:?}");
        let root = docs[0].root.as_ref().unwrap();
        let value = |k: &str| root.path(&[k]).unwrap().value.clone();
        assert_eq!(value("a"), Value::Str("3".into()));
        assert_eq!(value("b"), Value::Str("4".into()));
        // A local tag is kept, not read by its suffix.
        let kept = |tag: &str, text: &str| {
            Value::Tagged(Box::new(Tagged {
                tag: tag.into(),
                value: Value::Plain(text.into()),
            }))
        };
        assert_eq!(value("c"), kept("!str", "5"));
        assert_eq!(value("d"), Value::Int(6));
        assert_eq!(value("e"), kept("!local", "7"));
        let m = root.path(&["m"]).unwrap().as_map().unwrap();
        let keys: Vec<_> = m.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["y", "x"]);
    }

    /// Tags outside the core schema are kept on scalars and collections (issue 25, item 16).
    #[test]
    fn other_tags_are_kept() {
        let (docs, err) =
            parse("a: !!binary aGk=\nb: !local {x: 1}\nc: !<tag:example.com,2026:x> 'q'\n");
        assert!(err.is_none(), "{err:?}");
        let root = docs[0].root.as_ref().unwrap();
        let tagged = |k: &str| match &root.path(&[k]).unwrap().value {
            Value::Tagged(t) => (t.tag.clone(), t.value.clone()),
            other => panic!("{k}: {other:?}"),
        };
        assert_eq!(
            tagged("a"),
            ("!!binary".into(), Value::Plain("aGk=".into()))
        );
        assert_eq!(tagged("b").0, "!local");
        assert!(matches!(tagged("b").1, Value::Map(_)));
        assert_eq!(
            tagged("c"),
            ("!<tag:example.com,2026:x>".into(), Value::Str("q".into()))
        );
    }

    /// JSON's surrogate pair escapes read as their character, in JSON and in YAML; half a
    /// pair is refused where it is (issue 25, item 17).
    #[test]
    fn surrogate_pairs_are_one_character() {
        for text in [
            "{\"a\": \"\\ud83d\\ude00\", \"b\": [\"x\\uD83D\\uDE80y\"]}",
            "a: \"\\ud83d\\ude00\"\nb:\n- \"x\\uD83D\\uDE80y\"\n",
        ] {
            let (docs, err) = parse(text);
            assert!(err.is_none(), "{text}: {err:?}");
            let root = docs[0].root.as_ref().unwrap();
            assert_eq!(root.str_at(&["a"]), Some("\u{1F600}"), "{text}");
            let b = &root.path(&["b"]).unwrap().value;
            assert_eq!(
                b,
                &Value::Seq(vec![Node {
                    line: b_line(text),
                    value: Value::str("x\u{1F680}y")
                }])
            );
        }
        let (_, err) = parse("a: \"\\ud83d\\ude00\"\nb: \"\\ude00\"\n");
        let err = err.unwrap();
        assert_eq!(err.line, 2);
        assert!(
            err.message
                .contains("`\\ude00` is half of a UTF-16 surrogate pair"),
            "{}",
            err.message
        );
        // An escaped backslash makes no escape.
        let (docs, err) = parse("a: \"\\\\ud83d\"\n");
        assert!(err.is_none(), "{err:?}");
        assert_eq!(
            docs[0].root.as_ref().unwrap().str_at(&["a"]),
            Some("\\ud83d")
        );
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

    /// Only a plain `<<` merges; a quoted one is an ordinary key, as in go-yaml.
    #[test]
    fn quoted_merge_key_is_an_ordinary_key() {
        for text in [
            "m: {\"<<\": x}\n",
            "m:\n  '<<': x\n",
            "kind: Service\nm: {\"<<\": x}\n",
        ] {
            let (docs, err) = parse(text);
            assert!(err.is_none(), "{text:?}: {err:?}");
            let m = docs[0].root.as_ref().unwrap().path(&["m"]).unwrap();
            assert_eq!(
                m.as_map().unwrap().get_value("<<").unwrap().value,
                Value::Str("x".into())
            );
        }
        let (_, err) = parse("m: {<<: x}\n");
        assert!(err.is_some_and(|e| e.message.contains("merge key")));
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

    /// Anchors inside anchored nodes are copied once per enclosing anchor: a chain of them
    /// multiplies a small text, so those copies count against the alias bound.
    #[test]
    fn nested_anchors_are_bounded() {
        let leaf = format!("[{}]", vec!["x"; 1000].join(", "));
        let mut text = format!("a0: &a0 {leaf}\n");
        // One level of anchors costs nothing: each node is copied once.
        assert!(parse(&text).1.is_none());
        let mut value = format!("&n0 {leaf}");
        for i in 1..200 {
            value = format!("&n{i} {{k: {value}}}");
        }
        text.push_str(&format!("b: {value}\n"));
        let message = parse(&text).1.unwrap().message;
        assert!(message.contains("--max-alias-nodes"), "{message}");
    }

    /// A mapping with many keys gets an index, and its duplicates are still found, whether its
    /// document is built or skipped for its kind (`tests/bad_input.rs` times a huge one).
    #[test]
    fn mappings_with_many_keys_are_indexed() {
        let keys: String = (0..2_000).map(|i| format!("  k{i}: v\n")).collect();
        for kind in ["Ingress", "\"Secret\""] {
            let limits = Limits {
                only_kinds: Some(&["Ingress"]),
                ..Limits::default()
            };
            let text = format!("kind: {kind}\ndata:\n{keys}");
            let (_, err) = parse_documents(&text, &limits);
            assert!(err.is_none(), "{err:?}");
            let (_, err) = parse_documents(&format!("{text}  k17: again\n"), &limits);
            let err = err.unwrap();
            assert_eq!(err.line, 2_003);
            assert_eq!(
                err.message,
                "duplicate key \"k17\" (first defined at line 20)"
            );
        }
        // Below the index's threshold, and at the document's root after a skip starts.
        let (_, err) = parse("a: 1\nb: 2\na: 3\n");
        assert_eq!(err.unwrap().line, 3);
        let limits = Limits {
            only_kinds: Some(&["Ingress"]),
            ..Limits::default()
        };
        let root: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
        let (_, err) = parse_documents(&format!("kind: \"Secret\"\n{root}k3: v\n"), &limits);
        assert_eq!(
            err.map(|e| (e.line, e.message)),
            Some((
                42,
                "duplicate key \"k3\" (first defined at line 5)".to_string()
            ))
        );
    }

    #[test]
    fn merges_of_large_mappings_keep_the_first_value() {
        let base: String = (0..100).map(|i| format!("k{i}: {i}, ")).collect();
        let text = format!("base: &b {{{base}}}\nm:\n  k5: own\n  <<: *b\n");
        let (docs, err) = parse(&text);
        assert!(err.is_none(), "{err:?}");
        let m = docs[0].root.as_ref().unwrap().path(&["m"]).unwrap();
        let m = m.as_map().unwrap();
        assert_eq!(m.entries.len(), 100);
        assert_eq!(m.get_value("k5").unwrap().value, Value::Str("own".into()));
        assert_eq!(m.get_value("k99").unwrap().value, Value::Int(99));
    }

    #[test]
    fn the_parsers_own_bounds_and_trailing_values_are_explained() {
        let text = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        let message = parse(&text).1.unwrap().message;
        assert!(
            message.contains("nested deeper than 255 levels"),
            "{message}"
        );
        let message = parse("{\"a\": 1} {\"b\": 2}\n").1.unwrap().message;
        assert!(message.contains("only a `---` line"), "{message}");
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
/// The parser's own skipping, for documents the skim leaves to it (`parse_text` without the
/// skim); `skim_equivalence` covers the skim.
mod skip_tests {
    use super::*;

    const ONLY: &[&str] = &["Ingress"];

    fn parse_only(text: &str) -> (Vec<RawDocument>, Option<ParseError>) {
        let limits = Limits {
            only_kinds: Some(ONLY),
            max_depth: 8,
            ..Limits::default()
        };
        parse_text_all(text, &limits)
    }

    #[test]
    fn skimmed_documents_are_empty_and_their_errors_unread() {
        let limits = Limits {
            only_kinds: Some(ONLY),
            ..Limits::default()
        };
        let (docs, err) = parse_documents(
            "kind: Deployment\nspec:\n  b: {c: 1, c: 2}\n---\nkind: Ingress\n",
            &limits,
        );
        assert!(err.is_none(), "{err:?}");
        // The skimmed document is counted, not kept.
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].number, 2);
        assert!(docs[0].root.is_some());
    }

    #[test]
    fn other_kinds_come_back_empty_and_wanted_ones_whole() {
        let (docs, err) = parse_only(
            "kind: Deployment\nspec: {a: [1, {b: 2}]}\n---\nkind: Ingress\nspec: {x: 1}\n---\nkind: List\nitems: []\n",
        );
        assert!(err.is_none(), "{err:?}");
        let numbers: Vec<usize> = docs.iter().map(|d| d.number).collect();
        assert_eq!(numbers, [2, 3], "the Deployment is left out");
        assert!(
            docs[0]
                .root
                .as_ref()
                .is_some_and(|r| r.path(&["spec", "x"]).is_some())
        );
        assert!(docs[1].root.is_some(), "List kinds are always built");
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

/// Every YAML file of the fixtures, the examples and the fuzzing regressions (what fuzzing
/// found: a lone CR once shifted the lines of a later document), for tests that compare two
/// ways of reading.
#[cfg(test)]
pub(super) fn yaml_files() -> Vec<std::path::PathBuf> {
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
    for dir in ["tests/fixtures", "examples", "fuzz/regressions"] {
        walk(&root.join(dir), &mut files);
    }
    files
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
                    root: d.root.filter(|r| !matches!(r.value, Value::Null)),
                    ..d
                })
                .collect();
            (docs, error)
        };
        let (full, error) = nothing(parse_text_all(text, &limits));
        let (skimmed, skimmed_error) = nothing(parse_documents(text, &limits));
        if error.is_none() {
            prop_assert_eq!(&skimmed, &full, "{:?}", text);
            prop_assert_eq!(skimmed_error, None, "{:?}", text);
        }
        Ok(())
    }

    /// Every YAML file of the fixtures, the examples and the fuzzing regressions.
    #[test]
    fn fixtures_read_the_same() {
        let files = yaml_files();
        assert!(files.len() > 300, "{}", files.len());
        for file in files {
            // tests/fixtures/bad-input holds files that are not UTF-8 on purpose.
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
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
        "u: \r ",
        "a: 1\rkind: Ingress",
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
