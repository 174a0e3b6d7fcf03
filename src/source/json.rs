//! What lsc tells about JSON input beyond what the YAML parser sees: YAML reads a JSON file
//! with `//` or `/* */` comments (JSONC, JSON5) without an error, the comment becoming part of a
//! key or value, so lsc finds such comments itself.

/// Where a JSON input holds a comment: its line and column (1-based), and the comment's first
/// two bytes. The input is JSON when its name ends in `.json` (then any `//` or `/*` outside a
/// string is a comment, since JSON has no unquoted text) or when its first byte past blanks is
/// `{` or `[` (then only one that starts a line, as YAML's flow style may hold `//` in an
/// unquoted string elsewhere, as in `{url: //cdn.example.com}`).
pub fn comment(name: &str, text: &str) -> Option<(usize, usize, &'static str)> {
    let named = name
        .rsplit('.')
        .next()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        && name.contains('.');
    let looks = text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with(['{', '[']);
    if !named && !looks {
        return None;
    }
    // Nothing to find without a slash: most JSON inputs are passed over in one fast search.
    memchr::memchr(b'/', text.as_bytes())?;
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    // Only blanks since the start of the line.
    let mut blank_so_far = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                blank_so_far = true;
            }
            b'"' => {
                blank_so_far = false;
                // Past the closing quote, a backslash escaping the next byte.
                i += 1;
                while let Some(&s) = bytes.get(i) {
                    match s {
                        b'\\' => i += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                    i += 1;
                }
                if bytes.get(i) == Some(&b'\n') {
                    continue;
                }
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) && (named || blank_so_far) => {
                let column = 1 + text.get(line_start..i).unwrap_or_default().chars().count();
                let kind = if bytes.get(i + 1) == Some(&b'/') {
                    "//"
                } else {
                    "/*"
                };
                return Some((line, column, kind));
            }
            b' ' | b'\t' | b'\r' => {}
            _ => blank_so_far = false,
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::comment;

    #[test]
    fn comments_outside_strings_are_found() {
        let json = "{\n  // note\n  \"a\": 1\n}\n";
        assert_eq!(comment("x.json", json), Some((2, 3, "//")));
        assert_eq!(comment("x.yaml", json), Some((2, 3, "//")));
        assert_eq!(comment("-", json), Some((2, 3, "//")));
        let trailing = "{\"a\": 1 /* note */}\n";
        assert_eq!(comment("x.json", trailing), Some((1, 9, "/*")));
        assert_eq!(comment("x.yaml", trailing), None);
    }

    #[test]
    fn slashes_in_strings_and_yaml_are_not_comments() {
        assert_eq!(comment("x.json", "{\"u\": \"http://a/*b\"}\n"), None);
        assert_eq!(comment("x.json", "{\"u\": \"a\\\"//\"}\n"), None);
        assert_eq!(comment("x.yaml", "{url: //cdn.example.com}\n"), None);
        assert_eq!(comment("x.yaml", "a: 1\n// b\n"), None);
        assert_eq!(comment("json", "{\n// b\n}"), Some((2, 1, "//")));
    }
}
