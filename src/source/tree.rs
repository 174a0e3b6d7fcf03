//! The document tree lsc reads YAML and JSON into: ordered mappings, scalars resolved by the
//! YAML 1.2 core schema, and the source line of every node for diagnostics.

/// One node of a document, with the 1-based line it starts on (0 for nodes lsc builds itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub value: Value,
}

/// A resolved YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A float, kept as written so passing it through changes nothing.
    Float(String),
    Str(String),
    /// A plain scalar that YAML 1.2 reads as a string but Kubernetes' YAML 1.1 reader reads
    /// as a boolean or an octal number (`yes`, `off`, `0644`): a string where lsc expects one,
    /// and written back exactly as it was, so passing it through changes nothing.
    Plain(String),
    Seq(Vec<Node>),
    Map(Map),
    /// A node with a tag outside the YAML core schema (`!!binary`, `!!set`, `!local`): lsc
    /// reads no field from it (a field it reads refuses it, located), and passing it through
    /// writes it back with its tag, so the value stays what the tag makes it.
    Tagged(Box<Tagged>),
}

/// A tagged node's tag as YAML writes it (`!!binary`, `!local`, `!<tag:example.com,2026:x>`)
/// and its value: a scalar is [`Value::Plain`] when it was plain, [`Value::Str`] when quoted
/// or a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub tag: String,
    pub value: Value,
}

/// A mapping in source order. Kubernetes objects are small, so lookups scan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: Vec<Entry>,
}

/// A mapping key.
pub type Key = compact_str::CompactString;

/// One key/value pair; the key's line is where a reader looks for the field.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Inline up to 24 bytes, so most keys take no allocation of their own.
    pub key: Key,
    pub key_line: u32,
    pub value: Node,
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn get_value(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|e| &e.value)
    }

    /// Appends an entry built by lsc (line 0).
    pub fn push(&mut self, key: &str, value: Value) {
        self.entries.push(Entry {
            key: Key::new(key),
            key_line: 0,
            value: Node::new(value),
        });
    }
}

impl Node {
    pub fn new(value: Value) -> Self {
        Node { line: 0, value }
    }

    /// Gives every list and mapping below exactly the room it uses. Built by pushing, most of
    /// them are small and have room for twice their entries; for a tree kept until the end of
    /// a run (a converted object) that is most of its memory.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.value {
            Value::Seq(items) => {
                items.shrink_to_fit();
                items.iter_mut().for_each(Node::shrink_to_fit);
            }
            Value::Map(map) => {
                map.entries.shrink_to_fit();
                for entry in &mut map.entries {
                    entry.value.shrink_to_fit();
                }
            }
            _ => {}
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut node = self;
        for key in keys {
            node = node.as_map()?.get_value(key)?;
        }
        Some(node)
    }

    /// The string at a path of mapping keys, if it is a string.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        match &self.path(keys)?.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl Value {
    /// A short name of the value's type, as error messages say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) | Value::Plain(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Tagged(_) => "a value tagged outside YAML's core schema",
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Plain(s) => Some(s),
            _ => None,
        }
    }

    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn str_seq<S: AsRef<str>>(items: &[S]) -> Value {
        Value::Seq(
            items
                .iter()
                .map(|s| Node::new(Value::str(s.as_ref())))
                .collect(),
        )
    }
}

/// The plain scalars of the core schema that are null, a boolean or an infinity or NaN,
/// whatever [`resolve_plain`] makes of other texts with their first byte.
fn core_word(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => Some(Value::Float(text.to_string())),
        _ => None,
    }
}

/// Whether [`resolve_plain`] reads `text` as the string it is, told without building the
/// value: it starts with a letter or `_` and is not a null or boolean word.
pub fn is_plain_word(text: &str) -> bool {
    let first = text.as_bytes().first();
    first.is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') && core_word(text).is_none()
}

/// Resolves a plain (unquoted) scalar by the YAML 1.2 core schema, with one Kubernetes-minded
/// exception: digits with a leading zero (`0777`, `0123`) stay strings, as serde_yaml and
/// Kubernetes' string fields treat them, instead of silently becoming decimal numbers.
pub fn resolve_plain(text: &str) -> Value {
    if let Some(value) = core_word(text) {
        return value;
    }
    let bytes = text.as_bytes();
    let first = bytes.first().copied().unwrap_or(b' ');
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Value::Str(text.to_string());
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(v) = i64::from_str_radix(hex, 16) {
                return Value::Int(v);
            }
        }
        return Value::Str(text.to_string());
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            if let Ok(v) = i64::from_str_radix(oct, 8) {
                return Value::Int(v);
            }
        }
        return Value::Str(text.to_string());
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return Value::Plain(text.to_string());
        }
        return match text.parse::<i64>() {
            Ok(v) => Value::Int(v),
            Err(_) => Value::Float(text.to_string()),
        };
    }
    if is_core_float(digits) {
        return Value::Float(text.to_string());
    }
    Value::Str(text.to_string())
}

/// YAML 1.1's boolean words, which YAML 1.2 reads as strings.
pub fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// Resolves a plain scalar, marking as [`Value::Plain`] those YAML 1.2 reads as strings and
/// YAML 1.1 as something else (`yes`, `0644`, `1_000`, `0b11`, `+0x1F`, `2024-01-01`).
pub fn resolve_plain_scalar(text: &str) -> Value {
    match resolve_plain(text) {
        Value::Str(s) if yaml11_bool(&s).is_some() || yaml11_other_type(&s) => Value::Plain(s),
        other => other,
    }
}

/// Whether a string the core schema read as a string is a YAML 1.1 number or timestamp (its
/// words are [`yaml11_bool`]'s, checked before; [`looks_like_other_type`] turns most
/// letter-first strings away at once).
///
/// [`looks_like_other_type`]: super::yaml11::looks_like_other_type
fn yaml11_other_type(s: &str) -> bool {
    use super::yaml11::{looks_like_other_type, may_look_like_other_type};
    s.as_bytes()
        .first()
        .is_some_and(|&b| may_look_like_other_type(b))
        && looks_like_other_type(s)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        }
    };
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_2_words_stay_strings() {
        for s in [
            "on", "off", "yes", "no", "y", "n", "Yes", "ON", "0777", "012", "1.2.3", "1_000",
        ] {
            assert_eq!(resolve_plain_scalar(s).as_str(), Some(s), "{s}");
        }
        assert_eq!(resolve_plain_scalar("yes"), Value::Plain("yes".into()));
        assert_eq!(resolve_plain_scalar("0644"), Value::Plain("0644".into()));
    }

    #[test]
    fn core_schema_values_resolve() {
        assert_eq!(resolve_plain("true"), Value::Bool(true));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain(""), Value::Null);
        assert_eq!(resolve_plain("443"), Value::Int(443));
        assert_eq!(resolve_plain("-1"), Value::Int(-1));
        assert_eq!(resolve_plain("0"), Value::Int(0));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("0o17"), Value::Int(15));
        assert_eq!(resolve_plain("1e3"), Value::Float("1e3".into()));
        assert_eq!(resolve_plain("1.5"), Value::Float("1.5".into()));
        assert_eq!(resolve_plain(".5"), Value::Float(".5".into()));
        assert_eq!(resolve_plain("."), Value::Str(".".into()));
    }
}
