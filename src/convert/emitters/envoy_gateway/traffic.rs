//! The BackendTrafficPolicy's retries and timeouts: `proxy-next-upstream*` as `retry`,
//! `proxy-connect-timeout` as `timeout.tcp`, `proxy-read-timeout`/`proxy-send-timeout` as the
//! stream idle timeout; and the annotations Envoy Gateway has no field for
//! (`client-body-buffer-size`, `custom-http-errors`), said where they are.

use super::super::{annotation, body_size, note};
use super::duration;
use crate::convert::ingress::Ingress;
use crate::convert::objects::{map, s, seq};
use crate::convert::providers::ingress_nginx::PREFIX;
use crate::diag::Diagnostic;
use crate::golang::strconv::atoi;
use crate::model::fields::{Located, SortedMap};
use crate::source::tree::Value;

/// Envoy's retry triggers in the CRD's order, so the written list is stable.
const TRIGGERS: [&str; 4] = [
    "connect-failure",
    "refused-stream",
    "reset",
    "retriable-status-codes",
];

/// `proxy-next-upstream` as nginx reads it (`proxy_next_upstream`: space-separated conditions).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NextUpstream {
    /// `off`: no retry.
    pub off: bool,
    pub triggers: Vec<&'static str>,
    pub codes: Vec<i64>,
    /// `invalid_header`: Envoy has no trigger for a malformed response header.
    pub invalid_header: bool,
    /// `non_idempotent`: nginx retries POST, LOCK and PATCH only with it; Envoy retries every
    /// method.
    pub non_idempotent: bool,
}

/// ingress-nginx's default `proxy-next-upstream` and `proxy-next-upstream-tries`.
const DEFAULT_CONDITIONS: &str = "error timeout";
const DEFAULT_TRIES: i64 = 3;

/// `None` when a condition is not one nginx knows.
pub fn next_upstream(value: &str) -> Option<NextUpstream> {
    let mut found = NextUpstream::default();
    let mut triggers: Vec<&'static str> = Vec::new();
    let mut any = false;
    for condition in value.split_whitespace() {
        any = true;
        match condition {
            "off" => found.off = true,
            // A connection refused, reset or failing while the request or the response
            // header passes.
            "error" => triggers.extend(["connect-failure", "refused-stream", "reset"]),
            // A connect timeout is a connect failure to Envoy; a backend that stops answering
            // ends in a reset.
            "timeout" => triggers.extend(["connect-failure", "reset"]),
            "invalid_header" => found.invalid_header = true,
            "non_idempotent" => found.non_idempotent = true,
            _ => {
                let code: i64 = condition.strip_prefix("http_")?.parse().ok()?;
                if ![403, 404, 429, 500, 502, 503, 504].contains(&code) {
                    return None;
                }
                triggers.push("retriable-status-codes");
                if !found.codes.contains(&code) {
                    found.codes.push(code);
                }
            }
        }
    }
    if !any {
        return None;
    }
    found.codes.sort_unstable();
    found.triggers = TRIGGERS
        .into_iter()
        .filter(|t| triggers.contains(t))
        .collect();
    Some(found)
}

/// `proxy-next-upstream-tries`: a count of tries (the first one included), `0` for no limit;
/// at most what `numRetries` (an int32) holds, plus the first.
fn tries(value: &str) -> Option<i64> {
    atoi(value.trim())
        .ok()
        .filter(|n| (0..=i64::from(i32::MAX) + 1).contains(n))
}

/// A timeout annotation's seconds (the standard pass refuses other values).
fn seconds(value: &str) -> Option<u64> {
    atoi(value).ok().filter(|n| *n > 0).map(i64::unsigned_abs)
}

