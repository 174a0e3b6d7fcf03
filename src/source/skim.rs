//! A line scan that finds, without a YAML parser, the documents whose root `kind` is certainly
//! one the command does not read, and blanks them out so the parser passes over them at the
//! speed of empty lines. Most of a GitOps tree is Deployments, Services and ConfigMaps, and
//! scanning YAML is what lsc spends its time on.
//!
//! The scan only decides when the document's layout leaves no doubt: a block mapping at column
//! 0 with one `kind: Word` line, keys that start with a letter, digit or `_`, and nothing that
//! could continue the kind's value. Anything else (flow or quoted keys, tags, anchors at the
//! root, directives, `...`, a root that is not a mapping) is left to the parser, which then
//! still skips the document after its `kind` (see `yaml::Limits::only_kinds`).
//!
//! The cost of the shortcut: a syntax error inside a document of a kind lsc does not read is
//! no longer reported, as for any other file lsc does not read.

use std::borrow::Cow;
use std::ops::Range;

/// The lines of `text`, each with its `\n` (the last one without, when the text does not end
/// in one). `str::split_inclusive` does the same one search per line; a GitOps tree is mostly
/// short lines, and one vectorised search over the whole text is several times faster.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|at| at + 1)
        .chain((!text.is_empty() && !text.ends_with('\n')).then_some(text.len()));
    let mut start = 0;
    ends.map(move |end| {
        // A `\n` byte is always a character boundary, so `get` cannot fail.
        let line = text.get(start..end).unwrap_or_default();
        start = end;
        line
    })
}

/// How many `\n` bytes `text` holds.
pub fn count_newlines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

/// Returns `text` with every document that is certainly unwanted replaced by an empty
/// document: its `---` line kept (or written, for the first document), its other lines emptied,
/// so line and document numbers stay those of the original. `wanted` is asked with the
/// document's kind and its text.
#[cfg(test)]
pub fn mask_unwanted<'t>(text: &'t str, wanted: &dyn Fn(&str, &str) -> bool) -> Cow<'t, str> {
    mask(text, &unwanted(text, wanted))
}

/// The byte ranges of the documents that are certainly unwanted, in order: each document's
/// lines after its `---` line, or all of the first document when it has none (then the range
/// starts at 0). Each range starts and ends at the start of a line (or the text's end).
/// `wanted` is asked with the document's kind and its text.
pub fn unwanted(text: &str, wanted: &dyn Fn(&str, &str) -> bool) -> Vec<Range<usize>> {
    if has_lone_cr(text) {
        // A lone CR is a line break to YAML but not to this scan: lines would not match.
        return Vec::new();
    }
    let bytes = text.as_bytes();
    // Each document is judged once the next one starts: only its range is kept, when it is
    // unwanted (a list of every document cost more than an empty document's text).
    let mut ranges = Vec::new();
    let judge = |chunk: &Chunk<'_>, end: usize, ranges: &mut Vec<Range<usize>>| {
        if !chunk.skippable(text.get(chunk.start..end).unwrap_or_default(), wanted) {
            return;
        }
        ranges.push(match chunk.marker {
            // The `---` line stays, with its line break.
            Some(_) => {
                let body = text.get(chunk.start..end).unwrap_or_default();
                memchr::memchr(b'\n', body.as_bytes()).map_or(end, |at| chunk.start + at + 1)..end
            }
            None => chunk.start..end,
        });
    };
    let mut current = Chunk::new(0, None);
    let mut offset = 0;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', bytes.get(offset..).unwrap_or_default())
            .map_or(text.len(), |at| offset + at + 1);
        let raw = text.get(offset..end).unwrap_or_default();
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        if line.starts_with(' ') {
            // No marker or directive starts with a space.
            current.read(line);
        } else if starts_marker(line, "...") || line.starts_with('%') {
            // Document ends and directives change how what follows is read: leave it all to
            // the parser.
            return Vec::new();
        } else if starts_marker(line, "---") {
            judge(&current, offset, &mut ranges);
            current = Chunk::new(offset, Some(line));
        } else {
            current.read(line);
        }
        offset = if current.passes_indented() {
            next_unindented(bytes, end)
        } else {
            end
        };
    }
    judge(&current, text.len(), &mut ranges);
    ranges
}

