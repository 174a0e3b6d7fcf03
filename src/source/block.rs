//! A reader for the plain block YAML that nearly every manifest is written in: block mappings
//! and sequences, one-line plain and quoted scalars, `{}` and `[]`, literal `|` and `|-`
//! blocks, comments and `---`. It builds the same documents as the full parser
//! (`super::yaml`) several times faster, and at the first thing outside that subset (tabs, CR,
//! non-ASCII text, anchors, aliases, tags, flow collections, multi-line scalars, escapes,
//! merge keys, duplicate keys, deep nesting) it gives up on the whole input, so the
//! full parser reads it and reports every error as before. A test holds the two to the same
//! result on every fixture and on generated texts.

use std::ops::Range;

use super::tree::{Entry, Key, Map, Node, Value, resolve_plain_scalar};
use super::yaml::{ItemSink, Limits, RawDocument, first_definition, plain_key};

/// Reads `text` when all of it is in the subset; `None` when the full parser must.
/// The documents in `blanks` (see `skim::unwanted`) are passed over unread: each is a document
/// without a root, as one of a kind the command does not read. With `items`, the items of
/// the first document's root `items` list go there as they are read, as the full parser
/// hands them (`yaml::parse_each_with_items`); when this reader then gives up, they come again
/// from the full parser.
pub fn read(
    text: &str,
    blanks: &[Range<usize>],
    limits: &Limits,
    items: Option<&mut dyn ItemSink>,
) -> Option<Vec<RawDocument>> {
    if !kept_parts(text, blanks).all(|part| printable_ascii(part.as_bytes())) {
        return None;
    }
    let lines = split_lines(text, blanks)?;
    let mut reader = Reader {
        text,
        lines: &lines,
        next: 0,
        end: 0,
        max_depth: limits.max_depth,
        root_items: 0,
        max_documents: limits.max_documents,
        items,
        divert_next: false,
        rooted: false,
    };
    let markers: Vec<usize> = (0..lines.len())
        .filter(|i| lines.get(*i).is_some_and(|l| l.kind == Kind::Marker))
        .collect();
    // The text before the first `---` is a document only when it holds something.
    let starts = std::iter::once(0).chain(markers.iter().map(|m| m + 1));
    let ends = markers.iter().copied().chain(std::iter::once(lines.len()));
    if markers.len() >= limits.max_documents {
        // The full parser says where.
        return None;
    }
    // Documents without a root (empty, or of a kind not read) are counted, not kept.
    let mut documents = Vec::new();
    let mut number = 0;
    for (segment, (start, end)) in starts.zip(ends).enumerate() {
        if lines
            .get(start)
            .is_some_and(|line| line.kind == Kind::Blanked)
        {
            number += 1;
            continue;
        }
        reader.next = start;
        reader.end = end;
        if reader.peek().is_none() {
            // The text before the first `---` is a document only when it holds something;
            // after a `---` it is an empty document.
            number += usize::from(segment > 0);
            continue;
        }
        number += 1;
        let root = reader.block(0)?;
        if reader.peek().is_some() {
            return None;
        }
        reader.rooted = true;
        if !unwanted_kind(&root, limits) {
            documents.push(RawDocument {
                number,
                root: Some(root),
            });
        }
    }
    Some(documents)
}

/// The parts of `text` outside `blanks`.
fn kept_parts<'t>(text: &'t str, blanks: &[Range<usize>]) -> impl Iterator<Item = &'t str> {
    let ends = blanks.iter().map(|b| (b.start, b.end));
    let mut kept = 0;
    ends.chain([(text.len(), text.len())])
        .map(move |(start, end)| {
            let part = text.get(kept..start).unwrap_or_default();
            kept = end;
            part
        })
}

/// Whether every byte is printable ASCII or `\n`: no tab, CR, BOM or other character with
/// rules of its own. Tested 32 bytes at a time without a branch per byte, so the compiler can
/// vectorise it: every byte of every input read passes here.
fn printable_ascii(bytes: &[u8]) -> bool {
    let other = |b: u8| b != b'\n' && !(b' '..=b'~').contains(&b);
    let mut chunks = bytes.chunks_exact(32);
    chunks
        .by_ref()
        .all(|chunk| !chunk.iter().fold(false, |found, &b| found | other(b)))
        && !chunks.remainder().iter().any(|&b| other(b))
}

