//! Every finding `lsc check` reports: its stable code, severity, title and the help text
//! `lsc explain CODE` prints.

use crate::diag::Severity;

pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub help: &'static str,
}

pub const RENDER_ERROR: &str = "LSC001";
pub const RENDER_WARNING: &str = "LSC002";
pub const DEFINED_AGAIN: &str = "LSC003";
pub const UNREAD_ANNOTATION: &str = "LSC004";
pub const NOTHING_ISSUED: &str = "LSC005";
pub const NOT_ALLOWED: &str = "LSC101";
pub const SELECTOR_UNDECIDED: &str = "LSC102";
pub const PARENT_MISSING: &str = "LSC103";
pub const XLISTENERSET: &str = "LSC104";
pub const LISTENER_CONFLICT: &str = "LSC201";
pub const DUPLICATE_LISTENER_NAME: &str = "LSC202";
pub const TLS_MISSING: &str = "LSC203";
pub const CEL_RULE: &str = "LSC204";
pub const ROUTE_PARENT_MISSING: &str = "LSC301";
pub const ROUTE_SECTION_MISSING: &str = "LSC302";
pub const ROUTE_GATEWAY_SECTION_IN_LISTENERSET: &str = "LSC303";
pub const REFERENCE_NOT_GRANTED: &str = "LSC401";
pub const ISSUER_CONFLICT: &str = "LSC501";
pub const CERTIFICATE_SECRET_CLAIMED: &str = "LSC502";
pub const INGRESS_PROTECTION: &str = "LSC601";
pub const UPGRADE_CHANGES: &str = "LSC701";

