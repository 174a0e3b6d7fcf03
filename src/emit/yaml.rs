//! Writes documents as YAML the way kubectl prints them: two-space indentation, list items at
//! their key's indentation, and quotes only where a YAML reader (1.1 or 1.2) would otherwise
//! misread the string (the rules of libyaml's emitter, which kubectl's go-yaml uses).

use crate::source::tree::{Map, Node, Value};
use crate::source::yaml11::{looks_like_other_type, may_look_like_other_type};

/// Writes one document (no `---` line).
pub fn write_document(out: &mut String, node: &Node) {
    match &node.value {
        Value::Map(map) => write_mapping_document(out, map),
        Value::Seq(items) if !items.is_empty() => write_seq(out, items, 0),
        _ => {
            write_inline(out, &node.value);
            out.push('\n');
        }
    }
}

/// [`write_document`] for a mapping.
pub fn write_mapping_document(out: &mut String, map: &Map) {
    if map.entries.is_empty() {
        out.push_str("{}\n");
    } else {
        write_map(out, map, 0);
    }
}

#[inline]
fn indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..n) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', n)),
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.entries.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        _ => false,
    }
}

/// The longest key YAML reads in the `key: value` form.
const MAX_IMPLICIT_KEY: usize = 1024;

fn write_map(out: &mut String, map: &Map, level: usize) {
    for (i, entry) in map.entries.iter().enumerate() {
        // The first entry of a mapping inside a list item sits on the `- ` line.
        if i > 0 || level == 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        write_key(out, &entry.key, level);
        write_value_after_key(out, &entry.value.value, level);
    }
}

/// A mapping key and its colon, the indentation already written.
fn write_key(out: &mut String, key: &str, level: usize) {
    let start = out.len();
    write_scalar_string(out, key);
    if out.len() - start > MAX_IMPLICIT_KEY {
        // YAML bounds an implicit key (`key: value`); a longer one takes the explicit form
        // `? key` then `: value`.
        let key = out.split_off(start);
        out.push_str("? ");
        out.push_str(&key);
        out.push('\n');
        indent(out, level);
    }
    out.push(':');
}

/// A string after its key's colon: a literal block when it has several lines and may.
fn write_str_after_key(out: &mut String, s: &str, level: usize) {
    out.push(' ');
    write_str_item(out, s, level);
}

/// A string after its list item's `- ` (or its key's `: `).
fn write_str_item(out: &mut String, s: &str, level: usize) {
    if s.contains('\n') && literal_allowed(s) {
        write_literal(out, s, level + 2);
    } else {
        write_scalar_string(out, s);
        out.push('\n');
    }
}

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Map(m) if is_block(value) => {
            out.push('\n');
            write_map(out, m, level + 2);
        }
        Value::Seq(items) if is_block(value) => {
            out.push('\n');
            write_seq(out, items, level);
        }
        Value::Str(s) => write_str_after_key(out, s, level),
        Value::Tagged(tagged) => {
            out.push(' ');
            out.push_str(&tagged.tag);
            write_value_after_key(out, &tagged.value, level);
        }
        _ => {
            out.push(' ');
            write_inline(out, value);
            out.push('\n');
        }
    }
}

/// Writes `item` as an item of a list that is a value of the root mapping (`key:`, then
/// `- item` lines at column 0), exactly as [`write_document`] writes it there: such an item's
/// text depends on nothing around it, so a long list can be written item by item.
pub fn write_root_list_item(out: &mut String, item: &Node) {
    write_seq(out, std::slice::from_ref(item), 0);
}

fn write_seq(out: &mut String, items: &[Node], level: usize) {
    for item in items {
        // The first item of a list nested in a list item continues the `- ` line.
        if !out.ends_with("- ") || level == 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match &item.value {
            Value::Map(m) if is_block(&item.value) => write_map(out, m, level + 2),
            Value::Seq(inner) if is_block(&item.value) => write_seq(out, inner, level + 2),
            Value::Str(s) => write_str_item(out, s, level),
            Value::Tagged(tagged) => {
                out.push_str(&tagged.tag);
                write_tagged_item(out, &tagged.value, level);
            }
            other => {
                write_inline(out, other);
                out.push('\n');
            }
        }
    }
}

