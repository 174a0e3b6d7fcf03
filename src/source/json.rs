//! JSON input. JSON is YAML, but the YAML parser keeps every token of a flow collection
//! until it ends (a `[` could still turn out to be a mapping key), so a JSON `List` costs
//! about 80 times its size in memory there; [`read`] reads strict JSON into the same tree in
//! one pass. And YAML reads a JSON file with `//` or `/* */` comments (JSONC, JSON5) without
//! an error, the comment becoming part of a key or value, so lsc finds such comments itself
//! ([`comment`]).

use super::tree::{Entry, Key, Map, Node, Value, resolve_plain_scalar};
use super::yaml::{ItemSink, Limits, first_definition};

/// Where a JSON input holds a comment: its line and column (1-based), and the comment's first
/// two bytes. The input is JSON when its name ends in `.json` (then any `//` or `/*` outside a
/// string is a comment, since JSON has no unquoted text) or when its first byte past blanks is
/// `{` or `[` (then only one that starts a line, as YAML's flow style may hold `//` in an
/// unquoted string elsewhere, as in `{url: //cdn.example.com}`).
pub fn comment(name: &str, text: &str) -> Option<(usize, usize, &'static str)> {
    let named = name
        .rsplit('.')
        .next()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        && name.contains('.');
    let looks = text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with(['{', '[']);
    if !named && !looks {
        return None;
    }
    // Nothing to find without a slash: most JSON inputs are passed over in one fast search.
    memchr::memchr(b'/', text.as_bytes())?;
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    // Only blanks since the start of the line.
    let mut blank_so_far = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                blank_so_far = true;
            }
            b'"' => {
                blank_so_far = false;
                // Past the closing quote, a backslash escaping the next byte.
                i += 1;
                while let Some(&s) = bytes.get(i) {
                    match s {
                        b'\\' => i += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                    i += 1;
                }
                if bytes.get(i) == Some(&b'\n') {
                    continue;
                }
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) && (named || blank_so_far) => {
                let column = 1 + text.get(line_start..i).unwrap_or_default().chars().count();
                let kind = if bytes.get(i + 1) == Some(&b'/') {
                    "//"
                } else {
                    "/*"
                };
                return Some((line, column, kind));
            }
            b' ' | b'\t' | b'\r' => {}
            _ => blank_so_far = false,
        }
        i += 1;
    }
    None
}

/// Whether `text` may be JSON for [`read`]: its first byte past JSON's blanks opens an object
/// or an array.
pub fn may_be_json(text: &str) -> bool {
    text.trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with(['{', '['])
}

/// Reads a text that is one JSON object or array and nothing else into the tree the YAML
/// parser builds of it (`super::yaml`): the same values, lines and keys. `None` for anything
/// else (YAML flow style, a syntax error, a duplicate key, a bound exceeded, a character YAML
/// treats otherwise): the YAML parser then reads the whole text and says what is wrong. With
/// `items`, the items of the root object's `items` array go there as they are read; when the
/// reader then gives up, they come again from the YAML parser.
pub fn read(text: &str, limits: &Limits, items: Option<&mut dyn ItemSink>) -> Option<Node> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        open: Vec::new(),
        items,
        root_items: 0,
        limits,
    };
    reader.blanks()?;
    let root = reader.value()?;
    reader.blanks()?;
    if reader.at != text.len() {
        return None;
    }
    Some(root)
}

/// A collection being read.
enum Open {
    Array {
        line: u32,
        items: Vec<Node>,
        /// The root object's `items`, handed to the [`ItemSink`].
        divert: bool,
    },
    Object {
        line: u32,
        map: Map,
        index: Option<std::collections::HashMap<String, u32>>,
        /// The key whose value is being read, and its line.
        key: Option<(Key, u32)>,
    },
}

struct Reader<'t, 'l, 's> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    line: u32,
    open: Vec<Open>,
    items: Option<&'s mut dyn ItemSink>,
    /// Items of the root object's `items` array so far, counted with the document against
    /// `max_documents` as the YAML parser counts them.
    root_items: usize,
    limits: &'l Limits,
}

