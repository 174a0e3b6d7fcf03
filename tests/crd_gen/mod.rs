//! Objects made from a CRD's `openAPIV3Schema`, for the coverage test of `tests/crd.rs`: a
//! valid value for every schema node (every property, or only the required ones), a value
//! breaking each pattern, enum and bound, and a search over variants of a rule's node for an
//! object its CEL rule refuses.

use std::collections::{BTreeMap, BTreeSet};

use lsc::crd::{self, Channel, Release};
use lsc::source::tree::{Entry, Key, Map, Node, Value};
use lsc::source::yaml::{Limits, parse_documents};
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

/// One schema node, as much of it as the generator needs.
#[derive(Default)]
pub struct Schema {
    pub types: String,
    pub int_or_string: bool,
    pub properties: Vec<(String, Schema)>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    pub additional: Option<Box<Schema>>,
    pub enumeration: Vec<Value>,
    pub pattern: Option<Regex>,
    pub format: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    /// `x-kubernetes-list-map-keys`, or `Some(empty)` for a set.
    pub unique_keys: Option<Vec<String>>,
}

fn uint(map: &Map, key: &str) -> Option<u64> {
    match map.get_value(key).map(|n| &n.value) {
        Some(Value::Int(i)) => u64::try_from(*i).ok(),
        _ => None,
    }
}

fn float(map: &Map, key: &str) -> Option<f64> {
    match map.get_value(key).map(|n| &n.value) {
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::Float(f)) => f.parse().ok(),
        _ => None,
    }
}

fn flag(map: &Map, key: &str) -> bool {
    matches!(
        map.get_value(key).map(|n| &n.value),
        Some(Value::Bool(true))
    )
}

impl Schema {
    pub fn read(node: &Node) -> Schema {
        let Some(map) = node.as_map() else {
            return Schema::default();
        };
        let text = |key: &str| {
            map.get_value(key)
                .and_then(|n| n.value.as_str())
                .map(str::to_owned)
        };
        let mut schema = Schema {
            types: text("type").unwrap_or_default(),
            int_or_string: flag(map, "x-kubernetes-int-or-string"),
            pattern: text("pattern").and_then(|p| Regex::new(&p).ok()),
            format: text("format"),
            min_length: uint(map, "minLength"),
            max_length: uint(map, "maxLength"),
            min_items: uint(map, "minItems"),
            max_items: uint(map, "maxItems"),
            min_properties: uint(map, "minProperties"),
            max_properties: uint(map, "maxProperties"),
            minimum: float(map, "minimum"),
            maximum: float(map, "maximum"),
            exclusive_minimum: flag(map, "exclusiveMinimum"),
            exclusive_maximum: flag(map, "exclusiveMaximum"),
            ..Schema::default()
        };
        if let Some(Value::Map(properties)) = map.get_value("properties").map(|n| &n.value) {
            schema.properties = properties
                .entries
                .iter()
                .map(|e| (e.key.to_string(), Schema::read(&e.value)))
                .collect();
        }
        if let Some(node) = map.get_value("additionalProperties")
            && node.as_map().is_some()
        {
            schema.additional = Some(Box::new(Schema::read(node)));
        }
        if let Some(items) = map.get_value("items") {
            schema.items = Some(Box::new(Schema::read(items)));
        }
        let strings = |key: &str| match map.get_value(key).map(|n| &n.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(|n| n.value.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        schema.required = strings("required");
        if let Some(Value::Seq(values)) = map.get_value("enum").map(|n| &n.value) {
            schema.enumeration = values.iter().map(|n| n.value.clone()).collect();
        }
        schema.unique_keys = match text("x-kubernetes-list-type").as_deref() {
            Some("set") => Some(Vec::new()),
            Some("map") => Some(strings("x-kubernetes-list-map-keys")),
            _ => None,
        };
        schema
    }

    fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The node at a schema path as `lsc::crd::constraints` writes it.
    pub fn at(&self, steps: &[Step]) -> Option<&Schema> {
        let Some((first, rest)) = steps.split_first() else {
            return Some(self);
        };
        let child = match first {
            Step::Key(name) => self.property(name)?,
            Step::Item => self.items.as_deref()?,
            Step::Any => self.additional.as_deref()?,
        };
        child.at(rest)
    }
}

/// One step of a schema path: a property, a list's item (`[]`), a map's value (`[*]`).
#[derive(Clone, Debug)]
pub enum Step {
    Key(String),
    Item,
    Any,
}

/// `spec.rules[].filters[]` as steps.
pub fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            out.push(Step::Key(name.to_owned()));
        }
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("[]") {
                out.push(Step::Item);
                rest = r;
            } else if let Some(r) = rest.strip_prefix("[*]") {
                out.push(Step::Any);
                rest = r;
            } else {
                break;
            }
        }
    }
    out
}

