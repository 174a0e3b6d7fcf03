//! Diagnostics: located errors, warnings and notes, in the one format every subcommand prints.

use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// Where something came from: the input as named on the command line, the 1-based document
/// number within it, and a 1-based line (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub document: usize,
    pub line: u32,
}

impl Location {
    pub fn at_line(&self, line: u32) -> Location {
        Location {
            file: self.file.clone(),
            document: self.document,
            line: if line == 0 { self.line } else { line },
        }
    }
}

/// `Kind namespace/name`, how messages name an object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub object: Option<ObjectRef>,
    pub message: String,
    /// More lines of the same document the message is about (both of two contradicting
    /// annotations), shown under the first in `lsc check`'s human format.
    pub also_lines: Vec<u32>,
}

impl Diagnostic {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            object: None,
            message: message.into(),
            also_lines: Vec::new(),
        }
    }

    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(None, message)
        }
    }

    pub fn about(mut self, object: &ObjectRef) -> Self {
        self.object = Some(object.clone());
        self
    }

    pub fn also_at(mut self, lines: &[u32]) -> Self {
        self.also_lines = lines.to_vec();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `error: apps/web.yaml:12: document 2: Ingress team-a/web: message`
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity)?;
        if let Some(loc) = &self.location {
            if loc.line > 0 {
                write!(f, "{}:{}: ", loc.file, loc.line)?;
            } else {
                write!(f, "{}: ", loc.file)?;
            }
            if loc.document > 0 {
                write!(f, "document {}: ", loc.document)?;
            }
        }
        if let Some(object) = &self.object {
            write!(f, "{object}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// True when any is an error; then the notes go, since they describe output that is not
/// written.
pub fn failed(diagnostics: &mut Vec<Diagnostic>) -> bool {
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if failed {
        diagnostics.retain(|d| d.severity != Severity::Note);
    }
    failed
}

/// Sorts diagnostics by place: inputs in the order given (`inputs`), then document and line,
/// unlocated ones last, keeping the order of equal places, so output never depends on the
/// order in which work was done.
pub fn sort(diagnostics: &mut [Diagnostic], inputs: &[Arc<str>]) {
    sort_by_place(diagnostics, inputs, |d| d);
}

/// [`sort`] for anything that carries a diagnostic.
pub fn sort_by_place<T>(
    items: &mut [T],
    inputs: &[Arc<str>],
    diagnostic: impl Fn(&T) -> &Diagnostic,
) {
    let position: foldhash::HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, f)| (&**f, i))
        .rev()
        .collect();
    items.sort_by_key(|item| match &diagnostic(item).location {
        None => (1, usize::MAX, 0, 0),
        Some(l) => (
            0,
            position.get(&*l.file).copied().unwrap_or(usize::MAX),
            l.document,
            l.line,
        ),
    });
}
