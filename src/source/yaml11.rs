//! What a YAML 1.1 reader (kubectl's go-yaml v2) takes for null, a boolean, a number or a
//! timestamp: the writer quotes such strings, and the reader keeps plain scalars of these
//! forms that YAML 1.2 reads as strings exactly as written, so kubectl reads them as before.

/// Strings a YAML 1.1 or 1.2 reader would take for null, a boolean or a number.
pub fn looks_like_other_type(s: &str) -> bool {
    // Numbers and timestamps start with a digit, a sign or `.`: a string starting with a
    // letter (most values) can only be one of the words, at most five letters long.
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return s.len() <= 5
            && (matches!(
                s,
                "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            ) || crate::source::tree::yaml11_bool(s).is_some());
    }
    matches!(
        s,
        "~" | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "<<"
    ) || crate::source::tree::yaml11_bool(s).is_some()
        || looks_numeric(s)
        || looks_like_timestamp(s)
}

fn looks_numeric(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if body.is_empty() {
        return false;
    }
    // `0x`, `0o`, `0b` in either case.
    if body.starts_with('0')
        && body
            .as_bytes()
            .get(1)
            .is_some_and(|b| matches!(b.to_ascii_lowercase(), b'x' | b'o' | b'b'))
    {
        let rest = body.get(2..).unwrap_or_default();
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    if body.contains(':') {
        return is_sexagesimal(body);
    }
    // Decimal, octal-looking, float or exponent forms, YAML 1.1 underscores included.
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' => seen_digit = true,
            '_' if !seen_exp => {}
            '.' if !seen_dot && !seen_exp => seen_dot = true,
            'e' | 'E' if seen_digit && !seen_exp => {
                seen_exp = true;
                if matches!(chars.peek(), Some('+' | '-')) {
                    chars.next();
                }
                if chars.peek().is_none() {
                    return false;
                }
            }
            _ => return false,
        }
    }
    seen_digit
}

/// YAML 1.1 base 60 (`190:20:30`): a non-zero leading group, then groups of 0-59.
fn is_sexagesimal(s: &str) -> bool {
    let mut groups = s.split(':');
    let first = groups.next().unwrap_or_default().replace('_', "");
    let first_ok = first
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() && c != '0')
        && first.chars().all(|c| c.is_ascii_digit());
    let mut rest = groups.peekable();
    first_ok
        && rest.peek().is_some()
        && rest.all(|g| {
            let whole = g.split_once('.').map_or(g, |(int, _)| int);
            !whole.is_empty() && whole.len() <= 2 && whole.parse::<u32>().is_ok_and(|v| v < 60)
        })
}

/// Strings YAML 1.1 reads as timestamps (`2024-01-02`, `2024-01-02T10:00:00Z`), which go-yaml quotes.
fn looks_like_timestamp(s: &str) -> bool {
    let bytes = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<usize> {
        let n = bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (min..=max).contains(&n).then_some(from + n)
    };
    let Some(i) = digits(0, 4, 4) else {
        return false;
    };
    if bytes.get(i) != Some(&b'-') {
        return false;
    }
    let Some(i) = digits(i + 1, 1, 2) else {
        return false;
    };
    if bytes.get(i) != Some(&b'-') {
        return false;
    }
    let Some(i) = digits(i + 1, 1, 2) else {
        return false;
    };
    i == bytes.len() || matches!(bytes.get(i), Some(b'T' | b't' | b' ' | b'\t'))
}

/// Whether a string starting with `first` may be one [`looks_like_other_type`] finds: each
/// starts with a digit, a sign, `.`, `_`, `~`, `<` or the first letter of a null or boolean
/// word.
pub fn may_look_like_other_type(first: u8) -> bool {
    first.is_ascii_digit() || b"~+-._<nNtTfFyYoO".contains(&first)
}
