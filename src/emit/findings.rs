//! `lsc check` findings as text for people (with the source line), JSON, GitHub workflow
//! commands and SARIF 2.1.0.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::check::{Finding, rules};
use crate::diag::Severity;

/// The output formats of `lsc check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingFormat {
    Human { color: bool },
    Json,
    Github,
    Sarif,
}

pub fn render(
    format: FindingFormat,
    findings: &[Finding],
    sources: &[(Arc<str>, String)],
) -> String {
    match format {
        FindingFormat::Human { color } => human(findings, sources, color),
        FindingFormat::Json => json(findings),
        FindingFormat::Github => github(findings),
        FindingFormat::Sarif => sarif(findings),
    }
}

/// `Kind ns/name: ` when the finding names an object.
fn object_prefix(d: &crate::diag::Diagnostic) -> String {
    d.object
        .as_ref()
        .map(|o| format!("{o}: "))
        .unwrap_or_default()
}

fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |s: Severity| findings.iter().filter(|f| f.severity() == s).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `error[LSC101]: ListenerSet a/b: message`, the source line with a caret under its first
/// character, and where to read more.
fn human(findings: &[Finding], sources: &[(Arc<str>, String)], color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let texts: std::collections::HashMap<&str, &str> = sources
        .iter()
        .map(|(name, text)| (&**name, text.as_str()))
        .collect();
    let mut out = String::new();
    for f in findings {
        let d = &f.diagnostic;
        let (label, style) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Note => ("note", "1;36"),
        };
        let object = object_prefix(d);
        let _ = writeln!(
            out,
            "{}{} {object}{}",
            paint(style, &format!("{label}[{}]", f.code)),
            paint("1", ":"),
            d.message
        );
        if let Some(loc) = &d.location {
            let line_text = texts
                .get(&*loc.file)
                .and_then(|text| text.lines().nth((loc.line as usize).checked_sub(1)?));
            let place = if loc.line > 0 {
                format!("{}:{}", loc.file, loc.line)
            } else {
                loc.file.to_string()
            };
            let document = if loc.document > 0 {
                format!(" (document {})", loc.document)
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {} {place}{document}", paint("1;34", "-->"));
            if let Some(text) = line_text.filter(|_| loc.line > 0) {
                let number = loc.line.to_string();
                let gutter = " ".repeat(number.len());
                let indent = text.len() - text.trim_start().len();
                let width = text.trim().chars().count().max(1);
                let _ = writeln!(out, "{gutter} {}", paint("1;34", "|"));
                let _ = writeln!(
                    out,
                    "{} {} {text}",
                    paint("1;34", &number),
                    paint("1;34", "|")
                );
                let _ = writeln!(
                    out,
                    "{gutter} {} {}{}",
                    paint("1;34", "|"),
                    " ".repeat(indent),
                    paint(style, &"^".repeat(width))
                );
            }
        }
        let _ = writeln!(out, "  = help: `lsc explain {}`", f.code);
    }
    let (errors, warnings, notes) = counts(findings);
    let _ = writeln!(
        out,
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note")
    );
    out
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// One JSON array; every finding has the same fields (`null` where unknown).
fn json(findings: &[Finding]) -> String {
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            serde_json::json!({
                "code": f.code,
                "severity": severity_name(d.severity),
                "message": d.message,
                "file": d.location.as_ref().map(|l| l.file.to_string()),
                "line": d.location.as_ref().filter(|l| l.line > 0).map(|l| l.line),
                "document": d.location.as_ref().filter(|l| l.document > 0).map(|l| l.document),
                "object": d.object.as_ref().map(|o| serde_json::json!({
                    "kind": o.kind,
                    "namespace": o.namespace,
                    "name": o.name,
                })),
            })
        })
        .collect();
    let mut out =
        serde_json::to_string_pretty(&serde_json::Value::Array(items)).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub's workflow command escaping: data escapes `%`, CR and LF; properties also `:` and `,`.
fn github_escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// `::error file=…,line=…,title=LSC101::message`, one line per finding.
fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let d = &f.diagnostic;
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(loc) = &d.location {
            properties.push(format!("file={}", github_escape(&loc.file, true)));
            if loc.line > 0 {
                properties.push(format!("line={}", loc.line));
            }
        }
        let title =
            rules::rule(f.code).map_or(f.code.to_string(), |r| format!("{} {}", f.code, r.title));
        properties.push(format!("title={}", github_escape(&title, true)));
        let object = object_prefix(d);
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            github_escape(&format!("{object}{}", d.message), false)
        );
    }
    out
}

/// A SARIF 2.1.0 log with one run: every rule in `tool.driver.rules`, one result per finding.
fn sarif(findings: &[Finding]) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let rules_json: Vec<serde_json::Value> = rules::RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.code,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.help},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            let object = object_prefix(d);
            let mut result = serde_json::json!({
                "ruleId": f.code,
                "level": level(d.severity),
                "message": {"text": format!("{object}{}", d.message)},
            });
            if let (Some(index), Some(map)) = (
                rules::RULES.iter().position(|r| r.code == f.code),
                result.as_object_mut(),
            ) {
                map.insert("ruleIndex".to_string(), serde_json::json!(index));
            }
            if let (Some(loc), Some(map)) = (&d.location, result.as_object_mut()) {
                let mut physical = serde_json::json!({
                    "artifactLocation": {"uri": crate::diag::name_uri(&loc.file)},
                });
                if let (true, Some(p)) = (loc.line > 0, physical.as_object_mut()) {
                    p.insert(
                        "region".to_string(),
                        serde_json::json!({"startLine": loc.line}),
                    );
                }
                map.insert(
                    "locations".to_string(),
                    serde_json::json!([{"physicalLocation": physical}]),
                );
            }
            result
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lsc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules_json,
            }},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
