//! `lsc check` findings as text for people (with the source line), JSON, GitHub workflow
//! commands and SARIF 2.1.0.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Component, Path};
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};

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
    let cwd = std::env::current_dir().ok();
    match format {
        FindingFormat::Human { color } => human(findings, sources, color),
        FindingFormat::Json => json(findings),
        FindingFormat::Github => github(findings, cwd.as_deref()),
        FindingFormat::Sarif => sarif(findings, cwd.as_deref()),
    }
}

/// A file as CI tools name it: relative to the working directory `cwd` when under it,
/// without `./` or `.` steps, components joined by `/` on every platform. GitHub matches
/// annotations to the pull request's files only in this form (`./team-a/x.yaml` matches
/// nothing). An absolute path outside `cwd` stays absolute; `..` steps stay.
fn workspace_path<'f>(file: &'f str, cwd: Option<&Path>) -> Cow<'f, str> {
    let path = Path::new(file);
    let relative = cwd
        .filter(|_| path.is_absolute())
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let mut out = String::with_capacity(file.len());
    for component in relative.components() {
        let part: Cow<'_, str> = match component {
            Component::CurDir => continue,
            Component::ParentDir => Cow::Borrowed(".."),
            Component::Normal(name) => name.to_string_lossy(),
            // `C:` (Windows): the path is absolute.
            Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy(),
            Component::RootDir => {
                out.push('/');
                continue;
            }
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    if out == file {
        Cow::Borrowed(file)
    } else if out.is_empty() {
        Cow::Borrowed(".")
    } else {
        Cow::Owned(out)
    }
}

/// What a SARIF URI path keeps unencoded: RFC 3986's unreserved characters, sub-delimiters,
/// `@` and `/`. `:` is encoded, or a relative path `a:b.yaml` would read as scheme `a`.
const URI_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@')
    .remove(b'/');

/// A finding's file as a SARIF `artifactLocation.uri`, an RFC 3986 URI reference: the
/// [`workspace_path`], its bytes ([`crate::diag::unescape_name`]: a name is escaped for
/// people) percent-encoded (spaces, `#`, `%`, non-ASCII, bytes that are not UTF-8), a
/// `file://` URI when absolute; stdin is the relative reference `%3Cstdin%3E`, its name
/// encoded like any other.
fn artifact_uri(file: &str, cwd: Option<&Path>) -> String {
    let path = workspace_path(file, cwd);
    let bytes = crate::diag::unescape_name(&path);
    let encoded = percent_encode(&bytes, URI_PATH).to_string();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else if Path::new(&*path).is_absolute() {
        // Windows: `C%3A/x.yaml` is `file:///C:/x.yaml`.
        format!("file:///{}", encoded.replacen("%3A", ":", 1))
    } else {
        encoded
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

/// Most characters of a source line shown under a finding; a longer line (a one-line JSON
/// `List` holds a whole cluster) is cut with an ellipsis, so each finding prints a bounded
/// number of bytes whatever the line's length.
const SHOWN_CHARS: usize = 120;

/// Most characters of indentation shown before a line's content; deeper indentation is
/// shown as an ellipsis.
const SHOWN_INDENT: usize = 40;

/// The lines findings point at, `(file, line)` to the line's text, found in one pass over
/// each file up to its last such line (looking each up from the file's start made the human
/// format quadratic: 200,000 findings took 425 s).
fn source_lines<'t>(
    findings: &[Finding],
    sources: &'t [(Arc<str>, String)],
) -> foldhash::HashMap<(&'t str, u32), &'t str> {
    let mut wanted: foldhash::HashMap<&str, Vec<u32>> = foldhash::HashMap::default();
    for (loc, also) in findings.iter().filter_map(|f| {
        let d = &f.diagnostic;
        Some((d.location.as_ref()?, &d.also_lines))
    }) {
        if loc.line > 0 {
            let lines = wanted.entry(&*loc.file).or_default();
            lines.push(loc.line);
            lines.extend(also.iter().filter(|&&l| l > 0));
        }
    }
    let mut found = foldhash::HashMap::default();
    for (name, text) in sources {
        let Some(lines) = wanted.get_mut(&**name) else {
            continue;
        };
        lines.sort_unstable();
        lines.dedup();
        for (number, line) in lines_at(text, lines) {
            found.insert((&**name, number), line);
        }
    }
    found
}

/// The lines of `text` numbered `wanted` (ascending, 1-based) as `str::lines` gives them
/// (without the line break, a CR before it dropped), in one pass up to the last.
fn lines_at<'t>(text: &'t str, wanted: &[u32]) -> Vec<(u32, &'t str)> {
    let mut found = Vec::with_capacity(wanted.len());
    let mut wanted = wanted.iter().copied().peekable();
    let mut start = 0;
    let mut number: u32 = 1;
    while let Some(&next) = wanted.peek() {
        // As `str::lines`: no line after a final line break.
        if start >= text.len() {
            break;
        }
        let rest = text.as_bytes().get(start..).unwrap_or_default();
        let (end, broken) =
            memchr::memchr(b'\n', rest).map_or((text.len(), false), |at| (start + at, true));
        if number == next {
            let line = text.get(start..end).unwrap_or_default();
            let line = if broken {
                line.strip_suffix('\r').unwrap_or(line)
            } else {
                line
            };
            found.push((number, line));
            wanted.next();
        }
        start = end + 1;
        number = number.saturating_add(1);
    }
    found
}

/// A source line as shown under a finding: its indentation (an ellipsis when deep) and the
/// first [`SHOWN_CHARS`] characters of its content (an ellipsis when there are more), with
/// the width of the shown indentation and the number of content characters shown.
fn shown_line(text: &str) -> (String, usize, usize) {
    let rest = text.trim_start();
    let indent = text.len() - rest.len();
    let content = rest.trim_end();
    let (mut shown, indent_width) = if indent > SHOWN_INDENT {
        ("… ".to_string(), 2)
    } else {
        (text.get(..indent).unwrap_or_default().to_string(), indent)
    };
    match content.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => {
            shown.push_str(content.get(..cut).unwrap_or_default());
            shown.push_str(" …");
            (shown, indent_width, SHOWN_CHARS)
        }
        None => {
            shown.push_str(rest);
            (shown, indent_width, content.chars().count())
        }
    }
}