/// The schemas of every kind an embedded CRD set serves, by apiVersion and kind.
pub fn schemas(release: Release, channel: Channel) -> BTreeMap<(String, String), Schema> {
    let mut out = BTreeMap::new();
    for embedded in crd::EMBEDDED
        .iter()
        .filter(|e| e.release == release.tag() && e.channel == channel.dir())
    {
        let (documents, _) = parse_documents(embedded.text(), &Limits::default());
        for root in documents.into_iter().filter_map(|d| d.root) {
            let (Some(group), Some(kind)) = (
                root.str_at(&["spec", "group"]),
                root.str_at(&["spec", "names", "kind"]),
            ) else {
                continue;
            };
            let Some(Value::Seq(versions)) = root.path(&["spec", "versions"]).map(|n| &n.value)
            else {
                continue;
            };
            for version in versions {
                let served = matches!(
                    version.path(&["served"]).map(|n| &n.value),
                    Some(Value::Bool(true))
                );
                if let (true, Some(name), Some(schema)) = (
                    served,
                    version.str_at(&["name"]),
                    version.path(&["schema", "openAPIV3Schema"]),
                ) {
                    out.insert(
                        (format!("{group}/{name}"), kind.to_owned()),
                        Schema::read(schema),
                    );
                }
            }
        }
    }
    out
}

fn map_node(entries: Vec<(String, Node)>) -> Node {
    Node::new(Value::Map(Map {
        entries: entries
            .into_iter()
            .map(|(key, value)| Entry {
                key: Key::new(&key),
                key_line: 0,
                value,
            })
            .collect(),
    }))
}

fn set_key(node: &mut Node, key: &str, value: Node) {
    if let Value::Map(map) = &mut node.value {
        match map.entries.iter_mut().find(|e| e.key == key) {
            Some(entry) => entry.value = value,
            None => map.entries.push(Entry {
                key: Key::new(key),
                key_line: 0,
                value,
            }),
        }
    }
}

fn remove_key(node: &mut Node, key: &str) -> bool {
    if let Value::Map(map) = &mut node.value {
        let before = map.entries.len();
        map.entries.retain(|e| e.key != key);
        return map.entries.len() != before;
    }
    false
}

/// A string of `n` characters `c`.
fn repeat(c: char, n: u64) -> String {
    std::iter::repeat_n(c, usize::try_from(n).unwrap_or(0)).collect()
}

/// A string the regex accepts, built from its syntax tree: `reps` repetitions where a
/// repetition allows it, the `choice`-th preferred character of a class, and the
/// `choice`-th branch of an alternation.
fn sample(hir: &Hir, reps: u32, choice: usize, out: &mut String) {
    // Nested repetitions multiply: no schema bound is longer than this.
    if out.len() > 70_000 {
        return;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            let inside = |c: char| ranges.iter().any(|(a, b)| *a <= c && c <= *b);
            let preferred: Vec<char> = ('a'..='z')
                .chain('0'..='9')
                .chain('A'..='Z')
                .chain("-._/".chars())
                .filter(|c| inside(*c))
                .collect();
            let c = if preferred.is_empty() {
                ranges
                    .iter()
                    .map(|(a, _)| *a)
                    .find(|c| !c.is_control())
                    .or_else(|| ranges.first().map(|(a, _)| *a))
                    .unwrap_or('a')
            } else {
                preferred
                    .get(choice % preferred.len())
                    .copied()
                    .unwrap_or('a')
            };
            out.push(c);
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(range) = class.ranges().first() {
                out.push(char::from(range.start()));
            }
        }
        HirKind::Repetition(rep) => {
            let count = reps.max(rep.min).min(rep.max.unwrap_or(u32::MAX));
            for _ in 0..count {
                if out.len() > 70_000 {
                    break;
                }
                sample(&rep.sub, reps, choice, out);
            }
        }
        HirKind::Capture(capture) => sample(&capture.sub, reps, choice, out),
        HirKind::Concat(parts) => {
            for part in parts {
                sample(part, reps, choice, out);
            }
        }
        HirKind::Alternation(branches) => {
            if let Some(branch) = branches.get(choice % branches.len().max(1)) {
                sample(branch, reps, choice, out);
            }
        }
    }
}