/// The start of the first line at or after `from` (itself the start of a line) that is neither
/// indented nor empty, or the text's end. Eight bytes are tested at a time, without a branch
/// per byte: most lines of a manifest are indented, and [`unwanted`] passes over them here.
fn next_unindented(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    /// The high bit of each byte of `x` that is 0, and no other bit.
    fn zero_bytes(x: u64) -> u64 {
        let low = !HIGH;
        !(((x & low).wrapping_add(low)) | x) & HIGH
    }
    let starts = |at: usize| bytes.get(at).is_some_and(|b| !matches!(b, b' ' | b'\n'));
    if from >= bytes.len() || starts(from) {
        return from.min(bytes.len());
    }
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    };
    let mut at = from;
    // A line break in the word at `at` whose next byte (in the word at `at + 1`) starts a line
    // this scan reads.
    while let (Some(here), Some(next)) = (word(at), word(at + 1)) {
        let found = zero_bytes(here ^ (ONES * u64::from(b'\n')))
            & !zero_bytes(next ^ (ONES * u64::from(b' ')))
            & !zero_bytes(next ^ (ONES * u64::from(b'\n')));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize + 1;
        }
        at += 8;
    }
    while at < bytes.len() {
        if bytes.get(at) == Some(&b'\n') && starts(at + 1) {
            return at + 1;
        }
        at += 1;
    }
    bytes.len()
}

/// `text` with the `blanks` of [`unwanted`] emptied: their line breaks kept, and a `---`
/// written where the first document had none, so it still counts as a document.
pub fn mask<'t>(text: &'t str, blanks: &[Range<usize>]) -> Cow<'t, str> {
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for blank in blanks {
        out.push_str(text.get(kept..blank.start).unwrap_or_default());
        if blank.start == 0 {
            out.push_str("---");
        }
        let newlines = count_newlines(text.get(blank.clone()).unwrap_or_default());
        out.extend(std::iter::repeat_n('\n', newlines));
        kept = blank.end;
    }
    out.push_str(text.get(kept..).unwrap_or_default());
    Cow::Owned(out)
}

/// A carriage return not followed by a line feed (old Mac line ends, or a stray one).
fn has_lone_cr(text: &str) -> bool {
    text.contains('\r') && {
        let bytes = text.as_bytes();
        bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
    }
}

