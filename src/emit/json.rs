//! Writes documents as JSON, indented by four spaces as `kubectl get -o json` does; several
//! objects become a `v1` `List`.

use crate::source::tree::{Map, Node, Value};

/// The objects wrapped in a `v1` `List`, keys in kubectl's order.
pub fn write_list(out: &mut String, items: &[&Node]) {
    let mut list = Map::default();
    list.push("apiVersion", Value::str("v1"));
    list.entries.push(crate::source::tree::Entry {
        key: crate::source::tree::Key::const_new("items"),
        key_line: 0,
        value: Node::new(Value::Seq(items.iter().map(|n| (*n).clone()).collect())),
    });
    list.push("kind", Value::str("List"));
    let mut metadata = Map::default();
    metadata.push("resourceVersion", Value::str(""));
    list.push("metadata", Value::Map(metadata));
    write_value(out, &Value::Map(list), 0);
    out.push('\n');
}

fn indent(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level * 4));
}

/// A JSON string with `<`, `>`, `&`, U+2028 and U+2029 escaped, as Go's encoder (and so
/// kubectl) writes them.
fn write_string(out: &mut String, s: &str) {
    let encoded = serde_json::Value::String(s.to_string()).to_string();
    for c in encoded.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

/// Levels written indented; deeper values go on one line, compact. Indenting every level
/// makes the output grow with the square of the depth (4 spaces a level on each line: a
/// 40 KB input 20,000 levels deep gave 1.6 GB), while no manifest nests this deep.
const INDENTED_LEVELS: usize = 64;

pub fn write_value(out: &mut String, value: &Value, level: usize) {
    if level >= INDENTED_LEVELS {
        return write_compact(out, value);
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => match f.parse::<f64>() {
            Ok(v) if v.is_finite() => out.push_str(&serde_json::Value::from(v).to_string()),
            _ => write_string(out, f),
        },
        Value::Str(s) => write_string(out, s),
        Value::Plain(_) => out.push_str(&to_serde(value).to_string()),
        // JSON has no tags: the tagged value, a scalar as the string it was written.
        Value::Tagged(tagged) => match &tagged.value {
            Value::Plain(s) => write_string(out, s),
            other => write_value(out, other, level),
        },
        Value::Seq(items) if items.is_empty() => out.push_str("[]"),
        Value::Seq(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                write_value(out, &item.value, level + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        Value::Map(map) if map.entries.is_empty() => out.push_str("{}"),
        Value::Map(map) => {
            out.push_str("{\n");
            for (i, entry) in map.entries.iter().enumerate() {
                indent(out, level + 1);
                write_string(out, &entry.key);
                out.push_str(": ");
                write_value(out, &entry.value.value, level + 1);
                if i + 1 < map.entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
    }
}

/// `value` on one line, without spaces (as Go's `json.Compact` writes it).
fn write_compact(out: &mut String, value: &Value) {
    match value {
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, &item.value);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, entry) in map.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, &entry.key);
                out.push(':');
                write_compact(out, &entry.value.value);
            }
            out.push('}');
        }
        scalar => write_value(out, scalar, 0),
    }
}

/// The value as `serde_json::Value`, for validation and machine consumers.
pub fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => match f.parse::<f64>() {
            Ok(v) if v.is_finite() => serde_json::Value::from(v),
            _ => serde_json::Value::String(f.clone()),
        },
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Plain(s) => yaml11_scalar(s),
        Value::Tagged(tagged) => match &tagged.value {
            Value::Plain(s) => serde_json::Value::String(s.clone()),
            other => to_serde(other),
        },
        Value::Seq(items) => {
            serde_json::Value::Array(items.iter().map(|n| to_serde(&n.value)).collect())
        }
        Value::Map(map) => serde_json::Value::Object(
            map.entries
                .iter()
                .map(|e| (e.key.to_string(), to_serde(&e.value.value)))
                .collect(),
        ),
    }
}

/// What Kubernetes' YAML 1.1 reader (go-yaml v2, whose values then become JSON) makes of a
/// plain scalar that YAML 1.2 reads as a string: a boolean; an integer, its underscores
/// dropped, in binary (`0b`), hexadecimal (`0x`), octal (a leading `0`) or decimal; a float;
/// otherwise the string (a timestamp becomes a string again in JSON; go-yaml v2 has no base 60).
fn yaml11_scalar(s: &str) -> serde_json::Value {
    if let Some(b) = crate::source::tree::yaml11_bool(s) {
        return serde_json::Value::Bool(b);
    }
    let plain = s.replace('_', "");
    let (negative, body) = match plain.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let decimal = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let magnitude = if let Some(bits) = body.strip_prefix("0b") {
        i64::from_str_radix(bits, 2).ok()
    } else if let Some(hex) = body.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if body.len() > 1 && body.starts_with('0') && decimal(body) {
        i64::from_str_radix(body, 8).ok()
    } else if decimal(body) {
        body.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(magnitude) = magnitude {
        return serde_json::Value::from(if negative { -magnitude } else { magnitude });
    }
    let float = body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    match plain.parse::<f64>() {
        Ok(v) if float && v.is_finite() => serde_json::Value::from(v),
        _ => serde_json::Value::String(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_become_what_yaml_1_1_reads() {
        let json = |s: &str| to_serde(&Value::Plain(s.to_string())).to_string();
        assert_eq!(json("yes"), "true");
        assert_eq!(json("0644"), "420");
        assert_eq!(json("-0644"), "-420");
        assert_eq!(json("1_0"), "10");
        assert_eq!(json("0b11"), "3");
        assert_eq!(json("+0x258"), "600");
        assert_eq!(json("1_0.5"), "10.5");
        assert_eq!(json("2024-01-01"), "\"2024-01-01\"");
        assert_eq!(json("190:20:30"), "\"190:20:30\"");
    }
}