/// Up to `want` strings the schema's pattern and length bounds accept, distinct by `variant`.
fn pattern_strings(schema: &Schema, variant: usize, want: usize) -> Vec<String> {
    type Made = BTreeMap<(String, u64, u64, usize, usize), Vec<String>>;
    thread_local! {
        static MADE: std::cell::RefCell<Made> = const { std::cell::RefCell::new(BTreeMap::new()) };
    }
    let min = schema.min_length.unwrap_or(0);
    let max = schema.max_length.unwrap_or(u64::MAX);
    let pattern = schema.pattern.as_ref().map(|r| r.as_str().to_owned());
    let key = (pattern.clone().unwrap_or_default(), min, max, variant, want);
    if let Some(made) = MADE.with(|m| m.borrow().get(&key).cloned()) {
        return made;
    }
    let fits = |s: &str| {
        let n = s.chars().count() as u64;
        n >= min && n <= max && schema.pattern.as_ref().is_none_or(|r| r.is_match(s))
    };
    let mut out = Vec::new();
    match pattern
        .as_deref()
        .map(|p| regex_syntax::Parser::new().parse(p))
    {
        None => {
            let n = min.max(1).min(max);
            let first = ["a", "b", "c", "d", "e"]
                .get(variant % 5)
                .copied()
                .unwrap_or("a");
            let s = format!("{first}{}", repeat('a', n.saturating_sub(1)));
            if fits(&s) {
                out.push(s);
            }
        }
        Some(Err(_)) => {}
        Some(Ok(hir)) => {
            'made: for reps in [1, 2, 0, 3, 5, 8, 16, 64] {
                for choice in 0..4 {
                    let mut s = String::new();
                    sample(&hir, reps, choice + variant, &mut s);
                    if fits(&s) && !out.contains(&s) {
                        out.push(s);
                        if out.len() >= want {
                            break 'made;
                        }
                    }
                }
            }
        }
    }
    MADE.with(|m| m.borrow_mut().insert(key, out.clone()));
    out
}

/// The number a bounded integer field gets: 1 where the bounds allow, else the nearest bound.
fn valid_number(schema: &Schema, variant: i64) -> i64 {
    let mut n = 1 + variant;
    if let Some(min) = schema.minimum {
        let min = min as i64 + i64::from(schema.exclusive_minimum);
        n = n.max(min + variant);
    }
    if let Some(max) = schema.maximum {
        let max = max as i64 - i64::from(schema.exclusive_maximum);
        n = n.min(max);
    }
    n
}