/// `line` is the marker (`---` or `...`) alone or followed by a space or tab.
fn starts_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The document past a bound on their number, found by [`too_many_documents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beyond {
    /// 1-based, as the parser numbers documents.
    pub number: usize,
    /// The 1-based line of its `---`.
    pub line: usize,
}

/// The document past the first `max` when `text` has more than `max`, found by counting `---`
/// lines (each starts a document), so that such a text is refused before anything is parsed:
/// even an empty document costs more memory than its four bytes of text. Texts too short to
/// hold that many markers are not looked at.
pub fn too_many_documents(text: &str, max: usize) -> Option<Beyond> {
    // A marker line takes at least four bytes with its line break; the last one three.
    if (text.len() + 1) / 4 < max.saturating_add(1) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut markers = 0usize;
    // Whether the text before the first marker is a document of its own.
    let mut content_first = None;
    for at in memchr::memmem::find_iter(bytes, b"---") {
        let line_start = at == 0 || bytes.get(at - 1) == Some(&b'\n');
        let ends = matches!(bytes.get(at + 3), None | Some(b'\n' | b'\r' | b' ' | b'\t'));
        if !(line_start && ends) {
            continue;
        }
        let first = *content_first.get_or_insert_with(|| {
            lines_inclusive(text.get(..at).unwrap_or_default())
                .any(|line| starts_content(line.trim_end_matches(['\n', '\r'])))
        });
        markers += 1;
        let number = markers + usize::from(first);
        if number > max {
            let before = text.get(..at).unwrap_or_default();
            return Some(Beyond {
                number,
                line: 1 + count_newlines(before),
            });
        }
    }
    None
}

/// The line of the item of a block `items:` list at the root of the first document (a
/// ResourceList, as kustomize writes it) that takes the input past `max` documents (that
/// document and its items; the parser counts them so, see `yaml::Limits::max_documents`),
/// found by counting the list's `- ` lines so that the input is refused before it is
/// parsed. `None` when the list has no more items, and whenever the layout leaves any doubt
/// about where items start (the parser then counts them as it reads): a list that is not in
/// block style, items that do not start with a key (or are `{}` or `[]`) on their `- ` line,
/// a quote or bracket that may run on to the next lines, root lines before `items:` other than
/// keys and comments. Texts too short to hold that many items are not looked at.
pub fn too_many_list_items(text: &str, max: usize) -> Option<usize> {
    // An item line takes at least four bytes with its line break (`- {}`, `- a:`).
    if max == 0 || (text.len() + 1) / 4 < max || has_lone_cr(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut offset = 0;
    // The 1-based number of the line at `offset`.
    let mut number = 1;
    // A root key was read; a `---` line was read.
    let mut started = false;
    let mut marker = false;
    // In the list: the column of its items' `-` once the first is read.
    let mut list: Option<Option<usize>> = None;
    let mut items = 0usize;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', bytes.get(offset..).unwrap_or_default())
            .map_or(text.len(), |at| offset + at + 1);
        let line_number = number;
        let raw = text.get(offset..end).unwrap_or_default();
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.get(indent..).unwrap_or_default();
        offset = end;
        number += 1;
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with('\t') || line.starts_with('%') || starts_marker(line, "...") {
            return None;
        }
        if starts_marker(line, "---") {
            let rest = line.get(3..).unwrap_or_default();
            if started || marker || !only_comment(rest) {
                // The end of the first document, or a layout this scan does not read.
                return None;
            }
            marker = true;
            continue;
        }
        let column = match list {
            // A value of the root key before: its lines are the parser's.
            None if indent > 0 && started => continue,
            // An indented root, which this scan does not read.
            None if indent > 0 => return None,
            None => {
                if content.strip_prefix("items:").is_some_and(only_comment) {
                    list = Some(None);
                } else if !(content.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    && is_key_line(content))
                {
                    return None;
                }
                started = true;
                continue;
            }
            Some(Some(column)) => column,
            // The first item sets the column of the others.
            Some(None) => {
                list = Some(Some(indent));
                indent
            }
        };
        if indent > column {
            // Inside an item.
        } else if indent < column || !starts_marker(content, "-") {
            // The list ended (a root key after it), or something this scan does not read.
            return None;
        } else if !item_starts_on_its_line(content.get(1..).unwrap_or_default()) {
            return None;
        } else {
            items += 1;
            if items >= max {
                return Some(line_number);
            }
        }
        if column == 0 {
            // Lines inside an item are indented: pass over them eight bytes at a time.
            let next = next_unindented(bytes, offset);
            number += count_newlines(text.get(offset..next).unwrap_or_default());
            offset = next;
        }
    }
    None
}

/// `rest` of a line is empty, or spaces and then at most a comment.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

/// Whether a list item whose `-` line goes on with `rest` starts on that line and leaves the
/// next lines to itself or to the next item: `{}` or `[]`, or a plain key whose value is closed
/// on the line (the first key of a mapping), each before at most a comment.
fn item_starts_on_its_line(rest: &str) -> bool {
    let value = rest.trim_start_matches([' ', '\t']);
    if value.len() == rest.len() {
        return false;
    }
    if let Some(after) = value
        .strip_prefix("{}")
        .or_else(|| value.strip_prefix("[]"))
    {
        return only_comment(after);
    }
    value.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') && is_key_line(value)
}

/// A document found larger than a bound by [`oversized_document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversized {
    /// 1-based, as the parser numbers documents.
    pub number: usize,
    /// The 1-based line it starts on: its `---` line, or its first line of content.
    pub line: usize,
    /// Its size in bytes.
    pub bytes: usize,
}

/// The first document of `text` larger than `max_bytes`, found by a line scan so that an
/// oversized document is refused before the parser builds anything for it.
///
/// Documents are split where the parser splits them: YAML allows a line that is `---` or `...`
/// alone or followed by a space or tab (a marker) nowhere inside a document, not even in a
/// quoted string. A document runs from its `---` line (or, without one, its first line that is
/// not blank, a comment or a directive) up to the next document's start or its own `...` line.
pub fn oversized_document(text: &str, max_bytes: usize) -> Option<Oversized> {
    if text.len() <= max_bytes {
        return None;
    }
    let mut number = 0;
    // The open document's first byte and line.
    let mut open: Option<(usize, usize)> = None;
    let too_large = |open: Option<(usize, usize)>, end: usize, number: usize| {
        open.and_then(|(start, line)| {
            let bytes = end.saturating_sub(start);
            (bytes > max_bytes).then_some(Oversized {
                number,
                line,
                bytes,
            })
        })
    };
    let mut offset = 0;
    for (index, raw) in lines_inclusive(text).enumerate() {
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        if starts_marker(line, "---") {
            if let Some(found) = too_large(open, offset, number) {
                return Some(found);
            }
            number += 1;
            open = Some((offset, index + 1));
        } else if starts_marker(line, "...") {
            if let Some(found) = too_large(open, offset + raw.len(), number) {
                return Some(found);
            }
            open = None;
        } else if open.is_none() && starts_content(line) {
            number += 1;
            open = Some((offset, index + 1));
        }
        offset += raw.len();
    }
    too_large(open, offset, number)
}

/// A line that starts a document without `---`: not blank, not a comment, not a directive.
fn starts_content(line: &str) -> bool {
    let trimmed = line.trim_start_matches([' ', '\t']);
    !(trimmed.is_empty() || trimmed.starts_with('#') || line.starts_with('%'))
}

/// What the scan learnt about one document.
struct Chunk<'t> {
    /// Byte offset of the document's first line (its `---` line when it has one).
    start: usize,
    /// Its `---` line, if any.
    marker: Option<&'t str>,
    /// The root `kind`, when exactly one plain `kind: Word` line was found at column 0.
    kind: Option<&'t str>,
    kinds: usize,
    /// A line at column 0 was seen (the document is not empty).
    content: bool,
    /// The previous content line was the `kind` line: an indented line now could continue its
    /// value.
    after_kind: bool,
    /// Something the scan cannot be sure about: let the parser decide.
    doubt: bool,
}