/// Whether `root` is a mapping whose `kind` says the command does not read it; the full
/// parser stops building such a document at its `kind` and returns no root.
pub(super) fn unwanted_kind(root: &Node, limits: &Limits) -> bool {
    let Some(kinds) = limits.only_kinds else {
        return false;
    };
    let kind = root.as_map().and_then(|map| map.get_value("kind"));
    kind.and_then(|kind| kind.value.as_str())
        .is_some_and(|kind| !kind.ends_with("List") && !kinds.contains(&kind))
}

/// The deepest nesting this reader follows.
const DEEPEST: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only spaces.
    Blank,
    /// Spaces, then `#`.
    Comment,
    /// `---` at column 0, alone or before spaces and a comment.
    Marker,
    Content,
    /// Stands for the lines of a document passed over unread (see [`read`]).
    Blanked,
}

/// A line that is not empty. Empty lines are left out (blanked documents are mostly empty
/// lines), and the index of a text never takes more than twice the text, or 1,024 lines
/// (see [`split_lines`]).
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Byte offsets of the line's text, without its `\n`.
    start: u32,
    end: u32,
    /// Leading spaces.
    indent: u32,
    /// 1-based.
    number: u32,
    kind: Kind,
}

impl Line {
    fn indent(&self) -> usize {
        self.indent as usize
    }
}

/// The lines of `text` that are not empty, with one [`Kind::Blanked`] line for each of the
/// `blanks` (their lines are not looked at); or `None` when a line at column 0 is a directive,
/// a document end or something else that starts with `---`, or when the lines are so short
/// that their index would take more than twice the text.
fn split_lines(text: &str, blanks: &[Range<usize>]) -> Option<Vec<Line>> {
    let most = (2 * text.len() / std::mem::size_of::<Line>()).max(1024);
    // Room for every line at once: grown by doubling, the index of a text of tiny lines took
    // up to four times the text before the reader gave up on it.
    let breaks: usize = kept_parts(text, blanks)
        .map(super::skim::count_newlines)
        .sum();
    // Lines too many for the index are found before it is built: filled up to the bound, it
    // took twice the text only to be dropped.
    if breaks >= most && kept_parts(text, blanks).map(lines_not_empty).sum::<usize>() > most {
        return None;
    }
    let mut lines = Vec::with_capacity((breaks + blanks.len() + 1).min(most));
    let mut number = 0u32;
    let mut kept = 0;
    for blank in blanks {
        split_range(text, kept..blank.start, &mut number, &mut lines, most)?;
        lines.push(Line {
            start: u32::try_from(blank.start).ok()?,
            end: u32::try_from(blank.start).ok()?,
            indent: 0,
            number: number.checked_add(1)?,
            kind: Kind::Blanked,
        });
        // A blank ends at the start of a line, or at the end of the text.
        let blanked = super::skim::count_newlines(text.get(blank.clone())?);
        number = number.checked_add(u32::try_from(blanked).ok()?)?;
        kept = blank.end;
    }
    split_range(text, kept..text.len(), &mut number, &mut lines, most)?;
    Some(lines)
}

/// How many lines of `part` (which starts at the start of a line) are not empty.
fn lines_not_empty(part: &str) -> usize {
    let bytes = part.as_bytes();
    // A line break at the start, or right after another, ends an empty line.
    let empty = usize::from(bytes.first() == Some(&b'\n'))
        + bytes
            .iter()
            .zip(bytes.iter().skip(1))
            .filter(|(a, b)| **a == b'\n' && **b == b'\n')
            .count();
    let last = usize::from(!part.is_empty() && !part.ends_with('\n'));
    super::skim::count_newlines(part) - empty + last
}