/// A value the schema accepts: every property (`full`) or only the required ones; `variant`
/// picks among enum values and pattern strings, so list items can differ.
pub fn valid(schema: &Schema, full: bool, variant: usize) -> Node {
    if let Some(value) = schema
        .enumeration
        .get(variant % schema.enumeration.len().max(1))
    {
        return Node::new(value.clone());
    }
    let value = match schema.types.as_str() {
        "object" => {
            let mut entries = Vec::new();
            for (name, child) in &schema.properties {
                if full || schema.required.contains(name) {
                    entries.push((name.clone(), valid(child, full, variant)));
                }
            }
            if let Some(child) = &schema.additional {
                let wanted = schema.min_properties.unwrap_or(0).max(u64::from(full));
                for i in 0..wanted {
                    entries.push((format!("key{i}"), valid(child, full, variant + i as usize)));
                }
            }
            let mut extra = schema.properties.iter();
            while (entries.len() as u64) < schema.min_properties.unwrap_or(0) {
                let Some((name, child)) = extra.next() else {
                    break;
                };
                if !entries.iter().any(|(n, _)| n == name) {
                    entries.push((name.clone(), valid(child, full, variant)));
                }
            }
            return map_node(entries);
        }
        "array" => {
            let count = schema
                .min_items
                .unwrap_or(0)
                .max(u64::from(full))
                .min(schema.max_items.unwrap_or(u64::MAX));
            let items = match &schema.items {
                Some(child) => (0..count as usize)
                    .map(|i| valid(child, full, variant + i))
                    .collect(),
                None => Vec::new(),
            };
            Value::Seq(items)
        }
        "integer" | "number" => Value::Int(valid_number(schema, variant as i64)),
        "boolean" => Value::Bool(variant.is_multiple_of(2)),
        _ if schema.int_or_string && schema.pattern.is_none() => {
            Value::Int(valid_number(schema, variant as i64))
        }
        _ => Value::Str(match schema.format.as_deref() {
            Some("ipv4") => format!("10.0.0.{}", 1 + variant % 200),
            Some("ipv6") => format!("fd00::{}", 1 + variant % 200),
            Some("date-time") => "2026-01-01T00:00:00Z".to_owned(),
            _ => pattern_strings(schema, variant, 1)
                .into_iter()
                .next()
                .unwrap_or_else(|| "a".to_owned()),
        }),
    };
    Node::new(value)
}

/// Wraps the value `leaf` for the node at `steps` of `schema` into an object with only the
/// required fields around it.
pub fn embed(schema: &Schema, steps: &[Step], leaf: Node) -> Node {
    let Some((first, rest)) = steps.split_first() else {
        return leaf;
    };
    match first {
        Step::Key(name) => {
            let mut node = valid(schema, false, 0);
            if let Some(child) = schema.property(name) {
                set_key(&mut node, name, embed(child, rest, leaf));
            }
            node
        }
        Step::Item => {
            let Some(child) = schema.items.as_deref() else {
                return Node::new(Value::Seq(Vec::new()));
            };
            Node::new(Value::Seq(vec![embed(child, rest, leaf)]))
        }
        Step::Any => {
            let Some(child) = schema.additional.as_deref() else {
                return map_node(Vec::new());
            };
            map_node(vec![("key".to_owned(), embed(child, rest, leaf))])
        }
    }
}

/// A whole object: apiVersion, kind and a name around the spec `embed` made.
pub fn object(api_version: &str, kind: &str, body: Node) -> Node {
    let mut node = body;
    if node.as_map().is_none() {
        node = map_node(Vec::new());
    }
    remove_key(&mut node, "metadata");
    remove_key(&mut node, "status");
    let mut entries = vec![
        (
            "apiVersion".to_owned(),
            Node::new(Value::Str(api_version.to_owned())),
        ),
        ("kind".to_owned(), Node::new(Value::Str(kind.to_owned()))),
        (
            "metadata".to_owned(),
            map_node(vec![("name".to_owned(), Node::new(Value::str("a")))]),
        ),
    ];
    if let Value::Map(map) = node.value {
        for entry in map.entries {
            entries.push((entry.key.to_string(), entry.value));
        }
    }
    map_node(entries)
}

