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