impl Reader<'_, '_, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Passes over JSON's blanks, counting lines as YAML does (CR, LF and CRLF each end one).
    /// A tab is left to the YAML parser, whose rules for tabs in flow style are its own.
    fn blanks(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' => {}
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.at + 1) != Some(&b'\n') => self.line += 1,
                b'\r' => {}
                b'\t' => return None,
                _ => break,
            }
            self.at += 1;
        }
        Some(())
    }

    /// Reads one value and everything nested in it, without recursion (nesting is bounded by
    /// `max_depth` only).
    fn value(&mut self) -> Option<Node> {
        loop {
            let line = self.line;
            let done = match self.peek()? {
                b'{' => {
                    self.enter()?;
                    self.at += 1;
                    self.open.push(Open::Object {
                        line,
                        map: Map::default(),
                        index: None,
                        key: None,
                    });
                    self.blanks()?;
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                        self.close()?
                    } else {
                        self.key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.enter()?;
                    self.at += 1;
                    let divert = self.items.is_some()
                        && self.open.len() == 1
                        && matches!(self.open.first(), Some(Open::Object { key: Some((key, _)), .. }) if key == "items");
                    self.open.push(Open::Array {
                        line,
                        items: Vec::new(),
                        divert,
                    });
                    self.blanks()?;
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        self.close()?
                    } else {
                        continue;
                    }
                }
                b'"' => Node {
                    line,
                    value: Value::Str(self.string()?),
                },
                _ => Node {
                    line,
                    value: self.word()?,
                },
            };
            // A finished value goes into its collection, which may then end too.
            let mut node = done;
            loop {
                self.count_root_item()?;
                match self.open.last_mut() {
                    None => return Some(node),
                    Some(Open::Array { divert: true, .. }) => {
                        if let Some(items) = self.items.as_deref_mut() {
                            items.item(node);
                        }
                    }
                    Some(Open::Array { items, .. }) => items.push(node),
                    Some(Open::Object { map, key, .. }) => {
                        let (key, key_line) = key.take()?;
                        map.entries.push(Entry {
                            key,
                            key_line,
                            value: node,
                        });
                    }
                }
                self.blanks()?;
                let object = matches!(self.open.last(), Some(Open::Object { .. }));
                match (self.peek()?, object) {
                    (b',', _) => {
                        self.at += 1;
                        self.blanks()?;
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        self.at += 1;
                        node = self.close()?;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// Opens a collection, within `max_depth` as the YAML parser counts it.
    fn enter(&self) -> Option<()> {
        (self.open.len() < self.limits.max_depth).then_some(())
    }

    /// Counts a value just finished when it is an item of the root object's `items` array.
    fn count_root_item(&mut self) -> Option<()> {
        let root_items = self.open.len() == 2
            && matches!(self.open.last(), Some(Open::Array { .. }))
            && matches!(self.open.first(), Some(Open::Object { key: Some((key, _)), .. }) if key == "items");
        if root_items {
            self.root_items += 1;
            if self.root_items.saturating_add(1) > self.limits.max_documents {
                return None;
            }
        }
        Some(())
    }

    /// Ends the innermost collection, giving its node.
    fn close(&mut self) -> Option<Node> {
        Some(match self.open.pop()? {
            Open::Array { line, items, .. } => Node {
                line,
                value: Value::Seq(items),
            },
            Open::Object { line, map, key, .. } => {
                if key.is_some() {
                    return None;
                }
                Node {
                    line,
                    value: Value::Map(map),
                }
            }
        })
    }

    /// Reads an object's key and its `:`, up to its value; a key defined twice is left to
    /// the YAML parser, which says where.
    fn key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        let line = self.line;
        let key = Key::from(self.string()?);
        self.blanks()?;
        if self.peek()? != b':' {
            return None;
        }
        self.at += 1;
        self.blanks()?;
        let Some(Open::Object {
            map,
            index,
            key: pending,
            ..
        }) = self.open.last_mut()
        else {
            return None;
        };
        let keys = map.entries.iter().map(|e| (e.key.as_str(), e.key_line));
        if first_definition(index, keys, &key, line).is_some() {
            return None;
        }
        *pending = Some((key, line));
        Some(())
    }

    /// Reads a string from its opening quote. Escapes are JSON's, a surrogate pair joined;
    /// a lone surrogate, a raw control character or a character YAML does not print is left
    /// to the YAML parser.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out: Option<String> = None;
        let mut run = self.at;
        loop {
            // Up to the next quote or backslash at once: most strings have neither inside.
            let rest = self.bytes.get(self.at..)?;
            let plain = memchr::memchr2(b'"', b'\\', rest)?;
            if rest.get(..plain)?.iter().any(|&b| b < 0x20 || b == 0x7f) {
                return None;
            }
            self.at += plain;
            match self.peek()? {
                b'"' => break,
                _ => {
                    let out = out.get_or_insert_with(String::new);
                    out.push_str(self.text.get(run..self.at)?);
                    self.at += 1;
                    let escaped = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(escaped);
                    self.at += 1;
                    run = self.at;
                }
            }
        }
        let tail = self.text.get(run..self.at)?;
        self.at += 1;
        if !tail.is_ascii() && !tail.chars().all(printable) {
            return None;
        }
        Some(match out {
            Some(mut out) => {
                out.push_str(tail);
                out
            }
            None => tail.to_string(),
        })
    }

    /// The character of a `\uXXXX` escape (the `u` at `self.at`, left at its last digit),
    /// with the low half of a surrogate pair that follows.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4(self.at + 1)?;
        self.at += 4;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.bytes.get(self.at + 1..self.at + 3)? != b"\\u" {
            return None;
        }
        let low = self.hex4(self.at + 3)?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        self.at += 6;
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&self, from: usize) -> Option<u32> {
        let digits = self.text.get(from..from + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }

    /// A number, `true`, `false` or `null`, resolved as the YAML parser resolves the plain
    /// scalar it is.
    fn word(&mut self) -> Option<Value> {
        let start = self.at;
        let rest = self.bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(rest.len());
        let word = self.text.get(start..start + len)?;
        if !matches!(word, "true" | "false" | "null") && !is_number(word) {
            return None;
        }
        self.at += len;
        Some(resolve_plain_scalar(word))
    }
}

/// JSON's number: `-`, digits without a leading zero, an optional fraction and exponent.
fn is_number(word: &str) -> bool {
    let b = word.strip_prefix('-').unwrap_or(word).as_bytes();
    let digits = |from: usize| {
        b.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_digit()).count()
        })
    };
    let int = digits(0);
    if int == 0 || (int > 1 && b.first() == Some(&b'0')) {
        return false;
    }
    let mut at = int;
    if b.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == b.len()
}