impl<'t> Chunk<'t> {
    fn new(start: usize, marker: Option<&'t str>) -> Self {
        // Only a bare `---` (or one with a comment) starts a document the scan understands;
        // `--- |`, `--- !tag`, `--- {` and the like do not.
        let doubt = marker.is_some_and(|m| {
            let rest = m.get(3..).unwrap_or_default().trim_start();
            !(rest.is_empty() || rest.starts_with('#'))
        });
        Chunk {
            start,
            marker,
            kind: None,
            kinds: 0,
            content: false,
            after_kind: false,
            doubt,
        }
    }

    /// Whether an indented line, read now, would change nothing (see [`Chunk::read`]).
    fn passes_indented(&self) -> bool {
        self.content && !self.after_kind
    }

    fn read(&mut self, line: &'t str) {
        let Some(first) = line.bytes().next() else {
            return;
        };
        if first == b' ' && self.passes_indented() {
            // Inside the document's content an indented line changes nothing (below): most
            // lines are, so they are passed over before being trimmed.
            return;
        }
        let text = line.trim_start_matches([' ', '\t']);
        if text.is_empty() {
            return;
        }
        match first {
            b'#' => {}
            b' ' => {
                let comment =
                    text.starts_with('#') && line.trim_start_matches(' ').len() == text.len();
                // An indented line before any key (an indented root) or right after the kind
                // line (a multi-line value) is not what this scan reads.
                if !comment && (!self.content || self.after_kind) {
                    self.doubt = true;
                }
                if !comment {
                    self.after_kind = false;
                }
            }
            // A sequence under a root key (`key:` then `- item` at column 0).
            b'-' if self.content && !self.after_kind && starts_marker(line, "-") => {}
            _ if line.starts_with("kind:") => {
                self.content = true;
                self.after_kind = true;
                self.kinds += 1;
                match plain_word(line.get(5..).unwrap_or_default()) {
                    Some(kind) => self.kind = Some(kind),
                    None => self.doubt = true,
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' if is_key_line(line) => {
                self.content = true;
                self.after_kind = false;
            }
            _ => self.doubt = true,
        }
    }

    fn skippable(&self, body: &str, wanted: &dyn Fn(&str, &str) -> bool) -> bool {
        !self.doubt
            && self.content
            && self.kinds == 1
            && self
                .kind
                .is_some_and(|kind| !kind.ends_with("List") && !wanted(kind, body))
    }
}

/// The value of a `kind:` line when it is a plain word that YAML reads as a string: a capital
/// letter, then letters and digits, then at most a comment.
fn plain_word(value: &str) -> Option<&str> {
    if !value.starts_with([' ', '\t']) {
        return None;
    }
    let value = value.trim_start_matches([' ', '\t']);
    let end = value
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(value.len());
    let (word, rest) = value.split_at(end);
    let rest_ok = rest.is_empty() || {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
    };
    let string = word.starts_with(|c: char| c.is_ascii_uppercase())
        && !matches!(word, "True" | "TRUE" | "False" | "FALSE" | "Null" | "NULL");
    (rest_ok && string).then_some(word)
}

/// A block mapping key at column 0 followed by `:` and a space or the end of the line, with
/// nothing before the colon that could make it a flow or quoted construct, and a value that
/// cannot run on to later lines (a quote or bracket opened on the line closes on it).
fn is_key_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b':' => match bytes.get(at + 1) {
                Some(b' ') => {
                    let value = line.get(at + 2..).unwrap_or_default();
                    return closed_on_line(value.trim_start_matches([' ', '\t']));
                }
                None => return true,
                Some(_) => {}
            },
            b'#' | b'{' | b'[' | b'"' | b'\'' | b'&' | b'*' | b'!' | b'\t' => return false,
            _ => {}
        }
    }
    false
}