/// Whether this module translates the annotation `name` (without its prefix).
pub fn translates(name: &str, value: &str) -> Option<bool> {
    Some(match name {
        "proxy-next-upstream" => next_upstream(value).is_some(),
        "proxy-next-upstream-tries" => tries(value).is_some(),
        // Warned on its own: Envoy Gateway has no field for it.
        "proxy-next-upstream-timeout" => true,
        "proxy-connect-timeout" | "proxy-read-timeout" | "proxy-send-timeout" => {
            seconds(value).is_some()
        }
        "client-body-buffer-size" => body_size(value).is_some(),
        "custom-http-errors" => true,
        _ => return None,
    })
}

/// The retry conditions of an Ingress: its `proxy-next-upstream`, else nginx's default when it
/// sets `proxy-next-upstream-tries` alone; `None` without either or when they do not parse.
fn retry_conditions(annotations: &SortedMap<Located>) -> Option<NextUpstream> {
    let tries_given = annotation(annotations, "proxy-next-upstream-tries")
        .is_some_and(|v| tries(&v.value).is_some());
    match annotation(annotations, "proxy-next-upstream") {
        Some(v) => next_upstream(&v.value),
        None if tries_given => next_upstream(DEFAULT_CONDITIONS),
        None => None,
    }
}

/// What the BackendTrafficPolicy carries for these annotations: `retry` and `timeout`.
#[derive(Debug, Default)]
pub struct Traffic {
    pub retry: Option<Value>,
    pub timeout: Option<Value>,
}

