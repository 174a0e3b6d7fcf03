//! How to fix each finding of `lsc check`: the corrected manifest (or command) that
//! `lsc explain CODE` prints under the rule's help text.

use super::rules;

/// The fix for a rule: a sentence, then a corrected snippet. Every rule in
/// [`rules::RULES`] has one (a test checks it).
pub fn fix(code: &str) -> Option<&'static str> {
    let fix = match code.to_ascii_uppercase().as_str() {
        rules::RENDER_ERROR => {
            "Fix the annotation the message names: one of issuer and cluster-issuer, durations in Go's units (h, m, s), booleans as \"true\" or \"false\":

    metadata:
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt-prod   # not also cert-manager.io/issuer
        cert-manager.io/duration: 2160h                     # not 90d"
        }
        rules::RENDER_WARNING => {
            "Give every TLS entry its hosts and a Secret (Ingress), every HTTPS listener a hostname (Gateway, ListenerSet):

    spec:
      tls:
      - hosts: [web.example.com]
        secretName: web-tls"
        }
        rules::DEFINED_AGAIN => {
            "Delete the earlier file, or give one object another name if both are meant to exist:

    metadata:
      name: web-v2"
        }
        rules::UNREAD_ANNOTATION => {
            "Spell the key as cert-manager reads it (the warning names the closest one), or list it in --extra-certificate-annotations if it is meant for the Certificate:

    metadata:
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt-prod   # not cert-manager.io/clusterissuer
        cert-manager.io/duration: 2160h                     # not cert-manager.io/duraton"
        }
        rules::NOTHING_ISSUED => {
            "Name the issuer on the object (or its Gateway), or give cert-manager a default issuer (--default-issuer-name with lsc):

    metadata:
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt-prod"
        }
        rules::NOT_ALLOWED => {
            "Let the Gateway accept the ListenerSet's namespace (or move the ListenerSet into the Gateway's):

    kind: Gateway
    spec:
      allowedListeners:
        namespaces:
          from: Selector
          selector:
            matchLabels:
              kubernetes.io/metadata.name: team-a"
        }
        rules::SELECTOR_UNDECIDED => {
            "Add the ListenerSet's Namespace, with its labels, to the inputs:

    apiVersion: v1
    kind: Namespace
    metadata:
      name: team-a
      labels:
        gateway-access: \"true\"   # what the Gateway's selector matches"
        }
        rules::PARENT_MISSING => {
            "Check the Gateway too (`lsc check infra/ team-a/`), or fix the reference:

    spec:
      parentRef:
        name: shared
        namespace: infra   # when the Gateway is in another namespace"
        }
        rules::XLISTENERSET => {
            "Run `lsc convert` on it, or change the API by hand (and the routes' parentRefs):

    apiVersion: gateway.networking.k8s.io/v1
    kind: ListenerSet"
        }
        rules::LISTENER_CONFLICT => {
            "Give the later listener a hostname (or port) no earlier listener on that port has:

    listeners:
    - name: https-shop
      port: 443
      protocol: HTTPS
      hostname: shop.example.com   # unique on port 443"
        }
        rules::DUPLICATE_LISTENER_NAME => {
            "Rename one of the two listeners:

    listeners:
    - name: https
      ...
    - name: https-admin"
        }
        rules::TLS_MISSING => {
            "Give the listener its tls block:

    - name: https
      port: 443
      protocol: HTTPS
      hostname: web.example.com
      tls:
        mode: Terminate
        certificateRefs:
        - name: web-tls"
        }
        rules::CEL_RULE => {
            "Change the field the message names; render templates first (`helm template`, `envsubst`) so no `${VAR}` or `{{ }}` is left:

    hostname: web.example.com   # a DNS name
    path:
      type: PathPrefix
      value: /api               # absolute"
        }
        rules::ROUTE_PARENT_MISSING => {
            "Name a parent that exists (with kind: ListenerSet for a ListenerSet), or add it to the inputs:

    parentRefs:
    - name: shared
      namespace: infra"
        }
        rules::ROUTE_SECTION_MISSING => {
            "Use the name of one of the parent's listeners, or drop sectionName:

    parentRefs:
    - name: shared
      sectionName: https"
        }
        rules::ROUTE_GATEWAY_SECTION_IN_LISTENERSET => {
            "Point the parentRef at the ListenerSet that has the listener:

    parentRefs:
    - group: gateway.networking.k8s.io
      kind: ListenerSet
      name: team-a
      sectionName: https"
        }
        rules::REFERENCE_NOT_GRANTED => {
            "Keep the Secret in the listener's namespace (cert-manager issues only there), or grant the reference in the Secret's namespace:

    apiVersion: gateway.networking.k8s.io/v1
    kind: ReferenceGrant
    metadata:
      name: team-a-certificates
      namespace: certificates   # the Secret's namespace
    spec:
      from:
      - group: gateway.networking.k8s.io
        kind: ListenerSet       # or Gateway: the listener's object
        namespace: team-a
      to:
      - group: \"\"
        kind: Secret"
        }
        rules::ISSUER_CONFLICT => {
            "Give both objects the same issuer, or each its own Secret:

    # the second object
    metadata:
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt-prod   # the first object's issuer
    spec:
      tls:
      - hosts: [web.example.com]
        secretName: web-canary-tls                        # or a Secret of its own"
        }
        rules::CERTIFICATE_SECRET_CLAIMED => {
            "Keep one Certificate: delete the hand-written one, or remove the issuer annotations from the object:

    metadata:
      annotations: {}   # no cert-manager.io/issuer or cluster-issuer"
        }
        rules::INGRESS_PROTECTION => {
            "Write the protection as your implementation's policy, then accept the loss on that host:

    lsc convert ingresses/ --allow-unprotected web.example.com

    apiVersion: gateway.envoyproxy.io/v1alpha1   # Envoy Gateway, for an IP allow list
    kind: SecurityPolicy
    metadata:
      name: web
    spec:
      targetRefs:
      - group: gateway.networking.k8s.io
        kind: HTTPRoute
        name: web
      authorization:
        defaultAction: Deny
        rules:
        - action: Allow
          principal:
            clientCIDRs: [10.0.0.0/8]"
        }
        rules::UPGRADE_CHANGES => {
            "Review each change before upgrading; compare with what runs, and keep the release in step:

    kubectl get certificates -A -o yaml | lsc diff manifests/ --against - --cert-manager-version 1.21
    lsc check manifests/ --cert-manager-version 1.21 --upgrade-to master"
        }
        _ => return None,
    };
    Some(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_fix_with_a_snippet() {
        for rule in rules::RULES {
            let text = fix(rule.code).unwrap_or_default();
            assert!(
                text.contains("\n\n    "),
                "{}: no fix with an indented snippet",
                rule.code
            );
        }
        assert_eq!(fix("lsc101"), fix("LSC101"));
        assert_eq!(fix("LSC999"), None);
    }
}
