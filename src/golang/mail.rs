//! The part of Go's `net/mail` address parser that `cert-manager.io/email-sans` validation
//! needs: is a value a bare RFC 5322 addr-spec, an address with a display name, or neither.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailForm {
    /// `user@example.com`
    Bare,
    /// `Name <user@example.com>` or `<user@example.com>`: valid, but not only the address.
    WithDisplayName,
    Invalid,
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || (c as u32) >= 0x80
}

fn is_dot_atom(s: &str, permissive: bool) -> bool {
    if s.is_empty() {
        return false;
    }
    if permissive {
        return s.chars().all(|c| c == '.' || is_atext(c)) && s.chars().any(|c| c != '.');
    }
    s.split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

fn is_quoted_string(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            c if (c as u32) < 0x20 && c != '\t' => return false,
            _ => {}
        }
    }
    true
}

/// `local@domain`, local a (permissive) dot-atom or quoted string, domain a dot-atom or
/// a domain literal.
fn is_addr_spec(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = is_quoted_string(local) || is_dot_atom(local, true);
    let domain_ok = is_dot_atom(domain, false)
        || (domain.starts_with('[')
            && domain.ends_with(']')
            && domain.len() > 2
            && domain
                .get(1..domain.len() - 1)
                .is_some_and(|inner| !inner.contains(['[', ']', '\\'])));
    local_ok && domain_ok
}

fn is_phrase(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || is_quoted_string(s)
        || s.split_whitespace()
            .all(|word| word.chars().all(|c| is_atext(c) || c == '.') || is_quoted_string(word))
}

/// Classifies a trimmed value as Go's `mail.ParseAddress` would see it.
pub fn classify(s: &str) -> EmailForm {
    if is_addr_spec(s) {
        return EmailForm::Bare;
    }
    if let Some((phrase, rest)) = s.find('<').and_then(|open| s.split_at_checked(open)) {
        if let Some(addr) = rest
            .strip_prefix('<')
            .and_then(|r| r.trim_end().strip_suffix('>'))
        {
            if is_addr_spec(addr) && is_phrase(phrase) {
                return EmailForm::WithDisplayName;
            }
        }
    }
    EmailForm::Invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(classify("user@example.com"), EmailForm::Bare);
        assert_eq!(classify("first.last+tag@sub.example.com"), EmailForm::Bare);
        assert_eq!(classify("\"john doe\"@example.com"), EmailForm::Bare);
        assert_eq!(classify("user@localhost"), EmailForm::Bare);
        assert_eq!(
            classify("John Doe <user@example.com>"),
            EmailForm::WithDisplayName
        );
        assert_eq!(classify("<user@example.com>"), EmailForm::WithDisplayName);
        assert_eq!(classify("not-an-email"), EmailForm::Invalid);
        assert_eq!(classify("user@"), EmailForm::Invalid);
        assert_eq!(classify("@example.com"), EmailForm::Invalid);
        assert_eq!(classify("user@exa mple.com"), EmailForm::Invalid);
        assert_eq!(classify("user@example..com"), EmailForm::Invalid);
    }
}