/// A value at a node of `schema` breaking its constraint `what` (`pattern`, `enum`,
/// `minLength`, ...), the other constraints of the node kept where they can be.
pub fn breaking(schema: &Schema, what: &str) -> Option<Node> {
    let min_len = schema.min_length.unwrap_or(0);
    let max_len = schema.max_length.unwrap_or(u64::MAX);
    let value = match what {
        "pattern" => {
            let regex = schema.pattern.as_ref()?;
            let candidates = [
                "Not Valid!/~%".to_owned(),
                String::new(),
                "-".to_owned(),
                "a".to_owned(),
                "A".to_owned(),
                "/".to_owned(),
                "1".to_owned(),
                " ".to_owned(),
                repeat('a', min_len.max(1)),
                format!("{}!", repeat('a', min_len.max(1))),
            ];
            let fits = |s: &&String| (s.chars().count() as u64) >= min_len;
            let s = candidates
                .iter()
                .filter(|s| !regex.is_match(s))
                .find(fits)
                .or_else(|| candidates.iter().find(|s| !regex.is_match(s)))?;
            Value::Str(s.clone())
        }
        "enum" => match schema.enumeration.first()? {
            Value::Int(_) => Value::Int(123_456_789),
            _ => Value::str("NotInTheEnum"),
        },
        "minLength" => Value::Str(repeat('a', min_len.checked_sub(1)?)),
        "maxLength" => Value::Str(repeat('a', max_len.checked_add(1)?)),
        "minimum" => {
            let min = schema.minimum?;
            let n = if schema.exclusive_minimum {
                min
            } else {
                min - 1.0
            };
            Value::Int(n as i64)
        }
        "maximum" => {
            let max = schema.maximum?;
            let n = if schema.exclusive_maximum {
                max
            } else {
                max + 1.0
            };
            Value::Int(n as i64)
        }
        "minItems" => {
            let n = schema.min_items?.checked_sub(1)?;
            let child = schema.items.as_deref()?;
            Value::Seq((0..n as usize).map(|i| valid(child, false, i)).collect())
        }
        "maxItems" => {
            let n = schema.max_items?.checked_add(1)?;
            let child = schema.items.as_deref()?;
            Value::Seq((0..n as usize).map(|i| valid(child, false, i)).collect())
        }
        "minProperties" => {
            let n = schema.min_properties?.checked_sub(1)?;
            let mut entries = Vec::new();
            for (name, child) in schema.properties.iter().take(n as usize) {
                entries.push((name.clone(), valid(child, false, 0)));
            }
            return Some(map_node(entries));
        }
        "maxProperties" => {
            let n = schema.max_properties?.checked_add(1)?;
            let mut entries = Vec::new();
            for (name, child) in &schema.properties {
                entries.push((name.clone(), valid(child, false, 0)));
            }
            let mut i = 0;
            while (entries.len() as u64) < n {
                let value = match schema.additional.as_deref() {
                    Some(child) => valid(child, false, i),
                    None => Node::new(Value::str("a")),
                };
                entries.push((format!("key{i}"), value));
                i += 1;
            }
            entries.truncate(n as usize);
            return Some(map_node(entries));
        }
        _ => return None,
    };
    Some(Node::new(value))
}

/// What a rule's text names: identifiers (field names) and literals (quoted strings and
/// numbers), which the search tries as values.
pub struct RuleWords {
    pub names: BTreeSet<String>,
    pub strings: Vec<String>,
    pub numbers: Vec<i64>,
}

pub fn rule_words(rule: &str) -> RuleWords {
    let mut names = BTreeSet::new();
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            let mut s = String::new();
            while let Some(d) = chars.next() {
                if d == c {
                    break;
                }
                s.push(if d == '\\' {
                    chars.next().unwrap_or(d)
                } else {
                    d
                });
            }
            if !strings.contains(&s) {
                strings.push(s);
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::from(c);
            while let Some(d) = chars.next_if(|d| d.is_ascii_alphanumeric() || *d == '_') {
                s.push(d);
            }
            names.insert(s);
        } else if c.is_ascii_digit() {
            let mut s = String::from(c);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                s.push(d);
            }
            if let Ok(n) = s.parse::<i64>() {
                for m in [n - 1, n, n + 1] {
                    if !numbers.contains(&m) {
                        numbers.push(m);
                    }
                }
            }
        }
    }
    RuleWords {
        names,
        strings,
        numbers,
    }
}