/// `error[LSC101]: ListenerSet a/b: message`, the source line with a caret under its first
/// characters, and where to read more. Findings carry a line, not a column: a long line is
/// shown from its content's start.
fn human(findings: &[Finding], sources: &[(Arc<str>, String)], color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let lines = source_lines(findings, sources);
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
            let line_text = lines.get(&(&*loc.file, loc.line));
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
            let shown: Vec<(u32, &str)> = std::iter::once(loc.line)
                .chain(d.also_lines.iter().copied())
                .filter(|&line| line > 0)
                .filter_map(|line| Some((line, *lines.get(&(&*loc.file, line))?)))
                .collect();
            // The first line is the finding's own: without it, nothing is shown.
            if line_text.is_some() && loc.line > 0 {
                let widest = shown.iter().map(|(n, _)| n.to_string().len()).max();
                let gutter = " ".repeat(widest.unwrap_or(1));
                let _ = writeln!(out, "{gutter} {}", paint("1;34", "|"));
                for (number, text) in shown {
                    let (text, indent, width) = shown_line(text);
                    let width = width.max(1);
                    let _ = writeln!(
                        out,
                        "{} {} {text}",
                        paint(
                            "1;34",
                            &format!("{number:>gutter_width$}", gutter_width = gutter.len())
                        ),
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
/// The file is its [`workspace_path`].
fn github(findings: &[Finding], cwd: Option<&Path>) -> String {
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
            let file = workspace_path(&loc.file, cwd);
            properties.push(format!("file={}", github_escape(&file, true)));
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
fn sarif(findings: &[Finding], cwd: Option<&Path>) -> String {
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
                    "artifactLocation": {"uri": artifact_uri(&loc.file, cwd)},
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass lookup finds what `str::lines().nth` finds, line by line.
        #[test]
        fn lines_at_is_lines_nth(
            text in "[ab\r\n]{0,24}",
            mut wanted in proptest::collection::vec(1_u32..12, 0..6),
        ) {
            wanted.sort_unstable();
            wanted.dedup();
            let expected: Vec<(u32, &str)> = wanted
                .iter()
                .filter_map(|&n| Some((n, text.lines().nth(n as usize - 1)?)))
                .collect();
            prop_assert_eq!(lines_at(&text, &wanted), expected);
        }
    }

    #[test]
    fn workspace_paths_are_relative_without_dot_steps() {
        let cwd = Path::new("/repo");
        for (file, expected) in [
            ("./team-a/x.yaml", "team-a/x.yaml"),
            ("././team-a/./x.yaml", "team-a/x.yaml"),
            ("team-a//x.yaml", "team-a/x.yaml"),
            ("/repo/team-a/x.yaml", "team-a/x.yaml"),
            ("/elsewhere/x.yaml", "/elsewhere/x.yaml"),
            ("../x.yaml", "../x.yaml"),
            ("<stdin>", "<stdin>"),
        ] {
            assert_eq!(workspace_path(file, Some(cwd)), expected, "{file}");
        }
    }

    #[test]
    fn artifact_uris_are_encoded() {
        let cwd = Path::new("/repo");
        for (file, expected) in [
            ("./team a/x#1.yaml", "team%20a/x%231.yaml"),
            ("a:b/100%.yaml", "a%3Ab/100%25.yaml"),
            ("équipe/x.yaml", "%C3%A9quipe/x.yaml"),
            ("/elsewhere/x y.yaml", "file:///elsewhere/x%20y.yaml"),
            ("<stdin>", "%3Cstdin%3E"),
            // An escaped name is encoded as the bytes it stands for.
            ("a b/\\xff\\n%.yaml", "a%20b/%FF%0A%25.yaml"),
        ] {
            assert_eq!(artifact_uri(file, Some(cwd)), expected, "{file}");
        }
    }

    #[test]
    fn a_long_line_is_shown_cut_with_an_ellipsis() {
        let short = "  name: web  ";
        assert_eq!(shown_line(short), (short.to_string(), 2, 9));
        let long = format!("    {}", "é".repeat(500));
        let (shown, indent, width) = shown_line(&long);
        assert_eq!(shown, format!("    {} …", "é".repeat(SHOWN_CHARS)));
        assert_eq!((indent, width), (4, SHOWN_CHARS));
        let deep = format!("{}key: value", " ".repeat(1000));
        assert_eq!(shown_line(&deep), ("… key: value".to_string(), 2, 10));
    }
}