/// A tagged list item's value, after `- !tag`: a collection in block style on the lines
/// below, at the item's content indentation.
fn write_tagged_item(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Map(m) if is_block(value) => {
            out.push('\n');
            write_map(out, m, level + 2);
        }
        Value::Seq(items) if is_block(value) => {
            out.push('\n');
            write_seq(out, items, level + 2);
        }
        _ => write_value_after_key(out, value, level),
    }
}

/// Writes a mapping field by field, exactly as [`write_document`] writes the tree the same
/// fields make (`impl Fields for Map`), without building that tree.
pub struct BlockWriter<'a> {
    out: &'a mut String,
    level: usize,
    /// The next key is the first of a mapping in a list item: it goes on the `- ` line.
    on_item_line: bool,
}

impl<'a> BlockWriter<'a> {
    /// A writer of one document, a mapping (no `---` line).
    pub fn document(out: &'a mut String) -> Self {
        BlockWriter {
            out,
            level: 0,
            on_item_line: false,
        }
    }

    fn key(&mut self, key: &str) {
        if !std::mem::take(&mut self.on_item_line) {
            indent(self.out, self.level);
        }
        write_key(self.out, key, self.level);
    }

    /// Runs `fields` for a mapping nested one level (two columns) deeper.
    fn nested(&mut self, fields: impl FnOnce(&mut Self)) {
        self.level += 2;
        fields(self);
        self.level -= 2;
    }
}

impl super::Fields for BlockWriter<'_> {
    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str_after_key(self.out, value, self.level);
    }

    fn int(&mut self, key: &str, value: i64) {
        self.key(key);
        self.out.push(' ');
        self.out.push_str(&value.to_string());
        self.out.push('\n');
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out
            .push_str(if value { " true\n" } else { " false\n" });
    }

    fn strs(&mut self, key: &str, items: &[String]) {
        self.key(key);
        if items.is_empty() {
            self.out.push_str(" []\n");
            return;
        }
        self.out.push('\n');
        for item in items {
            indent(self.out, self.level);
            self.out.push_str("- ");
            write_str_item(self.out, item, self.level);
        }
    }

    fn map(&mut self, key: &str, fields: impl FnOnce(&mut Self)) {
        self.key(key);
        let start = self.out.len();
        self.out.push('\n');
        self.nested(fields);
        if self.out.len() == start + 1 {
            self.out.truncate(start);
            self.out.push_str(" {}\n");
        }
    }

    fn one_map_list(&mut self, key: &str, fields: impl FnOnce(&mut Self)) {
        self.key(key);
        self.out.push('\n');
        indent(self.out, self.level);
        self.out.push_str("- ");
        self.on_item_line = true;
        self.nested(fields);
        if std::mem::take(&mut self.on_item_line) {
            self.out.push_str("{}\n");
        }
    }
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(f),
        Value::Str(s) => write_scalar_string(out, s),
        Value::Plain(s) => out.push_str(s),
        Value::Tagged(tagged) => {
            out.push_str(&tagged.tag);
            out.push(' ');
            write_inline(out, &tagged.value);
        }
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
    }
}

/// Literal block style (`|`) for multi-line strings, as go-yaml writes them.
fn literal_allowed(s: &str) -> bool {
    !s.chars().any(|c| is_special(c) && c != '\n') && !s.starts_with(' ') && !s.starts_with('\n')
}