/// Values of a scalar node worth trying against a rule: its enum, the rule's literals, a valid
/// string or number, and strings rules about names, paths and hosts look at.
fn scalar_variants(schema: &Schema, words: &RuleWords) -> Vec<Node> {
    if !schema.enumeration.is_empty() {
        return schema
            .enumeration
            .iter()
            .map(|v| Node::new(v.clone()))
            .collect();
    }
    let max_len = schema.max_length.unwrap_or(u64::MAX);
    let fits = |s: &str| (s.chars().count() as u64) <= max_len;
    let mut out = Vec::new();
    match schema.types.as_str() {
        "integer" | "number" => {
            out.push(Node::new(Value::Int(valid_number(schema, 0))));
            for n in &words.numbers {
                out.push(Node::new(Value::Int(*n)));
            }
            for n in [0, 65_535, 65_536] {
                out.push(Node::new(Value::Int(n)));
            }
            if let Some(max) = schema.maximum {
                out.push(Node::new(Value::Int(max as i64)));
            }
        }
        "boolean" => {
            out.push(Node::new(Value::Bool(true)));
            out.push(Node::new(Value::Bool(false)));
        }
        "object" | "array" => {}
        _ => {
            if schema.int_or_string {
                out.push(Node::new(Value::Int(valid_number(schema, 0))));
                for n in &words.numbers {
                    out.push(Node::new(Value::Int(*n)));
                }
            }
            let mut strings = pattern_strings(schema, 0, 3);
            for s in &words.strings {
                strings.push(s.clone());
                strings.push(format!("a{s}"));
                strings.push(format!("{s}a"));
                strings.push(format!("{s}{s}"));
            }
            for n in &words.numbers {
                strings.push(format!("{n}s"));
                strings.push(repeat('a', u64::try_from(*n).unwrap_or(0)));
            }
            for s in [
                "", "a", "*", "*.a", "a.b", "/", "/a", "/a/", "a/b", "//", "a//b", "10.0.0.1",
                "fd00::1", "-", "a:b", "1h", "0s", "1ms", "1.5h", "%", "a?b", "a#b",
            ] {
                strings.push(s.to_owned());
            }
            for s in strings {
                if fits(&s) {
                    out.push(Node::new(Value::Str(s)));
                }
            }
        }
    }
    out
}

/// Values of the node of `schema` worth trying against a rule: valid ones (every property and
/// only the required ones), and, `depth` levels down, each property the rule names removed or
/// given each of its own variants, two of them changed at once, lists of one, two equal and
/// two different items.
pub fn variants(schema: &Schema, words: &RuleWords, depth: u32) -> Vec<Node> {
    let mut out = vec![valid(schema, true, 0), valid(schema, false, 0)];
    if depth > 0 {
        out.push(saturated(schema, words, 3));
    }
    match schema.types.as_str() {
        "object" if depth > 0 => {
            // Each property the rule names, with what to try there (None: removed).
            let mut named: Vec<(&str, Vec<Option<Node>>)> = Vec::new();
            for (name, child) in &schema.properties {
                if words.names.contains(name) {
                    let mut options: Vec<Option<Node>> = vec![None];
                    options.extend(variants(child, words, depth - 1).into_iter().map(Some));
                    named.push((name.as_str(), options));
                }
            }
            for full in [true, false] {
                let base = valid(schema, full, 0);
                for (name, options) in &named {
                    for option in options {
                        let mut node = base.clone();
                        set_option(&mut node, name, option);
                        out.push(node);
                    }
                }
            }
            // Two named properties at once, from the required-only base.
            let base = valid(schema, false, 0);
            for (i, (name_a, options_a)) in named.iter().enumerate() {
                for (name_b, options_b) in named.iter().skip(i + 1) {
                    for option_a in options_a.iter().take(12) {
                        for option_b in options_b.iter().take(12) {
                            let mut node = base.clone();
                            set_option(&mut node, name_a, option_a);
                            set_option(&mut node, name_b, option_b);
                            out.push(node);
                        }
                    }
                }
            }
            if let Some(child) = &schema.additional {
                for value in variants(child, words, depth - 1) {
                    out.push(map_node(vec![("key".to_owned(), value)]));
                }
                // Keys rules look at: not a label key, a prefix too long.
                let mut keys = vec!["Not Valid!".to_owned(), "-a".to_owned()];
                for n in &words.numbers {
                    keys.push(format!("{}/a", repeat('a', u64::try_from(*n).unwrap_or(0))));
                }
                for key in keys {
                    out.push(map_node(vec![(key, valid(child, false, 0))]));
                }
            }
        }
        "array" if depth > 0 => {
            out.push(Node::new(Value::Seq(Vec::new())));
            if let Some(child) = &schema.items {
                let items = variants(child, words, depth - 1);
                // Each variant alone, twice, and beside a plain item (one with the required
                // fields, one with every field), in both orders.
                let bases = [valid(child, false, 0), valid(child, true, 0)];
                for item in &items {
                    out.push(Node::new(Value::Seq(vec![item.clone()])));
                    out.push(Node::new(Value::Seq(vec![item.clone(), item.clone()])));
                    for base in &bases {
                        out.push(Node::new(Value::Seq(vec![base.clone(), item.clone()])));
                        out.push(Node::new(Value::Seq(vec![item.clone(), base.clone()])));
                    }
                }
                for (i, a) in items.iter().enumerate().take(12) {
                    for b in items.iter().skip(i + 1).take(12) {
                        out.push(Node::new(Value::Seq(vec![a.clone(), b.clone()])));
                    }
                }
                out.push(Node::new(Value::Seq(vec![
                    valid(child, true, 0),
                    valid(child, true, 1),
                ])));
            }
        }
        "object" | "array" => {}
        _ => out.extend(scalar_variants(schema, words)),
    }
    let mut seen = BTreeSet::new();
    out.retain(|n| seen.insert(format!("{:?}", n.value)));
    out
}

