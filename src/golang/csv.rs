//! Go's `encoding/csv` reader with default settings, as cert-manager's `SplitWithEscapeCSV`
//! uses it for the subject annotations: records, quoting, and Go's parse error texts.

/// `csv.NewReader(strings.NewReader(s)).ReadAll()`.
pub fn read_all(input: &str) -> Result<Vec<Vec<String>>, String> {
    let lines = split_lines(input);
    let mut records = Vec::new();
    let mut fields_per_record: Option<usize> = None;
    let mut next = 0;
    while next < lines.len() {
        let (record, consumed, start_line) = read_record(&lines, next)?;
        next += consumed;
        let Some(record) = record else { continue };
        match fields_per_record {
            None => fields_per_record = Some(record.len()),
            Some(n) if n != record.len() => {
                return Err(format!(
                    "record on line {start_line}: wrong number of fields"
                ));
            }
            Some(_) => {}
        }
        records.push(record);
    }
    Ok(records)
}

/// Lines as Go's reader sees them: `\r\n` normalised to `\n`, a trailing `\r` before EOF dropped.
fn split_lines(input: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (line, tail) = match rest.find('\n') {
            Some(i) => rest.split_at_checked(i + 1).unwrap_or((rest, "")),
            None => (rest, ""),
        };
        let mut line = line.to_string();
        if line.ends_with("\r\n") {
            line.truncate(line.len() - 2);
            line.push('\n');
        } else if tail.is_empty() && line.ends_with('\r') {
            line.pop();
        }
        lines.push(line);
        rest = tail;
    }
    lines
}

fn parse_error(start_line: usize, line: usize, column: usize, what: &str) -> String {
    if start_line != line {
        format!("record on line {start_line}; parse error on line {line}, column {column}: {what}")
    } else {
        format!("parse error on line {line}, column {column}: {what}")
    }
}

const BARE_QUOTE: &str = "bare \" in non-quoted-field";
const QUOTE: &str = "extraneous or missing \" in quoted-field";

fn strip_newline(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// Reads one record starting at `lines[first]`; returns it (None for an empty line), the number
/// of lines consumed and the record's 1-based start line.
fn read_record(
    lines: &[String],
    first: usize,
) -> Result<(Option<Vec<String>>, usize, usize), String> {
    let start_line = first + 1;
    let Some(first_line) = lines.get(first) else {
        return Ok((None, 1, start_line));
    };
    if first_line == "\n" {
        return Ok((None, 1, start_line));
    }
    let mut line_index = first;
    let mut line: &str = first_line;
    let mut fields = Vec::new();
    let mut column = 1usize;
    loop {
        if !line.starts_with('"') {
            // Unquoted field: up to the next comma or the end of the line.
            let (field, rest) = match line.split_once(',') {
                Some((field, rest)) => (field, Some(rest)),
                None => (strip_newline(line), None),
            };
            if let Some(j) = field.find('"') {
                return Err(parse_error(
                    start_line,
                    line_index + 1,
                    column + j,
                    BARE_QUOTE,
                ));
            }
            fields.push(field.to_string());
            match rest {
                Some(rest) => {
                    column += field.len() + 1;
                    line = rest;
                    continue;
                }
                None => break,
            }
        }
        // Quoted field, possibly spanning lines.
        let mut field = String::new();
        line = line.get(1..).unwrap_or_default();
        column += 1;
        loop {
            if let Some((before, after)) = line.split_once('"') {
                field.push_str(before);
                line = after;
                column += before.len() + 1;
                if let Some(after) = line.strip_prefix('"') {
                    field.push('"');
                    line = after;
                    column += 1;
                } else if let Some(after) = line.strip_prefix(',') {
                    line = after;
                    column += 1;
                    fields.push(std::mem::take(&mut field));
                    break;
                } else if line.is_empty() || line == "\n" {
                    fields.push(std::mem::take(&mut field));
                    return Ok((Some(fields), line_index - first + 1, start_line));
                } else {
                    return Err(parse_error(start_line, line_index + 1, column - 1, QUOTE));
                }
            } else if !line.is_empty() {
                field.push_str(line);
                column += line.len();
                match lines.get(line_index + 1) {
                    Some(next) => {
                        line_index += 1;
                        line = next;
                        column = 1;
                    }
                    None => {
                        return Err(parse_error(start_line, line_index + 1, column, QUOTE));
                    }
                }
            } else {
                return Err(parse_error(start_line, line_index + 1, column, QUOTE));
            }
        }
        // A comma ended the quoted field: continue with the next field on this line.
        if line.is_empty() {
            fields.push(String::new());
            break;
        }
    }
    Ok((Some(fields), line_index - first + 1, start_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Vec<Vec<String>> {
        read_all(s).unwrap()
    }

    #[test]
    fn records() {
        assert_eq!(one("a,b"), vec![vec!["a", "b"]]);
        assert_eq!(one(" a, b"), vec![vec![" a", " b"]]);
        assert_eq!(
            one("\"10 Downing Street, Westminster\",Manchester"),
            vec![vec!["10 Downing Street, Westminster", "Manchester"]]
        );
        assert_eq!(one("\"a\"\"b\""), vec![vec!["a\"b"]]);
        assert_eq!(one("a,"), vec![vec!["a", ""]]);
        assert_eq!(one(""), Vec::<Vec<String>>::new());
        assert_eq!(one("a\nb"), vec![vec!["a"], vec!["b"]]);
        assert_eq!(one("a\n\nb\n"), vec![vec!["a"], vec!["b"]]);
        assert_eq!(one("\"a\nb\""), vec![vec!["a\nb"]]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            read_all("a\"b").unwrap_err(),
            "parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        assert_eq!(
            read_all("\"a\"b").unwrap_err(),
            "parse error on line 1, column 3: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            read_all("\"abc").unwrap_err(),
            "parse error on line 1, column 5: extraneous or missing \" in quoted-field"
        );
        assert_eq!(
            read_all("a,b\nc").unwrap_err(),
            "record on line 2: wrong number of fields"
        );
    }
}