fn write_literal(out: &mut String, s: &str, level: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Characters that force double quotes (escaped there): controls other than newline, what
/// YAML 1.2 does not count printable (`c-printable`), the byte order mark, and the line breaks
/// of YAML 1.1 that 1.2 reads as text (U+0085, U+2028, U+2029): written raw, kubectl's YAML 1.1
/// reader (go-yaml v2, libyaml) would break the line there. go-yaml v3 escapes them too.
fn is_special(c: char) -> bool {
    let u = c as u32;
    !(u == 0x0a
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u) && u != 0x2028 && u != 0x2029
        || (0xe000..=0xfffd).contains(&u) && u != 0xfeff
        || (0x10000..=0x10ffff).contains(&u))
}

#[derive(Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's `yaml_emitter_analyze_scalar`, block context.
fn choose_style(s: &str) -> Style {
    let Some(&first) = s.as_bytes().first() else {
        return Style::Double;
    };
    if may_look_like_other_type(first) && looks_like_other_type(s) {
        return Style::Double;
    }
    // Names, hosts, paths and versions, most of what lsc writes: letters, digits and `_./-`
    // hold no indicator, except `-` alone and a leading `---` or `...`.
    let marker = s.starts_with("---") || s.starts_with("...");
    if s.bytes().all(is_word_byte) && s != "-" && !marker {
        return Style::Plain;
    }
    analyzed_style(s)
}

/// The bytes of a word in [`choose_style`] (ASCII letters, digits and `_./-`), one bit each.
const WORD: u128 = {
    let mut word = 0u128;
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-') {
            word |= 1 << b;
        }
        b += 1;
    }
    word
};

fn is_word_byte(b: u8) -> bool {
    b < 128 && (WORD >> b) & 1 == 1
}

/// [`choose_style`] for a string that is not null-like and may hold anything.
fn analyzed_style(s: &str) -> Style {
    if s.chars().any(|c| is_special(c) || c == '\n') {
        return Style::Double;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return Style::Single;
    }
    // Most strings are ASCII: look at their bytes instead of collecting their characters.
    let indicator = if s.is_ascii() {
        has_indicator(s.as_bytes())
    } else {
        has_indicator(&s.chars().collect::<Vec<char>>())
    };
    if indicator {
        return Style::Single;
    }
    Style::Plain
}

/// A leading or trailing space, or an indicator where libyaml sees one: at the start, or `: `
/// and ` #` anywhere.
fn has_indicator<C: Copy + Into<char>>(chars: &[C]) -> bool {
    let at = |i: usize| chars.get(i).map(|&c| c.into());
    let blank = |i: usize| at(i).is_none_or(|c| c == ' ' || c == '\t');
    if at(0) == Some(' ') || chars.last().is_some_and(|&c| c.into() == ' ') {
        return true;
    }
    chars.iter().enumerate().any(|(i, &c)| {
        let c: char = c.into();
        if i == 0 {
            matches!(
                c,
                '#' | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            ) || (matches!(c, '?' | ':' | '-') && blank(i + 1))
        } else {
            (c == ':' && blank(i + 1)) || (c == '#' && blank(i - 1))
        }
    })
}

