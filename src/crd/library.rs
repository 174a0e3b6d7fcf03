//! The Kubernetes CEL library functions the pinned CRDs call beyond CEL's standard library
//! and strings extension: `isIP` (k8s.io/apiserver `pkg/cel/library/ip.go`), and CEL's own
//! `duration(string)`, which the `cel` crate has only with its `chrono` feature (and chrono's
//! time zone database, 1 MB of tables the loader relocates at every start). The CRD rules only
//! compare two durations, so a duration is its number of nanoseconds here, parsed as Go's
//! `time.ParseDuration` parses it (as cel-go's `duration()` does).

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use cel::Context;

/// Binds the functions to a root context.
pub fn register(context: &mut Context<'static, 'static>) {
    // `isIP` is no standard overload, so it cannot clash.
    let _ = context.add_function("isIP", |text: Arc<String>| is_ip(&text));
    let _ = context.add_function("duration", |text: Arc<String>| duration(&text));
}

/// `duration(text)` as nanoseconds; an error (the rule's evaluation fails, as the API server's
/// does) for a text Go does not parse as a duration.
fn duration(text: &str) -> Result<i64, cel::ExecutionError> {
    crate::golang::duration::parse(text)
        .map(|d| d.0)
        .map_err(|e| cel::ExecutionError::function_error("duration", e))
}

/// Kubernetes' `isIP`: an IPv4 or IPv6 address, without a zone, and not an IPv4 address
/// written in IPv6 (`::ffff:1.2.3.4`); IPv4 octets with a leading zero are refused, as Go's
/// `netip.ParseAddr` refuses them.
pub fn is_ip(text: &str) -> bool {
    match text.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => true,
        Ok(IpAddr::V6(v6)) => !is_ipv4_mapped(&v6),
        Err(_) => false,
    }
}

fn is_ipv4_mapped(address: &Ipv6Addr) -> bool {
    matches!(address.segments(), [0, 0, 0, 0, 0, 0xffff, _, _])
}

#[cfg(test)]
mod tests {
    use super::*;
    use cel::{Env, Value};

    fn run(expression: &str) -> Value {
        let mut env = Env::stdlib();
        assert!(cel::extensions::strings(&mut env).is_ok());
        let program = env.compile(expression);
        assert!(program.is_ok(), "{expression}: {program:?}");
        let mut context = Context::with_env(Arc::new(env));
        register(&mut context);
        match program {
            Ok(program) => program.execute(&context).unwrap_or(Value::Null),
            Err(_) => Value::Null,
        }
    }

    #[test]
    fn is_ip_accepts_both_families() {
        for ok in ["1.2.3.4", "0.0.0.0", "::1", "2001:db8::1", "fe80::"] {
            assert!(is_ip(ok), "{ok}");
        }
    }

    #[test]
    fn is_ip_refuses_names_zones_mapped_and_leading_zeros() {
        for bad in [
            "",
            "example.com",
            "1.2.3",
            "01.2.3.4",
            "1.2.3.4/32",
            "fe80::1%eth0",
            "::ffff:1.2.3.4",
            " 1.2.3.4",
        ] {
            assert!(!is_ip(bad), "{bad}");
        }
    }

    #[test]
    fn is_ip_is_callable_from_cel() {
        assert_eq!(run("isIP('10.0.0.1')"), Value::Bool(true));
        assert_eq!(
            run("['a.example', '10.0.0.1'].all(h, !isIP(h))"),
            Value::Bool(false)
        );
        assert_eq!(
            run("['a.example', 'b.example'].all(h, !isIP(h))"),
            Value::Bool(true)
        );
    }

    /// The comparisons the CRD rules make, Go's duration syntax, and a failed evaluation (not
    /// a refusal) for a text that is no duration.
    #[test]
    fn durations_compare_as_go_parses_them() {
        for (expression, expected) in [
            ("duration('1h30m') == duration('90m')", true),
            ("duration('1.5h') == duration('5400s')", true),
            ("duration('500ms') < duration('1s')", true),
            ("duration('10s') >= duration('10000ms')", true),
            ("duration('-1s') < duration('0')", true),
            ("duration('1h') > duration('1h')", false),
            ("duration('1us') != duration('1µs')", false),
        ] {
            assert_eq!(run(expression), Value::Bool(expected), "{expression}");
        }
        for bad in [
            "duration('1d') > duration('1s')",
            "duration('') > duration('1s')",
        ] {
            assert_eq!(run(bad), Value::Null, "{bad}");
        }
    }

    #[test]
    fn the_standard_and_strings_functions_the_crds_call_are_there() {
        for (expression, expected) in [
            ("'a/b'.split('/')[0] == 'a'", true),
            (
                "'abc'.startsWith('a') && 'abc'.endsWith('c') && 'abc'.contains('b')",
                true,
            ),
            ("'abc'.matches('^[a-c]+$')", true),
            ("size([1, 2]) == 2 && [1, 2].exists_one(x, x == 1)", true),
            ("[1, 2, 3].filter(x, x > 1).size() == 2", true),
            ("duration('1s') < duration('2s')", true),
            ("has({'a': 1}.a) && !has({'a': 1}.b)", true),
        ] {
            assert_eq!(run(expression), Value::Bool(expected), "{expression}");
        }
    }
}
