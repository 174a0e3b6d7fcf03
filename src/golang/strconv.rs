//! Go's `strconv.ParseInt(s, 10, bits)` and `strconv.Atoi`, with their error texts.

/// `strconv.ParseBool(s)`; `None` where Go returns an error.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseInt(s, 10, bits)`.
pub fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    parse_signed(s, bits).map_err(|e| format!("strconv.ParseInt: parsing {}: {e}", super::quote(s)))
}

/// `strconv.Atoi(s)` on a 64-bit platform.
pub fn atoi(s: &str) -> Result<i64, String> {
    parse_signed(s, 64).map_err(|e| format!("strconv.Atoi: parsing {}: {e}", super::quote(s)))
}

fn parse_signed(s: &str, bits: u32) -> Result<i64, &'static str> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid syntax");
    }
    // Accumulate in i128 so any digit string up to the range check stays exact enough.
    let mut value: i128 = 0;
    let mut overflow = false;
    for b in digits.bytes() {
        value = value * 10 + i128::from(b - b'0');
        if value > 1i128 << 64 {
            overflow = true;
            value = 1i128 << 64;
        }
    }
    let max = (1i128 << (bits - 1)) - 1;
    let min = -(1i128 << (bits - 1));
    let signed = if negative { -value } else { value };
    if overflow || signed > max || signed < min {
        return Err("value out of range");
    }
    i64::try_from(signed).map_err(|_| "value out of range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_32() {
        assert_eq!(parse_int("7", 32), Ok(7));
        assert_eq!(parse_int("+7", 32), Ok(7));
        assert_eq!(parse_int("-2147483648", 32), Ok(-2147483648));
        assert_eq!(
            parse_int("2147483648", 32),
            Err("strconv.ParseInt: parsing \"2147483648\": value out of range".into())
        );
        assert_eq!(
            parse_int("", 32),
            Err("strconv.ParseInt: parsing \"\": invalid syntax".into())
        );
        assert_eq!(
            parse_int("1.5", 32),
            Err("strconv.ParseInt: parsing \"1.5\": invalid syntax".into())
        );
        assert_eq!(
            parse_int(" 1", 32),
            Err("strconv.ParseInt: parsing \" 1\": invalid syntax".into())
        );
    }

    #[test]
    fn atoi_64() {
        assert_eq!(atoi("2048"), Ok(2048));
        assert_eq!(
            atoi("abc"),
            Err("strconv.Atoi: parsing \"abc\": invalid syntax".into())
        );
        assert_eq!(
            atoi("99999999999999999999"),
            Err("strconv.Atoi: parsing \"99999999999999999999\": value out of range".into())
        );
    }
}