fn write_scalar_string(out: &mut String, s: &str) {
    match choose_style(s) {
        Style::Plain => out.push_str(s),
        Style::Single => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        Style::Double => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\0' => out.push_str("\\0"),
                    '\u{7}' => out.push_str("\\a"),
                    '\u{8}' => out.push_str("\\b"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\u{b}' => out.push_str("\\v"),
                    '\u{c}' => out.push_str("\\f"),
                    '\r' => out.push_str("\\r"),
                    '\u{1b}' => out.push_str("\\e"),
                    '\u{85}' => out.push_str("\\N"),
                    '\u{a0}' => out.push_str("\\_"),
                    '\u{2028}' => out.push_str("\\L"),
                    '\u{2029}' => out.push_str("\\P"),
                    c if is_special(c) => {
                        let u = c as u32;
                        if u <= 0xff {
                            out.push_str(&format!("\\x{u:02X}"));
                        } else if u <= 0xffff {
                            out.push_str(&format!("\\u{u:04X}"));
                        } else {
                            out.push_str(&format!("\\U{u:08X}"));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::{Limits, parse_documents};

    /// Writes `fields` straight to text and through a tree; both texts.
    fn written<F: Fn(&mut BlockWriter<'_>), G: Fn(&mut Map)>(
        direct: F,
        tree: G,
    ) -> (String, String) {
        let mut text = String::new();
        direct(&mut BlockWriter::document(&mut text));
        let mut map = Map::default();
        tree(&mut map);
        let mut from_tree = String::new();
        write_mapping_document(&mut from_tree, &map);
        (text, from_tree)
    }

    #[test]
    fn word_bytes_are_ascii_letters_digits_and_four_marks() {
        for b in 0..=u8::MAX {
            let word = b.is_ascii_alphanumeric() || b"_./-".contains(&b);
            assert_eq!(is_word_byte(b), word, "{b}");
        }
    }

    /// The first-byte gate in [`choose_style`] lets through every string that looks like
    /// another type: all short strings over the characters that matter, and longer forms.
    #[test]
    fn strings_of_other_types_pass_the_first_byte_gate() {
        let alphabet: Vec<char> = "019+-._~<:eExXoOnNtTfFyYsSlLuUrRaAiIw T/#"
            .chars()
            .collect();
        let mut strings: Vec<String> = [
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "TRUE",
            "false",
            "False",
            "FALSE",
            "yes",
            "Yes",
            "YES",
            "no",
            "No",
            "NO",
            "on",
            "On",
            "ON",
            "off",
            "Off",
            "OFF",
            ".inf",
            "-.Inf",
            "+.INF",
            ".nan",
            ".NaN",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "190:20:30",
            "2024-01-02",
            "2024-01-02T10:00:00Z",
            "1e5",
            "+1",
            "-1.5",
            ".5",
            "<<",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        for a in &alphabet {
            strings.push(a.to_string());
            for b in &alphabet {
                strings.push(format!("{a}{b}"));
                for c in &alphabet {
                    strings.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut other = 0;
        for s in &strings {
            if looks_like_other_type(s) {
                other += 1;
                let first = s.as_bytes().first().copied().unwrap_or_default();
                assert!(may_look_like_other_type(first), "{s:?}");
            }
        }
        assert!(other > 200, "{other}");
    }

    #[test]
    fn block_writer_writes_empty_lists_and_mappings_as_the_tree_writer() {
        use crate::emit::Fields;
        fn fields(f: &mut impl Fields) {
            f.strs("none", &[]);
            f.strs("some", &["a".to_string(), "two\nlines".to_string()]);
            f.map("empty", |_| {});
            f.one_map_list("emptyItem", |_| {});
            f.one_map_list("item", |m| {
                m.int("n", -3);
                m.map("inner", |i| i.bool("b", false));
            });
            f.map("outer", |m| m.one_map_list("deeper", |d| d.str("k", "v")));
        }
        let (direct, from_tree) = written(|w| fields(w), fields);
        assert_eq!(direct, from_tree);
        assert!(
            direct.contains(
                "none: []\nsome:\n- a\n- |-\n  two\n  lines\nempty: {}\nemptyItem:\n- {}\n"
            ),
            "{direct}"
        );
    }

    fn style(s: &str) -> String {
        let mut out = String::new();
        write_scalar_string(&mut out, s);
        out
    }

    #[test]
    fn quoting_like_kubectl() {
        assert_eq!(style("example.com"), "example.com");
        assert_eq!(style("*.example.com"), "'*.example.com'");
        assert_eq!(style("true"), "\"true\"");
        assert_eq!(style("yes"), "\"yes\"");
        assert_eq!(style("0777"), "\"0777\"");
        assert_eq!(style("443"), "\"443\"");
        assert_eq!(style("1e3"), "\"1e3\"");
        assert_eq!(style(""), "\"\"");
        assert_eq!(style("a: b"), "'a: b'");
        assert_eq!(style("a:b"), "a:b");
        assert_eq!(style("ends:"), "'ends:'");
        assert_eq!(style(" lead"), "' lead'");
        assert_eq!(style("it's"), "it's");
        assert_eq!(style("'q'"), "'''q'''");
        assert_eq!(style("- x"), "'- x'");
        assert_eq!(style("-x"), "-x");
        assert_eq!(style("a #b"), "'a #b'");
        assert_eq!(style("a#b"), "a#b");
        assert_eq!(style("tab\there"), "\"tab\\there\"");
        assert_eq!(style("digital signature"), "digital signature");
        assert_eq!(style("{\"a\":1}"), "'{\"a\":1}'");
        assert_eq!(style("2160h0m0s"), "2160h0m0s");
        // YAML 1.1's line breaks, and what YAML does not count printable, escaped.
        assert_eq!(style("a\u{2028}b"), "\"a\\Lb\"");
        assert_eq!(style("a\u{2029}b"), "\"a\\Pb\"");
        assert_eq!(style("x\u{85}y"), "\"x\\Ny\"");
        assert_eq!(style("\u{feff}x"), "\"\\uFEFFx\"");
        assert_eq!(style("a\u{7f}b"), "\"a\\x7Fb\"");
        assert_eq!(style("a\u{9b}b"), "\"a\\x9Bb\"");
        assert_eq!(style("1.2.3.4"), "1.2.3.4");
    }

    /// The shortcut for word-like strings agrees with the full analysis on every string of
    /// up to four characters from its alphabet (and a few more).
    #[test]
    fn word_shortcut_agrees_with_the_analysis() {
        const ALPHABET: &[char] = &['a', '0', '1', '_', '.', '/', '-', 'e', 'x', 'Y'];
        let mut words = vec![String::new()];
        let mut last = words.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| ALPHABET.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        words.extend(
            ["---a", "...", "....", "-.inf", "0x1F", "1e3", "yes", "0o17"].map(String::from),
        );
        assert!(words.len() > 10_000);
        for word in &words {
            if word.is_empty() || looks_like_other_type(word) {
                continue;
            }
            assert_eq!(choose_style(word), analyzed_style(word), "{word:?}");
        }
    }

    #[test]
    fn round_trips_through_the_reader() {
        let text = "a:\n  b:\n  - x\n  - c: 1\n    d:\n    - '*.e'\n  - - n1\n    - n2\n  e: {}\n  f: []\n  g: |\n    line1\n    line2\n";
        let (docs, err) = parse_documents(text, &Limits::default());
        assert!(err.is_none());
        let mut out = String::new();
        write_document(&mut out, docs[0].root.as_ref().unwrap());
        assert_eq!(out, text);
    }

    /// A root list written item by item is the list [`write_document`] writes: each item's
    /// text depends on nothing before it.
    #[test]
    fn root_list_items_are_written_as_in_the_whole_document() {
        let text = "items:\n- a:\n    b:\n    - x\n  c: |\n    l1\n    l2\n- - n1\n  - - n2\n    - c: 1\n- {}\n- []\n- '*'\n- \"\"\n- null\n- 1\n- yes\n- !local {a: 1}\n- !t [x]\n- !t {}\n- |-\n  multi\n  line\n- ? k\n  : v\n";
        let (docs, err) = parse_documents(text, &Limits::default());
        assert!(err.is_none(), "{err:?}");
        let root = docs[0].root.as_ref().unwrap();
        let mut whole = String::new();
        write_document(&mut whole, root);
        let Some(Value::Seq(items)) = root.path(&["items"]).map(|n| &n.value) else {
            panic!("no items")
        };
        assert!(items.len() > 10);
        let mut by_item = "items:\n".to_string();
        for item in items {
            write_root_list_item(&mut by_item, item);
        }
        assert_eq!(by_item, whole);
    }
}