fn set_option(node: &mut Node, key: &str, option: &Option<Node>) {
    match option {
        None => {
            remove_key(node, key);
        }
        Some(value) => set_key(node, key, value.clone()),
    }
}

/// Puts `leaf` at `steps` into `node` (a value of `schema`), making what is missing on the way
/// with only its required fields; a list's first item and a map's key `key` are the ones
/// walked into.
pub fn insert(schema: &Schema, node: &mut Node, steps: &[Step], leaf: Node) {
    let Some((first, rest)) = steps.split_first() else {
        *node = leaf;
        return;
    };
    match first {
        Step::Key(name) => {
            let Some(child) = schema.property(name) else {
                return;
            };
            if node.as_map().is_none() {
                *node = map_node(Vec::new());
            }
            if let Value::Map(map) = &mut node.value {
                if map.get(name).is_none() {
                    map.entries.push(Entry {
                        key: Key::new(name),
                        key_line: 0,
                        value: valid(child, false, 0),
                    });
                }
                if let Some(entry) = map.entries.iter_mut().find(|e| e.key == name.as_str()) {
                    insert(child, &mut entry.value, rest, leaf);
                }
            }
        }
        Step::Item => {
            let Some(child) = schema.items.as_deref() else {
                return;
            };
            if !matches!(node.value, Value::Seq(_)) {
                node.value = Value::Seq(Vec::new());
            }
            if let Value::Seq(items) = &mut node.value {
                if items.is_empty() {
                    items.push(valid(child, false, 0));
                }
                if let Some(item) = items.first_mut() {
                    insert(child, item, rest, leaf);
                }
            }
        }
        Step::Any => {
            let Some(child) = schema.additional.as_deref() else {
                return;
            };
            if node.as_map().is_none() {
                *node = map_node(Vec::new());
            }
            if let Value::Map(map) = &mut node.value {
                if map.get("key").is_none() {
                    map.entries.push(Entry {
                        key: Key::new("key"),
                        key_line: 0,
                        value: valid(child, false, 0),
                    });
                }
                if let Some(entry) = map.entries.iter_mut().find(|e| e.key == "key") {
                    insert(child, &mut entry.value, rest, leaf);
                }
            }
        }
    }
}