/// A value that starts with a quote or a bracket ends on its line (then at most a comment).
fn closed_on_line(value: &str) -> bool {
    let rest = match value.as_bytes().first() {
        Some(b'"') => {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in value.char_indices().skip(1) {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => {}
                }
            }
            match end.and_then(|end| value.get(end..)) {
                Some(rest) => rest,
                None => return false,
            }
        }
        Some(b'\'') => {
            // `''` is an escaped quote inside; the first lone `'` closes.
            let body = value.get(1..).unwrap_or_default();
            let mut at = 0;
            loop {
                match body.get(at..).and_then(|b| b.find('\'')) {
                    None => return false,
                    Some(i) if body.get(at + i + 1..).is_some_and(|r| r.starts_with('\'')) => {
                        at += i + 2;
                    }
                    Some(i) => break body.get(at + i + 1..).unwrap_or_default(),
                }
            }
        }
        // Flow collections may span lines and hold quotes: only a simple one-line one is read.
        Some(b'[' | b'{') => {
            let trimmed = value.trim_end_matches([' ', '\t']);
            let closer = if value.starts_with('[') { ']' } else { '}' };
            return trimmed.ends_with(closer) && !value.contains(['"', '\'', '#']);
        }
        _ => return true,
    };
    let trimmed = rest.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(text: &str) -> String {
        mask_unwanted(text, &|k, _| k == "Ingress").into_owned()
    }

    #[test]
    fn unwanted_documents_become_empty_with_their_lines() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nkind: Ingress\nmetadata:\n  name: b\n--- # c\nkind: ConfigMap\ndata:\n- x\n";
        assert_eq!(
            mask(text),
            "---\n\n\n\n---\nkind: Ingress\nmetadata:\n  name: b\n--- # c\n\n\n\n"
        );
    }

    #[test]
    fn lists_and_wanted_kinds_are_kept() {
        for text in [
            "kind: Ingress\n",
            "kind: List\nitems: []\n",
            "kind: IngressList\nitems: []\n",
        ] {
            assert!(matches!(
                mask_unwanted(text, &|k, _| k == "Ingress"),
                Cow::Borrowed(_)
            ));
        }
    }

    #[test]
    fn doubtful_layouts_are_left_to_the_parser() {
        for text in [
            "kind: Service\nkind: Service\n",
            "kind: Service\n  continued\n",
            "kind: \"Service\"\n",
            "kind: !!str Service\n",
            "kind: &k Service\n",
            "kind: true\n",
            "kind: True\n",
            "kind:\n  Service\n",
            "kind:Service\n",
            "\"kind\": Service\n",
            "{kind: Service}\n",
            "  kind: Service\n",
            "? kind\n: Service\n",
            "--- !tag\nkind: Service\n",
            "--- |\nkind: Service\n",
            "%YAML 1.2\n---\nkind: Service\n",
            "kind: Service\n...\n",
            "<<: *base\nkind: Service\n",
            "a: \"x\n\tkind: y\"\nkind: Service\n",
            "- kind: Service\n",
            "kind: Service\n- x\n",
            "kind: Service extra\n",
            "a: 'x\nkind: Service\nb: c'\n",
            "a: \"x \\\"\nkind: Service\nb: c\"\n",
            "a: [1,\nkind: Service\nb: 2]\n",
            "a: {b: \"}\"\nkind: Service\n",
            "-x: 1\nkind: Service\n",
            "kind: Service\ra: 1\n",
            "kind: Service\nu: \r \n",
            "apiVersion: v1\n",
        ] {
            assert!(
                matches!(mask_unwanted(text, &|_, _| false), Cow::Borrowed(_)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn wanted_is_asked_with_each_document_text() {
        let text = "kind: HTTPRoute\nname: a\n---\nkind: HTTPRoute\nname: XListenerSet\n";
        let masked = mask_unwanted(text, &|k, body| k == "HTTPRoute" && body.contains("XL"));
        assert_eq!(masked, "---\n\n---\nkind: HTTPRoute\nname: XListenerSet\n");
    }

    #[test]
    fn closed_values_are_understood() {
        let text = "a: 'it''s'\nb: \"q \\\" q\" # c\nc: [1, 2]\nd: {e: f}\nkind: Secret\n";
        assert_eq!(mask(text), "---\n\n\n\n\n");
    }

    #[test]
    fn comments_and_crlf_are_understood() {
        assert_eq!(
            mask("# head\r\nkind: Secret # why\r\ndata:\r\n  a: b\r\n"),
            "---\n\n\n\n"
        );
    }

    #[test]
    fn oversized_documents_are_numbered_as_the_parser_numbers_them() {
        let big = "x".repeat(40);
        let at = |text: &str| oversized_document(text, 30).map(|o| (o.number, o.line));
        assert_eq!(at(&format!("a: {big}\n")), Some((1, 1)));
        assert_eq!(at(&format!("# c\n\na: 1\n---\nb: {big}\n")), Some((2, 4)));
        assert_eq!(
            at(&format!("---\na: 1\n--- # c\n---\nb: {big}\n")),
            Some((3, 4))
        );
        assert_eq!(at(&format!("%YAML 1.2\n---\nb: {big}\n")), Some((1, 2)));
        // `...` ends a document: what follows starts the next, with or without `---`.
        assert_eq!(at(&format!("a: 1\n...\n# c\nb: {big}\n")), Some((2, 4)));
        assert_eq!(at(&format!("a: 1\n...\n---\nb: {big}\n")), Some((2, 3)));
        // `---` inside a line, or not followed by a blank, is no marker.
        assert_eq!(at(&format!("a: |\n  ---\n  {big}\n")), Some((1, 1)));
        assert_eq!(at(&format!("---x: 1\nb: {big}\n")), Some((1, 1)));
        // Many small documents make no large one, however long the text.
        assert_eq!(at(&"---\na: 1\n".repeat(100)), None);
        assert_eq!(at(&"\n".repeat(100)), None);
        let found = oversized_document(&format!("a: 1\n---\nb: {big}\n---\nc: 1\n"), 30);
        assert_eq!(found.map(|o| o.bytes), Some(4 + 3 + big.len() + 1));
    }

    #[test]
    fn lines_and_newlines_are_those_of_the_standard_library() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\n\n",
            "é\nü\r\n\n\nx",
            "\n\n",
        ] {
            let ours: Vec<&str> = lines_inclusive(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
            assert_eq!(count_newlines(text), text.matches('\n').count(), "{text:?}");
        }
    }

    #[test]
    fn a_last_line_without_newline_is_kept_counted() {
        assert_eq!(mask("---\nkind: Secret"), "---\n");
        assert_eq!(mask("kind: Secret"), "---");
    }

    /// What [`next_unindented`] must find, byte by byte.
    fn next_unindented_one_by_one(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&at| {
                (at == from || bytes.get(at - 1) == Some(&b'\n'))
                    && !matches!(bytes.get(at), Some(b' ' | b'\n'))
            })
            .unwrap_or(bytes.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn next_unindented_is_found_eight_bytes_at_a_time(text in "[ \na\r-]{0,80}") {
            let bytes = text.as_bytes();
            let starts = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
            for from in starts {
                proptest::prop_assert_eq!(
                    next_unindented(bytes, from),
                    next_unindented_one_by_one(bytes, from),
                    "from {}", from
                );
            }
        }
    }

    #[test]
    fn indented_lines_are_passed_over_only_where_they_change_nothing() {
        // After the kind line, and before any key, an indented line is still read.
        let kind_then_indented = format!("{}kind: Service\n  more\n", "a: 1\n".repeat(3));
        assert!(matches!(
            mask_unwanted(&kind_then_indented, &|_, _| false),
            Cow::Borrowed(_)
        ));
        let long = format!(
            "a:\n{}kind: Secret\nc:\n{}",
            "  b: 1\n".repeat(9),
            "  - 2\n\n".repeat(9)
        );
        assert_eq!(mask(&long), format!("---{}", "\n".repeat(30)));
    }

    const LIST: &str = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";

    #[test]
    fn list_items_past_the_bound_are_found_on_their_first_line() {
        let empties = format!("{LIST}items:\n- {{}}\n- {{}}\n- {{}}\n");
        // The ResourceList counts as a document: with 3 items, 4 documents in all.
        assert_eq!(too_many_list_items(&empties, 3), Some(6));
        assert_eq!(too_many_list_items(&empties, 1), Some(4));
        assert_eq!(too_many_list_items(&empties, 4), None);
        let objects = format!(
            "{LIST}items:\n- apiVersion: v1\n  kind: A\n  data:\n  - x\n\n- apiVersion: v1\n  kind: B\nfunctionConfig: {{}}\n"
        );
        assert_eq!(too_many_list_items(&objects, 2), Some(9));
        let indented = format!("{LIST}items:\n  - a: 1\n    b: [x]\n  - 'c': 2\n  - d: \"e\"\n");
        assert_eq!(too_many_list_items(&indented, 2), None, "a quoted key");
        let indented = format!("{LIST}items:\n  - a: 1\n    b: [x]\n  - c: 2\n  - d: \"e\"\n");
        assert_eq!(too_many_list_items(&indented, 2), Some(6));
        assert_eq!(too_many_list_items(&indented, 3), Some(7));
        let commented =
            format!("# c\n---\n{LIST}items: # c\n\n- {{}} # c\n# c\n  # c\n- [] \n- {{}}\n");
        assert_eq!(too_many_list_items(&commented, 2), Some(10));
        assert_eq!(
            too_many_list_items(&empties.replace('\n', "\r\n"), 3),
            Some(6)
        );
    }

    #[test]
    fn list_layouts_in_doubt_are_left_to_the_parser() {
        for text in [
            format!("{LIST}items: [{{}}, {{}}, {{}}, {{}}]\n"),
            r#"{"kind": "ResourceList", "items": [{}, {}, {}, {}]}"#.to_string(),
            // A quote or bracket that may run on: the next `- ` may be inside it.
            format!("{LIST}items:\n- \"a\n- b\"\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- a: [x,\n- y]\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- {{a: 1,\n- b}}\n- {{}}\n- {{}}\n"),
            // An item whose content starts on the next line, or with no key.
            format!("{LIST}items:\n-\n  a: 1\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- x\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- &a {{}}\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- - {{}}\n- {{}}\n- {{}}\n"),
            // Not the first document's root, or a root this scan does not read.
            format!("a: 1\n---\n{LIST}items:\n- {{}}\n- {{}}\n- {{}}\n"),
            format!("---\n---\n{LIST}items:\n- {{}}\n- {{}}\n- {{}}\n"),
            format!("  {LIST}items:\n- {{}}\n- {{}}\n- {{}}\n"),
            format!("%YAML 1.2\n---\n{LIST}items:\n- {{}}\n- {{}}\n- {{}}\n"),
            "a: \"b\nitems:\n- {}\n- {}\n- {}\n- c\"\n".to_string(),
            format!("a:\n- x\n{LIST}items:\n- {{}}\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- {{}}\n\t- {{}}\n- {{}}\n- {{}}\n"),
            // The list ends before the bound.
            format!("{LIST}items:\n- {{}}\nother:\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- {{}}\n...\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n- {{}}\n---\nitems:\n- {{}}\n- {{}}\n"),
            format!("{LIST}items:\n  - {{}}\n- {{}}\n- {{}}\n"),
        ] {
            assert_eq!(too_many_list_items(&text, 2), None, "{text}");
        }
    }

    /// Where the scan finds the item past the bound, the parser refuses the same line.
    #[test]
    fn list_items_are_refused_where_the_parser_refuses_them() {
        struct Dropped;
        impl super::super::yaml::ItemSink for Dropped {
            fn item(&mut self, _: super::super::tree::Node) {}
            fn restart(&mut self) {}
        }
        let ingress = "- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: web # c\n  spec:\n    rules:\n    - host: a\n\n";
        for text in [
            format!("{LIST}items:\n{}", "- {}\n".repeat(5)),
            format!(
                "---\n{LIST}items:\n{}functionConfig: {{}}\n",
                ingress.repeat(4)
            ),
            format!(
                "{LIST}items:\n{}",
                ingress
                    .replace("\n", "\n  ")
                    .replace("  \n", "\n")
                    .repeat(3)
            ),
            format!("{LIST}items:\n- {{}}\n# c\n- []\n{ingress}- a: |\n    x\n    - y\n- {{}}\n"),
        ] {
            let items = text
                .lines()
                .filter(|l| l.trim_start().starts_with("- ") && !l.starts_with("    "))
                .count();
            let mut found = 0;
            for max in 1..=items + 1 {
                let limits = super::super::yaml::Limits {
                    max_documents: max,
                    ..super::super::yaml::Limits::default()
                };
                let refused = super::super::yaml::parse_each_with_items(
                    &text,
                    &limits,
                    &mut |_| {},
                    &mut Dropped,
                )
                .filter(|e| e.message == super::super::yaml::documents_message(max))
                .map(|e| e.line as usize);
                let scanned = too_many_list_items(&text, max);
                assert_eq!(scanned, refused, "{max}: {text}");
                found += usize::from(scanned.is_some());
            }
            assert!(found > 0, "{text}");
        }
    }
}