/// A character YAML prints as it is (YAML 1.2's c-printable, without the line breaks and the
/// tab, which a JSON string holds only escaped).
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::comment;

    use super::read;
    use crate::source::tree::Node;
    use crate::source::yaml::{ItemSink, Limits, parse_events, yaml_files};
    use proptest::prelude::*;

    /// What the YAML parser reads of `text`: its one document's root, or `None` (an error,
    /// or not one document).
    fn by_yaml(text: &str) -> Option<Node> {
        let (mut documents, error) = parse_events(text, &Limits::default());
        if error.is_some() || documents.len() != 1 {
            return None;
        }
        documents.pop()?.root
    }

    /// Checks that `text` is read, and read as the YAML parser reads it.
    fn same_as_yaml(text: &str) {
        let json = read(text, &Limits::default(), None);
        assert!(json.is_some(), "not read: {text:?}");
        assert_eq!(json, by_yaml(text), "{text:?}");
    }

    #[test]
    fn json_reads_as_yaml_does() {
        for text in [
            "{}",
            "[]\n",
            "{\"a\": 1, \"b\": [true, false, null, -0, 1.5, 1e5, -2.5E-3, 12345678901234567890]}",
            "{\n  \"a\": {\n    \"b\": \"c\"\n  },\n  \"d\": [\n    1,\n    {}\n  ]\n}\n",
            "{\"a\":\"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\u0041\\ud83d\\ude00\"}",
            "{\"é\": \"ü 😀 \u{a0}\u{85}\u{2028}\", \"\": \"\"}",
            "\r\n{\r\n\"a\"\r\n:\r\n[\r\n1\r\n]\r\n}\r\n",
            "{\"a\": 1}\r{\"b\"\r: 2}",
            "  [ [ [ ] ] , { \"k\" : { } } ]  \n\n",
            "{\"yes\": \"on\", \"no\": \"0644\", \"1\": \"1.0\", \"null\": \"~\"}",
        ] {
            if text.contains("{\"b\"\r") {
                // Two values: not one document.
                assert!(read(text, &Limits::default(), None).is_none());
                continue;
            }
            same_as_yaml(text);
        }
    }

    #[test]
    fn what_json_does_not_say_is_left_to_yaml() {
        for text in [
            "{a: 1}",
            "{'a': 1}",
            "[1, 2,]",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": [1, 2}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": +1}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"\\ud83d\"}",
            "{\"a\": \"\\ude00\"}",
            "{\"a\":\t1}",
            "{\"a\": \"tab\there\"}",
            "{\"a\": \"\u{7f}\"}",
            "{\"a\": 1}\n---\n{\"b\": 2}",
            "{\"a\": &x 1}",
            "{\"a\": tru}",
            "{\"a\": 1",
            "[1] # comment",
        ] {
            assert_eq!(read(text, &Limits::default(), None), None, "{text:?}");
        }
    }

    #[test]
    fn bounds_are_left_to_yaml() {
        let deep = format!("{}{}", "[".repeat(5), "]".repeat(5));
        let limits = |max_depth, max_documents| Limits {
            max_depth,
            max_documents,
            ..Limits::default()
        };
        assert!(read(&deep, &limits(5, 10), None).is_some());
        assert!(read(&deep, &limits(4, 10), None).is_none());
        let list = "{\"kind\": \"List\", \"items\": [{}, {}, {}]}";
        assert!(read(list, &limits(5, 4), None).is_some());
        assert!(read(list, &limits(5, 3), None).is_none());
    }

    #[derive(Default)]
    struct Items(Vec<Node>, usize);

    impl ItemSink for Items {
        fn item(&mut self, item: Node) {
            self.0.push(item);
        }

        fn restart(&mut self) {
            self.0.clear();
            self.1 += 1;
        }
    }

    #[test]
    fn root_items_go_to_the_sink_as_the_yaml_parser_hands_them() {
        let text =
            "{\"kind\": \"List\",\n \"items\": [\n  {\"a\": [1]},\n  {\"items\": [2]}\n ]\n}\n";
        let mut by_json = Items::default();
        let root = read(text, &Limits::default(), Some(&mut by_json));
        let mut by_yaml = Items::default();
        let mut documents = Vec::new();
        let error = crate::source::yaml::parse_each_with_items(
            &text.replace(", ", ",  "),
            &Limits::default(),
            &mut |d| documents.push(d),
            &mut by_yaml,
        );
        assert!(error.is_none());
        assert_eq!(by_json.0.len(), 2);
        assert_eq!(by_json.0, by_yaml.0);
        assert_eq!(root, documents.pop().and_then(|d| d.root));
    }

    #[test]
    fn every_json_fixture_reads_as_yaml_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read_some = 0;
        let mut files = yaml_files();
        let mut dirs = vec![root.join("tests/fixtures"), root.join("examples")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            if let Some(root) = read(&text, &Limits::default(), None) {
                read_some += 1;
                assert_eq!(Some(root), by_yaml(&text), "{}", file.display());
            }
        }
        assert!(read_some > 50, "{read_some}");
    }

    /// A JSON value to write in many ways.
    #[derive(Debug, Clone)]
    enum Json {
        Word(String),
        Str(String),
        Array(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    fn json() -> impl Strategy<Value = Json> {
        let word = prop_oneof![
            Just("true".to_string()),
            Just("false".to_string()),
            Just("null".to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?",
        ];
        let text = "[ -~é😀\u{a0}\u{2028}\t\n\"\\\\]{0,12}";
        let leaf = prop_oneof![word.prop_map(Json::Word), text.prop_map(Json::Str)];
        leaf.prop_recursive(5, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                proptest::collection::btree_map(text, inner, 0..6)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Writes `value` as JSON, its blanks and escapes chosen by `choices`.
    fn write(value: &Json, choices: &mut impl Iterator<Item = u8>, out: &mut String) {
        let blank = |choices: &mut dyn Iterator<Item = u8>, out: &mut String| {
            out.push_str(
                ["", " ", "\n", "\r\n", "\n    "][usize::from(choices.next().unwrap_or(0) % 5)],
            );
        };
        match value {
            Json::Word(word) => out.push_str(word),
            Json::Str(text) => {
                out.push('"');
                for c in text.chars() {
                    let pick = choices.next().unwrap_or(0) % 3;
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str(if pick == 0 { "\\t" } else { "\\u0009" }),
                        '/' if pick == 0 => out.push_str("\\/"),
                        c if pick == 0 || !c.is_ascii() && pick == 1 => {
                            let mut units = [0u16; 2];
                            for unit in c.encode_utf16(&mut units) {
                                out.push_str(&format!("\\u{unit:04x}"));
                            }
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    blank(choices, out);
                    write(item, choices, out);
                    blank(choices, out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    blank(choices, out);
                    write(&Json::Str(key.clone()), choices, out);
                    blank(choices, out);
                    out.push(':');
                    blank(choices, out);
                    write(value, choices, out);
                    blank(choices, out);
                }
                out.push('}');
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn generated_json_reads_as_yaml_does(
            items in proptest::collection::vec(json(), 0..4),
            keys in proptest::collection::btree_map("[a-z\"é]{0,4}", json(), 0..4),
            choices in proptest::collection::vec(any::<u8>(), 64),
        ) {
            let mut choices = choices.into_iter().cycle();
            let mut text = String::new();
            let root = if keys.is_empty() {
                Json::Array(items)
            } else {
                Json::Object(keys.into_iter().collect())
            };
            write(&root, &mut choices, &mut text);
            let json = read(&text, &Limits::default(), None);
            prop_assert!(json.is_some(), "not read: {:?}", text);
            prop_assert_eq!(json, by_yaml(&text), "{:?}", text);
        }
    }

    #[test]
    fn comments_outside_strings_are_found() {
        let json = "{\n  // note\n  \"a\": 1\n}\n";
        assert_eq!(comment("x.json", json), Some((2, 3, "//")));
        assert_eq!(comment("x.yaml", json), Some((2, 3, "//")));
        assert_eq!(comment("-", json), Some((2, 3, "//")));
        let trailing = "{\"a\": 1 /* note */}\n";
        assert_eq!(comment("x.json", trailing), Some((1, 9, "/*")));
        assert_eq!(comment("x.yaml", trailing), None);
    }

    #[test]
    fn slashes_in_strings_and_yaml_are_not_comments() {
        assert_eq!(comment("x.json", "{\"u\": \"http://a/*b\"}\n"), None);
        assert_eq!(comment("x.json", "{\"u\": \"a\\\"//\"}\n"), None);
        assert_eq!(comment("x.yaml", "{url: //cdn.example.com}\n"), None);
        assert_eq!(comment("x.yaml", "a: 1\n// b\n"), None);
        assert_eq!(comment("json", "{\n// b\n}"), Some((2, 1, "//")));
    }
}
