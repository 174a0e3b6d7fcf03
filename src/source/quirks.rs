//! Where saphyr-parser 0.3 reads valid YAML differently from the YAML spec and from libyaml
//! (which kubectl's go-yaml and PyYAML follow), lsc corrects it here, outside the parser.

use saphyr_parser::Span;

/// saphyr-parser adds a line break to a `|` or `>` block scalar (clip or keep chomping) that
/// ends the input without one (`a: |` then `  x` at the end of a file reads `"x\n"`). In
/// YAML 1.2 (production 165, `b-chomped-last`) the end of the input keeps no line break, and
/// libyaml, go-yaml and PyYAML read `"x"`. This is what is needed to undo it: set only for an
/// input that does not end with a line break.
#[derive(Debug, Clone)]
pub(super) struct UnbrokenEnd<'t> {
    text: &'t str,
    /// The input's length in characters, as the parser's marks count them.
    chars: usize,
    /// The input's last line (after its last line break).
    last_line: &'t str,
}

impl<'t> UnbrokenEnd<'t> {
    pub(super) fn of(text: &'t str) -> Option<Self> {
        if text.is_empty() || text.ends_with(['\n', '\r']) {
            return None;
        }
        let last_line = text.rsplit(['\n', '\r']).next().unwrap_or(text);
        Some(UnbrokenEnd {
            text,
            chars: text.chars().count(),
            last_line,
        })
    }

    /// Whether the parser added a line break to the block scalar `value` found at `span`: it
    /// does so when the scalar reaches the end of the input and the input's last line is as
    /// wide as the scalar's indentation (always, for a last line with text), and then the value
    /// has text besides line breaks (an empty scalar is read apart, and right).
    pub(super) fn added_break(&self, span: &Span, value: &str) -> bool {
        if span.end.index() != self.chars
            || !value.ends_with('\n')
            || value.bytes().all(|b| b == b'\n')
        {
            return false;
        }
        let width = self.last_line.chars().count();
        if self.last_line.trim_start_matches(' ').is_empty() {
            width >= self.indentation(span).max(1)
        } else {
            true
        }
    }

    /// The indentation of the block scalar at `span`. Without an anchor or tag its span starts
    /// at its first content character, whose column that is. With one it starts there, on the
    /// header's line: then it is the indentation of the first line below with text (with an
    /// explicit indentation indicator, lines may be indented more than that indicator says;
    /// only a last line of spaces at the end of the input, wider than the indicator says but
    /// narrower than that first line, is then misjudged).
    fn indentation(&self, span: &Span) -> usize {
        let start = span.start.col();
        let header = self.text.lines().nth(span.start.line().saturating_sub(1));
        let at_property = header
            .and_then(|line| line.chars().nth(start))
            .is_some_and(|c| c == '!' || c == '&');
        if !at_property {
            return start;
        }
        self.text
            .lines()
            .skip(span.start.line())
            .find(|line| !line.trim_start_matches(' ').is_empty())
            .map_or(start, |line| {
                line.len() - line.trim_start_matches(' ').len()
            })
    }
}

/// The parser's refusal of a comment below a block scalar without content lines, indented less
/// than the scalar's indentation but more than its parent (`x: |`, an empty line of four
/// spaces, then `  # note`): YAML reads the scalar as empty and the line as a comment.
pub(super) const WRONGLY_INDENTED: &str = "wrongly indented line in block scalar";

/// How many such comments lsc moves per input: each costs one more parse of the whole input.
pub(super) const MOST_MOVED_COMMENTS: usize = 16;

/// The text with the comment the parser refused at `line` (1-based) and `column` (0-based)
/// moved to the start of its line, where the parser reads it as the comment it is (a comment's
/// column means nothing to YAML); `None` when no comment starts there. Lines and columns of
/// everything else stay.
pub(super) fn comment_moved_to_column_0(text: &str, line: usize, column: usize) -> Option<String> {
    if column == 0 || text.contains('\r') {
        return None;
    }
    let start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 2)? + 1
    };
    let rest = text.get(start..)?;
    let indentation = rest.get(..column)?;
    if !indentation.bytes().all(|b| b == b' ') || !rest.get(column..)?.starts_with('#') {
        return None;
    }
    let mut moved = String::with_capacity(text.len());
    moved.push_str(text.get(..start)?);
    moved.push('#');
    moved.push_str(indentation);
    moved.push_str(rest.get(column + 1..)?);
    Some(moved)
}