/// Adds the lines of `range` (which starts at the start of a line, after line `number`) to
/// `lines`, as [`split_lines`] does.
fn split_range(
    text: &str,
    range: Range<usize>,
    number: &mut u32,
    lines: &mut Vec<Line>,
    most: usize,
) -> Option<()> {
    let part = text.get(range.clone())?;
    let ends = memchr::memchr_iter(b'\n', part.as_bytes())
        .map(|end| range.start + end)
        .chain((!part.ends_with('\n') && !part.is_empty()).then_some(range.end));
    let mut start = range.start;
    for end in ends {
        *number = number.checked_add(1)?;
        let number = *number;
        let raw = text.get(start..end)?;
        if raw.is_empty() {
            start = end + 1;
            continue;
        }
        if lines.len() >= most {
            return None;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let rest = raw.get(indent..)?;
        let kind = if rest.trim_end_matches(' ').is_empty() {
            Kind::Blank
        } else if rest.starts_with('#') {
            Kind::Comment
        } else if indent == 0 && rest.starts_with("---") {
            // `---` alone or before spaces and a comment; `--- value` starts a document with
            // content on the marker's line, left to the full parser.
            let after = rest.get(3..)?;
            let tail = after.trim_start_matches(' ');
            if !(after.is_empty()
                || after.starts_with(' ') && (tail.is_empty() || tail.starts_with('#')))
            {
                return None;
            }
            Kind::Marker
        } else if indent == 0 && (rest.starts_with("...") || rest.starts_with('%')) {
            return None;
        } else {
            Kind::Content
        };
        lines.push(Line {
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
            indent: u32::try_from(indent).ok()?,
            number,
            kind,
        });
        start = end + 1;
    }
    Some(())
}

struct Reader<'t, 's> {
    text: &'t str,
    lines: &'t [Line],
    /// The first line not read yet.
    next: usize,
    /// Where the current document ends (its closing `---` or the end of the input).
    end: usize,
    max_depth: usize,
    /// Items of lists at the root of a document so far, and their bound: a `*List`'s items
    /// count as documents, and the full parser says where there are too many.
    root_items: usize,
    max_documents: usize,
    /// Where the first document's root `items` go (see [`read`]).
    items: Option<&'s mut dyn ItemSink>,
    /// The value read next is that of the first document's root `items` key.
    divert_next: bool,
    /// A document was read: only the first one's items go to `items`.
    rooted: bool,
}

impl<'t> Reader<'t, '_> {
    /// The next line with content in the current document (skipping blank and comment
    /// lines), and its index; it stays unread.
    fn peek(&mut self) -> Option<(usize, Line)> {
        while self.next < self.end {
            let line = *self.lines.get(self.next)?;
            if line.kind == Kind::Content {
                return Some((self.next, line));
            }
            self.next += 1;
        }
        None
    }

    /// The text of line `index` from `column` on, without trailing spaces.
    fn rest(&self, index: usize, column: usize) -> Option<&'t str> {
        let line = self.lines.get(index)?;
        let text = self.text.get(line.start as usize..line.end as usize)?;
        Some(text.get(column..)?.trim_end_matches(' '))
    }

    /// The block collection that starts on the next line with content: `depth` collections
    /// enclose it.
    fn block(&mut self, depth: usize) -> Option<Node> {
        let (index, line) = self.peek()?;
        let text = self.rest(index, line.indent())?;
        if is_item(text) {
            self.sequence(line.indent(), depth)
        } else if split_key(text).is_some() {
            self.mapping(index, line.indent(), depth)
        } else {
            None
        }
    }

    /// The full parser refuses nesting past the bound: leave that, and what is near it, to it.
    /// This reader recurses, so it also leaves deeper nesting than manifests have to the full
    /// parser (which keeps its own stack), whatever `--max-depth` allows.
    fn enter(&self, depth: usize) -> Option<()> {
        (depth + 1 < self.max_depth.min(DEEPEST)).then_some(())
    }

    /// A block mapping whose first key is on line `first` at `column` (past a `- ` for a
    /// mapping in a sequence item).
    fn mapping(&mut self, first: usize, column: usize, depth: usize) -> Option<Node> {
        self.enter(depth)?;
        let mut map = Map::default();
        let mut index = None;
        let mut at = first;
        loop {
            let text = self.rest(at, column)?;
            let (key, after) = split_key(text)?;
            let key_line = self.lines.get(at)?.number;
            let keys = map.entries.iter().map(|e| (e.key.as_str(), e.key_line));
            if first_definition(&mut index, keys, &key, key_line).is_some() {
                return None;
            }
            self.next = at + 1;
            self.divert_next = depth == 0 && !self.rooted && self.items.is_some() && key == "items";
            let value = self.value(key_line, after, column, depth + 1, true);
            self.divert_next = false;
            let value = value?;
            map.entries.push(Entry {
                key,
                key_line,
                value,
            });
            match self.peek() {
                Some((next, line)) if line.indent() == column => {
                    if is_item(self.rest(next, column)?) {
                        return None;
                    }
                    at = next;
                }
                Some((_, line)) if line.indent() > column => return None,
                _ => break,
            }
        }
        Some(Node {
            line: self.lines.get(first)?.number,
            value: Value::Map(map),
        })
    }

    /// A block sequence whose items start with `- ` at `column`; the next line with content
    /// is its first item.
    fn sequence(&mut self, column: usize, depth: usize) -> Option<Node> {
        self.enter(depth)?;
        let divert = depth == 1 && std::mem::take(&mut self.divert_next);
        let (_, first) = self.peek()?;
        let mut items = Vec::new();
        while let Some((at, line)) = self.peek() {
            if line.indent() > column {
                return None;
            }
            if line.indent() < column {
                break;
            }
            let text = self.rest(at, column)?;
            if !is_item(text) {
                break;
            }
            let after = text.get(1..)?.trim_start_matches(' ');
            // Where a mapping in the item has its keys.
            let item_column = column + text.len() - after.len();
            if is_item(after) {
                return None;
            }
            if depth == 1 {
                self.root_items += 1;
                if self.root_items >= self.max_documents {
                    return None;
                }
            }
            let item = if split_key(after).is_some() {
                self.mapping(at, item_column, depth + 1)?
            } else {
                self.next = at + 1;
                self.value(line.number, after, column, depth + 1, false)?
            };
            match self.items.as_deref_mut() {
                Some(sink) if divert => sink.item(item),
                _ => items.push(item),
            }
        }
        Some(Node {
            line: first.number,
            value: Value::Seq(items),
        })
    }

    /// The value after a key's `:` or an item's `-` on line `line`: `text` is the rest of that
    /// line, `column` the key's or the `-`'s. `depth` collections enclose it.
    fn value(
        &mut self,
        line: u32,
        text: &str,
        column: usize,
        depth: usize,
        in_mapping: bool,
    ) -> Option<Node> {
        if text.is_empty() || text.starts_with('#') {
            return match self.peek() {
                Some((_, next)) if next.indent() > column => self.block(depth),
                // A mapping's value may be a sequence at the key's own column.
                Some((at, next))
                    if in_mapping && next.indent() == column && is_item(self.rest(at, column)?) =>
                {
                    self.sequence(column, depth)
                }
                _ => Some(Node {
                    line,
                    value: Value::Null,
                }),
            };
        }
        let value = match text {
            "|" | "|-" => return self.literal(line, column, text == "|"),
            _ if text.starts_with('"') || text.starts_with('\'') => {
                let (value, after) = quoted(text)?;
                only_comment(after)?;
                Value::Str(value)
            }
            _ if text.starts_with("{}") || text.starts_with("[]") => {
                only_comment(text.get(2..)?)?;
                self.enter(depth)?;
                if text.starts_with('{') {
                    Value::Map(Map::default())
                } else {
                    Value::Seq(Vec::new())
                }
            }
            _ => resolve_plain_scalar(plain(text)?),
        };
        Some(Node { line, value })
    }

    /// A literal block scalar (`|` keeps one final line break, `|-` none) whose indicator
    /// ended line `indicator`, in a collection at `column`.
    fn literal(&mut self, indicator: u32, column: usize, keep_break: bool) -> Option<Node> {
        let first = self.next;
        let line = *self.lines.get(first).filter(|_| first < self.end)?;
        let indent = line.indent();
        if line.number != indicator.checked_add(1)? || line.kind == Kind::Blank || indent <= column
        {
            // Leading empty lines and empty blocks have rules of their own.
            return None;
        }
        let mut value = String::new();
        let mut last = line;
        for at in first..self.end {
            let line = *self.lines.get(at)?;
            let raw = self.text.get(line.start as usize..line.end as usize)?;
            if line.kind == Kind::Blank {
                // Spaces past the indentation would be content, and spaces that end the text
                // without a line break are a line break to the full parser.
                if raw.len() > indent || line.end as usize == self.text.len() {
                    return None;
                }
                continue;
            }
            if line.indent() < indent {
                break;
            }
            if at > first {
                // One line break, and one more for each empty or blank line between.
                let breaks = line.number.checked_sub(last.number)?;
                value.extend(std::iter::repeat_n('\n', breaks as usize));
            }
            value.push_str(raw.get(indent..)?);
            last = line;
            self.next = at + 1;
        }
        // `|` keeps the last line's break: an input that ends without one has none to keep.
        if keep_break && (last.end as usize) < self.text.len() {
            value.push('\n');
        }
        Some(Node {
            line: line.number,
            value: Value::Str(value),
        })
    }
}

