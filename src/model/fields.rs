//! Typed reads of fields from the document tree, with located errors for wrong types.

use std::fmt::Display;

use crate::source::tree::{Entry, Map, Node, Value};

/// A field of the wrong type, or missing where required: at a line, with the field's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub line: u32,
    pub message: String,
}

pub type FieldResult<T> = Result<T, FieldError>;

fn wrong_type(entry_line: u32, path: impl Display, expected: &str, found: &Value) -> FieldError {
    let hint = match found {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) if expected == "a string" => {
            " (quote the value to make it a string)".to_string()
        }
        Value::Tagged(tagged) => format!(
            " ({}; lsc reads a field only untagged or with a tag of the core schema: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)",
            tagged.tag
        ),
        _ => String::new(),
    };
    FieldError {
        line: entry_line,
        message: format!(
            "{path}: expected {expected}, found {}{hint}",
            found.type_name()
        ),
    }
}

/// The entry for `key`, treating an explicit `null` as absent, as the API server does.
pub fn entry<'a>(map: &'a Map, key: &str) -> Option<&'a Entry> {
    map.get(key).filter(|e| e.value.value != Value::Null)
}

pub fn string(map: &Map, key: &str, path: impl Display + Copy) -> FieldResult<Option<String>> {
    match entry(map, key) {
        None => Ok(None),
        Some(e) => match e.value.value.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => Err(wrong_type(e.key_line, path, "a string", &e.value.value)),
        },
    }
}

pub fn integer(map: &Map, key: &str, path: impl Display + Copy) -> FieldResult<Option<i64>> {
    match entry(map, key) {
        None => Ok(None),
        Some(e) => match &e.value.value {
            Value::Int(i) => Ok(Some(*i)),
            other => Err(wrong_type(e.key_line, path, "an integer", other)),
        },
    }
}

pub fn mapping<'a>(
    map: &'a Map,
    key: &str,
    path: impl Display + Copy,
) -> FieldResult<Option<(&'a Map, u32)>> {
    match entry(map, key) {
        None => Ok(None),
        Some(e) => match &e.value.value {
            Value::Map(m) => Ok(Some((m, e.key_line))),
            other => Err(wrong_type(e.key_line, path, "a mapping", other)),
        },
    }
}

pub fn list<'a>(
    map: &'a Map,
    key: &str,
    path: impl Display + Copy,
) -> FieldResult<Option<(&'a [Node], u32)>> {
    match entry(map, key) {
        None => Ok(None),
        Some(e) => match &e.value.value {
            Value::Seq(items) => Ok(Some((items.as_slice(), e.key_line))),
            other => Err(wrong_type(e.key_line, path, "a list", other)),
        },
    }
}

/// An item of a list that must be a mapping.
pub fn item_mapping(node: &Node, path: impl Display + Copy) -> FieldResult<&Map> {
    match &node.value {
        Value::Map(m) => Ok(m),
        other => Err(wrong_type(node.line, path, "a mapping", other)),
    }
}

/// A list of strings (`hosts`).
pub fn string_list(map: &Map, key: &str, path: impl Display + Copy) -> FieldResult<Vec<String>> {
    let Some((items, _)) = list(map, key, path)? else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, node)| match &node.value {
            Value::Str(s) | Value::Plain(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            other => Err(wrong_type(
                node.line,
                format_args!("{path}[{i}]"),
                "a string",
                other,
            )),
        })
        .collect()
}

/// Labels, annotations and the like by key: a sorted vector, which for the few entries such
/// maps hold takes a fraction of a B-tree's memory (its nodes have room for 11) and is built
/// in one sort. A key given twice keeps its last value, as in a B-tree map.
pub type SortedMap<V> = litemap::LiteMap<String, V>;

/// A string value with the line of its key (annotations, labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: u32,
}

/// A `map[string]string` such as labels or annotations; a null value reads as "".
pub fn string_map(
    map: &Map,
    key: &str,
    path: impl Display + Copy,
) -> FieldResult<(SortedMap<Located>, u32)> {
    let Some((inner, line)) = mapping(map, key, path)? else {
        return Ok((SortedMap::new(), 0));
    };
    let out = inner
        .entries
        .iter()
        .map(|e| {
            let value = match &e.value.value {
                Value::Str(s) | Value::Plain(s) => s.clone(),
                Value::Null => String::new(),
                other => {
                    return Err(wrong_type(
                        e.key_line,
                        format_args!("{path}.{}", e.key),
                        "a string",
                        other,
                    ));
                }
            };
            let located = Located {
                value,
                line: e.key_line,
            };
            Ok((e.key.to_string(), located))
        })
        .collect::<FieldResult<SortedMap<Located>>>()?;
    Ok((out, line))
}

#[cfg(test)]
mod tests {
    use super::{Located, string_map};
    use crate::source::tree::{Entry, Map, Node, Value};
    use std::collections::BTreeMap;

    /// `labels:` holding `entries` in this order, each key on its own line from line 2.
    fn labels(entries: &[(String, String)]) -> Map {
        let mut inner = Map::default();
        for (line, (key, value)) in (2..).zip(entries) {
            inner.entries.push(Entry {
                key: key.as_str().into(),
                key_line: line,
                value: Node::new(Value::Str(value.clone())),
            });
        }
        let mut outer = Map::default();
        outer.push("labels", Value::Map(inner));
        outer
    }

    proptest::proptest! {
        /// The sorted map reads as a B-tree map filled in source order: keys sorted, a key
        /// given twice keeps its last value and line.
        #[test]
        fn string_maps_read_as_a_btree_map_filled_in_order(
            entries in proptest::collection::vec(("[a-d]{1,2}", "[xy]{0,2}"), 0..12),
        ) {
            let read = string_map(&labels(&entries), "labels", "metadata.labels");
            let (map, _) = read.unwrap_or_else(|e| panic!("{e:?}"));
            let mut expected = BTreeMap::new();
            for (line, (key, value)) in (2..).zip(&entries) {
                expected.insert(key.clone(), Located { value: value.clone(), line });
            }
            let got: Vec<(String, Located)> = map.into_iter().collect();
            let want: Vec<(String, Located)> = expected.into_iter().collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