impl Traffic {
    pub fn read(annotations: &SortedMap<Located>) -> Traffic {
        Traffic {
            retry: retry(annotations),
            timeout: timeout(annotations),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.retry.is_none() && self.timeout.is_none()
    }
}

fn retry(annotations: &SortedMap<Located>) -> Option<Value> {
    let conditions = retry_conditions(annotations)?;
    if conditions.off {
        return None;
    }
    let tries = annotation(annotations, "proxy-next-upstream-tries")
        .and_then(|v| tries(&v.value))
        .unwrap_or(DEFAULT_TRIES);
    // nginx counts the first try; 0 is no limit, left to Envoy Gateway's default.
    let retries = (tries > 0).then(|| Value::Int(tries - 1));
    Some(map(vec![
        ("numRetries", retries.unwrap_or(Value::Null)),
        (
            "retryOn",
            map(vec![
                (
                    "triggers",
                    seq(conditions.triggers.iter().map(|t| s(t)).collect()),
                ),
                (
                    "httpStatusCodes",
                    if conditions.codes.is_empty() {
                        Value::Null
                    } else {
                        seq(conditions.codes.iter().map(|c| Value::Int(*c)).collect())
                    },
                ),
            ]),
        ),
    ]))
}

fn timeout(annotations: &SortedMap<Located>) -> Option<Value> {
    let get = |name: &str| annotation(annotations, name).and_then(|v| seconds(&v.value));
    let connect = get("proxy-connect-timeout");
    let idle = get("proxy-read-timeout").max(get("proxy-send-timeout"));
    if connect.is_none() && idle.is_none() {
        return None;
    }
    let field = |name: &str, secs: Option<u64>| match secs {
        Some(secs) => map(vec![(name, s(&duration(secs)))]),
        None => Value::Null,
    };
    Some(map(vec![
        ("tcp", field("connectTimeout", connect)),
        ("http", field("streamIdleTimeout", idle)),
    ]))
}

/// What changes on the way, and what Envoy Gateway has no field for.
pub fn warnings(ingress: &Ingress, policy: &str) -> Vec<Diagnostic> {
    let annotations = &ingress.meta.annotations;
    let mut found = Vec::new();
    if let Some(conditions) = retry_conditions(annotations) {
        let at = if annotation(annotations, "proxy-next-upstream").is_some() {
            "proxy-next-upstream"
        } else {
            "proxy-next-upstream-tries"
        };
        if conditions.off {
            found.push(note(ingress, at, format!("annotation {PREFIX}proxy-next-upstream \"off\": Envoy Gateway does not retry without a retry policy, so none is written")));
        } else {
            if !conditions.non_idempotent {
                found.push(note(ingress, at, format!("annotation {PREFIX}{at} is translated as BackendTrafficPolicy {policy} retry: Envoy retries requests of every method, where nginx did not retry POST, LOCK or PATCH without non_idempotent")));
            }
            if conditions.invalid_header {
                found.push(note(ingress, at, format!("condition invalid_header of annotation {PREFIX}proxy-next-upstream has no Envoy retry trigger: a malformed response header is not retried")));
            }
        }
        if annotation(annotations, "proxy-next-upstream-tries")
            .is_some_and(|v| tries(&v.value) == Some(0))
        {
            found.push(note(ingress, "proxy-next-upstream-tries", format!("annotation {PREFIX}proxy-next-upstream-tries \"0\" is no limit to nginx (each endpoint tried once); Envoy needs a count, so numRetries is left to Envoy Gateway's default, 2")));
        }
    }
    if let Some(v) = annotation(annotations, "proxy-next-upstream-timeout") {
        found.push(note(ingress, "proxy-next-upstream-timeout", format!("annotation {PREFIX}proxy-next-upstream-timeout {:?} has no Envoy Gateway field: Envoy bounds the retries only by the route's request timeout (retry.perRetry.timeout bounds each try, not all of them)", v.value)));
    }
    let idle: Vec<&str> = ["proxy-read-timeout", "proxy-send-timeout"]
        .into_iter()
        .filter(|n| annotation(annotations, n).is_some_and(|v| seconds(&v.value).is_some()))
        .collect();
    if let Some(first) = idle.first() {
        let (word, verb) = if idle.len() > 1 {
            ("annotations", "are")
        } else {
            ("annotation", "is")
        };
        let names: Vec<String> = idle.iter().map(|n| format!("{PREFIX}{n}")).collect();
        found.push(note(ingress, first, format!("{word} {} {verb} translated as BackendTrafficPolicy {policy} timeout.http.streamIdleTimeout (the largest): nginx timed each read from and write to the backend, Envoy times a request's inactivity in either direction, client side included; no whole-request timeout is set, as nginx set none", names.join(" and "))));
    }
    if let Some(v) =
        annotation(annotations, "client-body-buffer-size").filter(|v| body_size(&v.value).is_some())
    {
        found.push(note(ingress, "client-body-buffer-size", format!("annotation {PREFIX}client-body-buffer-size {:?} has no Envoy Gateway field: Envoy streams request bodies to the backend instead of spooling them past a buffer (requestBuffer, from proxy-body-size, buffers whole bodies and refuses larger ones)", v.value)));
    }
    if let Some(v) = annotation(annotations, "custom-http-errors") {
        found.push(note(ingress, "custom-http-errors", format!("annotation {PREFIX}custom-http-errors {:?} is not translated: Envoy Gateway's BackendTrafficPolicy responseOverride answers a status with a fixed body (inline or from a ConfigMap) or a redirect, not with the default-backend Service's answer as ingress-nginx does; put the error pages in a ConfigMap and add a responseOverride matching those statusCodes by hand", v.value)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::next_upstream;

    #[test]
    fn nginx_retry_conditions_become_envoy_triggers() {
        let default = next_upstream("error timeout").unwrap();
        assert_eq!(
            default.triggers,
            ["connect-failure", "refused-stream", "reset"]
        );
        assert!(default.codes.is_empty() && !default.off);
        let codes = next_upstream("http_503  http_502 timeout non_idempotent").unwrap();
        assert_eq!(
            codes.triggers,
            ["connect-failure", "reset", "retriable-status-codes"]
        );
        assert_eq!(codes.codes, [502, 503]);
        assert!(codes.non_idempotent);
        assert!(next_upstream("off").unwrap().off);
        assert!(next_upstream("invalid_header").unwrap().invalid_header);
        for bad in ["", "http_501", "errors", "http_5xx"] {
            assert_eq!(next_upstream(bad), None, "{bad}");
        }
    }
}
