//! A CRD's structural OpenAPI schema, compiled once, and the API server's checks of it:
//! nulls pruned, defaults applied, then types, `required`, `enum`, `pattern`, `format`,
//! length, item and value bounds, list-type uniqueness and unknown fields, with the rules of
//! `rules.rs` evaluated at every node they are declared on.
//!
//! Messages follow k8s.io/apiextensions-apiserver `pkg/apiserver/validation/validation.go`,
//! which turns kube-openapi's validation errors into `field.Error`s, and field.Error's
//! `String()` (`<path>: <type>: <detail>`). kubectl's strict field validation reports an
//! unknown field as `unknown field "<path>"`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use cel::Value as CelValue;
use cel::objects::Key as CelKey;

use regex::Regex;

use super::Violation;
use super::rules::{Rule, RuleContext, to_cel};
use crate::source::tree::{Entry, Key, Map, Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Type {
    fn parse(text: &str) -> Option<Type> {
        Some(match text {
            "object" => Type::Object,
            "array" => Type::Array,
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Type::Object => "object",
            Type::Array => "array",
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
        }
    }
}

#[derive(Debug, Default)]
pub enum ListType {
    #[default]
    Atomic,
    Set,
    Map(Vec<String>),
}

/// One node of a structural schema.
#[derive(Debug, Default)]
pub struct Schema {
    pub types: Option<Type>,
    pub nullable: bool,
    pub int_or_string: bool,
    pub preserve_unknown: bool,
    pub properties: Vec<(String, Schema)>,
    pub additional: Option<Box<Schema>>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    /// Allowed values, as [`scalar_text`] writes them, and as the schema wrote them.
    pub enumeration: Vec<(String, String)>,
    pub pattern: Option<(String, Option<Regex>)>,
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
    pub list_type: ListType,
    pub default: Option<Node>,
    pub any_of: Vec<Schema>,
    pub rules: Vec<Rule>,
}

fn uint(node: Option<&Node>) -> Option<u64> {
    match node.map(|n| &n.value) {
        Some(Value::Int(i)) => u64::try_from(*i).ok(),
        _ => None,
    }
}

fn number(node: Option<&Node>) -> Option<f64> {
    match node.map(|n| &n.value) {
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
    /// Compiles an `openAPIV3Schema` node; what it does not understand it leaves unchecked.
    pub fn compile(node: &Node) -> Schema {
        let Some(map) = node.as_map() else {
            return Schema::default();
        };
        let mut schema = Schema {
            types: map
                .get_value("type")
                .and_then(|n| n.value.as_str())
                .and_then(Type::parse),
            nullable: flag(map, "nullable"),
            int_or_string: flag(map, "x-kubernetes-int-or-string"),
            preserve_unknown: flag(map, "x-kubernetes-preserve-unknown-fields"),
            min_length: uint(map.get_value("minLength")),
            max_length: uint(map.get_value("maxLength")),
            min_items: uint(map.get_value("minItems")),
            max_items: uint(map.get_value("maxItems")),
            min_properties: uint(map.get_value("minProperties")),
            max_properties: uint(map.get_value("maxProperties")),
            minimum: number(map.get_value("minimum")),
            maximum: number(map.get_value("maximum")),
            exclusive_minimum: flag(map, "exclusiveMinimum"),
            exclusive_maximum: flag(map, "exclusiveMaximum"),
            format: map
                .get_value("format")
                .and_then(|n| n.value.as_str())
                .map(str::to_owned),
            default: map.get_value("default").cloned(),
            ..Schema::default()
        };
        if let Some(Value::Map(properties)) = map.get_value("properties").map(|n| &n.value) {
            schema.properties = properties
                .entries
                .iter()
                .map(|e| (e.key.to_string(), Schema::compile(&e.value)))
                .collect();
        }
        match map.get_value("additionalProperties").map(|n| &n.value) {
            Some(Value::Map(_)) => {
                schema.additional = map
                    .get_value("additionalProperties")
                    .map(|n| Box::new(Schema::compile(n)));
            }
            Some(Value::Bool(true)) => schema.preserve_unknown = true,
            _ => {}
        }
        if let Some(items) = map.get_value("items") {
            schema.items = Some(Box::new(Schema::compile(items)));
        }
        if let Some(Value::Seq(required)) = map.get_value("required").map(|n| &n.value) {
            schema.required = required
                .iter()
                .filter_map(|n| n.value.as_str().map(str::to_owned))
                .collect();
        }
        if let Some(Value::Seq(values)) = map.get_value("enum").map(|n| &n.value) {
            schema.enumeration = values
                .iter()
                .filter_map(|n| Some((scalar_text(&n.value)?, shown(&n.value))))
                .collect();
        }
        if let Some(pattern) = map.get_value("pattern").and_then(|n| n.value.as_str()) {
            schema.pattern = Some((pattern.to_owned(), Regex::new(pattern).ok()));
        }
        match map
            .get_value("x-kubernetes-list-type")
            .and_then(|n| n.value.as_str())
        {
            Some("set") => schema.list_type = ListType::Set,
            Some("map") => {
                let keys = match map
                    .get_value("x-kubernetes-list-map-keys")
                    .map(|n| &n.value)
                {
                    Some(Value::Seq(keys)) => keys
                        .iter()
                        .filter_map(|n| n.value.as_str().map(str::to_owned))
                        .collect(),
                    _ => Vec::new(),
                };
                schema.list_type = ListType::Map(keys);
            }
            _ => {}
        }
        if let Some(Value::Seq(branches)) = map.get_value("anyOf").map(|n| &n.value) {
            schema.any_of = branches.iter().map(Schema::compile).collect();
        }
        if let Some(Value::Seq(rules)) = map.get_value("x-kubernetes-validations").map(|n| &n.value)
        {
            schema.rules = rules.iter().filter_map(Rule::compile).collect();
        }
        schema
    }

    fn property(&self, key: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, schema)| schema)
            .or(self.additional.as_deref())
    }

    pub fn uncompiled(&self, out: &mut Vec<(String, String)>) {
        for rule in &self.rules {
            if let Some(error) = rule.compile_error() {
                out.push((rule.text.clone(), error));
            }
        }
        for (_, child) in &self.properties {
            child.uncompiled(out);
        }
        for child in self.additional.iter().chain(self.items.iter()) {
            child.uncompiled(out);
        }
    }
}

/// A scalar as an enum compares it: its type and text.
fn scalar_text(value: &Value) -> Option<String> {
    Some(match value {
        Value::Str(s) | Value::Plain(s) => format!("s{s}"),
        Value::Int(i) => format!("i{i}"),
        Value::Float(f) => format!("f{f}"),
        Value::Bool(b) => format!("b{b}"),
        Value::Null => "n".to_owned(),
        _ => return None,
    })
}

/// A value as field.Error prints it: strings quoted, numbers and booleans bare.
fn shown(value: &Value) -> String {
    match value {
        Value::Str(s) | Value::Plain(s) => format!("{s:?}"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Seq(_) => "\"array\"".to_owned(),
        Value::Map(_) | Value::Tagged(_) => "\"object\"".to_owned(),
    }
}

/// Every constraint below `schema`, each as its schema path and the key a violation of it
/// carries.
pub fn constraints(schema: &Schema, path: &str, out: &mut Vec<(String, String)>) {
    for key in own_constraints(schema, path) {
        out.push((path.to_owned(), key));
    }
    for (name, child) in &schema.properties {
        if path.is_empty() && (name == "metadata" || name == "status") {
            continue;
        }
        constraints(child, &join(path, name), out);
    }
    if let Some(child) = &schema.additional {
        constraints(child, &format!("{path}[*]"), out);
    }
    if let Some(child) = &schema.items {
        constraints(child, &format!("{path}[]"), out);
    }
}

fn own_constraints(schema: &Schema, path: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some((pattern, _)) = &schema.pattern {
        keys.push(key(path, "pattern", pattern));
    }
    if !schema.enumeration.is_empty() {
        keys.push(key(path, "enum", ""));
    }
    for (name, bound) in [
        ("minLength", schema.min_length),
        ("maxLength", schema.max_length),
        ("minItems", schema.min_items),
        ("maxItems", schema.max_items),
        ("minProperties", schema.min_properties),
        ("maxProperties", schema.max_properties),
    ] {
        if let Some(bound) = bound {
            keys.push(key(path, name, &bound.to_string()));
        }
    }
    for (name, bound) in [("minimum", schema.minimum), ("maximum", schema.maximum)] {
        if let Some(bound) = bound {
            keys.push(key(path, name, &bound.to_string()));
        }
    }
    for rule in &schema.rules {
        if !rule.transition {
            keys.push(key(path, "rule", &rule.text));
        }
    }
    keys
}

fn key(schema_path: &str, what: &str, detail: &str) -> String {
    if detail.is_empty() {
        format!("{schema_path} {what}")
    } else {
        format!("{schema_path} {what} {detail}")
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Prunes nulls and applies defaults to a copy of `object`, then checks it.
pub fn validate_object(schema: &Schema, object: &Node) -> Vec<Violation> {
    validate_owned(schema, object.clone())
}

/// [`validate_object`] on an object the caller gives up (defaults are applied to it).
pub fn validate_owned(schema: &Schema, mut object: Node) -> Vec<Violation> {
    apply_defaults(schema, &mut object);
    let mut structural = Walk::new(None);
    structural.node(
        schema,
        &object,
        &mut String::new(),
        &mut String::new(),
        object.line,
        true,
    );
    if structural.blocking {
        // apiextensions-apiserver's strategy.go (hasBlockingErr): rules are not run on an
        // object with a missing, mistyped, unsupported, too long or too many value.
        structural.out.push(Violation {
            path: String::new(),
            line: object.line,
            message: "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation".to_owned(),
            constraint: super::RULES_NOT_CHECKED.to_owned(),
        });
        return structural.out;
    }
    let rules = RuleContext::new();
    let mut with_rules = Walk::new(Some(&rules));
    with_rules.node(
        schema,
        &object,
        &mut String::new(),
        &mut String::new(),
        object.line,
        true,
    );
    structural.out.append(&mut with_rules.out);
    structural.out
}

/// The API server's structural defaulting: a null where the schema does not allow one is
/// dropped, then a missing property with a `default` gets it, and the walk goes on into it.
pub fn apply_defaults(schema: &Schema, node: &mut Node) {
    match &mut node.value {
        Value::Map(map) => {
            map.entries.retain(|entry| {
                !matches!(entry.value.value, Value::Null)
                    || schema.property(&entry.key).is_some_and(|s| s.nullable)
            });
            for (name, child) in &schema.properties {
                if let Some(default) = &child.default
                    && map.get(name).is_none()
                {
                    map.entries.push(Entry {
                        key: Key::new(name),
                        key_line: 0,
                        value: Node::new(default.value.clone()),
                    });
                }
            }
            for entry in &mut map.entries {
                if let Some(child) = schema.property(&entry.key) {
                    apply_defaults(child, &mut entry.value);
                }
            }
        }
        Value::Seq(items) => {
            if let Some(child) = &schema.items {
                for item in items {
                    apply_defaults(child, item);
                }
            }
        }
        _ => {}
    }
}

/// One pass over an object: the structural checks (`rules` None), or the rules alone.
struct Walk<'r> {
    out: Vec<Violation>,
    rules: Option<&'r RuleContext>,
    /// Whether a check failed that keeps the API server from running the rules.
    blocking: bool,
}

impl<'r> Walk<'r> {
    fn new(rules: Option<&'r RuleContext>) -> Walk<'r> {
        Walk {
            out: Vec::new(),
            rules,
            blocking: false,
        }
    }

    /// A count (a string's characters, a list's items, a map's properties) against the
    /// schema's largest and smallest, named by `keywords`: for a bound it passes, the API
    /// server's message, made from the bound, at `path` and `line`.
    fn count_bounds(
        &mut self,
        count: u64,
        (max, min): (Option<u64>, Option<u64>),
        (max_keyword, min_keyword): (&str, &str),
        (too_many, too_few): (impl FnOnce(u64) -> String, impl FnOnce(u64) -> String),
        (path, schema_path, line): (&str, &str, u32),
    ) {
        if let Some(max) = max
            && count > max
        {
            let constraint = key(schema_path, max_keyword, &max.to_string());
            self.add(path, line, too_many(max), constraint);
        }
        if let Some(min) = min
            && count < min
        {
            let constraint = key(schema_path, min_keyword, &min.to_string());
            self.add(path, line, too_few(min), constraint);
        }
    }

    fn add(&mut self, path: &str, line: u32, message: String, constraint: String) {
        if self.rules.is_some() {
            return;
        }
        self.blocking |= matches!(
            constraint.split(' ').nth(1),
            Some("type" | "enum" | "maxLength" | "maxItems" | "maxProperties" | "required")
        );
        self.out.push(Violation {
            path: path.to_owned(),
            line,
            message,
            constraint,
        });
    }

    /// Checks `node` against `schema`; `path` is the field path as printed, `schema_path`
    /// the same with every index left out (`spec.listeners[]`). Returns the node as CEL sees
    /// it, built from its children's, so every node is converted once however many levels of
    /// rules read it.
    fn node(
        &mut self,
        schema: &Schema,
        node: &Node,
        path: &mut String,
        schema_path: &mut String,
        line: u32,
        root: bool,
    ) -> CelValue {
        let line = if line != 0 { line } else { node.line };
        if !self.type_ok(schema, node, path, schema_path, line) {
            return CelValue::Null;
        }
        self.scalar(schema, node, path, schema_path, line);
        if !schema.any_of.is_empty() && !schema.any_of.iter().any(|b| branch_ok(b, node)) {
            let message = format!(
                "{path}: Invalid value: {}: must validate at least one schema (anyOf)",
                shown(&node.value)
            );
            self.add(path, line, message, key(schema_path, "anyOf", ""));
        }
        let value = match &node.value {
            Value::Map(map) => self.object(schema, map, path, schema_path, line, root),
            Value::Seq(items) => self.array(schema, items, path, schema_path, line),
            _ if self.rules.is_some() => to_cel(node),
            _ => CelValue::Null,
        };
        if let Some(rules) = self.rules
            && !schema.rules.is_empty()
        {
            let violations = rules.evaluate(schema, node, &value, path, schema_path, line);
            self.out.extend(violations);
        }
        value
    }

    fn type_ok(
        &mut self,
        schema: &Schema,
        node: &Node,
        path: &str,
        schema_path: &str,
        line: u32,
    ) -> bool {
        let ok = match (&node.value, schema.types) {
            (Value::Null, _) => schema.nullable,
            (_, None) => true,
            (Value::Int(_), _) if schema.int_or_string => true,
            (Value::Str(_) | Value::Plain(_), _) if schema.int_or_string => true,
            (Value::Map(_), Some(Type::Object)) => true,
            (Value::Seq(_), Some(Type::Array)) => true,
            (Value::Str(_) | Value::Plain(_), Some(Type::String)) => true,
            (Value::Int(_), Some(Type::Integer | Type::Number)) => true,
            (Value::Float(_), Some(Type::Number)) => true,
            (Value::Bool(_), Some(Type::Boolean)) => true,
            _ => false,
        };
        if !ok {
            let got = json_type(&node.value);
            let want = schema.types.map_or("string", Type::name);
            let message = format!(
                "{path}: Invalid value: \"{got}\": {path} in body must be of type {want}: \"{got}\""
            );
            self.add(path, line, message, key(schema_path, "type", want));
        }
        ok
    }

    fn scalar(&mut self, schema: &Schema, node: &Node, path: &str, schema_path: &str, line: u32) {
        if !schema.enumeration.is_empty()
            && let Some(text) = scalar_text(&node.value)
            && !schema
                .enumeration
                .iter()
                .any(|(allowed, _)| *allowed == text)
        {
            let supported: Vec<&str> = schema.enumeration.iter().map(|(_, s)| s.as_str()).collect();
            let message = format!(
                "{path}: Unsupported value: {}: supported values: {}",
                shown(&node.value),
                supported.join(", ")
            );
            self.add(path, line, message, key(schema_path, "enum", ""));
        }
        let text = match &node.value {
            Value::Str(s) | Value::Plain(s) => s.as_str(),
            Value::Int(i) => {
                self.bounds(schema, *i as f64, &i.to_string(), path, schema_path, line);
                return;
            }
            Value::Float(f) => {
                if let Ok(n) = f.parse::<f64>() {
                    self.bounds(schema, n, f, path, schema_path, line);
                }
                return;
            }
            _ => return,
        };
        self.count_bounds(
            text.chars().count() as u64,
            (schema.max_length, schema.min_length),
            ("maxLength", "minLength"),
            (
                |max| format!("{path}: Too long: may not be more than {max} bytes"),
                |min| {
                    format!(
                        "{path}: Invalid value: {text:?}: {path} in body should be at least {min} chars long"
                    )
                },
            ),
            (path, schema_path, line),
        );
        if let Some((pattern, Some(regex))) = &schema.pattern
            && !regex.is_match(text)
        {
            let message =
                format!("{path}: Invalid value: {text:?}: {path} in body should match '{pattern}'");
            self.add(path, line, message, key(schema_path, "pattern", pattern));
        }
        if let Some(format) = &schema.format
            && !format_ok(format, text)
        {
            let message = format!(
                "{path}: Invalid value: {text:?}: {path} in body must be of type {format}: {text:?}"
            );
            self.add(path, line, message, key(schema_path, "format", format));
        }
    }

    fn bounds(
        &mut self,
        schema: &Schema,
        n: f64,
        text: &str,
        path: &str,
        schema_path: &str,
        line: u32,
    ) {
        if let Some(min) = schema.minimum
            && (n < min || (schema.exclusive_minimum && n == min))
        {
            let relation = if schema.exclusive_minimum {
                "greater than"
            } else {
                "greater than or equal to"
            };
            let message =
                format!("{path}: Invalid value: {text}: {path} in body should be {relation} {min}");
            self.add(
                path,
                line,
                message,
                key(schema_path, "minimum", &min.to_string()),
            );
        }
        if let Some(max) = schema.maximum
            && (n > max || (schema.exclusive_maximum && n == max))
        {
            let relation = if schema.exclusive_maximum {
                "less than"
            } else {
                "less than or equal to"
            };
            let message =
                format!("{path}: Invalid value: {text}: {path} in body should be {relation} {max}");
            self.add(
                path,
                line,
                message,
                key(schema_path, "maximum", &max.to_string()),
            );
        }
    }

    fn object(
        &mut self,
        schema: &Schema,
        map: &Map,
        path: &mut String,
        schema_path: &mut String,
        line: u32,
        root: bool,
    ) -> CelValue {
        let mut cel = HashMap::with_capacity(if self.rules.is_some() {
            map.entries.len()
        } else {
            0
        });
        for required in &schema.required {
            if map.get(required).is_none() {
                let at = join(path, required);
                let message = format!("{at}: Required value");
                self.add(&at, line, message, key(schema_path, "required", required));
            }
        }
        let count = map.entries.len() as u64;
        self.count_bounds(
            count,
            (schema.max_properties, schema.min_properties),
            ("maxProperties", "minProperties"),
            (
                |max| format!("{path}: Too many: {count}: must have at most {max} items"),
                |min| {
                    format!(
                        "{path}: Invalid value: {count}: {path} in body should have at least {min} properties"
                    )
                },
            ),
            (path, schema_path, line),
        );
        for entry in &map.entries {
            // ObjectMeta is checked by the API server's own code, not the CRD's schema, and
            // status is its own subresource: the API server drops it from a create or update.
            if root && (entry.key == "metadata" || entry.key == "status") {
                if self.rules.is_some() {
                    cel.insert(cel_key(&entry.key), to_cel(&entry.value));
                }
                continue;
            }
            let entry_line = if entry.key_line != 0 {
                entry.key_line
            } else {
                line
            };
            let (path_len, schema_len) = (path.len(), schema_path.len());
            if !path.is_empty() {
                path.push('.');
                schema_path.push('.');
            }
            path.push_str(&entry.key);
            match schema.property(&entry.key) {
                Some(child) => {
                    if schema.properties.iter().any(|(name, _)| *name == entry.key) {
                        schema_path.push_str(&entry.key);
                    } else {
                        schema_path.truncate(schema_len);
                        schema_path.push_str("[*]");
                    }
                    let value =
                        self.node(child, &entry.value, path, schema_path, entry_line, false);
                    if self.rules.is_some() {
                        cel.insert(cel_key(&entry.key), value);
                    }
                }
                None if schema.preserve_unknown => {
                    if self.rules.is_some() {
                        cel.insert(cel_key(&entry.key), to_cel(&entry.value));
                    }
                }
                None => {
                    let message = format!("unknown field \"{path}\"");
                    schema_path.push_str(&entry.key);
                    self.add(path, entry_line, message, key(schema_path, "unknown", ""));
                }
            }
            path.truncate(path_len);
            schema_path.truncate(schema_len);
        }
        if self.rules.is_none() {
            return CelValue::Null;
        }
        CelValue::Map(cel.into())
    }

    fn array(
        &mut self,
        schema: &Schema,
        items: &[Node],
        path: &mut String,
        schema_path: &mut String,
        line: u32,
    ) -> CelValue {
        let count = items.len() as u64;
        self.count_bounds(
            count,
            (schema.max_items, schema.min_items),
            ("maxItems", "minItems"),
            (
                |max| format!("{path}: Too many: {count}: must have at most {max} items"),
                |min| {
                    format!(
                        "{path}: Invalid value: {count}: {path} in body should have at least {min} items"
                    )
                },
            ),
            (path, schema_path, line),
        );
        self.unique(schema, items, path, schema_path);
        let Some(child) = &schema.items else {
            if self.rules.is_none() {
                return CelValue::Null;
            }
            return CelValue::List(Arc::new(items.iter().map(to_cel).collect()));
        };
        let (path_len, schema_len) = (path.len(), schema_path.len());
        schema_path.push_str("[]");
        let mut cel = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let _ = write!(path, "[{index}]");
            let item_line = if item.line != 0 { item.line } else { line };
            let value = self.node(child, item, path, schema_path, item_line, false);
            if self.rules.is_some() {
                cel.push(value);
            }
            path.truncate(path_len);
        }
        schema_path.truncate(schema_len);
        if self.rules.is_none() {
            return CelValue::Null;
        }
        CelValue::List(Arc::new(cel))
    }

    /// `x-kubernetes-list-type: set` (no two items equal) and `map` (no two items with the
    /// same values of the key fields).
    fn unique(&mut self, schema: &Schema, items: &[Node], path: &str, schema_path: &str) {
        let mut seen: Vec<String> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let identity = match &schema.list_type {
                ListType::Atomic => return,
                ListType::Set => canonical(&item.value),
                ListType::Map(keys) => {
                    let Some(map) = item.as_map() else { continue };
                    let mut shown_keys = String::from("map[string]interface {}{");
                    for (i, k) in keys.iter().enumerate() {
                        if i > 0 {
                            shown_keys.push_str(", ");
                        }
                        let value = map
                            .get_value(k)
                            .map_or("<nil>".to_owned(), |n| canonical(&n.value));
                        let _ = write!(shown_keys, "{k:?}:{value}");
                    }
                    shown_keys.push('}');
                    shown_keys
                }
            };
            if seen.contains(&identity) {
                let at = format!("{path}[{index}]");
                let message = format!("{at}: Duplicate value: {identity}");
                let what = match schema.list_type {
                    ListType::Set => "list-set",
                    _ => "list-map",
                };
                self.add(&at, item.line, message, key(schema_path, what, ""));
            } else {
                seen.push(identity);
            }
        }
    }
}

fn cel_key(key: &str) -> CelKey {
    CelKey::String(Arc::new(key.to_owned()))
}

/// A value written out in full, for comparing list items.
fn canonical(value: &Value) -> String {
    match value {
        Value::Seq(items) => {
            let inner: Vec<String> = items.iter().map(|n| canonical(&n.value)).collect();
            format!("[{}]", inner.join(","))
        }
        Value::Map(map) => {
            let mut inner: Vec<String> = map
                .entries
                .iter()
                .map(|e| format!("{:?}:{}", e.key.as_str(), canonical(&e.value.value)))
                .collect();
            inner.sort();
            format!("{{{}}}", inner.join(","))
        }
        other => shown(other),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) => "integer",
        Value::Float(_) => "number",
        Value::Str(_) | Value::Plain(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) | Value::Tagged(_) => "object",
    }
}

/// Whether `node` meets an `anyOf` branch's own constraints (the branches in the pinned CRDs
/// only carry `format`, `pattern` and `type`).
fn branch_ok(branch: &Schema, node: &Node) -> bool {
    let mut walk = Walk::new(None);
    let mut path = String::new();
    let mut schema_path = String::new();
    if walk.type_ok(branch, node, &path, &schema_path, 0) {
        walk.scalar(branch, node, &path, &schema_path, 0);
    }
    path.clear();
    schema_path.clear();
    walk.out.is_empty()
}

/// The formats Kubernetes checks of those the pinned CRDs use (kube-openapi's strfmt
/// registry): an IPv4 or IPv6 address. `int32`, `int64` and `date-time` (status only) pass.
fn format_ok(format: &str, text: &str) -> bool {
    match format {
        "ipv4" => text.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::{Limits, parse_documents};

    fn node(yaml: &str) -> Node {
        let (documents, error) = parse_documents(yaml, &Limits::default());
        assert!(error.is_none(), "{error:?}");
        documents
            .into_iter()
            .find_map(|d| d.root)
            .unwrap_or_else(|| Node::new(Value::Null))
    }

    const SCHEMA: &str = r#"
type: object
properties:
  spec:
    type: object
    required: [name]
    properties:
      name: {type: string, minLength: 1, maxLength: 5, pattern: '^[a-z]+$'}
      mode: {type: string, enum: [A, B], default: A}
      port: {type: integer, format: int32, minimum: 1, maximum: 65535}
      address: {type: string, format: ipv4}
      hosts:
        type: array
        maxItems: 2
        items: {type: string}
        x-kubernetes-list-type: set
      listeners:
        type: array
        minItems: 1
        items:
          type: object
          properties:
            name: {type: string}
            port: {type: integer}
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        x-kubernetes-validations:
        - message: ports must be unique
          rule: self.all(l1, self.exists_one(l2, l1.port == l2.port))
      note: {type: string, nullable: true}
    x-kubernetes-validations:
    - message: mode B needs a port
      rule: "self.mode == 'B' ? has(self.port) : true"
    - rule: self.name != 'bad'
    - messageExpression: "'name ' + self.name + ' is reserved'"
      rule: self.name != 'kube'
    - rule: self.name == oldSelf.name
"#;

    fn messages(object: &str) -> Vec<String> {
        let schema = Schema::compile(&node(SCHEMA));
        validate_object(&schema, &node(object))
            .into_iter()
            .map(|v| format!("{}: {}", v.line, v.message))
            .collect()
    }

    #[test]
    fn a_valid_object_passes_after_defaults() {
        assert_eq!(
            messages(
                "spec:\n  name: web\n  port: 80\n  listeners: [{name: a, port: 1}]\n  note: null\n"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn structural_checks_give_the_api_servers_messages_at_the_fields_line() {
        let found = messages(
            "spec:\n  name: Web-Too-Long\n  mode: C\n  port: 0\n  address: 300.1.1.1\n  hosts: [a, a, b]\n  listeners: []\n  extra: 1\n",
        );
        assert_eq!(
            found,
            [
                "2: spec.name: Too long: may not be more than 5 bytes",
                "2: spec.name: Invalid value: \"Web-Too-Long\": spec.name in body should match '^[a-z]+$'",
                "3: spec.mode: Unsupported value: \"C\": supported values: \"A\", \"B\"",
                "4: spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1",
                "5: spec.address: Invalid value: \"300.1.1.1\": spec.address in body must be of type ipv4: \"300.1.1.1\"",
                "6: spec.hosts: Too many: 3: must have at most 2 items",
                "6: spec.hosts[1]: Duplicate value: \"a\"",
                "7: spec.listeners: Invalid value: 0: spec.listeners in body should have at least 1 items",
                "8: unknown field \"spec.extra\"",
                "1: <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ]
        );
    }

    #[test]
    fn required_types_and_list_map_keys_block_the_rules() {
        let found = messages(
            "spec:\n  port: '80'\n  listeners:\n  - {name: a, port: 1}\n  - {name: a, port: 2}\n",
        );
        assert_eq!(
            found,
            [
                "1: spec.name: Required value",
                "2: spec.port: Invalid value: \"string\": spec.port in body must be of type integer: \"string\"",
                "5: spec.listeners[1]: Duplicate value: map[string]interface {}{\"name\":\"a\"}",
                "1: <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ]
        );
    }

    #[test]
    fn rules_run_on_defaulted_values_with_their_messages() {
        let found = messages(
            "spec:\n  name: kube\n  mode: B\n  listeners: [{name: a, port: 1}, {name: b, port: 1}]\n",
        );
        assert_eq!(
            found,
            [
                "4: spec.listeners: Invalid value: \"array\": ports must be unique",
                "1: spec: Invalid value: \"object\": mode B needs a port",
                "1: spec: Invalid value: \"object\": name kube is reserved",
            ]
        );
        let found = messages("spec:\n  name: bad\n  listeners: [{name: a, port: 1}]\n");
        assert_eq!(
            found,
            ["1: spec: Invalid value: \"object\": failed rule: self.name != 'bad'"]
        );
    }

    #[test]
    fn transition_rules_are_skipped_and_not_counted() {
        let schema = Schema::compile(&node(SCHEMA));
        let mut keys = Vec::new();
        constraints(&schema, "", &mut keys);
        assert!(keys.iter().all(|(_, k)| !k.contains("oldSelf")), "{keys:?}");
        assert!(
            keys.iter()
                .any(|(p, k)| p == "spec.listeners" && k.contains("rule"))
        );
    }
}