/// `text` (a line's content) is a sequence item: `-` alone or before a space.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// A mapping key at the start of `text`, as the tree keeps it, and the text after its `: `;
/// `None` when `text` does not start with a key in the subset.
fn split_key(text: &str) -> Option<(Key, &str)> {
    let (key, after) = if text.starts_with('"') || text.starts_with('\'') {
        let (key, after) = quoted(text)?;
        (Key::from(key), after)
    } else {
        let bytes = text.as_bytes();
        let first = *bytes.first()?;
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let end = bytes
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/')))
            .unwrap_or(bytes.len());
        let key = plain_key(text.get(..end)?).ok()?;
        (key, text.get(end..)?)
    };
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after.trim_start_matches(' ')))
}

/// A one-line quoted scalar at the start of `text` and the text after it. Double-quoted ones
/// with escapes are left to the full parser.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut chars = text.char_indices();
    let (_, quote) = chars.next()?;
    if quote == '"' {
        let close = text.get(1..)?.find(['"', '\\'])? + 1;
        if text.get(close..)?.starts_with('\\') {
            return None;
        }
        return Some((text.get(1..close)?.to_string(), text.get(close + 1..)?));
    }
    let mut value = String::new();
    let mut rest = text.get(1..)?;
    loop {
        let close = rest.find('\'')?;
        value.push_str(rest.get(..close)?);
        rest = rest.get(close + 1..)?;
        match rest.strip_prefix('\'') {
            Some(after) => {
                value.push('\'');
                rest = after;
            }
            None => return Some((value, rest)),
        }
    }
}