pub const RULES: &[Rule] = &[
    Rule {
        code: RENDER_ERROR,
        severity: Severity::Error,
        title: "cert-manager would reject this object, or the input cannot be read",
        help: "An error `lsc render` reports: invalid YAML, a wrong field type, or an annotation cert-manager's certificate-shim refuses (it then creates no Certificate for the object and records a BadConfig event). The message is cert-manager's own.",
    },
    Rule {
        code: RENDER_WARNING,
        severity: Severity::Warning,
        title: "cert-manager would skip part of this object",
        help: "A warning `lsc render` reports: a TLS entry or listener cert-manager skips (with its BadConfig event text), or a Certificate two objects request with different specs. The object's other Certificates are still created.",
    },
    Rule {
        code: DEFINED_AGAIN,
        severity: Severity::Warning,
        title: "the same object is defined again; the last definition wins",
        help: "Two documents in the inputs define one object: the same API group, kind, namespace (after the default namespace or `--namespace`) and name. `kubectl apply -f dir/` applies them in turn, so the cluster ends with the later one, and lsc reads only that one (render, convert, check and diff alike). Often a leftover: a docs repository keeping `ingress-tls.yaml` beside `ingress-tls-final.yaml`. Remove the earlier definition, or rename one of the two if both are meant to exist.",
    },
    Rule {
        code: UNREAD_ANNOTATION,
        severity: Severity::Warning,
        title: "cert-manager does not read this annotation",
        help: "A `cert-manager.io/*` or `acme.cert-manager.io/*` annotation on an Ingress, Gateway or ListenerSet that cert-manager's certificate-shim does not read: most often a typo (`cert-manager.io/clusterissuer` for `cert-manager.io/cluster-issuer`, `cert-manager.io/duraton` for `cert-manager.io/duration`), which cert-manager ignores without an event, so the Certificate is missing or lacks the setting. The message names the closest key it reads. Also reported: a key the release given by --cert-manager-version does not read yet (`alt-names`, `ip-sans` and `ignore-tls-listeners` are read from v1.21), and a key read on other kinds only (`ignore-tls-listeners` on an Ingress). Keys named by --extra-certificate-annotations are read. `lsc render` and `lsc convert` warn of the same keys.",
    },
    Rule {
        code: NOTHING_ISSUED,
        severity: Severity::Note,
        title: "TLS without an issuer: cert-manager issues nothing for this object",
        help: "An Ingress with `spec.tls`, or a Gateway or ListenerSet with an HTTPS or TLS listener, carries neither `cert-manager.io/issuer` nor `cert-manager.io/cluster-issuer` (a ListenerSet may inherit them from its Gateway; an Ingress may instead carry `kubernetes.io/tls-acme: \"true\"` with --default-issuer-name), so cert-manager creates no Certificate for it. Fine when the Secret comes from elsewhere; otherwise add the issuer annotation, for example `cert-manager.io/cluster-issuer: letsencrypt-prod`.",
    },
    Rule {
        code: NOT_ALLOWED,
        severity: Severity::Error,
        title: "ListenerSet not allowed by its Gateway's allowedListeners",
        help: "A Gateway accepts ListenerSets only from the namespaces `spec.allowedListeners.namespaces.from` selects: absent or None allows none, Same only the Gateway's namespace, Selector the namespaces whose labels match, All every namespace. A ListenerSet outside gets Accepted=False with reason NotAllowed and none of its listeners is served. Fix the Gateway's allowedListeners or move the ListenerSet.",
    },
    Rule {
        code: SELECTOR_UNDECIDED,
        severity: Severity::Note,
        title: "allowedListeners Selector cannot be decided offline",
        help: "The Gateway selects ListenerSet namespaces by label, and the ListenerSet's Namespace object is not among the inputs, so lsc cannot tell whether it attaches. Add the Namespace manifest (with its labels) to the inputs to decide.",
    },
    Rule {
        code: PARENT_MISSING,
        severity: Severity::Error,
        title: "ListenerSet's parent Gateway is not in the inputs",
        help: "`spec.parentRef` names a Gateway (in the ListenerSet's namespace unless parentRef.namespace says otherwise) that no input defines. In a cluster the ListenerSet would not attach, and cert-manager issues no Certificate for it (it inherits issuer settings from the Gateway). Add the Gateway to the inputs or fix the reference.",
    },
    Rule {
        code: XLISTENERSET,
        severity: Severity::Warning,
        title: "XListenerSet is removed from Gateway API v1.5",
        help: "gateway.networking.x-k8s.io/v1alpha1 XListenerSet existed in the experimental channel of Gateway API v1.3 and v1.4 only; v1.5 promoted it to gateway.networking.k8s.io/v1 ListenerSet without a conversion, and no cert-manager release watches XListenerSet. `lsc convert` rewrites XListenerSets, the route parentRefs and ReferenceGrants that name them, to ListenerSet v1.",
    },
    Rule {
        code: LISTENER_CONFLICT,
        severity: Severity::Error,
        title: "listener conflicts with an earlier one on the same Gateway",
        help: "Gateway API merges a Gateway's listeners with those of its attached ListenerSets, in order: the Gateway's own, then ListenerSets by creationTimestamp, then by namespace/name. Listeners on one port must differ in hostname (HTTP, HTTPS, TLS) and must not mix a TCP listener with others, or plain HTTP with TLS. The first in that order wins; a later conflicting listener gets Conflicted=True (HostnameConflict or ProtocolConflict) and is not served.",
    },
    Rule {
        code: DUPLICATE_LISTENER_NAME,
        severity: Severity::Error,
        title: "duplicate listener name in one object",
        help: "Listener names must be unique within a Gateway or ListenerSet (CEL rule \"Listener name must be unique within the Gateway\"); the API server refuses the object. Names may repeat across different objects.",
    },
    Rule {
        code: TLS_MISSING,
        severity: Severity::Error,
        title: "TLS listener without a usable tls block",
        help: "An HTTPS listener needs `tls` with certificateRefs (mode Terminate) and a TLS listener needs `tls` with an explicit mode. Without them the API server (CEL) or the controller refuses the listener, and cert-manager has no Secret to issue for.",
    },
    Rule {
        code: CEL_RULE,
        severity: Severity::Error,
        title: "the API server would refuse this object (CEL or schema rule)",
        help: "A validation rule of the Gateway API CRDs (x-kubernetes-validations or a schema limit) fails: for example port/protocol/hostname not unique, tls on an HTTP listener, a hostname that is not a valid DNS name, or a path match that is not absolute. Ingress hosts (`spec.rules[].host`, `spec.tls[].hosts`) are held to the API server's DNS name rules too; a host such as `${DOMAIN}` or `{{ .Values.host }}` is a template variable left unrendered. GRPCRoute, TLSRoute, TCPRoute, UDPRoute, BackendTLSPolicy, ReferenceGrant, GatewayClass and cert-manager Certificates are validated against their CRDs, schema then CEL rules, as the API server does (the Gateway API release of `--gateway-api-version`, default 1.6; with that flag, a kind the release does not serve is refused too). `kubectl apply` would fail with this message.",
    },
    Rule {
        code: ROUTE_PARENT_MISSING,
        severity: Severity::Error,
        title: "route parentRef to a parent that is not in the inputs",
        help: "A route's parentRef names a Gateway, ListenerSet or XListenerSet that no input defines (parentRef.namespace defaults to the route's namespace, kind to Gateway, group to gateway.networking.k8s.io). The route would get Accepted=False for that parent.",
    },
    Rule {
        code: ROUTE_SECTION_MISSING,
        severity: Severity::Error,
        title: "route parentRef sectionName names no listener of its parent",
        help: "With sectionName a route attaches only to the listener of that name in the parent it names. No listener of the parent has it, so the route gets Accepted=False with reason NoMatchingParent for this parentRef.",
    },
    Rule {
        code: ROUTE_GATEWAY_SECTION_IN_LISTENERSET,
        severity: Severity::Error,
        title: "Gateway parentRef names a ListenerSet's listener",
        help: "A route whose parentRef is a Gateway attaches only to the Gateway's own spec.listeners, never to listeners of its ListenerSets. Point the parentRef at the ListenerSet (group gateway.networking.k8s.io, kind ListenerSet) to reach that listener.",
    },
    Rule {
        code: REFERENCE_NOT_GRANTED,
        severity: Severity::Error,
        title: "cross-namespace certificateRef without a ReferenceGrant",
        help: "A listener's certificateRef names a Secret in another namespace. That needs a ReferenceGrant in the Secret's namespace whose `from` names the listener's object kind (Gateway or ListenerSet; a grant for the Gateway does not cover its ListenerSets) and namespace, and whose `to` allows the Secret. Otherwise the listener gets ResolvedRefs=False with reason RefNotPermitted. cert-manager refuses cross-namespace certificateRefs either way.",
    },
    Rule {
        code: ISSUER_CONFLICT,
        severity: Severity::Error,
        title: "two objects ask different issuers for one Secret",
        help: "cert-manager names a Certificate after its Secret. When two objects request the same Secret with different issuers, the first to create the Certificate owns it and cert-manager leaves the other's request alone: which issuer signs depends on creation order. Give both the same issuer, or different Secrets.",
    },
    Rule {
        code: CERTIFICATE_SECRET_CLAIMED,
        severity: Severity::Error,
        title: "a Certificate in the inputs and an annotated object claim one Secret",
        help: "A hand-written Certificate writes this Secret, and cert-manager's certificate-shim would create another Certificate for the same Secret from an annotated Ingress, Gateway or ListenerSet. Two Certificates overwrite each other's Secret. Remove the annotation or the hand-written Certificate.",
    },
    Rule {
        code: INGRESS_PROTECTION,
        severity: Severity::Warning,
        title: "Ingress protection that Gateway API cannot carry",
        help: "An ingress-nginx annotation on this Ingress controls who may reach it: an IP allow or deny list (whitelist-, allowlist-, denylist-source-range), external authentication (auth-url), basic or digest authentication (auth-type, auth-secret, auth-realm), client certificates (auth-tls-secret, auth-tls-verify-client), the ModSecurity WAF (enable-modsecurity, enable-owasp-core-rules, modsecurity-*), rate limits (limit-rps, limit-rpm, limit-connections) or satisfy. Standard Gateway API has no per-route field for it, so the routes `lsc convert` writes would serve every client: convert refuses the Ingress (exit 2) until `--allow-unprotected HOST` (or `all`) accepts the loss. Re-create the protection in your Gateway implementation's policy (Envoy Gateway SecurityPolicy or BackendTrafficPolicy, kgateway TrafficPolicy, NGINX Gateway Fabric policies, a cloud WAF) before the routes serve traffic. A canary Ingress is not reported: ingress-nginx applies its primary Ingress's protection to it.",
    },
    Rule {
        code: UPGRADE_CHANGES,
        severity: Severity::Warning,
        title: "Certificate changes when cert-manager is upgraded",
        help: "Reported only with `lsc check --upgrade-to VERSION`: the Certificate rendered as the release given by --cert-manager-version (default 1.21) differs from the one the release upgraded to creates for the same object: annotations or spec fields added, removed or changed, or a Certificate newly created or no longer created. Examples: from v1.20 every Gateway and ListenerSet Certificate gets the HTTP-01 parentRef annotations and ListenerSets are read; from v1.21 alt-names, ip-sans and ignore-tls-listeners are; master removes repeated hosts and refuses some annotations itself. cert-manager updates an existing Certificate only for some fields (not annotations, ipAddresses or emailAddresses), so some of these changes reach the cluster only for new Certificates; `lsc diff` against the live Certificates shows what is there.",
    },
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}
