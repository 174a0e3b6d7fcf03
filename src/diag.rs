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

/// True when any is an error; then the notes about the output go, since it is not written.
/// A note with a place (a Helm chart skipped) is about an input, and stays.
pub fn failed(diagnostics: &mut Vec<Diagnostic>) -> bool {
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if failed {
        diagnostics.retain(|d| d.severity != Severity::Note || d.location.is_some());
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

/// A file name as every output format prints it: printable text as it is, and what could
/// forge a line of output or reach a terminal as a command escaped, as `ls -b` and ripgrep
/// do: a backslash as `\\` (on Unix, where it is no separator), `\n`, `\r`, `\t`, other
/// ASCII control characters and DEL as `\xNN`, other characters that print nothing (C1
/// controls, bidirectional overrides, line and paragraph separators) as `\u{NNNN}`, and bytes
/// that are not UTF-8 as `\xNN` (80 to FF, which a character never escapes to). The escape is
/// reversible ([`unescape_name`]), so JSON output keeps the name's bytes.
pub fn escape_name(bytes: &[u8]) -> String {
    let plain = |b: &u8| (0x20..0x7f).contains(b) && (*b != b'\\' || !cfg!(unix));
    if bytes.iter().all(plain) {
        // Nearly every name: printable ASCII.
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' if cfg!(unix) => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_ascii_control() => {
                    out.push_str(&format!("\\x{:02x}", u32::from(c)));
                }
                c if prints_nothing(c) => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Characters a terminal does not show as themselves: C1 controls, the line and paragraph
/// separators, zero-width and bidirectional formatting characters (which can reorder what a
/// line appears to say).
fn prints_nothing(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// A path's name for diagnostics, escaped by [`escape_name`].
pub fn path_name(path: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        escape_name(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        escape_name(path.to_string_lossy().as_bytes())
    }
}

/// The bytes of a name [`escape_name`] escaped (a name it did not write comes back as it is,
/// an unknown escape kept as written).
pub fn unescape_name(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(rest.get(..at).unwrap_or_default().as_bytes());
        let escape = rest.get(at..).unwrap_or_default();
        let (bytes, used): (Vec<u8>, usize) = match escape.as_bytes().get(1) {
            Some(b'\\') => (vec![b'\\'], 2),
            Some(b'n') => (vec![b'\n'], 2),
            Some(b'r') => (vec![b'\r'], 2),
            Some(b't') => (vec![b'\t'], 2),
            Some(b'x') => match escape.get(2..4).map(|h| u8::from_str_radix(h, 16)) {
                Some(Ok(b)) => (vec![b], 4),
                _ => (vec![b'\\'], 1),
            },
            Some(b'u') => {
                let code = escape
                    .get(3..)
                    .filter(|_| escape.get(2..3) == Some("{"))
                    .and_then(|s| s.split_once('}'))
                    .and_then(|(hex, _)| Some((u32::from_str_radix(hex, 16).ok()?, hex.len())));
                match code.and_then(|(n, len)| Some((char::from_u32(n)?, len))) {
                    Some((c, len)) => (c.to_string().into_bytes(), len + 4),
                    None => (vec![b'\\'], 1),
                }
            }
            _ => (vec![b'\\'], 1),
        };
        out.extend_from_slice(&bytes);
        rest = escape.get(used..).unwrap_or_default();
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_reversibly() {
        let names: [&[u8]; 8] = [
            b"apps/web.yaml",
            b"a\nerror: fake.yaml:1: forged.yaml",
            b"\x1b[31mred.yaml",
            b"caf\xc3\xa9.yaml",
            b"bad\xff\xfe.yaml",
            b"back\\slash\\x41.yaml",
            "bidi\u{202e}lmay.yaml\u{85}".as_bytes(),
            b"del\x7f\ttab\r.yaml",
        ];
        for name in names {
            let escaped = escape_name(name);
            assert!(
                !escaped.chars().any(|c| c.is_control() || prints_nothing(c)),
                "{escaped:?}"
            );
            assert_eq!(unescape_name(&escaped), name, "{escaped}");
        }
        assert_eq!(escape_name(b"apps/web.yaml"), "apps/web.yaml");
        assert_eq!(escape_name(b"caf\xc3\xa9.yaml"), "café.yaml");
        assert_eq!(escape_name(b"a\nb\x1b\xff.yaml"), "a\\nb\\x1b\\xff.yaml");
    }
}