/// `after` (what follows a value on its line) is nothing or a comment.
fn only_comment(after: &str) -> Option<()> {
    (after.is_empty() || (after.starts_with(' ') && after.trim_start().starts_with('#')))
        .then_some(())
}

/// A one-line plain scalar at the start of `text`, without its comment; `None` for what could
/// mean more in YAML (an indicator first, `: ` inside, a flow bracket).
fn plain(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if b"-?:".contains(&first) {
        // An indicator only before a space (or at the end).
        if bytes.get(1).is_none_or(|b| *b == b' ') {
            return None;
        }
    } else if b",[]{}#&*!|>'\"%@`".contains(&first) {
        return None;
    }
    // One pass up to a comment (` #`): no `: `, no flow indicator.
    let mut end = bytes.len();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' | b']' | b'{' | b'}' => return None,
            b':' if bytes.get(i + 1).is_none_or(|next| *next == b' ') => return None,
            b'#' if i > 0 && bytes.get(i - 1) == Some(&b' ') => {
                end = i - 1;
                break;
            }
            _ => {}
        }
    }
    let value = text.get(..end)?.trim_end_matches(' ');
    (!value.ends_with(':')).then_some(value)
}

/// The reader must never change what an input means: whenever it reads a text, the full
/// parser reads the same documents from it, without error.
#[cfg(test)]
mod printable {
    use super::printable_ascii;