/// Whether one schema path is the other or lies below it.
pub fn overlaps(a: &str, b: &str) -> bool {
    let below = |long: &str, short: &str| {
        short.is_empty()
            || long == short
            || long
                .strip_prefix(short)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    below(a, b) || below(b, a)
}

/// A value with every list the rule names as long as the schema allows (rules that count the
/// items of lists below lists): required fields, the named properties, lists filled.
fn saturated(schema: &Schema, words: &RuleWords, depth: u32) -> Node {
    match schema.types.as_str() {
        "object" if depth > 0 => {
            let mut node = valid(schema, false, 0);
            for (name, child) in &schema.properties {
                if words.names.contains(name) {
                    set_key(&mut node, name, saturated(child, words, depth - 1));
                }
            }
            node
        }
        "array" if depth > 0 => {
            let Some(child) = &schema.items else {
                return valid(schema, false, 0);
            };
            let count = schema.max_items.unwrap_or(16).min(256) as usize;
            let item = saturated(child, words, depth - 1);
            Node::new(Value::Seq(vec![item; count]))
        }
        _ => valid(schema, false, 0),
    }
}

/// The node at a path as the API server prints it (`spec.rules[0].filters[1].cors`).
fn node_at_mut<'a>(node: &'a mut Node, path: &str) -> Option<&'a mut Node> {
    let mut node = node;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            node = match &mut node.value {
                Value::Map(map) => &mut map.entries.iter_mut().find(|e| e.key == name)?.value,
                _ => return None,
            };
        }
        while let Some(open) = rest.strip_prefix('[') {
            let (inside, after) = open.split_once(']')?;
            rest = after;
            node = match &mut node.value {
                Value::Seq(items) => items.get_mut(inside.parse::<usize>().ok()?)?,
                Value::Map(map) => &mut map.entries.iter_mut().find(|e| e.key == inside)?.value,
                _ => return None,
            };
        }
    }
    Some(node)
}

fn size(node: &Node) -> usize {
    match &node.value {
        Value::Map(map) => map.entries.iter().map(|e| 1 + size(&e.value)).sum(),
        Value::Seq(items) => items.iter().map(|i| 1 + size(i)).sum(),
        _ => 0,
    }
}

/// `object` made to pass `refusals` (an object's refusals, the paths they name; `None` for
/// an object the schema refuses, which does not count as better) by removing as few fields as it
/// can: at each refused node, the first removal of one of its fields, or of a field of one
/// of its children, that leaves fewer refusals, until none are left or no removal helps.
pub fn repair(
    mut object: Node,
    mut refusals: impl FnMut(&Node) -> Option<Vec<String>>,
) -> (Node, Vec<String>) {
    let Some(mut left) = refusals(&object) else {
        return (object, vec!["refused by the schema".to_owned()]);
    };
    'repair: while let Some(path) = left.first().cloned() {
        let mut at = path.as_str();
        loop {
            let mut candidates = Vec::new();
            if let Some(node) = node_at_mut(&mut object.clone(), at) {
                let keys = |node: &Node| -> Vec<String> {
                    node.as_map()
                        .map(|m| m.entries.iter().map(|e| e.key.to_string()).collect())
                        .unwrap_or_default()
                };
                for key in keys(node) {
                    candidates.push(format!("{at}.{key}"));
                    if let Some(child) = node.as_map().and_then(|m| m.get_value(&key)) {
                        for inner in keys(child) {
                            candidates.push(format!("{at}.{key}.{inner}"));
                        }
                        if let Value::Seq(items) = &child.value {
                            for inner in items.first().map(keys).unwrap_or_default() {
                                candidates.push(format!("{at}.{key}[0].{inner}"));
                            }
                        }
                    }
                }
            }
            // The smallest removals first.
            let mut sized: Vec<(usize, String)> = candidates
                .into_iter()
                .map(|c| {
                    let c = c.trim_start_matches('.').to_owned();
                    let size = node_at_mut(&mut object.clone(), &c).map_or(0, |n| size(n));
                    (size, c)
                })
                .collect();
            sized.sort_by_key(|(size, _)| *size);
            for (_, candidate) in sized {
                let candidate = candidate.as_str();
                let Some((parent, key)) = candidate.rsplit_once('.') else {
                    continue;
                };
                let mut changed = object.clone();
                let removed = match node_at_mut(&mut changed, parent) {
                    Some(node) => remove_key(node, key),
                    None => remove_key(&mut changed, candidate),
                };
                if !removed {
                    continue;
                }
                let Some(now) = refusals(&changed) else {
                    continue;
                };
                if now.len() < left.len() {
                    object = changed;
                    left = now;
                    continue 'repair;
                }
            }
            // Nothing below the refused node helps: try its parent.
            match at.rfind(['.', '[']) {
                Some(i) if i > 0 => at = at.get(..i).unwrap_or_default(),
                _ => break 'repair,
            }
        }
    }
    (object, left)
}
