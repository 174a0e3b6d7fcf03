//! What the chosen Gateway API release (`--gateway-api-version`) cannot say, fitted in the plan
//! before objects are made: redirect status codes. Anything else a release refuses is found
//! by the validator built from its CRDs on every object made, and refused as an error.

use crate::crd::Release;
use crate::diag::Diagnostic;

use super::ingress::Ingress;
use super::plan::{Filter, Route};

/// v1.4's `HTTPRequestRedirectFilter.statusCode` is an enum of 301 and 302 (303, 307 and 308
/// came in v1.5): a permanent redirect becomes 301, any other 302, and each route that changes
/// is warned about, since 301 and 302 let clients turn a POST into a GET.
pub fn fit_redirects(
    routes: &mut [Route],
    ingresses: &[Ingress],
    release: Release,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if release >= Release::V1_5 {
        return;
    }
    for route in routes {
        let mut changed: Vec<(usize, i64, i64)> = Vec::new();
        for (index, rule) in route.rules.iter_mut().enumerate() {
            for filter in &mut rule.filters {
                if let Filter::RequestRedirect(redirect) = filter
                    && let Some(status) = redirect.status.filter(|s| !matches!(s, 301 | 302))
                {
                    let fitted = if status == 308 { 301 } else { 302 };
                    redirect.status = Some(fitted);
                    changed.push((index, status, fitted));
                }
            }
        }
        let Some((index, from, to)) = changed.first() else {
            continue;
        };
        let ingress = route.ingresses.first().and_then(|id| ingresses.get(*id));
        let mut warning = Diagnostic::warning(
            ingress.map(|i| i.at(0)),
            format!(
                "Gateway API {release} redirects with 301 or 302 only (303, 307 and 308 came in v1.5): HTTPRoute {}/{} redirects with {to} instead of {from} (spec.rules[{index}].filters[].requestRedirect.statusCode{}), so clients may turn a POST into a GET (Gateway API v1.5 and later keep {from})",
                route.namespace,
                route.name,
                if changed.len() > 1 {
                    format!(", and {} more", changed.len() - 1)
                } else {
                    String::new()
                }
            ),
        );
        if let Some(ingress) = ingress {
            warning = warning.about(&ingress.reference());
        }
        diagnostics.push(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::plan::{Redirect, Rule};

    fn route_with(statuses: &[i64]) -> Route {
        Route {
            kind: crate::convert::plan::RouteKind::Http,
            namespace: "shop".to_string(),
            name: "web-http".to_string(),
            gateway: 0,
            host: String::new(),
            hostnames: Vec::new(),
            bindings: Vec::new(),
            rules: statuses
                .iter()
                .map(|status| Rule {
                    filters: vec![Filter::RequestRedirect(Redirect {
                        status: Some(*status),
                        ..Redirect::default()
                    })],
                    ..Rule::default()
                })
                .collect(),
            ingresses: Vec::new(),
            derived: false,
        }
    }

    fn statuses(route: &Route) -> Vec<Option<i64>> {
        route
            .rules
            .iter()
            .flat_map(|r| &r.filters)
            .map(|f| match f {
                Filter::RequestRedirect(r) => r.status,
                _ => None,
            })
            .collect()
    }

    #[test]
    fn v1_4_redirects_with_301_or_302_and_says_so_once_per_route() {
        let mut routes = vec![route_with(&[308, 301, 307, 303, 302])];
        let mut diagnostics = Vec::new();
        fit_redirects(&mut routes, &[], Release::V1_4, &mut diagnostics);
        assert_eq!(
            statuses(&routes[0]),
            [Some(301), Some(301), Some(302), Some(302), Some(302)]
        );
        assert_eq!(diagnostics.len(), 1);
        let message = &diagnostics[0].message;
        assert!(
            message.contains("HTTPRoute shop/web-http redirects with 301 instead of 308")
                && message
                    .contains("spec.rules[0].filters[].requestRedirect.statusCode, and 2 more"),
            "{message}"
        );
    }

    #[test]
    fn later_releases_keep_every_status() {
        for release in [Release::V1_5, Release::V1_6] {
            let mut routes = vec![route_with(&[308, 307, 303])];
            let mut diagnostics = Vec::new();
            fit_redirects(&mut routes, &[], release, &mut diagnostics);
            assert_eq!(statuses(&routes[0]), [Some(308), Some(307), Some(303)]);
            assert!(diagnostics.is_empty());
        }
    }
}