/// The parser's refusal of a `\u` escape that is not a Unicode character, such as half of a
/// UTF-16 surrogate pair.
pub(super) const INVALID_ESCAPE: &str =
    "while parsing a quoted scalar, found invalid Unicode character escape code";

/// How many double-quoted scalars with surrogate pairs lsc joins in an input that is not JSON,
/// each costing one more parse of the whole input (JSON takes one parse for all of them).
pub(super) const MOST_JOINED_SCALARS: usize = 64;

/// What [`surrogate_pairs_joined`] made of a refused escape.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Surrogates {
    /// The text with the pairs written as one `\U` escape each.
    Joined(String),
    /// A `\u` escape of half a pair without its other half: its text, line (1-based) and
    /// column (1-based).
    Lone(String, usize, usize),
    /// No surrogate escape in the scalar: the parser's error stands.
    None,
}

/// JSON writes a character past U+FFFF as a UTF-16 surrogate pair of `\u` escapes
/// (`"\ud83d\ude00"` for 😀, as Python's `json.dumps` does by default); YAML 1.2 claims JSON as
/// a subset, but saphyr-parser (and libyaml) refuse each half. The parser reports the error at
/// the scalar's opening quote (`line` 1-based, `column` 0-based): every pair in that scalar is
/// rewritten as the one `\UXXXXXXXX` escape of its character, and when the input is JSON (its
/// first byte past blanks is `{` or `[`), in every later string too, so one more parse reads
/// them all. A line keeps its line number; columns after a pair on its line move 2 left.
pub(super) fn surrogate_pairs_joined(text: &str, line: usize, column: usize) -> Surrogates {
    let start = if line <= 1 {
        Some(0)
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(line - 2)
            .map(|at| at + 1)
    };
    let quote = start.and_then(|start| {
        let offset = text.get(start..)?.char_indices().nth(column)?.0;
        Some(start + offset).filter(|at| text.as_bytes().get(*at) == Some(&b'"'))
    });
    let Some(quote) = quote else {
        return Surrogates::None;
    };
    let json = text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with(['{', '[']);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..quote).unwrap_or_default());
    let mut copied = quote;
    let mut joined = false;
    let mut i = quote + 1;
    // Scans double-quoted strings from `quote` on (past the first only for JSON, where nothing
    // but strings holds a `"`).
    let mut in_string = true;
    let mut first = true;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or_default();
        if !in_string {
            if b == b'"' {
                in_string = true;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = false;
                first = false;
                if !json {
                    break;
                }
                i += 1;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'u') => {
                let unit = |at: usize| {
                    let hex = text.get(at..at + 4)?;
                    hex.bytes()
                        .all(|b| b.is_ascii_hexdigit())
                        .then(|| u32::from_str_radix(hex, 16).ok())?
                };
                let high = unit(i + 2);
                let low = (bytes.get(i + 6) == Some(&b'\\') && bytes.get(i + 7) == Some(&b'u'))
                    .then(|| unit(i + 8))
                    .flatten();
                match (high, low) {
                    (Some(h @ 0xd800..=0xdbff), Some(l @ 0xdc00..=0xdfff)) => {
                        let c = 0x10000 + ((h - 0xd800) << 10) + (l - 0xdc00);
                        out.push_str(text.get(copied..i).unwrap_or_default());
                        out.push_str(&format!("\\U{c:08X}"));
                        copied = i + 12;
                        joined = true;
                        i += 12;
                    }
                    (Some(0xd800..=0xdfff), _) if json || (first && !joined) => {
                        let before = text.get(..i).unwrap_or_default();
                        let line = 1 + memchr::memchr_iter(b'\n', before.as_bytes()).count();
                        let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
                        let escape = text.get(i..i + 6).unwrap_or_default().to_string();
                        return Surrogates::Lone(escape, line, column);
                    }
                    _ => i += 2,
                }
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    if !joined {
        return Surrogates::None;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Surrogates::Joined(out)
}
