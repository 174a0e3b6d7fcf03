//! `x-kubernetes-validations` rules: compiled once with the `cel` crate when their CRD is
//! loaded, evaluated with `self` bound to the node they are declared on.
//!
//! What the API server prints for a failed rule follows k8s.io/apiextensions-apiserver
//! `pkg/apiserver/schema/cel/validation.go`: the rule's message (or `messageExpression`'s
//! result, or `failed rule: <rule>` without either) as an `Invalid value: "<type>"` error at
//! the node's path plus the rule's `fieldPath`, its `reason` choosing the error type.
//! Transition rules (those reading `oldSelf`) need the stored object and are skipped.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use cel::objects::Key as CelKey;
use cel::{Context, Env, Program, Value as CelValue};

use super::Violation;
use super::library;
use super::schema::Schema;
use crate::source::tree::{Node, Value};

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub text: String,
    pub message: Option<String>,
    pub message_expression: Option<Program>,
    pub reason: Option<String>,
    pub field_path: Option<String>,
    pub transition: bool,
    program: Result<Program, String>,
}

/// The CEL environment rules compile and run in: the standard library with its macros, the
/// strings extension (`split`, ...) and the Kubernetes functions of [`library`].
fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // Registering on a fresh stdlib environment cannot clash; a failure would only leave
        // `split` undeclared, and the rules using it uncompiled (listed by the coverage test).
        let _ = cel::extensions::strings(&mut env);
        Arc::new(env)
    })
    .clone()
}

impl Rule {
    /// Compiles one `x-kubernetes-validations` entry; `None` for an entry without a rule.
    pub fn compile(node: &Node) -> Option<Rule> {
        let map = node.as_map()?;
        let text = map.get_value("rule")?.value.as_str()?.to_owned();
        let string = |key: &str| {
            map.get_value(key)
                .and_then(|n| n.value.as_str())
                .map(str::to_owned)
        };
        let transition = mentions(&text, "oldSelf")
            || matches!(
                map.get_value("optionalOldSelf").map(|n| &n.value),
                Some(Value::Bool(true))
            );
        let program = if transition {
            Err("transition rule".to_owned())
        } else {
            env()
                .compile(&text)
                .map_err(|e| e.to_string())
                .and_then(|program| match undeclared(&program) {
                    Some(name) => Err(format!("uses `{name}`, which lsc does not declare")),
                    None => Ok(program),
                })
        };
        Some(Rule {
            message: string("message"),
            message_expression: string("messageExpression").and_then(|m| env().compile(&m).ok()),
            reason: string("reason"),
            field_path: string("fieldPath"),
            transition,
            program,
            text,
        })
    }

    /// Why the rule did not compile; `None` for a compiled or a transition rule.
    pub fn compile_error(&self) -> Option<String> {
        match &self.program {
            Err(error) if !self.transition => Some(error.clone()),
            _ => None,
        }
    }

    /// The detail the API server gives when the rule fails.
    fn detail(&self, context: &Context) -> String {
        if let Some(expression) = &self.message_expression
            && let Ok(CelValue::String(message)) = expression.execute(context)
            && !message.trim().is_empty()
        {
            return message.trim().to_owned();
        }
        match &self.message {
            Some(message) if !message.trim().is_empty() => message.trim().to_owned(),
            _ => format!("failed rule: {}", self.text.trim()),
        }
    }
}

/// The Kubernetes CEL libraries a rule may name that lsc's environment lacks: the `format`
/// library (`format.dns1123Label().validate(...)`, k8s.io/apiserver `pkg/cel/library/format.go`).
/// A rule naming one would fail on every object, so it is treated as not compiled.
fn undeclared(program: &Program) -> Option<&'static str> {
    ["format"]
        .into_iter()
        .find(|name| program.references().has_variable(name))
}

/// Whether `text` uses the identifier `word` (not as part of a longer one).
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(at + word.len()..).and_then(|s| s.chars().next());
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// The root CEL context of one validation, with the Kubernetes functions bound.
pub struct RuleContext {
    context: Option<Context<'static, 'static>>,
}

impl RuleContext {
    pub fn new() -> RuleContext {
        let mut context = Context::with_env(env());
        library::register(&mut context);
        RuleContext {
            context: Some(context),
        }
    }

    /// Evaluates the rules of `schema` on `node`.
    pub fn evaluate(
        &self,
        schema: &Schema,
        node: &Node,
        value: &CelValue,
        path: &str,
        schema_path: &str,
        line: u32,
    ) -> Vec<Violation> {
        let Some(root) = &self.context else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Binding `self` converts the value into the interpreter's own form: once per node,
        // for all of its rules.
        let mut context = root.new_inner_scope();
        context.add_variable_from_value("self", value.clone());
        for rule in &schema.rules {
            let Ok(program) = &rule.program else { continue };
            let detail = match program.execute(&context) {
                Ok(CelValue::Bool(true)) => continue,
                Ok(CelValue::Bool(false)) => rule.detail(&context),
                Ok(other) => format!(
                    "rule did not evaluate to a boolean ({other:?}) evaluating rule: {}",
                    rule.text.trim()
                ),
                // cel-go's errors start lowercase (`no such key: options`).
                Err(error) => format!(
                    "{} evaluating rule: {}",
                    lowercase_first(&error.to_string()),
                    rule.text.trim()
                ),
            };
            let at = match &rule.field_path {
                Some(field_path) => format!("{path}{field_path}"),
                None => path.to_owned(),
            };
            let type_name = type_name(schema, node);
            let message = match rule.reason.as_deref() {
                Some("FieldValueForbidden") => format!("{at}: Forbidden: {detail}"),
                Some("FieldValueRequired") => format!("{at}: Required value: {detail}"),
                Some("FieldValueDuplicate") => format!("{at}: Duplicate value: \"{type_name}\""),
                _ => format!("{at}: Invalid value: \"{type_name}\": {detail}"),
            };
            out.push(Violation {
                path: at,
                line,
                message,
                constraint: format!("{schema_path} rule {}", rule.text),
            });
        }
        out
    }
}

fn type_name(schema: &Schema, node: &Node) -> &'static str {
    match schema.types {
        Some(t) => t.name(),
        None => match node.value {
            Value::Int(_) => "integer",
            _ => "string",
        },
    }
}

/// A tree node as CEL sees it: mappings become maps with string keys, sequences lists.
pub fn to_cel(node: &Node) -> CelValue {
    match &node.value {
        Value::Null | Value::Tagged(_) => CelValue::Null,
        Value::Bool(b) => CelValue::Bool(*b),
        Value::Int(i) => CelValue::Int(*i),
        Value::Float(f) => CelValue::Float(f.parse().unwrap_or(f64::NAN)),
        Value::Str(s) | Value::Plain(s) => CelValue::String(Arc::new(s.clone())),
        Value::Seq(items) => CelValue::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Map(map) => {
            let entries: HashMap<CelKey, CelValue> = map
                .entries
                .iter()
                .map(|e| {
                    (
                        CelKey::String(Arc::new(e.key.to_string())),
                        to_cel(&e.value),
                    )
                })
                .collect();
            CelValue::Map(entries.into())
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