    /// Each byte value, at every offset of texts around the 32-byte chunks, as a byte-by-byte
    /// test says.
    #[test]
    fn every_byte_at_every_offset_is_judged_as_one_by_one() {
        let one_by_one = |bytes: &[u8]| bytes.iter().all(|&b| b == b'\n' || (32..127).contains(&b));
        for len in [0, 1, 31, 32, 33, 64, 95] {
            let clean: Vec<u8> = (0..len)
                .map(|i| if i % 7 == 6 { b'\n' } else { b'a' })
                .collect();
            assert!(printable_ascii(&clean), "{len}");
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = clean.clone();
                    if let Some(b) = bytes.get_mut(at) {
                        *b = byte;
                    }
                    assert_eq!(
                        printable_ascii(&bytes),
                        one_by_one(&bytes),
                        "{len} {at} {byte}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod same_as_full_parser {
    use super::*;
    use crate::source::yaml::{parse_events, yaml_files};
    use proptest::prelude::*;

    /// The bounds both readers are compared under: the default, skipping by kind, a low depth.
    fn limits() -> [Limits; 3] {
        [
            Limits::default(),
            Limits {
                only_kinds: Some(&["Ingress", "Gateway"]),
                ..Limits::default()
            },
            Limits {
                max_depth: 4,
                ..Limits::default()
            },
        ]
    }

    /// Whether the reader read `text` (under any of the bounds); fails when it read it
    /// differently from the full parser.
    fn check(text: &str) -> Result<bool, TestCaseError> {
        let mut read_it = false;
        for limits in limits() {
            if let Some(documents) = read(text, &[], &limits, None) {
                let (full, error) = parse_events(text, &limits);
                prop_assert_eq!(error, None, "{:?}", text);
                prop_assert_eq!(&documents, &full, "{:?}", text);
                read_it = true;
            }
            passed_over_as_if_emptied(text, &limits)?;
        }
        Ok(read_it)
    }

    /// The documents `skim` finds unwanted are passed over: what is read is what the text with
    /// them emptied reads as (where the emptied ones are empty documents: roots of null).
    fn passed_over_as_if_emptied(text: &str, limits: &Limits) -> Result<(), TestCaseError> {
        let Some(kinds) = limits.only_kinds else {
            return Ok(());
        };
        let blanks = crate::source::skim::unwanted(text, &|kind, _| kinds.contains(&kind));
        let emptied = crate::source::skim::mask(text, &blanks);
        let no_null = |documents: Vec<RawDocument>| -> Vec<RawDocument> {
            documents
                .into_iter()
                .map(|mut d| {
                    d.root = d.root.filter(|root| root.value != Value::Null);
                    d
                })
                .collect()
        };
        if let Some(documents) = read(&emptied, &[], limits, None) {
            let passed_over = read(text, &blanks, limits, None).map(no_null);
            prop_assert_eq!(passed_over, Some(no_null(documents)), "{:?}", text);
        }
        Ok(())
    }

    /// Unwanted documents first without `---`, between others, after comments and last without
    /// a line break are passed over, and documents keep their numbers and lines.
    #[test]
    fn unwanted_documents_anywhere_are_passed_over() {
        let limits = limits()[1];
        for text in [
            "kind: Service\nmetadata:\n  name: a\n---\nkind: Ingress\nmetadata:\n  name: b\n",
            "# c\nkind: Ingress\n---\nkind: Secret\ndata:\n  a: b\n# c\n---\n\nkind: Gateway\n",
            "kind: Ingress\n--- # c\nkind: Secret\n---\nkind: Secret\n---\nkind: Secret",
            "---\nkind: Secret\n---\n---\nkind: Ingress\nspec:\n  - a\n---\n",
        ] {
            let blanks = crate::source::skim::unwanted(text, &|kind, _| {
                limits.only_kinds.is_some_and(|kinds| kinds.contains(&kind))
            });
            assert!(!blanks.is_empty(), "{text:?}");
            passed_over_as_if_emptied(text, &limits).unwrap();
            let read_it = read(text, &blanks, &limits, None).unwrap();
            let (full, _) = parse_events(text, &limits);
            let roots = |docs: &[RawDocument]| -> Vec<(usize, Option<u32>)> {
                docs.iter()
                    .map(|d| {
                        (
                            d.number,
                            d.root
                                .as_ref()
                                .filter(|r| r.value != Value::Null)
                                .map(|r| r.line),
                        )
                    })
                    .collect()
            };
            assert_eq!(roots(&read_it), roots(&full), "{text:?}");
        }
    }

    /// Every YAML file of the fixtures, the examples and the fuzzing regressions; most of them
    /// are in the subset, so the comparison covers real manifests.
    #[test]
    fn fixtures_read_the_same() {
        let files = yaml_files();
        let mut read_files = 0;
        for file in &files {
            // tests/fixtures/bad-input holds files that are not UTF-8 on purpose.
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            if check(&text).unwrap() {
                read_files += 1;
            }
        }
        assert!(
            read_files * 4 > files.len() * 3,
            "{read_files} of {} files",
            files.len()
        );
    }

    /// What `tools/gen-tree.py` writes, and manifests as people write them, are read here,
    /// not left to the full parser.
    #[test]
    fn manifests_are_in_the_subset() {
        let text = "\
# a comment
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: team-a
  labels: {}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
    \"acme.cert-manager.io/http01-edit-in-place\": 'true'
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - a.example.com   # the main host
    secretName: web-tls
  rules:
    - host: a.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: v1
kind: ConfigMap
data:
  script: |
    #!/bin/sh
    echo \"hi\"

    exit 0
  empty: \"\"
  list: []
---
";
        let (documents, error) = parse_events(text, &Limits::default());
        assert_eq!(error, None);
        assert_eq!(read(text, &[], &Limits::default(), None), Some(documents));
    }

    /// A literal block that ends the input without a line break keeps none (issue 25, item
    /// 12), read here and by the full parser alike.
    #[test]
    fn a_literal_block_at_the_end_without_a_line_break_keeps_none() {
        for (text, value) in [("a: |\n  b", "b"), ("a: |\n  b\n\n  c", "b\n\nc")] {
            let documents = read(text, &[], &Limits::default(), None).unwrap();
            let root = documents[0].root.as_ref().unwrap();
            assert_eq!(root.str_at(&["a"]), Some(value), "{text:?}");
            assert_eq!(parse_events(text, &Limits::default()), (documents, None));
        }
    }

    /// What the subset leaves to the full parser, one feature per text.
    #[test]
    fn the_rest_is_left_to_the_full_parser() {
        for text in [
            "a:\tb\n",
            "a: b\r\n",
            "\u{feff}a: b\n",
            "a: é\n",
            "a: &x b\nc: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: \"b\\nc\"\n",
            "a: \"b\n  c\"\n",
            "a: b\n  c\n",
            "a: >\n  b\n",
            "a: |+\n  b\n",
            "a: |2\n  b\n",
            "a: |\n\n  b\n",
            "- |\n  c: x\n  ",
            "a: |\n  b\n\n ",
            "a: |\n  b\n     \n  c\n",
            "<<: {a: 1}\n",
            "a: 1\na: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\n",
            "--- a\n",
            "? a\n: b\n",
            "- - a\n",
            "a b: c\n",
            "a: b: c\n",
            "just text\n",
            "a:\n  - b\n  c: d\n",
        ] {
            assert_eq!(read(text, &[], &Limits::default(), None), None, "{text:?}");
        }
        let deep: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(read(&deep, &[], &Limits::default(), None), None);
        let unbounded = Limits {
            max_depth: usize::MAX,
            ..Limits::default()
        };
        assert_eq!(read(&deep, &[], &unbounded, None), None);
        let shallow: String = (0..60).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(read(&shallow, &[], &unbounded, None).is_some());
        // Lines so short that their index would outweigh the text.
        let short = "- a\n".repeat(10_000);
        assert_eq!(read(&short, &[], &Limits::default(), None), None);
        assert!(
            read(
                &"- abcdefghij\n".repeat(10_000),
                &[],
                &Limits::default(),
                None
            )
            .is_some()
        );
        // Empty lines take no room: a text of blanked documents is read.
        let blanked = format!("{}kind: Ingress\n", "---\n\n\n\n\n\n\n\n".repeat(10_000));
        assert!(read(&blanked, &[], &Limits::default(), None).is_some());
    }

    /// The count that decides, before the index is built, that it would be too large: the
    /// lines [`split_range`] keeps, on every text of up to 10 of `a` and `\n`.
    #[test]
    fn lines_not_empty_are_the_lines_the_index_keeps() {
        for length in 0..=10 {
            for bits in 0..1u32 << length {
                let text: String = (0..length)
                    .map(|i| if bits >> i & 1 == 1 { '\n' } else { 'a' })
                    .collect();
                let mut lines = Vec::new();
                split_range(&text, 0..text.len(), &mut 0, &mut lines, usize::MAX).unwrap();
                assert_eq!(lines_not_empty(&text), lines.len(), "{text:?}");
            }
        }
    }

    const LINES: &[&str] = &[
        "a: 1",
        "b:",
        "b: 2",
        "  c: x",
        "  c: 'q''s' # c",
        "   c: y",
        "    d: \"s\"",
        "  - y",
        "  -",
        "- z",
        "-",
        "- k: v",
        "-   k: v",
        "  k: v2",
        "    k: v3",
        "- - w",
        "- |",
        "- {}",
        "f: |",
        "g: |-",
        "  text",
        "    deeper  ",
        "  # not a comment in a block",
        " t",
        "",
        "  ",
        "      ",
        "# c",
        "  # c",
        "---",
        "--- # c",
        "---  ",
        "---x",
        "...",
        "h: {}",
        "i: [] # c",
        "j: x # c",
        "k: x#y",
        "kind: Service",
        "kind: Ingress",
        "kind: ServiceList",
        "\"kind\": Secret",
        "l: -1",
        "m: yes",
        "n: 0644",
        "o: ~",
        "p: 1.5",
        "q: a,b",
        "r: http://x",
        "r: a: b",
        "r: - a",
        "s: -",
        "'t': 2",
        "\"u\": \"v\" x",
        "1: one",
        "true: yes",
        "null:",
        "x: y:",
        "y: \"a\\\"b\"",
        "z: [1, 2]",
        "a: &x b",
        "c: *x",
        "<<: {a: 1}",
        "? k",
        ": x",
        "%YAML 1.2",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]
        #[test]
        fn generated_texts_read_the_same(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 1..16),
            newline_at_end in any::<bool>(),
        ) {
            let mut text = lines.join("\n");
            if newline_at_end {
                text.push('\n');
            }
            check(&text)?;
        }
    }

    /// A small deterministic generator of texts in the subset: nested mappings and sequences
    /// in every layout the reader accepts, with comments, blank lines and literal blocks.
    struct Writer {
        state: u64,
        text: String,
    }

    const SCALARS: &[&str] = &[
        "x",
        "-1",
        "0644",
        "yes",
        "~",
        "1.5",
        "'q''s'",
        "\"s\"",
        "a,b",
        "http://x:80/p",
        "x # c",
        "{}",
        "[]",
        "null",
        "True",
        "0x1F",
        ".inf",
        "a#b",
        "-x",
        ":x",
        "?x",
        "...",
        "a b  c",
        "''",
        "\"\"",
        "'a # b'",
        "\"it's\" # c",
        "1e3",
        "0o17",
        "-.5",
    ];
    const BLOCK_LINES: &[&str] = &["text", "  more", "", "# hash", "a: b", "- x", "trailing  "];
    const KEYS: &[&str] = &[
        "a", "kind", "name", "b.c/d", "e-f", "1", "true", "null", "\"q\"", "'s'", "_u", "01",
    ];

    impl Writer {
        fn next(&mut self, below: usize) -> usize {
            // splitmix64
            self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            usize::try_from((z ^ (z >> 31)) % below as u64).unwrap()
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.next(from.len())]
        }

        /// Maybe a blank or comment line.
        fn filler(&mut self) {
            match self.next(8) {
                0 => self.text.push('\n'),
                1 => {
                    let indent = " ".repeat(self.next(6));
                    self.text.push_str(&format!("{indent}# comment\n"));
                }
                _ => {}
            }
        }

        /// What follows a `key:` or a `-` whose value is on the next lines or on this one.
        fn value(&mut self, column: usize, depth: usize, in_mapping: bool) {
            match self.next(if depth > 3 { 2 } else { 6 }) {
                0 => {
                    let scalar = self.pick(SCALARS);
                    self.text.push_str(&format!(" {scalar}\n"));
                }
                1 => {
                    let text = self.pick(&[" |\n", " |-\n"]);
                    self.text.push_str(text);
                    let indent = " ".repeat(column + 1 + self.next(3));
                    self.text.push_str(&format!("{indent}text\n"));
                    for _ in 0..self.next(4) {
                        let line = self.pick(BLOCK_LINES);
                        if line.is_empty() {
                            self.text.push('\n');
                        } else {
                            self.text.push_str(&format!("{indent}{line}\n"));
                        }
                    }
                }
                2 => self.text.push('\n'),
                3 if in_mapping => {
                    self.text.push('\n');
                    self.sequence(column, depth + 1);
                }
                4 => {
                    let text = self.pick(&["\n", " # c\n"]);
                    self.text.push_str(text);
                    self.filler();
                    let inner = column + 1 + self.next(3);
                    self.sequence(inner, depth + 1);
                }
                _ => {
                    self.text.push('\n');
                    self.filler();
                    let inner = column + 1 + self.next(3);
                    self.mapping(inner, depth + 1, false);
                }
            }
        }

        /// A mapping at `column`; with `inline`, its first key goes on the current line.
        fn mapping(&mut self, column: usize, depth: usize, inline: bool) {
            let mut keys: Vec<&str> = KEYS.to_vec();
            for entry in 0..1 + self.next(3) {
                if keys.is_empty() {
                    break;
                }
                let key = keys.remove(self.next(keys.len()));
                if !(inline && entry == 0) {
                    self.filler();
                    self.text.push_str(&" ".repeat(column));
                }
                self.text.push_str(&format!("{key}:"));
                self.value(column, depth, true);
            }
        }

        fn sequence(&mut self, column: usize, depth: usize) {
            for _ in 0..1 + self.next(3) {
                self.filler();
                self.text.push_str(&format!("{}-", " ".repeat(column)));
                if self.next(3) == 0 && depth < 4 {
                    let gap = 1 + self.next(3);
                    self.text.push_str(&" ".repeat(gap));
                    self.mapping(column + 1 + gap, depth + 1, true);
                } else {
                    self.value(column, depth, false);
                }
            }
        }
    }

    /// Generated texts in the subset: the reader reads every one, as the full parser does.
    #[test]
    fn generated_manifests_read_the_same() {
        for seed in 0..3_000 {
            let mut writer = Writer {
                state: seed,
                text: String::new(),
            };
            for document in 0..1 + writer.next(3) {
                if document > 0 || writer.next(2) == 0 {
                    let text = writer.pick(&["---\n", "--- # c\n"]);
                    writer.text.push_str(text);
                }
                match writer.next(5) {
                    0 => writer.sequence(0, 0),
                    1 => writer.filler(),
                    _ => writer.mapping(0, 0, false),
                }
            }
            let text = writer.text;
            assert!(check(&text).unwrap(), "not read: {text:?}");
        }
    }
}
