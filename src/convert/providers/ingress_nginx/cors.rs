//! `enable-cors` and the `cors-*` annotations → the HTTPRoute `CORS` filter (reference
//! ingress-nginx-annotations "CORS"), with ingress-nginx's defaults for what is not set.
//! Values the filter's schema refuses are left out with a warning.

use super::{Nginx, PREFIX, annotation};
use crate::convert::plan::{Cors, Filter, Route, RouteKind};
use crate::golang::strconv::{atoi, parse_bool};

/// ingress-nginx's defaults (`internal/ingress/annotations/cors`).
const DEFAULT_METHODS: &str = "GET, PUT, POST, DELETE, PATCH, OPTIONS";
const DEFAULT_HEADERS: &str = "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization";
const DEFAULT_MAX_AGE: i64 = 1_728_000;

/// The keys that only mean something with `enable-cors: "true"`.
pub const CORS_KEYS: &[&str] = &[
    "cors-allow-origin",
    "cors-allow-methods",
    "cors-allow-headers",
    "cors-expose-headers",
    "cors-allow-credentials",
    "cors-max-age",
];

/// Methods the filter's `allowMethods` enum takes.
const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*",
];

impl Nginx<'_> {
    /// Adds the CORS filter to every HTTP rule whose primary Ingress enables CORS.
    pub fn cors(&mut self, routes: &mut [Route]) {
        for id in 0..self.ingresses.len() {
            self.cors_without_enable(id);
        }
        for route in routes.iter_mut().filter(|r| !r.derived) {
            for rule in &mut route.rules {
                let Some((id, enabled)) = self.primary_annotation(rule, "enable-cors") else {
                    continue;
                };
                match parse_bool(enabled) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        self.error(
                            id,
                            "enable-cors",
                            format!(
                                "invalid {PREFIX}enable-cors {enabled:?}: must be true or false"
                            ),
                        );
                        continue;
                    }
                }
                if route.kind != RouteKind::Http {
                    self.warn(id, "enable-cors", format!("annotation {PREFIX}enable-cors is not translated for a {}: only HTTPRoutes have a CORS filter", route.kind.kind()));
                    continue;
                }
                if let Some(cors) = self.cors_of(id) {
                    rule.filters.push(Filter::Cors(cors));
                }
            }
        }
    }

    /// `cors-*` keys without `enable-cors: "true"`: ingress-nginx ignores them, and so does lsc.
    fn cors_without_enable(&mut self, id: usize) {
        let Some(ingress) = self.ingress(id) else {
            return;
        };
        if annotation(ingress, "enable-cors").and_then(parse_bool) == Some(true) {
            return;
        }
        for key in CORS_KEYS {
            if annotation(ingress, key).is_some() {
                self.warn(id, key, format!("annotation {PREFIX}{key} has no effect without {PREFIX}enable-cors: \"true\" (ingress-nginx ignores it too); not translated"));
            }
        }
    }

    /// The filter for one Ingress's annotations; `None` when a value is an error.
    fn cors_of(&mut self, id: usize) -> Option<Cors> {
        let ingress = self.ingress(id)?;
        let value = |key: &str| annotation(ingress, key).map(str::trim);
        let max_age = match value("cors-max-age") {
            None => DEFAULT_MAX_AGE,
            Some(v) => match atoi(v) {
                Ok(n) if (1..=i64::from(i32::MAX)).contains(&n) => n,
                _ => {
                    self.error(id, "cors-max-age", format!("invalid {PREFIX}cors-max-age {v:?}: must be a positive number of seconds"));
                    return None;
                }
            },
        };
        let origins = value("cors-allow-origin").unwrap_or("*");
        let methods = value("cors-allow-methods").unwrap_or(DEFAULT_METHODS);
        let headers = value("cors-allow-headers").unwrap_or(DEFAULT_HEADERS);
        let expose = value("cors-expose-headers").unwrap_or_default();
        let credentials = value("cors-allow-credentials").and_then(parse_bool) != Some(false);
        let allow_origins = self.kept(id, "cors-allow-origin", origins, |o| {
            is_origin(o).then(|| o.to_string())
        });
        let allow_methods = self.kept(id, "cors-allow-methods", methods, |m| {
            let m = m.to_ascii_uppercase();
            METHODS.contains(&m.as_str()).then_some(m)
        });
        let allow_headers = self.kept(id, "cors-allow-headers", headers, |h| {
            is_header_name(h).then(|| h.to_string())
        });
        let expose_headers = self.kept(id, "cors-expose-headers", expose, |h| {
            (is_header_name(h) && h != "*").then(|| h.to_string())
        });
        Some(Cors {
            allow_origins,
            allow_credentials: Some(credentials),
            allow_methods,
            allow_headers,
            expose_headers,
            max_age: Some(max_age),
        })
    }

    /// The comma-separated entries of a list annotation the filter takes (`accept` gives the
    /// value to write), without repeats; the others are warned. `*` stands alone, as the
    /// filter requires, and covers the rest.
    fn kept(
        &mut self,
        id: usize,
        key: &str,
        list: &str,
        accept: impl Fn(&str) -> Option<String>,
    ) -> Vec<String> {
        let mut kept: Vec<String> = Vec::new();
        let mut refused: Vec<&str> = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match accept(entry) {
                Some(v) if !kept.contains(&v) => kept.push(v),
                Some(_) => {}
                None => refused.push(entry),
            }
        }
        if !refused.is_empty() {
            self.warn(id, key, format!("annotation {PREFIX}{key}: {} left out of the CORS filter: Gateway API does not accept {}", quoted(&refused), if refused.len() == 1 { "it" } else { "them" }));
        }
        if kept.iter().any(|v| v == "*") {
            return vec!["*".to_string()];
        }
        kept.truncate(64);
        kept
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An origin the filter takes: `*`, or `http(s)://host[:port]` where the host may start with
/// `*.` or be `*` (the CRD's pattern for `allowOrigins`).
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    if origin.len() > 253 {
        return false;
    }
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let label =
        |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let host_ok = host == "*"
        || host
            .strip_prefix("*.")
            .unwrap_or(host)
            .split('.')
            .all(label);
    port_ok && host_ok
}

/// An HTTP header name as the CRD's pattern takes it (an RFC 7230 token, at most 256 bytes).
fn is_header_name(name: &str) -> bool {
    (1..=256).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::{is_header_name, is_origin};

    #[test]
    fn origins_as_the_crd_pattern_takes_them() {
        for ok in [
            "*",
            "https://a.example.com",
            "http://*.example.com:8080",
            "https://*",
            "http://localhost",
        ] {
            assert!(is_origin(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "https://a.example.com/",
            "ftp://a.example.com",
            "https://",
            "https://a..b",
            "https://a:123456",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn header_names_are_tokens() {
        assert!(is_header_name("X-Requested-With"));
        assert!(!is_header_name("X Requested"));
        assert!(!is_header_name(""));
    }
}
