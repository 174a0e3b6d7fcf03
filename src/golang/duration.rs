//! Go's `time.ParseDuration` and `time.Duration.String`, which decide what
//! `cert-manager.io/duration` accepts and how the Certificate spells it.

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const LIMIT: u64 = 1 << 63;

/// A duration in nanoseconds, as Go's `time.Duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

impl Duration {
    pub const HOUR: Duration = Duration(3_600_000_000_000);
    pub const FIVE_MINUTES: Duration = Duration(300_000_000_000);
}

/// The quoting `time` uses in its errors: non-ASCII and control bytes as `\xNN`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) >= 0x80 || (c as u32) < 0x20 {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn unit(u: &str) -> Option<u64> {
    Some(match u {
        "ns" => NANOSECOND,
        "us" | "\u{b5}s" | "\u{3bc}s" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

/// Consumes leading digits; `Err` on overflow past 2^63.
fn leading_int(s: &[u8]) -> Result<(u64, usize), ()> {
    let mut x: u64 = 0;
    let mut i = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            break;
        }
        if x > LIMIT / 10 {
            return Err(());
        }
        x = x * 10 + u64::from(c - b'0');
        if x > LIMIT {
            return Err(());
        }
        i += 1;
    }
    Ok((x, i))
}

/// Consumes leading fraction digits, ignoring precision beyond what fits.
fn leading_fraction(s: &[u8]) -> (u64, f64, usize) {
    let mut x: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    let mut i = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > (LIMIT - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > LIMIT {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, i)
}

/// `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`.
pub fn parse(orig: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut negative = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            negative = c == b'-';
            s = s.get(1..).unwrap_or_default();
        }
    }
    if s == b"0" {
        return Ok(Duration(0));
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let (mut v, consumed) = leading_int(s).map_err(|_| invalid())?;
        let pre = consumed > 0;
        s = s.get(consumed..).unwrap_or_default();
        let mut fraction = (0u64, 1.0f64);
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = s.get(1..).unwrap_or_default();
            let (f, scale, n) = leading_fraction(s);
            fraction = (f, scale);
            post = n > 0;
            s = s.get(n..).unwrap_or_default();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .take_while(|&&c| !(c == b'.' || c.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let unit_bytes = s.get(..unit_len).unwrap_or_default();
        let unit_text = String::from_utf8_lossy(unit_bytes);
        s = s.get(unit_len..).unwrap_or_default();
        let Some(multiplier) = unit(&unit_text) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                time_quote(&unit_text),
                time_quote(orig)
            ));
        };
        if v > LIMIT / multiplier {
            return Err(invalid());
        }
        v *= multiplier;
        if fraction.0 > 0 {
            // Go computes this in float64, then truncates.
            v += (fraction.0 as f64 * (multiplier as f64 / fraction.1)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if negative {
        return Ok(Duration((total as i128).wrapping_neg() as i64));
    }
    if total > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(Duration(total as i64))
}

/// Writes `v / 10^precision` as a fraction with trailing zeros dropped; returns the integer part.
fn format_fraction(out: &mut String, v: u64, precision: u32) -> u64 {
    let divisor = 10u64.pow(precision);
    let fraction = v % divisor;
    if fraction != 0 {
        let digits = format!("{fraction:0width$}", width = precision as usize);
        out.insert_str(0, &format!(".{}", digits.trim_end_matches('0')));
    }
    v / divisor
}

impl std::fmt::Display for Duration {
    /// `time.Duration.String`: `72h3m0.5s`, `1h0m0s`, `1.5ms`, `0s`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let negative = self.0 < 0;
        let u = self.0.unsigned_abs();
        let mut out = String::new();
        if u < SECOND {
            let (precision, suffix) = match u {
                0 => return f.write_str("0s"),
                u if u < MICROSECOND => (0, "ns"),
                u if u < MILLISECOND => (3, "\u{b5}s"),
                _ => (6, "ms"),
            };
            out.push_str(suffix);
            let int = format_fraction(&mut out, u, precision);
            out.insert_str(0, &int.to_string());
        } else {
            out.push('s');
            let seconds = format_fraction(&mut out, u, 9);
            out.insert_str(0, &(seconds % 60).to_string());
            let minutes = seconds / 60;
            if minutes > 0 {
                out.insert_str(0, &format!("{}m", minutes % 60));
                let hours = minutes / 60;
                if hours > 0 {
                    out.insert_str(0, &format!("{hours}h"));
                }
            }
        }
        if negative {
            out.insert(0, '-');
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> String {
        parse(s).unwrap().to_string()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(round_trip("2160h"), "2160h0m0s");
        assert_eq!(round_trip("3600s"), "1h0m0s");
        assert_eq!(round_trip("90m"), "1h30m0s");
        assert_eq!(round_trip("1.5h"), "1h30m0s");
        assert_eq!(round_trip("1h0.5s"), "1h0m0.5s");
        assert_eq!(round_trip("0"), "0s");
        assert_eq!(round_trip("1500us"), "1.5ms");
        assert_eq!(round_trip("1µs"), "1µs");
        assert_eq!(round_trip("-5m"), "-5m0s");
        assert_eq!(round_trip("+.5h"), "30m0s");
        assert_eq!(round_trip("1h1m1s1ms1us1ns"), "1h1m1.001001001s");
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(
            parse("1d").unwrap_err(),
            "time: unknown unit \"d\" in duration \"1d\""
        );
        assert_eq!(
            parse("10").unwrap_err(),
            "time: missing unit in duration \"10\""
        );
        assert_eq!(parse("").unwrap_err(), "time: invalid duration \"\"");
        assert_eq!(parse("abc").unwrap_err(), "time: invalid duration \"abc\"");
        assert_eq!(parse(".h").unwrap_err(), "time: invalid duration \".h\"");
        assert_eq!(
            parse("1h 2m").unwrap_err(),
            "time: unknown unit \"h \" in duration \"1h 2m\""
        );
        assert_eq!(
            parse("9999999999999h").unwrap_err(),
            "time: invalid duration \"9999999999999h\""
        );
        assert_eq!(
            parse("1é").unwrap_err(),
            "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""
        );
    }
}
